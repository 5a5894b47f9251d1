//! `snmp decode` over every capture and message file of `../shared/pcaps`, compared with
//! tshark 4.0.17's decoding in `../shared/pcaps/decoded/*.json`: the frames found, their
//! addresses, version, community, PDU type, request-id, error fields, v1 trap fields and every
//! binding's OID, type and value; for SNMPv3 the header, user, engine ID, the authentication
//! outcome and the PDU decrypted with the documented credentials (SOURCES.md, vectors.txt
//! section 8) where tshark shows `snmp.decrypted_pdu`. The malformed messages must give
//! `{frame, error}` with the error listed in `MALFORMED`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json, json};
use snmp_cli::{Datagrams, MessageDecoder, UsmCredential};

/// The credentials of SOURCES.md and vectors.txt section 8.
const USERS: [&str; 3] = [
    "pippo:MD5:pippoxxx:DES:PIPPOxxx",
    "lextm:MD5:authentication:DES:privacyphrase",
    "test:SHA:testpass",
];

/// The messages that do not decode, by (file, frame), with the error we print.
const MALFORMED: &[(&str, u64, &str)] = &[
    // An OID whose second sub-identifier is 11 octets long.
    (
        "zeek/snmp-oid-subidentifier-too-long.pcap",
        1,
        "OID sub-identifier too long at byte 31",
    ),
    // Fuzzed messages whose outer SEQUENCE claims more than the datagram holds.
    (
        "tcpdump/snmp-heapoverflow-1.pcap",
        5,
        "truncated: 304 octets needed, 18 available at byte 4",
    ),
    (
        "tcpdump/snmp-heapoverflow-2.pcap",
        1,
        "truncated: 48 octets needed, 8 available at byte 4",
    ),
    // A datagram from port 162 that is not SNMP (`02 02 ff ff ...`).
    (
        "tcpdump/ip-snmp-leftshift-unsigned.pcap",
        1,
        "expected tag 0x30, found 0x02 at byte 0",
    ),
    // A DHCPv6 packet from port 161 (tshark does not even call it SNMP).
    (
        "tcpdump/ip6-snmp-oid-unsigned.pcap",
        1,
        "expected tag 0x30, found 0x06 at byte 0",
    ),
];

pub(crate) fn shared() -> PathBuf {
    std::env::var_os("SNMP_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    )
}

pub(crate) fn pcaps() -> PathBuf {
    let pcaps = shared().join("pcaps");
    assert!(
        pcaps.is_dir(),
        "{} is missing: set SNMP_SHARED_DIR",
        pcaps.display()
    );
    pcaps
}

/// Every file `snmp decode` is run over, as `dir/name`: the captures of zeek/ and tcpdump/
/// (not the expected outputs beside them), and every message file of the other directories.
fn inputs() -> Vec<String> {
    let pcaps = pcaps();
    let mut out = Vec::new();
    for dir in [
        "zeek",
        "tcpdump",
        "gosnmp",
        "rusticata-snmp-parser",
        "sharpsnmplib",
    ] {
        let mut names: Vec<String> = fs::read_dir(pcaps.join(dir))
            .unwrap()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().unwrap().is_file())
            .map(|e| e.file_name().into_string().unwrap())
            .filter(|n| !n.ends_with(".out"))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    out
}

/// Our output for one file, as the `snmp decode` lines would hold it.
pub(crate) fn decode_file(path: &Path, users: &[&str]) -> Vec<Map<String, Json>> {
    let users = users
        .iter()
        .map(|u| u.parse::<UsmCredential>().unwrap())
        .collect();
    let mut decoder = MessageDecoder::new(users);
    Datagrams::open(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|d| decoder.decode(&d.unwrap_or_else(|e| panic!("{}: {e}", path.display()))))
        .collect()
}

/// tshark's decoding of a file: `dir__name.json` for a capture, `wrapped__dir__name.json`
/// (or without the extension) for a raw message, the .bin's for a .b64.
fn tshark(source: &str) -> Vec<Json> {
    let decoded = pcaps().join("decoded");
    let (dir, name) = source.split_once('/').unwrap();
    let stem = name.rsplit_once('.').map_or(name, |s| s.0);
    let candidates = if dir == "zeek" || dir == "tcpdump" {
        vec![format!("{dir}__{stem}.json")]
    } else {
        vec![
            format!("wrapped__{dir}__{name}.json"),
            format!("wrapped__{dir}__{stem}.json"),
        ]
    };
    let path = candidates
        .iter()
        .map(|c| decoded.join(c))
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no tshark decoding for {source}"));
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

#[derive(Default)]
struct Report {
    files: usize,
    messages: usize,
    varbinds: usize,
    malformed: usize,
    authenticated: BTreeSet<String>,
    decrypted: BTreeSet<String>,
    count: usize,
    failures: String,
}

impl Report {
    fn fail(&mut self, source: &str, frame: &Json, what: impl std::fmt::Display) {
        self.count += 1;
        if self.count <= 60 {
            writeln!(self.failures, "{source} frame {frame}: {what}").unwrap();
        }
    }
}

#[test]
fn every_capture_matches_tshark() {
    let mut report = Report::default();
    for source in inputs() {
        let ours = decode_file(&pcaps().join(&source), &USERS);
        let theirs = tshark(&source);
        report.files += 1;
        check_file(&mut report, &source, &ours, &theirs);
    }
    println!(
        "{} files, {} messages matched tshark, {} bindings compared, {} malformed as expected; authenticated: {:?}; decrypted: {:?}",
        report.files,
        report.messages,
        report.varbinds,
        report.malformed,
        report.authenticated,
        report.decrypted
    );
    assert!(
        report.failures.is_empty(),
        "{} mismatches:\n{}",
        report.count,
        report.failures
    );
    // Guard against a test that passes by finding nothing.
    assert_eq!(report.files, 59);
    assert!(report.messages >= 604, "{} messages", report.messages);
    assert!(report.varbinds >= 695, "{} bindings", report.varbinds);
    assert_eq!(report.malformed, MALFORMED.len());
    let authenticated: Vec<_> = report.authenticated.iter().map(String::as_str).collect();
    assert_eq!(
        authenticated,
        [
            "rusticata-snmp-parser/snmpv3_req_encrypted.bin:1",
            "sharpsnmplib/trapv3auth:1",
            "sharpsnmplib/trapv3authpriv:1",
            "sharpsnmplib/v3authNoPriv_BER_Issue:1",
        ]
    );
    let decrypted: Vec<_> = report.decrypted.iter().map(String::as_str).collect();
    assert_eq!(
        decrypted,
        [
            "rusticata-snmp-parser/snmpv3_req_encrypted.bin:1",
            "sharpsnmplib/trapv3authpriv:1",
        ]
    );
}

fn frame_number(packet: &Json) -> u64 {
    packet["_source"]["layers"]["frame"]["frame.number"]
        .as_str()
        .and_then(|f| f.parse().ok())
        .unwrap()
}

fn check_file(report: &mut Report, source: &str, ours: &[Map<String, Json>], theirs: &[Json]) {
    // The frames: ours are tshark's, but for malformed datagrams tshark calls something else.
    let our_frames: Vec<u64> = ours.iter().map(|o| o["frame"].as_u64().unwrap()).collect();
    for p in theirs {
        let frame = frame_number(p);
        if !our_frames.contains(&frame) {
            report.fail(
                source,
                &json!(frame),
                "tshark decoded it as SNMP, we found nothing",
            );
        }
    }
    for o in ours {
        let frame = o["frame"].as_u64().unwrap();
        let expected_error = MALFORMED
            .iter()
            .find(|(f, n, _)| *f == source && *n == frame)
            .map(|(_, _, e)| *e);
        match (o.get("error"), expected_error) {
            (Some(e), Some(want)) => {
                if e == want && o.len() == 2 {
                    report.malformed += 1;
                } else {
                    report.fail(
                        source,
                        &o["frame"],
                        format!("expected {{frame, error: {want}}}, got {o:?}"),
                    );
                }
            }
            (None, Some(want)) => report.fail(
                source,
                &o["frame"],
                format!("expected error {want}, got {o:?}"),
            ),
            (Some(e), None) => report.fail(source, &o["frame"], format!("unexpected error {e}")),
            (None, None) => {
                let Some(packet) = theirs.iter().find(|p| frame_number(p) == frame) else {
                    report.fail(
                        source,
                        &o["frame"],
                        "tshark did not decode this frame as SNMP",
                    );
                    continue;
                };
                let mut cmp = Compare::default();
                // A raw file has no addresses (tshark read it wrapped in made-up ones).
                let capture = source.starts_with("zeek/") || source.starts_with("tcpdump/");
                if capture {
                    cmp.addresses(o, &packet["_source"]["layers"]);
                } else {
                    cmp.absent(o, &["src", "dst"]);
                }
                cmp.message(o, &packet["_source"]["layers"]);
                if cmp.diffs.is_empty() {
                    report.messages += 1;
                    report.varbinds += cmp.varbinds;
                    if o.get("auth").is_some_and(|a| a == "ok") {
                        report.authenticated.insert(format!("{source}:{frame}"));
                    }
                    if o.get("priv").is_some_and(|p| p == "decrypted") {
                        report.decrypted.insert(format!("{source}:{frame}"));
                    }
                } else {
                    for d in cmp.diffs {
                        report.fail(source, &o["frame"], d);
                    }
                }
            }
        }
    }
}

/// Compares one of our objects with tshark's layers for the frame.
#[derive(Default)]
struct Compare {
    diffs: Vec<String>,
    varbinds: usize,
}

impl Compare {
    fn eq(&mut self, field: &str, ours: Option<&Json>, want: Json) {
        if ours != Some(&want) {
            self.diffs
                .push(format!("{field}: ours {ours:?}, tshark says {want}"));
        }
    }

    fn absent(&mut self, o: &Map<String, Json>, fields: &[&str]) {
        for f in fields {
            if o.contains_key(*f) {
                self.diffs.push(format!("{f} should be absent: {o:?}"));
            }
        }
    }

    fn message(&mut self, o: &Map<String, Json>, layers: &Json) {
        let snmp = &layers["snmp"];
        if let Some(v) = snmp["snmp.version"].as_str() {
            let version = match v {
                "0" => "1",
                "1" => "2c",
                other => other,
            };
            self.eq("version", o.get("version"), json!(version));
            self.eq(
                "community",
                o.get("community"),
                snmp["snmp.community"].clone(),
            );
            self.absent(o, &["msgID", "user", "auth", "priv", "contextName"]);
            self.pdu(o, snmp);
            return;
        }
        self.eq(
            "version",
            o.get("version"),
            json!(snmp["snmp.msgVersion"].as_str().unwrap()),
        );
        self.absent(o, &["community"]);
        let g = &snmp["snmp.msgGlobalData_element"];
        self.eq("msgID", o.get("msgID"), number(&g["snmp.msgID"]));
        let flags = u8::from_str_radix(g["snmp.msgFlags"].as_str().unwrap(), 16).unwrap();
        self.eq("msgFlags", o.get("msgFlags"), json!(flags));
        self.eq(
            "securityModel",
            o.get("securityModel"),
            number(&g["snmp.msgSecurityModel"]),
        );
        self.eq(
            "engineID",
            o.get("engineID"),
            json!(unhex(&snmp["snmp.msgAuthoritativeEngineID"])),
        );
        self.eq(
            "engineBoots",
            o.get("engineBoots"),
            number(&snmp["snmp.msgAuthoritativeEngineBoots"]),
        );
        self.eq(
            "engineTime",
            o.get("engineTime"),
            number(&snmp["snmp.msgAuthoritativeEngineTime"]),
        );
        let user = snmp["snmp.msgUserName"].as_str().unwrap();
        self.eq("user", o.get("user"), json!(user));
        // tshark authenticated with the same users (decoded/wireshark_snmp_users.uat).
        let known = USERS.iter().any(|u| u.split(':').next() == Some(user));
        let tshark_ok =
            snmp["snmp.msgAuthenticationParameters_tree"]["snmp.v3.auth_tree"]["_ws.expert"]
                .get("snmp.authentication_ok")
                .is_some();
        let auth = match (flags & 1 != 0, known) {
            (false, _) => "none",
            (true, false) => "unknown-user",
            (true, true) if tshark_ok => "ok",
            (true, true) => "wrong-digest",
        };
        self.eq("auth", o.get("auth"), json!(auth));
        let data = &snmp["snmp.msgData_tree"];
        let plaintext = if snmp["snmp.msgData"] == "0" {
            self.eq("priv", o.get("priv"), json!("none"));
            &data["snmp.plaintext_element"]
        } else {
            let decrypted = &data["snmp.encryptedPDU_tree"]["snmp.decrypted_pdu_tree"];
            if decrypted.is_null() {
                self.eq("priv", o.get("priv"), json!("encrypted"));
                self.absent(o, &["contextEngineID", "contextName", "pdu", "varbinds"]);
                return;
            }
            self.eq("priv", o.get("priv"), json!("decrypted"));
            decrypted
        };
        self.eq(
            "contextEngineID",
            o.get("contextEngineID"),
            json!(unhex(&plaintext["snmp.contextEngineID"])),
        );
        self.eq(
            "contextName",
            o.get("contextName"),
            plaintext["snmp.contextName"].clone(),
        );
        self.pdu(o, plaintext);
    }

    /// src and dst, from the UDP datagram tshark read (the one an ICMP error quotes, if so).
    fn addresses(&mut self, o: &Map<String, Json>, layers: &Json) {
        let (ip, udp) = if layers["udp"].is_object() {
            (layers, &layers["udp"])
        } else {
            (&layers["icmp"], &layers["icmp"]["udp"])
        };
        let endpoint = |addr: &str, port: &str| {
            let v4 = &ip["ip"][format!("ip.{addr}")];
            let host = match v4.as_str() {
                Some(a) => a.to_owned(),
                None => format!("[{}]", ip["ipv6"][format!("ipv6.{addr}")].as_str().unwrap()),
            };
            json!(format!(
                "{host}:{}",
                udp[format!("udp.{port}")].as_str().unwrap()
            ))
        };
        if layers["frame"]["frame.protocols"]
            .as_str()
            .is_some_and(|p| p.contains("udp"))
        {
            self.eq("src", o.get("src"), endpoint("src", "srcport"));
            self.eq("dst", o.get("dst"), endpoint("dst", "dstport"));
        }
    }

    fn pdu(&mut self, o: &Map<String, Json>, parent: &Json) {
        let kind = parent["snmp.data"].as_str().unwrap();
        let name = match kind {
            "0" => "get-request",
            "1" => "get-next-request",
            "2" => "response",
            "3" => "set-request",
            "4" => "trap",
            "5" => "get-bulk-request",
            "6" => "inform-request",
            "7" => "snmpV2-trap",
            "8" => "report",
            other => other,
        };
        self.eq("pdu", o.get("pdu"), json!(name));
        let Some((_, p)) = parent["snmp.data_tree"]
            .as_object()
            .and_then(|t| t.iter().next())
        else {
            self.diffs.push("no snmp.data_tree".into());
            return;
        };
        match name {
            "trap" => {
                self.eq(
                    "enterprise",
                    o.get("enterprise"),
                    p["snmp.enterprise"].clone(),
                );
                self.eq(
                    "agentAddr",
                    o.get("agentAddr"),
                    p["snmp.agent_addr"].clone(),
                );
                self.eq(
                    "genericTrap",
                    o.get("genericTrap"),
                    number(&p["snmp.generic_trap"]),
                );
                self.eq(
                    "specificTrap",
                    o.get("specificTrap"),
                    number(&p["snmp.specific_trap"]),
                );
                self.eq(
                    "timeStamp",
                    o.get("timeStamp"),
                    number(&p["snmp.time_stamp"]),
                );
                self.absent(o, &["requestID", "errorStatus"]);
            }
            "get-bulk-request" => {
                self.eq(
                    "requestID",
                    o.get("requestID"),
                    number(&p["snmp.request_id"]),
                );
                self.eq(
                    "nonRepeaters",
                    o.get("nonRepeaters"),
                    number(&p["snmp.non_repeaters"]),
                );
                self.eq(
                    "maxRepetitions",
                    o.get("maxRepetitions"),
                    number(&p["snmp.max_repetitions"]),
                );
                self.absent(o, &["errorStatus", "errorIndex"]);
            }
            _ => {
                self.eq(
                    "requestID",
                    o.get("requestID"),
                    number(&p["snmp.request_id"]),
                );
                self.eq(
                    "errorStatus",
                    o.get("errorStatus"),
                    number(&p["snmp.error_status"]),
                );
                self.eq(
                    "errorIndex",
                    o.get("errorIndex"),
                    number(&p["snmp.error_index"]),
                );
            }
        }
        let ours = o["varbinds"].as_array().cloned().unwrap_or_default();
        self.eq(
            "varbinds count",
            Some(&json!(ours.len())),
            number(&p["snmp.variable_bindings"]),
        );
        let theirs: Vec<&Json> = p["snmp.variable_bindings_tree"]
            .as_object()
            .map(|t| t.values().collect())
            .unwrap_or_default();
        if theirs.len() != ours.len() {
            self.diffs.push(format!(
                "{} bindings, tshark listed {}",
                ours.len(),
                theirs.len()
            ));
            return;
        }
        for (vb, t) in ours.iter().zip(theirs) {
            self.varbind(vb, t);
        }
    }

    fn varbind(&mut self, vb: &Json, t: &Json) {
        self.eq("oid", vb.get("oid"), t["snmp.name"].clone());
        let (ty, value) = (vb["type"].as_str().unwrap_or("?"), &vb["value"]);
        let fields = t.as_object().unwrap();
        let Some((key, v)) = fields.iter().find(|(k, _)| *k != "snmp.name") else {
            self.diffs.push(format!("tshark has no value in {t}"));
            return;
        };
        let (types, want): (&[&str], Json) = match key.as_str() {
            "snmp.value.int" => (&["INTEGER"], number(v)),
            "snmp.value.octets" => (&["OCTET STRING"], json!(unhex(v))),
            "snmp.value.null" => (&["NULL"], Json::Null),
            "snmp.value.oid" => (&["OBJECT IDENTIFIER"], v.clone()),
            "snmp.value.ipv4" => (&["IpAddress"], v.clone()),
            "snmp.value.counter" => (&["Counter32", "Counter64"], number(v)),
            "snmp.value.g32" => (&["Gauge32"], number(v)),
            "snmp.value.u32" => (&["UInteger32"], number(v)),
            "snmp.value.timeticks" => (&["TimeTicks"], number(v)),
            "snmp.value.opaque" => (&[ty], opaque(ty, &unhex(v))),
            "snmp.noSuchObject" => (&["noSuchObject"], Json::Null),
            "snmp.noSuchInstance" => (&["noSuchInstance"], Json::Null),
            "snmp.endOfMibView" => (&["endOfMibView"], Json::Null),
            other => {
                self.diffs.push(format!("unknown tshark value {other}"));
                return;
            }
        };
        if !types.contains(&ty) {
            self.diffs
                .push(format!("{}: type {ty}, tshark {key}", vb["oid"]));
        }
        self.eq(&format!("{} value", vb["oid"]), Some(value), want);
        self.varbinds += 1;
    }
}

/// What we print for an Opaque whose content tshark shows in hex: the octets, or net-snmp's
/// typed forms (`9f 78 04` float, `9f 79 08` double, `9f 7a` int64, `9f 7b` uint64).
fn opaque(ty: &str, content: &str) -> Json {
    let bytes: Vec<u8> = (0..content.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&content[i..i + 2], 16).unwrap())
        .collect();
    match (ty, bytes.as_slice()) {
        ("OpaqueFloat", [0x9f, 0x78, 0x04, rest @ ..]) => {
            let f = f32::from_be_bytes(rest.try_into().unwrap());
            json!(f.to_string().parse::<f64>().unwrap())
        }
        ("OpaqueDouble", [0x9f, 0x79, 0x08, rest @ ..]) => {
            json!(f64::from_be_bytes(rest.try_into().unwrap()))
        }
        ("OpaqueInt64", [0x9f, 0x7a, _, rest @ ..]) => {
            let mut v = if rest.first().is_some_and(|b| b & 0x80 != 0) {
                -1i64
            } else {
                0
            };
            for b in rest {
                v = (v << 8) | i64::from(*b);
            }
            json!(v)
        }
        ("OpaqueUInt64", [0x9f, 0x7b, _, rest @ ..]) => {
            json!(rest.iter().fold(0u64, |v, b| (v << 8) | u64::from(*b)))
        }
        _ => json!(content),
    }
}

/// tshark's decimal text as a JSON number.
fn number(v: &Json) -> Json {
    let s = v.as_str().unwrap_or_default();
    s.parse::<i64>()
        .map(Json::from)
        .or_else(|_| s.parse::<u64>().map(Json::from))
        .unwrap_or_else(|_| json!(format!("not a number: {v}")))
}

/// tshark's `aa:bb:cc` as our `aabbcc`.
fn unhex(v: &Json) -> String {
    v.as_str().unwrap_or_default().replace(':', "")
}

/// The `.b64` files are the messages of their `.bin` siblings, and print the same.
#[test]
fn base64_files_decode_as_their_bin_siblings() {
    let dir = pcaps().join("gosnmp");
    let mut n = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "b64") {
            let ours = decode_file(&path, &[]);
            assert_eq!(
                ours,
                decode_file(&path.with_extension("bin"), &[]),
                "{}",
                path.display()
            );
            assert!(ours[0].get("error").is_none());
            n += 1;
        }
    }
    assert_eq!(n, 13);
}

/// `decoded/wrapped/*.pcap` hold the raw messages wrapped in Ethernet/IPv4/UDP
/// (192.0.2.1 -> 192.0.2.2, port 161, or 162 for traps): the same objects, plus addresses.
#[test]
fn wrapped_messages_decode_as_the_raw_files() {
    let pcaps = pcaps();
    let mut n = 0;
    for entry in fs::read_dir(pcaps.join("decoded/wrapped")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap();
        let (dir, file) = name.split_once("__").unwrap();
        let raw = [
            pcaps.join(dir).join(file),
            pcaps.join(dir).join(format!("{file}.bin")),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("no raw file for {name}"));
        let wrapped = decode_file(&path, &USERS);
        let raw = decode_file(&raw, &USERS);
        assert_eq!(wrapped.len(), 1, "{name}");
        let mut w = wrapped[0].clone();
        let src = w.remove("src").unwrap();
        let dst = w.remove("dst").unwrap();
        let port = dst.as_str().unwrap().rsplit_once(':').unwrap().1.to_owned();
        assert!(port == "161" || port == "162", "{name}: {dst}");
        assert_eq!(src, format!("192.0.2.1:{port}"), "{name}");
        assert_eq!(dst, format!("192.0.2.2:{port}"), "{name}");
        assert_eq!(w, raw[0], "{name}");
        n += 1;
    }
    assert_eq!(n, 29);
}

/// With the wrong passwords, or none, the v3 messages say so instead of decoding.
#[test]
fn wrong_or_missing_credentials() {
    let path = pcaps().join("sharpsnmplib/trapv3authpriv");
    let outcome = |users: &[&str]| {
        let o = &decode_file(&path, users)[0];
        (
            o["auth"].as_str().unwrap().to_owned(),
            o["priv"].as_str().unwrap().to_owned(),
            o.contains_key("pdu"),
        )
    };
    let o = |a: &str, p: &str, pdu| (a.to_owned(), p.to_owned(), pdu);
    assert_eq!(outcome(&[]), o("unknown-user", "encrypted", false));
    assert_eq!(
        outcome(&["lextm:MD5:authentication"]),
        o("ok", "encrypted", false)
    );
    assert_eq!(
        outcome(&["lextm:MD5:authentication:DES:wrongphrase"]),
        o("ok", "failed", false)
    );
    assert_eq!(
        outcome(&["lextm:SHA:authentication:DES:privacyphrase"]),
        o("wrong-digest", "encrypted", false)
    );
    assert_eq!(
        outcome(&["lextm:MD5:wrongpassword:DES:privacyphrase"]),
        o("wrong-digest", "encrypted", false)
    );
    assert_eq!(
        outcome(&["lextm:MD5:authentication:DES:privacyphrase"]),
        o("ok", "decrypted", true)
    );

    let path = pcaps().join("sharpsnmplib/v3authNoPriv_BER_Issue");
    let o = &decode_file(&path, &["test:SHA:notthepassword"])[0];
    assert_eq!(
        (&o["auth"], &o["priv"]),
        (&json!("wrong-digest"), &json!("none"))
    );
    // Unauthenticated, the plaintext PDU is still shown.
    assert_eq!(o["pdu"], "response");
}
