//! Event words inside the proper name of something that is not in the KB ("the Ceasefire
//! Violations Committee", "a Memorandum on Cessation of Hostilities", "the Warsaw Pact") name
//! that thing, not an event: a capitalised trigger word inside a run of capitalised words.

use crate::text::{Token, TokenKind};

/// Short words a name may carry between its capitalised words ("Cessation of Hostilities").
const NAME_JOINERS: &[&str] = &["of", "for", "on", "and", "the", "de"];

fn capitalised(src: &str, toks: &[Token], k: usize) -> bool {
    // the first word of a sentence is capitalised whatever it is
    k > 0
        && toks[k].kind == TokenKind::Word
        && toks[k]
            .text(src)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase())
}

/// Whether the sentence is set in title case (a headline), where capitals say nothing.
fn title_case(src: &str, toks: &[Token]) -> bool {
    let words: Vec<usize> = (1..toks.len())
        .filter(|&k| toks[k].kind == TokenKind::Word && toks[k].norm.len() > 3)
        .collect();
    words.len() >= 3
        && words.iter().filter(|&&k| capitalised(src, toks, k)).count() * 5 >= words.len() * 4
}

/// Whether the word at `k` is part of a multi-word capitalised name.
pub fn in_name(src: &str, toks: &[Token], k: usize) -> bool {
    if !capitalised(src, toks, k) || title_case(src, toks) {
        return false;
    }
    let cap = |i: usize| i < toks.len() && capitalised(src, toks, i);
    let joiner = |i: usize| i < toks.len() && NAME_JOINERS.contains(&toks[i].norm.as_str());
    cap(k + 1)
        || cap(k - 1)
        || (joiner(k + 1) && cap(k + 2))
        || (k >= 2 && joiner(k - 1) && cap(k - 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn check(s: &str, word: &str) -> bool {
        let toks = tokenize(s, 0);
        let k = toks.iter().position(|t| t.text(s) == word).unwrap();
        in_name(s, &toks, k)
    }

    #[test]
    fn capitalised_runs_are_names() {
        assert!(check(
            "Monitors from the Truce Supervision Board arrived.",
            "Truce"
        ));
        assert!(check(
            "Both sides signed the Declaration on Cessation of Hostilities.",
            "Hostilities"
        ));
        assert!(check("It left the Warsaw Pact in 1991.", "Pact"));
    }

    #[test]
    fn ordinary_words_and_headlines_are_not() {
        assert!(!check("The truce held overnight in the north.", "truce"));
        assert!(!check("Truce holds in the north after talks.", "Truce"));
        assert!(!check("Rebels Agree To Truce After Talks In Doha", "Truce"));
        assert!(!check(
            "Officials said Hamas attacked the post.",
            "attacked"
        ));
    }
}
