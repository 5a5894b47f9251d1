//! Interop with real peers started on loopback: net-snmp's `snmpd` and `snmpget` (Debian
//! packages `snmpd` and `snmp`) and PySNMP 7 (`pip install pysnmp`).
//!
//! The tests are `#[ignore]`d in a plain `cargo test` and run by `cargo xtask interop`, which
//! CI calls after installing the peers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::disallowed_methods)]

mod common;
mod netsnmp;
mod pysnmp;
