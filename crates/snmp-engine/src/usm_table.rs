//! Writing usmUserTable (RFC 3414 section 5), as net-snmp's `snmpusm` does it: rows created
//! by cloning another user (`usmUserCloneFrom`), keys changed with KeyChange values, rows
//! taken out of service and destroyed. Rows not in service are kept here, outside the USM.

use std::collections::BTreeMap;

use bytes::Bytes;
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};
use snmp_usm::{AuthProtocol, LocalizedKey, LocalizedUserKeys, Usm, UsmUser, apply_key_change};
use snmp_vacm::SecurityModel;

use crate::mib::{RequestInfo, SetError};

/// usmUser: usmUserSpinLock and usmUserTable.
pub(crate) const USM_USER: [u32; 9] = [1, 3, 6, 1, 6, 3, 15, 1, 2];
/// usmUserEntry.
pub(crate) const ENTRY: [u32; 11] = [1, 3, 6, 1, 6, 3, 15, 1, 2, 2, 1];
const NO_AUTH: [u32; 10] = [1, 3, 6, 1, 6, 3, 10, 1, 1, 1];
const NO_PRIV: [u32; 10] = [1, 3, 6, 1, 6, 3, 10, 1, 2, 1];

/// A row's index: (usmUserEngineID, usmUserName).
pub(crate) type RowKey = (Bytes, Bytes);

/// The usmUserTable state that the USM itself does not hold.
#[derive(Debug, Default)]
pub(crate) struct UsmRows {
    /// Rows notInService: their user, out of the USM.
    pub(crate) disabled: BTreeMap<RowKey, UsmUser>,
    /// usmUserPublic of the rows that set it.
    pub(crate) public: BTreeMap<RowKey, Bytes>,
}

/// What a tested SET will do to one row.
#[derive(Debug)]
pub(crate) struct RowPlan {
    key: RowKey,
    /// The row afterwards: its user and whether it is active; `None`: destroyed.
    after: Option<(UsmUser, bool)>,
    /// Whether the user changes (else only usmUserPublic or nothing).
    user_changed: bool,
    public: Option<Bytes>,
}

/// How to put the rows back as they were.
#[derive(Debug)]
pub(crate) struct Undo {
    rows: Vec<Saved>,
}

/// One row before a commit: every user of its name, its out-of-service user, its public.
type Saved = (RowKey, Vec<UsmUser>, Option<UsmUser>, Option<Bytes>);

/// A row's bindings: (position in the handler's slice, column, value).
type RowBindings<'a> = Vec<(usize, u32, &'a Value)>;

/// The (engine, name) of an instance `ENTRY.column.index`, and the column.
fn parse(oid: &Oid) -> Option<(u32, RowKey)> {
    let rest = oid.as_slice().strip_prefix(&ENTRY[..])?;
    let (&column, rest) = rest.split_first()?;
    let (engine, rest) = octets(rest)?;
    let (name, rest) = octets(rest)?;
    rest.is_empty().then_some((column, (engine, name)))
}

/// A length-prefixed OCTET STRING index component.
fn octets(arcs: &[u32]) -> Option<(Bytes, &[u32])> {
    let (&len, rest) = arcs.split_first()?;
    let len = usize::try_from(len).ok()?;
    let (bytes, rest) = (rest.get(..len)?, rest.get(len..)?);
    let bytes: Option<Vec<u8>> = bytes.iter().map(|&a| u8::try_from(a).ok()).collect();
    Some((Bytes::from(bytes?), rest))
}

/// The user that a row `key` stands for now, and whether it is active.
fn current(usm: &Usm, rows: &UsmRows, key: &RowKey) -> Option<(UsmUser, bool)> {
    let (engine, name) = key;
    let local = *usm.engine_id().as_bytes() == engine[..];
    let active = usm
        .users_named(name)
        .into_iter()
        .filter(|u| match u.engine() {
            Some(e) => e.as_bytes() == &engine[..],
            None => local,
        })
        // A user bound to the engine wins over the unbound one.
        .max_by_key(|u| u.engine().is_some());
    active
        .map(|u| (u, true))
        .or_else(|| rows.disabled.get(key).map(|u| (u.clone(), false)))
}

/// SET phase one for the usmUser bindings of one request: checks them all and plans the
/// result (RFC 3414 section 5 and RFC 2579 RowStatus).
pub(crate) fn test(
    usm: &Usm,
    rows: &UsmRows,
    info: &RequestInfo<'_>,
    varbinds: &[VarBind],
) -> Result<Vec<RowPlan>, SetError> {
    // The bindings of each row, in order; usmUserSpinLock (TestAndIncr) is accepted at 0.
    let mut by_row: Vec<(RowKey, RowBindings<'_>)> = Vec::new();
    for (i, vb) in varbinds.iter().enumerate() {
        let err = |status| SetError::new(status, i);
        if vb.oid.as_slice() == [1, 3, 6, 1, 6, 3, 15, 1, 2, 1, 0] {
            match vb.value {
                Value::Integer(0) => continue,
                Value::Integer(_) => return Err(err(ErrorStatus::INCONSISTENT_VALUE)),
                _ => return Err(err(ErrorStatus::WRONG_TYPE)),
            }
        }
        let Some((column, key)) = parse(&vb.oid) else {
            let under_column = vb
                .oid
                .as_slice()
                .strip_prefix(&ENTRY[..])
                .and_then(<[u32]>::first)
                .is_some_and(|c| (3..=13).contains(c));
            return Err(err(if under_column {
                ErrorStatus::NO_CREATION
            } else {
                ErrorStatus::NOT_WRITABLE
            }));
        };
        match by_row.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push((i, column, &vb.value)),
            None => by_row.push((key, vec![(i, column, &vb.value)])),
        }
    }
    by_row
        .into_iter()
        .map(|(key, list)| plan_row(usm, rows, info, key, &list))
        .collect()
}

fn plan_row(
    usm: &Usm,
    rows: &UsmRows,
    info: &RequestInfo<'_>,
    key: RowKey,
    list: &[(usize, u32, &Value)],
) -> Result<RowPlan, SetError> {
    let now = current(usm, rows, &key);
    let integer = |i: usize, v: &Value| match v {
        Value::Integer(n) => Ok(*n),
        _ => Err(SetError::new(ErrorStatus::WRONG_TYPE, i)),
    };
    // RowStatus first: it decides whether the row exists.
    let mut exists = now.is_some();
    let mut active = now.as_ref().is_some_and(|(_, a)| *a);
    let mut destroy = false;
    for &(i, column, value) in list {
        if column != 13 {
            continue;
        }
        let err = |status| Err(SetError::new(status, i));
        match integer(i, value)? {
            4 | 5 if exists => return err(ErrorStatus::INCONSISTENT_VALUE),
            4 => (exists, active) = (true, true),
            5 => (exists, active) = (true, false),
            1 | 2 if !exists => return err(ErrorStatus::INCONSISTENT_VALUE),
            1 => active = true,
            2 => active = false,
            6 => destroy = true,
            _ => return err(ErrorStatus::WRONG_VALUE),
        }
    }
    if destroy {
        return Ok(RowPlan {
            key,
            after: None,
            user_changed: true,
            public: None,
        });
    }
    let (engine, name) = &key;
    let mut keys = match &now {
        Some((user, _)) => user
            .localized_keys(engine)
            .map_err(|_| SetError::new(ErrorStatus::GEN_ERR, 0))?,
        None => LocalizedUserKeys::new(None, None),
    };
    let mut user_changed = now.is_none();
    let mut public = None;
    for &(i, column, value) in list {
        let err = |status| Err(SetError::new(status, i));
        if !exists {
            // A column of a row that does not exist, without createAndGo/createAndWait.
            return err(ErrorStatus::INCONSISTENT_NAME);
        }
        match (column, value) {
            (13, _) => {}
            (4, Value::ObjectIdentifier(from)) => {
                // usmUserCloneFrom: a pointer to usmUserSecurityName of an active user.
                let source = parse(from).filter(|(c, _)| *c == 3).and_then(|(_, k)| {
                    current(usm, rows, &k)
                        .filter(|(_, a)| *a)
                        .map(|(u, _)| (k, u))
                });
                let Some((_, source)) = source else {
                    return err(ErrorStatus::INCONSISTENT_NAME);
                };
                // Keys localized to another engine cannot serve this one.
                if source.engine().is_some_and(|e| e.as_bytes() != &engine[..]) {
                    return err(ErrorStatus::INCONSISTENT_NAME);
                }
                keys = source
                    .localized_keys(engine)
                    .map_err(|_| SetError::new(ErrorStatus::GEN_ERR, i))?;
                user_changed = true;
            }
            (4, _) | (5 | 8, _) if !matches!(value, Value::ObjectIdentifier(_)) => {
                return err(ErrorStatus::WRONG_TYPE);
            }
            (5, Value::ObjectIdentifier(p)) => {
                let same = keys
                    .auth
                    .as_ref()
                    .is_some_and(|(a, _)| a.oid() == p.as_slice());
                if p.as_slice() == NO_AUTH {
                    keys = LocalizedUserKeys::new(None, None);
                    user_changed = true;
                } else if !same {
                    return err(ErrorStatus::WRONG_VALUE);
                }
            }
            (8, Value::ObjectIdentifier(p)) => {
                let same = keys
                    .privacy
                    .as_ref()
                    .is_some_and(|(q, _)| q.oid() == p.as_slice());
                if p.as_slice() == NO_PRIV {
                    keys = LocalizedUserKeys::new(keys.auth.clone(), None);
                    user_changed = true;
                } else if !same {
                    return err(ErrorStatus::WRONG_VALUE);
                }
            }
            (6 | 7 | 9 | 10, Value::OctetString(change)) => {
                // The Own* columns: only the user itself may change its keys.
                if matches!(column, 7 | 10)
                    && (info.security_model != SecurityModel::Usm
                        || info.security_name != &name[..])
                {
                    return err(ErrorStatus::NO_ACCESS);
                }
                let Some((auth, auth_key)) = keys.auth.clone() else {
                    return err(ErrorStatus::INCONSISTENT_VALUE);
                };
                if matches!(column, 6 | 7) {
                    let new = changed(auth, &auth_key, change).map_err(|s| SetError::new(s, i))?;
                    keys = LocalizedUserKeys::new(Some((auth, new)), keys.privacy.clone());
                } else {
                    let Some((p, priv_key)) = keys.privacy.clone() else {
                        return err(ErrorStatus::INCONSISTENT_VALUE);
                    };
                    let new = changed(auth, &priv_key, change).map_err(|s| SetError::new(s, i))?;
                    keys = LocalizedUserKeys::new(keys.auth.clone(), Some((p, new)));
                }
                user_changed = true;
            }
            (11, Value::OctetString(p)) if p.len() <= 32 => public = Some(p.clone()),
            (11, Value::OctetString(_)) => return err(ErrorStatus::WRONG_LENGTH),
            (6 | 7 | 9 | 10 | 11, _) => return err(ErrorStatus::WRONG_TYPE),
            (12, v) => match integer(i, v)? {
                2 | 3 => {}
                _ => return err(ErrorStatus::WRONG_VALUE),
            },
            _ => return err(ErrorStatus::NOT_WRITABLE),
        }
    }
    let engine_id = snmp_mpm::EngineId::new(engine.clone())
        .map_err(|_| SetError::new(ErrorStatus::NO_CREATION, list.first().map_or(0, |l| l.0)))?;
    let user = if user_changed {
        UsmUser::with_localized_keys(name.clone(), engine_id, keys)
    } else {
        now.as_ref()
            .map_or_else(|| UsmUser::new(name.clone()), |(u, _)| u.clone())
    };
    let user_changed = user_changed || now.as_ref().is_some_and(|(_, a)| *a != active);
    Ok(RowPlan {
        key,
        after: Some((user, active)),
        user_changed,
        public,
    })
}

/// The new key a KeyChange value sets (RFC 3414 section 5).
fn changed(
    auth: AuthProtocol,
    old: &LocalizedKey,
    change: &[u8],
) -> Result<LocalizedKey, ErrorStatus> {
    let new =
        apply_key_change(auth, old.as_bytes(), change).map_err(|_| ErrorStatus::WRONG_LENGTH)?;
    LocalizedKey::from_bytes(&new).map_err(|_| ErrorStatus::WRONG_VALUE)
}

/// SET phase two: applies the plans; returns what undoes them.
pub(crate) fn commit(usm: &mut Usm, rows: &mut UsmRows, plans: &[RowPlan]) -> Undo {
    let mut undo = Undo { rows: Vec::new() };
    for plan in plans {
        let (engine, name) = &plan.key;
        undo.rows.push((
            plan.key.clone(),
            usm.users_named(name),
            rows.disabled.get(&plan.key).cloned(),
            rows.public.get(&plan.key).cloned(),
        ));
        if let Some(p) = &plan.public {
            rows.public.insert(plan.key.clone(), p.clone());
        }
        if !plan.user_changed {
            continue;
        }
        usm.remove_user(name, engine);
        rows.disabled.remove(&plan.key);
        match &plan.after {
            Some((user, true)) => usm.add_user(user.clone()),
            Some((user, false)) => {
                rows.disabled.insert(plan.key.clone(), user.clone());
            }
            None => {
                rows.public.remove(&plan.key);
            }
        }
    }
    undo
}

/// Puts back what [`commit`] changed.
pub(crate) fn undo(usm: &mut Usm, rows: &mut UsmRows, undo: Undo) {
    for (key, users, disabled, public) in undo.rows.into_iter().rev() {
        usm.set_users_named(&key.1, users);
        match disabled {
            Some(u) => rows.disabled.insert(key.clone(), u),
            None => rows.disabled.remove(&key),
        };
        match public {
            Some(p) => rows.public.insert(key, p),
            None => rows.public.remove(&key),
        };
    }
}
