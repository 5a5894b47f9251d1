//! The engine's own MIB objects: SNMPv2-MIB's system and snmp groups (RFC 3418),
//! SNMP-FRAMEWORK-MIB's snmpEngine group (RFC 3411), SNMP-MPD-MIB's snmpMPDStats (RFC 3412),
//! SNMP-TARGET-MIB's snmpUnavailableContexts and snmpUnknownContexts (RFC 3413), and
//! SNMP-USER-BASED-SM-MIB's usmStats (RFC 3414), answered from the responder's state.

use std::cell::OnceCell;
use std::collections::BTreeMap;

use bytes::Bytes;
use snmp_mpm::MpdStats;
use snmp_smi::{ErrorStatus, Oid, Value, VarBind, oid};
use snmp_usm::{Usm, UsmStats};
use snmp_vacm::{ContextMatch, SecurityModel, Vacm, ViewType};

use crate::mib::SetError;

/// The system group's values (SNMPv2-MIB, RFC 3418), as `sysDescr`, `sysContact` and the
/// others of snmpd.conf set them. `sysContact`, `sysName` and `sysLocation` are writable by
/// SET (as DisplayString, at most 255 octets) unless [`read_only`](Self::read_only).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SystemInfo {
    /// `sysDescr`: a textual description of the entity.
    pub descr: String,
    /// `sysObjectID`: the vendor's identification of the entity (default `zeroDotZero`).
    pub object_id: Oid,
    /// `sysContact`.
    pub contact: String,
    /// `sysName`.
    pub name: String,
    /// `sysLocation`.
    pub location: String,
    /// `sysServices`: the OSI layers served, as a sum of 2^(layer-1) (default 72: layers 4
    /// and 7, like net-snmp).
    pub services: i32,
    /// Whether SET is refused on the three writable strings (net-snmp makes a string set in
    /// snmpd.conf read-only).
    pub read_only: bool,
}

impl Default for SystemInfo {
    fn default() -> Self {
        Self {
            descr: String::from("snmp-rs agent"),
            object_id: oid!(0, 0),
            contact: String::new(),
            name: String::new(),
            location: String::new(),
            services: 72,
            read_only: false,
        }
    }
}

/// The counters of SNMPv2-MIB's snmp group (RFC 3418 and the obsolete RFC 1213 ones net-snmp
/// still serves), plus the two of SNMP-TARGET-MIB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnmpStats {
    /// `snmpInPkts`: messages delivered to the engine.
    pub in_pkts: u32,
    /// `snmpOutPkts`: messages sent.
    pub out_pkts: u32,
    /// `snmpInBadVersions`: messages of an unsupported version.
    pub in_bad_versions: u32,
    /// `snmpInBadCommunityNames`: community-based messages with an unknown community (or one
    /// not allowed from that source).
    pub in_bad_community_names: u32,
    /// `snmpInBadCommunityUses`: community-based messages asking an operation the community
    /// may not do.
    pub in_bad_community_uses: u32,
    /// `snmpInASNParseErrs`: messages that are not valid BER or SNMP.
    pub in_asn_parse_errs: u32,
    /// `snmpInTooBigs`: PDUs received with error-status tooBig.
    pub in_too_bigs: u32,
    /// `snmpInNoSuchNames`: PDUs received with error-status noSuchName.
    pub in_no_such_names: u32,
    /// `snmpInBadValues`: PDUs received with error-status badValue.
    pub in_bad_values: u32,
    /// `snmpInReadOnlys`: PDUs received with error-status readOnly.
    pub in_read_onlys: u32,
    /// `snmpInGenErrs`: PDUs received with error-status genErr.
    pub in_gen_errs: u32,
    /// `snmpInTotalReqVars`: objects retrieved by Get and GetNext.
    pub in_total_req_vars: u32,
    /// `snmpInTotalSetVars`: objects altered by Set.
    pub in_total_set_vars: u32,
    /// `snmpInGetRequests`.
    pub in_get_requests: u32,
    /// `snmpInGetNexts`.
    pub in_get_nexts: u32,
    /// `snmpInSetRequests`.
    pub in_set_requests: u32,
    /// `snmpInGetResponses`.
    pub in_get_responses: u32,
    /// `snmpInTraps`.
    pub in_traps: u32,
    /// `snmpOutTooBigs`: responses sent with tooBig.
    pub out_too_bigs: u32,
    /// `snmpOutNoSuchNames`: responses sent with noSuchName.
    pub out_no_such_names: u32,
    /// `snmpOutBadValues`: responses sent with badValue.
    pub out_bad_values: u32,
    /// `snmpOutGenErrs`: responses sent with genErr.
    pub out_gen_errs: u32,
    /// `snmpOutGetResponses`: responses sent.
    pub out_get_responses: u32,
    /// `snmpOutTraps`: traps sent.
    pub out_traps: u32,
    /// `snmpSilentDrops`: confirmed requests dropped because even an empty response was too
    /// big.
    pub silent_drops: u32,
    /// `snmpProxyDrops`.
    pub proxy_drops: u32,
    /// `snmpUnavailableContexts` (SNMP-TARGET-MIB).
    pub unavailable_contexts: u32,
    /// `snmpUnknownContexts` (SNMP-TARGET-MIB).
    pub unknown_contexts: u32,
}

/// One built-in object.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Field {
    SysDescr,
    SysObjectId,
    SysUpTime,
    SysContact,
    SysName,
    SysLocation,
    SysServices,
    SysOrLastChange,
    Snmp(fn(&SnmpStats) -> u32),
    EnableAuthenTraps,
    EngineId,
    EngineBoots,
    EngineTime,
    EngineMaxMessageSize,
    Mpd(fn(&MpdStats) -> u32),
    Target(fn(&SnmpStats) -> u32),
    Usm(fn(&UsmStats) -> u32),
}

/// The subtrees the built-in objects are registered at in the default context.
pub(crate) const ROOTS: [&[u32]; 13] = [
    // usmUser: usmUserSpinLock, usmUserTable.
    &[1, 3, 6, 1, 6, 3, 15, 1, 2],
    // vacmMIBObjects: the four VACM tables and vacmViewSpinLock.
    &[1, 3, 6, 1, 6, 3, 16, 1],
    &[1, 3, 6, 1, 2, 1, 1],
    &[1, 3, 6, 1, 2, 1, 11],
    &[1, 3, 6, 1, 6, 3, 10, 2, 1],
    &[1, 3, 6, 1, 6, 3, 11, 2, 1],
    &[1, 3, 6, 1, 6, 3, 12, 1, 4],
    &[1, 3, 6, 1, 6, 3, 12, 1, 5],
    &[1, 3, 6, 1, 6, 3, 15, 1, 1],
    // SNMP-TARGET-MIB: snmpTargetSpinLock, snmpTargetAddrTable, snmpTargetParamsTable.
    &[1, 3, 6, 1, 6, 3, 12, 1, 1],
    &[1, 3, 6, 1, 6, 3, 12, 1, 2],
    &[1, 3, 6, 1, 6, 3, 12, 1, 3],
    // SNMP-PROXY-MIB's snmpProxyObjects.
    &[1, 3, 6, 1, 6, 3, 14, 1],
];

const SYSTEM: [u32; 7] = [1, 3, 6, 1, 2, 1, 1];

macro_rules! snmp {
    ($n:literal, $f:ident) => {
        (&[1, 3, 6, 1, 2, 1, 11, $n, 0], Field::Snmp(|s| s.$f))
    };
}
macro_rules! usm {
    ($n:literal, $f:ident) => {
        (&[1, 3, 6, 1, 6, 3, 15, 1, 1, $n, 0], Field::Usm(|s| s.$f))
    };
}

/// Every built-in instance, in OID order.
const OBJECTS: &[(&[u32], Field)] = &[
    (&[1, 3, 6, 1, 2, 1, 1, 1, 0], Field::SysDescr),
    (&[1, 3, 6, 1, 2, 1, 1, 2, 0], Field::SysObjectId),
    (&[1, 3, 6, 1, 2, 1, 1, 3, 0], Field::SysUpTime),
    (&[1, 3, 6, 1, 2, 1, 1, 4, 0], Field::SysContact),
    (&[1, 3, 6, 1, 2, 1, 1, 5, 0], Field::SysName),
    (&[1, 3, 6, 1, 2, 1, 1, 6, 0], Field::SysLocation),
    (&[1, 3, 6, 1, 2, 1, 1, 7, 0], Field::SysServices),
    (&[1, 3, 6, 1, 2, 1, 1, 8, 0], Field::SysOrLastChange),
    snmp!(1, in_pkts),
    snmp!(2, out_pkts),
    snmp!(3, in_bad_versions),
    snmp!(4, in_bad_community_names),
    snmp!(5, in_bad_community_uses),
    snmp!(6, in_asn_parse_errs),
    snmp!(8, in_too_bigs),
    snmp!(9, in_no_such_names),
    snmp!(10, in_bad_values),
    snmp!(11, in_read_onlys),
    snmp!(12, in_gen_errs),
    snmp!(13, in_total_req_vars),
    snmp!(14, in_total_set_vars),
    snmp!(15, in_get_requests),
    snmp!(16, in_get_nexts),
    snmp!(17, in_set_requests),
    snmp!(18, in_get_responses),
    snmp!(19, in_traps),
    snmp!(20, out_too_bigs),
    snmp!(21, out_no_such_names),
    snmp!(22, out_bad_values),
    snmp!(24, out_gen_errs),
    (&[1, 3, 6, 1, 2, 1, 11, 25, 0], Field::Snmp(|_| 0)),
    (&[1, 3, 6, 1, 2, 1, 11, 26, 0], Field::Snmp(|_| 0)),
    (&[1, 3, 6, 1, 2, 1, 11, 27, 0], Field::Snmp(|_| 0)),
    snmp!(28, out_get_responses),
    snmp!(29, out_traps),
    (&[1, 3, 6, 1, 2, 1, 11, 30, 0], Field::EnableAuthenTraps),
    snmp!(31, silent_drops),
    snmp!(32, proxy_drops),
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0], Field::EngineId),
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0], Field::EngineBoots),
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0], Field::EngineTime),
    (
        &[1, 3, 6, 1, 6, 3, 10, 2, 1, 4, 0],
        Field::EngineMaxMessageSize,
    ),
    (
        &[1, 3, 6, 1, 6, 3, 11, 2, 1, 1, 0],
        Field::Mpd(|s| s.unknown_security_models),
    ),
    (
        &[1, 3, 6, 1, 6, 3, 11, 2, 1, 2, 0],
        Field::Mpd(|s| s.invalid_msgs),
    ),
    (
        &[1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0],
        Field::Mpd(|s| s.unknown_pdu_handlers),
    ),
    (
        &[1, 3, 6, 1, 6, 3, 12, 1, 4, 0],
        Field::Target(|s| s.unavailable_contexts),
    ),
    (
        &[1, 3, 6, 1, 6, 3, 12, 1, 5, 0],
        Field::Target(|s| s.unknown_contexts),
    ),
    usm!(1, unsupported_sec_levels),
    usm!(2, not_in_time_windows),
    usm!(3, unknown_user_names),
    usm!(4, unknown_engine_ids),
    usm!(5, wrong_digests),
    usm!(6, decryption_errors),
];

/// The state the built-in objects read, gathered once per request.
pub(crate) struct Snapshot<'a> {
    /// The users of usmUserTable.
    pub(crate) users: &'a Usm,
    /// Its rows out of service, and usmUserPublic.
    pub(crate) usm_rows: &'a crate::usm_table::UsmRows,
    /// The VACM tables.
    pub(crate) vacm: &'a Vacm,
    /// The table rows (sysORTable, usmUserTable, the VACM tables), built on first use.
    pub(crate) tables: OnceCell<BTreeMap<Oid, Value>>,
    /// The proxy forwarder's tables, when it has one.
    pub(crate) proxy: Option<&'a crate::ProxyTable>,
    pub(crate) system: &'a SystemInfo,
    pub(crate) enable_authen_traps: bool,
    pub(crate) stats: SnmpStats,
    pub(crate) mpd: MpdStats,
    pub(crate) usm: UsmStats,
    pub(crate) engine_id: Bytes,
    pub(crate) boots: u32,
    pub(crate) time: u32,
    pub(crate) max_message_size: u32,
    /// sysUpTime, in hundredths of a second.
    pub(crate) uptime: u32,
}

fn text(s: &str) -> Value {
    Value::OctetString(Bytes::copy_from_slice(s.as_bytes()))
}

fn int(v: u32) -> Value {
    Value::Integer(i32::try_from(v).unwrap_or(i32::MAX))
}

impl Snapshot<'_> {
    fn value(&self, field: Field) -> Value {
        let s = self.system;
        match field {
            Field::SysDescr => text(&s.descr),
            Field::SysObjectId => Value::ObjectIdentifier(s.object_id.clone()),
            Field::SysUpTime => Value::TimeTicks(self.uptime),
            Field::SysContact => text(&s.contact),
            Field::SysName => text(&s.name),
            Field::SysLocation => text(&s.location),
            Field::SysServices => Value::Integer(s.services),
            Field::SysOrLastChange => Value::TimeTicks(0),
            Field::Snmp(f) | Field::Target(f) => Value::Counter32(f(&self.stats)),
            Field::EnableAuthenTraps => {
                Value::Integer(if self.enable_authen_traps { 1 } else { 2 })
            }
            Field::EngineId => Value::OctetString(self.engine_id.clone()),
            Field::EngineBoots => int(self.boots),
            Field::EngineTime => int(self.time),
            Field::EngineMaxMessageSize => int(self.max_message_size),
            Field::Mpd(f) => Value::Counter32(f(&self.mpd)),
            Field::Usm(f) => Value::Counter32(f(&self.usm)),
        }
    }

    fn tables(&self) -> &BTreeMap<Oid, Value> {
        self.tables.get_or_init(|| {
            let mut map = tables(self.users, self.usm_rows, self.vacm);
            target_tables(&mut map, self.proxy, &self.engine_id);
            map
        })
    }

    /// GET of `oid` (within a built-in root).
    pub(crate) fn get(&self, oid: &Oid) -> Value {
        let arcs = oid.as_slice();
        if TABLES.iter().any(|t| arcs.starts_with(t)) {
            if let Some(v) = self.tables().get(oid) {
                return v.clone();
            }
            // A column of a table: noSuchInstance; anything else under it: noSuchObject.
            return if is_table_object(arcs) {
                Value::NoSuchInstance
            } else {
                Value::NoSuchObject
            };
        }
        match OBJECTS.binary_search_by(|(o, _)| (*o).cmp(arcs)) {
            Ok(i) => OBJECTS
                .get(i)
                .map_or(Value::NoSuchObject, |(_, f)| self.value(*f)),
            // The object exists but not this instance: its OID minus the `.0`.
            Err(_) if OBJECTS.iter().any(|(o, _)| is_object_of(o, arcs)) => Value::NoSuchInstance,
            Err(_) => Value::NoSuchObject,
        }
    }

    /// GETNEXT after `oid`, within `root`: the first of the scalars and the table cells.
    pub(crate) fn get_next(&self, root: &Oid, oid: &Oid) -> Option<VarBind> {
        let arcs = oid.as_slice();
        let i = match OBJECTS.binary_search_by(|(o, _)| (*o).cmp(arcs)) {
            Ok(i) => i + 1,
            Err(i) => i,
        };
        let scalar = OBJECTS
            .get(i)
            .and_then(|(o, f)| Some((Oid::from_slice(o).ok()?, *f)))
            .filter(|(o, _)| o.starts_with(root));
        // Every cell lies after its table's OID: a scalar before all the tables of the root
        // comes first, and the tables need not be built (a walk of the system group).
        let mut tables = TABLES
            .iter()
            .filter(|t| t.starts_with(root.as_slice()) || root.as_slice().starts_with(t));
        let cell = if tables.any(|t| scalar.as_ref().is_none_or(|(o, _)| o.as_slice() > *t)) {
            use std::ops::Bound::{Excluded, Unbounded};
            self.tables()
                .range((Excluded(oid.clone()), Unbounded))
                .next()
                .filter(|(o, _)| o.starts_with(root))
        } else {
            None
        };
        match (scalar, cell) {
            (Some((o, f)), Some((c, v))) => Some(if o < *c {
                VarBind::new(o, self.value(f))
            } else {
                VarBind::new(c.clone(), v.clone())
            }),
            (Some((o, f)), None) => Some(VarBind::new(o, self.value(f))),
            (None, Some((c, v))) => Some(VarBind::new(c.clone(), v.clone())),
            (None, None) => None,
        }
    }
}

/// The subtrees whose objects are table cells (or spin locks) built by [`tables`].
const TABLES: [&[u32]; 7] = [
    &[1, 3, 6, 1, 2, 1, 1, 9],
    &[1, 3, 6, 1, 6, 3, 12, 1, 1],
    &[1, 3, 6, 1, 6, 3, 12, 1, 2],
    &[1, 3, 6, 1, 6, 3, 12, 1, 3],
    &[1, 3, 6, 1, 6, 3, 14, 1],
    &[1, 3, 6, 1, 6, 3, 15, 1, 2],
    &[1, 3, 6, 1, 6, 3, 16, 1],
];

/// The readable objects of the tables: (entry or scalar OID, first and last column; `0..=0`
/// for a scalar).
const TABLE_OBJECTS: [(&[u32], u32, u32); 12] = [
    (&[1, 3, 6, 1, 2, 1, 1, 9, 1], 2, 4),
    (&[1, 3, 6, 1, 6, 3, 12, 1, 1], 0, 0),
    (&[1, 3, 6, 1, 6, 3, 12, 1, 2, 1], 2, 9),
    (&[1, 3, 6, 1, 6, 3, 12, 1, 3, 1], 2, 7),
    (&[1, 3, 6, 1, 6, 3, 14, 1, 2, 1], 2, 9),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 2, 1], 0, 0),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1], 3, 13),
    (&[1, 3, 6, 1, 6, 3, 16, 1, 1, 1], 1, 1),
    (&[1, 3, 6, 1, 6, 3, 16, 1, 2, 1], 3, 5),
    (&[1, 3, 6, 1, 6, 3, 16, 1, 4, 1], 4, 9),
    (&[1, 3, 6, 1, 6, 3, 16, 1, 5, 1], 0, 0),
    (&[1, 3, 6, 1, 6, 3, 16, 1, 5, 2, 1], 3, 6),
];

/// Whether `arcs` is under an object of the tables (so a missing instance is noSuchInstance).
fn is_table_object(arcs: &[u32]) -> bool {
    TABLE_OBJECTS.iter().any(|(prefix, first, last)| {
        arcs.strip_prefix(*prefix)
            .is_some_and(|rest| match rest.first() {
                _ if *last == 0 => true,
                Some(c) => (*first..=*last).contains(c),
                None => false,
            })
    })
}

/// SNMP-TARGET-MIB's snmpTargetAddrTable and snmpTargetParamsTable and SNMP-PROXY-MIB's
/// snmpProxyTable, read-only, from the proxy forwarder's configuration (RFC 3413 section 4),
/// and snmpTargetSpinLock.
fn target_tables(map: &mut BTreeMap<Oid, Value>, proxy: Option<&crate::ProxyTable>, local: &[u8]) {
    use crate::{ProxyType, Security};
    use snmp_mpm::{SecurityLevel, Version};
    cell(map, &[1, 3, 6, 1, 6, 3, 12, 1, 1], &[0], Value::Integer(0));
    let Some(proxy) = proxy else {
        return;
    };
    let implied = |name: &[u8]| name.iter().map(|&b| u32::from(b)).collect::<Vec<_>>();
    for (name, row) in proxy.targets().target_addrs() {
        let index = implied(name);
        let col = |c: u32| [1, 3, 6, 1, 6, 3, 12, 1, 2, 1, c];
        // snmpUDPDomain (RFC 3417) with 4 + 2 octets, transportDomainUdpIpv6 (RFC 3419)
        // with 16 + 2.
        let (domain, mut address): (&[u32], Vec<u8>) = match row.addr.ip() {
            std::net::IpAddr::V4(ip) => (&[1, 3, 6, 1, 6, 1, 1], ip.octets().to_vec()),
            std::net::IpAddr::V6(ip) => (&[1, 3, 6, 1, 2, 1, 100, 1, 2], ip.octets().to_vec()),
        };
        address.extend_from_slice(&row.addr.port().to_be_bytes());
        let domain = Value::ObjectIdentifier(Oid::from_slice(domain).unwrap_or_default());
        cell(map, &col(2), &index, domain);
        cell(map, &col(3), &index, octets(&address));
        let hundredths = row.timeout.as_millis() / 10;
        cell(
            map,
            &col(4),
            &index,
            Value::Integer(i32::try_from(hundredths).unwrap_or(i32::MAX)),
        );
        cell(
            map,
            &col(5),
            &index,
            Value::Integer(i32::try_from(row.retries.min(255)).unwrap_or(255)),
        );
        let tags = row
            .tags
            .iter()
            .map(|t| &t[..])
            .collect::<Vec<_>>()
            .join(&b' ');
        cell(map, &col(6), &index, octets(&tags));
        cell(map, &col(7), &index, octets(&row.params));
        cell(map, &col(8), &index, Value::Integer(VOLATILE));
        cell(map, &col(9), &index, Value::Integer(ACTIVE));
    }
    for (name, security) in proxy.targets().params_rows() {
        let index = implied(name);
        let col = |c: u32| [1, 3, 6, 1, 6, 3, 12, 1, 3, 1, c];
        let (mp, model, security_name, level) = match security {
            Security::Community { version, community } => {
                let (mp, model) = if *version == Version::V1 {
                    (0, 1)
                } else {
                    (1, 2)
                };
                (mp, model, community, SecurityLevel::NoAuthNoPriv)
            }
            Security::Usm { user, level } => (3, 3, user, *level),
        };
        let level = match level {
            SecurityLevel::NoAuthNoPriv => 1,
            SecurityLevel::AuthNoPriv => 2,
            SecurityLevel::AuthPriv => 3,
        };
        cell(map, &col(2), &index, Value::Integer(mp));
        cell(map, &col(3), &index, Value::Integer(model));
        cell(map, &col(4), &index, octets(security_name));
        cell(map, &col(5), &index, Value::Integer(level));
        cell(map, &col(6), &index, Value::Integer(VOLATILE));
        cell(map, &col(7), &index, Value::Integer(ACTIVE));
    }
    for (name, entry) in proxy.entries() {
        let index = implied(name);
        let col = |c: u32| [1, 3, 6, 1, 6, 3, 14, 1, 2, 1, c];
        let kind = match entry.kind {
            ProxyType::Read => 1,
            ProxyType::Write => 2,
            ProxyType::Trap => 3,
            ProxyType::Inform => 4,
        };
        cell(map, &col(2), &index, Value::Integer(kind));
        let engine = entry.context_engine_id.as_deref().unwrap_or(local);
        cell(map, &col(3), &index, octets(engine));
        cell(map, &col(4), &index, octets(&entry.context_name));
        let params_in = entry.target_params_in.as_deref().unwrap_or_default();
        cell(map, &col(5), &index, octets(params_in));
        cell(map, &col(6), &index, octets(&entry.single_target_out));
        cell(map, &col(7), &index, octets(&entry.multiple_target_out));
        cell(map, &col(8), &index, Value::Integer(VOLATILE));
        cell(map, &col(9), &index, Value::Integer(ACTIVE));
    }
}

/// An OCTET STRING index (RFC 2578 7.7: length, then the octets).
fn octets_index(out: &mut Vec<u32>, s: &[u8]) {
    out.push(u32::try_from(s.len()).unwrap_or(u32::MAX));
    out.extend(s.iter().map(|&b| u32::from(b)));
}

fn cell(map: &mut BTreeMap<Oid, Value>, column: &[u32], index: &[u32], value: Value) {
    let mut arcs = column.to_vec();
    arcs.extend_from_slice(index);
    if let Ok(oid) = Oid::from_slice(&arcs) {
        map.insert(oid, value);
    }
}

fn octets(s: &[u8]) -> Value {
    Value::OctetString(Bytes::copy_from_slice(s))
}

/// RowStatus active(1) and notInService(2); StorageType volatile(2): the rows may be written,
/// and changes are not kept across restarts.
const ACTIVE: i32 = 1;
const NOT_IN_SERVICE: i32 = 2;
const VOLATILE: i32 = 2;

/// sysORTable rows: the MIB modules this engine implements, with net-snmp's descriptions.
const SYS_OR: [(&[u32], &str); 5] = [
    (&[1, 3, 6, 1, 6, 3, 1], "The MIB module for SNMPv2 entities"),
    (
        &[1, 3, 6, 1, 6, 3, 10, 3, 1, 1],
        "The SNMP Management Architecture MIB.",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 11, 3, 1, 1],
        "The MIB for Message Processing and Dispatching.",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 15, 2, 1, 1],
        "The management information definitions for the SNMP User-based Security Model.",
    ),
    (
        &[1, 3, 6, 1, 6, 3, 16, 2, 2, 1],
        "View-based Access Control Model for SNMP.",
    ),
];

/// Every cell of sysORTable, usmUserTable and the VACM tables, and the two spin locks.
fn tables(usm: &Usm, rows: &crate::usm_table::UsmRows, vacm: &Vacm) -> BTreeMap<Oid, Value> {
    let mut map = BTreeMap::new();
    for (i, (id, descr)) in (1u32..).zip(SYS_OR) {
        let entry = [1, 3, 6, 1, 2, 1, 1, 9, 1];
        let col = |c: u32| [&entry[..], &[c]].concat();
        cell(
            &mut map,
            &col(2),
            &[i],
            Value::ObjectIdentifier(Oid::from_slice(id).unwrap_or_default()),
        );
        cell(&mut map, &col(3), &[i], octets(descr.as_bytes()));
        cell(&mut map, &col(4), &[i], Value::TimeTicks(0));
    }
    // usmUserSpinLock.0 and the usmUserTable.
    cell(
        &mut map,
        &[1, 3, 6, 1, 6, 3, 15, 1, 2, 1],
        &[0],
        Value::Integer(0),
    );
    let local = usm.engine_id().as_bytes();
    // A user bound to the local engine hides the unbound one of its name.
    let shadowed = |u: &snmp_usm::UsmUser| {
        u.engine().is_none()
            && usm
                .users_named(u.name())
                .iter()
                .any(|o| o.engine().is_some_and(|e| e.as_bytes() == local))
    };
    let active = usm.users().filter(|u| !shadowed(u)).map(|u| (u, ACTIVE));
    let disabled = rows.disabled.values().map(|u| (u, NOT_IN_SERVICE));
    for (user, status) in active.chain(disabled) {
        let engine = user.engine().map_or(local, |e| e.as_bytes());
        let mut index = Vec::new();
        octets_index(&mut index, engine);
        octets_index(&mut index, user.name());
        let entry = [1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1];
        let col = |c: u32| [&entry[..], &[c]].concat();
        let protocol =
            |arcs: &[u32]| Value::ObjectIdentifier(Oid::from_slice(arcs).unwrap_or_default());
        cell(&mut map, &col(3), &index, octets(user.name()));
        cell(
            &mut map,
            &col(4),
            &index,
            Value::ObjectIdentifier(oid!(0, 0)),
        );
        let auth = user
            .auth_protocol()
            .map_or(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 1][..], |p| p.oid());
        cell(&mut map, &col(5), &index, protocol(auth));
        // KeyChange objects read as the empty string (RFC 3414).
        cell(&mut map, &col(6), &index, octets(b""));
        cell(&mut map, &col(7), &index, octets(b""));
        let privacy = user
            .priv_protocol()
            .map_or(&[1, 3, 6, 1, 6, 3, 10, 1, 2, 1][..], |p| p.oid());
        cell(&mut map, &col(8), &index, protocol(privacy));
        cell(&mut map, &col(9), &index, octets(b""));
        cell(&mut map, &col(10), &index, octets(b""));
        let key = (
            Bytes::copy_from_slice(engine),
            Bytes::copy_from_slice(user.name()),
        );
        let public = rows.public.get(&key).map_or(&b""[..], |p| &p[..]);
        cell(&mut map, &col(11), &index, octets(public));
        cell(&mut map, &col(12), &index, Value::Integer(VOLATILE));
        cell(&mut map, &col(13), &index, Value::Integer(status));
    }
    // vacmContextTable.
    for context in vacm.contexts() {
        let mut index = Vec::new();
        octets_index(&mut index, context);
        cell(
            &mut map,
            &[1, 3, 6, 1, 6, 3, 16, 1, 1, 1, 1],
            &index,
            octets(context),
        );
    }
    // vacmSecurityToGroupTable.
    for (model, name, group) in vacm.group_members() {
        let mut index = vec![model_number(model)];
        octets_index(&mut index, name);
        let entry = [1, 3, 6, 1, 6, 3, 16, 1, 2, 1];
        let col = |c: u32| [&entry[..], &[c]].concat();
        cell(&mut map, &col(3), &index, octets(group));
        cell(&mut map, &col(4), &index, Value::Integer(VOLATILE));
        cell(&mut map, &col(5), &index, Value::Integer(ACTIVE));
    }
    // vacmAccessTable.
    for row in vacm.access_entries() {
        let mut index = Vec::new();
        octets_index(&mut index, row.group);
        octets_index(&mut index, row.context_prefix);
        index.push(model_number(row.security_model));
        index.push(match row.level {
            snmp_mpm::SecurityLevel::NoAuthNoPriv => 1,
            snmp_mpm::SecurityLevel::AuthNoPriv => 2,
            snmp_mpm::SecurityLevel::AuthPriv => 3,
        });
        let entry = [1, 3, 6, 1, 6, 3, 16, 1, 4, 1];
        let col = |c: u32| [&entry[..], &[c]].concat();
        let matching = match row.context_match {
            ContextMatch::Exact => 1,
            ContextMatch::Prefix => 2,
        };
        cell(&mut map, &col(4), &index, Value::Integer(matching));
        cell(&mut map, &col(5), &index, octets(row.read_view));
        cell(&mut map, &col(6), &index, octets(row.write_view));
        cell(&mut map, &col(7), &index, octets(row.notify_view));
        cell(&mut map, &col(8), &index, Value::Integer(VOLATILE));
        cell(&mut map, &col(9), &index, Value::Integer(ACTIVE));
    }
    // vacmViewSpinLock.0 and vacmViewTreeFamilyTable.
    cell(
        &mut map,
        &[1, 3, 6, 1, 6, 3, 16, 1, 5, 1],
        &[0],
        Value::Integer(0),
    );
    for (name, subtree, mask, view_type) in vacm.view_families() {
        let mut index = Vec::new();
        octets_index(&mut index, name);
        index.push(u32::try_from(subtree.len()).unwrap_or(u32::MAX));
        index.extend_from_slice(subtree.as_slice());
        let entry = [1, 3, 6, 1, 6, 3, 16, 1, 5, 2, 1];
        let col = |c: u32| [&entry[..], &[c]].concat();
        cell(&mut map, &col(3), &index, octets(mask));
        let t = match view_type {
            ViewType::Included => 1,
            ViewType::Excluded => 2,
        };
        cell(&mut map, &col(4), &index, Value::Integer(t));
        cell(&mut map, &col(5), &index, Value::Integer(VOLATILE));
        cell(&mut map, &col(6), &index, Value::Integer(ACTIVE));
    }
    map
}

fn model_number(model: SecurityModel) -> u32 {
    u32::try_from(model.number()).unwrap_or_default()
}

/// Whether `arcs` names the object (not an instance) of the instance `instance`, or an
/// instance under it other than `.0`.
fn is_object_of(instance: &[u32], arcs: &[u32]) -> bool {
    let object = instance.split_last().map_or(instance, |(_, o)| o);
    arcs.starts_with(object)
}

/// The writable built-in objects: sysContact, sysName, sysLocation and
/// snmpEnableAuthenTraps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Writable {
    Contact,
    Name,
    Location,
    AuthenTraps,
}

/// SET phase one for a built-in binding (`index` is its place in the handler's slice).
pub(crate) fn test_set(
    system: &SystemInfo,
    vb: &VarBind,
    index: usize,
) -> Result<Writable, SetError> {
    let err = |status| SetError::new(status, index);
    let arcs = vb.oid.as_slice();
    let field = match arcs.strip_prefix(&SYSTEM[..]) {
        Some([4, 0]) => Writable::Contact,
        Some([5, 0]) => Writable::Name,
        Some([6, 0]) => Writable::Location,
        _ if arcs == [1, 3, 6, 1, 2, 1, 11, 30, 0] => Writable::AuthenTraps,
        // Every other object, and anything else under the built-in roots.
        _ => return Err(err(ErrorStatus::NOT_WRITABLE)),
    };
    match (field, &vb.value) {
        (Writable::AuthenTraps, Value::Integer(1 | 2)) => Ok(field),
        (Writable::AuthenTraps, Value::Integer(_)) => Err(err(ErrorStatus::WRONG_VALUE)),
        (Writable::AuthenTraps, _) => Err(err(ErrorStatus::WRONG_TYPE)),
        (_, _) if system.read_only => Err(err(ErrorStatus::NOT_WRITABLE)),
        (_, Value::OctetString(s)) if s.len() > 255 => Err(err(ErrorStatus::WRONG_LENGTH)),
        // DisplayString: NVT ASCII.
        (_, Value::OctetString(s))
            if s.iter().any(|&b| {
                b > 0x7e || (b < 0x20 && b != b'\r' && b != b'\n' && b != 0 && b != b'\t')
            }) =>
        {
            Err(err(ErrorStatus::WRONG_VALUE))
        }
        (_, Value::OctetString(_)) => Ok(field),
        _ => Err(err(ErrorStatus::WRONG_TYPE)),
    }
}

/// Applies a tested built-in binding; returns the previous value, for undo.
pub(crate) fn commit(
    system: &mut SystemInfo,
    authen_traps: &mut bool,
    field: Writable,
    value: &Value,
) -> Value {
    let string = |v: &Value| String::from_utf8_lossy(v.as_bytes().unwrap_or_default()).into_owned();
    match field {
        Writable::Contact => Value::from(std::mem::replace(&mut system.contact, string(value))),
        Writable::Name => Value::from(std::mem::replace(&mut system.name, string(value))),
        Writable::Location => Value::from(std::mem::replace(&mut system.location, string(value))),
        Writable::AuthenTraps => {
            let old = Value::Integer(if *authen_traps { 1 } else { 2 });
            *authen_traps = matches!(value, Value::Integer(1));
            old
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_are_sorted_and_under_a_root() {
        for pair in OBJECTS.windows(2) {
            if let [(a, _), (b, _)] = pair {
                assert!(a < b, "{a:?} >= {b:?}");
            }
        }
        for (o, _) in OBJECTS {
            assert!(ROOTS.iter().any(|r| o.starts_with(r)), "{o:?}");
        }
    }

    fn snapshot<'a>(system: &'a SystemInfo, usm: &'a Usm, vacm: &'a Vacm) -> Snapshot<'a> {
        static ROWS: std::sync::OnceLock<crate::usm_table::UsmRows> = std::sync::OnceLock::new();
        Snapshot {
            users: usm,
            usm_rows: ROWS.get_or_init(Default::default),
            vacm,
            tables: OnceCell::new(),
            proxy: None,
            system,
            enable_authen_traps: false,
            stats: SnmpStats {
                in_pkts: 7,
                ..SnmpStats::default()
            },
            mpd: MpdStats::default(),
            usm: UsmStats::default(),
            engine_id: Bytes::from_static(b"\x80\x00\x1f\x88\x04test"),
            boots: 3,
            time: 99,
            max_message_size: 1500,
            uptime: 4242,
        }
    }

    fn state() -> (Usm, Vacm) {
        // The one real instant a test needs: the USM's boot time.
        #[allow(clippy::disallowed_methods)]
        let now = std::time::Instant::now();
        let mut usm = Usm::new("0x80001f8804746573".parse().unwrap(), 1, now, 0);
        usm.add_user(
            snmp_usm::UsmUser::new("ann")
                .with_auth(snmp_usm::AuthProtocol::Sha256, b"password1")
                .unwrap(),
        );
        let mut vacm = Vacm::new();
        vacm.rouser("ann", snmp_mpm::SecurityLevel::AuthNoPriv, None)
            .unwrap();
        (usm, vacm)
    }

    #[test]
    fn tables_list_users_groups_access_and_views() {
        let system = SystemInfo::default();
        let (usm, vacm) = state();
        let s = snapshot(&system, &usm, &vacm);
        // usmUserAuthProtocol."\x80\x00\x1f\x88\x04tes"."ann" = usmHMAC192SHA256AuthProtocol.
        let index = [
            8, 0x80, 0x00, 0x1f, 0x88, 0x04, 0x74, 0x65, 0x73, 3, 97, 110, 110,
        ];
        let auth = oid!(1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1, 5)
            .extend(&index)
            .unwrap();
        assert_eq!(
            s.get(&auth),
            Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 10, 1, 1, 5))
        );
        let status = oid!(1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1, 13)
            .extend(&index)
            .unwrap();
        assert_eq!(s.get(&status), Value::Integer(1));
        // An unknown user of a known column, an unknown column.
        let other = oid!(1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1, 13, 1, 0, 1, 65);
        assert_eq!(s.get(&other), Value::NoSuchInstance);
        assert_eq!(
            s.get(&oid!(1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1, 99, 1)),
            Value::NoSuchObject
        );
        // vacmGroupName for (USM, "ann") is "grpann".
        let group = oid!(1, 3, 6, 1, 6, 3, 16, 1, 2, 1, 3, 3, 3, 97, 110, 110);
        assert_eq!(s.get(&group), Value::from("grpann"));
        // A walk of the VACM root: strictly increasing, the context table first.
        let root = oid!(1, 3, 6, 1, 6, 3, 16, 1);
        let mut cursor = root.clone();
        let mut seen = Vec::new();
        while let Some(vb) = s.get_next(&root, &cursor) {
            assert!(vb.oid > cursor);
            cursor = vb.oid.clone();
            seen.push(vb);
        }
        assert_eq!(seen[0].oid, oid!(1, 3, 6, 1, 6, 3, 16, 1, 1, 1, 1, 0));
        assert!(
            seen.iter()
                .any(|vb| vb.oid.starts_with(&oid!(1, 3, 6, 1, 6, 3, 16, 1, 4, 1, 5)))
        );
        assert!(
            seen.iter()
                .any(|vb| vb.oid == oid!(1, 3, 6, 1, 6, 3, 16, 1, 5, 1, 0))
        );
        // sysORTable sits inside the system group, after sysORLastChange.
        let system_root = oid!(1, 3, 6, 1, 2, 1, 1);
        let vb = s
            .get_next(&system_root, &oid!(1, 3, 6, 1, 2, 1, 1, 8, 0))
            .unwrap();
        assert_eq!(vb.oid, oid!(1, 3, 6, 1, 2, 1, 1, 9, 1, 2, 1));
        assert_eq!(vb.value, Value::ObjectIdentifier(oid!(1, 3, 6, 1, 6, 3, 1)));
    }

    #[test]
    fn get_answers_instances_and_exceptions() {
        let system = SystemInfo::default();
        let (usm, vacm) = state();
        let s = snapshot(&system, &usm, &vacm);
        assert_eq!(
            s.get(&oid!(1, 3, 6, 1, 2, 1, 1, 3, 0)),
            Value::TimeTicks(4242)
        );
        assert_eq!(
            s.get(&oid!(1, 3, 6, 1, 2, 1, 11, 1, 0)),
            Value::Counter32(7)
        );
        assert_eq!(
            s.get(&oid!(1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0)),
            Value::Integer(3)
        );
        assert_eq!(s.get(&oid!(1, 3, 6, 1, 2, 1, 1, 3)), Value::NoSuchInstance);
        assert_eq!(
            s.get(&oid!(1, 3, 6, 1, 2, 1, 1, 3, 1)),
            Value::NoSuchInstance
        );
        assert_eq!(s.get(&oid!(1, 3, 6, 1, 2, 1, 1, 9, 1)), Value::NoSuchObject);
        assert_eq!(
            s.get(&oid!(1, 3, 6, 1, 2, 1, 11, 7, 0)),
            Value::NoSuchObject
        );
    }

    #[test]
    fn get_next_stays_in_its_root() {
        let system = SystemInfo::default();
        let (usm, vacm) = state();
        let s = snapshot(&system, &usm, &vacm);
        let root = oid!(1, 3, 6, 1, 2, 1, 1);
        let vb = s.get_next(&root, &root).unwrap();
        assert_eq!(vb.oid, oid!(1, 3, 6, 1, 2, 1, 1, 1, 0));
        let vb = s.get_next(&root, &oid!(1, 3, 6, 1, 2, 1, 1, 7, 0)).unwrap();
        assert_eq!(vb.oid, oid!(1, 3, 6, 1, 2, 1, 1, 8, 0));
        // sysORTable follows, then nothing.
        let vb = s.get_next(&root, &oid!(1, 3, 6, 1, 2, 1, 1, 8, 0)).unwrap();
        assert_eq!(vb.oid, oid!(1, 3, 6, 1, 2, 1, 1, 9, 1, 2, 1));
        assert_eq!(
            s.get_next(&root, &oid!(1, 3, 6, 1, 2, 1, 1, 9, 1, 4, 5)),
            None
        );
        let snmp = oid!(1, 3, 6, 1, 2, 1, 11);
        let vb = s
            .get_next(&snmp, &oid!(1, 3, 6, 1, 2, 1, 11, 6, 0))
            .unwrap();
        assert_eq!(vb.oid, oid!(1, 3, 6, 1, 2, 1, 11, 8, 0));
    }

    #[test]
    fn writable_strings_are_checked() {
        let mut system = SystemInfo::default();
        let name = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        let ok = VarBind::new(name.clone(), "router-1");
        assert_eq!(test_set(&system, &ok, 0), Ok(Writable::Name));
        let long = VarBind::new(name.clone(), Value::OctetString(vec![b'a'; 256].into()));
        assert_eq!(
            test_set(&system, &long, 2).unwrap_err(),
            SetError::new(ErrorStatus::WRONG_LENGTH, 2)
        );
        let int = VarBind::new(name.clone(), 5);
        assert_eq!(
            test_set(&system, &int, 0).unwrap_err().status,
            ErrorStatus::WRONG_TYPE
        );
        let descr = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 1, 1, 0), "x");
        assert_eq!(
            test_set(&system, &descr, 0).unwrap_err().status,
            ErrorStatus::NOT_WRITABLE
        );
        let traps = VarBind::new(oid!(1, 3, 6, 1, 2, 1, 11, 30, 0), 3);
        assert_eq!(
            test_set(&system, &traps, 0).unwrap_err().status,
            ErrorStatus::WRONG_VALUE
        );
        let mut on = false;
        let old = commit(&mut system, &mut on, Writable::Name, &ok.value);
        assert_eq!(old, Value::from(""));
        assert_eq!(system.name, "router-1");
        system.read_only = true;
        assert_eq!(
            test_set(&system, &ok, 0).unwrap_err().status,
            ErrorStatus::NOT_WRITABLE
        );
    }
}
