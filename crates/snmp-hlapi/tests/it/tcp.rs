//! The manager over TCP (RFC 3430): against this crate's agent listening on TCP (every
//! version, walks), and against scripted TCP agents that close the connection after each
//! answer (reconnection), drop a request (a retry on the same connection) or are not there
//! (a refused connection).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use snmp_ber::{DecodeOptions, Decoder};
use snmp_hlapi::agent::Agent;
use snmp_hlapi::instrument::Syntax;
use snmp_hlapi::instrument::{Access, Column, IndexSyntax, IndexValue, Table};
use snmp_hlapi::{
    Auth, AuthProtocol, Error, Manager, ManagerConfig, PrivProtocol, Protocol, SecurityLevel,
    Target, TransportError, UsmAuth, Value, oid,
};
use snmp_mpm::{CommunityMessage, Message};
use snmp_smi::Pdu;
use snmp_usm::UsmUser;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::{Script, bounded, mib, public, row, table_root};

fn admin() -> Auth {
    Auth::usm(
        UsmAuth::new("admin")
            .auth(AuthProtocol::Sha256, "authpassword")
            .unwrap()
            .privacy(PrivProtocol::Aes128, "privpassword")
            .unwrap(),
    )
}

async fn manager() -> Manager {
    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_millis(300)).retries(2);
    Manager::with_config(&config).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_version_over_tcp_to_our_agent() {
    let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
        .index_column(1, IndexSyntax::Integer, Access::NotAccessible)
        .column(2, Column::new(Syntax::display_string(), Access::ReadOnly));
    for i in 1..=120u32 {
        table
            .rows()
            .insert_row(
                &[IndexValue::Integer(i)],
                [(2, Value::from(format!("row {i}")))],
            )
            .unwrap();
    }
    let user = UsmUser::new("admin")
        .with_auth(AuthProtocol::Sha256, b"authpassword")
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, b"privpassword")
        .unwrap();
    let agent = Agent::builder()
        .listen_tcp("127.0.0.1:0".parse().unwrap())
        .rocommunity("public")
        .user(user)
        .rouser("admin", SecurityLevel::AuthPriv)
        .system(|s| s.location = "over tcp".into())
        .register(table.entry().clone(), table)
        .start()
        .await
        .unwrap();
    let tcp = agent
        .local_addrs()
        .iter()
        .find(|l| l.protocol == Protocol::Tcp)
        .unwrap()
        .addr;
    let target: Target = format!("tcp:{tcp}").parse().unwrap();
    let m = manager().await;
    let location = oid!(1, 3, 6, 1, 2, 1, 1, 6, 0);
    let column = oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1, 2);
    for auth in [
        Auth::community_v1("public"),
        Auth::community_v2c("public"),
        admin(),
    ] {
        let got = bounded(m.get(&target, &auth, [location.clone()]))
            .await
            .unwrap();
        assert_eq!(got[0].value, Value::from("over tcp"), "{auth:?}");
        for walk in [
            m.walk(&target, &auth, column.clone()),
            m.bulk_walk(&target, &auth, column.clone(), 25),
        ] {
            let rows = bounded(walk.collect()).await.unwrap();
            assert_eq!(rows.len(), 120, "{auth:?}");
            assert_eq!(rows[119].value, Value::from("row 120"));
        }
    }
    // Over UDP, where the agent does not listen, the same request times out.
    let mut udp = Target::new(tcp);
    udp.timeout(Duration::from_millis(100)).retries(0);
    let e = bounded(m.get(&udp, &public(), [location]))
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e}");
}

/// How a scripted TCP agent behaves.
#[derive(Clone, Copy, Debug, Default)]
struct TcpScript {
    /// Close each connection after answering this many requests.
    close_after: Option<usize>,
    /// Ignore the first request of each connection (its retry is answered).
    drop_first: bool,
}

struct TcpAgent {
    target: Target,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

/// An SNMPv2c agent on TCP serving `crate::mib()`, one task per connection.
async fn tcp_agent(script: TcpScript) -> TcpAgent {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let mut target = Target::new(listener.local_addr().unwrap());
    target.protocol(Protocol::Tcp);
    let connections = Arc::new(AtomicUsize::new(0));
    let requests = Arc::new(AtomicUsize::new(0));
    let mib = Arc::new(std::sync::Mutex::new(mib()));
    let (accepted, counted) = (Arc::clone(&connections), Arc::clone(&requests));
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            accepted.fetch_add(1, Ordering::Relaxed);
            let (counted, mib) = (Arc::clone(&counted), Arc::clone(&mib));
            tokio::spawn(async move {
                let dec = Decoder::new(DecodeOptions::LENIENT);
                let mut buf = BytesMut::new();
                let mut seen = 0;
                let mut answered = 0;
                loop {
                    // This test's messages are short: a one-octet length.
                    if buf.len() >= 2 && buf.len() >= 2 + usize::from(buf[1]) {
                        let wire: Bytes = buf.split_to(2 + usize::from(buf[1])).freeze();
                        let Ok(Message::Community(request)) = Message::decode(&dec, &wire) else {
                            return;
                        };
                        counted.fetch_add(1, Ordering::Relaxed);
                        seen += 1;
                        if script.drop_first && seen == 1 {
                            continue;
                        }
                        let response = crate::answer(
                            &Script::default(),
                            &mut mib.lock().unwrap(),
                            request.pdu,
                        );
                        let reply = Message::Community(CommunityMessage {
                            version: request.version,
                            community: request.community,
                            pdu: Pdu::Response(response),
                        })
                        .to_bytes()
                        .unwrap();
                        stream.write_all(&reply).await.unwrap();
                        answered += 1;
                        if script.close_after == Some(answered) {
                            return;
                        }
                        continue;
                    }
                    match stream.read_buf(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(_) => {}
                    }
                }
            });
        }
    });
    TcpAgent {
        target,
        connections,
        requests,
    }
}

#[tokio::test]
async fn one_connection_carries_every_request() {
    let agent = tcp_agent(TcpScript::default()).await;
    let m = manager().await;
    let rows = bounded(m.walk(&agent.target, &public(), table_root()).collect())
        .await
        .unwrap();
    assert_eq!(rows.len(), 50);
    assert_eq!(agent.requests.load(Ordering::Relaxed), 51);
    assert_eq!(agent.connections.load(Ordering::Relaxed), 1);
}

#[tokio::test]
async fn a_closed_connection_is_opened_again() {
    let agent = tcp_agent(TcpScript {
        close_after: Some(1),
        ..TcpScript::default()
    })
    .await;
    let m = manager().await;
    for n in 1..=3 {
        let got = bounded(m.get_next(&agent.target, &public(), [table_root()]))
            .await
            .unwrap();
        assert_eq!(got[0].oid, row(1));
        // Let the manager see the end of the stream before the next request.
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(agent.connections.load(Ordering::Relaxed), n);
    }
}

#[tokio::test]
async fn a_retry_goes_over_the_same_connection() {
    let agent = tcp_agent(TcpScript {
        drop_first: true,
        ..TcpScript::default()
    })
    .await;
    let m = manager().await;
    let got = bounded(m.get_next(&agent.target, &public(), [table_root()]))
        .await
        .unwrap();
    assert_eq!(got[0].oid, row(1));
    assert_eq!(agent.requests.load(Ordering::Relaxed), 2);
    assert_eq!(agent.connections.load(Ordering::Relaxed), 1);
}

#[tokio::test]
async fn a_refused_connection_is_an_io_error() {
    // A port just freed: nothing listens there.
    let addr = TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let mut target = Target::new(addr);
    target.protocol(Protocol::Tcp);
    let m = manager().await;
    match bounded(m.get(&target, &public(), [oid!(1, 3, 6, 1, 2, 1, 1, 5, 0)])).await {
        Err(Error::Transport(TransportError::Io(e))) => {
            assert_eq!(e.kind(), std::io::ErrorKind::ConnectionRefused, "{e}");
        }
        other => panic!("{other:?}"),
    }
}
