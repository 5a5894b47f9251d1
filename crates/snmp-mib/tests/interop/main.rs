//! The resolved tree against net-snmp's `snmptranslate` (package `snmp`), run by
//! `cargo xtask interop`: every label and OID of the IETF set.
//!
//! RFC 2578 section 3.2: "the OBJECT IDENTIFIER value ... is assigned to the descriptor"; two
//! compilers reading the same modules must assign the same values.

mod translate;
