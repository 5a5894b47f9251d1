//! The View-based Access Control Model of SNMP (RFC 3415), with the SNMP-COMMUNITY-MIB mapping
//! of communities to security names (RFC 3584 section 5) and net-snmp's snmpd.conf shortcuts.
//!
//! [`Vacm`] holds the four VACM tables and the community table and answers `isAccessAllowed`:
//! may this principal (security model, security name, security level) read, write or send in a
//! notification this OID of this context? A command responder asks for each binding of a
//! request, a notification originator for each binding and target.
//!
//! This crate is a pure, sans-IO library beside `snmp-usm`, on `snmp-mpm` (for
//! [`SecurityLevel`](snmp_mpm::SecurityLevel)) and `snmp-smi` (for [`Oid`](snmp_smi::Oid)),
//! and below `snmp-engine`, which calls it. It is `no_std` + `alloc`, reads no clock and opens
//! no socket.
//!
//! ```
//! use std::net::{IpAddr, Ipv4Addr};
//!
//! use snmp_mpm::SecurityLevel;
//! use snmp_smi::oid;
//! use snmp_vacm::{AccessError, SecurityModel, Vacm, ViewKind};
//!
//! // snmpd.conf: rocommunity public 10.0.0.0/8 .1.3.6.1.2.1.1
//! //             rwuser admin authPriv
//! let mut vacm = Vacm::new();
//! let lan = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 0));
//! vacm.rocommunity("public", Some((lan, 8)), Some(oid!(1, 3, 6, 1, 2, 1, 1)))?
//!     .rwuser("admin", SecurityLevel::AuthPriv, None)?;
//!
//! // A v2c GET of sysDescr.0 with community "public" from 10.1.2.3.
//! let source = IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3));
//! let (name, context) = vacm.resolve_community(b"public", source).expect("known community");
//! let sys_descr = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
//! let if_number = oid!(1, 3, 6, 1, 2, 1, 2, 1, 0);
//! let level = SecurityLevel::NoAuthNoPriv;
//! let read = |oid| vacm.is_access_allowed(SecurityModel::V2c, name, level, ViewKind::Read, context, oid);
//! assert_eq!(read(&sys_descr), Ok(()));
//! assert_eq!(read(&if_number), Err(AccessError::NotInView));
//! let set = vacm.is_access_allowed(SecurityModel::V2c, name, level, ViewKind::Write, context, &sys_descr);
//! assert_eq!(set, Err(AccessError::NoSuchView)); // read-only: authorizationError
//! assert_eq!(vacm.resolve_community(b"public", IpAddr::V4(Ipv4Addr::LOCALHOST)), None);
//!
//! // The USM user "admin": everything, but only with authPriv.
//! let view = vacm.view_for(SecurityModel::Usm, b"admin", SecurityLevel::AuthPriv, ViewKind::Write, b"")?;
//! assert!(view.contains(&if_number));
//! let weak = vacm.view_for(SecurityModel::Usm, b"admin", SecurityLevel::AuthNoPriv, ViewKind::Read, b"");
//! assert_eq!(weak.err(), Some(AccessError::NoAccessEntry));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![doc(test(attr(deny(warnings))))]

extern crate alloc;
#[cfg(any(test, feature = "std"))]
extern crate std;

mod community;
mod error;
mod model;
mod vacm;
mod view;

pub use community::{AddressPrefix, CommunityEntry};
pub use error::{AccessError, ConfigError};
pub use model::{ContextMatch, SecurityModel, ViewKind, ViewType};
pub use vacm::{AccessRow, Vacm};
pub use view::View;
