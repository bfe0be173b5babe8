//! Synthetic coded documents for benchmarks and tests: plausible shapes (skewed dyads, many
//! reports of the same incident, shared actors), deterministic for a given seed.

use crate::CodedDocument;
use chrono::{Duration, NaiveDate};
pub use sitrep_core::rng::Rng;
use sitrep_core::{
    ActorRef, DatePrecision, Document, Event, EventType, Evidence, Location, Status,
};

const COUNTRIES: &[&str] = &[
    "USA", "CHN", "RUS", "UKR", "ISR", "PSE", "IRN", "IND", "PAK", "GBR", "FRA", "DEU", "TUR",
    "SYR", "LBN", "EGY", "SAU", "QAT", "NGA", "ETH", "SDN", "BRA", "MEX", "JPN", "KOR", "PRK",
];
const SECTORS: &[&str] = &["GOV", "MIL", "COP", "REB", "OPP", "CVL", "BUS", "MED"];
const VERBS: &[&str] = &[
    "shelled",
    "met",
    "condemned",
    "blockaded",
    "praised",
    "warned",
    "sanctioned",
    "visited",
    "accused",
    "released",
    "arrested",
    "supplied",
    "rejected",
    "urged",
    "attacked",
    "hosted",
];
const OBJECTS: &[&str] = &[
    "border posts",
    "a convoy",
    "the capital",
    "negotiators",
    "a fuel depot",
    "protesters",
    "envoys",
    "a harbour",
    "grain shipments",
    "journalists",
    "an airbase",
    "the ministry",
];
const PLACES: &[&str] = &[
    "Northport",
    "Kalden",
    "Ressa Valley",
    "Orvin",
    "Tamsk",
    "Lowmarsh",
];
const OUTLETS: &[&str] = &["wire-a", "wire-b", "daily-c", "radio-d", "paper-e"];

/// `n_docs` documents of `events_per_doc` events each, dated over `days` days from `start`.
/// About a third of the documents retell an earlier incident, so stories have several reports.
pub fn corpus(
    seed: u64,
    n_docs: usize,
    events_per_doc: usize,
    start: NaiveDate,
    days: i64,
) -> Vec<CodedDocument> {
    let mut rng = Rng::new(seed);
    let mut out: Vec<CodedDocument> = Vec::with_capacity(n_docs);
    for i in 0..n_docs {
        let retell = i > 0 && rng.below(3) == 0;
        let mut events = Vec::with_capacity(events_per_doc);
        let (date, base) = if retell {
            let j = rng.below(out.len());
            let prior = &out[j];
            (prior.document.date, prior.events.first().cloned())
        } else {
            (
                start + Duration::days(rng.below(days.max(1) as usize) as i64),
                None,
            )
        };
        let outlet = OUTLETS[rng.below(OUTLETS.len())];
        let doc_id = format!("d-synth{seed:x}-{i:08}");
        let mut text = String::new();
        for k in 0..events_per_doc {
            let (sentence, src, tgt, verb) = match (&base, k) {
                (Some(b), 0) => {
                    // Another outlet's wording of the same incident: same actors, similar words.
                    let s = format!(
                        "Reports say {} again, {} sources told {outlet}.",
                        b.evidence.trigger, b.source[0].text
                    );
                    let v = VERBS
                        .iter()
                        .position(|v| b.evidence.trigger.starts_with(v))
                        .unwrap_or(0);
                    (
                        format!(
                            "{} {}",
                            b.evidence
                                .sentence
                                .split(" Reports say")
                                .next()
                                .unwrap_or(""),
                            s
                        ),
                        b.source[0].clone(),
                        b.target[0].clone(),
                        v,
                    )
                }
                _ => {
                    let sc = COUNTRIES[rng.skewed(COUNTRIES.len())];
                    let tc = COUNTRIES[rng.skewed(COUNTRIES.len())];
                    let src = ActorRef::new(
                        &format!("{sc} {}", SECTORS[rng.below(3)].to_lowercase()),
                        sc,
                        SECTORS[rng.below(3)],
                        "",
                    );
                    let tgt = ActorRef::new(
                        &format!("{tc} {}", SECTORS[rng.below(SECTORS.len())].to_lowercase()),
                        tc,
                        SECTORS[rng.below(SECTORS.len())],
                        "",
                    );
                    let v = rng.below(VERBS.len());
                    let s = format!(
                        "Forces of {} {} {} near {} on day {}.",
                        src.text,
                        VERBS[v],
                        OBJECTS[rng.below(OBJECTS.len())],
                        PLACES[rng.below(PLACES.len())],
                        rng.below(1000)
                    );
                    (s, src, tgt, v)
                }
            };
            let etype = EventType::ALL[verb % 16];
            let start_b = text.len();
            text.push_str(&sentence);
            text.push(' ');
            let trig_at = sentence.find(VERBS[verb]).unwrap_or(0);
            let cameo = etype.default_cameo().to_string();
            let place = PLACES[rng.below(PLACES.len())];
            events.push(Event {
                id: Event::make_id(
                    &doc_id,
                    start_b + trig_at,
                    etype,
                    std::slice::from_ref(&src),
                ),
                doc_id: doc_id.clone(),
                date,
                date_precision: DatePrecision::Day,
                event: etype,
                mode: String::new(),
                context: vec![],
                goldstein: sitrep_core::ontology::goldstein(&cameo),
                cameo,
                quad_class: etype.quad_class(),
                source: vec![src],
                target: vec![tgt.clone()],
                status: if rng.below(10) == 0 {
                    Status::Reported
                } else {
                    Status::Asserted
                },
                location: Some(Location {
                    text: place.to_string(),
                    country: tgt.country.clone(),
                    lat: 10.0 + rng.below(400) as f64 / 10.0,
                    lon: 20.0 + rng.below(400) as f64 / 10.0,
                    region: String::new(),
                    precision: sitrep_core::PlacePrecision::City,
                }),
                quantities: vec![],
                evidence: Evidence {
                    sentence: sentence.clone(),
                    start: start_b,
                    end: start_b + sentence.len(),
                    trigger: format!(
                        "{} {}",
                        VERBS[verb],
                        sentence[trig_at..].split_whitespace().nth(1).unwrap_or("")
                    ),
                    trigger_start: start_b + trig_at,
                    trigger_end: start_b + trig_at + VERBS[verb].len(),
                    rule: "synthetic".into(),
                    also: Vec::new(),
                },
                confidence: 0.5 + rng.below(50) as f32 / 100.0,
            });
        }
        let mut document = Document::new(date, text);
        document.id = doc_id;
        document.source = Some(outlet.to_string());
        out.push(CodedDocument { document, events });
    }
    out
}
