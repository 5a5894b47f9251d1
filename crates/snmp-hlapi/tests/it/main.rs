//! The manager against small scripted SNMPv2c agents on loopback, each serving a
//! `BTreeMap<Oid, Value>` for GET, GETNEXT, GETBULK and SET.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod agent;
mod blocking;
mod host;
mod memory;
mod notify;
mod tcp;
mod walk_stream;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::ops::Bound;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_hlapi::{
    Auth, AuthProtocol, Error, ErrorStatus, Manager, ManagerConfig, Oid, PrivProtocol, Target,
    UsmAuth, Value, VarBind, VarBindExt, WalkOptions, is_end_of_mib, oid,
};
use snmp_mpm::{CommunityMessage, Message};
use snmp_smi::{BasicPdu, Pdu};
use tokio::net::UdpSocket;

/// Bounds every wait of these tests, so that a bug fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(20);

type Mib = Arc<Mutex<BTreeMap<Oid, Value>>>;

/// How a scripted agent misbehaves.
#[derive(Clone, Debug, Default)]
struct Script {
    /// Every GETNEXT and GETBULK is answered with the first OID of the MIB.
    non_increasing: bool,
    /// A GETBULK of more repetitions than this is answered tooBig.
    too_big_above: Option<i32>,
    /// `(limit, after)`: once `after` GETBULKs were answered, a GETBULK of more
    /// repetitions than `limit` is not answered at all.
    silent_above: Option<(i32, usize)>,
    /// A request naming this OID is answered with this error-status, at its index.
    error_on: Option<(Oid, ErrorStatus)>,
    /// GETBULK is answered with this error-status (`Some(noError)`: with no bindings).
    bulk_broken: Option<ErrorStatus>,
}

struct Agent {
    addr: SocketAddr,
    mib: Mib,
    requests: Arc<AtomicUsize>,
}

fn table_root() -> Oid {
    oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1)
}

fn row(n: u32) -> Oid {
    table_root().extend(&[n]).unwrap()
}

/// sysDescr.0, sysName.0, a 50-row table under `table_root`, and two objects after it.
fn mib() -> BTreeMap<Oid, Value> {
    let mut mib = BTreeMap::new();
    mib.insert(
        oid!(1, 3, 6, 1, 2, 1, 1, 1, 0),
        Value::from("scripted agent"),
    );
    mib.insert(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), Value::from("agent"));
    for n in 1..=50 {
        mib.insert(row(n), Value::Integer(i32::try_from(n).unwrap() * 10));
    }
    mib.insert(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 0), Value::Counter32(7));
    mib.insert(oid!(1, 3, 6, 1, 4, 1, 99999, 3, 0), Value::from("last"));
    mib
}

fn next_of(mib: &BTreeMap<Oid, Value>, oid: &Oid) -> VarBind {
    match mib
        .range((Bound::Excluded(oid.clone()), Bound::Unbounded))
        .next()
    {
        Some((k, v)) => VarBind::new(k.clone(), v.clone()),
        None => VarBind::new(oid.clone(), Value::EndOfMibView),
    }
}

fn first(mib: &BTreeMap<Oid, Value>) -> VarBind {
    let (k, v) = mib.iter().next().unwrap();
    VarBind::new(k.clone(), v.clone())
}

async fn agent(script: Script) -> Agent {
    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let addr = socket.local_addr().unwrap();
    let mib: Mib = Arc::new(Mutex::new(mib()));
    let requests = Arc::new(AtomicUsize::new(0));
    let (served, count) = (Arc::clone(&mib), Arc::clone(&requests));
    tokio::spawn(async move {
        let mut buf = vec![0u8; 65535];
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let mut bulks_answered = 0;
        loop {
            let (len, from) = socket.recv_from(&mut buf).await.unwrap();
            let wire = Bytes::copy_from_slice(&buf[..len]);
            let Ok(Message::Community(request)) = Message::decode(&dec, &wire) else {
                continue;
            };
            if &request.community[..] != b"public" {
                continue;
            }
            count.fetch_add(1, Ordering::Relaxed);
            if let Pdu::GetBulkRequest(p) = &request.pdu {
                if script.silent_above.is_some_and(|(limit, after)| {
                    bulks_answered >= after && p.max_repetitions > limit
                }) {
                    continue;
                }
                bulks_answered += 1;
            }
            let response = answer(&script, &mut served.lock().unwrap(), request.pdu);
            let answer = Message::Community(CommunityMessage {
                version: request.version,
                community: request.community,
                pdu: Pdu::Response(response),
            })
            .to_bytes()
            .unwrap();
            socket.send_to(&answer, from).await.unwrap();
        }
    });
    Agent {
        addr,
        mib,
        requests,
    }
}

fn answer(script: &Script, mib: &mut BTreeMap<Oid, Value>, pdu: Pdu) -> BasicPdu {
    let (request_id, asked) = match &pdu {
        Pdu::GetRequest(p) | Pdu::GetNextRequest(p) | Pdu::SetRequest(p) => {
            (p.request_id, p.varbinds.clone())
        }
        Pdu::GetBulkRequest(p) => (p.request_id, p.varbinds.clone()),
        _ => unreachable!(),
    };
    if let Some((bad, status)) = &script.error_on
        && let Some(i) = asked.iter().position(|vb| vb.oid == *bad)
    {
        return BasicPdu {
            request_id,
            error_status: *status,
            error_index: i32::try_from(i + 1).unwrap(),
            varbinds: asked,
        };
    }
    let varbinds = match pdu {
        Pdu::GetRequest(p) => p
            .varbinds
            .iter()
            .map(|vb| match mib.get(&vb.oid) {
                Some(v) => VarBind::new(vb.oid.clone(), v.clone()),
                None => VarBind::new(vb.oid.clone(), Value::NoSuchObject),
            })
            .collect(),
        Pdu::GetNextRequest(p) if script.non_increasing => vec![first(mib); p.varbinds.len()],
        Pdu::GetNextRequest(p) => p.varbinds.iter().map(|vb| next_of(mib, &vb.oid)).collect(),
        Pdu::SetRequest(p) => {
            for vb in &p.varbinds {
                mib.insert(vb.oid.clone(), vb.value.clone());
            }
            p.varbinds
        }
        Pdu::GetBulkRequest(_) if script.bulk_broken.is_some() => {
            let status = script.bulk_broken.unwrap_or_default();
            return BasicPdu {
                request_id,
                error_status: status,
                error_index: i32::from(status != ErrorStatus::NO_ERROR),
                varbinds: Vec::new(),
            };
        }
        Pdu::GetBulkRequest(p) => {
            if script.too_big_above.is_some_and(|l| p.max_repetitions > l) {
                return BasicPdu {
                    request_id,
                    error_status: ErrorStatus::TOO_BIG,
                    error_index: 0,
                    varbinds: Vec::new(),
                };
            }
            let n = usize::try_from(p.non_repeaters.max(0))
                .unwrap()
                .min(p.varbinds.len());
            let mut out: Vec<VarBind> = p.varbinds[..n]
                .iter()
                .map(|vb| next_of(mib, &vb.oid))
                .collect();
            let mut cursors: Vec<Oid> = p.varbinds[n..].iter().map(|vb| vb.oid.clone()).collect();
            for _ in 0..p.max_repetitions.max(0) {
                for cursor in &mut cursors {
                    let vb = if script.non_increasing {
                        first(mib)
                    } else {
                        next_of(mib, cursor)
                    };
                    cursor.clone_from(&vb.oid);
                    out.push(vb);
                }
            }
            out
        }
        _ => unreachable!(),
    };
    BasicPdu::new(request_id, varbinds)
}

async fn manager() -> Manager {
    let mut config = ManagerConfig::default();
    config
        .local_addr("127.0.0.1:0".parse().unwrap())
        .rng_seed(7)
        .timeout(Duration::from_millis(500))
        .retries(2);
    Manager::with_config(&config).await.unwrap()
}

fn public() -> Auth {
    Auth::community_v2c("public")
}

async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(LIMIT, f).await.expect("took too long")
}

#[tokio::test]
async fn get_values_and_exceptions() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let got = bounded(manager.get(
        &target,
        &public(),
        [
            oid!(1, 3, 6, 1, 2, 1, 1, 5, 0),
            oid!(1, 3, 6, 1, 2, 1, 1, 9, 0),
        ],
    ))
    .await
    .unwrap();
    assert_eq!(
        got[0],
        VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), "agent")
    );
    assert_eq!(got[0].to_string(), ".1.3.6.1.2.1.1.5.0 = STRING: \"agent\"");
    assert!(!got[0].is_exception());
    // A missing object is no error: the exception stays in its binding.
    assert_eq!(got[1].value, Value::NoSuchObject);
    assert!(got[1].is_exception());
    assert!(!is_end_of_mib(&got));
}

#[tokio::test]
async fn get_next_and_get_bulk() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let got = bounded(manager.get_next(
        &target,
        &public(),
        [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), row(50)],
    ))
    .await
    .unwrap();
    assert_eq!(
        got,
        vec![
            VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), "agent"),
            VarBind::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 0), Value::Counter32(7)),
        ]
    );
    // One non-repeater, then five rows of the table.
    let got = bounded(manager.get_bulk(
        &target,
        &public(),
        1,
        5,
        [oid!(1, 3, 6, 1, 2, 1, 1), table_root()],
    ))
    .await
    .unwrap();
    let oids: Vec<Oid> = got.iter().map(|vb| vb.oid.clone()).collect();
    let mut want = vec![oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)];
    want.extend((1..=5).map(row));
    assert_eq!(oids, want);
    // Past the end of the MIB.
    let end = bounded(manager.get_next(&target, &public(), [oid!(1, 3, 6, 1, 4, 1, 99999, 3, 0)]))
        .await
        .unwrap();
    assert!(is_end_of_mib(&end));
    assert!(end[0].is_end_of_mib());
}

#[tokio::test]
async fn set_writes() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let name = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
    let got = bounded(manager.set(&target, &public(), [VarBind::new(name.clone(), "renamed")]))
        .await
        .unwrap();
    assert_eq!(got, vec![VarBind::new(name.clone(), "renamed")]);
    assert_eq!(agent.mib.lock().unwrap()[&name], Value::from("renamed"));
    let got = bounded(manager.get(&target, &public(), [name.clone()]))
        .await
        .unwrap();
    assert_eq!(got[0].value, Value::from("renamed"));
}

#[tokio::test]
async fn walk_stops_at_the_end_of_the_subtree() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let mut walk = manager.walk(&target, &public(), table_root());
    let mut rows = Vec::new();
    while let Some(vb) = bounded(walk.next()).await {
        rows.push(vb.unwrap());
    }
    assert!(
        bounded(walk.next()).await.is_none(),
        "a finished walk stays finished"
    );
    let want: Vec<VarBind> = (1..=50)
        .map(|n| VarBind::new(row(n), Value::Integer(i32::try_from(n).unwrap() * 10)))
        .collect();
    assert_eq!(rows, want);
    // 50 rows, and the GETNEXT that found the first OID outside.
    assert_eq!(agent.requests.load(Ordering::Relaxed), 51);
}

#[tokio::test]
async fn lexicographic_walk_goes_to_the_end_of_the_mib() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let mut options = WalkOptions::default();
    options.lexicographic(true);
    let rows = bounded(
        manager
            .walk(&target, &public(), table_root())
            .with_options(options.clone())
            .collect(),
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 52);
    assert_eq!(rows[50].oid, oid!(1, 3, 6, 1, 4, 1, 99999, 2, 0));
    assert_eq!(rows[51].oid, oid!(1, 3, 6, 1, 4, 1, 99999, 3, 0));
    let bulk = bounded(
        manager
            .bulk_walk(&target, &public(), table_root(), 7)
            .with_options(options)
            .collect(),
    )
    .await
    .unwrap();
    assert_eq!(bulk, rows);
}

#[tokio::test]
async fn bulk_walk_equals_walk() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let walked = bounded(manager.walk(&target, &public(), table_root()).collect())
        .await
        .unwrap();
    let before = agent.requests.load(Ordering::Relaxed);
    let bulk = bounded(
        manager
            .bulk_walk(&target, &public(), table_root(), 10)
            .collect(),
    )
    .await
    .unwrap();
    assert_eq!(bulk, walked);
    assert_eq!(bulk.len(), 50);
    // Five GETBULKs of 10 rows, and one that leaves the subtree.
    assert_eq!(agent.requests.load(Ordering::Relaxed) - before, 6);
    // Over SNMPv1 a bulk walk is a GETNEXT walk.
    let v1 = bounded(
        manager
            .bulk_walk(&target, &Auth::community_v1("public"), table_root(), 10)
            .collect(),
    )
    .await
    .unwrap();
    assert_eq!(v1, walked);
}

#[tokio::test]
async fn a_broken_getbulk_falls_back_to_getnext() {
    let manager = manager().await;
    for broken in [
        ErrorStatus::GEN_ERR,
        ErrorStatus::NO_SUCH_NAME,
        ErrorStatus::NO_ERROR,
    ] {
        let agent = agent(Script {
            bulk_broken: Some(broken),
            ..Script::default()
        })
        .await;
        let target = Target::new(agent.addr);
        let mut walk = manager.bulk_walk(&target, &public(), table_root(), 10);
        let mut rows = Vec::new();
        while let Some(vb) = bounded(walk.next()).await {
            rows.push(vb.unwrap());
        }
        assert_eq!(rows.len(), 50, "{broken}");
        assert!(walk.fell_back_to_get_next(), "{broken}");
    }
    // A working GETBULK does not fall back.
    let agent = agent(Script::default()).await;
    let mut walk = manager.bulk_walk(&Target::new(agent.addr), &public(), table_root(), 10);
    while let Some(vb) = bounded(walk.next()).await {
        vb.unwrap();
    }
    assert!(!walk.fell_back_to_get_next());
}

#[tokio::test]
async fn bad_arguments_are_errors_not_defaults() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let before = agent.requests.load(Ordering::Relaxed);
    let mut walk = manager.bulk_walk(&target, &public(), table_root(), 0);
    match bounded(walk.next()).await {
        Some(Err(e @ Error::BadArgument(_))) => {
            assert_eq!(
                e.to_string(),
                "a bulk walk needs max-repetitions of at least 1"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(bounded(walk.next()).await.is_none());
    assert_eq!(
        agent.requests.load(Ordering::Relaxed),
        before,
        "nothing was sent"
    );
    // A GETBULK of max-repetitions 0 is legal (RFC 3416): only the non-repeaters come back.
    let got = bounded(manager.get_bulk(
        &target,
        &public(),
        1,
        0,
        [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), table_root()],
    ))
    .await
    .unwrap();
    assert_eq!(got.len(), 1);
    // An empty community is a legal OCTET STRING: sent, and this agent (which knows only
    // "public") never answers.
    let empty = Auth::community_v2c("");
    let err = bounded(manager.get(&target, &empty, [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)])).await;
    assert!(matches!(err, Err(ref e) if e.is_timeout()), "{err:?}");
    // Passwords too short, privacy without authentication, a bad address: errors that say so.
    let short = UsmAuth::new("u").auth(AuthProtocol::Sha1, "short");
    assert!(matches!(short, Err(Error::Credentials(_))));
    assert!("300.1.1.1:161".parse::<Target>().is_err());
}

#[tokio::test]
async fn bulk_walk_halves_max_repetitions_on_too_big() {
    let agent = agent(Script {
        too_big_above: Some(8),
        ..Script::default()
    })
    .await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let bulk = bounded(
        manager
            .bulk_walk(&target, &public(), table_root(), 40)
            .collect(),
    )
    .await
    .unwrap();
    let want: Vec<Oid> = (1..=50).map(row).collect();
    assert_eq!(
        bulk.iter().map(|vb| vb.oid.clone()).collect::<Vec<_>>(),
        want
    );
    // A single GETBULK of one repetition that is still too big is final.
    let agent = agent_too_big_always().await;
    let err = bounded(
        manager
            .bulk_walk(&Target::new(agent.addr), &public(), table_root(), 4)
            .collect(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err.request_error(), Some(snmp_hlapi::RequestError::TooBig)),
        "{err:?}"
    );
}

async fn agent_too_big_always() -> Agent {
    agent(Script {
        too_big_above: Some(0),
        ..Script::default()
    })
    .await
}

#[tokio::test]
async fn non_increasing_oid_is_an_error_not_a_loop() {
    let agent = agent(Script {
        non_increasing: true,
        ..Script::default()
    })
    .await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let root = oid!(1, 3, 6, 1, 2, 1, 1);
    for mut walk in [
        manager.walk(&target, &public(), root.clone()),
        manager.bulk_walk(&target, &public(), root.clone(), 5),
    ] {
        let first = bounded(walk.next()).await.unwrap().unwrap();
        assert_eq!(first.oid, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
        match bounded(walk.next()).await {
            Some(Err(Error::NonIncreasing { previous, next })) => {
                assert_eq!(*previous, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
                assert_eq!(*next, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
            }
            other => panic!("{other:?}"),
        }
        assert!(bounded(walk.next()).await.is_none());
    }
    // Tolerated, the walk is still bounded by max_rows.
    let mut options = WalkOptions::default();
    options.ignore_non_increasing(true).max_rows(Some(7));
    for walk in [
        manager.walk(&target, &public(), root.clone()),
        manager.bulk_walk(&target, &public(), root.clone(), 5),
    ] {
        let rows = bounded(walk.with_options(options.clone()).collect())
            .await
            .unwrap();
        assert_eq!(rows.len(), 7);
        assert!(
            rows.iter()
                .all(|vb| vb.oid == oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))
        );
    }
}

#[tokio::test]
async fn max_rows_cuts_a_walk() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let mut options = WalkOptions::default();
    options.max_rows(Some(12));
    let rows = bounded(
        manager
            .bulk_walk(&Target::new(agent.addr), &public(), table_root(), 10)
            .with_options(options)
            .collect(),
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 12);
    assert_eq!(rows[11].oid, row(12));
}

#[tokio::test]
async fn bulk_walk_halves_max_repetitions_on_timeout() {
    let manager = manager().await;
    let quick = |addr| {
        let mut t = Target::new(addr);
        t.timeout(Duration::from_millis(100)).retries(0);
        t
    };
    let want: Vec<Oid> = (1..=50).map(row).collect();
    // An agent that drops GETBULKs of more than 25 repetitions from the start: the first
    // timeout halves 40 to 20, and the walk goes on with 20.
    let large = agent(Script {
        silent_above: Some((25, 0)),
        ..Script::default()
    })
    .await;
    let mut walk = manager.bulk_walk(&quick(large.addr), &public(), table_root(), 40);
    let mut rows = Vec::new();
    while let Some(vb) = bounded(walk.next()).await {
        rows.push(vb.unwrap().oid);
    }
    assert_eq!(rows, want);
    assert_eq!(walk.max_repetitions(), Some(20));
    // Once the agent has answered, down to what it answers: 16, then 8, 4, 2.
    let later = agent(Script {
        silent_above: Some((2, 1)),
        ..Script::default()
    })
    .await;
    let mut walk = manager.bulk_walk(&quick(later.addr), &public(), table_root(), 16);
    let mut rows = Vec::new();
    while let Some(vb) = bounded(walk.next()).await {
        rows.push(vb.unwrap().oid);
    }
    assert_eq!(rows, want);
    assert_eq!(walk.max_repetitions(), Some(2));
    // An agent that never answers: one halving, then the timeout ends the walk (2 requests).
    let silent = agent(Script {
        silent_above: Some((0, 0)),
        ..Script::default()
    })
    .await;
    let err = bounded(
        manager
            .bulk_walk(&quick(silent.addr), &public(), table_root(), 40)
            .collect(),
    )
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(silent.requests.load(Ordering::Relaxed), 2);
    // Turned off: the first timeout ends the walk.
    let off = agent(Script {
        silent_above: Some((25, 0)),
        ..Script::default()
    })
    .await;
    let mut options = WalkOptions::default();
    options.shrink_on_timeout(false);
    let err = bounded(
        manager
            .bulk_walk(&quick(off.addr), &public(), table_root(), 40)
            .with_options(options)
            .collect(),
    )
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(off.requests.load(Ordering::Relaxed), 1);
}

#[tokio::test]
async fn collect_after_next_takes_the_rest_in_order() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let all = bounded(
        manager
            .bulk_walk(&target, &public(), table_root(), 7)
            .collect(),
    )
    .await
    .unwrap();
    assert_eq!(all.len(), 50);
    assert!(all.iter().zip(1..).all(|(vb, n)| vb.oid == row(n)));
    // Two bindings taken one by one (the rest of the first answer stays buffered), then
    // the rest collected: every row once, in order.
    let mut walk = manager.bulk_walk(&target, &public(), table_root(), 7);
    let mut rows = vec![
        bounded(walk.next()).await.unwrap().unwrap(),
        bounded(walk.next()).await.unwrap().unwrap(),
    ];
    rows.extend(bounded(walk.collect()).await.unwrap());
    assert_eq!(rows, all);
}

#[tokio::test]
async fn error_status_is_reported_with_its_index() {
    let bad = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
    let agent = agent(Script {
        error_on: Some((bad.clone(), ErrorStatus::NOT_WRITABLE)),
        ..Script::default()
    })
    .await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let err = bounded(manager.set(
        &target,
        &public(),
        [
            VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "x"),
            VarBind::new(bad.clone(), "y"),
        ],
    ))
    .await
    .unwrap_err();
    match &err {
        Error::Status {
            status,
            index,
            varbind,
        } => {
            assert_eq!(*status, ErrorStatus::NOT_WRITABLE);
            assert_eq!(*index, 2);
            assert_eq!(varbind.as_ref().unwrap().oid, bad);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(ErrorStatus::NOT_WRITABLE));
    assert!(!err.is_timeout());
    assert!(err.to_string().contains("at index 2"), "{err}");
    // A walk that meets an error-status yields it once and ends.
    let mut walk = manager.walk(&target, &public(), oid!(1, 3, 6, 1, 2, 1, 1, 5, 0));
    let mut walk_from_bad = manager.walk(&target, &public(), bad.parent().unwrap());
    assert!(bounded(walk.next()).await.unwrap().is_err());
    assert!(bounded(walk.next()).await.is_none());
    // From sysName's parent the GETNEXT asks 1.3.6.1.2.1.1.5, not the bad OID itself.
    assert!(bounded(walk_from_bad.next()).await.unwrap().is_ok());
}

#[tokio::test]
async fn silent_agent_times_out() {
    let silent = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let manager = manager().await;
    let mut target = Target::new(silent.local_addr().unwrap());
    target.timeout(Duration::from_millis(100)).retries(1);
    let err = bounded(manager.get(&target, &public(), [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(matches!(err, Error::Transport(_)));
    let walk_err = bounded(
        manager
            .walk(&target, &public(), oid!(1, 3, 6, 1, 2, 1, 1))
            .collect(),
    )
    .await
    .unwrap_err();
    assert!(walk_err.is_timeout(), "{walk_err:?}");
    // SNMPv3: the user's transport is made on first use, and discovery times out.
    let user = UsmAuth::new("admin")
        .auth(AuthProtocol::Sha1, "authpassword")
        .unwrap()
        .privacy(PrivProtocol::Aes128, "privpassword")
        .unwrap();
    let err = bounded(manager.get(&target, &Auth::usm(user), [oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn bad_credentials_and_addresses_are_refused() {
    assert!(matches!(
        UsmAuth::new("admin").auth(AuthProtocol::Sha1, "short"),
        Err(Error::Credentials(_))
    ));
    assert!(matches!(
        UsmAuth::new("admin").privacy(PrivProtocol::Aes128, "privpassword"),
        Err(Error::Credentials(_))
    ));
    let err = "localhost:abc".parse::<Target>().unwrap_err();
    assert!(
        err.to_string().contains("\"abc\" is not a port number"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_gets_to_two_agents() {
    let agents = [
        agent(Script::default()).await,
        agent(Script::default()).await,
    ];
    agents[1]
        .mib
        .lock()
        .unwrap()
        .insert(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), Value::from("second"));
    let manager = manager().await;
    let mut tasks = Vec::new();
    for i in 0..20u32 {
        let manager = manager.clone();
        let which = usize::try_from(i % 2).unwrap();
        let target = Target::new(agents[which].addr);
        tasks.push(tokio::spawn(async move {
            let got = manager
                .get(
                    &target,
                    &public(),
                    [oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), row(i + 1)],
                )
                .await
                .unwrap();
            (which, i, got)
        }));
    }
    for task in tasks {
        let (which, i, got) = bounded(task).await.unwrap();
        let name = if which == 0 { "agent" } else { "second" };
        assert_eq!(got[0].value, Value::from(name));
        assert_eq!(
            got[1],
            VarBind::new(
                row(i + 1),
                Value::Integer(i32::try_from(i + 1).unwrap() * 10)
            )
        );
    }
    assert_eq!(agents[0].requests.load(Ordering::Relaxed), 10);
    assert_eq!(agents[1].requests.load(Ordering::Relaxed), 10);
}

#[tokio::test]
async fn default_engine_ids_differ_between_managers() {
    let a = Manager::new().await.unwrap();
    let b = Manager::new().await.unwrap();
    assert_ne!(a.engine_id(), b.engine_id());
    assert_eq!(&a.engine_id().as_bytes()[5..12], b"snmp-rs");
    let port = a.local_addrs()[0].port().to_be_bytes();
    assert_eq!(&a.engine_id().as_bytes()[16..18], &port);
}
