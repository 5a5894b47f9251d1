//! snmptranslate's reports on the loaded MIB tree: `-Td` (an object's details), `-Tp` (the
//! tree under a node, drawn with `+--`) and `-Ib` (the node whose name best matches a
//! pattern), as net-snmp 5.9 prints them.

use std::collections::HashMap;
use std::fmt::Write as _;

use snmp_hlapi::Oid;
use snmp_mib::{Access, BaseType, Mib, Object, ObjectKind, Range, Status, TypeRef};

/// What net-snmp's tree records as a node's type: a node without a simple syntax (an OID
/// assignment, a table, a row), an OBJECT-TYPE with one (its SYNTAX keyword), or another
/// macro (its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum NodeType {
    Other,
    Simple(&'static str),
    Macro(&'static str),
}

/// The IETF's textual conventions written as `INTEGER` without enumerations (the MIB
/// compiler does not say whether a convention's SYNTAX is `INTEGER` or `Integer32`; the
/// others are taken as `Integer32`).
const INTEGER_TCS: [&str; 4] = [
    "TestAndIncr",
    "TimeInterval",
    "SnmpSecurityModel",
    "SnmpMessageProcessingModel",
];

/// The SYNTAX keyword of an object, as net-snmp's `print_tree_node` names its type.
fn keyword(o: &Object) -> Option<&'static str> {
    let own = o.syntax.as_ref().map(|s| &s.ty);
    Some(match o.base_type? {
        BaseType::Integer32 => match own {
            Some(TypeRef::Integer) => "INTEGER",
            Some(TypeRef::Named(n)) if n == "Integer32" => "Integer32",
            _ if !o.enums.is_empty() => "INTEGER",
            _ if o.tc_chain.iter().any(|t| INTEGER_TCS.contains(&t.as_str())) => "INTEGER",
            _ => "Integer32",
        },
        BaseType::OctetString => "OCTET STRING",
        BaseType::ObjectIdentifier => "OBJECT IDENTIFIER",
        BaseType::Bits => "BITS",
        BaseType::IpAddress => "IpAddress",
        BaseType::NetworkAddress => "NetworkAddress",
        BaseType::Counter32 => "Counter32",
        BaseType::Gauge32 => "Gauge32",
        BaseType::Unsigned32 => "Unsigned32",
        BaseType::TimeTicks => "TimeTicks",
        BaseType::Opaque => "Opaque",
        BaseType::Counter64 => "Counter64",
        BaseType::Null => "NULL",
        _ => return None,
    })
}

fn node_type(o: &Object) -> NodeType {
    match o.kind {
        ObjectKind::ObjectType => keyword(o).map_or(NodeType::Other, NodeType::Simple),
        ObjectKind::TrapType => NodeType::Macro(" TRAP-TYPE"),
        ObjectKind::NotificationType => NodeType::Macro(" NOTIFICATION-TYPE"),
        ObjectKind::ObjectGroup => NodeType::Macro(" OBJECT-GROUP"),
        // net-snmp's TYPE_NOTIFGROUP, which its report does not name.
        ObjectKind::NotificationGroup => NodeType::Macro(" type_23"),
        ObjectKind::ModuleIdentity => NodeType::Macro(" MODULE-IDENTITY"),
        ObjectKind::AgentCapabilities => NodeType::Macro(" AGENT-CAPABILITIES"),
        ObjectKind::ModuleCompliance => NodeType::Macro(" MODULE-COMPLIANCE"),
        ObjectKind::ObjectIdentity => NodeType::Macro(" OBJECT-IDENTITY"),
        _ => NodeType::Other,
    }
}

/// The textual convention net-snmp names (the outermost of the chain).
fn convention(o: &Object) -> Option<&str> {
    o.tc_chain.first().map(String::as_str)
}

fn access_name(a: Access) -> &'static str {
    match a {
        Access::NotAccessible => "not-accessible",
        Access::AccessibleForNotify => "accessible-for-notify",
        Access::ReadOnly => "read-only",
        Access::ReadWrite => "read-write",
        Access::ReadCreate => "read-create",
        Access::WriteOnly => "write-only",
        _ => "",
    }
}

fn status_name(s: Status) -> &'static str {
    match s {
        Status::Current => "current",
        Status::Deprecated => "deprecated",
        Status::Obsolete => "obsolete",
        Status::Mandatory => "mandatory",
        Status::Optional => "optional",
        _ => "",
    }
}

/// A range as net-snmp prints it for the type: signed for the integers, unsigned (C's
/// `(unsigned)` cast) for strings and unsigned types, nothing for the others.
fn range_text(keyword: &str, r: &Range) -> Option<String> {
    let signed = |v: i128| i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX });
    let unsigned = |v: i128| {
        // C's cast of the int net-snmp keeps: the low 32 bits.
        u32::try_from(v.rem_euclid(1 << 32)).unwrap_or(u32::MAX)
    };
    match keyword {
        "INTEGER" | "Integer32" => Some(if r.lo == r.hi {
            signed(r.lo).to_string()
        } else {
            format!("{}..{}", signed(r.lo), signed(r.hi))
        }),
        "Unsigned32" | "OCTET STRING" | "Gauge32" | "UInteger32" => Some(if r.lo == r.hi {
            unsigned(r.lo).to_string()
        } else {
            format!("{}..{}", unsigned(r.lo), unsigned(r.hi))
        }),
        _ => None,
    }
}

/// The ranges net-snmp keeps for an object: sizes for strings, values for numbers.
fn ranges(keyword: &str, o: &Object) -> Vec<String> {
    let list = if keyword == "OCTET STRING" || keyword == "Opaque" {
        &o.sizes
    } else {
        &o.ranges
    };
    list.iter().filter_map(|r| range_text(keyword, r)).collect()
}

/// A list net-snmp wraps at `width`: each item after its separator, on a new line (`wrap`)
/// when it would pass the width; `pos` is the column, `reset` the column after a wrap.
struct Wrapped<'a> {
    width: usize,
    pos: usize,
    reset: usize,
    wrap: &'a str,
}

impl Wrapped<'_> {
    /// Appends `item` after `sep`, as net-snmp's loops do: the separator, then the wrap
    /// when `pos + len + 2 > width`.
    fn push(&mut self, s: &mut String, sep: &str, item: &str) {
        s.push_str(sep);
        if self.pos + item.len() + 2 > self.width {
            s.push_str(self.wrap);
            self.pos = self.reset;
        }
        s.push_str(item);
        self.pos += item.len() + 2;
    }
}

/// snmptranslate `-Td`: the object `oid` is in, as net-snmp's `sprint_realloc_description`
/// prints it (without the final newline), lists wrapped at `width` (`-w`); `None` when no
/// loaded node holds it.
pub(crate) fn details(mib: &Mib, oid: &Oid, width: usize) -> Option<String> {
    let (o, _) = mib.lookup(oid)?;
    let ty = node_type(o);
    let mut s = String::new();
    let head = match ty {
        NodeType::Macro(name) => name,
        _ => " OBJECT-TYPE",
    };
    let _ = writeln!(s, "{}{head}", o.name);
    let _ = write!(s, "  -- FROM\t{}", o.module);
    let mut pos = 16 + o.module.len();
    for m in Tree::modules(mib, o) {
        if pos + m.len() + 2 > width {
            s.push_str(",\n  --\t\t");
            pos = 16;
        } else {
            s.push_str(", ");
            pos += 2;
        }
        s.push_str(m);
        pos += m.len();
    }
    s.push('\n');
    if o.kind == ObjectKind::ObjectType {
        if let Some(tc) = convention(o) {
            let _ = writeln!(s, "  -- TEXTUAL CONVENTION {tc}");
        }
        if let NodeType::Simple(kw) = ty {
            let _ = write!(s, "  SYNTAX\t{kw}");
            let r = ranges(kw, o);
            if !r.is_empty() {
                let _ = write!(s, " ({}) ", r.join(" | "));
            }
            if matches!(kw, "INTEGER" | "Integer32" | "BITS") && !o.enums.is_empty() {
                s.push_str(" {");
                let mut list = Wrapped {
                    width,
                    pos: 16 + kw.len() + 2,
                    reset: 18,
                    wrap: "\n\t\t  ",
                };
                for (i, (l, n)) in o.enums.iter().enumerate() {
                    list.push(&mut s, if i == 0 { "" } else { ", " }, &format!("{l}({n})"));
                }
                s.push_str("} ");
            }
            s.push('\n');
        }
        if let Some(h) = &o.display_hint {
            let _ = writeln!(s, "  DISPLAY-HINT\t\"{h}\"");
        }
        if let Some(u) = &o.units {
            let _ = writeln!(s, "  UNITS\t\t\"{u}\"");
        }
        if let Some(a) = o.access {
            let _ = writeln!(s, "  MAX-ACCESS\t{}", access_name(a));
        }
        if let Some(st) = o.status {
            let _ = writeln!(s, "  STATUS\t{}", status_name(st));
        }
        if let Some(a) = &o.augments {
            let _ = writeln!(s, "  AUGMENTS\t{{ {a} }}");
        }
        if !o.index.is_empty() {
            let parts: Vec<String> = o
                .index
                .iter()
                .map(|p| {
                    if p.implied {
                        format!("IMPLIED {}", p.name)
                    } else {
                        p.name.clone()
                    }
                })
                .collect();
            s.push_str("  INDEX\t\t{ ");
            let mut list = Wrapped {
                width,
                pos: 18,
                reset: 18,
                wrap: "\n\t\t  ",
            };
            for (i, p) in parts.iter().enumerate() {
                list.push(&mut s, if i == 0 { "" } else { ", " }, p);
            }
            s.push_str(" }\n");
        }
    }
    if !o.objects.is_empty() {
        let label = match o.kind {
            ObjectKind::TrapType => "VARIABLES",
            ObjectKind::NotificationType => "OBJECTS",
            _ => "",
        };
        if !label.is_empty() {
            let _ = write!(s, "  {label}\t{{ ");
            let mut list = Wrapped {
                width,
                pos: 18,
                reset: 18,
                wrap: "\n\t\t  ",
            };
            for (i, v) in o.objects.iter().enumerate() {
                list.push(&mut s, if i == 0 { "" } else { ", " }, v);
            }
            s.push_str(" }\n");
        }
    }
    if let Some(d) = &o.description {
        let _ = writeln!(s, "  DESCRIPTION\t\"{d}\"");
    }
    if o.kind == ObjectKind::ObjectType
        && let Some(v) = &o.defval
    {
        let _ = writeln!(s, "  DEFVAL\t{{ {v} }}");
    }
    // `::= { iso(1) org(3) ... 2 }`: the labelled path, the last arc as a number.
    s.push_str("::= {");
    let arcs = oid.as_slice();
    let mut known = true;
    let mut pos = 5;
    let mut part = |s: &mut String, text: &str| {
        if pos + text.len() + 2 > width {
            s.push_str("\n     ");
            pos = 5;
        }
        s.push_str(text);
        pos += text.len();
    };
    for n in 1..arcs.len() {
        let arc = arcs.get(n - 1).copied().unwrap_or_default();
        let node = known
            .then(|| Oid::from_slice(arcs.get(..n).unwrap_or_default()).ok())
            .flatten()
            .and_then(|p| mib.object_at(&p));
        match node {
            Some(node) => part(&mut s, &format!(" {}({arc})", node.name)),
            None => {
                known = false;
                part(&mut s, &format!(" {arc}"));
            }
        }
    }
    part(
        &mut s,
        &format!(" {} }}", arcs.last().copied().unwrap_or_default()),
    );
    Some(s)
}

/// The tree as net-snmp links it: a node per name and OID (two modules naming one OID
/// differently give two nodes, the same name once), each node's children in the order
/// their modules define them; the children of an OID hang from its first node.
struct Tree<'m> {
    children: HashMap<Oid, Vec<&'m Object>>,
}

impl<'m> Tree<'m> {
    fn new(mib: &'m Mib) -> Self {
        let mut children: HashMap<Oid, Vec<&'m Object>> = HashMap::new();
        for o in mib.objects() {
            let Some(parent) = o.oid.parent() else {
                continue;
            };
            let list = children.entry(parent).or_default();
            if let Some(at) = list.iter().position(|c| c.oid == o.oid && c.name == o.name) {
                // The same node again: the one the MIB names for that OID stands for it.
                if mib.object_at(&o.oid).is_some_and(|c| std::ptr::eq(c, o))
                    && let Some(slot) = list.get_mut(at)
                {
                    *slot = o;
                }
                continue;
            }
            list.push(o);
        }
        Self { children }
    }

    /// The children in load order.
    fn loaded(&self, o: &Object) -> &[&'m Object] {
        self.children.get(&o.oid).map_or(&[], Vec::as_slice)
    }

    /// The children in OID order (those of one OID in load order).
    fn sorted(&self, o: &Object) -> Vec<&'m Object> {
        let mut list = self.loaded(o).to_vec();
        list.sort_by_key(|c| c.oid.as_slice().last().copied());
        list
    }

    /// Whether `o` is the node its OID's children hang from.
    fn parent_node(&self, o: &Object) -> bool {
        let Some(parent) = o.oid.parent() else {
            return true;
        };
        self.sorted_first(&parent, &o.oid)
            .is_none_or(|first| std::ptr::eq(first, o))
    }

    fn sorted_first(&self, parent: &Oid, oid: &Oid) -> Option<&'m Object> {
        self.children
            .get(parent)?
            .iter()
            .find(|c| c.oid == *oid)
            .copied()
    }

    /// The modules defining the node `o` names (net-snmp's `-- FROM` list): its own, then
    /// the others, the last loaded first.
    fn modules(mib: &'m Mib, o: &Object) -> Vec<&'m str> {
        let mut list = Vec::new();
        for other in mib.objects() {
            if other.oid == o.oid && other.name == o.name && other.module != o.module {
                let m = other.module.as_str();
                if !list.contains(&m) {
                    list.push(m);
                }
            }
        }
        list.reverse();
        list
    }
}

/// The `-Tp` drawing's state: the indentation and net-snmp's `leave_was_simple`.
struct Drawing<'t, 'm> {
    tree: &'t Tree<'m>,
    width: usize,
    indent: String,
    was_simple: bool,
    out: String,
}

impl Drawing<'_, '_> {
    /// net-snmp's `print_mib_leaves`.
    fn leaves(&mut self, o: &Object) {
        let ip = self.indent.len().saturating_sub(1);
        let last = self.indent.get(ip..).unwrap_or(" ").to_owned();
        let with = |indent: &str, c: &str| format!("{}{c}", indent.get(..ip).unwrap_or(""));
        self.indent = with(&self.indent, "+");
        let subid = o.oid.as_slice().last().copied().unwrap_or_default();
        let ty = node_type(o);
        match ty {
            NodeType::Simple(kw) => {
                let acc = match o.access {
                    Some(Access::NotAccessible) => "----",
                    Some(Access::ReadOnly) => "-R--",
                    Some(Access::WriteOnly) => "--W-",
                    Some(Access::ReadWrite) => "-RW-",
                    Some(Access::AccessibleForNotify) => "---N",
                    Some(Access::ReadCreate) => "CR--",
                    _ => "    ",
                };
                let typ = match kw {
                    "OBJECT IDENTIFIER" => "ObjID    ",
                    "OCTET STRING" => "String   ",
                    "INTEGER" if !o.enums.is_empty() => "EnumVal  ",
                    "INTEGER" => "INTEGER  ",
                    "NetworkAddress" => "NetAddr  ",
                    "IpAddress" => "IpAddr   ",
                    "Counter32" => "Counter  ",
                    "Gauge32" => "Gauge    ",
                    "TimeTicks" => "TimeTicks",
                    "Opaque" => "Opaque   ",
                    "NULL" => "Null     ",
                    "Counter64" => "Counter64",
                    "BITS" => "BitString",
                    "Unsigned32" => "Unsigned ",
                    "Integer32" => "Integer32",
                    _ => "         ",
                };
                let _ = writeln!(
                    self.out,
                    "{}-- {acc} {typ} {}({subid})",
                    self.indent, o.name
                );
                self.indent = with(&self.indent, &last);
                if let Some(tc) = convention(o) {
                    let _ = writeln!(self.out, "{}        Textual Convention: {tc}", self.indent);
                }
                if !o.enums.is_empty() {
                    // Wrapped as net-snmp's: a new line once the column reaches the width.
                    let cmax = self.width.saturating_sub(self.indent.len() + 16);
                    let _ = write!(self.out, "{}        Values: ", self.indent);
                    let mut cpos = 0;
                    for (i, (l, n)) in o.enums.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str(", ");
                        }
                        let item = format!("{l}({n})");
                        cpos += item.len() + 2;
                        if cpos >= cmax {
                            let _ = write!(self.out, "\n{}                ", self.indent);
                            cpos = item.len() + 2;
                        }
                        self.out.push_str(&item);
                    }
                    self.out.push('\n');
                }
                let r = ranges(kw, o);
                if !r.is_empty() {
                    let what = if matches!(kw, "OCTET STRING" | "Opaque") {
                        "Size"
                    } else {
                        "Range"
                    };
                    let _ = writeln!(self.out, "{}        {what}: {}", self.indent, r.join(" | "));
                }
            }
            _ => {
                let _ = writeln!(self.out, "{}--{}({subid})", self.indent, o.name);
                if !o.index.is_empty() {
                    let indent = with(&self.indent, &last);
                    let cmax = self.width.saturating_sub(indent.len() + 12);
                    let _ = write!(self.out, "{indent}  |  Index: ");
                    let mut cpos = 0;
                    for (i, p) in o.index.iter().enumerate() {
                        if i > 0 {
                            self.out.push_str(", ");
                        }
                        let len = p.name.len() + 2;
                        cpos += len;
                        if cpos > cmax {
                            let _ = write!(self.out, "\n{indent}  |         ");
                            cpos = len;
                        }
                        self.out.push_str(&p.name);
                    }
                    self.out.push('\n');
                }
            }
        }
        self.indent = with(&self.indent, &last);
        self.indent.push_str("  |");
        self.was_simple = ty != NodeType::Other;
        let children = if self.tree.parent_node(o) {
            self.tree.sorted(o)
        } else {
            Vec::new()
        };
        let count = children.len();
        for (i, child) in children.iter().enumerate() {
            if !self.was_simple || node_type(child) == NodeType::Other {
                let _ = writeln!(self.out, "{}", self.indent);
            }
            if i + 1 == count {
                // The last child: no bar below it.
                self.indent = format!("{}  ", self.indent.get(..ip + 1).unwrap_or(""));
                self.indent.push(' ');
            }
            self.leaves(child);
        }
        if count > 0 {
            self.was_simple = false;
        }
        self.indent.truncate(ip + 1);
    }
}

/// snmptranslate `-Tp`: the tree under the node `oid` is in (from `iso` when `None`), as
/// net-snmp's `print_mib_tree` draws it, lists wrapped at `width` (`-w`).
pub(crate) fn draw(mib: &Mib, oid: Option<&Oid>, width: usize) -> Option<String> {
    let node = match oid {
        Some(oid) => mib.lookup(oid)?.0,
        None => mib.object_at(&Oid::from_slice(&[1]).ok()?)?,
    };
    let tree = Tree::new(mib);
    let mut d = Drawing {
        tree: &tree,
        width,
        indent: " ".to_owned(),
        was_simple: true,
        out: String::new(),
    };
    d.leaves(node);
    Some(d.out)
}

/// snmptranslate `-Ib`: the node whose name best matches `pattern` (a case-insensitive
/// regular expression of the subset [`find`] knows: the match that starts earliest wins), in
/// net-snmp's order of search (depth first; a node's children in the reverse of the order
/// their modules define them, as net-snmp links them).
pub(crate) fn best_match<'m>(mib: &'m Mib, pattern: &str) -> Option<&'m Object> {
    if pattern.is_empty() {
        return None;
    }
    let tree = Tree::new(mib);
    let roots: Vec<&Object> = [1u32, 2, 0]
        .iter()
        .filter_map(|a| mib.object_at(&Oid::from_slice(&[*a]).ok()?))
        .collect();
    let mut best: Option<(usize, &Object)> = None;
    let mut stack: Vec<&Object> = roots.into_iter().rev().collect();
    while let Some(o) = stack.pop() {
        if let Some(at) = find(pattern, &o.name)
            && best.is_none_or(|(b, _)| at < b)
        {
            best = Some((at, o));
            if at == 0 {
                break;
            }
        }
        // The children, the last defined first.
        stack.extend(tree.loaded(o).iter().copied());
    }
    best.map(|(_, o)| o)
}

/// Where the case-insensitive pattern first matches in `text`: `.` any character, `*`, `+`
/// and `?` repeating the item before them, `^` and `$` anchors, `\` quoting the next
/// character; anything else (brackets, groups, alternation) is taken literally.
pub(crate) fn find(pattern: &str, text: &str) -> Option<usize> {
    let items = compile(pattern);
    let text: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (anchored, items) = match items.split_first() {
        Some((Item::Start, rest)) => (true, rest),
        _ => (false, items.as_slice()),
    };
    let last = if anchored { 0 } else { text.len() };
    let starts = match_starts(items, &text);
    (0..=last).find(|&at| starts.get(at).copied().unwrap_or(false))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Atom {
    Any,
    Char(char),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Start,
    End,
    One(Atom),
    /// The atom, at least `min` times (0 or 1), at most `max` (1 or unbounded).
    Repeat(Atom, usize, Option<usize>),
}

fn compile(pattern: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut chars = pattern.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        let atom = match c {
            '^' if first => {
                items.push(Item::Start);
                first = false;
                continue;
            }
            '$' if chars.peek().is_none() => {
                items.push(Item::End);
                continue;
            }
            '.' => Atom::Any,
            '\\' => Atom::Char(chars.next().unwrap_or('\\').to_ascii_lowercase()),
            other => Atom::Char(other.to_ascii_lowercase()),
        };
        first = false;
        let item = match chars.peek() {
            Some('*') => Item::Repeat(atom, 0, None),
            Some('+') => Item::Repeat(atom, 1, None),
            Some('?') => Item::Repeat(atom, 0, Some(1)),
            _ => Item::One(atom),
        };
        if item != Item::One(atom) {
            chars.next();
        }
        items.push(item);
    }
    items
}

fn atom_matches(a: Atom, c: char) -> bool {
    match a {
        Atom::Any => true,
        Atom::Char(x) => x == c,
    }
}

/// For each position `j` of `text` (and its end), whether `items` match a prefix of
/// `text[j..]`: a table filled from the last item back, each item in one pass over the text,
/// so that no pattern (`.*.*.*...` included) costs more than items x text.
fn match_starts(items: &[Item], text: &[char]) -> Vec<bool> {
    let n = text.len();
    let is = |a: Atom, j: usize| text.get(j).is_some_and(|c| atom_matches(a, *c));
    // `next[j]`: whether the items after the current one match a prefix of `text[j..]`.
    let mut next = vec![true; n + 1];
    for item in items.iter().rev() {
        let at = |k: usize| next.get(k).copied().unwrap_or(false);
        let here: Vec<bool> = match *item {
            Item::Start => next.clone(),
            Item::End => (0..=n).map(|j| j == n && at(j)).collect(),
            Item::One(a) => (0..=n).map(|j| is(a, j) && at(j + 1)).collect(),
            Item::Repeat(a, min, max) => {
                // `any[j]`: some number of `a` from `j` on (none included) is followed by a
                // match of the rest.
                let mut any = vec![false; n + 2];
                for j in (0..=n).rev() {
                    let more = any.get(j + 1).copied().unwrap_or(false);
                    if let Some(slot) = any.get_mut(j) {
                        *slot = at(j) || (is(a, j) && more);
                    }
                }
                let any = |k: usize| any.get(k).copied().unwrap_or(false);
                (0..=n)
                    .map(|j| match (min, max) {
                        (0, Some(1)) => at(j) || (is(a, j) && at(j + 1)),
                        (0, _) => any(j),
                        _ => is(a, j) && any(j + 1),
                    })
                    .collect()
            }
        };
        next = here;
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_as_regular_expressions() {
        assert_eq!(find("descr", "ifDescr"), Some(2));
        assert_eq!(find("^if", "ifDescr"), Some(0));
        assert_eq!(find("^descr", "ifDescr"), None);
        assert_eq!(find("sys.*ime", "sysUpTime"), Some(0));
        assert_eq!(find("octets$", "ifHCInOctets"), Some(6));
        assert_eq!(find("octets$", "ifInOctetsX"), None);
        assert_eq!(find("in+oct", "ifInOctets"), Some(2));
        assert_eq!(find("x?in", "ifInOctets"), Some(2));
        assert_eq!(find("a\\.b", "a.b"), Some(0));
        assert_eq!(find("a\\.b", "axb"), None);
        assert_eq!(find("", "x"), Some(0));
        // Many stars: a table, not backtracking (this would take years otherwise).
        let stars = ".*".repeat(40);
        assert_eq!(find(&format!("{stars}z"), &"a".repeat(60)), None);
        assert_eq!(find(&format!("^{stars}a$"), &"a".repeat(60)), Some(0));
    }
}
