//! `cargo xtask mib-facts [DIR]`: compiles every module of DIR (default `../shared/mibs/ietf`)
//! and writes the facts, without DESCRIPTION texts, to `crates/snmp-mib/data/ietf.bin`, which
//! `snmp_mib::Mib::ietf()` embeds (feature `ietf`).

use std::path::Path;

use snmp_mib::Mib;

pub(crate) fn run(root: &Path, dir: Option<&str>) -> Result<(), String> {
    let shared = std::env::var("SNMP_SHARED_DIR").map_or_else(
        |_| root.join("../shared/mibs/ietf"),
        |d| Path::new(&d).join("mibs/ietf"),
    );
    let dir = dir.map_or(shared, |d| Path::new(d).to_path_buf());
    let mib = Mib::load(&[&dir], &["ALL"])
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .without_descriptions();
    let bytes = mib.to_bytes();
    let out = root.join("crates/snmp-mib/data/ietf.bin");
    std::fs::write(&out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{}: {} modules, {} objects, {} bytes",
        out.display(),
        mib.modules().count(),
        mib.objects().count(),
        bytes.len()
    );
    Ok(())
}
