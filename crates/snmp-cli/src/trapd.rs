//! `snmp trapd` (net-snmp's `snmptrapd` in the foreground): receives notifications,
//! acknowledges informs, prints each notification as snmptrapd's default format does (or as
//! one JSON object with `--json`), and forwards them as its `forward` directive says.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};

use serde_json::{Map, Value as Json, json};
use snmp_hlapi::agent_config::ListenAddr;
use snmp_hlapi::{
    Auth, AuthProtocol, EngineId, Manager, NotificationKind, NotificationReceiver, Oid,
    PrivProtocol, ReceivedNotification, SecurityLevel, Target, UsmAuth, Value, VarBind, Version,
};
use tokio::sync::mpsc;

use crate::format::OutputOptions;
use crate::tools::hex_id;

const PROGRAM: &str = "snmptrapd";

/// The default configuration file, read unless `-C` is given.
const DEFAULT_CONFIG: &str = "/etc/snmp/snmptrapd.conf";

/// The command line.
#[derive(Debug, Default)]
struct Options {
    only_given_config: bool,
    config: Vec<String>,
    numeric: bool,
    json: bool,
    output: OutputOptions,
    listen: Vec<String>,
    /// The configuration files read (the default one and those of `-c`).
    files: Vec<String>,
}

/// The configuration's directives that matter.
#[derive(Debug, Default)]
struct Config {
    /// `authCommunity log...`: the communities whose notifications are logged.
    communities: Vec<String>,
    /// `authUser log... USER [LEVEL]`: the users and the least level logged.
    users: Vec<(String, SecurityLevel)>,
    /// `disableAuthorization yes`.
    disable_authorization: bool,
    /// `createUser`: the user, and the sending engine of `-e`.
    usm: Vec<(UsmAuth, Option<EngineId>)>,
    /// `snmpTrapdAddr`.
    listen: Vec<String>,
    /// `authCommunity ...net...`: the communities whose notifications may be forwarded.
    net_communities: Vec<String>,
    /// `authUser ...net...`.
    net_users: Vec<(String, SecurityLevel)>,
    /// `forward OID|default DESTINATION`, in order.
    forwards: Vec<(Selector, String)>,
}

/// Which notifications a `forward` line takes, by their snmpTrapOID.0.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Selector {
    /// `default`: every one.
    Any,
    /// `OID`: that one.
    Exact(Oid),
    /// `OID*`: that one and those under it.
    Tree(Oid),
    /// `OID.*`: those under it only.
    Under(Oid),
}

impl Selector {
    fn parse(text: &str) -> Option<Self> {
        if text == "default" {
            return Some(Self::Any);
        }
        let oid = |t: &str| t.trim_start_matches('.').parse::<Oid>().ok();
        if let Some(base) = text.strip_suffix(".*") {
            return oid(base).map(Self::Under);
        }
        if let Some(base) = text.strip_suffix('*') {
            return oid(base).map(Self::Tree);
        }
        oid(text).map(Self::Exact)
    }

    fn takes(&self, trap_oid: Option<&Oid>) -> bool {
        match (self, trap_oid) {
            (Self::Any, _) => true,
            (Self::Exact(o), Some(t)) => o == t,
            (Self::Tree(o), Some(t)) => t.starts_with(o),
            (Self::Under(o), Some(t)) => t.starts_with(o) && t.len() > o.len(),
            _ => false,
        }
    }
}

fn usage(err: &mut dyn Write) {
    let _ = write!(
        err,
        "Usage: {PROGRAM} [OPTIONS] [LISTENING ADDRESSES]\n\n\
         \x20 -h, --help\t\tdisplay this usage message\n\
         \x20 -c FILE\t\tread FILE as a configuration file\n\
         \x20 -C\t\t\tdo not read the default configuration files\n\
         \x20 -f\t\t\tdo not fork from the shell (always: this receiver stays in the foreground)\n\
         \x20 -L o|e\t\tlog to standard output (default) or standard error\n\
         \x20 -n\t\t\tuse numeric addresses instead of attempting hostname lookups\n\
         \x20 -O OUTOPTS\t\ttoggle options controlling output display (n f s q Q v x a t T)\n\
         \x20 --json\t\tprint one JSON object per notification\n\
         \x20 LISTENING ADDRESSES\tudp:162 (default), udp:127.0.0.1:1162, udp6:[::1]:1162\n"
    );
}

/// getopt-style parsing of snmptrapd's options; `Err(Some(status))` to exit.
fn parse(args: &[String], err: &mut dyn Write) -> Result<Options, u8> {
    const WITH_VALUE: &str = "cLOmMpFDAuTx";
    let mut o = Options::default();
    let mut log_to_err = false;
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            o.listen.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "json" => o.json = true,
                _ if long.eq_ignore_ascii_case("help") => {
                    usage(err);
                    return Err(0);
                }
                _ => {}
            }
            continue;
        }
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            o.listen.push(arg.clone());
            continue;
        };
        for (at, c) in letters.char_indices() {
            if !WITH_VALUE.contains(c) {
                match c {
                    'C' => o.only_given_config = true,
                    'n' => o.numeric = true,
                    'h' => {
                        usage(err);
                        return Err(0);
                    }
                    'f' | 'a' | 'd' | 't' | 'q' | 'V' | 'H' => {}
                    _ => {
                        let _ = writeln!(err, "{PROGRAM}: invalid option -- '{c}'");
                        usage(err);
                        return Err(1);
                    }
                }
                continue;
            }
            let rest = &letters[at + c.len_utf8()..];
            let value = if rest.is_empty() {
                let Some(v) = args.get(i) else {
                    let _ = writeln!(err, "{PROGRAM}: option requires an argument -- '{c}'");
                    usage(err);
                    return Err(1);
                };
                i += 1;
                v.clone()
            } else {
                rest.to_owned()
            };
            match c {
                'c' => o.config.extend(
                    value
                        .split(',')
                        .filter(|f| !f.is_empty())
                        .map(str::to_owned),
                ),
                'L' => log_to_err = value.starts_with('e'),
                'O' => {
                    if let Err(c) = o.output.apply(&value) {
                        let _ = writeln!(err, "Unknown output option passed to -O: {c}.");
                        usage(err);
                        return Err(1);
                    }
                }
                _ => {}
            }
            break;
        }
    }
    // Everything goes to standard output; -Le is accepted, not honoured.
    let _ = log_to_err;
    Ok(o)
}

/// The SNMP-side name of an authentication or privacy protocol, as `createUser` takes it.
fn auth_protocol(name: &str) -> Option<AuthProtocol> {
    name.to_ascii_uppercase().parse().ok()
}

fn priv_protocol(name: &str) -> Option<PrivProtocol> {
    name.to_ascii_uppercase().parse().ok()
}

/// `createUser [-e ENGINEID] USER AUTHPROTO AUTHPASS [PRIVPROTO [PRIVPASS]]`.
fn create_user(args: &[&str]) -> Result<(UsmAuth, Option<EngineId>), String> {
    let mut args = args;
    let mut engine = None;
    if let [flag, id, rest @ ..] = args
        && *flag == "-e"
    {
        let octets = hex_id(id).ok_or_else(|| format!("bad engine ID: {id}"))?;
        engine = Some(EngineId::new(octets).map_err(|e| e.to_string())?);
        args = rest;
    }
    let [user, rest @ ..] = args else {
        return Err("no user name".to_owned());
    };
    let mut usm = UsmAuth::new(user.as_bytes().to_vec());
    if let [proto, pass, rest @ ..] = rest {
        let proto = auth_protocol(proto)
            .ok_or_else(|| format!("unknown authentication protocol {proto}"))?;
        usm = usm.auth(proto, *pass).map_err(|e| e.to_string())?;
        if let [privacy, more @ ..] = rest {
            let privacy = priv_protocol(privacy)
                .ok_or_else(|| format!("unknown privacy protocol {privacy}"))?;
            let priv_pass = more.first().copied().unwrap_or(pass);
            usm = usm.privacy(privacy, priv_pass).map_err(|e| e.to_string())?;
        }
    }
    Ok((usm, engine))
}

/// Reads the configuration text of `file`, printing snmptrapd's warnings for the lines it
/// does not use.
fn read_config(config: &mut Config, file: &str, text: &str, err: &mut dyn Write) {
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some((&token, args)) = words.split_first() else {
            continue;
        };
        let number = n + 1;
        let mut warn = |what: &str| {
            let _ = writeln!(err, "{file}: line {number}: Warning: {what}");
        };
        match token {
            "authCommunity" => match args {
                [types, community, ..] => {
                    if types.split(',').any(|t| t == "log") {
                        config.communities.push((*community).to_owned());
                    }
                    if types.split(',').any(|t| t == "net") {
                        config.net_communities.push((*community).to_owned());
                    }
                }
                _ => warn("authCommunity: needs TYPES COMMUNITY"),
            },
            "authUser" => match args {
                [types, user, rest @ ..] => {
                    let level = match rest.first().map(|l| l.to_ascii_lowercase()).as_deref() {
                        Some("auth") => SecurityLevel::AuthNoPriv,
                        Some("priv") => SecurityLevel::AuthPriv,
                        _ => SecurityLevel::NoAuthNoPriv,
                    };
                    if types.split(',').any(|t| t == "log") {
                        config.users.push(((*user).to_owned(), level));
                    }
                    if types.split(',').any(|t| t == "net") {
                        config.net_users.push(((*user).to_owned(), level));
                    }
                }
                _ => warn("authUser: needs TYPES USER"),
            },
            "disableAuthorization" => {
                config.disable_authorization = args
                    .first()
                    .is_some_and(|v| v.eq_ignore_ascii_case("yes") || *v == "1");
            }
            "createUser" => match create_user(args) {
                Ok(u) => config.usm.push(u),
                Err(e) => warn(&format!("createUser: {e}")),
            },
            "forward" => match args {
                [selector, destination] => match Selector::parse(selector) {
                    Some(s) => config.forwards.push((s, (*destination).to_owned())),
                    None => warn(&format!("Bad trap OID in forward directive: {selector}")),
                },
                _ => warn("forward: needs OID|default DESTINATION"),
            },
            "snmpTrapdAddr" => {
                config.listen.extend(
                    args.iter()
                        .flat_map(|a| a.split(','))
                        .filter(|a| !a.is_empty())
                        .map(str::to_owned),
                );
            }
            _ => warn(&format!("Unknown token: {token}.")),
        }
    }
}

/// The first name of each address in /etc/hosts (snmptrapd's reverse lookup, without DNS).
fn hosts() -> HashMap<IpAddr, String> {
    let mut map = HashMap::new();
    let Ok(text) = std::fs::read_to_string("/etc/hosts") else {
        return map;
    };
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        let (Some(addr), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        if let Ok(ip) = addr.parse::<IpAddr>() {
            map.entry(ip).or_insert_with(|| name.to_owned());
        }
    }
    map
}

/// Runs `snmp trapd` with `args` (after the program or subcommand name).
pub(crate) fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut o = match parse(args, err) {
        Ok(o) => o,
        Err(status) => return status,
    };
    let mut files = o.config.clone();
    if !o.only_given_config && std::path::Path::new(DEFAULT_CONFIG).exists() {
        files.insert(0, DEFAULT_CONFIG.to_owned());
    }
    o.files.clone_from(&files);
    let mut config = Config::default();
    for file in &files {
        match std::fs::read_to_string(file) {
            Ok(text) => read_config(&mut config, file, &text, err),
            Err(e) => {
                let _ = writeln!(err, "{PROGRAM}: cannot read {file}: {e}");
                return 1;
            }
        }
    }
    let mut listen = o.listen.clone();
    if listen.is_empty() {
        listen.clone_from(&config.listen);
    }
    if listen.is_empty() {
        listen.push("udp:162".to_owned());
    }
    let mut addrs = Vec::new();
    for l in listen.iter().flat_map(|l| l.split(',')) {
        match l.parse::<ListenAddr>() {
            Ok(a) => addrs.push(a.addr),
            Err(e) => {
                let _ = writeln!(err, "{PROGRAM}: bad listening address '{l}': {e}");
                return 1;
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "{PROGRAM}: cannot start the runtime: {e}");
            return 1;
        }
    };
    runtime.block_on(serve(&o, &config, &addrs, out, err))
}

async fn serve(
    o: &Options,
    config: &Config,
    addrs: &[SocketAddr],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    let mut builder = NotificationReceiver::builder();
    if !config.disable_authorization {
        for c in &config.communities {
            builder.community(c.clone().into_bytes());
        }
        if config.communities.is_empty() {
            // No community is logged, so none is acknowledged either: accept only one that
            // no datagram can carry (longer than the largest UDP payload).
            builder.community(vec![0u8; 65_536]);
        }
        if config.communities.is_empty() && config.users.is_empty() {
            let _ = writeln!(
                err,
                "Warning: no access control information configured.\n\
                 \x20 (Config files read: {})\n\
                 This receiver will *NOT* accept any incoming notifications.",
                if o.files.is_empty() {
                    "none".to_owned()
                } else {
                    o.files.join(", ")
                }
            );
        }
    }
    let mut learn = false;
    for (user, engine) in &config.usm {
        match engine {
            Some(e) => {
                builder.user_for_engine(user, e.clone());
            }
            None => {
                builder.user(user);
                learn = true;
            }
        }
    }
    builder.learn_engine_ids(learn);
    let (tx, mut rx) = mpsc::channel::<(SocketAddr, ReceivedNotification)>(64);
    for addr in addrs {
        let mut receiver = match builder.bind(*addr).await {
            Ok(r) => r,
            Err(e) => {
                let (errno, text) = match &e {
                    snmp_hlapi::Error::Bind(io) => {
                        let text = io.to_string();
                        let text = text
                            .split(" (os error")
                            .next()
                            .unwrap_or_default()
                            .to_owned();
                        (io.raw_os_error().unwrap_or(0), text)
                    }
                    other => (0, other.to_string()),
                };
                let _ = writeln!(
                    err,
                    "couldn't open udp:{addr} -- errno {errno} (\"{text}\")"
                );
                return 1;
            }
        };
        let tx = tx.clone();
        tokio::spawn(async move {
            let local = receiver.local_addr();
            while let Some(n) = receiver.next().await {
                if tx.send((local, n)).await.is_err() {
                    break;
                }
            }
        });
    }
    drop(tx);
    let version = env!("CARGO_PKG_VERSION");
    if o.json {
        let _ = writeln!(err, "snmp trapd {version}");
    } else {
        let _ = writeln!(out, "snmp trapd {version}");
    }
    let _ = out.flush();
    let hosts = if o.numeric { HashMap::new() } else { hosts() };
    let forwarder = if config.forwards.is_empty() {
        None
    } else {
        match Manager::new().await {
            Ok(m) => Some(m),
            Err(e) => {
                let _ = writeln!(err, "{PROGRAM}: cannot forward: {e}");
                return 1;
            }
        }
    };
    let mut warned_v3 = false;
    let stop = stop_signal();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            got = rx.recv() => {
                let Some((local, n)) = got else { break };
                if let Some(manager) = &forwarder {
                    if n.version == Version::V3 {
                        if !warned_v3 && config.forwards.iter().any(|(s, _)| s.takes(trap_oid(&n))) {
                            warned_v3 = true;
                            let _ = writeln!(
                                err,
                                "{PROGRAM}: forward: SNMPv3 notifications are not forwarded \
                                 (no credentials for the destination)"
                            );
                        }
                    } else if permitted(config, &n, true) {
                        forward(manager, config, &n);
                    }
                }
                if !authorized(config, &n) {
                    continue;
                }
                let text = if o.json {
                    format!("{}\n", to_json(&n, local))
                } else {
                    render(&o.output, &hosts, &n, local, &timestamp())
                };
                let _ = out.write_all(text.as_bytes());
                let _ = out.flush();
            }
        }
    }
    if !o.json {
        let _ = writeln!(out, "{} snmp trapd {version} Stopped.", timestamp());
    }
    let _ = out.flush();
    0
}

/// Ctrl-C or SIGTERM.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// snmptrapd's access control: `authCommunity log` for SNMPv1 and SNMPv2c, `authUser log` for
/// SNMPv3, unless `disableAuthorization yes`.
fn authorized(config: &Config, n: &ReceivedNotification) -> bool {
    permitted(config, n, false)
}

/// [`authorized`] for logging, or (`net`) for forwarding: the `net` type of `authCommunity`
/// and `authUser`.
fn permitted(config: &Config, n: &ReceivedNotification, net: bool) -> bool {
    if config.disable_authorization {
        return true;
    }
    let (communities, users) = if net {
        (&config.net_communities, &config.net_users)
    } else {
        (&config.communities, &config.users)
    };
    if n.version == Version::V3 {
        users
            .iter()
            .any(|(u, level)| u.as_bytes() == &n.security_name[..] && n.security_level >= *level)
    } else {
        communities
            .iter()
            .any(|c| c.as_bytes() == &n.security_name[..])
    }
}

/// snmpTrapOID.0 of a notification (its SNMPv2 form).
fn trap_oid(n: &ReceivedNotification) -> Option<&Oid> {
    n.varbinds.iter().find_map(|vb| match &vb.value {
        Value::ObjectIdentifier(o)
            if vb.oid == snmp_hlapi::oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0) =>
        {
            Some(o)
        }
        _ => None,
    })
}

/// net-snmp's `forward`: an SNMPv1 or SNMPv2c notification goes on to each destination whose
/// selector takes it, as it came (the same version, community and PDU: a Trap-PDU, an
/// SNMPv2-Trap, an InformRequest), in a task of its own; a destination that fails loses it.
fn forward(manager: &Manager, config: &Config, n: &ReceivedNotification) {
    let oid = trap_oid(n).cloned();
    for (selector, destination) in &config.forwards {
        if !selector.takes(oid.as_ref()) {
            continue;
        }
        let manager = manager.clone();
        let destination = destination.clone();
        let n = n.clone();
        let oid = oid.clone();
        tokio::spawn(async move {
            let Ok(target) = forward_target(&destination).await else {
                return;
            };
            let community = n.security_name.clone();
            let _ = match (&n.v1_trap, oid) {
                (Some(trap), _) => {
                    manager
                        .send_v1_trap(&target, &Auth::community_v1(community), (**trap).clone())
                        .await
                }
                (None, Some(oid)) => {
                    // sysUpTime.0 as received; snmpTrapOID.0 is the trap OID given.
                    let rest: Vec<VarBind> = n
                        .varbinds
                        .iter()
                        .filter(|vb| vb.oid != snmp_hlapi::oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0))
                        .cloned()
                        .collect();
                    manager
                        .send_notification(
                            &target,
                            &Auth::community_v2c(community),
                            n.kind,
                            oid,
                            rest,
                        )
                        .await
                }
                (None, None) => return,
            };
        });
    }
}

/// A `forward` destination: `[udp:]HOST[:PORT]`, port 162 unless given.
async fn forward_target(destination: &str) -> Result<Target, snmp_hlapi::AddrError> {
    let host = destination.strip_prefix("udp:").unwrap_or(destination);
    let named_port = host
        .rsplit_once(':')
        .is_some_and(|(h, p)| !h.is_empty() && !h.ends_with(':') && p.parse::<u16>().is_ok());
    let with_port = if named_port || host.starts_with('[') && host.contains("]:") {
        host.to_owned()
    } else if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]:162")
    } else {
        format!("{host}:162")
    };
    Target::resolve(&with_port).await
}

/// The local time as snmptrapd prints it (`2026-11-23 12:00:00`), in UTC.
fn timestamp() -> String {
    // The wall clock is the data here: the time a notification was logged.
    #[allow(clippy::disallowed_methods)]
    let now = std::time::SystemTime::now();
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Howard Hinnant's `civil_from_days`: the date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `UDP: [127.0.0.1]:40000->[127.0.0.1]:162`: the sender and the address that received it
/// (an unspecified listening address shows as the loopback when the sender is local);
/// `UDP/IPv6: [::1]:40000`.
fn transport(from: SocketAddr, local: SocketAddr) -> String {
    let mut to = local;
    if to.ip().is_unspecified() && from.ip().is_loopback() {
        to.set_ip(from.ip());
    }
    if from.is_ipv6() {
        // snmptrapd shows no destination for IPv6.
        return format!("UDP/IPv6: [{}]:{}", from.ip(), from.port());
    }
    format!(
        "UDP: [{}]:{}->[{}]:{}",
        from.ip(),
        from.port(),
        to.ip(),
        to.port()
    )
}

/// net-snmp's names of the generic traps.
fn generic_name(generic: i32) -> &'static str {
    match generic {
        0 => "Cold Start",
        1 => "Warm Start",
        2 => "Link Down",
        3 => "Link Up",
        4 => "Authentication Failure",
        5 => "EGP Neighbor Loss",
        6 => "Enterprise Specific",
        _ => "Unknown Type",
    }
}

/// A notification in snmptrapd's default format: for SNMPv1 traps, a header, the enterprise
/// line and the bindings on one line, each after a tab; for the others, a header and the
/// bindings on one line, separated by tabs.
fn render(
    output: &OutputOptions,
    hosts: &HashMap<IpAddr, String>,
    n: &ReceivedNotification,
    local: SocketAddr,
    time: &str,
) -> String {
    let via = transport(n.from, local);
    if let Some(trap) = &n.v1_trap {
        let [a, b, c, d] = trap.agent_addr;
        let agent = format!("{a}.{b}.{c}.{d}");
        let uptime = Value::TimeTicks(trap.time_stamp).to_string();
        let uptime = uptime.split_once(") ").map_or(uptime.as_str(), |x| x.1);
        let mut s = format!(
            "{time} {agent} [{agent}] (via {via}) TRAP, SNMP v1, community {}\n\t{} {} Trap ({}) Uptime: {uptime}\n",
            String::from_utf8_lossy(&n.security_name),
            output.oid(&trap.enterprise),
            generic_name(trap.generic_trap.0),
            trap.specific_trap,
        );
        for vb in &trap.varbinds {
            s.push('\t');
            s.push_str(&output.varbind(vb));
        }
        s.push('\n');
        return s;
    }
    let ip = n.from.ip();
    // snmptrapd names an IPv6 sender it cannot look up `<UNKNOWN>`.
    let host = hosts.get(&ip).cloned().unwrap_or_else(|| {
        if ip.is_ipv6() {
            "<UNKNOWN>".to_owned()
        } else {
            ip.to_string()
        }
    });
    let bindings: Vec<String> = n.varbinds.iter().map(|vb| output.varbind(vb)).collect();
    format!("{time} {host} [{via}]:\n{}\n", bindings.join("\t"))
}

/// `--json`: one object per notification.
fn to_json(n: &ReceivedNotification, local: SocketAddr) -> Json {
    let mut m = Map::new();
    m.insert("time".into(), json!(timestamp()));
    m.insert("from".into(), json!(n.from.to_string()));
    m.insert("to".into(), json!(local.to_string()));
    let version = match n.version {
        Version::V1 => "1",
        Version::V2c => "2c",
        _ => "3",
    };
    m.insert("version".into(), json!(version));
    let kind = if n.kind == NotificationKind::Inform {
        "inform"
    } else {
        "trap"
    };
    m.insert("kind".into(), json!(kind));
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
    if n.version == Version::V3 {
        let level = match n.security_level {
            SecurityLevel::NoAuthNoPriv => "noAuthNoPriv",
            SecurityLevel::AuthNoPriv => "authNoPriv",
            _ => "authPriv",
        };
        m.insert(
            "user".into(),
            json!(String::from_utf8_lossy(&n.security_name)),
        );
        m.insert("securityLevel".into(), json!(level));
        m.insert("engineID".into(), json!(hex(&n.engine_id)));
        m.insert("contextEngineID".into(), json!(hex(&n.context_engine_id)));
        m.insert(
            "contextName".into(),
            json!(String::from_utf8_lossy(&n.context_name)),
        );
    } else {
        m.insert(
            "community".into(),
            json!(String::from_utf8_lossy(&n.security_name)),
        );
    }
    if let Some(t) = &n.v1_trap {
        let [a, b, c, d] = t.agent_addr;
        m.insert("enterprise".into(), json!(t.enterprise.to_string()));
        m.insert("agentAddr".into(), json!(format!("{a}.{b}.{c}.{d}")));
        m.insert("genericTrap".into(), json!(t.generic_trap.0));
        m.insert("specificTrap".into(), json!(t.specific_trap));
        m.insert("timeStamp".into(), json!(t.time_stamp));
    } else {
        m.insert("requestID".into(), json!(n.request_id));
    }
    m.insert(
        "varbinds".into(),
        Json::Array(n.varbinds.iter().map(crate::decode::varbind).collect()),
    );
    Json::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }

    #[test]
    fn forward_selectors() {
        let o = |t: &str| t.parse::<Oid>().unwrap();
        let mut c = Config::default();
        let mut err = Vec::new();
        read_config(
            &mut c,
            "t.conf",
            "forward default h1\nforward .1.3.6.1.4* h2\nforward 1.3.6.1.4.* h3\n\
             forward 1.3.6.1.6.3.1.1.5.1 udp:h4:1162\nforward x.y h5\nforward default\n",
            &mut err,
        );
        let takes = |i: usize, oid: &str| c.forwards[i].0.takes(Some(&o(oid)));
        assert_eq!(c.forwards.len(), 4);
        assert!(takes(0, "1.3") && c.forwards[0].0.takes(None));
        assert!(takes(1, "1.3.6.1.4") && takes(1, "1.3.6.1.4.1.9"));
        assert!(!takes(2, "1.3.6.1.4") && takes(2, "1.3.6.1.4.1.9"));
        assert!(takes(3, "1.3.6.1.6.3.1.1.5.1") && !takes(3, "1.3.6.1.6.3.1.1.5.1.0"));
        assert_eq!(c.forwards[3].1, "udp:h4:1162");
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "t.conf: line 5: Warning: Bad trap OID in forward directive: x.y\n\
             t.conf: line 6: Warning: forward: needs OID|default DESTINATION\n"
        );
    }

    #[test]
    fn config_directives_and_warnings() {
        let mut c = Config::default();
        let mut err = Vec::new();
        read_config(
            &mut c,
            "t.conf",
            "authCommunity log,execute,net public\n# comment\n\
             createUser -e 0x8000000001020304 u1 SHA authpass1 AES privpass1\n\
             createUser u2 MD5 authpass2\nauthUser log u2 auth\ndisableAuthorization yes\nfoo bar\n",
            &mut err,
        );
        assert_eq!(c.communities, ["public"]);
        assert_eq!(c.usm.len(), 2);
        assert!(c.usm[0].1.is_some());
        assert!(c.usm[1].1.is_none());
        assert_eq!(c.users, [("u2".to_owned(), SecurityLevel::AuthNoPriv)]);
        assert!(c.disable_authorization);
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "t.conf: line 7: Warning: Unknown token: foo.\n"
        );
    }

    #[test]
    fn options() {
        let args: Vec<String> = ["-f", "-Lo", "-C", "-c", "a.conf,b.conf", "-n", "udp:1162"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let o = parse(&args, &mut Vec::new()).unwrap();
        assert!(o.only_given_config && o.numeric);
        assert_eq!(o.config, ["a.conf", "b.conf"]);
        assert_eq!(o.listen, ["udp:1162"]);
        assert_eq!(parse(&["-z".to_owned()], &mut Vec::new()).unwrap_err(), 1);
    }

    #[test]
    fn transport_text() {
        let from: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        let local: SocketAddr = "0.0.0.0:162".parse().unwrap();
        assert_eq!(
            transport(from, local),
            "UDP: [127.0.0.1]:40000->[127.0.0.1]:162"
        );
        let from: SocketAddr = "[::1]:40000".parse().unwrap();
        let local: SocketAddr = "[::1]:162".parse().unwrap();
        assert_eq!(transport(from, local), "UDP/IPv6: [::1]:40000");
    }
}
