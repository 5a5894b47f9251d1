//! `snmp get`, `getnext`, `bulkget`, `set`, `walk`, `bulkwalk` (and a link named
//! `snmpget`) against this workspace's agent in-process, compared byte for byte with
//! net-snmp's tools run with the same arguments when they are installed.

use std::net::{SocketAddr, UdpSocket};
use std::process::{Command, Output};

use snmp_hlapi::agent::Agent;
use snmp_hlapi::instrument::{
    Access, Column, IndexSyntax, IndexValue, Scalar, Scalars, Syntax, Table,
};
use snmp_hlapi::{AuthProtocol, PrivProtocol, SecurityLevel, Value, oid};
use snmp_peers::ScratchDir;
use snmp_usm::UsmUser;

/// The agent and the runtime that serves it.
struct Lab {
    agent: Agent,
    _runtime: tokio::runtime::Runtime,
}

impl Lab {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let agent = runtime.block_on(async {
            let greeting = Scalar::read_write("hello", Syntax::octet_string().size(0, 16));
            let scalars = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1))
                .object(1, greeting)
                .object(
                    2,
                    Scalar::read_only(Value::from(vec![0xaa, 0xbc, 0x00, 0x42])),
                )
                .object(3, Scalar::read_only(Value::Counter32(7)))
                .object(4, Scalar::read_only(Value::TimeTicks(123_456)))
                .object(5, Scalar::read_only(Value::IpAddress([192, 0, 2, 1])));
            let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
                .index_column(1, IndexSyntax::Integer, Access::NotAccessible)
                .column(2, Column::new(Syntax::display_string(), Access::ReadCreate))
                .row_status(3);
            for i in 1..=12u32 {
                table
                    .rows()
                    .insert_row(
                        &[IndexValue::Integer(i)],
                        [(2, Value::from(format!("row {i}")))],
                    )
                    .unwrap();
            }
            let user = UsmUser::new("admin")
                .with_auth(AuthProtocol::Sha256, b"authpassword")
                .unwrap()
                .with_privacy(PrivProtocol::Aes128, b"privpassword")
                .unwrap();
            Agent::builder()
                .listen_udp("127.0.0.1:0".parse().unwrap())
                .listen_tcp("127.0.0.1:0".parse().unwrap())
                .rocommunity("public")
                .rwcommunity("private")
                .user(user)
                .rwuser("admin", SecurityLevel::AuthPriv)
                .register(scalars.root().clone(), scalars)
                .register(table.entry().clone(), table)
                .start()
                .await
                .unwrap()
        });
        Self {
            agent,
            _runtime: runtime,
        }
    }

    fn peer(&self) -> String {
        format!("udp:{}", self.agent.udp_addr().unwrap())
    }

    fn tcp_peer(&self) -> String {
        let tcp = self
            .agent
            .local_addrs()
            .iter()
            .find(|l| l.protocol == snmp_transport::Protocol::Tcp);
        format!("tcp:{}", tcp.unwrap().addr)
    }
}

fn ours(sub: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_snmp"))
        .arg(sub)
        .args(args)
        .output()
        .unwrap()
}

fn net_snmp_installed() -> bool {
    let found = Command::new("snmpget").arg("-V").output().is_ok();
    if !found {
        eprintln!("net-snmp's tools are not on PATH: comparisons skipped");
    }
    found
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs `snmp SUB ARGS` and, when installed, `snmpSUB ARGS`; asserts the same stdout and
/// exit status (and stderr when `same_stderr`). Returns ours.
fn compare(sub: &str, args: &[&str], same_stderr: bool) -> Output {
    let mine = ours(sub, args);
    if net_snmp_installed() {
        let theirs = Command::new(format!("snmp{sub}"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(
            text(&mine.stdout),
            text(&theirs.stdout),
            "stdout of {sub} {args:?}"
        );
        assert_eq!(
            mine.status.code(),
            theirs.status.code(),
            "status of {sub} {args:?}"
        );
        if same_stderr {
            assert_eq!(
                text(&mine.stderr),
                text(&theirs.stderr),
                "stderr of {sub} {args:?}"
            );
        }
    }
    mine
}

const V3: [&str; 10] = [
    "-v3",
    "-u",
    "admin",
    "-l",
    "authPriv",
    "-a",
    "SHA-256",
    "-A",
    "authpassword",
    "-xAES",
];

#[test]
fn reads_print_as_net_snmp() {
    let lab = Lab::start();
    let peer = lab.peer();
    let p = peer.as_str();
    let oids = [
        ".1.3.6.1.4.1.99999.1.1.0",
        "1.3.6.1.4.1.99999.1.2.0",
        ".1.3.6.1.4.1.99999.1.3.0",
        ".1.3.6.1.4.1.99999.1.4.0",
        ".1.3.6.1.4.1.99999.1.5.0",
        ".1.3.6.1.4.1.99999.1.9.0",
        ".1.3.6.1.4.1.99999.2.1.2.3",
    ];
    let mut args = vec!["-v2c", "-c", "public", p];
    args.extend(oids);
    let out = compare("get", &args, true);
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n\
         iso.3.6.1.4.1.99999.1.2.0 = Hex-STRING: AA BC 00 42 \n\
         iso.3.6.1.4.1.99999.1.3.0 = Counter32: 7\n\
         iso.3.6.1.4.1.99999.1.4.0 = Timeticks: (123456) 0:20:34.56\n\
         iso.3.6.1.4.1.99999.1.5.0 = IpAddress: 192.0.2.1\n\
         iso.3.6.1.4.1.99999.1.9.0 = No Such Object available on this agent at this OID\n\
         iso.3.6.1.4.1.99999.2.1.2.3 = STRING: \"row 3\"\n"
    );
    assert_eq!(out.status.code(), Some(0));
    for o in ["-On", "-Oq", "-Ov", "-Ox", "-Of", "-Oqv", "-Ot", "-Oa"] {
        let mut args = vec!["-v2c", "-cpublic", o, p];
        args.extend(oids);
        compare("get", &args, true);
    }
    let out = compare("get", &["-v1", "-c", "public", p, oids[0]], true);
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n"
    );
    let mut v3 = V3.to_vec();
    v3.extend(["-X", "privpassword", p, oids[0]]);
    let out = compare("get", &v3, true);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("\"hello\""));
    compare(
        "getnext",
        &[
            "-v2c",
            "-c",
            "public",
            p,
            ".1.3.6.1.4.1.99999.1",
            ".1.3.6.1.4.1.99999.2.1.2.12",
        ],
        true,
    );
    compare(
        "bulkget",
        &[
            "-v2c",
            "-c",
            "public",
            "-Cn1",
            "-Cr3",
            p,
            ".1.3.6.1.4.1.99999.1",
            ".1.3.6.1.4.1.99999.2",
        ],
        true,
    );
    let out = compare(
        "walk",
        &["-v2c", "-c", "public", p, ".1.3.6.1.4.1.99999.2"],
        true,
    );
    assert_eq!(
        text(&out.stdout).lines().count(),
        24,
        "{}",
        text(&out.stdout)
    );
    compare(
        "walk",
        &["-v1", "-c", "public", "-Cp", p, ".1.3.6.1.4.1.99999"],
        true,
    );
    compare(
        "walk",
        &[
            "-v2c",
            "-c",
            "public",
            "-Ci",
            "-Cp",
            p,
            ".1.3.6.1.4.1.99999.1.1.0",
        ],
        true,
    );
    compare(
        "walk",
        &["-v2c", "-c", "public", p, ".1.3.6.1.4.1.99999.1.1.0"],
        true,
    );
    compare(
        "walk",
        &["-v2c", "-c", "public", p, ".1.3.6.1.4.1.99999.7"],
        true,
    );
    let out = compare(
        "bulkwalk",
        &["-v2c", "-c", "public", "-Cr5", p, ".1.3.6.1.4.1.99999"],
        true,
    );
    assert_eq!(text(&out.stdout).lines().count(), 5 + 24);
    compare(
        "bulkwalk",
        &[
            "-v2c",
            "-c",
            "public",
            "-Cr5",
            "-On",
            p,
            ".1.3.6.1.4.1.99999.2.1.3",
        ],
        true,
    );
}

#[test]
fn set_then_get() {
    let lab = Lab::start();
    let peer = lab.peer();
    let p = peer.as_str();
    let oid = ".1.3.6.1.4.1.99999.1.1.0";
    let out = compare(
        "set",
        &["-v2c", "-c", "private", p, oid, "s", "bonjour"],
        true,
    );
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"bonjour\"\n"
    );
    let out = compare("get", &["-v2c", "-c", "public", "-Oqv", p, oid], true);
    assert_eq!(text(&out.stdout), "\"bonjour\"\n");
    let mut v3 = V3.to_vec();
    v3.extend(["-X", "privpassword", p, oid, "x", "41 42"]);
    let out = compare("set", &v3, true);
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"AB\"\n"
    );
}

/// `-e`: the agent's engine ID given, no discovery; the answer as net-snmp's, and its
/// messages for a bad one.
#[test]
fn a_known_engine_id() {
    let lab = Lab::start();
    let peer = lab.peer();
    let id: String = lab
        .agent
        .responder()
        .usm()
        .engine_id()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let mut args = V3.to_vec();
    let id = format!("0x{id}");
    args.extend([
        "-X",
        "privpassword",
        "-e",
        &id,
        &peer,
        ".1.3.6.1.4.1.99999.1.3.0",
    ]);
    let unknown = || lab.agent.responder().usm().stats().unknown_engine_ids;
    let before = unknown();
    let out = compare("get", &args, true);
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.3.0 = Counter32: 7\n"
    );
    // No discovery probe reached the agent (a probe is an unknownEngineID).
    assert_eq!(unknown(), before);
    for (bad, says) in [
        ("zz", "Bad engine ID value after -3e flag.\n"),
        ("0x", "Invalid engine ID value after -e flag.\n"),
        ("0x0102", "Invalid engine ID value after -e flag.\n"),
    ] {
        let out = ours("get", &["-v3", "-e", bad, &peer, ".1"]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).starts_with(says),
            "{bad}: {}",
            text(&out.stderr)
        );
        if net_snmp_installed() {
            let theirs = Command::new("snmpget")
                .args(["-v3", "-e", bad, &peer, ".1"])
                .output()
                .unwrap();
            assert!(
                text(&theirs.stderr).starts_with(says),
                "{bad}: {}",
                text(&theirs.stderr)
            );
        }
    }
}

#[test]
fn errors_as_net_snmp() {
    let lab = Lab::start();
    let peer = lab.peer();
    let p = peer.as_str();
    // v1 noSuchName: the error, then the other bindings asked again.
    let out = compare(
        "get",
        &[
            "-v1",
            "-c",
            "public",
            p,
            ".1.3.6.1.4.1.99999.1.1.0",
            ".1.3.6.1.4.1.99999.1.9.0",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "Error in packet\nReason: (noSuchName) There is no such variable name in this MIB.\n\
         Failed object: iso.3.6.1.4.1.99999.1.9.0\n\n"
    );
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n"
    );
    // v2c notWritable.
    let out = compare(
        "set",
        &[
            "-v2c",
            "-c",
            "private",
            p,
            ".1.3.6.1.4.1.99999.1.3.0",
            "i",
            "5",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("Error in packet.\nReason: notWritable"),
        "{}",
        text(&out.stderr)
    );
    let out = compare(
        "set",
        &[
            "-v2c",
            "-c",
            "private",
            p,
            ".1.3.6.1.4.1.99999.1.3.0",
            "c",
            "5",
        ],
        true,
    );
    assert_eq!(
        text(&out.stderr),
        ".1.3.6.1.4.1.99999.1.3.0: Bad object type: c\n"
    );
    // A name without a MIB.
    let out = compare("get", &["-v2c", "-c", "public", p, "sysDescr.0"], true);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "sysDescr.0: Unknown Object Identifier (Sub-id not found: (top) -> sysDescr)\n"
    );
    // Wrong password, unknown user.
    let mut v3 = V3.to_vec();
    v3.extend(["-X", "privpassword", p, ".1.3.6.1.4.1.99999.1.1.0"]);
    v3[8] = "wrongpassword";
    let out = compare("get", &v3, true);
    assert_eq!(
        text(&out.stderr),
        "snmpget: Authentication failure (incorrect password, community or key)\n"
    );
    let out = compare(
        "get",
        &[
            "-v3",
            "-u",
            "nobody",
            "-l",
            "noauth",
            p,
            ".1.3.6.1.4.1.99999.1.1.0",
        ],
        true,
    );
    assert_eq!(text(&out.stderr), "snmpget: Unknown user name\n");
    // A timeout: a socket that never answers.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = silent.local_addr().unwrap();
    let quiet = format!("udp:{addr}");
    let out = compare(
        "get",
        &[
            "-v2c",
            "-c",
            "public",
            "-t",
            "0.2",
            "-r",
            "0",
            &quiet,
            ".1.3.6.1.2.1.1.5.0",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        format!("Timeout: No Response from {quiet}.\n")
    );
    compare(
        "walk",
        &[
            "-v2c",
            "-c",
            "public",
            "-t",
            "0.2",
            "-r",
            "0",
            &quiet,
            ".1.3.6.1.2.1.1",
        ],
        true,
    );
    // Usage errors: first line and status.
    let out = compare("get", &["-v9", p, ".1.3"], false);
    assert!(
        text(&out.stderr)
            .starts_with("Invalid version specified after -v flag: 9\nUSAGE: snmpget ")
    );
    let out = compare("walk", &["-v2c", "-c", "public", "-Cz", p], false);
    assert!(text(&out.stderr).starts_with("Unknown flag passed to -C: z\n"));
}

#[test]
fn json_lines_and_the_program_name() {
    let lab = Lab::start();
    let peer = lab.peer();
    let p = peer.as_str();
    let out = ours(
        "get",
        &[
            "-v2c",
            "-c",
            "public",
            "--json",
            p,
            ".1.3.6.1.4.1.99999.1.1.0",
            ".1.3.6.1.4.1.99999.1.3.0",
        ],
    );
    assert_eq!(
        text(&out.stdout),
        "{\"oid\":\"1.3.6.1.4.1.99999.1.1.0\",\"type\":\"OCTET STRING\",\"value\":\"68656c6c6f\"}\n\
         {\"oid\":\"1.3.6.1.4.1.99999.1.3.0\",\"type\":\"Counter32\",\"value\":7}\n"
    );
    // A link named snmpget is snmpget.
    let dir = ScratchDir::new("cli-tools-link").unwrap();
    let link = dir.path().join("snmpget");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_snmp"), &link).unwrap();
    let out = Command::new(&link)
        .args([
            "-v2c",
            "-c",
            "public",
            "-Oqv",
            p,
            ".1.3.6.1.4.1.99999.1.3.0",
        ])
        .output()
        .unwrap();
    assert_eq!(text(&out.stdout), "7\n");
    assert_eq!(out.status.code(), Some(0));
}

/// snmpset's options end at the agent (a value may start with `-`), snmpget's do not.
#[test]
fn set_values_may_start_with_a_dash() {
    let lab = Lab::start();
    let peer = lab.peer();
    let p = peer.as_str();
    let out = compare(
        "set",
        &[
            "-v2c",
            "-c",
            "private",
            p,
            ".1.3.6.1.4.1.99999.1.1.0",
            "s",
            "-x",
        ],
        true,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"-x\"\n"
    );
    // An option after the operands is an operand for snmpset...
    let out = compare(
        "set",
        &[
            "-v2c",
            p,
            ".1.3.6.1.4.1.99999.1.1.0",
            "s",
            "x",
            "-c",
            "private",
        ],
        false,
    );
    assert_ne!(out.status.code(), Some(0));
    // net-snmp's usage text that follows is longer than ours.
    assert!(text(&out.stderr).starts_with("No community name specified.\n"));
    // ...and an option for snmpget.
    let out = compare(
        "get",
        &["-v2c", p, ".1.3.6.1.4.1.99999.1.1.0", "-c", "public"],
        true,
    );
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"-x\"\n"
    );
}

/// net-snmp's per-host files: `hosts/NAME.conf`'s `transport` gives the address of the agent
/// named NAME on the command line.
#[test]
fn a_host_file_names_the_agent_s_address() {
    let lab = Lab::start();
    let dir = ScratchDir::new("snmp-cli-hosts").unwrap();
    std::fs::create_dir_all(dir.path().join("hosts")).unwrap();
    std::fs::write(
        dir.path().join("hosts/lab-agent.conf"),
        format!("transport {}\n", lab.peer()),
    )
    .unwrap();
    let args = [
        "-v2c",
        "-c",
        "public",
        "lab-agent",
        ".1.3.6.1.4.1.99999.1.3.0",
    ];
    let mine = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .arg("get")
        .args(args)
        .env("SNMPCONFPATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(
        text(&mine.stdout),
        "iso.3.6.1.4.1.99999.1.3.0 = Counter32: 7\n",
        "{}",
        text(&mine.stderr)
    );
    if net_snmp_installed() {
        let theirs = Command::new("snmpget")
            .args(args)
            .env("SNMPCONFPATH", dir.path())
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .output()
            .unwrap();
        assert_eq!(text(&mine.stdout), text(&theirs.stdout));
    }
}

/// snmp.conf's defVersion, defCommunity and the v3 defaults stand in for -v, -c, -u...
#[test]
fn snmp_conf_defaults_stand_in_for_options() {
    let lab = Lab::start();
    let peer = lab.peer();
    let dir = std::env::temp_dir().join(format!("snmp-cli-conf-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |conf: &str, args: &[&str]| {
        std::fs::write(dir.join("snmp.conf"), conf).unwrap();
        let mine = Command::new(env!("CARGO_BIN_EXE_snmp"))
            .arg("get")
            .args(args)
            .env("SNMPCONFPATH", &dir)
            .output()
            .unwrap();
        if net_snmp_installed() {
            let theirs = Command::new("snmpget")
                .args(args)
                .env("SNMPCONFPATH", &dir)
                .env("SNMP_PERSISTENT_DIR", &dir)
                .output()
                .unwrap();
            assert_eq!(text(&mine.stdout), text(&theirs.stdout), "{conf}");
        }
        mine
    };
    let oid = ".1.3.6.1.4.1.99999.1.1.0";
    let out = run("defVersion 2c\ndefCommunity public\n", &[&peer, oid]);
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n",
        "{}",
        text(&out.stderr)
    );
    // The command line wins.
    let out = run(
        "defVersion 2c\ndefCommunity wrong\ntimeout 1\nretries 0\n",
        &["-c", "public", &peer, oid],
    );
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n"
    );
    // SNMPv3 from the file alone.
    let out = run(
        "defVersion 3\ndefSecurityName admin\ndefSecurityLevel authPriv\ndefAuthType SHA-256\n\
         defAuthPassphrase authpassword\ndefPrivType AES\ndefPrivPassphrase privpassword\n",
        &[&peer, oid],
    );
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n",
        "{}",
        text(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `tcp:HOST:PORT` agents (RFC 3430), as net-snmp's tools reach them.
#[test]
fn agents_over_tcp() {
    let lab = Lab::start();
    let peer = lab.tcp_peer();
    let p = peer.as_str();
    let out = compare(
        "get",
        &["-v2c", "-c", "public", p, ".1.3.6.1.4.1.99999.1.1.0"],
        true,
    );
    assert_eq!(
        text(&out.stdout),
        "iso.3.6.1.4.1.99999.1.1.0 = STRING: \"hello\"\n",
        "{}",
        text(&out.stderr)
    );
    let mut v3: Vec<&str> = V3.to_vec();
    v3.extend(["-X", "privpassword", p, ".1.3.6.1.4.1.99999.2.1.2"]);
    let out = compare("walk", &v3, true);
    assert_eq!(text(&out.stdout).lines().count(), 12);
}

/// The usage text on a usage error: net-snmp's, byte for byte but for the lines naming the
/// program's version and home (`Version:`, `Web:`, `Email:`), for each tool and for errors
/// found while reading the options (the MIB path unexpanded) and after (expanded).
#[test]
fn usage_text_as_net_snmp() {
    if !net_snmp_installed() {
        return;
    }
    let keep = |b: &[u8]| -> String {
        text(b)
            .lines()
            .filter(|l| {
                !l.starts_with("  Version:")
                    && !l.starts_with("  Web:")
                    && !l.starts_with("  Email:")
            })
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let cases: [&[&str]; 9] = [
        &[],
        &["-z"],
        &["-v", "9", "h"],
        &["-c"],
        &["-t", "0", "h"],
        &["-Cz", "h"],
        &["-v2c", "-c", "public", "h"],
        &["-v2c", "-c", "public", "h", "a", "b"],
        &["-Crx", "h"],
    ];
    for sub in [
        "get",
        "getnext",
        "bulkget",
        "set",
        "walk",
        "bulkwalk",
        "table",
        "translate",
    ] {
        for args in cases {
            let mine = ours(sub, args);
            let theirs = Command::new(format!("snmp{sub}"))
                .args(args)
                .output()
                .unwrap();
            assert_eq!(
                keep(&mine.stderr),
                keep(&theirs.stderr),
                "stderr of {sub} {args:?}"
            );
            assert_eq!(mine.status.code(), theirs.status.code(), "{sub} {args:?}");
        }
    }
    let out = ours("get", &[]);
    let err = text(&out.stderr);
    assert!(
        err.starts_with("No hostname specified.\nUSAGE: snmpget [OPTIONS] AGENT OID [OID]...\n\n"),
        "{err}"
    );
    assert!(err.contains("\n  -C APPOPTS\t\tSet various application specific behaviours:\n\t\t\t  f:  do not fix errors and retry the request\n"), "{err}");
    // Bad snmptable -C values: the usage first, then the message.
    let out = ours("table", &["-Cw", "0", "h", "t"]);
    assert!(text(&out.stderr).ends_with("\nBad -Cw option: 0\n"));
    // -h also lists --json.
    assert!(text(&ours("walk", &["-h"]).stderr).contains("  --json\t"));
}
