//! The agent's side: UDP sockets and TCP listeners (RFC 3430) that feed a sans-IO
//! [`CommandResponder`] and send back what it answers.

use std::collections::HashMap;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use snmp_engine::{CommandResponder, Outgoing, ResponderEvent};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::{Notify, mpsc};
use tokio::task::JoinSet;

use crate::driver::now;

/// The largest SNMP message read from a TCP stream; a longer one closes the connection.
const MAX_TCP_MESSAGE: usize = 1 << 20;

/// A transport domain an agent listens on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// SNMP over UDP (RFC 3417 section 2), IPv4 or IPv6.
    Udp,
    /// SNMP over TCP (RFC 3430), IPv4 or IPv6.
    Tcp,
}

/// An address to listen on, as net-snmp's `agentAddress` names one (`udp:161`,
/// `tcp6:[::1]:1161`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ListenAddr {
    /// UDP or TCP.
    pub protocol: Protocol,
    /// The local address (port 0: any free port).
    pub addr: SocketAddr,
}

impl ListenAddr {
    /// A UDP address.
    pub const fn udp(addr: SocketAddr) -> Self {
        Self {
            protocol: Protocol::Udp,
            addr,
        }
    }

    /// A TCP address.
    pub const fn tcp(addr: SocketAddr) -> Self {
        Self {
            protocol: Protocol::Tcp,
            addr,
        }
    }
}

/// The responder, shared by the tasks that serve its sockets.
pub type SharedResponder = Arc<Mutex<CommandResponder>>;

/// A running agent transport: one task per UDP socket and TCP listener (and per TCP
/// connection), all feeding one [`CommandResponder`]. Dropping it (or [`shutdown`](Self::shutdown))
/// stops every task.
///
/// ```no_run
/// use std::sync::{Arc, Mutex};
/// use std::time::Instant;
/// use snmp_engine::{CommandResponder, ResponderConfig, SystemInfo};
/// use snmp_transport::{AgentTransport, ListenAddr};
/// use snmp_usm::Usm;
/// use snmp_vacm::Vacm;
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let now = Instant::now();
///     let usm = Usm::new("0x80001f88046167656e74".parse()?, 1, now, 7);
///     let mut vacm = Vacm::new();
///     vacm.rocommunity("public", None, None)?;
///     let responder = CommandResponder::new(ResponderConfig::default(), usm, vacm, SystemInfo::default(), now);
///     let agent = AgentTransport::bind(
///         Arc::new(Mutex::new(responder)),
///         &[ListenAddr::udp("127.0.0.1:1161".parse()?), ListenAddr::tcp("127.0.0.1:1161".parse()?)],
///     )
///     .await?;
///     println!("listening on {:?}", agent.local_addrs());
///     agent.run().await;
///     Ok(())
/// }
/// ```
#[derive(Debug)]
pub struct AgentTransport {
    responder: SharedResponder,
    local: Vec<ListenAddr>,
    tasks: JoinSet<()>,
    events: Option<mpsc::Receiver<ResponderEvent>>,
}

/// Events waiting for [`AgentTransport::take_events`]' reader; more are dropped.
const EVENT_QUEUE: usize = 64;

/// Where the answer to a forwarded request goes: the socket or connection the request came
/// in on.
#[derive(Debug)]
enum Sink {
    Udp(Arc<UdpSocket>),
    Tcp(mpsc::UnboundedSender<Bytes>),
}

/// What the tasks share: the responder, its event queue, and, for a proxy, the ways out.
#[derive(Debug)]
struct Shared {
    responder: SharedResponder,
    events: mpsc::Sender<ResponderEvent>,
    /// The listeners and connections, by the `via` token given to the responder.
    sinks: Mutex<HashMap<u64, Sink>>,
    next_via: AtomicU64,
    /// The proxy's own sockets (IPv4, IPv6), when the responder forwards.
    proxy: Option<(Arc<UdpSocket>, Option<Arc<UdpSocket>>)>,
    /// Wakes the proxy task when a forward may have changed the next timeout.
    wake: Notify,
}

impl Shared {
    fn register(&self, sink: Sink) -> u64 {
        let via = self.next_via.fetch_add(1, Ordering::Relaxed);
        self.sinks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(via, sink);
        via
    }

    fn unregister(&self, via: u64) {
        self.sinks
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&via);
    }

    /// Runs `f` on the responder, then passes on its events and sends what it queued.
    fn with<T>(&self, f: impl FnOnce(&mut CommandResponder) -> T) -> T {
        // A handler that panicked poisoned the lock, not the responder's invariants: go on.
        let mut responder = self
            .responder
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let out = f(&mut responder);
        while let Some(event) = responder.poll_event() {
            // Nobody reading, or too many waiting: the event is dropped.
            let _ = self.events.try_send(event);
        }
        let mut sent = false;
        while let Some(outgoing) = responder.poll_transmit() {
            sent = true;
            self.send(outgoing);
        }
        drop(responder);
        if sent {
            self.wake.notify_one();
        }
        out
    }

    /// Sends without waiting: a datagram that does not fit the socket buffer now is lost,
    /// as UDP loses one (the proxy's retries cover its requests).
    fn send(&self, outgoing: Outgoing) {
        match outgoing {
            Outgoing::ToTarget(t) => {
                let socket = match (&self.proxy, t.destination) {
                    (Some((v4, _)), SocketAddr::V4(_)) => Some(v4),
                    (Some((_, v6)), SocketAddr::V6(_)) => v6.as_ref(),
                    (None, _) => None,
                };
                if let Some(socket) = socket {
                    let _ = socket.try_send_to(&t.contents, t.destination);
                }
            }
            Outgoing::Answer {
                peer,
                via,
                contents,
            } => {
                let sinks = self.sinks.lock().unwrap_or_else(PoisonError::into_inner);
                match sinks.get(&via) {
                    Some(Sink::Udp(socket)) => {
                        let _ = socket.try_send_to(&contents, peer);
                    }
                    Some(Sink::Tcp(tx)) => {
                        let _ = tx.send(contents);
                    }
                    // The connection closed meanwhile.
                    None => {}
                }
            }
            _ => {}
        }
    }

    /// Runs the responder on one datagram or stream message.
    fn answer(&self, peer: SocketAddr, via: u64, data: &Bytes) -> Option<Bytes> {
        self.with(|r| r.handle_datagram_via(now(), peer, via, data))
    }
}

impl AgentTransport {
    /// Binds every address and starts serving `responder` on the current Tokio runtime.
    ///
    /// # Errors
    /// The first address that cannot be bound.
    pub async fn bind(responder: SharedResponder, addrs: &[ListenAddr]) -> io::Result<Self> {
        let mut tasks = JoinSet::new();
        let mut local = Vec::with_capacity(addrs.len());
        let (events_tx, events) = mpsc::channel(EVENT_QUEUE);
        let proxies = responder
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .proxy()
            .is_some();
        let proxy = if proxies {
            // The proxy's requests go out from sockets of their own, so that the targets'
            // answers come back to the proxy, never to the listeners.
            let v4 = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).await?;
            let v6 = UdpSocket::bind((Ipv6Addr::UNSPECIFIED, 0)).await.ok();
            Some((Arc::new(v4), v6.map(Arc::new)))
        } else {
            None
        };
        let shared = Arc::new(Shared {
            responder: responder.clone(),
            events: events_tx,
            sinks: Mutex::new(HashMap::new()),
            next_via: AtomicU64::new(0),
            proxy,
            wake: Notify::new(),
        });
        for listen in addrs {
            match listen.protocol {
                Protocol::Udp => {
                    let socket = Arc::new(UdpSocket::bind(listen.addr).await?);
                    local.push(ListenAddr::udp(socket.local_addr()?));
                    let via = shared.register(Sink::Udp(socket.clone()));
                    tasks.spawn(serve_udp(socket, via, shared.clone()));
                }
                Protocol::Tcp => {
                    let listener = TcpListener::bind(listen.addr).await?;
                    local.push(ListenAddr::tcp(listener.local_addr()?));
                    tasks.spawn(serve_tcp(listener, shared.clone()));
                }
            }
        }
        if shared.proxy.is_some() {
            tasks.spawn(serve_proxy(shared));
        }
        Ok(Self {
            responder,
            local,
            tasks,
            events: Some(events),
        })
    }

    /// The addresses bound, in the order given (with the ports chosen for port 0).
    pub fn local_addrs(&self) -> &[ListenAddr] {
        &self.local
    }

    /// The responder, to change its MIB, users or tables while it serves.
    pub fn responder(&self) -> &SharedResponder {
        &self.responder
    }

    /// The responder's events ([`ResponderEvent`]: authentication failures, when
    /// snmpEnableAuthenTraps is on), for the first caller; at most 64 wait, newer ones are
    /// dropped while the reader lags.
    pub fn take_events(&mut self) -> Option<mpsc::Receiver<ResponderEvent>> {
        self.events.take()
    }

    /// Serves until every socket task ends (a socket error), or forever.
    pub async fn run(mut self) {
        while self.tasks.join_next().await.is_some() {}
    }

    /// Stops serving.
    pub async fn shutdown(mut self) {
        self.tasks.shutdown().await;
    }
}

async fn serve_udp(socket: Arc<UdpSocket>, via: u64, shared: Arc<Shared>) {
    let mut buf = vec![0u8; 65535];
    loop {
        let (n, peer) = match socket.recv_from(&mut buf).await {
            Ok(r) => r,
            // ICMP errors of earlier sends surface here on some systems: not fatal.
            Err(e) if is_transient(&e) => continue,
            Err(_) => return,
        };
        let data = Bytes::copy_from_slice(buf.get(..n).unwrap_or_default());
        if let Some(reply) = shared.answer(peer, via, &data) {
            // A send that fails (the manager went away) loses one answer, as UDP does.
            let _ = socket.send_to(&reply, peer).await;
        }
    }
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
            | io::ErrorKind::WouldBlock
    )
}

/// The proxy's side: the targets' answers and the forwarded requests' timers.
async fn serve_proxy(shared: Arc<Shared>) {
    let Some((v4, v6)) = shared.proxy.clone() else {
        return;
    };
    let mut buf4 = vec![0u8; 65535];
    let mut buf6 = vec![0u8; 65535];
    loop {
        let deadline = shared
            .responder
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .poll_timeout();
        let timer = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(tokio::time::Instant::from_std(d)).await,
                None => std::future::pending().await,
            }
        };
        let recv6 = async {
            match &v6 {
                Some(s) => s
                    .recv_from(&mut buf6)
                    .await
                    .map(|(n, from)| buf6.get(..n).map(|b| (Bytes::copy_from_slice(b), from))),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            r = v4.recv_from(&mut buf4) => match r {
                Ok((n, from)) => {
                    let data = Bytes::copy_from_slice(buf4.get(..n).unwrap_or_default());
                    shared.with(|r| r.handle_proxy_datagram(now(), from, data));
                }
                Err(e) if is_transient(&e) => {}
                Err(_) => return,
            },
            r = recv6 => match r {
                Ok(Some((data, from))) => shared.with(|r| r.handle_proxy_datagram(now(), from, data)),
                Ok(None) => {}
                Err(e) if is_transient(&e) => {}
                Err(_) => return,
            },
            () = timer => shared.with(|r| r.handle_timeout(now())),
            () = shared.wake.notified() => {}
        }
    }
}

async fn serve_tcp(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve_connection(stream, peer, shared.clone()));
                }
                Err(e) if is_transient(&e) || e.kind() == io::ErrorKind::ConnectionAborted => {}
                Err(_) => return,
            },
            // Reap finished connections.
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// RFC 3430: the messages follow each other on the stream, each a complete BER SEQUENCE.
async fn serve_connection(stream: TcpStream, peer: SocketAddr, shared: Arc<Shared>) {
    let (tx, mut deferred) = mpsc::unbounded_channel();
    let via = shared.register(Sink::Tcp(tx));
    serve_stream(stream, peer, via, &shared, &mut deferred).await;
    shared.unregister(via);
}

async fn serve_stream(
    mut stream: TcpStream,
    peer: SocketAddr,
    via: u64,
    shared: &Shared,
    deferred: &mut mpsc::UnboundedReceiver<Bytes>,
) {
    let mut buf = BytesMut::with_capacity(4096);
    loop {
        match message_length(&buf) {
            Frame::Complete(len) => {
                let message = buf.split_to(len).freeze();
                if let Some(reply) = shared.answer(peer, via, &message)
                    && stream.write_all(&reply).await.is_err()
                {
                    return;
                }
            }
            Frame::Incomplete => tokio::select! {
                read = stream.read_buf(&mut buf) => match read {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                },
                // The answer to a request a proxy forwarded.
                Some(answer) = deferred.recv() => {
                    if stream.write_all(&answer).await.is_err() {
                        return;
                    }
                }
            },
            Frame::Invalid => return,
        }
    }
}

/// What the front of a TCP stream holds.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Frame {
    /// A whole message of this many octets.
    Complete(usize),
    /// Not enough octets yet.
    Incomplete,
    /// Not a SEQUENCE, an indefinite or over-long length: the stream cannot be resynchronised.
    Invalid,
}

pub(crate) fn message_length(buf: &[u8]) -> Frame {
    let (Some(&tag), Some(&first)) = (buf.first(), buf.get(1)) else {
        return Frame::Incomplete;
    };
    if tag != 0x30 {
        return Frame::Invalid;
    }
    let (header, content) = if first < 0x80 {
        (2, usize::from(first))
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 {
            return Frame::Invalid;
        }
        let Some(octets) = buf.get(2..2 + n) else {
            return Frame::Incomplete;
        };
        let len = octets
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (2 + n, len)
    };
    let total = header + content;
    if total > MAX_TCP_MESSAGE {
        Frame::Invalid
    } else if buf.len() >= total {
        Frame::Complete(total)
    } else {
        Frame::Incomplete
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tcp_framing() {
        assert_eq!(message_length(&[]), Frame::Incomplete);
        assert_eq!(message_length(&[0x30]), Frame::Incomplete);
        assert_eq!(message_length(&[0x30, 0x02, 0x05]), Frame::Incomplete);
        assert_eq!(
            message_length(&[0x30, 0x02, 0x05, 0x00, 0x30]),
            Frame::Complete(4)
        );
        assert_eq!(
            message_length(&[0x30, 0x81, 0x01, 0x05]),
            Frame::Complete(4)
        );
        assert_eq!(message_length(&[0x30, 0x82, 0x01]), Frame::Incomplete);
        assert_eq!(message_length(&[0x02, 0x01, 0x00]), Frame::Invalid);
        assert_eq!(message_length(&[0x30, 0x80]), Frame::Invalid);
        assert_eq!(message_length(&[0x30, 0x85, 0, 0, 0, 0, 1]), Frame::Invalid);
        assert_eq!(
            message_length(&[0x30, 0x84, 0x7f, 0xff, 0xff, 0xff]),
            Frame::Invalid
        );
    }
}
