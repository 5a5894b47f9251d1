//! Keys: password to key, localization and the key extensions (RFC 3414 section 2.6 and
//! appendix A.2, draft-blumenthal-aes-usm-04, draft-reeder-snmpv3-usm-3desede-00).

use alloc::vec::Vec;
use core::fmt;

use sha2::Digest;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::protocol::with_digest;
use crate::{AuthProtocol, UsmError};

/// The longest key this crate holds: the output of SHA-512.
pub const MAX_KEY_LEN: usize = 64;

/// The shortest password accepted, as net-snmp requires (RFC 3414 section 11.2 recommends it).
pub const MIN_PASSWORD_LEN: usize = 8;

/// RFC 3414 A.2: the password is repeated over this many octets.
const PASSWORD_STREAM_LEN: usize = 1_048_576;

/// The password stream is hashed in chunks of this many octets: 16 blocks of 64, a multiple of
/// every hash's block size (64 or 128) and a divisor of the stream's length.
const CHUNK_LEN: usize = 1024;

/// Up to [`MAX_KEY_LEN`] secret octets, wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct KeyBytes {
    buf: [u8; MAX_KEY_LEN],
    len: usize,
}

impl KeyBytes {
    const EMPTY: Self = Self {
        buf: [0; MAX_KEY_LEN],
        len: 0,
    };

    /// The key `s`, or `None` when it is longer than [`MAX_KEY_LEN`].
    fn new(s: &[u8]) -> Option<Self> {
        let mut k = Self::EMPTY;
        k.buf.get_mut(..s.len())?.copy_from_slice(s);
        k.len = s.len();
        Some(k)
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or_default()
    }

    /// Appends as much of `s` as fits in `limit` octets (at most [`MAX_KEY_LEN`]), returning
    /// whether anything was.
    fn extend(&mut self, s: &[u8], limit: usize) -> bool {
        let n = s.len().min(limit.saturating_sub(self.len));
        match (self.buf.get_mut(self.len..self.len + n), s.get(..n)) {
            (Some(dst), Some(src)) if n > 0 => {
                dst.copy_from_slice(src);
                self.len += n;
                true
            }
            _ => false,
        }
    }

    fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.buf.get_mut(len..).unwrap_or_default().zeroize();
            self.len = len;
        }
    }
}

/// A user's key derived from a password, not yet bound to an engine: `Ku` of RFC 3414 section
/// 2.6, the output of [`password_to_key`].
///
/// Its octets are wiped when it is dropped, and `Debug` shows only its length.
#[derive(Clone)]
pub struct Key(KeyBytes);

impl Key {
    /// A key from its octets (net-snmp's `-3m` master key), at most [`MAX_KEY_LEN`] of them.
    pub fn from_bytes(key: &[u8]) -> Result<Self, UsmError> {
        KeyBytes::new(key).map(Self).ok_or(UsmError::KeyLength {
            what: "key",
            expected: MAX_KEY_LEN,
            found: key.len(),
        })
    }

    /// The key's octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The key's length in octets.
    pub fn len(&self) -> usize {
        self.0.len
    }

    /// Whether the key has no octets.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// A key bound to one authoritative engine: `Kul` of RFC 3414 section 2.6, the output of
/// [`localize`], and of the key extensions.
///
/// Its octets are wiped when it is dropped, and `Debug` shows only its length.
#[derive(Clone)]
pub struct LocalizedKey(KeyBytes);

impl LocalizedKey {
    /// A localized key from its octets (net-snmp's `-3k` or `-3K`), at most [`MAX_KEY_LEN`]
    /// of them.
    pub fn from_bytes(key: &[u8]) -> Result<Self, UsmError> {
        KeyBytes::new(key).map(Self).ok_or(UsmError::KeyLength {
            what: "localized key",
            expected: MAX_KEY_LEN,
            found: key.len(),
        })
    }

    /// The key's octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_slice()
    }

    /// The key's length in octets.
    pub fn len(&self) -> usize {
        self.0.len
    }

    /// Whether the key has no octets.
    pub fn is_empty(&self) -> bool {
        self.0.len == 0
    }
}

impl fmt::Debug for LocalizedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalizedKey")
            .field("len", &self.len())
            .finish_non_exhaustive()
    }
}

/// Turns a password into a key (RFC 3414 appendix A.2, and RFC 7860 section 4.1 for the SHA-2
/// hashes): the hash of 1,048,576 octets of the password repeated.
///
/// This costs a 1 MiB hash (a few milliseconds): do it once per password and protocol, as
/// [`KeyCache`](crate::KeyCache) does. Passwords shorter than [`MIN_PASSWORD_LEN`] octets
/// (an empty one included) are refused, as net-snmp refuses them.
///
/// ```
/// use snmp_usm::{AuthProtocol, password_to_key};
///
/// // RFC 3414 A.3.1.
/// let ku = password_to_key(AuthProtocol::Md5, b"maplesyrup")?;
/// assert_eq!(ku.as_bytes()[..4], [0x9f, 0xaf, 0x32, 0x83]);
/// assert!(password_to_key(AuthProtocol::Md5, b"short").is_err());
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
pub fn password_to_key(protocol: AuthProtocol, password: &[u8]) -> Result<Key, UsmError> {
    if password.len() < MIN_PASSWORD_LEN {
        return Err(UsmError::PasswordTooShort {
            len: password.len(),
        });
    }
    Ok(Key(hash_password(protocol, password)))
}

/// The RFC 3414 A.2 hash of any non-empty octets (the Reeder extension hashes keys with it).
pub(crate) fn hash_password(protocol: AuthProtocol, password: &[u8]) -> KeyBytes {
    with_digest!(protocol, D => stream_hash::<D>(password))
}

fn stream_hash<D: Digest>(password: &[u8]) -> KeyBytes {
    if password.is_empty() {
        return KeyBytes::EMPTY;
    }
    // The password repeated over at least CHUNK_LEN + len octets, so that the chunk starting
    // at any offset below len is one slice of it. Allocated once at its final size, so no
    // copy of the password is left behind by a reallocation.
    let ring_len = CHUNK_LEN + 2 * password.len();
    let mut ring: Vec<u8> = Vec::with_capacity(ring_len);
    while ring.len() < CHUNK_LEN + password.len() {
        ring.extend_from_slice(password);
    }
    let mut hash = D::new();
    let mut at = 0;
    for _ in 0..PASSWORD_STREAM_LEN / CHUNK_LEN {
        // at < password.len(), and ring holds CHUNK_LEN + password.len() octets or more.
        hash.update(&ring[at..at + CHUNK_LEN]);
        at = (at + CHUNK_LEN) % password.len();
    }
    ring.zeroize();
    let digest = hash.finalize();
    KeyBytes::new(&digest).unwrap_or(KeyBytes::EMPTY)
}

/// Binds a key to an authoritative engine (RFC 3414 section 2.6): `H(Ku || engineID || Ku)`.
///
/// ```
/// use snmp_usm::{AuthProtocol, localize, password_to_key};
///
/// // RFC 3414 A.3.2.
/// let engine_id = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
/// let ku = password_to_key(AuthProtocol::Sha1, b"maplesyrup")?;
/// let kul = localize(AuthProtocol::Sha1, &ku, &engine_id);
/// assert_eq!(kul.as_bytes()[..4], [0x66, 0x95, 0xfe, 0xbc]);
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
pub fn localize(protocol: AuthProtocol, key: &Key, engine_id: &[u8]) -> LocalizedKey {
    LocalizedKey(localize_bytes(protocol, key.as_bytes(), engine_id))
}

fn localize_bytes(protocol: AuthProtocol, key: &[u8], engine_id: &[u8]) -> KeyBytes {
    with_digest!(protocol, D => hash_parts::<D>(&[key, engine_id, key]))
}

fn hash_parts<D: Digest>(parts: &[&[u8]]) -> KeyBytes {
    let mut hash = D::new();
    for part in parts {
        hash.update(part);
    }
    KeyBytes::new(&hash.finalize()).unwrap_or(KeyBytes::EMPTY)
}

fn check_extension(key: &LocalizedKey, len: usize) -> Result<(), UsmError> {
    if key.is_empty() && len > 0 {
        return Err(UsmError::KeyLength {
            what: "localized key to extend",
            expected: 1,
            found: 0,
        });
    }
    if len > MAX_KEY_LEN {
        return Err(UsmError::KeyLength {
            what: "extended key",
            expected: MAX_KEY_LEN,
            found: len,
        });
    }
    Ok(())
}

/// Extends a localized key to `len` octets as draft-blumenthal-aes-usm-04 section 3.1.2.1
/// does (net-snmp's AES-192 and AES-256): `Kul || H(Kul) || H(Kul || H(Kul)) || ...`, each
/// hash over all the octets so far, truncated to `len`.
///
/// A key already `len` octets long or more is truncated; more than [`MAX_KEY_LEN`], or an
/// empty key, is an error.
///
/// ```
/// use snmp_usm::{AuthProtocol, extend_blumenthal, localize, password_to_key};
///
/// let engine_id = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
/// let kul = localize(AuthProtocol::Sha1, &password_to_key(AuthProtocol::Sha1, b"maplesyrup")?, &engine_id);
/// let aes256 = extend_blumenthal(AuthProtocol::Sha1, &kul, 32)?;
/// assert_eq!(aes256.as_bytes()[..20], *kul.as_bytes());
/// assert_eq!(aes256.as_bytes()[20..24], [0x50, 0x5e, 0x07, 0xeb]);
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
pub fn extend_blumenthal(
    protocol: AuthProtocol,
    key: &LocalizedKey,
    len: usize,
) -> Result<LocalizedKey, UsmError> {
    check_extension(key, len)?;
    let mut out = key.0.clone();
    while out.len < len {
        let next = with_digest!(protocol, D => hash_parts::<D>(&[out.as_slice()]));
        if !out.extend(next.as_slice(), len) {
            break;
        }
    }
    out.truncate(len);
    Ok(LocalizedKey(out))
}

/// Extends a localized key to `len` octets as draft-reeder-snmpv3-usm-3desede-00 section 2.1
/// does (3DES, and the Cisco AES-192 and AES-256): `Kul || localize(password_to_key(Kul))`,
/// the key so far standing for the password each time (as net-snmp and PySNMP do), truncated
/// to `len`.
///
/// Each step costs a 1 MiB hash. A key already `len` octets long or more is truncated; more
/// than [`MAX_KEY_LEN`], or an empty key, is an error.
pub fn extend_reeder(
    protocol: AuthProtocol,
    key: &LocalizedKey,
    engine_id: &[u8],
    len: usize,
) -> Result<LocalizedKey, UsmError> {
    check_extension(key, len)?;
    let mut out = key.0.clone();
    while out.len < len {
        let ku = hash_password(protocol, out.as_slice());
        let next = localize_bytes(protocol, ku.as_slice(), engine_id);
        if !out.extend(next.as_slice(), len) {
            break;
        }
    }
    out.truncate(len);
    Ok(LocalizedKey(out))
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    #[test]
    fn stream_hash_equals_the_naive_one() {
        // The chunked ring buffer hashes the same octets as RFC 3414 A.2's byte loop, for
        // password lengths that divide 1024, do not, and exceed it.
        for len in [8usize, 9, 13, 64, 100, 1024, 1500] {
            let password: Vec<u8> = (0..len)
                .map(|i| u8::try_from(i * 7 % 251).unwrap())
                .collect();
            let mut naive = md5::Md5::new();
            let stream: Vec<u8> = password
                .iter()
                .copied()
                .cycle()
                .take(PASSWORD_STREAM_LEN)
                .collect();
            naive.update(&stream);
            let fast = stream_hash::<md5::Md5>(&password);
            assert_eq!(fast.as_slice(), naive.finalize().as_slice(), "len {len}");
        }
    }

    #[test]
    fn short_and_empty_passwords_are_refused() {
        for pw in [&b""[..], b"1234567"] {
            assert_eq!(
                password_to_key(AuthProtocol::Sha1, pw).unwrap_err(),
                UsmError::PasswordTooShort { len: pw.len() }
            );
        }
        assert!(password_to_key(AuthProtocol::Sha1, b"12345678").is_ok());
    }

    #[test]
    fn debug_shows_no_key_material() {
        let k = Key::from_bytes(&[0xab; 16]).unwrap();
        assert_eq!(format!("{k:?}"), "Key { len: 16, .. }");
        let k = LocalizedKey::from_bytes(&[0xab; 20]).unwrap();
        assert_eq!(format!("{k:?}"), "LocalizedKey { len: 20, .. }");
        assert!(!format!("{k:#?}").contains("ab"));
    }

    #[test]
    fn raw_keys_are_bounded() {
        assert!(Key::from_bytes(&[0; 64]).is_ok());
        assert_eq!(
            LocalizedKey::from_bytes(&[0; 65]).unwrap_err(),
            UsmError::KeyLength {
                what: "localized key",
                expected: 64,
                found: 65
            }
        );
        let k = LocalizedKey::from_bytes(&[1; 16]).unwrap();
        assert!(extend_blumenthal(AuthProtocol::Md5, &k, 65).is_err());
        let empty = LocalizedKey::from_bytes(&[]).unwrap();
        assert!(extend_blumenthal(AuthProtocol::Md5, &empty, 16).is_err());
        assert!(extend_reeder(AuthProtocol::Md5, &empty, b"e", 16).is_err());
        assert!(
            extend_reeder(AuthProtocol::Md5, &empty, b"e", 0)
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            extend_blumenthal(AuthProtocol::Md5, &k, 64).unwrap().len(),
            64
        );
        assert_eq!(
            extend_blumenthal(AuthProtocol::Md5, &k, 8)
                .unwrap()
                .as_bytes(),
            [1; 8]
        );
    }

    #[test]
    fn key_bytes_are_wiped() {
        let mut k = KeyBytes::new(&[0x5a; 32]).unwrap();
        k.truncate(8);
        assert_eq!(k.buf[8..], [0; 56]);
        k.zeroize();
        assert_eq!((k.buf, k.len), ([0; 64], 0));
    }
}
