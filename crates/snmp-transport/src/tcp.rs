//! The manager over TCP (RFC 3430): one connection per agent, opened when a request first
//! goes to it and again after the agent closed it; the messages follow each other on the
//! stream, each a complete BER SEQUENCE.

use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use snmp_engine::{CommandGenerator, GeneratorConfig};
use snmp_usm::Usm;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::Client;
use crate::driver::Driver;
use crate::server::{Frame, message_length};

/// How many requests may wait in the channel to the driver before `request` waits too.
const DEFAULT_REQUEST_QUEUE: usize = 1024;
/// How many messages received may wait for the driver before the connections stop reading.
const INCOMING_QUEUE: usize = 256;
/// How long a connection may take to open before its requests see it fail.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// The SNMP transport over TCP (RFC 3430) of a [`CommandGenerator`]: one driver task, and
/// one connection per agent, opened by the first request to it, kept open for the next
/// ones, and opened again when the agent has closed it. A request's retries (the
/// generator's) go over the same connection while it stays open.
///
/// A connection that cannot be opened fails the requests to that agent once they time
/// out, with [`TransportError::Io`](crate::TransportError::Io) naming why (refused,
/// unreachable); the next try opens a new one.
///
/// ```no_run
/// use std::time::Instant;
/// use snmp_engine::{GeneratorConfig, RequestPdu, Target};
/// use snmp_smi::oid;
/// use snmp_transport::TcpTransport;
/// use snmp_usm::Usm;
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     let usm = Usm::new("0x80001f88046d6772".parse()?, 1, Instant::now(), 0);
///     let (client, driver) = TcpTransport::default().spawn(GeneratorConfig::default(), usm);
///     let agent = Target::v2c("192.0.2.1:161".parse()?, "public");
///     let response = client
///         .request(agent, RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]))
///         .await?;
///     println!("{}", response.varbinds[0]);
///     drop(client);
///     driver.await??;
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug)]
pub struct TcpTransport {
    request_queue: usize,
    connect_timeout: Duration,
}

impl Default for TcpTransport {
    fn default() -> Self {
        Self {
            request_queue: DEFAULT_REQUEST_QUEUE,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
        }
    }
}

impl TcpTransport {
    /// How many requests may wait for the driver to take them before
    /// [`Client::request`] waits for room (default 1024, at least 1).
    pub fn request_queue(&mut self, requests: usize) -> &mut Self {
        self.request_queue = requests.max(1);
        self
    }

    /// How long opening a connection may take (default 5 seconds); past it the attempt
    /// fails as a refused connection does.
    pub fn connect_timeout(&mut self, timeout: Duration) -> &mut Self {
        self.connect_timeout = timeout;
        self
    }

    /// Spawns the driver of a [`CommandGenerator`] made of `config` and `usm` on the
    /// current Tokio runtime, and returns a [`Client`] (with no local address: each
    /// connection has its own) and the driver's task, which ends when every `Client` is
    /// dropped and no request is in flight. Nothing is connected before a request.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn spawn(&self, config: GeneratorConfig, usm: Usm) -> (Client, JoinHandle<io::Result<()>>) {
        let (commands, receiver) = mpsc::channel(self.request_queue);
        let generator = CommandGenerator::new(config, usm);
        let driver = Driver::tcp(generator, Tcp::new(self.connect_timeout), receiver);
        let task = tokio::spawn(driver.run());
        (Client::new(commands, Arc::from(Vec::new())), task)
    }
}

/// What a connection tells the driver.
#[derive(Debug)]
pub(crate) enum Incoming {
    /// A whole message from the agent at this address.
    Message(SocketAddr, Bytes),
    /// The connection to this address could not be opened or written to.
    Failed(SocketAddr, io::Error),
}

/// The driver's connections.
#[derive(Debug)]
pub(crate) struct Tcp {
    /// The messages to send on each connection, taken by its task.
    connections: HashMap<SocketAddr, mpsc::UnboundedSender<Bytes>>,
    incoming_tx: mpsc::Sender<Incoming>,
    incoming: mpsc::Receiver<Incoming>,
    connect_timeout: Duration,
}

impl Tcp {
    fn new(connect_timeout: Duration) -> Self {
        let (incoming_tx, incoming) = mpsc::channel(INCOMING_QUEUE);
        Self {
            connections: HashMap::new(),
            incoming_tx,
            incoming,
            connect_timeout,
        }
    }

    /// Queues `message` on the connection to `addr`, opening one if there is none or the
    /// last one has closed.
    pub(crate) fn send(&mut self, addr: SocketAddr, message: Bytes) {
        let message = match self.connections.get(&addr) {
            Some(connection) => match connection.send(message) {
                Ok(()) => return,
                // Its task has ended: the connection closed.
                Err(mpsc::error::SendError(message)) => message,
            },
            None => message,
        };
        // Forget the connections that have closed, so that agents queried once do not
        // accumulate.
        self.connections.retain(|_, c| !c.is_closed());
        let (tx, rx) = mpsc::unbounded_channel();
        // The receiver is alive: the task is not spawned yet.
        let _ = tx.send(message);
        self.connections.insert(addr, tx);
        tokio::spawn(connection(
            addr,
            self.connect_timeout,
            rx,
            self.incoming_tx.clone(),
        ));
    }

    /// A message or a failure from any connection. Never ends: the driver holds a sender.
    pub(crate) fn poll_incoming(&mut self, cx: &mut Context<'_>) -> Poll<Incoming> {
        match self.incoming.poll_recv(cx) {
            Poll::Ready(Some(incoming)) => Poll::Ready(incoming),
            Poll::Ready(None) | Poll::Pending => Poll::Pending,
        }
    }
}

/// One connection's task: opens it, writes what the driver queues and hands back each
/// message read, until the driver drops the queue, the agent closes the stream, or it
/// fails. Failing to open or to write is reported; a closed stream is not (the requests
/// still in flight are retried on a new connection).
async fn connection(
    addr: SocketAddr,
    connect_timeout: Duration,
    mut outgoing: mpsc::UnboundedReceiver<Bytes>,
    incoming: mpsc::Sender<Incoming>,
) {
    let stream = match tokio::time::timeout(connect_timeout, TcpStream::connect(addr)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => {
            let _ = incoming.send(Incoming::Failed(addr, error)).await;
            return;
        }
        Err(_) => {
            let error = io::Error::new(io::ErrorKind::TimedOut, "connecting took too long");
            let _ = incoming.send(Incoming::Failed(addr, error)).await;
            return;
        }
    };
    // Requests are small and each waits for its answer: do not hold them back.
    let _ = stream.set_nodelay(true);
    let (mut reader, mut writer) = stream.into_split();
    let mut buf = BytesMut::with_capacity(4096);
    loop {
        // Every whole message already read goes to the driver first.
        loop {
            match message_length(&buf) {
                Frame::Complete(len) => {
                    let message = buf.split_to(len).freeze();
                    if incoming
                        .send(Incoming::Message(addr, message))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
                Frame::Incomplete => break,
                // Not SNMP, or too long: the stream cannot be resynchronised.
                Frame::Invalid => return,
            }
        }
        tokio::select! {
            message = outgoing.recv() => {
                let Some(message) = message else { return };
                if let Err(error) = writer.write_all(&message).await {
                    let _ = incoming.send(Incoming::Failed(addr, error)).await;
                    return;
                }
            }
            read = reader.read_buf(&mut buf) => match read {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tokio::net::TcpListener;

    /// Reads one message (a one-octet length) from `stream`.
    async fn read_message(stream: &mut TcpStream) -> Vec<u8> {
        let mut header = [0u8; 2];
        stream.read_exact(&mut header).await.unwrap();
        let mut body = vec![0u8; usize::from(header[1])];
        stream.read_exact(&mut body).await.unwrap();
        [header.to_vec(), body].concat()
    }

    #[tokio::test]
    async fn messages_go_back_to_back_and_come_back_whole() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut tcp = Tcp::new(Duration::from_secs(5));
        tcp.send(addr, Bytes::from_static(&[0x30, 0x01, 0xaa]));
        tcp.send(addr, Bytes::from_static(&[0x30, 0x02, 0xbb, 0xcc]));
        let (mut stream, _) = listener.accept().await.unwrap();
        assert_eq!(read_message(&mut stream).await, [0x30, 0x01, 0xaa]);
        assert_eq!(read_message(&mut stream).await, [0x30, 0x02, 0xbb, 0xcc]);
        // Two messages in one write, the second split over two: each comes back whole.
        stream.write_all(&[0x30, 0x00, 0x30, 0x01]).await.unwrap();
        stream.flush().await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
        stream.write_all(&[0x05]).await.unwrap();
        for want in [&[0x30, 0x00][..], &[0x30, 0x01, 0x05]] {
            match std::future::poll_fn(|cx| tcp.poll_incoming(cx)).await {
                Incoming::Message(from, data) => {
                    assert_eq!(from, addr);
                    assert_eq!(&data[..], want);
                }
                Incoming::Failed(_, e) => panic!("{e}"),
            }
        }
        // The agent closes; the next message opens a new connection.
        drop(stream);
        tokio::time::sleep(Duration::from_millis(50)).await;
        tcp.send(addr, Bytes::from_static(&[0x30, 0x00]));
        let (mut again, _) = listener.accept().await.unwrap();
        assert_eq!(read_message(&mut again).await, [0x30, 0x00]);
        assert_eq!(tcp.connections.len(), 1);
    }

    #[tokio::test]
    async fn a_refused_connection_is_reported() {
        let addr = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        let mut tcp = Tcp::new(Duration::from_secs(5));
        tcp.send(addr, Bytes::from_static(&[0x30, 0x00]));
        match std::future::poll_fn(|cx| tcp.poll_incoming(cx)).await {
            Incoming::Failed(to, e) => {
                assert_eq!(to, addr);
                assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
            }
            Incoming::Message(..) => panic!("a message from nowhere"),
        }
    }
}
