//! The seam between the driver and the network: [`DatagramSocket`], which Tokio's
//! `UdpSocket` implements, and which users and tests implement to put the manager on a
//! network of their own (an in-memory one, a socket made with options of their own, a
//! tunnel), through [`UdpTransport::spawn_on`](crate::UdpTransport::spawn_on).

use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};

/// A datagram socket the UDP driver runs on: readiness-based reads and sends, as Tokio's
/// `UdpSocket` offers them (which implements it).
///
/// Contract: [`poll_recv_ready`](Self::poll_recv_ready) returns `Ready(Ok(()))` when a
/// datagram may be waiting, and registers `cx`'s waker otherwise;
/// [`try_recv_from`](Self::try_recv_from) reads one datagram without waiting, or fails with
/// [`io::ErrorKind::WouldBlock`] when there is none (after which readiness is re-armed);
/// [`poll_send_to`](Self::poll_send_to) sends one whole datagram.
///
/// An in-memory socket for a test, its datagrams in a queue:
///
/// ```
/// use std::collections::VecDeque;
/// use std::io;
/// use std::net::SocketAddr;
/// use std::sync::Mutex;
/// use std::task::{Context, Poll, Waker};
/// use snmp_transport::DatagramSocket;
///
/// #[derive(Debug, Default)]
/// struct Queue {
///     inbox: Mutex<(VecDeque<(Vec<u8>, SocketAddr)>, Option<Waker>)>,
///     sent: Mutex<Vec<(Vec<u8>, SocketAddr)>>,
/// }
///
/// impl DatagramSocket for Queue {
///     fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
///         let mut inbox = self.inbox.lock().unwrap();
///         if inbox.0.is_empty() {
///             inbox.1 = Some(cx.waker().clone());
///             Poll::Pending
///         } else {
///             Poll::Ready(Ok(()))
///         }
///     }
///     fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
///         let (datagram, from) = self.inbox.lock().unwrap().0.pop_front()
///             .ok_or(io::ErrorKind::WouldBlock)?;
///         let n = datagram.len().min(buf.len());
///         buf[..n].copy_from_slice(&datagram[..n]);
///         Ok((n, from))
///     }
///     fn poll_send_to(&self, _: &mut Context<'_>, buf: &[u8], to: SocketAddr) -> Poll<io::Result<usize>> {
///         self.sent.lock().unwrap().push((buf.to_vec(), to));
///         Poll::Ready(Ok(buf.len()))
///     }
///     fn local_addr(&self) -> io::Result<SocketAddr> {
///         Ok("192.0.2.100:40000".parse().unwrap())
///     }
/// }
///
/// let socket = Queue::default();
/// socket.inbox.lock().unwrap().0.push_back((vec![0x30, 0x00], "192.0.2.1:161".parse().unwrap()));
/// let mut buf = [0u8; 16];
/// assert_eq!(socket.try_recv_from(&mut buf).unwrap().0, 2);
/// assert_eq!(socket.try_recv_from(&mut buf).unwrap_err().kind(), io::ErrorKind::WouldBlock);
/// // Then, in a Tokio runtime: `UdpTransport::default().spawn_on(Some(Box::new(socket)), None,
/// // config, usm)` gives a `Client` whose requests go through it.
/// ```
pub trait DatagramSocket: Send + Sync + std::fmt::Debug + 'static {
    /// Polls until a datagram may be read.
    ///
    /// # Errors
    /// The socket failed: the driver stops and fails the requests in flight.
    fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>>;

    /// Reads one datagram into `buf` without waiting: its length (truncated to `buf`) and
    /// its source.
    ///
    /// # Errors
    /// [`io::ErrorKind::WouldBlock`] when none is waiting; `ConnectionRefused`,
    /// `ConnectionReset` and `Interrupted` are taken as transient; any other error stops
    /// the driver.
    fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)>;

    /// Sends `buf` as one datagram to `target`.
    ///
    /// # Errors
    /// The datagram could not be sent: it is lost (the generator retries), and the error is
    /// the outcome of the requests to `target` if they time out.
    fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>>;

    /// The address it is bound to (its family decides which agents it serves).
    ///
    /// # Errors
    /// As the operating system reports.
    fn local_addr(&self) -> io::Result<SocketAddr>;
}

impl DatagramSocket for tokio::net::UdpSocket {
    fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Self::poll_recv_ready(self, cx)
    }

    fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        Self::try_recv_from(self, buf)
    }

    fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        Self::poll_send_to(self, cx, buf, target)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Self::local_addr(self)
    }
}
