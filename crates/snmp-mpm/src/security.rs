//! The Security Subsystem's service interface (RFC 3411 section 4.4): what a message processing
//! model calls on a security model. USM (`snmp-usm`) implements it; others could.

use bytes::Bytes;
use snmp_smi::VarBind;

use crate::{HeaderData, ScopedPdu, SecurityLevel, V3Message};

/// What a security model hands back for an incoming message that it accepted (the outputs of
/// RFC 3411 `processIncomingMsg`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SecurityIncoming {
    /// `securityEngineID`: the authoritative engine of the message.
    pub engine_id: Bytes,
    /// `securityName`: the principal the message is from (for USM, the user name).
    pub security_name: Bytes,
    /// `securityLevel`: the protection the message had.
    pub level: SecurityLevel,
    /// The scoped PDU, decrypted if it was encrypted.
    pub scoped_pdu: ScopedPdu,
}

impl SecurityIncoming {
    /// Builds the outputs.
    pub fn new(
        engine_id: Bytes,
        security_name: Bytes,
        level: SecurityLevel,
        scoped_pdu: ScopedPdu,
    ) -> Self {
        Self {
            engine_id,
            security_name,
            level,
            scoped_pdu,
        }
    }
}

/// A security model, as RFC 3411 section 4.4 defines its services. Sans-IO: time comes in as
/// `now`, in whatever clock type the model's timeliness rules use.
pub trait SecurityModel {
    /// The clock type of `now`.
    type Instant;
    /// Why an incoming message was refused; it carries what a Report needs.
    type Failure: core::error::Error;
    /// Why an outgoing message could not be built.
    type GenerateError: core::error::Error;

    /// The model's `SnmpSecurityModel` number (3 for USM), as msgSecurityModel carries it.
    fn security_model(&self) -> i32;

    /// `processIncomingMsg`: authenticates, checks timeliness, decrypts. `whole` is the
    /// datagram `msg` was decoded from, zero-copy.
    fn process_incoming(
        &mut self,
        now: Self::Instant,
        whole: &Bytes,
        msg: &V3Message,
    ) -> Result<SecurityIncoming, Self::Failure>;

    /// The binding of the Report about `failure` (the counter it incremented), if one is due.
    fn report_varbind(&self, failure: &Self::Failure) -> Option<VarBind>;

    /// `generateRequestMsg`: a request or notification to the authoritative engine
    /// `engine_id`.
    fn generate_request(
        &mut self,
        now: Self::Instant,
        header: HeaderData,
        scoped_pdu: &ScopedPdu,
        security_name: &Bytes,
        engine_id: &Bytes,
        level: SecurityLevel,
    ) -> Result<Bytes, Self::GenerateError>;

    /// `generateResponseMsg`: a response or report from this, the authoritative, engine.
    fn generate_response(
        &mut self,
        now: Self::Instant,
        header: HeaderData,
        scoped_pdu: &ScopedPdu,
        security_name: &Bytes,
        level: SecurityLevel,
    ) -> Result<Bytes, Self::GenerateError>;
}
