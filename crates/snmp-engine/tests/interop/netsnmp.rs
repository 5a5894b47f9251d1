//! The command generator against net-snmp's `snmpd`, started here on loopback ports (IPv4
//! and IPv6) with a configuration the test writes, and checked against what net-snmp's own
//! tools (`snmpget`, `snmpgetnext`, `snmpbulkget`, `snmpwalk`) read from the same agent.

use std::net::SocketAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use snmp_engine::{Event, ReportKind, RequestError, RequestPdu, Target};
use snmp_mpm::SecurityLevel;
use snmp_peers::{RunningSnmpd, wait_until};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, UsmUser};

use crate::common::*;

const AUTH_PASS: &str = "authpass-engine";
const PRIV_PASS: &str = "privpass-engine";

/// Every authentication protocol of net-snmp 5.9, each with AES.
const AUTHS: [(AuthProtocol, &str); 6] = [
    (AuthProtocol::Md5, "MD5"),
    (AuthProtocol::Sha1, "SHA"),
    (AuthProtocol::Sha224, "SHA-224"),
    (AuthProtocol::Sha256, "SHA-256"),
    (AuthProtocol::Sha384, "SHA-384"),
    (AuthProtocol::Sha512, "SHA-512"),
];

/// Every privacy protocol of this net-snmp build (`-x`: DES, AES, AES-192 and AES-256, the
/// last two with the Blumenthal key extension), each with SHA.
const PRIVS: [(PrivProtocol, &str); 4] = [
    (PrivProtocol::Des, "DES"),
    (PrivProtocol::Aes128, "AES"),
    (PrivProtocol::Aes192, "AES-192"),
    (PrivProtocol::Aes256, "AES-256"),
];

/// The user with write access (`rwuser`); the others have `rouser`.
const RW_USER: &str = "u-sha-aes";

/// The agent's snmpEngineID: `engineID interop` is 0x80001f88 04 "interop" (net-snmp's
/// enterprise number, text format).
const ENGINE_ID: &[u8] = b"\x80\x00\x1f\x88\x04interop";

const SYSTEM: [u32; 7] = [1, 3, 6, 1, 2, 1, 1];

fn sys(rest: &[u32]) -> Oid {
    Oid::from_slice(&SYSTEM).unwrap().extend(rest).unwrap()
}

fn sys_descr() -> Oid {
    sys(&[1, 0])
}

fn sys_up_time() -> Oid {
    sys(&[3, 0])
}

/// A user: its name, authentication and privacy protocols (with net-snmp's names).
type V3User = (
    String,
    (AuthProtocol, &'static str),
    (PrivProtocol, &'static str),
);

/// Every SNMPv3 user: one per auth protocol (with AES), one per priv protocol (with SHA).
fn v3_users() -> Vec<V3User> {
    let name = |a: &str, p: &str| format!("u-{a}-{p}").to_lowercase();
    let mut out = Vec::new();
    for auth in AUTHS {
        out.push((name(auth.1, "AES"), auth, PRIVS[1]));
    }
    for privacy in PRIVS {
        if privacy.1 != "AES" {
            out.push((name("SHA", privacy.1), AUTHS[1], privacy));
        }
    }
    out
}

fn usm_users(auth_pass: &str) -> Vec<UsmUser> {
    v3_users()
        .into_iter()
        .map(|(name, (auth, _), (privacy, _))| {
            UsmUser::new(name)
                .with_auth(auth, auth_pass.as_bytes())
                .unwrap()
                .with_privacy(privacy, PRIV_PASS.as_bytes())
                .unwrap()
        })
        .collect()
}

/// An `snmpd` on 127.0.0.1 and ::1 (started by snmp-peers), stopped (by PID) and its
/// directory removed on drop.
struct Snmpd {
    agent: RunningSnmpd,
    v4: SocketAddr,
    v6: SocketAddr,
}

impl Snmpd {
    /// Starts snmpd and waits until it answers on both addresses (with our driver).
    fn start(name: &str) -> Self {
        // `rocommunity` covers IPv4 sources only: IPv6 needs the `6` forms.
        let mut conf = String::from(
            "engineID interop\n\
             sysName interop-engine\n\
             rocommunity public\nrwcommunity private\n\
             rocommunity6 public\nrwcommunity6 private\n",
        );
        for (user, (_, a), (_, p)) in v3_users() {
            let access = if user == RW_USER { "rwuser" } else { "rouser" };
            conf += &format!(
                "createUser {user} {a} {AUTH_PASS} {p} {PRIV_PASS}\n{access} {user} priv\n"
            );
        }
        let agent = snmp_peers::Snmpd::new(&format!("engine-{name}"))
            .ipv6(true)
            .config(&conf)
            .start()
            .expect("snmpd (Debian package snmpd) must be installed");
        let (v4, v6) = (agent.v4(), agent.v6());
        let mut driver = Driver::new([]);
        for addr in [v4, v6] {
            let probe = Target::v2c(addr, "public")
                .with_timeout(Duration::from_millis(200))
                .with_retries(0);
            let answered = wait_until(Duration::from_secs(10), || {
                matches!(
                    driver.request(&probe, RequestPdu::get([sys_descr()])),
                    Event::Response { .. }
                )
            });
            assert!(answered, "snmpd does not answer on {addr}");
        }
        Self { agent, v4, v6 }
    }

    fn v1(&self) -> Target {
        Target::v1(self.v4, "public")
    }

    fn v2c(&self) -> Target {
        Target::v2c(self.v4, "public")
    }

    fn v3(&self, user: &str) -> Target {
        Target::usm(self.v4, user.to_owned(), SecurityLevel::AuthPriv)
    }

    /// `udp:127.0.0.1:PORT`, as net-snmp's tools take it.
    fn peer(&self) -> String {
        format!("udp:{}", self.v4)
    }

    /// Runs a net-snmp tool against this agent (`peer` then `args`: the caller places it),
    /// with no MIBs and no user configuration; its stdout, the tool having succeeded.
    fn tool(&self, tool: &str, args: &[&str]) -> String {
        let out = Command::new(tool)
            .args(["-r", "2", "-t", "2"])
            .args(args)
            .env("MIBS", "")
            .env("SNMP_PERSISTENT_DIR", self.agent.dir())
            .env("SNMPCONFPATH", self.agent.dir())
            .output()
            .unwrap_or_else(|e| panic!("{tool} (Debian package snmp) must be installed: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{tool} {args:?} failed: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        stdout
    }
}

/// Compares our bindings with net-snmp's, OID for OID and value for value, but for
/// sysUpTime.0, whose value moves: there only the type is compared.
fn assert_same(what: &str, ours: &[(Oid, String)], theirs: &[(Oid, String)]) {
    let mask = |list: &[(Oid, String)]| -> Vec<(Oid, String)> {
        list.iter()
            .map(|(o, v)| {
                if *o == sys_up_time() {
                    assert!(v.starts_with("Timeticks: ("), "{what}: sysUpTime.0 {v}");
                    (o.clone(), "Timeticks: (masked)".to_owned())
                } else {
                    (o.clone(), v.clone())
                }
            })
            .collect()
    };
    let (ours, theirs) = (mask(ours), mask(theirs));
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(a, b, "{what}: binding {i} differs (ours, net-snmp's)");
    }
    assert_eq!(ours.len(), theirs.len(), "{what}: number of bindings");
}

fn ticks(value: &Value) -> u32 {
    match value {
        Value::TimeTicks(t) => *t,
        other => panic!("sysUpTime.0 is not TimeTicks: {other:?}"),
    }
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn get_sys_descr_and_uptime_v1_v2c_v3() {
    let snmpd = Snmpd::start("get");
    let reference = unquote(&snmpd.tool(
        "snmpget",
        &[
            "-v2c",
            "-c",
            "public",
            "-Oqv",
            &snmpd.peer(),
            "1.3.6.1.2.1.1.1.0",
        ],
    ));
    assert!(!reference.is_empty());
    let mut driver = Driver::new(usm_users(AUTH_PASS));
    let mut last_ticks = 0;
    let mut check = |what: &str, values: Vec<(Oid, Value)>| {
        assert_eq!(values.len(), 2, "{what}");
        assert_eq!(values[0].0, sys_descr(), "{what}");
        assert_eq!(values[0].1.as_str(), Some(reference.as_str()), "{what}");
        assert_eq!(values[1].0, sys_up_time(), "{what}");
        let t = ticks(&values[1].1);
        assert!(
            t >= last_ticks,
            "{what}: sysUpTime went back: {t} < {last_ticks}"
        );
        last_ticks = t;
    };
    let get = || RequestPdu::get([sys_descr(), sys_up_time()]);
    check("v1", driver.values(&snmpd.v1(), get()));
    check("v2c", driver.values(&snmpd.v2c(), get()));
    let mut users = Vec::new();
    for (user, (_, a), (_, p)) in v3_users() {
        check(
            &format!("v3 {user}"),
            driver.values(&snmpd.v3(&user), get()),
        );
        users.push(format!("{a}/{p}"));
    }

    // Discovery found the engine, and the clock learnt from it is the agent's: compare with
    // snmpEngineBoots.0 and snmpEngineTime.0 read from the agent.
    let engine_id = driver
        .generator
        .engine_id(snmpd.v4)
        .expect("discovered")
        .clone();
    assert_eq!(engine_id[..], *ENGINE_ID);
    let values = driver.values(
        &snmpd.v3(RW_USER),
        RequestPdu::get([
            oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0),
            oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0),
        ]),
    );
    let (boots, time) = driver
        .generator
        .usm()
        .remote_time(&engine_id, Instant::now())
        .expect("the agent's clock is known");
    assert_eq!(values[0].1.as_i64(), Some(i64::from(boots)));
    let agent_time = values[1].1.as_i64().unwrap();
    assert!(
        (agent_time - i64::from(time)).abs() <= 2,
        "snmpEngineTime {agent_time}, ours {time}"
    );
    let stats = driver.generator.stats();
    assert_eq!(
        (stats.malformed, stats.mismatched, stats.security_failures),
        (0, 0, 0),
        "{stats:?}"
    );
    println!(
        "sysDescr.0 {reference:?} over v1, v2c and v3 authPriv with {}; engine boots {boots}, time {time}",
        users.join(", ")
    );
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn getnext_v1_v2c_v3_against_snmpgetnext() {
    let snmpd = Snmpd::start("getnext");
    let asked = [sys_descr(), sys(&[4, 0]), sys(&[9, 1, 3])];
    let theirs = parse_netsnmp(&snmpd.tool(
        "snmpgetnext",
        &[
            "-v2c",
            "-c",
            "public",
            "-On",
            "-Oe",
            &snmpd.peer(),
            "1.3.6.1.2.1.1.1.0",
            "1.3.6.1.2.1.1.4.0",
            "1.3.6.1.2.1.1.9.1.3",
        ],
    ));
    assert_eq!(theirs.len(), 3, "{theirs:?}");
    let mut driver = Driver::new(usm_users(AUTH_PASS));
    for (what, target) in [
        ("v1", snmpd.v1()),
        ("v2c", snmpd.v2c()),
        ("v3", snmpd.v3(RW_USER)),
    ] {
        let ours = driver.values(&target, RequestPdu::get_next(asked.clone()));
        assert_same(what, &rendered(&ours), &theirs);
    }
    println!("GETNEXT, as snmpgetnext: {theirs:?}");
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn getbulk_v2c_v3_against_snmpbulkget() {
    let snmpd = Snmpd::start("getbulk");
    let mut driver = Driver::new(usm_users(AUTH_PASS));
    // (non-repeaters, max-repetitions, OIDs)
    let cases: [(i32, i32, &[&str]); 2] = [
        (0, 10, &["1.3.6.1.2.1.1"]),
        (
            1,
            5,
            &[
                "1.3.6.1.2.1.1.1",
                "1.3.6.1.2.1.1.9.1.3",
                "1.3.6.1.2.1.1.9.1.4",
            ],
        ),
    ];
    for (n, r, oids) in cases {
        let (cn, cr) = (format!("-Cn{n}"), format!("-Cr{r}"));
        let mut args = vec!["-v2c", "-c", "public", "-On", "-Oe", &cn, &cr];
        let peer = snmpd.peer();
        args.push(&peer);
        args.extend(oids);
        let theirs = parse_netsnmp(&snmpd.tool("snmpbulkget", &args));
        let asked: Vec<Oid> = oids.iter().map(|o| o.parse().unwrap()).collect();
        let expected = usize::try_from(n).unwrap()
            + (oids.len() - usize::try_from(n).unwrap()) * usize::try_from(r).unwrap();
        assert_eq!(theirs.len(), expected, "{theirs:?}");
        for (what, target) in [("v2c", snmpd.v2c()), ("v3", snmpd.v3("u-sha-256-aes"))] {
            let ours = driver.values(&target, RequestPdu::get_bulk(n, r, asked.clone()));
            assert_same(
                &format!("{what} {cn} {cr} {oids:?}"),
                &rendered(&ours),
                &theirs,
            );
        }
        println!(
            "GETBULK {cn} {cr} {oids:?}: {} bindings as snmpbulkget",
            theirs.len()
        );
    }
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn set_then_get_v2c_and_v3() {
    let snmpd = Snmpd::start("set");
    let mut driver = Driver::new(usm_users(AUTH_PASS));
    let sys_contact = sys(&[4, 0]);
    let sys_location = sys(&[6, 0]);
    let cases = [
        (
            "v2c",
            Target::v2c(snmpd.v4, "private"),
            snmpd.v2c(),
            sys_contact,
            "noc@interop.example",
        ),
        (
            "v3",
            snmpd.v3(RW_USER),
            snmpd.v3(RW_USER),
            sys_location,
            "rack 7, interop lab",
        ),
    ];
    for (what, writer, reader, oid, text) in cases {
        let response = driver.response(&writer, RequestPdu::set([VarBind::new(oid.clone(), text)]));
        assert_eq!(
            response.error_status,
            ErrorStatus::NO_ERROR,
            "{what}: {response:?}"
        );
        assert_eq!(
            response.varbinds,
            vec![VarBind::new(oid.clone(), text)],
            "{what}"
        );
        let values = driver.values(&reader, RequestPdu::get([oid.clone()]));
        assert_eq!(values[0].1.as_str(), Some(text), "{what}: read back");
        let seen = unquote(&snmpd.tool(
            "snmpget",
            &[
                "-v2c",
                "-c",
                "public",
                "-Oqv",
                &snmpd.peer(),
                &oid.to_string(),
            ],
        ));
        assert_eq!(seen, text, "{what}: as snmpget reads it");
        println!("{what}: SET {oid} = {text:?}, read back by us and snmpget");
    }

    // What net-snmp refuses: a SET with the read-only community, of sysName.0 (configured in
    // snmpd.conf, so not writable), and by a read-only user.
    let refused = [
        ("v2c public", snmpd.v2c(), sys(&[4, 0])),
        (
            "v2c sysName.0",
            Target::v2c(snmpd.v4, "private"),
            sys(&[5, 0]),
        ),
        ("v3 rouser", snmpd.v3("u-md5-aes"), sys(&[4, 0])),
    ];
    for (what, target, oid) in refused {
        let response = driver.response(&target, RequestPdu::set([VarBind::new(oid, "nope")]));
        println!(
            "{what}: refused with {} (index {})",
            response.error_status, response.error_index
        );
        assert_ne!(
            response.error_status,
            ErrorStatus::NO_ERROR,
            "{what}: {response:?}"
        );
    }
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn get_over_ipv6() {
    let snmpd = Snmpd::start("ipv6");
    let reference = unquote(&snmpd.tool(
        "snmpget",
        &[
            "-v2c",
            "-c",
            "public",
            "-Oqv",
            &format!("udp6:{}", snmpd.v6),
            "1.3.6.1.2.1.1.1.0",
        ],
    ));
    let mut driver = Driver::new(usm_users(AUTH_PASS));
    let targets = [
        ("v1", Target::v1(snmpd.v6, "public")),
        ("v2c", Target::v2c(snmpd.v6, "public")),
        (
            "v3",
            Target::usm(snmpd.v6, RW_USER, SecurityLevel::AuthPriv),
        ),
    ];
    for (what, target) in targets {
        let event = driver.request(&target, RequestPdu::get([sys_descr()]));
        let Event::Response { response, from, .. } = event else {
            panic!("{what}: {event:?}");
        };
        assert_eq!(from, snmpd.v6, "{what}");
        assert_eq!(
            response.varbinds[0].value.as_str(),
            Some(reference.as_str()),
            "{what}"
        );
    }
    assert_eq!(
        driver.generator.engine_id(snmpd.v6).map(|e| &e[..]),
        Some(ENGINE_ID)
    );
    println!("over [::1]: v1, v2c and v3 read sysDescr.0 {reference:?}");
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn wrong_community_times_out() {
    let snmpd = Snmpd::start("community");
    let mut driver = Driver::new([]);
    for target in [
        Target::v1(snmpd.v4, "wrong"),
        Target::v2c(snmpd.v4, "wrong"),
    ] {
        let target = target
            .with_timeout(Duration::from_millis(300))
            .with_retries(1);
        let t0 = Instant::now();
        let event = driver.request(&target, RequestPdu::get([sys_descr()]));
        let elapsed = t0.elapsed();
        assert!(
            matches!(
                &event,
                Event::Failed {
                    error: RequestError::Timeout,
                    ..
                }
            ),
            "{event:?}"
        );
        // Two tries of 300 ms.
        assert!(
            elapsed >= Duration::from_millis(600) && elapsed < Duration::from_secs(3),
            "{elapsed:?}"
        );
        println!("{:?}: timeout after {elapsed:?}", target.security);
    }
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn wrong_v3_credentials_are_reported() {
    let snmpd = Snmpd::start("wrongpass");
    // Every user with a wrong authentication password, and a user the agent does not have.
    let mut users = usm_users("not-the-password");
    users.push(
        UsmUser::new("nobody")
            .with_auth(AuthProtocol::Sha1, AUTH_PASS.as_bytes())
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, PRIV_PASS.as_bytes())
            .unwrap(),
    );
    let mut driver = Driver::new(users);
    let cases = [
        (RW_USER, ReportKind::WrongDigests),
        ("u-md5-aes", ReportKind::WrongDigests),
        ("nobody", ReportKind::UnknownUserNames),
    ];
    for (user, expected) in cases {
        let event = driver.request(&snmpd.v3(user), RequestPdu::get([sys_descr()]));
        let Event::Failed {
            error: RequestError::Report { kind, oid },
            ..
        } = &event
        else {
            panic!("{user}: {event:?}");
        };
        assert_eq!(*kind, expected, "{user}: {oid}");
        println!("{user}: the agent reported {kind} ({oid})");
    }
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn unknown_oids() {
    let snmpd = Snmpd::start("unknown");
    let mut driver = Driver::new(usm_users(AUTH_PASS));
    // sysDescr.0's object with another instance, an unknown object of the system group, an
    // unknown subtree.
    let asked = [sys(&[1, 1]), sys(&[99, 0]), oid!(1, 3, 6, 1, 99, 1, 0)];
    let theirs = parse_netsnmp(&snmpd.tool(
        "snmpget",
        &[
            "-v2c",
            "-c",
            "public",
            "-On",
            &snmpd.peer(),
            "1.3.6.1.2.1.1.1.1",
            "1.3.6.1.2.1.1.99.0",
            "1.3.6.1.99.1.0",
        ],
    ));
    for (what, target) in [("v2c", snmpd.v2c()), ("v3", snmpd.v3(RW_USER))] {
        let ours = driver.values(&target, RequestPdu::get(asked.clone()));
        let values: Vec<&Value> = ours.iter().map(|(_, v)| v).collect();
        assert_eq!(
            values,
            [
                &Value::NoSuchInstance,
                &Value::NoSuchObject,
                &Value::NoSuchObject
            ],
            "{what}"
        );
        assert_same(what, &rendered(&ours), &theirs);
    }
    // SNMPv1: the whole request fails with noSuchName, naming the first unknown binding.
    let response = driver.response(
        &snmpd.v1(),
        RequestPdu::get([sys_descr(), sys(&[99, 0]), sys_up_time()]),
    );
    assert_eq!(
        response.error_status,
        ErrorStatus::NO_SUCH_NAME,
        "{response:?}"
    );
    assert_eq!(response.error_index, 2, "{response:?}");
    println!(
        "v2c/v3: {theirs:?}; v1: {} at index {}",
        response.error_status, response.error_index
    );
}

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn walk_system_group_against_snmpwalk() {
    let snmpd = Snmpd::start("walk");
    let theirs = parse_netsnmp(&snmpd.tool(
        "snmpwalk",
        &[
            "-v2c",
            "-c",
            "public",
            "-On",
            "-Oe",
            &snmpd.peer(),
            "1.3.6.1.2.1.1",
        ],
    ));
    let mut driver = Driver::new([]);
    let root = Oid::from_slice(&SYSTEM).unwrap();
    let mut ours: Vec<(Oid, Value)> = Vec::new();
    let mut cursor = root.clone();
    loop {
        let mut values = driver.values(&snmpd.v2c(), RequestPdu::get_next([cursor.clone()]));
        let (oid, value) = values.remove(0);
        if value == Value::EndOfMibView || !oid.as_slice().starts_with(root.as_slice()) {
            break;
        }
        assert!(oid > cursor, "not increasing: {oid} after {cursor}");
        assert!(ours.len() < 10_000, "the walk does not end");
        cursor = oid.clone();
        ours.push((oid, value));
    }
    assert_same("walk", &rendered(&ours), &theirs);
    // sysUpTime.0 moved on between snmpwalk's read and ours, forward and by little.
    let (_, up) = ours.iter().find(|(o, _)| *o == sys_up_time()).unwrap();
    let (_, theirs_up) = theirs.iter().find(|(o, _)| *o == sys_up_time()).unwrap();
    let theirs_up: u32 = theirs_up
        .trim_start_matches("Timeticks: (")
        .split(')')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let up = ticks(up);
    assert!(
        up >= theirs_up && up - theirs_up < 6000,
        "{theirs_up} then {up}"
    );
    println!(
        "walked {} bindings of the system group, as snmpwalk",
        ours.len()
    );
}
