//! Interop with net-snmp: walks and bulk walks through the manager, over SNMPv2c and SNMPv3
//! (SHA/AES authPriv), of a real `snmpd` started here on a loopback port, compared with what
//! net-snmp's own `snmpwalk -v2c -On` prints for the same roots: the same OIDs in the same
//! order with the same types (values change between walks: sysUpTime, counters).
//!
//! `agent`: net-snmp's tools and PySNMP's hlapi as managers of our own agent; `host`: the
//! host MIBs compared with snmpd's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod agent;
mod host;
mod notify;
mod proxy;
mod whole_tree;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, Manager, ManagerConfig, Oid, PrivProtocol, Target, UsmAuth, Value, VarBind,
    oid,
};
use snmp_peers::Snmpd;

const USER: &str = "hlapi-sha-aes";
const AUTH_PASS: &str = "authpass-interop";
const PRIV_PASS: &str = "privpass-interop";

/// The OIDs and type words of (OID, type, value) bindings: what two walks of moving values
/// must share.
fn names_and_types(rows: &[(String, String, String)]) -> Vec<(String, String)> {
    rows.iter()
        .map(|(o, k, _)| (o.clone(), k.clone()))
        .collect()
}

/// One line of `snmpwalk -On`: the OID and net-snmp's type word (`STRING` for
/// `Hex-STRING` and for an empty string, which it prints as `""`).
fn parse_snmpwalk(out: &str) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    for line in out.lines() {
        // A value spanning several lines continues on lines that do not start an OID.
        let Some((oid, value)) = line.split_once(" = ") else {
            continue;
        };
        if !oid.starts_with('.') || oid.contains(' ') {
            continue;
        }
        let kind = if value.starts_with('"') {
            "STRING"
        } else {
            value.split_once(": ").map_or(value, |(k, _)| k)
        };
        let kind = if kind == "Hex-STRING" { "STRING" } else { kind };
        rows.push((oid.to_owned(), kind.to_owned()));
    }
    rows
}

fn ours(varbinds: &[VarBind]) -> Vec<(String, String)> {
    varbinds
        .iter()
        .map(|vb| {
            let kind = match vb.value {
                Value::OctetString(_) => "STRING",
                ref v => v.type_name(),
            };
            (format!("{:#}", vb.oid), kind.to_owned())
        })
        .collect()
}

fn snmpwalk(agent: &str, root: &Oid, dir: &Path) -> Vec<(String, String)> {
    let out = Command::new("snmpwalk")
        .args(["-v2c", "-c", "public", "-On", "-r", "1", "-t", "3"])
        .arg(agent)
        .arg(root.to_string())
        .env("SNMP_PERSISTENT_DIR", dir)
        .env("SNMPCONFPATH", dir)
        .env("MIBS", "")
        .output()
        .expect("snmpwalk (Debian package snmp) must be installed");
    assert!(
        out.status.success(),
        "snmpwalk failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    parse_snmpwalk(&String::from_utf8_lossy(&out.stdout))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs net-snmp's snmpd: run by cargo xtask interop"]
async fn walks_match_snmpwalk() {
    let conf = format!(
        "sysName interop-hlapi\nrocommunity public default\n\
         createUser {USER} SHA {AUTH_PASS} AES {PRIV_PASS}\nrouser {USER} priv\n"
    );
    let snmpd = Snmpd::new("hlapi-snmpd")
        .config(&conf)
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let agent = snmpd.v4().to_string();

    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_millis(500)).retries(1);
    let manager = Manager::with_config(&config).await.unwrap();
    let mut target: Target = agent.parse().unwrap();
    target.timeout(Duration::from_secs(2)).retries(2);
    let v2c = Auth::community_v2c("public");
    let v3 = Auth::usm(
        UsmAuth::new(USER)
            .auth(AuthProtocol::Sha1, AUTH_PASS)
            .unwrap()
            .privacy(PrivProtocol::Aes128, PRIV_PASS)
            .unwrap(),
    );

    // Wait for snmpd to answer.
    let mut up = false;
    for _ in 0..40 {
        if manager
            .get(&target, &v2c, [oid!(1, 3, 6, 1, 2, 1, 1, 5, 0)])
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(up, "snmpd did not start");
    let name = manager
        .get(&target, &v3, [oid!(1, 3, 6, 1, 2, 1, 1, 5, 0)])
        .await
        .unwrap();
    assert_eq!(name[0].value, Value::from("interop-hlapi"));

    let mut checked = Vec::new();
    for root in [oid!(1, 3, 6, 1, 2, 1, 1), oid!(1, 3, 6, 1, 2, 1, 2)] {
        let reference = snmpwalk(&agent, &root, snmpd.dir());
        assert!(reference.len() > 5, "{root}: {reference:?}");
        for (label, auth) in [("v2c", &v2c), ("v3", &v3)] {
            let walked = manager.walk(&target, auth, root.clone()).collect().await;
            let walked = walked.unwrap_or_else(|e| panic!("walk {label} {root}: {e}"));
            assert_eq!(ours(&walked), reference, "walk {label} {root}");
            let bulk = manager
                .bulk_walk(&target, auth, root.clone(), 10)
                .collect()
                .await
                .unwrap_or_else(|e| panic!("bulk walk {label} {root}: {e}"));
            assert_eq!(ours(&bulk), reference, "bulk walk {label} {root}");
            checked.push(format!("{label} {root} ({} rows)", reference.len()));
        }
    }
    println!("walks equal to snmpwalk: {}", checked.join(", "));
}
