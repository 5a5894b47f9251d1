//! The agent's configuration file, a subset of net-snmp's `snmpd.conf(5)`, and its persistent
//! state directory.
//!
//! [`AgentConfig::parse`] reads the text of a configuration file: listening addresses, the
//! community, user and VACM directives, `createUser`, the system group strings, the engine ID
//! and the GETBULK limits. [`AgentConfig::apply_vacm`] fills a [`Vacm`] from the access
//! directives, in the order of the file, and [`AgentConfig::usm_users`] gives the users of
//! `createUser`. [`StateDir`] keeps snmpEngineBoots and the engine ID across restarts.
//!
//! Syntax, as net-snmp reads it: one directive per line, `#` starting a comment line,
//! directive names in any case, words separated by blanks. A word that starts with `"` or
//! `'` runs to the matching quote and may hold blanks; a backslash takes the next character
//! literally (`createUser bob SHA "pass word" AES`, `access g "" any noauth exact v none
//! none`). The system strings (`sysLocation`, `sysContact`, `sysName`, `sysDescr`) take the
//! rest of the line, without the enclosing double quotes if it has them.
//!
//! Mistakes that would leave the agent other than configured (a bad OID, address, source,
//! protocol or password, a missing argument) are a [`ConfigError`] naming the file and line.
//! Directives this agent does not know are a [`ConfigWarning`] of kind
//! [`WarningKind::Unknown`]; net-snmp directives it knows but does not implement (`master`,
//! `agentx*`, `proc`, `disk`, ...) are of kind [`WarningKind::Unsupported`]. Neither stops
//! the parse.
//!
//! The VACM's context table gets the default context `""`, the `context NAME` lines, and the
//! contexts that `com2sec -Cn` and the shortcuts name (the agent may add those it serves).
//!
//! As in net-snmp, `rocommunity`, `rwcommunity` and `com2sec` are for requests over IPv4
//! (`default` is `0.0.0.0/0`; an IPv4-mapped IPv6 source counts as IPv4), and
//! `rocommunity6`, `rwcommunity6` and `com2sec6` for requests over IPv6 (`default` is
//! `::/0`). Sources are addresses, `ADDR/BITS`, `ADDR/MASK` or `localhost`; other host names
//! are refused rather than looked up.
//!
//! ```
//! use std::net::{IpAddr, Ipv4Addr};
//!
//! use snmp_hlapi::agent_config::{AgentConfig, Transport};
//! use snmp_hlapi::{SecurityLevel, oid};
//! use snmp_vacm::{SecurityModel, Vacm, ViewKind};
//!
//! let text = r#"
//! agentAddress udp:127.0.0.1:1161,udp6:[::1]:1161
//! rocommunity public 127.0.0.1 .1.3.6.1.2.1.1
//! createUser admin SHA-256 "correct horse" AES
//! rwuser admin priv
//! sysLocation "Server room, rack 4"
//! "#;
//! let (config, warnings) = AgentConfig::parse(text, "snmpd.conf")?;
//! assert!(warnings.is_empty());
//! assert_eq!(config.listen[0].transport, Transport::Udp);
//! assert_eq!(config.listen[1].addr.to_string(), "[::1]:1161");
//! assert_eq!(config.system.location.as_deref(), Some("Server room, rack 4"));
//!
//! let mut vacm = Vacm::new();
//! config.apply_vacm(&mut vacm)?;
//! let (name, context) = vacm
//!     .resolve_community(b"public", IpAddr::V4(Ipv4Addr::LOCALHOST))
//!     .expect("allowed from 127.0.0.1");
//! let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
//! let read = vacm.is_access_allowed(
//!     SecurityModel::V2c, name, SecurityLevel::NoAuthNoPriv, ViewKind::Read, context, &sys_descr,
//! );
//! assert_eq!(read, Ok(()));
//! assert!(config.usm_users()[0].supports(SecurityLevel::AuthPriv));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod parse;
mod state;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use snmp_mpm::{EngineId, SecurityLevel};
use snmp_smi::{Oid, oid};
use snmp_usm::UsmUser;

use crate::extend::ExtendEntry;
use crate::host::{DiskEntry, ProcEntry};
use crate::pass::Pass;
use snmp_vacm::{AddressPrefix, CommunityEntry, ContextMatch, SecurityModel, Vacm, ViewType};

pub(crate) use state::random_engine_id;
pub use state::{STATE_FILE, StateDir};

/// The agent's configuration: what an `snmpd.conf` says, parsed.
///
/// The public fields may also be set by a program (start from [`Default`]); the access
/// directives and users are only read from a file, and reach the agent through
/// [`apply_vacm`](Self::apply_vacm) and [`usm_users`](Self::usm_users).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct AgentConfig {
    /// `agentAddress`, in the order given. Empty: none configured (see
    /// [`listen_or_default`](Self::listen_or_default)).
    pub listen: Vec<ListenAddr>,
    /// `sysLocation`, `sysContact`, `sysName`, `sysDescr`, `sysObjectID`, `sysServices`.
    pub system: SystemInfo,
    /// `engineID STRING`: the text engine ID (net-snmp's enterprise 8072, format 4 text).
    pub engine_id: Option<EngineId>,
    /// `engineIDType 1|2|3`: build the engine ID from an address of the host.
    pub engine_id_type: Option<EngineIdType>,
    /// `maxGetbulkRepeats`: the most repetitions a GETBULK gets. `None` (net-snmp's default,
    /// `-1`): unlimited.
    pub max_getbulk_repeats: Option<u32>,
    /// `maxGetbulkResponses`: the most bindings a GETBULK response gets. net-snmp's default
    /// is 100; `None` (`-1`): unlimited.
    pub max_getbulk_responses: Option<u32>,
    /// `authtrapenable 1|2`: whether to send authenticationFailure notifications (`None`:
    /// not configured; net-snmp's default is not to).
    pub authtrap_enable: Option<bool>,
    /// `trapsink`, `trap2sink`, `informsink`, `trapsess` and `trapcommunity`, as written,
    /// for the notification originator.
    pub notification_directives: Vec<RawDirective>,
    /// `proxy [-Cn CONTEXT] [SNMPCMD OPTIONS] HOST [OID]`, as written, for the proxy
    /// forwarder.
    pub proxy_directives: Vec<RawDirective>,
    /// `extend` and `extend-sh`: the entries of NET-SNMP-EXTEND-MIB, each with the OID its
    /// tables go under ([`crate::extend`]).
    pub extends: Vec<(Oid, ExtendEntry)>,
    /// `pass` and `pass_persist`: subtrees served by programs ([`crate::pass`]).
    pub passes: Vec<Pass>,
    /// `disk PATH [MINSPACE|MINPERCENT%]`: the rows of UCD-SNMP-MIB's dskTable
    /// ([`crate::host::UcdDisk`]).
    pub disks: Vec<DiskEntry>,
    /// `load MAX1 [MAX5 [MAX15]]`: laTable's maxima (12.00 by default).
    pub load_maxima: Option<[f64; 3]>,
    /// `swap MIN`: the free swap, in KiB, below which memSwapError is set (16000 by
    /// default).
    pub minimum_swap: Option<u64>,
    /// `proc NAME [MAX [MIN]]`: the rows of UCD-SNMP-MIB's prTable
    /// ([`crate::host::UcdProc`]).
    pub procs: Vec<ProcEntry>,
    rules: Vec<Rule>,
    users: Vec<UsmUser>,
}

/// The default of `maxGetbulkResponses` (net-snmp's).
pub const DEFAULT_MAX_GETBULK_RESPONSES: u32 = 100;

impl Default for AgentConfig {
    fn default() -> Self {
        Self {
            listen: Vec::new(),
            system: SystemInfo::default(),
            engine_id: None,
            engine_id_type: None,
            max_getbulk_repeats: None,
            max_getbulk_responses: Some(DEFAULT_MAX_GETBULK_RESPONSES),
            authtrap_enable: None,
            notification_directives: Vec::new(),
            proxy_directives: Vec::new(),
            extends: Vec::new(),
            passes: Vec::new(),
            disks: Vec::new(),
            procs: Vec::new(),
            load_maxima: None,
            minimum_swap: None,
            rules: Vec::new(),
            users: Vec::new(),
        }
    }
}

/// The system group's configured values (`None`: not configured, the agent's own).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SystemInfo {
    /// `sysLocation`.
    pub location: Option<String>,
    /// `sysContact`.
    pub contact: Option<String>,
    /// `sysName`.
    pub name: Option<String>,
    /// `sysDescr`.
    pub descr: Option<String>,
    /// `sysObjectID`.
    pub object_id: Option<Oid>,
    /// `sysServices` (0..=127).
    pub services: Option<u8>,
}

/// One listening address of `agentAddress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ListenAddr {
    /// UDP or TCP.
    pub transport: Transport,
    /// Address and port (161 unless given).
    pub addr: SocketAddr,
}

impl ListenAddr {
    /// A listening address.
    pub const fn new(transport: Transport, addr: SocketAddr) -> Self {
        Self { transport, addr }
    }
}

impl std::str::FromStr for ListenAddr {
    type Err = String;

    /// net-snmp's agent address syntax: `[udp:|udp6:|tcp:|tcp6:]ADDR[:PORT]` or
    /// `[TRANSPORT:]PORT`; the error names the problem.
    fn from_str(s: &str) -> Result<Self, String> {
        parse::listen_addr(s)
    }
}

impl fmt::Display for ListenAddr {
    /// net-snmp's form: `udp:127.0.0.1:161`, `udp6:[::1]:161`, `tcp:0.0.0.0:161`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = match self.transport {
            Transport::Udp => "udp",
            Transport::Tcp => "tcp",
        };
        let six = if self.addr.is_ipv6() { "6" } else { "" };
        write!(f, "{t}{six}:{}", self.addr)
    }
}

/// The transport of a listening address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Transport {
    /// TCP (RFC 3430).
    Tcp,
    /// UDP (RFC 3417).
    Udp,
}

/// `engineIDType`: what net-snmp builds the engine ID from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EngineIdType {
    /// `1`: an IPv4 address of the host (format 1).
    Ipv4,
    /// `2`: an IPv6 address of the host (format 2).
    Ipv6,
    /// `3`: a MAC address of the host (format 3).
    Mac,
}

/// A directive kept as written, for a later consumer (the notification directives).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RawDirective {
    /// Line number, from 1.
    pub line: usize,
    /// The directive, as written (`trap2sink`).
    pub directive: String,
    /// The arguments, split into words with quotes removed.
    pub args: Vec<String>,
    /// The arguments as written: the rest of the line after the directive.
    pub text: String,
}

/// A problem with a configuration file that stops the agent from using it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line that is wrong: `snmpd.conf:12: bad OID ".1.3.x" ...`.
    #[error("{file}:{line}: {message}")]
    Line {
        /// The file's name, as given to [`AgentConfig::parse`].
        file: Box<str>,
        /// Line number, from 1.
        line: usize,
        /// What is wrong, one line.
        message: Box<str>,
    },
}

impl ConfigError {
    /// The line number of a [`Line`](Self::Line) error.
    pub const fn line(&self) -> Option<usize> {
        match self {
            Self::Line { line, .. } => Some(*line),
            Self::Io { .. } => None,
        }
    }
}

/// A directive that was skipped: unknown, or known but not supported here.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigWarning {
    /// Line number, from 1.
    pub line: usize,
    /// The directive, as written.
    pub directive: String,
    /// Which kind of warning.
    pub kind: WarningKind,
    /// What happened: `unknown directive 'foo' at line 12`.
    pub message: String,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a directive was skipped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// A directive that neither this agent nor net-snmp's snmpd knows (a typo?).
    Unknown,
    /// A net-snmp directive (or a form of one) that this agent does not implement.
    Unsupported,
}

/// An access directive, kept in file order for [`AgentConfig::apply_vacm`].
#[derive(Clone, Debug)]
struct Rule {
    line: usize,
    kind: RuleKind,
}

/// A source restriction: an address prefix.
type Source = (IpAddr, u8);

/// What a shortcut directive gives access to.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    /// A subtree, or everything.
    Oid(Option<Oid>),
    /// A view of `view` directives (`-V VIEW`).
    View(String),
}

#[derive(Clone, Debug)]
enum RuleKind {
    /// `rocommunity`, `rwcommunity`, `rocommunity6`, `rwcommunity6`.
    Community {
        write: bool,
        community: String,
        source: Source,
        scope: Scope,
        context: Option<String>,
    },
    /// `rouser`, `rwuser`.
    User {
        write: bool,
        user: String,
        level: SecurityLevel,
        scope: Scope,
        context: Option<String>,
    },
    /// `com2sec`, `com2sec6`.
    Com2Sec {
        context: String,
        security_name: String,
        source: Source,
        community: String,
    },
    /// `group`.
    Group {
        group: String,
        models: Vec<SecurityModel>,
        security_name: String,
    },
    /// `view`.
    View {
        name: String,
        view_type: ViewType,
        subtree: Oid,
        mask: Vec<u8>,
    },
    /// `access`.
    Access {
        group: String,
        context: String,
        model: SecurityModel,
        level: SecurityLevel,
        context_match: ContextMatch,
        read: String,
        write: String,
        notify: String,
    },
    /// `context`.
    Context(String),
}

impl AgentConfig {
    /// Parses the text of a configuration file; `source_name` names it in errors.
    ///
    /// # Errors
    /// The first line that is wrong, as [`ConfigError::Line`].
    pub fn parse(text: &str, source_name: &str) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        let (config, warnings) = parse::parse(text, source_name)?;
        // Names too long for the VACM tables, and the like: found now, with their line.
        config.apply_vacm_named(&mut Vacm::new(), source_name)?;
        Ok((config, warnings))
    }

    /// Reads and parses a configuration file.
    ///
    /// # Errors
    /// [`ConfigError::Io`] if it cannot be read (or is not UTF-8), otherwise as
    /// [`parse`](Self::parse).
    pub fn load(path: impl AsRef<Path>) -> Result<(Self, Vec<ConfigWarning>), ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// The listening addresses: those configured, or net-snmp's default, UDP port 161 on
    /// every IPv4 interface.
    pub fn listen_or_default(&self) -> Vec<ListenAddr> {
        if self.listen.is_empty() {
            let any = SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 161);
            vec![ListenAddr::new(Transport::Udp, any)]
        } else {
            self.listen.clone()
        }
    }

    /// The USM users of the `createUser` lines, keys already derived from the passwords.
    pub fn usm_users(&self) -> Vec<UsmUser> {
        self.users.clone()
    }

    /// Adds the access directives to `vacm`, in the order of the file: the net-snmp
    /// shortcuts (`rocommunity`, `rwcommunity`, their IPv6 forms, `rouser`, `rwuser`) as
    /// [`Vacm::rocommunity`] and its siblings add them, and `com2sec`, `group`, `view`,
    /// `access` and `context` as rows of the tables.
    ///
    /// A shortcut with a named view (`-V VIEW`) or a context adds rows of its own: security
    /// name `commVN` and group `grpcommVN` for a community (N counting such shortcuts), group
    /// `grpUSER` for a user, view `viewCommVN`/`viewUSMVN` for an OID. A context ending in
    /// `*` is a prefix; without a context, every context.
    ///
    /// # Errors
    /// What the tables refuse (never after a successful [`parse`](Self::parse), which tries
    /// the same on empty tables), with the line of the directive.
    pub fn apply_vacm(&self, vacm: &mut Vacm) -> Result<(), ConfigError> {
        self.apply_vacm_named(vacm, "configuration")
    }

    fn apply_vacm_named(&self, vacm: &mut Vacm, file: &str) -> Result<(), ConfigError> {
        let mut named = 0_u32;
        for rule in &self.rules {
            apply_rule(vacm, &rule.kind, &mut named).map_err(|e| ConfigError::Line {
                file: file.into(),
                line: rule.line,
                message: e.to_string().into(),
            })?;
        }
        Ok(())
    }
}

fn apply_rule(
    vacm: &mut Vacm,
    rule: &RuleKind,
    named: &mut u32,
) -> Result<(), snmp_vacm::ConfigError> {
    match rule {
        RuleKind::Community {
            write,
            community,
            source,
            scope,
            context,
        } => {
            if let (Scope::Oid(oid), None) = (scope, context) {
                if *write {
                    vacm.rwcommunity(community, Some(*source), oid.clone())?;
                } else {
                    vacm.rocommunity(community, Some(*source), oid.clone())?;
                }
                return Ok(());
            }
            *named += 1;
            let n = *named;
            let security_name = format!("commV{n}");
            let group = format!("grp{security_name}");
            let view = scope_view(vacm, scope, &format!("viewCommV{n}"))?;
            let (prefix, context_match, entry_context) = context_of(vacm, context.as_deref())?;
            let source = AddressPrefix::new(source.0, source.1)?;
            vacm.add_community(CommunityEntry::new(
                community,
                &security_name,
                entry_context,
                Some(source),
            )?);
            vacm.add_group_member(SecurityModel::V1, &security_name, &group)?;
            vacm.add_group_member(SecurityModel::V2c, &security_name, &group)?;
            let rw = if *write { view.as_str() } else { "" };
            vacm.add_access(
                &group,
                prefix,
                context_match,
                SecurityModel::Any,
                SecurityLevel::NoAuthNoPriv,
                &view,
                rw,
                rw,
            )?;
        }
        RuleKind::User {
            write,
            user,
            level,
            scope,
            context,
        } => {
            if let (Scope::Oid(oid), None) = (scope, context) {
                if *write {
                    vacm.rwuser(user, *level, oid.clone())?;
                } else {
                    vacm.rouser(user, *level, oid.clone())?;
                }
                return Ok(());
            }
            *named += 1;
            let n = *named;
            let group: String = "grp"
                .chars()
                .chain(user.chars().take(28).map(
                    |c| {
                        if c.is_ascii_alphanumeric() { c } else { '_' }
                    },
                ))
                .collect();
            let view = scope_view(vacm, scope, &format!("viewUSMV{n}"))?;
            let (prefix, context_match, _) = context_of(vacm, context.as_deref())?;
            vacm.add_group_member(SecurityModel::Usm, user, &group)?;
            let rw = if *write { view.as_str() } else { "" };
            vacm.add_access(
                &group,
                prefix,
                context_match,
                SecurityModel::Usm,
                *level,
                &view,
                rw,
                rw,
            )?;
        }
        RuleKind::Com2Sec {
            context,
            security_name,
            source,
            community,
        } => {
            if !context.is_empty() {
                vacm.add_context(context)?;
            }
            let source = AddressPrefix::new(source.0, source.1)?;
            vacm.add_community(CommunityEntry::new(
                community,
                security_name,
                context,
                Some(source),
            )?);
        }
        RuleKind::Group {
            group,
            models,
            security_name,
        } => {
            for model in models {
                vacm.add_group_member(*model, security_name, group)?;
            }
        }
        RuleKind::View {
            name,
            view_type,
            subtree,
            mask,
        } => {
            vacm.add_view(name, subtree.clone(), mask, *view_type)?;
        }
        RuleKind::Access {
            group,
            context,
            model,
            level,
            context_match,
            read,
            write,
            notify,
        } => {
            vacm.add_access(
                group,
                context,
                *context_match,
                *model,
                *level,
                read,
                write,
                notify,
            )?;
        }
        RuleKind::Context(name) => {
            vacm.add_context(name)?;
        }
    }
    Ok(())
}

/// The view name of a shortcut with its own rows: the named view, the subtree's own view
/// `name`, or net-snmp's `_all_` view.
fn scope_view(
    vacm: &mut Vacm,
    scope: &Scope,
    name: &str,
) -> Result<String, snmp_vacm::ConfigError> {
    match scope {
        Scope::View(view) => Ok(view.clone()),
        Scope::Oid(Some(oid)) => {
            vacm.add_view(name, oid.clone(), &[], ViewType::Included)?;
            Ok(name.to_owned())
        }
        Scope::Oid(None) => {
            for root in [oid!(0), oid!(1), oid!(2)] {
                vacm.add_view("_all_", root, &[], ViewType::Included)?;
            }
            Ok("_all_".to_owned())
        }
    }
}

/// The context prefix, match type and community context of a shortcut's context field:
/// none (every context), `NAME*` (a prefix) or `NAME` (that context, added to the table).
fn context_of<'a>(
    vacm: &mut Vacm,
    context: Option<&'a str>,
) -> Result<(&'a str, ContextMatch, &'a str), snmp_vacm::ConfigError> {
    Ok(match context {
        None | Some("*") => ("", ContextMatch::Prefix, ""),
        Some(c) => match c.strip_suffix('*') {
            Some(prefix) => (prefix, ContextMatch::Prefix, ""),
            None => {
                vacm.add_context(c)?;
                (c, ContextMatch::Exact, c)
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use std::net::Ipv6Addr;

    use snmp_vacm::{AccessError, ViewKind};

    use super::*;

    /// Every directive this module reads, as a Debian-like snmpd.conf has them.
    const REALISTIC: &str = r#"
###########################################################################
# snmpd.conf for the test agent
###########################################################################
agentAddress  udp:127.0.0.1:1161,udp6:[::1]:1161, tcp:1161

# Communities
rocommunity public  127.0.0.1 .1.3.6.1.2.1.1
rwcommunity private 10.0.0.0/8
rocommunity6 public6 default .1.3.6.1.2.1.2
rwcommunity6 private6 fd00::/16
rocommunity viewed default -V systemonly

# VACM
com2sec -Cn vlan10 ctxsec 192.168.1.0/255.255.255.0 ctxcomm
com2sec  localsec   localhost   localcomm
com2sec6 localsec6  ::1         localcomm6
group  localgroup  v2c   localsec
group  localgroup  v1    localsec
group  anygroup    any   localsec6
view   systemonly  included  .1.3.6.1.2.1.1
view   systemonly  included  .1.3.6.1.2.1.25.1
view   ifrow4      included  .1.3.6.1.2.1.2.2.1.0.4  ff:a0
view   all         included  .1
view   all         excluded  .1.3.6.1.6.3.15
access localgroup  ""  any  noauth  exact   systemonly  none  none
access anygroup    ""  v2c  noauth  prefix  all         all   all
context vlan20

# USM
createUser authOnly MD5 "auth pass phrase"
createUser admin SHA-256 authpassword AES-256 privpassword
createUser shared SHA "same for both" DES
createUser -e 0x80001f8880aabbccdd trapper SHA-512 trapperpass AES
createUser mkey SHA -m 0x000102030405060708090a0b0c0d0e0f10111213 AES -m 0x000102030405060708090a0b0c0d0e0f10111213
createUser nobody
rouser authOnly
rouser -s usm nobody noauth .1.3.6.1.2.1.1
rwuser admin priv
rwuser shared authPriv -V systemonly

# System
sysLocation    "Server room, rack 4"
sysContact     Me <me@example.org>
sysName        agent-1
sysDescr       snmp-rs test agent
sysObjectID    .1.3.6.1.4.1.8072.3.2.10
sysServices    72

# Engine
engineID       router-1
engineIDType   3
maxGetbulkRepeats    50
maxGetbulkResponses  -1
authtrapenable 1

# Notifications
trapsink     localhost public
trap2sink    192.0.2.1:162 "trap community"
informsink   localhost secret
trapsess     -v 3 -u admin -l authPriv localhost:162

# Not supported here
master agentx
agentXSocket tcp:localhost:705
proc  sshd
disk  / 10000
load  12 10 5
includeAllDisks 10%
engineIDNic eth0
frobnicate yes
"#;

    fn parse(text: &str) -> Result<(AgentConfig, Vec<ConfigWarning>), ConfigError> {
        AgentConfig::parse(text, "snmpd.conf")
    }

    fn err(text: &str) -> (usize, String) {
        match parse(text) {
            Err(ConfigError::Line {
                file,
                line,
                message,
            }) => {
                assert_eq!(&*file, "snmpd.conf");
                (line, message.into())
            }
            other => panic!("expected a line error, got {other:?}"),
        }
    }

    fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(a, b, c, d))
    }

    #[test]
    fn realistic_file() {
        let (config, warnings) = parse(REALISTIC).unwrap();
        let listen: Vec<String> = config.listen.iter().map(ToString::to_string).collect();
        assert_eq!(
            listen,
            ["udp:127.0.0.1:1161", "udp6:[::1]:1161", "tcp:0.0.0.0:1161"]
        );
        let system = &config.system;
        assert_eq!(system.location.as_deref(), Some("Server room, rack 4"));
        assert_eq!(system.contact.as_deref(), Some("Me <me@example.org>"));
        assert_eq!(system.name.as_deref(), Some("agent-1"));
        assert_eq!(system.descr.as_deref(), Some("snmp-rs test agent"));
        assert_eq!(
            system.object_id,
            Some(oid!(1, 3, 6, 1, 4, 1, 8072, 3, 2, 10))
        );
        assert_eq!(system.services, Some(72));
        assert_eq!(
            config.engine_id,
            Some(EngineId::from_text(8072, "router-1").unwrap())
        );
        assert_eq!(config.engine_id_type, Some(EngineIdType::Mac));
        assert_eq!(config.max_getbulk_repeats, Some(50));
        assert_eq!(config.max_getbulk_responses, None);
        assert_eq!(config.authtrap_enable, Some(true));

        let notif: Vec<(&str, usize)> = config
            .notification_directives
            .iter()
            .map(|d| (d.directive.as_str(), d.args.len()))
            .collect();
        assert_eq!(
            notif,
            [
                ("trapsink", 2),
                ("trap2sink", 2),
                ("informsink", 2),
                ("trapsess", 7)
            ]
        );
        assert_eq!(
            config.notification_directives[1].args,
            ["192.0.2.1:162", "trap community"]
        );
        assert_eq!(
            config.notification_directives[1].text,
            "192.0.2.1:162 \"trap community\""
        );

        // `proc  sshd`, `disk  / 10000` and `load  12 10 5`: prTable and dskTable rows and
        // laTable's maxima now, not warnings.
        assert_eq!(config.procs, [ProcEntry::parse_line("sshd").unwrap()]);
        assert_eq!(config.load_maxima, Some([12.0, 10.0, 5.0]));
        assert_eq!(config.disks, [DiskEntry::parse_line("/ 10000").unwrap()]);
        let warned: Vec<(&str, WarningKind)> = warnings
            .iter()
            .map(|w| (w.directive.as_str(), w.kind))
            .collect();
        use WarningKind::{Unknown, Unsupported};
        assert_eq!(
            warned,
            [
                ("master", Unsupported),
                ("agentXSocket", Unsupported),
                ("includeAllDisks", Unsupported),
                ("engineIDNic", Unsupported),
                ("frobnicate", Unknown),
            ]
        );
        let users = config.usm_users();
        assert_eq!(users.len(), 6);
    }

    #[test]
    fn warnings_name_line_and_kind() {
        let (config, warnings) = parse("# c\n\n  foo bar\nmaster agentx\nsysName x\n").unwrap();
        assert_eq!(config.system.name.as_deref(), Some("x"));
        assert_eq!(warnings.len(), 2);
        assert_eq!(warnings[0].line, 3);
        assert_eq!(warnings[0].directive, "foo");
        assert_eq!(warnings[0].kind, WarningKind::Unknown);
        assert_eq!(warnings[0].to_string(), "unknown directive 'foo' at line 3");
        assert_eq!(warnings[1].line, 4);
        assert_eq!(warnings[1].kind, WarningKind::Unsupported);
        assert_eq!(
            warnings[1].message,
            "directive 'master' at line 4 is not supported (ignored)"
        );
        // Unsupported forms of supported directives: skipped, with a warning.
        let (config, warnings) =
            parse("rouser -s tsm bob\ngroup g ksm bob\ncreateUser u SHA -l 0x0102 AES -l 0x0102\n")
                .unwrap();
        assert!(config.usm_users().is_empty());
        assert!(config.rules.is_empty());
        assert_eq!(warnings.len(), 3);
        assert!(warnings.iter().all(|w| w.kind == WarningKind::Unsupported));
        assert_eq!(
            warnings[0].message,
            "rouser at line 1: security model 'tsm' is not supported (ignored)"
        );
    }

    #[test]
    fn errors_name_line_and_problem() {
        let cases: &[(&str, usize, &str)] = &[
            (
                "sysName a\nrocommunity public default .1.3.x\n",
                2,
                "rocommunity: bad OID '.1.3.x'",
            ),
            ("\n\nagentAddress udp:1.2.3.4:70000\n", 3, "bad address"),
            ("agentAddress udp:host.example:161\n", 1, "bad address"),
            ("agentAddress\n", 1, "missing address"),
            ("rocommunity\n", 1, "rocommunity: missing COMMUNITY"),
            ("rocommunity p 10.0.0.0/40\n", 1, "bad source '10.0.0.0/40'"),
            ("rocommunity p ::1\n", 1, "bad source"),
            ("com2sec n !10.0.0.0/8 c\n", 1, "deny sources"),
            ("com2sec n default\n", 1, "com2sec: missing COMMUNITY"),
            ("\ncreateUser bob SHA\n", 2, "createUser: missing AUTHPASS"),
            (
                "createUser bob SHA-999 password1\n",
                1,
                "unknown authentication protocol",
            ),
            (
                "createUser bob SHA password1 BLOWFISH\n",
                1,
                "unknown privacy protocol",
            ),
            ("createUser bob MD5 short\n", 1, "at least 8"),
            ("createUser bob MD5 password1 DES short\n", 1, "at least 8"),
            (
                "createUser bob SHA -m 0x0102\n",
                1,
                "master key has 20 octets",
            ),
            ("createUser -e 0xzz bob\n", 1, "bad engine ID"),
            (
                "createUser bob MD5 password1 DES pw2345678 extra\n",
                1,
                "unexpected argument 'extra'",
            ),
            ("createUser bob \"MD5\n", 1, "no closing"),
            (
                "rouser bob superpriv\n",
                1,
                "bad security level 'superpriv'",
            ),
            ("group g v3 bob\n", 1, "bad security model 'v3'"),
            ("group g v2c\n", 1, "group: missing SECNAME"),
            ("view v sideways .1\n", 1, "bad view type 'sideways'"),
            ("view v included .1 zz\n", 1, "bad mask 'zz'"),
            ("view v included .1 ff 00\n", 1, "unexpected argument '00'"),
            (
                "access g \"\" any noauth exact a b\n",
                1,
                "missing NOTIFY view",
            ),
            (
                "access g \"\" any noauth fuzzy a b c\n",
                1,
                "bad context match 'fuzzy'",
            ),
            ("sysLocation\n", 1, "sysLocation: missing value"),
            ("sysServices 200\n", 1, "bad value '200'"),
            ("sysObjectID system\n", 1, "bad OID 'system'"),
            (
                "engineID abcdefghijklmnopqrstuvwxyz0123\n",
                1,
                "bad engine ID",
            ),
            ("engineIDType 4\n", 1, "bad engine ID type '4'"),
            ("maxGetbulkRepeats -2\n", 1, "bad value '-2'"),
            ("maxGetbulkResponses many\n", 1, "bad value 'many'"),
            ("authtrapenable yes\n", 1, "bad value 'yes'"),
            // Refused by the VACM tables (a 33-octet name), found by parse too.
            (
                "sysName x\ngroup g v2c abcdefghijklmnopqrstuvwxyz0123456\n",
                2,
                "security name must be 1..=32 octets",
            ),
        ];
        for (text, line, message) in cases {
            let (l, m) = err(text);
            assert_eq!(l, *line, "{text:?}: {m}");
            assert!(m.contains(message), "{text:?}: {m:?} lacks {message:?}");
            assert!(!m.contains('\n'), "{m:?}");
        }
        let e = parse("\n\nrocommunity p default .1.x\n").unwrap_err();
        assert_eq!(e.line(), Some(3));
        assert!(
            e.to_string()
                .starts_with("snmpd.conf:3: rocommunity: bad OID"),
            "{e}"
        );
    }

    #[test]
    fn load_reads_a_file_and_names_it() {
        let dir = std::env::temp_dir().join(format!("snmp-rs-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("snmpd.conf");
        std::fs::write(&path, "sysName loaded\nbogus\nview v included .1.x\n").unwrap();
        let e = AgentConfig::load(&path).unwrap_err();
        assert_eq!(e.line(), Some(3));
        assert!(e.to_string().contains("snmpd.conf:3:"), "{e}");
        std::fs::write(&path, "sysName loaded\nbogus\n").unwrap();
        let (config, warnings) = AgentConfig::load(&path).unwrap();
        assert_eq!(config.system.name.as_deref(), Some("loaded"));
        assert_eq!(warnings.len(), 1);
        let missing = AgentConfig::load(dir.join("absent.conf")).unwrap_err();
        assert!(matches!(missing, ConfigError::Io { .. }), "{missing}");
        assert_eq!(missing.line(), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn error_size() {
        assert!(
            size_of::<ConfigError>() <= 48,
            "{}",
            size_of::<ConfigError>()
        );
    }

    #[test]
    fn defaults() {
        let (config, warnings) = parse("").unwrap();
        assert!(warnings.is_empty());
        assert_eq!(config.max_getbulk_responses, Some(100));
        assert_eq!(config.max_getbulk_repeats, None);
        let listen = config.listen_or_default();
        assert_eq!(listen.len(), 1);
        assert_eq!(listen[0].to_string(), "udp:0.0.0.0:161");
        let (config, _) = parse("maxGetbulkResponses 0\nmaxGetbulkRepeats 0\n").unwrap();
        assert_eq!(config.max_getbulk_responses, Some(100));
        assert_eq!(config.max_getbulk_repeats, None);
        let (config, _) = parse("authtrapenable 2\nsysLocation  a \"b\" c  \n").unwrap();
        assert_eq!(config.authtrap_enable, Some(false));
        assert_eq!(config.system.location.as_deref(), Some("a \"b\" c"));
    }

    fn vacm(text: &str) -> Vacm {
        let (config, _) = parse(text).unwrap();
        let mut vacm = Vacm::new();
        config.apply_vacm(&mut vacm).unwrap();
        vacm
    }

    /// The community's principal from `source`, and what it may do with `oid`.
    fn community(
        vacm: &Vacm,
        community: &str,
        source: IpAddr,
        kind: ViewKind,
        oid: &Oid,
    ) -> Option<Result<(), AccessError>> {
        let (name, context) = vacm.resolve_community(community.as_bytes(), source)?;
        Some(vacm.is_access_allowed(
            SecurityModel::V2c,
            name,
            SecurityLevel::NoAuthNoPriv,
            kind,
            context,
            oid,
        ))
    }

    #[test]
    fn rocommunity_with_source_and_oid() {
        let v = vacm("rocommunity public 192.168.1.0/24 .1.3.6.1.2.1.1\n");
        let inside = v4(192, 168, 1, 9);
        let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
        let if_number = oid!(1, 3, 6, 1, 2, 1, 2, 1, 0);
        use ViewKind::{Read, Write};
        assert_eq!(
            community(&v, "public", inside, Read, &sys_descr),
            Some(Ok(()))
        );
        assert_eq!(
            community(&v, "public", inside, Read, &if_number),
            Some(Err(AccessError::NotInView))
        );
        assert_eq!(
            community(&v, "public", inside, Write, &sys_descr),
            Some(Err(AccessError::NoSuchView))
        );
        assert_eq!(
            community(&v, "public", v4(192, 168, 2, 9), Read, &sys_descr),
            None
        );
        assert_eq!(community(&v, "private", inside, Read, &sys_descr), None);
        // An IPv4 directive: not for IPv6 sources, but for IPv4-mapped ones.
        assert_eq!(
            community(
                &v,
                "public",
                IpAddr::V6(Ipv6Addr::LOCALHOST),
                Read,
                &sys_descr
            ),
            None
        );
        let mapped = IpAddr::V6(Ipv4Addr::new(192, 168, 1, 9).to_ipv6_mapped());
        assert_eq!(
            community(&v, "public", mapped, Read, &sys_descr),
            Some(Ok(()))
        );
    }

    #[test]
    fn rwcommunity_and_ipv6_forms() {
        let v = vacm(
            "rwcommunity private\nrocommunity6 public6 default .1.3.6.1.2.1.2\nrwcommunity6 rw6 fd00::/16\n",
        );
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        let ifs = oid!(1, 3, 6, 1, 2, 1, 2, 1, 0);
        let lo6 = IpAddr::V6(Ipv6Addr::LOCALHOST);
        use ViewKind::{Read, Write};
        assert_eq!(
            community(&v, "private", v4(8, 8, 8, 8), Write, &sys),
            Some(Ok(()))
        );
        assert_eq!(community(&v, "private", lo6, Write, &sys), None);
        assert_eq!(community(&v, "public6", lo6, Read, &ifs), Some(Ok(())));
        assert_eq!(
            community(&v, "public6", lo6, Read, &sys),
            Some(Err(AccessError::NotInView))
        );
        assert_eq!(community(&v, "public6", v4(127, 0, 0, 1), Read, &ifs), None);
        let ula: IpAddr = "fd00:1::5".parse().unwrap();
        assert_eq!(community(&v, "rw6", ula, Write, &sys), Some(Ok(())));
        assert_eq!(community(&v, "rw6", lo6, Write, &sys), None);
    }

    #[test]
    fn community_with_named_view_and_context() {
        let v = vacm(
            "view sys included .1.3.6.1.2.1.1\nrwcommunity ctxcomm default -V sys vlan10\nrocommunity viewed -V sys\n",
        );
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        let lo = v4(127, 0, 0, 1);
        let (name, context) = v.resolve_community(b"ctxcomm", lo).unwrap();
        assert_eq!(context, b"vlan10");
        assert!(v.has_context(b"vlan10"));
        let ask = |name: &[u8], context: &[u8], kind, oid: &Oid| {
            v.is_access_allowed(
                SecurityModel::V2c,
                name,
                SecurityLevel::NoAuthNoPriv,
                kind,
                context,
                oid,
            )
        };
        assert_eq!(ask(name, context, ViewKind::Write, &sys), Ok(()));
        assert_eq!(
            ask(name, context, ViewKind::Read, &oid!(1, 3, 6, 1, 2, 1, 2)),
            Err(AccessError::NotInView)
        );
        assert_eq!(
            ask(name, b"", ViewKind::Read, &sys),
            Err(AccessError::NoAccessEntry)
        );
        assert_eq!(
            community(&v, "viewed", lo, ViewKind::Read, &sys),
            Some(Ok(()))
        );
        assert_eq!(
            community(&v, "viewed", lo, ViewKind::Write, &sys),
            Some(Err(AccessError::NoSuchView))
        );
    }

    #[test]
    fn load_and_swap_lines() {
        let (config, warnings) = AgentConfig::parse("load 5 4.5\nswap 20000\n", "t").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(config.load_maxima, Some([5.0, 4.5, 4.5]));
        assert_eq!(config.minimum_swap, Some(20_000));
        let (config, _) = AgentConfig::parse("load\nswap x\n", "t").unwrap();
        assert_eq!(config.load_maxima, Some([12.0; 3]));
        assert_eq!(config.minimum_swap, Some(0));
        let (config, _) = AgentConfig::parse("load 2.5x 0 -1e1\n", "t").unwrap();
        assert_eq!(config.load_maxima, Some([2.5, 0.0, -10.0]));
    }

    #[test]
    fn proc_lines() {
        let (config, _) = AgentConfig::parse("proc sshd\nproc httpd 5 1\n", "t.conf").unwrap();
        let names: Vec<&str> = config.procs.iter().map(ProcEntry::name).collect();
        assert_eq!(names, ["sshd", "httpd"]);
        let err = AgentConfig::parse("proc sshd\nproc sshd 2\n", "t.conf").unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert!(
            err.to_string().contains("proc: 'sshd' is defined twice"),
            "{err}"
        );
    }

    #[test]
    fn disk_lines() {
        let (config, warnings) =
            AgentConfig::parse("disk / 10%\ndisk /var 50000\ndisk /home\n", "t.conf").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let paths: Vec<&str> = config.disks.iter().map(DiskEntry::path).collect();
        assert_eq!(paths, ["/", "/var", "/home"]);
        let err = AgentConfig::parse("disk\n", "t.conf").unwrap_err();
        assert!(
            err.to_string().contains("disk: a mount point is needed"),
            "{err}"
        );
    }

    #[test]
    fn pass_lines() {
        let (config, warnings) = AgentConfig::parse(
            "pass .1.3.6.1.4.1.9.1 /bin/sh /x.sh\npass_persist -p 5 .1.3.6.1.4.1.9.2 /usr/bin/x\n",
            "t.conf",
        )
        .unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let roots: Vec<String> = config.passes.iter().map(|p| p.root().to_string()).collect();
        assert_eq!(roots, ["1.3.6.1.4.1.9.1", "1.3.6.1.4.1.9.2"]);
        let err = AgentConfig::parse("pass .1.3.6.1.4.1.9.1\n", "t.conf").unwrap_err();
        assert!(err.to_string().contains("pass: no program"), "{err}");
        let err = AgentConfig::parse("pass_persist x /bin/true\n", "t.conf").unwrap_err();
        assert!(
            err.to_string().contains("pass_persist: bad OID 'x'"),
            "{err}"
        );
    }

    #[test]
    fn extend_lines() {
        let (config, warnings) =
            AgentConfig::parse("extend a /bin/echo x\nextend-sh b echo \"y\n", "t.conf").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = config.extends.iter().map(|(_, e)| e.name()).collect();
        assert_eq!(names, ["a", "b"]);
        let twice = AgentConfig::parse("extend a /bin/true\nextend a /bin/false\n", "t.conf");
        let err = twice.unwrap_err();
        assert_eq!(err.line(), Some(2));
        assert!(err.to_string().contains("'a' is defined twice"), "{err}");
        // Under another OID the same name is another entry.
        assert!(
            AgentConfig::parse(
                "extend a /bin/true\nextend .1.3.6.1.4.1.9 a /bin/true\n",
                "t"
            )
            .is_ok()
        );
        let err = AgentConfig::parse("extend lonely\n", "t.conf").unwrap_err();
        assert!(
            err.to_string().contains("extend: 'lonely' has no command"),
            "{err}"
        );
    }

    #[test]
    fn com2sec_group_view_access() {
        let v = vacm(
            r#"
com2sec -Cn vlan10 ctxsec 192.168.1.0/255.255.255.0 ctxcomm
com2sec  localsec  localhost  localcomm
group  localgroup  v2c  localsec
group  ctxgroup    any  ctxsec
view   systemonly  included  .1.3.6.1.2.1.1
view   ifrow4      included  .1.3.6.1.2.1.2.2.1.0.4  ff:a0
view   all         included  .1
view   all         excluded  .1.3.6.1.6.3.15
access localgroup  ""  v2c  noauth  exact  systemonly  none  ifrow4
access ctxgroup  vlan  any  noauth  prefix  all  all  none
"#,
        );
        let lo = v4(127, 0, 0, 1);
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        use ViewKind::{Notify, Read, Write};
        assert_eq!(community(&v, "localcomm", lo, Read, &sys), Some(Ok(())));
        assert_eq!(
            community(&v, "localcomm", lo, Write, &sys),
            Some(Err(AccessError::NoSuchView))
        );
        assert_eq!(
            community(
                &v,
                "localcomm",
                lo,
                Notify,
                &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 4)
            ),
            Some(Ok(()))
        );
        assert_eq!(
            community(
                &v,
                "localcomm",
                lo,
                Notify,
                &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 5)
            ),
            Some(Err(AccessError::NotInView))
        );
        assert_eq!(
            community(&v, "localcomm", v4(127, 0, 0, 2), Read, &sys),
            None
        );
        // v1 was not put in the group.
        let (name, _) = v.resolve_community(b"localcomm", lo).unwrap();
        assert_eq!(v.group_of(SecurityModel::V1, name), None);
        // The -Cn context, the group for every model, a prefix match.
        let src = v4(192, 168, 1, 200);
        assert_eq!(
            v.resolve_community(b"ctxcomm", src),
            Some((&b"ctxsec"[..], &b"vlan10"[..]))
        );
        assert_eq!(community(&v, "ctxcomm", src, Write, &sys), Some(Ok(())));
        assert_eq!(
            community(
                &v,
                "ctxcomm",
                src,
                Read,
                &oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0)
            ),
            Some(Err(AccessError::NotInView))
        );
        for model in [SecurityModel::V1, SecurityModel::V2c, SecurityModel::Usm] {
            assert_eq!(v.group_of(model, b"ctxsec"), Some(&b"ctxgroup"[..]));
        }
    }

    fn user_access(
        vacm: &Vacm,
        user: &str,
        level: SecurityLevel,
        kind: ViewKind,
        oid: &Oid,
    ) -> Result<(), AccessError> {
        vacm.is_access_allowed(SecurityModel::Usm, user.as_bytes(), level, kind, b"", oid)
    }

    #[test]
    fn users_and_levels() {
        let (config, _) = parse(REALISTIC).unwrap();
        let mut v = Vacm::new();
        config.apply_vacm(&mut v).unwrap();
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        let ent = oid!(1, 3, 6, 1, 4, 1, 8072);
        use SecurityLevel::{AuthNoPriv, AuthPriv, NoAuthNoPriv};
        use ViewKind::{Read, Write};
        // rouser authOnly: auth by default, read only, everything.
        assert_eq!(user_access(&v, "authOnly", AuthNoPriv, Read, &ent), Ok(()));
        assert_eq!(
            user_access(&v, "authOnly", NoAuthNoPriv, Read, &ent),
            Err(AccessError::NoAccessEntry)
        );
        assert_eq!(
            user_access(&v, "authOnly", AuthNoPriv, Write, &ent),
            Err(AccessError::NoSuchView)
        );
        // rouser -s usm nobody noauth .1.3.6.1.2.1.1
        assert_eq!(user_access(&v, "nobody", NoAuthNoPriv, Read, &sys), Ok(()));
        assert_eq!(
            user_access(&v, "nobody", NoAuthNoPriv, Read, &ent),
            Err(AccessError::NotInView)
        );
        // rwuser admin priv
        assert_eq!(user_access(&v, "admin", AuthPriv, Write, &ent), Ok(()));
        assert_eq!(
            user_access(&v, "admin", AuthNoPriv, Read, &ent),
            Err(AccessError::NoAccessEntry)
        );
        // rwuser shared authPriv -V systemonly
        assert_eq!(user_access(&v, "shared", AuthPriv, Write, &sys), Ok(()));
        assert_eq!(
            user_access(&v, "shared", AuthPriv, Write, &ent),
            Err(AccessError::NotInView)
        );

        let users = config.usm_users();
        let find = |name: &str| {
            users
                .iter()
                .find(|u| u.name() == name.as_bytes())
                .unwrap_or_else(|| panic!("no user {name}"))
        };
        let levels = |name: &str| {
            let u = find(name);
            [NoAuthNoPriv, AuthNoPriv, AuthPriv].map(|l| u.supports(l))
        };
        assert_eq!(levels("nobody"), [true, false, false]);
        assert_eq!(levels("authOnly"), [true, true, false]);
        assert_eq!(levels("admin"), [true, true, true]);
        assert_eq!(levels("shared"), [true, true, true]);
        assert_eq!(levels("trapper"), [true, true, true]);
        assert_eq!(levels("mkey"), [true, true, true]);
        assert_eq!(
            find("authOnly").auth_protocol(),
            Some(snmp_usm::AuthProtocol::Md5)
        );
        assert_eq!(
            find("admin").auth_protocol(),
            Some(snmp_usm::AuthProtocol::Sha256)
        );
        assert_eq!(
            find("trapper").auth_protocol(),
            Some(snmp_usm::AuthProtocol::Sha512)
        );
        let dbg = format!("{:?}", find("admin"));
        assert!(
            dbg.contains("Aes256") && !dbg.contains("authpassword"),
            "{dbg}"
        );
        assert!(format!("{:?}", find("trapper")).contains("80001f8880aabbccdd"));
        assert!(format!("{:?}", find("shared")).contains("Des"));
    }

    /// Whether a message that an engine with the users of `sender` authenticates (and
    /// encrypts) for `level` passes the checks of an engine with the users of `receiver`:
    /// whether the two configurations give user "u" the same keys.
    #[expect(clippy::disallowed_methods, reason = "the USM's boot time, in a test")]
    fn same_keys(sender: &str, receiver: &str, level: SecurityLevel) -> bool {
        use bytes::Bytes;
        use snmp_ber::{DecodeOptions, Decoder};
        use snmp_mpm::{HeaderData, Message, MsgFlags, ScopedPdu};
        use snmp_smi::{BasicPdu, Pdu, VarBind};

        let engine = EngineId::from_text(8072, "keys").unwrap();
        let now = std::time::Instant::now();
        let usm = |text| {
            let (config, _) = parse(text).unwrap();
            let mut usm = snmp_usm::Usm::new(engine.clone(), 3, now, 7);
            for u in config.usm_users() {
                usm.add_user(u);
            }
            usm
        };
        let scoped = ScopedPdu {
            context_engine_id: engine.to_bytes(),
            context_name: Bytes::new(),
            pdu: Pdu::Response(BasicPdu::new(
                1,
                vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0))],
            )),
        };
        let header = HeaderData {
            msg_id: 1,
            max_size: 65507,
            flags: MsgFlags(0),
            security_model: snmp_usm::USM_SECURITY_MODEL,
        };
        let wire = usm(sender)
            .generate(
                now,
                header,
                &scoped,
                &Bytes::from_static(b"u"),
                &engine.to_bytes(),
                level,
            )
            .unwrap();
        let Message::V3(msg) =
            Message::decode(&Decoder::new(DecodeOptions::STRICT), &wire).unwrap()
        else {
            panic!("not a v3 message")
        };
        usm(receiver).process_incoming(now, &wire, &msg).is_ok()
    }

    /// A password with blanks in quotes (or escaped) is the password: the same keys as the
    /// same password written otherwise; the privacy password defaults to the authentication
    /// one; `-m` master keys are the keys RFC 3414 A.2 derives from a password.
    #[test]
    fn quoted_passwords_make_the_right_keys() {
        use SecurityLevel::{AuthNoPriv, AuthPriv};
        let quoted = "createUser u SHA \"pass word\" AES\n";
        assert!(same_keys(quoted, quoted, AuthPriv));
        assert!(same_keys(
            quoted,
            "createUser u SHA pass\\ word AES 'pass word'\n",
            AuthPriv
        ));
        assert!(!same_keys(
            quoted,
            "createUser u SHA password AES \"pass word\"\n",
            AuthNoPriv
        ));
        assert!(!same_keys(
            quoted,
            "createUser u SHA \"pass word\" AES \"pass word!\"\n",
            AuthPriv
        ));
        // The same authentication key: authNoPriv passes whatever the privacy key.
        assert!(same_keys(
            quoted,
            "createUser u SHA \"pass word\" AES \"pass word!\"\n",
            AuthNoPriv
        ));
        let ku = snmp_usm::password_to_key(snmp_usm::AuthProtocol::Sha1, b"pass word").unwrap();
        let hex: String = ku.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        let master = format!("createUser u SHA -m 0x{hex} AES -m 0x{hex}\n");
        assert!(same_keys(quoted, &master, AuthPriv));
        let master_default_priv = format!("createUser u SHA -m 0x{hex} AES\n");
        assert!(same_keys(&master_default_priv, quoted, AuthPriv));
    }
}
