//! Why a request through the transport failed.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use snmp_engine::RequestError;

/// Why [`Client::request`](crate::Client::request) failed.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The driver task has stopped (its socket failed, or the runtime is shutting down), or
    /// it stopped before answering.
    #[error("the transport's driver has stopped")]
    Closed,
    /// The socket refused to send the request (for example: no route to the host), and no
    /// answer came before the retries ran out. Shared (`Arc`) by every request to the same
    /// address that it struck.
    #[error("cannot send to the agent")]
    Io(#[source] Arc<io::Error>),
    /// The transport has no socket of the address family of this agent (see
    /// [`UdpTransport::ipv4`](crate::UdpTransport::ipv4) and
    /// [`UdpTransport::ipv6`](crate::UdpTransport::ipv6)).
    #[error("no socket bound for the address family of {0}")]
    NoSocket(SocketAddr),
    /// The command generator gave up: no answer after every retry, a Report, tooBig...
    #[error(transparent)]
    Request(#[from] RequestError),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every reply carries one: keep it small.
    #[test]
    fn size_budget() {
        let size = size_of::<TransportError>();
        assert!(size <= 40, "{size}");
    }
}
