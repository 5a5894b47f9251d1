//! The resolved tree: every loaded definition with its OID, names to OIDs and back.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

use snmp_smi::Oid;

use crate::error::{MibError, ResolveError};
use crate::loader::Loader;
use crate::model::{Access, BaseType, IndexPart, ObjectKind, Range, Status, Syntax, TypeRef};
use crate::parser::{Module, NodeDef, OidComp, TypeDef};

/// One node of the tree: a definition of a loaded module, with its OID and what the module
/// says about it.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Object {
    /// The module that defines it (empty for the roots `ccitt`, `iso` and `joint-iso-ccitt`).
    pub module: String,
    /// Its descriptor (`sysDescr`).
    pub name: String,
    /// Its OID.
    pub oid: Oid,
    /// The macro (or assignment) that defines it.
    pub kind: ObjectKind,
    /// `SYNTAX` as written.
    pub syntax: Option<Syntax>,
    /// The type at the end of the textual-convention chain.
    pub base_type: Option<BaseType>,
    /// The textual conventions (and SMIv1 named types) from `SYNTAX` down to the base type,
    /// outermost first: `["DisplayString"]` for `sysDescr`.
    pub tc_chain: Vec<String>,
    /// The first `DISPLAY-HINT` along the chain.
    pub display_hint: Option<String>,
    /// Enumeration labels or BITS names: the object's own, else its type's.
    pub enums: Vec<(String, i64)>,
    /// The sizes allowed: the object's own, else the nearest along the chain.
    pub sizes: Vec<Range>,
    /// The values allowed: the object's own, else the nearest along the chain.
    pub ranges: Vec<Range>,
    /// `MAX-ACCESS` or `ACCESS`.
    pub access: Option<Access>,
    /// `STATUS`.
    pub status: Option<Status>,
    /// `UNITS`.
    pub units: Option<String>,
    /// `DESCRIPTION`.
    pub description: Option<String>,
    /// `INDEX` of a row.
    pub index: Vec<IndexPart>,
    /// `AUGMENTS` of a row: the augmented row's descriptor.
    pub augments: Option<String>,
    /// `DEFVAL`, the text between its braces.
    pub defval: Option<String>,
    /// A notification's `OBJECTS` (NOTIFICATION-TYPE) or `VARIABLES` (TRAP-TYPE), in order.
    pub objects: Vec<String>,
}

/// How [`Mib::format_oid`] writes an OID.
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum OidFormat {
    /// `SNMPv2-MIB::sysDescr.0`: net-snmp's default.
    #[default]
    Module,
    /// `sysDescr.0` (`-Os`).
    Short,
    /// `.iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0` (`-Of`).
    Full,
    /// `.1.3.6.1.2.1.1.1.0` (`-On`).
    Numeric,
}

/// Loaded and resolved MIB modules.
///
/// ```
/// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf");
/// # if !std::path::Path::new(dir).is_dir() { return Ok(()); }
/// use snmp_mib::{Mib, OidFormat};
///
/// let mib = Mib::load(&[dir], &["IF-MIB"])?;
/// let oid = mib.resolve("SNMPv2-MIB::sysDescr.0")?;
/// assert_eq!(oid.to_string(), "1.3.6.1.2.1.1.1.0");
/// assert_eq!(mib.resolve("ifDescr.2")?.to_string(), "1.3.6.1.2.1.2.2.1.2.2");
/// assert_eq!(mib.name_of(&oid), Some(("SNMPv2-MIB", "sysDescr", &[0u32][..])));
/// assert_eq!(
///     mib.format_oid(&oid, OidFormat::Full),
///     ".iso.org.dod.internet.mgmt.mib-2.system.sysDescr.0"
/// );
/// let descr = mib.object("sysDescr").expect("loaded");
/// assert_eq!(descr.tc_chain, ["DisplayString"]);
/// assert_eq!(descr.display_hint.as_deref(), Some("255a"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Debug, Default)]
pub struct Mib {
    pub(crate) modules: Vec<String>,
    pub(crate) objects: Vec<Object>,
    pub(crate) by_oid: FastMap<Oid, usize>,
    /// Objects by name, without a copy of the names: the first and the last object whose name
    /// has this hash, and in `next_named` each object's next one (`NONE` ends the chain).
    by_name: FastMap<u64, (usize, usize)>,
    next_named: Vec<usize>,
    pub(crate) unresolved: Vec<(String, String)>,
}

/// The maps of the tree and of the resolver: keyed by names and OIDs of local files, so a fast
/// non-cryptographic hash (the standard SipHash was a tenth of the load time).
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The end of a chain of `Mib::next_named`.
const NONE: usize = usize::MAX;

fn name_hash(name: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(name.as_bytes());
    h.finish()
}

/// The multiply-rotate hash of rustc's `FxHasher`, over 8-byte words.
#[derive(Clone, Copy, Default)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    const K: u64 = 0xf135_7aea_2e62_a9c5;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(26) ^ word).wrapping_mul(Self::K);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(c);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word.get_mut(..rest.len())
                .unwrap_or_default()
                .copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        // The high bits are the well-mixed ones: bring some down to the bucket index.
        self.0.rotate_left(26)
    }
}

/// The roots of the OID tree, known without any module (X.660).
const ROOTS: &[(&str, u32)] = &[("ccitt", 0), ("iso", 1), ("joint-iso-ccitt", 2)];

/// How long a chain of definitions may be before it counts as a loop.
const MAX_CHAIN: u32 = 256;

#[derive(Clone)]
enum State {
    Todo,
    Busy,
    Done(Oid),
    Failed,
}

struct Resolver<'m> {
    modules: &'m [&'m Module],
    module_ix: FastMap<&'m str, usize>,
    nodes: Vec<FastMap<&'m str, usize>>,
    types: Vec<FastMap<&'m str, usize>>,
    /// Every definition of each name, for modules that use a name without importing it:
    /// built once such lookups are many (most module sets have a few, or none).
    global_nodes: OnceCell<Everywhere<'m>>,
    /// How many names were looked up in every module so far.
    fallbacks: u32,
    state: Vec<Vec<State>>,
}

impl<'m> Resolver<'m> {
    fn new(modules: &'m [&'m Module]) -> Self {
        let mut module_ix = FastMap::default();
        let mut nodes = Vec::new();
        let mut types = Vec::new();
        let mut state = Vec::new();
        for (mi, m) in modules.iter().enumerate() {
            module_ix.entry(m.name.as_str()).or_insert(mi);
            let mut n = FastMap::default();
            n.reserve(m.nodes.len());
            for (ni, node) in m.nodes.iter().enumerate() {
                // Defined twice: the later definition, as net-snmp.
                n.insert(node.name.as_str(), ni);
            }
            let mut t = FastMap::default();
            t.reserve(m.types.len());
            for (ti, ty) in m.types.iter().enumerate() {
                t.entry(ty.name.as_str()).or_insert(ti);
            }
            nodes.push(n);
            types.push(t);
            state.push(vec![State::Todo; m.nodes.len()]);
        }
        Self {
            modules,
            module_ix,
            nodes,
            types,
            global_nodes: OnceCell::new(),
            fallbacks: 0,
            state,
        }
    }

    /// Every definition of each name.
    fn global_nodes(&self) -> &Everywhere<'m> {
        let modules = self.modules;
        self.global_nodes.get_or_init(|| {
            let total = modules.iter().map(|m| m.nodes.len()).sum();
            let mut all = Everywhere {
                ends: FastMap::default(),
                links: Vec::with_capacity(total),
            };
            all.ends.reserve(total);
            for (mi, m) in modules.iter().enumerate() {
                for (ni, node) in m.nodes.iter().enumerate() {
                    all.push(node.name.as_str(), mi, ni);
                }
            }
            all
        })
    }

    /// The OID of `name` as seen from module `mi`: its own definitions, then what it imports,
    /// then the roots, then any loaded module (net-snmp's leniency with missing IMPORTS).
    fn name_oid(&mut self, mi: usize, name: &str, depth: u32) -> Option<Oid> {
        if let Some(&ni) = self.nodes.get(mi).and_then(|n| n.get(name)) {
            return self.node_oid(mi, ni, depth);
        }
        let module = self.modules.get(mi)?;
        for (from, symbols) in &module.imports {
            if symbols.iter().any(|s| s == name)
                && let Some(&fi) = self.module_ix.get(from.as_str())
                && let Some(&ni) = self.nodes.get(fi).and_then(|n| n.get(name))
                && let Some(oid) = self.node_oid(fi, ni, depth)
            {
                return Some(oid);
            }
        }
        if let Some((_, arc)) = ROOTS.iter().find(|(r, _)| *r == name) {
            return Oid::from_slice(&[*arc]).ok();
        }
        // Rare (an IMPORTS from a module absent from the set): look in each module's map, and
        // index every definition only when it keeps happening.
        self.fallbacks += 1;
        let candidates: Vec<(usize, usize)> = if self.fallbacks > 32 {
            self.global_nodes().of(name).collect()
        } else {
            let modules = self.modules;
            self.nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.contains_key(name))
                .flat_map(|(gi, _)| {
                    modules
                        .get(gi)
                        .map(|m| m.nodes.as_slice())
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                        .filter(|(_, node)| node.name == name)
                        .map(move |(ni, _)| (gi, ni))
                })
                .collect()
        };
        candidates
            .into_iter()
            .find_map(|(gi, ni)| self.node_oid(gi, ni, depth))
    }

    fn node_oid(&mut self, mi: usize, ni: usize, depth: u32) -> Option<Oid> {
        match self.state.get(mi).and_then(|s| s.get(ni)) {
            Some(State::Done(oid)) => return Some(oid.clone()),
            Some(State::Busy | State::Failed) | None => return None,
            Some(State::Todo) => {}
        }
        if depth > MAX_CHAIN {
            return None;
        }
        self.set_state(mi, ni, State::Busy);
        let modules = self.modules;
        let comps = &modules.get(mi)?.nodes.get(ni)?.oid;
        let result = self.comps_oid(mi, comps, depth);
        self.set_state(mi, ni, result.clone().map_or(State::Failed, State::Done));
        result
    }

    fn comps_oid(&mut self, mi: usize, comps: &[OidComp], depth: u32) -> Option<Oid> {
        let (first, rest) = comps.split_first()?;
        // On the stack: an OID of up to 15 arcs is kept inline by `Oid`, so most nodes
        // allocate nothing here.
        let mut arcs = [0u32; 128];
        let mut len = match first {
            OidComp::Name(n) => {
                let parent = self.name_oid(mi, n, depth + 1)?;
                let p = parent.as_slice();
                arcs.get_mut(..p.len())?.copy_from_slice(p);
                p.len()
            }
            OidComp::Number(k) | OidComp::NameNumber(_, k) => {
                *arcs.get_mut(0)? = *k;
                1
            }
        };
        for c in rest {
            match c {
                OidComp::Number(k) | OidComp::NameNumber(_, k) => {
                    *arcs.get_mut(len)? = *k;
                    len += 1;
                }
                OidComp::Name(_) => return None,
            }
        }
        Oid::from_slice(arcs.get(..len)?).ok()
    }

    fn set_state(&mut self, mi: usize, ni: usize, s: State) {
        if let Some(slot) = self.state.get_mut(mi).and_then(|v| v.get_mut(ni)) {
            *slot = s;
        }
    }

    /// The type definition `name` as seen from module `mi`.
    fn type_def(&self, mi: usize, name: &str) -> Option<(usize, &'m TypeDef)> {
        let modules = self.modules;
        let lookup = |m: usize| -> Option<(usize, &'m TypeDef)> {
            let ti = *self.types.get(m)?.get(name)?;
            Some((m, modules.get(m)?.types.get(ti)?))
        };
        if let Some(found) = lookup(mi) {
            return Some(found);
        }
        let module = modules.get(mi)?;
        for (from, symbols) in &module.imports {
            if symbols.iter().any(|s| s == name)
                && let Some(found) = self.module_ix.get(from.as_str()).and_then(|&fi| lookup(fi))
            {
                return Some(found);
            }
        }
        // The first module (in load order) that defines the type: its first definition.
        let (gm, ti) = self
            .types
            .iter()
            .enumerate()
            .find_map(|(gm, t)| t.get(name).map(|&ti| (gm, ti)))?;
        Some((gm, modules.get(gm)?.types.get(ti)?))
    }

    /// Follows the textual conventions of `syntax` down to a base type.
    fn chain(&self, mi: usize, syntax: &Syntax) -> TypeFacts {
        let mut facts = TypeFacts {
            enums: syntax.named.clone(),
            sizes: syntax.sizes.clone(),
            ranges: syntax.ranges.clone(),
            ..TypeFacts::default()
        };
        let mut cur = syntax;
        let mut at = mi;
        for _ in 0..32 {
            let base = match &cur.ty {
                TypeRef::Integer => BaseType::Integer32,
                TypeRef::OctetString => BaseType::OctetString,
                TypeRef::ObjectIdentifier => BaseType::ObjectIdentifier,
                TypeRef::Bits => BaseType::Bits,
                TypeRef::Null => BaseType::Null,
                TypeRef::Sequence(_) => BaseType::Sequence,
                TypeRef::SequenceOf(_) => BaseType::SequenceOf,
                TypeRef::Choice(_) => BaseType::Choice,
                TypeRef::Named(n) => {
                    if let Some(b) = BaseType::from_smi_name(n) {
                        b
                    } else {
                        let Some((tm, td)) = self.type_def(at, n) else {
                            return facts;
                        };
                        if td.textual_convention
                            || !matches!(
                                td.syntax.ty,
                                TypeRef::Sequence(_) | TypeRef::SequenceOf(_) | TypeRef::Choice(_)
                            )
                        {
                            facts.chain.push(n.clone());
                        }
                        if facts.hint.is_none() {
                            facts.hint.clone_from(&td.display_hint);
                        }
                        if facts.enums.is_empty() {
                            facts.enums.clone_from(&td.syntax.named);
                        }
                        if facts.sizes.is_empty() {
                            facts.sizes.clone_from(&td.syntax.sizes);
                        }
                        if facts.ranges.is_empty() {
                            facts.ranges.clone_from(&td.syntax.ranges);
                        }
                        cur = &td.syntax;
                        at = tm;
                        continue;
                    }
                }
            };
            facts.base = Some(base);
            return facts;
        }
        facts
    }
}

/// Every definition of each name in all the modules, in load order, without a list per name:
/// the first and last link of each name, and each link's `(module, definition, next)`.
struct Everywhere<'m> {
    ends: FastMap<&'m str, (usize, usize)>,
    links: Vec<(usize, usize, usize)>,
}

impl<'m> Everywhere<'m> {
    fn push(&mut self, name: &'m str, mi: usize, ni: usize) {
        let at = self.links.len();
        self.links.push((mi, ni, NONE));
        match self.ends.get_mut(name) {
            Some((_, last)) => {
                if let Some(link) = self.links.get_mut(*last) {
                    link.2 = at;
                }
                *last = at;
            }
            None => {
                self.ends.insert(name, (at, at));
            }
        }
    }

    /// `(module, definition)` of each definition of `name`.
    fn of(&self, name: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
        let mut at = self.ends.get(name).map_or(NONE, |&(first, _)| first);
        std::iter::from_fn(move || {
            let &(mi, ni, next) = self.links.get(at)?;
            at = next;
            Some((mi, ni))
        })
    }
}

/// What a syntax's chain of textual conventions comes to.
#[derive(Default)]
struct TypeFacts {
    base: Option<BaseType>,
    chain: Vec<String>,
    hint: Option<String>,
    enums: Vec<(String, i64)>,
    sizes: Vec<Range>,
    ranges: Vec<Range>,
}

impl Mib {
    /// Loads `modules` (and what they import) from the search path `dirs`; the module name
    /// `ALL` loads every module of the path, as net-snmp's `-m ALL`.
    ///
    /// # Errors
    /// When a directory cannot be read, or a module named in `modules` is not found or does not
    /// parse. Problems in imported modules are tolerated (see [`Loader`] to list them).
    pub fn load<P: AsRef<Path>>(dirs: &[P], modules: &[&str]) -> Result<Self, MibError> {
        let mut loader = Loader::new(dirs)?;
        for m in modules {
            if *m == "ALL" {
                loader.load_all();
            } else {
                loader.load(m)?;
            }
        }
        Ok(loader.into_mib())
    }

    /// Resolves `modules`; `requested` are the modules asked for, in the order asked (the
    /// order net-snmp reads them in, which decides the name an OID gets back when several
    /// modules name it).
    pub(crate) fn build(modules: &[&Module], requested: &[&str]) -> Self {
        Self::build_owned(modules.iter().map(|m| (*m).clone()).collect(), requested)
    }

    /// [`Mib::build`] from modules it may take apart: their facts move into the tree.
    pub(crate) fn build_owned(modules: Vec<Module>, requested: &[&str]) -> Self {
        let refs: Vec<&Module> = modules.iter().collect();
        // Which name an OID gets back when several modules (or one module twice) name it: as
        // net-snmp, the module it reads first (see `net_snmp_order`), and in one module the
        // later definition; an explicit definition before an arc named in passing.
        let order = net_snmp_order(&refs, requested);
        // What the resolver finds for each node, before the nodes move into the tree.
        let mut resolved: Vec<Vec<(Option<Oid>, TypeFacts)>> = Vec::with_capacity(refs.len());
        {
            let mut r = Resolver::new(&refs);
            for (mi, m) in refs.iter().enumerate() {
                let mut here = Vec::with_capacity(m.nodes.len());
                for (ni, node) in m.nodes.iter().enumerate() {
                    let arcs = r.node_oid(mi, ni, 0);
                    let facts = match (&arcs, &node.syntax) {
                        (Some(_), Some(s)) => r.chain(mi, s),
                        _ => TypeFacts::default(),
                    };
                    here.push((arcs, facts));
                }
                resolved.push(here);
            }
        }
        drop(refs);
        let mut mib = Self {
            modules: modules.iter().map(|m| m.name.clone()).collect(),
            ..Self::default()
        };
        let total: usize = modules.iter().map(|m| m.nodes.len()).sum();
        mib.objects.reserve(total + total / 4);
        mib.by_oid.reserve(total + total / 4);
        mib.by_name.reserve(total);
        mib.next_named.reserve(total + total / 4);
        let mut claims: Vec<Rank> = Vec::with_capacity(total + total / 4);
        for (name, arc) in ROOTS {
            if let Ok(oid) = Oid::from_slice(&[*arc]) {
                let root = Object::implicit(String::new(), (*name).to_owned(), oid);
                mib.insert(&mut claims, root, (0, 0, 0));
            }
        }
        for ((mi, module), resolved) in modules.into_iter().enumerate().zip(resolved) {
            let first = usize::MAX - order.get(mi).copied().unwrap_or(usize::MAX);
            let Module {
                name: module_name,
                nodes,
                ..
            } = module;
            for ((ni, node), (arcs, facts)) in nodes.into_iter().enumerate().zip(resolved) {
                let Some(oid) = arcs else {
                    mib.unresolved.push((module_name.clone(), node.name));
                    continue;
                };
                let arcs = oid.as_slice();
                // `{ iso org(3) dod(6) 1 }` names org and dod too.
                for (i, c) in node.oid.iter().enumerate() {
                    match c {
                        // `iso(1)` in first place names the root, which exists already.
                        OidComp::NameNumber(name, k)
                            if i == 0 && ROOTS.iter().any(|(r, a)| r == name && a == k) => {}
                        OidComp::NameNumber(name, _) if i + 1 < node.oid.len() => {
                            let len = if i == 0 {
                                1
                            } else {
                                arcs.len() - (node.oid.len() - 1 - i)
                            };
                            if let Ok(p) = Oid::from_slice(arcs.get(..len).unwrap_or_default()) {
                                let arc = Object::implicit(module_name.clone(), name.clone(), p);
                                mib.insert(&mut claims, arc, (0, first, ni));
                            }
                        }
                        _ => {}
                    }
                }
                let object = Object::from_node(module_name.clone(), node, oid, facts);
                mib.insert(&mut claims, object, (1, first, ni));
            }
        }
        mib
    }

    /// The tree from its objects and the winner of each OID (see [`Mib::insert`]): the name
    /// maps are the objects' own, in order.
    pub(crate) fn from_parts(
        modules: Vec<String>,
        objects: Vec<Object>,
        by_oid: FastMap<Oid, usize>,
        unresolved: Vec<(String, String)>,
    ) -> Self {
        let mut mib = Self {
            modules,
            by_oid,
            unresolved,
            ..Self::default()
        };
        mib.by_name.reserve(objects.len());
        mib.next_named.reserve(objects.len());
        for (ix, object) in objects.iter().enumerate() {
            mib.index_names(object, ix);
        }
        mib.objects = objects;
        mib
    }

    /// Places `object` in the tree. `ranks` holds each object's [`Rank`]: the OID's name is
    /// the object of the highest rank (the later one among equals), as net-snmp gives it
    /// when several definitions claim it: explicit definitions before arcs named in passing,
    /// then the module read first, then in one module the later definition.
    fn insert(&mut self, ranks: &mut Vec<Rank>, object: Object, rank: Rank) {
        // A module that defines a name twice: both stay in the tree, and the name stands for
        // the later one, as in net-snmp (an arc named in passing adds nothing then).
        if rank.0 == 0 && self.in_module(&object.module, &object.name).is_some() {
            return;
        }
        let ix = self.objects.len();
        self.index_names(&object, ix);
        match self.by_oid.get_mut(&object.oid) {
            Some(best) => {
                if ranks.get(*best).is_none_or(|b| rank >= *b) {
                    *best = ix;
                }
            }
            None => {
                self.by_oid.insert(object.oid.clone(), ix);
            }
        }
        ranks.push(rank);
        self.objects.push(object);
    }

    /// Adds object `ix` (the next one) to the chains by name.
    fn index_names(&mut self, object: &Object, ix: usize) {
        self.next_named.push(NONE);
        match self.by_name.get_mut(&name_hash(&object.name)) {
            Some((_, last)) => {
                if let Some(link) = self.next_named.get_mut(*last) {
                    *link = ix;
                }
                *last = ix;
            }
            None => {
                self.by_name.insert(name_hash(&object.name), (ix, ix));
            }
        }
    }

    /// The objects called `name`, in load order.
    fn named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        let mut at = self
            .by_name
            .get(&name_hash(name))
            .map_or(NONE, |&(first, _)| first);
        std::iter::from_fn(move || {
            while at != NONE {
                let ix = at;
                at = self.next_named.get(ix).copied().unwrap_or(NONE);
                if self.objects.get(ix).is_some_and(|o| o.name == name) {
                    return Some(ix);
                }
            }
            None
        })
    }

    /// The object `module` calls `name`: its later definition when it has two.
    fn in_module(&self, module: &str, name: &str) -> Option<usize> {
        self.named(name)
            .filter(|&ix| self.objects.get(ix).is_some_and(|o| o.module == module))
            .last()
    }

    /// The names of the loaded modules, in load order.
    pub fn modules(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(String::as_str)
    }

    /// `(module, name)` of the definitions whose OID could not be resolved: a parent that no
    /// loaded module defines, or a loop.
    pub fn unresolved(&self) -> &[(String, String)] {
        &self.unresolved
    }

    /// Every object, in load order.
    pub fn objects(&self) -> impl Iterator<Item = &Object> {
        self.objects.iter()
    }

    /// The object called `name` (`sysDescr` or `SNMPv2-MIB::sysDescr`), without a suffix.
    pub fn object(&self, name: &str) -> Option<&Object> {
        let ix = match name.split_once("::") {
            Some((module, name)) => self.in_module(module, name)?,
            None => self.preferred(name)?,
        };
        self.objects.get(ix)
    }

    /// The object at exactly `oid`.
    pub fn object_at(&self, oid: &Oid) -> Option<&Object> {
        self.objects.get(*self.by_oid.get(oid)?)
    }

    /// Among the objects named `name`, the one whose OID's name is `name` (or the first).
    fn preferred(&self, name: &str) -> Option<usize> {
        self.named(name)
            .find(|&ix| {
                self.objects
                    .get(ix)
                    .and_then(|o| self.by_oid.get(&o.oid))
                    .is_some_and(|&b| b == ix)
            })
            .or_else(|| self.named(name).next())
    }

    /// The deepest object that `oid` is in, and the sub-identifiers after it.
    pub fn lookup<'a>(&'a self, oid: &'a Oid) -> Option<(&'a Object, &'a [u32])> {
        let arcs = oid.as_slice();
        for len in (1..=arcs.len()).rev() {
            let prefix = Oid::from_slice(arcs.get(..len)?).ok()?;
            if let Some(&ix) = self.by_oid.get(&prefix) {
                return Some((self.objects.get(ix)?, arcs.get(len..)?));
            }
        }
        None
    }

    /// `(module, name, suffix)` of `oid`: the deepest named node it is in, and the rest.
    pub fn name_of<'a>(&'a self, oid: &'a Oid) -> Option<(&'a str, &'a str, &'a [u32])> {
        let (object, suffix) = self.lookup(oid)?;
        Some((&object.module, &object.name, suffix))
    }

    /// `oid` as text, in the given format; numeric when no loaded module names any part of it.
    pub fn format_oid(&self, oid: &Oid, format: OidFormat) -> String {
        let mut out = String::new();
        let numeric = |out: &mut String, arcs: &[u32]| {
            for a in arcs {
                let _ = write!(out, ".{a}");
            }
        };
        match format {
            OidFormat::Numeric => numeric(&mut out, oid.as_slice()),
            OidFormat::Module | OidFormat::Short => match self.lookup(oid) {
                Some((object, suffix)) => {
                    if format == OidFormat::Module && !object.module.is_empty() {
                        out.push_str(&object.module);
                        out.push_str("::");
                    }
                    out.push_str(&object.name);
                    numeric(&mut out, suffix);
                }
                None => numeric(&mut out, oid.as_slice()),
            },
            OidFormat::Full => {
                let arcs = oid.as_slice();
                let (known, suffix) = match self.lookup(oid) {
                    Some((object, suffix)) => (object.oid.len(), suffix),
                    None => (0, arcs),
                };
                for len in 1..=known {
                    let label = arcs
                        .get(..len)
                        .and_then(|p| Oid::from_slice(p).ok())
                        .and_then(|p| self.object_at(&p))
                        .map(|o| o.name.clone());
                    match (label, arcs.get(len - 1)) {
                        (Some(l), _) => {
                            out.push('.');
                            out.push_str(&l);
                        }
                        (None, Some(a)) => {
                            let _ = write!(out, ".{a}");
                        }
                        (None, None) => {}
                    }
                }
                numeric(&mut out, suffix);
            }
        }
        out
    }

    /// The OID a textual name stands for.
    ///
    /// Accepts `SNMPv2-MIB::sysDescr.0`, `sysDescr.0`, `.1.3.6.1.2.1.1.1.0` (the leading dot
    /// optional), labelled paths such as `.iso.org.dod.internet` or `system.sysDescr.0`, and
    /// instance suffixes with strings: `"eth0"` adds the length then the octets, `'eth0'` the
    /// octets alone (an IMPLIED index), as net-snmp does.
    ///
    /// # Errors
    /// [`ResolveError`] when the name is unknown, the suffix is not a valid instance, or the
    /// result is longer than 128 sub-identifiers.
    pub fn resolve(&self, text: &str) -> Result<Oid, ResolveError> {
        let text = text.trim();
        let (module, rest) = match text.split_once("::") {
            Some((m, r)) => (Some(m), r),
            None => (None, text.strip_prefix('.').unwrap_or(text)),
        };
        let parts = split_path(rest).ok_or_else(|| ResolveError::BadSuffix(text.to_owned()))?;
        let mut arcs: Vec<u32> = Vec::new();
        let mut iter = parts.into_iter();
        let first = iter
            .next()
            .ok_or_else(|| ResolveError::UnknownName(text.to_owned()))?;
        match (module, first) {
            (Some(m), Part::Label(l)) => {
                let ix = self
                    .in_module(m, l)
                    .ok_or_else(|| ResolveError::UnknownName(text.to_owned()))?;
                arcs.extend_from_slice(
                    self.objects
                        .get(ix)
                        .map(|o| o.oid.as_slice())
                        .unwrap_or_default(),
                );
            }
            (None, Part::Label(l)) => {
                if let Some(&(_, arc)) = ROOTS.iter().find(|(r, _)| *r == l) {
                    arcs.push(arc);
                } else {
                    let ix = self
                        .preferred(l)
                        .ok_or_else(|| ResolveError::UnknownName(text.to_owned()))?;
                    arcs.extend_from_slice(
                        self.objects
                            .get(ix)
                            .map(|o| o.oid.as_slice())
                            .unwrap_or_default(),
                    );
                }
            }
            (None, Part::Arc(a)) => arcs.push(a),
            _ => return Err(ResolveError::UnknownName(text.to_owned())),
        }
        for part in iter {
            match part {
                Part::Arc(a) => arcs.push(a),
                Part::Label(l) => {
                    // A label below the current node: one of its children.
                    let child = self
                        .named(l)
                        .filter_map(|ix| self.objects.get(ix))
                        .find(|o| {
                            o.oid
                                .as_slice()
                                .split_last()
                                .is_some_and(|(_, p)| p == arcs.as_slice())
                        });
                    let child = child.ok_or_else(|| ResolveError::UnknownName(text.to_owned()))?;
                    arcs = child.oid.as_slice().to_vec();
                }
                Part::Octets(bytes, implied) => {
                    if !implied {
                        let len = u32::try_from(bytes.len())
                            .map_err(|_| ResolveError::TooLong(text.to_owned()))?;
                        arcs.push(len);
                    }
                    arcs.extend(bytes.iter().map(|b| u32::from(*b)));
                }
            }
        }
        Oid::from_slice(&arcs).map_err(|_| ResolveError::TooLong(text.to_owned()))
    }
}

/// How strongly an object claims its OID for OID -> name: explicit (1) or implicit (0), how
/// early net-snmp reads its module (higher is earlier), its place in the module (higher is
/// later).
type Rank = (u8, usize, usize);

/// The place of each module in the order net-snmp reads them: the requested modules in the
/// order asked (for `-m ALL`, module names from last to first in sorted order), each after what
/// it imports (depth first), then any other module. Where two modules name one OID, net-snmp
/// prints the name of the module read first.
fn net_snmp_order(modules: &[&Module], requested: &[&str]) -> Vec<usize> {
    let mut index: FastMap<&str, usize> = FastMap::default();
    for (i, m) in modules.iter().enumerate() {
        index.entry(m.name.as_str()).or_insert(i);
    }
    let mut rest: Vec<usize> = (0..modules.len()).collect();
    rest.sort_by(|a, b| {
        let name = |i: &usize| modules.get(*i).map(|m| m.name.as_str());
        name(b).cmp(&name(a))
    });
    let roots = requested
        .iter()
        .filter_map(|r| index.get(r).copied())
        .chain(rest);
    let mut place = vec![usize::MAX; modules.len()];
    let mut seen = vec![false; modules.len()];
    let mut next = 0;
    for root in roots {
        // Iterative depth-first walk: (module, whether its imports are done).
        let mut stack = vec![(root, false)];
        while let Some((mi, done)) = stack.pop() {
            if done {
                if let Some(p) = place.get_mut(mi)
                    && *p == usize::MAX
                {
                    *p = next;
                    next += 1;
                }
                continue;
            }
            if seen.get(mi).copied().unwrap_or(true) {
                continue;
            }
            if let Some(s) = seen.get_mut(mi) {
                *s = true;
            }
            stack.push((mi, true));
            if let Some(m) = modules.get(mi) {
                for (from, _) in m.imports.iter().rev() {
                    if let Some(&fi) = index.get(from.as_str()) {
                        stack.push((fi, false));
                    }
                }
            }
        }
    }
    place
}

impl Object {
    /// An arc named in passing: a name and an OID, no other facts.
    pub(crate) fn implicit(module: String, name: String, oid: Oid) -> Self {
        Self {
            module,
            name,
            oid,
            kind: ObjectKind::Implicit,
            syntax: None,
            base_type: None,
            tc_chain: Vec::new(),
            display_hint: None,
            enums: Vec::new(),
            sizes: Vec::new(),
            ranges: Vec::new(),
            access: None,
            status: None,
            units: None,
            description: None,
            index: Vec::new(),
            augments: None,
            defval: None,
            objects: Vec::new(),
        }
    }
}

impl Object {
    /// The label of `value` in the object's enumeration (or of bit `value` of its BITS),
    /// if it has one.
    pub fn enum_label(&self, value: i64) -> Option<&str> {
        self.enums
            .iter()
            .find(|(_, n)| *n == value)
            .map(|(l, _)| l.as_str())
    }

    /// The object a node defines, with what the resolver found about its syntax.
    fn from_node(module: String, node: NodeDef, oid: Oid, facts: TypeFacts) -> Self {
        Self {
            module,
            name: node.name,
            oid,
            kind: node.kind.unwrap_or(ObjectKind::ObjectIdentifier),
            syntax: node.syntax,
            base_type: facts.base,
            tc_chain: facts.chain,
            display_hint: facts.hint,
            enums: facts.enums,
            sizes: facts.sizes,
            ranges: facts.ranges,
            access: node.access,
            status: node.status,
            units: node.units,
            description: node.description,
            index: node.index,
            augments: node.augments,
            defval: node.defval,
            objects: node.objects,
        }
    }
}

enum Part<'a> {
    Label(&'a str),
    Arc(u32),
    Octets(Vec<u8>, bool),
}

/// Splits `a.b."x.y".3` at the dots outside quotes.
fn split_path(text: &str) -> Option<Vec<Part<'_>>> {
    let mut parts = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
        let (part, after) = if let Some(q) = quote {
            let body = rest.get(1..)?;
            let end = body.find(q)?;
            let bytes = body.get(..end)?.as_bytes().to_vec();
            (Part::Octets(bytes, q == '\''), body.get(end + 1..)?)
        } else {
            let end = rest.find('.').unwrap_or(rest.len());
            let word = rest.get(..end)?;
            if word.is_empty() {
                return None;
            }
            let part = if word.bytes().all(|b| b.is_ascii_digit()) {
                Part::Arc(word.parse().ok()?)
            } else {
                Part::Label(word)
            };
            (part, rest.get(end..)?)
        };
        parts.push(part);
        rest = match after.strip_prefix('.') {
            Some(r) if !r.is_empty() => r,
            Some(_) => return None,
            None if after.is_empty() => after,
            None => return None,
        };
    }
    Some(parts)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::parser::parse;

    fn mib(src: &str) -> Mib {
        let modules = parse(src, Path::new("t")).unwrap();
        let refs: Vec<&Module> = modules.iter().collect();
        Mib::build(&refs, &[])
    }

    const SRC: &str = r#"
        A DEFINITIONS ::= BEGIN
        internet OBJECT IDENTIFIER ::= { iso org(3) dod(6) 1 }
        Small ::= TEXTUAL-CONVENTION DISPLAY-HINT "d-2" STATUS current DESCRIPTION "" SYNTAX Inner
        Inner ::= INTEGER { low(1), high(2) }
        END
        B DEFINITIONS ::= BEGIN
        IMPORTS internet, Small FROM A;
        top OBJECT IDENTIFIER ::= { internet 4 1 9 }
        tTable OBJECT-TYPE SYNTAX SEQUENCE OF TEntry ACCESS not-accessible STATUS mandatory ::= { top 1 }
        tEntry OBJECT-TYPE SYNTAX TEntry ACCESS not-accessible STATUS mandatory INDEX { tName } ::= { tTable 1 }
        TEntry ::= SEQUENCE { tName OCTET STRING, tVal Small }
        tName OBJECT-TYPE SYNTAX OCTET STRING ACCESS read-only STATUS mandatory ::= { tEntry 1 }
        tVal OBJECT-TYPE SYNTAX Small ACCESS read-write STATUS mandatory ::= { tEntry 2 }
        loop1 OBJECT IDENTIFIER ::= { loop2 1 }
        loop2 OBJECT IDENTIFIER ::= { loop1 1 }
        END"#;

    #[test]
    fn names_resolve_both_ways() {
        let mib = mib(SRC);
        let val = mib.resolve("B::tVal.3.\"ab\"").unwrap();
        assert_eq!(val.to_string(), "1.3.6.1.4.1.9.1.1.2.3.2.97.98");
        assert_eq!(
            mib.resolve("tVal.'ab'").unwrap().to_string(),
            "1.3.6.1.4.1.9.1.1.2.97.98"
        );
        assert_eq!(mib.resolve(".1.3.6").unwrap().to_string(), "1.3.6");
        assert_eq!(
            mib.resolve(".iso.org.dod.internet").unwrap().to_string(),
            "1.3.6.1"
        );
        assert_eq!(
            mib.resolve("top.tTable.1").unwrap().to_string(),
            "1.3.6.1.4.1.9.1.1"
        );
        assert!(matches!(
            mib.resolve("loop1"),
            Err(ResolveError::UnknownName(_))
        ));
        assert!(matches!(
            mib.resolve("tVal..1"),
            Err(ResolveError::BadSuffix(_))
        ));
        assert_eq!(mib.name_of(&val), Some(("B", "tVal", &[3, 2, 97, 98][..])));
        assert_eq!(mib.format_oid(&val, OidFormat::Module), "B::tVal.3.2.97.98");
        assert_eq!(mib.format_oid(&val, OidFormat::Short), "tVal.3.2.97.98");
        assert_eq!(
            mib.format_oid(&val, OidFormat::Full),
            ".iso.org.dod.internet.4.1.top.tTable.tEntry.tVal.3.2.97.98"
        );
        assert_eq!(
            mib.format_oid(&val, OidFormat::Numeric),
            ".1.3.6.1.4.1.9.1.1.2.3.2.97.98"
        );
    }

    #[test]
    fn a_name_defined_twice_stands_for_the_later_one() {
        let mib = mib("D DEFINITIONS ::= BEGIN
            t OBJECT IDENTIFIER ::= { iso 5 }
            t OBJECT IDENTIFIER ::= { iso 6 }
            u OBJECT IDENTIFIER ::= { t 1 }
            END");
        assert_eq!(mib.resolve("D::t").unwrap().to_string(), "1.6");
        assert_eq!(mib.resolve("u").unwrap().to_string(), "1.6.1");
        // Both stay in the tree, as in net-snmp.
        assert_eq!(
            mib.format_oid(&"1.5".parse().unwrap(), OidFormat::Short),
            "t"
        );
        assert_eq!(mib.objects().filter(|o| o.name == "t").count(), 2);
    }

    #[test]
    fn textual_convention_chain() {
        let mib = mib(SRC);
        let val = mib.object("B::tVal").unwrap();
        assert_eq!(val.tc_chain, ["Small", "Inner"]);
        assert_eq!(val.base_type, Some(BaseType::Integer32));
        assert_eq!(val.display_hint.as_deref(), Some("d-2"));
        assert_eq!(val.enums, [("low".to_owned(), 1), ("high".to_owned(), 2)]);
        let entry = mib.object("tEntry").unwrap();
        assert_eq!(entry.base_type, Some(BaseType::Sequence));
        assert!(entry.tc_chain.is_empty());
        assert_eq!(entry.index[0].name, "tName");
        assert_eq!(mib.object("dod").unwrap().kind, ObjectKind::Implicit);
    }
}
