//! Notifications through the facade, in-process: [`Manager::send_notification`] and
//! [`Manager::send_v1_trap`] to a [`NotificationReceiver`] on loopback, over SNMPv1,
//! SNMPv2c and SNMPv3 (SHA/AES authPriv), traps and informs.

use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, EngineId, GenericTrap, Manager, ManagerConfig, NotificationKind,
    NotificationReceiver, NotificationSinks, PrivProtocol, ReceivedNotification, SecurityLevel,
    Target, TrapV1Pdu, UsmAuth, Value, VarBind, Version, oid,
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

/// snmpd.conf's notification directives become sinks: a v1 trap sink, a v2c trap sink with
/// the `trapcommunity`, a v2c inform sink, and an SNMPv3 inform `trapsess`; one
/// notification reaches each, as the kind and version each asks; a filter profile keeps one
/// sink from notifications outside it.
#[tokio::test]
async fn sinks_from_snmpd_conf() {
    let mut receiver = NotificationReceiver::builder()
        .community("public")
        .community("sinks")
        .user(&user())
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let port = receiver.local_addr().port();
    let conf = format!(
        "trapsink 127.0.0.1 public {port}\n\
         trapcommunity sinks\n\
         trap2sink udp:127.0.0.1:{port}\n\
         informsink 127.0.0.1 public {port}\n\
         trapsess -Ci -v 3 -u usr-sha-aes -l authPriv -a SHA -A authkey1 -x AES -X privkey1 -r 2 -t 1 127.0.0.1:{port}\n"
    );
    let (config, _) = snmp_hlapi::agent_config::AgentConfig::parse(&conf, "test.conf").unwrap();
    let mut sinks = NotificationSinks::from_directives(&config.notification_directives)
        .await
        .unwrap();
    assert_eq!(sinks.len(), 4);
    let manager = manager().await;
    let cold_start = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1);
    let outcomes = manager.notify(&sinks, cold_start.clone(), [rate()]).await;
    assert_eq!(outcomes.len(), 4);
    for (addr, outcome) in &outcomes {
        assert_eq!(addr.port(), port);
        assert_eq!(outcome.as_ref().unwrap().len(), 3);
    }
    let mut got = Vec::new();
    for _ in 0..4 {
        let n = next(&mut receiver).await;
        assert_eq!(
            n.varbinds[1].value,
            Value::ObjectIdentifier(cold_start.clone())
        );
        assert_eq!(n.varbinds[2], rate());
        got.push((n.version, n.kind, n.security_name.clone()));
    }
    got.sort_by_key(|g| format!("{g:?}"));
    let expected = {
        let mut e = vec![
            (Version::V1, NotificationKind::Trap, "public".into()),
            (Version::V2c, NotificationKind::Trap, "sinks".into()),
            (Version::V2c, NotificationKind::Inform, "public".into()),
            (Version::V3, NotificationKind::Inform, "usr-sha-aes".into()),
        ];
        e.sort_by_key(|g| format!("{g:?}"));
        e
    };
    assert_eq!(got, expected);

    // The v2c trap sink (the second) takes only enterprise notifications.
    sinks
        .targets_mut()
        .add_filter_profile("sink2", "enterprises")
        .add_filter("enterprises", oid!(1, 3, 6, 1, 4, 1), &[], true)
        .unwrap();
    let outcomes = manager.notify(&sinks, cold_start.clone(), []).await;
    assert_eq!(outcomes.len(), 3);
    let outcomes = manager
        .notify(&sinks, oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1), [])
        .await;
    assert_eq!(outcomes.len(), 4);
}

/// Without learning, SNMPv3 traps are taken only from the engines their users are bound to
/// (snmptrapd's `createUser -e`): the manager's engine is configured, another is not.
#[tokio::test]
async fn users_bound_to_engines() {
    let mut receiver = NotificationReceiver::builder()
        .user_for_engine(&user(), manager_engine())
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let target = Target::new(receiver.local_addr());
    let other = {
        let mut config = ManagerConfig::default();
        config
            .engine_id("0x80001f8880deadbeef".parse().unwrap())
            .local_addr("127.0.0.1:0".parse().unwrap());
        Manager::with_config(&config).await.unwrap()
    };
    let trap_oid = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1);
    let auth = Auth::usm(user());
    other
        .send_notification(&target, &auth, NotificationKind::Trap, trap_oid.clone(), [])
        .await
        .unwrap();
    manager()
        .await
        .send_notification(&target, &auth, NotificationKind::Trap, trap_oid, [rate()])
        .await
        .unwrap();
    let n = next(&mut receiver).await;
    assert_eq!(&n.engine_id[..], manager_engine().as_bytes());
    assert_eq!(n.varbinds[2], rate());
    let (stats, usm) = receiver.stats();
    assert_eq!(stats.traps, 1);
    assert_eq!(usm.unknown_engine_ids, 1);
    assert!(receiver.try_next().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authentication_failures_are_reported_when_asked() {
    // Where the reports go.
    let mut monitor = NotificationReceiver::builder()
        .community("public")
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut sinks = NotificationSinks::default();
    sinks.add_sink(
        &Target::new(monitor.local_addr()),
        &Auth::community_v2c("public"),
        NotificationKind::Trap,
    );
    let receiver = NotificationReceiver::builder()
        .community("secret")
        .report_authentication_failures(sinks)
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let manager = Manager::new().await.unwrap();
    // A trap with the wrong community: dropped, counted, reported.
    manager
        .send_notification(
            &Target::new(receiver.local_addr()),
            &Auth::community_v2c("guess"),
            NotificationKind::Trap,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1),
            [],
        )
        .await
        .unwrap();
    let report = tokio::time::timeout(Duration::from_secs(10), monitor.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        report.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 5))
    );
    assert_eq!(receiver.stats().0.auth_failures, 1);
}
