//! The notification originator of RFC 3413 section 3.2: the bindings of a notification, and
//! the encoding of the unconfirmed ones. Informs are confirmed requests, sent by the
//! [`CommandGenerator`](crate::CommandGenerator) like a GET (retries, SNMPv3 discovery of
//! the receiver's engine); traps are sent once, SNMPv3 ones with this engine authoritative.

use std::time::Instant;

use bytes::Bytes;
use snmp_ber::EncodeError;
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, SNMP_TRAP_OID_0, SYS_UP_TIME_0, ScopedPdu,
    TranslationError, TrapTranslator, Version, v1_trap_to_v2, v2_to_v1_trap,
};
use snmp_smi::{BasicPdu, Oid, Pdu, Value, VarBind};
use snmp_usm::Usm;

use crate::{RequestError, RequestPdu, Security, Target};

/// The bindings of an SNMPv2 notification (RFC 3416 4.2.6, RFC 3413 3.2): `sysUpTime.0`,
/// `snmpTrapOID.0`, then `varbinds`. A `sysUpTime.0` or `snmpTrapOID.0` among `varbinds`
/// is moved to its place instead, its value kept.
fn notification_varbinds(
    uptime: u32,
    trap_oid: Oid,
    varbinds: impl IntoIterator<Item = VarBind>,
) -> Vec<VarBind> {
    let mut up = VarBind::new(SYS_UP_TIME_0, Value::TimeTicks(uptime));
    let mut oid = VarBind::new(SNMP_TRAP_OID_0, Value::ObjectIdentifier(trap_oid));
    let mut rest = Vec::new();
    for vb in varbinds {
        if vb.oid == SYS_UP_TIME_0 {
            up = vb;
        } else if vb.oid == SNMP_TRAP_OID_0 {
            oid = vb;
        } else {
            rest.push(vb);
        }
    }
    let mut out = Vec::with_capacity(rest.len() + 2);
    out.push(up);
    out.push(oid);
    out.extend(rest);
    out
}

impl RequestPdu {
    /// An SNMPv2-Trap of the notification `trap_oid` (the value of `snmpTrapOID.0`), sent
    /// `uptime` hundredths of a second after the originator started (`sysUpTime.0`), with
    /// the notification's objects `varbinds` (RFC 3413 3.2: those two first, then these).
    ///
    /// ```
    /// use snmp_engine::RequestPdu;
    /// use snmp_smi::{Value, VarBind, oid};
    ///
    /// // IF-MIB linkDown, ifIndex 3.
    /// let pdu = RequestPdu::trap(
    ///     4200,
    ///     oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3),
    ///     [VarBind::new(oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3), Value::Integer(3))],
    /// );
    /// let RequestPdu::Trap(varbinds) = pdu else { unreachable!() };
    /// assert_eq!(varbinds[0].oid, oid!(1, 3, 6, 1, 2, 1, 1, 3, 0)); // sysUpTime.0
    /// assert_eq!(varbinds[0].value, Value::TimeTicks(4200));
    /// assert_eq!(varbinds[1].oid, oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0)); // snmpTrapOID.0
    /// assert_eq!(varbinds.len(), 3);
    /// ```
    pub fn trap(uptime: u32, trap_oid: Oid, varbinds: impl IntoIterator<Item = VarBind>) -> Self {
        Self::Trap(notification_varbinds(uptime, trap_oid, varbinds))
    }

    /// An InformRequest of the notification `trap_oid`; as [`RequestPdu::trap`].
    pub fn inform(uptime: u32, trap_oid: Oid, varbinds: impl IntoIterator<Item = VarBind>) -> Self {
        Self::Inform(notification_varbinds(uptime, trap_oid, varbinds))
    }

    /// Whether this is an unconfirmed notification (a trap), sent once and never answered.
    pub fn is_unconfirmed(&self) -> bool {
        matches!(self, Self::Trap(_) | Self::TrapV1(_))
    }
}

fn invalid(what: &'static str) -> RequestError {
    RequestError::Encode(EncodeError::Invalid { what })
}

fn untranslatable(e: &TranslationError) -> RequestError {
    invalid(match e {
        TranslationError::MissingSysUpTime => "an SNMPv1 trap from bindings without sysUpTime.0",
        TranslationError::MissingTrapOid => "an SNMPv1 trap from bindings without snmpTrapOID.0",
        _ => "an SNMPv1 trap with a Counter64",
    })
}

/// Encodes the trap `pdu` for `target`: the datagram, and the notification as sent in
/// SNMPv2 form (the outcome the generator reports). An SNMPv3 trap has this engine (`usm`'s)
/// authoritative: its snmpEngineID, boots and time, the user's keys localized to it (RFC
/// 3414 1.5.1); its contextEngineID is this engine's too, unless the target names one.
/// `header` must not be reportable (RFC 3412 6.4: an unconfirmed PDU).
pub(crate) fn encode_unconfirmed(
    usm: &mut Usm,
    now: Instant,
    header: HeaderData,
    request_id: i32,
    target: &Target,
    pdu: RequestPdu,
) -> Result<(Bytes, BasicPdu), RequestError> {
    let (v2, v1) = match pdu {
        RequestPdu::Trap(v) => (v, None),
        RequestPdu::TrapV1(t) => (v1_trap_to_v2(&t, None), Some(t)),
        _ => return Err(invalid("a confirmed PDU as a trap")),
    };
    let wire = match &target.security {
        Security::Community { version, community } => {
            let pdu = if *version == Version::V1 {
                let trap = match v1 {
                    Some(t) => t,
                    None => Box::new(
                        v2_to_v1_trap(&v2, TrapTranslator::Proxy)
                            .map_err(|e| untranslatable(&e))?,
                    ),
                };
                Pdu::TrapV1(trap)
            } else {
                Pdu::SnmpV2Trap(BasicPdu::new(request_id, v2.clone()))
            };
            Message::Community(CommunityMessage {
                version: *version,
                community: community.clone(),
                pdu,
            })
            .to_bytes()
            .map_err(RequestError::Encode)?
        }
        Security::Usm { user, level } => {
            let local = usm.engine_id().to_bytes();
            let scoped = ScopedPdu {
                context_engine_id: target
                    .context_engine_id
                    .clone()
                    .unwrap_or_else(|| local.clone()),
                context_name: target.context_name.clone(),
                pdu: Pdu::SnmpV2Trap(BasicPdu::new(request_id, v2.clone())),
            };
            usm.generate(now, header, &scoped, user, &local, *level)
                .map_err(RequestError::Security)?
        }
    };
    Ok((wire, BasicPdu::new(request_id, v2)))
}

#[cfg(test)]
mod tests {
    use snmp_smi::oid;

    use super::*;

    #[test]
    fn uptime_and_trap_oid_first() {
        let vb = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0), "host");
        let given_up = VarBind::new(SYS_UP_TIME_0, Value::TimeTicks(7));
        let v = notification_varbinds(
            100,
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1),
            [vb.clone(), given_up.clone()],
        );
        assert_eq!(v.len(), 3);
        assert_eq!(v[0], given_up);
        assert_eq!(v[1].oid, SNMP_TRAP_OID_0);
        assert_eq!(
            v[1].value,
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1))
        );
        assert_eq!(v[2], vb);
    }
}
