//! What the interop suites share: credentials, a loopback responder on our USM, a manager on
//! it. The peers themselves are started by snmp-peers.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_ber::{DecodeOptions, Decoder};
use snmp_mpm::{HeaderData, Message, MsgFlags, ScopedPdu, ScopedPduData, SecurityLevel};
use snmp_smi::{BasicPdu, Oid, Pdu, Value, VarBind, oid};
pub(crate) use snmp_usm::{AuthProtocol, PrivProtocol};
use snmp_usm::{Usm, UsmFailure, UsmUser};

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

/// One user per authentication protocol and privacy protocol of `privs`, named by
/// [`user_name`], all with the same two passwords.
pub(crate) fn users(privs: &[(PrivProtocol, &str)]) -> Vec<UsmUser> {
    let mut out = Vec::new();
    for (auth, a) in AUTHS {
        for (privacy, p) in privs {
            let user = UsmUser::new(user_name(a, p))
                .with_auth(auth, AUTH_PASS.as_bytes())
                .unwrap()
                .with_privacy(*privacy, PRIV_PASS.as_bytes())
                .unwrap();
            out.push(user);
        }
    }
    out
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

pub(crate) fn get(request_id: i32, context_engine_id: Bytes, name: Oid) -> ScopedPdu {
    ScopedPdu {
        context_engine_id,
        context_name: Bytes::new(),
        pdu: Pdu::GetRequest(BasicPdu::new(request_id, vec![VarBind::null(name)])),
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

/// Our USM as a manager talking to one agent over loopback.
pub(crate) struct Manager {
    usm: Usm,
    sock: UdpSocket,
    agent: SocketAddr,
    msg_id: i32,
}

impl Manager {
    /// A manager with these users, for the agent at `agent`.
    pub(crate) fn new(agent: SocketAddr, users: impl IntoIterator<Item = UsmUser>) -> Self {
        let mut usm = Usm::new(
            "0x80001f88046d616e61676572".parse().unwrap(),
            1,
            Instant::now(),
            42,
        );
        usm.discover_unknown_engines(true);
        for u in users {
            usm.add_user(u);
        }
        let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
        sock.set_read_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        Self {
            usm,
            sock,
            agent,
            msg_id: 1,
        }
    }

    /// RFC 3414 section 4 discovery: a noAuthNoPriv probe with an empty engine ID, retried
    /// until the agent answers (at most `within`); returns the agent's engine ID.
    pub(crate) fn discover(&mut self, within: Duration) -> Bytes {
        let t0 = Instant::now();
        loop {
            assert!(
                t0.elapsed() < within,
                "the agent did not answer the discovery probe"
            );
            let probe = self
                .usm
                .generate(
                    Instant::now(),
                    header(self.msg_id),
                    &get(self.msg_id, Bytes::new(), oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)),
                    &Bytes::new(),
                    &Bytes::new(),
                    SecurityLevel::NoAuthNoPriv,
                )
                .unwrap();
            self.msg_id += 1;
            if let Some(answer) = exchange(&self.sock, self.agent, &probe) {
                let incoming = self
                    .usm
                    .process_incoming(Instant::now(), &answer, &decode_v3(&answer))
                    .unwrap();
                assert!(matches!(incoming.scoped_pdu.pdu, Pdu::Report(_)));
                return incoming.engine_id;
            }
        }
    }

    /// An authPriv GET of `name` as `user`: at most three tries, since the first may be
    /// answered by an (authenticated) notInTimeWindow Report that sets our clock.
    pub(crate) fn get(&mut self, engine_id: &Bytes, user: &str, name: Oid) -> Value {
        let user_name = Bytes::from(user.to_owned());
        for _ in 0..3 {
            let wire = self
                .usm
                .generate(
                    Instant::now(),
                    header(self.msg_id),
                    &get(self.msg_id, engine_id.clone(), name.clone()),
                    &user_name,
                    engine_id,
                    SecurityLevel::AuthPriv,
                )
                .unwrap();
            self.msg_id += 1;
            let Some(answer) = exchange(&self.sock, self.agent, &wire) else {
                continue;
            };
            let incoming = self
                .usm
                .process_incoming(Instant::now(), &answer, &decode_v3(&answer))
                .unwrap_or_else(|e| panic!("{user}: the agent's answer does not pass USM: {e}"));
            match incoming.scoped_pdu.pdu {
                Pdu::Response(r) => {
                    assert_eq!(incoming.level, SecurityLevel::AuthPriv, "{user}");
                    return r.varbinds[0].value.clone();
                }
                Pdu::Report(r) => {
                    let report = &r.varbinds[0].oid;
                    assert_eq!(
                        *report,
                        oid!(1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0),
                        "{user}: report {report}"
                    );
                }
                other => panic!("{user}: unexpected {other:?}"),
            }
        }
        panic!("{user}: no Response in three tries");
    }
}
