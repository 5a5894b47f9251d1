//! `Walk` as a `futures_core::Stream`: the same bindings as its inherent `next`, and a
//! `next` that can be abandoned mid-request without losing the request.

use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};
use std::sync::atomic::Ordering;
use std::task::Poll;

use futures_core::Stream;
use snmp_hlapi::{Target, VarBind, Walk};

use crate::{Script, agent, bounded, manager, public, table_root};

/// `StreamExt::next` without the `futures` crate.
async fn stream_next(walk: &mut Walk) -> Option<<Walk as Stream>::Item> {
    poll_fn(|cx| Pin::new(&mut *walk).poll_next(cx)).await
}

#[tokio::test]
async fn a_walk_is_a_stream_of_the_same_bindings() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let walked = bounded(manager.walk(&target, &public(), table_root()).collect())
        .await
        .unwrap();
    assert_eq!(walked.len(), 50);
    for mut walk in [
        manager.walk(&target, &public(), table_root()),
        manager.bulk_walk(&target, &public(), table_root(), 7),
    ] {
        let mut streamed: Vec<VarBind> = Vec::new();
        while let Some(vb) = bounded(stream_next(&mut walk)).await {
            streamed.push(vb.unwrap());
        }
        assert_eq!(streamed, walked);
        assert_eq!(walk.size_hint(), (0, Some(0)), "a finished walk knows it");
        assert!(bounded(stream_next(&mut walk)).await.is_none());
    }
}

#[tokio::test]
async fn an_abandoned_next_keeps_its_request() {
    let agent = agent(Script::default()).await;
    let manager = manager().await;
    let target = Target::new(agent.addr);
    let mut walk = manager.walk(&target, &public(), table_root());
    {
        // Poll once: the first GETNEXT is sent, its answer cannot have come yet.
        let mut next = pin!(walk.next());
        let first = poll_fn(|cx| Poll::Ready(next.as_mut().poll(cx))).await;
        assert!(first.is_pending());
    }
    // The next call takes the answer of that request instead of sending another.
    let vb = bounded(walk.next()).await.unwrap().unwrap();
    assert_eq!(vb.oid, crate::row(1));
    assert_eq!(agent.requests.load(Ordering::Relaxed), 1);
}
