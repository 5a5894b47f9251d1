//! Writing the VACM tables (RFC 3415), as net-snmp's `snmpvacm` does it: rows of
//! vacmSecurityToGroupTable, vacmAccessTable and vacmViewTreeFamilyTable created with
//! createAndGo (their columns in the same request, or their defaults), changed, and
//! destroyed. createAndWait is not supported (wrongValue, as RFC 2579 allows): a row is
//! complete when created. The SET is tried on a copy of the tables, which replaces them at
//! commit.

use snmp_mpm::SecurityLevel;
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};
use snmp_vacm::{ContextMatch, SecurityModel, Vacm, ViewType};

use crate::mib::SetError;

/// vacmMIBObjects.
pub(crate) const VACM: [u32; 8] = [1, 3, 6, 1, 6, 3, 16, 1];

/// A row's bindings: (position in the handler's slice, column, value).
type Bindings<'a> = Vec<(usize, u32, &'a Value)>;

/// The rows one request touches, by table and index.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Row {
    Group {
        model: SecurityModel,
        name: Vec<u8>,
    },
    Access {
        group: Vec<u8>,
        prefix: Vec<u8>,
        model: SecurityModel,
        level: SecurityLevel,
    },
    Family {
        view: Vec<u8>,
        subtree: Oid,
    },
}

/// A length-prefixed OCTET STRING index component.
fn octets(arcs: &[u32]) -> Option<(Vec<u8>, &[u32])> {
    let (&len, rest) = arcs.split_first()?;
    let len = usize::try_from(len).ok()?;
    let bytes: Option<Vec<u8>> = rest
        .get(..len)?
        .iter()
        .map(|&a| u8::try_from(a).ok())
        .collect();
    Some((bytes?, rest.get(len..)?))
}

fn model(n: u32) -> Option<SecurityModel> {
    SecurityModel::from_number(i32::try_from(n).ok()?)
}

fn level(n: u32) -> Option<SecurityLevel> {
    match n {
        1 => Some(SecurityLevel::NoAuthNoPriv),
        2 => Some(SecurityLevel::AuthNoPriv),
        3 => Some(SecurityLevel::AuthPriv),
        _ => None,
    }
}

/// The row and column of an instance OID; `Err(true)` when it is under a writable table but
/// its index is not valid (noCreation), `Err(false)` when it is not writable at all.
fn parse(oid: &Oid) -> Result<(Row, u32), bool> {
    let arcs = oid.as_slice().strip_prefix(&VACM[..]).ok_or(false)?;
    let (table, column, index) = match arcs {
        [2, 1, c, rest @ ..] => (2, *c, rest),
        [4, 1, c, rest @ ..] => (4, *c, rest),
        [5, 2, 1, c, rest @ ..] => (5, *c, rest),
        _ => return Err(false),
    };
    let writable = match table {
        2 => (3..=5).contains(&column),
        4 => (4..=9).contains(&column),
        _ => (3..=6).contains(&column),
    };
    if !writable {
        return Err(false);
    }
    let row = match table {
        2 => {
            let (&m, rest) = index.split_first().ok_or(true)?;
            let (name, rest) = octets(rest).ok_or(true)?;
            if !rest.is_empty() || name.is_empty() {
                return Err(true);
            }
            Row::Group {
                model: model(m).filter(|m| *m != SecurityModel::Any).ok_or(true)?,
                name,
            }
        }
        4 => {
            let (group, rest) = octets(index).ok_or(true)?;
            let (prefix, rest) = octets(rest).ok_or(true)?;
            let [m, l] = rest else {
                return Err(true);
            };
            Row::Access {
                group,
                prefix,
                model: model(*m).ok_or(true)?,
                level: level(*l).ok_or(true)?,
            }
        }
        _ => {
            let (view, rest) = octets(index).ok_or(true)?;
            let (&len, rest) = rest.split_first().ok_or(true)?;
            if usize::try_from(len).ok() != Some(rest.len()) {
                return Err(true);
            }
            Row::Family {
                view,
                subtree: Oid::from_slice(rest).map_err(|_| true)?,
            }
        }
    };
    Ok((row, column))
}

/// The current values of a row, or `None` when it does not exist.
#[derive(Clone, Debug)]
enum Values {
    Group(Vec<u8>),
    Access {
        context_match: ContextMatch,
        read: Vec<u8>,
        write: Vec<u8>,
        notify: Vec<u8>,
    },
    Family {
        mask: Vec<u8>,
        view_type: ViewType,
    },
}

fn current(vacm: &Vacm, row: &Row) -> Option<Values> {
    match row {
        Row::Group { model, name } => vacm
            .group_of(*model, name)
            .map(|g| Values::Group(g.to_vec())),
        Row::Access {
            group,
            prefix,
            model,
            level,
        } => vacm
            .access_entries()
            .find(|r| {
                r.group == &group[..]
                    && r.context_prefix == &prefix[..]
                    && r.security_model == *model
                    && r.level == *level
            })
            .map(|r| Values::Access {
                context_match: r.context_match,
                read: r.read_view.to_vec(),
                write: r.write_view.to_vec(),
                notify: r.notify_view.to_vec(),
            }),
        Row::Family { view, subtree } => vacm
            .view_families()
            .find(|(n, s, _, _)| *n == &view[..] && *s == subtree)
            .map(|(_, _, mask, t)| Values::Family {
                mask: mask.to_vec(),
                view_type: t,
            }),
    }
}

/// SET phase one for the VACM bindings of one request: the tables as they would be after it.
pub(crate) fn test(vacm: &Vacm, varbinds: &[VarBind]) -> Result<Vacm, SetError> {
    let mut rows: Vec<(Row, Bindings<'_>)> = Vec::new();
    for (i, vb) in varbinds.iter().enumerate() {
        // vacmViewSpinLock (TestAndIncr): accepted at its value, 0.
        if vb.oid.as_slice() == [1, 3, 6, 1, 6, 3, 16, 1, 5, 1, 0] {
            match vb.value {
                Value::Integer(0) => continue,
                Value::Integer(_) => return Err(SetError::new(ErrorStatus::INCONSISTENT_VALUE, i)),
                _ => return Err(SetError::new(ErrorStatus::WRONG_TYPE, i)),
            }
        }
        let (row, column) = parse(&vb.oid).map_err(|creatable| {
            SetError::new(
                if creatable {
                    ErrorStatus::NO_CREATION
                } else {
                    ErrorStatus::NOT_WRITABLE
                },
                i,
            )
        })?;
        match rows.iter_mut().find(|(r, _)| *r == row) {
            Some((_, list)) => list.push((i, column, &vb.value)),
            None => rows.push((row, vec![(i, column, &vb.value)])),
        }
    }
    let mut after = vacm.clone();
    for (row, list) in rows {
        apply(&mut after, &row, &list)?;
    }
    Ok(after)
}

/// The status column of each table.
fn status_column(row: &Row) -> u32 {
    match row {
        Row::Group { .. } => 5,
        Row::Access { .. } => 9,
        Row::Family { .. } => 6,
    }
}

fn apply(vacm: &mut Vacm, row: &Row, list: &[(usize, u32, &Value)]) -> Result<(), SetError> {
    let integer = |i: usize, v: &Value| match v {
        Value::Integer(n) => Ok(*n),
        _ => Err(SetError::new(ErrorStatus::WRONG_TYPE, i)),
    };
    let string = |i: usize, v: &Value, max: usize| match v {
        Value::OctetString(s) if s.len() <= max => Ok(s.to_vec()),
        Value::OctetString(_) => Err(SetError::new(ErrorStatus::WRONG_LENGTH, i)),
        _ => Err(SetError::new(ErrorStatus::WRONG_TYPE, i)),
    };
    let mut values = current(vacm, row);
    let existed = values.is_some();
    let first = list.first().map_or(0, |l| l.0);
    for &(i, column, value) in list {
        if column != status_column(row) {
            continue;
        }
        match integer(i, value)? {
            4 if existed => return Err(SetError::new(ErrorStatus::INCONSISTENT_VALUE, i)),
            4 => {
                values = Some(match row {
                    // A group row needs its group name in the same request.
                    Row::Group { .. } => Values::Group(Vec::new()),
                    Row::Access { .. } => Values::Access {
                        context_match: ContextMatch::Exact,
                        read: Vec::new(),
                        write: Vec::new(),
                        notify: Vec::new(),
                    },
                    Row::Family { .. } => Values::Family {
                        mask: Vec::new(),
                        view_type: ViewType::Included,
                    },
                });
            }
            1 if existed => {}
            6 => {
                remove(vacm, row);
                return Ok(());
            }
            1 | 2 => return Err(SetError::new(ErrorStatus::INCONSISTENT_VALUE, i)),
            _ => return Err(SetError::new(ErrorStatus::WRONG_VALUE, i)),
        }
    }
    let Some(mut values) = values else {
        // Columns of a row that does not exist, without createAndGo.
        return Err(SetError::new(ErrorStatus::INCONSISTENT_NAME, first));
    };
    for &(i, column, value) in list {
        let bad = |status| Err(SetError::new(status, i));
        match (&mut values, column) {
            (_, c) if c == status_column(row) => {}
            (Values::Group(g), 3) => *g = string(i, value, 32)?,
            (Values::Access { context_match, .. }, 4) => {
                *context_match = match integer(i, value)? {
                    1 => ContextMatch::Exact,
                    2 => ContextMatch::Prefix,
                    _ => return bad(ErrorStatus::WRONG_VALUE),
                };
            }
            (Values::Access { read, .. }, 5) => *read = string(i, value, 32)?,
            (Values::Access { write, .. }, 6) => *write = string(i, value, 32)?,
            (Values::Access { notify, .. }, 7) => *notify = string(i, value, 32)?,
            (Values::Family { mask, .. }, 3) => *mask = string(i, value, 16)?,
            (Values::Family { view_type, .. }, 4) => {
                *view_type = match integer(i, value)? {
                    1 => ViewType::Included,
                    2 => ViewType::Excluded,
                    _ => return bad(ErrorStatus::WRONG_VALUE),
                };
            }
            // StorageType: volatile(2) and nonVolatile(3) accepted (nothing is kept across
            // restarts either way).
            (_, 4 | 8 | 5) => match integer(i, value)? {
                2 | 3 => {}
                _ => return bad(ErrorStatus::WRONG_VALUE),
            },
            _ => return bad(ErrorStatus::NOT_WRITABLE),
        }
    }
    // The VACM's own checks (name lengths): wrongValue.
    let refused = |_| SetError::new(ErrorStatus::WRONG_VALUE, first);
    match (row, values) {
        (Row::Group { .. }, Values::Group(g)) if g.is_empty() => {
            Err(SetError::new(ErrorStatus::INCONSISTENT_VALUE, first))
        }
        (Row::Group { model, name }, Values::Group(g)) => vacm
            .add_group_member(*model, name, g)
            .map(|_| ())
            .map_err(refused),
        (
            Row::Access {
                group,
                prefix,
                model,
                level,
            },
            Values::Access {
                context_match,
                read,
                write,
                notify,
            },
        ) => vacm
            .add_access(
                group,
                prefix,
                context_match,
                *model,
                *level,
                read,
                write,
                notify,
            )
            .map(|_| ())
            .map_err(refused),
        (Row::Family { view, subtree }, Values::Family { mask, view_type }) => vacm
            .add_view(view, subtree.clone(), &mask, view_type)
            .map(|_| ())
            .map_err(refused),
        _ => Err(SetError::new(ErrorStatus::GEN_ERR, first)),
    }
}

fn remove(vacm: &mut Vacm, row: &Row) {
    match row {
        Row::Group { model, name } => {
            vacm.remove_group_member(*model, name);
        }
        Row::Access {
            group,
            prefix,
            model,
            level,
        } => {
            vacm.remove_access(group, prefix, *model, *level);
        }
        Row::Family { view, subtree } => {
            vacm.remove_view_family(view, subtree);
        }
    }
}
