//! Message authentication: HMAC-MD5-96, HMAC-SHA-96 (RFC 3414 sections 6 and 7) and the
//! HMAC-SHA-2 protocols of RFC 7860.

use alloc::vec::Vec;
use core::fmt;

use hmac::digest::{Key as MacKey, KeyInit};
use hmac::{Hmac, Mac};
use zeroize::Zeroize;

use crate::protocol::with_digest;
use crate::{AuthProtocol, LocalizedKey, UsmError, localize, password_to_key};

/// A user's authentication key for one authoritative engine: the protocol and its localized
/// key (`usmUserAuthKeyChange`'s secret).
///
/// ```
/// use snmp_usm::{AuthKey, AuthProtocol};
///
/// let key = AuthKey::from_password(AuthProtocol::Sha256, b"authpassword", b"\x80\x00\x1f\x88\x04engine")?;
/// // The sender zeroes msgAuthenticationParameters, signs, and puts the MAC in their place.
/// let whole_msg = b"...the encoded message, authentication parameters zeroed...";
/// let mac = key.sign(whole_msg);
/// assert_eq!(mac.len(), 24);
/// // The receiver zeroes them again before checking.
/// key.verify(whole_msg, &mac)?;
/// assert!(key.verify(whole_msg, &[]).is_err());
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
#[derive(Clone)]
pub struct AuthKey {
    protocol: AuthProtocol,
    key: LocalizedKey,
}

impl AuthKey {
    /// The key of `protocol` with the localized key `key`, which must be exactly
    /// [`AuthProtocol::key_len`] octets (RFC 3414 6.2, 7.2; RFC 7860 4.2).
    pub fn new(protocol: AuthProtocol, key: LocalizedKey) -> Result<Self, UsmError> {
        if key.len() != protocol.key_len() {
            return Err(UsmError::KeyLength {
                what: "authentication key",
                expected: protocol.key_len(),
                found: key.len(),
            });
        }
        Ok(Self { protocol, key })
    }

    /// The key of `protocol` for `password` at the engine `engine_id`: [`password_to_key`]
    /// then [`localize`]. Use a [`KeyCache`](crate::KeyCache) when there are many engines.
    pub fn from_password(
        protocol: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<Self, UsmError> {
        let ku = password_to_key(protocol, password)?;
        Self::new(protocol, localize(protocol, &ku, engine_id))
    }

    /// The authentication protocol.
    pub fn protocol(&self) -> AuthProtocol {
        self.protocol
    }

    /// The localized key.
    pub fn key(&self) -> &LocalizedKey {
        &self.key
    }

    /// The MAC of `whole_msg` (RFC 3414 6.3.1, 7.3.1): its HMAC truncated to
    /// [`AuthProtocol::mac_len`] octets.
    ///
    /// `whole_msg` is the encoded message with msgAuthenticationParameters already holding
    /// `mac_len` zero octets; the caller then overwrites them with the result.
    pub fn sign(&self, whole_msg: &[u8]) -> Vec<u8> {
        let n = self.protocol.mac_len();
        with_digest!(self.protocol, D => {
            let tag = keyed::<Hmac<D>>(self.key.as_bytes(), whole_msg).finalize().into_bytes();
            tag.get(..n).unwrap_or_default().to_vec()
        })
    }

    /// Checks `mac`, the received msgAuthenticationParameters, against `whole_msg`, the
    /// message with those octets set to zero (RFC 3414 6.3.2, 7.3.2), in constant time.
    ///
    /// A `mac` that is not exactly [`AuthProtocol::mac_len`] octets is wrong, the empty one
    /// included (lextudio/pysnmp#249 accepted an empty MAC: an authentication bypass).
    pub fn verify(&self, whole_msg: &[u8], mac: &[u8]) -> Result<(), UsmError> {
        if mac.len() != self.protocol.mac_len() {
            return Err(UsmError::WrongDigest);
        }
        with_digest!(self.protocol, D => {
            keyed::<Hmac<D>>(self.key.as_bytes(), whole_msg).verify_truncated_left(mac)
        })
        .map_err(|_| UsmError::WrongDigest)
    }
}

impl AuthKey {
    /// [`verify`](Self::verify) of the message made of `parts` one after the other, without
    /// copying them into one buffer: a received message with its MAC field taken out and
    /// zeros in its place (RFC 3414 3.2 step 6).
    ///
    /// # Errors
    /// [`UsmError::WrongDigest`], as `verify`.
    pub fn verify_parts(&self, parts: &[&[u8]], mac: &[u8]) -> Result<(), UsmError> {
        if mac.len() != self.protocol.mac_len() {
            return Err(UsmError::WrongDigest);
        }
        with_digest!(self.protocol, D => {
            let mut m = keyed::<Hmac<D>>(self.key.as_bytes(), &[]);
            for part in parts {
                Mac::update(&mut m, part);
            }
            m.verify_truncated_left(mac)
        })
        .map_err(|_| UsmError::WrongDigest)
    }
}

impl fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthKey")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

/// An HMAC keyed with `key` that has absorbed `msg`.
///
/// `key` is at most one hash block (every key here is one digest long, and a digest is
/// shorter than a block), so padding it with zeros to a block is what HMAC does itself
/// (RFC 2104 step 1): this takes the infallible `KeyInit::new`.
fn keyed<M: Mac + KeyInit>(key: &[u8], msg: &[u8]) -> M {
    let mut block = MacKey::<M>::default();
    for (b, k) in block.iter_mut().zip(key) {
        *b = *k;
    }
    let mut mac = <M as KeyInit>::new(&block);
    block.as_mut_slice().zeroize();
    Mac::update(&mut mac, msg);
    mac
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    #[test]
    fn verify_in_parts_equals_verify_whole() {
        for protocol in AuthProtocol::ALL {
            let k = key(protocol);
            let msg: Vec<u8> = (0..200u8).collect();
            let mac = k.sign(&msg);
            assert!(k.verify(&msg, &mac).is_ok());
            assert!(
                k.verify_parts(&[&msg[..50], &msg[50..51], &msg[51..]], &mac)
                    .is_ok()
            );
            assert!(k.verify_parts(&[&msg[..50], &msg[51..]], &mac).is_err());
            assert!(k.verify_parts(&[&msg], &mac[1..]).is_err());
        }
    }

    fn key(protocol: AuthProtocol) -> AuthKey {
        let bytes: Vec<u8> = (1..=protocol.key_len())
            .map(|i| u8::try_from(i).unwrap())
            .collect();
        AuthKey::new(protocol, LocalizedKey::from_bytes(&bytes).unwrap()).unwrap()
    }

    #[test]
    fn keyed_equals_new_from_slice() {
        for p in AuthProtocol::ALL {
            let k = key(p);
            let expected = with_digest!(p, D => {
                let mut m = <Hmac<D> as KeyInit>::new_from_slice(k.key.as_bytes()).unwrap();
                Mac::update(&mut m, b"message");
                m.finalize().into_bytes().to_vec()
            });
            assert_eq!(k.sign(b"message"), expected[..p.mac_len()], "{p}");
        }
    }

    #[test]
    fn sign_then_verify() {
        for p in AuthProtocol::ALL {
            let k = key(p);
            let mac = k.sign(b"whole message");
            assert_eq!(mac.len(), p.mac_len());
            assert_eq!(k.verify(b"whole message", &mac), Ok(()));
            assert_eq!(k.verify(b"whole messagE", &mac), Err(UsmError::WrongDigest));
            let mut bad = mac.clone();
            bad[0] ^= 1;
            assert_eq!(k.verify(b"whole message", &bad), Err(UsmError::WrongDigest));
        }
    }

    #[test]
    fn truncated_and_long_macs_are_wrong() {
        for p in AuthProtocol::ALL {
            let k = key(p);
            let mac = k.sign(b"m");
            for n in [0, 1, p.mac_len() - 1] {
                assert_eq!(k.verify(b"m", &mac[..n]), Err(UsmError::WrongDigest));
            }
            let full = with_digest!(p, D => keyed::<Hmac<D>>(k.key.as_bytes(), b"m").finalize().into_bytes().to_vec());
            assert_eq!(k.verify(b"m", &full), Err(UsmError::WrongDigest), "{p}");
        }
    }

    #[test]
    fn key_must_be_the_digest_size() {
        let short = LocalizedKey::from_bytes(&[0; 16]).unwrap();
        assert_eq!(
            AuthKey::new(AuthProtocol::Sha1, short).unwrap_err(),
            UsmError::KeyLength {
                what: "authentication key",
                expected: 20,
                found: 16
            }
        );
    }

    #[test]
    fn debug_shows_no_key_material() {
        assert_eq!(
            format!("{:?}", key(AuthProtocol::Md5)),
            "AuthKey { protocol: Md5, .. }"
        );
    }
}
