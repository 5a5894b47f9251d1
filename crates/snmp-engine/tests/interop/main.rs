//! Interop of the command generator with real agents started on loopback: net-snmp's `snmpd`
//! (with its `snmpget`, `snmpbulkget` and `snmpwalk` as the reference for what the agent
//! serves; Debian packages `snmpd` and `snmp`) and a PySNMP 7 command responder
//! (`pip install pysnmp`), driven over real UDP sockets by a small blocking loop
//! ([`common::Driver`]).
//!
//! The tests are `#[ignore]`d in a plain `cargo test` and run by `cargo xtask interop`, which
//! CI calls after installing the peers.
// Tests: unwrap/expect are the assertions, and the driver's clock is the real one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
mod netsnmp;
mod pysnmp;
