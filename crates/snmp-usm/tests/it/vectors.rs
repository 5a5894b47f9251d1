//! Every numbered vector of `../shared/vectors.txt`, sections 1 to 7. Each test names its
//! source as the file does.

use snmp_usm::{
    AuthKey, AuthProtocol, KeyCache, LocalizedKey, PrivKey, PrivProtocol, UsmError,
    extend_blumenthal, extend_reeder, localize, password_to_key,
};

use crate::hex;

/// The engineID of RFC 3414 appendix A.3: `00 00 00 00 00 00 00 00 00 00 00 02`.
const ENGINE_A3: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

fn check_keys(protocol: AuthProtocol, password: &[u8], ku: &str, kul: &str) {
    let key = password_to_key(protocol, password).unwrap();
    assert_eq!(key.as_bytes(), hex(ku), "{protocol} Ku");
    let local = localize(protocol, &key, &ENGINE_A3);
    assert_eq!(local.as_bytes(), hex(kul), "{protocol} Kul");
    assert_eq!(local.len(), protocol.key_len());
}

fn localized(protocol: AuthProtocol, password: &[u8], engine_id: &[u8]) -> LocalizedKey {
    localize(
        protocol,
        &password_to_key(protocol, password).unwrap(),
        engine_id,
    )
}

/// vectors.txt 1: RFC 3414 A.3.1, password to key and localization with MD5.
#[test]
fn rfc3414_a_3_1_md5() {
    check_keys(
        AuthProtocol::Md5,
        b"maplesyrup",
        "9f af 32 83 88 4e 92 83 4e bc 98 47 d8 ed d9 63",
        "52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b",
    );
}

/// vectors.txt 2: RFC 3414 A.3.2, password to key and localization with SHA.
#[test]
fn rfc3414_a_3_2_sha() {
    check_keys(
        AuthProtocol::Sha1,
        b"maplesyrup",
        "9f b5 cc 03 81 49 7b 37 93 52 89 39 ff 78 8d 5d 79 14 52 11",
        "66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f",
    );
}

/// vectors.txt 3: RFC 3414 A.5.1, the new key of the MD5 keyChange sample (password
/// "newsyrup"; the Ku is COMPUTED-ONLY, the Kul published).
#[test]
fn rfc3414_a_5_1_md5_new_key() {
    check_keys(
        AuthProtocol::Md5,
        b"newsyrup",
        "01 ad d2 73 10 7c 4e 59 6b 4b 00 f8 2b 1d 42 a7",
        "87 02 1d 7b d9 d1 01 ba 05 ea 6e 3b f9 d9 bd 4a",
    );
}

/// vectors.txt 3: RFC 3414 A.5.2, the new key of the SHA keyChange sample (password
/// "newsyrup"; the Ku is COMPUTED-ONLY, the Kul published).
#[test]
fn rfc3414_a_5_2_sha_new_key() {
    check_keys(
        AuthProtocol::Sha1,
        b"newsyrup",
        "3a 51 a6 d7 36 aa 34 7b 83 dc 4a 87 e3 e5 5e e4 d6 98 ac 71",
        "78 e2 dc ce 79 d5 94 03 b5 8c 1b ba a5 bf f4 63 91 f1 cd 25",
    );
}

/// vectors.txt 4: RFC 7860, SHA-224 (COMPUTED, cross-checked with IMEdge's AuthKeyTest).
#[test]
fn rfc7860_sha224() {
    check_keys(
        AuthProtocol::Sha224,
        b"maplesyrup",
        "28 2a 58 67 ee 9a ac 63 9a d5 9d f9 57 2c 7d 3a c0 fb c1 3a 90 5b 6d f0 7d bb f0 0b",
        "0b d8 82 7c 6e 29 f8 06 5e 08 e0 92 37 f1 77 e4 10 f6 9b 90 e1 78 2b e6 82 07 56 74",
    );
}

/// vectors.txt 4: RFC 7860, SHA-256 (COMPUTED, cross-checked with IMEdge's AuthKeyTest).
#[test]
fn rfc7860_sha256() {
    check_keys(
        AuthProtocol::Sha256,
        b"maplesyrup",
        "ab 51 01 4d 1e 07 7f 60 17 df 2b 12 be e5 f5 aa 72 99 31 77 e9 bb 56 9c 4d ff 5a 4c a0 b4 af ac",
        "89 82 e0 e5 49 e8 66 db 36 1a 6b 62 5d 84 cc cc 11 16 2d 45 3e e8 ce 3a 64 45 c2 d6 77 6f 0f 8b",
    );
}

/// vectors.txt 4: RFC 7860, SHA-384 (COMPUTED, cross-checked with IMEdge's AuthKeyTest).
#[test]
fn rfc7860_sha384() {
    check_keys(
        AuthProtocol::Sha384,
        b"maplesyrup",
        "e0 6e cc df 2c 68 a0 6e d0 34 72 3c 9c 26 e0 db 3b 66 9e 1e 2e fe d4 91 50 b5 53 77 a2 e9 8f 38 \
         3c 86 fb 83 68 57 44 46 54 b2 87 c9 3f 51 ff 64",
        "3b 29 8f 16 16 4a 11 18 42 79 d5 43 2b f1 69 e2 d2 a4 83 07 de 02 b3 d3 f7 e2 b4 f3 6e b6 f0 45 \
         5a 53 68 9a 39 37 ee a0 73 19 a6 33 d2 cc ba 78",
    );
}

/// vectors.txt 4: RFC 7860, SHA-512 (COMPUTED, cross-checked with IMEdge's AuthKeyTest).
#[test]
fn rfc7860_sha512() {
    check_keys(
        AuthProtocol::Sha512,
        b"maplesyrup",
        "7e 43 96 de 5a ad c7 7b e8 53 81 9b 98 c9 40 62 65 b3 a9 c3 7c c3 17 65 69 84 7a 4e 4f 6f ba 63 \
         dd 3a 73 d0 49 24 d3 1a 63 f9 5a 60 1f 93 85 af 6b e4 ed 1b 37 f8 7d 04 0f 7c 6e d6 f8 d3 8a 91",
        "22 a5 a3 6c ed fc c0 85 80 7a 12 8d 7b c6 c2 38 21 67 ad 6c 0d bc 5f df f8 56 74 0f 3d 84 c0 99 \
         ad 1e a8 7a 8d b0 96 71 4d 97 88 bd 54 40 47 c9 02 1e 42 29 ce 27 e4 c0 a6 92 50 ad fc ff bb 0b",
    );
}

/// The RFC 7860 keys through a [`KeyCache`] equal the direct ones.
#[test]
fn rfc7860_keys_through_the_cache() {
    let mut cache = KeyCache::new();
    for p in [AuthProtocol::Md5, AuthProtocol::Sha256] {
        let direct = localized(p, b"maplesyrup", &ENGINE_A3);
        let cached = cache.localized_key(p, b"maplesyrup", &ENGINE_A3).unwrap();
        assert_eq!(cached.as_bytes(), direct.as_bytes());
    }
}

/// vectors.txt 5a: draft-reeder-snmpv3-usm-3desede-00 B.1, password-to-key chaining with MD5
/// (32 octets).
const REEDER_B1_MD5: &str = "52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b \
                             79 ef f4 4a 90 65 0e e0 a3 a4 0a bf ac 5a cc 12";

/// vectors.txt 5a: draft-reeder-snmpv3-usm-3desede-00 B.2, password-to-key chaining with SHA
/// (40 octets).
const REEDER_B2_SHA: &str = "66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f \
                             9b 8b 6d 78 93 6b a6 e7 d1 9d fd 9c d2 d5 06 55 47 74 3f b5";

/// vectors.txt 5a: draft-reeder-snmpv3-usm-3desede-00 B.1 (MD5, 32 octets).
#[test]
fn reeder_b_1_md5() {
    let kul = localized(AuthProtocol::Md5, b"maplesyrup", &ENGINE_A3);
    let ext = extend_reeder(AuthProtocol::Md5, &kul, &ENGINE_A3, 32).unwrap();
    assert_eq!(ext.as_bytes(), hex(REEDER_B1_MD5));
}

/// vectors.txt 5a: draft-reeder-snmpv3-usm-3desede-00 B.2 (SHA, 40 octets).
#[test]
fn reeder_b_2_sha() {
    let kul = localized(AuthProtocol::Sha1, b"maplesyrup", &ENGINE_A3);
    let ext = extend_reeder(AuthProtocol::Sha1, &kul, &ENGINE_A3, 40).unwrap();
    assert_eq!(ext.as_bytes(), hex(REEDER_B2_SHA));
}

/// vectors.txt 5b: Reeder MD5 24 octets for AES-192 (COMPUTED-ONLY).
#[test]
fn reeder_md5_24_octets() {
    let kul = localized(AuthProtocol::Md5, b"maplesyrup", &ENGINE_A3);
    let ext = extend_reeder(AuthProtocol::Md5, &kul, &ENGINE_A3, 24).unwrap();
    assert_eq!(
        ext.as_bytes(),
        hex("52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b 79 ef f4 4a 90 65 0e e0")
    );
}

/// vectors.txt 5b: draft-blumenthal-aes-usm-04 A.1, SHA extended to 32 octets (published).
#[test]
fn blumenthal_a_1_sha_32_octets() {
    let kul = localized(AuthProtocol::Sha1, b"maplesyrup", &ENGINE_A3);
    let ext = extend_blumenthal(AuthProtocol::Sha1, &kul, 32).unwrap();
    assert_eq!(
        ext.as_bytes(),
        hex(
            "66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f \
             50 5e 07 eb 9a f2 55 68 fa 1f 5d be"
        )
    );
}

/// vectors.txt 5b: draft-blumenthal-aes-usm-04, MD5 extended to 32 octets (COMPUTED-ONLY).
#[test]
fn blumenthal_md5_32_octets() {
    let kul = localized(AuthProtocol::Md5, b"maplesyrup", &ENGINE_A3);
    let ext = extend_blumenthal(AuthProtocol::Md5, &kul, 32).unwrap();
    assert_eq!(
        ext.as_bytes(),
        hex("52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b \
             fa 24 a9 24 67 42 6c 2f 4b 09 19 2b e1 0d fa ec")
    );
}

/// vectors.txt 5b: draft-blumenthal-aes-usm-04, SHA extended to 24 octets for AES-192
/// (COMPUTED-ONLY).
#[test]
fn blumenthal_sha_24_octets() {
    let kul = localized(AuthProtocol::Sha1, b"maplesyrup", &ENGINE_A3);
    let ext = extend_blumenthal(AuthProtocol::Sha1, &kul, 24).unwrap();
    assert_eq!(
        ext.as_bytes(),
        hex("66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f 50 5e 07 eb")
    );
}

/// Whether two privacy keys are the same key: they encrypt alike.
fn same_priv_key(a: &PrivKey, b: &PrivKey) -> bool {
    let text = b"a scoped PDU of some forty octets or so....";
    a.protocol() == b.protocol() && a.encrypt(text, 5, 77, 0x1234) == b.encrypt(text, 5, 77, 0x1234)
}

/// vectors.txt 5: each privacy protocol takes its key from the extension its draft names
/// (3DES: the first 24 octets of the Reeder key and the next 8 as pre-IV; AES-256-C: the
/// first 32 of the Reeder key; AES-192/256: the Blumenthal key).
#[test]
fn privacy_keys_use_their_extension() {
    let md5 = localized(AuthProtocol::Md5, b"maplesyrup", &ENGINE_A3);
    let sha = localized(AuthProtocol::Sha1, b"maplesyrup", &ENGINE_A3);
    let reeder_md5 = hex(REEDER_B1_MD5);
    let reeder_sha = hex(REEDER_B2_SHA);
    let cases: [(PrivProtocol, AuthProtocol, &LocalizedKey, Vec<u8>); 7] = [
        (
            PrivProtocol::TripleDes,
            AuthProtocol::Md5,
            &md5,
            reeder_md5.clone(),
        ),
        (
            PrivProtocol::TripleDes,
            AuthProtocol::Sha1,
            &sha,
            reeder_sha.clone(),
        ),
        (
            PrivProtocol::Aes256Cisco,
            AuthProtocol::Md5,
            &md5,
            reeder_md5.clone(),
        ),
        (
            PrivProtocol::Aes192Cisco,
            AuthProtocol::Sha1,
            &sha,
            reeder_sha.clone(),
        ),
        (
            PrivProtocol::Aes256,
            AuthProtocol::Sha1,
            &sha,
            extend_blumenthal(AuthProtocol::Sha1, &sha, 32)
                .unwrap()
                .as_bytes()
                .to_vec(),
        ),
        (
            PrivProtocol::Des,
            AuthProtocol::Md5,
            &md5,
            md5.as_bytes().to_vec(),
        ),
        (
            PrivProtocol::Aes128,
            AuthProtocol::Sha1,
            &sha,
            sha.as_bytes().to_vec(),
        ),
    ];
    for (protocol, auth, kul, expected) in cases {
        let derived = PrivKey::new(protocol, auth, kul, &ENGINE_A3).unwrap();
        let direct = PrivKey::from_extended_key(protocol, &expected).unwrap();
        assert!(same_priv_key(&derived, &direct), "{protocol} with {auth}");
    }
    // The Blumenthal and Reeder AES-256 keys differ.
    let blumenthal = PrivKey::new(PrivProtocol::Aes256, AuthProtocol::Md5, &md5, &ENGINE_A3);
    let reeder = PrivKey::new(
        PrivProtocol::Aes256Cisco,
        AuthProtocol::Md5,
        &md5,
        &ENGINE_A3,
    );
    let text = b"same text";
    assert_ne!(
        blumenthal.unwrap().encrypt(text, 0, 0, 0).0,
        reeder.unwrap().encrypt(text, 0, 0, 0).0
    );
}

/// One whole-message HMAC vector of vectors.txt section 7 (openwall/john
/// src/snmp_fmt_plug.c).
struct MacVector {
    protocol: AuthProtocol,
    password: &'static [u8],
    engine_id: &'static str,
    kul: &'static str,
    mac: &'static str,
    whole_msg: &'static str,
}

impl MacVector {
    fn check(&self) {
        let engine_id = hex(self.engine_id);
        let key = AuthKey::from_password(self.protocol, self.password, &engine_id).unwrap();
        assert_eq!(key.key().as_bytes(), hex(self.kul), "Kul");
        let whole_msg = hex(self.whole_msg);
        let mac = hex(self.mac);
        assert_eq!(key.sign(&whole_msg), mac, "sign");
        assert_eq!(key.verify(&whole_msg, &mac), Ok(()), "verify");
        // One flipped bit anywhere fails.
        let mut tampered = whole_msg.clone();
        tampered[whole_msg.len() / 2] ^= 0x01;
        assert_eq!(key.verify(&tampered, &mac), Err(UsmError::WrongDigest));
        let mut bad_mac = mac.clone();
        bad_mac[11] ^= 0x80;
        assert_eq!(key.verify(&whole_msg, &bad_mac), Err(UsmError::WrongDigest));
    }
}

/// vectors.txt 7.1: "pippo" of Wireshark's snmp_usm.pcap, HMAC-MD5-96.
const PIPPO_MD5: MacVector = MacVector {
    protocol: AuthProtocol::Md5,
    password: b"pippoxxx",
    engine_id: "80001f888059dc486145a26322",
    kul: "1bdda980f5dc248f6d825835544d166d",
    mac: "19395e67894fda182414849f",
    whole_msg: "3081b10201033011020430f6f3d5020300ffe304010702010304373035040d80001f888059dc486145a2632202010802020ab90405706970706f040c00000000000000000000000004080000000103d5321a0460826ecf6443956d4c364bfc6f6ffc8ee0df000ffd0955af12d2c0f3c60fadea417d2bb80c0b2c1fa7a46ce44f9f16e15ee830a49881f60ecfa757d2f04000eb39a94058121d88ca20eeef4e6bf06784c67c15f144915d9bc2c6a0461da92a4abe",
};

/// vectors.txt 7.2: "pippo3" of Wireshark's snmp_usm.pcap, HMAC-SHA-96.
const PIPPO3_SHA: MacVector = MacVector {
    protocol: AuthProtocol::Sha1,
    password: b"pippoxxx",
    engine_id: "80001f888059dc486145a26322",
    kul: "75f68d436e1221f062e6577067fd87454082dfc0",
    mac: "3de2a23a91ef278f8277b3f5",
    whole_msg: "30820144020103301102043cdca370020300ffe304010302010304383036040d80001f888059dc486145a2632202010802020aba0406706970706f33040c0000000000000000000000000408f9a7cd5639adc7de0481f12d4e0febddef162199aa61bb97f44b84d975d9cef001d31eed660a193c22362c2ba6d203932822baa6c5d0032cc5cd7a8b7ac7b2fc005820ea72d72ffe59d3696be2bc8d5bdffb2de6fc775ed26cbf2d49a513704867665126775b8ffcaf3c07c19f9ecefb20293af7a6beecb6a5f2e3ba812ed9d71d21679007546f3acc6b72aff2baff2688451e74434dc9e6dab2f1b5e149691ced9fb4283fc8f85e3e7ebbe833353076fbdea7a11bc13a8c5ea62385b519e8bd2ab15f646572f487c8eb471eb0b069c5cc500eb8abc0227746d4ee8a5d9f0d6bfd9ece27f3f99ad5937c3e9be08e3074963796d3a13907fa1f17d213",
};

/// vectors.txt 7.1: "pippo" (snmp_usm.pcap, MD5 and DES): Kul, sign and verify.
#[test]
fn whole_msg_7_1_pippo_md5() {
    PIPPO_MD5.check();
}

/// vectors.txt 7.2: "pippo3" (snmp_usm.pcap, SHA1 and AES): Kul, sign and verify.
#[test]
fn whole_msg_7_2_pippo3_sha() {
    PIPPO3_SHA.check();
}

/// vectors.txt 7.3: "user" (0x0ff.info blog, noPriv), HMAC-MD5-96.
#[test]
fn whole_msg_7_3_user_md5() {
    MacVector {
        protocol: AuthProtocol::Md5,
        password: b"useruseruser",
        engine_id: "80001f888062dc7f4c15465c5100000000",
        kul: "21f1e9d9b30ceaeb84f2812beee685d5",
        mac: "9b1b71e33603a30c125f095d",
        whole_msg: "30818002010330110204580b8cc7020300ffe30401050201030431302f041180001f888062dc7f4c15465c510000000002010302017c040475736572040c00000000000000000000000004003035041180001f888062dc7f4c15465c51000000000400a11e0204334304ff0201000201003010300e060a2b06010201041e0105010500",
    }
    .check();
}

/// vectors.txt 7.4: "lulu" (UTF-8 password '1234567£', over IPv4), HMAC-MD5-96.
#[test]
fn whole_msg_7_4_lulu_ipv4() {
    MacVector {
        protocol: AuthProtocol::Md5,
        password: "1234567£".as_bytes(),
        engine_id: "80001f88804883c95f7803fa5800000000",
        kul: "6bfa305a0abdd994b7545e72330a4d37",
        mac: "9fa2a2e12cff0ca34794e988",
        whole_msg: "3081a30201033011020416396d42020300ffe304010302010304393037041180001f88804883c95f7803fa580000000002010102016904046c756c75040c00000000000000000000000004080000000166c4ecb40450cee8d8c70a64bc0b508bb2a5625f9916a35a4c1f2d1a4d436c02312edad700a1a21bb23c319b073ed8b2a84d3829961e87af1a30daa443f7408dcc0dbee952b8fb0eab20760488908f31047b31caefba",
    }
    .check();
}

/// vectors.txt 7.5: "lulu" (UTF-8 password '1234567£', over IPv6), HMAC-MD5-96.
#[test]
fn whole_msg_7_5_lulu_ipv6() {
    MacVector {
        protocol: AuthProtocol::Md5,
        password: "1234567£".as_bytes(),
        engine_id: "80001f88804883c95f7803fa5800000000",
        kul: "6bfa305a0abdd994b7545e72330a4d37",
        mac: "af477d4cc2e0d31e9340acf9",
        whole_msg: "3081a302010330110204551e91ab020300ffcf04010302010304393037041180001f88804883c95f7803fa580000000002010202015404046c756c75040c00000000000000000000000004080000000296c59db40450b0228ff64c7311310b1c41e63b999087495bb482700f40646ec63e461490ff985436cc8dfd63ed0bc1e66b307eab019bdb406e27df3c175eecbf82504639694efd38e4eff6bd91c524443a962fb331e8",
    }
    .check();
}

/// lextudio/pysnmp#249: PySNMP accepted an empty msgAuthenticationParameters, an
/// authentication bypass. An empty or short MAC is a wrong digest, even a prefix of the right
/// one (vectors.txt 7.1's message and key).
#[test]
fn pysnmp_249_empty_digest_is_rejected() {
    let key = AuthKey::from_password(
        AuthProtocol::Md5,
        PIPPO_MD5.password,
        &hex(PIPPO_MD5.engine_id),
    )
    .unwrap();
    let whole_msg = hex(PIPPO_MD5.whole_msg);
    let mac = hex(PIPPO_MD5.mac);
    assert_eq!(key.verify(&whole_msg, &[]), Err(UsmError::WrongDigest));
    for n in 1..mac.len() {
        assert_eq!(
            key.verify(&whole_msg, &mac[..n]),
            Err(UsmError::WrongDigest),
            "{n}"
        );
    }
    assert_eq!(key.verify(&whole_msg, &mac), Ok(()));
}

/// vectors.txt 7.x, privPassword "PIPPOxxx" of snmp_usm.pcap.
const PIPPO_PRIV: &[u8] = b"PIPPOxxx";

/// vectors.txt 7.x: the plaintext ScopedPDU of "pippo", with its 5 octets of padding.
const PIPPO_PLAINTEXT: &str = "3059040d80001f888059dc486145a263220400a04602047d0e082f0201000201003038300c06082b060102010101000500300c06082b060102010103000500300c06082b060102010403000500300c06082b06010201040a0005000505050505";

/// vectors.txt 7.x: "pippo" DES-CBC decryption (RFC 3414 8.1.1): privKul, then the exact
/// plaintext; encrypting it again with the same salt gives the same ciphertext.
#[test]
fn decrypt_7_x_pippo_des() {
    let engine_id = hex("80001f888059dc486145a26322");
    let kul = localized(AuthProtocol::Md5, PIPPO_PRIV, &engine_id);
    assert_eq!(kul.as_bytes(), hex("23cb857c24884007daaae25b64ea89cb"));
    let key = PrivKey::new(PrivProtocol::Des, AuthProtocol::Md5, &kul, &engine_id).unwrap();
    let ciphertext = hex(
        "826ecf6443956d4c364bfc6f6ffc8ee0df000ffd0955af12d2c0f3c60fadea417d2bb80c0b2c1fa7a46ce44f9f16e15ee830a49881f60ecfa757d2f04000eb39a94058121d88ca20eeef4e6bf06784c67c15f144915d9bc2c6a0461da92a4abe",
    );
    let salt = hex("0000000103d5321a");
    let plaintext = key.decrypt(&ciphertext, &salt, 8, 2745).unwrap();
    assert_eq!(plaintext, hex(PIPPO_PLAINTEXT));
    // This sender's salt does not start with its boots (8): encrypt with the boots it used.
    let (again, params) = key.encrypt(&plaintext, 1, 2745, 0x03d5_321a);
    assert_eq!((again, params.to_vec()), (ciphertext, salt));
}

/// vectors.txt 7.x: "pippo3" AES-128-CFB decryption (RFC 3826): privKul, then the exact
/// plaintext; encrypting it again with the same salt gives the same ciphertext.
#[test]
fn decrypt_7_x_pippo3_aes() {
    let engine_id = hex("80001f888059dc486145a26322");
    let kul = localized(AuthProtocol::Sha1, PIPPO_PRIV, &engine_id);
    assert_eq!(
        kul.as_bytes(),
        hex("f31b181d791bd3ae5842506bdccaaf02355626f1")
    );
    let key = PrivKey::new(PrivProtocol::Aes128, AuthProtocol::Sha1, &kul, &engine_id).unwrap();
    let ciphertext = hex(
        "2d4e0febddef162199aa61bb97f44b84d975d9cef001d31eed660a193c22362c2ba6d203932822baa6c5d0032cc5cd7a8b7ac7b2fc005820ea72d72ffe59d3696be2bc8d5bdffb2de6fc775ed26cbf2d49a513704867665126775b8ffcaf3c07c19f9ecefb20293af7a6beecb6a5f2e3ba812ed9d71d21679007546f3acc6b72aff2baff2688451e74434dc9e6dab2f1b5e149691ced9fb4283fc8f85e3e7ebbe833353076fbdea7a11bc13a8c5ea62385b519e8bd2ab15f646572f487c8eb471eb0b069c5cc500eb8abc0227746d4ee8a5d9f0d6bfd9ece27f3f99ad5937c3e9be08e3074963796d3a13907fa1f17d213",
    );
    let salt = hex("f9a7cd5639adc7de");
    let plaintext = key.decrypt(&ciphertext, &salt, 8, 2746).unwrap();
    assert_eq!(
        plaintext,
        hex(
            "3081ee040d80001f888059dc486145a263220400a281da0204145bd77b0201000201003081cb30819506082b0601020101010004818844617277696e2069642d6573742e6c6f63616c20382e382e302044617277696e204b65726e656c2056657273696f6e20382e382e303a20467269205365702020382031373a31383a35372050445420323030363b20726f6f743a786e752d3739322e31322e362e6f626a7e312f52454c454153455f50504320506f776572204d6163696e746f7368300f06082b060102010103004303043108300f06082b060102010403004103029945300f06082b06010201040a004103020d8b"
        )
    );
    let (again, params) = key.encrypt(&plaintext, 8, 2746, 0xf9a7_cd56_39ad_c7de);
    assert_eq!((&again, &params[..]), (&ciphertext, &salt[..]));
    // The wrong engine time gives another plaintext.
    assert_ne!(key.decrypt(&ciphertext, &salt, 8, 2745).unwrap(), plaintext);
}

/// vectors.txt 7.x: encrypt then decrypt with the "PIPPOxxx" keys of every privacy protocol
/// under every authentication protocol gives the plaintext back (DES and 3DES with their
/// padding).
#[test]
fn round_trip_every_priv_protocol() {
    let engine_id = hex("80001f888059dc486145a26322");
    let plaintext = hex(PIPPO_PLAINTEXT);
    let mut cache = KeyCache::new();
    for auth in AuthProtocol::ALL {
        for protocol in PrivProtocol::ALL {
            let key = cache
                .priv_key(protocol, auth, PIPPO_PRIV, &engine_id)
                .unwrap();
            for text in [&plaintext[..], &plaintext[..61], &[]] {
                let (ct, params) = key.encrypt(text, 8, 2745, 0x0102_0304_0506_0708);
                let back = key.decrypt(&ct, &params, 8, 2745).unwrap();
                assert_eq!(back[..text.len()], *text, "{protocol} with {auth}");
                assert_eq!(back.len(), ct.len());
                assert!(back.len() - text.len() < 8);
            }
        }
    }
}
