//! The command generator against a second SNMPv3 implementation: the PySNMP 7 command
//! responder the interop suites share (snmp-peers' `pysnmp_agent.py`), started on a
//! loopback port and stopped by its PID. Discovery, time synchronisation and authPriv GETs
//! with the privacy protocols net-snmp lacks here: 3DES and AES-192 with the Reeder key
//! extension (AES-192C).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use snmp_engine::{Event, RequestPdu, Target};
use snmp_mpm::SecurityLevel;
use snmp_peers::{PySnmpAgent, free_udp_port};
use snmp_smi::oid;
use snmp_usm::{AuthProtocol, PrivProtocol, UsmUser};

use crate::common::*;

const AUTH_PASS: &str = "authpass-engine";
const PRIV_PASS: &str = "privpass-engine";
/// The agent's snmpEngineID, 0x80001f8804 "pysim".
const ENGINE_ID: &str = "80001f8804707973696d";

/// `(user, auth, priv)`: the script's `USER:AUTH:PRIV` specifications, net-snmp's names.
const USERS: [(&str, AuthProtocol, &str, PrivProtocol, &str); 3] = [
    (
        "u-sha-3des",
        AuthProtocol::Sha1,
        "SHA",
        PrivProtocol::TripleDes,
        "3DES",
    ),
    (
        "u-sha256-aes192c",
        AuthProtocol::Sha256,
        "SHA-256",
        PrivProtocol::Aes192Cisco,
        "AES-192C",
    ),
    (
        "u-md5-aes256c",
        AuthProtocol::Md5,
        "MD5",
        PrivProtocol::Aes256Cisco,
        "AES-256C",
    ),
];

#[test]
#[ignore = "needs net-snmp's snmpd and PySNMP 7: run by cargo xtask interop"]
fn v3_get_against_pysnmp_agent() {
    let port = free_udp_port().unwrap();
    let specs: Vec<String> = USERS
        .iter()
        .map(|(user, _, a, _, p)| format!("{user}:{a}:{p}"))
        .collect();
    let started = Instant::now();
    let pysnmp = PySnmpAgent::start(port, ENGINE_ID, AUTH_PASS, PRIV_PASS, 120, &specs)
        .expect("the PySNMP agent did not start (python3 and PySNMP 7 must be installed)");

    let agent: SocketAddr = pysnmp.addr();
    let users = USERS.iter().map(|(user, auth, _, privacy, _)| {
        UsmUser::new(*user)
            .with_auth(*auth, AUTH_PASS.as_bytes())
            .unwrap()
            .with_privacy(*privacy, PRIV_PASS.as_bytes())
            .unwrap()
    });
    let mut driver = Driver::new(users);
    for (user, _, a, _, p) in USERS {
        let target = Target::usm(agent, user, SecurityLevel::AuthPriv);
        let event = driver.request(&target, RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]));
        let Event::Response { response, .. } = &event else {
            panic!("{a}/{p}: {event:?}");
        };
        let text = response.varbinds[0].value.as_str();
        assert!(
            text.is_some_and(|t| t.starts_with("PySNMP")),
            "{a}/{p}: {response:?}"
        );
        println!("{a}/{p}: sysDescr.0 {:?}", text.unwrap_or_default());
    }

    // Discovery found PySNMP's engine, and its clock: the agent's snmpEngineTime counts from
    // its start, so it cannot exceed the time since we started it.
    let engine_id = driver
        .generator
        .engine_id(agent)
        .expect("discovered")
        .clone();
    assert_eq!(hex(&engine_id), ENGINE_ID);
    let (boots, time) = driver
        .generator
        .usm()
        .remote_time(&engine_id, Instant::now())
        .expect("the agent's clock is known");
    let since_start = started.elapsed() + Duration::from_secs(1);
    assert!(
        u64::from(time) <= since_start.as_secs(),
        "snmpEngineTime {time}"
    );
    let stats = driver.generator.stats();
    assert_eq!((stats.malformed, stats.mismatched), (0, 0), "{stats:?}");
    println!("PySNMP engine {ENGINE_ID}: boots {boots}, time {time}; {stats:?}");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
