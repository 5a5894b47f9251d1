//! Property tests: the security parameters round-trip, decoding them never panics, and every
//! privacy protocol decrypts what it encrypted.

use std::sync::LazyLock;

use bytes::Bytes;
use proptest::prelude::*;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_usm::{AuthKey, AuthProtocol, LocalizedKey, PrivKey, PrivProtocol, UsmSecurityParameters};

fn params() -> impl Strategy<Value = UsmSecurityParameters> {
    (
        prop::collection::vec(any::<u8>(), 0..40),
        0u32..=0x7fff_ffff,
        0u32..=0x7fff_ffff,
        prop::collection::vec(any::<u8>(), 0..=32),
        prop::collection::vec(any::<u8>(), 0..60),
        prop::collection::vec(any::<u8>(), 0..20),
    )
        .prop_map(
            |(engine_id, boots, time, user, auth, privacy)| UsmSecurityParameters {
                engine_id: Bytes::from(engine_id),
                engine_boots: boots,
                engine_time: time,
                user_name: Bytes::from(user),
                auth_params: Bytes::from(auth),
                priv_params: Bytes::from(privacy),
            },
        )
}

/// One key per privacy protocol, derived once (the Reeder extension costs a 1 MiB hash).
static PRIV_KEYS: LazyLock<Vec<PrivKey>> = LazyLock::new(|| {
    let kul = LocalizedKey::from_bytes(&[0x42; 20]).unwrap();
    PrivProtocol::ALL
        .iter()
        .map(|p| PrivKey::new(*p, AuthProtocol::Sha1, &kul, b"\x80\x00\x1f\x88\x04prop").unwrap())
        .collect()
});

proptest! {
    #[test]
    fn security_parameters_round_trip(p in params()) {
        let wire = p.to_bytes().unwrap();
        let dec = Decoder::new(DecodeOptions::STRICT);
        let back = UsmSecurityParameters::decode(&dec, &wire).unwrap();
        prop_assert_eq!(&back, &p);
        // The MAC is found where it lies in the encoding.
        if let Some(range) = back.auth_params_range(&wire) {
            prop_assert_eq!(&wire[range], &p.auth_params[..]);
        } else {
            prop_assert!(p.auth_params.is_empty());
        }
    }

    #[test]
    fn security_parameters_decoding_never_panics(data in prop::collection::vec(any::<u8>(), 0..80)) {
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let _ = UsmSecurityParameters::decode(&dec, &Bytes::from(data));
    }

    #[test]
    fn decrypt_inverts_encrypt(
        index in 0..PrivProtocol::ALL.len(),
        plaintext in prop::collection::vec(any::<u8>(), 0..300),
        boots in any::<u32>(),
        time in any::<u32>(),
        salt in any::<u64>(),
    ) {
        let key = &PRIV_KEYS[index];
        let (ciphertext, priv_params) = key.encrypt(&plaintext, boots, time, salt);
        let back = key.decrypt(&ciphertext, &priv_params, boots, time).unwrap();
        prop_assert_eq!(&back[..plaintext.len()], &plaintext[..]);
        prop_assert!(back.len() - plaintext.len() < 8);
        prop_assert_eq!(back.len(), ciphertext.len());
    }

    #[test]
    fn decryption_never_panics(
        index in 0..PrivProtocol::ALL.len(),
        ciphertext in prop::collection::vec(any::<u8>(), 0..100),
        priv_params in prop::collection::vec(any::<u8>(), 0..12),
    ) {
        let _ = PRIV_KEYS[index].decrypt(&ciphertext, &priv_params, 1, 2);
    }

    #[test]
    fn only_the_mac_verifies(
        msg in prop::collection::vec(any::<u8>(), 0..200),
        mac in prop::collection::vec(any::<u8>(), 0..50),
    ) {
        for protocol in AuthProtocol::ALL {
            let kul = LocalizedKey::from_bytes(&vec![7; protocol.key_len()]).unwrap();
            let key = AuthKey::new(protocol, kul).unwrap();
            let good = key.sign(&msg);
            prop_assert!(key.verify(&msg, &good).is_ok());
            prop_assert_eq!(key.verify(&msg, &mac).is_ok(), mac == good);
        }
    }
}
