//! `Manager::with_sockets`: the manager on a network of the test's own, whose far end is a
//! sans-IO `CommandResponder` answering at once; SNMPv2c and SNMPv3 authPriv (discovery and
//! time synchronisation through it too), and no real socket for either.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use snmp_engine::{CommandResponder, ResponderConfig, SystemInfo};
use snmp_hlapi::{
    Auth, AuthProtocol, Manager, ManagerConfig, PrivProtocol, SecurityLevel, Target, UsmAuth,
    Value, oid,
};
use snmp_transport::MemorySocket;
use snmp_usm::{Usm, UsmUser};
use snmp_vacm::Vacm;

const MANAGER: &str = "192.0.2.100:40000";
const AGENT: &str = "192.0.2.1:161";

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
    let agent = Mutex::new(CommandResponder::new(
        ResponderConfig::default(),
        usm,
        vacm,
        system,
        now,
    ));
    let from: SocketAddr = MANAGER.parse().unwrap();
    let network = MemorySocket::new(from, move |_, datagram| {
        #[allow(clippy::disallowed_methods)] // the test's network reads the real clock
        let now = Instant::now();
        agent
            .lock()
            .unwrap()
            .handle_datagram(now, from, &Bytes::copy_from_slice(datagram))
    });
    let manager = Manager::with_sockets(
        &ManagerConfig::default(),
        Some(Box::new(Arc::clone(&network))),
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
    assert_eq!(network.sent(), 4);
    assert!(Manager::with_sockets(&ManagerConfig::default(), None, None).is_err());
}
