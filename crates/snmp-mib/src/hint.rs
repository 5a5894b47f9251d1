//! Values shown as a `DISPLAY-HINT` says (RFC 2579 section 3.1), the way net-snmp shows them.

use std::fmt::Write as _;

/// One octet-format specification of a hint: `*` (repeat count from the data), octet length,
/// format letter, separator and repeat terminator.
#[derive(Clone, Copy)]
struct Spec {
    repeat: bool,
    width: usize,
    format: char,
    separator: Option<char>,
    terminator: Option<char>,
}

fn parse_octet_hint(hint: &str) -> Option<Vec<Spec>> {
    let mut specs = Vec::new();
    let mut chars = hint.chars().peekable();
    while chars.peek().is_some() {
        let repeat = chars.next_if_eq(&'*').is_some();
        let mut width: usize = 0;
        while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
            chars.next();
            width = width
                .checked_mul(10)?
                .checked_add(usize::try_from(d).ok()?)?;
        }
        let format = chars.next()?;
        if !matches!(format, 'a' | 't' | 'd' | 'x' | 'o') {
            return None;
        }
        let plain = |c: &char| *c != '*' && !c.is_ascii_digit();
        let separator = chars.next_if(plain);
        let terminator = if separator.is_some() {
            chars.next_if(plain)
        } else {
            None
        };
        specs.push(Spec {
            repeat,
            // net-snmp reads a missing or zero width as 1.
            width: width.max(1),
            format,
            separator,
            terminator,
        });
    }
    (!specs.is_empty()).then_some(specs)
}

/// `data` as an OCTET STRING `DISPLAY-HINT` (`"1x:"`, `"255a"`, `"2d-1d-1d,1d:1d:1d.1d"`)
/// says to show it, as net-snmp prints it (hex without leading zeros, the last specification
/// reused until the data ends); `None` when the hint is not a valid octet hint.
///
/// ```
/// use snmp_mib::format_octets;
///
/// assert_eq!(format_octets("1x:", &[0x00, 0x1b, 0xc0]).as_deref(), Some("0:1b:c0"));
/// assert_eq!(format_octets("1d.1d.1d.1d", &[192, 0, 2, 1]).as_deref(), Some("192.0.2.1"));
/// assert_eq!(format_octets("255a", b"router").as_deref(), Some("router"));
/// ```
pub fn format_octets(hint: &str, data: &[u8]) -> Option<String> {
    let specs = parse_octet_hint(hint)?;
    let mut out = String::new();
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
        while repeat > 0 && pos < data.len() {
            let end = pos.saturating_add(spec.width).min(data.len());
            let chunk = data.get(pos..end)?;
            pos = end;
            match spec.format {
                'a' => out.extend(chunk.iter().map(|b| char::from(*b))),
                't' => out.push_str(&String::from_utf8_lossy(chunk)),
                f => {
                    let value = chunk
                        .iter()
                        .fold(0u128, |v, b| v.wrapping_shl(8) | u128::from(*b));
                    let _ = match f {
                        'x' => write!(out, "{value:x}"),
                        'o' => write!(out, "{value:o}"),
                        _ => write!(out, "{value}"),
                    };
                }
            }
            repeat -= 1;
            // RFC 2579: no separator right before the repeat terminator.
            let before_terminator = repeat == 0 && spec.terminator.is_some();
            if pos < data.len()
                && !before_terminator
                && let Some(sep) = spec.separator
            {
                out.push(sep);
            }
        }
        if pos < data.len()
            && let Some(term) = spec.terminator
        {
            out.push(term);
        }
    }
    Some(out)
}

/// `value` as an INTEGER `DISPLAY-HINT` (`"d"`, `"d-2"`, `"x"`, `"o"`, `"b"`) says to show it;
/// `None` when the hint is not an integer hint.
///
/// ```
/// use snmp_mib::format_integer;
///
/// assert_eq!(format_integer("d-2", 1234).as_deref(), Some("12.34"));
/// assert_eq!(format_integer("d-3", 5).as_deref(), Some("0.005"));
/// assert_eq!(format_integer("x", 255).as_deref(), Some("ff"));
/// ```
pub fn format_integer(hint: &str, value: i64) -> Option<String> {
    let magnitude = value.unsigned_abs();
    let sign = if value < 0 { "-" } else { "" };
    let mut chars = hint.chars();
    let text = match chars.next()? {
        'd' => {
            let rest = chars.as_str();
            let shift: usize = match rest.strip_prefix('-') {
                Some(n) => n.parse().ok()?,
                None if rest.is_empty() => 0,
                None => return None,
            };
            let digits = magnitude.to_string();
            if shift == 0 {
                digits
            } else if shift > 64 {
                return None;
            } else {
                let padded = format!("{digits:0>width$}", width = shift + 1);
                let (int, frac) = padded.split_at(padded.len() - shift);
                format!("{int}.{frac}")
            }
        }
        'x' if chars.as_str().is_empty() => format!("{magnitude:x}"),
        'o' if chars.as_str().is_empty() => format!("{magnitude:o}"),
        'b' if chars.as_str().is_empty() => format!("{magnitude:b}"),
        _ => return None,
    };
    Some(format!("{sign}{text}"))
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
        // The repeat indicator: a count octet, then that many specifications.
        assert_eq!(
            format_octets("*1x:/1d", &[2, 0xab, 0xcd, 7]).as_deref(),
            Some("ab:cd/7")
        );
        // The last specification is reused.
        assert_eq!(
            format_octets("1d.", &[10, 0, 0, 1]).as_deref(),
            Some("10.0.0.1")
        );
        assert_eq!(format_octets("255t", "é".as_bytes()).as_deref(), Some("é"));
        assert_eq!(format_octets("2x", &[1, 2, 3]).as_deref(), Some("1023"));
        assert_eq!(format_octets("", b"x"), None);
        assert_eq!(format_octets("1q", b"x"), None);
        assert_eq!(format_octets("1x:", &[]).as_deref(), Some(""));
        assert!(format_octets("99999999999999999999999x", b"ab").is_none());
    }

    #[test]
    fn integer_hints_of_rfc_2579() {
        assert_eq!(format_integer("d", -7).as_deref(), Some("-7"));
        assert_eq!(format_integer("d-1", -75).as_deref(), Some("-7.5"));
        assert_eq!(format_integer("d-2", 5).as_deref(), Some("0.05"));
        assert_eq!(format_integer("o", 8).as_deref(), Some("10"));
        assert_eq!(format_integer("b", 5).as_deref(), Some("101"));
        assert_eq!(format_integer("d-x", 5), None);
        assert_eq!(format_integer("255a", 5), None);
    }
}
