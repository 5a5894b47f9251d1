//! net-snmp's `snmptable`: a MIB table read column by column and printed as aligned rows
//! (`snmp table ARGS` or a link named `snmptable`).

use std::collections::{BTreeMap, HashMap};

use snmp_hlapi::{Error, ErrorStatus, Oid, VarBind};
use snmp_mib::{Access, BaseType, Mib};

use crate::tools::{EXIT_FAIL, EXIT_OK, Session, Version, parse_oid};

/// snmptable's `-C` options.
#[derive(Clone, Debug, Default)]
pub(crate) struct TableOptions {
    /// `-Cf SEP`: fields separated by SEP, not aligned.
    separator: Option<String>,
    /// `-CH`: no headers.
    no_headers: bool,
    /// `-Ci`: the index first, as a column.
    index: bool,
    /// `-Cb`: column names without their common prefix.
    brief: bool,
    /// `-Cl`: left-aligned columns.
    left: bool,
}

impl TableOptions {
    /// A `-C` letter without a value; false for an unknown one.
    pub(crate) fn flag(&mut self, c: char) -> bool {
        match c {
            'H' => self.no_headers = true,
            'i' => self.index = true,
            'b' => self.brief = true,
            'l' => self.left = true,
            // -Ch (headers only), -CB (no GETBULK), and those with values: accepted.
            'h' | 'B' | 'f' | 'w' | 'c' | 'r' => {}
            _ => return false,
        }
        true
    }

    /// A `-C` letter that takes the next argument (`f w c r`).
    pub(crate) fn set(&mut self, c: char, value: &str) {
        if c == 'f' {
            self.separator = Some(value.to_owned());
        }
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
    // Cells by index (the instance arcs after the column), then by column arc.
    let mut rows: BTreeMap<Oid, (String, HashMap<u32, String>)> = BTreeMap::new();
    let mut quick = s.o.output.clone();
    let _ = quick.apply("q");
    let mut name_oid = entry.clone();
    let width = entry.len();
    loop {
        let result = if s.o.version == Version::V1 {
            s.manager
                .get_next(&s.target, &s.auth, [name_oid.clone()])
                .await
        } else {
            s.manager
                .get_bulk(&s.target, &s.auth, 0, 10, [name_oid.clone()])
                .await
        };
        let vbs: Vec<VarBind> = match result {
            Ok(v) => v,
            Err(Error::Status {
                status: ErrorStatus::NO_SUCH_NAME,
                ..
            }) => break,
            Err(Error::Status {
                status,
                index,
                varbind,
            }) => {
                s.packet_error(true, status, varbind.as_deref(), index);
                return EXIT_FAIL;
            }
            Err(e) => return s.failure(&e),
        };
        let mut more = !vbs.is_empty();
        for vb in &vbs {
            if !vb.oid.starts_with(&entry) || vb.value.is_exception() || vb.oid <= name_oid {
                more = false;
                break;
            }
            name_oid = vb.oid.clone();
            let arcs = vb.oid.as_slice();
            let (Some(&col), Some(index)) = (arcs.get(width), arcs.get(width + 1..)) else {
                continue;
            };
            let Ok(index) = Oid::from_slice(index) else {
                continue;
            };
            let value = quick.value_at(&vb.oid, &vb.value);
            let row = rows.entry(index).or_insert_with(|| {
                // The index as net-snmp shows it: the instance's name after the column's.
                let column =
                    Oid::from_slice(arcs.get(..=width).unwrap_or_default()).unwrap_or_default();
                let full = s.o.output.oid(&vb.oid);
                let head = s.o.output.oid(&column);
                let text = full
                    .strip_prefix(&head)
                    .map_or(full.as_str(), |r| r.strip_prefix('.').unwrap_or(r))
                    .to_owned();
                (text, HashMap::new())
            });
            row.1.insert(col, value);
        }
        if !more {
            break;
        }
    }
    if rows.is_empty() {
        let _ = writeln!(s.out, "{title}: No entries");
        return EXIT_OK;
    }
    let t = &s.o.table;
    let skip = if t.brief {
        common_prefix(&cols.iter().map(|c| c.1.clone()).collect::<Vec<_>>())
    } else {
        0
    };
    let mut header: Vec<String> = Vec::new();
    if t.index {
        header.push("index".to_owned());
    }
    header.extend(
        cols.iter()
            .map(|c| c.1.get(skip..).unwrap_or_default().to_owned()),
    );
    let lines: Vec<Vec<String>> = rows
        .values()
        .map(|(index, cells)| {
            let mut line = Vec::with_capacity(header.len());
            if t.index {
                line.push(index.clone());
            }
            line.extend(
                cols.iter()
                    .map(|c| cells.get(&c.0).cloned().unwrap_or_else(|| "?".to_owned())),
            );
            line
        })
        .collect();
    let mut text = String::new();
    if !t.no_headers {
        text.push_str(&format!("SNMP table: {title}\n\n"));
    }
    match &t.separator {
        Some(sep) => {
            if !t.no_headers {
                text.push_str(&header.join(sep));
                text.push('\n');
            }
            for line in &lines {
                text.push_str(&line.join(sep));
                text.push('\n');
            }
        }
        None => {
            let widths: Vec<usize> = (0..header.len())
                .map(|i| {
                    lines
                        .iter()
                        .filter_map(|l| l.get(i))
                        .chain(header.get(i))
                        .map(|c| c.chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let aligned = |cells: &[String], out: &mut String| {
                for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
                    if i == 0 && t.index {
                        // snmptable's index column: at least `sizeof("index")` wide, and no
                        // space before it.
                        // With -Cl the next column follows it without a space, as in net-snmp.
                        let w = (*w).max(6);
                        if t.left {
                            out.push_str(&format!("{cell:<w$}"));
                        } else {
                            out.push_str(&format!("{cell:>w$}"));
                        }
                    } else if t.left {
                        out.push_str(&format!("{cell:<w$} "));
                    } else {
                        out.push_str(&format!(" {cell:>w$}"));
                    }
                }
                out.push('\n');
            };
            if !t.no_headers {
                aligned(&header, &mut text);
            }
            for line in &lines {
                aligned(line, &mut text);
            }
        }
    }
    let _ = s.out.write_all(text.as_bytes());
    EXIT_OK
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
        t.set('f', ",");
        assert_eq!(t.separator.as_deref(), Some(","));
    }
}
