//! The VACM tables (RFC 3415 section 5) and `isAccessAllowed` (section 3.2), with net-snmp's
//! snmpd.conf shortcuts.

use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::format;
use alloc::vec::Vec;
use core::net::IpAddr;

use snmp_mpm::SecurityLevel;
use snmp_smi::{Oid, oid};

use crate::community::{AddressPrefix, CommunityEntry};
use crate::error::{AccessError, ConfigError};
use crate::model::{ContextMatch, SecurityModel, ViewKind, ViewType};
use crate::view::{Family, MAX_MASK_LEN, View, insert_family};

/// The longest SnmpAdminString the VACM and community tables index by.
const MAX_NAME_LEN: usize = 32;

/// The name of the view that net-snmp's shortcuts use when no OID is given.
const ALL_VIEW: &[u8] = b"_all_";

/// The View-based Access Control Model of one SNMP entity: the vacmContextTable,
/// vacmSecurityToGroupTable, vacmAccessTable and vacmViewTreeFamilyTable of RFC 3415, and
/// RFC 3584's snmpCommunityTable.
///
/// Names (security names, groups, views, contexts) are octet strings (`SnmpAdminString`, at
/// most 32 octets): anything `AsRef<[u8]>`, so `&str`, `&[u8]` and `Bytes` all do. The tables
/// are filled with the `add_*` methods or net-snmp's shortcuts
/// ([`rocommunity`](Self::rocommunity), [`rouser`](Self::rouser), ...), then queried with
/// [`is_access_allowed`](Self::is_access_allowed) or [`view_for`](Self::view_for). Adding a
/// row with the index of an existing row replaces it, as a `createAndGo` after `destroy`
/// would.
///
/// A new `Vacm` knows the default context `""` and nothing else.
#[derive(Clone, Debug)]
pub struct Vacm {
    contexts: BTreeSet<Box<[u8]>>,
    /// securityModel -> securityName -> groupName (nested so a lookup borrows the name).
    #[expect(clippy::type_complexity, reason = "a private two-level index")]
    groups: BTreeMap<SecurityModel, BTreeMap<Box<[u8]>, Box<[u8]>>>,
    access: BTreeMap<Box<[u8]>, Vec<AccessEntry>>,
    views: BTreeMap<Box<[u8]>, Vec<Family>>,
    communities: Vec<CommunityEntry>,
    /// net-snmp's `commcount`: numbers the anonymous rows of the shortcuts.
    shortcuts: u32,
}

/// One vacmAccessTable row, as [`Vacm::access_entries`] lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AccessRow<'a> {
    /// vacmGroupName.
    pub group: &'a [u8],
    /// vacmAccessContextPrefix.
    pub context_prefix: &'a [u8],
    /// vacmAccessContextMatch.
    pub context_match: ContextMatch,
    /// vacmAccessSecurityModel.
    pub security_model: SecurityModel,
    /// vacmAccessSecurityLevel.
    pub level: SecurityLevel,
    /// vacmAccessReadViewName (empty: none).
    pub read_view: &'a [u8],
    /// vacmAccessWriteViewName.
    pub write_view: &'a [u8],
    /// vacmAccessNotifyViewName.
    pub notify_view: &'a [u8],
}

/// One vacmAccessTable row (its group is the map key).
#[derive(Clone, Debug)]
struct AccessEntry {
    context_prefix: Box<[u8]>,
    context_match: ContextMatch,
    security_model: SecurityModel,
    level: SecurityLevel,
    read_view: Box<[u8]>,
    write_view: Box<[u8]>,
    notify_view: Box<[u8]>,
}

impl AccessEntry {
    /// Whether the entry applies to a request (RFC 3415 section 3.2 step 3 and the
    /// vacmAccessTable DESCRIPTION): same or `any` model, the context matches the prefix as
    /// the entry's vacmAccessContextMatch says, and the request's level is at least the
    /// entry's.
    fn applies(&self, model: SecurityModel, level: SecurityLevel, context: &[u8]) -> bool {
        let context_ok = match self.context_match {
            ContextMatch::Exact => *self.context_prefix == *context,
            ContextMatch::Prefix => context.starts_with(&self.context_prefix),
        };
        (self.security_model == SecurityModel::Any || self.security_model == model)
            && level >= self.level
            && context_ok
    }

    /// The order of preference among applicable entries, RFC 3415 section 4 (vacmAccessTable
    /// DESCRIPTION) rules 2 to 5: the request's own model over `any`, a prefix equal to the
    /// context name over a shorter one, a longer prefix, a higher level. The table's index
    /// (group, prefix, model, level) makes the greatest key unique.
    fn preference(
        &self,
        model: SecurityModel,
        context: &[u8],
    ) -> (bool, bool, usize, SecurityLevel) {
        (
            self.security_model == model,
            *self.context_prefix == *context,
            self.context_prefix.len(),
            self.level,
        )
    }

    fn view(&self, kind: ViewKind) -> &[u8] {
        match kind {
            ViewKind::Read => &self.read_view,
            ViewKind::Write => &self.write_view,
            ViewKind::Notify => &self.notify_view,
        }
    }
}

impl Default for Vacm {
    fn default() -> Self {
        Self::new()
    }
}

impl Vacm {
    /// Empty tables but for the default context `""`, which every SNMP entity has.
    pub fn new() -> Self {
        let mut contexts = BTreeSet::new();
        contexts.insert(Box::default());
        Self {
            contexts,
            groups: BTreeMap::new(),
            access: BTreeMap::new(),
            views: BTreeMap::new(),
            communities: Vec::new(),
            shortcuts: 0,
        }
    }

    /// Adds a vacmContextTable row: a context this entity serves (0..=32 octets).
    ///
    /// # Errors
    /// [`ConfigError::NameLength`] for a name over 32 octets.
    pub fn add_context(&mut self, name: impl AsRef<[u8]>) -> Result<&mut Self, ConfigError> {
        self.contexts.insert(admin_string("context name", 0, name)?);
        Ok(self)
    }

    /// Whether `name` is in the vacmContextTable.
    pub fn has_context(&self, name: &[u8]) -> bool {
        self.contexts.contains(name)
    }

    /// Adds a vacmSecurityToGroupTable row: `security_name` under `security_model` is in
    /// `group` (net-snmp: `group GROUP MODEL SECNAME`). A pair is in one group at most; a
    /// second call moves it.
    ///
    /// # Errors
    /// [`ConfigError::AnySecurityModel`] for [`SecurityModel::Any`] (the table has no
    /// wildcard; net-snmp's `group G any S` is one row per model), and
    /// [`ConfigError::NameLength`] for names of 0 or over 32 octets.
    pub fn add_group_member(
        &mut self,
        security_model: SecurityModel,
        security_name: impl AsRef<[u8]>,
        group: impl AsRef<[u8]>,
    ) -> Result<&mut Self, ConfigError> {
        if security_model == SecurityModel::Any {
            return Err(ConfigError::AnySecurityModel);
        }
        let name = admin_string("security name", 1, security_name)?;
        let group = admin_string("group name", 1, group)?;
        self.groups
            .entry(security_model)
            .or_default()
            .insert(name, group);
        Ok(self)
    }

    /// The group of a (security model, security name) pair.
    pub fn group_of(&self, security_model: SecurityModel, security_name: &[u8]) -> Option<&[u8]> {
        self.groups
            .get(&security_model)?
            .get(security_name)
            .map(|g| &**g)
    }

    /// Adds a vacmAccessTable row, as net-snmp's
    /// `access GROUP CONTEXT MODEL LEVEL PREFX READ WRITE NOTIFY`: members of `group` using
    /// `security_model` ([`SecurityModel::Any`] for all) at `min_level` or above, in a context
    /// that `context_prefix` matches as `context_match` says, see the three views. An empty
    /// view name is "no view" (requests of that kind fail with
    /// [`AccessError::NoSuchView`]). The row's index is (group, prefix, model, level).
    ///
    /// # Errors
    /// [`ConfigError::NameLength`] for names over 32 octets or an empty group.
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per column, as the vacmAccessTable row and snmpd.conf's access line"
    )]
    pub fn add_access(
        &mut self,
        group: impl AsRef<[u8]>,
        context_prefix: impl AsRef<[u8]>,
        context_match: ContextMatch,
        security_model: SecurityModel,
        min_level: SecurityLevel,
        read_view: impl AsRef<[u8]>,
        write_view: impl AsRef<[u8]>,
        notify_view: impl AsRef<[u8]>,
    ) -> Result<&mut Self, ConfigError> {
        let group = admin_string("group name", 1, group)?;
        let entry = AccessEntry {
            context_prefix: admin_string("context prefix", 0, context_prefix)?,
            context_match,
            security_model,
            level: min_level,
            read_view: admin_string("view name", 0, read_view)?,
            write_view: admin_string("view name", 0, write_view)?,
            notify_view: admin_string("view name", 0, notify_view)?,
        };
        let rows = self.access.entry(group).or_default();
        rows.retain(|r| {
            (&r.context_prefix, r.security_model, r.level)
                != (&entry.context_prefix, entry.security_model, entry.level)
        });
        rows.push(entry);
        Ok(self)
    }

    /// Adds a vacmViewTreeFamilyTable row, as net-snmp's `view NAME TYPE SUBTREE [MASK]`:
    /// the family of `subtree` under `mask` is included in or excluded from `view_name`.
    ///
    /// `mask` has one bit per sub-identifier of `subtree`, most significant bit of the first
    /// octet first: 1 means the OID must have the subtree's sub-identifier there, 0 that any
    /// value matches. Missing bits are 1, so an empty mask is the plain subtree. Where several
    /// families of a view match an OID, the one with the longest subtree decides, and between
    /// subtrees of equal length the lexicographically greater (RFC 3415 section 5,
    /// vacmViewTreeFamilyTable).
    ///
    /// # Errors
    /// [`ConfigError::MaskTooLong`] beyond 16 octets, [`ConfigError::NameLength`] for a view
    /// name of 0 or over 32 octets.
    pub fn add_view(
        &mut self,
        view_name: impl AsRef<[u8]>,
        subtree: Oid,
        mask: &[u8],
        view_type: ViewType,
    ) -> Result<&mut Self, ConfigError> {
        if mask.len() > MAX_MASK_LEN {
            return Err(ConfigError::MaskTooLong(mask.len()));
        }
        let name = admin_string("view name", 1, view_name)?;
        let family = Family {
            subtree,
            mask: mask.into(),
            view_type,
        };
        insert_family(self.views.entry(name).or_default(), family);
        Ok(self)
    }

    /// Adds a snmpCommunityTable row (net-snmp: `com2sec`). Rows are tried in the order they
    /// were added.
    pub fn add_community(&mut self, entry: CommunityEntry) -> &mut Self {
        self.communities.push(entry);
        self
    }

    /// The security name and context name for a v1/v2c message (RFC 3584 section 5.2.1):
    /// the first community row, in the order added, whose community is `community` and whose
    /// source restriction admits `source`. `None` means the community is unknown here: the
    /// caller counts `snmpInBadCommunityNames` and drops the message.
    pub fn resolve_community(&self, community: &[u8], source: IpAddr) -> Option<(&[u8], &[u8])> {
        self.communities
            .iter()
            .find(|c| c.matches(community, source))
            .map(|c| (c.security_name(), c.context_name()))
    }

    /// `isAccessAllowed` (RFC 3415 section 3.2): may `security_name`, authenticated by
    /// `security_model` at `level`, access `variable` in `context_name` for `kind`?
    ///
    /// A command responder calls it with [`ViewKind::Read`] or [`ViewKind::Write`] per
    /// binding, a notification originator with [`ViewKind::Notify`] per binding and target.
    /// [`AccessError`] says what each failure means to them.
    ///
    /// # Errors
    /// The errorIndication of the first step that fails: [`AccessError::NoSuchContext`],
    /// [`NoGroupName`](AccessError::NoGroupName), [`NoAccessEntry`](AccessError::NoAccessEntry),
    /// [`NoSuchView`](AccessError::NoSuchView), [`NotInView`](AccessError::NotInView).
    pub fn is_access_allowed(
        &self,
        security_model: SecurityModel,
        security_name: &[u8],
        level: SecurityLevel,
        kind: ViewKind,
        context_name: &[u8],
        variable: &Oid,
    ) -> Result<(), AccessError> {
        self.view_for(security_model, security_name, level, kind, context_name)?
            .check(variable)
    }

    /// Steps 1 to 4 of `isAccessAllowed`: the view a request would be checked against, so a
    /// responder can test all its bindings (and a GetNext walk all its candidates) with
    /// [`View::contains`] without repeating the lookups.
    ///
    /// # Errors
    /// [`AccessError::NoSuchContext`], [`NoGroupName`](AccessError::NoGroupName),
    /// [`NoAccessEntry`](AccessError::NoAccessEntry) or [`NoSuchView`](AccessError::NoSuchView).
    pub fn view_for(
        &self,
        security_model: SecurityModel,
        security_name: &[u8],
        level: SecurityLevel,
        kind: ViewKind,
        context_name: &[u8],
    ) -> Result<View<'_>, AccessError> {
        // Step 1: the context.
        if !self.contexts.contains(context_name) {
            return Err(AccessError::NoSuchContext);
        }
        // Step 2: the group.
        let group = self
            .group_of(security_model, security_name)
            .ok_or(AccessError::NoGroupName)?;
        // Step 3: the best access entry.
        let entry = self
            .access
            .get(group)
            .into_iter()
            .flatten()
            .filter(|e| e.applies(security_model, level, context_name))
            .max_by_key(|e| e.preference(security_model, context_name))
            .ok_or(AccessError::NoAccessEntry)?;
        // Step 4: the view.
        let name = entry.view(kind);
        self.views
            .get_key_value(name)
            .filter(|(_, families)| !families.is_empty())
            .map(|(name, families)| View::new(name, families))
            .ok_or(AccessError::NoSuchView)
    }

    /// Removes the vacmSecurityToGroupTable row of (`security_model`, `security_name`);
    /// whether there was one.
    pub fn remove_group_member(
        &mut self,
        security_model: SecurityModel,
        security_name: &[u8],
    ) -> bool {
        let Some(names) = self.groups.get_mut(&security_model) else {
            return false;
        };
        let removed = names.remove(security_name).is_some();
        if names.is_empty() {
            self.groups.remove(&security_model);
        }
        removed
    }

    /// Removes the vacmAccessTable row (`group`, `context_prefix`, `security_model`,
    /// `level`); whether there was one.
    pub fn remove_access(
        &mut self,
        group: &[u8],
        context_prefix: &[u8],
        security_model: SecurityModel,
        level: SecurityLevel,
    ) -> bool {
        let Some(rows) = self.access.get_mut(group) else {
            return false;
        };
        let before = rows.len();
        rows.retain(|r| {
            (&*r.context_prefix, r.security_model, r.level)
                != (context_prefix, security_model, level)
        });
        let removed = rows.len() != before;
        if rows.is_empty() {
            self.access.remove(group);
        }
        removed
    }

    /// Removes the vacmViewTreeFamilyTable row (`view_name`, `subtree`); whether there was
    /// one.
    pub fn remove_view_family(&mut self, view_name: &[u8], subtree: &Oid) -> bool {
        let Some(families) = self.views.get_mut(view_name) else {
            return false;
        };
        let before = families.len();
        families.retain(|f| f.subtree != *subtree);
        let removed = families.len() != before;
        if families.is_empty() {
            self.views.remove(view_name);
        }
        removed
    }

    /// The vacmContextTable: every context name, in order.
    pub fn contexts(&self) -> impl Iterator<Item = &[u8]> {
        self.contexts.iter().map(|c| &**c)
    }

    /// The vacmSecurityToGroupTable, in its index order: (securityModel, securityName,
    /// groupName).
    pub fn group_members(&self) -> impl Iterator<Item = (SecurityModel, &[u8], &[u8])> {
        self.groups
            .iter()
            .flat_map(|(m, names)| names.iter().map(move |(n, g)| (*m, &**n, &**g)))
    }

    /// The vacmAccessTable, group by group.
    pub fn access_entries(&self) -> impl Iterator<Item = AccessRow<'_>> {
        self.access.iter().flat_map(|(group, entries)| {
            entries.iter().map(move |e| AccessRow {
                group,
                context_prefix: &e.context_prefix,
                context_match: e.context_match,
                security_model: e.security_model,
                level: e.level,
                read_view: &e.read_view,
                write_view: &e.write_view,
                notify_view: &e.notify_view,
            })
        })
    }

    /// The vacmViewTreeFamilyTable, view by view: (viewName, subtree, mask, type).
    pub fn view_families(&self) -> impl Iterator<Item = (&[u8], &Oid, &[u8], ViewType)> {
        self.views.iter().flat_map(|(name, families)| {
            families
                .iter()
                .map(move |f| (&**name, &f.subtree, &*f.mask, f.view_type))
        })
    }

    /// Whether `oid` is in the view `view_name` (false for a view that does not exist).
    pub fn in_view(&self, view_name: &[u8], oid: &Oid) -> bool {
        self.views
            .get(view_name)
            .is_some_and(|families| View::new(view_name, families).contains(oid))
    }

    /// net-snmp's `rocommunity COMMUNITY [SOURCE [OID]]`: read access for SNMPv1 and SNMPv2c
    /// messages with `community`, from `source` (`None`: anywhere), to the subtree `oid`
    /// (`None`: everything). Like net-snmp's `vacm_create_simple`, with `N` counting the
    /// shortcuts called so far, it adds:
    ///
    /// - community row: `community` from `source` -> security name `commN`, context `""`;
    /// - group rows: `commN` in group `grpcommN` under both v1 and v2c;
    /// - view: `viewCommN` including `oid`, or for no OID net-snmp's `_all_` (including `.0`,
    ///   `.1`, `.2`);
    /// - access: `grpcommN`, context prefix `""` with prefix match (every context), model
    ///   any, noAuthNoPriv, read view the view, no write view and no notify view.
    ///
    /// # Errors
    /// [`ConfigError::PrefixLength`] for a bad source prefix.
    pub fn rocommunity(
        &mut self,
        community: impl AsRef<[u8]>,
        source: Option<(IpAddr, u8)>,
        oid: Option<Oid>,
    ) -> Result<&mut Self, ConfigError> {
        self.community_shortcut(community.as_ref(), source, oid, false)
    }

    /// net-snmp's `rwcommunity COMMUNITY [SOURCE [OID]]`: as [`rocommunity`](Self::rocommunity)
    /// but the view is also the write and notify view.
    ///
    /// # Errors
    /// [`ConfigError::PrefixLength`] for a bad source prefix.
    pub fn rwcommunity(
        &mut self,
        community: impl AsRef<[u8]>,
        source: Option<(IpAddr, u8)>,
        oid: Option<Oid>,
    ) -> Result<&mut Self, ConfigError> {
        self.community_shortcut(community.as_ref(), source, oid, true)
    }

    /// net-snmp's `rouser USER [LEVEL [OID]]`: read access for the USM user `user` at
    /// `min_level` or above (net-snmp's default when the line gives none is authNoPriv) to the
    /// subtree `oid` (`None`: everything). With `N` counting the shortcuts called so far, it
    /// adds:
    ///
    /// - group row: `user` under USM in group `grpUSER` (non-alphanumeric octets of the user
    ///   name replaced by `_`, the name cut to 28 octets);
    /// - view: `viewUSMN` including `oid`, or `_all_` for no OID;
    /// - access: `grpUSER`, context prefix `""` with prefix match (every context), model USM,
    ///   `min_level`, read view the view, no write view and no notify view.
    ///
    /// # Errors
    /// [`ConfigError::NameLength`] for an empty or over-long user name.
    pub fn rouser(
        &mut self,
        user: impl AsRef<[u8]>,
        min_level: SecurityLevel,
        oid: Option<Oid>,
    ) -> Result<&mut Self, ConfigError> {
        self.user_shortcut(user.as_ref(), min_level, oid, false)
    }

    /// net-snmp's `rwuser USER [LEVEL [OID]]`: as [`rouser`](Self::rouser) but the view is
    /// also the write and notify view.
    ///
    /// # Errors
    /// [`ConfigError::NameLength`] for an empty or over-long user name.
    pub fn rwuser(
        &mut self,
        user: impl AsRef<[u8]>,
        min_level: SecurityLevel,
        oid: Option<Oid>,
    ) -> Result<&mut Self, ConfigError> {
        self.user_shortcut(user.as_ref(), min_level, oid, true)
    }

    fn community_shortcut(
        &mut self,
        community: &[u8],
        source: Option<(IpAddr, u8)>,
        oid: Option<Oid>,
        write: bool,
    ) -> Result<&mut Self, ConfigError> {
        let source = source
            .map(|(addr, len)| AddressPrefix::new(addr, len))
            .transpose()?;
        self.shortcuts += 1;
        let n = self.shortcuts;
        let security_name = format!("comm{n}");
        let group = format!("grp{security_name}");
        let view = self.shortcut_view(oid, format!("viewComm{n}").as_bytes())?;
        self.add_community(CommunityEntry::new(community, &security_name, "", source)?);
        self.add_group_member(SecurityModel::V1, &security_name, &group)?;
        self.add_group_member(SecurityModel::V2c, &security_name, &group)?;
        self.shortcut_access(
            group.as_bytes(),
            SecurityModel::Any,
            SecurityLevel::NoAuthNoPriv,
            &view,
            write,
        )
    }

    fn user_shortcut(
        &mut self,
        user: &[u8],
        min_level: SecurityLevel,
        oid: Option<Oid>,
        write: bool,
    ) -> Result<&mut Self, ConfigError> {
        let user = admin_string("security name", 1, user)?;
        self.shortcuts += 1;
        let n = self.shortcuts;
        let mut group = b"grp".to_vec();
        group.extend(user.iter().take(28).map(
            |&b| {
                if b.is_ascii_alphanumeric() { b } else { b'_' }
            },
        ));
        let view = self.shortcut_view(oid, format!("viewUSM{n}").as_bytes())?;
        self.add_group_member(SecurityModel::Usm, &user, &group)?;
        self.shortcut_access(&group, SecurityModel::Usm, min_level, &view, write)
    }

    /// The view of a shortcut: `name` including `oid`, or `_all_` (created on first use).
    fn shortcut_view(&mut self, oid: Option<Oid>, name: &[u8]) -> Result<Box<[u8]>, ConfigError> {
        if let Some(oid) = oid {
            self.add_view(name, oid, &[], ViewType::Included)?;
            Ok(name.into())
        } else {
            for root in ALL_ROOTS {
                self.add_view(ALL_VIEW, root, &[], ViewType::Included)?;
            }
            Ok(ALL_VIEW.into())
        }
    }

    fn shortcut_access(
        &mut self,
        group: &[u8],
        model: SecurityModel,
        level: SecurityLevel,
        view: &[u8],
        write: bool,
    ) -> Result<&mut Self, ConfigError> {
        let rw: &[u8] = if write { view } else { b"" };
        self.add_access(group, "", ContextMatch::Prefix, model, level, view, rw, rw)
    }
}

/// The three roots net-snmp's `_all_` view includes (ITU-T, ISO, joint).
const ALL_ROOTS: [Oid; 3] = [oid!(0), oid!(1), oid!(2)];

/// An SnmpAdminString column value of `min..=32` octets.
pub(crate) fn admin_string(
    what: &'static str,
    min: usize,
    name: impl AsRef<[u8]>,
) -> Result<Box<[u8]>, ConfigError> {
    let name = name.as_ref();
    if name.len() < min || name.len() > MAX_NAME_LEN {
        return Err(ConfigError::NameLength {
            what,
            min,
            len: name.len(),
        });
    }
    Ok(name.into())
}

#[cfg(test)]
mod tests {
    use core::net::{Ipv4Addr, Ipv6Addr};

    use super::*;

    use ContextMatch::{Exact, Prefix};
    use SecurityLevel::{AuthNoPriv, AuthPriv, NoAuthNoPriv};

    /// A view name whose view holds all of `1` (so every check below is about the access
    /// entry chosen, not the OID).
    fn vacm_with_views(names: &[&str]) -> Vacm {
        let mut v = Vacm::new();
        for name in names {
            v.add_view(*name, oid!(1), &[], ViewType::Included).unwrap();
        }
        v
    }

    /// The read view name `view_for` picks.
    fn chosen(
        v: &Vacm,
        model: SecurityModel,
        name: &str,
        level: SecurityLevel,
        context: &str,
    ) -> Result<alloc::string::String, AccessError> {
        v.view_for(
            model,
            name.as_bytes(),
            level,
            ViewKind::Read,
            context.as_bytes(),
        )
        .map(|view| alloc::string::String::from_utf8(view.name().to_vec()).unwrap())
    }

    /// RFC 3415 section 3.2, steps 1-5, each failure in turn.
    #[test]
    fn each_step_fails_with_its_error() {
        let mut v = vacm_with_views(&["all"]);
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
        let ask = |v: &Vacm, ctx: &[u8], oid: &Oid| {
            v.is_access_allowed(
                SecurityModel::Usm,
                b"bob",
                AuthNoPriv,
                ViewKind::Read,
                ctx,
                oid,
            )
        };
        assert_eq!(ask(&v, b"bridge1", &sys), Err(AccessError::NoSuchContext));
        assert_eq!(ask(&v, b"", &sys), Err(AccessError::NoGroupName));
        v.add_group_member(SecurityModel::Usm, "bob", "ops")
            .unwrap();
        // A group member under another model is another principal.
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::V2c,
                b"bob",
                AuthNoPriv,
                ViewKind::Read,
                b"",
                &sys
            ),
            Err(AccessError::NoGroupName)
        );
        assert_eq!(ask(&v, b"", &sys), Err(AccessError::NoAccessEntry));
        v.add_access(
            "ops",
            "",
            Exact,
            SecurityModel::Usm,
            AuthNoPriv,
            "nope",
            "",
            "",
        )
        .unwrap();
        assert_eq!(ask(&v, b"", &sys), Err(AccessError::NoSuchView));
        v.add_access(
            "ops",
            "",
            Exact,
            SecurityModel::Usm,
            AuthNoPriv,
            "sys",
            "",
            "",
        )
        .unwrap();
        v.add_view("sys", oid!(1, 3, 6, 1, 2, 1, 1), &[], ViewType::Included)
            .unwrap();
        assert_eq!(ask(&v, b"", &sys), Ok(()));
        assert_eq!(
            ask(&v, b"", &oid!(1, 3, 6, 1, 2, 1, 2, 1, 0)),
            Err(AccessError::NotInView)
        );
        // An empty view name is no view.
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::Usm,
                b"bob",
                AuthNoPriv,
                ViewKind::Write,
                b"",
                &sys
            ),
            Err(AccessError::NoSuchView)
        );
    }

    /// RFC 3415 section 4, vacmAccessTable rule 2: an entry for the request's own security
    /// model beats an `any` entry, whatever their prefixes and levels.
    #[test]
    fn best_match_model_over_any() {
        let mut v = vacm_with_views(&["any", "usm"]);
        v.add_context("ctx").unwrap();
        v.add_group_member(SecurityModel::Usm, "u", "g").unwrap();
        v.add_access(
            "g",
            "ctx",
            Exact,
            SecurityModel::Any,
            AuthPriv,
            "any",
            "",
            "",
        )
        .unwrap();
        v.add_access(
            "g",
            "",
            Prefix,
            SecurityModel::Usm,
            NoAuthNoPriv,
            "usm",
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "ctx").unwrap(),
            "usm"
        );
        // The any entry is still what a v2c member of the group gets.
        v.add_group_member(SecurityModel::V2c, "c", "g").unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::V2c, "c", AuthPriv, "ctx").unwrap(),
            "any"
        );
    }

    /// Rule 3: a prefix equal to the context name beats a shorter prefix, even with a
    /// prefix-match entry whose prefix happens to be the whole name.
    #[test]
    fn best_match_exact_context_over_prefix() {
        let mut v = vacm_with_views(&["exact", "prefix", "whole"]);
        v.add_context("bridge1")
            .unwrap()
            .add_context("bridge2")
            .unwrap();
        v.add_group_member(SecurityModel::Usm, "u", "g").unwrap();
        v.add_access(
            "g",
            "bridge",
            Prefix,
            SecurityModel::Usm,
            AuthPriv,
            "prefix",
            "",
            "",
        )
        .unwrap();
        v.add_access(
            "g",
            "bridge1",
            Exact,
            SecurityModel::Usm,
            NoAuthNoPriv,
            "exact",
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "bridge1").unwrap(),
            "exact"
        );
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "bridge2").unwrap(),
            "prefix"
        );
        // The exact entry does not apply to other contexts, nor the prefix one to "".
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, ""),
            Err(AccessError::NoAccessEntry)
        );
        v.add_access(
            "g",
            "bridge2",
            Prefix,
            SecurityModel::Usm,
            NoAuthNoPriv,
            "whole",
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "bridge2").unwrap(),
            "whole"
        );
    }

    /// Rule 4: the longest prefix wins.
    #[test]
    fn best_match_longer_prefix() {
        let mut v = vacm_with_views(&["short", "long"]);
        v.add_context("vrf-blue-1").unwrap();
        v.add_group_member(SecurityModel::Usm, "u", "g").unwrap();
        v.add_access(
            "g",
            "vrf",
            Prefix,
            SecurityModel::Usm,
            AuthPriv,
            "short",
            "",
            "",
        )
        .unwrap();
        v.add_access(
            "g",
            "vrf-blue",
            Prefix,
            SecurityModel::Usm,
            NoAuthNoPriv,
            "long",
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "vrf-blue-1").unwrap(),
            "long"
        );
        // The empty prefix matches every context, and loses to any longer one.
        v.add_access(
            "g",
            "",
            Prefix,
            SecurityModel::Usm,
            AuthPriv,
            "short",
            "",
            "",
        )
        .unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "vrf-blue-1").unwrap(),
            "long"
        );
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "").unwrap(),
            "short"
        );
    }

    /// Rule 5: the highest securityLevel not above the request's wins; entries needing more
    /// than the request has do not apply at all.
    #[test]
    fn best_match_higher_level_and_level_floor() {
        let mut v = vacm_with_views(&["none", "auth", "priv"]);
        v.add_group_member(SecurityModel::Usm, "u", "g").unwrap();
        v.add_access(
            "g",
            "",
            Exact,
            SecurityModel::Usm,
            NoAuthNoPriv,
            "none",
            "",
            "",
        )
        .unwrap();
        v.add_access(
            "g",
            "",
            Exact,
            SecurityModel::Usm,
            AuthNoPriv,
            "auth",
            "",
            "",
        )
        .unwrap();
        v.add_access("g", "", Exact, SecurityModel::Usm, AuthPriv, "priv", "", "")
            .unwrap();
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "").unwrap(),
            "priv"
        );
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthNoPriv, "").unwrap(),
            "auth"
        );
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", NoAuthNoPriv, "").unwrap(),
            "none"
        );
    }

    /// authPriv required: authNoPriv and noAuthNoPriv are refused with noAccessEntry.
    #[test]
    fn auth_priv_required() {
        let mut v = vacm_with_views(&["all"]);
        v.add_group_member(SecurityModel::Usm, "admin", "admins")
            .unwrap();
        v.add_access(
            "admins",
            "",
            Prefix,
            SecurityModel::Usm,
            AuthPriv,
            "all",
            "all",
            "all",
        )
        .unwrap();
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 5, 0);
        let ask = |level| {
            v.is_access_allowed(
                SecurityModel::Usm,
                b"admin",
                level,
                ViewKind::Write,
                b"",
                &sys,
            )
        };
        assert_eq!(ask(AuthPriv), Ok(()));
        assert_eq!(ask(AuthNoPriv), Err(AccessError::NoAccessEntry));
        assert_eq!(ask(NoAuthNoPriv), Err(AccessError::NoAccessEntry));
    }

    /// Re-adding a row with the same index replaces it.
    #[test]
    fn same_index_replaces() {
        let mut v = vacm_with_views(&["a", "b"]);
        v.add_group_member(SecurityModel::Usm, "u", "g1").unwrap();
        v.add_group_member(SecurityModel::Usm, "u", "g").unwrap();
        assert_eq!(v.group_of(SecurityModel::Usm, b"u"), Some(&b"g"[..]));
        v.add_access("g", "", Exact, SecurityModel::Usm, AuthPriv, "a", "", "")
            .unwrap();
        // Same (group, prefix, model, level), other match type and views: a replacement.
        v.add_access("g", "", Prefix, SecurityModel::Usm, AuthPriv, "b", "", "")
            .unwrap();
        assert_eq!(v.access.get(&b"g"[..]).map(Vec::len), Some(1));
        assert_eq!(
            chosen(&v, SecurityModel::Usm, "u", AuthPriv, "").unwrap(),
            "b"
        );
    }

    /// RFC 3415 section 5: an excluded family inside an included one, an included one inside
    /// that, and the longest subtree deciding whatever the order they were added in.
    #[test]
    fn excluded_subtree_inside_included() {
        let mut v = Vacm::new();
        v.add_view("v", oid!(1, 3, 6, 1, 2, 1, 2), &[], ViewType::Excluded)
            .unwrap();
        v.add_view("v", oid!(1, 3, 6, 1, 2, 1), &[], ViewType::Included)
            .unwrap();
        v.add_view("v", oid!(1, 3, 6, 1, 2, 1, 2, 1), &[], ViewType::Included)
            .unwrap();
        assert!(v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)));
        assert!(!v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 1)));
        assert!(!v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2)));
        assert!(v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 1, 0)));
        assert!(!v.in_view(b"v", &oid!(1, 3, 6, 1, 4, 1)));
        assert!(!v.in_view(b"nope", &oid!(1, 3, 6, 1, 2, 1, 1, 1, 0)));
    }

    /// Masked families compete by subtree length too: exclude ifOperStatus (column 8) of
    /// every row with 1.3.6.1.2.1.2.2.1.8.0 masked ff:c0 (1111 1111 1100 0000: the 11th
    /// sub-identifier, the row, wild) inside an included ifTable.
    #[test]
    fn masked_exclusion_of_one_column() {
        let mut v = Vacm::new();
        v.add_view("v", oid!(1, 3, 6, 1, 2, 1, 2, 2), &[], ViewType::Included)
            .unwrap();
        v.add_view(
            "v",
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 0),
            &[0xff, 0xc0],
            ViewType::Excluded,
        )
        .unwrap();
        assert!(v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 7, 3)));
        assert!(!v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 3)));
        assert!(!v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 1000)));
        // The column itself (shorter than the family) stays in.
        assert!(v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 8)));
    }

    /// RFC 3415 section 5: two families of the same length match; the lexicographically
    /// greater subtree decides. 1.3.6.1.2.1.2.2.1.1.7 (mask ff:a0: any column of row 7,
    /// included) against 1.3.6.1.2.1.2.2.1.2.0 (mask ff:c0: column 2 of any row, excluded).
    #[test]
    fn equal_length_lexicographic_tie_break() {
        let row7 = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 7);
        let descr = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 0);
        let if_descr_7 = oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 7);
        let mut v = Vacm::new();
        v.add_view("v", row7.clone(), &[0xff, 0xa0], ViewType::Included)
            .unwrap();
        v.add_view("v", descr.clone(), &[0xff, 0xc0], ViewType::Excluded)
            .unwrap();
        // ...2.0 > ...1.7: the excluded family wins.
        assert!(!v.in_view(b"v", &if_descr_7));
        assert!(v.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 3, 7)));
        // The same with the types swapped: now the greater subtree includes.
        let mut w = Vacm::new();
        w.add_view("v", row7, &[0xff, 0xa0], ViewType::Excluded)
            .unwrap();
        w.add_view("v", descr, &[0xff, 0xc0], ViewType::Included)
            .unwrap();
        assert!(w.in_view(b"v", &if_descr_7));
        assert!(!w.in_view(b"v", &oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 3, 7)));
    }

    #[test]
    fn config_errors() {
        let mut v = Vacm::new();
        assert_eq!(
            v.add_view("v", oid!(1), &[0xff; 17], ViewType::Included)
                .err(),
            Some(ConfigError::MaskTooLong(17))
        );
        assert!(v.add_view("", oid!(1), &[], ViewType::Included).is_err());
        assert!(v.add_context([b'c'; 33]).is_err());
        assert_eq!(
            v.add_group_member(SecurityModel::Any, "u", "g").err(),
            Some(ConfigError::AnySecurityModel)
        );
        assert!(v.add_group_member(SecurityModel::Usm, "", "g").is_err());
        assert!(
            v.rocommunity("c", Some((IpAddr::V4(Ipv4Addr::LOCALHOST), 33)), None)
                .is_err()
        );
    }

    /// net-snmp's `rocommunity public default .1.3.6.1.2.1.1` then `rwcommunity private
    /// 10.0.0.0/8`: the rows vacm_create_simple makes.
    #[test]
    fn community_shortcuts_fill_tables_like_net_snmp() {
        let mut v = Vacm::new();
        v.rocommunity("public", None, Some(oid!(1, 3, 6, 1, 2, 1, 1)))
            .unwrap();
        v.rwcommunity(
            "private",
            Some((IpAddr::V4(Ipv4Addr::new(10, 0, 0, 0)), 8)),
            None,
        )
        .unwrap();
        let any = IpAddr::V6(Ipv6Addr::LOCALHOST);
        assert_eq!(
            v.resolve_community(b"public", any),
            Some((&b"comm1"[..], &b""[..]))
        );
        assert_eq!(
            v.group_of(SecurityModel::V1, b"comm1"),
            Some(&b"grpcomm1"[..])
        );
        assert_eq!(
            v.group_of(SecurityModel::V2c, b"comm1"),
            Some(&b"grpcomm1"[..])
        );
        assert!(v.in_view(b"viewComm1", &oid!(1, 3, 6, 1, 2, 1, 1, 3, 0)));
        assert!(v.in_view(b"_all_", &oid!(0, 0)));
        assert!(v.in_view(b"_all_", &oid!(2, 999)));

        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 3, 0);
        for model in [SecurityModel::V1, SecurityModel::V2c] {
            let ask = |kind, oid: &Oid| {
                v.is_access_allowed(model, b"comm1", NoAuthNoPriv, kind, b"", oid)
            };
            assert_eq!(ask(ViewKind::Read, &sys), Ok(()));
            assert_eq!(ask(ViewKind::Write, &sys), Err(AccessError::NoSuchView));
            assert_eq!(ask(ViewKind::Notify, &sys), Err(AccessError::NoSuchView));
            let ask = |kind, oid: &Oid| {
                v.is_access_allowed(model, b"comm2", NoAuthNoPriv, kind, b"", oid)
            };
            for kind in [ViewKind::Read, ViewKind::Write, ViewKind::Notify] {
                assert_eq!(ask(kind, &oid!(1, 3, 6, 1, 4, 1, 8072)), Ok(()));
            }
        }
        // A community is not a USM user.
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::Usm,
                b"comm1",
                AuthPriv,
                ViewKind::Read,
                b"",
                &sys
            ),
            Err(AccessError::NoGroupName)
        );
        // The empty prefix with prefix match: every context the entity has.
        v.add_context("vlan10").unwrap();
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::V2c,
                b"comm1",
                NoAuthNoPriv,
                ViewKind::Read,
                b"vlan10",
                &sys
            ),
            Ok(())
        );
    }

    /// Community source restrictions, IPv4 and IPv6, first matching row wins.
    #[test]
    fn community_sources() {
        let mut v = Vacm::new();
        let lan6: Ipv6Addr = "fd00:1::".parse().unwrap();
        v.rocommunity(
            "s3cret",
            Some((IpAddr::V4(Ipv4Addr::new(192, 168, 1, 0)), 24)),
            None,
        )
        .unwrap()
        .rwcommunity("s3cret", Some((IpAddr::V6(lan6), 32)), None)
        .unwrap();
        v.add_community(CommunityEntry::new("s3cret", "fallback", "ctx", None).unwrap());
        let v4 = |a, b, c, d| IpAddr::V4(Ipv4Addr::new(a, b, c, d));
        let name = |src| v.resolve_community(b"s3cret", src).map(|(n, _)| n.to_vec());
        assert_eq!(name(v4(192, 168, 1, 77)), Some(b"comm1".to_vec()));
        assert_eq!(
            name("fd00:1:2::9".parse().unwrap()),
            Some(b"comm2".to_vec())
        );
        assert_eq!(name(v4(192, 168, 2, 1)), Some(b"fallback".to_vec()));
        assert_eq!(
            name("fd00:2::9".parse().unwrap()),
            Some(b"fallback".to_vec())
        );
        assert_eq!(
            v.resolve_community(b"s3cret", v4(8, 8, 8, 8)),
            Some((&b"fallback"[..], &b"ctx"[..]))
        );
        assert_eq!(v.resolve_community(b"S3CRET", v4(192, 168, 1, 77)), None);
    }

    /// net-snmp's `rouser -s usm bob authPriv .1.3.6.1.2.1` and `rwuser "j.doe" auth`.
    #[test]
    fn user_shortcuts() {
        let mut v = Vacm::new();
        v.rouser("bob", AuthPriv, Some(oid!(1, 3, 6, 1, 2, 1)))
            .unwrap();
        v.rwuser("j.doe", AuthNoPriv, None).unwrap();
        assert_eq!(v.group_of(SecurityModel::Usm, b"bob"), Some(&b"grpbob"[..]));
        assert_eq!(
            v.group_of(SecurityModel::Usm, b"j.doe"),
            Some(&b"grpj_doe"[..])
        );
        let sys = oid!(1, 3, 6, 1, 2, 1, 1, 1, 0);
        let ask = |name: &[u8], level, kind| {
            v.is_access_allowed(SecurityModel::Usm, name, level, kind, b"", &sys)
        };
        assert_eq!(ask(b"bob", AuthPriv, ViewKind::Read), Ok(()));
        assert_eq!(
            ask(b"bob", AuthNoPriv, ViewKind::Read),
            Err(AccessError::NoAccessEntry)
        );
        assert_eq!(
            ask(b"bob", AuthPriv, ViewKind::Write),
            Err(AccessError::NoSuchView)
        );
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::Usm,
                b"bob",
                AuthPriv,
                ViewKind::Read,
                b"",
                &oid!(1, 3, 6, 1, 4, 1)
            ),
            Err(AccessError::NotInView)
        );
        assert!(v.in_view(b"viewUSM1", &sys));
        for kind in [ViewKind::Read, ViewKind::Write, ViewKind::Notify] {
            assert_eq!(ask(b"j.doe", AuthPriv, kind), Ok(()));
            assert_eq!(
                ask(b"j.doe", NoAuthNoPriv, kind),
                Err(AccessError::NoAccessEntry)
            );
        }
        // A v2c principal of the same name has no group.
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::V2c,
                b"bob",
                NoAuthNoPriv,
                ViewKind::Read,
                b"",
                &sys
            ),
            Err(AccessError::NoGroupName)
        );
    }

    /// The notification originator's check: the notify view, per target principal.
    #[test]
    fn notify_view() {
        let mut v = Vacm::new();
        v.add_group_member(SecurityModel::V2c, "trapsink", "sinks")
            .unwrap();
        v.add_view(
            "traps",
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5),
            &[],
            ViewType::Included,
        )
        .unwrap();
        v.add_view(
            "traps",
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1),
            &[],
            ViewType::Included,
        )
        .unwrap();
        v.add_view(
            "traps",
            oid!(1, 3, 6, 1, 2, 1, 1, 3),
            &[],
            ViewType::Included,
        )
        .unwrap();
        v.add_access(
            "sinks",
            "",
            Exact,
            SecurityModel::V2c,
            NoAuthNoPriv,
            "",
            "",
            "traps",
        )
        .unwrap();
        let view = v
            .view_for(
                SecurityModel::V2c,
                b"trapsink",
                NoAuthNoPriv,
                ViewKind::Notify,
                b"",
            )
            .unwrap();
        // linkDown with sysUpTime.0, ifIndex.2, ifAdminStatus.2, ifOperStatus.2.
        for oid in [
            oid!(1, 3, 6, 1, 2, 1, 1, 3, 0),
            oid!(1, 3, 6, 1, 6, 3, 1, 1, 5, 3),
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 1, 2),
            oid!(1, 3, 6, 1, 2, 1, 2, 2, 1, 8, 2),
        ] {
            assert_eq!(view.check(&oid), Ok(()), "{oid}");
        }
        assert_eq!(
            view.check(&oid!(1, 3, 6, 1, 4, 1, 9, 1)),
            Err(AccessError::NotInView)
        );
        assert_eq!(
            v.view_for(
                SecurityModel::V2c,
                b"trapsink",
                NoAuthNoPriv,
                ViewKind::Read,
                b""
            )
            .err(),
            Some(AccessError::NoSuchView)
        );
    }
}
