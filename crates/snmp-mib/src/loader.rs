//! The MIB search path: which file defines which module, and loading modules with their IMPORTS.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{MibError, ParseError};
use crate::mib::Mib;
use crate::parser::{self, Module};

/// Finds modules in a search path of directories (net-snmp's `-M`) and loads them with
/// everything they import.
///
/// A module is found by the name in its `NAME DEFINITIONS ::= BEGIN` line, whatever the file is
/// called. When two directories define the same module the later one wins, as in net-snmp
/// (whose `-M` puts the directories it adds last in front); in one directory the file name that
/// sorts first wins.
///
/// ```no_run
/// use snmp_mib::Loader;
///
/// let mut loader = Loader::new(["/usr/share/snmp/mibs"])?;
/// loader.load("IF-MIB")?;
/// for problem in loader.errors() {
///     eprintln!("warning: {problem}");
/// }
/// let mib = loader.build();
/// println!("{}", mib.resolve("IF-MIB::ifDescr.2")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default)]
pub struct Loader {
    index: HashMap<String, PathBuf>,
    /// Module names in the order the directories list their files (readdir order).
    listed: Vec<String>,
    parsed: HashMap<String, Module>,
    failed: HashSet<PathBuf>,
    /// Files parsed ahead of need (by [`load_all`](Self::load_all), on several threads).
    preparsed: HashMap<PathBuf, Result<Vec<Module>, MibError>>,
    /// The text of the files [`new`](Self::new) read, kept (up to [`KEEP_TEXT`] bytes in all)
    /// so that parsing them does not read them again.
    texts: Texts,
    order: Vec<String>,
    loaded: HashSet<String>,
    requested: Vec<String>,
    errors: Vec<MibError>,
}

impl Loader {
    /// Indexes every file of `dirs` (not their subdirectories) by the modules it defines (the
    /// files are read on several threads).
    ///
    /// # Errors
    /// [`MibError::Io`] when a directory cannot be listed. Unreadable files are skipped.
    pub fn new<P: AsRef<Path>>(dirs: impl IntoIterator<Item = P>) -> Result<Self, MibError> {
        let mut loader = Self::default();
        for dir in dirs {
            let dir = dir.as_ref();
            let mut here: HashSet<String> = HashSet::new();
            let entries = std::fs::read_dir(dir).map_err(|source| MibError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
            let mut files: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .filter(|p| {
                    !p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.'))
                })
                .collect();
            files.sort();
            let read = in_parallel(files.iter().collect(), |file: &PathBuf| {
                std::fs::read(file).ok().map(|bytes| {
                    let text = text_of(bytes);
                    (parser::module_names(&text), text)
                })
            });
            for (file, read) in files.iter().zip(read) {
                let Some((names, text)) = read else {
                    continue;
                };
                if !names.is_empty() && loader.texts.bytes + text.len() <= KEEP_TEXT {
                    loader.texts.bytes += text.len();
                    loader.texts.by_file.insert(file.clone(), text);
                }
                for name in names {
                    if !here.insert(name.clone()) {
                        continue;
                    }
                    if loader.index.insert(name.clone(), file.clone()).is_none() {
                        loader.listed.push(name);
                    }
                }
            }
        }
        Ok(loader)
    }

    /// The modules the search path defines, in no particular order.
    pub fn available(&self) -> impl Iterator<Item = &str> {
        self.index.keys().map(String::as_str)
    }

    /// The file that defines `module`, if the search path has one.
    pub fn file_of(&self, module: &str) -> Option<&Path> {
        self.index.get(module).map(PathBuf::as_path)
    }

    /// Parses `module` and, transitively, the modules it imports from.
    ///
    /// Problems with imported modules (not found, not parsable) do not fail the load, as in
    /// net-snmp; they are kept in [`errors`](Self::errors).
    ///
    /// # Errors
    /// When `module` itself is not in the search path or does not parse.
    pub fn load(&mut self, module: &str) -> Result<(), MibError> {
        self.load_one(module, None)?;
        if !self.requested.iter().any(|r| r == module) {
            self.requested.push(module.to_owned());
        }
        let mut pending: Vec<(String, String)> = self.imports_of(module);
        while let Some((next, importer)) = pending.pop() {
            if self.loaded.contains(&next) {
                continue;
            }
            match self.load_one(&next, Some(&importer)) {
                Ok(()) => pending.extend(self.imports_of(&next)),
                Err(e) => self.record(e),
            }
        }
        Ok(())
    }

    /// Loads every module of the search path (net-snmp's `-m ALL`; the files are parsed on
    /// several threads, then loaded in net-snmp's order), and returns how many
    /// modules failed to load; those failures, and IMPORTS naming modules absent from the path,
    /// are in [`errors`](Self::errors).
    pub fn load_all(&mut self) -> usize {
        self.preparse_all();
        let mut names: Vec<String> = self.listed.clone();
        // net-snmp's order for `-m ALL` (as observed: its names for OIDs that several modules
        // define agree with this order, not with the directory's): the last name first.
        names.sort_by(|a, b| b.cmp(a));
        let mut failed = 0;
        for name in names {
            if let Err(e) = self.load(&name) {
                failed += 1;
                self.record(e);
            }
        }
        self.preparsed.clear();
        self.texts = Texts::default();
        failed
    }

    /// Parses every file of the index not parsed yet, on up to 8 threads (all of them will
    /// be): [`load_one`](Self::load_one) then takes the result instead of parsing, in the same
    /// order as without this, so the outcome is the same.
    fn preparse_all(&mut self) {
        let mut files: Vec<(u64, PathBuf)> = self
            .index
            .iter()
            .filter(|(name, _)| !self.parsed.contains_key(*name))
            .map(|(_, file)| file.clone())
            .collect::<HashSet<PathBuf>>()
            .into_iter()
            .filter(|f| !self.failed.contains(f))
            .map(|f| (std::fs::metadata(&f).map_or(0, |m| m.len()), f))
            .collect();
        if files.len() < 2 || threads() < 2 {
            return;
        }
        // The largest first, taken one at a time: the threads end together.
        files.sort_by(|a, b| b.cmp(a));
        let texts: Vec<Option<String>> = files
            .iter()
            .map(|(_, file)| self.texts.by_file.remove(file))
            .collect();
        let jobs: Vec<(&PathBuf, Option<String>)> =
            files.iter().map(|(_, file)| file).zip(texts).collect();
        let parsed = in_parallel(jobs, |(file, text)| parse_text(file, text));
        let results = files.into_iter().map(|(_, file)| file).zip(parsed);
        self.preparsed.extend(results);
    }

    /// What went wrong so far, each problem once.
    pub fn errors(&self) -> &[MibError] {
        &self.errors
    }

    /// Resolves the loaded modules into a [`Mib`].
    pub fn build(&self) -> Mib {
        let modules: Vec<&Module> = self
            .order
            .iter()
            .filter_map(|name| self.parsed.get(name))
            .collect();
        let requested: Vec<&str> = self.requested.iter().map(String::as_str).collect();
        Mib::build(&modules, &requested)
    }

    /// [`build`](Self::build), moving the parsed modules into the tree instead of copying.
    pub(crate) fn into_mib(mut self) -> Mib {
        let modules: Vec<Module> = self
            .order
            .iter()
            .filter_map(|name| self.parsed.remove(name))
            .collect();
        let requested: Vec<&str> = self.requested.iter().map(String::as_str).collect();
        Mib::build_owned(modules, &requested)
    }

    fn record(&mut self, e: MibError) {
        let text = e.to_string();
        if !self.errors.iter().any(|x| x.to_string() == text) {
            self.errors.push(e);
        }
    }

    fn imports_of(&self, module: &str) -> Vec<(String, String)> {
        self.parsed
            .get(module)
            .map(|m| {
                m.imports
                    .iter()
                    .rev()
                    .map(|(from, _)| (from.clone(), module.to_owned()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn load_one(&mut self, module: &str, importer: Option<&str>) -> Result<(), MibError> {
        if self.loaded.contains(module) {
            return Ok(());
        }
        if !self.parsed.contains_key(module) {
            let Some(file) = self.index.get(module).cloned() else {
                return Err(MibError::ModuleNotFound {
                    module: module.to_owned(),
                    importer: importer.map(str::to_owned),
                });
            };
            if self.failed.contains(&file) {
                return Err(parse_file(&file)
                    .err()
                    .unwrap_or_else(|| MibError::ModuleNotFound {
                        module: module.to_owned(),
                        importer: importer.map(str::to_owned),
                    }));
            }
            let parsed = self.preparsed.remove(&file).unwrap_or_else(|| {
                let text = self.texts.by_file.remove(&file);
                parse_text(&file, text)
            });
            match parsed {
                Ok(mods) => {
                    for m in mods {
                        self.parsed.entry(m.name.clone()).or_insert(m);
                    }
                }
                Err(e) => {
                    self.failed.insert(file);
                    return Err(e);
                }
            }
        }
        if !self.parsed.contains_key(module) {
            return Err(MibError::ModuleNotFound {
                module: module.to_owned(),
                importer: importer.map(str::to_owned),
            });
        }
        self.loaded.insert(module.to_owned());
        self.order.push(module.to_owned());
        Ok(())
    }
}

fn parse_file(file: &Path) -> Result<Vec<Module>, MibError> {
    parse_text(file, None)
}

/// Parses `file`, whose text may have been read already.
fn parse_text(file: &Path, text: Option<String>) -> Result<Vec<Module>, MibError> {
    let text = match text {
        Some(text) => text,
        None => text_of(std::fs::read(file).map_err(|source| MibError::Io {
            path: file.to_path_buf(),
            source,
        })?),
    };
    parser::parse(&text, file).map_err(|e: ParseError| MibError::from(e))
}

/// How much file text a [`Loader`] keeps between indexing and parsing: the IETF set is 22 MB.
const KEEP_TEXT: usize = 64 << 20;

/// File texts kept by [`Loader::new`] (shown by size only in `Debug`).
#[derive(Default)]
struct Texts {
    by_file: HashMap<PathBuf, String>,
    bytes: usize,
}

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} files, {} bytes", self.by_file.len(), self.bytes)
    }
}

/// How many threads [`in_parallel`] uses: the CPUs, at most 8.
fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8)
}

/// `f` of each item, in order, computed on [`threads`] threads that take the items one at a
/// time (so the slowest should come first). A panic in `f` is a panic here.
fn in_parallel<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = threads().min(items.len());
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let (queue, f) = (&queue, &f);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(move || {
                    let mut done = Vec::new();
                    // The lock is held only to take the next item.
                    while let Some((i, item)) = queue.lock().ok().and_then(|mut q| q.next()) {
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// A file's text: UTF-8 as it is (checked by the fast validator), anything else with
/// replacement characters.
fn text_of(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}
