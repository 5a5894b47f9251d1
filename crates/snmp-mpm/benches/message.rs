//! Decode and encode of an SNMPv2c Response with 1, 10 and 50 bindings of mixed types (the
//! messages of `testdata/bench/`, written by `cargo xtask fixtures`).
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use snmp_ber::{DecodeOptions, Decoder, Encoder};
use snmp_mpm::Message;

const FIXTURES: [(usize, &[u8]); 3] = [
    (
        1,
        include_bytes!("../../../testdata/bench/v2c-response-1.ber"),
    ),
    (
        10,
        include_bytes!("../../../testdata/bench/v2c-response-10.ber"),
    ),
    (
        50,
        include_bytes!("../../../testdata/bench/v2c-response-50.ber"),
    ),
];

fn messages(c: &mut Criterion) {
    let mut group = c.benchmark_group("v2c_response");
    for (n, bytes) in FIXTURES {
        let wire = Bytes::from_static(bytes);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("decode", n), &wire, |b, wire| {
            b.iter(|| {
                let dec = Decoder::new(DecodeOptions::LENIENT);
                Message::decode(&dec, black_box(wire)).unwrap()
            })
        });
        let message = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &wire).unwrap();
        group.bench_with_input(BenchmarkId::new("encode", n), &message, |b, m| {
            let mut e = Encoder::with_capacity(2048);
            b.iter(|| {
                e.clear();
                black_box(m).encode(&mut e).unwrap();
            })
        });
        group.bench_with_input(
            BenchmarkId::new("encode_fresh_buffer", n),
            &message,
            |b, m| b.iter(|| black_box(m).to_bytes().unwrap()),
        );
    }
    group.finish();
}

criterion_group!(benches, messages);
criterion_main!(benches);
