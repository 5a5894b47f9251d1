//! The canonical BER encoder: one pass into a buffer written back to front.

use alloc::vec::Vec;
use core::fmt;

use bytes::Bytes;

use crate::Tag;

/// An encoding failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The encoding would exceed the encoder's size limit (the engine maps this to `tooBig`).
    #[error("encoding exceeds the {limit}-octet limit")]
    TooBig {
        /// The limit in force.
        limit: usize,
    },
    /// A value that has no BER encoding (an OID whose first arcs are out of range...).
    #[error("cannot encode {what}")]
    Invalid {
        /// What was wrong.
        what: &'static str,
    },
}

/// A saved position of an [`Encoder`], to roll back to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mark(usize);

/// Writes canonical BER (definite minimal lengths, minimal integers) back to front.
///
/// Writing backwards means each value's length is known when its header is written, so one
/// pass suffices and nothing is moved. The catch: the elements of a SEQUENCE are written last
/// first.
///
/// ```
/// use snmp_ber::{Encoder, Tag};
///
/// let mut e = Encoder::new();
/// e.write_tlv(Tag::SEQUENCE, |e| {
///     e.put_null(Tag::NULL)?; // the second element, written first
///     e.put_i64(Tag::INTEGER, 300)
/// })?;
/// assert_eq!(e.as_slice(), [0x30, 0x06, 0x02, 0x02, 0x01, 0x2c, 0x05, 0x00]);
/// # Ok::<(), snmp_ber::EncodeError>(())
/// ```
pub struct Encoder {
    buf: Vec<u8>,
    /// The encoding is `buf[start..]`.
    start: usize,
    limit: usize,
    /// The lowest `start` the limit allows: `buf.len() - limit`, or 0.
    floor: usize,
}

impl fmt::Debug for Encoder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Encoder")
            .field("len", &self.len())
            .field("limit", &self.limit)
            .finish()
    }
}

impl Default for Encoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder {
    /// An encoder with no size limit.
    pub fn new() -> Self {
        Self::with_capacity(256)
    }

    /// An encoder whose buffer starts with `capacity` octets.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: alloc::vec![0; capacity],
            start: capacity,
            limit: usize::MAX,
            floor: 0,
        }
    }

    /// Limits the encoding to `limit` octets; going over is [`EncodeError::TooBig`].
    pub fn set_limit(&mut self, limit: usize) -> &mut Self {
        self.limit = limit;
        self.floor = self.buf.len().saturating_sub(limit);
        self
    }

    /// The octets written so far.
    pub fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The encoding so far.
    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// Forgets what was written, keeping the buffer.
    pub fn clear(&mut self) {
        self.start = self.buf.len();
    }

    /// The encoding, without copying it.
    pub fn finish(self) -> Bytes {
        let start = self.start;
        Bytes::from(self.buf).slice(start..)
    }

    /// The current position.
    pub fn mark(&self) -> Mark {
        Mark(self.len())
    }

    /// Drops everything written after `mark`.
    pub fn rollback(&mut self, mark: Mark) {
        if mark.0 <= self.len() {
            self.start = self.buf.len() - mark.0;
        }
    }

    /// Makes room for `n` more octets in front of the data.
    #[inline]
    fn reserve(&mut self, n: usize) -> Result<(), EncodeError> {
        if n <= self.start.saturating_sub(self.floor) {
            return Ok(());
        }
        self.grow(n)
    }

    #[cold]
    #[inline(never)]
    fn grow(&mut self, n: usize) -> Result<(), EncodeError> {
        let used = self.len();
        if used.saturating_add(n) > self.limit {
            return Err(EncodeError::TooBig { limit: self.limit });
        }
        if n <= self.start {
            return Ok(());
        }
        let cap = self.buf.len().saturating_mul(2).max(used + n).max(64);
        let mut grown = alloc::vec![0; cap];
        grown[cap - used..].copy_from_slice(self.as_slice());
        self.buf = grown;
        self.start = cap - used;
        self.floor = cap.saturating_sub(self.limit);
        Ok(())
    }

    /// Prepends raw octets.
    #[inline]
    pub fn put_slice(&mut self, s: &[u8]) -> Result<(), EncodeError> {
        self.reserve(s.len())?;
        self.start -= s.len();
        self.buf[self.start..self.start + s.len()].copy_from_slice(s);
        Ok(())
    }

    /// Prepends one octet.
    #[inline]
    pub fn put_u8(&mut self, b: u8) -> Result<(), EncodeError> {
        self.reserve(1)?;
        self.start -= 1;
        self.buf[self.start] = b;
        Ok(())
    }

    /// Prepends a definite length in its minimal form.
    #[inline]
    pub fn put_length(&mut self, len: usize) -> Result<(), EncodeError> {
        if len < 0x80 {
            #[allow(clippy::cast_possible_truncation)] // len < 0x80
            return self.put_u8(len as u8);
        }
        let mut out = [0u8; 9];
        let n = long_length(len, &mut out);
        self.put_slice(&out[..n])
    }

    /// Prepends an identifier.
    #[inline]
    pub fn put_tag(&mut self, tag: Tag) -> Result<(), EncodeError> {
        if let Some(b) = tag.as_u8() {
            return self.put_u8(b);
        }
        let mut out = [0u8; 6];
        let n = long_tag(tag, &mut out);
        self.put_slice(&out[..n])
    }

    /// Prepends an identifier and length for `len` content octets already written.
    #[inline]
    pub fn put_header(&mut self, tag: Tag, len: usize) -> Result<(), EncodeError> {
        if let (Some(t), true) = (tag.as_u8(), len < 0x80) {
            #[allow(clippy::cast_possible_truncation)] // len < 0x80
            return self.put_slice(&[t, len as u8]);
        }
        self.put_length(len)?;
        self.put_tag(tag)
    }

    /// Writes a constructed value: `content` writes its elements (last first), then the header
    /// is prepended. On error everything `content` wrote is rolled back.
    #[inline]
    pub fn write_tlv(
        &mut self,
        tag: Tag,
        content: impl FnOnce(&mut Self) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        let mark = self.mark();
        let r = content(self).and_then(|()| {
            let len = self.len() - mark.0;
            self.put_header(tag, len)
        });
        if r.is_err() {
            self.rollback(mark);
        }
        r
    }

    /// Writes a primitive value with the given content.
    #[inline]
    pub fn put_octets(&mut self, tag: Tag, content: &[u8]) -> Result<(), EncodeError> {
        let mark = self.mark();
        let r = self
            .put_slice(content)
            .and_then(|()| self.put_header(tag, content.len()));
        if r.is_err() {
            self.rollback(mark);
        }
        r
    }

    /// Writes a value with empty content (NULL, the exception values).
    pub fn put_null(&mut self, tag: Tag) -> Result<(), EncodeError> {
        self.put_octets(tag, &[])
    }

    /// Writes a signed integer in minimal two's complement.
    #[inline]
    pub fn put_i64(&mut self, tag: Tag, v: i64) -> Result<(), EncodeError> {
        let be = v.to_be_bytes();
        let mut skip = 0;
        while skip < 7 {
            let (b, next) = (be[skip], be[skip + 1]);
            if (b == 0x00 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
                skip += 1;
            } else {
                break;
            }
        }
        self.put_octets(tag, &be[skip..])
    }

    /// Writes an unsigned integer in minimal form, with a `00` pad when the top bit is set.
    #[inline]
    pub fn put_u64(&mut self, tag: Tag, v: u64) -> Result<(), EncodeError> {
        let be = v.to_be_bytes();
        let mut padded = [0u8; 9];
        padded[1..].copy_from_slice(&be);
        let mut skip = 0;
        while skip < 8 && padded[skip] == 0 && padded[skip + 1] & 0x80 == 0 {
            skip += 1;
        }
        self.put_octets(tag, &padded[skip..])
    }

    /// Writes an OBJECT IDENTIFIER.
    ///
    /// An OID of fewer than two arcs is written as if completed with zeros (`[]` as `0.0`,
    /// `[1]` as `1.0`), as net-snmp does; the first arc must be 0, 1 or 2 and, below 2, the
    /// second below 40.
    pub fn put_oid(&mut self, tag: Tag, arcs: &[u32]) -> Result<(), EncodeError> {
        let first = arcs.first().copied().unwrap_or(0);
        let second = arcs.get(1).copied().unwrap_or(0);
        if first > 2 || (first < 2 && second >= 40) {
            return Err(EncodeError::Invalid {
                what: "OID: first arcs out of range",
            });
        }
        let head = u64::from(first) * 40 + u64::from(second);
        let rest = arcs.get(2..).unwrap_or_default();
        // Most sub-identifiers after the first two are below 128: one octet each.
        let small = rest.iter().all(|a| *a < 0x80);
        let rest_len = if small {
            rest.len()
        } else {
            rest.iter()
                .map(|a| base128_len(u64::from(*a)))
                .sum::<usize>()
        };
        let len = base128_len(head) + rest_len;
        let mark = self.mark();
        self.reserve(len)?;
        // Written front to back into the reserved space.
        let mut at = self.start - len;
        self.start = at;
        at = write_base128(&mut self.buf, at, head);
        if small {
            for (d, a) in self.buf[at..at + rest.len()].iter_mut().zip(rest) {
                #[allow(clippy::cast_possible_truncation)] // every arc is below 0x80
                {
                    *d = *a as u8;
                }
            }
        } else {
            for &arc in rest {
                at = write_base128(&mut self.buf, at, u64::from(arc));
            }
        }
        let r = self.put_header(tag, len);
        if r.is_err() {
            self.rollback(mark);
        }
        r
    }
}

/// The octets of `v` in base 128.
#[inline]
fn base128_len(v: u64) -> usize {
    match v {
        0..0x80 => 1,
        0x80..0x4000 => 2,
        0x4000..0x20_0000 => 3,
        0x20_0000..0x1000_0000 => 4,
        _ => (64 - v.leading_zeros() as usize).div_ceil(7),
    }
}

/// Writes `v` in base 128 at `buf[at..]`, returning the index after it.
#[inline]
fn write_base128(buf: &mut [u8], at: usize, v: u64) -> usize {
    let n = base128_len(v);
    for i in 0..n {
        let shift = 7 * (n - 1 - i);
        let more = if i + 1 < n { 0x80 } else { 0 };
        #[allow(clippy::cast_possible_truncation)] // masked to 7 bits
        {
            buf[at + i] = ((v >> shift) & 0x7f) as u8 | more;
        }
    }
    at + n
}

/// The long form of a length into `out`, returning how many octets it takes.
fn long_length(len: usize, out: &mut [u8; 9]) -> usize {
    let be = (len as u64).to_be_bytes();
    let skip = be.iter().take_while(|b| **b == 0).count();
    let n = 8 - skip;
    #[allow(clippy::cast_possible_truncation)] // at most 8
    {
        out[0] = 0x80 | n as u8;
    }
    out[1..=n].copy_from_slice(&be[skip..]);
    n + 1
}

/// The high-tag-number form of `tag` into `out`, returning how many octets it takes.
fn long_tag(tag: Tag, out: &mut [u8; 6]) -> usize {
    let first = Tag::new(tag.class(), tag.is_constructed(), 0)
        .as_u8()
        .unwrap_or(0);
    out[0] = first | 0x1f;
    let number = u64::from(tag.number());
    1 + write_base128_into(out, number)
}

fn write_base128_into(out: &mut [u8; 6], v: u64) -> usize {
    let n = base128_len(v);
    write_base128(out, 1, v);
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DecodeOptions, Decoder, MAX_OID_LEN};

    #[test]
    fn lengths_are_minimal() {
        for (len, want) in [
            (0usize, &[0x00][..]),
            (0x7f, &[0x7f]),
            (0x80, &[0x81, 0x80]),
            (0xff, &[0x81, 0xff]),
            (0x100, &[0x82, 0x01, 0x00]),
            (0x1_0000, &[0x83, 0x01, 0x00, 0x00]),
        ] {
            let mut e = Encoder::new();
            e.put_length(len).unwrap();
            assert_eq!(e.as_slice(), want, "{len}");
        }
    }

    #[test]
    fn integers_are_minimal() {
        for (v, want) in [
            (0i64, &[0x02, 0x01, 0x00][..]),
            (127, &[0x02, 0x01, 0x7f]),
            (128, &[0x02, 0x02, 0x00, 0x80]),
            (-128, &[0x02, 0x01, 0x80]),
            (-129, &[0x02, 0x02, 0xff, 0x7f]),
            (i64::MIN, &[0x02, 0x08, 0x80, 0, 0, 0, 0, 0, 0, 0]),
        ] {
            let mut e = Encoder::new();
            e.put_i64(Tag::INTEGER, v).unwrap();
            assert_eq!(e.as_slice(), want, "{v}");
        }
        for (v, want) in [
            (0u64, &[0x41, 0x01, 0x00][..]),
            (0x80, &[0x41, 0x02, 0x00, 0x80]),
            (
                u64::from(u32::MAX),
                &[0x41, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff],
            ),
            (
                u64::MAX,
                &[
                    0x41, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                ],
            ),
        ] {
            let mut e = Encoder::new();
            e.put_u64(Tag::application(1), v).unwrap();
            assert_eq!(e.as_slice(), want, "{v}");
        }
    }

    #[test]
    fn oids_and_tags() {
        let mut e = Encoder::new();
        e.put_oid(Tag::OBJECT_IDENTIFIER, &[1, 3, 6, 1, 2, 1, 1, 1, 0])
            .unwrap();
        assert_eq!(
            e.as_slice(),
            [0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00]
        );
        let mut e = Encoder::new();
        e.put_oid(Tag::OBJECT_IDENTIFIER, &[2, 999, 128]).unwrap();
        assert_eq!(e.as_slice(), [0x06, 0x04, 0x88, 0x37, 0x81, 0x00]);
        let mut e = Encoder::new();
        e.put_oid(Tag::OBJECT_IDENTIFIER, &[]).unwrap();
        assert_eq!(e.as_slice(), [0x06, 0x01, 0x00]);
        assert!(
            Encoder::new()
                .put_oid(Tag::OBJECT_IDENTIFIER, &[3, 1])
                .is_err()
        );
        assert!(
            Encoder::new()
                .put_oid(Tag::OBJECT_IDENTIFIER, &[1, 40])
                .is_err()
        );
        let mut e = Encoder::new();
        e.put_octets(Tag::context(120, false), &[1]).unwrap();
        assert_eq!(e.as_slice(), [0x9f, 0x78, 0x01, 0x01]);
        let mut e = Encoder::new();
        e.put_octets(Tag::context(300, true), &[]).unwrap();
        assert_eq!(e.as_slice(), [0xbf, 0x82, 0x2c, 0x00]);
    }

    #[test]
    fn growth_keeps_data() {
        let mut e = Encoder::with_capacity(1);
        let payload: Vec<u8> = (0..=255).collect();
        e.write_tlv(Tag::SEQUENCE, |e| {
            for _ in 0..10 {
                e.put_octets(Tag::OCTET_STRING, &payload)?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(e.len(), 4 + 10 * (4 + 256));
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(e.as_slice());
        let mut seq = r.read_tlv(Tag::SEQUENCE).unwrap();
        for _ in 0..10 {
            assert_eq!(seq.read_octets(Tag::OCTET_STRING).unwrap(), &payload[..]);
        }
        seq.finish("SEQUENCE").unwrap();
    }

    #[test]
    fn limit_rolls_back() {
        let mut e = Encoder::new();
        e.set_limit(10);
        e.put_octets(Tag::OCTET_STRING, b"abc").unwrap();
        let before = e.as_slice().to_vec();
        let r = e.write_tlv(Tag::SEQUENCE, |e| e.put_octets(Tag::OCTET_STRING, b"defgh"));
        assert_eq!(r, Err(EncodeError::TooBig { limit: 10 }));
        assert_eq!(e.as_slice(), before);
        let b = e.finish();
        assert_eq!(&b[..], [0x04, 0x03, b'a', b'b', b'c']);
    }

    #[test]
    fn oid_round_trip_at_extremes() {
        // The first group, 80 + Y, may need 33 bits; the others at most 32.
        let arcs: Vec<u32> = [2, u32::MAX]
            .into_iter()
            .chain(core::iter::repeat_n(u32::MAX, 126))
            .collect();
        let mut e = Encoder::new();
        e.put_oid(Tag::OBJECT_IDENTIFIER, &arcs).unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut out = [0u32; MAX_OID_LEN];
        let n = dec
            .reader(e.as_slice())
            .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
            .unwrap();
        assert_eq!(out[..n], arcs[..]);
    }
}
