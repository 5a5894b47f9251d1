//! The message-processing checks of RFC 3412 that need no security model: security levels,
//! msgFlags and header validation, when a Report may be sent, and the snmpMPDStats counters
//! (SNMP-MPD-MIB) those checks feed.

use core::fmt;

use snmp_smi::PduType;

use crate::{HeaderData, MsgFlags};

/// `SnmpSecurityLevel` (RFC 3411): what protection a message has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(clippy::exhaustive_enums)] // RFC 3411 defines exactly these
pub enum SecurityLevel {
    /// `noAuthNoPriv(1)`.
    NoAuthNoPriv = 1,
    /// `authNoPriv(2)`.
    AuthNoPriv = 2,
    /// `authPriv(3)`.
    AuthPriv = 3,
}

impl SecurityLevel {
    /// The msgFlags auth and priv bits for this level.
    pub const fn flags(self) -> u8 {
        match self {
            Self::NoAuthNoPriv => 0,
            Self::AuthNoPriv => MsgFlags::AUTH,
            Self::AuthPriv => MsgFlags::AUTH | MsgFlags::PRIV,
        }
    }

    /// net-snmp's name for the level, as `-l` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::NoAuthNoPriv => "noAuthNoPriv",
            Self::AuthNoPriv => "authNoPriv",
            Self::AuthPriv => "authPriv",
        }
    }
}

impl fmt::Display for SecurityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses net-snmp's `-l` values (`noAuthNoPriv`, `authNoPriv`, `authPriv`, any case; also
/// `1`, `2`, `3` and net-snmp's short forms `noauth`, `auth`, `priv`).
impl core::str::FromStr for SecurityLevel {
    type Err = UnknownSecurityLevel;

    fn from_str(s: &str) -> Result<Self, UnknownSecurityLevel> {
        match s.to_ascii_lowercase().as_str() {
            "noauthnopriv" | "noauth" | "nanp" | "1" => Ok(Self::NoAuthNoPriv),
            "authnopriv" | "auth" | "anp" | "2" => Ok(Self::AuthNoPriv),
            "authpriv" | "priv" | "ap" | "3" => Ok(Self::AuthPriv),
            _ => Err(UnknownSecurityLevel),
        }
    }
}

/// A security level name that is none of noAuthNoPriv, authNoPriv, authPriv.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct UnknownSecurityLevel;

impl fmt::Display for UnknownSecurityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid security level: expected noAuthNoPriv, authNoPriv or authPriv")
    }
}

impl core::error::Error for UnknownSecurityLevel {}

impl MsgFlags {
    /// The security level the auth and priv bits ask for; privFlag without authFlag is an
    /// invalid message (RFC 3412 7.2 step 5).
    pub const fn security_level(self) -> Result<SecurityLevel, MpdError> {
        match (self.auth(), self.privacy()) {
            (false, false) => Ok(SecurityLevel::NoAuthNoPriv),
            (true, false) => Ok(SecurityLevel::AuthNoPriv),
            (true, true) => Ok(SecurityLevel::AuthPriv),
            (false, true) => Err(MpdError::InvalidMsg(InvalidMsg::PrivWithoutAuth)),
        }
    }
}

/// Why the message processing model drops an SNMPv3 message before the security model sees
/// it; each maps to one snmpMPDStats counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MpdError {
    /// `snmpInvalidMsgs`: the header is inconsistent.
    InvalidMsg(InvalidMsg),
    /// `snmpUnknownSecurityModels`: no security model with this number is configured.
    UnknownSecurityModel(i32),
}

impl fmt::Display for MpdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidMsg(why) => write!(f, "invalid SNMPv3 message: {why}"),
            Self::UnknownSecurityModel(m) => write!(f, "unknown security model {m}"),
        }
    }
}

impl core::error::Error for MpdError {}

/// What makes an SNMPv3 header invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidMsg {
    /// privFlag set without authFlag.
    PrivWithoutAuth,
    /// msgID outside 0..2147483647.
    MsgId,
    /// msgMaxSize below 484, the smallest every SNMP entity must accept (RFC 3412 6).
    MaxSize,
}

impl fmt::Display for InvalidMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::PrivWithoutAuth => "privFlag set without authFlag",
            Self::MsgId => "negative msgID",
            Self::MaxSize => "msgMaxSize below 484",
        })
    }
}

/// The smallest msgMaxSize allowed (RFC 3412 section 6).
pub const MIN_MAX_SIZE: i32 = 484;

/// Checks an SNMPv3 header (RFC 3412 7.2 steps 3-5) against the security models this entity
/// has, returning the security level the message asks for.
pub fn check_header(
    header: &HeaderData,
    security_models: &[i32],
) -> Result<SecurityLevel, MpdError> {
    if header.msg_id < 0 {
        return Err(MpdError::InvalidMsg(InvalidMsg::MsgId));
    }
    if header.max_size < MIN_MAX_SIZE {
        return Err(MpdError::InvalidMsg(InvalidMsg::MaxSize));
    }
    if !security_models.contains(&header.security_model) {
        return Err(MpdError::UnknownSecurityModel(header.security_model));
    }
    header.flags.security_level()
}

/// Whether a Report may be sent about a message (RFC 3412 7.1 step 3 and 7.2): only when its
/// reportableFlag is set, and never about a Response, Trap or Report (the Unconfirmed
/// class). `pdu_type` is `None` when the PDU could not be read (encrypted and undecryptable):
/// then the flag alone decides.
pub fn may_report(flags: MsgFlags, pdu_type: Option<PduType>) -> bool {
    flags.reportable() && pdu_type.is_none_or(PduType::is_confirmed)
}

/// The snmpMPDStats counters of SNMP-MPD-MIB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct MpdStats {
    /// `snmpUnknownSecurityModels`.
    pub unknown_security_models: u32,
    /// `snmpInvalidMsgs`.
    pub invalid_msgs: u32,
    /// `snmpUnknownPDUHandlers`.
    pub unknown_pdu_handlers: u32,
}

impl MpdStats {
    /// Counts one dropped message.
    pub fn count(&mut self, error: &MpdError) {
        let counter = match error {
            MpdError::InvalidMsg(_) => &mut self.invalid_msgs,
            MpdError::UnknownSecurityModel(_) => &mut self.unknown_security_models,
        };
        *counter = counter.wrapping_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(msg_id: i32, max_size: i32, flags: u8, model: i32) -> HeaderData {
        HeaderData {
            msg_id,
            max_size,
            flags: MsgFlags(flags),
            security_model: model,
        }
    }

    #[test]
    fn levels_from_flags() {
        assert_eq!(
            MsgFlags(0x04).security_level(),
            Ok(SecurityLevel::NoAuthNoPriv)
        );
        assert_eq!(
            MsgFlags(0x05).security_level(),
            Ok(SecurityLevel::AuthNoPriv)
        );
        assert_eq!(MsgFlags(0x07).security_level(), Ok(SecurityLevel::AuthPriv));
        assert_eq!(
            MsgFlags(0x06).security_level(),
            Err(MpdError::InvalidMsg(InvalidMsg::PrivWithoutAuth))
        );
        for level in [
            SecurityLevel::NoAuthNoPriv,
            SecurityLevel::AuthNoPriv,
            SecurityLevel::AuthPriv,
        ] {
            assert_eq!(MsgFlags(level.flags()).security_level(), Ok(level));
            assert_eq!(level.name().parse::<SecurityLevel>(), Ok(level));
        }
        assert_eq!(
            "AUTHPRIV".parse::<SecurityLevel>(),
            Ok(SecurityLevel::AuthPriv)
        );
        assert_eq!(
            "authpriv ".parse::<SecurityLevel>(),
            Err(UnknownSecurityLevel)
        );
    }

    #[test]
    fn header_checks_and_counters() {
        let mut stats = MpdStats::default();
        assert_eq!(
            check_header(&header(1, 65507, 0x07, 3), &[3]),
            Ok(SecurityLevel::AuthPriv)
        );
        for (h, want) in [
            (
                header(-1, 1500, 0, 3),
                MpdError::InvalidMsg(InvalidMsg::MsgId),
            ),
            (
                header(1, 483, 0, 3),
                MpdError::InvalidMsg(InvalidMsg::MaxSize),
            ),
            (
                header(1, 1500, 0x02, 3),
                MpdError::InvalidMsg(InvalidMsg::PrivWithoutAuth),
            ),
            (header(1, 1500, 0, 99), MpdError::UnknownSecurityModel(99)),
        ] {
            let e = check_header(&h, &[3]).unwrap_err();
            assert_eq!(e, want);
            stats.count(&e);
        }
        assert_eq!((stats.invalid_msgs, stats.unknown_security_models), (3, 1));
    }

    #[test]
    fn reports_only_for_confirmed_pdus() {
        let r = MsgFlags(MsgFlags::REPORTABLE);
        assert!(may_report(r, Some(PduType::GetRequest)));
        assert!(may_report(r, None));
        assert!(!may_report(r, Some(PduType::Response)));
        assert!(!may_report(r, Some(PduType::SnmpV2Trap)));
        assert!(!may_report(MsgFlags(0), Some(PduType::GetRequest)));
    }
}
