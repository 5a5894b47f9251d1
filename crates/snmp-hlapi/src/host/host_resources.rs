//! HOST-RESOURCES-MIB (RFC 2790): hrSystem from `/proc/uptime`, `/proc/cmdline`, `/run/utmp`
//! and `/proc`; hrStorage from `/proc/meminfo` and the filesystems of `/proc/mounts`
//! (statvfs); the processors and network interfaces of hrDevice from `/proc/stat`,
//! `/proc/cpuinfo` and `/sys/class/net`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use snmp_engine::{MibHandler, RequestInfo};
use snmp_smi::{Oid, Value, VarBind};

use super::if_mib::{read_interfaces, zero_dot_zero};
use super::proc::{self, CpuTimes};
use super::{Refresh, Snapshot, oid_of, read_text};

/// `hrSystem`.
const HR_SYSTEM: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 1];
/// `hrStorage`.
const HR_STORAGE: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 2];
/// `hrStorageEntry`.
const HR_STORAGE_ENTRY: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 2, 3, 1];
/// `hrStorageTypes`.
const HR_STORAGE_TYPES: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 2, 1];
/// `hrDevice`.
const HR_DEVICE: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 3];
/// `hrDeviceEntry`.
const HR_DEVICE_ENTRY: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 3, 2, 1];
/// `hrProcessorEntry`.
const HR_PROCESSOR_ENTRY: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 3, 3, 1];
/// `hrNetworkEntry`.
const HR_NETWORK_ENTRY: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 3, 4, 1];
/// `hrDeviceProcessor`.
const HR_DEVICE_PROCESSOR: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 3, 1, 3];
/// `hrDeviceNetwork`.
const HR_DEVICE_NETWORK: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 3, 1, 4];

const SYSTEM_OBJECTS: &[(&[u32], &[u32])] = &[(HR_SYSTEM, &[1, 2, 3, 4, 5, 6, 7])];
const STORAGE_OBJECTS: &[(&[u32], &[u32])] = &[
    (HR_STORAGE, &[2]),
    (HR_STORAGE_ENTRY, &[1, 2, 3, 4, 5, 6, 7]),
];
const DEVICE_OBJECTS: &[(&[u32], &[u32])] = &[
    (HR_DEVICE_ENTRY, &[1, 2, 3, 4, 5, 6]),
    (HR_PROCESSOR_ENTRY, &[1, 2]),
    (HR_NETWORK_ENTRY, &[1]),
];

/// hrSystemUptime.0.
const UPTIME: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 1, 1, 0];
/// hrSystemDate.0.
const DATE: &[u32] = &[1, 3, 6, 1, 2, 1, 25, 1, 2, 0];
/// net-snmp's hrSystemInitialLoadDevice: the first disk of hrDeviceTable (hrDeviceDisk,
/// 6, shifted 16 bits).
const INITIAL_LOAD_DEVICE: i32 = 6 << 16;
/// The first hrDeviceIndex of the processors (hrDeviceProcessor, 3, shifted 16 bits).
const FIRST_PROCESSOR: u32 = 3 << 16;
/// The hrDeviceIndex of the network interfaces less their ifIndex (hrDeviceNetwork, 4,
/// shifted 16 bits).
const NETWORK_BASE: u32 = 4 << 16;
/// hrDeviceStatus running(2) and down(5).
const RUNNING: i32 = 2;
const DOWN: i32 = 5;
/// The first hrStorageIndex of the filesystems, after the memory rows (net-snmp's).
const FIRST_FILESYSTEM: u32 = 31;
/// InternationalDisplayString (SIZE (0..128)) of hrSystemInitialLoadParameters.
const MAX_LOAD_PARAMETERS: usize = 128;
/// The largest hrStorageSize (Integer32, 0..2147483647).
const MAX_STORAGE: u64 = 0x7fff_ffff;

/// The wall clock of the default [`HrSystem`]: hrSystemDate is the time of day, which only
/// the operating system's clock knows.
#[allow(
    clippy::disallowed_methods,
    reason = "hrSystemDate is the host's time of day: the OS clock is the data"
)]
fn system_clock() -> SystemTime {
    SystemTime::now()
}

/// A DateAndTime (SNMPv2-TC) of 11 octets, in UTC: year (2 octets), month, day, hour,
/// minutes, seconds, deci-seconds, `+`, 0, 0. A time before 1970 reads as 1970-01-01.
pub(crate) fn date_and_time(t: SystemTime) -> Vec<u8> {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days(secs / 86_400);
    let of_day = secs % 86_400;
    let byte = |v: u64| u8::try_from(v).unwrap_or(0);
    let [hi, lo] = u16::try_from(year).unwrap_or(u16::MAX).to_be_bytes();
    vec![
        hi,
        lo,
        byte(month),
        byte(day),
        byte(of_day / 3600),
        byte(of_day / 60 % 60),
        byte(of_day % 60),
        byte(u64::from(since.subsec_millis() / 100)),
        b'+',
        0,
        0,
    ]
}

/// The (year, month, day) of a day counted from 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// Whether `proc/PID` exists under `root`.
fn alive(root: &Path, pid: i32) -> bool {
    root.join("proc").join(pid.to_string()).is_dir()
}

/// The number of numeric directories of `proc` under `root`, if it can be listed.
fn count_processes(root: &Path) -> Option<u32> {
    let dir = std::fs::read_dir(root.join("proc")).ok()?;
    let n = dir
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_str()
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .count();
    Some(u32::try_from(n).unwrap_or(u32::MAX))
}

/// hrSystem as read at one time, and what the dynamic values need.
fn system_snapshot(root: &Path) -> (Snapshot, Option<u64>) {
    let mut s = Snapshot::default();
    let uptime = read_text(root, "proc/uptime").and_then(|t| proc::parse_uptime(&t));
    if uptime.is_some() {
        s.push(HR_SYSTEM, &[1, 0], Value::TimeTicks(0));
    }
    s.push(HR_SYSTEM, &[2, 0], Value::Null);
    if let Some(cmdline) = read_text(root, "proc/cmdline") {
        let mut params = cmdline.trim_end_matches(['\n', '\0']).as_bytes().to_vec();
        params.truncate(MAX_LOAD_PARAMETERS);
        s.push(HR_SYSTEM, &[3, 0], Value::Integer(INITIAL_LOAD_DEVICE));
        s.push(HR_SYSTEM, &[4, 0], Value::OctetString(Bytes::from(params)));
    }
    if let Some(processes) = count_processes(root) {
        let users = std::fs::read(root.join("run/utmp"))
            .map(|b| proc::utmp_user_pids(&b))
            .unwrap_or_default()
            .into_iter()
            .filter(|&pid| alive(root, pid))
            .count();
        s.push(
            HR_SYSTEM,
            &[5, 0],
            Value::Gauge32(u32::try_from(users).unwrap_or(u32::MAX)),
        );
        s.push(HR_SYSTEM, &[6, 0], Value::Gauge32(processes));
    }
    if let Some(max) = read_text(root, "proc/sys/kernel/pid_max")
        .and_then(|t| proc::parse_number::<i32>(&t))
        .filter(|&m| m >= 0)
    {
        s.push(HR_SYSTEM, &[7, 0], Value::Integer(max));
    }
    (s.finish(), uptime)
}

/// The hrSystem group of HOST-RESOURCES-MIB (`1.3.6.1.2.1.25.1`): hrSystemUptime (from
/// `/proc/uptime`, advanced by the request clock between two reads), hrSystemDate (UTC, from
/// the wall clock at each request), hrSystemInitialLoadDevice (net-snmp's 393216) and
/// hrSystemInitialLoadParameters (`/proc/cmdline`, at most 128 octets), hrSystemNumUsers (the
/// USER_PROCESS records of `/run/utmp` whose process lives), hrSystemProcesses (the numeric
/// directories of `/proc`) and hrSystemMaxProcesses (`/proc/sys/kernel/pid_max`; net-snmp
/// says 0).
#[derive(Debug)]
pub struct HrSystem {
    root: PathBuf,
    refresh: Refresh,
    snapshot: Snapshot,
    clock: fn() -> SystemTime,
    /// hrSystemUptime at the last read, and the request clock then.
    uptime: Option<(Instant, u64)>,
}

impl HrSystem {
    /// The subtree it serves: `hrSystem`, 1.3.6.1.2.1.25.1.
    pub const SUBTREE: &'static [u32] = HR_SYSTEM;

    /// Reads the system under `/`.
    pub fn new() -> Self {
        Self::with_root("/")
    }

    /// Reads `proc` and `run/utmp` under `root`.
    pub fn with_root(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            refresh: Refresh::new(),
            snapshot: Snapshot::default(),
            clock: system_clock,
            uptime: None,
        }
    }

    /// Sets how long a snapshot is served ([`DEFAULT_CACHE_PERIOD`](super::DEFAULT_CACHE_PERIOD)
    /// by default).
    pub fn cache_period(&mut self, period: Duration) -> &mut Self {
        self.refresh.period = period;
        self
    }

    /// Sets the wall clock of hrSystemDate (by default the system's).
    pub fn clock(&mut self, clock: fn() -> SystemTime) -> &mut Self {
        self.clock = clock;
        self
    }

    fn refresh(&mut self, info: &RequestInfo<'_>) {
        if self.refresh.due(info.now) {
            let (snapshot, uptime) = system_snapshot(&self.root);
            self.snapshot = snapshot;
            self.uptime = uptime.map(|u| (info.now, u));
        }
        if let Some((at, ticks)) = self.uptime {
            let since = info.now.saturating_duration_since(at).as_millis() / 10;
            let ticks = u128::from(ticks).saturating_add(since) & 0xffff_ffff;
            let ticks = u32::try_from(ticks).unwrap_or(0);
            self.snapshot.set(&oid_of(UPTIME), Value::TimeTicks(ticks));
        }
        let date = date_and_time((self.clock)());
        self.snapshot
            .set(&oid_of(DATE), Value::OctetString(Bytes::from(date)));
    }
}

impl Default for HrSystem {
    fn default() -> Self {
        Self::new()
    }
}

impl MibHandler for HrSystem {
    fn get(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Value {
        self.refresh(info);
        self.snapshot.get(SYSTEM_OBJECTS, oid)
    }

    fn get_next(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        self.refresh(info);
        self.snapshot.next(oid)
    }
}

/// One row of hrStorageTable before scaling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StorageRow {
    pub(crate) index: u32,
    /// The last arc of the hrStorageTypes OID.
    pub(crate) kind: u32,
    pub(crate) descr: String,
    pub(crate) units: u64,
    pub(crate) size: u64,
    pub(crate) used: u64,
}

/// hrStorageOther, hrStorageRam, hrStorageVirtualMemory, hrStorageFixedDisk,
/// hrStorageNetworkDisk.
const OTHER: u32 = 1;
const RAM: u32 = 2;
const VIRTUAL_MEMORY: u32 = 3;
const FIXED_DISK: u32 = 4;
const NETWORK_DISK: u32 = 10;

/// The memory rows of net-snmp, from `/proc/meminfo` (KiB, so 1024-octet units): Physical
/// memory (used: total less free), Virtual memory (physical and swap), Memory buffers,
/// Cached memory (page cache and reclaimable slab), Shared memory, Swap space, Available
/// memory, each only when its lines are there.
pub(crate) fn memory_rows(meminfo: &std::collections::HashMap<String, u64>) -> Vec<StorageRow> {
    let mut rows = Vec::new();
    let Some(&total) = meminfo.get("MemTotal") else {
        return rows;
    };
    let value = |key: &str| meminfo.get(key).copied();
    let free = value("MemFree").unwrap_or(0);
    let swap_total = value("SwapTotal");
    let swap_used = swap_total
        .unwrap_or(0)
        .saturating_sub(value("SwapFree").unwrap_or(0));
    let mut row = |index, kind, descr: &str, size, used| {
        rows.push(StorageRow {
            index,
            kind,
            descr: descr.to_owned(),
            units: 1024,
            size,
            used,
        });
    };
    let phys_used = total.saturating_sub(free);
    row(1, RAM, "Physical memory", total, phys_used);
    row(
        3,
        VIRTUAL_MEMORY,
        "Virtual memory",
        total.saturating_add(swap_total.unwrap_or(0)),
        phys_used.saturating_add(swap_used),
    );
    if let Some(buffers) = value("Buffers") {
        row(6, OTHER, "Memory buffers", total, buffers);
    }
    if let Some(cached) = value("Cached") {
        let cached = cached.saturating_add(value("SReclaimable").unwrap_or(0));
        row(7, OTHER, "Cached memory", cached, cached);
    }
    if let Some(shared) = value("Shmem") {
        row(8, OTHER, "Shared memory", shared, shared);
    }
    if let Some(swap_total) = swap_total {
        row(10, VIRTUAL_MEMORY, "Swap space", swap_total, swap_used);
    }
    if let Some(available) = value("MemAvailable") {
        row(11, OTHER, "Available memory", available, 0);
    }
    rows
}

/// The hrStorageType of a filesystem type, `None` for the pseudo filesystems net-snmp
/// leaves out (proc, sysfs, devtmpfs, devpts, cgroup...).
fn filesystem_kind(fstype: &str) -> Option<u32> {
    match fstype {
        "nfs" | "nfs4" | "cifs" | "smbfs" | "smb3" | "afs" | "ncpfs" => Some(NETWORK_DISK),
        "ext2" | "ext3" | "ext4" | "xfs" | "btrfs" | "jfs" | "reiserfs" | "zfs" | "f2fs"
        | "vfat" | "msdos" | "exfat" | "ntfs" | "ntfs3" | "fuseblk" | "hfs" | "hfsplus" | "ufs"
        | "tmpfs" | "iso9660" | "udf" | "simfs" | "nilfs2" | "bcachefs" => Some(FIXED_DISK),
        _ => None,
    }
}

/// `(units, blocks, used blocks)` of the filesystem holding `path`.
#[cfg(unix)]
fn filesystem_usage(path: &Path) -> Option<(u64, u64, u64)> {
    let st = rustix::fs::statvfs(path).ok()?;
    let units = if st.f_frsize > 0 {
        st.f_frsize
    } else {
        st.f_bsize
    };
    Some((units, st.f_blocks, st.f_blocks.saturating_sub(st.f_bfree)))
}

#[cfg(not(unix))]
fn filesystem_usage(_: &Path) -> Option<(u64, u64, u64)> {
    None
}

/// The filesystem rows: the mount points of `proc/mounts` in order, each counted once (the
/// first mount of a path), numbered from 31 as net-snmp does, pseudo filesystems and
/// those statvfs fails on left out (their numbers stay taken).
pub(crate) fn filesystem_rows(root: &Path, mounts: &[proc::Mount]) -> Vec<StorageRow> {
    let mut seen: Vec<&str> = Vec::new();
    let mut rows = Vec::new();
    for m in mounts {
        if seen.contains(&m.path.as_str()) {
            continue;
        }
        seen.push(&m.path);
        let Some(index) = u32::try_from(seen.len() - 1)
            .ok()
            .and_then(|n| n.checked_add(FIRST_FILESYSTEM))
            .filter(|&i| i <= 0x7fff_ffff)
        else {
            break;
        };
        let Some(kind) = filesystem_kind(&m.fstype) else {
            continue;
        };
        let Some((units, size, used)) =
            filesystem_usage(&root.join(m.path.trim_start_matches('/')))
        else {
            continue;
        };
        rows.push(StorageRow {
            index,
            kind,
            descr: m.path.clone(),
            units,
            size,
            used,
        });
    }
    rows
}

/// hrStorageAllocationUnits, hrStorageSize and hrStorageUsed as Integer32: the units doubled
/// (and the counts halved) until the size fits, as net-snmp does for large filesystems.
pub(crate) fn fit_storage(units: u64, size: u64, used: u64) -> (i32, i32, i32) {
    let (mut units, mut size, mut used) = (units, size, used);
    while size > MAX_STORAGE && units <= MAX_STORAGE / 2 {
        units *= 2;
        size /= 2;
        used /= 2;
    }
    let int = |v: u64| i32::try_from(v.min(MAX_STORAGE)).unwrap_or(i32::MAX);
    (int(units), int(size), int(used))
}

fn storage_snapshot(root: &Path) -> Snapshot {
    let mut s = Snapshot::default();
    let meminfo = read_text(root, "proc/meminfo")
        .map(|t| proc::parse_meminfo(&t))
        .unwrap_or_default();
    if let Some(&total) = meminfo.get("MemTotal") {
        let kb = i32::try_from(total.min(MAX_STORAGE)).unwrap_or(i32::MAX);
        s.push(HR_STORAGE, &[2, 0], Value::Integer(kb));
    }
    let mounts = read_text(root, "proc/mounts")
        .map(|t| proc::parse_mounts(&t))
        .unwrap_or_default();
    let rows = memory_rows(&meminfo)
        .into_iter()
        .chain(filesystem_rows(root, &mounts));
    for row in rows {
        let Ok(index) = i32::try_from(row.index) else {
            continue;
        };
        let col = |c: u32| [c, row.index];
        let (units, size, used) = fit_storage(row.units, row.size, row.used);
        let kind = Oid::from_slice(HR_STORAGE_TYPES)
            .and_then(|o| o.child(row.kind))
            .unwrap_or_default();
        s.push(HR_STORAGE_ENTRY, &col(1), Value::Integer(index));
        s.push(HR_STORAGE_ENTRY, &col(2), Value::ObjectIdentifier(kind));
        s.push(
            HR_STORAGE_ENTRY,
            &col(3),
            Value::OctetString(Bytes::from(row.descr.into_bytes())),
        );
        s.push(HR_STORAGE_ENTRY, &col(4), Value::Integer(units));
        s.push(HR_STORAGE_ENTRY, &col(5), Value::Integer(size));
        s.push(HR_STORAGE_ENTRY, &col(6), Value::Integer(used));
        s.push(HR_STORAGE_ENTRY, &col(7), Value::Counter32(0));
    }
    s.finish()
}

snapshot_handler! {
    /// The hrStorage group of HOST-RESOURCES-MIB (`1.3.6.1.2.1.25.2`): hrMemorySize.0 (KiB) and
    /// the hrStorageTable of net-snmp: the memory rows of `/proc/meminfo` at indexes 1 to 11
    /// (Physical memory, Virtual memory, Memory buffers, Cached memory, Shared memory, Swap
    /// space, Available memory), then the mounted filesystems of `/proc/mounts` from index 31,
    /// sized by statvfs (pseudo filesystems left out). hrStorageAllocationFailures is 0.
    HrStorage {
        subtree: HR_STORAGE, "`hrStorage`, 1.3.6.1.2.1.25.2",
        reads: "`proc/meminfo` and `proc/mounts`, and the filesystems mounted at `root` joined with each mount point,",
        objects: STORAGE_OBJECTS,
        load: storage_snapshot,
    }
}

/// The load of each processor between two readings of `/proc/stat`, in percent: the share
/// of busy jiffies; 0 without an earlier reading of it or if no time passed.
pub(crate) fn processor_loads(before: &[CpuTimes], now: &[CpuTimes]) -> Vec<i32> {
    now.iter()
        .enumerate()
        .map(|(i, cur)| {
            let Some(prev) = before.get(i) else {
                return 0;
            };
            let total = cur.total.saturating_sub(prev.total);
            let busy = cur.busy.saturating_sub(prev.busy).min(total);
            match total {
                0 => 0,
                _ => i32::try_from(busy.saturating_mul(100) / total).unwrap_or(100),
            }
        })
        .collect()
}

/// The processors and network interfaces of hrDevice in HOST-RESOURCES-MIB
/// (`1.3.6.1.2.1.25.3`), numbered as net-snmp numbers them:
///
/// - one hrDeviceTable row per processor of `/proc/stat`, from 196608 (hrDeviceType
///   hrDeviceProcessor, hrDeviceDescr `"VENDOR: MODEL"` from `/proc/cpuinfo`, hrDeviceID
///   `0.0`, hrDeviceStatus running(2); hrDeviceErrors left out as net-snmp does for
///   processors), and its hrProcessorTable row (hrProcessorFrwID `0.0`, hrProcessorLoad: the
///   percentage of busy time between the last two readings, 0 at the first);
/// - one hrDeviceTable row per interface of `/sys/class/net`, at 262144 + ifIndex
///   (hrDeviceNetwork, `"network interface NAME"`, `0.0`, running(2) if up else down(5),
///   hrDeviceErrors: its receive and transmit errors), and its hrNetworkTable row
///   (hrNetworkIfIndex).
///
/// The other device kinds (disks, partitions, hrFSTable) are not served.
#[derive(Debug)]
pub struct HrDevice {
    root: PathBuf,
    refresh: Refresh,
    snapshot: Snapshot,
    cpu_times: Vec<CpuTimes>,
}

impl HrDevice {
    /// The subtree it serves: `hrDevice`, 1.3.6.1.2.1.25.3.
    pub const SUBTREE: &'static [u32] = HR_DEVICE;

    /// Reads the system under `/`.
    pub fn new() -> Self {
        Self::with_root("/")
    }

    /// Reads `proc/stat`, `proc/cpuinfo`, `proc/net/dev` and `sys/class/net` under `root`.
    pub fn with_root(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            refresh: Refresh::new(),
            snapshot: Snapshot::default(),
            cpu_times: Vec::new(),
        }
    }

    /// Sets how long a snapshot is served ([`DEFAULT_CACHE_PERIOD`](super::DEFAULT_CACHE_PERIOD)
    /// by default): also the interval hrProcessorLoad is measured over.
    pub fn cache_period(&mut self, period: Duration) -> &mut Self {
        self.refresh.period = period;
        self
    }

    fn refresh(&mut self, info: &RequestInfo<'_>) {
        if !self.refresh.due(info.now) {
            return;
        }
        let times = read_text(&self.root, "proc/stat")
            .map(|t| proc::parse_stat_cpus(&t))
            .unwrap_or_default();
        let descrs = read_text(&self.root, "proc/cpuinfo")
            .map(|t| proc::parse_cpuinfo(&t))
            .unwrap_or_default();
        let loads = processor_loads(&self.cpu_times, &times);
        let mut s = Snapshot::default();
        for (n, load) in loads.iter().enumerate() {
            let Some(index) = u32::try_from(n)
                .ok()
                .and_then(|n| n.checked_add(FIRST_PROCESSOR))
            else {
                break;
            };
            let descr = descrs.get(n).cloned().unwrap_or_default();
            let col = |c: u32| [c, index];
            s.push(
                HR_DEVICE_ENTRY,
                &col(1),
                Value::Integer(i32::try_from(index).unwrap_or(0)),
            );
            s.push(
                HR_DEVICE_ENTRY,
                &col(2),
                Value::ObjectIdentifier(oid_of(HR_DEVICE_PROCESSOR)),
            );
            s.push(
                HR_DEVICE_ENTRY,
                &col(3),
                Value::OctetString(Bytes::from(descr.into_bytes())),
            );
            s.push(HR_DEVICE_ENTRY, &col(4), zero_dot_zero());
            s.push(HR_DEVICE_ENTRY, &col(5), Value::Integer(RUNNING));
            s.push(HR_PROCESSOR_ENTRY, &col(1), zero_dot_zero());
            s.push(HR_PROCESSOR_ENTRY, &col(2), Value::Integer(*load));
        }
        for interface in read_interfaces(&self.root) {
            let Some(index) = interface
                .index
                .checked_add(NETWORK_BASE)
                .filter(|&i| i <= 0x7fff_ffff)
            else {
                continue;
            };
            let col = |c: u32| [c, index];
            let descr = format!("network interface {}", interface.name);
            let status = if interface.admin_status() == 1 {
                RUNNING
            } else {
                DOWN
            };
            let errors = interface
                .stats
                .rx_errs
                .wrapping_add(interface.stats.tx_errs)
                & 0xffff_ffff;
            s.push(
                HR_DEVICE_ENTRY,
                &col(1),
                Value::Integer(i32::try_from(index).unwrap_or(0)),
            );
            s.push(
                HR_DEVICE_ENTRY,
                &col(2),
                Value::ObjectIdentifier(oid_of(HR_DEVICE_NETWORK)),
            );
            s.push(
                HR_DEVICE_ENTRY,
                &col(3),
                Value::OctetString(Bytes::from(descr.into_bytes())),
            );
            s.push(HR_DEVICE_ENTRY, &col(4), zero_dot_zero());
            s.push(HR_DEVICE_ENTRY, &col(5), Value::Integer(status));
            s.push(
                HR_DEVICE_ENTRY,
                &col(6),
                Value::Counter32(u32::try_from(errors).unwrap_or(0)),
            );
            s.push(
                HR_NETWORK_ENTRY,
                &col(1),
                Value::Integer(i32::try_from(interface.index).unwrap_or(0)),
            );
        }
        self.snapshot = s.finish();
        self.cpu_times = times;
    }
}

impl Default for HrDevice {
    fn default() -> Self {
        Self::new()
    }
}

impl MibHandler for HrDevice {
    fn get(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Value {
        self.refresh(info);
        self.snapshot.get(DEVICE_OBJECTS, oid)
    }

    fn get_next(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        self.refresh(info);
        self.snapshot.next(oid)
    }
}

#[cfg(test)]
mod tests {
    use super::super::DEFAULT_CACHE_PERIOD;
    use super::super::fixture::{Tree, info, lines, oid, start, walk};
    use super::*;

    fn fixed_clock() -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(1_700_000_000_500)
    }

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_088), (2024, 12, 31));
        assert_eq!(
            date_and_time(fixed_clock()),
            [0x07, 0xe7, 11, 14, 22, 13, 20, 5, b'+', 0, 0]
        );
        assert_eq!(
            date_and_time(UNIX_EPOCH - Duration::from_secs(5)),
            [0x07, 0xb2, 1, 1, 0, 0, 0, 0, b'+', 0, 0]
        );
    }

    fn utmp(records: &[(i16, i32)]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for &(kind, pid) in records {
            let mut rec = vec![0u8; 384];
            rec[0..2].copy_from_slice(&kind.to_ne_bytes());
            rec[4..8].copy_from_slice(&pid.to_ne_bytes());
            bytes.extend(rec);
        }
        bytes
    }

    #[test]
    fn hr_system_get_and_walk() {
        let tree = Tree::new();
        tree.file("proc/uptime", "100.50 3.00\n")
            .file("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda ro\n")
            .file("proc/sys/kernel/pid_max", "4194304\n")
            .file("proc/self", "not a directory")
            .file("proc/meminfo", "MemTotal: 1 kB\n")
            .dir("proc/1")
            .dir("proc/42")
            .dir("proc/4x2")
            .file("run/utmp", utmp(&[(7, 42), (7, 99), (8, 1), (6, 1)]));
        let now = start();
        let mut h = HrSystem::with_root(tree.path());
        h.clock(fixed_clock);
        let all = walk(&mut h, now, "1.3.6.1.2.1.25.1");
        assert_eq!(
            lines(&all),
            [
                "1.3.6.1.2.1.25.1.1.0 = TimeTicks(10050)",
                "1.3.6.1.2.1.25.1.2.0 = OctetString(b\"\\x07\\xe7\\x0b\\x0e\\x16\\r\\x14\\x05+\\0\\0\")",
                "1.3.6.1.2.1.25.1.3.0 = Integer(393216)",
                "1.3.6.1.2.1.25.1.4.0 = OctetString(b\"BOOT_IMAGE=/vmlinuz root=/dev/vda ro\")",
                "1.3.6.1.2.1.25.1.5.0 = Gauge32(1)",
                "1.3.6.1.2.1.25.1.6.0 = Gauge32(2)",
                "1.3.6.1.2.1.25.1.7.0 = Integer(4194304)",
            ]
        );
        let uptime = oid("1.3.6.1.2.1.25.1.1.0");
        // Between two reads, the uptime follows the request clock.
        let later = now + Duration::from_millis(3_010);
        assert_eq!(h.get(&info(later), &uptime), Value::TimeTicks(10_351));
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.1.1.1")),
            Value::NoSuchInstance
        );
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.1.8.0")),
            Value::NoSuchObject
        );
        assert!(
            h.get_next(&info(now), &oid("1.3.6.1.2.1.25.1.7.0"))
                .is_none()
        );
    }

    #[test]
    fn hr_system_long_cmdline_and_malformed_files() {
        let tree = Tree::new();
        tree.file("proc/uptime", "soon\n")
            .file("proc/cmdline", "x".repeat(300))
            .file("proc/sys/kernel/pid_max", "-5\n")
            .file("run/utmp", [1u8; 100]);
        let now = start();
        let mut h = HrSystem::with_root(tree.path());
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.1.1.0")),
            Value::NoSuchInstance
        );
        let Value::OctetString(params) = h.get(&info(now), &oid("1.3.6.1.2.1.25.1.4.0")) else {
            panic!("no hrSystemInitialLoadParameters");
        };
        assert_eq!(params.len(), 128);
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.1.5.0")),
            Value::Gauge32(0)
        );
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.1.6.0")),
            Value::Gauge32(0)
        );
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.1.7.0")),
            Value::NoSuchInstance
        );
        // The real clock: a DateAndTime of 11 octets.
        let Value::OctetString(date) = h.get(&info(now), &oid("1.3.6.1.2.1.25.1.2.0")) else {
            panic!("no hrSystemDate");
        };
        assert_eq!(date.len(), 11);
    }

    const MEMINFO: &str = "\
MemTotal:           1000 kB
MemFree:             400 kB
MemAvailable:        600 kB
Buffers:              10 kB
Cached:              100 kB
SwapCached:            0 kB
Shmem:                 5 kB
SReclaimable:         20 kB
SwapTotal:           200 kB
SwapFree:            150 kB
HugePages_Total:       0
bogus line
";

    #[test]
    fn memory_rows_as_net_snmp() {
        let rows = memory_rows(&proc::parse_meminfo(MEMINFO));
        let got: Vec<(u32, u32, &str, u64, u64)> = rows
            .iter()
            .map(|r| (r.index, r.kind, r.descr.as_str(), r.size, r.used))
            .collect();
        assert_eq!(
            got,
            [
                (1, RAM, "Physical memory", 1000, 600),
                (3, VIRTUAL_MEMORY, "Virtual memory", 1200, 650),
                (6, OTHER, "Memory buffers", 1000, 10),
                (7, OTHER, "Cached memory", 120, 120),
                (8, OTHER, "Shared memory", 5, 5),
                (10, VIRTUAL_MEMORY, "Swap space", 200, 50),
                (11, OTHER, "Available memory", 600, 0),
            ]
        );
        assert!(rows.iter().all(|r| r.units == 1024));
        assert!(memory_rows(&proc::parse_meminfo("MemFree: 5 kB\n")).is_empty());
        let only_total = memory_rows(&proc::parse_meminfo("MemTotal: 5 kB\n"));
        assert_eq!(only_total.len(), 2);
        assert_eq!((only_total[0].size, only_total[0].used), (5, 5));
    }

    #[test]
    fn storage_fits_integer32() {
        assert_eq!(fit_storage(4096, 100, 50), (4096, 100, 50));
        assert_eq!(
            fit_storage(4096, 3_000_000_000, 1_500_000_000),
            (8192, 1_500_000_000, 750_000_000)
        );
        assert_eq!(fit_storage(1 << 40, u64::MAX, 1), (i32::MAX, i32::MAX, 1));
        assert_eq!(fit_storage(0, 5, 9), (0, 5, 9));
    }

    #[test]
    fn hr_storage_get_and_walk() {
        let tree = Tree::new();
        tree.file("proc/meminfo", MEMINFO)
            .file(
                "proc/mounts",
                "proc /proc proc rw 0 0\n\
                 /dev/vda / ext4 rw 0 0\n\
                 tmpfs /dev/shm tmpfs rw 0 0\n\
                 tmpfs /dev/shm tmpfs rw 0 0\n\
                 cgroup /sys/fs/cgroup/cpu cgroup rw 0 0\n\
                 server:/x /mnt/nfs\\040share nfs rw 0 0\n\
                 /dev/vdb /missing ext4 rw 0 0\n\
                 garbage\n",
            )
            .dir("dev/shm")
            .dir("mnt/nfs share");
        let now = start();
        let mut h = HrStorage::with_root(tree.path());
        let get = |h: &mut HrStorage, s: &str| h.get(&info(now), &oid(s));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.25.2.2.0"), Value::Integer(1000));
        let indexes = walk(&mut h, now, "1.3.6.1.2.1.25.2.3.1.1");
        assert_eq!(
            lines(&indexes)
                .iter()
                .map(|l| l.rsplit_once('.').unwrap().1)
                .collect::<Vec<_>>(),
            [
                "1 = Integer(1)",
                "3 = Integer(3)",
                "6 = Integer(6)",
                "7 = Integer(7)",
                "8 = Integer(8)",
                "10 = Integer(10)",
                "11 = Integer(11)",
                "32 = Integer(32)",
                "33 = Integer(33)",
                "35 = Integer(35)",
            ]
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.25.2.3.1.3.32"), Value::from("/"));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.3.35"),
            Value::from("/mnt/nfs share")
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.2.1"),
            Value::ObjectIdentifier(oid("1.3.6.1.2.1.25.2.1.2"))
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.2.33"),
            Value::ObjectIdentifier(oid("1.3.6.1.2.1.25.2.1.4"))
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.2.35"),
            Value::ObjectIdentifier(oid("1.3.6.1.2.1.25.2.1.10"))
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.4.1"),
            Value::Integer(1024)
        );
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.5.10"),
            Value::Integer(200)
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.25.2.3.1.6.10"), Value::Integer(50));
        assert_eq!(get(&mut h, "1.3.6.1.2.1.25.2.3.1.7.1"), Value::Counter32(0));
        let (Value::Integer(units), Value::Integer(size), Value::Integer(used)) = (
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.4.32"),
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.5.32"),
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.6.32"),
        ) else {
            panic!("no sizes for /");
        };
        assert!(units > 0 && size > 0 && (0..=size).contains(&used));
        assert_eq!(
            get(&mut h, "1.3.6.1.2.1.25.2.3.1.3.31"),
            Value::NoSuchInstance
        );
        assert_eq!(get(&mut h, "1.3.6.1.2.1.25.2.3.1.8.1"), Value::NoSuchObject);
        // Column-major: all of column 1, then column 2...; 7 columns of 10 rows and
        // hrMemorySize.
        let all = walk(&mut h, now, "1.3.6.1.2.1.25.2");
        assert_eq!(all.len(), 1 + 7 * 10);
        assert_eq!(all[10].oid, oid("1.3.6.1.2.1.25.2.3.1.1.35"));
        assert_eq!(all[11].oid, oid("1.3.6.1.2.1.25.2.3.1.2.1"));
        assert!(
            h.get_next(&info(now), &oid("1.3.6.1.2.1.25.2.3.1.7.35"))
                .is_none()
        );
    }

    const STAT_1: &str = "cpu  10 0 10 80 0 0 0 0 0 0\n\
        cpu0 5 0 5 40 0 0 0 0 0 0\n\
        cpu1 5 0 5 40 0 0 0 0 0 0\nintr 5\n";
    const STAT_2: &str = "cpu  10 0 10 80 0 0 0 0 0 0\n\
        cpu0 35 0 25 80 10 0 0 0 0 0\n\
        cpu1 5 0 5 140 0 0 0 0 0 0\nintr 5\n";
    const CPUINFO: &str = "processor\t: 0\nvendor_id\t: GenuineIntel\n\
        model name\t: Intel(R) Xeon(R) Processor\n\nprocessor\t: 1\n\
        vendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) Processor\n";

    #[test]
    fn loads() {
        let a = [
            CpuTimes {
                busy: 10,
                total: 100,
            },
            CpuTimes { busy: 0, total: 0 },
        ];
        let b = [
            CpuTimes {
                busy: 60,
                total: 200,
            },
            CpuTimes { busy: 0, total: 0 },
            CpuTimes { busy: 5, total: 5 },
        ];
        assert_eq!(processor_loads(&a, &b), [50, 0, 0]);
        assert_eq!(processor_loads(&[], &b), [0, 0, 0]);
        // Counters that went back (a CPU replaced) read as no time passed.
        assert_eq!(processor_loads(&b, &a), [0, 0]);
    }

    #[test]
    fn hr_device_get_walk_and_load() {
        let tree = Tree::new();
        tree.file("proc/stat", STAT_1).file("proc/cpuinfo", CPUINFO);
        let now = start();
        let mut h = HrDevice::with_root(tree.path());
        let all = walk(&mut h, now, "1.3.6.1.2.1.25.3");
        assert_eq!(
            lines(&all),
            [
                "1.3.6.1.2.1.25.3.2.1.1.196608 = Integer(196608)",
                "1.3.6.1.2.1.25.3.2.1.1.196609 = Integer(196609)",
                "1.3.6.1.2.1.25.3.2.1.2.196608 = ObjectIdentifier(Oid(1.3.6.1.2.1.25.3.1.3))",
                "1.3.6.1.2.1.25.3.2.1.2.196609 = ObjectIdentifier(Oid(1.3.6.1.2.1.25.3.1.3))",
                "1.3.6.1.2.1.25.3.2.1.3.196608 = OctetString(b\"GenuineIntel: Intel(R) Xeon(R) Processor\")",
                "1.3.6.1.2.1.25.3.2.1.3.196609 = OctetString(b\"GenuineIntel: Intel(R) Xeon(R) Processor\")",
                "1.3.6.1.2.1.25.3.2.1.4.196608 = ObjectIdentifier(Oid(0.0))",
                "1.3.6.1.2.1.25.3.2.1.4.196609 = ObjectIdentifier(Oid(0.0))",
                "1.3.6.1.2.1.25.3.2.1.5.196608 = Integer(2)",
                "1.3.6.1.2.1.25.3.2.1.5.196609 = Integer(2)",
                "1.3.6.1.2.1.25.3.3.1.1.196608 = ObjectIdentifier(Oid(0.0))",
                "1.3.6.1.2.1.25.3.3.1.1.196609 = ObjectIdentifier(Oid(0.0))",
                "1.3.6.1.2.1.25.3.3.1.2.196608 = Integer(0)",
                "1.3.6.1.2.1.25.3.3.1.2.196609 = Integer(0)",
            ]
        );
        assert!(
            h.get_next(&info(now), &oid("1.3.6.1.2.1.25.3.3.1.2.196609"))
                .is_none()
        );
        let load0 = oid("1.3.6.1.2.1.25.3.3.1.2.196608");
        let load1 = oid("1.3.6.1.2.1.25.3.3.1.2.196609");
        tree.file("proc/stat", STAT_2);
        // Still the first reading within the period.
        let soon = now + Duration::from_secs(1);
        assert_eq!(h.get(&info(soon), &load0), Value::Integer(0));
        let later = now + DEFAULT_CACHE_PERIOD;
        // cpu0: 50 more busy jiffies (user 30, system 20) of 100 (and 40 idle, 10 iowait).
        assert_eq!(h.get(&info(later), &load0), Value::Integer(50));
        assert_eq!(h.get(&info(later), &load1), Value::Integer(0));
        assert_eq!(
            h.get(&info(later), &oid("1.3.6.1.2.1.25.3.2.1.6.196608")),
            Value::NoSuchInstance
        );
        assert_eq!(
            h.get(&info(later), &oid("1.3.6.1.2.1.25.3.1.3")),
            Value::NoSuchObject
        );
    }

    #[test]
    fn hr_device_network_rows() {
        let tree = Tree::new();
        tree.file("sys/class/net/lo/ifindex", "1\n")
            .file("sys/class/net/lo/flags", "0x9\n")
            .file("sys/class/net/ifb0/ifindex", "3\n")
            .file("sys/class/net/ifb0/flags", "0x82\n")
            .file(
                "proc/net/dev",
                "ifb0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
            );
        let now = start();
        let mut h = HrDevice::with_root(tree.path());
        let all = walk(&mut h, now, "1.3.6.1.2.1.25.3");
        assert_eq!(
            lines(&all),
            [
                "1.3.6.1.2.1.25.3.2.1.1.262145 = Integer(262145)",
                "1.3.6.1.2.1.25.3.2.1.1.262147 = Integer(262147)",
                "1.3.6.1.2.1.25.3.2.1.2.262145 = ObjectIdentifier(Oid(1.3.6.1.2.1.25.3.1.4))",
                "1.3.6.1.2.1.25.3.2.1.2.262147 = ObjectIdentifier(Oid(1.3.6.1.2.1.25.3.1.4))",
                "1.3.6.1.2.1.25.3.2.1.3.262145 = OctetString(b\"network interface lo\")",
                "1.3.6.1.2.1.25.3.2.1.3.262147 = OctetString(b\"network interface ifb0\")",
                "1.3.6.1.2.1.25.3.2.1.4.262145 = ObjectIdentifier(Oid(0.0))",
                "1.3.6.1.2.1.25.3.2.1.4.262147 = ObjectIdentifier(Oid(0.0))",
                "1.3.6.1.2.1.25.3.2.1.5.262145 = Integer(2)",
                "1.3.6.1.2.1.25.3.2.1.5.262147 = Integer(5)",
                "1.3.6.1.2.1.25.3.2.1.6.262145 = Counter32(0)",
                "1.3.6.1.2.1.25.3.2.1.6.262147 = Counter32(14)",
                "1.3.6.1.2.1.25.3.4.1.1.262145 = Integer(1)",
                "1.3.6.1.2.1.25.3.4.1.1.262147 = Integer(3)",
            ]
        );
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.3.4.1.1.262146")),
            Value::NoSuchInstance
        );
    }

    #[test]
    fn hr_device_without_cpuinfo_or_with_garbage() {
        let tree = Tree::new();
        tree.file("proc/stat", "cpu0 1 2 3 4\ncpu1 x\n\u{0}\u{1}garbage\n");
        let now = start();
        let mut h = HrDevice::with_root(tree.path());
        assert_eq!(
            h.get(&info(now), &oid("1.3.6.1.2.1.25.3.2.1.3.196608")),
            Value::from("")
        );
        assert_eq!(walk(&mut h, now, "1.3.6.1.2.1.25.3").len(), 7);
    }
}
