//! MIB names for requests and MIB-typed text for responses: PySNMP's `ObjectIdentity`,
//! `ObjectType(...).resolve_with_mib` and `prettyPrint`, resolved against a loaded
//! [`Mib`].

use std::fmt;
use std::net::Ipv4Addr;

use snmp_mib::{IndexKind, IndexValue, Mib, OidFormat, ValueFormat, encode_index};
use snmp_smi::{Oid, VarBind};

use crate::error::Error;

/// One index value of an [`ObjectIdentity`]: an integer, a string (its octets), an IP
/// address or an OID, encoded as the row's INDEX clause says (RFC 2578 section 7.7).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectIndex(IndexValue);

impl From<u32> for ObjectIndex {
    fn from(n: u32) -> Self {
        Self(IndexValue::Integer(n))
    }
}

impl From<&str> for ObjectIndex {
    fn from(s: &str) -> Self {
        Self(IndexValue::Octets(s.as_bytes().to_vec()))
    }
}

impl From<String> for ObjectIndex {
    fn from(s: String) -> Self {
        Self(IndexValue::Octets(s.into_bytes()))
    }
}

impl From<&[u8]> for ObjectIndex {
    fn from(b: &[u8]) -> Self {
        Self(IndexValue::Octets(b.to_vec()))
    }
}

impl From<Vec<u8>> for ObjectIndex {
    fn from(b: Vec<u8>) -> Self {
        Self(IndexValue::Octets(b))
    }
}

impl From<Ipv4Addr> for ObjectIndex {
    fn from(a: Ipv4Addr) -> Self {
        Self(IndexValue::Octets(a.octets().to_vec()))
    }
}

impl From<Oid> for ObjectIndex {
    fn from(o: Oid) -> Self {
        Self(IndexValue::Oid(o))
    }
}

impl From<IndexValue> for ObjectIndex {
    fn from(v: IndexValue) -> Self {
        Self(v)
    }
}

/// How an [`ObjectIdentity`] names its object.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Name {
    /// `("SNMPv2-MIB", "sysDescr")`.
    Symbol { module: String, name: String },
    /// `SNMPv2-MIB::sysDescr.0`, `sysDescr.0`, `.1.3.6.1.2.1.1.1.0`.
    Text(String),
    /// An OID as it is.
    Oid(Oid),
}

/// A MIB object instance by name, resolved to an [`Oid`] against loaded modules when a request
/// is built (PySNMP's `ObjectIdentity`).
///
/// - [`ObjectIdentity::new`]`("IF-MIB", "ifDescr").index(2)`: a module, an object and its
///   index values (integers, strings, IP addresses, OIDs), encoded as the row's INDEX clause
///   says (a string's length first unless the index is fixed-size or IMPLIED); a scalar takes
///   the index `0`.
/// - [`ObjectIdentity::parse`]`("SNMPv2-MIB::sysDescr.0")`: any name [`Mib::resolve`]
///   accepts.
/// - `ObjectIdentity::from(oid)`: an OID, which resolves to itself.
///
/// ```
/// use snmp_hlapi::{ObjectIdentity, ietf_mib};
///
/// // The IETF modules compiled in; `snmp_mib::Mib::load(&[dir], &["IF-MIB"])` reads others.
/// let mib = ietf_mib().expect("the compiled-in modules");
/// let descr = ObjectIdentity::new("SNMPv2-MIB", "sysDescr").index(0);
/// assert_eq!(descr.resolve(mib)?.to_string(), "1.3.6.1.2.1.1.1.0");
/// // vacmGroupName: INDEX { vacmSecurityModel, vacmSecurityName }.
/// let group = ObjectIdentity::new("SNMP-VIEW-BASED-ACM-MIB", "vacmGroupName")
///     .index(3)
///     .index("ab");
/// assert_eq!(group.resolve(mib)?.to_string(), "1.3.6.1.6.3.16.1.2.1.3.3.2.97.98");
/// assert_eq!(
///     ObjectIdentity::parse("SNMPv2-MIB::sysUpTime.0").resolve(mib)?.to_string(),
///     "1.3.6.1.2.1.1.3.0"
/// );
/// assert!(ObjectIdentity::new("SNMPv2-MIB", "noSuchThing").resolve(mib).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ObjectIdentity {
    name: Name,
    index: Vec<IndexValue>,
}

impl ObjectIdentity {
    /// The object `name` of the MIB module `module` (`("SNMPv2-MIB", "sysDescr")`).
    pub fn new(module: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            name: Name::Symbol {
                module: module.into(),
                name: name.into(),
            },
            index: Vec::new(),
        }
    }

    /// A textual name: `SNMPv2-MIB::sysDescr.0`, `sysDescr.0`, `ifDescr.2`,
    /// `.1.3.6.1.2.1.1.1.0`, checked when resolved.
    pub fn parse(text: &str) -> Self {
        Self {
            name: Name::Text(text.trim().to_owned()),
            index: Vec::new(),
        }
    }

    /// Adds the next index value (PySNMP's `ObjectIdentity('IF-MIB', 'ifDescr', 2)`).
    #[must_use]
    pub fn index(mut self, value: impl Into<ObjectIndex>) -> Self {
        self.index.push(value.into().0);
        self
    }

    /// The OID this names in `mib`.
    ///
    /// # Errors
    /// [`Error::UnknownName`] when no loaded module defines the name, or the index values do
    /// not fit the object's INDEX (too many or too few, an integer where a string is due...).
    pub fn resolve(&self, mib: &Mib) -> Result<Oid, Error> {
        let base = match &self.name {
            Name::Oid(o) => o.clone(),
            Name::Symbol { module, name } => mib
                .object(&format!("{module}::{name}"))
                .map(|o| o.oid.clone())
                .ok_or_else(|| unknown(format!("{module}::{name}: unknown object")))?,
            Name::Text(text) => mib
                .resolve(text)
                .map_err(|e| unknown(format!("{text}: {e}")))?,
        };
        if self.index.is_empty() {
            return Ok(base);
        }
        // The row's INDEX kinds, when `base` is a column; else the values' own kinds (a
        // scalar's `0`).
        let kinds = mib
            .object_at(&base)
            .and_then(|o| mib.index_kinds(o))
            .unwrap_or_else(|| self.index.iter().map(natural_kind).collect());
        let arcs = encode_index(&kinds, &self.index)
            .ok_or_else(|| unknown(format!("{self}: the index does not fit {kinds:?}")))?;
        base.extend(&arcs)
            .map_err(|_| unknown(format!("{self}: longer than 128 sub-identifiers")))
    }
}

impl From<Oid> for ObjectIdentity {
    fn from(oid: Oid) -> Self {
        Self {
            name: Name::Oid(oid),
            index: Vec::new(),
        }
    }
}

/// The name and the index values as given: `IF-MIB::ifDescr.2`, `vacmGroupName.3."ab"`.
impl fmt::Display for ObjectIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Name::Symbol { module, name } => write!(f, "{module}::{name}")?,
            Name::Text(text) => f.write_str(text)?,
            Name::Oid(o) => write!(f, "{o}")?,
        }
        for value in &self.index {
            match value {
                IndexValue::Integer(n) => write!(f, ".{n}")?,
                IndexValue::Octets(b) => write!(f, ".\"{}\"", String::from_utf8_lossy(b))?,
                IndexValue::Oid(o) => write!(f, ".{o}")?,
                _ => f.write_str(".?")?,
            }
        }
        Ok(())
    }
}

/// How an index value is encoded where no INDEX clause says: an integer as one arc, a string
/// or OID with its length first.
fn natural_kind(value: &IndexValue) -> IndexKind {
    match value {
        IndexValue::Octets(_) => IndexKind::Octets,
        IndexValue::Oid(_) => IndexKind::ObjectIdentifier,
        _ => IndexKind::Integer,
    }
}

fn unknown(message: String) -> Error {
    Error::UnknownName(message.into_boxed_str())
}

/// The IETF and IANA MIB modules compiled in (feature `ietf`, on by default): the 464
/// modules' names, OIDs, syntaxes, enumerations and hints, without DESCRIPTION texts, decoded
/// once and kept; `None` only if the embedded facts do not decode (a test rules it out).
///
/// ```
/// use snmp_hlapi::{ObjectIdentity, ietf_mib, pretty, Value, VarBind};
///
/// let mib = ietf_mib().expect("the compiled-in modules");
/// let oid = ObjectIdentity::new("IF-MIB", "ifOperStatus").index(3).resolve(mib)?;
/// assert_eq!(oid.to_string(), "1.3.6.1.2.1.2.2.1.8.3");
/// assert_eq!(pretty(mib, &VarBind::new(oid, Value::Integer(1))), "IF-MIB::ifOperStatus.3 = INTEGER: up(1)");
/// # Ok::<(), snmp_hlapi::Error>(())
/// ```
#[cfg(feature = "ietf")]
pub fn ietf_mib() -> Option<&'static Mib> {
    static IETF: std::sync::OnceLock<Option<Mib>> = std::sync::OnceLock::new();
    IETF.get_or_init(Mib::ietf).as_ref()
}

/// A response binding as net-snmp's `snmpget` prints it with `mib` loaded (PySNMP's
/// `prettyPrint` of a resolved `ObjectType`): `SNMPv2-MIB::sysDescr.0 = STRING: text`, the
/// value typed by the object's MIB definition ([`Mib::format_value`]: enumeration labels,
/// DISPLAY-HINT, UNITS), the instance decoded by the row's INDEX as `snmpget` writes it
/// ([`Mib::format_instance`]: `vacmGroupName.3."ab"`, enumeration labels, dotted addresses).
///
/// ```
/// use snmp_hlapi::{Value, VarBind, ietf_mib, pretty};
///
/// let mib = ietf_mib().expect("the compiled-in modules");
/// let oper = VarBind::new(mib.resolve("IF-MIB::ifOperStatus.2")?, Value::Integer(1));
/// assert_eq!(pretty(mib, &oper), "IF-MIB::ifOperStatus.2 = INTEGER: up(1)");
/// let access = mib.resolve("SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch.1.97.0.3.1")?;
/// assert_eq!(
///     pretty(mib, &VarBind::new(access, Value::Integer(1))),
///     "SNMP-VIEW-BASED-ACM-MIB::vacmAccessContextMatch.\"a\".\"\".3.noAuthNoPriv = INTEGER: exact(1)"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pretty(mib: &Mib, vb: &VarBind) -> String {
    format!(
        "{} = {}",
        mib.format_instance(&vb.oid, OidFormat::Module),
        mib.format_value(&vb.oid, &vb.value, &ValueFormat::default())
    )
}

#[cfg(test)]
mod tests {
    use snmp_smi::{Value, oid};

    use super::*;

    /// The IETF modules of the shared directory (`$SNMP_SHARED_DIR`, else `../shared`
    /// beside the checkout), or `None` (the test is skipped).
    fn mib() -> Option<Mib> {
        let dir = std::env::var("SNMP_SHARED_DIR").map_or_else(
            |_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf").to_owned(),
            |d| format!("{d}/mibs/ietf"),
        );
        if !std::path::Path::new(&dir).is_dir() {
            eprintln!("{dir} absent: skipped");
            return None;
        }
        Some(Mib::load(&[dir], &["IF-MIB", "IP-MIB", "SNMP-VIEW-BASED-ACM-MIB"]).unwrap())
    }

    #[test]
    fn names_resolve_with_their_index() {
        let Some(mib) = mib() else { return };
        let resolve = |id: &ObjectIdentity| id.resolve(&mib).map(|o| o.to_string());
        assert_eq!(
            resolve(&ObjectIdentity::new("SNMPv2-MIB", "sysDescr").index(0)).unwrap(),
            "1.3.6.1.2.1.1.1.0"
        );
        assert_eq!(
            resolve(&ObjectIdentity::new("IF-MIB", "ifDescr").index(2)).unwrap(),
            "1.3.6.1.2.1.2.2.1.2.2"
        );
        // ipNetToMediaPhysAddress: INDEX { ipNetToMediaIfIndex, ipNetToMediaNetAddress }.
        let arp = ObjectIdentity::new("IP-MIB", "ipNetToMediaPhysAddress")
            .index(2)
            .index(Ipv4Addr::new(192, 0, 2, 1));
        assert_eq!(resolve(&arp).unwrap(), "1.3.6.1.2.1.4.22.1.2.2.192.0.2.1");
        // vacmViewTreeFamilyMask: INDEX { vacmViewTreeFamilyViewName, vacmViewTreeFamilySubtree },
        // a string and an OID, each with its length first (RFC 2578 section 7.7).
        let family = ObjectIdentity::new("SNMP-VIEW-BASED-ACM-MIB", "vacmViewTreeFamilyMask")
            .index("all")
            .index(oid!(1, 3));
        assert_eq!(
            resolve(&family).unwrap(),
            "1.3.6.1.6.3.16.1.5.2.1.3.3.97.108.108.2.1.3"
        );
        assert_eq!(
            resolve(&ObjectIdentity::parse("IF-MIB::ifOperStatus.3")).unwrap(),
            "1.3.6.1.2.1.2.2.1.8.3"
        );
        assert_eq!(
            resolve(&ObjectIdentity::from(oid!(1, 3, 6, 1))).unwrap(),
            "1.3.6.1"
        );
        assert_eq!(
            family.to_string(),
            "SNMP-VIEW-BASED-ACM-MIB::vacmViewTreeFamilyMask.\"all\".1.3"
        );
    }

    #[test]
    fn unknown_names_and_bad_indexes_are_errors() {
        let Some(mib) = mib() else { return };
        let err = ObjectIdentity::new("IF-MIB", "ifNothing")
            .resolve(&mib)
            .unwrap_err();
        assert!(matches!(&err, Error::UnknownName(m) if m.contains("IF-MIB::ifNothing")));
        // A module that does not define the name.
        assert!(
            ObjectIdentity::new("IP-MIB", "ifDescr")
                .resolve(&mib)
                .is_err()
        );
        assert!(ObjectIdentity::parse("nowhere.0").resolve(&mib).is_err());
        // ifDescr's index is an integer, not a string; nor two of them.
        assert!(
            ObjectIdentity::new("IF-MIB", "ifDescr")
                .index("eth0")
                .resolve(&mib)
                .is_err()
        );
        assert!(
            ObjectIdentity::new("IF-MIB", "ifDescr")
                .index(1)
                .index(2)
                .resolve(&mib)
                .is_err()
        );
    }

    #[test]
    fn bindings_print_as_snmpget() {
        let Some(mib) = mib() else { return };
        let descr = ObjectIdentity::new("SNMPv2-MIB", "sysDescr")
            .index(0)
            .resolve(&mib)
            .unwrap();
        assert_eq!(
            pretty(&mib, &VarBind::new(descr, Value::from("Linux router"))),
            "SNMPv2-MIB::sysDescr.0 = STRING: Linux router"
        );
        let mac = mib.resolve("ifPhysAddress.2").unwrap();
        assert_eq!(
            pretty(
                &mib,
                &VarBind::new(mac, Value::from(vec![0, 0x50, 0x56, 0xaa, 0xbb, 0xcc]))
            ),
            "IF-MIB::ifPhysAddress.2 = STRING: 0:50:56:aa:bb:cc"
        );
        let uptime = mib.resolve("sysUpTime.0").unwrap();
        assert_eq!(
            pretty(&mib, &VarBind::new(uptime.clone(), Value::TimeTicks(7107))),
            "SNMPv2-MIB::sysUpTime.0 = Timeticks: (7107) 0:01:11.07"
        );
        assert_eq!(
            pretty(&mib, &VarBind::new(uptime, Value::NoSuchObject)),
            "SNMPv2-MIB::sysUpTime.0 = No Such Object available on this agent at this OID"
        );
    }
}
