//! Interop with net-snmp (RFC 3414, 3826, 7860): every authentication protocol with every
//! privacy protocol this net-snmp build has, both ways.
//!
//! - Our USM (a manager doing discovery as RFC 3414 section 4 describes) sends an authPriv
//!   GetRequest to a real `snmpd`, started here on a loopback port, and reads its Response:
//!   snmpd verifies and decrypts what we sign and encrypt, and we what it does.
//! - net-snmp's `snmpget` asks a small responder built on our [`Usm`] (discovery Report, then
//!   the Response): we verify and decrypt what snmpget sends, snmpget what we answer.

use std::net::UdpSocket;
use std::process::Command;
use std::time::{Duration, Instant};

use snmp_peers::{ScratchDir, Snmpd};
use snmp_smi::{Value, oid};
use snmp_usm::Usm;

use crate::common::*;

/// The pairs net-snmp 5.9 (Debian) has: `-x` lists DES, AES, AES-192, AES-256 (the last two
/// with the Blumenthal key extension). AES-192C/256C and 3DES are not in this build.
const PRIVS: [(PrivProtocol, &str); 4] = [
    (PrivProtocol::Des, "DES"),
    (PrivProtocol::Aes128, "AES"),
    (PrivProtocol::Aes192, "AES-192"),
    (PrivProtocol::Aes256, "AES-256"),
];

#[test]
#[ignore = "needs net-snmp's snmpd: run by cargo xtask interop"]
fn our_manager_against_snmpd() {
    let mut conf = String::from("sysName interop-snmpd\nengineID interop\n");
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            let name = user_name(a, p);
            conf +=
                &format!("createUser {name} {a} {AUTH_PASS} {p} {PRIV_PASS}\nrouser {name} priv\n");
        }
    }
    let snmpd = Snmpd::new("snmpd")
        .config(&conf)
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let agent = snmpd.v4();
    let mut manager = Manager::new(agent, users(&PRIVS));
    let engine_id = manager.discover(Duration::from_secs(10));
    assert_eq!(engine_id[..], *b"\x80\x00\x1f\x88\x04interop");

    let mut passed = Vec::new();
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            let value = manager.get(
                &engine_id,
                &user_name(a, p),
                oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),
            );
            assert_eq!(value, Value::from("interop-snmpd"), "{a}/{p}");
            passed.push(format!("{a}/{p}"));
        }
    }
    println!("snmpd accepted and answered: {}", passed.join(", "));
    assert_eq!(passed.len(), AUTHS.len() * PRIVS.len());
}

#[test]
#[ignore = "needs net-snmp's snmpget: run by cargo xtask interop"]
fn snmpget_against_our_usm() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let port = sock.local_addr().unwrap().port();
    let t0 = Instant::now();
    let mut usm = Usm::new(
        "0x80001f880473726d7573".parse().unwrap(),
        3,
        t0 - Duration::from_secs(1000),
        7,
    );
    for user in users(&PRIVS) {
        usm.add_user(user);
    }
    let deadline = t0 + Duration::from_secs(120);
    let server = std::thread::spawn(move || serve(&sock, &mut usm, deadline));

    let dir = ScratchDir::new("snmpget").unwrap();
    let mut passed = Vec::new();
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            let out = Command::new("snmpget")
                .args([
                    "-v3",
                    "-l",
                    "authPriv",
                    "-u",
                    &user_name(a, p),
                    "-a",
                    a,
                    "-A",
                    AUTH_PASS,
                    "-x",
                    p,
                    "-X",
                    PRIV_PASS,
                ])
                .args(["-r", "1", "-t", "3", "-On"])
                .arg(format!("127.0.0.1:{port}"))
                .arg("1.3.6.1.2.1.1.5.0")
                .env("SNMP_PERSISTENT_DIR", dir.path())
                .env("SNMPCONFPATH", dir.path())
                .env("MIBS", "")
                .output()
                .expect("snmpget (Debian package snmp) must be installed");
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                out.status.success(),
                "snmpget {a}/{p} failed: {stdout}{stderr}"
            );
            assert_eq!(
                stdout.trim(),
                ".1.3.6.1.2.1.1.5.0 = STRING: \"interop-rs\"",
                "{a}/{p}: {stderr}"
            );
            passed.push(format!("{a}/{p}"));
        }
    }
    println!("snmpget accepted our answers: {}", passed.join(", "));
    assert_eq!(passed.len(), AUTHS.len() * PRIVS.len());
    drop(server); // the responder stops at its deadline; the test does not wait for it
}
