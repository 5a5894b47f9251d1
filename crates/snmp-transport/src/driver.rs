//! The driver task: one socket per address family (UDP) or one connection per agent (TCP)
//! and the command generator, moved by messages, requests and one timer. It makes no
//! protocol decision: the generator does.

use std::collections::HashMap;
use std::future::{Future, poll_fn};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use crate::tcp::{Incoming, Tcp};
use bytes::Bytes;
use snmp_engine::{CommandGenerator, Event, RequestError, RequestHandle};
use snmp_smi::BasicPdu;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Sleep;

use crate::client::Command;
use crate::{DatagramSocket, TransportError};

/// The most datagrams (or requests) taken in one turn, so that a flood of one cannot
/// starve the others.
const BATCH: usize = 256;

/// The runtime's clock, read in this one place. Tokio's, so that a paused test clock holds.
// The driver is the layer that reads the clock and hands `now` to the sans-IO generator.
#[allow(clippy::disallowed_methods)]
pub(crate) fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// A request in flight: who waits for it, and what went wrong sending it.
#[derive(Debug)]
struct Pending {
    reply: oneshot::Sender<Result<BasicPdu, TransportError>>,
    addr: SocketAddr,
    /// The last error of the socket sending to `addr` while this request was in flight.
    send_error: Option<Arc<io::Error>>,
}

/// What woke the driver.
#[derive(Debug)]
enum Wake {
    Command(Option<Command>),
    Readable(bool, io::Result<()>),
    /// A message or a failure from a TCP connection.
    Stream(Incoming),
    Timer,
}

/// The task that owns the sockets (or the connections) and the generator.
#[derive(Debug)]
pub(crate) struct Driver {
    generator: CommandGenerator,
    v4: Option<Box<dyn DatagramSocket>>,
    v6: Option<Box<dyn DatagramSocket>>,
    /// TCP instead of the UDP sockets (which are then `None`).
    tcp: Option<Tcp>,
    commands: mpsc::Receiver<Command>,
    /// Whether a `Client` may still send requests.
    open: bool,
    /// By handle, so that an outcome wakes only its own waiter.
    pending: HashMap<RequestHandle, Pending>,
    buf: Vec<u8>,
    /// Rotates the order in which [`Driver::wait`] polls its sources.
    turn: u8,
}

impl Driver {
    /// A driver of TCP connections, one per agent, made as requests need them.
    pub(crate) fn tcp(
        generator: CommandGenerator,
        tcp: Tcp,
        commands: mpsc::Receiver<Command>,
    ) -> Self {
        let mut driver = Self::new(generator, None, None, commands, 0);
        driver.tcp = Some(tcp);
        driver
    }

    pub(crate) fn new(
        generator: CommandGenerator,
        v4: Option<Box<dyn DatagramSocket>>,
        v6: Option<Box<dyn DatagramSocket>>,
        commands: mpsc::Receiver<Command>,
        recv_buffer_size: usize,
    ) -> Self {
        Self {
            generator,
            v4,
            v6,
            tcp: None,
            commands,
            open: true,
            pending: HashMap::new(),
            buf: vec![0; recv_buffer_size],
            turn: 0,
        }
    }

    /// Runs until every `Client` is gone and no request is in flight, or a socket fails.
    ///
    /// Each turn: send what the generator has to send, hand out its outcomes, set the one
    /// timer to its next deadline, wait for a request, a datagram or the timer, feed it in,
    /// read the clock and let the generator handle its timeouts.
    pub(crate) async fn run(mut self) -> io::Result<()> {
        let timer = tokio::time::sleep(Duration::ZERO);
        tokio::pin!(timer);
        loop {
            self.flush().await;
            self.deliver();
            if !self.open && self.pending.is_empty() && self.generator.pending() == 0 {
                return Ok(());
            }
            let deadline = self.generator.poll_timeout();
            if let Some(deadline) = deadline {
                let deadline = tokio::time::Instant::from_std(deadline);
                if timer.deadline() != deadline {
                    timer.as_mut().reset(deadline);
                }
            }
            let wake = self.wait(timer.as_mut(), deadline.is_some()).await;
            let now = now();
            match wake {
                Wake::Command(Some(command)) => {
                    self.on_command(now, command);
                    for _ in 1..BATCH {
                        let Ok(command) = self.commands.try_recv() else {
                            break;
                        };
                        self.on_command(now, command);
                    }
                }
                Wake::Command(None) => self.open = false,
                Wake::Readable(ipv4, Ok(())) => {
                    if let Err(error) = self.receive(now, ipv4) {
                        return Err(self.fail_all(error));
                    }
                }
                Wake::Readable(_, Err(error)) => return Err(self.fail_all(error)),
                Wake::Stream(Incoming::Message(from, data)) => {
                    self.generator.handle_datagram(now, from, data);
                }
                Wake::Stream(Incoming::Failed(addr, error)) => self.note_send_error(addr, error),
                Wake::Timer => {}
            }
            self.generator.handle_timeout(now);
        }
    }

    /// Waits for a request, a datagram or the timer (if `armed`). The sources are polled
    /// in turn from a rotating start, so that none starves the others.
    async fn wait(&mut self, mut timer: Pin<&mut Sleep>, armed: bool) -> Wake {
        self.turn = self.turn.wrapping_add(1);
        let first = self.turn;
        poll_fn(|cx| {
            for i in 0..4u8 {
                let ready = match first.wrapping_add(i) % 4 {
                    0 if self.open => self.commands.poll_recv(cx).map(Wake::Command),
                    1 if self.tcp.is_some() => match &mut self.tcp {
                        Some(tcp) => tcp.poll_incoming(cx).map(Wake::Stream),
                        None => Poll::Pending,
                    },
                    1 => poll_readable(self.v4.as_deref(), cx).map(|r| Wake::Readable(true, r)),
                    2 => poll_readable(self.v6.as_deref(), cx).map(|r| Wake::Readable(false, r)),
                    3 if armed => timer.as_mut().poll(cx).map(|()| Wake::Timer),
                    _ => Poll::Pending,
                };
                if ready.is_ready() {
                    return ready;
                }
            }
            Poll::Pending
        })
        .await
    }

    fn socket(&self, addr: SocketAddr) -> Option<&dyn DatagramSocket> {
        if addr.is_ipv4() {
            self.v4.as_deref()
        } else {
            self.v6.as_deref()
        }
    }

    fn on_command(&mut self, now: Instant, command: Command) {
        let (target, pdu, reply) = match command {
            Command::Request { target, pdu, reply } => (target, pdu, reply),
            Command::AddUser(user, done) => {
                self.generator.usm_mut().add_user(*user);
                let _ = done.send(());
                return;
            }
        };
        let addr = target.addr;
        if self.tcp.is_none() && self.socket(addr).is_none() {
            // The caller may have stopped waiting.
            let _ = reply.send(Err(TransportError::NoSocket(addr)));
            return;
        }
        if reply.is_closed() {
            return;
        }
        let handle = self.generator.send(now, &target, pdu);
        self.pending.insert(
            handle,
            Pending {
                reply,
                addr,
                send_error: None,
            },
        );
    }

    /// Feeds the generator the datagrams waiting on one socket (at most [`BATCH`]).
    fn receive(&mut self, now: Instant, ipv4: bool) -> io::Result<()> {
        let socket = if ipv4 { &self.v4 } else { &self.v6 };
        let Some(socket) = socket.as_deref() else {
            return Ok(());
        };
        for _ in 0..BATCH {
            match socket.try_recv_from(&mut self.buf) {
                Ok((len, from)) => {
                    let data = Bytes::copy_from_slice(self.buf.get(..len).unwrap_or_default());
                    self.generator.handle_datagram(now, from, data);
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                // An ICMP error about an earlier datagram (some systems report them on
                // unconnected sockets), or a signal: not the socket's failure.
                Err(error)
                    if matches!(
                        error.kind(),
                        io::ErrorKind::ConnectionRefused
                            | io::ErrorKind::ConnectionReset
                            | io::ErrorKind::Interrupted
                    ) => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    /// Sends every datagram the generator has queued. A datagram the socket refuses is lost
    /// as UDP may lose it (the generator retries); the error is kept for the requests to
    /// that address, and is their outcome if they then time out.
    async fn flush(&mut self) {
        while let Some(transmit) = self.generator.poll_transmit() {
            let destination = transmit.destination;
            if let Some(tcp) = &mut self.tcp {
                // Connection failures come back as `Incoming::Failed`.
                tcp.send(destination, transmit.contents);
                continue;
            }
            let sent = match self.socket(destination) {
                Some(socket) => {
                    poll_fn(|cx| socket.poll_send_to(cx, &transmit.contents, destination)).await
                }
                None => Err(io::Error::new(
                    io::ErrorKind::Unsupported,
                    "no socket of this address family",
                )),
            };
            if let Err(error) = sent {
                self.note_send_error(destination, error);
            }
        }
    }

    /// Keeps `error` for the requests in flight to `addr`: their outcome if they time out.
    fn note_send_error(&mut self, addr: SocketAddr, error: io::Error) {
        let error = Arc::new(error);
        for pending in self.pending.values_mut() {
            if pending.addr == addr {
                pending.send_error = Some(Arc::clone(&error));
            }
        }
    }

    /// Hands each outcome to its waiter.
    fn deliver(&mut self) {
        while let Some(event) = self.generator.poll_event() {
            let (handle, outcome) = match event {
                Event::Response {
                    handle, response, ..
                } => (handle, Ok(response)),
                Event::Failed { handle, error } => (handle, Err(error)),
                // An event of a later version of the generator, about no request of ours.
                _ => continue,
            };
            let Some(pending) = self.pending.remove(&handle) else {
                continue;
            };
            let outcome = outcome.map_err(|error| match (error, pending.send_error) {
                (RequestError::Timeout | RequestError::DiscoveryTimeout, Some(io)) => {
                    TransportError::Io(io)
                }
                (error, _) => TransportError::Request(error),
            });
            // The caller may have stopped waiting.
            let _ = pending.reply.send(outcome);
        }
    }

    /// Fails every request in flight with the socket's `error`, and returns it.
    fn fail_all(&mut self, error: io::Error) -> io::Error {
        let shared = Arc::new(io::Error::new(error.kind(), error.to_string()));
        for (_, pending) in self.pending.drain() {
            let _ = pending
                .reply
                .send(Err(TransportError::Io(Arc::clone(&shared))));
        }
        error
    }
}

/// Whether `socket` has a datagram to read; never without a socket.
fn poll_readable(
    socket: Option<&dyn DatagramSocket>,
    cx: &mut Context<'_>,
) -> Poll<io::Result<()>> {
    match socket {
        Some(socket) => socket.poll_recv_ready(cx),
        None => Poll::Pending,
    }
}
