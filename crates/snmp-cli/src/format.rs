//! Bindings printed as net-snmp's tools print them, with no MIB loaded or with the modules of
//! `-m`/`-M`, under the `-O` output options (`n f s S u q Q v x a t T U e b X E 0 A`).

use std::fmt::Write as _;
use std::sync::Arc;

use snmp_hlapi::{Oid, Value, VarBind};
use snmp_mib::{IndexKind, IndexValue, Mib, OidFormat, StringFormat, ValueFormat};

/// How OIDs are printed (the last of `-On`, `-Of`, `-Os`, `-OS`, `-Ou` wins).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum OidStyle {
    /// `SNMPv2-MIB::sysDescr.0`: the default and `-OS`; `iso.3.6.1...` without a MIB.
    #[default]
    Module,
    /// `sysDescr.0`: `-Os`; `iso.3.6.1...` without a MIB.
    Short,
    /// `.iso.3.6.1...`: `-Of` and `-Ou` without a MIB.
    Full,
    /// `.1.3.6.1...`: `-On`.
    Numeric,
    /// `interfaces.ifTable.ifEntry.ifDescr.1`: `-Ou`, the full path without the mib-2 or
    /// private prefix; `.iso.3.6.1...` without a MIB.
    Ucd,
}

/// The `-O` output options.
#[derive(Clone, Debug, Default)]
pub(crate) struct OutputOptions {
    oid: OidStyle,
    /// How values are shown: `-Oq`/`-OQ` (bare), `-Ox`, `-Oa`, `-Ot`, `-OT`, `-Oe`, `-OU`.
    values: ValueFormat,
    /// `-Oq`: `OID value`, no type names.
    quick: bool,
    /// `-OQ`: `OID = value`, no type names.
    quick_equal: bool,
    /// `-Ov`: the value alone.
    value_only: bool,
    /// `-Ob`: instance indexes as numbers.
    numeric_index: bool,
    /// `-OX`: indexes in brackets, as net-snmp's "program-like" output (`ifDescr[2]`).
    extended_index: bool,
    /// The loaded modules, if any.
    mib: Option<Arc<Mib>>,
}

impl OutputOptions {
    /// Applies the letters of one `-O` argument; the unknown letter is the error.
    pub(crate) fn apply(&mut self, letters: &str) -> Result<(), char> {
        for c in letters.chars() {
            match c {
                'n' => self.oid = OidStyle::Numeric,
                'f' => self.oid = OidStyle::Full,
                'u' => self.oid = OidStyle::Ucd,
                's' => self.oid = OidStyle::Short,
                'S' => self.oid = OidStyle::Module,
                'q' => {
                    self.quick = true;
                    self.values.bare(true);
                }
                'Q' => {
                    self.quick_equal = true;
                    self.values.bare(true).wrong_type(false);
                }
                'v' => self.value_only = true,
                'x' => {
                    self.values.strings(StringFormat::Hex);
                }
                'a' => {
                    self.values.strings(StringFormat::Text);
                }
                't' => {
                    self.values.raw_timeticks(true);
                }
                'T' => {
                    self.values.hex_text(true);
                }
                'e' => {
                    self.values.numeric_enums(true);
                }
                'U' => {
                    self.values.units(false);
                }
                'b' => self.numeric_index = true,
                'X' => self.extended_index = true,
                // Other index forms and hex options: not supported, accepted.
                'E' | '0' | 'A' | 'p' => {}
                other => return Err(other),
            }
        }
        Ok(())
    }

    /// Whether type names are left out (`-Oq` or `-OQ`).
    fn bare(&self) -> bool {
        self.quick || self.quick_equal
    }

    /// Prints with the names and types of these modules.
    pub(crate) fn set_mib(&mut self, mib: Option<Arc<Mib>>) {
        self.mib = mib;
    }

    /// The loaded modules, if any.
    pub(crate) fn mib(&self) -> Option<&Mib> {
        self.mib.as_deref()
    }

    /// An OID in the chosen style.
    pub(crate) fn oid(&self, oid: &Oid) -> String {
        if let Some(mib) = self.mib.as_deref() {
            let format = match self.oid {
                OidStyle::Module => OidFormat::Module,
                OidStyle::Short => OidFormat::Short,
                OidStyle::Full | OidStyle::Ucd => OidFormat::Full,
                OidStyle::Numeric => OidFormat::Numeric,
            };
            let text = if self.extended_index && !self.numeric_index && format != OidFormat::Numeric
            {
                self.extended_oid(mib, oid, format)
            } else {
                mib_oid(mib, oid, format, self.numeric_index)
            };
            if self.oid == OidStyle::Ucd {
                // net-snmp's UCD style: below mib-2 (1.3.6.1.2.1) or private (1.3.6.1.4), the
                // labels of that prefix are left out, with the leading dot.
                let arcs = oid.as_slice();
                let skip = if arcs.len() > 6 && arcs.starts_with(&[1, 3, 6, 1, 2, 1]) {
                    6
                } else if arcs.len() > 5 && arcs.starts_with(&[1, 3, 6, 1, 4]) {
                    5
                } else {
                    0
                };
                if skip > 0 {
                    return text
                        .splitn(skip + 2, '.')
                        .last()
                        .unwrap_or_default()
                        .to_owned();
                }
            }
            return text;
        }
        let arcs = oid.as_slice();
        let mut s = String::new();
        if self.oid == OidStyle::Numeric {
            for a in arcs {
                let _ = write!(s, ".{a}");
            }
            return s;
        }
        if matches!(self.oid, OidStyle::Full | OidStyle::Ucd) {
            s.push('.');
        }
        for (i, a) in arcs.iter().enumerate() {
            if i == 0 {
                match a {
                    0 => s.push_str("ccitt"),
                    1 => s.push_str("iso"),
                    2 => s.push_str("joint-iso-ccitt"),
                    n => {
                        let _ = write!(s, "{n}");
                    }
                }
            } else {
                let _ = write!(s, ".{a}");
            }
        }
        s
    }

    /// An OID under `-OX`: the object's name, then each index in brackets as net-snmp's
    /// "program-like" output prints it: integers (enumeration labels), `STRING: text` for a
    /// string with a DISPLAY-HINT, `"text"` for one without, an `InetAddress` in its
    /// address form, IP addresses dotted, OIDs by name; arcs past the index follow as `.N`.
    fn extended_oid(&self, mib: &Mib, oid: &Oid, format: OidFormat) -> String {
        let Some((object, suffix)) = mib.lookup(oid) else {
            return mib.format_oid(oid, format);
        };
        let kinds = mib.index_kinds(object).unwrap_or_default();
        // The longest prefix of the suffix that decodes as the index; the rest is printed
        // as arcs.
        let decoded = (1..=suffix.len()).rev().find_map(|n| {
            let head = suffix.get(..n)?;
            let values = snmp_mib::decode_index(&kinds, head)?;
            Some((values, suffix.get(n..).unwrap_or_default()))
        });
        let Some((values, rest)) = decoded.filter(|_| !kinds.is_empty()) else {
            return mib.format_oid(oid, format);
        };
        let parts = mib.index_objects(object);
        let mut s = mib.format_oid(&object.oid, format);
        let mut previous: Option<u32> = None;
        for (i, (kind, value)) in kinds.iter().zip(&values).enumerate() {
            let part = parts.get(i).copied().flatten();
            s.push('[');
            match value {
                IndexValue::Integer(n) => {
                    let label = part.and_then(|o| o.enum_label(i64::from(*n)));
                    match label {
                        Some(l) => s.push_str(l),
                        None => {
                            let _ = write!(s, "{n}");
                        }
                    }
                    previous = Some(*n);
                }
                IndexValue::Octets(b)
                    if matches!(kind, IndexKind::IpAddress | IndexKind::NetworkAddress) =>
                {
                    let dotted: Vec<String> = b.iter().map(u8::to_string).collect();
                    s.push_str(&dotted.join("."));
                }
                IndexValue::Octets(b) => {
                    let hint = part.and_then(|o| o.display_hint.as_deref());
                    let inet = part
                        .filter(|o| o.tc_chain.iter().any(|t| t == "InetAddress"))
                        .and_then(|_| snmp_mib::format_inet_address(previous?, b));
                    if let Some(text) = inet {
                        let _ = write!(s, "\"{text}\"");
                    } else if let Some(text) = hint.and_then(|h| snmp_mib::format_octets(h, b)) {
                        // Without its type name under -Oq/-OQ (and in snmptable).
                        if !self.bare() {
                            s.push_str("STRING: ");
                        }
                        s.push_str(&text);
                    } else {
                        s.push('"');
                        s.extend(
                            b.iter()
                                .map(|&c| if is_print(c) { char::from(c) } else { '.' }),
                        );
                        s.push('"');
                    }
                    previous = None;
                }
                IndexValue::Oid(o) => {
                    s.push_str(&self.oid(o));
                    previous = None;
                }
                _ => return mib.format_oid(oid, format),
            }
            s.push(']');
        }
        for a in rest {
            let _ = write!(s, ".{a}");
        }
        s
    }

    /// One binding as net-snmp's `print_variable` prints it, without the newline.
    pub(crate) fn varbind(&self, vb: &VarBind) -> String {
        let value = self.value_at(&vb.oid, &vb.value);
        if self.value_only {
            return value;
        }
        let name = self.oid(&vb.oid);
        if self.quick {
            format!("{name} {value}")
        } else {
            format!("{name} = {value}")
        }
    }

    /// The value of a binding: typed by the MIB object `oid` is in, when one is loaded.
    pub(crate) fn value_at(&self, oid: &Oid, v: &Value) -> String {
        match self.mib.as_deref() {
            Some(mib) => mib.format_value_with(oid, v, &self.values, &|o| self.oid(o)),
            None => self.value(v),
        }
    }

    /// A value without MIB information, with its type name unless `-Oq`/`-OQ`.
    pub(crate) fn value(&self, v: &Value) -> String {
        snmp_mib::format_plain_value(v, &self.values, &|o| self.oid(o))
    }
}

/// An OID with a MIB: `MODULE::name`, `name` or the labelled path, then the instance as
/// net-snmp prints it ([`Mib::format_instance`]), or numeric under `-Ob`.
fn mib_oid(mib: &Mib, oid: &Oid, format: OidFormat, numeric_index: bool) -> String {
    if numeric_index {
        mib.format_oid(oid, format)
    } else {
        mib.format_instance(oid, format)
    }
}

/// C's `isprint` in the C locale.
fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use snmp_hlapi::oid;

    fn opts(letters: &str) -> OutputOptions {
        let mut o = OutputOptions::default();
        o.apply(letters).unwrap();
        o
    }

    #[test]
    fn typed_values_with_a_mib() {
        let dir = std::env::var("SNMP_SHARED_DIR").map_or_else(
            |_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf").to_owned(),
            |d| format!("{d}/mibs/ietf"),
        );
        if !std::path::Path::new(&dir).is_dir() {
            eprintln!("{dir} absent: skipped");
            return;
        }
        let mib = Arc::new(Mib::load(&[dir], &["IF-MIB", "SNMP-VIEW-BASED-ACM-MIB"]).unwrap());
        let with = |letters: &str| {
            let mut o = opts(letters);
            o.set_mib(Some(Arc::clone(&mib)));
            o
        };
        let oper = mib.resolve("ifOperStatus.2").unwrap();
        let up = VarBind::new(oper.clone(), Value::Integer(1));
        assert_eq!(
            with("").varbind(&up),
            "IF-MIB::ifOperStatus.2 = INTEGER: up(1)"
        );
        assert_eq!(with("sq").varbind(&up), "ifOperStatus.2 up");
        assert_eq!(with("e").value_at(&oper, &Value::Integer(1)), "INTEGER: 1");
        assert_eq!(
            with("").value_at(&oper, &Value::Gauge32(1)),
            "Wrong Type (should be INTEGER): Gauge32: 1"
        );
        let mac = mib.resolve("ifPhysAddress.2").unwrap();
        let v = Value::from(vec![0, 0x50, 0x56, 0xaa, 0xbb, 0xcc]);
        assert_eq!(with("x").value_at(&mac, &v), "STRING: 0:50:56:aa:bb:cc");
        let group = mib
            .resolve("SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.3.97.98.1")
            .unwrap();
        assert_eq!(
            with("").oid(&group),
            "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.\"ab.\""
        );
        assert_eq!(
            with("b").oid(&group),
            "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName.3.3.97.98.1"
        );
        assert_eq!(with("n").oid(&group), ".1.3.6.1.6.3.16.1.2.1.3.3.3.97.98.1");
        assert_eq!(
            with("u").oid(&oper),
            "interfaces.ifTable.ifEntry.ifOperStatus.2"
        );
        assert_eq!(
            with("u").oid(&oid!(1, 3, 6, 1, 4, 1, 99999)),
            "enterprises.99999"
        );
        // -OX: indexes in brackets, a string with a DISPLAY-HINT as `STRING: `.
        assert_eq!(with("X").oid(&oper), "IF-MIB::ifOperStatus[2]");
        assert_eq!(
            with("X").oid(&group),
            "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName[3][STRING: ab\u{1}]"
        );
        assert_eq!(
            with("Xq").oid(&group),
            "SNMP-VIEW-BASED-ACM-MIB::vacmGroupName[3][ab\u{1}]"
        );
        assert_eq!(with("Xb").oid(&oper), "IF-MIB::ifOperStatus.2");
        assert_eq!(
            with("Xs").oid(&oper.extend(&[9]).unwrap()),
            "ifOperStatus[2].9"
        );
    }

    #[test]
    fn oids_as_net_snmp_without_mibs() {
        let o = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        assert_eq!(opts("").oid(&o), "iso.3.6.1.2.1.1.5.0");
        assert_eq!(opts("n").oid(&o), ".1.3.6.1.2.1.1.5.0");
        assert_eq!(opts("f").oid(&o), ".iso.3.6.1.2.1.1.5.0");
        assert_eq!(opts("fn").oid(&o), ".1.3.6.1.2.1.1.5.0");
        assert_eq!(opts("").oid(&oid!(0, 0)), "ccitt.0");
        assert_eq!(opts("x").apply("z"), Err('z'));
    }

    #[test]
    fn values_as_net_snmp() {
        let d = opts("");
        assert_eq!(d.value(&Value::from("")), "\"\"");
        assert_eq!(d.value(&Value::from("a\"b")), "STRING: \"a\\\"b\"");
        assert_eq!(
            d.value(&Value::from(vec![0xaa, 0xbc, 0x00])),
            "Hex-STRING: AA BC 00 "
        );
        assert_eq!(
            d.value(&Value::from(vec![0u8; 17])),
            "Hex-STRING: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \n00 "
        );
        assert_eq!(opts("q").value(&Value::from(vec![0xaa])), "\"AA \"");
        assert_eq!(
            opts("a").value(&Value::from(vec![0xaa, 0x42])),
            "STRING: \".B\""
        );
        assert_eq!(opts("x").value(&Value::from("hi")), "Hex-STRING: 68 69 ");
        assert_eq!(opts("q").value(&Value::TimeTicks(7107)), "0:0:01:11.07");
        assert_eq!(opts("t").value(&Value::TimeTicks(7107)), "7107");
        assert_eq!(
            d.value(&Value::TimeTicks(7107)),
            "Timeticks: (7107) 0:01:11.07"
        );
        assert_eq!(
            opts("T").value(&Value::from(vec![0xaa, 0x42])),
            "Hex-STRING: AA 42   [.B]"
        );
        let vb = VarBind::new(oid!(1, 3, 6), Value::Integer(24));
        assert_eq!(d.varbind(&vb), "iso.3.6 = INTEGER: 24");
        assert_eq!(opts("q").varbind(&vb), "iso.3.6 24");
        assert_eq!(opts("Q").varbind(&vb), "iso.3.6 = 24");
        assert_eq!(opts("v").varbind(&vb), "INTEGER: 24");
    }
}
