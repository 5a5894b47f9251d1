//! BER identifier octets (X.690 section 8.1.2).

use core::fmt;

/// The class bits of a BER identifier (X.690 8.1.2.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::exhaustive_enums)] // X.690 defines exactly four classes
pub enum Class {
    /// `00`: types defined by X.680 (INTEGER, OCTET STRING, ...).
    Universal = 0x00,
    /// `01`: SNMP's application types (IpAddress, Counter32, ...).
    Application = 0x40,
    /// `10`: context-specific tags (the PDU types, exception values).
    Context = 0x80,
    /// `11`: private use (net-snmp's Opaque float and double wrappers are context-class
    /// high-numbered tags, not this one).
    Private = 0xc0,
}

/// A BER identifier: class, primitive/constructed and tag number.
///
/// SNMP uses single-octet identifiers except inside net-snmp's Opaque extensions
/// (`9f 78` float, `9f 79` double), so the high-tag-number form is supported.
/// Stored packed (class and form bits above the number) so comparing two tags is one compare.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tag(u64);

impl Tag {
    /// `INTEGER` (universal 2).
    pub const INTEGER: Self = Self::universal(0x02);
    /// `OCTET STRING` (universal 4).
    pub const OCTET_STRING: Self = Self::universal(0x04);
    /// `NULL` (universal 5).
    pub const NULL: Self = Self::universal(0x05);
    /// `OBJECT IDENTIFIER` (universal 6).
    pub const OBJECT_IDENTIFIER: Self = Self::universal(0x06);
    /// `SEQUENCE` / `SEQUENCE OF` (universal 16, constructed).
    pub const SEQUENCE: Self = Self::new(Class::Universal, true, 0x10);

    /// A primitive universal tag.
    pub const fn universal(number: u32) -> Self {
        Self::new(Class::Universal, false, number)
    }

    /// A primitive application tag (`[APPLICATION n] IMPLICIT`).
    pub const fn application(number: u32) -> Self {
        Self::new(Class::Application, false, number)
    }

    /// A context-specific tag, primitive or constructed.
    pub const fn context(number: u32, constructed: bool) -> Self {
        Self::new(Class::Context, constructed, number)
    }

    /// Builds a tag from its parts.
    pub const fn new(class: Class, constructed: bool, number: u32) -> Self {
        let form = if constructed { 0x20 } else { 0 };
        Self::from_first_octet(class as u8 | form, number)
    }

    /// The tag's class.
    pub const fn class(self) -> Class {
        match (self.0 >> 32) & 0xc0 {
            0x00 => Class::Universal,
            0x40 => Class::Application,
            0x80 => Class::Context,
            _ => Class::Private,
        }
    }

    /// Whether the constructed bit is set.
    pub const fn is_constructed(self) -> bool {
        (self.0 >> 32) & 0x20 != 0
    }

    /// The tag number.
    pub const fn number(self) -> u32 {
        #[allow(clippy::cast_possible_truncation)] // the low 32 bits hold the number
        {
            self.0 as u32
        }
    }

    /// The single identifier octet, when the number is below 31.
    pub const fn as_u8(self) -> Option<u8> {
        let number = self.number();
        if number < 0x1f {
            #[allow(clippy::cast_possible_truncation)] // class and form bits fit one octet
            let bits = (self.0 >> 32) as u8;
            #[allow(clippy::cast_possible_truncation)] // number < 0x1f
            Some(bits | number as u8)
        } else {
            None
        }
    }

    /// The tag of a one-octet identifier (`b & 0x1f` below `0x1f`; the high-tag-number marker
    /// `0x1f` itself reads as tag number 31).
    pub const fn from_octet(b: u8) -> Self {
        Self::from_first_octet(b, (b & 0x1f) as u32)
    }

    /// A tag from the class and form bits of a first identifier octet and a number.
    pub(crate) const fn from_first_octet(b: u8, number: u32) -> Self {
        Self((((b & 0xe0) as u64) << 32) | number as u64)
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(b) = self.as_u8() {
            return write!(f, "0x{b:02x}");
        }
        let class = match self.class() {
            Class::Universal => "UNIVERSAL",
            Class::Application => "APPLICATION",
            Class::Context => "CONTEXT",
            Class::Private => "PRIVATE",
        };
        let form = if self.is_constructed() {
            " constructed"
        } else {
            ""
        };
        write!(f, "[{class} {}]{form}", self.number())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_octet_forms() {
        assert_eq!(Tag::SEQUENCE.as_u8(), Some(0x30));
        assert_eq!(Tag::INTEGER.as_u8(), Some(0x02));
        assert_eq!(Tag::application(1).as_u8(), Some(0x41));
        assert_eq!(Tag::context(0, true).as_u8(), Some(0xa0));
        assert_eq!(Tag::context(120, false).as_u8(), None);
        assert_eq!(
            alloc::format!("{}", Tag::context(120, false)),
            "[CONTEXT 120]"
        );
        assert_eq!(alloc::format!("{}", Tag::SEQUENCE), "0x30");
    }
}
