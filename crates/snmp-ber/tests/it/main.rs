//! Property tests of the BER primitives: every value round-trips through the encoder and the
//! strict decoder, canonical octets re-encode identically, and no input makes a reader panic.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use snmp_ber::{Class, DecodeOptions, Decoder, Encoder, MAX_OID_LEN, Tag};

fn tag() -> impl Strategy<Value = Tag> {
    (
        0u8..4,
        any::<bool>(),
        prop_oneof![0u32..31, 31u32..=u32::MAX],
    )
        .prop_map(|(c, constructed, n)| {
            let class = [
                Class::Universal,
                Class::Application,
                Class::Context,
                Class::Private,
            ][usize::from(c)];
            Tag::new(class, constructed, n)
        })
}

fn oid() -> impl Strategy<Value = Vec<u32>> {
    (
        0u32..3,
        any::<u32>(),
        prop::collection::vec(any::<u32>(), 0..MAX_OID_LEN - 1),
    )
        .prop_map(|(first, second, rest)| {
            let second = if first < 2 { second % 40 } else { second };
            [first, second].into_iter().chain(rest).collect()
        })
}

proptest! {
    #[test]
    fn signed_round_trip(v in any::<i64>(), t in tag()) {
        let t = Tag::new(t.class(), false, t.number());
        let mut e = Encoder::new();
        e.put_i64(t, v).unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(e.as_slice());
        prop_assert_eq!(r.read_i64(t).unwrap(), v);
        prop_assert!(r.is_empty());
        if let Ok(v32) = i32::try_from(v) {
            prop_assert_eq!(dec.reader(e.as_slice()).read_i32(t).unwrap(), v32);
        }
    }

    #[test]
    fn unsigned_round_trip(v in any::<u64>()) {
        let t = Tag::application(6);
        let mut e = Encoder::new();
        e.put_u64(t, v).unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        prop_assert_eq!(dec.reader(e.as_slice()).read_u64(t).unwrap(), v);
        if let Ok(v32) = u32::try_from(v) {
            prop_assert_eq!(dec.reader(e.as_slice()).read_u32(t).unwrap(), v32);
        }
    }

    #[test]
    fn octets_round_trip(content in prop::collection::vec(any::<u8>(), 0..1000), t in tag()) {
        let t = Tag::new(t.class(), false, t.number());
        let mut e = Encoder::new();
        e.put_octets(t, &content).unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(e.as_slice());
        prop_assert_eq!(r.peek_tag().unwrap(), t);
        prop_assert_eq!(r.read_octets(t).unwrap(), &content[..]);
        prop_assert!(dec.anomalies().is_empty());
    }

    #[test]
    fn oid_round_trip(arcs in oid()) {
        let mut e = Encoder::new();
        e.put_oid(Tag::OBJECT_IDENTIFIER, &arcs).unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut out = [0u32; MAX_OID_LEN];
        let n = dec.reader(e.as_slice()).read_oid(Tag::OBJECT_IDENTIFIER, &mut out).unwrap();
        prop_assert_eq!(&out[..n], &arcs[..]);
    }

    /// Canonical octets (anything the strict decoder accepts) re-encode to themselves.
    #[test]
    fn canonical_integers_re_encode(content in prop::collection::vec(any::<u8>(), 1..9)) {
        let mut wire = vec![0x02, u8::try_from(content.len()).unwrap()];
        wire.extend(&content);
        let dec = Decoder::new(DecodeOptions::STRICT);
        if let Ok(v) = dec.reader(&wire).read_i64(Tag::INTEGER) {
            let mut e = Encoder::new();
            e.put_i64(Tag::INTEGER, v).unwrap();
            prop_assert_eq!(e.as_slice(), &wire[..]);
        }
    }

    #[test]
    fn canonical_oids_re_encode(content in prop::collection::vec(any::<u8>(), 1..40)) {
        let mut wire = vec![0x06, u8::try_from(content.len()).unwrap()];
        wire.extend(&content);
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut out = [0u32; MAX_OID_LEN];
        if let Ok(n) = dec.reader(&wire).read_oid(Tag::OBJECT_IDENTIFIER, &mut out) {
            let mut e = Encoder::new();
            e.put_oid(Tag::OBJECT_IDENTIFIER, &out[..n]).unwrap();
            prop_assert_eq!(e.as_slice(), &wire[..]);
        }
    }

    /// Walks arbitrary input as a tree of TLVs: errors, never panics, never reads past bounds.
    #[test]
    fn arbitrary_input_never_panics(data in prop::collection::vec(any::<u8>(), 0..512)) {
        fn walk(r: &mut snmp_ber::Reader<'_>) {
            while !r.is_empty() {
                let Ok((tag, mut child)) = r.read_any() else { return };
                if tag.is_constructed() {
                    walk(&mut child);
                } else {
                    let mut out = [0u32; MAX_OID_LEN];
                    let _ = child.clone().read_oid(tag, &mut out);
                }
            }
        }
        let dec = Decoder::new(DecodeOptions::LENIENT);
        walk(&mut dec.reader(&data));
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader(&data);
        let _ = r.read_i64(Tag::INTEGER);
        let _ = r.read_u64(Tag::application(6));
        let _ = r.read_null(Tag::NULL);
    }
}
