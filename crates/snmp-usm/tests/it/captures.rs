//! Real messages of `../shared/pcaps`, read at test time: their USM security parameters
//! decode, their MACs verify with the documented credentials (vectors.txt section 8 and
//! SOURCES.md), and the encrypted ones decrypt to a ScopedPDU.

use std::fs;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{Message, ScopedPdu, ScopedPduData, V3Message};
use snmp_smi::{Pdu, Value, VarBind, oid};
use snmp_usm::{AuthKey, AuthProtocol, PrivKey, PrivProtocol, UsmError, UsmSecurityParameters};

use crate::hex;

fn shared() -> PathBuf {
    std::env::var_os("SNMP_SHARED_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
        PathBuf::from,
    )
}

/// A raw message of `pcaps/`, decoded.
struct Captured {
    wire: Bytes,
    message: Box<V3Message>,
    params: UsmSecurityParameters,
}

fn read(path: &str) -> Captured {
    let file = shared().join("pcaps").join(path);
    let wire = Bytes::from(
        fs::read(&file).unwrap_or_else(|e| panic!("{}: {e} (set SNMP_SHARED_DIR)", file.display())),
    );
    let dec = Decoder::new(DecodeOptions::LENIENT);
    let Message::V3(message) = Message::decode(&dec, &wire).unwrap() else {
        panic!("{path} is not SNMPv3")
    };
    assert_eq!(message.header.security_model, 3, "{path}: not USM");
    let params = UsmSecurityParameters::decode(&dec, &message.security_parameters).unwrap();
    Captured {
        wire,
        message,
        params,
    }
}

impl Captured {
    /// The message with msgAuthenticationParameters zeroed (RFC 3414 3.2 step 7a).
    fn zeroed(&self) -> Vec<u8> {
        let range = self
            .params
            .auth_params_range(&self.wire)
            .expect("the MAC is a slice of the message");
        // The same place as the one search for the MAC finds.
        let mac = &self.params.auth_params[..];
        let found: Vec<usize> = self
            .wire
            .windows(mac.len())
            .enumerate()
            .filter(|(_, w)| *w == mac)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(found, [range.start]);
        let mut zeroed = self.wire.to_vec();
        zeroed[range].fill(0);
        zeroed
    }

    fn auth_key(&self, protocol: AuthProtocol, password: &[u8]) -> AuthKey {
        AuthKey::from_password(protocol, password, &self.params.engine_id).unwrap()
    }

    fn check_mac(&self, protocol: AuthProtocol, password: &[u8]) {
        assert!(self.message.header.flags.auth());
        let key = self.auth_key(protocol, password);
        let zeroed = self.zeroed();
        assert_eq!(key.verify(&zeroed, &self.params.auth_params), Ok(()));
        assert_eq!(key.sign(&zeroed), self.params.auth_params);
        // Unzeroed, or with another password, it fails.
        assert_eq!(
            key.verify(&self.wire, &self.params.auth_params),
            Err(UsmError::WrongDigest)
        );
        let other = self.auth_key(protocol, b"not the password");
        assert_eq!(
            other.verify(&zeroed, &self.params.auth_params),
            Err(UsmError::WrongDigest)
        );
    }

    fn encrypted(&self) -> &Bytes {
        match &self.message.data {
            ScopedPduData::Encrypted(b) => b,
            ScopedPduData::Plaintext(_) => panic!("not encrypted"),
        }
    }

    fn decrypt(&self, protocol: PrivProtocol, auth: AuthProtocol, password: &[u8]) -> ScopedPdu {
        assert!(self.message.header.flags.privacy());
        let key = PrivKey::from_password(protocol, auth, password, &self.params.engine_id).unwrap();
        let plaintext = key
            .decrypt(
                self.encrypted(),
                &self.params.priv_params,
                self.params.engine_boots,
                self.params.engine_time,
            )
            .unwrap();
        // DES padding may follow the ScopedPDU.
        let plaintext = Bytes::from(plaintext);
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut r = dec.reader_bytes(&plaintext);
        let scoped = ScopedPdu::decode(&mut r).unwrap();
        assert!(
            r.remaining() < 8,
            "{} octets after the ScopedPDU",
            r.remaining()
        );
        scoped
    }
}

/// vectors.txt 8: sharpsnmplib trapv3, user lextm, noAuthNoPriv: nothing to check, and an
/// empty MAC never verifies.
#[test]
fn sharpsnmplib_trapv3_no_auth() {
    let c = read("sharpsnmplib/trapv3");
    assert!(!c.message.header.flags.auth());
    assert_eq!(c.params.engine_id, hex("80001F8880E9630000D61FF449"));
    assert_eq!((c.params.engine_boots, c.params.engine_time), (0, 0));
    assert_eq!(c.params.user_name, "lextm");
    assert!(c.params.auth_params.is_empty() && c.params.priv_params.is_empty());
    assert_eq!(c.params.auth_params_range(&c.wire), None);
    assert_eq!(c.message.header.msg_id, 528_732_060);
    let key = c.auth_key(AuthProtocol::Md5, b"authentication");
    assert_eq!(
        key.verify(&c.wire, &c.params.auth_params),
        Err(UsmError::WrongDigest)
    );
}

/// vectors.txt 8: sharpsnmplib trapv3auth, user lextm, MD5 "authentication".
#[test]
fn sharpsnmplib_trapv3auth_md5() {
    let c = read("sharpsnmplib/trapv3auth");
    assert_eq!(c.params.user_name, "lextm");
    assert_eq!(c.params.auth_params, hex("84433969457707152C289A3E"));
    assert_eq!(c.message.header.msg_id, 318_463_383);
    let ScopedPduData::Plaintext(scoped) = &c.message.data else {
        panic!("encrypted")
    };
    assert_eq!(scoped.pdu.request_id(), Some(1_276_263_065));
    c.check_mac(AuthProtocol::Md5, b"authentication");
}

/// vectors.txt 8: sharpsnmplib trapv3authpriv, user lextm, MD5 "authentication" and DES
/// "privacyphrase": the MAC verifies and the ScopedPDU decrypts to a trap with no bindings
/// but sysUpTime.0 and snmpTrapOID.0 (as tshark 4.0.17 decrypted it).
#[test]
fn sharpsnmplib_trapv3authpriv_md5_des() {
    let c = read("sharpsnmplib/trapv3authpriv");
    assert_eq!(c.params.auth_params, hex("89D351891A55829243617F2C"));
    assert_eq!(c.params.priv_params, hex("0000000069D39B2A"));
    assert_eq!(c.message.header.msg_id, 1_004_947_569);
    c.check_mac(AuthProtocol::Md5, b"authentication");
    let scoped = c.decrypt(PrivProtocol::Des, AuthProtocol::Md5, b"privacyphrase");
    assert!(matches!(scoped.pdu, Pdu::SnmpV2Trap(_)), "{:?}", scoped.pdu);
    assert_eq!(scoped.pdu.request_id(), Some(234_419_641));
    assert_eq!(
        scoped.pdu.varbinds(),
        [
            VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 3, 0), Value::TimeTicks(0)),
            VarBind::new(
                oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0),
                Value::ObjectIdentifier(oid!(1, 3, 6))
            ),
        ]
    );
    // The wrong privacy password does not give a ScopedPDU.
    let wrong = PrivKey::from_password(
        PrivProtocol::Des,
        AuthProtocol::Md5,
        b"not the phrase",
        &c.params.engine_id,
    )
    .unwrap();
    let garbage = wrong
        .decrypt(c.encrypted(), &c.params.priv_params, 0, 0)
        .unwrap();
    let dec = Decoder::new(DecodeOptions::STRICT);
    let garbage = Bytes::from(garbage);
    assert!(ScopedPdu::decode(&mut dec.reader_bytes(&garbage)).is_err());
}

/// vectors.txt 8: sharpsnmplib v3authNoPriv_BER_Issue, user test, SHA1 "testpass": non-minimal
/// lengths everywhere, engine boots 41 and time 877.
#[test]
fn sharpsnmplib_v3auth_nopriv_ber_issue_sha() {
    let c = read("sharpsnmplib/v3authNoPriv_BER_Issue");
    assert_eq!(c.params.engine_id, hex("80001299030005B706CF69"));
    assert_eq!((c.params.engine_boots, c.params.engine_time), (41, 877));
    assert_eq!(c.params.user_name, "test");
    assert_eq!(c.params.auth_params, hex("C107F9DAA3FC552960E38936"));
    assert_eq!(c.message.header.msg_id, 681_323_585);
    let ScopedPduData::Plaintext(scoped) = &c.message.data else {
        panic!("encrypted")
    };
    assert_eq!(scoped.context_engine_id, c.params.engine_id);
    assert_eq!(scoped.pdu.request_id(), Some(681_323_584));
    c.check_mac(AuthProtocol::Sha1, b"testpass");
}

/// SOURCES.md: rusticata snmpv3_req_encrypted.bin is the "pippo" message of Wireshark's
/// snmp_usm.pcap (vectors.txt 7.1 before zeroing): MD5 "pippoxxx" and DES "PIPPOxxx", a
/// get-request with request-id 2098071599.
#[test]
fn rusticata_snmpv3_req_encrypted_md5_des() {
    let c = read("rusticata-snmp-parser/snmpv3_req_encrypted.bin");
    assert_eq!(c.params.user_name, "pippo");
    assert_eq!((c.params.engine_boots, c.params.engine_time), (8, 2745));
    c.check_mac(AuthProtocol::Md5, b"pippoxxx");
    let scoped = c.decrypt(PrivProtocol::Des, AuthProtocol::Md5, b"PIPPOxxx");
    assert!(matches!(scoped.pdu, Pdu::GetRequest(_)), "{:?}", scoped.pdu);
    assert_eq!(scoped.pdu.request_id(), Some(2_098_071_599));
    assert_eq!(scoped.pdu.varbinds().len(), 4);
}

/// lextudio/pysnmp#249 on a real message: trapv3auth re-sent with an empty MAC (authFlag
/// still set) must not verify.
#[test]
fn pysnmp_249_empty_digest_on_a_real_message() {
    let c = read("sharpsnmplib/trapv3auth");
    let forged = UsmSecurityParameters {
        auth_params: Bytes::new(),
        ..c.params.clone()
    };
    let mut message = c.message.clone();
    message.security_parameters = forged.to_bytes().unwrap();
    let wire = Message::V3(message).to_bytes().unwrap();
    let dec = Decoder::new(DecodeOptions::STRICT);
    let Message::V3(m) = Message::decode(&dec, &wire).unwrap() else {
        panic!()
    };
    assert!(m.header.flags.auth());
    let params = UsmSecurityParameters::decode(&dec, &m.security_parameters).unwrap();
    assert!(params.auth_params.is_empty());
    assert_eq!(params.auth_params_range(&wire), None);
    let key = c.auth_key(AuthProtocol::Md5, b"authentication");
    assert_eq!(
        key.verify(&wire, &params.auth_params),
        Err(UsmError::WrongDigest)
    );
}
