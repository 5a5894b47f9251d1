//! Key change: the KeyChange textual convention of RFC 3414 section 5, the syntax of
//! `usmUserAuthKeyChange`, `usmUserPrivKeyChange` and their `Own` forms.
//!
//! A manager changes a user's localized key `K` to `keyNew` by setting a value `random ||
//! delta`: `delta` is `keyNew` XOR-ed with the stream `H(K || random)`, `H(H(K || random) ||
//! random)`, ..., so that only a holder of `K` can recover `keyNew`. `H` is the hash of the
//! user's authentication protocol, for the privacy key too.

use alloc::vec::Vec;

use sha2::Digest;
use zeroize::Zeroize;

use crate::protocol::with_digest;
use crate::{AuthProtocol, MAX_KEY_LEN, UsmError};

/// The KeyChange value that changes the localized key `old_key` to `new_key` (RFC 3414
/// section 5): `random || delta`, twice the key's length.
///
/// `protocol` is the user's authentication protocol, whose hash is used for the privacy key
/// as well. `random` comes from the caller (this crate draws no random numbers); it must be
/// fresh for each change, and as long as the key. The two keys must have the same length,
/// from 1 to [`MAX_KEY_LEN`] octets, which may be more than the hash's output (a 32-octet
/// AES-256 key of a SHA-1 user): the hash is then iterated as the RFC specifies, its last
/// output truncated. Any other length is an error.
///
/// ```
/// use snmp_usm::{AuthProtocol, apply_key_change, key_change};
///
/// // RFC 3414 A.5.1: "maplesyrup" changed to "newsyrup" at the engine 00..02, with MD5.
/// let old_key = [
///     0x52, 0x6f, 0x5e, 0xed, 0x9f, 0xcc, 0xe2, 0x6f, 0x89, 0x64, 0xc2, 0x93, 0x07, 0x87, 0xd8, 0x2b,
/// ];
/// let new_key = [
///     0x87, 0x02, 0x1d, 0x7b, 0xd9, 0xd1, 0x01, 0xba, 0x05, 0xea, 0x6e, 0x3b, 0xf9, 0xd9, 0xbd, 0x4a,
/// ];
/// let random = [0; 16]; // "not so good, but easy to test"
/// let value = key_change(AuthProtocol::Md5, &old_key, &new_key, &random)?;
/// assert_eq!(value[..16], random);
/// assert_eq!(value[16..20], [0x88, 0x05, 0x61, 0x51]);
/// // The agent, which holds the old key, recovers the new one.
/// assert_eq!(apply_key_change(AuthProtocol::Md5, &old_key, &value)?, new_key);
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
pub fn key_change(
    protocol: AuthProtocol,
    old_key: &[u8],
    new_key: &[u8],
    random: &[u8],
) -> Result<Vec<u8>, UsmError> {
    check_key(old_key)?;
    let n = old_key.len();
    if new_key.len() != n {
        return Err(UsmError::KeyLength {
            what: "new key",
            expected: n,
            found: new_key.len(),
        });
    }
    if random.len() != n {
        return Err(UsmError::KeyLength {
            what: "keyChange random component",
            expected: n,
            found: random.len(),
        });
    }
    // Allocated once at its final size, so that no reallocation leaves a copy behind.
    let mut value = Vec::with_capacity(2 * n);
    value.extend_from_slice(random);
    with_digest!(protocol, D => xor_stream::<D>(old_key, random, new_key, &mut value));
    Ok(value)
}

/// The new localized key that the KeyChange value `key_change` sets when the current key is
/// `old_key` (RFC 3414 section 5, the receiver side): what an agent does when
/// `usmUserAuthKeyChange` or `usmUserPrivKeyChange` is set.
///
/// `protocol` is the user's authentication protocol. `key_change` must be exactly twice as
/// long as `old_key` (its random component as long as the key, and so its delta: the keys of
/// every USM protocol have a fixed length); any other length, or an `old_key` that is empty or
/// longer than [`MAX_KEY_LEN`], is an error. The new key is as long as the old one.
///
/// A value computed from another old key gives another new key, and nothing tells: the caller
/// must check that the new key works before dropping the old one (the RFC's advice).
pub fn apply_key_change(
    protocol: AuthProtocol,
    old_key: &[u8],
    key_change: &[u8],
) -> Result<Vec<u8>, UsmError> {
    check_key(old_key)?;
    let n = old_key.len();
    let (Some(random), Some(delta)) = (key_change.get(..n), key_change.get(n..)) else {
        return Err(wrong_value_len(n, key_change.len()));
    };
    if delta.len() != n {
        return Err(wrong_value_len(n, key_change.len()));
    }
    let mut new_key = Vec::with_capacity(n);
    with_digest!(protocol, D => xor_stream::<D>(old_key, random, delta, &mut new_key));
    Ok(new_key)
}

/// A key that KeyChange can change: 1 to [`MAX_KEY_LEN`] octets.
fn check_key(key: &[u8]) -> Result<(), UsmError> {
    let expected = match key.len() {
        0 => 1,
        n if n > MAX_KEY_LEN => MAX_KEY_LEN,
        _ => return Ok(()),
    };
    Err(UsmError::KeyLength {
        what: "key to change",
        expected,
        found: key.len(),
    })
}

fn wrong_value_len(key_len: usize, found: usize) -> UsmError {
    UsmError::KeyLength {
        what: "keyChange value",
        expected: 2 * key_len,
        found,
    }
}

/// Appends `data` XOR-ed with the KeyChange stream of `old_key` and `random` to `out`.
///
/// The stream is RFC 3414 section 5's: `temp` starts as the old key, and for each block of
/// `data` (one digest long, the last one shorter if need be) `temp = H(temp || random)` and
/// the block is XOR-ed with `temp`, truncated to the block. The encoding (`data` = the new
/// key) and the decoding (`data` = the delta) are the same operation.
fn xor_stream<D: Digest>(old_key: &[u8], random: &[u8], data: &[u8], out: &mut Vec<u8>) {
    let mut hash = D::new();
    hash.update(old_key);
    let mut blocks = data.chunks(<D as Digest>::output_size()).peekable();
    while let Some(block) = blocks.next() {
        hash.update(random);
        let mut temp = core::mem::replace(&mut hash, D::new()).finalize();
        out.extend(block.iter().zip(temp.iter()).map(|(d, t)| d ^ t));
        // The next block's hash starts with this one's digest.
        if blocks.peek().is_some() {
            hash.update(&temp);
        }
        temp.as_mut_slice().zeroize();
    }
}

#[cfg(test)]
mod tests {
    use alloc::vec;

    use super::*;
    use crate::{extend_blumenthal, localize, password_to_key};

    fn hex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
        s.chunks(2)
            .map(|pair| u8::from_str_radix(core::str::from_utf8(pair).unwrap(), 16).unwrap())
            .collect()
    }

    /// RFC 3414 A.3's engine ID.
    const ENGINE_ID: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    /// The localized keys of "maplesyrup" and "newsyrup" (RFC 3414 A.3 and A.5, and
    /// `vectors.txt` of the shared directory, sections 1 to 3).
    fn rfc_keys(protocol: AuthProtocol) -> (Vec<u8>, Vec<u8>) {
        match protocol {
            AuthProtocol::Md5 => (
                hex("52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b"),
                hex("87 02 1d 7b d9 d1 01 ba 05 ea 6e 3b f9 d9 bd 4a"),
            ),
            AuthProtocol::Sha1 => (
                hex("66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f"),
                hex("78 e2 dc ce 79 d5 94 03 b5 8c 1b ba a5 bf f4 63 91 f1 cd 25"),
            ),
            other => panic!("no RFC 3414 keys for {other}"),
        }
    }

    /// RFC 3414 A.5.1: MD5, authentication key (and privacy key: "exactly the same").
    #[test]
    fn rfc3414_a51_md5() {
        let (old, new) = rfc_keys(AuthProtocol::Md5);
        let expected = hex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
             88 05 61 51 41 67 6c c9 19 61 74 e7 42 a3 25 51");
        assert_eq!(
            key_change(AuthProtocol::Md5, &old, &new, &[0; 16]).unwrap(),
            expected
        );
        assert_eq!(
            apply_key_change(AuthProtocol::Md5, &old, &expected).unwrap(),
            new
        );
    }

    /// RFC 3414 A.5.2: SHA, authentication key (20 octets).
    #[test]
    fn rfc3414_a52_sha_auth() {
        let (old, new) = rfc_keys(AuthProtocol::Sha1);
        let expected = hex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
             9c 10 17 f4 fd 48 3d 2d e8 d5 fa db f8 43 92 cb 06 45 70 51");
        assert_eq!(
            key_change(AuthProtocol::Sha1, &old, &new, &[0; 20]).unwrap(),
            expected
        );
        assert_eq!(
            apply_key_change(AuthProtocol::Sha1, &old, &expected).unwrap(),
            new
        );
    }

    /// RFC 3414 A.5.2: SHA, DES privacy key: the keys truncated to 16 octets, and so the
    /// digest truncated to the delta.
    #[test]
    fn rfc3414_a52_sha_des_privacy() {
        let (old, new) = rfc_keys(AuthProtocol::Sha1);
        let expected = hex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
             7e f8 d8 a4 c9 cd b2 6b 47 59 1c d8 52 ff 88 b5");
        assert_eq!(
            key_change(AuthProtocol::Sha1, &old[..16], &new[..16], &[0; 16]).unwrap(),
            expected
        );
        assert_eq!(
            apply_key_change(AuthProtocol::Sha1, &old[..16], &expected).unwrap(),
            new[..16]
        );
    }

    /// The RFC's keys come from the passwords: A.5's new localized keys are those of
    /// "newsyrup" (vectors.txt section 3), and they come out of `apply_key_change`.
    #[test]
    fn rfc3414_a5_keys_from_passwords() {
        for p in [AuthProtocol::Md5, AuthProtocol::Sha1] {
            let (old, new) = rfc_keys(p);
            let kul = |pw: &[u8]| {
                localize(p, &password_to_key(p, pw).unwrap(), &ENGINE_ID)
                    .as_bytes()
                    .to_vec()
            };
            assert_eq!(kul(b"maplesyrup"), old, "{p}");
            assert_eq!(kul(b"newsyrup"), new, "{p}");
            let random: Vec<u8> = (0..old.len()).map(|i| u8::try_from(i).unwrap()).collect();
            let value = key_change(p, &old, &new, &random).unwrap();
            assert_eq!(apply_key_change(p, &old, &value).unwrap(), new, "{p}");
        }
    }

    /// Keys longer than the digest: the hash is iterated over `temp || random`. The expected
    /// values were computed with Python's hashlib, following the RFC's pseudo-code.
    #[test]
    fn keys_longer_than_the_digest() {
        // SHA-1 user, AES-256 (Blumenthal) privacy keys of "maplesyrup" and "newsyrup":
        // 20 + 12 octets.
        let (old20, new20) = rfc_keys(AuthProtocol::Sha1);
        let extend = |k: &[u8]| {
            let k = crate::LocalizedKey::from_bytes(k).unwrap();
            extend_blumenthal(AuthProtocol::Sha1, &k, 32)
                .unwrap()
                .as_bytes()
                .to_vec()
        };
        let (old, new) = (extend(&old20), extend(&new20));
        assert_eq!(
            old,
            hex("6695febc9288e36282235fc7151f128497b38f3f505e07eb9af25568fa1f5dbe")
        );
        let random: Vec<u8> = (0x20..0x40).collect();
        let value = key_change(AuthProtocol::Sha1, &old, &new, &random).unwrap();
        assert_eq!(
            value[32..],
            hex("b4a6bf49c1e9051dbcbb0411737a36684b09467e3d22ef834b53b1750c2c1655")
        );
        assert_eq!(
            apply_key_change(AuthProtocol::Sha1, &old, &value).unwrap(),
            new
        );

        // MD5 with 64-octet keys: four full blocks; SHA-256 with 40: one and a quarter.
        let old: Vec<u8> = (0..64).collect();
        let new: Vec<u8> = (64..128).collect();
        let random: Vec<u8> = (128..192).collect();
        let value = key_change(AuthProtocol::Md5, &old, &new, &random).unwrap();
        assert_eq!(
            value[64..],
            hex(
                "7772db7addc0340974addfbfb2d9dd2a3a1a4ca56e067fe45686b1c325d15b9e
                 7e86b234cab97c4e6b80d1d9a88e5062e59ef17144af2c8f36857bc029653919"
            )
        );
        let value =
            key_change(AuthProtocol::Sha256, &old[..40], &new[..40], &random[..40]).unwrap();
        assert_eq!(
            value[40..],
            hex("adc688047082ad1013ede11913012f50fdf2996bad6ce2fe99abe2a987aa26f0aad243ee2f42bfec")
        );
    }

    /// The RFC's pseudo-code, transcribed literally, as an independent reference.
    fn reference(protocol: AuthProtocol, old: &[u8], new: &[u8], random: &[u8]) -> Vec<u8> {
        let h = |a: &[u8], b: &[u8]| -> Vec<u8> {
            with_digest!(protocol, D => {
                let mut d = D::new();
                d.update(a);
                d.update(b);
                d.finalize().to_vec()
            })
        };
        let l = protocol.key_len();
        let len = new.len();
        let iterations = (len - 1) / l;
        let mut delta = vec![0; len];
        let mut temp = old.to_vec();
        let mut i = 0;
        while i < iterations {
            temp = h(&temp, random);
            for j in 0..l {
                delta[i * l + j] = temp[j] ^ new[i * l + j];
            }
            i += 1;
        }
        temp = h(&temp, random);
        for j in i * l..len {
            delta[j] = temp[j - i * l] ^ new[j];
        }
        let mut out = random.to_vec();
        out.extend_from_slice(&delta);
        out
    }

    #[test]
    fn every_protocol_and_length_matches_the_reference_and_round_trips() {
        for p in AuthProtocol::ALL {
            for n in 1..=MAX_KEY_LEN {
                let old: Vec<u8> = (0..n).map(|i| u8::try_from(i * 3 % 256).unwrap()).collect();
                let new: Vec<u8> = (0..n).map(|i| u8::try_from(255 - i).unwrap()).collect();
                let random: Vec<u8> = (0..n).map(|i| u8::try_from(i * 7 % 256).unwrap()).collect();
                let value = key_change(p, &old, &new, &random).unwrap();
                assert_eq!(value, reference(p, &old, &new, &random), "{p} {n}");
                assert_eq!(apply_key_change(p, &old, &value).unwrap(), new, "{p} {n}");
                // Another old key gives another key, of the same length.
                let mut other = old.clone();
                other[n - 1] ^= 1;
                let wrong = apply_key_change(p, &other, &value).unwrap();
                assert_eq!(wrong.len(), n);
                assert_ne!(wrong, new, "{p} {n}");
            }
        }
    }

    #[test]
    fn protocols_differ() {
        let (old, new) = rfc_keys(AuthProtocol::Md5);
        let md5 = key_change(AuthProtocol::Md5, &old, &new, &[1; 16]).unwrap();
        let sha = key_change(AuthProtocol::Sha1, &old, &new, &[1; 16]).unwrap();
        assert_ne!(md5, sha);
    }

    #[test]
    fn wrong_lengths_are_errors() {
        let p = AuthProtocol::Sha1;
        let key = [7u8; 20];
        assert_eq!(
            key_change(p, &key, &key[..16], &key),
            Err(UsmError::KeyLength {
                what: "new key",
                expected: 20,
                found: 16
            })
        );
        assert_eq!(
            key_change(p, &key, &key, &key[..19]),
            Err(UsmError::KeyLength {
                what: "keyChange random component",
                expected: 20,
                found: 19
            })
        );
        assert_eq!(
            key_change(p, &[], &[], &[]),
            Err(UsmError::KeyLength {
                what: "key to change",
                expected: 1,
                found: 0
            })
        );
        let long = [0u8; MAX_KEY_LEN + 1];
        assert_eq!(
            key_change(p, &long, &long, &long),
            Err(UsmError::KeyLength {
                what: "key to change",
                expected: MAX_KEY_LEN,
                found: MAX_KEY_LEN + 1
            })
        );
        assert!(apply_key_change(p, &long, &[0; 2 * MAX_KEY_LEN + 2]).is_err());
        assert!(apply_key_change(p, &[], &[]).is_err());
        let value = key_change(p, &key, &key, &key).unwrap();
        for len in [0, 1, 19, 20, 21, 39, 41, 80] {
            let mut v = value.clone();
            v.resize(len, 0);
            assert_eq!(
                apply_key_change(p, &key, &v),
                Err(UsmError::KeyLength {
                    what: "keyChange value",
                    expected: 40,
                    found: len
                }),
                "{len}"
            );
        }
    }
}

#[cfg(all(test, feature = "std"))]
mod proptests {
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::*;

    /// A protocol, and an old key, a new key and a random component of one length.
    fn inputs() -> impl Strategy<Value = (AuthProtocol, Vec<u8>, Vec<u8>, Vec<u8>)> {
        (
            proptest::sample::select(AuthProtocol::ALL.to_vec()),
            1..=MAX_KEY_LEN,
        )
            .prop_flat_map(|(p, n)| {
                let key = || proptest::collection::vec(any::<u8>(), n);
                (Just(p), key(), key(), key())
            })
    }

    proptest! {
        #[test]
        fn round_trip((p, old, new, random) in inputs()) {
            let value = key_change(p, &old, &new, &random).unwrap();
            prop_assert_eq!(value.len(), 2 * old.len());
            prop_assert_eq!(&value[..old.len()], &random[..]);
            prop_assert_eq!(apply_key_change(p, &old, &value).unwrap(), new);
        }

        #[test]
        fn another_old_key_gives_another_key((p, old, new, random) in inputs(), flip in any::<u8>()) {
            let value = key_change(p, &old, &new, &random).unwrap();
            let mut other = old.clone();
            other[usize::from(flip) % old.len()] ^= flip | 1;
            prop_assert_ne!(apply_key_change(p, &other, &value).unwrap(), new);
        }

        #[test]
        fn any_value_is_applied_or_refused(p in proptest::sample::select(AuthProtocol::ALL.to_vec()),
                                           old in proptest::collection::vec(any::<u8>(), 0..70),
                                           value in proptest::collection::vec(any::<u8>(), 0..140)) {
            match apply_key_change(p, &old, &value) {
                Ok(new) => {
                    prop_assert_eq!(new.len(), old.len());
                    prop_assert_eq!(value.len(), 2 * old.len());
                }
                Err(UsmError::KeyLength { .. }) => {
                    prop_assert!(old.is_empty() || old.len() > MAX_KEY_LEN || value.len() != 2 * old.len());
                }
                Err(e) => prop_assert!(false, "unexpected {e}"),
            }
        }
    }
}
