//! net-snmp's `extend`: commands whose output an agent serves in NET-SNMP-EXTEND-MIB
//! (nsExtendConfigTable, nsExtendOutput1Table, nsExtendOutput2Table), as `snmpd` does for
//! its `extend` and `extend-sh` lines, which [`AgentConfig`](crate::agent_config::AgentConfig)
//! reads.
//!
//! A command runs when its output is read and at most once per cache time (5 seconds by
//! default, `-cacheTime N`); the request waits for it, as `snmpd`'s does. What `snmpd` does
//! is kept: `extend` runs the program itself, with the arguments split as `snmpd` splits them
//! (quotes, backslashes, a `#` after a space ends them), its standard error with its standard
//! output, and nsExtendResult is its exit code; `extend-sh` runs the line with `/bin/sh -c`,
//! its standard error goes to the agent's, and nsExtendResult is the raw wait status (256
//! for `exit 1`), as `snmpd`'s `pclose` gives. One trailing newline is removed from the
//! output; the lines are split at newlines. Unlike `snmpd`, which keeps at most 100 KiB and
//! 1,024 lines, up to [`MAX_OUTPUT`] bytes are kept and every line is served, and a
//! command whose output is still open after the timeout (10 seconds by default), or that
//! still runs that long after closing it, is killed: its result is then -1 with the output
//! read so far.
//!
//! ```no_run
//! use snmp_hlapi::agent::Agent;
//! use snmp_hlapi::extend::{Extend, ExtendEntry};
//!
//! # #[allow(dead_code)]
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let mut extend = Extend::new();
//! extend.add(ExtendEntry::new("uptime", "/usr/bin/uptime"))?;
//! extend.add(ExtendEntry::new("disk", "df -h /").shell(true))?;
//! let _agent = Agent::builder()
//!     .rocommunity("public")
//!     .register(Extend::default_base(), extend)
//!     .start()
//!     .await?;
//! # Ok(()) }
//! ```

use std::io::Read;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use snmp_engine::{MibHandler, RequestInfo};
use snmp_smi::{Oid, Value, VarBind};

use crate::host::Snapshot;

/// nsExtendObjects (NET-SNMP-EXTEND-MIB): `1.3.6.1.4.1.8072.1.3.2`, where `extend` lines
/// without an OID of their own put their entries.
pub const NS_EXTEND_OBJECTS: [u32; 10] = [1, 3, 6, 1, 4, 1, 8072, 1, 3, 2];

/// The most output kept of one run of a command, in bytes.
pub const MAX_OUTPUT: usize = 1 << 20;

/// How long a command may run by default before it is killed.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// One `extend` entry: a name (the table index), a command and how to run it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExtendEntry {
    name: String,
    command: String,
    args: Option<String>,
    shell: bool,
    cache_time: u32,
}

impl ExtendEntry {
    /// The entry `name` running `command`: a program, then its arguments as one line
    /// (`"/bin/echo hello world"`), split as `snmpd` splits them.
    pub fn new(name: impl Into<String>, command: impl AsRef<str>) -> Self {
        let command = command.as_ref().trim_start();
        let (program, args) = match command.find(|c: char| c.is_ascii_whitespace()) {
            Some(at) => {
                let (p, a) = command.split_at(at);
                let a = a.trim_start();
                (p.to_owned(), (!a.is_empty()).then(|| a.to_owned()))
            }
            None => (command.to_owned(), None),
        };
        Self {
            name: name.into(),
            command: program,
            args,
            shell: false,
            cache_time: 5,
        }
    }

    /// Runs the line with `/bin/sh -c` (`extend-sh`) rather than the program itself.
    #[must_use]
    pub fn shell(mut self, on: bool) -> Self {
        self.shell = on;
        self
    }

    /// How long, in seconds, an output is served before the command runs again (5 by
    /// default; `-cacheTime`).
    #[must_use]
    pub fn cache_time(mut self, seconds: u32) -> Self {
        self.cache_time = seconds;
        self
    }

    /// The entry's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// An snmpd.conf `extend` (or `extend-sh`, `shell`) line after the directive:
    /// `[-cacheTime N] [-execType sh|exec] [.OID] NAME PROG ARGS...`. Returns the OID the
    /// entry's tables go under (`.OID`, else [`NS_EXTEND_OBJECTS`]) and the entry.
    ///
    /// # Errors
    /// A one-line reason: no name, no program, a bad cache time or OID.
    pub fn parse_line(rest: &str, shell: bool) -> Result<(Oid, Self), String> {
        let mut shell = shell;
        let mut cache_time = 5;
        let (mut word, mut after) = next_word(rest).ok_or("a name and a command are needed")?;
        if word == "-cacheTime" {
            let (n, a) = next_word(after.unwrap_or_default()).ok_or("-cacheTime needs seconds")?;
            cache_time = n
                .parse()
                .map_err(|_| format!("bad -cacheTime '{n}': expected seconds"))?;
            (word, after) = next_word(a.unwrap_or_default()).ok_or("a name is needed")?;
        }
        if word == "-execType" {
            let (t, a) = next_word(after.unwrap_or_default()).ok_or("-execType needs sh|exec")?;
            shell = t == "sh";
            (word, after) = next_word(a.unwrap_or_default()).ok_or("a name is needed")?;
        }
        let mut base = Oid::from_slice(&NS_EXTEND_OBJECTS).map_err(|e| e.to_string())?;
        if word.starts_with('.') {
            base = word.parse().map_err(|e| format!("bad OID '{word}': {e}"))?;
            (word, after) = next_word(after.unwrap_or_default()).ok_or("a name is needed")?;
        }
        let (command, args) = next_word(after.unwrap_or_default())
            .ok_or_else(|| format!("'{word}' has no command"))?;
        let entry = Self {
            name: word,
            command,
            args: args.map(str::to_owned),
            shell,
            cache_time,
        };
        Ok((base, entry))
    }

    /// The line that runs: the program and its arguments.
    fn line(&self) -> String {
        match &self.args {
            Some(args) => format!("{} {args}", self.command),
            None => self.command.clone(),
        }
    }
}

/// What one run of a command gave.
#[derive(Clone, Debug)]
pub(crate) struct Output {
    /// Its output.
    pub(crate) text: Vec<u8>,
    /// nsExtendResult: its exit code (`extend-sh`: the wait status), -1 if it was killed.
    pub(crate) result: i32,
}

#[derive(Debug)]
struct State {
    entry: ExtendEntry,
    output: Option<(Instant, Output)>,
}

impl State {
    fn stale(&self, now: Instant) -> bool {
        let period = Duration::from_secs(u64::from(self.entry.cache_time));
        self.output
            .as_ref()
            .is_none_or(|(at, _)| now < *at || now.duration_since(*at) >= period)
    }
}

/// The NET-SNMP-EXTEND-MIB tables of some `extend` entries, a read-only
/// [`MibHandler`] to register at their base OID
/// ([`default_base`](Self::default_base) unless they were given another).
#[derive(Debug)]
pub struct Extend {
    entries: Vec<State>,
    timeout: Duration,
    /// Every instance, relative to the base OID.
    snapshot: Snapshot,
    /// The base the snapshot's OIDs start with.
    base: Vec<u32>,
}

impl Default for Extend {
    fn default() -> Self {
        Self::new()
    }
}

impl Extend {
    /// No entries yet, at [`NS_EXTEND_OBJECTS`].
    pub fn new() -> Self {
        Self::at(&NS_EXTEND_OBJECTS)
    }

    /// No entries yet, served under `base` (`extend .OID NAME ...`).
    pub fn at(base: &[u32]) -> Self {
        let mut extend = Self {
            entries: Vec::new(),
            timeout: DEFAULT_TIMEOUT,
            snapshot: Snapshot::default(),
            base: base.to_vec(),
        };
        extend.rebuild();
        extend
    }

    /// [`NS_EXTEND_OBJECTS`] as an OID, where [`new`](Self::new)'s tables are registered.
    pub fn default_base() -> Oid {
        Oid::from_slice(&NS_EXTEND_OBJECTS).unwrap_or_default()
    }

    /// Adds an entry.
    ///
    /// # Errors
    /// The name is taken already, or empty.
    pub fn add(&mut self, entry: ExtendEntry) -> Result<(), String> {
        if entry.name.is_empty() {
            return Err("an extend entry needs a name".to_owned());
        }
        if self.entries.iter().any(|s| s.entry.name == entry.name) {
            return Err(format!("extend entry '{}' is defined twice", entry.name));
        }
        self.entries.push(State {
            entry,
            output: None,
        });
        self.rebuild();
        Ok(())
    }

    /// How long a command may run before it is killed ([`DEFAULT_TIMEOUT`] by default).
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// Runs the commands whose output is stale at `now`; whether any ran.
    fn refresh(&mut self, now: Instant) -> bool {
        let mut ran = false;
        for state in &mut self.entries {
            if state.stale(now) {
                state.output = Some((now, run(&state.entry, self.timeout)));
                ran = true;
            }
        }
        if ran {
            self.rebuild();
        }
        ran
    }

    /// The snapshot from the entries and the outputs they have.
    fn rebuild(&mut self) {
        let base = self.base.as_slice();
        let mut snap = Snapshot::default();
        let at = |parts: &[u32]| [base, parts].concat();
        let count = i32::try_from(self.entries.len()).unwrap_or(i32::MAX);
        snap.push(&at(&[1]), &[0], Value::Integer(count));
        for state in &self.entries {
            let e = &state.entry;
            let mut index = vec![u32::try_from(e.name.len()).unwrap_or(u32::MAX)];
            index.extend(e.name.bytes().map(u32::from));
            let config = |c: u32| at(&[2, 1, c]);
            let octets = |s: &str| Value::OctetString(bytes::Bytes::copy_from_slice(s.as_bytes()));
            snap.push(&config(2), &index, octets(&e.command));
            snap.push(
                &config(3),
                &index,
                octets(e.args.as_deref().unwrap_or_default()),
            );
            snap.push(&config(4), &index, octets(""));
            let cache = i32::try_from(e.cache_time).unwrap_or(i32::MAX);
            snap.push(&config(5), &index, Value::Integer(cache));
            snap.push(
                &config(6),
                &index,
                Value::Integer(if e.shell { 2 } else { 1 }),
            );
            // run-on-read(1), permanent(4), active(1).
            snap.push(&config(7), &index, Value::Integer(1));
            snap.push(&config(20), &index, Value::Integer(4));
            snap.push(&config(21), &index, Value::Integer(1));
            let Some((_, output)) = &state.output else {
                continue;
            };
            let lines: Vec<&[u8]> = output.text.split(|&b| b == b'\n').collect();
            let text = |b: &[u8]| Value::OctetString(bytes::Bytes::copy_from_slice(b));
            let output1 = |c: u32| at(&[3, 1, c]);
            snap.push(
                &output1(1),
                &index,
                text(lines.first().copied().unwrap_or_default()),
            );
            snap.push(&output1(2), &index, text(&output.text));
            let n = i32::try_from(lines.len()).unwrap_or(i32::MAX);
            snap.push(&output1(3), &index, Value::Integer(n));
            snap.push(&output1(4), &index, Value::Integer(output.result));
            for (line, number) in lines.iter().zip(1_u32..) {
                let mut suffix = index.clone();
                suffix.push(number);
                snap.push(&at(&[4, 1, 2]), &suffix, text(line));
            }
        }
        self.snapshot = snap.finish();
    }

    /// Whether `oid` is in the output tables (nsExtendOutput1Table, nsExtendOutput2Table).
    fn in_output(&self, oid: &Oid) -> bool {
        let arcs = oid.as_slice();
        arcs.strip_prefix(self.base.as_slice())
            .and_then(<[u32]>::first)
            .is_some_and(|t| *t == 3 || *t == 4)
    }
}

impl MibHandler for Extend {
    fn get(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Value {
        if self.in_output(oid) {
            self.refresh(info.now);
        }
        let scalars = [self.base.as_slice(), &[1]].concat();
        let config = [self.base.as_slice(), &[2, 1]].concat();
        let output1 = [self.base.as_slice(), &[3, 1]].concat();
        let output2 = [self.base.as_slice(), &[4, 1]].concat();
        let objects: [(&[u32], &[u32]); 4] = [
            (&scalars, &[1]),
            (&config, &[2, 3, 4, 5, 6, 7, 20, 21]),
            (&output1, &[1, 2, 3, 4]),
            (&output2, &[2]),
        ];
        self.snapshot.get(&objects, oid)
    }

    fn get_next(&mut self, info: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        // The configuration comes first: run the commands only when the walk reaches
        // their output.
        let next = self.snapshot.next(oid);
        if next.as_ref().is_none_or(|vb| self.in_output(&vb.oid)) && self.refresh(info.now) {
            return self.snapshot.next(oid);
        }
        next
    }
}

/// The next word of an snmpd.conf line as net-snmp's `copy_nword` reads it (quotes, `\`
/// escapes), and the rest after the white space that follows it; `None` at the end of the
/// line or at a `#`.
fn next_word(line: &str) -> Option<(String, Option<&str>)> {
    let from = skip_white(line)?;
    // A word in quotes runs to the closing quote, any other to white space; a backslash
    // takes the next character as it is, in both.
    let mut chars = from.char_indices();
    let quote = match from.chars().next() {
        Some(q @ ('"' | '\'')) => {
            chars.next();
            Some(q)
        }
        _ => None,
    };
    let mut word = String::new();
    let mut end = from.len();
    while let Some((at, c)) = chars.next() {
        match quote {
            Some(q) if c == q => {
                end = at + c.len_utf8();
                break;
            }
            None if c.is_ascii_whitespace() => {
                end = at;
                break;
            }
            _ => {}
        }
        if c == '\\'
            && let Some((_, next)) = chars.next()
        {
            word.push(next);
            continue;
        }
        word.push(c);
    }
    let rest = from.get(end..).and_then(skip_white);
    Some((word, rest))
}

/// `line` from its first non-blank character; `None` if nothing is left or a `#` starts it.
fn skip_white(line: &str) -> Option<&str> {
    let s = line.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '\x0b');
    (!s.is_empty() && !s.starts_with('#')).then_some(s)
}

/// A command line split as net-snmp splits an `extend` command (at most 100 words, the rest
/// of the line as written in the last).
pub(crate) fn split_command(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut rest = Some(line);
    while let Some(s) = rest {
        if words.len() + 2 >= 100 {
            words.push(s.to_owned());
            break;
        }
        match next_word(s) {
            Some((word, after)) => {
                words.push(word);
                rest = after;
            }
            None => break,
        }
    }
    words
}

/// Runs an entry's command: its output (one trailing newline removed) and result.
fn run(entry: &ExtendEntry, timeout: Duration) -> Output {
    let mut output = run_command(&entry.line(), entry.shell, timeout);
    if output.text.last() == Some(&b'\n') {
        output.text.pop();
    }
    output
}

/// Runs a command line as snmpd does: split into words and executed, its standard error
/// with its standard output, the result its exit code; or, for `shell`, with `/bin/sh -c`,
/// standard output only, the result the raw wait status. A command still running after
/// `timeout` is killed (result -1, the output read so far).
pub(crate) fn run_command(line: &str, shell: bool, timeout: Duration) -> Output {
    let spawned = if shell {
        Command::new("/bin/sh")
            .arg("-c")
            .arg(line)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map(|child| (child, None))
    } else {
        let argv = split_command(line);
        let Some((program, args)) = argv.split_first() else {
            return Output {
                text: Vec::new(),
                result: 1,
            };
        };
        let spawn = || -> std::io::Result<_> {
            let (reader, writer) = std::io::pipe()?;
            let child = Command::new(program)
                .args(args)
                .stdin(Stdio::null())
                .stdout(writer.try_clone()?)
                .stderr(writer)
                .spawn()?;
            Ok((child, Some(reader)))
        };
        match spawn() {
            Ok(spawned) => Ok(spawned),
            Err(e) => {
                // What the child snmpd forks prints when execv fails, and its exit 1.
                let reason = e.to_string();
                let reason = reason.split(" (os error").next().unwrap_or_default();
                return Output {
                    text: format!("{program}: {reason}").into_bytes(),
                    result: 1,
                };
            }
        }
    };
    let Ok((mut child, reader)) = spawned else {
        return Output {
            text: Vec::new(),
            result: -1,
        };
    };
    let stdout: Option<Box<dyn Read + Send>> = match reader {
        Some(reader) => Some(Box::new(reader)),
        None => child
            .stdout
            .take()
            .map(|s| Box::new(s) as Box<dyn Read + Send>),
    };
    // The output is read on a thread of its own, so that a command that never ends can be
    // killed at the timeout.
    let (done, output) = mpsc::channel();
    if let Some(mut stdout) = stdout {
        std::thread::spawn(move || {
            let mut text = Vec::new();
            let mut chunk = [0_u8; 8192];
            loop {
                match stdout.read(&mut chunk) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let room = MAX_OUTPUT.saturating_sub(text.len());
                        text.extend_from_slice(chunk.get(..n.min(room)).unwrap_or_default());
                    }
                }
            }
            let _ = done.send(text);
        });
    }
    let (text, result) = match output.recv_timeout(timeout) {
        Ok(text) => {
            // Its output is closed; it may still run (it closed it itself): waited for
            // as long again at most, then killed.
            let step = Duration::from_millis(5);
            let mut waited = Duration::ZERO;
            let status = loop {
                match child.try_wait() {
                    Ok(Some(status)) => break Some(status),
                    Ok(None) if waited < timeout => {
                        std::thread::sleep(step);
                        waited += step;
                    }
                    _ => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break None;
                    }
                }
            };
            (text, status.map_or(-1, |s| exit_result(s, shell)))
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            (
                output
                    .recv_timeout(Duration::from_secs(1))
                    .unwrap_or_default(),
                -1,
            )
        }
    };
    Output { text, result }
}

/// nsExtendResult: the exit code, or for `extend-sh` the raw wait status (`pclose`'s).
fn exit_result(status: std::process::ExitStatus, shell: bool) -> i32 {
    #[cfg(unix)]
    if shell {
        use std::os::unix::process::ExitStatusExt;
        return status.into_raw();
    }
    let code = status.code().unwrap_or(0);
    if shell { code << 8 } else { code }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::fixture::{info, start, walk};

    #[test]
    fn words_split_as_net_snmp_splits_them() {
        let split = |s: &str| split_command(s);
        assert_eq!(
            split("/bin/echo \"x\ty\" 'q \"r\"'  z\\ w"),
            ["/bin/echo", "x\ty", "q \"r\"", "z w"]
        );
        assert_eq!(
            split("/bin/sh -c \"printf 'a\\nb\\n'; exit 3\""),
            ["/bin/sh", "-c", "printf 'anbn'; exit 3"]
        );
        assert_eq!(split("/bin/echo x # comment"), ["/bin/echo", "x"]);
        assert_eq!(split("/bin/true"), ["/bin/true"]);
        assert_eq!(
            split("/bin/echo caf\\é 'x\\' y\\"),
            ["/bin/echo", "café", "x' y\\"]
        );
        let many = format!("/bin/echo{}", " w".repeat(120));
        let words = split(&many);
        assert_eq!(words.len(), 99);
        // 98 words, then the rest as written: 23 "w" and the spaces between them.
        assert_eq!(
            words.last().map(String::len),
            Some(" w".repeat(23).len() - 1)
        );
    }

    proptest::proptest! {
        /// Any configuration text: splitting and parsing never panic, and a line of plain
        /// words splits into those words.
        #[test]
        fn any_line_splits_without_panicking(line in "\\PC{0,60}", words in proptest::collection::vec("[a-z0-9/._-]{1,8}", 1..10)) {
            let _ = split_command(&line);
            let _ = ExtendEntry::parse_line(&line, false);
            proptest::prop_assert_eq!(split_command(&words.join(" ")), words);
        }
    }

    #[test]
    fn lines_parse_as_snmpd_reads_them() {
        let (base, e) = ExtendEntry::parse_line("hello /bin/echo hello world", false).unwrap();
        assert_eq!(base, Extend::default_base());
        assert_eq!(
            (e.command.as_str(), e.args.as_deref()),
            ("/bin/echo", Some("hello world"))
        );
        let (_, e) =
            ExtendEntry::parse_line("-cacheTime 10 -execType sh c1 echo x # c", false).unwrap();
        assert_eq!((e.name(), e.cache_time, e.shell), ("c1", 10, true));
        assert_eq!(e.args.as_deref(), Some("x # c"));
        let (base, e) =
            ExtendEntry::parse_line(".1.3.6.1.4.1.99999.77 m /bin/echo m", false).unwrap();
        assert_eq!(base, "1.3.6.1.4.1.99999.77".parse::<Oid>().unwrap());
        assert_eq!(e.name(), "m");
        assert!(ExtendEntry::parse_line("name", false).is_err());
        assert!(ExtendEntry::parse_line("", false).is_err());
        assert!(ExtendEntry::parse_line("-cacheTime x n /bin/true", false).is_err());
        assert!(ExtendEntry::parse_line(".1.x n /bin/true", false).is_err());
    }

    fn text(vb: &VarBind) -> String {
        match &vb.value {
            Value::OctetString(b) => String::from_utf8_lossy(b).into_owned(),
            Value::Integer(n) => n.to_string(),
            v => v.to_string(),
        }
    }

    /// What snmpd 5.9.3 serves for the same lines (its walk, by hand).
    #[cfg(unix)]
    #[test]
    fn tables_as_snmpd_serves_them() {
        let mut extend = Extend::new();
        for (line, shell) in [
            ("hello /bin/echo hello world", false),
            ("two /bin/sh -c \"printf 'a\\nb\\n'; exit 3\"", false),
            ("shell echo one; echo two", true),
            ("missing /nonexistent/cmd x", false),
            ("empty /bin/true", false),
        ] {
            extend
                .add(ExtendEntry::parse_line(line, shell).unwrap().1)
                .unwrap();
        }
        let now = start();
        let rows = walk(&mut extend, now, "1.3.6.1.4.1.8072.1.3.2");
        let at = |suffix: &str| {
            let oid: Oid = format!("1.3.6.1.4.1.8072.1.3.2.{suffix}").parse().unwrap();
            rows.iter().find(|vb| vb.oid == oid).map(text)
        };
        // Index: length-prefixed names; "two" is 3.116.119.111, "shell" 5.115.104.101.108.108.
        let two = "3.116.119.111";
        let shell = "5.115.104.101.108.108";
        let missing = "7.109.105.115.115.105.110.103";
        let empty = "5.101.109.112.116.121";
        assert_eq!(at("1.0").as_deref(), Some("5"));
        assert_eq!(at(&format!("2.1.2.{two}")).as_deref(), Some("/bin/sh"));
        assert_eq!(
            at(&format!("2.1.3.{two}")).as_deref(),
            Some("-c \"printf 'a\\nb\\n'; exit 3\"")
        );
        assert_eq!(at(&format!("2.1.6.{shell}")).as_deref(), Some("2"));
        assert_eq!(at(&format!("3.1.1.{two}")).as_deref(), Some("anbn"));
        assert_eq!(at(&format!("3.1.4.{two}")).as_deref(), Some("3"));
        assert_eq!(at(&format!("3.1.2.{shell}")).as_deref(), Some("one\ntwo"));
        assert_eq!(at(&format!("3.1.3.{shell}")).as_deref(), Some("2"));
        assert_eq!(at(&format!("4.1.2.{shell}.2")).as_deref(), Some("two"));
        assert_eq!(
            at(&format!("3.1.1.{missing}")).as_deref(),
            Some("/nonexistent/cmd: No such file or directory")
        );
        assert_eq!(at(&format!("3.1.4.{missing}")).as_deref(), Some("1"));
        assert_eq!(at(&format!("3.1.3.{empty}")).as_deref(), Some("1"));
        assert_eq!(at(&format!("4.1.2.{empty}.1")).as_deref(), Some(""));
        // Rows in index order: the shorter names first.
        let config_rows: Vec<&VarBind> = rows
            .iter()
            .filter(|vb| vb.oid.as_slice().get(10..13) == Some(&[2, 1, 2]))
            .collect();
        assert_eq!(config_rows.len(), 5);
        assert_eq!(text(config_rows[0]), "/bin/sh");
        // A GET of an output runs nothing again within the cache time; an unknown row is
        // noSuchInstance, an unknown column noSuchObject.
        let full: Oid = format!("1.3.6.1.4.1.8072.1.3.2.3.1.2.{shell}")
            .parse()
            .unwrap();
        assert_eq!(
            text(&VarBind::new(full.clone(), extend.get(&info(now), &full))),
            "one\ntwo"
        );
        let nobody: Oid = "1.3.6.1.4.1.8072.1.3.2.3.1.2.1.120".parse().unwrap();
        assert_eq!(extend.get(&info(now), &nobody), Value::NoSuchInstance);
        let column: Oid = "1.3.6.1.4.1.8072.1.3.2.3.1.9.1.120".parse().unwrap();
        assert_eq!(extend.get(&info(now), &column), Value::NoSuchObject);
    }

    #[cfg(unix)]
    #[test]
    fn shell_results_are_wait_statuses_and_commands_time_out() {
        let mut extend = Extend::new();
        extend
            .add(
                ExtendEntry::parse_line("s1 echo out; exit 2", true)
                    .unwrap()
                    .1,
            )
            .unwrap();
        extend
            .add(ExtendEntry::new("slow", "/bin/sleep 5"))
            .unwrap();
        extend.timeout(Duration::from_millis(300));
        let now = start();
        let rows = walk(&mut extend, now, "1.3.6.1.4.1.8072.1.3.2.3.1.4");
        let results: Vec<String> = rows.iter().map(text).collect();
        // "s1" (2 octets) before "slow" (4): 512 for exit 2, -1 for the killed command.
        assert_eq!(results, ["512", "-1"]);
    }

    /// A command that closes its output and goes on is not waited for past the timeout.
    #[cfg(unix)]
    #[test]
    fn a_command_that_closes_its_output_is_killed_at_the_timeout() {
        let mut extend = Extend::new();
        extend
            .add(ExtendEntry::new("closer", "echo early; exec >&- 2>&-; sleep 5").shell(true))
            .unwrap();
        extend.timeout(Duration::from_millis(200));
        let rows = walk(&mut extend, start(), "1.3.6.1.4.1.8072.1.3.2.3.1");
        let values: Vec<String> = rows.iter().map(text).collect();
        // Line 1, full output, one line, killed: -1.
        assert_eq!(values, ["early", "early", "1", "-1"]);
    }

    #[cfg(unix)]
    #[test]
    fn many_lines_are_served() {
        let mut extend = Extend::new();
        extend
            .add(ExtendEntry::new("big", "/usr/bin/seq 1 20000"))
            .unwrap();
        let now = start();
        // snmpd 5.9.3 keeps 1,024 lines (and aborts walking an extend of 14,000 and more).
        let root: Oid = "1.3.6.1.4.1.8072.1.3.2.4.1.2".parse().unwrap();
        let mut at = root.clone();
        let mut lines = Vec::new();
        while let Some(vb) = extend.get_next(&info(now), &at) {
            if !vb.oid.starts_with(&root) || lines.len() > 30_000 {
                break;
            }
            at = vb.oid.clone();
            lines.push(text(&vb));
        }
        assert_eq!(lines.len(), 20_000);
        assert_eq!(lines.last().map(String::as_str), Some("20000"));
    }
}
