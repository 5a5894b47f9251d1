//! `snmp trap`, `snmp inform` and `snmp trapd` end to end: our tools to our receiver, and,
//! when net-snmp is installed, each side against net-snmp's `snmptrap`, `snmpinform` and
//! `snmptrapd`, their output compared line for line (timestamps and ports left out).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use snmp_peers::{Guard, ScratchDir, free_udp_port, wait_until};

/// The sending engine of the traps of our `snmp trap` and of net-snmp's `snmptrap` (each
/// its own: a receiver keeps each engine's boots and time).
const OUR_ENGINE: &str = "0x8000000001020305";
const REAL_ENGINE: &str = "0x8000000001020304";

/// The receivers' configuration: the same file for both.
const CONFIG: &str = "\
authCommunity log,execute,net public
createUser -e 0x8000000001020304 tuser SHA authpass1 AES privpass1
createUser -e 0x8000000001020305 tuser SHA authpass1 AES privpass1
createUser iuser SHA authpass1 AES privpass1
authUser log tuser priv
authUser log iuser
";

const V3: [&str; 10] = [
    "-u",
    "tuser",
    "-l",
    "authPriv",
    "-a",
    "SHA",
    "-A",
    "authpass1",
    "-x",
    "AES",
];

/// A program of net-snmp: on PATH, or in /usr/sbin (snmptrapd).
fn find(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/local/sbin")])
        .map(|d| d.join(program))
        .find(|p| p.is_file())
}

fn net_snmp() -> Option<(PathBuf, PathBuf, PathBuf)> {
    let found = (find("snmptrapd")?, find("snmptrap")?, find("snmpinform")?);
    Some(found)
}

/// A receiver writing to a file, killed when dropped.
struct Receiver {
    _guard: Guard,
    port: u16,
    v6: bool,
    log: PathBuf,
    _dir: ScratchDir,
}

impl Receiver {
    fn start(real: Option<&Path>) -> Self {
        Self::start_on(real, false)
    }

    /// On `::1` with `v6`, else on 127.0.0.1.
    fn start_on(real: Option<&Path>, v6: bool) -> Self {
        let dir = ScratchDir::new("traps").unwrap();
        let conf = dir.path().join("trapd.conf");
        std::fs::write(&conf, CONFIG).unwrap();
        let log = dir.path().join("out.txt");
        let (port, listen) = if v6 {
            let port = snmp_peers::free_udp6_port().unwrap();
            (port, format!("udp6:[::1]:{port}"))
        } else {
            let port = free_udp_port().unwrap();
            (port, format!("udp:127.0.0.1:{port}"))
        };
        let mut cmd = match real {
            Some(program) => {
                let mut c = Command::new(program);
                c.args(["-f", "-Lo", "-C", "-M", "/dev/null", "-m", ""])
                    .env("SNMP_PERSISTENT_DIR", dir.path())
                    .env("SNMPCONFPATH", dir.path());
                c
            }
            None => {
                let mut c = Command::new(env!("CARGO_BIN_EXE_snmp"));
                c.args(["trapd", "-f", "-Lo", "-C"]);
                c
            }
        };
        cmd.arg("-c")
            .arg(&conf)
            .arg(&listen)
            .stdout(std::fs::File::create(&log).unwrap())
            .stderr(Stdio::null())
            .stdin(Stdio::null());
        let guard = Guard::new(cmd.spawn().unwrap());
        let ready = wait_until(Duration::from_secs(10), || {
            std::fs::read_to_string(&log)
                .is_ok_and(|t| t.contains("NET-SNMP version") || t.contains("snmp trapd"))
        });
        assert!(ready, "the receiver did not start");
        Self {
            _guard: guard,
            port,
            v6,
            log,
            _dir: dir,
        }
    }

    fn peer(&self) -> String {
        if self.v6 {
            format!("udp6:[::1]:{}", self.port)
        } else {
            format!("127.0.0.1:{}", self.port)
        }
    }

    fn text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The notifications logged so far, once there are `n` of them (or after 5 s): lines
    /// without their timestamps and ports, the start line left out.
    fn notifications(&self, n: usize) -> Vec<String> {
        wait_until(Duration::from_secs(5), || headers(&self.text()) >= n);
        normalise(&self.text())
    }
}

/// Whether a line starts with `YYYY-MM-DD HH:MM:SS `.
fn timestamped(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 20
        && b.iter().take(19).enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        })
}

fn headers(text: &str) -> usize {
    text.lines()
        .filter(|l| timestamped(l) && (l.contains("UDP: [") || l.contains("UDP/IPv6: [")))
        .count()
}

/// The log without its start line, timestamps and port numbers.
fn normalise(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| {
            !l.contains("Stopped.")
                && !l.starts_with("Stopping")
                && !l.starts_with("Created directory")
                && !l.starts_with("NET-SNMP version")
                && !l.starts_with("snmp trapd")
        })
        .map(|l| {
            let l = if timestamped(l) { &l[20..] } else { l };
            let mut out = String::new();
            let mut rest = l;
            while let Some(at) = rest.find("]:") {
                out.push_str(&rest[..at + 2]);
                let after = &rest[at + 2..];
                rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
                if rest.len() < after.len() {
                    out.push('P');
                }
            }
            out.push_str(rest);
            out
        })
        .collect()
}

fn ours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn real(program: &Path, args: &[&str]) -> Output {
    let dir = ScratchDir::new("snmptrap").unwrap();
    Command::new(program)
        .args(["-M", "/dev/null", "-m", ""])
        .args(args)
        .env("SNMP_PERSISTENT_DIR", dir.path())
        .env("SNMPCONFPATH", dir.path())
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// Output text without net-snmp's notes about the directories it creates.
fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b)
        .lines()
        .filter(|l| !l.starts_with("Created directory"))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The notifications of the tests, for `peer`: each an argument list after the tool name.
fn sends(peer: &str, engine: &str) -> Vec<(&'static str, Vec<String>)> {
    let strs = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut v3 = strs(&V3);
    v3.extend(strs(&["-X", "privpass1", "-e", engine, "-v", "3", peer]));
    v3.extend(strs(&[
        "4321",
        ".1.3.6.1.6.3.1.1.5.4",
        "1.3.6.1.2.1.2.2.1.1.2",
        "i",
        "2",
    ]));
    let mut inform3 = strs(&[
        "-v",
        "3",
        "-u",
        "iuser",
        "-l",
        "authPriv",
        "-a",
        "SHA",
        "-A",
        "authpass1",
        "-x",
        "AES",
        "-X",
        "privpass1",
        peer,
        "42",
    ]);
    inform3.extend(strs(&[
        "1.3.6.1.6.3.1.1.5.1",
        "1.3.6.1.2.1.1.5.0",
        "s",
        "v3 inform",
    ]));
    vec![
        // Not logged: a community that authCommunity does not name.
        (
            "trap",
            strs(&["-v", "2c", "-c", "wrong", peer, "1", "1.3.6.1.6.3.1.1.5.1"]),
        ),
        (
            "trap",
            strs(&[
                "-v",
                "1",
                "-c",
                "public",
                peer,
                "1.3.6.1.4.1.8072.2.3",
                "192.0.2.7",
                "6",
                "17",
                "1234",
                "1.3.6.1.2.1.1.5.0",
                "s",
                "hello",
                "1.3.6.1.2.1.1.6.0",
                "x",
                "0a0b",
            ]),
        ),
        (
            "trap",
            strs(&[
                "-v",
                "1",
                "-c",
                "public",
                peer,
                "1.3.6.1.4.1.8072.2.3",
                "10.0.0.1",
                "0",
                "0",
                "864000123",
            ]),
        ),
        (
            "trap",
            strs(&[
                "-v",
                "2c",
                "-c",
                "public",
                peer,
                "8640000",
                "1.3.6.1.4.1.8072.2.3.0.1",
                "1.3.6.1.2.1.1.5.0",
                "s",
                "two \"c\"",
                "1.3.6.1.2.1.2.2.1.1.1",
                "i",
                "-5",
                "1.3.6.1.2.1.1.7.0",
                "o",
                ".1.3.6.1.4.1",
                "1.3.6.1.2.1.1.8.0",
                "a",
                "192.0.2.1",
                "1.3.6.1.2.1.1.9.0",
                "u",
                "7",
                "1.3.6.1.2.1.1.9.1",
                "c",
                "8",
                "1.3.6.1.2.1.1.9.2",
                "C",
                "9",
                "1.3.6.1.2.1.1.9.3",
                "t",
                "100",
                "1.3.6.1.2.1.1.9.4",
                "x",
                "00ff41",
            ]),
        ),
        ("trap", v3),
        (
            "inform",
            strs(&[
                "-v",
                "2c",
                "-c",
                "public",
                peer,
                "99",
                "1.3.6.1.6.3.1.1.5.3",
                "1.3.6.1.2.1.2.2.1.1.3",
                "i",
                "3",
            ]),
        ),
        ("inform", inform3),
    ]
}

/// What a receiver logs for [`sends`] (the wrong community is not logged).
const EXPECTED: [&str; 14] = [
    "192.0.2.7 [192.0.2.7] (via UDP: [127.0.0.1]:P->[127.0.0.1]:P) TRAP, SNMP v1, community public",
    "\tiso.3.6.1.4.1.8072.2.3 Enterprise Specific Trap (17) Uptime: 0:00:12.34",
    "\tiso.3.6.1.2.1.1.5.0 = STRING: \"hello\"\tiso.3.6.1.2.1.1.6.0 = STRING: \"",
    "\u{b}\"",
    "10.0.0.1 [10.0.0.1] (via UDP: [127.0.0.1]:P->[127.0.0.1]:P) TRAP, SNMP v1, community public",
    "\tiso.3.6.1.4.1.8072.2.3 Cold Start Trap (0) Uptime: 100 days, 0:00:01.23",
    "",
    "localhost [UDP: [127.0.0.1]:P->[127.0.0.1]:P]:",
    "iso.3.6.1.2.1.1.3.0 = Timeticks: (8640000) 1 day, 0:00:00.00\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.4.1.8072.2.3.0.1\tiso.3.6.1.2.1.1.5.0 = STRING: \"two \\\"c\\\"\"\tiso.3.6.1.2.1.2.2.1.1.1 = INTEGER: -5\tiso.3.6.1.2.1.1.7.0 = OID: iso.3.6.1.4.1\tiso.3.6.1.2.1.1.8.0 = IpAddress: 192.0.2.1\tiso.3.6.1.2.1.1.9.0 = Gauge32: 7\tiso.3.6.1.2.1.1.9.1 = Counter32: 8\tiso.3.6.1.2.1.1.9.2 = Counter64: 9\tiso.3.6.1.2.1.1.9.3 = Timeticks: (100) 0:00:01.00\tiso.3.6.1.2.1.1.9.4 = Hex-STRING: 00 FF 41 ",
    "localhost [UDP: [127.0.0.1]:P->[127.0.0.1]:P]:",
    "iso.3.6.1.2.1.1.3.0 = Timeticks: (4321) 0:00:43.21\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.6.3.1.1.5.4\tiso.3.6.1.2.1.2.2.1.1.2 = INTEGER: 2",
    "localhost [UDP: [127.0.0.1]:P->[127.0.0.1]:P]:",
    "iso.3.6.1.2.1.1.3.0 = Timeticks: (99) 0:00:00.99\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.6.3.1.1.5.3\tiso.3.6.1.2.1.2.2.1.1.3 = INTEGER: 3",
    "localhost [UDP: [127.0.0.1]:P->[127.0.0.1]:P]:",
];

const LAST: &str = "iso.3.6.1.2.1.1.3.0 = Timeticks: (42) 0:00:00.42\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.6.3.1.1.5.1\tiso.3.6.1.2.1.1.5.0 = STRING: \"v3 inform\"";

fn expected() -> Vec<String> {
    let mut e: Vec<String> = EXPECTED.iter().map(|s| (*s).to_owned()).collect();
    e.push(LAST.to_owned());
    e
}

/// Sends [`sends`] with our tools; every one exits 0.
fn send_ours(peer: &str) {
    for (tool, args) in sends(peer, OUR_ENGINE) {
        let mut all = vec![tool];
        all.extend(args.iter().map(String::as_str));
        let out = ours(&all);
        assert_eq!(out.status.code(), Some(0), "{all:?}: {}", text(&out.stderr));
    }
}

#[test]
fn our_tools_to_our_trapd() {
    let trapd = Receiver::start(None);
    send_ours(&trapd.peer());
    assert_eq!(trapd.notifications(6), expected(), "{}", trapd.text());
}

#[test]
fn our_tools_to_snmptrapd() {
    let Some((snmptrapd, ..)) = net_snmp() else {
        eprintln!("net-snmp's snmptrapd is not installed: skipped");
        return;
    };
    let trapd = Receiver::start(Some(&snmptrapd));
    send_ours(&trapd.peer());
    assert_eq!(trapd.notifications(6), expected(), "{}", trapd.text());
}

#[test]
fn net_snmp_tools_to_both_receivers() {
    let Some((snmptrapd, snmptrap, snmpinform)) = net_snmp() else {
        eprintln!("net-snmp is not installed: skipped");
        return;
    };
    let theirs = Receiver::start(Some(&snmptrapd));
    let mine = Receiver::start(None);
    for trapd in [&theirs, &mine] {
        for (tool, args) in sends(&trapd.peer(), REAL_ENGINE) {
            let program = if tool == "trap" {
                &snmptrap
            } else {
                &snmpinform
            };
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = real(program, &args);
            // snmpinform to our trapd is acknowledged: exit 0.
            assert_eq!(
                out.status.code(),
                Some(0),
                "{args:?}: {}",
                text(&out.stderr)
            );
        }
    }
    assert_eq!(theirs.notifications(6), expected(), "{}", theirs.text());
    assert_eq!(mine.notifications(6), theirs.notifications(6));
}

#[test]
fn empty_uptime_and_agent_address_are_this_hosts() {
    let Some((snmptrapd, snmptrap, _)) = net_snmp() else {
        eprintln!("net-snmp is not installed: skipped");
        return;
    };
    let trapd = Receiver::start(Some(&snmptrapd));
    let peer = trapd.peer();
    let v1 = ["-v", "1", "-c", "public", &peer, "", "", "6", "1", ""];
    let v2 = ["-v", "2c", "-c", "public", &peer, "", "1.3.6.1.6.3.1.1.5.1"];
    for args in [&v1[..], &v2[..]] {
        assert_eq!(real(&snmptrap, args).status.code(), Some(0));
        let mut all = vec!["trap"];
        all.extend(args);
        assert_eq!(ours(&all).status.code(), Some(0));
    }
    let lines = trapd.notifications(4);
    // The same header, enterprise (snmptrap's default) and agent address for both v1 traps;
    // uptimes (the system's, in seconds and hundredths) a few seconds apart at most.
    let uptime = |l: &str| -> u64 {
        let t = l.rsplit("Uptime: ").next().unwrap_or_default();
        let (hms, centis) = t.rsplit_once('.').unwrap();
        let hms = hms.rsplit(", ").next().unwrap();
        hms.split(':')
            .fold(0, |a, x| a * 60 + x.parse::<u64>().unwrap())
            * 100
            + centis.parse::<u64>().unwrap()
    };
    assert_eq!(lines[0], lines[3], "{lines:?}");
    assert!(lines[1].starts_with("\tiso.3.6.1.4.1.3.1.1 Enterprise Specific Trap (1) Uptime: "));
    assert!(
        uptime(&lines[1]).abs_diff(uptime(&lines[4])) < 1000,
        "{lines:?}"
    );
    let ticks = |l: &str| -> u64 {
        let t = l.split("Timeticks: (").nth(1).unwrap();
        t.split(')').next().unwrap().parse().unwrap()
    };
    assert_eq!(lines[6], lines[8], "{lines:?}");
    assert!(
        ticks(&lines[7]).abs_diff(ticks(&lines[9])) < 1000,
        "{lines:?}"
    );
    assert!(ticks(&lines[7]) > 0);
}

#[test]
fn inform_timeout_and_usage_errors_as_net_snmp() {
    let port = free_udp_port().unwrap();
    let peer = format!("127.0.0.1:{port}");
    let timeout = [
        "-v",
        "2c",
        "-c",
        "public",
        "-t",
        "0.2",
        "-r",
        "1",
        &peer,
        "1",
        "1.3.6.1.6.3.1.1.5.1",
    ];
    let mut all = vec!["inform"];
    all.extend(timeout);
    let out = ours(&all);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "snmpinform: Timeout\n");
    // snmptrap -Ci sends an inform, and says the same.
    let mut all = vec!["trap", "-Ci"];
    all.extend(timeout);
    let out = ours(&all);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "snmpinform: Timeout\n");
    let cases: [(&str, &[&str], &str); 5] = [
        (
            "trap",
            &["-v", "2c", "-c", "p", &peer],
            "Missing up-time parameter",
        ),
        (
            "trap",
            &["-v", "2c", "-c", "p", &peer, ""],
            "Missing trap-oid parameter",
        ),
        (
            "trap",
            &["-v", "2c", "-c", "p", &peer, "", "1.3", "1.3.6", "z", "1"],
            "1.3.6: Bad variable type (\"z\")",
        ),
        (
            "trap",
            &["-v", "1", "-c", "p", &peer, "1.3", ""],
            "Missing generic-trap parameter",
        ),
        (
            "inform",
            &["-v", "1", "-c", "p", &peer, "", "1.3"],
            "Cannot send INFORM as SNMPv1 PDU",
        ),
    ];
    for (tool, args, first) in cases {
        let mut all = vec![tool];
        all.extend(args);
        let out = ours(&all);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = text(&out.stderr);
        assert_eq!(err.lines().next(), Some(first), "{err}");
        if let Some((_, snmptrap, snmpinform)) = net_snmp() {
            let program = if tool == "trap" { snmptrap } else { snmpinform };
            let theirs = real(&program, args);
            assert_eq!(theirs.status.code(), Some(1));
            assert_eq!(text(&theirs.stderr).lines().next(), Some(first));
        }
    }
    if let Some((_, _, snmpinform)) = net_snmp() {
        let theirs = real(&snmpinform, &timeout);
        assert_eq!(theirs.status.code(), Some(1));
        assert_eq!(text(&theirs.stderr), "snmpinform: Timeout\n");
    }
}

#[test]
fn trapd_json_and_the_multi_call_names() {
    let dir = ScratchDir::new("trapd-json").unwrap();
    let conf = dir.path().join("trapd.conf");
    std::fs::write(&conf, "disableAuthorization yes\nformat2 %V\n").unwrap();
    let log = dir.path().join("out.json");
    let err = dir.path().join("err.txt");
    let port = free_udp_port().unwrap();
    let trapd_link = dir.path().join("snmptrapd");
    let trap_link = dir.path().join("snmptrap");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_snmp"), &trapd_link).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_snmp"), &trap_link).unwrap();
    let child = Command::new(&trapd_link)
        .args(["-f", "-C", "-c"])
        .arg(&conf)
        .args(["--json", &format!("udp:127.0.0.1:{port}")])
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Guard::new(child);
    assert!(wait_until(Duration::from_secs(10), || {
        std::fs::read_to_string(&err).is_ok_and(|t| t.contains("snmp trapd"))
    }));
    let warnings = std::fs::read_to_string(&err).unwrap();
    assert!(
        warnings.contains(": line 2: Warning: Unknown token: format2."),
        "{warnings}"
    );
    let out = Command::new(&trap_link)
        .args(["-v", "2c", "-c", "any", &format!("127.0.0.1:{port}"), "77"])
        .args(["1.3.6.1.6.3.1.1.5.1", "1.3.6.1.2.1.1.5.0", "s", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(wait_until(Duration::from_secs(5), || {
        std::fs::read_to_string(&log).is_ok_and(|t| t.lines().count() == 1)
    }));
    let line = std::fs::read_to_string(&log).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["version"], "2c");
    assert_eq!(v["kind"], "trap");
    assert_eq!(v["community"], "any");
    assert_eq!(v["varbinds"][0]["value"], 77);
    assert_eq!(v["varbinds"][1]["value"], "1.3.6.1.6.3.1.1.5.1");
    assert_eq!(v["varbinds"][2]["value"], "6a736f6e");
}

#[test]
fn unauthorized_informs_are_not_acknowledged() {
    let dir = ScratchDir::new("trapd-noauth").unwrap();
    let conf = dir.path().join("trapd.conf");
    std::fs::write(&conf, "authUser log someone\n").unwrap();
    let err = dir.path().join("err.txt");
    let log = dir.path().join("out.txt");
    let port = free_udp_port().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(["trapd", "-f", "-Lo", "-C", "-c"])
        .arg(&conf)
        .arg(format!("udp:127.0.0.1:{port}"))
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Guard::new(child);
    let peer = format!("127.0.0.1:{port}");
    // SNMPv2c: the community is not authorized, so the inform is not acknowledged.
    let args = [
        "inform", "-v", "2c", "-c", "public", "-t", "0.3", "-r", "0", &peer, "1", "1.3.6",
    ];
    assert!(wait_until(Duration::from_secs(10), || {
        std::fs::read_to_string(&log).is_ok_and(|t| t.starts_with("snmp trapd"))
    }));
    let out = ours(&args);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr), "snmpinform: Timeout\n");
    // A second receiver on the same port: snmptrapd's message.
    let second = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(["trapd", "-C", &format!("udp:127.0.0.1:{port}")])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    assert!(
        text(&second.stderr).ends_with(&format!(
            "couldn't open udp:127.0.0.1:{port} -- errno 98 (\"Address already in use\")\n"
        )),
        "{}",
        text(&second.stderr)
    );
    assert!(text(&second.stderr).starts_with("Warning: no access control information configured."));
}

#[test]
fn ipv6_senders_as_snmptrapd_shows_them() {
    let Some((snmptrapd, snmptrap, _)) = net_snmp() else {
        eprintln!("net-snmp is not installed: skipped");
        return;
    };
    let theirs = Receiver::start_on(Some(&snmptrapd), true);
    let mine = Receiver::start_on(None, true);
    for trapd in [&theirs, &mine] {
        let peer = trapd.peer();
        let v2 = [
            "-v",
            "2c",
            "-c",
            "public",
            &peer,
            "5",
            "1.3.6.1.6.3.1.1.5.1",
        ];
        let v1 = [
            "-v", "1", "-c", "public", &peer, "1.3.6", "1.2.3.4", "1", "0", "5",
        ];
        assert_eq!(real(&snmptrap, &v2).status.code(), Some(0));
        let mut all = vec!["trap"];
        all.extend(v1);
        assert_eq!(ours(&all).status.code(), Some(0));
    }
    let expected = [
        "<UNKNOWN> [UDP/IPv6: [::1]:P]:",
        "iso.3.6.1.2.1.1.3.0 = Timeticks: (5) 0:00:00.05\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.6.3.1.1.5.1",
        "1.2.3.4 [1.2.3.4] (via UDP/IPv6: [::1]:P) TRAP, SNMP v1, community public",
        "\tiso.3.6 Warm Start Trap (0) Uptime: 0:00:00.05",
        "",
    ];
    assert_eq!(theirs.notifications(2), expected, "{}", theirs.text());
    assert_eq!(mine.notifications(2), expected, "{}", mine.text());
}

/// snmptrapd's `forward OID|default DESTINATION`: notifications whose snmpTrapOID the
/// selector takes go on to another receiver as they came (version, community, PDU).
#[test]
fn forward_directive_passes_notifications_on() {
    let next = Receiver::start(None);
    let dir = ScratchDir::new("trapd-forward").unwrap();
    let conf = dir.path().join("trapd.conf");
    std::fs::write(
        &conf,
        format!(
            "authCommunity log,net public\n\
             authCommunity log private\n\
             forward .1.3.6.1.4.1.99999.* udp:127.0.0.1:{port}\n\
             forward 1.3.6.1.6.3.1.1.5.1 127.0.0.1:{port}\n",
            port = next.port
        ),
    )
    .unwrap();
    let log = dir.path().join("out.txt");
    let port = free_udp_port().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(["trapd", "-f", "-Lo", "-C", "-c"])
        .arg(&conf)
        .arg(format!("udp:127.0.0.1:{port}"))
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .stdin(Stdio::null())
        .spawn()
        .unwrap();
    let _guard = Guard::new(child);
    assert!(wait_until(Duration::from_secs(10), || {
        std::fs::read_to_string(&log).is_ok_and(|t| t.starts_with("snmp trapd"))
    }));
    let peer = format!("127.0.0.1:{port}");
    let sends: [&[&str]; 6] = [
        // Forwarded: under .99999, as a v2c trap; as a v1 trap; as an inform; coldStart.
        &[
            "trap",
            "-v",
            "2c",
            "-c",
            "public",
            &peer,
            "7",
            ".1.3.6.1.4.1.99999.0.7",
            ".1.3.6.1.4.1.99999.1.0",
            "s",
            "seven",
        ],
        &[
            "trap",
            "-v",
            "1",
            "-c",
            "public",
            &peer,
            ".1.3.6.1.4.1.99999",
            "192.0.2.9",
            "6",
            "3",
            "33",
        ],
        &[
            "inform",
            "-v",
            "2c",
            "-c",
            "public",
            &peer,
            "8",
            ".1.3.6.1.4.1.99999.0.8",
        ],
        &[
            "trap",
            "-v",
            "2c",
            "-c",
            "public",
            &peer,
            "9",
            "1.3.6.1.6.3.1.1.5.1",
        ],
        // Not forwarded: linkDown matches no selector; private is not authorized for `net`.
        &[
            "trap",
            "-v",
            "2c",
            "-c",
            "public",
            &peer,
            "10",
            "1.3.6.1.6.3.1.1.5.3",
        ],
        &[
            "trap",
            "-v",
            "2c",
            "-c",
            "private",
            &peer,
            "11",
            ".1.3.6.1.4.1.99999.0.11",
        ],
    ];
    for args in sends {
        let out = ours(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    let forwarded = next.notifications(4);
    let all = forwarded.join("\n");
    assert_eq!(headers(&next.text()), 4, "{all}");
    for expected in [
        "Timeticks: (7) 0:00:00.07\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.4.1.99999.0.7\tiso.3.6.1.4.1.99999.1.0 = STRING: \"seven\"",
        "TRAP, SNMP v1, community public\n\tiso.3.6.1.4.1.99999 Enterprise Specific Trap (3) Uptime: 0:00:00.33",
        "Timeticks: (8) 0:00:00.08\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.4.1.99999.0.8",
        "Timeticks: (9) 0:00:00.09\tiso.3.6.1.6.3.1.1.4.1.0 = OID: iso.3.6.1.6.3.1.1.5.1",
    ] {
        assert!(all.contains(expected), "{expected} in:\n{all}");
    }
    assert!(
        !all.contains("iso.3.6.1.6.3.1.1.5.3") && !all.contains("99999.0.11"),
        "{all}"
    );
    // The first receiver logged all six.
    assert!(wait_until(Duration::from_secs(5), || headers(
        &std::fs::read_to_string(&log).unwrap_or_default()
    ) == 6));
}
