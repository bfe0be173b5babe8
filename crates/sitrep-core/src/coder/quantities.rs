//! Quantities: "over 200 hostages" → 200, more_than, hostages; "two American hostages" → 2.

use crate::event::Quantity;
use crate::text::{Token, TokenKind};

#[derive(Debug, Clone)]
pub struct Found {
    /// First token within the sentence.
    pub start: usize,
    pub quantity: Quantity,
}

fn word_value(w: &str) -> Option<f64> {
    const UNITS: [&str; 20] = [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
    ];
    const TENS: [&str; 8] = [
        "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];
    if let Some(i) = UNITS.iter().position(|u| *u == w) {
        return Some(i as f64);
    }
    if let Some(i) = TENS.iter().position(|u| *u == w) {
        return Some(((i + 2) * 10) as f64);
    }
    // "twenty-five" is one token only when written with a non-ASCII hyphen; handle both
    if let Some((a, b)) = w.split_once('-') {
        if let (Some(x), Some(y)) = (word_value(a), word_value(b)) {
            return Some(x + y);
        }
    }
    match w {
        "dozen" => Some(12.0),
        _ => None,
    }
}

fn multiplier(w: &str) -> Option<f64> {
    match w {
        "hundred" => Some(100.0),
        "thousand" => Some(1_000.0),
        "million" | "mln" => Some(1_000_000.0),
        "billion" | "bn" => Some(1_000_000_000.0),
        _ => None,
    }
}

/// Vague plurals: "hundreds of protesters" means more than a hundred.
fn vague(w: &str) -> Option<f64> {
    match w {
        "dozens" => Some(12.0),
        "scores" => Some(20.0),
        "hundreds" => Some(100.0),
        "thousands" => Some(1_000.0),
        "millions" => Some(1_000_000.0),
        _ => None,
    }
}

fn qualifier_before(toks: &[Token], i: usize) -> (Option<&'static str>, usize) {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    if i >= 2 {
        let two = (w(i - 2), w(i - 1));
        let q = match two {
            ("more", "than") | ("upwards", "of") => Some("more_than"),
            ("at", "least") => Some("at_least"),
            ("at", "most") | ("up", "to") => Some("at_most"),
            ("less", "than") | ("fewer", "than") => Some("less_than"),
            _ => None,
        };
        if q.is_some() {
            return (q, i - 2);
        }
    }
    if i >= 1 {
        let q = match w(i - 1) {
            "over" => Some("more_than"),
            "about" | "around" | "some" | "roughly" | "approximately" | "estimated" | "nearly"
            | "almost" => Some("about"),
            "under" => Some("less_than"),
            "exactly" => Some("exact"),
            _ => None,
        };
        if q.is_some() {
            return (q, i - 1);
        }
    }
    (None, i)
}

/// `is_people_word` says whether a capitalised word is a demonym ("Americans"), which makes the
/// unit "people".
pub fn find(src: &str, toks: &[Token], is_people_word: impl Fn(usize) -> bool) -> Vec<Found> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let (mut value, mut vague_q) = (None, false);
        let mut end = i + 1;
        if t.kind == TokenKind::Number {
            value = t.norm.replace(',', "").parse::<f64>().ok();
        } else if let Some(v) = word_value(&t.norm) {
            // "one" is too often a pronoun ("one of the…") to count alone
            if t.norm != "one"
                || toks
                    .get(i + 1)
                    .is_some_and(|n| multiplier(&n.norm).is_some())
            {
                value = Some(v);
            }
        } else if let Some(v) = vague(&t.norm) {
            if toks.get(i + 1).is_some_and(|n| n.norm == "of") {
                value = Some(v);
                vague_q = true;
                end = i + 2;
            }
        }
        let Some(mut v) = value else {
            i += 1;
            continue;
        };
        // years and dates are not quantities
        if t.kind == TokenKind::Number && (1900.0..=2100.0).contains(&v) && !t.norm.contains(',') {
            i += 1;
            continue;
        }
        while let Some(m) = toks.get(end).and_then(|n| multiplier(&n.norm)) {
            v *= m;
            end += 1;
        }
        // "billion billion …" overflows to infinity, which JSON cannot carry
        if !v.is_finite() {
            i = end;
            continue;
        }
        // the unit: the next noun, skipping up to two modifiers ("American", "more")
        let mut k = end;
        let mut unit = None;
        while k < toks.len() && k <= end + 2 {
            let n = &toks[k];
            if n.kind != TokenKind::Word {
                break;
            }
            let capital = n.text(src).chars().next().is_some_and(char::is_uppercase);
            if capital && is_people_word(k) && n.norm.ends_with('s') {
                unit = Some(("people".to_string(), k + 1));
                break;
            }
            if capital
                || matches!(
                    n.norm.as_str(),
                    "more" | "other" | "additional" | "further" | "new" | "of" | "the"
                )
            {
                k += 1;
                continue;
            }
            unit = Some((n.norm.clone(), k + 1));
            break;
        }
        let Some((unit, unit_end)) = unit else {
            i = end;
            continue;
        };
        if matches!(
            unit.as_str(),
            "of" | "and"
                | "or"
                | "to"
                | "in"
                | "on"
                | "at"
                | "per"
                | "years"
                | "year"
                | "days"
                | "hours"
                | "minutes"
                | "weeks"
                | "months"
        ) {
            i = end;
            continue;
        }
        let (q, qstart) = qualifier_before(toks, i);
        let qualifier = q
            .unwrap_or(if vague_q { "more_than" } else { "exact" })
            .to_string();
        out.push(Found {
            start: qstart,
            quantity: Quantity {
                text: src[toks[qstart].start..toks[unit_end - 1].end].to_string(),
                value: v,
                qualifier,
                unit,
            },
        });
        i = unit_end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn q(s: &str) -> Vec<(String, f64, String, String)> {
        let toks = tokenize(s, 0);
        find(s, &toks, |k| toks[k].norm == "americans")
            .into_iter()
            .map(|f| {
                (
                    f.quantity.text,
                    f.quantity.value,
                    f.quantity.qualifier,
                    f.quantity.unit,
                )
            })
            .collect()
    }

    #[test]
    fn numbers_words_qualifiers_and_units() {
        assert_eq!(
            q("the release of over 200 hostages"),
            [(
                "over 200 hostages".into(),
                200.0,
                "more_than".into(),
                "hostages".into()
            )]
        );
        assert_eq!(
            q("two American hostages were freed"),
            [(
                "two American hostages".into(),
                2.0,
                "exact".into(),
                "hostages".into()
            )]
        );
        assert_eq!(
            q("with 10 Americans still missing"),
            [("10 Americans".into(), 10.0, "exact".into(), "people".into())]
        );
        assert_eq!(
            q("at least 1,500 troops"),
            [(
                "at least 1,500 troops".into(),
                1500.0,
                "at_least".into(),
                "troops".into()
            )]
        );
        assert_eq!(
            q("hundreds of protesters"),
            [(
                "hundreds of protesters".into(),
                100.0,
                "more_than".into(),
                "protesters".into()
            )]
        );
        assert_eq!(
            q("three million people"),
            [(
                "three million people".into(),
                3_000_000.0,
                "exact".into(),
                "people".into()
            )]
        );
    }

    #[test]
    fn years_durations_and_pronoun_one_are_not_quantities() {
        assert!(q("in 2014 the war began").is_empty());
        assert!(q("one of the groups").is_empty());
        assert!(q("after four years of talks").is_empty());
    }
}
