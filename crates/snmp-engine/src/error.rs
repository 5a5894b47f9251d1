//! Why a request failed.

use snmp_ber::EncodeError;
use snmp_smi::Oid;
use snmp_usm::GenerateError;

/// Why a request of the [`CommandGenerator`](crate::CommandGenerator) failed: the payload of
/// [`Event::Failed`](crate::Event::Failed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
    /// No answer after the first transmission and every retry.
    #[error("no response from the agent")]
    Timeout,
    /// The agent did not answer the SNMPv3 engine discovery probe (RFC 3414 section 4).
    #[error("no answer to the SNMPv3 engine discovery probe")]
    DiscoveryTimeout,
    /// The answer does not fit the agent's (or our) message size, and the request cannot be
    /// split: a single binding, a GetBulkRequest, or a SetRequest (whose bindings must be set
    /// together).
    #[error("the response would be too big (tooBig)")]
    TooBig,
    /// The agent answered with a Report (RFC 3412 7.2 step 12): a security or processing
    /// error, named by the counter in its first binding.
    #[error("the agent reported {kind} ({oid})")]
    Report {
        /// Which counter.
        kind: ReportKind,
        /// The counter's instance OID, as received (boxed: an `Oid` is large, errors small).
        oid: Box<Oid>,
    },
    /// SNMPv1 has no GetBulkRequest.
    #[error("GetBulkRequest is not part of SNMPv1")]
    GetBulkInV1,
    /// USM could not build the message: the user is not configured, or lacks the keys for
    /// the level asked.
    #[error("cannot secure the request: {0}")]
    Security(GenerateError),
    /// The request cannot be encoded.
    #[error("cannot encode the request: {0}")]
    Encode(EncodeError),
}

/// The counter a Report names (RFC 3414 usmStats, RFC 3412 snmpMPDStats and others).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportKind {
    /// `usmStatsUnsupportedSecLevels` (1.3.6.1.6.3.15.1.1.1.0).
    UnsupportedSecLevels,
    /// `usmStatsNotInTimeWindows` (1.3.6.1.6.3.15.1.1.2.0).
    NotInTimeWindows,
    /// `usmStatsUnknownUserNames` (1.3.6.1.6.3.15.1.1.3.0).
    UnknownUserNames,
    /// `usmStatsUnknownEngineIDs` (1.3.6.1.6.3.15.1.1.4.0).
    UnknownEngineIds,
    /// `usmStatsWrongDigests` (1.3.6.1.6.3.15.1.1.5.0): the password or the protocol differ.
    WrongDigests,
    /// `usmStatsDecryptionErrors` (1.3.6.1.6.3.15.1.1.6.0).
    DecryptionErrors,
    /// Any other counter (snmpUnknownContexts, snmpUnknownPDUHandlers...), or none.
    Other,
}

/// `usmStats` (SNMP-USER-BASED-SM-MIB).
const USM_STATS: [u32; 9] = [1, 3, 6, 1, 6, 3, 15, 1, 1];

impl ReportKind {
    /// The kind of a Report whose first binding is `oid`.
    pub fn from_oid(oid: &Oid) -> Self {
        match oid.as_slice().strip_prefix(&USM_STATS[..]) {
            Some([1, 0]) => Self::UnsupportedSecLevels,
            Some([2, 0]) => Self::NotInTimeWindows,
            Some([3, 0]) => Self::UnknownUserNames,
            Some([4, 0]) => Self::UnknownEngineIds,
            Some([5, 0]) => Self::WrongDigests,
            Some([6, 0]) => Self::DecryptionErrors,
            _ => Self::Other,
        }
    }
}

impl core::fmt::Display for ReportKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::UnsupportedSecLevels => "usmStatsUnsupportedSecLevels",
            Self::NotInTimeWindows => "usmStatsNotInTimeWindows",
            Self::UnknownUserNames => "usmStatsUnknownUserNames",
            Self::UnknownEngineIds => "usmStatsUnknownEngineIDs",
            Self::WrongDigests => "usmStatsWrongDigests",
            Self::DecryptionErrors => "usmStatsDecryptionErrors",
            Self::Other => "another counter",
        })
    }
}

#[cfg(test)]
mod tests {
    use snmp_smi::oid;

    use super::*;

    #[test]
    fn report_kinds_from_usm_stats() {
        let kind =
            |n| ReportKind::from_oid(&oid!(1, 3, 6, 1, 6, 3, 15, 1, 1).extend(&[n, 0]).unwrap());
        assert_eq!(kind(1), ReportKind::UnsupportedSecLevels);
        assert_eq!(kind(2), ReportKind::NotInTimeWindows);
        assert_eq!(kind(3), ReportKind::UnknownUserNames);
        assert_eq!(kind(4), ReportKind::UnknownEngineIds);
        assert_eq!(kind(5), ReportKind::WrongDigests);
        assert_eq!(kind(6), ReportKind::DecryptionErrors);
        assert_eq!(kind(7), ReportKind::Other);
        // snmpUnknownContexts.0
        assert_eq!(
            ReportKind::from_oid(&oid!(1, 3, 6, 1, 6, 3, 12, 1, 5, 0)),
            ReportKind::Other
        );
        assert_eq!(ReportKind::from_oid(&Oid::EMPTY), ReportKind::Other);
    }

    /// Errors travel in every failed-request event: keep them small.
    #[test]
    fn size_budget() {
        let size = size_of::<RequestError>();
        assert!(size <= 32, "{size}");
    }
}
