//! Values shown as a `DISPLAY-HINT` says (RFC 2579 section 3.1), the way net-snmp shows them.

/// One octet-format specification of a hint: `*` (repeat count from the data), octet length,
/// format letter, separator and repeat terminator.
#[derive(Clone, Copy)]
struct Spec {
    repeat: bool,
    width: usize,
    format: u8,
    separator: Option<u8>,
    terminator: Option<u8>,
}

/// Splits an octet hint into its specifications, as net-snmp reads them: a character after the
/// format letter is a separator (then a terminator) unless it is `*` or a digit, or (after a
/// missing width) one of `x`, `d`, `o`.
fn parse_octet_hint(hint: &str) -> Option<Vec<Spec>> {
    let bytes = hint.as_bytes();
    let mut specs = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let repeat = bytes.get(i) == Some(&b'*');
        if repeat {
            i += 1;
        }
        let mut width: usize = 0;
        while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            width = width.checked_mul(10)?.checked_add(usize::from(d - b'0'))?;
            i += 1;
        }
        let format = *bytes.get(i)?;
        i += 1;
        if !matches!(format, b'a' | b't' | b'd' | b'x' | b'o') {
            return None;
        }
        let mut extra = || {
            let c = *bytes.get(i)?;
            let plain = c != b'*'
                && !c.is_ascii_digit()
                && (width != 0 || !matches!(c, b'x' | b'd' | b'o'));
            plain.then(|| {
                i += 1;
                c
            })
        };
        let separator = extra();
        let terminator = separator.and_then(|_| extra());
        specs.push(Spec {
            repeat,
            // A missing (or zero) width counts as 1.
            width: width.max(1),
            format,
            separator,
            terminator,
        });
    }
    (!specs.is_empty()).then_some(specs)
}

/// net-snmp's text of octets without a hint to read them: printable ASCII and white space as
/// they are (`\` and `"` escaped), anything else as `.`.
fn push_ascii(out: &mut Vec<u8>, chunk: &[u8]) {
    for &b in chunk {
        if b.is_ascii_graphic() || b == b' ' || (b'\t'..=b'\r').contains(&b) {
            if b == b'\\' || b == b'"' {
                out.push(b'\\');
            }
            out.push(b);
        } else {
            out.push(b'.');
        }
    }
}

/// `data` as an OCTET STRING `DISPLAY-HINT` (RFC 2579 section 3.1: `"1x:"`, `"255a"`,
/// `"2d-1d-1d,1d:1d:1d.1d"`) says to show it, exactly as net-snmp 5.9 prints it; `None` when
/// the hint is not a valid octet hint (net-snmp then prints "(Bad hint ignored: ...)" and the
/// plain string).
///
/// net-snmp's ways, kept here: hex digits without leading zeros when a separator follows
/// (`0:1b:c0`), two digits for a one-octet `x` without separator that ends the hint; the last
/// specification reused until the data ends; a separator after every item while data remains
/// (even before a repeat terminator); `a` and `t` octets copied as they are (UTF-8 kept) unless
/// they hold a NUL, then printable ASCII only.
///
/// ```
/// use snmp_mib::format_octets;
///
/// assert_eq!(format_octets("1x:", &[0x00, 0x1b, 0xc0]).as_deref(), Some("0:1b:c0"));
/// assert_eq!(format_octets("1x", &[0x00, 0x1b, 0xc0]).as_deref(), Some("001bc0"));
/// assert_eq!(format_octets("1d.1d.1d.1d", &[192, 0, 2, 1]).as_deref(), Some("192.0.2.1"));
/// assert_eq!(format_octets("255a", b"router").as_deref(), Some("router"));
/// ```
pub fn format_octets(hint: &str, data: &[u8]) -> Option<String> {
    let specs = parse_octet_hint(hint)?;
    let mut out: Vec<u8> = Vec::with_capacity(data.len() * 3);
    let mut pos = 0;
    let mut next_spec = 0;
    let mut spec = *specs.first()?;
    while pos < data.len() {
        let mut repeat = 1usize;
        if let Some(s) = specs.get(next_spec) {
            spec = *s;
            next_spec += 1;
            if spec.repeat {
                repeat = usize::from(*data.get(pos)?);
                pos += 1;
            }
        }
        let hint_done = next_spec >= specs.len();
        while repeat > 0 && pos < data.len() {
            let end = pos.saturating_add(spec.width).min(data.len());
            let chunk = data.get(pos..end)?;
            pos = end;
            match spec.format {
                b'a' | b't' => {
                    if chunk.contains(&0) {
                        push_ascii(&mut out, chunk);
                    } else {
                        out.extend_from_slice(chunk);
                    }
                }
                f => {
                    // A C `long`: wraps past 8 octets, prints signed for `d`.
                    let value = chunk
                        .iter()
                        .fold(0i64, |v, b| v.wrapping_mul(256).wrapping_add(i64::from(*b)));
                    let bits = value.cast_unsigned();
                    let text = match f {
                        b'x' if value < 16
                            && spec.width == 1
                            && spec.separator.is_none()
                            && hint_done =>
                        {
                            format!("0{bits:x}")
                        }
                        b'x' => format!("{bits:x}"),
                        b'o' => format!("{bits:o}"),
                        _ => value.to_string(),
                    };
                    out.extend_from_slice(text.as_bytes());
                }
            }
            if pos < data.len()
                && let Some(sep) = spec.separator
            {
                out.push(sep);
            }
            repeat -= 1;
        }
        if pos < data.len()
            && let Some(term) = spec.terminator
        {
            out.push(term);
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// `value` as an INTEGER `DISPLAY-HINT` (RFC 2579 section 3.1: `"d"`, `"d-2"`, `"x"`, `"o"`,
/// `"b"`) says to show it, exactly as net-snmp 5.9 prints it; `None` when the hint is not an
/// integer hint.
///
/// net-snmp's ways, kept here: no `0` before the decimal point (`d-2` of 5 is `.05`), `x` and
/// `o` of a negative value in 64-bit two's complement, `b` as 32 binary digits.
///
/// ```
/// use snmp_mib::format_integer;
///
/// assert_eq!(format_integer("d-2", 1234).as_deref(), Some("12.34"));
/// assert_eq!(format_integer("d-3", 5).as_deref(), Some(".005"));
/// assert_eq!(format_integer("x", 255).as_deref(), Some("ff"));
/// ```
pub fn format_integer(hint: &str, value: i64) -> Option<String> {
    let mut chars = hint.chars();
    let letter = chars.next()?;
    let rest = chars.as_str();
    match letter {
        'd' => {
            let shift: usize = match rest.strip_prefix('-') {
                Some(n) => n.parse().ok().filter(|s| *s <= 64)?,
                None if rest.is_empty() => 0,
                None => return None,
            };
            let digits = value.unsigned_abs().to_string();
            let sign = if value < 0 { "-" } else { "" };
            if shift == 0 {
                return Some(format!("{sign}{digits}"));
            }
            let padded = format!("{digits:0>shift$}");
            let (int, frac) = padded.split_at(padded.len() - shift);
            Some(format!("{sign}{int}.{frac}"))
        }
        _ if !rest.is_empty() => None,
        'x' => Some(format!("{:x}", value.cast_unsigned())),
        'o' => Some(format!("{:o}", value.cast_unsigned())),
        'b' => {
            let low = u32::try_from(value & 0xffff_ffff).ok()?;
            Some(format!("{low:032b}"))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octet_hints_of_rfc_2579() {
        // DateAndTime (SNMPv2-TC).
        let date = [0x07, 0xd9, 5, 26, 13, 30, 15, 0, b'-', 4, 0];
        assert_eq!(
            format_octets("2d-1d-1d,1d:1d:1d.1d,1a1d:1d", &date).as_deref(),
            Some("2009-5-26,13:30:15.0,-4:0")
        );
        // The repeat indicator: a count octet, then that many items; net-snmp puts the
        // separator before the terminator too.
        assert_eq!(
            format_octets("*1x:/1d", &[2, 0xab, 0xcd, 7]).as_deref(),
            Some("ab:cd:/7")
        );
        // The last specification is reused; a final one-octet `x` pads.
        assert_eq!(
            format_octets("1d.", &[10, 0, 0, 1]).as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(
            format_octets("1x:1x", &[0xb, 0x3, 0xe]).as_deref(),
            Some("b:030e")
        );
        assert_eq!(format_octets("2x", &[1, 2, 3]).as_deref(), Some("1023"));
        assert_eq!(format_octets("255t", "é".as_bytes()).as_deref(), Some("é"));
        assert_eq!(
            format_octets("255a", b"a\"b\x01").as_deref(),
            Some("a\"b\x01")
        );
        assert_eq!(
            format_octets("255a", b"a\0\x01\"").as_deref(),
            Some("a..\\\"")
        );
        assert_eq!(format_octets("", b"x"), None);
        assert_eq!(format_octets("1h:", b"x"), None);
        assert_eq!(format_octets("1x:", &[]).as_deref(), Some(""));
        assert!(format_octets("99999999999999999999999x", b"ab").is_none());
    }

    #[test]
    fn integer_hints_of_rfc_2579() {
        assert_eq!(format_integer("d", -7).as_deref(), Some("-7"));
        assert_eq!(format_integer("d-1", -75).as_deref(), Some("-7.5"));
        assert_eq!(format_integer("d-2", 5).as_deref(), Some(".05"));
        assert_eq!(format_integer("d-1", 0).as_deref(), Some(".0"));
        assert_eq!(format_integer("o", 8).as_deref(), Some("10"));
        assert_eq!(format_integer("x", -1).as_deref(), Some("ffffffffffffffff"));
        assert_eq!(
            format_integer("b", 5).as_deref(),
            Some("00000000000000000000000000000101")
        );
        assert_eq!(format_integer("d-x", 5), None);
        assert_eq!(format_integer("2d", 5), None);
    }
}
