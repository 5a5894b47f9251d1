//! SNMP message formats: the community-based message of SNMPv1 (RFC 1157) and SNMPv2c
//! (RFC 1901), and the SNMPv3 message of RFC 3412 with its header and scoped PDU.
//!
//! This layer sits on `snmp-smi` (the PDUs) and below the security models and the engine.
//! It decodes and encodes messages, checks SNMPv3 headers as RFC 3412 does before any security
//! model sees them (with the snmpMPDStats counters), and translates PDUs between SNMPv1 and
//! SNMPv2 (RFC 3584), and defines the security-model interface of RFC 3411 ([`SecurityModel`])
//! that `snmp-usm` implements.
//!
//! ```
//! use bytes::Bytes;
//! use snmp_ber::{Decoder, DecodeOptions};
//! use snmp_mpm::{CommunityMessage, Message, Version};
//! use snmp_smi::{BasicPdu, Pdu, VarBind, oid};
//!
//! let request = Message::Community(CommunityMessage {
//!     version: Version::V2c,
//!     community: Bytes::from_static(b"public"),
//!     pdu: Pdu::GetRequest(BasicPdu::new(1, vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))])),
//! });
//! let wire = request.to_bytes()?;
//!
//! let dec = Decoder::new(DecodeOptions::default());
//! assert_eq!(Message::decode(&dec, &wire)?, request);
//! assert!(dec.anomalies().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![doc(test(attr(deny(warnings))))]

extern crate alloc;

mod engine_id;
#[doc(hidden)]
pub mod fuzzing;
mod message;
mod mpd;
mod security;
mod translate;

pub use engine_id::{EngineId, EngineIdError, EngineIdFormat};
pub use message::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, V3Message, Version,
};
pub use mpd::{
    InvalidMsg, MIN_MAX_SIZE, MpdError, MpdStats, SecurityLevel, UnknownSecurityLevel,
    check_header, may_report,
};
pub use security::{SecurityIncoming, SecurityModel};
pub use translate::{
    SNMP_TRAP_ADDRESS_0, SNMP_TRAP_COMMUNITY_0, SNMP_TRAP_ENTERPRISE_0, SNMP_TRAP_OID_0,
    SNMP_TRAPS, SYS_UP_TIME_0, TranslationError, TrapTranslator, bulk_to_get_next, v1_trap_oid,
    v1_trap_to_v2, v2_error_to_v1, v2_response_to_v1, v2_to_v1_trap,
};
