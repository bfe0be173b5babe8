//! One normal form for words, shared by the KB index and the coder, so "Israel’s", "ISRAEL'S"
//! and "Israel's" meet, and "Zelenskyy" matches "Zelenskýy".

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lowercase, without diacritics, curly apostrophes made straight, dots of abbreviations dropped
/// ("U.S." → "us"). Keeps hyphens and apostrophes inside the word.
pub fn normalize_word(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    if w.is_ascii() {
        for b in w.bytes() {
            if b != b'.' {
                out.push(b.to_ascii_lowercase() as char);
            }
        }
        return out;
    }
    for c in strip_diacritics(w).chars() {
        match c {
            '.' => {}
            c if super::token::is_invisible(c) => {}
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' => out.push('\''),
            '\u{2010}'..='\u{2014}' => out.push('-'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

pub fn strip_diacritics(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.nfd().filter(|c| !is_combining_mark(*c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_dots_diacritics_and_apostrophes() {
        assert_eq!(normalize_word("U.S."), "us");
        assert_eq!(normalize_word("ISRAEL"), "israel");
        assert_eq!(normalize_word("Zelenskýy"), "zelenskyy");
        assert_eq!(normalize_word("Erdoğan"), "erdogan");
        assert_eq!(normalize_word("’s"), "'s");
        assert_eq!(normalize_word("Côte"), "cote");
    }
}
