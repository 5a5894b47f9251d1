//! USM credentials given on the command line: `USER:AUTH:AUTHPASS[:PRIV:PRIVPASS]`.

use std::fmt;
use std::str::FromStr;

use snmp_usm::{AuthProtocol, MIN_PASSWORD_LEN, PrivProtocol, UsmError};

/// The longest user name USM carries (`SnmpAdminString (SIZE(1..32))`, RFC 3414).
const MAX_USER_LEN: usize = 32;

/// A `--usm` argument that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// Not 3 or 5 colon-separated fields.
    #[error(
        "expected USER:AUTH:AUTHPASS or USER:AUTH:AUTHPASS:PRIV:PRIVPASS, found {fields} field(s)"
    )]
    Syntax {
        /// How many fields there were.
        fields: usize,
    },
    /// An empty user name, or one longer than USM allows.
    #[error("the user name must be 1 to 32 octets long, not {len}")]
    UserLength {
        /// Its length.
        len: usize,
    },
    /// An unknown protocol name.
    #[error(transparent)]
    Protocol(#[from] UsmError),
    /// A password shorter than net-snmp accepts.
    #[error(
        "user {user:?}: the {which} password is {len} octets long: at least 8 are required (RFC 3414 11.2)"
    )]
    PasswordTooShort {
        /// The user.
        user: String,
        /// `authentication` or `privacy`.
        which: &'static str,
        /// Its length.
        len: usize,
    },
}

/// One user's USM secrets: name, authentication protocol and password, and optionally the
/// privacy protocol and password.
///
/// Parsed from `USER:AUTH:AUTHPASS[:PRIV:PRIVPASS]`, where AUTH and PRIV are net-snmp's `-a`
/// and `-x` names (`MD5`, `SHA`, `SHA-224`, ..., `DES`, `3DES`, `AES`, `AES-192`, `AES-256C`,
/// ..., in any case). Neither the user nor the passwords can contain a colon. Passwords are
/// never printed by `Debug`.
///
/// ```
/// use snmp_cli::UsmCredential;
/// use snmp_usm::{AuthProtocol, PrivProtocol};
///
/// let c: UsmCredential = "pippo:MD5:pippoxxx:DES:PIPPOxxx".parse()?;
/// assert_eq!(c.user(), b"pippo");
/// assert_eq!(c.auth_protocol(), AuthProtocol::Md5);
/// assert_eq!(c.priv_protocol(), Some(PrivProtocol::Des));
/// assert!(!format!("{c:?}").contains("pippoxxx"));
/// # Ok::<(), snmp_cli::CredentialError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct UsmCredential {
    user: Vec<u8>,
    auth: AuthProtocol,
    auth_password: Vec<u8>,
    privacy: Option<(PrivProtocol, Vec<u8>)>,
}

impl UsmCredential {
    /// The user name (msgUserName).
    pub fn user(&self) -> &[u8] {
        &self.user
    }

    /// The authentication protocol.
    pub fn auth_protocol(&self) -> AuthProtocol {
        self.auth
    }

    /// The authentication password.
    pub fn auth_password(&self) -> &[u8] {
        &self.auth_password
    }

    /// The privacy protocol, if privacy credentials were given.
    pub fn priv_protocol(&self) -> Option<PrivProtocol> {
        self.privacy.as_ref().map(|(p, _)| *p)
    }

    /// The privacy password, if privacy credentials were given.
    pub fn priv_password(&self) -> Option<&[u8]> {
        self.privacy.as_ref().map(|(_, p)| p.as_slice())
    }
}

impl FromStr for UsmCredential {
    type Err = CredentialError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fields: Vec<&str> = s.split(':').collect();
        let (user, auth, auth_password, privacy) = match fields.as_slice() {
            [user, auth, pass] => (*user, *auth, *pass, None),
            [user, auth, pass, privacy, priv_pass] => {
                (*user, *auth, *pass, Some((*privacy, *priv_pass)))
            }
            _ => {
                return Err(CredentialError::Syntax {
                    fields: fields.len(),
                });
            }
        };
        if user.is_empty() || user.len() > MAX_USER_LEN {
            return Err(CredentialError::UserLength { len: user.len() });
        }
        let password = |which, p: &str| {
            if p.len() < MIN_PASSWORD_LEN {
                Err(CredentialError::PasswordTooShort {
                    user: user.to_owned(),
                    which,
                    len: p.len(),
                })
            } else {
                Ok(p.as_bytes().to_vec())
            }
        };
        let auth = auth.parse::<AuthProtocol>()?;
        let auth_password = password("authentication", auth_password)?;
        let privacy = match privacy {
            Some((name, pass)) => Some((name.parse::<PrivProtocol>()?, password("privacy", pass)?)),
            None => None,
        };
        Ok(Self {
            user: user.as_bytes().to_vec(),
            auth,
            auth_password,
            privacy,
        })
    }
}

impl fmt::Debug for UsmCredential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsmCredential")
            .field("user", &String::from_utf8_lossy(&self.user))
            .field("auth", &self.auth)
            .field("privacy", &self.priv_protocol())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_only_and_auth_priv() {
        let c: UsmCredential = "test:sha:testpass".parse().unwrap();
        assert_eq!(c.user(), b"test");
        assert_eq!(c.auth_protocol(), AuthProtocol::Sha1);
        assert_eq!(c.auth_password(), b"testpass");
        assert_eq!(c.priv_protocol(), None);
        let c: UsmCredential = "lextm:MD5:authentication:AES-256C:privacyphrase"
            .parse()
            .unwrap();
        assert_eq!(c.priv_protocol(), Some(PrivProtocol::Aes256Cisco));
        assert_eq!(c.priv_password(), Some(&b"privacyphrase"[..]));
    }

    #[test]
    fn bad_specs_say_what_is_wrong() {
        let e = |s: &str| s.parse::<UsmCredential>().unwrap_err().to_string();
        assert!(e("pippo").contains("found 1 field"), "{}", e("pippo"));
        assert!(e("pippo:MD5").contains("found 2 field"));
        assert!(e("a:MD5:pippoxxx:DES").contains("found 4 field"));
        assert!(e("a:MD5:pippo:xxx:DES:PIPPOxxx").contains("found 6 field"));
        assert!(e(":MD5:pippoxxx").contains("1 to 32 octets"));
        assert!(e(&format!("{}:MD5:pippoxxx", "u".repeat(33))).contains("not 33"));
        assert!(e("pippo:MD4:pippoxxx").contains("unknown authentication protocol \"MD4\""));
        assert!(e("pippo:MD5:pippoxxx:RC4:PIPPOxxx").contains("unknown privacy protocol \"RC4\""));
        let short = e("pippo:MD5:short");
        assert!(
            short.contains("authentication password is 5 octets"),
            "{short}"
        );
        assert!(
            !short.contains("short\""),
            "the password is not echoed: {short}"
        );
        assert!(e("pippo:MD5:pippoxxx:DES:").contains("privacy password is 0 octets"));
        for s in [
            "pippo",
            "a:MD5:pippo:xxx:DES:PIPPOxxx",
            "pippo:MD5:pippoxxx:RC4:PIPPOxxx",
        ] {
            assert!(!e(s).contains('\n'));
        }
    }

    #[test]
    fn debug_hides_the_passwords() {
        let c: UsmCredential = "pippo:MD5:pippoxxx:DES:PIPPOxxx".parse().unwrap();
        let d = format!("{c:?}");
        assert!(
            d.contains("pippo") && d.contains("Md5") && d.contains("Des"),
            "{d}"
        );
        assert!(!d.contains("pippoxxx") && !d.contains("PIPPOxxx"), "{d}");
    }
}
