//! The blocking manager against a scripted agent running on a runtime of its own: every
//! request type, walks as iterators, and errors as the async manager gives them.

use std::sync::atomic::Ordering;
use std::time::Duration;

use snmp_hlapi::blocking::Manager;
use snmp_hlapi::{Error, ManagerConfig, Target, Value, VarBind, WalkOptions, oid};

use crate::{Script, agent, public, row, table_root};

fn manager() -> Manager {
    let mut config = ManagerConfig::default();
    config
        .local_addr("127.0.0.1:0".parse().unwrap())
        .rng_seed(7)
        .timeout(Duration::from_millis(300))
        .retries(1);
    Manager::with_config(&config).unwrap()
}

/// The scripted agent, on a runtime that outlives the test's calls.
fn agent_runtime() -> (tokio::runtime::Runtime, crate::Agent) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let agent = runtime.block_on(agent(Script::default()));
    (runtime, agent)
}

#[test]
fn every_request_type_blocks_until_answered() {
    let (_runtime, agent) = agent_runtime();
    let manager = manager();
    let target = Target::new(agent.addr);
    let sys_name = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
    let got = manager.get(&target, &public(), [sys_name.clone()]).unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].oid, sys_name);
    let next = manager
        .get_next(&target, &public(), [table_root()])
        .unwrap();
    assert_eq!(next[0].oid, row(1));
    let bulk = manager
        .get_bulk(&target, &public(), 0, 5, [table_root()])
        .unwrap();
    let oids: Vec<_> = bulk.iter().map(|vb| vb.oid.clone()).collect();
    assert_eq!(oids, (1..=5).map(row).collect::<Vec<_>>());
    manager
        .set(
            &target,
            &public(),
            [VarBind::new(sys_name.clone(), Value::from("blocking"))],
        )
        .unwrap();
    let got = manager.get(&target, &public(), [sys_name]).unwrap();
    assert_eq!(got[0].value, Value::from("blocking"));
}

#[test]
fn walks_are_iterators() {
    let (_runtime, agent) = agent_runtime();
    let manager = manager();
    let target = Target::new(agent.addr);
    let walked: Vec<VarBind> = manager
        .walk(&target, &public(), table_root())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(walked.len(), 50);
    assert_eq!(walked[49].oid, row(50));
    let before = agent.requests.load(Ordering::Relaxed);
    let bulk: Vec<VarBind> = manager
        .bulk_walk(&target, &public(), table_root(), 10)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(bulk, walked);
    assert_eq!(agent.requests.load(Ordering::Relaxed) - before, 6);
    // Lazily: three bindings taken, one GETBULK sent.
    let before = agent.requests.load(Ordering::Relaxed);
    let first: Vec<_> = manager
        .bulk_walk(&target, &public(), table_root(), 10)
        .take(3)
        .map(Result::unwrap)
        .collect();
    assert_eq!(first, walked[..3]);
    assert_eq!(agent.requests.load(Ordering::Relaxed) - before, 1);
    let mut options = WalkOptions::default();
    options.max_rows(Some(4));
    let cut = manager
        .walk(&target, &public(), table_root())
        .with_options(options)
        .count();
    assert_eq!(cut, 4);
}

#[test]
fn a_silent_agent_times_out() {
    // A bound socket that never answers.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let manager = manager();
    let target = Target::new(silent.local_addr().unwrap());
    let error = manager
        .get(&target, &public(), [oid!(1, 3, 6, 1, 2, 1, 1, 5, 0)])
        .unwrap_err();
    assert!(error.is_timeout(), "{error}");
    let mut walk = manager.walk(&target, &public(), table_root());
    assert!(matches!(walk.next(), Some(Err(Error::Transport(_)))));
    assert!(walk.next().is_none());
}
