//! MIB text -> modules -> resolved tree (see `snmp_mib::fuzzing::parse_and_resolve`): no input
//! makes the parser or the resolver panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    snmp_mib::fuzzing::parse_and_resolve(&String::from_utf8_lossy(data));
});
