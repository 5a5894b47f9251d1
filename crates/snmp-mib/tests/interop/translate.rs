//! Name -> OID and OID -> name for every node of `../shared/mibs/ietf`, compared with
//! `snmptranslate -M ietf -m ALL -Tz` (one call dumps every label and its OID).
//!
//! Each disagreement is explained in docs/mib-coverage.md; the test fails on any other.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use snmp_mib::{Loader, Mib};
use snmp_smi::Oid;

use crate::ietf;

/// `(label, OID)` of every node net-snmp knows, from `snmptranslate -Tz`.
fn net_snmp_nodes(dir: &std::path::Path) -> Vec<(String, Oid)> {
    let out = Command::new("snmptranslate")
        .arg("-M")
        .arg(dir)
        .args(["-m", "ALL", "-Tz"])
        .output()
        .expect("snmptranslate runs (apt-get install snmp)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            let mut fields = line.split('"').filter(|f| !f.trim().is_empty());
            let label = fields.next()?.to_owned();
            let oid: Oid = fields.next()?.parse().ok()?;
            Some((label, oid))
        })
        .collect()
}

/// Modules net-snmp cannot read, with the reason (docs/mib-coverage.md): what they (and the
/// modules that import from them) define is absent from its tree.
const NET_SNMP_FAILS: &[&str] = &["DPI20-MIB"];

#[test]
#[ignore = "interop: needs net-snmp's snmptranslate"]
fn every_ietf_name_matches_snmptranslate() {
    let Some(dir) = ietf() else { return };
    let theirs = net_snmp_nodes(&dir);
    let mut loader = Loader::new([&dir]).expect("the directory lists");
    loader.load_all();
    let mib: Mib = loader.build();

    let mut their_labels: BTreeMap<&str, BTreeSet<&Oid>> = BTreeMap::new();
    let mut their_oids: BTreeMap<&Oid, BTreeSet<&str>> = BTreeMap::new();
    for (label, oid) in &theirs {
        // net-snmp's own names for arcs no module names (`anonymous#6`, `x25#` for the
        // `enterprise.0` of TRAP-TYPEs): not MIB names.
        if label.contains('#') {
            continue;
        }
        their_labels.entry(label).or_default().insert(oid);
        their_oids.entry(oid).or_default().insert(label);
    }
    let mut ours: BTreeMap<&str, BTreeSet<&Oid>> = BTreeMap::new();
    for o in mib.objects() {
        ours.entry(&o.name).or_default().insert(&o.oid);
    }

    // Name -> OID: every label of net-snmp's tree, at the same OID in ours.
    let mut missing = Vec::new();
    for (label, oids) in &their_labels {
        for oid in oids {
            if !ours.get(label).is_some_and(|o| o.contains(oid)) {
                missing.push(format!("{label} {oid}: ours {:?}", ours.get(label)));
            }
        }
    }
    // Our extra names: defined by modules net-snmp fails on, or not in its tree.
    let mut extra = Vec::new();
    for o in mib.objects() {
        if o.module.is_empty() {
            continue;
        }
        if !their_labels
            .get(o.name.as_str())
            .is_some_and(|s| s.contains(&o.oid))
        {
            extra.push(format!("{}::{} {}", o.module, o.name, o.oid));
        }
    }
    // OID -> name: our name for each of net-snmp's OIDs is one of its labels there.
    let mut renamed = Vec::new();
    for (oid, labels) in &their_oids {
        if let Some(o) = mib.object_at(oid)
            && !labels.contains(o.name.as_str())
        {
            renamed.push(format!(
                "{oid}: ours {}::{}, theirs {labels:?}",
                o.module, o.name
            ));
        }
    }
    println!(
        "net-snmp: {} labels, ours: {} objects; missing {}, extra {}, renamed {}",
        theirs.len(),
        mib.objects().count(),
        missing.len(),
        extra.len(),
        renamed.len()
    );
    for m in &missing {
        println!("missing: {m}");
    }
    for m in &renamed {
        println!("renamed: {m}");
    }
    for m in &extra {
        println!("extra: {m}");
    }
    assert!(missing.is_empty(), "{missing:#?}");
    assert!(renamed.is_empty(), "{renamed:#?}");
    let unexplained: Vec<&String> = extra
        .iter()
        .filter(|e| {
            !NET_SNMP_FAILS
                .iter()
                .any(|m| e.starts_with(&format!("{m}::")))
        })
        .collect();
    assert!(unexplained.is_empty(), "{unexplained:#?}");
}
