//! The transport against a small in-process SNMPv2c agent on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_engine::{GeneratorConfig, RequestError, RequestPdu, Target};
use snmp_mpm::{CommunityMessage, Message};
use snmp_smi::{BasicPdu, Oid, Pdu, Value, VarBind, oid};
use snmp_transport::{Client, TransportError, UdpTransport};
use snmp_usm::Usm;
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

mod memory;

/// Bounds every wait of these tests, so that a bug fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(10);

fn usm() -> Usm {
    Usm::new("0x80001f88046d6772".parse().unwrap(), 1, Instant::now(), 0)
}

/// The value the agent answers for `oid`: its last arc, as text.
fn answer_for(oid: &Oid) -> Value {
    Value::from(format!("value-{}", oid.as_slice().last().unwrap()))
}

/// An SNMPv2c agent for community "public": answers every GetRequest with
/// [`answer_for`] each binding, counting the requests it saw.
async fn agent(local: &str) -> (SocketAddr, Arc<AtomicUsize>) {
    let socket = UdpSocket::bind(local).await.unwrap();
    let addr = socket.local_addr().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&seen);
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65535];
        let dec = Decoder::new(DecodeOptions::LENIENT);
        loop {
            let (len, from) = socket.recv_from(&mut buf).await.unwrap();
            let wire = Bytes::copy_from_slice(&buf[..len]);
            let Ok(Message::Community(request)) = Message::decode(&dec, &wire) else {
                continue;
            };
            if &request.community[..] != b"public" {
                continue;
            }
            let Pdu::GetRequest(get) = request.pdu else {
                continue;
            };
            count.fetch_add(1, Ordering::Relaxed);
            let varbinds = get
                .varbinds
                .iter()
                .map(|vb| VarBind::new(vb.oid.clone(), answer_for(&vb.oid)))
                .collect();
            let answer = Message::Community(CommunityMessage {
                version: request.version,
                community: request.community,
                pdu: Pdu::Response(BasicPdu::new(get.request_id, varbinds)),
            })
            .to_bytes()
            .unwrap();
            socket.send_to(&answer, from).await.unwrap();
        }
    });
    (addr, seen)
}

async fn transport(local: &str) -> (Client, JoinHandle<std::io::Result<()>>) {
    let mut config = GeneratorConfig::default();
    config.rng_seed(7);
    UdpTransport::bind(local.parse().unwrap(), config, usm())
        .await
        .unwrap()
}

fn row(n: u32) -> Oid {
    oid!(1, 3, 6, 1, 4, 1, 99999, 1).extend(&[n]).unwrap()
}

async fn stops(driver: JoinHandle<std::io::Result<()>>) {
    tokio::time::timeout(LIMIT, driver)
        .await
        .expect("the driver did not stop")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn one_request_round_trip() {
    let (agent, seen) = agent("127.0.0.1:0").await;
    let (client, driver) = transport("127.0.0.1:0").await;
    assert!(client.local_addrs()[0].ip().is_loopback());
    let response = tokio::time::timeout(
        LIMIT,
        client.request(
            Target::v2c(agent, "public"),
            RequestPdu::get([row(1), row(2)]),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(
        response.varbinds,
        vec![
            VarBind::new(row(1), "value-1"),
            VarBind::new(row(2), "value-2")
        ]
    );
    assert_eq!(seen.load(Ordering::Relaxed), 1);
    drop(client);
    stops(driver).await;
}

/// 200 requests from 8 tasks on clones of one client, all in flight together: each gets
/// the answer to its own question (the driver wakes each waiter with its own outcome).
#[tokio::test]
async fn concurrent_requests_get_their_own_answers() {
    let (agent, seen) = agent("127.0.0.1:0").await;
    let (client, driver) = transport("127.0.0.1:0").await;
    let mut tasks = Vec::new();
    for task in 0..8u32 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let requests = (0..25u32).map(|i| {
                let n = task * 25 + i;
                let client = client.clone();
                async move {
                    let response = client
                        .request(Target::v2c(agent, "public"), RequestPdu::get([row(n)]))
                        .await
                        .unwrap();
                    assert_eq!(
                        response.varbinds,
                        vec![VarBind::new(row(n), answer_for(&row(n)))]
                    );
                    n
                }
            });
            let mut done = Vec::new();
            // All 25 of this task in flight at once.
            let handles: Vec<_> = requests.map(tokio::spawn).collect();
            for handle in handles {
                done.push(handle.await.unwrap());
            }
            done
        }));
    }
    let mut answered = Vec::new();
    for task in tasks {
        answered.extend(tokio::time::timeout(LIMIT, task).await.unwrap().unwrap());
    }
    answered.sort_unstable();
    assert_eq!(answered, (0..200).collect::<Vec<_>>());
    assert_eq!(seen.load(Ordering::Relaxed), 200);
    drop(client);
    stops(driver).await;
}

/// A target that never answers: the generator's Timeout, after the first try and one
/// retry of 100 ms each.
#[tokio::test]
async fn silent_target_times_out_after_its_retries() {
    let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let (client, driver) = transport("127.0.0.1:0").await;
    let target = Target::v2c(silent.local_addr().unwrap(), "public")
        .with_timeout(Duration::from_millis(100))
        .with_retries(1);
    let started = Instant::now();
    let outcome = tokio::time::timeout(LIMIT, client.request(target, RequestPdu::get([row(1)])))
        .await
        .unwrap();
    assert!(
        matches!(outcome, Err(TransportError::Request(RequestError::Timeout))),
        "{outcome:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(200));
    // Two tries reached the silent socket.
    let mut buf = [0u8; 1500];
    for _ in 0..2 {
        let (_, from) = silent.try_recv_from(&mut buf).unwrap();
        assert_eq!(from.port(), client.local_addrs()[0].port());
    }
    assert!(silent.try_recv_from(&mut buf).is_err());
    drop(client);
    stops(driver).await;
}

#[tokio::test]
async fn ipv6_loopback() {
    let (agent, _) = agent("[::1]:0").await;
    let (client, driver) = UdpTransport::default()
        .spawn(GeneratorConfig::default(), usm())
        .await
        .unwrap();
    assert!(client.local_addrs().iter().any(SocketAddr::is_ipv6));
    let response = tokio::time::timeout(
        LIMIT,
        client.request(Target::v2c(agent, "public"), RequestPdu::get([row(6)])),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(response.varbinds, vec![VarBind::new(row(6), "value-6")]);
    drop(client);
    stops(driver).await;
}

/// A transport bound for IPv4 only refuses an IPv6 agent at once.
#[tokio::test]
async fn no_socket_of_the_family() {
    let (client, driver) = transport("127.0.0.1:0").await;
    let outcome = client
        .request(
            Target::v2c("[::1]:161".parse().unwrap(), "public"),
            RequestPdu::get([row(1)]),
        )
        .await;
    assert!(
        matches!(outcome, Err(TransportError::NoSocket(_))),
        "{outcome:?}"
    );
    drop(client);
    stops(driver).await;
}

/// The driver stops once the last clone is dropped, but only after the request still in
/// flight has its answer.
#[tokio::test]
async fn dropping_every_client_ends_the_driver() {
    let (agent, _) = agent("127.0.0.1:0").await;
    let (client, driver) = transport("127.0.0.1:0").await;
    let other = client.clone();
    drop(client);
    let in_flight = tokio::spawn(async move {
        other
            .request(Target::v2c(agent, "public"), RequestPdu::get([row(3)]))
            .await
    });
    let response = tokio::time::timeout(LIMIT, in_flight)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(response.varbinds, vec![VarBind::new(row(3), "value-3")]);
    stops(driver).await;
}

/// A driver whose clients are all gone while a request is unanswered waits for its
/// timeout, then stops.
#[tokio::test]
async fn driver_outlives_an_abandoned_request_until_its_timeout() {
    let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let (client, driver) = transport("127.0.0.1:0").await;
    let target = Target::v2c(silent.local_addr().unwrap(), "public")
        .with_timeout(Duration::from_millis(50))
        .with_retries(0);
    let request =
        tokio::spawn(async move { client.request(target, RequestPdu::get([row(1)])).await });
    // Let it reach the driver, then abandon it (dropping the last client with it).
    silent.readable().await.unwrap();
    request.abort();
    stops(driver).await;
}

#[tokio::test]
async fn bind_refuses_a_wrong_family_and_no_family() {
    let mut transport = UdpTransport::default();
    transport.ipv4(Some("[::1]:0".parse().unwrap()));
    assert!(
        transport
            .spawn(GeneratorConfig::default(), usm())
            .await
            .is_err()
    );
    transport.ipv4(None).ipv6(None);
    assert!(
        transport
            .spawn(GeneratorConfig::default(), usm())
            .await
            .is_err()
    );
}
