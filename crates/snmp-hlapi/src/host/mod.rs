//! The host's own data for an agent, read from Linux's `/proc` and `/sys`: the interfaces
//! group of IF-MIB with its ifXTable (RFC 2863), and the hrSystem, hrStorage and hrDevice
//! groups of HOST-RESOURCES-MIB (RFC 2790), and UCD-SNMP-MIB's memory, laTable, systemStats
//! and diskIOTable,
//! with net-snmp's `snmpd` values wherever the MIB leaves a choice (row indexes,
//! descriptions, what counts as used memory).
//!
//! Each group is a read-only [`MibHandler`](snmp_engine::MibHandler) for one subtree ([`IfMib::SUBTREE`]...);
//! [`register_all`] registers the nine in a [`Mib`]. A handler reads the files at most once per
//! cache period ([`DEFAULT_CACHE_PERIOD`], 5 seconds as net-snmp's caches), on the clock of
//! the request ([`RequestInfo::now`](snmp_engine::RequestInfo)), and serves every request in
//! between from that snapshot. Every file is read under a root directory, `/` unless the
//! handler is built `with_root` another (a test's fixture tree). Files that are missing (any
//! other system than Linux) give empty tables, and malformed lines are skipped.
//!
//! ```no_run
//! use snmp_engine::Mib;
//!
//! let mut mib = Mib::new();
//! snmp_hlapi::host::register_all(&mut mib)?;
//! assert_eq!(mib.subtrees().count(), 9);
//! # Ok::<(), snmp_engine::RegisterError>(())
//! ```

/// A handler that answers from a [`Snapshot`] re-read by `load(root)` at most once per
/// cache period: the struct, its constructors, `Default` and `MibHandler`.
macro_rules! snapshot_handler {
    (
        $(#[$meta:meta])*
        $name:ident {
            subtree: $subtree:expr, $subtree_doc:literal,
            reads: $reads_doc:literal,
            objects: $objects:expr,
            load: $load:expr $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            root: std::path::PathBuf,
            refresh: super::Refresh,
            snapshot: super::Snapshot,
        }

        impl $name {
            #[doc = concat!("The subtree it serves: ", $subtree_doc, ".")]
            pub const SUBTREE: &'static [u32] = $subtree;

            /// Reads the system under `/`.
            pub fn new() -> Self {
                Self::with_root("/")
            }

            #[doc = concat!("Reads ", $reads_doc, " under `root`.")]
            pub fn with_root(root: impl Into<std::path::PathBuf>) -> Self {
                Self {
                    root: root.into(),
                    refresh: super::Refresh::new(),
                    snapshot: super::Snapshot::default(),
                }
            }

            /// Sets how long a snapshot is served
            /// ([`DEFAULT_CACHE_PERIOD`](super::DEFAULT_CACHE_PERIOD) by default).
            pub fn cache_period(&mut self, period: std::time::Duration) -> &mut Self {
                self.refresh.period = period;
                self
            }

            fn refresh(&mut self, info: &snmp_engine::RequestInfo<'_>) {
                // A function, not a closure: read once per cache period.
                const LOAD: fn(&std::path::Path) -> super::Snapshot = $load;
                if self.refresh.due(info.now) {
                    self.snapshot = LOAD(&self.root);
                }
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl snmp_engine::MibHandler for $name {
            fn get(&mut self, info: &snmp_engine::RequestInfo<'_>, oid: &snmp_smi::Oid) -> snmp_smi::Value {
                self.refresh(info);
                self.snapshot.get($objects, oid)
            }

            fn get_next(
                &mut self,
                info: &snmp_engine::RequestInfo<'_>,
                oid: &snmp_smi::Oid,
            ) -> Option<snmp_smi::VarBind> {
                self.refresh(info);
                self.snapshot.next(oid)
            }
        }
    };
}

mod host_resources;
mod if_mib;
mod proc;
mod ucd;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use snmp_engine::{Mib, RegisterError};
use snmp_smi::{Oid, Value, VarBind};

pub use host_resources::{HrDevice, HrStorage, HrSystem};
pub use if_mib::{IfMib, IfXTable};
pub use ucd::{
    DEFAULT_DISK_MINIMUM, DiskEntry, ProcEntry, UcdDisk, UcdDiskIo, UcdLoad, UcdMemory, UcdProc,
    UcdSystemStats,
};

/// How long a handler serves a snapshot before it reads the system again.
pub const DEFAULT_CACHE_PERIOD: Duration = Duration::from_secs(5);

/// Registers the nine groups, reading the system under `/`: [`IfMib`], [`IfXTable`],
/// [`HrSystem`], [`HrStorage`], [`HrDevice`], [`UcdMemory`], [`UcdLoad`],
/// [`UcdSystemStats`] and [`UcdDiskIo`], each at its `SUBTREE`.
///
/// # Errors
/// [`RegisterError::Overlap`] if one of the subtrees is taken (none is registered then
/// after the first that failed).
#[allow(
    clippy::result_large_err,
    reason = "the engine's RegisterError, as Mib::register returns it"
)]
pub fn register_all(mib: &mut Mib) -> Result<(), RegisterError> {
    register_all_from(mib, "/")
}

/// [`register_all`], reading the files under `root` instead of `/`.
///
/// # Errors
/// As [`register_all`].
#[allow(
    clippy::result_large_err,
    reason = "the engine's RegisterError, as Mib::register returns it"
)]
pub fn register_all_from(mib: &mut Mib, root: impl Into<PathBuf>) -> Result<(), RegisterError> {
    register_groups(mib, root.into(), UcdMemory::new(), UcdLoad::new())
}

/// [`register_all`] with snmpd.conf's `load` maxima and `swap` minimum, if given.
#[allow(
    clippy::result_large_err,
    reason = "the engine's RegisterError, as Mib::register returns it"
)]
pub(crate) fn register_all_configured(
    mib: &mut Mib,
    load: Option<[f64; 3]>,
    swap: Option<u64>,
) -> Result<(), RegisterError> {
    let mut memory = UcdMemory::new();
    if let Some(kib) = swap {
        memory.minimum_swap(kib);
    }
    let mut loads = UcdLoad::new();
    if let Some(maxima) = load {
        loads.maxima(maxima);
    }
    register_groups(mib, PathBuf::from("/"), memory, loads)
}

/// The nine groups under `root`, the memory and load ones with the settings given.
#[allow(
    clippy::result_large_err,
    reason = "the engine's RegisterError, as Mib::register returns it"
)]
fn register_groups(
    mib: &mut Mib,
    root: PathBuf,
    memory: UcdMemory,
    load: UcdLoad,
) -> Result<(), RegisterError> {
    let (memory, load) = (memory.rooted(&root), load.rooted(&root));
    mib.register(oid_of(IfMib::SUBTREE), IfMib::with_root(&root))?;
    mib.register(oid_of(IfXTable::SUBTREE), IfXTable::with_root(&root))?;
    mib.register(oid_of(HrSystem::SUBTREE), HrSystem::with_root(&root))?;
    mib.register(oid_of(HrStorage::SUBTREE), HrStorage::with_root(&root))?;
    mib.register(oid_of(HrDevice::SUBTREE), HrDevice::with_root(&root))?;
    mib.register(oid_of(UcdMemory::SUBTREE), memory)?;
    mib.register(oid_of(UcdLoad::SUBTREE), load)?;
    mib.register(
        oid_of(UcdSystemStats::SUBTREE),
        UcdSystemStats::with_root(&root),
    )?;
    mib.register(oid_of(UcdDiskIo::SUBTREE), UcdDiskIo::with_root(&root))?;
    Ok(())
}

/// An OID from arcs known to be valid (short constants of this module).
fn oid_of(arcs: &[u32]) -> Oid {
    Oid::from_slice(arcs).unwrap_or_default()
}

/// A file under the root, as text; `None` if it cannot be read.
fn read_text(root: &Path, rel: &str) -> Option<String> {
    std::fs::read_to_string(root.join(rel)).ok()
}

/// When a handler last read the system, and how often it may.
#[derive(Clone, Copy, Debug)]
struct Refresh {
    period: Duration,
    last: Option<Instant>,
}

impl Refresh {
    const fn new() -> Self {
        Self {
            period: DEFAULT_CACHE_PERIOD,
            last: None,
        }
    }

    /// Whether the snapshot is to be read again at `now` (never read, older than the period,
    /// or from a later time than `now`); if so, `now` becomes the time of the new one.
    fn due(&mut self, now: Instant) -> bool {
        let due = self
            .last
            .is_none_or(|last| now < last || now.duration_since(last) >= self.period);
        if due {
            self.last = Some(now);
        }
        due
    }
}

/// A snapshot, where it is read from and when it was: what the handlers that take settings
/// (from snmpd.conf lines) share.
#[derive(Debug)]
pub(crate) struct Cached {
    root: PathBuf,
    refresh: Refresh,
    snapshot: Snapshot,
}

impl Cached {
    pub(crate) fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            refresh: Refresh::new(),
            snapshot: Snapshot::default(),
        }
    }

    /// The snapshot, read again with `load` if the cache period has passed at `now`.
    pub(crate) fn snapshot(
        &mut self,
        now: Instant,
        load: impl FnOnce(&Path) -> Snapshot,
    ) -> &Snapshot {
        if self.refresh.due(now) {
            self.snapshot = load(&self.root);
        }
        &self.snapshot
    }
}

/// The instances of a group at one time, in OID order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Snapshot {
    varbinds: Vec<VarBind>,
}

impl Snapshot {
    /// Adds the instance `base.suffix` (skipped if the OID would be too long).
    pub(crate) fn push(&mut self, base: &[u32], suffix: &[u32], value: impl Into<Value>) {
        let arcs: Vec<u32> = base.iter().chain(suffix).copied().collect();
        if let Ok(oid) = Oid::from_slice(&arcs) {
            self.varbinds.push(VarBind::new(oid, value.into()));
        }
    }

    /// Sorts the instances (the last of two with the same OID is dropped).
    pub(crate) fn finish(mut self) -> Self {
        self.varbinds.sort_by(|a, b| a.oid.cmp(&b.oid));
        self.varbinds.dedup_by(|a, b| a.oid == b.oid);
        self
    }

    /// Replaces the value of an instance, if there is one.
    pub(crate) fn set(&mut self, oid: &Oid, value: Value) {
        if let Ok(i) = self.varbinds.binary_search_by(|vb| vb.oid.cmp(oid))
            && let Some(vb) = self.varbinds.get_mut(i)
        {
            vb.value = value;
        }
    }

    /// The value of `oid`, or noSuchInstance for an object without that instance, or
    /// noSuchObject. `objects` are the group's objects: an OID is an object's when it starts
    /// with `base` and one of `arcs` (the scalars of a group, or the columns of an entry).
    pub(crate) fn get(&self, objects: &[(&[u32], &[u32])], oid: &Oid) -> Value {
        if let Ok(i) = self.varbinds.binary_search_by(|vb| vb.oid.cmp(oid))
            && let Some(vb) = self.varbinds.get(i)
        {
            return vb.value.clone();
        }
        let arcs = oid.as_slice();
        let is_object = objects.iter().any(|(base, columns)| {
            arcs.strip_prefix(*base)
                .and_then(<[u32]>::first)
                .is_some_and(|arc| columns.contains(arc))
        });
        if is_object {
            Value::NoSuchInstance
        } else {
            Value::NoSuchObject
        }
    }

    /// The first instance after `oid`.
    pub(crate) fn next(&self, oid: &Oid) -> Option<VarBind> {
        let i = self.varbinds.partition_point(|vb| vb.oid <= *oid);
        self.varbinds.get(i).cloned()
    }
}

/// Fixture trees and requests for the handlers' tests.
#[cfg(test)]
pub(crate) mod fixture {
    use std::net::{Ipv4Addr, SocketAddr};
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Instant;

    use snmp_engine::{MibHandler, RequestInfo};
    use snmp_mpm::{SecurityLevel, Version};
    use snmp_smi::{Oid, VarBind};
    use snmp_vacm::SecurityModel;

    /// A directory standing for `/`, removed on drop.
    pub(crate) struct Tree(PathBuf);

    impl Tree {
        pub(crate) fn new() -> Self {
            static NEXT: AtomicU32 = AtomicU32::new(0);
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir()
                .join(format!("snmp-rs-host-fixture-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Self(path)
        }

        pub(crate) fn path(&self) -> &Path {
            &self.0
        }

        /// Writes `rel` (a path without the leading `/`), creating its directories.
        pub(crate) fn file(&self, rel: &str, content: impl AsRef<[u8]>) -> &Self {
            let path = self.0.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
            self
        }

        /// Creates the directory `rel` and its parents.
        pub(crate) fn dir(&self, rel: &str) -> &Self {
            std::fs::create_dir_all(self.0.join(rel)).unwrap();
            self
        }
    }

    impl Drop for Tree {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    pub(crate) fn info(now: Instant) -> RequestInfo<'static> {
        RequestInfo::new(
            now,
            SocketAddr::from((Ipv4Addr::LOCALHOST, 1161)),
            Version::V2c,
            SecurityModel::V2c,
            b"public",
            SecurityLevel::NoAuthNoPriv,
            b"",
        )
    }

    /// Some instant for a test's requests to start at; the handlers only compare instants.
    #[allow(
        clippy::disallowed_methods,
        reason = "a test's origin: any instant will do"
    )]
    pub(crate) fn start() -> Instant {
        Instant::now()
    }

    pub(crate) fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    /// GETNEXT from `root` until the handler has nothing more or leaves `root`, checking
    /// that every OID increases.
    pub(crate) fn walk(h: &mut impl MibHandler, now: Instant, root: &str) -> Vec<VarBind> {
        let root = oid(root);
        let mut out: Vec<VarBind> = Vec::new();
        let mut at = root.clone();
        while let Some(vb) = h.get_next(&info(now), &at) {
            assert!(vb.oid > at, "{} after {at}", vb.oid);
            if !vb.oid.starts_with(&root) {
                break;
            }
            at = vb.oid.clone();
            out.push(vb);
            assert!(out.len() < 10_000, "walk does not end");
        }
        out
    }

    /// `OID = value` lines of a walk, for comparisons.
    pub(crate) fn lines(vbs: &[VarBind]) -> Vec<String> {
        vbs.iter()
            .map(|vb| format!("{} = {:?}", vb.oid, vb.value))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use snmp_engine::MibHandler;
    use snmp_smi::{Value, oid};

    use super::fixture::{Tree, info, oid as o, start};
    use super::*;

    #[test]
    fn register_all_takes_nine_disjoint_subtrees() {
        let mut mib = Mib::new();
        register_all(&mut mib).unwrap();
        let roots: Vec<String> = mib.subtrees().map(ToString::to_string).collect();
        assert_eq!(
            roots,
            [
                "1.3.6.1.2.1.2",
                "1.3.6.1.2.1.25.1",
                "1.3.6.1.2.1.25.2",
                "1.3.6.1.2.1.25.3",
                "1.3.6.1.2.1.31.1.1",
                "1.3.6.1.4.1.2021.4",
                "1.3.6.1.4.1.2021.10",
                "1.3.6.1.4.1.2021.11",
                "1.3.6.1.4.1.2021.13.15"
            ]
        );
        assert!(matches!(
            register_all_from(&mut mib, "/nonexistent"),
            Err(RegisterError::Overlap { .. })
        ));
    }

    #[test]
    fn refresh_at_most_once_a_period() {
        let now = start();
        let mut r = Refresh::new();
        assert!(r.due(now));
        assert!(!r.due(now));
        assert!(!r.due(now + Duration::from_millis(4999)));
        assert!(r.due(now + DEFAULT_CACHE_PERIOD));
        assert!(!r.due(now + DEFAULT_CACHE_PERIOD));
        // A clock that went back reads again.
        assert!(r.due(now));
    }

    #[test]
    fn snapshot_get_and_next() {
        let mut s = Snapshot::default();
        s.push(&[1, 3, 6, 2, 1], &[1, 5], 3);
        s.push(&[1, 3, 6, 2, 1], &[1, 1], 1);
        s.push(&[1, 3, 6], &[1, 0], 0);
        // A duplicate: one stays.
        s.push(&[1, 3, 6], &[1, 0], 9);
        let s = s.finish();
        assert_eq!(s.varbinds.len(), 3);
        let objects: &[(&[u32], &[u32])] = &[(&[1, 3, 6], &[1]), (&[1, 3, 6, 2, 1], &[1, 2])];
        assert_eq!(
            s.get(objects, &oid!(1, 3, 6, 2, 1, 1, 5)),
            Value::Integer(3)
        );
        assert_eq!(
            s.get(objects, &oid!(1, 3, 6, 2, 1, 1, 7)),
            Value::NoSuchInstance
        );
        assert_eq!(
            s.get(objects, &oid!(1, 3, 6, 2, 1, 2, 1)),
            Value::NoSuchInstance
        );
        assert_eq!(s.get(objects, &oid!(1, 3, 6, 1, 1)), Value::NoSuchInstance);
        assert_eq!(
            s.get(objects, &oid!(1, 3, 6, 2, 1, 3, 1)),
            Value::NoSuchObject
        );
        assert_eq!(s.get(objects, &oid!(1, 3, 6, 3)), Value::NoSuchObject);
        assert_eq!(s.get(objects, &oid!(1, 3)), Value::NoSuchObject);
        assert_eq!(s.next(&oid!(1)).unwrap().oid, oid!(1, 3, 6, 1, 0));
        assert_eq!(
            s.next(&oid!(1, 3, 6, 1, 0)).unwrap().oid,
            oid!(1, 3, 6, 2, 1, 1, 1)
        );
        assert_eq!(
            s.next(&oid!(1, 3, 6, 2, 1, 1, 1, 9)).unwrap().oid,
            oid!(1, 3, 6, 2, 1, 1, 5)
        );
        assert_eq!(s.next(&oid!(1, 3, 6, 2, 1, 1, 5)), None);
    }

    #[test]
    fn an_empty_root_gives_empty_groups() {
        let tree = Tree::new();
        let now = start();
        let mut if_mib = IfMib::with_root(tree.path());
        assert_eq!(
            if_mib.get(&info(now), &o("1.3.6.1.2.1.2.2.1.2.1")),
            Value::NoSuchInstance
        );
        assert_eq!(
            if_mib.get(&info(now), &o("1.3.6.1.2.1.2.1.0")),
            Value::Integer(0)
        );
        assert!(
            IfXTable::with_root(tree.path())
                .get_next(&info(now), &o("1.3.6.1.2.1.31.1.1"))
                .is_none()
        );
        assert!(
            HrStorage::with_root(tree.path())
                .get_next(&info(now), &o("1.3.6.1.2.1.25.2"))
                .is_none()
        );
        assert!(
            HrDevice::with_root(tree.path())
                .get_next(&info(now), &o("1.3.6.1.2.1.25.3"))
                .is_none()
        );
        // Only the date: the clock is always there.
        let mut sys = HrSystem::with_root(tree.path());
        let first = sys.get_next(&info(now), &o("1.3.6.1.2.1.25.1")).unwrap();
        assert_eq!(first.oid, o("1.3.6.1.2.1.25.1.2.0"));
        assert!(sys.get_next(&info(now), &first.oid).is_none());
    }
}
