//! Interop with net-snmp (RFC 3414, 3826, 7860): every authentication protocol with every
//! privacy protocol this net-snmp build has, both ways.
//!
//! - Our USM (a manager doing discovery as RFC 3414 section 4 describes) sends an authPriv
//!   GetRequest to a real `snmpd`, started here on a loopback port, and reads its Response:
//!   snmpd verifies and decrypts what we sign and encrypt, and we what it does.
//! - net-snmp's `snmpget` asks a small responder built on our [`Usm`] (discovery Report, then
//!   the Response): we verify and decrypt what snmpget sends, snmpget what we answer.

use std::net::{SocketAddr, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_mpm::SecurityLevel;
use snmp_smi::{Pdu, Value, oid};
use snmp_usm::{Usm, UsmUser};

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
    let dir = scratch_dir("snmpd");
    let port = free_port();
    let mut conf =
        format!("agentAddress udp:127.0.0.1:{port}\nsysName interop-snmpd\nengineID interop\n");
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            let name = user_name(a, p);
            conf +=
                &format!("createUser {name} {a} {AUTH_PASS} {p} {PRIV_PASS}\nrouser {name} priv\n");
        }
    }
    std::fs::write(dir.join("snmpd.conf"), conf).unwrap();
    let child = Command::new("snmpd")
        .args(["-f", "-Lo", "-C", "-c"])
        .arg(dir.join("snmpd.conf"))
        .env("SNMP_PERSISTENT_DIR", &dir)
        .env("MIBS", "")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("snmpd (Debian package snmpd) must be installed");
    let _snmpd = Guard(child);
    let agent: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();

    let t0 = Instant::now();
    let mut usm = Usm::new("0x80001f88046d616e61676572".parse().unwrap(), 1, t0, 42);
    usm.discover_unknown_engines(true);
    for (auth, a) in AUTHS {
        for (privacy, p) in PRIVS {
            let user = UsmUser::new(user_name(a, p))
                .with_auth(auth, AUTH_PASS.as_bytes())
                .unwrap()
                .with_privacy(privacy, PRIV_PASS.as_bytes())
                .unwrap();
            usm.add_user(user);
        }
    }

    // Discovery: a noAuthNoPriv probe with an empty engine ID, retried until snmpd is up
    // (at most 10 s).
    let mut msg_id = 1;
    let engine_id = loop {
        assert!(
            t0.elapsed() < Duration::from_secs(10),
            "snmpd did not answer the discovery probe"
        );
        let probe = usm
            .generate(
                Instant::now(),
                header(msg_id),
                &get(msg_id, Bytes::new()),
                &Bytes::new(),
                &Bytes::new(),
                SecurityLevel::NoAuthNoPriv,
            )
            .unwrap();
        msg_id += 1;
        if let Some(answer) = exchange(&sock, agent, &probe) {
            let incoming = usm
                .process_incoming(Instant::now(), &answer, &decode_v3(&answer))
                .unwrap();
            assert!(matches!(incoming.scoped_pdu.pdu, Pdu::Report(_)));
            break incoming.engine_id;
        }
    };
    assert_eq!(
        engine_id[..],
        [
            0x80, 0x00, 0x1f, 0x88, 0x04, b'i', b'n', b't', b'e', b'r', b'o', b'p'
        ]
    );

    let mut passed = Vec::new();
    for (_, a) in AUTHS {
        for (_, p) in PRIVS {
            let name = Bytes::from(user_name(a, p));
            // At most three tries: the first may be answered by notInTimeWindow, which
            // (authenticated) sets our clock for the engine.
            let mut value = None;
            for _ in 0..3 {
                let wire = usm
                    .generate(
                        Instant::now(),
                        header(msg_id),
                        &get(msg_id, engine_id.clone()),
                        &name,
                        &engine_id,
                        SecurityLevel::AuthPriv,
                    )
                    .unwrap();
                msg_id += 1;
                let Some(answer) = exchange(&sock, agent, &wire) else {
                    continue;
                };
                let incoming = usm
                    .process_incoming(Instant::now(), &answer, &decode_v3(&answer))
                    .unwrap_or_else(|e| panic!("{a}/{p}: snmpd's answer does not pass USM: {e}"));
                match incoming.scoped_pdu.pdu {
                    Pdu::Response(r) => {
                        assert_eq!(incoming.level, SecurityLevel::AuthPriv);
                        value = Some(r.varbinds[0].value.clone());
                        break;
                    }
                    Pdu::Report(r) => {
                        let report = &r.varbinds[0].oid;
                        assert_eq!(
                            *report,
                            oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0),
                            "{a}/{p}: report {report}"
                        );
                    }
                    other => panic!("{a}/{p}: unexpected {other:?}"),
                }
            }
            assert_eq!(value, Some(Value::from("interop-snmpd")), "{a}/{p}");
            passed.push(format!("{a}/{p}"));
        }
    }
    println!("snmpd accepted and answered: {}", passed.join(", "));
    assert_eq!(passed.len(), AUTHS.len() * PRIVS.len());
    let _ = std::fs::remove_dir_all(&dir);
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
    for (auth, a) in AUTHS {
        for (privacy, p) in PRIVS {
            usm.add_user(
                UsmUser::new(user_name(a, p))
                    .with_auth(auth, AUTH_PASS.as_bytes())
                    .unwrap()
                    .with_privacy(privacy, PRIV_PASS.as_bytes())
                    .unwrap(),
            );
        }
    }
    let deadline = t0 + Duration::from_secs(120);
    let server = std::thread::spawn(move || serve(&sock, &mut usm, deadline));

    let dir = scratch_dir("snmpget");
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
                .env("SNMP_PERSISTENT_DIR", &dir)
                .env("SNMPCONFPATH", &dir)
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
    let _ = std::fs::remove_dir_all(&dir);
}
