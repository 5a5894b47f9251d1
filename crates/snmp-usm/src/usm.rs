//! The User-based Security Model's message processing (RFC 3414 section 3): the user table,
//! the timeliness rules, engine discovery, the usmStats counters, and the two service calls
//! of RFC 3411 that an engine makes: [`Usm::process_incoming`] and [`Usm::generate`].
//!
//! Sans-IO: time comes in as `now`, the salt counter's start from the caller.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use std::collections::HashMap;
use std::time::Instant;

use bytes::Bytes;
use snmp_ber::{DecodeError, DecodeOptions, Decoder, EncodeError};
use snmp_mpm::{
    EngineId, HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, SecurityIncoming,
    SecurityLevel, SecurityModel, V3Message,
};
use snmp_smi::{Oid, Value, VarBind, oid};

use crate::{
    AuthKey, AuthProtocol, Key, LocalizedKey, PrivKey, PrivProtocol, UsmError,
    UsmSecurityParameters, localize, password_to_key,
};

/// `msgSecurityModel` of USM (RFC 3411 `SnmpSecurityModel`).
pub const USM_SECURITY_MODEL: i32 = 3;

/// The time window of RFC 3414 section 3.2 step 7: 150 seconds.
pub const TIME_WINDOW: u32 = 150;

/// The largest snmpEngineBoots and snmpEngineTime (RFC 3414 section 2.2.2).
pub const MAX_BOOTS: u32 = 2_147_483_647;

/// `usmStats` (SNMP-USER-BASED-SM-MIB): the counters of messages USM refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct UsmStats {
    /// `usmStatsUnsupportedSecLevels` (.1).
    pub unsupported_sec_levels: u32,
    /// `usmStatsNotInTimeWindows` (.2).
    pub not_in_time_windows: u32,
    /// `usmStatsUnknownUserNames` (.3).
    pub unknown_user_names: u32,
    /// `usmStatsUnknownEngineIDs` (.4).
    pub unknown_engine_ids: u32,
    /// `usmStatsWrongDigests` (.5).
    pub wrong_digests: u32,
    /// `usmStatsDecryptionErrors` (.6).
    pub decryption_errors: u32,
}

/// Why USM refused an incoming message (RFC 3414 section 3.2). Each but `Parse` has a
/// usmStats counter and the Report that carries it ([`Usm::report_varbind`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UsmFailure {
    /// The security parameters or the decrypted scoped PDU are not valid BER (the engine
    /// counts `snmpInASNParseErrs`).
    Parse(DecodeError),
    /// `unsupportedSecurityLevel`: the user has no key for the level asked.
    UnsupportedSecLevel,
    /// `notInTimeWindow`: the message is too old, or from another boot.
    NotInTimeWindow,
    /// `unknownSecurityName`: no such user for this engine.
    UnknownUserName,
    /// `unknownEngineID`: the authoritative engine is not known (discovery).
    UnknownEngineId,
    /// `authenticationFailure`: the MAC is wrong.
    WrongDigest,
    /// `decryptionError`: the scoped PDU does not decrypt.
    DecryptionError,
}

impl fmt::Display for UsmFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Parse(e) => write!(f, "malformed USM message: {e}"),
            Self::UnsupportedSecLevel => f.write_str("unsupported security level"),
            Self::NotInTimeWindow => f.write_str("not in time window"),
            Self::UnknownUserName => f.write_str("unknown user name"),
            Self::UnknownEngineId => f.write_str("unknown engine ID"),
            Self::WrongDigest => f.write_str("wrong digest"),
            Self::DecryptionError => f.write_str("decryption error"),
        }
    }
}

impl core::error::Error for UsmFailure {}

impl UsmFailure {
    /// The usmStats counter's instance OID (`usmStats.n.0`), for the Report.
    pub fn counter_oid(&self) -> Option<Oid> {
        let n = match self {
            Self::Parse(_) => return None,
            Self::UnsupportedSecLevel => 1,
            Self::NotInTimeWindow => 2,
            Self::UnknownUserName => 3,
            Self::UnknownEngineId => 4,
            Self::WrongDigest => 5,
            Self::DecryptionError => 6,
        };
        oid!(1, 3, 6, 1, 6, 3, 15, 1, 1).extend(&[n, 0]).ok()
    }
}

/// A USM user, as `createUser` configures one: a name, and optionally an authentication and a
/// privacy protocol with their passwords (hashed once, here) or master keys.
///
/// ```
/// use snmp_usm::{AuthProtocol, PrivProtocol, UsmUser};
///
/// let user = UsmUser::new("admin")
///     .with_auth(AuthProtocol::Sha256, b"authpassword")?
///     .with_privacy(PrivProtocol::Aes128, b"privpassword")?;
/// assert!(user.supports(snmp_mpm::SecurityLevel::AuthPriv));
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
#[derive(Clone)]
pub struct UsmUser {
    name: Bytes,
    engine: Option<EngineId>,
    auth: Option<(AuthProtocol, Secret)>,
    privacy: Option<(PrivProtocol, Secret)>,
}

/// A key as configured: a master key (`Ku`, from a password), localized for each engine;
/// or a key already localized for the user's one engine (authentication: `Kul`; privacy:
/// the key the cipher uses, extended as the protocol requires), as usmUserTable's clone and
/// KeyChange operations leave them.
#[derive(Clone)]
enum Secret {
    Master(Key),
    Localized(LocalizedKey),
}

/// A user's keys at one engine, as usmUserTable holds them (RFC 3414 section 5): the
/// localized authentication key, and the privacy key the cipher uses (localized, then
/// extended to [`PrivProtocol::key_len`] octets as the protocol requires). Their lengths are
/// those of the KeyChange values that change them. `Debug` shows the protocols only.
#[derive(Clone)]
#[non_exhaustive]
pub struct LocalizedUserKeys {
    /// The authentication protocol and localized key.
    pub auth: Option<(AuthProtocol, LocalizedKey)>,
    /// The privacy protocol and key (needs `auth`).
    pub privacy: Option<(PrivProtocol, LocalizedKey)>,
}

impl LocalizedUserKeys {
    /// Keys for a user with these protocols and keys.
    pub fn new(
        auth: Option<(AuthProtocol, LocalizedKey)>,
        privacy: Option<(PrivProtocol, LocalizedKey)>,
    ) -> Self {
        Self { auth, privacy }
    }
}

impl fmt::Debug for LocalizedUserKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalizedUserKeys")
            .field("auth", &self.auth.as_ref().map(|a| a.0))
            .field("privacy", &self.privacy.as_ref().map(|p| p.0))
            .finish()
    }
}

impl fmt::Debug for UsmUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsmUser")
            .field("name", &self.name)
            .field("engine", &self.engine)
            .field("auth", &self.auth.as_ref().map(|a| a.0))
            .field("privacy", &self.privacy.as_ref().map(|p| p.0))
            .finish()
    }
}

impl UsmUser {
    /// A user with no authentication and no privacy (noAuthNoPriv only).
    pub fn new(name: impl Into<Bytes>) -> Self {
        Self {
            name: name.into(),
            engine: None,
            auth: None,
            privacy: None,
        }
    }

    /// Adds authentication with a password (hashed now, RFC 3414 A.2).
    pub fn with_auth(self, protocol: AuthProtocol, password: &[u8]) -> Result<Self, UsmError> {
        let key = password_to_key(protocol, password)?;
        Ok(self.with_auth_key(protocol, key))
    }

    /// Adds authentication with a master key (`Ku`, net-snmp's `-3m`).
    pub fn with_auth_key(mut self, protocol: AuthProtocol, key: Key) -> Self {
        self.auth = Some((protocol, Secret::Master(key)));
        self
    }

    /// Adds privacy with a password, hashed with the authentication protocol (RFC 3414 2.6):
    /// call [`with_auth`](Self::with_auth) first.
    pub fn with_privacy(self, protocol: PrivProtocol, password: &[u8]) -> Result<Self, UsmError> {
        let auth = self.auth_protocol().ok_or(UsmError::KeyLength {
            what: "privacy without authentication",
            expected: 1,
            found: 0,
        })?;
        let key = password_to_key(auth, password)?;
        Ok(self.with_privacy_key(protocol, key))
    }

    /// Adds privacy with a master key.
    pub fn with_privacy_key(mut self, protocol: PrivProtocol, key: Key) -> Self {
        self.privacy = Some((protocol, Secret::Master(key)));
        self
    }

    /// A user of the engine `engine` with keys already localized to it (usmUserTable's
    /// rows made by cloning, or changed by KeyChange).
    pub fn with_localized_keys(
        name: impl Into<Bytes>,
        engine: EngineId,
        keys: LocalizedUserKeys,
    ) -> Self {
        Self {
            name: name.into(),
            engine: Some(engine),
            auth: keys.auth.map(|(p, k)| (p, Secret::Localized(k))),
            privacy: keys.privacy.map(|(p, k)| (p, Secret::Localized(k))),
        }
    }

    /// The user's keys at `engine_id` (RFC 3414 2.6; for privacy, extended).
    ///
    /// # Errors
    /// A key of the wrong length for its protocol.
    pub fn localized_keys(&self, engine_id: &[u8]) -> Result<LocalizedUserKeys, UsmError> {
        let auth = match &self.auth {
            Some((p, Secret::Master(ku))) => Some((*p, localize(*p, ku, engine_id))),
            Some((p, Secret::Localized(k))) => Some((*p, k.clone())),
            None => None,
        };
        let privacy = match (&self.privacy, &self.auth) {
            (Some((p, Secret::Master(ku))), Some((a, _))) => {
                let localized = localize(*a, ku, engine_id);
                Some((
                    *p,
                    crate::privacy::extend_key(*p, *a, &localized, engine_id)?,
                ))
            }
            (Some((p, Secret::Localized(k))), _) => Some((*p, k.clone())),
            _ => None,
        };
        Ok(LocalizedUserKeys { auth, privacy })
    }

    /// Binds the user to one authoritative engine (`createUser -e ENGINEID`), as a
    /// notification receiver does for each sender of SNMPv3 traps. Unbound users serve every
    /// engine: the local one, and the remote ones a manager talks to.
    pub fn for_engine(mut self, engine: EngineId) -> Self {
        self.engine = Some(engine);
        self
    }

    /// The user name.
    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// The authentication protocol, if any.
    pub fn auth_protocol(&self) -> Option<AuthProtocol> {
        self.auth.as_ref().map(|a| a.0)
    }

    /// The privacy protocol, if any.
    pub fn priv_protocol(&self) -> Option<PrivProtocol> {
        self.privacy.as_ref().map(|p| p.0)
    }

    /// The engine the user is bound to (`createUser -e`), or `None` for a user of any
    /// engine (localized to each engine it talks to).
    pub fn engine(&self) -> Option<&EngineId> {
        self.engine.as_ref()
    }

    /// Whether the user has the keys for `level`.
    pub fn supports(&self, level: SecurityLevel) -> bool {
        match level {
            SecurityLevel::NoAuthNoPriv => true,
            SecurityLevel::AuthNoPriv => self.auth.is_some(),
            SecurityLevel::AuthPriv => self.auth.is_some() && self.privacy.is_some(),
        }
    }

    /// The user's keys localized for `engine_id` (RFC 3414 2.6).
    fn localize(&self, engine_id: &[u8]) -> Result<LocalizedUser, UsmError> {
        let keys = self.localized_keys(engine_id)?;
        let auth = match keys.auth {
            Some((p, k)) => Some(AuthKey::new(p, k)?),
            None => None,
        };
        let privacy = match keys.privacy {
            Some((p, k)) if auth.is_some() => Some(PrivKey::from_extended_key(p, k.as_bytes())?),
            _ => None,
        };
        Ok(LocalizedUser {
            name: self.name.clone(),
            auth,
            privacy,
        })
    }
}

/// A user's keys for one engine.
#[derive(Clone)]
struct LocalizedUser {
    name: Bytes,
    auth: Option<AuthKey>,
    privacy: Option<PrivKey>,
}

/// What a non-authoritative engine knows of a remote engine's clock (RFC 3414 2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct RemoteClock {
    boots: u32,
    /// snmpEngineTime when `synced_at` was.
    time: u32,
    synced_at: Instant,
    /// `latestReceivedEngineTime`.
    latest: u32,
}

impl RemoteClock {
    fn time_at(&self, now: Instant) -> u32 {
        let elapsed = now.saturating_duration_since(self.synced_at).as_secs();
        u32::try_from(u64::from(self.time) + elapsed)
            .unwrap_or(MAX_BOOTS)
            .min(MAX_BOOTS)
    }
}

/// The User-based Security Model of one SNMP engine.
///
/// ```
/// use std::time::{Duration, Instant};
/// use bytes::Bytes;
/// use snmp_mpm::{HeaderData, Message, MsgFlags, ScopedPdu, SecurityLevel};
/// use snmp_smi::{BasicPdu, Pdu, VarBind, oid};
/// use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};
///
/// let now = Instant::now(); // any instant: time is passed in, never read
/// let user = UsmUser::new("admin")
///     .with_auth(AuthProtocol::Sha256, b"authpassword")?
///     .with_privacy(PrivProtocol::Aes128, b"privpassword")?;
/// let mut agent = Usm::new("0x80001f8804617474".parse()?, 1, now - Duration::from_secs(60), 7);
/// agent.add_user(user.clone());
/// let mut manager = Usm::new("0x80001f88046d6772".parse()?, 1, now, 8);
/// manager.discover_unknown_engines(true).add_user(user);
/// // As if discovered: the agent's engine ID, boots and time.
/// let agent_id = agent.engine_id().to_bytes();
/// manager.set_remote_time(&agent_id, 1, 60, now);
///
/// let request = ScopedPdu {
///     context_engine_id: agent_id.clone(),
///     context_name: Bytes::new(),
///     pdu: Pdu::GetRequest(BasicPdu::new(1, vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))])),
/// };
/// let header = HeaderData { msg_id: 1, max_size: 65507, flags: MsgFlags(MsgFlags::REPORTABLE), security_model: 3 };
/// let name = Bytes::from_static(b"admin");
/// let wire = manager.generate(now, header, &request, &name, &agent_id, SecurityLevel::AuthPriv)?;
///
/// let dec = snmp_ber::Decoder::new(snmp_ber::DecodeOptions::default());
/// let Message::V3(msg) = Message::decode(&dec, &wire)? else { unreachable!() };
/// let incoming = agent.process_incoming(now, &wire, &msg)?;
/// assert_eq!(incoming.level, SecurityLevel::AuthPriv);
/// assert_eq!(incoming.scoped_pdu, request);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Usm {
    engine_id: EngineId,
    boots: u32,
    booted_at: Instant,
    users: HashMap<Bytes, Vec<UsmUser>>,
    localized: HashMap<(Bytes, Bytes), Arc<LocalizedUser>>,
    remote: HashMap<Bytes, RemoteClock>,
    discover_unknown_engines: bool,
    /// Fuzzing only: every MAC passes, decryption is the identity (the no-security provider).
    no_security: bool,
    stats: UsmStats,
    salt: u64,
}

impl fmt::Debug for Usm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Usm")
            .field("engine_id", &self.engine_id)
            .field("boots", &self.boots)
            .field("users", &self.users.len())
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Usm {
    /// USM for the engine `engine_id` in its `boots`th boot, started at `booted_at`;
    /// `salt_seed` starts the privacy salt counter (take it from a random source).
    pub fn new(engine_id: EngineId, boots: u32, booted_at: Instant, salt_seed: u64) -> Self {
        Self {
            engine_id,
            boots: boots.min(MAX_BOOTS),
            booted_at,
            users: HashMap::new(),
            localized: HashMap::new(),
            remote: HashMap::new(),
            discover_unknown_engines: false,
            no_security: false,
            stats: UsmStats::default(),
            salt: salt_seed,
        }
    }

    /// Whether messages from engines not yet known are accepted and their engine learnt
    /// (RFC 3414 3.2 step 3a: what a command generator discovering agents, or a notification
    /// receiver that learns engine IDs, does), or refused with unknownEngineID (3b: the
    /// default, what an authoritative engine does).
    pub fn discover_unknown_engines(&mut self, on: bool) -> &mut Self {
        self.discover_unknown_engines = on;
        self
    }

    /// Fuzzing only (`--cfg fuzzing`): the no-security provider. Every MAC passes, the time
    /// window is not checked, and "decryption" returns the ciphertext, so that a fuzzer reaches
    /// the code after authentication and decryption.
    #[cfg(fuzzing)]
    pub fn dangerous_no_security(&mut self) -> &mut Self {
        self.no_security = true;
        self
    }

    /// Adds a user. Several users of one name may coexist when bound to different engines.
    pub fn add_user(&mut self, user: UsmUser) {
        self.localized.retain(|(_, name), _| *name != user.name);
        let list = self.users.entry(user.name.clone()).or_default();
        list.retain(|u| u.engine != user.engine);
        list.push(user);
    }

    /// The users, in no particular order (a name may have several: one per engine).
    pub fn users(&self) -> impl Iterator<Item = &UsmUser> {
        self.users.values().flatten()
    }

    /// The user `name` that serves `engine_id`: the one bound to it, else the unbound one.
    pub fn find_user(&self, name: &[u8], engine_id: &[u8]) -> Option<&UsmUser> {
        let list = self.users.get(name)?;
        list.iter()
            .find(|u| u.engine.as_ref().is_some_and(|e| e.as_bytes() == engine_id))
            .or_else(|| list.iter().find(|u| u.engine.is_none()))
    }

    /// Every user named `name` (one per engine it is bound to, and the unbound one).
    pub fn users_named(&self, name: &[u8]) -> Vec<UsmUser> {
        self.users.get(name).cloned().unwrap_or_default()
    }

    /// Replaces every user named `name` with `users` (which must all have that name; others
    /// are ignored): what undoing a usmUserTable SET restores.
    pub fn set_users_named(&mut self, name: &[u8], users: Vec<UsmUser>) {
        self.localized.retain(|(_, n), _| n[..] != *name);
        let users: Vec<UsmUser> = users.into_iter().filter(|u| u.name[..] == *name).collect();
        if users.is_empty() {
            self.users.remove(name);
        } else {
            self.users.insert(Bytes::copy_from_slice(name), users);
        }
    }

    /// Removes the users `name` that serve `engine_id` (bound to it, or unbound when
    /// `engine_id` is this engine's); whether there was one.
    pub fn remove_user(&mut self, name: &[u8], engine_id: &[u8]) -> bool {
        let local = *self.engine_id.as_bytes() == *engine_id;
        let Some(list) = self.users.get_mut(name) else {
            return false;
        };
        let before = list.len();
        list.retain(|u| match &u.engine {
            Some(e) => e.as_bytes() != engine_id,
            None => !local,
        });
        let removed = list.len() != before;
        if list.is_empty() {
            self.users.remove(name);
        }
        self.localized.retain(|(_, n), _| n[..] != *name);
        removed
    }

    /// This engine's snmpEngineID.
    pub fn engine_id(&self) -> &EngineId {
        &self.engine_id
    }

    /// snmpEngineBoots.
    pub fn engine_boots(&self) -> u32 {
        self.boots
    }

    /// snmpEngineTime at `now`: seconds since boot, at most 2147483647.
    pub fn engine_time(&self, now: Instant) -> u32 {
        let secs = now.saturating_duration_since(self.booted_at).as_secs();
        u32::try_from(secs).unwrap_or(MAX_BOOTS).min(MAX_BOOTS)
    }

    /// The counters.
    pub fn stats(&self) -> UsmStats {
        self.stats
    }

    /// The remote engine's boots and estimated time at `now`, if known.
    pub fn remote_time(&self, engine_id: &[u8], now: Instant) -> Option<(u32, u32)> {
        self.remote
            .get(engine_id)
            .map(|c| (c.boots, c.time_at(now)))
    }

    /// The binding a Report about `failure` carries: the usmStats counter and its value.
    pub fn report_varbind(&self, failure: &UsmFailure) -> Option<VarBind> {
        let value = match failure {
            UsmFailure::Parse(_) => return None,
            UsmFailure::UnsupportedSecLevel => self.stats.unsupported_sec_levels,
            UsmFailure::NotInTimeWindow => self.stats.not_in_time_windows,
            UsmFailure::UnknownUserName => self.stats.unknown_user_names,
            UsmFailure::UnknownEngineId => self.stats.unknown_engine_ids,
            UsmFailure::WrongDigest => self.stats.wrong_digests,
            UsmFailure::DecryptionError => self.stats.decryption_errors,
        };
        Some(VarBind::new(
            failure.counter_oid()?,
            Value::Counter32(value),
        ))
    }

    fn fail(&mut self, failure: UsmFailure) -> UsmFailure {
        let counter = match failure {
            UsmFailure::Parse(_) => return failure,
            UsmFailure::UnsupportedSecLevel => &mut self.stats.unsupported_sec_levels,
            UsmFailure::NotInTimeWindow => &mut self.stats.not_in_time_windows,
            UsmFailure::UnknownUserName => &mut self.stats.unknown_user_names,
            UsmFailure::UnknownEngineId => &mut self.stats.unknown_engine_ids,
            UsmFailure::WrongDigest => &mut self.stats.wrong_digests,
            UsmFailure::DecryptionError => &mut self.stats.decryption_errors,
        };
        *counter = counter.wrapping_add(1);
        failure
    }

    /// The keys of `name` for `engine_id`, localized once and cached.
    fn user(&mut self, engine_id: &Bytes, name: &Bytes) -> Option<Arc<LocalizedUser>> {
        let key = (engine_id.clone(), name.clone());
        if let Some(u) = self.localized.get(&key) {
            return Some(u.clone());
        }
        let list = self.users.get(name)?;
        let user = list
            .iter()
            .find(|u| {
                u.engine
                    .as_ref()
                    .is_some_and(|e| e.as_bytes() == &engine_id[..])
            })
            .or_else(|| list.iter().find(|u| u.engine.is_none()))?;
        let localized = Arc::new(user.localize(engine_id).ok()?);
        self.localized.insert(key, localized.clone());
        Some(localized)
    }

    fn user_supports(&self, name: &Bytes, level: SecurityLevel, engine_id: &[u8]) -> bool {
        self.users.get(name).is_some_and(|list| {
            list.iter()
                .filter(|u| u.engine.as_ref().is_none_or(|e| e.as_bytes() == engine_id))
                .any(|u| u.supports(level))
        })
    }

    /// processIncomingMsg (RFC 3414 section 3.2) for a decoded SNMPv3 message whose
    /// msgSecurityModel is USM; `whole` is the datagram it was decoded from (zero-copy, so
    /// that the MAC's position in it is known).
    pub fn process_incoming(
        &mut self,
        now: Instant,
        whole: &Bytes,
        msg: &V3Message,
    ) -> Result<SecurityIncoming, UsmFailure> {
        // Step 1: the security parameters.
        let dec = Decoder::new(DecodeOptions::LENIENT);
        let params = UsmSecurityParameters::decode(&dec, &msg.security_parameters)
            .map_err(UsmFailure::Parse)?;
        let level = msg.header.flags.security_level().map_err(|_| {
            UsmFailure::Parse(DecodeError::new(
                0,
                snmp_ber::DecodeErrorKind::InvalidValue { what: "msgFlags" },
            ))
        })?;
        let authoritative = params.engine_id[..] == *self.engine_id.as_bytes();

        // Step 3: the authoritative engine must be known.
        if !authoritative && !self.remote.contains_key(&params.engine_id) {
            let bound = self.users.values().flatten().any(|u| {
                u.engine
                    .as_ref()
                    .is_some_and(|e| e.as_bytes() == &params.engine_id[..])
            });
            if params.engine_id.is_empty() || !(bound || self.discover_unknown_engines) {
                return Err(self.fail(UsmFailure::UnknownEngineId));
            }
            // 3a: learn the engine; its clock stays unknown until an authenticated message.
            self.remote.insert(
                params.engine_id.clone(),
                RemoteClock {
                    boots: 0,
                    time: 0,
                    synced_at: now,
                    latest: 0,
                },
            );
        }

        // Steps 4-5: the user, and its support of the level.
        let scoped_or_cipher = &msg.data;
        // The empty user name is the anonymous noAuthNoPriv user of a discovery Report
        // (RFC 3414 4); an authoritative engine knows only its configured users.
        let anonymous =
            !authoritative && params.user_name.is_empty() && level == SecurityLevel::NoAuthNoPriv;
        let user = match self.user(&params.engine_id, &params.user_name) {
            Some(u) => u,
            None if anonymous => Arc::new(LocalizedUser {
                name: Bytes::new(),
                auth: None,
                privacy: None,
            }),
            None => return Err(self.fail(UsmFailure::UnknownUserName)),
        };
        if !anonymous && !self.user_supports(&params.user_name, level, &params.engine_id) {
            return Err(self.fail(UsmFailure::UnsupportedSecLevel));
        }

        // Step 6: authentication.
        if level != SecurityLevel::NoAuthNoPriv {
            let auth = user
                .auth
                .as_ref()
                .ok_or_else(|| self.fail(UsmFailure::UnsupportedSecLevel));
            let auth = auth?;
            let Some(range) = params.auth_params_range(whole) else {
                return Err(self.fail(UsmFailure::WrongDigest));
            };
            // The message with zeros in place of its MAC, hashed in three parts, not copied.
            const ZEROS: [u8; 64] = [0; 64];
            let parts = (
                whole.get(..range.start),
                ZEROS.get(..range.len()),
                whole.get(range.end..),
            );
            let (Some(before), Some(zeros), Some(after)) = parts else {
                return Err(self.fail(UsmFailure::WrongDigest));
            };
            if !self.no_security
                && auth
                    .verify_parts(&[before, zeros, after], &params.auth_params)
                    .is_err()
            {
                return Err(self.fail(UsmFailure::WrongDigest));
            }
            // Step 7: timeliness, only for authenticated messages.
            if !self.no_security && !self.timely(now, authoritative, &params) {
                return Err(self.fail(UsmFailure::NotInTimeWindow));
            }
        }

        // Step 8: privacy.
        let scoped_pdu = match (level, scoped_or_cipher) {
            (SecurityLevel::AuthPriv, ScopedPduData::Encrypted(cipher)) => {
                let Some(privacy) = user.privacy.as_ref() else {
                    return Err(self.fail(UsmFailure::UnsupportedSecLevel));
                };
                let plain = if self.no_security {
                    cipher.to_vec()
                } else {
                    privacy
                        .decrypt(
                            cipher,
                            &params.priv_params,
                            params.engine_boots,
                            params.engine_time,
                        )
                        .map_err(|_| self.fail(UsmFailure::DecryptionError))?
                };
                let plain = Bytes::from(plain);
                // DES pads to 8 octets: what follows the ScopedPDU is padding.
                let mut r = dec.reader_bytes(&plain);
                ScopedPdu::decode(&mut r).map_err(UsmFailure::Parse)?
            }
            (SecurityLevel::AuthPriv, ScopedPduData::Plaintext(_)) => {
                return Err(self.fail(UsmFailure::DecryptionError));
            }
            (_, ScopedPduData::Plaintext(s)) => s.clone(),
            (_, ScopedPduData::Encrypted(_)) => {
                return Err(UsmFailure::Parse(DecodeError::new(
                    0,
                    snmp_ber::DecodeErrorKind::InvalidValue { what: "msgData" },
                )));
            }
        };
        Ok(SecurityIncoming::new(
            params.engine_id,
            params.user_name,
            level,
            scoped_pdu,
        ))
    }

    /// Step 7 of RFC 3414 3.2: the time window, and the non-authoritative side's clock update.
    fn timely(
        &mut self,
        now: Instant,
        authoritative: bool,
        params: &UsmSecurityParameters,
    ) -> bool {
        if authoritative {
            let local_time = self.engine_time(now);
            return self.boots != MAX_BOOTS
                && params.engine_boots == self.boots
                && params.engine_time.abs_diff(local_time) <= TIME_WINDOW;
        }
        let Some(clock) = self.remote.get_mut(&params.engine_id) else {
            return false;
        };
        // 7b: adopt a newer boot or a later time from an authentic message.
        if params.engine_boots > clock.boots
            || (params.engine_boots == clock.boots && params.engine_time > clock.latest)
        {
            *clock = RemoteClock {
                boots: params.engine_boots,
                time: params.engine_time,
                synced_at: now,
                latest: params.engine_time,
            };
        }
        let estimate = clock.time_at(now);
        !(clock.boots == MAX_BOOTS
            || params.engine_boots < clock.boots
            || (params.engine_boots == clock.boots
                && params.engine_time.saturating_add(TIME_WINDOW) < estimate))
    }

    /// Notes an authoritative engine's clock learnt from an authenticated notInTimeWindow
    /// Report (RFC 3414 4), or resets it.
    pub fn set_remote_time(&mut self, engine_id: &[u8], boots: u32, time: u32, now: Instant) {
        self.remote.insert(
            Bytes::copy_from_slice(engine_id),
            RemoteClock {
                boots,
                time,
                synced_at: now,
                latest: time,
            },
        );
    }

    /// generateRequestMsg / generateResponseMsg (RFC 3414 section 3.1): encodes `scoped` as
    /// an SNMPv3 message from `user_name` with `level`, the authoritative engine being
    /// `engine_id` (this engine for a response, a trap or a report; the remote one for a
    /// request or an inform, with the clock [`Usm`] keeps for it). The msgFlags security bits
    /// of `header` are set from `level`.
    pub fn generate(
        &mut self,
        now: Instant,
        mut header: HeaderData,
        scoped: &ScopedPdu,
        user_name: &Bytes,
        engine_id: &Bytes,
        level: SecurityLevel,
    ) -> Result<Bytes, GenerateError> {
        let (boots, time) = if engine_id[..] == *self.engine_id.as_bytes() {
            (self.boots, self.engine_time(now))
        } else {
            self.remote_time(engine_id, now).unwrap_or((0, 0))
        };
        let user = if level == SecurityLevel::NoAuthNoPriv {
            None
        } else {
            let u = self
                .user(engine_id, user_name)
                .ok_or(GenerateError::UnknownUser)?;
            if !self.user_supports(user_name, level, engine_id) {
                return Err(GenerateError::UnsupportedSecLevel);
            }
            Some(u)
        };
        header.flags = MsgFlags((header.flags.0 & MsgFlags::REPORTABLE) | level.flags());
        header.security_model = USM_SECURITY_MODEL;

        let mut priv_params = Bytes::new();
        let data = match (level, user.as_ref().and_then(|u| u.privacy.as_ref())) {
            (SecurityLevel::AuthPriv, Some(privacy)) => {
                let mut e = snmp_ber::Encoder::new();
                scoped.encode(&mut e).map_err(GenerateError::Encode)?;
                self.salt = self.salt.wrapping_add(1);
                let (cipher, params) = privacy.encrypt(e.as_slice(), boots, time, self.salt);
                priv_params = Bytes::copy_from_slice(&params);
                ScopedPduData::Encrypted(Bytes::from(cipher))
            }
            (SecurityLevel::AuthPriv, None) => return Err(GenerateError::UnsupportedSecLevel),
            _ => ScopedPduData::Plaintext(scoped.clone()),
        };
        let auth = user.as_ref().and_then(|u| u.auth.clone());
        let mac_len = auth.as_ref().map_or(0, |a| a.protocol().mac_len());
        let params = UsmSecurityParameters {
            engine_id: engine_id.clone(),
            engine_boots: boots,
            engine_time: time,
            user_name: user
                .as_ref()
                .map_or_else(|| user_name.clone(), |u| u.name.clone()),
            auth_params: Bytes::from(alloc::vec![0u8; mac_len]),
            priv_params,
        };
        let security_parameters = params.to_bytes().map_err(GenerateError::Encode)?;
        let msg = Message::V3(alloc::boxed::Box::new(V3Message {
            header,
            security_parameters,
            data,
        }));
        let whole = msg.to_bytes().map_err(GenerateError::Encode)?;
        let Some(auth) = auth else { return Ok(whole) };
        // Find the zeroed MAC in our own encoding, sign, and write the MAC there.
        let range = mac_range(&whole).ok_or(GenerateError::Encode(EncodeError::Invalid {
            what: "USM message",
        }))?;
        let mac = auth.sign(&whole);
        let mut out = whole.to_vec();
        if let Some(slot) = out.get_mut(range) {
            slot.copy_from_slice(&mac);
        }
        Ok(Bytes::from(out))
    }
}

/// Where msgAuthenticationParameters lie in an SNMPv3 message: only the header and the
/// security parameters are read, not the (possibly large) scoped PDU after them.
fn mac_range(whole: &Bytes) -> Option<core::ops::Range<usize>> {
    let dec = Decoder::new(DecodeOptions::STRICT);
    let mut r = dec.reader_bytes(whole);
    let mut seq = r.read_tlv(snmp_ber::Tag::SEQUENCE).ok()?;
    seq.read_any().ok()?; // msgVersion
    seq.read_any().ok()?; // msgGlobalData
    let params = seq.read_bytes(snmp_ber::Tag::OCTET_STRING).ok()?;
    UsmSecurityParameters::decode(&dec, &params)
        .ok()?
        .auth_params_range(whole)
}

/// USM as the Security Subsystem's model 3 (RFC 3411 4.4).
impl SecurityModel for Usm {
    type Instant = Instant;
    type Failure = UsmFailure;
    type GenerateError = GenerateError;

    fn security_model(&self) -> i32 {
        USM_SECURITY_MODEL
    }

    fn process_incoming(
        &mut self,
        now: Instant,
        whole: &Bytes,
        msg: &V3Message,
    ) -> Result<SecurityIncoming, UsmFailure> {
        Self::process_incoming(self, now, whole, msg)
    }

    fn report_varbind(&self, failure: &UsmFailure) -> Option<VarBind> {
        Self::report_varbind(self, failure)
    }

    fn generate_request(
        &mut self,
        now: Instant,
        header: HeaderData,
        scoped_pdu: &ScopedPdu,
        security_name: &Bytes,
        engine_id: &Bytes,
        level: SecurityLevel,
    ) -> Result<Bytes, GenerateError> {
        self.generate(now, header, scoped_pdu, security_name, engine_id, level)
    }

    fn generate_response(
        &mut self,
        now: Instant,
        header: HeaderData,
        scoped_pdu: &ScopedPdu,
        security_name: &Bytes,
        level: SecurityLevel,
    ) -> Result<Bytes, GenerateError> {
        let local = self.engine_id.to_bytes();
        self.generate(now, header, scoped_pdu, security_name, &local, level)
    }
}

/// Why [`Usm::generate`] could not build a message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum GenerateError {
    /// No such user for the engine.
    UnknownUser,
    /// The user has no key for the level asked.
    UnsupportedSecLevel,
    /// The message cannot be encoded (too big, out-of-range values).
    Encode(EncodeError),
}

impl fmt::Display for GenerateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownUser => f.write_str("unknown USM user"),
            Self::UnsupportedSecLevel => f.write_str("the user has no key for this security level"),
            Self::Encode(e) => write!(f, "cannot encode the message: {e}"),
        }
    }
}

impl core::error::Error for GenerateError {}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the tests anchor their virtual time at a real instant
mod tests {
    use alloc::vec;
    use std::time::Duration;

    use snmp_mpm::ScopedPdu;
    use snmp_smi::{BasicPdu, Pdu, VarBind, oid};

    use super::*;

    const AGENT: &str = "0x80001f88800102030405060708";

    fn user(privacy: PrivProtocol) -> UsmUser {
        UsmUser::new("admin")
            .with_auth(AuthProtocol::Sha1, b"authpassword")
            .unwrap()
            .with_privacy(privacy, b"privpassword")
            .unwrap()
    }

    fn scoped(request_id: i32) -> ScopedPdu {
        ScopedPdu {
            context_engine_id: Bytes::new(),
            context_name: Bytes::new(),
            pdu: Pdu::GetRequest(BasicPdu::new(
                request_id,
                vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))],
            )),
        }
    }

    fn header(msg_id: i32) -> HeaderData {
        HeaderData {
            msg_id,
            max_size: 65507,
            flags: MsgFlags(MsgFlags::REPORTABLE),
            security_model: USM_SECURITY_MODEL,
        }
    }

    fn v3(wire: &Bytes) -> V3Message {
        match Message::decode(&Decoder::new(DecodeOptions::STRICT), wire).unwrap() {
            Message::V3(m) => *m,
            other => panic!("{other:?}"),
        }
    }

    /// An agent booted an hour ago in its 5th boot, a manager that discovers it.
    fn pair(now: Instant, privacy: PrivProtocol) -> (Usm, Usm) {
        let mut agent = Usm::new(
            AGENT.parse().unwrap(),
            5,
            now - Duration::from_secs(3600),
            1,
        );
        agent.add_user(user(privacy));
        let mut manager = Usm::new("0x80001f88800a0b0c0d".parse().unwrap(), 1, now, 99);
        manager.discover_unknown_engines(true);
        manager.add_user(user(privacy));
        (agent, manager)
    }

    /// RFC 3414 section 4: discovery of the engine ID, then of its clock, then a request and
    /// its response at authPriv.
    #[test]
    fn discovery_then_authpriv_request_and_response() {
        let now = Instant::now();
        let (mut agent, mut manager) = pair(now, PrivProtocol::Aes128);
        let anonymous = Bytes::new();
        let name = Bytes::from_static(b"admin");

        // 1. Probe: empty engine ID, no user, noAuthNoPriv -> unknownEngineID.
        let probe = manager
            .generate(
                now,
                header(1),
                &scoped(1),
                &anonymous,
                &Bytes::new(),
                SecurityLevel::NoAuthNoPriv,
            )
            .unwrap();
        let e = agent
            .process_incoming(now, &probe, &v3(&probe))
            .unwrap_err();
        assert_eq!(e, UsmFailure::UnknownEngineId);
        let report_vb = agent.report_varbind(&e).unwrap();
        assert_eq!(
            report_vb,
            VarBind::new(oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0), Value::Counter32(1))
        );
        let mut report = scoped(1);
        report.pdu = Pdu::Report(BasicPdu::new(1, vec![report_vb]));
        let agent_id = agent.engine_id().to_bytes();
        let wire = agent
            .generate(
                now,
                header(1),
                &report,
                &anonymous,
                &agent_id,
                SecurityLevel::NoAuthNoPriv,
            )
            .unwrap();
        let got = manager.process_incoming(now, &wire, &v3(&wire)).unwrap();
        assert_eq!(got.engine_id, agent_id);
        // Unauthenticated: the engine is learnt, its clock is not.
        assert_eq!(manager.remote_time(&agent_id, now), Some((0, 0)));

        // 2. Authenticated request with boots/time 0 -> notInTimeWindow, reported with auth.
        let req = manager
            .generate(
                now,
                header(2),
                &scoped(2),
                &name,
                &agent_id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        let e = agent.process_incoming(now, &req, &v3(&req)).unwrap_err();
        assert_eq!(e, UsmFailure::NotInTimeWindow);
        let mut report = scoped(2);
        report.pdu = Pdu::Report(BasicPdu::new(2, vec![agent.report_varbind(&e).unwrap()]));
        let wire = agent
            .generate(
                now,
                header(2),
                &report,
                &name,
                &agent_id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        let got = manager.process_incoming(now, &wire, &v3(&wire)).unwrap();
        assert_eq!(got.level, SecurityLevel::AuthNoPriv);
        assert_eq!(manager.remote_time(&agent_id, now), Some((5, 3600)));

        // 3. The real request, authPriv, ten seconds later; and the response.
        let later = now + Duration::from_secs(10);
        let req = manager
            .generate(
                later,
                header(3),
                &scoped(3),
                &name,
                &agent_id,
                SecurityLevel::AuthPriv,
            )
            .unwrap();
        assert!(matches!(v3(&req).data, ScopedPduData::Encrypted(_)));
        let got = agent.process_incoming(later, &req, &v3(&req)).unwrap();
        assert_eq!(
            (got.security_name, got.level),
            (name.clone(), SecurityLevel::AuthPriv)
        );
        assert_eq!(got.scoped_pdu, scoped(3));
        let mut response = scoped(3);
        response.pdu = Pdu::Response(BasicPdu::new(
            3,
            vec![VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "router")],
        ));
        let wire = agent
            .generate(
                later,
                header(3),
                &response,
                &name,
                &agent_id,
                SecurityLevel::AuthPriv,
            )
            .unwrap();
        let got = manager.process_incoming(later, &wire, &v3(&wire)).unwrap();
        assert_eq!(got.scoped_pdu, response);
        assert_eq!(agent.stats().unknown_engine_ids, 1);
        assert_eq!(agent.stats().not_in_time_windows, 1);
    }

    fn synced(now: Instant, privacy: PrivProtocol) -> (Usm, Usm, Bytes) {
        let (agent, mut manager) = pair(now, privacy);
        let id = agent.engine_id().to_bytes();
        manager.set_remote_time(&id, agent.engine_boots(), agent.engine_time(now), now);
        (agent, manager, id)
    }

    #[test]
    fn every_privacy_protocol_round_trips() {
        let now = Instant::now();
        let name = Bytes::from_static(b"admin");
        for p in PrivProtocol::ALL {
            let (mut agent, mut manager, id) = synced(now, p);
            let req = manager
                .generate(
                    now,
                    header(7),
                    &scoped(7),
                    &name,
                    &id,
                    SecurityLevel::AuthPriv,
                )
                .unwrap();
            let got = agent.process_incoming(now, &req, &v3(&req)).unwrap();
            assert_eq!(got.scoped_pdu, scoped(7), "{p}");
        }
    }

    #[test]
    fn wrong_keys_and_levels_are_counted() {
        let now = Instant::now();
        let name = Bytes::from_static(b"admin");
        let (mut agent, _, id) = synced(now, PrivProtocol::Des);
        // A manager with another auth password.
        let mut intruder = Usm::new("0x80001f8880ffffffff".parse().unwrap(), 1, now, 5);
        intruder.add_user(
            UsmUser::new("admin")
                .with_auth(AuthProtocol::Sha1, b"wrongpassword")
                .unwrap(),
        );
        intruder.set_remote_time(&id, agent.engine_boots(), agent.engine_time(now), now);
        let req = intruder
            .generate(
                now,
                header(1),
                &scoped(1),
                &name,
                &id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        assert_eq!(
            agent.process_incoming(now, &req, &v3(&req)),
            Err(UsmFailure::WrongDigest)
        );
        assert_eq!(agent.stats().wrong_digests, 1);
        // An unknown user.
        let req = intruder
            .generate(
                now,
                header(1),
                &scoped(1),
                &Bytes::from_static(b"nobody"),
                &id,
                SecurityLevel::NoAuthNoPriv,
            )
            .unwrap();
        assert_eq!(
            agent.process_incoming(now, &req, &v3(&req)),
            Err(UsmFailure::UnknownUserName)
        );
        // authPriv asked of a user without privacy keys.
        let mut noauth_agent = Usm::new(AGENT.parse().unwrap(), 5, now, 1);
        noauth_agent.add_user(
            UsmUser::new("admin")
                .with_auth(AuthProtocol::Sha1, b"authpassword")
                .unwrap(),
        );
        let (_, mut manager, id) = synced(now, PrivProtocol::Aes128);
        manager.set_remote_time(&id, 5, 0, now);
        let req = manager
            .generate(
                now,
                header(1),
                &scoped(1),
                &name,
                &id,
                SecurityLevel::AuthPriv,
            )
            .unwrap();
        assert_eq!(
            noauth_agent.process_incoming(now, &req, &v3(&req)),
            Err(UsmFailure::UnsupportedSecLevel)
        );
        assert_eq!(noauth_agent.stats().unsupported_sec_levels, 1);
    }

    /// lextudio/pysnmp#249: an authenticated message with empty msgAuthenticationParameters
    /// must not pass.
    #[test]
    fn empty_digest_is_rejected() {
        let now = Instant::now();
        let name = Bytes::from_static(b"admin");
        let (mut agent, mut manager, id) = synced(now, PrivProtocol::Aes128);
        let req = manager
            .generate(
                now,
                header(1),
                &scoped(1),
                &name,
                &id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        let mut m = v3(&req);
        let dec = Decoder::new(DecodeOptions::STRICT);
        let mut params = UsmSecurityParameters::decode(&dec, &m.security_parameters).unwrap();
        params.auth_params = Bytes::new();
        m.security_parameters = params.to_bytes().unwrap();
        let forged = Message::V3(alloc::boxed::Box::new(m)).to_bytes().unwrap();
        assert_eq!(
            agent.process_incoming(now, &forged, &v3(&forged)),
            Err(UsmFailure::WrongDigest)
        );
    }

    #[test]
    fn time_window_at_the_authoritative_engine() {
        let now = Instant::now();
        let name = Bytes::from_static(b"admin");
        let (mut agent, mut manager, id) = synced(now, PrivProtocol::Aes128);
        let req = manager
            .generate(
                now,
                header(1),
                &scoped(1),
                &name,
                &id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        // 150 s later it still passes, 151 s later it does not.
        assert!(
            agent
                .process_incoming(now + Duration::from_secs(150), &req, &v3(&req))
                .is_ok()
        );
        let e = agent.process_incoming(now + Duration::from_secs(151), &req, &v3(&req));
        assert_eq!(e, Err(UsmFailure::NotInTimeWindow));
        // Another boot count does not pass either.
        manager.set_remote_time(&id, 4, agent.engine_time(now), now);
        let req = manager
            .generate(
                now,
                header(2),
                &scoped(2),
                &name,
                &id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        assert_eq!(
            agent.process_incoming(now, &req, &v3(&req)),
            Err(UsmFailure::NotInTimeWindow)
        );
    }

    #[test]
    fn unknown_engines_are_refused_unless_discovering() {
        let now = Instant::now();
        let name = Bytes::from_static(b"admin");
        let (agent, mut manager, _) = synced(now, PrivProtocol::Aes128);
        let agent_id = agent.engine_id().to_bytes();
        let mut response = scoped(1);
        response.pdu = Pdu::Response(BasicPdu::new(1, vec![]));
        let mut agent = agent;
        let wire = agent
            .generate(
                now,
                header(1),
                &response,
                &name,
                &agent_id,
                SecurityLevel::AuthNoPriv,
            )
            .unwrap();
        // An authoritative engine does not know the anonymous user.
        let anonymous = Bytes::new();
        let probe = manager
            .generate(
                now,
                header(9),
                &scoped(9),
                &anonymous,
                &agent_id,
                SecurityLevel::NoAuthNoPriv,
            )
            .unwrap();
        assert_eq!(
            agent.process_incoming(now, &probe, &v3(&probe)),
            Err(UsmFailure::UnknownUserName)
        );
        // A fresh manager that does not discover refuses it.
        let mut strict = Usm::new("0x80001f8880aabbccdd".parse().unwrap(), 1, now, 3);
        strict.add_user(user(PrivProtocol::Aes128));
        assert_eq!(
            strict.process_incoming(now, &wire, &v3(&wire)),
            Err(UsmFailure::UnknownEngineId)
        );
        assert!(manager.process_incoming(now, &wire, &v3(&wire)).is_ok());
    }

    /// The RFC 3411 service interface reaches the same code.
    #[test]
    fn through_the_security_model_trait() {
        fn roundtrip<M: SecurityModel>(
            sender: &mut M,
            receiver: &mut M,
            now: M::Instant,
            later: M::Instant,
            scoped: &ScopedPdu,
        ) -> SecurityIncoming {
            let name = Bytes::from_static(b"admin");
            let wire = sender
                .generate_response(now, header(4), scoped, &name, SecurityLevel::AuthPriv)
                .unwrap();
            receiver.process_incoming(later, &wire, &v3(&wire)).unwrap()
        }
        let now = Instant::now();
        let (mut agent, mut manager, _) = synced(now, PrivProtocol::Aes256);
        assert_eq!(agent.security_model(), 3);
        let got = roundtrip(&mut agent, &mut manager, now, now, &scoped(4));
        assert_eq!(
            (got.level, got.scoped_pdu),
            (SecurityLevel::AuthPriv, scoped(4))
        );
    }

    #[test]
    fn users_bound_to_engines() {
        let now = Instant::now();
        let a: EngineId = "0x80001f8880aaaaaaaa".parse().unwrap();
        let b: EngineId = "0x80001f8880bbbbbbbb".parse().unwrap();
        let mut receiver = Usm::new("0x80001f8880cccccccc".parse().unwrap(), 1, now, 3);
        receiver.add_user(
            UsmUser::new("trap")
                .with_auth(AuthProtocol::Md5, b"password-a")
                .unwrap()
                .for_engine(a.clone()),
        );
        receiver.add_user(
            UsmUser::new("trap")
                .with_auth(AuthProtocol::Md5, b"password-b")
                .unwrap()
                .for_engine(b.clone()),
        );
        let name = Bytes::from_static(b"trap");
        for (engine, password) in [(a, &b"password-a"[..]), (b, &b"password-b"[..])] {
            let mut sender = Usm::new(engine.clone(), 3, now, 9);
            sender.add_user(
                UsmUser::new("trap")
                    .with_auth(AuthProtocol::Md5, password)
                    .unwrap(),
            );
            let mut trap = scoped(1);
            trap.pdu = Pdu::SnmpV2Trap(BasicPdu::new(1, vec![]));
            let wire = sender
                .generate(
                    now,
                    header(1),
                    &trap,
                    &name,
                    &engine.to_bytes(),
                    SecurityLevel::AuthNoPriv,
                )
                .unwrap();
            let got = receiver.process_incoming(now, &wire, &v3(&wire)).unwrap();
            assert_eq!(got.engine_id, engine.to_bytes());
        }
    }
}
