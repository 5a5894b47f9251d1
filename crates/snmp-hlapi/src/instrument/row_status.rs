//! The RowStatus textual convention (RFC 2579).

/// `RowStatus ::= TEXTUAL-CONVENTION ... SYNTAX INTEGER { active(1), notInService(2),
/// notReady(3), createAndGo(4), createAndWait(5), destroy(6) }` (RFC 2579): the status
/// column by which managers create, activate, suspend and delete conceptual rows.
///
/// A row reads as `active`, `notInService` or `notReady`; managers write `active`,
/// `notInService`, `createAndGo`, `createAndWait` and `destroy` (writing `notReady` is
/// wrongValue).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[allow(clippy::exhaustive_enums)] // the six values of RFC 2579
pub enum RowStatus {
    /// `active(1)`: the row is available for use by the managed device.
    Active = 1,
    /// `notInService(2)`: the row is complete but not in use.
    NotInService = 2,
    /// `notReady(3)`: the row lacks a value for some required column.
    NotReady = 3,
    /// `createAndGo(4)`: creates the row, active at once.
    CreateAndGo = 4,
    /// `createAndWait(5)`: creates the row, not yet in use.
    CreateAndWait = 5,
    /// `destroy(6)`: deletes the row.
    Destroy = 6,
}

impl RowStatus {
    /// The value of the status column, as a `Value::Integer`.
    pub const fn code(self) -> i32 {
        self as i32
    }
}

impl TryFrom<i32> for RowStatus {
    type Error = i32;

    /// The status of `code`, or `code` back if it is none of the six.
    fn try_from(code: i32) -> Result<Self, i32> {
        Ok(match code {
            1 => Self::Active,
            2 => Self::NotInService,
            3 => Self::NotReady,
            4 => Self::CreateAndGo,
            5 => Self::CreateAndWait,
            6 => Self::Destroy,
            other => return Err(other),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in 1..=6 {
            assert_eq!(RowStatus::try_from(code).unwrap().code(), code);
        }
        assert_eq!(RowStatus::try_from(0), Err(0));
        assert_eq!(RowStatus::try_from(7), Err(7));
    }
}
