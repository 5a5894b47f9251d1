//! `cargo xtask bench manager [RUNS]`: our manager (snmp-hlapi's `Manager`, in this process,
//! a current-thread Tokio runtime) beside net-snmp's command-line tools, PySNMP 7 and, where it
//! is installed, ezsnmp, against the same agent in the same run.
//!
//! The agent is ours, a child process (this binary again: `xtask bench-agent-serve PORT ROWS
//! TARGETS`) pinned to CPU 0 (`taskset -a -cp 0`); this process and every manager it starts
//! run on CPU 1. It serves a column of [`ROWS`] rows (`1.3.6.1.4.1.99999.1.1.2.i = 3 * i`) and
//! answers on [`TARGETS`] loopback addresses, 127.0.0.1 to 127.0.3.232, all on one port.
//!
//! Three benchmarks (the manager issue's): (a) a bulk walk of the column, max-repetitions
//! [`MAX_REPETITIONS`] for every manager, [`WALKS`] walks each, the median wall time and CPU
//! time, every row's name and value checked; and the same against net-snmp's `snmpd` (pinned
//! to CPU 0 too), walking its udpEndpointTable's udpEndpointProcess column while this process
//! holds [`ROWS`] UDP sockets on 127.0.0.1 (so at least [`ROWS`] rows, each of ours checked:
//! its value is this process's ID); for both agents also at SNMPv3 authPriv (user
//! [`V3_USER`]), the floor of the walk (its round trips alone, [`walk_floor`]), and the walks
//! again with the agent moved onto the managers' CPU; (b) GET sysDescr.0 per second with 1 and with
//! [`INFLIGHT`] requests in flight for [`GET_TIME`] (at most [`GET_LIMIT`] requests), every
//! answer's value checked; (c) GET sysDescr.0 to the [`TARGETS`] addresses at once,
//! [`ROUNDS`] rounds, the median time of a round, every answer checked, and the peak memory.
//! Our CPU time is this process's (every thread's `schedstat`); a Python manager's is its
//! own over the measurement (`time.process_time`, imports excluded); net-snmp's tools are
//! whole processes, start included (`getrusage(RUSAGE_CHILDREN)` in the script's `child`
//! mode, around the process).

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use snmp_hlapi::agent::Agent;
use snmp_hlapi::instrument::{Access, Column, IndexSyntax, IndexValue, Syntax, Table};
use snmp_hlapi::{Auth, Manager, Oid, Target, Value, VarBind, oid};
use snmp_mpm::{CommunityMessage, Message, Version};
use snmp_peers::{Guard, ScratchDir, Snmpd, free_udp_port};
use snmp_smi::{BulkPdu, Pdu};

use crate::agent_bench::{as_f64, median, now, taskset};

/// The manager's `SO_RCVBUF` in the (c) variant that sets one.
const RCVBUF: usize = 4 << 20;

/// Rows of the walked column.
const ROWS: u32 = 10_000;
/// Agent addresses of benchmark (c).
const TARGETS: u32 = 1_000;
/// Max-repetitions of every bulk walk.
const MAX_REPETITIONS: u32 = 50;
/// Walks per manager and run (the median counts).
const WALKS: usize = 5;
/// Requests in flight of the concurrent GET measurement.
const INFLIGHT: usize = 256;
/// One GET-rate measurement.
const GET_TIME: Duration = Duration::from_secs(2);
/// At most this many requests per GET-rate measurement.
const GET_LIMIT: usize = 1_000_000;
/// Rounds of benchmark (c) per manager and run (the median counts).
const ROUNDS: usize = 5;
/// net-snmp footnotes: `snmpget` processes timed one after the other, and the targets they
/// poll with `xargs -P` [`XARGS_PARALLEL`].
const SNMPGET_RUNS: usize = 20;
const XARGS_TARGETS: u32 = 200;
const XARGS_PARALLEL: &str = "50";
/// Every external command runs under `timeout` with this many seconds.
const LIMIT_SECONDS: &str = "180";
/// Each request's timeout and retries, all managers.
const TIMEOUT: Duration = Duration::from_secs(2);
const RETRIES: u32 = 1;

const SYS_DESCR: &str = "snmp-rs manager benchmark";
const SYS_DESCR_0: Oid = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
const ENTRY: Oid = oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1);
const COLUMN: Oid = oid!(1, 3, 6, 1, 4, 1, 99999, 1, 1, 2);
const COLUMN_TEXT: &str = "1.3.6.1.4.1.99999.1.1.2";
const SCRIPT: &str = include_str!("manager_bench.py");

fn io(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Target `n` (1-based) of benchmark (c): 127.0.0.1, 127.0.0.2, ... 127.0.3.232 for 1,000.
fn target_addr(n: u32, port: u16) -> SocketAddr {
    let [_, _, hi, lo] = n.to_be_bytes();
    SocketAddr::from((Ipv4Addr::new(127, 0, hi, lo), port))
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// `xtask bench-agent-serve PORT ROWS TARGETS`: our agent, until killed.
pub(crate) fn serve(args: &[String]) -> Result<(), String> {
    let arg = |i: usize| -> Result<u32, String> {
        args.get(i)
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| "usage: xtask bench-agent-serve PORT ROWS TARGETS".to_owned())
    };
    let port = u16::try_from(arg(0)?).map_err(io)?;
    let (rows, targets) = (arg(1)?, arg(2)?.max(1));
    let table = Table::new(ENTRY)
        .index_column(1, IndexSyntax::Integer, Access::NotAccessible)
        .column(2, Column::new(Syntax::integer(), Access::ReadOnly));
    for i in 1..=rows {
        let value = i32::try_from(3 * i).map_err(io)?;
        table
            .rows()
            .insert_row(&[IndexValue::from(i)], [(2, Value::Integer(value))])
            .map_err(io)?;
    }
    let user = snmp_usm::UsmUser::new(V3_USER)
        .with_auth(snmp_hlapi::AuthProtocol::Sha1, V3_AUTH.as_bytes())
        .and_then(|u| u.with_privacy(snmp_hlapi::PrivProtocol::Aes128, V3_PRIV.as_bytes()))
        .map_err(io)?;
    let mut builder = Agent::builder()
        .rocommunity("public")
        .user(user)
        .rouser(V3_USER, snmp_hlapi::SecurityLevel::AuthPriv)
        .system(|s| s.descr = SYS_DESCR.to_owned())
        .register(ENTRY, table);
    for n in 1..=targets {
        builder = builder.listen_udp(target_addr(n, port));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io)?;
    runtime.block_on(async {
        let agent = builder.start().await.map_err(io)?;
        agent.run().await;
        Ok(())
    })
}

/// One manager's figures in one benchmark of one run.
#[derive(Clone, Copy, Debug)]
struct Figure {
    /// Wall time: of a walk or a round (median), or of a GET-rate measurement; ms.
    wall_ms: f64,
    /// Rows or requests per second.
    rate: f64,
    /// CPU time per row or request, microseconds.
    cpu_us: f64,
    /// Answers (rows) checked good, and bad or missing ones.
    ok: usize,
    bad: usize,
    /// Peak resident memory, MB (benchmark (c) only).
    mem_mb: f64,
    /// Datagrams the kernel dropped for a full socket receive buffer, on the whole machine,
    /// over the measurement (`RcvbufErrors` of `/proc/net/snmp`).
    drops: f64,
}

impl Figure {
    fn new(wall: f64, per: f64, cpu: f64, ok: usize, bad: usize) -> Self {
        Self {
            wall_ms: wall * 1e3,
            rate: per / wall,
            cpu_us: cpu * 1e6 / per,
            ok,
            bad,
            mem_mb: f64::NAN,
            drops: f64::NAN,
        }
    }

    /// A GET-rate figure: `in_time` answers before the deadline of [`GET_TIME`], `ok + bad`
    /// in all (the last ones after it) over `wall` seconds and `cpu` seconds of CPU.
    fn rate(wall: f64, cpu: f64, ok: usize, bad: usize, in_time: usize) -> Self {
        Self {
            wall_ms: wall * 1e3,
            rate: as_f64(in_time) / GET_TIME.as_secs_f64(),
            cpu_us: cpu * 1e6 / as_f64(ok + bad),
            ok,
            bad,
            mem_mb: f64::NAN,
            drops: f64::NAN,
        }
    }
}

/// The machine's UDP `RcvbufErrors` so far (`/proc/net/snmp`).
fn rcvbuf_errors() -> f64 {
    let text = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut udp = text.lines().filter(|l| l.starts_with("Udp:"));
    let (Some(names), Some(values)) = (udp.next(), udp.next()) else {
        return f64::NAN;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(n, _)| *n == "RcvbufErrors")
        .and_then(|(_, v)| v.parse::<u32>().ok())
        .map_or(f64::NAN, f64::from)
}

/// Measures `f`, and the receive-buffer drops over it.
fn with_drops<E>(f: impl FnOnce() -> Result<Figure, E>) -> Result<Figure, E> {
    let before = rcvbuf_errors();
    let mut figure = f()?;
    figure.drops = rcvbuf_errors() - before;
    Ok(figure)
}

/// Every figure of one run, by name (`walk/ours`, `get256/pysnmp`, ...).
type Run = BTreeMap<&'static str, Figure>;

/// This process's CPU time so far, every thread's (`/proc/self/task/*/schedstat`: nanoseconds
/// on a CPU), seconds; NaN where that is not readable.
fn process_cpu() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let mut ns = 0_u64;
    for task in tasks.flatten() {
        let Some(t) = std::fs::read_to_string(task.path().join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        else {
            return f64::NAN;
        };
        ns = ns.saturating_add(t);
    }
    Duration::from_nanos(ns).as_secs_f64()
}

/// This process's peak resident memory since [`reset_peak`], MB.
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            line.split_whitespace().nth(1)?.parse::<u32>().ok()
        })
        .map_or(f64::NAN, |kb| f64::from(kb) / 1024.0)
}

/// Resets the peak resident memory of this process to the current one (proc(5), clear_refs).
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// How many of `rows` are the column's rows 1, 2, ... in order with their values; the rest,
/// and rows missing, are bad.
fn check_rows(rows: &[VarBind]) -> (usize, usize) {
    let mut ok = 0;
    for (vb, i) in rows.iter().zip(1..) {
        let good = COLUMN.child(i).is_ok_and(|o| o == vb.oid)
            && i32::try_from(3 * i).is_ok_and(|v| vb.value == Value::Integer(v));
        if good {
            ok += 1;
        }
    }
    let expected = usize::try_from(ROWS).unwrap_or(0);
    (ok, rows.len().max(expected) - ok)
}

/// snmpd's udpEndpointProcess (UDP-MIB): one row per UDP socket of the host.
const SNMPD_COLUMN: Oid = oid!(1, 3, 6, 1, 2, 1, 7, 7, 1, 8);
const SNMPD_COLUMN_TEXT: &str = "1.3.6.1.2.1.7.7.1.8";

/// How many rows are this process's sockets (udpEndpointProcess = our PID), and how many of
/// its [`ROWS`] sockets are missing; the host's other sockets are not counted (this process
/// has a few more of its own: the managers').
fn check_snmpd_rows(values: impl Iterator<Item = Option<u32>>) -> (usize, usize) {
    let pid = std::process::id();
    let ok = values.filter(|v| *v == Some(pid)).count();
    let expected = usize::try_from(ROWS).unwrap_or(0);
    (ok, expected.saturating_sub(ok))
}

fn target(addr: SocketAddr) -> Target {
    let mut t = Target::new(addr);
    t.timeout(TIMEOUT).retries(RETRIES);
    t
}

/// The credentials of a bulk walk (a): SNMPv2c, or SNMPv3 authPriv (HMAC-SHA-96,
/// AES-128), the user the agents are given (our agent's [`V3_USER`], snmpd's `createUser`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sec {
    V2c,
    V3,
}

const V3_USER: &str = "bench";
const V3_AUTH: &str = "benchauthpass";
const V3_PRIV: &str = "benchprivpass";

impl Sec {
    fn auth(self) -> Result<Auth, String> {
        match self {
            Self::V2c => Ok(public()),
            Self::V3 => Ok(Auth::usm(
                snmp_hlapi::UsmAuth::new(V3_USER)
                    .auth(snmp_hlapi::AuthProtocol::Sha1, V3_AUTH)
                    .and_then(|u| u.privacy(snmp_hlapi::PrivProtocol::Aes128, V3_PRIV))
                    .map_err(io)?,
            )),
        }
    }

    /// net-snmp's options for the same credentials.
    fn args(self) -> &'static [&'static str] {
        match self {
            Self::V2c => &["-v2c", "-c", "public"],
            Self::V3 => &[
                "-v3", "-l", "authPriv", "-u", V3_USER, "-a", "SHA", "-A", V3_AUTH, "-x", "AES",
                "-X", V3_PRIV,
            ],
        }
    }
}

fn public() -> Auth {
    Auth::community_v2c("public")
}

/// Our bulk walks of the column (or of snmpd's), and the rows of the last one.
async fn walk_ours(
    manager: &Manager,
    agent: &Target,
    snmpd: bool,
    auth: &Auth,
) -> (Figure, Vec<VarBind>) {
    let (mut walls, mut cpus, mut ok, mut bad) = (Vec::new(), Vec::new(), 0, 0);
    let (mut counts, mut last) = (Vec::new(), Vec::new());
    let column = if snmpd { SNMPD_COLUMN } else { COLUMN };
    for _ in 0..WALKS {
        let (t, c) = (now(), process_cpu());
        let rows = manager
            .bulk_walk(agent, auth, column.clone(), MAX_REPETITIONS)
            .collect()
            .await;
        walls.push(secs(t.elapsed()));
        cpus.push(process_cpu() - c);
        match rows {
            Ok(rows) => {
                counts.push(as_f64(rows.len()));
                last = rows.clone();
                let (o, b) = if snmpd {
                    check_snmpd_rows(rows.iter().map(|vb| match vb.value {
                        Value::Gauge32(v) => Some(v),
                        _ => None,
                    }))
                } else {
                    check_rows(&rows)
                };
                ok += o;
                bad += b;
            }
            Err(e) => {
                eprintln!("  our walk failed: {e}");
                bad += 1;
            }
        }
    }
    let rows = if snmpd {
        median(counts)
    } else {
        f64::from(ROWS)
    };
    (
        Figure::new(median(walls), rows, median(cpus), ok, bad),
        last,
    )
}

/// The floor of a bulk walk's CPU time: its round trips and nothing else. The GETBULKs a
/// walk that returned `rows` sent (from `root`, then from every [`MAX_REPETITIONS`]th row)
/// are encoded beforehand; each is sent on a blocking socket and its answer read, not
/// decoded. [`WALKS`] times, this process's CPU time; the answers received are the checks.
fn walk_floor(agent: SocketAddr, root: &Oid, rows: &[VarBind]) -> Result<Figure, String> {
    let step = usize::try_from(MAX_REPETITIONS).map_err(io)?;
    let cursors = std::iter::once(root.clone()).chain(
        rows.iter()
            .skip(step.saturating_sub(1))
            .step_by(step)
            .map(|vb| vb.oid.clone()),
    );
    let requests = cursors
        .zip(1..)
        .map(|(oid, id)| {
            Message::Community(CommunityMessage {
                version: Version::V2c,
                community: bytes::Bytes::from_static(b"public"),
                pdu: Pdu::GetBulkRequest(BulkPdu {
                    request_id: id,
                    non_repeaters: 0,
                    max_repetitions: i32::try_from(MAX_REPETITIONS).unwrap_or(i32::MAX),
                    varbinds: vec![VarBind::null(oid)],
                }),
            })
            .to_bytes()
            .map_err(io)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let socket = std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).map_err(io)?;
    socket.connect(agent).map_err(io)?;
    socket.set_read_timeout(Some(TIMEOUT)).map_err(io)?;
    let mut buf = vec![0; 65_536];
    let (mut walls, mut cpus, mut ok, mut bad) = (Vec::new(), Vec::new(), 0, 0);
    for _ in 0..WALKS {
        let (t, c) = (now(), process_cpu());
        for request in &requests {
            socket.send(request).map_err(io)?;
            match socket.recv(&mut buf) {
                Ok(n) if n > 0 => ok += 1,
                _ => bad += 1,
            }
        }
        walls.push(secs(t.elapsed()));
        cpus.push(process_cpu() - c);
    }
    Ok(Figure::new(
        median(walls),
        as_f64(rows.len()),
        median(cpus),
        ok,
        bad,
    ))
}

/// (a) with the agent at `addr` where it is now: our walks, `snmpbulkwalk`'s and, for
/// SNMPv2c, the floor ([`walk_floor`], from the rows of our last walk), under `keys` in that
/// order.
fn walk_trio(
    runtime: &tokio::runtime::Runtime,
    script: &Path,
    (addr, snmpd, sec): (SocketAddr, bool, Sec),
    keys: [&'static str; 3],
    run: &mut Run,
) -> Result<(), String> {
    let [ours, snmpbulkwalk, floor] = keys;
    let agent = target(addr);
    let auth = sec.auth()?;
    let (figure, rows) = runtime.block_on(async {
        let manager = Manager::new().await.map_err(io)?;
        if !snmpd {
            wait_up(&manager, addr.port()).await?;
        }
        let before = rcvbuf_errors();
        let (mut figure, rows) = walk_ours(&manager, &agent, snmpd, &auth).await;
        figure.drops = rcvbuf_errors() - before;
        Ok::<_, String>((figure, rows))
    })?;
    run.insert(ours, figure);
    let port = addr.port();
    let theirs = with_drops(|| {
        if snmpd {
            walk_snmpbulkwalk_snmpd(script, port, sec)
        } else {
            walk_snmpbulkwalk(script, port, COLUMN_TEXT, ROWS, sec)
        }
    })?;
    run.insert(snmpbulkwalk, theirs);
    if sec == Sec::V2c {
        let root = if snmpd { SNMPD_COLUMN } else { COLUMN };
        run.insert(floor, with_drops(|| walk_floor(addr, &root, &rows))?);
    }
    Ok(())
}

fn is_descr(answer: &Result<Vec<VarBind>, snmp_hlapi::Error>) -> bool {
    matches!(answer, Ok(vbs) if vbs.len() == 1 && vbs[0].oid == SYS_DESCR_0 && vbs[0].value == Value::from(SYS_DESCR))
}

/// GET sysDescr.0 with `inflight` requests in flight for [`GET_TIME`].
async fn get_ours(manager: &Manager, agent: &Target, inflight: usize) -> Result<Figure, String> {
    let sent = Arc::new(AtomicUsize::new(0));
    let in_time = Arc::new(AtomicUsize::new(0));
    let (t, c) = (now(), process_cpu());
    let deadline = t + GET_TIME;
    let mut tasks = Vec::new();
    for _ in 0..inflight {
        let (manager, agent) = (manager.clone(), agent.clone());
        let (sent, in_time) = (sent.clone(), in_time.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut bad) = (0, 0);
            while now() < deadline && sent.fetch_add(1, Ordering::Relaxed) < GET_LIMIT {
                if is_descr(&manager.get(&agent, &public(), [SYS_DESCR_0]).await) {
                    ok += 1;
                } else {
                    bad += 1;
                }
                if now() < deadline {
                    in_time.fetch_add(1, Ordering::Relaxed);
                }
            }
            (ok, bad)
        }));
    }
    let (mut ok, mut bad) = (0, 0);
    for task in tasks {
        let (o, b) = task.await.map_err(io)?;
        ok += o;
        bad += b;
    }
    let (wall, cpu) = (secs(t.elapsed()), process_cpu() - c);
    let in_time = in_time.load(Ordering::Relaxed);
    Ok(Figure::rate(wall, cpu, ok, bad, in_time))
}

/// GET sysDescr.0 to every target at once (at most `window` in flight unless 0), [`ROUNDS`]
/// rounds.
async fn targets_ours(manager: &Manager, port: u16, window: usize) -> Result<Figure, String> {
    let window = if window == 0 {
        usize::try_from(TARGETS).unwrap_or(1)
    } else {
        window
    };
    let gate = Arc::new(tokio::sync::Semaphore::new(window));
    let targets: Vec<Target> = (1..=TARGETS)
        .map(|n| target(target_addr(n, port)))
        .collect();
    reset_peak();
    let (mut walls, mut cpus, mut ok, mut bad) = (Vec::new(), Vec::new(), 0, 0);
    for _ in 0..ROUNDS {
        let (t, c) = (now(), process_cpu());
        let tasks: Vec<_> = targets
            .iter()
            .map(|agent| {
                let (manager, agent, gate) = (manager.clone(), agent.clone(), gate.clone());
                tokio::spawn(async move {
                    let _permit = gate.acquire_owned().await;
                    manager.get(&agent, &public(), [SYS_DESCR_0]).await
                })
            })
            .collect();
        for task in tasks {
            if is_descr(&task.await.map_err(io)?) {
                ok += 1;
            } else {
                bad += 1;
            }
        }
        walls.push(secs(t.elapsed()));
        cpus.push(process_cpu() - c);
    }
    let mut figure = Figure::new(median(walls), f64::from(TARGETS), median(cpus), ok, bad);
    figure.mem_mb = peak_mb();
    Ok(figure)
}

/// Runs `cmd` under `timeout`, its output; an error if it fails.
fn run_bounded(cmd: &str, args: &[&str], input: Option<&str>) -> Result<String, String> {
    let mut child = Command::new("timeout")
        .arg(LIMIT_SECONDS)
        .arg(cmd)
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{cmd}: {e}"))?;
    if let (Some(text), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(text.as_bytes()).map_err(io)?;
    }
    let out = child.wait_with_output().map_err(io)?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = err.lines().rev().take(5).collect();
        return Err(format!(
            "{cmd} {args:?}: {}: {}",
            out.status,
            tail.join(" / ")
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `cmd` through the script's `child` mode: its wall time, its CPU time (its own and
/// its children's, `getrusage`) and its output.
fn timed_child(
    script: &Path,
    cmd: &str,
    args: &[&str],
    input: Option<&str>,
) -> Result<(f64, f64, String), String> {
    let out = script.with_extension("out");
    let mut all = vec![
        script.to_string_lossy().into_owned(),
        "child".to_owned(),
        out.to_string_lossy().into_owned(),
        cmd.to_owned(),
    ];
    all.extend(args.iter().map(|a| (*a).to_owned()));
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let result = run_bounded("python3", &refs, input)?;
    let text = std::fs::read_to_string(&out).map_err(io)?;
    let figures: Vec<f64> = result
        .lines()
        .find_map(|l| l.strip_prefix("result "))
        .ok_or_else(|| format!("{cmd}: no result"))?
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(f64::NAN))
        .collect();
    let at = |i: usize| figures.get(i).copied().unwrap_or(f64::NAN);
    Ok((at(0), at(1), text))
}

/// `snmpbulkwalk` of snmpd's udpEndpointProcess, [`WALKS`] times; our sockets' rows checked.
fn walk_snmpbulkwalk_snmpd(script: &Path, port: u16, sec: Sec) -> Result<Figure, String> {
    let agent = format!("udp:127.0.0.1:{port}");
    let reps = format!("-Cr{MAX_REPETITIONS}");
    let mut args = sec.args().to_vec();
    args.extend([
        &reps[..],
        "-On",
        "-Oq",
        "-t",
        "2",
        "-r",
        "1",
        &agent,
        SNMPD_COLUMN_TEXT,
    ]);
    let (mut walls, mut cpus, mut counts, mut ok, mut bad) =
        (Vec::new(), Vec::new(), Vec::new(), 0, 0);
    for _ in 0..WALKS {
        let (wall, cpu, out) = timed_child(script, "snmpbulkwalk", &args, None)?;
        walls.push(wall);
        cpus.push(cpu);
        counts.push(as_f64(out.lines().count()));
        let (o, b) = check_snmpd_rows(
            out.lines()
                .map(|l| l.rsplit_once(' ').and_then(|(_, v)| v.parse().ok())),
        );
        ok += o;
        bad += b;
    }
    Ok(Figure::new(
        median(walls),
        median(counts),
        median(cpus),
        ok,
        bad,
    ))
}

/// `snmpbulkwalk` of the column, [`WALKS`] times; every line checked.
fn walk_snmpbulkwalk(
    script: &Path,
    port: u16,
    root: &str,
    rows: u32,
    sec: Sec,
) -> Result<Figure, String> {
    let agent = format!("udp:127.0.0.1:{port}");
    let reps = format!("-Cr{MAX_REPETITIONS}");
    let mut args = sec.args().to_vec();
    args.extend([&reps[..], "-On", "-Oq", "-t", "2", "-r", "1", &agent, root]);
    let (mut walls, mut cpus, mut ok, mut bad) = (Vec::new(), Vec::new(), 0, 0);
    for _ in 0..WALKS {
        let (wall, cpu, out) = timed_child(script, "snmpbulkwalk", &args, None)?;
        walls.push(wall);
        cpus.push(cpu);
        let lines: Vec<&str> = out.lines().collect();
        let good = lines
            .iter()
            .zip(1_u32..)
            .filter(|(line, i)| rows == 1 || **line == format!(".{COLUMN_TEXT}.{i} {}", 3 * i))
            .count();
        let expected = usize::try_from(rows).unwrap_or(0);
        ok += good;
        bad += lines.len().max(expected) - good;
    }
    Ok(Figure::new(
        median(walls),
        f64::from(rows),
        median(cpus),
        ok,
        bad,
    ))
}

/// `snmpget` of sysDescr.0, one process after the other: the time of one.
fn snmpget_latency(script: &Path, port: u16) -> Result<Figure, String> {
    let agent = format!("udp:127.0.0.1:{port}");
    let args = ["-v2c", "-c", "public", "-Oqv", &agent, "1.3.6.1.2.1.1.1.0"];
    let (mut walls, mut cpus, mut ok, mut bad) = (Vec::new(), Vec::new(), 0, 0);
    for _ in 0..SNMPGET_RUNS {
        let (wall, cpu, out) = timed_child(script, "snmpget", &args, None)?;
        walls.push(wall);
        cpus.push(cpu);
        if out.contains(SYS_DESCR) {
            ok += 1;
        } else {
            bad += 1;
        }
    }
    Ok(Figure::new(median(walls), 1.0, median(cpus), ok, bad))
}

/// `snmpget` of sysDescr.0 to [`XARGS_TARGETS`] targets, `xargs -P` [`XARGS_PARALLEL`].
fn snmpget_targets(script: &Path, port: u16) -> Result<Figure, String> {
    let input: String = (1..=XARGS_TARGETS)
        .map(|n| format!("udp:{}\n", target_addr(n, port)))
        .collect();
    let (wall, cpu, out) = timed_child(
        script,
        "xargs",
        &[
            "-P",
            XARGS_PARALLEL,
            "-I{}",
            "snmpget",
            "-v2c",
            "-c",
            "public",
            "-Oqv",
            "-t",
            "2",
            "-r",
            "1",
            "{}",
            "1.3.6.1.2.1.1.1.0",
        ],
        Some(&input),
    )?;
    let ok = out.lines().filter(|l| l.contains(SYS_DESCR)).count();
    let n = usize::try_from(XARGS_TARGETS).unwrap_or(0);
    Ok(Figure::new(
        wall,
        f64::from(XARGS_TARGETS),
        cpu,
        ok,
        n.saturating_sub(ok),
    ))
}

/// The `result` lines of the Python script: WALL CPU OK BAD `[MAXRSS_KB]`.
fn python(script: &Path, args: &[String]) -> Result<Vec<Vec<f64>>, String> {
    let mut all = vec![script.to_string_lossy().into_owned()];
    all.extend(args.iter().cloned());
    let refs: Vec<&str> = all.iter().map(String::as_str).collect();
    let out = run_bounded("python3", &refs, None)?;
    let results: Vec<Vec<f64>> = out
        .lines()
        .filter_map(|l| l.strip_prefix("result "))
        .map(|l| {
            l.split_whitespace()
                .map(|f| f.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect();
    if results.is_empty() {
        return Err(format!("python3 {args:?}: no result"));
    }
    Ok(results)
}

fn count(x: f64) -> usize {
    if x.is_finite() && x >= 0.0 {
        // Counts printed by the script: whole numbers far below 2^32.
        usize::try_from(format!("{x:.0}").parse::<u64>().unwrap_or(0)).unwrap_or(0)
    } else {
        0
    }
}

/// A figure from the Python script's results (medians of wall and CPU, sums of checks).
fn python_figure(results: &[Vec<f64>], per: impl Fn(&[f64]) -> f64) -> Figure {
    let col = |i: usize| -> Vec<f64> {
        results
            .iter()
            .map(|r| r.get(i).copied().unwrap_or(f64::NAN))
            .collect()
    };
    let ok: usize = col(2).into_iter().map(count).sum();
    let bad: usize = col(3).into_iter().map(count).sum();
    let per = median(results.iter().map(|r| per(r)).collect());
    let mut figure = Figure::new(median(col(0)), per, median(col(1)), ok, bad);
    let rss = median(col(4));
    figure.mem_mb = rss / 1024.0;
    figure
}

/// Which optional Python managers import.
#[derive(Clone, Copy, Debug)]
struct Peers {
    pysnmp: bool,
    ezsnmp: bool,
}

fn imports(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Our agent: this binary, serving, pinned to CPU 0.
fn start_agent(port: u16) -> Result<Guard, String> {
    let exe = std::env::current_exe().map_err(io)?;
    let child = Command::new(exe)
        .args(["bench-agent-serve", &port.to_string()])
        .args([ROWS.to_string(), TARGETS.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("bench-agent-serve: {e}"))?;
    let guard = Guard::new(child);
    taskset("0", guard.id())?;
    Ok(guard)
}

/// (a) against net-snmp's snmpd: this process holds [`ROWS`] UDP sockets, so that snmpd's
/// udpEndpointTable has that many rows of ours (udpEndpointProcess = our PID) besides the
/// host's own; every manager walks udpEndpointProcess.
fn snmpd_walks(
    runtime: &tokio::runtime::Runtime,
    script: &Path,
    peers: Peers,
    run: &mut Run,
) -> Result<(), String> {
    let sockets = (0..ROWS)
        .map(|_| std::net::UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{ROWS} UDP sockets: {e}"))?;
    let snmpd = Snmpd::new("bench-snmpd")
        .line("rocommunity public default")
        .line(&format!("createUser {V3_USER} SHA {V3_AUTH} AES {V3_PRIV}"))
        .line(&format!("rouser {V3_USER} priv"))
        .start()
        .map_err(|e| format!("snmpd: {e}"))?;
    taskset("0", snmpd.id())?;
    let port = snmpd.v4().port();
    let agent = target(snmpd.v4());
    runtime.block_on(async {
        let manager = Manager::new().await.map_err(io)?;
        for _ in 0..200 {
            if manager.get(&agent, &public(), [SYS_DESCR_0]).await.is_ok() {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("snmpd does not answer".to_owned())
    })?;
    walk_trio(
        runtime,
        script,
        (snmpd.v4(), true, Sec::V2c),
        [
            "snmpdwalk/ours",
            "snmpdwalk/snmpbulkwalk",
            "snmpdwalk/floor",
        ],
        run,
    )?;
    walk_trio(
        runtime,
        script,
        (snmpd.v4(), true, Sec::V3),
        ["snmpdwalk/ours-v3", "snmpdwalk/snmpbulkwalk-v3", ""],
        run,
    )?;
    // snmpd on the managers' CPU: no wake-up of another CPU in a round trip.
    taskset("1", snmpd.id())?;
    walk_trio(
        runtime,
        script,
        (snmpd.v4(), true, Sec::V2c),
        [
            "snmpdwalk/ours-1cpu",
            "snmpdwalk/snmpbulkwalk-1cpu",
            "snmpdwalk/floor-1cpu",
        ],
        run,
    )?;
    taskset("0", snmpd.id())?;
    let args = |mode: &str| {
        vec![
            mode.to_owned(),
            port.to_string(),
            SNMPD_COLUMN_TEXT.to_owned(),
            MAX_REPETITIONS.to_string(),
            WALKS.to_string(),
            ROWS.to_string(),
            std::process::id().to_string(),
        ]
    };
    // The Python side reports the rows walked as its 5th figure.
    let py = |mode: &str| {
        with_drops(|| {
            let results = python(script, &args(mode))?;
            let mut figure = python_figure(&results, |r| r.get(4).copied().unwrap_or(f64::NAN));
            // The 5th figure is the rows walked, not a memory size.
            figure.mem_mb = f64::NAN;
            Ok::<_, String>(figure)
        })
    };
    if peers.pysnmp {
        run.insert("snmpdwalk/pysnmp", py("walk")?);
    }
    if peers.ezsnmp {
        run.insert("snmpdwalk/ezsnmp", py("ezwalk")?);
    }
    drop(snmpd);
    drop(sockets);
    Ok(())
}

/// Waits (at most 20 s) until the first and the last target answer.
async fn wait_up(manager: &Manager, port: u16) -> Result<(), String> {
    let start = now();
    for n in [1, TARGETS] {
        let mut t = Target::new(target_addr(n, port));
        t.timeout(Duration::from_millis(200)).retries(0);
        while !is_descr(&manager.get(&t, &public(), [SYS_DESCR_0]).await) {
            if start.elapsed() > Duration::from_secs(20) {
                return Err(format!("the agent does not answer on {}", t.addr()));
            }
        }
    }
    Ok(())
}

fn one_run(runtime: &tokio::runtime::Runtime, script: &Path, peers: Peers) -> Result<Run, String> {
    let port = free_udp_port().map_err(io)?;
    let agent = start_agent(port)?;
    let mut run = Run::new();
    let main = target(target_addr(1, port));
    let p = port.to_string();
    let s = |x: &dyn ToString| x.to_string();
    // Ours: a fresh manager for each measurement, in this process's runtime.
    let ours = |what: &str, window: usize| -> Result<Figure, String> {
        runtime.block_on(async {
            let mut config = snmp_hlapi::ManagerConfig::default();
            if what == "targets-rcvbuf" {
                // Room for 1,000 answers at once (the kernel's default holds a few hundred).
                config.socket_recv_buffer(RCVBUF);
            }
            let manager = Manager::with_config(&config).await.map_err(io)?;
            wait_up(&manager, port).await?;
            let before = rcvbuf_errors();
            let mut figure = match what {
                "get" => get_ours(&manager, &main, window).await?,
                _ => targets_ours(&manager, port, window).await?,
            };
            figure.drops = rcvbuf_errors() - before;
            Ok(figure)
        })
    };
    let py = |args: &[String], per: &dyn Fn(&[f64]) -> f64| {
        with_drops(|| Ok::<_, String>(python_figure(&python(script, args)?, per)))
    };
    let rows = |_: &[f64]| f64::from(ROWS);
    println!("  (a) bulk walk");
    let main_addr = target_addr(1, port);
    walk_trio(
        runtime,
        script,
        (main_addr, false, Sec::V2c),
        ["walk/ours", "walk/snmpbulkwalk", "walk/floor"],
        &mut run,
    )?;
    walk_trio(
        runtime,
        script,
        (main_addr, false, Sec::V3),
        ["walk/ours-v3", "walk/snmpbulkwalk-v3", ""],
        &mut run,
    )?;
    // The agent on the managers' CPU: no wake-up of another CPU in a round trip.
    taskset("1", agent.id())?;
    walk_trio(
        runtime,
        script,
        (main_addr, false, Sec::V2c),
        [
            "walk/ours-1cpu",
            "walk/snmpbulkwalk-1cpu",
            "walk/floor-1cpu",
        ],
        &mut run,
    )?;
    taskset("0", agent.id())?;
    let walk_args = |mode: &str| {
        vec![
            mode.to_owned(),
            p.clone(),
            COLUMN_TEXT.to_owned(),
            s(&MAX_REPETITIONS),
            s(&WALKS),
            s(&ROWS),
        ]
    };
    if peers.pysnmp {
        run.insert("walk/pysnmp", py(&walk_args("walk"), &rows)?);
    }
    if peers.ezsnmp {
        run.insert("walk/ezsnmp", py(&walk_args("ezwalk"), &rows)?);
    }
    run.insert(
        "note/snmpbulkwalk-1-row",
        walk_snmpbulkwalk(script, port, "1.3.6.1.2.1.1.1", 1, Sec::V2c)?,
    );
    run.insert(
        "note/snmpbulkwalk-v3-1-row",
        walk_snmpbulkwalk(script, port, "1.3.6.1.2.1.1.1", 1, Sec::V3)?,
    );
    println!("  (a) bulk walk of snmpd's udpEndpointTable");
    snmpd_walks(runtime, script, peers, &mut run)?;
    println!("  (b) GET rate");
    // The GET rates: the Python side's answers before the deadline, its 5th figure.
    let rate = |args: &[String]| {
        with_drops(|| {
            let r = python(script, args)?;
            let at = |i: usize| {
                r.first()
                    .and_then(|r| r.get(i))
                    .copied()
                    .unwrap_or(f64::NAN)
            };
            Ok::<_, String>(Figure::rate(
                at(0),
                at(1),
                count(at(2)),
                count(at(3)),
                count(at(4)),
            ))
        })
    };
    run.insert("get1/ours", ours("get", 1)?);
    run.insert("get256/ours", ours("get", INFLIGHT)?);
    if peers.pysnmp {
        for (key, inflight) in [("get1/pysnmp", 1), ("get256/pysnmp", INFLIGHT)] {
            let args = [
                "get".to_owned(),
                p.clone(),
                s(&inflight),
                s(&GET_TIME.as_secs_f64()),
                SYS_DESCR.to_owned(),
                s(&GET_LIMIT),
            ];
            run.insert(key, rate(&args)?);
        }
    }
    if peers.ezsnmp {
        let args = [
            "ezget".to_owned(),
            p.clone(),
            s(&GET_TIME.as_secs_f64()),
            SYS_DESCR.to_owned(),
            s(&GET_LIMIT),
        ];
        run.insert("get1/ezsnmp", rate(&args)?);
    }
    run.insert("note/snmpget", snmpget_latency(script, port)?);
    println!("  (c) {TARGETS} targets");
    run.insert("targets/ours", ours("targets", 0)?);
    run.insert("targets/ours-rcvbuf", ours("targets-rcvbuf", 0)?);
    run.insert("targets/ours-256", ours("targets", INFLIGHT)?);
    if peers.pysnmp {
        for (key, window) in [("targets/pysnmp", 0), ("targets/pysnmp-256", INFLIGHT)] {
            let args = [
                "targets".to_owned(),
                p.clone(),
                s(&TARGETS),
                s(&ROUNDS),
                SYS_DESCR.to_owned(),
                s(&window),
            ];
            run.insert(key, py(&args, &|_| f64::from(TARGETS))?);
        }
    }
    run.insert(
        "note/snmpget-xargs",
        with_drops(|| snmpget_targets(script, port))?,
    );
    drop(agent);
    Ok(run)
}

/// The rows of the table: key, benchmark, manager.
const ROWS_SHOWN: &[(&str, &str, &str)] = &[
    (
        "walk/ours",
        "(a) bulk walk 10,000 rows",
        "ours (snmp-hlapi)",
    ),
    (
        "walk/snmpbulkwalk",
        "(a) bulk walk 10,000 rows",
        "net-snmp snmpbulkwalk (process)",
    ),
    (
        "walk/floor",
        "(a) bulk walk 10,000 rows",
        "its round trips alone (floor)",
    ),
    (
        "walk/pysnmp",
        "(a) bulk walk 10,000 rows",
        "PySNMP 7 bulk_walk_cmd",
    ),
    (
        "walk/ezsnmp",
        "(a) bulk walk 10,000 rows",
        "ezsnmp bulk_walk",
    ),
    (
        "walk/ours-v3",
        "(a) bulk walk 10,000 rows, SNMPv3 authPriv (SHA, AES-128)",
        "ours (snmp-hlapi)",
    ),
    (
        "walk/snmpbulkwalk-v3",
        "(a) bulk walk 10,000 rows, SNMPv3 authPriv (SHA, AES-128)",
        "net-snmp snmpbulkwalk (process)",
    ),
    (
        "walk/ours-1cpu",
        "(a) bulk walk 10,000 rows, agent on the managers' CPU",
        "ours (snmp-hlapi)",
    ),
    (
        "walk/snmpbulkwalk-1cpu",
        "(a) bulk walk 10,000 rows, agent on the managers' CPU",
        "net-snmp snmpbulkwalk (process)",
    ),
    (
        "walk/floor-1cpu",
        "(a) bulk walk 10,000 rows, agent on the managers' CPU",
        "its round trips alone (floor)",
    ),
    (
        "snmpdwalk/ours",
        "(a) bulk walk, snmpd udpEndpointTable",
        "ours (snmp-hlapi)",
    ),
    (
        "snmpdwalk/snmpbulkwalk",
        "(a) bulk walk, snmpd udpEndpointTable",
        "net-snmp snmpbulkwalk (process)",
    ),
    (
        "snmpdwalk/floor",
        "(a) bulk walk, snmpd udpEndpointTable",
        "its round trips alone (floor)",
    ),
    (
        "snmpdwalk/pysnmp",
        "(a) bulk walk, snmpd udpEndpointTable",
        "PySNMP 7 bulk_walk_cmd",
    ),
    (
        "snmpdwalk/ezsnmp",
        "(a) bulk walk, snmpd udpEndpointTable",
        "ezsnmp bulk_walk",
    ),
    (
        "snmpdwalk/ours-v3",
        "(a) bulk walk, snmpd udpEndpointTable, SNMPv3 authPriv (SHA, AES-128)",
        "ours (snmp-hlapi)",
    ),
    (
        "snmpdwalk/snmpbulkwalk-v3",
        "(a) bulk walk, snmpd udpEndpointTable, SNMPv3 authPriv (SHA, AES-128)",
        "net-snmp snmpbulkwalk (process)",
    ),
    (
        "snmpdwalk/ours-1cpu",
        "(a) bulk walk, snmpd udpEndpointTable, snmpd on the managers' CPU",
        "ours (snmp-hlapi)",
    ),
    (
        "snmpdwalk/snmpbulkwalk-1cpu",
        "(a) bulk walk, snmpd udpEndpointTable, snmpd on the managers' CPU",
        "net-snmp snmpbulkwalk (process)",
    ),
    (
        "snmpdwalk/floor-1cpu",
        "(a) bulk walk, snmpd udpEndpointTable, snmpd on the managers' CPU",
        "its round trips alone (floor)",
    ),
    ("get1/ours", "(b) GET, 1 in flight", "ours"),
    ("get1/pysnmp", "(b) GET, 1 in flight", "PySNMP 7 get_cmd"),
    ("get1/ezsnmp", "(b) GET, 1 in flight", "ezsnmp get (sync)"),
    ("get256/ours", "(b) GET, 256 in flight", "ours"),
    (
        "get256/pysnmp",
        "(b) GET, 256 in flight",
        "PySNMP 7 get_cmd, 256 tasks",
    ),
    ("targets/ours", "(c) 1,000 targets at once", "ours"),
    (
        "targets/ours-rcvbuf",
        "(c) 1,000 targets at once",
        "ours, SO_RCVBUF 4 MiB",
    ),
    (
        "targets/pysnmp",
        "(c) 1,000 targets at once",
        "PySNMP 7 get_cmd",
    ),
    (
        "targets/ours-256",
        "(c) 1,000 targets, <= 256 in flight",
        "ours",
    ),
    (
        "targets/pysnmp-256",
        "(c) 1,000 targets, <= 256 in flight",
        "PySNMP 7 get_cmd",
    ),
    (
        "note/snmpbulkwalk-1-row",
        "note: snmpbulkwalk of 1 row",
        "net-snmp (process start)",
    ),
    (
        "note/snmpbulkwalk-v3-1-row",
        "note: snmpbulkwalk -v3 authPriv of 1 row",
        "net-snmp (process start, keys, discovery)",
    ),
    (
        "note/snmpget",
        "note: one snmpget process",
        "net-snmp snmpget",
    ),
    (
        "note/snmpget-xargs",
        "note: 200 targets, xargs -P 50",
        "net-snmp snmpget",
    ),
];

fn print_table(run: &Run, runs: usize) {
    let checks = runs > 0;
    println!(
        "| benchmark | manager | wall ms | rows or req/s | CPU us per row or req | peak MB | rcvbuf drops |{}",
        if checks { " checked ok / bad |" } else { "" }
    );
    println!(
        "|---|---|---|---|---|---|---|{}",
        if checks { "---|" } else { "" }
    );
    for (key, what, who) in ROWS_SHOWN {
        let Some(f) = run.get(key) else {
            continue;
        };
        let mem = if f.mem_mb.is_finite() {
            format!("{:.1}", f.mem_mb)
        } else {
            "-".into()
        };
        let check = if checks {
            format!(" {} / {} |", f.ok, f.bad)
        } else {
            String::new()
        };
        println!(
            "| {what} | {who} | {:.1} | {:.0} | {:.2} | {mem} | {:.0} |{check}",
            f.wall_ms, f.rate, f.cpu_us, f.drops
        );
    }
}

/// The ratios of one run: (what, value).
fn ratios(run: &Run) -> Vec<(&'static str, f64)> {
    let get = |k: &str| run.get(k).copied();
    let mut out = Vec::new();
    let mut ratio = |what, a: Option<Figure>, b: Option<Figure>, f: fn(Figure, Figure) -> f64| {
        if let (Some(a), Some(b)) = (a, b) {
            out.push((what, f(a, b)));
        }
    };
    let ours = get("walk/ours");
    let wall = |a: Figure, b: Figure| b.wall_ms / a.wall_ms;
    let cpu = |a: Figure, b: Figure| a.cpu_us / b.cpu_us;
    let rate = |a: Figure, b: Figure| a.rate / b.rate;
    // A manager's CPU per row less the floor's.
    let above = |mut a: Figure, floor: Figure| {
        a.cpu_us -= floor.cpu_us;
        a
    };
    ratio(
        "(a) wall: snmpbulkwalk / ours",
        ours,
        get("walk/snmpbulkwalk"),
        wall,
    );
    ratio("(a) wall: PySNMP / ours", ours, get("walk/pysnmp"), wall);
    ratio("(a) wall: ezsnmp / ours", ours, get("walk/ezsnmp"), wall);
    ratio(
        "(a) CPU per row: ours / snmpbulkwalk (goal <= 0.33)",
        ours,
        get("walk/snmpbulkwalk"),
        cpu,
    );
    ratio(
        "(a) CPU per row: floor / snmpbulkwalk (the least that ratio can be)",
        get("walk/floor"),
        get("walk/snmpbulkwalk"),
        cpu,
    );
    ratio(
        "(a) CPU per row above the floor: ours / snmpbulkwalk",
        ours.zip(get("walk/floor")).map(|(o, f)| above(o, f)),
        get("walk/snmpbulkwalk")
            .zip(get("walk/floor"))
            .map(|(o, f)| above(o, f)),
        cpu,
    );
    ratio(
        "(a) agent on the managers' CPU: CPU per row: ours / snmpbulkwalk (goal <= 0.33)",
        get("walk/ours-1cpu"),
        get("walk/snmpbulkwalk-1cpu"),
        cpu,
    );
    ratio(
        "(a) v3 authPriv: CPU per row: ours / snmpbulkwalk",
        get("walk/ours-v3"),
        get("walk/snmpbulkwalk-v3"),
        cpu,
    );
    ratio(
        "(a) v3 authPriv: wall: snmpbulkwalk / ours",
        get("walk/ours-v3"),
        get("walk/snmpbulkwalk-v3"),
        wall,
    );
    ratio(
        "(a) CPU per row: ours / PySNMP",
        ours,
        get("walk/pysnmp"),
        cpu,
    );
    ratio(
        "(a) CPU per row: ours / ezsnmp",
        ours,
        get("walk/ezsnmp"),
        cpu,
    );
    let snmpd = get("snmpdwalk/ours");
    ratio(
        "(a) snmpd: wall: snmpbulkwalk / ours",
        snmpd,
        get("snmpdwalk/snmpbulkwalk"),
        wall,
    );
    ratio(
        "(a) snmpd: CPU per row: ours / snmpbulkwalk (goal <= 0.33)",
        snmpd,
        get("snmpdwalk/snmpbulkwalk"),
        cpu,
    );
    ratio(
        "(a) snmpd: CPU per row: floor / snmpbulkwalk (the least that ratio can be)",
        get("snmpdwalk/floor"),
        get("snmpdwalk/snmpbulkwalk"),
        cpu,
    );
    ratio(
        "(a) snmpd: CPU per row above the floor: ours / snmpbulkwalk",
        snmpd.zip(get("snmpdwalk/floor")).map(|(o, f)| above(o, f)),
        get("snmpdwalk/snmpbulkwalk")
            .zip(get("snmpdwalk/floor"))
            .map(|(o, f)| above(o, f)),
        cpu,
    );
    ratio(
        "(a) snmpd on the managers' CPU: CPU per row: ours / snmpbulkwalk (goal <= 0.33)",
        get("snmpdwalk/ours-1cpu"),
        get("snmpdwalk/snmpbulkwalk-1cpu"),
        cpu,
    );
    ratio(
        "(a) snmpd, v3 authPriv: CPU per row: ours / snmpbulkwalk",
        get("snmpdwalk/ours-v3"),
        get("snmpdwalk/snmpbulkwalk-v3"),
        cpu,
    );
    ratio(
        "(a) snmpd, v3 authPriv: wall: snmpbulkwalk / ours",
        get("snmpdwalk/ours-v3"),
        get("snmpdwalk/snmpbulkwalk-v3"),
        wall,
    );
    ratio(
        "(a) snmpd: CPU per row: ours / PySNMP",
        snmpd,
        get("snmpdwalk/pysnmp"),
        cpu,
    );
    ratio(
        "(a) snmpd: wall: PySNMP / ours",
        snmpd,
        get("snmpdwalk/pysnmp"),
        wall,
    );
    ratio(
        "(a) snmpd: CPU per row: ours / ezsnmp",
        snmpd,
        get("snmpdwalk/ezsnmp"),
        cpu,
    );
    ratio(
        "(b) req/s, 1 in flight: ours / PySNMP",
        get("get1/ours"),
        get("get1/pysnmp"),
        rate,
    );
    ratio(
        "(b) req/s, 1 in flight: ours / ezsnmp",
        get("get1/ours"),
        get("get1/ezsnmp"),
        rate,
    );
    ratio(
        "(b) req/s, 256 in flight: ours / PySNMP (goal >= 20)",
        get("get256/ours"),
        get("get256/pysnmp"),
        rate,
    );
    ratio(
        "(c) req/s, 1,000 targets: ours / PySNMP (goal >= 20)",
        get("targets/ours"),
        get("targets/pysnmp"),
        rate,
    );
    ratio(
        "(c) req/s, 1,000 targets at once: ours with SO_RCVBUF 4 MiB / PySNMP (goal >= 20)",
        get("targets/ours-rcvbuf"),
        get("targets/pysnmp"),
        rate,
    );
    ratio(
        "(c) req/s, 1,000 targets, <= 256 in flight: ours / PySNMP",
        get("targets/ours-256"),
        get("targets/pysnmp-256"),
        rate,
    );
    out
}

pub(crate) fn run(runs: usize) -> Result<(), String> {
    let runs = runs.max(1);
    let peers = Peers {
        pysnmp: imports("pysnmp"),
        ezsnmp: imports("ezsnmp"),
    };
    if !peers.pysnmp {
        println!("note: PySNMP does not import (pip install pysnmp): its rows are skipped");
    }
    if !peers.ezsnmp {
        println!("note: ezsnmp does not import (pip install ezsnmp): its rows are skipped");
    }
    for tool in ["snmpbulkwalk", "snmpget", "taskset", "timeout", "xargs"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            return Err(format!("{tool} is not installed"));
        }
    }
    let dir = ScratchDir::new("manager-bench").map_err(io)?;
    let script = dir.path().join("manager_bench.py");
    std::fs::write(&script, SCRIPT).map_err(io)?;
    // The managers (this process, all its threads, and what it starts) on CPU 1; the agent
    // is moved to CPU 0 as it starts.
    taskset("1", std::process::id())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(io)?;
    let mut all: Vec<Run> = Vec::new();
    for n in 1..=runs {
        println!("run {n} of {runs}");
        let run = one_run(&runtime, &script, peers)?;
        print_table(&run, 1);
        for (what, r) in ratios(&run) {
            println!("  {what}: {r:.2}");
        }
        all.push(run);
    }
    // A wrong or missing row of a walk, or any answer of ours missing or wrong, is a fault of
    // the benchmark (or of our manager); the Python managers' GETs that time out are a
    // measured fact, shown in the tables.
    let bad: usize = all
        .iter()
        .flat_map(|r| r.iter())
        .filter(|(key, _)| key.starts_with("walk/") || key.contains("/ours"))
        .map(|(_, f)| f.bad)
        .sum();
    if runs > 1 {
        println!("\nmedians of {runs} runs");
        let mut med = Run::new();
        for (key, _, _) in ROWS_SHOWN {
            let col = |f: fn(&Figure) -> f64| {
                median(all.iter().filter_map(|r| r.get(key)).map(f).collect())
            };
            if all.iter().any(|r| r.contains_key(key)) {
                med.insert(
                    key,
                    Figure {
                        wall_ms: col(|f| f.wall_ms),
                        rate: col(|f| f.rate),
                        cpu_us: col(|f| f.cpu_us),
                        ok: 0,
                        bad: 0,
                        mem_mb: col(|f| f.mem_mb),
                        drops: col(|f| f.drops),
                    },
                );
            }
        }
        print_table(&med, 0);
        println!("\nratios, each within one run (the median, then every run's)");
        let per_run: Vec<Vec<(&str, f64)>> = all.iter().map(ratios).collect();
        if let Some(first) = per_run.first() {
            for (i, (what, _)) in first.iter().enumerate() {
                let values: Vec<f64> = per_run
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|x| x.1)
                    .collect();
                let list: Vec<String> = values.iter().map(|v| format!("{v:.2}")).collect();
                println!(
                    "| {what} | {:.2} | {} |",
                    median(values.clone()),
                    list.join(", ")
                );
            }
        }
    }
    if bad > 0 {
        return Err(format!(
            "{bad} rows or answers of ours were missing or wrong"
        ));
    }
    println!("every walk's rows and every answer to our manager checked: all good");
    Ok(())
}
