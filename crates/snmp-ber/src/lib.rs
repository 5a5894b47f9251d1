//! The BER codec of an SNMP stack: the X.690 Basic Encoding Rules as RFC 3417 section 8
//! restricts them for SNMP.
//!
//! This is the lowest layer of the workspace. It knows identifiers, lengths and the primitive
//! encodings (INTEGER, OCTET STRING, NULL, OBJECT IDENTIFIER), and nothing of SNMP's types:
//! `snmp-smi` builds those on top.
//!
//! - **Decoding** is zero-copy and bounded: a [`Reader`] over the input hands out child readers
//!   limited to each value's declared length, refuses nesting deeper than
//!   [`DecodeOptions::max_depth`], and reports every failure as a [`DecodeError`] carrying the
//!   byte offset. No input makes it panic.
//! - **Lenient in**: what real agents send (long-form lengths, non-minimal integers, unsigned
//!   values without the `00` pad, trailing bytes...) is accepted when [`DecodeOptions::allow`]
//!   says so, and each occurrence is counted as an [`Anomaly`] in the [`Decoder`].
//! - **Strict out**: the [`Encoder`] writes minimal definite lengths and minimal integers in one
//!   pass, back to front, within an optional size limit.
//!
//! ```
//! use snmp_ber::{Decoder, DecodeOptions, Encoder, Tag};
//!
//! // Encode SEQUENCE { INTEGER 42, OCTET STRING "public" }; elements are written last first.
//! let mut e = Encoder::new();
//! e.write_tlv(Tag::SEQUENCE, |e| {
//!     e.put_octets(Tag::OCTET_STRING, b"public")?;
//!     e.put_i64(Tag::INTEGER, 42)
//! })?;
//! let wire = e.finish();
//! assert_eq!(wire[..4], [0x30, 0x0b, 0x02, 0x01]);
//!
//! // Decode it again.
//! let dec = Decoder::new(DecodeOptions::default());
//! let mut r = dec.reader_bytes(&wire);
//! let mut seq = r.read_tlv(Tag::SEQUENCE)?;
//! assert_eq!(seq.read_i32(Tag::INTEGER)?, 42);
//! assert_eq!(seq.read_bytes(Tag::OCTET_STRING)?, "public");
//! seq.finish("SEQUENCE")?;
//! r.finish("message")?;
//! assert!(dec.anomalies().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![doc(test(attr(deny(warnings))))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod decode;
mod encode;
mod tag;

pub use decode::{
    Anomalies, Anomaly, AnomalySet, DecodeError, DecodeErrorKind, DecodeOptions, Decoder,
    MAX_OID_LEN, Reader, oid_arc_count,
};
pub use encode::{EncodeError, Encoder, Mark};
pub use tag::{Class, Tag};
