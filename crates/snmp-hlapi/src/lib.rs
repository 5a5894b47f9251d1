//! The SNMP manager facade: what an application writes against to query agents, in the
//! manner of PySNMP's `hlapi` (`get_cmd`, `next_cmd`, `bulk_cmd`, `set_cmd`, `walk_cmd`,
//! `bulk_walk_cmd`) in Rust idiom: a cloneable async [`Manager`], a [`Target`], an [`Auth`]
//! (community or USM user), and [`Walk`]s read with an async `next`.
//!
//! Layer: the top of the stack, above `snmp-transport` (whose [`Client`](snmp_transport::Client)
//! every request goes through) and the command generator of `snmp-engine` (retries, SNMPv3
//! discovery, tooBig splitting). It adds what a manager needs beyond one request: USM users
//! added on first use, error-status turned into [`Error::Status`], and walks that end at
//! the subtree's end, never loop on a misbehaving agent (an OID that does not increase is
//! [`Error::NonIncreasing`]) and halve GETBULK's max-repetitions on tooBig.
//!
//! Errors keep PySNMP's three levels apart: no usable answer ([`Error::Transport`], PySNMP's
//! `errorIndication`), an answer with an error-status ([`Error::Status`], `errorStatus` and
//! `errorIndex`), and per-binding exceptions, which are no error and stay in the bindings
//! ([`VarBindExt::is_exception`], [`is_end_of_mib`]).
//!
//! ```no_run
//! use snmp_hlapi::{Auth, Manager, Target, oid};
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let manager = Manager::new().await?;
//!     let agent: Target = "192.0.2.1:161".parse()?;
//!     let public = Auth::community_v2c("public");
//!     // The system group, one binding at a time, until the end of the subtree.
//!     let mut walk = manager.walk(&agent, &public, oid!(1, 3, 6, 1, 2, 1, 1));
//!     while let Some(vb) = walk.next().await {
//!         println!("{}", vb?); // .1.3.6.1.2.1.1.1.0 = STRING: "Linux router"
//!     }
//!     Ok(())
//! }
//! ```
#![doc(test(attr(deny(warnings))))]

pub mod agent;
pub mod agent_config;
mod auth;
pub mod blocking;
mod error;
mod ext;
pub mod extend;
pub mod host;
mod identity;
pub mod instrument;
mod manager;
mod notify;
pub mod pass;
mod target;
mod walk;

pub use auth::{Auth, UsmAuth};
pub use error::{AddrError, Error};
pub use ext::{VarBindExt, is_end_of_mib};
#[cfg(feature = "ietf")]
pub use identity::ietf_mib;
pub use identity::{ObjectIdentity, ObjectIndex, pretty};
pub use instrument::{Scalar, Scalars, Table, TableRows};
pub use manager::{Manager, ManagerConfig};
pub use notify::{
    GenericTrap, NotificationKind, NotificationReceiver, NotificationSinks, ReceivedNotification,
    ReceiverBuilder, ReceiverStats, TrapV1Pdu, Version,
};
pub use snmp_engine::RequestError;
pub use snmp_mpm::{EngineId, SecurityLevel};
pub use snmp_smi::{ErrorStatus, Oid, Value, VarBind, oid};
pub use snmp_transport::{Protocol, TransportError};
pub use snmp_usm::{AuthProtocol, PrivProtocol};
pub use target::Target;
pub use walk::{TOLERANT_MAX_ROWS, Walk, WalkOptions};
