//! Which agent a request goes to, and how long to wait for it.

use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

use bytes::Bytes;
use snmp_transport::Protocol;

use crate::AddrError;

/// The default SNMP port, used when an address has none.
const SNMP_PORT: u16 = 161;

/// An agent: its address, and optionally its own timeout, retries and SNMPv3 context
/// (PySNMP's `UdpTransportTarget` with `ContextData`). `Target::new` takes a socket address;
/// text parses with [`FromStr`] (`"192.0.2.1"`, `"192.0.2.1:1161"`, `"[2001:db8::1]:161"`;
/// port 161 if none), and [`Target::resolve`] looks a host name up.
///
/// Requests go over UDP, or over TCP (RFC 3430) with [`protocol`](Self::protocol) or a
/// `tcp:` prefix as net-snmp writes it (`"tcp:192.0.2.1:1161"`; `udp:`, `tcp6:` and `udp6:`
/// are accepted too).
///
/// ```
/// use std::time::Duration;
/// use snmp_hlapi::Target;
///
/// let mut router: Target = "192.0.2.1".parse()?;
/// router.timeout(Duration::from_secs(2)).retries(1).context_name("vrf-blue");
/// assert_eq!(router.addr().port(), 161);
/// let switch: Target = "tcp:192.0.2.2:1161".parse()?;
/// assert_eq!(switch.transport_protocol(), snmp_hlapi::Protocol::Tcp);
/// assert!("192.0.2.1:notaport".parse::<Target>().is_err());
/// # Ok::<(), snmp_hlapi::AddrError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Target {
    pub(crate) addr: SocketAddr,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retries: Option<u32>,
    pub(crate) context_name: Bytes,
    pub(crate) context_engine_id: Option<Bytes>,
    pub(crate) engine_id: Option<Bytes>,
    pub(crate) protocol: Protocol,
}

impl Target {
    /// The agent at `addr`, with the manager's timeout and retries and the default context.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            timeout: None,
            retries: None,
            context_name: Bytes::new(),
            context_engine_id: None,
            engine_id: None,
            protocol: Protocol::Udp,
        }
    }

    /// The agent at `host` (`"host"`, `"host:port"`, `"[v6]:port"`, or an address), looking
    /// the name up in the system's resolver; the first address is taken. Port 161 if none.
    ///
    /// # Errors
    ///
    /// The text is malformed or the name does not resolve.
    pub async fn resolve(host: &str) -> Result<Self, AddrError> {
        if let Ok(target) = host.parse() {
            return Ok(target);
        }
        let (protocol, name) = split_protocol(host.trim());
        let mut target = Self::resolve_name(name)
            .await
            .map_err(|e| AddrError::new(host, e.reason))?;
        target.protocol = protocol;
        Ok(target)
    }

    /// [`resolve`](Self::resolve) without a protocol prefix.
    async fn resolve_name(host: &str) -> Result<Self, AddrError> {
        let with_port = if host
            .rsplit_once(':')
            .is_some_and(|(h, p)| !h.is_empty() && !h.ends_with(':') && p.parse::<u16>().is_ok())
        {
            host.to_owned()
        } else {
            format!("{host}:{SNMP_PORT}")
        };
        let mut addrs = tokio::net::lookup_host(with_port.as_str())
            .await
            .map_err(|e| AddrError::new(host, e.to_string()))?;
        addrs
            .next()
            .map(Self::new)
            .ok_or_else(|| AddrError::new(host, "the name resolves to no address"))
    }

    /// How long to wait for each try (default: the manager's).
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many retries after the first try (default: the manager's).
    pub fn retries(&mut self, retries: u32) -> &mut Self {
        self.retries = Some(retries);
        self
    }

    /// The SNMPv3 contextName (default: empty, the default context).
    pub fn context_name(&mut self, name: impl Into<Bytes>) -> &mut Self {
        self.context_name = name.into();
        self
    }

    /// The SNMPv3 contextEngineID, for a proxy (default: the agent's own, discovered).
    pub fn context_engine_id(&mut self, id: impl Into<Bytes>) -> &mut Self {
        self.context_engine_id = Some(id.into());
        self
    }

    /// SNMPv3: the agent's snmpEngineID, known beforehand (net-snmp's `-e`; PySNMP's
    /// `securityEngineId`): no discovery; the agent's clock is learnt from the
    /// notInTimeWindow Report its first authenticated request gets. Default: discovered.
    pub fn engine_id(&mut self, id: impl Into<Bytes>) -> &mut Self {
        self.engine_id = Some(id.into());
        self
    }

    /// The agent's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Whether requests go over UDP (the default) or TCP (RFC 3430: one connection per
    /// agent, opened by the first request and again after the agent closes it).
    pub fn protocol(&mut self, protocol: Protocol) -> &mut Self {
        self.protocol = protocol;
        self
    }

    /// The protocol requests to this agent go over.
    pub fn transport_protocol(&self) -> Protocol {
        self.protocol
    }

    pub(crate) fn engine_target(&self, security: snmp_engine::Target) -> snmp_engine::Target {
        let mut target = security.with_context_name(self.context_name.clone());
        if let Some(timeout) = self.timeout {
            target = target.with_timeout(timeout);
        }
        if let Some(retries) = self.retries {
            target = target.with_retries(retries);
        }
        if let Some(id) = &self.context_engine_id {
            target = target.with_context_engine_id(id.clone());
        }
        if let Some(id) = &self.engine_id {
            target = target.with_engine_id(id.clone());
        }
        target
    }
}

impl From<SocketAddr> for Target {
    fn from(addr: SocketAddr) -> Self {
        Self::new(addr)
    }
}

impl FromStr for Target {
    type Err = AddrError;

    /// An IP address with an optional port: `192.0.2.1`, `192.0.2.1:1161`, `2001:db8::1`,
    /// `[2001:db8::1]:1161` (port 161 if none), after an optional `udp:` or `tcp:` (or
    /// `udp6:`, `tcp6:`). Host names need [`Target::resolve`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (protocol, text) = split_protocol(s.trim());
        let mut target = Self::parse_addr(s, text)?;
        target.protocol = protocol;
        Ok(target)
    }
}

/// The protocol named by a net-snmp transport prefix (`udp:`, `tcp:`, `udp6:`, `tcp6:`;
/// UDP if none), and the rest.
fn split_protocol(text: &str) -> (Protocol, &str) {
    for (prefix, protocol) in [
        ("udp:", Protocol::Udp),
        ("tcp:", Protocol::Tcp),
        ("udp6:", Protocol::Udp),
        ("tcp6:", Protocol::Tcp),
    ] {
        if let Some(head) = text.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            return (protocol, text.get(prefix.len()..).unwrap_or_default());
        }
    }
    (Protocol::Udp, text)
}

impl Target {
    /// An address with an optional port, no prefix; `s` is the whole text, for errors.
    fn parse_addr(s: &str, text: &str) -> Result<Self, AddrError> {
        if text.is_empty() {
            return Err(AddrError::new(s, "empty address"));
        }
        if let Ok(addr) = text.parse::<SocketAddr>() {
            return Ok(Self::new(addr));
        }
        let bare = text
            .strip_prefix('[')
            .and_then(|t| t.strip_suffix(']'))
            .unwrap_or(text);
        if let Ok(ip) = bare.parse::<IpAddr>() {
            return Ok(Self::new(SocketAddr::new(ip, SNMP_PORT)));
        }
        let reason = match text.rsplit_once(':') {
            Some((host, port)) if port.parse::<u16>().is_err() && !host.contains(':') => {
                format!("{port:?} is not a port number (0-65535)")
            }
            _ => "not an IP address with an optional port (a host name needs Target::resolve)"
                .to_owned(),
        };
        Err(AddrError::new(s, reason))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_addresses() {
        let t: Target = "127.0.0.1:1161".parse().unwrap();
        assert_eq!(t.addr(), "127.0.0.1:1161".parse().unwrap());
        let t: Target = "127.0.0.1".parse().unwrap();
        assert_eq!(t.addr().port(), 161);
        let t: Target = "::1".parse().unwrap();
        assert_eq!(t.addr(), "[::1]:161".parse().unwrap());
        let t: Target = "[::1]".parse().unwrap();
        assert_eq!(t.addr(), "[::1]:161".parse().unwrap());
        let t: Target = "[::1]:162".parse().unwrap();
        assert_eq!(t.addr().port(), 162);
    }

    #[test]
    fn protocol_prefixes() {
        let t: Target = "tcp:127.0.0.1:1161".parse().unwrap();
        assert_eq!(t.transport_protocol(), Protocol::Tcp);
        assert_eq!(t.addr(), "127.0.0.1:1161".parse().unwrap());
        let t: Target = "TCP6:[::1]".parse().unwrap();
        assert_eq!(t.transport_protocol(), Protocol::Tcp);
        assert_eq!(t.addr(), "[::1]:161".parse().unwrap());
        let t: Target = "udp:127.0.0.1".parse().unwrap();
        assert_eq!(t.transport_protocol(), Protocol::Udp);
        let t: Target = "127.0.0.1".parse().unwrap();
        assert_eq!(t.transport_protocol(), Protocol::Udp);
        // An IPv6 address is not a prefix.
        let t: Target = "::1".parse().unwrap();
        assert_eq!(t.transport_protocol(), Protocol::Udp);
        assert!("tcp:".parse::<Target>().is_err());
        assert!("sctp:127.0.0.1".parse::<Target>().is_err());
        let mut t = Target::new("127.0.0.1:161".parse().unwrap());
        t.protocol(Protocol::Tcp);
        assert_eq!(t, "tcp:127.0.0.1".parse().unwrap());
    }

    #[tokio::test]
    async fn resolves_with_a_prefix() {
        let t = Target::resolve("tcp:localhost:1161").await.unwrap();
        assert_eq!(t.transport_protocol(), Protocol::Tcp);
        assert!(t.addr().ip().is_loopback());
        assert_eq!(t.addr().port(), 1161);
    }

    #[test]
    fn refuses_bad_addresses_clearly() {
        let e = "127.0.0.1:99999".parse::<Target>().unwrap_err();
        assert!(e.to_string().contains("not a port number"), "{e}");
        let e = "router.example".parse::<Target>().unwrap_err();
        assert!(e.to_string().contains("Target::resolve"), "{e}");
        assert!("".parse::<Target>().is_err());
        assert!("1.2.3".parse::<Target>().is_err());
    }

    #[tokio::test]
    async fn resolves_localhost() {
        let t = Target::resolve("localhost:1161").await.unwrap();
        assert!(t.addr().ip().is_loopback());
        assert_eq!(t.addr().port(), 1161);
        let t = Target::resolve("127.0.0.1").await.unwrap();
        assert_eq!(t.addr().port(), 161);
        assert!(Target::resolve("no-such-host.invalid").await.is_err());
    }
}
