//! SNMP messages: the community-based wrapper of SNMPv1 and SNMPv2c, and the SNMPv3 message.

use alloc::boxed::Box;
use core::fmt;

use bytes::Bytes;
use snmp_ber::{Anomaly, DecodeError, DecodeErrorKind, Decoder, EncodeError, Encoder, Reader, Tag};
use snmp_smi::{Pdu, Value};

/// `msgVersion` / `version`: the message processing model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::exhaustive_enums)] // the versions RFC 3411's SnmpMessageProcessingModel names
pub enum Version {
    /// SNMPv1 (RFC 1157), `version-1(0)`.
    V1 = 0,
    /// Community-based SNMPv2 (RFC 1901), `version-2c(1)`.
    V2c = 1,
    /// SNMPv3 (RFC 3412), `snmpv3(3)`.
    V3 = 3,
}

impl Version {
    /// The version for a wire value.
    pub const fn from_i64(v: i64) -> Option<Self> {
        match v {
            0 => Some(Self::V1),
            1 => Some(Self::V2c),
            3 => Some(Self::V3),
            _ => None,
        }
    }

    /// The wire value.
    pub const fn as_i64(self) -> i64 {
        self as i64
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::V1 => "1",
            Self::V2c => "2c",
            Self::V3 => "3",
        })
    }
}

/// `Message ::= SEQUENCE { version INTEGER, community OCTET STRING, data ANY }` of RFC 1157
/// and RFC 1901.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_structs)] // the RFC 1157/1901 fields, by definition
pub struct CommunityMessage {
    /// [`Version::V1`] or [`Version::V2c`].
    pub version: Version,
    /// The community string.
    pub community: Bytes,
    /// The PDU.
    pub pdu: Pdu,
}

/// `msgFlags OCTET STRING (SIZE(1))`: authFlag, privFlag and reportableFlag (RFC 3412 6.4).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
#[allow(clippy::exhaustive_structs)] // one octet
pub struct MsgFlags(pub u8);

impl MsgFlags {
    /// `authFlag`: the message is authenticated.
    pub const AUTH: u8 = 0x01;
    /// `privFlag`: the scoped PDU is encrypted.
    pub const PRIV: u8 = 0x02;
    /// `reportableFlag`: a Report may be sent back.
    pub const REPORTABLE: u8 = 0x04;

    /// Whether authFlag is set.
    pub const fn auth(self) -> bool {
        self.0 & Self::AUTH != 0
    }

    /// Whether privFlag is set.
    pub const fn privacy(self) -> bool {
        self.0 & Self::PRIV != 0
    }

    /// Whether reportableFlag is set.
    pub const fn reportable(self) -> bool {
        self.0 & Self::REPORTABLE != 0
    }
}

impl fmt::Debug for MsgFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MsgFlags(0x{:02x}", self.0)?;
        for (set, name) in [
            (self.auth(), " auth"),
            (self.privacy(), " priv"),
            (self.reportable(), " reportable"),
        ] {
            if set {
                f.write_str(name)?;
            }
        }
        f.write_str(")")
    }
}

/// `HeaderData ::= SEQUENCE { msgID, msgMaxSize, msgFlags, msgSecurityModel }` (RFC 3412).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[allow(clippy::exhaustive_structs)] // the RFC 3412 fields, by definition
pub struct HeaderData {
    /// `msgID INTEGER (0..2147483647)`.
    pub msg_id: i32,
    /// `msgMaxSize INTEGER (484..2147483647)`: the largest message the sender accepts.
    pub max_size: i32,
    /// `msgFlags`.
    pub flags: MsgFlags,
    /// `msgSecurityModel INTEGER (1..2147483647)`: 3 is USM.
    pub security_model: i32,
}

/// `ScopedPDU ::= SEQUENCE { contextEngineID OCTET STRING, contextName OCTET STRING, data ANY }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_structs)] // the RFC 3412 fields, by definition
pub struct ScopedPdu {
    /// `contextEngineID`.
    pub context_engine_id: Bytes,
    /// `contextName`.
    pub context_name: Bytes,
    /// The PDU.
    pub pdu: Pdu,
}

impl ScopedPdu {
    /// Reads a ScopedPDU.
    pub fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut seq = r.read_tlv(Tag::SEQUENCE)?;
        let context_engine_id = seq.read_bytes(Tag::OCTET_STRING)?;
        let context_name = seq.read_bytes(Tag::OCTET_STRING)?;
        let pdu = Pdu::decode(&mut seq)?;
        seq.finish("ScopedPDU")?;
        Ok(Self {
            context_engine_id,
            context_name,
            pdu,
        })
    }

    /// Writes this ScopedPDU.
    pub fn encode(&self, e: &mut Encoder) -> Result<(), EncodeError> {
        e.write_tlv(Tag::SEQUENCE, |e| {
            self.pdu.encode(e)?;
            e.put_octets(Tag::OCTET_STRING, &self.context_name)?;
            e.put_octets(Tag::OCTET_STRING, &self.context_engine_id)
        })
    }
}

/// `ScopedPduData ::= CHOICE { plaintext ScopedPDU, encryptedPDU OCTET STRING }`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_enums)] // RFC 3412 defines exactly these
pub enum ScopedPduData {
    /// A ScopedPDU in the clear.
    Plaintext(ScopedPdu),
    /// An encrypted ScopedPDU, for the security model to decrypt.
    Encrypted(Bytes),
}

/// `SNMPv3Message ::= SEQUENCE { msgVersion, msgGlobalData, msgSecurityParameters, msgData }`
/// (RFC 3412 section 6).
///
/// The security parameters stay opaque octets here: their format belongs to the security model
/// (USM's `UsmSecurityParameters`, RFC 3414 section 2.4).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_structs)] // the RFC 3412 fields, by definition
pub struct V3Message {
    /// `msgGlobalData`.
    pub header: HeaderData,
    /// `msgSecurityParameters`: the content of the OCTET STRING.
    pub security_parameters: Bytes,
    /// `msgData`.
    pub data: ScopedPduData,
}

/// Any SNMP message.
///
/// ```
/// use bytes::Bytes;
/// use snmp_ber::{Decoder, DecodeOptions};
/// use snmp_mpm::{Message, Version};
/// use snmp_smi::PduType;
///
/// // snmpget -v2c -c public HOST sysDescr.0, as it goes on the wire.
/// let wire = Bytes::from_static(&[
///     0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, b'p', b'u', b'b', b'l', b'i', b'c',
///     0xa0, 0x1c, 0x02, 0x04, 0x3a, 0x6c, 0x2b, 0x4e, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
///     0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,
///     0x05, 0x00,
/// ]);
/// let dec = Decoder::new(DecodeOptions::default());
/// let Message::Community(m) = Message::decode(&dec, &wire)? else { unreachable!() };
/// assert_eq!(m.version, Version::V2c);
/// assert_eq!(m.community, "public");
/// assert_eq!(m.pdu.pdu_type(), PduType::GetRequest);
/// assert_eq!(Message::Community(m).to_bytes()?, wire);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_enums)] // the two message formats of RFC 3411's architecture
pub enum Message {
    /// SNMPv1 or SNMPv2c.
    Community(CommunityMessage),
    /// SNMPv3 (boxed, so that a community message, the common case, moves less).
    V3(Box<V3Message>),
}

impl Message {
    /// The message's version.
    pub fn version(&self) -> Version {
        match self {
            Self::Community(m) => m.version,
            Self::V3(_) => Version::V3,
        }
    }

    /// The PDU, when it is readable (not encrypted).
    pub fn pdu(&self) -> Option<&Pdu> {
        match self {
            Self::Community(m) => Some(&m.pdu),
            Self::V3(m) => match &m.data {
                ScopedPduData::Plaintext(s) => Some(&s.pdu),
                ScopedPduData::Encrypted(_) => None,
            },
        }
    }

    /// Decodes a whole message from `data`, sharing its buffer for octet strings.
    ///
    /// Octets after the message are accepted as [`Anomaly::TrailingData`] when the decoder's
    /// options allow it; a Counter64 in an SNMPv1 message as [`Anomaly::Counter64InV1`].
    pub fn decode(dec: &Decoder, data: &Bytes) -> Result<Self, DecodeError> {
        let mut outer = dec.reader_bytes(data);
        let msg = Self::decode_from(&mut outer)?;
        outer.finish_lenient("message")?;
        Ok(msg)
    }

    /// Decodes one message from a reader, leaving what follows it.
    #[inline]
    pub fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut seq = r.read_tlv(Tag::SEQUENCE)?;
        let at = seq.offset();
        let version = Version::from_i64(seq.read_i64(Tag::INTEGER)?).ok_or(DecodeError::new(
            at,
            DecodeErrorKind::InvalidValue { what: "msgVersion" },
        ))?;
        let msg = match version {
            Version::V1 | Version::V2c => {
                let community = seq.read_bytes(Tag::OCTET_STRING)?;
                let pdu_at = seq.offset();
                let pdu = Pdu::decode(&mut seq)?;
                if version == Version::V1
                    && pdu
                        .varbinds()
                        .iter()
                        .any(|vb| matches!(vb.value, Value::Counter64(_)))
                {
                    seq.decoder().tolerate(Anomaly::Counter64InV1, pdu_at)?;
                }
                Self::Community(CommunityMessage {
                    version,
                    community,
                    pdu,
                })
            }
            Version::V3 => Self::V3(Box::new(decode_v3(&mut seq)?)),
        };
        seq.finish("message")?;
        Ok(msg)
    }

    /// Writes this message.
    pub fn encode(&self, e: &mut Encoder) -> Result<(), EncodeError> {
        e.write_tlv(Tag::SEQUENCE, |e| match self {
            Self::Community(m) => {
                m.pdu.encode(e)?;
                e.put_octets(Tag::OCTET_STRING, &m.community)?;
                e.put_i64(Tag::INTEGER, m.version.as_i64())
            }
            Self::V3(m) => {
                match &m.data {
                    ScopedPduData::Plaintext(s) => s.encode(e)?,
                    ScopedPduData::Encrypted(b) => e.put_octets(Tag::OCTET_STRING, b)?,
                }
                e.put_octets(Tag::OCTET_STRING, &m.security_parameters)?;
                e.write_tlv(Tag::SEQUENCE, |e| {
                    e.put_i64(Tag::INTEGER, i64::from(m.header.security_model))?;
                    e.put_octets(Tag::OCTET_STRING, &[m.header.flags.0])?;
                    e.put_i64(Tag::INTEGER, i64::from(m.header.max_size))?;
                    e.put_i64(Tag::INTEGER, i64::from(m.header.msg_id))
                })?;
                e.put_i64(Tag::INTEGER, Version::V3.as_i64())
            }
        })
    }

    /// Encodes this message into a new buffer.
    pub fn to_bytes(&self) -> Result<Bytes, EncodeError> {
        let mut e = Encoder::new();
        self.encode(&mut e)?;
        Ok(e.finish())
    }
}

fn decode_v3(seq: &mut Reader<'_>) -> Result<V3Message, DecodeError> {
    let mut global = seq.read_tlv(Tag::SEQUENCE)?;
    let msg_id = global.read_i32(Tag::INTEGER)?;
    let max_size = global.read_i32(Tag::INTEGER)?;
    let flags_at = global.offset();
    let flags = global.read_octets(Tag::OCTET_STRING)?;
    let flags = match flags {
        [f] => MsgFlags(*f),
        _ => {
            return Err(DecodeError::new(
                flags_at,
                DecodeErrorKind::BadValueLength {
                    what: "msgFlags",
                    found: flags.len(),
                },
            ));
        }
    };
    let security_model = global.read_i32(Tag::INTEGER)?;
    global.finish("msgGlobalData")?;
    let security_parameters = seq.read_bytes(Tag::OCTET_STRING)?;
    let at = seq.offset();
    let data = match seq.peek_tag()? {
        Tag::SEQUENCE => ScopedPduData::Plaintext(ScopedPdu::decode(seq)?),
        Tag::OCTET_STRING => ScopedPduData::Encrypted(seq.read_bytes(Tag::OCTET_STRING)?),
        found => {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::InvalidTag {
                    found,
                    what: "msgData",
                },
            ));
        }
    };
    Ok(V3Message {
        header: HeaderData {
            msg_id,
            max_size,
            flags,
            security_model,
        },
        security_parameters,
        data,
    })
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use snmp_ber::DecodeOptions;
    use snmp_smi::{BasicPdu, VarBind, oid};

    use super::*;

    #[test]
    fn v1_message_known_answer() {
        // rusticata snmpv1_trap_coldstart.bin: a v1 coldStart trap, community "public".
        let wire = Bytes::from_static(&[
            0x30, 0x38, 0x02, 0x01, 0x00, 0x04, 0x06, 0x70, 0x75, 0x62, 0x6c, 0x69, 0x63, 0xa4,
            0x2b, 0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x04, 0x01, 0x02, 0x15, 0x40, 0x04,
            0x7f, 0x00, 0x00, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x43, 0x01, 0x00, 0x30,
            0x0f, 0x30, 0x0d, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x02, 0x01, 0x00, 0x02,
            0x01, 0x21,
        ]);
        let dec = Decoder::new(DecodeOptions::STRICT);
        let m = Message::decode(&dec, &wire).unwrap();
        let Message::Community(c) = &m else {
            panic!("{m:?}")
        };
        assert_eq!(c.version, Version::V1);
        let Pdu::TrapV1(t) = &c.pdu else {
            panic!("{m:?}")
        };
        assert_eq!(t.enterprise, oid!(1, 3, 6, 1, 4, 1, 4, 1, 2, 21));
        assert_eq!(t.agent_addr, [127, 0, 0, 1]);
        assert_eq!(
            t.varbinds,
            vec![VarBind::new(oid!(1, 3, 6, 1, 2, 1, 2, 1, 0), 33)]
        );
        assert_eq!(m.to_bytes().unwrap(), wire);
    }

    #[test]
    fn v3_message_round_trip() {
        let m = Message::V3(Box::new(V3Message {
            header: HeaderData {
                msg_id: 0x30f6_f3d4,
                max_size: 65507,
                flags: MsgFlags(MsgFlags::REPORTABLE),
                security_model: 3,
            },
            security_parameters: Bytes::from_static(&[
                0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
                0x04, 0x00,
            ]),
            data: ScopedPduData::Plaintext(ScopedPdu {
                context_engine_id: Bytes::new(),
                context_name: Bytes::new(),
                pdu: Pdu::GetRequest(BasicPdu::new(1, vec![])),
            }),
        }));
        let wire = m.to_bytes().unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        assert_eq!(Message::decode(&dec, &wire).unwrap(), m);
        assert!(m.pdu().is_some());
    }

    #[test]
    fn bad_versions_and_flags() {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let e = Message::decode(&dec, &Bytes::from_static(&[0x30, 0x03, 0x02, 0x01, 0x02]))
            .unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(2, DecodeErrorKind::InvalidValue { what: "msgVersion" })
        );
        // msgFlags of two octets.
        let wire = Bytes::from_static(&[
            0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x04,
            0x02, 0x04, 0x04, 0x02, 0x01, 0x03,
        ]);
        let e = Message::decode(&dec, &wire).unwrap_err();
        assert_eq!(
            e,
            DecodeError::new(
                13,
                DecodeErrorKind::BadValueLength {
                    what: "msgFlags",
                    found: 2
                }
            )
        );
    }

    #[test]
    fn counter64_in_v1_is_counted() {
        let m = Message::Community(CommunityMessage {
            version: Version::V1,
            community: Bytes::from_static(b"public"),
            pdu: Pdu::Response(BasicPdu::new(
                1,
                vec![VarBind::new(oid!(1, 3), Value::Counter64(7))],
            )),
        });
        let wire = m.to_bytes().unwrap();
        let dec = Decoder::new(DecodeOptions::LENIENT);
        assert_eq!(Message::decode(&dec, &wire).unwrap(), m);
        assert_eq!(dec.anomalies().count(Anomaly::Counter64InV1), 1);
        let e = Message::decode(&Decoder::new(DecodeOptions::STRICT), &wire).unwrap_err();
        assert_eq!(e.kind, DecodeErrorKind::Disallowed(Anomaly::Counter64InV1));
    }

    #[test]
    fn trailing_bytes_after_message() {
        let m = Message::Community(CommunityMessage {
            version: Version::V2c,
            community: Bytes::from_static(b"c"),
            pdu: Pdu::GetRequest(BasicPdu::new(1, vec![])),
        });
        let mut wire = m.to_bytes().unwrap().to_vec();
        wire.extend([0, 0]);
        let wire = Bytes::from(wire);
        let dec = Decoder::new(DecodeOptions::LENIENT);
        assert_eq!(Message::decode(&dec, &wire).unwrap(), m);
        assert_eq!(dec.anomalies().count(Anomaly::TrailingData), 1);
        let e = Message::decode(&Decoder::new(DecodeOptions::STRICT), &wire).unwrap_err();
        assert_eq!(
            e.kind,
            DecodeErrorKind::TrailingData {
                what: "message",
                count: 2
            }
        );
    }
}
