//! `cargo xtask bench agent [RUNS]`: our agent (`snmp agent`, a child process) against
//! net-snmp's `snmpd`, same configuration, same requests, same run.
//!
//! Both agents are pinned to CPU 0 (`taskset -a -cp 0 PID`, all their threads), this process
//! (the load generator) to CPU 1. Four cases: GET sysDescr.0 and GETBULK (max-repetitions 10
//! from the snmp group, 1.3.6.1.2.1.11) at SNMPv2c and at SNMPv3 authPriv (SHA-1/AES-128).
//! Requests are encoded (for SNMPv3, encrypted and signed) before the timing, a pool of
//! [`POOL`] distinct request-ids (and msgIDs), cycled. Throughput: [`WINDOW`] requests in
//! flight, answers counted over [`MEASURE`] after [`WARM_UP`], [`TRIALS`] trials per agent
//! alternating between the two, the best one kept; the agent's CPU time over that trial
//! (`/proc/PID/stat`) gives its CPU cost per request and how busy it was. Latency: one request at a time,
//! [`LATENCY_REQUESTS`] of them (at most [`LATENCY_LIMIT`]), p50 and p99. Every answer's id is
//! matched as it arrives; the first [`CHECKED`] of each measurement are then decoded in full
//! (decrypted and authenticated for SNMPv3) and their bindings checked, in every trial. Needs `snmpd`
//! (Debian's `snmpd`) and `taskset`.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{
    CommunityMessage, HeaderData, Message, MsgFlags, ScopedPdu, SecurityLevel, Version,
};
use snmp_peers::{Guard, ScratchDir, Snmpd, free_udp_port, wait_until};
use snmp_smi::{BasicPdu, BulkPdu, ErrorStatus, Oid, Pdu, Value, VarBind, oid};
use snmp_usm::{
    AuthProtocol, PrivProtocol, USM_SECURITY_MODEL, Usm, UsmSecurityParameters, UsmUser,
};

/// Requests in flight during the throughput measurement.
const WINDOW: usize = 16;
/// Distinct pre-encoded requests (request-ids and msgIDs 1..=POOL), cycled.
const POOL: usize = 1024;
/// Answers not counted, before each throughput trial.
const WARM_UP: Duration = Duration::from_millis(250);
/// One throughput trial.
const MEASURE: Duration = Duration::from_secs(1);
/// Throughput trials per agent and case, alternating between the agents; the best counts
/// (the machine is shared: what else runs there only ever slows a trial down).
const TRIALS: usize = 5;
/// At most this many requests per throughput measurement.
const MAX_REQUESTS: usize = 2_000_000;
/// Answers decoded in full and checked, per measurement.
const CHECKED: usize = 100_000;
/// Requests of the latency measurement.
const LATENCY_REQUESTS: usize = 5000;
/// Time limit of the latency measurement.
const LATENCY_LIMIT: Duration = Duration::from_secs(3);
/// How long an answer may take before the requests in flight count as lost.
const RECV_TIMEOUT: Duration = Duration::from_millis(200);

const USER: &str = "bench";
const AUTH_PASS: &str = "benchauthpass";
const PRIV_PASS: &str = "benchprivpass";
const SYS_DESCR: &str = "snmp-rs agent benchmark";
const SYS_DESCR_0: Oid = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
const SNMP_GROUP: Oid = oid!(1, 3, 6, 1, 2, 1, 11);
const MAX_REPETITIONS: i32 = 10;

/// The configuration both agents get (plus where to listen).
const CONFIG: &[&str] = &[
    "rocommunity public 127.0.0.1",
    "createUser bench SHA benchauthpass AES benchprivpass",
    "rouser bench priv",
    "sysDescr snmp-rs agent benchmark",
    "sysContact bench@example.org",
    "sysName bench",
    "sysLocation loopback",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Case {
    GetV2c,
    BulkV2c,
    GetV3,
    BulkV3,
}

impl Case {
    const ALL: [Self; 4] = [Self::GetV2c, Self::BulkV2c, Self::GetV3, Self::BulkV3];

    fn name(self) -> &'static str {
        match self {
            Self::GetV2c => "GET sysDescr.0, v2c",
            Self::BulkV2c => "GETBULK snmp group x10, v2c",
            Self::GetV3 => "GET sysDescr.0, v3 authPriv SHA/AES",
            Self::BulkV3 => "GETBULK snmp group x10, v3 authPriv SHA/AES",
        }
    }

    fn v3(self) -> bool {
        matches!(self, Self::GetV3 | Self::BulkV3)
    }

    fn pdu(self, id: i32) -> Pdu {
        match self {
            Self::GetV2c | Self::GetV3 => {
                Pdu::GetRequest(BasicPdu::new(id, vec![VarBind::null(SYS_DESCR_0)]))
            }
            Self::BulkV2c | Self::BulkV3 => Pdu::GetBulkRequest(BulkPdu {
                request_id: id,
                non_repeaters: 0,
                max_repetitions: MAX_REPETITIONS,
                varbinds: vec![VarBind::null(SNMP_GROUP)],
            }),
        }
    }

    /// Whether `pdu` is the right answer to request `id`; the names it binds.
    fn check(self, pdu: &Pdu, id: i32) -> Result<Vec<Oid>, String> {
        let Pdu::Response(r) = pdu else {
            return Err(format!("not a Response: {:?}", pdu.pdu_type()));
        };
        if r.request_id != id {
            return Err(format!("request-id {} for {id}", r.request_id));
        }
        if r.error_status != ErrorStatus::NO_ERROR {
            return Err(format!("error-status {}", r.error_status));
        }
        let ok = match self {
            Self::GetV2c | Self::GetV3 => {
                r.varbinds.len() == 1
                    && r.varbinds[0].oid == SYS_DESCR_0
                    && r.varbinds[0].value == Value::from(SYS_DESCR)
            }
            Self::BulkV2c | Self::BulkV3 => {
                r.varbinds.len() == 10
                    && r.varbinds
                        .iter()
                        .all(|vb| vb.oid.starts_with(&SNMP_GROUP) && !vb.value.is_exception())
            }
        };
        if !ok {
            return Err(format!("unexpected bindings: {:?}", r.varbinds));
        }
        Ok(r.varbinds.iter().map(|vb| vb.oid.clone()).collect())
    }
}

/// The manager side of SNMPv3: a USM that knows the agent's engine ID and clock.
struct V3 {
    usm: Usm,
    engine_id: Bytes,
}

/// One agent under load for one case: its socket, the pre-encoded requests.
struct Load {
    case: Case,
    socket: UdpSocket,
    pool: Vec<Bytes>,
    v3: Option<V3>,
}

#[allow(clippy::disallowed_methods)] // a benchmark reads the clock
pub(crate) fn now() -> Instant {
    Instant::now()
}

fn io(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn header(id: i32) -> HeaderData {
    HeaderData {
        msg_id: id,
        max_size: 65507,
        flags: MsgFlags(MsgFlags::REPORTABLE),
        security_model: USM_SECURITY_MODEL,
    }
}

fn pool_id(i: usize) -> i32 {
    i32::try_from(i % POOL + 1).unwrap_or(1)
}

/// The id an answer carries: the request-id (SNMPv2c) or the msgID (SNMPv3).
fn answer_id(wire: &Bytes) -> Option<i32> {
    match Message::decode(&Decoder::new(DecodeOptions::default()), wire).ok()? {
        Message::Community(m) => m.pdu.request_id(),
        Message::V3(m) => Some(m.header.msg_id),
    }
}

impl Load {
    fn new(case: Case, agent: SocketAddr) -> Result<Self, String> {
        let socket = UdpSocket::bind("127.0.0.1:0").map_err(io)?;
        socket.connect(agent).map_err(io)?;
        socket.set_read_timeout(Some(RECV_TIMEOUT)).map_err(io)?;
        let mut load = Self {
            case,
            socket,
            pool: Vec::new(),
            v3: None,
        };
        if case.v3() {
            load.v3 = Some(load.discover()?);
        }
        for i in 0..POOL {
            let id = pool_id(i);
            let wire = match load.v3.as_mut() {
                None => Message::Community(CommunityMessage {
                    version: Version::V2c,
                    community: Bytes::from_static(b"public"),
                    pdu: case.pdu(id),
                })
                .to_bytes()
                .map_err(io)?,
                Some(v3) => {
                    let scoped = ScopedPdu {
                        context_engine_id: v3.engine_id.clone(),
                        context_name: Bytes::new(),
                        pdu: case.pdu(id),
                    };
                    v3.usm
                        .generate(
                            now(),
                            header(id),
                            &scoped,
                            &Bytes::from_static(USER.as_bytes()),
                            &v3.engine_id,
                            SecurityLevel::AuthPriv,
                        )
                        .map_err(io)?
                }
            };
            load.pool.push(wire);
        }
        Ok(load)
    }

    /// RFC 3414 4: a noAuthNoPriv request with an empty engine ID, answered by a Report
    /// that carries the agent's engine ID, boots and time.
    fn discover(&self) -> Result<V3, String> {
        let mut usm = Usm::new("0x80001f8880b0b1b2b3".parse().map_err(io)?, 1, now(), 7);
        usm.add_user(
            UsmUser::new(USER)
                .with_auth(AuthProtocol::Sha1, AUTH_PASS.as_bytes())
                .map_err(io)?
                .with_privacy(PrivProtocol::Aes128, PRIV_PASS.as_bytes())
                .map_err(io)?,
        );
        let probe = usm
            .generate(
                now(),
                header(0x7fff_0000),
                &ScopedPdu {
                    context_engine_id: Bytes::new(),
                    context_name: Bytes::new(),
                    pdu: Pdu::GetRequest(BasicPdu::new(0x7fff_0000, Vec::new())),
                },
                &Bytes::new(),
                &Bytes::new(),
                SecurityLevel::NoAuthNoPriv,
            )
            .map_err(io)?;
        let wire = self.exchange(&probe)?;
        let dec = Decoder::new(DecodeOptions::default());
        let Message::V3(report) = Message::decode(&dec, &wire).map_err(io)? else {
            return Err("discovery: not an SNMPv3 answer".into());
        };
        let params =
            UsmSecurityParameters::decode(&dec, &report.security_parameters).map_err(io)?;
        if params.engine_id.is_empty() {
            return Err("discovery: no engine ID in the Report".into());
        }
        usm.set_remote_time(
            &params.engine_id,
            params.engine_boots,
            params.engine_time,
            now(),
        );
        Ok(V3 {
            usm,
            engine_id: params.engine_id,
        })
    }

    fn exchange(&self, request: &[u8]) -> Result<Bytes, String> {
        let mut buf = [0_u8; 65536];
        self.socket.send(request).map_err(io)?;
        let n = self.socket.recv(&mut buf).map_err(io)?;
        Ok(Bytes::copy_from_slice(&buf[..n]))
    }

    /// Decodes `wire` in full (decrypting it for SNMPv3) and checks it answers request `id`.
    fn check(&mut self, wire: &Bytes) -> Result<Vec<Oid>, String> {
        let dec = Decoder::new(DecodeOptions::default());
        let message = Message::decode(&dec, wire).map_err(io)?;
        match (message, self.v3.as_mut()) {
            (Message::Community(m), None) => {
                let id = m.pdu.request_id().unwrap_or(0);
                self.case.check(&m.pdu, id)
            }
            (Message::V3(m), Some(v3)) => {
                let incoming = v3
                    .usm
                    .process_incoming(now(), wire, &m)
                    .map_err(|e| format!("{e:?}"))?;
                if incoming.level != SecurityLevel::AuthPriv {
                    return Err(format!("answered at {:?}", incoming.level));
                }
                self.case.check(&incoming.scoped_pdu.pdu, m.header.msg_id)
            }
            _ => Err("answer of the wrong version".into()),
        }
    }

    /// One request at a time: the first answer checked in full, the names it binds.
    fn probe(&mut self) -> Result<Vec<Oid>, String> {
        let wire = self.exchange(&self.pool[0].clone())?;
        self.check(&wire)
    }

    /// Discards answers still queued (late ones, after their requests were counted lost).
    fn drain(&self) -> Result<usize, String> {
        let mut buf = [0_u8; 65536];
        let mut stale = 0;
        self.socket.set_nonblocking(true).map_err(io)?;
        while self.socket.recv(&mut buf).is_ok() {
            stale += 1;
        }
        self.socket.set_nonblocking(false).map_err(io)?;
        Ok(stale)
    }

    /// [`WINDOW`] requests in flight: answers per second over [`MEASURE`].
    fn throughput(&mut self, pid: u32) -> Result<Outcome, String> {
        self.drain()?;
        let mut buf = [0_u8; 65536];
        let mut kept: Vec<Bytes> = Vec::with_capacity(CHECKED);
        let mut sent = 0;
        let mut outstanding = 0;
        let (mut answered, mut errors, mut lost) = (0_usize, 0_usize, 0_usize);
        let start = now();
        let (counting, end) = (start + WARM_UP, start + WARM_UP + MEASURE);
        let (mut ticks_from, mut ticks_to) = (None, None);
        loop {
            if ticks_from.is_none() && now() >= counting {
                ticks_from = cpu_ticks(pid);
            }
            if ticks_to.is_none() && now() >= end {
                ticks_to = cpu_ticks(pid);
            }
            while outstanding < WINDOW && sent < MAX_REQUESTS && now() < end {
                self.socket.send(&self.pool[sent % POOL]).map_err(io)?;
                sent += 1;
                outstanding += 1;
            }
            if outstanding == 0 {
                break;
            }
            match self.socket.recv(&mut buf) {
                Ok(n) => {
                    outstanding -= 1;
                    let at = now();
                    if at < counting || at >= end {
                        continue;
                    }
                    let wire = Bytes::copy_from_slice(&buf[..n]);
                    match answer_id(&wire) {
                        Some(id) if (1..=i32::try_from(POOL).unwrap_or(0)).contains(&id) => {
                            answered += 1;
                            if kept.len() < CHECKED {
                                kept.push(wire);
                            }
                        }
                        _ => errors += 1,
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    lost += outstanding;
                    outstanding = 0;
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        let cpu = match (ticks_from, ticks_to) {
            (Some(a), Some(b)) => as_f64(usize::try_from(b.saturating_sub(a)).unwrap_or(0)) / TICKS,
            _ => f64::NAN,
        };
        let mut checked = 0;
        for wire in &kept {
            match self.check(wire) {
                Ok(_) => checked += 1,
                Err(e) => {
                    if errors == 0 {
                        eprintln!("  first bad answer: {e}");
                    }
                    errors += 1;
                }
            }
        }
        Ok(Outcome {
            per_second: as_f64(answered) / MEASURE.as_secs_f64(),
            busy: cpu / MEASURE.as_secs_f64(),
            cpu_us: cpu * 1e6 / as_f64(answered),
            checked,
            errors,
            lost,
            p50: 0.0,
            p99: 0.0,
        })
    }

    /// One request at a time: p50 and p99 of the round trip, in microseconds.
    fn latency(&mut self, outcome: &mut Outcome) -> Result<(), String> {
        let mut buf = [0_u8; 65536];
        let mut times = Vec::with_capacity(LATENCY_REQUESTS);
        self.drain()?;
        let start = now();
        for i in 0..LATENCY_REQUESTS {
            if now() - start > LATENCY_LIMIT {
                break;
            }
            let t = now();
            self.socket.send(&self.pool[i % POOL]).map_err(io)?;
            // An answer to an earlier request (late, counted lost then) is skipped.
            loop {
                match self.socket.recv(&mut buf) {
                    Ok(n) => match answer_id(&Bytes::copy_from_slice(&buf[..n])) {
                        Some(id) if id == pool_id(i) => {
                            times.push(t.elapsed().as_secs_f64() * 1e6);
                            break;
                        }
                        Some(id) if (1..=i32::try_from(POOL).unwrap_or(0)).contains(&id) => {}
                        _ => {
                            outcome.errors += 1;
                            break;
                        }
                    },
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                        outcome.lost += 1;
                        break;
                    }
                    Err(e) => return Err(e.to_string()),
                }
            }
        }
        times.sort_by(f64::total_cmp);
        let at = |q: usize| {
            times
                .get(times.len() * q / 100)
                .copied()
                .unwrap_or(f64::NAN)
        };
        outcome.p50 = at(50);
        outcome.p99 = at(99);
        Ok(())
    }
}

pub(crate) fn as_f64(n: usize) -> f64 {
    f64::from(u32::try_from(n).unwrap_or(u32::MAX))
}

#[derive(Clone, Copy, Debug)]
struct Outcome {
    per_second: f64,
    /// The agent's CPU time over the measurement, as a fraction of it.
    busy: f64,
    /// The agent's CPU time per answered request, microseconds.
    cpu_us: f64,
    checked: usize,
    errors: usize,
    lost: usize,
    p50: f64,
    p99: f64,
}

/// Clock ticks per second of `/proc/PID/stat` (`getconf CLK_TCK`, 100 on Linux).
pub(crate) const TICKS: f64 = 100.0;

/// The CPU time (user plus system, all threads) of process `pid` so far, in clock ticks.
pub(crate) fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name (in parentheses, which may hold spaces): state is the first
    // field, utime the 12th, stime the 13th (fields 14 and 15 of proc(5)).
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

pub(crate) fn taskset(cpu: &str, pid: u32) -> Result<(), String> {
    let out = Command::new("taskset")
        .args(["-a", "-cp", cpu, &pid.to_string()])
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("taskset: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "taskset -a -cp {cpu} {pid}: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Our agent, `snmp agent`, in a scratch directory of its own.
struct Ours {
    // Declared (so dropped) before the directory it runs in.
    guard: Guard,
    _dir: ScratchDir,
    addr: SocketAddr,
}

fn start_ours(root: &Path) -> Result<Ours, String> {
    let dir = ScratchDir::new("agent-bench").map_err(io)?;
    let file = dir.path().join("snmpd.conf");
    std::fs::write(&file, CONFIG.join("\n") + "\n").map_err(io)?;
    let addr = SocketAddr::from(([127, 0, 0, 1], free_udp_port().map_err(io)?));
    let child = Command::new(target_dir(root).join("release/snmp"))
        .args(["agent", "-f", "-Lo", "-C", "-c"])
        .arg(&file)
        .arg("--no-host-mibs")
        .arg(format!("udp:{addr}"))
        .env("SNMP_PERSISTENT_DIR", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("snmp agent: {e}"))?;
    Ok(Ours {
        guard: Guard::new(child),
        _dir: dir,
        addr,
    })
}

/// Waits until `addr` answers a SNMPv2c GET of sysDescr.0.
fn wait_up(addr: SocketAddr, what: &str) -> Result<(), String> {
    let up = wait_until(Duration::from_secs(15), || {
        Load::new(Case::GetV2c, addr)
            .and_then(|mut l| l.probe())
            .is_ok()
    });
    if up {
        Ok(())
    } else {
        Err(format!("{what} does not answer on {addr}"))
    }
}

/// One run: both agents started, pinned, measured case by case, stopped.
fn one_run(root: &Path) -> Result<Vec<(Outcome, Outcome)>, String> {
    let ours = start_ours(root)?;
    let mut snmpd = Snmpd::new("agent-bench");
    for line in CONFIG {
        snmpd.line(line);
    }
    let theirs = snmpd.start().map_err(|e| format!("snmpd: {e}"))?;
    wait_up(ours.addr, "snmp agent")?;
    wait_up(theirs.v4(), "snmpd")?;
    taskset("0", ours.guard.id())?;
    taskset("0", theirs.id())?;
    let mut rows = Vec::new();
    for case in Case::ALL {
        let mut pair = Vec::new();
        let mut names = Vec::new();
        let agents = [(ours.addr, ours.guard.id()), (theirs.v4(), theirs.id())];
        let mut loads = Vec::new();
        for (addr, _) in agents {
            let mut load = Load::new(case, addr)?;
            names.push(load.probe()?);
            loads.push(load);
        }
        let mut best: [Option<Outcome>; 2] = [None, None];
        for _ in 0..TRIALS {
            for (i, (load, (_, pid))) in loads.iter_mut().zip(agents).enumerate() {
                let trial = load.throughput(pid)?;
                best[i] = Some(match best[i] {
                    Some(b) if b.per_second >= trial.per_second => Outcome {
                        checked: b.checked + trial.checked,
                        errors: b.errors + trial.errors,
                        lost: b.lost + trial.lost,
                        ..b
                    },
                    Some(b) => Outcome {
                        checked: b.checked + trial.checked,
                        errors: b.errors + trial.errors,
                        lost: b.lost + trial.lost,
                        ..trial
                    },
                    None => trial,
                });
            }
        }
        for (load, outcome) in loads.iter_mut().zip(best) {
            let mut outcome = outcome.ok_or("no trial")?;
            load.latency(&mut outcome)?;
            pair.push(outcome);
        }
        if names[0] != names[1] {
            eprintln!(
                "  note: {}: the agents bind different names: ours {:?}, snmpd {:?}",
                case.name(),
                names[0],
                names[1]
            );
        }
        rows.push((pair[0], pair[1]));
    }
    // `ours` and `theirs` drop here: each stopped by its PID, its directory removed.
    Ok(rows)
}

/// Below this share of a CPU over its best trial, an agent was not the bottleneck: the load
/// generator or another process on the machine was; its figures are marked with `*`.
const SATURATED: f64 = 0.9;

fn mark(o: &Outcome) -> &'static str {
    if o.busy < SATURATED { "*" } else { "" }
}

fn print_table(rows: &[(Case, Outcome, Outcome)]) {
    println!(
        "| case | ours req/s | snmpd req/s | ratio | ours p50/p99 us | snmpd p50/p99 us | CPU us/req ours/snmpd (busy) | checked ours/snmpd | errors+lost ours/snmpd |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (case, o, t) in rows {
        println!(
            "| {} | {:.0}{} | {:.0}{} | {:.2}x | {:.0} / {:.0} | {:.0} / {:.0} | {:.1} / {:.1} ({:.0}% / {:.0}%) | {} / {} | {} / {} |",
            case.name(),
            o.per_second,
            mark(o),
            t.per_second,
            mark(t),
            o.per_second / t.per_second,
            o.p50,
            o.p99,
            t.p50,
            t.p99,
            o.cpu_us,
            t.cpu_us,
            o.busy * 100.0,
            t.busy * 100.0,
            o.checked,
            t.checked,
            o.errors + o.lost,
            t.errors + t.lost,
        );
    }
}

pub(crate) fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

pub(crate) fn run(root: &Path, runs: usize) -> Result<(), String> {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "-p", "snmp-cli"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("cargo build: {e}"))?;
    if !status.success() {
        return Err("cargo build --release -p snmp-cli failed".into());
    }
    // The load generator (this process, all its threads) on CPU 1, the agents on CPU 0.
    taskset("1", std::process::id())?;
    let mut all: Vec<Vec<(Outcome, Outcome)>> = Vec::new();
    for run in 1..=runs {
        println!("run {run} of {runs}");
        let rows = one_run(root)?;
        print_table(
            &Case::ALL
                .iter()
                .zip(&rows)
                .map(|(c, (o, t))| (*c, *o, *t))
                .collect::<Vec<_>>(),
        );
        all.push(rows);
    }
    println!(
        "(*: that agent was under {:.0}% busy in its best trial, so not saturated)",
        SATURATED * 100.0
    );
    if runs > 1 {
        println!("medians of {runs} runs (ratio: the median of the per-run ratios)");
        println!(
            "| case | ours req/s | snmpd req/s | ratio (per run) | ours p50/p99 us | snmpd p50/p99 us | CPU us/req ours/snmpd |"
        );
        println!("|---|---|---|---|---|---|---|");
        for (i, case) in Case::ALL.iter().enumerate() {
            let col = |f: &dyn Fn(&(Outcome, Outcome)) -> f64| {
                median(all.iter().map(|r| f(&r[i])).collect())
            };
            let ratios: Vec<f64> = all
                .iter()
                .map(|r| r[i].0.per_second / r[i].1.per_second)
                .collect();
            let per_run: Vec<String> = ratios.iter().map(|r| format!("{r:.2}x")).collect();
            println!(
                "| {} | {:.0} | {:.0} | {:.2}x ({}) | {:.0} / {:.0} | {:.0} / {:.0} | {:.1} / {:.1} |",
                case.name(),
                col(&|r| r.0.per_second),
                col(&|r| r.1.per_second),
                median(ratios.clone()),
                per_run.join(", "),
                col(&|r| r.0.p50),
                col(&|r| r.0.p99),
                col(&|r| r.1.p50),
                col(&|r| r.1.p99),
                col(&|r| r.0.cpu_us),
                col(&|r| r.1.cpu_us),
            );
        }
    }
    Ok(())
}
