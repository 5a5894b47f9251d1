//! Property tests: every message round-trips, and decoding never panics.

use bytes::Bytes;
use proptest::prelude::*;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, V3Message, Version,
};
use snmp_smi::{BasicPdu, Pdu, VarBind, oid};

fn pdu() -> impl Strategy<Value = Pdu> {
    (
        any::<i32>(),
        prop::collection::vec(any::<u32>(), 0..4),
        0u8..3,
    )
        .prop_map(|(id, arcs, kind)| {
            let oid = oid!(1, 3, 6, 1).extend(&arcs).unwrap();
            let p = BasicPdu::new(id, vec![VarBind::null(oid)]);
            match kind {
                0 => Pdu::GetRequest(p),
                1 => Pdu::Response(p),
                _ => Pdu::Report(p),
            }
        })
}

fn message() -> impl Strategy<Value = Message> {
    let community = (
        prop::bool::ANY,
        prop::collection::vec(any::<u8>(), 0..40),
        pdu(),
    )
        .prop_map(|(v1, c, pdu)| {
            Message::Community(CommunityMessage {
                version: if v1 { Version::V1 } else { Version::V2c },
                community: Bytes::from(c),
                pdu,
            })
        });
    let v3 = (
        any::<i32>(),
        any::<i32>(),
        any::<u8>(),
        any::<i32>(),
        prop::collection::vec(any::<u8>(), 0..60),
        prop::option::of((prop::collection::vec(any::<u8>(), 0..32), pdu())),
    )
        .prop_map(
            |(msg_id, max_size, flags, security_model, params, scoped)| {
                let data = match scoped {
                    Some((ctx, pdu)) => ScopedPduData::Plaintext(ScopedPdu {
                        context_engine_id: Bytes::from(ctx.clone()),
                        context_name: Bytes::from(ctx),
                        pdu,
                    }),
                    None => ScopedPduData::Encrypted(Bytes::from(params.clone())),
                };
                Message::V3(Box::new(V3Message {
                    header: HeaderData {
                        msg_id,
                        max_size,
                        flags: MsgFlags(flags),
                        security_model,
                    },
                    security_parameters: Bytes::from(params),
                    data,
                }))
            },
        );
    prop_oneof![community, v3]
}

proptest! {
    #[test]
    fn messages_round_trip(m in message()) {
        let wire = m.to_bytes().unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let back = Message::decode(&dec, &wire).unwrap();
        prop_assert_eq!(&back, &m);
        prop_assert_eq!(back.to_bytes().unwrap(), wire);
    }

    #[test]
    fn arbitrary_bytes_never_panic(data in prop::collection::vec(any::<u8>(), 0..300)) {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let wire = Bytes::from(data);
        if let Ok(m) = Message::decode(&dec, &wire) {
            // Whatever decodes re-encodes and decodes to the same message.
            let again = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &m.to_bytes().unwrap());
            prop_assert_eq!(again.unwrap(), m);
        }
    }

    #[test]
    fn mutated_messages_never_panic(m in message(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut wire = m.to_bytes().unwrap().to_vec();
        let i = at.index(wire.len());
        wire[i] = byte;
        let _ = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &Bytes::from(wire));
    }
}

proptest! {
    /// RFC 3584 3.1 then 3.2 gives back the SNMPv1 trap, for enterprise-specific and generic
    /// traps alike (the latter through snmpTrapEnterprise.0, which a proxy adds).
    #[test]
    fn v1_traps_round_trip_through_v2(
        enterprise in prop::collection::vec(any::<u32>(), 0..10),
        generic in 0i32..7,
        specific in any::<i32>(),
        time_stamp in any::<u32>(),
        agent_addr in any::<[u8; 4]>(),
        values in prop::collection::vec(any::<i32>(), 0..4),
    ) {
        let trap = snmp_smi::TrapV1Pdu {
            enterprise: oid!(1, 3, 6, 1, 4, 1).extend(&enterprise).unwrap(),
            agent_addr,
            generic_trap: snmp_smi::GenericTrap(generic),
            specific_trap: if generic == 6 { specific } else { 0 },
            time_stamp,
            varbinds: values.iter().map(|v| VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 7, 0), *v)).collect(),
        };
        let community = Bytes::from_static(b"public");
        let v2 = snmp_mpm::v1_trap_to_v2(&trap, Some(&community));
        let back = snmp_mpm::v2_to_v1_trap(&v2, snmp_mpm::TrapTranslator::Proxy).unwrap();
        prop_assert_eq!(&back.enterprise, &trap.enterprise);
        prop_assert_eq!(back.generic_trap, trap.generic_trap);
        prop_assert_eq!(back.specific_trap, trap.specific_trap);
        prop_assert_eq!(back.time_stamp, trap.time_stamp);
        prop_assert_eq!(back.agent_addr, trap.agent_addr);
        prop_assert_eq!(&back.varbinds[..trap.varbinds.len()], &trap.varbinds[..]);
    }
}
