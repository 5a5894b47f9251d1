//! Integration tests of snmp-mib: the shared MIB corpora (read in place from `../shared/mibs`,
//! skipped when absent) and the resolver on real modules.

mod cache;
mod corpus;
mod resolve;

use std::path::PathBuf;

/// `../shared/mibs/<sub>` beside the workspace (or under `$SNMP_SHARED_DIR`), if present.
pub(crate) fn shared(sub: &str) -> Option<PathBuf> {
    let root = std::env::var_os("SNMP_SHARED_DIR").map_or_else(
        || PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")),
        PathBuf::from,
    );
    let dir = root.join("mibs").join(sub);
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is absent", dir.display());
        None
    }
}
