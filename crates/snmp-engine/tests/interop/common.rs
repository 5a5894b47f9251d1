//! What the suites share: the blocking UDP driver around [`CommandGenerator`] and the reading
//! of net-snmp tools' output. The peers themselves are started by snmp-peers.

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_engine::{CommandGenerator, Event, GeneratorConfig, RequestHandle, RequestPdu, Target};
use snmp_smi::{BasicPdu, Oid, Value};
use snmp_usm::{Usm, UsmUser};

/// Our (the manager's) snmpEngineID.
const MANAGER_ENGINE: &str = "0x80001f88046d616e61676572";

/// The longest a test waits for the outcome of one request, whatever the target's timeouts.
const REQUEST_LIMIT: Duration = Duration::from_secs(60);

/// The command generator on two real sockets (127.0.0.1 and ::1, ephemeral ports), moved by
/// a blocking loop: send what it queued, wait on the socket until its next timeout, feed it
/// what arrived or the timeout, with the real clock.
pub(crate) struct Driver {
    pub(crate) generator: CommandGenerator,
    v4: UdpSocket,
    v6: UdpSocket,
    /// Events of requests nobody waits for yet.
    done: BTreeMap<RequestHandle, Event>,
}

impl Driver {
    /// A generator with the default configuration (1-second timeout, 5 retries) knowing
    /// these USM users.
    pub(crate) fn new(users: impl IntoIterator<Item = UsmUser>) -> Self {
        // The driver owns the clock (the engine reads none): real time, since the agents are.
        let now = Instant::now();
        let mut usm = Usm::new(MANAGER_ENGINE.parse().unwrap(), 1, now, 42);
        for user in users {
            usm.add_user(user);
        }
        let mut config = GeneratorConfig::default();
        config.rng_seed(u64::from(std::process::id()));
        Self {
            generator: CommandGenerator::new(config, usm),
            v4: UdpSocket::bind("127.0.0.1:0").unwrap(),
            v6: UdpSocket::bind("[::1]:0").unwrap(),
            done: BTreeMap::new(),
        }
    }

    /// Sends `pdu` to `target` and runs the loop until the request's event.
    pub(crate) fn request(&mut self, target: &Target, pdu: RequestPdu) -> Event {
        let handle = self.generator.send(Instant::now(), target, pdu);
        self.wait(handle, target.addr)
    }

    /// The Response to `pdu`, or a panic naming the failure.
    pub(crate) fn response(&mut self, target: &Target, pdu: RequestPdu) -> BasicPdu {
        match self.request(target, pdu) {
            Event::Response { response, .. } => response,
            other => panic!("no Response from {}: {other:?}", target.addr),
        }
    }

    /// The values of a GET (or GETNEXT...) answered without error.
    pub(crate) fn values(&mut self, target: &Target, pdu: RequestPdu) -> Vec<(Oid, Value)> {
        let response = self.response(target, pdu);
        assert_eq!(
            response.error_status,
            snmp_smi::ErrorStatus::NO_ERROR,
            "{response:?}"
        );
        response
            .varbinds
            .into_iter()
            .map(|vb| (vb.oid, vb.value))
            .collect()
    }

    fn socket(&self, addr: SocketAddr) -> &UdpSocket {
        if addr.is_ipv4() { &self.v4 } else { &self.v6 }
    }

    /// Runs the loop until `handle`'s event (bounded by [`REQUEST_LIMIT`]), reading the
    /// socket of `peer`'s address family.
    fn wait(&mut self, handle: RequestHandle, peer: SocketAddr) -> Event {
        let limit = Instant::now() + REQUEST_LIMIT;
        let mut buf = vec![0u8; 65535];
        loop {
            while let Some(t) = self.generator.poll_transmit() {
                self.socket(t.destination)
                    .send_to(&t.contents, t.destination)
                    .unwrap();
            }
            while let Some(event) = self.generator.poll_event() {
                let h = match &event {
                    Event::Response { handle, .. } | Event::Failed { handle, .. } => *handle,
                    other => panic!("an event of a new kind: {other:?}"),
                };
                self.done.insert(h, event);
            }
            if let Some(event) = self.done.remove(&handle) {
                return event;
            }
            let now = Instant::now();
            assert!(now < limit, "no outcome within {REQUEST_LIMIT:?}");
            let deadline = self
                .generator
                .poll_timeout()
                .expect("a request is pending, so a timer is armed");
            if deadline <= now {
                self.generator.handle_timeout(now);
                continue;
            }
            let wait = (deadline - now)
                .min(limit - now)
                .max(Duration::from_millis(1));
            let sock = self.socket(peer);
            sock.set_read_timeout(Some(wait)).unwrap();
            match sock.recv_from(&mut buf) {
                Ok((n, from)) => self.generator.handle_datagram(
                    Instant::now(),
                    from,
                    Bytes::copy_from_slice(&buf[..n]),
                ),
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::ConnectionRefused
                    ) =>
                {
                    self.generator.handle_timeout(Instant::now());
                }
                Err(e) => panic!("receiving: {e}"),
            }
        }
    }
}

/// A value as net-snmp prints it with `-On -Oe` and no MIBs loaded, for the types the
/// system group has (`STRING: "..."`, `OID: .1.3...`, `INTEGER: 5`, `Timeticks: (N)
/// H:MM:SS.cc`...). This is our `Value`'s `Display`, checked here against net-snmp for
/// those types.
pub(crate) fn render(value: &Value) -> String {
    value.to_string().trim_end().to_owned()
}

/// Reads the `-On` output of snmpget, snmpgetnext, snmpbulkget or snmpwalk:
/// `.1.3.6... = TYPE: value` lines (continuation lines, from strings with line breaks or
/// long hex dumps, are joined to their binding).
pub(crate) fn parse_netsnmp(stdout: &str) -> Vec<(Oid, String)> {
    let mut out: Vec<(Oid, String)> = Vec::new();
    for line in stdout.lines() {
        let parsed = line.split_once(" = ").and_then(|(oid, value)| {
            let oid = oid.strip_prefix('.')?.parse::<Oid>().ok()?;
            Some((oid, value))
        });
        match parsed {
            Some((oid, value)) => {
                out.push((oid, value.trim_end().to_owned()));
            }
            None => {
                let (_, last) = out
                    .last_mut()
                    .expect("a binding before a continuation line");
                last.push('\n');
                last.push_str(line.trim_end());
            }
        }
    }
    out
}

/// `"text"` as net-snmp quotes a string (`-Oqv`), back to `text`.
pub(crate) fn unquote(text: &str) -> String {
    let t = text.trim();
    let t = t
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(t);
    t.replace("\\\"", "\"").replace("\\\\", "\\")
}

/// The bindings as `(oid, rendered value)`.
pub(crate) fn rendered(values: &[(Oid, Value)]) -> Vec<(Oid, String)> {
    values.iter().map(|(o, v)| (o.clone(), render(v))).collect()
}
