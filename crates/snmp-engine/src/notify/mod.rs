//! Notifications (RFC 3413 sections 3.2 and 3.4): the originator's side (traps and informs
//! sent through the [`CommandGenerator`](crate::CommandGenerator)) and the notification
//! receiver.

mod originator;
mod receiver;
mod targets;

pub(crate) use originator::encode_unconfirmed;
pub use receiver::{NotificationReceiver, ReceivedNotification, ReceiverConfig, ReceiverStats};
pub use targets::{NotificationTargets, TargetAddr};

/// Whether a notification is unconfirmed or confirmed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NotificationKind {
    /// A trap: SNMPv2-Trap-PDU, or the SNMPv1 Trap-PDU; sent once, never answered.
    Trap,
    /// An InformRequest-PDU: retried until the receiver answers with a Response.
    Inform,
}
