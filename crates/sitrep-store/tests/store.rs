//! Store behaviour on events built here: idempotence, filters, stories, re-coding, series.

use chrono::NaiveDate;
use sitrep_core::{
    ActorRef, DatePrecision, Document, Event, EventType, Evidence, Location, Status,
};
use sitrep_store::{Bucket, CodedDocument, EventFilter, NodeLevel, SeriesBy, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A document with one event per (type, source, target, sentence) given.
fn doc(date: &str, outlet: &str, items: &[(EventType, ActorRef, ActorRef, &str)]) -> CodedDocument {
    let text: String = items.iter().map(|i| format!("{} ", i.3)).collect();
    let mut d = Document::new(day(date), text);
    d.source = Some(outlet.to_string());
    let mut at = 0;
    let events = items
        .iter()
        .map(|(t, s, g, sent)| {
            let start = at;
            at += sent.len() + 1;
            Event {
                id: Event::make_id(&d.id, start, *t, std::slice::from_ref(s)),
                doc_id: d.id.clone(),
                date: day(date),
                date_precision: DatePrecision::Day,
                event: *t,
                mode: String::new(),
                context: vec!["military".into()],
                cameo: t.default_cameo().into(),
                goldstein: sitrep_core::ontology::goldstein(t.default_cameo()),
                quad_class: t.quad_class(),
                source: vec![s.clone()],
                target: vec![g.clone()],
                status: if sent.contains("may") {
                    Status::Hypothetical
                } else {
                    Status::Asserted
                },
                location: Some(Location {
                    text: "Port Vella".into(),
                    country: g.country.clone(),
                    lat: 12.5,
                    lon: 44.25,
                    region: String::new(),
                    precision: sitrep_core::PlacePrecision::City,
                }),
                quantities: vec![],
                evidence: Evidence {
                    sentence: sent.to_string(),
                    start,
                    end: start + sent.len(),
                    trigger: sent.split_whitespace().nth(1).unwrap_or("").into(),
                    trigger_start: start,
                    trigger_end: start + 1,
                    rule: "test".into(),
                    also: Vec::new(),
                },
                confidence: 0.75,
            }
        })
        .collect();
    CodedDocument {
        document: d,
        events,
    }
}

fn gov(c: &str, name: &str) -> ActorRef {
    ActorRef::new(name, c, "GOV", &name.to_lowercase().replace(' ', "-"))
}

fn sample() -> Vec<CodedDocument> {
    let (a, b, c) = (
        gov("ALP", "Alpine Council"),
        gov("BOR", "Boreal Ministry"),
        gov("COR", "Coral Cabinet"),
    );
    vec![
        doc(
            "2024-03-01",
            "outlet-1",
            &[
                (
                    EventType::Assault,
                    a.clone(),
                    b.clone(),
                    "Alpine artillery shelled Boreal border villages overnight.",
                ),
                (
                    EventType::Consult,
                    b.clone(),
                    c.clone(),
                    "Boreal envoys met Coral officials in Port Vella.",
                ),
            ],
        ),
        doc(
            "2024-03-02",
            "outlet-2",
            &[(
                EventType::Assault,
                a.clone(),
                b.clone(),
                "Boreal border villages were shelled by Alpine artillery.",
            )],
        ),
        doc(
            "2024-03-02",
            "outlet-2",
            &[(
                EventType::Assault,
                a.clone(),
                b.clone(),
                "Alpine troops seized a dam upstream of the river delta.",
            )],
        ),
        doc(
            "2024-03-20",
            "outlet-3",
            &[(
                EventType::Threaten,
                c.clone(),
                a.clone(),
                "Coral may impose a naval blockade on Alpine ports.",
            )],
        ),
        doc(
            "2024-04-05",
            "outlet-1",
            &[(
                EventType::Assault,
                a.clone(),
                b,
                "Alpine drones shelled Boreal border villages again.",
            )],
        ),
    ]
}

#[test]
fn ingest_twice_changes_nothing() {
    let mut s = Store::in_memory().unwrap();
    let docs = sample();
    let first = s.ingest(&docs, "v1").unwrap();
    assert_eq!(first.documents_added, 5);
    assert_eq!(first.events_added, 6);
    let before = s.counts().unwrap();
    let again = s.ingest(&docs, "v1").unwrap();
    assert_eq!(again.documents_added, 0);
    assert_eq!(again.documents_skipped, 5);
    assert_eq!(again.events_added, 0);
    assert_eq!(s.counts().unwrap(), before);
    assert_eq!(before.actors, 3);
}

#[test]
fn stored_events_come_back_exactly() {
    let mut s = Store::in_memory().unwrap();
    let docs = sample();
    s.ingest(&docs, "v1").unwrap();
    let want = &docs[0].events[1];
    assert_eq!(s.event(&want.id).unwrap().as_ref(), Some(want));
    assert_eq!(
        s.document(&docs[0].document.id).unwrap().as_ref(),
        Some(&docs[0].document)
    );
    let all = s.events(&EventFilter::default()).unwrap();
    assert_eq!(all.len(), 6);
    assert!(all.windows(2).all(|w| w[0].date <= w[1].date));
}

#[test]
fn other_mentions_of_an_act_survive_storage_and_export() {
    let mut docs = sample();
    let e = &mut docs[0].events[0];
    let mut told = e.evidence.clone();
    told.trigger = "again".into();
    told.rule = "test/again".into();
    e.evidence.also.push(told.span());
    let want = e.clone();
    let mut s = Store::in_memory().unwrap();
    s.ingest(&docs, "v1").unwrap();
    assert_eq!(s.event(&want.id).unwrap().as_ref(), Some(&want));
    let mut out = Vec::new();
    sitrep_store::export::write_events_jsonl(&s, &EventFilter::default(), &mut out).unwrap();
    let back: Vec<Event> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(back.contains(&want), "{back:#?}");
}

#[test]
fn filters_narrow_as_documented() {
    let mut s = Store::in_memory().unwrap();
    s.ingest(&sample(), "v1").unwrap();
    let n = |f: EventFilter| s.events(&f).unwrap().len();
    assert_eq!(
        n(EventFilter {
            dyad: Some(("alp".into(), "BOR".into())),
            ..Default::default()
        }),
        4
    );
    assert_eq!(
        n(EventFilter {
            event: Some(EventType::Consult),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            quad_class: Some(4),
            ..Default::default()
        }),
        4
    );
    assert_eq!(
        n(EventFilter {
            quad_class: Some(3),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            status: Some(Status::Hypothetical),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            from: Some(day("2024-03-02")),
            to: Some(day("2024-03-31")),
            ..Default::default()
        }),
        3
    );
    // Actor by code, by country, by KB id and by name words, on either side.
    assert_eq!(
        n(EventFilter {
            actor: Some("COR GOV".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            actor: Some("cor".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            actor: Some("coral-cabinet".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            actor: Some("coral cab".into()),
            ..Default::default()
        }),
        2
    );
    assert_eq!(
        n(EventFilter {
            actor: Some("Nobody".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        n(EventFilter {
            place: Some("vella".into()),
            ..Default::default()
        }),
        6
    );
    assert_eq!(
        n(EventFilter {
            place: Some("COR".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            text: Some("border villages".into()),
            ..Default::default()
        }),
        3
    );
    assert_eq!(
        n(EventFilter {
            text: Some("dam".into()),
            actor: Some("ALP".into()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        n(EventFilter {
            limit: Some(2),
            offset: 1,
            ..Default::default()
        }),
        2
    );
}

#[test]
fn reports_of_one_incident_form_one_story() {
    let mut s = Store::in_memory().unwrap();
    s.ingest(&sample(), "v1").unwrap();
    let stories = s
        .stories(&EventFilter {
            event: Some(EventType::Assault),
            ..Default::default()
        })
        .unwrap();
    // Shelling told twice (1 and 2 March), the dam seizure (different words), and the April
    // shelling (same words, a month later): three stories.
    assert_eq!(stories.len(), 3, "{stories:#?}");
    let shelling = &stories[0];
    assert_eq!(
        (shelling.n_events, shelling.n_documents, shelling.n_sources),
        (2, 2, 2)
    );
    assert_eq!(
        (shelling.first_date.as_str(), shelling.last_date.as_str()),
        ("2024-03-01", "2024-03-02")
    );
    assert!(stories[1..].iter().all(|s| s.n_documents == 1));
}

#[test]
fn stories_are_the_same_whatever_the_batching() {
    let docs = sitrep_store::synth::corpus(7, 300, 3, day("2024-01-01"), 20);
    let mut one = Store::in_memory().unwrap();
    one.ingest(&docs, "v1").unwrap();
    let mut many = Store::in_memory().unwrap();
    for chunk in docs.chunks(7) {
        many.ingest(chunk, "v1").unwrap();
    }
    let all = EventFilter::default();
    let a = one.stories(&all).unwrap();
    assert_eq!(a, many.stories(&all).unwrap());
    assert!(
        a.len() < 900 && a.iter().any(|s| s.n_documents >= 2),
        "synthetic retellings should group"
    );
}

#[test]
fn recode_replaces_events_and_updates_stories() {
    let mut s = Store::in_memory().unwrap();
    let mut docs = sample();
    s.ingest(&docs, "v1").unwrap();
    // The new coder finds only the consultation in the first document.
    docs[0].events.remove(0);
    let st = s.replace_events(&docs[..1], "v2").unwrap();
    assert_eq!((st.events_removed, st.events_added), (2, 1));
    let c = s.counts().unwrap();
    assert_eq!(c.events, 5);
    let shelling = s
        .stories(&EventFilter {
            text: Some("shelled".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(shelling.iter().all(|st| st.n_events == 1), "{shelling:#?}");
    assert_eq!(
        s.events(&EventFilter {
            text: Some("overnight".into()),
            ..Default::default()
        })
        .unwrap()
        .len(),
        0
    );
    assert!(s.check_integrity().unwrap().is_empty());
}

#[test]
fn series_count_and_average_by_bucket() {
    let mut s = Store::in_memory().unwrap();
    s.ingest(&sample(), "v1").unwrap();
    let m = s
        .dyad_series("ALP", "BOR", Bucket::Month, &EventFilter::default())
        .unwrap();
    assert_eq!(m.len(), 2);
    assert_eq!(
        (m[0].key.as_str(), m[0].period.as_str(), m[0].count),
        ("ALP-BOR", "2024-03", 3)
    );
    assert_eq!((m[1].period.as_str(), m[1].count), ("2024-04", 1));
    assert!((m[0].mean_goldstein - sitrep_core::ontology::goldstein("19")).abs() < 1e-9);
    // 1 March 2024 is a Friday: its ISO week starts Monday 26 February.
    let w = s
        .series(&EventFilter::default(), SeriesBy::Total, Bucket::Week)
        .unwrap();
    assert_eq!(w[0].period, "2024-02-26");
    assert_eq!(w[0].count, 4);
    let d = s
        .series(&EventFilter::default(), SeriesBy::Dyad, Bucket::Day)
        .unwrap();
    assert!(d
        .iter()
        .any(|p| p.key == "BOR-COR" && p.period == "2024-03-01" && p.count == 1));
    let a = s
        .series(
            &EventFilter {
                actor: Some("COR".into()),
                ..Default::default()
            },
            SeriesBy::Actor,
            Bucket::Month,
        )
        .unwrap();
    assert!(a.iter().all(|p| p.key == "COR GOV"), "{a:?}");
    assert_eq!(a.iter().map(|p| p.count).sum::<u64>(), 2);
}

#[test]
fn network_places_and_actors() {
    let mut s = Store::in_memory().unwrap();
    s.ingest(&sample(), "v1").unwrap();
    let e = s
        .network(&EventFilter::default(), NodeLevel::Country, 10)
        .unwrap();
    assert_eq!(
        (e[0].source.as_str(), e[0].target.as_str(), e[0].count),
        ("ALP", "BOR", 4)
    );
    let e = s
        .network(&EventFilter::default(), NodeLevel::Actor, 1)
        .unwrap();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].source, "ALP GOV");
    let p = s.places(&EventFilter::default(), 10).unwrap();
    assert_eq!(p.iter().map(|p| p.count).sum::<u64>(), 6);
    assert_eq!(p[0].country, "BOR");
    let a = s.actors("alpine", 10).unwrap();
    assert_eq!(a.len(), 1);
    assert_eq!((a[0].code.as_str(), a[0].events), ("ALP GOV", 5));
}

#[test]
fn bad_filters_are_errors_not_panics() {
    let s = Store::in_memory().unwrap();
    assert!(s
        .events(&EventFilter {
            text: Some("  ".into()),
            ..Default::default()
        })
        .is_err());
    // FTS operators and quotes in user text are searched for, not parsed.
    assert!(s
        .events(&EventFilter {
            text: Some("\"NEAR( AND".into()),
            ..Default::default()
        })
        .is_ok());
}
