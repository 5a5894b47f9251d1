//! `UsmSecurityParameters`, the content of msgSecurityParameters for USM (RFC 3414 2.4).

use core::ops::Range;

use bytes::Bytes;
use snmp_ber::{DecodeError, DecodeErrorKind, Decoder, EncodeError, Encoder, Reader, Tag};

/// The longest msgUserName: `SnmpAdminString (SIZE(0..32))`.
const MAX_USER_NAME_LEN: usize = 32;

/// The largest msgAuthoritativeEngineBoots and msgAuthoritativeEngineTime.
const MAX_BOOTS_OR_TIME: u32 = 0x7fff_ffff;

/// USM's security parameters (RFC 3414 section 2.4), carried BER-encoded in the
/// msgSecurityParameters OCTET STRING of an SNMPv3 message:
///
/// ```text
/// UsmSecurityParameters ::= SEQUENCE {
///     msgAuthoritativeEngineID     OCTET STRING,
///     msgAuthoritativeEngineBoots  INTEGER (0..2147483647),
///     msgAuthoritativeEngineTime   INTEGER (0..2147483647),
///     msgUserName                  OCTET STRING (SIZE(0..32)),
///     msgAuthenticationParameters  OCTET STRING,
///     msgPrivacyParameters         OCTET STRING
/// }
/// ```
///
/// ```
/// use bytes::Bytes;
/// use snmp_ber::{Decoder, DecodeOptions};
/// use snmp_usm::UsmSecurityParameters;
///
/// let params = UsmSecurityParameters {
///     engine_id: Bytes::from_static(b"\x80\x00\x1f\x88\x04engine"),
///     engine_boots: 8,
///     engine_time: 2745,
///     user_name: Bytes::from_static(b"pippo"),
///     auth_params: Bytes::from_static(&[0; 12]),
///     priv_params: Bytes::from_static(&[0, 0, 0, 8, 0, 0, 0, 1]),
/// };
/// let wire = params.to_bytes()?;
/// assert_eq!(wire[..4], [0x30, 0x33, 0x04, 0x0b]); // SEQUENCE of 51 octets, engine ID of 11
/// let dec = Decoder::new(DecodeOptions::STRICT);
/// assert_eq!(UsmSecurityParameters::decode(&dec, &wire)?, params);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
#[allow(clippy::exhaustive_structs)] // the RFC 3414 fields, by definition
pub struct UsmSecurityParameters {
    /// `msgAuthoritativeEngineID`: the snmpEngineID of the authoritative engine (empty in a
    /// discovery request).
    pub engine_id: Bytes,
    /// `msgAuthoritativeEngineBoots`: its snmpEngineBoots, at most 2147483647.
    pub engine_boots: u32,
    /// `msgAuthoritativeEngineTime`: its snmpEngineTime, at most 2147483647.
    pub engine_time: u32,
    /// `msgUserName`: the user, at most 32 octets.
    pub user_name: Bytes,
    /// `msgAuthenticationParameters`: the MAC, or empty when the message is not authenticated.
    pub auth_params: Bytes,
    /// `msgPrivacyParameters`: the salt, or empty when the message is not encrypted.
    pub priv_params: Bytes,
}

impl UsmSecurityParameters {
    /// Decodes the parameters from `data`, the content of msgSecurityParameters, sharing its
    /// buffer. Error offsets count from the start of `data`.
    ///
    /// Out-of-range boots or time, a user name of more than 32 octets and octets after the
    /// SEQUENCE are errors.
    pub fn decode(dec: &Decoder, data: &Bytes) -> Result<Self, DecodeError> {
        let mut r = dec.reader_bytes(data);
        let params = Self::decode_from(&mut r)?;
        r.finish("msgSecurityParameters")?;
        Ok(params)
    }

    /// Decodes the parameters from a reader, leaving what follows them.
    pub fn decode_from(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let mut seq = r.read_tlv(Tag::SEQUENCE)?;
        let engine_id = seq.read_bytes(Tag::OCTET_STRING)?;
        let engine_boots = read_u31(&mut seq, "msgAuthoritativeEngineBoots")?;
        let engine_time = read_u31(&mut seq, "msgAuthoritativeEngineTime")?;
        let at = seq.offset();
        let user_name = seq.read_bytes(Tag::OCTET_STRING)?;
        if user_name.len() > MAX_USER_NAME_LEN {
            return Err(DecodeError::new(
                at,
                DecodeErrorKind::BadValueLength {
                    what: "msgUserName",
                    found: user_name.len(),
                },
            ));
        }
        let auth_params = seq.read_bytes(Tag::OCTET_STRING)?;
        let priv_params = seq.read_bytes(Tag::OCTET_STRING)?;
        seq.finish("UsmSecurityParameters")?;
        Ok(Self {
            engine_id,
            engine_boots,
            engine_time,
            user_name,
            auth_params,
            priv_params,
        })
    }

    /// Writes the parameters (the content of msgSecurityParameters).
    ///
    /// Boots or time above 2147483647 and a user name of more than 32 octets are
    /// [`EncodeError::Invalid`].
    pub fn encode(&self, e: &mut Encoder) -> Result<(), EncodeError> {
        if self.user_name.len() > MAX_USER_NAME_LEN {
            return Err(EncodeError::Invalid {
                what: "msgUserName longer than 32 octets",
            });
        }
        e.write_tlv(Tag::SEQUENCE, |e| {
            e.put_octets(Tag::OCTET_STRING, &self.priv_params)?;
            e.put_octets(Tag::OCTET_STRING, &self.auth_params)?;
            e.put_octets(Tag::OCTET_STRING, &self.user_name)?;
            put_u31(
                e,
                self.engine_time,
                "msgAuthoritativeEngineTime above 2147483647",
            )?;
            put_u31(
                e,
                self.engine_boots,
                "msgAuthoritativeEngineBoots above 2147483647",
            )?;
            e.put_octets(Tag::OCTET_STRING, &self.engine_id)
        })
    }

    /// Encodes the parameters into a new buffer.
    pub fn to_bytes(&self) -> Result<Bytes, EncodeError> {
        let mut e = Encoder::new();
        self.encode(&mut e)?;
        Ok(e.finish())
    }

    /// Where [`auth_params`](Self::auth_params) lie in `whole_msg`: the octets to zero
    /// before checking the MAC (RFC 3414 3.2 step 7).
    ///
    /// `Some` only when the parameters were decoded zero-copy from `whole_msg` (a
    /// [`Bytes`] sharing its buffer, as `snmp_mpm::Message::decode` and [`Self::decode`] give)
    /// and the MAC is not empty.
    pub fn auth_params_range(&self, whole_msg: &[u8]) -> Option<Range<usize>> {
        let start = self
            .auth_params
            .as_ptr()
            .addr()
            .checked_sub(whole_msg.as_ptr().addr())?;
        let end = start.checked_add(self.auth_params.len())?;
        (!self.auth_params.is_empty() && end <= whole_msg.len()).then_some(start..end)
    }
}

/// Reads `INTEGER (0..2147483647)` as agents send it: unsigned, so that `02 01 dd` (an agent
/// that forgot the `00` pad) is 221, as tshark and Zeek read it, with the anomaly counted by the
/// decoder; above 2147483647 is an error.
fn read_u31(r: &mut Reader<'_>, what: &'static str) -> Result<u32, DecodeError> {
    let at = r.offset();
    let v = r.read_u32(Tag::INTEGER)?;
    if v > MAX_BOOTS_OR_TIME {
        return Err(DecodeError::new(at, DecodeErrorKind::InvalidValue { what }));
    }
    Ok(v)
}

fn put_u31(e: &mut Encoder, v: u32, what: &'static str) -> Result<(), EncodeError> {
    if v > MAX_BOOTS_OR_TIME {
        return Err(EncodeError::Invalid { what });
    }
    e.put_i64(Tag::INTEGER, i64::from(v))
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use snmp_ber::{Anomaly, DecodeOptions};

    use super::*;

    /// The parameters of trapv3authpriv (lextudio/sharpsnmplib Tests/CSharpCore/Resources),
    /// annotated.
    const KAT: [u8; 54] = [
        0x30, 0x34, // SEQUENCE, 52 octets
        0x04, 0x0d, // msgAuthoritativeEngineID, 13 octets
        0x80, 0x00, 0x1f, 0x88, 0x80, 0xe9, 0x63, 0x00, 0x00, 0xd6, 0x1f, 0xf4, 0x49, 0x02, 0x01,
        0x00, // msgAuthoritativeEngineBoots 0
        0x02, 0x01, 0x00, // msgAuthoritativeEngineTime 0
        0x04, 0x05, b'l', b'e', b'x', b't', b'm', // msgUserName "lextm"
        0x04, 0x0c, // msgAuthenticationParameters, 12 octets
        0x89, 0xd3, 0x51, 0x89, 0x1a, 0x55, 0x82, 0x92, 0x43, 0x61, 0x7f, 0x2c, 0x04,
        0x08, // msgPrivacyParameters, 8 octets
        0x00, 0x00, 0x00, 0x00, 0x69, 0xd3, 0x9b, 0x2a,
    ];

    fn kat() -> UsmSecurityParameters {
        UsmSecurityParameters {
            engine_id: Bytes::from_static(&[
                0x80, 0x00, 0x1f, 0x88, 0x80, 0xe9, 0x63, 0x00, 0x00, 0xd6, 0x1f, 0xf4, 0x49,
            ]),
            engine_boots: 0,
            engine_time: 0,
            user_name: Bytes::from_static(b"lextm"),
            auth_params: Bytes::from_static(&[
                0x89, 0xd3, 0x51, 0x89, 0x1a, 0x55, 0x82, 0x92, 0x43, 0x61, 0x7f, 0x2c,
            ]),
            priv_params: Bytes::from_static(&[0, 0, 0, 0, 0x69, 0xd3, 0x9b, 0x2a]),
        }
    }

    #[test]
    fn known_answer() {
        let wire = Bytes::from_static(&KAT);
        let dec = Decoder::new(DecodeOptions::STRICT);
        assert_eq!(UsmSecurityParameters::decode(&dec, &wire).unwrap(), kat());
        assert_eq!(kat().to_bytes().unwrap(), wire);
    }

    #[test]
    fn auth_params_range_points_into_the_input() {
        let wire = Bytes::from_static(&KAT);
        let p = UsmSecurityParameters::decode(&Decoder::default(), &wire).unwrap();
        assert_eq!(p.auth_params_range(&wire), Some(32..44));
        // Not decoded from this buffer.
        assert_eq!(kat().auth_params_range(&wire), None);
        let copy = wire.to_vec();
        assert_eq!(p.auth_params_range(&copy), None);
        assert_eq!(p.auth_params_range(&wire[..40]), None);
    }

    #[test]
    fn discovery_request_parameters() {
        // A discovery request: everything empty or zero.
        let p = UsmSecurityParameters::default();
        let wire = p.to_bytes().unwrap();
        assert_eq!(
            wire,
            [
                0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
                0x04, 0x00
            ][..]
        );
        let dec = Decoder::new(DecodeOptions::STRICT);
        assert_eq!(UsmSecurityParameters::decode(&dec, &wire).unwrap(), p);
        assert_eq!(p.auth_params_range(&wire), None);
    }

    #[test]
    fn out_of_range_fields() {
        let dec = Decoder::new(DecodeOptions::STRICT);
        // msgAuthoritativeEngineBoots `02 01 ff`: 255 without its 00 pad, as some agents send
        // it (zeek's snmpv3_get_next capture has `02 01 dd`). Strictly an error...
        let wire = Bytes::from_static(&[
            0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0xff, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
            0x04, 0x00,
        ]);
        assert_eq!(
            UsmSecurityParameters::decode(&dec, &wire).unwrap_err(),
            DecodeError::new(6, DecodeErrorKind::Disallowed(Anomaly::UnsignedWithoutPad))
        );
        // ...and leniently 255, counted.
        let lenient = Decoder::new(DecodeOptions::LENIENT);
        assert_eq!(
            UsmSecurityParameters::decode(&lenient, &wire)
                .unwrap()
                .engine_boots,
            255
        );
        assert_eq!(lenient.anomalies().count(Anomaly::UnsignedWithoutPad), 1);
        // msgAuthoritativeEngineTime 2^31.
        let wire = Bytes::from_static(&[
            0x30, 0x12, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x05, 0x00, 0x80, 0x00, 0x00, 0x00,
            0x04, 0x00, 0x04, 0x00, 0x04, 0x00,
        ]);
        assert_eq!(
            UsmSecurityParameters::decode(&dec, &wire).unwrap_err(),
            DecodeError::new(
                7,
                DecodeErrorKind::InvalidValue {
                    what: "msgAuthoritativeEngineTime"
                }
            )
        );
        // msgUserName of 33 octets.
        let mut long = Vec::from(&[0x30, 0x2f, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00][..]);
        long.extend([0x04, 0x21]);
        long.extend([b'u'; 33]);
        long.extend([0x04, 0x00, 0x04, 0x00]);
        assert_eq!(
            UsmSecurityParameters::decode(&dec, &Bytes::from(long)).unwrap_err(),
            DecodeError::new(
                10,
                DecodeErrorKind::BadValueLength {
                    what: "msgUserName",
                    found: 33
                }
            )
        );
        let mut p = kat();
        p.engine_boots = 0x8000_0000;
        assert!(p.to_bytes().is_err());
        let mut p = kat();
        p.engine_time = u32::MAX;
        assert!(p.to_bytes().is_err());
        let mut p = kat();
        p.user_name = Bytes::from_static(&[b'u'; 33]);
        assert!(p.to_bytes().is_err());
        p.engine_boots = 0x7fff_ffff;
        p.user_name = Bytes::from_static(&[b'u'; 32]);
        assert!(p.to_bytes().is_ok());
    }

    #[test]
    fn trailing_and_missing_fields() {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let mut wire = KAT.to_vec();
        wire.push(0);
        assert_eq!(
            UsmSecurityParameters::decode(&dec, &Bytes::from(wire))
                .unwrap_err()
                .kind,
            DecodeErrorKind::TrailingData {
                what: "msgSecurityParameters",
                count: 1
            }
        );
        // The SEQUENCE without msgPrivacyParameters.
        let mut wire = KAT[..44].to_vec();
        wire[1] = 42;
        assert!(matches!(
            UsmSecurityParameters::decode(&dec, &Bytes::from(wire))
                .unwrap_err()
                .kind,
            DecodeErrorKind::Truncated { .. }
        ));
        assert!(UsmSecurityParameters::decode(&dec, &Bytes::new()).is_err());
    }

    #[test]
    fn lenient_lengths_are_counted() {
        // v3authNoPriv_BER_Issue (lextudio/sharpsnmplib) encodes lengths in long form.
        let wire = Bytes::from_static(&[
            0x30, 0x82, 0x00, 0x0e, 0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00,
            0x04, 0x00, 0x04, 0x00,
        ]);
        let dec = Decoder::new(DecodeOptions::LENIENT);
        assert_eq!(
            UsmSecurityParameters::decode(&dec, &wire).unwrap(),
            UsmSecurityParameters::default()
        );
        assert_eq!(dec.anomalies().count(Anomaly::NonMinimalLength), 1);
        let strict = Decoder::new(DecodeOptions::STRICT);
        assert!(UsmSecurityParameters::decode(&strict, &wire).is_err());
    }
}
