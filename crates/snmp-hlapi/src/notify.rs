//! Notifications: [`Manager::send_notification`] (PySNMP's `send_notification`), SNMPv1 traps
//! given field by field, and the [`NotificationReceiver`] (PySNMP's `ntfrcv`, snmptrapd).

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use bytes::Bytes;
pub use snmp_engine::{NotificationKind, ReceivedNotification, ReceiverStats};
use snmp_engine::{ReceiverConfig, RequestPdu};
use snmp_mpm::EngineId;
pub use snmp_mpm::Version;
pub use snmp_smi::{GenericTrap, TrapV1Pdu};
use snmp_smi::{Oid, VarBind};
use snmp_transport::ReceiverTransport;
use snmp_usm::{Usm, UsmStats, UsmUser};

use crate::{Auth, Error, Manager, Target, UsmAuth};

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
        let transport = ReceiverTransport::bind(local, receiver)
            .await
            .map_err(bind_error)?;
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
