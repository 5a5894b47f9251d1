//! The whole MIB of a real net-snmp `snmpd` (`.1`, some 7,000 objects), walked by the
//! manager over SNMPv1, SNMPv2c and SNMPv3 (walk and bulk walk), and over TCP (RFC 3430),
//! compared OID by OID and type by type with what `snmpwalk` and `snmpbulkwalk` print for
//! the same agent; the tables that list this host's processes, connections and sockets,
//! which the test itself changes (its own sockets, the peers other tests start), are left
//! out. Then value by value (`values_match_snmpwalk`): our walk between two of net-snmp's,
//! masking only the values that differ between those two (counters and clocks move).

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, Manager, ManagerConfig, PrivProtocol, Protocol, Target, UsmAuth, Value,
    Walk, oid,
};
use snmp_peers::Snmpd;

use crate::{AUTH_PASS, PRIV_PASS, USER, parse_snmpwalk};

/// Subtrees whose rows come and go while the test runs: hrSWRunTable, hrSWRunPerfTable,
/// tcpConnTable, tcpConnectionTable, tcpListenerTable, udpTable, udpEndpointTable,
/// ipNetToMediaTable, ipNetToPhysicalTable.
const VOLATILE: [&str; 9] = [
    ".1.3.6.1.2.1.25.4.",
    ".1.3.6.1.2.1.25.5.",
    ".1.3.6.1.2.1.6.13.",
    ".1.3.6.1.2.1.6.19.",
    ".1.3.6.1.2.1.6.20.",
    ".1.3.6.1.2.1.7.5.",
    ".1.3.6.1.2.1.7.7.",
    ".1.3.6.1.2.1.4.22.",
    ".1.3.6.1.2.1.4.35.",
];

/// The bound of each walk of the whole tree.
const WALK_LIMIT: Duration = Duration::from_secs(20);

/// Rows as both sides name their types (net-snmp's `Opaque: Float: 0.5` is `Opaque`),
/// without the volatile subtrees and without the endOfMibView line of `snmpwalk`.
fn stable(rows: Vec<(String, String)>) -> Vec<(String, String)> {
    rows.into_iter()
        .filter(|(oid, kind)| {
            !VOLATILE.iter().any(|v| oid.starts_with(v)) && !kind.starts_with("No more variables")
        })
        .map(|(oid, kind)| {
            let kind = if kind.to_ascii_lowercase().starts_with("opaque") {
                "Opaque".to_owned()
            } else {
                kind
            };
            (oid, kind)
        })
        .collect()
}

/// What a net-snmp tool prints walking `.1`; `args` name the version and credentials.
fn net_snmp(tool: &str, args: &[&str], agent: &str, dir: &Path) -> Vec<(String, String)> {
    stable(parse_snmpwalk(&walk_of_everything(
        tool,
        args,
        &[],
        agent,
        dir,
    )))
}

/// What `tool` (snmpwalk, snmpbulkwalk) prints walking `.1` of `agent` with `args` and
/// `output` options (`-On` always), its state in `dir`; the walk must succeed.
fn walk_of_everything(
    tool: &str,
    args: &[&str],
    output: &[&str],
    agent: &str,
    dir: &Path,
) -> String {
    let out = Command::new(tool)
        .args(args)
        .args(["-On", "-r", "1", "-t", "3"])
        .args(output)
        .arg(agent)
        .arg(".1")
        .env("SNMP_PERSISTENT_DIR", dir)
        .env("SNMPCONFPATH", dir)
        .env("MIBS", "")
        .output()
        .expect("net-snmp's tools (Debian package snmp) must be installed");
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every row of `walk`, as [`stable`] has them.
async fn walked(walk: Walk, what: &str) -> Vec<(String, String)> {
    let rows = tokio::time::timeout(WALK_LIMIT, walk.collect())
        .await
        .unwrap_or_else(|_| panic!("{what}: not done within {WALK_LIMIT:?}"))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let rows = rows
        .iter()
        .map(|vb| {
            let kind = match vb.value {
                Value::OctetString(_) => "STRING",
                ref v => v.type_name(),
            };
            (format!("{:#}", vb.oid), kind.to_owned())
        })
        .collect();
    stable(rows)
}

/// The SNMPv3 user both snmpd's configurations create (SHA, AES).
fn v3_auth() -> Auth {
    Auth::usm(
        UsmAuth::new(USER)
            .auth(AuthProtocol::Sha1, AUTH_PASS)
            .unwrap()
            .privacy(PrivProtocol::Aes128, PRIV_PASS)
            .unwrap(),
    )
}

/// Waits (at most 10 s) until the snmpd at `agent` answers.
fn wait_for(agent: &str) {
    let up = snmp_peers::wait_until(Duration::from_secs(10), || {
        Command::new("snmpget")
            .args(["-v2c", "-c", "public", "-r", "0", "-t", "0.3"])
            .arg(agent)
            .arg(".1.3.6.1.2.1.1.5.0")
            .env("MIBS", "")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    assert!(up, "snmpd did not start");
}

/// The first difference of two walks, for a readable failure.
fn first_difference(a: &[(String, String)], b: &[(String, String)]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    format!(
        "{} rows against {}; first difference at row {at}: {:?} against {:?}",
        a.len(),
        b.len(),
        a.get(at),
        b.get(at)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp's snmpd and tools: run by cargo xtask interop"]
async fn whole_tree_walks_match_snmpwalk() {
    let tcp_port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let snmpd = Snmpd::new("hlapi-whole-tree")
        // A second agentAddress adds to the first (net-snmp joins them).
        .line(&format!("agentAddress tcp:127.0.0.1:{tcp_port}"))
        .line("rocommunity public default")
        .line(&format!(
            "createUser {USER} SHA {AUTH_PASS} AES {PRIV_PASS}"
        ))
        .line(&format!("rouser {USER} priv"))
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let agent = snmpd.v4().to_string();
    let dir = snmpd.dir();

    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_secs(2)).retries(2);
    let manager = Manager::with_config(&config).await.unwrap();
    let udp: Target = agent.parse().unwrap();
    let mut tcp = Target::new(([127, 0, 0, 1], tcp_port).into());
    tcp.protocol(Protocol::Tcp);
    let v1 = Auth::community_v1("public");
    let v2c = Auth::community_v2c("public");
    let v3 = v3_auth();
    wait_for(&agent);

    let reference_v1 = net_snmp("snmpwalk", &["-v1", "-c", "public"], &agent, dir);
    let reference_v2c = net_snmp("snmpwalk", &["-v2c", "-c", "public"], &agent, dir);
    let reference_bulk = net_snmp("snmpbulkwalk", &["-v2c", "-c", "public"], &agent, dir);
    assert!(reference_v2c.len() > 1000, "{}", reference_v2c.len());
    assert_eq!(
        reference_bulk,
        reference_v2c,
        "snmpbulkwalk against snmpwalk: {}",
        first_difference(&reference_bulk, &reference_v2c)
    );
    // SNMPv1 sees no Counter64 (RFC 2576 4.1.2.1): fewer rows.
    assert!(reference_v1.len() < reference_v2c.len());
    assert!(!reference_v1.iter().any(|(_, kind)| kind == "Counter64"));

    let root = oid!(1);
    let mut checked = Vec::new();
    for (label, target, auth, reference) in [
        ("v1", &udp, &v1, &reference_v1),
        ("v2c", &udp, &v2c, &reference_v2c),
        ("v3", &udp, &v3, &reference_v2c),
        ("v2c over TCP", &tcp, &v2c, &reference_v2c),
        ("v3 over TCP", &tcp, &v3, &reference_v2c),
    ] {
        let walk = walked(manager.walk(target, auth, root.clone()), label).await;
        assert!(
            walk == *reference,
            "walk {label}: {}",
            first_difference(&walk, reference)
        );
        let bulk = walked(manager.bulk_walk(target, auth, root.clone(), 25), label).await;
        assert!(
            bulk == *reference,
            "bulk walk {label}: {}",
            first_difference(&bulk, reference)
        );
        checked.push(format!("{label} ({} rows)", reference.len()));
    }
    println!(
        "whole-tree walks equal to net-snmp's: {}",
        checked.join(", ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp's snmpd: run by cargo xtask interop"]
async fn tcp_requests_to_snmpd() {
    let tcp_port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _snmpd = Snmpd::new("hlapi-tcp")
        .line(&format!("agentAddress tcp:127.0.0.1:{tcp_port}"))
        .line("sysName interop-tcp")
        .line("rocommunity public default")
        .line("rwcommunity private default .1.3.6.1.2.1.1.6")
        .line(&format!(
            "createUser {USER} SHA {AUTH_PASS} AES {PRIV_PASS}"
        ))
        .line(&format!("rouser {USER} priv"))
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_millis(500)).retries(1);
    let manager = Manager::with_config(&config).await.unwrap();
    let target: Target = format!("tcp:127.0.0.1:{tcp_port}").parse().unwrap();
    let v2c = Auth::community_v2c("public");
    let v3 = Auth::usm(
        UsmAuth::new(USER)
            .auth(AuthProtocol::Sha1, AUTH_PASS)
            .unwrap()
            .privacy(PrivProtocol::Aes128, PRIV_PASS)
            .unwrap(),
    );
    let sys_name = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
    // Wait for snmpd: until then each try is a refused connection, opened again.
    let mut up = false;
    for _ in 0..40 {
        if manager.get(&target, &v2c, [sys_name.clone()]).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(up, "snmpd did not answer over TCP");
    for auth in [&Auth::community_v1("public"), &v2c, &v3] {
        let got = manager
            .get(&target, auth, [sys_name.clone()])
            .await
            .unwrap();
        assert_eq!(got[0].value, Value::from("interop-tcp"), "{auth:?}");
        let next = manager
            .get_next(&target, auth, [oid!(1, 3, 6, 1, 2, 1, 1, 4)])
            .await
            .unwrap();
        assert_eq!(next[0].oid, oid!(1, 3, 6, 1, 2, 1, 1, 4, 0));
    }
    let bulk = manager
        .get_bulk(&target, &v3, 0, 3, [oid!(1, 3, 6, 1, 2, 1, 1)])
        .await
        .unwrap();
    assert_eq!(bulk.len(), 3);
    assert_eq!(bulk[0].oid, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
    let location = oid!(1, 3, 6, 1, 2, 1, 1, 6, 0);
    manager
        .set(
            &target,
            &Auth::community_v2c("private"),
            [snmp_hlapi::VarBind::new(location.clone(), "over tcp")],
        )
        .await
        .unwrap();
    let got = manager.get(&target, &v2c, [location]).await.unwrap();
    assert_eq!(got[0].value, Value::from("over tcp"));
}

/// `snmpwalk -On -Ox -Ot` of `.1` as OID -> (type, value): every OCTET STRING in hex (net-snmp
/// wraps it every 16 octets: the continuation lines are joined), TimeTicks as a number (and
/// without a type, as the empty string); the volatile subtrees left out.
fn net_snmp_values(args: &[&str], agent: &str, dir: &Path) -> BTreeMap<String, (String, String)> {
    let text = walk_of_everything("snmpwalk", args, &["-Ox", "-Ot"], agent, dir);
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for line in text.lines() {
        match line.split_once(" = ") {
            // snmpwalk's last line repeats the last OID: endOfMibView.
            Some((_, value)) if value.starts_with("No more variables") => {}
            Some((oid, value)) if oid.starts_with('.') && !oid.contains(' ') => {
                let (kind, value) = match value.split_once(": ") {
                    Some((k, v)) if !k.contains(' ') => (k.to_owned(), v.to_owned()),
                    // The empty string (`""`) and, with -Ot, TimeTicks have no type word
                    // (the types are compared by the test above).
                    _ => (String::new(), value.trim_matches('"').to_owned()),
                };
                rows.push((oid.to_owned(), kind, value));
            }
            _ => {
                if let Some(last) = rows.last_mut() {
                    last.2.push(' ');
                    last.2.push_str(line);
                }
            }
        }
    }
    rows.into_iter()
        .filter(|(oid, _, _)| !VOLATILE.iter().any(|v| oid.starts_with(v)))
        .map(|(oid, kind, value)| {
            let (kind, value) = if kind == "Hex-STRING" {
                ("STRING".to_owned(), value.split_whitespace().collect())
            } else {
                (kind, value.trim().to_owned())
            };
            (oid, (kind, value))
        })
        .collect()
}

/// Our walk's bindings as [`net_snmp_values`] prints them.
async fn our_values(walk: Walk, what: &str) -> BTreeMap<String, (String, String)> {
    let rows = tokio::time::timeout(WALK_LIMIT, walk.collect())
        .await
        .unwrap_or_else(|_| panic!("{what}: not done within {WALK_LIMIT:?}"))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    rows.iter()
        .map(|vb| {
            let (kind, value) = match &vb.value {
                Value::OctetString(b) => (
                    "STRING".to_owned(),
                    b.iter().map(|o| format!("{o:02X}")).collect(),
                ),
                Value::Integer(i) => ("INTEGER".to_owned(), i.to_string()),
                Value::ObjectIdentifier(o) => ("OID".to_owned(), format!("{o:#}")),
                Value::IpAddress(a) => ("IpAddress".to_owned(), Ipv4Addr::from(*a).to_string()),
                Value::Counter32(n) => ("Counter32".to_owned(), n.to_string()),
                Value::Gauge32(n) => ("Gauge32".to_owned(), n.to_string()),
                Value::TimeTicks(n) => ("Timeticks".to_owned(), n.to_string()),
                Value::Counter64(n) => ("Counter64".to_owned(), n.to_string()),
                v => (v.type_name().to_owned(), format!("{v:?}")),
            };
            (format!("{:#}", vb.oid), (kind, value))
        })
        .filter(|(oid, _)| !VOLATILE.iter().any(|v| oid.starts_with(v)))
        .collect()
}

/// The OIDs where `ours` differs from `before`, among those whose value `before` and `after`
/// (net-snmp's walks on either side of ours) agree on; Opaque values (net-snmp's floats,
/// printed its own way) are not compared.
fn value_differences(
    before: &BTreeMap<String, (String, String)>,
    ours: &BTreeMap<String, (String, String)>,
    after: &BTreeMap<String, (String, String)>,
) -> (usize, BTreeMap<String, String>) {
    let mut compared = 0;
    let mut differences = BTreeMap::new();
    for (oid, theirs) in before {
        if after.get(oid) != Some(theirs) || theirs.0.to_ascii_lowercase().starts_with("opaque") {
            continue;
        }
        compared += 1;
        match ours.get(oid) {
            Some(mine) if mine.1 == theirs.1 => {}
            mine => {
                differences.insert(oid.clone(), format!("net-snmp {theirs:?}, ours {mine:?}"));
            }
        }
    }
    (compared, differences)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp's snmpd and tools: run by cargo xtask interop"]
async fn values_match_snmpwalk() {
    let snmpd = Snmpd::new("hlapi-whole-tree-values")
        .line("rocommunity public default")
        .line(&format!(
            "createUser {USER} SHA {AUTH_PASS} AES {PRIV_PASS}"
        ))
        .line(&format!("rouser {USER} priv"))
        .start()
        .expect("snmpd (Debian package snmpd) must be installed");
    let agent = snmpd.v4().to_string();
    let dir = snmpd.dir();
    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_secs(2)).retries(2);
    let manager = Manager::with_config(&config).await.unwrap();
    let udp: Target = agent.parse().unwrap();
    let v2c = Auth::community_v2c("public");
    let v3 = v3_auth();
    wait_for(&agent);
    let args = ["-v2c", "-c", "public"];
    for (label, bulk, auth) in [("v2c walk", false, &v2c), ("v3 bulk walk", true, &v3)] {
        // A value that changed and changed back between the two reference walks would be a
        // false difference: a difference must show in two rounds to count.
        let mut persistent: Option<BTreeMap<String, String>> = None;
        let mut compared = 0;
        for _round in 0..2 {
            let before = tokio::task::block_in_place(|| net_snmp_values(&args, &agent, dir));
            let walk = if bulk {
                manager.bulk_walk(&udp, auth, oid!(1), 25)
            } else {
                manager.walk(&udp, auth, oid!(1))
            };
            let ours = our_values(walk, label).await;
            let after = tokio::task::block_in_place(|| net_snmp_values(&args, &agent, dir));
            let (n, differences) = value_differences(&before, &ours, &after);
            compared = n;
            persistent = Some(match persistent {
                None => differences,
                Some(earlier) => earlier
                    .into_iter()
                    .filter(|(oid, _)| differences.contains_key(oid))
                    .collect(),
            });
            if persistent.as_ref().is_some_and(BTreeMap::is_empty) {
                break;
            }
        }
        let differences = persistent.unwrap_or_default();
        assert!(compared > 1000, "{label}: only {compared} values compared");
        assert!(
            differences.is_empty(),
            "{label}: {} of {compared} values differ: {:?}",
            differences.len(),
            differences.iter().take(10).collect::<Vec<_>>()
        );
        println!("{label}: {compared} values equal to snmpwalk's");
    }
}
