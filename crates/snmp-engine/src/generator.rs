//! The command generator of RFC 3413 section 3.1, sans-IO: requests in, datagrams out,
//! datagrams in, responses out; retries, SNMPv3 engine discovery, the Report loop and tooBig
//! splitting are states of the pending requests, moved by the inputs.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, SecurityIncoming, SecurityLevel,
    V3Message, Version, check_header,
};
use snmp_smi::{BasicPdu, ErrorStatus, Pdu, VarBind};
use snmp_usm::{USM_SECURITY_MODEL, Usm};

use crate::rng::SplitMix64;
use crate::target::Op;
use crate::{GeneratorConfig, ReportKind, RequestError, RequestPdu, Security, Target};

/// How many completed request-ids and msgIDs are remembered, to tell a late duplicate
/// answer from a stray datagram.
const RECENT: usize = 1024;

/// A request given to [`CommandGenerator::send`], named in the events about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestHandle(u64);

/// A datagram to send: the output of [`CommandGenerator::poll_transmit`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transmit {
    /// Where to send it.
    pub destination: SocketAddr,
    /// The UDP payload.
    pub contents: Bytes,
}

/// What became of a request: the output of [`CommandGenerator::poll_event`]. Each
/// [`RequestHandle`] gets exactly one event.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The agent answered. Its error-status and error-index are the agent's, uninterpreted
    /// (but for tooBig, which the generator handles); the request-id is that of the first
    /// request sent, and the bindings are in the order asked, even when the request was
    /// split. A trap ([`RequestPdu::Trap`], [`RequestPdu::TrapV1`]) is never answered: its
    /// event comes as soon as it is queued, with the notification's bindings as sent (in
    /// SNMPv2 form) and `from` the target's address.
    Response {
        /// The request.
        handle: RequestHandle,
        /// The Response-PDU.
        response: BasicPdu,
        /// Where the (first) answer came from.
        from: SocketAddr,
    },
    /// The request failed.
    Failed {
        /// The request.
        handle: RequestHandle,
        /// Why.
        error: RequestError,
    },
}

/// Datagrams the generator dropped or accepted with a remark, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct GeneratorStats {
    /// Not an SNMP message (snmpInASNParseErrs), or an invalid SNMPv3 header
    /// (snmpInvalidMsgs, snmpUnknownSecurityModels).
    pub malformed: u64,
    /// SNMPv3 messages that USM refused (bad digest, not in time window, unknown user or
    /// engine, decryption error): never matched to a request.
    pub security_failures: u64,
    /// No pending request has this request-id (v1/v2c) or msgID (v3).
    pub unmatched: u64,
    /// An answer to a request already answered, failed or split (a duplicate, or an answer
    /// to another try).
    pub duplicates: u64,
    /// The request-id or msgID matched but the version, community, request-id, security
    /// level or user did not: dropped.
    pub mismatched: u64,
    /// A PDU that is not an answer (a request, a trap).
    pub unexpected_pdus: u64,
    /// Answers accepted from another address than the one asked (multi-homed agents).
    pub other_source: u64,
    /// Answers dropped because they came from another address, under
    /// [`GeneratorConfig::strict_source`].
    pub wrong_source: u64,
}

/// The command generator of RFC 3413 section 3.1, sans-IO, for SNMPv1, SNMPv2c and SNMPv3
/// with USM.
///
/// It reads no clock and opens no socket: every input carries `now`, and every output is
/// pulled. After each input ([`send`](Self::send), [`handle_datagram`](Self::handle_datagram),
/// [`handle_timeout`](Self::handle_timeout)) the driver:
///
/// 1. sends every datagram of [`poll_transmit`](Self::poll_transmit) until `None`;
/// 2. takes every event of [`poll_event`](Self::poll_event) until `None`;
/// 3. arms one timer at [`poll_timeout`](Self::poll_timeout), and calls `handle_timeout`
///    when it fires (calling it early is harmless).
///
/// Time never goes backwards: each `now` is at least the previous one.
///
/// What it does for each request:
/// - request-ids come from a seeded PRNG, positive and unique among the pending requests;
///   v1/v2c retries resend the same message; SNMPv3 retries get a fresh msgID, the same
///   request-id; an answer to any try counts.
/// - a v1/v2c answer matches by request-id, version and community; an SNMPv3 answer is
///   authenticated and decrypted by USM first, then matched by msgID, then request-id,
///   security level and user.
/// - SNMPv3 engine discovery (RFC 3414 section 4): one probe per agent address, shared by
///   every request waiting for it; an authenticated notInTimeWindow Report resends the
///   request once (USM has learnt the clock); an unknownEngineID Report rediscovers once;
///   other Reports fail the request with [`RequestError::Report`].
/// - a tooBig answer to a GET or GETNEXT of several bindings splits them in halves, as
///   often as needed, and the halves' answers are joined in order; so is a request already
///   bigger than the target's message size.
pub struct CommandGenerator {
    config: GeneratorConfig,
    usm: Usm,
    rng: SplitMix64,
    next_handle: u64,
    jobs: BTreeMap<RequestHandle, Job>,
    /// Every wire request not yet answered, by request-id (also those waiting for discovery).
    exchanges: BTreeMap<i32, Exchange>,
    /// SNMPv3: the msgID of each try, to what it belongs.
    msg_ids: BTreeMap<i32, MsgOwner>,
    discoveries: BTreeMap<SocketAddr, Discovery>,
    /// The snmpEngineID discovered at each agent address.
    engines: BTreeMap<SocketAddr, Bytes>,
    recent: Recent,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: GeneratorStats,
}

impl core::fmt::Debug for CommandGenerator {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CommandGenerator")
            .field("pending", &self.jobs.len())
            .field("discoveries", &self.discoveries.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

/// One caller's request: the wire requests it became, and their answers so far.
#[derive(Debug)]
struct Job {
    /// The request-id of the first wire request; the delivered Response carries it.
    request_id: i32,
    /// The bindings asked.
    varbinds: Vec<VarBind>,
    /// By the offset of their first binding in `varbinds`.
    parts: BTreeMap<usize, Part>,
    /// Where the first answer came from.
    from: Option<SocketAddr>,
}

#[derive(Debug)]
enum Part {
    /// Asked by the wire request with this request-id.
    Pending(i32),
    /// Answered with these bindings.
    Done(Vec<VarBind>),
}

/// One wire request (a whole job, or a part of a split one) and its tries.
#[derive(Debug)]
struct Exchange {
    handle: RequestHandle,
    offset: usize,
    target: Arc<Target>,
    op: Op,
    varbinds: Vec<VarBind>,
    request_id: i32,
    /// Transmissions in the current round (a Report that resends starts a new round).
    tries: u32,
    state: State,
    /// SNMPv3: the msgIDs of every try.
    msg_ids: Vec<i32>,
    /// SNMPv3: a notInTimeWindow Report was already answered by a resend.
    resynced: bool,
    /// SNMPv3: an unknownEngineID Report was already answered by a rediscovery.
    rediscovered: bool,
}

/// Where an exchange is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Not on the wire: new, or parked until its agent's engine is discovered.
    Unsent,
    /// Sent; the current try times out at `deadline`.
    Sent { deadline: Instant },
}

impl State {
    fn deadline(self) -> Option<Instant> {
        match self {
            Self::Unsent => None,
            Self::Sent { deadline } => Some(deadline),
        }
    }
}

/// An RFC 3414 section 4 discovery probe to one agent address.
#[derive(Debug)]
struct Discovery {
    request_id: i32,
    msg_ids: Vec<i32>,
    tries: u32,
    retries: u32,
    timeout: Duration,
    deadline: Instant,
    /// The request-ids of the exchanges waiting for the engine ID.
    waiting: Vec<i32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MsgOwner {
    Probe(SocketAddr),
    Exchange(i32),
}

/// Request-ids and msgIDs recently completed, bounded.
#[derive(Debug, Default)]
struct Recent {
    set: HashSet<(bool, i32)>,
    order: VecDeque<(bool, i32)>,
}

impl Recent {
    fn insert(&mut self, key: (bool, i32)) {
        if self.set.insert(key) {
            self.order.push_back(key);
            if self.order.len() > RECENT
                && let Some(old) = self.order.pop_front()
            {
                self.set.remove(&old);
            }
        }
    }

    fn contains(&self, key: (bool, i32)) -> bool {
        self.set.contains(&key)
    }
}

const REQUEST_ID: bool = false;
const MSG_ID: bool = true;

impl CommandGenerator {
    /// A generator with `config`, securing SNMPv3 with `usm` (which holds this engine's
    /// snmpEngineID, boots and the users; it is switched to discovering unknown engines).
    pub fn new(config: GeneratorConfig, mut usm: Usm) -> Self {
        usm.discover_unknown_engines(true);
        Self {
            rng: SplitMix64::new(config.rng_seed),
            config,
            usm,
            next_handle: 0,
            jobs: BTreeMap::new(),
            exchanges: BTreeMap::new(),
            msg_ids: BTreeMap::new(),
            discoveries: BTreeMap::new(),
            engines: BTreeMap::new(),
            recent: Recent::default(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: GeneratorStats::default(),
        }
    }

    /// The USM, to read its counters or remote clocks.
    pub fn usm(&self) -> &Usm {
        &self.usm
    }

    /// The USM, to add users.
    pub fn usm_mut(&mut self) -> &mut Usm {
        &mut self.usm
    }

    /// The counters of dropped and remarkable datagrams.
    pub fn stats(&self) -> GeneratorStats {
        self.stats
    }

    /// The snmpEngineID discovered at `addr`, if any.
    pub fn engine_id(&self, addr: SocketAddr) -> Option<&Bytes> {
        self.engines.get(&addr)
    }

    /// How many requests are waiting for an answer.
    pub fn pending(&self) -> usize {
        self.jobs.len()
    }

    /// Sends `pdu` to `target`. The first datagram is queued at once (or the discovery probe,
    /// for an SNMPv3 agent whose engine is not known yet); the outcome comes as one
    /// [`Event`] naming the returned handle, even for an immediate failure.
    pub fn send(&mut self, now: Instant, target: &Target, pdu: RequestPdu) -> RequestHandle {
        let handle = RequestHandle(self.next_handle);
        self.next_handle = self.next_handle.wrapping_add(1);
        if pdu.is_unconfirmed() {
            self.send_trap(now, target, handle, pdu);
            return handle;
        }
        let (op, varbinds) = pdu.into_parts();
        if op == Op::Inform
            && matches!(
                target.security,
                Security::Community {
                    version: Version::V1,
                    ..
                }
            )
        {
            self.events.push_back(Event::Failed {
                handle,
                error: RequestError::Encode(snmp_ber::EncodeError::Invalid {
                    what: "an InformRequest in SNMPv1",
                }),
            });
            return handle;
        }
        if matches!(op, Op::GetBulk { .. })
            && matches!(
                target.security,
                Security::Community {
                    version: Version::V1,
                    ..
                }
            )
        {
            self.events.push_back(Event::Failed {
                handle,
                error: RequestError::GetBulkInV1,
            });
            return handle;
        }
        let request_id = self.fresh_request_id();
        self.jobs.insert(
            handle,
            Job {
                request_id,
                varbinds: varbinds.clone(),
                parts: BTreeMap::from([(0, Part::Pending(request_id))]),
                from: None,
            },
        );
        let exchange = Exchange {
            handle,
            offset: 0,
            target: Arc::new(target.clone()),
            op,
            varbinds,
            request_id,
            tries: 0,
            state: State::Unsent,
            msg_ids: Vec::new(),
            resynced: false,
            rediscovered: false,
        };
        self.start(now, exchange);
        handle
    }

    /// A datagram received from `from`.
    pub fn handle_datagram(&mut self, now: Instant, from: SocketAddr, data: Bytes) {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        match Message::decode(&dec, &data) {
            Ok(Message::Community(m)) => self.on_community(now, from, m),
            Ok(Message::V3(m)) => self.on_v3(now, from, &data, &m),
            Err(_) => self.stats.malformed += 1,
        }
    }

    /// Retries or fails every request (and discovery probe) whose deadline is `now` or
    /// earlier.
    pub fn handle_timeout(&mut self, now: Instant) {
        let due: Vec<i32> = self
            .exchanges
            .iter()
            .filter(|(_, e)| e.state.deadline().is_some_and(|d| d <= now))
            .map(|(id, _)| *id)
            .collect();
        for id in due {
            // A sibling's failure may have removed it meanwhile.
            let Some(exchange) = self.exchanges.remove(&id) else {
                continue;
            };
            if exchange.tries > self.retries(&exchange.target) {
                self.forget(&exchange);
                self.fail(exchange.handle, RequestError::Timeout);
            } else {
                self.transmit(now, exchange);
            }
        }
        let due: Vec<SocketAddr> = self
            .discoveries
            .iter()
            .filter(|(_, d)| d.deadline <= now)
            .map(|(a, _)| *a)
            .collect();
        for addr in due {
            let Some(discovery) = self.discoveries.remove(&addr) else {
                continue;
            };
            let alive = discovery
                .waiting
                .iter()
                .any(|id| self.exchanges.contains_key(id));
            if alive && discovery.tries <= discovery.retries {
                self.send_probe(now, addr, discovery);
                continue;
            }
            self.forget_probe(&discovery);
            for id in discovery.waiting {
                if let Some(exchange) = self.exchanges.remove(&id) {
                    self.fail(exchange.handle, RequestError::DiscoveryTimeout);
                }
            }
        }
    }

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due: the earliest deadline of
    /// the pending tries; `None` when nothing waits.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let exchanges = self.exchanges.values().filter_map(|e| e.state.deadline());
        let probes = self.discoveries.values().map(|d| d.deadline);
        exchanges.chain(probes).min()
    }

    /// The next outcome of a request.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    // ---- sending ----

    fn timeout(&self, target: &Target) -> Duration {
        target.timeout.unwrap_or(self.config.timeout)
    }

    fn retries(&self, target: &Target) -> u32 {
        target.retries.unwrap_or(self.config.retries)
    }

    fn fresh_request_id(&mut self) -> i32 {
        loop {
            let id = self.rng.next_positive_i32();
            if !self.exchanges.contains_key(&id) {
                return id;
            }
        }
    }

    fn fresh_msg_id(&mut self) -> i32 {
        loop {
            let id = self.rng.next_positive_i32();
            if !self.msg_ids.contains_key(&id) {
                return id;
            }
        }
    }

    /// A trap: encoded with this engine authoritative (SNMPv3), queued once, and done at
    /// once: its event is a Response carrying the notification as sent.
    fn send_trap(&mut self, now: Instant, target: &Target, handle: RequestHandle, pdu: RequestPdu) {
        let request_id = self.rng.next_positive_i32();
        let msg_id = self.rng.next_positive_i32();
        let header = HeaderData {
            flags: MsgFlags(0),
            ..self.header(msg_id)
        };
        let outcome =
            crate::notify::encode_unconfirmed(&mut self.usm, now, header, request_id, target, pdu);
        let limit = usize::try_from(self.config.max_message_size).unwrap_or(usize::MAX);
        match outcome {
            Ok((contents, _)) if contents.len() > limit => self.events.push_back(Event::Failed {
                handle,
                error: RequestError::TooBig,
            }),
            Ok((contents, sent)) => {
                self.transmits.push_back(Transmit {
                    destination: target.addr,
                    contents,
                });
                self.events.push_back(Event::Response {
                    handle,
                    response: sent,
                    from: target.addr,
                });
            }
            Err(error) => self.events.push_back(Event::Failed { handle, error }),
        }
    }

    /// Sends an exchange, or parks it behind the discovery of its agent's engine.
    fn start(&mut self, now: Instant, exchange: Exchange) {
        let addr = exchange.target.addr;
        if let (Security::Usm { .. }, Some(id)) =
            (&exchange.target.security, &exchange.target.engine_id)
            && !id.is_empty()
            && self.known_engine(now, addr).is_none()
        {
            // Known beforehand (net-snmp's -e): no discovery. An unknown clock is (0, 0),
            // which an authenticated request turns into a notInTimeWindow Report carrying
            // the agent's clock, and the resend.
            self.engines.insert(addr, id.clone());
            if self.usm.remote_time(id, now).is_none() {
                self.usm.set_remote_time(id, 0, 0, now);
            }
        }
        if matches!(exchange.target.security, Security::Usm { .. })
            && self.known_engine(now, addr).is_none()
        {
            self.await_engine(now, exchange);
        } else {
            self.transmit(now, exchange);
        }
    }

    /// The engine ID at `addr`, when discovered and still known to USM.
    fn known_engine(&self, now: Instant, addr: SocketAddr) -> Option<Bytes> {
        let id = self.engines.get(&addr)?;
        self.usm.remote_time(id, now).map(|_| id.clone())
    }

    /// Encodes and queues one try of `exchange`, splitting it first when it is too big.
    fn transmit(&mut self, now: Instant, mut exchange: Exchange) {
        let target = exchange.target.clone();
        let pdu = exchange
            .op
            .pdu(exchange.request_id, exchange.varbinds.clone());
        let (wire, msg_id) = match &target.security {
            Security::Community { version, community } => {
                let message = Message::Community(CommunityMessage {
                    version: *version,
                    community: community.clone(),
                    pdu,
                });
                match message.to_bytes() {
                    Ok(wire) => (wire, None),
                    Err(e) => return self.fail(exchange.handle, RequestError::Encode(e)),
                }
            }
            Security::Usm { user, level } => {
                let Some(engine_id) = self.known_engine(now, target.addr) else {
                    // Forgotten since (a rediscovery): find it again.
                    return self.await_engine(now, exchange);
                };
                let msg_id = self.fresh_msg_id();
                let scoped = ScopedPdu {
                    context_engine_id: target
                        .context_engine_id
                        .clone()
                        .unwrap_or_else(|| engine_id.clone()),
                    context_name: target.context_name.clone(),
                    pdu,
                };
                match self
                    .usm
                    .generate(now, self.header(msg_id), &scoped, user, &engine_id, *level)
                {
                    Ok(wire) => (wire, Some(msg_id)),
                    Err(e) => return self.fail(exchange.handle, RequestError::Security(e)),
                }
            }
        };
        let limit = target
            .max_message_size
            .unwrap_or(self.config.max_message_size)
            .min(self.config.max_message_size);
        if wire.len() > usize::try_from(limit).unwrap_or(usize::MAX) {
            if exchange.op.splittable() && exchange.varbinds.len() > 1 {
                return self.split(now, exchange);
            }
            return self.fail(exchange.handle, RequestError::TooBig);
        }
        if let Some(msg_id) = msg_id {
            exchange.msg_ids.push(msg_id);
            self.msg_ids
                .insert(msg_id, MsgOwner::Exchange(exchange.request_id));
        }
        exchange.tries += 1;
        exchange.state = State::Sent {
            deadline: now + self.timeout(&target),
        };
        self.transmits.push_back(Transmit {
            destination: target.addr,
            contents: wire,
        });
        self.exchanges.insert(exchange.request_id, exchange);
    }

    fn header(&self, msg_id: i32) -> HeaderData {
        HeaderData {
            msg_id,
            max_size: i32::try_from(self.config.max_message_size).unwrap_or(i32::MAX),
            flags: MsgFlags(MsgFlags::REPORTABLE),
            security_model: USM_SECURITY_MODEL,
        }
    }

    /// Replaces `exchange` (not in the tables) by two exchanges asking half its bindings
    /// each.
    fn split(&mut self, now: Instant, exchange: Exchange) {
        let Exchange {
            handle,
            offset,
            target,
            op,
            mut varbinds,
            ..
        } = exchange;
        let mid = varbinds.len() / 2;
        let right = varbinds.split_off(mid);
        for (at, half) in [(offset, varbinds), (offset + mid, right)] {
            let request_id = self.fresh_request_id();
            let Some(job) = self.jobs.get_mut(&handle) else {
                // The first half failed the whole request.
                return;
            };
            job.parts.insert(at, Part::Pending(request_id));
            let half = Exchange {
                handle,
                offset: at,
                target: target.clone(),
                op,
                varbinds: half,
                request_id,
                tries: 0,
                state: State::Unsent,
                msg_ids: Vec::new(),
                resynced: false,
                rediscovered: false,
            };
            self.start(now, half);
        }
    }

    /// Parks `exchange` until the engine at its address is discovered, sending the probe if
    /// none is under way.
    fn await_engine(&mut self, now: Instant, mut exchange: Exchange) {
        let addr = exchange.target.addr;
        let id = exchange.request_id;
        exchange.state = State::Unsent;
        let (timeout, retries) = (
            self.timeout(&exchange.target),
            self.retries(&exchange.target),
        );
        self.exchanges.insert(id, exchange);
        if let Some(discovery) = self.discoveries.get_mut(&addr) {
            discovery.waiting.push(id);
            return;
        }
        let discovery = Discovery {
            request_id: self.fresh_request_id(),
            msg_ids: Vec::new(),
            tries: 0,
            retries,
            timeout,
            deadline: now,
            waiting: vec![id],
        };
        self.send_probe(now, addr, discovery);
    }

    /// RFC 3414 section 4: a reportable noAuthNoPriv GetRequest with no bindings, from the
    /// empty user, to the empty engine ID; the agent answers with a usmStatsUnknownEngineIDs
    /// Report whose msgAuthoritativeEngineID is its snmpEngineID.
    fn send_probe(&mut self, now: Instant, addr: SocketAddr, mut discovery: Discovery) {
        let msg_id = self.fresh_msg_id();
        let scoped = ScopedPdu {
            context_engine_id: Bytes::new(),
            context_name: Bytes::new(),
            pdu: Pdu::GetRequest(BasicPdu::new(discovery.request_id, Vec::new())),
        };
        let wire = match self.usm.generate(
            now,
            self.header(msg_id),
            &scoped,
            &Bytes::new(),
            &Bytes::new(),
            SecurityLevel::NoAuthNoPriv,
        ) {
            Ok(wire) => wire,
            Err(e) => {
                self.forget_probe(&discovery);
                for id in discovery.waiting {
                    if let Some(exchange) = self.exchanges.remove(&id) {
                        self.fail(exchange.handle, RequestError::Security(e.clone()));
                    }
                }
                return;
            }
        };
        discovery.msg_ids.push(msg_id);
        self.msg_ids.insert(msg_id, MsgOwner::Probe(addr));
        discovery.tries += 1;
        discovery.deadline = now + discovery.timeout;
        self.transmits.push_back(Transmit {
            destination: addr,
            contents: wire,
        });
        self.discoveries.insert(addr, discovery);
    }

    // ---- receiving ----

    fn on_community(&mut self, now: Instant, from: SocketAddr, m: CommunityMessage) {
        let Pdu::Response(pdu) = m.pdu else {
            self.stats.unexpected_pdus += 1;
            return;
        };
        let Some(exchange) = self.exchanges.get(&pdu.request_id) else {
            self.count_unmatched((REQUEST_ID, pdu.request_id));
            return;
        };
        let same = matches!(
            &exchange.target.security,
            Security::Community { version, community }
                if *version == m.version && *community == m.community
        );
        if !same || exchange.state == State::Unsent {
            self.stats.mismatched += 1;
            return;
        }
        if !self.source_ok(exchange.target.addr, from) {
            return;
        }
        if let Some(exchange) = self.exchanges.remove(&pdu.request_id) {
            self.on_response(now, exchange, pdu, from);
        }
    }

    fn on_v3(&mut self, now: Instant, from: SocketAddr, data: &Bytes, m: &V3Message) {
        if check_header(&m.header, &[USM_SECURITY_MODEL]).is_err() {
            self.stats.malformed += 1;
            return;
        }
        // Authenticate (and decrypt) before anything is matched.
        let Ok(incoming) = self.usm.process_incoming(now, data, m) else {
            self.stats.security_failures += 1;
            return;
        };
        let msg_id = m.header.msg_id;
        match self.msg_ids.get(&msg_id).copied() {
            None => self.count_unmatched((MSG_ID, msg_id)),
            Some(MsgOwner::Probe(addr)) => self.on_probe_answer(now, addr, from, incoming),
            Some(MsgOwner::Exchange(id)) => self.on_v3_answer(now, id, from, incoming),
        }
    }

    fn on_probe_answer(
        &mut self,
        now: Instant,
        addr: SocketAddr,
        from: SocketAddr,
        incoming: SecurityIncoming,
    ) {
        if !matches!(incoming.scoped_pdu.pdu, Pdu::Report(_) | Pdu::Response(_))
            || incoming.engine_id.is_empty()
        {
            self.stats.mismatched += 1;
            return;
        }
        if !self.source_ok(addr, from) {
            return;
        }
        let Some(discovery) = self.discoveries.remove(&addr) else {
            return;
        };
        self.forget_probe(&discovery);
        // The engine ID only: this Report is unauthenticated, and USM learnt no clock from it.
        self.engines.insert(addr, incoming.engine_id);
        for id in discovery.waiting {
            if let Some(exchange) = self.exchanges.remove(&id) {
                self.transmit(now, exchange);
            }
        }
    }

    fn on_v3_answer(
        &mut self,
        now: Instant,
        id: i32,
        from: SocketAddr,
        incoming: SecurityIncoming,
    ) {
        let Some(exchange) = self.exchanges.get(&id) else {
            self.stats.unmatched += 1;
            return;
        };
        let Security::Usm { user, level } = &exchange.target.security else {
            self.stats.mismatched += 1;
            return;
        };
        match incoming.scoped_pdu.pdu {
            Pdu::Response(pdu) => {
                // RFC 3412 7.2 step 12: a Response comes at the request's level, for its user.
                if pdu.request_id != exchange.request_id
                    || incoming.level != *level
                    || incoming.security_name != *user
                {
                    self.stats.mismatched += 1;
                    return;
                }
                if !self.source_ok(exchange.target.addr, from) {
                    return;
                }
                if let Some(exchange) = self.exchanges.remove(&id) {
                    self.on_response(now, exchange, pdu, from);
                }
            }
            // Matched by msgID alone: the agent could not read an encrypted request's id.
            Pdu::Report(report) => {
                if !self.source_ok(exchange.target.addr, from) {
                    return;
                }
                if let Some(exchange) = self.exchanges.remove(&id) {
                    let authenticated = incoming.level != SecurityLevel::NoAuthNoPriv;
                    self.on_report(now, exchange, &report, authenticated);
                }
            }
            _ => self.stats.unexpected_pdus += 1,
        }
    }

    /// RFC 3414 section 4 and RFC 3412 7.2 step 12: what a Report does to a request.
    fn on_report(
        &mut self,
        now: Instant,
        mut exchange: Exchange,
        report: &BasicPdu,
        authenticated: bool,
    ) {
        let oid = report
            .varbinds
            .first()
            .map(|vb| vb.oid.clone())
            .unwrap_or_default();
        let kind = ReportKind::from_oid(&oid);
        match kind {
            // USM has adopted the agent's clock from this authenticated Report: once more.
            ReportKind::NotInTimeWindows if authenticated && !exchange.resynced => {
                exchange.resynced = true;
                exchange.tries = 0;
                self.transmit(now, exchange);
            }
            // The agent's engine ID changed (a replaced or reconfigured device).
            ReportKind::UnknownEngineIds if !exchange.rediscovered => {
                exchange.rediscovered = true;
                exchange.tries = 0;
                self.engines.remove(&exchange.target.addr);
                self.await_engine(now, exchange);
            }
            _ => {
                self.forget(&exchange);
                self.fail(
                    exchange.handle,
                    RequestError::Report {
                        kind,
                        oid: Box::new(oid),
                    },
                );
            }
        }
    }

    /// An answer to `exchange` (already out of the table).
    fn on_response(&mut self, now: Instant, exchange: Exchange, pdu: BasicPdu, from: SocketAddr) {
        self.forget(&exchange);
        if pdu.error_status == ErrorStatus::TOO_BIG {
            if exchange.op.splittable() && exchange.varbinds.len() > 1 {
                return self.split(now, exchange);
            }
            return self.fail(exchange.handle, RequestError::TooBig);
        }
        let handle = exchange.handle;
        let Some(job) = self.jobs.get_mut(&handle) else {
            return;
        };
        let from = *job.from.get_or_insert(from);
        if !pdu.error_status.is_ok() {
            // The agent's error, about the original bindings: a split request fails as a
            // whole, as the unsplit one would have.
            let index = if pdu.error_index > 0 {
                let offset = i32::try_from(exchange.offset).unwrap_or(i32::MAX);
                pdu.error_index.saturating_add(offset)
            } else {
                pdu.error_index
            };
            let varbinds = if job.parts.len() == 1 {
                pdu.varbinds
            } else {
                job.varbinds.clone()
            };
            let response = BasicPdu {
                request_id: job.request_id,
                error_status: pdu.error_status,
                error_index: index,
                varbinds,
            };
            return self.finish(handle, from, response);
        }
        job.parts.insert(exchange.offset, Part::Done(pdu.varbinds));
        if job.parts.values().all(|p| matches!(p, Part::Done(_))) {
            let mut parts = core::mem::take(&mut job.parts);
            let varbinds = if parts.len() == 1 {
                // Unsplit (nearly every request): the answer's own list, not a copy.
                match parts.pop_first() {
                    Some((_, Part::Done(v))) => v,
                    _ => Vec::new(),
                }
            } else {
                parts
                    .into_values()
                    .flat_map(|p| match p {
                        Part::Done(v) => v,
                        Part::Pending(_) => Vec::new(),
                    })
                    .collect()
            };
            let response = BasicPdu {
                request_id: job.request_id,
                error_status: ErrorStatus::NO_ERROR,
                error_index: 0,
                varbinds,
            };
            self.finish(handle, from, response);
        }
    }

    fn count_unmatched(&mut self, key: (bool, i32)) {
        if self.recent.contains(key) {
            self.stats.duplicates += 1;
        } else {
            self.stats.unmatched += 1;
        }
    }

    /// Whether an answer from `from` to a request sent to `to` is taken.
    fn source_ok(&mut self, to: SocketAddr, from: SocketAddr) -> bool {
        if from == to {
            true
        } else if self.config.strict_source {
            self.stats.wrong_source += 1;
            false
        } else {
            self.stats.other_source += 1;
            true
        }
    }

    // ---- completion ----

    /// Drops the identifiers of an exchange (out of the table), remembering them to count
    /// late answers as duplicates.
    fn forget(&mut self, exchange: &Exchange) {
        for m in &exchange.msg_ids {
            self.msg_ids.remove(m);
            self.recent.insert((MSG_ID, *m));
        }
        self.recent.insert((REQUEST_ID, exchange.request_id));
    }

    fn forget_probe(&mut self, discovery: &Discovery) {
        for m in &discovery.msg_ids {
            self.msg_ids.remove(m);
            self.recent.insert((MSG_ID, *m));
        }
    }

    /// Ends a request with its Response.
    fn finish(&mut self, handle: RequestHandle, from: SocketAddr, response: BasicPdu) {
        if self.end(handle) {
            self.events.push_back(Event::Response {
                handle,
                response,
                from,
            });
        }
    }

    /// Ends a request with an error.
    fn fail(&mut self, handle: RequestHandle, error: RequestError) {
        if self.end(handle) {
            self.events.push_back(Event::Failed { handle, error });
        }
    }

    /// Removes a request and its other pending parts; false if it had already ended.
    fn end(&mut self, handle: RequestHandle) -> bool {
        let Some(job) = self.jobs.remove(&handle) else {
            return false;
        };
        for part in job.parts.values() {
            if let Part::Pending(id) = part
                && let Some(exchange) = self.exchanges.remove(id)
            {
                self.forget(&exchange);
            }
        }
        true
    }
}
