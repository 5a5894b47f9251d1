//! The one error type of the crate.

use alloc::boxed::Box;

/// A USM failure: a message that does not authenticate or decrypt, or a key or protocol name
/// that cannot be used.
///
/// [`UsmError::WrongDigest`] and [`UsmError::Decryption`] are the ones a peer can cause; the
/// engine counts them in `usmStatsWrongDigests` and `usmStatsDecryptionErrors` (RFC 3414
/// section 3.2, steps 6 and 8). The others come from configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UsmError {
    /// The message's MAC is not the one its key gives, or has the wrong length (an empty MAC
    /// included).
    #[error("wrong digest: the authentication parameters do not match the message")]
    WrongDigest,
    /// The encrypted scoped PDU cannot be decrypted: its privacy parameters or its length are
    /// wrong for the protocol.
    #[error("decryption error: {reason}")]
    Decryption {
        /// What was wrong.
        reason: &'static str,
    },
    /// A password shorter than the 8 octets that RFC 3414 section 11.2 recommends and net-snmp
    /// requires (an empty one included).
    #[error(
        "the password is {len} octets long: at least 8 are required (RFC 3414 11.2, as net-snmp enforces)"
    )]
    PasswordTooShort {
        /// The password's length in octets.
        len: usize,
    },
    /// An authentication protocol name that is none of net-snmp's `-a` names.
    #[error(
        "unknown authentication protocol {name:?}: expected MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512"
    )]
    UnknownAuthProtocol {
        /// The name given.
        name: Box<str>,
    },
    /// A privacy protocol name that is none of net-snmp's `-x` names.
    #[error(
        "unknown privacy protocol {name:?}: expected DES, 3DES, AES, AES-192, AES-256, AES-192C or AES-256C"
    )]
    UnknownPrivProtocol {
        /// The name given.
        name: Box<str>,
    },
    /// A key whose length does not suit its use: an authentication key that is not exactly the
    /// digest size, a privacy key shorter than its protocol needs, or more than
    /// [`MAX_KEY_LEN`](crate::MAX_KEY_LEN) octets.
    #[error("{what} is {found} octets long: {expected} are required")]
    KeyLength {
        /// Which key.
        what: &'static str,
        /// The length required (the minimum for privacy keys, the maximum for raw keys).
        expected: usize,
        /// The length given.
        found: usize,
    },
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn stays_small() {
        // Three words for KeyLength, and the tag.
        assert!(size_of::<UsmError>() <= 40, "{}", size_of::<UsmError>());
    }

    #[test]
    fn messages_name_the_problem() {
        let e = UsmError::PasswordTooShort { len: 5 };
        assert!(e.to_string().contains("at least 8"), "{e}");
        let e = UsmError::UnknownAuthProtocol {
            name: "SHA-3".into(),
        };
        assert!(e.to_string().contains("\"SHA-3\""), "{e}");
    }
}
