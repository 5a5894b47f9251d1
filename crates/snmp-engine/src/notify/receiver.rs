//! The notification receiver of RFC 3413 section 3.4, sans-IO: SNMPv1, SNMPv2c and SNMPv3
//! traps and informs in, events out; informs answered, duplicates suppressed.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, SecurityLevel,
    V3Message, Version, check_header, may_report, v1_trap_to_v2,
};
use snmp_smi::{BasicPdu, Pdu, TrapV1Pdu, VarBind};
use snmp_usm::{USM_SECURITY_MODEL, Usm, UsmFailure, UsmSecurityParameters};

use super::NotificationKind;
use crate::Transmit;

/// The most informs remembered for duplicate suppression, whatever the window.
const MAX_REMEMBERED: usize = 65_536;

/// How a [`NotificationReceiver`] behaves: `Default` plus setters.
///
/// - `community`: a community accepted from SNMPv1 and SNMPv2c senders (snmptrapd's
///   `authCommunity`); none added: every community is accepted.
/// - `learn_engine_ids`: whether SNMPv3 traps are accepted from engines not configured,
///   the keys of a user of no particular engine being localized to whatever authoritative
///   engine ID the trap carries (PySNMP users' most asked-for mode). Off by default: a
///   trap's engine must be that of a user bound to it ([`UsmUser::for_engine`](snmp_usm::UsmUser::for_engine),
///   snmptrapd's `createUser -e`).
/// - `duplicate_window`: how long an inform is remembered (by source, version, security name
///   and request-id), so that its retries are answered but delivered once. Default 60 s.
/// - `max_message_size`: this engine's msgMaxSize. Default 65507.
///
/// ```
/// use std::time::Duration;
/// use snmp_engine::ReceiverConfig;
///
/// let mut config = ReceiverConfig::default();
/// config.community("public").learn_engine_ids(true).duplicate_window(Duration::from_secs(30));
/// ```
#[derive(Clone, Debug)]
pub struct ReceiverConfig {
    communities: Vec<Bytes>,
    learn_engine_ids: bool,
    duplicate_window: Duration,
    max_message_size: u32,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        Self {
            communities: Vec::new(),
            learn_engine_ids: false,
            duplicate_window: Duration::from_secs(60),
            max_message_size: 65507,
        }
    }
}

impl ReceiverConfig {
    /// Accepts `community` from SNMPv1 and SNMPv2c senders (once one is added, others are
    /// refused and counted as authentication failures).
    pub fn community(&mut self, community: impl Into<Bytes>) -> &mut Self {
        self.communities.push(community.into());
        self
    }

    /// Whether SNMPv3 traps from engines not configured are accepted, their engine ID learnt.
    pub fn learn_engine_ids(&mut self, on: bool) -> &mut Self {
        self.learn_engine_ids = on;
        self
    }

    /// How long an inform is remembered to suppress its duplicates.
    pub fn duplicate_window(&mut self, window: Duration) -> &mut Self {
        self.duplicate_window = window;
        self
    }

    /// The largest message this engine accepts (msgMaxSize of its answers), at least 484.
    pub fn max_message_size(&mut self, size: u32) -> &mut Self {
        self.max_message_size = size.clamp(484, 2_147_483_647);
        self
    }
}

/// A notification received: the output of [`NotificationReceiver::poll_event`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedNotification {
    /// Where it came from.
    pub from: SocketAddr,
    /// The message version.
    pub version: Version,
    /// A trap (SNMPv1 Trap-PDU or SNMPv2-Trap) or an inform (answered already).
    pub kind: NotificationKind,
    /// The security level: noAuthNoPriv for SNMPv1 and SNMPv2c.
    pub security_level: SecurityLevel,
    /// The community (SNMPv1, SNMPv2c) or the USM user name (SNMPv3).
    pub security_name: Bytes,
    /// SNMPv3: the authoritative engine's ID (the sender's for a trap, this receiver's for an
    /// inform); empty otherwise.
    pub engine_id: Bytes,
    /// SNMPv3 contextEngineID; empty otherwise.
    pub context_engine_id: Bytes,
    /// SNMPv3 contextName; empty otherwise.
    pub context_name: Bytes,
    /// The PDU's request-id (0 for an SNMPv1 trap, which has none).
    pub request_id: i32,
    /// The bindings in SNMPv2 form: `sysUpTime.0`, `snmpTrapOID.0`, then the objects. An
    /// SNMPv1 trap is translated (RFC 3584 3.1): time-stamp becomes `sysUpTime.0`, and
    /// `snmpTrapOID.0` is built from enterprise, generic-trap and specific-trap.
    pub varbinds: Vec<VarBind>,
    /// An SNMPv1 trap as received (enterprise, agent-addr, generic and specific trap).
    pub v1_trap: Option<Box<TrapV1Pdu>>,
}

/// What the receiver refused or remarked, by reason.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceiverStats {
    /// Traps delivered.
    pub traps: u64,
    /// Informs delivered (each once, however many times it came).
    pub informs: u64,
    /// Informs that came again within the window: answered, not delivered.
    pub duplicates: u64,
    /// Not an SNMP message, or an invalid SNMPv3 header (snmpInASNParseErrs, snmpInvalidMsgs,
    /// snmpUnknownSecurityModels).
    pub malformed: u64,
    /// SNMPv1 and SNMPv2c messages of a community not accepted (snmpInBadCommunityNames).
    pub bad_communities: u64,
    /// SNMPv3 messages that USM refused; [`NotificationReceiver::usm`] has the usmStats of
    /// each reason.
    pub security_failures: u64,
    /// Authentication failures: bad communities, and SNMPv3 messages with a wrong digest or
    /// that do not decrypt (each an `authenticationFailure`).
    pub auth_failures: u64,
    /// PDUs that are not notifications (requests, responses), or informs whose authoritative
    /// engine is not this one.
    pub unexpected_pdus: u64,
    /// Reports sent (engine discovery and time synchronisation of inform senders, and other
    /// USM errors of reportable messages).
    pub reports: u64,
}

type DupKey = (SocketAddr, Version, Bytes, i32);

/// The notification receiver of RFC 3413 section 3.4, sans-IO.
///
/// It reads no clock and opens no socket. After each [`handle_datagram`](Self::handle_datagram)
/// the driver sends every datagram of [`poll_transmit`](Self::poll_transmit) (answers to
/// informs, and Reports) to its destination, and takes every
/// [`poll_event`](Self::poll_event). It needs no timer. Time never goes backwards.
///
/// - SNMPv1 and SNMPv2c: the community must be one of [`ReceiverConfig::community`] (if any
///   is set). SNMPv1 traps are delivered in SNMPv2 form (RFC 3584 3.1), with the original
///   fields in [`ReceivedNotification::v1_trap`].
/// - SNMPv3 traps: the sender is authoritative; its engine must be that of a user bound to it,
///   or be learnt ([`ReceiverConfig::learn_engine_ids`]). A trap that USM refuses (a wrong
///   key...) is counted and dropped, never reported (traps are not reportable).
/// - SNMPv3 informs: this receiver is authoritative (the USM's engine ID): the sender
///   discovers it and its clock through the Reports sent here (RFC 3414 4).
/// - Informs are answered with a Response of the same request-id and bindings; one that
///   comes again from the same source with the same request-id within the window (a retry)
///   is answered again but delivered once.
pub struct NotificationReceiver {
    config: ReceiverConfig,
    usm: Usm,
    /// The informs seen recently, and when.
    seen: HashMap<DupKey, Instant>,
    order: VecDeque<(Instant, DupKey)>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<ReceivedNotification>,
    auth_failures: VecDeque<SocketAddr>,
    stats: ReceiverStats,
}

impl core::fmt::Debug for NotificationReceiver {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("NotificationReceiver")
            .field("usm", &self.usm)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

/// What one SNMPv3 message is, once USM accepted it.
struct V3Source {
    engine_id: Bytes,
    user: Bytes,
    level: SecurityLevel,
    context_engine_id: Bytes,
    context_name: Bytes,
    msg_id: i32,
}

impl NotificationReceiver {
    /// A receiver with `config`, securing SNMPv3 with `usm` (this engine's snmpEngineID,
    /// authoritative for informs, and the users: bound to remote engines with
    /// [`UsmUser::for_engine`](snmp_usm::UsmUser::for_engine), or of any engine).
    pub fn new(config: ReceiverConfig, mut usm: Usm) -> Self {
        usm.discover_unknown_engines(config.learn_engine_ids);
        Self {
            config,
            usm,
            seen: HashMap::new(),
            order: VecDeque::new(),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            auth_failures: VecDeque::new(),
            stats: ReceiverStats::default(),
        }
    }

    /// The USM, to read its counters (usmStats) and engine ID.
    pub fn usm(&self) -> &Usm {
        &self.usm
    }

    /// The USM, to add users.
    pub fn usm_mut(&mut self) -> &mut Usm {
        &mut self.usm
    }

    /// The counters.
    pub fn stats(&self) -> ReceiverStats {
        self.stats
    }

    /// The next datagram to send (an inform's Response, or a Report).
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next notification received.
    pub fn poll_event(&mut self) -> Option<ReceivedNotification> {
        self.events.pop_front()
    }

    /// The source of the next message that failed authentication (an unknown community, a
    /// wrong SNMPv3 digest or key), oldest first, for an authenticationFailure notification;
    /// at most 64 wait, newer ones are dropped until they are taken.
    pub fn poll_auth_failure(&mut self) -> Option<SocketAddr> {
        self.auth_failures.pop_front()
    }

    fn auth_failure(&mut self, from: SocketAddr) {
        self.stats.auth_failures += 1;
        if self.auth_failures.len() < 64 {
            self.auth_failures.push_back(from);
        }
    }

    /// A datagram received from `from`.
    pub fn handle_datagram(&mut self, now: Instant, from: SocketAddr, data: Bytes) {
        self.expire(now);
        let dec = Decoder::new(DecodeOptions::LENIENT);
        match Message::decode(&dec, &data) {
            Ok(Message::Community(m)) => self.on_community(now, from, m),
            Ok(Message::V3(m)) => self.on_v3(now, from, &data, &m),
            Err(_) => self.stats.malformed += 1,
        }
    }

    fn expire(&mut self, now: Instant) {
        while let Some((at, _)) = self.order.front() {
            if now.saturating_duration_since(*at) < self.config.duplicate_window
                && self.order.len() <= MAX_REMEMBERED
            {
                break;
            }
            if let Some((at, key)) = self.order.pop_front()
                && self.seen.get(&key) == Some(&at)
            {
                self.seen.remove(&key);
            }
        }
    }

    /// Whether the inform `key` was seen within the window; notes it if not.
    fn duplicate(&mut self, now: Instant, key: DupKey) -> bool {
        if self.seen.contains_key(&key) {
            self.stats.duplicates += 1;
            return true;
        }
        self.seen.insert(key.clone(), now);
        self.order.push_back((now, key));
        false
    }

    fn on_community(&mut self, now: Instant, from: SocketAddr, m: CommunityMessage) {
        if !self.config.communities.is_empty() && !self.config.communities.contains(&m.community) {
            self.stats.bad_communities += 1;
            self.auth_failure(from);
            return;
        }
        let notification = |kind, request_id, varbinds, v1_trap| ReceivedNotification {
            from,
            version: m.version,
            kind,
            security_level: SecurityLevel::NoAuthNoPriv,
            security_name: m.community.clone(),
            engine_id: Bytes::new(),
            context_engine_id: Bytes::new(),
            context_name: Bytes::new(),
            request_id,
            varbinds,
            v1_trap,
        };
        match (m.version, &m.pdu) {
            (Version::V1, Pdu::TrapV1(trap)) => {
                let varbinds = v1_trap_to_v2(trap, None);
                let event = notification(NotificationKind::Trap, 0, varbinds, Some(trap.clone()));
                self.deliver(event);
            }
            (Version::V2c, Pdu::SnmpV2Trap(p)) => {
                let event = notification(
                    NotificationKind::Trap,
                    p.request_id,
                    p.varbinds.clone(),
                    None,
                );
                self.deliver(event);
            }
            (Version::V2c, Pdu::InformRequest(p)) => {
                let response = Message::Community(CommunityMessage {
                    version: m.version,
                    community: m.community.clone(),
                    pdu: Pdu::Response(BasicPdu::new(p.request_id, p.varbinds.clone())),
                });
                if let Ok(contents) = response.to_bytes() {
                    self.transmits.push_back(Transmit {
                        destination: from,
                        contents,
                    });
                }
                let key = (from, m.version, m.community.clone(), p.request_id);
                if !self.duplicate(now, key) {
                    let event = notification(
                        NotificationKind::Inform,
                        p.request_id,
                        p.varbinds.clone(),
                        None,
                    );
                    self.deliver(event);
                }
            }
            _ => self.stats.unexpected_pdus += 1,
        }
    }

    fn on_v3(&mut self, now: Instant, from: SocketAddr, data: &Bytes, m: &V3Message) {
        if check_header(&m.header, &[USM_SECURITY_MODEL]).is_err() {
            self.stats.malformed += 1;
            return;
        }
        let incoming = match self.usm.process_incoming(now, data, m) {
            Ok(incoming) => incoming,
            Err(UsmFailure::Parse(_)) => {
                self.stats.malformed += 1;
                return;
            }
            Err(failure) => return self.refuse(now, from, m, &failure),
        };
        let scoped = incoming.scoped_pdu;
        let source = V3Source {
            engine_id: incoming.engine_id,
            user: incoming.security_name,
            level: incoming.level,
            context_engine_id: scoped.context_engine_id,
            context_name: scoped.context_name,
            msg_id: m.header.msg_id,
        };
        match scoped.pdu {
            Pdu::SnmpV2Trap(p) => {
                let event = Self::v3_event(from, NotificationKind::Trap, &source, p);
                self.deliver(event);
            }
            Pdu::InformRequest(p) if source.engine_id[..] == *self.usm.engine_id().as_bytes() => {
                self.answer_inform(now, from, &source, &p);
                let key = (from, Version::V3, source.user.clone(), p.request_id);
                if !self.duplicate(now, key) {
                    let event = Self::v3_event(from, NotificationKind::Inform, &source, p);
                    self.deliver(event);
                }
            }
            _ => self.stats.unexpected_pdus += 1,
        }
    }

    fn v3_event(
        from: SocketAddr,
        kind: NotificationKind,
        source: &V3Source,
        p: BasicPdu,
    ) -> ReceivedNotification {
        ReceivedNotification {
            from,
            version: Version::V3,
            kind,
            security_level: source.level,
            security_name: source.user.clone(),
            engine_id: source.engine_id.clone(),
            context_engine_id: source.context_engine_id.clone(),
            context_name: source.context_name.clone(),
            request_id: p.request_id,
            varbinds: p.varbinds,
            v1_trap: None,
        }
    }

    fn deliver(&mut self, event: ReceivedNotification) {
        match event.kind {
            NotificationKind::Trap => self.stats.traps += 1,
            NotificationKind::Inform => self.stats.informs += 1,
        }
        self.events.push_back(event);
    }

    fn header(&self, msg_id: i32) -> HeaderData {
        HeaderData {
            msg_id,
            max_size: i32::try_from(self.config.max_message_size).unwrap_or(i32::MAX),
            flags: MsgFlags(0),
            security_model: USM_SECURITY_MODEL,
        }
    }

    /// The Response to an SNMPv3 inform: same msgID, user, level and context; this engine
    /// authoritative.
    fn answer_inform(&mut self, now: Instant, to: SocketAddr, source: &V3Source, p: &BasicPdu) {
        let local = self.usm.engine_id().to_bytes();
        let scoped = ScopedPdu {
            context_engine_id: source.context_engine_id.clone(),
            context_name: source.context_name.clone(),
            pdu: Pdu::Response(BasicPdu::new(p.request_id, p.varbinds.clone())),
        };
        let header = self.header(source.msg_id);
        if let Ok(contents) =
            self.usm
                .generate(now, header, &scoped, &source.user, &local, source.level)
        {
            self.transmits.push_back(Transmit {
                destination: to,
                contents,
            });
        }
    }

    /// A message USM refused: counted, and reported if it asks for it (an inform, or an
    /// engine discovery probe; never a trap).
    fn refuse(&mut self, now: Instant, from: SocketAddr, m: &V3Message, failure: &UsmFailure) {
        self.stats.security_failures += 1;
        if matches!(
            failure,
            UsmFailure::WrongDigest | UsmFailure::DecryptionError
        ) {
            self.auth_failure(from);
        }
        let plain = match &m.data {
            ScopedPduData::Plaintext(s) => Some(s),
            ScopedPduData::Encrypted(_) => None,
        };
        if !may_report(m.header.flags, plain.map(|s| s.pdu.pdu_type())) {
            return;
        }
        let Some(vb) = self.usm.report_varbind(failure) else {
            return;
        };
        let user = UsmSecurityParameters::decode(
            &Decoder::new(DecodeOptions::LENIENT),
            &m.security_parameters,
        )
        .map(|p| p.user_name)
        .unwrap_or_default();
        // notInTimeWindow is reported authenticated, so that the sender can trust the clock
        // it carries (RFC 3414 3.2 step 7); the rest at noAuthNoPriv.
        let level = if *failure == UsmFailure::NotInTimeWindow {
            SecurityLevel::AuthNoPriv
        } else {
            SecurityLevel::NoAuthNoPriv
        };
        let local = self.usm.engine_id().to_bytes();
        let scoped = ScopedPdu {
            context_engine_id: local.clone(),
            context_name: plain.map(|s| s.context_name.clone()).unwrap_or_default(),
            pdu: Pdu::Report(BasicPdu::new(
                plain.and_then(|s| s.pdu.request_id()).unwrap_or(0),
                vec![vb],
            )),
        };
        let header = self.header(m.header.msg_id);
        let wire = self
            .usm
            .generate(now, header, &scoped, &user, &local, level)
            .or_else(|_| {
                // A user unknown to us cannot have an authenticated Report.
                self.usm.generate(
                    now,
                    header,
                    &scoped,
                    &user,
                    &local,
                    SecurityLevel::NoAuthNoPriv,
                )
            });
        if let Ok(contents) = wire {
            self.stats.reports += 1;
            self.transmits.push_back(Transmit {
                destination: from,
                contents,
            });
        }
    }
}
