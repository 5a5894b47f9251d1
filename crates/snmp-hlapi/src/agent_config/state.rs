//! The agent's persistent state: snmpEngineBoots and the engine ID, kept across restarts in
//! a file like net-snmp's persistent `snmpd.conf`.

use std::collections::hash_map::RandomState;
use std::fs;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use snmp_mpm::EngineId;
use snmp_usm::MAX_BOOTS;

/// The state file's name in the state directory. Its lines are `engineBoots N` and
/// `oldEngineID 0xHEX`, as net-snmp writes them to its persistent `snmpd.conf`.
pub const STATE_FILE: &str = "snmp-rs.conf";

/// net-snmp's enterprise number, for generated engine IDs.
const NET_SNMP_ENTERPRISE: u32 = 8072;

/// A directory of persistent agent state (net-snmp's `/var/lib/snmp`).
///
/// Every update rewrites [`STATE_FILE`] atomically (a temporary file renamed over it), so a
/// crash leaves the old state or the new one. A file that cannot be read as state (bad
/// numbers, bad engine ID, not text) is no error: the damaged values start afresh
/// (snmpEngineBoots at 1, a new engine ID), and [`take_warnings`](Self::take_warnings) says
/// so.
///
/// ```no_run
/// use snmp_hlapi::agent_config::StateDir;
///
/// let state = StateDir::open("/var/lib/snmp-rs")?;
/// let boots = state.engine_boots_increment()?; // 1 on the first start, then 2, 3, ...
/// let engine_id = state.engine_id(None)?; // the same on every start
/// for warning in state.take_warnings() {
///     eprintln!("warning: {warning}");
/// }
/// # let _ = (boots, engine_id);
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug)]
pub struct StateDir {
    path: PathBuf,
    warnings: Mutex<Vec<String>>,
}

/// What the state file holds.
#[derive(Debug, Default)]
struct State {
    boots: Option<u32>,
    engine_id: Option<EngineId>,
}

impl StateDir {
    /// Opens the directory, creating it (and its parents) if need be.
    ///
    /// # Errors
    /// The directory cannot be created.
    pub fn open(path: impl AsRef<Path>) -> io::Result<Self> {
        let path = path.as_ref();
        fs::create_dir_all(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            warnings: Mutex::new(Vec::new()),
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The state file.
    pub fn file(&self) -> PathBuf {
        self.path.join(STATE_FILE)
    }

    /// Adds one to the stored snmpEngineBoots and returns the new value: 1 the first time
    /// (or after a corrupt file), never more than 2147483647 (RFC 3414 section 2.2.2, where
    /// it stays until the keys are changed).
    ///
    /// # Errors
    /// The file cannot be read or written.
    pub fn engine_boots_increment(&self) -> io::Result<u32> {
        let mut state = self.read()?;
        let boots = state
            .boots
            .map_or(1, |b| b.saturating_add(1).min(MAX_BOOTS));
        state.boots = Some(boots);
        self.write(&state)?;
        Ok(boots)
    }

    /// The engine ID: `configured` if there is one (the stored one is kept for when it is
    /// not), else the stored one, else a new random one (net-snmp's enterprise 8072, format
    /// 5, eight random octets), stored for the next start.
    ///
    /// # Errors
    /// The file cannot be read or written.
    pub fn engine_id(&self, configured: Option<EngineId>) -> io::Result<EngineId> {
        if let Some(id) = configured {
            return Ok(id);
        }
        let mut state = self.read()?;
        if let Some(id) = state.engine_id.clone() {
            return Ok(id);
        }
        let id = random_engine_id();
        state.engine_id = Some(id.clone());
        self.write(&state)?;
        Ok(id)
    }

    /// The warnings about damaged state since the last call.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(PoisonError::into_inner))
    }

    fn warn(&self, warning: String) {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(warning);
    }

    fn read(&self) -> io::Result<State> {
        let file = self.file();
        let bytes = match fs::read(&file) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(e),
        };
        let Ok(text) = String::from_utf8(bytes) else {
            self.warn(format!("{}: not text; starting afresh", file.display()));
            return Ok(State::default());
        };
        let mut state = State::default();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (key, value) = line
                .split_once(char::is_whitespace)
                .map_or((line, ""), |(k, v)| (k, v.trim()));
            let at = || format!("{}:{}", file.display(), i + 1);
            if key.eq_ignore_ascii_case("engineBoots") {
                match value.parse::<u32>() {
                    Ok(b) if b <= MAX_BOOTS => state.boots = Some(b),
                    _ => self.warn(format!(
                        "{}: bad engineBoots '{value}'; snmpEngineBoots starts again at 1",
                        at()
                    )),
                }
            } else if key.eq_ignore_ascii_case("oldEngineID") {
                match value.parse::<EngineId>() {
                    Ok(id) => state.engine_id = Some(id),
                    Err(e) => self.warn(format!("{}: bad oldEngineID: {e}", at())),
                }
            } else {
                self.warn(format!("{}: unknown line ignored", at()));
            }
        }
        Ok(state)
    }

    fn write(&self, state: &State) -> io::Result<()> {
        let mut text = String::from(
            "# snmp-rs agent state, rewritten at every start: do not edit while the agent runs\n",
        );
        if let Some(b) = state.boots {
            text.push_str(&format!("engineBoots {b}\n"));
        }
        if let Some(id) = &state.engine_id {
            text.push_str(&format!("oldEngineID {id:#}\n"));
        }
        let tmp = self
            .path
            .join(format!("{STATE_FILE}.{}.tmp", std::process::id()));
        let result = (|| {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            fs::rename(&tmp, self.file())
        })();
        if result.is_err() {
            // Best effort: the temporary file is useless now.
            let _ = fs::remove_file(&tmp);
        }
        result
    }
}

/// An engine ID of net-snmp's enterprise, format 5 (octets), with 8 random octets from the
/// standard library's randomly keyed hasher (random enough to tell engines apart, which is
/// all an engine ID needs).
pub(crate) fn random_engine_id() -> EngineId {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    let octets = hasher.finish().to_be_bytes();
    EngineId::structured(NET_SNMP_ENTERPRISE, 5, &octets)
        .expect("4 + 1 + 8 octets are within an engine ID's 5..=32")
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use snmp_mpm::EngineIdFormat;

    use super::*;

    /// A fresh directory under the system's temporary one, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static N: AtomicU32 = AtomicU32::new(0);
            let n = N.fetch_add(1, Ordering::Relaxed);
            let path =
                std::env::temp_dir().join(format!("snmp-rs-state-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&path);
            Self(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn boots_count_restarts() {
        let dir = TempDir::new();
        let nested = dir.0.join("var/lib/snmp-rs");
        for expected in 1..=3 {
            // Each start opens the directory anew.
            let state = StateDir::open(&nested).unwrap();
            assert_eq!(state.engine_boots_increment().unwrap(), expected);
            assert!(state.take_warnings().is_empty());
        }
        let text = fs::read_to_string(nested.join(STATE_FILE)).unwrap();
        assert!(text.contains("engineBoots 3\n"), "{text}");
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(&nested)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [STATE_FILE]);
    }

    /// RFC 3414 section 2.2.2: snmpEngineBoots stops at 2147483647.
    #[test]
    fn boots_stop_at_the_maximum() {
        let dir = TempDir::new();
        let state = StateDir::open(&dir.0).unwrap();
        fs::write(state.file(), "engineBoots 2147483646\n").unwrap();
        assert_eq!(state.engine_boots_increment().unwrap(), 2_147_483_647);
        assert_eq!(state.engine_boots_increment().unwrap(), 2_147_483_647);
        assert!(state.take_warnings().is_empty());
    }

    #[test]
    fn corrupt_file_restarts_at_one() {
        for corrupt in [
            &b"engineBoots many\n"[..],
            b"engineBoots 2147483648\n",
            b"engineBoots -4\n",
            b"\xff\xfe\x00garbage",
            b"what is this\n",
        ] {
            let dir = TempDir::new();
            let state = StateDir::open(&dir.0).unwrap();
            fs::write(state.file(), corrupt).unwrap();
            assert_eq!(state.engine_boots_increment().unwrap(), 1, "{corrupt:?}");
            assert_eq!(state.take_warnings().len(), 1, "{corrupt:?}");
            assert!(state.take_warnings().is_empty());
            // Rewritten clean: the next start counts on.
            assert_eq!(state.engine_boots_increment().unwrap(), 2);
            assert!(state.take_warnings().is_empty());
        }
    }

    #[test]
    fn engine_id_is_stable_and_configured_wins() {
        let dir = TempDir::new();
        let first = StateDir::open(&dir.0).unwrap().engine_id(None).unwrap();
        assert_eq!(first.enterprise(), Some(8072));
        assert_eq!(first.format(), Some(EngineIdFormat::Octets));
        assert_eq!(first.as_bytes().len(), 13);
        let state = StateDir::open(&dir.0).unwrap();
        assert_eq!(state.engine_boots_increment().unwrap(), 1);
        assert_eq!(state.engine_id(None).unwrap(), first);
        let configured = EngineId::from_text(8072, "router-1").unwrap();
        assert_eq!(
            state.engine_id(Some(configured.clone())).unwrap(),
            configured
        );
        // The stored one stays, for when the configuration no longer names one.
        let state = StateDir::open(&dir.0).unwrap();
        assert_eq!(state.engine_id(None).unwrap(), first);
        assert_eq!(state.engine_boots_increment().unwrap(), 2);
        assert!(state.take_warnings().is_empty());
        // Another directory, another engine.
        let other = TempDir::new();
        let second = StateDir::open(&other.0).unwrap().engine_id(None).unwrap();
        assert_ne!(second, first);
    }

    #[test]
    fn corrupt_engine_id_is_replaced() {
        let dir = TempDir::new();
        let state = StateDir::open(&dir.0).unwrap();
        fs::write(state.file(), "engineBoots 9\noldEngineID 0xzz\n").unwrap();
        let id = state.engine_id(None).unwrap();
        assert_eq!(state.take_warnings().len(), 1);
        assert_eq!(state.engine_id(None).unwrap(), id);
        assert_eq!(state.engine_boots_increment().unwrap(), 10);
        let text = fs::read_to_string(state.file()).unwrap();
        assert!(text.contains(&format!("oldEngineID {id:#}\n")), "{text}");
    }

    #[test]
    fn unwritable_directory_is_an_error_not_a_panic() {
        let dir = TempDir::new();
        fs::create_dir_all(&dir.0).unwrap();
        let file = dir.0.join("plain-file");
        fs::write(&file, "x").unwrap();
        assert!(StateDir::open(&file).is_err());
    }
}
