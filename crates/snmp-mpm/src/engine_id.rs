//! `SnmpEngineID` (RFC 3411 section 5): the name of an SNMP engine.

use alloc::string::String;
use core::fmt;
use core::str::FromStr;

use bytes::Bytes;

/// An snmpEngineID: 5 to 32 octets (RFC 3411 `SnmpEngineID`).
///
/// RFC 3411 recommends a structured form: the first four octets are the IANA enterprise
/// number of the vendor with the top bit set, the fifth names the format of the rest
/// ([`EngineIdFormat`]). Any 5 to 32 octets are accepted, as devices send them.
///
/// Text forms are hexadecimal, as net-snmp's `-e` takes and prints them: `0x80001f8880...`,
/// `80:00:1f:88:80...` or `80001F8880...`.
///
/// ```
/// use snmp_mpm::{EngineId, EngineIdFormat};
///
/// let id: EngineId = "0x80001f888059dc486145a26322".parse()?;
/// assert_eq!(id.enterprise(), Some(8072)); // net-snmp
/// assert_eq!(id.format(), Some(EngineIdFormat::Other(0x80)));
/// assert_eq!(id.to_string(), "80001f888059dc486145a26322");
///
/// let text = EngineId::from_text(8072, "router-1")?;
/// assert_eq!(text.as_bytes()[..5], [0x80, 0x00, 0x1f, 0x88, 0x04]);
/// # Ok::<(), snmp_mpm::EngineIdError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EngineId(Bytes);

/// The format octet of an RFC 3411 structured engine ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EngineIdFormat {
    /// `1`: an IPv4 address follows.
    Ipv4,
    /// `2`: an IPv6 address follows.
    Ipv6,
    /// `3`: a MAC address follows.
    Mac,
    /// `4`: administratively assigned text follows.
    Text,
    /// `5`: administratively assigned octets follow.
    Octets,
    /// Anything else (enterprise-specific formats, 128..255).
    Other(u8),
}

/// An engine ID that cannot be built or parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EngineIdError {
    /// Not 5 to 32 octets.
    Length(usize),
    /// Text that is not hexadecimal octets.
    NotHex(String),
}

impl fmt::Display for EngineIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(n) => write!(f, "an engine ID has 5 to 32 octets, not {n}"),
            Self::NotHex(s) => write!(f, "invalid engine ID \"{s}\": expected hexadecimal octets"),
        }
    }
}

impl core::error::Error for EngineIdError {}

impl EngineId {
    /// An engine ID of these octets.
    pub fn new(octets: impl Into<Bytes>) -> Result<Self, EngineIdError> {
        let octets = octets.into();
        if (5..=32).contains(&octets.len()) {
            Ok(Self(octets))
        } else {
            Err(EngineIdError::Length(octets.len()))
        }
    }

    /// A structured engine ID: enterprise number, format octet and data.
    pub fn structured(enterprise: u32, format: u8, data: &[u8]) -> Result<Self, EngineIdError> {
        let mut v = alloc::vec::Vec::with_capacity(5 + data.len());
        v.extend_from_slice(&(enterprise | 0x8000_0000).to_be_bytes());
        v.push(format);
        v.extend_from_slice(data);
        Self::new(v)
    }

    /// A structured engine ID of format 4, administratively assigned text (at most 27 octets).
    pub fn from_text(enterprise: u32, text: &str) -> Result<Self, EngineIdError> {
        Self::structured(enterprise, 4, text.as_bytes())
    }

    /// A structured engine ID of format 3, a MAC address.
    pub fn from_mac(enterprise: u32, mac: [u8; 6]) -> Result<Self, EngineIdError> {
        Self::structured(enterprise, 3, &mac)
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The octets, shared.
    pub fn to_bytes(&self) -> Bytes {
        self.0.clone()
    }

    /// The enterprise number of a structured engine ID (top bit of the first octet set).
    pub fn enterprise(&self) -> Option<u32> {
        let [a, b, c, d, ..] = *self.as_bytes() else {
            return None;
        };
        (a & 0x80 != 0).then(|| u32::from_be_bytes([a & 0x7f, b, c, d]))
    }

    /// The format octet of a structured engine ID.
    pub fn format(&self) -> Option<EngineIdFormat> {
        self.enterprise()?;
        Some(match *self.as_bytes().get(4)? {
            1 => EngineIdFormat::Ipv4,
            2 => EngineIdFormat::Ipv6,
            3 => EngineIdFormat::Mac,
            4 => EngineIdFormat::Text,
            5 => EngineIdFormat::Octets,
            other => EngineIdFormat::Other(other),
        })
    }
}

impl AsRef<[u8]> for EngineId {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// Lower-case hexadecimal without separators, as net-snmp prints it after `0x`.
impl fmt::Display for EngineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            f.write_str("0x")?;
        }
        for b in self.as_bytes() {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for EngineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EngineId({self:#})")
    }
}

impl FromStr for EngineId {
    type Err = EngineIdError;

    fn from_str(s: &str) -> Result<Self, EngineIdError> {
        let bad = || EngineIdError::NotHex(s.chars().take(80).collect());
        let body = s
            .strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .unwrap_or(s);
        let digits: alloc::vec::Vec<u8> = body
            .bytes()
            .filter(|b| !matches!(b, b':' | b' ' | b'-'))
            .collect();
        if digits.is_empty() || !digits.len().is_multiple_of(2) {
            return Err(bad());
        }
        let nibble = |c: u8| char::from(c).to_digit(16);
        let octets = digits
            .chunks(2)
            .map(|p| match p {
                [h, l] => nibble(*h)
                    .zip(nibble(*l))
                    .and_then(|(h, l)| u8::try_from(h * 16 + l).ok()),
                _ => None,
            })
            .collect::<Option<alloc::vec::Vec<u8>>>()
            .ok_or_else(bad)?;
        Self::new(octets)
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn parse_forms() {
        let want = [0x80, 0x00, 0x1f, 0x88, 0x80, 0x59, 0xdc];
        for text in [
            "0x80001f888059dc",
            "80001F888059DC",
            "80:00:1f:88:80:59:dc",
            "0X80 00 1f 88 80 59 dc",
        ] {
            let id: EngineId = text.parse().unwrap();
            assert_eq!(id.as_bytes(), want, "{text}");
        }
        assert_eq!("0x8000".parse::<EngineId>(), Err(EngineIdError::Length(2)));
        assert!(matches!(
            "0x80001f88zz".parse::<EngineId>(),
            Err(EngineIdError::NotHex(_))
        ));
        assert!(matches!(
            "0x80001f888".parse::<EngineId>(),
            Err(EngineIdError::NotHex(_))
        ));
        assert!(matches!(
            "".parse::<EngineId>(),
            Err(EngineIdError::NotHex(_))
        ));
        let long = "00".repeat(33);
        assert_eq!(long.parse::<EngineId>(), Err(EngineIdError::Length(33)));
    }

    #[test]
    fn structured_forms() {
        let id = EngineId::from_mac(8072, [0, 0x1b, 0x21, 0x3c, 0x9a, 0x10]).unwrap();
        assert_eq!(id.to_string(), "80001f8803001b213c9a10");
        assert_eq!(alloc::format!("{id:#}"), "0x80001f8803001b213c9a10");
        assert_eq!(
            (id.enterprise(), id.format()),
            (Some(8072), Some(EngineIdFormat::Mac))
        );
        let text = EngineId::from_text(9, "core-router").unwrap();
        assert_eq!(text.format(), Some(EngineIdFormat::Text));
        // The pre-RFC 3411 form (top bit clear) has neither.
        let old = EngineId::new(&b"\x00\x00\x00\x09\x01\x02"[..]).unwrap();
        assert_eq!((old.enterprise(), old.format()), (None, None));
        assert!(EngineId::from_text(1, &"x".repeat(28)).is_err());
    }
}
