//! Reading `snmpd.conf` lines: words as net-snmp's `copy_nword` splits them, then one
//! function per directive.

use std::collections::VecDeque;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use snmp_mpm::{EngineId, SecurityLevel};
use snmp_smi::Oid;
use snmp_usm::{AuthProtocol, Key, PrivProtocol, UsmUser, password_to_key};
use snmp_vacm::{ContextMatch, SecurityModel, ViewType};

use crate::extend::ExtendEntry;
use crate::host::{DiskEntry, ProcEntry};
use crate::pass::Pass;

use super::{
    AgentConfig, ConfigError, ConfigWarning, DEFAULT_MAX_GETBULK_RESPONSES, EngineIdType,
    ListenAddr, RawDirective, Rule, RuleKind, Scope, Source, Transport, WarningKind,
};

/// net-snmp's enterprise number, for text engine IDs (`engineID STRING`).
const NET_SNMP_ENTERPRISE: u32 = 8072;

/// net-snmp directives (lower case) this agent knows of but does not implement.
const UNSUPPORTED: &[&str] = &[
    "add_row",
    "agentgroup",
    "agentsecname",
    "agentuser",
    "authaccess",
    "authcommunity",
    "authgroup",
    "authuser",
    "com2secunix",
    "defaultmonitors",
    "dlmod",
    "dontlogtcpwrappersconnects",
    "engineboots",
    "engineidnic",
    "exec",
    "execfix",
    "extendfix",
    "file",
    "ignoredisk",
    "ifmib_max_num_ifaces",
    "include_ifmib_iface_prefix",
    "includealldisks",
    "includedir",
    "includefile",
    "includesearch",
    "injecthandler",
    "interface",
    "interface_fadeout",
    "interface_replace_old",
    "iquerysecname",
    "leave_pidfile",
    "linkupdownnotifications",
    "logmatch",
    "master",
    "monitor",
    "notificationevent",
    "oldengineid",
    "override",
    "procfix",
    "realstorageunits",
    "setaccess",
    "setevent",
    "setserialno",
    "sh",
    "skipnfsinhostresources",
    "smuxpeer",
    "smuxsocket",
    "storageusenfs",
    "table",
    "usmuser",
    "v1trapaddress",
    "vacmaccess",
    "vacmview",
];

/// The notification directives, kept as written (lower case).
const NOTIFICATION: &[&str] = &[
    "informsink",
    "trap2sink",
    "trapcommunity",
    "trapsess",
    "trapsink",
];

/// What one directive gives: nothing more to say, or a warning.
type Outcome = Result<Option<(WarningKind, String)>, String>;

pub(super) fn parse(
    text: &str,
    file: &str,
) -> Result<(AgentConfig, Vec<ConfigWarning>), ConfigError> {
    let mut config = AgentConfig::default();
    let mut warnings = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (directive, rest) = match trimmed.split_once(char::is_whitespace) {
            Some((d, r)) => (d, r.trim_start()),
            None => (trimmed, ""),
        };
        let lower = directive.to_ascii_lowercase();
        let outcome = if lower == "extend" || lower == "extend-sh" {
            // Read as snmpd reads it (an unclosed quote in the command is the command's).
            extend_line(&mut config, directive, rest, lower == "extend-sh")
        } else if lower == "load" {
            // snmpd: each maximum read as atof reads it, a missing one the one before it.
            let mut maxima = [12.0_f64; 3];
            let mut words = rest.split_whitespace();
            for i in 0..3 {
                maxima[i] = match words.next() {
                    Some(w) => atof(w),
                    None if i > 0 => maxima[i - 1],
                    None => 12.0,
                };
            }
            config.load_maxima = Some(maxima);
            Ok(None)
        } else if lower == "swap" {
            let min = rest.split_whitespace().next().map_or(0, |w| {
                let digits: String = w.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().unwrap_or(0)
            });
            config.minimum_swap = Some(min);
            Ok(None)
        } else if lower == "proc" {
            ProcEntry::parse_line(rest)
                .and_then(|p| {
                    // snmpd refuses a second line for a name too ("Already have an entry").
                    if config.procs.iter().any(|q| q.name() == p.name()) {
                        return Err(format!("'{}' is defined twice", p.name()));
                    }
                    config.procs.push(p);
                    Ok(None)
                })
                .map_err(|e| format!("{directive}: {e}"))
        } else if lower == "disk" {
            DiskEntry::parse_line(rest)
                .map(|disk| {
                    config.disks.push(disk);
                    None
                })
                .map_err(|e| format!("{directive}: {e}"))
        } else if lower == "pass" || lower == "pass_persist" {
            Pass::parse_line(rest, lower == "pass_persist")
                .map(|pass| {
                    config.passes.push(pass);
                    None
                })
                .map_err(|e| format!("{directive}: {e}"))
        } else {
            words(rest).and_then(|words| {
                let mut args = Args {
                    directive,
                    words: words.into(),
                };
                one_directive(&mut config, line, &mut args, rest)
            })
        };
        match outcome {
            Ok(None) => {}
            Ok(Some((kind, message))) => warnings.push(ConfigWarning {
                line,
                directive: directive.to_owned(),
                kind,
                message,
            }),
            Err(message) => {
                return Err(ConfigError::Line {
                    file: file.into(),
                    line,
                    message: message.into(),
                });
            }
        }
    }
    Ok((config, warnings))
}

/// C's `atof`: the longest leading decimal number of `word` (sign, digits, point, exponent),
/// 0 without one.
fn atof(word: &str) -> f64 {
    let candidate: String = word
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        .collect();
    (0..=candidate.len())
        .rev()
        .find_map(|n| candidate.get(..n)?.parse::<f64>().ok())
        .unwrap_or(0.0)
}

/// An `extend` or `extend-sh` line: one more entry of NET-SNMP-EXTEND-MIB.
fn extend_line(config: &mut AgentConfig, directive: &str, rest: &str, shell: bool) -> Outcome {
    let (base, entry) =
        ExtendEntry::parse_line(rest, shell).map_err(|e| format!("{directive}: {e}"))?;
    if config
        .extends
        .iter()
        .any(|(b, e)| *b == base && e.name() == entry.name())
    {
        return Err(format!("{directive}: '{}' is defined twice", entry.name()));
    }
    config.extends.push((base, entry));
    Ok(None)
}

/// Splits the arguments into words as net-snmp's `copy_nword` does: a word starting with a
/// double or single quote runs to the matching quote, and a backslash takes the next
/// character literally, inside quotes or not.
pub(super) fn words(text: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else {
            return Ok(out);
        };
        let mut word = String::new();
        if first == '"' || first == '\'' {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                if c == first {
                    closed = true;
                    break;
                }
                if c == '\\'
                    && let Some(escaped) = chars.next()
                {
                    word.push(escaped);
                    continue;
                }
                word.push(c);
            }
            if !closed {
                return Err(format!("no closing {first} in {text}"));
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\'
                    && let Some(escaped) = chars.next()
                {
                    word.push(escaped);
                    continue;
                }
                word.push(c);
            }
        }
        out.push(word);
    }
}

/// The words of one directive, taken in order.
struct Args<'a> {
    directive: &'a str,
    words: VecDeque<String>,
}

impl Args<'_> {
    /// The next word, which must be there.
    fn next(&mut self, what: &str) -> Result<String, String> {
        self.words
            .pop_front()
            .ok_or_else(|| format!("{}: missing {what}", self.directive))
    }

    fn opt(&mut self) -> Option<String> {
        self.words.pop_front()
    }

    /// Takes the next word if it is `flag`.
    fn flag(&mut self, flag: &str) -> bool {
        let yes = self.words.front().is_some_and(|w| w == flag);
        if yes {
            self.words.pop_front();
        }
        yes
    }

    /// No words left.
    fn end(&self) -> Result<(), String> {
        match self.words.front() {
            None => Ok(()),
            Some(w) => Err(format!("{}: unexpected argument '{w}'", self.directive)),
        }
    }

    fn bad(&self, what: &str, word: &str, why: impl std::fmt::Display) -> String {
        format!("{}: bad {what} '{word}': {why}", self.directive)
    }
}

fn one_directive(
    config: &mut AgentConfig,
    line: usize,
    args: &mut Args<'_>,
    rest: &str,
) -> Outcome {
    let name = args.directive.to_ascii_lowercase();
    let mut rule = |kind| {
        config.rules.push(Rule { line, kind });
    };
    match name.as_str() {
        "agentaddress" => {
            let mut listen = Vec::new();
            for part in rest.split(',').map(str::trim) {
                if part.is_empty() {
                    return Err(format!("{}: missing address", args.directive));
                }
                listen.push(listen_addr(part).map_err(|e| args.bad("address", part, e))?);
            }
            config.listen.extend(listen);
        }
        "rocommunity" | "rwcommunity" | "rocommunity6" | "rwcommunity6" => {
            let ipv6 = name.ends_with('6');
            let community = args.next("COMMUNITY")?;
            // `rocommunity public -V view`: no source, the default.
            let source = match args.words.front().filter(|w| *w != "-V") {
                None => default_source(ipv6),
                Some(_) => {
                    let s = args.next("SOURCE")?;
                    source(&s, ipv6).map_err(|e| args.bad("source", &s, e))?
                }
            };
            let (scope, context) = scope(args)?;
            rule(RuleKind::Community {
                write: name.starts_with("rw"),
                community,
                source,
                scope,
                context,
            });
        }
        "rouser" | "rwuser" => {
            if args.flag("-s") {
                let model = args.next("SECMODEL")?;
                if !model.eq_ignore_ascii_case("usm") {
                    return Ok(Some(unsupported_form(
                        args.directive,
                        line,
                        &format!("security model '{model}'"),
                    )));
                }
            }
            let user = args.next("USER")?;
            let level = match args.opt() {
                None => SecurityLevel::AuthNoPriv,
                Some(l) => level(&l).ok_or_else(|| {
                    args.bad("security level", &l, "expected noauth, auth or priv")
                })?,
            };
            let (scope, context) = scope(args)?;
            rule(RuleKind::User {
                write: name == "rwuser",
                user,
                level,
                scope,
                context,
            });
        }
        "com2sec" | "com2sec6" => {
            let ipv6 = name.ends_with('6');
            let context = if args.flag("-Cn") {
                args.next("CONTEXT")?
            } else {
                String::new()
            };
            let security_name = args.next("SECNAME")?;
            let s = args.next("SOURCE")?;
            let source = source(&s, ipv6).map_err(|e| args.bad("source", &s, e))?;
            let community = args.next("COMMUNITY")?;
            args.end()?;
            rule(RuleKind::Com2Sec {
                context,
                security_name,
                source,
                community,
            });
        }
        "group" => {
            let group = args.next("GROUP")?;
            let m = args.next("security model")?;
            let models = match m.to_ascii_lowercase().as_str() {
                "any" => vec![SecurityModel::V1, SecurityModel::V2c, SecurityModel::Usm],
                "tsm" | "ksm" => {
                    return Ok(Some(unsupported_form(
                        args.directive,
                        line,
                        &format!("security model '{m}'"),
                    )));
                }
                _ => vec![model(&m).ok_or_else(|| {
                    args.bad("security model", &m, "expected v1, v2c, usm or any")
                })?],
            };
            let security_name = args.next("SECNAME")?;
            args.end()?;
            rule(RuleKind::Group {
                group,
                models,
                security_name,
            });
        }
        "view" => {
            let view = args.next("view name")?;
            let t = args.next("included|excluded")?;
            let view_type = match t.to_ascii_lowercase().as_str() {
                "included" => ViewType::Included,
                "excluded" => ViewType::Excluded,
                _ => return Err(args.bad("view type", &t, "expected included or excluded")),
            };
            let o = args.next("OID")?;
            let subtree = oid(&o).map_err(|e| args.bad("OID", &o, e))?;
            let mask = match args.opt() {
                None => Vec::new(),
                Some(m) => mask(&m).map_err(|e| args.bad("mask", &m, e))?,
            };
            args.end()?;
            rule(RuleKind::View {
                name: view,
                view_type,
                subtree,
                mask,
            });
        }
        "access" => {
            let group = args.next("GROUP")?;
            let context = args.next("CONTEXT")?;
            let m = args.next("security model")?;
            if m.eq_ignore_ascii_case("tsm") || m.eq_ignore_ascii_case("ksm") {
                return Ok(Some(unsupported_form(
                    args.directive,
                    line,
                    &format!("security model '{m}'"),
                )));
            }
            let model = model(&m)
                .ok_or_else(|| args.bad("security model", &m, "expected any, v1, v2c or usm"))?;
            let l = args.next("LEVEL")?;
            let level = level(&l)
                .ok_or_else(|| args.bad("security level", &l, "expected noauth, auth or priv"))?;
            let p = args.next("PREFX")?;
            let context_match = match p.to_ascii_lowercase().as_str() {
                "exact" => ContextMatch::Exact,
                "prefix" => ContextMatch::Prefix,
                _ => return Err(args.bad("context match", &p, "expected exact or prefix")),
            };
            let mut view = |what| {
                args.next(what)
                    .map(|v| if v == "none" { String::new() } else { v })
            };
            let read = view("READ view")?;
            let write = view("WRITE view")?;
            let notify = view("NOTIFY view")?;
            args.end()?;
            rule(RuleKind::Access {
                group,
                context,
                model,
                level,
                context_match,
                read,
                write,
                notify,
            });
        }
        "context" => {
            let context = args.next("context name")?;
            args.end()?;
            rule(RuleKind::Context(context));
        }
        "createuser" => {
            return create_user(args, line).map(|user| match user {
                Ok(user) => {
                    config.users.push(user);
                    None
                }
                Err(warning) => Some(warning),
            });
        }
        "syslocation" => config.system.location = Some(rest_value(args.directive, rest)?),
        "syscontact" => config.system.contact = Some(rest_value(args.directive, rest)?),
        "sysname" => config.system.name = Some(rest_value(args.directive, rest)?),
        "sysdescr" => config.system.descr = Some(rest_value(args.directive, rest)?),
        "sysobjectid" => {
            let o = args.next("OID")?;
            args.end()?;
            config.system.object_id = Some(oid(&o).map_err(|e| args.bad("OID", &o, e))?);
        }
        "sysservices" => {
            let n = args.next("N")?;
            args.end()?;
            let services = n
                .parse::<u8>()
                .ok()
                .filter(|s| *s <= 127)
                .ok_or_else(|| args.bad("value", &n, "expected 0..=127"))?;
            config.system.services = Some(services);
        }
        "engineid" => {
            let text = rest_value(args.directive, rest)?;
            let id = EngineId::from_text(NET_SNMP_ENTERPRISE, &text)
                .map_err(|_| args.bad("engine ID", &text, "the text has at most 27 octets"))?;
            config.engine_id = Some(id);
        }
        "engineidtype" => {
            let t = args.next("1|2|3")?;
            args.end()?;
            config.engine_id_type = Some(match t.as_str() {
                "1" => EngineIdType::Ipv4,
                "2" => EngineIdType::Ipv6,
                "3" => EngineIdType::Mac,
                _ => return Err(args.bad("engine ID type", &t, "expected 1, 2 or 3")),
            });
        }
        "maxgetbulkrepeats" => {
            config.max_getbulk_repeats = bulk_limit(args, None)?;
        }
        "maxgetbulkresponses" => {
            config.max_getbulk_responses = bulk_limit(args, Some(DEFAULT_MAX_GETBULK_RESPONSES))?;
        }
        "authtrapenable" => {
            let v = args.next("1|2")?;
            args.end()?;
            config.authtrap_enable = Some(match v.as_str() {
                "1" => true,
                "2" => false,
                _ => return Err(args.bad("value", &v, "expected 1 (enabled) or 2 (disabled)")),
            });
        }
        n if NOTIFICATION.contains(&n) => {
            config.notification_directives.push(RawDirective {
                line,
                directive: args.directive.to_owned(),
                args: args.words.drain(..).collect(),
                text: rest.to_owned(),
            });
        }
        "proxy" => {
            config.proxy_directives.push(RawDirective {
                line,
                directive: args.directive.to_owned(),
                args: args.words.drain(..).collect(),
                text: rest.to_owned(),
            });
        }
        n if UNSUPPORTED.contains(&n) || n.starts_with("agentx") || n.starts_with('[') => {
            return Ok(Some((
                WarningKind::Unsupported,
                format!(
                    "directive '{}' at line {line} is not supported (ignored)",
                    args.directive
                ),
            )));
        }
        _ => {
            return Ok(Some((
                WarningKind::Unknown,
                format!("unknown directive '{}' at line {line}", args.directive),
            )));
        }
    }
    Ok(None)
}

fn unsupported_form(directive: &str, line: usize, what: &str) -> (WarningKind, String) {
    (
        WarningKind::Unsupported,
        format!("{directive} at line {line}: {what} is not supported (ignored)"),
    )
}

/// The rest of the line, without enclosing double quotes.
fn rest_value(directive: &str, rest: &str) -> Result<String, String> {
    let rest = rest.trim();
    let value = rest
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(rest);
    if rest.is_empty() {
        return Err(format!("{directive}: missing value"));
    }
    Ok(value.to_owned())
}

/// The `[OID | -V VIEW [CONTEXT]]` tail of the shortcuts (a context may follow an OID too).
fn scope(args: &mut Args<'_>) -> Result<(Scope, Option<String>), String> {
    let scope = if args.flag("-V") {
        Scope::View(args.next("VIEW")?)
    } else {
        match args.opt() {
            None => Scope::Oid(None),
            Some(o) => Scope::Oid(Some(oid(&o).map_err(|e| args.bad("OID", &o, e))?)),
        }
    };
    let context = args.opt();
    args.end()?;
    Ok((scope, context))
}

/// A numeric OID, with or without the leading dot.
fn oid(s: &str) -> Result<Oid, String> {
    s.parse::<Oid>().map_err(|e| e.to_string())
}

/// `noauth`, `auth`, `priv`, or the RFC names, in any case.
fn level(s: &str) -> Option<SecurityLevel> {
    match s.to_ascii_lowercase().as_str() {
        "noauth" | "noauthnopriv" => Some(SecurityLevel::NoAuthNoPriv),
        "auth" | "authnopriv" => Some(SecurityLevel::AuthNoPriv),
        "priv" | "authpriv" => Some(SecurityLevel::AuthPriv),
        _ => None,
    }
}

fn model(s: &str) -> Option<SecurityModel> {
    match s.to_ascii_lowercase().as_str() {
        "any" => Some(SecurityModel::Any),
        "v1" => Some(SecurityModel::V1),
        "v2c" => Some(SecurityModel::V2c),
        "usm" => Some(SecurityModel::Usm),
        _ => None,
    }
}

/// `default`: every address of the family.
const fn default_source(ipv6: bool) -> Source {
    if ipv6 {
        (IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0)
    } else {
        (IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0)
    }
}

/// A source restriction: `default`, `localhost`, an address, `ADDR/BITS` or `ADDR/MASK`,
/// of the directive's family.
fn source(s: &str, ipv6: bool) -> Result<Source, String> {
    if s.eq_ignore_ascii_case("default") {
        return Ok(default_source(ipv6));
    }
    if s.starts_with('!') {
        return Err("deny sources (!ADDR) are not supported".into());
    }
    let (host, len) = match s.split_once('/') {
        Some((h, l)) => (h, Some(l)),
        None => (s, None),
    };
    let addr = if host.eq_ignore_ascii_case("localhost") {
        if ipv6 {
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        }
    } else {
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<IpAddr>()
            .map_err(|_| "expected default, an address, ADDR/BITS or ADDR/MASK".to_owned())?
    };
    let max = match (addr, ipv6) {
        (IpAddr::V4(_), false) => 32,
        (IpAddr::V6(_), true) => 128,
        (IpAddr::V4(_), true) => return Err("an IPv4 source in an IPv6 directive".into()),
        (IpAddr::V6(_), false) => {
            return Err("an IPv6 source: use the directive's IPv6 form (…6)".into());
        }
    };
    let len = match len {
        None => max,
        Some(l) => match (l.parse::<u8>(), l.parse::<Ipv4Addr>()) {
            (Ok(n), _) if n <= max => n,
            (_, Ok(mask)) if !ipv6 => {
                let bits = u32::from(mask);
                let ones = bits.leading_ones();
                if bits.checked_shl(ones).unwrap_or(0) != 0 {
                    return Err("the mask's one bits are not contiguous".into());
                }
                u8::try_from(ones).map_err(|_| "bad mask".to_owned())?
            }
            _ => return Err(format!("the prefix length is 0..={max}")),
        },
    };
    Ok((addr, len))
}

/// One address of `agentAddress`: `[TRANSPORT:]ADDR[:PORT]`, `[TRANSPORT:]PORT`.
pub(super) fn listen_addr(s: &str) -> Result<ListenAddr, String> {
    const TRANSPORTS: [(&str, Transport, Option<bool>); 10] = [
        ("udp", Transport::Udp, Some(false)),
        ("udp6", Transport::Udp, Some(true)),
        ("udpv6", Transport::Udp, Some(true)),
        ("udpipv6", Transport::Udp, Some(true)),
        ("tcp", Transport::Tcp, Some(false)),
        ("tcp6", Transport::Tcp, Some(true)),
        ("tcpv6", Transport::Tcp, Some(true)),
        ("tcpipv6", Transport::Tcp, Some(true)),
        ("udpip", Transport::Udp, Some(false)),
        ("tcpip", Transport::Tcp, Some(false)),
    ];
    const OTHER: [&str; 9] = [
        "unix", "tls", "dtls", "dtlsudp", "tlstcp", "ssh", "ipx", "aal5pvc", "callback",
    ];
    let (transport, family, addr) = match s.split_once(':') {
        Some((t, rest)) => {
            let lower = t.to_ascii_lowercase();
            if let Some((_, transport, family)) =
                TRANSPORTS.iter().find(|(name, ..)| *name == lower)
            {
                (*transport, *family, rest)
            } else if OTHER.contains(&lower.as_str()) {
                return Err(format!("transport '{t}' is not supported"));
            } else {
                (Transport::Udp, None, s)
            }
        }
        None => (Transport::Udp, None, s),
    };
    let ipv6 = family == Some(true);
    let unspecified = if ipv6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    };
    let port = |p: &str| p.parse::<u16>().map_err(|_| format!("bad port '{p}'"));
    let addr = if addr.is_empty() {
        return Err("missing address".into());
    } else if addr.bytes().all(|b| b.is_ascii_digit()) {
        SocketAddr::new(unspecified, port(addr)?)
    } else if let Ok(sa) = addr.parse::<SocketAddr>() {
        sa
    } else if let Ok(ip) = addr
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
    {
        SocketAddr::new(ip, 161)
    } else {
        let (host, p) = match addr.rsplit_once(':') {
            Some((h, p)) => (h, port(p)?),
            None => (addr, 161),
        };
        if !host.eq_ignore_ascii_case("localhost") {
            return Err(
                "expected an address (host names other than localhost are not looked up)".into(),
            );
        }
        let lo = if ipv6 {
            IpAddr::V6(Ipv6Addr::LOCALHOST)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        };
        SocketAddr::new(lo, p)
    };
    match (family, addr.is_ipv6()) {
        (Some(true), false) => Err("an IPv4 address for an IPv6 transport".into()),
        (Some(false), true) => {
            Err("an IPv6 address for an IPv4 transport: use udp6: or tcp6:".into())
        }
        _ => Ok(ListenAddr::new(transport, addr)),
    }
}

/// A view mask: hexadecimal octets, separated by `:` or `.` or not at all, `0x` optional.
fn mask(s: &str) -> Result<Vec<u8>, String> {
    let body = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let mut out = Vec::new();
    for part in body.split([':', '.']) {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("expected hexadecimal octets like ff or ff:a0".into());
        }
        out.extend(hex(if !part.len().is_multiple_of(2) {
            format!("0{part}")
        } else {
            part.to_owned()
        }
        .as_str())?);
    }
    Ok(out)
}

/// Hexadecimal octets, `0x` optional, `:` allowed between octets.
fn hex(s: &str) -> Result<Vec<u8>, String> {
    let body = s
        .strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .unwrap_or(s);
    let digits: Vec<u32> = body
        .chars()
        .filter(|c| *c != ':')
        .map(|c| c.to_digit(16))
        .collect::<Option<_>>()
        .ok_or("expected hexadecimal octets")?;
    if digits.is_empty() || !digits.len().is_multiple_of(2) {
        return Err("expected an even number of hexadecimal digits".into());
    }
    digits
        .chunks(2)
        .map(|p| match p {
            [h, l] => u8::try_from(h * 16 + l).map_err(|_| "bad octet".to_owned()),
            _ => Err("expected an even number of hexadecimal digits".to_owned()),
        })
        .collect()
}

/// `maxGetbulkRepeats`/`maxGetbulkResponses N`: -1 unlimited, 0 the default.
fn bulk_limit(args: &mut Args<'_>, default: Option<u32>) -> Result<Option<u32>, String> {
    let n = args.next("N")?;
    args.end()?;
    match n.parse::<i64>() {
        Ok(-1) => Ok(None),
        Ok(0) => Ok(default),
        Ok(n) => u32::try_from(n).map(Some).map_err(|_| {
            format!(
                "{}: bad value '{n}': expected -1, 0 or a count",
                args.directive
            )
        }),
        Err(_) => Err(args.bad("value", &n, "expected -1, 0 or a count")),
    }
}

/// A password, or a master key (`-m 0xHEX`).
enum Secret {
    Password(String),
    Master(Vec<u8>),
}

impl Secret {
    fn key(&self, auth: AuthProtocol) -> Result<Key, String> {
        match self {
            Self::Password(p) => password_to_key(auth, p.as_bytes()).map_err(|e| e.to_string()),
            Self::Master(k) if k.len() == auth.key_len() => {
                Key::from_bytes(k).map_err(|e| e.to_string())
            }
            Self::Master(k) => Err(format!(
                "a {} master key has {} octets, not {}",
                auth.name(),
                auth.key_len(),
                k.len()
            )),
        }
    }
}

/// `AUTHPASS`, `-m HEX` or `-l HEX` (localized keys are not supported: `Err(())`).
fn secret(args: &mut Args<'_>, what: &str) -> Result<Result<Secret, ()>, String> {
    let word = args.next(what)?;
    match word.as_str() {
        "-m" => {
            let h = args.next("master key")?;
            let key = hex(&h).map_err(|e| args.bad("master key", &h, e))?;
            Ok(Ok(Secret::Master(key)))
        }
        "-l" => {
            args.next("localized key")?;
            Ok(Err(()))
        }
        _ => Ok(Ok(Secret::Password(word))),
    }
}

/// `createUser [-e ENGINEID] USER [AUTHPROTO AUTHPASS [PRIVPROTO [PRIVPASS]]]`: the user, or
/// a warning if a form is not supported.
fn create_user(
    args: &mut Args<'_>,
    line: usize,
) -> Result<Result<UsmUser, (WarningKind, String)>, String> {
    let engine = if args.flag("-e") {
        let e = args.next("ENGINEID")?;
        Some(
            e.parse::<EngineId>()
                .map_err(|err| args.bad("engine ID", &e, err))?,
        )
    } else {
        None
    };
    let name = args.next("USER")?;
    let mut user = UsmUser::new(name.clone().into_bytes());
    if let Some(engine) = engine {
        user = user.for_engine(engine);
    }
    let localized = || {
        unsupported_form(
            "createUser",
            line,
            &format!("the localized key (-l) of user '{name}'"),
        )
    };
    if let Some(a) = args.opt() {
        let auth: AuthProtocol = a.parse().map_err(|e| format!("createUser: {e}"))?;
        let Ok(auth_secret) = secret(args, "AUTHPASS")? else {
            return Ok(Err(localized()));
        };
        user = user.with_auth_key(
            auth,
            auth_secret
                .key(auth)
                .map_err(|e| format!("createUser: user '{name}': {e}"))?,
        );
        if let Some(p) = args.opt() {
            let privacy: PrivProtocol = p.parse().map_err(|e| format!("createUser: {e}"))?;
            let privacy_secret = if args.words.is_empty() {
                auth_secret
            } else {
                match secret(args, "PRIVPASS")? {
                    Ok(s) => s,
                    Err(()) => return Ok(Err(localized())),
                }
            };
            user = user.with_privacy_key(
                privacy,
                privacy_secret
                    .key(auth)
                    .map_err(|e| format!("createUser: user '{name}': {e}"))?,
            );
        }
    }
    args.end()?;
    Ok(Ok(user))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    /// net-snmp's copy_nword: quotes of both kinds, backslash escapes, `""` as an empty word.
    #[test]
    fn words_like_copy_nword() {
        assert_eq!(
            words(r#"  bob SHA "pass word\"x" 'it''s' a\ b "" end "#).unwrap(),
            ["bob", "SHA", "pass word\"x", "it", "s", "a b", "", "end"]
        );
        assert_eq!(words("").unwrap(), Vec::<String>::new());
        assert!(words(r#"bob "unterminated"#).is_err());
    }

    #[test]
    fn listen_addresses() {
        let udp = |s: &str| listen_addr(s).unwrap();
        let sa = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(udp("udp:161").addr, sa("0.0.0.0:161"));
        assert_eq!(udp("161").addr, sa("0.0.0.0:161"));
        assert_eq!(udp("udp:127.0.0.1:1161").addr, sa("127.0.0.1:1161"));
        assert_eq!(udp("127.0.0.1").addr, sa("127.0.0.1:161"));
        assert_eq!(udp("udp6:[::1]:1161").addr, sa("[::1]:1161"));
        assert_eq!(udp("udp6:[::1]").addr, sa("[::1]:161"));
        assert_eq!(udp("udp6:161").addr, sa("[::]:161"));
        assert_eq!(udp("UDP:localhost:2000").addr, sa("127.0.0.1:2000"));
        assert_eq!(udp("udp6:localhost").addr, sa("[::1]:161"));
        let tcp = udp("tcp:161");
        assert_eq!(
            (tcp.transport, tcp.addr),
            (Transport::Tcp, sa("0.0.0.0:161"))
        );
        assert_eq!(udp("tcp6:[::1]:1161").transport, Transport::Tcp);
        assert_eq!(udp("udp:161").transport, Transport::Udp);
        assert_eq!(udp("tcp6:[::1]:1161").to_string(), "tcp6:[::1]:1161");
        for bad in [
            "udp:",
            "udp:1.2.3.4:99999",
            "udp:example.com",
            "udp6:127.0.0.1:161",
            "udp:[::1]:161",
            "unix:/var/agentx",
            "udp:1.2.3",
        ] {
            assert!(listen_addr(bad).is_err(), "{bad}");
        }
        assert!(
            listen_addr("unix:/x")
                .unwrap_err()
                .contains("not supported")
        );
    }

    #[test]
    fn sources() {
        assert_eq!(source("default", false).unwrap(), (v4(0, 0, 0, 0), 0));
        assert_eq!(
            source("default", true).unwrap(),
            (IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0)
        );
        assert_eq!(source("10.0.0.0/8", false).unwrap(), (v4(10, 0, 0, 0), 8));
        assert_eq!(
            source("10.10.10.0/255.255.255.0", false).unwrap(),
            (v4(10, 10, 10, 0), 24)
        );
        assert_eq!(source("192.0.2.7", false).unwrap(), (v4(192, 0, 2, 7), 32));
        assert_eq!(source("localhost", false).unwrap(), (v4(127, 0, 0, 1), 32));
        assert_eq!(
            source("fd00::/16", true).unwrap(),
            ("fd00::".parse().unwrap(), 16)
        );
        assert_eq!(
            source("::1", true).unwrap(),
            (IpAddr::V6(Ipv6Addr::LOCALHOST), 128)
        );
        for (bad, ipv6) in [
            ("10.0.0.0/33", false),
            ("10.0.0.0/255.0.255.0", false),
            ("!10.0.0.0/8", false),
            ("example.com", false),
            ("::1", false),
            ("127.0.0.1", true),
            ("fd00::/129", true),
        ] {
            assert!(source(bad, ipv6).is_err(), "{bad}");
        }
    }

    #[test]
    fn masks() {
        assert_eq!(mask("ff").unwrap(), [0xff]);
        assert_eq!(mask("0xf0").unwrap(), [0xf0]);
        assert_eq!(mask("ff:a0").unwrap(), [0xff, 0xa0]);
        assert_eq!(mask("ff.a0").unwrap(), [0xff, 0xa0]);
        assert_eq!(mask("ffa0").unwrap(), [0xff, 0xa0]);
        assert_eq!(mask("f").unwrap(), [0x0f]);
        assert!(mask("fg").is_err());
        assert!(mask("ff::a0").is_err());
    }

    #[test]
    fn hex_octets() {
        assert_eq!(hex("0x0102ff").unwrap(), [1, 2, 0xff]);
        assert_eq!(hex("01:02").unwrap(), [1, 2]);
        assert!(hex("0x123").is_err());
        assert!(hex("zz").is_err());
        assert!(hex("").is_err());
    }
}
