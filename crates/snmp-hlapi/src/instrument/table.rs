//! Conceptual tables kept in memory, with RowStatus row creation (RFC 2579).

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, Mutex};

use snmp_engine::{MibHandler, RequestInfo, SetError};
use snmp_smi::{ErrorStatus, Oid, Value, VarBind};

use super::index::{IndexError, IndexSyntax, IndexValue, decode_index, encode_index};
use super::row_status::RowStatus;
use super::syntax::{Access, Syntax, lock};

/// One columnar object of a [`Table`]: its SYNTAX, its MAX-ACCESS and its DEFVAL.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Column {
    syntax: Syntax,
    access: Access,
    default: Option<Value>,
    /// Whether the column is an index component (its value comes from the instance OID).
    is_index: bool,
}

impl Column {
    /// A column of this syntax and access, without a default.
    pub const fn new(syntax: Syntax, access: Access) -> Self {
        Self {
            syntax,
            access,
            default: None,
            is_index: false,
        }
    }

    /// The DEFVAL: the value a new row starts with. A writable column without one must be
    /// set before its row can become active.
    #[must_use]
    pub fn default_value(mut self, value: impl Into<Value>) -> Self {
        self.default = Some(value.into());
        self
    }

    /// Whether a row needs a SET value in this column to become active.
    fn is_required(&self) -> bool {
        self.access.is_writable() && !self.is_index && self.default.is_none()
    }
}

/// One component of the INDEX clause, and the column it is, if it is one of this table's.
#[derive(Clone, Debug)]
struct IndexPart {
    syntax: IndexSyntax,
    column: Option<u32>,
}

/// A row: its cells by column number.
type Row = BTreeMap<u32, Value>;

/// The definition and the rows, shared by the [`Table`] handler and its [`TableRows`].
#[derive(Debug)]
struct State {
    columns: BTreeMap<u32, Column>,
    index: Vec<IndexPart>,
    row_status: Option<u32>,
    /// By the sub-identifiers of the index: the order of GETNEXT within a column.
    rows: BTreeMap<Vec<u32>, Row>,
}

/// The new content of one row (`None`: deleted).
#[derive(Clone, Debug)]
struct Change {
    key: Vec<u32>,
    row: Option<Row>,
}

/// One binding of a SET, parsed.
struct Binding<'a> {
    /// Its position in the handler's slice.
    at: usize,
    column: u32,
    /// The RowStatus written, for a binding of the status column.
    status: Option<RowStatus>,
    value: &'a Value,
}

/// The handler of a conceptual table kept in memory, registered at its entry OID
/// (`...Entry`, the table's OID plus `.1`) or at the table's OID.
///
/// The instance of column `c` in the row of index `i` is `entry.c.i` (RFC 2578 section 7.7);
/// GETNEXT walks column by column, each in index order, skipping not-accessible columns
/// and empty cells. The application reads and changes the rows through [`TableRows`]
/// while the agent runs.
///
/// SET checks every binding of a request for the table together, row by row, and commits
/// them all at once, keeping the previous rows for undo:
/// - a column that is unknown, read-only, not-accessible or an index: notWritable;
/// - a value of the wrong type, size or range: wrongType, wrongLength, wrongValue;
/// - a RowStatus other than an INTEGER: wrongType; outside 1..6 or `notReady(3)`: wrongValue;
/// - a row that does not exist: with `createAndGo(4)` it is created active if every
///   writable column without a DEFVAL is set in the same request (inconsistentValue
///   otherwise); with `createAndWait(5)` it is created `notInService(2)`, or `notReady(3)`
///   while such columns lack a value; `destroy(6)` is a no-op; `active(1)` and
///   `notInService(2)` are inconsistentValue. An index that the INDEX clause cannot decode is
///   noCreation. Without a RowStatus binding, the answer follows RFC 3416 section 4.2.5:
///   inconsistentName when the table has a status column and all the columns set are
///   read-create (the row could be created, by a request that also sets the status), else
///   noCreation (no request could create it);
/// - a row that exists: `createAndGo` or `createAndWait` is inconsistentValue, `destroy`
///   deletes it, `active` and `notInService` need a complete row (inconsistentValue
///   otherwise), and a `notReady` row whose last missing column is set becomes
///   `notInService`.
///
/// `test_set` works out the new rows under the lock and `commit_set` stores them: a change
/// the application makes to the same rows in between is overwritten.
///
/// ```
/// use snmp_hlapi::instrument::{Access, Column, IndexSyntax, IndexValue, Syntax, Table};
/// use snmp_hlapi::{Value, oid};
///
/// // fooTable: INDEX { fooIndex }, fooName read-create, fooStatus RowStatus.
/// let table = Table::new(oid!(1, 3, 6, 1, 4, 1, 99999, 2, 1))
///     .index_column(1, IndexSyntax::Integer, Access::NotAccessible)
///     .column(2, Column::new(Syntax::display_string(), Access::ReadCreate))
///     .row_status(3);
/// let rows = table.rows();
/// rows.insert_row(&[IndexValue::Integer(1)], [(2, Value::from("first"))])?;
/// assert_eq!(rows.cell(&[IndexValue::Integer(1)], 2), Some(Value::from("first")));
/// assert_eq!(rows.cell(&[IndexValue::Integer(1)], 3), Some(Value::Integer(1))); // active
/// # Ok::<(), snmp_hlapi::instrument::IndexError>(())
/// ```
#[derive(Debug)]
pub struct Table {
    entry: Oid,
    state: Arc<Mutex<State>>,
    /// What the last `test_set` found to do.
    pending: Option<Vec<Change>>,
    /// The rows the last commit replaced, in order.
    undo: Vec<Change>,
}

impl Table {
    /// A table without columns or index whose entry OID is `entry`.
    pub fn new(entry: Oid) -> Self {
        Self {
            entry,
            state: Arc::new(Mutex::new(State {
                columns: BTreeMap::new(),
                index: Vec::new(),
                row_status: None,
                rows: BTreeMap::new(),
            })),
            pending: None,
            undo: Vec::new(),
        }
    }

    /// Appends to the INDEX clause a component that is no column of this table (an index
    /// of another table, as `ifIndex` in `ifXTable`).
    #[must_use]
    pub fn index(self, syntax: IndexSyntax) -> Self {
        lock(&self.state).index.push(IndexPart {
            syntax,
            column: None,
        });
        self
    }

    /// Appends to the INDEX clause the column `column`: GET answers it from the instance
    /// OID ([`IndexValue::to_value`]) when `access` is readable; SET never writes it.
    /// Components with an IMPLIED syntax must come last.
    #[must_use]
    pub fn index_column(self, column: u32, syntax: IndexSyntax, access: Access) -> Self {
        {
            let mut state = lock(&self.state);
            state.index.push(IndexPart {
                syntax,
                column: Some(column),
            });
            let mut def = Column::new(Syntax::integer(), access);
            def.is_index = true;
            state.columns.insert(column, def);
        }
        self
    }

    /// Adds (or replaces) the column `column`.
    #[must_use]
    pub fn column(self, column: u32, def: Column) -> Self {
        lock(&self.state).columns.insert(column, def);
        self
    }

    /// Adds the RowStatus column `column` (read-create), by which managers create and
    /// delete rows.
    #[must_use]
    pub fn row_status(self, column: u32) -> Self {
        {
            let mut state = lock(&self.state);
            state.columns.insert(
                column,
                Column::new(Syntax::integer().range(1, 6), Access::ReadCreate),
            );
            state.row_status = Some(column);
        }
        self
    }

    /// The entry OID.
    pub fn entry(&self) -> &Oid {
        &self.entry
    }

    /// A handle on the rows for the application.
    pub fn rows(&self) -> TableRows {
        TableRows {
            state: Arc::clone(&self.state),
        }
    }
}

impl State {
    fn index_syntax(&self) -> Vec<IndexSyntax> {
        self.index.iter().map(|p| p.syntax).collect()
    }

    /// A row of the defaults and the index columns.
    fn new_row(&self, index: &[IndexValue]) -> Row {
        let mut row: Row = self
            .columns
            .iter()
            .filter_map(|(&c, def)| def.default.clone().map(|v| (c, v)))
            .collect();
        for (part, value) in self.index.iter().zip(index) {
            if let Some(c) = part.column {
                row.insert(c, value.to_value());
            }
        }
        row
    }

    /// Whether every column a row needs has a value.
    fn is_complete(&self, row: &Row) -> bool {
        self.columns
            .iter()
            .filter(|&(&c, def)| def.is_required() && Some(c) != self.row_status)
            .all(|(c, _)| row.contains_key(c))
    }

    fn status_of(&self, row: &Row) -> Option<RowStatus> {
        let value = row.get(&self.row_status?)?;
        value
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .and_then(|v| RowStatus::try_from(v).ok())
    }

    /// Checks a SET and works out the rows it leaves.
    fn plan(&self, entry: &Oid, varbinds: &[VarBind]) -> Result<Vec<Change>, SetError> {
        let mut groups: BTreeMap<&[u32], Vec<Binding<'_>>> = BTreeMap::new();
        for (at, vb) in varbinds.iter().enumerate() {
            let fail = |status| SetError::new(status, at);
            let suffix = vb.oid.strip_prefix(entry).unwrap_or_default();
            let Some((&column, key)) = suffix.split_first() else {
                return Err(fail(ErrorStatus::NOT_WRITABLE));
            };
            let def = self
                .columns
                .get(&column)
                .filter(|def| def.access.is_writable() && !def.is_index)
                .ok_or_else(|| fail(ErrorStatus::NOT_WRITABLE))?;
            let status = if Some(column) == self.row_status {
                Some(written_status(&vb.value).map_err(fail)?)
            } else {
                def.syntax.check(&vb.value).map_err(fail)?;
                None
            };
            groups.entry(key).or_default().push(Binding {
                at,
                column,
                status,
                value: &vb.value,
            });
        }
        // Row by row, in the order of their first binding (errors point at the earliest).
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by_key(|(_, bindings)| bindings.first().map_or(0, |b| b.at));
        let mut changes = Vec::with_capacity(groups.len());
        for (key, bindings) in groups {
            if let Some(row) = self.plan_row(key, &bindings)? {
                changes.push(Change {
                    key: key.to_vec(),
                    row,
                });
            }
        }
        Ok(changes)
    }

    /// The new content of one row (`Some(None)`: deleted), or `None` when it stays as is.
    #[allow(clippy::option_option)] // no change, deletion, new content
    fn plan_row(
        &self,
        key: &[u32],
        bindings: &[Binding<'_>],
    ) -> Result<Option<Option<Row>>, SetError> {
        let first = bindings.first().map_or(0, |b| b.at);
        let status = bindings
            .iter()
            .rev()
            .find_map(|b| b.status.map(|s| (b.at, s)));
        let apply = |row: &mut Row| {
            for b in bindings.iter().filter(|b| b.status.is_none()) {
                row.insert(b.column, b.value.clone());
            }
        };
        let inconsistent = |at| SetError::new(ErrorStatus::INCONSISTENT_VALUE, at);
        let Some(existing) = self.rows.get(key) else {
            let Some((at, status)) = status else {
                let creatable = self.row_status.is_some()
                    && bindings.iter().all(|b| {
                        self.columns
                            .get(&b.column)
                            .is_some_and(|def| def.access == Access::ReadCreate)
                    });
                let status = if creatable {
                    ErrorStatus::INCONSISTENT_NAME
                } else {
                    ErrorStatus::NO_CREATION
                };
                return Err(SetError::new(status, first));
            };
            let new = match status {
                RowStatus::Destroy => return Ok(None),
                RowStatus::CreateAndGo | RowStatus::CreateAndWait => {
                    let index = decode_index(&self.index_syntax(), key)
                        .map_err(|_| SetError::new(ErrorStatus::NO_CREATION, first))?;
                    let mut row = self.new_row(&index);
                    apply(&mut row);
                    let complete = self.is_complete(&row);
                    let now = match (status, complete) {
                        (RowStatus::CreateAndGo, true) => RowStatus::Active,
                        (RowStatus::CreateAndGo, false) => return Err(inconsistent(at)),
                        (_, true) => RowStatus::NotInService,
                        (_, false) => RowStatus::NotReady,
                    };
                    self.with_status(row, now)
                }
                _ => return Err(inconsistent(at)),
            };
            return Ok(Some(Some(new)));
        };
        let mut row = existing.clone();
        match status {
            Some((at, RowStatus::CreateAndGo | RowStatus::CreateAndWait)) => {
                return Err(inconsistent(at));
            }
            Some((_, RowStatus::Destroy)) => return Ok(Some(None)),
            _ => {}
        }
        apply(&mut row);
        if self.row_status.is_some() {
            let complete = self.is_complete(&row);
            let now = match status {
                Some((at, _)) if !complete => return Err(inconsistent(at)),
                Some((_, wanted)) => wanted,
                None => match self.status_of(&row) {
                    Some(RowStatus::NotReady) | None if complete => RowStatus::NotInService,
                    Some(current) => current,
                    None => RowStatus::NotReady,
                },
            };
            row = self.with_status(row, now);
        }
        Ok(Some(Some(row)))
    }

    fn with_status(&self, mut row: Row, status: RowStatus) -> Row {
        if let Some(c) = self.row_status {
            row.insert(c, Value::Integer(status.code()));
        }
        row
    }

    fn apply(&mut self, changes: Vec<Change>) -> Vec<Change> {
        changes
            .into_iter()
            .map(|Change { key, row }| {
                let old = match row {
                    Some(row) => self.rows.insert(key.clone(), row),
                    None => self.rows.remove(&key),
                };
                Change { key, row: old }
            })
            .collect()
    }
}

/// The RowStatus a manager writes: wrongType for a non-INTEGER, wrongValue for `notReady`
/// and values outside the six.
fn written_status(value: &Value) -> Result<RowStatus, ErrorStatus> {
    let Value::Integer(code) = value else {
        return Err(ErrorStatus::WRONG_TYPE);
    };
    match RowStatus::try_from(*code) {
        Ok(RowStatus::NotReady) | Err(_) => Err(ErrorStatus::WRONG_VALUE),
        Ok(status) => Ok(status),
    }
}

impl MibHandler for Table {
    fn get(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Value {
        let state = lock(&self.state);
        let suffix = oid.strip_prefix(&self.entry).unwrap_or_default();
        let Some((column, key)) = suffix.split_first() else {
            return Value::NoSuchObject;
        };
        if !state
            .columns
            .get(column)
            .is_some_and(|def| def.access.is_readable())
        {
            return Value::NoSuchObject;
        }
        state
            .rows
            .get(key)
            .and_then(|row| row.get(column))
            .cloned()
            .unwrap_or(Value::NoSuchInstance)
    }

    fn get_next(&mut self, _: &RequestInfo<'_>, oid: &Oid) -> Option<VarBind> {
        let state = lock(&self.state);
        let (from, after) = match oid.strip_prefix(&self.entry) {
            Some([]) => (0, None),
            Some([column, key @ ..]) => (*column, Some(key)),
            None if *oid < self.entry => (0, None),
            None => return None,
        };
        for (&column, def) in state.columns.range(from..) {
            if !def.access.is_readable() {
                continue;
            }
            let lower = match after {
                Some(key) if column == from => Bound::Excluded(key),
                _ => Bound::Unbounded,
            };
            let found = state
                .rows
                .range::<[u32], _>((lower, Bound::Unbounded))
                .find_map(|(key, row)| {
                    let value = row.get(&column)?;
                    let oid = self.entry.child(column).ok()?.extend(key).ok()?;
                    Some(VarBind::new(oid, value.clone()))
                });
            if found.is_some() {
                return found;
            }
        }
        None
    }

    fn test_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        self.pending = Some(lock(&self.state).plan(&self.entry, varbinds)?);
        Ok(())
    }

    fn commit_set(&mut self, _: &RequestInfo<'_>, varbinds: &[VarBind]) -> Result<(), SetError> {
        let mut state = lock(&self.state);
        let changes = match self.pending.take() {
            Some(changes) => changes,
            None => state
                .plan(&self.entry, varbinds)
                .map_err(|e| SetError::new(ErrorStatus::COMMIT_FAILED, e.index))?,
        };
        self.undo = state.apply(changes);
        Ok(())
    }

    fn undo_set(&mut self, _: &RequestInfo<'_>, _: &[VarBind]) -> Result<(), SetError> {
        let undo: Vec<Change> = self.undo.drain(..).rev().collect();
        lock(&self.state).apply(undo);
        Ok(())
    }

    fn cleanup_set(&mut self, _: &RequestInfo<'_>, _: &[VarBind]) {
        self.pending = None;
        self.undo.clear();
    }
}

/// The application's handle on the rows of a [`Table`]: clones share them with the
/// handler. Index values are checked against the table's INDEX clause; take the handle
/// once the table is defined.
#[derive(Clone, Debug)]
pub struct TableRows {
    state: Arc<Mutex<State>>,
}

impl TableRows {
    /// Adds or replaces the row `index`: the DEFVALs, the index columns, then `cells`; a
    /// table with a RowStatus column not among `cells` gets it `active`.
    ///
    /// # Errors
    /// When `index` does not fit the INDEX clause.
    pub fn insert_row(
        &self,
        index: &[IndexValue],
        cells: impl IntoIterator<Item = (u32, Value)>,
    ) -> Result<(), IndexError> {
        let mut state = lock(&self.state);
        let key = encode_index(&state.index_syntax(), index)?;
        let mut row = state.new_row(index);
        row.extend(cells);
        if let Some(c) = state.row_status {
            row.entry(c)
                .or_insert(Value::Integer(RowStatus::Active.code()));
        }
        state.rows.insert(key, row);
        Ok(())
    }

    /// Deletes the row `index`; whether there was one.
    ///
    /// # Errors
    /// When `index` does not fit the INDEX clause.
    pub fn remove_row(&self, index: &[IndexValue]) -> Result<bool, IndexError> {
        let mut state = lock(&self.state);
        let key = encode_index(&state.index_syntax(), index)?;
        Ok(state.rows.remove(&key).is_some())
    }

    /// Sets one cell of the row `index`; whether the row exists.
    ///
    /// # Errors
    /// When `index` does not fit the INDEX clause.
    pub fn set_cell(
        &self,
        index: &[IndexValue],
        column: u32,
        value: impl Into<Value>,
    ) -> Result<bool, IndexError> {
        let mut state = lock(&self.state);
        let key = encode_index(&state.index_syntax(), index)?;
        Ok(state
            .rows
            .get_mut(&key)
            .map(|row| row.insert(column, value.into()))
            .is_some())
    }

    /// The value of one cell, if its row exists and it has one.
    pub fn cell(&self, index: &[IndexValue], column: u32) -> Option<Value> {
        self.row(index)?.remove(&column)
    }

    /// The cells of the row `index` by column, if it exists.
    pub fn row(&self, index: &[IndexValue]) -> Option<BTreeMap<u32, Value>> {
        let state = lock(&self.state);
        let key = encode_index(&state.index_syntax(), index).ok()?;
        state.rows.get(&key).cloned()
    }

    /// The RowStatus of the row `index`, if it exists and the table has a status column.
    pub fn status(&self, index: &[IndexValue]) -> Option<RowStatus> {
        let state = lock(&self.state);
        let key = encode_index(&state.index_syntax(), index).ok()?;
        state.status_of(state.rows.get(&key)?)
    }

    /// The indexes of the rows, in order.
    pub fn indexes(&self) -> Vec<Vec<IndexValue>> {
        let state = lock(&self.state);
        let syntax = state.index_syntax();
        state
            .rows
            .keys()
            .filter_map(|key| decode_index(&syntax, key).ok())
            .collect()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        lock(&self.state).rows.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        lock(&self.state).rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use snmp_smi::oid;

    use super::super::tests::info;
    use super::*;

    const ENTRY: Oid = oid!(1, 3, 6, 1, 4, 1, 99999, 3, 1);
    const ACTIVE: i32 = 1;
    const NOT_IN_SERVICE: i32 = 2;
    const NOT_READY: i32 = 3;
    const CREATE_AND_GO: i32 = 4;
    const CREATE_AND_WAIT: i32 = 5;
    const DESTROY: i32 = 6;

    /// INDEX { peerAddr (IpAddress, read-only), peerName (OCTET STRING, not-accessible) };
    /// 3 peerPackets Counter32 read-only; 4 peerDescr DisplayString read-create (required);
    /// 5 peerStatus RowStatus; 6 peerWeight INTEGER (1..10) read-create DEFVAL { 5 }.
    fn peers() -> (Table, TableRows) {
        let table = Table::new(ENTRY)
            .index_column(1, IndexSyntax::IpAddress, Access::ReadOnly)
            .index_column(2, IndexSyntax::OctetString, Access::NotAccessible)
            .column(3, Column::new(Syntax::counter32(), Access::ReadOnly))
            .column(4, Column::new(Syntax::display_string(), Access::ReadCreate))
            .row_status(5)
            .column(
                6,
                Column::new(Syntax::integer().range(1, 10), Access::ReadCreate).default_value(5),
            );
        let rows = table.rows();
        (table, rows)
    }

    fn key(ip: [u8; 4], name: &'static str) -> Vec<IndexValue> {
        vec![IndexValue::IpAddress(ip), name.into()]
    }

    fn arcs(ip: [u8; 4], name: &str) -> Vec<u32> {
        let mut arcs: Vec<u32> = ip.iter().map(|&o| u32::from(o)).collect();
        arcs.push(u32::try_from(name.len()).unwrap());
        arcs.extend(name.bytes().map(u32::from));
        arcs
    }

    fn inst(column: u32, index: &[u32]) -> Oid {
        ENTRY.child(column).unwrap().extend(index).unwrap()
    }

    /// A whole SET: test, commit, cleanup.
    fn set(table: &mut Table, varbinds: &[VarBind]) -> Result<(), SetError> {
        let info = info();
        let result = table
            .test_set(&info, varbinds)
            .and_then(|()| table.commit_set(&info, varbinds));
        table.cleanup_set(&info, varbinds);
        result
    }

    fn filled() -> (Table, TableRows) {
        let (table, rows) = peers();
        let ip1 = [10, 0, 0, 1];
        rows.insert_row(
            &key([10, 0, 0, 2], "b"),
            [(3, Value::Counter32(30)), (4, "two-b".into())],
        )
        .unwrap();
        // No peerPackets in this row: GETNEXT skips the empty cell.
        rows.insert_row(&key(ip1, "zz"), [(4, "one-zz".into())])
            .unwrap();
        rows.insert_row(
            &key(ip1, "a"),
            [(3, Value::Counter32(10)), (4, "one-a".into())],
        )
        .unwrap();
        (table, rows)
    }

    #[test]
    fn get_next_is_column_major_in_index_order() {
        let (mut table, _) = filled();
        let info = info();
        let a = arcs([10, 0, 0, 1], "a");
        let zz = arcs([10, 0, 0, 1], "zz");
        let b = arcs([10, 0, 0, 2], "b");
        let mut walked = Vec::new();
        let mut cursor = ENTRY.parent().unwrap();
        while let Some(vb) = table.get_next(&info, &cursor) {
            assert!(vb.oid > cursor);
            cursor = vb.oid.clone();
            walked.push(vb);
        }
        let expected = [
            (inst(1, &a), Value::IpAddress([10, 0, 0, 1])),
            (inst(1, &zz), Value::IpAddress([10, 0, 0, 1])),
            (inst(1, &b), Value::IpAddress([10, 0, 0, 2])),
            // Column 2 is not-accessible; zz has no column 3.
            (inst(3, &a), Value::Counter32(10)),
            (inst(3, &b), Value::Counter32(30)),
            (inst(4, &a), "one-a".into()),
            (inst(4, &zz), "one-zz".into()),
            (inst(4, &b), "two-b".into()),
            (inst(5, &a), Value::Integer(ACTIVE)),
            (inst(5, &zz), Value::Integer(ACTIVE)),
            (inst(5, &b), Value::Integer(ACTIVE)),
            (inst(6, &a), Value::Integer(5)),
            (inst(6, &zz), Value::Integer(5)),
            (inst(6, &b), Value::Integer(5)),
        ];
        let expected: Vec<VarBind> = expected
            .into_iter()
            .map(|(oid, value)| VarBind::new(oid, value))
            .collect();
        assert_eq!(walked, expected);

        // From inside the not-accessible column, a partial index, past the end.
        assert_eq!(
            table.get_next(&info, &inst(2, &b)).unwrap().oid,
            inst(3, &a)
        );
        assert_eq!(
            table
                .get_next(&info, &inst(4, &[10, 0, 0, 1, 2]))
                .unwrap()
                .oid,
            inst(4, &zz)
        );
        assert_eq!(
            table.get_next(&info, &inst(3, &b)).unwrap().oid,
            inst(4, &a)
        );
        assert_eq!(table.get_next(&info, &ENTRY).unwrap().oid, inst(1, &a));
        assert_eq!(
            table.get_next(&info, &inst(6, &a)).unwrap().oid,
            inst(6, &zz)
        );
        assert!(table.get_next(&info, &inst(6, &b)).is_none());
        assert!(table.get_next(&info, &inst(7, &[])).is_none());
        assert!(
            table
                .get_next(&info, &oid!(1, 3, 6, 1, 4, 1, 99999, 3, 2))
                .is_none()
        );
    }

    #[test]
    fn get_answers_cells_and_exceptions() {
        let (mut table, _) = filled();
        let info = info();
        let a = arcs([10, 0, 0, 1], "a");
        let zz = arcs([10, 0, 0, 1], "zz");
        assert_eq!(table.get(&info, &inst(4, &a)), Value::from("one-a"));
        assert_eq!(
            table.get(&info, &inst(1, &a)),
            Value::IpAddress([10, 0, 0, 1])
        );
        assert_eq!(table.get(&info, &inst(2, &a)), Value::NoSuchObject);
        assert_eq!(table.get(&info, &inst(9, &a)), Value::NoSuchObject);
        assert_eq!(table.get(&info, &ENTRY), Value::NoSuchObject);
        assert_eq!(table.get(&info, &inst(3, &zz)), Value::NoSuchInstance);
        assert_eq!(
            table.get(&info, &inst(4, &[10, 0, 0, 1])),
            Value::NoSuchInstance
        );
        assert_eq!(table.get(&info, &inst(4, &[])), Value::NoSuchInstance);
    }

    #[test]
    fn set_errors() {
        let (mut table, rows) = filled();
        let a = arcs([10, 0, 0, 1], "a");
        let new = arcs([10, 0, 0, 9], "new");
        let long = "x".repeat(256);
        let cases: Vec<(Vec<VarBind>, ErrorStatus, usize)> = vec![
            (
                vec![VarBind::new(inst(3, &a), Value::Counter32(1))],
                ErrorStatus::NOT_WRITABLE,
                0,
            ),
            (
                vec![VarBind::new(inst(1, &a), Value::IpAddress([1, 1, 1, 1]))],
                ErrorStatus::NOT_WRITABLE,
                0,
            ),
            (
                vec![VarBind::new(inst(2, &a), "a")],
                ErrorStatus::NOT_WRITABLE,
                0,
            ),
            (
                vec![VarBind::new(inst(9, &a), 1)],
                ErrorStatus::NOT_WRITABLE,
                0,
            ),
            (vec![VarBind::new(ENTRY, 1)], ErrorStatus::NOT_WRITABLE, 0),
            (
                vec![
                    VarBind::new(inst(4, &a), "ok"),
                    VarBind::new(inst(4, &a), 1),
                ],
                ErrorStatus::WRONG_TYPE,
                1,
            ),
            (
                vec![VarBind::new(inst(4, &a), long)],
                ErrorStatus::WRONG_LENGTH,
                0,
            ),
            (
                vec![VarBind::new(inst(6, &a), 11)],
                ErrorStatus::WRONG_VALUE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &a), "active")],
                ErrorStatus::WRONG_TYPE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &a), NOT_READY)],
                ErrorStatus::WRONG_VALUE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &a), 7)],
                ErrorStatus::WRONG_VALUE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &a), 0)],
                ErrorStatus::WRONG_VALUE,
                0,
            ),
            // A read-create column of a missing row, without the status: RFC 3416's
            // inconsistentName (a request with createAndGo could create it).
            (
                vec![VarBind::new(inst(4, &new), "x")],
                ErrorStatus::INCONSISTENT_NAME,
                0,
            ),
            // The index does not decode (an octet above 255, a short IpAddress).
            (
                vec![
                    VarBind::new(inst(5, &[10, 0, 0, 9, 1, 300]), CREATE_AND_GO),
                    VarBind::new(inst(4, &[10, 0, 0, 9, 1, 300]), "x"),
                ],
                ErrorStatus::NO_CREATION,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &[10, 0]), CREATE_AND_WAIT)],
                ErrorStatus::NO_CREATION,
                0,
            ),
            // createAndGo without the required peerDescr.
            (
                vec![
                    VarBind::new(inst(6, &new), 3),
                    VarBind::new(inst(5, &new), CREATE_AND_GO),
                ],
                ErrorStatus::INCONSISTENT_VALUE,
                1,
            ),
            // Creating a row that exists; activating one that does not.
            (
                vec![
                    VarBind::new(inst(5, &a), CREATE_AND_GO),
                    VarBind::new(inst(4, &a), "x"),
                ],
                ErrorStatus::INCONSISTENT_VALUE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &a), CREATE_AND_WAIT)],
                ErrorStatus::INCONSISTENT_VALUE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &new), ACTIVE)],
                ErrorStatus::INCONSISTENT_VALUE,
                0,
            ),
            (
                vec![VarBind::new(inst(5, &new), NOT_IN_SERVICE)],
                ErrorStatus::INCONSISTENT_VALUE,
                0,
            ),
            // One good row, then one bad: the error points at the bad row's binding.
            (
                vec![
                    VarBind::new(inst(4, &a), "fine"),
                    VarBind::new(inst(5, &new), CREATE_AND_GO),
                ],
                ErrorStatus::INCONSISTENT_VALUE,
                1,
            ),
        ];
        let before = rows.indexes().len();
        for (varbinds, status, index) in cases {
            assert_eq!(
                set(&mut table, &varbinds),
                Err(SetError::new(status, index)),
                "{varbinds:?}"
            );
        }
        assert_eq!(rows.indexes().len(), before);
        assert_eq!(rows.cell(&key([10, 0, 0, 1], "a"), 4), Some("one-a".into()));
    }

    #[test]
    fn create_and_go_then_destroy() {
        let (mut table, rows) = peers();
        let info = info();
        let idx = arcs([192, 0, 2, 7], "gw");
        let go = [
            VarBind::new(inst(4, &idx), "gateway"),
            VarBind::new(inst(5, &idx), CREATE_AND_GO),
        ];
        set(&mut table, &go).unwrap();
        assert_eq!(
            rows.status(&key([192, 0, 2, 7], "gw")),
            Some(RowStatus::Active)
        );
        assert_eq!(table.get(&info, &inst(5, &idx)), Value::Integer(ACTIVE));
        assert_eq!(
            table.get(&info, &inst(6, &idx)),
            Value::Integer(5),
            "DEFVAL"
        );
        assert_eq!(
            table.get(&info, &inst(1, &idx)),
            Value::IpAddress([192, 0, 2, 7])
        );
        assert_eq!(table.get(&info, &inst(4, &idx)), Value::from("gateway"));
        // An active row takes new values and stays active.
        set(&mut table, &[VarBind::new(inst(6, &idx), 9)]).unwrap();
        assert_eq!(
            rows.cell(&key([192, 0, 2, 7], "gw"), 6),
            Some(Value::Integer(9))
        );
        assert_eq!(
            rows.status(&key([192, 0, 2, 7], "gw")),
            Some(RowStatus::Active)
        );
        // Destroy deletes it, with any other binding of the row; destroying it again is a no-op.
        let destroy = [
            VarBind::new(inst(4, &idx), "gone"),
            VarBind::new(inst(5, &idx), DESTROY),
        ];
        set(&mut table, &destroy).unwrap();
        assert!(rows.is_empty());
        assert_eq!(table.get(&info, &inst(5, &idx)), Value::NoSuchInstance);
        set(&mut table, &destroy[1..]).unwrap();
        assert!(rows.is_empty());
    }

    #[test]
    fn create_and_wait_then_activate() {
        let (mut table, rows) = peers();
        let idx = arcs([192, 0, 2, 8], "");
        let k = key([192, 0, 2, 8], "");
        set(&mut table, &[VarBind::new(inst(5, &idx), CREATE_AND_WAIT)]).unwrap();
        assert_eq!(rows.status(&k), Some(RowStatus::NotReady));
        // Not ready: neither active nor notInService may be set.
        for wanted in [ACTIVE, NOT_IN_SERVICE] {
            assert_eq!(
                set(&mut table, &[VarBind::new(inst(5, &idx), wanted)]),
                Err(SetError::new(ErrorStatus::INCONSISTENT_VALUE, 0))
            );
        }
        // Setting the missing column makes it notInService.
        set(&mut table, &[VarBind::new(inst(4, &idx), "late")]).unwrap();
        assert_eq!(rows.status(&k), Some(RowStatus::NotInService));
        set(&mut table, &[VarBind::new(inst(5, &idx), ACTIVE)]).unwrap();
        assert_eq!(rows.status(&k), Some(RowStatus::Active));
        set(&mut table, &[VarBind::new(inst(5, &idx), NOT_IN_SERVICE)]).unwrap();
        assert_eq!(rows.status(&k), Some(RowStatus::NotInService));
        // createAndWait with every column: notInService at once.
        let other = arcs([192, 0, 2, 9], "x");
        set(
            &mut table,
            &[
                VarBind::new(inst(5, &other), CREATE_AND_WAIT),
                VarBind::new(inst(4, &other), "all"),
            ],
        )
        .unwrap();
        assert_eq!(
            rows.status(&key([192, 0, 2, 9], "x")),
            Some(RowStatus::NotInService)
        );
        // Activation together with the missing value, in one request.
        let third = arcs([192, 0, 2, 10], "y");
        set(
            &mut table,
            &[VarBind::new(inst(5, &third), CREATE_AND_WAIT)],
        )
        .unwrap();
        set(
            &mut table,
            &[
                VarBind::new(inst(5, &third), ACTIVE),
                VarBind::new(inst(4, &third), "now"),
            ],
        )
        .unwrap();
        assert_eq!(
            rows.status(&key([192, 0, 2, 10], "y")),
            Some(RowStatus::Active)
        );
    }

    #[test]
    fn undo_after_commit_restores_rows() {
        let (mut table, rows) = filled();
        let info = info();
        let before: Vec<_> = rows
            .indexes()
            .iter()
            .map(|k| (k.clone(), rows.row(k).unwrap()))
            .collect();
        let a = arcs([10, 0, 0, 1], "a");
        let zz = arcs([10, 0, 0, 1], "zz");
        let new = arcs([10, 0, 0, 3], "c");
        let set = [
            VarBind::new(inst(4, &a), "changed"),
            VarBind::new(inst(5, &zz), DESTROY),
            VarBind::new(inst(5, &new), CREATE_AND_GO),
            VarBind::new(inst(4, &new), "created"),
        ];
        table.test_set(&info, &set).unwrap();
        // Nothing changes before the commit.
        assert_eq!(rows.len(), 3);
        table.commit_set(&info, &set).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows.cell(&key([10, 0, 0, 1], "a"), 4),
            Some("changed".into())
        );
        assert!(rows.row(&key([10, 0, 0, 1], "zz")).is_none());
        assert_eq!(
            rows.status(&key([10, 0, 0, 3], "c")),
            Some(RowStatus::Active)
        );
        table.undo_set(&info, &set).unwrap();
        table.cleanup_set(&info, &set);
        let after: Vec<_> = rows
            .indexes()
            .iter()
            .map(|k| (k.clone(), rows.row(k).unwrap()))
            .collect();
        assert_eq!(after, before);
    }

    #[test]
    fn without_row_status_rows_are_never_created() {
        let table = Table::new(ENTRY)
            .index(IndexSyntax::Integer)
            .column(2, Column::new(Syntax::integer(), Access::ReadWrite))
            .column(3, Column::new(Syntax::integer(), Access::ReadCreate));
        let rows = table.rows();
        let mut table = table;
        rows.insert_row(&[IndexValue::Integer(1)], [(2, Value::Integer(0))])
            .unwrap();
        set(&mut table, &[VarBind::new(inst(2, &[1]), 42)]).unwrap();
        assert_eq!(
            rows.cell(&[IndexValue::Integer(1)], 2),
            Some(Value::Integer(42))
        );
        assert_eq!(rows.status(&[IndexValue::Integer(1)]), None);
        for column in [2, 3] {
            assert_eq!(
                set(&mut table, &[VarBind::new(inst(column, &[2]), 42)]),
                Err(SetError::new(ErrorStatus::NO_CREATION, 0))
            );
        }
        assert_eq!(rows.len(), 1);
    }

    /// INDEX { Integer, OCTET STRING (SIZE (2)), IMPLIED OBJECT IDENTIFIER }: rows in OID
    /// order of their sub-identifiers, whatever the order of insertion.
    #[test]
    fn get_next_orders_integer_fixed_and_implied_indexes() {
        let table = Table::new(ENTRY)
            .index(IndexSyntax::Integer)
            .index(IndexSyntax::FixedOctetString(2))
            .index(IndexSyntax::ImpliedObjectIdentifier)
            .column(4, Column::new(Syntax::integer(), Access::ReadOnly));
        let rows = table.rows();
        let mut table = table;
        let info = info();
        let inserted: [(u32, &'static str, Oid); 5] = [
            (2, "aa", oid!(1)),
            (1, "zz", oid!(1, 3)),
            (1, "ab", oid!(1, 3, 6)),
            (1, "ab", oid!(1, 3)),
            (1, "ab", oid!(2)),
        ];
        for (n, (i, s, o)) in inserted.iter().enumerate() {
            let cells = [(4, Value::Integer(i32::try_from(n).unwrap()))];
            rows.insert_row(&[(*i).into(), (*s).into(), o.clone().into()], cells)
                .unwrap();
        }
        let mut walked = Vec::new();
        let mut cursor = ENTRY;
        while let Some(vb) = table.get_next(&info, &cursor) {
            cursor = vb.oid.clone();
            walked.push(vb.value);
        }
        let order: [i32; 5] = [3, 2, 4, 1, 0];
        assert_eq!(walked, order.map(Value::Integer));
        assert_eq!(
            table.get(&info, &inst(4, &[1, 97, 98, 1, 3, 6])),
            Value::Integer(2)
        );
        assert_eq!(
            table.get(&info, &inst(4, &[1, 97, 98, 1])),
            Value::NoSuchInstance
        );
    }

    #[test]
    fn rows_handle() {
        let (_table, rows) = peers();
        let k = key([10, 0, 0, 1], "a");
        assert!(rows.is_empty());
        assert_eq!(
            rows.insert_row(&[IndexValue::Integer(1)], []),
            Err(IndexError::Count {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            rows.insert_row(&[IndexValue::Integer(1), "a".into()], []),
            Err(IndexError::Mismatch { part: 0 })
        );
        rows.insert_row(&k, [(5, Value::Integer(NOT_IN_SERVICE))])
            .unwrap();
        assert_eq!(rows.status(&k), Some(RowStatus::NotInService));
        assert_eq!(rows.cell(&k, 6), Some(Value::Integer(5)));
        assert_eq!(rows.set_cell(&k, 3, Value::Counter32(1)), Ok(true));
        assert_eq!(
            rows.set_cell(&key([1, 1, 1, 1], "a"), 3, Value::Counter32(1)),
            Ok(false)
        );
        assert_eq!(rows.cell(&k, 3), Some(Value::Counter32(1)));
        assert_eq!(rows.indexes(), std::slice::from_ref(&k));
        assert_eq!(rows.remove_row(&k), Ok(true));
        assert_eq!(rows.remove_row(&k), Ok(false));
        assert!(rows.is_empty());
    }
}
