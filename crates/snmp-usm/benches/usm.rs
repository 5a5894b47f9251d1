//! USM costs: password to key for every hash, and an agent's authPriv Response of ten ifTable
//! bindings generated (`Usm::generate`) and processed by the manager (`Message::decode` then
//! `Usm::process_incoming`), for SHA-1/AES-128 and SHA-256/AES-256.
//!
//! To tell the cryptography from the encoding, the same message is also timed at
//! noAuthNoPriv, and the cryptography alone (encrypt and sign; verify and decrypt) with the
//! same keys on octets of the same sizes.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use snmp_ber::{DecodeOptions, Decoder, Encoder};
use snmp_mpm::{HeaderData, Message, MsgFlags, ScopedPdu, SecurityLevel};
use snmp_smi::{BasicPdu, Oid, Pdu, Value, VarBind, oid};
use snmp_usm::{
    AuthKey, AuthProtocol, PrivKey, PrivProtocol, USM_SECURITY_MODEL, Usm, UsmSecurityParameters,
    UsmUser, password_to_key,
};

const AGENT_ID: &str = "0x80001f88800102030405060708";
const MANAGER_ID: &str = "0x80001f88800a0b0c0d";

fn password_to_key_bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("password_to_key");
    // Each call hashes 1 MiB (about a millisecond): few samples are enough.
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for p in AuthProtocol::ALL {
        group.bench_with_input(BenchmarkId::from_parameter(p), &p, |b, &p| {
            b.iter(|| password_to_key(p, black_box(b"maplesyrup")).unwrap())
        });
    }
    group.finish();
}

/// A Response carrying one ifTable row: ten bindings of 11-arc names, an 11-arc OID value.
fn response() -> ScopedPdu {
    const IF_ENTRY: Oid = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1);
    let row = 1;
    let columns: [(u32, Value); 10] = [
        (2, Value::from("GigabitEthernet0/1")),
        (3, Value::Integer(6)),
        (4, Value::Integer(1500)),
        (5, Value::Gauge32(1_000_000_000)),
        (
            6,
            Value::OctetString(Bytes::from_static(&[0x00, 0x1b, 0x21, 0x3c, 0x9a, 0x10])),
        ),
        (8, Value::Integer(1)),
        (9, Value::TimeTicks(123_456_789)),
        (10, Value::Counter32(3_000_000_000)),
        (16, Value::Counter32(2_718_281_828)),
        (
            22,
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 2, 1, 10, 7, 2, 1, 19)),
        ),
    ];
    let varbinds = columns
        .into_iter()
        .map(|(column, value)| VarBind::new(IF_ENTRY.extend(&[column, row]).unwrap(), value))
        .collect();
    ScopedPdu {
        context_engine_id: AGENT_ID.parse::<snmp_mpm::EngineId>().unwrap().to_bytes(),
        context_name: Bytes::new(),
        pdu: Pdu::Response(BasicPdu::new(1_234_567, varbinds)),
    }
}

fn header() -> HeaderData {
    HeaderData {
        msg_id: 4242,
        max_size: 65507,
        flags: MsgFlags(0),
        security_model: USM_SECURITY_MODEL,
    }
}

/// An agent booted an hour ago and a manager that knows its clock, sharing the user "admin".
fn pair(now: Instant, auth: AuthProtocol, privacy: PrivProtocol) -> (Usm, Usm, Bytes) {
    let user = UsmUser::new("admin")
        .with_auth(auth, b"authpassword")
        .unwrap()
        .with_privacy(privacy, b"privpassword")
        .unwrap();
    let mut agent = Usm::new(
        AGENT_ID.parse().unwrap(),
        5,
        now - Duration::from_secs(3600),
        1,
    );
    agent.add_user(user.clone());
    let mut manager = Usm::new(MANAGER_ID.parse().unwrap(), 1, now, 99);
    manager.add_user(user);
    let id = agent.engine_id().to_bytes();
    manager.set_remote_time(&id, agent.engine_boots(), agent.engine_time(now), now);
    (agent, manager, id)
}

fn messages(c: &mut Criterion) {
    // The one real instant: every `now` below is this one, so the clocks agree.
    #[allow(clippy::disallowed_methods)] // the bench anchors its virtual time at a real instant
    let now = Instant::now();
    let name = Bytes::from_static(b"admin");
    let scoped = response();
    let mut group = c.benchmark_group("usm_response_10");
    for (auth, privacy, label) in [
        (AuthProtocol::Sha1, PrivProtocol::Aes128, "SHA-1+AES-128"),
        (
            AuthProtocol::Sha256,
            PrivProtocol::Aes256,
            "SHA-256+AES-256",
        ),
    ] {
        let (mut agent, mut manager, id) = pair(now, auth, privacy);
        for (level, what) in [
            (SecurityLevel::AuthPriv, "authPriv"),
            (SecurityLevel::NoAuthNoPriv, "noAuthNoPriv"),
        ] {
            // Also localizes the keys, once, before the timing.
            let wire = agent
                .generate(now, header(), &scoped, &name, &id, level)
                .unwrap();
            group.bench_function(BenchmarkId::new(format!("generate/{what}"), label), |b| {
                b.iter(|| {
                    agent
                        .generate(now, header(), black_box(&scoped), &name, &id, level)
                        .unwrap()
                })
            });
            group.bench_function(BenchmarkId::new(format!("process/{what}"), label), |b| {
                b.iter(|| {
                    let dec = Decoder::new(DecodeOptions::default());
                    let Message::V3(msg) = Message::decode(&dec, black_box(&wire)).unwrap() else {
                        unreachable!("a v3 message")
                    };
                    let incoming = manager.process_incoming(now, &wire, &msg).unwrap();
                    assert_eq!(incoming.level, level);
                    incoming
                })
            });
        }

        // The cryptography alone, on octets of the sizes of the authPriv message above.
        let auth_key = AuthKey::from_password(auth, b"authpassword", &id).unwrap();
        let priv_key = PrivKey::from_password(privacy, auth, b"privpassword", &id).unwrap();
        let mut e = Encoder::new();
        scoped.encode(&mut e).unwrap();
        let plaintext = e.as_slice().to_vec();
        let wire = agent
            .generate(now, header(), &scoped, &name, &id, SecurityLevel::AuthPriv)
            .unwrap();
        let Message::V3(msg) =
            Message::decode(&Decoder::new(DecodeOptions::STRICT), &wire).unwrap()
        else {
            unreachable!("a v3 message")
        };
        let params = UsmSecurityParameters::decode(
            &Decoder::new(DecodeOptions::STRICT),
            &msg.security_parameters,
        )
        .unwrap();
        let mut zeroed = wire.to_vec();
        zeroed[params.auth_params_range(&wire).unwrap()].fill(0);
        let (cipher, salt) = priv_key.encrypt(&plaintext, 5, 3600, 7);
        let mac = auth_key.sign(&zeroed);
        group.bench_function(BenchmarkId::new("crypto/encrypt+sign", label), |b| {
            b.iter(|| {
                let encrypted = priv_key.encrypt(black_box(&plaintext), 5, 3600, 7);
                (encrypted, auth_key.sign(black_box(&zeroed)))
            })
        });
        group.bench_function(BenchmarkId::new("crypto/verify+decrypt", label), |b| {
            b.iter(|| {
                auth_key.verify(black_box(&zeroed), &mac).unwrap();
                priv_key
                    .decrypt(black_box(&cipher), &salt, 5, 3600)
                    .unwrap()
            })
        });
        println!(
            "{label}: authPriv message {} octets, ScopedPDU {} octets",
            wire.len(),
            plaintext.len()
        );
    }
    group.finish();
}

criterion_group!(benches, password_to_key_bench, messages);
criterion_main!(benches);
