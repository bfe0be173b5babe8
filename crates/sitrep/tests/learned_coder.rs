//! The learned relation coder as a user meets it: on by default, naming its model in every
//! event it decides, `--rules-only` giving the rules' events alone, and statuses that never
//! turn a negated or hypothetical act into an asserted one.

use std::io::Write;
use std::process::{Command, Stdio};

fn sitrep(args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sitrep"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sitrep runs");
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

fn events(out: &std::process::Output) -> Vec<serde_json::Value> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON Lines"))
        .collect()
}

fn rule(e: &serde_json::Value) -> &str {
    e["evidence"]["rule"].as_str().unwrap_or("")
}

const TEXT: &str = "Turkish warplanes bombed Kurdish militia positions near Kobani on Sunday. \
                    The Kenyan government signed a trade accord with Tanzania in Arusha.";

#[test]
fn the_default_coder_names_its_model_and_rules_only_does_not() {
    let learned = events(&sitrep(&["code", "--date", "2024-06-02", "-"], TEXT));
    assert!(!learned.is_empty(), "the learned coder finds events here");
    assert!(
        learned.iter().any(|e| rule(e).contains("minilm-rel-")),
        "model id and probability in evidence.rule: {learned:?}"
    );
    let rules = events(&sitrep(
        &["code", "--rules-only", "--date", "2024-06-02", "-"],
        TEXT,
    ));
    assert!(!rules.is_empty());
    assert!(
        rules.iter().all(|e| !rule(e).contains("minilm-rel-")),
        "{rules:?}"
    );
}

#[test]
fn every_learned_event_quotes_its_sentence_and_has_a_confidence() {
    let out = events(&sitrep(&["code", "--date", "2024-06-02", "-"], TEXT));
    for e in &out {
        let ev = &e["evidence"];
        let (s, t) = (
            ev["start"].as_u64().unwrap(),
            ev["trigger_start"].as_u64().unwrap(),
        );
        assert!(s <= t, "{e}");
        assert!(TEXT.contains(ev["sentence"].as_str().unwrap()), "{e}");
        let c = e["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c), "{e}");
    }
}

#[test]
fn negated_and_hypothetical_acts_are_never_asserted() {
    let text =
        "Chad did not attack the rebels in Tibesti. Sudan could expel the UN envoy next week.";
    for e in events(&sitrep(&["code", "--date", "2024-06-02", "-"], text)) {
        let sentence = e["evidence"]["sentence"].as_str().unwrap();
        assert_ne!(e["status"], "asserted", "{sentence}: {e}");
    }
}

#[test]
fn a_missing_model_directory_is_a_clear_error() {
    let out = sitrep(
        &[
            "code",
            "--relation-model",
            "/nonexistent/model",
            "--date",
            "2024-06-02",
            "-",
        ],
        TEXT,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/model") && err.contains("--rules-only"),
        "{err}"
    );
}

/// The learned coder's events keep what the rules read around them: the scene, the date
/// phrase nearest the act, typed counts, and the dateline's place where the sentence names
/// none. (Events the model found with no rule event on the same words used to have none of
/// these: every such event sat at the report date with no place.)
#[test]
fn learned_events_keep_place_date_and_counts() {
    let text = "GAROUA, April 9 (Reuters) - Separatist fighters ambushed an army convoy on \
                Tuesday, killing at least seven soldiers. The defence minister will visit \
                Maroua on Friday.";
    let out = events(&sitrep(&["code", "--date", "2024-04-20", "-"], text));
    let assault = first_of(&out, "ASSAULT");
    assert_eq!(
        assault["date"], "2024-04-09",
        "Tuesday is the dateline's own day"
    );
    assert_eq!(assault["location"]["country"], "CMR", "{assault}");
    let killed = assault["quantities"]
        .as_array()
        .and_then(|q| q.iter().find(|q| q["kind"] == "killed"))
        .unwrap_or_else(|| panic!("the count goes with the attack: {assault}"));
    assert_eq!(killed["value"], 7.0);
    assert_eq!(killed["qualifier"], "at_least");
    let visit = first_of(&out, "CONSULT");
    assert_eq!(
        visit["date"], "2024-04-12",
        "a visit on Friday is ahead: {visit}"
    );
    assert_eq!(visit["location"]["text"], "Maroua", "{visit}");
}

fn first_of<'a>(events: &'a [serde_json::Value], kind: &str) -> &'a serde_json::Value {
    events
        .iter()
        .find(|e| e["event"] == kind)
        .unwrap_or_else(|| panic!("a {kind} event is coded: {events:?}"))
}
