//! The command generator against the scripted agent, one test per path.

use std::time::Duration;

use bytes::Bytes;
use snmp_mpm::{Message, MsgFlags, ScopedPduData, SecurityLevel, Version};
use snmp_smi::{ErrorStatus, Oid, Pdu, Value, VarBind, oid};

use super::util::{
    AGENT, AGENT_BOOTS, AGENT_ENGINE, AGENT_OTHER, AGENT_UP, Pair, Tamper, admin, decode, is_probe,
    sys_descr, usm_params,
};
use crate::{Event, GeneratorConfig, ReportKind, RequestError, RequestPdu, Target};

const MS: Duration = Duration::from_millis(1);
const S: Duration = Duration::from_secs(1);

fn if_descr(i: u32) -> Oid {
    oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2).child(i).unwrap()
}

/// The request-id of a v1/v2c datagram the generator sent.
fn community_request_id(wire: &Bytes) -> i32 {
    let Message::Community(m) = decode(wire) else {
        panic!("not v1/v2c")
    };
    m.pdu.request_id().unwrap()
}

#[test]
fn v2c_get() {
    let mut pair = Pair::new();
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    let r = pair.response(h);
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(
        r.varbinds,
        vec![VarBind::new(sys_descr(), "scripted agent")]
    );
    assert_eq!(r.request_id, community_request_id(&pair.sent[0].1));
    assert!(r.request_id > 0);
    assert_eq!(pair.sent.len(), 1);
    // One round trip over a 10 ms link.
    assert_eq!(pair.events[0].0, 20 * MS);
    let Message::Community(m) = decode(&pair.sent[0].1) else {
        panic!()
    };
    assert_eq!(
        (m.version, &m.community[..]),
        (Version::V2c, &b"public"[..])
    );
    assert!(matches!(m.pdu, Pdu::GetRequest(_)));
    assert_eq!(pair.generator.pending(), 0);
    assert_eq!(pair.generator.poll_timeout(), None);
}

/// SNMPv1: the message carries version 0, and an agent error (noSuchName) is delivered as
/// the agent sent it, not interpreted.
#[test]
fn v1_get_and_agent_error_passes_through() {
    let mut pair = Pair::new();
    let target = Target::v1(AGENT, "public");
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds,
        vec![VarBind::new(sys_descr(), "scripted agent")]
    );
    let Message::Community(m) = decode(&pair.sent[0].1) else {
        panic!()
    };
    assert_eq!(m.version, Version::V1);

    let missing = oid!(1, 3, 6, 1, 4, 1, 99, 0);
    pair.events.clear();
    let h = pair.send(&target, RequestPdu::get([sys_descr(), missing]));
    pair.drive();
    let r = pair.response(h);
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NO_SUCH_NAME, 2)
    );
}

#[test]
fn get_bulk_in_v1_is_refused() {
    let mut pair = Pair::new();
    let h = pair.send(
        &Target::v1(AGENT, "public"),
        RequestPdu::get_bulk(0, 5, [sys_descr()]),
    );
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::GetBulkInV1);
    assert!(pair.sent.is_empty());
}

#[test]
fn retry_after_loss_then_success() {
    let mut pair = Pair::new();
    pair.drop_to_agent = 1;
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds[0].value.as_str(),
        Some("scripted agent")
    );
    // The retry is the same message, one timeout later.
    assert_eq!(pair.sent.len(), 2);
    assert_eq!((pair.sent[0].0, pair.sent[1].0), (Duration::ZERO, S));
    assert_eq!(pair.sent[0].1, pair.sent[1].1);
    assert_eq!(pair.events[0].0, S + 20 * MS);
}

#[test]
fn timeout_after_all_retries() {
    let mut pair = Pair::new();
    pair.drop_to_agent = u32::MAX;
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::Timeout);
    // Defaults: 1 s and 5 retries: 6 identical transmissions, at 0..5 s, failure at 6 s.
    let times: Vec<Duration> = pair.sent.iter().map(|(t, _)| *t).collect();
    assert_eq!(times, (0..6).map(|i| i * S).collect::<Vec<_>>());
    assert!(pair.sent.iter().all(|(_, w)| *w == pair.sent[0].1));
    assert_eq!(pair.events[0].0, 6 * S);
    assert_eq!(pair.generator.poll_timeout(), None);

    // A target's own timeout and retries.
    let mut pair = Pair::new();
    pair.drop_to_agent = u32::MAX;
    let target = pair.v2c().with_timeout(300 * MS).with_retries(1);
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::Timeout);
    let times: Vec<Duration> = pair.sent.iter().map(|(t, _)| *t).collect();
    assert_eq!(times, [Duration::ZERO, 300 * MS]);
    assert_eq!(pair.events[0].0, 600 * MS);
}

/// The answer to the first try arrives after the retry went out (and was lost): it counts.
#[test]
fn late_reply_to_an_earlier_try_completes() {
    let mut pair = Pair::new();
    pair.delay_next_to_manager = Some(1500 * MS);
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive_until(500 * MS);
    pair.drop_to_agent = u32::MAX;
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds[0].value.as_str(),
        Some("scripted agent")
    );
    assert_eq!(pair.sent.len(), 2);
    assert_eq!(pair.events[0].0, 1520 * MS);
}

/// The same over SNMPv3, where each try has its own msgID: the reply to the first msgID
/// still completes the request.
#[test]
fn v3_late_reply_to_an_earlier_msg_id_completes() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    pair.events.clear();
    pair.sent.clear();

    pair.delay_next_to_manager = Some(1500 * MS);
    let start = pair.elapsed();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive_until(start + 500 * MS);
    pair.drop_to_agent = u32::MAX;
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds[0].value.as_str(),
        Some("scripted agent")
    );
    assert_eq!(pair.sent.len(), 2);
    let (first, _) = usm_params(&pair.sent[0].1);
    let (second, _) = usm_params(&pair.sent[1].1);
    assert_ne!(first.msg_id, second.msg_id);
}

#[test]
fn duplicate_reply_is_dropped_and_counted() {
    let mut pair = Pair::new();
    pair.duplicate_to_manager = 1;
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    let stats = pair.generator.stats();
    assert_eq!((stats.duplicates, stats.unmatched), (1, 0));
}

/// A reply whose community, request-id or version differs is not taken: the request times
/// out, and the reply is counted.
#[test]
fn wrong_community_request_id_or_version_is_not_matched() {
    let cases = [
        (
            Tamper::Community(Bytes::from_static(b"private")),
            "mismatched",
        ),
        (Tamper::RequestId(1), "unmatched"),
        (Tamper::Version(Version::V1), "mismatched"),
    ];
    for (tamper, counter) in cases {
        let mut pair = Pair::new();
        pair.agent.tamper = Some(tamper.clone());
        let target = pair.v2c().with_retries(1);
        let h = pair.send(&target, RequestPdu::get([sys_descr()]));
        pair.drive();
        assert_eq!(pair.error(h), &RequestError::Timeout, "{tamper:?}");
        let stats = pair.generator.stats();
        let (mismatched, unmatched) = match counter {
            "mismatched" => (2, 0),
            _ => (0, 2),
        };
        assert_eq!(
            (stats.mismatched, stats.unmatched),
            (mismatched, unmatched),
            "{tamper:?}"
        );
    }
}

/// RFC 3414 section 4: the probe (noAuthNoPriv, empty engine ID and user, reportable, an
/// empty GetRequest), the unknownEngineID Report, the first authenticated request (answered
/// by an authenticated notInTimeWindow Report that sets the clock), the resend.
#[test]
fn v3_discovery_then_authpriv_get() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    let r = pair.response(h);
    assert_eq!(
        r.varbinds,
        vec![VarBind::new(sys_descr(), "scripted agent")]
    );

    assert_eq!(pair.sent.len(), 3);
    let probe = &pair.sent[0].1;
    assert!(is_probe(probe));
    let (header, params) = usm_params(probe);
    assert_eq!(header.flags, MsgFlags(MsgFlags::REPORTABLE));
    assert_eq!((params.engine_boots, params.engine_time), (0, 0));
    let Message::V3(m) = decode(probe) else {
        panic!()
    };
    let ScopedPduData::Plaintext(scoped) = &m.data else {
        panic!()
    };
    assert!(matches!(&scoped.pdu, Pdu::GetRequest(p) if p.varbinds.is_empty()));
    assert!(scoped.context_engine_id.is_empty());

    // Both requests: authPriv, same request-id, fresh msgIDs; the second with the clock.
    let (h1, p1) = usm_params(&pair.sent[1].1);
    let (h2, p2) = usm_params(&pair.sent[2].1);
    assert_eq!(
        h1.flags,
        MsgFlags(MsgFlags::REPORTABLE | MsgFlags::AUTH | MsgFlags::PRIV)
    );
    assert_ne!(h1.msg_id, h2.msg_id);
    let engine: snmp_mpm::EngineId = AGENT_ENGINE.parse().unwrap();
    assert_eq!(p1.engine_id, engine.to_bytes());
    assert_eq!((p1.engine_boots, p1.engine_time), (0, 0));
    assert_eq!((p2.engine_boots, p2.engine_time), (AGENT_BOOTS, 3600));
    assert_eq!(pair.generator.engine_id(AGENT), Some(&engine.to_bytes()));
    let synced = pair
        .generator
        .usm()
        .remote_time(&engine.to_bytes(), pair.now());
    assert_eq!(
        synced,
        Some((AGENT_BOOTS, u32::try_from(AGENT_UP.as_secs()).unwrap()))
    );
    // The agent saw one unknown engine and one untimely message, nothing else.
    let agent = pair.agent.usm.stats();
    assert_eq!(
        (agent.unknown_engine_ids, agent.not_in_time_windows),
        (1, 1)
    );
    assert_eq!(agent.wrong_digests, 0);

    // The next request needs no discovery and no resync.
    pair.events.clear();
    let h = pair.send(&target, RequestPdu::get_next([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds[0].oid,
        oid!(1, 3, 6, 1, 2, 1, 1, 3, 0)
    );
    assert_eq!(pair.sent.len(), 4);
}

/// net-snmp's `-e`: the agent's engine ID given, no discovery probe; the clock comes from
/// the notInTimeWindow Report of the first try.
#[test]
fn a_known_engine_id_skips_discovery() {
    let mut pair = Pair::new();
    let engine: snmp_mpm::EngineId = AGENT_ENGINE.parse().unwrap();
    let target = pair.v3().with_engine_id(engine.to_bytes());
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds,
        vec![VarBind::new(sys_descr(), "scripted agent")]
    );
    // Two tries, no probe: the first without a clock, the second with the agent's.
    assert_eq!(pair.sent.len(), 2);
    assert!(!is_probe(&pair.sent[0].1));
    let (_, p1) = usm_params(&pair.sent[0].1);
    let (_, p2) = usm_params(&pair.sent[1].1);
    assert_eq!(p1.engine_id, engine.to_bytes());
    assert_eq!((p1.engine_boots, p1.engine_time), (0, 0));
    assert_eq!((p2.engine_boots, p2.engine_time), (AGENT_BOOTS, 3600));
    let agent = pair.agent.usm.stats();
    assert_eq!(
        (agent.unknown_engine_ids, agent.not_in_time_windows),
        (0, 1)
    );
    // A wrong one: the agent says unknownEngineID, and the generator discovers the right one.
    let mut pair = Pair::new();
    let target = pair.v3().with_engine_id(&b"\x80\x00\x1f\x88\x04wrong"[..]);
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(pair.response(h).varbinds[0].oid, sys_descr());
    assert_eq!(pair.generator.engine_id(AGENT), Some(&engine.to_bytes()));
}

#[test]
fn requests_racing_to_an_unknown_engine_share_one_probe() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let a = pair.send(&target, RequestPdu::get([sys_descr()]));
    let b = pair.send(&target, RequestPdu::get([if_descr(2)]));
    let c = pair.send(
        &target.clone().with_retries(0),
        RequestPdu::get([if_descr(3)]),
    );
    pair.drive();
    let probes = pair.sent.iter().filter(|(_, w)| is_probe(w)).count();
    assert_eq!(probes, 1);
    assert_eq!(pair.events.len(), 3);
    for (h, want) in [(a, "scripted agent"), (b, "eth2"), (c, "eth3")] {
        let response = pair
            .events
            .iter()
            .find_map(|(_, e)| match e {
                Event::Response {
                    handle, response, ..
                } if *handle == h => Some(response),
                _ => None,
            })
            .unwrap();
        assert_eq!(response.varbinds[0].value.as_str(), Some(want));
    }
}

#[test]
fn lost_probe_is_retried_and_unanswered_discovery_times_out() {
    let mut pair = Pair::new();
    pair.drop_to_agent = 1;
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    assert!(is_probe(&pair.sent[0].1) && is_probe(&pair.sent[1].1));
    assert_eq!(pair.sent[1].0, S);
    // Each try of the probe has its own msgID.
    assert_ne!(
        usm_params(&pair.sent[0].1).0.msg_id,
        usm_params(&pair.sent[1].1).0.msg_id
    );

    let mut pair = Pair::new();
    pair.drop_to_agent = u32::MAX;
    let target = pair.v3().with_retries(2);
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::DiscoveryTimeout);
    assert_eq!(pair.sent.len(), 3);
    assert_eq!(pair.events[0].0, 3 * S);
}

/// The agent rebooted: the request (with the old boots) gets an authenticated
/// notInTimeWindow Report with the new clock; USM adopts it; the request is resent once.
#[test]
fn not_in_time_window_resyncs_and_resends_once() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    pair.events.clear();
    pair.sent.clear();

    pair.drive_until(pair.elapsed() + Duration::from_secs(600));
    pair.reboot_agent();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds[0].value.as_str(),
        Some("scripted agent")
    );
    assert_eq!(pair.sent.len(), 2);
    let (_, old) = usm_params(&pair.sent[0].1);
    let (_, new) = usm_params(&pair.sent[1].1);
    assert_eq!(
        (old.engine_boots, new.engine_boots),
        (AGENT_BOOTS, AGENT_BOOTS + 1)
    );
    assert_eq!(pair.agent.usm.stats().not_in_time_windows, 1);
}

#[test]
fn second_not_in_time_window_is_an_error() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    pair.events.clear();
    pair.sent.clear();

    pair.agent.always_not_in_time_window = true;
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.error(h),
        &RequestError::Report {
            kind: ReportKind::NotInTimeWindows,
            oid: Box::new(oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0)),
        }
    );
    assert_eq!(pair.sent.len(), 2);
}

/// A wrong authentication password: the agent's MAC check fails (before the time window),
/// and it answers with an unauthenticated usmStatsWrongDigests Report (the "admin" user,
/// noAuthNoPriv), which the generator delivers as a typed error.
#[test]
fn wrong_password_is_a_wrong_digests_report() {
    let mut config = GeneratorConfig::default();
    config.rng_seed(3);
    let mut pair = Pair::with_config(&config, admin(b"not-the-password"));
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.error(h),
        &RequestError::Report {
            kind: ReportKind::WrongDigests,
            oid: Box::new(oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 5, 0)),
        }
    );
    assert_eq!(pair.sent.len(), 2);
    assert_eq!(pair.agent.usm.stats().wrong_digests, 1);
    // The unauthenticated Reports taught no clock.
    let engine: snmp_mpm::EngineId = AGENT_ENGINE.parse().unwrap();
    assert_eq!(
        pair.generator
            .usm()
            .remote_time(&engine.to_bytes(), pair.now()),
        Some((0, 0))
    );
}

#[test]
fn unknown_user_is_a_typed_report() {
    let mut pair = Pair::new();
    pair.generator
        .usm_mut()
        .add_user(snmp_usm::UsmUser::new("guest"));
    let target = Target::usm(AGENT, "guest", SecurityLevel::NoAuthNoPriv);
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert!(matches!(
        pair.error(h),
        RequestError::Report {
            kind: ReportKind::UnknownUserNames,
            ..
        }
    ));
}

/// A user the local USM does not have fails at once, without sending anything but the probe.
#[test]
fn unconfigured_user_fails_locally() {
    let mut pair = Pair::new();
    let target = Target::usm(AGENT, "nobody", SecurityLevel::AuthNoPriv);
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert!(matches!(pair.error(h), RequestError::Security(_)));
    assert_eq!(pair.sent.len(), 1);
}

/// The agent was replaced (a new engine ID): the unknownEngineID Report leads to a new
/// discovery, then the request goes through.
#[test]
fn unknown_engine_id_report_rediscovers_once() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    pair.events.clear();
    pair.sent.clear();

    let mut usm = snmp_usm::Usm::new(
        "0x80001f8880aabbccddeeff".parse().unwrap(),
        1,
        pair.now(),
        7,
    );
    usm.add_user(admin(b"authpassword"));
    pair.agent.usm = usm;
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds[0].value.as_str(),
        Some("scripted agent")
    );
    // Old engine (unknownEngineID), probe, new engine (notInTimeWindow), resend.
    assert_eq!(pair.sent.len(), 4);
    assert!(is_probe(&pair.sent[1].1));
    let new: snmp_mpm::EngineId = "0x80001f8880aabbccddeeff".parse().unwrap();
    assert_eq!(pair.generator.engine_id(AGENT), Some(&new.to_bytes()));
}

fn big_table(pair: &mut Pair) -> Vec<Oid> {
    let oids: Vec<Oid> = (1..=8)
        .map(|i| oid!(1, 3, 6, 1, 4, 1, 99, 1).child(i).unwrap())
        .collect();
    for (i, o) in oids.iter().enumerate() {
        let text = format!("{i}").repeat(100);
        pair.agent
            .mib
            .insert(o.clone(), Value::OctetString(Bytes::from(text)));
    }
    oids
}

/// 8 bindings of 100 octets, an agent whose answers fit 2: 8 -> 4 + 4 -> 2 + 2 + 2 + 2,
/// one Response in the order asked.
#[test]
fn too_big_splits_and_preserves_order() {
    let mut pair = Pair::new();
    let oids = big_table(&mut pair);
    pair.agent.max_response_size = Some(300);
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get(oids.clone()));
    pair.drive();
    let r = pair.response(h);
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    let got: Vec<&Oid> = r.varbinds.iter().map(|vb| &vb.oid).collect();
    assert_eq!(got, oids.iter().collect::<Vec<_>>());
    assert_eq!(r.varbinds[7].value.as_str().unwrap(), "7".repeat(100));
    // The first request's id, although the answer came from its halves' halves.
    assert_eq!(r.request_id, community_request_id(&pair.sent[0].1));
    assert_eq!(pair.sent.len(), 7);

    // The same over SNMPv3 authPriv, with GETNEXT.
    let mut pair = Pair::new();
    let oids = big_table(&mut pair);
    pair.agent.max_response_size = Some(400);
    let target = pair.v3();
    let asked: Vec<Oid> = oids
        .iter()
        .map(|o| o.parent().unwrap().child(0).unwrap())
        .collect();
    let h = pair.send(
        &target,
        RequestPdu::get_next(asked[..1].iter().cloned().chain(oids[..7].iter().cloned())),
    );
    pair.drive();
    let r = pair.response(h);
    let got: Vec<&Oid> = r.varbinds.iter().map(|vb| &vb.oid).collect();
    assert_eq!(got, oids.iter().collect::<Vec<_>>());
}

#[test]
fn single_binding_too_big_is_an_error() {
    let mut pair = Pair::new();
    let oids = big_table(&mut pair);
    pair.agent.max_response_size = Some(100);
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get(oids[..1].to_vec()));
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::TooBig);

    // A GETBULK is not split either.
    pair.events.clear();
    let h = pair.send(
        &target,
        RequestPdu::get_bulk(0, 8, [oid!(1, 3, 6, 1, 4, 1, 99)]),
    );
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::TooBig);
}

/// A request already bigger than the target's message size is split before it is sent.
#[test]
fn oversized_request_is_split_before_sending() {
    let mut pair = Pair::new();
    let oids: Vec<Oid> = (1..=8).map(|i| if_descr(1).child(i).unwrap()).collect();
    let target = pair.v2c().with_max_message_size(120);
    let h = pair.send(&target, RequestPdu::get(oids.clone()));
    pair.drive();
    let r = pair.response(h);
    let got: Vec<&Oid> = r.varbinds.iter().map(|vb| &vb.oid).collect();
    assert_eq!(got, oids.iter().collect::<Vec<_>>());
    assert!(r.varbinds.iter().all(|vb| vb.value == Value::NoSuchObject));
    assert!(pair.sent.len() > 1);
    assert!(pair.sent.iter().all(|(_, w)| w.len() <= 120));

    // A SET is never split.
    pair.events.clear();
    let set = RequestPdu::set(oids.iter().map(|o| VarBind::new(o.clone(), 1)));
    let h = pair.send(&target, set);
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::TooBig);
}

#[test]
fn get_bulk_passes_through() {
    let mut pair = Pair::new();
    for target in [pair.v2c(), pair.v3()] {
        pair.events.clear();
        let h = pair.send(
            &target,
            RequestPdu::get_bulk(
                1,
                3,
                [
                    oid!(1, 3, 6, 1, 2, 1, 1),
                    oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2),
                ],
            ),
        );
        pair.drive();
        let got: Vec<String> = pair
            .response(h)
            .varbinds
            .iter()
            .map(|vb| vb.value.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "STRING: \"scripted agent\"",
                "STRING: \"eth1\"",
                "STRING: \"eth2\"",
                "STRING: \"eth3\"",
            ],
            "{target:?}"
        );
    }
}

#[test]
fn set_then_get() {
    let mut pair = Pair::new();
    let sys_name = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
    let target = pair.v2c();
    let h = pair.send(
        &target,
        RequestPdu::set([VarBind::new(sys_name.clone(), "renamed")]),
    );
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds,
        vec![VarBind::new(sys_name.clone(), "renamed")]
    );
    let Message::Community(m) = decode(&pair.sent[0].1) else {
        panic!()
    };
    assert!(matches!(m.pdu, Pdu::SetRequest(_)));

    pair.events.clear();
    let h = pair.send(&pair.v3(), RequestPdu::get([sys_name.clone()]));
    pair.drive();
    assert_eq!(
        pair.response(h).varbinds,
        vec![VarBind::new(sys_name, "renamed")]
    );
}

/// A multi-homed agent answers from another address: taken and counted by default, dropped
/// under strict_source.
#[test]
fn answers_from_another_address() {
    let mut pair = Pair::new();
    pair.agent.source = AGENT_OTHER;
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    match pair.only_event(h) {
        Event::Response { from, .. } => assert_eq!(*from, AGENT_OTHER),
        other => panic!("{other:?}"),
    }
    assert_eq!(pair.generator.stats().other_source, 1);

    let mut config = GeneratorConfig::default();
    config.strict_source(true).retries(0);
    let mut pair = Pair::with_config(&config, admin(b"authpassword"));
    pair.agent.source = AGENT_OTHER;
    let target = pair.v2c();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::Timeout);
    assert_eq!(pair.generator.stats().wrong_source, 1);
}

/// Datagrams that fail USM are counted and never matched; garbage is counted.
#[test]
fn refused_and_malformed_datagrams_are_counted() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);

    // A forged copy of the agent's next answer: flip a byte of the encrypted PDU (the MAC
    // no longer verifies).
    pair.events.clear();
    let h = pair.send(
        &target.clone().with_retries(0),
        RequestPdu::get([sys_descr()]),
    );
    pair.drive_until(pair.elapsed() + 15 * MS);
    let request = pair.agent.received.last().unwrap().1.clone();
    let answer = {
        let now = pair.now();
        let Message::V3(m) = decode(&request) else {
            panic!()
        };
        let incoming = pair.agent.usm.process_incoming(now, &request, &m).unwrap();
        let scoped = snmp_mpm::ScopedPdu {
            pdu: Pdu::Response(snmp_smi::BasicPdu::new(
                incoming.scoped_pdu.pdu.request_id().unwrap(),
                vec![VarBind::new(sys_descr(), "forged")],
            )),
            ..incoming.scoped_pdu
        };
        let local = pair.agent.usm.engine_id().to_bytes();
        let header = snmp_mpm::HeaderData {
            flags: MsgFlags(0),
            ..m.header
        };
        let wire = pair
            .agent
            .usm
            .generate(
                now,
                header,
                &scoped,
                &incoming.security_name,
                &local,
                SecurityLevel::AuthPriv,
            )
            .unwrap();
        let mut forged = wire.to_vec();
        let last = forged.len() - 1;
        forged[last] ^= 0xff;
        Bytes::from(forged)
    };
    let now = pair.now();
    pair.generator.handle_datagram(now, AGENT, answer);
    pair.generator
        .handle_datagram(now, AGENT, Bytes::from_static(b"\x30\x03\x02\x01"));
    pair.drive();
    // The genuine answer still completes the request.
    assert_eq!(
        pair.response(h).varbinds[0].value.as_str(),
        Some("scripted agent")
    );
    let stats = pair.generator.stats();
    assert_eq!((stats.security_failures, stats.malformed), (1, 1));
    assert_eq!(pair.generator.usm().stats().wrong_digests, 1);
}

/// The same seed gives the same datagrams; another seed other request-ids.
#[test]
fn deterministic_for_a_seed() {
    let run = |seed| {
        let mut config = GeneratorConfig::default();
        config.rng_seed(seed);
        let mut pair = Pair::with_config(&config, admin(b"authpassword"));
        let target = pair.v2c();
        for _ in 0..3 {
            pair.send(&target, RequestPdu::get([sys_descr()]));
        }
        pair.drive();
        pair.sent.iter().map(|(_, w)| w.clone()).collect::<Vec<_>>()
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5), run(6));
    let ids: std::collections::BTreeSet<i32> = run(5).iter().map(community_request_id).collect();
    assert_eq!(ids.len(), 3);
}

/// An agent error in one half of a split request is delivered for the whole request, its
/// error-index pointing into the original bindings.
#[test]
fn agent_error_in_a_split_half_maps_its_index() {
    let mut pair = Pair::new();
    let oids = big_table(&mut pair);
    pair.agent.mib.remove(&oids[5]);
    pair.agent.max_response_size = Some(300);
    let target = Target::v1(AGENT, "public");
    let h = pair.send(&target, RequestPdu::get(oids.clone()));
    pair.drive();
    let r = pair.response(h);
    // oids[5] is the 6th binding asked (2nd of the second half).
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NO_SUCH_NAME, 6)
    );
    assert_eq!(r.request_id, community_request_id(&pair.sent[0].1));
    let got: Vec<&Oid> = r.varbinds.iter().map(|vb| &vb.oid).collect();
    assert_eq!(got, oids.iter().collect::<Vec<_>>());
    assert_eq!(pair.generator.pending(), 0);
    assert_eq!(pair.generator.poll_timeout(), None);
}

/// poll_timeout is the earliest deadline among requests with different timeouts.
#[test]
fn poll_timeout_is_the_earliest_deadline() {
    let mut pair = Pair::new();
    pair.drop_to_agent = u32::MAX;
    let now = pair.now();
    let slow = pair.v2c().with_timeout(3 * S).with_retries(0);
    let fast = pair.v2c().with_timeout(200 * MS).with_retries(0);
    let a = pair.send(&slow, RequestPdu::get([sys_descr()]));
    assert_eq!(pair.generator.poll_timeout(), Some(now + 3 * S));
    let b = pair.send(&fast, RequestPdu::get([sys_descr()]));
    assert_eq!(pair.generator.poll_timeout(), Some(now + 200 * MS));
    // Early calls change nothing.
    pair.generator.handle_timeout(now + 100 * MS);
    assert!(pair.generator.poll_event().is_none());
    pair.drive();
    let failed: Vec<(Duration, crate::RequestHandle)> = pair
        .events
        .iter()
        .map(|(t, e)| match e {
            Event::Failed { handle, .. } => (*t, *handle),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(failed, [(200 * MS, b), (3 * S, a)]);
}

/// A Response at another security level than the request's is not taken (RFC 3412 7.2
/// step 12).
#[test]
fn v3_response_at_another_level_is_not_matched() {
    let mut pair = Pair::new();
    let target = pair.v3();
    let h = pair.send(&target, RequestPdu::get([sys_descr()]));
    pair.drive();
    pair.response(h);
    pair.events.clear();

    let h = pair.send(
        &target.clone().with_retries(0),
        RequestPdu::get([sys_descr()]),
    );
    pair.drop_to_agent = 1;
    pair.drive_until(pair.elapsed() + 5 * MS);
    // Answer the request as the agent would, but authNoPriv.
    let request = pair.sent.last().unwrap().1.clone();
    let now = pair.now();
    let Message::V3(m) = decode(&request) else {
        panic!()
    };
    let incoming = pair.agent.usm.process_incoming(now, &request, &m).unwrap();
    let scoped = snmp_mpm::ScopedPdu {
        pdu: Pdu::Response(snmp_smi::BasicPdu::new(
            incoming.scoped_pdu.pdu.request_id().unwrap(),
            vec![VarBind::new(sys_descr(), "downgraded")],
        )),
        ..incoming.scoped_pdu
    };
    let local = pair.agent.usm.engine_id().to_bytes();
    let header = snmp_mpm::HeaderData {
        flags: MsgFlags(0),
        ..m.header
    };
    let wire = pair
        .agent
        .usm
        .generate(
            now,
            header,
            &scoped,
            &incoming.security_name,
            &local,
            SecurityLevel::AuthNoPriv,
        )
        .unwrap();
    pair.generator.handle_datagram(now, AGENT, wire);
    pair.drive();
    assert_eq!(pair.error(h), &RequestError::Timeout);
    assert_eq!(pair.generator.stats().mismatched, 1);
}
