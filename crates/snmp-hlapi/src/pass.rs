//! net-snmp's `pass` and `pass_persist`: a subtree served by a program, as `snmpd` serves
//! one for its `pass OID PROG ARGS` and `pass_persist OID PROG ARGS` lines, which
//! [`AgentConfig`](crate::agent_config::AgentConfig) reads.
//!
//! `pass` runs the program once per binding: `PROG ARGS -g OID` for a GET, `PROG ARGS -n OID`
//! for a GETNEXT (the subtree's OID when the request is before it), `PROG ARGS -s OID TYPE
//! VALUE` for a SET. `pass_persist` starts the program once, checks it answers `PONG` to
//! `PING`, then writes `get`, `getnext` or `set` and the OID (and `TYPE VALUE`) as lines,
//! and starts it again if it has died. The program answers three lines, the OID, the type
//! and the value, or `NONE` (or nothing) when there is no such object; to a SET, one line:
//! `DONE`, or an error (`not-writable`, `wrong-type`, `bad-value`...). The types are
//! `snmpd`'s: `string`, `integer`, `unsigned`, `counter`, `counter64`, `gauge`, `timeticks`,
//! `ipaddress`, `objectid`, `octet` and `opaque` (hexadecimal octets), matched as `snmpd`
//! matches them (any case, by prefix) and their numbers read as C's `strtol` reads them.
//!
//! The request waits for the program, as `snmpd`'s does; unlike `snmpd`, a program that
//! has not answered after the timeout (10 seconds by default) is killed, and its answer
//! counts as no object. An answer outside the subtree, or not after the OID asked for a
//! GETNEXT, ends the subtree.
//!
//! ```no_run
//! use snmp_hlapi::agent::Agent;
//! use snmp_hlapi::pass::Pass;
//! use snmp_hlapi::oid;
//!
//! # #[allow(dead_code)]
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let root = oid!(1, 3, 6, 1, 4, 1, 99999, 50);
//! let _agent = Agent::builder()
//!     .rocommunity("public")
//!     .register(root.clone(), Pass::persistent(root, "/usr/local/bin/my-mib.sh"))
//!     .start()
//!     .await?;
//! # Ok(()) }
//! ```

use std::io::{BufRead, BufReader, Read, Write};
use std::net::Ipv4Addr;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use snmp_engine::{MibHandler, RequestInfo, SetError};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};

use crate::extend::{DEFAULT_TIMEOUT, run_command, split_command};

/// The longest line read from a `pass_persist` program.
const MAX_LINE: usize = 64 * 1024;

/// A subtree served by a program (`pass`, or `pass_persist`), a
/// [`MibHandler`] to register at its [`root`](Self::root).
#[derive(Debug)]
pub struct Pass {
    root: Oid,
    command: String,
    persistent: bool,
    timeout: Duration,
    running: Option<Persistent>,
}

/// A copy serves the same subtree with the same program; a `pass_persist` program is
/// started anew for it.
impl Clone for Pass {
    fn clone(&self) -> Self {
        Self {
            root: self.root.clone(),
            command: self.command.clone(),
            persistent: self.persistent,
            timeout: self.timeout,
            running: None,
        }
    }
}

/// A `pass_persist` program that is running: its input, and its output's lines.
#[derive(Debug)]
struct Persistent {
    child: Child,
    input: ChildStdin,
    lines: mpsc::Receiver<String>,
}

impl Drop for Persistent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What is asked of the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ask {
    Get,
    GetNext,
}

impl Pass {
    /// `pass ROOT COMMAND`: the program (and its arguments, split as `snmpd` splits them)
    /// runs once per binding.
    pub fn new(root: Oid, command: impl Into<String>) -> Self {
        Self {
            root,
            command: command.into(),
            persistent: false,
            timeout: DEFAULT_TIMEOUT,
            running: None,
        }
    }

    /// `pass_persist ROOT COMMAND`: the program runs once and answers line by line.
    pub fn persistent(root: Oid, command: impl Into<String>) -> Self {
        Self {
            persistent: true,
            ..Self::new(root, command)
        }
    }

    /// How long the program may take to answer ([`DEFAULT_TIMEOUT`] by default).
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// The subtree served.
    pub fn root(&self) -> &Oid {
        &self.root
    }

    /// An snmpd.conf `pass` (or `pass_persist`) line after the directive:
    /// `[-p PRIORITY] OID PROG [ARGS]` (the priority is read and not used: handlers here
    /// cannot overlap).
    ///
    /// # Errors
    /// A one-line reason: no OID, a bad one, no program.
    pub fn parse_line(rest: &str, persistent: bool) -> Result<Self, String> {
        let mut rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("-p") {
            let after = after.trim_start();
            let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return Err("priority must be an integer".to_owned());
            }
            rest = after.get(digits..).unwrap_or_default().trim_start();
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let (oid, command) = rest.split_at(end);
        if oid.is_empty() {
            return Err("an OID and a program are needed".to_owned());
        }
        let root: Oid = oid.parse().map_err(|e| format!("bad OID '{oid}': {e}"))?;
        let command = command.trim();
        if command.is_empty() {
            return Err(format!("no program for {oid}"));
        }
        Ok(if persistent {
            Self::persistent(root, command)
        } else {
            Self::new(root, command)
        })
    }

    /// The OID written for a GETNEXT from `oid`: the subtree's own when `oid` is before it
    /// or above it, as `snmpd` does.
    fn from(&self, oid: &Oid) -> Oid {
        if self.root.len() >= oid.len() || *oid < self.root {
            self.root.clone()
        } else {
            oid.clone()
        }
    }

    /// Asks the program about `oid`: the binding it answers, if any.
    fn ask(&mut self, ask: Ask, oid: &Oid) -> Option<VarBind> {
        let lines = if self.persistent {
            let verb = if ask == Ask::Get { "get" } else { "getnext" };
            self.converse(&format!("{verb}\n{}\n", dotted(oid)), 3)?
        } else {
            let flag = if ask == Ask::Get { "-g" } else { "-n" };
            let line = format!("{} {flag} {}", self.command, dotted(oid));
            let output = run_command(&line, false, self.timeout);
            String::from_utf8_lossy(&output.text)
                .split_inclusive('\n')
                .take(3)
                .map(str::to_owned)
                .collect()
        };
        let mut lines = lines.into_iter();
        let name = lines.next()?;
        if name.starts_with("NONE") {
            return None;
        }
        let name: Oid = name.trim().parse().ok()?;
        let kind = lines.next()?;
        let value = parse_value(&kind, &lines.next()?)?;
        Some(VarBind::new(name, value))
    }

    /// Writes `request` to the running `pass_persist` program (starting it if need be) and
    /// reads up to `want` lines, fewer when it answers `NONE`; `None` if it does not answer.
    fn converse(&mut self, request: &str, want: usize) -> Option<Vec<String>> {
        for attempt in 0..2 {
            if self.running.is_none() {
                self.running = self.start();
            }
            let running = self.running.as_mut()?;
            if running.input.write_all(request.as_bytes()).is_err() {
                // It died since the last request: start it again, once.
                self.running = None;
                if attempt == 0 {
                    continue;
                }
                return None;
            }
            let _ = running.input.flush();
            let mut lines = Vec::new();
            while lines.len() < want {
                match running.lines.recv_timeout(self.timeout) {
                    Ok(line) => {
                        let none = lines.is_empty() && line.starts_with("NONE");
                        lines.push(line);
                        if none {
                            break;
                        }
                    }
                    Err(_) => {
                        // Silent or gone: it is started again for the next request.
                        self.running = None;
                        return None;
                    }
                }
            }
            return Some(lines);
        }
        None
    }

    /// Starts the `pass_persist` program and checks it answers `PONG` to `PING`.
    fn start(&self) -> Option<Persistent> {
        let argv = split_command(&self.command);
        let (program, args) = argv.split_first()?;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .ok()?;
        let input = child.stdin.take()?;
        let output = child.stdout.take()?;
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            // Lines of at most MAX_LINE octets (a longer one is cut there): a program that
            // never ends a line cannot fill the agent's memory.
            let mut output = BufReader::new(output);
            loop {
                let mut line = Vec::new();
                match (&mut output)
                    .take(MAX_LINE as u64)
                    .read_until(b'\n', &mut line)
                {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
                if line.last() != Some(&b'\n') {
                    // Cut (or the last line): the rest of the line is skipped, not kept.
                    skip_line(&mut output);
                    line.push(b'\n');
                }
                if send
                    .send(String::from_utf8_lossy(&line).into_owned())
                    .is_err()
                {
                    break;
                }
            }
        });
        let mut running = Persistent {
            child,
            input,
            lines,
        };
        running.input.write_all(b"PING\n").ok()?;
        running.input.flush().ok()?;
        let pong = running.lines.recv_timeout(self.timeout).ok()?;
        pong.starts_with("PONG").then_some(running)
    }

    /// Sets one binding through the program: `None` when it answered no error.
    fn set(&mut self, vb: &VarBind) -> Option<ErrorStatus> {
        let (kind, text) = set_format(&vb.value)?;
        let answer = if self.persistent {
            let request = format!("set\n{}\n{kind} {text}\n", dotted(&vb.oid));
            self.converse(&request, 1)
                .and_then(|lines| lines.into_iter().next())
                .unwrap_or_default()
        } else {
            let line = format!("{} -s {} {kind} {text}", self.command, dotted(&vb.oid));
            let output = run_command(&line, false, self.timeout);
            String::from_utf8_lossy(&output.text).into_owned()
        };
        error_status(&answer)
    }
}

impl MibHandler for Pass {
    fn get(&mut self, _info: &RequestInfo<'_>, oid: &Oid) -> Value {
        if !oid.starts_with(&self.root) {
            return Value::NoSuchObject;
        }
        match self.ask(Ask::Get, oid) {
            Some(vb) if vb.oid == *oid => vb.value,
            _ => Value::NoSuchInstance,
        }
    }

    fn get_next(&mut self, _info: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        let from = self.from(oid);
        self.ask(Ask::GetNext, &from)
            .filter(|vb| vb.oid > *oid && vb.oid.starts_with(&self.root))
    }

    /// Runs the program's SET here, in the first phase, so that its error is the one
    /// answered (`snmpd` runs it in its ACTION phase, whose errors are answered as they
    /// are; nothing undoes what the program did, there or here).
    fn test_set(&mut self, _info: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        for (i, vb) in varbinds.iter().enumerate() {
            if !vb.oid.starts_with(&self.root) {
                return Err(SetError::new(ErrorStatus::NOT_WRITABLE, i));
            }
            if set_format(&vb.value).is_none() {
                return Err(SetError::new(ErrorStatus::WRONG_TYPE, i));
            }
            if let Some(status) = self.set(vb) {
                return Err(SetError::new(status, i));
            }
        }
        Ok(())
    }

    fn commit_set(
        &mut self,
        _info: &RequestInfo<'_>,
        _varbinds: &[VarBind],
    ) -> Result<(), SetError> {
        Ok(())
    }
}

/// Reads past the end of the current line (or to the end of the input) without keeping it.
fn skip_line(input: &mut impl BufRead) {
    loop {
        let (used, done) = match input.fill_buf() {
            Ok(buf) if !buf.is_empty() => match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            },
            _ => return,
        };
        input.consume(used);
        if done {
            return;
        }
    }
}

/// An OID as `snmpd` writes it to the program: numeric, with a leading dot.
fn dotted(oid: &Oid) -> String {
    let mut s = String::new();
    for arc in oid.as_slice() {
        s.push('.');
        s.push_str(&arc.to_string());
    }
    s
}

/// The value of the program's type line `kind` and value line `text`, as `snmpd`'s
/// `netsnmp_internal_pass_parse` reads them; `None` for a type it does not know.
#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "C truncates a long to the 32-bit value it encodes, and wraps a negative unsigned"
)]
fn parse_value(kind: &str, text: &str) -> Option<Value> {
    let is = |name: &str| {
        kind.get(..name.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(name))
    };
    let unsigned = || strtol(text, 10).map_or(0, |v| v as u32);
    let value = if is("string") {
        let line = text.strip_suffix('\n').unwrap_or(text);
        let line = line.strip_suffix('\r').unwrap_or(line);
        Value::OctetString(bytes::Bytes::copy_from_slice(line.as_bytes()))
    } else if is("integer") {
        Value::Integer(strtol(text, 10).map_or(0, |v| v as i32))
    } else if is("unsigned") {
        Value::Gauge32(unsigned())
    } else if is("counter64") {
        Value::Counter64(strtol(text, 10).map_or(0, |v| v as u64))
    } else if is("counter") {
        Value::Counter32(unsigned())
    } else if is("octet") {
        Value::OctetString(bytes::Bytes::from(hex_octets(text)))
    } else if is("opaque") {
        Value::Opaque(bytes::Bytes::from(hex_octets(text)))
    } else if is("gauge") {
        Value::Gauge32(unsigned())
    } else if is("objectid") {
        Value::ObjectIdentifier(text.trim().parse().ok()?)
    } else if is("timetick") {
        Value::TimeTicks(unsigned())
    } else if is("ipaddress") {
        let oid: Oid = text.trim().parse().ok()?;
        let arcs: Vec<u8> = oid.as_slice().iter().map(|&a| a as u8).collect::<Vec<_>>();
        let octets: [u8; 4] = arcs.try_into().ok()?;
        Value::IpAddress(Ipv4Addr::from(octets).octets())
    } else {
        return None;
    };
    Some(value)
}

/// C's `strtol`/`strtoull` in `base`: leading blanks, a sign, digits (`0x` allowed in base
/// 16) up to the first other character; `None` when there is no digit. Saturates at the
/// `i128` range, which holds every C `long` and `unsigned long long`; a negative value of an
/// unsigned read wraps as C's does.
fn strtol(text: &str, base: u32) -> Option<i128> {
    let s = text.trim_start();
    let (negative, s) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let s = if base == 16 {
        s.strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .filter(|r| r.starts_with(|c: char| c.is_ascii_hexdigit()))
            .unwrap_or(s)
    } else {
        s
    };
    let mut value: i128 = 0;
    let mut any = false;
    for c in s.chars() {
        let Some(d) = c.to_digit(base) else { break };
        value = value
            .saturating_mul(i128::from(base))
            .saturating_add(i128::from(d));
        any = true;
    }
    any.then_some(if negative { -value } else { value })
}

/// `snmpd`'s `asc2bin`: hexadecimal numbers separated by blanks, each one octet (its low
/// eight bits).
fn hex_octets(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let trimmed = rest.trim_start();
        let Some(value) = strtol(trimmed, 16) else {
            break;
        };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        out.push(value as u8);
        // Past the number just read.
        let after_sign = trimmed.trim_start_matches(['-', '+']);
        let after_prefix = after_sign
            .strip_prefix("0x")
            .or_else(|| after_sign.strip_prefix("0X"))
            .filter(|r| r.starts_with(|c: char| c.is_ascii_hexdigit()))
            .unwrap_or(after_sign);
        rest = after_prefix.trim_start_matches(|c: char| c.is_ascii_hexdigit());
    }
    out
}

/// The `TYPE VALUE` of a SET as `snmpd` writes it for the program; `None` for a type it
/// does not pass on.
fn set_format(value: &Value) -> Option<(&'static str, String)> {
    Some(match value {
        Value::Integer(v) => ("integer", v.to_string()),
        // snmpd prints these with %d: a value above 2^31 - 1 comes out negative.
        #[allow(clippy::cast_possible_wrap)]
        Value::Counter32(v) => ("counter", (*v as i32).to_string()),
        #[allow(clippy::cast_possible_wrap)]
        Value::Gauge32(v) => ("gauge", (*v as i32).to_string()),
        #[allow(clippy::cast_possible_wrap)]
        Value::TimeTicks(v) => ("timeticks", (*v as i32).to_string()),
        Value::IpAddress(a) => ("ipaddress", Ipv4Addr::from(*a).to_string()),
        Value::OctetString(b) if b.is_empty() => ("string", "\"\"".to_owned()),
        Value::OctetString(b) if b.iter().all(|&c| (0x20..0x7f).contains(&c)) => {
            ("string", format!("\"{}\"", String::from_utf8_lossy(b)))
        }
        Value::OctetString(b) => {
            let hex: Vec<String> = b.iter().map(|o| format!("{o:02x}")).collect();
            ("octet", format!("\"{}\"", hex.join(" ")))
        }
        Value::ObjectIdentifier(o) => ("objectid", format!("\"{}\"", dotted(o))),
        _ => return None,
    })
}

/// The error-status of the program's answer to a SET, as `snmpd`'s
/// `netsnmp_internal_pass_str_to_errno` reads it (by prefix, any case); `None` for no
/// error (`DONE`, or anything it does not know).
fn error_status(answer: &str) -> Option<ErrorStatus> {
    const NAMES: [(&str, ErrorStatus); 18] = [
        ("too-big", ErrorStatus::TOO_BIG),
        ("no-such-name", ErrorStatus::NO_SUCH_NAME),
        ("bad-value", ErrorStatus::BAD_VALUE),
        ("read-only", ErrorStatus::READ_ONLY),
        ("gen-error", ErrorStatus::GEN_ERR),
        ("no-access", ErrorStatus::NO_ACCESS),
        ("wrong-type", ErrorStatus::WRONG_TYPE),
        ("wrong-length", ErrorStatus::WRONG_LENGTH),
        ("wrong-encoding", ErrorStatus::WRONG_ENCODING),
        ("wrong-value", ErrorStatus::WRONG_VALUE),
        ("no-creation", ErrorStatus::NO_CREATION),
        ("inconsistent-value", ErrorStatus::INCONSISTENT_VALUE),
        ("resource-unavailable", ErrorStatus::RESOURCE_UNAVAILABLE),
        ("commit-failed", ErrorStatus::COMMIT_FAILED),
        ("undo-failed", ErrorStatus::UNDO_FAILED),
        ("authorization-error", ErrorStatus::AUTHORIZATION_ERROR),
        ("not-writable", ErrorStatus::NOT_WRITABLE),
        ("inconsistent-name", ErrorStatus::INCONSISTENT_NAME),
    ];
    NAMES.iter().find_map(|(name, status)| {
        answer
            .get(..name.len())
            .is_some_and(|a| a.eq_ignore_ascii_case(name))
            .then_some(*status)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::host::fixture::{info, start};

    #[test]
    fn values_read_as_snmpd_reads_them() {
        let v = |k: &str, t: &str| parse_value(k, t);
        assert_eq!(
            v("string", "hello world\r\n"),
            Some(Value::from("hello world"))
        );
        assert_eq!(v("INTEGER", " -42xyz\n"), Some(Value::Integer(-42)));
        assert_eq!(v("integer", "abc\n"), Some(Value::Integer(0)));
        assert_eq!(v("gauge", "4294967295\n"), Some(Value::Gauge32(u32::MAX)));
        assert_eq!(v("unsigned", "-1\n"), Some(Value::Gauge32(u32::MAX)));
        assert_eq!(
            v("counter64", "18446744073709551615\n"),
            Some(Value::Counter64(u64::MAX))
        );
        assert_eq!(v("counter", "7\n"), Some(Value::Counter32(7)));
        assert_eq!(v("timeticks", "100\n"), Some(Value::TimeTicks(100)));
        assert_eq!(
            v("octet", "de ad 0xbe ef\n"),
            Some(Value::OctetString(bytes::Bytes::from_static(&[
                0xde, 0xad, 0xbe, 0xef
            ])))
        );
        assert_eq!(
            v("objectid", ".1.3.6.1.4.1\n"),
            Some(Value::ObjectIdentifier("1.3.6.1.4.1".parse().unwrap()))
        );
        assert_eq!(
            v("ipaddress", "192.0.2.1\n"),
            Some(Value::IpAddress([192, 0, 2, 1]))
        );
        assert_eq!(v("ipaddress", "192.0.2\n"), None);
        assert_eq!(v("float", "1.5\n"), None);
    }

    proptest::proptest! {
        /// Whatever a program prints, reading it never panics, and a number read back
        /// from its own decimal text is that number.
        #[test]
        fn any_answer_is_read_without_panicking(kind in ".{0,12}", text in "\\PC{0,40}") {
            let _ = parse_value(&kind, &text);
            let _ = error_status(&text);
            let _ = hex_octets(&text);
            let _ = strtol(&text, 16);
            let _ = Pass::parse_line(&text, false);
            let _ = crate::host::DiskEntry::parse_line(&text);
            let _ = crate::host::ProcEntry::parse_line(&text);
        }

        #[test]
        fn decimal_numbers_read_back(n in proptest::num::i64::ANY) {
            proptest::prop_assert_eq!(strtol(&n.to_string(), 10), Some(i128::from(n)));
        }
    }

    #[test]
    fn set_answers_and_formats() {
        assert_eq!(error_status("DONE\n"), None);
        assert_eq!(
            error_status("not-writable\n"),
            Some(ErrorStatus::NOT_WRITABLE)
        );
        assert_eq!(error_status("Wrong-Type"), Some(ErrorStatus::WRONG_TYPE));
        assert_eq!(
            set_format(&Value::from("a b")),
            Some(("string", "\"a b\"".to_owned()))
        );
        assert_eq!(
            set_format(&Value::OctetString(bytes::Bytes::from_static(&[0, 0xff]))),
            Some(("octet", "\"00 ff\"".to_owned()))
        );
        assert_eq!(
            set_format(&Value::Gauge32(u32::MAX)),
            Some(("gauge", "-1".to_owned()))
        );
        assert_eq!(set_format(&Value::Counter64(1)), None);
    }

    #[test]
    fn lines_parse() {
        let p = Pass::parse_line("-p 10 .1.3.6.1.4.1.99999.50 /bin/sh /tmp/x.sh", true).unwrap();
        assert_eq!(p.root(), &"1.3.6.1.4.1.99999.50".parse::<Oid>().unwrap());
        assert_eq!(p.command, "/bin/sh /tmp/x.sh");
        assert!(p.persistent);
        assert!(Pass::parse_line(".1.3.6.1.4.1.9", false).is_err());
        assert!(Pass::parse_line("x.y /bin/true", false).is_err());
        assert!(Pass::parse_line("-p x .1.3 /bin/true", false).is_err());
    }

    /// A `pass` and a `pass_persist` script serving the same two objects.
    #[cfg(unix)]
    #[test]
    fn scripts_serve_a_subtree() {
        let dir = std::env::temp_dir().join(format!("snmp-rs-pass-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let pass = dir.join("pass.sh");
        std::fs::write(
            &pass,
            "case \"$1 $2\" in\n\
             '-g .1.3.6.1.4.1.99999.50.1.0'|'-n .1.3.6.1.4.1.99999.50') \
             printf '.1.3.6.1.4.1.99999.50.1.0\\nstring\\nhello\\n';;\n\
             '-g .1.3.6.1.4.1.99999.50.2.0'|'-n .1.3.6.1.4.1.99999.50.1.0') \
             printf '.1.3.6.1.4.1.99999.50.2.0\\ngauge\\n42\\n';;\n\
             '-s .1.3.6.1.4.1.99999.50.1.0') echo DONE;;\n\
             '-s '*) echo not-writable;;\n\
             esac\n",
        )
        .unwrap();
        let persist = dir.join("persist.sh");
        std::fs::write(
            &persist,
            "while read cmd; do\n\
             case \"$cmd\" in\n\
             PING) echo PONG;;\n\
             get|getnext) read oid\n\
               case \"$cmd $oid\" in\n\
               'get .1.3.6.1.4.1.99999.50.1.0'|'getnext .1.3.6.1.4.1.99999.50') \
               printf '.1.3.6.1.4.1.99999.50.1.0\\nstring\\nhello\\n';;\n\
               'get .1.3.6.1.4.1.99999.50.2.0'|'getnext .1.3.6.1.4.1.99999.50.1.0') \
               printf '.1.3.6.1.4.1.99999.50.2.0\\ngauge\\n42\\n';;\n\
               *) echo NONE;;\n\
               esac;;\n\
             set) read oid; read value; echo not-writable;;\n\
             esac\n\
             done\n",
        )
        .unwrap();
        let root: Oid = "1.3.6.1.4.1.99999.50".parse().unwrap();
        let now = start();
        for mut handler in [
            Pass::new(root.clone(), format!("/bin/sh {}", pass.display())),
            Pass::persistent(root.clone(), format!("/bin/sh {}", persist.display())),
        ] {
            let first = handler
                .get_next(&info(now), &"1.3.6.1.4".parse().unwrap())
                .unwrap();
            assert_eq!(
                first.oid,
                "1.3.6.1.4.1.99999.50.1.0".parse::<Oid>().unwrap()
            );
            assert_eq!(first.value, Value::from("hello"));
            let second = handler.get_next(&info(now), &first.oid).unwrap();
            assert_eq!(second.value, Value::Gauge32(42));
            assert_eq!(handler.get_next(&info(now), &second.oid), None);
            assert_eq!(handler.get(&info(now), &second.oid), Value::Gauge32(42));
            let missing: Oid = "1.3.6.1.4.1.99999.50.3.0".parse().unwrap();
            assert_eq!(handler.get(&info(now), &missing), Value::NoSuchInstance);
            let set = [VarBind::new(second.oid.clone(), Value::Gauge32(1))];
            let err = handler.test_set(&info(now), &set).unwrap_err();
            assert_eq!(err.status, ErrorStatus::NOT_WRITABLE);
        }
        // The `pass` script takes a SET of its first object (DONE).
        let mut handler = Pass::new(root.clone(), format!("/bin/sh {}", pass.display()));
        let set = [VarBind::new(
            "1.3.6.1.4.1.99999.50.1.0".parse().unwrap(),
            Value::from("new text"),
        )];
        assert!(handler.test_set(&info(now), &set).is_ok());
        // A persistent program that died is started again.
        let mut handler = Pass::persistent(root.clone(), format!("/bin/sh {}", persist.display()));
        assert!(handler.get_next(&info(now), &root).is_some());
        if let Some(running) = handler.running.as_mut() {
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
        assert!(handler.get_next(&info(now), &root).is_some());
        // One that answers a line longer than MAX_LINE, then a good one: the long one is cut
        // (not an OID: no object) and the next request reads the next answer.
        let long = dir.join("long.sh");
        std::fs::write(
            &long,
            "read ping; echo PONG\n\
             read cmd; read oid; head -c 200000 /dev/zero | tr '\\0' 'x'; echo; echo x; echo x\n\
             read cmd; read oid; printf '.1.3.6.1.4.1.99999.50.1.0\\nstring\\nok\\n'\n\
             sleep 5\n",
        )
        .unwrap();
        let mut handler = Pass::persistent(root.clone(), format!("/bin/sh {}", long.display()));
        let first: Oid = "1.3.6.1.4.1.99999.50.1.0".parse().unwrap();
        assert_eq!(handler.get(&info(now), &first), Value::NoSuchInstance);
        assert_eq!(handler.get(&info(now), &first), Value::from("ok"));
        // One that never answers times out.
        let mut silent = Pass::persistent(root, "/bin/sleep 5");
        silent.timeout(Duration::from_millis(200));
        assert_eq!(silent.get_next(&info(now), &"1.3".parse().unwrap()), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
