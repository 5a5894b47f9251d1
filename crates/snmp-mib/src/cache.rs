//! The compiled form of a [`Mib`] on disk: a small versioned binary encoding of our own, and a
//! cache directory keyed by the source files (path, size, mtime), so that loading the same
//! modules again skips the lexer, the parser and the resolver.
//!
//! File layout (integers are LEB128 unless said otherwise, strings a length then UTF-8):
//!
//! ```text
//! "SNMPMIBC"  u32-le FORMAT  str CRATE_VERSION
//! u64-le key length, key bytes            (cache files only: what the tree was compiled from)
//! u64-le body checksum, body:
//!   modules: n, str*   objects: n, Object*   by_oid: n, object index*   unresolved: n, (str str)*
//! ```
//!
//! The name maps are rebuilt from the objects when read; the OID map is stored as the indexes
//! of the objects that won their OID, since which one wins depends on the load order.

use std::ffi::OsString;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use snmp_smi::Oid;

use crate::error::MibError;
use crate::mib::{FastMap, Mib, Object};
use crate::model::{Access, BaseType, IndexPart, ObjectKind, Range, Status, Syntax, TypeRef};

const MAGIC: &[u8; 8] = b"SNMPMIBC";
/// Bumped whenever the encoding changes; the crate version is checked as well, since the
/// resolver's answers may change from one release to the next.
const FORMAT: u32 = 1;
/// How deep `SEQUENCE { x CHOICE { ... } }` may nest in a file we read.
const MAX_DEPTH: u32 = 32;

/// A directory of compiled MIBs: [`load`](Self::load) answers from the cache when the source
/// files are unchanged, and otherwise compiles them (as [`Mib::load`]) and rewrites the cache.
///
/// A cache file is keyed by the search path, the modules asked for, and the name, size and
/// modification time of every file in the search path's directories, plus the encoding's
/// version and this crate's version. A missing, stale, corrupt or unwritable cache never fails
/// a load: the modules are compiled from source instead.
///
/// ```no_run
/// use snmp_mib::MibCache;
///
/// // `$XDG_CACHE_HOME/snmp-rs`, else `~/.cache/snmp-rs`.
/// let cache = MibCache::default();
/// let mib = cache.load(&["/usr/share/snmp/mibs"], &["ALL"])?;
/// println!("{}", mib.resolve("IF-MIB::ifDescr.2")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MibCache {
    dir: PathBuf,
}

/// Where a [`MibCache::load_with_outcome`] got its tree from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CacheOutcome {
    /// Read from the cache file.
    Hit,
    /// Compiled: there was no cache file for these directories and modules.
    Missing,
    /// Compiled: a source file changed (or was added or removed), or the cache was written by
    /// another version.
    Stale,
    /// Compiled: the cache file could not be decoded.
    Corrupt,
}

impl Default for MibCache {
    /// The cache in [`MibCache::default_dir`] (or the temporary directory when there is no
    /// home directory).
    fn default() -> Self {
        Self::new(Self::default_dir().unwrap_or_else(|| std::env::temp_dir().join("snmp-rs-cache")))
    }
}

impl MibCache {
    /// A cache kept in `dir` (created when first written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// `$XDG_CACHE_HOME/snmp-rs` when that variable holds an absolute path, else
    /// `$HOME/.cache/snmp-rs`; `None` without either.
    pub fn default_dir() -> Option<PathBuf> {
        cache_dir_from(std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME"))
    }

    /// The cache directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache file for loading `modules` from the search path `dirs` (it may not exist).
    pub fn file_for<P: AsRef<Path>>(&self, dirs: &[P], modules: &[&str]) -> PathBuf {
        let mut w = Vec::new();
        for d in dirs {
            put_bytes(&mut w, canonical(d.as_ref()).as_os_str().as_encoded_bytes());
        }
        put_uint(&mut w, 0xffff);
        for m in modules {
            put_str(&mut w, m);
        }
        self.dir.join(format!("mib-{:016x}.bin", checksum(&w)))
    }

    /// Loads `modules` (and what they import) from the search path `dirs`, as [`Mib::load`],
    /// from the cache when it is fresh; otherwise compiles them and writes the cache.
    ///
    /// # Errors
    /// As [`Mib::load`]: only when compiling from source fails.
    pub fn load<P: AsRef<Path>>(&self, dirs: &[P], modules: &[&str]) -> Result<Mib, MibError> {
        self.load_with_outcome(dirs, modules).map(|(mib, _)| mib)
    }

    /// [`load`](Self::load), and whether the tree came from the cache.
    ///
    /// # Errors
    /// As [`Mib::load`]: only when compiling from source fails.
    pub fn load_with_outcome<P: AsRef<Path>>(
        &self,
        dirs: &[P],
        modules: &[&str],
    ) -> Result<(Mib, CacheOutcome), MibError> {
        self.load_or_compile(dirs, modules, || Mib::load(dirs, modules))
    }

    /// The tree cached for `dirs` and `modules` when it is fresh, else what `compile` returns
    /// (then cached): for callers that load with a [`Loader`](crate::Loader) of their own,
    /// such as a tool that reports each module it cannot find.
    ///
    /// `compile` must depend only on the files of `dirs` and on `modules` (the cache key); on
    /// a hit it is not called, so whatever it would report is not reported again. Nothing is
    /// cached when it fails.
    ///
    /// # Errors
    /// What `compile` returns.
    pub fn load_or_compile<P: AsRef<Path>, E>(
        &self,
        dirs: &[P],
        modules: &[&str],
        compile: impl FnOnce() -> Result<Mib, E>,
    ) -> Result<(Mib, CacheOutcome), E> {
        let file = self.file_for(dirs, modules);
        let key = source_key(dirs, modules);
        let outcome = match std::fs::read(&file) {
            Err(_) => CacheOutcome::Missing,
            Ok(bytes) => match read_cache_file(&bytes, key.as_deref()) {
                Ok(mib) => return Ok((mib, CacheOutcome::Hit)),
                Err(outcome) => outcome,
            },
        };
        let mib = compile()?;
        if let Some(key) = key {
            // Best effort: a cache that cannot be written is only slower next time.
            let _ = write_atomically(&file, &encode(&mib, &key));
        }
        Ok((mib, outcome))
    }
}

impl Mib {
    /// Loads `modules` from `dirs` through the cache in [`MibCache::default_dir`]: as
    /// [`Mib::load`], and fast when the files have not changed since the last load.
    ///
    /// # Errors
    /// As [`Mib::load`].
    pub fn load_cached<P: AsRef<Path>>(dirs: &[P], modules: &[&str]) -> Result<Self, MibError> {
        MibCache::default().load(dirs, modules)
    }

    /// The compiled form of the tree: what [`Mib::from_bytes`] reads back, in this crate's
    /// versioned binary encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        encode(self, &[])
    }

    /// Reads what [`Mib::to_bytes`] wrote; `None` when the bytes are not the compiled form of
    /// this version of the crate, or are damaged.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        read_cache_file(bytes, Some(&[])).ok()
    }
}

/// [`MibCache::default_dir`] from the values of `XDG_CACHE_HOME` and `HOME` (the XDG base
/// directory specification ignores a relative `XDG_CACHE_HOME`).
fn cache_dir_from(xdg: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    if let Some(xdg) = xdg.map(PathBuf::from)
        && xdg.is_absolute()
    {
        return Some(xdg.join("snmp-rs"));
    }
    let home = home.map(PathBuf::from)?;
    home.is_absolute()
        .then(|| home.join(".cache").join("snmp-rs"))
}

fn canonical(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// What a tree is compiled from: the search path, the modules asked for, and each file of the
/// search path's directories with its size and modification time (the files [`Loader::new`]
/// indexes). `None` when a directory cannot be listed: nothing is cached then.
///
/// [`Loader::new`]: crate::Loader::new
fn source_key<P: AsRef<Path>>(dirs: &[P], modules: &[&str]) -> Option<Vec<u8>> {
    let mut w = Vec::new();
    put_uint(&mut w, dirs.len() as u64);
    for dir in dirs {
        let dir = canonical(dir.as_ref());
        put_bytes(&mut w, dir.as_os_str().as_encoded_bytes());
        let mut files: Vec<(PathBuf, std::fs::Metadata)> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'))
            })
            .filter_map(|p| std::fs::metadata(&p).ok().map(|m| (p, m)))
            .filter(|(_, m)| m.is_file())
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        put_uint(&mut w, files.len() as u64);
        for (path, meta) in &files {
            let name = path.file_name().unwrap_or_default();
            put_bytes(&mut w, name.as_encoded_bytes());
            put_uint(&mut w, meta.len());
            let (secs, nanos) = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| (d.as_secs(), d.subsec_nanos()));
            put_uint(&mut w, secs);
            put_uint(&mut w, u64::from(nanos));
        }
    }
    put_uint(&mut w, modules.len() as u64);
    for m in modules {
        put_str(&mut w, m);
    }
    Some(w)
}

fn write_atomically(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = file.with_extension(format!("tmp{}", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes))
        .and_then(|()| std::fs::rename(&tmp, file));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A fast 64-bit checksum (multiply-rotate over 8-byte words): enough to notice a damaged
/// file, not a defence against forgery (the cache is the user's own).
fn checksum(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        h = (h.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(23) ^ u64::from(b)).wrapping_mul(K);
    }
    h ^ (h >> 29)
}

// ---- encoding ----------------------------------------------------------------------------

fn encode(mib: &Mib, key: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(mib.objects.len() * 256);
    put_uint(&mut body, mib.modules.len() as u64);
    for m in &mib.modules {
        put_str(&mut body, m);
    }
    put_uint(&mut body, mib.objects.len() as u64);
    for o in &mib.objects {
        put_object(&mut body, o);
    }
    let mut winners: Vec<usize> = mib.by_oid.values().copied().collect();
    winners.sort_unstable();
    put_uint(&mut body, winners.len() as u64);
    for ix in winners {
        put_uint(&mut body, ix as u64);
    }
    put_uint(&mut body, mib.unresolved.len() as u64);
    for (m, n) in &mib.unresolved {
        put_str(&mut body, m);
        put_str(&mut body, n);
    }

    let mut out = Vec::with_capacity(body.len() + key.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    put_str(&mut out, env!("CARGO_PKG_VERSION"));
    out.extend_from_slice(&(key.len() as u64).to_le_bytes());
    out.extend_from_slice(key);
    out.extend_from_slice(&checksum(&body).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

fn put_uint(w: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        // The low seven bits, with the continuation bit: the cast keeps exactly those.
        #[allow(clippy::cast_possible_truncation)]
        w.push((v as u8) | 0x80);
        v >>= 7;
    }
    #[allow(clippy::cast_possible_truncation)]
    w.push(v as u8);
}

fn put_int(w: &mut Vec<u8>, v: i64) {
    // Zigzag: small negative numbers stay short.
    #[allow(clippy::cast_sign_loss)]
    put_uint(w, ((v << 1) ^ (v >> 63)) as u64);
}

fn put_bytes(w: &mut Vec<u8>, b: &[u8]) {
    put_uint(w, b.len() as u64);
    w.extend_from_slice(b);
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    put_bytes(w, s.as_bytes());
}

fn put_opt_str(w: &mut Vec<u8>, s: Option<&String>) {
    match s {
        None => w.push(0),
        Some(s) => {
            w.push(1);
            put_str(w, s);
        }
    }
}

fn put_strs(w: &mut Vec<u8>, v: &[String]) {
    put_uint(w, v.len() as u64);
    for s in v {
        put_str(w, s);
    }
}

fn put_ranges(w: &mut Vec<u8>, v: &[Range]) {
    put_uint(w, v.len() as u64);
    for r in v {
        w.extend_from_slice(&r.lo.to_le_bytes());
        w.extend_from_slice(&r.hi.to_le_bytes());
    }
}

fn put_named(w: &mut Vec<u8>, v: &[(String, i64)]) {
    put_uint(w, v.len() as u64);
    for (n, k) in v {
        put_str(w, n);
        put_int(w, *k);
    }
}

fn put_syntax(w: &mut Vec<u8>, s: &Syntax) {
    match &s.ty {
        TypeRef::Integer => w.push(0),
        TypeRef::OctetString => w.push(1),
        TypeRef::ObjectIdentifier => w.push(2),
        TypeRef::Bits => w.push(3),
        TypeRef::Null => w.push(4),
        TypeRef::Named(n) => {
            w.push(5);
            put_str(w, n);
        }
        TypeRef::Sequence(fields) | TypeRef::Choice(fields) => {
            w.push(if matches!(s.ty, TypeRef::Sequence(_)) {
                6
            } else {
                8
            });
            put_uint(w, fields.len() as u64);
            for (n, f) in fields {
                put_str(w, n);
                put_syntax(w, f);
            }
        }
        TypeRef::SequenceOf(n) => {
            w.push(7);
            put_str(w, n);
        }
    }
    put_ranges(w, &s.ranges);
    put_ranges(w, &s.sizes);
    put_named(w, &s.named);
}

fn put_object(w: &mut Vec<u8>, o: &Object) {
    put_str(w, &o.module);
    put_str(w, &o.name);
    let arcs = o.oid.as_slice();
    put_uint(w, arcs.len() as u64);
    for a in arcs {
        put_uint(w, u64::from(*a));
    }
    w.push(kind_code(o.kind));
    match &o.syntax {
        None => w.push(0),
        Some(s) => {
            w.push(1);
            put_syntax(w, s);
        }
    }
    w.push(o.base_type.map_or(0, |b| base_code(b) + 1));
    put_strs(w, &o.tc_chain);
    put_opt_str(w, o.display_hint.as_ref());
    put_named(w, &o.enums);
    put_ranges(w, &o.sizes);
    put_ranges(w, &o.ranges);
    w.push(o.access.map_or(0, |a| access_code(a) + 1));
    w.push(o.status.map_or(0, |s| status_code(s) + 1));
    put_opt_str(w, o.units.as_ref());
    put_opt_str(w, o.description.as_ref());
    put_uint(w, o.index.len() as u64);
    for part in &o.index {
        put_str(w, &part.name);
        w.push(u8::from(part.implied));
    }
    put_opt_str(w, o.augments.as_ref());
    put_opt_str(w, o.defval.as_ref());
    put_strs(w, &o.objects);
}

const KINDS: [ObjectKind; 11] = [
    ObjectKind::ObjectIdentifier,
    ObjectKind::Implicit,
    ObjectKind::ModuleIdentity,
    ObjectKind::ObjectIdentity,
    ObjectKind::ObjectType,
    ObjectKind::NotificationType,
    ObjectKind::TrapType,
    ObjectKind::ObjectGroup,
    ObjectKind::NotificationGroup,
    ObjectKind::ModuleCompliance,
    ObjectKind::AgentCapabilities,
];
const BASES: [BaseType; 16] = [
    BaseType::Integer32,
    BaseType::OctetString,
    BaseType::ObjectIdentifier,
    BaseType::Bits,
    BaseType::IpAddress,
    BaseType::NetworkAddress,
    BaseType::Counter32,
    BaseType::Gauge32,
    BaseType::Unsigned32,
    BaseType::TimeTicks,
    BaseType::Opaque,
    BaseType::Counter64,
    BaseType::Null,
    BaseType::Sequence,
    BaseType::SequenceOf,
    BaseType::Choice,
];
const ACCESSES: [Access; 6] = [
    Access::NotAccessible,
    Access::AccessibleForNotify,
    Access::ReadOnly,
    Access::ReadWrite,
    Access::ReadCreate,
    Access::WriteOnly,
];
const STATUSES: [Status; 5] = [
    Status::Current,
    Status::Deprecated,
    Status::Obsolete,
    Status::Mandatory,
    Status::Optional,
];

/// The place of `v` in `table` (the tables list every variant, so it is always found).
fn code_of<T: PartialEq>(table: &[T], v: &T) -> u8 {
    table
        .iter()
        .position(|t| t == v)
        .and_then(|p| u8::try_from(p).ok())
        .unwrap_or(u8::MAX)
}

fn kind_code(k: ObjectKind) -> u8 {
    code_of(&KINDS, &k)
}
fn base_code(b: BaseType) -> u8 {
    code_of(&BASES, &b)
}
fn access_code(a: Access) -> u8 {
    code_of(&ACCESSES, &a)
}
fn status_code(s: Status) -> u8 {
    code_of(&STATUSES, &s)
}

// ---- decoding ----------------------------------------------------------------------------

/// Reads a cache file; with `key`, only when its key is that one. The error says why the
/// file was not used.
fn read_cache_file(bytes: &[u8], key: Option<&[u8]>) -> Result<Mib, CacheOutcome> {
    let mut r = Reader { bytes, pos: 0 };
    if r.take(8).ok_or(CacheOutcome::Corrupt)? != MAGIC {
        return Err(CacheOutcome::Corrupt);
    }
    let format = r.take(4).ok_or(CacheOutcome::Corrupt)?;
    let version = {
        let mut v = Reader {
            bytes: r.bytes,
            pos: r.pos,
        };
        let s = v.str().ok_or(CacheOutcome::Corrupt)?;
        r.pos = v.pos;
        s
    };
    if format != FORMAT.to_le_bytes() || version != env!("CARGO_PKG_VERSION") {
        return Err(CacheOutcome::Stale);
    }
    let key_len = r.u64_le().ok_or(CacheOutcome::Corrupt)?;
    let stored_key = r
        .take(usize::try_from(key_len).map_err(|_| CacheOutcome::Corrupt)?)
        .ok_or(CacheOutcome::Corrupt)?;
    if key.is_none_or(|k| k != stored_key) {
        return Err(CacheOutcome::Stale);
    }
    let sum = r.u64_le().ok_or(CacheOutcome::Corrupt)?;
    let body = bytes.get(r.pos..).ok_or(CacheOutcome::Corrupt)?;
    if checksum(body) != sum {
        return Err(CacheOutcome::Corrupt);
    }
    decode_body(body).ok_or(CacheOutcome::Corrupt)
}

fn decode_body(body: &[u8]) -> Option<Mib> {
    let mut r = Reader {
        bytes: body,
        pos: 0,
    };
    let n = r.count()?;
    let mut modules = Vec::with_capacity(n);
    for _ in 0..n {
        modules.push(r.string()?);
    }
    let n = r.count()?;
    let mut objects = Vec::with_capacity(n);
    for _ in 0..n {
        objects.push(r.object()?);
    }
    let n = r.count()?;
    let mut by_oid: FastMap<Oid, usize> = FastMap::default();
    by_oid.reserve(n);
    for _ in 0..n {
        let ix = r.index()?;
        by_oid.insert(objects.get(ix)?.oid.clone(), ix);
    }
    let n = r.count()?;
    let mut unresolved = Vec::with_capacity(n);
    for _ in 0..n {
        unresolved.push((r.string()?, r.string()?));
    }
    if r.pos != body.len() {
        return None;
    }
    Some(Mib::from_parts(modules, objects, by_oid, unresolved))
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.bytes.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    fn u8(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn u64_le(&mut self) -> Option<u64> {
        let mut word = [0u8; 8];
        word.copy_from_slice(self.take(8)?);
        Some(u64::from_le_bytes(word))
    }

    fn i128_le(&mut self) -> Option<i128> {
        let mut word = [0u8; 16];
        word.copy_from_slice(self.take(16)?);
        Some(i128::from_le_bytes(word))
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn int(&mut self) -> Option<i64> {
        let z = self.uint()?;
        #[allow(clippy::cast_possible_wrap)]
        Some(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    /// A count of items that each take at least one byte: never more than the bytes left, so
    /// a damaged count cannot make us allocate much.
    fn count(&mut self) -> Option<usize> {
        let n = usize::try_from(self.uint()?).ok()?;
        (n <= self.bytes.len() - self.pos.min(self.bytes.len())).then_some(n)
    }

    fn index(&mut self) -> Option<usize> {
        usize::try_from(self.uint()?).ok()
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = self.count()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        match self.u8()? {
            0 => Some(None),
            1 => self.string().map(Some),
            _ => None,
        }
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(self.string()?);
        }
        Some(v)
    }

    fn ranges(&mut self) -> Option<Vec<Range>> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(Range::new(self.i128_le()?, self.i128_le()?));
        }
        Some(v)
    }

    fn named(&mut self) -> Option<Vec<(String, i64)>> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push((self.string()?, self.int()?));
        }
        Some(v)
    }

    fn code<T: Copy>(&mut self, table: &[T]) -> Option<T> {
        table.get(usize::from(self.u8()?)).copied()
    }

    /// `None` (0) or the value at `code - 1`: `Some(None)` for absent, `None` for damaged.
    fn opt_code<T: Copy>(&mut self, table: &[T]) -> Option<Option<T>> {
        match self.u8()? {
            0 => Some(None),
            c => table.get(usize::from(c - 1)).copied().map(Some),
        }
    }

    fn syntax(&mut self, depth: u32) -> Option<Syntax> {
        if depth > MAX_DEPTH {
            return None;
        }
        let ty = match self.u8()? {
            0 => TypeRef::Integer,
            1 => TypeRef::OctetString,
            2 => TypeRef::ObjectIdentifier,
            3 => TypeRef::Bits,
            4 => TypeRef::Null,
            5 => TypeRef::Named(self.string()?),
            t @ (6 | 8) => {
                let n = self.count()?;
                let mut fields = Vec::with_capacity(n);
                for _ in 0..n {
                    fields.push((self.string()?, self.syntax(depth + 1)?));
                }
                if t == 6 {
                    TypeRef::Sequence(fields)
                } else {
                    TypeRef::Choice(fields)
                }
            }
            7 => TypeRef::SequenceOf(self.string()?),
            _ => return None,
        };
        let mut s = Syntax::plain(ty);
        s.ranges = self.ranges()?;
        s.sizes = self.ranges()?;
        s.named = self.named()?;
        Some(s)
    }

    fn object(&mut self) -> Option<Object> {
        let module = self.string()?;
        let name = self.string()?;
        let n = self.count()?;
        let mut arcs = [0u32; 128];
        let slot = arcs.get_mut(..n)?;
        for a in slot.iter_mut() {
            *a = u32::try_from(self.uint()?).ok()?;
        }
        let oid = Oid::from_slice(arcs.get(..n)?).ok()?;
        let kind = self.code(&KINDS)?;
        let syntax = match self.u8()? {
            0 => None,
            1 => Some(self.syntax(0)?),
            _ => return None,
        };
        let base_type = self.opt_code(&BASES)?;
        let mut o = Object::implicit(module, name, oid);
        o.kind = kind;
        o.syntax = syntax;
        o.base_type = base_type;
        o.tc_chain = self.strings()?;
        o.display_hint = self.opt_string()?;
        o.enums = self.named()?;
        o.sizes = self.ranges()?;
        o.ranges = self.ranges()?;
        o.access = self.opt_code(&ACCESSES)?;
        o.status = self.opt_code(&STATUSES)?;
        o.units = self.opt_string()?;
        o.description = self.opt_string()?;
        let n = self.count()?;
        let mut index = Vec::with_capacity(n);
        for _ in 0..n {
            let name = self.string()?;
            let implied = match self.u8()? {
                0 => false,
                1 => true,
                _ => return None,
            };
            index.push(IndexPart { name, implied });
        }
        o.index = index;
        o.augments = self.opt_string()?;
        o.defval = self.opt_string()?;
        o.objects = self.strings()?;
        Some(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_round_trip() {
        for v in [0u64, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX] {
            let mut w = Vec::new();
            put_uint(&mut w, v);
            assert_eq!(Reader { bytes: &w, pos: 0 }.uint(), Some(v));
        }
        for v in [0i64, -1, 1, -64, 64, i64::MIN, i64::MAX] {
            let mut w = Vec::new();
            put_int(&mut w, v);
            assert_eq!(Reader { bytes: &w, pos: 0 }.int(), Some(v));
        }
        // Eleven continuation bytes: longer than any u64.
        assert_eq!(
            Reader {
                bytes: &[0xff; 11],
                pos: 0
            }
            .uint(),
            None
        );
    }

    #[test]
    fn every_code_maps_back() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(usize::from(kind_code(*k)), i);
        }
        for (i, b) in BASES.iter().enumerate() {
            assert_eq!(usize::from(base_code(*b)), i);
        }
        for (i, a) in ACCESSES.iter().enumerate() {
            assert_eq!(usize::from(access_code(*a)), i);
        }
        for (i, s) in STATUSES.iter().enumerate() {
            assert_eq!(usize::from(status_code(*s)), i);
        }
    }

    #[test]
    fn a_huge_count_is_refused_before_allocating() {
        let mut w = Vec::new();
        put_uint(&mut w, u64::MAX >> 1);
        assert_eq!(Reader { bytes: &w, pos: 0 }.count(), None);
    }

    #[test]
    fn the_default_directory_follows_xdg() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            cache_dir_from(os("/xdg"), os("/home/u")),
            Some(PathBuf::from("/xdg/snmp-rs"))
        );
        assert_eq!(
            cache_dir_from(os("relative"), os("/home/u")),
            Some(PathBuf::from("/home/u/.cache/snmp-rs"))
        );
        assert_eq!(
            cache_dir_from(None, os("/home/u")),
            Some(PathBuf::from("/home/u/.cache/snmp-rs"))
        );
        assert_eq!(cache_dir_from(None, None), None);
        assert_eq!(cache_dir_from(os(""), os("")), None);
    }

    #[test]
    fn checksum_sees_one_bit() {
        let a = vec![7u8; 1001];
        let mut b = a.clone();
        b[500] ^= 1;
        assert_ne!(checksum(&a), checksum(&b));
    }
}
