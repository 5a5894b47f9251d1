//! Table instances: the sub-identifiers after a column's OID <-> the values of the row's INDEX
//! objects (RFC 2578 section 7.7).

use snmp_smi::Oid;

use crate::mib::{Mib, Object};
use crate::model::BaseType;

/// How one INDEX object is written into an instance OID (RFC 2578 section 7.7).
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IndexKind {
    /// An integer-valued object: one sub-identifier (0..=2^32-1).
    Integer,
    /// A fixed-size string (`SIZE (n)`): its `n` octets, one sub-identifier each.
    FixedOctets(usize),
    /// A variable-size string: its length, then its octets.
    Octets,
    /// An `IMPLIED` variable-size string (last index only): its octets alone.
    ImpliedOctets,
    /// An IpAddress: its four octets.
    IpAddress,
    /// An SMIv1 NetworkAddress: `1` (the internet CHOICE), then four octets.
    NetworkAddress,
    /// An OBJECT IDENTIFIER: its length, then its sub-identifiers.
    ObjectIdentifier,
    /// An `IMPLIED` OBJECT IDENTIFIER: its sub-identifiers alone.
    ImpliedObjectIdentifier,
}

/// One index value of a table instance.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IndexValue {
    /// An integer index (non-negative, at most 2^32 - 1 in an OID).
    Integer(u32),
    /// A string index (any of the octet kinds, IpAddress and NetworkAddress included).
    Octets(Vec<u8>),
    /// An OBJECT IDENTIFIER index.
    Oid(Oid),
}

/// Splits the instance part of an OID into index values; `None` when the sub-identifiers do
/// not fit the kinds (too few, too many, an octet above 255, a length beyond the end).
///
/// ```
/// use snmp_mib::{IndexKind, IndexValue, decode_index};
///
/// // ipNetToMediaTable: INDEX { ipNetToMediaIfIndex, ipNetToMediaNetAddress }
/// let values = decode_index(&[IndexKind::Integer, IndexKind::IpAddress], &[2, 192, 0, 2, 1]);
/// assert_eq!(
///     values,
///     Some(vec![IndexValue::Integer(2), IndexValue::Octets(vec![192, 0, 2, 1])])
/// );
/// ```
pub fn decode_index(kinds: &[IndexKind], arcs: &[u32]) -> Option<Vec<IndexValue>> {
    let mut rest = arcs;
    let mut values = Vec::with_capacity(kinds.len());
    let octets =
        |arcs: &[u32]| -> Option<Vec<u8>> { arcs.iter().map(|a| u8::try_from(*a).ok()).collect() };
    for kind in kinds {
        let (value, after) = match kind {
            IndexKind::Integer => {
                let (first, after) = rest.split_first()?;
                (IndexValue::Integer(*first), after)
            }
            IndexKind::FixedOctets(n) => {
                let (head, after) = rest.split_at_checked(*n)?;
                (IndexValue::Octets(octets(head)?), after)
            }
            IndexKind::IpAddress => {
                let (head, after) = rest.split_at_checked(4)?;
                (IndexValue::Octets(octets(head)?), after)
            }
            IndexKind::NetworkAddress => {
                let (tag, after) = rest.split_first()?;
                if *tag != 1 {
                    return None;
                }
                let (head, after) = after.split_at_checked(4)?;
                (IndexValue::Octets(octets(head)?), after)
            }
            IndexKind::Octets | IndexKind::ObjectIdentifier => {
                let (len, after) = rest.split_first()?;
                let (head, after) = after.split_at_checked(usize::try_from(*len).ok()?)?;
                let value = if *kind == IndexKind::Octets {
                    IndexValue::Octets(octets(head)?)
                } else {
                    IndexValue::Oid(Oid::from_slice(head).ok()?)
                };
                (value, after)
            }
            IndexKind::ImpliedOctets => (IndexValue::Octets(octets(rest)?), &[][..]),
            IndexKind::ImpliedObjectIdentifier => {
                (IndexValue::Oid(Oid::from_slice(rest).ok()?), &[][..])
            }
        };
        values.push(value);
        rest = after;
    }
    rest.is_empty().then_some(values)
}

/// The instance sub-identifiers of these index values; `None` when a value does not fit its
/// kind (a string for an integer, a fixed size not met, an IpAddress not of four octets).
///
/// ```
/// use snmp_mib::{IndexKind, IndexValue, encode_index};
///
/// // snmpTargetAddrTable: INDEX { IMPLIED snmpTargetAddrName }
/// let arcs = encode_index(&[IndexKind::ImpliedOctets], &[IndexValue::Octets(b"ab".to_vec())]);
/// assert_eq!(arcs, Some(vec![97, 98]));
/// ```
pub fn encode_index(kinds: &[IndexKind], values: &[IndexValue]) -> Option<Vec<u32>> {
    if kinds.len() != values.len() {
        return None;
    }
    let mut arcs = Vec::new();
    for (kind, value) in kinds.iter().zip(values) {
        match (kind, value) {
            (IndexKind::Integer, IndexValue::Integer(v)) => arcs.push(*v),
            (IndexKind::FixedOctets(n), IndexValue::Octets(b)) if b.len() == *n => {
                arcs.extend(b.iter().map(|x| u32::from(*x)));
            }
            (IndexKind::IpAddress, IndexValue::Octets(b)) if b.len() == 4 => {
                arcs.extend(b.iter().map(|x| u32::from(*x)));
            }
            (IndexKind::NetworkAddress, IndexValue::Octets(b)) if b.len() == 4 => {
                arcs.push(1);
                arcs.extend(b.iter().map(|x| u32::from(*x)));
            }
            (IndexKind::Octets, IndexValue::Octets(b)) => {
                arcs.push(u32::try_from(b.len()).ok()?);
                arcs.extend(b.iter().map(|x| u32::from(*x)));
            }
            (IndexKind::ImpliedOctets, IndexValue::Octets(b)) => {
                arcs.extend(b.iter().map(|x| u32::from(*x)));
            }
            (IndexKind::ObjectIdentifier, IndexValue::Oid(o)) => {
                arcs.push(u32::try_from(o.len()).ok()?);
                arcs.extend_from_slice(o.as_slice());
            }
            (IndexKind::ImpliedObjectIdentifier, IndexValue::Oid(o)) => {
                arcs.extend_from_slice(o.as_slice());
            }
            _ => return None,
        }
    }
    Some(arcs)
}

impl Mib {
    /// How the instances of `object` (a row, or a column of one) are indexed: one
    /// [`IndexKind`] for each object of the row's INDEX (or of the row it AUGMENTS), from that
    /// object's type. `None` when `object` is in no indexed row or an index object is unknown.
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf");
    /// # if !std::path::Path::new(dir).is_dir() { return Ok(()); }
    /// use snmp_mib::{IndexKind, IndexValue, Mib};
    ///
    /// let mib = Mib::load(&[dir], &["IF-MIB"])?;
    /// let in_octets = mib.object("ifHCInOctets").expect("loaded");
    /// assert_eq!(mib.index_kinds(in_octets), Some(vec![IndexKind::Integer]));
    /// let oid = mib.resolve("ifHCInOctets.3")?;
    /// assert_eq!(mib.decode_instance(&oid), Some((in_octets, vec![IndexValue::Integer(3)])));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn index_kinds(&self, object: &Object) -> Option<Vec<IndexKind>> {
        let mut row = if object.index.is_empty() && object.augments.is_none() {
            self.object_at(&object.oid.parent()?)?
        } else {
            object
        };
        for _ in 0..8 {
            let Some(target) = &row.augments else { break };
            row = self
                .object(&format!("{}::{target}", row.module))
                .or_else(|| self.object(target))?;
        }
        if row.index.is_empty() {
            return None;
        }
        let last = row.index.len() - 1;
        row.index
            .iter()
            .enumerate()
            .map(|(i, part)| {
                let implied = part.implied && i == last;
                let (base, sizes) = match part.name.as_str() {
                    "INTEGER" | "Integer32" | "Unsigned32" | "Gauge" | "Gauge32" | "Counter" => {
                        (BaseType::Integer32, Vec::new())
                    }
                    "OCTET STRING" | "DisplayString" | "PhysAddress" => {
                        (BaseType::OctetString, Vec::new())
                    }
                    "OBJECT IDENTIFIER" => (BaseType::ObjectIdentifier, Vec::new()),
                    "IpAddress" => (BaseType::IpAddress, Vec::new()),
                    "NetworkAddress" => (BaseType::NetworkAddress, Vec::new()),
                    name => {
                        let o = self
                            .object(&format!("{}::{name}", row.module))
                            .or_else(|| self.object(name))?;
                        (o.base_type?, o.sizes.clone())
                    }
                };
                let fixed = sizes
                    .first()
                    .filter(|r| r.lo == r.hi && sizes.iter().all(|s| s == *r))
                    .and_then(|r| usize::try_from(r.lo).ok());
                Some(match base {
                    BaseType::IpAddress => IndexKind::IpAddress,
                    BaseType::NetworkAddress => IndexKind::NetworkAddress,
                    BaseType::ObjectIdentifier if implied => IndexKind::ImpliedObjectIdentifier,
                    BaseType::ObjectIdentifier => IndexKind::ObjectIdentifier,
                    BaseType::OctetString | BaseType::Bits | BaseType::Opaque => match fixed {
                        Some(n) => IndexKind::FixedOctets(n),
                        None if implied => IndexKind::ImpliedOctets,
                        None => IndexKind::Octets,
                    },
                    BaseType::Integer32
                    | BaseType::Unsigned32
                    | BaseType::Gauge32
                    | BaseType::Counter32
                    | BaseType::TimeTicks => IndexKind::Integer,
                    _ => return None,
                })
            })
            .collect()
    }

    /// The column (or other object) an instance OID is in, and its index values.
    pub fn decode_instance<'a>(&'a self, oid: &'a Oid) -> Option<(&'a Object, Vec<IndexValue>)> {
        let (object, suffix) = self.lookup(oid)?;
        let kinds = self.index_kinds(object)?;
        Some((object, decode_index(&kinds, suffix)?))
    }

    /// The instance OID of `column` for these index values.
    pub fn encode_instance(&self, column: &Object, values: &[IndexValue]) -> Option<Oid> {
        let kinds = self.index_kinds(column)?;
        column.oid.extend(&encode_index(&kinds, values)?).ok()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn kind_and_value() -> impl Strategy<Value = (IndexKind, IndexValue)> {
        let octets = proptest::collection::vec(any::<u8>(), 0..20);
        let arcs = proptest::collection::vec(any::<u32>(), 0..20);
        prop_oneof![
            any::<u32>().prop_map(|v| (IndexKind::Integer, IndexValue::Integer(v))),
            octets
                .clone()
                .prop_map(|b| (IndexKind::FixedOctets(b.len()), IndexValue::Octets(b))),
            octets
                .clone()
                .prop_map(|b| (IndexKind::Octets, IndexValue::Octets(b))),
            any::<[u8; 4]>().prop_map(|b| (IndexKind::IpAddress, IndexValue::Octets(b.to_vec()))),
            any::<[u8; 4]>()
                .prop_map(|b| (IndexKind::NetworkAddress, IndexValue::Octets(b.to_vec()))),
            arcs.prop_map(|a| (
                IndexKind::ObjectIdentifier,
                IndexValue::Oid(Oid::from_slice(&a).unwrap())
            )),
        ]
    }

    fn implied_last() -> impl Strategy<Value = (IndexKind, IndexValue)> {
        prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..20)
                .prop_map(|b| (IndexKind::ImpliedOctets, IndexValue::Octets(b))),
            proptest::collection::vec(any::<u32>(), 0..20).prop_map(|a| (
                IndexKind::ImpliedObjectIdentifier,
                IndexValue::Oid(Oid::from_slice(&a).unwrap())
            )),
        ]
    }

    proptest! {
        /// decode(encode(values)) == values, for any mix of kinds and an optional IMPLIED last.
        #[test]
        fn round_trip(
            parts in proptest::collection::vec(kind_and_value(), 0..5),
            last in proptest::option::of(implied_last()),
        ) {
            let (mut kinds, mut values): (Vec<_>, Vec<_>) = parts.into_iter().unzip();
            if let Some((k, v)) = last {
                kinds.push(k);
                values.push(v);
            }
            let arcs = encode_index(&kinds, &values).unwrap();
            prop_assert_eq!(decode_index(&kinds, &arcs), Some(values));
        }

        /// Any sub-identifiers: decoding never panics, and what decodes encodes back the same.
        #[test]
        fn decode_is_total(
            kinds in proptest::collection::vec(kind_and_value().prop_map(|(k, _)| k), 0..4),
            arcs in proptest::collection::vec(0u32..300, 0..30),
        ) {
            if let Some(values) = decode_index(&kinds, &arcs) {
                prop_assert_eq!(encode_index(&kinds, &values), Some(arcs));
            }
        }
    }

    #[test]
    fn bad_instances() {
        assert_eq!(decode_index(&[IndexKind::Integer], &[]), None);
        assert_eq!(decode_index(&[IndexKind::Integer], &[1, 2]), None);
        assert_eq!(decode_index(&[IndexKind::Octets], &[3, 97, 98]), None);
        assert_eq!(decode_index(&[IndexKind::ImpliedOctets], &[256]), None);
        assert_eq!(
            decode_index(&[IndexKind::NetworkAddress], &[2, 1, 2, 3, 4]),
            None
        );
        assert_eq!(decode_index(&[IndexKind::Octets], &[u32::MAX]), None);
        assert_eq!(
            encode_index(
                &[IndexKind::IpAddress],
                &[IndexValue::Octets(vec![1, 2, 3])]
            ),
            None
        );
        assert_eq!(encode_index(&[IndexKind::Integer], &[]), None);
    }
}
