//! UCD-SNMP-MIB (net-snmp's enterprise 2021), the groups `snmpd` serves without any
//! configuration and monitoring systems poll most: memory (`1.3.6.1.4.1.2021.4`, from
//! `/proc/meminfo`), the load averages of laTable (`1.3.6.1.4.1.2021.10`, from
//! `sysinfo(2)` as glibc's `getloadavg` reads them, or `/proc/loadavg` under a test's root),
//! the raw counters of systemStats (`1.3.6.1.4.1.2021.11`, `/proc/stat`, `/proc/vmstat`) and
//! UCD-DISKIO-MIB's diskIOTable (`/proc/diskstats`), with `snmpd`'s values: memAvailReal is
//! MemFree, memCached is Cached plus SReclaimable, memSysAvail is MemAvailable,
//! memMinimumSwap is 16000 KiB and laConfig 12.00 unless snmpd.conf's `swap` and `load` say
//! otherwise; and the tables of snmpd.conf's `disk` and `proc` lines (dskTable, prTable).

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

/// The `MibHandler` of a handler made of a [`Cached`](super::Cached) snapshot (`cached`) and
/// settings (`$settings`): the snapshot read with `$load(root, &settings)` at most once per
/// cache period, then answered from.
macro_rules! cached_handler {
    ($name:ident, $settings:ident, $load:expr, $objects:expr) => {
        impl $name {
            fn current(&mut self, now: std::time::Instant) -> &Snapshot {
                let settings = &self.$settings;
                self.cached.snapshot(now, |root| ($load)(root, settings))
            }
        }

        impl snmp_engine::MibHandler for $name {
            fn get(&mut self, info: &snmp_engine::RequestInfo<'_>, oid: &snmp_smi::Oid) -> Value {
                self.current(info.now).get($objects, oid)
            }

            fn get_next(
                &mut self,
                info: &snmp_engine::RequestInfo<'_>,
                oid: &snmp_smi::Oid,
            ) -> Option<snmp_smi::VarBind> {
                self.current(info.now).next(oid)
            }
        }
    };
}

/// The memory group of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.4`), as `snmpd` serves it: sizes in
/// KiB as INTEGER (memTotalReal...) and as Counter64 (memTotalRealX...), memSysAvail, and
/// memSwapError/memSwapErrorMsg against the minimum free swap (snmpd.conf's `swap`, 16000
/// KiB by default). Reads `proc/meminfo`, at most once per cache period.
#[derive(Debug)]
pub struct UcdMemory {
    cached: super::Cached,
    minimum_swap: u64,
}

impl UcdMemory {
    /// The subtree it serves: `memory` of UCD-SNMP-MIB, 1.3.6.1.4.1.2021.4.
    pub const SUBTREE: &'static [u32] = MEMORY;

    /// Reads the system under `/`.
    pub fn new() -> Self {
        Self::with_root("/")
    }

    /// Reads `proc/meminfo` under `root`.
    pub fn with_root(root: impl Into<std::path::PathBuf>) -> Self {
        Self {
            cached: super::Cached::new(root),
            minimum_swap: MINIMUM_SWAP,
        }
    }

    /// The same settings, read under `root`.
    pub(crate) fn rooted(self, root: &Path) -> Self {
        Self {
            cached: super::Cached::new(root),
            ..self
        }
    }

    /// The free swap, in KiB, below which memSwapError is set (snmpd.conf's `swap MIN`).
    pub fn minimum_swap(&mut self, kib: u64) -> &mut Self {
        self.minimum_swap = kib;
        self
    }
}

impl Default for UcdMemory {
    fn default() -> Self {
        Self::new()
    }
}

cached_handler!(
    UcdMemory,
    minimum_swap,
    |root, minimum: &u64| memory_snapshot(root, *minimum),
    MEMORY_OBJECTS
);

/// laTable of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.10`): the 1, 5 and 15 minute load averages as
/// `snmpd` serves them (laLoad `%.2f`, laLoadInt the average times 100, laLoadFloat an
/// Opaque float, laConfig the maxima of snmpd.conf's `load` (12.00 by default; 0: none) and
/// the error flag and message at or above them). Reads the load averages (`sysinfo(2)` under
/// `/`, else `proc/loadavg`), at most once per cache period.
#[derive(Debug)]
pub struct UcdLoad {
    cached: super::Cached,
    maxima: [f64; 3],
}

impl UcdLoad {
    /// The subtree it serves: `laTable` of UCD-SNMP-MIB, 1.3.6.1.4.1.2021.10.
    pub const SUBTREE: &'static [u32] = &[1, 3, 6, 1, 4, 1, 2021, 10];

    /// Reads the system's load averages.
    pub fn new() -> Self {
        Self::with_root("/")
    }

    /// Reads `proc/loadavg` under `root` (the kernel's averages when `root` is `/`).
    pub fn with_root(root: impl Into<std::path::PathBuf>) -> Self {
        Self {
            cached: super::Cached::new(root),
            maxima: [MAX_LOAD; 3],
        }
    }

    /// The same settings, read under `root`.
    pub(crate) fn rooted(self, root: &Path) -> Self {
        Self {
            cached: super::Cached::new(root),
            ..self
        }
    }

    /// The 1, 5 and 15 minute maxima (snmpd.conf's `load MAX1 [MAX5 [MAX15]]`; 0: no
    /// maximum).
    pub fn maxima(&mut self, maxima: [f64; 3]) -> &mut Self {
        self.maxima = maxima;
        self
    }
}

impl Default for UcdLoad {
    fn default() -> Self {
        Self::new()
    }
}

cached_handler!(
    UcdLoad,
    maxima,
    |root, maxima: &[f64; 3]| load_snapshot(root, *maxima),
    LOAD_OBJECTS
);

/// `systemStats`.
const SYSTEM_STATS: &[u32] = &[1, 3, 6, 1, 4, 1, 2021, 11];
const SYSTEM_STATS_OBJECTS: &[(&[u32], &[u32])] = &[(
    SYSTEM_STATS,
    &[
        1, 2, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67,
    ],
)];

snapshot_handler! {
    /// systemStats of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.11`): the raw counters `snmpd` serves
    /// from `/proc/stat` and `/proc/vmstat` (ssCpuRawUser... in ticks, ssIORawSent and
    /// ssIORawReceived in 512-byte blocks, interrupts, context switches, swap pages, the
    /// processor count). The per-minute rates and percentages (ssCpuUser, ssSwapIn...),
    /// which `snmpd` serves once it has a minute of history, are not served.
    UcdSystemStats {
        subtree: SYSTEM_STATS, "`systemStats` of UCD-SNMP-MIB, 1.3.6.1.4.1.2021.11",
        reads: "`proc/stat` and `proc/vmstat`",
        objects: SYSTEM_STATS_OBJECTS,
        load: system_stats_snapshot,
    }
}

/// `diskIOEntry` (UCD-DISKIO-MIB, under UCD-SNMP-MIB's ucdExperimental).
const DISK_IO_ENTRY: &[u32] = &[1, 3, 6, 1, 4, 1, 2021, 13, 15, 1, 1];
const DISK_IO_OBJECTS: &[(&[u32], &[u32])] = &[(DISK_IO_ENTRY, &[1, 2, 3, 4, 5, 6, 12, 13, 14])];

snapshot_handler! {
    /// diskIOTable of UCD-DISKIO-MIB (`1.3.6.1.4.1.2021.13.15`): one row per line of
    /// `/proc/diskstats`, in its order, as `snmpd` serves it (diskIONRead and diskIONWritten
    /// in bytes as Counter32 and as Counter64, diskIOReads, diskIOWrites, diskIOBusyTime in
    /// microseconds). The load columns (diskIOLA1/5/15), which `snmpd` computes from its
    /// own samples over time, are not served.
    UcdDiskIo {
        subtree: &[1, 3, 6, 1, 4, 1, 2021, 13, 15], "`diskIOTable` of UCD-DISKIO-MIB, 1.3.6.1.4.1.2021.13.15",
        reads: "`proc/diskstats`",
        objects: DISK_IO_OBJECTS,
        load: disk_io_snapshot,
    }
}

fn disk_io_snapshot(root: &Path) -> Snapshot {
    let mut s = Snapshot::default();
    let Some(stats) = read_text(root, "proc/diskstats") else {
        return s;
    };
    let mut index = 0_u32;
    for line in stats.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let number = |i: usize| -> Option<u64> { words.get(i)?.parse().ok() };
        // major minor name, then the 11 counters of a disk (or the 4 of an old partition
        // line: reads, sectors read, writes, sectors written).
        let (Some(name), Some(reads)) = (words.get(2), number(3)) else {
            continue;
        };
        let (read_sectors, writes, written_sectors, busy_ms) = if words.len() >= 14 {
            (number(5), number(7), number(9), number(12))
        } else if words.len() == 7 {
            (number(4), number(5), number(6), Some(0))
        } else {
            continue;
        };
        let (Some(read_sectors), Some(writes), Some(written_sectors), Some(busy_ms)) =
            (read_sectors, writes, written_sectors, busy_ms)
        else {
            continue;
        };
        index += 1;
        let col = |c: u32| [c, index];
        let read = read_sectors.wrapping_mul(512);
        let written = written_sectors.wrapping_mul(512);
        s.push(DISK_IO_ENTRY, &col(1), Value::Integer(index.cast_signed()));
        s.push(DISK_IO_ENTRY, &col(2), text(name));
        s.push(DISK_IO_ENTRY, &col(3), counter(read));
        s.push(DISK_IO_ENTRY, &col(4), counter(written));
        s.push(DISK_IO_ENTRY, &col(5), counter(reads));
        s.push(DISK_IO_ENTRY, &col(6), counter(writes));
        s.push(DISK_IO_ENTRY, &col(12), Value::Counter64(read));
        s.push(DISK_IO_ENTRY, &col(13), Value::Counter64(written));
        s.push(
            DISK_IO_ENTRY,
            &col(14),
            Value::Counter64(busy_ms.wrapping_mul(1000)),
        );
    }
    s.finish()
}

/// `dskEntry`.
const DSK_ENTRY: &[u32] = &[1, 3, 6, 1, 4, 1, 2021, 9, 1];
const DSK_OBJECTS: &[(&[u32], &[u32])] = &[(
    DSK_ENTRY,
    &[
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 100, 101,
    ],
)];

/// snmpd's minimum free space of a `disk PATH` line without one, KiB.
pub const DEFAULT_DISK_MINIMUM: i64 = 100_000;

/// What a `disk` line asks to watch: a mount point and the free space below which
/// dskErrorFlag is set, in KiB or in percent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiskEntry {
    path: String,
    /// KiB, or -1 when the minimum is a percentage.
    minimum: i64,
    /// Percent, or -1 when the minimum is in KiB.
    min_percent: i32,
}

impl DiskEntry {
    /// An snmpd.conf `disk` line after the directive: `PATH [MINSPACE | MINPERCENT%]`
    /// (MINSPACE in KiB; [`DEFAULT_DISK_MINIMUM`] when none is given).
    ///
    /// # Errors
    /// No path.
    pub fn parse_line(rest: &str) -> Result<Self, String> {
        let mut words = rest.split_whitespace();
        let path = words.next().ok_or("a mount point is needed")?.to_owned();
        // As C's atoi: the leading digits, 0 without any.
        let atoi = |w: &str| -> i64 {
            let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().unwrap_or(0)
        };
        let (minimum, min_percent) = match words.next() {
            Some(w) if w.contains('%') => (-1, i32::try_from(atoi(w)).unwrap_or(i32::MAX)),
            Some(w) => (atoi(w), -1),
            None => (DEFAULT_DISK_MINIMUM, -1),
        };
        Ok(Self {
            path,
            minimum,
            min_percent,
        })
    }

    /// The mount point.
    pub fn path(&self) -> &str {
        &self.path
    }
}

/// dskTable of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.9`) for the `disk` lines, as `snmpd` serves
/// it: the mount point, its device, sizes in KiB (Integer32, and 64-bit as two Unsigned32
/// halves), the used percentages of blocks and inodes (rounded), and the error flag and
/// message against the line's minimum. As in snmpd, a path that is not a mount point of
/// `/proc/mounts` has no row (its index stays taken), and a path given twice takes the
/// last line's minimum in both its rows. Read at most once per cache period.
#[derive(Debug)]
pub struct UcdDisk {
    cached: super::Cached,
    disks: Vec<DiskEntry>,
}

impl UcdDisk {
    /// The subtree it serves: `dskTable`'s `1.3.6.1.4.1.2021.9`.
    pub const SUBTREE: &'static [u32] = &[1, 3, 6, 1, 4, 1, 2021, 9];

    /// The disks of these lines, on this system.
    pub fn new(disks: Vec<DiskEntry>) -> Self {
        Self::with_root("/", disks)
    }

    /// The disks of these lines, their files read under `root`.
    pub fn with_root(root: impl Into<std::path::PathBuf>, disks: Vec<DiskEntry>) -> Self {
        Self {
            cached: super::Cached::new(root),
            disks,
        }
    }
}

cached_handler!(UcdDisk, disks, disk_snapshot, DSK_OBJECTS);

/// `prEntry`.
const PR_ENTRY: &[u32] = &[1, 3, 6, 1, 4, 1, 2021, 2, 1];
const PR_OBJECTS: &[(&[u32], &[u32])] = &[(PR_ENTRY, &[1, 2, 3, 4, 5, 100, 101, 102, 103])];

/// What a `proc` line asks to watch: how many processes of a name may run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcEntry {
    name: String,
    /// At most this many (0: no upper limit).
    max: i32,
    /// At least this many (0: none needed).
    min: i32,
}

impl ProcEntry {
    /// An snmpd.conf `proc` line after the directive: `NAME [MAX [MIN]]`: without numbers at
    /// least one must run; with MAX alone, at most MAX (0: no limit); `NAME 0 0`: none may
    /// run. The name is a process's name as in `/proc/PID/status` (at most 15 characters).
    ///
    /// # Errors
    /// No name.
    pub fn parse_line(rest: &str) -> Result<Self, String> {
        let mut words = rest.split_whitespace();
        let name = words.next().ok_or("a process name is needed")?.to_owned();
        // As C's atoi: an optional sign and the leading digits, 0 without any.
        let atoi = |w: &str| -> i32 {
            let (sign, digits) = match w.strip_prefix('-') {
                Some(d) => (-1, d),
                None => (1, w.strip_prefix('+').unwrap_or(w)),
            };
            let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
            digits.parse::<i32>().map_or(0, |n| sign * n)
        };
        let (max, min) = match (words.next(), words.next()) {
            (None, _) => (0, 1),
            (Some(max), None) => (atoi(max), 0),
            (Some(max), Some(min)) => (atoi(max), atoi(min)),
        };
        Ok(Self { name, max, min })
    }

    /// The process name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// prTable of UCD-SNMP-MIB (`1.3.6.1.4.1.2021.2`) for the `proc` lines, as `snmpd` serves
/// it: each name's process count (`/proc/PID/status` names, as hrSWRunName), its limits,
/// and the error flag and message ("No NAME process running", "Too many NAME running (# =
/// N)"...). prErrFix is 0 and prErrFixCmd empty (no `procfix` here). Read at most once per
/// cache period.
#[derive(Debug)]
pub struct UcdProc {
    cached: super::Cached,
    procs: Vec<ProcEntry>,
}

impl UcdProc {
    /// The subtree it serves: `prTable`'s `1.3.6.1.4.1.2021.2`.
    pub const SUBTREE: &'static [u32] = &[1, 3, 6, 1, 4, 1, 2021, 2];

    /// The processes of these lines, on this system.
    pub fn new(procs: Vec<ProcEntry>) -> Self {
        Self::with_root("/", procs)
    }

    /// The processes of these lines, `proc` read under `root`.
    pub fn with_root(root: impl Into<std::path::PathBuf>, procs: Vec<ProcEntry>) -> Self {
        Self {
            cached: super::Cached::new(root),
            procs,
        }
    }
}

cached_handler!(UcdProc, procs, proc_snapshot, PR_OBJECTS);

/// The `Name:` of every process of `root/proc`.
fn process_names(root: &Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(root.join("proc")) else {
        return Vec::new();
    };
    dir.flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter_map(|e| {
            let status = std::fs::read_to_string(e.path().join("status")).ok()?;
            let name = status.lines().find_map(|l| l.strip_prefix("Name:"))?;
            Some(name.trim().to_owned())
        })
        .collect()
}

fn proc_snapshot(root: &Path, procs: &[ProcEntry]) -> Snapshot {
    let mut s = Snapshot::default();
    if procs.is_empty() {
        return s;
    }
    let names = process_names(root);
    for (p, index) in procs.iter().zip(1_u32..) {
        let count = names.iter().filter(|n| **n == p.name).count();
        let count = i32::try_from(count).unwrap_or(i32::MAX);
        let message = if p.min != 0 && count < p.min {
            if count > 0 {
                format!("Too few {} running (# = {count})", p.name)
            } else {
                format!("No {} process running", p.name)
            }
        } else if p.max != 0 && count > p.max {
            format!("Too many {} running (# = {count})", p.name)
        } else if p.min == 0 && p.max == 0 && count > 0 {
            format!("{} process should not be running.", p.name)
        } else {
            String::new()
        };
        let col = |c: u32| [c, index];
        s.push(PR_ENTRY, &col(1), Value::Integer(index.cast_signed()));
        s.push(PR_ENTRY, &col(2), text(&p.name));
        s.push(PR_ENTRY, &col(3), Value::Integer(p.min));
        s.push(PR_ENTRY, &col(4), Value::Integer(p.max));
        s.push(PR_ENTRY, &col(5), Value::Integer(count));
        s.push(
            PR_ENTRY,
            &col(100),
            Value::Integer(i32::from(!message.is_empty())),
        );
        s.push(PR_ENTRY, &col(101), text(&message));
        s.push(PR_ENTRY, &col(102), Value::Integer(0));
        s.push(PR_ENTRY, &col(103), text(""));
    }
    s.finish()
}

/// C's `(int)((float)value * 100 / total + 0.5)`, 0 for an empty total: snmpd's `_percent`.
#[allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    reason = "snmpd computes the percentage in a C float"
)]
fn percent(value: u64, total: u64) -> i32 {
    if total == 0 {
        return 0;
    }
    (value as f32 * 100.0 / total as f32 + 0.5) as i32
}

fn disk_snapshot(root: &Path, disks: &[DiskEntry]) -> Snapshot {
    let mut s = Snapshot::default();
    let mounts = read_text(root, "proc/mounts")
        .map(|t| proc::parse_mounts(&t))
        .unwrap_or_default();
    for (disk, index) in disks.iter().zip(1_u32..) {
        // A path given twice is one filesystem to snmpd: the last line's minimum is both
        // rows'.
        let disk = disks.iter().rfind(|d| d.path == disk.path).unwrap_or(disk);
        // A path that is no mount point has no row (its number stays taken), as in snmpd.
        let Some(mount) = mounts.iter().find(|m| m.path == disk.path) else {
            continue;
        };
        let path = root.join(disk.path.trim_start_matches('/'));
        let usage = rustix::fs::statvfs(&path).ok().map(|st| {
            let units = if st.f_frsize > 0 {
                st.f_frsize
            } else {
                st.f_bsize
            };
            let kib = |blocks: u64| blocks.saturating_mul(units) / 1024;
            (
                kib(st.f_blocks),
                kib(st.f_bavail),
                kib(st.f_blocks.saturating_sub(st.f_bfree)),
                percent(st.f_blocks.saturating_sub(st.f_bfree), st.f_blocks),
                percent(st.f_bavail, st.f_blocks),
                percent(st.f_files.saturating_sub(st.f_ffree), st.f_files),
            )
        });
        let (total, avail, used, used_pct, avail_pct, inodes_pct) =
            usage.unwrap_or((0, 0, 0, 0, 0, 0));
        let col = |c: u32| [c, index];
        let int32 = |v: u64| Value::Integer(i32::try_from(v).unwrap_or(i32::MAX));
        let low = |v: u64| Value::Gauge32(u32::try_from(v & 0xffff_ffff).unwrap_or(0));
        let high = |v: u64| Value::Gauge32(u32::try_from(v >> 32).unwrap_or(0));
        s.push(DSK_ENTRY, &col(1), Value::Integer(index.cast_signed()));
        s.push(DSK_ENTRY, &col(2), text(&disk.path));
        s.push(DSK_ENTRY, &col(3), text(&mount.device));
        let minimum = i32::try_from(disk.minimum).unwrap_or(i32::MAX);
        s.push(DSK_ENTRY, &col(4), Value::Integer(minimum));
        s.push(DSK_ENTRY, &col(5), Value::Integer(disk.min_percent));
        s.push(DSK_ENTRY, &col(6), int32(total));
        s.push(DSK_ENTRY, &col(7), int32(avail));
        s.push(DSK_ENTRY, &col(8), int32(used));
        s.push(DSK_ENTRY, &col(9), Value::Integer(used_pct));
        s.push(DSK_ENTRY, &col(10), Value::Integer(inodes_pct));
        s.push(DSK_ENTRY, &col(11), low(total));
        s.push(DSK_ENTRY, &col(12), high(total));
        s.push(DSK_ENTRY, &col(13), low(avail));
        s.push(DSK_ENTRY, &col(14), high(avail));
        s.push(DSK_ENTRY, &col(15), low(used));
        s.push(DSK_ENTRY, &col(16), high(used));
        let short_space =
            disk.minimum >= 0 && i64::try_from(avail).unwrap_or(i64::MAX) < disk.minimum;
        let short_percent = disk.min_percent >= 0 && avail_pct < disk.min_percent;
        let message = if short_space {
            format!("{}: less than {} free (= {avail})", disk.path, disk.minimum)
        } else if short_percent {
            format!(
                "{}: less than {}% free (= {avail_pct}%)",
                disk.path, disk.min_percent
            )
        } else {
            String::new()
        };
        s.push(
            DSK_ENTRY,
            &col(100),
            Value::Integer(i32::from(short_space || short_percent)),
        );
        s.push(DSK_ENTRY, &col(101), text(&message));
    }
    s.finish()
}

/// A Counter32 of a counter that may pass 2^32: its low 32 bits, as snmpd sends it.
fn counter(v: u64) -> Value {
    Value::Counter32(u32::try_from(v & 0xffff_ffff).unwrap_or(0))
}

fn system_stats_snapshot(root: &Path) -> Snapshot {
    let mut s = Snapshot::default();
    let Some(stat) = read_text(root, "proc/stat") else {
        return s;
    };
    let first_number = |key: &str| -> Option<u64> {
        stat.lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
    };
    // user nice system idle iowait irq softirq steal guest guest_nice.
    let Some(cpu) = stat.lines().find_map(|l| l.strip_prefix("cpu ")) else {
        return s;
    };
    let ticks: Vec<u64> = cpu
        .split_whitespace()
        .map(|w| w.parse().unwrap_or(0))
        .collect();
    let tick = |i: usize| ticks.get(i).copied().unwrap_or(0);
    let cpus = stat
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .and_then(|label| label.strip_prefix("cpu"))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    let vmstat = read_text(root, "proc/vmstat").unwrap_or_default();
    let vm = |key: &str| -> u64 {
        vmstat
            .lines()
            .find_map(|l| l.strip_prefix(key)?.strip_prefix(' '))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    let at = |n: u32| [n, 0];
    s.push(SYSTEM_STATS, &at(1), Value::Integer(1));
    s.push(SYSTEM_STATS, &at(2), text("systemStats"));
    for (n, v) in [
        (50, tick(0)),
        (51, tick(1)),
        (52, tick(2)),
        (53, tick(3)),
        (54, tick(4)),
        // ssCpuRawKernel: no such time on Linux.
        (55, 0),
        (56, tick(5)),
        // Pages of 1 KiB, as 512-byte blocks.
        (57, vm("pgpgout").saturating_mul(2)),
        (58, vm("pgpgin").saturating_mul(2)),
        (59, first_number("intr").unwrap_or(0)),
        (60, first_number("ctxt").unwrap_or(0)),
        (61, tick(6)),
        (62, vm("pswpin")),
        (63, vm("pswpout")),
        (64, tick(7)),
        (65, tick(8)),
        (66, tick(9)),
    ] {
        s.push(SYSTEM_STATS, &at(n), counter(v));
    }
    s.push(
        SYSTEM_STATS,
        &at(67),
        Value::Integer(i32::try_from(cpus).unwrap_or(i32::MAX)),
    );
    s.finish()
}

/// An INTEGER of KiB, as snmpd's (a long) encodes it: at most 2^31 - 1 here.
fn kib(v: u64) -> Value {
    Value::Integer(i32::try_from(v).unwrap_or(i32::MAX))
}

fn text(s: &str) -> Value {
    Value::OctetString(Bytes::copy_from_slice(s.as_bytes()))
}

fn memory_snapshot(root: &Path, minimum_swap: u64) -> Snapshot {
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
        (12, minimum_swap),
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
        (23, minimum_swap),
        (24, shared),
        (25, buffers),
        (26, cached),
        (27, available),
    ] {
        s.push(MEMORY, &at(n), Value::Counter64(v));
    }
    let short = swap_free <= minimum_swap;
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

fn load_snapshot(root: &Path, maxima: [f64; 3]) -> Snapshot {
    let mut s = Snapshot::default();
    let Some(loads) = load_averages(root) else {
        return s;
    };
    let rows = [(1_u32, 1), (2, 5), (3, 15)]
        .into_iter()
        .zip(loads)
        .zip(maxima);
    for (((index, minutes), load), max) in rows {
        let col = |c: u32| [c, index];
        s.push(LA_ENTRY, &col(1), Value::Integer(index.cast_signed()));
        s.push(LA_ENTRY, &col(2), text(&format!("Load-{minutes}")));
        s.push(LA_ENTRY, &col(3), text(&format!("{load:.2}")));
        s.push(LA_ENTRY, &col(4), text(&format!("{max:.2}")));
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
        let high = max != 0.0 && load >= max;
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
    fn system_stats_as_snmpd_serves_them() {
        let tree = Tree::new();
        tree.file(
            "proc/stat",
            "cpu  2381874 18359 335142 3305325 34964 7 25177 1091 3 4\n\
             cpu0 1 2 3 4 5 6 7 8 0 0\ncpu1 1 2 3 4 5 6 7 8 0 0\n\
             intr 35025148 0 0 1\nctxt 81190075\nbtime 1\n",
        );
        tree.file(
            "proc/vmstat",
            "pgpgin 219852417\npgpgout 4294967296\npswpin 5\npswpout 6\n",
        );
        let mut h = UcdSystemStats::with_root(tree.path());
        let rows = walk(&mut h, start(), "1.3.6.1.4.1.2021.11");
        assert_eq!(rows.len(), 20);
        let value = |n: u32| {
            rows.iter()
                .find(|vb| vb.oid == oid(&format!("1.3.6.1.4.1.2021.11.{n}.0")))
                .map(|vb| vb.value.clone())
        };
        assert_eq!(value(2), Some(text("systemStats")));
        assert_eq!(value(50), Some(Value::Counter32(2_381_874)));
        assert_eq!(value(53), Some(Value::Counter32(3_305_325)));
        assert_eq!(value(55), Some(Value::Counter32(0)));
        assert_eq!(value(56), Some(Value::Counter32(7)));
        // 2^32 pages out are 2^33 blocks: the low 32 bits, 0.
        assert_eq!(value(57), Some(Value::Counter32(0)));
        assert_eq!(value(58), Some(Value::Counter32(439_704_834)));
        assert_eq!(value(59), Some(Value::Counter32(35_025_148)));
        assert_eq!(value(60), Some(Value::Counter32(81_190_075)));
        assert_eq!(value(63), Some(Value::Counter32(6)));
        assert_eq!(value(66), Some(Value::Counter32(4)));
        assert_eq!(value(67), Some(Value::Integer(2)));
    }

    #[test]
    fn disk_io_as_snmpd_serves_it() {
        let tree = Tree::new();
        tree.file(
            "proc/diskstats",
            "   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n \
             254       0 vda 8109154 415250 443895394 11628634 479283 890790 437378912 \
             2180331 0 628820 13925895 659635 122 326769616 114820 20671 2108\n \
             254       1 vda1 10 20 30 40\n   bad line\n",
        );
        let mut h = UcdDiskIo::with_root(tree.path());
        let rows = walk(&mut h, start(), "1.3.6.1.4.1.2021.13.15");
        assert_eq!(rows.len(), 27);
        let value = |s: &str| {
            rows.iter()
                .find(|vb| vb.oid == oid(&format!("1.3.6.1.4.1.2021.13.15.1.1.{s}")))
                .map(|vb| vb.value.clone())
        };
        assert_eq!(value("2.2"), Some(text("vda")));
        assert_eq!(value("3.2"), Some(Value::Counter32(3_936_142_336)));
        assert_eq!(value("12.2"), Some(Value::Counter64(227_274_441_728)));
        assert_eq!(value("5.2"), Some(Value::Counter32(8_109_154)));
        assert_eq!(value("6.2"), Some(Value::Counter32(479_283)));
        assert_eq!(value("14.2"), Some(Value::Counter64(628_820_000)));
        assert_eq!(value("2.3"), Some(text("vda1")));
        assert_eq!(value("13.3"), Some(Value::Counter64(40 * 512)));
    }

    #[cfg(unix)]
    #[test]
    fn disks_as_snmpd_serves_them() {
        let tree = Tree::new();
        tree.dir("data");
        tree.file("proc/mounts", "/dev/vda1 /data ext4 rw 0 0\n");
        let disks = ["/data 1%", "/nowhere", "/other 3%"]
            .map(|l| DiskEntry::parse_line(l).unwrap())
            .to_vec();
        let mut h = UcdDisk::with_root(tree.path(), disks);
        let rows = walk(&mut h, start(), "1.3.6.1.4.1.2021.9");
        // Not mounted: no row 2 (nor 3).
        assert_eq!(rows.len(), 18);
        assert!(rows.iter().all(|vb| vb.oid.as_slice().last() == Some(&1)));
        let value = |s: &str| {
            rows.iter()
                .find(|vb| vb.oid == oid(&format!("1.3.6.1.4.1.2021.9.1.{s}")))
                .map(|vb| vb.value.clone())
                .unwrap()
        };
        let int = |s: &str| match value(s) {
            Value::Integer(n) => i64::from(n),
            Value::Gauge32(n) => i64::from(n),
            v => panic!("{v:?}"),
        };
        // The mounted one: its device, a size, percentages, no error at 1%.
        assert_eq!(value("2.1"), text("/data"));
        assert_eq!(value("3.1"), text("/dev/vda1"));
        assert_eq!((int("4.1"), int("5.1")), (-1, 1));
        assert!(int("6.1") > 0);
        assert!((0..=100).contains(&int("9.1")) && (0..=100).contains(&int("10.1")));
        assert_eq!(int("11.1") + (int("12.1") << 32), int("6.1"));
        assert_eq!(int("100.1"), 0);
        assert_eq!(value("101.1"), text(""));
        // The same path again: both rows take the last minimum.
        let disks = ["/data 1%", "/data 2000000000"]
            .map(|l| DiskEntry::parse_line(l).unwrap())
            .to_vec();
        let rows = walk(
            &mut UcdDisk::with_root(tree.path(), disks),
            start(),
            "1.3.6.1.4.1.2021.9",
        );
        assert_eq!(rows.len(), 2 * 18);
        for row in 1..=2 {
            let minimum = oid(&format!("1.3.6.1.4.1.2021.9.1.4.{row}"));
            let vb = rows.iter().find(|vb| vb.oid == minimum).unwrap();
            assert_eq!(vb.value, Value::Integer(2_000_000_000));
        }
        assert!(DiskEntry::parse_line("").is_err());
    }

    #[test]
    fn processes_as_snmpd_counts_them() {
        let tree = Tree::new();
        for (pid, name) in [(1, "init"), (20, "sshd"), (21, "sshd"), (30, "cron")] {
            tree.file(
                &format!("proc/{pid}/status"),
                format!("Name:\t{name}\nState:\tS\n"),
            );
        }
        tree.file("proc/self/status", "Name:\tnot-a-pid\n");
        let procs = [
            "sshd 1", "httpd", "cron 5 2", "init 0 0", "sshd 0 3", "sshd 2",
        ]
        .map(|l| ProcEntry::parse_line(l).unwrap())
        .to_vec();
        let mut h = UcdProc::with_root(tree.path(), procs);
        let rows = walk(&mut h, start(), "1.3.6.1.4.1.2021.2");
        assert_eq!(rows.len(), 6 * 9);
        let value = |s: &str| {
            rows.iter()
                .find(|vb| vb.oid == oid(&format!("1.3.6.1.4.1.2021.2.1.{s}")))
                .map(|vb| vb.value.clone())
                .unwrap()
        };
        assert_eq!(value("5.1"), Value::Integer(2));
        assert_eq!(value("101.1"), text("Too many sshd running (# = 2)"));
        assert_eq!(
            (value("3.2"), value("4.2")),
            (Value::Integer(1), Value::Integer(0))
        );
        assert_eq!(value("101.2"), text("No httpd process running"));
        assert_eq!(value("101.3"), text("Too few cron running (# = 1)"));
        assert_eq!(value("101.4"), text("init process should not be running."));
        assert_eq!(value("101.5"), text("Too few sshd running (# = 2)"));
        assert_eq!(
            (value("100.6"), value("101.6")),
            (Value::Integer(0), text(""))
        );
        assert_eq!(value("100.1"), Value::Integer(1));
        assert!(ProcEntry::parse_line(" ").is_err());
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
