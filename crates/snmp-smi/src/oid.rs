//! OBJECT IDENTIFIER values (RFC 2578 section 3.5, X.690 section 8.19).

use alloc::sync::Arc;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::str::FromStr;

use snmp_ber::{
    DecodeError, Decoder, EncodeError, Encoder, MAX_OID_LEN, Reader, Tag, oid_arc_count,
};

/// How many sub-identifiers are stored inline, without allocating.
const INLINE: usize = 15;

/// An OBJECT IDENTIFIER: at most 128 sub-identifiers of 32 bits each.
///
/// Cheap to clone and compare: OIDs of up to 15 arcs (nearly every instance OID) live inline,
/// `'static` OIDs from [`oid!`](crate::oid) are borrowed, and longer ones share one
/// reference-counted allocation. Ordering is lexicographic by sub-identifier, the order of
/// GETNEXT (`1.3.6.1.2` < `1.3.6.1.2.1` < `1.3.6.1.3`).
///
/// ```
/// use snmp_smi::{Oid, oid};
///
/// let sys_descr: Oid = "1.3.6.1.2.1.1.1.0".parse()?;
/// assert_eq!(sys_descr.to_string(), "1.3.6.1.2.1.1.1.0");
/// assert!(sys_descr.starts_with(&oid!(1, 3, 6, 1, 2, 1, 1)));
/// assert!(sys_descr < oid!(1, 3, 6, 1, 2, 1, 1, 2));
/// # Ok::<(), snmp_smi::OidParseError>(())
/// ```
#[derive(Clone)]
pub struct Oid(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, arcs: [u32; INLINE] },
    Static(&'static [u32]),
    Heap(Arc<[u32]>),
}

impl Oid {
    /// The empty OID (zero sub-identifiers).
    pub const EMPTY: Self = Self(Repr::Inline {
        len: 0,
        arcs: [0; INLINE],
    });

    /// An OID over a `'static` slice, usable in constants; see also [`oid!`](crate::oid).
    ///
    /// # Panics
    /// When `arcs` has more than 128 sub-identifiers; in a constant that is a compile error.
    pub const fn from_static(arcs: &'static [u32]) -> Self {
        assert!(
            arcs.len() <= MAX_OID_LEN,
            "an OID has at most 128 sub-identifiers"
        );
        Self(Repr::Static(arcs))
    }

    /// An OID with these sub-identifiers.
    pub fn from_slice(arcs: &[u32]) -> Result<Self, OidError> {
        if arcs.len() > MAX_OID_LEN {
            return Err(OidError::TooLong { len: arcs.len() });
        }
        Ok(Self::from_slice_unchecked(arcs))
    }

    /// Builds an OID of at most 128 arcs (the caller checked).
    fn from_slice_unchecked(arcs: &[u32]) -> Self {
        if arcs.len() <= INLINE {
            let mut inline = [0; INLINE];
            inline[..arcs.len()].copy_from_slice(arcs);
            #[allow(clippy::cast_possible_truncation)] // at most INLINE
            Self(Repr::Inline {
                len: arcs.len() as u8,
                arcs: inline,
            })
        } else {
            Self(Repr::Heap(Arc::from(arcs)))
        }
    }

    /// The sub-identifiers.
    pub fn as_slice(&self) -> &[u32] {
        match &self.0 {
            Repr::Inline { len, arcs } => arcs.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Static(arcs) => arcs,
            Repr::Heap(arcs) => arcs,
        }
    }

    /// The number of sub-identifiers.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there are no sub-identifiers.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `prefix` is a prefix of this OID (every OID starts with itself and the empty
    /// OID): the subtree test of a walk.
    pub fn starts_with(&self, prefix: &Self) -> bool {
        self.as_slice().starts_with(prefix.as_slice())
    }

    /// The sub-identifiers after `prefix`, if this OID is in its subtree: the instance part.
    pub fn strip_prefix(&self, prefix: &Self) -> Option<&[u32]> {
        self.as_slice().strip_prefix(prefix.as_slice())
    }

    /// This OID with `suffix` appended (a column OID plus an index gives an instance).
    pub fn extend(&self, suffix: &[u32]) -> Result<Self, OidError> {
        let len = self.len() + suffix.len();
        if len > MAX_OID_LEN {
            return Err(OidError::TooLong { len });
        }
        let mut buf = [0u32; MAX_OID_LEN];
        buf[..self.len()].copy_from_slice(self.as_slice());
        buf[self.len()..len].copy_from_slice(suffix);
        Ok(Self::from_slice_unchecked(&buf[..len]))
    }

    /// This OID with one more sub-identifier.
    pub fn child(&self, arc: u32) -> Result<Self, OidError> {
        self.extend(&[arc])
    }

    /// This OID without its last sub-identifier, or `None` for the empty OID.
    pub fn parent(&self) -> Option<Self> {
        let (_, head) = self.as_slice().split_last()?;
        Some(Self::from_slice_unchecked(head))
    }

    /// Reads an OBJECT IDENTIFIER with tag `tag`.
    #[inline]
    pub fn decode(r: &mut Reader<'_>, tag: Tag) -> Result<Self, DecodeError> {
        let (at, content) = r.read_primitive(tag)?;
        Self::from_content(r.decoder(), at, content)
    }

    /// Builds an OID from OBJECT IDENTIFIER content octets found at offset `at`.
    #[inline]
    pub fn from_content(dec: &Decoder, at: usize, content: &[u8]) -> Result<Self, DecodeError> {
        let mut oid = Self::EMPTY;
        oid.set_from_content(dec, at, content)?;
        Ok(oid)
    }

    /// Replaces this OID with the one in `content`, decoding in place: a binding decoded
    /// straight into its slot of a `Vec` is never copied.
    #[inline(always)]
    pub(crate) fn set_from_content(
        &mut self,
        dec: &Decoder,
        at: usize,
        content: &[u8],
    ) -> Result<(), DecodeError> {
        if oid_arc_count(content) <= INLINE {
            if !matches!(self.0, Repr::Inline { .. }) {
                self.0 = Repr::Inline {
                    len: 0,
                    arcs: [0; INLINE],
                };
            }
            if let Repr::Inline { len, arcs } = &mut self.0 {
                let n = dec.oid(at, content, arcs)?;
                #[allow(clippy::cast_possible_truncation)] // n <= INLINE
                {
                    *len = n as u8;
                }
            }
            return Ok(());
        }
        let mut buf = [0u32; MAX_OID_LEN];
        let n = dec.oid(at, content, &mut buf)?;
        *self = Self::from_slice_unchecked(&buf[..n]);
        Ok(())
    }

    /// Writes this OID with tag `tag`.
    pub fn encode(&self, e: &mut Encoder, tag: Tag) -> Result<(), EncodeError> {
        e.put_oid(tag, self.as_slice())
    }
}

impl Default for Oid {
    fn default() -> Self {
        Self::EMPTY
    }
}

impl PartialEq for Oid {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for Oid {}

impl PartialOrd for Oid {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Oid {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl Hash for Oid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl AsRef<[u32]> for Oid {
    fn as_ref(&self) -> &[u32] {
        self.as_slice()
    }
}

impl TryFrom<&[u32]> for Oid {
    type Error = OidError;

    fn try_from(arcs: &[u32]) -> Result<Self, OidError> {
        Self::from_slice(arcs)
    }
}

impl<const N: usize> TryFrom<[u32; N]> for Oid {
    type Error = OidError;

    fn try_from(arcs: [u32; N]) -> Result<Self, OidError> {
        Self::from_slice(&arcs)
    }
}

/// Dotted decimal, as PySNMP prints it (`1.3.6.1`); the alternate form `{:#}` adds net-snmp's
/// leading dot (`.1.3.6.1`).
impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.width().is_some() || f.precision().is_some() {
            // Padding needs the whole text.
            let mut text = alloc::string::String::with_capacity(self.len() * 4);
            write_dotted(self.as_slice(), f.alternate(), |s| {
                text.push_str(s);
                Ok(())
            })?;
            return f.pad(&text);
        }
        let leading_dot = f.alternate();
        write_dotted(self.as_slice(), leading_dot, |s| f.write_str(s))
    }
}

/// Writes arcs in dotted decimal through `out`, in chunks of a small stack buffer: formatting
/// each arc with `write!` costs several times more, and walks print many OIDs.
fn write_dotted(
    arcs: &[u32],
    leading_dot: bool,
    mut out: impl FnMut(&str) -> fmt::Result,
) -> fmt::Result {
    let mut buf = [0u8; 128];
    let mut len = 0;
    for (i, arc) in arcs.iter().enumerate() {
        if len + 11 > buf.len() {
            out(core::str::from_utf8(&buf[..len]).unwrap_or_default())?;
            len = 0;
        }
        if i > 0 || leading_dot {
            buf[len] = b'.';
            len += 1;
        }
        len += write_decimal(&mut buf[len..len + 10], *arc);
    }
    // Only ASCII digits and dots were written.
    out(core::str::from_utf8(&buf[..len]).unwrap_or_default())
}

/// Writes `v` in decimal at the start of `out` (10 octets hold any u32), returning its length.
fn write_decimal(out: &mut [u8], mut v: u32) -> usize {
    let mut digits = [0u8; 10];
    let mut n = 0;
    loop {
        #[allow(clippy::cast_possible_truncation)] // a digit
        {
            digits[n] = b'0' + (v % 10) as u8;
        }
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for (o, d) in out.iter_mut().zip(digits[..n].iter().rev()) {
        *o = *d;
    }
    n
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

/// Parses dotted decimal, with or without a leading dot (`1.3.6.1`, `.1.3.6.1`).
impl FromStr for Oid {
    type Err = OidParseError;

    fn from_str(s: &str) -> Result<Self, OidParseError> {
        let err = |kind| OidParseError {
            kind,
            input: truncate(s),
        };
        let body = s.strip_prefix('.').unwrap_or(s);
        if body.is_empty() {
            return Err(err(OidParseErrorKind::Empty));
        }
        let mut buf = [0u32; MAX_OID_LEN];
        let mut n = 0;
        for (i, part) in body.split('.').enumerate() {
            let position = i + 1;
            if part.is_empty() {
                return Err(err(OidParseErrorKind::EmptyArc { position }));
            }
            if !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err(OidParseErrorKind::NotANumber { position }));
            }
            let arc: u32 = part
                .parse()
                .map_err(|_| err(OidParseErrorKind::ArcTooLarge { position }))?;
            let Some(slot) = buf.get_mut(n) else {
                return Err(err(OidParseErrorKind::TooLong));
            };
            *slot = arc;
            n += 1;
        }
        Ok(Self::from_slice_unchecked(&buf[..n]))
    }
}

/// Keeps error messages short for absurd inputs.
fn truncate(s: &str) -> alloc::string::String {
    const MAX: usize = 64;
    if s.len() <= MAX {
        return s.into();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    alloc::format!("{}...", &s[..end])
}

/// An OID that cannot be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OidError {
    /// More than 128 sub-identifiers.
    #[error("OID of {len} sub-identifiers is longer than the 128 allowed")]
    TooLong {
        /// The length asked for.
        len: usize,
    },
}

/// Text that is not a dotted-decimal OID.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid OID \"{input}\": {kind}")]
#[non_exhaustive]
pub struct OidParseError {
    /// What was wrong.
    pub kind: OidParseErrorKind,
    /// The text (shortened when long).
    pub input: alloc::string::String,
}

/// What an [`OidParseError`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OidParseErrorKind {
    /// No sub-identifiers at all.
    #[error("empty")]
    Empty,
    /// Two dots in a row, or a trailing dot.
    #[error("sub-identifier {position} is empty")]
    EmptyArc {
        /// 1-based position of the sub-identifier.
        position: usize,
    },
    /// A sub-identifier with a character other than a digit.
    #[error("sub-identifier {position} is not a number")]
    NotANumber {
        /// 1-based position of the sub-identifier.
        position: usize,
    },
    /// A sub-identifier above 4294967295.
    #[error("sub-identifier {position} is above 4294967295")]
    ArcTooLarge {
        /// 1-based position of the sub-identifier.
        position: usize,
    },
    /// More than 128 sub-identifiers.
    #[error("more than 128 sub-identifiers")]
    TooLong,
}

/// A constant [`Oid`] from its sub-identifiers: `oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)`.
///
/// The OID is built at compile time and borrowed from static memory; more than 128
/// sub-identifiers is a compile error.
///
/// ```
/// use snmp_smi::{Oid, oid};
///
/// const SYS_UP_TIME: Oid = oid!(1, 3, 6, 1, 2, 1, 1, 3, 0);
/// assert_eq!(SYS_UP_TIME.to_string(), "1.3.6.1.2.1.1.3.0");
/// ```
#[macro_export]
macro_rules! oid {
    ($($arc:expr),* $(,)?) => {
        const { $crate::Oid::from_static(&[$($arc),*]) }
    };
}

#[cfg(feature = "serde")]
mod serde_impl {
    use alloc::string::String;

    use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

    use super::Oid;

    /// Serialized as dotted decimal text.
    impl Serialize for Oid {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> Deserialize<'de> for Oid {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let s = String::deserialize(d)?;
            s.parse().map_err(de::Error::custom)
        }
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::*;

    #[test]
    fn parse_and_print() {
        let o: Oid = ".1.3.6.1.2.1.1.1.0".parse().unwrap();
        assert_eq!(o.as_slice(), [1, 3, 6, 1, 2, 1, 1, 1, 0]);
        assert_eq!(o.to_string(), "1.3.6.1.2.1.1.1.0");
        assert_eq!(alloc::format!("{o:#}"), ".1.3.6.1.2.1.1.1.0");
        assert_eq!(alloc::format!("[{o:>20}]"), "[   1.3.6.1.2.1.1.1.0]");
        let long = Oid::from_slice(&[u32::MAX; 128]).unwrap();
        let text = long.to_string();
        assert_eq!(text.len(), 128 * 11 - 1);
        assert_eq!(text.parse::<Oid>().unwrap(), long);
        assert_eq!("4294967295".parse::<Oid>().unwrap().as_slice(), [u32::MAX]);
    }

    #[test]
    fn parse_errors_name_the_problem() {
        let kind = |s: &str| s.parse::<Oid>().unwrap_err().kind;
        assert_eq!(kind(""), OidParseErrorKind::Empty);
        assert_eq!(kind("."), OidParseErrorKind::Empty);
        assert_eq!(kind("1..3"), OidParseErrorKind::EmptyArc { position: 2 });
        assert_eq!(kind("1.3."), OidParseErrorKind::EmptyArc { position: 3 });
        assert_eq!(kind("1.x.3"), OidParseErrorKind::NotANumber { position: 2 });
        assert_eq!(kind("1.-3"), OidParseErrorKind::NotANumber { position: 2 });
        assert_eq!(
            kind("1.4294967296"),
            OidParseErrorKind::ArcTooLarge { position: 2 }
        );
        let long = ["1"; 129].join(".");
        assert_eq!(kind(&long), OidParseErrorKind::TooLong);
        assert!(["1"; 128].join(".").parse::<Oid>().is_ok());
        let e = "1.3.six".parse::<Oid>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid OID \"1.3.six\": sub-identifier 3 is not a number"
        );
    }

    #[test]
    fn representations_compare_equal() {
        let arcs: Vec<u32> = (0..40).collect();
        let heap = Oid::from_slice(&arcs).unwrap();
        let inline = Oid::from_slice(&[1, 3, 6]).unwrap();
        const STATIC: Oid = oid!(1, 3, 6);
        assert_eq!(inline, STATIC);
        assert!(matches!(heap.0, Repr::Heap(_)));
        assert!(matches!(inline.0, Repr::Inline { .. }));
        assert_eq!(heap.clone(), heap);
        let mut h1 = std::collections::hash_map::DefaultHasher::new();
        let mut h2 = std::collections::hash_map::DefaultHasher::new();
        inline.hash(&mut h1);
        STATIC.hash(&mut h2);
        assert_eq!(h1.finish(), h2.finish());
        assert_eq!(
            Oid::from_slice(&[0; 129]),
            Err(OidError::TooLong { len: 129 })
        );
    }

    #[test]
    fn ordering_is_lexicographic() {
        let mut v: Vec<Oid> = [
            "1.3.6.1.3",
            "1.3.6.1.2.1",
            "1.3.6.1.2",
            "1.3.6.1.10",
            "1.3.6.1.2.1.1",
        ]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
        v.sort();
        let s: Vec<_> = v.iter().map(ToString::to_string).collect();
        assert_eq!(
            s,
            [
                "1.3.6.1.2",
                "1.3.6.1.2.1",
                "1.3.6.1.2.1.1",
                "1.3.6.1.3",
                "1.3.6.1.10"
            ]
        );
    }

    #[test]
    fn tree_operations() {
        let table = oid!(1, 3, 6, 1, 2, 1, 2, 2);
        let inst = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 7);
        assert!(inst.starts_with(&table));
        assert!(!table.starts_with(&inst));
        assert!(inst.starts_with(&Oid::EMPTY));
        assert_eq!(inst.strip_prefix(&table), Some(&[1, 2, 7][..]));
        assert_eq!(table.extend(&[1, 2, 7]).unwrap(), inst);
        assert_eq!(inst.parent().unwrap().child(7).unwrap(), inst);
        assert_eq!(Oid::EMPTY.parent(), None);
        let long = Oid::from_slice(&[1; 128]).unwrap();
        assert_eq!(long.child(1), Err(OidError::TooLong { len: 129 }));
        // Crossing the inline/heap boundary keeps content.
        let fifteen = Oid::from_slice(&[7; 15]).unwrap();
        assert_eq!(fifteen.child(8).unwrap().as_slice()[15], 8);
    }
}
