//! The command responder end to end: arbitrary datagrams from a manager, to an agent serving
//! v1/v2c communities (`public` read-only, `private` read-write), USM users and a writable
//! enterprise subtree. An input starting with `0x30` is one datagram, given both to an agent
//! with the real cryptography and to one with the no-security provider (every MAC passes, no
//! time window, decryption is the identity); any other input is split into datagrams (two
//! length octets before each) given in turn to the no-security agent, so that a SET can be
//! followed by the GETs that read it. The agent is also a proxy: context `dev` goes on to an
//! SNMPv1 device; in the split form a length with its top bit set marks a datagram from
//! that device to the proxy, and the clock moves 700 ms between datagrams, so forwarded
//! requests are retried and time out. It may drop or refuse, never panic, and every answer
//! (direct or deferred) decodes as a Message.
#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_engine::{
    CommandGenerator, CommandResponder, GeneratorConfig, MibHandler, Outgoing, ProxyEntry,
    ProxyForwarder, ProxyTable, ProxyType, RequestInfo, ResponderConfig, Security, SetError,
    SystemInfo, TargetAddr,
};
use snmp_mpm::{Message, SecurityLevel, Version};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};
use snmp_vacm::Vacm;

/// Users whose keys take 1 MiB of hashing each: made once (the credentials of the shared
/// captures, so their SNMPv3 messages are seeds that authenticate).
fn users() -> &'static [UsmUser] {
    static USERS: OnceLock<Vec<UsmUser>> = OnceLock::new();
    USERS.get_or_init(|| {
        let user = |name: &str, auth, pass: &[u8], privacy: Option<(PrivProtocol, &[u8])>| {
            let u = UsmUser::new(name.to_owned())
                .with_auth(auth, pass)
                .expect("valid password");
            match privacy {
                Some((p, pw)) => u.with_privacy(p, pw).expect("valid password"),
                None => u,
            }
        };
        vec![
            UsmUser::new("username"),
            user(
                "pippo",
                AuthProtocol::Md5,
                b"pippoxxx",
                Some((PrivProtocol::Des, b"PIPPOxxx")),
            ),
            user(
                "pippo3",
                AuthProtocol::Sha1,
                b"pippoxxx",
                Some((PrivProtocol::Aes128, b"PIPPOxxx")),
            ),
            user("test", AuthProtocol::Sha1, b"testpass", None),
            user(
                "admin",
                AuthProtocol::Sha256,
                b"fuzzingpassword",
                Some((PrivProtocol::Aes128, b"fuzzingpassword")),
            ),
        ]
    })
}

fn start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// A writable map of instances under the enterprise subtree.
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

fn agent(no_security: bool) -> CommandResponder {
    let now = start();
    // The engine of the pippo captures (rusticata's snmpv3_req.bin).
    let engine = "0x80001f888059dc486145a26322"
        .parse()
        .expect("valid engine ID");
    let mut usm = Usm::new(engine, 8, now, 1);
    for u in users() {
        usm.add_user(u.clone());
    }
    if no_security {
        usm.dangerous_no_security();
    }
    let mut vacm = Vacm::new();
    vacm.rocommunity("public", None, None)
        .expect("valid community");
    vacm.rwcommunity("private", None, None)
        .expect("valid community");
    for (name, level) in [
        ("username", SecurityLevel::NoAuthNoPriv),
        ("test", SecurityLevel::AuthNoPriv),
        ("pippo", SecurityLevel::AuthPriv),
        ("pippo3", SecurityLevel::AuthPriv),
        ("admin", SecurityLevel::AuthPriv),
    ] {
        vacm.rwuser(name, level, None).expect("valid user");
    }
    vacm.add_context("dev").expect("valid context");
    let mut responder = CommandResponder::new(
        ResponderConfig::default(),
        usm,
        vacm,
        SystemInfo::default(),
        now,
    );
    let mut table = ProxyTable::default();
    table
        .targets_mut()
        .add_params("v1", Security::community(Version::V1, "public"))
        .add_target_addr(
            "dev",
            TargetAddr::new(device(), "v1")
                .with_timeout(Duration::from_secs(1))
                .with_retries(1),
        );
    for kind in [ProxyType::Read, ProxyType::Write] {
        table.add_entry(
            format!("{kind:?}"),
            ProxyEntry::new(kind, "dev").single_target_out("dev"),
        );
    }
    let mut config = GeneratorConfig::default();
    config.rng_seed(7);
    let out = Usm::new("0x80001f8804667a7a".parse().expect("valid engine ID"), 1, now, 2);
    responder.set_proxy(ProxyForwarder::new(table, CommandGenerator::new(config, out)));
    let store = Store(
        [
            (oid!(1, 3, 6, 1, 4, 1, 99999, 1, 0), Value::Integer(1)),
            (oid!(1, 3, 6, 1, 4, 1, 99999, 2, 0), Value::from("two")),
        ]
        .into_iter()
        .collect(),
    );
    responder
        .mib_mut("")
        .register(oid!(1, 3, 6, 1, 4, 1, 99999), store)
        .expect("a fresh subtree");
    responder
}

fn device() -> std::net::SocketAddr {
    "192.0.2.9:161".parse().expect("valid address")
}

fn check(answer: &Bytes) {
    if let Err(e) = Message::decode(&Decoder::new(DecodeOptions::LENIENT), answer) {
        panic!("answer does not decode: {e}: {answer:02x?}");
    }
}

fn deliver(agent: &mut CommandResponder, now: Instant, datagram: &[u8]) {
    let peer = "192.0.2.1:50000".parse().expect("valid address");
    if let Some(answer) = agent.handle_datagram(now, peer, &Bytes::copy_from_slice(datagram)) {
        check(&answer);
    }
    drain(agent);
}

/// What the proxy sends: requests to the device, deferred answers to the manager.
fn drain(agent: &mut CommandResponder) {
    while let Some(out) = agent.poll_transmit() {
        match out {
            Outgoing::ToTarget(t) => {
                assert_eq!(t.destination, device());
                check(&t.contents);
            }
            Outgoing::Answer { contents, .. } => check(&contents),
            _ => {}
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let now = start();
    if data.first() == Some(&0x30) {
        deliver(&mut agent(false), now, data);
        deliver(&mut agent(true), now, data);
        return;
    }
    let mut agent = agent(true);
    let mut rest = data;
    let mut t = now;
    while let [a, b, tail @ ..] = rest {
        let len = u16::from_be_bytes([*a, *b]);
        let n = usize::from(len & 0x7fff).min(tail.len());
        let (datagram, tail) = tail.split_at(n);
        rest = tail;
        if len & 0x8000 == 0 {
            deliver(&mut agent, t, datagram);
        } else {
            agent.handle_proxy_datagram(t, device(), Bytes::copy_from_slice(datagram));
            drain(&mut agent);
        }
        t += Duration::from_millis(700);
        agent.handle_timeout(t);
        drain(&mut agent);
    }
});
