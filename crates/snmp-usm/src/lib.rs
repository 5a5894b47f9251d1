//! The cryptography of SNMPv3's User-based Security Model: keys from passwords, message
//! authentication and privacy (RFC 3414, RFC 3826, RFC 7860, and the AES-192/256 and 3DES
//! drafts that net-snmp, PySNMP and Cisco implement).
//!
//! This crate sits above `snmp-mpm` (whose SNMPv3 message carries USM's parameters as opaque
//! octets) and below the engine. Its cryptography is `no_std` with `alloc`; nothing in it
//! reads a clock or draws random numbers: engine boots, `now` and salts are parameters.
//!
//! - **Keys**: [`password_to_key`] (the 1 MiB hash of RFC 3414 A.2), [`localize`] to an
//!   engine, the Blumenthal and Reeder extensions for 3DES and AES-192/256
//!   ([`extend_blumenthal`], [`extend_reeder`]), and a [`KeyCache`] that does each hash once.
//!   Key types wipe themselves on drop and never print their octets.
//! - **Authentication**: [`AuthKey::sign`] and [`AuthKey::verify`] (constant time) for
//!   HMAC-MD5-96, HMAC-SHA-96 and the HMAC-SHA-2 family ([`AuthProtocol`]).
//! - **Privacy**: [`PrivKey::encrypt`] and [`PrivKey::decrypt`] for DES-CBC, 3DES-EDE-CBC and
//!   AES-CFB-128 with 128, 192 and 256-bit keys ([`PrivProtocol`]).
//! - **Wire format**: [`UsmSecurityParameters`], the content of msgSecurityParameters.
//! - **Processing** (with `std`): [`Usm`], the RFC 3414 section 3 procedures an engine calls:
//!   the user table ([`UsmUser`]), `processIncomingMsg` with the time window, discovery and
//!   the usmStats counters and their Reports, and `generateRequestMsg`/`generateResponseMsg`.
//!
//! ```
//! use bytes::Bytes;
//! use snmp_ber::{Decoder, DecodeOptions};
//! use snmp_usm::{AuthProtocol, KeyCache, PrivProtocol, UsmSecurityParameters};
//!
//! // The user "pippo" of Wireshark's snmp_usm.pcap: HMAC-MD5-96 and DES.
//! let engine_id = [0x80, 0x00, 0x1f, 0x88, 0x80, 0x59, 0xdc, 0x48, 0x61, 0x45, 0xa2, 0x63, 0x22];
//! let mut keys = KeyCache::new();
//! let auth = keys.auth_key(AuthProtocol::Md5, b"pippoxxx", &engine_id)?;
//! let privacy = keys.priv_key(PrivProtocol::Des, AuthProtocol::Md5, b"PIPPOxxx", &engine_id)?;
//!
//! // Sending: encrypt the ScopedPDU, then sign the whole message with the MAC zeroed.
//! let scoped_pdu = [0x30, 0x0b, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x05, 0x02, 0x01, 0x01, 0x02, 0x01];
//! let (encrypted, salt) = privacy.encrypt(&scoped_pdu, 8, 2745, 1);
//! let mut params = UsmSecurityParameters {
//!     engine_id: Bytes::copy_from_slice(&engine_id),
//!     engine_boots: 8,
//!     engine_time: 2745,
//!     user_name: Bytes::from_static(b"pippo"),
//!     auth_params: Bytes::from(vec![0; AuthProtocol::Md5.mac_len()]),
//!     priv_params: Bytes::copy_from_slice(&salt),
//! };
//! // (Here the "whole message" is just the security parameters.)
//! let mac = auth.sign(&params.to_bytes()?);
//!
//! // Receiving: check the MAC with the parameters zeroed, then decrypt.
//! params.auth_params = Bytes::from(mac);
//! let wire = params.to_bytes()?;
//! let received = UsmSecurityParameters::decode(&Decoder::new(DecodeOptions::STRICT), &wire)?;
//! let range = received.auth_params_range(&wire).expect("decoded from wire");
//! let mut zeroed = wire.to_vec();
//! zeroed[range].fill(0);
//! auth.verify(&zeroed, &received.auth_params)?;
//! let plaintext = privacy.decrypt(&encrypted, &received.priv_params, 8, 2745)?;
//! assert_eq!(plaintext[..scoped_pdu.len()], scoped_pdu); // DES pads to 8 octets
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![no_std]
#![doc(test(attr(deny(warnings))))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod auth;
mod cache;
mod error;
mod key;
mod keychange;
mod params;
mod privacy;
mod protocol;
#[cfg(feature = "std")]
mod usm;

pub use auth::AuthKey;
pub use cache::KeyCache;
pub use error::UsmError;
pub use key::{
    Key, LocalizedKey, MAX_KEY_LEN, MIN_PASSWORD_LEN, extend_blumenthal, extend_reeder, localize,
    password_to_key,
};
pub use keychange::{apply_key_change, key_change};
pub use params::UsmSecurityParameters;
pub use privacy::PrivKey;
pub use protocol::{AuthProtocol, PrivProtocol};
#[cfg(feature = "std")]
pub use usm::{
    GenerateError, LocalizedUserKeys, MAX_BOOTS, TIME_WINDOW, USM_SECURITY_MODEL, Usm, UsmFailure,
    UsmStats, UsmUser,
};
