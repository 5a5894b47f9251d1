//! A cache of derived keys, so each 1 MiB password hash is done once.

use alloc::collections::BTreeMap;
use alloc::collections::btree_map::Entry;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroize;

use crate::{
    AuthKey, AuthProtocol, Key, LocalizedKey, PrivKey, PrivProtocol, UsmError, localize,
    password_to_key,
};

/// A password, wiped on drop (the cache's map key).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Password(Vec<u8>);

impl Drop for Password {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// What one password gives under one authentication protocol.
struct Derived {
    master: Key,
    localized: BTreeMap<Vec<u8>, LocalizedKey>,
    privacy: BTreeMap<(Vec<u8>, PrivProtocol), PrivKey>,
}

impl Derived {
    fn localized(&mut self, protocol: AuthProtocol, engine_id: &[u8]) -> &LocalizedKey {
        let master = &self.master;
        self.localized
            .entry(engine_id.to_vec())
            .or_insert_with(|| localize(protocol, master, engine_id))
    }
}

/// Keys derived from passwords, remembered: [`password_to_key`] runs once per password and
/// authentication protocol, [`localize`] once per engine, and the privacy key extension
/// once per engine and privacy protocol.
///
/// A manager talking to many agents with one user, or receiving traps from many engines,
/// pays the 1 MiB hash once instead of once per engine. The passwords are kept, wiped when
/// the cache is cleared or dropped. The cache grows with every engine it is asked about:
/// [`KeyCache::clear`] empties it.
///
/// ```
/// use snmp_usm::{AuthProtocol, KeyCache, PrivProtocol};
///
/// let mut cache = KeyCache::new();
/// for engine_id in [&b"\x80\x00\x1f\x88\x04agent1"[..], b"\x80\x00\x1f\x88\x04agent2"] {
///     // One password hash for both engines.
///     let auth = cache.auth_key(AuthProtocol::Sha256, b"authpassword", engine_id)?;
///     let privacy = cache.priv_key(PrivProtocol::Aes128, AuthProtocol::Sha256, b"privpassword", engine_id)?;
///     # let _ = (auth, privacy);
/// }
/// assert_eq!(cache.len(), 2); // two passwords
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
#[derive(Default)]
pub struct KeyCache {
    users: BTreeMap<(AuthProtocol, Password), Derived>,
    /// How many passwords were hashed (for the tests).
    hashed: usize,
}

impl KeyCache {
    /// An empty cache.
    pub fn new() -> Self {
        Self::default()
    }

    /// [`password_to_key`] of `password` under `protocol`, computed on first use.
    pub fn master_key(
        &mut self,
        protocol: AuthProtocol,
        password: &[u8],
    ) -> Result<&Key, UsmError> {
        Ok(&self.derived(protocol, password)?.master)
    }

    /// `password`'s key under `protocol` localized to `engine_id`, computed on first use.
    pub fn localized_key(
        &mut self,
        protocol: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<&LocalizedKey, UsmError> {
        Ok(self
            .derived(protocol, password)?
            .localized(protocol, engine_id))
    }

    /// The authentication key of `protocol` for `password` at `engine_id`.
    pub fn auth_key(
        &mut self,
        protocol: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<AuthKey, UsmError> {
        let key = self.localized_key(protocol, password, engine_id)?.clone();
        AuthKey::new(protocol, key)
    }

    /// The privacy key of `protocol` for the privacy password `password` of a user whose
    /// authentication protocol is `auth`, at `engine_id` (see [`PrivKey::new`]).
    pub fn priv_key(
        &mut self,
        protocol: PrivProtocol,
        auth: AuthProtocol,
        password: &[u8],
        engine_id: &[u8],
    ) -> Result<PrivKey, UsmError> {
        let derived = self.derived(auth, password)?;
        let id = (engine_id.to_vec(), protocol);
        if let Some(key) = derived.privacy.get(&id) {
            return Ok(key.clone());
        }
        let key = PrivKey::new(
            protocol,
            auth,
            derived.localized(auth, engine_id),
            engine_id,
        )?;
        derived.privacy.insert(id, key.clone());
        Ok(key)
    }

    /// How many (password, authentication protocol) pairs the cache holds.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }

    /// Forgets every key and password.
    pub fn clear(&mut self) {
        self.users.clear();
    }

    fn derived(
        &mut self,
        protocol: AuthProtocol,
        password: &[u8],
    ) -> Result<&mut Derived, UsmError> {
        match self.users.entry((protocol, Password(password.to_vec()))) {
            Entry::Occupied(e) => Ok(e.into_mut()),
            Entry::Vacant(e) => {
                let master = password_to_key(protocol, password)?;
                self.hashed += 1;
                Ok(e.insert(Derived {
                    master,
                    localized: BTreeMap::new(),
                    privacy: BTreeMap::new(),
                }))
            }
        }
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyCache")
            .field("passwords", &self.users.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use alloc::format;

    use super::*;

    #[test]
    fn hashes_each_password_once() {
        let mut cache = KeyCache::new();
        let a = cache
            .auth_key(AuthProtocol::Md5, b"maplesyrup", b"engine-1")
            .unwrap();
        let b = cache
            .auth_key(AuthProtocol::Md5, b"maplesyrup", b"engine-2")
            .unwrap();
        assert_ne!(a.key().as_bytes(), b.key().as_bytes());
        let p = cache
            .priv_key(
                PrivProtocol::Des,
                AuthProtocol::Md5,
                b"maplesyrup",
                b"engine-1",
            )
            .unwrap();
        assert_eq!(p.protocol(), PrivProtocol::Des);
        assert_eq!(cache.hashed, 1);
        assert_eq!(
            cache
                .users
                .values()
                .map(|d| d.localized.len())
                .sum::<usize>(),
            2
        );
        // Another protocol is another hash.
        cache.master_key(AuthProtocol::Sha1, b"maplesyrup").unwrap();
        assert_eq!((cache.hashed, cache.len()), (2, 2));
        // The same answers as without the cache.
        let direct = AuthKey::from_password(AuthProtocol::Md5, b"maplesyrup", b"engine-2").unwrap();
        assert_eq!(direct.key().as_bytes(), b.key().as_bytes());
        cache.clear();
        assert!(cache.is_empty());
    }

    #[test]
    fn reeder_keys_are_cached() {
        let mut cache = KeyCache::new();
        for _ in 0..3 {
            cache
                .priv_key(
                    PrivProtocol::TripleDes,
                    AuthProtocol::Md5,
                    b"maplesyrup",
                    b"engine",
                )
                .unwrap();
        }
        assert_eq!(
            cache.users.values().map(|d| d.privacy.len()).sum::<usize>(),
            1
        );
    }

    #[test]
    fn short_passwords_are_not_cached() {
        let mut cache = KeyCache::new();
        assert_eq!(
            cache.master_key(AuthProtocol::Md5, b"short").unwrap_err(),
            UsmError::PasswordTooShort { len: 5 }
        );
        assert!(cache.is_empty());
        assert_eq!(format!("{cache:?}"), "KeyCache { passwords: 0, .. }");
    }
}
