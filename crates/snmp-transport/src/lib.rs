//! The SNMP transport: a Tokio driver that moves the datagrams of the sans-IO
//! [`CommandGenerator`](snmp_engine::CommandGenerator) over UDP (RFC 3417 section 2,
//! [`UdpTransport`]) or TCP (RFC 3430, [`TcpTransport`]), and [`AgentTransport`], which
//! serves a [`CommandResponder`](snmp_engine::CommandResponder) over UDP and TCP.
//!
//! Layer: above `snmp-engine`, below the high-level API. This is the crate that touches
//! sockets, the runtime and the clock, and it makes no protocol decision: one task owns the
//! sockets (one per address family) and the generator; each turn it feeds the generator the
//! datagrams received, sends what [`poll_transmit`](snmp_engine::CommandGenerator::poll_transmit)
//! gives, keeps one timer at [`poll_timeout`](snmp_engine::CommandGenerator::poll_timeout),
//! reads the runtime's clock and calls
//! [`handle_timeout`](snmp_engine::CommandGenerator::handle_timeout). Requests reach it
//! through a channel from cloneable [`Client`]s, and each outcome wakes only the task that
//! asked.
//!
//! ```no_run
//! use std::time::Instant;
//! use snmp_engine::{GeneratorConfig, RequestPdu, Target};
//! use snmp_smi::oid;
//! use snmp_transport::UdpTransport;
//! use snmp_usm::Usm;
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // This engine's snmpEngineID, boots and boot time, for SNMPv3; users are added to it.
//!     let usm = Usm::new("0x80001f88046d6772".parse()?, 1, Instant::now(), 0);
//!     let (client, driver) =
//!         UdpTransport::bind("0.0.0.0:0".parse()?, GeneratorConfig::default(), usm).await?;
//!     let agent = Target::v2c("192.0.2.1:161".parse()?, "public");
//!     let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
//!     let response = client.request(agent, RequestPdu::get([sys_descr])).await?;
//!     println!("{}", response.varbinds[0]);
//!     drop(client); // the driver ends once every client is gone
//!     driver.await??;
//!     Ok(())
//! }
//! ```
#![doc(test(attr(deny(warnings))))]

mod client;
mod driver;
mod error;
mod notify;
mod server;
mod socket;
mod tcp;
mod transport;

pub use client::Client;
pub use error::TransportError;
pub use notify::ReceiverTransport;
pub use server::{AgentTransport, ListenAddr, Protocol, SharedResponder};
pub use socket::{DatagramSocket, MemorySocket};
pub use tcp::TcpTransport;
pub use transport::UdpTransport;
