//! Which MIB modules the tools load, as net-snmp decides it: `-m MIBS` and `-M DIRS`, the
//! `MIBS` and `MIBDIRS` environment variables, the `mibs` and `mibdirs` directives of
//! `snmp.conf`, and net-snmp's defaults.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use snmp_mib::{Loader, Mib};

/// net-snmp's default module list (5.9, as configured by its default build).
const DEFAULT_MODULES: &str = "SNMPv2-MIB:IF-MIB:IP-MIB:TCP-MIB:UDP-MIB:HOST-RESOURCES-MIB:\
NOTIFICATION-LOG-MIB:DISMAN-EVENT-MIB:DISMAN-SCHEDULE-MIB:UCD-SNMP-MIB:UCD-DEMO-MIB:\
SNMP-TARGET-MIB:NET-SNMP-AGENT-MIB:HOST-RESOURCES-TYPES:SNMP-MPD-MIB:SNMP-USER-BASED-SM-MIB:\
SNMP-FRAMEWORK-MIB:SNMP-VIEW-BASED-ACM-MIB:SNMP-COMMUNITY-MIB:IPV6-ICMP-MIB:IPV6-MIB:\
IPV6-TCP-MIB:IPV6-UDP-MIB:IP-FORWARD-MIB:NET-SNMP-PASS-MIB:NET-SNMP-EXTEND-MIB:UCD-DLMOD-MIB:\
SNMP-NOTIFICATION-MIB:SNMPv2-TM:NET-SNMP-VACM-MIB";

/// net-snmp's default search path after `$HOME/.snmp/mibs` (Debian's build).
const DEFAULT_DIRS: &str =
    "/usr/share/snmp/mibs:/usr/share/snmp/mibs/iana:/usr/share/snmp/mibs/ietf";

/// The `-m` and `-M` options of a command line.
#[derive(Clone, Debug, Default)]
pub(crate) struct MibOptions {
    /// `-m MIBS`, the last one given.
    pub(crate) modules: Option<String>,
    /// `-M DIRS`, the last one given.
    pub(crate) dirs: Option<String>,
}

/// A list setting: `+X` adds to what was there (after it for modules, before it for
/// directories, as net-snmp does), anything else replaces it.
fn apply(list: &mut Vec<String>, value: &str, prepend: bool) {
    let (add, body) = match value.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    let items: Vec<String> = body
        .split(':')
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().to_owned())
        .collect();
    if !add {
        *list = items;
    } else if prepend {
        let old = std::mem::take(list);
        *list = items;
        list.extend(old);
    } else {
        list.extend(items);
    }
}

/// The `mibs` and `mibdirs` directives of the `snmp.conf` files net-snmp reads.
fn config_directives() -> Vec<(String, String)> {
    snmp_conf(&["mibs", "mibdirs"])
}

/// The `snmp.conf` files net-snmp reads, in order (later ones win): those of the directories
/// of `$SNMPCONFPATH` when it is set, else `/etc/snmp`, `/usr/share/snmp` and `~/.snmp`.
fn snmp_conf_files() -> Vec<PathBuf> {
    if let Some(path) = std::env::var_os("SNMPCONFPATH") {
        return std::env::split_paths(&path)
            .map(|d| d.join("snmp.conf"))
            .collect();
    }
    let mut files = vec![
        PathBuf::from("/etc/snmp/snmp.conf"),
        PathBuf::from("/usr/share/snmp/snmp.conf"),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        files.push(Path::new(&home).join(".snmp/snmp.conf"));
    }
    files
}

/// net-snmp's per-host configuration: for an agent named as a plain host name (letters,
/// digits, dots and dashes), the `transport SPEC` of the `hosts/NAME.conf` files of the
/// configuration directories (the last one wins), which stands for the agent
/// (`transport udp:192.0.2.7:1161`).
pub(crate) fn host_transport(agent: &str) -> Option<String> {
    let plain = !agent.is_empty()
        && agent
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !plain {
        return None;
    }
    let mut found = None;
    for file in snmp_conf_files() {
        let Some(dir) = file.parent() else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(dir.join("hosts").join(format!("{agent}.conf")))
        else {
            continue;
        };
        for line in text.lines() {
            let mut words = line.trim().splitn(2, char::is_whitespace);
            if words
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case("transport"))
            {
                let value = words.next().unwrap_or_default().trim();
                if !value.is_empty() {
                    found = Some(value.to_owned());
                }
            }
        }
    }
    found
}

/// The directives named `keys` (any case) of the `snmp.conf` files, in order, as (key in
/// lower case, value).
pub(crate) fn snmp_conf(keys: &[&str]) -> Vec<(String, String)> {
    let files = snmp_conf_files();
    let mut out = Vec::new();
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for line in text.lines() {
            let line = line.trim();
            let mut words = line.splitn(2, char::is_whitespace);
            let key = words.next().unwrap_or_default();
            let value = words.next().unwrap_or_default().trim();
            if keys.iter().any(|k| key.eq_ignore_ascii_case(k)) {
                out.push((key.to_ascii_lowercase(), value.to_owned()));
            }
        }
    }
    out
}

/// The default search path as net-snmp's usage text shows it before reading its
/// configuration.
pub(crate) const UNEXPANDED_PATH: &str =
    "$HOME/.snmp/mibs:/usr/share/snmp/mibs:/usr/share/snmp/mibs/iana:/usr/share/snmp/mibs/ietf";

/// The MIB search path with no `-M`: net-snmp's default, `mibdirs` and `$MIBDIRS` (the
/// `(default: ...)` of the usage text).
pub(crate) fn search_path() -> String {
    MibOptions::default().settings().0.join(":")
}

impl MibOptions {
    /// The search path and the modules: the defaults, then `snmp.conf`, the environment and
    /// the command line, each overriding (or with `+`, extending) the one before. The bool
    /// says whether the modules were named by the user (a missing one is then reported).
    fn settings(&self) -> (Vec<String>, Vec<String>, bool) {
        let mut dirs = Vec::new();
        if let Some(home) = std::env::var_os("HOME") {
            dirs.push(format!("{}/.snmp/mibs", Path::new(&home).display()));
        }
        apply(&mut dirs, &format!("+{DEFAULT_DIRS}"), false);
        let mut modules = Vec::new();
        apply(&mut modules, DEFAULT_MODULES, false);
        let mut named = false;
        for (key, value) in config_directives() {
            if key == "mibs" {
                apply(&mut modules, &value, false);
            } else {
                apply(&mut dirs, &value, true);
            }
        }
        if let Ok(v) = std::env::var("MIBDIRS") {
            apply(&mut dirs, &v, true);
        }
        if let Ok(v) = std::env::var("MIBS") {
            named = true;
            apply(&mut modules, &v, false);
        }
        if let Some(v) = &self.dirs {
            apply(&mut dirs, v, true);
        }
        if let Some(v) = &self.modules {
            named = true;
            apply(&mut modules, v, false);
        }
        (dirs, modules, named)
    }

    /// Loads the modules; `None` when none was found (the output is then net-snmp's without
    /// MIBs). A module the user named that is not found is reported as net-snmp does, and the
    /// others are still loaded.
    pub(crate) fn load(&self, err: &mut dyn Write) -> Option<Arc<Mib>> {
        let (dirs, modules, named) = self.settings();
        if modules.is_empty() {
            return None;
        }
        let existing: Vec<&String> = dirs.iter().filter(|d| Path::new(d).is_dir()).collect();
        // Without a module to report missing, the compiled tree may come from the cache
        // (~/.cache/snmp-rs: keyed by the files, rebuilt when one changes).
        let quiet = !named
            || modules
                .iter()
                .all(|m| m == "ALL" || DEFAULT_MODULES.split(':').any(|d| d == m));
        if quiet && std::env::var_os("SNMP_MIB_CACHE").is_none_or(|v| v != "0") {
            let names: Vec<&str> = modules.iter().map(String::as_str).collect();
            let compiled = snmp_mib::MibCache::default().load_or_compile(&existing, &names, || {
                self.compile(&existing, &modules, named, &dirs, &mut std::io::sink())
                    .ok_or(())
            });
            return compiled.ok().map(|(mib, _)| Arc::new(mib));
        }
        self.compile(&existing, &modules, named, &dirs, err)
            .map(Arc::new)
    }

    /// Compiles `modules` from `existing` (the search path's directories), reporting the
    /// named ones not found; `None` when none was found.
    fn compile(
        &self,
        existing: &[&String],
        modules: &[String],
        named: bool,
        dirs: &[String],
        err: &mut dyn Write,
    ) -> Option<Mib> {
        let mut loader = Loader::new(existing).ok()?;
        let mut loaded = 0usize;
        for m in modules {
            if m == "ALL" {
                loaded += 1;
                loader.load_all();
                continue;
            }
            if loader.file_of(m).is_none() {
                if named && !DEFAULT_MODULES.split(':').any(|d| d == m) {
                    let _ = writeln!(
                        err,
                        "MIB search path: {}\nCannot find module ({m}): At line 1 in (none)",
                        dirs.join(":")
                    );
                }
                continue;
            }
            if loader.load(m).is_ok() {
                loaded += 1;
            }
        }
        (loaded > 0).then(|| loader.build())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_replace_or_extend() {
        let mut l = vec!["A".to_owned()];
        apply(&mut l, "+B:C", false);
        assert_eq!(l, ["A", "B", "C"]);
        apply(&mut l, "+D", true);
        assert_eq!(l, ["D", "A", "B", "C"]);
        apply(&mut l, "E", false);
        assert_eq!(l, ["E"]);
        apply(&mut l, ":", false);
        assert!(l.is_empty());
    }

    #[test]
    fn named_modules_load_from_the_given_dirs() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf");
        let dir = std::env::var("SNMP_SHARED_DIR")
            .map_or_else(|_| dir.to_owned(), |d| format!("{d}/mibs/ietf"));
        if !Path::new(&dir).is_dir() {
            eprintln!("{dir} absent: skipped");
            return;
        }
        let o = MibOptions {
            modules: Some("IF-MIB:NO-SUCH-MIB".to_owned()),
            dirs: Some(dir),
        };
        let mut err = Vec::new();
        let mib = o.load(&mut err).unwrap();
        assert!(mib.object("ifDescr").is_some());
        let err = String::from_utf8(err).unwrap();
        assert!(
            err.contains("Cannot find module (NO-SUCH-MIB): At line 1 in (none)"),
            "{err}"
        );
    }
}
