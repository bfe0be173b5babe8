//! Whether a date phrase looks forward or back from the report date, read from the verb
//! nearest to it ("will lead … on Monday" forward, "met on Monday" back). It reads tense
//! only; it must never resolve a date.

use crate::text::{Token, TokenKind};

/// Words that put the nearest clause in the future.
const FUTURE: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "would",
    "expected",
    "scheduled",
    "due",
    "planned",
    "plans",
    "plan",
    "slated",
    "intends",
    "upcoming",
    "next",
    "going",
    "set",
    "hopes",
    "aims",
    "tomorrow",
];

/// Common irregular past forms ("met on Monday", "fled last week").
const IRREGULAR_PAST: &[&str] = &[
    "said", "was", "were", "had", "did", "met", "held", "fled", "struck", "hit", "began", "took",
    "came", "went", "fought", "told", "left", "sent", "shot", "won", "lost", "made", "gave", "saw",
    "broke", "led", "spoke", "flew", "threw", "seized", "stole", "ran", "fell", "rose", "put",
    "set", "found", "brought", "sought", "became", "got", "paid", "drove", "blew", "slew",
];

enum Tense {
    Future,
    Past,
    Neutral,
}

fn tense_of(toks: &[Token], k: usize) -> Tense {
    let w = toks[k].norm.as_str();
    let after_be = k > 0 && matches!(toks[k - 1].norm.as_str(), "be" | "being");
    // "is set to", "are due to": "set" alone is a past form
    if w == "set" {
        return match toks.get(k + 1).map(|t| t.norm.as_str()) {
            Some("to") => Tense::Future,
            _ => Tense::Past,
        };
    }
    // "talks are to be held": "to" after a form of "be" is a plan
    let after_is = k > 0 && matches!(toks[k - 1].norm.as_str(), "is" | "are" | "am");
    if FUTURE.contains(&w) || (w == "to" && after_is) {
        return Tense::Future;
    }
    // "to be held on Monday": a participle after "be" says nothing of when
    if after_be {
        return Tense::Neutral;
    }
    let regular = w.len() > 4 && w.ends_with("ed") && toks[k].kind == TokenKind::Word;
    if regular || IRREGULAR_PAST.contains(&w) {
        return Tense::Past;
    }
    Tense::Neutral
}

/// Whether the date phrase at tokens `start..end` looks forward: the nearest tense marker
/// within its clause, on either side, is a future one. Reports mostly look back, so no marker
/// means back.
pub fn looks_forward(toks: &[Token], start: usize, end: usize) -> bool {
    let stop = |k: usize| matches!(toks[k].norm.as_str(), "." | ";" | "?" | "!" | ":");
    let nearest = |ks: &mut dyn Iterator<Item = usize>| {
        ks.enumerate().find_map(|(d, k)| match tense_of(toks, k) {
            Tense::Future => Some((d, true)),
            Tense::Past => Some((d, false)),
            Tense::Neutral => None,
        })
    };
    let left = nearest(&mut (0..start).rev().take_while(|&k| !stop(k)).take(10));
    let right = nearest(&mut (end..toks.len()).take_while(|&k| !stop(k)).take(10));
    // a tie goes to the verb before ("met on Friday and will meet again")
    match (left, right) {
        (Some((dl, fl)), Some((dr, fr))) => {
            if dl <= dr {
                fl
            } else {
                fr
            }
        }
        (Some((_, f)), None) | (None, Some((_, f))) => f,
        (None, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn forward(s: &str, date_word: &str) -> bool {
        let toks = tokenize(s, 0);
        let i = toks.iter().position(|t| t.norm == date_word).unwrap();
        looks_forward(&toks, i, i + 1)
    }

    #[test]
    fn the_nearest_verb_decides() {
        assert!(forward(
            "The envoy will head the mission on Friday",
            "friday"
        ));
        assert!(forward(
            "On Friday, the envoy will head the mission",
            "friday"
        ));
        assert!(forward(
            "The vote is expected to take place on Friday",
            "friday"
        ));
        assert!(forward("Talks are to be held on Friday", "friday"));
        assert!(!forward(
            "The envoy said on Friday that he would resign",
            "friday"
        ));
        assert!(!forward("Rebels attacked the town on Friday", "friday"));
        assert!(!forward(
            "The ministers met on Friday and will meet again",
            "friday"
        ));
        assert!(!forward("Police on Friday arrested four men", "friday"));
    }
}
