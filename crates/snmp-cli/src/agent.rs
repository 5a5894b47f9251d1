//! `snmp agent` (net-snmp's `snmpd`) and `snmp demo` (the README's main job).

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Args;
use snmp_hlapi::agent::Agent;
use snmp_hlapi::agent_config::{AgentConfig, ListenAddr, Transport, WarningKind};
use snmp_hlapi::{
    Auth, AuthProtocol, Manager, ManagerConfig, PrivProtocol, SecurityLevel, Target, UsmAuth,
    VarBind, oid,
};
use snmp_usm::UsmUser;

use crate::cli::{EXIT_INPUT, EXIT_OK, EXIT_USAGE};

/// `snmp agent`: snmpd's command line, the subset that matters in the foreground.
#[derive(Debug, Args)]
pub(crate) struct AgentArgs {
    /// Stay in the foreground (always: this agent does not daemonise; accepted for snmpd
    /// compatibility)
    #[arg(short = 'f')]
    foreground: bool,

    /// Logging: o (stdout), e (stderr); accepted for snmpd compatibility, messages go to
    /// stderr
    #[arg(short = 'L', value_name = "o|e")]
    log: Option<String>,

    /// Read only the files given with -c, not the default configuration files
    #[arg(short = 'C')]
    only_given_config: bool,

    /// Configuration file(s), snmpd.conf syntax; repeat or separate with commas
    #[arg(short = 'c', value_name = "FILE", value_delimiter = ',')]
    config: Vec<PathBuf>,

    /// Directory that keeps snmpEngineBoots and the engine ID across restarts
    /// (default: $SNMP_PERSISTENT_DIR if set; otherwise nothing is kept)
    #[arg(long, value_name = "DIR")]
    state_dir: Option<PathBuf>,

    /// Do not serve the host's IF-MIB and HOST-RESOURCES-MIB
    #[arg(long)]
    no_host_mibs: bool,

    /// Addresses to listen on, as snmpd takes them: udp:1161, udp:127.0.0.1:1161,
    /// udp6:[::1]:1161, tcp:1161 (default: the configuration's agentAddress, else udp:161)
    #[arg(value_name = "LISTEN")]
    listen: Vec<String>,
}

/// The default configuration file, when `-C` is not given and it exists.
const DEFAULT_CONFIG: &str = "/etc/snmp/snmpd.conf";

pub(crate) fn agent(args: AgentArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let _ = (args.foreground, &args.log);
    let mut files = args.config.clone();
    if !args.only_given_config && files.is_empty() && std::path::Path::new(DEFAULT_CONFIG).exists()
    {
        files.push(DEFAULT_CONFIG.into());
    }
    let mut config = AgentConfig::default();
    let mut text = String::new();
    for file in &files {
        match std::fs::read_to_string(file) {
            Ok(t) => {
                text.push_str(&t);
                text.push('\n');
            }
            Err(e) => {
                let _ = writeln!(err, "snmp agent: cannot read {}: {e}", file.display());
                return EXIT_INPUT;
            }
        }
    }
    let name = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(",");
    if !files.is_empty() {
        match AgentConfig::parse(&text, &name) {
            Ok((c, warnings)) => {
                for w in warnings {
                    let kind = match w.kind {
                        WarningKind::Unknown => "warning",
                        _ => "note",
                    };
                    let _ = writeln!(err, "{name}: {kind}: {}", w.message);
                }
                config = c;
            }
            Err(e) => {
                let _ = writeln!(err, "snmp agent: {e}");
                return EXIT_USAGE;
            }
        }
    }
    if !args.listen.is_empty() {
        let mut listen = Vec::new();
        for l in args.listen.iter().flat_map(|l| l.split(',')) {
            match l.parse::<ListenAddr>() {
                Ok(a) => listen.push(a),
                Err(e) => {
                    let _ = writeln!(err, "snmp agent: bad listening address '{l}': {e}");
                    return EXIT_USAGE;
                }
            }
        }
        config.listen = listen;
    }
    if config.listen.is_empty() {
        config.listen = config.listen_or_default();
    }
    let state_dir = args
        .state_dir
        .clone()
        .or_else(|| std::env::var_os("SNMP_PERSISTENT_DIR").map(PathBuf::from));
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "snmp agent: cannot start the runtime: {e}");
            return EXIT_INPUT;
        }
    };
    runtime.block_on(async {
        let mut builder = match Agent::builder().config(&config) {
            Ok(b) => b,
            Err(e) => {
                let _ = writeln!(err, "snmp agent: {e}");
                return EXIT_USAGE;
            }
        };
        if let Some(dir) = state_dir {
            builder = builder.state_dir(dir);
        }
        if !args.no_host_mibs {
            builder = builder.host_mibs();
        }
        let agent = match builder.start().await {
            Ok(a) => a,
            Err(e) => {
                let _ = writeln!(err, "snmp agent: {e}");
                return EXIT_INPUT;
            }
        };
        for l in agent.local_addrs() {
            let t = match l.protocol {
                snmp_transport::Protocol::Tcp => Transport::Tcp,
                _ => Transport::Udp,
            };
            let _ = writeln!(out, "listening on {}", ListenAddr::new(t, l.addr));
        }
        let _ = out.flush();
        tokio::select! {
            () = agent.run() => {
                let _ = writeln!(err, "snmp agent: a socket failed");
                EXIT_INPUT
            }
            _ = tokio::signal::ctrl_c() => EXIT_OK,
        }
    })
}

/// `snmp demo`: the README's main job.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Print every binding, not just the first rows of each table
    #[arg(long)]
    all: bool,
}

/// A fixed demo user: the agent and the manager are in the same process.
const DEMO_USER: &str = "demo";
const DEMO_AUTH: &str = "demo-auth-password";
const DEMO_PRIV: &str = "demo-priv-password";

/// What one demo step found.
struct Step {
    title: String,
    rows: Vec<VarBind>,
    elapsed: Duration,
}

pub(crate) fn demo(args: &DemoArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "snmp demo: cannot start the runtime: {e}");
            return EXIT_INPUT;
        }
    };
    match runtime.block_on(run_demo(out, args.all)) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            let _ = writeln!(err, "snmp demo: {e}");
            EXIT_INPUT
        }
    }
}

// The demo times its steps with the wall clock: what the user sees.
#[allow(clippy::disallowed_methods)]
async fn run_demo(out: &mut dyn Write, all: bool) -> Result<(), Box<dyn std::error::Error>> {
    let user = UsmUser::new(DEMO_USER)
        .with_auth(AuthProtocol::Sha256, DEMO_AUTH.as_bytes())?
        .with_privacy(PrivProtocol::Aes128, DEMO_PRIV.as_bytes())?;
    let agent = Agent::builder()
        .listen_udp("127.0.0.1:0".parse()?)
        .rocommunity("public")
        .user(user)
        .rouser(DEMO_USER, SecurityLevel::AuthPriv)
        .host_mibs()
        .start()
        .await?;
    let addr = agent.udp_addr().ok_or("the agent has no UDP address")?;
    writeln!(
        out,
        "agent: in-process, udp:{addr}, serving this host's system, IF-MIB and HOST-RESOURCES-MIB data"
    )?;
    let mut config = ManagerConfig::default();
    config.timeout(Duration::from_secs(2)).retries(1);
    let manager = Manager::with_config(&config).await?;
    let target = Target::new(addr);
    let v1 = Auth::community_v1("public");
    let v2c = Auth::community_v2c("public");
    let v3 = Auth::usm(
        UsmAuth::new(DEMO_USER)
            .auth(AuthProtocol::Sha256, DEMO_AUTH)?
            .privacy(PrivProtocol::Aes128, DEMO_PRIV)?,
    );
    let system = oid!(1, 3, 6, 1, 2, 1, 1);
    let scalars = [1, 3, 5].map(|n| system.extend(&[n, 0]).unwrap_or_default());
    let mut steps = Vec::new();

    let t = Instant::now();
    let rows = manager.get(&target, &v1, scalars.clone()).await?;
    steps.push(Step {
        title: "SNMPv1 GET sysDescr.0 sysUpTime.0 sysName.0".into(),
        rows,
        elapsed: t.elapsed(),
    });

    let t = Instant::now();
    let rows = collect(manager.walk(&target, &v2c, system.clone())).await?;
    steps.push(Step {
        title: "SNMPv2c walk (GETNEXT) of system".into(),
        rows,
        elapsed: t.elapsed(),
    });

    let if_descr = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2);
    let t = Instant::now();
    let rows = collect(manager.bulk_walk(&target, &v2c, if_descr, 10)).await?;
    steps.push(Step {
        title: "SNMPv2c bulk walk of IF-MIB::ifDescr".into(),
        rows,
        elapsed: t.elapsed(),
    });

    let t = Instant::now();
    let mut rows = manager
        .get(
            &target,
            &v3,
            [
                scalars[0].clone(),
                oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0),
                oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0),
            ],
        )
        .await?;
    steps.push(Step { title: format!("SNMPv3 authPriv (user {DEMO_USER}, SHA-256/AES-128) GET sysDescr.0 snmpEngineID.0 snmpEngineBoots.0"), rows: std::mem::take(&mut rows), elapsed: t.elapsed() });

    let t = Instant::now();
    let rows = collect(manager.bulk_walk(&target, &v3, oid!(1, 3, 6, 1, 2, 1, 31, 1, 1, 1, 6), 20))
        .await?;
    steps.push(Step {
        title: "SNMPv3 authPriv bulk walk of IF-MIB::ifHCInOctets".into(),
        rows,
        elapsed: t.elapsed(),
    });

    let t = Instant::now();
    let rows = collect(manager.bulk_walk(&target, &v3, oid!(1, 3, 6, 1, 2, 1, 25, 2, 3, 1, 3), 20))
        .await?;
    steps.push(Step {
        title: "SNMPv3 authPriv bulk walk of HOST-RESOURCES-MIB::hrStorageDescr".into(),
        rows,
        elapsed: t.elapsed(),
    });

    let mut total = 0;
    for step in &steps {
        writeln!(
            out,
            "\n# {} ({} bindings, {:.1} ms)",
            step.title,
            step.rows.len(),
            step.elapsed.as_secs_f64() * 1e3
        )?;
        let shown = if all { step.rows.len() } else { 8 };
        for vb in step.rows.iter().take(shown) {
            writeln!(out, "{vb}")?;
        }
        if step.rows.len() > shown {
            writeln!(
                out,
                "... {} more (--all prints them)",
                step.rows.len() - shown
            )?;
        }
        if step.rows.is_empty() || step.rows.iter().any(|vb| vb.value.is_exception()) {
            return Err(format!("'{}' came back incomplete", step.title).into());
        }
        total += step.rows.len();
    }
    let stats = agent.responder().stats();
    writeln!(
        out,
        "\nok: {total} bindings over SNMPv1, SNMPv2c and SNMPv3 authPriv; the agent received {} messages and sent {} ({} responses, the rest SNMPv3 discovery Reports)",
        stats.in_pkts, stats.out_pkts, stats.out_get_responses
    )?;
    agent.shutdown().await;
    Ok(())
}

async fn collect(mut walk: snmp_hlapi::Walk) -> Result<Vec<VarBind>, snmp_hlapi::Error> {
    let mut rows = Vec::new();
    while let Some(vb) = walk.next().await {
        rows.push(vb?);
    }
    Ok(rows)
}
