//! Values shown and read as net-snmp's tools do with MIBs loaded: enumeration labels, BITS
//! names, DISPLAY-HINTs (RFC 2579), UNITS and TimeTicks in `print_variable`'s forms; snmpset's
//! `=` type (the object's own) and labels for INTEGER and BITS.

use std::fmt::Write as _;

use snmp_smi::{Oid, Value};

use crate::error::ResolveError;
use crate::hint::{format_integer, format_octets};
use crate::mib::{Mib, Object, OidFormat};
use crate::model::BaseType;

/// How OCTET STRINGs without a DISPLAY-HINT are shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum StringFormat {
    /// `STRING: "text"` when every octet is printable or white space, else `Hex-STRING: `.
    #[default]
    Guess,
    /// Always as text, unprintable octets as `.` (net-snmp's `-Oa`).
    Text,
    /// Always as hex (net-snmp's `-Ox`).
    Hex,
}

/// The switches of net-snmp's `-O` output options that change how a value is shown; the
/// default is net-snmp's default output (`INTEGER: up(1)`, `STRING: "text"`,
/// `Timeticks: (7107) 0:01:11.07`, units after the value).
///
/// ```
/// use snmp_mib::{StringFormat, ValueFormat, format_plain_value};
/// use snmp_smi::Value;
///
/// let mut quick = ValueFormat::default();
/// quick.bare(true).strings(StringFormat::Hex);
/// let oid_text = |o: &snmp_smi::Oid| o.to_string();
/// assert_eq!(format_plain_value(&Value::from("hi"), &quick, &oid_text), "\"68 69 \"");
/// let plain = ValueFormat::default();
/// assert_eq!(
///     format_plain_value(&Value::TimeTicks(7107), &plain, &oid_text),
///     "Timeticks: (7107) 0:01:11.07"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ValueFormat {
    bare: bool,
    wrong_type: bool,
    numeric_enums: bool,
    units: bool,
    strings: StringFormat,
    hex_text: bool,
    raw_timeticks: bool,
    oid_format: OidFormat,
}

impl Default for ValueFormat {
    fn default() -> Self {
        Self {
            bare: false,
            wrong_type: true,
            numeric_enums: false,
            units: true,
            strings: StringFormat::Guess,
            hex_text: false,
            raw_timeticks: false,
            oid_format: OidFormat::Module,
        }
    }
}

impl ValueFormat {
    /// Without type names (`-Oq`, `-OQ`): `up`, `"text"`, `0:0:01:11.07`.
    pub fn bare(&mut self, on: bool) -> &mut Self {
        self.bare = on;
        self
    }

    /// Whether a value whose type is not the object's is shown after
    /// `Wrong Type (should be T): ` (the default; `-OQ` turns it off).
    pub fn wrong_type(&mut self, on: bool) -> &mut Self {
        self.wrong_type = on;
        self
    }

    /// Enumerations and BITS as numbers, without their labels (`-Oe`).
    pub fn numeric_enums(&mut self, on: bool) -> &mut Self {
        self.numeric_enums = on;
        self
    }

    /// Whether the object's UNITS follow the value (the default; `-OU` turns it off).
    pub fn units(&mut self, on: bool) -> &mut Self {
        self.units = on;
        self
    }

    /// How OCTET STRINGs without a DISPLAY-HINT are shown (`-Oa`, `-Ox`).
    pub fn strings(&mut self, strings: StringFormat) -> &mut Self {
        self.strings = strings;
        self
    }

    /// Hex strings followed by their printable text, 16 octets a line (`-OT`).
    pub fn hex_text(&mut self, on: bool) -> &mut Self {
        self.hex_text = on;
        self
    }

    /// TimeTicks as the bare count of hundredths (`-Ot`).
    pub fn raw_timeticks(&mut self, on: bool) -> &mut Self {
        self.raw_timeticks = on;
        self
    }

    /// How [`Mib::format_value`] writes OBJECT IDENTIFIER values (default: `MODULE::name`).
    pub fn oid_format(&mut self, format: OidFormat) -> &mut Self {
        self.oid_format = format;
        self
    }
}

/// Why text cannot be a value of an object ([`Mib::parse_value`], [`parse_base_value`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// No loaded module defines the object, or it has no type.
    #[error("no type known for {0}")]
    UnknownObject(String),
    /// Values of this type are not read from text (counters, rows, tables...).
    #[error("values of type {0:?} cannot be set")]
    UnsupportedType(BaseType),
    /// The text is not a value of the type (not a number, out of the type's range, not an
    /// address, an unknown label).
    #[error("bad value {text:?} for {expected}")]
    BadValue {
        /// The text given.
        text: String,
        /// The type expected.
        expected: &'static str,
    },
    /// An OBJECT IDENTIFIER value that names nothing loaded.
    #[error(transparent)]
    Resolve(#[from] ResolveError),
}

impl Mib {
    /// `value`, received for `oid`, as net-snmp's `snmpget` prints it after `=`: typed by the
    /// object `oid` is in (enumeration labels, BITS names, DISPLAY-HINT, UNITS), or
    /// `Wrong Type (should be T): ` and the plain value when the agent sent another type;
    /// exceptions, NULL and values of unknown objects as [`format_plain_value`] shows them.
    /// OBJECT IDENTIFIER values are written in [`ValueFormat::oid_format`].
    ///
    /// ```
    /// # let Ok(shared) = std::env::var("SNMP_SHARED_DIR") else { return Ok(()) };
    /// # let dir = format!("{shared}/mibs/ietf");
    /// use snmp_mib::{Mib, ValueFormat};
    /// use snmp_smi::Value;
    ///
    /// let mib = Mib::load(&[dir], &["IF-MIB"])?;
    /// let oper = mib.resolve("ifOperStatus.2")?;
    /// let default = ValueFormat::default();
    /// assert_eq!(mib.format_value(&oper, &Value::Integer(1), &default), "INTEGER: up(1)");
    /// let mib = Mib::load(&[format!("{shared}/mibs/ietf")], &["HOST-RESOURCES-MIB"])?;
    /// let memory = mib.resolve("hrMemorySize.0")?;
    /// assert_eq!(
    ///     mib.format_value(&memory, &Value::Integer(16384), &default),
    ///     "INTEGER: 16384 KBytes"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn format_value(&self, oid: &Oid, value: &Value, opts: &ValueFormat) -> String {
        self.format_value_with(oid, value, opts, &|o| self.format_oid(o, opts.oid_format))
    }

    /// [`format_value`](Self::format_value), with OBJECT IDENTIFIER values written by
    /// `oid_text` (a caller with OID styles of its own, such as net-snmp's `-Ou` or `-OX`).
    pub fn format_value_with(
        &self,
        oid: &Oid,
        value: &Value,
        opts: &ValueFormat,
        oid_text: &dyn Fn(&Oid) -> String,
    ) -> String {
        let printer = Printer { opts, oid_text };
        let object = self
            .lookup(oid)
            .map(|(o, _)| o)
            .filter(|o| o.base_type.is_some() && o.syntax.is_some());
        match object {
            Some(o) if !value.is_exception() && *value != Value::Null => printer.typed(o, value),
            _ => printer.plain(value),
        }
    }

    /// The value text `text` stands for as a value of the object `oid` is in, as net-snmp's
    /// `snmpset OID = TEXT` reads it: an enumeration label or a number for an INTEGER, the
    /// octets of the text for an OCTET STRING, bit labels or numbers (separated by spaces or
    /// commas) for BITS, a name or a numeric OID for an OBJECT IDENTIFIER, and the object's
    /// base type for the rest (see [`parse_base_value`]).
    ///
    /// ```
    /// # let Ok(shared) = std::env::var("SNMP_SHARED_DIR") else { return Ok(()) };
    /// # let dir = format!("{shared}/mibs/ietf");
    /// use snmp_mib::Mib;
    /// use snmp_smi::Value;
    ///
    /// let mib = Mib::load(&[dir], &["IF-MIB"])?;
    /// let admin = mib.resolve("ifAdminStatus.2")?;
    /// assert_eq!(mib.parse_value(&admin, "down")?, Value::Integer(2));
    /// assert_eq!(mib.parse_value(&admin, "3")?, Value::Integer(3));
    /// let alias = mib.resolve("ifAlias.2")?;
    /// assert_eq!(mib.parse_value(&alias, "uplink")?, Value::from("uplink"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`ValueError`]: the object is unknown or has no type, its type is not set from text
    /// (counters), or the text is no value of it.
    pub fn parse_value(&self, oid: &Oid, text: &str) -> Result<Value, ValueError> {
        let (object, base) = self
            .lookup(oid)
            .and_then(|(o, _)| Some((o, o.base_type?)))
            .ok_or_else(|| ValueError::UnknownObject(oid.to_string()))?;
        match base {
            BaseType::Integer32 => match object.enums.iter().find(|(l, _)| l == text) {
                Some((_, n)) => i32::try_from(*n)
                    .map(Value::Integer)
                    .map_err(|_| bad(text, "INTEGER")),
                None => parse_base_value(base, text),
            },
            BaseType::Bits => parse_bits(object, text),
            BaseType::ObjectIdentifier => match text.parse::<Oid>() {
                Ok(o) => Ok(Value::ObjectIdentifier(o)),
                Err(_) => Ok(Value::ObjectIdentifier(self.resolve(text)?)),
            },
            _ => parse_base_value(base, text),
        }
    }
}

/// Text as a value of an SMI base type, as net-snmp's `snmpset` reads its typed values:
/// `Integer32` (`i`, decimal or `0x` hex, optionally negative), `Gauge32` and `Unsigned32`
/// (`u`), `TimeTicks` (`t`), `IpAddress` (`a`, dotted), `OctetString` (`s`, the octets of the
/// text) and a numeric `ObjectIdentifier`.
///
/// ```
/// use snmp_mib::{BaseType, parse_base_value};
/// use snmp_smi::Value;
///
/// assert_eq!(parse_base_value(BaseType::Integer32, "-0x10"), Ok(Value::Integer(-16)));
/// assert_eq!(parse_base_value(BaseType::IpAddress, "192.0.2.1"), Ok(Value::IpAddress([192, 0, 2, 1])));
/// assert!(parse_base_value(BaseType::Gauge32, "4294967296").is_err());
/// ```
///
/// # Errors
/// [`ValueError::BadValue`] when the text is not a value of the type (or out of its range),
/// [`ValueError::UnsupportedType`] for the types snmpset does not set.
pub fn parse_base_value(base: BaseType, text: &str) -> Result<Value, ValueError> {
    Ok(match base {
        BaseType::Integer32 => Value::Integer(
            parse_i64(text)
                .and_then(|n| i32::try_from(n).ok())
                .ok_or_else(|| bad(text, "INTEGER"))?,
        ),
        BaseType::Gauge32 | BaseType::Unsigned32 => Value::Gauge32(
            parse_u64(text)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| bad(text, "Unsigned32"))?,
        ),
        BaseType::TimeTicks => Value::TimeTicks(
            parse_u64(text)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| bad(text, "TimeTicks"))?,
        ),
        BaseType::IpAddress | BaseType::NetworkAddress => Value::IpAddress(
            text.parse::<std::net::Ipv4Addr>()
                .map_err(|_| bad(text, "IpAddress"))?
                .octets(),
        ),
        BaseType::OctetString => Value::from(text.as_bytes().to_vec()),
        BaseType::ObjectIdentifier => Value::ObjectIdentifier(
            text.parse::<Oid>()
                .map_err(|_| bad(text, "OBJECT IDENTIFIER"))?,
        ),
        other => return Err(ValueError::UnsupportedType(other)),
    })
}

/// A value without MIB information, as net-snmp prints it with no object known: its type name
/// (unless [`ValueFormat::bare`]) and its text; OBJECT IDENTIFIER values written by
/// `oid_text`.
pub fn format_plain_value(
    value: &Value,
    opts: &ValueFormat,
    oid_text: &dyn Fn(&Oid) -> String,
) -> String {
    Printer { opts, oid_text }.plain(value)
}

fn bad(text: &str, expected: &'static str) -> ValueError {
    ValueError::BadValue {
        text: text.to_owned(),
        expected,
    }
}

/// BITS from labels or bit numbers separated by spaces or commas (net-snmp's `b` type).
fn parse_bits(object: &Object, text: &str) -> Result<Value, ValueError> {
    let mut octets: Vec<u8> = Vec::new();
    for word in text.split([' ', ',', '\t']).filter(|w| !w.is_empty()) {
        let bit = match object.enums.iter().find(|(l, _)| l == word) {
            Some((_, n)) => u64::try_from(*n).ok(),
            None => parse_u64(word),
        };
        // BITS have at most 2^16 named bits in practice; refuse absurd numbers.
        let bit = bit
            .and_then(|b| usize::try_from(b).ok())
            .filter(|b| *b < 65_536)
            .ok_or_else(|| bad(text, "BITS"))?;
        let byte = bit / 8;
        if octets.len() <= byte {
            octets.resize(byte + 1, 0);
        }
        if let Some(o) = octets.get_mut(byte) {
            *o |= 0x80 >> (bit % 8);
        }
    }
    Ok(Value::from(octets))
}

/// strtoul's forms that net-snmp's tools accept: decimal, or `0x` hex.
fn parse_u64(t: &str) -> Option<u64> {
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else {
        t.parse().ok()
    }
}

fn parse_i64(t: &str) -> Option<i64> {
    match t.strip_prefix('-') {
        Some(rest) => parse_u64(rest)
            .and_then(|n| i64::try_from(n).ok())
            .map(|n| -n),
        None => parse_u64(t).and_then(|n| i64::try_from(n).ok()),
    }
}

/// The formatter of one call: the options and how OIDs are written.
struct Printer<'a> {
    opts: &'a ValueFormat,
    oid_text: &'a dyn Fn(&Oid) -> String,
}

impl Printer<'_> {
    /// A value as net-snmp prints it for an object of this type: its enumerations,
    /// DISPLAY-HINT and UNITS, or `Wrong Type (should be T): ` and the plain value.
    fn typed(&self, o: &Object, v: &Value) -> String {
        let bare = self.opts.bare;
        let units = match (&o.units, self.opts.units) {
            (Some(u), true) => format!(" {u}"),
            _ => String::new(),
        };
        let hint = o.display_hint.as_deref();
        let prefix = |name: &str| {
            if bare {
                String::new()
            } else {
                format!("{name}: ")
            }
        };
        let wrong = |should: &str| self.wrong(v, should);
        let Some(base) = o.base_type else {
            return self.plain(v);
        };
        match base {
            BaseType::Integer32 => {
                let Value::Integer(i) = v else {
                    return wrong("INTEGER");
                };
                let label = o.enums.iter().find(|(_, n)| *n == i64::from(*i));
                let text = match label {
                    Some((l, _)) if !self.opts.numeric_enums => {
                        if bare {
                            l.clone()
                        } else {
                            format!("{l}({i})")
                        }
                    }
                    _ => hint
                        .and_then(|h| format_integer(h, i64::from(*i)))
                        .unwrap_or_else(|| i.to_string()),
                };
                format!("{}{text}{units}", prefix("INTEGER"))
            }
            BaseType::OctetString => {
                let Value::OctetString(b) = v else {
                    return wrong("OCTET STRING");
                };
                // A DISPLAY-HINT wins over -Ox and -Oa, as in net-snmp.
                if let Some(text) = hint.and_then(|h| format_octets(h, b)) {
                    return format!("{}{text}{units}", prefix("STRING"));
                }
                format!("{}{units}", self.octets(b))
            }
            BaseType::Bits => {
                let Value::OctetString(b) = v else {
                    return wrong("BITS");
                };
                if bare {
                    return format!("\"{}\"", hexstring(b, false));
                }
                let mut s = prefix("BITS");
                s.push_str(&hexstring(b, false));
                for (byte_ix, byte) in b.iter().enumerate() {
                    for bit in 0..8 {
                        if byte & (0x80 >> bit) != 0 {
                            let n = byte_ix * 8 + bit;
                            let label = o
                                .enums
                                .iter()
                                .find(|(_, k)| usize::try_from(*k).ok() == Some(n))
                                .filter(|_| !self.opts.numeric_enums);
                            match label {
                                Some((l, _)) => {
                                    let _ = write!(s, "{l}({n}) ");
                                }
                                None => {
                                    let _ = write!(s, "{n} ");
                                }
                            }
                        }
                    }
                }
                s
            }
            BaseType::ObjectIdentifier => match v {
                Value::ObjectIdentifier(_) => format!("{}{units}", self.plain(v)),
                _ => wrong("OBJECT IDENTIFIER"),
            },
            BaseType::IpAddress | BaseType::NetworkAddress => match v {
                Value::IpAddress(_) => format!("{}{units}", self.plain(v)),
                _ if base == BaseType::IpAddress => wrong("IpAddress"),
                _ => wrong("NetworkAddress"),
            },
            BaseType::Counter32 => self.numeric(
                v,
                matches!(v, Value::Counter32(_)),
                hint,
                &units,
                "Counter32",
            ),
            BaseType::Gauge32 | BaseType::Unsigned32 => self.numeric(
                v,
                matches!(v, Value::Gauge32(_)),
                hint,
                &units,
                "Gauge32 or Unsigned32",
            ),
            BaseType::Counter64 => self.numeric(
                v,
                matches!(v, Value::Counter64(_)),
                hint,
                &units,
                "Counter64",
            ),
            BaseType::TimeTicks => match v {
                Value::TimeTicks(_) => format!("{}{units}", self.plain(v)),
                _ => wrong("Timeticks"),
            },
            BaseType::Opaque => match v {
                Value::Opaque(_)
                | Value::OpaqueFloat(_)
                | Value::OpaqueDouble(_)
                | Value::OpaqueI64(_)
                | Value::OpaqueU64(_) => format!("{}{units}", self.plain(v)),
                _ => wrong("Opaque"),
            },
            _ => self.plain(v),
        }
    }

    /// `Wrong Type (should be T): ` and the plain value (the plain value alone under `-OQ`).
    fn wrong(&self, v: &Value, should: &str) -> String {
        if self.opts.wrong_type {
            format!("Wrong Type (should be {should}): {}", self.plain(v))
        } else {
            self.plain(v)
        }
    }

    /// A Counter32, Gauge32 or Counter64 with its DISPLAY-HINT and UNITS.
    fn numeric(
        &self,
        v: &Value,
        right: bool,
        hint: Option<&str>,
        units: &str,
        should: &str,
    ) -> String {
        if !right {
            return self.wrong(v, should);
        }
        let n = match v {
            Value::Counter32(n) | Value::Gauge32(n) => i64::from(*n),
            Value::Counter64(n) => match i64::try_from(*n) {
                Ok(n) => n,
                Err(_) => return format!("{}{units}", self.plain(v)),
            },
            _ => return self.plain(v),
        };
        match hint.and_then(|h| format_integer(h, n)) {
            Some(text) => {
                let name = match v {
                    Value::Counter32(_) => "Counter32",
                    Value::Counter64(_) => "Counter64",
                    _ => "Gauge32",
                };
                if self.opts.bare {
                    format!("{text}{units}")
                } else {
                    format!("{name}: {text}{units}")
                }
            }
            None => format!("{}{units}", self.plain(v)),
        }
    }

    /// A value, with its type name unless bare.
    fn plain(&self, v: &Value) -> String {
        let bare = self.opts.bare;
        let typed = |name: &str, text: String| {
            if bare {
                text
            } else {
                format!("{name}: {text}")
            }
        };
        match v {
            Value::OctetString(b) => self.octets(b),
            Value::Integer(i) => typed("INTEGER", i.to_string()),
            Value::ObjectIdentifier(o) => typed("OID", (self.oid_text)(o)),
            Value::IpAddress([a, b, c, d]) => typed("IpAddress", format!("{a}.{b}.{c}.{d}")),
            Value::Counter32(n) => typed("Counter32", n.to_string()),
            Value::Gauge32(n) => typed("Gauge32", n.to_string()),
            Value::UInteger32(n) => typed("UInteger32", n.to_string()),
            Value::Counter64(n) => typed("Counter64", n.to_string()),
            Value::TimeTicks(t) => {
                if self.opts.raw_timeticks {
                    t.to_string()
                } else if bare {
                    let (days, hours, minutes) = (t / 8_640_000, t / 360_000 % 24, t / 6000 % 60);
                    format!(
                        "{days}:{hours}:{minutes:02}:{:02}.{:02}",
                        t / 100 % 60,
                        t % 100
                    )
                } else {
                    v.to_string()
                }
            }
            Value::Opaque(b) => {
                let hex = hexstring(b, false);
                if bare { hex } else { format!("OPAQUE: {hex}") }
            }
            Value::OpaqueFloat(f) => typed("Opaque: Float", format!("{f:.6}")),
            Value::OpaqueDouble(f) => typed("Opaque: Float", format!("{f:.6}")),
            Value::OpaqueI64(n) => typed("Opaque: Int64", n.to_string()),
            Value::OpaqueU64(n) => typed("Opaque: UInt64", n.to_string()),
            Value::NoSuchObject | Value::NoSuchInstance => v.to_string(),
            Value::EndOfMibView => {
                "No more variables left in this MIB View (It is past the end of the MIB tree)"
                    .to_owned()
            }
            Value::Null => "NULL".to_owned(),
            other => other.to_string(),
        }
    }

    /// An OCTET STRING: `""`, `STRING: "text"` or `Hex-STRING: 0A 0B `.
    fn octets(&self, b: &[u8]) -> String {
        if b.is_empty() {
            return "\"\"".to_owned();
        }
        let hex = match self.opts.strings {
            StringFormat::Hex => true,
            StringFormat::Text => false,
            StringFormat::Guess => b.iter().any(|&c| !is_print(c) && !is_space(c)),
        };
        let bare = self.opts.bare;
        if hex {
            let body = hexstring(b, self.opts.hex_text);
            return if bare {
                format!("\"{body}\"")
            } else {
                format!("Hex-STRING: {body}")
            };
        }
        let mut s = String::with_capacity(b.len() + 10);
        if !bare {
            s.push_str("STRING: ");
        }
        s.push('"');
        for &c in b {
            if is_print(c) || is_space(c) {
                if c == b'\\' || c == b'"' {
                    s.push('\\');
                }
                s.push(char::from(c));
            } else {
                s.push('.');
            }
        }
        s.push('"');
        s
    }
}

/// C's `isprint` in the C locale.
pub(crate) fn is_print(c: u8) -> bool {
    (0x20..0x7f).contains(&c)
}

/// C's `isspace` in the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// net-snmp's hex dump: `XX ` per octet, 16 to a line; with `text`, each line followed by
/// `  [ascii]`.
fn hexstring(b: &[u8], text: bool) -> String {
    let mut s = String::with_capacity(b.len() * 3 + 4);
    for (i, line) in b.chunks(16).enumerate() {
        if i > 0 {
            s.push('\n');
        }
        for c in line {
            let _ = write!(s, "{c:02X} ");
        }
        if text {
            s.push_str("  [");
            for &c in line {
                s.push(if is_print(c) { char::from(c) } else { '.' });
            }
            s.push(']');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The IETF modules of the shared directory, or `None` (the test is skipped).
    fn mib(modules: &[&str]) -> Option<Mib> {
        let dir = std::env::var("SNMP_SHARED_DIR").map_or_else(
            |_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf").to_owned(),
            |d| format!("{d}/mibs/ietf"),
        );
        if !std::path::Path::new(&dir).is_dir() {
            eprintln!("{dir} absent: skipped");
            return None;
        }
        Some(Mib::load(&[dir], modules).unwrap())
    }

    fn with(f: impl FnOnce(&mut ValueFormat)) -> ValueFormat {
        let mut v = ValueFormat::default();
        f(&mut v);
        v
    }

    /// Expected texts: net-snmp 5.9 `snmpget` against its snmpd (the forms the CLI's
    /// interop tests compare byte for byte).
    #[test]
    fn typed_values_as_snmpget_prints_them() {
        let Some(mib) = mib(&["IF-MIB", "HOST-RESOURCES-MIB", "ENTITY-STATE-MIB"]) else {
            return;
        };
        let d = ValueFormat::default();
        let oper = mib.resolve("ifOperStatus.2").unwrap();
        assert_eq!(
            mib.format_value(&oper, &Value::Integer(1), &d),
            "INTEGER: up(1)"
        );
        assert_eq!(
            mib.format_value(
                &oper,
                &Value::Integer(1),
                &with(|v| {
                    v.bare(true);
                })
            ),
            "up"
        );
        assert_eq!(
            mib.format_value(
                &oper,
                &Value::Integer(1),
                &with(|v| {
                    v.numeric_enums(true);
                })
            ),
            "INTEGER: 1"
        );
        // A value the enumeration does not name: the number.
        assert_eq!(
            mib.format_value(&oper, &Value::Integer(99), &d),
            "INTEGER: 99"
        );
        assert_eq!(
            mib.format_value(&oper, &Value::Gauge32(1), &d),
            "Wrong Type (should be INTEGER): Gauge32: 1"
        );
        assert_eq!(
            mib.format_value(
                &oper,
                &Value::Gauge32(1),
                &with(|v| {
                    v.bare(true).wrong_type(false);
                })
            ),
            "1"
        );
        // DISPLAY-HINT "1x:" of PhysAddress wins over -Ox.
        let mac = mib.resolve("ifPhysAddress.2").unwrap();
        let octets = Value::from(vec![0, 0x50, 0x56, 0xaa, 0xbb, 0xcc]);
        assert_eq!(
            mib.format_value(
                &mac,
                &octets,
                &with(|v| {
                    v.strings(StringFormat::Hex);
                })
            ),
            "STRING: 0:50:56:aa:bb:cc"
        );
        // UNITS, and -OU.
        let memory = mib.resolve("hrMemorySize.0").unwrap();
        assert_eq!(
            mib.format_value(&memory, &Value::Integer(16384), &d),
            "INTEGER: 16384 KBytes"
        );
        assert_eq!(
            mib.format_value(
                &memory,
                &Value::Integer(16384),
                &with(|v| {
                    v.units(false);
                })
            ),
            "INTEGER: 16384"
        );
        // BITS: the hex octets, then each set bit's label and number.
        let alarm = mib.resolve("entStateAlarm.1").unwrap();
        let bits = Value::from(vec![0x24]);
        assert_eq!(
            mib.format_value(&alarm, &bits, &d),
            "BITS: 24 critical(2) warning(5) "
        );
        assert_eq!(
            mib.format_value(
                &alarm,
                &bits,
                &with(|v| {
                    v.numeric_enums(true);
                })
            ),
            "BITS: 24 2 5 "
        );
        assert_eq!(
            mib.format_value(
                &alarm,
                &bits,
                &with(|v| {
                    v.bare(true);
                })
            ),
            "\"24 \""
        );
        // TimeTicks, and -Ot.
        let changed = mib.resolve("ifLastChange.2").unwrap();
        assert_eq!(
            mib.format_value(&changed, &Value::TimeTicks(8_647_107), &d),
            "Timeticks: (8647107) 1 day, 0:01:11.07"
        );
        assert_eq!(
            mib.format_value(
                &changed,
                &Value::TimeTicks(7107),
                &with(|v| {
                    v.raw_timeticks(true);
                })
            ),
            "7107"
        );
        // OID values by name; exceptions as they are.
        let object_id = mib.resolve("sysObjectID.0").unwrap();
        let if_table = mib.resolve("ifTable").unwrap();
        assert_eq!(
            mib.format_value(&object_id, &Value::ObjectIdentifier(if_table.clone()), &d),
            "OID: IF-MIB::ifTable"
        );
        assert_eq!(
            mib.format_value(
                &object_id,
                &Value::ObjectIdentifier(if_table),
                &with(|v| {
                    v.oid_format(OidFormat::Numeric);
                })
            ),
            "OID: .1.3.6.1.2.1.2.2"
        );
        assert_eq!(
            mib.format_value(&oper, &Value::NoSuchInstance, &d),
            "No Such Instance currently exists at this OID"
        );
    }

    #[test]
    fn plain_values_as_net_snmp() {
        let text = |o: &Oid| o.to_string();
        let d = ValueFormat::default();
        let show = |v: &Value, f: &ValueFormat| format_plain_value(v, f, &text);
        assert_eq!(show(&Value::from(""), &d), "\"\"");
        assert_eq!(show(&Value::from("a\"b"), &d), "STRING: \"a\\\"b\"");
        assert_eq!(
            show(&Value::from(vec![0xaa, 0xbc, 0x00]), &d),
            "Hex-STRING: AA BC 00 "
        );
        assert_eq!(
            show(&Value::from(vec![0u8; 17]), &d),
            "Hex-STRING: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \n00 "
        );
        assert_eq!(
            show(
                &Value::from(vec![0xaa, 0x42]),
                &with(|v| {
                    v.strings(StringFormat::Text);
                })
            ),
            "STRING: \".B\""
        );
        assert_eq!(
            show(
                &Value::from(vec![0xaa, 0x42]),
                &with(|v| {
                    v.hex_text(true);
                })
            ),
            "Hex-STRING: AA 42   [.B]"
        );
        assert_eq!(
            show(
                &Value::TimeTicks(7107),
                &with(|v| {
                    v.bare(true);
                })
            ),
            "0:0:01:11.07"
        );
        assert_eq!(
            show(&Value::IpAddress([192, 0, 2, 1]), &d),
            "IpAddress: 192.0.2.1"
        );
        assert_eq!(show(&Value::Null, &d), "NULL");
    }

    #[test]
    fn text_read_as_snmpset_reads_it() {
        assert_eq!(
            parse_base_value(BaseType::Integer32, "-5"),
            Ok(Value::Integer(-5))
        );
        assert_eq!(
            parse_base_value(BaseType::Integer32, "0x10"),
            Ok(Value::Integer(16))
        );
        assert!(matches!(
            parse_base_value(BaseType::Integer32, "2147483648"),
            Err(ValueError::BadValue {
                expected: "INTEGER",
                ..
            })
        ));
        assert_eq!(
            parse_base_value(BaseType::TimeTicks, "100"),
            Ok(Value::TimeTicks(100))
        );
        assert!(parse_base_value(BaseType::IpAddress, "192.0.2").is_err());
        assert_eq!(
            parse_base_value(BaseType::Counter32, "1"),
            Err(ValueError::UnsupportedType(BaseType::Counter32))
        );
        let Some(mib) = mib(&["IF-MIB", "ENTITY-STATE-MIB"]) else {
            return;
        };
        let admin = mib.resolve("ifAdminStatus.2").unwrap();
        assert_eq!(mib.parse_value(&admin, "down"), Ok(Value::Integer(2)));
        assert_eq!(mib.parse_value(&admin, "7"), Ok(Value::Integer(7)));
        assert!(mib.parse_value(&admin, "sideways").is_err());
        let alias = mib.resolve("ifAlias.2").unwrap();
        assert_eq!(mib.parse_value(&alias, "x y"), Ok(Value::from("x y")));
        let alarm = mib.resolve("entStateAlarm.1").unwrap();
        assert_eq!(
            mib.parse_value(&alarm, "critical,5"),
            Ok(Value::from(vec![0x24]))
        );
        assert_eq!(mib.parse_value(&alarm, "9"), Ok(Value::from(vec![0, 0x40])));
        assert!(mib.parse_value(&alarm, "nonsense").is_err());
        let object_id = mib.resolve("sysObjectID.0").unwrap();
        assert_eq!(
            mib.parse_value(&object_id, "ifTable"),
            Ok(Value::ObjectIdentifier(mib.resolve("ifTable").unwrap()))
        );
        assert!(matches!(
            mib.parse_value(&object_id, "noSuchName"),
            Err(ValueError::Resolve(_))
        ));
        let in_octets = mib.resolve("ifInOctets.1").unwrap();
        assert_eq!(
            mib.parse_value(&in_octets, "1"),
            Err(ValueError::UnsupportedType(BaseType::Counter32))
        );
        assert!(matches!(
            mib.parse_value(&snmp_smi::oid!(1, 9, 9), "1"),
            Err(ValueError::UnknownObject(_))
        ));
    }
}
