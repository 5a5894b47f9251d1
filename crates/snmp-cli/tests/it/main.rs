//! Integration tests of snmp-cli: `snmp decode` over every capture of `../shared/pcaps`
//! against tshark's decoding, and the `snmp` binary end to end.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod agent;
mod binary;
mod captures;
mod mibs;
mod tools;
mod traps;
