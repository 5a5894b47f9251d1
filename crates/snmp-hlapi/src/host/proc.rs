//! Parsers of the Linux files the host groups read: `/proc/net/dev`, `/proc/meminfo`,
//! `/proc/mounts`, `/proc/stat`, `/proc/cpuinfo`, `/proc/uptime`, `/run/utmp` and the
//! one-value files of `/sys/class/net/IF/`. Pure functions of the text: a malformed line is
//! skipped, nothing panics.

use std::collections::HashMap;

/// One interface's line of `/proc/net/dev`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct NetDevStats {
    pub(crate) rx_bytes: u64,
    pub(crate) rx_packets: u64,
    pub(crate) rx_errs: u64,
    pub(crate) rx_drop: u64,
    pub(crate) rx_multicast: u64,
    pub(crate) tx_bytes: u64,
    pub(crate) tx_packets: u64,
    pub(crate) tx_errs: u64,
    pub(crate) tx_drop: u64,
}

/// `/proc/net/dev`: the counters by interface name. A line is `NAME: ` and 16 numbers
/// (receive: bytes packets errs drop fifo frame compressed multicast; transmit: bytes packets
/// errs drop fifo colls carrier compressed); the two header lines have no colon before a
/// number list and are skipped like any malformed line.
pub(crate) fn parse_net_dev(text: &str) -> HashMap<String, NetDevStats> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let Some((name, rest)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || name.contains(' ') || name.contains('|') {
            continue;
        }
        let numbers: Option<Vec<u64>> = rest.split_whitespace().map(|n| n.parse().ok()).collect();
        let Some(n) = numbers else {
            continue;
        };
        let [
            rx_bytes,
            rx_packets,
            rx_errs,
            rx_drop,
            _fifo,
            _frame,
            _compressed,
            rx_multicast,
            tx_bytes,
            tx_packets,
            tx_errs,
            tx_drop,
            ..,
        ] = n.as_slice()
        else {
            continue;
        };
        if n.len() < 16 {
            continue;
        }
        out.insert(
            name.to_owned(),
            NetDevStats {
                rx_bytes: *rx_bytes,
                rx_packets: *rx_packets,
                rx_errs: *rx_errs,
                rx_drop: *rx_drop,
                rx_multicast: *rx_multicast,
                tx_bytes: *tx_bytes,
                tx_packets: *tx_packets,
                tx_errs: *tx_errs,
                tx_drop: *tx_drop,
            },
        );
    }
    out
}

/// `/proc/meminfo`: `Key: value kB` lines, values in KiB, by key.
pub(crate) fn parse_meminfo(text: &str) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    for line in text.lines() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let mut words = rest.split_whitespace();
        let Some(Ok(value)) = words.next().map(str::parse::<u64>) else {
            continue;
        };
        // Every sized line is in kB; a line in another unit is not one we know.
        if !matches!(words.next(), None | Some("kB")) {
            continue;
        }
        out.insert(key.trim().to_owned(), value);
    }
    out
}

/// One line of `/proc/mounts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Mount {
    pub(crate) device: String,
    pub(crate) path: String,
    pub(crate) fstype: String,
}

/// `/proc/mounts`: `DEVICE PATH TYPE OPTIONS FREQ PASSNO`, with the kernel's octal escapes
/// (`\040` for a space) undone in the device and the path.
pub(crate) fn parse_mounts(text: &str) -> Vec<Mount> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let (Some(device), Some(path), Some(fstype)) = (words.next(), words.next(), words.next())
        else {
            continue;
        };
        let path = unescape_octal(path);
        if !path.starts_with('/') {
            continue;
        }
        out.push(Mount {
            device: unescape_octal(device),
            path,
            fstype: fstype.to_owned(),
        });
    }
    out
}

/// Undoes `\NNN` (three octal digits) escapes; anything else is kept as is.
fn unescape_octal(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\\'
            && let Some(digits) = bytes.get(i + 1..i + 4)
            && let Ok(digits) = std::str::from_utf8(digits)
            && digits.bytes().all(|d| (b'0'..=b'7').contains(&d))
            && let Ok(v) = u8::from_str_radix(digits, 8)
        {
            out.push(v);
            i += 4;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One processor's line of `/proc/stat`: jiffies spent busy and in all.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct CpuTimes {
    pub(crate) busy: u64,
    pub(crate) total: u64,
}

/// `/proc/stat`: the `cpuN` lines in order (not the `cpu` sum). The total is user + nice +
/// system + idle + iowait + irq + softirq + steal (guest time is already in user); busy is
/// the total less idle and iowait. A `cpuN` line with fewer than four numbers is skipped.
pub(crate) fn parse_stat_cpus(text: &str) -> Vec<CpuTimes> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut words = line.split_whitespace();
        let Some(label) = words.next() else {
            continue;
        };
        let Some(n) = label.strip_prefix("cpu") else {
            continue;
        };
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let numbers: Option<Vec<u64>> = words.take(8).map(|w| w.parse().ok()).collect();
        let Some(numbers) = numbers else {
            continue;
        };
        if numbers.len() < 4 {
            continue;
        }
        let total = numbers.iter().fold(0u64, |a, &b| a.saturating_add(b));
        let idle = numbers
            .get(3)
            .copied()
            .unwrap_or(0)
            .saturating_add(numbers.get(4).copied().unwrap_or(0));
        out.push(CpuTimes {
            busy: total.saturating_sub(idle),
            total,
        });
    }
    out
}

/// `/proc/cpuinfo`: one description per `processor` block, net-snmp's
/// `"VENDOR: MODEL NAME"` (or the one of the two present, or `""`).
pub(crate) fn parse_cpuinfo(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut block: Option<(Option<String>, Option<String>)> = None;
    let finish = |block: Option<(Option<String>, Option<String>)>, out: &mut Vec<String>| {
        if let Some((vendor, model)) = block {
            out.push(match (vendor, model) {
                (Some(v), Some(m)) => format!("{v}: {m}"),
                (Some(one), None) | (None, Some(one)) => one,
                (None, None) => String::new(),
            });
        }
    };
    for line in text.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        match key {
            "processor" if value.parse::<u32>().is_ok() => {
                finish(block.take(), &mut out);
                block = Some((None, None));
            }
            "vendor_id" => {
                if let Some((vendor, _)) = &mut block {
                    *vendor = Some(value.to_owned());
                }
            }
            "model name" => {
                if let Some((_, model)) = &mut block {
                    *model = Some(value.to_owned());
                }
            }
            _ => {}
        }
    }
    finish(block, &mut out);
    out
}

/// `/proc/uptime`: the first number, seconds with a fraction, in hundredths of a second.
pub(crate) fn parse_uptime(text: &str) -> Option<u64> {
    let first = text.split_whitespace().next()?;
    let (secs, frac) = first.split_once('.').unwrap_or((first, ""));
    let secs: u64 = secs.parse().ok()?;
    let mut hundredths = 0u64;
    let mut digits = frac.bytes();
    for scale in [10u64, 1] {
        match digits.next() {
            Some(d) if d.is_ascii_digit() => hundredths += u64::from(d - b'0') * scale,
            Some(_) => return None,
            None => break,
        }
    }
    secs.checked_mul(100)?.checked_add(hundredths)
}

/// A decimal number alone in a file (`/sys/class/net/IF/mtu`, `/proc/sys/kernel/pid_max`).
pub(crate) fn parse_number<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.trim().parse().ok()
}

/// `/sys/class/net/IF/flags`: `0x1003`.
pub(crate) fn parse_hex_flags(text: &str) -> Option<u32> {
    let t = text.trim();
    let digits = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"))?;
    u32::from_str_radix(digits, 16).ok()
}

/// `/sys/class/net/IF/address`: `02:fc:00:00:00:01`, colon-separated hex octets.
pub(crate) fn parse_mac(text: &str) -> Option<Vec<u8>> {
    let t = text.trim();
    if t.is_empty() {
        return Some(Vec::new());
    }
    t.split(':')
        .map(|h| match h.len() {
            1 | 2 => u8::from_str_radix(h, 16).ok(),
            _ => None,
        })
        .collect()
}

/// The size of a `struct utmp` record on Linux (glibc and musl, 32 and 64 bits alike).
const UTMP_RECORD: usize = 384;
/// `ut_type` of a logged-in user.
const USER_PROCESS: i16 = 7;

/// `/run/utmp`: the PIDs of the `USER_PROCESS` records (`ut_type`, a native-endian `short`
/// at offset 0; `ut_pid`, an `int` at offset 4). A trailing partial record is ignored.
pub(crate) fn utmp_user_pids(bytes: &[u8]) -> Vec<i32> {
    bytes
        .chunks_exact(UTMP_RECORD)
        .filter_map(|rec| {
            let kind = i16::from_ne_bytes(rec.get(0..2)?.try_into().ok()?);
            let pid = i32::from_ne_bytes(rec.get(4..8)?.try_into().ok()?);
            (kind == USER_PROCESS && pid > 0).then_some(pid)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NET_DEV: &str = "\
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 3952615   35982    0    0    0     0          0         0  3952615   35982    0    0    0     0       0          0
  eth0: 8589934597 11701    3    4    0     0          0         7   741483    7860    5    6    0     0       0          0
  bad0: 1 2 3
  bad1: 1 2 x 4 5 6 7 8 9 10 11 12 13 14 15 16
garbage line
";

    #[test]
    fn net_dev_lines_and_malformed_ones() {
        let stats = parse_net_dev(NET_DEV);
        assert_eq!(stats.len(), 2, "{stats:?}");
        let eth0 = &stats["eth0"];
        assert_eq!(eth0.rx_bytes, 8_589_934_597);
        assert_eq!(eth0.rx_packets, 11701);
        assert_eq!((eth0.rx_errs, eth0.rx_drop, eth0.rx_multicast), (3, 4, 7));
        assert_eq!((eth0.tx_bytes, eth0.tx_packets), (741_483, 7860));
        assert_eq!((eth0.tx_errs, eth0.tx_drop), (5, 6));
        assert_eq!(stats["lo"].tx_packets, 35982);
        assert!(parse_net_dev("").is_empty());
        assert!(parse_net_dev(":::\n: 1 2\n").is_empty());
    }

    #[test]
    fn meminfo_keys() {
        let m = parse_meminfo(
            "MemTotal:       24684084 kB\nMemFree: 100 kB\nHugePages_Total:       0\n\
             Broken: x kB\nOdd: 5 MB\nnocolon 5\n",
        );
        assert_eq!(m["MemTotal"], 24_684_084);
        assert_eq!(m["MemFree"], 100);
        assert_eq!(m["HugePages_Total"], 0);
        assert!(!m.contains_key("Broken") && !m.contains_key("Odd"));
        assert_eq!(m.len(), 3);
    }

    #[test]
    fn mounts_with_escapes() {
        let m = parse_mounts(
            "/dev/vda / ext4 rw,relatime 0 0\n\
             tmpfs /mnt/my\\040disk tmpfs rw 0 0\n\
             short line\n\
             none relative tmpfs rw 0 0\n\
             x /a\\0 tmpfs rw 0 0\n",
        );
        assert_eq!(m.len(), 3, "{m:?}");
        assert_eq!(m[0].path, "/");
        assert_eq!(m[0].fstype, "ext4");
        assert_eq!(m[0].device, "/dev/vda");
        assert_eq!(m[1].path, "/mnt/my disk");
        assert_eq!(m[2].path, "/a\\0");
    }

    #[test]
    fn stat_cpus() {
        let cpus = parse_stat_cpus(
            "cpu  474219 18358 67867 1626557 10883 0 940 178 0 0\n\
             cpu0 100 0 50 800 50 0 0 0 7 7\n\
             cpu1 1 2 3\n\
             cpu2 10 0 0 90\n\
             cpux 1 2 3 4\n\
             cpu3 a b c d\n\
             intr 1 2 3\n",
        );
        assert_eq!(
            cpus,
            [
                CpuTimes {
                    busy: 150,
                    total: 1000
                },
                CpuTimes {
                    busy: 10,
                    total: 100
                }
            ]
        );
    }

    #[test]
    fn cpuinfo_descriptions() {
        let d = parse_cpuinfo(
            "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R)\n\n\
             processor\t: 1\nmodel name\t: Cortex\n\nprocessor : 2\n\n\
             vendor_id : stray\nprocessor : x\n",
        );
        assert_eq!(d, ["GenuineIntel: Intel(R) Xeon(R)", "Cortex", "stray"]);
        assert!(parse_cpuinfo("model name: orphan\n").is_empty());
    }

    #[test]
    fn uptime_in_hundredths() {
        assert_eq!(parse_uptime("10992.82 20000.00\n"), Some(1_099_282));
        assert_eq!(parse_uptime("5.3 1"), Some(530));
        assert_eq!(parse_uptime("7"), Some(700));
        assert_eq!(parse_uptime("7.999"), Some(799));
        assert_eq!(parse_uptime("x.5"), None);
        assert_eq!(parse_uptime("1.x"), None);
        assert_eq!(parse_uptime(""), None);
        assert_eq!(parse_uptime("184467440737095516150"), None);
    }

    #[test]
    fn sysfs_values() {
        assert_eq!(parse_number::<u32>(" 1500\n"), Some(1500));
        assert_eq!(parse_number::<i64>("-1\n"), Some(-1));
        assert_eq!(parse_number::<u32>("x"), None);
        assert_eq!(parse_hex_flags("0x1003\n"), Some(0x1003));
        assert_eq!(parse_hex_flags("1003"), None);
        assert_eq!(parse_hex_flags("0xzz"), None);
        assert_eq!(
            parse_mac("02:fc:00:00:00:01\n"),
            Some(vec![2, 0xfc, 0, 0, 0, 1])
        );
        assert_eq!(parse_mac("\n"), Some(vec![]));
        assert_eq!(parse_mac("02:fc:0g"), None);
        assert_eq!(parse_mac("02:fcc"), None);
    }

    #[test]
    fn utmp_records() {
        let mut bytes = vec![0u8; UTMP_RECORD * 3 + 10];
        for (i, (kind, pid)) in [(7i16, 42i32), (8, 43), (7, 0)].into_iter().enumerate() {
            let at = i * UTMP_RECORD;
            bytes[at..at + 2].copy_from_slice(&kind.to_ne_bytes());
            bytes[at + 4..at + 8].copy_from_slice(&pid.to_ne_bytes());
        }
        assert_eq!(utmp_user_pids(&bytes), [42]);
        assert!(utmp_user_pids(&bytes[..100]).is_empty());
    }
}
