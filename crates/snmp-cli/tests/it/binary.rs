//! The `snmp` binary end to end: exit statuses, stdout, and one-line diagnostics on stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value as Json;

use crate::captures::pcaps;

fn snmp(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_snmp"))
        .args(args)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).unwrap()
}

fn path(rel: &str) -> String {
    pcaps().join(rel).to_str().unwrap().to_owned()
}

/// A scratch directory of this test process, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("snmp-cli-it-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str, content: &[u8]) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, content).unwrap();
        p.to_str().unwrap().to_owned()
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One line on stderr, starting `snmp: `, nothing on stdout, and no panic.
fn assert_one_line_error(out: &Output, status: i32, contains: &str) {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(status), "{err}");
    assert!(out.stdout.is_empty(), "stdout: {}", text(&out.stdout));
    assert_eq!(err.lines().count(), 1, "stderr: {err}");
    assert!(err.starts_with("snmp: "), "{err}");
    assert!(err.contains(contains), "{contains:?} not in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_good_run() {
    let out = snmp(&[
        "decode",
        "--usm",
        "lextm:MD5:authentication:DES:privacyphrase",
        &path("sharpsnmplib/trapv3authpriv"),
        &path("zeek/snmpv1_get_short.pcap"),
        &path("tcpdump/snmp-heapoverflow-2.pcap"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    let lines: Vec<Json> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    // Several files: each line names its own.
    assert!(
        lines[0]["file"]
            .as_str()
            .unwrap()
            .ends_with("trapv3authpriv")
    );
    assert_eq!(lines[0]["auth"], "ok");
    assert_eq!(lines[0]["priv"], "decrypted");
    assert_eq!(lines[0]["varbinds"][1]["value"], "1.3.6");
    assert_eq!(lines[1]["frame"], 1);
    assert_eq!(lines[1]["src"], "203.143.168.235:1026");
    assert_eq!(lines[2]["frame"], 2);
    assert_eq!(lines[2]["pdu"], "response");
    // A malformed message is a line, not a failure.
    let malformed = lines[3].as_object().unwrap();
    assert_eq!(
        malformed.keys().collect::<Vec<_>>(),
        ["file", "frame", "error"]
    );
    assert_eq!(
        malformed["error"],
        "truncated: 48 octets needed, 8 available at byte 4"
    );
}

#[test]
fn one_file_has_no_file_field() {
    let out = snmp(&["decode", &path("gosnmp/test3_PDUOctetString_pkt.b64")]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        "{\"frame\":1,\"version\":\"2c\",\"community\":\"public\",\"pdu\":\"set-request\",\"requestID\":1,\"errorStatus\":0,\"errorIndex\":0,\"varbinds\":[{\"oid\":\"1.3.6.1.2.1.1.4.0\",\"type\":\"OCTET STRING\",\"value\":\"41646d696e6973747261746f72\"}]}\n"
    );
}

#[test]
fn an_unknown_flag() {
    let out = snmp(&["decode", "--frobnicate", &path("zeek/snmpv1_get.pcap")]);
    assert_one_line_error(&out, 2, "unexpected argument '--frobnicate'");
    let out = snmp(&["--frobnicate"]);
    assert_one_line_error(&out, 2, "unexpected argument '--frobnicate'");
}

#[test]
fn no_or_unknown_subcommand() {
    assert_one_line_error(&snmp(&[]), 2, "a subcommand is required: decode");
    assert_one_line_error(&snmp(&["frob"]), 2, "unrecognized subcommand 'frob'");
    assert_one_line_error(&snmp(&["decode"]), 2, "<FILE>");
}

#[test]
fn a_missing_file() {
    let scratch = Scratch::new("missing");
    let missing = scratch.path().join("no-such.pcap");
    let out = snmp(&["decode", missing.to_str().unwrap()]);
    assert_one_line_error(&out, 1, "no-such.pcap: No such file or directory");
    // The other files are still decoded.
    let out = snmp(&[
        "decode",
        missing.to_str().unwrap(),
        &path("zeek/snmpv1_trap.pcap"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(text(&out.stderr).lines().count(), 1);
    assert_eq!(text(&out.stdout).lines().count(), 1);
}

#[test]
fn a_bad_usm_spec() {
    let file = path("sharpsnmplib/trapv3auth");
    for (spec, want) in [
        ("lextm:MD5", "expected USER:AUTH:AUTHPASS"),
        (
            "lextm:MD9:authentication",
            "unknown authentication protocol \"MD9\"",
        ),
        (
            "lextm:MD5:authentication:RC4:privacyphrase",
            "unknown privacy protocol \"RC4\"",
        ),
        ("lextm:MD5:secret", "at least 8"),
    ] {
        let out = snmp(&["decode", "--usm", spec, &file]);
        assert_one_line_error(&out, 2, want);
        assert!(
            !text(&out.stderr).contains("secret"),
            "a password was echoed"
        );
    }
    assert_one_line_error(&snmp(&["decode", &file, "--usm"]), 2, "--usm");
}

#[test]
fn a_damaged_capture() {
    let scratch = Scratch::new("damaged");
    let whole = std::fs::read(pcaps().join("zeek/snmpv1_get_short.pcap")).unwrap();
    let cut = scratch.file("cut.pcap", &whole[..whole.len() - 5]);
    let out = snmp(&["decode", &cut]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cut.pcap: the capture is cut short in frame 2"),
        "{err}"
    );
    // The whole frames before it were printed.
    assert_eq!(text(&out.stdout).lines().count(), 1);
    // A capture with only the magic number.
    let stub = scratch.file("stub.pcapng", &[0x0a, 0x0d, 0x0d, 0x0a]);
    assert_one_line_error(
        &snmp(&["decode", &stub]),
        1,
        "stub.pcapng: the capture is cut short",
    );
    // A directory.
    let dir = scratch.path().to_str().unwrap().to_owned();
    assert_one_line_error(&snmp(&["decode", &dir]), 1, "Is a directory");
}

#[test]
fn help_and_version() {
    let out = snmp(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(
        help.contains("decode") && help.contains("Usage: snmp <COMMAND>"),
        "{help}"
    );
    let out = snmp(&["decode", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    for word in [
        "--usm <USER:AUTH:AUTHPASS[:PRIV:PRIVPASS]>",
        "<FILE>...",
        "pcapng",
        "unknown-user",
        "decrypted",
        "Exit status",
    ] {
        assert!(help.contains(word), "{word} not in:\n{help}");
    }
    let out = snmp(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("snmp {}\n", env!("CARGO_PKG_VERSION"))
    );
}
