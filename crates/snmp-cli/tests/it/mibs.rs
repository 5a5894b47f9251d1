//! The tools with MIBs loaded (`-M ../shared/mibs/ietf -m ...`): `snmp get`, `walk`, `table`
//! and `translate` against this workspace's agent in-process, compared byte for byte with
//! net-snmp's `snmpget`, `snmpwalk`, `snmptable` and `snmptranslate` given the same MIBs.
//! Skipped (with a message) when `../shared` or net-snmp's tools are absent.

use std::path::PathBuf;
use std::process::{Command, Output};

use snmp_hlapi::agent::Agent;
use snmp_hlapi::instrument::{Access, Column, IndexSyntax, IndexValue, Syntax, Table};
use snmp_hlapi::{Value, oid};

/// The IETF MIB directory of ../shared (or `$SNMP_SHARED_DIR/mibs/ietf`), if present.
fn ietf_dir() -> Option<String> {
    let shared = std::env::var("SNMP_SHARED_DIR").map_or_else(
        |_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
        PathBuf::from,
    );
    let dir = shared.join("mibs/ietf");
    if dir.is_dir() {
        Some(dir.display().to_string())
    } else {
        eprintln!("{} absent: MIB comparisons skipped", dir.display());
        None
    }
}

fn net_snmp_installed() -> bool {
    let found = Command::new("snmptranslate").arg("-V").output().is_ok();
    if !found {
        eprintln!("net-snmp's tools are not on PATH: MIB comparisons skipped");
    }
    found
}

/// The first ten columns of one ifTable row.
type Row = (
    u32,
    &'static str,
    i32,
    i32,
    u32,
    Vec<u8>,
    i32,
    i32,
    u32,
    u32,
);

/// An agent whose ifTable holds fixed rows (the host's counters would move between the two
/// runs), beside its own system group and VACM tables (string and enumerated indexes).
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
            let table = Table::new(oid!(1, 3, 6, 1, 2, 1, 2, 2, 1))
                .index_column(1, IndexSyntax::Integer, Access::ReadOnly)
                .column(2, Column::new(Syntax::display_string(), Access::ReadOnly))
                .column(3, Column::new(Syntax::integer(), Access::ReadOnly))
                .column(4, Column::new(Syntax::integer(), Access::ReadOnly))
                .column(5, Column::new(Syntax::gauge32(), Access::ReadOnly))
                .column(6, Column::new(Syntax::octet_string(), Access::ReadOnly))
                .column(7, Column::new(Syntax::integer(), Access::ReadWrite))
                .column(8, Column::new(Syntax::integer(), Access::ReadOnly))
                .column(9, Column::new(Syntax::time_ticks(), Access::ReadOnly))
                .column(10, Column::new(Syntax::counter32(), Access::ReadOnly));
            // ifIndex, ifDescr, ifType, ifMtu, ifSpeed, ifPhysAddress, ifAdminStatus,
            // ifOperStatus, ifLastChange, ifInOctets.
            let rows: [Row; 3] = [
                (1, "lo", 24, 65536, 10_000_000, vec![], 1, 1, 0, 123_456),
                (
                    2,
                    "eth0",
                    6,
                    1500,
                    1_000_000_000,
                    vec![0x00, 0x50, 0x56, 0xaa, 0xbb, 0xcc],
                    1,
                    2,
                    4711,
                    7,
                ),
                (
                    3,
                    "wlan \"0\"",
                    71,
                    2304,
                    54,
                    vec![0x02, 0, 0, 0, 0, 1],
                    2,
                    7,
                    1,
                    0,
                ),
            ];
            for (i, descr, ty, mtu, speed, mac, admin, oper, change, octets) in rows {
                table
                    .rows()
                    .insert_row(
                        &[IndexValue::Integer(i)],
                        [
                            (2, Value::from(descr)),
                            (3, Value::Integer(ty)),
                            (4, Value::Integer(mtu)),
                            (5, Value::Gauge32(speed)),
                            (6, Value::from(mac)),
                            (7, Value::Integer(admin)),
                            (8, Value::Integer(oper)),
                            (9, Value::TimeTicks(change)),
                            (10, Value::Counter32(octets)),
                        ],
                    )
                    .unwrap();
            }
            Agent::builder()
                .listen_udp("127.0.0.1:0".parse().unwrap())
                .rocommunity("public")
                .system(|s| {
                    s.descr = "a test agent".to_owned();
                    s.contact = "ops@example.net".to_owned();
                    s.name = "lab".to_owned();
                    s.location = "rack 2".to_owned();
                    s.services = 72;
                })
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
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// `snmp SUB ARGS` and net-snmp's `snmpSUB ARGS`, both with `-M dir -m modules` first.
fn both(sub: &str, dir: &str, modules: &str, args: &[&str]) -> (Output, Output) {
    let mut full = vec!["-M", dir, "-m", modules];
    full.extend_from_slice(args);
    let mine = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .arg(sub)
        .args(&full)
        .output()
        .unwrap();
    let theirs = Command::new(format!("snmp{sub}"))
        .args(&full)
        .output()
        .unwrap();
    (mine, theirs)
}

/// Asserts the same stdout and exit status; returns our stdout.
fn compare(sub: &str, dir: &str, modules: &str, args: &[&str]) -> String {
    let (mine, theirs) = both(sub, dir, modules, args);
    assert_eq!(
        text(&mine.stdout),
        text(&theirs.stdout),
        "stdout of {sub} -m {modules} {args:?}\nour stderr: {}",
        text(&mine.stderr)
    );
    assert_eq!(
        mine.status.code(),
        theirs.status.code(),
        "status of {sub} {args:?}"
    );
    text(&mine.stdout)
}

#[test]
fn get_and_walk_print_mib_names_and_values_as_net_snmp() {
    let (Some(dir), true) = (ietf_dir(), net_snmp_installed()) else {
        return;
    };
    let lab = Lab::start();
    let peer = lab.peer();
    let v2 = ["-v2c", "-c", "public", peer.as_str()];
    let with = |extra: &[&'static str]| -> Vec<&str> {
        let mut a: Vec<&str> = extra.to_vec();
        a.extend_from_slice(&v2);
        a
    };
    let out = compare(
        "get",
        &dir,
        "SNMPv2-MIB:IF-MIB",
        &[
            with(&[]),
            vec!["sysDescr.0", "SNMPv2-MIB::sysName.0", "ifPhysAddress.2"],
        ]
        .concat(),
    );
    assert!(
        out.contains("SNMPv2-MIB::sysDescr.0 = STRING: a test agent\n"),
        "{out}"
    );
    assert!(
        out.contains("IF-MIB::ifPhysAddress.2 = STRING: 0:50:56:aa:bb:cc"),
        "{out}"
    );
    for flags in [
        &[][..],
        &["-Os"],
        &["-Of"],
        &["-Ou"],
        &["-On"],
        &["-Oe"],
        &["-OU"],
        &["-Oq"],
        &["-Ov"],
        &["-Ox"],
        &["-Ot"],
        &["-Ob", "-OQ"],
        &["-OX"],
        &["-OXs"],
        &["-OXf"],
        &["-OXu"],
    ] {
        let out = compare(
            "walk",
            &dir,
            "IF-MIB",
            &[with(flags), vec!["ifTable"]].concat(),
        );
        assert_eq!(out.lines().count(), 30, "{flags:?}: {out}");
    }
    let out = compare(
        "walk",
        &dir,
        "IF-MIB",
        &[with(&[]), vec!["ifTable"]].concat(),
    );
    for line in [
        "IF-MIB::ifType.1 = INTEGER: softwareLoopback(24)",
        "IF-MIB::ifOperStatus.2 = INTEGER: down(2)",
        "IF-MIB::ifOperStatus.3 = INTEGER: lowerLayerDown(7)",
        "IF-MIB::ifSpeed.2 = Gauge32: 1000000000",
        "IF-MIB::ifDescr.3 = STRING: wlan \"0\"",
        "IF-MIB::ifLastChange.2 = Timeticks: (4711) 0:00:47.11",
    ] {
        assert!(out.contains(line), "{line} missing from\n{out}");
    }
    // The system group, but sysUpTime, which moves between the two runs.
    let (mine, theirs) = both("walk", &dir, "ALL", &[with(&[]), vec!["system"]].concat());
    let keep = |o: &Output| -> String {
        text(&o.stdout)
            .lines()
            .filter(|l| !l.contains("sysUpTime"))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    assert_eq!(keep(&mine), keep(&theirs));
    assert!(keep(&mine).contains("SNMPv2-MIB::sysServices.0 = INTEGER: 72\n"));
    // String and enumerated indexes of the agent's VACM tables.
    let out = compare(
        "walk",
        &dir,
        "SNMP-VIEW-BASED-ACM-MIB",
        &[with(&[]), vec![".1.3.6.1.6.3.16.1"]].concat(),
    );
    assert!(out.contains("vacmGroupName.2.\""), "{out}");
    assert!(out.contains(".noAuthNoPriv = "), "{out}");
    // The same with -OX: indexes in brackets.
    let out = compare(
        "walk",
        &dir,
        "SNMP-VIEW-BASED-ACM-MIB",
        &[with(&["-OX"]), vec![".1.3.6.1.6.3.16.1"]].concat(),
    );
    assert!(out.contains("::vacmGroupName[2][STRING: "), "{out}");
    assert!(out.contains("][noAuthNoPriv] = "), "{out}");
    let out = compare(
        "walk",
        &dir,
        "IF-MIB",
        &[with(&["-OX"]), vec!["ifDescr"]].concat(),
    );
    assert!(
        out.starts_with("IF-MIB::ifDescr[1] = STRING: lo\n"),
        "{out}"
    );
    // An unknown name: the same message and status.
    let (mine, theirs) = both(
        "get",
        &dir,
        "IF-MIB",
        &[with(&[]), vec!["ifNoSuch.1"]].concat(),
    );
    assert_eq!(mine.status.code(), theirs.status.code());
    assert!(text(&mine.stderr).contains("ifNoSuch.1: Unknown Object Identifier"));
}

#[test]
fn table_prints_as_snmptable() {
    let (Some(dir), true) = (ietf_dir(), net_snmp_installed()) else {
        return;
    };
    let lab = Lab::start();
    let peer = lab.peer();
    for extra in [
        &[][..],
        &["-Ci"],
        &["-Cb"],
        &["-CH"],
        &["-Cf", ","],
        &["-Ci", "-Cf", "|"],
        &["-Cl", "-Ci"],
        &["-Os"],
        &["-v1"],
        &["-Cw", "60"],
        &["-Cw", "60", "-Ci", "-Cl"],
        &["-CH", "-Cw", "50"],
        &["-Cc", "9"],
        &["-Ci", "-Cc", "10", "-Cw", "40"],
        &["-Ch"],
        &["-Ch", "-Ci"],
        &["-Ch", "-Cf", ","],
        &["-CB"],
        &["-CB", "-Cr", "2"],
        &["-CB", "-Cr", "2", "-Ci", "-Cw", "70"],
        &["-v1", "-Cr", "1", "-Cc", "6"],
        &["-Cr", "1", "-Ci"],
        &["-OX", "-Ci"],
    ] {
        let mut args = vec!["-v2c", "-c", "public"];
        args.extend_from_slice(extra);
        args.extend([peer.as_str(), "IF-MIB::ifTable"]);
        let out = compare("table", &dir, "IF-MIB", &args);
        assert!(out.lines().count() >= 2, "{extra:?}: {out}");
    }
    // -Cw: parts no wider than the width; -CB -Cr 2: two GETNEXT rounds, each printed
    // with the widths known so far; -Ch: the headers alone.
    let table = |extra: &[&str]| {
        let mut args = vec!["-v2c", "-c", "public"];
        args.extend_from_slice(extra);
        args.extend([peer.as_str(), "IF-MIB::ifTable"]);
        compare("table", &dir, "IF-MIB", &args)
    };
    let out = table(&["-Cw", "60"]);
    assert!(
        out.contains("\nSNMP table IF-MIB::ifTable, part 2\n\n"),
        "{out}"
    );
    assert!(out.lines().all(|l| l.len() <= 60), "{out}");
    let out = table(&["-Ch"]);
    assert!(out.starts_with(" ifIndex ifDescr ifType "), "{out}");
    assert!(out.ends_with("\nIF-MIB::ifTable: No entries\n"), "{out}");
    let out = table(&["-Cc", "9"]);
    assert!(
        out.contains("  ifIndex  ifDescr   ifType    ifMtu  ifSpeed ifPhysAd"),
        "{out}"
    );
    for bad in [&["-Cc", "2"][..], &["-Cr", "0"], &["-Cw", "x"]] {
        let mut args = vec!["-v2c", "-c", "public"];
        args.extend_from_slice(bad);
        args.extend([peer.as_str(), "IF-MIB::ifTable"]);
        let (mine, theirs) = both("table", &dir, "IF-MIB", &args);
        assert_eq!(mine.status.code(), theirs.status.code(), "{bad:?}");
        let last = format!("Bad {} option: {}", bad[0], bad[1]);
        assert!(text(&mine.stderr).contains(&last), "{bad:?}");
    }
    let args = ["-v2c", "-c", "public", peer.as_str(), "IF-MIB::ifTable"];
    let out = compare("table", &dir, "IF-MIB", &args);
    assert!(
        out.starts_with("SNMP table: IF-MIB::ifTable\n\n ifIndex  ifDescr ")
            && out.contains(" softwareLoopback "),
        "{out}"
    );
    compare(
        "table",
        &dir,
        "SNMP-VIEW-BASED-ACM-MIB",
        &[
            "-v2c",
            "-c",
            "public",
            "-Ci",
            peer.as_str(),
            "vacmAccessTable",
        ],
    );
    // -OX indexes in the index column: strings without `STRING: `, snmptable printing as -Oq.
    let out = compare(
        "table",
        &dir,
        "SNMP-VIEW-BASED-ACM-MIB",
        &[
            "-v2c",
            "-c",
            "public",
            "-OX",
            "-Ci",
            "-Cb",
            peer.as_str(),
            "vacmSecurityToGroupTable",
        ],
    );
    assert!(out.contains("[2]["), "{out}");
    let (mine, _) = both(
        "table",
        &dir,
        "IF-MIB",
        &["-v2c", "-c", "public", peer.as_str(), "sysDescr"],
    );
    assert_eq!(mine.status.code(), Some(1));
    assert_eq!(
        text(&mine.stderr),
        "Was that a table? SNMPv2-MIB::sysDescr\n"
    );
}

#[test]
fn translate_both_ways_as_snmptranslate() {
    let (Some(dir), true) = (ietf_dir(), net_snmp_installed()) else {
        return;
    };
    let names = [
        "SNMPv2-MIB::sysDescr.0",
        "IF-MIB::ifTable",
        ".iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0",
        "1.3.6.1.2.1.2.2.1.2.3",
        "1.3.6.1.6.3.16.1.2.1.3.3.3.97.98.99",
        ".1.3.6.1.6.3.18.1.1.1.2.3.97.98.99",
        ".1.3.6.1.6.3.12.1.2.1.2.2.97.98",
        "1.3.6.1.2.1.17.4.3.1.1.0.80.86.170.187.204",
        "1.3.6.1.4.1.99999.1",
        "1.3.99",
        "HOST-RESOURCES-MIB::hrStorageSize.4",
        "SNMP-FRAMEWORK-MIB::snmpEngineID.0",
    ];
    for flags in [&[][..], &["-On"], &["-Of"], &["-Os"], &["-Ob"], &["-Ou"]] {
        let mut args: Vec<&str> = flags.to_vec();
        args.extend(names);
        let out = compare("translate", &dir, "ALL", &args);
        assert_eq!(
            out.lines().filter(|l| l.is_empty()).count(),
            names.len() - 1
        );
    }
    // -OX, net-snmp's "program-like" indexes: integers, enumerations, strings with and
    // without a DISPLAY-HINT, InetAddress forms, IP addresses, OIDs, arcs past the index.
    let indexed = [
        "IF-MIB::ifDescr.2",
        "1.3.6.1.2.1.2.2.1.2.2.5",
        "SNMPv2-MIB::sysDescr.0",
        "IF-MIB::ifTable",
        "IF-MIB::ifStackStatus.0.1",
        "IF-MIB::ifRcvAddressStatus.2.6.0.80.86.170.187.204",
        "1.3.6.1.6.3.16.1.2.1.3.3.3.97.34.93",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessStatus.1.65.0.3.1",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessStatus.1.65.0.3.9",
        "SNMP-VIEW-BASED-ACM-MIB::vacmViewTreeFamilyMask.3.97.108.108.4.1.3.6.77",
        "SNMP-USER-BASED-SM-MIB::usmUserStatus.5.128.0.0.0.1.2.104.105",
        "SNMP-USER-BASED-SM-MIB::usmUserStatus.3.65.34.92.2.104.105",
        "SNMP-COMMUNITY-MIB::snmpCommunityStatus.99.49",
        "IP-MIB::ipNetToPhysicalPhysAddress.2.1.4.65.66.67.68",
        "IP-MIB::ipNetToPhysicalPhysAddress.2.1.3.65.66.67",
        "IP-MIB::ipNetToPhysicalPhysAddress.2.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
        "IP-MIB::ipNetToPhysicalPhysAddress.2.3.8.65.66.67.68.0.0.0.1",
        "IP-MIB::ipAdEntAddr.1.2.3.4",
        "TCP-MIB::tcpConnectionState.1.4.1.2.3.4.80.1.4.5.6.7.8.9",
        "BRIDGE-MIB::dot1dTpFdbPort.0.80.86.170.187.204",
    ];
    let modules = "IF-MIB:SNMP-VIEW-BASED-ACM-MIB:IP-MIB:SNMP-USER-BASED-SM-MIB:\
                   SNMP-COMMUNITY-MIB:TCP-MIB:BRIDGE-MIB";
    for flags in [
        "-OX", "-OXs", "-OXf", "-OXu", "-OXb", "-OXn", "-OXq", "-OXQ",
    ] {
        let mut args = vec![flags];
        args.extend(indexed);
        let out = compare("translate", &dir, modules, &args);
        if flags == "-OX" {
            for line in [
                "IF-MIB::ifDescr[2]",
                "IF-MIB::ifDescr[2].5",
                "SNMP-VIEW-BASED-ACM-MIB::vacmAccessStatus[STRING: A][STRING: ][3][noAuthNoPriv]",
                "IP-MIB::ipNetToPhysicalPhysAddress[2][ipv4][\"65.66.67.68\"]",
            ] {
                assert!(out.lines().any(|l| l == line), "{line} missing from\n{out}");
            }
        }
    }
    let out = compare(
        "translate",
        &dir,
        "ALL",
        &[
            "-IR",
            "-On",
            "sysDescr.0",
            "ifDescr.1",
            "system",
            "vacmGroupName",
        ],
    );
    assert!(
        out.starts_with(".1.3.6.1.2.1.1.1.0\n\n.1.3.6.1.2.1.2.2.1.2.1\n"),
        "{out}"
    );
    for bad in [
        &["sysDescr.0"][..],
        &["-IR", "noSuchThing"],
        &["SNMPv2-MIB::foo"],
        &["1.3.6.x"],
    ] {
        let (mine, theirs) = both("translate", &dir, "IF-MIB", bad);
        assert_eq!(mine.status.code(), theirs.status.code(), "{bad:?}");
        let last = text(&theirs.stderr)
            .lines()
            .last()
            .unwrap_or_default()
            .to_owned();
        assert_eq!(text(&mine.stderr).trim_end(), last, "{bad:?}");
    }
}

#[test]
fn translate_reports_as_snmptranslate() {
    let (Some(dir), true) = (ietf_dir(), net_snmp_installed()) else {
        return;
    };
    let modules = "IF-MIB:SNMP-FRAMEWORK-MIB:SNMP-VIEW-BASED-ACM-MIB:SNMPv2-MIB:\
                   SNMP-USER-BASED-SM-MIB:HOST-RESOURCES-MIB";
    // -Td: tables, rows (INDEX, AUGMENTS), columns with textual conventions, ranges,
    // enumerations, hints and DEFVALs, notifications, groups, OID assignments, instances.
    let objects = [
        "IF-MIB::ifDescr",
        "IF-MIB::ifAdminStatus.2",
        "IF-MIB::ifTable",
        "IF-MIB::ifEntry",
        "IF-MIB::ifXEntry",
        "IF-MIB::ifPhysAddress",
        "IF-MIB::ifType",
        "IF-MIB::ifIndex",
        "IF-MIB::ifInOctets",
        "IF-MIB::ifHighSpeed",
        "IF-MIB::ifStackStatus",
        "IF-MIB::ifTestId",
        "IF-MIB::linkDown",
        "IF-MIB::ifGeneralInformationGroup",
        "SNMPv2-MIB::system",
        "SNMPv2-MIB::snmpTrapOID.0",
        "SNMPv2-SMI::zeroDotZero",
        "SNMP-FRAMEWORK-MIB::snmpEngineID",
        "SNMP-FRAMEWORK-MIB::snmpEngineMaxMessageSize",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch",
        "SNMP-VIEW-BASED-ACM-MIB::vacmAccessEntry",
        "SNMP-USER-BASED-SM-MIB::usmUserAuthProtocol",
        "HOST-RESOURCES-MIB::hrStorageSize",
    ];
    let mut args = vec!["-Td"];
    args.extend(objects);
    let out = compare("translate", &dir, modules, &args);
    assert!(
        out.contains(
            "ifIndex OBJECT-TYPE\n  -- FROM\tIF-MIB\n  -- TEXTUAL CONVENTION InterfaceIndex\n  \
             SYNTAX\tInteger32 (1..2147483647) \n  DISPLAY-HINT\t\"d\"\n"
        ),
        "{out}"
    );
    assert!(out.contains("  DEFVAL\t{ exact }\n"), "{out}");
    assert!(
        out.contains("  INDEX\t\t{ vacmGroupName, vacmAccessContextPrefix, "),
        "{out}"
    );
    assert!(out.contains("ifEntry(1) ifAdminStatus(7) 2 }\n"), "{out}");
    // With every module: the modules that define a node too (`SNMPv2-MIB, RFC1213-MIB,
    // RFC1158-MIB`).
    let out = compare(
        "translate",
        &dir,
        "ALL",
        &[
            "-Td",
            "SNMPv2-MIB::sysUpTime",
            "IF-MIB::ifDescr",
            "IF-MIB::ifType",
        ],
    );
    assert!(
        out.contains("  -- FROM\tSNMPv2-MIB, RFC1213-MIB, RFC1158-MIB\n"),
        "{out}"
    );
    // -Tp: the drawn tree, under a node or whole.
    for node in [
        "IF-MIB::ifMIB",
        "IF-MIB::ifTable",
        "IF-MIB::ifDescr.3",
        "SNMPv2-MIB::system",
        ".1.3.6.1.6.3",
        "HOST-RESOURCES-MIB::host",
    ] {
        let out = compare("translate", &dir, modules, &["-Tp", node]);
        assert!(out.starts_with("+--"), "{node}: {out}");
    }
    let out = compare("translate", &dir, modules, &["-Tp"]);
    assert!(out.starts_with("+--iso(1)\n   |\n   +--org(3)\n"), "{out}");
    assert!(
        out.contains("|        +-- -R-- EnumVal   ifType(3)\n"),
        "{out}"
    );
    // -w: the lists of -Td and -Tp wrapped as net-snmp wraps them.
    for width in ["40", "80"] {
        let out = compare(
            "translate",
            &dir,
            modules,
            &[
                "-w",
                width,
                "-Td",
                "IF-MIB::ifType",
                "IF-MIB::linkDown",
                "SNMP-VIEW-BASED-ACM-MIB::vacmAccessEntry",
            ],
        );
        assert!(out.contains(", \n\t\t  "), "{out}");
        let out = compare(
            "translate",
            &dir,
            modules,
            &["-w", width, "-Tp", "IF-MIB::ifMIB"],
        );
        assert!(out.contains("Values: "), "{out}");
    }
    let (mine, theirs) = both("translate", &dir, modules, &["-w", "0", "1.3"]);
    assert_eq!(mine.status.code(), theirs.status.code());
    assert_eq!(text(&mine.stderr), "Invalid width specification: 0\n");
    // -Ib: the best match of a pattern, alone and with -Td and -Tp.
    for pattern in [
        "ifDescr", "ifdes", "InOct", "sys.*ime", "^a", "status$", "if.*Pkts", "vacm", "hr.*e$",
        "index",
    ] {
        let out = compare("translate", &dir, modules, &["-Ib", pattern]);
        assert!(out.contains("::"), "{pattern}: {out}");
    }
    let out = compare("translate", &dir, modules, &["-Ib", "ifdes"]);
    assert_eq!(out, "IF-MIB::ifDescr\n");
    compare("translate", &dir, modules, &["-Ib", "-Td", "InOct"]);
    compare("translate", &dir, modules, &["-Ib", "-Tp", "ifStackEntry"]);
    let (mine, theirs) = both("translate", &dir, modules, &["-Ib", "zzzz"]);
    assert_eq!(mine.status.code(), theirs.status.code());
    assert_eq!(text(&mine.stderr), text(&theirs.stderr));
}

/// `-m ALL` compiles the modules once into `~/.cache/snmp-rs`; the next run reads that, and
/// prints the same; `SNMP_MIB_CACHE=0` compiles without it.
#[test]
fn compiled_modules_are_cached() {
    let Some(dir) = ietf_dir() else { return };
    let home = snmp_peers::ScratchDir::new("mib-cache-home").unwrap();
    let run = |cache: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_snmp"));
        c.args([
            "translate",
            "-M",
            &dir,
            "-m",
            "ALL",
            "-On",
            "IF-MIB::ifDescr.3",
        ])
        .env("HOME", home.path())
        .env_remove("XDG_CACHE_HOME");
        if !cache {
            c.env("SNMP_MIB_CACHE", "0");
        }
        c.output().unwrap()
    };
    let cache_dir = home.path().join(".cache/snmp-rs");
    let uncached = run(false);
    assert!(!cache_dir.exists());
    let first = run(true);
    let files = || std::fs::read_dir(&cache_dir).map_or(0, Iterator::count);
    assert_eq!(files(), 1);
    let second = run(true);
    assert_eq!(files(), 1);
    for out in [&uncached, &first, &second] {
        assert_eq!(
            text(&out.stdout),
            ".1.3.6.1.2.1.2.2.1.2.3\n",
            "{}",
            text(&out.stderr)
        );
    }
}
