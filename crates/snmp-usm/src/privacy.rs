//! Privacy: DES-CBC (RFC 3414 section 8), 3DES-EDE-CBC (draft-reeder-snmpv3-usm-3desede-00)
//! and AES-CFB-128 (RFC 3826, draft-blumenthal-aes-usm-04).

use alloc::vec::Vec;
use core::fmt;

use aes::cipher::generic_array::{GenericArray, typenum::U8};
use aes::cipher::{AsyncStreamCipher, BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::protocol::KeyExtension;
use crate::{
    AuthProtocol, LocalizedKey, PrivProtocol, UsmError, extend_blumenthal, extend_reeder, localize,
    password_to_key,
};

/// The length of msgPrivacyParameters for every protocol here.
const PRIV_PARAMS_LEN: usize = 8;

/// The privacy key of `protocol` made from the localized key `key`: extended as the protocol
/// requires and cut to [`PrivProtocol::key_len`] octets.
pub(crate) fn extend_key(
    protocol: PrivProtocol,
    auth: AuthProtocol,
    key: &LocalizedKey,
    engine_id: &[u8],
) -> Result<LocalizedKey, UsmError> {
    let len = protocol.key_len();
    let extended = match protocol.extension() {
        KeyExtension::None => key.clone(),
        KeyExtension::Blumenthal => extend_blumenthal(auth, key, len)?,
        KeyExtension::Reeder => extend_reeder(auth, key, engine_id, len)?,
    };
    let cut = extended.as_bytes().get(..len).ok_or(UsmError::KeyLength {
        what: "privacy key",
        expected: len,
        found: extended.len(),
    })?;
    LocalizedKey::from_bytes(cut)
}

/// The cipher keys, ready to use.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
enum Material {
    Des { key: [u8; 8], pre_iv: [u8; 8] },
    TripleDes { key: [u8; 24], pre_iv: [u8; 8] },
    Aes128([u8; 16]),
    Aes192([u8; 24]),
    Aes256([u8; 32]),
}

/// A user's privacy key for one authoritative engine: the protocol and its key, extended from
/// the localized key as the protocol requires.
///
/// Salts and engine times are the caller's: this type keeps no state, reads no clock and
/// draws no random numbers. The salt must differ for every message sent with one key (RFC 3414
/// 8.1.1.1, RFC 3826 3.1.2.1): a counter started at a random value does.
///
/// ```
/// use snmp_usm::{AuthProtocol, PrivKey, PrivProtocol};
///
/// let engine_id = b"\x80\x00\x1f\x88\x04engine";
/// let key = PrivKey::from_password(PrivProtocol::Aes128, AuthProtocol::Sha1, b"privpassword", engine_id)?;
/// let scoped_pdu = b"\x30\x0b\x04\x00\x04\x00\xa0\x05...";
/// let (encrypted, priv_params) = key.encrypt(scoped_pdu, 7, 1234, 0x0102_0304_0506_0708);
/// assert_eq!(priv_params, [1, 2, 3, 4, 5, 6, 7, 8]);
/// assert_eq!(key.decrypt(&encrypted, &priv_params, 7, 1234)?, scoped_pdu);
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
#[derive(Clone)]
pub struct PrivKey {
    protocol: PrivProtocol,
    material: Material,
}

impl PrivKey {
    /// The key of `protocol` from `key`, the privacy password localized with the user's
    /// authentication protocol `auth` at the engine `engine_id`.
    ///
    /// DES and AES-128 take the first [`PrivProtocol::key_len`] octets of `key`; the others
    /// first extend it as they specify (the Reeder extension, for 3DES and the Cisco AES,
    /// costs a 1 MiB hash). A key too short for a protocol without extension is an error.
    pub fn new(
        protocol: PrivProtocol,
        auth: AuthProtocol,
        key: &LocalizedKey,
        engine_id: &[u8],
    ) -> Result<Self, UsmError> {
        let extended = extend_key(protocol, auth, key, engine_id)?;
        Self::from_extended_key(protocol, extended.as_bytes())
    }

    /// The key of `protocol` for the privacy password `password` of a user whose
    /// authentication protocol is `auth`, at the engine `engine_id`: [`password_to_key`],
    /// [`localize`] and [`PrivKey::new`]. Use a [`KeyCache`](crate::KeyCache) when there are
    /// many engines.
    pub fn from_password(
        protocol: PrivProtocol,
        auth: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<Self, UsmError> {
        let ku = password_to_key(auth, password)?;
        Self::new(protocol, auth, &localize(auth, &ku, engine_id), engine_id)
    }

    /// The key of `protocol` made of the first [`PrivProtocol::key_len`] octets of `key`, used
    /// as they are: already extended, for a protocol that extends keys.
    pub fn from_extended_key(protocol: PrivProtocol, key: &[u8]) -> Result<Self, UsmError> {
        let short = || UsmError::KeyLength {
            what: "privacy key",
            expected: protocol.key_len(),
            found: key.len(),
        };
        let material = match protocol {
            PrivProtocol::Des => Material::Des {
                key: take(key, 0).ok_or_else(short)?,
                pre_iv: take(key, 8).ok_or_else(short)?,
            },
            PrivProtocol::TripleDes => Material::TripleDes {
                key: take(key, 0).ok_or_else(short)?,
                pre_iv: take(key, 24).ok_or_else(short)?,
            },
            PrivProtocol::Aes128 => Material::Aes128(take(key, 0).ok_or_else(short)?),
            PrivProtocol::Aes192 | PrivProtocol::Aes192Cisco => {
                Material::Aes192(take(key, 0).ok_or_else(short)?)
            }
            PrivProtocol::Aes256 | PrivProtocol::Aes256Cisco => {
                Material::Aes256(take(key, 0).ok_or_else(short)?)
            }
        };
        Ok(Self { protocol, material })
    }

    /// The privacy protocol.
    pub fn protocol(&self) -> PrivProtocol {
        self.protocol
    }

    /// Encrypts a serialized ScopedPDU, returning the encryptedPDU octets and
    /// msgPrivacyParameters.
    ///
    /// - DES and 3DES (RFC 3414 8.1.1.1): msgPrivacyParameters is `engine_boots` (4 octets,
    ///   big-endian) and the low 32 bits of `salt`; the IV is that XOR the pre-IV; the
    ///   plaintext is padded to a multiple of 8 octets (each pad octet holds the pad length,
    ///   as net-snmp does; RFC 3414 leaves the value open). `engine_time` is not used.
    /// - AES (RFC 3826 3.1.2.1): msgPrivacyParameters is `salt` (8 octets, big-endian); the IV
    ///   is `engine_boots`, `engine_time` and the salt; no padding.
    pub fn encrypt(
        &self,
        plaintext: &[u8],
        engine_boots: u32,
        engine_time: u32,
        salt: u64,
    ) -> (Vec<u8>, [u8; 8]) {
        match &self.material {
            Material::Des { key, pre_iv } => {
                let params = des_params(engine_boots, salt);
                let iv = xor(pre_iv, &params);
                let cipher = cbc::Encryptor::<des::Des>::new(key.into(), (&iv).into());
                (cbc_encrypt(cipher, plaintext), params)
            }
            Material::TripleDes { key, pre_iv } => {
                let params = des_params(engine_boots, salt);
                let iv = xor(pre_iv, &params);
                let cipher = cbc::Encryptor::<des::TdesEde3>::new(key.into(), (&iv).into());
                (cbc_encrypt(cipher, plaintext), params)
            }
            Material::Aes128(key) => {
                let params = salt.to_be_bytes();
                let iv = aes_iv(engine_boots, engine_time, &params);
                let cipher = cfb_mode::Encryptor::<aes::Aes128>::new(key.into(), (&iv).into());
                (cfb(|d| cipher.encrypt(d), plaintext), params)
            }
            Material::Aes192(key) => {
                let params = salt.to_be_bytes();
                let iv = aes_iv(engine_boots, engine_time, &params);
                let cipher = cfb_mode::Encryptor::<aes::Aes192>::new(key.into(), (&iv).into());
                (cfb(|d| cipher.encrypt(d), plaintext), params)
            }
            Material::Aes256(key) => {
                let params = salt.to_be_bytes();
                let iv = aes_iv(engine_boots, engine_time, &params);
                let cipher = cfb_mode::Encryptor::<aes::Aes256>::new(key.into(), (&iv).into());
                (cfb(|d| cipher.encrypt(d), plaintext), params)
            }
        }
    }

    /// Decrypts an encryptedPDU with its msgPrivacyParameters (RFC 3414 8.1.1.3,
    /// RFC 3826 3.1.4), returning the serialized ScopedPDU: for DES and 3DES, with the
    /// sender's padding still after it.
    ///
    /// `engine_boots` and `engine_time` are the message's msgAuthoritativeEngineBoots and
    /// msgAuthoritativeEngineTime; DES and 3DES ignore them. msgPrivacyParameters that are not
    /// 8 octets, and for DES and 3DES a ciphertext whose length is not a multiple of 8, are a
    /// [`UsmError::Decryption`] (usmStatsDecryptionErrors).
    pub fn decrypt(
        &self,
        ciphertext: &[u8],
        priv_params: &[u8],
        engine_boots: u32,
        engine_time: u32,
    ) -> Result<Vec<u8>, UsmError> {
        let params: [u8; PRIV_PARAMS_LEN] =
            priv_params.try_into().map_err(|_| UsmError::Decryption {
                reason: "msgPrivacyParameters is not 8 octets long",
            })?;
        let iv = aes_iv(engine_boots, engine_time, &params);
        match &self.material {
            Material::Des { key, pre_iv } => {
                let iv = xor(pre_iv, &params);
                cbc_decrypt(
                    cbc::Decryptor::<des::Des>::new(key.into(), (&iv).into()),
                    ciphertext,
                )
            }
            Material::TripleDes { key, pre_iv } => {
                let iv = xor(pre_iv, &params);
                cbc_decrypt(
                    cbc::Decryptor::<des::TdesEde3>::new(key.into(), (&iv).into()),
                    ciphertext,
                )
            }
            Material::Aes128(key) => {
                let cipher = cfb_mode::Decryptor::<aes::Aes128>::new(key.into(), (&iv).into());
                Ok(cfb(|d| cipher.decrypt(d), ciphertext))
            }
            Material::Aes192(key) => {
                let cipher = cfb_mode::Decryptor::<aes::Aes192>::new(key.into(), (&iv).into());
                Ok(cfb(|d| cipher.decrypt(d), ciphertext))
            }
            Material::Aes256(key) => {
                let cipher = cfb_mode::Decryptor::<aes::Aes256>::new(key.into(), (&iv).into());
                Ok(cfb(|d| cipher.decrypt(d), ciphertext))
            }
        }
    }
}

impl fmt::Debug for PrivKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivKey")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

/// `key[at..at + N]` as an array, if `key` holds it.
fn take<const N: usize>(key: &[u8], at: usize) -> Option<[u8; N]> {
    key.get(at..at.checked_add(N)?)?.try_into().ok()
}

fn xor(a: &[u8; 8], b: &[u8; 8]) -> [u8; 8] {
    let mut out = *a;
    for (o, b) in out.iter_mut().zip(b) {
        *o ^= b;
    }
    out
}

/// RFC 3414 8.1.1.1: the salt is snmpEngineBoots, then a 32-bit integer of the sender's.
fn des_params(engine_boots: u32, salt: u64) -> [u8; 8] {
    let mut out = [0; 8];
    let (boots, low) = out.split_at_mut(4);
    boots.copy_from_slice(&engine_boots.to_be_bytes());
    low.copy_from_slice(salt.to_be_bytes().get(4..).unwrap_or_default());
    out
}

/// RFC 3826 3.1.2.1: the IV is snmpEngineBoots, snmpEngineTime and the 64-bit salt.
fn aes_iv(engine_boots: u32, engine_time: u32, salt: &[u8; 8]) -> [u8; 16] {
    let mut iv = [0; 16];
    let (boots, rest) = iv.split_at_mut(4);
    let (time, salt_out) = rest.split_at_mut(4);
    boots.copy_from_slice(&engine_boots.to_be_bytes());
    time.copy_from_slice(&engine_time.to_be_bytes());
    salt_out.copy_from_slice(salt);
    iv
}

/// CBC-encrypts `plaintext` padded to whole blocks of 8 octets.
fn cbc_encrypt(mut cipher: impl BlockEncryptMut<BlockSize = U8>, plaintext: &[u8]) -> Vec<u8> {
    let pad = (8 - plaintext.len() % 8) % 8;
    let mut data = Vec::with_capacity(plaintext.len() + pad);
    data.extend_from_slice(plaintext);
    // `pad` is below 8, so it fits.
    data.resize(plaintext.len() + pad, u8::try_from(pad).unwrap_or(0));
    for block in data.chunks_exact_mut(8) {
        cipher.encrypt_block_mut(GenericArray::<u8, U8>::from_mut_slice(block));
    }
    data
}

fn cbc_decrypt(
    mut cipher: impl BlockDecryptMut<BlockSize = U8>,
    ciphertext: &[u8],
) -> Result<Vec<u8>, UsmError> {
    if !ciphertext.len().is_multiple_of(8) {
        return Err(UsmError::Decryption {
            reason: "the encrypted PDU's length is not a multiple of 8 octets",
        });
    }
    let mut data = ciphertext.to_vec();
    for block in data.chunks_exact_mut(8) {
        cipher.decrypt_block_mut(GenericArray::<u8, U8>::from_mut_slice(block));
    }
    Ok(data)
}

/// Runs a CFB encryptor or decryptor over a copy of `data`.
fn cfb(cipher: impl FnOnce(&mut [u8]), data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    cipher(&mut out);
    out
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::vec;

    use super::*;

    fn key(protocol: PrivProtocol) -> PrivKey {
        let bytes: Vec<u8> = (0..protocol.key_len())
            .map(|i| u8::try_from(i * 13 % 256).unwrap())
            .collect();
        PrivKey::from_extended_key(protocol, &bytes).unwrap()
    }

    #[test]
    fn round_trips_every_protocol() {
        for p in PrivProtocol::ALL {
            let k = key(p);
            for len in [0usize, 1, 7, 8, 9, 16, 17, 100] {
                let pt: Vec<u8> = (0..len).map(|i| u8::try_from(i % 256).unwrap()).collect();
                let (ct, params) = k.encrypt(&pt, 3, 99, 0xdead_beef_0bad_f00d);
                let back = k.decrypt(&ct, &params, 3, 99).unwrap();
                match p {
                    PrivProtocol::Des | PrivProtocol::TripleDes => {
                        assert_eq!(ct.len(), len.div_ceil(8) * 8);
                        assert_eq!(back[..len], pt[..]);
                        let pad = ct.len() - len;
                        assert!(back[len..].iter().all(|b| usize::from(*b) == pad));
                        assert_eq!(params, [0, 0, 0, 3, 0x0b, 0xad, 0xf0, 0x0d]);
                    }
                    _ => {
                        assert_eq!(ct.len(), len);
                        assert_eq!(back, pt);
                        assert_eq!(params, 0xdead_beef_0bad_f00d_u64.to_be_bytes());
                    }
                }
                if len > 0 {
                    assert_ne!(ct[..len], pt[..], "{p} {len}");
                }
            }
        }
    }

    #[test]
    fn bad_priv_params_are_decryption_errors() {
        for p in PrivProtocol::ALL {
            let k = key(p);
            for params in [&[][..], &[0; 7], &[0; 9], &[0; 16]] {
                assert!(
                    matches!(
                        k.decrypt(&[0; 16], params, 0, 0),
                        Err(UsmError::Decryption { .. })
                    ),
                    "{p} {}",
                    params.len()
                );
            }
        }
    }

    #[test]
    fn des_ciphertext_must_be_whole_blocks() {
        for p in [PrivProtocol::Des, PrivProtocol::TripleDes] {
            let k = key(p);
            for len in [1, 7, 9, 15] {
                assert_eq!(
                    k.decrypt(&vec![0; len], &[0; 8], 0, 0),
                    Err(UsmError::Decryption {
                        reason: "the encrypted PDU's length is not a multiple of 8 octets"
                    })
                );
            }
            assert_eq!(k.decrypt(&[], &[0; 8], 0, 0), Ok(vec![]));
        }
    }

    #[test]
    fn aes_iv_uses_boots_and_time() {
        let k = key(PrivProtocol::Aes128);
        let (ct, params) = k.encrypt(b"sixteen octets!!", 1, 2, 3);
        assert_ne!(k.decrypt(&ct, &params, 1, 3).unwrap(), b"sixteen octets!!");
        assert_ne!(k.decrypt(&ct, &params, 2, 2).unwrap(), b"sixteen octets!!");
        assert_eq!(k.decrypt(&ct, &params, 1, 2).unwrap(), b"sixteen octets!!");
    }

    #[test]
    fn short_keys_are_refused() {
        for p in PrivProtocol::ALL {
            let short = vec![0; p.key_len() - 1];
            assert_eq!(
                PrivKey::from_extended_key(p, &short).unwrap_err(),
                UsmError::KeyLength {
                    what: "privacy key",
                    expected: p.key_len(),
                    found: p.key_len() - 1
                }
            );
        }
        // Without an extension, a localized key must be long enough by itself.
        let md5_len = LocalizedKey::from_bytes(&[0; 12]).unwrap();
        assert!(PrivKey::new(PrivProtocol::Des, AuthProtocol::Md5, &md5_len, b"e").is_err());
    }

    #[test]
    fn debug_shows_no_key_material() {
        assert_eq!(
            format!("{:?}", key(PrivProtocol::Aes256Cisco)),
            "PrivKey { protocol: Aes256Cisco, .. }"
        );
    }
}
