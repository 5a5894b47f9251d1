//! The `DatagramSocket` seam: the manager's driver on an in-memory network whose other end
//! is a sans-IO `CommandResponder`, no socket at all; then datagrams lost on that network.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_engine::{
    CommandResponder, GeneratorConfig, RequestPdu, ResponderConfig, SystemInfo, Target,
};
use snmp_smi::{Value, oid};
use snmp_transport::{DatagramSocket, UdpTransport};
use snmp_usm::Usm;
use snmp_vacm::Vacm;

const MANAGER: &str = "192.0.2.100:40000";
const AGENT: &str = "192.0.2.1:161";

/// Datagrams waiting, and the waker of the driver waiting for one.
type Inbox = (VecDeque<(Bytes, SocketAddr)>, Option<Waker>);

/// The manager's end of a network of one agent: what the manager sends is answered by the
/// responder at once (unless dropped), and the answer waits in the inbox.
#[derive(Debug)]
struct Memory {
    responder: Mutex<CommandResponder>,
    inbox: Mutex<Inbox>,
    /// How many of the next datagrams to the agent are lost.
    drop_next: Mutex<u32>,
    sent: Mutex<u32>,
}

impl Memory {
    fn new() -> Arc<Self> {
        let mut vacm = Vacm::new();
        vacm.rocommunity("public", None, None).unwrap();
        let now = Instant::now();
        let responder = CommandResponder::new(
            ResponderConfig::default(),
            Usm::new("0x80001f8804616774".parse().unwrap(), 1, now, 1),
            vacm,
            SystemInfo::default(),
            now,
        );
        Arc::new(Self {
            responder: Mutex::new(responder),
            inbox: Mutex::new((VecDeque::new(), None)),
            drop_next: Mutex::new(0),
            sent: Mutex::new(0),
        })
    }
}

/// The trait on a shared handle, so that the test keeps one too.
#[derive(Debug)]
struct Handle(Arc<Memory>);

impl DatagramSocket for Handle {
    fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let mut inbox = self.0.inbox.lock().unwrap();
        if inbox.0.is_empty() {
            inbox.1 = Some(cx.waker().clone());
            Poll::Pending
        } else {
            Poll::Ready(Ok(()))
        }
    }

    fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let (datagram, from) = self
            .0
            .inbox
            .lock()
            .unwrap()
            .0
            .pop_front()
            .ok_or(io::ErrorKind::WouldBlock)?;
        let n = datagram.len().min(buf.len());
        buf[..n].copy_from_slice(&datagram[..n]);
        Ok((n, from))
    }

    fn poll_send_to(
        &self,
        _: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        *self.0.sent.lock().unwrap() += 1;
        {
            let mut drop_next = self.0.drop_next.lock().unwrap();
            if *drop_next > 0 {
                *drop_next -= 1;
                return Poll::Ready(Ok(buf.len()));
            }
        }
        if target == AGENT.parse().unwrap() {
            let manager = MANAGER.parse().unwrap();
            let answer = self.0.responder.lock().unwrap().handle_datagram(
                Instant::now(),
                manager,
                &Bytes::copy_from_slice(buf),
            );
            if let Some(answer) = answer {
                let mut inbox = self.0.inbox.lock().unwrap();
                inbox.0.push_back((answer, target));
                if let Some(waker) = inbox.1.take() {
                    waker.wake();
                }
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(MANAGER.parse().unwrap())
    }
}

#[tokio::test]
async fn the_driver_runs_on_a_network_of_the_caller_s_own() {
    let network = Memory::new();
    let mut config = GeneratorConfig::default();
    config.timeout(Duration::from_millis(200)).retries(2);
    let (client, driver) = UdpTransport::default()
        .spawn_on(
            Some(Box::new(Handle(Arc::clone(&network)))),
            None,
            config,
            super::usm(),
        )
        .unwrap();
    assert_eq!(
        client.local_addrs(),
        [MANAGER.parse::<SocketAddr>().unwrap()]
    );
    let agent = Target::v2c(AGENT.parse().unwrap(), "public");
    let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
    let response = tokio::time::timeout(
        super::LIMIT,
        client.request(agent.clone(), RequestPdu::get([sys_descr.clone()])),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(response.varbinds[0].value, Value::from("snmp-rs agent"));
    assert_eq!(*network.sent.lock().unwrap(), 1);

    // Two datagrams lost: the third try is answered.
    *network.drop_next.lock().unwrap() = 2;
    let response = tokio::time::timeout(
        super::LIMIT,
        client.request(agent, RequestPdu::get([sys_descr])),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(response.varbinds[0].value, Value::from("snmp-rs agent"));
    assert_eq!(*network.sent.lock().unwrap(), 4);
    drop(client);
    tokio::time::timeout(super::LIMIT, driver)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn spawn_on_refuses_no_socket_and_a_wrong_family() {
    let none =
        UdpTransport::default().spawn_on(None, None, GeneratorConfig::default(), super::usm());
    assert_eq!(none.unwrap_err().kind(), io::ErrorKind::InvalidInput);
    let wrong = UdpTransport::default().spawn_on(
        None,
        Some(Box::new(Handle(Memory::new()))),
        GeneratorConfig::default(),
        super::usm(),
    );
    assert_eq!(wrong.unwrap_err().kind(), io::ErrorKind::InvalidInput);
}
