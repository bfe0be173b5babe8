//! The seed story from ../shared: what the coder must never get wrong about it. Skips when the
//! shared folder is absent (a fresh clone without it): `#[ignore]`d, run with `--ignored shared_`.

use sitrep_core::readers::{read_path, ReadOptions};
use sitrep_core::{Coder, CoderOptions, EventType, Kb, Status};
use std::path::Path;

#[test]
#[ignore = "needs ../shared beside the repo: cargo test -- --ignored shared_"]
fn shared_seed_story_keeps_unreal_events_unasserted() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let story = root.join("fixtures/seed-2023-11-07.txt");
    let gold = root.join("gold/seed.expected.jsonl");
    assert!(
        story.exists() && gold.exists(),
        "{} not found: this test needs ../shared beside the repo",
        story.display()
    );
    let kb = Kb::embedded();
    let out = read_path(&story, &ReadOptions::default());
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let doc = &out.documents[0];
    let events = Coder::new(&kb, CoderOptions::default()).code(doc);
    assert!(!events.is_empty());

    let mut matched = 0;
    let records: Vec<serde_json::Value> = std::fs::read_to_string(&gold)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for g in &records {
        let text = g["text"].as_str().unwrap().trim();
        let accept: Vec<EventType> = g["event_accept"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| EventType::parse_label(v.as_str().unwrap()).map(|x| x.0))
            .collect();
        let status_ok: Vec<&str> = g["status_accept"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let in_sentence: Vec<_> = events
            .iter()
            .filter(|e| e.evidence.sentence.trim() == text)
            .collect();
        // an event the analyst marks negated, hypothetical or planned must not come out asserted
        if !status_ok.contains(&"asserted") {
            for e in in_sentence.iter().filter(|e| accept.contains(&e.event)) {
                assert_ne!(
                    e.status,
                    Status::Asserted,
                    "{} asserted in: {text}",
                    e.event
                );
            }
        }
        let src: Vec<String> = g["source"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["code"].as_str().unwrap()[..3].to_string())
            .collect();
        if in_sentence.iter().any(|e| {
            accept.contains(&e.event)
                && status_ok.contains(&e.status.as_str())
                && e.source.iter().any(|a| src.contains(&a.country))
        }) {
            matched += 1;
        }
    }
    // reported, not asserted as a threshold: quality is measured by `sitrep eval`
    eprintln!(
        "seed: {matched} of {} analyst events found with type, source country and status",
        records.len()
    );
    for e in &events {
        assert_eq!(
            &doc.text[e.evidence.start..e.evidence.end],
            e.evidence.sentence
        );
    }
}
