//! The agent's side: UDP sockets and TCP listeners (RFC 3430) that feed a sans-IO
//! [`CommandResponder`] and send back what it answers.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::{Bytes, BytesMut};
use snmp_engine::{CommandResponder, ResponderEvent};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::sync::mpsc;
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

/// Runs the responder on one datagram or stream message, and passes on its events.
fn answer(
    responder: &SharedResponder,
    events: &mpsc::Sender<ResponderEvent>,
    peer: SocketAddr,
    data: &Bytes,
) -> Option<Bytes> {
    // A handler that panicked poisoned the lock, not the responder's invariants: go on.
    let mut responder = responder.lock().unwrap_or_else(PoisonError::into_inner);
    let reply = responder.handle_datagram(now(), peer, data);
    while let Some(event) = responder.poll_event() {
        // Nobody reading, or too many waiting: the event is dropped.
        let _ = events.try_send(event);
    }
    reply
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
        for listen in addrs {
            match listen.protocol {
                Protocol::Udp => {
                    let socket = UdpSocket::bind(listen.addr).await?;
                    local.push(ListenAddr::udp(socket.local_addr()?));
                    tasks.spawn(serve_udp(socket, responder.clone(), events_tx.clone()));
                }
                Protocol::Tcp => {
                    let listener = TcpListener::bind(listen.addr).await?;
                    local.push(ListenAddr::tcp(listener.local_addr()?));
                    tasks.spawn(serve_tcp(listener, responder.clone(), events_tx.clone()));
                }
            }
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

async fn serve_udp(
    socket: UdpSocket,
    responder: SharedResponder,
    events: mpsc::Sender<ResponderEvent>,
) {
    let mut buf = vec![0u8; 65535];
    loop {
        let (n, peer) = match socket.recv_from(&mut buf).await {
            Ok(r) => r,
            // ICMP errors of earlier sends surface here on some systems: not fatal.
            Err(e) if is_transient(&e) => continue,
            Err(_) => return,
        };
        let data = Bytes::copy_from_slice(buf.get(..n).unwrap_or_default());
        if let Some(reply) = answer(&responder, &events, peer, &data) {
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

async fn serve_tcp(
    listener: TcpListener,
    responder: SharedResponder,
    events: mpsc::Sender<ResponderEvent>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    connections.spawn(serve_connection(stream, peer, responder.clone(), events.clone()));
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
async fn serve_connection(
    mut stream: TcpStream,
    peer: SocketAddr,
    responder: SharedResponder,
    events: mpsc::Sender<ResponderEvent>,
) {
    let mut buf = BytesMut::with_capacity(4096);
    loop {
        match message_length(&buf) {
            Frame::Complete(len) => {
                let message = buf.split_to(len).freeze();
                if let Some(reply) = answer(&responder, &events, peer, &message)
                    && stream.write_all(&reply).await.is_err()
                {
                    return;
                }
            }
            Frame::Incomplete => match stream.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
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
