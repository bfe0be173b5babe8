//! Tokens: words (with inner apostrophes, and dots of abbreviations like "U.S."), numbers
//! ("1,000", "3.5"), and punctuation; possessive "'s" and "n't" split off as tokens of their own.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offsets in the text that was tokenised.
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// `normalize_word` of the token text.
    pub norm: String,
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        &src[self.start..self.end]
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// Tokenises `text`, with offsets relative to `text` plus `base`.
pub fn tokenize(text: &str, base: usize) -> Vec<Token> {
    let mut toks = Vec::with_capacity(text.len() / 5);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    crate::work::add(n);
    let at = |i: usize| if i < n { chars[i].1 } else { ' ' };
    let off = |i: usize| if i < n { chars[i].0 } else { text.len() };
    let mut i = 0;
    while i < n {
        let c = chars[i].1;
        if c.is_whitespace() || is_invisible(c) {
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if c.is_ascii_digit() {
            kind = TokenKind::Number;
            i += 1;
            while i < n {
                let d = at(i);
                if d.is_ascii_digit() || ((d == ',' || d == '.') && at(i + 1).is_ascii_digit()) {
                    i += 1;
                } else {
                    break;
                }
            }
            // "1990s", "3rd", "20th": a number glued to letters reads as one word
            if at(i).is_alphabetic() {
                while i < n && at(i).is_alphanumeric() {
                    i += 1;
                }
            }
        } else if c.is_alphanumeric() {
            kind = TokenKind::Word;
            i += 1;
            loop {
                let d = at(i);
                // web text hides soft hyphens and zero-width joiners inside words ("Is\u{AD}rael"):
                // they belong to the word, and `normalize_word` drops them
                if d.is_alphanumeric()
                    || is_combining(d)
                    || (is_invisible(d) && at(i + 1).is_alphanumeric())
                {
                    i += 1;
                } else if is_apostrophe(d) && at(i + 1).is_alphabetic() {
                    // stop before possessive 's / n't so they become tokens of their own
                    let rest_s =
                        (at(i + 1) == 's' || at(i + 1) == 'S') && !at(i + 2).is_alphanumeric();
                    if rest_s {
                        break;
                    }
                    i += 1;
                } else if d == '.'
                    && at(i + 1).is_alphabetic()
                    && at(i + 2) == '.'
                    && i - start == 1
                {
                    // U.S., U.N., U.K.: letter-dot-letter-dot
                    i += 2;
                    while at(i).is_alphabetic() && at(i + 1) == '.' {
                        i += 2;
                    }
                } else {
                    break;
                }
            }
            // trailing dot of an abbreviation built above ("U.S.")
            if at(i) == '.' && i >= 2 && at(i - 2) == '.' {
                i += 1;
            }
            // split "n't" off "hasn't"
            if i - start > 3
                && matches!(at(i - 3), 'n' | 'N')
                && is_apostrophe(at(i - 2))
                && matches!(at(i - 1), 't' | 'T')
            {
                let cut = i - 3;
                toks.push(make(text, base, off(start), off(cut), TokenKind::Word));
                toks.push(make(text, base, off(cut), off(i), TokenKind::Word));
                continue;
            }
        } else if is_apostrophe(c)
            && (at(i + 1) == 's' || at(i + 1) == 'S')
            && !at(i + 2).is_alphanumeric()
            && start > 0
            && chars[start - 1].1.is_alphanumeric()
        {
            kind = TokenKind::Word;
            i += 2;
        } else {
            kind = TokenKind::Punct;
            i += 1;
        }
        toks.push(make(text, base, off(start), off(i), kind));
    }
    toks
}

fn make(text: &str, base: usize, s: usize, e: usize, kind: TokenKind) -> Token {
    Token {
        start: base + s,
        end: base + e,
        kind,
        norm: match kind {
            TokenKind::Word => super::normalize_word(&text[s..e]),
            _ => text[s..e].to_string(),
        },
    }
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// Zero-width and direction marks split nothing and mean nothing.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(s: &str) -> Vec<String> {
        tokenize(s, 0).into_iter().map(|t| t.norm).collect()
    }

    #[test]
    fn splits_possessives_negations_and_hyphens() {
        assert_eq!(norms("Israel’s invasion"), ["israel", "'s", "invasion"]);
        assert_eq!(norms("Hamas hasn't"), ["hamas", "has", "n't"]);
        assert_eq!(
            norms("Israel-Lebanon border"),
            ["israel", "-", "lebanon", "border"]
        );
        assert_eq!(norms("the U.S. and U.N."), ["the", "us", "and", "un"]);
        assert_eq!(
            norms("over 1,000 troops, 3.5 km"),
            ["over", "1,000", "troops", ",", "3.5", "km"]
        );
        assert_eq!(norms("O'Brien said."), ["o'brien", "said", "."]);
    }

    #[test]
    fn invisible_marks_inside_words_join_them() {
        assert_eq!(
            norms("Is\u{AD}rael at\u{200D}tacked \u{200B}Gaza\u{200F}"),
            ["israel", "attacked", "gaza"]
        );
    }

    #[test]
    fn offsets_point_into_the_source() {
        let s = "Café  “Hamas” ‍released";
        for t in tokenize(s, 100) {
            let txt = &s[t.start - 100..t.end - 100];
            assert!(!txt.is_empty());
            assert_eq!(super::super::normalize_word(txt), t.norm);
        }
        assert_eq!(tokenize(s, 0).len(), 5);
    }
}
