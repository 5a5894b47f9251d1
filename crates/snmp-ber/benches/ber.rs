//! Micro-benchmarks of the BER primitives.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use snmp_ber::{DecodeOptions, Decoder, Encoder, MAX_OID_LEN, Tag};

fn primitives(c: &mut Criterion) {
    let oid = [
        0x06, 0x0b, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x02, 0x01, 0x0a, 0x81, 0x00,
    ];
    c.bench_function("ber/decode_oid_11_arcs", |b| {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let mut out = [0u32; MAX_OID_LEN];
        b.iter(|| {
            dec.reader(black_box(&oid))
                .read_oid(Tag::OBJECT_IDENTIFIER, &mut out)
                .unwrap()
        })
    });
    c.bench_function("ber/encode_integer", |b| {
        let mut e = Encoder::with_capacity(64);
        b.iter(|| {
            e.clear();
            e.put_i64(Tag::INTEGER, black_box(-123_456_789)).unwrap();
        })
    });
}

criterion_group!(benches, primitives);
criterion_main!(benches);
