//! Why an operation of the [`Manager`](crate::Manager) failed.

use std::io;
use std::sync::Arc;

use snmp_engine::RequestError;
use snmp_smi::{ErrorStatus, Oid, VarBind};
use snmp_transport::TransportError;
use snmp_usm::UsmError;

/// Why an operation failed. The three levels of PySNMP's hlapi stay apart:
///
/// - `errorIndication`, no usable answer at all: [`Error::Transport`] (timeout, a Report,
///   I/O, tooBig that cannot be split...), and the local errors before sending
///   ([`Error::Address`], [`Error::Credentials`], [`Error::Bind`]);
/// - `errorStatus` / `errorIndex`, an answer whose error-status is not `noError`:
///   [`Error::Status`];
/// - per-binding exceptions (`noSuchObject`, `noSuchInstance`, `endOfMibView`) are no error:
///   they stay in the returned bindings (see [`VarBindExt`](crate::VarBindExt)).
///
/// A walk adds [`Error::NonIncreasing`].
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// No usable answer: the transport or the command generator gave up (PySNMP's
    /// `errorIndication`). See [`Error::request_error`] and [`Error::is_timeout`].
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The agent answered with a non-zero error-status (PySNMP's `errorStatus` and
    /// `errorIndex`).
    #[error("{status} at index {index}{}", varbind.as_ref().map(|vb| format!(" ({})", vb.oid)).unwrap_or_default())]
    Status {
        /// The error-status.
        status: ErrorStatus,
        /// The error-index: 1-based position of the failing binding, 0 when none is named.
        index: u32,
        /// The binding at `index` in the response, when there is one.
        varbind: Option<Box<VarBind>>,
    },
    /// A walk received an OID that does not follow the one before it (a misbehaving agent):
    /// going on could loop forever. See [`WalkOptions::ignore_non_increasing`](crate::WalkOptions::ignore_non_increasing).
    #[error("OID not increasing: {next} after {previous}")]
    NonIncreasing {
        /// The last OID of the walk.
        previous: Box<Oid>,
        /// The OID received after it.
        next: Box<Oid>,
    },
    /// A target address cannot be parsed or resolved.
    #[error(transparent)]
    Address(#[from] AddrError),
    /// USM credentials are not acceptable (a password too short, privacy without
    /// authentication).
    #[error("bad USM credentials: {0}")]
    Credentials(#[source] UsmError),
    /// The manager's socket cannot be bound.
    #[error("cannot bind the manager's socket")]
    Bind(#[source] Arc<io::Error>),
    /// An argument cannot work (a bulk walk of max-repetitions 0, which would never
    /// advance); the message names it.
    #[error("{0}")]
    BadArgument(&'static str),
    /// A name that the loaded MIBs do not define as what it must be (a notification); the
    /// message names it.
    #[error("{0}")]
    UnknownName(Box<str>),
}

impl Error {
    /// The command generator's reason, when the request failed there (timeout, Report,
    /// tooBig...).
    pub fn request_error(&self) -> Option<&RequestError> {
        match self {
            Self::Transport(TransportError::Request(e)) => Some(e),
            _ => None,
        }
    }

    /// Whether the agent did not answer (after every retry), or did not answer the SNMPv3
    /// discovery probe.
    pub fn is_timeout(&self) -> bool {
        matches!(
            self.request_error(),
            Some(RequestError::Timeout | RequestError::DiscoveryTimeout)
        )
    }

    /// The error-status, for [`Error::Status`].
    pub fn status(&self) -> Option<ErrorStatus> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// A target address that cannot be used: not `ip`, `ip:port`, `[ipv6]:port`, or a host name
/// that does not resolve.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("bad agent address {input:?}: {reason}")]
#[non_exhaustive]
pub struct AddrError {
    /// The text given.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

impl AddrError {
    pub(crate) fn new(input: &str, reason: impl Into<String>) -> Self {
        Self {
            input: input.to_owned(),
            reason: reason.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation returns one: keep it small.
    #[test]
    fn size_budget() {
        let size = size_of::<Error>();
        assert!(size <= 64, "{size}");
    }
}
