//! SNMP's Structure of Management Information as Rust types: [`Oid`], [`Value`], [`VarBind`]
//! and every PDU of RFC 3416 and RFC 1157, each with its BER encoding.
//!
//! This crate sits on `snmp-ber` and below the message layer (`snmp-mpm`): it knows what a
//! GetRequest is, not who sent it. Decoding is lenient as `snmp-ber` allows (and counts);
//! encoding is canonical.
//!
//! ```
//! use snmp_ber::{Decoder, DecodeOptions, Encoder};
//! use snmp_smi::{BasicPdu, Pdu, Value, VarBind, oid};
//!
//! // A Response carrying sysDescr.0 and sysUpTime.0.
//! let response = Pdu::Response(BasicPdu::new(42, vec![
//!     VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "Linux router 6.1"),
//!     VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 3, 0), Value::TimeTicks(123_456)),
//! ]));
//! let mut e = Encoder::new();
//! response.encode(&mut e)?;
//! let wire = e.finish();
//!
//! let dec = Decoder::new(DecodeOptions::default());
//! let back = Pdu::decode(&mut dec.reader_bytes(&wire))?;
//! assert_eq!(back, response);
//! assert_eq!(back.varbinds()[1].to_string(), ".1.3.6.1.2.1.1.3.0 = Timeticks: (123456) 0:20:34.56");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! With the `serde` feature, OIDs serialize as dotted text and values as
//! `{"type": ..., "value": ...}`.
#![no_std]
#![doc(test(attr(deny(warnings))))]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

mod oid;
mod pdu;
mod value;

pub use oid::{Oid, OidError, OidParseError, OidParseErrorKind};
pub use pdu::{
    BasicPdu, BulkPdu, ErrorStatus, GenericTrap, Pdu, PduType, TrapV1Pdu, decode_varbinds,
    encode_varbinds,
};
pub use value::{
    TAG_COUNTER32, TAG_COUNTER64, TAG_END_OF_MIB_VIEW, TAG_GAUGE32, TAG_IP_ADDRESS,
    TAG_NO_SUCH_INSTANCE, TAG_NO_SUCH_OBJECT, TAG_OPAQUE, TAG_TIMETICKS, TAG_UINTEGER32, Value,
    VarBind,
};
