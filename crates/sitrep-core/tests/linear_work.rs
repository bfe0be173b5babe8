//! The coder's work grows linearly with its input, on ordinary news text and on text built to
//! provoke blow-ups. Work is counted (characters, tokens, alias and trigger probes, pronoun
//! candidates: `Coder::code_counted`), never timed.

use chrono::NaiveDate;
use sitrep_core::coder::{Coder, CoderOptions};
use sitrep_core::{Document, Kb};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(|| Kb::load::<&str>(&[]).expect("built-in KB loads"))
}

/// Work to code `text` under the default sentence limit; events are not capped, so that a
/// larger input is not cut short.
fn work(text: &str) -> u64 {
    let doc = Document::new(NaiveDate::from_ymd_opt(2023, 11, 7).unwrap(), text);
    let opts = CoderOptions {
        max_events_per_doc: usize::MAX,
        ..CoderOptions::default()
    };
    let coder = Coder::new(kb(), opts);
    let (_, report) = coder.code_counted(&doc);
    report.work
}

const NEWS: &str = "Israeli troops raided a refugee camp near Jenin on Tuesday, arresting 12 \
people. The Palestinian Authority condemned the raid and called for international \
protection. Qatar's foreign minister met Hamas officials in Doha to discuss the release of \
hostages. Egypt said it would keep the Rafah crossing open for aid convoys. \
Police in Berlin detained more than 200 protesters after clashes yesterday. The United \
Nations warned that fighting could spread to Lebanon. Russia and China vetoed the resolution. \
\"We will not accept any ceasefire,\" the minister told reporters last week.\n\n";

/// One sentence of `head` and `word` repeated, just under the default 4096-byte limit.
fn at_limit(head: &str, word: &str) -> String {
    let n = (4000 - head.len()) / word.len();
    format!("{head} {}. ", word.repeat(n))
}

/// (name, one unit of text); each case is measured on 40 units and on 400.
fn cases() -> Vec<(&'static str, String)> {
    vec![
        ("news", NEWS.to_string()),
        // no sentence end at all: the sentence-length limit must bound the coder's share
        ("one huge sentence", "Israel attacked Gaza and ".repeat(20)),
        ("hyphens", "- ".repeat(200)),
        (
            "hyphens inside gapped triggers",
            "Iran issued - - - - - - - - - - - - - - - - a warning to Israel ".repeat(4),
        ),
        ("dots", ".".repeat(300) + " "),
        ("quotes", "\"' \u{201C}\u{201D} ".repeat(80)),
        (
            "capitalised words",
            "President Biden Netanyahu Hamas Israel Qatar Egypt Abbas Minister Jordan Iran "
                .repeat(4),
        ),
        (
            "repeated triggers",
            "Israel attacked attacked attacked attacked condemned arrested met warned Hamas. "
                .repeat(4),
        ),
        // single sentences just under the 4096-byte limit, packed with what costs most
        // (each starts with a capital, so that a unit's dot ends its sentence)
        ("a sentence of triggers", at_limit("Israel", "attacked ")),
        ("a sentence of pronouns", at_limit("They", "they ")),
        ("a sentence of names", at_limit("Israel", "Egypt ")),
        (
            "a sentence of hyphenated gaps",
            at_limit("Iran", "issued - "),
        ),
        (
            "pronouns",
            "They told them that they and their allies met. ".repeat(8),
        ),
        (
            "pair pronouns",
            "Israel and Egypt met. Both nations and both sides talked to the two countries. "
                .repeat(4),
        ),
        (
            "numbers",
            "over 1,000 million billion thousand hundreds of dozens of 3.5 people ".repeat(6),
        ),
        (
            "dates",
            "on March 3 in 2014 last week yesterday Monday Sunday 25 December ".repeat(6),
        ),
    ]
}

#[test]
fn ten_times_the_input_is_about_ten_times_the_work() {
    for (name, unit) in cases() {
        let small = work(&unit.repeat(40));
        let large = work(&unit.repeat(400));
        let ratio = large as f64 / small as f64;
        assert!(
            (8.0..=12.0).contains(&ratio),
            "{name}: work {small} → {large} for 10× the input (ratio {ratio:.2})"
        );
    }
}

/// Linear is not enough if a sentence of adversarial text costs a thousand times what news
/// costs: per byte, no case may need much more work than ordinary news.
#[test]
fn no_input_costs_far_more_per_byte_than_news() {
    let per_byte = |s: &str| work(s) as f64 / s.len() as f64;
    let news = per_byte(&NEWS.repeat(40));
    for (name, unit) in cases() {
        let text = unit.repeat(40);
        let cost = per_byte(&text);
        assert!(
            cost <= 20.0 * news,
            "{name}: {cost:.1} work items per byte, news needs {news:.1}"
        );
    }
}

/// The sentence-length limit is what keeps one endless sentence cheap: without it the coder's
/// work within a sentence must still not explode.
#[test]
fn within_one_long_sentence_work_stays_linear() {
    let coder = Coder::new(
        kb(),
        CoderOptions {
            max_sentence_bytes: usize::MAX,
            max_events_per_doc: usize::MAX,
            ..CoderOptions::default()
        },
    );
    let date = NaiveDate::from_ymd_opt(2023, 11, 7).unwrap();
    for (name, unit) in [
        ("plain words", "the talks went on and on "),
        ("hyphens", "- - - - issued - - - "),
        ("triggers", "attacked condemned arrested "),
        ("pronouns", "they and them and their "),
        ("names", "Israel Egypt Qatar Jordan "),
    ] {
        let count = |n: usize| {
            let doc = Document::new(date, unit.repeat(n));
            coder.code_counted(&doc).1.work
        };
        let (small, large) = (count(200), count(2000));
        let ratio = large as f64 / small as f64;
        assert!(
            (8.0..=12.0).contains(&ratio),
            "{name}: work {small} → {large} for a 10× longer sentence (ratio {ratio:.2})"
        );
    }
}
