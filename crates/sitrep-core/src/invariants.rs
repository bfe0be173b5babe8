//! The promises the readers, the text pipeline and the coder make about hostile input, written
//! once as checks so the fuzz targets, the regression corpus and the property tests all hold the
//! code to the same rules. Each `fuzz_*` harness turns raw bytes into a run of one stage and
//! returns the first broken promise as an error.

use crate::coder::{Coder, CoderOptions};
use crate::document::Document;
use crate::event::Event;
use crate::kb::Kb;
use crate::readers::{read_bytes, Format, ReadOptions, ReadOutput};
use crate::text::sentences;
use chrono::NaiveDate;

/// Every diagnostic names a line that exists, and every document is non-empty, within the size
/// limit and dated.
pub fn check_read_output(input: &[u8], opts: &ReadOptions, out: &ReadOutput) -> Result<(), String> {
    let lines = input.split(|b| *b == b'\n').count();
    for d in &out.diagnostics {
        if d.line > lines {
            return Err(format!(
                "diagnostic names line {} of a {lines}-line input: {d}",
                d.line
            ));
        }
        if d.message.is_empty() {
            return Err(format!("diagnostic without a message: {d:?}"));
        }
    }
    if out.origins.len() != out.documents.len() {
        return Err(format!(
            "{} documents but {} origins",
            out.documents.len(),
            out.origins.len()
        ));
    }
    if let Some((f, l)) = out.origins.iter().find(|(_, l)| *l == 0 || *l > lines) {
        return Err(format!(
            "document origin {f}:{l} outside the {lines}-line input"
        ));
    }
    for doc in &out.documents {
        if doc.text.trim().is_empty() {
            return Err(format!("document {} has no text", doc.id));
        }
        if doc.text.len() > opts.max_doc_bytes {
            return Err(format!(
                "document {} has {} bytes, over the limit of {}",
                doc.id,
                doc.text.len(),
                opts.max_doc_bytes
            ));
        }
        if doc.id.is_empty() {
            return Err("document without an id".into());
        }
    }
    Ok(())
}

/// Sentences and their tokens lie inside the text, on character boundaries, in order and
/// without overlap; every token lies inside its sentence.
pub fn check_sentences(text: &str) -> Result<(), String> {
    let mut prev_end = 0;
    for (k, s) in sentences(text).iter().enumerate() {
        span_ok(text, s.start, s.end).map_err(|e| format!("sentence {k}: {e}"))?;
        if s.start < prev_end {
            return Err(format!(
                "sentence {k} starts at {} before the previous one ends at {prev_end}",
                s.start
            ));
        }
        if s.tokens.is_empty() {
            return Err(format!("sentence {k} has no tokens"));
        }
        let mut tok_end = s.start;
        for (j, t) in s.tokens.iter().enumerate() {
            span_ok(text, t.start, t.end).map_err(|e| format!("sentence {k} token {j}: {e}"))?;
            if t.start == t.end {
                return Err(format!("sentence {k} token {j} is empty at {}", t.start));
            }
            if t.start < tok_end || t.end > s.end {
                return Err(format!(
                    "sentence {k} token {j} {}..{} overlaps or leaves sentence {}..{}",
                    t.start, t.end, s.start, s.end
                ));
            }
            tok_end = t.end;
        }
        prev_end = s.end;
    }
    Ok(())
}

/// Evidence spans, the merged other mentions (`also`) included, lie inside the document on
/// character boundaries and quote it exactly; each trigger lies inside its sentence; the event count respects the limit; the JSON form reads
/// back as the same event (no NaN or infinity sneaking in as `null`).
pub fn check_events(doc: &Document, events: &[Event], opts: &CoderOptions) -> Result<(), String> {
    if events.len() > opts.max_events_per_doc {
        return Err(format!(
            "{} events, over the limit of {}",
            events.len(),
            opts.max_events_per_doc
        ));
    }
    let text = doc.text.as_str();
    for (k, e) in events.iter().enumerate() {
        let ev = &e.evidence;
        span_ok(text, ev.start, ev.end).map_err(|m| format!("event {k} sentence: {m}"))?;
        span_ok(text, ev.trigger_start, ev.trigger_end)
            .map_err(|m| format!("event {k} trigger: {m}"))?;
        if ev.trigger_start < ev.start || ev.trigger_end > ev.end {
            return Err(format!(
                "event {k}: trigger {}..{} outside its sentence {}..{}",
                ev.trigger_start, ev.trigger_end, ev.start, ev.end
            ));
        }
        if ev.sentence != text[ev.start..ev.end] {
            return Err(format!(
                "event {k}: evidence sentence does not quote the text"
            ));
        }
        if ev.trigger != text[ev.trigger_start..ev.trigger_end] {
            return Err(format!("event {k}: trigger does not quote the text"));
        }
        for (j, a) in ev.also.iter().enumerate() {
            also_span_ok(text, a).map_err(|m| format!("event {k} also[{j}]: {m}"))?;
        }
        if ev.end - ev.start > opts.max_sentence_bytes {
            return Err(format!(
                "event {k} comes from a sentence of {} bytes, over the limit of {}",
                ev.end - ev.start,
                opts.max_sentence_bytes
            ));
        }
        let json = serde_json::to_string(e).map_err(|m| format!("event {k}: {m}"))?;
        let back: Event = serde_json::from_str(&json)
            .map_err(|m| format!("event {k} does not read back from its JSON: {m}: {json}"))?;
        if !same_event(&back, e) {
            return Err(format!("event {k} changes through JSON: {json}"));
        }
    }
    Ok(())
}

/// Another mention of an event's act lies inside the document like the first: its sentence
/// and trigger on character boundaries, the trigger inside the sentence and quoting the text.
fn also_span_ok(text: &str, a: &crate::event::EvidenceSpan) -> Result<(), String> {
    span_ok(text, a.start, a.end).map_err(|m| format!("sentence: {m}"))?;
    span_ok(text, a.trigger_start, a.trigger_end).map_err(|m| format!("trigger: {m}"))?;
    if a.trigger_start < a.start || a.trigger_end > a.end {
        return Err(format!(
            "trigger {}..{} outside its sentence {}..{}",
            a.trigger_start, a.trigger_end, a.start, a.end
        ));
    }
    if a.trigger != text[a.trigger_start..a.trigger_end] {
        return Err("trigger does not quote the text".into());
    }
    Ok(())
}

/// Float fields compare by their JSON text, which is what readers downstream see.
fn same_event(a: &Event, b: &Event) -> bool {
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
}

fn span_ok(text: &str, start: usize, end: usize) -> Result<(), String> {
    if start > end || end > text.len() {
        return Err(format!("span {start}..{end} outside 0..{}", text.len()));
    }
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
        return Err(format!("span {start}..{end} splits a character"));
    }
    Ok(())
}

/// Readers: the first byte picks a file name (and so a format) and the size limit; the rest is
/// the file.
pub fn fuzz_readers(data: &[u8]) -> Result<(), String> {
    let Some((&sel, body)) = data.split_first() else {
        return Ok(());
    };
    const NAMES: [&str; 4] = ["in.txt", "in.jsonl", "<stdin>", "in.json"];
    let name = NAMES[usize::from(sel & 3)];
    let opts = ReadOptions {
        default_date: (sel & 4 != 0).then(|| NaiveDate::from_ymd_opt(2023, 11, 7).unwrap()),
        max_doc_bytes: if sel & 8 != 0 { 64 } else { 1 << 20 },
        format: match (sel >> 4) & 3 {
            1 => Some(Format::Text),
            2 => Some(Format::Jsonl),
            _ => None,
        },
        ..ReadOptions::default()
    };
    let out = read_bytes(name, body, &opts);
    check_read_output(body, &opts, &out)
}

/// The text pipeline on any UTF-8 text.
pub fn fuzz_text(data: &[u8]) -> Result<(), String> {
    match std::str::from_utf8(data) {
        Ok(s) => check_sentences(s),
        Err(_) => check_sentences(&String::from_utf8_lossy(data)),
    }
}

/// The coder the `fuzz_coder` and `fuzz_parsers` harnesses expect: built once per process,
/// as compiling the trigger lexicon costs far more than coding a short input.
pub fn fuzz_coder_for(kb: &Kb) -> Coder<'_> {
    Coder::new(kb, small_limits())
}

/// The whole coder on any UTF-8 text, reported on 2023-11-07. `coder` from `fuzz_coder_for`.
pub fn fuzz_coder(coder: &Coder, data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let doc = Document::new(NaiveDate::from_ymd_opt(2023, 11, 7).unwrap(), text);
    code_and_check(coder, doc)
}

/// Limits low enough that fuzz inputs reach them.
fn small_limits() -> CoderOptions {
    CoderOptions {
        statements: true,
        max_sentence_bytes: 600,
        max_events_per_doc: 8,
    }
}

fn code_and_check(coder: &Coder, doc: Document) -> Result<(), String> {
    let events = coder.code(&doc);
    check_events(&doc, &events, &small_limits())
}

/// Words the date and number parsers and the coder react to; fuzz bytes pick among them, so
/// inputs are sentences the parsers take seriously rather than noise they skip.
const PARSER_WORDS: &[&str] = &[
    "on",
    "in",
    "since",
    "during",
    "last",
    "past",
    "the",
    "week",
    "month",
    "year",
    "yesterday",
    "today",
    "tonight",
    "Monday",
    "Sunday",
    "January",
    "March",
    "May",
    "Feb",
    "Dec",
    "December",
    "1",
    "3",
    "29",
    "31",
    "0",
    "2014",
    "1900",
    "2100",
    "99999999999999999999",
    "1,000",
    "3.5",
    "1,2,3",
    ".5",
    "one",
    "two",
    "twenty-five",
    "twenty‑five",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "of",
    "hundred",
    "thousand",
    "million",
    "billion",
    "bn",
    "over",
    "more",
    "than",
    "at",
    "least",
    "up",
    "to",
    "about",
    "nearly",
    "exactly",
    "under",
    "Americans",
    "hostages",
    "people",
    "troops",
    "Israel",
    "Hamas",
    "Qatar",
    "police",
    "they",
    "both",
    "nations",
    "killed",
    "arrested",
    "released",
    "attacked",
    "met",
    "said",
    "not",
    "will",
    "'s",
    "-",
    ",",
    ".",
    "\"",
    "\n\n",
];

/// Date and number parsers, through the coder: bytes 0..4 pick the report date anywhere in the
/// calendar (its ends included), the rest pick words.
pub fn fuzz_parsers(coder: &Coder, data: &[u8]) -> Result<(), String> {
    if data.len() < 4 {
        return Ok(());
    }
    let (head, words) = data.split_at(4);
    let raw = i32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let date = pick_date(raw);
    let mut text = String::new();
    for b in words {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(PARSER_WORDS[usize::from(*b) % PARSER_WORDS.len()]);
    }
    if text.trim().is_empty() {
        return Ok(());
    }
    let doc = Document::new(date, text);
    code_and_check(coder, doc)
}

/// Mostly ordinary dates, but also the first and last days chrono can represent, where date
/// arithmetic overflows.
fn pick_date(raw: i32) -> NaiveDate {
    match raw.rem_euclid(8) {
        0 => NaiveDate::MIN,
        1 => NaiveDate::MAX,
        2 => NaiveDate::MIN + chrono::Days::new((raw as u32 >> 3) as u64 % 400),
        3 => NaiveDate::MAX - chrono::Days::new((raw as u32 >> 3) as u64 % 400),
        _ => {
            NaiveDate::from_num_days_from_ce_opt(raw.rem_euclid(800_000)).unwrap_or(NaiveDate::MIN)
        }
    }
}
