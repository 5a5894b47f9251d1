//! Notifications: [`Manager::send_notification`] (PySNMP's `send_notification`), SNMPv1 traps
//! given field by field, and the [`NotificationReceiver`] (PySNMP's `ntfrcv`, snmptrapd).

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use bytes::Bytes;
pub use snmp_engine::{NotificationKind, ReceivedNotification, ReceiverStats};
use snmp_engine::{NotificationTargets, ReceiverConfig, RequestPdu, Security, TargetAddr};
use snmp_mpm::EngineId;
pub use snmp_mpm::Version;
pub use snmp_smi::{GenericTrap, TrapV1Pdu};
use snmp_smi::{Oid, VarBind};
use snmp_transport::ReceiverTransport;
use snmp_usm::{Usm, UsmStats, UsmUser};

use crate::agent_config::RawDirective;
use crate::{
    AddrError, Auth, AuthProtocol, Error, Manager, ManagerConfig, PrivProtocol, Target, UsmAuth,
};

/// The runtime's clock, read in this one place for notifications: the originator's uptime
/// and the receiver's boot time. Tokio's, so that a paused test clock holds.
#[allow(clippy::disallowed_methods)]
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// sysUpTime of this process's notifications: hundredths of a second since the first
/// notification (or receiver) of the process, modulo 2^32 as TimeTicks wrap.
fn uptime() -> u32 {
    static START: OnceLock<Instant> = OnceLock::new();
    let start = *START.get_or_init(now);
    let ticks = now().saturating_duration_since(start).as_millis() / 10;
    u32::try_from(ticks % (1 << 32)).unwrap_or(0)
}

impl Manager {
    /// Sends a notification (PySNMP's `send_notification`): `sysUpTime.0` (this process's
    /// uptime, unless `varbinds` carries one), `snmpTrapOID.0 = trap_oid`, then `varbinds`.
    ///
    /// - [`NotificationKind::Trap`]: an SNMPv2-Trap, or for an SNMPv1 `auth` the Trap-PDU of
    ///   RFC 3584 3.2 (enterprise, generic and specific trap from `trap_oid`; agent-addr from a
    ///   `snmpTrapAddress.0` binding, else `0.0.0.0`; for a generic trap, the enterprise from
    ///   `snmpTrapEnterprise.0`), sent once. SNMPv3 traps have this manager authoritative:
    ///   its [`engine_id`](Manager::engine_id) (set it in the
    ///   [`ManagerConfig`](crate::ManagerConfig): a USM user's transport otherwise has an engine
    ///   ID of its own), boots and time, the user's keys localized to it. Returns at once
    ///   with the bindings sent.
    /// - [`NotificationKind::Inform`]: an InformRequest (SNMPv2c, SNMPv3), retried like a
    ///   request, the receiver's engine discovered; returns the bindings of its Response.
    ///
    /// # Errors
    ///
    /// See [`Error`]; an inform over SNMPv1, or a trap that SNMPv1 cannot carry (a Counter64)
    /// is [`RequestError::Encode`](snmp_engine::RequestError::Encode).
    pub async fn send_notification(
        &self,
        target: &Target,
        auth: &Auth,
        kind: NotificationKind,
        trap_oid: Oid,
        varbinds: impl IntoIterator<Item = VarBind>,
    ) -> Result<Vec<VarBind>, Error> {
        let pdu = if kind == NotificationKind::Inform {
            RequestPdu::inform(uptime(), trap_oid, varbinds)
        } else {
            RequestPdu::trap(uptime(), trap_oid, varbinds)
        };
        self.request(target, auth, pdu).await
    }

    /// Sends an SNMPv1 Trap-PDU given field by field (to an SNMPv2c or SNMPv3 `auth`, as the
    /// SNMPv2-Trap of RFC 3584 3.1); returns the bindings sent, in SNMPv2 form.
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn send_v1_trap(
        &self,
        target: &Target,
        auth: &Auth,
        trap: TrapV1Pdu,
    ) -> Result<Vec<VarBind>, Error> {
        self.request(target, auth, RequestPdu::TrapV1(Box::new(trap)))
            .await
    }
}

/// How a [`NotificationReceiver`] is set up: `Default` plus setters, then
/// [`bind`](Self::bind).
///
/// - `engine_id`: this receiver's snmpEngineID, authoritative for the SNMPv3 informs it
///   receives (senders discover it). Default: `80:00:1f:88:05 "snmp-rs-ntfy" pid port`.
/// - `community`: accepted from SNMPv1 and SNMPv2c senders; none: any.
/// - `user`: a USM user of any engine: the informs' user, and, with `learn_engine_ids`, the
///   traps' user whatever engine sends them.
/// - `user_for_engine`: a USM user bound to one sending engine (snmptrapd's `createUser -e`).
/// - `learn_engine_ids`: see [`snmp_engine::ReceiverConfig`].
///
/// ```no_run
/// use snmp_hlapi::{AuthProtocol, NotificationReceiver, PrivProtocol, UsmAuth};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let user = UsmAuth::new("usr-sha-aes")
///     .auth(AuthProtocol::Sha1, "authkey1")?
///     .privacy(PrivProtocol::Aes128, "privkey1")?;
/// let mut receiver = NotificationReceiver::builder()
///     .community("public")
///     .user(&user)
///     .learn_engine_ids(true)
///     .bind("0.0.0.0:162".parse()?)
///     .await?;
/// while let Some(n) = receiver.next().await {
///     println!("{:?} from {} ({:?}):", n.kind, n.from, n.security_name);
///     for vb in &n.varbinds {
///         println!("  {} = {:?}", vb.oid, vb.value);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, Default)]
pub struct ReceiverBuilder {
    engine_id: Option<EngineId>,
    config: ReceiverConfig,
    users: Vec<UsmUser>,
    report_to: Option<NotificationSinks>,
}

impl ReceiverBuilder {
    /// Sets this receiver's snmpEngineID.
    pub fn engine_id(&mut self, id: EngineId) -> &mut Self {
        self.engine_id = Some(id);
        self
    }

    /// Accepts `community` from SNMPv1 and SNMPv2c senders.
    pub fn community(&mut self, community: impl Into<Bytes>) -> &mut Self {
        self.config.community(community);
        self
    }

    /// Adds a USM user of any engine.
    pub fn user(&mut self, user: &UsmAuth) -> &mut Self {
        self.users.push(user.user().clone());
        self
    }

    /// Adds a USM user bound to the sending engine `engine`.
    pub fn user_for_engine(&mut self, user: &UsmAuth, engine: EngineId) -> &mut Self {
        self.users.push(user.user().clone().for_engine(engine));
        self
    }

    /// Whether SNMPv3 traps from engines not configured are accepted (the keys of the users
    /// of any engine localized to the engine each trap names).
    pub fn learn_engine_ids(&mut self, on: bool) -> &mut Self {
        self.config.learn_engine_ids(on);
        self
    }

    /// Reports each message that fails authentication (an unknown community, a wrong SNMPv3
    /// digest or key) with an authenticationFailure notification (SNMPv2-MIB) to `sinks`,
    /// sent by a manager of this receiver's engine ID. They stay counted either way
    /// ([`NotificationReceiver::stats`]).
    pub fn report_authentication_failures(&mut self, sinks: NotificationSinks) -> &mut Self {
        self.report_to = Some(sinks);
        self
    }

    /// Binds `local` (port 162 is the standard one, and needs privileges) and starts
    /// receiving.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`]: the socket cannot be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn bind(&self, local: SocketAddr) -> Result<NotificationReceiver, Error> {
        let bind_error = |e| Error::Bind(Arc::new(e));
        let engine_id = match &self.engine_id {
            Some(id) => id.clone(),
            None => {
                let mut data = b"snmp-rs-ntfy".to_vec();
                data.extend_from_slice(&std::process::id().to_be_bytes());
                data.extend_from_slice(&local.port().to_be_bytes());
                EngineId::structured(8072, 5, &data).map_err(|e| {
                    bind_error(io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))
                })?
            }
        };
        let _ = uptime();
        let seed = u64::from(std::process::id()) << 16 | u64::from(local.port());
        let mut usm = Usm::new(engine_id.clone(), 1, now(), seed);
        for user in &self.users {
            usm.add_user(user.clone());
        }
        let receiver = snmp_engine::NotificationReceiver::new(self.config.clone(), usm);
        let mut transport = ReceiverTransport::bind(local, receiver)
            .await
            .map_err(bind_error)?;
        if let (Some(sinks), Some(mut failures)) =
            (self.report_to.clone(), transport.take_auth_failures())
        {
            let mut config = ManagerConfig::default();
            config.engine_id(engine_id.clone());
            let manager = Manager::with_config(&config).await?;
            tokio::spawn(async move {
                // SNMPv2-MIB::authenticationFailure; ends with the receiver's transport.
                let trap = Oid::from_slice(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 5]).unwrap_or_default();
                while failures.recv().await.is_some() {
                    manager.notify(&sinks, trap.clone(), []).await;
                }
            });
        }
        Ok(NotificationReceiver {
            transport,
            engine_id,
        })
    }
}

/// A notification receiver on a UDP socket (PySNMP's `ntfrcv`, net-snmp's snmptrapd):
/// SNMPv1, SNMPv2c and SNMPv3 traps and informs, the informs acknowledged, each
/// notification read with [`next`](Self::next). Made by [`NotificationReceiver::builder`];
/// stops receiving when dropped.
#[derive(Debug)]
pub struct NotificationReceiver {
    transport: ReceiverTransport,
    engine_id: EngineId,
}

impl NotificationReceiver {
    /// A [`ReceiverBuilder`] with the defaults.
    pub fn builder() -> ReceiverBuilder {
        ReceiverBuilder::default()
    }

    /// The next notification: its source, version, security level and name, context and
    /// bindings in SNMPv2 form (SNMPv1 traps translated, RFC 3584 3.1). `None` once the
    /// socket has failed.
    pub async fn next(&mut self) -> Option<ReceivedNotification> {
        self.transport.recv().await
    }

    /// The next notification if one has arrived already.
    pub fn try_next(&mut self) -> Option<ReceivedNotification> {
        self.transport.try_recv()
    }

    /// The address bound.
    pub fn local_addr(&self) -> SocketAddr {
        self.transport.local_addr()
    }

    /// This receiver's snmpEngineID (the one SNMPv3 inform senders discover).
    pub fn engine_id(&self) -> &EngineId {
        &self.engine_id
    }

    /// The counters: notifications, duplicates, authentication failures... and usmStats.
    pub fn stats(&self) -> (ReceiverStats, UsmStats) {
        self.transport.stats()
    }
}

/// The standard port of notification receivers.
const TRAP_PORT: u16 = 162;

/// Where an agent's notifications go (net-snmp's `trapsink`, `trap2sink`, `informsink` and
/// `trapsess`), over the engine's [`NotificationTargets`]: each sink is a target address
/// tagged `trap` or `inform`, with its own parameters; filter profiles may be added
/// through [`targets_mut`](Self::targets_mut). Send with [`Manager::notify`].
///
/// ```
/// use snmp_hlapi::{Auth, NotificationKind, NotificationSinks, Target};
///
/// let (a, b): (Target, Target) = ("192.0.2.1:162".parse()?, "192.0.2.2:162".parse()?);
/// let mut sinks = NotificationSinks::default();
/// sinks
///     .add_sink(&a, &Auth::community_v2c("public"), NotificationKind::Trap)
///     .add_sink(&b, &Auth::community_v2c("public"), NotificationKind::Inform);
/// assert_eq!(sinks.len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct NotificationSinks {
    targets: NotificationTargets,
    users: Vec<UsmAuth>,
    count: usize,
}

impl NotificationSinks {
    /// The sinks of an snmpd.conf's notification directives, in order:
    ///
    /// - `trapsink HOST [COMMUNITY [PORT]]`: SNMPv1 traps;
    /// - `trap2sink HOST [COMMUNITY [PORT]]`: SNMPv2c traps;
    /// - `informsink HOST [COMMUNITY [PORT]]`: SNMPv2c informs;
    /// - `trapcommunity COMMUNITY`: the community of the sinks that follow and name none
    ///   (default `public`);
    /// - `trapsess [-v 1|2c|3] [-c COMMUNITY] [-Ci] [-u USER -l LEVEL -a PROTO -A PASS -x
    ///   PROTO -X PASS] [-r RETRIES] [-t SECONDS] HOST`: one sink of any version (`-Ci`:
    ///   informs).
    ///
    /// HOST is a name or an address, optionally `udp:` before it and `:PORT` after it (default
    /// 162); names are resolved here.
    ///
    /// # Errors
    ///
    /// [`Error::Address`]: a HOST that does not resolve, or a directive whose arguments are
    /// wrong (the directive's text is the error's input); [`Error::Credentials`]: a `trapsess`
    /// password shorter than 8 octets.
    pub async fn from_directives(directives: &[RawDirective]) -> Result<Self, Error> {
        let mut sinks = Self::default();
        let mut community = String::from("public");
        for d in directives {
            let bad = |reason: &str| Error::Address(AddrError::new(&d.text, reason));
            let kind = match d.directive.as_str() {
                "trapcommunity" => {
                    community = d.args.first().ok_or_else(|| bad("no community"))?.clone();
                    continue;
                }
                "trapsess" => {
                    let s = session(&d.args, &community, TRAP_PORT, &bad).await?;
                    if s.context.is_some() || !s.rest.is_empty() {
                        return Err(bad("trapsess takes no -Cn and nothing after the host"));
                    }
                    let kind = if s.inform {
                        NotificationKind::Inform
                    } else {
                        NotificationKind::Trap
                    };
                    sinks.add_sink(&s.target, &s.auth, kind);
                    continue;
                }
                "trapsink" | "trap2sink" | "informsink" => d.directive.as_str(),
                _ => continue,
            };
            let host = d.args.first().ok_or_else(|| bad("no host"))?;
            let c = d.args.get(1).unwrap_or(&community).clone();
            let port = match d.args.get(2) {
                Some(p) => p.parse().map_err(|_| bad("the port is not a number"))?,
                None => TRAP_PORT,
            };
            let target = resolve(host, port).await?;
            let (auth, kind) = match kind {
                "trapsink" => (Auth::community_v1(c), NotificationKind::Trap),
                "trap2sink" => (Auth::community_v2c(c), NotificationKind::Trap),
                _ => (Auth::community_v2c(c), NotificationKind::Inform),
            };
            sinks.add_sink(&target, &auth, kind);
        }
        Ok(sinks)
    }

    /// Adds a sink: notifications of `kind` to `target`, secured by `auth` (over SNMPv1, an
    /// inform goes as a trap).
    pub fn add_sink(&mut self, target: &Target, auth: &Auth, kind: NotificationKind) -> &mut Self {
        self.count += 1;
        let name = format!("sink{}", self.count);
        let (security, user) = auth.security();
        if let Some(user) = user
            && !self.users.iter().any(|u| u == user)
        {
            self.users.retain(|u| u.name() != user.name());
            self.users.push(user.clone());
        }
        let tag = if kind == NotificationKind::Inform {
            "inform"
        } else {
            "trap"
        };
        let mut row = TargetAddr::new(target.addr(), name.clone()).with_tags([tag]);
        if let Some(t) = target.timeout {
            row = row.with_timeout(t);
        }
        if let Some(r) = target.retries {
            row = row.with_retries(r);
        }
        self.targets
            .add_params(name.clone(), security)
            .add_target_addr(name, row)
            .add_notify("trap", "trap", NotificationKind::Trap)
            .add_notify("inform", "inform", NotificationKind::Inform);
        self
    }

    /// How many sinks.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no sink.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The tables, to add filter profiles (the parameters of the `n`th sink, from 1, are
    /// named `sinkn`) or targets of other tags.
    pub fn targets_mut(&mut self) -> &mut NotificationTargets {
        &mut self.targets
    }
}

/// What the snmpcmd options of a `trapsess` or `proxy` line say.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) target: Target,
    pub(crate) auth: Auth,
    /// `-Ci`.
    pub(crate) inform: bool,
    /// `-Cn CONTEXT`.
    pub(crate) context: Option<String>,
    /// The words after the host.
    pub(crate) rest: Vec<String>,
}

/// A `trapsess` or `proxy` line's arguments: snmpcmd options, the host (`port` unless it
/// names one), then whatever follows it.
pub(crate) async fn session(
    args: &[String],
    community: &str,
    port: u16,
    bad: &impl Fn(&str) -> Error,
) -> Result<Session, Error> {
    let mut version = "1".to_owned();
    let mut c = community.to_owned();
    let mut inform = false;
    let mut context = None;
    let mut rest = Vec::new();
    let (mut user, mut level) = (None, None);
    let (mut auth_proto, mut auth_pass) = (AuthProtocol::Md5, None);
    let (mut priv_proto, mut priv_pass) = (PrivProtocol::Des, None);
    let (mut retries, mut timeout) = (None, None);
    let mut host = None;
    let mut words = args.iter();
    while let Some(w) = words.next() {
        let mut value = || {
            words
                .next()
                .cloned()
                .ok_or_else(|| bad("an option lacks its value"))
        };
        match w.as_str() {
            "-Ci" => inform = true,
            "-Cn" => context = Some(value()?),
            "-v" => version = value()?,
            "-c" => c = value()?,
            "-u" => user = Some(value()?),
            "-l" => level = Some(value()?),
            "-a" => auth_proto = value()?.parse().map_err(|_| bad("unknown -a protocol"))?,
            "-A" => auth_pass = Some(value()?),
            "-x" => priv_proto = value()?.parse().map_err(|_| bad("unknown -x protocol"))?,
            "-X" => priv_pass = Some(value()?),
            "-r" => retries = Some(value()?.parse().map_err(|_| bad("-r is not a number"))?),
            "-t" => {
                let secs: f64 = value()?.parse().map_err(|_| bad("-t is not a number"))?;
                timeout =
                    Some(std::time::Duration::try_from_secs_f64(secs).map_err(|_| bad("bad -t"))?);
            }
            // The engine ID of a v3 trap is this agent's, whatever -e says.
            "-e" | "-E" | "-n" => {
                value()?;
            }
            o if o.starts_with('-') && host.is_none() => {
                return Err(bad("an option this directive does not support"));
            }
            h if host.is_none() => host = Some(h.to_owned()),
            w => rest.push(w.to_owned()),
        }
    }
    let host = host.ok_or_else(|| bad("no host"))?;
    let mut target = resolve(&host, port).await?;
    if let Some(r) = retries {
        target.retries(r);
    }
    if let Some(t) = timeout {
        target.timeout(t);
    }
    let auth = match version.as_str() {
        "1" => Auth::community_v1(c),
        "2c" => Auth::community_v2c(c),
        "3" => {
            let mut u = UsmAuth::new(user.ok_or_else(|| bad("-v 3 without -u"))?);
            let level = level
                .unwrap_or_else(|| "noAuthNoPriv".to_owned())
                .to_lowercase();
            if level == "authnopriv" || level == "authpriv" {
                let pass = auth_pass.ok_or_else(|| bad("no -A"))?;
                u = u.auth(auth_proto, pass)?;
            }
            if level == "authpriv" {
                let pass = priv_pass.ok_or_else(|| bad("no -X"))?;
                u = u.privacy(priv_proto, pass)?;
            }
            Auth::usm(u)
        }
        _ => return Err(bad("-v is not 1, 2c or 3")),
    };
    Ok(Session {
        target,
        auth,
        inform,
        context,
        rest,
    })
}

/// A sink's HOST (`[udp:|udp6:]NAME|ADDRESS[:PORT]`), with `port` if it names none.
async fn resolve(host: &str, port: u16) -> Result<Target, Error> {
    let host = host
        .strip_prefix("udp:")
        .or_else(|| host.strip_prefix("udp6:"))
        .unwrap_or(host);
    if let Ok(addr) = host.parse::<SocketAddr>() {
        return Ok(Target::new(addr));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return Ok(Target::new(SocketAddr::new(ip, port)));
    }
    let with_port = match host.rsplit_once(':') {
        Some((_, p)) if p.parse::<u16>().is_ok() => host.to_owned(),
        _ => format!("{host}:{port}"),
    };
    Ok(Target::resolve(&with_port).await?)
}

impl Manager {
    /// Sends a notification to every sink that takes it (PySNMP's `send_notification` to a
    /// notification target by tag; net-snmp's `send_easy_trap` to its sinks): the bindings
    /// as for [`send_notification`](Self::send_notification), then for each target the
    /// sinks' tables select (and their filters let through), a trap or an inform, all at
    /// once. Returns each target's address and outcome, in the order of the sinks.
    ///
    /// The sinks' USM users are those given to [`NotificationSinks::add_sink`]; a target
    /// whose user is not among them fails with
    /// [`RequestError::Security`](snmp_engine::RequestError::Security).
    pub async fn notify(
        &self,
        sinks: &NotificationSinks,
        trap_oid: Oid,
        varbinds: impl IntoIterator<Item = VarBind>,
    ) -> Vec<(SocketAddr, Result<Vec<VarBind>, Error>)> {
        let RequestPdu::Trap(varbinds) = RequestPdu::trap(uptime(), trap_oid, varbinds) else {
            return Vec::new();
        };
        self.to_sinks(sinks, &varbinds).await
    }

    /// Forwards a notification this entity received (from a [`NotificationReceiver`]) to
    /// every sink that takes it, as a proxy forwarder forwards notifications (RFC 3413
    /// 3.5.2): its bindings in SNMPv2 form go to each sink as a trap or an inform, as the
    /// sink says; an SNMPv1 trap is translated as RFC 3584 3.1 says a proxy does
    /// (`snmpTrapOID.0` from enterprise, generic and specific trap; `snmpTrapAddress.0`,
    /// `snmpTrapCommunity.0` and `snmpTrapEnterprise.0` appended), and goes back to SNMPv1
    /// sinks as a Trap-PDU. Returns each target's address and outcome (an inform's answer),
    /// in the order of the sinks.
    ///
    /// ```no_run
    /// use snmp_hlapi::{Auth, Manager, NotificationKind, NotificationReceiver, NotificationSinks, Target, UsmAuth};
    /// use snmp_hlapi::{AuthProtocol, PrivProtocol};
    ///
    /// # async fn f() -> Result<(), Box<dyn std::error::Error>> {
    /// // SNMPv1 traps from devices, on to the NMS as SNMPv3 informs.
    /// let mut receiver = NotificationReceiver::builder().community("public").bind("0.0.0.0:162".parse()?).await?;
    /// let nms: Target = "192.0.2.1:162".parse()?;
    /// let user = UsmAuth::new("nms").auth(AuthProtocol::Sha256, "authpassword")?.privacy(PrivProtocol::Aes128, "privpassword")?;
    /// let mut sinks = NotificationSinks::default();
    /// sinks.add_sink(&nms, &Auth::usm(user), NotificationKind::Inform);
    /// let manager = Manager::new().await?;
    /// while let Some(n) = receiver.next().await {
    ///     for (addr, outcome) in manager.forward_notification(&sinks, &n).await {
    ///         if let Err(e) = outcome {
    ///             eprintln!("{addr}: {e}");
    ///         }
    ///     }
    /// }
    /// # Ok(()) }
    /// # let _ = f;
    /// ```
    pub async fn forward_notification(
        &self,
        sinks: &NotificationSinks,
        received: &ReceivedNotification,
    ) -> Vec<(SocketAddr, Result<Vec<VarBind>, Error>)> {
        let varbinds = match &received.v1_trap {
            Some(trap) => snmp_mpm::v1_trap_to_v2(trap, Some(&received.security_name)),
            None => received.varbinds.clone(),
        };
        self.to_sinks(sinks, &varbinds).await
    }

    /// Sends the notification `varbinds` (SNMPv2 form) to the sinks that take it.
    async fn to_sinks(
        &self,
        sinks: &NotificationSinks,
        varbinds: &[VarBind],
    ) -> Vec<(SocketAddr, Result<Vec<VarBind>, Error>)> {
        let mut tasks = tokio::task::JoinSet::new();
        for (i, (target, pdu)) in sinks
            .targets
            .notifications(varbinds)
            .into_iter()
            .enumerate()
        {
            let mut t = Target::new(target.addr);
            if let Some(timeout) = target.timeout {
                t.timeout(timeout);
            }
            if let Some(retries) = target.retries {
                t.retries(retries);
            }
            let auth = match &target.security {
                Security::Community {
                    version, community, ..
                } if *version == Version::V1 => Some(Auth::community_v1(community.clone())),
                Security::Community { community, .. } => {
                    Some(Auth::community_v2c(community.clone()))
                }
                Security::Usm { user, .. } => sinks
                    .users
                    .iter()
                    .find(|u| u.name() == &user[..])
                    .map(|u| Auth::usm(u.clone())),
                _ => None,
            };
            let manager = self.clone();
            tasks.spawn(async move {
                let outcome = match auth {
                    Some(auth) => manager.request(&t, &auth, pdu).await,
                    None => Err(Error::Transport(snmp_transport::TransportError::Request(
                        snmp_engine::RequestError::Security(snmp_usm::GenerateError::UnknownUser),
                    ))),
                };
                (i, t.addr(), outcome)
            });
        }
        let mut out = Vec::new();
        while let Some(done) = tasks.join_next().await {
            if let Ok(result) = done {
                out.push(result);
            }
        }
        out.sort_by_key(|(i, ..)| *i);
        out.into_iter().map(|(_, a, r)| (a, r)).collect()
    }
}
