//! Bindings printed as net-snmp's tools print them with no MIB loaded, under the `-O`
//! output options (`n f s S u q Q v x a t T U e b X E 0 A`).

use std::fmt::Write as _;

use snmp_hlapi::{Oid, Value, VarBind};

/// How OIDs are printed (the last of `-On`, `-Of`, `-Os`, `-OS`, `-Ou` wins).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum OidStyle {
    /// `iso.3.6.1...`: the default, `-Os` and `-OS` without a MIB.
    #[default]
    Short,
    /// `.iso.3.6.1...`: `-Of` and `-Ou` without a MIB.
    Full,
    /// `.1.3.6.1...`: `-On`.
    Numeric,
}

/// How OCTET STRINGs are printed: guessed, `-Oa` (always text) or `-Ox` (always hex).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Strings {
    #[default]
    Guess,
    Ascii,
    Hex,
}

/// The `-O` output options.
#[derive(Clone, Debug, Default)]
pub(crate) struct OutputOptions {
    oid: OidStyle,
    strings: Strings,
    /// `-Oq`: `OID value`, no type names.
    quick: bool,
    /// `-OQ`: `OID = value`, no type names.
    quick_equal: bool,
    /// `-Ov`: the value alone.
    value_only: bool,
    /// `-Ot`: TimeTicks as a raw number.
    raw_timeticks: bool,
    /// `-OT`: the text beside hex strings.
    hex_text: bool,
}

impl OutputOptions {
    /// Applies the letters of one `-O` argument; the unknown letter is the error.
    pub(crate) fn apply(&mut self, letters: &str) -> Result<(), char> {
        for c in letters.chars() {
            match c {
                'n' => self.oid = OidStyle::Numeric,
                'f' | 'u' => self.oid = OidStyle::Full,
                's' | 'S' => self.oid = OidStyle::Short,
                'q' => self.quick = true,
                'Q' => self.quick_equal = true,
                'v' => self.value_only = true,
                'x' => self.strings = Strings::Hex,
                'a' => self.strings = Strings::Ascii,
                't' => self.raw_timeticks = true,
                'T' => self.hex_text = true,
                // Units, enums, index forms, MIB-dependent: nothing to do without a MIB.
                'U' | 'e' | 'b' | 'X' | 'E' | '0' | 'A' | 'p' => {}
                other => return Err(other),
            }
        }
        Ok(())
    }

    /// Whether type names are left out (`-Oq` or `-OQ`).
    fn bare(&self) -> bool {
        self.quick || self.quick_equal
    }

    /// An OID in the chosen style.
    pub(crate) fn oid(&self, oid: &Oid) -> String {
        let arcs = oid.as_slice();
        let mut s = String::new();
        if self.oid == OidStyle::Numeric {
            for a in arcs {
                let _ = write!(s, ".{a}");
            }
            return s;
        }
        if self.oid == OidStyle::Full {
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

    /// One binding as net-snmp's `print_variable` prints it, without the newline.
    pub(crate) fn varbind(&self, vb: &VarBind) -> String {
        let value = self.value(&vb.value);
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

    /// A value, with its type name unless `-Oq`/`-OQ`.
    pub(crate) fn value(&self, v: &Value) -> String {
        let bare = self.bare();
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
            Value::ObjectIdentifier(o) => typed("OID", self.oid(o)),
            Value::IpAddress([a, b, c, d]) => typed("IpAddress", format!("{a}.{b}.{c}.{d}")),
            Value::Counter32(n) => typed("Counter32", n.to_string()),
            Value::Gauge32(n) => typed("Gauge32", n.to_string()),
            Value::UInteger32(n) => typed("UInteger32", n.to_string()),
            Value::Counter64(n) => typed("Counter64", n.to_string()),
            Value::TimeTicks(t) => {
                if self.raw_timeticks {
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
        let hex = match self.strings {
            Strings::Hex => true,
            Strings::Ascii => false,
            Strings::Guess => b.iter().any(|&c| !is_print(c) && !is_space(c)),
        };
        let bare = self.bare();
        if hex {
            let body = hexstring(b, self.hex_text);
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
fn is_print(c: u8) -> bool {
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
    use snmp_hlapi::oid;

    fn opts(letters: &str) -> OutputOptions {
        let mut o = OutputOptions::default();
        o.apply(letters).unwrap();
        o
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
