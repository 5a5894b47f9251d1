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
use snmp_vacm::{AddressPrefix, CommunityEntry, ContextMatch, SecurityModel, Vacm, ViewType};

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
