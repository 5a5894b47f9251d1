//! The SNMP-COMMUNITY-MIB mapping of RFC 3584 section 5: a community string, seen from a
//! transport address, names a securityName and a contextName.

use alloc::boxed::Box;
use core::net::IpAddr;

use crate::error::ConfigError;

/// An address prefix: the transport-address check of RFC 3584's snmpTargetAddrExtTable
/// (snmpTargetAddrTAddress with snmpTargetAddrTMask), as net-snmp's `com2sec` source
/// `ADDRESS/BITS`. An IPv4 prefix also matches IPv4-mapped IPv6 sources (`::ffff:a.b.c.d`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AddressPrefix {
    addr: IpAddr,
    len: u8,
}

impl AddressPrefix {
    /// A prefix of `len` leading bits of `addr`; bits after them are ignored.
    ///
    /// # Errors
    /// [`ConfigError::PrefixLength`] when `len` exceeds 32 (IPv4) or 128 (IPv6).
    pub const fn new(addr: IpAddr, len: u8) -> Result<Self, ConfigError> {
        let max = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        if len > max {
            return Err(ConfigError::PrefixLength { len, max });
        }
        Ok(Self { addr, len })
    }

    /// The address.
    pub const fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length in bits.
    pub const fn prefix_len(&self) -> u8 {
        self.len
    }

    /// Whether the leading [`prefix_len`](Self::prefix_len) bits of `source` equal the prefix's (an IPv4
    /// prefix never matches an IPv6 source other than an IPv4-mapped one, and vice versa).
    pub fn contains(&self, source: IpAddr) -> bool {
        match (self.addr, source.to_canonical()) {
            (IpAddr::V4(net), IpAddr::V4(src)) => prefix_eq(&net.octets(), &src.octets(), self.len),
            (IpAddr::V6(net), IpAddr::V6(src)) => prefix_eq(&net.octets(), &src.octets(), self.len),
            _ => false,
        }
    }
}

/// Whether the first `bits` bits of `a` and `b` are equal.
fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    let whole = bits / 8;
    let rest = bits % 8;
    if a.get(..whole) != b.get(..whole) {
        return false;
    }
    if rest == 0 {
        return true;
    }
    let mask = 0xff_u8 << (8 - rest);
    match (a.get(whole), b.get(whole)) {
        (Some(x), Some(y)) => x & mask == y & mask,
        _ => false,
    }
}

/// One row of RFC 3584's snmpCommunityTable, with the source restriction that
/// snmpCommunityTransportTag and the snmpTargetAddrExtTable express (net-snmp's `com2sec`).
///
/// The contextEngineID column is left out: this table serves the local engine only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommunityEntry {
    community: Box<[u8]>,
    security_name: Box<[u8]>,
    context_name: Box<[u8]>,
    source: Option<AddressPrefix>,
}

impl CommunityEntry {
    /// A row: messages with `community` (snmpCommunityName), from an address in `source`
    /// (`None`: any address), are processed as `security_name` (snmpCommunitySecurityName) in
    /// the context `context_name` (snmpCommunityContextName, `""` for the default context).
    ///
    /// # Errors
    /// [`ConfigError::NameLength`] for an empty or over-long security name or an over-long
    /// context name.
    pub fn new(
        community: impl AsRef<[u8]>,
        security_name: impl AsRef<[u8]>,
        context_name: impl AsRef<[u8]>,
        source: Option<AddressPrefix>,
    ) -> Result<Self, ConfigError> {
        Ok(Self {
            community: community.as_ref().into(),
            security_name: crate::vacm::admin_string("security name", 1, security_name)?,
            context_name: crate::vacm::admin_string("context name", 0, context_name)?,
            source,
        })
    }

    /// snmpCommunityName: the community string of the messages.
    pub fn community(&self) -> &[u8] {
        &self.community
    }

    /// snmpCommunitySecurityName.
    pub fn security_name(&self) -> &[u8] {
        &self.security_name
    }

    /// snmpCommunityContextName.
    pub fn context_name(&self) -> &[u8] {
        &self.context_name
    }

    /// The allowed source addresses; `None` is any.
    pub fn source(&self) -> Option<AddressPrefix> {
        self.source
    }

    /// Whether a message with `community` from `source` selects this row (RFC 3584 section
    /// 5.2.1).
    pub fn matches(&self, community: &[u8], source: IpAddr) -> bool {
        *self.community == *community && self.source.is_none_or(|p| p.contains(source))
    }
}

#[cfg(test)]
mod tests {
    use core::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    #[test]
    fn ipv4_prefixes() {
        let p = AddressPrefix::new(v4(10, 1, 2, 0), 24).unwrap();
        assert!(p.contains(v4(10, 1, 2, 0)));
        assert!(p.contains(v4(10, 1, 2, 255)));
        assert!(!p.contains(v4(10, 1, 3, 1)));
        // A prefix not on an octet boundary: 192.168.0.0/23 is .0.x and .1.x.
        let p = AddressPrefix::new(v4(192, 168, 0, 0), 23).unwrap();
        assert!(p.contains(v4(192, 168, 1, 7)));
        assert!(!p.contains(v4(192, 168, 2, 7)));
        // /0 is everything of the family, /32 one host.
        assert!(
            AddressPrefix::new(v4(0, 0, 0, 0), 0)
                .unwrap()
                .contains(v4(8, 8, 8, 8))
        );
        let host = AddressPrefix::new(v4(127, 0, 0, 1), 32).unwrap();
        assert!(host.contains(v4(127, 0, 0, 1)));
        assert!(!host.contains(v4(127, 0, 0, 2)));
        // An IPv4-mapped IPv6 source is its IPv4 address; a plain IPv6 one is not.
        assert!(host.contains(IpAddr::V6(Ipv4Addr::new(127, 0, 0, 1).to_ipv6_mapped())));
        assert!(!host.contains(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert_eq!(
            AddressPrefix::new(v4(1, 2, 3, 4), 33),
            Err(ConfigError::PrefixLength { len: 33, max: 32 })
        );
    }

    #[test]
    fn ipv6_prefixes() {
        let net: Ipv6Addr = "2001:db8:aa00::".parse().unwrap();
        let p = AddressPrefix::new(IpAddr::V6(net), 40).unwrap();
        assert!(p.contains("2001:db8:aa00::1".parse().unwrap()));
        assert!(p.contains("2001:db8:aaff:ffff::1".parse().unwrap()));
        assert!(!p.contains("2001:db8:ab00::1".parse().unwrap()));
        assert!(!p.contains(v4(10, 0, 0, 1)));
        let lo = AddressPrefix::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 128).unwrap();
        assert!(lo.contains(IpAddr::V6(Ipv6Addr::LOCALHOST)));
        assert!(AddressPrefix::new(IpAddr::V6(net), 129).is_err());
    }
}
