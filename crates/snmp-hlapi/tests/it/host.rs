//! The host groups on the machine the tests run on (Linux only): every group answers, in
//! OID order, with what `/sys` and `/proc` hold now.
#![cfg(target_os = "linux")]

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Instant;

use snmp_engine::{MibHandler, RequestInfo};
use snmp_hlapi::host::{HrDevice, HrStorage, HrSystem, IfMib, IfXTable};
use snmp_hlapi::{Oid, SecurityLevel, Value, VarBind};
use snmp_mpm::Version;
use snmp_vacm::SecurityModel;

#[allow(clippy::disallowed_methods, reason = "the real host, now")]
fn now() -> Instant {
    Instant::now()
}

fn walk(h: &mut impl MibHandler, root: &[u32]) -> Vec<VarBind> {
    let info = RequestInfo::new(
        now(),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 161)),
        Version::V2c,
        SecurityModel::V2c,
        b"public",
        SecurityLevel::NoAuthNoPriv,
        b"",
    );
    let root = Oid::from_slice(root).unwrap();
    let mut at = root.clone();
    let mut out: Vec<VarBind> = Vec::new();
    while let Some(vb) = h.get_next(&info, &at) {
        assert!(vb.oid > at, "{} after {at}", vb.oid);
        assert!(vb.oid.starts_with(&root), "{} outside {root}", vb.oid);
        assert!(!vb.value.is_exception(), "{vb:?}");
        at = vb.oid.clone();
        out.push(vb);
    }
    out
}

fn value(vbs: &[VarBind], oid: &str) -> Option<Value> {
    let oid: Oid = oid.parse().unwrap();
    vbs.iter()
        .find(|vb| vb.oid == oid)
        .map(|vb| vb.value.clone())
}

#[test]
fn the_real_host() {
    let interfaces = std::fs::read_dir("/sys/class/net").unwrap().count();
    let ifs = walk(&mut IfMib::new(), IfMib::SUBTREE);
    let count = i32::try_from(interfaces).unwrap();
    assert_eq!(
        value(&ifs, "1.3.6.1.2.1.2.1.0"),
        Some(Value::Integer(count))
    );
    assert_eq!(ifs.len(), 1 + 22 * interfaces);
    let loopback = ifs.iter().any(|vb| {
        vb.oid
            .as_slice()
            .starts_with(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 3])
            && vb.value == Value::Integer(24)
    });
    assert!(loopback, "no softwareLoopback interface");
    assert_eq!(
        walk(&mut IfXTable::new(), IfXTable::SUBTREE).len(),
        18 * interfaces
    );

    let system = walk(&mut HrSystem::new(), HrSystem::SUBTREE);
    assert_eq!(system.len(), 7, "{system:?}");
    match value(&system, "1.3.6.1.2.1.25.1.6.0") {
        Some(Value::Gauge32(n)) => assert!(n > 0),
        other => panic!("hrSystemProcesses {other:?}"),
    }

    let storage = walk(&mut HrStorage::new(), HrStorage::SUBTREE);
    assert_eq!(
        value(&storage, "1.3.6.1.2.1.25.2.3.1.3.1"),
        Some(Value::from("Physical memory"))
    );

    let cpus = std::fs::read_to_string("/proc/stat")
        .unwrap()
        .lines()
        .filter(|l| l.starts_with("cpu") && !l.starts_with("cpu "))
        .count();
    // Per processor: 5 hrDeviceTable columns and 2 hrProcessorTable ones; per interface:
    // 6 hrDeviceTable columns and hrNetworkIfIndex.
    assert_eq!(
        walk(&mut HrDevice::new(), HrDevice::SUBTREE).len(),
        7 * cpus + 7 * interfaces
    );
}
