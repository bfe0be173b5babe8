//! Number phrases: digits ("200,000", "1.2 million"), number words ("twenty-five", "three
//! dozen", "a dozen") and vague plurals ("hundreds", "tens of thousands"), as a value and the
//! tokens they cover. It reads numbers only; it must never decide what they count.

use crate::text::{Token, TokenKind};

/// A number phrase: tokens `start..end`, its value, and whether it is a vague plural
/// ("hundreds of"), whose value is a lower bound.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberPhrase {
    pub start: usize,
    pub end: usize,
    pub value: f64,
    pub vague: bool,
}

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

fn unit_word(w: &str) -> Option<f64> {
    UNITS.iter().position(|u| *u == w).map(|i| i as f64)
}

fn tens_word(w: &str) -> Option<f64> {
    TENS.iter()
        .position(|u| *u == w)
        .map(|i| ((i + 2) * 10) as f64)
}

/// "dozen", "hundred", "million": words that multiply the number before them.
pub fn multiplier(w: &str) -> Option<f64> {
    match w {
        "dozen" => Some(12.0),
        "hundred" => Some(100.0),
        "thousand" => Some(1_000.0),
        "million" | "mln" | "m" => Some(1_000_000.0),
        "billion" | "bn" => Some(1_000_000_000.0),
        _ => None,
    }
}

/// Vague plurals: "hundreds of protesters" means at least a hundred.
fn vague_plural(w: &str) -> Option<f64> {
    match w {
        "dozens" => Some(12.0),
        "scores" => Some(20.0),
        "tens" => Some(10.0),
        "hundreds" => Some(100.0),
        "thousands" => Some(1_000.0),
        "millions" => Some(1_000_000.0),
        _ => None,
    }
}

/// The number phrase that starts at token `i`, if one does.
pub fn parse_at(toks: &[Token], i: usize) -> Option<NumberPhrase> {
    let w = |k: usize| toks.get(k).map(|t| t.norm.as_str()).unwrap_or("");
    let t = toks.get(i)?;
    let (mut value, mut end, vague) = if t.kind == TokenKind::Number {
        (t.norm.replace(',', "").parse::<f64>().ok()?, i + 1, false)
    } else if matches!(t.norm.as_str(), "a" | "an") {
        // "a dozen", "a hundred": the article is the number one
        multiplier(w(i + 1)).filter(|_| w(i + 1) != "m")?;
        (1.0, i + 1, false)
    } else if let Some(v) = vague_plural(&t.norm) {
        // "tens of thousands", "hundreds of thousands"
        match vague_plural(w(i + 2)) {
            Some(big) if w(i + 1) == "of" && big > v => (v * big, i + 3, true),
            _ => (v, i + 1, true),
        }
    } else if let Some(tens) = tens_word(&t.norm) {
        // "twenty-five" and "twenty five"
        let hyphen = usize::from(w(i + 1) == "-");
        match unit_word(w(i + 1 + hyphen)).filter(|u| *u > 0.0 && *u < 10.0) {
            Some(u) => (tens + u, i + 2 + hyphen, false),
            None => (tens, i + 1, false),
        }
    } else {
        (unit_word(&t.norm)?, i + 1, false)
    };
    if !vague {
        // "three dozen", "1.2 million", "two hundred thousand"; "m" only right after digits
        while let Some(m) = multiplier(w(end)) {
            if w(end) == "m" && !(t.kind == TokenKind::Number && end == i + 1) {
                break;
            }
            value *= m;
            end += 1;
        }
        // "a dozen" alone is not "a": the article needs its multiplier
        if matches!(t.norm.as_str(), "a" | "an") && end == i + 1 {
            return None;
        }
    } else if w(end) == "of" {
        end += 1;
    }
    value.is_finite().then_some(NumberPhrase {
        start: i,
        end,
        value,
        vague,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn value(s: &str) -> Option<(f64, bool, usize)> {
        let toks = tokenize(s, 0);
        parse_at(&toks, 0).map(|n| (n.value, n.vague, n.end))
    }

    #[test]
    fn digits_with_separators_and_multipliers() {
        assert_eq!(value("200,000 people"), Some((200_000.0, false, 1)));
        assert_eq!(value("1.2 million people"), Some((1_200_000.0, false, 2)));
        assert_eq!(value("3 ships"), Some((3.0, false, 1)));
    }

    #[test]
    fn number_words_dozens_and_articles() {
        assert_eq!(value("three dozen injuries"), Some((36.0, false, 2)));
        assert_eq!(value("a dozen soldiers"), Some((12.0, false, 2)));
        assert_eq!(value("twenty-five villagers"), Some((25.0, false, 3)));
        assert_eq!(value("forty two hostages"), Some((42.0, false, 2)));
        assert_eq!(
            value("two hundred thousand refugees"),
            Some((200_000.0, false, 3))
        );
        assert_eq!(value("a car"), None);
        assert_eq!(value("a million refugees"), Some((1_000_000.0, false, 2)));
    }

    #[test]
    fn vague_plurals_are_lower_bounds() {
        assert_eq!(value("hundreds of protesters"), Some((100.0, true, 2)));
        assert_eq!(
            value("tens of thousands of people"),
            Some((10_000.0, true, 4))
        );
        assert_eq!(value("dozens were hurt"), Some((12.0, true, 1)));
    }
}
