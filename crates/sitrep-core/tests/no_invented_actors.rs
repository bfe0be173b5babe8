//! No invented actors: an act with no named attacker has no source, and attackers the text
//! itself calls unidentified ("gunmen", "unknown assailants") are CAMEO's UAF. Sentences
//! written for these tests.

use chrono::NaiveDate;
use sitrep_core::{Coder, CoderOptions, Document, Event, EventType, Kb};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(Kb::embedded)
}

fn code(text: &str) -> Vec<Event> {
    let d = Document::new(NaiveDate::from_ymd_opt(2024, 3, 11).unwrap(), text);
    Coder::new(kb(), CoderOptions::default()).code(&d)
}

fn codes(a: &[sitrep_core::ActorRef]) -> Vec<&str> {
    a.iter().map(|x| x.code.as_str()).collect()
}

/// The one ASSAULT coded from `text`.
fn assault(text: &str) -> Event {
    let ev = code(text);
    let hits: Vec<&Event> = ev
        .iter()
        .filter(|e| e.event == EventType::Assault)
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "{text}: {:#?}",
        ev.iter()
            .map(|e| (e.event, &e.evidence.trigger, codes(&e.source)))
            .collect::<Vec<_>>()
    );
    hits[0].clone()
}

#[test]
fn the_place_struck_is_not_the_attacker() {
    let e = assault("Two shoppers died in drone strikes on Odesa.");
    assert!(e.source.is_empty(), "{e:#?}");
    let e = assault("A roadside bomb killed four soldiers near Kandahar on Sunday.");
    assert!(e.source.is_empty(), "{e:#?}");
}

#[test]
fn gunmen_are_unidentified_armed_forces() {
    let e = assault("Gunmen killed three villagers.");
    assert_eq!(codes(&e.source), ["UAF"], "{e:#?}");
    let e = assault("Masked men attacked a bus on the highway.");
    assert_eq!(codes(&e.source), ["UAF"], "{e:#?}");
}

#[test]
fn unidentified_attackers_take_the_country_the_sentence_gives() {
    let e = assault("Unidentified assailants abducted a village chief in Kaduna on Friday.");
    assert_eq!(codes(&e.source), ["NGA UAF"], "{e:#?}");
    let e = assault("Unknown attackers shot dead a shopkeeper in Peshawar.");
    assert_eq!(codes(&e.source), ["PAK UAF"], "{e:#?}");
    // where they struck, when the sentence names no country of its own
    let e = assault("Gunmen kidnapped eleven farmers near Kaduna.");
    assert_eq!(codes(&e.source), ["NGA UAF"], "{e:#?}");
}

#[test]
fn a_named_group_still_names_its_gunmen() {
    let e = assault("Hamas gunmen killed two settlers near Hebron.");
    assert!(!e.source.is_empty(), "{e:#?}");
    assert_ne!(e.source[0].sector, "UAF", "{e:#?}");
}
