//! Protocol data units (RFC 3416 section 3, RFC 1157 section 4.1.6).

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::fmt;

use snmp_ber::{DecodeError, DecodeErrorKind, EncodeError, Encoder, Reader, Tag};

use crate::value::{TAG_IP_ADDRESS, TAG_TIMETICKS};
use crate::{Oid, VarBind};

/// The PDU types, with their context tags (`[0]`..`[8]` IMPLICIT SEQUENCE).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(clippy::exhaustive_enums)] // RFC 3416 and RFC 1157 define exactly these
pub enum PduType {
    /// `GetRequest-PDU ::= [0]`.
    GetRequest = 0xa0,
    /// `GetNextRequest-PDU ::= [1]`.
    GetNextRequest = 0xa1,
    /// `Response-PDU ::= [2]` (`GetResponse-PDU` in SNMPv1).
    Response = 0xa2,
    /// `SetRequest-PDU ::= [3]`.
    SetRequest = 0xa3,
    /// SNMPv1 `Trap-PDU ::= [4]` (obsolete in v2, RFC 3416 section 3).
    TrapV1 = 0xa4,
    /// `GetBulkRequest-PDU ::= [5]`.
    GetBulkRequest = 0xa5,
    /// `InformRequest-PDU ::= [6]`.
    InformRequest = 0xa6,
    /// `SNMPv2-Trap-PDU ::= [7]`.
    SnmpV2Trap = 0xa7,
    /// `Report-PDU ::= [8]`.
    Report = 0xa8,
}

impl PduType {
    /// The type for a tag octet.
    pub const fn from_u8(b: u8) -> Option<Self> {
        Some(match b {
            0xa0 => Self::GetRequest,
            0xa1 => Self::GetNextRequest,
            0xa2 => Self::Response,
            0xa3 => Self::SetRequest,
            0xa4 => Self::TrapV1,
            0xa5 => Self::GetBulkRequest,
            0xa6 => Self::InformRequest,
            0xa7 => Self::SnmpV2Trap,
            0xa8 => Self::Report,
            _ => return None,
        })
    }

    /// The BER tag.
    pub const fn tag(self) -> Tag {
        Tag::context(self as u32 & 0x1f, true)
    }

    /// The name tshark and the RFCs use (`get-request`, `get-response`, ...).
    pub const fn name(self) -> &'static str {
        match self {
            Self::GetRequest => "get-request",
            Self::GetNextRequest => "get-next-request",
            Self::Response => "get-response",
            Self::SetRequest => "set-request",
            Self::TrapV1 => "trap",
            Self::GetBulkRequest => "getBulkRequest",
            Self::InformRequest => "informRequest",
            Self::SnmpV2Trap => "snmpV2-trap",
            Self::Report => "report",
        }
    }

    /// Whether the RFC 3411 Confirmed Class: the receiver answers it.
    pub const fn is_confirmed(self) -> bool {
        matches!(
            self,
            Self::GetRequest
                | Self::GetNextRequest
                | Self::SetRequest
                | Self::GetBulkRequest
                | Self::InformRequest
        )
    }
}

/// `error-status` (RFC 3416 section 3); any value received is kept, known ones are named.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[allow(clippy::exhaustive_structs)] // a wire integer
pub struct ErrorStatus(pub i32);

impl ErrorStatus {
    /// `noError(0)`.
    pub const NO_ERROR: Self = Self(0);
    /// `tooBig(1)`.
    pub const TOO_BIG: Self = Self(1);
    /// `noSuchName(2)`, SNMPv1 only.
    pub const NO_SUCH_NAME: Self = Self(2);
    /// `badValue(3)`, SNMPv1 only.
    pub const BAD_VALUE: Self = Self(3);
    /// `readOnly(4)`, SNMPv1 only.
    pub const READ_ONLY: Self = Self(4);
    /// `genErr(5)`.
    pub const GEN_ERR: Self = Self(5);
    /// `noAccess(6)`.
    pub const NO_ACCESS: Self = Self(6);
    /// `wrongType(7)`.
    pub const WRONG_TYPE: Self = Self(7);
    /// `wrongLength(8)`.
    pub const WRONG_LENGTH: Self = Self(8);
    /// `wrongEncoding(9)`.
    pub const WRONG_ENCODING: Self = Self(9);
    /// `wrongValue(10)`.
    pub const WRONG_VALUE: Self = Self(10);
    /// `noCreation(11)`.
    pub const NO_CREATION: Self = Self(11);
    /// `inconsistentValue(12)`.
    pub const INCONSISTENT_VALUE: Self = Self(12);
    /// `resourceUnavailable(13)`.
    pub const RESOURCE_UNAVAILABLE: Self = Self(13);
    /// `commitFailed(14)`.
    pub const COMMIT_FAILED: Self = Self(14);
    /// `undoFailed(15)`.
    pub const UNDO_FAILED: Self = Self(15);
    /// `authorizationError(16)`.
    pub const AUTHORIZATION_ERROR: Self = Self(16);
    /// `notWritable(17)`.
    pub const NOT_WRITABLE: Self = Self(17);
    /// `inconsistentName(18)`.
    pub const INCONSISTENT_NAME: Self = Self(18);

    const NAMES: [&'static str; 19] = [
        "noError",
        "tooBig",
        "noSuchName",
        "badValue",
        "readOnly",
        "genErr",
        "noAccess",
        "wrongType",
        "wrongLength",
        "wrongEncoding",
        "wrongValue",
        "noCreation",
        "inconsistentValue",
        "resourceUnavailable",
        "commitFailed",
        "undoFailed",
        "authorizationError",
        "notWritable",
        "inconsistentName",
    ];

    /// The RFC 3416 name, or `None` for a value outside 0..=18.
    pub fn name(self) -> Option<&'static str> {
        usize::try_from(self.0)
            .ok()
            .and_then(|i| Self::NAMES.get(i))
            .copied()
    }

    /// Whether this is `noError`.
    pub fn is_ok(self) -> bool {
        self == Self::NO_ERROR
    }
}

impl fmt::Debug for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n}({})", self.0),
            None => write!(f, "ErrorStatus({})", self.0),
        }
    }
}

impl fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} ({})", self.0),
            None => write!(f, "unknown error-status ({})", self.0),
        }
    }
}

/// `generic-trap` of an SNMPv1 Trap-PDU (RFC 1157 section 4.1.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(transparent))]
#[allow(clippy::exhaustive_structs)] // a wire integer
pub struct GenericTrap(pub i32);

impl GenericTrap {
    /// `coldStart(0)`.
    pub const COLD_START: Self = Self(0);
    /// `warmStart(1)`.
    pub const WARM_START: Self = Self(1);
    /// `linkDown(2)`.
    pub const LINK_DOWN: Self = Self(2);
    /// `linkUp(3)`.
    pub const LINK_UP: Self = Self(3);
    /// `authenticationFailure(4)`.
    pub const AUTHENTICATION_FAILURE: Self = Self(4);
    /// `egpNeighborLoss(5)`.
    pub const EGP_NEIGHBOR_LOSS: Self = Self(5);
    /// `enterpriseSpecific(6)`.
    pub const ENTERPRISE_SPECIFIC: Self = Self(6);
}

/// `PDU ::= SEQUENCE { request-id, error-status, error-index, variable-bindings }`: the layout
/// of every PDU but GetBulkRequest and the SNMPv1 Trap.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(clippy::exhaustive_structs)] // the RFC 3416 fields, by definition
pub struct BasicPdu {
    /// `request-id INTEGER (-214783648..214783647)`.
    pub request_id: i32,
    /// `error-status`.
    pub error_status: ErrorStatus,
    /// `error-index INTEGER (0..max-bindings)`: 1-based index of the failing binding.
    pub error_index: i32,
    /// `variable-bindings`.
    pub varbinds: Vec<VarBind>,
}

impl BasicPdu {
    /// A request or notification with these bindings and no error.
    pub fn new(request_id: i32, varbinds: Vec<VarBind>) -> Self {
        Self {
            request_id,
            error_status: ErrorStatus::NO_ERROR,
            error_index: 0,
            varbinds,
        }
    }
}

/// `BulkPDU ::= SEQUENCE { request-id, non-repeaters, max-repetitions, variable-bindings }`.
///
/// Both counts are kept as received, negative values included: RFC 3416 section 4.2.3 says
/// the responder treats them as zero.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(clippy::exhaustive_structs)] // the RFC 3416 fields, by definition
pub struct BulkPdu {
    /// `request-id`.
    pub request_id: i32,
    /// `non-repeaters INTEGER (0..max-bindings)`.
    pub non_repeaters: i32,
    /// `max-repetitions INTEGER (0..max-bindings)`.
    pub max_repetitions: i32,
    /// `variable-bindings`.
    pub varbinds: Vec<VarBind>,
}

/// SNMPv1 `Trap-PDU ::= [4] IMPLICIT SEQUENCE { enterprise, agent-addr, generic-trap,
/// specific-trap, time-stamp, variable-bindings }` (RFC 1157 section 4.1.6).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(clippy::exhaustive_structs)] // the RFC 1157 fields, by definition
pub struct TrapV1Pdu {
    /// `enterprise OBJECT IDENTIFIER`: the sysObjectID of the sender.
    pub enterprise: Oid,
    /// `agent-addr NetworkAddress`: the sender's IPv4 address.
    pub agent_addr: [u8; 4],
    /// `generic-trap INTEGER`.
    pub generic_trap: GenericTrap,
    /// `specific-trap INTEGER`.
    pub specific_trap: i32,
    /// `time-stamp TimeTicks`: sysUpTime when the trap was sent.
    pub time_stamp: u32,
    /// `variable-bindings`.
    pub varbinds: Vec<VarBind>,
}

/// Any SNMP PDU (`PDUs ::= CHOICE { ... }` of RFC 3416 plus the SNMPv1 Trap-PDU).
///
/// ```
/// use snmp_smi::{BasicPdu, Pdu, VarBind, oid};
/// use snmp_ber::{Decoder, DecodeOptions, Encoder};
///
/// let pdu = Pdu::GetRequest(BasicPdu::new(7, vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))]));
/// let mut e = Encoder::new();
/// pdu.encode(&mut e)?;
/// let dec = Decoder::new(DecodeOptions::default());
/// assert_eq!(Pdu::decode(&mut dec.reader(e.as_slice()))?, pdu);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(clippy::exhaustive_enums)] // RFC 3416 and RFC 1157 define exactly these
pub enum Pdu {
    /// GetRequest.
    GetRequest(BasicPdu),
    /// GetNextRequest.
    GetNextRequest(BasicPdu),
    /// Response (GetResponse in SNMPv1).
    Response(BasicPdu),
    /// SetRequest.
    SetRequest(BasicPdu),
    /// SNMPv1 Trap (boxed: it is rare and large, and every other PDU is small).
    TrapV1(Box<TrapV1Pdu>),
    /// GetBulkRequest.
    GetBulkRequest(BulkPdu),
    /// InformRequest.
    InformRequest(BasicPdu),
    /// SNMPv2-Trap.
    SnmpV2Trap(BasicPdu),
    /// Report.
    Report(BasicPdu),
}

impl Pdu {
    /// The PDU's type.
    pub fn pdu_type(&self) -> PduType {
        match self {
            Self::GetRequest(_) => PduType::GetRequest,
            Self::GetNextRequest(_) => PduType::GetNextRequest,
            Self::Response(_) => PduType::Response,
            Self::SetRequest(_) => PduType::SetRequest,
            Self::TrapV1(_) => PduType::TrapV1,
            Self::GetBulkRequest(_) => PduType::GetBulkRequest,
            Self::InformRequest(_) => PduType::InformRequest,
            Self::SnmpV2Trap(_) => PduType::SnmpV2Trap,
            Self::Report(_) => PduType::Report,
        }
    }

    /// The request-id, or `None` for an SNMPv1 Trap (which has none).
    pub fn request_id(&self) -> Option<i32> {
        match self {
            Self::TrapV1(_) => None,
            Self::GetBulkRequest(p) => Some(p.request_id),
            Self::GetRequest(p)
            | Self::GetNextRequest(p)
            | Self::Response(p)
            | Self::SetRequest(p)
            | Self::InformRequest(p)
            | Self::SnmpV2Trap(p)
            | Self::Report(p) => Some(p.request_id),
        }
    }

    /// The bindings.
    pub fn varbinds(&self) -> &[VarBind] {
        match self {
            Self::TrapV1(p) => &p.varbinds,
            Self::GetBulkRequest(p) => &p.varbinds,
            Self::GetRequest(p)
            | Self::GetNextRequest(p)
            | Self::Response(p)
            | Self::SetRequest(p)
            | Self::InformRequest(p)
            | Self::SnmpV2Trap(p)
            | Self::Report(p) => &p.varbinds,
        }
    }

    /// The bindings, mutably.
    pub fn varbinds_mut(&mut self) -> &mut Vec<VarBind> {
        match self {
            Self::TrapV1(p) => &mut p.varbinds,
            Self::GetBulkRequest(p) => &mut p.varbinds,
            Self::GetRequest(p)
            | Self::GetNextRequest(p)
            | Self::Response(p)
            | Self::SetRequest(p)
            | Self::InformRequest(p)
            | Self::SnmpV2Trap(p)
            | Self::Report(p) => &mut p.varbinds,
        }
    }

    /// Reads any PDU.
    #[inline]
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let at = r.offset();
        let (tag, mut body) = r.read_any()?;
        let Some(kind) = tag
            .as_u8()
            .and_then(PduType::from_u8)
            .filter(|k| k.tag() == tag)
        else {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::InvalidTag {
                    found: tag,
                    what: "PDU",
                },
            ));
        };
        let pdu = match kind {
            PduType::TrapV1 => Self::TrapV1(Box::new(decode_trap_v1(&mut body)?)),
            PduType::GetBulkRequest => {
                let request_id = body.read_i32(Tag::INTEGER)?;
                let non_repeaters = body.read_i32(Tag::INTEGER)?;
                let max_repetitions = body.read_i32(Tag::INTEGER)?;
                let varbinds = decode_varbinds(&mut body)?;
                Self::GetBulkRequest(BulkPdu {
                    request_id,
                    non_repeaters,
                    max_repetitions,
                    varbinds,
                })
            }
            _ => {
                let request_id = body.read_i32(Tag::INTEGER)?;
                let error_status = ErrorStatus(body.read_i32(Tag::INTEGER)?);
                let error_index = body.read_i32(Tag::INTEGER)?;
                let varbinds = decode_varbinds(&mut body)?;
                let p = BasicPdu {
                    request_id,
                    error_status,
                    error_index,
                    varbinds,
                };
                match kind {
                    PduType::GetRequest => Self::GetRequest(p),
                    PduType::GetNextRequest => Self::GetNextRequest(p),
                    PduType::Response => Self::Response(p),
                    PduType::SetRequest => Self::SetRequest(p),
                    PduType::InformRequest => Self::InformRequest(p),
                    PduType::SnmpV2Trap => Self::SnmpV2Trap(p),
                    _ => Self::Report(p),
                }
            }
        };
        body.finish("PDU")?;
        Ok(pdu)
    }

    /// Writes this PDU.
    pub fn encode(&self, e: &mut Encoder) -> Result<(), EncodeError> {
        e.write_tlv(self.pdu_type().tag(), |e| match self {
            Self::TrapV1(p) => {
                encode_varbinds(e, &p.varbinds)?;
                e.put_u64(TAG_TIMETICKS, u64::from(p.time_stamp))?;
                e.put_i64(Tag::INTEGER, i64::from(p.specific_trap))?;
                e.put_i64(Tag::INTEGER, i64::from(p.generic_trap.0))?;
                e.put_octets(TAG_IP_ADDRESS, &p.agent_addr)?;
                p.enterprise.encode(e, Tag::OBJECT_IDENTIFIER)
            }
            Self::GetBulkRequest(p) => {
                encode_varbinds(e, &p.varbinds)?;
                e.put_i64(Tag::INTEGER, i64::from(p.max_repetitions))?;
                e.put_i64(Tag::INTEGER, i64::from(p.non_repeaters))?;
                e.put_i64(Tag::INTEGER, i64::from(p.request_id))
            }
            Self::GetRequest(p)
            | Self::GetNextRequest(p)
            | Self::Response(p)
            | Self::SetRequest(p)
            | Self::InformRequest(p)
            | Self::SnmpV2Trap(p)
            | Self::Report(p) => {
                encode_varbinds(e, &p.varbinds)?;
                e.put_i64(Tag::INTEGER, i64::from(p.error_index))?;
                e.put_i64(Tag::INTEGER, i64::from(p.error_status.0))?;
                e.put_i64(Tag::INTEGER, i64::from(p.request_id))
            }
        })
    }
}

fn decode_trap_v1(body: &mut Reader<'_>) -> Result<TrapV1Pdu, DecodeError> {
    let enterprise = Oid::decode(body, Tag::OBJECT_IDENTIFIER)?;
    let at = body.offset();
    let addr = body.read_octets(TAG_IP_ADDRESS)?;
    let agent_addr = <[u8; 4]>::try_from(addr).map_err(|_| {
        DecodeError::new(
            at,
            DecodeErrorKind::BadValueLength {
                what: "agent-addr",
                found: addr.len(),
            },
        )
    })?;
    let generic_trap = GenericTrap(body.read_i32(Tag::INTEGER)?);
    let specific_trap = body.read_i32(Tag::INTEGER)?;
    let time_stamp = body.read_u32(TAG_TIMETICKS)?;
    let varbinds = decode_varbinds(body)?;
    Ok(TrapV1Pdu {
        enterprise,
        agent_addr,
        generic_trap,
        specific_trap,
        time_stamp,
        varbinds,
    })
}

/// Reads `VarBindList ::= SEQUENCE (SIZE (0..max-bindings)) OF VarBind`.
#[inline]
pub fn decode_varbinds(r: &mut Reader<'_>) -> Result<Vec<VarBind>, DecodeError> {
    let mut list = r.read_tlv(Tag::SEQUENCE)?;
    let mut varbinds;
    if let Some(n) = count_elements(list.rest()) {
        // Allocated once, exactly, and filled with placeholders written straight into their
        // slots; each binding is then decoded in place.
        varbinds = Vec::with_capacity(n);
        varbinds.resize_with(n, || VarBind::null(Oid::EMPTY));
        for vb in &mut varbinds {
            vb.decode_in_place(&mut list)?;
        }
    } else {
        // The smallest binding (30 04 06 00 05 00) takes 6 octets; guess 16 to allocate once.
        varbinds = Vec::with_capacity((list.remaining() / 16).clamp(1, 64));
    }
    // Whatever the count did not cover (nothing, unless it gave up).
    if !list.is_empty() {
        decode_uncounted(&mut list, &mut varbinds)?;
    }
    Ok(varbinds)
}

/// The rest of a list the count gave up on, one push at a time: out of line, so that the
/// binding decoder is inlined only into the counted loop.
#[inline(never)]
fn decode_uncounted(list: &mut Reader<'_>, varbinds: &mut Vec<VarBind>) -> Result<(), DecodeError> {
    while !list.is_empty() {
        // Decoded in place, in the Vec's own slot.
        varbinds.push(VarBind::null(Oid::EMPTY));
        if let Some(vb) = varbinds.last_mut() {
            vb.decode_in_place(list)?;
        }
    }
    Ok(())
}

/// The number of elements in `content` when it is a run of elements with one-octet tags and
/// definite lengths of at least 4 octets (as every `VarBind` has) that ends exactly at its
/// end, or `None` (the caller then grows its `Vec` as it goes). The minimum length keeps the
/// count, and so the allocation, within a sixth of the input's length.
#[inline]
fn count_elements(content: &[u8]) -> Option<usize> {
    let mut n = 0usize;
    let mut rest = content;
    while let [t, l, tail @ ..] = rest {
        let (len, tail) = match *l {
            0..=0x7f => (usize::from(*l), tail),
            0x81 => match tail {
                [a, tail @ ..] => (usize::from(*a), tail),
                [] => return None,
            },
            0x82 => match tail {
                [a, b, tail @ ..] => (usize::from(u16::from_be_bytes([*a, *b])), tail),
                _ => return None,
            },
            _ => return None,
        };
        if t & 0x1f == 0x1f || len < 4 {
            return None;
        }
        rest = tail.get(len..)?;
        n += 1;
    }
    Some(n)
}

/// Writes a `VarBindList`.
pub fn encode_varbinds(e: &mut Encoder, varbinds: &[VarBind]) -> Result<(), EncodeError> {
    e.write_tlv(Tag::SEQUENCE, |e| {
        varbinds.iter().rev().try_for_each(|vb| vb.encode(e))
    })
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use snmp_ber::{DecodeOptions, Decoder};

    use super::*;
    use crate::oid;

    fn round_trip(pdu: &Pdu, want: &[u8]) {
        let mut e = Encoder::new();
        pdu.encode(&mut e).unwrap();
        assert_eq!(e.as_slice(), want);
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(want);
        assert_eq!(&Pdu::decode(&mut r).unwrap(), pdu);
        r.finish("PDU").unwrap();
    }

    /// A GetRequest for sysDescr.0, annotated:
    /// ```text
    /// a0 1a                    GetRequest-PDU
    ///    02 02 30 39           request-id 12345
    ///    02 01 00              error-status noError
    ///    02 01 00              error-index 0
    ///    30 0e                 variable-bindings
    ///       30 0c              VarBind
    ///          06 08 2b 06 01 02 01 01 01 00   name 1.3.6.1.2.1.1.1.0
    ///          05 00           NULL
    /// ```
    #[test]
    fn get_request_known_answer() {
        let pdu = Pdu::GetRequest(BasicPdu::new(
            12345,
            vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))],
        ));
        round_trip(
            &pdu,
            &[
                0xa0, 0x1a, 0x02, 0x02, 0x30, 0x39, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e,
                0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
            ],
        );
    }

    #[test]
    fn bulk_and_trap_known_answers() {
        // GetBulkRequest id 1, non-repeaters 0, max-repetitions 10, ifTable.
        let pdu = Pdu::GetBulkRequest(BulkPdu {
            request_id: 1,
            non_repeaters: 0,
            max_repetitions: 10,
            varbinds: vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 2, 2))],
        });
        round_trip(
            &pdu,
            &[
                0xa5, 0x18, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x0a, 0x30, 0x0d, 0x30,
                0x0b, 0x06, 0x07, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x02, 0x05, 0x00,
            ],
        );
        // coldStart trap from 127.0.0.1, enterprise 1.3.6.1.4.1.4.1.2.21, no bindings.
        let pdu = Pdu::TrapV1(Box::new(TrapV1Pdu {
            enterprise: oid!(1, 3, 6, 1, 4, 1, 4, 1, 2, 21),
            agent_addr: [127, 0, 0, 1],
            generic_trap: GenericTrap::COLD_START,
            specific_trap: 0,
            time_stamp: 0,
            varbinds: vec![],
        }));
        // The PDU of rusticata's snmpv1_trap_coldstart.bin, with its one binding removed.
        round_trip(
            &pdu,
            &[
                0xa4, 0x1c, 0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x04, 0x01, 0x02, 0x15, 0x40,
                0x04, 0x7f, 0x00, 0x00, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x43, 0x01, 0x00,
                0x30, 0x00,
            ],
        );
    }

    #[test]
    fn unknown_pdu_tag_is_an_error() {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let e = Pdu::decode(&mut dec.reader(&[0xa9, 0x00])).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::InvalidTag { what: "PDU", .. }
        ));
        // A primitive [0] is not a PDU either.
        let e = Pdu::decode(&mut dec.reader(&[0x80, 0x00])).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::InvalidTag { what: "PDU", .. }
        ));
    }

    #[test]
    fn count_elements_counts_only_plausible_lists() {
        // Two bindings, the second with a long-form length.
        let two = [
            0x30, 0x06, 0x06, 0x01, 0x2b, 0x02, 0x01, 0x07, //
            0x30, 0x81, 0x04, 0x06, 0x00, 0x05, 0x00,
        ];
        assert_eq!(count_elements(&two), Some(2));
        assert_eq!(count_elements(&[]), Some(0));
        // Too short to be a binding, a high tag number, a reserved length, a truncation.
        assert_eq!(count_elements(&[0x30, 0x00]), None);
        assert_eq!(count_elements(&[0x3f, 0x04, 0x06, 0x00, 0x05, 0x00]), None);
        assert_eq!(count_elements(&[0x30, 0x84, 0, 0, 0, 4, 6, 0, 5, 0]), None);
        assert_eq!(count_elements(&two[..two.len() - 1]), None);
        // A stray octet after the last element is left to the decoder to reject.
        assert_eq!(
            count_elements(&[0x30, 0x04, 0x06, 0x00, 0x05, 0x00, 0x00]),
            Some(1)
        );
    }

    /// Lists the count gives up on decode as before, and a stray octet is still an error.
    #[test]
    fn varbind_lists_off_the_counted_path() {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        // A binding with a four-octet length (84 00 00 00 0c), which the count does not read,
        // after a canonical one.
        let wire = [
            0x30, 0x28, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,
            0x05, 0x00, 0x30, 0x84, 0x00, 0x00, 0x00, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02,
            0x01, 0x01, 0x02, 0x00, 0x05, 0x00, 0x30, 0x06, 0x06, 0x01, 0x2b, 0x02, 0x01, 0x07,
        ];
        let vbs = decode_varbinds(&mut dec.reader(&wire)).unwrap();
        assert_eq!(
            vbs,
            vec![
                VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)),
                VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 2, 0)),
                VarBind::new(oid!(1, 3), 7),
            ]
        );
        assert_eq!(
            dec.anomalies().count(snmp_ber::Anomaly::NonMinimalLength),
            1
        );
        let e = decode_varbinds(
            &mut dec.reader(&[0x30, 0x07, 0x30, 0x04, 0x06, 0x00, 0x05, 0x00, 0x00]),
        )
        .unwrap_err();
        assert_eq!(e.offset, 9);
        assert!(matches!(e.kind, DecodeErrorKind::Truncated { .. }), "{e:?}");
    }

    #[test]
    fn error_status_names() {
        assert_eq!(ErrorStatus::NOT_WRITABLE.name(), Some("notWritable"));
        assert_eq!(ErrorStatus(18).name(), Some("inconsistentName"));
        assert_eq!(ErrorStatus(19).name(), None);
        assert_eq!(ErrorStatus(-1).name(), None);
        assert_eq!(alloc::format!("{}", ErrorStatus::TOO_BIG), "tooBig (1)");
    }
}
