//! `cargo xtask bench mib [RUNS]`: loading the IETF MIB set (`../shared/mibs/ietf`, every
//! module, net-snmp's `-m ALL`) four ways, in the same run, each a separate process timed
//! from start to exit:
//!
//! - ours from source: `xtask bench-mib-load DIR source` (`snmp_mib::Mib::load`, then
//!   the OID of `SNMPv2-MIB::sysDescr.0`; the process exits without freeing the tree, as
//!   `snmptranslate` does);
//! - ours from the compiled cache: `xtask bench-mib-load DIR cache CACHE_DIR`
//!   (`snmp_mib::MibCache::load`, the cache written by a first, untimed run);
//! - net-snmp: `snmptranslate -M DIR -m ALL -On SNMPv2-MIB::sysDescr.0`;
//! - pysmi: `mibdump --mib-source=file://DIR --destination-format=json --rebuild
//!   --ignore-errors --mib-borrower=file://EMPTY --destination-directory=TMP MODULE...`
//!   with every module of the directory (fewer runs: it takes seconds), when installed.
//!
//! Runs are interleaved (one of each per round) so that a busy machine slows all alike; the
//! table gives the median, minimum and maximum wall time of each, and the median CPU time
//! (user plus system, all threads: the children's `cutime` and `cstime`, in 10 ms ticks).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use snmp_mib::{CacheOutcome, Loader, Mib, MibCache, OidFormat};

use crate::agent_bench::{TICKS, median};

/// The IETF set: `$SNMP_SHARED_DIR/mibs/ietf`, else `../shared/mibs/ietf` beside the workspace.
fn ietf_dir(root: &Path) -> PathBuf {
    std::env::var_os("SNMP_SHARED_DIR")
        .map_or_else(|| root.join("../shared"), PathBuf::from)
        .join("mibs/ietf")
}

/// The CPU time (user plus system) of this process's waited-for children so far, in clock
/// ticks (`cutime` and `cstime`, fields 16 and 17 of `/proc/self/stat`).
fn children_ticks() -> u64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0;
    };
    let rest = stat
        .rfind(')')
        .and_then(|i| stat.get(i + 1..))
        .unwrap_or("");
    let mut fields = rest.split_whitespace().skip(13);
    let mut next = || {
        fields
            .next()
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    next() + next()
}

/// Wall and CPU time of `cmd`, in milliseconds; an error when it fails.
fn time_ms(cmd: &mut Command, what: &str) -> Result<(f64, f64), String> {
    timed(cmd, what, true)
}

/// Wall and CPU time of `cmd`, in milliseconds; with `check`, an error when it fails.
fn timed(cmd: &mut Command, what: &str, check: bool) -> Result<(f64, f64), String> {
    let ticks = children_ticks();
    #[allow(clippy::disallowed_methods)] // a benchmark reads the clock
    let start = Instant::now();
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{what}: {e}"))?;
    let ms = start.elapsed().as_secs_f64() * 1e3;
    #[allow(clippy::cast_precision_loss)] // the ticks of one child: far below 2^52
    let cpu = children_ticks().saturating_sub(ticks) as f64 * 1e3 / TICKS;
    if check && !out.status.success() {
        return Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok((ms, cpu))
}

fn have(check: &str) -> bool {
    Command::new("sh")
        .args(["-c", check])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `bench-mib-load DIR source|cache [CACHE_DIR]`, the internal command timed by [`run`]:
/// loads every module of DIR, resolves `SNMPv2-MIB::sysDescr.0` as `snmptranslate -On` does,
/// and prints it with the in-process load time.
pub(crate) fn load(args: &[String]) -> Result<(), String> {
    let [dir, how, rest @ ..] = args else {
        return Err("usage: bench-mib-load DIR source|cache [CACHE_DIR]".into());
    };
    #[allow(clippy::disallowed_methods)] // a benchmark reads the clock
    let start = Instant::now();
    let (mib, outcome) = match how.as_str() {
        "source" => (
            Mib::load(&[dir], &["ALL"]).map_err(|e| e.to_string())?,
            None,
        ),
        "cache" => {
            let cache = rest.first().map_or_else(MibCache::default, MibCache::new);
            let (mib, outcome) = cache
                .load_with_outcome(&[dir], &["ALL"])
                .map_err(|e| e.to_string())?;
            (mib, Some(outcome))
        }
        other => return Err(format!("unknown load {other:?}")),
    };
    let elapsed = start.elapsed();
    let oid = mib
        .resolve("SNMPv2-MIB::sysDescr.0")
        .map_err(|e| e.to_string())?;
    println!(
        "{} objects={} load_ms={:.1} outcome={outcome:?}",
        mib.format_oid(&oid, OidFormat::Numeric),
        mib.objects().count(),
        elapsed.as_secs_f64() * 1e3
    );
    // The process ends here: like snmptranslate, which exits without freeing its tree, it
    // leaves the memory to the OS (freeing 35,000 objects would add some 15 ms of CPU).
    std::mem::forget(mib);
    Ok(())
}

pub(crate) fn run(root: &Path, runs: usize) -> Result<(), String> {
    let dir = ietf_dir(root);
    if !dir.is_dir() {
        return Err(format!("{} is absent", dir.display()));
    }
    let dir_s = dir.display().to_string();
    let me = std::env::current_exe().map_err(|e| e.to_string())?;
    let scratch = std::env::temp_dir().join(format!("xtask-mib-bench-{}", std::process::id()));
    let cache_dir = scratch.join("cache");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&cache_dir).map_err(|e| e.to_string())?;

    // The cache, written once; every timed run must then read it.
    let (_, outcome) = MibCache::new(&cache_dir)
        .load_with_outcome(&[&dir], &["ALL"])
        .map_err(|e| e.to_string())?;
    if outcome == CacheOutcome::Hit {
        return Err("a fresh cache directory already had a cache".into());
    }
    let cache_file = MibCache::new(&cache_dir).file_for(&[&dir], &["ALL"]);
    let cache_bytes = std::fs::metadata(&cache_file).map_or(0, |m| m.len());

    let netsnmp = have("command -v snmptranslate");
    let pysmi = have("command -v mibdump && python3 -c 'import pysmi'");
    let modules: Vec<String> = {
        let mut names: Vec<String> = Loader::new([&dir])
            .map_err(|e| e.to_string())?
            .available()
            .map(str::to_owned)
            .collect();
        names.sort();
        names
    };
    let borrow = scratch.join("empty");
    std::fs::create_dir_all(&borrow).map_err(|e| e.to_string())?;

    let mut source = Vec::new();
    let mut cached = Vec::new();
    let mut net = Vec::new();
    let mut py = Vec::new();
    let mut pysmi_written = 0;
    for round in 0..runs {
        source.push(time_ms(
            Command::new(&me).args(["bench-mib-load", &dir_s, "source"]),
            "bench-mib-load source",
        )?);
        cached.push(time_ms(
            Command::new(&me)
                .args(["bench-mib-load", &dir_s, "cache"])
                .arg(&cache_dir),
            "bench-mib-load cache",
        )?);
        if netsnmp {
            net.push(time_ms(
                Command::new("snmptranslate")
                    .args(["-M", &dir_s, "-m", "ALL", "-On", "SNMPv2-MIB::sysDescr.0"])
                    .env("SNMPCONFPATH", &scratch)
                    .env_remove("MIBS")
                    .env_remove("MIBDIRS"),
                "snmptranslate",
            )?);
        }
        if pysmi && round < runs.min(3) {
            let out = scratch.join("pysmi-out");
            let _ = std::fs::remove_dir_all(&out);
            // mibdump exits with an error when any module fails (DNS-RESOLVER-MIB imports the
            // absent RFC-1213): what it wrote is checked instead.
            py.push(timed(
                Command::new("mibdump")
                    .arg(format!("--mib-source=file://{dir_s}"))
                    .arg(format!("--mib-borrower=file://{}", borrow.display()))
                    .args([
                        "--destination-format=json",
                        "--rebuild",
                        "--ignore-errors",
                        "--quiet",
                    ])
                    .arg(format!("--destination-directory={}", out.display()))
                    .args(&modules),
                "mibdump",
                false,
            )?);
            let written = std::fs::read_dir(&out).map_or(0, Iterator::count);
            if written < modules.len() * 9 / 10 {
                return Err(format!(
                    "mibdump wrote {written} of {} modules",
                    modules.len()
                ));
            }
            pysmi_written = written;
        }
    }

    // One more of ours, for the in-process figures and the object count.
    let report = |how: &str| -> String {
        Command::new(&me)
            .args(["bench-mib-load", &dir_s, how])
            .arg(&cache_dir)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default()
    };
    println!("IETF set: {dir_s}, {} modules", modules.len());
    println!("ours, from source: {}", report("source"));
    println!("ours, from cache:  {}", report("cache"));
    println!("cache file: {cache_bytes} bytes");
    if pysmi {
        println!("pysmi: {pysmi_written} modules written as JSON");
    }
    println!();
    println!(
        "| load of every module (`-m ALL`), one process | wall: median | min | max | CPU: median | runs |"
    );
    println!("|---|---|---|---|---|---|");
    let row = |what: &str, v: &[(f64, f64)]| {
        if v.is_empty() {
            println!("| {what} | not installed | | | | 0 |");
        } else {
            let wall: Vec<f64> = v.iter().map(|(w, _)| *w).collect();
            let cpu: Vec<f64> = v.iter().map(|(_, c)| *c).collect();
            let min = wall.iter().copied().fold(f64::INFINITY, f64::min);
            let max = wall.iter().copied().fold(0.0, f64::max);
            println!(
                "| {what} | {:.0} ms | {min:.0} ms | {max:.0} ms | {:.0} ms | {} |",
                median(wall),
                median(cpu),
                v.len()
            );
        }
    };
    row("ours, from source (`Mib::load`)", &source);
    row("ours, from the compiled cache (`MibCache::load`)", &cached);
    row("net-snmp `snmptranslate -m ALL`", &net);
    row("pysmi `mibdump` (JSON)", &py);
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
