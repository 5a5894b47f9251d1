//! net-snmp's command-line tools: `snmpget`, `snmpgetnext`, `snmpbulkget`, `snmpset`,
//! `snmpwalk` and `snmpbulkwalk`, with their getopt-style options, output and exit statuses
//! (`snmp get ARGS` or a link named `snmpget`).

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use snmp_hlapi::{
    Auth, AuthProtocol, EngineId, Error, ErrorStatus, Manager, ManagerConfig, Oid, PrivProtocol,
    RequestError, SecurityLevel, Target, UsmAuth, Value, VarBind,
};

use crate::format::OutputOptions;

/// One of the tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tool {
    Get,
    GetNext,
    BulkGet,
    Set,
    Walk,
    BulkWalk,
    Trap,
    Inform,
    Table,
}

const TOOLS: [(Tool, &str, &str); 9] = [
    (Tool::Get, "get", "snmpget"),
    (Tool::GetNext, "getnext", "snmpgetnext"),
    (Tool::BulkGet, "bulkget", "snmpbulkget"),
    (Tool::Set, "set", "snmpset"),
    (Tool::Walk, "walk", "snmpwalk"),
    (Tool::BulkWalk, "bulkwalk", "snmpbulkwalk"),
    (Tool::Trap, "trap", "snmptrap"),
    (Tool::Inform, "inform", "snmpinform"),
    (Tool::Table, "table", "snmptable"),
];

impl Tool {
    /// The tool of a subcommand name (`get`).
    pub(crate) fn from_subcommand(name: &str) -> Option<Self> {
        TOOLS.iter().find(|t| t.1 == name).map(|t| t.0)
    }

    /// The tool of a program name (`snmpget`).
    pub(crate) fn from_program(name: &str) -> Option<Self> {
        TOOLS.iter().find(|t| t.2 == name).map(|t| t.0)
    }

    pub(crate) fn program(self) -> &'static str {
        TOOLS.iter().find(|t| t.0 == self).map_or("snmp", |t| t.2)
    }

    /// Whether the tool sends notifications (default port 162).
    fn notifies(self) -> bool {
        matches!(self, Self::Trap | Self::Inform)
    }

    /// Whether the first operand ends the options, as net-snmp's snmpset, snmptrap and
    /// snmpinform have it (a value may then start with `-`: `i -5`, `s -x`); its other tools
    /// take options after operands too.
    fn options_end_at_first_operand(self) -> bool {
        matches!(self, Self::Set | Self::Trap | Self::Inform)
    }

    fn operands(self) -> &'static str {
        match self {
            Self::Set => "AGENT OID TYPE VALUE [OID TYPE VALUE]...",
            Self::Walk | Self::BulkWalk => "AGENT [OID]",
            Self::Trap | Self::Inform => "AGENT TRAP-PARAMETERS",
            Self::Table => "AGENT TABLE-OID",
            _ => "AGENT OID [OID]...",
        }
    }
}

/// Exit statuses, as net-snmp's tools have them.
pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_FAIL: u8 = 1;
pub(crate) const EXIT_PACKET: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Version {
    V1,
    V2c,
    V3,
}

/// Everything the command line sets.
#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) version: Version,
    community: Option<String>,
    user: Option<String>,
    level: SecurityLevel,
    auth_protocol: AuthProtocol,
    auth_pass: Option<String>,
    priv_protocol: PrivProtocol,
    priv_pass: Option<String>,
    context: Option<String>,
    context_engine_id: Option<Vec<u8>>,
    /// `-e`: the sender's engine ID of SNMPv3 traps.
    pub(crate) engine_id: Option<Vec<u8>>,
    /// snmptrap's `-Ci`: send an inform.
    pub(crate) inform: bool,
    retries: u32,
    timeout: f64,
    pub(crate) output: OutputOptions,
    /// `-m` and `-M`.
    pub(crate) mibs: crate::mibs::MibOptions,
    json: bool,
    // -C
    include_requested: bool,
    dont_get_requested: bool,
    print_count: bool,
    dont_check: bool,
    dont_fix: bool,
    quiet: bool,
    end: Option<String>,
    repetitions: u32,
    non_repeaters: u32,
    /// snmptable's `-C` settings.
    pub(crate) table: crate::table::TableOptions,
    pub(crate) operands: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            version: Version::V3,
            community: None,
            user: None,
            level: SecurityLevel::NoAuthNoPriv,
            auth_protocol: AuthProtocol::Md5,
            auth_pass: None,
            priv_protocol: PrivProtocol::Des,
            priv_pass: None,
            context: None,
            context_engine_id: None,
            engine_id: None,
            inform: false,
            retries: 5,
            timeout: 1.0,
            output: OutputOptions::default(),
            mibs: crate::mibs::MibOptions::default(),
            json: false,
            include_requested: false,
            dont_get_requested: false,
            print_count: false,
            dont_check: false,
            dont_fix: false,
            quiet: false,
            end: None,
            repetitions: 10,
            non_repeaters: 0,
            table: crate::table::TableOptions::default(),
            operands: Vec::new(),
        }
    }
}

/// snmp.conf's `def*`, `retries` and `timeout` directives, as the options they stand for:
/// what the command line then overrides.
const DEFAULTS: [(&str, char); 11] = [
    ("defversion", 'v'),
    ("defcommunity", 'c'),
    ("defsecurityname", 'u'),
    ("defsecuritylevel", 'l'),
    ("defauthtype", 'a'),
    ("defauthpassphrase", 'A'),
    ("defprivtype", 'x'),
    ("defprivpassphrase", 'X'),
    ("defcontext", 'n'),
    ("retries", 'r'),
    ("timeout", 't'),
];

/// Applies those directives of the snmp.conf files; a bad one is a warning and is skipped.
fn defaults(tool: Tool, o: &mut Options) {
    let keys: Vec<&str> = DEFAULTS.iter().map(|(k, _)| *k).collect();
    for (key, value) in crate::mibs::snmp_conf(&keys) {
        let Some(&(_, c)) = DEFAULTS.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        if option(tool, o, c, &value).is_err() {
            eprintln!("snmp.conf: ignoring {key} {value}");
        }
    }
}

/// Why the command line is refused, and where net-snmp prints the usage text.
enum Usage {
    /// `-h`, `--help`: the usage alone.
    Help,
    /// A bad value with no message of its own (`-Cr` without digits): the usage alone.
    Plain,
    /// The message, then the usage.
    Before(String),
    /// The usage, then the message (snmptable's bad `-Cw`, `-Cc`, `-Cr` values).
    After(String),
    /// The message alone (an unknown `-C` letter).
    Alone(String),
}

/// The options that take a value (net-snmp's `snmp_parse_args` plus the tools' `-C`).
const WITH_VALUE: &str = "YmMOIPDvrtcZeEnulxXaApT-3LsC";

/// Parses the command line (GNU getopt: options may follow operands, `--` ends them; for
/// snmpset, snmptrap and snmpinform, the first operand ends them).
fn parse(tool: Tool, args: &[String]) -> Result<Options, Usage> {
    let mut o = Options::default();
    defaults(tool, &mut o);
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        i += 1;
        if arg == "--" {
            o.operands.extend(args.iter().skip(i).cloned());
            break;
        }
        if let Some(long) = arg.strip_prefix("--") {
            match long {
                "json" => o.json = true,
                _ if long.eq_ignore_ascii_case("help") => return Err(Usage::Help),
                // net-snmp takes any other as a configuration directive.
                _ => {}
            }
            continue;
        }
        let Some(letters) = arg.strip_prefix('-').filter(|l| !l.is_empty()) else {
            o.operands.push(arg.clone());
            if tool.options_end_at_first_operand() {
                // snmpset's and snmptrap's options end at the agent (net-snmp's getopt does
                // not permute there): a value may be negative (`i -5`).
                o.operands.extend(args.iter().skip(i).cloned());
                break;
            }
            continue;
        };
        for (at, c) in letters.char_indices() {
            if !WITH_VALUE.contains(c) {
                flag(tool, c)?;
                continue;
            }
            let rest = &letters[at + c.len_utf8()..];
            let value = if rest.is_empty() {
                let Some(v) = args.get(i) else {
                    return Err(Usage::Before(format!(
                        "{}: option requires an argument -- '{c}'",
                        tool.program()
                    )));
                };
                i += 1;
                v.clone()
            } else {
                rest.to_owned()
            };
            if c == 'C' && tool == Tool::Table {
                // snmptable's -Cf SEP, -Cw WIDTH, -Cc WIDTH, -Cr N take the next arguments.
                for letter in value.chars().filter(|l| "fwcr".contains(*l)) {
                    let Some(v) = args.get(i) else {
                        return Err(usage(format!("-C{letter} needs a value")));
                    };
                    i += 1;
                    o.table.set(letter, v).map_err(Usage::After)?;
                }
            } else if c == 'C' && value.contains('E') {
                // -CE takes the end OID from the next argument.
                o.end = args.get(i).cloned();
                i += 1;
            }
            option(tool, &mut o, c, &value)?;
            break;
        }
    }
    Ok(o)
}

/// An option without a value.
fn flag(tool: Tool, c: char) -> Result<(), Usage> {
    match c {
        'h' => Err(Usage::Help),
        'H' | 'd' | 'V' => Ok(()),
        _ => Err(Usage::Before(format!(
            "{}: invalid option -- '{c}'",
            tool.program()
        ))),
    }
}

fn usage(message: impl Into<String>) -> Usage {
    Usage::Before(message.into())
}

fn option(tool: Tool, o: &mut Options, c: char, v: &str) -> Result<(), Usage> {
    match c {
        'v' => {
            o.version = match v {
                "1" => Version::V1,
                _ if v.eq_ignore_ascii_case("2c") => Version::V2c,
                "3" => Version::V3,
                _ => {
                    return Err(usage(format!(
                        "Invalid version specified after -v flag: {v}"
                    )));
                }
            }
        }
        'c' => o.community = Some(v.to_owned()),
        'u' => o.user = Some(v.to_owned()),
        'l' => {
            o.level = match v {
                _ if v.eq_ignore_ascii_case("noAuthNoPriv")
                    || v == "1"
                    || v.eq_ignore_ascii_case("nanp")
                    || v.eq_ignore_ascii_case("noauth") =>
                {
                    SecurityLevel::NoAuthNoPriv
                }
                _ if v.eq_ignore_ascii_case("authNoPriv")
                    || v == "2"
                    || v.eq_ignore_ascii_case("anp")
                    || v.eq_ignore_ascii_case("auth") =>
                {
                    SecurityLevel::AuthNoPriv
                }
                _ if v.eq_ignore_ascii_case("authPriv")
                    || v == "3"
                    || v.eq_ignore_ascii_case("ap")
                    || v.eq_ignore_ascii_case("priv") =>
                {
                    SecurityLevel::AuthPriv
                }
                _ => {
                    return Err(usage(format!(
                        "Invalid security level specified after -3l flag: {v}"
                    )));
                }
            }
        }
        'a' => {
            o.auth_protocol = v.to_ascii_uppercase().parse().map_err(|_| {
                usage(format!(
                    "Invalid authentication protocol specified after -3a flag: {v}"
                ))
            })?;
        }
        'x' => {
            o.priv_protocol = v.to_ascii_uppercase().parse().map_err(|_| {
                usage(format!(
                    "Invalid privacy protocol specified after -3x flag: {v}"
                ))
            })?;
        }
        'A' => o.auth_pass = Some(v.to_owned()),
        'X' => o.priv_pass = Some(v.to_owned()),
        'n' => o.context = Some(v.to_owned()),
        'E' => o.context_engine_id = Some(engine_id_arg(v, 'E')?),
        // The agent's engine ID (no discovery); snmptrap's is the sender's own.
        'e' => o.engine_id = Some(engine_id_arg(v, 'e')?),
        't' => {
            let t: f64 = v.trim().parse().unwrap_or(0.0);
            if !(t > 0.0 && t.is_finite()) {
                return Err(usage("Invalid timeout in seconds after -t flag."));
            }
            o.timeout = t;
        }
        'r' => {
            o.retries = v
                .parse()
                .ok()
                .filter(|_| v.starts_with(|c: char| c.is_ascii_digit()))
                .ok_or_else(|| usage("Invalid number of retries after -r flag."))?;
        }
        'O' => {
            o.output
                .apply(v)
                .map_err(|c| usage(format!("Unknown output option passed to -O: {c}.")))?;
        }
        'C' => app_options(tool, o, v)?,
        'm' => o.mibs.modules = Some(v.to_owned()),
        'M' => o.mibs.dirs = Some(v.to_owned()),
        'p' => {
            return Err(usage(
                "Warning: -p option is no longer used - specify the remote host as HOST:PORT",
            ));
        }
        // Input and parse options (-I -P), debugging (-D), logging
        // (-L), transport settings (-T), configuration directives (-Y), engine boots and
        // time (-Z), -3 and -s: accepted, not used.
        _ => {}
    }
    Ok(())
}

/// `-C` letters, which differ by tool.
fn app_options(tool: Tool, o: &mut Options, v: &str) -> Result<(), Usage> {
    let bad = |c: char| {
        if tool == Tool::Table {
            usage(format!("Bad option after -C: {c}"))
        } else {
            Usage::Alone(format!("Unknown flag passed to -C: {c}"))
        }
    };
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match (tool, c) {
            (Tool::Walk | Tool::BulkWalk, 'i') => o.include_requested = !o.include_requested,
            (Tool::Walk, 'I') => o.dont_get_requested = !o.dont_get_requested,
            (Tool::Walk | Tool::BulkWalk, 'p') => o.print_count = !o.print_count,
            (Tool::Walk | Tool::BulkWalk, 'c') => o.dont_check = !o.dont_check,
            (Tool::Walk, 't' | 'T' | 'E') => {}
            (Tool::Get | Tool::GetNext, 'f') => o.dont_fix = !o.dont_fix,
            (Tool::Set, 'q') => o.quiet = true,
            (Tool::Trap, 'i') => o.inform = true,
            (Tool::Table, _) if o.table.flag(c) => {}
            (Tool::BulkWalk | Tool::BulkGet, 'r' | 'n') => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n: u32 = digits.parse().map_err(|_| Usage::Plain)?;
                if c == 'r' {
                    o.repetitions = n;
                } else {
                    o.non_repeaters = n;
                }
            }
            _ => return Err(bad(c)),
        }
    }
    Ok(())
}

/// An engine ID given in hex (`0x` optional).
/// The value of `-e` or `-E`: hex (`0x` optional), 5 to 32 octets, with net-snmp's
/// messages.
fn engine_id_arg(v: &str, flag: char) -> Result<Vec<u8>, Usage> {
    let body = v
        .strip_prefix("0x")
        .or_else(|| v.strip_prefix("0X"))
        .unwrap_or(v);
    let id = if body.is_empty() {
        Some(Vec::new())
    } else {
        hex_id(body)
    };
    let id = id.ok_or_else(|| usage(format!("Bad engine ID value after -3{flag} flag.")))?;
    if !(5..=32).contains(&id.len()) {
        return Err(usage(format!(
            "Invalid engine ID value after -{flag} flag."
        )));
    }
    Ok(id)
}

pub(crate) fn hex_id(v: &str) -> Option<Vec<u8>> {
    let body = v
        .strip_prefix("0x")
        .or_else(|| v.strip_prefix("0X"))
        .unwrap_or(v);
    if body.is_empty() || !body.len().is_multiple_of(2) {
        return None;
    }
    (0..body.len())
        .step_by(2)
        .map(|i| {
            body.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// An OID operand: numeric, with or without the leading dot, or a name of the loaded
/// modules (`SNMPv2-MIB::sysDescr.0`, `sysDescr.0`, `system`); net-snmp's error for an
/// unknown one.
pub(crate) fn parse_oid(mib: Option<&snmp_mib::Mib>, text: &str) -> Result<Oid, String> {
    if let Ok(oid) = text.parse::<Oid>() {
        return Ok(oid);
    }
    if let Some(oid) = mib.and_then(|m| m.resolve(text).ok()) {
        return Ok(oid);
    }
    let body = text.strip_prefix('.').unwrap_or(text);
    let mut labels = body.split('.');
    let first = labels.next().unwrap_or_default();
    if !first.is_empty() && !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{text}: Unknown Object Identifier (Sub-id not found: (top) -> {first})"
        ));
    }
    let bad = labels
        .find(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(body);
    Err(format!("{text}: Unknown Object Identifier ({bad})"))
}

/// Runs `tool` with `args` (without the program name).
pub(crate) fn run(tool: Tool, args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let o = match parse(tool, args) {
        Ok(o) => o,
        Err(refusal) => {
            match refusal {
                Usage::Help => {
                    print_parse_usage(tool, err);
                    // This program's own option, after net-snmp's.
                    let _ = writeln!(
                        err,
                        "\n  --json\t\tprint one JSON object per binding (oid, type, value)"
                    );
                }
                Usage::Plain => print_parse_usage(tool, err),
                Usage::Before(m) => {
                    let _ = writeln!(err, "{m}");
                    print_parse_usage(tool, err);
                }
                Usage::After(m) => {
                    print_parse_usage(tool, err);
                    let _ = writeln!(err, "{m}");
                }
                Usage::Alone(m) => {
                    let _ = writeln!(err, "{m}");
                }
            }
            return EXIT_FAIL;
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "{}: {e}", tool.program());
            return EXIT_FAIL;
        }
    };
    let mut o = o;
    let mib = o.mibs.load(err);
    o.output.set_mib(mib);
    runtime.block_on(Session::start(tool, o, out, err))
}

/// net-snmp's usage text of the tool (its `USAGE:` line, the version, the common options and
/// the tool's `-C` options), as its tools print it on a usage error found after the options
/// are read (the MIB path expanded).
pub(crate) fn print_usage(tool: Tool, err: &mut dyn Write) {
    usage_text(tool, &crate::mibs::search_path(), err);
}

/// The usage text on an error in the options themselves: net-snmp has not read its
/// configuration yet, and shows its default MIB path unexpanded.
fn print_parse_usage(tool: Tool, err: &mut dyn Write) {
    usage_text(tool, crate::mibs::UNEXPANDED_PATH, err);
}

fn usage_text(tool: Tool, mib_dirs: &str, err: &mut dyn Write) {
    let tail = match tool {
        Tool::Get | Tool::GetNext => crate::usage::GET,
        Tool::BulkGet => crate::usage::BULKGET,
        Tool::Set => crate::usage::SET,
        Tool::Walk => crate::usage::WALK,
        Tool::BulkWalk => crate::usage::BULKWALK,
        Tool::Table => crate::usage::TABLE,
        Tool::Trap | Tool::Inform => crate::usage::TRAP,
    };
    let common = crate::usage::COMMON.replace("{MIBDIRS}", mib_dirs);
    let _ = write!(
        err,
        "USAGE: {} [OPTIONS] {}\n\n{}\n{common}{tail}",
        tool.program(),
        tool.operands(),
        version_lines(),
    );
}

/// The lines after the `USAGE:` line: this program's version and where it comes from, in
/// the place of net-snmp's.
pub(crate) fn version_lines() -> String {
    format!(
        "  Version:  {} (snmp-rs, as net-snmp 5.9.3)\n  Web:      {}\n",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// A tool run: where to, as whom, and the output.
pub(crate) struct Session<'a> {
    pub(crate) tool: Tool,
    pub(crate) o: Options,
    pub(crate) manager: Manager,
    pub(crate) target: Target,
    pub(crate) auth: Auth,
    pub(crate) peer: String,
    pub(crate) out: &'a mut dyn Write,
    pub(crate) err: &'a mut dyn Write,
}

impl<'a> Session<'a> {
    async fn start(
        tool: Tool,
        mut o: Options,
        out: &'a mut dyn Write,
        err: &'a mut dyn Write,
    ) -> u8 {
        let program = tool.program();
        // As net-snmp's snmp_parse_args: the agent first, then the security.
        if o.operands.is_empty() {
            let _ = writeln!(err, "No hostname specified.");
            print_usage(tool, err);
            return EXIT_FAIL;
        }
        let auth = match credentials(program, &o, err) {
            Ok(a) => a,
            Err(status) => return status,
        };
        let peer = o.operands.remove(0);
        // The operands are checked before the agent's name is resolved, as net-snmp does.
        let missing = match tool {
            Tool::Get | Tool::GetNext | Tool::Set if o.operands.is_empty() => {
                Some("Missing object name")
            }
            Tool::Table if o.operands.len() != 1 => Some("Must have exactly one table name"),
            _ => None,
        };
        if let Some(m) = missing {
            let _ = writeln!(err, "{m}");
            print_usage(tool, err);
            return EXIT_FAIL;
        }
        // snmpset's triples: each with its type and value, a type net-snmp knows.
        if tool == Tool::Set {
            for triple in o.operands.chunks(3) {
                let problem = match triple {
                    [name] => Some(format!("{name}: Needs type and value")),
                    [name, _] => Some(format!("{name}: Needs value")),
                    [name, kind, _] => kind
                        .chars()
                        .next()
                        .filter(|c| !"=iu3taosxdbUIFD".contains(*c))
                        .map(|c| format!("{name}: Bad object type: {c}")),
                    _ => None,
                };
                if let Some(p) = problem {
                    let _ = writeln!(err, "{p}");
                    return EXIT_FAIL;
                }
            }
        }
        // So are the OIDs of snmpbulkget and the walks (snmpget resolves the agent first).
        let oids = match tool {
            Tool::BulkGet => o.operands.as_slice(),
            Tool::Walk | Tool::BulkWalk => o.operands.get(..1).unwrap_or_default(),
            _ => &[],
        };
        for text in oids {
            if let Err(e) = parse_oid(o.output.mib(), text) {
                let _ = writeln!(err, "{e}");
                return EXIT_FAIL;
            }
        }
        let port = if tool.notifies() { 162 } else { 161 };
        // net-snmp's per-host files: `transport SPEC` in hosts/NAME.conf names the address.
        let peer = crate::mibs::host_transport(&peer).unwrap_or(peer);
        let (addr, tcp) = match resolve(&peer, port).await {
            Ok(a) => a,
            Err(reason) => {
                let _ = writeln!(err, "{program}: Unknown host ({peer}){reason}");
                return EXIT_FAIL;
            }
        };
        let mut target = Target::new(addr);
        if tcp {
            target.protocol(snmp_hlapi::Protocol::Tcp);
        }
        target
            .timeout(Duration::from_secs_f64(o.timeout))
            .retries(o.retries);
        if let Some(c) = &o.context {
            target.context_name(c.clone().into_bytes());
        }
        if let Some(id) = &o.context_engine_id {
            target.context_engine_id(id.clone());
        }
        // The agent's engine ID for requests (no discovery, as net-snmp); for snmptrap, the
        // sender's own below.
        if !tool.notifies()
            && let Some(id) = &o.engine_id
        {
            target.engine_id(id.clone());
        }
        let mut config = ManagerConfig::default();
        config
            .timeout(Duration::from_secs_f64(o.timeout))
            .retries(o.retries);
        if tool.notifies()
            && let Some(id) = o.engine_id.clone().and_then(|id| EngineId::new(id).ok())
        {
            config.engine_id(id);
        }
        let manager = match Manager::with_config(&config).await {
            Ok(m) => m,
            Err(e) => {
                let _ = writeln!(err, "{program}: {e}");
                return EXIT_FAIL;
            }
        };
        let mut session = Session {
            tool,
            o,
            manager,
            target,
            auth,
            peer,
            out,
            err,
        };
        let status = session.dispatch().await;
        let _ = session.out.flush();
        status
    }

    async fn dispatch(&mut self) -> u8 {
        match self.tool {
            Tool::Get | Tool::GetNext => self.get().await,
            Tool::BulkGet => self.bulk_get().await,
            Tool::Set => self.set().await,
            Tool::Walk | Tool::BulkWalk => self.walk().await,
            Tool::Trap | Tool::Inform => crate::trap::send(self).await,
            Tool::Table => crate::table::run(self).await,
        }
    }

    /// The OID operands, or the error for the first bad one.
    fn oids(&mut self) -> Result<Vec<Oid>, u8> {
        if self.o.operands.is_empty() {
            let _ = writeln!(self.err, "Missing object name");
            print_usage(self.tool, self.err);
            return Err(EXIT_FAIL);
        }
        let mut oids = Vec::with_capacity(self.o.operands.len());
        for text in &self.o.operands {
            match parse_oid(self.o.output.mib(), text) {
                Ok(o) => oids.push(o),
                Err(e) => {
                    let _ = writeln!(self.err, "{e}");
                    return Err(EXIT_FAIL);
                }
            }
        }
        Ok(oids)
    }

    fn print(&mut self, vb: &VarBind) {
        let line = if self.o.json {
            let mut object = crate::decode::varbind(vb);
            // With MIBs, the binding's name too (`IF-MIB::ifDescr.2`).
            if self.o.output.mib().is_some()
                && let Some(map) = object.as_object_mut()
            {
                map.insert("name".to_owned(), self.o.output.oid(&vb.oid).into());
            }
            object.to_string()
        } else {
            self.o.output.varbind(vb)
        };
        let _ = writeln!(self.out, "{line}");
    }

    pub(crate) fn flush(&mut self) {
        let _ = self.out.flush();
    }

    /// `Failed object: OID` and the blank line net-snmp's `fprint_objid` leaves.
    pub(crate) fn packet_error(
        &mut self,
        dot: bool,
        status: ErrorStatus,
        vb: Option<&VarBind>,
        index: u32,
    ) {
        self.flush();
        let d = if dot { "." } else { "" };
        let _ = writeln!(
            self.err,
            "Error in packet{d}\nReason: {}",
            error_string(status)
        );
        if index != 0 {
            let name = vb.map(|vb| self.o.output.oid(&vb.oid));
            let _ = match name {
                Some(n) => writeln!(self.err, "Failed object: {n}\n"),
                None => writeln!(self.err, "Failed object: "),
            };
        }
    }

    /// A failure other than an error-status: a timeout, a Report, a local error.
    pub(crate) fn failure(&mut self, e: &Error) -> u8 {
        self.flush();
        let program = self.tool.program();
        if e.is_timeout() {
            let dot = if matches!(self.tool, Tool::Get | Tool::GetNext) {
                "."
            } else {
                ""
            };
            let _ = writeln!(self.err, "Timeout: No Response from {}{dot}", self.peer);
            return EXIT_FAIL;
        }
        let text = match e.request_error() {
            Some(RequestError::Report { kind, .. }) => report_string(*kind).to_owned(),
            Some(RequestError::TooBig) => "Response message would have been too large.".to_owned(),
            Some(RequestError::GetBulkInV1) => "Cannot send V2 PDU on V1 session".to_owned(),
            _ => e.to_string(),
        };
        let _ = writeln!(self.err, "{program}: {text}");
        EXIT_FAIL
    }

    async fn get(&mut self) -> u8 {
        let mut oids = match self.oids() {
            Ok(o) => o,
            Err(s) => return s,
        };
        let mut status = EXIT_OK;
        loop {
            let result = if self.tool == Tool::Get {
                self.manager
                    .get(&self.target, &self.auth, oids.clone())
                    .await
            } else {
                self.manager
                    .get_next(&self.target, &self.auth, oids.clone())
                    .await
            };
            match result {
                Ok(vbs) => {
                    for vb in &vbs {
                        self.print(vb);
                    }
                    return status;
                }
                Err(Error::Status {
                    status: s,
                    index,
                    varbind,
                }) => {
                    // snmpgetnext sets the status only when the error names a binding.
                    if self.tool == Tool::Get || index != 0 {
                        status = EXIT_PACKET;
                    }
                    let dot = self.tool == Tool::GetNext;
                    self.packet_error(dot, s, varbind.as_deref(), index);
                    // net-snmp's snmp_fix_pdu: retry without the failed binding.
                    let position = usize::try_from(index).ok().and_then(|i| i.checked_sub(1));
                    match position {
                        Some(p)
                            if !self.o.dont_fix
                                && s == ErrorStatus::NO_SUCH_NAME
                                && p < oids.len()
                                && oids.len() > 1 =>
                        {
                            oids.remove(p);
                        }
                        _ => return status,
                    }
                }
                Err(e) => return self.failure(&e),
            }
        }
    }

    async fn bulk_get(&mut self) -> u8 {
        let oids = match self.oids() {
            Ok(o) => o,
            Err(s) => return s,
        };
        let result = self
            .manager
            .get_bulk(
                &self.target,
                &self.auth,
                self.o.non_repeaters,
                self.o.repetitions,
                oids,
            )
            .await;
        match result {
            Ok(vbs) => {
                for vb in &vbs {
                    self.print(vb);
                }
                EXIT_OK
            }
            Err(Error::Status {
                status: ErrorStatus::NO_SUCH_NAME,
                ..
            }) => {
                let _ = writeln!(self.out, "End of MIB.");
                EXIT_OK
            }
            Err(Error::Status {
                status,
                index,
                varbind,
            }) => {
                self.packet_error(false, status, varbind.as_deref(), index);
                EXIT_PACKET
            }
            Err(e) => self.failure(&e),
        }
    }

    async fn set(&mut self) -> u8 {
        let operands = std::mem::take(&mut self.o.operands);
        if operands.is_empty() {
            let _ = writeln!(self.err, "Missing object name");
            print_usage(self.tool, self.err);
            return EXIT_FAIL;
        }
        if !operands.len().is_multiple_of(3) {
            let _ = writeln!(self.err, "Missing type/value for variable");
            print_usage(self.tool, self.err);
            return EXIT_FAIL;
        }
        let mut varbinds = Vec::with_capacity(operands.len() / 3);
        for triple in operands.chunks(3) {
            let [name, kind, text] = triple else { continue };
            let oid = match parse_oid(self.o.output.mib(), name) {
                Ok(o) => o,
                Err(e) => {
                    let _ = writeln!(self.err, "{e}");
                    return EXIT_FAIL;
                }
            };
            match set_value(self.o.output.mib(), &oid, kind, text) {
                Ok(value) => varbinds.push(VarBind::new(oid, value)),
                Err(e) => {
                    let _ = writeln!(self.err, "{name}: {e}");
                    return EXIT_FAIL;
                }
            }
        }
        match self.manager.set(&self.target, &self.auth, varbinds).await {
            Ok(vbs) => {
                if !self.o.quiet {
                    for vb in &vbs {
                        self.print(vb);
                    }
                }
                EXIT_OK
            }
            Err(Error::Status {
                status,
                index,
                varbind,
            }) => {
                self.packet_error(true, status, varbind.as_deref(), index);
                EXIT_PACKET
            }
            Err(e) => self.failure(&e),
        }
    }

    /// GET of the walk's root, printed when it answers without error (`-Ci`, and a walk
    /// that found nothing).
    async fn get_and_print(&mut self, root: &Oid) -> usize {
        match self
            .manager
            .get(&self.target, &self.auth, [root.clone()])
            .await
        {
            Ok(vbs) => {
                for vb in &vbs {
                    self.print(vb);
                }
                self.flush();
                vbs.len()
            }
            Err(_) => 0,
        }
    }

    async fn walk(&mut self) -> u8 {
        let bulk = self.tool == Tool::BulkWalk;
        let root = match self.o.operands.first() {
            Some(text) => match parse_oid(self.o.output.mib(), text) {
                Ok(o) => o,
                Err(e) => {
                    let _ = writeln!(self.err, "{e}");
                    return EXIT_FAIL;
                }
            },
            // mib-2
            None => Oid::from_slice(&[1, 3, 6, 1, 2, 1]).unwrap_or_default(),
        };
        let end = match &self.o.end {
            Some(text) => match parse_oid(self.o.output.mib(), text) {
                Ok(o) => o,
                Err(e) => {
                    let _ = writeln!(self.err, "{e}");
                    return EXIT_FAIL;
                }
            },
            None => next_sibling(&root),
        };
        // net-snmp counts the bindings of these GETs among those found.
        let mut printed = 0usize;
        if self.o.include_requested {
            printed += self.get_and_print(&root).await;
        }
        let check = !self.o.dont_check;
        let mut name = root.clone();
        let mut status = EXIT_OK;
        let mut answered = true;
        let mut running = true;
        while running {
            running = false;
            let result = if bulk {
                self.manager
                    .get_bulk(
                        &self.target,
                        &self.auth,
                        self.o.non_repeaters,
                        self.o.repetitions,
                        [name.clone()],
                    )
                    .await
            } else {
                self.manager
                    .get_next(&self.target, &self.auth, [name.clone()])
                    .await
            };
            match result {
                Ok(vbs) => {
                    running = true;
                    let count = vbs.len();
                    for (i, vb) in vbs.iter().enumerate() {
                        let outside = if bulk {
                            !vb.oid.starts_with(&root)
                        } else {
                            vb.oid >= end
                        };
                        if outside {
                            running = false;
                            continue;
                        }
                        printed += 1;
                        self.print(vb);
                        if vb.value.is_exception() {
                            running = false;
                            continue;
                        }
                        if check && vb.oid <= name {
                            self.flush();
                            let _ = writeln!(
                                self.err,
                                "Error: OID not increasing: {}\n >= {}\n",
                                self.o.output.oid(&name),
                                self.o.output.oid(&vb.oid)
                            );
                            running = false;
                            status = EXIT_FAIL;
                        }
                        if !bulk || i + 1 == count {
                            name = vb.oid.clone();
                        }
                    }
                    if count == 0 {
                        running = false;
                    }
                    self.flush();
                }
                Err(Error::Status {
                    status: ErrorStatus::NO_SUCH_NAME,
                    ..
                }) => {
                    let _ = writeln!(self.out, "End of MIB");
                }
                Err(Error::Status {
                    status: s,
                    index,
                    varbind,
                }) => {
                    self.packet_error(true, s, varbind.as_deref(), index);
                    status = EXIT_PACKET;
                }
                Err(e) => {
                    answered = false;
                    status = self.failure(&e);
                }
            }
        }
        if printed == 0 && answered && !self.o.dont_get_requested {
            printed += self.get_and_print(&root).await;
        }
        if self.o.print_count {
            let _ = writeln!(self.out, "Variables found: {printed}");
        }
        status
    }
}

/// The OID just past the subtree of `root` (its last arc plus one).
fn next_sibling(root: &Oid) -> Oid {
    let mut arcs = root.as_slice().to_vec();
    if let Some(last) = arcs.last_mut() {
        *last = last.saturating_add(1);
    }
    Oid::from_slice(&arcs).unwrap_or_else(|_| root.clone())
}

/// The security of the requests, from -v, -c, -u, -l, -a, -A, -x, -X.
fn credentials(program: &str, o: &Options, err: &mut dyn Write) -> Result<Auth, u8> {
    match o.version {
        Version::V1 | Version::V2c => {
            let Some(c) = &o.community else {
                let _ = writeln!(err, "No community name specified.");
                return Err(EXIT_FAIL);
            };
            let c = c.clone().into_bytes();
            Ok(if o.version == Version::V1 {
                Auth::community_v1(c)
            } else {
                Auth::community_v2c(c)
            })
        }
        Version::V3 => {
            let Some(user) = &o.user else {
                let _ = writeln!(err, "{program}: No securityName specified");
                return Err(EXIT_FAIL);
            };
            let mut usm = UsmAuth::new(user.clone().into_bytes());
            let short = |err: &mut dyn Write, what: &str| {
                let _ = writeln!(
                    err,
                    "Error: passphrase chosen is below the length requirements of the USM (min=8).\n\
                     {program}:  (The supplied password length is too short.)\n\
                     Error generating a key (Ku) from the supplied {what} pass phrase. "
                );
                EXIT_FAIL
            };
            if o.level != SecurityLevel::NoAuthNoPriv {
                let pass = o.auth_pass.clone().unwrap_or_default();
                usm = usm
                    .auth(o.auth_protocol, pass)
                    .map_err(|_| short(err, "authentication"))?;
            }
            if o.level == SecurityLevel::AuthPriv {
                let pass = o.priv_pass.clone().unwrap_or_default();
                usm = usm
                    .privacy(o.priv_protocol, pass)
                    .map_err(|_| short(err, "privacy"))?;
            }
            Ok(Auth::usm(usm))
        }
    }
}

/// The agent's address: `[udp:|udp6:|tcp:|tcp6:]HOST[:PORT]`, `[v6]:PORT`, and whether it
/// is over TCP. Err: the text after `Unknown host (AGENT)`.
async fn resolve(agent: &str, default_port: u16) -> Result<(SocketAddr, bool), String> {
    let (transport, rest) = match agent.split_once(':') {
        Some((t, rest))
            if [
                "udp", "udp6", "udpv6", "udpipv6", "tcp", "tcp6", "tcpv6", "tcpipv6",
            ]
            .iter()
            .any(|k| k.eq_ignore_ascii_case(t)) =>
        {
            (t.to_ascii_lowercase(), rest)
        }
        _ => (String::from("udp"), agent),
    };
    let tcp = transport.starts_with("tcp");
    let v6 = transport != "udp" && transport != "tcp";
    let (host, port) = if let Some(inner) = rest.strip_prefix('[') {
        let (h, after) = inner.split_once(']').ok_or_else(String::new)?;
        let port = match after.strip_prefix(':') {
            Some(p) => p.parse::<u16>().map_err(|_| String::new())?,
            None if after.is_empty() => default_port,
            None => return Err(String::new()),
        };
        (h.to_owned(), port)
    } else if v6 && rest.parse::<IpAddr>().is_ok() {
        (rest.to_owned(), default_port)
    } else {
        match rest.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !h.contains(':') || v6 => {
                (h.to_owned(), p.parse::<u16>().map_err(|_| String::new())?)
            }
            _ => (rest.to_owned(), default_port),
        }
    };
    if host.is_empty() {
        return Err(String::new());
    }
    let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|_| String::new())?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv6() == v6)
        .or_else(|| addrs.first())
        .map(|a| (*a, tcp))
        .ok_or_else(String::new)
}

/// A value of snmpset's `TYPE VALUE` for `oid`: `=` is the type the loaded modules give the
/// object, and `i` takes its enumeration labels (`ifAdminStatus.2 i down`).
fn set_value(
    mib: Option<&snmp_mib::Mib>,
    oid: &Oid,
    kind: &str,
    text: &str,
) -> Result<Value, String> {
    use snmp_mib::{BaseType, ValueError, parse_base_value};
    let bad = |_| "Bad value".to_owned();
    let integer_object = mib.filter(|m| {
        m.lookup(oid)
            .is_some_and(|(o, _)| o.base_type == Some(BaseType::Integer32))
    });
    Ok(match kind {
        "=" => {
            let Some(mib) = mib else {
                return Err("Unknown Object Identifier (no MIB is loaded)".to_owned());
            };
            return match mib.parse_value(oid, text) {
                Ok(v) => Ok(v),
                // net-snmp's message for the name.
                Err(ValueError::Resolve(_)) => {
                    parse_oid(Some(mib), text).map(Value::ObjectIdentifier)
                }
                Err(ValueError::BadValue { .. }) => Err("Bad value".to_owned()),
                Err(_) => Err("Unknown Object Identifier (no MIB is loaded)".to_owned()),
            };
        }
        "i" => match integer_object {
            Some(mib) => mib.parse_value(oid, text).map_err(bad)?,
            None => parse_base_value(BaseType::Integer32, text).map_err(bad)?,
        },
        "u" => parse_base_value(BaseType::Gauge32, text).map_err(bad)?,
        "t" => parse_base_value(BaseType::TimeTicks, text).map_err(bad)?,
        "a" => parse_base_value(BaseType::IpAddress, text).map_err(bad)?,
        "o" => Value::ObjectIdentifier(parse_oid(mib, text)?),
        "s" => parse_base_value(BaseType::OctetString, text).map_err(bad)?,
        "x" => {
            let digits: String = text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != ':')
                .collect();
            Value::from(hex_id(&digits).ok_or_else(|| "Bad value".to_owned())?)
        }
        "d" => Value::from(
            text.split(|c: char| c == '.' || c.is_whitespace())
                .filter(|p| !p.is_empty())
                .map(|p| p.parse::<u8>().map_err(|_| "Bad value".to_owned()))
                .collect::<Result<Vec<_>, _>>()?,
        ),
        "n" => Value::Null,
        _ => return Err(format!("Bad object type: {kind}")),
    })
}

/// net-snmp's `snmp_errstring`.
fn error_string(status: ErrorStatus) -> &'static str {
    const STRINGS: [&str; 19] = [
        "(noError) No Error",
        "(tooBig) Response message would have been too large.",
        "(noSuchName) There is no such variable name in this MIB.",
        "(badValue) The value given has the wrong type or length.",
        "(readOnly) The two parties used do not have access to use the specified SNMP PDU.",
        "(genError) A general failure occurred",
        "noAccess",
        "wrongType (The set datatype does not match the data type the agent expects)",
        "wrongLength (The set value has an illegal length from what the agent expects)",
        "wrongEncoding",
        "wrongValue (The set value is illegal or unsupported in some way)",
        "noCreation (That table does not support row creation or that object can not ever be created)",
        "inconsistentValue (The set value is illegal or unsupported in some way)",
        "resourceUnavailable (This is likely a out-of-memory failure within the agent)",
        "commitFailed",
        "undoFailed",
        "authorizationError (access denied to that object)",
        "notWritable (That object does not support modification)",
        "inconsistentName (That object can not currently be created)",
    ];
    usize::try_from(status.0)
        .ok()
        .and_then(|i| STRINGS.get(i))
        .copied()
        .unwrap_or("Unknown Error")
}

/// net-snmp's words for the counter a Report names.
fn report_string(kind: snmp_engine::ReportKind) -> &'static str {
    use snmp_engine::ReportKind as K;
    match kind {
        K::UnsupportedSecLevels => "Unsupported security level",
        K::NotInTimeWindows => "Not in time window",
        K::UnknownUserNames => "Unknown user name",
        K::UnknownEngineIds => "Unknown engine ID",
        K::WrongDigests => "Authentication failure (incorrect password, community or key)",
        K::DecryptionErrors => "Decryption error",
        _ => "Unknown Report message",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn getopt_attached_and_separate_values() {
        let o = parse(
            Tool::BulkWalk,
            &args(&[
                "-v2c", "-c", "public", "-Cr5", "-Cn1", "-On", "host", "-t", "0.5", ".1.3",
            ]),
        )
        .ok()
        .unwrap();
        assert_eq!(o.version, Version::V2c);
        assert_eq!(o.community.as_deref(), Some("public"));
        assert_eq!((o.repetitions, o.non_repeaters), (5, 1));
        assert!((o.timeout - 0.5).abs() < f64::EPSILON);
        assert_eq!(o.operands, ["host", ".1.3"]);
        let o = parse(
            Tool::Get,
            &args(&["-v", "3", "-lap", "-aSHA-256", "--json", "h"]),
        )
        .ok()
        .unwrap();
        assert_eq!(o.level, SecurityLevel::AuthPriv);
        assert_eq!(o.auth_protocol, AuthProtocol::Sha256);
        assert!(o.json);
        assert!(parse(Tool::Get, &args(&["-v9"])).is_err());
        assert!(parse(Tool::Get, &args(&["-c"])).is_err());
        assert!(parse(Tool::Walk, &args(&["-Cz"])).is_err());
        assert!(parse(Tool::Get, &args(&["-Ofoo"])).is_err());
    }

    #[test]
    fn oid_names_need_a_mib() {
        assert!(parse_oid(None, "1.3.6.1").is_ok());
        assert!(parse_oid(None, ".1.3.6.1").is_ok());
        assert_eq!(
            parse_oid(None, "sysDescr.0").unwrap_err(),
            "sysDescr.0: Unknown Object Identifier (Sub-id not found: (top) -> sysDescr)"
        );
        assert_eq!(
            parse_oid(None, ".1.3.x").unwrap_err(),
            ".1.3.x: Unknown Object Identifier (x)"
        );
    }

    #[test]
    fn set_types_and_labels_from_the_mib() {
        let dir = std::env::var("SNMP_SHARED_DIR").map_or_else(
            |_| concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/mibs/ietf").to_owned(),
            |d| format!("{d}/mibs/ietf"),
        );
        if !std::path::Path::new(&dir).is_dir() {
            eprintln!("{dir} absent: skipped");
            return;
        }
        let mib = snmp_mib::Mib::load(&[dir], &["IF-MIB"]).unwrap();
        let admin = parse_oid(Some(&mib), "ifAdminStatus.2").unwrap();
        assert_eq!(admin.to_string(), "1.3.6.1.2.1.2.2.1.7.2");
        let set = |oid: &Oid, k: &str, t: &str| set_value(Some(&mib), oid, k, t);
        assert_eq!(set(&admin, "i", "down"), Ok(Value::Integer(2)));
        assert_eq!(set(&admin, "=", "up"), Ok(Value::Integer(1)));
        assert_eq!(set(&admin, "=", "7"), Ok(Value::Integer(7)));
        assert_eq!(set(&admin, "i", "sideways"), Err("Bad value".to_owned()));
        let alias = parse_oid(Some(&mib), "IF-MIB::ifAlias.1").unwrap();
        assert_eq!(set(&alias, "=", "x"), Ok(Value::from("x")));
        let if_table = parse_oid(Some(&mib), "1.3.6.1.2.1.2.2").unwrap();
        assert_eq!(
            set(&admin, "o", "ifTable"),
            Ok(Value::ObjectIdentifier(if_table.clone()))
        );
        let object_id = parse_oid(Some(&mib), "sysObjectID.0").unwrap();
        assert_eq!(
            set(&object_id, "=", "ifTable"),
            Ok(Value::ObjectIdentifier(if_table))
        );
        assert_eq!(
            set(&object_id, "=", "nowhere"),
            Err(
                "nowhere: Unknown Object Identifier (Sub-id not found: (top) -> nowhere)"
                    .to_owned()
            )
        );
        let in_octets = parse_oid(Some(&mib), "ifInOctets.1").unwrap();
        assert_eq!(
            set(&in_octets, "=", "1"),
            Err("Unknown Object Identifier (no MIB is loaded)".to_owned())
        );
        assert_eq!(set_value(None, &admin, "u", "0x10"), Ok(Value::Gauge32(16)));
    }

    #[test]
    fn tools_by_name() {
        assert_eq!(Tool::from_program("snmpbulkwalk"), Some(Tool::BulkWalk));
        assert_eq!(Tool::from_subcommand("getnext"), Some(Tool::GetNext));
        assert_eq!(Tool::from_program("snmptrap"), Some(Tool::Trap));
        assert_eq!(Tool::from_program("snmptrapd"), None);
        assert_eq!(Tool::from_subcommand("inform"), Some(Tool::Inform));
        assert_eq!(Tool::Set.program(), "snmpset");
    }
}
