//! Who a request goes to, with what security, and what it asks.

use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use snmp_mpm::{SecurityLevel, Version};
use snmp_smi::{BasicPdu, BulkPdu, Oid, Pdu, TrapV1Pdu, VarBind};

/// An agent and how to talk to it (RFC 3413's snmpTargetAddrTable and snmpTargetParamsTable
/// in one value). Build one with [`Target::v1`], [`Target::v2c`] or [`Target::usm`], then
/// adjust it with the `with_` methods.
///
/// ```
/// use std::time::Duration;
/// use snmp_engine::Target;
/// use snmp_mpm::SecurityLevel;
///
/// let router = Target::usm("192.0.2.1:161".parse()?, "admin", SecurityLevel::AuthPriv)
///     .with_timeout(Duration::from_secs(3))
///     .with_retries(1);
/// assert_eq!(router.retries, Some(1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Target {
    /// The agent's transport address.
    pub addr: SocketAddr,
    /// The message processing model and security model, with their parameters.
    pub security: Security,
    /// How long to wait for each try; `None`: the generator's default.
    pub timeout: Option<Duration>,
    /// How many retries after the first try; `None`: the generator's default.
    pub retries: Option<u32>,
    /// The largest request to send this agent, when below the generator's msgMaxSize:
    /// larger GET and GETNEXT requests are split before sending.
    pub max_message_size: Option<u32>,
    /// SNMPv3 contextName (empty: the default context).
    pub context_name: Bytes,
    /// SNMPv3 contextEngineID; `None`: the agent's snmpEngineID, found by discovery.
    pub context_engine_id: Option<Bytes>,
    /// SNMPv3: the agent's snmpEngineID when known beforehand (net-snmp's `-e`): discovery
    /// is skipped, and the agent's clock is learnt from its first notInTimeWindow Report.
    /// `None`: discovered. Ignored once the engine at this address is known.
    pub engine_id: Option<Bytes>,
}

/// The message format and security of a [`Target`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Security {
    /// SNMPv1 or SNMPv2c with a community string (RFC 1157, RFC 1901).
    #[non_exhaustive]
    Community {
        /// [`Version::V1`] or [`Version::V2c`].
        version: Version,
        /// The community.
        community: Bytes,
    },
    /// SNMPv3 with the User-based Security Model (RFC 3414).
    #[non_exhaustive]
    Usm {
        /// The user name (securityName).
        user: Bytes,
        /// The security level.
        level: SecurityLevel,
    },
}

impl Target {
    fn new(addr: SocketAddr, security: Security) -> Self {
        Self {
            addr,
            security,
            timeout: None,
            retries: None,
            max_message_size: None,
            context_name: Bytes::new(),
            context_engine_id: None,
            engine_id: None,
        }
    }

    /// An SNMPv1 agent with this community.
    pub fn v1(addr: SocketAddr, community: impl Into<Bytes>) -> Self {
        Self::new(
            addr,
            Security::Community {
                version: Version::V1,
                community: community.into(),
            },
        )
    }

    /// An SNMPv2c agent with this community.
    pub fn v2c(addr: SocketAddr, community: impl Into<Bytes>) -> Self {
        Self::new(
            addr,
            Security::Community {
                version: Version::V2c,
                community: community.into(),
            },
        )
    }

    /// An SNMPv3 agent, as USM user `user` at `level`. The user's keys are in the
    /// [`Usm`](snmp_usm::Usm) given to the generator.
    pub fn usm(addr: SocketAddr, user: impl Into<Bytes>, level: SecurityLevel) -> Self {
        Self::new(
            addr,
            Security::Usm {
                user: user.into(),
                level,
            },
        )
    }

    /// Sets the timeout of each try.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the number of retries.
    pub fn with_retries(mut self, retries: u32) -> Self {
        self.retries = Some(retries);
        self
    }

    /// Sets the largest request to send.
    pub fn with_max_message_size(mut self, size: u32) -> Self {
        self.max_message_size = Some(size);
        self
    }

    /// Sets the SNMPv3 contextName.
    pub fn with_context_name(mut self, name: impl Into<Bytes>) -> Self {
        self.context_name = name.into();
        self
    }

    /// Sets the SNMPv3 contextEngineID (for a proxy; an agent's own is discovered).
    pub fn with_context_engine_id(mut self, id: impl Into<Bytes>) -> Self {
        self.context_engine_id = Some(id.into());
        self
    }

    /// Sets the agent's snmpEngineID, known beforehand: no discovery (net-snmp's `-e`).
    pub fn with_engine_id(mut self, id: impl Into<Bytes>) -> Self {
        self.engine_id = Some(id.into());
        self
    }
}

/// What a request asks (the confirmed-class PDUs of RFC 3416 a command generator sends).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RequestPdu {
    /// GetRequest-PDU.
    Get(Vec<VarBind>),
    /// GetNextRequest-PDU.
    GetNext(Vec<VarBind>),
    /// GetBulkRequest-PDU (SNMPv2c and SNMPv3 only).
    GetBulk {
        /// `non-repeaters`.
        non_repeaters: i32,
        /// `max-repetitions`.
        max_repetitions: i32,
        /// The bindings (values NULL).
        varbinds: Vec<VarBind>,
    },
    /// SetRequest-PDU.
    Set(Vec<VarBind>),
    /// InformRequest-PDU (SNMPv2c and SNMPv3): a confirmed notification, retried and
    /// answered like a request. Build it with [`RequestPdu::inform`], which puts `sysUpTime.0`
    /// and `snmpTrapOID.0` first.
    Inform(Vec<VarBind>),
    /// SNMPv2-Trap-PDU: an unconfirmed notification, sent once. Build it with
    /// [`RequestPdu::trap`]. To an SNMPv1 target it goes as the equivalent Trap-PDU (RFC 3584
    /// 3.2), whose agent-addr is `snmpTrapAddress.0` if the bindings carry it, `0.0.0.0`
    /// otherwise.
    Trap(Vec<VarBind>),
    /// SNMPv1 Trap-PDU (RFC 1157 4.1.6), sent once; to an SNMPv2c or SNMPv3 target it goes
    /// as the equivalent SNMPv2-Trap (RFC 3584 3.1).
    TrapV1(Box<TrapV1Pdu>),
}

impl RequestPdu {
    /// A GetRequest of these OIDs.
    pub fn get(oids: impl IntoIterator<Item = Oid>) -> Self {
        Self::Get(oids.into_iter().map(VarBind::null).collect())
    }

    /// A GetNextRequest of these OIDs.
    pub fn get_next(oids: impl IntoIterator<Item = Oid>) -> Self {
        Self::GetNext(oids.into_iter().map(VarBind::null).collect())
    }

    /// A GetBulkRequest of these OIDs.
    pub fn get_bulk(
        non_repeaters: i32,
        max_repetitions: i32,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Self {
        Self::GetBulk {
            non_repeaters,
            max_repetitions,
            varbinds: oids.into_iter().map(VarBind::null).collect(),
        }
    }

    /// A SetRequest of these bindings.
    pub fn set(varbinds: impl IntoIterator<Item = VarBind>) -> Self {
        Self::Set(varbinds.into_iter().collect())
    }

    pub(crate) fn into_parts(self) -> (Op, Vec<VarBind>) {
        match self {
            Self::Get(v) => (Op::Get, v),
            Self::GetNext(v) => (Op::GetNext, v),
            Self::GetBulk {
                non_repeaters,
                max_repetitions,
                varbinds,
            } => (
                Op::GetBulk {
                    non_repeaters,
                    max_repetitions,
                },
                varbinds,
            ),
            Self::Set(v) => (Op::Set, v),
            Self::Inform(v) => (Op::Inform, v),
            // Unconfirmed: the generator sends these before it gets here.
            Self::Trap(v) => (Op::Trap, v),
            Self::TrapV1(t) => (Op::Trap, t.varbinds),
        }
    }
}

/// The operation of one wire request: a [`RequestPdu`] without its bindings, so that a split
/// request's halves share it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Get,
    GetBulk {
        non_repeaters: i32,
        max_repetitions: i32,
    },
    GetNext,
    Set,
    Inform,
    Trap,
}

impl Op {
    pub(crate) fn pdu(self, request_id: i32, varbinds: Vec<VarBind>) -> Pdu {
        match self {
            Self::Get => Pdu::GetRequest(BasicPdu::new(request_id, varbinds)),
            Self::GetNext => Pdu::GetNextRequest(BasicPdu::new(request_id, varbinds)),
            Self::Set => Pdu::SetRequest(BasicPdu::new(request_id, varbinds)),
            Self::Inform => Pdu::InformRequest(BasicPdu::new(request_id, varbinds)),
            Self::Trap => Pdu::SnmpV2Trap(BasicPdu::new(request_id, varbinds)),
            Self::GetBulk {
                non_repeaters,
                max_repetitions,
            } => Pdu::GetBulkRequest(BulkPdu {
                request_id,
                non_repeaters,
                max_repetitions,
                varbinds,
            }),
        }
    }

    /// Whether a tooBig can be avoided by asking half the bindings at a time: GET and
    /// GETNEXT only (a SET's bindings are set as one, a GETBULK's answer size is not that
    /// of its bindings).
    pub(crate) fn splittable(self) -> bool {
        matches!(self, Self::Get | Self::GetNext)
    }
}
