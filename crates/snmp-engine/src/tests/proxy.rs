//! The proxy forwarder in virtual time: an SNMPv3 manager, this proxy, and an SNMPv1/v2c
//! device (another responder) on a virtual network.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use snmp_mpm::{SecurityLevel, Version};
use snmp_smi::{BasicPdu, ErrorStatus, Oid, Value, VarBind, oid};
use snmp_usm::Usm;
use snmp_vacm::{CommunityEntry, ContextMatch, SecurityModel, Vacm};

use super::responder::{Log, MapHandler};
use super::util::{AGENT, AGENT_ENGINE, MANAGER, admin, agent_usm};
use crate::{
    CommandGenerator, CommandResponder, Event, GeneratorConfig, NotificationKind, Outgoing,
    ProxyEntry, ProxyForwarder, ProxyTable, ProxyType, ReceivedNotification, ReportKind,
    RequestError, RequestHandle, RequestPdu, ResponderConfig, Security, SystemInfo, Target,
    TargetAddr,
};

/// The device behind the proxy.
const DEVICE: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 2, 7)),
    161,
);
/// The proxy's own socket, its requests' source.
const PROXY_OUT: SocketAddr = SocketAddr::new(
    std::net::IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)),
    50000,
);
const ENTERPRISE: [u32; 7] = [1, 3, 6, 1, 4, 1, 99999];

/// The instance `.n.0` under the device's enterprise subtree.
fn obj(n: u32) -> Oid {
    Oid::from_slice(&ENTERPRISE)
        .unwrap()
        .extend(&[n, 0])
        .unwrap()
}

fn device_values() -> Vec<(Oid, Value)> {
    vec![
        (obj(1), Value::Integer(7)),
        (obj(2), Value::Counter64(1 << 40)),
        (obj(3), Value::from("after the counter")),
    ]
}

struct Net {
    start: Instant,
    now: Instant,
    manager: CommandGenerator,
    proxy: CommandResponder,
    device: CommandResponder,
    device_up: bool,
    events: Vec<(Duration, Event)>,
    /// Requests the device received.
    device_requests: usize,
}

impl Net {
    /// The proxy serves its own default context and forwards context "dev1" to the device
    /// over SNMPv1 and "dev2c" over SNMPv2c.
    fn new() -> Self {
        // The one real instant: the anchor of the virtual clock.
        #[allow(clippy::disallowed_methods)]
        let start = Instant::now();
        let now = start + Duration::from_secs(3600);
        let mut vacm = Vacm::new();
        vacm.rwuser("admin", SecurityLevel::AuthPriv, None).unwrap();
        vacm.rwcommunity("public", None, None).unwrap();
        vacm.add_community(CommunityEntry::new("dev1-public", "comm-dev1", "dev1", None).unwrap());
        for model in [SecurityModel::V1, SecurityModel::V2c] {
            vacm.add_group_member(model, "comm-dev1", "grpdev").unwrap();
        }
        // The group may read and write the proxied contexts ("dev..."), not the default one.
        vacm.add_access(
            "grpdev",
            "dev",
            ContextMatch::Prefix,
            SecurityModel::Any,
            SecurityLevel::NoAuthNoPriv,
            "_all_",
            "_all_",
            "",
        )
        .unwrap();
        vacm.add_context("dev1")
            .unwrap()
            .add_context("dev2c")
            .unwrap();
        let mut proxy = CommandResponder::new(
            ResponderConfig::default(),
            agent_usm(start, 5),
            vacm,
            SystemInfo::default(),
            start,
        );
        let mut table = ProxyTable::default();
        table
            .targets_mut()
            .add_params("v1", Security::community(Version::V1, "private"))
            .add_params("v2c", Security::community(Version::V2c, "private"))
            .add_target_addr(
                "dev1",
                TargetAddr::new(DEVICE, "v1")
                    .with_timeout(Duration::from_secs(1))
                    .with_retries(1),
            )
            .add_target_addr(
                "dev2c",
                TargetAddr::new(DEVICE, "v2c")
                    .with_timeout(Duration::from_secs(1))
                    .with_retries(1),
            );
        for (ctx, kind) in [
            ("dev1", ProxyType::Read),
            ("dev1", ProxyType::Write),
            ("dev2c", ProxyType::Read),
        ] {
            table.add_entry(
                format!("{ctx}-{kind:?}"),
                ProxyEntry::new(kind, ctx).single_target_out(ctx),
            );
        }
        let out = Usm::new(AGENT_ENGINE.parse().unwrap(), 5, start, 9);
        proxy.set_proxy(ProxyForwarder::new(
            table,
            CommandGenerator::new(GeneratorConfig::default(), out),
        ));

        let mut device_vacm = Vacm::new();
        device_vacm.rwcommunity("private", None, None).unwrap();
        let mut device = CommandResponder::new(
            ResponderConfig::default(),
            Usm::new("0x80001f8804646576".parse().unwrap(), 1, start, 2),
            device_vacm,
            SystemInfo::default(),
            start,
        );
        let log = Log::default();
        device
            .mib_mut("")
            .register(
                Oid::from_slice(&ENTERPRISE).unwrap(),
                MapHandler::new("device", device_values(), &log),
            )
            .unwrap();

        let mut usm = Usm::new("0x80001f88046d6772".parse().unwrap(), 1, start, 3);
        usm.add_user(admin(b"authpassword"));
        let mut config = GeneratorConfig::default();
        config.timeout(Duration::from_secs(5)).retries(0);
        Self {
            start,
            now,
            manager: CommandGenerator::new(config, usm),
            proxy,
            device,
            device_up: true,
            events: Vec::new(),
            device_requests: 0,
        }
    }

    fn v3(context: &str) -> Target {
        Target::usm(AGENT, "admin", SecurityLevel::AuthPriv)
            .with_context_name(Bytes::copy_from_slice(context.as_bytes()))
    }

    fn send(&mut self, target: &Target, pdu: RequestPdu) -> RequestHandle {
        self.manager.send(self.now, target, pdu)
    }

    /// Moves every datagram and fires every timer until nothing is left.
    fn drive(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            while let Some(t) = self.manager.poll_transmit() {
                moved = true;
                if t.destination == AGENT
                    && let Some(answer) = self.proxy.handle_datagram(self.now, MANAGER, &t.contents)
                {
                    self.manager.handle_datagram(self.now, AGENT, answer);
                }
            }
            while let Some(out) = self.proxy.poll_transmit() {
                moved = true;
                match out {
                    Outgoing::ToTarget(t) => {
                        assert_eq!(t.destination, DEVICE);
                        if !self.device_up {
                            continue;
                        }
                        self.device_requests += 1;
                        if let Some(answer) =
                            self.device
                                .handle_datagram(self.now, PROXY_OUT, &t.contents)
                        {
                            self.proxy.handle_proxy_datagram(self.now, DEVICE, answer);
                        }
                    }
                    Outgoing::Answer {
                        peer,
                        via,
                        contents,
                    } => {
                        assert_eq!((peer, via), (MANAGER, 0));
                        self.manager.handle_datagram(self.now, AGENT, contents);
                    }
                }
            }
            while let Some(e) = self.manager.poll_event() {
                self.events.push((self.now - self.start, e));
            }
            if moved {
                continue;
            }
            let next = [self.manager.poll_timeout(), self.proxy.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next else {
                return;
            };
            self.now = self.now.max(next);
            self.manager.handle_timeout(self.now);
            self.proxy.handle_timeout(self.now);
        }
        panic!("the network never settled");
    }

    fn take(&mut self, handle: RequestHandle) -> Result<BasicPdu, RequestError> {
        self.drive();
        let i = self
            .events
            .iter()
            .position(|(_, e)| matches!(e, Event::Response { handle: h, .. } | Event::Failed { handle: h, .. } if *h == handle))
            .expect("an event for the request");
        match self.events.remove(i).1 {
            Event::Response { response, .. } => Ok(response),
            Event::Failed { error, .. } => Err(error),
        }
    }

    fn ask(&mut self, target: &Target, pdu: RequestPdu) -> Result<BasicPdu, RequestError> {
        let h = self.send(target, pdu);
        self.take(h)
    }

    /// A GETNEXT walk from `root` until the answer leaves it, ends, or fails.
    fn walk(&mut self, target: &Target, root: &Oid) -> Vec<VarBind> {
        let mut out = Vec::new();
        let mut at = root.clone();
        for _ in 0..1000 {
            let Ok(r) = self.ask(target, RequestPdu::get_next([at.clone()])) else {
                break;
            };
            let Some(vb) = r.varbinds.into_iter().next() else {
                break;
            };
            if !r.error_status.is_ok() || vb.value.is_exception() || !vb.oid.starts_with(root) {
                break;
            }
            at = vb.oid.clone();
            out.push(vb);
        }
        out
    }
}

#[test]
fn a_v3_walk_through_the_proxy_equals_a_direct_v1_walk() {
    let mut net = Net::new();
    let root = oid!(1, 3, 6, 1);
    let through = net.walk(&Net::v3("dev1"), &root);
    // Directly: the manager asks the device over SNMPv1 (the virtual network lets it).
    let mut direct = Vec::new();
    let mut at = root.clone();
    loop {
        let h = net.manager.send(
            net.now,
            &Target::v1(DEVICE, "private"),
            RequestPdu::get_next([at.clone()]),
        );
        let t = net.manager.poll_transmit().unwrap();
        let answer = net
            .device
            .handle_datagram(net.now, MANAGER, &t.contents)
            .unwrap();
        net.manager.handle_datagram(net.now, DEVICE, answer);
        let Some(Event::Response {
            handle, response, ..
        }) = net.manager.poll_event()
        else {
            panic!("no answer");
        };
        assert_eq!(handle, h);
        if !response.error_status.is_ok() {
            // The end of an SNMPv1 walk.
            assert_eq!(response.error_status, ErrorStatus::NO_SUCH_NAME);
            break;
        }
        let vb = response.varbinds[0].clone();
        at = vb.oid.clone();
        direct.push(vb);
    }
    assert!(direct.len() > 10, "{direct:?}");
    // The v1 device skips the Counter64 for its SNMPv1 requester, so does the walk.
    assert!(
        direct
            .iter()
            .all(|vb| !matches!(vb.value, Value::Counter64(_)))
    );
    // The same objects, and the same values but for the device's packet counters (the
    // snmp group), which count the walk itself.
    let masked = |vbs: &[VarBind]| -> Vec<VarBind> {
        let snmp_group = oid!(1, 3, 6, 1, 2, 1, 11);
        vbs.iter()
            .map(|vb| {
                if vb.oid.starts_with(&snmp_group) && matches!(vb.value, Value::Counter32(_)) {
                    VarBind::new(vb.oid.clone(), Value::Counter32(0))
                } else {
                    vb.clone()
                }
            })
            .collect()
    };
    assert_eq!(masked(&through), masked(&direct));
    // The walk ended with endOfMibView, the translation of the device's noSuchName.
    let last = net
        .ask(
            &Net::v3("dev1"),
            RequestPdu::get_next([direct.last().unwrap().oid.clone()]),
        )
        .unwrap();
    assert_eq!(last.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(last.varbinds[0].value, Value::EndOfMibView);
    assert_eq!(net.proxy.stats().proxy_drops, 0);
    assert_eq!(net.proxy.proxy().unwrap().in_flight(), 0);
}

#[test]
fn a_getbulk_goes_to_an_snmpv1_target_as_a_getnext() {
    let mut net = Net::new();
    let base = Oid::from_slice(&ENTERPRISE).unwrap();
    let bulk = RequestPdu::get_bulk(0, 10, [base.clone(), oid!(1, 3, 6, 1, 2, 1, 1, 1)]);
    let r = net.ask(&Net::v3("dev1"), bulk).unwrap();
    // One repetition: the next instance after each binding.
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(r.varbinds.len(), 2);
    assert_eq!(r.varbinds[0], VarBind::new(obj(1), Value::Integer(7)));
    assert_eq!(r.varbinds[1].oid, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
    // A v2c target takes the GETBULK as it is.
    let r = net
        .ask(
            &Net::v3("dev2c"),
            RequestPdu::get_bulk(0, 3, [base.clone()]),
        )
        .unwrap();
    assert_eq!(r.varbinds.len(), 3);
    assert_eq!(r.varbinds[1].value, Value::Counter64(1 << 40));
}

#[test]
fn a_walk_ending_at_an_snmpv1_target_asks_again_for_the_other_bindings() {
    let mut net = Net::new();
    let base = Oid::from_slice(&ENTERPRISE).unwrap();
    // The second binding is past everything the device has: noSuchName at index 2 from
    // the device, endOfMibView in the answer, and the first binding asked again.
    let r = net
        .ask(
            &Net::v3("dev1"),
            RequestPdu::get_next([base.clone(), oid!(2, 99)]),
        )
        .unwrap();
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    assert_eq!(r.varbinds[0], VarBind::new(obj(1), Value::Integer(7)));
    assert_eq!(
        r.varbinds[1],
        VarBind::new(oid!(2, 99), Value::EndOfMibView)
    );
    assert_eq!(net.device_requests, 2);
}

#[test]
fn a_set_passes_through_and_errors_come_back_at_the_manager_s_index() {
    let mut net = Net::new();
    let value = obj(1);
    let r = net
        .ask(
            &Net::v3("dev1"),
            RequestPdu::set([VarBind::new(value.clone(), 42)]),
        )
        .unwrap();
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR);
    let r = net
        .ask(&Net::v3("dev1"), RequestPdu::get([value.clone()]))
        .unwrap();
    assert_eq!(r.varbinds[0].value, Value::Integer(42));
    // A GET of something the device lacks: the SNMPv1 error, at the manager's binding.
    let r = net
        .ask(&Net::v3("dev1"), RequestPdu::get([value, obj(9)]))
        .unwrap();
    assert_eq!(r.error_status, ErrorStatus::NO_SUCH_NAME);
    assert_eq!(r.error_index, 2);
}

#[test]
fn an_snmpv2c_manager_reaches_a_proxied_context_through_its_community() {
    let mut net = Net::new();
    let base = Oid::from_slice(&ENTERPRISE).unwrap();
    let r = net
        .ask(
            &Target::v2c(AGENT, "dev1-public"),
            RequestPdu::get_next([base.clone()]),
        )
        .unwrap();
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR, "{r:?}");
    assert_eq!(r.varbinds[0], VarBind::new(obj(1), Value::Integer(7)));
    // The proxy's own community still reads its own default context.
    let r = net
        .ask(
            &Target::v2c(AGENT, "public"),
            RequestPdu::get_next([base.clone()]),
        )
        .unwrap();
    assert_ne!(r.varbinds[0].oid, obj(1));
}

#[test]
fn an_snmpv1_manager_never_sees_a_counter64_from_an_snmpv2c_target() {
    let mut net = Net::new();
    // Context dev2c for an SNMPv1 manager: a community mapped to it.
    net.proxy
        .vacm_mut()
        .add_community(CommunityEntry::new("dev2c-public", "comm-dev1", "dev2c", None).unwrap());
    let v1 = Target::v1(AGENT, "dev2c-public");
    let r = net.ask(&v1, RequestPdu::get_next([obj(1)])).unwrap();
    // The Counter64 at .2.0 is passed over.
    assert_eq!(r.error_status, ErrorStatus::NO_ERROR, "{r:?}");
    assert_eq!(
        r.varbinds[0],
        VarBind::new(obj(3), Value::from("after the counter"))
    );
    // A GET of it is noSuchName for SNMPv1.
    let r = net.ask(&v1, RequestPdu::get([obj(2)])).unwrap();
    assert_eq!(r.error_status, ErrorStatus::NO_SUCH_NAME);
    assert_eq!(r.error_index, 1);
}

#[test]
fn a_silent_target_is_a_proxy_drop_reported_and_other_contexts_answer_meanwhile() {
    let mut net = Net::new();
    net.device_up = false;
    let h = net.send(
        &Net::v3("dev1"),
        RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]),
    );
    // While the target is silent, the proxy's own context answers at once.
    let own = net.send(
        &Net::v3(""),
        RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 3, 0)]),
    );
    net.drive();
    let answered = |net: &Net, h: RequestHandle| {
        net.events
            .iter()
            .find(|(_, e)| matches!(e, Event::Response { handle, .. } | Event::Failed { handle, .. } if *handle == h))
            .map(|(t, e)| (*t, e.clone()))
            .unwrap()
    };
    let (t_own, e_own) = answered(&net, own);
    assert!(matches!(e_own, Event::Response { .. }), "{e_own:?}");
    let (t_drop, e_drop) = answered(&net, h);
    // The target was tried twice, 1 s apart (its row: timeout 1 s, 1 retry); then the
    // manager got a Report of snmpProxyDrops, not its own timeout (5 s).
    match e_drop {
        Event::Failed {
            error: RequestError::Report { kind, oid },
            ..
        } => {
            assert_eq!(kind, ReportKind::Other);
            assert_eq!(*oid, oid!(1, 3, 6, 1, 2, 1, 11, 32, 0));
        }
        other => panic!("{other:?}"),
    }
    assert!(t_own < t_drop);
    assert!(
        t_drop - t_own >= Duration::from_secs(2),
        "{t_own:?} {t_drop:?}"
    );
    assert!(
        t_drop - t_own < Duration::from_secs(5),
        "{t_own:?} {t_drop:?}"
    );
    assert_eq!(net.proxy.stats().proxy_drops, 1);
    assert_eq!(net.proxy.proxy().unwrap().in_flight(), 0);
}

#[test]
fn a_request_for_an_engine_no_entry_takes_is_a_proxy_drop() {
    let mut net = Net::new();
    let target =
        Net::v3("dev1").with_context_engine_id(Bytes::from_static(b"\x80\x00\x1f\x88\x04other"));
    let e = net
        .ask(&target, RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]))
        .unwrap_err();
    assert!(
        matches!(&e, RequestError::Report { oid, .. } if **oid == oid!(1, 3, 6, 1, 2, 1, 11, 32, 0)),
        "{e:?}"
    );
    assert_eq!(net.proxy.stats().proxy_drops, 1);
    assert_eq!(net.device_requests, 0);
}

#[test]
fn a_requester_without_access_to_the_context_is_not_forwarded() {
    let mut net = Net::new();
    // "public" maps to the default context: a request naming dev1 cannot come from it,
    // and an SNMPv3 user without access to dev1 gets the VACM's answer, not the device's.
    net.proxy.usm_mut().add_user(
        snmp_usm::UsmUser::new("guest")
            .with_auth(snmp_usm::AuthProtocol::Sha256, b"authpassword")
            .unwrap()
            .with_privacy(snmp_usm::PrivProtocol::Aes128, b"privpassword")
            .unwrap(),
    );
    net.manager.usm_mut().add_user(
        snmp_usm::UsmUser::new("guest")
            .with_auth(snmp_usm::AuthProtocol::Sha256, b"authpassword")
            .unwrap()
            .with_privacy(snmp_usm::PrivProtocol::Aes128, b"privpassword")
            .unwrap(),
    );
    let guest = Target::usm(AGENT, "guest", SecurityLevel::AuthPriv).with_context_name("dev1");
    let r = net
        .ask(&guest, RequestPdu::get([oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)]))
        .unwrap();
    assert_eq!(r.error_status, ErrorStatus::AUTHORIZATION_ERROR);
    assert_eq!(net.device_requests, 0);
}

#[test]
fn target_params_in_selects_by_the_incoming_security() {
    let mut net = Net::new();
    let table = net.proxy.proxy_mut().unwrap().table_mut();
    table
        .targets_mut()
        .add_params("admin-in", Security::usm("admin", SecurityLevel::AuthPriv));
    table.add_entry(
        "strict",
        ProxyEntry::new(ProxyType::Read, "strict")
            .target_params_in("admin-in")
            .single_target_out("dev1"),
    );
    // Not in the VACM's contexts: only the params-in match lets admin through.
    let r = net
        .ask(&Net::v3("strict"), RequestPdu::get_next([obj(1)]))
        .unwrap();
    assert_eq!(
        r.varbinds[0],
        VarBind::new(obj(3), Value::from("after the counter"))
    );
    assert_eq!(net.device_requests, 1);
    // At authNoPriv the params do not match: the context is unknown here.
    let mut target = Net::v3("strict");
    target.security = Security::usm("admin", SecurityLevel::AuthNoPriv);
    let e = net.ask(&target, RequestPdu::get([obj(1)])).unwrap_err();
    assert!(
        matches!(&e, RequestError::Report { oid, .. } if **oid == oid!(1, 3, 6, 1, 6, 3, 12, 1, 5, 0)),
        "{e:?}"
    );
    assert_eq!(net.device_requests, 1);
}

/// A notification as the receiver hands it over.
fn received(version: Version, kind: NotificationKind, name: &str) -> ReceivedNotification {
    ReceivedNotification {
        from: DEVICE,
        version,
        kind,
        security_level: SecurityLevel::NoAuthNoPriv,
        security_name: Bytes::copy_from_slice(name.as_bytes()),
        engine_id: Bytes::new(),
        context_engine_id: Bytes::new(),
        context_name: Bytes::new(),
        request_id: 1,
        varbinds: vec![
            VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 3, 0), Value::TimeTicks(4242)),
            VarBind::new(
                oid!(1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0),
                Value::ObjectIdentifier(oid!(1, 3, 6, 1, 4, 1, 99999, 0, 17)),
            ),
        ],
        v1_trap: None,
    }
}

#[test]
fn notifications_go_to_the_tag_of_the_entries_they_match() {
    let local = Bytes::from_static(b"\x80\x00\x1f\x88\x04local");
    let mut table = ProxyTable::default();
    let nms: SocketAddr = "192.0.2.1:162".parse().unwrap();
    let old_nms: SocketAddr = "192.0.2.2:162".parse().unwrap();
    table
        .targets_mut()
        .add_params("from-devices", Security::community(Version::V1, "public"))
        .add_params("v3", Security::usm("nms", SecurityLevel::AuthPriv))
        .add_params("v1", Security::community(Version::V1, "public"))
        .add_target_addr("nms", TargetAddr::new(nms, "v3").with_tags(["ops"]))
        .add_target_addr(
            "old",
            TargetAddr::new(old_nms, "v1").with_tags(["ops", "legacy"]),
        );
    // SNMPv1 traps with community public go to "ops" as informs.
    table.add_entry(
        "traps",
        ProxyEntry::new(ProxyType::Trap, "")
            .target_params_in("from-devices")
            .multiple_target_out("ops")
            .forward_as(NotificationKind::Inform),
    );
    let vacm = Vacm::new();
    let out = table.notification_targets(
        &received(Version::V1, NotificationKind::Trap, "public"),
        &local,
        &vacm,
    );
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].0.addr, nms);
    assert!(matches!(out[0].1, RequestPdu::Inform(ref v) if v.len() == 2));
    // An SNMPv1 target gets a trap, never an inform.
    assert_eq!(out[1].0.addr, old_nms);
    assert!(matches!(out[1].1, RequestPdu::Trap(_)));
    // Another community, another version, an inform: no entry matches.
    for n in [
        received(Version::V1, NotificationKind::Trap, "other"),
        received(Version::V2c, NotificationKind::Trap, "public"),
        received(Version::V1, NotificationKind::Inform, "public"),
    ] {
        assert!(
            table.notification_targets(&n, &local, &vacm).is_empty(),
            "{n:?}"
        );
    }
}

#[test]
fn the_proxy_tables_read_as_snmp_target_mib_and_snmp_proxy_mib() {
    let mut net = Net::new();
    let own = Net::v3("");
    let proxy_table = net.walk(&own, &oid!(1, 3, 6, 1, 6, 3, 14, 1, 2));
    // Three entries of 8 readable columns.
    assert_eq!(proxy_table.len(), 3 * 8, "{proxy_table:?}");
    // snmpProxyType."dev1-Write" (IMPLIED index) = write(2), its single target "dev1".
    let name = b"dev1-Write"
        .iter()
        .map(|&b| u32::from(b))
        .collect::<Vec<_>>();
    let column = |c: u32| {
        Oid::from_slice(&[&[1, 3, 6, 1, 6, 3, 14, 1, 2, 1, c][..], &name].concat()).unwrap()
    };
    let value = |table: &[VarBind], oid: Oid| {
        table
            .iter()
            .find(|vb| vb.oid == oid)
            .map(|vb| vb.value.clone())
    };
    assert_eq!(value(&proxy_table, column(2)), Some(Value::Integer(2)));
    assert_eq!(value(&proxy_table, column(4)), Some(Value::from("dev1")));
    assert_eq!(value(&proxy_table, column(6)), Some(Value::from("dev1")));
    let engine: snmp_mpm::EngineId = AGENT_ENGINE.parse().unwrap();
    assert_eq!(
        value(&proxy_table, column(3)),
        Some(Value::OctetString(engine.to_bytes()))
    );
    // snmpTargetAddrTAddress."dev1" = 10.0.2.7 port 161; timeout 100 hundredths.
    let addrs = net.walk(&own, &oid!(1, 3, 6, 1, 6, 3, 12, 1, 2));
    let dev1 =
        |c: u32| Oid::from_slice(&[1, 3, 6, 1, 6, 3, 12, 1, 2, 1, c, 100, 101, 118, 49]).unwrap();
    assert_eq!(
        value(&addrs, dev1(3)),
        Some(Value::OctetString(Bytes::from_static(&[
            10, 0, 2, 7, 0, 161
        ])))
    );
    assert_eq!(value(&addrs, dev1(4)), Some(Value::Integer(100)));
    assert_eq!(value(&addrs, dev1(7)), Some(Value::from("v1")));
    // snmpTargetParamsMPModel."v1" = 0, SecurityName = the community.
    let params = net.walk(&own, &oid!(1, 3, 6, 1, 6, 3, 12, 1, 3));
    let v1 = |c: u32| Oid::from_slice(&[1, 3, 6, 1, 6, 3, 12, 1, 3, 1, c, 118, 49]).unwrap();
    assert_eq!(value(&params, v1(2)), Some(Value::Integer(0)));
    assert_eq!(value(&params, v1(4)), Some(Value::from("private")));
    // Read-only.
    let r = net
        .ask(&own, RequestPdu::set([VarBind::new(dev1(4), 5)]))
        .unwrap();
    assert_eq!(r.error_status, ErrorStatus::NOT_WRITABLE);
}

#[test]
fn an_entry_for_another_contextengineid_forwards_and_answers_in_that_context() {
    let mut net = Net::new();
    let device_engine = Bytes::from_static(b"\x80\x00\x1f\x88\x04device");
    net.proxy.proxy_mut().unwrap().table_mut().add_entry(
        "by-engine",
        ProxyEntry::new(ProxyType::Read, "")
            .context_engine_id(device_engine.clone())
            .single_target_out("dev2c"),
    );
    let target = Net::v3("").with_context_engine_id(device_engine);
    let r = net.ask(&target, RequestPdu::get([obj(2)])).unwrap();
    assert_eq!(
        r.varbinds[0],
        VarBind::new(obj(2), Value::Counter64(1 << 40))
    );
    assert_eq!(net.device_requests, 1);
    assert_eq!(net.proxy.stats().proxy_drops, 0);
}
