//! The launcher of the real peers the interop suites test against, started on loopback only:
//! net-snmp's `snmpd` (Debian package `snmpd`) and a PySNMP 7 command responder
//! (`pip install pysnmp`, the script `pysnmp_agent.py` beside this crate's manifest).
//!
//! Test support, not published: the interop suites of snmp-usm, snmp-engine, snmp-transport
//! and snmp-hlapi take it as a dev-dependency. What it starts is stopped by its own PID when
//! the handle drops ([`Guard`]), and what it writes lives in a directory of its own, removed
//! on drop ([`ScratchDir`]).
//!
//! ```no_run
//! use std::time::Duration;
//!
//! let agent = snmp_peers::Snmpd::new("example")
//!     .ipv6(true)
//!     .line("sysName example")
//!     .line("rocommunity public 127.0.0.1")
//!     .start()?;
//! let (v4, v6) = (agent.v4(), agent.v6());
//! let up = snmp_peers::wait_until(Duration::from_secs(10), || {
//!     // ask `v4` (and `v6`) something, true once answered
//!     # true
//! });
//! assert!(up, "snmpd does not answer on {v4} and {v6}");
//! # Ok::<(), std::io::Error>(())
//! ```

use std::ffi::OsStr;
use std::io::{self, BufRead, BufReader};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The longest [`PySnmpAgent::start`] waits for the script's `ready` line.
const READY_LIMIT: Duration = Duration::from_secs(30);

/// The pause between two polls of [`wait_until`].
const POLL_PAUSE: Duration = Duration::from_millis(50);

/// A process started by a test, stopped by its own PID (killed, then reaped) on drop.
#[derive(Debug)]
pub struct Guard(Child);

impl Guard {
    /// Takes charge of `child`.
    pub fn new(child: Child) -> Self {
        Self(child)
    }

    /// The process's PID.
    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// The process, for its pipes.
    pub fn child_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port(addr: SocketAddr) -> io::Result<u16> {
    Ok(UdpSocket::bind(addr)?.local_addr()?.port())
}

/// A UDP port that was free on 127.0.0.1 a moment ago (the system's choice of an ephemeral
/// port, released at once).
pub fn free_udp_port() -> io::Result<u16> {
    free_port(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
}

/// A UDP port that was free on ::1 a moment ago.
pub fn free_udp6_port() -> io::Result<u16> {
    free_port(SocketAddr::from((Ipv6Addr::LOCALHOST, 0)))
}

/// An empty directory of our own under [`std::env::temp_dir`], named
/// `snmp-rs-WHAT-PID-N` (unique within the process), removed with its contents on drop.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
}

impl ScratchDir {
    /// Creates the directory; `what` names it for whoever finds it left behind.
    pub fn new(what: &str) -> io::Result<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("snmp-rs-{what}-{}-{n}", std::process::id()));
        // Left by an earlier process with the same PID, which did not clean up.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)?;
        Ok(Self { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Polls `ready` until it returns `true` (then `true`) or `within` has passed (then
/// `false`), pausing briefly between polls. `ready` is called at least once, and its own
/// duration counts: keep each call bounded.
#[allow(
    clippy::disallowed_methods,
    reason = "test support: the peers run on the real clock, so the wait does too"
)]
pub fn wait_until(within: Duration, mut ready: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    loop {
        if ready() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL_PAUSE);
    }
}

/// A net-snmp `snmpd` to start: its configuration (`snmpd.conf` lines) and the loopback
/// addresses it listens on, each on a free UDP port.
///
/// [`start`](Self::start) writes the configuration, its first line the `agentAddress` of
/// those addresses, into a [`ScratchDir`], and runs `snmpd -f -Lo -C -c FILE` there with
/// `SNMP_PERSISTENT_DIR` set to that directory (snmpd keeps its engine boots and the users
/// it localised there, not in the system's directory) and `MIBS=""` (no MIB loaded). It does
/// not wait for snmpd to answer: [`wait_until`] does, with whatever request the test makes.
#[derive(Debug, Clone)]
pub struct Snmpd {
    name: String,
    config: String,
    v4: bool,
    v6: bool,
}

impl Snmpd {
    /// An snmpd on 127.0.0.1 only, with an empty configuration; `name` names its scratch
    /// directory.
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            config: String::new(),
            v4: true,
            v6: false,
        }
    }

    /// Whether it listens on 127.0.0.1 (by default it does).
    pub fn ipv4(&mut self, on: bool) -> &mut Self {
        self.v4 = on;
        self
    }

    /// Whether it listens on ::1 as well (by default it does not).
    pub fn ipv6(&mut self, on: bool) -> &mut Self {
        self.v6 = on;
        self
    }

    /// Appends one configuration line (`line` without its line break).
    pub fn line(&mut self, line: &str) -> &mut Self {
        self.config.push_str(line);
        self.config.push('\n');
        self
    }

    /// Appends configuration text as is (whole lines, each ending with a line break).
    pub fn config(&mut self, text: &str) -> &mut Self {
        self.config.push_str(text);
        self
    }

    /// Starts snmpd, which runs until the handle drops. An error if the directory or the
    /// file cannot be written, if no port is free, if neither address is chosen, or if snmpd
    /// cannot be run (not installed).
    pub fn start(&self) -> io::Result<RunningSnmpd> {
        let v4 = match self.v4 {
            true => Some(SocketAddr::from((Ipv4Addr::LOCALHOST, free_udp_port()?))),
            false => None,
        };
        let v6 = match self.v6 {
            true => Some(SocketAddr::from((Ipv6Addr::LOCALHOST, free_udp6_port()?))),
            false => None,
        };
        let listen: Vec<String> = v4
            .map(|a| format!("udp:{a}"))
            .into_iter()
            .chain(v6.map(|a| format!("udp6:{a}")))
            .collect();
        if listen.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "snmpd listens on neither 127.0.0.1 nor ::1",
            ));
        }
        let dir = ScratchDir::new(&self.name)?;
        let file = dir.path().join("snmpd.conf");
        let config = format!("agentAddress {}\n{}", listen.join(","), self.config);
        std::fs::write(&file, config)?;
        let child = Command::new("snmpd")
            .args(["-f", "-Lo", "-C", "-c"])
            .arg(&file)
            .env("SNMP_PERSISTENT_DIR", dir.path())
            .env("MIBS", "")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        Ok(RunningSnmpd {
            guard: Guard::new(child),
            dir,
            v4,
            v6,
        })
    }
}

/// A running snmpd: stopped by its PID, then its directory removed, on drop.
#[derive(Debug)]
pub struct RunningSnmpd {
    // Declared (so dropped) before the directory it runs in.
    guard: Guard,
    dir: ScratchDir,
    v4: Option<SocketAddr>,
    v6: Option<SocketAddr>,
}

impl RunningSnmpd {
    /// Its IPv4 address, `127.0.0.1:PORT`.
    ///
    /// # Panics
    ///
    /// If it was not started on IPv4.
    pub fn v4(&self) -> SocketAddr {
        self.v4.expect("this snmpd does not listen on 127.0.0.1")
    }

    /// Its IPv6 address, `[::1]:PORT`.
    ///
    /// # Panics
    ///
    /// If it was not started on IPv6 ([`Snmpd::ipv6`]).
    pub fn v6(&self) -> SocketAddr {
        self.v6.expect("this snmpd does not listen on ::1")
    }

    /// Its scratch directory (its `SNMP_PERSISTENT_DIR`, holding `snmpd.conf`): a place for
    /// net-snmp's tools run against it to keep their own state (`SNMP_PERSISTENT_DIR`,
    /// `SNMPCONFPATH`).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Its PID.
    pub fn id(&self) -> u32 {
        self.guard.id()
    }
}

/// The PySNMP 7 command responder (`pysnmp_agent.py`): SNMPv3 GETs at authPriv for the
/// given users, read access to the system group (sysDescr.0 starts with "PySNMP"), on
/// 127.0.0.1, for a bounded time. Stopped by its PID on drop.
#[derive(Debug)]
pub struct PySnmpAgent {
    guard: Guard,
    addr: SocketAddr,
}

impl PySnmpAgent {
    /// The script this starts.
    pub const SCRIPT: &'static str = concat!(env!("CARGO_MANIFEST_DIR"), "/pysnmp_agent.py");

    /// Runs `python3 pysnmp_agent.py PORT ENGINE_ID_HEX AUTH_PASS PRIV_PASS SECONDS SPEC...`
    /// and waits (at most 30 seconds) for its `ready` line, printed once its socket is open.
    ///
    /// - `engine_id_hex`: its snmpEngineID in hex, without `0x`;
    /// - `seconds`: how long it serves before it stops by itself;
    /// - `specs`: `USER:AUTH:PRIV` each, with net-snmp's protocol names (`SHA-256`,
    ///   `AES-192C`...), every user with the same two passwords.
    ///
    /// An error if python3 cannot be run, or if the script does not say `ready` in time (it
    /// failed: PySNMP 7 missing, the port taken).
    pub fn start<S: AsRef<OsStr>>(
        port: u16,
        engine_id_hex: &str,
        auth_pass: &str,
        priv_pass: &str,
        seconds: u32,
        specs: impl IntoIterator<Item = S>,
    ) -> io::Result<Self> {
        let child = Command::new("python3")
            .arg(Self::SCRIPT)
            .arg(port.to_string())
            .args([engine_id_hex, auth_pass, priv_pass])
            .arg(seconds.to_string())
            .args(specs)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut guard = Guard::new(child);
        let stdout = guard
            .child_mut()
            .stdout
            .take()
            .ok_or_else(|| io::Error::other("no pipe from the PySNMP agent"))?;
        // Read on a thread, so the wait is bounded; on a timeout the guard kills the script,
        // which ends the read.
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
            let _ = tx.send(read);
        });
        let line = match rx.recv_timeout(READY_LIMIT) {
            Ok(read) => read?,
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!("the PySNMP agent did not say ready within {READY_LIMIT:?}"),
                ));
            }
        };
        if line.trim() != "ready" {
            return Err(io::Error::other(format!(
                "the PySNMP agent did not start (PySNMP 7 missing, or port {port} taken?): \
                 {line:?}"
            )));
        }
        Ok(Self {
            guard,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
        })
    }

    /// Where it listens, `127.0.0.1:PORT`.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its PID.
    pub fn id(&self) -> u32 {
        self.guard.id()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_dirs_are_distinct_and_removed() {
        let a = ScratchDir::new("peers-test").unwrap();
        let b = ScratchDir::new("peers-test").unwrap();
        assert_ne!(a.path(), b.path());
        assert!(a.path().is_dir() && a.path().starts_with(std::env::temp_dir()));
        std::fs::write(a.path().join("f"), "x").unwrap();
        let path = a.path().to_owned();
        drop(a);
        assert!(!path.exists());
    }

    #[test]
    fn free_ports_are_bindable() {
        let port = free_udp_port().unwrap();
        assert_ne!(port, 0);
        UdpSocket::bind((Ipv4Addr::LOCALHOST, port)).unwrap();
    }

    #[test]
    fn wait_until_stops_at_true_or_at_the_limit() {
        let mut calls = 0;
        assert!(wait_until(Duration::from_secs(5), || {
            calls += 1;
            calls == 3
        }));
        assert_eq!(calls, 3);
        assert!(!wait_until(Duration::ZERO, || false));
    }

    #[test]
    fn the_script_is_there() {
        assert!(Path::new(PySnmpAgent::SCRIPT).is_file());
    }
}
