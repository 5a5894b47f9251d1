//! The compiled cache (`MibCache`): what it reads back is what a fresh compile gives, and a
//! stale or damaged cache file is compiled again, never an error.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use snmp_mib::{CacheOutcome, Mib, MibCache, OidFormat};

use crate::shared;

/// A fresh scratch directory under the system's temporary directory.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("snmp-mib-cache-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

const TOP: &str = "TOP-MIB DEFINITIONS ::= BEGIN
top OBJECT IDENTIFIER ::= { iso 3 6 1 4 1 99999 }
Word ::= TEXTUAL-CONVENTION DISPLAY-HINT \"255a\" STATUS current DESCRIPTION \"w\"
    SYNTAX OCTET STRING (SIZE (0..32))
END
";

const LEAF: &str = "LEAF-MIB DEFINITIONS ::= BEGIN
IMPORTS top, Word FROM TOP-MIB;
leafName OBJECT-TYPE SYNTAX Word MAX-ACCESS read-only STATUS current
    DESCRIPTION \"the name\" ::= { top 1 }
leafState OBJECT-TYPE SYNTAX INTEGER { up(1), down(2) } MAX-ACCESS read-write STATUS current
    DESCRIPTION \"the state\" DEFVAL { up } ::= { top 2 }
END
";

/// A search path of two small modules, and a cache beside it.
fn small_set(name: &str) -> (PathBuf, MibCache) {
    let root = scratch(name);
    let mibs = root.join("mibs");
    std::fs::create_dir_all(&mibs).expect("a scratch directory");
    std::fs::write(mibs.join("TOP-MIB.txt"), TOP).expect("writes");
    std::fs::write(mibs.join("LEAF-MIB.txt"), LEAF).expect("writes");
    (mibs, MibCache::new(root.join("cache")))
}

fn same_tree(a: &Mib, b: &Mib) {
    assert!(a.modules().eq(b.modules()));
    assert_eq!(a.unresolved(), b.unresolved());
    assert_eq!(a.objects().count(), b.objects().count());
    for (x, y) in a.objects().zip(b.objects()) {
        // Every fact: name, OID, syntax, chain, hint, enums, access, status, index...
        assert_eq!(x, y);
        // And the maps: the object a name stands for, and the name an OID gets back.
        let qualified = format!("{}::{}", x.module, x.name);
        assert_eq!(a.resolve(&qualified), b.resolve(&qualified), "{qualified}");
        assert_eq!(a.resolve(&x.name), b.resolve(&x.name), "{}", x.name);
        assert_eq!(
            a.object_at(&x.oid).map(|o| (&o.module, &o.name)),
            b.object_at(&x.oid).map(|o| (&o.module, &o.name))
        );
        assert_eq!(
            a.format_oid(&x.oid, OidFormat::Module),
            b.format_oid(&x.oid, OidFormat::Module)
        );
    }
}

#[test]
fn the_ietf_set_from_the_cache_equals_a_fresh_compile() {
    let Some(ietf) = shared("ietf") else { return };
    let cache = MibCache::new(scratch("ietf"));
    let (compiled, first) = cache.load_with_outcome(&[&ietf], &["ALL"]).unwrap();
    assert_eq!(first, CacheOutcome::Missing);
    assert!(cache.file_for(&[&ietf], &["ALL"]).is_file());
    let (cached, second) = cache.load_with_outcome(&[&ietf], &["ALL"]).unwrap();
    assert_eq!(second, CacheOutcome::Hit);
    assert!(cached.objects().count() > 30_000);
    same_tree(&Mib::load(&[&ietf], &["ALL"]).unwrap(), &cached);
    same_tree(&compiled, &cached);
    // Another module list is another cache file.
    let (_, other) = cache.load_with_outcome(&[&ietf], &["IF-MIB"]).unwrap();
    assert_eq!(other, CacheOutcome::Missing);
    let _ = std::fs::remove_dir_all(cache.dir());
}

#[test]
fn a_changed_file_makes_the_cache_stale() {
    let (mibs, cache) = small_set("stale");
    let load = || cache.load_with_outcome(&[&mibs], &["LEAF-MIB"]).unwrap();
    assert_eq!(load().1, CacheOutcome::Missing);
    let (mib, outcome) = load();
    assert_eq!(outcome, CacheOutcome::Hit);
    assert_eq!(
        mib.resolve("leafName.0").unwrap().to_string(),
        "1.3.6.1.4.1.99999.1.0"
    );

    // Same size, new modification time: compiled again, then fresh.
    let file = std::fs::File::options()
        .write(true)
        .open(mibs.join("TOP-MIB.txt"))
        .unwrap();
    file.set_modified(SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000))
        .unwrap();
    drop(file);
    assert_eq!(load().1, CacheOutcome::Stale);
    assert_eq!(load().1, CacheOutcome::Hit);

    // New text: the tree follows it.
    std::fs::write(mibs.join("TOP-MIB.txt"), TOP.replace("99999", "88888")).unwrap();
    let (mib, outcome) = load();
    assert_eq!(outcome, CacheOutcome::Stale);
    assert_eq!(
        mib.resolve("leafName.0").unwrap().to_string(),
        "1.3.6.1.4.1.88888.1.0"
    );
    assert_eq!(load().1, CacheOutcome::Hit);

    // A file added to the search path may define a module: stale too.
    std::fs::write(
        mibs.join("EXTRA-MIB.txt"),
        "EXTRA-MIB DEFINITIONS ::= BEGIN\nEND\n",
    )
    .unwrap();
    assert_eq!(load().1, CacheOutcome::Stale);
    // And one removed.
    std::fs::remove_file(mibs.join("EXTRA-MIB.txt")).unwrap();
    assert_eq!(load().1, CacheOutcome::Stale);
    let _ = std::fs::remove_dir_all(mibs.parent().unwrap());
}

#[test]
fn a_damaged_cache_file_is_compiled_again_and_rewritten() {
    let (mibs, cache) = small_set("corrupt");
    let fresh = Mib::load(&[&mibs], &["LEAF-MIB"]).unwrap();
    let file = cache.file_for(&[&mibs], &["LEAF-MIB"]);
    cache.load(&[&mibs], &["LEAF-MIB"]).unwrap();
    let good = std::fs::read(&file).unwrap();

    let mut flipped = good.clone();
    let last = flipped.len() - 3;
    flipped[last] ^= 0x10;
    let damaged: [(&str, Vec<u8>); 5] = [
        ("garbage", b"not a cache at all".to_vec()),
        ("empty", Vec::new()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("one bit flipped in the body", flipped),
        ("trailing bytes", [good.as_slice(), b"x"].concat()),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&file, &bytes).unwrap();
        let (mib, outcome) = cache.load_with_outcome(&[&mibs], &["LEAF-MIB"]).unwrap();
        assert_eq!(outcome, CacheOutcome::Corrupt, "{what}");
        same_tree(&fresh, &mib);
        assert_eq!(std::fs::read(&file).unwrap(), good, "{what}: rewritten");
        assert_eq!(
            cache.load_with_outcome(&[&mibs], &["LEAF-MIB"]).unwrap().1,
            CacheOutcome::Hit
        );
    }

    // A cache file that cannot be written is no error either.
    let blocked = MibCache::new(mibs.join("TOP-MIB.txt").join("cache"));
    let (mib, outcome) = blocked.load_with_outcome(&[&mibs], &["LEAF-MIB"]).unwrap();
    assert_eq!(outcome, CacheOutcome::Missing);
    same_tree(&fresh, &mib);
    // And a module that is not there is the same error as without a cache.
    assert!(cache.load(&[&mibs], &["NO-SUCH-MIB"]).is_err());
    let _ = std::fs::remove_dir_all(mibs.parent().unwrap());
}

#[test]
fn the_compiled_form_round_trips_and_rejects_damage() {
    let (mibs, _) = small_set("bytes");
    let mib = Mib::load(&[&mibs], &["LEAF-MIB"]).unwrap();
    let bytes = mib.to_bytes();
    same_tree(&mib, &Mib::from_bytes(&bytes).unwrap());
    let state = Mib::from_bytes(&bytes).unwrap();
    let state = state.object("leafState").unwrap();
    assert_eq!(state.enums, [("up".to_owned(), 1), ("down".to_owned(), 2)]);
    assert_eq!(state.defval.as_deref(), Some("up"));
    // Every prefix is refused, none panics.
    for len in 0..bytes.len() {
        assert!(Mib::from_bytes(&bytes[..len]).is_none(), "{len}");
    }
    let _ = std::fs::remove_dir_all(mibs.parent().unwrap());
}

#[test]
fn a_caller_compiles_with_its_own_loader() {
    let (mibs, cache) = small_set("own");
    let mut calls = 0;
    let mut compile = || {
        calls += 1;
        let mut loader = snmp_mib::Loader::new([&mibs])?;
        loader.load("LEAF-MIB")?;
        Ok::<_, snmp_mib::MibError>(loader.build())
    };
    let (first, outcome) = cache
        .load_or_compile(&[&mibs], &["LEAF-MIB"], &mut compile)
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Missing);
    let (second, outcome) = cache
        .load_or_compile(&[&mibs], &["LEAF-MIB"], &mut compile)
        .unwrap();
    assert_eq!(outcome, CacheOutcome::Hit);
    assert_eq!(calls, 1);
    same_tree(&first, &second);
    // A failed compile caches nothing.
    let failed = cache.load_or_compile(&[&mibs], &["X"], || Err::<Mib, _>("no"));
    assert_eq!(failed.err(), Some("no"));
    assert!(!cache.file_for(&[&mibs], &["X"]).exists());
    let _ = std::fs::remove_dir_all(mibs.parent().unwrap());
}

/// The facts compiled into the crate (`Mib::ietf`, feature `ietf`) are those of the IETF set
/// as it compiles now: regenerate them with `cargo xtask mib-facts` when this fails.
#[cfg(feature = "ietf")]
#[test]
fn the_embedded_ietf_facts_are_current() {
    let embedded = Mib::ietf().expect("the embedded facts decode");
    assert_eq!(embedded.modules().count(), 464);
    assert!(embedded.objects().all(|o| o.description.is_none()));
    let Some(ietf) = shared("ietf") else { return };
    let fresh = Mib::load(&[ietf], &["ALL"]).unwrap().without_descriptions();
    same_tree(&embedded, &fresh);
}
