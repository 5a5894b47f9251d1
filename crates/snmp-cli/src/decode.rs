//! One SNMP message to one JSON object: the fields of `snmp decode`'s output.

use std::net::Ipv4Addr;

use bytes::Bytes;
use serde_json::{Map, Number, Value as Json, json};
use snmp_ber::{DecodeError, DecodeOptions, Decoder, Tag};
use snmp_mpm::{Message, ScopedPdu, ScopedPduData, V3Message};
use snmp_smi::{Pdu, PduType, Value, VarBind};
use snmp_usm::{KeyCache, USM_SECURITY_MODEL, UsmSecurityParameters};

use crate::{Datagram, UsmCredential};

/// Decodes SNMP messages into JSON objects, authenticating and decrypting SNMPv3 messages with
/// the USM credentials it was given.
///
/// Each message gives one object (fields in this order, absent when the message has no such
/// thing):
///
/// - `frame`; `src` and `dst` (`"ip:port"`, `"[ipv6]:port"`) for a capture;
/// - `version`: `"1"`, `"2c"` or `"3"`; `community` for v1 and v2c;
/// - for v3: `msgID`, `msgFlags` (the octet, as an integer), `securityModel`, and with USM
///   (security model 3) `engineID` (hex), `engineBoots`, `engineTime`, `user`, `auth` (`"ok"`,
///   `"wrong-digest"`, `"unknown-user"`, `"none"`), `priv` (`"decrypted"`, `"failed"`,
///   `"encrypted"`, `"none"`); then, when the scoped PDU is readable, `contextEngineID` (hex)
///   and `contextName`;
/// - `pdu` (`get-request`, `get-next-request`, `get-bulk-request`, `response`,
///   `set-request`, `trap`, `snmpV2-trap`, `inform-request`, `report`), then `requestID`,
///   `errorStatus` and `errorIndex`, or `requestID`, `nonRepeaters` and `maxRepetitions`, or
///   for an SNMPv1 trap `enterprise`, `agentAddr`, `genericTrap`, `specificTrap` and
///   `timeStamp`;
/// - `varbinds`: a list of `{"oid", "type", "value"}`.
///
/// A message that does not decode gives `{"frame", "error"}`, the error naming the byte offset
/// in the UDP payload.
///
/// Messages are authenticated as RFC 3414 section 3.2 step 6 says, with the key localized to the
/// message's own msgAuthoritativeEngineID and without any time window (a capture is old), and
/// decrypted only when their MAC verified.
///
/// ```
/// use snmp_cli::{Datagram, MessageDecoder};
///
/// // snmpget -v2c -c public HOST sysDescr.0
/// let wire = [
///     0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, b'p', b'u', b'b', b'l', b'i', b'c',
///     0xa0, 0x1c, 0x02, 0x04, 0x3a, 0x6c, 0x2b, 0x4e, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
///     0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,
///     0x05, 0x00,
/// ];
/// let mut decoder = MessageDecoder::new(Vec::new());
/// let object = decoder.decode(&Datagram::raw(wire.to_vec()));
/// assert_eq!(
///     serde_json::to_string(&object)?,
///     r#"{"frame":1,"version":"2c","community":"public","pdu":"get-request","requestID":980167502,"errorStatus":0,"errorIndex":0,"varbinds":[{"oid":"1.3.6.1.2.1.1.1.0","type":"NULL","value":null}]}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
pub struct MessageDecoder {
    users: Vec<UsmCredential>,
    keys: KeyCache,
}

/// What USM authentication found: the `auth` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Auth {
    /// authFlag is not set.
    None,
    /// No credentials for the message's user.
    UnknownUser,
    /// The credentials of the user with this index verify the MAC.
    Ok(usize),
    /// No credentials of the user verify the MAC.
    WrongDigest,
}

impl Auth {
    fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::UnknownUser => "unknown-user",
            Self::Ok(_) => "ok",
            Self::WrongDigest => "wrong-digest",
        }
    }
}

/// What became of an encrypted scoped PDU.
enum Decryption {
    /// Not authenticated, or no privacy credentials: left encrypted.
    NoKey,
    /// The ciphertext does not decrypt to a ScopedPDU.
    Failed,
    /// Decrypted.
    Decrypted(ScopedPdu),
}

impl MessageDecoder {
    /// A decoder that knows these users (several credentials may share a user name: the
    /// first whose key verifies a message's MAC is used).
    pub fn new(users: Vec<UsmCredential>) -> Self {
        Self {
            users,
            keys: KeyCache::new(),
        }
    }

    /// Decodes one message into its JSON object.
    pub fn decode(&mut self, datagram: &Datagram) -> Map<String, Json> {
        let mut out = Map::new();
        out.insert("frame".into(), datagram.frame.into());
        let mut fields = Map::new();
        if let Some(src) = datagram.src {
            fields.insert("src".into(), src.to_string().into());
        }
        if let Some(dst) = datagram.dst {
            fields.insert("dst".into(), dst.to_string().into());
        }
        match self.message(&datagram.payload, &mut fields) {
            Ok(()) => out.extend(fields),
            Err(e) => {
                out.insert("error".into(), e.to_string().into());
            }
        }
        out
    }

    fn message(&mut self, payload: &Bytes, out: &mut Map<String, Json>) -> Result<(), DecodeError> {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let mut r = dec.reader_bytes(payload);
        let message = Message::decode_from(&mut r)?;
        // The MAC covers the message, not what may follow it in the datagram.
        let whole = payload.get(..r.offset()).unwrap_or(payload);
        r.finish_lenient("message")?;
        match &message {
            Message::Community(m) => {
                out.insert("version".into(), m.version.to_string().into());
                out.insert("community".into(), text(&m.community));
                pdu(out, &m.pdu);
            }
            Message::V3(m) => self.v3(&dec, payload, whole, m, out)?,
        }
        Ok(())
    }

    fn v3(
        &mut self,
        dec: &Decoder,
        payload: &Bytes,
        whole: &[u8],
        m: &V3Message,
        out: &mut Map<String, Json>,
    ) -> Result<(), DecodeError> {
        out.insert("version".into(), "3".into());
        out.insert("msgID".into(), m.header.msg_id.into());
        out.insert("msgFlags".into(), m.header.flags.0.into());
        out.insert("securityModel".into(), m.header.security_model.into());
        let decrypted;
        let scoped = if m.header.security_model == USM_SECURITY_MODEL {
            let params =
                UsmSecurityParameters::decode(dec, &m.security_parameters).map_err(|e| {
                    DecodeError::new(
                        e.offset.saturating_add(security_parameters_at(payload)),
                        e.kind,
                    )
                })?;
            out.insert("engineID".into(), hex(&params.engine_id).into());
            out.insert("engineBoots".into(), params.engine_boots.into());
            out.insert("engineTime".into(), params.engine_time.into());
            out.insert("user".into(), text(&params.user_name));
            let auth = if m.header.flags.auth() {
                self.authenticate(whole, &params)
            } else {
                Auth::None
            };
            out.insert("auth".into(), auth.name().into());
            let (privacy, scoped) = match &m.data {
                ScopedPduData::Plaintext(s) => ("none", Some(s)),
                ScopedPduData::Encrypted(ciphertext) => {
                    match self.decrypt(auth, ciphertext, &params) {
                        Decryption::NoKey => ("encrypted", None),
                        Decryption::Failed => ("failed", None),
                        Decryption::Decrypted(s) => {
                            decrypted = s;
                            ("decrypted", Some(&decrypted))
                        }
                    }
                }
            };
            out.insert("priv".into(), privacy.into());
            scoped
        } else {
            // Another security model: its parameters are opaque to us.
            match &m.data {
                ScopedPduData::Plaintext(s) => Some(s),
                ScopedPduData::Encrypted(_) => None,
            }
        };
        if let Some(s) = scoped {
            out.insert("contextEngineID".into(), hex(&s.context_engine_id).into());
            out.insert("contextName".into(), text(&s.context_name));
            pdu(out, &s.pdu);
        }
        Ok(())
    }

    /// RFC 3414 3.2 step 6, with the key localized to the message's engine ID.
    fn authenticate(&mut self, whole: &[u8], params: &UsmSecurityParameters) -> Auth {
        let candidates: Vec<usize> = (0..self.users.len())
            .filter(|i| {
                self.users
                    .get(*i)
                    .is_some_and(|u| u.user() == params.user_name)
            })
            .collect();
        if candidates.is_empty() {
            return Auth::UnknownUser;
        }
        // An empty MAC never verifies (lextudio/pysnmp#249).
        let Some(range) = params.auth_params_range(whole) else {
            return Auth::WrongDigest;
        };
        let mut zeroed = whole.to_vec();
        let Some(mac) = zeroed.get_mut(range) else {
            return Auth::WrongDigest;
        };
        mac.fill(0);
        for i in candidates {
            let Some(user) = self.users.get(i) else {
                continue;
            };
            let Ok(key) = self.keys.auth_key(
                user.auth_protocol(),
                user.auth_password(),
                &params.engine_id,
            ) else {
                continue;
            };
            if key.verify(&zeroed, &params.auth_params).is_ok() {
                return Auth::Ok(i);
            }
        }
        Auth::WrongDigest
    }

    /// RFC 3414 3.2 step 8, for an authenticated message of a user with privacy credentials.
    fn decrypt(
        &mut self,
        auth: Auth,
        ciphertext: &[u8],
        params: &UsmSecurityParameters,
    ) -> Decryption {
        let Auth::Ok(i) = auth else {
            return Decryption::NoKey;
        };
        let Some(user) = self.users.get(i) else {
            return Decryption::NoKey;
        };
        let (Some(protocol), Some(password)) = (user.priv_protocol(), user.priv_password()) else {
            return Decryption::NoKey;
        };
        let Ok(key) =
            self.keys
                .priv_key(protocol, user.auth_protocol(), password, &params.engine_id)
        else {
            return Decryption::NoKey;
        };
        let Ok(plaintext) = key.decrypt(
            ciphertext,
            &params.priv_params,
            params.engine_boots,
            params.engine_time,
        ) else {
            return Decryption::Failed;
        };
        let plaintext = Bytes::from(plaintext);
        let dec = Decoder::new(DecodeOptions::LENIENT);
        // DES and 3DES pad the ScopedPDU to their block: what follows it is not read.
        match ScopedPdu::decode(&mut dec.reader_bytes(&plaintext)) {
            Ok(s) => Decryption::Decrypted(s),
            Err(_) => Decryption::Failed,
        }
    }
}

/// The offset of msgSecurityParameters' content in a v3 message (read again, only to place an
/// error in it).
fn security_parameters_at(payload: &[u8]) -> usize {
    let dec = Decoder::new(DecodeOptions::LENIENT);
    let mut r = dec.reader(payload);
    let at = (|| {
        let mut seq = r.read_tlv(Tag::SEQUENCE).ok()?;
        seq.read_any().ok()?; // msgVersion
        seq.read_any().ok()?; // msgGlobalData
        seq.read_primitive(Tag::OCTET_STRING).ok().map(|(at, _)| at)
    })();
    at.unwrap_or(0)
}

/// The PDU's fields and bindings.
fn pdu(out: &mut Map<String, Json>, pdu: &Pdu) {
    out.insert("pdu".into(), pdu_name(pdu.pdu_type()).into());
    match pdu {
        Pdu::TrapV1(t) => {
            out.insert("enterprise".into(), t.enterprise.to_string().into());
            out.insert(
                "agentAddr".into(),
                Ipv4Addr::from(t.agent_addr).to_string().into(),
            );
            out.insert("genericTrap".into(), t.generic_trap.0.into());
            out.insert("specificTrap".into(), t.specific_trap.into());
            out.insert("timeStamp".into(), t.time_stamp.into());
        }
        Pdu::GetBulkRequest(b) => {
            out.insert("requestID".into(), b.request_id.into());
            out.insert("nonRepeaters".into(), b.non_repeaters.into());
            out.insert("maxRepetitions".into(), b.max_repetitions.into());
        }
        Pdu::GetRequest(b)
        | Pdu::GetNextRequest(b)
        | Pdu::Response(b)
        | Pdu::SetRequest(b)
        | Pdu::InformRequest(b)
        | Pdu::SnmpV2Trap(b)
        | Pdu::Report(b) => {
            out.insert("requestID".into(), b.request_id.into());
            out.insert("errorStatus".into(), b.error_status.0.into());
            out.insert("errorIndex".into(), b.error_index.into());
        }
    }
    out.insert(
        "varbinds".into(),
        Json::Array(pdu.varbinds().iter().map(varbind).collect()),
    );
}

/// The PDU names of the output (RFC 3416's, in lower case with dashes).
fn pdu_name(t: PduType) -> &'static str {
    match t {
        PduType::GetRequest => "get-request",
        PduType::GetNextRequest => "get-next-request",
        PduType::Response => "response",
        PduType::SetRequest => "set-request",
        PduType::TrapV1 => "trap",
        PduType::GetBulkRequest => "get-bulk-request",
        PduType::InformRequest => "inform-request",
        PduType::SnmpV2Trap => "snmpV2-trap",
        PduType::Report => "report",
    }
}

/// One binding as JSON: `{"oid", "type", "value"}` (also the tools' `--json`).
pub(crate) fn varbind(vb: &VarBind) -> Json {
    let (kind, value) = value(&vb.value);
    json!({ "oid": vb.oid.to_string(), "type": kind, "value": value })
}

/// A value's SMI type name and its JSON form.
fn value(v: &Value) -> (&'static str, Json) {
    match v {
        Value::Integer(i) => ("INTEGER", (*i).into()),
        Value::OctetString(b) => ("OCTET STRING", hex(b).into()),
        Value::Null => ("NULL", Json::Null),
        Value::ObjectIdentifier(o) => ("OBJECT IDENTIFIER", o.to_string().into()),
        Value::IpAddress(a) => ("IpAddress", Ipv4Addr::from(*a).to_string().into()),
        Value::Counter32(n) => ("Counter32", (*n).into()),
        Value::Gauge32(n) => ("Gauge32", (*n).into()),
        Value::TimeTicks(n) => ("TimeTicks", (*n).into()),
        Value::Opaque(b) => ("Opaque", hex(b).into()),
        Value::Counter64(n) => ("Counter64", (*n).into()),
        Value::UInteger32(n) => ("UInteger32", (*n).into()),
        // Through its shortest decimal form, so that 0.1f32 prints as 0.1.
        Value::OpaqueFloat(f) => (
            "OpaqueFloat",
            float(f.to_string().parse().unwrap_or(f64::NAN)),
        ),
        Value::OpaqueDouble(f) => ("OpaqueDouble", float(*f)),
        Value::OpaqueI64(n) => ("OpaqueInt64", (*n).into()),
        Value::OpaqueU64(n) => ("OpaqueUInt64", (*n).into()),
        Value::NoSuchObject => ("noSuchObject", Json::Null),
        Value::NoSuchInstance => ("noSuchInstance", Json::Null),
        Value::EndOfMibView => ("endOfMibView", Json::Null),
        // A type added to snmp-smi after this was written: its own name and text.
        other => (other.type_name(), other.to_string().into()),
    }
}

/// A JSON number, or for what JSON cannot hold `"NaN"`, `"Infinity"`, `"-Infinity"`.
fn float(f: f64) -> Json {
    Number::from_f64(f).map_or_else(
        || {
            Json::from(if f.is_nan() {
                "NaN"
            } else if f > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            })
        },
        Json::Number,
    )
}

/// Octets as lowercase hex, without separators.
fn hex(b: &[u8]) -> String {
    use std::fmt::Write as _;
    b.iter()
        .fold(String::with_capacity(b.len() * 2), |mut s, x| {
            let _ = write!(s, "{x:02x}");
            s
        })
}

/// An OCTET STRING that is text (community, user, context name): UTF-8, with any invalid
/// sequence replaced by U+FFFD.
fn text(b: &[u8]) -> Json {
    String::from_utf8_lossy(b).into_owned().into()
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use snmp_mpm::{CommunityMessage, HeaderData, MsgFlags, Version};
    use snmp_smi::{BasicPdu, BulkPdu, ErrorStatus, GenericTrap, TrapV1Pdu, oid};
    use snmp_usm::{AuthProtocol, PrivProtocol};

    use super::*;

    fn decode(users: &[&str], wire: &[u8]) -> Json {
        let users = users.iter().map(|u| u.parse().unwrap()).collect();
        Json::Object(MessageDecoder::new(users).decode(&Datagram::raw(wire.to_vec())))
    }

    fn community(version: Version, pdu: Pdu) -> Vec<u8> {
        Message::Community(CommunityMessage {
            version,
            community: Bytes::from_static(b"public"),
            pdu,
        })
        .to_bytes()
        .unwrap()
        .to_vec()
    }

    #[test]
    fn every_value_type() {
        let vbs = vec![
            VarBind::new(oid!(1, 1), Value::Integer(-5)),
            VarBind::new(
                oid!(1, 2),
                Value::OctetString(Bytes::from_static(b"AZ\x00")),
            ),
            VarBind::new(oid!(1, 3), Value::Null),
            VarBind::new(oid!(1, 4), Value::ObjectIdentifier(oid!(1, 3, 6, 1))),
            VarBind::new(oid!(1, 5), Value::IpAddress([192, 0, 2, 1])),
            VarBind::new(oid!(1, 6), Value::Counter32(u32::MAX)),
            VarBind::new(oid!(1, 7), Value::Gauge32(7)),
            VarBind::new(oid!(1, 8), Value::TimeTicks(8)),
            VarBind::new(oid!(1, 9), Value::Opaque(Bytes::from_static(b"\x01\x02"))),
            VarBind::new(oid!(1, 10), Value::Counter64(u64::MAX)),
            VarBind::new(oid!(1, 11), Value::UInteger32(11)),
            VarBind::new(oid!(1, 12), Value::OpaqueFloat(0.1)),
            VarBind::new(oid!(1, 13), Value::OpaqueDouble(-2.5)),
            VarBind::new(oid!(1, 14), Value::OpaqueI64(i64::MIN)),
            VarBind::new(oid!(1, 15), Value::OpaqueU64(u64::MAX)),
            VarBind::new(oid!(1, 16), Value::NoSuchObject),
            VarBind::new(oid!(1, 17), Value::NoSuchInstance),
            VarBind::new(oid!(1, 18), Value::EndOfMibView),
            VarBind::new(oid!(1, 19), Value::OpaqueFloat(f32::NAN)),
            VarBind::new(oid!(1, 20), Value::OpaqueDouble(f64::NEG_INFINITY)),
        ];
        let wire = community(Version::V2c, Pdu::Response(BasicPdu::new(1, vbs)));
        let got = decode(&[], &wire);
        let types: Vec<_> = got["varbinds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["type"].as_str().unwrap().to_owned(),
                    v["value"].to_string(),
                )
            })
            .collect();
        let want = [
            ("INTEGER", "-5"),
            ("OCTET STRING", "\"415a00\""),
            ("NULL", "null"),
            ("OBJECT IDENTIFIER", "\"1.3.6.1\""),
            ("IpAddress", "\"192.0.2.1\""),
            ("Counter32", "4294967295"),
            ("Gauge32", "7"),
            ("TimeTicks", "8"),
            ("Opaque", "\"0102\""),
            ("Counter64", "18446744073709551615"),
            ("UInteger32", "11"),
            ("OpaqueFloat", "0.1"),
            ("OpaqueDouble", "-2.5"),
            ("OpaqueInt64", "-9223372036854775808"),
            ("OpaqueUInt64", "18446744073709551615"),
            ("noSuchObject", "null"),
            ("noSuchInstance", "null"),
            ("endOfMibView", "null"),
            ("OpaqueFloat", "\"NaN\""),
            ("OpaqueDouble", "\"-Infinity\""),
        ];
        let want: Vec<_> = want
            .iter()
            .map(|(t, v)| ((*t).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(types, want);
        assert_eq!(got["varbinds"][0]["oid"], "1.1");
    }

    #[test]
    fn pdu_fields_and_names() {
        let bulk = Pdu::GetBulkRequest(BulkPdu {
            request_id: 9,
            non_repeaters: 1,
            max_repetitions: 10,
            varbinds: vec![],
        });
        let got = decode(&[], &community(Version::V2c, bulk));
        let keys: Vec<_> = got.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "frame",
                "version",
                "community",
                "pdu",
                "requestID",
                "nonRepeaters",
                "maxRepetitions",
                "varbinds"
            ]
        );
        assert_eq!(got["pdu"], "get-bulk-request");
        assert_eq!(got["maxRepetitions"], 10);

        let trap = Pdu::TrapV1(Box::new(TrapV1Pdu {
            enterprise: oid!(1, 3, 6, 1, 4, 1, 4, 1, 2, 21),
            agent_addr: [127, 0, 0, 1],
            generic_trap: GenericTrap::ENTERPRISE_SPECIFIC,
            specific_trap: 52,
            time_stamp: 61_498_489,
            varbinds: vec![],
        }));
        let got = decode(&[], &community(Version::V1, trap));
        assert_eq!(got["version"], "1");
        assert_eq!(got["pdu"], "trap");
        assert_eq!(got["enterprise"], "1.3.6.1.4.1.4.1.2.21");
        assert_eq!(got["agentAddr"], "127.0.0.1");
        assert_eq!(got["genericTrap"], 6);
        assert_eq!(got["specificTrap"], 52);
        assert_eq!(got["timeStamp"], 61_498_489);
        assert!(got.get("requestID").is_none());

        let mut response = BasicPdu::new(-3, vec![]);
        response.error_status = ErrorStatus::NO_SUCH_NAME;
        response.error_index = 2;
        for (pdu, name) in [
            (Pdu::GetRequest(response.clone()), "get-request"),
            (Pdu::GetNextRequest(response.clone()), "get-next-request"),
            (Pdu::Response(response.clone()), "response"),
            (Pdu::SetRequest(response.clone()), "set-request"),
            (Pdu::InformRequest(response.clone()), "inform-request"),
            (Pdu::SnmpV2Trap(response.clone()), "snmpV2-trap"),
            (Pdu::Report(response.clone()), "report"),
        ] {
            let got = decode(&[], &community(Version::V2c, pdu));
            assert_eq!(got["pdu"], name);
            assert_eq!(
                (&got["requestID"], &got["errorStatus"], &got["errorIndex"]),
                (&json!(-3), &json!(2), &json!(2))
            );
        }
    }

    #[test]
    fn malformed_messages_give_the_error_and_its_offset() {
        let got = decode(&[], &[0x30, 0x05, 0x02, 0x01, 0x01]);
        assert_eq!(
            got,
            json!({"frame": 1, "error": "truncated: 5 octets needed, 3 available at byte 2"})
        );
        let got = decode(&[], &[]);
        assert_eq!(got.as_object().unwrap().len(), 2);
        assert!(
            got["error"].as_str().unwrap().ends_with("at byte 0"),
            "{got}"
        );
        // Addresses are left out of an error.
        let d = Datagram {
            src: Some("192.0.2.1:161".parse().unwrap()),
            ..Datagram::raw(vec![0x02])
        };
        let got = MessageDecoder::new(vec![]).decode(&d);
        assert_eq!(got.keys().collect::<Vec<_>>(), ["frame", "error"]);
    }

    fn v3(flags: u8, params: &UsmSecurityParameters, data: ScopedPduData) -> Vec<u8> {
        Message::V3(Box::new(V3Message {
            header: HeaderData {
                msg_id: 77,
                max_size: 65507,
                flags: MsgFlags(flags),
                security_model: 3,
            },
            security_parameters: params.to_bytes().unwrap(),
            data,
        }))
        .to_bytes()
        .unwrap()
        .to_vec()
    }

    fn scoped() -> ScopedPdu {
        ScopedPdu {
            context_engine_id: Bytes::from_static(b"\x80\x00\x1f\x88\x04ctx"),
            context_name: Bytes::from_static(b"bridge1"),
            pdu: Pdu::GetRequest(BasicPdu::new(5, vec![VarBind::null(oid!(1, 3, 6))])),
        }
    }

    const ENGINE: &[u8] = b"\x80\x00\x1f\x88\x04engine";

    /// A message signed (and encrypted) as an agent would send it.
    fn secured(user: &str, auth: Option<AuthProtocol>, privacy: Option<PrivProtocol>) -> Vec<u8> {
        let mut params = UsmSecurityParameters {
            engine_id: Bytes::from_static(ENGINE),
            engine_boots: 3,
            engine_time: 1234,
            user_name: Bytes::copy_from_slice(user.as_bytes()),
            auth_params: Bytes::from(vec![0; auth.map_or(0, AuthProtocol::mac_len)]),
            priv_params: Bytes::new(),
        };
        let mut flags = 0;
        let data = match privacy {
            Some(p) => {
                flags |= MsgFlags::PRIV;
                let key =
                    snmp_usm::PrivKey::from_password(p, auth.unwrap(), b"privpassword", ENGINE)
                        .unwrap();
                let mut e = snmp_ber::Encoder::new();
                scoped().encode(&mut e).unwrap();
                let (ct, salt) = key.encrypt(e.as_slice(), 3, 1234, 42);
                params.priv_params = Bytes::copy_from_slice(&salt);
                ScopedPduData::Encrypted(Bytes::from(ct))
            }
            None => ScopedPduData::Plaintext(scoped()),
        };
        let Some(a) = auth else {
            return v3(flags, &params, data);
        };
        flags |= MsgFlags::AUTH;
        let zeroed = v3(flags, &params, data.clone());
        let key = snmp_usm::AuthKey::from_password(a, b"authpassword", ENGINE).unwrap();
        params.auth_params = Bytes::from(key.sign(&zeroed));
        v3(flags, &params, data)
    }

    #[test]
    fn v3_fields_in_order() {
        let wire = secured("alice", Some(AuthProtocol::Sha256), None);
        let got = decode(&["alice:SHA-256:authpassword"], &wire);
        let keys: Vec<_> = got.as_object().unwrap().keys().cloned().collect();
        assert_eq!(
            keys,
            [
                "frame",
                "version",
                "msgID",
                "msgFlags",
                "securityModel",
                "engineID",
                "engineBoots",
                "engineTime",
                "user",
                "auth",
                "priv",
                "contextEngineID",
                "contextName",
                "pdu",
                "requestID",
                "errorStatus",
                "errorIndex",
                "varbinds"
            ]
        );
        assert_eq!(got["version"], "3");
        assert_eq!(got["msgID"], 77);
        assert_eq!(got["msgFlags"], 1);
        assert_eq!(got["securityModel"], 3);
        assert_eq!(got["engineID"], "80001f8804656e67696e65");
        assert_eq!(
            (&got["engineBoots"], &got["engineTime"]),
            (&json!(3), &json!(1234))
        );
        assert_eq!(got["user"], "alice");
        assert_eq!((&got["auth"], &got["priv"]), (&json!("ok"), &json!("none")));
        assert_eq!(got["contextEngineID"], "80001f8804637478");
        assert_eq!(got["contextName"], "bridge1");
    }

    #[test]
    fn auth_outcomes() {
        let wire = secured("alice", Some(AuthProtocol::Md5), None);
        let auth = |users: &[&str]| decode(users, &wire)["auth"].clone();
        assert_eq!(auth(&["alice:MD5:authpassword"]), "ok");
        assert_eq!(auth(&["alice:MD5:otherpassword"]), "wrong-digest");
        assert_eq!(auth(&["alice:SHA:authpassword"]), "wrong-digest");
        assert_eq!(auth(&["bob:MD5:authpassword"]), "unknown-user");
        assert_eq!(auth(&[]), "unknown-user");
        // Several credentials for one user: the one that verifies wins.
        assert_eq!(
            auth(&["alice:SHA:authpassword", "alice:MD5:authpassword"]),
            "ok"
        );
        // No authFlag: nothing to check.
        let wire = secured("alice", None, None);
        assert_eq!(decode(&["alice:MD5:authpassword"], &wire)["auth"], "none");
        // A changed octet breaks the MAC.
        let mut wire = secured("alice", Some(AuthProtocol::Md5), None);
        // The last arc of the binding's OID (before its `05 00`).
        let arc = wire.len() - 3;
        wire[arc] ^= 1;
        assert_eq!(
            decode(&["alice:MD5:authpassword"], &wire)["auth"],
            "wrong-digest"
        );
    }

    #[test]
    fn priv_outcomes() {
        for p in [
            PrivProtocol::Des,
            PrivProtocol::Aes128,
            PrivProtocol::Aes256Cisco,
        ] {
            let wire = secured("alice", Some(AuthProtocol::Sha1), Some(p));
            let spec = format!("alice:SHA:authpassword:{p}:privpassword");
            let got = decode(&[&spec], &wire);
            assert_eq!(
                (&got["auth"], &got["priv"]),
                (&json!("ok"), &json!("decrypted")),
                "{p}"
            );
            assert_eq!(got["contextName"], "bridge1");
            assert_eq!(got["pdu"], "get-request");
            assert_eq!(got["requestID"], 5);
            // The wrong privacy password.
            let spec = format!("alice:SHA:authpassword:{p}:wrongpassword");
            let got = decode(&[&spec], &wire);
            assert_eq!(got["priv"], "failed", "{p}");
            assert!(got.get("pdu").is_none());
            // No privacy credentials, or no authentication: left encrypted.
            let got = decode(&["alice:SHA:authpassword"], &wire);
            assert_eq!(got["priv"], "encrypted");
            let got = decode(
                &[&format!("alice:MD5:authpassword:{p}:privpassword")],
                &wire,
            );
            assert_eq!(
                (&got["auth"], &got["priv"]),
                (&json!("wrong-digest"), &json!("encrypted"))
            );
            assert!(got.get("contextEngineID").is_none());
        }
    }

    #[test]
    fn engine_boots_and_time_without_their_pad() {
        // zeek's snmpv3_get_next.pcap: boots and time `02 01 dd`, 221.
        let params = UsmSecurityParameters {
            engine_boots: 0x5d,
            engine_time: 0x5d,
            ..UsmSecurityParameters::default()
        };
        let mut wire = v3(0, &params, ScopedPduData::Plaintext(scoped()));
        for at in 0..wire.len() - 2 {
            if wire[at..at + 3] == [0x02, 0x01, 0x5d] {
                wire[at + 2] = 0xdd;
            }
        }
        let got = decode(&[], &wire);
        assert_eq!(
            (&got["engineBoots"], &got["engineTime"]),
            (&json!(221), &json!(221))
        );
    }

    #[test]
    fn bad_security_parameters_are_placed_in_the_message() {
        let params = UsmSecurityParameters::default();
        let mut wire = v3(0, &params, ScopedPduData::Plaintext(scoped()));
        // msgSecurityParameters holds `30 0e 04 00 02 01 00 ...`: make its
        // msgAuthoritativeEngineBoots a BOOLEAN.
        let at = wire
            .windows(4)
            .position(|w| w == [0x30, 0x0e, 0x04, 0x00])
            .unwrap();
        wire[at + 4] = 0x01;
        let got = decode(&[], &wire);
        let error = got["error"].as_str().unwrap();
        assert!(error.ends_with(&format!("at byte {}", at + 4)), "{error}");
        // Another security model: no USM fields.
        let mut wire = v3(0, &params, ScopedPduData::Plaintext(scoped()));
        // msgFlags 0, then msgSecurityModel 3.
        let model = wire
            .windows(6)
            .position(|w| w == [0x04, 0x01, 0x00, 0x02, 0x01, 0x03])
            .unwrap();
        wire[model + 5] = 0x02;
        let got = decode(&[], &wire);
        assert_eq!(got["securityModel"], 2);
        assert!(got.get("user").is_none() && got.get("auth").is_none());
        assert_eq!(got["pdu"], "get-request");
    }
}
