//! The errors of access checks and of table configuration.

use snmp_smi::ErrorStatus;

/// Why `isAccessAllowed` (RFC 3415 section 3.2) did not answer accessAllowed: its
/// errorIndications, in the order of the steps that produce them.
///
/// What the caller does with each (RFC 3413 sections 3.2 and 3.3, RFC 3584 section 4.4):
///
/// | error | command responder | notification originator |
/// |---|---|---|
/// | [`NoSuchContext`](Self::NoSuchContext) | increments `snmpUnknownContexts` (1.3.6.1.6.3.12.1.5.0) and, for SNMPv3, answers with a Report carrying it | notification not sent to this target |
/// | [`NoGroupName`](Self::NoGroupName), [`NoAccessEntry`](Self::NoAccessEntry), [`NoSuchView`](Self::NoSuchView) | the whole request fails with `authorizationError(16)` (SNMPv1: `noSuchName(2)`) | not sent to this target |
/// | [`NotInView`](Self::NotInView) | per binding: Get answers `noSuchObject`, GetNext/GetBulk skip the OID, Set fails with `noAccess(6)` (SNMPv1: `noSuchName(2)`) | not sent to this target |
///
/// [`error_status`](Self::error_status) gives the request-wide error-status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// `noSuchContext`: the context name is not in the vacmContextTable (step 1).
    #[error("no such context (snmpUnknownContexts)")]
    NoSuchContext,
    /// `noGroupName`: the (securityModel, securityName) pair is in no group of the
    /// vacmSecurityToGroupTable (step 2).
    #[error("the security name is in no group")]
    NoGroupName,
    /// `noAccessEntry`: no vacmAccessTable entry of the group matches the context, model and
    /// level (step 3).
    #[error("no access entry for this group, context, security model and level")]
    NoAccessEntry,
    /// `noSuchView`: the access entry names no view of this kind, or a view with no subtree
    /// family (step 4).
    #[error("no such view")]
    NoSuchView,
    /// `notInView`: the variable is not in the view (step 5).
    #[error("not in view")]
    NotInView,
}

impl AccessError {
    /// The error-status RFC 3413 section 3.2 gives a whole request for this error:
    /// `authorizationError` for noGroupName, noAccessEntry and noSuchView; `None` for
    /// noSuchContext (a Report or a drop) and notInView (decided per binding and operation).
    /// An SNMPv1 response maps `authorizationError` to `noSuchName` (RFC 3584 section 4.4,
    /// `snmp_mpm::v2_error_to_v1`).
    pub const fn error_status(self) -> Option<ErrorStatus> {
        match self {
            Self::NoGroupName | Self::NoAccessEntry | Self::NoSuchView => {
                Some(ErrorStatus::AUTHORIZATION_ERROR)
            }
            Self::NoSuchContext | Self::NotInView => None,
        }
    }
}

/// A table row that the MIB's syntax does not allow.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A name (SnmpAdminString) longer than the MIB allows, or empty where it must not be.
    #[error("{what} must be {min}..=32 octets long, not {len}")]
    NameLength {
        /// Which column: "group name", "view name", "context name", ...
        what: &'static str,
        /// The shortest allowed length (0 or 1).
        min: usize,
        /// The length given.
        len: usize,
    },
    /// A vacmViewTreeFamilyMask of more than 16 octets.
    #[error("a view mask has at most 16 octets, not {0}")]
    MaskTooLong(usize),
    /// `any(0)` where a concrete security model is needed (the vacmSecurityToGroupTable).
    #[error("a group member needs a concrete security model, not any")]
    AnySecurityModel,
    /// A source prefix length beyond the address's bits (32 for IPv4, 128 for IPv6).
    #[error("prefix length {len} is longer than the address ({max} bits)")]
    PrefixLength {
        /// The length given.
        len: u8,
        /// 32 or 128.
        max: u8,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(size_of::<AccessError>(), 1);
        assert!(size_of::<ConfigError>() <= 40);
    }

    /// RFC 3413 section 3.2: the three request-wide failures are authorizationError.
    #[test]
    fn error_statuses() {
        assert_eq!(
            AccessError::NoAccessEntry.error_status(),
            Some(ErrorStatus::AUTHORIZATION_ERROR)
        );
        assert_eq!(AccessError::NotInView.error_status(), None);
        assert_eq!(AccessError::NoSuchContext.error_status(), None);
    }
}
