//! The host groups (`snmp_hlapi::host`) against net-snmp's `snmpd` on the same machine:
//! what `snmpwalk -v2c -On` prints for ifDescr, ifType, ifMtu, ifPhysAddress, ifAdminStatus,
//! ifOperStatus, hrStorageDescr, hrStorageAllocationUnits, hrDeviceType, hrDeviceDescr
//! (processors and interfaces: not net-snmp's guessed coprocessor) and hrNetworkIfIndex
//! equals what the handlers answer, OID by OID (counters, which move between two readings,
//! are not compared).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use snmp_engine::{MibHandler, RequestInfo};
use snmp_hlapi::host::{HrDevice, HrStorage, IfMib};
use snmp_hlapi::{Oid, SecurityLevel, Value};
use snmp_mpm::Version;
use snmp_peers::{Snmpd, wait_until};
use snmp_vacm::SecurityModel;

/// A value as both sides can print it: an integer or octets.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Plain {
    Int(i64),
    Octets(Vec<u8>),
    Oid(String),
}

/// net-snmp's hrDeviceIndex of the coprocessor it guesses is there (hrDeviceCoprocessor,
/// 12, shifted 16 bits), which the handler does not make up.
const COPROCESSOR: u32 = 12 << 16;

/// `snmpwalk -On` lines as (OID, value); `INTEGER`, `STRING`, `Hex-STRING`, `OID` and `""`
/// only.
fn parse(out: &str) -> Vec<(String, Plain)> {
    let mut rows = Vec::new();
    for line in out.lines() {
        let Some((oid, value)) = line.split_once(" = ") else {
            continue;
        };
        let oid = oid.trim_start_matches('.').to_owned();
        let plain = if value == "\"\"" {
            Plain::Octets(Vec::new())
        } else if let Some(n) = value.strip_prefix("INTEGER: ") {
            Plain::Int(n.trim().parse().expect(line))
        } else if let Some(s) = value.strip_prefix("STRING: ") {
            Plain::Octets(s.trim_matches('"').as_bytes().to_vec())
        } else if let Some(o) = value.strip_prefix("OID: ") {
            Plain::Oid(o.trim_start_matches('.').to_owned())
        } else if let Some(hex) = value.strip_prefix("Hex-STRING: ") {
            let bytes = hex
                .split_whitespace()
                .map(|h| u8::from_str_radix(h, 16).expect(line));
            Plain::Octets(bytes.collect())
        } else {
            panic!("unexpected snmpwalk line {line:?}");
        };
        rows.push((oid, plain));
    }
    rows
}

/// What `snmpwalk -v2c -On` of `root` prints.
fn snmpwalk_text(agent: SocketAddr, root: &str, dir: &Path) -> String {
    let out = Command::new("snmpwalk")
        .args(["-v2c", "-c", "public", "-On", "-r", "1", "-t", "3"])
        .arg(agent.to_string())
        .arg(root)
        .env("SNMP_PERSISTENT_DIR", dir)
        .env("SNMPCONFPATH", dir)
        .env("MIBS", "")
        .output()
        .expect("snmpwalk (Debian package snmp) must be installed");
    assert!(
        out.status.success(),
        "snmpwalk {root} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn snmpwalk(agent: SocketAddr, root: &str, dir: &Path) -> Vec<(String, Plain)> {
    parse(&snmpwalk_text(agent, root, dir))
}

/// net-snmp's snmpd on a loopback port with community `public`, answering.
fn start_snmpd(name: &str) -> snmp_peers::RunningSnmpd {
    let snmpd = Snmpd::new(name)
        .line("rocommunity public default")
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let agent = snmpd.v4();
    let up = wait_until(Duration::from_secs(10), || {
        Command::new("snmpget")
            .args(["-v2c", "-c", "public", "-On", "-r", "0", "-t", "1"])
            .arg(agent.to_string())
            .arg("1.3.6.1.2.1.1.3.0")
            .env("SNMP_PERSISTENT_DIR", snmpd.dir())
            .env("SNMPCONFPATH", snmpd.dir())
            .env("MIBS", "")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    assert!(up, "snmpd does not answer on {agent}");
    snmpd
}

/// The request clock of the handlers: the real one, as snmpd's.
#[allow(clippy::disallowed_methods, reason = "compared with a real agent, now")]
fn now() -> Instant {
    Instant::now()
}

/// A v2c request of community `public`, now: what the handlers are called with.
fn request() -> RequestInfo<'static> {
    RequestInfo::new(
        now(),
        SocketAddr::from((Ipv4Addr::LOCALHOST, 161)),
        Version::V2c,
        SecurityModel::V2c,
        b"public",
        SecurityLevel::NoAuthNoPriv,
        b"",
    )
}

fn ours(h: &mut impl MibHandler, root: &str) -> Vec<(String, Plain)> {
    let info = request();
    let root: Oid = root.parse().unwrap();
    let mut at = root.clone();
    let mut rows = Vec::new();
    while let Some(vb) = h.get_next(&info, &at) {
        if !vb.oid.starts_with(&root) {
            break;
        }
        let plain = match &vb.value {
            Value::Integer(n) => Plain::Int(i64::from(*n)),
            Value::OctetString(b) => Plain::Octets(b.to_vec()),
            Value::ObjectIdentifier(o) => Plain::Oid(o.to_string()),
            other => panic!("{}: unexpected {other:?}", vb.oid),
        };
        rows.push((vb.oid.to_string(), plain));
        at = vb.oid;
    }
    rows
}

#[test]
#[ignore = "needs net-snmp's snmpd: run by cargo xtask interop"]
fn host_groups_match_snmpd() {
    if !cfg!(target_os = "linux") {
        println!("host groups: Linux only, skipped");
        return;
    }
    let snmpd = start_snmpd("hlapi-host");
    let agent = snmpd.v4();

    let mut if_mib = IfMib::new();
    let mut storage = HrStorage::new();
    let mut devices = HrDevice::new();
    let mut checked = Vec::new();
    for (name, root) in [
        ("ifDescr", "1.3.6.1.2.1.2.2.1.2"),
        ("ifType", "1.3.6.1.2.1.2.2.1.3"),
        ("ifMtu", "1.3.6.1.2.1.2.2.1.4"),
        ("ifPhysAddress", "1.3.6.1.2.1.2.2.1.6"),
        ("ifAdminStatus", "1.3.6.1.2.1.2.2.1.7"),
        ("ifOperStatus", "1.3.6.1.2.1.2.2.1.8"),
        ("hrStorageDescr", "1.3.6.1.2.1.25.2.3.1.3"),
        ("hrStorageAllocationUnits", "1.3.6.1.2.1.25.2.3.1.4"),
        ("hrDeviceType", "1.3.6.1.2.1.25.3.2.1.2"),
        ("hrDeviceDescr", "1.3.6.1.2.1.25.3.2.1.3"),
        ("hrNetworkIfIndex", "1.3.6.1.2.1.25.3.4.1.1"),
    ] {
        let mut reference = snmpwalk(agent, root, snmpd.dir());
        reference.retain(|(oid, _)| {
            let index = oid.rsplit('.').next().and_then(|i| i.parse::<u32>().ok());
            !(name.starts_with("hrDevice") && index == Some(COPROCESSOR))
        });
        assert!(!reference.is_empty(), "snmpd has no {name}");
        let mine = if name.starts_with("hrStorage") {
            ours(&mut storage, root)
        } else if name.starts_with("hr") {
            ours(&mut devices, root)
        } else {
            ours(&mut if_mib, root)
        };
        let (mut mine, mut reference) = (mine, reference);
        if name.starts_with("hrStorage") {
            // Filesystem rows (index 31 and up) depend on the mounts of the machine and on
            // snmpd's list of filesystem types: compared, but only reported. The memory
            // rows must be equal.
            let index = |oid: &str| oid.rsplit('.').next().and_then(|i| i.parse::<u32>().ok());
            let fs = |rows: &[(String, Plain)]| -> Vec<(String, Plain)> {
                rows.iter()
                    .filter(|(o, _)| index(o) >= Some(31))
                    .cloned()
                    .collect()
            };
            let (mine_fs, reference_fs) = (fs(&mine), fs(&reference));
            if mine_fs != reference_fs {
                eprintln!(
                    "note: {name} filesystem rows differ: ours {mine_fs:?}, snmpd {reference_fs:?}"
                );
            }
            mine.retain(|(o, _)| index(o) < Some(31));
            reference.retain(|(o, _)| index(o) < Some(31));
        }
        assert_eq!(mine, reference, "{name}");
        checked.push(format!("{name} ({} rows)", reference.len()));
    }
    println!("host groups equal to snmpd: {}", checked.join(", "));
}

/// UCD-SNMP-MIB's memory group, laTable and systemStats against snmpd's: the same objects
/// with the same types; the same values where they do not move (names, sizes of the
/// machine, the thresholds), close values where they do (free memory and counters within
/// 10%, loads within 0.5; snmpd's counters are up to 5 seconds old).
#[test]
#[ignore = "needs net-snmp's snmpd: run by cargo xtask interop"]
fn ucd_groups_match_snmpd() {
    use snmp_hlapi::host::{UcdDiskIo, UcdLoad, UcdMemory, UcdSystemStats};
    if !cfg!(target_os = "linux") {
        println!("UCD groups: Linux only, skipped");
        return;
    }
    let snmpd = start_snmpd("hlapi-ucd");
    let agent = snmpd.v4();
    // (OID, type word, value) as snmpwalk -On prints them.
    let walk = |root: &str| -> Vec<(String, String, String)> {
        snmpwalk_text(agent, root, snmpd.dir())
            .lines()
            .filter_map(|l| {
                let (oid, value) = l.split_once(" = ")?;
                let (kind, value) = match value.rsplit_once(": ") {
                    Some((k, v)) => (k.to_owned(), v.trim_matches('"').to_owned()),
                    None => ("STRING".to_owned(), value.trim_matches('"').to_owned()),
                };
                Some((oid.trim_start_matches('.').to_owned(), kind, value))
            })
            .collect()
    };
    let info = request();
    let mine = |h: &mut dyn MibHandler, root: &str| -> Vec<(String, String, String)> {
        let root: Oid = root.parse().unwrap();
        let mut at = root.clone();
        let mut rows = Vec::new();
        while let Some(vb) = h.get_next(&info, &at) {
            if !vb.oid.starts_with(&root) {
                break;
            }
            let (kind, value) = match &vb.value {
                Value::Integer(n) => ("INTEGER".to_owned(), n.to_string()),
                Value::OctetString(b) => ("STRING".to_owned(), String::from_utf8_lossy(b).into()),
                Value::Counter64(n) => ("Counter64".to_owned(), n.to_string()),
                Value::Counter32(n) => ("Counter32".to_owned(), n.to_string()),
                Value::Opaque(b) if b.len() == 7 && b.starts_with(&[0x9f, 0x78, 4]) => {
                    let f = f32::from_be_bytes([b[3], b[4], b[5], b[6]]);
                    ("Opaque: Float".to_owned(), format!("{f:.6}"))
                }
                other => panic!("{}: unexpected {other:?}", vb.oid),
            };
            rows.push((vb.oid.to_string(), kind, value));
            at = vb.oid;
        }
        rows
    };
    let close = |a: &str, b: &str, tolerance: f64| -> bool {
        match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(x), Ok(y)) => (x - y).abs() <= tolerance.max(x.abs().max(y.abs()) * 0.1),
            _ => a == b,
        }
    };
    // snmpd reads the processor counters every 5 seconds, the first time 5 seconds after
    // its start (zeros until then).
    let idle = "1.3.6.1.4.1.2021.11.53.0";
    let counted = wait_until(Duration::from_secs(15), || {
        walk(idle).first().is_some_and(|(_, _, v)| v != "0")
    });
    assert!(counted, "snmpd's ssCpuRawIdle stays 0");
    for (root, handler) in [
        (
            "1.3.6.1.4.1.2021.4",
            &mut UcdMemory::new() as &mut dyn MibHandler,
        ),
        (
            "1.3.6.1.4.1.2021.10",
            &mut UcdLoad::new() as &mut dyn MibHandler,
        ),
        (
            "1.3.6.1.4.1.2021.11",
            &mut UcdSystemStats::new() as &mut dyn MibHandler,
        ),
        (
            "1.3.6.1.4.1.2021.13.15",
            &mut UcdDiskIo::new() as &mut dyn MibHandler,
        ),
    ] {
        let mut theirs = walk(root);
        // diskIOLA1/5/15: snmpd's own averages over its samples, not served here.
        theirs.retain(|(o, _, _)| {
            !["9", "10", "11"]
                .iter()
                .any(|c| o.starts_with(&format!("1.3.6.1.4.1.2021.13.15.1.1.{c}.")))
        });
        let ours = mine(handler, root);
        assert!(!theirs.is_empty(), "snmpd serves nothing under {root}");
        let names = super::names_and_types;
        assert_eq!(
            names(&ours),
            names(&theirs),
            "objects and types under {root}"
        );
        for ((oid, kind, a), (_, _, b)) in ours.iter().zip(&theirs) {
            // Loads within 0.5, memory within 10%: they move between the two readings.
            // snmpd's systemStats are up to 5 s older than ours: the processor ticks (at
            // most a few thousand in 5 s) within 20,000; the counters of I/O, interrupts and
            // context switches, and the disks' (a busy machine moves them by any share),
            // are compared by name and type only.
            let ticks = [50, 51, 52, 53, 54, 55, 56, 61, 64, 65, 66]
                .iter()
                .any(|n| *oid == format!("1.3.6.1.4.1.2021.11.{n}.0"));
            let ok = match kind.as_str() {
                "Counter32" | "Counter64" if ticks => match (a.parse::<f64>(), b.parse::<f64>()) {
                    (Ok(x), Ok(y)) => (x - y).abs() <= 20_000.0,
                    _ => false,
                },
                "Counter32" | "Counter64" if !root.ends_with(".4") => true,
                _ => close(a, b, 0.5),
            };
            assert!(ok, "{oid}: ours {a:?}, snmpd {b:?}");
        }
    }
}
