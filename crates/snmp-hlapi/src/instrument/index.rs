//! Table indexes as OID sub-identifiers (RFC 2578 section 7.7).
//!
//! ```text
//! (1) integer-valued (e.g., Integer32): a single sub-identifier taking the integer value
//!     (this works only for non-negative integers);
//! (2) string-valued, fixed-length strings (or variable-length preceded by the IMPLIED
//!     keyword): `n' sub-identifiers, where `n' is the length of the string (each octet of
//!     the string is encoded in a separate sub-identifier);
//! (3) string-valued, variable-length strings (not preceded by the IMPLIED keyword): `n+1'
//!     sub-identifiers, where `n' is the length of the string (the first sub-identifier is
//!     `n' itself, following this, each octet of the string is encoded in a separate
//!     sub-identifier);
//! (4) object identifier-valued (when preceded by the IMPLIED keyword): `n' sub-identifiers,
//!     where `n' is the number of sub-identifiers in the value;
//! (5) object identifier-valued (when not preceded by the IMPLIED keyword): `n+1'
//!     sub-identifiers, where `n' is the number of sub-identifiers in the value (the first
//!     sub-identifier is `n' itself, following this, each sub-identifier in the value is
//!     copied);
//! (6) IpAddress-valued: 4 sub-identifiers, in the familiar a.b.c.d notation.
//! ```

use bytes::Bytes;
use snmp_smi::{Oid, Value};

/// The syntax of one component of a table's INDEX clause: how its value maps to
/// sub-identifiers. The IMPLIED forms may only be the last component.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum IndexSyntax {
    /// An integer-valued index (INTEGER, Integer32, Unsigned32...): one sub-identifier.
    Integer,
    /// A variable-length OCTET STRING: its length, then one sub-identifier per octet.
    OctetString,
    /// An OCTET STRING of exactly this size (`SIZE (n)`): one sub-identifier per octet.
    FixedOctetString(usize),
    /// An `IMPLIED` OCTET STRING: one sub-identifier per octet, no length (last index only).
    ImpliedOctetString,
    /// An IpAddress: four sub-identifiers.
    IpAddress,
    /// An OBJECT IDENTIFIER: its length, then its sub-identifiers.
    ObjectIdentifier,
    /// An `IMPLIED` OBJECT IDENTIFIER: its sub-identifiers, no length (last index only).
    ImpliedObjectIdentifier,
}

impl IndexSyntax {
    const fn is_implied(self) -> bool {
        matches!(
            self,
            Self::ImpliedOctetString | Self::ImpliedObjectIdentifier
        )
    }
}

/// The value of one index component.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IndexValue {
    /// For [`IndexSyntax::Integer`].
    Integer(u32),
    /// For the three OCTET STRING syntaxes.
    OctetString(Bytes),
    /// For [`IndexSyntax::IpAddress`].
    IpAddress([u8; 4]),
    /// For the two OBJECT IDENTIFIER syntaxes.
    ObjectIdentifier(Oid),
}

impl IndexValue {
    /// The value a readable index column answers: an integer as `INTEGER` when it fits
    /// (else `Gauge32`), the others as their SMI type.
    pub fn to_value(&self) -> Value {
        match self {
            Self::Integer(v) => i32::try_from(*v).map_or(Value::Gauge32(*v), Value::Integer),
            Self::OctetString(b) => Value::OctetString(b.clone()),
            Self::IpAddress(a) => Value::IpAddress(*a),
            Self::ObjectIdentifier(o) => Value::ObjectIdentifier(o.clone()),
        }
    }
}

impl From<u32> for IndexValue {
    fn from(v: u32) -> Self {
        Self::Integer(v)
    }
}

impl From<&'static str> for IndexValue {
    fn from(s: &'static str) -> Self {
        Self::OctetString(Bytes::from_static(s.as_bytes()))
    }
}

impl From<[u8; 4]> for IndexValue {
    fn from(a: [u8; 4]) -> Self {
        Self::IpAddress(a)
    }
}

impl From<Oid> for IndexValue {
    fn from(o: Oid) -> Self {
        Self::ObjectIdentifier(o)
    }
}

/// Index values that do not fit their syntax, or sub-identifiers that are no index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IndexError {
    /// As many values as index components are needed.
    #[error("{found} index values for {expected} index components")]
    Count {
        /// The number of components.
        expected: usize,
        /// The number of values.
        found: usize,
    },
    /// An IMPLIED component that is not the last.
    #[error("index component {part} is IMPLIED but not the last")]
    ImpliedNotLast {
        /// Its 0-based position.
        part: usize,
    },
    /// A value of another type than its component, or an OCTET STRING of another size
    /// than a fixed-length component's.
    #[error("index value {part} does not match its syntax")]
    Mismatch {
        /// Its 0-based position.
        part: usize,
    },
    /// The sub-identifiers end inside a component.
    #[error("the sub-identifiers end inside index component {part}")]
    Truncated {
        /// Its 0-based position.
        part: usize,
    },
    /// An octet sub-identifier above 255.
    #[error("index component {part} has a sub-identifier above 255 for an octet")]
    ArcTooLarge {
        /// Its 0-based position.
        part: usize,
    },
    /// An OBJECT IDENTIFIER component of more than 128 sub-identifiers.
    #[error("index component {part} is an OID longer than 128 sub-identifiers")]
    OidTooLong {
        /// Its 0-based position.
        part: usize,
    },
    /// Sub-identifiers left after the last component.
    #[error("{count} sub-identifiers after the last index component")]
    TrailingArcs {
        /// How many.
        count: usize,
    },
}

/// The sub-identifiers of `values` under the INDEX clause `syntax`.
///
/// ```
/// use snmp_hlapi::instrument::{IndexSyntax, IndexValue, encode_index};
///
/// let syntax = [IndexSyntax::OctetString, IndexSyntax::Integer];
/// let arcs = encode_index(&syntax, &["ab".into(), IndexValue::Integer(7)])?;
/// assert_eq!(arcs, [2, 97, 98, 7]);
/// # Ok::<(), snmp_hlapi::instrument::IndexError>(())
/// ```
///
/// # Errors
/// [`IndexError::Count`], [`IndexError::ImpliedNotLast`], [`IndexError::Mismatch`].
pub fn encode_index(syntax: &[IndexSyntax], values: &[IndexValue]) -> Result<Vec<u32>, IndexError> {
    if syntax.len() != values.len() {
        return Err(IndexError::Count {
            expected: syntax.len(),
            found: values.len(),
        });
    }
    check_implied(syntax)?;
    let mut arcs = Vec::new();
    for (part, (s, v)) in syntax.iter().zip(values).enumerate() {
        let mismatch = IndexError::Mismatch { part };
        match (s, v) {
            (IndexSyntax::Integer, IndexValue::Integer(i)) => arcs.push(*i),
            (IndexSyntax::OctetString, IndexValue::OctetString(b)) => {
                arcs.push(u32::try_from(b.len()).map_err(|_| mismatch)?);
                arcs.extend(b.iter().map(|&o| u32::from(o)));
            }
            (IndexSyntax::FixedOctetString(n), IndexValue::OctetString(b)) => {
                if b.len() != *n {
                    return Err(mismatch);
                }
                arcs.extend(b.iter().map(|&o| u32::from(o)));
            }
            (IndexSyntax::ImpliedOctetString, IndexValue::OctetString(b)) => {
                arcs.extend(b.iter().map(|&o| u32::from(o)));
            }
            (IndexSyntax::IpAddress, IndexValue::IpAddress(a)) => {
                arcs.extend(a.iter().map(|&o| u32::from(o)));
            }
            (IndexSyntax::ObjectIdentifier, IndexValue::ObjectIdentifier(o)) => {
                arcs.push(u32::try_from(o.len()).map_err(|_| mismatch)?);
                arcs.extend_from_slice(o.as_slice());
            }
            (IndexSyntax::ImpliedObjectIdentifier, IndexValue::ObjectIdentifier(o)) => {
                arcs.extend_from_slice(o.as_slice());
            }
            _ => return Err(mismatch),
        }
    }
    Ok(arcs)
}

/// The index values that the sub-identifiers `arcs` (an instance OID after its column)
/// encode under the INDEX clause `syntax`; all of `arcs` must be used.
///
/// ```
/// use snmp_hlapi::instrument::{IndexError, IndexSyntax, IndexValue, decode_index};
///
/// let syntax = [IndexSyntax::IpAddress, IndexSyntax::ImpliedOctetString];
/// let values = decode_index(&syntax, &[10, 0, 0, 1, 104, 105])?;
/// assert_eq!(values, [IndexValue::IpAddress([10, 0, 0, 1]), "hi".into()]);
/// assert_eq!(
///     decode_index(&syntax, &[10, 0, 0, 1, 256]),
///     Err(IndexError::ArcTooLarge { part: 1 })
/// );
/// # Ok::<(), IndexError>(())
/// ```
///
/// # Errors
/// [`IndexError::ImpliedNotLast`] for a bad clause; [`IndexError::Truncated`],
/// [`IndexError::ArcTooLarge`], [`IndexError::OidTooLong`] and [`IndexError::TrailingArcs`]
/// for sub-identifiers that are no index of this clause.
pub fn decode_index(syntax: &[IndexSyntax], arcs: &[u32]) -> Result<Vec<IndexValue>, IndexError> {
    check_implied(syntax)?;
    let mut rest = arcs;
    let mut values = Vec::with_capacity(syntax.len());
    for (part, s) in syntax.iter().enumerate() {
        let value = match s {
            IndexSyntax::Integer => {
                let (&first, tail) = rest.split_first().ok_or(IndexError::Truncated { part })?;
                rest = tail;
                IndexValue::Integer(first)
            }
            IndexSyntax::OctetString => {
                let n = take_length(&mut rest, part)?;
                IndexValue::OctetString(octets(take(&mut rest, n, part)?, part)?)
            }
            IndexSyntax::FixedOctetString(n) => {
                IndexValue::OctetString(octets(take(&mut rest, *n, part)?, part)?)
            }
            IndexSyntax::ImpliedOctetString => {
                IndexValue::OctetString(octets(core::mem::take(&mut rest), part)?)
            }
            IndexSyntax::IpAddress => {
                let a = octets(take(&mut rest, 4, part)?, part)?;
                IndexValue::IpAddress(
                    <[u8; 4]>::try_from(&a[..]).map_err(|_| IndexError::Truncated { part })?,
                )
            }
            IndexSyntax::ObjectIdentifier => {
                let n = take_length(&mut rest, part)?;
                oid(take(&mut rest, n, part)?, part)?
            }
            IndexSyntax::ImpliedObjectIdentifier => oid(core::mem::take(&mut rest), part)?,
        };
        values.push(value);
    }
    if rest.is_empty() {
        Ok(values)
    } else {
        Err(IndexError::TrailingArcs { count: rest.len() })
    }
}

fn check_implied(syntax: &[IndexSyntax]) -> Result<(), IndexError> {
    match syntax
        .iter()
        .position(|s| s.is_implied())
        .filter(|&part| part + 1 != syntax.len())
    {
        Some(part) => Err(IndexError::ImpliedNotLast { part }),
        None => Ok(()),
    }
}

/// Reads a length prefix.
fn take_length(rest: &mut &[u32], part: usize) -> Result<usize, IndexError> {
    let (&n, tail) = rest.split_first().ok_or(IndexError::Truncated { part })?;
    *rest = tail;
    usize::try_from(n).map_err(|_| IndexError::Truncated { part })
}

/// Splits `n` sub-identifiers off `rest`.
fn take<'a>(rest: &mut &'a [u32], n: usize, part: usize) -> Result<&'a [u32], IndexError> {
    if n > rest.len() {
        return Err(IndexError::Truncated { part });
    }
    let (head, tail) = rest.split_at(n);
    *rest = tail;
    Ok(head)
}

fn octets(arcs: &[u32], part: usize) -> Result<Bytes, IndexError> {
    arcs.iter()
        .map(|&a| u8::try_from(a).map_err(|_| IndexError::ArcTooLarge { part }))
        .collect::<Result<Vec<u8>, _>>()
        .map(Bytes::from)
}

fn oid(arcs: &[u32], part: usize) -> Result<IndexValue, IndexError> {
    Oid::from_slice(arcs)
        .map(IndexValue::ObjectIdentifier)
        .map_err(|_| IndexError::OidTooLong { part })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use snmp_smi::oid;

    use super::*;

    fn component() -> impl Strategy<Value = (IndexSyntax, IndexValue)> {
        let octets = proptest::collection::vec(any::<u8>(), 0..12);
        let arcs = proptest::collection::vec(any::<u32>(), 0..20);
        prop_oneof![
            any::<u32>().prop_map(|v| (IndexSyntax::Integer, IndexValue::Integer(v))),
            octets
                .clone()
                .prop_map(|b| (IndexSyntax::OctetString, IndexValue::OctetString(b.into()))),
            octets.prop_map(|b| (
                IndexSyntax::FixedOctetString(b.len()),
                IndexValue::OctetString(b.into())
            )),
            any::<[u8; 4]>().prop_map(|a| (IndexSyntax::IpAddress, IndexValue::IpAddress(a))),
            arcs.prop_map(|a| (
                IndexSyntax::ObjectIdentifier,
                IndexValue::ObjectIdentifier(Oid::from_slice(&a).unwrap())
            )),
        ]
    }

    fn last() -> impl Strategy<Value = Option<(IndexSyntax, IndexValue)>> {
        prop_oneof![
            Just(None),
            component().prop_map(Some),
            proptest::collection::vec(any::<u8>(), 0..12).prop_map(|b| Some((
                IndexSyntax::ImpliedOctetString,
                IndexValue::OctetString(b.into())
            ))),
            proptest::collection::vec(any::<u32>(), 0..20).prop_map(|a| Some((
                IndexSyntax::ImpliedObjectIdentifier,
                IndexValue::ObjectIdentifier(Oid::from_slice(&a).unwrap())
            ))),
        ]
    }

    proptest! {
        /// decode(encode(v)) == v for any INDEX clause (IMPLIED only last).
        #[test]
        fn round_trip(parts in proptest::collection::vec(component(), 0..5), tail in last()) {
            let (mut syntax, mut values): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
            if let Some((s, v)) = tail {
                syntax.push(s);
                values.push(v);
            }
            let arcs = encode_index(&syntax, &values).unwrap();
            prop_assert_eq!(decode_index(&syntax, &arcs).unwrap(), values);
        }

        /// Arbitrary sub-identifiers never make the decoder panic, and what decodes encodes
        /// back to the same sub-identifiers (the encoding is canonical).
        #[test]
        fn decode_any_arcs(
            arcs in proptest::collection::vec(prop_oneof![0u32..300, any::<u32>()], 0..30),
            tail in last(),
            parts in proptest::collection::vec(component(), 0..4),
        ) {
            let mut syntax: Vec<_> = parts.into_iter().map(|(s, _)| s).collect();
            if let Some((s, _)) = tail {
                syntax.push(s);
            }
            if let Ok(values) = decode_index(&syntax, &arcs) {
                prop_assert_eq!(encode_index(&syntax, &values).unwrap(), arcs);
            }
        }
    }

    #[test]
    fn known_encodings() {
        let syntax = [
            IndexSyntax::Integer,
            IndexSyntax::OctetString,
            IndexSyntax::FixedOctetString(2),
            IndexSyntax::IpAddress,
            IndexSyntax::ObjectIdentifier,
            IndexSyntax::ImpliedOctetString,
        ];
        let values = [
            IndexValue::Integer(4_000_000_000),
            "abc".into(),
            "xy".into(),
            IndexValue::IpAddress([192, 0, 2, 1]),
            oid!(1, 3, 6).into(),
            "z".into(),
        ];
        let arcs = encode_index(&syntax, &values).unwrap();
        assert_eq!(
            arcs,
            [
                4_000_000_000,
                3,
                97,
                98,
                99,
                120,
                121,
                192,
                0,
                2,
                1,
                3,
                1,
                3,
                6,
                122
            ]
        );
        assert_eq!(decode_index(&syntax, &arcs).unwrap(), values);
        assert_eq!(
            IndexValue::Integer(4_000_000_000).to_value(),
            Value::Gauge32(4_000_000_000)
        );
        assert_eq!(IndexValue::Integer(5).to_value(), Value::Integer(5));
    }

    #[test]
    fn decode_errors() {
        use IndexSyntax as S;
        let cases: [(&[S], &[u32], IndexError); 11] = [
            (&[S::Integer], &[], IndexError::Truncated { part: 0 }),
            (
                &[S::Integer],
                &[1, 2],
                IndexError::TrailingArcs { count: 1 },
            ),
            (
                &[S::Integer, S::OctetString],
                &[1, 3, 97, 98],
                IndexError::Truncated { part: 1 },
            ),
            (
                &[S::OctetString],
                &[u32::MAX],
                IndexError::Truncated { part: 0 },
            ),
            (
                &[S::OctetString],
                &[1, 256],
                IndexError::ArcTooLarge { part: 0 },
            ),
            (
                &[S::FixedOctetString(3)],
                &[1, 2],
                IndexError::Truncated { part: 0 },
            ),
            (
                &[S::IpAddress],
                &[10, 0, 0],
                IndexError::Truncated { part: 0 },
            ),
            (
                &[S::IpAddress],
                &[10, 0, 0, 300],
                IndexError::ArcTooLarge { part: 0 },
            ),
            (
                &[S::ImpliedOctetString],
                &[97, 1000],
                IndexError::ArcTooLarge { part: 0 },
            ),
            (
                &[S::ObjectIdentifier],
                &[3, 1, 3],
                IndexError::Truncated { part: 0 },
            ),
            (
                &[S::ImpliedOctetString, S::Integer],
                &[1, 2],
                IndexError::ImpliedNotLast { part: 0 },
            ),
        ];
        for (syntax, arcs, err) in cases {
            assert_eq!(decode_index(syntax, arcs), Err(err), "{syntax:?} {arcs:?}");
        }
        let long = [7u32; 130];
        assert_eq!(
            decode_index(&[S::ImpliedObjectIdentifier], &long),
            Err(IndexError::OidTooLong { part: 0 })
        );
    }

    #[test]
    fn encode_errors() {
        use IndexSyntax as S;
        assert_eq!(
            encode_index(&[S::Integer], &[]),
            Err(IndexError::Count {
                expected: 1,
                found: 0
            })
        );
        assert_eq!(
            encode_index(&[S::Integer], &["a".into()]),
            Err(IndexError::Mismatch { part: 0 })
        );
        assert_eq!(
            encode_index(&[S::FixedOctetString(2)], &["abc".into()]),
            Err(IndexError::Mismatch { part: 0 })
        );
        assert_eq!(
            encode_index(
                &[S::ImpliedObjectIdentifier, S::Integer],
                &[oid!(1).into(), 1.into()]
            ),
            Err(IndexError::ImpliedNotLast { part: 0 })
        );
    }
}
