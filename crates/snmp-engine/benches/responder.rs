//! The command responder's cost per request, without sockets: a v2c GET of sysDescr.0, a
//! v2c GETBULK of 10 repetitions over the snmp group, and the same GET at SNMPv3 authPriv
//! (SHA-1/AES-128, the request encrypted once by a USM manager, replayed within the time
//! window).
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::Instant;

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use snmp_engine::{CommandResponder, ResponderConfig, SystemInfo};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, SecurityLevel, Version,
};
use snmp_smi::{BasicPdu, BulkPdu, Pdu, VarBind, oid};
use snmp_usm::{AuthProtocol, PrivProtocol, USM_SECURITY_MODEL, Usm, UsmUser};
use snmp_vacm::Vacm;

const AGENT_ID: &str = "0x80001f88800102030405060708";

fn user() -> UsmUser {
    UsmUser::new("bench")
        .with_auth(AuthProtocol::Sha1, b"authpassword")
        .unwrap()
        .with_privacy(PrivProtocol::Aes128, b"privpassword")
        .unwrap()
}

fn responder(now: Instant) -> CommandResponder {
    let mut usm = Usm::new(AGENT_ID.parse().unwrap(), 1, now, 1);
    usm.add_user(user());
    let mut vacm = Vacm::new();
    vacm.rocommunity("public", None, None).unwrap();
    vacm.rouser("bench", SecurityLevel::AuthPriv, None).unwrap();
    CommandResponder::new(
        ResponderConfig::default(),
        usm,
        vacm,
        SystemInfo::default(),
        now,
    )
}

fn community(pdu: Pdu) -> Bytes {
    Message::Community(CommunityMessage {
        version: Version::V2c,
        community: Bytes::from_static(b"public"),
        pdu,
    })
    .to_bytes()
    .unwrap()
}

fn bench(c: &mut Criterion) {
    // The benchmark's clock: the agent's boot time.
    #[allow(clippy::disallowed_methods)]
    let now = Instant::now();
    let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
    let get = community(Pdu::GetRequest(BasicPdu::new(
        1,
        vec![VarBind::null(sys_descr.clone())],
    )));
    let bulk = community(Pdu::GetBulkRequest(BulkPdu {
        request_id: 2,
        non_repeaters: 0,
        max_repetitions: 10,
        varbinds: vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 11))],
    }));
    // An authPriv GET as a manager sends it, its clock synchronised with the agent's.
    let mut manager = Usm::new("0x80001f88800a0b0c0d".parse().unwrap(), 1, now, 2);
    manager.add_user(user());
    let agent_id = AGENT_ID.parse::<snmp_mpm::EngineId>().unwrap().to_bytes();
    manager.set_remote_time(&agent_id, 1, 0, now);
    let header = HeaderData {
        msg_id: 7,
        max_size: 65507,
        flags: MsgFlags(MsgFlags::REPORTABLE),
        security_model: USM_SECURITY_MODEL,
    };
    let scoped = ScopedPdu {
        context_engine_id: agent_id.clone(),
        context_name: Bytes::new(),
        pdu: Pdu::GetRequest(BasicPdu::new(3, vec![VarBind::null(sys_descr)])),
    };
    let v3 = manager
        .generate(
            now,
            header,
            &scoped,
            &Bytes::from_static(b"bench"),
            &agent_id,
            SecurityLevel::AuthPriv,
        )
        .unwrap();

    let mut group = c.benchmark_group("responder");
    for (name, request) in [
        ("v2c_get", &get),
        ("v2c_getbulk_10", &bulk),
        ("v3_authpriv_get", &v3),
    ] {
        let mut agent = responder(now);
        assert!(
            agent.handle_datagram(now, peer, request).is_some(),
            "{name}"
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                agent
                    .handle_datagram(now, peer, black_box(request))
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
