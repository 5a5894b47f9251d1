//! Interop with net-snmp's `snmpd` (Debian package `snmpd`), started here on a loopback
//! port: the transport's client, through a real UDP socket, asks it over SNMPv2c and over
//! SNMPv3 authPriv (HMAC-SHA-96, AES-128), with engine discovery (RFC 3414 section 4).
//!
//! RFC 3417 section 2: "SNMP messages [...] are sent as UDP datagrams"; section 3: an
//! entity should accept messages of up to 1472 octets (484 at least).
//!
//! `#[ignore]`d in a plain `cargo test`; run by `cargo xtask interop`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use snmp_engine::{GeneratorConfig, RequestPdu, Target};
use snmp_mpm::SecurityLevel;
use snmp_peers::Snmpd;
use snmp_smi::{Value, oid};
use snmp_transport::UdpTransport;
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};

const AUTH_PASS: &str = "authpass-interop";
const PRIV_PASS: &str = "privpass-interop";
const SYS_DESCR: &str = "interop-transport";

#[tokio::test]
#[ignore = "needs net-snmp's snmpd: run by cargo xtask interop"]
async fn v2c_and_v3_auth_priv_against_snmpd() {
    let conf = format!(
        "sysdescr {SYS_DESCR}\nengineID interop\n\
         rocommunity public 127.0.0.1\n\
         createUser shaaes SHA {AUTH_PASS} AES {PRIV_PASS}\nrouser shaaes priv\n"
    );
    let snmpd = Snmpd::new("transport-snmpd")
        .config(&conf)
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let agent: SocketAddr = snmpd.v4();

    let mut usm = Usm::new(
        "0x80001f88046d616e61676572".parse().unwrap(),
        1,
        Instant::now(),
        42,
    );
    usm.add_user(
        UsmUser::new("shaaes")
            .with_auth(AuthProtocol::Sha1, AUTH_PASS.as_bytes())
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, PRIV_PASS.as_bytes())
            .unwrap(),
    );
    let mut config = GeneratorConfig::default();
    config
        .rng_seed(3)
        .timeout(Duration::from_millis(500))
        .retries(20);
    let (client, driver) = UdpTransport::bind("127.0.0.1:0".parse().unwrap(), config, usm)
        .await
        .unwrap();
    let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);

    // SNMPv2c; the retries cover snmpd's start.
    let response = client
        .request(
            Target::v2c(agent, "public"),
            RequestPdu::get([sys_descr.clone()]),
        )
        .await
        .unwrap();
    assert_eq!(response.varbinds[0].oid, sys_descr);
    assert_eq!(response.varbinds[0].value, Value::from(SYS_DESCR));

    // SNMPv3 authPriv: discovery, then the encrypted GET.
    let target = Target::usm(agent, "shaaes", SecurityLevel::AuthPriv);
    let response = client
        .request(target, RequestPdu::get([sys_descr.clone()]))
        .await
        .unwrap();
    assert_eq!(response.varbinds[0].value, Value::from(SYS_DESCR));

    drop(client);
    tokio::time::timeout(Duration::from_secs(10), driver)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
