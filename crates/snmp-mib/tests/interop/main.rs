//! The resolved tree against net-snmp's `snmptranslate` (package `snmp`), and DISPLAY-HINT
//! formatting against `snmptrapd` (package `snmptrapd`), run by `cargo xtask interop`.
//!
//! RFC 2578 section 3.2: "the OBJECT IDENTIFIER value ... is assigned to the descriptor"; two
//! compilers reading the same modules must assign the same values.

mod display_hint;
mod translate;

use std::path::PathBuf;

/// `../shared/mibs/ietf` beside the workspace (or under `$SNMP_SHARED_DIR`), if present.
pub(crate) fn ietf() -> Option<PathBuf> {
    let root = std::env::var_os("SNMP_SHARED_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
        PathBuf::from,
    );
    let dir = root.join("mibs/ietf");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}
