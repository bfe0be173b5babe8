//! Sentence splitting over tokens: ends at . ! ? (and any closing quotes) before a capital,
//! digit or quote, unless the dot belongs to an abbreviation or an initial; a blank line always
//! ends a sentence.

use super::token::{tokenize, Token, TokenKind};

#[derive(Debug, Clone)]
pub struct Sentence {
    /// Byte offsets in the document text.
    pub start: usize,
    pub end: usize,
    pub tokens: Vec<Token>,
}

impl Sentence {
    pub fn text<'a>(&self, doc: &'a str) -> &'a str {
        &doc[self.start..self.end]
    }
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "cpt", "maj", "adm", "cmdr", "sen",
    "rep", "gov", "pres", "st", "jr", "sr", "prof", "rev", "hon", "no", "vs", "etc", "inc", "corp",
    "ltd", "co", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "mt", "ft", "brig", "gens", "fig", "approx", "dept", "univ", "est",
];

fn is_closer(s: &str) -> bool {
    matches!(s, "\"" | "'" | "\u{201D}" | "\u{2019}" | ")" | "]" | "»")
}

fn starts_sentence(tok: &Token, src: &str) -> bool {
    match tok.text(src).chars().next() {
        Some(c) => {
            c.is_uppercase()
                || c.is_ascii_digit()
                || matches!(c, '"' | '\u{201C}' | '\'' | '\u{2018}' | '(' | '«')
        }
        None => false,
    }
}

/// Splits `text` into sentences with their tokens.
pub fn sentences(text: &str) -> Vec<Sentence> {
    let toks = tokenize(text, 0);
    let ends = boundaries(text, &toks);
    let mut out = Vec::with_capacity(ends.len());
    let mut it = toks.into_iter();
    let mut from = 0;
    for end in ends {
        push(&mut out, it.by_ref().take(end - from).collect());
        from = end;
    }
    out
}

/// Exclusive token indexes where sentences end; the last is the token count.
fn boundaries(text: &str, toks: &[Token]) -> Vec<usize> {
    let n = toks.len();
    crate::work::add(n);
    let mut ends = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < n {
        // a blank line between the previous token and this one ends the sentence
        if i > start && is_paragraph_break(&text[toks[i - 1].end..toks[i].start]) {
            ends.push(i);
            start = i;
        }
        let t = &toks[i];
        let is_end = t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "." | "!" | "?");
        i += 1;
        if !is_end {
            continue;
        }
        let dot = i - 1;
        while i < n && is_closer(toks[i].text(text)) && toks[i].kind == TokenKind::Punct {
            i += 1;
        }
        if i >= n {
            break;
        }
        if !starts_sentence(&toks[i], text) {
            continue;
        }
        // the word before the dot: an abbreviation or a single-letter initial keeps the sentence
        if dot > start && toks[dot].norm == "." && i == dot + 1 {
            let b = &toks[dot - 1];
            if b.end == toks[dot].start && b.kind == TokenKind::Word {
                let w = b.norm.as_str();
                let initial =
                    w.chars().count() == 1 && b.text(text).chars().all(char::is_uppercase);
                if ABBREVIATIONS.contains(&w) || initial {
                    continue;
                }
            }
        }
        ends.push(i);
        start = i;
    }
    if start < n {
        ends.push(n);
    }
    ends
}

fn is_paragraph_break(gap: &str) -> bool {
    gap.matches('\n').count() >= 2
}

fn push(out: &mut Vec<Sentence>, toks: Vec<Token>) {
    if let (Some(f), Some(l)) = (toks.first(), toks.last()) {
        out.push(Sentence {
            start: f.start,
            end: l.end,
            tokens: toks,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(s: &str) -> Vec<String> {
        sentences(s).iter().map(|x| x.text(s).to_string()).collect()
    }

    #[test]
    fn keeps_abbreviations_and_initials_inside() {
        assert_eq!(
            split("Gen. Smith met Mr. Jones in the U.S. capital. Talks went well."),
            [
                "Gen. Smith met Mr. Jones in the U.S. capital.",
                "Talks went well."
            ]
        );
        assert_eq!(
            split("John F. Kennedy spoke. Then he left."),
            ["John F. Kennedy spoke.", "Then he left."]
        );
    }

    #[test]
    fn quotes_stay_with_their_sentence() {
        assert_eq!(
            split("He said: “We will fight.” Troops moved in."),
            ["He said: “We will fight.”", "Troops moved in."]
        );
    }

    #[test]
    fn blank_lines_end_sentences_and_lowercase_does_not_start_one() {
        assert_eq!(
            split("A headline\n\nBody text. more text"),
            ["A headline", "Body text. more text"]
        );
    }

    #[test]
    fn offsets_cover_unicode() {
        let s = "Israel’s army moved. Qatar’s envoy — “calm” — left!";
        let v = sentences(s);
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].text(s), "Qatar’s envoy — “calm” — left!");
    }
}
