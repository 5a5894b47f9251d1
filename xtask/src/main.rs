//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `fixtures [--check]`: write (or verify) the benchmark messages in `testdata/bench/`.
//! - `bench`: our decoder and encoder beside net-snmp's `snmp_parse`, same messages, one run.
//! - `bench agent [RUNS]`: our agent's throughput and latency beside net-snmp's `snmpd`
//!   (default 3 runs; needs `snmpd` and `taskset`).
//! - `bench manager [RUNS]`: our manager beside `snmpbulkwalk`/`snmpget`, PySNMP 7 and ezsnmp
//!   (each where installed), against our agent (default 3 runs; needs net-snmp's `snmp`
//!   tools and `taskset`). It starts this binary as that agent: `bench-agent-serve PORT ROWS
//!   TARGETS`, an internal command.
//! - `bench mib [RUNS]`: loading the IETF MIB set from source and from the compiled cache
//!   beside net-snmp's `snmptranslate -m ALL` and pysmi's `mibdump` (default 5 runs; it
//!   starts this binary for ours: `bench-mib-load DIR source|cache [CACHE_DIR]`, internal).
//! - `fuzz-smoke [SECONDS]`: run every cargo-fuzz target briefly (needs the nightly toolchain
//!   and cargo-fuzz).
//! - `interop`: the tests against real peers started on loopback (net-snmp's `snmpd` and
//!   `snmpget`, Debian packages `snmpd` and `snmp`; PySNMP 7, `pip install pysnmp`).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod agent_bench;
mod bench;
mod fixtures;
mod manager_bench;
mod mib_bench;
mod mib_facts;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn fuzz_smoke(root: &Path, seconds: &str) -> Result<(), String> {
    let list = Command::new("cargo")
        .args(["+nightly", "fuzz", "list"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cargo fuzz: {e}"))?;
    if !list.status.success() {
        return Err(format!(
            "cargo fuzz list failed: {}",
            String::from_utf8_lossy(&list.stderr)
        ));
    }
    let targets = String::from_utf8_lossy(&list.stdout).into_owned();
    // Read-only seed corpora: our benchmark messages and, when present, the shared captures'
    // raw messages (read in place, never copied into the repository).
    let shared = root.join("../shared/pcaps");
    let seeds: Vec<PathBuf> = [
        root.join("testdata/bench"),
        root.join("crates/snmp-mpm/tests/data/fuzz"),
        shared.join("rusticata-snmp-parser"),
        shared.join("sharpsnmplib"),
        shared.join("gosnmp"),
    ]
    .into_iter()
    .filter(|p| p.is_dir())
    .collect();
    for target in targets.lines().filter(|l| !l.trim().is_empty()) {
        println!("fuzz smoke: {target} for {seconds} s");
        let corpus = root.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| e.to_string())?;
        let out = Command::new("cargo")
            .args(["+nightly", "fuzz", "run", target])
            .arg(&corpus)
            .args(seeds.iter())
            .args(["--", &format!("-max_total_time={seconds}"), "-max_len=2048"])
            .current_dir(root)
            .output()
            .map_err(|e| e.to_string())?;
        // libFuzzer reports every new input: keep the log short unless the target failed.
        let log = String::from_utf8_lossy(&out.stderr);
        let lines: Vec<&str> = log.lines().collect();
        let keep = if out.status.success() { 2 } else { 200 };
        for line in lines.iter().skip(lines.len().saturating_sub(keep)) {
            println!("  {line}");
        }
        if !out.status.success() {
            return Err(format!("fuzz target {target} failed"));
        }
    }
    Ok(())
}

/// The interop suites: test binaries whose tests are `#[ignore]`d without their peers, and the
/// commands that tell whether each peer is there.
const INTEROP: &[(&str, &str)] = &[
    ("snmp-usm", "interop"),
    ("snmp-transport", "interop"),
    ("snmp-engine", "interop"),
    ("snmp-hlapi", "interop"),
    ("snmp-mib", "interop"),
];
const PEERS: &[(&str, &str)] = &[
    (
        "command -v snmpd",
        "net-snmp's snmpd (apt-get install snmpd)",
    ),
    (
        "command -v snmpget",
        "net-snmp's snmpget (apt-get install snmp)",
    ),
    (
        "command -v snmptrapd",
        "net-snmp's snmptrapd (apt-get install snmptrapd)",
    ),
    (
        "python3 -c 'import pysnmp'",
        "PySNMP 7 (pip install pysnmp)",
    ),
];

fn interop(root: &Path) -> Result<(), String> {
    for (check, what) in PEERS {
        let found = Command::new("sh")
            .args(["-c", check])
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return Err(format!("{what} is not installed"));
        }
    }
    for (package, test) in INTEROP {
        println!("interop: {package} {test}");
        let status = Command::new("cargo")
            .args([
                "test",
                "--locked",
                "-p",
                package,
                "--test",
                test,
                "--",
                "--ignored",
            ])
            // Measurements, not checks: `cargo xtask bench` territory, run by hand.
            .args(["--skip", "trap_rate_against_snmptrapd"])
            .args(["--test-threads=1", "--nocapture"])
            .current_dir(root)
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("interop suite {package}/{test} failed"));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = root();
    let result = match args.first().map(String::as_str) {
        Some("fixtures") => fixtures::run(&root, args.get(1).is_some_and(|a| a == "--check")),
        Some("bench") if args.get(1).is_some_and(|a| a == "agent") => {
            agent_bench::run(&root, args.get(2).and_then(|n| n.parse().ok()).unwrap_or(3))
        }
        Some("bench") if args.get(1).is_some_and(|a| a == "manager") => {
            manager_bench::run(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(3))
        }
        Some("bench") if args.get(1).is_some_and(|a| a == "mib") => {
            mib_bench::run(&root, args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5))
        }
        Some("mib-facts") => mib_facts::run(&root, args.get(1).map(String::as_str)),
        Some("bench-mib-load") => mib_bench::load(args.get(1..).unwrap_or_default()),
        Some("bench-agent-serve") => manager_bench::serve(args.get(1..).unwrap_or_default()),
        Some("bench") => bench::run(&root),
        Some("profile") => bench::profile(
            &root,
            args.get(1).map_or("decode", String::as_str),
            args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10),
        ),
        Some("fuzz-smoke") => fuzz_smoke(&root, args.get(1).map_or("10", String::as_str)),
        Some("interop") => interop(&root),
        Some(other) => Err(format!(
            "unknown command {other:?}; try fixtures, bench or fuzz-smoke"
        )),
        None => Err(
            "usage: cargo xtask fixtures [--check] | bench [agent|manager|mib [RUNS]] | fuzz-smoke [SECONDS]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed benchmark messages are the ones the generator makes.
    #[test]
    fn fixtures_are_current() {
        fixtures::run(&root(), true).unwrap();
    }
}
