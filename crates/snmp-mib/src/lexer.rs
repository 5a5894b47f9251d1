//! The tokens of an SMI module (the ASN.1 subset of RFC 1155 and RFC 2578, as net-snmp reads it).
//!
//! Comments run from `--` to the end of the line or to the next `--`. Quoted strings may span
//! lines. Identifiers may hold `-` and `_` (vendors use both), but never `--`.

/// One token and where it starts (1-based line and column; the column counts characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) kind: Tok<'a>,
    pub(crate) line: u32,
    pub(crate) col: u32,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// An identifier or keyword (`sysDescr`, `OBJECT-TYPE`, `INTEGER`).
    Ident(&'a str),
    /// Decimal digits, with a leading `-` when negative.
    Number(&'a str),
    /// The text between double quotes.
    Str(&'a str),
    /// A `'...'H` or `'...'B` string: the digits and the radix letter (upper case).
    Quoted(&'a str, char),
    /// `::=`
    Assign,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `,`
    Comma,
    /// `;`
    Semi,
    /// `..`
    Range,
    /// `.`
    Dot,
    /// `|`
    Bar,
    /// Any other character (`:`, `<`, stray bytes).
    Other(char),
    /// The end of the text.
    Eof,
}

/// A string that was never closed: where it opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unterminated {
    pub(crate) line: u32,
    pub(crate) col: u32,
}

/// A streaming tokenizer over the bytes of the text (every character that matters in SMI is
/// ASCII; other characters only occur inside strings and comments).
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    col: u32,
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Self {
            src,
            bytes: src.as_bytes(),
            pos: 0,
            line: 1,
            col: 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<u8> {
        self.bytes.get(self.pos + 1).copied()
    }

    fn bump(&mut self) {
        if let Some(b) = self.peek() {
            self.pos += 1;
            if b == b'\n' {
                self.line = self.line.saturating_add(1);
                self.col = 1;
            } else if b & 0xc0 != 0x80 {
                // Columns count characters: not the continuation bytes of UTF-8.
                self.col = self.col.saturating_add(1);
            }
        }
    }

    /// Moves to byte `to` (not past the end), counting lines and columns on the way.
    fn advance_to(&mut self, to: usize) {
        let to = to.min(self.bytes.len());
        while self.pos < to {
            self.bump();
        }
    }

    fn slice(&self, from: usize) -> &'a str {
        self.src.get(from..self.pos).unwrap_or_default()
    }

    /// Skips a comment whose `--` has been consumed: to the end of the line or the next `--`.
    fn skip_comment(&mut self) {
        let rest = self.bytes.get(self.pos..).unwrap_or_default();
        let mut i = 0;
        while let Some(&b) = rest.get(i) {
            if b == b'\n' {
                break;
            }
            if b == b'-' && rest.get(i + 1) == Some(&b'-') {
                i += 2;
                break;
            }
            i += 1;
        }
        self.advance_to(self.pos + i);
    }

    fn skip_ident_bytes(&mut self) {
        while let Some(b) = self.peek() {
            if !is_ident_byte(b) || (b == b'-' && self.peek2() == Some(b'-')) {
                break;
            }
            self.pos += 1;
            self.col = self.col.saturating_add(1);
        }
    }

    /// The next token ([`Tok::Eof`] at the end, again and again).
    pub(crate) fn next_token(&mut self) -> Result<Token<'a>, Unterminated> {
        loop {
            let Some(c) = self.peek() else {
                return Ok(Token {
                    kind: Tok::Eof,
                    line: self.line,
                    col: self.col,
                });
            };
            let (line, col) = (self.line, self.col);
            let start = self.pos;
            let kind = if c.is_ascii_whitespace() {
                self.bump();
                continue;
            } else if c == b'-' && self.peek2() == Some(b'-') {
                self.bump();
                self.bump();
                self.skip_comment();
                continue;
            } else if c.is_ascii_alphabetic() || c == b'_' {
                self.skip_ident_bytes();
                Tok::Ident(self.slice(start))
            } else if c.is_ascii_digit()
                || (c == b'-' && self.peek2().is_some_and(|d| d.is_ascii_digit()))
            {
                self.bump();
                while self.peek().is_some_and(|d| d.is_ascii_digit()) {
                    self.bump();
                }
                if c != b'-'
                    && self
                        .peek()
                        .is_some_and(|d| d.is_ascii_alphabetic() || d == b'_')
                {
                    // A label that starts with digits (`8021x(11)`, `80211vSmartRoamFailed`):
                    // not SMI, but net-snmp reads it.
                    self.skip_ident_bytes();
                    Tok::Ident(self.slice(start))
                } else {
                    Tok::Number(self.slice(start))
                }
            } else if c == b'"' {
                self.bump();
                let body = self.pos;
                let rest = self.bytes.get(body..).unwrap_or_default();
                let Some(len) = rest.iter().position(|&b| b == b'"') else {
                    return Err(Unterminated { line, col });
                };
                self.advance_to(body + len);
                let text = self.slice(body);
                self.bump();
                Tok::Str(text)
            } else if c == b'\'' {
                self.bump();
                let body = self.pos;
                while self.peek().is_some_and(|d| d != b'\'' && d != b'\n') {
                    self.bump();
                }
                let text = self.slice(body);
                if self.peek() == Some(b'\'') {
                    self.bump();
                }
                let radix = match self.peek() {
                    Some(r @ (b'h' | b'H' | b'b' | b'B')) => {
                        self.bump();
                        char::from(r.to_ascii_uppercase())
                    }
                    _ => 'H',
                };
                Tok::Quoted(text, radix)
            } else if !c.is_ascii() {
                let ch = self
                    .src
                    .get(self.pos..)
                    .and_then(|r| r.chars().next())
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                self.advance_to(self.pos + ch.len_utf8());
                Tok::Other(ch)
            } else {
                self.bump();
                match c {
                    b':' if self.peek() == Some(b':') && self.peek2() == Some(b'=') => {
                        self.bump();
                        self.bump();
                        Tok::Assign
                    }
                    b'.' if self.peek() == Some(b'.') => {
                        self.bump();
                        Tok::Range
                    }
                    b'{' => Tok::LBrace,
                    b'}' => Tok::RBrace,
                    b'(' => Tok::LParen,
                    b')' => Tok::RParen,
                    b'[' => Tok::LBracket,
                    b']' => Tok::RBracket,
                    b',' => Tok::Comma,
                    b';' => Tok::Semi,
                    b'.' => Tok::Dot,
                    b'|' => Tok::Bar,
                    other => Tok::Other(char::from(other)),
                }
            };
            return Ok(Token { kind, line, col });
        }
    }
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token<'_>>, Unterminated> {
    let mut lexer = Lexer::new(src);
    let mut out = Vec::with_capacity(src.len() / 8);
    loop {
        let t = lexer.next_token()?;
        out.push(t);
        if t.kind == Tok::Eof {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok<'_>> {
        tokenize(src).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn comments_end_at_line_end_or_next_double_hyphen() {
        assert_eq!(
            kinds("a -- note -- b\nc -- rest\nd"),
            [
                Tok::Ident("a"),
                Tok::Ident("b"),
                Tok::Ident("c"),
                Tok::Ident("d"),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn identifiers_numbers_and_punctuation() {
        assert_eq!(
            kinds("mib-2 ::= { x(1) -5..7 } 'FF'h '01'B 8021x"),
            [
                Tok::Ident("mib-2"),
                Tok::Assign,
                Tok::LBrace,
                Tok::Ident("x"),
                Tok::LParen,
                Tok::Number("1"),
                Tok::RParen,
                Tok::Number("-5"),
                Tok::Range,
                Tok::Number("7"),
                Tok::RBrace,
                Tok::Quoted("FF", 'H'),
                Tok::Quoted("01", 'B'),
                Tok::Ident("8021x"),
                Tok::Eof
            ]
        );
    }

    #[test]
    fn strings_span_lines_and_positions_count() {
        let toks = tokenize("x \"a\nb\" y").unwrap();
        assert_eq!(toks[1].kind, Tok::Str("a\nb"));
        assert_eq!((toks[2].line, toks[2].col), (2, 4));
        assert_eq!(
            tokenize("\n  \"open"),
            Err(Unterminated { line: 2, col: 3 })
        );
    }
}
