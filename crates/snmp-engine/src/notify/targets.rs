//! Where notifications go: SNMP-TARGET-MIB's snmpTargetAddrTable and snmpTargetParamsTable,
//! and SNMP-NOTIFICATION-MIB's snmpNotifyTable, snmpNotifyFilterProfileTable and
//! snmpNotifyFilterTable (RFC 3413 sections 3.2, 4 and 6), as configuration tables.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::Duration;

use bytes::Bytes;
use snmp_mpm::{SNMP_TRAP_OID_0, Version};
use snmp_smi::{Oid, Value, VarBind};
use snmp_vacm::{ConfigError, Vacm, ViewType};

use super::NotificationKind;
use crate::{RequestPdu, Security, Target};

/// The MIB's defaults: snmpTargetAddrTimeout 1500 (hundredths of a second) and
/// snmpTargetAddrRetryCount 3.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);
const DEFAULT_RETRIES: u32 = 3;

/// A row of snmpTargetAddrTable: a transport address, the tags that select it, and the name
/// of its snmpTargetParamsTable row.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TargetAddr {
    /// snmpTargetAddrTAddress (UDP).
    pub addr: SocketAddr,
    /// snmpTargetAddrTimeout: how long to wait for an inform's answer. Default 15 s.
    pub timeout: Duration,
    /// snmpTargetAddrRetryCount: how many times an inform is retried. Default 3.
    pub retries: u32,
    /// snmpTargetAddrTagList.
    pub tags: Vec<Bytes>,
    /// snmpTargetAddrParams.
    pub params: Bytes,
}

impl TargetAddr {
    /// A row for `addr` with the parameters `params`, no tags, the MIB's default timeout and
    /// retries.
    pub fn new(addr: SocketAddr, params: impl Into<Bytes>) -> Self {
        Self {
            addr,
            timeout: DEFAULT_TIMEOUT,
            retries: DEFAULT_RETRIES,
            tags: Vec::new(),
            params: params.into(),
        }
    }

    /// Adds tags.
    pub fn with_tags<T: Into<Bytes>>(mut self, tags: impl IntoIterator<Item = T>) -> Self {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Sets the timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets the retries.
    pub fn with_retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }
}

/// The notification originator's tables (RFC 3413 sections 4.1.1, 4.2.1): a notification
/// goes to every target address that has the tag of an snmpNotifyTable row, as a trap or an
/// inform as that row says, secured by the target's parameters, unless the filter profile
/// of those parameters keeps it out (RFC 3413 section 6).
///
/// Filtering: a profile is a family of subtrees (with masks), each included or excluded,
/// the most specific match deciding as in a VACM view. A notification passes a profile if
/// its snmpTrapOID and every object of its bindings (after `sysUpTime.0` and `snmpTrapOID.0`)
/// are included. Parameters without a profile let everything through.
///
/// ```
/// use snmp_engine::{NotificationKind, NotificationTargets, RequestPdu, Security, TargetAddr};
/// use snmp_smi::oid;
///
/// let mut targets = NotificationTargets::default();
/// targets
///     .add_params("v2c-public", Security::community(snmp_mpm::Version::V2c, "public"))
///     .add_target_addr("nms", TargetAddr::new("192.0.2.1:162".parse()?, "v2c-public").with_tags(["ops"]))
///     .add_notify("to-ops", "ops", NotificationKind::Inform);
/// // linkDown only: enterprise-specific notifications are kept out.
/// targets.add_filter_profile("v2c-public", "links");
/// targets.add_filter("links", oid!(1, 3, 6, 1, 6, 3, 1, 1, 5), &[], true)?;
///
/// let link_down = RequestPdu::trap(100, oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3), []);
/// let RequestPdu::Trap(varbinds) = link_down else { unreachable!() };
/// let selected = targets.notifications(&varbinds);
/// assert_eq!(selected.len(), 1);
/// assert!(matches!(selected[0].1, RequestPdu::Inform(_)));
///
/// let heartbeat = RequestPdu::trap(100, oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1), []);
/// let RequestPdu::Trap(varbinds) = heartbeat else { unreachable!() };
/// assert!(targets.notifications(&varbinds).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct NotificationTargets {
    addrs: BTreeMap<Bytes, TargetAddr>,
    params: BTreeMap<Bytes, Security>,
    notify: BTreeMap<Bytes, (Bytes, NotificationKind)>,
    profiles: BTreeMap<Bytes, Bytes>,
    /// The filter profiles, as VACM views of the same name (the same family rules).
    filters: Vacm,
}

impl Security {
    /// SNMPv1 or SNMPv2c with `community`.
    pub fn community(version: Version, community: impl Into<Bytes>) -> Self {
        Self::Community {
            version,
            community: community.into(),
        }
    }

    /// SNMPv3 USM user `user` at `level`.
    pub fn usm(user: impl Into<Bytes>, level: snmp_mpm::SecurityLevel) -> Self {
        Self::Usm {
            user: user.into(),
            level,
        }
    }
}

impl NotificationTargets {
    /// Adds (or replaces) the snmpTargetAddrTable row `name`.
    pub fn add_target_addr(&mut self, name: impl Into<Bytes>, row: TargetAddr) -> &mut Self {
        self.addrs.insert(name.into(), row);
        self
    }

    /// Adds (or replaces) the snmpTargetParamsTable row `name`: the message processing model,
    /// security model, security name and level, as a [`Security`].
    pub fn add_params(&mut self, name: impl Into<Bytes>, security: Security) -> &mut Self {
        self.params.insert(name.into(), security);
        self
    }

    /// Adds (or replaces) the snmpNotifyTable row `name`: the targets tagged `tag` get
    /// notifications of `kind` (an empty tag selects none).
    pub fn add_notify(
        &mut self,
        name: impl Into<Bytes>,
        tag: impl Into<Bytes>,
        kind: NotificationKind,
    ) -> &mut Self {
        self.notify.insert(name.into(), (tag.into(), kind));
        self
    }

    /// Sets the filter profile of the parameters `params` (snmpNotifyFilterProfileTable).
    pub fn add_filter_profile(
        &mut self,
        params: impl Into<Bytes>,
        profile: impl Into<Bytes>,
    ) -> &mut Self {
        self.profiles.insert(params.into(), profile.into());
        self
    }

    /// Adds a family to the filter profile `profile` (snmpNotifyFilterTable): `subtree` with
    /// `mask` (bit `i` set: sub-identifier `i` must match; missing bits are ones), included or
    /// excluded.
    ///
    /// # Errors
    ///
    /// A mask over 16 octets, or a profile name of 0 or over 32 octets.
    pub fn add_filter(
        &mut self,
        profile: impl AsRef<[u8]>,
        subtree: Oid,
        mask: &[u8],
        included: bool,
    ) -> Result<&mut Self, ConfigError> {
        let view_type = if included {
            ViewType::Included
        } else {
            ViewType::Excluded
        };
        self.filters.add_view(profile, subtree, mask, view_type)?;
        Ok(self)
    }

    /// The target addresses, by name.
    pub fn target_addrs(&self) -> impl Iterator<Item = (&Bytes, &TargetAddr)> {
        self.addrs.iter()
    }

    /// The snmpTargetParamsTable rows, by name.
    pub fn params_rows(&self) -> impl Iterator<Item = (&Bytes, &Security)> {
        self.params.iter()
    }

    /// The snmpTargetParamsTable row `name`.
    pub fn params(&self, name: &[u8]) -> Option<&Security> {
        self.params.get(name)
    }

    /// The target address row `name` with its parameters, as a [`Target`] (its timeout
    /// and retries those of the row); `None` if either row is missing.
    pub fn target(&self, name: &[u8]) -> Option<Target> {
        let row = self.addrs.get(name)?;
        self.row_target(row)
    }

    /// The target addresses with the tag `tag`, by name, as [`Target`]s (rows whose
    /// parameters are missing are skipped).
    pub fn tagged<'a>(&'a self, tag: &'a [u8]) -> impl Iterator<Item = (&'a Bytes, Target)> + 'a {
        self.addrs
            .iter()
            .filter(move |(_, row)| row.tags.iter().any(|t| t[..] == *tag))
            .filter_map(|(name, row)| Some((name, self.row_target(row)?)))
    }

    fn row_target(&self, row: &TargetAddr) -> Option<Target> {
        let security = self.params.get(&row.params)?;
        Some(Target {
            addr: row.addr,
            security: security.clone(),
            timeout: Some(row.timeout),
            retries: Some(row.retries),
            max_message_size: None,
            context_name: Bytes::new(),
            context_engine_id: None,
            engine_id: None,
        })
    }

    /// Whether the notification `varbinds` (SNMPv2 form) passes the filter of `params`.
    fn passes(&self, params: &Bytes, varbinds: &[VarBind]) -> bool {
        let Some(profile) = self.profiles.get(params) else {
            return true;
        };
        let trap_oid = varbinds.iter().find_map(|vb| match &vb.value {
            Value::ObjectIdentifier(o) if vb.oid == SNMP_TRAP_OID_0 => Some(o),
            _ => None,
        });
        let Some(trap_oid) = trap_oid else {
            return false;
        };
        self.filters.in_view(profile, trap_oid)
            && varbinds
                .iter()
                .skip(2)
                .all(|vb| self.filters.in_view(profile, &vb.oid))
    }

    /// The notifications to send for the notification `varbinds` (in SNMPv2 form:
    /// `sysUpTime.0`, `snmpTrapOID.0`, then the objects): one per selected target address,
    /// in the order of their names, each a [`RequestPdu::Trap`] or [`RequestPdu::Inform`]
    /// to give to [`CommandGenerator::send`](crate::CommandGenerator::send). A target
    /// selected by several snmpNotifyTable rows gets one notification, an inform if any row
    /// asks for one; informs are never sent over SNMPv1 (its targets get a trap). Rows
    /// naming missing parameters are skipped.
    pub fn notifications(&self, varbinds: &[VarBind]) -> Vec<(Target, RequestPdu)> {
        let mut selected: BTreeMap<&Bytes, NotificationKind> = BTreeMap::new();
        for (tag, kind) in self.notify.values() {
            if tag.is_empty() {
                continue;
            }
            for (name, row) in &self.addrs {
                if row.tags.contains(tag) {
                    let entry = selected.entry(name).or_insert(*kind);
                    if *kind == NotificationKind::Inform {
                        *entry = NotificationKind::Inform;
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (name, kind) in selected {
            let Some(row) = self.addrs.get(name) else {
                continue;
            };
            let Some(security) = self.params.get(&row.params) else {
                continue;
            };
            if !self.passes(&row.params, varbinds) {
                continue;
            }
            let v1 = matches!(
                security,
                Security::Community {
                    version: Version::V1,
                    ..
                }
            );
            let pdu = if kind == NotificationKind::Inform && !v1 {
                RequestPdu::Inform(varbinds.to_vec())
            } else {
                RequestPdu::Trap(varbinds.to_vec())
            };
            let Some(target) = self.row_target(row) else {
                continue;
            };
            out.push((target, pdu));
        }
        out
    }
}

impl NotificationTargets {
    /// [`notifications`](Self::notifications) with the access check of RFC 3413 section
    /// 3.3: a target receives the notification only if its security name may see, in the
    /// notify view of `context_name` in `vacm`, the notification's OID (the snmpTrapOID.0
    /// value) and every binding. The security name of an SNMPv3 target is its user; that of
    /// an SNMPv1 or SNMPv2c target its community (as net-snmp names its trap sessions'
    /// parameters). A target whose name has no group, access entry or notify view gets
    /// nothing.
    pub fn notifications_allowed(
        &self,
        varbinds: &[VarBind],
        vacm: &Vacm,
        context_name: &[u8],
    ) -> Vec<(Target, RequestPdu)> {
        let trap_oid = varbinds
            .iter()
            .find(|vb| vb.oid == SNMP_TRAP_OID_0)
            .and_then(|vb| vb.value.as_oid());
        self.notifications(varbinds)
            .into_iter()
            .filter(|(target, _)| {
                let (model, name, level) = match &target.security {
                    Security::Community { version, community } => (
                        if *version == Version::V1 {
                            snmp_vacm::SecurityModel::V1
                        } else {
                            snmp_vacm::SecurityModel::V2c
                        },
                        community,
                        snmp_mpm::SecurityLevel::NoAuthNoPriv,
                    ),
                    Security::Usm { user, level } => (snmp_vacm::SecurityModel::Usm, user, *level),
                };
                vacm.view_for(
                    model,
                    name,
                    level,
                    snmp_vacm::ViewKind::Notify,
                    context_name,
                )
                .is_ok_and(|view| {
                    trap_oid.is_none_or(|t| view.contains(t))
                        && varbinds.iter().all(|vb| view.contains(&vb.oid))
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use snmp_mpm::SecurityLevel;
    use snmp_smi::oid;

    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([192, 0, 2, 1], port))
    }

    fn notification(trap_oid: Oid, objects: &[Oid]) -> Vec<VarBind> {
        let pdu = RequestPdu::trap(
            5,
            trap_oid,
            objects
                .iter()
                .map(|o| VarBind::new(o.clone(), Value::Integer(1))),
        );
        let RequestPdu::Trap(v) = pdu else {
            unreachable!()
        };
        v
    }

    fn tables() -> NotificationTargets {
        let mut t = NotificationTargets::default();
        t.add_params("v1", Security::community(Version::V1, "public"))
            .add_params("v2c", Security::community(Version::V2c, "public"))
            .add_params("v3", Security::usm("admin", SecurityLevel::AuthPriv))
            .add_target_addr(
                "a-v1",
                TargetAddr::new(addr(1), "v1").with_tags(["all", "ops"]),
            )
            .add_target_addr("b-v2c", TargetAddr::new(addr(2), "v2c").with_tags(["all"]))
            .add_target_addr(
                "c-v3",
                TargetAddr::new(addr(3), "v3")
                    .with_tags(["ops"])
                    .with_retries(1),
            )
            .add_target_addr(
                "d-none",
                TargetAddr::new(addr(4), "missing").with_tags(["all"]),
            )
            .add_notify("traps", "all", NotificationKind::Trap)
            .add_notify("informs", "ops", NotificationKind::Inform)
            .add_notify("nobody", "", NotificationKind::Trap);
        t
    }

    /// RFC 3413 3.2: tags select the targets, the notify row the type; a target selected
    /// twice gets one notification; SNMPv1 gets a trap even when an inform is asked.
    #[test]
    fn tags_select_targets() {
        let t = tables();
        let n = t.notifications(&notification(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1), &[]));
        let got: Vec<(u16, bool)> = n
            .iter()
            .map(|(t, p)| (t.addr.port(), matches!(p, RequestPdu::Inform(_))))
            .collect();
        assert_eq!(got, vec![(1, false), (2, false), (3, true)]);
        assert_eq!(n[2].0.retries, Some(1));
        assert_eq!(n[1].0.timeout, Some(Duration::from_secs(15)));
        assert!(matches!(&n[2].0.security, Security::Usm { user, .. } if &user[..] == b"admin"));
    }

    /// RFC 3413 6: the snmpTrapOID and every object must be included; the most specific
    /// family decides; parameters without a profile are not filtered.
    #[test]
    fn filters() {
        let mut t = tables();
        t.add_filter_profile("v2c", "only-links");
        t.add_filter("only-links", oid!(1, 3, 6, 1, 6, 3, 1, 1, 5), &[], true)
            .unwrap()
            .add_filter("only-links", oid!(1, 3, 6, 1, 2, 1, 2), &[], true)
            .unwrap()
            .add_filter("only-links", oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2), &[], false)
            .unwrap();
        let ports = |t: &NotificationTargets, v: &[VarBind]| -> Vec<u16> {
            t.notifications(v)
                .iter()
                .map(|(t, _)| t.addr.port())
                .collect()
        };
        let link_down = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3);
        let if_index = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 3);
        let if_descr = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 3);
        assert_eq!(
            ports(&t, &notification(link_down.clone(), &[if_index])),
            vec![1, 2, 3]
        );
        // An excluded object keeps the whole notification from the filtered target.
        assert_eq!(ports(&t, &notification(link_down, &[if_descr])), vec![1, 3]);
        // A notification outside the profile.
        let heartbeat = oid!(1, 3, 6, 1, 4, 1, 8072, 2, 3, 0, 1);
        assert_eq!(ports(&t, &notification(heartbeat, &[])), vec![1, 3]);
        // A profile with no family includes nothing.
        t.add_filter_profile("v3", "empty");
        let cold = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1);
        assert_eq!(ports(&t, &notification(cold, &[])), vec![1, 2]);
    }

    #[test]
    fn notify_views_decide_which_targets_get_a_notification() {
        let mut t = NotificationTargets::default();
        t.add_params("v2", Security::community(Version::V2c, "trapper"))
            .add_params("v3", Security::usm("ops", SecurityLevel::AuthNoPriv))
            .add_target_addr("a", TargetAddr::new(addr(162), "v2").with_tags(["all"]))
            .add_target_addr("b", TargetAddr::new(addr(163), "v3").with_tags(["all"]))
            .add_notify("n", "all", NotificationKind::Trap);
        let mut vacm = Vacm::new();
        // "trapper" may see everything; "ops" not the interfaces group.
        vacm.add_group_member(snmp_vacm::SecurityModel::V2c, "trapper", "g2")
            .unwrap();
        vacm.add_group_member(snmp_vacm::SecurityModel::Usm, "ops", "g3")
            .unwrap();
        vacm.add_view("all", oid!(1), &[], ViewType::Included)
            .unwrap();
        vacm.add_view("some", oid!(1), &[], ViewType::Included)
            .unwrap();
        vacm.add_view("some", oid!(1, 3, 6, 1, 2, 1, 2), &[], ViewType::Excluded)
            .unwrap();
        for (group, model, view) in [
            ("g2", snmp_vacm::SecurityModel::V2c, "all"),
            ("g3", snmp_vacm::SecurityModel::Usm, "some"),
        ] {
            vacm.add_access(
                group,
                "",
                snmp_vacm::ContextMatch::Exact,
                model,
                SecurityLevel::NoAuthNoPriv,
                "",
                "",
                view,
            )
            .unwrap();
        }
        let link_down = oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3);
        let if_index = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2);
        let to = |v: &[VarBind]| {
            t.notifications_allowed(v, &vacm, b"")
                .into_iter()
                .map(|(target, _)| target.addr.port())
                .collect::<Vec<_>>()
        };
        assert_eq!(to(&notification(link_down.clone(), &[])), [162, 163]);
        assert_eq!(to(&notification(link_down, &[if_index])), [162]);
        // Without the VACM check, both.
        assert_eq!(
            t.notifications(&notification(
                oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1),
                &[oid!(1, 3, 6, 1, 2, 1, 2, 1, 0)]
            ))
            .len(),
            2
        );
        // A name with no group gets nothing.
        let mut lonely = Vacm::new();
        lonely
            .add_view("all", oid!(1), &[], ViewType::Included)
            .unwrap();
        assert!(
            t.notifications_allowed(
                &notification(oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 1), &[]),
                &lonely,
                b""
            )
            .is_empty()
        );
    }
}
