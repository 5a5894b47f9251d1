//! net-snmp's `snmptable`: a MIB table read column by column and printed as aligned rows
//! (`snmp table ARGS` or a link named `snmptable`).

use std::collections::HashMap;
use std::fmt::Write as _;

use snmp_hlapi::{Error, ErrorStatus, Oid, VarBind};
use snmp_mib::{Access, BaseType, Mib};

use crate::format::OutputOptions;
use crate::tools::{EXIT_FAIL, EXIT_OK, EXIT_PACKET, Session, Version, parse_oid};

/// snmptable's `-C` options.
#[derive(Clone, Debug)]
pub(crate) struct TableOptions {
    /// `-Cf SEP`: fields separated by SEP, not aligned.
    separator: Option<String>,
    /// `-CH`: no headers.
    no_headers: bool,
    /// `-Ch`: only the column headers (nothing is fetched).
    headers_only: bool,
    /// `-Ci`: the index first, as a column.
    index: bool,
    /// `-Cb`: column names without their common prefix.
    brief: bool,
    /// `-Cl`: left-aligned columns.
    left: bool,
    /// `-Cw WIDTH`: the table in parts no wider than WIDTH (0: one part).
    max_width: usize,
    /// `-Cc WIDTH`: every column WIDTH wide, this less one for the text (0: as wide as
    /// their widest cell).
    column_width: usize,
    /// `-Cr N`: max-repetitions of the GETBULKs, or rows per round of GETNEXTs.
    repetitions: u32,
    /// `-CB`: GETNEXT, not GETBULK.
    getnext: bool,
}

impl Default for TableOptions {
    fn default() -> Self {
        Self {
            separator: None,
            no_headers: false,
            headers_only: false,
            index: false,
            brief: false,
            left: false,
            max_width: 0,
            column_width: 0,
            repetitions: 10,
            getnext: false,
        }
    }
}

/// C's `atoi`: the leading decimal digits (after blanks and a sign), 0 when none.
fn atoi(text: &str) -> i64 {
    let t = text.trim_start();
    let (negative, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let n = digits
        .bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0i64, |n, d| {
            n.saturating_mul(10).saturating_add(i64::from(d - b'0'))
        });
    if negative { -n } else { n }
}

impl TableOptions {
    /// A `-C` letter without a value; false for an unknown one.
    pub(crate) fn flag(&mut self, c: char) -> bool {
        match c {
            'H' => self.no_headers = true,
            'h' => self.headers_only = true,
            'i' => self.index = true,
            'b' => self.brief = true,
            'l' => self.left = true,
            'B' => self.getnext = true,
            // Those with values, set by `set`.
            'f' | 'w' | 'c' | 'r' => {}
            _ => return false,
        }
        true
    }

    /// A `-C` letter that takes the next argument (`f w c r`); the error is snmptable's
    /// message (`Bad -Cw option: x`).
    pub(crate) fn set(&mut self, c: char, value: &str) -> Result<(), String> {
        let bad = || format!("Bad -C{c} option: {value}");
        match c {
            'f' => self.separator = Some(value.to_owned()),
            'w' => {
                // atoi: a negative width is taken as no limit, as a huge one.
                self.max_width = match atoi(value) {
                    0 => return Err(bad()),
                    n => usize::try_from(n).unwrap_or(usize::MAX),
                };
            }
            'c' => {
                let n = atoi(value);
                if n <= 2 {
                    return Err(bad());
                }
                // One character of the width is the space between columns.
                self.column_width = usize::try_from(n - 1).map_err(|_| bad())?;
            }
            'r' => {
                // net-snmp puts atoi's int in the PDU; a negative one is refused here.
                self.repetitions = u32::try_from(atoi(value))
                    .ok()
                    .filter(|n| *n != 0)
                    .ok_or_else(bad)?;
            }
            _ => {}
        }
        Ok(())
    }
}

/// The readable columns of `table`: `(last arc, name)` in OID order, or `None` when it is not
/// a table.
fn columns(mib: &Mib, table: &Oid) -> Option<(Oid, Vec<(u32, String)>)> {
    let object = mib.object_at(table)?;
    if object.base_type != Some(BaseType::SequenceOf) {
        return None;
    }
    let entry = table.extend(&[1]).ok()?;
    let mut cols: Vec<(u32, String)> = mib
        .objects()
        .filter(|o| o.oid.parent().as_ref() == Some(&entry))
        .filter(|o| mib.object_at(&o.oid).is_some_and(|c| std::ptr::eq(c, *o)))
        .filter(|o| o.access.is_some_and(|a| a != Access::NotAccessible))
        .filter_map(|o| Some((*o.oid.as_slice().last()?, o.name.clone())))
        .collect();
    cols.sort_by_key(|c| c.0);
    Some((entry, cols))
}

/// The longest prefix the names share (`-Cb` leaves it out).
fn common_prefix(names: &[String]) -> usize {
    let Some(first) = names.first() else {
        return 0;
    };
    let mut len = first.len();
    for n in names {
        len = first
            .bytes()
            .zip(n.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    len
}

/// The rows read so far: each index (as printed) with its cells, in the order the agent
/// gave them, and the widths they need.
struct Rows {
    /// `(index, cells)`, a cell per column.
    rows: Vec<(String, Vec<Option<String>>)>,
    /// The row of each index.
    at: HashMap<String, usize>,
}

impl Rows {
    fn new() -> Self {
        Self {
            rows: Vec::new(),
            at: HashMap::new(),
        }
    }

    /// The row of `index`, added when new.
    fn row(&mut self, index: &str, columns: usize) -> usize {
        if let Some(&r) = self.at.get(index) {
            return r;
        }
        self.rows.push((index.to_owned(), vec![None; columns]));
        self.at.insert(index.to_owned(), self.rows.len() - 1);
        self.rows.len() - 1
    }
}

/// How the table is printed: its columns and their widths, which grow with each batch of
/// rows (snmptable prints its GETNEXT rounds one batch at a time).
struct Printer {
    title: String,
    labels: Vec<String>,
    widths: Vec<usize>,
    index_width: usize,
    first_pass: bool,
}

impl Printer {
    /// Widens the columns for these rows.
    fn measure(&mut self, rows: &Rows) {
        for (index, cells) in &rows.rows {
            self.index_width = self.index_width.max(index.len());
            for (w, cell) in self.widths.iter_mut().zip(cells) {
                if let Some(c) = cell {
                    *w = (*w).max(c.len());
                }
            }
        }
    }

    /// Prints a batch of rows as snmptable's `print_table`.
    fn print(&mut self, t: &TableOptions, rows: &Rows, out: &mut String) {
        let cw = t.column_width;
        let pad = |text: &str, width: usize, out: &mut String| {
            let shown: String = if cw > 0 {
                text.chars().take(cw).collect()
            } else {
                text.to_owned()
            };
            if t.left {
                let _ = write!(out, "{shown:<width$}");
            } else {
                let _ = write!(out, "{shown:>width$}");
            }
        };
        // One field as its printf format prints it.
        let field = |i: usize, text: &str, out: &mut String| {
            if cw > 0 {
                pad(text, cw + 1, out);
            } else if let Some(sep) = &t.separator {
                if i > 0 || t.index {
                    out.push_str(sep);
                }
                out.push_str(text);
            } else {
                pad(text, self.widths.get(i).copied().unwrap_or(0) + 1, out);
            }
        };
        let index = |text: &str, out: &mut String| {
            if cw > 0 {
                let _ = write!(out, "\nindex: {text}\n");
            } else if t.separator.is_some() {
                out.push_str(text);
            } else {
                pad(text, self.index_width, out);
            }
        };
        let headers = !t.no_headers && self.first_pass;
        if headers && !t.headers_only {
            let _ = write!(out, "SNMP table: {}\n\n", self.title);
        }
        let fields = self.labels.len();
        let mut last = 0;
        let mut part = 0;
        while last != fields {
            part += 1;
            if part != 1 && !t.no_headers {
                let _ = write!(out, "\nSNMP table {}, part {part}\n\n", self.title);
            }
            let first = last;
            let mut width = 0;
            if t.index && headers && cw == 0 {
                width = self.index_width;
                index("index", out);
            }
            let mut f = first;
            while f < fields {
                if t.max_width > 0 {
                    if cw > 0 {
                        if headers {
                            width += cw + 1;
                            if f != first && width > t.max_width {
                                out.push('\n');
                                width = cw + 1;
                            }
                        }
                    } else {
                        width += self.widths.get(f).copied().unwrap_or(0) + 1;
                        if f != first && width > t.max_width {
                            break;
                        }
                    }
                }
                if headers {
                    field(f, self.labels.get(f).map_or("", String::as_str), out);
                }
                f += 1;
            }
            last = f;
            if headers {
                out.push('\n');
            }
            for (text, cells) in &rows.rows {
                let mut width = 0;
                if t.index {
                    if cw == 0 {
                        width = self.index_width;
                    }
                    index(text, out);
                }
                for f in first..last {
                    if cw > 0 && t.max_width > 0 {
                        width += cw + 1;
                        if f != first && width > t.max_width {
                            out.push('\n');
                            width = cw + 1;
                        }
                    }
                    let cell = cells.get(f).cloned().flatten();
                    field(f, cell.as_deref().unwrap_or("?"), out);
                }
                out.push('\n');
            }
        }
        self.first_pass = false;
    }
}

/// The index of an instance as snmptable shows it: the instance's printed name after the
/// column's (`2`, `"grp".""`, `[2]` with `-OX`).
/// snmptable prints as `-Oq` does, `quick` (so an `-OX` string index has no `STRING: `).
fn index_text(quick: &OutputOptions, oid: &Oid, width: usize) -> String {
    let column =
        Oid::from_slice(oid.as_slice().get(..=width).unwrap_or_default()).unwrap_or_default();
    let full = quick.oid(oid);
    let head = quick.oid(&column);
    full.strip_prefix(&head)
        .map_or(full.as_str(), |r| r.strip_prefix('.').unwrap_or(r))
        .to_owned()
}

/// How a round of requests ended.
enum Round {
    /// More rows may follow.
    More,
    /// The table (or the MIB) ended.
    End,
    /// An error was reported; the exit status.
    Failed(u8),
}

/// Reads and prints the table named by the first operand.
pub(crate) async fn run(s: &mut Session<'_>) -> u8 {
    let Some(name) = s.o.operands.first().cloned() else {
        let _ = writeln!(s.err, "Missing table name");
        crate::tools::print_usage(s.tool, s.err);
        return EXIT_FAIL;
    };
    let table = match parse_oid(s.o.output.mib(), &name) {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(s.err, "{e}");
            return EXIT_FAIL;
        }
    };
    let title = s.o.output.oid(&table);
    let Some((entry, cols)) = s.o.output.mib().and_then(|m| columns(m, &table)) else {
        let _ = writeln!(s.err, "Was that a table? {title}");
        return EXIT_FAIL;
    };
    let t = s.o.table.clone();
    let skip = if t.brief {
        common_prefix(&cols.iter().map(|c| c.1.clone()).collect::<Vec<_>>())
    } else {
        0
    };
    let labels: Vec<String> = cols
        .iter()
        .map(|c| c.1.get(skip..).unwrap_or_default().to_owned())
        .collect();
    let mut printer = Printer {
        title: title.clone(),
        widths: labels.iter().map(String::len).collect(),
        labels,
        index_width: "index ".len(),
        first_pass: true,
    };
    let getnext = t.getnext || s.o.version == Version::V1;
    let mut total = 0usize;
    let mut extra_columns = false;
    // GETNEXT: the index of the last row read (the columns' entry OID at first).
    let mut next_index: Vec<u32> = Vec::new();
    loop {
        let mut rows = Rows::new();
        let round = if t.headers_only {
            Round::End
        } else if getnext {
            getnext_rows(s, &entry, &cols, &mut next_index, &mut rows).await
        } else {
            getbulk_rows(s, &entry, &cols, &mut rows, &mut extra_columns).await
        };
        if let Round::Failed(status) = round {
            return status;
        }
        total += rows.rows.len();
        if !rows.rows.is_empty() || t.headers_only {
            printer.measure(&rows);
            let mut text = String::new();
            printer.print(&t, &rows, &mut text);
            let _ = s.out.write_all(text.as_bytes());
            s.flush();
        }
        if matches!(round, Round::End) {
            break;
        }
    }
    if total == 0 {
        let _ = writeln!(s.out, "{title}: No entries");
    }
    if extra_columns {
        let _ = writeln!(s.out, "{title}: WARNING: More columns on agent than in MIB");
    }
    EXIT_OK
}

/// The error of a response: `End of MIB` on stdout for noSuchName, else net-snmp's report
/// and exit status 2.
fn response_error(s: &mut Session<'_>, e: &Error) -> Round {
    match e {
        Error::Status {
            status: ErrorStatus::NO_SUCH_NAME,
            ..
        } => {
            let _ = writeln!(s.out, "End of MIB");
            Round::End
        }
        Error::Status {
            status,
            index,
            varbind,
        } => {
            s.packet_error(true, *status, varbind.as_deref(), *index);
            Round::Failed(EXIT_PACKET)
        }
        other => Round::Failed(s.failure(other)),
    }
}

/// snmptable's GETBULK walk: from the entry, one binding at a time, `-Cr` repetitions,
/// until the table ends; the rows in the order they first appear.
async fn getbulk_rows(
    s: &mut Session<'_>,
    entry: &Oid,
    cols: &[(u32, String)],
    rows: &mut Rows,
    extra_columns: &mut bool,
) -> Round {
    let mut quick = s.o.output.clone();
    let _ = quick.apply("q");
    let width = entry.len();
    let mut name = entry.clone();
    loop {
        let result = s
            .manager
            .get_bulk(&s.target, &s.auth, 0, s.o.table.repetitions, [name.clone()])
            .await;
        let vbs: Vec<VarBind> = match result {
            Ok(v) => v,
            Err(e) => return response_error(s, &e),
        };
        if vbs.is_empty() {
            return Round::End;
        }
        for vb in &vbs {
            if !vb.oid.starts_with(entry) || vb.value.is_exception() {
                return Round::End;
            }
            name = vb.oid.clone();
            let Some(col) = vb
                .oid
                .as_slice()
                .get(width)
                .and_then(|c| cols.iter().position(|(arc, _)| arc == c))
            else {
                *extra_columns = true;
                continue;
            };
            let index = index_text(&quick, &vb.oid, width);
            let row = rows.row(&index, cols.len());
            let Some(cell) = rows.rows.get_mut(row).and_then(|r| r.1.get_mut(col)) else {
                continue;
            };
            if cell.is_some() {
                let _ = writeln!(s.err, "OID not increasing: {}", s.o.output.oid(&vb.oid));
                return Round::Failed(EXIT_PACKET);
            }
            *cell = Some(quick.value_at(&vb.oid, &vb.value).replace('\n', " "));
        }
    }
}

/// snmptable's GETNEXT rounds (`-CB`, SNMPv1): a GETNEXT of every column after the last
/// row's index gives the next row (its index is the first column's in the table; a cell
/// of another index is left out), `-Cr` rows per round unless `-Cw` alone is given.
async fn getnext_rows(
    s: &mut Session<'_>,
    entry: &Oid,
    cols: &[(u32, String)],
    index: &mut Vec<u32>,
    rows: &mut Rows,
) -> Round {
    let mut quick = s.o.output.clone();
    let _ = quick.apply("q");
    let width = entry.len();
    let t = &s.o.table;
    let unlimited = t.max_width > 0 && t.column_width == 0;
    let limit = usize::try_from(t.repetitions).unwrap_or(usize::MAX);
    while unlimited || rows.rows.len() < limit {
        let oids: Vec<Oid> = cols
            .iter()
            .filter_map(|(arc, _)| {
                let mut arcs = entry.as_slice().to_vec();
                arcs.push(*arc);
                arcs.extend_from_slice(index);
                Oid::from_slice(&arcs).ok()
            })
            .collect();
        let vbs = match s.manager.get_next(&s.target, &s.auth, oids).await {
            Ok(v) => v,
            Err(e) => return response_error(s, &e),
        };
        let mut current: Option<Vec<u32>> = None;
        let mut cells = vec![None; cols.len()];
        let mut text = String::new();
        for (col, vb) in vbs.iter().enumerate() {
            let arcs = vb.oid.as_slice();
            let in_column = cols.get(col).is_some_and(|(arc, _)| {
                arcs.len() > width
                    && arcs.starts_with(entry.as_slice())
                    && arcs.get(width) == Some(arc)
            });
            if !in_column || vb.value == snmp_hlapi::Value::EndOfMibView {
                continue;
            }
            let instance = arcs.get(width + 1..).unwrap_or_default();
            match &current {
                None => {
                    current = Some(instance.to_vec());
                    text = index_text(&quick, &vb.oid, width);
                }
                Some(c) if c.as_slice() != instance => continue,
                Some(_) => {}
            }
            if let Some(cell) = cells.get_mut(col) {
                *cell = Some(quick.value_at(&vb.oid, &vb.value).replace('\n', " "));
            }
        }
        let Some(found) = current else {
            return Round::End;
        };
        *index = found;
        let row = rows.row(&text, cols.len());
        if let Some(r) = rows.rows.get_mut(row) {
            r.1 = cells;
        }
    }
    Round::More
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_names_lose_their_common_prefix() {
        let names = ["vacmAccessContextMatch", "vacmAccessReadViewName"].map(str::to_owned);
        assert_eq!(common_prefix(&names), "vacmAccess".len());
        assert_eq!(common_prefix(&[]), 0);
        let mut t = TableOptions::default();
        assert!(t.flag('H') && t.flag('i') && !t.flag('z'));
        t.set('f', ",").unwrap();
        assert_eq!(t.separator.as_deref(), Some(","));
        // snmptable's -Cw, -Cc, -Cr: C's atoi, and its refusals.
        t.set('w', "80x").unwrap();
        t.set('c', "12").unwrap();
        t.set('r', "3").unwrap();
        assert_eq!((t.max_width, t.column_width, t.repetitions), (80, 11, 3));
        assert_eq!(t.set('w', "x").unwrap_err(), "Bad -Cw option: x");
        assert_eq!(t.set('c', "2").unwrap_err(), "Bad -Cc option: 2");
        assert!(t.set('r', "0").is_err() && t.set('r', "-4").is_err());
        assert_eq!((atoi(" -12a"), atoi("+7"), atoi("")), (-12, 7, 0));
        assert!(t.flag('h') && t.flag('B') && t.headers_only && t.getnext);
    }
}
