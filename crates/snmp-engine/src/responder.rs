//! The command responder of RFC 3413 section 3.2: GET, GETNEXT, GETBULK and SET from SNMPv1,
//! SNMPv2c and SNMPv3 (USM) managers, checked by VACM, answered from the [`Mib`] of the
//! request's context.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use snmp_ber::{DecodeErrorKind, DecodeOptions, Decoder, Encoder};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MpdStats, MsgFlags, ScopedPdu, ScopedPduData,
    SecurityLevel, V3Message, Version, check_header, may_report, v2_error_to_v1, v2_response_to_v1,
};
use snmp_smi::{BasicPdu, BulkPdu, ErrorStatus, Oid, Pdu, PduType, Value, VarBind, oid};
use snmp_usm::{USM_SECURITY_MODEL, Usm, UsmFailure, UsmSecurityParameters};
use snmp_vacm::{AccessError, SecurityModel, Vacm, View, ViewKind};

use crate::builtin::{self, Snapshot, SnmpStats, SystemInfo, Writable};
use crate::mib::{Entry, Mib, RequestInfo, SetError};
use crate::proxy::{
    Asked, Incoming, Pending, ProxyForwarder, ProxyType, Reply, null_bindings, outgoing_pdu,
};
use crate::{Event, Security, Target, Transmit, usm_table, vacm_table};

/// How many candidates a GETNEXT may pass over (outside the view, Counter64 for SNMPv1) before
/// it answers endOfMibView: a bound on the work one binding costs.
const MAX_SKIPS: usize = 100_000;

/// The state the built-in objects answer from (a macro, so that it borrows the fields, not
/// the whole responder, whose MIB the request borrows at the same time).
macro_rules! snapshot {
    ($self:ident, $now:expr) => {{
        let now = $now;
        Snapshot {
            users: &$self.usm,
            usm_rows: &$self.usm_rows,
            vacm: &$self.vacm,
            tables: std::cell::OnceCell::new(),
            proxy: $self.proxy.as_deref().map(|p| &p.table),
            system: &$self.system,
            enable_authen_traps: $self.enable_authen_traps,
            stats: $self.stats,
            mpd: $self.mpd,
            usm: $self.usm.stats(),
            engine_id: $self.usm.engine_id().to_bytes(),
            boots: $self.usm.engine_boots(),
            time: $self.usm.engine_time(now),
            max_message_size: $self.config.max_message_size,
            uptime: $self.uptime(now),
        }
    }};
}

/// How a [`CommandResponder`] behaves: `Default` plus setters.
///
/// ```
/// use snmp_engine::ResponderConfig;
///
/// let mut config = ResponderConfig::default();
/// config.max_message_size(1472).max_bulk_varbinds(500);
/// ```
#[derive(Clone, Debug)]
pub struct ResponderConfig {
    max_message_size: u32,
    max_bulk_repetitions: u32,
    max_bulk_varbinds: usize,
}

impl Default for ResponderConfig {
    fn default() -> Self {
        Self {
            max_message_size: 65507,
            max_bulk_repetitions: u32::MAX,
            max_bulk_varbinds: 2048,
        }
    }
}

impl ResponderConfig {
    /// The largest message this engine sends or accepts (snmpEngineMaxMessageSize); at least
    /// 484, at most 2147483647. Default 65507, the largest UDP payload over IPv4.
    pub fn max_message_size(&mut self, size: u32) -> &mut Self {
        self.max_message_size = size.clamp(484, 2_147_483_647);
        self
    }

    /// The largest max-repetitions honoured in a GETBULK (net-snmp's `maxGetbulkRepeats`);
    /// default unlimited.
    pub fn max_bulk_repetitions(&mut self, n: u32) -> &mut Self {
        self.max_bulk_repetitions = n;
        self
    }

    /// The most bindings one GETBULK response carries (net-snmp's `maxGetbulkResponses`),
    /// whatever the message size allows; default 2048.
    pub fn max_bulk_varbinds(&mut self, n: usize) -> &mut Self {
        self.max_bulk_varbinds = n.max(1);
        self
    }
}

/// The command responder: a sans-IO agent. Give it a datagram, the peer and the time; it
/// answers the bytes to send back, if any.
///
/// It owns the USM (users, engine ID, boots), the VACM tables, and one [`Mib`] per context;
/// the default context `""` holds the built-in objects (system, snmp, snmpEngine, MPD, USM
/// and context counters) besides what the application registers.
///
/// ```
/// use std::time::Instant;
/// use bytes::Bytes;
/// use snmp_engine::{CommandResponder, ResponderConfig, SystemInfo};
/// use snmp_mpm::{CommunityMessage, Message, Version};
/// use snmp_smi::{BasicPdu, Pdu, Value, VarBind, oid};
/// use snmp_usm::Usm;
/// use snmp_vacm::Vacm;
///
/// let now = Instant::now(); // the driver's clock; the engine never reads one
/// let usm = Usm::new("0x80001f88046167656e74".parse()?, 1, now, 7);
/// let mut vacm = Vacm::new();
/// vacm.rocommunity("public", None, None)?;
/// let mut system = SystemInfo::default();
/// system.descr = "test agent".into();
/// let mut agent = CommandResponder::new(ResponderConfig::default(), usm, vacm, system, now);
///
/// let request = Message::Community(CommunityMessage {
///     version: Version::V2c,
///     community: Bytes::from_static(b"public"),
///     pdu: Pdu::GetRequest(BasicPdu::new(1, vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))])),
/// });
/// let answer = agent
///     .handle_datagram(now, "127.0.0.1:50000".parse()?, &request.to_bytes()?)
///     .expect("an answer");
/// let dec = snmp_ber::Decoder::new(snmp_ber::DecodeOptions::default());
/// let Message::Community(m) = Message::decode(&dec, &answer)? else { unreachable!() };
/// assert_eq!(m.pdu.varbinds()[0].value, Value::from("test agent"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CommandResponder {
    config: ResponderConfig,
    usm: Usm,
    vacm: Vacm,
    contexts: BTreeMap<Bytes, Mib>,
    system: SystemInfo,
    enable_authen_traps: bool,
    /// The usmUserTable rows the USM does not hold (not in service), and usmUserPublic.
    usm_rows: usm_table::UsmRows,
    events: std::collections::VecDeque<ResponderEvent>,
    booted_at: Instant,
    stats: SnmpStats,
    mpd: MpdStats,
    scratch: Encoder,
    proxy: Option<Box<ProxyForwarder>>,
    /// Deferred answers (to forwarded requests) waiting for `poll_transmit`.
    outgoing: std::collections::VecDeque<Outgoing>,
}

/// A datagram a [`CommandResponder`] sends other than as `handle_datagram`'s answer: the
/// output of [`CommandResponder::poll_transmit`], when it proxies.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outgoing {
    /// A request forwarded to a proxy target: to send from the proxy's own socket, the one
    /// whose datagrams go to [`CommandResponder::handle_proxy_datagram`].
    ToTarget(Transmit),
    /// The answer to a forwarded request: to send to `peer` the way the request came
    /// (`via`, the token given to [`CommandResponder::handle_datagram_via`]).
    Answer {
        /// The manager.
        peer: SocketAddr,
        /// The listener or connection the request came in on.
        via: u64,
        /// The message.
        contents: Bytes,
    },
}

/// Forwarded requests in flight at most; more are proxy drops (a flood cannot grow the
/// table).
const MAX_FORWARDED: usize = 4096;

/// How many times a forwarded request may be sent again for part of its bindings (a walk's
/// end at an SNMPv1 target, a Counter64 an SNMPv1 manager cannot see).
const MAX_ROUNDS: u32 = 64;

/// What happened at the responder that the application may act on: for now the cause of an
/// `authenticationFailure` notification (SNMPv2-MIB), when snmpEnableAuthenTraps is
/// enabled(1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResponderEvent {
    /// A message failed authentication: an unknown community (or one not allowed from its
    /// source), or an SNMPv3 message with a wrong digest.
    AuthenticationFailure {
        /// Where it came from.
        peer: SocketAddr,
        /// sysUpTime when it arrived, in hundredths of a second (for the notification).
        uptime: u32,
    },
}

/// Events kept for [`CommandResponder::poll_event`] at most: beyond, new ones are dropped (a
/// flood of bad packets cannot grow the queue).
const MAX_EVENTS: usize = 64;

/// A decoded, authorised request on its way to an answer.
struct Request<'a> {
    info: RequestInfo<'a>,
    /// The response size limit, in octets of the whole message.
    limit: usize,
}

/// What `process` made of a PDU.
enum Outcome {
    /// A Response to send.
    Respond(BasicPdu),
    /// Nothing to send (a Response, a Trap, a PDU the version does not allow).
    Drop,
}

impl CommandResponder {
    /// An agent with this USM (engine ID, boots and users), these VACM tables and this system
    /// group; `now` is its boot time (sysUpTime counts from it).
    pub fn new(
        config: ResponderConfig,
        usm: Usm,
        vacm: Vacm,
        system: SystemInfo,
        now: Instant,
    ) -> Self {
        let mut default = Mib::new();
        for root in builtin::ROOTS {
            if let Ok(root) = Oid::from_slice(root) {
                // Fresh and disjoint: cannot fail.
                let _ = default.insert(root, Entry::Builtin);
            }
        }
        let mut contexts = BTreeMap::new();
        contexts.insert(Bytes::new(), default);
        Self {
            config,
            usm,
            vacm,
            contexts,
            system,
            enable_authen_traps: false,
            usm_rows: usm_table::UsmRows::default(),
            events: std::collections::VecDeque::new(),
            booted_at: now,
            stats: SnmpStats::default(),
            mpd: MpdStats::default(),
            scratch: Encoder::new(),
            proxy: None,
            outgoing: std::collections::VecDeque::new(),
        }
    }

    /// Makes this responder a proxy forwarder too (RFC 3413 section 3.5): requests its
    /// table selects go to their target, and their answers come later out of
    /// [`poll_transmit`](Self::poll_transmit).
    pub fn set_proxy(&mut self, proxy: ProxyForwarder) {
        self.proxy = Some(Box::new(proxy));
    }

    /// The proxy forwarder, if set.
    pub fn proxy(&self) -> Option<&ProxyForwarder> {
        self.proxy.as_deref()
    }

    /// The proxy forwarder, to change its table or add users, if set.
    pub fn proxy_mut(&mut self) -> Option<&mut ProxyForwarder> {
        self.proxy.as_deref_mut()
    }

    /// The next datagram to send that is not a direct answer: forwarded requests to proxy
    /// targets and answers to forwarded requests. Call it after every `handle_*` call.
    pub fn poll_transmit(&mut self) -> Option<Outgoing> {
        if let Some(t) = self
            .proxy
            .as_deref_mut()
            .and_then(|p| p.generator.poll_transmit())
        {
            return Some(Outgoing::ToTarget(t));
        }
        self.outgoing.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) is next due (a forwarded request's
    /// retry or timeout), if ever.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.proxy
            .as_deref()
            .and_then(|p| p.generator.poll_timeout())
    }

    /// Retries or gives up the forwarded requests due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if let Some(p) = self.proxy.as_deref_mut() {
            p.generator.handle_timeout(now);
        }
        self.proxy_events(now);
    }

    /// Handles a datagram a proxy target sent to the proxy's socket.
    pub fn handle_proxy_datagram(&mut self, now: Instant, from: SocketAddr, data: Bytes) {
        if let Some(p) = self.proxy.as_deref_mut() {
            p.generator.handle_datagram(now, from, data);
        }
        self.proxy_events(now);
    }

    /// The MIB of the context `name` (`""` is the default context), created empty if new.
    /// A context also needs a VACM context entry (and access to it) to be reachable.
    pub fn mib_mut(&mut self, name: impl AsRef<[u8]>) -> &mut Mib {
        self.contexts
            .entry(Bytes::copy_from_slice(name.as_ref()))
            .or_default()
    }

    /// The VACM tables.
    pub fn vacm(&self) -> &Vacm {
        &self.vacm
    }

    /// The VACM tables, to change.
    pub fn vacm_mut(&mut self) -> &mut Vacm {
        &mut self.vacm
    }

    /// The USM: engine ID, boots, users, usmStats.
    pub fn usm(&self) -> &Usm {
        &self.usm
    }

    /// The USM, to add users.
    pub fn usm_mut(&mut self) -> &mut Usm {
        &mut self.usm
    }

    /// The system group's values.
    pub fn system(&self) -> &SystemInfo {
        &self.system
    }

    /// The system group's values, to change.
    pub fn system_mut(&mut self) -> &mut SystemInfo {
        &mut self.system
    }

    /// The snmp group's counters.
    pub fn stats(&self) -> SnmpStats {
        self.stats
    }

    /// The snmpMPDStats counters.
    pub fn mpd_stats(&self) -> MpdStats {
        self.mpd
    }

    /// Whether authenticationFailure events are raised (snmpEnableAuthenTraps, snmpd.conf's
    /// `authtrapenable`; default off). A manager may change it by SET.
    pub fn set_enable_authen_traps(&mut self, on: bool) {
        self.enable_authen_traps = on;
    }

    /// The next event (authentication failures, when enabled), oldest first.
    pub fn poll_event(&mut self) -> Option<ResponderEvent> {
        self.events.pop_front()
    }

    /// sysUpTime at `now`, in hundredths of a second (wrapping as TimeTicks do).
    pub fn uptime(&self, now: Instant) -> u32 {
        let ticks = now.saturating_duration_since(self.booted_at).as_millis() / 10;
        u32::try_from(ticks % (1 << 32)).unwrap_or_default()
    }

    fn authentication_failure(&mut self, now: Instant, peer: SocketAddr) {
        if self.enable_authen_traps && self.events.len() < MAX_EVENTS {
            let uptime = self.uptime(now);
            self.events
                .push_back(ResponderEvent::AuthenticationFailure { peer, uptime });
        }
    }

    /// The values of `oids` in the default context, read as a GET would but for the engine
    /// itself (no access control): what a notification's OBJECTS carry (RFC 3413 3.3,
    /// PySNMP's `objects=`). Missing instances come back as noSuchObject or noSuchInstance.
    pub fn read_values(&mut self, now: Instant, oids: &[Oid]) -> Vec<VarBind> {
        let peer = SocketAddr::from(([0, 0, 0, 0], 0));
        let info = RequestInfo::new(
            now,
            peer,
            Version::V3,
            SecurityModel::Any,
            b"",
            SecurityLevel::AuthPriv,
            b"",
        );
        let snapshot = snapshot!(self, now);
        let mut walker = Walker {
            mib: self.contexts.get_mut(&b""[..]),
            snapshot: &snapshot,
            view: None,
            info: &info,
            unrestricted: true,
        };
        oids.iter()
            .map(|oid| VarBind::new(oid.clone(), walker.get(oid)))
            .collect()
    }

    /// Handles one datagram from `peer`: the answer to send back to it, if any.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        peer: SocketAddr,
        data: &Bytes,
    ) -> Option<Bytes> {
        self.handle_datagram_via(now, peer, 0, data)
    }

    /// [`handle_datagram`](Self::handle_datagram) for a driver with several sockets or
    /// connections: `via` names the one the datagram came in on, and comes back with the
    /// answer to a forwarded request ([`Outgoing::Answer`]).
    pub fn handle_datagram_via(
        &mut self,
        now: Instant,
        peer: SocketAddr,
        via: u64,
        data: &Bytes,
    ) -> Option<Bytes> {
        bump(&mut self.stats.in_pkts);
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let answer = match Message::decode(&dec, data) {
            Ok(Message::Community(m)) => self.on_community(now, (peer, via), m),
            Ok(Message::V3(m)) => self.on_v3(now, (peer, via), data, &m),
            Err(e) => {
                if matches!(e.kind, DecodeErrorKind::InvalidValue { what: "msgVersion" }) {
                    bump(&mut self.stats.in_bad_versions);
                } else {
                    bump(&mut self.stats.in_asn_parse_errs);
                }
                None
            }
        };
        if answer.is_some() {
            bump(&mut self.stats.out_pkts);
        }
        answer
    }

    fn on_community(
        &mut self,
        now: Instant,
        (peer, via): (SocketAddr, u64),
        m: CommunityMessage,
    ) -> Option<Bytes> {
        let Some((name, context)) = self.vacm.resolve_community(&m.community, peer.ip()) else {
            bump(&mut self.stats.in_bad_community_names);
            self.authentication_failure(now, peer);
            return None;
        };
        let (name, context) = (
            Bytes::copy_from_slice(name),
            Bytes::copy_from_slice(context),
        );
        if let Some(kind) = proxy_type(m.pdu.pdu_type())
            && self.proxy.is_some()
        {
            let local = self.usm.engine_id().to_bytes();
            let incoming = Incoming {
                version: m.version,
                security_name: &name,
                community: Some(&m.community),
                level: SecurityLevel::NoAuthNoPriv,
                context_engine_id: &local,
                context_name: &context,
            };
            let target = self
                .proxy
                .as_deref()
                .and_then(|p| p.table.request_target(kind, &incoming, &local, &self.vacm));
            if let Some(target) = target {
                let reply = Reply::Community {
                    version: m.version,
                    community: m.community,
                };
                let limit = self.config.max_message_size as usize;
                self.forward(now, (peer, via), reply, m.pdu, target, limit);
                return None;
            }
        }
        let model = if m.version == Version::V1 {
            SecurityModel::V1
        } else {
            SecurityModel::V2c
        };
        let request = Request {
            info: RequestInfo::new(
                now,
                peer,
                m.version,
                model,
                &name,
                SecurityLevel::NoAuthNoPriv,
                &context,
            ),
            limit: self.config.max_message_size as usize,
        };
        let bulk = m.pdu.pdu_type() == PduType::GetBulkRequest;
        let Outcome::Respond(response) = self.process(&request, m.pdu)? else {
            return None;
        };
        let (version, community) = (m.version, m.community);
        self.finish(request.limit, response, bulk, |_, pdu| {
            Message::Community(CommunityMessage {
                version,
                community: community.clone(),
                pdu: Pdu::Response(pdu.clone()),
            })
            .to_bytes()
            .ok()
        })
    }

    fn on_v3(
        &mut self,
        now: Instant,
        (peer, via): (SocketAddr, u64),
        data: &Bytes,
        m: &V3Message,
    ) -> Option<Bytes> {
        if let Err(e) = check_header(&m.header, &[USM_SECURITY_MODEL]) {
            self.mpd.count(&e);
            return None;
        }
        let plain = match &m.data {
            ScopedPduData::Plaintext(s) => Some(s),
            ScopedPduData::Encrypted(_) => None,
        };
        let incoming = match self.usm.process_incoming(now, data, m) {
            Ok(incoming) => incoming,
            Err(UsmFailure::Parse(_)) => {
                bump(&mut self.stats.in_asn_parse_errs);
                return None;
            }
            Err(failure) => {
                if failure == UsmFailure::WrongDigest {
                    self.authentication_failure(now, peer);
                }
                if !may_report(m.header.flags, plain.map(|s| s.pdu.pdu_type())) {
                    return None;
                }
                let vb = self.usm.report_varbind(&failure)?;
                let user = UsmSecurityParameters::decode(
                    &Decoder::new(DecodeOptions::LENIENT),
                    &m.security_parameters,
                )
                .map(|p| p.user_name)
                .unwrap_or_default();
                // notInTimeWindow is reported authenticated, so the manager can trust the
                // clock it carries (RFC 3414 3.2 step 7); the rest at noAuthNoPriv.
                let level = if failure == UsmFailure::NotInTimeWindow {
                    SecurityLevel::AuthNoPriv
                } else {
                    SecurityLevel::NoAuthNoPriv
                };
                let request_id = plain.and_then(|s| s.pdu.request_id()).unwrap_or(0);
                let context = plain.map(|s| s.context_name.clone()).unwrap_or_default();
                return self.report(now, m.header, &user, level, &context, request_id, vb);
            }
        };
        let scoped = incoming.scoped_pdu;
        let request_id = scoped.pdu.request_id().unwrap_or(0);
        let reportable = may_report(m.header.flags, Some(scoped.pdu.pdu_type()));
        let user = incoming.security_name;
        let level = incoming.level;
        let sender_max = usize::try_from(m.header.max_size).unwrap_or(usize::MAX);
        // Whether a proxy forwarder is set and no entry of it takes this request for an
        // engine not ours.
        let mut unproxied = false;
        if let Some(kind) = proxy_type(scoped.pdu.pdu_type())
            && self.proxy.is_some()
        {
            let local = self.usm.engine_id().to_bytes();
            let incoming = Incoming {
                version: Version::V3,
                security_name: &user,
                community: None,
                level,
                context_engine_id: &scoped.context_engine_id,
                context_name: &scoped.context_name,
            };
            let target = self
                .proxy
                .as_deref()
                .and_then(|p| p.table.request_target(kind, &incoming, &local, &self.vacm));
            if let Some(target) = target {
                let reply = Reply::V3 {
                    msg_id: m.header.msg_id,
                    max_size: m.header.max_size,
                    reportable,
                    user,
                    level,
                    context_engine_id: scoped.context_engine_id.clone(),
                    context_name: scoped.context_name.clone(),
                };
                let limit = sender_max.min(self.config.max_message_size as usize);
                self.forward(now, (peer, via), reply, scoped.pdu, target, limit);
                return None;
            }
            unproxied = scoped.context_engine_id != local;
        }
        // The three refusals below: a counter is bumped, then, if the manager asked for
        // Reports, it gets one carrying the counter.
        let refuse = |this: &mut Self, counter: fn(&mut Self) -> &mut u32, name: Oid| {
            let count = counter(this);
            bump(count);
            let vb = VarBind::new(name, Value::Counter32(*count));
            if !reportable {
                return None;
            }
            let context = &scoped.context_name;
            this.report(now, m.header, &user, level, context, request_id, vb)
        };
        // RFC 3413 3.5.1.1: a request for another engine that no entry takes.
        if unproxied {
            return refuse(self, |r| &mut r.stats.proxy_drops, PROXY_DROPS);
        }
        // RFC 3412 7.2 step 9: no application serves another contextEngineID here.
        if scoped.context_engine_id[..] != *self.usm.engine_id().as_bytes() {
            return refuse(
                self,
                |r| &mut r.mpd.unknown_pdu_handlers,
                UNKNOWN_PDU_HANDLERS,
            );
        }
        // RFC 3413 3.2 step 3: an unknown context is reported (a confirmed-class PDU).
        if !self.vacm.has_context(&scoped.context_name) {
            if !scoped.pdu.pdu_type().is_confirmed() {
                bump(&mut self.stats.unknown_contexts);
                return None;
            }
            return refuse(self, |r| &mut r.stats.unknown_contexts, UNKNOWN_CONTEXTS);
        }
        let request = Request {
            info: RequestInfo::new(
                now,
                peer,
                Version::V3,
                SecurityModel::Usm,
                &user,
                level,
                &scoped.context_name,
            ),
            limit: sender_max.min(self.config.max_message_size as usize),
        };
        let bulk = scoped.pdu.pdu_type() == PduType::GetBulkRequest;
        let Outcome::Respond(response) = self.process(&request, scoped.pdu)? else {
            return None;
        };
        let header = self.response_header(m.header.msg_id);
        let context_engine_id = self.usm.engine_id().to_bytes();
        let context_name = scoped.context_name.clone();
        self.finish(request.limit, response, bulk, |this, pdu| {
            let scoped = ScopedPdu {
                context_engine_id: context_engine_id.clone(),
                context_name: context_name.clone(),
                pdu: Pdu::Response(pdu.clone()),
            };
            this.usm
                .generate(now, header, &scoped, &user, &context_engine_id, level)
                .ok()
        })
    }

    fn response_header(&self, msg_id: i32) -> HeaderData {
        HeaderData {
            msg_id,
            max_size: i32::try_from(self.config.max_message_size).unwrap_or(i32::MAX),
            flags: MsgFlags(0),
            security_model: USM_SECURITY_MODEL,
        }
    }

    #[allow(clippy::too_many_arguments)] // the fields of one Report
    fn report(
        &mut self,
        now: Instant,
        request: HeaderData,
        user: &Bytes,
        level: SecurityLevel,
        context_name: &Bytes,
        request_id: i32,
        vb: VarBind,
    ) -> Option<Bytes> {
        let local = self.usm.engine_id().to_bytes();
        let scoped = ScopedPdu {
            context_engine_id: local.clone(),
            context_name: context_name.clone(),
            pdu: Pdu::Report(BasicPdu::new(request_id, vec![vb])),
        };
        let header = self.response_header(request.msg_id);
        self.usm
            .generate(now, header, &scoped, user, &local, level)
            .or_else(|_| {
                // A user unknown to us cannot have an authenticated Report.
                self.usm.generate(
                    now,
                    header,
                    &scoped,
                    user,
                    &local,
                    SecurityLevel::NoAuthNoPriv,
                )
            })
            .ok()
    }

    /// Encodes the response with `encode`, within the size limit: a GETBULK response loses
    /// trailing bindings (RFC 3416 4.2.3), any other becomes tooBig with no bindings (4.2.1),
    /// and if even that is too big the request is dropped (snmpSilentDrops).
    fn finish(
        &mut self,
        limit: usize,
        mut response: BasicPdu,
        bulk: bool,
        mut encode: impl FnMut(&mut Self, &BasicPdu) -> Option<Bytes>,
    ) -> Option<Bytes> {
        loop {
            let out = encode(self, &response)?;
            if out.len() <= limit {
                self.count_out(&response);
                return Some(out);
            }
            if bulk && !response.varbinds.is_empty() {
                let mut excess = out.len() - limit;
                while excess > 0 {
                    let Some(vb) = response.varbinds.pop() else {
                        break;
                    };
                    excess = excess.saturating_sub(self.encoded_len(&vb));
                }
                continue;
            }
            if response.error_status == ErrorStatus::TOO_BIG && response.varbinds.is_empty() {
                bump(&mut self.stats.silent_drops);
                return None;
            }
            response.error_status = ErrorStatus::TOO_BIG;
            response.error_index = 0;
            response.varbinds.clear();
        }
    }

    fn count_out(&mut self, response: &BasicPdu) {
        bump(&mut self.stats.out_get_responses);
        match response.error_status {
            ErrorStatus::TOO_BIG => bump(&mut self.stats.out_too_bigs),
            ErrorStatus::NO_SUCH_NAME => bump(&mut self.stats.out_no_such_names),
            ErrorStatus::BAD_VALUE => bump(&mut self.stats.out_bad_values),
            ErrorStatus::GEN_ERR => bump(&mut self.stats.out_gen_errs),
            _ => {}
        }
    }

    fn encoded_len(&mut self, vb: &VarBind) -> usize {
        self.scratch.clear();
        match vb.encode(&mut self.scratch) {
            Ok(()) => self.scratch.len(),
            Err(_) => 0,
        }
    }

    /// Counts a received PDU and, for a confirmed request, answers it.
    fn process(&mut self, request: &Request<'_>, pdu: Pdu) -> Option<Outcome> {
        let v1 = request.info.version == Version::V1;
        let response = match pdu {
            Pdu::GetRequest(p) => {
                bump(&mut self.stats.in_get_requests);
                add(&mut self.stats.in_total_req_vars, p.varbinds.len());
                self.read(request, &p, false)
            }
            Pdu::GetNextRequest(p) => {
                bump(&mut self.stats.in_get_nexts);
                add(&mut self.stats.in_total_req_vars, p.varbinds.len());
                self.read(request, &p, true)
            }
            Pdu::GetBulkRequest(p) if !v1 => {
                bump(&mut self.stats.in_get_nexts);
                add(&mut self.stats.in_total_req_vars, p.varbinds.len());
                self.bulk(request, &p)
            }
            Pdu::SetRequest(p) => {
                bump(&mut self.stats.in_set_requests);
                self.set(request, &p)
            }
            Pdu::Response(p) => {
                bump(&mut self.stats.in_get_responses);
                self.count_in_error(p.error_status);
                return Some(Outcome::Drop);
            }
            Pdu::TrapV1(_) | Pdu::SnmpV2Trap(_) => {
                bump(&mut self.stats.in_traps);
                return Some(Outcome::Drop);
            }
            // A GETBULK in an SNMPv1 message is not SNMPv1 (RFC 3584 4.1).
            Pdu::GetBulkRequest(_) => {
                bump(&mut self.stats.in_asn_parse_errs);
                return Some(Outcome::Drop);
            }
            // Informs and Reports are for a notification receiver and a command generator.
            _ => {
                bump(&mut self.mpd.unknown_pdu_handlers);
                return Some(Outcome::Drop);
            }
        };
        let mut response = response?;
        if v1 {
            // RFC 3584 4.4: SNMPv1 error codes. `read` and `set` already gave an SNMPv1
            // error answer the request's bindings (4.2.2.1).
            response.error_status = v2_error_to_v1(response.error_status);
        }
        Some(Outcome::Respond(response))
    }

    fn count_in_error(&mut self, status: ErrorStatus) {
        let counter = match status {
            ErrorStatus::TOO_BIG => &mut self.stats.in_too_bigs,
            ErrorStatus::NO_SUCH_NAME => &mut self.stats.in_no_such_names,
            ErrorStatus::BAD_VALUE => &mut self.stats.in_bad_values,
            ErrorStatus::READ_ONLY => &mut self.stats.in_read_onlys,
            ErrorStatus::GEN_ERR => &mut self.stats.in_gen_errs,
            _ => return,
        };
        bump(counter);
    }

    /// The view a request is checked against: `Ok(None)` for an empty view (the access
    /// entry names none of this kind), `Err` with the error-status the whole request gets.
    fn view<'v>(
        vacm: &'v Vacm,
        info: &RequestInfo<'_>,
        kind: ViewKind,
    ) -> Result<Option<View<'v>>, AccessError> {
        match vacm.view_for(
            info.security_model,
            info.security_name,
            info.level,
            kind,
            info.context_name,
        ) {
            Ok(view) => Ok(Some(view)),
            Err(AccessError::NoSuchView) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// A whole-request refusal: authorizationError (noSuchName for SNMPv1, by `process`),
    /// or a drop for an unknown context of a community.
    fn refuse(
        &mut self,
        request: &Request<'_>,
        id: i32,
        varbinds: &[VarBind],
        e: AccessError,
    ) -> Option<BasicPdu> {
        if request.info.security_model != SecurityModel::Usm {
            bump(&mut self.stats.in_bad_community_uses);
        }
        if e == AccessError::NoSuchContext {
            bump(&mut self.stats.unknown_contexts);
            return None;
        }
        let mut r = BasicPdu::new(id, varbinds.to_vec());
        r.error_status = ErrorStatus::AUTHORIZATION_ERROR;
        r.error_index = 0;
        Some(r)
    }

    /// GET (`next == false`) or GETNEXT.
    fn read(&mut self, request: &Request<'_>, pdu: &BasicPdu, next: bool) -> Option<BasicPdu> {
        let info = &request.info;
        let view = match Self::view(&self.vacm, info, ViewKind::Read) {
            Ok(v) => v,
            Err(e) => return self.refuse(request, pdu.request_id, &pdu.varbinds, e),
        };
        let snapshot = snapshot!(self, info.now);
        let mut walker = Walker {
            mib: self.contexts.get_mut(info.context_name),
            snapshot: &snapshot,
            view,
            info,
            unrestricted: false,
        };
        let varbinds: Vec<VarBind> = pdu
            .varbinds
            .iter()
            .map(|vb| {
                if next {
                    walker.next(&vb.oid)
                } else {
                    VarBind::new(vb.oid.clone(), walker.get(&vb.oid))
                }
            })
            .collect();
        let mut response = BasicPdu::new(pdu.request_id, varbinds);
        if info.version == Version::V1 {
            // An SNMPv1 error answer carries the request's bindings.
            if let Some(i) = response.varbinds.iter().position(|vb| {
                vb.value.is_exception() || (!next && matches!(vb.value, Value::Counter64(_)))
            }) {
                response.error_status = ErrorStatus::NO_SUCH_NAME;
                response.error_index = index(i);
                response.varbinds.clone_from(&pdu.varbinds);
            }
        }
        Some(response)
    }

    /// GETBULK (RFC 3416 4.2.3): the non-repeaters once, then up to max-repetitions rows of
    /// the others, stopping early when every column reached endOfMibView, when the
    /// configured binding limit is reached, or when the bindings alone fill the message.
    fn bulk(&mut self, request: &Request<'_>, pdu: &BulkPdu) -> Option<BasicPdu> {
        let info = &request.info;
        let view = match Self::view(&self.vacm, info, ViewKind::Read) {
            Ok(v) => v,
            Err(e) => return self.refuse(request, pdu.request_id, &pdu.varbinds, e),
        };
        let n = usize::try_from(pdu.non_repeaters.max(0))
            .unwrap_or(0)
            .min(pdu.varbinds.len());
        let m = u32::try_from(pdu.max_repetitions.max(0))
            .unwrap_or(0)
            .min(self.config.max_bulk_repetitions);
        let budget = request.limit;
        let max_varbinds = self.config.max_bulk_varbinds;
        let snapshot = snapshot!(self, info.now);
        let mut scratch = Encoder::new();
        let mut size = 0usize;
        let mut walker = Walker {
            mib: self.contexts.get_mut(info.context_name),
            snapshot: &snapshot,
            view,
            info,
            unrestricted: false,
        };
        let mut out = Vec::new();
        let mut push = |out: &mut Vec<VarBind>, vb: VarBind| -> bool {
            scratch.clear();
            size += vb.encode(&mut scratch).map_or(0, |()| scratch.len());
            out.push(vb);
            size <= budget && out.len() < max_varbinds
        };
        let (singles, repeaters) = pdu.varbinds.split_at(n);
        for vb in singles {
            if !push(&mut out, walker.next(&vb.oid)) {
                return Some(BasicPdu::new(pdu.request_id, out));
            }
        }
        let mut row: Vec<Oid> = repeaters.iter().map(|vb| vb.oid.clone()).collect();
        let mut ended = vec![false; row.len()];
        for _ in 0..m {
            if row.is_empty() || ended.iter().all(|e| *e) {
                break;
            }
            for (cursor, ended) in row.iter_mut().zip(ended.iter_mut()) {
                let vb = if *ended {
                    VarBind::new(cursor.clone(), Value::EndOfMibView)
                } else {
                    walker.next(cursor)
                };
                *ended = vb.value == Value::EndOfMibView;
                cursor.clone_from(&vb.oid);
                if !push(&mut out, vb) {
                    return Some(BasicPdu::new(pdu.request_id, out));
                }
            }
        }
        Some(BasicPdu::new(pdu.request_id, out))
    }

    /// SET (RFC 3416 4.2.5): every binding checked against the write view and tested by its
    /// handler, then all committed, the committed ones undone if one fails.
    fn set(&mut self, request: &Request<'_>, pdu: &BasicPdu) -> Option<BasicPdu> {
        let info = &request.info;
        let fail = |status: ErrorStatus, i: usize| {
            let mut r = BasicPdu::new(pdu.request_id, pdu.varbinds.clone());
            r.error_status = status;
            r.error_index = index(i);
            Some(r)
        };
        let view = match Self::view(&self.vacm, info, ViewKind::Write) {
            Ok(v) => v,
            Err(e) => return self.refuse(request, pdu.request_id, &pdu.varbinds, e),
        };
        if let Some(i) = pdu
            .varbinds
            .iter()
            .position(|vb| !view.is_some_and(|v| v.contains(&vb.oid)))
        {
            if info.security_model != SecurityModel::Usm {
                bump(&mut self.stats.in_bad_community_uses);
            }
            return fail(ErrorStatus::NO_ACCESS, i);
        }
        let Some(mib) = self.contexts.get_mut(info.context_name) else {
            return fail(ErrorStatus::NOT_WRITABLE, 0);
        };
        // The bindings of each registration, in the order first met.
        let mut groups: Vec<(usize, Vec<usize>, Vec<VarBind>)> = Vec::new();
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            let Some(entry) = mib.find(&vb.oid) else {
                return fail(ErrorStatus::NOT_WRITABLE, i);
            };
            match groups.iter_mut().find(|(e, _, _)| *e == entry) {
                Some((_, at, vbs)) => {
                    at.push(i);
                    vbs.push(vb.clone());
                }
                None => groups.push((entry, vec![i], vec![vb.clone()])),
            }
        }
        let original = |g: &(usize, Vec<usize>, Vec<VarBind>), e: SetError| {
            g.1.get(e.index).or(g.1.first()).copied().unwrap_or(0)
        };
        // Phase one: test everything.
        let mut builtin_fields: Vec<Vec<Writable>> = vec![Vec::new(); groups.len()];
        let mut usm_plans: Vec<Option<Vec<usm_table::RowPlan>>> =
            groups.iter().map(|_| None).collect();
        let mut usm_undos: Vec<Option<usm_table::Undo>> = groups.iter().map(|_| None).collect();
        // VACM: the tables as the SET leaves them (phase one), then the ones it replaced.
        let mut vacm_swaps: Vec<Option<Vacm>> = groups.iter().map(|_| None).collect();
        let mut tested = 0;
        let mut failure = None;
        for (((g, fields), plans), swap) in groups
            .iter()
            .zip(builtin_fields.iter_mut())
            .zip(usm_plans.iter_mut())
            .zip(vacm_swaps.iter_mut())
        {
            let result = match mib.entry_mut(g.0) {
                Some((_, Entry::Handler(h))) => h.test_set(info, &g.2),
                Some((root, Entry::Builtin)) if root.as_slice() == vacm_table::VACM => {
                    vacm_table::test(&self.vacm, &g.2).map(|v| *swap = Some(v))
                }
                Some((root, Entry::Builtin)) if root.as_slice() == usm_table::USM_USER => {
                    usm_table::test(&self.usm, &self.usm_rows, info, &g.2).map(|p| *plans = Some(p))
                }
                Some((_, Entry::Builtin)) => {
                    g.2.iter()
                        .enumerate()
                        .map(|(k, vb)| builtin::test_set(&self.system, vb, k))
                        .collect::<Result<Vec<_>, _>>()
                        .map(|f| *fields = f)
                }
                None => Err(SetError::new(ErrorStatus::GEN_ERR, 0)),
            };
            tested += 1;
            if let Err(e) = result {
                failure = Some((e.status, original(g, e)));
                break;
            }
        }
        // Phase two: commit, or undo what was committed.
        let mut undo_values: Vec<Vec<Value>> = vec![Vec::new(); groups.len()];
        if failure.is_none() {
            for (k, g) in groups.iter().enumerate() {
                let result = match mib.entry_mut(g.0) {
                    Some((_, Entry::Handler(h))) => h.commit_set(info, &g.2),
                    Some((root, Entry::Builtin)) if root.as_slice() == vacm_table::VACM => {
                        if let Some(slot) = vacm_swaps.get_mut(k)
                            && let Some(new) = slot.take()
                        {
                            *slot = Some(std::mem::replace(&mut self.vacm, new));
                        }
                        Ok(())
                    }
                    Some((root, Entry::Builtin)) if root.as_slice() == usm_table::USM_USER => {
                        let plans = usm_plans
                            .get(k)
                            .and_then(Option::as_deref)
                            .unwrap_or_default();
                        let undo = usm_table::commit(&mut self.usm, &mut self.usm_rows, plans);
                        if let Some(slot) = usm_undos.get_mut(k) {
                            *slot = Some(undo);
                        }
                        Ok(())
                    }
                    Some((_, Entry::Builtin)) => {
                        let fields = builtin_fields.get(k).map(Vec::as_slice).unwrap_or_default();
                        let olds = fields
                            .iter()
                            .zip(&g.2)
                            .map(|(f, vb)| {
                                builtin::commit(
                                    &mut self.system,
                                    &mut self.enable_authen_traps,
                                    *f,
                                    &vb.value,
                                )
                            })
                            .collect();
                        if let Some(slot) = undo_values.get_mut(k) {
                            *slot = olds;
                        }
                        Ok(())
                    }
                    None => Err(SetError::new(ErrorStatus::GEN_ERR, 0)),
                };
                if let Err(e) = result {
                    let mut status = ErrorStatus::COMMIT_FAILED;
                    for (j, done) in groups.iter().enumerate().take(k).rev() {
                        let undone = match mib.entry_mut(done.0) {
                            Some((_, Entry::Handler(h))) => h.undo_set(info, &done.2).is_ok(),
                            Some((root, Entry::Builtin)) if root.as_slice() == vacm_table::VACM => {
                                if let Some(old) = vacm_swaps.get_mut(j).and_then(Option::take) {
                                    self.vacm = old;
                                }
                                true
                            }
                            Some((root, Entry::Builtin))
                                if root.as_slice() == usm_table::USM_USER =>
                            {
                                if let Some(u) = usm_undos.get_mut(j).and_then(Option::take) {
                                    usm_table::undo(&mut self.usm, &mut self.usm_rows, u);
                                }
                                true
                            }
                            Some((_, Entry::Builtin)) => {
                                let fields =
                                    builtin_fields.get(j).map(Vec::as_slice).unwrap_or_default();
                                let olds =
                                    undo_values.get(j).map(Vec::as_slice).unwrap_or_default();
                                for (f, old) in fields.iter().zip(olds) {
                                    builtin::commit(
                                        &mut self.system,
                                        &mut self.enable_authen_traps,
                                        *f,
                                        old,
                                    );
                                }
                                true
                            }
                            None => false,
                        };
                        if !undone {
                            status = ErrorStatus::UNDO_FAILED;
                        }
                    }
                    failure = Some((status, original(g, e)));
                    break;
                }
            }
        }
        for g in groups.iter().take(tested) {
            if let Some((_, Entry::Handler(h))) = mib.entry_mut(g.0) {
                h.cleanup_set(info, &g.2);
            }
        }
        match failure {
            Some((status, i)) => {
                let status = if info.version == Version::V1 {
                    v2_error_to_v1(status)
                } else {
                    status
                };
                fail(status, i)
            }
            None => {
                add(&mut self.stats.in_total_set_vars, pdu.varbinds.len());
                Some(BasicPdu::new(pdu.request_id, pdu.varbinds.clone()))
            }
        }
    }
}

/// Reads one context's MIB for one request, through its view.
struct Walker<'m, 's, 'v, 'i> {
    mib: Option<&'m mut Mib>,
    snapshot: &'s Snapshot<'s>,
    view: Option<View<'v>>,
    info: &'i RequestInfo<'i>,
    /// The engine's own reads (a notification's objects): no view applies.
    unrestricted: bool,
}

impl Walker<'_, '_, '_, '_> {
    fn in_view(&self, oid: &Oid) -> bool {
        self.unrestricted || self.view.is_some_and(|v| v.contains(oid))
    }

    fn get(&mut self, oid: &Oid) -> Value {
        if !self.in_view(oid) {
            return Value::NoSuchObject;
        }
        let Some(mib) = self.mib.as_deref_mut() else {
            return Value::NoSuchObject;
        };
        let Some(i) = mib.find(oid) else {
            return Value::NoSuchObject;
        };
        match mib.entry_mut(i) {
            Some((_, Entry::Handler(h))) => h.get(self.info, oid),
            Some((_, Entry::Builtin)) => self.snapshot.get(oid),
            None => Value::NoSuchObject,
        }
    }

    /// The first instance after `start` in the view, or endOfMibView.
    fn next(&mut self, start: &Oid) -> VarBind {
        let mut cursor = start.clone();
        for _ in 0..MAX_SKIPS {
            let Some(vb) = self.next_instance(&cursor) else {
                break;
            };
            let skip = !self.in_view(&vb.oid)
                || vb.value.is_exception()
                || (self.info.version == Version::V1 && matches!(vb.value, Value::Counter64(_)));
            if !skip {
                return vb;
            }
            cursor = vb.oid;
        }
        VarBind::new(start.clone(), Value::EndOfMibView)
    }

    /// The first instance any handler has after `cursor`.
    fn next_instance(&mut self, cursor: &Oid) -> Option<VarBind> {
        let mib = self.mib.as_deref_mut()?;
        let mut i = mib.first_from(cursor);
        while let Some((root, entry)) = mib.entry_mut(i) {
            let from = if cursor < root { root } else { cursor };
            let found = match entry {
                Entry::Handler(h) => h.get_next(self.info, from),
                Entry::Builtin => self.snapshot.get_next(root, from),
            };
            // A handler that answers out of order or out of its subtree is passed over.
            if let Some(vb) = found
                && vb.oid > *cursor
                && vb.oid.starts_with(root)
            {
                return Some(vb);
            }
            i += 1;
        }
        None
    }
}

/// The proxy forwarder's half of the responder (RFC 3413 section 3.5.1).
impl CommandResponder {
    /// Sends `pdu` on to `target`, to answer `peer` when the target has.
    fn forward(
        &mut self,
        now: Instant,
        (peer, via): (SocketAddr, u64),
        reply: Reply,
        pdu: Pdu,
        target: Target,
        limit: usize,
    ) {
        let (asked, p) = match pdu {
            Pdu::GetRequest(p) => {
                bump(&mut self.stats.in_get_requests);
                (Asked::Get, p)
            }
            Pdu::GetNextRequest(p) => {
                bump(&mut self.stats.in_get_nexts);
                (Asked::GetNext, p)
            }
            Pdu::GetBulkRequest(p) if !reply.v1() => {
                bump(&mut self.stats.in_get_nexts);
                let asked = Asked::GetBulk {
                    non_repeaters: p.non_repeaters,
                    max_repetitions: p.max_repetitions,
                };
                (asked, BasicPdu::new(p.request_id, p.varbinds))
            }
            Pdu::SetRequest(p) => {
                bump(&mut self.stats.in_set_requests);
                (Asked::Set, p)
            }
            // A GETBULK in an SNMPv1 message is not SNMPv1 (RFC 3584 4.1).
            Pdu::GetBulkRequest(_) => {
                bump(&mut self.stats.in_asn_parse_errs);
                return;
            }
            _ => return,
        };
        if asked != Asked::Set {
            add(&mut self.stats.in_total_req_vars, p.varbinds.len());
        }
        let Some(proxy) = self.proxy.as_deref_mut() else {
            return;
        };
        if proxy.pending.len() >= MAX_FORWARDED {
            bump(&mut self.stats.proxy_drops);
            return;
        }
        let n = p.varbinds.len();
        let out = outgoing_pdu(asked, &target, p.varbinds.clone());
        let handle = proxy.generator.send(now, &target, out);
        proxy.pending.insert(
            handle,
            Pending {
                peer,
                via,
                reply,
                request_id: p.request_id,
                asked,
                target,
                request: p.varbinds,
                results: vec![None; n],
                in_flight: (0..n).collect(),
                rounds: 0,
                limit,
            },
        );
        self.proxy_events(now);
    }

    /// Turns what the forwarder's generator reports into answers.
    fn proxy_events(&mut self, now: Instant) {
        loop {
            let Some(proxy) = self.proxy.as_deref_mut() else {
                return;
            };
            let Some(event) = proxy.generator.poll_event() else {
                return;
            };
            match event {
                Event::Response {
                    handle, response, ..
                } => {
                    if let Some(pending) = proxy.pending.remove(&handle) {
                        self.proxy_response(now, pending, response);
                    }
                }
                Event::Failed { handle, .. } => {
                    if let Some(pending) = proxy.pending.remove(&handle) {
                        self.proxy_failed(now, &pending);
                    }
                }
            }
        }
    }

    /// RFC 3413 3.5.1.2: the target answered.
    fn proxy_response(&mut self, now: Instant, mut p: Pending, response: BasicPdu) {
        let target_v1 = matches!(
            p.target.security,
            Security::Community {
                version: Version::V1,
                ..
            }
        );
        // A GETBULK the target took as such: its answer is the answer.
        if matches!(p.asked, Asked::GetBulk { .. }) && !target_v1 {
            let mut answer = response;
            answer.request_id = p.request_id;
            return self.proxy_answer(now, &p, answer);
        }
        let status = response.error_status;
        if !status.is_ok() {
            let k = usize::try_from(response.error_index)
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|k| p.in_flight.get(k).copied());
            // An SNMPv1 agent ends a walk with noSuchName: endOfMibView for that binding
            // (RFC 3584 4.4), and the others are asked again.
            if status == ErrorStatus::NO_SUCH_NAME
                && target_v1
                && !p.reply.v1()
                && matches!(p.asked, Asked::GetNext | Asked::GetBulk { .. })
                && let Some(k) = k
            {
                if let (Some(slot), Some(asked)) = (p.results.get_mut(k), p.request.get(k)) {
                    *slot = Some(VarBind::new(asked.oid.clone(), Value::EndOfMibView));
                }
                p.in_flight.retain(|&i| i != k);
                if p.in_flight.is_empty() {
                    let answer = self.collected(&p);
                    return self.proxy_answer(now, &p, answer);
                }
                let again = null_bindings(&p.request, &p.in_flight);
                return self.reforward(now, p, again);
            }
            let mut answer = BasicPdu::new(p.request_id, p.request.clone());
            answer.error_status = status;
            answer.error_index = k.map_or(0, index);
            return self.proxy_answer(now, &p, answer);
        }
        if response.varbinds.len() < p.in_flight.len() {
            let mut answer = BasicPdu::new(p.request_id, p.request.clone());
            answer.error_status = ErrorStatus::GEN_ERR;
            return self.proxy_answer(now, &p, answer);
        }
        let mut counter64 = Vec::new();
        for (vb, &k) in response.varbinds.into_iter().zip(&p.in_flight) {
            // An SNMPv1 manager cannot see a Counter64: a GETNEXT goes on past it
            // (RFC 3584 4.2.2.1).
            if p.reply.v1() && p.asked == Asked::GetNext && matches!(vb.value, Value::Counter64(_))
            {
                counter64.push((k, VarBind::null(vb.oid.clone())));
            }
            if let Some(slot) = p.results.get_mut(k) {
                *slot = Some(vb);
            }
        }
        if counter64.is_empty() {
            let answer = self.collected(&p);
            return self.proxy_answer(now, &p, answer);
        }
        p.in_flight = counter64.iter().map(|(k, _)| *k).collect();
        let again = counter64.into_iter().map(|(_, vb)| vb).collect();
        self.reforward(now, p, again);
    }

    /// The answer made of the results gathered.
    fn collected(&self, p: &Pending) -> BasicPdu {
        let varbinds = p
            .results
            .iter()
            .zip(&p.request)
            .map(|(r, asked)| {
                r.clone()
                    .unwrap_or_else(|| VarBind::null(asked.oid.clone()))
            })
            .collect();
        BasicPdu::new(p.request_id, varbinds)
    }

    /// Sends part of a forwarded request again (`varbinds`, for `p.in_flight`).
    fn reforward(&mut self, now: Instant, mut p: Pending, varbinds: Vec<VarBind>) {
        p.rounds += 1;
        if p.rounds > MAX_ROUNDS {
            let mut answer = BasicPdu::new(p.request_id, p.request.clone());
            answer.error_status = ErrorStatus::GEN_ERR;
            return self.proxy_answer(now, &p, answer);
        }
        let asked = if p.asked == Asked::Get {
            Asked::Get
        } else {
            Asked::GetNext
        };
        let Some(proxy) = self.proxy.as_deref_mut() else {
            return;
        };
        let handle = proxy
            .generator
            .send(now, &p.target, outgoing_pdu(asked, &p.target, varbinds));
        proxy.pending.insert(handle, p);
    }

    /// Sends `answer` to the manager of `p`, in its version and within its size limit.
    fn proxy_answer(&mut self, now: Instant, p: &Pending, mut answer: BasicPdu) {
        if p.reply.v1() {
            answer = match v2_response_to_v1(&answer, p.asked.pdu_type()) {
                Ok(a) => a,
                Err(_) => {
                    let mut a = BasicPdu::new(p.request_id, p.request.clone());
                    a.error_status = ErrorStatus::GEN_ERR;
                    a
                }
            };
            if !answer.error_status.is_ok() {
                // An SNMPv1 error answer carries the request's bindings (RFC 1157 4.1).
                answer.varbinds.clone_from(&p.request);
            }
        }
        let bulk = matches!(p.asked, Asked::GetBulk { .. });
        let contents = match &p.reply {
            Reply::Community { version, community } => {
                self.finish(p.limit, answer, bulk, |_, pdu| {
                    Message::Community(CommunityMessage {
                        version: *version,
                        community: community.clone(),
                        pdu: Pdu::Response(pdu.clone()),
                    })
                    .to_bytes()
                    .ok()
                })
            }
            Reply::V3 {
                msg_id,
                user,
                level,
                context_engine_id,
                context_name,
                ..
            } => {
                let header = self.response_header(*msg_id);
                // The context is the request's (another engine's, for a proxy addressed by
                // contextEngineID); the security is ours, the authoritative engine.
                let local = self.usm.engine_id().to_bytes();
                self.finish(p.limit, answer, bulk, |this, pdu| {
                    let scoped = ScopedPdu {
                        context_engine_id: context_engine_id.clone(),
                        context_name: context_name.clone(),
                        pdu: Pdu::Response(pdu.clone()),
                    };
                    this.usm
                        .generate(now, header, &scoped, user, &local, *level)
                        .ok()
                })
            }
        };
        if let Some(contents) = contents {
            bump(&mut self.stats.out_pkts);
            self.outgoing.push_back(Outgoing::Answer {
                peer: p.peer,
                via: p.via,
                contents,
            });
        }
    }

    /// The target did not answer (or answered with a Report): a proxy drop, reported to an
    /// SNMPv3 manager that asked for Reports (RFC 3413 3.5.1.2 and 3.5.1.3); an SNMPv1 or
    /// SNMPv2c manager times out, as it would with the target itself.
    fn proxy_failed(&mut self, now: Instant, p: &Pending) {
        bump(&mut self.stats.proxy_drops);
        let Reply::V3 {
            msg_id,
            max_size,
            reportable: true,
            user,
            level,
            context_name,
            ..
        } = &p.reply
        else {
            return;
        };
        let header = HeaderData {
            msg_id: *msg_id,
            max_size: *max_size,
            flags: MsgFlags(0),
            security_model: USM_SECURITY_MODEL,
        };
        let vb = proxy_drops_varbind(self.stats.proxy_drops);
        if let Some(contents) =
            self.report(now, header, user, *level, context_name, p.request_id, vb)
        {
            bump(&mut self.stats.out_pkts);
            self.outgoing.push_back(Outgoing::Answer {
                peer: p.peer,
                via: p.via,
                contents,
            });
        }
    }
}

/// The snmpProxyTable type that forwards a PDU of this type, for the request kinds.
fn proxy_type(pdu: PduType) -> Option<ProxyType> {
    match pdu {
        PduType::GetRequest | PduType::GetNextRequest | PduType::GetBulkRequest => {
            Some(ProxyType::Read)
        }
        PduType::SetRequest => Some(ProxyType::Write),
        _ => None,
    }
}

/// snmpProxyDrops.0 (SNMPv2-MIB), the binding of a proxy's Report.
fn proxy_drops_varbind(drops: u32) -> VarBind {
    VarBind::new(PROXY_DROPS, Value::Counter32(drops))
}

/// snmpProxyDrops.0 (SNMPv2-MIB).
const PROXY_DROPS: Oid = oid!(1, 3, 6, 1, 2, 1, 11, 32, 0);
/// snmpUnknownPDUHandlers.0 (SNMP-MPD-MIB).
const UNKNOWN_PDU_HANDLERS: Oid = oid!(1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0);
/// snmpUnknownContexts.0 (SNMP-TARGET-MIB).
const UNKNOWN_CONTEXTS: Oid = oid!(1, 3, 6, 1, 6, 3, 12, 1, 5, 0);

fn bump(counter: &mut u32) {
    *counter = counter.wrapping_add(1);
}

fn add(counter: &mut u32, n: usize) {
    *counter = counter.wrapping_add(u32::try_from(n).unwrap_or(u32::MAX));
}

/// A 1-based error-index.
fn index(i: usize) -> i32 {
    i32::try_from(i + 1).unwrap_or(i32::MAX)
}
