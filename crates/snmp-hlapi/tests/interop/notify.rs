//! RFC 3413 section 3.2 and 3.4, against net-snmp: "A notification originator ... sends
//! SNMPv2-Trap or InformRequest PDUs; a notification receiver ... accepts them and, for an
//! InformRequest, returns a Response." This originator to a real `snmptrapd`, started here
//! on a loopback port (v1, v2c, v3 authNoPriv and authPriv, traps and informs): snmptrapd
//! logs the right trap OID and bindings, and for SNMPv1 enterprise, generic and specific.
//! Then net-snmp's `snmptrap` and `snmpinform` (v1, v2c, v3) and PySNMP's
//! `send_notification` to this receiver: every field arrives; informs are acknowledged.

use std::fs::File;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, EngineId, Manager, ManagerConfig, NotificationKind, NotificationReceiver,
    PrivProtocol, ReceivedNotification, SecurityLevel, Target, UsmAuth, Value, VarBind, Version,
    oid,
};
use snmp_peers::{Guard, ScratchDir, free_udp_port, wait_until};

pub(super) const USER: &str = "ntf-sha-aes";
const AUTH_ONLY: &str = "ntf-sha";
pub(super) const AUTH_PASS: &str = "authpass-notify";
pub(super) const PRIV_PASS: &str = "privpass-notify";
const MANAGER_ENGINE: &str = "0x80001f88807465737473";
const LIMIT: Duration = Duration::from_secs(20);

pub(super) fn priv_user() -> UsmAuth {
    UsmAuth::new(USER)
        .auth(AuthProtocol::Sha1, AUTH_PASS)
        .unwrap()
        .privacy(PrivProtocol::Aes128, PRIV_PASS)
        .unwrap()
}

fn auth_user() -> UsmAuth {
    UsmAuth::new(AUTH_ONLY)
        .auth(AuthProtocol::Sha1, AUTH_PASS)
        .unwrap()
}

/// A running snmptrapd and the file its log goes to.
pub(super) struct Snmptrapd {
    _guard: Guard,
    dir: ScratchDir,
    pub(super) addr: SocketAddr,
}

impl Snmptrapd {
    /// `snmptrapd -f -Lo -On -C -c FILE udp:127.0.0.1:PORT`, one line per notification: the
    /// security (`%P`), the v1 fields, and the bindings separated by `|`.
    pub(super) fn start() -> Self {
        let dir = ScratchDir::new("snmptrapd").unwrap();
        let addr = SocketAddr::from(([127, 0, 0, 1], free_udp_port().unwrap()));
        let conf = format!(
            "authCommunity log,execute,net public\n\
             disableAuthorization yes\n\
             createUser -e {MANAGER_ENGINE} {USER} SHA {AUTH_PASS} AES {PRIV_PASS}\n\
             createUser -e {MANAGER_ENGINE} {AUTH_ONLY} SHA {AUTH_PASS}\n\
             createUser {USER} SHA {AUTH_PASS} AES {PRIV_PASS}\n\
             createUser {AUTH_ONLY} SHA {AUTH_PASS}\n\
             format1 TRAP1 enterprise=%N generic=%w specific=%q agent=%A security=%P vars=%V|%v\\n\n\
             format2 TRAP2 security=%P vars=%V|%v\\n\n"
        );
        let file = dir.path().join("snmptrapd.conf");
        std::fs::write(&file, conf).unwrap();
        let log = File::create(dir.path().join("log")).unwrap();
        let child = Command::new("snmptrapd")
            .args(["-f", "-Lo", "-On", "-C", "-c"])
            .arg(&file)
            .arg(format!("udp:{addr}"))
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .env("MIBS", "")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(Stdio::null())
            .spawn()
            .expect("snmptrapd (Debian package snmptrapd) must be installed");
        let trapd = Self {
            _guard: Guard::new(child),
            dir,
            addr,
        };
        assert!(
            wait_until(LIMIT, || trapd.log().contains("NET-SNMP version")),
            "snmptrapd did not start"
        );
        trapd
    }

    pub(super) fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// A counter of the log's lines starting with `prefix` that reads only what was appended
    /// since its last call (so that polling it costs as little as polling our receiver).
    fn counter(&self, prefix: &'static str) -> impl FnMut() -> usize {
        use std::io::{Read, Seek, SeekFrom};
        let path = self.dir.path().join("log");
        let (mut offset, mut count, mut partial) = (0u64, 0usize, Vec::new());
        move || {
            if let Ok(mut f) = File::open(&path)
                && f.seek(SeekFrom::Start(offset)).is_ok()
            {
                let mut fresh = Vec::new();
                if let Ok(n) = f.read_to_end(&mut fresh) {
                    offset += n as u64;
                    partial.extend_from_slice(&fresh);
                    // Whole lines only; the unfinished one is kept (one move per read).
                    let mut start = 0;
                    while let Some(end) = partial
                        .get(start..)
                        .and_then(|rest| rest.iter().position(|&b| b == b'\n'))
                    {
                        let line = partial.get(start..start + end).unwrap_or_default();
                        count += usize::from(line.starts_with(prefix.as_bytes()));
                        start += end + 1;
                    }
                    partial.drain(..start);
                }
            }
            count
        }
    }

    /// The log line of the notification carrying `marker`, once it is there.
    fn line(&self, marker: &str) -> String {
        let mut found = None;
        wait_until(LIMIT, || {
            found = self
                .log()
                .lines()
                .find(|l| l.contains(marker))
                .map(str::to_owned);
            found.is_some()
        });
        found.unwrap_or_else(|| panic!("snmptrapd logged no {marker}:\n{}", self.log()))
    }
}

/// The binding that tells the notifications apart: sysLocation.0 = `marker`.
fn marker(marker: &str) -> VarBind {
    VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 6, 0), marker.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs net-snmp's snmptrapd: run by cargo xtask interop"]
async fn originator_to_snmptrapd() {
    let trapd = Snmptrapd::start();
    let mut config = ManagerConfig::default();
    config
        .engine_id(MANAGER_ENGINE.parse::<EngineId>().unwrap())
        .local_addr("127.0.0.1:0".parse().unwrap())
        .timeout(Duration::from_secs(1))
        .retries(3);
    let manager = Manager::with_config(&config).await.unwrap();
    let target = Target::new(trapd.addr);
    let heartbeat = oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1);
    let rate = VarBind::new(oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 2, 1), Value::Integer(42));
    let cases = [
        (
            "v1-trap",
            Auth::community_v1("public"),
            NotificationKind::Trap,
        ),
        (
            "v2c-trap",
            Auth::community_v2c("public"),
            NotificationKind::Trap,
        ),
        (
            "v2c-inform",
            Auth::community_v2c("public"),
            NotificationKind::Inform,
        ),
        (
            "v3-authnopriv-trap",
            Auth::usm(auth_user()),
            NotificationKind::Trap,
        ),
        (
            "v3-authpriv-trap",
            Auth::usm(priv_user()),
            NotificationKind::Trap,
        ),
        (
            "v3-authnopriv-inform",
            Auth::usm(auth_user()),
            NotificationKind::Inform,
        ),
        (
            "v3-authpriv-inform",
            Auth::usm(priv_user()),
            NotificationKind::Inform,
        ),
    ];
    for (name, auth, kind) in &cases {
        let sent = manager
            .send_notification(
                &target,
                auth,
                *kind,
                heartbeat.clone(),
                [rate.clone(), marker(name)],
            )
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(sent.len(), 4, "{name}");
    }
    for (name, auth, kind) in &cases {
        let line = trapd.line(&format!("\"{name}\""));
        let rate_logged = ".1.3.6.1.4.1.8072.2.3.2.1 = INTEGER: 42";
        assert!(line.contains(rate_logged), "{name}: {line}");
        if auth.is_v1() {
            assert!(
                line.starts_with("TRAP1 enterprise=.1.3.6.1.4.1.8072.2.3 generic=6 specific=.1 ")
                    || line.starts_with(
                        "TRAP1 enterprise=.1.3.6.1.4.1.8072.2.3 generic=6 specific=1 "
                    ),
                "{name}: {line}"
            );
            assert!(line.contains("SNMP v1, community public"), "{name}: {line}");
            continue;
        }
        assert!(
            line.contains(".1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.8072.2.3.0.1"),
            "{name}: {line}"
        );
        let vars = line.split_once("vars=").unwrap().1;
        assert!(
            vars.starts_with(".1.3.6.1.2.1.1.3.0 = Timeticks"),
            "{name}: {line}"
        );
        let pdu = if *kind == NotificationKind::Inform {
            "INFORM"
        } else {
            "TRAP2"
        };
        assert!(
            line.contains(&format!("security={pdu}, ")),
            "{name}: {line}"
        );
        if name.starts_with("v3") {
            let user = if name.contains("authpriv") {
                USER
            } else {
                AUTH_ONLY
            };
            assert!(
                line.contains(&format!("SNMP v3, user {user}")),
                "{name}: {line}"
            );
        } else {
            assert!(
                line.contains("SNMP v2c, community public"),
                "{name}: {line}"
            );
        }
    }
    // A generic trap to SNMPv1: warmStart, enterprise from snmpTrapEnterprise.0.
    manager
        .send_notification(
            &target,
            &Auth::community_v1("public"),
            NotificationKind::Trap,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2),
            [
                VarBind::new(
                    oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0),
                    Value::ObjectIdentifier(oid!(1, 3, 6, 1, 4, 1, 20408, 4, 1, 1, 2)),
                ),
                VarBind::new(
                    oid!(1, 3, 6, 1, 6, 3, 18, 1, 3, 0),
                    Value::IpAddress([127, 0, 0, 7]),
                ),
                marker("v1-generic"),
            ],
        )
        .await
        .unwrap();
    let line = trapd.line("\"v1-generic\"");
    assert!(
        line.starts_with("TRAP1 enterprise=.1.3.6.1.4.1.20408.4.1.1.2 generic=1 "),
        "{line}"
    );
    assert!(line.contains("agent=127.0.0.7 "), "{line}");
}

/// Runs a net-snmp tool (blocking, off the runtime's threads); its exit status and stderr.
async fn run(tool: &str, args: Vec<String>, dir: &Path) -> (bool, String) {
    let tool = tool.to_owned();
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || {
        let out = Command::new(&tool)
            .args(&args)
            .env("SNMP_PERSISTENT_DIR", &dir)
            .env("SNMPCONFPATH", &dir)
            .env("MIBS", "")
            .output()
            .unwrap_or_else(|e| panic!("{tool} (Debian package snmp) must be installed: {e}"));
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    })
    .await
    .unwrap()
}

async fn next(receiver: &mut NotificationReceiver) -> ReceivedNotification {
    tokio::time::timeout(LIMIT, receiver.next())
        .await
        .expect("a notification in time")
        .expect("the receiver runs")
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs net-snmp's snmptrap and snmpinform: run by cargo xtask interop"]
async fn snmptrap_and_snmpinform_to_receiver() {
    let dir = ScratchDir::new("notify-tools").unwrap();
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .user(&priv_user())
        .user(&auth_user())
        .learn_engine_ids(true)
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let to = receiver.local_addr().to_string();
    let tail = [
        "1.3.6.1.2.1.1.6.0",
        "s",
        "located",
        "1.3.6.1.2.1.2.2.1.1.3",
        "i",
        "3",
    ];

    // SNMPv1: enterprise, agent-addr, generic, specific, uptime.
    let mut args = strings(&[
        "-v1",
        "-c",
        "public",
        &to,
        "1.3.6.1.4.1.8072.2.3",
        "192.0.2.9",
    ]);
    args.extend(strings(&["6", "17", "555"]));
    args.extend(strings(&tail));
    let (ok, err) = run("snmptrap", args, dir.path()).await;
    assert!(ok, "{err}");
    let n = next(&mut receiver).await;
    assert_eq!((n.version, n.kind), (Version::V1, NotificationKind::Trap));
    assert_eq!(&n.security_name[..], b"public");
    let trap = n.v1_trap.as_deref().unwrap();
    assert_eq!(trap.enterprise, oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3));
    assert_eq!(trap.agent_addr, [192, 0, 2, 9]);
    assert_eq!((trap.generic_trap.0, trap.specific_trap), (6, 17));
    assert_eq!(n.varbinds[0].value, Value::TimeTicks(555));
    assert_eq!(
        n.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 17))
    );
    check_tail(&n);

    // SNMPv2c trap and inform.
    for (tool, kind) in [
        ("snmptrap", NotificationKind::Trap),
        ("snmpinform", NotificationKind::Inform),
    ] {
        let mut args = strings(&["-v2c", "-c", "public", &to, "777", "1.3.6.1.6.3.1.1.5.3"]);
        args.extend(strings(&tail));
        let (ok, err) = run(tool, args, dir.path()).await;
        assert!(ok, "{tool}: {err}");
        let n = next(&mut receiver).await;
        assert_eq!((n.version, n.kind), (Version::V2c, kind), "{tool}");
        assert_eq!(n.varbinds[0].value, Value::TimeTicks(777));
        assert_eq!(
            n.varbinds[1].value,
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3))
        );
        check_tail(&n);
    }

    // SNMPv3: traps from two engines (learnt), informs (this receiver authoritative).
    let v3 = |tool: &str, user: &str, level: &str, engine: Option<&str>| {
        let mut args = strings(&["-v3", "-u", user, "-l", level, "-a", "SHA", "-A", AUTH_PASS]);
        if level == "authPriv" {
            args.extend(strings(&["-x", "AES", "-X", PRIV_PASS]));
        }
        if let Some(engine) = engine {
            args.extend(strings(&["-e", engine]));
        }
        args.extend(strings(&[&to, "888", "1.3.6.1.6.3.1.1.5.4"]));
        args.extend(strings(&tail));
        (tool.to_owned(), args)
    };
    let cases = [
        (
            v3("snmptrap", USER, "authPriv", Some("0x80001f8804aabbcc01")),
            SecurityLevel::AuthPriv,
        ),
        (
            v3("snmptrap", USER, "authPriv", Some("0x80001f8804aabbcc02")),
            SecurityLevel::AuthPriv,
        ),
        (
            v3(
                "snmptrap",
                AUTH_ONLY,
                "authNoPriv",
                Some("0x80001f8804aabbcc03"),
            ),
            SecurityLevel::AuthNoPriv,
        ),
        (
            v3("snmpinform", USER, "authPriv", None),
            SecurityLevel::AuthPriv,
        ),
        (
            v3("snmpinform", AUTH_ONLY, "authNoPriv", None),
            SecurityLevel::AuthNoPriv,
        ),
    ];
    for ((tool, args), level) in cases {
        let engine = args
            .iter()
            .position(|a| a == "-e")
            .map(|i| args[i + 1].clone());
        let (ok, err) = run(&tool, args, dir.path()).await;
        assert!(ok, "{tool}: {err}");
        let n = next(&mut receiver).await;
        assert_eq!(n.version, Version::V3, "{tool}");
        assert_eq!(n.security_level, level, "{tool}");
        let user = if level == SecurityLevel::AuthPriv {
            USER
        } else {
            AUTH_ONLY
        };
        assert_eq!(&n.security_name[..], user.as_bytes());
        let expected_engine = match engine {
            Some(e) => e.parse::<EngineId>().unwrap(),
            None => receiver.engine_id().clone(),
        };
        assert_eq!(&n.engine_id[..], expected_engine.as_bytes(), "{tool}");
        let kind = if tool == "snmpinform" {
            NotificationKind::Inform
        } else {
            NotificationKind::Trap
        };
        assert_eq!(n.kind, kind);
        assert_eq!(n.varbinds[0].value, Value::TimeTicks(888));
        check_tail(&n);
    }
    // A trap with the wrong password: counted, not delivered.
    let mut args = strings(&["-v3", "-u", USER, "-l", "authPriv", "-a", "SHA", "-A"]);
    args.extend(strings(&["wrong-password", "-x", "AES", "-X", PRIV_PASS]));
    args.extend(strings(&[
        "-e",
        "0x80001f8804aabbcc04",
        &to,
        "1",
        "1.3.6.1.6.3.1.1.5.4",
    ]));
    let (ok, err) = run("snmptrap", args, dir.path()).await;
    assert!(ok, "{err}");
    assert!(
        wait_until(LIMIT, || receiver.stats().1.wrong_digests == 1),
        "{:?}",
        receiver.stats()
    );
    assert!(receiver.try_next().is_none());
    assert_eq!(receiver.stats().0.auth_failures, 1);
}

fn check_tail(n: &ReceivedNotification) {
    let tail = &n.varbinds[n.varbinds.len() - 2..];
    assert_eq!(
        tail[0],
        VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 6, 0), "located")
    );
    assert_eq!(
        tail[1],
        VarBind::new(oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3), Value::Integer(3))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PySNMP 7 (pip install pysnmp): run by cargo xtask interop"]
async fn pysnmp_send_notification_to_receiver() {
    let dir = ScratchDir::new("notify-pysnmp").unwrap();
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .user(&priv_user())
        .learn_engine_ids(true)
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let port = receiver.local_addr().port().to_string();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/pysnmp_notify.py"
    );
    for (version, kind) in [
        ("v1", NotificationKind::Trap),
        ("v2c", NotificationKind::Trap),
        ("v2c", NotificationKind::Inform),
        ("v3", NotificationKind::Trap),
        ("v3", NotificationKind::Inform),
    ] {
        let word = if kind == NotificationKind::Inform {
            "inform"
        } else {
            "trap"
        };
        let marker = format!("pysnmp-{version}-{word}");
        let args = strings(&[
            script, &port, word, version, USER, AUTH_PASS, PRIV_PASS, &marker,
        ]);
        let (ok, err) = run("python3", args, dir.path()).await;
        assert!(ok, "{marker}: {err}");
        let n = next(&mut receiver).await;
        assert_eq!(n.kind, kind, "{marker}");
        let expected = match version {
            "v1" => Version::V1,
            "v2c" => Version::V2c,
            _ => Version::V3,
        };
        assert_eq!(n.version, expected, "{marker}");
        assert_eq!(
            n.varbinds[1].value,
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2)),
            "{marker}"
        );
        assert!(
            n.varbinds.contains(&VarBind::new(
                oid!(1, 3, 6, 1, 2, 1, 1, 6, 0),
                marker.clone()
            )),
            "{marker}: {:?}",
            n.varbinds
        );
        if version == "v3" {
            assert_eq!(n.security_level, SecurityLevel::AuthPriv);
            assert_eq!(&n.security_name[..], USER.as_bytes());
        } else {
            assert_eq!(&n.security_name[..], b"public");
        }
    }
}

/// `n` SNMPv2-Trap (or SNMPv3 authPriv trap) datagrams from the engine `MANAGER_ENGINE`,
/// each with an interface index binding.
fn trap_datagrams(n: usize, v3: bool, to: SocketAddr) -> Vec<bytes::Bytes> {
    use snmp_engine::{CommandGenerator, GeneratorConfig, RequestPdu};
    // The measurement's one clock: the sender's boot.
    #[allow(clippy::disallowed_methods)]
    let now = std::time::Instant::now();
    let mut usm = snmp_usm::Usm::new(MANAGER_ENGINE.parse().unwrap(), 1, now, 3);
    usm.add_user(
        snmp_usm::UsmUser::new(USER)
            .with_auth(AuthProtocol::Sha1, AUTH_PASS.as_bytes())
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, PRIV_PASS.as_bytes())
            .unwrap(),
    );
    let mut generator = CommandGenerator::new(GeneratorConfig::default(), usm);
    let target = if v3 {
        snmp_engine::Target::usm(to, USER, SecurityLevel::AuthPriv)
    } else {
        snmp_engine::Target::v2c(to, "public")
    };
    (0..n)
        .map(|i| {
            let index = VarBind::new(
                oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 1),
                Value::Integer(i32::try_from(i).unwrap()),
            );
            let pdu = RequestPdu::trap(1, oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3), [index]);
            generator.send(now, &target, pdu);
            while generator.poll_event().is_some() {}
            generator.poll_transmit().unwrap().contents
        })
        .collect()
}

/// Sends `datagrams` to `to` in windows of 100, each once `received()` has caught up with the
/// window before (so that no socket buffer overflows: the kernel counts some 800 octets
/// per small datagram against the default 208 KiB); traps per second. Between windows it
/// yields rather than sleeps, so the pacing caps neither receiver; both counters are cheap
/// to poll (ours reads a counter, snmptrapd's reads only the log's new lines).
#[allow(clippy::disallowed_methods)] // a measurement: the real clock is the data
fn rate(to: SocketAddr, datagrams: &[bytes::Bytes], mut received: impl FnMut() -> usize) -> f64 {
    const WINDOW: usize = 100;
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    // The sender must not be what is measured: datagrams of one size go out many per system
    // call (UDP GSO, where the system has it), so that one core sends faster than either
    // receiver reads.
    let state = quinn_udp::UdpSocketState::new((&socket).into()).unwrap();
    let segments = state.max_gso_segments().max(1);
    let send = |chunk: &[bytes::Bytes]| {
        let same = chunk.windows(2).all(|w| w[0].len() == w[1].len());
        if !same || segments == 1 {
            for d in chunk {
                while let Err(e) = socket.send_to(d, to) {
                    assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}");
                    std::thread::yield_now();
                }
            }
            return;
        }
        for part in chunk.chunks(segments) {
            let contents: Vec<u8> = part.iter().flat_map(|d| d.iter().copied()).collect();
            let transmit = quinn_udp::Transmit {
                destination: to,
                ecn: None,
                contents: &contents,
                segment_size: Some(part[0].len()),
                src_ip: None,
            };
            while let Err(e) = state.send((&socket).into(), &transmit) {
                assert_eq!(e.kind(), std::io::ErrorKind::WouldBlock, "{e}");
                std::thread::yield_now();
            }
        }
    };
    let start = std::time::Instant::now();
    for (i, chunk) in datagrams.chunks(WINDOW).enumerate() {
        send(chunk);
        let want = i * WINDOW + chunk.len();
        let deadline = std::time::Instant::now() + LIMIT;
        while received() < want {
            assert!(
                std::time::Instant::now() < deadline,
                "{} of {want} arrived",
                received()
            );
            std::thread::yield_now();
        }
    }
    #[allow(clippy::cast_precision_loss)]
    let n = datagrams.len() as f64;
    n / start.elapsed().as_secs_f64()
}

/// The benchmark: traps received and decoded per second, v2c and v3 authPriv, by
/// this receiver (through its UDP transport) and by snmptrapd (logging each to a file) in
/// the same run. Prints the figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement against snmptrapd: run in release mode with --nocapture"]
async fn trap_rate_against_snmptrapd() {
    const N: usize = 20_000;
    let trapd = Snmptrapd::start();
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .user(&priv_user())
        .learn_engine_ids(true)
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let ours = receiver.local_addr();
    for v3 in [false, true] {
        let label = if v3 { "v3 authPriv" } else { "v2c" };
        let to_trapd = trap_datagrams(N, v3, trapd.addr);
        let mut logged = trapd.counter("TRAP2");
        let before = logged();
        let trapd_rate =
            tokio::task::block_in_place(|| rate(trapd.addr, &to_trapd, || logged() - before));
        let to_ours = trap_datagrams(N, v3, ours);
        let before = receiver.stats().0.traps;
        let ours_rate = tokio::task::block_in_place(|| {
            rate(ours, &to_ours, || {
                // Take them, as an application would (the queue is bounded).
                while receiver.try_next().is_some() {}
                usize::try_from(receiver.stats().0.traps - before).unwrap()
            })
        });
        while receiver.try_next().is_some() {}
        println!(
            "{label}: this receiver {ours_rate:.0} traps/s, snmptrapd {trapd_rate:.0} traps/s ({:.1}x)",
            ours_rate / trapd_rate
        );
    }
}
