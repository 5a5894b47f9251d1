//! The SMI module parser: MIB text to [`Module`]s (RFC 1155, 1212, 1215, 2578-2580).
//!
//! It reads what net-snmp reads: macro invocations whose clauses come in any order, MACRO
//! definitions (skipped), SMIv1 and SMIv2 side by side, missing or extra commas, and clauses it
//! does not know (skipped with their balanced brackets).

use std::path::Path;

use crate::error::ParseError;
use crate::lexer::{Lexer, Tok, Token, line_col, tokenize};
use crate::model::{Access, IndexPart, ObjectKind, Range, Status, Syntax, TypeRef};

/// One component of an OBJECT IDENTIFIER value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum OidComp {
    /// A name (the parent, in first position).
    Name(String),
    /// A number.
    Number(u32),
    /// `name(number)`: a number that also names the arc.
    NameNumber(String, u32),
}

/// A definition that places a node in the OID tree.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeDef {
    pub(crate) name: String,
    pub(crate) kind: Option<ObjectKind>,
    pub(crate) oid: Vec<OidComp>,
    pub(crate) syntax: Option<Syntax>,
    pub(crate) access: Option<Access>,
    pub(crate) status: Option<Status>,
    pub(crate) units: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) index: Vec<IndexPart>,
    pub(crate) augments: Option<String>,
    pub(crate) defval: Option<String>,
    /// A NOTIFICATION-TYPE's `OBJECTS`, a TRAP-TYPE's `VARIABLES`.
    pub(crate) objects: Vec<String>,
}

/// A type assignment: `Name ::= TEXTUAL-CONVENTION ...` or `Name ::= Type`.
#[derive(Clone, Debug)]
pub(crate) struct TypeDef {
    pub(crate) name: String,
    pub(crate) textual_convention: bool,
    pub(crate) display_hint: Option<String>,
    pub(crate) syntax: Syntax,
}

/// One parsed module.
#[derive(Clone, Debug, Default)]
pub(crate) struct Module {
    pub(crate) name: String,
    /// `(from module, symbols)` for each `FROM` of the IMPORTS.
    pub(crate) imports: Vec<(String, Vec<String>)>,
    pub(crate) nodes: Vec<NodeDef>,
    pub(crate) types: Vec<TypeDef>,
    /// Whether the module uses SMIv2 (has a MODULE-IDENTITY).
    pub(crate) smiv2: bool,
}

/// Parses every module of `src`; `file` names the source in errors.
pub(crate) fn parse(src: &str, file: &Path) -> Result<Vec<Module>, ParseError> {
    let tokens = tokenize(src).map_err(|u| {
        let (line, column) = line_col(src, u.pos);
        ParseError {
            file: file.to_path_buf(),
            line,
            column,
            message: "unterminated quoted string".into(),
        }
    })?;
    let mut p = Parser {
        toks: &tokens,
        pos: 0,
        file,
        src,
    };
    let mut modules = Vec::new();
    while !p.at_eof() {
        modules.push(p.module()?);
    }
    if modules.is_empty() {
        return Err(p.error("no module (NAME DEFINITIONS ::= BEGIN) in the file"));
    }
    Ok(modules)
}

/// The names of the modules the text defines, found by the tokens `NAME DEFINITIONS` (or
/// `NAME { oid } DEFINITIONS`) outside braces: for the search-path index, cheaper than a parse
/// and tolerant of broken modules.
pub(crate) fn module_names(src: &str) -> Vec<String> {
    // Most files define one module and say DEFINITIONS once: the tokens up to that word are
    // enough (when that one is in a comment or a string, the whole text is read).
    const WORD: &str = "DEFINITIONS";
    if let Some(at) = src.find(WORD)
        && src
            .get(at + WORD.len()..)
            .is_some_and(|rest| !rest.contains(WORD))
    {
        let names = module_names_in(src.get(..at + WORD.len()).unwrap_or_default());
        if !names.is_empty() {
            return names;
        }
    }
    module_names_in(src)
}

fn module_names_in(src: &str) -> Vec<String> {
    let mut lexer = Lexer::new(src);
    let mut names = Vec::new();
    let mut depth = 0u32;
    let mut previous: Option<&str> = None;
    while let Ok(t) = lexer.next_token() {
        match t.kind {
            Tok::Eof => break,
            Tok::LBrace => depth += 1,
            Tok::RBrace => depth = depth.saturating_sub(1),
            // Unbalanced braces do not hide the next module of the file.
            Tok::Ident("BEGIN" | "END") => {
                depth = 0;
                previous = None;
            }
            _ if depth > 0 => {}
            Tok::Ident("DEFINITIONS") => {
                if let Some(name) = previous.take() {
                    names.push(name.to_owned());
                }
            }
            Tok::Ident(w) => previous = Some(w),
            _ => previous = None,
        }
    }
    names
}

const MACROS: &[(&str, ObjectKind)] = &[
    ("OBJECT-TYPE", ObjectKind::ObjectType),
    ("MODULE-IDENTITY", ObjectKind::ModuleIdentity),
    ("OBJECT-IDENTITY", ObjectKind::ObjectIdentity),
    ("NOTIFICATION-TYPE", ObjectKind::NotificationType),
    ("TRAP-TYPE", ObjectKind::TrapType),
    ("OBJECT-GROUP", ObjectKind::ObjectGroup),
    ("NOTIFICATION-GROUP", ObjectKind::NotificationGroup),
    ("MODULE-COMPLIANCE", ObjectKind::ModuleCompliance),
    ("AGENT-CAPABILITIES", ObjectKind::AgentCapabilities),
];

/// How deep brackets and nested types may go before the parser gives up (no stack overflow on
/// hostile input).
const MAX_DEPTH: u32 = 64;

struct Parser<'t, 'a> {
    toks: &'t [Token<'a>],
    pos: usize,
    file: &'t Path,
    src: &'a str,
}

impl<'a> Parser<'_, 'a> {
    fn tok_at(&self, i: usize) -> Token<'a> {
        self.toks.get(i).copied().unwrap_or(Token {
            kind: Tok::Eof,
            pos: u32::MAX,
        })
    }

    fn peek(&self) -> Tok<'a> {
        self.tok_at(self.pos).kind
    }

    fn peek_n(&self, n: usize) -> Tok<'a> {
        self.tok_at(self.pos + n).kind
    }

    fn bump(&mut self) -> Tok<'a> {
        let t = self.peek();
        if t != Tok::Eof {
            self.pos += 1;
        }
        t
    }

    fn at_eof(&self) -> bool {
        self.peek() == Tok::Eof
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        let (line, column) = line_col(self.src, self.tok_at(self.pos).pos);
        ParseError {
            file: self.file.to_path_buf(),
            line,
            column,
            message: message.into(),
        }
    }

    fn describe(t: Tok<'_>) -> String {
        match t {
            Tok::Ident(s) => format!("`{s}`"),
            Tok::Number(n) => format!("number {n}"),
            Tok::Str(_) => "a quoted string".into(),
            Tok::Quoted(s, r) => format!("'{s}'{r}"),
            Tok::Assign => "`::=`".into(),
            Tok::LBrace => "`{`".into(),
            Tok::RBrace => "`}`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::LBracket => "`[`".into(),
            Tok::RBracket => "`]`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Semi => "`;`".into(),
            Tok::Range => "`..`".into(),
            Tok::Dot => "`.`".into(),
            Tok::Bar => "`|`".into(),
            Tok::Other(c) => format!("`{c}`"),
            Tok::Eof => "the end of the file".into(),
        }
    }

    fn unexpected(&self, what: &str) -> ParseError {
        self.error(format!(
            "expected {what}, found {}",
            Self::describe(self.peek())
        ))
    }

    fn expect(&mut self, t: Tok<'_>, what: &str) -> Result<(), ParseError> {
        if self.peek() == t {
            self.bump();
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn eat(&mut self, t: Tok<'_>) -> bool {
        if self.peek() == t {
            self.bump();
            true
        } else {
            false
        }
    }

    fn ident(&mut self, what: &str) -> Result<&'a str, ParseError> {
        match self.peek() {
            Tok::Ident(s) => {
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected(what)),
        }
    }

    fn string(&mut self, what: &str) -> Result<&'a str, ParseError> {
        match self.peek() {
            Tok::Str(s) => {
                self.bump();
                Ok(s)
            }
            _ => Err(self.unexpected(what)),
        }
    }

    /// Skips one token, or a whole bracketed group when the token opens one.
    fn skip_item(&mut self) -> Result<(), ParseError> {
        let mut depth: u32 = 0;
        loop {
            match self.bump() {
                Tok::LBrace | Tok::LParen | Tok::LBracket => depth += 1,
                Tok::RBrace | Tok::RParen | Tok::RBracket => depth = depth.saturating_sub(1),
                Tok::Eof => return Err(self.error("unexpected end of file in a bracketed group")),
                _ => {}
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    /// The text of a bracketed group, tokens joined by spaces (a DEFVAL as written).
    fn group_text(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        self.skip_item()?;
        let inner = self
            .toks
            .get(start + 1..self.pos.saturating_sub(1))
            .unwrap_or_default();
        let mut text = String::new();
        for t in inner {
            if !text.is_empty() {
                text.push(' ');
            }
            match t.kind {
                Tok::Ident(s) | Tok::Number(s) => text.push_str(s),
                Tok::Str(s) => {
                    text.push('"');
                    text.push_str(s);
                    text.push('"');
                }
                Tok::Quoted(s, r) => {
                    text.push('\'');
                    text.push_str(s);
                    text.push('\'');
                    text.push(r);
                }
                Tok::LBrace => text.push('{'),
                Tok::RBrace => text.push('}'),
                Tok::LParen => text.push('('),
                Tok::RParen => text.push(')'),
                Tok::Comma => text.push(','),
                other => text.push_str(Self::describe(other).trim_matches('`')),
            }
        }
        Ok(text)
    }

    fn module(&mut self) -> Result<Module, ParseError> {
        let name = self.ident("a module name")?;
        if self.peek() == Tok::LBrace {
            self.skip_item()?;
        }
        if self.peek() != Tok::Ident("DEFINITIONS") {
            return Err(self.unexpected("DEFINITIONS"));
        }
        self.bump();
        // `DEFINITIONS IMPLICIT TAGS ::=` and the like.
        while let Tok::Ident(w @ ("IMPLICIT" | "EXPLICIT" | "AUTOMATIC" | "TAGS")) = self.peek() {
            let _ = w;
            self.bump();
        }
        self.expect(Tok::Assign, "`::=` after DEFINITIONS")?;
        self.expect(Tok::Ident("BEGIN"), "BEGIN")?;
        let mut module = Module {
            name: name.to_owned(),
            ..Module::default()
        };
        loop {
            match self.peek() {
                Tok::Ident("END") => {
                    self.bump();
                    break;
                }
                Tok::Eof => {
                    // net-snmp accepts a module cut short of its END.
                    break;
                }
                Tok::Ident("IMPORTS") => {
                    self.bump();
                    self.imports(&mut module)?;
                }
                Tok::Ident("EXPORTS") => while !matches!(self.bump(), Tok::Semi | Tok::Eof) {},
                Tok::Ident(_) => self.assignment(&mut module)?,
                Tok::Semi | Tok::Comma => {
                    self.bump();
                }
                _ => return Err(self.unexpected("a definition")),
            }
        }
        Ok(module)
    }

    fn imports(&mut self, module: &mut Module) -> Result<(), ParseError> {
        let mut symbols: Vec<String> = Vec::new();
        loop {
            match self.peek() {
                Tok::Semi => {
                    self.bump();
                    break;
                }
                Tok::Comma => {
                    self.bump();
                }
                Tok::Ident("FROM") => {
                    self.bump();
                    let from = self.ident("a module name after FROM")?;
                    // `FROM Module { oid }`: an ASN.1 module reference.
                    if self.peek() == Tok::LBrace {
                        self.skip_item()?;
                    }
                    module
                        .imports
                        .push((from.to_owned(), std::mem::take(&mut symbols)));
                    // A missing `;`: the next definition follows (`name OBJECT ...`,
                    // `name ::=`, `name MACRO`).
                    if let Tok::Ident(_) = self.peek() {
                        let next = self.peek_n(1);
                        let after = self.peek_n(2);
                        let defines = next == Tok::Assign
                            || matches!(next, Tok::Ident(w) if w == "MACRO"
                                || MACROS.iter().any(|(m, _)| *m == w)
                                || (w == "OBJECT" && after == Tok::Ident("IDENTIFIER")));
                        if defines {
                            break;
                        }
                    }
                }
                Tok::Ident(s) => {
                    self.bump();
                    // `Symbol{}` (rare ASN.1 parameterized reference).
                    if self.peek() == Tok::LBrace && self.peek_n(1) == Tok::RBrace {
                        self.bump();
                        self.bump();
                    }
                    symbols.push(s.to_owned());
                }
                Tok::Eof => return Err(self.unexpected("`;` to close IMPORTS")),
                _ => return Err(self.unexpected("an imported symbol")),
            }
        }
        Ok(())
    }

    fn assignment(&mut self, module: &mut Module) -> Result<(), ParseError> {
        let start = self.tok_at(self.pos);
        let name = self.ident("a definition")?;
        match self.peek() {
            Tok::Ident("MACRO") => {
                // `NAME MACRO ::= BEGIN ... END`: skipped whole.
                self.bump();
                loop {
                    match self.bump() {
                        Tok::Ident("END") => return Ok(()),
                        Tok::Eof => return Err(self.error("MACRO without END")),
                        _ => {}
                    }
                }
            }
            Tok::Ident("OBJECT") if self.peek_n(1) == Tok::Ident("IDENTIFIER") => {
                self.bump();
                self.bump();
                self.expect(Tok::Assign, "`::=`")?;
                let oid = self.oid_value()?;
                module.nodes.push(NodeDef {
                    name: name.to_owned(),
                    kind: Some(ObjectKind::ObjectIdentifier),
                    oid,
                    ..NodeDef::default()
                });
                Ok(())
            }
            Tok::Ident(m) if MACROS.iter().any(|(k, _)| *k == m) => {
                let kind = MACROS.iter().find(|(k, _)| *k == m).map(|(_, kind)| *kind);
                self.bump();
                let mut node = NodeDef {
                    name: name.to_owned(),
                    kind,
                    ..NodeDef::default()
                };
                if kind == Some(ObjectKind::ModuleIdentity) {
                    module.smiv2 = true;
                }
                self.invocation(&mut node)?;
                module.nodes.push(node);
                Ok(())
            }
            Tok::Assign => {
                self.bump();
                let def = self.type_assignment(name)?;
                module.types.push(def);
                Ok(())
            }
            _ => {
                // Another ASN.1 value assignment (`x INTEGER ::= 5`) or a vendor macro:
                // skipped up to its value.
                let mut steps = 0usize;
                while self.peek() != Tok::Assign {
                    if matches!(self.peek(), Tok::Eof | Tok::Ident("END")) || steps > 10_000 {
                        let (line, column) = line_col(self.src, start.pos);
                        return Err(ParseError {
                            file: self.file.to_path_buf(),
                            line,
                            column,
                            message: format!("cannot read the definition of `{name}`"),
                        });
                    }
                    self.skip_item()?;
                    steps += 1;
                }
                self.bump();
                self.skip_item()
            }
        }
    }

    /// The clauses of a macro invocation, then `::=` and its value.
    fn invocation(&mut self, node: &mut NodeDef) -> Result<(), ParseError> {
        let kind = node.kind;
        let skip_all = matches!(
            kind,
            Some(ObjectKind::ModuleCompliance | ObjectKind::AgentCapabilities)
        );
        let mut enterprise: Option<String> = None;
        loop {
            let t = self.peek();
            match t {
                Tok::Assign => {
                    self.bump();
                    break;
                }
                Tok::Eof => return Err(self.unexpected("`::=`")),
                Tok::Ident("END") if self.peek_n(1) == Tok::Eof => {
                    return Err(self.unexpected("`::=`"));
                }
                Tok::Ident(w) if !skip_all => {
                    self.bump();
                    match w {
                        "SYNTAX" => node.syntax = Some(self.syntax(0)?),
                        "MAX-ACCESS" | "ACCESS" => {
                            let a = self.ident("an access")?;
                            node.access = Access::from_keyword(a);
                        }
                        "STATUS" => {
                            let s = self.ident("a status")?;
                            node.status = Status::from_keyword(s);
                        }
                        "UNITS" => node.units = Some(self.string("the UNITS string")?.to_owned()),
                        "DESCRIPTION" => {
                            if let Tok::Str(s) = self.peek() {
                                self.bump();
                                node.description = Some(s.to_owned());
                            }
                        }
                        "INDEX" => node.index = self.index()?,
                        "AUGMENTS" => {
                            self.expect(Tok::LBrace, "`{` after AUGMENTS")?;
                            node.augments = Some(self.ident("the augmented row")?.to_owned());
                            self.expect(Tok::RBrace, "`}` after AUGMENTS")?;
                        }
                        "DEFVAL" => {
                            if self.peek() == Tok::LBrace {
                                node.defval = Some(self.group_text()?);
                            }
                        }
                        "OBJECTS" | "VARIABLES"
                            if matches!(
                                kind,
                                Some(ObjectKind::NotificationType | ObjectKind::TrapType)
                            ) && self.peek() == Tok::LBrace =>
                        {
                            self.bump();
                            loop {
                                match self.bump() {
                                    Tok::RBrace => break,
                                    Tok::Comma => {}
                                    Tok::Ident(name) => node.objects.push(name.to_owned()),
                                    Tok::Eof => return Err(self.unexpected("`}`")),
                                    _ => {}
                                }
                            }
                        }
                        "ENTERPRISE" => {
                            let e = self.ident("the ENTERPRISE name")?;
                            enterprise = Some(e.to_owned());
                            // `ENTERPRISE { oid }` is rare; a name is the rule.
                        }
                        _ => {
                            // REFERENCE, OBJECTS, VARIABLES, NOTIFICATIONS, LAST-UPDATED,
                            // ORGANIZATION, CONTACT-INFO, REVISION, DISPLAY-HINT...: their
                            // argument is a string or a braced list, skipped.
                            if matches!(self.peek(), Tok::LBrace | Tok::Str(_)) {
                                self.skip_item()?;
                            }
                        }
                    }
                }
                _ => self.skip_item()?,
            }
        }
        if kind == Some(ObjectKind::TrapType) {
            let n = match self.peek() {
                Tok::Number(n) => n.parse::<u32>().ok(),
                _ => None,
            }
            .ok_or_else(|| self.unexpected("the trap number"))?;
            self.bump();
            let enterprise =
                enterprise.ok_or_else(|| self.error("TRAP-TYPE without ENTERPRISE"))?;
            node.oid = vec![
                OidComp::Name(enterprise),
                OidComp::Number(0),
                OidComp::Number(n),
            ];
        } else {
            node.oid = self.oid_value()?;
        }
        Ok(())
    }

    fn index(&mut self) -> Result<Vec<IndexPart>, ParseError> {
        self.expect(Tok::LBrace, "`{` after INDEX")?;
        let mut parts = Vec::new();
        let mut implied = false;
        loop {
            match self.bump() {
                Tok::RBrace => return Ok(parts),
                Tok::Comma => {}
                Tok::Ident("IMPLIED") => implied = true,
                // SMIv1 allows types: `INDEX { OCTET STRING }`, `{ OBJECT IDENTIFIER }`.
                Tok::Ident(w @ ("OCTET" | "OBJECT")) => {
                    let second = self.ident("STRING or IDENTIFIER")?;
                    parts.push(IndexPart {
                        name: format!("{w} {second}"),
                        implied,
                    });
                    implied = false;
                }
                Tok::Ident(name) => {
                    parts.push(IndexPart {
                        name: name.to_owned(),
                        implied,
                    });
                    implied = false;
                }
                Tok::LParen => {
                    // `INTEGER (0..7)` in an SMIv1 INDEX.
                    self.pos -= 1;
                    self.skip_item()?;
                }
                _ => {
                    self.pos -= 1;
                    return Err(self.unexpected("an index object"));
                }
            }
        }
    }

    /// `{ parent 1 2 name(3) }`.
    fn oid_value(&mut self) -> Result<Vec<OidComp>, ParseError> {
        self.expect(Tok::LBrace, "`{` to open an OBJECT IDENTIFIER value")?;
        let mut comps = Vec::new();
        loop {
            match self.peek() {
                Tok::RBrace => {
                    self.bump();
                    break;
                }
                Tok::Ident(name) => {
                    self.bump();
                    // `Module.name`: the name.
                    if self.peek() == Tok::Dot {
                        self.bump();
                        continue;
                    }
                    if self.peek() == Tok::LParen {
                        self.bump();
                        let n = self.arc()?;
                        self.expect(Tok::RParen, "`)`")?;
                        comps.push(OidComp::NameNumber(name.to_owned(), n));
                    } else {
                        comps.push(OidComp::Name(name.to_owned()));
                    }
                }
                Tok::Number(_) => {
                    let n = self.arc()?;
                    comps.push(OidComp::Number(n));
                }
                Tok::Comma => {
                    self.bump();
                }
                _ => return Err(self.unexpected("an OID component")),
            }
        }
        if comps.is_empty() {
            return Err(self.error("empty OBJECT IDENTIFIER value"));
        }
        Ok(comps)
    }

    fn arc(&mut self) -> Result<u32, ParseError> {
        match self.peek() {
            Tok::Number(n) => match n.parse::<u32>() {
                Ok(v) => {
                    self.bump();
                    Ok(v)
                }
                Err(_) => Err(self.error(format!("OID arc {n} is not a 32-bit unsigned number"))),
            },
            _ => Err(self.unexpected("a sub-identifier")),
        }
    }

    fn type_assignment(&mut self, name: &str) -> Result<TypeDef, ParseError> {
        if self.peek() == Tok::Ident("TEXTUAL-CONVENTION") {
            self.bump();
            let mut display_hint = None;
            let mut syntax = None;
            while syntax.is_none() {
                match self.peek() {
                    Tok::Ident("DISPLAY-HINT") => {
                        self.bump();
                        display_hint = Some(self.string("the DISPLAY-HINT string")?.to_owned());
                    }
                    Tok::Ident("SYNTAX") => {
                        self.bump();
                        syntax = Some(self.syntax(0)?);
                    }
                    Tok::Ident(_) => {
                        // DESCRIPTION, REFERENCE.
                        self.bump();
                        if matches!(self.peek(), Tok::Str(_) | Tok::LBrace) {
                            self.skip_item()?;
                        }
                    }
                    _ => return Err(self.unexpected("a TEXTUAL-CONVENTION clause")),
                }
            }
            let syntax = syntax.unwrap_or_else(|| Syntax::plain(TypeRef::Null));
            return Ok(TypeDef {
                name: name.to_owned(),
                textual_convention: true,
                display_hint,
                syntax,
            });
        }
        let syntax = self.syntax(0)?;
        Ok(TypeDef {
            name: name.to_owned(),
            textual_convention: false,
            display_hint: None,
            syntax,
        })
    }

    /// A type with its constraints.
    fn syntax(&mut self, depth: u32) -> Result<Syntax, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("types nested too deeply"));
        }
        // `[APPLICATION 0] IMPLICIT`: the tag is the SMI's business, not ours.
        if self.peek() == Tok::LBracket {
            self.skip_item()?;
            while let Tok::Ident("IMPLICIT" | "EXPLICIT") = self.peek() {
                self.bump();
            }
        }
        let word = self.ident("a type")?;
        let ty = match word {
            "INTEGER" => TypeRef::Integer,
            "OCTET" => {
                self.expect(Tok::Ident("STRING"), "STRING after OCTET")?;
                TypeRef::OctetString
            }
            "OBJECT" => {
                self.expect(Tok::Ident("IDENTIFIER"), "IDENTIFIER after OBJECT")?;
                TypeRef::ObjectIdentifier
            }
            "BITS" => TypeRef::Bits,
            "NULL" => TypeRef::Null,
            "SEQUENCE" | "CHOICE" => {
                if word == "SEQUENCE" && self.peek() == Tok::Ident("OF") {
                    self.bump();
                    let inner = self.syntax(depth + 1)?;
                    let name = match inner.ty {
                        TypeRef::Named(n) => n,
                        _ => String::new(),
                    };
                    return Ok(Syntax::plain(TypeRef::SequenceOf(name)));
                }
                let fields = self.fields(depth)?;
                return Ok(Syntax::plain(if word == "SEQUENCE" {
                    TypeRef::Sequence(fields)
                } else {
                    TypeRef::Choice(fields)
                }));
            }
            other => {
                // `Module.Type`.
                if self.peek() == Tok::Dot {
                    self.bump();
                    TypeRef::Named(self.ident("a type name")?.to_owned())
                } else {
                    TypeRef::Named(other.to_owned())
                }
            }
        };
        let mut syntax = Syntax::plain(ty);
        if self.peek() == Tok::LBrace {
            syntax.named = self.named_numbers()?;
        }
        if self.peek() == Tok::LParen {
            self.constraint(&mut syntax, depth)?;
        }
        Ok(syntax)
    }

    /// `{ name Type, ... }` of a SEQUENCE or CHOICE.
    fn fields(&mut self, depth: u32) -> Result<Vec<(String, Syntax)>, ParseError> {
        self.expect(Tok::LBrace, "`{`")?;
        let mut fields = Vec::new();
        loop {
            match self.peek() {
                Tok::RBrace => {
                    self.bump();
                    return Ok(fields);
                }
                Tok::Comma => {
                    self.bump();
                }
                Tok::Ident(name) => {
                    self.bump();
                    let syntax = self.syntax(depth + 1)?;
                    fields.push((name.to_owned(), syntax));
                    // Stray words up to the next comma, as net-snmp (which does not read
                    // SEQUENCE bodies) tolerates: a comment's second line, a missing comma.
                    while !matches!(self.peek(), Tok::Comma | Tok::RBrace | Tok::Eof) {
                        self.skip_item()?;
                    }
                }
                _ => return Err(self.unexpected("a SEQUENCE field")),
            }
        }
    }

    /// `{ up(1), down(2) }`: enumerations and BITS. Commas may be missing or doubled.
    fn named_numbers(&mut self) -> Result<Vec<(String, i64)>, ParseError> {
        self.expect(Tok::LBrace, "`{`")?;
        let mut named = Vec::new();
        loop {
            match self.peek() {
                Tok::RBrace => {
                    self.bump();
                    return Ok(named);
                }
                Tok::Comma => {
                    self.bump();
                }
                Tok::Ident(name) => {
                    self.bump();
                    self.expect(Tok::LParen, "`(` after an enumeration label")?;
                    let value = match self.peek() {
                        Tok::Number(n) => n.parse::<i64>().ok(),
                        _ => None,
                    }
                    .ok_or_else(|| self.unexpected("an enumeration value"))?;
                    self.bump();
                    self.expect(Tok::RParen, "`)`")?;
                    named.push((name.to_owned(), value));
                }
                _ => return Err(self.unexpected("an enumeration label")),
            }
        }
    }

    /// `(SIZE (0..255))`, `(0..10 | 20)`, `(SIZE (4 | 16))`.
    fn constraint(&mut self, syntax: &mut Syntax, depth: u32) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("constraints nested too deeply"));
        }
        self.expect(Tok::LParen, "`(`")?;
        loop {
            match self.peek() {
                Tok::RParen => {
                    self.bump();
                    return Ok(());
                }
                Tok::Bar | Tok::Comma => {
                    self.bump();
                }
                Tok::Ident("SIZE") => {
                    self.bump();
                    let mut inner = Syntax::plain(TypeRef::Null);
                    self.constraint(&mut inner, depth + 1)?;
                    syntax.sizes.extend(inner.ranges);
                }
                Tok::LParen => {
                    self.constraint(syntax, depth + 1)?;
                }
                _ => {
                    let lo = self.bound()?;
                    let hi = if self.eat(Tok::Range) {
                        self.bound()?
                    } else {
                        lo
                    };
                    // A bound named by an object (a vendor mistake net-snmp lets pass) makes
                    // the range unknown: dropped.
                    if let (Some(lo), Some(hi)) = (lo, hi) {
                        syntax.ranges.push(Range::new(lo, hi));
                    }
                }
            }
        }
    }

    fn bound(&mut self) -> Result<Option<i128>, ParseError> {
        if let Tok::Ident(w) = self.peek()
            && w != "MIN"
            && w != "MAX"
            && w.starts_with(|c: char| c.is_ascii_lowercase())
        {
            self.bump();
            return Ok(None);
        }
        let value = match self.peek() {
            Tok::Number(n) => n.parse::<i128>().ok(),
            Tok::Ident("MIN") => Some(i128::MIN),
            Tok::Ident("MAX") => Some(i128::MAX),
            Tok::Quoted(digits, radix) => {
                let r = if radix == 'B' { 2 } else { 16 };
                if digits.is_empty() {
                    Some(0)
                } else {
                    i128::from_str_radix(digits, r).ok()
                }
            }
            _ => None,
        };
        let value = value.ok_or_else(|| self.unexpected("a number in a range"))?;
        self.bump();
        Ok(Some(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_one(src: &str) -> Module {
        let mut m = parse(src, Path::new("t.mib")).unwrap();
        assert_eq!(m.len(), 1);
        m.remove(0)
    }

    #[test]
    fn object_type_clauses() {
        let m = parse_one(
            r#"T-MIB DEFINITIONS ::= BEGIN
            IMPORTS OBJECT-TYPE, Integer32 FROM SNMPv2-SMI
                    DisplayString FROM SNMPv2-TC;
            t OBJECT IDENTIFIER ::= { enterprises 99 }
            tEntry OBJECT-TYPE
                SYNTAX TEntry MAX-ACCESS not-accessible STATUS current
                DESCRIPTION "a row
                   over lines"
                INDEX { tIndex, IMPLIED tName }
                ::= { tTable 1 }
            tState OBJECT-TYPE
                SYNTAX INTEGER { up(1), down(2) -- missing comma
                                 testing(3) }
                UNITS "seconds"
                MAX-ACCESS read-write STATUS current
                DESCRIPTION "x" DEFVAL { up } ::= { tEntry 2 }
            tName OBJECT-TYPE SYNTAX OCTET STRING (SIZE (0..32 | 64)) ACCESS read-only
                STATUS mandatory ::= { tEntry 3 }
            END"#,
        );
        assert_eq!(m.name, "T-MIB");
        assert_eq!(m.imports.len(), 2);
        assert_eq!(
            m.imports[1],
            ("SNMPv2-TC".into(), vec!["DisplayString".into()])
        );
        assert_eq!(m.nodes.len(), 4);
        let entry = &m.nodes[1];
        assert_eq!(entry.index.len(), 2);
        assert!(entry.index[1].implied && !entry.index[0].implied);
        assert_eq!(
            entry.description.as_deref(),
            Some("a row\n                   over lines")
        );
        let state = &m.nodes[2];
        let syntax = state.syntax.as_ref().unwrap();
        assert_eq!(syntax.named.len(), 3);
        assert_eq!(state.units.as_deref(), Some("seconds"));
        assert_eq!(state.defval.as_deref(), Some("up"));
        assert_eq!(state.access, Some(Access::ReadWrite));
        let name = m.nodes[3].syntax.as_ref().unwrap();
        assert_eq!(name.sizes, [Range::new(0, 32), Range::new(64, 64)]);
        assert_eq!(m.nodes[3].status, Some(Status::Mandatory));
    }

    #[test]
    fn macros_tcs_traps_and_sequences() {
        let m = parse_one(
            r#"S DEFINITIONS ::= BEGIN
            OBJECT-TYPE MACRO ::= BEGIN TYPE NOTATION ::= "SYNTAX" type(ObjectSyntax)
                VALUE NOTATION ::= value(VALUE ObjectName) END
            Hint ::= TEXTUAL-CONVENTION DISPLAY-HINT "255a" STATUS current
                DESCRIPTION "d" SYNTAX OCTET STRING (SIZE (0..255))
            IpAddress ::= [APPLICATION 0] IMPLICIT OCTET STRING (SIZE (4))
            Row ::= SEQUENCE { a INTEGER, b Hint }
            boot TRAP-TYPE ENTERPRISE foo VARIABLES { a, b } DESCRIPTION "x" ::= 3
            END"#,
        );
        assert_eq!(m.types.len(), 3);
        assert!(m.types[0].textual_convention);
        assert_eq!(m.types[0].display_hint.as_deref(), Some("255a"));
        assert_eq!(m.types[1].syntax.sizes, [Range::new(4, 4)]);
        assert!(matches!(&m.types[2].syntax.ty, TypeRef::Sequence(f) if f.len() == 2));
        assert_eq!(
            m.nodes[0].oid,
            [
                OidComp::Name("foo".into()),
                OidComp::Number(0),
                OidComp::Number(3)
            ]
        );
    }

    #[test]
    fn errors_name_line_and_column() {
        let e = parse(
            "M DEFINITIONS ::= BEGIN\n x OBJECT IDENTIFIER ::= { y ; }\nEND",
            Path::new("m.txt"),
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (2, 30));
        assert!(e.to_string().starts_with("m.txt:2:30: "), "{e}");
    }

    #[test]
    fn module_names_scan() {
        assert_eq!(
            module_names("-- c\nA-MIB DEFINITIONS ::= BEGIN END B { 1 } DEFINITIONS ::= BEGIN END"),
            ["A-MIB", "B"]
        );
    }
}
