//! The command responder against the command generator, in virtual time, and against
//! hand-made messages.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{CommunityMessage, Message, SecurityLevel, Version};
use snmp_smi::{BasicPdu, BulkPdu, ErrorStatus, Oid, Pdu, Value, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};
use snmp_vacm::{ContextMatch, SecurityModel, Vacm, ViewType};

use super::util::{AGENT, MANAGER};
use crate::{
    CommandGenerator, CommandResponder, Event, GeneratorConfig, MibHandler, ReportKind,
    RequestError, RequestInfo, RequestPdu, ResponderConfig, SetError, SystemInfo, Target,
};

const IF_TABLE: [u32; 8] = [1, 3, 6, 1, 2, 1, 2, 2];
const ENTERPRISE: [u32; 7] = [1, 3, 6, 1, 4, 1, 99999];
/// The last registration: after every built-in object.
const TAIL: [u32; 2] = [2, 25];

/// The last instance of the test MIB.
fn tail() -> Oid {
    oid!(2, 25, 1, 0)
}

/// What a [`MapHandler`] was asked to do, in order.
pub(crate) type Log = Arc<Mutex<Vec<String>>>;

/// A handler over a map of instances, writable with switches to fail each phase.
pub(crate) struct MapHandler {
    name: &'static str,
    values: BTreeMap<Oid, Value>,
    staged: Vec<(Oid, Option<Value>)>,
    writable: bool,
    fail_test: Option<ErrorStatus>,
    fail_commit: bool,
    fail_undo: bool,
    log: Log,
}

impl MapHandler {
    pub(crate) fn new(
        name: &'static str,
        values: impl IntoIterator<Item = (Oid, Value)>,
        log: &Log,
    ) -> Self {
        Self {
            name,
            values: values.into_iter().collect(),
            staged: Vec::new(),
            writable: true,
            fail_test: None,
            fail_commit: false,
            fail_undo: false,
            log: log.clone(),
        }
    }

    fn note(&self, what: &str) {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} {what}", self.name));
    }
}

impl MibHandler for MapHandler {
    fn get(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Value {
        self.values
            .get(oid)
            .cloned()
            .unwrap_or(Value::NoSuchInstance)
    }

    fn get_next(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.values
            .range((Excluded(oid.clone()), Unbounded))
            .next()
            .map(|(o, v)| VarBind::new(o.clone(), v.clone()))
    }

    fn test_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        self.note("test");
        if !self.writable {
            return Err(SetError::new(ErrorStatus::NOT_WRITABLE, 0));
        }
        if let Some(status) = self.fail_test {
            return Err(SetError::new(status, varbinds.len() - 1));
        }
        Ok(())
    }

    fn commit_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        self.note("commit");
        if self.fail_commit {
            return Err(SetError::new(ErrorStatus::GEN_ERR, 0));
        }
        for vb in varbinds {
            let old = self.values.insert(vb.oid.clone(), vb.value.clone());
            self.staged.push((vb.oid.clone(), old));
        }
        Ok(())
    }

    fn undo_set(&mut self, _: &RequestInfo<'_>, _: &[VarBind]) -> Result<(), SetError> {
        self.note("undo");
        if self.fail_undo {
            return Err(SetError::new(ErrorStatus::GEN_ERR, 0));
        }
        for (oid, old) in self.staged.drain(..).rev() {
            match old {
                Some(v) => self.values.insert(oid, v),
                None => self.values.remove(&oid),
            };
        }
        Ok(())
    }

    fn cleanup_set(&mut self, _: &RequestInfo<'_>, _: &[VarBind]) {
        self.note("cleanup");
        self.staged.clear();
    }
}

fn instance(base: &[u32], suffix: &[u32]) -> Oid {
    Oid::from_slice(base).unwrap().extend(suffix).unwrap()
}

/// ifTable with three rows of ifIndex and ifDescr (and an ifHCInOctets-like Counter64 column).
fn if_table(log: &Log) -> MapHandler {
    let mut values = Vec::new();
    for i in 1..=3u32 {
        values.push((
            instance(&IF_TABLE, &[1, 1, i]),
            Value::Integer(i32::try_from(i).unwrap()),
        ));
        values.push((
            instance(&IF_TABLE, &[1, 2, i]),
            Value::from(format!("eth{i}")),
        ));
        values.push((
            instance(&IF_TABLE, &[1, 3, i]),
            Value::Counter64(u64::from(i) << 40),
        ));
    }
    MapHandler::new("ifTable", values, log)
}

fn enterprise(log: &Log) -> MapHandler {
    MapHandler::new(
        "enterprise",
        [
            (instance(&ENTERPRISE, &[1, 0]), Value::Integer(1)),
            (instance(&ENTERPRISE, &[2, 0]), Value::from("two")),
        ],
        log,
    )
}

const ENGINE: &str = "0x80001f88800102030405060708";

fn admin() -> UsmUser {
    UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha256, b"authpassword")
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, b"privpassword")
        .unwrap()
}

/// A generator and a responder on a perfect link, in virtual time.
struct Duo {
    now: Instant,
    generator: CommandGenerator,
    agent: CommandResponder,
    log: Log,
}

impl Duo {
    fn new() -> Self {
        Self::with(ResponderConfig::default(), |_| {})
    }

    fn with(config: ResponderConfig, vacm_setup: impl FnOnce(&mut Vacm)) -> Self {
        // The one real instant: the anchor of the virtual clock.
        #[allow(clippy::disallowed_methods)]
        let now = Instant::now();
        let mut usm = Usm::new(ENGINE.parse().unwrap(), 3, now, 5);
        usm.add_user(admin());
        usm.add_user(
            UsmUser::new("reader")
                .with_auth(AuthProtocol::Md5, b"readerpass")
                .unwrap(),
        );
        let mut vacm = Vacm::new();
        vacm.rocommunity("public", None, None).unwrap();
        vacm.rwcommunity("private", None, None).unwrap();
        vacm.rwuser("admin", SecurityLevel::AuthPriv, None).unwrap();
        vacm_setup(&mut vacm);
        let system = SystemInfo {
            descr: "responder under test".into(),
            ..SystemInfo::default()
        };
        let mut agent = CommandResponder::new(config, usm, vacm, system, now);
        let log = Log::default();
        agent
            .mib_mut("")
            .register(Oid::from_slice(&IF_TABLE).unwrap(), if_table(&log))
            .unwrap();
        agent
            .mib_mut("")
            .register(Oid::from_slice(&ENTERPRISE).unwrap(), enterprise(&log))
            .unwrap();
        agent
            .mib_mut("")
            .register(
                Oid::from_slice(&TAIL).unwrap(),
                MapHandler::new("tail", [(tail(), Value::Integer(25))], &log),
            )
            .unwrap();
        let mut gen_usm = Usm::new("0x80001f88800a0b0c0d".parse().unwrap(), 1, now, 99);
        gen_usm.add_user(admin());
        gen_usm.add_user(
            UsmUser::new("reader")
                .with_auth(AuthProtocol::Md5, b"readerpass")
                .unwrap(),
        );
        gen_usm.add_user(
            UsmUser::new("intruder")
                .with_auth(AuthProtocol::Sha256, b"wrongpassword")
                .unwrap(),
        );
        let mut config = GeneratorConfig::default();
        config.rng_seed(7);
        Self {
            now,
            generator: CommandGenerator::new(config, gen_usm),
            agent,
            log,
        }
    }

    /// Sends `pdu` and carries datagrams both ways (10 ms each way) until an event.
    fn ask(&mut self, target: &Target, pdu: RequestPdu) -> Event {
        self.generator.send(self.now, target, pdu);
        for _ in 0..100 {
            if let Some(e) = self.generator.poll_event() {
                return e;
            }
            if let Some(t) = self.generator.poll_transmit() {
                self.now += Duration::from_millis(10);
                let answer = self.agent.handle_datagram(self.now, MANAGER, &t.contents);
                self.now += Duration::from_millis(10);
                if let Some(a) = answer {
                    self.generator.handle_datagram(self.now, AGENT, a);
                }
                continue;
            }
            let Some(t) = self.generator.poll_timeout() else {
                continue;
            };
            self.now = self.now.max(t);
            self.generator.handle_timeout(self.now);
        }
        panic!("no event after 100 steps");
    }

    fn response(&mut self, target: &Target, pdu: RequestPdu) -> BasicPdu {
        match self.ask(target, pdu) {
            Event::Response { response, .. } => response,
            other => panic!("{other:?}"),
        }
    }

    /// One raw datagram in, the decoded answer out.
    fn raw(&mut self, from: SocketAddr, message: &Message) -> Option<Message> {
        let answer = self
            .agent
            .handle_datagram(self.now, from, &message.to_bytes().unwrap())?;
        Some(Message::decode(&Decoder::new(DecodeOptions::STRICT), &answer).unwrap())
    }
}

fn v1() -> Target {
    Target::v1(AGENT, "public")
}
fn v2c() -> Target {
    Target::v2c(AGENT, "public")
}
fn rw() -> Target {
    Target::v2c(AGENT, "private")
}
fn v3() -> Target {
    Target::usm(AGENT, "admin", SecurityLevel::AuthPriv)
}

fn sys(n: u32) -> Oid {
    oid!(1, 3, 6, 1, 2, 1, 1).extend(&[n, 0]).unwrap()
}

#[test]
fn get_answers_values_and_exceptions() {
    let mut duo = Duo::new();
    let r = duo.response(
        &v2c(),
        RequestPdu::get([
            sys(1),
            sys(3),
            oid!(1, 3, 6, 1, 2, 1, 1, 1, 1),
            oid!(1, 3, 6, 1, 2, 1, 99, 0),
            instance(&IF_TABLE, &[1, 2, 9]),
        ]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(r.varbinds[0].value, Value::from("responder under test"));
    // Sent after 10 ms of virtual time.
    assert_eq!(r.varbinds[1].value, Value::TimeTicks(1));
    assert_eq!(r.varbinds[2].value, Value::NoSuchInstance);
    assert_eq!(r.varbinds[3].value, Value::NoSuchObject);
    assert_eq!(r.varbinds[4].value, Value::NoSuchInstance);
    duo.now += Duration::from_secs(10);
    let r = duo.response(&v2c(), RequestPdu::get([sys(3)]));
    assert_eq!(r.varbinds[0].value, Value::TimeTicks(1003));
}

#[test]
fn get_next_walks_across_handlers_to_the_end() {
    let mut duo = Duo::new();
    // From the last system object (the last sysORTable cell) into ifTable, which the next
    // handler serves.
    let r = duo.response(
        &v2c(),
        RequestPdu::get_next([
            oid!(1, 3, 6, 1, 2, 1, 1, 9, 1, 4, 5),
            instance(&IF_TABLE, &[1, 1, 3]),
            instance(&ENTERPRISE, &[2, 0]),
        ]),
    );
    assert_eq!(r.varbinds[0].oid, instance(&IF_TABLE, &[1, 1, 1]));
    assert_eq!(r.varbinds[1].oid, instance(&IF_TABLE, &[1, 2, 1]));
    assert_eq!(r.varbinds[1].value, Value::from("eth1"));
    // Then the SNMPv3 built-in groups.
    assert_eq!(r.varbinds[2].oid, oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0));
    // The test's tail is the last object.
    let last = tail();
    let r = duo.response(&v2c(), RequestPdu::get_next([last.clone()]));
    assert_eq!(
        r.varbinds[0],
        VarBind::new(last.clone(), Value::EndOfMibView)
    );

    // A whole walk: strictly increasing, every built-in group and handler met once.
    let mut cursor = oid!(1, 3);
    let mut seen = Vec::new();
    for _ in 0..500 {
        let r = duo.response(&v2c(), RequestPdu::get_next([cursor.clone()]));
        let vb = r.varbinds[0].clone();
        if vb.value == Value::EndOfMibView {
            break;
        }
        assert!(vb.oid > cursor, "{} after {cursor}", vb.oid);
        cursor = vb.oid.clone();
        seen.push(vb.oid);
    }
    assert_eq!(seen.first(), Some(&sys(1)));
    assert_eq!(seen.last(), Some(&last));
    for must in [
        oid!(1, 3, 6, 1, 2, 1, 11, 1, 0),
        instance(&ENTERPRISE, &[2, 0]),
        oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0),
        oid!(1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0),
        oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 6, 0),
        instance(&IF_TABLE, &[1, 3, 3]),
    ] {
        assert!(seen.contains(&must), "{must} missing");
    }
}

#[test]
fn get_bulk_repeats_and_fills_end_of_mib_view() {
    let mut duo = Duo::new();
    let r = duo.response(
        &v2c(),
        RequestPdu::get_bulk(
            1,
            4,
            [
                sys(0),
                instance(&IF_TABLE, &[1, 1]),
                instance(&ENTERPRISE, &[1]),
            ],
        ),
    );
    let got: Vec<(String, bool)> = r
        .varbinds
        .iter()
        .map(|vb| (vb.oid.to_string(), vb.value == Value::EndOfMibView))
        .collect();
    let e = |s: &str| (s.to_string(), false);
    let end = |s: &str| (s.to_string(), true);
    assert_eq!(
        got,
        [
            e("1.3.6.1.2.1.1.1.0"),
            e("1.3.6.1.2.1.2.2.1.1.1"),
            e("1.3.6.1.4.1.99999.1.0"),
            e("1.3.6.1.2.1.2.2.1.1.2"),
            e("1.3.6.1.4.1.99999.2.0"),
            e("1.3.6.1.2.1.2.2.1.1.3"),
            e("1.3.6.1.6.3.10.2.1.1.0"),
            e("1.3.6.1.2.1.2.2.1.2.1"),
            e("1.3.6.1.6.3.10.2.1.2.0"),
        ]
    );
    // A column at the end repeats endOfMibView.
    let r = duo.response(&v2c(), RequestPdu::get_bulk(0, 3, [tail(), sys(0)]));
    let got: Vec<(String, bool)> = r
        .varbinds
        .iter()
        .map(|vb| (vb.oid.to_string(), vb.value == Value::EndOfMibView))
        .collect();
    assert_eq!(
        got,
        [
            end("2.25.1.0"),
            e("1.3.6.1.2.1.1.1.0"),
            end("2.25.1.0"),
            e("1.3.6.1.2.1.1.2.0"),
            end("2.25.1.0"),
            e("1.3.6.1.2.1.1.3.0"),
        ]
    );
    // Every column at the end: the response stops early.
    let r = duo.response(&v2c(), RequestPdu::get_bulk(0, 50, [tail()]));
    assert_eq!(r.varbinds.len(), 1);
    assert_eq!(r.varbinds[0].value, Value::EndOfMibView);
    // Non-repeaters beyond the bindings, negative max-repetitions: as RFC 3416 bounds them.
    let r = duo.response(&v2c(), RequestPdu::get_bulk(5, -3, [sys(0), sys(1)]));
    assert_eq!(r.varbinds.len(), 2);
    assert_eq!(r.varbinds[1].oid, sys(2));
}

#[test]
fn get_bulk_fits_a_484_octet_message_by_dropping_trailing_bindings() {
    let mut duo = Duo::new();
    let mut config = GeneratorConfig::default();
    config.max_message_size(484);
    let mut gen_usm = Usm::new("0x80001f88800a0b0c0f".parse().unwrap(), 1, duo.now, 3);
    gen_usm.add_user(admin());
    let big = std::mem::replace(&mut duo.generator, CommandGenerator::new(config, gen_usm));
    let r = duo.response(
        &v3(),
        RequestPdu::get_bulk(0, 100, [oid!(1, 3, 6, 1, 2, 1, 11)]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    let n = r.varbinds.len();
    assert!(n > 5 && n < 30, "{n} bindings");
    // In order, and consecutive.
    assert_eq!(r.varbinds[0].oid, oid!(1, 3, 6, 1, 2, 1, 11, 1, 0));
    // The same without the limit carries more.
    duo.generator = big;
    let r = duo.response(
        &v3(),
        RequestPdu::get_bulk(0, 100, [oid!(1, 3, 6, 1, 2, 1, 11)]),
    );
    assert!(r.varbinds.len() > n);
}

#[test]
fn get_bulk_honours_the_configured_binding_limit() {
    let mut config = ResponderConfig::default();
    config.max_bulk_varbinds(7);
    let mut duo = Duo::with(config, |_| {});
    let r = duo.response(
        &v2c(),
        RequestPdu::get_bulk(0, 100, [oid!(1, 3, 6, 1, 2, 1, 11)]),
    );
    assert_eq!(r.varbinds.len(), 7);
}

#[test]
fn a_response_too_big_becomes_too_big() {
    let mut config = ResponderConfig::default();
    config.max_message_size(484);
    let mut duo = Duo::with(config, |_| {});
    let long = "x".repeat(200);
    duo.agent.system_mut().descr = long.clone();
    duo.agent.system_mut().location = long;
    // Each fits alone; together they do not: the generator splits the GET on tooBig.
    let r = duo.response(&v2c(), RequestPdu::get([sys(1), sys(6), sys(1)]));
    assert_eq!(r.varbinds.len(), 3);
    assert!(duo.agent.stats().out_too_bigs >= 1);
}

#[test]
fn set_commits_and_reads_back() {
    let mut duo = Duo::new();
    let name = VarBind::new(sys(5), "router-7");
    let descr = VarBind::new(instance(&IF_TABLE, &[1, 2, 2]), "uplink");
    let r = duo.response(&rw(), RequestPdu::set([name, descr]));
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR, "{r:?}");
    let r = duo.response(
        &v2c(),
        RequestPdu::get([sys(5), instance(&IF_TABLE, &[1, 2, 2])]),
    );
    assert_eq!(r.varbinds[0].value, Value::from("router-7"));
    assert_eq!(r.varbinds[1].value, Value::from("uplink"));
    assert_eq!(
        *duo.log.lock().unwrap(),
        ["ifTable test", "ifTable commit", "ifTable cleanup"]
    );
    // The same through SNMPv3 authPriv.
    let r = duo.response(&v3(), RequestPdu::set([VarBind::new(sys(6), "lab")]));
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(duo.agent.system().location, "lab");
}

#[test]
fn set_test_failure_commits_nothing() {
    let mut duo = Duo::new();
    let log = duo.log.clone();
    let mut failing = enterprise(&log);
    failing.fail_test = Some(ErrorStatus::WRONG_LENGTH);
    duo.agent
        .mib_mut("")
        .unregister(&Oid::from_slice(&ENTERPRISE).unwrap());
    duo.agent
        .mib_mut("")
        .register(Oid::from_slice(&ENTERPRISE).unwrap(), failing)
        .unwrap();
    let r = duo.response(
        &rw(),
        RequestPdu::set([
            VarBind::new(instance(&IF_TABLE, &[1, 2, 1]), "changed"),
            VarBind::new(instance(&ENTERPRISE, &[1, 0]), 5),
            VarBind::new(instance(&ENTERPRISE, &[2, 0]), "x"),
        ]),
    );
    assert_eq!(r.error_status, ErrorStatus::WRONG_LENGTH);
    // The handler blamed its second binding: the request's third.
    assert_eq!(r.error_index, 3);
    assert_eq!(
        *log.lock().unwrap(),
        [
            "ifTable test",
            "enterprise test",
            "ifTable cleanup",
            "enterprise cleanup"
        ]
    );
    let r = duo.response(&v2c(), RequestPdu::get([instance(&IF_TABLE, &[1, 2, 1])]));
    assert_eq!(r.varbinds[0].value, Value::from("eth1"));
}

#[test]
fn commit_failure_undoes_and_undo_failure_is_reported() {
    for (fail_undo, status) in [
        (false, ErrorStatus::COMMIT_FAILED),
        (true, ErrorStatus::UNDO_FAILED),
    ] {
        let mut duo = Duo::new();
        let log = duo.log.clone();
        let mut failing = enterprise(&log);
        failing.fail_commit = true;
        duo.agent
            .mib_mut("")
            .unregister(&Oid::from_slice(&ENTERPRISE).unwrap());
        duo.agent
            .mib_mut("")
            .register(Oid::from_slice(&ENTERPRISE).unwrap(), failing)
            .unwrap();
        // ifTable commits first, then the enterprise handler fails; ifTable is undone.
        let mut table = if_table(&log);
        table.fail_undo = fail_undo;
        duo.agent
            .mib_mut("")
            .unregister(&Oid::from_slice(&IF_TABLE).unwrap());
        duo.agent
            .mib_mut("")
            .register(Oid::from_slice(&IF_TABLE).unwrap(), table)
            .unwrap();
        let r = duo.response(
            &rw(),
            RequestPdu::set([
                VarBind::new(instance(&IF_TABLE, &[1, 2, 1]), "changed"),
                VarBind::new(instance(&ENTERPRISE, &[1, 0]), 5),
            ]),
        );
        assert_eq!((r.error_status, r.error_index), (status, 2));
        assert_eq!(
            *log.lock().unwrap(),
            [
                "ifTable test",
                "enterprise test",
                "ifTable commit",
                "enterprise commit",
                "ifTable undo",
                "ifTable cleanup",
                "enterprise cleanup"
            ]
        );
        if !fail_undo {
            let r = duo.response(&v2c(), RequestPdu::get([instance(&IF_TABLE, &[1, 2, 1])]));
            assert_eq!(r.varbinds[0].value, Value::from("eth1"));
        }
    }
}

#[test]
fn set_errors_by_rfc_3416() {
    let mut duo = Duo::new();
    // A read-only community has no write view: noAccess.
    let r = duo.response(&v2c(), RequestPdu::set([VarBind::new(sys(5), "x")]));
    assert_eq!((r.error_status, r.error_index), (ErrorStatus::NO_ACCESS, 1));
    assert_eq!(duo.agent.stats().in_bad_community_uses, 1);
    // Nothing registered there: notWritable; a read-only object: notWritable.
    let r = duo.response(
        &rw(),
        RequestPdu::set([
            VarBind::new(sys(5), "x"),
            VarBind::new(oid!(1, 3, 6, 1, 3, 1), 1),
        ]),
    );
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NOT_WRITABLE, 2)
    );
    let r = duo.response(&rw(), RequestPdu::set([VarBind::new(sys(1), "x")]));
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NOT_WRITABLE, 1)
    );
    // The wrong type, the wrong value.
    let r = duo.response(&rw(), RequestPdu::set([VarBind::new(sys(5), 3)]));
    assert_eq!(r.error_status, ErrorStatus::WRONG_TYPE);
    let r = duo.response(
        &rw(),
        RequestPdu::set([VarBind::new(oid!(1, 3, 6, 1, 2, 1, 11, 30, 0), 7)]),
    );
    assert_eq!(r.error_status, ErrorStatus::WRONG_VALUE);
    // SNMPv1 maps them (RFC 3584 4.4).
    let r = duo.response(
        &Target::v1(AGENT, "private"),
        RequestPdu::set([VarBind::new(sys(5), 3)]),
    );
    assert_eq!((r.error_status, r.error_index), (ErrorStatus::BAD_VALUE, 1));
    let r = duo.response(
        &Target::v1(AGENT, "private"),
        RequestPdu::set([VarBind::new(sys(1), "x")]),
    );
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NO_SUCH_NAME, 1)
    );
    assert_eq!(r.varbinds[0].value, Value::from("x"));
}

#[test]
fn snmpv1_gets_no_such_name_and_never_counter64() {
    let mut duo = Duo::new();
    let missing = oid!(1, 3, 6, 1, 2, 1, 99, 0);
    let r = duo.response(&v1(), RequestPdu::get([sys(1), missing.clone()]));
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NO_SUCH_NAME, 2)
    );
    // The request's bindings come back.
    assert_eq!(r.varbinds, [VarBind::null(sys(1)), VarBind::null(missing)]);
    // A Counter64 cannot be read with SNMPv1...
    let r = duo.response(&v1(), RequestPdu::get([instance(&IF_TABLE, &[1, 3, 1])]));
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NO_SUCH_NAME, 1)
    );
    // ...and GETNEXT passes over it to the next object.
    let r = duo.response(
        &v1(),
        RequestPdu::get_next([instance(&IF_TABLE, &[1, 2, 3])]),
    );
    assert_eq!(r.varbinds[0].oid, oid!(1, 3, 6, 1, 2, 1, 11, 1, 0));
    // The end of the MIB is noSuchName.
    let r = duo.response(&v1(), RequestPdu::get_next([tail()]));
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NO_SUCH_NAME, 1)
    );
    // A GetBulk in an SNMPv1 message is dropped.
    let bulk = Message::Community(CommunityMessage {
        version: Version::V1,
        community: Bytes::from_static(b"public"),
        pdu: Pdu::GetBulkRequest(BulkPdu {
            request_id: 9,
            non_repeaters: 0,
            max_repetitions: 5,
            varbinds: vec![VarBind::null(sys(1))],
        }),
    });
    assert!(duo.raw(MANAGER, &bulk).is_none());
}

#[test]
fn a_wrong_community_is_dropped_and_counted() {
    let mut duo = Duo::new();
    let get = |community: &'static [u8]| {
        Message::Community(CommunityMessage {
            version: Version::V2c,
            community: Bytes::from_static(community),
            pdu: Pdu::GetRequest(BasicPdu::new(1, vec![VarBind::null(sys(1))])),
        })
    };
    assert!(duo.raw(MANAGER, &get(b"secret")).is_none());
    assert!(duo.raw(MANAGER, &get(b"public")).is_some());
    let stats = duo.agent.stats();
    assert_eq!(stats.in_bad_community_names, 1);
    assert_eq!(
        (stats.in_pkts, stats.out_pkts, stats.out_get_responses),
        (2, 1, 1)
    );
    // The counters are readable.
    let r = duo.response(
        &v2c(),
        RequestPdu::get([
            oid!(1, 3, 6, 1, 2, 1, 11, 4, 0),
            oid!(1, 3, 6, 1, 2, 1, 11, 1, 0),
        ]),
    );
    assert_eq!(r.varbinds[0].value, Value::Counter32(1));
    assert_eq!(r.varbinds[1].value, Value::Counter32(3));
    // Garbage is a parse error, a version 2 message a bad version.
    assert!(
        duo.agent
            .handle_datagram(duo.now, MANAGER, &Bytes::from_static(b"\x30\x03\x02\x01"))
            .is_none()
    );
    let v2 = Bytes::from_static(&[
        0x30, 0x0b, 0x02, 0x01, 0x02, 0x04, 0x01, b'p', 0xa0, 0x03, 0x02, 0x01, 0x01,
    ]);
    assert!(duo.agent.handle_datagram(duo.now, MANAGER, &v2).is_none());
    assert_eq!(duo.agent.stats().in_asn_parse_errs, 1);
    assert_eq!(duo.agent.stats().in_bad_versions, 1);
}

#[test]
fn snmpv3_discovery_get_and_engine_objects() {
    let mut duo = Duo::new();
    let r = duo.response(
        &v3(),
        RequestPdu::get([
            sys(1),
            oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0),
            oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0),
        ]),
    );
    assert_eq!(r.varbinds[0].value, Value::from("responder under test"));
    assert_eq!(
        r.varbinds[1].value.as_bytes(),
        Some(&b"\x80\x00\x1f\x88\x80\x01\x02\x03\x04\x05\x06\x07\x08"[..])
    );
    assert_eq!(r.varbinds[2].value, Value::Integer(3));
    // Discovery was one unknownEngineID Report.
    assert_eq!(duo.agent.usm().stats().unknown_engine_ids, 1);
}

#[test]
fn snmpv3_failures_are_reported() {
    let mut duo = Duo::new();
    let intruder = Target::usm(AGENT, "intruder", SecurityLevel::AuthNoPriv);
    match duo.ask(&intruder, RequestPdu::get([sys(1)])) {
        Event::Failed {
            error: RequestError::Report { kind, .. },
            ..
        } => {
            assert_eq!(kind, ReportKind::UnknownUserNames);
        }
        other => panic!("{other:?}"),
    }
    // The right user with a wrong password.
    let mut duo = Duo::new();
    let mut gen_usm = Usm::new("0x80001f88800a0b0c0e".parse().unwrap(), 1, duo.now, 3);
    gen_usm.add_user(
        UsmUser::new("admin")
            .with_auth(AuthProtocol::Sha256, b"not-the-password")
            .unwrap(),
    );
    duo.generator = CommandGenerator::new(GeneratorConfig::default(), gen_usm);
    match duo.ask(
        &Target::usm(AGENT, "admin", SecurityLevel::AuthNoPriv),
        RequestPdu::get([sys(1)]),
    ) {
        Event::Failed {
            error: RequestError::Report { kind, .. },
            ..
        } => {
            assert_eq!(kind, ReportKind::WrongDigests);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(duo.agent.usm().stats().wrong_digests, 1);
    // An unknown context.
    let mut duo = Duo::new();
    match duo.ask(
        &v3().with_context_name("nowhere"),
        RequestPdu::get([sys(1)]),
    ) {
        Event::Failed {
            error: RequestError::Report { oid, .. },
            ..
        } => {
            assert_eq!(*oid, oid!(1, 3, 6, 1, 6, 3, 12, 1, 5, 0));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(duo.agent.stats().unknown_contexts, 1);
    // A user without an access entry for authNoPriv... reader has none at all.
    let r = duo.response(
        &Target::usm(AGENT, "reader", SecurityLevel::AuthNoPriv),
        RequestPdu::get([sys(1)]),
    );
    assert_eq!(r.error_status, ErrorStatus::AUTHORIZATION_ERROR);
}

#[test]
fn a_view_limits_what_a_walk_sees() {
    let mut duo = Duo::with(ResponderConfig::default(), |vacm| {
        // "reader" sees the system group only, ifDescr excluded from a wider view below.
        vacm.add_group_member(SecurityModel::Usm, "reader", "readers")
            .unwrap();
        vacm.add_view("sys", oid!(1, 3, 6, 1, 2, 1, 1), &[], ViewType::Included)
            .unwrap();
        vacm.add_view("sys", oid!(1, 3, 6, 1, 2, 1, 1, 5), &[], ViewType::Excluded)
            .unwrap();
        vacm.add_access(
            "readers",
            "",
            ContextMatch::Exact,
            SecurityModel::Usm,
            SecurityLevel::AuthNoPriv,
            "sys",
            "",
            "",
        )
        .unwrap();
    });
    let reader = Target::usm(AGENT, "reader", SecurityLevel::AuthNoPriv);
    let mut cursor = oid!(1, 3);
    let mut seen = Vec::new();
    for _ in 0..50 {
        let r = duo.response(&reader, RequestPdu::get_next([cursor.clone()]));
        if r.varbinds[0].value == Value::EndOfMibView {
            break;
        }
        cursor = r.varbinds[0].oid.clone();
        seen.push(cursor.to_string());
    }
    assert_eq!(
        seen[..7],
        [
            "1.3.6.1.2.1.1.1.0",
            "1.3.6.1.2.1.1.2.0",
            "1.3.6.1.2.1.1.3.0",
            "1.3.6.1.2.1.1.4.0",
            "1.3.6.1.2.1.1.6.0",
            "1.3.6.1.2.1.1.7.0",
            "1.3.6.1.2.1.1.8.0"
        ]
    );
    // Then the 5 rows of sysORTable's 3 columns, and nothing outside the view.
    assert_eq!(seen.len(), 7 + 15);
    assert!(
        seen[7..]
            .iter()
            .all(|o| o.starts_with("1.3.6.1.2.1.1.9.1."))
    );
    let r = duo.response(
        &reader,
        RequestPdu::get([sys(5), instance(&IF_TABLE, &[1, 2, 1])]),
    );
    assert_eq!(r.varbinds[0].value, Value::NoSuchObject);
    assert_eq!(r.varbinds[1].value, Value::NoSuchObject);
    // No write view: noAccess.
    let r = duo.response(&reader, RequestPdu::set([VarBind::new(sys(6), "x")]));
    assert_eq!(r.error_status, ErrorStatus::NO_ACCESS);
}

#[test]
fn authentication_failures_raise_events_when_enabled() {
    let mut duo = Duo::new();
    let bad = Message::Community(CommunityMessage {
        version: Version::V2c,
        community: Bytes::from_static(b"guess"),
        pdu: Pdu::GetRequest(BasicPdu::new(1, vec![VarBind::null(sys(1))])),
    });
    // Off by default.
    assert!(duo.raw(MANAGER, &bad).is_none());
    assert_eq!(duo.agent.poll_event(), None);
    // snmpEnableAuthenTraps.0 = enabled(1), by SET.
    let r = duo.response(
        &rw(),
        RequestPdu::set([VarBind::new(oid!(1, 3, 6, 1, 2, 1, 11, 30, 0), 1)]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert!(duo.raw(MANAGER, &bad).is_none());
    match duo.agent.poll_event() {
        Some(crate::ResponderEvent::AuthenticationFailure { peer, uptime }) => {
            assert_eq!(peer, MANAGER);
            assert!(uptime > 0);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(duo.agent.poll_event(), None);
    // A wrong SNMPv3 digest too.
    let mut gen_usm = Usm::new("0x80001f88800a0b0c0e".parse().unwrap(), 1, duo.now, 3);
    gen_usm.add_user(
        UsmUser::new("admin")
            .with_auth(AuthProtocol::Sha256, b"not-the-password")
            .unwrap(),
    );
    duo.generator = CommandGenerator::new(GeneratorConfig::default(), gen_usm);
    let _ = duo.ask(
        &Target::usm(AGENT, "admin", SecurityLevel::AuthNoPriv),
        RequestPdu::get([sys(1)]),
    );
    assert!(matches!(
        duo.agent.poll_event(),
        Some(crate::ResponderEvent::AuthenticationFailure { .. })
    ));
    // A flood is bounded.
    for _ in 0..1000 {
        duo.raw(MANAGER, &bad);
    }
    let mut n = 0;
    while duo.agent.poll_event().is_some() {
        n += 1;
    }
    assert_eq!(n, 64);
}

/// `usmUserEntry.column.engine.name` of the responder's engine.
fn usm_cell(column: u32, name: &str) -> Oid {
    let engine: snmp_mpm::EngineId = ENGINE.parse().unwrap();
    let mut arcs = vec![1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1, column];
    arcs.push(u32::try_from(engine.as_bytes().len()).unwrap());
    arcs.extend(engine.as_bytes().iter().map(|&b| u32::from(b)));
    arcs.push(u32::try_from(name.len()).unwrap());
    arcs.extend(name.bytes().map(u32::from));
    Oid::from_slice(&arcs).unwrap()
}

fn bob(password: &[u8]) -> UsmUser {
    UsmUser::new("bob")
        .with_auth(AuthProtocol::Sha256, password)
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, b"privpassword")
        .unwrap()
}

/// A generator that knows bob with `password` (and admin).
fn as_bob(duo: &mut Duo, password: &[u8]) {
    let mut usm = Usm::new("0x80001f88800a0b0c0e".parse().unwrap(), 1, duo.now, 3);
    usm.add_user(admin());
    usm.add_user(bob(password));
    duo.generator = CommandGenerator::new(GeneratorConfig::default(), usm);
}

fn bob_target() -> Target {
    Target::usm(AGENT, "bob", SecurityLevel::AuthPriv)
}

fn bob_reads(duo: &mut Duo) -> Result<BasicPdu, RequestError> {
    match duo.ask(&bob_target(), RequestPdu::get([sys(1)])) {
        Event::Response { response, .. } => Ok(response),
        Event::Failed { error, .. } => Err(error),
    }
}

#[test]
fn usm_users_are_cloned_rekeyed_disabled_and_destroyed_by_set() {
    let mut duo = Duo::with(ResponderConfig::default(), |vacm| {
        vacm.rwuser("bob", SecurityLevel::AuthPriv, None).unwrap();
    });
    as_bob(&mut duo, b"authpassword");
    // No bob yet.
    assert!(matches!(
        bob_reads(&mut duo),
        Err(RequestError::Report {
            kind: ReportKind::UnknownUserNames,
            ..
        })
    ));
    // snmpusm create bob admin: createAndGo with usmUserCloneFrom -> admin's securityName.
    let r = duo.response(
        &v3(),
        RequestPdu::set([
            VarBind::new(usm_cell(13, "bob"), 4),
            VarBind::new(
                usm_cell(4, "bob"),
                Value::ObjectIdentifier(usm_cell(3, "admin")),
            ),
        ]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR, "{r:?}");
    // bob has admin's keys.
    let r = bob_reads(&mut duo).unwrap();
    assert_eq!(r.varbinds[0].value, Value::from("responder under test"));
    let r = duo.response(
        &v3(),
        RequestPdu::get([usm_cell(13, "bob"), usm_cell(5, "bob")]),
    );
    assert_eq!(r.varbinds[0].value, Value::Integer(1));
    assert_eq!(
        r.varbinds[1].value,
        Value::ObjectIdentifier(Oid::from_slice(AuthProtocol::Sha256.oid()).unwrap())
    );
    // snmpusm passwd: usmUserAuthKeyChange from the old localized key to the new one.
    let engine: snmp_mpm::EngineId = ENGINE.parse().unwrap();
    let key = |p: &[u8]| {
        snmp_usm::localize(
            AuthProtocol::Sha256,
            &snmp_usm::password_to_key(AuthProtocol::Sha256, p).unwrap(),
            engine.as_bytes(),
        )
    };
    let change = snmp_usm::key_change(
        AuthProtocol::Sha256,
        key(b"authpassword").as_bytes(),
        key(b"newpassword1").as_bytes(),
        &[7; 32],
    )
    .unwrap();
    // Another user may not use the Own column.
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(
            usm_cell(7, "bob"),
            Value::OctetString(change.clone().into()),
        )]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ACCESS);
    // A KeyChange of the wrong length.
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(
            usm_cell(6, "bob"),
            Value::OctetString(vec![1; 10].into()),
        )]),
    );
    assert_eq!(r.error_status, ErrorStatus::WRONG_LENGTH);
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(
            usm_cell(6, "bob"),
            Value::OctetString(change.into()),
        )]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert!(matches!(
        bob_reads(&mut duo),
        Err(RequestError::Report {
            kind: ReportKind::WrongDigests,
            ..
        })
    ));
    as_bob(&mut duo, b"newpassword1");
    assert!(bob_reads(&mut duo).is_ok());
    // notInService: bob cannot work; active again: he can.
    let set_status = |duo: &mut Duo, status: i32| {
        duo.response(
            &v3(),
            RequestPdu::set([VarBind::new(usm_cell(13, "bob"), status)]),
        )
    };
    assert_eq!(set_status(&mut duo, 2).error_status, ErrorStatus::NO_ERROR);
    assert!(bob_reads(&mut duo).is_err());
    let r = duo.response(&v3(), RequestPdu::get([usm_cell(13, "bob")]));
    assert_eq!(r.varbinds[0].value, Value::Integer(2));
    assert_eq!(set_status(&mut duo, 1).error_status, ErrorStatus::NO_ERROR);
    assert!(bob_reads(&mut duo).is_ok());
    // Creating an existing row, activating a missing one: inconsistentValue.
    assert_eq!(
        set_status(&mut duo, 4).error_status,
        ErrorStatus::INCONSISTENT_VALUE
    );
    // destroy: gone.
    assert_eq!(set_status(&mut duo, 6).error_status, ErrorStatus::NO_ERROR);
    assert!(bob_reads(&mut duo).is_err());
    let r = duo.response(&v3(), RequestPdu::get([usm_cell(13, "bob")]));
    assert_eq!(r.varbinds[0].value, Value::NoSuchInstance);
    assert_eq!(
        set_status(&mut duo, 1).error_status,
        ErrorStatus::INCONSISTENT_VALUE
    );
    // A clone from a user that does not exist.
    let r = duo.response(
        &v3(),
        RequestPdu::set([
            VarBind::new(usm_cell(13, "carol"), 4),
            VarBind::new(
                usm_cell(4, "carol"),
                Value::ObjectIdentifier(usm_cell(3, "nobody")),
            ),
        ]),
    );
    assert_eq!(r.error_status, ErrorStatus::INCONSISTENT_NAME);
    // A read-only community cannot touch the table.
    let r = duo.response(
        &v2c(),
        RequestPdu::set([VarBind::new(usm_cell(13, "admin"), 6)]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ACCESS);
}

#[test]
fn vacm_rows_are_created_changed_and_destroyed_by_set() {
    let mut duo = Duo::new();
    let reader = || Target::usm(AGENT, "reader", SecurityLevel::AuthNoPriv);
    // reader (a USM user of the Duo) has no group yet: authorizationError.
    let r = duo.response(&reader(), RequestPdu::get([sys(5)]));
    assert_eq!(r.error_status, ErrorStatus::AUTHORIZATION_ERROR);
    let vacm = |arcs: &[u32]| oid!(1, 3, 6, 1, 6, 3, 16, 1).extend(arcs).unwrap();
    let text = |s: &str| {
        let mut a = vec![u32::try_from(s.len()).unwrap()];
        a.extend(s.bytes().map(u32::from));
        a
    };
    let group_row = |col: u32| vacm(&[[2, 1, col, 3].as_slice(), &text("reader")].concat());
    let view_row = |col: u32| {
        vacm(
            &[
                [5, 2, 1, col].as_slice(),
                &text("sys"),
                &[7, 1, 3, 6, 1, 2, 1, 1],
            ]
            .concat(),
        )
    };
    let access_row =
        |col: u32| vacm(&[[4, 1, col].as_slice(), &text("readers"), &text(""), &[3, 2]].concat());
    // A group row without its group name; createAndWait; a column of a missing row.
    let r = duo.response(&v3(), RequestPdu::set([VarBind::new(group_row(5), 4)]));
    assert_eq!(r.error_status, ErrorStatus::INCONSISTENT_VALUE);
    let r = duo.response(&v3(), RequestPdu::set([VarBind::new(group_row(5), 5)]));
    assert_eq!(r.error_status, ErrorStatus::WRONG_VALUE);
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(group_row(3), "readers")]),
    );
    assert_eq!(r.error_status, ErrorStatus::INCONSISTENT_NAME);
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(vacm(&[2, 1, 3, 9]), "x")]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_CREATION);
    // snmpvacm createSec2Group, createView, createAccess, in one request.
    let r = duo.response(
        &v3(),
        RequestPdu::set([
            VarBind::new(group_row(5), 4),
            VarBind::new(group_row(3), "readers"),
            VarBind::new(view_row(6), 4),
            VarBind::new(access_row(9), 4),
            VarBind::new(access_row(5), "sys"),
        ]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR, "{r:?}");
    let r = duo.response(
        &reader(),
        RequestPdu::get([sys(5), instance(&IF_TABLE, &[1, 2, 1])]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(r.varbinds[0].value, Value::from(""));
    assert_eq!(r.varbinds[1].value, Value::NoSuchObject);
    // Exclude sysName from the view; a bad view type is refused and changes nothing.
    let excluded = |col: u32| {
        vacm(
            &[
                [5, 2, 1, col].as_slice(),
                &text("sys"),
                &[9, 1, 3, 6, 1, 2, 1, 1, 5, 0],
            ]
            .concat(),
        )
    };
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(excluded(6), 4), VarBind::new(excluded(4), 3)]),
    );
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::WRONG_VALUE, 2)
    );
    let r = duo.response(
        &v3(),
        RequestPdu::set([VarBind::new(excluded(6), 4), VarBind::new(excluded(4), 2)]),
    );
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    let r = duo.response(&reader(), RequestPdu::get([sys(5), sys(6)]));
    assert_eq!(r.varbinds[0].value, Value::NoSuchObject);
    assert_eq!(r.varbinds[1].value, Value::from(""));
    // destroy the access row: no access again.
    let r = duo.response(&v3(), RequestPdu::set([VarBind::new(access_row(9), 6)]));
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    let r = duo.response(&reader(), RequestPdu::get([sys(6)]));
    assert_eq!(r.error_status, ErrorStatus::AUTHORIZATION_ERROR);
}
