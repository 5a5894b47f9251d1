//! Interop with PySNMP 7 as a manager: every authentication protocol with every privacy
//! protocol PySNMP has, 3DES and both AES-192/256 key extensions included (42 pairs), against
//! a responder on our USM. PySNMP verifies and decrypts what we answer; we verify and decrypt
//! what it asks.

use std::net::UdpSocket;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use snmp_usm::{Usm, UsmUser};

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

#[test]
#[ignore = "needs PySNMP 7 (pip install pysnmp): run by cargo xtask interop"]
fn pysnmp_manager_against_our_usm() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let port = sock.local_addr().unwrap().port();
    let t0 = Instant::now();
    let mut usm = Usm::new("0x80001f88047079736e6d70".parse().unwrap(), 2, t0, 11);
    let mut specs = Vec::new();
    for (auth, a) in AUTHS {
        for (privacy, p) in PRIVS {
            let name = user_name(a, p);
            usm.add_user(
                UsmUser::new(name.clone())
                    .with_auth(auth, AUTH_PASS.as_bytes())
                    .unwrap()
                    .with_privacy(privacy, PRIV_PASS.as_bytes())
                    .unwrap(),
            );
            specs.push(format!("{name}:{a}:{p}"));
        }
    }
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
