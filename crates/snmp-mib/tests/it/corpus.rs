//! Every module of the IETF set compiles; at least 99 % of the vendor set does.

use std::path::{Path, PathBuf};

use snmp_mib::{Loader, MibError};

use crate::shared;

/// The vendor folders (each a search-path directory of its own, as a user would load them).
fn vendor_dirs(root: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("the vendor directory lists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn every_ietf_module_compiles() {
    let Some(ietf) = shared("ietf") else { return };
    let mut loader = Loader::new([&ietf]).unwrap();
    let available = loader.available().count();
    let failed = loader.load_all();
    for e in loader.errors() {
        eprintln!("{e}");
    }
    assert_eq!(failed, 0, "{:#?}", loader.errors());
    // Only IMPORTS of modules that are not in the set (SOURCE.txt lists them) go unanswered.
    for e in loader.errors() {
        assert!(
            matches!(e, MibError::ModuleNotFound { module, .. } if module == "RFC-1213" || module == "RFC1316-MIB"),
            "{e}"
        );
    }
    assert!(available >= 460, "{available} modules");
    let mib = loader.build();
    assert_eq!(mib.modules().count(), available);
    assert!(mib.unresolved().is_empty(), "{:?}", mib.unresolved());
    println!(
        "IETF: {available} modules compiled, {} objects",
        mib.objects().count()
    );
}

/// The vendor modules that do not compile, with why (the list in docs/mib-coverage.md).
///
/// The search path is the IETF set then every vendor folder, as a user would pass them to
/// `-M`; each module defined under `vendor/` is loaded with its imports.
fn vendor_failures() -> Option<(usize, Vec<String>)> {
    let root = shared("vendor")?;
    let ietf = shared("ietf")?;
    // The IETF set first: a later directory wins, so the vendor copies of IETF modules
    // (vendor/net-snmp has a few) are the ones compiled.
    let mut path = vec![ietf];
    path.extend(vendor_dirs(&root));
    let mut loader = Loader::new(&path).expect("the directories list");
    let mut names: Vec<String> = loader
        .available()
        .filter(|m| loader.file_of(m).is_some_and(|f| f.starts_with(&root)))
        .map(str::to_owned)
        .collect();
    names.sort();
    let mut failures = Vec::new();
    for name in &names {
        if let Err(e) = loader.load(name) {
            failures.push(format!("{name}: {e}"));
        }
    }
    let mib = loader.build();
    for (module, object) in mib.unresolved() {
        if loader.file_of(module).is_some_and(|f| f.starts_with(&root)) {
            failures.push(format!("{module}: {object} has an unresolved parent"));
        }
    }
    Some((names.len(), failures))
}

#[test]
fn vendor_modules_compile() {
    let Some((total, failures)) = vendor_failures() else {
        return;
    };
    let modules_failed: std::collections::BTreeSet<&str> = failures
        .iter()
        .filter_map(|f| f.split(':').next())
        .collect();
    let ok = total - modules_failed.len();
    println!("vendor: {ok} of {total} modules compile");
    assert!(ok * 100 >= total * 99, "{ok}/{total}: {failures:#?}");
}

/// Prints the vendor failures: `cargo test -p snmp-mib --test it -- --ignored --nocapture vendor_failure_list`.
#[test]
#[ignore = "prints the list for docs/mib-coverage.md"]
fn vendor_failure_list() {
    let Some((total, failures)) = vendor_failures() else {
        return;
    };
    println!("{total} vendor modules");
    for f in failures {
        println!("{f}");
    }
}
