//! The facts a MIB module states about an object or a type, as the parser reads them.

use std::fmt;

/// What kind of definition a node of the tree comes from.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ObjectKind {
    /// `name OBJECT IDENTIFIER ::= { ... }`.
    ObjectIdentifier,
    /// An arc named inside another node's value, such as `org(3)` in `{ iso org(3) dod(6) }`.
    Implicit,
    /// `MODULE-IDENTITY` (RFC 2578 section 5).
    ModuleIdentity,
    /// `OBJECT-IDENTITY` (RFC 2578 section 6).
    ObjectIdentity,
    /// `OBJECT-TYPE` (RFC 2578 section 7, RFC 1212).
    ObjectType,
    /// `NOTIFICATION-TYPE` (RFC 2578 section 8).
    NotificationType,
    /// `TRAP-TYPE` (RFC 1215): placed at `enterprise.0.number`, as net-snmp does.
    TrapType,
    /// `OBJECT-GROUP` (RFC 2580 section 3).
    ObjectGroup,
    /// `NOTIFICATION-GROUP` (RFC 2580 section 4).
    NotificationGroup,
    /// `MODULE-COMPLIANCE` (RFC 2580 section 5).
    ModuleCompliance,
    /// `AGENT-CAPABILITIES` (RFC 2580 section 6).
    AgentCapabilities,
}

/// `MAX-ACCESS` (SMIv2) or `ACCESS` (SMIv1).
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Access {
    /// `not-accessible`.
    NotAccessible,
    /// `accessible-for-notify`.
    AccessibleForNotify,
    /// `read-only`.
    ReadOnly,
    /// `read-write`.
    ReadWrite,
    /// `read-create`.
    ReadCreate,
    /// `write-only` (SMIv1, obsolete).
    WriteOnly,
}

impl Access {
    pub(crate) fn from_keyword(word: &str) -> Option<Self> {
        Some(match word {
            "not-accessible" => Self::NotAccessible,
            "accessible-for-notify" => Self::AccessibleForNotify,
            "read-only" => Self::ReadOnly,
            "read-write" => Self::ReadWrite,
            "read-create" => Self::ReadCreate,
            "write-only" => Self::WriteOnly,
            _ => return None,
        })
    }
}

/// `STATUS`.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// `current`.
    Current,
    /// `deprecated`.
    Deprecated,
    /// `obsolete`.
    Obsolete,
    /// `mandatory` (SMIv1).
    Mandatory,
    /// `optional` (SMIv1).
    Optional,
}

impl Status {
    pub(crate) fn from_keyword(word: &str) -> Option<Self> {
        Some(match word {
            "current" => Self::Current,
            "deprecated" => Self::Deprecated,
            "obsolete" => Self::Obsolete,
            "mandatory" => Self::Mandatory,
            "optional" => Self::Optional,
            _ => return None,
        })
    }
}

/// One range of a size or value constraint: `lo..hi`, or one value when `lo == hi`.
///
/// Bounds are wide enough for every SMI type (`Counter64` up to 2^64 - 1, `Integer32` down to
/// -2^31); `MIN` and `MAX` are `i128::MIN` and `i128::MAX`.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Range {
    /// The lower bound, inclusive.
    pub lo: i128,
    /// The upper bound, inclusive.
    pub hi: i128,
}

impl Range {
    /// The range `lo..hi`.
    pub const fn new(lo: i128, hi: i128) -> Self {
        Self { lo, hi }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lo == self.hi {
            write!(f, "{}", self.lo)
        } else {
            write!(f, "{}..{}", self.lo, self.hi)
        }
    }
}

/// A type as written in a `SYNTAX` clause or a type assignment.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TypeRef {
    /// `INTEGER`.
    Integer,
    /// `OCTET STRING`.
    OctetString,
    /// `OBJECT IDENTIFIER`.
    ObjectIdentifier,
    /// `BITS`.
    Bits,
    /// `NULL`.
    Null,
    /// A named type: a textual convention, an application type such as `Counter32`, or a
    /// `SEQUENCE` type.
    Named(String),
    /// `SEQUENCE { name Type, ... }` (a row type).
    Sequence(Vec<(String, Syntax)>),
    /// `SEQUENCE OF Type` (a table type).
    SequenceOf(String),
    /// `CHOICE { name Type, ... }`.
    Choice(Vec<(String, Syntax)>),
}

/// A type with its constraints: value ranges, sizes, and named numbers or bits.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Syntax {
    /// The type the constraints refine.
    pub ty: TypeRef,
    /// Value ranges, `(0..65535)`.
    pub ranges: Vec<Range>,
    /// Sizes, `(SIZE (0..255))`.
    pub sizes: Vec<Range>,
    /// Enumerated values (`INTEGER { up(1), down(2) }`) or bit positions (`BITS { a(0) }`).
    pub named: Vec<(String, i64)>,
}

impl Syntax {
    pub(crate) fn plain(ty: TypeRef) -> Self {
        Self {
            ty,
            ranges: Vec::new(),
            sizes: Vec::new(),
            named: Vec::new(),
        }
    }
}

/// The ASN.1 or SMI type at the end of a chain of textual conventions.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BaseType {
    /// `INTEGER` and `Integer32`.
    Integer32,
    /// `OCTET STRING`.
    OctetString,
    /// `OBJECT IDENTIFIER`.
    ObjectIdentifier,
    /// `BITS` (an OCTET STRING on the wire).
    Bits,
    /// `IpAddress`.
    IpAddress,
    /// `NetworkAddress` (SMIv1; an IpAddress on the wire).
    NetworkAddress,
    /// `Counter32` and SMIv1 `Counter`.
    Counter32,
    /// `Gauge32` and SMIv1 `Gauge`.
    Gauge32,
    /// `Unsigned32`.
    Unsigned32,
    /// `TimeTicks`.
    TimeTicks,
    /// `Opaque`.
    Opaque,
    /// `Counter64`.
    Counter64,
    /// `NULL`.
    Null,
    /// A row: `SEQUENCE { ... }`.
    Sequence,
    /// A table: `SEQUENCE OF ...`.
    SequenceOf,
    /// `CHOICE` (the SMI's `ObjectSyntax` and friends).
    Choice,
}

impl BaseType {
    /// The SMI application types known by name, whatever module defines them.
    pub(crate) fn from_smi_name(name: &str) -> Option<Self> {
        Some(match name {
            "Integer32" => Self::Integer32,
            "IpAddress" => Self::IpAddress,
            "NetworkAddress" => Self::NetworkAddress,
            "Counter32" | "Counter" => Self::Counter32,
            "Gauge32" | "Gauge" => Self::Gauge32,
            "Unsigned32" => Self::Unsigned32,
            "TimeTicks" => Self::TimeTicks,
            "Opaque" => Self::Opaque,
            "Counter64" => Self::Counter64,
            _ => return None,
        })
    }
}

/// One entry of an `INDEX` clause.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct IndexPart {
    /// The index object (or, in SMIv1, possibly a type such as `INTEGER`).
    pub name: String,
    /// Whether the entry is `IMPLIED` (no length sub-identifier).
    pub implied: bool,
}
