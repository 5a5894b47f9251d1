//! Table instances: the sub-identifiers after a column's OID <-> the values of the row's INDEX
//! objects (RFC 2578 section 7.7).

use std::fmt::Write as _;

use snmp_smi::Oid;

use crate::mib::{Mib, Object, OidFormat};
use crate::model::BaseType;
use crate::value::is_print;

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

    /// The objects of the INDEX of the row `object` is in (a column, or the row itself),
    /// through AUGMENTS, in INDEX order; `None` for an index part given by a type name
    /// (SMIv1 `INDEX { INTEGER }`) or not loaded. Empty when `object` is in no indexed row.
    pub fn index_objects<'m>(&'m self, object: &'m Object) -> Vec<Option<&'m Object>> {
        let mut row = if object.index.is_empty() && object.augments.is_none() {
            match object.oid.parent().and_then(|p| self.object_at(&p)) {
                Some(r) => r,
                None => return Vec::new(),
            }
        } else {
            object
        };
        for _ in 0..8 {
            let Some(target) = &row.augments else { break };
            match self
                .object(&format!("{}::{target}", row.module))
                .or_else(|| self.object(target))
            {
                Some(r) => row = r,
                None => return Vec::new(),
            }
        }
        row.index
            .iter()
            .map(|part| {
                self.object(&format!("{}::{}", row.module, part.name))
                    .or_else(|| self.object(&part.name))
            })
            .collect()
    }

    /// `oid` as net-snmp's tools print it with the MIB loaded: the object's name in `format`,
    /// then its instance decoded by the row's INDEX: an enumerated integer by its label,
    /// a string quoted (`"..."`, or `'...'` for a fixed-size or IMPLIED one; unprintable
    /// octets as `.`, quotes inside not escaped, as net-snmp without `-OE`), an IpAddress
    /// dotted, an OBJECT IDENTIFIER with its
    /// length (none when IMPLIED). An instance that does not decode, and the `Numeric`
    /// format, give [`format_oid`](Self::format_oid)'s numeric suffix.
    ///
    /// ```
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf");
    /// # if !std::path::Path::new(dir).is_dir() { return Ok(()); }
    /// use snmp_mib::{Mib, OidFormat};
    ///
    /// let mib = Mib::load(&[dir], &["SNMP-VIEW-BASED-ACM-MIB", "IF-MIB"])?;
    /// let group = mib.resolve("vacmGroupName.3.2.97.98")?;
    /// assert_eq!(
    ///     mib.format_instance(&group, OidFormat::Module),
    ///     "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"ab\""
    /// );
    /// let descr = mib.resolve("ifDescr.2")?;
    /// assert_eq!(mib.format_instance(&descr, OidFormat::Short), "ifDescr.2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn format_instance(&self, oid: &Oid, format: OidFormat) -> String {
        if format == OidFormat::Numeric {
            return self.format_oid(oid, format);
        }
        let Some((object, suffix)) = self.lookup(oid) else {
            return self.format_oid(oid, format);
        };
        if suffix.is_empty() {
            return self.format_oid(oid, format);
        }
        let decoded = self.index_kinds(object).and_then(|kinds| {
            let values = decode_index(&kinds, suffix)?;
            Some((kinds, values))
        });
        let Some((kinds, values)) = decoded else {
            return self.format_oid(oid, format);
        };
        let parts = self.index_objects(object);
        let mut s = self.format_oid(&object.oid, format);
        // The integer index before the current one: an InetAddress's InetAddressType.
        let mut previous = None;
        for (i, (kind, value)) in kinds.iter().zip(&values).enumerate() {
            let part = parts.get(i).copied().flatten();
            let before = previous.take();
            match value {
                IndexValue::Integer(n) => {
                    previous = Some(*n);
                    let label = part.and_then(|o| o.enum_label(i64::from(*n)));
                    match label {
                        Some(l) => {
                            let _ = write!(s, ".{l}");
                        }
                        None => {
                            let _ = write!(s, ".{n}");
                        }
                    }
                }
                IndexValue::Octets(b)
                    if matches!(kind, IndexKind::IpAddress | IndexKind::NetworkAddress) =>
                {
                    for octet in b {
                        let _ = write!(s, ".{octet}");
                    }
                }
                IndexValue::Octets(b)
                    if *kind == IndexKind::Octets
                        && part.is_some_and(|o| o.tc_chain.iter().any(|t| t == "InetAddress"))
                        && before.and_then(|t| format_inet_address(t, b)).is_some() =>
                {
                    let text = before.and_then(|t| format_inet_address(t, b));
                    let _ = write!(s, ".\"{}\"", text.unwrap_or_default());
                }
                IndexValue::Octets(b) => {
                    let quote = match kind {
                        IndexKind::FixedOctets(_) | IndexKind::ImpliedOctets => '\'',
                        _ => '"',
                    };
                    s.push('.');
                    s.push(quote);
                    // As net-snmp without -OE: quotes inside are not escaped.
                    s.extend(
                        b.iter()
                            .map(|&c| if is_print(c) { char::from(c) } else { '.' }),
                    );
                    s.push(quote);
                }
                IndexValue::Oid(o) => {
                    if *kind == IndexKind::ObjectIdentifier {
                        let _ = write!(s, ".{}", o.len());
                    }
                    for a in o.as_slice() {
                        let _ = write!(s, ".{a}");
                    }
                }
            }
        }
        s
    }
}

/// An `InetAddress` (INET-ADDRESS-MIB) as text by its `InetAddressType` `kind`, as net-snmp
/// prints one in an instance: ipv4 (1) dotted, ipv6 (2) as sixteen colon-separated hex
/// octets, ipv4z (3) and ipv6z (4) followed by `%zone`; `None` for another type (dns, unknown)
/// or a length that does not fit it.
///
/// ```
/// use snmp_mib::format_inet_address;
///
/// assert_eq!(format_inet_address(1, &[192, 0, 2, 1]).as_deref(), Some("192.0.2.1"));
/// assert_eq!(format_inet_address(3, &[10, 0, 0, 1, 0, 0, 0, 7]).as_deref(), Some("10.0.0.1%7"));
/// assert_eq!(format_inet_address(1, &[10, 0, 0]), None);
/// ```
pub fn format_inet_address(kind: u32, b: &[u8]) -> Option<String> {
    let zone = |z: &[u8]| -> Option<u32> { Some(u32::from_be_bytes(z.try_into().ok()?)) };
    let v4 = |a: &[u8]| a.iter().map(u8::to_string).collect::<Vec<_>>().join(".");
    let v6 = |a: &[u8]| {
        a.iter()
            .map(|o| format!("{o:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    match (kind, b.len()) {
        (1, 4) => Some(v4(b)),
        (2, 16) => Some(v6(b)),
        (3, 8) => Some(format!("{}%{}", v4(b.get(..4)?), zone(b.get(4..)?)?)),
        (4, 20) => Some(format!("{}%{}", v6(b.get(..16)?), zone(b.get(16..)?)?)),
        _ => None,
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

    /// Expected texts: net-snmp 5.9's `snmptranslate` of the same OIDs with these modules.
    #[cfg(feature = "ietf")]
    #[test]
    fn instances_as_snmptranslate_prints_them() {
        let mib = Mib::ietf().unwrap();
        let cases = [
            (
                ".1.3.6.1.6.3.12.1.2.1.2.97.98",
                "SNMP-TARGET-MIB::snmpTargetAddrTDomain.'ab'",
            ),
            (
                ".1.3.6.1.6.3.12.1.2.1.2.34.92.10",
                "SNMP-TARGET-MIB::snmpTargetAddrTDomain.'\"\\.'",
            ),
            (
                ".1.3.6.1.2.1.4.22.1.2.3.192.0.2.1",
                "IP-MIB::ipNetToMediaPhysAddress.3.192.0.2.1",
            ),
            (
                ".1.3.6.1.6.3.16.1.5.2.1.2.1.118.3.1.3.6",
                "SNMP-VIEW-BASED-ACM-MIB::vacmViewTreeFamilySubtree.\"v\".3.1.3.6",
            ),
            (".1.3.6.1.2.1.2.2.1.2.7", "IF-MIB::ifDescr.7"),
            (
                ".1.3.6.1.6.3.16.1.2.1.3.3.2.34.92",
                "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"\"\\\"",
            ),
            (
                ".1.3.6.1.2.1.17.4.3.1.2.0.17.34.51.68.85",
                "BRIDGE-MIB::dot1dTpFdbPort.'..\"3DU'",
            ),
            (
                ".1.3.6.1.6.3.16.1.4.1.4.1.97.0.3.1",
                "SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch.\"a\".\"\".3.noAuthNoPriv",
            ),
            (
                ".1.3.6.1.2.1.4.35.1.4.2.1.4.10.0.0.1",
                "IP-MIB::ipNetToPhysicalPhysAddress.2.ipv4.\"10.0.0.1\"",
            ),
            (
                ".1.3.6.1.2.1.4.35.1.4.2.2.16.254.128.0.0.0.0.0.0.0.0.0.0.0.0.0.1",
                "IP-MIB::ipNetToPhysicalPhysAddress.2.ipv6.\"fe:80:00:00:00:00:00:00:00:00:00:00:00:00:00:01\"",
            ),
            // An address that does not fit its type, and a dns one: the plain string.
            (
                ".1.3.6.1.2.1.4.35.1.4.2.1.3.10.0.0",
                "IP-MIB::ipNetToPhysicalPhysAddress.2.ipv4.\"...\"",
            ),
            (
                ".1.3.6.1.2.1.4.35.1.4.2.16.4.10.0.0.1",
                "IP-MIB::ipNetToPhysicalPhysAddress.2.dns.\"....\"",
            ),
            (
                ".1.3.6.1.2.1.7.7.1.8.1.4.127.0.0.1.161.1.4.127.0.0.1.5000.9",
                "UDP-MIB::udpEndpointProcess.ipv4.\"127.0.0.1\".161.ipv4.\"127.0.0.1\".5000.9",
            ),
            // Not an instance of the row's INDEX: the numeric suffix.
            (".1.3.6.1.2.1.2.2.1.2.7.1", "IF-MIB::ifDescr.7.1"),
        ];
        // The names without their module: with every IETF module loaded, some OIDs are also
        // defined by RFC1213-MIB, which this Mib may name instead.
        for (oid, expected) in cases {
            let oid: Oid = oid.parse().unwrap();
            let name = expected.split_once("::").map_or(expected, |(_, n)| n);
            assert_eq!(mib.format_instance(&oid, OidFormat::Short), name);
        }
        let access: Oid = ".1.3.6.1.6.3.16.1.4.1.4.1.97.0.3.1".parse().unwrap();
        assert_eq!(
            mib.format_instance(&access, OidFormat::Module),
            "SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch.\"a\".\"\".3.noAuthNoPriv"
        );
        let descr: Oid = ".1.3.6.1.2.1.2.2.1.2.7".parse().unwrap();
        assert_eq!(
            mib.format_instance(&descr, OidFormat::Numeric),
            ".1.3.6.1.2.1.2.2.1.2.7"
        );
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
