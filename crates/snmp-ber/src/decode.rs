//! The lenient, bounded, zero-copy BER reader.

use core::cell::Cell;
use core::fmt;

use bytes::Bytes;

use crate::Tag;

/// The most sub-identifiers an OBJECT IDENTIFIER may have (RFC 2578 section 3.5).
pub const MAX_OID_LEN: usize = 128;

/// A deviation from canonical BER that the reader tolerated.
///
/// Each is accepted only when [`DecodeOptions::allow`] contains it, and every occurrence is
/// counted in the [`Anomalies`] of the [`Decoder`], so nothing tolerated is silently lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Anomaly {
    /// A length in the long form where the short form would do, or with leading zero octets.
    NonMinimalLength,
    /// An INTEGER with a redundant leading `00` or `ff` octet.
    NonMinimalInteger,
    /// An unsigned type (Counter32, Gauge32, TimeTicks, Counter64) whose top bit is set with no
    /// leading `00`: read as unsigned, as the sender meant.
    UnsignedWithoutPad,
    /// Bytes after the end of a complete message.
    TrailingData,
    /// An INTEGER or unsigned value with no content octets: read as zero.
    EmptyInteger,
    /// A value too large for its type, truncated to its low-order bits.
    IntegerOutOfRange,
    /// An OBJECT IDENTIFIER sub-identifier with a leading `80` octet.
    NonMinimalSubIdentifier,
    /// An OBJECT IDENTIFIER with no content octets: read as `0.0`.
    EmptyOid,
    /// A Counter64 in an SNMPv1 message, which RFC 1157 cannot carry.
    Counter64InV1,
}

impl Anomaly {
    /// Every anomaly, in declaration order.
    pub const ALL: [Self; 9] = [
        Self::NonMinimalLength,
        Self::NonMinimalInteger,
        Self::UnsignedWithoutPad,
        Self::TrailingData,
        Self::EmptyInteger,
        Self::IntegerOutOfRange,
        Self::NonMinimalSubIdentifier,
        Self::EmptyOid,
        Self::Counter64InV1,
    ];

    const fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// A short name for logs and counters.
    pub const fn name(self) -> &'static str {
        match self {
            Self::NonMinimalLength => "non-minimal length",
            Self::NonMinimalInteger => "non-minimal integer",
            Self::UnsignedWithoutPad => "unsigned value without 00 pad",
            Self::TrailingData => "trailing data",
            Self::EmptyInteger => "empty integer",
            Self::IntegerOutOfRange => "integer out of range",
            Self::NonMinimalSubIdentifier => "non-minimal OID sub-identifier",
            Self::EmptyOid => "empty OID",
            Self::Counter64InV1 => "Counter64 in SNMPv1",
        }
    }
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of [`Anomaly`] kinds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AnomalySet(u32);

impl AnomalySet {
    /// No anomaly: strict decoding.
    pub const NONE: Self = Self(0);

    /// What real devices send and every major SNMP stack accepts: non-minimal lengths and
    /// integers, unsigned values without the pad, empty integers and OIDs, padded
    /// sub-identifiers, trailing bytes and Counter64 in v1. Out-of-range integers are not in
    /// it: truncating them changes the value.
    pub const REAL_WORLD: Self = Self(
        Anomaly::NonMinimalLength.bit()
            | Anomaly::NonMinimalInteger.bit()
            | Anomaly::UnsignedWithoutPad.bit()
            | Anomaly::TrailingData.bit()
            | Anomaly::EmptyInteger.bit()
            | Anomaly::NonMinimalSubIdentifier.bit()
            | Anomaly::EmptyOid.bit()
            | Anomaly::Counter64InV1.bit(),
    );

    /// Every anomaly.
    pub const ALL: Self = Self(u32::MAX);

    /// Whether `a` is in the set.
    pub const fn contains(self, a: Anomaly) -> bool {
        self.0 & a.bit() != 0
    }

    /// The set with `a` added.
    #[must_use]
    pub const fn with(self, a: Anomaly) -> Self {
        Self(self.0 | a.bit())
    }

    /// The set with `a` removed.
    #[must_use]
    pub const fn without(self, a: Anomaly) -> Self {
        Self(self.0 & !a.bit())
    }
}

impl fmt::Debug for AnomalySet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(Anomaly::ALL.iter().filter(|a| self.contains(**a)))
            .finish()
    }
}

/// How many times each [`Anomaly`] was tolerated.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Anomalies {
    counts: [u32; Anomaly::ALL.len()],
}

impl Anomalies {
    /// How many times `a` was seen.
    pub fn count(&self, a: Anomaly) -> u32 {
        self.counts.get(a as usize).copied().unwrap_or(0)
    }

    /// The total over all kinds.
    pub fn total(&self) -> u32 {
        self.counts.iter().fold(0u32, |t, c| t.saturating_add(*c))
    }

    /// Whether nothing was tolerated.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// The kinds seen, with their counts.
    pub fn iter(&self) -> impl Iterator<Item = (Anomaly, u32)> + '_ {
        Anomaly::ALL
            .iter()
            .map(|a| (*a, self.count(*a)))
            .filter(|(_, c)| *c > 0)
    }

    /// Records one occurrence of `a`.
    pub fn record(&mut self, a: Anomaly) {
        if let Some(c) = self.counts.get_mut(a as usize) {
            *c = c.saturating_add(1);
        }
    }

    /// Adds the counts of `other` to these.
    pub fn merge(&mut self, other: &Self) {
        for (c, o) in self.counts.iter_mut().zip(other.counts.iter()) {
            *c = c.saturating_add(*o);
        }
    }
}

impl fmt::Debug for Anomalies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Limits and leniency for decoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// The deepest nesting of constructed values accepted (SNMP messages need under 10).
    pub max_depth: u8,
    /// The anomalies tolerated; anything else is an error.
    pub allow: AnomalySet,
}

impl DecodeOptions {
    /// Lenient decoding of what real devices send ([`AnomalySet::REAL_WORLD`]).
    pub const LENIENT: Self = Self {
        max_depth: 10,
        allow: AnomalySet::REAL_WORLD,
    };
    /// Strict decoding: canonical BER only.
    pub const STRICT: Self = Self {
        max_depth: 10,
        allow: AnomalySet::NONE,
    };

    /// Sets the nesting limit.
    pub fn max_depth(&mut self, depth: u8) -> &mut Self {
        self.max_depth = depth;
        self
    }

    /// Sets the anomalies tolerated.
    pub fn allow(&mut self, allow: AnomalySet) -> &mut Self {
        self.allow = allow;
        self
    }
}

impl Default for DecodeOptions {
    fn default() -> Self {
        Self::LENIENT
    }
}

/// A decoding failure: where it happened, and what was wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}")]
#[non_exhaustive]
pub struct DecodeError {
    /// Offset of the offending octet from the start of the outermost input.
    pub offset: usize,
    /// What was wrong.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    /// Builds an error.
    pub const fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        Self { offset, kind }
    }
}

/// What a [`DecodeError`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended early: `needed` more octets were declared than the `available` ones.
    #[error("truncated: {needed} octets needed, {available} available")]
    Truncated {
        /// Octets the encoding called for.
        needed: usize,
        /// Octets that were left.
        available: usize,
    },
    /// A different type was found where one was expected.
    #[error("expected tag {expected}, found {found}")]
    UnexpectedTag {
        /// The tag that the grammar calls for.
        expected: Tag,
        /// The tag in the input.
        found: Tag,
    },
    /// A tag that the grammar does not allow here (several were possible).
    #[error("unexpected tag {found} in {what}")]
    InvalidTag {
        /// The tag in the input.
        found: Tag,
        /// What was being read.
        what: &'static str,
    },
    /// The indefinite length form (`80`), which SNMP forbids (RFC 3417 section 8).
    #[error("indefinite length")]
    IndefiniteLength,
    /// The reserved length octet `ff`, or a length too large to represent.
    #[error("invalid length encoding")]
    InvalidLength,
    /// A high tag number too large for 32 bits.
    #[error("tag number too large")]
    TagTooLarge,
    /// A tag number below 31 in the high-tag-number form, or with a leading `80` octet.
    #[error("tag number not in its shortest form")]
    NonMinimalTag,
    /// Constructed values nested deeper than [`DecodeOptions::max_depth`].
    #[error("nesting deeper than {limit}")]
    TooDeep {
        /// The limit in force.
        limit: u8,
    },
    /// A primitive type was sent in the constructed form, or the reverse.
    #[error("wrong primitive/constructed form for {found}")]
    WrongForm {
        /// The tag in the input.
        found: Tag,
    },
    /// A value whose content length is wrong for its type.
    #[error("{what} has {found} content octets")]
    BadValueLength {
        /// The type being read.
        what: &'static str,
        /// The content length in the input.
        found: usize,
    },
    /// An integer that does not fit its type.
    #[error("integer too large for {bits} bits")]
    IntegerOverflow {
        /// The width of the type.
        bits: u8,
    },
    /// An OID sub-identifier of more than 5 octets or above 2^32-1.
    #[error("OID sub-identifier too long")]
    SubIdentifierTooLong,
    /// An OID whose last octet still has the continuation bit set.
    #[error("OID ends inside a sub-identifier")]
    TruncatedSubIdentifier,
    /// An OID of more than 128 sub-identifiers.
    #[error("OID longer than 128 sub-identifiers")]
    OidTooLong,
    /// Octets were left after the last element of a constructed value.
    #[error("{count} unexpected octets after {what}")]
    TrailingData {
        /// What was complete.
        what: &'static str,
        /// How many octets followed it.
        count: usize,
    },
    /// A value outside what its field allows (an unknown version, a negative count...).
    #[error("invalid value for {what}")]
    InvalidValue {
        /// The field.
        what: &'static str,
    },
    /// A deviation from canonical BER that the options do not allow.
    #[error("{0} not allowed")]
    Disallowed(Anomaly),
}

/// Holds the options and collects the anomalies of one decoding run.
///
/// Readers borrow it; after decoding, [`Decoder::anomalies`] tells what was tolerated.
///
/// ```
/// use snmp_ber::{Decoder, DecodeOptions, Tag, Anomaly};
///
/// // INTEGER 5 with a non-minimal long-form length.
/// let dec = Decoder::new(DecodeOptions::LENIENT);
/// let mut r = dec.reader(&[0x02, 0x81, 0x01, 0x05]);
/// assert_eq!(r.read_i32(Tag::INTEGER)?, 5);
/// r.finish("INTEGER")?;
/// assert_eq!(dec.anomalies().count(Anomaly::NonMinimalLength), 1);
/// # Ok::<(), snmp_ber::DecodeError>(())
/// ```
#[derive(Debug, Default)]
pub struct Decoder {
    options: DecodeOptions,
    anomalies: Cell<Anomalies>,
}

impl Decoder {
    /// A decoder with these options.
    pub const fn new(options: DecodeOptions) -> Self {
        Self {
            options,
            anomalies: Cell::new(Anomalies {
                counts: [0; Anomaly::ALL.len()],
            }),
        }
    }

    /// The options in force.
    pub fn options(&self) -> &DecodeOptions {
        &self.options
    }

    /// What was tolerated so far.
    pub fn anomalies(&self) -> Anomalies {
        self.anomalies.get()
    }

    /// A reader over `data`; octet strings read from it are copied into [`Bytes`].
    pub fn reader<'a>(&'a self, data: &'a [u8]) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            base: 0,
            depth: 0,
            src: None,
            dec: self,
        }
    }

    /// A reader over `data`; octet strings read from it share its buffer (zero-copy).
    pub fn reader_bytes<'a>(&'a self, data: &'a Bytes) -> Reader<'a> {
        Reader {
            data,
            pos: 0,
            base: 0,
            depth: 0,
            src: Some(data),
            dec: self,
        }
    }

    /// Notes that `a` was met at `offset`: counted if allowed, an error otherwise.
    pub fn tolerate(&self, a: Anomaly, offset: usize) -> Result<(), DecodeError> {
        if self.options.allow.contains(a) {
            let mut all = self.anomalies.get();
            all.record(a);
            self.anomalies.set(all);
            Ok(())
        } else {
            Err(DecodeError::new(offset, DecodeErrorKind::Disallowed(a)))
        }
    }
}

/// A bounded cursor over BER input.
///
/// A reader never looks past its own bounds: [`Reader::read_tlv`] returns a child reader
/// limited to the declared length of the value, so a lying length inside a value can never
/// reach the octets after it. Offsets in errors are relative to the outermost input.
#[derive(Clone)]
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    depth: u8,
    src: Option<&'a Bytes>,
    dec: &'a Decoder,
}

impl fmt::Debug for Reader<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reader")
            .field("offset", &self.offset())
            .field("remaining", &self.remaining())
            .field("depth", &self.depth)
            .finish()
    }
}

impl<'a> Reader<'a> {
    /// The decoder this reader reports to.
    #[inline]
    pub fn decoder(&self) -> &'a Decoder {
        self.dec
    }

    /// The absolute offset of the next octet.
    #[inline]
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// How many octets are left.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    /// Whether every octet was consumed.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// How many constructed values enclose this reader's content.
    #[inline]
    pub fn depth(&self) -> u8 {
        self.depth
    }

    /// Skips `n` octets (at most what is left): for callers that parsed [`Reader::rest`]
    /// themselves.
    #[inline]
    pub fn advance(&mut self, n: usize) {
        self.pos = self.pos.saturating_add(n).min(self.data.len());
    }

    /// The octets not yet consumed.
    #[inline]
    pub fn rest(&self) -> &'a [u8] {
        self.data.get(self.pos..).unwrap_or_default()
    }

    #[cold]
    #[inline(never)]
    fn err(&self, offset: usize, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(self.base + offset, kind)
    }

    fn byte(&mut self) -> Result<u8, DecodeError> {
        match self.data.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                Ok(*b)
            }
            None => Err(self.err(
                self.pos,
                DecodeErrorKind::Truncated {
                    needed: 1,
                    available: 0,
                },
            )),
        }
    }

    /// Reads an identifier and a definite length, checking that the value fits.
    /// Returns the tag, the content's start and its length.
    #[inline(always)]
    fn header(&mut self) -> Result<(Tag, usize, usize), DecodeError> {
        // Fast path: a one-octet identifier and a short-form length, as nearly all SNMP is.
        if let Some(&[t, l]) = self.data.get(self.pos..self.pos + 2)
            && t & 0x1f != 0x1f
        {
            let (start, len) = match l {
                0..=0x7f => (self.pos + 2, usize::from(l)),
                // The canonical one- and two-octet long forms of messages over 127 octets.
                0x81 => match self.data.get(self.pos + 2) {
                    Some(&n) if n >= 0x80 => (self.pos + 3, usize::from(n)),
                    _ => return self.header_slow(),
                },
                0x82 => match self.data.get(self.pos + 2..self.pos + 4) {
                    Some(&[a, b]) if a != 0 => {
                        (self.pos + 4, usize::from(u16::from_be_bytes([a, b])))
                    }
                    _ => return self.header_slow(),
                },
                _ => return self.header_slow(),
            };
            if len <= self.data.len() - start {
                self.pos = start;
                return Ok((Tag::from_first_octet(t, u32::from(t & 0x1f)), start, len));
            }
        }
        self.header_slow()
    }

    #[inline(never)]
    fn header_slow(&mut self) -> Result<(Tag, usize, usize), DecodeError> {
        let first = self.byte()?;
        let tag = if first & 0x1f == 0x1f {
            let mut number: u32 = 0;
            let start = self.pos;
            loop {
                let b = self.byte()?;
                if self.pos - 1 == start && b == 0x80 {
                    // X.690 8.1.2.4.2 c): the first subsequent octet is not 80.
                    return Err(self.err(start, DecodeErrorKind::NonMinimalTag));
                }
                if number > (u32::MAX >> 7) {
                    return Err(self.err(self.pos - 1, DecodeErrorKind::TagTooLarge));
                }
                number = (number << 7) | u32::from(b & 0x7f);
                if b & 0x80 == 0 {
                    break;
                }
            }
            if number < 0x1f {
                // X.690 8.1.2.4.2: the high-tag-number form is only for numbers above 30.
                return Err(self.err(start, DecodeErrorKind::NonMinimalTag));
            }
            Tag::from_first_octet(first, number)
        } else {
            Tag::from_first_octet(first, u32::from(first & 0x1f))
        };
        let len_at = self.pos;
        let l = self.byte()?;
        let len = if l < 0x80 {
            usize::from(l)
        } else if l == 0x80 {
            return Err(self.err(len_at, DecodeErrorKind::IndefiniteLength));
        } else if l == 0xff {
            return Err(self.err(len_at, DecodeErrorKind::InvalidLength));
        } else {
            let n = usize::from(l & 0x7f);
            let mut len: usize = 0;
            let mut significant = 0usize;
            for _ in 0..n {
                let b = self.byte()?;
                if len == 0 && b == 0 {
                    continue;
                }
                significant += 1;
                if significant > 4 {
                    return Err(self.err(len_at, DecodeErrorKind::InvalidLength));
                }
                len = (len << 8) | usize::from(b);
            }
            if len < 0x80 || significant < n {
                self.dec
                    .tolerate(Anomaly::NonMinimalLength, self.base + len_at)?;
            }
            len
        };
        let available = self.remaining();
        if len > available {
            return Err(self.err(
                self.pos,
                DecodeErrorKind::Truncated {
                    needed: len,
                    available,
                },
            ));
        }
        Ok((tag, self.pos, len))
    }

    #[inline(always)]
    fn child(&self, start: usize, len: usize) -> Result<Self, DecodeError> {
        let depth = self.depth + 1;
        if depth > self.dec.options.max_depth {
            return Err(self.err(
                start,
                DecodeErrorKind::TooDeep {
                    limit: self.dec.options.max_depth,
                },
            ));
        }
        Ok(Reader {
            data: self.data.get(start..start + len).unwrap_or_default(),
            pos: 0,
            base: self.base + start,
            depth,
            src: self.src,
            dec: self.dec,
        })
    }

    /// The tag of the next value, without consuming it.
    pub fn peek_tag(&self) -> Result<Tag, DecodeError> {
        let mut probe = self.clone();
        let first = probe.byte()?;
        if first & 0x1f != 0x1f {
            return Ok(Tag::from_first_octet(first, u32::from(first & 0x1f)));
        }
        probe.pos -= 1;
        probe.header().map(|(t, _, _)| t)
    }

    /// Reads any value: its tag and a reader bounded to its content.
    #[inline]
    pub fn read_any(&mut self) -> Result<(Tag, Self), DecodeError> {
        let (tag, start, len) = self.header()?;
        let child = self.child(start, len)?;
        self.pos = start + len;
        Ok((tag, child))
    }

    /// Reads any value as raw content: its tag, the absolute offset of its content, and the
    /// content octets. The content helpers of [`Decoder`] ([`Decoder::signed`],
    /// [`Decoder::unsigned`], [`Decoder::oid`]...) then interpret it, so a CHOICE is decoded
    /// with one header parse.
    #[inline(always)]
    pub fn read_element(&mut self) -> Result<(Tag, usize, &'a [u8]), DecodeError> {
        let (tag, start, len) = self.header()?;
        self.pos = start + len;
        Ok((
            tag,
            self.base + start,
            self.data.get(start..start + len).unwrap_or_default(),
        ))
    }

    /// Reads a value with tag `expected` and returns a reader bounded to its content.
    #[inline(always)]
    pub fn read_tlv(&mut self, expected: Tag) -> Result<Self, DecodeError> {
        let at = self.pos;
        let (tag, start, len) = self.header()?;
        if tag != expected {
            return Err(self.err(
                at,
                DecodeErrorKind::UnexpectedTag {
                    expected,
                    found: tag,
                },
            ));
        }
        let child = self.child(start, len)?;
        self.pos = start + len;
        Ok(child)
    }

    /// Reads a primitive value with tag `expected`, returning its offset and content.
    #[inline(always)]
    pub fn read_primitive(&mut self, expected: Tag) -> Result<(usize, &'a [u8]), DecodeError> {
        let at = self.pos;
        let (tag, start, len) = self.header()?;
        if tag != expected {
            return Err(self.unexpected(at, expected, tag));
        }
        self.pos = start + len;
        Ok((
            self.base + start,
            self.data.get(start..start + len).unwrap_or_default(),
        ))
    }

    #[cold]
    #[inline(never)]
    fn unexpected(&self, at: usize, expected: Tag, found: Tag) -> DecodeError {
        let prim = Tag::new(found.class(), false, found.number());
        let kind = if found.is_constructed() && !expected.is_constructed() && prim == expected {
            DecodeErrorKind::WrongForm { found }
        } else {
            DecodeErrorKind::UnexpectedTag { expected, found }
        };
        self.err(at, kind)
    }

    /// Checks that every octet was consumed; `what` names the value for the error.
    #[inline]
    pub fn finish(self, what: &'static str) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.err(
                self.pos,
                DecodeErrorKind::TrailingData {
                    what,
                    count: self.remaining(),
                },
            ))
        }
    }

    /// Accepts octets left after a complete message as [`Anomaly::TrailingData`].
    pub fn finish_lenient(self, what: &'static str) -> Result<(), DecodeError> {
        if self.is_empty() {
            return Ok(());
        }
        let at = self.offset();
        self.dec.tolerate(Anomaly::TrailingData, at).map_err(|_| {
            self.err(
                self.pos,
                DecodeErrorKind::TrailingData {
                    what,
                    count: self.remaining(),
                },
            )
        })
    }

    /// Reads a signed INTEGER-like value of at most 64 bits with tag `tag`.
    #[inline(always)]
    pub fn read_i64(&mut self, tag: Tag) -> Result<i64, DecodeError> {
        let (at, content) = self.read_primitive(tag)?;
        self.dec.signed(at, content, 64)
    }

    /// Reads an `Integer32` (or any signed 32-bit INTEGER) with tag `tag`.
    #[inline(always)]
    pub fn read_i32(&mut self, tag: Tag) -> Result<i32, DecodeError> {
        let (at, content) = self.read_primitive(tag)?;
        self.dec.signed_i32(at, content)
    }

    /// Reads an unsigned value of at most 32 bits (Counter32, Gauge32, TimeTicks...).
    #[inline]
    pub fn read_u32(&mut self, tag: Tag) -> Result<u32, DecodeError> {
        let (at, content) = self.read_primitive(tag)?;
        self.dec.unsigned_u32(at, content)
    }

    /// Reads an unsigned value of at most 64 bits (Counter64).
    #[inline]
    pub fn read_u64(&mut self, tag: Tag) -> Result<u64, DecodeError> {
        let (at, content) = self.read_primitive(tag)?;
        self.dec.unsigned(at, content, 64)
    }

    /// Reads a primitive value's content as borrowed octets.
    #[inline]
    pub fn read_octets(&mut self, tag: Tag) -> Result<&'a [u8], DecodeError> {
        self.read_primitive(tag).map(|(_, c)| c)
    }

    /// Reads a primitive value's content as [`Bytes`]: shared with the input when the reader
    /// was made by [`Decoder::reader_bytes`], copied otherwise.
    #[inline(always)]
    pub fn read_bytes(&mut self, tag: Tag) -> Result<Bytes, DecodeError> {
        let (_, content) = self.read_primitive(tag)?;
        Ok(self.to_bytes(content))
    }

    /// Turns a slice of this reader's input into [`Bytes`], sharing the buffer when possible.
    #[inline]
    pub fn to_bytes(&self, content: &'a [u8]) -> Bytes {
        if let Some(src) = self.src
            && !content.is_empty()
        {
            // `content` normally lies inside `src`; anything else is copied, never a panic.
            let start = content.as_ptr().addr().wrapping_sub(src.as_ptr().addr());
            if start <= src.len() && content.len() <= src.len() - start {
                return src.slice(start..start + content.len());
            }
        }
        Bytes::copy_from_slice(content)
    }

    /// Reads a value whose content must be empty (NULL and the exception values).
    #[inline]
    pub fn read_null(&mut self, tag: Tag) -> Result<(), DecodeError> {
        let (at, content) = self.read_primitive(tag)?;
        self.dec.null(at, content)
    }

    /// Reads an OBJECT IDENTIFIER into `out`, returning the number of sub-identifiers.
    pub fn read_oid(
        &mut self,
        tag: Tag,
        out: &mut [u32; MAX_OID_LEN],
    ) -> Result<usize, DecodeError> {
        let (at, content) = self.read_primitive(tag)?;
        self.dec.oid(at, content, out)
    }
}

/// Content decoders: each takes the content octets of one value and the absolute offset where
/// they start (for errors), as [`Reader::read_element`] returns them.
impl Decoder {
    /// Two's-complement content of at most `bits` bits (8 to 64).
    #[inline(always)]
    pub fn signed(&self, at: usize, content: &[u8], bits: u8) -> Result<i64, DecodeError> {
        // Fast path: minimal content of at most 8 octets that fits the width.
        if let Some((&first, rest)) = content.split_first() {
            let redundant = rest.first().is_some_and(|b| {
                (first == 0x00 && b & 0x80 == 0) || (first == 0xff && b & 0x80 != 0)
            });
            if !redundant && content.len() <= usize::from(bits / 8) {
                let mut v = i64::from(first.cast_signed());
                for b in rest {
                    v = (v << 8) | i64::from(*b);
                }
                return Ok(v);
            }
        }
        decode_signed_slow(self, at, content, bits)
    }

    /// An `Integer32`.
    #[inline(always)]
    pub fn signed_i32(&self, at: usize, content: &[u8]) -> Result<i32, DecodeError> {
        let v = self.signed(at, content, 32)?;
        #[allow(clippy::cast_possible_truncation)] // signed() kept it within 32 bits
        Ok(v as i32)
    }

    /// Unsigned content of at most `bits` bits (32 or 64), tolerating a missing `00` pad.
    #[inline(always)]
    pub fn unsigned(&self, at: usize, content: &[u8], bits: u8) -> Result<u64, DecodeError> {
        // Fast path: minimal, positive, fits.
        if let Some((&first, rest)) = content.split_first() {
            let max = usize::from(bits / 8);
            let ok = if first == 0 {
                // A pad is minimal only before an octet with its top bit set.
                rest.first().is_none_or(|b| b & 0x80 != 0) && rest.len() <= max
            } else {
                first & 0x80 == 0 && content.len() <= max
            };
            if ok {
                let mut v = 0u64;
                for b in content {
                    v = (v << 8) | u64::from(*b);
                }
                return Ok(v);
            }
        }
        decode_unsigned_slow(self, at, content, bits)
    }

    /// A 32-bit unsigned value (Counter32, Gauge32, TimeTicks, Unsigned32).
    #[inline(always)]
    pub fn unsigned_u32(&self, at: usize, content: &[u8]) -> Result<u32, DecodeError> {
        let v = self.unsigned(at, content, 32)?;
        #[allow(clippy::cast_possible_truncation)] // unsigned() kept it within 32 bits
        Ok(v as u32)
    }

    /// NULL-like content, which must be empty.
    #[inline(always)]
    pub fn null(&self, at: usize, content: &[u8]) -> Result<(), DecodeError> {
        if content.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::new(
                at,
                DecodeErrorKind::BadValueLength {
                    what: "NULL",
                    found: content.len(),
                },
            ))
        }
    }

    /// OBJECT IDENTIFIER content into `out`, returning the number of sub-identifiers; see
    /// [`oid_arc_count`] to size `out`. More sub-identifiers than `out` holds is
    /// [`DecodeErrorKind::OidTooLong`].
    #[inline(always)]
    pub fn oid(&self, at: usize, content: &[u8], out: &mut [u32]) -> Result<usize, DecodeError> {
        decode_oid(self, at, content, out)
    }
}

/// An upper bound of the sub-identifiers in OBJECT IDENTIFIER content (exact for valid content
/// of 16 octets or more), to size the buffer given to [`Decoder::oid`].
#[inline]
pub fn oid_arc_count(content: &[u8]) -> usize {
    // Each sub-identifier takes at least one octet and the first group holds two.
    if content.len() < 16 {
        return content.len().max(1) + 1;
    }
    content.iter().filter(|b| **b & 0x80 == 0).count().max(1) + 1
}

#[cold]
fn decode_signed_slow(
    dec: &Decoder,
    at: usize,
    content: &[u8],
    bits: u8,
) -> Result<i64, DecodeError> {
    let Some((&first, rest)) = content.split_first() else {
        dec.tolerate(Anomaly::EmptyInteger, at)?;
        return Ok(0);
    };
    if let Some(&second) = rest.first()
        && ((first == 0x00 && second & 0x80 == 0) || (first == 0xff && second & 0x80 != 0))
    {
        dec.tolerate(Anomaly::NonMinimalInteger, at)?;
    }
    // Skip redundant sign octets so that long non-minimal encodings of small values still fit.
    let sign = if first & 0x80 != 0 { 0xff } else { 0x00 };
    let mut skip = 0;
    while skip + 1 < content.len()
        && content.get(skip) == Some(&sign)
        && content
            .get(skip + 1)
            .is_some_and(|b| (b & 0x80) == (sign & 0x80))
    {
        skip += 1;
    }
    let significant = content.get(skip..).unwrap_or_default();
    let mut v: i64 = if sign == 0xff { -1 } else { 0 };
    for b in significant {
        v = (v << 8) | i64::from(*b);
    }
    let shift = 64 - u32::from(bits);
    let fits = significant.len() <= 8 && (v << shift) >> shift == v;
    if !fits {
        dec.tolerate(Anomaly::IntegerOutOfRange, at)
            .map_err(|_| DecodeError::new(at, DecodeErrorKind::IntegerOverflow { bits }))?;
        // Keep the low-order bits, sign-extended, as net-snmp does.
        v = (v << shift) >> shift;
    }
    Ok(v)
}

#[cold]
fn decode_unsigned_slow(
    dec: &Decoder,
    at: usize,
    content: &[u8],
    bits: u8,
) -> Result<u64, DecodeError> {
    let Some((&first, rest)) = content.split_first() else {
        dec.tolerate(Anomaly::EmptyInteger, at)?;
        return Ok(0);
    };
    if first & 0x80 != 0 {
        dec.tolerate(Anomaly::UnsignedWithoutPad, at)?;
    } else if first == 0 && rest.first().is_some_and(|b| b & 0x80 == 0) {
        dec.tolerate(Anomaly::NonMinimalInteger, at)?;
    }
    let mut skip = 0;
    while skip + 1 < content.len() && content.get(skip) == Some(&0) {
        skip += 1;
    }
    let significant = content.get(skip..).unwrap_or_default();
    let max_octets = usize::from(bits / 8);
    let mut v: u64 = 0;
    if significant.len() > max_octets {
        dec.tolerate(Anomaly::IntegerOutOfRange, at)
            .map_err(|_| DecodeError::new(at, DecodeErrorKind::IntegerOverflow { bits }))?;
    }
    let keep = significant.len().saturating_sub(max_octets);
    for b in significant.get(keep..).unwrap_or_default() {
        v = (v << 8) | u64::from(*b);
    }
    Ok(v)
}

/// Decodes OBJECT IDENTIFIER content into `out` (X.690 8.19), returning the arc count.
///
/// The first octet group packs the first two arcs as `40 * X + Y`.
#[inline(always)]
fn decode_oid(
    dec: &Decoder,
    at: usize,
    content: &[u8],
    out: &mut [u32],
) -> Result<usize, DecodeError> {
    let too_long = |i: usize| DecodeError::new(at + i, DecodeErrorKind::OidTooLong);
    if content.is_empty() {
        // Read as 0.0, the OID net-snmp and this encoder write for an empty one.
        dec.tolerate(Anomaly::EmptyOid, at)?;
        let [x, y, ..] = out else {
            return Err(too_long(0));
        };
        (*x, *y) = (0, 0);
        return Ok(2);
    }
    let mut n = 0usize;
    let mut i = 0usize;
    // Fast path: a one-octet first group (1.3 is 0x2b), split into its two arcs.
    if let (Some(&b), [ox, oy, ..]) = (content.first(), &mut *out)
        && b < 0x80
    {
        (*ox, *oy) = match b {
            0..40 => (0, u32::from(b)),
            40..80 => (1, u32::from(b - 40)),
            _ => (2, u32::from(b - 80)),
        };
        (n, i) = (2, 1);
    }
    while i < content.len() {
        // Fast path: eight one-octet sub-identifiers at once (no continuation bit in any).
        if n > 0
            && let (Some(chunk), Some(dst)) = (content.get(i..i + 8), out.get_mut(n..n + 8))
            && let Ok(word) = <[u8; 8]>::try_from(chunk)
            && u64::from_le_bytes(word) & 0x8080_8080_8080_8080 == 0
        {
            for (d, s) in dst.iter_mut().zip(word) {
                *d = u32::from(s);
            }
            n += 8;
            i += 8;
            continue;
        }
        // Fast path: a one-octet sub-identifier after the first group.
        if n > 0
            && let Some(&b) = content.get(i)
            && b < 0x80
        {
            let Some(slot) = out.get_mut(n) else {
                return Err(too_long(i));
            };
            *slot = u32::from(b);
            n += 1;
            i += 1;
            continue;
        }
        let start = i;
        let mut v: u64 = 0;
        loop {
            let Some(&b) = content.get(i) else {
                return Err(DecodeError::new(
                    at + start,
                    DecodeErrorKind::TruncatedSubIdentifier,
                ));
            };
            if i == start && b == 0x80 {
                dec.tolerate(Anomaly::NonMinimalSubIdentifier, at + i)?;
            }
            i += 1;
            if i - start > 5 {
                return Err(DecodeError::new(
                    at + start,
                    DecodeErrorKind::SubIdentifierTooLong,
                ));
            }
            v = (v << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                break;
            }
        }
        if n == 0 {
            // The first group packs two arcs; X is 0, 1 or 2 and Y < 40 unless X is 2.
            let (x, y) = match v {
                0..40 => (0, v),
                40..80 => (1, v - 40),
                _ => (2, v - 80),
            };
            let y = u32::try_from(y)
                .map_err(|_| DecodeError::new(at + start, DecodeErrorKind::SubIdentifierTooLong))?;
            let [ox, oy, ..] = out else {
                return Err(too_long(start));
            };
            (*ox, *oy) = (x, y);
            n = 2;
        } else {
            let v = u32::try_from(v)
                .map_err(|_| DecodeError::new(at + start, DecodeErrorKind::SubIdentifierTooLong))?;
            let Some(slot) = out.get_mut(n) else {
                return Err(too_long(start));
            };
            *slot = v;
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lenient() -> Decoder {
        Decoder::new(DecodeOptions::LENIENT)
    }

    fn strict() -> Decoder {
        Decoder::new(DecodeOptions::STRICT)
    }

    #[test]
    fn short_and_long_lengths() {
        let dec = strict();
        let mut data = alloc::vec![0x04, 0x81, 0x80];
        data.extend(core::iter::repeat_n(0x41, 0x80));
        let mut r = dec.reader(&data);
        assert_eq!(r.read_octets(Tag::OCTET_STRING).unwrap().len(), 0x80);
        r.finish("test").unwrap();
        assert!(dec.anomalies().is_empty());
    }

    #[test]
    fn non_minimal_length_is_counted_or_refused() {
        let data = [0x04, 0x82, 0x00, 0x02, 0x61, 0x62];
        let dec = lenient();
        assert_eq!(
            dec.reader(&data).read_octets(Tag::OCTET_STRING).unwrap(),
            b"ab"
        );
        assert_eq!(dec.anomalies().count(Anomaly::NonMinimalLength), 1);
        let dec = strict();
        let e = dec
            .reader(&data)
            .read_octets(Tag::OCTET_STRING)
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(1, DecodeErrorKind::Disallowed(Anomaly::NonMinimalLength))
        );
    }

    #[test]
    fn indefinite_and_reserved_lengths_are_errors() {
        let dec = lenient();
        let e = dec
            .reader(&[0x30, 0x80, 0x00, 0x00])
            .read_tlv(Tag::SEQUENCE)
            .unwrap_err();
        assert_eq!(e, DecodeError::new(1, DecodeErrorKind::IndefiniteLength));
        let e = dec
            .reader(&[0x30, 0xff])
            .read_tlv(Tag::SEQUENCE)
            .unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::InvalidLength);
        let e = dec
            .reader(&[0x30, 0x85, 1, 0, 0, 0, 0])
            .read_tlv(Tag::SEQUENCE)
            .unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::InvalidLength);
    }

    #[test]
    fn length_past_input_is_truncated() {
        let dec = lenient();
        let e = dec
            .reader(&[0x30, 0x84, 0x7f, 0xff, 0xff, 0xff])
            .read_tlv(Tag::SEQUENCE)
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                6,
                DecodeErrorKind::Truncated {
                    needed: 0x7fff_ffff,
                    available: 0
                }
            )
        );
        let e = dec.reader(&[0x02]).read_i32(Tag::INTEGER).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                1,
                DecodeErrorKind::Truncated {
                    needed: 1,
                    available: 0
                }
            )
        );
    }

    #[test]
    fn child_readers_are_bounded() {
        // SEQUENCE of 3 octets holding an INTEGER that claims 5.
        let dec = lenient();
        let mut r = dec.reader(&[0x30, 0x03, 0x02, 0x05, 0x01, 0x02, 0x03, 0x04]);
        let mut seq = r.read_tlv(Tag::SEQUENCE).unwrap();
        let e = seq.read_i32(Tag::INTEGER).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                4,
                DecodeErrorKind::Truncated {
                    needed: 5,
                    available: 1
                }
            )
        );
        assert_eq!(r.offset(), 5);
    }

    #[test]
    fn nesting_cap() {
        let mut data = alloc::vec::Vec::new();
        for _ in 0..20 {
            data.extend([0x30, 0x00]);
        }
        // 20 levels nested: 30 26 30 24 ...
        let mut nested = alloc::vec::Vec::new();
        for _ in 0..20 {
            let mut outer = alloc::vec![0x30, u8::try_from(nested.len()).unwrap()];
            outer.extend(&nested);
            nested = outer;
        }
        let dec = lenient();
        let mut r = dec.reader(&nested);
        let mut depth = 0;
        let err = loop {
            match r.read_tlv(Tag::SEQUENCE) {
                Ok(c) => {
                    r = c;
                    depth += 1;
                }
                Err(e) => break e,
            }
        };
        assert_eq!(depth, 10);
        assert_eq!(err.kind, DecodeErrorKind::TooDeep { limit: 10 });
        assert_eq!(err.offset, 22);
    }

    #[test]
    fn integers() {
        let dec = strict();
        let cases: &[(&[u8], i64)] = &[
            (&[0x00], 0),
            (&[0x7f], 127),
            (&[0x00, 0x80], 128),
            (&[0x80], -128),
            (&[0xff, 0x7f], -129),
            (&[0x7f, 0xff, 0xff, 0xff], i64::from(i32::MAX)),
            (&[0x80, 0x00, 0x00, 0x00], i64::from(i32::MIN)),
        ];
        for (content, want) in cases {
            let mut data = alloc::vec![0x02, u8::try_from(content.len()).unwrap()];
            data.extend(*content);
            assert_eq!(
                dec.reader(&data).read_i64(Tag::INTEGER).unwrap(),
                *want,
                "{content:x?}"
            );
            let v32 = dec.reader(&data).read_i32(Tag::INTEGER).unwrap();
            assert_eq!(i64::from(v32), *want);
        }
        assert!(dec.anomalies().is_empty());
    }

    #[test]
    fn non_minimal_and_out_of_range_integers() {
        let dec = lenient();
        let v = dec
            .reader(&[0x02, 0x03, 0x00, 0x00, 0x05])
            .read_i32(Tag::INTEGER)
            .unwrap();
        assert_eq!(v, 5);
        assert_eq!(dec.anomalies().count(Anomaly::NonMinimalInteger), 1);
        let v = dec
            .reader(&[0x02, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe])
            .read_i32(Tag::INTEGER);
        assert_eq!(v.unwrap(), -2);
        // 2^32 - 1 sent as INTEGER does not fit Integer32.
        let e = dec
            .reader(&[0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff])
            .read_i32(Tag::INTEGER);
        assert_eq!(
            e.unwrap_err(),
            DecodeError::new(2, DecodeErrorKind::IntegerOverflow { bits: 32 })
        );
        let mut o = DecodeOptions::LENIENT;
        o.allow(AnomalySet::REAL_WORLD.with(Anomaly::IntegerOutOfRange));
        let dec = Decoder::new(o);
        let v = dec
            .reader(&[0x02, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff])
            .read_i32(Tag::INTEGER);
        assert_eq!(v.unwrap(), -1);
        assert_eq!(dec.anomalies().count(Anomaly::IntegerOutOfRange), 1);
    }

    #[test]
    fn unsigned_values() {
        let dec = lenient();
        let c = Tag::application(1);
        assert_eq!(
            dec.reader(&[0x41, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff])
                .read_u32(c)
                .unwrap(),
            u32::MAX
        );
        assert!(dec.anomalies().is_empty());
        assert_eq!(
            dec.reader(&[0x41, 0x04, 0xff, 0xff, 0xff, 0xff])
                .read_u32(c)
                .unwrap(),
            u32::MAX
        );
        assert_eq!(dec.anomalies().count(Anomaly::UnsignedWithoutPad), 1);
        let e = dec
            .reader(&[0x41, 0x05, 0x01, 0xff, 0xff, 0xff, 0xff])
            .read_u32(c)
            .unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::IntegerOverflow { bits: 32 });
        let big = [
            0x46, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        assert_eq!(
            dec.reader(&big).read_u64(Tag::application(6)).unwrap(),
            u64::MAX
        );
        let e = dec.reader(&[0x41, 0x00]).read_u32(c);
        assert_eq!(e.unwrap(), 0);
        assert_eq!(dec.anomalies().count(Anomaly::EmptyInteger), 1);
        let e = strict().reader(&[0x41, 0x00]).read_u32(c).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::Disallowed(Anomaly::EmptyInteger));
    }

    #[test]
    fn oids() {
        let dec = strict();
        let mut out = [0u32; MAX_OID_LEN];
        let data = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00];
        let n = dec
            .reader(&data)
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
            .unwrap();
        assert_eq!(out[..n], [1, 3, 6, 1, 2, 1, 1, 1, 0]);
        let data = [0x06, 0x06, 0x8f, 0xff, 0xff, 0xff, 0x7f, 0x01];
        let n = dec
            .reader(&data)
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
            .unwrap();
        assert_eq!(out[..n], [2, u32::MAX - 80, 1]);
        // X = 2 allows Y >= 40.
        let n = dec
            .reader(&[0x06, 0x02, 0x88, 0x37])
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out);
        assert_eq!(out[..n.unwrap()], [2, 999]);
    }

    #[test]
    fn malformed_oids() {
        let dec = lenient();
        let mut out = [0u32; MAX_OID_LEN];
        // zeek's snmp-oid-subidentifier-too-long: an 11-octet sub-identifier.
        let data = [
            0x06, 0x0c, 0x2b, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
        ];
        let e = dec
            .reader(&data)
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(3, DecodeErrorKind::SubIdentifierTooLong)
        );
        let data = [0x06, 0x06, 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00];
        let e = dec
            .reader(&data)
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
            .unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::SubIdentifierTooLong);
        let e = dec
            .reader(&[0x06, 0x02, 0x2b, 0x81])
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out);
        assert_eq!(
            e.unwrap_err(),
            DecodeError::new(3, DecodeErrorKind::TruncatedSubIdentifier)
        );
        let mut long = alloc::vec![0x06, 0x81, 0x81, 0x2b];
        long.extend(core::iter::repeat_n(0x01, 128));
        let e = dec
            .reader(&long)
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
            .unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::OidTooLong);
        let dec = lenient();
        let n = dec
            .reader(&[0x06, 0x03, 0x2b, 0x80, 0x01])
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out);
        assert_eq!(out[..n.unwrap()], [1, 3, 1]);
        assert_eq!(dec.anomalies().count(Anomaly::NonMinimalSubIdentifier), 1);
        let n = dec
            .reader(&[0x06, 0x00])
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out);
        assert_eq!(out[..n.unwrap()], [0, 0]);
        assert_eq!(dec.anomalies().count(Anomaly::EmptyOid), 1);
    }

    #[test]
    fn high_tag_numbers() {
        let dec = strict();
        let data = [0x9f, 0x78, 0x04, 0x41, 0x20, 0x00, 0x00];
        let mut r = dec.reader(&data);
        assert_eq!(r.peek_tag().unwrap(), Tag::context(120, false));
        assert_eq!(
            r.read_octets(Tag::context(120, false)).unwrap(),
            [0x41, 0x20, 0, 0]
        );
        let e = dec
            .reader(&[0x9f, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])
            .peek_tag()
            .unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::TagTooLarge);
        // NULL written in the high-tag-number form does not re-encode to itself: refused.
        let e = dec
            .reader(&[0x1f, 0x05, 0x00])
            .read_null(Tag::NULL)
            .unwrap_err();
        assert_eq!(e, DecodeError::new(1, DecodeErrorKind::NonMinimalTag));
        let e = dec
            .reader(&[0x1f, 0x80, 0x78, 0x00])
            .peek_tag()
            .unwrap_err();
        assert_eq!(e, DecodeError::new(1, DecodeErrorKind::NonMinimalTag));
    }

    #[test]
    fn trailing_data() {
        let dec = lenient();
        let mut r = dec.reader(&[0x05, 0x00, 0xaa]);
        r.read_null(Tag::NULL).unwrap();
        r.clone().finish("NULL").unwrap_err();
        r.finish_lenient("message").unwrap();
        assert_eq!(dec.anomalies().count(Anomaly::TrailingData), 1);
        let dec = strict();
        let mut r = dec.reader(&[0x05, 0x00, 0xaa]);
        r.read_null(Tag::NULL).unwrap();
        let e = r.finish_lenient("message").unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                2,
                DecodeErrorKind::TrailingData {
                    what: "message",
                    count: 1
                }
            )
        );
    }

    #[test]
    fn wrong_form_and_tag() {
        let dec = lenient();
        let e = dec
            .reader(&[0x24, 0x00])
            .read_octets(Tag::OCTET_STRING)
            .unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::WrongForm {
                found: Tag::new(crate::Class::Universal, true, 4)
            }
        );
        let e = dec
            .reader(&[0x02, 0x01, 0x00])
            .read_octets(Tag::OCTET_STRING)
            .unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::UnexpectedTag {
                expected: Tag::OCTET_STRING,
                found: Tag::INTEGER
            }
        );
        let e = dec
            .reader(&[0x05, 0x01, 0x00])
            .read_null(Tag::NULL)
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                2,
                DecodeErrorKind::BadValueLength {
                    what: "NULL",
                    found: 1
                }
            )
        );
    }

    #[test]
    fn zero_copy_bytes() {
        let dec = lenient();
        let src = Bytes::from_static(&[0x04, 0x03, b'a', b'b', b'c']);
        let b = dec
            .reader_bytes(&src)
            .read_bytes(Tag::OCTET_STRING)
            .unwrap();
        assert_eq!(&b[..], b"abc");
        assert_eq!(b.as_ptr(), src[2..].as_ptr());
        // A slice from elsewhere is copied, not mistaken for part of the input.
        let other = [9u8, 8, 7];
        let r = dec.reader_bytes(&src);
        let copied = r.to_bytes(&other);
        assert_eq!(&copied[..], &other);
        assert_ne!(copied.as_ptr(), other.as_ptr());
    }

    #[test]
    fn error_is_small() {
        assert!(
            size_of::<DecodeError>() <= 40,
            "{}",
            size_of::<DecodeError>()
        );
    }
}
