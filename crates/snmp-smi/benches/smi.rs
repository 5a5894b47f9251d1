//! OID parse, print and compare; value and PDU encode/decode without the message wrapper.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use snmp_smi::{Oid, oid};

fn oids(c: &mut Criterion) {
    let text = "1.3.6.1.2.1.2.2.1.10.4294967295";
    c.bench_function("oid/parse_11_arcs", |b| {
        b.iter(|| black_box(text).parse::<Oid>().unwrap())
    });
    let o: Oid = text.parse().unwrap();
    c.bench_function("oid/to_string_11_arcs", |b| {
        b.iter(|| black_box(&o).to_string())
    });

    let a = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 7);
    let same = Oid::from_slice(a.as_slice()).unwrap();
    let later = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 10, 8);
    c.bench_function("oid/cmp_equal_11_arcs", |b| {
        b.iter(|| black_box(&a).cmp(black_box(&same)))
    });
    c.bench_function("oid/cmp_last_arc_differs", |b| {
        b.iter(|| black_box(&a) < black_box(&later))
    });
    let table = oid!(1, 3, 6, 1, 2, 1, 2, 2);
    c.bench_function("oid/starts_with", |b| {
        b.iter(|| black_box(&a).starts_with(black_box(&table)))
    });
    c.bench_function("oid/clone_11_arcs", |b| b.iter(|| black_box(&a).clone()));
    let long = Oid::from_slice(&[1; 40]).unwrap();
    c.bench_function("oid/clone_40_arcs", |b| b.iter(|| black_box(&long).clone()));
}

criterion_group!(benches, oids);
criterion_main!(benches);
