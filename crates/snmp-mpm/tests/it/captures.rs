//! Every SNMP message of `../shared/pcaps` (captures and raw files) decodes, and what it holds
//! equals what tshark 4.0.17 decoded in `../shared/pcaps/decoded/*.json`: version, community,
//! PDU type, request-id, error fields, trap fields, and each binding's OID, type and value; for
//! SNMPv3 the header, the context and the plaintext PDU, or the encrypted octets.
//!
//! The malformed captures must give the precise error listed in `MALFORMED`, never a panic.
//! Decoding then re-encoding every message that decoded without anomaly gives its exact bytes.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use serde_json::Value as Json;
use snmp_ber::{Anomaly, DecodeError, DecodeErrorKind, DecodeOptions, Decoder, Tag};
use snmp_mpm::{Message, ScopedPduData};
use snmp_smi::{Pdu, Value, VarBind};

/// The captures whose SNMP payload is malformed, by (file, frame), with the error we give.
const MALFORMED: &[(&str, usize, DecodeError)] = &[
    // zeek: `06 0c 2b 80 80 80 80 80 80 80 80 80 80 00`, an OID whose second group is 11
    // octets long (tshark reads it as 1.3.0).
    (
        "zeek/snmp-oid-subidentifier-too-long.pcap",
        1,
        err(31, DecodeErrorKind::SubIdentifierTooLong),
    ),
    // tcpdump: fuzzed messages whose outer SEQUENCE (`30 82 01 30`, `30 82 00 30`) claims more
    // than the datagram holds.
    (
        "tcpdump/snmp-heapoverflow-1.pcap",
        5,
        err(
            4,
            DecodeErrorKind::Truncated {
                needed: 304,
                available: 18,
            },
        ),
    ),
    (
        "tcpdump/snmp-heapoverflow-2.pcap",
        1,
        err(
            4,
            DecodeErrorKind::Truncated {
                needed: 48,
                available: 8,
            },
        ),
    ),
    // tcpdump: a datagram from port 162 that is not SNMP at all (`02 02 ff ff...`).
    (
        "tcpdump/ip-snmp-leftshift-unsigned.pcap",
        1,
        err(
            0,
            DecodeErrorKind::UnexpectedTag {
                expected: Tag::SEQUENCE,
                found: Tag::INTEGER,
            },
        ),
    ),
    // tcpdump: a DHCPv6 packet from port 161 (`06 ...`), which tcpdump printed as a huge OID.
    (
        "tcpdump/ip6-snmp-oid-unsigned.pcap",
        1,
        err(
            0,
            DecodeErrorKind::UnexpectedTag {
                expected: Tag::SEQUENCE,
                found: Tag::OBJECT_IDENTIFIER,
            },
        ),
    ),
];

const fn err(offset: usize, kind: DecodeErrorKind) -> DecodeError {
    DecodeError::new(offset, kind)
}

fn shared() -> PathBuf {
    std::env::var_os("SNMP_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    )
}

/// One datagram to check: where it came from and its SNMP octets.
struct Datagram {
    source: String,
    frame: usize,
    payload: Vec<u8>,
}

#[test]
fn captures_match_tshark() {
    let pcaps = shared().join("pcaps");
    assert!(
        pcaps.is_dir(),
        "{} is missing: set SNMP_SHARED_DIR",
        pcaps.display()
    );
    let mut report = Report::default();

    for dir in ["zeek", "tcpdump"] {
        let mut files: Vec<_> = fs::read_dir(pcaps.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        {
            let name = path.file_name().unwrap().to_str().unwrap();
            let stem = name.rsplit_once('.').unwrap().0;
            let json = pcaps.join("decoded").join(format!("{dir}__{stem}.json"));
            let datagrams = read_capture(path, &format!("{dir}/{name}"));
            report.files += 1;
            check_file(&mut report, &datagrams, &json);
        }
    }
    for dir in ["gosnmp", "rusticata-snmp-parser", "sharpsnmplib"] {
        let mut files: Vec<_> = fs::read_dir(pcaps.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for path in &files {
            let name = path.file_name().unwrap().to_str().unwrap();
            if name.ends_with(".b64") {
                // The base64 files are the same messages as their .bin siblings.
                let text = fs::read_to_string(path).unwrap();
                let bin = path.with_extension("bin");
                assert_eq!(
                    base64_decode(&text),
                    fs::read(&bin).unwrap(),
                    "{name} != its .bin"
                );
                continue;
            }
            let json = pcaps
                .join("decoded")
                .join(format!("wrapped__{dir}__{name}.json"));
            let json = if json.exists() {
                json
            } else {
                let stem = name.rsplit_once('.').map_or(name, |s| s.0);
                pcaps
                    .join("decoded")
                    .join(format!("wrapped__{dir}__{stem}.json"))
            };
            let d = Datagram {
                source: format!("{dir}/{name}"),
                frame: 1,
                payload: fs::read(path).unwrap(),
            };
            report.files += 1;
            check_file(&mut report, &[d], &json);
        }
    }

    println!(
        "{} files, {} messages matched tshark, {} bindings compared, {} malformed as expected, {} re-encoded byte for byte",
        report.files, report.messages, report.varbinds, report.malformed, report.reencoded
    );
    assert!(
        report.failures.is_empty(),
        "{} mismatches:\n{}",
        report.count,
        report.failures
    );
    // Every capture was read: guard against a test that passes by finding nothing.
    assert!(report.files >= 46, "{} files", report.files);
    assert!(report.messages >= 591, "{} messages", report.messages);
    assert!(report.varbinds >= 676, "{} bindings", report.varbinds);
    assert_eq!(report.malformed, MALFORMED.len());
}

#[derive(Default)]
struct Report {
    files: usize,
    messages: usize,
    varbinds: usize,
    malformed: usize,
    reencoded: usize,
    count: usize,
    failures: String,
}

impl Report {
    fn fail(&mut self, d: &Datagram, what: impl std::fmt::Display) {
        self.count += 1;
        if self.count <= 50 {
            writeln!(self.failures, "{} frame {}: {what}", d.source, d.frame).unwrap();
        }
    }
}

fn check_file(report: &mut Report, datagrams: &[Datagram], json: &Path) {
    let packets: Vec<Json> = match fs::read(json) {
        Ok(b) => serde_json::from_slice(&b).unwrap(),
        Err(_) => Vec::new(),
    };
    // Every frame tshark decoded as SNMP is one we check.
    for p in &packets {
        let frame = p["_source"]["layers"]["frame"]["frame.number"]
            .as_str()
            .unwrap_or("?");
        if !datagrams.iter().any(|d| d.frame.to_string() == frame) {
            let source = datagrams
                .first()
                .map_or_else(|| json.display().to_string(), |d| d.source.clone());
            report.count += 1;
            writeln!(
                report.failures,
                "{source} frame {frame}: tshark decoded it, we never read it"
            )
            .unwrap();
        }
    }
    for d in datagrams {
        let expected_error = MALFORMED
            .iter()
            .find(|(f, n, _)| *f == d.source && *n == d.frame);
        let wire = Bytes::copy_from_slice(&d.payload);
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let decoded = Message::decode(&dec, &wire);
        let tshark = packets.iter().find(|p| {
            p["_source"]["layers"]["frame"]["frame.number"].as_str() == Some(&d.frame.to_string())
        });
        match (decoded, expected_error) {
            (Err(e), Some((_, _, want))) => {
                if e == *want {
                    report.malformed += 1;
                } else {
                    report.fail(d, format!("expected error {want}, got {e}"));
                }
            }
            (Ok(m), Some((_, _, want))) => {
                report.fail(d, format!("expected error {want}, decoded {m:?}"))
            }
            (Err(e), None) => report.fail(d, format!("decode failed: {e}")),
            (Ok(m), None) => {
                let Some(layers) = tshark.map(|p| &p["_source"]["layers"]) else {
                    report.fail(d, "no tshark decoding for this frame");
                    continue;
                };
                let mut cmp = Compare {
                    diffs: Vec::new(),
                    varbinds: 0,
                };
                cmp.message(&m, &layers["snmp"]);
                if cmp.diffs.is_empty() {
                    report.messages += 1;
                    report.varbinds += cmp.varbinds;
                } else {
                    for diff in cmp.diffs {
                        report.fail(d, diff);
                    }
                }
                // Canonical input re-encodes to the same octets.
                let anomalies = dec.anomalies();
                let re = m.to_bytes().unwrap();
                if anomalies.is_empty() {
                    if re[..] == d.payload[..] {
                        report.reencoded += 1;
                    } else {
                        report.fail(d, "re-encoding differs from a canonical input");
                    }
                } else if anomalies.count(Anomaly::TrailingData) > 0 && d.payload.starts_with(&re) {
                    report.reencoded += 1;
                }
            }
        }
    }
}

/// Compares a decoded message with tshark's `snmp` layer.
struct Compare {
    diffs: Vec<String>,
    varbinds: usize,
}

impl Compare {
    fn eq(&mut self, field: &str, ours: impl ToString, theirs: &Json) {
        let ours = ours.to_string();
        match theirs.as_str() {
            Some(t) if t == ours => {}
            _ => self
                .diffs
                .push(format!("{field}: ours {ours:?}, tshark {theirs}")),
        }
    }

    fn message(&mut self, m: &Message, snmp: &Json) {
        match m {
            Message::Community(c) => {
                self.eq("version", c.version.as_i64(), &snmp["snmp.version"]);
                self.eq(
                    "community",
                    String::from_utf8_lossy(&c.community),
                    &snmp["snmp.community"],
                );
                self.pdu(&c.pdu, snmp);
            }
            Message::V3(v3) => {
                self.eq("msgVersion", 3, &snmp["snmp.msgVersion"]);
                let g = &snmp["snmp.msgGlobalData_element"];
                self.eq("msgID", v3.header.msg_id, &g["snmp.msgID"]);
                self.eq("msgMaxSize", v3.header.max_size, &g["snmp.msgMaxSize"]);
                self.eq(
                    "msgFlags",
                    format!("{:02x}", v3.header.flags.0),
                    &g["snmp.msgFlags"],
                );
                self.eq(
                    "msgSecurityModel",
                    v3.header.security_model,
                    &g["snmp.msgSecurityModel"],
                );
                let data = &snmp["snmp.msgData_tree"];
                match &v3.data {
                    ScopedPduData::Plaintext(s) => {
                        self.eq("msgData", 0, &snmp["snmp.msgData"]);
                        let p = &data["snmp.plaintext_element"];
                        self.eq(
                            "contextEngineID",
                            hex(&s.context_engine_id),
                            &p["snmp.contextEngineID"],
                        );
                        self.eq(
                            "contextName",
                            String::from_utf8_lossy(&s.context_name),
                            &p["snmp.contextName"],
                        );
                        self.pdu(&s.pdu, p);
                    }
                    ScopedPduData::Encrypted(b) => {
                        self.eq("msgData", 1, &snmp["snmp.msgData"]);
                        self.eq("encryptedPDU", hex(b), &data["snmp.encryptedPDU"]);
                    }
                }
            }
        }
    }

    fn pdu(&mut self, pdu: &Pdu, parent: &Json) {
        let kind = pdu.pdu_type();
        self.eq("PDU type", (kind as u8) & 0x1f, &parent["snmp.data"]);
        let Some(tree) = parent["snmp.data_tree"].as_object() else {
            self.diffs.push("no snmp.data_tree".into());
            return;
        };
        let Some((_, p)) = tree.iter().next() else {
            self.diffs.push("empty snmp.data_tree".into());
            return;
        };
        match pdu {
            Pdu::TrapV1(t) => {
                self.eq("enterprise", &t.enterprise, &p["snmp.enterprise"]);
                let [a, b, c, d] = t.agent_addr;
                self.eq(
                    "agent-addr",
                    format!("{a}.{b}.{c}.{d}"),
                    &p["snmp.agent_addr"],
                );
                self.eq("generic-trap", t.generic_trap.0, &p["snmp.generic_trap"]);
                self.eq("specific-trap", t.specific_trap, &p["snmp.specific_trap"]);
                self.eq("time-stamp", t.time_stamp, &p["snmp.time_stamp"]);
            }
            Pdu::GetBulkRequest(b) => {
                self.eq("request-id", b.request_id, &p["snmp.request_id"]);
                self.eq("non-repeaters", b.non_repeaters, &p["snmp.non_repeaters"]);
                self.eq(
                    "max-repetitions",
                    b.max_repetitions,
                    &p["snmp.max_repetitions"],
                );
            }
            Pdu::GetRequest(b)
            | Pdu::GetNextRequest(b)
            | Pdu::Response(b)
            | Pdu::SetRequest(b)
            | Pdu::InformRequest(b)
            | Pdu::SnmpV2Trap(b)
            | Pdu::Report(b) => {
                self.eq("request-id", b.request_id, &p["snmp.request_id"]);
                self.eq("error-status", b.error_status.0, &p["snmp.error_status"]);
                self.eq("error-index", b.error_index, &p["snmp.error_index"]);
            }
        }
        self.eq(
            "variable-bindings count",
            pdu.varbinds().len(),
            &p["snmp.variable_bindings"],
        );
        let theirs: Vec<&Json> = p["snmp.variable_bindings_tree"]
            .as_object()
            .map(|o| o.values().collect())
            .unwrap_or_default();
        if theirs.len() != pdu.varbinds().len() {
            self.diffs.push(format!(
                "{} bindings, tshark listed {}",
                pdu.varbinds().len(),
                theirs.len()
            ));
            return;
        }
        for (vb, t) in pdu.varbinds().iter().zip(theirs) {
            self.varbind(vb, t);
        }
    }

    fn varbind(&mut self, vb: &VarBind, t: &Json) {
        self.eq("name", &vb.oid, &t["snmp.name"]);
        let (key, text) = match &vb.value {
            Value::Integer(v) => ("snmp.value.int", v.to_string()),
            Value::OctetString(b) => ("snmp.value.octets", hex(b)),
            Value::Null => ("snmp.value.null", String::new()),
            Value::ObjectIdentifier(o) => ("snmp.value.oid", o.to_string()),
            Value::IpAddress([a, b, c, d]) => ("snmp.value.ipv4", format!("{a}.{b}.{c}.{d}")),
            Value::Counter32(v) => ("snmp.value.counter", v.to_string()),
            Value::Counter64(v) => ("snmp.value.counter", v.to_string()),
            Value::Gauge32(v) => ("snmp.value.g32", v.to_string()),
            Value::UInteger32(v) => ("snmp.value.u32", v.to_string()),
            Value::TimeTicks(v) => ("snmp.value.timeticks", v.to_string()),
            Value::NoSuchObject => ("snmp.noSuchObject", String::new()),
            Value::NoSuchInstance => ("snmp.noSuchInstance", String::new()),
            Value::EndOfMibView => ("snmp.endOfMibView", String::new()),
            other => {
                // Opaque and its typed forms: tshark shows the Opaque's content octets.
                let mut e = snmp_ber::Encoder::new();
                other.encode(&mut e).unwrap();
                let dec = Decoder::new(DecodeOptions::STRICT);
                let content = dec
                    .reader(e.as_slice())
                    .read_octets(Tag::application(4))
                    .unwrap()
                    .to_vec();
                ("snmp.value.opaque", hex(&content))
            }
        };
        let theirs = &t[key];
        if theirs.is_null() {
            self.diffs.push(format!(
                "{}: ours {:?}, tshark has no {key} in {t}",
                vb.oid, vb.value
            ));
        } else if !vb.value.is_exception() {
            self.eq(key, text, theirs);
        }
        self.varbinds += 1;
    }
}

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}

fn base64_decode(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = ALPHABET.iter().position(|a| *a == c).expect("base64 digit");
        acc = (acc << 6) | u32::try_from(v).unwrap();
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).unwrap());
        }
    }
    out
}

/// Reads every packet of a pcap or pcapng file and keeps the UDP payloads (including a UDP
/// datagram quoted inside an ICMP error), numbered as tshark numbers frames.
fn read_capture(path: &Path, source: &str) -> Vec<Datagram> {
    use pcap_parser::{Block, PcapBlockOwned, PcapError};

    let file = fs::File::open(path).unwrap();
    let mut reader = pcap_parser::create_reader(1 << 20, file).unwrap();
    let mut linktype = 1;
    let mut frame = 0;
    let mut out = Vec::new();
    loop {
        match reader.next() {
            Ok((offset, block)) => {
                let data = match block {
                    PcapBlockOwned::LegacyHeader(h) => {
                        linktype = h.network.0 & 0xffff;
                        None
                    }
                    PcapBlockOwned::Legacy(b) => Some(b.data.to_vec()),
                    PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                        linktype = idb.linktype.0 & 0xffff;
                        None
                    }
                    PcapBlockOwned::NG(Block::EnhancedPacket(p)) => Some(p.data.to_vec()),
                    PcapBlockOwned::NG(Block::SimplePacket(p)) => Some(p.data.to_vec()),
                    PcapBlockOwned::NG(_) => None,
                };
                reader.consume(offset);
                if let Some(data) = data {
                    frame += 1;
                    if let Some(payload) = udp_payload(linktype, &data) {
                        out.push(Datagram {
                            source: source.into(),
                            frame,
                            payload,
                        });
                    }
                }
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => reader.refill().unwrap(),
            Err(e) => panic!("{source}: {e:?}"),
        }
    }
    out
}

fn udp_payload(linktype: i32, frame: &[u8]) -> Option<Vec<u8>> {
    let ip = match linktype {
        1 => {
            let mut ethertype = u16::from_be_bytes([*frame.get(12)?, *frame.get(13)?]);
            let mut at = 14;
            if ethertype == 0x8100 {
                ethertype = u16::from_be_bytes([*frame.get(16)?, *frame.get(17)?]);
                at = 18;
            }
            if ethertype != 0x0800 && ethertype != 0x86dd {
                return None;
            }
            frame.get(at..)?
        }
        101 | 228 | 229 => frame,
        _ => panic!("link type {linktype} not handled"),
    };
    ip_payload(ip, 0)
}

fn ip_payload(ip: &[u8], depth: u8) -> Option<Vec<u8>> {
    let (proto, body) = match ip.first()? >> 4 {
        4 => {
            let ihl = usize::from(ip.first()? & 0x0f) * 4;
            let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
            (*ip.get(9)?, ip.get(ihl..total.min(ip.len()).max(ihl))?)
        }
        6 => {
            let len = usize::from(u16::from_be_bytes([*ip.get(4)?, *ip.get(5)?]));
            (*ip.get(6)?, ip.get(40..(40 + len).min(ip.len()))?)
        }
        _ => return None,
    };
    match proto {
        17 => {
            let ports = [
                u16::from_be_bytes([*body.first()?, *body.get(1)?]),
                u16::from_be_bytes([*body.get(2)?, *body.get(3)?]),
            ];
            if !ports.iter().any(|p| *p == 161 || *p == 162) {
                return None;
            }
            let len = usize::from(u16::from_be_bytes([*body.get(4)?, *body.get(5)?]));
            let end = if len >= 8 {
                len.min(body.len())
            } else {
                body.len()
            };
            Some(body.get(8..end)?.to_vec())
        }
        // An ICMP error quotes the offending IP datagram after its 8-octet header.
        1 if depth == 0 && matches!(body.first(), Some(3 | 4 | 5 | 11 | 12)) => {
            ip_payload(body.get(8..)?, depth + 1)
        }
        _ => None,
    }
}
