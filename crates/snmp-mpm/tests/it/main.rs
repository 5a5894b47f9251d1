//! Integration tests of snmp-mpm: real captured messages against tshark's decoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod captures;
mod fuzz_regressions;
mod proptests;
