//! Decodes arbitrary bytes as an SNMP message, leniently and strictly: it may fail, never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| snmp_mpm::fuzzing::decode(data));
