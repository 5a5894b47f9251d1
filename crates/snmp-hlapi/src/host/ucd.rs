//! UCD-SNMP-MIB (net-snmp's enterprise 2021), the groups `snmpd` serves without any
//! configuration and monitoring systems poll most: memory (`1.3.6.1.4.1.2021.4`, from
//! `/proc/meminfo`) and the load averages of laTable (`1.3.6.1.4.1.2021.10`, from
//! `sysinfo(2)` as glibc's `getloadavg` reads them, or `/proc/loadavg` under a test's root),
//! with `snmpd`'s values: memAvailReal is MemFree, memCached is Cached plus SReclaimable,
//! memSysAvail is MemAvailable, memMinimumSwap is 16000 KiB (`snmpd`'s default `swap`), laConfig
//! is 12.00 (its default `load`).

use std::path::Path;

use bytes::Bytes;
use snmp_smi::Value;

use super::{Snapshot, proc, read_text};

/// `memory`.
const MEMORY: &[u32] = &[1, 3, 6, 1, 4, 1, 2021, 4];
/// `laEntry`.
const LA_ENTRY: &[u32] = &[1, 3, 6, 1, 4, 1, 2021, 10, 1];

const MEMORY_OBJECTS: &[(&[u32], &[u32])] = &[(
    MEMORY,
    &[
        1, 2, 3, 4, 5, 6, 11, 12, 13, 14, 15, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 100, 101,
    ],
)];
const LOAD_OBJECTS: &[(&[u32], &[u32])] = &[(LA_ENTRY, &[1, 2, 3, 4, 5, 6, 100, 101])];

/// snmpd's default `swap` minimum, KiB: below it, memSwapError is 1.
const MINIMUM_SWAP: u64 = 16_000;
/// snmpd's default `load` maximum for each average.
const MAX_LOAD: f64 = 12.0;

snapshot_handler! {
    /// The memory group of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.4`), as `snmpd` serves it: sizes
    /// in KiB as INTEGER (memTotalReal...) and as Counter64 (memTotalRealX...), memSysAvail,
    /// and memSwapError/memSwapErrorMsg against a 16000 KiB minimum.
    UcdMemory {
        subtree: MEMORY, "`memory` of UCD-SNMP-MIB, 1.3.6.1.4.1.2021.4",
        reads: "`proc/meminfo`",
        objects: MEMORY_OBJECTS,
        load: memory_snapshot,
    }
}

snapshot_handler! {
    /// laTable of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.10`): the 1, 5 and 15 minute load
    /// averages as `snmpd` serves them (laLoad `%.2f`, laLoadInt the average times 100,
    /// laLoadFloat an Opaque float, laConfig 12.00 and the error flag and message above it).
    UcdLoad {
        subtree: &[1, 3, 6, 1, 4, 1, 2021, 10], "`laTable` of UCD-SNMP-MIB, 1.3.6.1.4.1.2021.10",
        reads: "the load averages (`sysinfo(2)` under `/`, else `proc/loadavg`)",
        objects: LOAD_OBJECTS,
        load: load_snapshot,
    }
}

/// An INTEGER of KiB, as snmpd's (a long) encodes it: at most 2^31 - 1 here.
fn kib(v: u64) -> Value {
    Value::Integer(i32::try_from(v).unwrap_or(i32::MAX))
}

fn text(s: &str) -> Value {
    Value::OctetString(Bytes::copy_from_slice(s.as_bytes()))
}

fn memory_snapshot(root: &Path) -> Snapshot {
    let mut s = Snapshot::default();
    let Some(meminfo) = read_text(root, "proc/meminfo").map(|t| proc::parse_meminfo(&t)) else {
        return s;
    };
    let get = |k: &str| meminfo.get(k).copied();
    let (Some(total), Some(free)) = (get("MemTotal"), get("MemFree")) else {
        return s;
    };
    let swap_total = get("SwapTotal").unwrap_or(0);
    let swap_free = get("SwapFree").unwrap_or(0);
    let shared = get("Shmem").unwrap_or(0);
    let buffers = get("Buffers").unwrap_or(0);
    let cached = get("Cached").unwrap_or(0) + get("SReclaimable").unwrap_or(0);
    let available = get("MemAvailable").unwrap_or(free);
    let at = |n: u32| [n, 0];
    s.push(MEMORY, &at(1), Value::Integer(0));
    s.push(MEMORY, &at(2), text("swap"));
    for (n, v) in [
        (3, swap_total),
        (4, swap_free),
        (5, total),
        (6, free),
        (11, free + swap_free),
        (12, MINIMUM_SWAP),
        (13, shared),
        (14, buffers),
        (15, cached),
    ] {
        s.push(MEMORY, &at(n), kib(v));
    }
    for (n, v) in [
        (18, swap_total),
        (19, swap_free),
        (20, total),
        (21, free),
        (22, free + swap_free),
        (23, MINIMUM_SWAP),
        (24, shared),
        (25, buffers),
        (26, cached),
        (27, available),
    ] {
        s.push(MEMORY, &at(n), Value::Counter64(v));
    }
    let short = swap_free <= MINIMUM_SWAP;
    s.push(MEMORY, &at(100), Value::Integer(i32::from(short)));
    let message = if short {
        format!("Running out of swap space ({swap_free})")
    } else {
        String::new()
    };
    s.push(MEMORY, &at(101), text(&message));
    s.finish()
}

/// The three load averages: the kernel's own (`sysinfo`) for the live system, as glibc's
/// `getloadavg` gives snmpd, else `proc/loadavg` (two decimals) under `root`.
fn load_averages(root: &Path) -> Option<[f64; 3]> {
    #[cfg(target_os = "linux")]
    if root == Path::new("/") {
        let info = rustix::system::sysinfo();
        // Fixed point with 16 fractional bits; a load fits an f64 exactly.
        #[allow(
            clippy::cast_precision_loss,
            reason = "load averages are small: far below 2^52"
        )]
        return Some(info.loads.map(|l| l as f64 / 65536.0));
    }
    let text = read_text(root, "proc/loadavg")?;
    let mut words = text.split_whitespace().map(str::parse::<f64>);
    Some([
        words.next()?.ok()?,
        words.next()?.ok()?,
        words.next()?.ok()?,
    ])
}

/// An Opaque Float (net-snmp's ASN_OPAQUE_FLOAT, `9f 78`, wrapped in an Opaque): what
/// laLoadFloat carries.
fn opaque_float(v: f32) -> Value {
    let mut b = vec![0x9f, 0x78, 0x04];
    b.extend_from_slice(&v.to_be_bytes());
    Value::Opaque(Bytes::from(b))
}

fn load_snapshot(root: &Path) -> Snapshot {
    let mut s = Snapshot::default();
    let Some(loads) = load_averages(root) else {
        return s;
    };
    for ((index, minutes), load) in [(1_u32, 1), (2, 5), (3, 15)].into_iter().zip(loads) {
        let col = |c: u32| [c, index];
        s.push(LA_ENTRY, &col(1), Value::Integer(index.cast_signed()));
        s.push(LA_ENTRY, &col(2), text(&format!("Load-{minutes}")));
        s.push(LA_ENTRY, &col(3), text(&format!("{load:.2}")));
        s.push(LA_ENTRY, &col(4), text(&format!("{MAX_LOAD:.2}")));
        // C's (u_long)(load * 100): truncated.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a load average times 100 is small and not negative"
        )]
        let int = (load * 100.0) as u32;
        s.push(LA_ENTRY, &col(5), Value::Integer(int.cast_signed()));
        #[allow(
            clippy::cast_possible_truncation,
            reason = "snmpd sends the average as a C float"
        )]
        s.push(LA_ENTRY, &col(6), opaque_float(load as f32));
        let high = load >= MAX_LOAD;
        s.push(LA_ENTRY, &col(100), Value::Integer(i32::from(high)));
        let message = if high {
            format!("{minutes} min Load Average too high (= {load:.2})")
        } else {
            String::new()
        };
        s.push(LA_ENTRY, &col(101), text(&message));
    }
    s.finish()
}

#[cfg(test)]
mod tests {
    use snmp_engine::MibHandler;

    use super::*;
    use crate::host::fixture::{Tree, info, oid, start, walk};

    const MEMINFO: &str = "MemTotal:       24684084 kB\nMemFree:        21247972 kB\n\
        MemAvailable:   23676864 kB\nBuffers:            7596 kB\nCached:          2027688 kB\n\
        SwapTotal:        102400 kB\nSwapFree:          10000 kB\nShmem:              8872 kB\n\
        SReclaimable:     700000 kB\n";

    #[test]
    fn memory_as_snmpd_serves_it() {
        let tree = Tree::new();
        tree.file("proc/meminfo", MEMINFO);
        let mut h = UcdMemory::with_root(tree.path());
        let rows = walk(&mut h, start(), "1.3.6.1.4.1.2021.4");
        let value = |n: u32| {
            rows.iter()
                .find(|vb| vb.oid == oid(&format!("1.3.6.1.4.1.2021.4.{n}.0")))
                .map(|vb| vb.value.clone())
        };
        assert_eq!(rows.len(), 23);
        assert_eq!(value(2), Some(text("swap")));
        assert_eq!(value(3), Some(Value::Integer(102_400)));
        assert_eq!(value(6), Some(Value::Integer(21_247_972)));
        assert_eq!(value(11), Some(Value::Integer(21_257_972)));
        assert_eq!(value(15), Some(Value::Integer(2_727_688)));
        assert_eq!(value(27), Some(Value::Counter64(23_676_864)));
        assert_eq!(value(100), Some(Value::Integer(1)));
        assert_eq!(value(101), Some(text("Running out of swap space (10000)")));
        // No such memory object: noSuchObject; an instance other than .0: noSuchInstance.
        let now = start();
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.4.1.2021.4.7.0")),
            Value::NoSuchObject
        );
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.4.1.2021.4.5.1")),
            Value::NoSuchInstance
        );
    }

    #[test]
    fn load_averages_as_snmpd_serves_them() {
        let tree = Tree::new();
        tree.file("proc/loadavg", "1.38 12.50 0.05 2/85 17649\n");
        let mut h = UcdLoad::with_root(tree.path());
        let rows = walk(&mut h, start(), "1.3.6.1.4.1.2021.10");
        assert_eq!(rows.len(), 24);
        let value = |s: &str| {
            rows.iter()
                .find(|vb| vb.oid == oid(&format!("1.3.6.1.4.1.2021.10.1.{s}")))
                .map(|vb| vb.value.clone())
        };
        assert_eq!(value("2.3"), Some(text("Load-15")));
        assert_eq!(value("3.1"), Some(text("1.38")));
        assert_eq!(value("4.2"), Some(text("12.00")));
        assert_eq!(value("5.1"), Some(Value::Integer(138)));
        assert_eq!(value("5.3"), Some(Value::Integer(5)));
        assert_eq!(
            value("6.1"),
            Some(Value::Opaque(Bytes::from_static(&[
                0x9f, 0x78, 0x04, 0x3f, 0xb0, 0xa3, 0xd7
            ])))
        );
        assert_eq!(value("100.2"), Some(Value::Integer(1)));
        assert_eq!(
            value("101.2"),
            Some(text("5 min Load Average too high (= 12.50)"))
        );
        assert_eq!(value("101.1"), Some(text("")));
    }

    #[test]
    fn nothing_to_read_gives_empty_groups() {
        let tree = Tree::new();
        let now = start();
        assert!(
            walk(
                &mut UcdMemory::with_root(tree.path()),
                now,
                "1.3.6.1.4.1.2021.4"
            )
            .is_empty()
        );
        assert!(
            walk(
                &mut UcdLoad::with_root(tree.path()),
                now,
                "1.3.6.1.4.1.2021.10"
            )
            .is_empty()
        );
    }
}
