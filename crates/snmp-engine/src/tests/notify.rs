//! The notification originator (the command generator sending traps and informs) against
//! the notification receiver, on a virtual network with a virtual clock: `Pair`'s scheme,
//! with the receiver in the agent's place.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_mpm::{Message, SNMP_TRAP_OID_0, SYS_UP_TIME_0, SecurityLevel, Version};
use snmp_smi::{GenericTrap, Oid, Pdu, TrapV1Pdu, Value, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};

use super::util::{decode, is_probe, usm_params};
use crate::{
    CommandGenerator, Event, GeneratorConfig, NotificationKind, NotificationReceiver,
    ReceivedNotification, ReceiverConfig, RequestError, RequestHandle, RequestPdu, Target,
};

const ORIGINATOR: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)),
    40000,
);
const RECEIVER: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 3)),
    162,
);
const ORIGINATOR_ENGINE: &str = "0x80001f88800a0b0c0d";
const RECEIVER_ENGINE: &str = "0x80001f8880aabbccdd";
const MS: Duration = Duration::from_millis(1);
const S: Duration = Duration::from_secs(1);

fn user(auth_password: &[u8]) -> UsmUser {
    UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha256, auth_password)
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, b"privpassword")
        .unwrap()
}

/// NET-SNMP-EXAMPLES-MIB's netSnmpExampleHeartbeatNotification.
fn heartbeat() -> Oid {
    oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1)
}

fn rate() -> VarBind {
    VarBind::new(oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 2, 1), Value::Integer(42))
}

struct NotifyPair {
    anchor: Instant,
    now: Instant,
    generator: CommandGenerator,
    receiver: NotificationReceiver,
    latency: Duration,
    drop_to_receiver: u32,
    drop_to_originator: u32,
    in_flight: Vec<(Instant, u64, SocketAddr, Bytes)>,
    seq: u64,
    sent: Vec<Bytes>,
    answers: Vec<Bytes>,
    events: Vec<Event>,
    received: Vec<ReceivedNotification>,
}

impl NotifyPair {
    /// The receiver knows `admin` with `receiver_user` (of any engine, learnt if `learn`).
    fn new(receiver_user: UsmUser, learn: bool) -> Self {
        // The one real instant: the anchor of the virtual clock.
        #[allow(clippy::disallowed_methods)]
        let anchor = Instant::now();
        let mut config = GeneratorConfig::default();
        config.rng_seed(3);
        let mut usm = Usm::new(ORIGINATOR_ENGINE.parse().unwrap(), 7, anchor - 100 * S, 5);
        usm.add_user(user(b"authpassword"));
        let mut receiver_usm = Usm::new(RECEIVER_ENGINE.parse().unwrap(), 2, anchor - 50 * S, 9);
        receiver_usm.add_user(receiver_user);
        let mut rc = ReceiverConfig::default();
        rc.community("public").learn_engine_ids(learn);
        Self {
            anchor,
            now: anchor,
            generator: CommandGenerator::new(config, usm),
            receiver: NotificationReceiver::new(rc, receiver_usm),
            latency: 10 * MS,
            drop_to_receiver: 0,
            drop_to_originator: 0,
            in_flight: Vec::new(),
            seq: 0,
            sent: Vec::new(),
            answers: Vec::new(),
            events: Vec::new(),
            received: Vec::new(),
        }
    }

    fn send(&mut self, target: &Target, pdu: RequestPdu) -> RequestHandle {
        self.generator.send(self.now, target, pdu)
    }

    fn flush(&mut self) {
        while let Some(t) = self.generator.poll_transmit() {
            assert_eq!(t.destination, RECEIVER);
            self.sent.push(t.contents.clone());
            if self.drop_to_receiver > 0 {
                self.drop_to_receiver -= 1;
                continue;
            }
            self.seq += 1;
            self.in_flight
                .push((self.now + self.latency, self.seq, RECEIVER, t.contents));
        }
        while let Some(t) = self.receiver.poll_transmit() {
            assert_eq!(t.destination, ORIGINATOR);
            self.answers.push(t.contents.clone());
            if self.drop_to_originator > 0 {
                self.drop_to_originator -= 1;
                continue;
            }
            self.seq += 1;
            self.in_flight
                .push((self.now + self.latency, self.seq, ORIGINATOR, t.contents));
        }
        while let Some(e) = self.generator.poll_event() {
            self.events.push(e);
        }
        while let Some(n) = self.receiver.poll_event() {
            self.received.push(n);
        }
    }

    fn drive(&mut self) {
        self.flush();
        for _ in 0..10_000 {
            let network = self.in_flight.iter().map(|f| (f.0, f.1)).min();
            let timer = self.generator.poll_timeout();
            let next = match (network.map(|n| n.0), timer) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => return,
                },
            };
            self.now = self.now.max(next);
            if let Some(i) = self
                .in_flight
                .iter()
                .enumerate()
                .filter(|(_, f)| f.0 <= self.now)
                .min_by_key(|(_, f)| (f.0, f.1))
                .map(|(i, _)| i)
            {
                let (_, _, to, data) = self.in_flight.swap_remove(i);
                if to == RECEIVER {
                    self.receiver.handle_datagram(self.now, ORIGINATOR, data);
                } else {
                    self.generator.handle_datagram(self.now, RECEIVER, data);
                }
            }
            if self.generator.poll_timeout().is_some_and(|t| t <= self.now) {
                self.generator.handle_timeout(self.now);
            }
            self.flush();
        }
        panic!("not idle after 10,000 steps");
    }

    fn elapsed(&self) -> Duration {
        self.now - self.anchor
    }

    fn only_received(&self) -> &ReceivedNotification {
        assert_eq!(self.received.len(), 1, "{:#?}", self.received);
        &self.received[0]
    }

    fn response(&self, handle: RequestHandle) -> &snmp_smi::BasicPdu {
        assert_eq!(self.events.len(), 1, "{:#?}", self.events);
        match &self.events[0] {
            Event::Response {
                handle: h,
                response,
                ..
            } if *h == handle => response,
            other => panic!("{other:?}"),
        }
    }

    fn error(&self, handle: RequestHandle) -> &RequestError {
        assert_eq!(self.events.len(), 1, "{:#?}", self.events);
        match &self.events[0] {
            Event::Failed { handle: h, error } if *h == handle => error,
            other => panic!("{other:?}"),
        }
    }
}

fn v3(level: SecurityLevel) -> Target {
    Target::usm(RECEIVER, "admin", level)
}

/// The bindings every test sends: sysUpTime.0 = 1234, snmpTrapOID.0 = heartbeat, a rate.
fn expected() -> Vec<VarBind> {
    vec![
        VarBind::new(SYS_UP_TIME_0, Value::TimeTicks(1234)),
        VarBind::new(SNMP_TRAP_OID_0, Value::ObjectIdentifier(heartbeat())),
        rate(),
    ]
}

/// RFC 3416 4.2.6: an SNMPv2-Trap, once, done at once, no timer; the receiver delivers
/// it with its community.
#[test]
fn v2c_trap() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    let h = pair.send(
        &Target::v2c(RECEIVER, "public"),
        RequestPdu::trap(1234, heartbeat(), [rate()]),
    );
    assert_eq!(pair.generator.poll_timeout(), None);
    pair.drive();
    assert_eq!(pair.response(h).varbinds, expected());
    assert_eq!(pair.sent.len(), 1);
    let Message::Community(m) = decode(&pair.sent[0]) else {
        panic!()
    };
    assert!(matches!(m.pdu, Pdu::SnmpV2Trap(_)));
    let n = pair.only_received();
    assert_eq!(n.kind, NotificationKind::Trap);
    assert_eq!(n.version, Version::V2c);
    assert_eq!(&n.security_name[..], b"public");
    assert_eq!(n.security_level, SecurityLevel::NoAuthNoPriv);
    assert_eq!(n.varbinds, expected());
    assert_eq!(n.from, ORIGINATOR);
    assert!(pair.answers.is_empty());
    assert_eq!(pair.receiver.stats().traps, 1);
}

/// RFC 3584 3.2: an SNMPv2 notification to an SNMPv1 target goes as a Trap-PDU whose
/// enterprise, generic and specific trap come from snmpTrapOID; the receiver translates it
/// back (3.1) to the same bindings.
#[test]
fn v1_trap_translated_both_ways() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    pair.send(
        &Target::v1(RECEIVER, "public"),
        RequestPdu::trap(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    let Message::Community(m) = decode(&pair.sent[0]) else {
        panic!()
    };
    let Pdu::TrapV1(t) = m.pdu else { panic!() };
    assert_eq!(t.enterprise, oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3));
    assert_eq!(t.generic_trap, GenericTrap::ENTERPRISE_SPECIFIC);
    assert_eq!(t.specific_trap, 1);
    assert_eq!(t.time_stamp, 1234);
    let n = pair.only_received();
    assert_eq!(n.version, Version::V1);
    assert_eq!(n.varbinds, expected());
    assert_eq!(n.v1_trap.as_deref(), Some(&*t));
}

/// A Trap-PDU given as such: sent as is to SNMPv1, as an SNMPv2-Trap to SNMPv2c with
/// snmpTrapOID = snmpTraps.3 for linkDown (RFC 3584 3.1 (2)).
#[test]
fn v1_trap_pdu_to_v1_and_v2c() {
    let trap = TrapV1Pdu {
        enterprise: oid!(1, 3, 6, 1, 4, 1, 8072, 3, 2, 10),
        agent_addr: [192, 0, 2, 7],
        generic_trap: GenericTrap::LINK_DOWN,
        specific_trap: 0,
        time_stamp: 99,
        varbinds: vec![VarBind::new(
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2),
            Value::Integer(2),
        )],
    };
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    pair.send(
        &Target::v1(RECEIVER, "public"),
        RequestPdu::TrapV1(Box::new(trap.clone())),
    );
    pair.send(
        &Target::v2c(RECEIVER, "public"),
        RequestPdu::TrapV1(Box::new(trap.clone())),
    );
    pair.drive();
    assert_eq!(pair.received.len(), 2);
    assert_eq!(pair.received[0].v1_trap.as_deref(), Some(&trap));
    for n in &pair.received {
        assert_eq!(
            n.varbinds[1].value,
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3))
        );
        assert_eq!(n.varbinds[0].value, Value::TimeTicks(99));
        assert_eq!(n.varbinds[2], trap.varbinds[0]);
    }
    assert_eq!(pair.received[1].version, Version::V2c);
    assert!(pair.received[1].v1_trap.is_none());
}

/// RFC 3413 3.2: an inform is answered with a Response of the same request-id and bindings,
/// which completes it.
#[test]
fn v2c_inform() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    let h = pair.send(
        &Target::v2c(RECEIVER, "public"),
        RequestPdu::inform(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    let r = pair.response(h);
    assert_eq!(r.varbinds, expected());
    let n = pair.only_received();
    assert_eq!(n.kind, NotificationKind::Inform);
    assert_eq!(n.request_id, r.request_id);
    assert_eq!(pair.elapsed(), 20 * MS);
    assert_eq!(pair.generator.pending(), 0);
}

/// Lost informs are retried; lost answers too, and the receiver answers each retry but
/// delivers the inform once.
#[test]
fn inform_retries_and_duplicates() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    pair.drop_to_receiver = 1;
    pair.drop_to_originator = 2;
    let target = Target::v2c(RECEIVER, "public").with_timeout(S);
    let h = pair.send(&target, RequestPdu::inform(1234, heartbeat(), [rate()]));
    pair.drive();
    assert_eq!(pair.response(h).varbinds, expected());
    // Tries at 0 (lost), 1 s (answer lost), 2 s (answer lost), 3 s (answered).
    assert_eq!(pair.sent.len(), 4);
    assert_eq!(pair.answers.len(), 3);
    assert_eq!(pair.elapsed(), 3 * S + 20 * MS);
    assert_eq!(pair.only_received().varbinds, expected());
    assert_eq!(pair.receiver.stats().duplicates, 2);
    assert_eq!(pair.receiver.stats().informs, 1);
}

/// No receiver: the inform fails after its retries, at the last try's deadline.
#[test]
fn inform_timeout() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    pair.drop_to_receiver = u32::MAX;
    let target = Target::v2c(RECEIVER, "public")
        .with_timeout(500 * MS)
        .with_retries(2);
    let h = pair.send(&target, RequestPdu::inform(1234, heartbeat(), [rate()]));
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::Timeout);
    assert_eq!(pair.sent.len(), 3);
    assert_eq!(pair.elapsed(), 1500 * MS);
    assert!(pair.received.is_empty());
}

/// SNMPv1 has no InformRequest.
#[test]
fn no_inform_in_v1() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    let h = pair.send(
        &Target::v1(RECEIVER, "public"),
        RequestPdu::inform(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert!(matches!(pair.error(h), RequestError::Encode(_)));
    assert!(pair.sent.is_empty());
}

/// An SNMPv3 inform: the receiver is authoritative; the originator discovers its engine
/// ID (a probe and its Report), then its clock (a notInTimeWindow Report), then the inform
/// goes through and is answered at authPriv.
#[test]
fn v3_inform_discovers_the_receiver() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    let h = pair.send(
        &v3(SecurityLevel::AuthPriv),
        RequestPdu::inform(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert_eq!(pair.response(h).varbinds, expected());
    assert!(is_probe(&pair.sent[0]));
    let (header, params) = usm_params(pair.sent.last().unwrap());
    assert!(header.flags.reportable());
    assert_eq!(
        &params.engine_id[..],
        RECEIVER_ENGINE
            .parse::<snmp_mpm::EngineId>()
            .unwrap()
            .as_bytes()
    );
    assert_eq!(params.engine_boots, 2);
    assert_eq!(pair.receiver.stats().reports, 2);
    let n = pair.only_received();
    assert_eq!(n.kind, NotificationKind::Inform);
    assert_eq!(n.version, Version::V3);
    assert_eq!(n.security_level, SecurityLevel::AuthPriv);
    assert_eq!(&n.security_name[..], b"admin");
    assert_eq!(n.engine_id, params.engine_id);
    assert_eq!(n.varbinds, expected());
}

/// An SNMPv3 trap: this engine authoritative (its ID, boots and time), not reportable, no
/// discovery; a receiver learning engine IDs localizes the user's keys to it.
#[test]
fn v3_trap_learnt_engine() {
    let mut pair = NotifyPair::new(user(b"authpassword"), true);
    let h = pair.send(
        &v3(SecurityLevel::AuthPriv),
        RequestPdu::trap(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert_eq!(pair.response(h).varbinds, expected());
    assert_eq!(pair.sent.len(), 1);
    let (header, params) = usm_params(&pair.sent[0]);
    assert!(!header.flags.reportable());
    let ours = ORIGINATOR_ENGINE.parse::<snmp_mpm::EngineId>().unwrap();
    assert_eq!(&params.engine_id[..], ours.as_bytes());
    assert_eq!((params.engine_boots, params.engine_time), (7, 100));
    let n = pair.only_received();
    assert_eq!(n.security_level, SecurityLevel::AuthPriv);
    assert_eq!(&n.engine_id[..], ours.as_bytes());
    assert_eq!(&n.context_engine_id[..], ours.as_bytes());
    assert_eq!(n.varbinds, expected());
    assert!(pair.answers.is_empty());
}

/// Without learning, a trap's engine must be that of a user bound to it: the bound user's
/// traps arrive, another engine's are dropped (usmStatsUnknownEngineIDs), unreported.
#[test]
fn v3_trap_needs_a_bound_engine() {
    let ours: snmp_mpm::EngineId = ORIGINATOR_ENGINE.parse().unwrap();
    let mut pair = NotifyPair::new(user(b"authpassword").for_engine(ours), false);
    pair.send(
        &v3(SecurityLevel::AuthNoPriv),
        RequestPdu::trap(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert_eq!(
        pair.only_received().security_level,
        SecurityLevel::AuthNoPriv
    );

    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    pair.send(
        &v3(SecurityLevel::AuthNoPriv),
        RequestPdu::trap(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert!(pair.received.is_empty());
    assert_eq!(pair.receiver.usm().stats().unknown_engine_ids, 1);
    assert_eq!(pair.receiver.stats().security_failures, 1);
    assert!(pair.answers.is_empty());
}

/// A trap with a wrong key: counted (usmStatsWrongDigests, an authentication failure),
/// dropped, not reported.
#[test]
fn v3_trap_wrong_key_dropped() {
    let mut pair = NotifyPair::new(user(b"another password"), true);
    pair.send(
        &v3(SecurityLevel::AuthPriv),
        RequestPdu::trap(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert!(pair.received.is_empty());
    assert_eq!(pair.receiver.usm().stats().wrong_digests, 1);
    assert_eq!(pair.receiver.stats().auth_failures, 1);
    assert!(pair.answers.is_empty());
}

/// A community not accepted: an authentication failure, dropped, unanswered.
#[test]
fn bad_community() {
    let mut pair = NotifyPair::new(user(b"authpassword"), false);
    let h = pair.send(
        &Target::v2c(RECEIVER, "private").with_retries(0),
        RequestPdu::inform(1234, heartbeat(), [rate()]),
    );
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::Timeout);
    assert!(pair.received.is_empty());
    assert_eq!(pair.receiver.stats().bad_communities, 1);
    assert_eq!(pair.receiver.stats().auth_failures, 1);
}

/// Throughput of the receiver alone (decode, authenticate, decrypt, deliver), sans-IO:
/// `cargo test --release -p snmp-engine receiver_rate -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement, not a check: run it in release mode"]
fn receiver_rate() {
    const N: usize = 20_000;
    for (label, target) in [
        ("v2c", Target::v2c(RECEIVER, "public")),
        ("v3 authPriv", v3(SecurityLevel::AuthPriv)),
    ] {
        let mut pair = NotifyPair::new(user(b"authpassword"), true);
        let mut wires = Vec::with_capacity(N);
        for i in 0..N {
            let vb = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 1), Value::Integer(1));
            let up = u32::try_from(i).unwrap();
            pair.generator.send(
                pair.now,
                &target,
                RequestPdu::trap(up, heartbeat(), [vb, rate()]),
            );
            wires.push(pair.generator.poll_transmit().unwrap().contents);
            while pair.generator.poll_event().is_some() {}
        }
        // The one real clock read of the measurement.
        #[allow(clippy::disallowed_methods)]
        let start = Instant::now();
        for wire in wires {
            pair.receiver.handle_datagram(pair.now, ORIGINATOR, wire);
            while pair.receiver.poll_event().is_some() {}
        }
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(pair.receiver.stats().traps, N as u64);
        println!("{label}: {:.0} traps/s", N as f64 / secs);
    }
}
