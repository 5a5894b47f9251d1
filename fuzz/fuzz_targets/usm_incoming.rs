//! processIncomingMsg (RFC 3414 3.2) on arbitrary SNMPv3 messages, twice: with the real
//! cryptography (parameter parsing and every refusal path) and with the no-security provider
//! (every MAC passes, decryption is the identity), which lets the fuzzer reach the time window
//! and the decrypted ScopedPDU. It may refuse, never panic.
#![no_main]

use std::sync::OnceLock;
use std::time::Instant;

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::Message;
use snmp_usm::{AuthProtocol, PrivProtocol, Usm, UsmUser};

/// A user whose keys take 1 MiB of hashing: made once.
fn user() -> &'static UsmUser {
    static USER: OnceLock<UsmUser> = OnceLock::new();
    USER.get_or_init(|| {
        UsmUser::new("admin")
            .with_auth(AuthProtocol::Sha1, b"fuzzingpassword")
            .and_then(|u| u.with_privacy(PrivProtocol::Aes128, b"fuzzingpassword"))
            .expect("valid passwords")
    })
}

fn start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

fuzz_target!(|data: &[u8]| {
    let wire = Bytes::copy_from_slice(data);
    let Ok(Message::V3(msg)) = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &wire) else {
        return;
    };
    let now = start();
    for no_security in [false, true] {
        let engine = "0x80001f8804667a7a".parse().expect("valid engine ID");
        let mut usm = Usm::new(engine, 1, now, 1);
        usm.discover_unknown_engines(no_security).add_user(user().clone());
        if no_security {
            usm.dangerous_no_security();
        }
        let _ = usm.process_incoming(now, &wire, &msg);
    }
});
