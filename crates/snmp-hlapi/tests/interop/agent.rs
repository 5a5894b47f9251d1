//! Real managers against OUR agent ([`snmp_hlapi::agent::Agent`]), started in-process on
//! loopback ports: net-snmp's command-line tools (snmpget, snmpgetnext, snmpbulkget,
//! snmpwalk, snmpbulkwalk, snmpset, snmptable) over SNMPv1, v2c and v3 with every auth/priv
//! pair net-snmp offers, over UDP/IPv4, UDP/IPv6 and TCP; the error answers of RFC 3416;
//! the drops and reports of a wrong community, password or user; a VACM view from an
//! snmpd.conf; and PySNMP 7's hlapi (`pysnmp_manager.py` beside this file).
//!
//! Each tool runs under `timeout` with `-t 1 -r 1`, with HOME, SNMPCONFPATH and
//! SNMP_PERSISTENT_DIR in a scratch directory of the test (no ~/.snmp, no /etc/snmp, and
//! net-snmp's engine cache per test), and without MIBs (`MIBS=""`, numeric output `-On`)
//! except for snmptable, which needs the table's definition.
//!
//! Wrong agent behaviour found here is listed in [`KNOWN_AGENT_BUGS`]: the assertion then
//! prints instead of failing, until the library is fixed and the entry removed.

use std::net::{Ipv6Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::Command;

use snmp_hlapi::agent::{Agent, AgentBuilder};
use snmp_hlapi::agent_config::AgentConfig;
use snmp_hlapi::instrument::{Access, Column, IndexSyntax, IndexValue, Scalar, Scalars, Syntax};
use snmp_hlapi::instrument::{Table, TableRows};
use snmp_hlapi::{AuthProtocol, PrivProtocol, SecurityLevel, Value, oid};
use snmp_peers::ScratchDir;
use snmp_transport::Protocol;
use snmp_usm::UsmUser;

/// Assertions about the agent that fail today, by name: [`check`] prints them instead of
/// failing. Remove an entry once the library is fixed.
const KNOWN_AGENT_BUGS: &[&str] = &[];

const AUTH_PASS: &str = "authpass-interop";
const PRIV_PASS: &str = "privpass-interop";
const SYS_NAME: &str = "interop-agent";
const SYS_LOCATION: &str = "rack 7";
/// The scalar group: .1 a writable DisplayString, .2 a read-only INTEGER, .3 a writable
/// INTEGER (0..100).
const SCALARS: &str = "1.3.6.1.4.1.99999.1";
const GREETING: &str = ".1.3.6.1.4.1.99999.1.1.0";
const FIXED: &str = ".1.3.6.1.4.1.99999.1.2.0";
const LEVEL: &str = ".1.3.6.1.4.1.99999.1.3.0";
/// The table's entry: INDEX { Integer32 }, column 2 a read-only name `row-N`, column 3 a
/// writable Gauge32 `N * 10`.
const ENTRY: &str = ".1.3.6.1.4.1.99999.2.1";
const ROWS: u32 = 50;
const SYSTEM: &str = ".1.3.6.1.2.1.1";

/// Fails with `what` unless `ok`, or prints it when `bug` is a known agent bug.
fn check(bug: &str, ok: bool, what: impl FnOnce() -> String) {
    if KNOWN_AGENT_BUGS.contains(&bug) {
        if ok {
            println!("KNOWN_AGENT_BUGS: {bug} passes now: remove it from the list");
        } else {
            println!("known agent bug {bug}: {}", what());
        }
        return;
    }
    assert!(ok, "{bug}: {}", what());
}

/// What a tool printed.
#[derive(Debug)]
pub(super) struct Run {
    pub(super) ok: bool,
    pub(super) stdout: String,
    pub(super) stderr: String,
}

impl Run {
    /// `OID = TYPE: VALUE` lines as (OID, TYPE, VALUE), the quotes of strings removed.
    pub(super) fn bindings(&self) -> Vec<(String, String, String)> {
        self.stdout
            .lines()
            .filter_map(|line| {
                let (oid, value) = line.split_once(" = ")?;
                // net-snmp prints the exceptions (noSuchObject, endOfMibView...) as
                // sentences: not bindings.
                if !oid.starts_with('.') || oid.contains(' ') || value.starts_with("No ") {
                    return None;
                }
                let (kind, value) = match value.split_once(": ") {
                    Some((k, v)) if !k.contains(' ') && !k.starts_with('"') => (k, v),
                    _ if value.starts_with('"') => ("STRING", value),
                    _ => ("", value),
                };
                let value = value.trim().trim_matches('"');
                Some((oid.to_owned(), kind.to_owned(), value.to_owned()))
            })
            .collect()
    }

    fn oids(&self) -> Vec<String> {
        self.bindings().into_iter().map(|(o, _, _)| o).collect()
    }

    /// The value printed for `oid`.
    fn value(&self, oid: &str) -> Option<String> {
        self.bindings()
            .into_iter()
            .find(|(o, _, _)| o == oid)
            .map(|(_, _, v)| v)
    }

    pub(super) fn all(&self) -> String {
        format!("stdout:\n{}stderr:\n{}", self.stdout, self.stderr)
    }
}

/// Runs net-snmp's `tool` with `args`, bounded by `timeout`, its files in `dir`.
pub(super) fn tool(dir: &Path, name: &str, args: &[&str]) -> Run {
    let out = Command::new("timeout")
        .args(["-k", "2", "15", name])
        .args(args)
        .env("HOME", dir)
        .env("SNMPCONFPATH", dir)
        .env("SNMP_PERSISTENT_DIR", dir)
        .env("MIBS", "")
        .env_remove("MIBDIRS")
        .output()
        .expect("net-snmp's tools (Debian package snmp) and coreutils' timeout must be installed");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The agent under test and what the test needs to reach it.
struct Fixture {
    agent: Agent,
    dir: ScratchDir,
    greeting: Scalar,
    rows: TableRows,
    udp4: String,
    udp6: Option<String>,
    tcp4: String,
}

impl Fixture {
    /// Runs `name` with the v1/v2c `community` against `target`, then `args`.
    fn community(&self, name: &str, version: &str, community: &str, args: &[&str]) -> Run {
        self.community_at(&self.udp4, name, version, community, args)
    }

    fn community_at(
        &self,
        target: &str,
        name: &str,
        version: &str,
        community: &str,
        args: &[&str],
    ) -> Run {
        let mut all = vec!["-v", version, "-c", community, "-On", "-t", "1", "-r", "1"];
        all.push(target);
        all.extend_from_slice(args);
        tool(self.dir.path(), name, &all)
    }

    /// Runs snmptable with the v1/v2c `community` against `target`, with the MIB files of
    /// `mib_path` (its `-On` has no column names, so not there), then `args`.
    fn snmptable(&self, target: &str, version: &str, mib_path: &str, args: &[&str]) -> Run {
        let mut all = vec![
            "-v", version, "-c", "public", "-t", "1", "-r", "1", "-M", mib_path,
        ];
        all.push(target);
        all.extend_from_slice(args);
        tool(self.dir.path(), "snmptable", &all)
    }

    /// Runs `name` as the USM `user` (see [`V3User::flags`]).
    fn usm(&self, name: &str, user: &V3User, args: &[&str]) -> Run {
        self.usm_at(&self.udp4, name, user, args)
    }

    fn usm_at(&self, target: &str, name: &str, user: &V3User, args: &[&str]) -> Run {
        let flags = user.flags();
        let mut all: Vec<&str> = vec!["-v3", "-On", "-t", "1", "-r", "1"];
        all.extend(flags.iter().map(String::as_str));
        all.push(target);
        all.extend_from_slice(args);
        tool(self.dir.path(), name, &all)
    }

    async fn stop(self) {
        self.agent.shutdown().await;
    }
}

/// One USM user as net-snmp's flags name it.
#[derive(Clone, Debug)]
struct V3User {
    name: String,
    auth: Option<(AuthProtocol, &'static str)>,
    privacy: Option<(PrivProtocol, &'static str)>,
    auth_pass: String,
}

impl V3User {
    fn new(
        auth: Option<(AuthProtocol, &'static str)>,
        privacy: Option<(PrivProtocol, &'static str)>,
    ) -> Self {
        let a = auth.map_or("none", |(_, n)| n);
        let p = privacy.map_or("none", |(_, n)| n);
        Self {
            name: format!("u-{a}-{p}").to_lowercase(),
            auth,
            privacy,
            auth_pass: AUTH_PASS.to_owned(),
        }
    }

    fn level(&self) -> SecurityLevel {
        match (self.auth, self.privacy) {
            (None, _) => SecurityLevel::NoAuthNoPriv,
            (Some(_), None) => SecurityLevel::AuthNoPriv,
            (Some(_), Some(_)) => SecurityLevel::AuthPriv,
        }
    }

    fn usm_user(&self) -> UsmUser {
        let mut user = UsmUser::new(self.name.clone());
        if let Some((a, _)) = self.auth {
            user = user.with_auth(a, AUTH_PASS.as_bytes()).unwrap();
        }
        if let Some((p, _)) = self.privacy {
            user = user.with_privacy(p, PRIV_PASS.as_bytes()).unwrap();
        }
        user
    }

    fn flags(&self) -> Vec<String> {
        let mut f = vec!["-u".to_owned(), self.name.clone(), "-l".to_owned()];
        f.push(
            match self.level() {
                SecurityLevel::NoAuthNoPriv => "noAuthNoPriv",
                SecurityLevel::AuthNoPriv => "authNoPriv",
                _ => "authPriv",
            }
            .to_owned(),
        );
        if let Some((_, a)) = self.auth {
            f.extend(["-a".to_owned(), a.to_owned(), "-A".to_owned()]);
            f.push(self.auth_pass.clone());
        }
        if let Some((_, p)) = self.privacy {
            f.extend(["-x".to_owned(), p.to_owned(), "-X".to_owned()]);
            f.push(PRIV_PASS.to_owned());
        }
        f
    }
}

const AUTHS: [(AuthProtocol, &str); 6] = [
    (AuthProtocol::Md5, "MD5"),
    (AuthProtocol::Sha1, "SHA"),
    (AuthProtocol::Sha224, "SHA-224"),
    (AuthProtocol::Sha256, "SHA-256"),
    (AuthProtocol::Sha384, "SHA-384"),
    (AuthProtocol::Sha512, "SHA-512"),
];

/// The privacy protocols this net-snmp build accepts (`-x`), with a note for the others.
fn privs(dir: &Path) -> Vec<(PrivProtocol, &'static str)> {
    let help = tool(dir, "snmpget", &["-h"]);
    let help = format!("{}{}", help.stdout, help.stderr);
    let line = help
        .lines()
        .find(|l| l.trim_start().starts_with("-x PROTOCOL"))
        .unwrap_or_default()
        .to_owned();
    let mut out = Vec::new();
    for (p, n) in [
        (PrivProtocol::Des, "DES"),
        (PrivProtocol::Aes128, "AES"),
        (PrivProtocol::Aes192, "AES-192"),
        (PrivProtocol::Aes256, "AES-256"),
    ] {
        if line.split(['(', ')', '|']).any(|w| w == n) {
            out.push((p, n));
        } else {
            println!("this net-snmp does not offer -x {n}: skipped ({line:?})");
        }
    }
    out
}

/// Every user of the v3 tests: noAuthNoPriv, each auth alone, each auth with each privacy.
fn all_users(dir: &Path) -> Vec<V3User> {
    let privs = privs(dir);
    let mut users = vec![V3User::new(None, None)];
    for a in AUTHS {
        users.push(V3User::new(Some(a), None));
        for &p in &privs {
            users.push(V3User::new(Some(a), Some(p)));
        }
    }
    users
}

/// The SHA/AES authPriv user, read-write.
fn setter() -> V3User {
    V3User::new(
        Some((AuthProtocol::Sha1, "SHA")),
        Some((PrivProtocol::Aes128, "AES")),
    )
}

fn ipv6_loopback() -> bool {
    UdpSocket::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

/// Starts the agent: UDP on 127.0.0.1 and ::1, TCP on 127.0.0.1, all on free ports;
/// communities `public` (read) and `private` (write); the system group named
/// [`SYS_NAME`]; the scalars and the 50-row table; then whatever `more` adds.
async fn start(what: &str, more: impl FnOnce(AgentBuilder) -> AgentBuilder) -> Fixture {
    let dir = ScratchDir::new(what).unwrap();
    let greeting = Scalar::read_write("hello", Syntax::display_string());
    let scalars = Scalars::new(SCALARS.parse().unwrap())
        .object(1, greeting.clone())
        .object(2, Scalar::read_only(Value::Integer(42)))
        .object(
            3,
            Scalar::read_write(Value::Integer(5), Syntax::integer().range(0, 100)),
        );
    let table = Table::new(ENTRY.trim_start_matches('.').parse().unwrap())
        .index(IndexSyntax::Integer)
        .column(2, Column::new(Syntax::display_string(), Access::ReadOnly))
        .column(3, Column::new(Syntax::gauge32(), Access::ReadWrite));
    let rows = table.rows();
    for i in 1..=ROWS {
        rows.insert_row(
            &[IndexValue::Integer(i)],
            [
                (2, Value::OctetString(format!("row-{i}").into())),
                (3, Value::Gauge32(i * 10)),
            ],
        )
        .unwrap();
    }
    let mut builder = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .listen_tcp("127.0.0.1:0".parse().unwrap());
    let v6 = ipv6_loopback();
    if v6 {
        builder = builder.listen_udp("[::1]:0".parse().unwrap());
    } else {
        println!("no IPv6 loopback: udp6 not tested");
    }
    let builder = builder
        .rocommunity("public")
        .rwcommunity("private")
        .system(|s| {
            s.name = SYS_NAME.to_owned();
            s.location = SYS_LOCATION.to_owned();
            s.contact = "ops@example.org".to_owned();
            s.read_only = false;
        })
        .register(scalars.root().clone(), scalars)
        .register(table.entry().clone(), table);
    let agent = more(builder).start().await.expect("the agent starts");
    let find = |protocol: Protocol, v4: bool| {
        agent
            .local_addrs()
            .iter()
            .find(|l| l.protocol == protocol && l.addr.is_ipv4() == v4)
            .map(|l| l.addr)
    };
    let udp4 = find(Protocol::Udp, true).unwrap();
    let tcp4 = find(Protocol::Tcp, true).unwrap();
    let udp6 = find(Protocol::Udp, false);
    assert_eq!(agent.udp_addr().map(|a| a.is_ipv4()), Some(true));
    Fixture {
        udp4: format!("udp:{udp4}"),
        udp6: udp6.map(|a: SocketAddr| format!("udp6:{a}")),
        tcp4: format!("tcp:{tcp4}"),
        agent,
        dir,
        greeting,
        rows,
    }
}

/// `oid` as sub-identifiers, for ordering.
fn arcs(oid: &str) -> Vec<u32> {
    oid.trim_start_matches('.')
        .split('.')
        .map(|a| a.parse().unwrap())
        .collect()
}

fn strictly_increasing(oids: &[String]) -> bool {
    oids.windows(2).all(|w| arcs(&w[0]) < arcs(&w[1]))
}

/// The OIDs of the table's two columns, in walk order.
fn table_oids() -> Vec<String> {
    [2, 3]
        .iter()
        .flat_map(|c| (1..=ROWS).map(move |r| format!("{ENTRY}.{c}.{r}")))
        .collect()
}

/// A walk of the system group: sysDescr.0 .. sysServices.0 first, in order, all inside.
fn check_system_walk(label: &str, run: &Run) {
    let oids = run.oids();
    let first: Vec<String> = (1..=7).map(|i| format!("{SYSTEM}.{i}.0")).collect();
    check(
        "system-walk",
        run.ok && oids.len() >= 7 && oids[..7] == first[..],
        || format!("{label}: {}", run.all()),
    );
    check(
        "system-walk-order",
        strictly_increasing(&oids) && oids.iter().all(|o| o.starts_with(&format!("{SYSTEM}."))),
        || format!("{label}: {oids:?}"),
    );
    check(
        "system-walk-sysname",
        run.value(&format!("{SYSTEM}.5.0")).as_deref() == Some(SYS_NAME),
        || format!("{label}: {}", run.all()),
    );
}

/// A walk of the table: both columns, all 50 rows, with their values.
fn check_table_walk(label: &str, run: &Run) {
    check("table-walk", run.ok && run.oids() == table_oids(), || {
        format!("{label}: {}", run.all())
    });
    for r in [1, 17, ROWS] {
        check(
            "table-walk-values",
            run.value(&format!("{ENTRY}.2.{r}")) == Some(format!("row-{r}"))
                && run.value(&format!("{ENTRY}.3.{r}")) == Some((r * 10).to_string()),
            || format!("{label}, row {r}: {}", run.all()),
        );
    }
}

fn check_get_sysname(label: &str, run: &Run) {
    check(
        "get-sysname",
        run.ok && run.value(&format!("{SYSTEM}.5.0")).as_deref() == Some(SYS_NAME),
        || format!("{label}: {}", run.all()),
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_v1_and_v2c() {
    let f = start("agent-v1v2c", |b| b).await;
    let sys_name = format!("{SYSTEM}.5.0");
    for v in ["1", "2c"] {
        let label = |what: &str| format!("v{v} {what}");
        check_get_sysname(
            &label("snmpget"),
            &f.community("snmpget", v, "public", &[&sys_name]),
        );
        let next = f.community("snmpgetnext", v, "public", &[&format!("{SYSTEM}.1.0")]);
        check(
            "getnext",
            next.ok && next.oids() == [format!("{SYSTEM}.2.0")],
            || format!("{}: {}", label("snmpgetnext"), next.all()),
        );
        let walk = f.community("snmpwalk", v, "public", &[SYSTEM]);
        check_system_walk(&label("snmpwalk"), &walk);
        let walk = f.community("snmpwalk", v, "public", &[ENTRY]);
        check_table_walk(&label("snmpwalk table"), &walk);
    }
    // GETBULK: v2c only. One non-repeater, then 5 rows of the name column.
    let bulk = f.community(
        "snmpbulkget",
        "2c",
        "public",
        &["-Cn1", "-Cr5", SYSTEM, &format!("{ENTRY}.2")],
    );
    let mut expected = vec![format!("{SYSTEM}.1.0")];
    expected.extend((1..=5).map(|r| format!("{ENTRY}.2.{r}")));
    check("bulkget", bulk.ok && bulk.oids() == expected, || bulk.all());
    let walk = f.community("snmpbulkwalk", "2c", "public", &["-Cr20", SYSTEM]);
    check_system_walk("v2c snmpbulkwalk", &walk);
    let walk = f.community("snmpbulkwalk", "2c", "public", &["-Cr7", ENTRY]);
    check_table_walk("v2c snmpbulkwalk table", &walk);
    // v1 has no GETBULK: snmpbulkwalk refuses, our agent is not asked.
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_v3_every_auth_and_priv() {
    let scratch = ScratchDir::new("agent-v3-probe").unwrap();
    let users = all_users(scratch.path());
    let for_agent = users.clone();
    let f = start("agent-v3", move |mut b| {
        for u in &for_agent {
            b = b.user(u.usm_user()).rouser(u.name.as_str(), u.level());
        }
        b
    })
    .await;
    let sys_name = format!("{SYSTEM}.5.0");
    let mut tried = Vec::new();
    for u in &users {
        let run = f.usm("snmpget", u, &[&sys_name]);
        check_get_sysname(&format!("v3 {} snmpget", u.name), &run);
        tried.push(u.name.clone());
    }
    println!("v3 snmpget as {} users: {}", tried.len(), tried.join(" "));
    // Walks as the strongest and the weakest pairs.
    let strong = users.last().unwrap();
    let weak = &users[1];
    for u in [weak, strong] {
        let run = f.usm("snmpgetnext", u, &[&format!("{SYSTEM}.4.0")]);
        check(
            "getnext",
            run.ok && run.oids() == [sys_name.clone()],
            || format!("v3 {}: {}", u.name, run.all()),
        );
        check_system_walk(
            &format!("v3 {} snmpwalk", u.name),
            &f.usm("snmpwalk", u, &[SYSTEM]),
        );
        check_table_walk(
            &format!("v3 {} snmpbulkwalk", u.name),
            &f.usm("snmpbulkwalk", u, &["-Cr9", ENTRY]),
        );
        let bulk = f.usm("snmpbulkget", u, &["-Cn0", "-Cr3", &format!("{ENTRY}.3")]);
        let expected: Vec<String> = (1..=3).map(|r| format!("{ENTRY}.3.{r}")).collect();
        check("bulkget", bulk.ok && bulk.oids() == expected, || bulk.all());
    }
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_over_ipv6_and_tcp() {
    let u = setter();
    let user = u.clone();
    let f = start("agent-transports", move |b| {
        b.user(user.usm_user())
            .rouser(user.name.as_str(), SecurityLevel::AuthPriv)
    })
    .await;
    let sys_name = format!("{SYSTEM}.5.0");
    let mut targets = vec![f.tcp4.clone()];
    targets.extend(f.udp6.clone());
    for t in &targets {
        for v in ["1", "2c"] {
            let run = f.community_at(t, "snmpget", v, "public", &[&sys_name]);
            check_get_sysname(&format!("{t} v{v}"), &run);
        }
        let run = f.usm_at(t, "snmpget", &u, &[&sys_name]);
        check_get_sysname(&format!("{t} v3"), &run);
        let walk = f.community_at(t, "snmpbulkwalk", "2c", "public", &["-Cr10", ENTRY]);
        check_table_walk(&format!("{t} v2c snmpbulkwalk"), &walk);
        let walk = f.usm_at(t, "snmpwalk", &u, &[SYSTEM]);
        check_system_walk(&format!("{t} v3 snmpwalk"), &walk);
    }
    println!("over {}: get, bulkwalk, v3 walk", targets.join(", "));
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_set_then_read_back() {
    let u = setter();
    let user = u.clone();
    let f = start("agent-set", move |b| {
        b.user(user.usm_user())
            .rwuser(user.name.as_str(), SecurityLevel::AuthPriv)
    })
    .await;
    let sys_location = format!("{SYSTEM}.6.0");
    // v2c, the rw community.
    let set = f.community(
        "snmpset",
        "2c",
        "private",
        &[
            GREETING,
            "s",
            "world",
            &sys_location,
            "s",
            "moved",
            LEVEL,
            "i",
            "77",
        ],
    );
    check(
        "set-v2c",
        set.ok
            && set.value(GREETING).as_deref() == Some("world")
            && set.value(&sys_location).as_deref() == Some("moved")
            && set.value(LEVEL).as_deref() == Some("77"),
        || set.all(),
    );
    let get = f.community("snmpget", "2c", "public", &[GREETING, &sys_location, LEVEL]);
    check(
        "set-v2c-read-back",
        get.value(GREETING).as_deref() == Some("world")
            && get.value(&sys_location).as_deref() == Some("moved")
            && get.value(LEVEL).as_deref() == Some("77"),
        || get.all(),
    );
    assert_eq!(f.greeting.value(), Value::from("world"));
    assert_eq!(f.agent.responder().system().location, "moved");
    // A table cell.
    let cell = format!("{ENTRY}.3.7");
    let set = f.community("snmpset", "2c", "private", &[&cell, "u", "1234"]);
    check("set-v2c-cell", set.ok, || set.all());
    let get = f.community("snmpget", "2c", "public", &[&cell]);
    check(
        "set-v2c-cell-read-back",
        get.value(&cell).as_deref() == Some("1234"),
        || get.all(),
    );
    assert_eq!(
        f.rows.cell(&[IndexValue::Integer(7)], 3),
        Some(Value::Gauge32(1234))
    );
    // v1, the rw community.
    let set = f.community("snmpset", "1", "private", &[GREETING, "s", "from-v1"]);
    check("set-v1", set.ok, || set.all());
    let get = f.community("snmpget", "1", "public", &[GREETING]);
    check(
        "set-v1-read-back",
        get.value(GREETING).as_deref() == Some("from-v1"),
        || get.all(),
    );
    // v3, the rw user at authPriv.
    let set = f.usm(
        "snmpset",
        &u,
        &[GREETING, "s", "from-v3", &sys_location, "s", "v3 room"],
    );
    check("set-v3", set.ok, || set.all());
    let get = f.usm("snmpget", &u, &[GREETING, &sys_location]);
    check(
        "set-v3-read-back",
        get.value(GREETING).as_deref() == Some("from-v3")
            && get.value(&sys_location).as_deref() == Some("v3 room"),
        || get.all(),
    );
    assert_eq!(f.greeting.value(), Value::from("from-v3"));
    f.stop().await;
}

/// net-snmp's `Reason:` line of a failed request.
fn reason(run: &Run) -> String {
    run.stderr
        .lines()
        .chain(run.stdout.lines())
        .find(|l| l.starts_with("Reason:"))
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_set_errors() {
    let f = start("agent-set-errors", |b| b).await;
    let up_time = format!("{SYSTEM}.3.0");
    let absent = ".1.3.6.1.4.1.99999.1.9.0";
    let cases: &[(&str, &str, &str, [&str; 3], &str)] = &[
        (
            "set-read-only",
            "2c",
            "private",
            [FIXED, "i", "5"],
            "notWritable",
        ),
        (
            "set-sysuptime",
            "2c",
            "private",
            [&up_time, "t", "5"],
            "notWritable",
        ),
        (
            "set-wrong-type",
            "2c",
            "private",
            [GREETING, "i", "5"],
            "wrongType",
        ),
        (
            "set-wrong-value",
            "2c",
            "private",
            [LEVEL, "i", "500"],
            "wrongValue",
        ),
        // RFC 3416 4.2.5 (2) or (7), as one reads "share the same prefix".
        (
            "set-no-creation",
            "2c",
            "private",
            [absent, "s", "x"],
            "notWritable|noCreation",
        ),
        (
            "set-ro-community",
            "2c",
            "public",
            [GREETING, "s", "x"],
            "noAccess",
        ),
        (
            "set-v1-read-only",
            "1",
            "private",
            [FIXED, "i", "5"],
            "(noSuchName)",
        ),
        (
            "set-v1-wrong-type",
            "1",
            "private",
            [GREETING, "i", "5"],
            "(badValue)",
        ),
        (
            "set-v1-wrong-value",
            "1",
            "private",
            [LEVEL, "i", "500"],
            "(badValue)",
        ),
        (
            "set-v1-ro-community",
            "1",
            "public",
            [GREETING, "s", "x"],
            "(noSuchName)",
        ),
    ];
    for (bug, v, community, args, expected) in cases {
        let run = f.community("snmpset", v, community, args);
        let reason = reason(&run);
        check(
            bug,
            !run.ok
                && expected
                    .split('|')
                    .any(|e| reason.starts_with(&format!("Reason: {e}"))),
            || {
                format!(
                    "snmpset -v{v} -c {community} {args:?}: want {expected}: {}",
                    run.all()
                )
            },
        );
        // A failed SET changes nothing.
        assert_eq!(f.greeting.value(), Value::from("hello"), "{bug}");
    }
    let get = f.community("snmpget", "2c", "public", &[FIXED, LEVEL]);
    check(
        "set-errors-unchanged",
        get.value(FIXED).as_deref() == Some("42") && get.value(LEVEL).as_deref() == Some("5"),
        || get.all(),
    );
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_wrong_community_password_user() {
    let u = setter();
    let user = u.clone();
    let auth_only = V3User::new(Some((AuthProtocol::Sha1, "SHA")), None);
    let other = auth_only.clone();
    let f = start("agent-auth-errors", move |b| {
        b.user(user.usm_user())
            .rouser(user.name.as_str(), SecurityLevel::AuthPriv)
            .user(other.usm_user())
            .rouser(other.name.as_str(), SecurityLevel::AuthNoPriv)
    })
    .await;
    let sys_name = format!("{SYSTEM}.5.0");
    // One request (-r 0), dropped without an answer, counted.
    let run = tool(
        f.dir.path(),
        "snmpget",
        &[
            "-v2c", "-c", "wrong", "-On", "-t", "1", "-r", "0", &f.udp4, &sys_name,
        ],
    );
    check(
        "bad-community-dropped",
        !run.ok && run.stderr.contains("Timeout: No Response"),
        || run.all(),
    );
    let bad_names = ".1.3.6.1.2.1.11.4.0";
    let run = f.community("snmpget", "2c", "public", &[bad_names]);
    check(
        "bad-community-counted",
        run.bindings() == [(bad_names.to_owned(), "Counter32".to_owned(), "1".to_owned())],
        || run.all(),
    );
    // A wrong password: usmStatsWrongDigests' report.
    let mut wrong = u.clone();
    wrong.auth_pass = "not-the-password".to_owned();
    let run = f.usm("snmpget", &wrong, &[&sys_name]);
    check(
        "wrong-password-report",
        !run.ok
            && run
                .stderr
                .contains("Authentication failure (incorrect password, community or key)"),
        || run.all(),
    );
    // An unknown user: usmStatsUnknownUserNames' report.
    let mut nobody = V3User::new(None, None);
    nobody.name = "nobody".to_owned();
    let run = f.usm("snmpget", &nobody, &[&sys_name]);
    check(
        "unknown-user-report",
        !run.ok && run.stderr.contains("Unknown user name"),
        || run.all(),
    );
    // authPriv asked of a user without a privacy key: usmStatsUnsupportedSecLevels' report.
    let too_high = V3User {
        privacy: Some((PrivProtocol::Aes128, "AES")),
        ..auth_only.clone()
    };
    let run = f.usm("snmpget", &too_high, &[&sys_name]);
    check(
        "unsupported-level-report",
        !run.ok && run.stderr.contains("Unsupported security level"),
        || run.all(),
    );
    // A level the user has, but below its access entry's (rouser ... priv): refused by
    // the VACM, authorizationError (RFC 3413 section 3.2 (5)).
    let too_low = V3User {
        privacy: None,
        ..u.clone()
    };
    let run = f.usm("snmpget", &too_low, &[&sys_name]);
    check(
        "below-access-level",
        !run.ok && reason(&run).starts_with("Reason: authorizationError"),
        || run.all(),
    );
    // The user at its level still reads.
    check_get_sysname(
        "auth-only user",
        &f.usm("snmpget", &auth_only, &[&sys_name]),
    );
    // Both counted.
    let (unknown, digests) = (".1.3.6.1.6.3.15.1.1.3.0", ".1.3.6.1.6.3.15.1.1.5.0");
    let run = f.community("snmpget", "2c", "public", &[unknown, digests]);
    let count = |oid| {
        run.value(oid)
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    };
    check(
        "usm-stats-counted",
        count(unknown) >= 1 && count(digests) >= 1,
        || run.all(),
    );
    f.stop().await;
}

const VACM_CONF: &str = "\
createUser limited SHA authpass-interop
rouser limited auth .1.3.6.1.2.1.1
com2sec sysonly default narrow
group narrowgroup v2c sysonly
view narrowview included .1.3.6.1.2.1.1
view narrowview included .1.3.6.1.4.1.99999.2.1.2.1
access narrowgroup \"\" any noauth exact narrowview none none
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_vacm_views_from_snmpd_conf() {
    let (config, warnings) = AgentConfig::parse(VACM_CONF, "vacm.conf").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = start("agent-vacm", move |b| b.config(&config).unwrap()).await;
    let limited = V3User::new(Some((AuthProtocol::Sha1, "SHA")), None);
    let limited = V3User {
        name: "limited".to_owned(),
        ..limited
    };
    // The user's view: the system group only.
    let walk = f.usm("snmpwalk", &limited, &[".1.3.6.1"]);
    check_system_walk("v3 limited snmpwalk .1.3.6.1", &walk);
    let walk = f.usm("snmpbulkwalk", &limited, &[".1"]);
    check_system_walk("v3 limited snmpbulkwalk .1", &walk);
    let get = f.usm("snmpget", &limited, &[GREETING]);
    check(
        "vacm-out-of-view",
        get.stdout
            .contains("No Such Object available on this agent at this OID"),
        || get.all(),
    );
    // The community's view: the system group and one cell of the table.
    let walk = f.community("snmpwalk", "2c", "narrow", &[".1"]);
    let oids = walk.oids();
    let outside: Vec<&String> = oids
        .iter()
        .filter(|o| !o.starts_with(&format!("{SYSTEM}.")))
        .collect();
    check(
        "vacm-community-view",
        walk.ok && oids.len() > 7 && outside == [&format!("{ENTRY}.2.1")],
        || walk.all(),
    );
    // The group is for v2c only: over v1 the community has no access at all, which the
    // agent answers authorizationError, noSuchName in v1 (RFC 3584 section 4.4).
    let walk = f.community("snmpwalk", "1", "narrow", &[".1"]);
    check(
        "vacm-community-view-v1",
        walk.oids().is_empty() && walk.stdout.contains("End of MIB"),
        || walk.all(),
    );
    // The other communities still see everything.
    let walk = f.community("snmpbulkwalk", "2c", "public", &[ENTRY]);
    check_table_walk("public after the conf", &walk);
    f.stop().await;
}

/// The directory of the IETF MIB files (SNMPv2-SMI, IF-MIB...): $SNMP_RS_MIBS, the
/// project's shared/mibs/ietf, or net-snmp's own if it has IF-MIB.
fn ietf_mibs() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut candidates: Vec<PathBuf> = std::env::var_os("SNMP_RS_MIBS")
        .map(PathBuf::from)
        .into_iter()
        .collect();
    for up in ["../../../shared/mibs/ietf", "../../../../shared/mibs/ietf"] {
        candidates.push(manifest.join(up));
    }
    candidates.push(PathBuf::from("/usr/share/snmp/mibs/ietf"));
    candidates.push(PathBuf::from("/usr/share/snmp/mibs"));
    candidates
        .into_iter()
        .find(|d| d.join("IF-MIB.txt").is_file() || d.join("IF-MIB").is_file())
}

/// The test table's definition, for snmptable.
const TEST_MIB: &str = r#"SNMPRS-TEST-MIB DEFINITIONS ::= BEGIN
IMPORTS
    OBJECT-TYPE, Integer32, Gauge32, enterprises FROM SNMPv2-SMI
    DisplayString FROM SNMPv2-TC;

snmpRsTest OBJECT IDENTIFIER ::= { enterprises 99999 }

testTable OBJECT-TYPE
    SYNTAX SEQUENCE OF TestEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "The interop test table."
    ::= { snmpRsTest 2 }

testEntry OBJECT-TYPE
    SYNTAX TestEntry
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "A row."
    INDEX { testIndex }
    ::= { testTable 1 }

TestEntry ::= SEQUENCE { testIndex Integer32, testName DisplayString, testValue Gauge32 }

testIndex OBJECT-TYPE
    SYNTAX Integer32 (1..2147483647)
    MAX-ACCESS not-accessible
    STATUS current
    DESCRIPTION "The index."
    ::= { testEntry 1 }

testName OBJECT-TYPE
    SYNTAX DisplayString
    MAX-ACCESS read-only
    STATUS current
    DESCRIPTION "The name."
    ::= { testEntry 2 }

testValue OBJECT-TYPE
    SYNTAX Gauge32
    MAX-ACCESS read-write
    STATUS current
    DESCRIPTION "The value."
    ::= { testEntry 3 }

END
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_snmptable() {
    let Some(ietf) = ietf_mibs() else {
        println!(
            "snmptable: no IETF MIB files (IF-MIB.txt) found; set SNMP_RS_MIBS to their \
             directory: skipped"
        );
        return;
    };
    let f = start("agent-snmptable", AgentBuilder::host_mibs).await;
    let mibs = f.dir.path().join("mibs");
    std::fs::create_dir_all(&mibs).unwrap();
    std::fs::write(mibs.join("SNMPRS-TEST-MIB.txt"), TEST_MIB).unwrap();
    let path = format!("{}:{}", mibs.display(), ietf.display());
    for (version, target) in [("2c", &f.udp4), ("1", &f.udp4), ("2c", &f.tcp4)] {
        let run = f.snmptable(
            target,
            version,
            &path,
            &[
                "-m",
                "SNMPRS-TEST-MIB",
                "-Cf",
                ",",
                "SNMPRS-TEST-MIB::testTable",
            ],
        );
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with("row-"))
            .collect();
        let expected: Vec<String> = (1..=ROWS).map(|r| format!("row-{r},{}", r * 10)).collect();
        check(
            "snmptable",
            run.ok && run.stdout.contains("testName,testValue") && lines == expected,
            || format!("v{version} {target}: {}", run.all()),
        );
    }
    // IF-MIB::ifTable from the host MIBs: one line per interface, ifNumber of them.
    let run = f.snmptable(
        &f.udp4,
        "2c",
        &path,
        &["-m", "IF-MIB", "-Cf", "|", "-Ci", "IF-MIB::ifTable"],
    );
    let if_number = f.community("snmpget", "2c", "public", &[".1.3.6.1.2.1.2.1.0"]);
    let n: usize = if_number
        .value(".1.3.6.1.2.1.2.1.0")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let header = run.stdout.lines().find(|l| l.contains("ifDescr"));
    let rows = header.map_or(0, |h| {
        run.stdout
            .lines()
            .skip_while(|l| *l != h)
            .skip(1)
            .filter(|l| l.contains('|'))
            .count()
    });
    check(
        "snmptable-iftable",
        run.ok
            && n > 0
            && rows == n
            && header.is_some_and(|h| h.starts_with("index|ifIndex|ifDescr")),
        || format!("ifNumber {n}: {}", run.all()),
    );
    println!("snmptable: {ROWS} rows of testTable (v1, v2c, TCP), ifTable with {n} rows");
    f.stop().await;
}

/// Runs `pysnmp_manager.py` (PySNMP 7 hlapi) against the agent.
fn pysnmp(port: u16, args: &[&str]) -> Run {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/pysnmp_manager.py"
    );
    let out = Command::new("timeout")
        .args(["-k", "2", "20", "python3", script, &port.to_string()])
        .args(args)
        .output()
        .expect("python3 must be installed");
    Run {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn pysnmp_hlapi_v2c_and_v3() {
    let u = setter();
    let user = u.clone();
    let f = start("agent-pysnmp", move |b| {
        b.user(user.usm_user())
            .rwuser(user.name.as_str(), SecurityLevel::AuthPriv)
    })
    .await;
    let port = f.agent.udp_addr().unwrap().port();
    let greeting = GREETING.trim_start_matches('.');
    let column = format!("{}.2", ENTRY.trim_start_matches('.'));
    for (label, args) in [
        ("v2c", vec!["v2c", "private"]),
        ("v3", vec!["v3", u.name.as_str(), AUTH_PASS, PRIV_PASS]),
    ] {
        let run = pysnmp(port, &args);
        assert!(
            !run.stderr.contains("ModuleNotFoundError"),
            "PySNMP 7 (pip install pysnmp) must be installed: {}",
            run.stderr
        );
        let lines: Vec<&str> = run.stdout.lines().collect();
        let rows: Vec<String> = (1..=ROWS)
            .map(|r| format!("{column}.{r} = row-{r}"))
            .collect();
        let with = |what: &str| -> Vec<String> {
            lines
                .iter()
                .filter_map(|l| l.strip_prefix(what))
                .map(str::to_owned)
                .collect()
        };
        let expected_value = format!("{greeting} = set-by-pysnmp-{label}");
        check(
            "pysnmp",
            run.ok
                && with("error ").is_empty()
                && with("get ").first().map(String::as_str)
                    == Some(&*format!("1.3.6.1.2.1.1.5.0 = {SYS_NAME}"))
                && with("walk ") == rows
                && with("walk1 ") == rows
                && with("set ") == [expected_value.clone()]
                && with("get ").last() == Some(&expected_value),
            || format!("{label}: {}", run.all()),
        );
        assert_eq!(
            f.greeting.value(),
            Value::OctetString(format!("set-by-pysnmp-{label}").into())
        );
    }
    f.stop().await;
}

#[test]
fn the_pysnmp_script_is_there() {
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/interop/pysnmp_manager.py"
    );
    assert!(Path::new(script).is_file());
    // The names the tests use are the agent's.
    assert_eq!(oid!(1, 3, 6, 1, 4, 1, 99999, 1).to_string(), SCALARS);
}

/// net-snmp's `snmpusm` against the agent's usmUserTable: create (a clone of the SHA/AES
/// user), passwd of the authentication and the privacy key, deactivate, activate, delete;
/// the new user reads with its new passwords, and the table shows each state.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_snmpusm_manages_users() {
    let u = setter();
    let user = u.clone();
    let f = start("agent-snmpusm", move |b| {
        b.user(user.usm_user())
            .rwuser(user.name.as_str(), SecurityLevel::AuthPriv)
            // The user snmpusm makes gets read access once it exists.
            .rouser("newbie", SecurityLevel::AuthPriv)
    })
    .await;
    let admin: Vec<String> = u.flags();
    let admin: Vec<&str> = admin.iter().map(String::as_str).collect();
    let usm = |args: &[&str]| {
        let mut all: Vec<&str> = vec!["-v3"];
        all.extend_from_slice(&admin);
        all.extend_from_slice(args);
        tool(f.dir.path(), "snmpusm", &all)
    };
    let newbie = |auth: &str, privacy: &str| {
        tool(
            f.dir.path(),
            "snmpget",
            &[
                "-v3",
                "-u",
                "newbie",
                "-l",
                "authPriv",
                "-a",
                "SHA",
                "-A",
                auth,
                "-x",
                "AES",
                "-X",
                privacy,
                "-On",
                "-t",
                "1",
                "-r",
                "1",
                &f.udp4,
                &format!("{SYSTEM}.5.0"),
            ],
        )
    };
    let create = usm(&[&f.udp4, "create", "newbie", &u.name]);
    assert!(
        create.ok && create.stdout.contains("User successfully created"),
        "{}",
        create.all()
    );
    // A clone has the keys of the user it was cloned from.
    let get = newbie(AUTH_PASS, PRIV_PASS);
    assert_eq!(
        get.value(&format!("{SYSTEM}.5.0")).as_deref(),
        Some(SYS_NAME),
        "{}",
        get.all()
    );
    let passwd = usm(&[
        "-Ca",
        &f.udp4,
        "passwd",
        AUTH_PASS,
        "newbie-auth-1",
        "newbie",
    ]);
    assert!(passwd.ok, "{}", passwd.all());
    let passwd = usm(&[
        "-Cx",
        &f.udp4,
        "passwd",
        PRIV_PASS,
        "newbie-priv-1",
        "newbie",
    ]);
    assert!(passwd.ok, "{}", passwd.all());
    let old = newbie(AUTH_PASS, PRIV_PASS);
    assert!(
        !old.ok && old.stderr.contains("Authentication failure"),
        "{}",
        old.all()
    );
    let new = newbie("newbie-auth-1", "newbie-priv-1");
    assert_eq!(
        new.value(&format!("{SYSTEM}.5.0")).as_deref(),
        Some(SYS_NAME),
        "{}",
        new.all()
    );
    // Out of service, the user is unknown; back in service, it works again.
    assert!(usm(&[&f.udp4, "deactivate", "newbie"]).ok);
    let off = newbie("newbie-auth-1", "newbie-priv-1");
    assert!(
        !off.ok && off.stderr.contains("Unknown user name"),
        "{}",
        off.all()
    );
    assert!(usm(&[&f.udp4, "activate", "newbie"]).ok);
    assert!(newbie("newbie-auth-1", "newbie-priv-1").ok);
    let delete = usm(&[&f.udp4, "delete", "newbie"]);
    assert!(
        delete.ok && delete.stdout.contains("User successfully deleted"),
        "{}",
        delete.all()
    );
    let gone = newbie("newbie-auth-1", "newbie-priv-1");
    assert!(
        !gone.ok && gone.stderr.contains("Unknown user name"),
        "{}",
        gone.all()
    );
}

/// net-snmp's `snmpvacm` against the agent's VACM tables: a user with no access gets a
/// group, a view and an access entry, reads what the view holds and nothing else, and
/// loses the access when the entry is deleted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_snmpvacm_grants_and_revokes() {
    let u = setter();
    let admin_user = u.clone();
    let reader = V3User::new(Some((AuthProtocol::Sha1, "SHA")), None);
    let reader_user = reader.usm_user();
    let f = start("agent-snmpvacm", move |b| {
        b.user(admin_user.usm_user())
            .rwuser(admin_user.name.as_str(), SecurityLevel::AuthPriv)
            .user(reader_user)
    })
    .await;
    let admin: Vec<String> = u.flags();
    let admin: Vec<&str> = admin.iter().map(String::as_str).collect();
    let vacm = |args: &[&str]| {
        let mut all: Vec<&str> = vec!["-v3"];
        all.extend_from_slice(&admin);
        all.push(&f.udp4);
        all.extend_from_slice(args);
        tool(f.dir.path(), "snmpvacm", &all)
    };
    let flags = reader.flags();
    let read = |oid: &str| {
        let mut all: Vec<&str> = vec!["-v3"];
        all.extend(flags.iter().map(String::as_str));
        all.extend_from_slice(&["-On", "-t", "1", "-r", "1", &f.udp4, oid]);
        tool(f.dir.path(), "snmpget", &all)
    };
    let sys_name = format!("{SYSTEM}.5.0");
    let before = read(&sys_name);
    assert!(
        !before.ok || before.value(&sys_name).is_none(),
        "{}",
        before.all()
    );
    for args in [
        &["createSec2Group", "3", reader.name.as_str(), "readers"][..],
        &["createView", "sysonly", ".1.3.6.1.2.1.1"],
        &[
            "createAccess",
            "readers",
            "3",
            "2",
            "1",
            "sysonly",
            "sysonly",
            "sysonly",
        ],
    ] {
        let run = vacm(args);
        assert!(
            run.ok && run.all().contains("successfully created"),
            "{args:?}: {}",
            run.all()
        );
    }
    let granted = read(&sys_name);
    assert_eq!(
        granted.value(&sys_name).as_deref(),
        Some(SYS_NAME),
        "{}",
        granted.all()
    );
    let outside = read(GREETING);
    assert!(
        outside.stdout.contains("No Such Object"),
        "{}",
        outside.all()
    );
    // The rows are in the tables.
    let mut walk_args: Vec<&str> = vec!["-v3"];
    walk_args.extend_from_slice(&admin);
    walk_args.extend_from_slice(&["-On", &f.udp4, ".1.3.6.1.6.3.16.1.2.1.3"]);
    let groups = tool(f.dir.path(), "snmpwalk", &walk_args);
    assert!(groups.stdout.contains("\"readers\""), "{}", groups.all());
    let run = vacm(&["deleteAccess", "readers", "3", "2"]);
    assert!(
        run.ok && run.all().contains("successfully deleted"),
        "{}",
        run.all()
    );
    let revoked = read(&sys_name);
    assert!(
        revoked.stderr.contains("authorizationError"),
        "{}",
        revoked.all()
    );
    assert!(vacm(&["deleteView", "sysonly", ".1.3.6.1.2.1.1"]).ok);
    assert!(vacm(&["deleteSec2Group", "3", reader.name.as_str()]).ok);
}

/// `extend` lines as both agents read them: plain, quoted arguments, `extend-sh` with a
/// non-zero exit, no output, a program that does not exist, the options, another OID.
const EXTEND_CONF: &str = "extend hello /bin/echo hello world
extend two /bin/sh -c \"printf 'a\\nb\\n'; exit 3\"
extend-sh shell echo one; echo two; exit 1
extend empty /bin/true
extend missing /nonexistent/cmd x
extend -cacheTime 10 -execType sh c1 echo x # comment
extend .1.3.6.1.4.1.99999.77 moved /bin/echo m
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_extend_tables_equal_snmpd_s() {
    let (config, warnings) = AgentConfig::parse(EXTEND_CONF, "extend.conf").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = start("agent-extend", move |b| b.config(&config).unwrap()).await;
    let snmpd = snmp_peers::Snmpd::new("extend-snmpd")
        .line("rocommunity public 127.0.0.1")
        .config(EXTEND_CONF)
        .start()
        .unwrap();
    let theirs = format!("udp:{}", snmpd.v4());
    for root in [".1.3.6.1.4.1.8072.1.3.2", ".1.3.6.1.4.1.99999.77"] {
        let ours = f.community("snmpwalk", "2c", "public", &[root]);
        let net_snmp = f.community_at(&theirs, "snmpwalk", "2c", "public", &[root]);
        assert!(ours.ok && net_snmp.ok, "{}\n{}", ours.all(), net_snmp.all());
        let (ours, net_snmp) = (ours.bindings(), net_snmp.bindings());
        assert!(ours.len() > 10, "{ours:?}");
        assert_eq!(ours, net_snmp, "walks of {root} differ");
    }
    // One line each, by GET, as snmpget asks.
    let line = ".1.3.6.1.4.1.8072.1.3.2.4.1.2.5.115.104.101.108.108.2";
    let get = f.community("snmpget", "2c", "public", &[line]);
    assert_eq!(get.value(line).as_deref(), Some("two"), "{}", get.all());
    drop(snmpd);
    f.stop().await;
}

/// The objects the `pass` and `pass_persist` scripts serve: suffix, type, value.
const PASS_OBJECTS: [(&str, &str, &str); 9] = [
    ("1.0", "string", "hello world"),
    ("2.0", "integer", "-5"),
    ("3.0", "gauge", "42"),
    ("4.0", "counter", "7"),
    ("5.0", "timeticks", "12345"),
    ("6.0", "ipaddress", "192.0.2.1"),
    ("7.0", "objectid", ".1.3.6.1.4.1.99999"),
    ("8.0", "octet", "de ad be ef"),
    ("9.0", "counter64", "1234567890123"),
];

/// A `pass` script (`persist` false: `-g`/`-n`/`-s OID ...` arguments) or a `pass_persist`
/// one (`get`/`getnext`/`set` lines) serving [`PASS_OBJECTS`] under `root`; SETs answered
/// not-writable.
fn pass_script(root: &str, persist: bool) -> String {
    let mut cases = String::new();
    let mut previous = root.to_owned();
    for (suffix, kind, value) in PASS_OBJECTS {
        let oid = format!("{root}.{suffix}");
        let (get, next) = if persist {
            (format!("get {oid}"), format!("getnext {previous}"))
        } else {
            (format!("-g {oid}"), format!("-n {previous}"))
        };
        cases.push_str(&format!(
            "  '{get}'|'{next}') printf '%s\\n%s\\n%s\\n' '{oid}' '{kind}' '{value}';;\n"
        ));
        previous = oid;
    }
    if persist {
        format!(
            "while read cmd; do\n case \"$cmd\" in\n PING) echo PONG;;\n \
             get|getnext) read oid\n  case \"$cmd $oid\" in\n{cases}  *) echo NONE;;\n  esac;;\n \
             set) read oid; read value; echo not-writable;;\n esac\ndone\n"
        )
    } else {
        format!("case \"$1 $2\" in\n{cases}  '-s '*) echo not-writable;;\nesac\n")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_pass_and_pass_persist_equal_snmpd_s() {
    let scripts = ScratchDir::new("pass-scripts").unwrap();
    let (pass_root, persist_root) = (".1.3.6.1.4.1.99999.50", ".1.3.6.1.4.1.99999.51");
    let pass = scripts.path().join("pass.sh");
    let persist = scripts.path().join("persist.sh");
    std::fs::write(&pass, pass_script(pass_root, false)).unwrap();
    std::fs::write(&persist, pass_script(persist_root, true)).unwrap();
    let conf = format!(
        "pass {pass_root} /bin/sh {}\npass_persist {persist_root} /bin/sh {}\n",
        pass.display(),
        persist.display()
    );
    let (config, warnings) = AgentConfig::parse(&conf, "pass.conf").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = start("agent-pass", move |b| b.config(&config).unwrap()).await;
    let snmpd = snmp_peers::Snmpd::new("pass-snmpd")
        .line("rwcommunity private 127.0.0.1")
        .config(&conf)
        .start()
        .unwrap();
    let theirs = format!("udp:{}", snmpd.v4());
    for root in [pass_root, persist_root] {
        let ours = f.community("snmpwalk", "2c", "private", &[root]);
        let net_snmp = f.community_at(&theirs, "snmpwalk", "2c", "private", &[root]);
        assert!(ours.ok && net_snmp.ok, "{}\n{}", ours.all(), net_snmp.all());
        assert_eq!(ours.bindings().len(), PASS_OBJECTS.len(), "{}", ours.all());
        assert_eq!(
            ours.bindings(),
            net_snmp.bindings(),
            "walks of {root} differ"
        );
        // GETs: every object, and one the script does not know.
        let mut oids: Vec<String> = PASS_OBJECTS
            .iter()
            .map(|(s, _, _)| format!("{root}.{s}"))
            .collect();
        oids.push(format!("{root}.99.0"));
        let args: Vec<&str> = oids.iter().map(String::as_str).collect();
        let ours = f.community("snmpget", "2c", "private", &args);
        let net_snmp = f.community_at(&theirs, "snmpget", "2c", "private", &args);
        assert_eq!(ours.stdout, net_snmp.stdout, "GETs under {root} differ");
        // A SET the script refuses: the same error from both.
        let oid = format!("{root}.3.0");
        let set = [oid.as_str(), "u", "1"];
        let ours = f.community("snmpset", "2c", "private", &set);
        let net_snmp = f.community_at(&theirs, "snmpset", "2c", "private", &set);
        assert!(
            !ours.ok && ours.stderr.contains("notWritable"),
            "{}",
            ours.all()
        );
        assert_eq!(ours.stderr, net_snmp.stderr, "SETs under {root} differ");
    }
    drop(snmpd);
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_disk_table_equals_snmpd_s() {
    let conf = "disk / 10%\ndisk /nonexistent-mount\ndisk / 2000000000\n";
    let (config, warnings) = AgentConfig::parse(conf, "disk.conf").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = start("agent-disk", move |b| b.config(&config).unwrap()).await;
    let snmpd = snmp_peers::Snmpd::new("disk-snmpd")
        .line("rocommunity public 127.0.0.1")
        .config(conf)
        .start()
        .unwrap();
    let theirs = format!("udp:{}", snmpd.v4());
    let root = ".1.3.6.1.4.1.2021.9";
    let ours = f.community("snmpwalk", "2c", "public", &[root]);
    let net_snmp = f.community_at(&theirs, "snmpwalk", "2c", "public", &[root]);
    assert!(ours.ok && net_snmp.ok, "{}\n{}", ours.all(), net_snmp.all());
    let (ours, net_snmp) = (ours.bindings(), net_snmp.bindings());
    // No row for the path that is not mounted (index 2), as snmpd.
    assert_eq!(ours.len(), 2 * 18, "{ours:?}");
    let names = super::names_and_types;
    assert_eq!(
        names(&ours),
        names(&net_snmp),
        "the dskTable objects differ"
    );
    for ((oid, _, a), (_, _, b)) in ours.iter().zip(&net_snmp) {
        let column: u32 = oid.rsplit('.').nth(1).unwrap().parse().unwrap();
        // Sizes move a little as the machine writes; the percentages by a point.
        let same = match column {
            6..=8 | 13..=16 => match (a.parse::<i64>(), b.parse::<i64>()) {
                (Ok(x), Ok(y)) => (x - y).abs() <= 100_000.max(x.abs() / 100),
                _ => false,
            },
            9 | 10 => match (a.parse::<i64>(), b.parse::<i64>()) {
                (Ok(x), Ok(y)) => (x - y).abs() <= 1,
                _ => false,
            },
            101 if a.starts_with("/: less than 2000000000") => {
                b.starts_with("/: less than 2000000000 free (= ")
            }
            _ => a == b,
        };
        assert!(same, "{oid}: ours {a:?}, snmpd {b:?}");
    }
    drop(snmpd);
    f.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "interop: needs net-snmp / pysnmp"]
async fn net_snmp_proc_table_equals_snmpd_s() {
    // Processes of names no other process has: copies of sleep under those names, two of
    // snmprs-prc-a, one of snmprs-prc-b and of snmprs-prc-c.
    let dir = ScratchDir::new("proc-table").unwrap();
    let mut children = Vec::new();
    for (name, n) in [
        ("snmprs-prc-a", 2),
        ("snmprs-prc-b", 1),
        ("snmprs-prc-c", 1),
    ] {
        let program = dir.path().join(name);
        std::fs::copy("/bin/sleep", &program).unwrap();
        for _ in 0..n {
            children.push(Command::new(&program).arg("60").spawn().unwrap());
        }
    }
    let conf = "proc snmprs-prc-a 1\nproc snmprs-nothing\nproc snmprs-prc-b 5 2\n\
                proc snmprs-prc-c 0 0\nproc snmprs-prc-d 0 3\n";
    let (config, warnings) = AgentConfig::parse(conf, "proc.conf").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let f = start("agent-proc", move |b| b.config(&config).unwrap()).await;
    let snmpd = snmp_peers::Snmpd::new("proc-snmpd")
        .line("rocommunity public 127.0.0.1")
        .config(conf)
        .start()
        .unwrap();
    let theirs = format!("udp:{}", snmpd.v4());
    let root = ".1.3.6.1.4.1.2021.2";
    let ours = f.community("snmpwalk", "2c", "public", &[root]);
    let net_snmp = f.community_at(&theirs, "snmpwalk", "2c", "public", &[root]);
    for child in &mut children {
        let _ = child.kill();
        let _ = child.wait();
    }
    assert!(ours.ok && net_snmp.ok, "{}\n{}", ours.all(), net_snmp.all());
    assert_eq!(ours.bindings().len(), 5 * 9, "{}", ours.all());
    assert_eq!(ours.bindings(), net_snmp.bindings(), "the prTables differ");
    assert!(
        ours.stdout
            .contains("Too many snmprs-prc-a running (# = 2)"),
        "{}",
        ours.all()
    );
    drop(snmpd);
    f.stop().await;
}
