//! The SNMP engine of RFC 3411, sans-IO: the dispatcher, message processing and
//! applications that turn datagrams into protocol events and back. This first part is the
//! **command generator** of RFC 3413 section 3.1: GET, GETNEXT, GETBULK and SET to SNMPv1,
//! SNMPv2c and SNMPv3 (USM) agents, with retries, SNMPv3 engine discovery and time
//! synchronisation (RFC 3414 section 4), the Report loop, and tooBig splitting.
//!
//! Layer: above `snmp-usm` and `snmp-mpm` (which it wires together), below the transport.
//! It reads no clock, opens no socket and draws no OS randomness: every input takes
//! `now: Instant`, outputs are pulled ([`CommandGenerator::poll_transmit`],
//! [`CommandGenerator::poll_timeout`], [`CommandGenerator::poll_event`]), and request-ids come
//! from a seeded generator ([`GeneratorConfig::rng_seed`]). A driver (a UDP socket and a timer,
//! or a test's virtual network) moves the datagrams.
//!
//! ```
//! use std::time::Instant;
//! use snmp_ber::{DecodeOptions, Decoder};
//! use snmp_engine::{CommandGenerator, Event, GeneratorConfig, RequestPdu, Target};
//! use snmp_mpm::{CommunityMessage, Message};
//! use snmp_smi::{BasicPdu, Pdu, VarBind, oid};
//! use snmp_usm::Usm;
//!
//! let now = Instant::now(); // the driver's clock; the engine never reads one
//! let usm = Usm::new("0x80001f88046d6772".parse()?, 1, now, 0);
//! let mut generator = CommandGenerator::new(GeneratorConfig::default(), usm);
//! let agent = "192.0.2.1:161".parse()?;
//! let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
//! let handle = generator.send(now, &Target::v2c(agent, "public"), RequestPdu::get([sys_descr.clone()]));
//!
//! // The driver sends the datagram...
//! let transmit = generator.poll_transmit().expect("a request to send");
//! assert_eq!(transmit.destination, agent);
//! # let dec = Decoder::new(DecodeOptions::default());
//! # let Message::Community(request) = Message::decode(&dec, &transmit.contents)? else { panic!() };
//! # let request_id = request.pdu.request_id().unwrap_or_default();
//! # let answer = Message::Community(CommunityMessage {
//! #     version: request.version,
//! #     community: request.community,
//! #     pdu: Pdu::Response(BasicPdu::new(request_id, vec![VarBind::new(sys_descr.clone(), "router")])),
//! # }).to_bytes()?;
//! // ...arms a timer...
//! assert!(generator.poll_timeout().is_some());
//! // ...and feeds back what the agent answered.
//! generator.handle_datagram(now, agent, answer);
//! match generator.poll_event() {
//!     Some(Event::Response { handle: h, response, .. }) => {
//!         assert_eq!(h, handle);
//!         assert_eq!(response.varbinds[0].value.as_str(), Some("router"));
//!     }
//!     other => panic!("{other:?}"),
//! }
//! assert_eq!(generator.poll_timeout(), None);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![doc(test(attr(deny(warnings))))]

mod builtin;
mod config;
mod error;
mod generator;
mod mib;
mod notify;
mod proxy;
mod responder;
mod rng;
mod target;
#[cfg(test)]
mod tests;
mod usm_table;
mod vacm_table;

pub use builtin::{SnmpStats, SystemInfo};
pub use config::GeneratorConfig;
pub use error::{ReportKind, RequestError};
pub use generator::{CommandGenerator, Event, GeneratorStats, RequestHandle, Transmit};
pub use mib::{Mib, MibHandler, RegisterError, RequestInfo, SetError};
pub use notify::{
    NotificationKind, NotificationReceiver, NotificationTargets, ReceivedNotification,
    ReceiverConfig, ReceiverStats, TargetAddr,
};
pub use proxy::{ProxyEntry, ProxyForwarder, ProxyTable, ProxyType};
pub use responder::{CommandResponder, Outgoing, ResponderConfig, ResponderEvent};
pub use target::{RequestPdu, Security, Target};
