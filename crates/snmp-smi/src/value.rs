//! SNMP values (RFC 2578 section 7.1, RFC 3416 section 3) and variable bindings.

use core::fmt;
use core::hash::{Hash, Hasher};

use bytes::Bytes;
use snmp_ber::{
    DecodeError, DecodeErrorKind, DecodeOptions, Decoder, EncodeError, Encoder, Reader, Tag,
};

use crate::Oid;

/// `IpAddress ::= [APPLICATION 0] IMPLICIT OCTET STRING (SIZE (4))`.
pub const TAG_IP_ADDRESS: Tag = Tag::application(0x00);
/// `Counter32 ::= [APPLICATION 1] IMPLICIT INTEGER (0..4294967295)`.
pub const TAG_COUNTER32: Tag = Tag::application(0x01);
/// `Gauge32 ::= [APPLICATION 2]`; `Unsigned32` shares it.
pub const TAG_GAUGE32: Tag = Tag::application(0x02);
/// `TimeTicks ::= [APPLICATION 3] IMPLICIT INTEGER (0..4294967295)`.
pub const TAG_TIMETICKS: Tag = Tag::application(0x03);
/// `Opaque ::= [APPLICATION 4] IMPLICIT OCTET STRING`.
pub const TAG_OPAQUE: Tag = Tag::application(0x04);
/// `Counter64 ::= [APPLICATION 6] IMPLICIT INTEGER (0..18446744073709551615)`.
pub const TAG_COUNTER64: Tag = Tag::application(0x06);
/// `UInteger32 ::= [APPLICATION 7]`, from RFC 1442 (obsolete, still sent by net-snmp).
pub const TAG_UINTEGER32: Tag = Tag::application(0x07);
/// `noSuchObject [0] IMPLICIT NULL` (RFC 3416).
pub const TAG_NO_SUCH_OBJECT: Tag = Tag::context(0x00, false);
/// `noSuchInstance [1] IMPLICIT NULL` (RFC 3416).
pub const TAG_NO_SUCH_INSTANCE: Tag = Tag::context(0x01, false);
/// `endOfMibView [2] IMPLICIT NULL` (RFC 3416).
pub const TAG_END_OF_MIB_VIEW: Tag = Tag::context(0x02, false);

/// net-snmp's tags inside an Opaque (`ASN_OPAQUE_TAG1 | type`, X.690 high tag numbers).
const TAG_OPAQUE_FLOAT: Tag = Tag::context(0x78, false);
const TAG_OPAQUE_DOUBLE: Tag = Tag::context(0x79, false);
const TAG_OPAQUE_I64: Tag = Tag::context(0x7a, false);
const TAG_OPAQUE_U64: Tag = Tag::context(0x7b, false);

/// The value of a variable binding.
///
/// ```text
/// ObjectSyntax ::= CHOICE { simple SimpleSyntax, application-wide ApplicationSyntax }
/// SimpleSyntax ::= CHOICE { integer-value INTEGER (-2147483648..2147483647),
///     string-value OCTET STRING (SIZE (0..65535)), objectID-value OBJECT IDENTIFIER }
/// ApplicationSyntax ::= CHOICE { ipAddress-value IpAddress, counter-value Counter32,
///     timeticks-value TimeTicks, arbitrary-value Opaque, big-counter-value Counter64,
///     unsigned-integer-value Unsigned32 }
/// ```
///
/// plus `NULL` and the three exceptions of a response (`noSuchObject`, `noSuchInstance`,
/// `endOfMibView`), and net-snmp's typed Opaque forms.
///
/// Floats compare and hash by their bits, so `Value` is `Eq` and `Hash`.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "type", content = "value"))]
#[non_exhaustive]
pub enum Value {
    /// `INTEGER` / `Integer32`.
    Integer(i32),
    /// `OCTET STRING`.
    OctetString(Bytes),
    /// `NULL`: the value of every binding in a request.
    Null,
    /// `OBJECT IDENTIFIER`.
    ObjectIdentifier(Oid),
    /// `IpAddress`, in network order.
    IpAddress([u8; 4]),
    /// `Counter32`.
    Counter32(u32),
    /// `Gauge32` / `Unsigned32`.
    Gauge32(u32),
    /// `TimeTicks`, hundredths of a second.
    TimeTicks(u32),
    /// `Opaque` holding anything other than net-snmp's typed forms below.
    Opaque(Bytes),
    /// `Counter64`.
    Counter64(u64),
    /// `UInteger32` (RFC 1442, obsolete but still sent by some agents).
    UInteger32(u32),
    /// net-snmp's Opaque float (`44 07 9f 78 04` + IEEE 754 single).
    OpaqueFloat(f32),
    /// net-snmp's Opaque double (`44 0b 9f 79 08` + IEEE 754 double).
    OpaqueDouble(f64),
    /// net-snmp's Opaque signed 64-bit integer (`9f 7a`).
    OpaqueI64(i64),
    /// net-snmp's Opaque unsigned 64-bit integer (`9f 7b`).
    OpaqueU64(u64),
    /// `noSuchObject`: no such object in the view.
    NoSuchObject,
    /// `noSuchInstance`: the object exists, the instance does not.
    NoSuchInstance,
    /// `endOfMibView`: nothing follows in the view.
    EndOfMibView,
}

impl Value {
    /// Whether this is one of the three exceptions of RFC 3416.
    pub fn is_exception(&self) -> bool {
        matches!(
            self,
            Self::NoSuchObject | Self::NoSuchInstance | Self::EndOfMibView
        )
    }

    /// The value as a signed integer: any integer type whose value fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            Self::Integer(v) => Some(i64::from(v)),
            Self::Counter32(v) | Self::Gauge32(v) | Self::TimeTicks(v) | Self::UInteger32(v) => {
                Some(i64::from(v))
            }
            Self::Counter64(v) | Self::OpaqueU64(v) => i64::try_from(v).ok(),
            Self::OpaqueI64(v) => Some(v),
            _ => None,
        }
    }

    /// The value as an unsigned integer: any integer type whose value is not negative.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Self::Integer(v) => u64::try_from(v).ok(),
            Self::Counter32(v) | Self::Gauge32(v) | Self::TimeTicks(v) | Self::UInteger32(v) => {
                Some(u64::from(v))
            }
            Self::Counter64(v) | Self::OpaqueU64(v) => Some(v),
            Self::OpaqueI64(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    /// The value as a float: net-snmp's Opaque float and double.
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            Self::OpaqueFloat(v) => Some(f64::from(v)),
            Self::OpaqueDouble(v) => Some(v),
            _ => None,
        }
    }

    /// The octets of an OCTET STRING or an untyped Opaque.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Self::OctetString(b) | Self::Opaque(b) => Some(b),
            _ => None,
        }
    }

    /// An OCTET STRING that is valid UTF-8, as text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::OctetString(b) => core::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    /// An OBJECT IDENTIFIER value.
    pub fn as_oid(&self) -> Option<&Oid> {
        match self {
            Self::ObjectIdentifier(o) => Some(o),
            _ => None,
        }
    }

    /// The SMI name of the type, as net-snmp prints it before a value (`INTEGER`, `STRING`...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Integer(_) => "INTEGER",
            Self::OctetString(_) => "STRING",
            Self::Null => "NULL",
            Self::ObjectIdentifier(_) => "OID",
            Self::IpAddress(_) => "IpAddress",
            Self::Counter32(_) => "Counter32",
            Self::Gauge32(_) => "Gauge32",
            Self::TimeTicks(_) => "Timeticks",
            Self::Opaque(_) => "OPAQUE",
            Self::Counter64(_) => "Counter64",
            Self::UInteger32(_) => "UInteger32",
            Self::OpaqueFloat(_) => "Opaque: Float",
            Self::OpaqueDouble(_) => "Opaque: Double",
            Self::OpaqueI64(_) => "Opaque: Int64",
            Self::OpaqueU64(_) => "Opaque: UInt64",
            Self::NoSuchObject => "noSuchObject",
            Self::NoSuchInstance => "noSuchInstance",
            Self::EndOfMibView => "endOfMibView",
        }
    }

    /// Reads one value.
    #[inline]
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let start = r.offset();
        let (tag, at, content) = r.read_element()?;
        Self::from_element(r, start, tag, at, content)
    }

    /// Interprets a value already split into tag and content (by [`Reader::read_element`]):
    /// `start` is the absolute offset of its tag, `at` that of its content, and `r` the reader
    /// it came from (for zero-copy strings).
    #[inline(always)]
    pub fn from_element<'a>(
        r: &Reader<'a>,
        start: usize,
        tag: Tag,
        at: usize,
        content: &'a [u8],
    ) -> Result<Self, DecodeError> {
        let mut v = Self::Null;
        v.set_from_element(r, start, tag, at, content)?;
        Ok(v)
    }

    /// Stores `value`; a placeholder NULL owns nothing, so it is overwritten without running
    /// its drop glue (a measurable share of decoding).
    #[inline(always)]
    fn put(&mut self, value: Self) {
        if matches!(self, Self::Null) {
            core::mem::forget(core::mem::replace(self, value));
        } else {
            *self = value;
        }
    }

    /// Stores an OCTET STRING. The variant is written first and the `Bytes` then moved into
    /// it: built whole, the value went through a temporary that was read back wider than
    /// it had been written, a store-forwarding stall per string.
    #[inline(always)]
    fn put_octet_string(&mut self, octets: Bytes) {
        self.put(Self::OctetString(Bytes::new()));
        if let Self::OctetString(b) = self {
            // The empty `Bytes` owns nothing.
            core::mem::forget(core::mem::replace(b, octets));
        }
    }

    /// [`Value::from_element`] into `self`: each arm writes its variant straight into place,
    /// so a binding decoded in its slot of a `Vec` never goes through a temporary on the
    /// stack (whose copy, read wider than it was written, stalls store forwarding).
    #[inline(always)]
    pub(crate) fn set_from_element<'a>(
        &mut self,
        r: &Reader<'a>,
        start: usize,
        tag: Tag,
        at: usize,
        content: &'a [u8],
    ) -> Result<(), DecodeError> {
        let dec = r.decoder();
        let Some(t) = tag.as_u8() else {
            return Err(invalid_value_tag(start, tag));
        };
        match t {
            0x02 => self.put(Self::Integer(dec.signed_i32(at, content)?)),
            0x04 => self.put_octet_string(r.to_bytes(content)),
            0x05 => {
                dec.null(at, content)?;
                self.put(Self::Null);
            }
            0x06 => {
                // Decoded in place too: `Oid::from_content` returned it through memory.
                self.put(Self::ObjectIdentifier(Oid::EMPTY));
                if let Self::ObjectIdentifier(oid) = self {
                    oid.set_from_content(dec, at, content)?;
                }
            }
            0x40 => {
                let addr = <[u8; 4]>::try_from(content).map_err(|_| {
                    DecodeError::new(
                        start,
                        DecodeErrorKind::BadValueLength {
                            what: "IpAddress",
                            found: content.len(),
                        },
                    )
                })?;
                self.put(Self::IpAddress(addr));
            }
            0x41 => self.put(Self::Counter32(dec.unsigned_u32(at, content)?)),
            0x42 => self.put(Self::Gauge32(dec.unsigned_u32(at, content)?)),
            0x43 => self.put(Self::TimeTicks(dec.unsigned_u32(at, content)?)),
            0x44 => match decode_opaque(content) {
                Some(v) => self.put(v),
                None => self.put(Self::Opaque(r.to_bytes(content))),
            },
            0x46 => self.put(Self::Counter64(dec.unsigned(at, content, 64)?)),
            0x47 => self.put(Self::UInteger32(dec.unsigned_u32(at, content)?)),
            0x80 => {
                dec.null(at, content)?;
                self.put(Self::NoSuchObject);
            }
            0x81 => {
                dec.null(at, content)?;
                self.put(Self::NoSuchInstance);
            }
            0x82 => {
                dec.null(at, content)?;
                self.put(Self::EndOfMibView);
            }
            _ => return Err(invalid_value_tag(start, tag)),
        }
        Ok(())
    }

    /// Writes this value.
    #[inline]
    pub fn encode(&self, e: &mut Encoder) -> Result<(), EncodeError> {
        match self {
            Self::Integer(v) => e.put_i64(Tag::INTEGER, i64::from(*v)),
            Self::OctetString(b) => e.put_octets(Tag::OCTET_STRING, b),
            Self::Null => e.put_null(Tag::NULL),
            Self::ObjectIdentifier(o) => o.encode(e, Tag::OBJECT_IDENTIFIER),
            Self::IpAddress(a) => e.put_octets(TAG_IP_ADDRESS, a),
            Self::Counter32(v) => e.put_u64(TAG_COUNTER32, u64::from(*v)),
            Self::Gauge32(v) => e.put_u64(TAG_GAUGE32, u64::from(*v)),
            Self::TimeTicks(v) => e.put_u64(TAG_TIMETICKS, u64::from(*v)),
            Self::Opaque(b) => e.put_octets(TAG_OPAQUE, b),
            Self::Counter64(v) => e.put_u64(TAG_COUNTER64, *v),
            Self::UInteger32(v) => e.put_u64(TAG_UINTEGER32, u64::from(*v)),
            Self::OpaqueFloat(v) => e.write_tlv(TAG_OPAQUE, |e| {
                e.put_octets(TAG_OPAQUE_FLOAT, &v.to_be_bytes())
            }),
            Self::OpaqueDouble(v) => e.write_tlv(TAG_OPAQUE, |e| {
                e.put_octets(TAG_OPAQUE_DOUBLE, &v.to_be_bytes())
            }),
            Self::OpaqueI64(v) => e.write_tlv(TAG_OPAQUE, |e| e.put_i64(TAG_OPAQUE_I64, *v)),
            Self::OpaqueU64(v) => e.write_tlv(TAG_OPAQUE, |e| e.put_u64(TAG_OPAQUE_U64, *v)),
            Self::NoSuchObject => e.put_null(TAG_NO_SUCH_OBJECT),
            Self::NoSuchInstance => e.put_null(TAG_NO_SUCH_INSTANCE),
            Self::EndOfMibView => e.put_null(TAG_END_OF_MIB_VIEW),
        }
    }
}

#[cold]
fn invalid_value_tag(at: usize, found: Tag) -> DecodeError {
    DecodeError::new(
        at,
        DecodeErrorKind::InvalidTag {
            found,
            what: "value",
        },
    )
}

/// Recognises net-snmp's typed Opaque content; anything else stays a plain Opaque.
///
/// Only a canonical inner encoding is typed: anything else keeps the raw octets, unchanged and
/// without an anomaly, so that it re-encodes exactly as it came.
fn decode_opaque(content: &[u8]) -> Option<Value> {
    let first = *content.first()?;
    if first != 0x9f {
        return None;
    }
    let dec = Decoder::new(DecodeOptions::STRICT);
    let mut r = dec.reader(content);
    let tag = r.peek_tag().ok()?;
    let v = match tag {
        TAG_OPAQUE_FLOAT => {
            let b = <[u8; 4]>::try_from(r.read_octets(tag).ok()?).ok()?;
            Value::OpaqueFloat(f32::from_be_bytes(b))
        }
        TAG_OPAQUE_DOUBLE => {
            let b = <[u8; 8]>::try_from(r.read_octets(tag).ok()?).ok()?;
            Value::OpaqueDouble(f64::from_be_bytes(b))
        }
        TAG_OPAQUE_I64 => Value::OpaqueI64(r.read_i64(tag).ok()?),
        TAG_OPAQUE_U64 => Value::OpaqueU64(r.read_u64(tag).ok()?),
        _ => return None,
    };
    r.is_empty().then_some(v)
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Integer(a), Self::Integer(b)) => a == b,
            (Self::OctetString(a), Self::OctetString(b)) | (Self::Opaque(a), Self::Opaque(b)) => {
                a == b
            }
            (Self::Null, Self::Null)
            | (Self::NoSuchObject, Self::NoSuchObject)
            | (Self::NoSuchInstance, Self::NoSuchInstance)
            | (Self::EndOfMibView, Self::EndOfMibView) => true,
            (Self::ObjectIdentifier(a), Self::ObjectIdentifier(b)) => a == b,
            (Self::IpAddress(a), Self::IpAddress(b)) => a == b,
            (Self::Counter32(a), Self::Counter32(b))
            | (Self::Gauge32(a), Self::Gauge32(b))
            | (Self::TimeTicks(a), Self::TimeTicks(b))
            | (Self::UInteger32(a), Self::UInteger32(b)) => a == b,
            (Self::Counter64(a), Self::Counter64(b)) | (Self::OpaqueU64(a), Self::OpaqueU64(b)) => {
                a == b
            }
            (Self::OpaqueFloat(a), Self::OpaqueFloat(b)) => a.to_bits() == b.to_bits(),
            (Self::OpaqueDouble(a), Self::OpaqueDouble(b)) => a.to_bits() == b.to_bits(),
            (Self::OpaqueI64(a), Self::OpaqueI64(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Value {}

impl Hash for Value {
    fn hash<H: Hasher>(&self, state: &mut H) {
        core::mem::discriminant(self).hash(state);
        match self {
            Self::Integer(v) => v.hash(state),
            Self::OctetString(b) | Self::Opaque(b) => b.hash(state),
            Self::ObjectIdentifier(o) => o.hash(state),
            Self::IpAddress(a) => a.hash(state),
            Self::Counter32(v) | Self::Gauge32(v) | Self::TimeTicks(v) | Self::UInteger32(v) => {
                v.hash(state);
            }
            Self::Counter64(v) | Self::OpaqueU64(v) => v.hash(state),
            Self::OpaqueFloat(v) => v.to_bits().hash(state),
            Self::OpaqueDouble(v) => v.to_bits().hash(state),
            Self::OpaqueI64(v) => v.hash(state),
            Self::Null | Self::NoSuchObject | Self::NoSuchInstance | Self::EndOfMibView => {}
        }
    }
}

/// A compact rendering for logs: `INTEGER: 5`, `STRING: "abc"` or hex, `OID: 1.3.6`...
/// (MIB-aware formatting as net-snmp prints belongs to `snmp-mib`).
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.type_name();
        match self {
            Self::Integer(v) => write!(f, "{name}: {v}"),
            Self::OctetString(b) | Self::Opaque(b) => {
                if let Ok(s) = core::str::from_utf8(b)
                    && s.chars()
                        .all(|c| !c.is_control() || c == '\n' || c == '\r' || c == '\t')
                {
                    return write!(f, "{name}: \"{s}\"");
                }
                write!(f, "Hex-{name}:")?;
                for byte in b.iter() {
                    write!(f, " {byte:02X}")?;
                }
                Ok(())
            }
            Self::Null => f.write_str("NULL"),
            Self::ObjectIdentifier(o) => write!(f, "{name}: {o:#}"),
            Self::IpAddress([a, b, c, d]) => write!(f, "{name}: {a}.{b}.{c}.{d}"),
            Self::Counter32(v) | Self::Gauge32(v) | Self::UInteger32(v) => write!(f, "{name}: {v}"),
            Self::TimeTicks(v) => write!(f, "{name}: ({v}) {}", Uptime(*v)),
            Self::Counter64(v) | Self::OpaqueU64(v) => write!(f, "{name}: {v}"),
            Self::OpaqueFloat(v) => write!(f, "{name}: {v}"),
            Self::OpaqueDouble(v) => write!(f, "{name}: {v}"),
            Self::OpaqueI64(v) => write!(f, "{name}: {v}"),
            Self::NoSuchObject => f.write_str("No Such Object available on this agent at this OID"),
            Self::NoSuchInstance => f.write_str("No Such Instance currently exists at this OID"),
            Self::EndOfMibView => f.write_str("No more variables left in this MIB View"),
        }
    }
}

/// TimeTicks as net-snmp prints them after the raw count: `0:02:03.45`, `1 day, 2:03:04.05`,
/// `3 days, 0:00:00.00`.
struct Uptime(u32);

impl fmt::Display for Uptime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0;
        let (days, hours, minutes) = (t / 8_640_000, t / 360_000 % 24, t / 6000 % 60);
        let (seconds, centis) = (t / 100 % 60, t % 100);
        match days {
            0 => {}
            1 => f.write_str("1 day, ")?,
            d => write!(f, "{d} days, ")?,
        }
        write!(f, "{hours}:{minutes:02}:{seconds:02}.{centis:02}")
    }
}

macro_rules! from_impls {
    ($($t:ty => $variant:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Self::$variant(v.into())
            }
        })*
    };
}

from_impls! {
    i32 => Integer,
    Bytes => OctetString,
    &'static str => OctetString,
    alloc::vec::Vec<u8> => OctetString,
    alloc::string::String => OctetString,
    Oid => ObjectIdentifier,
    [u8; 4] => IpAddress,
}

#[cfg(feature = "std")]
impl From<std::net::Ipv4Addr> for Value {
    fn from(a: std::net::Ipv4Addr) -> Self {
        Self::IpAddress(a.octets())
    }
}

/// `VarBind ::= SEQUENCE { name ObjectName, CHOICE { value ObjectSyntax, unSpecified NULL,
/// noSuchObject [0] NULL, noSuchInstance [1] NULL, endOfMibView [2] NULL } }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[allow(clippy::exhaustive_structs)] // an OID and a value, by definition
pub struct VarBind {
    /// The variable's name (an instance OID).
    pub oid: Oid,
    /// Its value (`Null` in requests).
    pub value: Value,
}

impl VarBind {
    /// A binding of `oid` to `value`.
    pub fn new(oid: Oid, value: impl Into<Value>) -> Self {
        Self {
            oid,
            value: value.into(),
        }
    }

    /// A binding of `oid` to NULL, as GET, GETNEXT and GETBULK requests carry.
    pub fn null(oid: Oid) -> Self {
        Self {
            oid,
            value: Value::Null,
        }
    }

    /// Reads one `VarBind`.
    #[inline]
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut vb = Self::null(Oid::EMPTY);
        vb.decode_in_place(r)?;
        Ok(vb)
    }

    /// Reads one `VarBind` into `self`, without moving the OID.
    #[inline(always)]
    pub(crate) fn decode_in_place(&mut self, r: &mut Reader<'_>) -> Result<(), DecodeError> {
        // Fast path for the canonical short form `30 L 06 Lo oid T Lv value` (L, Lo, Lv below
        // 0x80, one-octet value tag, nothing else inside): no child reader is made. Anything
        // else takes the general path below, which gives the same result or the same error.
        let rest = r.rest();
        if let [0x30, l, 0x06, lo, ..] = *rest
            && l < 0x80
            && lo < 0x80
            && r.depth() < r.decoder().options().max_depth
        {
            let (l, lo) = (usize::from(l), usize::from(lo));
            if let Some(&[t, lv]) = rest.get(4 + lo..6 + lo)
                && t & 0x1f != 0x1f
                && lv < 0x80
                && 4 + lo + usize::from(lv) == l
                && l + 2 <= rest.len()
            {
                let base = r.offset();
                let oid = rest.get(4..4 + lo).unwrap_or_default();
                let value = rest.get(6 + lo..2 + l).unwrap_or_default();
                if t == 0x04 {
                    // An OCTET STRING's `Bytes` comes back from a call through memory, and
                    // its copy into the slot must wait for those stores: made before the OID
                    // is decoded, that wait overlaps the OID's work.
                    let octets = r.to_bytes(value);
                    self.oid.set_from_content(r.decoder(), base + 4, oid)?;
                    self.value.put_octet_string(octets);
                } else {
                    self.oid.set_from_content(r.decoder(), base + 4, oid)?;
                    let tag = Tag::from_octet(t);
                    self.value
                        .set_from_element(r, base + 4 + lo, tag, base + 6 + lo, value)?;
                }
                r.advance(2 + l);
                return Ok(());
            }
        }
        let mut seq = r.read_tlv(Tag::SEQUENCE)?;
        let (at, content) = seq.read_primitive(Tag::OBJECT_IDENTIFIER)?;
        self.oid.set_from_content(seq.decoder(), at, content)?;
        let start = seq.offset();
        let (tag, at, content) = seq.read_element()?;
        self.value.set_from_element(&seq, start, tag, at, content)?;
        seq.finish("VarBind")
    }

    /// Writes this binding.
    #[inline]
    pub fn encode(&self, e: &mut Encoder) -> Result<(), EncodeError> {
        e.write_tlv(Tag::SEQUENCE, |e| {
            self.value.encode(e)?;
            self.oid.encode(e, Tag::OBJECT_IDENTIFIER)
        })
    }
}

impl fmt::Display for VarBind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#} = {}", self.oid, self.value)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use snmp_ber::{Anomaly, DecodeOptions};

    use super::*;
    use crate::oid;

    fn encode(v: &Value) -> Vec<u8> {
        let mut e = Encoder::new();
        v.encode(&mut e).unwrap();
        e.as_slice().to_vec()
    }

    fn decode(b: &[u8]) -> Value {
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(b);
        let v = Value::decode(&mut r).unwrap();
        r.finish("value").unwrap();
        v
    }

    /// Known answers: each value, its canonical encoding.
    #[test]
    fn known_answers() {
        let cases: Vec<(Value, &[u8])> = alloc::vec![
            // INTEGER 104 (gosnmp test0: sysServices.0)
            (Value::Integer(104), &[0x02, 0x01, 0x68]),
            (Value::Integer(-1), &[0x02, 0x01, 0xff]),
            (Value::Integer(i32::MIN), &[0x02, 0x04, 0x80, 0, 0, 0]),
            (Value::from("Administrator"), b"\x04\x0dAdministrator"),
            (Value::Null, &[0x05, 0x00]),
            (
                Value::ObjectIdentifier(oid!(1, 3, 6)),
                &[0x06, 0x02, 0x2b, 0x06]
            ),
            // IpAddress 127.0.0.1 (gosnmp test4)
            (
                Value::IpAddress([127, 0, 0, 1]),
                &[0x40, 0x04, 127, 0, 0, 1]
            ),
            // Counter32 271070065 (gosnmp test1)
            (
                Value::Counter32(271_070_065),
                &[0x41, 0x04, 0x10, 0x28, 0x33, 0x71]
            ),
            // Gauge32 4294967295 (gosnmp test2): the 00 pad keeps it positive
            (
                Value::Gauge32(u32::MAX),
                &[0x42, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff]
            ),
            // TimeTicks 318870100 (gosnmp test10)
            (
                Value::TimeTicks(318_870_100),
                &[0x43, 0x04, 0x13, 0x01, 0x92, 0x54]
            ),
            (
                Value::Opaque(Bytes::from_static(&[1, 2])),
                &[0x44, 0x02, 1, 2]
            ),
            // Counter64 2^63-1 (gosnmp test12)
            (
                Value::Counter64(i64::MAX as u64),
                &[0x46, 0x08, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
            ),
            // UInteger32 2147483647 (gosnmp test11)
            (
                Value::UInteger32(0x7fff_ffff),
                &[0x47, 0x04, 0x7f, 0xff, 0xff, 0xff]
            ),
            // Opaque float 10.0 (gosnmp test5), Opaque double 10.0 (gosnmp test7)
            (
                Value::OpaqueFloat(10.0),
                &[0x44, 0x07, 0x9f, 0x78, 0x04, 0x41, 0x20, 0x00, 0x00]
            ),
            (
                Value::OpaqueDouble(10.0),
                &[0x44, 0x0b, 0x9f, 0x79, 0x08, 0x40, 0x24, 0, 0, 0, 0, 0, 0],
            ),
            (Value::OpaqueI64(-2), &[0x44, 0x04, 0x9f, 0x7a, 0x01, 0xfe]),
            (
                Value::OpaqueU64(u64::MAX),
                &[
                    0x44, 0x0c, 0x9f, 0x7b, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                    0xff
                ]
            ),
            (Value::NoSuchObject, &[0x80, 0x00]),
            (Value::NoSuchInstance, &[0x81, 0x00]),
            (Value::EndOfMibView, &[0x82, 0x00]),
        ];
        for (v, b) in cases {
            assert_eq!(encode(&v), b, "{v:?}");
            assert_eq!(decode(b), v, "{b:x?}");
        }
    }

    #[test]
    fn opaque_that_is_not_typed_stays_raw() {
        // 9f 78 with a 3-octet float is not net-snmp's form.
        let b = [0x44, 0x06, 0x9f, 0x78, 0x03, 0x41, 0x20, 0x00];
        assert_eq!(decode(&b), Value::Opaque(Bytes::copy_from_slice(&b[2..])));
        let b = [0x44, 0x03, 0x9f, 0x78, 0x05];
        assert_eq!(decode(&b), Value::Opaque(Bytes::copy_from_slice(&b[2..])));
    }

    #[test]
    fn bad_values_are_errors() {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let e = Value::decode(&mut dec.reader(&[0x40, 0x03, 1, 2, 3])).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                0,
                DecodeErrorKind::BadValueLength {
                    what: "IpAddress",
                    found: 3
                }
            )
        );
        let e = Value::decode(&mut dec.reader(&[0x45, 0x00])).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::InvalidTag { what: "value", .. }
        ));
        let e = Value::decode(&mut dec.reader(&[0x30, 0x00])).unwrap_err();
        assert!(matches!(e.kind, DecodeErrorKind::InvalidTag { .. }));
        let e = Value::decode(&mut dec.reader(&[0x80, 0x01, 0x00])).unwrap_err();
        assert!(matches!(
            e.kind,
            DecodeErrorKind::BadValueLength { what: "NULL", .. }
        ));
    }

    #[test]
    fn lenient_unsigned_is_counted() {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let v = Value::decode(&mut dec.reader(&[0x42, 0x04, 0xff, 0xff, 0xff, 0xff])).unwrap();
        assert_eq!(v, Value::Gauge32(u32::MAX));
        assert_eq!(dec.anomalies().count(Anomaly::UnsignedWithoutPad), 1);
    }

    #[test]
    fn accessors() {
        assert_eq!(Value::Integer(-5).as_i64(), Some(-5));
        assert_eq!(Value::Integer(-5).as_u64(), None);
        assert_eq!(Value::Counter64(u64::MAX).as_i64(), None);
        assert_eq!(Value::Counter64(u64::MAX).as_u64(), Some(u64::MAX));
        assert_eq!(Value::TimeTicks(7).as_u64(), Some(7));
        assert_eq!(Value::OpaqueFloat(1.5).as_f64(), Some(1.5));
        assert_eq!(Value::from("eth0").as_str(), Some("eth0"));
        assert_eq!(
            Value::OctetString(Bytes::from_static(&[0xff])).as_str(),
            None
        );
        assert_eq!(
            Value::OctetString(Bytes::from_static(&[0xff])).as_bytes(),
            Some(&[0xff][..])
        );
        assert_eq!(
            Value::ObjectIdentifier(oid!(1, 3)).as_oid(),
            Some(&oid!(1, 3))
        );
        assert_eq!(Value::Null.as_i64(), None);
        assert_eq!(Value::Null.as_bytes(), None);
    }

    #[test]
    fn display() {
        assert_eq!(Value::Integer(5).to_string(), "INTEGER: 5");
        assert_eq!(Value::from("eth0").to_string(), "STRING: \"eth0\"");
        assert_eq!(
            Value::OctetString(Bytes::from_static(&[0, 0x1b])).to_string(),
            "Hex-STRING: 00 1B"
        );
        // As net-snmp prints them.
        assert_eq!(
            Value::TimeTicks(42).to_string(),
            "Timeticks: (42) 0:00:00.42"
        );
        assert_eq!(
            Value::TimeTicks(1_234_567).to_string(),
            "Timeticks: (1234567) 3:25:45.67"
        );
        assert_eq!(
            Value::TimeTicks(8_640_000).to_string(),
            "Timeticks: (8640000) 1 day, 0:00:00.00"
        );
        assert_eq!(
            Value::TimeTicks(u32::MAX).to_string(),
            "Timeticks: (4294967295) 497 days, 2:27:52.95"
        );
        let vb = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 3, 0), Value::TimeTicks(1));
        assert_eq!(
            vb.to_string(),
            ".1.3.6.1.2.1.1.3.0 = Timeticks: (1) 0:00:00.01"
        );
    }

    #[test]
    fn varbind_round_trip() {
        let vb = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), "musec");
        let mut e = Encoder::new();
        vb.encode(&mut e).unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        assert_eq!(VarBind::decode(&mut dec.reader(e.as_slice())).unwrap(), vb);
        // Extra elements inside a VarBind are an error.
        let bad = [0x30, 0x07, 0x06, 0x01, 0x2b, 0x05, 0x00, 0x05, 0x00];
        let e = VarBind::decode(&mut dec.reader(&bad)).unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::TrailingData {
                what: "VarBind",
                count: 2
            }
        );
    }

    /// Strings and OIDs decoded in place, from a shared buffer (the fast path) and not, and
    /// a bad OID before a string, whose octets the fast path takes first.
    #[test]
    fn varbinds_decoded_in_place() {
        let dec = Decoder::new(DecodeOptions::STRICT);
        for vb in [
            VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), "musec"),
            VarBind::new(oid!(1, 3), Value::OctetString(Bytes::new())),
            VarBind::new(oid!(1, 3), oid!(1, 3, 6, 1, 4, 1, 8072, 3, 2, 10)),
            VarBind::new(oid!(1, 3), Oid::from_slice(&[1; 40]).unwrap()),
        ] {
            let mut e = Encoder::new();
            vb.encode(&mut e).unwrap();
            let wire = e.finish();
            assert_eq!(VarBind::decode(&mut dec.reader_bytes(&wire)).unwrap(), vb);
            assert_eq!(VarBind::decode(&mut dec.reader(&wire)).unwrap(), vb);
        }
        // 30 07 06 01 81 (a sub-identifier cut short) 04 02 "ab".
        let bad = Bytes::from_static(&[0x30, 0x07, 0x06, 0x01, 0x81, 0x04, 0x02, b'a', b'b']);
        let e = VarBind::decode(&mut dec.reader_bytes(&bad)).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(4, DecodeErrorKind::TruncatedSubIdentifier)
        );
        // A bad OID as the value leaves an error, not a half-decoded value.
        let bad = [0x30, 0x06, 0x06, 0x01, 0x2b, 0x06, 0x01, 0x81];
        let e = Value::decode(&mut dec.reader(&bad[5..])).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TruncatedSubIdentifier);
        let e = VarBind::decode(&mut dec.reader(&bad)).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(7, DecodeErrorKind::TruncatedSubIdentifier)
        );
    }
}
