//! One act, one event per article: the mentions of one act merge into one event that holds
//! every evidence span, and different acts stay apart. Sentences written for these tests.

use chrono::NaiveDate;
use sitrep_core::coder::merge::merge_acts;
use sitrep_core::invariants::check_events;
use sitrep_core::{Coder, CoderOptions, Document, Event, EventType, Kb, Status};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(Kb::embedded)
}

fn doc(text: &str) -> Document {
    // a Wednesday: "on Monday" is a date of its own, two days before the report
    Document::new(NaiveDate::from_ymd_opt(2024, 3, 13).unwrap(), text)
}

fn code(text: &str) -> Vec<Event> {
    let d = doc(text);
    let opts = CoderOptions::default();
    let ev = Coder::new(kb(), opts.clone()).code(&d);
    check_events(&d, &ev, &opts).unwrap_or_else(|e| panic!("{text}: {e}"));
    ev
}

fn of_type(ev: &[Event], t: EventType) -> Vec<&Event> {
    ev.iter().filter(|e| e.event == t).collect()
}

fn codes(a: &[sitrep_core::ActorRef]) -> Vec<&str> {
    a.iter().map(|x| x.code.as_str()).collect()
}

/// One line per event, for failure messages.
fn summary(ev: &[Event]) -> Vec<String> {
    ev.iter()
        .map(|e| {
            format!(
                "{} {:?} {:?} -> {:?} {} ({} more spans)",
                e.event,
                e.evidence.trigger,
                codes(&e.source),
                codes(&e.target),
                e.status.as_str(),
                e.evidence.also.len()
            )
        })
        .collect()
}

#[test]
fn a_strike_told_three_ways_is_one_event_with_three_spans() {
    let text = "Russian forces bombed the port of Odesa on Monday. \
                The bombing damaged two grain terminals in Odesa. \
                Russian forces also bombed the Odesa port with drones.";
    let ev = code(text);
    let strikes = of_type(&ev, EventType::Assault);
    assert_eq!(strikes.len(), 1, "{:#?}", summary(&ev));
    let e = strikes[0];
    assert_eq!(codes(&e.source), ["RUS MIL"], "{e:#?}");
    assert_eq!(e.evidence.also.len(), 2, "{e:#?}");
    // the day the first telling gives, not the report's
    assert_eq!(
        e.date,
        NaiveDate::from_ymd_opt(2024, 3, 11).unwrap(),
        "{e:#?}"
    );
    // every span is one of the three sentences, each told once
    let mut starts: Vec<usize> = e.evidence.also.iter().map(|s| s.start).collect();
    starts.push(e.evidence.start);
    starts.sort();
    starts.dedup();
    assert_eq!(starts.len(), 3, "{e:#?}");
}

#[test]
fn strikes_by_different_named_attackers_stay_two_events() {
    let text = "Russian forces bombed the port of Odesa on Monday. \
                Ukrainian forces bombed a Russian airbase in Crimea on Monday.";
    let ev = code(text);
    let strikes = of_type(&ev, EventType::Assault);
    assert_eq!(strikes.len(), 2, "{:#?}", summary(&ev));
    let sources: Vec<Vec<&str>> = strikes.iter().map(|e| codes(&e.source)).collect();
    assert!(sources.contains(&vec!["RUS MIL"]), "{sources:?}");
    assert!(sources.contains(&vec!["UKR MIL"]), "{sources:?}");
    assert!(strikes.iter().all(|e| e.evidence.also.is_empty()));
}

#[test]
fn a_negated_and_an_asserted_mention_stay_apart() {
    let text = "The Ruritanian army shelled the border town of Kessa on Tuesday. \
                The Ruritanian army did not shell the border town of Kessa on Tuesday, a spokesman insisted.";
    let ev = code(text);
    let all = of_type(&ev, EventType::Assault);
    assert_eq!(all.len(), 2, "{:#?}", summary(&ev));
    assert!(
        all.iter().any(|e| e.status == Status::Negated),
        "{:#?}",
        summary(&ev)
    );
    assert!(
        all.iter().any(|e| e.status == Status::Asserted),
        "{:#?}",
        summary(&ev)
    );
}

#[test]
fn merging_is_a_stage_of_its_own_that_keeps_coded_events_as_they_are() {
    // coding already merges; merging its output again changes nothing
    let text = "Russian forces bombed the port of Odesa on Monday. \
                The bombing damaged two grain terminals in Odesa.";
    let ev = code(text);
    assert_eq!(merge_acts(ev.clone()), ev);
}

#[test]
fn an_also_span_outside_the_document_breaks_the_invariants() {
    let text = "Russian forces bombed the port of Odesa on Monday. \
                The bombing damaged two grain terminals in Odesa.";
    let d = doc(text);
    let opts = CoderOptions::default();
    let mut ev = Coder::new(kb(), opts.clone()).code(&d);
    let e = ev
        .iter_mut()
        .find(|e| !e.evidence.also.is_empty())
        .expect("a merged event");
    e.evidence.also[0].end = text.len() + 5;
    assert!(check_events(&d, &ev, &opts)
        .unwrap_err()
        .contains("also[0]"));
}

#[test]
fn an_act_told_twice_in_one_sentence_keeps_both_triggers() {
    let text = "Russian forces bombed and shelled the port of Odesa on Monday.";
    let ev = code(text);
    let strikes = of_type(&ev, EventType::Assault);
    assert_eq!(strikes.len(), 1, "{:#?}", summary(&ev));
    let e = strikes[0];
    let mut triggers: Vec<&str> = e.evidence.also.iter().map(|s| s.trigger.as_str()).collect();
    triggers.push(&e.evidence.trigger);
    triggers.sort();
    assert_eq!(triggers, ["bombed", "shelled"], "{e:#?}");
}
