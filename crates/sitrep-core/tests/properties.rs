//! Properties that hold for any input: evidence spans lie inside the document on character
//! boundaries; coding is deterministic and the same on one thread or two; the readers never
//! panic and every diagnostic names a line the input has.

use chrono::NaiveDate;
use proptest::prelude::*;
use rayon::prelude::*;
use sitrep_core::coder::{Coder, CoderOptions};
use sitrep_core::invariants::{check_events, check_sentences, fuzz_readers};
use sitrep_core::{Document, Kb};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(Kb::embedded)
}

/// Pieces of news text mixed with what the web adds: multi-byte letters, curly quotes, dashes,
/// zero-width and right-to-left marks, emoji, CRLF, blank lines.
const PIECES: &[&str] = &[
    "Israel",
    "Hamas",
    "Qatar's",
    "the U.S.",
    "Netanyahu",
    "police",
    "officials",
    "they",
    "it",
    "both nations",
    "attacked",
    "condemned",
    "met with",
    "issued a warning to",
    "released",
    "arrested",
    "will",
    "not",
    "could",
    "said",
    "over 200",
    "hostages",
    "two",
    "million",
    "on Monday",
    "yesterday",
    "last week",
    "in 2014",
    "March 3",
    "in Gaza",
    "near Jenin",
    "and",
    ",",
    ".",
    "!",
    "?",
    "\"",
    "\u{201C}",
    "\u{201D}",
    "’s",
    "—",
    "-",
    "...",
    "Erdoğan",
    "Zelenskýy",
    "\u{200B}",
    "\u{200F}",
    "\u{202E}",
    "\u{FEFF}",
    "\u{00AD}",
    "e\u{0301}",
    "🙂",
    "שלום",
    "مرحبا",
    "\r\n",
    "\n\n",
    "\t",
    "Mr.",
    "J.",
    "1,000",
    "3.5",
    "20th",
    "n't",
    "'",
];

fn news_like() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..120).prop_map(|v| v.join(" "))
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![news_like(), any::<String>()]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        (0i32..800_000).prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap()),
    ]
}

fn options() -> CoderOptions {
    CoderOptions {
        statements: true,
        max_sentence_bytes: 400,
        max_events_per_doc: 6,
    }
}

fn code_json(coder: &Coder, docs: &[Document]) -> Vec<String> {
    docs.par_iter()
        .map(|d| serde_json::to_string(&coder.code(d)).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn evidence_spans_lie_inside_the_document(text in any_text(), date in date()) {
        let doc = Document::new(date, text);
        let opts = options();
        let events = Coder::new(kb(), opts.clone()).code(&doc);
        if let Err(e) = check_events(&doc, &events, &opts) {
            return Err(TestCaseError::fail(format!("{e}\ntext: {:?}", doc.text)));
        }
    }

    #[test]
    fn sentence_and_token_spans_lie_inside_the_text(text in any_text()) {
        if let Err(e) = check_sentences(&text) {
            return Err(TestCaseError::fail(format!("{e}\ntext: {text:?}")));
        }
    }

    #[test]
    fn readers_never_panic_and_name_real_lines(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        prop_assert_eq!(fuzz_readers(&bytes), Ok(()));
    }

    #[test]
    fn readers_name_real_lines_in_structured_input(
        lines in prop::collection::vec(
            prop_oneof![
                Just("date 2023-11-07 Troops moved in.".to_string()),
                Just("  date 2023-02-30 bad day".to_string()),
                Just("{\"date\":\"2023-11-07\",\"text\":\"Talks began.\"}".to_string()),
                Just("{\"date\":\"2023-11-07\"}".to_string()),
                Just("{\"text\":\"\\ud800\"}".to_string()),
                Just("[[[[[[[[".to_string()),
                Just("\u{FEFF}{}".to_string()),
                Just(String::new()),
                news_like(),
            ],
            0..12,
        ),
        sel in any::<u8>(),
        crlf in any::<bool>(),
    ) {
        let body = lines.join(if crlf { "\r\n" } else { "\n" });
        let mut input = vec![sel];
        input.extend_from_slice(body.as_bytes());
        prop_assert_eq!(fuzz_readers(&input), Ok(()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn coding_is_deterministic_and_independent_of_thread_count(
        texts in prop::collection::vec(news_like(), 1..8),
    ) {
        let date = NaiveDate::from_ymd_opt(2023, 11, 7).unwrap();
        let docs: Vec<Document> = texts.into_iter().map(|t| Document::new(date, t)).collect();
        let coder = Coder::new(kb(), CoderOptions::default());
        let pool = |n| rayon::ThreadPoolBuilder::new().num_threads(n).build().unwrap();
        let one = pool(1).install(|| code_json(&coder, &docs));
        let two = pool(2).install(|| code_json(&coder, &docs));
        let again = pool(2).install(|| code_json(&coder, &docs));
        prop_assert_eq!(&one, &two);
        prop_assert_eq!(&two, &again);
    }
}

/// The same text as one document gives byte-identical JSON however often it is coded.
#[test]
fn a_fixed_report_codes_the_same_every_time() {
    let date = NaiveDate::from_ymd_opt(2023, 11, 7).unwrap();
    let doc = Document::new(
        date,
        "Israeli troops raided a camp near Jenin on Tuesday. Qatar's envoy met Hamas officials \
         in Doha. Egypt condemned the strikes and called for a ceasefire.",
    );
    let coder = Coder::new(kb(), CoderOptions::default());
    let first = serde_json::to_string(&coder.code(&doc)).unwrap();
    assert!(
        first.contains("\"event\""),
        "the report codes to events: {first}"
    );
    for _ in 0..5 {
        assert_eq!(serde_json::to_string(&coder.code(&doc)).unwrap(), first);
    }
}
