//! The small enums of the VACM tables (RFC 3411 `SnmpSecurityModel`, RFC 3415 columns).

use core::fmt;

/// `SnmpSecurityModel` (RFC 3411): the security model of a group member or access entry.
///
/// [`Any`](Self::Any) (0) is only meaningful in the vacmAccessTable, where it matches every
/// model; a message always carries a concrete model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SecurityModel {
    /// `any(0)`: matches every model (access entries only).
    Any = 0,
    /// `SNMPv1(1)`: the community-based model of SNMPv1.
    V1 = 1,
    /// `SNMPv2c(2)`: the community-based model of SNMPv2c.
    V2c = 2,
    /// `USM(3)`: the User-based Security Model (RFC 3414).
    Usm = 3,
}

impl SecurityModel {
    /// The model's number, as msgSecurityModel and the MIB tables carry it.
    pub const fn number(self) -> i32 {
        self as i32
    }

    /// The model of a number; `None` for models this crate does not know (e.g. TSM, 4).
    pub const fn from_number(n: i32) -> Option<Self> {
        match n {
            0 => Some(Self::Any),
            1 => Some(Self::V1),
            2 => Some(Self::V2c),
            3 => Some(Self::Usm),
            _ => None,
        }
    }

    /// net-snmp's name for the model in snmpd.conf (`any`, `v1`, `v2c`, `usm`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Any => "any",
            Self::V1 => "v1",
            Self::V2c => "v2c",
            Self::Usm => "usm",
        }
    }
}

impl fmt::Display for SecurityModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `vacmAccessContextMatch` (RFC 3415): how an access entry's context prefix is compared with
/// the context name of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_enums)] // RFC 3415 defines exactly these
pub enum ContextMatch {
    /// `exact(1)`: the context name must equal the prefix.
    Exact = 1,
    /// `prefix(2)`: the context name must start with the prefix.
    Prefix = 2,
}

/// `vacmViewTreeFamilyType` (RFC 3415): whether a view subtree family is in or out of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_enums)] // RFC 3415 defines exactly these
pub enum ViewType {
    /// `included(1)`.
    Included = 1,
    /// `excluded(2)`.
    Excluded = 2,
}

/// The `viewType` of `isAccessAllowed` (RFC 3415 section 3.2): which of an access entry's three
/// views applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[allow(clippy::exhaustive_enums)] // RFC 3415 defines exactly these
pub enum ViewKind {
    /// `readView` (vacmAccessReadViewName): Get, GetNext, GetBulk.
    Read,
    /// `writeView` (vacmAccessWriteViewName): Set.
    Write,
    /// `notifyView` (vacmAccessNotifyViewName): the bindings of Trap and Inform notifications.
    Notify,
}

#[cfg(test)]
mod tests {
    use alloc::string::ToString;

    use super::*;

    #[test]
    fn security_model_numbers_round_trip() {
        for m in [
            SecurityModel::Any,
            SecurityModel::V1,
            SecurityModel::V2c,
            SecurityModel::Usm,
        ] {
            assert_eq!(SecurityModel::from_number(m.number()), Some(m));
        }
        assert_eq!(SecurityModel::Usm.number(), 3);
        assert_eq!(SecurityModel::from_number(4), None);
        assert_eq!(SecurityModel::V2c.to_string(), "v2c");
    }
}
