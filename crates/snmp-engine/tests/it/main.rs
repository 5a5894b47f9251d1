//! Integration tests of snmp-engine that need no peer: the command responder against every
//! real message of `../shared/pcaps` and mutations of them.
// Tests: unwrap/expect are the assertions, and the time bound reads the real clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod responder_robustness;
