//! Interop with PySNMP 7, every authentication protocol with every privacy protocol it has,
//! 3DES and both AES-192/256 key extensions included (42 pairs), both ways:
//!
//! - PySNMP as a manager (`pysnmp_get.py`) against a responder on our USM;
//! - our USM as a manager (discovery, then authPriv GETs) against a PySNMP command responder
//!   (snmp-peers' `pysnmp_agent.py`) started here on a loopback port and stopped by its PID.

use std::net::UdpSocket;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use snmp_peers::{PySnmpAgent, free_udp_port};
use snmp_smi::oid;

use snmp_usm::Usm;

use crate::common::*;

/// net-snmp's names, which `pysnmp_get.py` maps to PySNMP's protocols.
const PRIVS: [(PrivProtocol, &str); 7] = [
    (PrivProtocol::Des, "DES"),
    (PrivProtocol::TripleDes, "3DES"),
    (PrivProtocol::Aes128, "AES"),
    (PrivProtocol::Aes192, "AES-192"),
    (PrivProtocol::Aes256, "AES-256"),
    (PrivProtocol::Aes192Cisco, "AES-192C"),
    (PrivProtocol::Aes256Cisco, "AES-256C"),
];

/// `USER:AUTH:PRIV` for each user of [`users`], as the PySNMP scripts take them.
fn specs() -> Vec<String> {
    let mut out = Vec::new();
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            out.push(format!("{}:{a}:{p}", user_name(a, p)));
        }
    }
    out
}

#[test]
#[ignore = "needs PySNMP 7 (pip install pysnmp): run by cargo xtask interop"]
fn pysnmp_manager_against_our_usm() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let port = sock.local_addr().unwrap().port();
    let t0 = Instant::now();
    let mut usm = Usm::new("0x80001f88047079736e6d70".parse().unwrap(), 2, t0, 11);
    for user in users(&PRIVS) {
        usm.add_user(user);
    }
    let specs = specs();
    let server = std::thread::spawn(move || serve(&sock, &mut usm, t0 + Duration::from_secs(240)));

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop/pysnmp_get.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .args([AUTH_PASS, PRIV_PASS])
        .args(&specs)
        .output()
        .expect("python3 must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let answered: Vec<&str> = stdout
        .lines()
        .filter(|l| l.ends_with(" interop-rs"))
        .collect();
    assert!(
        out.status.success() && answered.len() == specs.len(),
        "PySNMP got {} of {} answers:\n{stdout}{stderr}",
        answered.len(),
        specs.len()
    );
    println!(
        "PySNMP accepted our answers for {} auth/priv pairs: {}",
        answered.len(),
        specs.join(", ")
    );
    drop(server); // the responder stops at its deadline
}

#[test]
#[ignore = "needs PySNMP 7 (pip install pysnmp): run by cargo xtask interop"]
fn our_manager_against_pysnmp_agent() {
    let port = free_udp_port().unwrap();
    let specs = specs();
    let agent = PySnmpAgent::start(
        port,
        "80001f8804707973696d",
        AUTH_PASS,
        PRIV_PASS,
        120,
        &specs,
    )
    .expect("the PySNMP agent did not start (python3 and PySNMP 7 must be installed)");

    let mut manager = Manager::new(agent.addr(), users(&PRIVS));
    let engine_id = manager.discover(Duration::from_secs(10));
    assert_eq!(engine_id[..], *b"\x80\x00\x1f\x88\x04pysim");
    let mut passed = Vec::new();
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            let value = manager.get(
                &engine_id,
                &user_name(a, p),
                oid!(1, 3, 6, 1, 2, 1, 1, 1, 0),
            );
            let text = value.as_str().map(str::to_owned);
            assert!(
                text.as_deref().is_some_and(|t| t.starts_with("PySNMP")),
                "{a}/{p}: {value:?}"
            );
            passed.push(format!("{a}/{p}"));
        }
    }
    println!(
        "the PySNMP agent accepted and answered: {}",
        passed.join(", ")
    );
    assert_eq!(passed.len(), AUTHS.len() * PRIVS.len());
}
