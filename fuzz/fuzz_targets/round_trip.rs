//! decode -> encode -> decode (see `snmp_mpm::fuzzing::round_trip` for the properties).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| snmp_mpm::fuzzing::round_trip(data));
