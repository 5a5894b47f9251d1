//! What the interop suites share: credentials, process guards, a loopback responder on our
//! USM.

use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::Child;
use std::time::Instant;

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, SecurityLevel};
use snmp_smi::{BasicPdu, Pdu, VarBind, oid};
pub(crate) use snmp_usm::{AuthProtocol, PrivProtocol};
use snmp_usm::{Usm, UsmFailure};

pub(crate) const AUTH_PASS: &str = "authpass-interop";
pub(crate) const PRIV_PASS: &str = "privpass-interop";

pub(crate) const AUTHS: [(AuthProtocol, &str); 6] = [
    (AuthProtocol::Md5, "MD5"),
    (AuthProtocol::Sha1, "SHA"),
    (AuthProtocol::Sha224, "SHA-224"),
    (AuthProtocol::Sha256, "SHA-256"),
    (AuthProtocol::Sha384, "SHA-384"),
    (AuthProtocol::Sha512, "SHA-512"),
];

pub(crate) fn user_name(a: &str, p: &str) -> String {
    format!("u-{a}-{p}").to_lowercase()
}

pub(crate) fn free_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub(crate) fn scratch_dir(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("snmp-rs-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A process started by a test, stopped by its own PID when the test ends.
pub(crate) struct Guard(pub(crate) Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn header(msg_id: i32) -> HeaderData {
    HeaderData {
        msg_id,
        max_size: 65507,
        flags: MsgFlags(MsgFlags::REPORTABLE),
        security_model: 3,
    }
}

pub(crate) fn decode_v3(wire: &Bytes) -> snmp_mpm::V3Message {
    match Message::decode(&Decoder::new(DecodeOptions::LENIENT), wire).unwrap() {
        Message::V3(m) => *m,
        other => panic!("not SNMPv3: {other:?}"),
    }
}

pub(crate) fn get(request_id: i32, context_engine_id: Bytes) -> ScopedPdu {
    ScopedPdu {
        context_engine_id,
        context_name: Bytes::new(),
        pdu: Pdu::GetRequest(BasicPdu::new(
            request_id,
            vec![VarBind::null(oid!(1, 3, 6, 1, 2, 1, 1, 5, 0))],
        )),
    }
}

/// Sends `wire` and waits for one answer (bounded by a 2-second timeout).
pub(crate) fn exchange(sock: &UdpSocket, to: SocketAddr, wire: &Bytes) -> Option<Bytes> {
    sock.send_to(wire, to).unwrap();
    let mut buf = vec![0u8; 65535];
    match sock.recv_from(&mut buf) {
        Ok((n, _)) => Some(Bytes::copy_from_slice(&buf[..n])),
        Err(_) => None,
    }
}

/// A responder on our USM: discovery Reports, and "interop-rs" for any GetRequest.
pub(crate) fn serve(sock: &UdpSocket, usm: &mut Usm, deadline: Instant) {
    let mut buf = vec![0u8; 65535];
    let local = usm.engine_id().to_bytes();
    while Instant::now() < deadline {
        let Ok((n, from)) = sock.recv_from(&mut buf) else {
            continue;
        };
        let wire = Bytes::copy_from_slice(&buf[..n]);
        let Ok(Message::V3(msg)) = Message::decode(&Decoder::new(DecodeOptions::LENIENT), &wire)
        else {
            continue;
        };
        let now = Instant::now();
        let (scoped, user, level) = match usm.process_incoming(now, &wire, &msg) {
            Ok(incoming) => {
                let Pdu::GetRequest(req) = incoming.scoped_pdu.pdu else {
                    continue;
                };
                let varbinds = req
                    .varbinds
                    .iter()
                    .map(|vb| VarBind::new(vb.oid.clone(), "interop-rs"))
                    .collect();
                let pdu = Pdu::Response(BasicPdu::new(req.request_id, varbinds));
                (
                    ScopedPdu {
                        context_engine_id: local.clone(),
                        context_name: Bytes::new(),
                        pdu,
                    },
                    incoming.security_name,
                    incoming.level,
                )
            }
            Err(failure) => {
                let Some(vb) = usm.report_varbind(&failure) else {
                    continue;
                };
                let request_id = match &msg.data {
                    ScopedPduData::Plaintext(s) => s.pdu.request_id().unwrap_or(0),
                    ScopedPduData::Encrypted(_) => 0,
                };
                let pdu = Pdu::Report(BasicPdu::new(request_id, vec![vb]));
                let name = snmp_usm::UsmSecurityParameters::decode(
                    &Decoder::new(DecodeOptions::LENIENT),
                    &msg.security_parameters,
                )
                .map(|p| p.user_name)
                .unwrap_or_default();
                // notInTimeWindow is reported authenticated (RFC 3414 3.2 step 7), the rest not.
                let level = if failure == UsmFailure::NotInTimeWindow {
                    SecurityLevel::AuthNoPriv
                } else {
                    SecurityLevel::NoAuthNoPriv
                };
                (
                    ScopedPdu {
                        context_engine_id: local.clone(),
                        context_name: Bytes::new(),
                        pdu,
                    },
                    name,
                    level,
                )
            }
        };
        let mut h = msg.header;
        h.flags = MsgFlags(0);
        let answer = usm.generate(now, h, &scoped, &user, &local, level).unwrap();
        sock.send_to(&answer, from).unwrap();
    }
}
