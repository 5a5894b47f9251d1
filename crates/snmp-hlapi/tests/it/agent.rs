//! The manager against the agent of this crate, both in this process on loopback: every
//! version, SET through the instrumentation, TCP framing, and engineBoots kept in a state
//! directory across restarts.

use std::time::Duration;

use snmp_hlapi::agent::Agent;
use snmp_hlapi::agent_config::AgentConfig;
use snmp_hlapi::instrument::{Access, Column, IndexSyntax, Scalar, Scalars, Syntax, Table};
use snmp_hlapi::{
    Auth, AuthProtocol, Error, ErrorStatus, Manager, ManagerConfig, PrivProtocol, SecurityLevel,
    Target, UsmAuth, Value, VarBind, oid,
};
use snmp_peers::ScratchDir;
use snmp_usm::UsmUser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn manager() -> Manager {
    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_millis(500)).retries(1);
    Manager::with_config(&config).await.unwrap()
}

fn admin() -> Auth {
    Auth::usm(
        UsmAuth::new("admin")
            .auth(AuthProtocol::Sha512, "authpassword")
            .unwrap()
            .privacy(PrivProtocol::Aes256, "privpassword")
            .unwrap(),
    )
}

async fn start() -> (Agent, Scalar) {
    let greeting = Scalar::read_write("hello", Syntax::octet_string().size(0, 16));
    let scalars = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1)).object(1, greeting.clone());
    let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
        .index_column(1, IndexSyntax::Integer, Access::NotAccessible)
        .column(2, Column::new(Syntax::display_string(), Access::ReadCreate))
        .row_status(3);
    for i in 1..=300u32 {
        table
            .rows()
            .insert_row(
                &[snmp_hlapi::instrument::IndexValue::Integer(i)],
                [(2, Value::from(format!("row {i}")))],
            )
            .unwrap();
    }
    let user = UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha512, b"authpassword")
        .unwrap()
        .with_privacy(PrivProtocol::Aes256, b"privpassword")
        .unwrap();
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .listen_udp("[::1]:0".parse().unwrap())
        .listen_tcp("127.0.0.1:0".parse().unwrap())
        .rocommunity("public")
        .rwcommunity("private")
        .user(user)
        .rwuser("admin", SecurityLevel::AuthPriv)
        .system(|s| s.location = "rack 4".into())
        .register(scalars.root().clone(), scalars)
        .register(table.entry().clone(), table)
        .start()
        .await
        .unwrap();
    (agent, greeting)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_version_reads_and_writes() {
    let (agent, greeting) = start().await;
    let target = Target::new(agent.udp_addr().unwrap());
    let m = manager().await;
    let location = oid!(1, 3, 6, 1, 2, 1, 1, 6, 0);
    for auth in [
        Auth::community_v1("public"),
        Auth::community_v2c("public"),
        admin(),
    ] {
        let got = m.get(&target, &auth, [location.clone()]).await.unwrap();
        assert_eq!(got[0].value, Value::from("rack 4"), "{auth:?}");
    }
    // A bulk walk of the 300-row column, and the same with GETNEXT over SNMPv1.
    let column = oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1, 2);
    for (auth, bulk) in [
        (Auth::community_v2c("public"), true),
        (admin(), true),
        (Auth::community_v1("public"), false),
    ] {
        let mut walk = if bulk {
            m.bulk_walk(&target, &auth, column.clone(), 25)
        } else {
            m.walk(&target, &auth, column.clone())
        };
        let mut n = 0;
        while let Some(vb) = walk.next().await {
            let vb = vb.unwrap();
            n += 1;
            assert_eq!(vb.value, Value::from(format!("row {n}")));
        }
        assert_eq!(n, 300);
    }
    // SET through v2c and v3; the application's handle sees it.
    let instance = oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 0);
    m.set(
        &target,
        &Auth::community_v2c("private"),
        [VarBind::new(instance.clone(), "from v2c")],
    )
    .await
    .unwrap();
    assert_eq!(greeting.value(), Value::from("from v2c"));
    m.set(
        &target,
        &admin(),
        [VarBind::new(instance.clone(), "from v3")],
    )
    .await
    .unwrap();
    assert_eq!(greeting.value(), Value::from("from v3"));
    // Errors come back as RFC 3416 has them.
    match m
        .set(
            &target,
            &admin(),
            [VarBind::new(instance.clone(), "seventeen octets!")],
        )
        .await
    {
        Err(Error::Status { status, index, .. }) => {
            assert_eq!((status, index), (ErrorStatus::WRONG_LENGTH, 1))
        }
        other => panic!("{other:?}"),
    }
    match m
        .set(
            &target,
            &Auth::community_v2c("public"),
            [VarBind::new(instance, "x")],
        )
        .await
    {
        Err(Error::Status { status, .. }) => assert_eq!(status, ErrorStatus::NO_ACCESS),
        other => panic!("{other:?}"),
    }
    // Row creation with createAndGo, then read back.
    let cell = oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1, 2, 500);
    m.set(
        &target,
        &Auth::community_v2c("private"),
        [
            VarBind::new(cell.clone(), "new"),
            VarBind::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1, 3, 500), 4),
        ],
    )
    .await
    .unwrap();
    let got = m
        .get(&target, &Auth::community_v2c("public"), [cell])
        .await
        .unwrap();
    assert_eq!(got[0].value, Value::from("new"));
    // IPv6.
    let v6 = agent.local_addrs()[1].addr;
    let got = m
        .get(&Target::new(v6), &Auth::community_v2c("public"), [location])
        .await
        .unwrap();
    assert_eq!(got[0].value, Value::from("rack 4"));
    // A wrong community: no answer, and counted.
    let wrong = m
        .get(
            &target,
            &Auth::community_v2c("wrong"),
            [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)],
        )
        .await;
    assert!(matches!(wrong, Err(Error::Transport(_))), "{wrong:?}");
    assert_eq!(agent.responder().stats().in_bad_community_names, 2);
    agent.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_carries_messages_back_to_back() {
    let (agent, _) = start().await;
    let tcp = agent.local_addrs()[2].addr;
    let mut stream = tokio::net::TcpStream::connect(tcp).await.unwrap();
    // Two GETs in one write: RFC 3430 frames messages by their BER length alone.
    let get = |id: i32| {
        snmp_mpm::Message::Community(snmp_mpm::CommunityMessage {
            version: snmp_mpm::Version::V2c,
            community: bytes::Bytes::from_static(b"public"),
            pdu: snmp_smi::Pdu::GetRequest(snmp_smi::BasicPdu::new(
                id,
                vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 6, 0))],
            )),
        })
        .to_bytes()
        .unwrap()
    };
    let mut both = get(1).to_vec();
    both.extend_from_slice(&get(2));
    stream.write_all(&both).await.unwrap();
    let mut buf = Vec::new();
    let dec = snmp_ber::Decoder::new(snmp_ber::DecodeOptions::STRICT);
    let mut ids = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        while ids.len() < 2 {
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "the agent closed the stream");
            buf.extend_from_slice(&chunk[..n]);
            // Take whole messages off the front.
            while buf.len() >= 2 && buf.len() >= 2 + usize::from(buf[1]) {
                let len = 2 + usize::from(buf[1]);
                let msg: Vec<u8> = buf.drain(..len).collect();
                let snmp_mpm::Message::Community(m) =
                    snmp_mpm::Message::decode(&dec, &bytes::Bytes::from(msg)).unwrap()
                else {
                    panic!("not a community message");
                };
                assert_eq!(m.pdu.varbinds()[0].value, Value::from("rack 4"));
                ids.push(m.pdu.request_id().unwrap());
            }
        }
    })
    .await
    .unwrap();
    assert_eq!(ids, [1, 2]);
    agent.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_state_directory_keeps_boots_and_engine_id() {
    let dir = ScratchDir::new("agent-state").unwrap();
    let boots = oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0);
    let engine = oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0);
    let (config, _) = AgentConfig::parse(
        "rocommunity public 127.0.0.1\nagentAddress udp:127.0.0.1:0\nsysName lab-agent\n",
        "test.conf",
    )
    .unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let agent = Agent::builder()
            .config(&config)
            .unwrap()
            .state_dir(dir.path())
            .start()
            .await
            .unwrap();
        let m = manager().await;
        let got = m
            .get(
                &Target::new(agent.udp_addr().unwrap()),
                &Auth::community_v2c("public"),
                [
                    boots.clone(),
                    engine.clone(),
                    oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),
                ],
            )
            .await
            .unwrap();
        assert_eq!(got[2].value, Value::from("lab-agent"));
        seen.push((got[0].value.clone(), got[1].value.clone()));
        agent.shutdown().await;
    }
    assert_eq!(
        seen.iter().map(|(b, _)| b.clone()).collect::<Vec<_>>(),
        [Value::Integer(1), Value::Integer(2), Value::Integer(3)]
    );
    assert!(
        seen.iter().all(|(_, e)| *e == seen[0].1),
        "the engine ID changed: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agent_sends_cold_start_and_authentication_failure_to_its_sinks() {
    let mut receiver = snmp_hlapi::NotificationReceiver::builder()
        .community("public")
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let sink = receiver.local_addr();
    let text = format!(
        "agentAddress udp:127.0.0.1:0\nrocommunity public 127.0.0.1\ntrap2sink 127.0.0.1:{} public\nauthtrapenable 1\n",
        sink.port()
    );
    let (config, warnings) = AgentConfig::parse(&text, "sinks.conf").unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let agent = Agent::builder()
        .config(&config)
        .unwrap()
        .start()
        .await
        .unwrap();
    let cold = next_notification(&mut receiver).await;
    assert_eq!(
        cold.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1))
    );
    assert_eq!(cold.security_name, "public");
    // A request with a wrong community: dropped, and an authenticationFailure trap.
    let m = manager().await;
    let target = Target::new(agent.udp_addr().unwrap());
    let wrong = m
        .get(
            &target,
            &Auth::community_v2c("wrong"),
            [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)],
        )
        .await;
    assert!(wrong.is_err());
    let failure = next_notification(&mut receiver).await;
    assert_eq!(
        failure.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 5))
    );
    assert!(matches!(failure.varbinds[0].value, Value::TimeTicks(_)));
    agent.shutdown().await;
}

async fn next_notification(
    r: &mut snmp_hlapi::NotificationReceiver,
) -> snmp_hlapi::ReceivedNotification {
    tokio::time::timeout(Duration::from_secs(10), r.next())
        .await
        .unwrap()
        .unwrap()
}

/// A counter kept behind an async lock, read and written by async handler methods.
struct AsyncCounter(std::sync::Arc<tokio::sync::Mutex<i32>>);

const COUNTER: [u32; 10] = [1, 3, 6, 1, 4, 1, 99999, 5, 1, 0];

impl snmp_hlapi::instrument::AsyncMibHandler for AsyncCounter {
    fn get<'a>(
        &'a mut self,
        _: &'a snmp_engine::RequestInfo<'a>,
        oid: &'a snmp_hlapi::Oid,
    ) -> snmp_hlapi::instrument::HandlerFuture<'a, Value> {
        Box::pin(async move {
            if oid.as_slice() != COUNTER {
                return Value::NoSuchObject;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
            Value::Integer(*self.0.lock().await)
        })
    }

    fn get_next<'a>(
        &'a mut self,
        info: &'a snmp_engine::RequestInfo<'a>,
        oid: &'a snmp_hlapi::Oid,
    ) -> snmp_hlapi::instrument::HandlerFuture<'a, Option<VarBind>> {
        Box::pin(async move {
            let instance = snmp_hlapi::Oid::from_slice(&COUNTER).unwrap();
            if *oid >= instance {
                return None;
            }
            let value = self.get(info, &instance).await;
            Some(VarBind::new(instance, value))
        })
    }

    fn test_set<'a>(
        &'a mut self,
        _: &'a snmp_engine::RequestInfo<'a>,
        varbinds: &'a [VarBind],
    ) -> snmp_hlapi::instrument::HandlerFuture<'a, Result<(), snmp_engine::SetError>> {
        Box::pin(async move {
            match varbinds
                .iter()
                .position(|vb| !matches!(vb.value, Value::Integer(_)))
            {
                Some(i) => Err(snmp_engine::SetError::new(ErrorStatus::WRONG_TYPE, i)),
                None => Ok(()),
            }
        })
    }

    fn commit_set<'a>(
        &'a mut self,
        _: &'a snmp_engine::RequestInfo<'a>,
        varbinds: &'a [VarBind],
    ) -> snmp_hlapi::instrument::HandlerFuture<'a, Result<(), snmp_engine::SetError>> {
        Box::pin(async move {
            if let Some(Value::Integer(n)) = varbinds.first().map(|vb| &vb.value) {
                *self.0.lock().await = *n;
            }
            Ok(())
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_handlers_answer_gets_walks_and_sets() {
    let counter = std::sync::Arc::new(tokio::sync::Mutex::new(7));
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .rwcommunity("private")
        .register_async(
            oid!(1, 3, 6, 1, 4, 1, 99999, 5),
            AsyncCounter(counter.clone()),
        )
        .start()
        .await
        .unwrap();
    let m = manager().await;
    let target = Target::new(agent.udp_addr().unwrap());
    let private = Auth::community_v2c("private");
    let instance = snmp_hlapi::Oid::from_slice(&COUNTER).unwrap();
    let got = m.get(&target, &private, [instance.clone()]).await.unwrap();
    assert_eq!(got[0].value, Value::Integer(7));
    let walked = m
        .walk(&target, &private, oid!(1, 3, 6, 1, 4, 1, 99999, 5))
        .collect()
        .await
        .unwrap();
    assert_eq!(walked, [VarBind::new(instance.clone(), 7)]);
    m.set(&target, &private, [VarBind::new(instance.clone(), 42)])
        .await
        .unwrap();
    assert_eq!(*counter.lock().await, 42);
    match m
        .set(&target, &private, [VarBind::new(instance.clone(), "x")])
        .await
    {
        Err(Error::Status { status, .. }) => assert_eq!(status, ErrorStatus::WRONG_TYPE),
        other => panic!("{other:?}"),
    }
    // Other tasks run while a handler awaits: many requests at once all get answers.
    let many: Vec<_> = (0..20)
        .map(|_| {
            let (m, target, private, instance) =
                (m.clone(), target.clone(), private.clone(), instance.clone());
            tokio::spawn(async move { m.get(&target, &private, [instance]).await })
        })
        .collect();
    for task in many {
        assert_eq!(task.await.unwrap().unwrap()[0].value, Value::Integer(42));
    }
    agent.shutdown().await;
}

#[tokio::test(flavor = "current_thread")]
async fn async_handlers_refuse_a_current_thread_runtime() {
    let result = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .register_async(
            oid!(1, 3, 6, 1, 4, 1, 99999, 5),
            AsyncCounter(Default::default()),
        )
        .start()
        .await;
    assert!(
        matches!(
            result,
            Err(snmp_hlapi::agent::AgentError::AsyncNeedsMultiThread)
        ),
        "{result:?}"
    );
}

/// The shared IETF MIB directory, if this checkout has it beside it.
fn ietf_mibs() -> Option<std::path::PathBuf> {
    let shared = std::env::var_os("SNMP_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
        });
    let dir = shared.join("mibs/ietf");
    dir.join("IF-MIB.txt").exists().then_some(dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_notification_type_carries_its_objects_from_the_agent() {
    let Some(dir) = ietf_mibs() else {
        eprintln!("skipped: no shared IETF MIBs");
        return;
    };
    let mib = snmp_mib::Mib::load(&[dir], &["IF-MIB"]).unwrap();
    let mut receiver = snmp_hlapi::NotificationReceiver::builder()
        .community("public")
        .bind("127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let mut sinks = snmp_hlapi::NotificationSinks::default();
    sinks.add_sink(
        &Target::new(receiver.local_addr()),
        &Auth::community_v2c("public"),
        snmp_hlapi::NotificationKind::Trap,
    );
    // ifIndex, ifAdminStatus and ifOperStatus of row 7, from a table the agent serves.
    let table = Table::new(oid!(1, 3, 6, 1, 2, 1, 2, 2, 1))
        .index_column(1, IndexSyntax::Integer, Access::ReadOnly)
        .column(7, Column::new(Syntax::integer(), Access::ReadWrite))
        .column(8, Column::new(Syntax::integer(), Access::ReadOnly));
    table
        .rows()
        .insert_row(
            &[snmp_hlapi::instrument::IndexValue::Integer(7)],
            [(7, Value::Integer(1)), (8, Value::Integer(2))],
        )
        .unwrap();
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .notification_sinks(sinks)
        .register(table.entry().clone(), table)
        .start()
        .await
        .unwrap();
    // The coldStart first.
    let cold = next_notification(&mut receiver).await;
    assert_eq!(
        cold.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1))
    );
    let sent = agent
        .send_notification_type(
            &mib,
            "IF-MIB::linkDown",
            &[7],
            [VarBind::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1), "extra")],
        )
        .await
        .unwrap();
    assert_eq!(sent.len(), 1);
    let got = next_notification(&mut receiver).await;
    let oids: Vec<String> = got.varbinds.iter().map(|vb| vb.oid.to_string()).collect();
    assert_eq!(
        oids,
        [
            "1.3.6.1.2.1.1.3.0",
            "1.3.6.1.6.3.1.1.4.1.0",
            "1.3.6.1.2.1.2.2.1.1.7",
            "1.3.6.1.2.1.2.2.1.7.7",
            "1.3.6.1.2.1.2.2.1.8.7",
            "1.3.6.1.4.1.99999.1"
        ]
    );
    assert_eq!(
        got.varbinds[1].value,
        Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3))
    );
    assert_eq!(got.varbinds[2].value, Value::Integer(7));
    assert_eq!(got.varbinds[3].value, Value::Integer(1));
    assert_eq!(got.varbinds[4].value, Value::Integer(2));
    // Not a notification: an error naming it.
    let err = agent
        .send_notification_type(&mib, "IF-MIB::ifDescr", &[1], [])
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "IF-MIB::ifDescr is not a notification of the loaded MIBs"
    );
    agent.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_of_a_context_answer_in_that_context_only() {
    let scalars = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 9))
        .object(1, Scalar::read_only(Value::from("in the lab")));
    let user = UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha512, b"authpassword")
        .unwrap()
        .with_privacy(PrivProtocol::Aes256, b"privpassword")
        .unwrap();
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .user(user)
        .rwuser("admin", SecurityLevel::AuthPriv)
        .register_in("lab", scalars.root().clone(), scalars)
        .start()
        .await
        .unwrap();
    let m = manager().await;
    let instance = oid!(1, 3, 6, 1, 4, 1, 99999, 9, 1, 0);
    let mut lab = Target::new(agent.udp_addr().unwrap());
    lab.context_name("lab");
    let got = m.get(&lab, &admin(), [instance.clone()]).await.unwrap();
    assert_eq!(got[0].value, Value::from("in the lab"));
    let default = Target::new(agent.udp_addr().unwrap());
    let got = m.get(&default, &admin(), [instance]).await.unwrap();
    assert_eq!(got[0].value, Value::NoSuchObject);
    agent.shutdown().await;
}

/// Answers every GET with the port the request came from.
struct SourcePort;

impl snmp_engine::MibHandler for SourcePort {
    fn get(&mut self, info: &snmp_engine::RequestInfo<'_>, _: &snmp_hlapi::Oid) -> Value {
        Value::Integer(i32::from(info.peer.port()))
    }

    fn get_next(
        &mut self,
        _: &snmp_engine::RequestInfo<'_>,
        _: &snmp_hlapi::Oid,
    ) -> Option<VarBind> {
        None
    }
}

/// SNMPv3 users share the manager's one socket with the communities; only a second user of
/// a name the manager holds (other passwords) gets a socket of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_share_the_manager_s_socket() {
    let user = |name: &str, pass: &[u8]| {
        UsmUser::new(name.to_owned())
            .with_auth(AuthProtocol::Sha256, pass)
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, pass)
            .unwrap()
    };
    let start = |users: Vec<UsmUser>| async move {
        let mut b = Agent::builder()
            .listen_udp("127.0.0.1:0".parse().unwrap())
            .rocommunity("public")
            .register(oid!(1, 3, 6, 1, 4, 1, 99999, 7), SourcePort);
        for u in users {
            let name = String::from_utf8_lossy(u.name()).into_owned();
            b = b.user(u).rouser(name, SecurityLevel::AuthPriv);
        }
        b.start().await.unwrap()
    };
    let first = start(vec![
        user("bob", b"password-1"),
        user("carol", b"password-2"),
    ])
    .await;
    let second = start(vec![user("bob", b"password-9")]).await;
    let auth = |name: &str, pass: &str| {
        Auth::usm(
            UsmAuth::new(name.to_owned())
                .auth(AuthProtocol::Sha256, pass)
                .unwrap()
                .privacy(PrivProtocol::Aes128, pass)
                .unwrap(),
        )
    };
    let m = manager().await;
    let port = oid!(1, 3, 6, 1, 4, 1, 99999, 7, 0);
    let source = |agent: &Agent, a: Auth| {
        let m = m.clone();
        let target: Target = agent.udp_addr().unwrap().into();
        let port = port.clone();
        async move {
            match m.get(&target, &a, [port]).await.unwrap()[0].value {
                Value::Integer(p) => p,
                ref v => panic!("{v:?}"),
            }
        }
    };
    let community = source(&first, Auth::community_v2c("public")).await;
    assert_eq!(source(&first, auth("bob", "password-1")).await, community);
    assert_eq!(source(&first, auth("carol", "password-2")).await, community);
    // bob again, with bob's other passwords on the other agent: another USM, another socket.
    let other_bob = source(&second, auth("bob", "password-9")).await;
    assert_ne!(other_bob, community);
    // And the first bob still works, on the shared socket.
    assert_eq!(source(&first, auth("bob", "password-1")).await, community);
    assert_eq!(i32::from(m.local_addrs()[0].port()), community);
}

/// snmpd.conf's `load` and `swap` reach the host groups the agent serves.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn load_and_swap_lines_set_the_host_groups_thresholds() {
    let (config, warnings) = AgentConfig::parse(
        "rocommunity public 127.0.0.1\nload 1000 0\nswap 4000000000\n",
        "t.conf",
    )
    .unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse().unwrap())
        .host_mibs()
        .config(&config)
        .unwrap()
        .start()
        .await
        .unwrap();
    let target = Target::new(agent.udp_addr().unwrap());
    let m = manager().await;
    let got = m
        .get(
            &target,
            &Auth::community_v2c("public"),
            [
                oid!(1, 3, 6, 1, 4, 1, 2021, 10, 1, 4, 1),
                oid!(1, 3, 6, 1, 4, 1, 2021, 10, 1, 4, 3),
                oid!(1, 3, 6, 1, 4, 1, 2021, 10, 1, 100, 2),
                oid!(1, 3, 6, 1, 4, 1, 2021, 4, 12, 0),
                oid!(1, 3, 6, 1, 4, 1, 2021, 4, 100, 0),
            ],
        )
        .await
        .unwrap();
    let values: Vec<Value> = got.into_iter().map(|vb| vb.value).collect();
    assert_eq!(
        values,
        [
            Value::from("1000.00"),
            // MAX15 missing: MAX5's.
            Value::from("0.00"),
            // No maximum: never an error.
            Value::Integer(0),
            // 4,000,000,000 KiB as snmpd's INTEGER: at most 2^31 - 1.
            Value::Integer(i32::MAX),
            // Less swap than that is free: the error is set.
            Value::Integer(1),
        ]
    );
    agent.shutdown().await;
}
