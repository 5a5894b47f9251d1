//! SNMPv1 / SNMPv2 PDU translation (RFC 3584 sections 3 and 4): notifications both ways, the
//! error-status mapping, responses for SNMPv1 requesters, and GetBulk for SNMPv1 targets.
//!
//! Used by an agent answering SNMPv1 managers, by a notification receiver showing SNMPv1
//! traps in SNMPv2 form, and by a proxy forwarding between versions.

use alloc::vec::Vec;
use core::fmt;

use bytes::Bytes;
use snmp_smi::{
    BasicPdu, BulkPdu, ErrorStatus, GenericTrap, Oid, PduType, TrapV1Pdu, Value, VarBind, oid,
};

/// `sysUpTime.0` (RFC 3418): the first binding of every SNMPv2 notification.
pub const SYS_UP_TIME_0: Oid = oid!(1, 3, 6, 1, 2, 1, 1, 3, 0);
/// `snmpTrapOID.0` (RFC 3418): the second binding of every SNMPv2 notification.
pub const SNMP_TRAP_OID_0: Oid = oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0);
/// `snmpTrapEnterprise.0` (RFC 3418).
pub const SNMP_TRAP_ENTERPRISE_0: Oid = oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0);
/// `snmpTraps` (RFC 3418): the parent of the six generic traps.
pub const SNMP_TRAPS: Oid = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5);
/// `snmpTrapAddress.0` (SNMP-COMMUNITY-MIB, RFC 3584).
pub const SNMP_TRAP_ADDRESS_0: Oid = oid!(1, 3, 6, 1, 6, 3, 18, 1, 3, 0);
/// `snmpTrapCommunity.0` (SNMP-COMMUNITY-MIB, RFC 3584).
pub const SNMP_TRAP_COMMUNITY_0: Oid = oid!(1, 3, 6, 1, 6, 3, 18, 1, 4, 0);

/// A translation that RFC 3584 says cannot be made.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TranslationError {
    /// An SNMPv2 notification whose first binding is not `sysUpTime.0` with a TimeTicks.
    MissingSysUpTime,
    /// An SNMPv2 notification whose second binding is not `snmpTrapOID.0` with an OID of at
    /// least two sub-identifiers.
    MissingTrapOid,
    /// A Counter64 at this 0-based binding index: it cannot be carried by SNMPv1 (RFC 3584
    /// 3.2 (7) for notifications; for a GetNext response, the caller re-issues the GetNext
    /// for this binding, 4.2.2.1).
    Counter64 {
        /// The binding's 0-based index.
        index: usize,
    },
}

impl fmt::Display for TranslationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingSysUpTime => f.write_str("notification does not start with sysUpTime.0"),
            Self::MissingTrapOid => {
                f.write_str("notification's second binding is not snmpTrapOID.0")
            }
            Self::Counter64 { index } => {
                write!(
                    f,
                    "binding {} is a Counter64, which SNMPv1 cannot carry",
                    index + 1
                )
            }
        }
    }
}

impl core::error::Error for TranslationError {}

/// The snmpTrapOID of an SNMPv1 trap (RFC 3584 3.1 (1), (2)): `enterprise.0.specific` for an
/// enterprise-specific trap, `snmpTraps.(generic + 1)` for the six generic ones.
pub fn v1_trap_oid(trap: &TrapV1Pdu) -> Oid {
    match trap.generic_trap.0 {
        g @ 0..=5 => SNMP_TRAPS.child(g.unsigned_abs() + 1).unwrap_or_default(),
        _ => {
            let specific = trap.specific_trap.cast_unsigned();
            trap.enterprise
                .extend(&[0, specific])
                .unwrap_or_else(|_| trap.enterprise.clone())
        }
    }
}

/// The bindings of the SNMPv2 notification equivalent to an SNMPv1 trap (RFC 3584 3.1):
/// `sysUpTime.0` from time-stamp, `snmpTrapOID.0` from [`v1_trap_oid`], then the trap's own
/// bindings.
///
/// A proxy forwarding a received trap passes the community of the message it came in:
/// `snmpTrapAddress.0` (agent-addr), `snmpTrapCommunity.0` and `snmpTrapEnterprise.0` are then
/// appended, each unless the trap already carries it (3.1 (3)).
pub fn v1_trap_to_v2(trap: &TrapV1Pdu, proxy_community: Option<&Bytes>) -> Vec<VarBind> {
    let mut out = Vec::with_capacity(trap.varbinds.len() + 5);
    out.push(VarBind::new(
        SYS_UP_TIME_0,
        Value::TimeTicks(trap.time_stamp),
    ));
    out.push(VarBind::new(
        SNMP_TRAP_OID_0,
        Value::ObjectIdentifier(v1_trap_oid(trap)),
    ));
    out.extend(trap.varbinds.iter().cloned());
    if let Some(community) = proxy_community {
        let extra = [
            VarBind::new(SNMP_TRAP_ADDRESS_0, Value::IpAddress(trap.agent_addr)),
            VarBind::new(SNMP_TRAP_COMMUNITY_0, Value::OctetString(community.clone())),
            VarBind::new(
                SNMP_TRAP_ENTERPRISE_0,
                Value::ObjectIdentifier(trap.enterprise.clone()),
            ),
        ];
        for vb in extra {
            if !trap.varbinds.iter().any(|v| v.oid == vb.oid) {
                out.push(vb);
            }
        }
    }
    out
}

/// Who translates an SNMPv2 notification to an SNMPv1 trap, which decides its agent-addr
/// (RFC 3584 3.2 (3)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TrapTranslator {
    /// A notification originator: agent-addr is its own IPv4 address (`0.0.0.0` when it sends
    /// over another transport).
    Originator {
        /// The originator's address.
        agent_addr: [u8; 4],
    },
    /// A proxy: agent-addr is the value of `snmpTrapAddress.0` if the notification has it,
    /// `0.0.0.0` otherwise.
    Proxy,
}

/// The SNMPv1 trap equivalent to an SNMPv2 notification's bindings (RFC 3584 3.2).
///
/// The first two bindings must be `sysUpTime.0` and `snmpTrapOID.0`; they become time-stamp,
/// enterprise, generic-trap and specific-trap, and the remaining bindings are the trap's. A
/// Counter64 anywhere makes the translation impossible.
pub fn v2_to_v1_trap(
    varbinds: &[VarBind],
    translator: TrapTranslator,
) -> Result<TrapV1Pdu, TranslationError> {
    let time_stamp = match varbinds.first() {
        Some(VarBind {
            oid,
            value: Value::TimeTicks(t),
        }) if *oid == SYS_UP_TIME_0 => *t,
        _ => return Err(TranslationError::MissingSysUpTime),
    };
    let trap_oid = match varbinds.get(1) {
        Some(VarBind {
            oid,
            value: Value::ObjectIdentifier(t),
        }) if *oid == SNMP_TRAP_OID_0 && t.len() >= 2 => t,
        _ => return Err(TranslationError::MissingTrapOid),
    };
    let rest = varbinds.get(2..).unwrap_or_default();
    if let Some(index) = rest
        .iter()
        .position(|vb| matches!(vb.value, Value::Counter64(_)))
    {
        return Err(TranslationError::Counter64 { index: index + 2 });
    }
    let generic = trap_oid.strip_prefix(&SNMP_TRAPS).and_then(|s| match s {
        [n @ 1..=6] => i32::try_from(*n - 1).ok(),
        _ => None,
    });
    let arcs = trap_oid.as_slice();
    let (enterprise, generic_trap, specific_trap) = match generic {
        Some(g) => {
            // 3.2 (1): snmpTrapEnterprise.0 if present, snmpTraps otherwise.
            let enterprise = rest
                .iter()
                .find_map(|vb| match &vb.value {
                    Value::ObjectIdentifier(o) if vb.oid == SNMP_TRAP_ENTERPRISE_0 => {
                        Some(o.clone())
                    }
                    _ => None,
                })
                .unwrap_or(SNMP_TRAPS);
            (enterprise, GenericTrap(g), 0)
        }
        None => {
            // 3.2 (2): drop `.0.specific` or `.specific`; (4), (5): enterpriseSpecific.
            let [.., next_to_last, last] = arcs else {
                return Err(TranslationError::MissingTrapOid);
            };
            let keep = if *next_to_last == 0 {
                arcs.len() - 2
            } else {
                arcs.len() - 1
            };
            let enterprise =
                Oid::from_slice(arcs.get(..keep).unwrap_or_default()).unwrap_or_default();
            // A specific-trap above 2^31-1 cannot be sent in SNMPv1's INTEGER; keep its bits.
            (
                enterprise,
                GenericTrap::ENTERPRISE_SPECIFIC,
                last.cast_signed(),
            )
        }
    };
    let agent_addr = match translator {
        TrapTranslator::Originator { agent_addr } => agent_addr,
        TrapTranslator::Proxy => rest
            .iter()
            .find_map(|vb| match vb.value {
                Value::IpAddress(a) if vb.oid == SNMP_TRAP_ADDRESS_0 => Some(a),
                _ => None,
            })
            .unwrap_or([0; 4]),
    };
    Ok(TrapV1Pdu {
        enterprise,
        agent_addr,
        generic_trap,
        specific_trap,
        time_stamp,
        varbinds: rest.to_vec(),
    })
}

/// The SNMPv1 error-status for an SNMPv2 one (RFC 3584 4.4); unknown values become genErr.
pub fn v2_error_to_v1(status: ErrorStatus) -> ErrorStatus {
    match status {
        ErrorStatus::NO_ERROR
        | ErrorStatus::TOO_BIG
        | ErrorStatus::NO_SUCH_NAME
        | ErrorStatus::BAD_VALUE
        | ErrorStatus::READ_ONLY
        | ErrorStatus::GEN_ERR => status,
        ErrorStatus::WRONG_VALUE
        | ErrorStatus::WRONG_ENCODING
        | ErrorStatus::WRONG_TYPE
        | ErrorStatus::WRONG_LENGTH
        | ErrorStatus::INCONSISTENT_VALUE => ErrorStatus::BAD_VALUE,
        ErrorStatus::NO_ACCESS
        | ErrorStatus::NOT_WRITABLE
        | ErrorStatus::NO_CREATION
        | ErrorStatus::INCONSISTENT_NAME
        | ErrorStatus::AUTHORIZATION_ERROR => ErrorStatus::NO_SUCH_NAME,
        _ => ErrorStatus::GEN_ERR,
    }
}

/// Makes an SNMPv2-style Response fit for an SNMPv1 requester (RFC 3584 4.2.2.1 and 4.4):
/// error-status is mapped; an exception value (noSuchObject, noSuchInstance, endOfMibView)
/// becomes noSuchName at the first such binding; a Counter64 in the response to a GetRequest
/// becomes noSuchName at its binding. A Counter64 in the response to a GetNextRequest cannot be
/// returned: that is [`TranslationError::Counter64`], and the caller re-issues the GetNext for
/// that binding.
///
/// On error the bindings are left as they are: an SNMPv1 response carries the request's
/// bindings, which a responder has echoed.
pub fn v2_response_to_v1(
    response: &BasicPdu,
    request: PduType,
) -> Result<BasicPdu, TranslationError> {
    let mut out = response.clone();
    if !response.error_status.is_ok() {
        out.error_status = v2_error_to_v1(response.error_status);
        return Ok(out);
    }
    for (index, vb) in response.varbinds.iter().enumerate() {
        let no_such_name = match vb.value {
            Value::Counter64(_) if request == PduType::GetNextRequest => {
                return Err(TranslationError::Counter64 { index });
            }
            Value::Counter64(_) => true,
            ref v => v.is_exception(),
        };
        if no_such_name {
            out.error_status = ErrorStatus::NO_SUCH_NAME;
            out.error_index = i32::try_from(index + 1).unwrap_or(i32::MAX);
            return Ok(out);
        }
    }
    Ok(out)
}

/// The GetNextRequest to send an SNMPv1 target in place of a GetBulkRequest (RFC 3584
/// 4.2.2.1.1): the same request-id and bindings, one repetition.
pub fn bulk_to_get_next(bulk: &BulkPdu) -> BasicPdu {
    BasicPdu::new(bulk.request_id, bulk.varbinds.clone())
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;

    fn trap(generic: i32, specific: i32) -> TrapV1Pdu {
        TrapV1Pdu {
            enterprise: oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3),
            agent_addr: [192, 0, 2, 1],
            generic_trap: GenericTrap(generic),
            specific_trap: specific,
            time_stamp: 4242,
            varbinds: vec![VarBind::new(oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3), 3)],
        }
    }

    /// RFC 3584 3.1 (1) and (2).
    #[test]
    fn v1_trap_oids() {
        assert_eq!(
            v1_trap_oid(&trap(6, 17)),
            oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 17)
        );
        assert_eq!(v1_trap_oid(&trap(0, 0)), oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1));
        assert_eq!(
            v1_trap_oid(&trap(3, 99)),
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 4)
        );
    }

    #[test]
    fn v1_to_v2_and_back() {
        let t = trap(6, 17);
        let v2 = v1_trap_to_v2(&t, None);
        assert_eq!(v2.len(), 3);
        assert_eq!(v2[0], VarBind::new(SYS_UP_TIME_0, Value::TimeTicks(4242)));
        let back = v2_to_v1_trap(
            &v2,
            TrapTranslator::Originator {
                agent_addr: [192, 0, 2, 1],
            },
        );
        assert_eq!(back.unwrap(), t);
        // Generic traps round-trip through snmpTrapEnterprise.0, added by a proxy.
        let t = trap(2, 0);
        let community = Bytes::from_static(b"public");
        let v2 = v1_trap_to_v2(&t, Some(&community));
        assert_eq!(v2.len(), 6);
        assert_eq!(
            v2[3],
            VarBind::new(SNMP_TRAP_ADDRESS_0, Value::IpAddress([192, 0, 2, 1]))
        );
        assert_eq!(
            v2[4],
            VarBind::new(SNMP_TRAP_COMMUNITY_0, Value::OctetString(community))
        );
        let back = v2_to_v1_trap(&v2, TrapTranslator::Proxy).unwrap();
        assert_eq!(back.enterprise, t.enterprise);
        assert_eq!(back.generic_trap, GenericTrap::LINK_DOWN);
        assert_eq!(back.specific_trap, 0);
        assert_eq!(back.agent_addr, [192, 0, 2, 1]);
        assert_eq!(back.time_stamp, 4242);
        assert_eq!(back.varbinds, v2[2..]);
    }

    /// RFC 3584 3.2 (2): next-to-last sub-identifier zero or not.
    #[test]
    fn v2_enterprise_rules() {
        let notif = |trap_oid: Oid| {
            vec![
                VarBind::new(SYS_UP_TIME_0, Value::TimeTicks(1)),
                VarBind::new(SNMP_TRAP_OID_0, Value::ObjectIdentifier(trap_oid)),
            ]
        };
        let t = v2_to_v1_trap(
            &notif(oid!(1, 3, 6, 1, 4, 1, 9, 9, 41, 2, 0, 1)),
            TrapTranslator::Proxy,
        );
        let t = t.unwrap();
        assert_eq!(t.enterprise, oid!(1, 3, 6, 1, 4, 1, 9, 9, 41, 2));
        assert_eq!(
            (t.generic_trap, t.specific_trap),
            (GenericTrap::ENTERPRISE_SPECIFIC, 1)
        );
        assert_eq!(t.agent_addr, [0; 4]);
        let t = v2_to_v1_trap(
            &notif(oid!(1, 3, 6, 1, 2, 1, 88, 2, 1)),
            TrapTranslator::Proxy,
        )
        .unwrap();
        assert_eq!(t.enterprise, oid!(1, 3, 6, 1, 2, 1, 88, 2));
        assert_eq!(t.specific_trap, 1);
        // A generic trap without snmpTrapEnterprise.0 gets snmpTraps.
        let t = v2_to_v1_trap(
            &notif(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 5)),
            TrapTranslator::Proxy,
        )
        .unwrap();
        assert_eq!(t.enterprise, SNMP_TRAPS);
        assert_eq!(t.generic_trap, GenericTrap::AUTHENTICATION_FAILURE);
    }

    #[test]
    fn untranslatable_notifications() {
        let up = VarBind::new(SYS_UP_TIME_0, Value::TimeTicks(1));
        let id = VarBind::new(
            SNMP_TRAP_OID_0,
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 4, 1, 1, 0, 1)),
        );
        let p = TrapTranslator::Proxy;
        assert_eq!(
            v2_to_v1_trap(&[], p),
            Err(TranslationError::MissingSysUpTime)
        );
        assert_eq!(
            v2_to_v1_trap(&[id.clone(), up.clone()], p),
            Err(TranslationError::MissingSysUpTime)
        );
        assert_eq!(
            v2_to_v1_trap(core::slice::from_ref(&up), p),
            Err(TranslationError::MissingTrapOid)
        );
        let c64 = VarBind::new(
            oid!(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 1),
            Value::Counter64(1),
        );
        assert_eq!(
            v2_to_v1_trap(&[up, id, c64], p),
            Err(TranslationError::Counter64 { index: 2 })
        );
    }

    /// RFC 3584 4.4, every code.
    #[test]
    fn error_mapping() {
        let want = [0, 1, 2, 3, 4, 5, 2, 3, 3, 3, 3, 2, 3, 5, 5, 5, 2, 2, 2];
        for (v2, v1) in want.iter().enumerate() {
            let v2 = ErrorStatus(i32::try_from(v2).unwrap());
            assert_eq!(v2_error_to_v1(v2), ErrorStatus(*v1), "{v2:?}");
        }
        assert_eq!(v2_error_to_v1(ErrorStatus(99)), ErrorStatus::GEN_ERR);
    }

    #[test]
    fn responses_for_v1() {
        let a = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
        let b = oid!(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6, 1);
        let ok = BasicPdu::new(
            9,
            vec![
                VarBind::new(a.clone(), "x"),
                VarBind::new(b.clone(), Value::NoSuchInstance),
            ],
        );
        let r = v2_response_to_v1(&ok, PduType::GetRequest).unwrap();
        assert_eq!(
            (r.error_status, r.error_index),
            (ErrorStatus::NO_SUCH_NAME, 2)
        );
        let c64 = BasicPdu::new(
            9,
            vec![
                VarBind::new(a.clone(), "x"),
                VarBind::new(b.clone(), Value::Counter64(5)),
            ],
        );
        let r = v2_response_to_v1(&c64, PduType::GetRequest).unwrap();
        assert_eq!(
            (r.error_status, r.error_index),
            (ErrorStatus::NO_SUCH_NAME, 2)
        );
        assert_eq!(
            v2_response_to_v1(&c64, PduType::GetNextRequest),
            Err(TranslationError::Counter64 { index: 1 })
        );
        let mut err = BasicPdu::new(9, vec![VarBind::null(a)]);
        err.error_status = ErrorStatus::NOT_WRITABLE;
        err.error_index = 1;
        let r = v2_response_to_v1(&err, PduType::SetRequest).unwrap();
        assert_eq!(
            (r.error_status, r.error_index),
            (ErrorStatus::NO_SUCH_NAME, 1)
        );
        let bulk = BulkPdu {
            request_id: 3,
            non_repeaters: 1,
            max_repetitions: 10,
            varbinds: vec![VarBind::null(b)],
        };
        let next = bulk_to_get_next(&bulk);
        assert_eq!((next.request_id, next.varbinds.len()), (3, 1));
    }
}
