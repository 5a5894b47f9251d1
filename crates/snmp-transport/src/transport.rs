//! The UDP transport's configuration, and the start of its driver.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use snmp_engine::{CommandGenerator, GeneratorConfig};
use snmp_usm::Usm;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::driver::Driver;
use crate::{Client, DatagramSocket};

/// The largest UDP payload over IPv6 (65535 less the UDP header) is 65527; a buffer of 65535
/// holds any datagram.
const DEFAULT_RECV_BUFFER: usize = 65535;
/// How many requests may wait in the channel to the driver before `request` waits too.
const DEFAULT_REQUEST_QUEUE: usize = 1024;

/// The SNMP transport over UDP (RFC 3417 section 2): one socket per address family, owned
/// with a [`CommandGenerator`] by one driver task. `Default` plus setters; then
/// [`spawn`](Self::spawn), or [`bind`](Self::bind) for one socket in one call.
///
/// By default it binds `0.0.0.0:0` and `[::]:0` (ephemeral ports), the IPv6 one only if the
/// host has IPv6; an agent of a family without a socket is refused with
/// [`TransportError::NoSocket`](crate::TransportError::NoSocket).
///
/// ```
/// use snmp_transport::UdpTransport;
///
/// let mut transport = UdpTransport::default();
/// transport.ipv6(None).recv_buffer_size(8192).request_queue(64);
/// ```
#[derive(Clone, Debug)]
pub struct UdpTransport {
    ipv4: Local,
    ipv6: Local,
    recv_buffer_size: usize,
    request_queue: usize,
    socket_recv_buffer: Option<usize>,
}

/// Where to bind a family's socket.
#[derive(Clone, Copy, Debug)]
enum Local {
    /// The default wildcard; skipped if it cannot be bound.
    Auto(SocketAddr),
    /// Asked for: failing to bind it is an error.
    Bind(SocketAddr),
    /// No socket of this family.
    Off,
}

impl Default for UdpTransport {
    fn default() -> Self {
        Self {
            ipv4: Local::Auto(SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0))),
            ipv6: Local::Auto(SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0))),
            recv_buffer_size: DEFAULT_RECV_BUFFER,
            request_queue: DEFAULT_REQUEST_QUEUE,
            socket_recv_buffer: None,
        }
    }
}

impl UdpTransport {
    /// Binds one socket at `local` (its address family is the only one served), spawns the
    /// driver of a [`CommandGenerator`] made of `config` and `usm`, and returns a [`Client`]
    /// and the driver's task (see [`spawn`](Self::spawn)).
    ///
    /// # Errors
    ///
    /// The socket cannot be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn bind(
        local: SocketAddr,
        config: GeneratorConfig,
        usm: Usm,
    ) -> io::Result<(Client, JoinHandle<io::Result<()>>)> {
        let mut transport = Self::default();
        if local.is_ipv4() {
            transport.ipv4(Some(local)).ipv6(None);
        } else {
            transport.ipv4(None).ipv6(Some(local));
        }
        transport.spawn(config, usm).await
    }

    /// Where to bind the IPv4 socket (`None`: no IPv4). Default: `0.0.0.0:0`.
    pub fn ipv4(&mut self, local: Option<SocketAddr>) -> &mut Self {
        self.ipv4 = local.map_or(Local::Off, Local::Bind);
        self
    }

    /// Where to bind the IPv6 socket (`None`: no IPv6). Default: `[::]:0` if the host has
    /// IPv6. IPv4-mapped agent addresses (`::ffff:a.b.c.d`) go through it.
    pub fn ipv6(&mut self, local: Option<SocketAddr>) -> &mut Self {
        self.ipv6 = local.map_or(Local::Off, Local::Bind);
        self
    }

    /// The size of the buffer datagrams are read into (default 65535, enough for any UDP
    /// datagram); a longer datagram is truncated, and then dropped by the generator as
    /// malformed. At least 484 octets, the smallest message size SNMP allows (RFC 3417
    /// section 3). This is the application's buffer, not the socket's `SO_RCVBUF`.
    pub fn recv_buffer_size(&mut self, bytes: usize) -> &mut Self {
        self.recv_buffer_size = bytes.max(484);
        self
    }

    /// How many requests may wait for the driver to take them before
    /// [`Client::request`] waits for room (default 1024, at least 1).
    pub fn request_queue(&mut self, requests: usize) -> &mut Self {
        self.request_queue = requests.max(1);
        self
    }

    /// The kernel's receive buffer of the sockets (`SO_RCVBUF`), so that a burst of answers
    /// (hundreds of agents answering at once) is not dropped before the driver reads it.
    /// The kernel may cap it (Linux: `net.core.rmem_max`) and doubles it for its own
    /// accounting. Default: the system's (about 208 KiB on Linux). On systems other than
    /// Unix the setting is ignored.
    pub fn socket_recv_buffer(&mut self, bytes: usize) -> &mut Self {
        self.socket_recv_buffer = Some(bytes);
        self
    }

    /// Binds the sockets, spawns the driver of a [`CommandGenerator`] made of `config` and
    /// `usm` on the current Tokio runtime, and returns a [`Client`] and the driver's task.
    ///
    /// The task ends when every `Client` is dropped and no request is in flight (`Ok`), or
    /// when a socket fails to receive (`Err`; the requests in flight fail with
    /// [`TransportError::Io`](crate::TransportError::Io)).
    ///
    /// # Errors
    ///
    /// A socket asked for cannot be bound, an address given is of the wrong family, or no
    /// socket at all could be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn spawn(
        &self,
        config: GeneratorConfig,
        usm: Usm,
    ) -> io::Result<(Client, JoinHandle<io::Result<()>>)> {
        let v4 = bind(self.ipv4, true).await?;
        let v6 = bind(self.ipv6, false).await?;
        let mut local = Vec::new();
        for socket in v4.iter().chain(v6.iter()) {
            local.push(socket.local_addr()?);
            if let Some(bytes) = self.socket_recv_buffer {
                set_recv_buffer(socket, bytes)?;
            }
        }
        if local.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no socket bound: neither IPv4 nor IPv6",
            ));
        }
        let boxed = |s: UdpSocket| -> Box<dyn DatagramSocket> { Box::new(s) };
        Ok(self.start(v4.map(boxed), v6.map(boxed), local, config, usm))
    }

    /// As [`spawn`](Self::spawn), on sockets of the caller's own (the seam for a network of
    /// one's own: an in-memory one in a test, a socket with options set by the caller): an
    /// IPv4 one and an IPv6 one, either optional. The addresses to bind and the receive
    /// buffer's size set here are not used; the buffer the datagrams are read into and the
    /// request queue are.
    ///
    /// # Errors
    ///
    /// Neither socket given, or one whose address is of the other family.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn spawn_on(
        &self,
        v4: Option<Box<dyn DatagramSocket>>,
        v6: Option<Box<dyn DatagramSocket>>,
        config: GeneratorConfig,
        usm: Usm,
    ) -> io::Result<(Client, JoinHandle<io::Result<()>>)> {
        let mut local = Vec::new();
        for (socket, ipv4) in [(&v4, true), (&v6, false)] {
            if let Some(socket) = socket {
                let addr = socket.local_addr()?;
                if addr.is_ipv4() != ipv4 {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("{addr} is not an address of the socket's family"),
                    ));
                }
                local.push(addr);
            }
        }
        if local.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no socket given: neither IPv4 nor IPv6",
            ));
        }
        Ok(self.start(v4, v6, local, config, usm))
    }

    fn start(
        &self,
        v4: Option<Box<dyn DatagramSocket>>,
        v6: Option<Box<dyn DatagramSocket>>,
        local: Vec<SocketAddr>,
        config: GeneratorConfig,
        usm: Usm,
    ) -> (Client, JoinHandle<io::Result<()>>) {
        let (commands, receiver) = mpsc::channel(self.request_queue);
        let generator = CommandGenerator::new(config, usm);
        let driver = Driver::new(generator, v4, v6, receiver, self.recv_buffer_size);
        let task = tokio::spawn(driver.run());
        (Client::new(commands, Arc::from(local)), task)
    }
}

/// `SO_RCVBUF` of `socket`.
pub(crate) fn set_recv_buffer(socket: &UdpSocket, bytes: usize) -> io::Result<()> {
    #[cfg(unix)]
    {
        // Beyond the system's limit (net.core.rmem_max) with the privilege to, within it
        // otherwise.
        if rustix::net::sockopt::set_socket_recv_buffer_size_force(socket, bytes).is_err() {
            rustix::net::sockopt::set_socket_recv_buffer_size(socket, bytes)?;
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (socket, bytes);
    }
    Ok(())
}

/// `SO_RCVBUF` of `socket` as the kernel reports it (`None` where unknown).
#[cfg(test)]
pub(crate) fn recv_buffer(socket: &UdpSocket) -> Option<usize> {
    #[cfg(unix)]
    {
        rustix::net::sockopt::socket_recv_buffer_size(socket).ok()
    }
    #[cfg(not(unix))]
    {
        let _ = socket;
        None
    }
}

async fn bind(local: Local, ipv4: bool) -> io::Result<Option<UdpSocket>> {
    match local {
        Local::Off => Ok(None),
        Local::Auto(addr) => Ok(UdpSocket::bind(addr).await.ok()),
        Local::Bind(addr) if addr.is_ipv4() != ipv4 => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{addr} is not an address of the socket's family"),
        )),
        Local::Bind(addr) => UdpSocket::bind(addr).await.map(Some),
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_kernel_buffer_is_set() {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        set_recv_buffer(&socket, 100_000).unwrap();
        // Linux reports twice what was set (its bookkeeping), never less than was asked.
        let got = recv_buffer(&socket).unwrap();
        assert!(got >= 100_000, "{got}");
        set_recv_buffer(&socket, 4096).unwrap();
        assert!(recv_buffer(&socket).unwrap() < got);
    }
}
