//! What a writable object accepts: its MAX-ACCESS and its SYNTAX with constraints.

use std::sync::{Mutex, MutexGuard, PoisonError};

use snmp_smi::{ErrorStatus, Value};

/// The MAX-ACCESS of an object (RFC 2578 section 7.3), in SMI order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Access {
    /// `not-accessible`: an index column, never answered.
    NotAccessible,
    /// `accessible-for-notify`: sent in notifications only, never answered.
    AccessibleForNotify,
    /// `read-only`.
    ReadOnly,
    /// `read-write`: writable, but a SET never creates a row.
    ReadWrite,
    /// `read-create`: writable, and settable in the SET that creates a row.
    ReadCreate,
}

impl Access {
    /// Whether GET and GETNEXT answer the object.
    pub const fn is_readable(self) -> bool {
        matches!(self, Self::ReadOnly | Self::ReadWrite | Self::ReadCreate)
    }

    /// Whether SET may write the object.
    pub const fn is_writable(self) -> bool {
        matches!(self, Self::ReadWrite | Self::ReadCreate)
    }
}

/// The base type of a [`Syntax`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Counter32,
    Counter64,
    Gauge32,
    Integer,
    IpAddress,
    ObjectIdentifier,
    OctetString,
    Opaque,
    TimeTicks,
}

/// The SYNTAX of a writable object: a base type and its sub-typing (RFC 2578 section 9).
/// A SET of a value of another type is wrongType, of an OCTET STRING outside the sizes
/// wrongLength, of an integer outside the ranges wrongValue.
///
/// ```
/// use snmp_hlapi::instrument::Syntax;
/// use snmp_hlapi::{ErrorStatus, Value};
///
/// let name = Syntax::display_string();
/// assert_eq!(name.check(&Value::from("eth0")), Ok(()));
/// assert_eq!(name.check(&Value::Integer(1)), Err(ErrorStatus::WRONG_TYPE));
/// let mtu = Syntax::integer().range(68, 9000);
/// assert_eq!(mtu.check(&Value::Integer(20)), Err(ErrorStatus::WRONG_VALUE));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Syntax {
    kind: Kind,
    /// Allowed values of an integer type (inclusive); empty allows all.
    ranges: Vec<(i128, i128)>,
    /// Allowed sizes of an OCTET STRING (inclusive); empty allows all.
    sizes: Vec<(usize, usize)>,
    /// Whether `ranges` / `sizes` are still a textual convention's own, which the first
    /// [`range`](Self::range) / [`size`](Self::size) refines (replaces) rather than extends.
    base_ranges: bool,
    base_sizes: bool,
}

impl Syntax {
    const fn of(kind: Kind) -> Self {
        Self {
            kind,
            ranges: Vec::new(),
            sizes: Vec::new(),
            base_ranges: false,
            base_sizes: false,
        }
    }

    /// `INTEGER` / `Integer32`, and enumerations (with [`range`](Self::range) per value).
    pub const fn integer() -> Self {
        Self::of(Kind::Integer)
    }

    /// `OCTET STRING`.
    pub const fn octet_string() -> Self {
        Self::of(Kind::OctetString)
    }

    /// `DisplayString` (RFC 2579): an OCTET STRING of `SIZE (0..255)`.
    pub fn display_string() -> Self {
        let mut s = Self::octet_string().size(0, 255);
        s.base_sizes = true;
        s
    }

    /// `TruthValue` (RFC 2579): `true(1)` or `false(2)`.
    pub fn truth_value() -> Self {
        let mut s = Self::integer().range(1, 2);
        s.base_ranges = true;
        s
    }

    /// `OBJECT IDENTIFIER`.
    pub const fn object_identifier() -> Self {
        Self::of(Kind::ObjectIdentifier)
    }

    /// `IpAddress`.
    pub const fn ip_address() -> Self {
        Self::of(Kind::IpAddress)
    }

    /// `Counter32`.
    pub const fn counter32() -> Self {
        Self::of(Kind::Counter32)
    }

    /// `Counter64`.
    pub const fn counter64() -> Self {
        Self::of(Kind::Counter64)
    }

    /// `Gauge32` / `Unsigned32` (the same tag).
    pub const fn gauge32() -> Self {
        Self::of(Kind::Gauge32)
    }

    /// `TimeTicks`.
    pub const fn time_ticks() -> Self {
        Self::of(Kind::TimeTicks)
    }

    /// `Opaque`.
    pub const fn opaque() -> Self {
        Self::of(Kind::Opaque)
    }

    /// Allows the integer values `lo..=hi` (`INTEGER (lo..hi | ...)`); calls add up. The
    /// first call on a textual convention with its own range (`truth_value`) refines it,
    /// as an SMI refinement does: the range given replaces the convention's.
    #[must_use]
    pub fn range(mut self, lo: i64, hi: i64) -> Self {
        if std::mem::take(&mut self.base_ranges) {
            self.ranges.clear();
        }
        self.ranges.push((i128::from(lo), i128::from(hi)));
        self
    }

    /// Allows the OCTET STRING sizes `lo..=hi` (`SIZE (lo..hi | ...)`); calls add up. The
    /// first call on `display_string` refines its `SIZE (0..255)`: `display_string().size(1,
    /// 8)` allows 1 to 8 octets.
    #[must_use]
    pub fn size(mut self, lo: usize, hi: usize) -> Self {
        if std::mem::take(&mut self.base_sizes) {
            self.sizes.clear();
        }
        self.sizes.push((lo, hi));
        self
    }

    /// Whether a SET may write `value`: the error-status it deserves if not.
    ///
    /// # Errors
    /// `wrongType`, `wrongLength` or `wrongValue`.
    pub fn check(&self, value: &Value) -> Result<(), ErrorStatus> {
        let number = match (self.kind, value) {
            (Kind::Integer, Value::Integer(v)) => i128::from(*v),
            (Kind::Counter32, Value::Counter32(v))
            | (Kind::Gauge32, Value::Gauge32(v) | Value::UInteger32(v))
            | (Kind::TimeTicks, Value::TimeTicks(v)) => i128::from(*v),
            (Kind::Counter64, Value::Counter64(v)) => i128::from(*v),
            (Kind::OctetString, Value::OctetString(b)) | (Kind::Opaque, Value::Opaque(b)) => {
                let len = b.len();
                return if self.sizes.is_empty()
                    || self.sizes.iter().any(|&(lo, hi)| (lo..=hi).contains(&len))
                {
                    Ok(())
                } else {
                    Err(ErrorStatus::WRONG_LENGTH)
                };
            }
            (Kind::ObjectIdentifier, Value::ObjectIdentifier(_))
            | (Kind::IpAddress, Value::IpAddress(_)) => return Ok(()),
            _ => return Err(ErrorStatus::WRONG_TYPE),
        };
        if self.ranges.is_empty()
            || self
                .ranges
                .iter()
                .any(|&(lo, hi)| (lo..=hi).contains(&number))
        {
            Ok(())
        } else {
            Err(ErrorStatus::WRONG_VALUE)
        }
    }
}

/// Locks a mutex shared with the application; a panic elsewhere while holding it leaves
/// data that is still consistent (every update is one assignment), so poisoning is ignored.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refining_a_textual_convention_replaces_its_constraint() {
        let name = Syntax::display_string().size(1, 8);
        assert_eq!(name.check(&Value::from("")), Err(ErrorStatus::WRONG_LENGTH));
        assert_eq!(
            name.check(&Value::from("123456789")),
            Err(ErrorStatus::WRONG_LENGTH)
        );
        assert_eq!(name.check(&Value::from("router")), Ok(()));
        // A second call extends the refinement.
        let two = Syntax::display_string().size(1, 2).size(4, 4);
        assert_eq!(
            two.check(&Value::from("abc")),
            Err(ErrorStatus::WRONG_LENGTH)
        );
        assert_eq!(two.check(&Value::from("abcd")), Ok(()));
        assert_eq!(
            Syntax::display_string().check(&Value::Integer(1)),
            Err(ErrorStatus::WRONG_TYPE)
        );
        let only_true = Syntax::truth_value().range(1, 1);
        assert_eq!(
            only_true.check(&Value::Integer(2)),
            Err(ErrorStatus::WRONG_VALUE)
        );
    }

    #[test]
    fn checks_type_size_and_range() {
        let s = Syntax::octet_string().size(0, 0).size(4, 6);
        assert_eq!(s.check(&Value::from("")), Ok(()));
        assert_eq!(s.check(&Value::from("abcd")), Ok(()));
        assert_eq!(s.check(&Value::from("ab")), Err(ErrorStatus::WRONG_LENGTH));
        assert_eq!(
            s.check(&Value::from("abcdefg")),
            Err(ErrorStatus::WRONG_LENGTH)
        );
        assert_eq!(s.check(&Value::Gauge32(1)), Err(ErrorStatus::WRONG_TYPE));
        let e = Syntax::integer().range(1, 1).range(3, 5);
        assert_eq!(e.check(&Value::Integer(1)), Ok(()));
        assert_eq!(e.check(&Value::Integer(2)), Err(ErrorStatus::WRONG_VALUE));
        assert_eq!(e.check(&Value::Integer(5)), Ok(()));
        assert_eq!(e.check(&Value::Gauge32(3)), Err(ErrorStatus::WRONG_TYPE));
        let g = Syntax::gauge32().range(0, i64::from(u32::MAX));
        assert_eq!(g.check(&Value::Gauge32(u32::MAX)), Ok(()));
        assert_eq!(
            Syntax::ip_address().check(&Value::IpAddress([1, 2, 3, 4])),
            Ok(())
        );
        assert_eq!(
            Syntax::ip_address().check(&Value::from("1234")),
            Err(ErrorStatus::WRONG_TYPE)
        );
        assert_eq!(
            Syntax::counter64().check(&Value::Counter64(u64::MAX)),
            Ok(())
        );
        assert!(Access::ReadCreate.is_writable() && !Access::ReadOnly.is_writable());
        assert!(!Access::NotAccessible.is_readable() && Access::ReadOnly.is_readable());
    }
}
