//! The notification receiver's transport: one UDP socket and the sans-IO
//! [`NotificationReceiver`], owned by one task; notifications come out of a channel.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use snmp_engine::{NotificationReceiver, ReceivedNotification, ReceiverStats};
use snmp_usm::UsmStats;
use tokio::net::UdpSocket;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::driver::now;

/// How many notifications may wait for [`ReceiverTransport::recv`] before the task stops
/// reading its socket (whose own buffer then fills, and the system drops what overflows).
const QUEUE: usize = 4096;
/// The most datagrams read in one turn before the notifications are handed out.
const BATCH: usize = 256;

/// A notification receiver on UDP (snmptrapd's place, usually port 162): a task reads the
/// socket, feeds the [`NotificationReceiver`], sends its answers (to informs) and Reports,
/// and queues the notifications for [`recv`](Self::recv). The task stops when this handle
/// drops.
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
    notifications: mpsc::Receiver<ReceivedNotification>,
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
        let (queue, notifications) = mpsc::channel(QUEUE);
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
        self.notifications.try_recv().ok()
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
    queue: mpsc::Sender<ReceivedNotification>,
    failures: mpsc::Sender<SocketAddr>,
    stats: Arc<Mutex<(ReceiverStats, UsmStats)>>,
) -> io::Result<()> {
    let mut buf = vec![0u8; 65535];
    loop {
        let first = match socket.recv_from(&mut buf).await {
            Ok(r) => r,
            Err(e) if is_transient(&e) => continue,
            Err(e) => return Err(e),
        };
        let now = now();
        let mut next = Some(first);
        let mut taken = 0;
        while let Some((n, from)) = next.take() {
            let data = Bytes::copy_from_slice(buf.get(..n).unwrap_or_default());
            receiver.handle_datagram(now, from, data);
            while let Some(t) = receiver.poll_transmit() {
                // A lost answer is a lost datagram: the sender retries.
                let _ = socket.send_to(&t.contents, t.destination).await;
            }
            taken += 1;
            if taken < BATCH {
                match socket.try_recv_from(&mut buf) {
                    Ok(r) => next = Some(r),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock || is_transient(&e) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        *stats.lock().unwrap_or_else(PoisonError::into_inner) =
            (receiver.stats(), receiver.usm().stats());
        while let Some(from) = receiver.poll_auth_failure() {
            // Nobody reading, or too many waiting: dropped (they stay counted).
            let _ = failures.try_send(from);
        }
        while let Some(n) = receiver.poll_event() {
            if queue.send(n).await.is_err() {
                // Nobody listens any more.
                return Ok(());
            }
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
    use std::time::Duration;

    use snmp_engine::{GeneratorConfig, NotificationKind, ReceiverConfig, RequestPdu, Target};
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
}
