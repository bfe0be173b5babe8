//! Where, when and how many, end to end: the place, date and counts the coder gives events,
//! on sentences written for these tests.

use chrono::NaiveDate;
use sitrep_core::{Coder, CoderOptions, DatePrecision, Document, Event, Kb, PlacePrecision};
use std::sync::OnceLock;

fn kb() -> &'static Kb {
    static KB: OnceLock<Kb> = OnceLock::new();
    KB.get_or_init(Kb::embedded)
}

/// Codes `text` as of Wednesday 8 May 2024 and returns its first event.
fn first(text: &str) -> Event {
    let d = NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
    let ev = Coder::new(kb(), CoderOptions::default()).code(&Document::new(d, text));
    ev.into_iter()
        .next()
        .unwrap_or_else(|| panic!("no event in {text}"))
}

fn place(text: &str) -> (String, String, PlacePrecision) {
    let l = first(text)
        .location
        .unwrap_or_else(|| panic!("no place in {text}"));
    (l.text, l.country, l.precision)
}

#[test]
fn a_dateline_gives_the_default_place_and_day() {
    let e = first("GAROUA, May 2 (Reuters) - Gunmen attacked a bus station, killing nine people.");
    let l = e.location.unwrap();
    assert_eq!(
        (l.country.as_str(), l.precision),
        ("CMR", PlacePrecision::City)
    );
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2024, 5, 2).unwrap());
    // the sentence's own place wins over the dateline's
    let e = first("NAIROBI (AFP) - Militants attacked a police post in Mandera.");
    assert_eq!(e.location.unwrap().text, "Mandera");
}

#[test]
fn administered_areas_are_coded_to_the_administering_country() {
    assert_eq!(
        place("Artillery shells hit homes in Azad Kashmir.").1,
        "PAK"
    );
    assert_eq!(
        place("Soldiers raided a village in Indian-administered Kashmir.").1,
        "IND"
    );
    assert_eq!(place("Rockets struck Gilgit-Baltistan overnight.").1, "PAK");
}

#[test]
fn constituent_countries_have_their_own_point() {
    let d = NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
    let c = Coder::new(kb(), CoderOptions::default());
    let e = c.code(&Document::new(d, "Farmers protested in Scotland."));
    let l = e[0].location.clone().unwrap();
    assert_eq!(l.country, "GBR");
    assert!(l.lat > 55.0, "Scotland plotted at {}, {}", l.lat, l.lon);
    // a city names its constituent country as its region
    let l = first("Nurses protested in Swansea, Wales.")
        .location
        .unwrap();
    assert_eq!((l.text.as_str(), l.region.as_str()), ("Swansea", "Wales"));
}

#[test]
fn the_most_specific_scene_wins_and_objects_are_scenes() {
    assert_eq!(
        place("A drone struck a depot in northern Ukraine, in the city of Chernihiv.").0,
        "Chernihiv"
    );
    assert_eq!(
        place("Paramilitaries shelled El Obeid on Sunday.").0,
        "El Obeid"
    );
}

#[test]
fn a_capital_as_actor_leaves_the_place_to_the_scene() {
    let e = first("Moscow said its forces shelled two villages near Pokrovsk.");
    assert_eq!(e.location.unwrap().text, "Pokrovsk");
}

#[test]
fn plural_phrases_name_no_single_country() {
    let e = first("Latin American governments condemned the arrests.");
    assert!(
        e.source.iter().all(|s| s.country != "USA"),
        "{:?}",
        e.source
    );
    let e = first("Both parties signed a truce in Juba.");
    assert!(e.source.is_empty(), "{:?}", e.source);
}

#[test]
fn future_dates_look_forward_and_unknown_anchors_are_coarse() {
    let e = first("The envoy will open talks in Doha on Monday.");
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2024, 5, 13).unwrap());
    let e = first("Rebels seized the town three days after the ceasefire collapsed.");
    assert_eq!(e.date_precision, DatePrecision::Month);
}

#[test]
fn a_possessive_date_dates_its_noun_not_the_sentence() {
    // the arrests are today's; the coup was last month's
    let e = first("Bolivian police detained 14 officers over last month's failed coup.");
    assert_eq!(
        (e.date, e.date_precision),
        (
            NaiveDate::from_ymd_opt(2024, 5, 8).unwrap(),
            DatePrecision::Day
        )
    );
    // a trigger the date modifies keeps it
    let e = first("Sunday's bombing killed seven people in Quetta.");
    assert_eq!(e.date, NaiveDate::from_ymd_opt(2024, 5, 5).unwrap());
}

#[test]
fn an_event_the_text_does_not_place_takes_its_actors_country() {
    let (_, country, precision) = place("Tunisia expelled two Libyan diplomats on Friday.");
    assert_eq!(
        (country.as_str(), precision),
        ("TUN", PlacePrecision::Country)
    );
    // an armed group with no target named fights at home; a state's forces may not
    let (_, country, _) = place("Boko Haram fighters attacked before dawn, residents said.");
    assert_eq!(country, "NGA");
    assert!(
        first("Russian forces attacked before dawn, residents said.")
            .location
            .is_none()
    );
    // an attack whose target the rules do not name did not happen in the attacker's country
    let e = first("Russian drones hit Odesa overnight, killing three.");
    assert!(
        e.location.as_ref().is_none_or(|l| l.country != "RUS"),
        "{:?}",
        e.location
    );
}

#[test]
fn counts_go_to_the_event_with_their_kind() {
    let e = first("At least 14 people were killed when militants attacked a market in Gao.");
    let q = &e.quantities;
    assert!(
        q.iter().any(|q| q.kind == "killed" && q.value == 14.0),
        "{q:?}"
    );
}

#[test]
fn a_dateline_city_refines_a_scene_of_its_own_country_only() {
    let p = place("BEIRA, May 2 (Reuters) - Police in Mozambique arrested 12 fishermen.");
    assert_eq!(p, ("BEIRA".into(), "MOZ".into(), PlacePrecision::City));
    let p = place("NAIROBI (AFP) - Police in Somalia arrested 12 fishermen.");
    assert_eq!((p.1.as_str(), p.2), ("SOM", PlacePrecision::Country));
    // a city the sentence names is not overridden by the dateline's
    let p = place("NAIROBI (AFP) - Police in Mombasa arrested 12 fishermen.");
    assert_eq!(p.0, "Mombasa");
}

#[test]
fn homonyms_go_to_the_country_named_and_to_their_own_name() {
    assert_eq!(
        place("Students clashed with police in Valencia in northern Venezuela.").1,
        "VEN"
    );
    assert_eq!(
        place("Students clashed with police in Valencia in eastern Spain.").1,
        "ESP"
    );
    assert_eq!(place("Rioters attacked a mosque in Southport.").1, "GBR");
}

#[test]
fn routes_destinations_and_objects_a_few_words_on_are_scenes() {
    assert_eq!(
        place("Thousands of protesters marched through Nakuru on Tuesday.").0,
        "Nakuru"
    );
    assert_eq!(
        place("The envoy will travel to Dakar for talks on Friday.").0,
        "Dakar"
    );
    assert_eq!(
        place("Missiles struck a residential area of Zaporizhzhia.").0,
        "Zaporizhzhia"
    );
    assert_eq!(
        place("A drone strike killed four people at a Kandahar market.").0,
        "Kandahar"
    );
}

#[test]
fn an_unknown_village_is_placed_by_the_region_after_it() {
    let (text, country, _) =
        place("Bandits abducted 40 farmers from a market in Dangwala, Adamawa state, on Friday.");
    assert_eq!((text.as_str(), country.as_str()), ("Adamawa", "NGA"));
    // no locative before the name: the comma joins no scene
    let d = NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
    let ev = Coder::new(kb(), CoderOptions::default()).code(&Document::new(
        d,
        "Soldiers detained Ibrahim Danjuma, Adamawa officials said.",
    ));
    assert!(ev
        .iter()
        .all(|e| e.location.as_ref().is_none_or(|l| l.text != "Adamawa")));
}

#[test]
fn first_level_regions_named_by_their_cities_are_places() {
    let (text, country, precision) = place("Insurgents attacked an army base in Borno on Sunday.");
    assert_eq!(
        (text.as_str(), country.as_str(), precision),
        ("Borno", "NGA", PlacePrecision::Region)
    );
    // the region called by its own name beats a town that has it as an alias
    assert_eq!(place("Guerrillas ambushed a patrol in Antioquia.").1, "COL");
}

#[test]
fn a_sentence_without_trigger_words_still_has_a_scene() {
    let d = NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
    let c = Coder::new(kb(), CoderOptions::default());
    let doc = Document::new(
        d,
        "Ukrainian drones reached an oil depot in Bryansk overnight.",
    );
    let views = c.sentence_views(&doc);
    let scene = views[0].scene.as_ref().expect("a scene");
    assert_eq!(
        (scene.text.as_str(), scene.country.as_str()),
        ("Bryansk", "RUS")
    );
    // a place that is not a scene (no locative, no trigger to act on it) gives none
    let doc = Document::new(d, "Bryansk officials reported quiet streets.");
    assert!(c.sentence_views(&doc)[0].scene.is_none());
}
