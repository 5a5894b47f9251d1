//! The tokens of an SMI module (the ASN.1 subset of RFC 1155 and RFC 2578, as net-snmp reads it).
//!
//! Comments run from `--` to the end of the line or to the next `--`. Quoted strings may span
//! lines. Identifiers may hold `-` and `_` (vendors use both), but never `--`.
//!
//! Tokens record their byte offset only: [`line_col`] turns it into a line and a column when an
//! error needs them (counting lines as the lexer goes was a fifth of the lexer's time).

/// One token and where it starts (a byte offset in the text; see [`line_col`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) kind: Tok<'a>,
    pub(crate) pos: u32,
}

/// The 1-based line and column (in characters) of byte `pos` of `src`.
pub(crate) fn line_col(src: &str, pos: u32) -> (u32, u32) {
    let pos = usize::try_from(pos).unwrap_or(usize::MAX).min(src.len());
    let before = src.as_bytes().get(..pos).unwrap_or_default();
    let lines = before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b & 0xc0 != 0x80)
        .count();
    let clamp = |n: usize| u32::try_from(n.saturating_add(1)).unwrap_or(u32::MAX);
    (clamp(lines), clamp(col))
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

/// A string that was never closed: where it opened (a byte offset, see [`line_col`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Unterminated {
    pub(crate) pos: u32,
}

/// A streaming tokenizer over the bytes of the text (every character that matters in SMI is
/// ASCII; other characters only occur inside strings and comments).
pub(crate) struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
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
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn peek2(&self) -> Option<u8> {
        self.bytes.get(self.pos + 1).copied()
    }

    fn bump(&mut self) {
        if self.pos < self.bytes.len() {
            self.pos += 1;
        }
    }

    /// Moves to byte `to` (not past the end).
    fn advance_to(&mut self, to: usize) {
        self.pos = to.min(self.bytes.len());
    }

    fn slice(&self, from: usize) -> &'a str {
        self.src.get(from..self.pos).unwrap_or_default()
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.pos).unwrap_or(u32::MAX)
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
        }
    }

    /// The next token ([`Tok::Eof`] at the end, again and again).
    pub(crate) fn next_token(&mut self) -> Result<Token<'a>, Unterminated> {
        loop {
            let Some(c) = self.peek() else {
                return Ok(Token {
                    kind: Tok::Eof,
                    pos: self.offset(),
                });
            };
            let pos = self.offset();
            let start = self.pos;
            let kind = if c.is_ascii_whitespace() {
                self.pos += 1;
                while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
                    self.pos += 1;
                }
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
                    return Err(Unterminated { pos });
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
            return Ok(Token { kind, pos });
        }
    }
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token<'_>>, Unterminated> {
    let mut lexer = Lexer::new(src);
    // MIB text is mostly descriptions: a first guess of one token per 16 bytes (the vector
    // grows if need be) rather than several times the text's size reserved up front.
    let mut out = Vec::with_capacity(src.len() / 16 + 16);
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
        let src = "x \"a\nb\" y";
        let toks = tokenize(src).unwrap();
        assert_eq!(toks[1].kind, Tok::Str("a\nb"));
        assert_eq!(line_col(src, toks[2].pos), (2, 4));
        assert_eq!(tokenize("\n  \"open"), Err(Unterminated { pos: 3 }));
        assert_eq!(line_col("\n  \"open", 3), (2, 3));
        // Columns count characters, not bytes.
        assert_eq!(line_col("\u{e9}\u{e9} x", 5), (1, 4));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
