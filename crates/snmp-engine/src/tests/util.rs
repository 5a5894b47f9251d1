//! `Pair`: the command generator and a scripted agent on a virtual network with a virtual
//! clock. Deterministic: seeded identifiers, no real time, no sockets. Tests act (send,
//! flip a switch), call [`Pair::drive`], and assert on the events, the datagrams sent and the
//! counters.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::ops::Bound;
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, SecurityLevel,
    V3Message, Version,
};
use snmp_smi::{BasicPdu, BulkPdu, ErrorStatus, Oid, Pdu, Value, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmFailure, UsmSecurityParameters, UsmUser};

use crate::{CommandGenerator, Event, GeneratorConfig, RequestHandle, RequestPdu, Target};

pub(crate) const MANAGER: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)),
    40000,
);
pub(crate) const AGENT: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)),
    161,
);
/// The agent's other interface, for multi-homed answers.
pub(crate) const AGENT_OTHER: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 1, 2)),
    161,
);

pub(crate) const AGENT_ENGINE: &str = "0x80001f88800102030405060708";
pub(crate) const AGENT_BOOTS: u32 = 5;
/// The agent was booted this long before the anchor.
pub(crate) const AGENT_UP: Duration = Duration::from_secs(3600);

pub(crate) fn sys_descr() -> Oid {
    oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)
}

/// The USM user both sides know (unless a test gives the manager another password).
pub(crate) fn admin(auth_password: &[u8]) -> UsmUser {
    UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha256, auth_password)
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, b"privpassword")
        .unwrap()
}

pub(crate) fn agent_usm(booted_at: Instant, boots: u32) -> Usm {
    let mut usm = Usm::new(AGENT_ENGINE.parse().unwrap(), boots, booted_at, 1);
    usm.add_user(admin(b"authpassword"));
    usm
}

/// How the agent spoils its v1/v2c answers, to test matching.
#[derive(Clone, Debug)]
pub(crate) enum Tamper {
    Community(Bytes),
    RequestId(i32),
    Version(Version),
}

/// A small agent written from snmp-mpm and snmp-usm directly: answers GET, GETNEXT,
/// GETBULK and SET from a table; for SNMPv3 it is the authoritative USM.
pub(crate) struct Agent {
    pub(crate) community: Bytes,
    pub(crate) mib: BTreeMap<Oid, Value>,
    pub(crate) usm: Usm,
    /// Answers bigger than this (the whole message) become tooBig.
    pub(crate) max_response_size: Option<usize>,
    pub(crate) tamper: Option<Tamper>,
    /// Answers every authenticated request with an authenticated notInTimeWindow Report.
    pub(crate) always_not_in_time_window: bool,
    /// Answers from this address instead of its own.
    pub(crate) source: SocketAddr,
    /// Every datagram that reached it, with the virtual time.
    pub(crate) received: Vec<(Duration, Bytes)>,
}

impl Agent {
    fn new(anchor: Instant) -> Self {
        let mut mib = BTreeMap::new();
        mib.insert(sys_descr(), Value::from("scripted agent"));
        mib.insert(oid!(1, 3, 6, 1, 2, 1, 1, 3, 0), Value::TimeTicks(4200));
        mib.insert(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), Value::from("agent"));
        for i in 1..=3 {
            mib.insert(
                oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1).child(i).unwrap(),
                Value::Integer(i32::try_from(i).unwrap()),
            );
            mib.insert(
                oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2).child(i).unwrap(),
                Value::OctetString(Bytes::from(format!("eth{i}"))),
            );
        }
        Self {
            community: Bytes::from_static(b"public"),
            mib,
            usm: agent_usm(anchor - AGENT_UP, AGENT_BOOTS),
            max_response_size: None,
            tamper: None,
            always_not_in_time_window: false,
            source: AGENT,
            received: Vec::new(),
        }
    }

    /// The answer to a request PDU (RFC 3416 section 4.2), v1 errors as RFC 1157 has them.
    fn answer(&mut self, pdu: &Pdu, v1: bool) -> Option<BasicPdu> {
        let fail = |p: &BasicPdu, status: ErrorStatus, index: usize| BasicPdu {
            request_id: p.request_id,
            error_status: status,
            error_index: i32::try_from(index + 1).unwrap(),
            varbinds: p.varbinds.clone(),
        };
        match pdu {
            Pdu::GetRequest(p) => {
                let mut out = Vec::new();
                for (i, vb) in p.varbinds.iter().enumerate() {
                    match self.mib.get(&vb.oid) {
                        Some(v) => out.push(VarBind::new(vb.oid.clone(), v.clone())),
                        None if v1 => return Some(fail(p, ErrorStatus::NO_SUCH_NAME, i)),
                        None => out.push(VarBind::new(vb.oid.clone(), Value::NoSuchObject)),
                    }
                }
                Some(BasicPdu::new(p.request_id, out))
            }
            Pdu::GetNextRequest(p) => {
                let mut out = Vec::new();
                for (i, vb) in p.varbinds.iter().enumerate() {
                    match self.next(&vb.oid) {
                        Some(next) => out.push(next),
                        None if v1 => return Some(fail(p, ErrorStatus::NO_SUCH_NAME, i)),
                        None => out.push(VarBind::new(vb.oid.clone(), Value::EndOfMibView)),
                    }
                }
                Some(BasicPdu::new(p.request_id, out))
            }
            Pdu::GetBulkRequest(b) if !v1 => Some(self.bulk(b)),
            Pdu::SetRequest(p) => {
                for vb in &p.varbinds {
                    self.mib.insert(vb.oid.clone(), vb.value.clone());
                }
                Some(BasicPdu::new(p.request_id, p.varbinds.clone()))
            }
            _ => None,
        }
    }

    fn next(&self, oid: &Oid) -> Option<VarBind> {
        self.mib
            .range((Bound::Excluded(oid.clone()), Bound::Unbounded))
            .next()
            .map(|(o, v)| VarBind::new(o.clone(), v.clone()))
    }

    fn bulk(&self, b: &BulkPdu) -> BasicPdu {
        let n = usize::try_from(b.non_repeaters.max(0))
            .unwrap()
            .min(b.varbinds.len());
        let m = usize::try_from(b.max_repetitions.max(0)).unwrap();
        let end = |o: &Oid| VarBind::new(o.clone(), Value::EndOfMibView);
        let mut out: Vec<VarBind> = b.varbinds[..n]
            .iter()
            .map(|vb| self.next(&vb.oid).unwrap_or_else(|| end(&vb.oid)))
            .collect();
        let mut cursor: Vec<Oid> = b.varbinds[n..].iter().map(|vb| vb.oid.clone()).collect();
        for _ in 0..m {
            for c in &mut cursor {
                let vb = self.next(c).unwrap_or_else(|| end(c));
                c.clone_from(&vb.oid);
                out.push(vb);
            }
        }
        BasicPdu::new(b.request_id, out)
    }

    fn too_big(request_id: i32) -> BasicPdu {
        BasicPdu {
            request_id,
            error_status: ErrorStatus::TOO_BIG,
            error_index: 0,
            varbinds: Vec::new(),
        }
    }

    fn fits(&self, wire: &Bytes) -> bool {
        self.max_response_size.is_none_or(|max| wire.len() <= max)
    }

    /// The agent's answer to one datagram, if any.
    fn handle(&mut self, now: Instant, data: &Bytes) -> Option<Bytes> {
        match Message::decode(&Decoder::new(DecodeOptions::LENIENT), data).ok()? {
            Message::Community(m) => self.handle_community(m),
            Message::V3(m) => self.handle_v3(now, data, &m),
        }
    }

    fn handle_community(&mut self, m: CommunityMessage) -> Option<Bytes> {
        if m.community != self.community {
            return None;
        }
        let v1 = m.version == Version::V1;
        let mut response = self.answer(&m.pdu, v1)?;
        let mut reply = CommunityMessage {
            version: m.version,
            community: m.community,
            pdu: Pdu::Response(response.clone()),
        };
        match &self.tamper {
            Some(Tamper::Community(c)) => reply.community = c.clone(),
            Some(Tamper::RequestId(delta)) => {
                response.request_id = response.request_id.wrapping_add(*delta);
                reply.pdu = Pdu::Response(response.clone());
            }
            Some(Tamper::Version(v)) => reply.version = *v,
            None => {}
        }
        let wire = Message::Community(reply.clone()).to_bytes().unwrap();
        if self.fits(&wire) {
            return Some(wire);
        }
        reply.pdu = Pdu::Response(Self::too_big(response.request_id));
        Some(Message::Community(reply).to_bytes().unwrap())
    }

    /// As crates/snmp-usm/tests/interop/common.rs `serve`: USM first; its failures become
    /// Reports, authenticated for notInTimeWindow only (RFC 3414 3.2 step 7).
    fn handle_v3(&mut self, now: Instant, data: &Bytes, m: &V3Message) -> Option<Bytes> {
        let local = self.usm.engine_id().to_bytes();
        let scoped = |pdu| ScopedPdu {
            context_engine_id: local.clone(),
            context_name: Bytes::new(),
            pdu,
        };
        let (pdu, user, level) = match self.usm.process_incoming(now, data, m) {
            Ok(incoming) if self.always_not_in_time_window => {
                let vb = self.usm.report_varbind(&UsmFailure::NotInTimeWindow)?;
                let id = incoming.scoped_pdu.pdu.request_id().unwrap_or(0);
                (
                    Pdu::Report(BasicPdu::new(id, vec![vb])),
                    incoming.security_name,
                    SecurityLevel::AuthNoPriv,
                )
            }
            Ok(incoming) => (
                Pdu::Response(self.answer(&incoming.scoped_pdu.pdu, false)?),
                incoming.security_name,
                incoming.level,
            ),
            Err(failure) => {
                let vb = self.usm.report_varbind(&failure)?;
                let id = match &m.data {
                    ScopedPduData::Plaintext(s) => s.pdu.request_id().unwrap_or(0),
                    ScopedPduData::Encrypted(_) => 0,
                };
                let name = UsmSecurityParameters::decode(
                    &Decoder::new(DecodeOptions::LENIENT),
                    &m.security_parameters,
                )
                .map(|p| p.user_name)
                .unwrap_or_default();
                let level = if failure == UsmFailure::NotInTimeWindow {
                    SecurityLevel::AuthNoPriv
                } else {
                    SecurityLevel::NoAuthNoPriv
                };
                (Pdu::Report(BasicPdu::new(id, vec![vb])), name, level)
            }
        };
        let header = HeaderData {
            flags: MsgFlags(0),
            ..m.header
        };
        let request_id = pdu.request_id().unwrap_or(0);
        let wire = self
            .usm
            .generate(now, header, &scoped(pdu), &user, &local, level)
            .unwrap();
        if self.fits(&wire) {
            return Some(wire);
        }
        let pdu = Pdu::Response(Self::too_big(request_id));
        Some(
            self.usm
                .generate(now, header, &scoped(pdu), &user, &local, level)
                .unwrap(),
        )
    }
}

#[derive(Debug)]
struct InFlight {
    at: Instant,
    seq: u64,
    from: SocketAddr,
    to: SocketAddr,
    data: Bytes,
}

/// The two entities, the link between them and the virtual clock.
pub(crate) struct Pair {
    anchor: Instant,
    now: Instant,
    pub(crate) generator: CommandGenerator,
    pub(crate) agent: Agent,
    /// One-way delay of every datagram.
    pub(crate) latency: Duration,
    /// Drop the next N datagrams to the agent / to the manager.
    pub(crate) drop_to_agent: u32,
    pub(crate) drop_to_manager: u32,
    /// Deliver the next N datagrams to the manager twice.
    pub(crate) duplicate_to_manager: u32,
    /// Hold the next datagram to the manager this much longer than the latency (so that
    /// later ones overtake it).
    pub(crate) delay_next_to_manager: Option<Duration>,
    in_flight: Vec<InFlight>,
    seq: u64,
    /// Every datagram the generator sent, with the virtual time.
    pub(crate) sent: Vec<(Duration, Bytes)>,
    /// Every event, with the virtual time.
    pub(crate) events: Vec<(Duration, Event)>,
}

impl Pair {
    /// The default configuration, seed 1, a 10 ms link.
    pub(crate) fn new() -> Self {
        let mut config = GeneratorConfig::default();
        config.rng_seed(1);
        Self::with_config(&config, admin(b"authpassword"))
    }

    pub(crate) fn with_config(config: &GeneratorConfig, user: UsmUser) -> Self {
        // The one real instant: the anchor of the virtual clock.
        #[allow(clippy::disallowed_methods)]
        let anchor = Instant::now();
        let mut usm = Usm::new("0x80001f88800a0b0c0d".parse().unwrap(), 1, anchor, 99);
        usm.add_user(user);
        Self {
            anchor,
            now: anchor,
            generator: CommandGenerator::new(config.clone(), usm),
            agent: Agent::new(anchor),
            latency: Duration::from_millis(10),
            drop_to_agent: 0,
            drop_to_manager: 0,
            duplicate_to_manager: 0,
            delay_next_to_manager: None,
            in_flight: Vec::new(),
            seq: 0,
            sent: Vec::new(),
            events: Vec::new(),
        }
    }

    pub(crate) fn now(&self) -> Instant {
        self.now
    }

    /// Virtual time since the anchor.
    pub(crate) fn elapsed(&self) -> Duration {
        self.now - self.anchor
    }

    pub(crate) fn v2c(&self) -> Target {
        Target::v2c(AGENT, "public")
    }

    pub(crate) fn v3(&self) -> Target {
        Target::usm(AGENT, "admin", SecurityLevel::AuthPriv)
    }

    pub(crate) fn send(&mut self, target: &Target, pdu: RequestPdu) -> RequestHandle {
        self.generator.send(self.now, target, pdu)
    }

    /// Reboots the agent now: snmpEngineBoots + 1, snmpEngineTime 0.
    pub(crate) fn reboot_agent(&mut self) {
        let boots = self.agent.usm.engine_boots() + 1;
        self.agent.usm = agent_usm(self.now, boots);
    }

    fn advance_to(&mut self, t: Instant) {
        // Time never goes backwards.
        self.now = self.now.max(t);
    }

    fn enqueue(&mut self, from: SocketAddr, to: SocketAddr, data: Bytes, extra: Duration) {
        self.seq += 1;
        self.in_flight.push(InFlight {
            at: self.now + self.latency + extra,
            seq: self.seq,
            from,
            to,
            data,
        });
    }

    /// Moves the generator's datagrams onto the link, through the drop switch.
    fn flush(&mut self) {
        while let Some(t) = self.generator.poll_transmit() {
            self.sent.push((self.elapsed(), t.contents.clone()));
            if self.drop_to_agent > 0 {
                self.drop_to_agent -= 1;
                continue;
            }
            self.enqueue(MANAGER, t.destination, t.contents, Duration::ZERO);
        }
        while let Some(e) = self.generator.poll_event() {
            self.events.push((self.elapsed(), e));
        }
    }

    fn send_to_manager(&mut self, from: SocketAddr, data: Bytes) {
        if self.drop_to_manager > 0 {
            self.drop_to_manager -= 1;
            return;
        }
        let extra = self.delay_next_to_manager.take().unwrap_or_default();
        if self.duplicate_to_manager > 0 {
            self.duplicate_to_manager -= 1;
            self.enqueue(from, MANAGER, data.clone(), extra);
        }
        self.enqueue(from, MANAGER, data, extra);
    }

    /// Delivers what is due now, then fires the generator's timer if due.
    fn step(&mut self) {
        loop {
            let due = self
                .in_flight
                .iter()
                .enumerate()
                .filter(|(_, f)| f.at <= self.now)
                .min_by_key(|(_, f)| (f.at, f.seq))
                .map(|(i, _)| i);
            let Some(i) = due else { break };
            let f = self.in_flight.swap_remove(i);
            if f.to == MANAGER {
                self.generator.handle_datagram(self.now, f.from, f.data);
            } else if f.to == AGENT {
                self.agent.received.push((self.elapsed(), f.data.clone()));
                if let Some(reply) = self.agent.handle(self.now, &f.data) {
                    let source = self.agent.source;
                    self.send_to_manager(source, reply);
                }
            }
            self.flush();
        }
        if self.generator.poll_timeout().is_some_and(|t| t <= self.now) {
            self.generator.handle_timeout(self.now);
        }
        self.flush();
    }

    /// Runs until both sides are idle (nothing in flight, no timer), at most 10,000 steps.
    pub(crate) fn drive(&mut self) {
        self.drive_until(Duration::MAX);
    }

    /// Runs until idle or until the virtual time would pass `until` (since the anchor).
    pub(crate) fn drive_until(&mut self, until: Duration) {
        self.flush();
        for _ in 0..10_000 {
            let network = self.in_flight.iter().map(|f| f.at).min();
            let timer = self.generator.poll_timeout();
            let next = match (network, timer) {
                (Some(a), Some(b)) => a.min(b),
                (a, b) => match a.or(b) {
                    Some(t) => t,
                    None => return,
                },
            };
            if next.saturating_duration_since(self.anchor) > until {
                self.advance_to(self.anchor + until);
                return;
            }
            self.advance_to(next);
            self.step();
        }
        panic!("the pair did not become idle in 10,000 steps");
    }

    /// The single event so far, which must be about `handle`.
    pub(crate) fn only_event(&self, handle: RequestHandle) -> &Event {
        assert_eq!(self.events.len(), 1, "{:#?}", self.events);
        let event = &self.events[0].1;
        let h = match event {
            Event::Response { handle, .. } | Event::Failed { handle, .. } => *handle,
        };
        assert_eq!(h, handle);
        event
    }

    /// The Response of the single event.
    pub(crate) fn response(&self, handle: RequestHandle) -> &BasicPdu {
        match self.only_event(handle) {
            Event::Response { response, .. } => response,
            other => panic!("not a response: {other:?}"),
        }
    }

    /// The error of the single event.
    pub(crate) fn error(&self, handle: RequestHandle) -> &crate::RequestError {
        match self.only_event(handle) {
            Event::Failed { error, .. } => error,
            other => panic!("not a failure: {other:?}"),
        }
    }
}

/// Decodes a datagram the generator sent.
pub(crate) fn decode(wire: &Bytes) -> Message {
    Message::decode(&Decoder::new(DecodeOptions::STRICT), wire).unwrap()
}

/// The USM parameters of an SNMPv3 datagram.
pub(crate) fn usm_params(wire: &Bytes) -> (HeaderData, UsmSecurityParameters) {
    let Message::V3(m) = decode(wire) else {
        panic!("not SNMPv3")
    };
    let p =
        UsmSecurityParameters::decode(&Decoder::new(DecodeOptions::STRICT), &m.security_parameters)
            .unwrap();
    (m.header, p)
}

/// Whether an SNMPv3 datagram is a discovery probe (empty engine ID and user).
pub(crate) fn is_probe(wire: &Bytes) -> bool {
    let (_, p) = usm_params(wire);
    p.engine_id.is_empty() && p.user_name.is_empty()
}
