//! The seam between the driver and the network: [`DatagramSocket`], which Tokio's
//! `UdpSocket` implements, and which users and tests implement to put the manager on a
//! network of their own (an in-memory one, a socket made with options of their own, a
//! tunnel), through [`UdpTransport::spawn_on`](crate::UdpTransport::spawn_on).

use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use bytes::Bytes;

/// A datagram socket the UDP driver runs on: readiness-based reads and sends, as Tokio's
/// `UdpSocket` offers them (which implements it).
///
/// Contract: [`poll_recv_ready`](Self::poll_recv_ready) returns `Ready(Ok(()))` when a
/// datagram may be waiting, and registers `cx`'s waker otherwise;
/// [`try_recv_from`](Self::try_recv_from) reads one datagram without waiting, or fails with
/// [`io::ErrorKind::WouldBlock`] when there is none (after which readiness is re-armed);
/// [`poll_send_to`](Self::poll_send_to) sends one whole datagram.
///
/// [`MemorySocket`] is one ready-made, for tests. An in-memory socket of one's own, its
/// datagrams in a queue:
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
pub trait DatagramSocket: Send + Sync + fmt::Debug + 'static {
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

/// A shared socket is a socket: keep an `Arc` to look at it (a [`MemorySocket`]'s counters)
/// while the driver owns the other.
impl<T: DatagramSocket> DatagramSocket for Arc<T> {
    fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        T::poll_recv_ready(self, cx)
    }

    fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        T::try_recv_from(self, buf)
    }

    fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        T::poll_send_to(self, cx, buf, target)
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        T::local_addr(self)
    }
}

/// The far end of a [`MemorySocket`]: given where a datagram was sent and the datagram, the
/// answer (from that address), or `None`.
type Peer = dyn FnMut(SocketAddr, &[u8]) -> Option<Bytes> + Send;

/// Datagrams waiting to be read, and the waker of the task waiting for one.
type Inbox = (VecDeque<(Bytes, SocketAddr)>, Option<Waker>);

/// An in-memory [`DatagramSocket`] for tests and simulations, after quinn-proto's `Pair`:
/// what the driver sends is handed to a closure (a sans-IO
/// [`CommandResponder`](snmp_engine::CommandResponder)'s `handle_datagram`, a scripted
/// agent), whose answer waits in the socket as a datagram from the address it was sent to.
/// No socket, no network. Keep an `Arc` of it (an `Arc<MemorySocket>` is a `DatagramSocket`
/// too) to lose datagrams ([`drop_next`](Self::drop_next)), count them
/// ([`sent`](Self::sent)), or deliver one nobody asked for ([`deliver`](Self::deliver)).
///
/// ```
/// use std::net::SocketAddr;
/// use std::sync::Arc;
/// use std::task::{Context, Waker};
/// use bytes::Bytes;
/// use snmp_transport::{DatagramSocket, MemorySocket};
///
/// // An "agent" that echoes what it is sent.
/// let socket = MemorySocket::new("192.0.2.100:40000".parse()?, |_to, datagram| {
///     Some(Bytes::copy_from_slice(datagram))
/// });
/// // What the driver would own: `UdpTransport::default().spawn_on(Some(Box::new(driver)),
/// // None, config, usm)`, or `snmp_hlapi::Manager::with_sockets`.
/// let driver: Arc<MemorySocket> = Arc::clone(&socket);
/// let agent: SocketAddr = "192.0.2.1:161".parse()?;
/// let mut cx = Context::from_waker(Waker::noop());
/// assert!(driver.poll_send_to(&mut cx, b"ping", agent).is_ready());
/// let mut buf = [0u8; 16];
/// assert_eq!(driver.try_recv_from(&mut buf)?, (4, agent));
/// socket.drop_next(1);
/// assert!(driver.poll_send_to(&mut cx, b"lost", agent).is_ready());
/// assert!(driver.try_recv_from(&mut buf).is_err());
/// assert_eq!(socket.sent(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct MemorySocket {
    local: SocketAddr,
    peer: Mutex<Box<Peer>>,
    inbox: Mutex<Inbox>,
    drop_next: AtomicUsize,
    sent: AtomicUsize,
}

impl fmt::Debug for MemorySocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemorySocket")
            .field("local", &self.local)
            .field("sent", &self.sent())
            .finish_non_exhaustive()
    }
}

impl MemorySocket {
    /// A socket bound to `local` (its address family decides which targets it serves) whose
    /// datagrams go to `peer`.
    pub fn new(
        local: SocketAddr,
        peer: impl FnMut(SocketAddr, &[u8]) -> Option<Bytes> + Send + 'static,
    ) -> Arc<Self> {
        Arc::new(Self {
            local,
            peer: Mutex::new(Box::new(peer)),
            inbox: Mutex::new((VecDeque::new(), None)),
            drop_next: AtomicUsize::new(0),
            sent: AtomicUsize::new(0),
        })
    }

    /// Loses the next `n` datagrams sent (they count as sent; the peer never sees them).
    pub fn drop_next(&self, n: usize) {
        self.drop_next.store(n, Ordering::Relaxed);
    }

    /// How many datagrams were sent through the socket, lost ones included.
    pub fn sent(&self) -> usize {
        self.sent.load(Ordering::Relaxed)
    }

    /// Puts a datagram from `from` in the socket, as if it had arrived (a notification, a
    /// late or duplicated answer).
    pub fn deliver(&self, datagram: Bytes, from: SocketAddr) {
        let mut inbox = self.inbox.lock().unwrap_or_else(PoisonError::into_inner);
        inbox.0.push_back((datagram, from));
        if let Some(waker) = inbox.1.take() {
            waker.wake();
        }
    }
}

impl DatagramSocket for MemorySocket {
    fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut inbox = self.inbox.lock().unwrap_or_else(PoisonError::into_inner);
        if inbox.0.is_empty() {
            inbox.1 = Some(cx.waker().clone());
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    }

    fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let (datagram, from) = self
            .inbox
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .0
            .pop_front()
            .ok_or(io::ErrorKind::WouldBlock)?;
        let n = datagram.len().min(buf.len());
        if let (Some(to), Some(from_bytes)) = (buf.get_mut(..n), datagram.get(..n)) {
            to.copy_from_slice(from_bytes);
        }
        Ok((n, from))
    }

    fn poll_send_to(
        &self,
        _: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        self.sent.fetch_add(1, Ordering::Relaxed);
        let lost = self
            .drop_next
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok();
        if !lost {
            let answer = (self.peer.lock().unwrap_or_else(PoisonError::into_inner))(target, buf);
            if let Some(answer) = answer {
                self.deliver(answer, target);
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.local)
    }
}
