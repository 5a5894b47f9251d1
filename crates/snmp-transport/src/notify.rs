//! The notification receiver's transport: one UDP socket and the sans-IO
//! [`NotificationReceiver`], owned by one task; notifications come out of a channel.

use std::io::{self, IoSliceMut};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_engine::{NotificationReceiver, ReceivedNotification, ReceiverStats};
use snmp_usm::UsmStats;
use tokio::io::Interest;
use tokio::net::UdpSocket;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinHandle;

use crate::driver::now;

/// How many notifications may wait for [`ReceiverTransport::recv`] (besides those of the
/// batch being read) before the task stops reading its socket (whose own buffer then
/// fills, and the system drops what overflows).
const QUEUE: usize = 4096;
/// The most datagrams read in one turn before the notifications are handed out, in one
/// batch (at most [`QUEUE`]).
const BATCH: usize = 256;
/// How long the task keeps yielding its thread and reading again once the socket is
/// empty, before it waits for the socket's readiness (a sleep and a wake-up).
const SPIN: Duration = Duration::from_micros(20);
/// A yield longer than this gave the CPU to other work than a sender's burst (100
/// datagrams take some 100 µs to send).
const LONG_YIELD: Duration = Duration::from_micros(250);
/// After a long yield, how many dry spells the task sleeps through without yielding, at
/// first and at most.
const BACKOFF: (u32, u32) = (16, 4096);

/// A notification receiver on UDP (snmptrapd's place, usually port 162): a task reads the
/// socket, feeds the [`NotificationReceiver`], sends its answers (to informs) and Reports,
/// and queues the notifications for [`recv`](Self::recv). The task stops when this handle
/// drops.
///
/// Each wake-up of the task reads what the socket holds without waiting (up to 256
/// datagrams) and hands the notifications out in one batch, one wake-up of the reader.
/// When the socket runs dry, the task keeps yielding its thread and reading again for
/// 20 µs before it waits for readiness: a burst that arrives a datagram at a time (as
/// fast as the task reads them) is read without a sleep and a wake-up per datagram or two.
/// A yield that lasts long (the CPU went to other work) makes it sleep at once for a while.
///
/// ```no_run
/// use snmp_engine::{NotificationReceiver, ReceiverConfig};
/// use snmp_transport::ReceiverTransport;
/// use snmp_usm::Usm;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # #[allow(clippy::disallowed_methods)]
/// let usm = Usm::new("0x80001f88807472617073".parse()?, 1, std::time::Instant::now(), 7);
/// let mut config = ReceiverConfig::default();
/// config.community("public");
/// let mut traps =
///     ReceiverTransport::bind("0.0.0.0:162".parse()?, NotificationReceiver::new(config, usm)).await?;
/// while let Some(n) = traps.recv().await {
///     println!("{} from {}: {:?}", n.varbinds.len(), n.from, n.varbinds);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct ReceiverTransport {
    local: SocketAddr,
    notifications: Batches<ReceivedNotification>,
    auth_failures: Option<mpsc::Receiver<SocketAddr>>,
    stats: Arc<Mutex<(ReceiverStats, UsmStats)>>,
    task: JoinHandle<io::Result<()>>,
}

impl ReceiverTransport {
    /// Binds `local` and starts receiving on the current Tokio runtime.
    ///
    /// # Errors
    ///
    /// The socket cannot be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn bind(local: SocketAddr, receiver: NotificationReceiver) -> io::Result<Self> {
        let socket = UdpSocket::bind(local).await?;
        let local = socket.local_addr()?;
        let (queue, notifications) = Batches::new(QUEUE);
        let (failures, auth_failures) = mpsc::channel(64);
        let stats = Arc::new(Mutex::new((receiver.stats(), receiver.usm().stats())));
        let task = tokio::spawn(serve(socket, receiver, queue, failures, Arc::clone(&stats)));
        Ok(Self {
            local,
            notifications,
            auth_failures: Some(auth_failures),
            stats,
            task,
        })
    }

    /// The address bound (with the port chosen for port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// The next notification; `None` once the socket has failed.
    pub async fn recv(&mut self) -> Option<ReceivedNotification> {
        self.notifications.recv().await
    }

    /// The next notification if one is waiting.
    pub fn try_recv(&mut self) -> Option<ReceivedNotification> {
        self.notifications.try_recv()
    }

    /// The sources of the messages that failed authentication (unknown community, wrong
    /// SNMPv3 digest or key), for the first caller: what an authenticationFailure
    /// notification reports. At most 64 wait; newer ones are dropped while the reader lags.
    pub fn take_auth_failures(&mut self) -> Option<mpsc::Receiver<SocketAddr>> {
        self.auth_failures.take()
    }

    /// The receiver's counters and its USM's (usmStats), as of its last turn.
    pub fn stats(&self) -> (ReceiverStats, UsmStats) {
        *self.stats.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for ReceiverTransport {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    socket: UdpSocket,
    mut receiver: NotificationReceiver,
    queue: Queue<ReceivedNotification>,
    failures: mpsc::Sender<SocketAddr>,
    stats: Arc<Mutex<(ReceiverStats, UsmStats)>>,
) -> io::Result<()> {
    // Several datagrams per system call (recvmmsg where the system has it), into buffers
    // reused for every batch; each datagram is copied out at its exact length.
    let state = quinn_udp::UdpSocketState::new((&socket).into())?;
    let slots = quinn_udp::BATCH_SIZE.max(1);
    let mut bufs: Vec<Vec<u8>> = (0..slots).map(|_| vec![0u8; 65535]).collect();
    let mut metas = vec![quinn_udp::RecvMeta::default(); slots];
    // A full batch was read: more is waiting.
    let mut more = false;
    let mut yields = Yields::default();
    // How long the thread was yielded before this read.
    let mut yielded = None;
    loop {
        if more {
            tokio::task::consume_budget().await;
        } else if yields.take(now()) {
            tokio::task::consume_budget().await;
            let start = now();
            std::thread::yield_now();
            yielded = Some(now().saturating_duration_since(start));
        } else {
            socket.readable().await?;
        }
        let at = now();
        let mut taken = 0;
        while taken < BATCH {
            let mut slices: Vec<IoSliceMut<'_>> =
                bufs.iter_mut().map(|b| IoSliceMut::new(b)).collect();
            let n = match socket.try_io(Interest::READABLE, || {
                state.recv((&socket).into(), &mut slices, &mut metas)
            }) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if is_transient(&e) => {
                    taken += 1;
                    continue;
                }
                Err(e) => return Err(e),
            };
            drop(slices);
            if n == 0 {
                break;
            }
            for (meta, buf) in metas.iter().zip(&bufs).take(n) {
                let data = buf.get(..meta.len).unwrap_or_default();
                // Coalesced datagrams (GRO) lie `stride` octets apart.
                let stride = if meta.stride == 0 {
                    meta.len
                } else {
                    meta.stride
                };
                for datagram in data.chunks(stride.max(1)) {
                    taken += 1;
                    receiver.handle_datagram(at, meta.addr, Bytes::copy_from_slice(datagram));
                }
            }
            while let Some(t) = receiver.poll_transmit() {
                // A lost answer is a lost datagram: the sender retries.
                let _ = socket.send_to(&t.contents, t.destination).await;
            }
        }
        if let Some(took) = yielded.take() {
            yields.record(took, taken > 0);
        }
        more = taken == BATCH;
        if taken == 0 {
            continue;
        }
        if !more {
            yields.refill(now());
        }
        *stats.lock().unwrap_or_else(PoisonError::into_inner) =
            (receiver.stats(), receiver.usm().stats());
        while let Some(from) = receiver.poll_auth_failure() {
            // Nobody reading, or too many waiting: dropped (they stay counted).
            let _ = failures.try_send(from);
        }
        let batch: Vec<_> = std::iter::from_fn(|| receiver.poll_event()).collect();
        if !batch.is_empty() && queue.send(batch).await.is_err() {
            // Nobody listens any more.
            return Ok(());
        }
    }
}

/// Whether the task yields its thread (and reads again) or sleeps until the socket is
/// readable, when the socket runs dry: it yields for [`SPIN`] after the last datagram. A
/// yield returns at once if nothing else wants the CPU, or lets a sender on the same CPU
/// go on; when the CPU goes to other work instead (a busy host), it can cost a whole time
/// slice, milliseconds: then the task stops yielding for a number of dry spells that
/// doubles with each long yield and halves with each short, fruitful one.
#[derive(Debug)]
struct Yields {
    /// Until when this dry spell may yield.
    until: Option<Instant>,
    /// Dry spells left to sleep through without yielding.
    skip: u32,
    /// What `skip` becomes at the next long yield (halved).
    backoff: u32,
}

impl Default for Yields {
    fn default() -> Self {
        Self {
            until: None,
            skip: 0,
            backoff: BACKOFF.0,
        }
    }
}

impl Yields {
    /// Whether to yield (rather than sleep) now that the socket is empty.
    fn take(&mut self, now: Instant) -> bool {
        match self.until {
            Some(until) if now < until => true,
            _ => {
                self.until = None;
                false
            }
        }
    }

    /// The socket had datagrams at `now`: a dry spell may follow.
    fn refill(&mut self, now: Instant) {
        if self.skip > 0 {
            self.skip -= 1;
            self.until = None;
        } else {
            self.until = Some(now + SPIN);
        }
    }

    /// A yield took `took`, and then the socket had datagrams (`fruitful`) or none.
    fn record(&mut self, took: Duration, fruitful: bool) {
        if took > LONG_YIELD {
            self.skip = self.backoff;
            self.backoff = self.backoff.saturating_mul(2).min(BACKOFF.1);
            self.until = None;
        } else if fruitful {
            self.backoff = (self.backoff / 2).max(BACKOFF.0);
        }
    }
}

/// The task's end of the notifications' queue: whole batches, one wake-up of the reader
/// each (rather than one per notification), bounded by a count of notifications: a
/// semaphore whose permits the reader gives back as it takes each batch.
#[derive(Debug)]
struct Queue<T> {
    room: Arc<Semaphore>,
    batches: mpsc::UnboundedSender<Vec<T>>,
}

impl<T> Queue<T> {
    /// Queues `batch` once there is room for all of it; `Err` once the reader has gone.
    /// A batch larger than the whole queue would never fit: [`serve`] makes none.
    async fn send(&self, batch: Vec<T>) -> Result<(), ()> {
        let n = u32::try_from(batch.len()).map_err(drop)?;
        self.room.acquire_many(n).await.map_err(drop)?.forget();
        self.batches.send(batch).map_err(drop)
    }
}

/// The reader's end: the batch being read, then the queued ones.
#[derive(Debug)]
struct Batches<T> {
    room: Arc<Semaphore>,
    batches: mpsc::UnboundedReceiver<Vec<T>>,
    current: std::vec::IntoIter<T>,
}

impl<T> Batches<T> {
    /// A queue of at most `capacity` items waiting (besides those of the batch being read).
    fn new(capacity: usize) -> (Queue<T>, Self) {
        let room = Arc::new(Semaphore::new(capacity));
        let (tx, rx) = mpsc::unbounded_channel();
        let queue = Queue {
            room: Arc::clone(&room),
            batches: tx,
        };
        let batches = Self {
            room,
            batches: rx,
            current: Vec::new().into_iter(),
        };
        (queue, batches)
    }

    /// Makes `batch` the current one and gives its room back to the task.
    fn take(&mut self, batch: Vec<T>) {
        self.room.add_permits(batch.len());
        self.current = batch.into_iter();
    }

    /// The next item; `None` once the task has ended and all are read. Cancel-safe.
    async fn recv(&mut self) -> Option<T> {
        loop {
            if let Some(n) = self.current.next() {
                return Some(n);
            }
            let batch = self.batches.recv().await?;
            self.take(batch);
        }
    }

    /// The next item if one is waiting.
    fn try_recv(&mut self) -> Option<T> {
        loop {
            if let Some(n) = self.current.next() {
                return Some(n);
            }
            let batch = self.batches.try_recv().ok()?;
            self.take(batch);
        }
    }
}

fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::Interrupted
    )
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::task::{Context, Waker};

    use snmp_engine::{
        CommandGenerator, GeneratorConfig, NotificationKind, ReceiverConfig, RequestPdu, Target,
    };
    use snmp_smi::{Value, VarBind, oid};
    use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};

    use super::*;
    use crate::UdpTransport;

    fn admin() -> UsmUser {
        UsmUser::new("admin")
            .with_auth(AuthProtocol::Sha1, b"authpassword")
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, b"privpassword")
            .unwrap()
    }

    /// A v2c trap, a v2c inform and a v3 authPriv inform through real sockets: the
    /// notifications arrive with their bindings, the informs are acknowledged.
    #[tokio::test]
    async fn traps_and_informs_over_udp() {
        let mut usm = Usm::new("0x80001f8880aabbccdd".parse().unwrap(), 1, now(), 1);
        usm.add_user(admin());
        let mut config = ReceiverConfig::default();
        config.community("public");
        let mut receiver = ReceiverTransport::bind(
            "127.0.0.1:0".parse().unwrap(),
            NotificationReceiver::new(config, usm),
        )
        .await
        .unwrap();
        let to = receiver.local_addr();

        let mut usm = Usm::new("0x80001f88800a0b0c0d".parse().unwrap(), 1, now(), 2);
        usm.add_user(admin());
        let (client, _task) = UdpTransport::bind(
            "127.0.0.1:0".parse().unwrap(),
            GeneratorConfig::default(),
            usm,
        )
        .await
        .unwrap();
        let trap_oid = oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1);
        let vb = VarBind::new(oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 2, 1), Value::Integer(5));
        let v2c = Target::v2c(to, "public").with_timeout(Duration::from_millis(300));
        let v3 = Target::usm(to, "admin", snmp_mpm::SecurityLevel::AuthPriv);
        let sent = client
            .request(
                v2c.clone(),
                RequestPdu::trap(1, trap_oid.clone(), [vb.clone()]),
            )
            .await
            .unwrap();
        assert_eq!(sent.varbinds.len(), 3);
        let acked = client
            .request(v2c, RequestPdu::inform(2, trap_oid.clone(), [vb.clone()]))
            .await
            .unwrap();
        assert_eq!(acked.varbinds[2], vb);
        let acked = client
            .request(v3, RequestPdu::inform(3, trap_oid.clone(), [vb.clone()]))
            .await
            .unwrap();
        assert_eq!(acked.varbinds[0].value, Value::TimeTicks(3));

        let mut got = Vec::new();
        for _ in 0..3 {
            let n = tokio::time::timeout(Duration::from_secs(5), receiver.recv())
                .await
                .unwrap()
                .unwrap();
            got.push(n);
        }
        assert_eq!(got[0].kind, NotificationKind::Trap);
        assert_eq!(got[1].kind, NotificationKind::Inform);
        assert_eq!(got[2].kind, NotificationKind::Inform);
        assert_eq!(got[2].version, snmp_mpm::Version::V3);
        assert_eq!(&got[2].security_name[..], b"admin");
        for n in &got {
            assert_eq!(
                n.varbinds[1].value,
                Value::ObjectIdentifier(trap_oid.clone())
            );
            assert_eq!(n.varbinds[2], vb);
        }
        let (stats, _) = receiver.stats();
        assert_eq!((stats.traps, stats.informs), (1, 2));
    }

    /// The queue hands out whole batches in order, holds no more than its room (a batch
    /// waits until the reader has taken enough), and tells the task when the reader is gone.
    #[tokio::test]
    async fn batches_in_order_within_the_room() {
        let (queue, mut batches) = Batches::new(4);
        queue.send(vec![1, 2, 3]).await.unwrap();
        {
            let mut cx = Context::from_waker(Waker::noop());
            let mut second = std::pin::pin!(queue.send(vec![4, 5]));
            // 3 of 4 taken: the second batch waits.
            assert!(second.as_mut().poll(&mut cx).is_pending());
            assert_eq!(batches.try_recv(), Some(1));
            // The first batch taken out gave its room back.
            assert!(second.as_mut().poll(&mut cx).is_ready());
        }
        let mut got = Vec::new();
        while let Some(n) = batches.try_recv() {
            got.push(n);
        }
        assert_eq!(got, [2, 3, 4, 5]);
        queue.send(vec![6]).await.unwrap();
        assert_eq!(batches.recv().await, Some(6));
        drop(queue);
        assert_eq!(batches.recv().await, None);

        let (queue, batches) = Batches::new(4);
        drop(batches);
        assert!(queue.send(vec![1]).await.is_err());
    }

    /// Bursts of v2c and v3 authPriv traps, more than a batch in all, sent as fast as the
    /// socket takes them (in windows of 100, so that no socket buffer overflows): every trap
    /// arrives, in the order sent, and the counters agree.
    #[tokio::test]
    async fn bursts_arrive_whole_and_in_order() {
        const N: usize = 700;
        let mut usm = Usm::new("0x80001f8880aabbccdd".parse().unwrap(), 1, now(), 1);
        usm.add_user(admin());
        let mut config = ReceiverConfig::default();
        config.community("public").learn_engine_ids(true);
        let mut receiver = ReceiverTransport::bind(
            "127.0.0.1:0".parse().unwrap(),
            NotificationReceiver::new(config, usm),
        )
        .await
        .unwrap();
        let to = receiver.local_addr();
        let mut usm = Usm::new("0x80001f88800a0b0c0d".parse().unwrap(), 1, now(), 2);
        usm.add_user(admin());
        let mut generator = CommandGenerator::new(GeneratorConfig::default(), usm);
        let socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let index = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 1);
        for v3 in [false, true] {
            let target = if v3 {
                Target::usm(to, "admin", snmp_mpm::SecurityLevel::AuthPriv)
            } else {
                Target::v2c(to, "public")
            };
            let datagrams: Vec<Bytes> = (0..N)
                .map(|i| {
                    let vb = VarBind::new(index.clone(), Value::Integer(i32::try_from(i).unwrap()));
                    let trap = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3);
                    generator.send(now(), &target, RequestPdu::trap(1, trap, [vb]));
                    while generator.poll_event().is_some() {}
                    generator.poll_transmit().unwrap().contents
                })
                .collect();
            let mut got = Vec::new();
            for window in datagrams.chunks(100) {
                for d in window {
                    socket.send_to(d, to).unwrap();
                }
                for _ in window {
                    let n = tokio::time::timeout(Duration::from_secs(5), receiver.recv())
                        .await
                        .unwrap()
                        .unwrap();
                    assert_eq!(n.version == snmp_mpm::Version::V3, v3);
                    assert_eq!(n.varbinds[2].oid, index);
                    got.push(n.varbinds[2].value.clone());
                }
            }
            let sent: Vec<_> = (0..N)
                .map(|i| Value::Integer(i32::try_from(i).unwrap()))
                .collect();
            assert_eq!(got, sent, "v3: {v3}");
            assert!(receiver.try_recv().is_none());
        }
        let (stats, _) = receiver.stats();
        assert_eq!(stats.traps, 2 * N as u64);
    }

    /// Yields for 20 µs after the last datagram; a long one stops them for 16 dry spells,
    /// the next long one for 32, and so on up to 4096; short, fruitful ones halve the
    /// backoff again.
    #[test]
    fn yields_back_off_after_long_ones() {
        let t0 = now();
        let us = |n| t0 + Duration::from_micros(n);
        let short = Duration::from_micros(100);
        let long = Duration::from_millis(3);
        let mut y = Yields::default();
        assert!(!y.take(t0), "no yield before any datagram");
        y.refill(t0);
        assert!(y.take(us(1)));
        y.record(short, false);
        assert!(y.take(us(19)));
        y.record(short, true);
        assert!(!y.take(us(21)), "20 µs of yields after the last datagram");
        assert!(!y.take(us(1)), "until the next datagram");
        y.refill(us(30));
        assert!(y.take(us(31)));
        y.record(long, true);
        assert!(!y.take(us(32)), "a long yield ends the spell");
        let spells = |y: &mut Yields| {
            (0..10_000)
                .take_while(|_| {
                    y.refill(t0);
                    !y.take(t0)
                })
                .count()
        };
        assert_eq!(spells(&mut y), 16);
        y.record(long, true);
        assert_eq!(spells(&mut y), 32);
        for _ in 0..20 {
            y.record(long, false);
        }
        assert_eq!(spells(&mut y), 4096);
        // Halved back, down to 16: 4096 / 2^8.
        for _ in 0..8 {
            y.record(short, true);
        }
        y.record(long, false);
        assert_eq!(spells(&mut y), 16);
    }
}
