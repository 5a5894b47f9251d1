//! The handle through which requests reach the driver task.

use std::net::SocketAddr;
use std::sync::Arc;

use snmp_engine::{RequestPdu, Target};
use snmp_smi::BasicPdu;
use snmp_usm::UsmUser;
use tokio::sync::{mpsc, oneshot};

use crate::TransportError;

/// What a [`Client`] asks of the driver.
#[derive(Debug)]
#[allow(
    clippy::large_enum_variant,
    reason = "requests are nearly every command: boxing them would allocate for each"
)]
pub(crate) enum Command {
    /// A request, with where to send its outcome.
    Request {
        target: Target,
        pdu: RequestPdu,
        reply: oneshot::Sender<Result<BasicPdu, TransportError>>,
    },
    /// A USM user for the generator's USM (its keys are in `UsmUser`, zeroized on drop).
    AddUser(Box<UsmUser>, oneshot::Sender<()>),
}

/// A handle to a running transport: cheap to clone, each clone usable from any task.
///
/// Every clone sends its requests to the one driver task spawned by
/// [`UdpTransport::spawn`](crate::UdpTransport::spawn); each request's answer wakes only the
/// task that asked it. The driver stops once every `Client` is dropped and every request
/// still in flight has its outcome.
#[derive(Clone, Debug)]
pub struct Client {
    commands: mpsc::Sender<Command>,
    local: Arc<[SocketAddr]>,
}

impl Client {
    pub(crate) fn new(commands: mpsc::Sender<Command>, local: Arc<[SocketAddr]>) -> Self {
        Self { commands, local }
    }

    /// Sends `pdu` to `target` and waits for the outcome: the agent's Response-PDU (its
    /// error-status uninterpreted, as [`snmp_engine::Event::Response`] describes), or why
    /// there is none. Retries, SNMPv3 discovery and tooBig splitting happen inside.
    ///
    /// Dropping the future abandons the wait; the request itself runs to its end in the
    /// driver (the command generator cannot cancel one).
    pub async fn request(
        &self,
        target: Target,
        pdu: RequestPdu,
    ) -> Result<BasicPdu, TransportError> {
        let (reply, outcome) = oneshot::channel();
        self.commands
            .send(Command::Request { target, pdu, reply })
            .await
            .map_err(|_| TransportError::Closed)?;
        outcome.await.map_err(|_| TransportError::Closed)?
    }

    /// Adds a USM user to the running transport's USM (as `Usm::add_user`: a user of the
    /// same name and engine binding is replaced), for the requests sent after this returns.
    /// One transport (one socket) then serves any number of SNMPv3 users.
    ///
    /// # Errors
    ///
    /// [`TransportError::Closed`] when the driver has stopped.
    pub async fn add_user(&self, user: UsmUser) -> Result<(), TransportError> {
        let (done, added) = oneshot::channel();
        self.commands
            .send(Command::AddUser(Box::new(user), done))
            .await
            .map_err(|_| TransportError::Closed)?;
        added.await.map_err(|_| TransportError::Closed)
    }

    /// The local addresses of the transport's sockets, one per address family.
    pub fn local_addrs(&self) -> &[SocketAddr] {
        &self.local
    }

    /// Whether the driver task has stopped: every request would fail with
    /// [`TransportError::Closed`].
    pub fn is_closed(&self) -> bool {
        self.commands.is_closed()
    }
}
