//! The agent facade: an [`AgentBuilder`] that gathers users, access rules, the system group
//! and MIB handlers, and an [`Agent`] that serves them over UDP and TCP.

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_engine::{
    CommandGenerator, CommandResponder, GeneratorConfig, MibHandler, ProxyEntry, ProxyForwarder,
    ProxyTable, ProxyType, RegisterError, ResponderConfig, SystemInfo, TargetAddr,
};
use snmp_mpm::{EngineId, SecurityLevel};
use snmp_smi::Oid;
use snmp_transport::{AgentTransport, ListenAddr};
use snmp_usm::{Usm, UsmUser};
use snmp_vacm::{ConfigError as VacmError, Vacm};

use crate::agent_config::{AgentConfig, ConfigError, RawDirective, StateDir, Transport};
use crate::{Auth, Manager, ManagerConfig, NotificationSinks, Target};

/// Why an agent could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// A listening address could not be bound, or the state directory is unusable.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// Two handlers claim overlapping subtrees.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// An access rule is invalid.
    #[error("access rule: {0}")]
    Vacm(#[from] VacmError),
    /// The configuration file is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A notification sink (`trapsink`, `trap2sink`, `informsink`, `trapsess`) is invalid,
    /// or the manager that sends the notifications cannot start.
    #[error("notification sinks: {0}")]
    Sinks(#[from] crate::Error),
    /// A proxied context is invalid: a `proxy` line without `-Cn CONTEXT` or with a subtree,
    /// a target that does not resolve, a target over TCP.
    #[error("proxy: {0}")]
    Proxy(String),
    /// Two `extend` entries of one name under one OID.
    #[error("extend: {0}")]
    Extend(String),
    /// Async handlers need the agent started on a multi-threaded Tokio runtime.
    #[error(
        "async handlers need a multi-threaded Tokio runtime (#[tokio::main] or Builder::new_multi_thread)"
    )]
    AsyncNeedsMultiThread,
}

type Registration = (Bytes, Oid, Box<dyn MibHandler>);

/// Builds an [`Agent`]: `Agent::builder()`, then communities, users, handlers and listening
/// addresses, then [`start`](Self::start).
///
/// ```no_run
/// use snmp_hlapi::agent::Agent;
/// use snmp_hlapi::instrument::{Access, Column, Scalar, Scalars, Syntax, Table};
/// use snmp_hlapi::{AuthProtocol, PrivProtocol, SecurityLevel, oid};
/// use snmp_usm::UsmUser;
///
/// #[tokio::main(flavor = "current_thread")]
/// async fn main() -> Result<(), Box<dyn std::error::Error>> {
///     // One writable scalar and one table under an enterprise subtree.
///     let scalars = Scalars::new(oid!(1, 3, 6, 1, 4, 1, 99999, 1))
///         .object(1, Scalar::read_write("hello", Syntax::display_string()));
///     let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
///         .index(snmp_hlapi::instrument::IndexSyntax::Integer)
///         .column(2, Column::new(Syntax::display_string(), Access::ReadCreate))
///         .row_status(3);
///     let agent = Agent::builder()
///         .listen_udp("0.0.0.0:1161".parse()?)
///         .rocommunity("public")
///         .user(UsmUser::new("admin")
///             .with_auth(AuthProtocol::Sha256, b"authpassword")?
///             .with_privacy(PrivProtocol::Aes128, b"privpassword")?)
///         .rwuser("admin", SecurityLevel::AuthPriv)
///         .register(scalars.root().clone(), scalars)
///         .register(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1), table)
///         .start()
///         .await?;
///     agent.run().await;
///     Ok(())
/// }
/// ```
pub struct AgentBuilder {
    engine_id: Option<EngineId>,
    state_dir: Option<PathBuf>,
    users: Vec<UsmUser>,
    vacm: Vacm,
    vacm_error: Option<VacmError>,
    system: SystemInfo,
    config: ResponderConfig,
    listen: Vec<ListenAddr>,
    registrations: Vec<Registration>,
    host: bool,
    /// snmpd.conf's `load` and `swap`: the host groups' thresholds, if given.
    ucd_limits: (Option<[f64; 3]>, Option<u64>),
    sink_directives: Vec<RawDirective>,
    sinks: NotificationSinks,
    authen_traps: bool,
    has_async: bool,
    proxies: Vec<(Bytes, Target, Auth)>,
    proxy_directives: Vec<RawDirective>,
}

impl std::fmt::Debug for AgentBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentBuilder")
            .field("engine_id", &self.engine_id)
            .field("listen", &self.listen)
            .field("users", &self.users.len())
            .field("handlers", &self.registrations.len())
            .finish_non_exhaustive()
    }
}

/// A running agent: a [`CommandResponder`] served on its addresses.
#[derive(Debug)]
pub struct Agent {
    transport: AgentTransport,
    /// Where its notifications go, when it has sinks.
    notifier: Option<(Manager, NotificationSinks)>,
}

impl Agent {
    /// An agent with nothing configured: no access for anyone until communities or users are
    /// added, the system group describing this host, and port 161 on every IPv4 address
    /// unless addresses are given.
    pub fn builder() -> AgentBuilder {
        AgentBuilder {
            engine_id: None,
            state_dir: None,
            users: Vec::new(),
            vacm: Vacm::new(),
            vacm_error: None,
            system: host_system(Path::new("/")),
            config: ResponderConfig::default(),
            listen: Vec::new(),
            registrations: Vec::new(),
            host: false,
            ucd_limits: (None, None),
            sink_directives: Vec::new(),
            sinks: NotificationSinks::default(),
            authen_traps: false,
            has_async: false,
            proxies: Vec::new(),
            proxy_directives: Vec::new(),
        }
    }

    /// The addresses served (the ports chosen for port 0 included).
    pub fn local_addrs(&self) -> &[ListenAddr] {
        self.transport.local_addrs()
    }

    /// The first UDP address served.
    pub fn udp_addr(&self) -> Option<SocketAddr> {
        self.local_addrs()
            .iter()
            .find(|l| l.protocol == snmp_transport::Protocol::Udp)
            .map(|l| l.addr)
    }

    /// The responder, locked: to register handlers, add users or read counters while the
    /// agent serves (requests wait meanwhile).
    pub fn responder(&self) -> MutexGuard<'_, CommandResponder> {
        self.transport
            .responder()
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends the notification `name`, a NOTIFICATION-TYPE (or TRAP-TYPE) of `mib` such as
    /// `IF-MIB::linkDown`, to the agent's sinks: sysUpTime.0 and snmpTrapOID.0, then each of
    /// its OBJECTS at the instance `instance` (`[2]` for the row of ifIndex 2; `[0]` for
    /// scalars) with the value the agent serves (PySNMP's `NotificationType(...)` with
    /// `objects=` and `add_varbinds`), then `extra`. Returns each sink's outcome; none when
    /// the agent has no sinks.
    ///
    /// # Errors
    /// [`Error::UnknownName`](crate::Error::UnknownName): `name`, or one of its OBJECTS, is
    /// not defined by `mib` as needed.
    pub async fn send_notification_type(
        &self,
        mib: &snmp_mib::Mib,
        name: &str,
        instance: &[u32],
        extra: impl IntoIterator<Item = snmp_smi::VarBind>,
    ) -> Result<Vec<(SocketAddr, Result<Vec<snmp_smi::VarBind>, crate::Error>)>, crate::Error> {
        let unknown = |what: String| crate::Error::UnknownName(what.into_boxed_str());
        let object = mib
            .object(name)
            .filter(|o| {
                matches!(
                    o.kind,
                    snmp_mib::ObjectKind::NotificationType | snmp_mib::ObjectKind::TrapType
                )
            })
            .ok_or_else(|| unknown(format!("{name} is not a notification of the loaded MIBs")))?;
        let mut oids = Vec::with_capacity(object.objects.len());
        for member in &object.objects {
            let base = mib
                .object(&format!("{}::{member}", object.module))
                .or_else(|| mib.object(member))
                .ok_or_else(|| unknown(format!("{member}, an object of {name}, is not defined")))?;
            let oid = base
                .oid
                .extend(instance)
                .map_err(|_| unknown(format!("{member} with instance {instance:?} is too long")))?;
            oids.push(oid);
        }
        let Some((manager, sinks)) = &self.notifier else {
            return Ok(Vec::new());
        };
        let (uptime, mut varbinds) = {
            let mut responder = self.responder();
            let now = clock();
            (responder.uptime(now), responder.read_values(now, &oids))
        };
        varbinds.insert(
            0,
            snmp_smi::VarBind::new(
                snmp_smi::oid!(1, 3, 6, 1, 2, 1, 1, 3, 0),
                snmp_smi::Value::TimeTicks(uptime),
            ),
        );
        varbinds.extend(extra);
        Ok(manager.notify(sinks, object.oid.clone(), varbinds).await)
    }

    /// Serves until a socket fails, or forever.
    pub async fn run(self) {
        self.transport.run().await;
    }

    /// Stops serving.
    pub async fn shutdown(self) {
        self.transport.shutdown().await;
    }
}

impl AgentBuilder {
    /// Everything `config` (an snmpd.conf) says: addresses, communities, users, views and
    /// access, the system group, engine ID and GETBULK limits, notification sinks and
    /// proxies, and the subtrees its `extend`, `pass`, `pass_persist`, `proc` and `disk`
    /// lines serve (registered in the default context).
    ///
    /// # Errors
    /// An access rule the VACM tables refuse, two `extend` entries of one name.
    pub fn config(mut self, config: &AgentConfig) -> Result<Self, AgentError> {
        config.apply_vacm(&mut self.vacm)?;
        self.users.extend(config.usm_users());
        for l in &config.listen {
            self.listen.push(match l.transport {
                Transport::Tcp => ListenAddr::tcp(l.addr),
                _ => ListenAddr::udp(l.addr),
            });
        }
        let s = &config.system;
        let configured = [&s.location, &s.contact, &s.name]
            .iter()
            .any(|v| v.is_some());
        if let Some(v) = &s.descr {
            self.system.descr.clone_from(v);
        }
        if let Some(v) = &s.object_id {
            self.system.object_id = v.clone();
        }
        if let Some(v) = &s.contact {
            self.system.contact.clone_from(v);
        }
        if let Some(v) = &s.name {
            self.system.name.clone_from(v);
        }
        if let Some(v) = &s.location {
            self.system.location.clone_from(v);
        }
        if let Some(v) = s.services {
            self.system.services = i32::from(v);
        }
        // net-snmp: a string set in the file is not writable by SET.
        self.system.read_only = configured;
        if let Some(id) = &config.engine_id {
            self.engine_id = Some(id.clone());
        }
        if let Some(n) = config.max_getbulk_repeats {
            self.config.max_bulk_repetitions(n);
        }
        self.sink_directives
            .extend(config.notification_directives.iter().cloned());
        self.proxy_directives
            .extend(config.proxy_directives.iter().cloned());
        // One NET-SNMP-EXTEND-MIB handler per base OID, in the default context.
        let mut extends: Vec<(Oid, crate::extend::Extend)> = Vec::new();
        for (base, entry) in &config.extends {
            let i = match extends.iter().position(|(b, _)| b == base) {
                Some(i) => i,
                None => {
                    extends.push((base.clone(), crate::extend::Extend::at(base.as_slice())));
                    extends.len() - 1
                }
            };
            if let Some((_, handler)) = extends.get_mut(i) {
                handler.add(entry.clone()).map_err(AgentError::Extend)?;
            }
        }
        for (base, handler) in extends {
            self = self.register(base, handler);
        }
        for pass in &config.passes {
            self = self.register(pass.root().clone(), pass.clone());
        }
        if config.load_maxima.is_some() {
            self.ucd_limits.0 = config.load_maxima;
        }
        if config.minimum_swap.is_some() {
            self.ucd_limits.1 = config.minimum_swap;
        }
        if !config.procs.is_empty() {
            let procs = crate::host::UcdProc::new(config.procs.clone());
            let root = Oid::from_slice(crate::host::UcdProc::SUBTREE).unwrap_or_default();
            self = self.register(root, procs);
        }
        if !config.disks.is_empty() {
            let disks = crate::host::UcdDisk::new(config.disks.clone());
            let root = Oid::from_slice(crate::host::UcdDisk::SUBTREE).unwrap_or_default();
            self = self.register(root, disks);
        }
        if let Some(on) = config.authtrap_enable {
            self.authen_traps = on;
        }
        if let Some(n) = config.max_getbulk_responses {
            self.config
                .max_bulk_varbinds(usize::try_from(n).unwrap_or(usize::MAX));
        }
        Ok(self)
    }

    /// Serves the context `context` by forwarding it (RFC 3413's proxy forwarder; net-snmp's
    /// `proxy -Cn CONTEXT`): every GET, GETNEXT, GETBULK and SET a manager sends in that
    /// context, if the access rules give it a view of the context, goes on to `target` with
    /// `auth`, translated between versions (RFC 3584: a GETBULK goes to an SNMPv1 device as
    /// a GETNEXT, the device's noSuchName at the end of its MIB comes back as endOfMibView,
    /// a Counter64 is passed over for an SNMPv1 manager), and its answer comes back.
    /// Other contexts are answered meanwhile, however long the device takes.
    ///
    /// The device is given `target`'s timeout and retries, by default 1 s and 1 retry, so
    /// that a silent device is reported before a manager's own timeout: an SNMPv3 manager
    /// gets a Report of snmpProxyDrops; an SNMPv1 or SNMPv2c manager, which has no Reports,
    /// times out as with the device itself. Requests go from a UDP socket of the agent's own
    /// (not over TCP).
    ///
    /// ```no_run
    /// use snmp_hlapi::agent::Agent;
    /// use snmp_hlapi::{Auth, SecurityLevel, Target};
    ///
    /// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
    /// // An SNMPv1-only device, served to SNMPv3 managers as context "switch1".
    /// let device: Target = "192.0.2.7:161".parse()?;
    /// let agent = Agent::builder()
    ///     .rwuser("admin", SecurityLevel::AuthPriv)
    ///     .proxy("switch1", &device, &Auth::community_v1("private"))
    ///     .start()
    ///     .await?;
    /// agent.run().await;
    /// # Ok(()) }
    /// # let _ = f;
    /// ```
    pub fn proxy(mut self, context: impl AsRef<[u8]>, target: &Target, auth: &Auth) -> Self {
        self.proxies.push((
            Bytes::copy_from_slice(context.as_ref()),
            target.clone(),
            auth.clone(),
        ));
        self
    }

    /// The snmpEngineID (default: the one kept in the state directory, or a random one).
    pub fn engine_id(mut self, id: EngineId) -> Self {
        self.engine_id = Some(id);
        self
    }

    /// A directory that keeps snmpEngineBoots (incremented at each start, as RFC 3414
    /// requires) and the engine ID across restarts. Without one, boots is 1 and the engine
    /// ID random at each start.
    pub fn state_dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_dir = Some(path.into());
        self
    }

    /// Serves UDP on `addr`.
    pub fn listen_udp(mut self, addr: SocketAddr) -> Self {
        self.listen.push(ListenAddr::udp(addr));
        self
    }

    /// Serves TCP (RFC 3430) on `addr`.
    pub fn listen_tcp(mut self, addr: SocketAddr) -> Self {
        self.listen.push(ListenAddr::tcp(addr));
        self
    }

    fn vacm(mut self, f: impl FnOnce(&mut Vacm) -> Result<(), VacmError>) -> Self {
        if self.vacm_error.is_none()
            && let Err(e) = f(&mut self.vacm)
        {
            self.vacm_error = Some(e);
        }
        self
    }

    /// net-snmp's `rocommunity COMMUNITY`: SNMPv1 and SNMPv2c read access to everything.
    pub fn rocommunity(self, community: impl AsRef<[u8]>) -> Self {
        self.vacm(|v| v.rocommunity(community, None, None).map(|_| ()))
    }

    /// net-snmp's `rwcommunity COMMUNITY`: read and write access to everything.
    pub fn rwcommunity(self, community: impl AsRef<[u8]>) -> Self {
        self.vacm(|v| v.rwcommunity(community, None, None).map(|_| ()))
    }

    /// net-snmp's `rouser USER LEVEL`: SNMPv3 read access to everything at `level` or above.
    pub fn rouser(self, user: impl AsRef<[u8]>, level: SecurityLevel) -> Self {
        self.vacm(|v| v.rouser(user, level, None).map(|_| ()))
    }

    /// net-snmp's `rwuser USER LEVEL`: read and write access to everything.
    pub fn rwuser(self, user: impl AsRef<[u8]>, level: SecurityLevel) -> Self {
        self.vacm(|v| v.rwuser(user, level, None).map(|_| ()))
    }

    /// The VACM tables, for views, groups and access entries beyond the shortcuts.
    pub fn vacm_mut(&mut self) -> &mut Vacm {
        &mut self.vacm
    }

    /// A USM user (`createUser`); give it access with [`rouser`](Self::rouser) or
    /// [`rwuser`](Self::rwuser).
    pub fn user(mut self, user: UsmUser) -> Self {
        self.users.push(user);
        self
    }

    /// The system group's values (sysDescr and sysName default to this host's).
    pub fn system(mut self, f: impl FnOnce(&mut SystemInfo)) -> Self {
        f(&mut self.system);
        self
    }

    /// Limits and sizes of the responder.
    pub fn responder_config(mut self, config: ResponderConfig) -> Self {
        self.config = config;
        self
    }

    /// Serves the subtree `root` of the default context with `handler`.
    pub fn register(self, root: Oid, handler: impl MibHandler + 'static) -> Self {
        self.register_in("", root, handler)
    }

    /// Serves the subtree `root` of the context `context` with `handler`; the context is
    /// added to the vacmContextTable (requests still need an access entry that covers it).
    pub fn register_in(
        mut self,
        context: impl AsRef<[u8]>,
        root: Oid,
        handler: impl MibHandler + 'static,
    ) -> Self {
        let name = context.as_ref().to_vec();
        self = self.vacm(|v| v.add_context(&name).map(|_| ()));
        self.registrations.push((
            Bytes::copy_from_slice(context.as_ref()),
            root,
            Box::new(handler),
        ));
        self
    }

    /// Where the agent's notifications go: a coldStart trap when it starts, and an
    /// authenticationFailure trap for each message that fails authentication when
    /// [`authentication_traps`](Self::authentication_traps) is on (as snmpd does with its
    /// `trapsink`/`trap2sink`/`informsink`/`trapsess` lines, which [`config`](Self::config)
    /// also reads).
    pub fn notification_sinks(mut self, sinks: NotificationSinks) -> Self {
        self.sinks = sinks;
        self
    }

    /// snmpEnableAuthenTraps (snmpd.conf's `authtrapenable 1`): authenticationFailure traps
    /// to the sinks; default off. A manager may change it by SET.
    pub fn authentication_traps(mut self, on: bool) -> Self {
        self.authen_traps = on;
        self
    }

    /// Serves the subtree `root` of the default context with an [`AsyncMibHandler`]
    /// (`async` methods: they may await I/O while the request waits). The agent must then
    /// start on a multi-threaded Tokio runtime.
    ///
    /// [`AsyncMibHandler`]: crate::instrument::AsyncMibHandler
    pub fn register_async(
        mut self,
        root: Oid,
        handler: impl crate::instrument::AsyncMibHandler + 'static,
    ) -> Self {
        self.has_async = true;
        self.register(root, crate::instrument::Async(handler))
    }

    /// Serves this host's IF-MIB and HOST-RESOURCES-MIB (Linux: from /proc and /sys).
    pub fn host_mibs(mut self) -> Self {
        self.host = true;
        self
    }

    /// Binds the addresses and starts serving on the current Tokio runtime.
    ///
    /// # Errors
    /// [`AgentError::Io`] for an address that cannot be bound or an unusable state directory,
    /// [`AgentError::Register`] for overlapping handlers, [`AgentError::Vacm`] for a bad
    /// access rule.
    pub async fn start(self) -> Result<Agent, AgentError> {
        if let Some(e) = self.vacm_error {
            return Err(e.into());
        }
        if self.has_async
            && tokio::runtime::Handle::current().runtime_flavor()
                != tokio::runtime::RuntimeFlavor::MultiThread
        {
            return Err(AgentError::AsyncNeedsMultiThread);
        }
        let io = |what: &str| {
            let what = what.to_owned();
            move |source| AgentError::Io { what, source }
        };
        let (engine_id, boots) = match &self.state_dir {
            Some(dir) => {
                let state = StateDir::open(dir).map_err(io("cannot open the state directory"))?;
                let boots = state
                    .engine_boots_increment()
                    .map_err(io("cannot store snmpEngineBoots"))?;
                let id = state
                    .engine_id(self.engine_id.clone())
                    .map_err(io("cannot store the engine ID"))?;
                (id, boots)
            }
            None => (
                self.engine_id
                    .clone()
                    .unwrap_or_else(crate::agent_config::random_engine_id),
                1,
            ),
        };
        let now = clock();
        let sinks = match (self.sink_directives.is_empty(), self.sinks.is_empty()) {
            (true, _) => self.sinks,
            (false, true) => NotificationSinks::from_directives(&self.sink_directives).await?,
            (false, false) => {
                return Err(AgentError::Sinks(crate::Error::BadArgument(
                    "notification sinks come from the configuration or from notification_sinks, not both",
                )));
            }
        };
        let notifier_engine = engine_id.clone();
        let mut proxies = self.proxies;
        for d in &self.proxy_directives {
            proxies.push(proxy_directive(d).await?);
        }
        let mut vacm = self.vacm;
        let proxy = if proxies.is_empty() {
            None
        } else {
            Some(proxy_forwarder(
                &proxies, &mut vacm, &engine_id, boots, now,
            )?)
        };
        let mut usm = Usm::new(engine_id, boots, now, salt_seed());
        for user in self.users {
            usm.add_user(user);
        }
        let mut responder = CommandResponder::new(self.config, usm, vacm, self.system, now);
        if let Some(proxy) = proxy {
            responder.set_proxy(proxy);
        }
        responder.set_enable_authen_traps(self.authen_traps);
        if self.host {
            let (load, swap) = self.ucd_limits;
            crate::host::register_all_configured(responder.mib_mut(""), load, swap)?;
        }
        for (context, root, handler) in self.registrations {
            responder.mib_mut(&context).register_boxed(root, handler)?;
        }
        let listen = if self.listen.is_empty() {
            vec![ListenAddr::udp(SocketAddr::from(([0, 0, 0, 0], 161)))]
        } else {
            self.listen
        };
        let mut transport = AgentTransport::bind(Arc::new(Mutex::new(responder)), &listen)
            .await
            .map_err(io("cannot bind the agent's address"))?;
        let mut notifier = None;
        if !sinks.is_empty() {
            let mut config = ManagerConfig::default();
            // SNMPv3 traps are sent with this agent authoritative.
            config.engine_id(notifier_engine);
            let manager = Manager::with_config(&config).await?;
            notifier = Some((manager.clone(), sinks.clone()));
            let events = transport.take_events();
            let uptime = {
                let responder = transport.responder().clone();
                move || {
                    responder
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .uptime(clock())
                }
            };
            tokio::spawn(notify(manager, sinks, events, uptime));
        }
        Ok(Agent {
            transport,
            notifier,
        })
    }
}

/// A `proxy` line: `proxy -Cn CONTEXT [SNMPCMD OPTIONS] HOST [OID]`, the OID (if any) the
/// whole tree.
async fn proxy_directive(d: &RawDirective) -> Result<(Bytes, Target, Auth), AgentError> {
    let bad = |reason: &str| crate::Error::Address(crate::AddrError::new(&d.text, reason));
    let s = crate::notify::session(&d.args, "public", 161, &bad)
        .await
        .map_err(|e| AgentError::Proxy(format!("line {}: {e}", d.line)))?;
    let Some(context) = s.context else {
        return Err(AgentError::Proxy(format!(
            "line {}: a proxy needs -Cn CONTEXT: this agent forwards whole contexts, not \
             subtrees of its own",
            d.line
        )));
    };
    // net-snmp's OID argument: only the whole tree is a whole context.
    let whole = [".1", "1", ".1.3", "1.3", ".iso", "iso"];
    if let Some(oid) = s.rest.iter().find(|w| !whole.contains(&w.as_str())) {
        return Err(AgentError::Proxy(format!(
            "line {}: a proxied subtree ({oid}) is not supported: give .1.3 or no OID (the \
             whole context)",
            d.line
        )));
    }
    Ok((Bytes::from(context), s.target, s.auth))
}

/// The proxy forwarder of `proxies` (context, device, credentials), and their contexts added
/// to `vacm`.
fn proxy_forwarder(
    proxies: &[(Bytes, Target, Auth)],
    vacm: &mut Vacm,
    engine_id: &EngineId,
    boots: u32,
    now: Instant,
) -> Result<ProxyForwarder, AgentError> {
    let mut table = ProxyTable::default();
    let mut usm = Usm::new(engine_id.clone(), boots, now, salt_seed().rotate_left(17));
    for (i, (context, target, auth)) in proxies.iter().enumerate() {
        if target.transport_protocol() != snmp_transport::Protocol::Udp {
            return Err(AgentError::Proxy(format!(
                "the device of context {:?} is reached over UDP only",
                String::from_utf8_lossy(context)
            )));
        }
        let name = format!("proxy{}", i + 1);
        let (security, user) = auth.security();
        if let Some(user) = user {
            usm.add_user(user.user().clone());
        }
        let row = TargetAddr::new(target.addr(), name.clone())
            .with_timeout(target.timeout.unwrap_or(Duration::from_secs(1)))
            .with_retries(target.retries.unwrap_or(1));
        table
            .targets_mut()
            .add_params(name.clone(), security)
            .add_target_addr(name.clone(), row);
        for kind in [ProxyType::Read, ProxyType::Write] {
            table.add_entry(
                format!("{name}-{kind:?}"),
                ProxyEntry::new(kind, context.clone()).single_target_out(name.clone()),
            );
        }
        vacm.add_context(context)?;
    }
    let mut config = GeneratorConfig::default();
    config.rng_seed(salt_seed());
    Ok(ProxyForwarder::new(
        table,
        CommandGenerator::new(config, usm),
    ))
}

/// SNMPv2-MIB's coldStart and authenticationFailure notifications.
const COLD_START: [u32; 10] = [1, 3, 6, 1, 6, 3, 1, 1, 5, 1];
const AUTHENTICATION_FAILURE: [u32; 10] = [1, 3, 6, 1, 6, 3, 1, 1, 5, 5];

/// Sends coldStart to the sinks, then an authenticationFailure for each event, until the
/// agent's transport (the events' sender) is gone. A sink that fails loses that notification.
async fn notify(
    manager: Manager,
    sinks: NotificationSinks,
    events: Option<tokio::sync::mpsc::Receiver<snmp_engine::ResponderEvent>>,
    uptime: impl Fn() -> u32,
) {
    let sys_up_time = |ticks| {
        snmp_smi::VarBind::new(
            snmp_smi::oid!(1, 3, 6, 1, 2, 1, 1, 3, 0),
            snmp_smi::Value::TimeTicks(ticks),
        )
    };
    let oid = |arcs: &[u32]| Oid::from_slice(arcs).unwrap_or_default();
    manager
        .notify(&sinks, oid(&COLD_START), [sys_up_time(uptime())])
        .await;
    let Some(mut events) = events else {
        return;
    };
    while let Some(event) = events.recv().await {
        if let snmp_engine::ResponderEvent::AuthenticationFailure { uptime, .. } = event {
            manager
                .notify(&sinks, oid(&AUTHENTICATION_FAILURE), [sys_up_time(uptime)])
                .await;
        }
    }
}

/// The runtime's clock: the agent's boot time.
// The facade is where the clock is read and handed to the sans-IO engine.
#[allow(clippy::disallowed_methods)]
fn clock() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// A seed for the privacy salts (not a secret; unique per start).
fn salt_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.finish()
}

/// sysDescr and sysName as net-snmp builds them on Linux (`uname -a` without the host-name
/// duplication: "Linux HOST RELEASE VERSION MACHINE"), from `root`/proc.
pub(crate) fn host_system(root: &Path) -> SystemInfo {
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p))
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
    };
    let mut system = SystemInfo::default();
    let host = read("proc/sys/kernel/hostname").unwrap_or_default();
    if let (Some(os), Some(release), Some(version)) = (
        read("proc/sys/kernel/ostype"),
        read("proc/sys/kernel/osrelease"),
        read("proc/sys/kernel/version"),
    ) {
        system.descr = format!("{os} {host} {release} {version} {}", std::env::consts::ARCH);
    }
    system.name = host;
    system
}

#[cfg(test)]
mod tests {
    use snmp_engine::Security;

    use super::*;

    async fn start_with(conf: &str) -> Result<Agent, AgentError> {
        let (config, warnings) = AgentConfig::parse(conf, "snmpd.conf").unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        Agent::builder()
            .listen_udp(SocketAddr::from(([127, 0, 0, 1], 0)))
            .config(&config)?
            .start()
            .await
    }

    #[tokio::test]
    async fn proxy_lines() {
        let agent = start_with(
            "rouser admin\n\
             proxy -Cn dev1 -v 1 -c private 127.0.0.1:1161 .1.3\n\
             proxy -Cn dev2 -v 3 -u u -l authPriv -a SHA -A authpass1 -x AES -X privpass1 -t 2 -r 0 [::1]:1162\n",
        )
        .await
        .unwrap();
        {
            let responder = agent.responder();
            let table = responder.proxy().unwrap().table();
            let contexts: Vec<_> = table
                .entries()
                .map(|(_, e)| e.context_name.clone())
                .collect();
            assert_eq!(contexts, ["dev1", "dev1", "dev2", "dev2"]);
            let dev2 = table.targets().target(b"proxy2").unwrap();
            assert_eq!(dev2.addr, "[::1]:1162".parse().unwrap());
            assert_eq!(dev2.timeout, Some(Duration::from_secs(2)));
            assert_eq!(dev2.retries, Some(0));
            assert_eq!(dev2.security, Security::usm("u", SecurityLevel::AuthPriv));
            let dev1 = table.targets().target(b"proxy1").unwrap();
            assert_eq!(
                dev1.security,
                Security::community(snmp_mpm::Version::V1, "private")
            );
            assert!(responder.vacm().has_context(b"dev1") && responder.vacm().has_context(b"dev2"));
        }
        agent.shutdown().await;

        for (line, says) in [
            ("proxy -v 1 -c private 127.0.0.1 .1.3", "-Cn CONTEXT"),
            (
                "proxy -Cn x -v 1 -c private 127.0.0.1 .1.3.6.1.2.1",
                "(.1.3.6.1.2.1) is not supported",
            ),
            ("proxy -Cn x -v 1 -c private", "no host"),
            ("proxy -Cn x -v 3 127.0.0.1", "-v 3 without -u"),
        ] {
            let e = start_with(line).await.unwrap_err().to_string();
            assert!(e.starts_with("proxy: line 1: "), "{e}");
            assert!(e.contains(says), "{line}: {e}");
        }
    }

    #[test]
    fn host_system_reads_proc() {
        let dir = std::env::temp_dir().join(format!("snmp-agent-sys-{}", std::process::id()));
        let kernel = dir.join("proc/sys/kernel");
        std::fs::create_dir_all(&kernel).unwrap();
        for (f, v) in [
            ("hostname", "box\n"),
            ("ostype", "Linux\n"),
            ("osrelease", "6.1.0\n"),
            ("version", "#1 SMP\n"),
        ] {
            std::fs::write(kernel.join(f), v).unwrap();
        }
        let s = host_system(&dir);
        assert_eq!(s.name, "box");
        assert_eq!(
            s.descr,
            format!("Linux box 6.1.0 #1 SMP {}", std::env::consts::ARCH)
        );
        std::fs::remove_dir_all(&dir).unwrap();
        // Nothing to read: the defaults.
        let s = host_system(&dir);
        assert_eq!(s.descr, SystemInfo::default().descr);
    }
}
