//! `cargo xtask bench`: our decoder against net-snmp's `snmp_parse`, same messages, same
//! machine, same run, same method (a timed loop of N parses, median of R runs). Requires
//! `gcc` and Debian's `libsnmp-dev`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder, Encoder};
use snmp_mpm::Message;

use crate::fixtures;

const RUNS: usize = 7;

/// Times `iterations` calls of `f`, `RUNS` times, and returns the median nanoseconds per call.
fn median_ns(iterations: u32, mut f: impl FnMut()) -> f64 {
    let mut per_call: Vec<f64> = (0..RUNS)
        .map(|_| {
            #[allow(clippy::disallowed_methods)] // a benchmark reads the clock
            let start = Instant::now();
            for _ in 0..iterations {
                f();
            }
            let elapsed: Duration = start.elapsed();
            elapsed.as_secs_f64() * 1e9 / f64::from(iterations)
        })
        .collect();
    per_call.sort_by(f64::total_cmp);
    per_call[RUNS / 2]
}

fn netsnmp(root: &Path, harness: &Path, file: &Path, iterations: u32) -> Result<f64, String> {
    let out = Command::new(harness)
        .arg(file)
        .arg(iterations.to_string())
        .arg(RUNS.to_string())
        .current_dir(root)
        .output()
        .map_err(|e| format!("running {}: {e}", harness.display()))?;
    if !out.status.success() {
        return Err(format!(
            "netsnmp_parse failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("median_ns_per_parse="))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no median in netsnmp_parse output: {stdout}"))
}

fn build_harness(root: &Path) -> Result<std::path::PathBuf, String> {
    let out_dir = root.join("target/xtask");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let bin = out_dir.join("netsnmp_parse");
    let status = Command::new("gcc")
        .args(["-std=c99", "-O2", "-Wall", "-Wextra", "-o"])
        .arg(&bin)
        .arg(root.join("xtask/bench/netsnmp_parse.c"))
        .arg("-lnetsnmp")
        .status()
        .map_err(|e| format!("gcc: {e}"))?;
    if !status.success() {
        return Err(
            "building xtask/bench/netsnmp_parse.c failed (is libsnmp-dev installed?)".into(),
        );
    }
    Ok(bin)
}

pub(crate) fn run(root: &Path) -> Result<(), String> {
    let harness = build_harness(root)?;
    println!(
        "| message | octets | ours: decode | ours: encode | net-snmp snmp_parse | decode speed-up |"
    );
    println!("|---|---|---|---|---|---|");
    for n in fixtures::SIZES {
        let file = fixtures::path(root, n);
        let wire =
            Bytes::from(std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?);
        let iterations = u32::try_from(2_000_000 / n).unwrap_or(1);
        // Same process order each time: ours, then net-snmp, so both see the same machine state.
        let decode = median_ns(iterations, || {
            let dec = Decoder::new(DecodeOptions::LENIENT);
            let m = Message::decode(&dec, std::hint::black_box(&wire));
            std::hint::black_box(m.ok());
        });
        let message = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &wire)
            .map_err(|e| e.to_string())?;
        let mut e = Encoder::with_capacity(wire.len());
        let encode = median_ns(iterations, || {
            e.clear();
            std::hint::black_box(&message).encode(&mut e).ok();
        });
        let theirs = netsnmp(root, &harness, &file, iterations)?;
        println!(
            "| v2c Response, {n} varbinds | {} | {decode:.0} ns | {encode:.0} ns | {theirs:.0} ns | {:.2}x |",
            wire.len(),
            theirs / decode
        );
    }
    Ok(())
}

/// Runs only our decoder (or encoder) on the `n`-binding message in a loop, for a profiler
/// (`perf record`, `valgrind --tool=callgrind`) to look at.
pub(crate) fn profile(root: &Path, what: &str, n: usize) -> Result<(), String> {
    let file = fixtures::path(root, n);
    let wire = Bytes::from(std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?);
    let message =
        Message::decode(&Decoder::new(DecodeOptions::LENIENT), &wire).map_err(|e| e.to_string())?;
    let mut e = Encoder::with_capacity(wire.len());
    for _ in 0..200_000 {
        if what == "encode" {
            e.clear();
            std::hint::black_box(&message)
                .encode(&mut e)
                .map_err(|e| e.to_string())?;
        } else {
            let dec = Decoder::new(DecodeOptions::LENIENT);
            std::hint::black_box(Message::decode(&dec, std::hint::black_box(&wire)).ok());
        }
    }
    Ok(())
}
