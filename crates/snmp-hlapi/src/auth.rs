//! How a request is secured: a community (SNMPv1, SNMPv2c) or a USM user (SNMPv3).

use std::fmt;

use bytes::Bytes;
use snmp_mpm::SecurityLevel;
use snmp_usm::{AuthProtocol, PrivProtocol, UsmUser};

use crate::Error;

/// The security of a request: PySNMP's `CommunityData` (`mpModel=0` or `1`) and
/// `UsmUserData`.
///
/// ```
/// use snmp_hlapi::{Auth, AuthProtocol, PrivProtocol, UsmAuth};
///
/// let v2c = Auth::community_v2c("public");
/// let v3 = Auth::usm(
///     UsmAuth::new("admin")
///         .auth(AuthProtocol::Sha1, "authpassword")?
///         .privacy(PrivProtocol::Aes128, "privpassword")?,
/// );
/// # let _ = (v2c, v3);
/// # Ok::<(), snmp_hlapi::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Auth(pub(crate) Kind);

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    V1(Bytes),
    V2c(Bytes),
    Usm(Box<UsmAuth>),
}

impl Auth {
    /// SNMPv1 with this community (PySNMP's `CommunityData(c, mpModel=0)`).
    pub fn community_v1(community: impl Into<Bytes>) -> Self {
        Self(Kind::V1(community.into()))
    }

    /// SNMPv2c with this community (PySNMP's `CommunityData(c)`).
    pub fn community_v2c(community: impl Into<Bytes>) -> Self {
        Self(Kind::V2c(community.into()))
    }

    /// SNMPv3 with this USM user (PySNMP's `UsmUserData`).
    pub fn usm(user: UsmAuth) -> Self {
        Self(Kind::Usm(Box::new(user)))
    }

    /// Whether this is SNMPv1 (which has no GETBULK: bulk walks fall back to GETNEXT).
    pub fn is_v1(&self) -> bool {
        matches!(self.0, Kind::V1(_))
    }

    /// The engine's form of this authentication (an snmpTargetParamsTable row's security),
    /// and the USM user it needs, if any.
    pub(crate) fn security(&self) -> (snmp_engine::Security, Option<&UsmAuth>) {
        use snmp_engine::Security;
        use snmp_mpm::Version;
        match &self.0 {
            Kind::V1(c) => (Security::community(Version::V1, c.clone()), None),
            Kind::V2c(c) => (Security::community(Version::V2c, c.clone()), None),
            Kind::Usm(user) => (
                Security::usm(Bytes::copy_from_slice(user.name()), user.level()),
                Some(user),
            ),
        }
    }
}

impl From<UsmAuth> for Auth {
    fn from(user: UsmAuth) -> Self {
        Self::usm(user)
    }
}

/// A password, compared but never printed.
#[derive(Clone, PartialEq, Eq)]
struct Secret(Bytes);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<secret>")
    }
}

/// An SNMPv3 USM user and its credentials: authentication first, then privacy, as in
/// PySNMP's `UsmUserData(user, authKey, privKey, authProtocol, privProtocol)`. The
/// passwords are hashed into keys once, here (RFC 3414 A.2); the keys are localized to each
/// agent's engine ID after discovery.
///
/// The [`Manager`](crate::Manager) adds the user to its USM the first time a request uses
/// it: every user shares the manager's one socket and engine. Two `UsmAuth` of the same name
/// but other protocols or passwords are two users: the second gets a USM (and socket) of its
/// own, so that the same name may have different passwords on different agents.
///
/// ```
/// use snmp_hlapi::{AuthProtocol, PrivProtocol, UsmAuth};
///
/// let admin = UsmAuth::new("admin")
///     .auth(AuthProtocol::Sha256, "authpassword")?
///     .privacy(PrivProtocol::Aes128, "privpassword")?;
/// assert!(UsmAuth::new("x").privacy(PrivProtocol::Aes128, "privpassword").is_err());
/// # let _ = admin;
/// # Ok::<(), snmp_hlapi::Error>(())
/// ```
#[derive(Clone)]
pub struct UsmAuth {
    name: Bytes,
    auth: Option<(AuthProtocol, Secret)>,
    privacy: Option<(PrivProtocol, Secret)>,
    user: UsmUser,
}

impl fmt::Debug for UsmAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsmAuth")
            .field("name", &self.name)
            .field("auth", &self.auth.as_ref().map(|a| a.0))
            .field("privacy", &self.privacy.as_ref().map(|p| p.0))
            .finish_non_exhaustive()
    }
}

impl PartialEq for UsmAuth {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.auth == other.auth && self.privacy == other.privacy
    }
}

impl Eq for UsmAuth {}

impl UsmAuth {
    /// The user `name`, with neither authentication nor privacy (noAuthNoPriv).
    pub fn new(name: impl Into<Bytes>) -> Self {
        let name = name.into();
        Self {
            user: UsmUser::new(name.clone()),
            name,
            auth: None,
            privacy: None,
        }
    }

    /// Adds authentication (authNoPriv) with `protocol` and `password`.
    ///
    /// # Errors
    ///
    /// [`Error::Credentials`]: the password is shorter than 8 octets.
    pub fn auth(
        mut self,
        protocol: AuthProtocol,
        password: impl AsRef<[u8]>,
    ) -> Result<Self, Error> {
        let password = password.as_ref();
        self.user = self
            .user
            .with_auth(protocol, password)
            .map_err(Error::Credentials)?;
        self.auth = Some((protocol, Secret(Bytes::copy_from_slice(password))));
        Ok(self)
    }

    /// Adds privacy (authPriv) with `protocol` and `password`; after [`auth`](Self::auth).
    ///
    /// # Errors
    ///
    /// [`Error::Credentials`]: no authentication yet, or the password is shorter than 8
    /// octets.
    pub fn privacy(
        mut self,
        protocol: PrivProtocol,
        password: impl AsRef<[u8]>,
    ) -> Result<Self, Error> {
        let password = password.as_ref();
        self.user = self
            .user
            .with_privacy(protocol, password)
            .map_err(Error::Credentials)?;
        self.privacy = Some((protocol, Secret(Bytes::copy_from_slice(password))));
        Ok(self)
    }

    /// The user name.
    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// The security level the credentials give: authPriv, authNoPriv or noAuthNoPriv.
    pub fn level(&self) -> SecurityLevel {
        match (&self.auth, &self.privacy) {
            (Some(_), Some(_)) => SecurityLevel::AuthPriv,
            (Some(_), None) => SecurityLevel::AuthNoPriv,
            _ => SecurityLevel::NoAuthNoPriv,
        }
    }

    pub(crate) fn user(&self) -> &UsmUser {
        &self.user
    }
}
