//! Times loading every module of a directory (`-m ALL`) from source and from the compiled
//! cache: `cargo run --release --example load_time -- DIR [RUNS] [CACHE_DIR]`
//! (`LT_SOURCE_ONLY=1`: from source only, for a profiler).

use std::time::Instant;

use snmp_mib::{CacheOutcome, Mib, MibCache};

#[allow(clippy::disallowed_methods)] // a benchmark reads the clock
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .expect("usage: load_time DIR [RUNS] [CACHE_DIR]");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let cache_dir = args.next().unwrap_or_else(|| {
        std::env::temp_dir()
            .join("snmp-mib-load-time")
            .display()
            .to_string()
    });
    let cache = MibCache::new(&cache_dir);
    for _ in 0..runs {
        let start = Instant::now();
        let mib = Mib::load(&[&dir], &["ALL"]).expect("loads");
        let elapsed = start.elapsed();
        println!("source: {} objects in {elapsed:?}", mib.objects().count());
    }
    if std::env::var_os("LT_SOURCE_ONLY").is_some() {
        return;
    }
    let _ = std::fs::remove_file(cache.file_for(&[&dir], &["ALL"]));
    for _ in 0..=runs {
        let start = Instant::now();
        let (mib, outcome) = cache.load_with_outcome(&[&dir], &["ALL"]).expect("loads");
        let elapsed = start.elapsed();
        let what = if outcome == CacheOutcome::Hit {
            "cache"
        } else {
            "compile+write"
        };
        println!("{what}: {} objects in {elapsed:?}", mib.objects().count());
    }
}
