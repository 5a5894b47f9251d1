//! Replays every input under `tests/data/fuzz/` (crashers found by `cargo fuzz`, and hand-made
//! edge cases) through the fuzz targets' own checks.

use std::path::Path;

#[test]
fn fuzz_regressions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "bin") {
            let data = std::fs::read(&path).unwrap();
            snmp_mpm::fuzzing::decode(&data);
            snmp_mpm::fuzzing::round_trip(&data);
            n += 1;
        }
    }
    assert!(n >= 5, "only {n} regression inputs in {}", dir.display());
}
