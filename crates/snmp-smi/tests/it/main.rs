//! Property tests of the SMI types: every value, binding and PDU round-trips through BER
//! (decode(encode(x)) == x, and encode(decode(b)) == b for the canonical b it produced), OIDs
//! round-trip through text, and their order is the order of their sub-identifiers.
#![allow(clippy::unwrap_used)]

use bytes::Bytes;
use proptest::prelude::*;
use snmp_ber::{DecodeOptions, Decoder, Encoder, MAX_OID_LEN};
use snmp_smi::{BasicPdu, BulkPdu, ErrorStatus, GenericTrap, Oid, Pdu, TrapV1Pdu, Value, VarBind};

fn oid() -> impl Strategy<Value = Oid> {
    (
        0u32..3,
        any::<u32>(),
        prop::collection::vec(prop_oneof![0u32..300, any::<u32>()], 0..40),
    )
        .prop_map(|(first, second, rest)| {
            let second = if first < 2 { second % 40 } else { second };
            let arcs: Vec<u32> = [first, second].into_iter().chain(rest).collect();
            Oid::from_slice(&arcs).unwrap()
        })
}

fn value() -> impl Strategy<Value = Value> {
    let bytes = prop::collection::vec(any::<u8>(), 0..64).prop_map(Bytes::from);
    prop_oneof![
        any::<i32>().prop_map(Value::Integer),
        bytes.clone().prop_map(Value::OctetString),
        Just(Value::Null),
        oid().prop_map(Value::ObjectIdentifier),
        any::<[u8; 4]>().prop_map(Value::IpAddress),
        any::<u32>().prop_map(Value::Counter32),
        any::<u32>().prop_map(Value::Gauge32),
        any::<u32>().prop_map(Value::TimeTicks),
        // A plain Opaque must not look like net-snmp's typed forms (those start with 9f).
        bytes
            .prop_filter("typed opaque", |b| b.first() != Some(&0x9f))
            .prop_map(Value::Opaque),
        any::<u64>().prop_map(Value::Counter64),
        any::<u32>().prop_map(Value::UInteger32),
        any::<f32>().prop_map(Value::OpaqueFloat),
        any::<f64>().prop_map(Value::OpaqueDouble),
        any::<i64>().prop_map(Value::OpaqueI64),
        any::<u64>().prop_map(Value::OpaqueU64),
        Just(Value::NoSuchObject),
        Just(Value::NoSuchInstance),
        Just(Value::EndOfMibView),
    ]
}

fn varbinds() -> impl Strategy<Value = Vec<VarBind>> {
    prop::collection::vec(
        (oid(), value()).prop_map(|(o, v)| VarBind::new(o, v)),
        0..12,
    )
}

fn pdu() -> impl Strategy<Value = Pdu> {
    let basic = (any::<i32>(), any::<i32>(), any::<i32>(), varbinds())
        .prop_map(|(id, s, i, vbs)| BasicPdu {
            request_id: id,
            error_status: ErrorStatus(s),
            error_index: i,
            varbinds: vbs,
        })
        .boxed();
    prop_oneof![
        basic.clone().prop_map(Pdu::GetRequest),
        basic.clone().prop_map(Pdu::GetNextRequest),
        basic.clone().prop_map(Pdu::Response),
        basic.clone().prop_map(Pdu::SetRequest),
        basic.clone().prop_map(Pdu::InformRequest),
        basic.clone().prop_map(Pdu::SnmpV2Trap),
        basic.prop_map(Pdu::Report),
        (any::<i32>(), any::<i32>(), any::<i32>(), varbinds()).prop_map(|(id, n, m, vbs)| {
            Pdu::GetBulkRequest(BulkPdu {
                request_id: id,
                non_repeaters: n,
                max_repetitions: m,
                varbinds: vbs,
            })
        }),
        (
            oid(),
            any::<[u8; 4]>(),
            any::<i32>(),
            any::<i32>(),
            any::<u32>(),
            varbinds()
        )
            .prop_map(
                |(enterprise, agent_addr, g, specific_trap, time_stamp, varbinds)| {
                    Pdu::TrapV1(Box::new(TrapV1Pdu {
                        enterprise,
                        agent_addr,
                        generic_trap: GenericTrap(g),
                        specific_trap,
                        time_stamp,
                        varbinds,
                    }))
                }
            ),
    ]
}

fn encode_value(v: &Value) -> Vec<u8> {
    let mut e = Encoder::new();
    v.encode(&mut e).unwrap();
    e.as_slice().to_vec()
}

proptest! {
    #[test]
    fn values_round_trip(v in value()) {
        let wire = encode_value(&v);
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(&wire);
        let back = Value::decode(&mut r).unwrap();
        prop_assert!(r.is_empty());
        prop_assert_eq!(&back, &v);
        prop_assert_eq!(encode_value(&back), wire);
    }

    #[test]
    fn pdus_round_trip(p in pdu()) {
        let mut e = Encoder::new();
        p.encode(&mut e).unwrap();
        let wire = e.finish();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let back = Pdu::decode(&mut dec.reader_bytes(&wire)).unwrap();
        prop_assert_eq!(&back, &p);
        let mut again = Encoder::new();
        back.encode(&mut again).unwrap();
        prop_assert_eq!(again.as_slice(), &wire[..]);
    }

    #[test]
    fn oid_text_round_trip(o in oid()) {
        prop_assert_eq!(o.to_string().parse::<Oid>().unwrap(), o.clone());
        prop_assert_eq!(format!("{o:#}").parse::<Oid>().unwrap(), o);
    }

    #[test]
    fn oid_order_is_sub_identifier_order(a in prop::collection::vec(0u32..4, 0..6), b in prop::collection::vec(0u32..4, 0..6)) {
        let (oa, ob) = (Oid::from_slice(&a).unwrap(), Oid::from_slice(&b).unwrap());
        prop_assert_eq!(oa.cmp(&ob), a.cmp(&b));
        prop_assert_eq!(ob.starts_with(&oa), b.starts_with(&a));
    }

    #[test]
    fn oid_extend_crosses_representations(a in prop::collection::vec(any::<u32>(), 0..MAX_OID_LEN), b in prop::collection::vec(any::<u32>(), 0..20)) {
        let base = Oid::from_slice(&a).unwrap();
        match base.extend(&b) {
            Ok(o) => {
                prop_assert_eq!(o.len(), a.len() + b.len());
                prop_assert_eq!(o.strip_prefix(&base).unwrap(), &b[..]);
            }
            Err(_) => prop_assert!(a.len() + b.len() > MAX_OID_LEN),
        }
    }

    #[test]
    fn arbitrary_pdu_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..400)) {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let _ = Pdu::decode(&mut dec.reader(&data));
        let _ = Value::decode(&mut dec.reader(&data));
    }
}

#[cfg(feature = "serde")]
#[test]
fn serde_json_shape() {
    let vb = VarBind::new("1.3.6.1.2.1.1.3.0".parse().unwrap(), Value::TimeTicks(42));
    let json = serde_json::to_string(&vb).unwrap();
    assert_eq!(
        json,
        r#"{"oid":"1.3.6.1.2.1.1.3.0","value":{"type":"TimeTicks","value":42}}"#
    );
    let back: VarBind = serde_json::from_str(&json).unwrap();
    assert_eq!(back, vb);
}
