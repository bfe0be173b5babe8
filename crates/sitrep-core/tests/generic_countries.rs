//! Actors the text names only by kind ("police", "rebels", "miners") take their country from
//! the sentence's setting, from the dateline, or from the sentence before; relative pronouns
//! stand for the name they follow. Sentences written for these tests.

use chrono::NaiveDate;
use sitrep_core::{Coder, CoderOptions, Document, EventType, Kb};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(Kb::embedded)
}

/// The codes the coder gives the mention that holds `word`, pronouns resolved.
fn codes_of(text: &str, word: &str) -> Vec<String> {
    let d = Document::new(NaiveDate::from_ymd_opt(2025, 4, 2).unwrap(), text);
    let at = text.find(word).expect("the word is in the text");
    let views = Coder::new(kb(), CoderOptions::default()).sentence_views(&d);
    let m = views
        .iter()
        .flat_map(|s| s.mentions.iter())
        .find(|m| m.start <= at && at < m.end)
        .unwrap_or_else(|| panic!("{text}: no mention holds {word:?}"));
    m.actors.iter().map(|a| a.code.clone()).collect()
}

fn has(text: &str, word: &str, code: &str) {
    assert_eq!(codes_of(text, word), [code], "{text}: {word}");
}

#[test]
fn a_place_before_the_noun_gives_its_country() {
    has(
        "Lagos police arrested twelve traders at the market.",
        "police",
        "NGA COP",
    );
}

#[test]
fn a_place_the_act_is_aimed_at_gives_the_setting() {
    has(
        "Rebels shelled the outskirts of Goma overnight.",
        "Rebels",
        "COD REB",
    );
}

#[test]
fn the_dateline_sets_the_scene_for_the_story() {
    let text = "NAIROBI, April 2 - Riot police fired tear gas at striking teachers.";
    has(text, "police", "KEN COP");
    has(text, "teachers", "KEN EDU");
}

#[test]
fn a_later_sentence_keeps_the_setting_of_the_one_before() {
    let text = "Clashes broke out in Tbilisi on Tuesday. Police detained dozens of protesters.";
    has(text, "Police", "GEO COP");
}

#[test]
fn people_are_of_their_place_before_whoever_acts_on_them() {
    has(
        "Hamas fighters seized villagers in Sderot.",
        "villagers",
        "ISR CVL",
    );
    // with no place named, the actors the sentence names are all there is to go by
    has("Hamas fighters seized villagers.", "villagers", "PSE CVL");
}

#[test]
fn who_stands_for_the_name_before_it() {
    let text = "Ugandan officials named the Allied Democratic Forces, who attacked a school.";
    assert_eq!(codes_of(text, "who"), codes_of(text, "Allied"));
    // and is no actor where no name comes before it
    let views = Coder::new(kb(), CoderOptions::default()).sentence_views(&Document::new(
        NaiveDate::from_ymd_opt(2025, 4, 2).unwrap(),
        "Nobody knows who fired first.",
    ));
    assert!(views.iter().all(|s| s.mentions.is_empty()), "{views:#?}");
}

#[test]
fn people_named_by_what_they_are_are_actors() {
    has(
        "Striking miners blocked roads in Zambia on Monday.",
        "miners",
        "ZMB LAB",
    );
    has(
        "Survivors of the flood in Chennai accused officials of neglect.",
        "Survivors",
        "IND CVL",
    );
}

#[test]
fn those_who_die_in_an_attack_are_its_target() {
    let d = Document::new(
        NaiveDate::from_ymd_opt(2025, 4, 2).unwrap(),
        "Three men died in an air strike on a village near Kidal.",
    );
    let events = Coder::new(kb(), CoderOptions::default()).code(&d);
    let strike = events
        .iter()
        .find(|e| e.event == EventType::Assault)
        .expect("the strike is an event");
    assert!(strike.source.is_empty(), "{strike:#?}");
    assert_eq!(strike.target[0].code, "MLI CVL", "{strike:#?}");
}
