//! The command generator fed arbitrary datagrams from the agent it is waiting on: a v2c and
//! an SNMPv3 (no-security provider) request are pending; each input is split into datagrams
//! (a length octet before each) and delivered, with timeouts in between. It may drop, count
//! or fail requests, never panic.
#![no_main]

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use bytes::Bytes;
use libfuzzer_sys::fuzz_target;
use snmp_engine::{CommandGenerator, GeneratorConfig, RequestPdu, Target};
use snmp_mpm::SecurityLevel;
use snmp_smi::oid;
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
    let now = start();
    let mut usm = Usm::new("0x80001f8804667a7a".parse().expect("valid engine ID"), 1, now, 1);
    usm.add_user(user().clone());
    usm.dangerous_no_security();
    let mut generator = CommandGenerator::new(GeneratorConfig::default(), usm);
    let agent = "127.0.0.1:161".parse().expect("valid address");
    let get = || RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), oid!(1, 3, 6, 1, 2, 1, 1, 3, 0)]);
    generator.send(now, &Target::v2c(agent, "public"), get());
    generator.send(now, &Target::usm(agent, "admin", SecurityLevel::AuthPriv), get());
    while generator.poll_transmit().is_some() {}
    let mut rest = data;
    let mut t = now;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (datagram, tail) = tail.split_at(n);
        rest = tail;
        generator.handle_datagram(t, agent, Bytes::copy_from_slice(datagram));
        t += Duration::from_millis(300);
        generator.handle_timeout(t);
        while generator.poll_transmit().is_some() {}
        while generator.poll_event().is_some() {}
    }
});
