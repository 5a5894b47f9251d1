//! The manager: transports, USM users, and the four request types.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use snmp_engine::{GeneratorConfig, RequestPdu};
use snmp_mpm::EngineId;
use snmp_smi::{BasicPdu, Oid, VarBind};
use snmp_transport::{Client, Protocol, TcpTransport, UdpTransport};
use snmp_usm::{Usm, UsmUser};
use tokio::sync::{Mutex, OnceCell};

use crate::auth::Kind;
use crate::walk::Mode;
use crate::{Auth, Error, Target, UsmAuth, Walk};

/// The enterprise number of the default engine IDs: net-snmp's (8072), as the engine IDs
/// of this workspace's tests and net-snmp's own tools use.
const ENTERPRISE: u32 = 8072;
/// RFC 3411 engine ID format 5: administratively assigned octets.
const FORMAT_OCTETS: u8 = 5;
/// How many times a freshly reserved port may be taken by someone else before giving up.
const BIND_ATTEMPTS: u32 = 8;
/// Sets the seeds of the TCP transports apart from those of the UDP ones.
const TCP_SEED: u64 = 0x7c9_0000_0000;

/// The runtime's clock, read in this one place: the USM's boot time. Tokio's, so that a
/// paused test clock holds.
#[allow(clippy::disallowed_methods)]
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// splitmix64's finalizer: spreads the bits of a small input over the whole word.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// How a [`Manager`] is set up: `Default` plus setters.
///
/// - `engine_id`: this manager's snmpEngineID. Default: derived from the process id and
///   the local UDP port of the manager's socket, as
///   `80:00:1f:88:05 "snmp-rs" pid(4 octets) port(2 octets)` (RFC 3411 format 5 under
///   net-snmp's enterprise number), so two managers on one host differ.
/// - `rng_seed`: seeds the request-ids, msgIDs and privacy salts (identifiers, not keys).
///   Default: derived from the process id and the local port likewise. No other source of
///   randomness is read; pass a seed from a random source to make identifiers hard to guess.
/// - `timeout` and `retries`: net-snmp's and PySNMP's defaults, 1 second and 5 retries; a
///   [`Target`] may override them.
/// - `local_addr`: where to bind. Default: `0.0.0.0` and `[::]` (the latter if the host has
///   IPv6) on ephemeral ports. An address given serves its family only; its port (if not 0)
///   is that of the community transport, the USM users' transports take ephemeral ports of
///   the same address.
///
/// ```
/// use std::time::Duration;
/// use snmp_hlapi::{EngineId, ManagerConfig};
///
/// let mut config = ManagerConfig::default();
/// config
///     .engine_id("0x80001f88046d6772".parse::<EngineId>()?)
///     .rng_seed(0x5eed)
///     .timeout(Duration::from_millis(500))
///     .retries(2)
///     .local_addr("127.0.0.1:0".parse()?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct ManagerConfig {
    engine_id: Option<EngineId>,
    rng_seed: Option<u64>,
    timeout: Duration,
    retries: u32,
    local_addr: Option<SocketAddr>,
    socket_recv_buffer: Option<usize>,
}

impl Default for ManagerConfig {
    fn default() -> Self {
        Self {
            engine_id: None,
            rng_seed: None,
            timeout: Duration::from_secs(1),
            retries: 5,
            local_addr: None,
            socket_recv_buffer: None,
        }
    }
}

impl ManagerConfig {
    /// This manager's snmpEngineID (default: derived from the process id and local port).
    pub fn engine_id(&mut self, id: EngineId) -> &mut Self {
        self.engine_id = Some(id);
        self
    }

    /// The seed of request-ids, msgIDs and salts (default: derived from the process id and
    /// local port).
    pub fn rng_seed(&mut self, seed: u64) -> &mut Self {
        self.rng_seed = Some(seed);
        self
    }

    /// How long to wait for each try (default 1 second).
    pub fn timeout(&mut self, timeout: Duration) -> &mut Self {
        self.timeout = timeout;
        self
    }

    /// How many retries after the first try (default 5).
    pub fn retries(&mut self, retries: u32) -> &mut Self {
        self.retries = retries;
        self
    }

    /// Where to bind (default: every family, ephemeral ports).
    pub fn local_addr(&mut self, addr: SocketAddr) -> &mut Self {
        self.local_addr = Some(addr);
        self
    }

    /// The kernel's receive buffer of the manager's sockets (`SO_RCVBUF`, see
    /// [`UdpTransport::socket_recv_buffer`](snmp_transport::UdpTransport::socket_recv_buffer)):
    /// raise it when many agents answer at once (a thousand targets queried together), so
    /// that answers are not dropped before they are read. Default: the system's.
    pub fn socket_recv_buffer(&mut self, bytes: usize) -> &mut Self {
        self.socket_recv_buffer = Some(bytes);
        self
    }
}

/// The default engine ID of a manager in process `pid` bound at local port `port`.
fn default_engine_id(pid: u32, port: u16) -> Result<EngineId, Error> {
    let mut data = b"snmp-rs".to_vec();
    data.extend_from_slice(&pid.to_be_bytes());
    data.extend_from_slice(&port.to_be_bytes());
    EngineId::structured(ENTERPRISE, FORMAT_OCTETS, &data).map_err(|e| {
        Error::Bind(Arc::new(io::Error::new(
            io::ErrorKind::InvalidInput,
            e.to_string(),
        )))
    })
}

/// The default rng seed of a manager in process `pid` bound at local port `port`.
fn default_seed(pid: u32, port: u16) -> u64 {
    mix((u64::from(pid) << 16) | u64::from(port))
}

/// An SNMP manager (PySNMP's `SnmpEngine` with the hlapi commands): GET, GETNEXT,
/// GETBULK, SET and walks to any number of agents, over SNMPv1, SNMPv2c and SNMPv3 (USM).
///
/// Cheap to clone; clones share the sockets, so many tasks may query many agents at once
/// (the transport multiplexes the requests, each answer wakes its own waiter). The
/// transport stops when the last clone (and the last [`Walk`]) is dropped.
///
/// Community requests go through one UDP transport bound by [`Manager::new`]. Each distinct
/// USM user ([`UsmAuth`]) gets a transport of its own, bound the first time it is used, whose
/// USM holds that user: so one user name may carry different passwords on different agents.
///
/// Targets over TCP ([`Target::protocol`], `"tcp:host:port"`) go through TCP transports
/// made on first use likewise (one for the communities, one per USM user), each with one
/// connection per agent, opened by the first request, kept for the next ones and their
/// retries, and opened again after the agent closes it.
#[derive(Clone, Debug)]
pub struct Manager {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: ManagerConfig,
    engine_id: EngineId,
    community: Client,
    /// One transport per USM user, made on first use.
    users: Mutex<Vec<(UsmAuth, Client)>>,
    /// The TCP transport of the communities, made on first use.
    tcp_community: OnceCell<Client>,
    /// One TCP transport per USM user, made on first use.
    tcp_users: Mutex<Vec<(UsmAuth, Client)>>,
}

impl Manager {
    /// A manager with the default [`ManagerConfig`], its socket bound.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`]: no socket can be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn new() -> Result<Self, Error> {
        Self::with_config(&ManagerConfig::default()).await
    }

    /// A manager set up by `config`, its socket bound.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`]: the socket cannot be bound.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub async fn with_config(config: &ManagerConfig) -> Result<Self, Error> {
        let (community, engine_id) = spawn(config, None, 0).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                config: config.clone(),
                engine_id,
                community,
                users: Mutex::new(Vec::new()),
                tcp_community: OnceCell::new(),
                tcp_users: Mutex::new(Vec::new()),
            }),
        })
    }

    /// A manager whose requests go through sockets of the caller's own (the
    /// [`DatagramSocket`](snmp_transport::DatagramSocket) seam: an in-memory network in a test,
    /// a socket set up by the caller, a tunnel), an IPv4 one and an IPv6 one, either optional.
    /// Every community and SNMPv3 user goes through them; only a second user of a name
    /// already held (other passwords) and TCP targets get sockets of their own, as with
    /// [`with_config`](Self::with_config). The engine ID, unless `config` gives one, is
    /// derived from the first socket's port; `config`'s local address and `SO_RCVBUF` are
    /// not used.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`]: neither socket given, or one of the other family.
    ///
    /// # Panics
    ///
    /// Outside a Tokio runtime.
    pub fn with_sockets(
        config: &ManagerConfig,
        v4: Option<Box<dyn snmp_transport::DatagramSocket>>,
        v6: Option<Box<dyn snmp_transport::DatagramSocket>>,
    ) -> Result<Self, Error> {
        let bind_error = |e| Error::Bind(Arc::new(e));
        let first = v4
            .as_deref()
            .or(v6.as_deref())
            .map(snmp_transport::DatagramSocket::local_addr)
            .transpose()
            .map_err(bind_error)?
            .map_or(0, |a| a.port());
        let pid = std::process::id();
        let engine_id = match &config.engine_id {
            Some(id) => id.clone(),
            None => default_engine_id(pid, first)?,
        };
        let seed = config
            .rng_seed
            .map_or_else(|| default_seed(pid, first), mix);
        let mut generator = GeneratorConfig::default();
        generator
            .rng_seed(seed)
            .timeout(config.timeout)
            .retries(config.retries);
        let usm = Usm::new(engine_id.clone(), 1, now(), mix(seed ^ 0x5a17));
        let (community, _driver) = UdpTransport::default()
            .spawn_on(v4, v6, generator, usm)
            .map_err(bind_error)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config: config.clone(),
                engine_id,
                community,
                users: Mutex::new(Vec::new()),
                tcp_community: OnceCell::new(),
                tcp_users: Mutex::new(Vec::new()),
            }),
        })
    }

    /// This manager's snmpEngineID (that of its community transport).
    pub fn engine_id(&self) -> &EngineId {
        &self.inner.engine_id
    }

    /// The local addresses of the community transport's sockets.
    pub fn local_addrs(&self) -> &[SocketAddr] {
        self.inner.community.local_addrs()
    }

    /// GET: the values of `oids` (PySNMP's `get_cmd`). Missing objects come back as
    /// `noSuchObject` / `noSuchInstance` bindings (SNMPv2c, SNMPv3) or as
    /// [`Error::Status`] `noSuchName` (SNMPv1).
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn get(
        &self,
        target: &Target,
        auth: &Auth,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Result<Vec<VarBind>, Error> {
        self.request(target, auth, RequestPdu::get(oids)).await
    }

    /// GETNEXT: the binding following each of `oids` (PySNMP's `next_cmd`, one step).
    ///
    /// # Errors
    ///
    /// See [`Error`].
    pub async fn get_next(
        &self,
        target: &Target,
        auth: &Auth,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Result<Vec<VarBind>, Error> {
        self.request(target, auth, RequestPdu::get_next(oids)).await
    }

    /// GETBULK (SNMPv2c, SNMPv3; PySNMP's `bulk_cmd`): the successor of each of the first
    /// `non_repeaters` OIDs, then up to `max_repetitions` successors of each of the others,
    /// interleaved row by row as RFC 3416 4.2.3 orders them.
    ///
    /// # Errors
    ///
    /// See [`Error`]; over SNMPv1, [`RequestError::GetBulkInV1`](snmp_engine::RequestError::GetBulkInV1).
    pub async fn get_bulk(
        &self,
        target: &Target,
        auth: &Auth,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: impl IntoIterator<Item = Oid>,
    ) -> Result<Vec<VarBind>, Error> {
        let pdu = RequestPdu::get_bulk(
            i32::try_from(non_repeaters).unwrap_or(i32::MAX),
            i32::try_from(max_repetitions).unwrap_or(i32::MAX),
            oids,
        );
        self.request(target, auth, pdu).await
    }

    /// SET: writes `varbinds` as one operation (PySNMP's `set_cmd`); returns the agent's
    /// bindings.
    ///
    /// # Errors
    ///
    /// See [`Error`]; a refused write is [`Error::Status`] (`notWritable`, `wrongType`...).
    pub async fn set(
        &self,
        target: &Target,
        auth: &Auth,
        varbinds: impl IntoIterator<Item = VarBind>,
    ) -> Result<Vec<VarBind>, Error> {
        self.request(target, auth, RequestPdu::set(varbinds)).await
    }

    /// A walk of the subtree under `root` with GETNEXT (PySNMP's `walk_cmd`); read it with
    /// [`Walk::next`]. Nothing is sent before the first `next`.
    pub fn walk(&self, target: &Target, auth: &Auth, root: Oid) -> Walk {
        Walk::new(self.clone(), target.clone(), auth.clone(), root, Mode::Next)
    }

    /// A walk of the subtree under `root` with GETBULK of `max_repetitions` (PySNMP's
    /// `bulk_walk_cmd`). A tooBig halves `max_repetitions` and goes on; over SNMPv1 it walks
    /// with GETNEXT, and so does an agent that answers GETBULK with an error or nothing (a
    /// broken GETBULK). A `max_repetitions` of 0 could never advance: the walk yields
    /// [`Error::BadArgument`].
    pub fn bulk_walk(&self, target: &Target, auth: &Auth, root: Oid, max_repetitions: u32) -> Walk {
        let mode = if auth.is_v1() {
            Mode::Next
        } else {
            Mode::Bulk(max_repetitions)
        };
        let walk = Walk::new(self.clone(), target.clone(), auth.clone(), root, mode);
        if max_repetitions == 0 {
            walk.fail_with(Error::BadArgument(
                "a bulk walk needs max-repetitions of at least 1",
            ))
        } else {
            walk
        }
    }

    /// Sends `pdu` to `target` secured by `auth`; the response's bindings, or why not.
    pub(crate) async fn request(
        &self,
        target: &Target,
        auth: &Auth,
        pdu: RequestPdu,
    ) -> Result<Vec<VarBind>, Error> {
        let addr = target.addr;
        let tcp = target.protocol == Protocol::Tcp;
        let response = match &auth.0 {
            Kind::V1(c) => {
                let t = target.engine_target(snmp_engine::Target::v1(addr, c.clone()));
                self.community_client(tcp).await.request(t, pdu).await?
            }
            Kind::V2c(c) => {
                let t = target.engine_target(snmp_engine::Target::v2c(addr, c.clone()));
                self.community_client(tcp).await.request(t, pdu).await?
            }
            Kind::Usm(user) if tcp => {
                let client = self.tcp_usm_client(user).await;
                let name = bytes::Bytes::copy_from_slice(user.name());
                let t = target.engine_target(snmp_engine::Target::usm(addr, name, user.level()));
                client.request(t, pdu).await?
            }
            Kind::Usm(user) => {
                let client = self.usm_client(user).await?;
                let name = bytes::Bytes::copy_from_slice(user.name());
                let t = target.engine_target(snmp_engine::Target::usm(addr, name, user.level()));
                client.request(t, pdu).await?
            }
        };
        check_status(response)
    }

    /// The community transport: the UDP one, or the TCP one (made on its first use).
    async fn community_client(&self, tcp: bool) -> &Client {
        if !tcp {
            return &self.inner.community;
        }
        self.inner
            .tcp_community
            .get_or_init(|| async { self.spawn_tcp(None, 0) })
            .await
    }

    /// The TCP transport of `user`, made on its first use.
    async fn tcp_usm_client(&self, user: &UsmAuth) -> Client {
        let mut users = self.inner.tcp_users.lock().await;
        if let Some((_, client)) = users.iter().find(|(u, _)| u == user) {
            return client.clone();
        }
        let index = u64::try_from(users.len())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let client = self.spawn_tcp(Some(user.user()), index);
        users.push((user.clone(), client.clone()));
        client
    }

    /// A TCP transport whose USM (of this manager's engine ID) holds `user` (if any);
    /// `index` tells the TCP transports apart.
    fn spawn_tcp(&self, user: Option<&UsmUser>, index: u64) -> Client {
        let config = &self.inner.config;
        let seed = match config.rng_seed {
            Some(seed) => mix(seed ^ TCP_SEED ^ index),
            None => {
                let port = self.local_addrs().first().map_or(0, SocketAddr::port);
                mix(default_seed(std::process::id(), port) ^ TCP_SEED ^ index)
            }
        };
        let mut generator = GeneratorConfig::default();
        generator
            .rng_seed(seed)
            .timeout(config.timeout)
            .retries(config.retries);
        let mut usm = Usm::new(self.inner.engine_id.clone(), 1, now(), mix(seed ^ 0x5a17));
        if let Some(user) = user {
            usm.add_user(user.clone());
        }
        // The driver task runs on its own; it ends with the last client.
        let (client, _driver) = TcpTransport::default().spawn(generator, usm);
        client
    }

    /// The transport of `user`: the manager's own (one socket for every community and
    /// user), which takes the user on its first use; a transport of its own for a user whose
    /// name the manager's USM already holds with other credentials (a name is one user in a
    /// USM).
    async fn usm_client(&self, user: &UsmAuth) -> Result<Client, Error> {
        let mut users = self.inner.users.lock().await;
        if let Some((_, client)) = users.iter().find(|(u, _)| u == user) {
            return Ok(client.clone());
        }
        let main = &self.inner.community;
        let taken = users
            .iter()
            .any(|(u, c)| u.name() == user.name() && c.local_addrs() == main.local_addrs());
        if !taken {
            main.add_user(user.user().clone())
                .await
                .map_err(Error::Transport)?;
            users.push((user.clone(), main.clone()));
            return Ok(main.clone());
        }
        let index = u64::try_from(users.len())
            .unwrap_or(u64::MAX)
            .saturating_add(1);
        let (client, _) = spawn(&self.inner.config, Some(user.user()), index).await?;
        users.push((user.clone(), client.clone()));
        Ok(client)
    }
}

/// The bindings of `response`, or [`Error::Status`] if its error-status is not noError.
fn check_status(response: BasicPdu) -> Result<Vec<VarBind>, Error> {
    if response.error_status.is_ok() {
        return Ok(response.varbinds);
    }
    let index = u32::try_from(response.error_index).unwrap_or(0);
    let varbind = index
        .checked_sub(1)
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| response.varbinds.into_iter().nth(i))
        .map(Box::new);
    Err(Error::Status {
        status: response.error_status,
        index,
        varbind,
    })
}

/// Binds a transport whose USM holds `user` (if any); `index` tells the transports of one
/// manager apart when the caller gave one seed. Returns its client and engine ID.
async fn spawn(
    config: &ManagerConfig,
    user: Option<&UsmUser>,
    index: u64,
) -> Result<(Client, EngineId), Error> {
    let bind_error = |e| Error::Bind(Arc::new(e));
    let wanted = config
        .local_addr
        .unwrap_or_else(|| SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));
    // Only the community transport (index 0) takes the port asked for.
    let fixed_port = wanted.port() != 0 && index == 0;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let local = if fixed_port {
            wanted
        } else {
            // Reserve a port to derive the engine ID and seed from, then bind it for real.
            let probe = tokio::net::UdpSocket::bind(SocketAddr::new(wanted.ip(), 0))
                .await
                .map_err(bind_error)?;
            probe.local_addr().map_err(bind_error)?
        };
        let pid = std::process::id();
        let engine_id = match &config.engine_id {
            Some(id) => id.clone(),
            None => default_engine_id(pid, local.port())?,
        };
        let seed = match config.rng_seed {
            Some(seed) => mix(seed ^ index),
            None => default_seed(pid, local.port()),
        };
        let mut generator = GeneratorConfig::default();
        generator
            .rng_seed(seed)
            .timeout(config.timeout)
            .retries(config.retries);
        let mut usm = Usm::new(engine_id.clone(), 1, now(), mix(seed ^ 0x5a17));
        if let Some(user) = user {
            usm.add_user(user.clone());
        }
        let mut transport = UdpTransport::default();
        if let Some(bytes) = config.socket_recv_buffer {
            transport.socket_recv_buffer(bytes);
        }
        match (config.local_addr, local.is_ipv4()) {
            // The default: this IPv4 socket, and IPv6 if the host has it.
            (None, _) => transport.ipv4(Some(local)),
            (Some(_), true) => transport.ipv4(Some(local)).ipv6(None),
            (Some(_), false) => transport.ipv4(None).ipv6(Some(local)),
        };
        match transport.spawn(generator, usm).await {
            // The driver task runs on its own; it ends with the last client.
            Ok((client, _driver)) => return Ok((client, engine_id)),
            Err(e)
                if e.kind() == io::ErrorKind::AddrInUse
                    && !fixed_port
                    && attempt < BIND_ATTEMPTS => {}
            Err(e) => return Err(bind_error(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_identity_depends_on_pid_and_port() {
        let a = default_engine_id(1234, 40000).unwrap();
        let b = default_engine_id(1234, 40001).unwrap();
        let c = default_engine_id(1235, 40000).unwrap();
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.enterprise(), Some(ENTERPRISE));
        assert_eq!(&a.as_bytes()[5..12], b"snmp-rs");
        assert_ne!(default_seed(1234, 40000), default_seed(1234, 40001));
        assert_ne!(default_seed(1234, 40000), default_seed(1235, 40000));
    }
}
