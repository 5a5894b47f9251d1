//! The proxy forwarder of RFC 3413 section 3.5: requests for a context this entity does not
//! serve itself go on to another agent (through a [`CommandGenerator`] of the forwarder's
//! own), translated between SNMP versions as RFC 3584 says, and come back as the answer to
//! the original request; notifications go on to the targets of a tag. Configured as
//! SNMP-PROXY-MIB's snmpProxyTable over SNMP-TARGET-MIB's tables ([`NotificationTargets`]).
//!
//! The forwarder is part of a [`CommandResponder`](crate::CommandResponder)
//! ([`set_proxy`](crate::CommandResponder::set_proxy)): a forwarded request gets no answer
//! from `handle_datagram`; the request to the target and, later, the answer to the manager
//! come out of [`poll_transmit`](crate::CommandResponder::poll_transmit), and the target's
//! datagrams go in through
//! [`handle_proxy_datagram`](crate::CommandResponder::handle_proxy_datagram). Nothing
//! waits: other contexts are answered while a target is silent.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use bytes::Bytes;
use snmp_mpm::{SecurityLevel, Version};
use snmp_smi::{PduType, VarBind};
use snmp_vacm::{SecurityModel, Vacm, ViewKind};

use crate::notify::{NotificationKind, NotificationTargets, ReceivedNotification};
use crate::{CommandGenerator, RequestHandle, RequestPdu, Security, Target};

/// snmpProxyType: which messages a [`ProxyEntry`] forwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProxyType {
    /// read(1): GetRequest, GetNextRequest and GetBulkRequest.
    Read,
    /// write(2): SetRequest.
    Write,
    /// trap(3): SNMPv1 Trap-PDUs and SNMPv2-Traps.
    Trap,
    /// inform(4): InformRequests.
    Inform,
}

/// A row of snmpProxyTable (RFC 3413 section 4.3): which incoming messages it takes (by
/// type, contextEngineID, contextName and the security they came with) and where they go.
///
/// ```
/// use snmp_engine::{ProxyEntry, ProxyType};
///
/// // Requests for context "dev1" from anyone VACM lets into that context go to the
/// // target address "dev1" (an snmpTargetAddrTable row).
/// let entry = ProxyEntry::new(ProxyType::Read, "dev1").single_target_out("dev1");
/// assert_eq!(entry.kind, ProxyType::Read);
/// assert_eq!(entry.context_engine_id, None);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProxyEntry {
    /// snmpProxyType.
    pub kind: ProxyType,
    /// snmpProxyContextEngineID: the contextEngineID the request carries; `None` stands for
    /// this entity's own snmpEngineID (so a context name alone selects the entry, as
    /// net-snmp's `proxy -Cn CONTEXT` does).
    pub context_engine_id: Option<Bytes>,
    /// snmpProxyContextName.
    pub context_name: Bytes,
    /// snmpProxyTargetParamsIn: the snmpTargetParamsTable row the incoming message's
    /// security must equal (version, security name or community, level). `None`: any
    /// requester the VACM gives a view of the context (read view for [`ProxyType::Read`],
    /// write view for [`ProxyType::Write`]), as net-snmp's proxies in a context are guarded.
    pub target_params_in: Option<Bytes>,
    /// snmpProxySingleTargetOut: the snmpTargetAddrTable row requests go to.
    pub single_target_out: Bytes,
    /// snmpProxyMultipleTargetOut: the tag whose target addresses notifications go to.
    pub multiple_target_out: Bytes,
    /// How notifications go on: `None` as they came (a trap as a trap, an inform as an
    /// inform); an inform is never sent to an SNMPv1 target.
    pub forward_as: Option<NotificationKind>,
}

impl ProxyEntry {
    /// An entry of `kind` for `context_name` at this entity's contextEngineID, for any
    /// requester the VACM admits, with no targets yet.
    pub fn new(kind: ProxyType, context_name: impl Into<Bytes>) -> Self {
        Self {
            kind,
            context_engine_id: None,
            context_name: context_name.into(),
            target_params_in: None,
            single_target_out: Bytes::new(),
            multiple_target_out: Bytes::new(),
            forward_as: None,
        }
    }

    /// Sets snmpProxyContextEngineID.
    #[must_use]
    pub fn context_engine_id(mut self, id: impl Into<Bytes>) -> Self {
        self.context_engine_id = Some(id.into());
        self
    }

    /// Sets snmpProxyTargetParamsIn.
    #[must_use]
    pub fn target_params_in(mut self, params: impl Into<Bytes>) -> Self {
        self.target_params_in = Some(params.into());
        self
    }

    /// Sets snmpProxySingleTargetOut.
    #[must_use]
    pub fn single_target_out(mut self, addr_name: impl Into<Bytes>) -> Self {
        self.single_target_out = addr_name.into();
        self
    }

    /// Sets snmpProxyMultipleTargetOut.
    #[must_use]
    pub fn multiple_target_out(mut self, tag: impl Into<Bytes>) -> Self {
        self.multiple_target_out = tag.into();
        self
    }

    /// Forwards notifications as `kind` (e.g. traps from a device as informs to a manager).
    #[must_use]
    pub fn forward_as(mut self, kind: NotificationKind) -> Self {
        self.forward_as = Some(kind);
        self
    }
}

/// What a message came with, for matching snmpProxyTargetParamsIn (RFC 3413 section 7).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Incoming<'a> {
    pub(crate) version: Version,
    /// The security name (after the community table for SNMPv1/v2c).
    pub(crate) security_name: &'a [u8],
    /// The community as received (SNMPv1/v2c).
    pub(crate) community: Option<&'a [u8]>,
    pub(crate) level: SecurityLevel,
    pub(crate) context_engine_id: &'a [u8],
    pub(crate) context_name: &'a [u8],
}

impl Incoming<'_> {
    fn security_model(&self) -> SecurityModel {
        match self.version {
            Version::V1 => SecurityModel::V1,
            Version::V2c => SecurityModel::V2c,
            _ => SecurityModel::Usm,
        }
    }

    /// Whether the message's security is that of `params`.
    fn matches(&self, params: &Security) -> bool {
        match params {
            Security::Community { version, community } => {
                *version == self.version
                    && (self.community == Some(&community[..])
                        || self.security_name == &community[..])
            }
            Security::Usm { user, level } => {
                self.version == Version::V3
                    && self.security_name == &user[..]
                    && self.level == *level
            }
        }
    }
}

/// SNMP-PROXY-MIB's snmpProxyTable and the SNMP-TARGET-MIB rows it names.
///
/// ```
/// use snmp_engine::{ProxyEntry, ProxyTable, ProxyType, Security, TargetAddr};
/// use snmp_mpm::Version;
///
/// let mut table = ProxyTable::default();
/// table
///     .targets_mut()
///     .add_params("v1-public", Security::community(Version::V1, "public"))
///     .add_target_addr("dev1", TargetAddr::new("192.0.2.7:161".parse()?, "v1-public"));
/// table.add_entry("dev1-read", ProxyEntry::new(ProxyType::Read, "dev1").single_target_out("dev1"));
/// table.add_entry("dev1-write", ProxyEntry::new(ProxyType::Write, "dev1").single_target_out("dev1"));
/// assert_eq!(table.entries().count(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct ProxyTable {
    entries: BTreeMap<Bytes, ProxyEntry>,
    targets: NotificationTargets,
}

impl ProxyTable {
    /// Adds (or replaces) the snmpProxyTable row `name`.
    pub fn add_entry(&mut self, name: impl Into<Bytes>, entry: ProxyEntry) -> &mut Self {
        self.entries.insert(name.into(), entry);
        self
    }

    /// Removes the row `name`; whether it was there.
    pub fn remove_entry(&mut self, name: &[u8]) -> bool {
        self.entries.remove(name).is_some()
    }

    /// The rows, by name.
    pub fn entries(&self) -> impl Iterator<Item = (&Bytes, &ProxyEntry)> {
        self.entries.iter()
    }

    /// The target address and parameters rows the entries name.
    pub fn targets(&self) -> &NotificationTargets {
        &self.targets
    }

    /// The target address and parameters rows, to change.
    pub fn targets_mut(&mut self) -> &mut NotificationTargets {
        &mut self.targets
    }

    fn entry_matches(
        &self,
        entry: &ProxyEntry,
        incoming: &Incoming<'_>,
        local: &[u8],
        vacm: &Vacm,
    ) -> bool {
        let engine = entry.context_engine_id.as_deref().unwrap_or(local);
        if engine != incoming.context_engine_id || entry.context_name != incoming.context_name {
            return false;
        }
        match &entry.target_params_in {
            Some(name) => self
                .targets
                .params(name)
                .is_some_and(|params| incoming.matches(params)),
            None => {
                let kind = match entry.kind {
                    ProxyType::Write => ViewKind::Write,
                    ProxyType::Read => ViewKind::Read,
                    ProxyType::Trap | ProxyType::Inform => ViewKind::Notify,
                };
                vacm.view_for(
                    incoming.security_model(),
                    incoming.security_name,
                    incoming.level,
                    kind,
                    incoming.context_name,
                )
                .is_ok()
            }
        }
    }

    /// RFC 3413 section 7.1: the target of a request of `kind` (read or write), from the
    /// first matching entry (by name) whose single target resolves.
    pub(crate) fn request_target(
        &self,
        kind: ProxyType,
        incoming: &Incoming<'_>,
        local: &[u8],
        vacm: &Vacm,
    ) -> Option<Target> {
        self.entries
            .values()
            .filter(|e| e.kind == kind)
            .filter(|e| self.entry_matches(e, incoming, local, vacm))
            .find_map(|e| {
                let mut target = self.targets.target(&e.single_target_out)?;
                // The context goes on as it came when it names the target's own
                // (contextEngineID not ours); a context of ours maps to the target's default.
                if incoming.context_engine_id != local {
                    target.context_engine_id =
                        Some(Bytes::copy_from_slice(incoming.context_engine_id));
                    target.context_name = Bytes::copy_from_slice(incoming.context_name);
                }
                Some(target)
            })
    }

    /// RFC 3413 section 3.5.2 and 7.2: where a received notification goes, as what. Every
    /// entry of its type (trap or inform) matching its context and security contributes the
    /// target addresses of its multipleTargetOut tag (each address once), sent as the entry
    /// says ([`ProxyEntry::forward_as`]); the bindings are the notification's in SNMPv2
    /// form, which the generator turns back into a Trap-PDU for SNMPv1 targets (RFC 3584).
    /// An SNMPv1 or SNMPv2c notification is matched with this entity's contextEngineID and
    /// the default context.
    pub fn notification_targets(
        &self,
        received: &ReceivedNotification,
        local: &[u8],
        vacm: &Vacm,
    ) -> Vec<(Target, RequestPdu)> {
        let kind = match received.kind {
            NotificationKind::Trap => ProxyType::Trap,
            NotificationKind::Inform => ProxyType::Inform,
        };
        let v3 = received.version == Version::V3;
        let community = (!v3).then_some(&received.security_name[..]);
        let incoming = Incoming {
            version: received.version,
            security_name: &received.security_name,
            community,
            level: received.security_level,
            context_engine_id: if v3 {
                &received.context_engine_id
            } else {
                local
            },
            context_name: if v3 { &received.context_name } else { b"" },
        };
        let mut out: BTreeMap<Bytes, (Target, RequestPdu)> = BTreeMap::new();
        for entry in self.entries.values().filter(|e| e.kind == kind) {
            if entry.multiple_target_out.is_empty()
                || !self.entry_matches(entry, &incoming, local, vacm)
            {
                continue;
            }
            let send_as = entry.forward_as.unwrap_or(received.kind);
            for (name, target) in self.targets.tagged(&entry.multiple_target_out) {
                let v1 = matches!(
                    target.security,
                    Security::Community {
                        version: Version::V1,
                        ..
                    }
                );
                let pdu = if send_as == NotificationKind::Inform && !v1 {
                    RequestPdu::Inform(received.varbinds.clone())
                } else {
                    RequestPdu::Trap(received.varbinds.clone())
                };
                out.entry(name.clone()).or_insert((target, pdu));
            }
        }
        out.into_values().collect()
    }
}

/// The proxy forwarder: its table, the command generator it forwards with (its USM holds
/// the users of SNMPv3 targets), and the requests in flight.
///
/// ```
/// use std::time::Instant;
/// use snmp_engine::{CommandGenerator, GeneratorConfig, ProxyForwarder, ProxyTable};
/// use snmp_usm::Usm;
///
/// let now = Instant::now();
/// let usm = Usm::new("0x80001f8804707278".parse()?, 1, now, 3);
/// let proxy = ProxyForwarder::new(ProxyTable::default(), CommandGenerator::new(GeneratorConfig::default(), usm));
/// assert_eq!(proxy.in_flight(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ProxyForwarder {
    pub(crate) table: ProxyTable,
    pub(crate) generator: CommandGenerator,
    pub(crate) pending: BTreeMap<RequestHandle, Pending>,
}

impl ProxyForwarder {
    /// A forwarder with this table, sending with `generator`.
    pub fn new(table: ProxyTable, generator: CommandGenerator) -> Self {
        Self {
            table,
            generator,
            pending: BTreeMap::new(),
        }
    }

    /// The snmpProxyTable and target rows.
    pub fn table(&self) -> &ProxyTable {
        &self.table
    }

    /// The snmpProxyTable and target rows, to change.
    pub fn table_mut(&mut self) -> &mut ProxyTable {
        &mut self.table
    }

    /// The generator requests are forwarded with (to add SNMPv3 target users to its USM).
    pub fn generator_mut(&mut self) -> &mut CommandGenerator {
        &mut self.generator
    }

    /// Forwarded requests waiting for their target.
    pub fn in_flight(&self) -> usize {
        self.pending.len()
    }
}

/// How to answer the manager a forwarded request came from.
#[derive(Clone, Debug)]
pub(crate) enum Reply {
    Community {
        version: Version,
        community: Bytes,
    },
    V3 {
        msg_id: i32,
        /// The requester's msgMaxSize.
        max_size: i32,
        reportable: bool,
        user: Bytes,
        level: SecurityLevel,
        context_engine_id: Bytes,
        context_name: Bytes,
    },
}

impl Reply {
    pub(crate) fn v1(&self) -> bool {
        matches!(
            self,
            Self::Community {
                version: Version::V1,
                ..
            }
        )
    }
}

/// What the original request asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Asked {
    Get,
    GetNext,
    GetBulk {
        non_repeaters: i32,
        max_repetitions: i32,
    },
    Set,
}

impl Asked {
    pub(crate) fn pdu_type(self) -> PduType {
        match self {
            Self::Get => PduType::GetRequest,
            Self::GetNext => PduType::GetNextRequest,
            Self::GetBulk { .. } => PduType::GetBulkRequest,
            Self::Set => PduType::SetRequest,
        }
    }
}

/// A forwarded request waiting for its target.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) peer: SocketAddr,
    pub(crate) via: u64,
    pub(crate) reply: Reply,
    pub(crate) request_id: i32,
    pub(crate) asked: Asked,
    pub(crate) target: Target,
    /// The request's bindings.
    pub(crate) request: Vec<VarBind>,
    /// The answers so far, by binding of the request.
    pub(crate) results: Vec<Option<VarBind>>,
    /// The request binding of each binding of the request in flight.
    pub(crate) in_flight: Vec<usize>,
    /// Requests sent again for part of the bindings (bounded).
    pub(crate) rounds: u32,
    /// The answer's size limit.
    pub(crate) limit: usize,
}

/// The request to send the target for `asked` with `varbinds`: a GetBulkRequest goes to an
/// SNMPv1 target as a GetNextRequest of the same bindings (RFC 3584 4.2.2.1.1; one
/// repetition, which the manager's walk continues from).
pub(crate) fn outgoing_pdu(asked: Asked, target: &Target, varbinds: Vec<VarBind>) -> RequestPdu {
    let v1 = matches!(
        target.security,
        Security::Community {
            version: Version::V1,
            ..
        }
    );
    match asked {
        Asked::Get => RequestPdu::Get(varbinds),
        Asked::GetNext => RequestPdu::GetNext(varbinds),
        Asked::GetBulk { .. } if v1 => RequestPdu::GetNext(varbinds),
        Asked::GetBulk {
            non_repeaters,
            max_repetitions,
        } => RequestPdu::GetBulk {
            non_repeaters,
            max_repetitions,
            varbinds,
        },
        Asked::Set => RequestPdu::Set(varbinds),
    }
}

/// The bindings `pick` of `vbs`, with NULL values (to ask again).
pub(crate) fn null_bindings(vbs: &[VarBind], pick: &[usize]) -> Vec<VarBind> {
    pick.iter()
        .filter_map(|&i| vbs.get(i))
        .map(|vb| VarBind::null(vb.oid.clone()))
        .collect()
}
