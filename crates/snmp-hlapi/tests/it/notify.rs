//! Notifications through the facade, in-process: [`Manager::send_notification`] and
//! [`Manager::send_v1_trap`] to a [`NotificationReceiver`] on loopback, over SNMPv1,
//! SNMPv2c and SNMPv3 (SHA/AES authPriv), traps and informs.

use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, EngineId, GenericTrap, Manager, ManagerConfig, NotificationKind,
    NotificationReceiver, PrivProtocol, ReceivedNotification, SecurityLevel, Target, TrapV1Pdu,
    UsmAuth, Value, VarBind, Version, oid,
};

use super::LIMIT;

fn user() -> UsmAuth {
    UsmAuth::new("usr-sha-aes")
        .auth(AuthProtocol::Sha1, "authkey1")
        .unwrap()
        .privacy(PrivProtocol::Aes128, "privkey1")
        .unwrap()
}

fn manager_engine() -> EngineId {
    "0x80001f88807465737473".parse().unwrap()
}

async fn next(receiver: &mut NotificationReceiver) -> ReceivedNotification {
    tokio::time::timeout(LIMIT, receiver.next())
        .await
        .expect("a notification in time")
        .expect("the receiver is running")
}

async fn manager() -> Manager {
    let mut config = ManagerConfig::default();
    config
        .engine_id(manager_engine())
        .local_addr("127.0.0.1:0".parse().unwrap())
        .timeout(Duration::from_millis(500))
        .retries(3);
    Manager::with_config(&config).await.unwrap()
}

fn rate() -> VarBind {
    VarBind::new(oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 2, 1), Value::Integer(42))
}

#[tokio::test]
async fn traps_and_informs_every_version() {
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .user(&user())
        .learn_engine_ids(true)
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let target = Target::new(receiver.local_addr());
    let manager = manager().await;
    let heartbeat = oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1);
    let cases = [
        (Auth::community_v2c("public"), NotificationKind::Trap),
        (Auth::community_v2c("public"), NotificationKind::Inform),
        (Auth::usm(user()), NotificationKind::Trap),
        (Auth::usm(user()), NotificationKind::Inform),
        (Auth::community_v1("public"), NotificationKind::Trap),
    ];
    for (auth, kind) in cases {
        let sent = manager
            .send_notification(&target, &auth, kind, heartbeat.clone(), [rate()])
            .await
            .unwrap();
        assert_eq!(sent.len(), 3, "{auth:?} {kind:?}");
        let n = next(&mut receiver).await;
        assert_eq!(n.kind, kind);
        assert_eq!(n.varbinds[0].oid, oid!(1, 3, 6, 1, 2, 1, 1, 3, 0));
        assert_eq!(n.varbinds[0].value, sent[0].value);
        assert_eq!(
            n.varbinds[1].value,
            Value::ObjectIdentifier(heartbeat.clone())
        );
        assert_eq!(n.varbinds[2], rate());
        if auth.is_v1() {
            let trap = n.v1_trap.unwrap();
            assert_eq!(trap.enterprise, oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3));
            assert_eq!(trap.specific_trap, 1);
        } else if n.version == Version::V3 {
            assert_eq!(n.security_level, SecurityLevel::AuthPriv);
            assert_eq!(&n.security_name[..], b"usr-sha-aes");
            let authoritative = if kind == NotificationKind::Trap {
                manager_engine()
            } else {
                receiver.engine_id().clone()
            };
            assert_eq!(&n.engine_id[..], authoritative.as_bytes());
        } else {
            assert_eq!(&n.security_name[..], b"public");
        }
    }
    let (stats, _) = receiver.stats();
    assert_eq!((stats.traps, stats.informs), (3, 2));
}

/// A Trap-PDU given field by field arrives with its fields; a trap of a user whose key is
/// wrong does not, and is counted.
#[tokio::test]
async fn v1_fields_and_wrong_keys() {
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .user(&user())
        .learn_engine_ids(true)
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let target = Target::new(receiver.local_addr());
    let manager = manager().await;
    let wrong = UsmAuth::new("usr-sha-aes")
        .auth(AuthProtocol::Sha1, "not the key")
        .unwrap()
        .privacy(PrivProtocol::Aes128, "privkey1")
        .unwrap();
    manager
        .send_notification(
            &target,
            &Auth::usm(wrong),
            NotificationKind::Trap,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1),
            [],
        )
        .await
        .unwrap();
    let trap = TrapV1Pdu {
        enterprise: oid!(1, 3, 6, 1, 4, 1, 20408, 4, 1, 1, 2),
        agent_addr: [127, 0, 0, 1],
        generic_trap: GenericTrap::WARM_START,
        specific_trap: 0,
        time_stamp: 12345,
        varbinds: vec![VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "my system")],
    };
    manager
        .send_v1_trap(&target, &Auth::community_v1("public"), trap.clone())
        .await
        .unwrap();
    let n = next(&mut receiver).await;
    assert_eq!(n.v1_trap.as_deref(), Some(&trap));
    assert_eq!(
        n.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 2))
    );
    let (stats, usm) = receiver.stats();
    assert_eq!(stats.auth_failures, 1);
    assert_eq!(usm.wrong_digests, 1);
    assert_eq!(stats.traps, 1);
}
