//! The command responder never panics on what arrives: every SNMP message of `../shared/pcaps`
//! (captures and raw files), then seeded mutations of them (bit flips, octets inserted,
//! deleted or overwritten, truncations, length octets changed, chunks duplicated), then the
//! fuzzer's regression inputs of `tests/data/fuzz/`. Every answer decodes as a Message; the
//! agent still answers a plain GET correctly afterwards and counted every datagram.

use std::collections::BTreeMap;
use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_engine::{
    CommandResponder, MibHandler, RequestInfo, ResponderConfig, SetError, SystemInfo,
};
use snmp_mpm::{CommunityMessage, Message, SecurityLevel, Version};
use snmp_smi::{BasicPdu, ErrorStatus, Oid, Pdu, Value, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};
use snmp_vacm::Vacm;

/// The number of mutated datagrams sent, at most.
const MUTATIONS: usize = 20_000;
/// The PRNG seed of the mutations (nonzero).
const SEED: u64 = 0x5eed_f00d_5a11_0001;
/// The time the mutations may take, whatever their count (a debug build on a slow machine).
const TIME_LIMIT: Duration = Duration::from_secs(90);
/// The engine of the pippo captures (rusticata's `snmpv3_req.bin`), so those authenticate.
const ENGINE: &str = "0x80001f888059dc486145a26322";
const DESCR: &str = "robustness agent";

fn shared() -> PathBuf {
    std::env::var_os("SNMP_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    )
}

fn peer() -> SocketAddr {
    "192.0.2.1:50000".parse().unwrap()
}

/// A writable map of instances.
struct Store(BTreeMap<Oid, Value>);

impl MibHandler for Store {
    fn get(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Value {
        self.0.get(oid).cloned().unwrap_or(Value::NoSuchInstance)
    }

    fn get_next(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.0
            .range((Excluded(oid.clone()), Unbounded))
            .next()
            .map(|(o, v)| VarBind::new(o.clone(), v.clone()))
    }

    fn test_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        match varbinds
            .iter()
            .position(|vb| matches!(vb.value, Value::Null))
        {
            Some(i) => Err(SetError::new(ErrorStatus::WRONG_TYPE, i)),
            None => Ok(()),
        }
    }

    fn commit_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        for vb in varbinds {
            self.0.insert(vb.oid.clone(), vb.value.clone());
        }
        Ok(())
    }
}

/// The agent: communities `public` (read) and `private` (write), the USM users of the shared
/// captures' documented credentials, and a writable enterprise subtree.
fn agent(now: Instant) -> CommandResponder {
    let mut usm = Usm::new(ENGINE.parse().unwrap(), 8, now, 7);
    let user = |name: &'static str, auth, password: &[u8]| {
        UsmUser::new(name).with_auth(auth, password).unwrap()
    };
    let users = [
        UsmUser::new("username"),
        user("pippo", AuthProtocol::Md5, b"pippoxxx")
            .with_privacy(PrivProtocol::Des, b"PIPPOxxx")
            .unwrap(),
        user("pippo2", AuthProtocol::Sha1, b"pippoxxx")
            .with_privacy(PrivProtocol::Des, b"PIPPOxxx")
            .unwrap(),
        user("pippo3", AuthProtocol::Sha1, b"pippoxxx")
            .with_privacy(PrivProtocol::Aes128, b"PIPPOxxx")
            .unwrap(),
        user("pippo4", AuthProtocol::Md5, b"pippoxxx")
            .with_privacy(PrivProtocol::Aes128, b"PIPPOxxx")
            .unwrap(),
        user("lextm", AuthProtocol::Md5, b"authentication")
            .with_privacy(PrivProtocol::Des, b"privacyphrase")
            .unwrap(),
        user("test", AuthProtocol::Sha1, b"testpass"),
    ];
    let mut vacm = Vacm::new();
    vacm.rocommunity("public", None, None).unwrap();
    vacm.rwcommunity("private", None, None).unwrap();
    for u in users {
        let level = [SecurityLevel::AuthPriv, SecurityLevel::AuthNoPriv]
            .into_iter()
            .find(|l| u.supports(*l))
            .unwrap_or(SecurityLevel::NoAuthNoPriv);
        vacm.rwuser(u.name(), level, None).unwrap();
        usm.add_user(u);
    }
    let mut system = SystemInfo::default();
    system.descr = DESCR.into();
    let mut agent = CommandResponder::new(ResponderConfig::default(), usm, vacm, system, now);
    let store = Store(
        [
            (oid!(1, 3, 6, 1, 4, 1, 99999, 1, 0), Value::Integer(1)),
            (oid!(1, 3, 6, 1, 4, 1, 99999, 2, 0), Value::from("two")),
        ]
        .into_iter()
        .collect(),
    );
    agent
        .mib_mut("")
        .register(oid!(1, 3, 6, 1, 4, 1, 99999), store)
        .unwrap();
    agent
}

/// Delivers one datagram; the answer, which must decode.
fn deliver(
    agent: &mut CommandResponder,
    now: Instant,
    datagram: &[u8],
    what: &str,
) -> Option<Message> {
    let answer = agent.handle_datagram(now, peer(), &Bytes::copy_from_slice(datagram))?;
    match Message::decode(&Decoder::new(DecodeOptions::LENIENT), &answer) {
        Ok(m) => Some(m),
        Err(e) => panic!(
            "{what}: the answer does not decode: {e}\n in: {datagram:02x?}\n out: {answer:02x?}"
        ),
    }
}

/// xorshift64*: small, seeded, the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
    }

    fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }
}

/// Octets that start a BER element this codec knows: the octet after one is a length.
fn is_tag(b: u8) -> bool {
    matches!(b, 0x02 | 0x04 | 0x05 | 0x06 | 0x30 | 0x40..=0x47 | 0x80..=0x82 | 0xa0..=0xa8)
}

/// One to three random changes of `seed`.
fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut m = seed.to_vec();
    for _ in 0..=rng.below(3) {
        let len = m.len();
        match rng.below(7) {
            0 if len > 0 => {
                for _ in 0..=rng.below(4) {
                    let i = rng.below(len);
                    m[i] ^= 1 << rng.below(8);
                }
            }
            1 => {
                let at = rng.below(len + 1);
                let b = rng.byte();
                m.insert(at, b);
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let n = (1 + rng.below(4)).min(len - at);
                m.drain(at..at + n);
            }
            3 if len > 0 => m.truncate(rng.below(len)),
            4 => {
                let lengths: Vec<usize> = (0..len.saturating_sub(1))
                    .filter(|&i| is_tag(m[i]))
                    .map(|i| i + 1)
                    .collect();
                if !lengths.is_empty() {
                    let i = lengths[rng.below(lengths.len())];
                    m[i] = match rng.below(8) {
                        0 => 0,
                        1 => 0x7f,
                        2 => 0x80,
                        3 => 0x81,
                        4 => 0x84,
                        5 => 0xff,
                        6 => m[i].wrapping_add(1),
                        _ => m[i].wrapping_sub(1),
                    };
                }
            }
            5 if len > 0 => {
                let i = rng.below(len);
                m[i] = [0x00, 0x7f, 0x80, 0xff, 0x30, 0x82][rng.below(6)];
            }
            6 if len > 0 => {
                let at = rng.below(len);
                let n = (1 + rng.below(16)).min(len - at);
                let chunk = m[at..at + n].to_vec();
                let to = rng.below(m.len() + 1);
                m.splice(to..to, chunk);
            }
            _ => {}
        }
    }
    m
}

/// Every SNMP payload of `pcaps`: the UDP payloads of the captures, the raw messages.
fn payloads(pcaps: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in [
        "zeek",
        "tcpdump",
        "gosnmp",
        "rusticata-snmp-parser",
        "sharpsnmplib",
    ] {
        let mut files: Vec<PathBuf> = fs::read_dir(pcaps.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for path in files {
            let name = format!("{dir}/{}", path.file_name().unwrap().to_string_lossy());
            match path.extension().and_then(|e| e.to_str()) {
                Some("pcap" | "pcapng") => {
                    for (i, payload) in read_capture(&path).into_iter().enumerate() {
                        out.push((format!("{name} #{}", i + 1), payload));
                    }
                }
                Some("b64") => out.push((name, base64_decode(&fs::read_to_string(&path).unwrap()))),
                Some("out") => {}
                _ => out.push((name, fs::read(&path).unwrap())),
            }
        }
    }
    out
}

#[test]
fn responder_survives_captures_and_mutations() {
    let pcaps = shared().join("pcaps");
    if !pcaps.is_dir() {
        eprintln!(
            "{} is missing (set SNMP_SHARED_DIR): skipped",
            pcaps.display()
        );
        return;
    }
    let seeds = payloads(&pcaps);
    let dec = Decoder::new(DecodeOptions::LENIENT);
    let v3 = seeds
        .iter()
        .filter(|(_, p)| {
            matches!(
                Message::decode(&dec, &Bytes::copy_from_slice(p)),
                Ok(Message::V3(_))
            )
        })
        .count();
    let start = Instant::now();
    let now = start;
    let mut agent = agent(now);
    let mut sent: u32 = 0;
    let (mut answered, mut v3_answers) = (0, 0);
    let mut count = |answer: Option<Message>, answered: &mut usize| {
        *answered += usize::from(answer.is_some());
        v3_answers += usize::from(matches!(answer, Some(Message::V3(_))));
    };
    for (name, payload) in &seeds {
        count(deliver(&mut agent, now, payload, name), &mut answered);
        sent += 1;
    }
    let from_captures = answered;

    let mut rng = Rng(SEED);
    let mut mutations = 0;
    while mutations < MUTATIONS && start.elapsed() < TIME_LIMIT {
        let (name, seed) = &seeds[rng.below(seeds.len())];
        let m = mutate(&mut rng, seed);
        // Virtual time moves on, through the USM time window now and then.
        let at = now + Duration::from_millis(u64::try_from(mutations).unwrap() * 10);
        count(
            deliver(
                &mut agent,
                at,
                &m,
                &format!("mutation {mutations} of {name}"),
            ),
            &mut answered,
        );
        sent += 1;
        mutations += 1;
    }
    let elapsed = start.elapsed();
    println!(
        "{} payloads ({v3} SNMPv3, {from_captures} answered), {mutations} mutations, {answered} answers in all ({v3_answers} SNMPv3), {elapsed:.1?}",
        seeds.len(),
    );
    assert!(seeds.len() >= 600, "only {} payloads", seeds.len());
    assert!(from_captures > 0, "no capture was answered");
    // Reports at least: the SNMPv3 path was reached, not only the decoder.
    assert!(v3_answers > 0, "no SNMPv3 message was answered");
    assert!(
        mutations >= 1000,
        "only {mutations} mutations in {TIME_LIMIT:?}"
    );

    let later = now + Duration::from_secs(3600);
    // A SET through `private` still works...
    let set = Message::Community(CommunityMessage {
        version: Version::V2c,
        community: Bytes::from_static(b"private"),
        pdu: Pdu::SetRequest(BasicPdu::new(
            77,
            vec![VarBind::new(
                oid!(1, 3, 6, 1, 4, 1, 99999, 3, 0),
                Value::Integer(42),
            )],
        )),
    });
    let Some(Message::Community(answer)) =
        deliver(&mut agent, later, &set.to_bytes().unwrap(), "set")
    else {
        panic!("no answer to a SET");
    };
    let Pdu::Response(response) = &answer.pdu else {
        panic!("not a Response: {:?}", answer.pdu);
    };
    assert_eq!(response.error_status, ErrorStatus::NO_ERROR, "{response:?}");
    sent += 1;
    // ...and a GET through `public` reads sysDescr.0 and what the SET wrote.
    let get = Message::Community(CommunityMessage {
        version: Version::V2c,
        community: Bytes::from_static(b"public"),
        pdu: Pdu::GetRequest(BasicPdu::new(
            78,
            vec![
                VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)),
                VarBind::null(oid!(1, 3, 6, 1, 4, 1, 99999, 3, 0)),
            ],
        )),
    });
    let Some(Message::Community(answer)) =
        deliver(&mut agent, later, &get.to_bytes().unwrap(), "get")
    else {
        panic!("no answer to a GET");
    };
    sent += 1;
    let Pdu::Response(response) = &answer.pdu else {
        panic!("not a Response: {:?}", answer.pdu);
    };
    assert_eq!(response.request_id, 78);
    assert_eq!(response.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(response.varbinds[0].oid, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
    assert_eq!(response.varbinds[0].value, Value::from(DESCR));
    assert_eq!(response.varbinds[1].value, Value::Integer(42));

    let stats = agent.stats();
    assert_eq!(stats.in_pkts, sent);
    assert!(stats.in_asn_parse_errs > 0, "{stats:?}");
    assert!(stats.in_bad_community_names > 0, "{stats:?}");
    assert_eq!(usize::try_from(stats.out_pkts).unwrap(), answered + 2);
}

/// The inputs `cargo fuzz run responder` found (and hand-made ones), as its target gives them:
/// one datagram if the input starts with `0x30`, else datagrams behind two length octets. (The
/// target also tries each on an agent without cryptography, which only a `cfg(fuzzing)` build
/// has: here they meet the real one.)
#[test]
fn responder_fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let now = Instant::now();
    let (mut n, mut answers) = (0, 0);
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = fs::read(&path).unwrap();
        let name = path.display().to_string();
        let mut agent = agent(now);
        if data.first() == Some(&0x30) {
            answers += usize::from(deliver(&mut agent, now, &data, &name).is_some());
        } else {
            let mut rest = &data[..];
            let mut t = now;
            while let [a, b, tail @ ..] = rest {
                let len = usize::from(u16::from_be_bytes([*a, *b])).min(tail.len());
                let (datagram, tail) = tail.split_at(len);
                rest = tail;
                answers += usize::from(deliver(&mut agent, t, datagram, &name).is_some());
                t += Duration::from_millis(700);
            }
        }
        n += 1;
    }
    println!("{n} regression inputs replayed, {answers} answers");
    // The hand-made sequence alone is answered five times (a refused SET included).
    assert!(n >= 1 && answers >= 5, "{n} inputs, {answers} answers");
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

/// The UDP payloads (to or from ports 161 and 162, including a datagram quoted in an ICMP
/// error) of every packet of a pcap or pcapng file.
fn read_capture(path: &Path) -> Vec<Vec<u8>> {
    use pcap_parser::{Block, PcapBlockOwned, PcapError};

    let file = fs::File::open(path).unwrap();
    let mut reader = pcap_parser::create_reader(1 << 20, file).unwrap();
    let mut linktype = 1;
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
                if let Some(payload) = data.and_then(|d| udp_payload(linktype, &d)) {
                    out.push(payload);
                }
            }
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => reader.refill().unwrap(),
            Err(e) => panic!("{}: {e:?}", path.display()),
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
