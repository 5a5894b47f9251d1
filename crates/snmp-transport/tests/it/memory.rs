//! The `DatagramSocket` seam: the manager's driver on an in-memory network whose other end
//! is a sans-IO `CommandResponder`, no socket at all; then datagrams lost on that network.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_engine::{
    CommandResponder, GeneratorConfig, RequestPdu, ResponderConfig, SystemInfo, Target,
};
use snmp_smi::{Value, oid};
use snmp_transport::{MemorySocket, UdpTransport};
use snmp_usm::Usm;
use snmp_vacm::Vacm;

const MANAGER: &str = "192.0.2.100:40000";
const AGENT: &str = "192.0.2.1:161";

/// The manager's end of a network of one agent: a responder that answers what is sent to
/// [`AGENT`] at once.
fn network() -> Arc<MemorySocket> {
    let mut vacm = Vacm::new();
    vacm.rocommunity("public", None, None).unwrap();
    let now = Instant::now();
    let responder = Mutex::new(CommandResponder::new(
        ResponderConfig::default(),
        Usm::new("0x80001f8804616774".parse().unwrap(), 1, now, 1),
        vacm,
        SystemInfo::default(),
        now,
    ));
    let (agent, manager): (SocketAddr, SocketAddr) =
        (AGENT.parse().unwrap(), MANAGER.parse().unwrap());
    MemorySocket::new(manager, move |to, datagram| {
        if to != agent {
            return None;
        }
        responder.lock().unwrap().handle_datagram(
            Instant::now(),
            manager,
            &Bytes::copy_from_slice(datagram),
        )
    })
}

#[tokio::test]
async fn the_driver_runs_on_a_network_of_the_caller_s_own() {
    let network = network();
    let mut config = GeneratorConfig::default();
    config.timeout(Duration::from_millis(200)).retries(2);
    let (client, driver) = UdpTransport::default()
        .spawn_on(
            Some(Box::new(Arc::clone(&network))),
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
    assert_eq!(network.sent(), 1);

    // Two datagrams lost: the third try is answered.
    network.drop_next(2);
    let response = tokio::time::timeout(
        super::LIMIT,
        client.request(agent, RequestPdu::get([sys_descr])),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(response.varbinds[0].value, Value::from("snmp-rs agent"));
    assert_eq!(network.sent(), 4);
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
        Some(Box::new(network())),
        GeneratorConfig::default(),
        super::usm(),
    );
    assert_eq!(wrong.unwrap_err().kind(), io::ErrorKind::InvalidInput);
}
