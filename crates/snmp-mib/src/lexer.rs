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

struct Cursor<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    col: u32,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<char> {
        self.src.get(self.pos..)?.chars().next()
    }

    fn peek2(&self) -> Option<char> {
        let mut it = self.src.get(self.pos..)?.chars();
        it.next();
        it.next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line = self.line.saturating_add(1);
            self.col = 1;
        } else {
            self.col = self.col.saturating_add(1);
        }
        Some(c)
    }

    fn slice(&self, from: usize) -> &'a str {
        self.src.get(from..self.pos).unwrap_or_default()
    }

    /// Skips a comment whose `--` has been consumed: to the end of the line or the next `--`.
    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                return;
            }
            self.bump();
            if c == '-' && self.peek() == Some('-') {
                self.bump();
                return;
            }
        }
    }
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token<'_>>, Unterminated> {
    let mut cur = Cursor {
        src,
        pos: 0,
        line: 1,
        col: 1,
    };
    let mut out = Vec::with_capacity(src.len() / 6);
    loop {
        let Some(c) = cur.peek() else {
            out.push(Token {
                kind: Tok::Eof,
                line: cur.line,
                col: cur.col,
            });
            return Ok(out);
        };
        let (line, col) = (cur.line, cur.col);
        let start = cur.pos;
        let kind = if c.is_whitespace() {
            cur.bump();
            continue;
        } else if c == '-' && cur.peek2() == Some('-') {
            cur.bump();
            cur.bump();
            cur.skip_comment();
            continue;
        } else if c.is_ascii_alphabetic() || c == '_' {
            while let Some(c) = cur.peek() {
                if !is_ident_char(c) || (c == '-' && cur.peek2() == Some('-')) {
                    break;
                }
                cur.bump();
            }
            // An identifier does not end in a hyphen (`foo-` then `-`) unless more follows.
            Tok::Ident(cur.slice(start))
        } else if c.is_ascii_digit()
            || (c == '-' && cur.peek2().is_some_and(|d| d.is_ascii_digit()))
        {
            cur.bump();
            while cur.peek().is_some_and(|d| d.is_ascii_digit()) {
                cur.bump();
            }
            if c != '-'
                && cur
                    .peek()
                    .is_some_and(|d| d.is_ascii_alphabetic() || d == '_')
            {
                // A label that starts with digits (`8021x(11)`, `80211vSmartRoamFailed`):
                // not SMI, but net-snmp reads it.
                while cur
                    .peek()
                    .is_some_and(|d| is_ident_char(d) && !(d == '-' && cur.peek2() == Some('-')))
                {
                    cur.bump();
                }
                Tok::Ident(cur.slice(start))
            } else {
                Tok::Number(cur.slice(start))
            }
        } else if c == '"' {
            cur.bump();
            let body = cur.pos;
            loop {
                match cur.peek() {
                    None => return Err(Unterminated { line, col }),
                    Some('"') => break,
                    Some(_) => {
                        cur.bump();
                    }
                }
            }
            let text = cur.slice(body);
            cur.bump();
            Tok::Str(text)
        } else if c == '\'' {
            cur.bump();
            let body = cur.pos;
            while cur.peek().is_some_and(|d| d != '\'' && d != '\n') {
                cur.bump();
            }
            let text = cur.slice(body);
            if cur.peek() == Some('\'') {
                cur.bump();
            }
            let radix = match cur.peek() {
                Some(r @ ('h' | 'H' | 'b' | 'B')) => {
                    cur.bump();
                    r.to_ascii_uppercase()
                }
                _ => 'H',
            };
            Tok::Quoted(text, radix)
        } else {
            cur.bump();
            match c {
                ':' if cur.peek() == Some(':') && cur.peek2() == Some('=') => {
                    cur.bump();
                    cur.bump();
                    Tok::Assign
                }
                '.' if cur.peek() == Some('.') => {
                    cur.bump();
                    Tok::Range
                }
                '{' => Tok::LBrace,
                '}' => Tok::RBrace,
                '(' => Tok::LParen,
                ')' => Tok::RParen,
                '[' => Tok::LBracket,
                ']' => Tok::RBracket,
                ',' => Tok::Comma,
                ';' => Tok::Semi,
                '.' => Tok::Dot,
                '|' => Tok::Bar,
                other => Tok::Other(other),
            }
        };
        out.push(Token { kind, line, col });
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
