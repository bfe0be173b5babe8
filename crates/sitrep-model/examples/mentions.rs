//! The coder's actor mentions of each sentence, for training and analysis scripts: reads JSON
//! Lines `{"id", "text", "date"?}` on stdin, writes `{"id", "sentences": [{"start", "end",
//! "mentions": [[start, end, [codes]]]}]}` with byte offsets into the text.
//!
//!     cargo run --release -p sitrep-model --example mentions < in.jsonl > out.jsonl

use sitrep_core::{Coder, CoderOptions, Document, Kb};
use std::io::{BufRead, Write};

fn main() {
    let kb = Kb::embedded();
    let coder = Coder::new(&kb, CoderOptions::default());
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = line.expect("stdin is readable");
        let v: serde_json::Value = serde_json::from_str(&line).expect("a JSON object per line");
        let text = v["text"].as_str().unwrap_or_default();
        let date = v["date"]
            .as_str()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .unwrap_or(chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap());
        let doc = Document::new(date, text);
        let sentences: Vec<serde_json::Value> = coder
            .sentence_views(&doc)
            .iter()
            .map(|s| {
                let m: Vec<serde_json::Value> = s
                    .mentions
                    .iter()
                    .map(|m| {
                        let codes: Vec<&str> = m.actors.iter().map(|a| a.code.as_str()).collect();
                        serde_json::json!([m.start, m.end, codes])
                    })
                    .collect();
                serde_json::json!({"start": s.start, "end": s.end, "mentions": m})
            })
            .collect();
        let rec = serde_json::json!({"id": v["id"], "sentences": sentences});
        writeln!(out, "{rec}").expect("stdout is writable");
    }
}
