//! `Manager::with_sockets`: the manager on a network of the test's own, whose far end is a
//! sans-IO `CommandResponder` answering at once; SNMPv2c and SNMPv3 authPriv (discovery and
//! time synchronisation through it too), and no real socket for either.

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use bytes::Bytes;
use snmp_engine::{CommandResponder, ResponderConfig, SystemInfo};
use snmp_hlapi::{
    Auth, AuthProtocol, Manager, ManagerConfig, PrivProtocol, SecurityLevel, Target, UsmAuth,
    Value, oid,
};
use snmp_transport::DatagramSocket;
use snmp_usm::{Usm, UsmUser};
use snmp_vacm::Vacm;

const MANAGER: &str = "192.0.2.100:40000";
const AGENT: &str = "192.0.2.1:161";

/// Datagrams for the manager, and the waker of its driver.
type Inbox = (VecDeque<(Bytes, SocketAddr)>, Option<Waker>);

#[derive(Debug)]
struct Network {
    agent: Mutex<CommandResponder>,
    inbox: Mutex<Inbox>,
    sent: Mutex<usize>,
}

#[derive(Debug)]
struct End(Arc<Network>);

impl DatagramSocket for End {
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
        let from = MANAGER.parse().unwrap();
        #[allow(clippy::disallowed_methods)] // the test's network reads the real clock
        let answer = self.0.agent.lock().unwrap().handle_datagram(
            Instant::now(),
            from,
            &Bytes::copy_from_slice(buf),
        );
        if let Some(answer) = answer {
            let mut inbox = self.0.inbox.lock().unwrap();
            inbox.0.push_back((answer, target));
            if let Some(w) = inbox.1.take() {
                w.wake();
            }
        }
        Poll::Ready(Ok(buf.len()))
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(MANAGER.parse().unwrap())
    }
}

#[tokio::test]
async fn the_manager_runs_on_sockets_of_the_caller_s_own() {
    #[allow(clippy::disallowed_methods)] // the agent's boot time
    let now = Instant::now();
    let mut usm = Usm::new("0x80001f8804696e6d656d".parse().unwrap(), 3, now, 1);
    usm.add_user(
        UsmUser::new("admin")
            .with_auth(AuthProtocol::Sha256, b"authpassword")
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, b"privpassword")
            .unwrap(),
    );
    let mut vacm = Vacm::new();
    vacm.rocommunity("public", None, None).unwrap();
    vacm.rouser("admin", SecurityLevel::AuthPriv, None).unwrap();
    let mut system = SystemInfo::default();
    system.descr = "in memory".into();
    let network = Arc::new(Network {
        agent: Mutex::new(CommandResponder::new(
            ResponderConfig::default(),
            usm,
            vacm,
            system,
            now,
        )),
        inbox: Mutex::new((VecDeque::new(), None)),
        sent: Mutex::new(0),
    });
    let manager = Manager::with_sockets(
        &ManagerConfig::default(),
        Some(Box::new(End(Arc::clone(&network)))),
        None,
    )
    .unwrap();
    assert_eq!(
        manager.local_addrs(),
        [MANAGER.parse::<SocketAddr>().unwrap()]
    );
    let agent: Target = AGENT.parse().unwrap();
    let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
    let v2c = manager
        .get(&agent, &Auth::community_v2c("public"), [sys_descr.clone()])
        .await
        .unwrap();
    assert_eq!(v2c[0].value, Value::from("in memory"));
    let admin = UsmAuth::new("admin")
        .auth(AuthProtocol::Sha256, "authpassword")
        .unwrap()
        .privacy(PrivProtocol::Aes128, "privpassword")
        .unwrap();
    let v3 = manager
        .get(&agent, &Auth::usm(admin), [sys_descr])
        .await
        .unwrap();
    assert_eq!(v3[0].value, Value::from("in memory"));
    // One v2c request; then discovery, the first try (notInTimeWindow) and the resend.
    assert_eq!(*network.sent.lock().unwrap(), 4);
    assert!(Manager::with_sockets(&ManagerConfig::default(), None, None).is_err());
}
