//! The authentication and privacy protocols: their sizes, OIDs and names.

use core::fmt;
use core::str::FromStr;

use crate::UsmError;

/// Runs `$body` with `$d` standing for the hash type of an [`AuthProtocol`].
macro_rules! with_digest {
    ($proto:expr, $d:ident => $body:expr) => {
        match $proto {
            $crate::AuthProtocol::Md5 => {
                type $d = md5::Md5;
                $body
            }
            $crate::AuthProtocol::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            $crate::AuthProtocol::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            $crate::AuthProtocol::Sha256 => {
                type $d = sha2::Sha256;
                $body
            }
            $crate::AuthProtocol::Sha384 => {
                type $d = sha2::Sha384;
                $body
            }
            $crate::AuthProtocol::Sha512 => {
                type $d = sha2::Sha512;
                $body
            }
        }
    };
}
pub(crate) use with_digest;

/// An authentication protocol: HMAC over a hash, truncated (RFC 3414 sections 6 and 7,
/// RFC 7860).
///
/// Its hash also turns passwords into keys and localizes them, for authentication and for
/// privacy alike.
///
/// ```
/// use snmp_usm::AuthProtocol;
///
/// let p: AuthProtocol = "sha-256".parse()?;
/// assert_eq!(p, AuthProtocol::Sha256);
/// assert_eq!((p.mac_len(), p.key_len()), (24, 32));
/// assert_eq!(p.oid(), [1, 3, 6, 1, 6, 3, 10, 1, 1, 5]);
/// assert_eq!(p.to_string(), "SHA-256");
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum AuthProtocol {
    /// `usmHMACMD5AuthProtocol`: HMAC-MD5-96 (RFC 3414 section 6).
    Md5,
    /// `usmHMACSHAAuthProtocol`: HMAC-SHA-96 (RFC 3414 section 7).
    Sha1,
    /// `usmHMAC128SHA224AuthProtocol` (RFC 7860).
    Sha224,
    /// `usmHMAC192SHA256AuthProtocol` (RFC 7860).
    Sha256,
    /// `usmHMAC256SHA384AuthProtocol` (RFC 7860).
    Sha384,
    /// `usmHMAC384SHA512AuthProtocol` (RFC 7860).
    Sha512,
}

impl AuthProtocol {
    /// Every protocol, weakest first.
    pub const ALL: [Self; 6] = [
        Self::Md5,
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
    ];

    /// The length of `msgAuthenticationParameters`: the HMAC truncated to 12, 12, 16, 24, 32
    /// or 48 octets.
    pub const fn mac_len(self) -> usize {
        match self {
            Self::Md5 | Self::Sha1 => 12,
            Self::Sha224 => 16,
            Self::Sha256 => 24,
            Self::Sha384 => 32,
            Self::Sha512 => 48,
        }
    }

    /// The length of the hash output, and so of keys: 16, 20, 28, 32, 48 or 64 octets.
    pub const fn key_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The protocol's OBJECT IDENTIFIER, as `usmUserAuthProtocol` holds it.
    pub const fn oid(self) -> &'static [u32] {
        match self {
            Self::Md5 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 2],
            Self::Sha1 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 3],
            Self::Sha224 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 4],
            Self::Sha256 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 5],
            Self::Sha384 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 6],
            Self::Sha512 => &[1, 3, 6, 1, 6, 3, 10, 1, 1, 7],
        }
    }

    /// The protocol an OBJECT IDENTIFIER names.
    pub fn from_oid(oid: &[u32]) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.oid() == oid)
    }

    /// net-snmp's name for it (`-a`): MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        }
    }
}

impl fmt::Display for AuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for AuthProtocol {
    type Err = UsmError;

    /// Reads net-snmp's `-a` names, in any case: MD5; SHA, SHA1 or SHA-1; SHA-224 or SHA224;
    /// and so on for SHA-256, SHA-384 and SHA-512.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const NAMES: [(&str, AuthProtocol); 12] = [
            ("MD5", AuthProtocol::Md5),
            ("SHA", AuthProtocol::Sha1),
            ("SHA1", AuthProtocol::Sha1),
            ("SHA-1", AuthProtocol::Sha1),
            ("SHA-224", AuthProtocol::Sha224),
            ("SHA224", AuthProtocol::Sha224),
            ("SHA-256", AuthProtocol::Sha256),
            ("SHA256", AuthProtocol::Sha256),
            ("SHA-384", AuthProtocol::Sha384),
            ("SHA384", AuthProtocol::Sha384),
            ("SHA-512", AuthProtocol::Sha512),
            ("SHA512", AuthProtocol::Sha512),
        ];
        NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|(_, p)| *p)
            .ok_or_else(|| UsmError::UnknownAuthProtocol { name: s.into() })
    }
}

/// How a privacy protocol stretches a localized key that is shorter than it needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyExtension {
    /// None: the localized key is always long enough (DES, AES-128).
    None,
    /// draft-blumenthal-aes-usm-04 section 3.1.2.1: `Kul || H(Kul) || H(Kul || H(Kul))`...
    Blumenthal,
    /// draft-reeder-snmpv3-usm-3desede-00 section 2.1: `Kul || localize(password_to_key(Kul))`...
    Reeder,
}

/// A privacy protocol: the cipher, and how its key comes from the localized key.
///
/// The names and OIDs are net-snmp's. Beware that AES-192 and AES-256 come in two flavours
/// that differ only in the key extension, and that implementations disagree on the names:
///
/// | here | net-snmp `-x` | PySNMP | key extension | OID |
/// |---|---|---|---|---|
/// | [`Aes192`](Self::Aes192), [`Aes256`](Self::Aes256) | AES192, AES256 | `usmAesBlumenthalCfb192Protocol`, `...256` | Blumenthal | 1.3.6.1.4.1.14832.1.3, .4 |
/// | [`Aes192Cisco`](Self::Aes192Cisco), [`Aes256Cisco`](Self::Aes256Cisco) | AES192C, AES256C | `usmAesCfb192Protocol`, `...256` | Reeder | 1.3.6.1.4.1.9.12.6.1.1, .2 |
///
/// ```
/// use snmp_usm::PrivProtocol;
///
/// let p: PrivProtocol = "AES256C".parse()?;
/// assert_eq!(p, PrivProtocol::Aes256Cisco);
/// assert_eq!(p.key_len(), 32);
/// assert_eq!(p.oid(), [1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 2]);
/// assert!("AES-512".parse::<PrivProtocol>().is_err());
/// # Ok::<(), snmp_usm::UsmError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PrivProtocol {
    /// `usmDESPrivProtocol`: DES-CBC (RFC 3414 section 8).
    Des,
    /// `usm3DESEDEPrivProtocol`: 3DES-EDE in CBC mode, with the Reeder key extension
    /// (draft-reeder-snmpv3-usm-3desede-00).
    TripleDes,
    /// `usmAesCfb128Protocol`: AES-128 in CFB-128 mode (RFC 3826).
    Aes128,
    /// AES-192 in CFB-128 mode with the Blumenthal key extension
    /// (draft-blumenthal-aes-usm-04): net-snmp's AES192.
    Aes192,
    /// AES-256 in CFB-128 mode with the Blumenthal key extension
    /// (draft-blumenthal-aes-usm-04): net-snmp's AES256.
    Aes256,
    /// AES-192 in CFB-128 mode with the Reeder key extension, as Cisco does: net-snmp's
    /// AES192C, PySNMP's `usmAesCfb192Protocol`.
    Aes192Cisco,
    /// AES-256 in CFB-128 mode with the Reeder key extension, as Cisco does: net-snmp's
    /// AES256C, PySNMP's `usmAesCfb256Protocol`.
    Aes256Cisco,
}

impl PrivProtocol {
    /// Every protocol.
    pub const ALL: [Self; 7] = [
        Self::Des,
        Self::TripleDes,
        Self::Aes128,
        Self::Aes192,
        Self::Aes256,
        Self::Aes192Cisco,
        Self::Aes256Cisco,
    ];

    /// The length of the privacy key the protocol uses: 16 for DES (an 8-octet key and an
    /// 8-octet pre-IV), 32 for 3DES (24 and 8), and the AES key size otherwise.
    pub const fn key_len(self) -> usize {
        match self {
            Self::Des | Self::Aes128 => 16,
            Self::Aes192 | Self::Aes192Cisco => 24,
            Self::TripleDes | Self::Aes256 | Self::Aes256Cisco => 32,
        }
    }

    /// The protocol's OBJECT IDENTIFIER, as `usmUserPrivProtocol` holds it: RFC 3414's and
    /// RFC 3826's, the 3DES draft's, the ESO Consortium's for the Blumenthal AES (as net-snmp
    /// uses them) and CISCO-SNMP-USM-OIDS-MIB's for the Reeder ones.
    pub const fn oid(self) -> &'static [u32] {
        match self {
            Self::Des => &[1, 3, 6, 1, 6, 3, 10, 1, 2, 2],
            Self::TripleDes => &[1, 3, 6, 1, 6, 3, 10, 1, 2, 3],
            Self::Aes128 => &[1, 3, 6, 1, 6, 3, 10, 1, 2, 4],
            Self::Aes192 => &[1, 3, 6, 1, 4, 1, 14832, 1, 3],
            Self::Aes256 => &[1, 3, 6, 1, 4, 1, 14832, 1, 4],
            Self::Aes192Cisco => &[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 1],
            Self::Aes256Cisco => &[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 2],
        }
    }

    /// The protocol an OBJECT IDENTIFIER names.
    ///
    /// Also reads PySNMP's non-standard OIDs for its Reeder AES, 1.3.6.1.4.1.9.12.6.1.101 and
    /// .102. (PySNMP gives the Cisco OIDs .1 and .2 to its Blumenthal AES; this crate follows
    /// net-snmp and Cisco, for whom they mean the Reeder extension.)
    pub fn from_oid(oid: &[u32]) -> Option<Self> {
        match oid {
            [1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 101] => Some(Self::Aes192Cisco),
            [1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 102] => Some(Self::Aes256Cisco),
            _ => Self::ALL.into_iter().find(|p| p.oid() == oid),
        }
    }

    /// net-snmp's name for it (`-x`): DES, 3DES, AES, AES-192, AES-256, AES-192-C or
    /// AES-256-C.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Des => "DES",
            Self::TripleDes => "3DES",
            Self::Aes128 => "AES",
            Self::Aes192 => "AES-192",
            Self::Aes256 => "AES-256",
            Self::Aes192Cisco => "AES-192-C",
            Self::Aes256Cisco => "AES-256-C",
        }
    }

    pub(crate) const fn extension(self) -> KeyExtension {
        match self {
            Self::Des | Self::Aes128 => KeyExtension::None,
            Self::Aes192 | Self::Aes256 => KeyExtension::Blumenthal,
            Self::TripleDes | Self::Aes192Cisco | Self::Aes256Cisco => KeyExtension::Reeder,
        }
    }
}

impl fmt::Display for PrivProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for PrivProtocol {
    type Err = UsmError;

    /// Reads net-snmp's `-x` names, in any case: DES; 3DES; AES, AES128 or AES-128; AES192 or
    /// AES-192; AES256 or AES-256; AES192C, AES-192C or AES-192-C; AES256C, AES-256C or
    /// AES-256-C.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        const NAMES: [(&str, PrivProtocol); 16] = [
            ("DES", PrivProtocol::Des),
            ("3DES", PrivProtocol::TripleDes),
            ("AES", PrivProtocol::Aes128),
            ("AES128", PrivProtocol::Aes128),
            ("AES-128", PrivProtocol::Aes128),
            ("AES192", PrivProtocol::Aes192),
            ("AES-192", PrivProtocol::Aes192),
            ("AES256", PrivProtocol::Aes256),
            ("AES-256", PrivProtocol::Aes256),
            ("AES192C", PrivProtocol::Aes192Cisco),
            ("AES-192C", PrivProtocol::Aes192Cisco),
            ("AES-192-C", PrivProtocol::Aes192Cisco),
            ("AES256C", PrivProtocol::Aes256Cisco),
            ("AES-256C", PrivProtocol::Aes256Cisco),
            ("AES-256-C", PrivProtocol::Aes256Cisco),
            ("3DESEDE", PrivProtocol::TripleDes),
        ];
        NAMES
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
            .map(|(_, p)| *p)
            .ok_or_else(|| UsmError::UnknownPrivProtocol { name: s.into() })
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn auth_sizes_follow_rfc_3414_and_7860() {
        let sizes: [(usize, usize); 6] = AuthProtocol::ALL.map(|p| (p.mac_len(), p.key_len()));
        assert_eq!(
            sizes,
            [(12, 16), (12, 20), (16, 28), (24, 32), (32, 48), (48, 64)]
        );
        for p in AuthProtocol::ALL {
            let digest_len = with_digest!(p, D => <D as sha2::Digest>::output_size());
            assert_eq!(digest_len, p.key_len(), "{p}");
        }
    }

    #[test]
    fn auth_names_and_oids_round_trip() {
        for p in AuthProtocol::ALL {
            assert_eq!(p.name().parse::<AuthProtocol>(), Ok(p));
            assert_eq!(p.to_string().to_lowercase().parse::<AuthProtocol>(), Ok(p));
            assert_eq!(AuthProtocol::from_oid(p.oid()), Some(p));
        }
        for (s, p) in [
            ("sha1", AuthProtocol::Sha1),
            ("Sha-1", AuthProtocol::Sha1),
            ("sha512", AuthProtocol::Sha512),
            ("md5", AuthProtocol::Md5),
        ] {
            assert_eq!(s.parse::<AuthProtocol>(), Ok(p));
        }
        assert_eq!(
            AuthProtocol::from_oid(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 1]),
            None
        );
    }

    #[test]
    fn bad_auth_name_is_named_in_the_error() {
        let e = "SHA-3".parse::<AuthProtocol>().unwrap_err();
        assert_eq!(
            e,
            UsmError::UnknownAuthProtocol {
                name: "SHA-3".into()
            }
        );
        assert!(e.to_string().contains("SHA-3"));
        assert!("".parse::<AuthProtocol>().is_err());
    }

    #[test]
    fn priv_names_and_oids_round_trip() {
        for p in PrivProtocol::ALL {
            assert_eq!(p.name().parse::<PrivProtocol>(), Ok(p));
            assert_eq!(p.to_string().to_lowercase().parse::<PrivProtocol>(), Ok(p));
            assert_eq!(PrivProtocol::from_oid(p.oid()), Some(p));
        }
        for (s, p) in [
            ("DES", PrivProtocol::Des),
            ("3DES", PrivProtocol::TripleDes),
            ("AES", PrivProtocol::Aes128),
            ("AES128", PrivProtocol::Aes128),
            ("AES-192", PrivProtocol::Aes192),
            ("AES192", PrivProtocol::Aes192),
            ("AES-256", PrivProtocol::Aes256),
            ("AES256", PrivProtocol::Aes256),
            ("AES-192C", PrivProtocol::Aes192Cisco),
            ("AES192C", PrivProtocol::Aes192Cisco),
            ("AES-256C", PrivProtocol::Aes256Cisco),
            ("aes256c", PrivProtocol::Aes256Cisco),
        ] {
            assert_eq!(s.parse::<PrivProtocol>(), Ok(p), "{s}");
        }
        assert_eq!(
            PrivProtocol::from_oid(&[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 101]),
            Some(PrivProtocol::Aes192Cisco)
        );
        assert_eq!(
            PrivProtocol::from_oid(&[1, 3, 6, 1, 6, 3, 10, 1, 2, 1]),
            None
        );
    }

    #[test]
    fn bad_priv_name_is_named_in_the_error() {
        let e = "AES-512".parse::<PrivProtocol>().unwrap_err();
        assert_eq!(
            e,
            UsmError::UnknownPrivProtocol {
                name: "AES-512".into()
            }
        );
        assert!(e.to_string().contains("\"AES-512\""));
    }

    #[test]
    fn key_extensions() {
        use KeyExtension as K;
        let ext = PrivProtocol::ALL.map(PrivProtocol::extension);
        assert_eq!(
            ext,
            [
                K::None,
                K::Reeder,
                K::None,
                K::Blumenthal,
                K::Blumenthal,
                K::Reeder,
                K::Reeder
            ]
        );
    }
}
