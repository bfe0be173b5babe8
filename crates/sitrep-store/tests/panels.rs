//! The schema-6 summaries (pairs, places, conflict weeks, story fatalities) equal the same
//! aggregates computed from the events after ingest, re-ingest and re-coding; keyset pages
//! return every row exactly once; fatalities follow the documented convention.

use chrono::{Duration, NaiveDate};
use sitrep_core::{EventType, Quantity, Status};
use sitrep_store::{
    fatalities, synth, Bucket, CodedDocument, EventFilter, EventOrder, NodeLevel, SeriesBy,
    SortKey, Store,
};
use std::collections::HashSet;

fn killed(n: f64, qualifier: &str) -> Quantity {
    Quantity {
        text: format!("{n} killed"),
        value: n,
        qualifier: qualifier.into(),
        unit: "people".into(),
        kind: "killed".into(),
    }
}

/// Synthetic documents with fatalities on some events and a few hypothetical ones.
fn corpus(seed: u64, docs: usize) -> Vec<CodedDocument> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    // 75 days (and 9 more when recoded): ranges with whole months and ends of months inside.
    let mut out = synth::corpus(seed, docs, 3, start, 75);
    for (i, d) in out.iter_mut().enumerate() {
        for (k, e) in d.events.iter_mut().enumerate() {
            if (i + k) % 3 == 0 {
                e.quantities
                    .push(killed(((i * 7 + k) % 20) as f64, "at_least"));
            }
            if (i + k) % 11 == 0 {
                e.status = Status::Hypothetical;
            }
        }
    }
    out
}

/// Another coding of the same documents: retyped, redated, fewer events, other figures.
fn recoded(docs: &[CodedDocument]) -> Vec<CodedDocument> {
    let mut out = docs.to_vec();
    for (i, d) in out.iter_mut().enumerate() {
        match i % 3 {
            0 => d.events.truncate(1),
            1 => {
                for e in &mut d.events {
                    e.event = EventType::Assault;
                    e.quad_class = 4;
                    e.date += Duration::days(9);
                    e.quantities = vec![killed(3.0, "exact")];
                    e.location = None;
                }
            }
            _ => {}
        }
    }
    out
}

/// Filters that force the events path (`min_confidence` is not kept by any summary), so the
/// answers can be compared with the summaries'.
fn direct(f: &EventFilter) -> EventFilter {
    EventFilter {
        min_confidence: Some(0.0),
        ..f.clone()
    }
}

fn assert_panels_match_events(s: &Store, when: &str) {
    let problems = s.check_integrity().unwrap();
    assert!(problems.is_empty(), "{when}: {problems:#?}");
    for f in [
        EventFilter::default(),
        EventFilter {
            statuses: vec![Status::Asserted, Status::Reported],
            ..EventFilter::default()
        },
        EventFilter {
            quad_class: Some(4),
            ..EventFilter::default()
        },
    ] {
        for level in [NodeLevel::Country, NodeLevel::Actor] {
            let a = s.network(&f, level, 10_000).unwrap();
            let b = s.network(&direct(&f), level, 10_000).unwrap();
            assert_eq!(a.len(), b.len(), "{when}: network {level:?} {f:?}");
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(
                    (&x.source, &x.target, x.count),
                    (&y.source, &y.target, y.count)
                );
                assert!((x.mean_goldstein - y.mean_goldstein).abs() < 1e-9);
            }
        }
        let a = s.places(&f, 10_000).unwrap();
        let b = s.places(&direct(&f), 10_000).unwrap();
        assert_eq!(a.len(), b.len(), "{when}: places");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!((&x.place, x.count), (&y.place, y.count), "{when}");
            assert!((x.lat - y.lat).abs() < 1e-6 && (x.lon - y.lon).abs() < 1e-6);
        }
    }
    dated_panels_match_events(s, when);
    let factual = EventFilter {
        statuses: vec![Status::Reported, Status::Asserted],
        ..EventFilter::default()
    };
    let a = s.conflict_weeks(&factual).unwrap();
    let b = s.conflict_weeks(&direct(&factual)).unwrap();
    assert_eq!(a.len(), b.len(), "{when}: conflict weeks");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (&x.src_country, &x.tgt_country, &x.week, x.count),
            (&y.src_country, &y.tgt_country, &y.week, y.count)
        );
        assert!((x.intensity - y.intensity).abs() < 1e-6, "{when}");
    }
    assert!(!a.is_empty(), "{when}: the corpus has conflict");
}

fn assert_same_network(s: &Store, f: &EventFilter, level: NodeLevel, when: &str) {
    let a = s.network_with_conflict(f, level, 10_000).unwrap();
    let b = s.network_with_conflict(&direct(f), level, 10_000).unwrap();
    assert_eq!(a.len(), b.len(), "{when}: network {level:?} {f:?}");
    for ((x, xc), (y, yc)) in a.iter().zip(&b) {
        assert_eq!(
            (&x.source, &x.target, x.count, xc),
            (&y.source, &y.target, y.count, yc),
            "{when}: network {level:?} {f:?}"
        );
        assert!((x.mean_goldstein - y.mean_goldstein).abs() < 1e-9, "{when}");
    }
    // The top of the list is cut in the same place.
    let top = s.network_with_conflict(f, level, 5).unwrap();
    assert_eq!(top, a[..a.len().min(5)].to_vec(), "{when}: {f:?}");
}

fn assert_same_places(s: &Store, f: &EventFilter, when: &str) {
    let a = s.places(f, 10_000).unwrap();
    let b = s.places(&direct(f), 10_000).unwrap();
    assert_eq!(a.len(), b.len(), "{when}: places {f:?}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            (&x.place, &x.country, x.count),
            (&y.place, &y.country, y.count),
            "{when}: places {f:?}"
        );
        assert!((x.lat - y.lat).abs() < 1e-6 && (x.lon - y.lon).abs() < 1e-6);
        assert!((x.mean_goldstein - y.mean_goldstein).abs() < 1e-9, "{when}");
    }
}

/// Date ranges (whole months, ends of months, open sides, none whole) and places, read from
/// the monthly summaries, against the event scan.
fn dated_panels_match_events(s: &Store, when: &str) {
    let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d);
    let factual = vec![Status::Asserted, Status::Reported];
    let mut filters = Vec::new();
    for (from, to) in [
        (day(1, 15), day(3, 10)),
        (day(2, 1), day(2, 29)),
        (day(1, 20), None),
        (None, day(2, 29)),
        (None, day(3, 2)),
        (day(1, 10), day(2, 20)),
        (day(3, 1), day(3, 31)),
        // Most of the data: everything less what lies outside.
        (day(1, 3), day(3, 31)),
        (day(1, 3), day(3, 20)),
    ] {
        for statuses in [vec![], factual.clone()] {
            filters.push(EventFilter {
                from,
                to,
                statuses,
                ..EventFilter::default()
            });
        }
    }
    filters.push(EventFilter {
        from: day(1, 3),
        to: day(2, 29),
        quad_class: Some(4),
        ..EventFilter::default()
    });
    let places = s.places(&EventFilter::default(), 3).unwrap();
    assert!(!places.is_empty(), "{when}: the corpus has places");
    for f in &filters {
        for level in [NodeLevel::Country, NodeLevel::Actor] {
            assert_same_network(s, f, level, when);
        }
        assert_same_places(s, f, when);
        for p in &places {
            for name in [p.place.clone(), p.country.clone()] {
                let f = EventFilter {
                    place: Some(name),
                    ..f.clone()
                };
                assert_same_places(s, &f, when);
                let undated = EventFilter {
                    from: None,
                    to: None,
                    ..f.clone()
                };
                assert_same_places(s, &undated, when);
            }
        }
    }
}

#[test]
fn summaries_equal_the_events_after_ingest_reingest_and_recode() {
    let docs = corpus(5, 150);
    let mut s = Store::in_memory().unwrap();
    for chunk in docs.chunks(23) {
        s.ingest(chunk, "v1").unwrap();
    }
    assert_panels_match_events(&s, "after ingest");
    assert_eq!(s.ingest(&docs, "v1").unwrap().events_added, 0);
    assert_panels_match_events(&s, "after re-ingest");
    let new = recoded(&docs);
    s.replace_events(&new[..70], "v2").unwrap();
    assert_panels_match_events(&s, "after recoding half");
    let mut twice = new[70..].to_vec();
    twice.push(docs[90].clone());
    s.replace_events(&twice, "v3").unwrap();
    assert_panels_match_events(&s, "after recoding a document twice in one batch");
    s.rebuild_stories().unwrap();
    assert_panels_match_events(&s, "after regrouping stories");
}

#[test]
fn a_drifted_summary_is_reported() {
    for (table, change) in [
        (
            "pair_totals",
            "UPDATE pair_totals SET n = n + 1 WHERE level = 'c'",
        ),
        (
            "place_totals",
            "DELETE FROM place_totals WHERE place = (SELECT min(place) FROM place_totals)",
        ),
        (
            "conflict_weeks",
            "UPDATE conflict_weeks SET n4 = n4 * 2 + 1",
        ),
        (
            "story_fatalities",
            "UPDATE story_fatalities SET fatalities = fatalities + 1",
        ),
        (
            "pair_months",
            "UPDATE pair_months SET n = n + 1 WHERE level = 'a'",
        ),
        (
            "place_months",
            "DELETE FROM place_months WHERE month = '2024-02'",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("drift.db");
        let mut s = Store::open(&path).unwrap();
        s.ingest(&corpus(2, 30), "v1").unwrap();
        assert!(s.check_integrity().unwrap().is_empty());
        drop(s);
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute(change, [])
            .unwrap();
        let p = Store::open(&path).unwrap().check_integrity().unwrap();
        assert!(p.iter().any(|m| m.contains(table)), "{table}: {p:#?}");
    }
}

/// A date range over whole months is answered by the monthly summaries, not the events: once
/// the summary is changed behind the store's back, its answer is no longer the scan's.
#[test]
fn dated_panels_read_the_monthly_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("months.db");
    Store::open(&path)
        .unwrap()
        .ingest(&corpus(4, 60), "v1")
        .unwrap();
    let feb = EventFilter {
        from: NaiveDate::from_ymd_opt(2024, 2, 1),
        to: NaiveDate::from_ymd_opt(2024, 2, 29),
        ..EventFilter::default()
    };
    let count = |s: &Store, f: &EventFilter| -> (u64, u64) {
        let net = s.network(f, NodeLevel::Actor, 10_000).unwrap();
        let places = s.places(f, 10_000).unwrap();
        (
            net.iter().map(|e| e.count).sum(),
            places.iter().map(|p| p.count).sum(),
        )
    };
    let s = Store::open(&path).unwrap();
    let before = count(&s, &feb);
    assert!(before.0 > 0 && before.1 > 0, "{before:?}");
    drop(s);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE pair_months SET n = n * 2 WHERE level = 'a';
             UPDATE place_months SET n = n * 2;",
        )
        .unwrap();
    let s = Store::open(&path).unwrap();
    assert_eq!(count(&s, &feb), (before.0 * 2, before.1 * 2));
    assert_eq!(count(&s, &direct(&feb)), before, "the events are unchanged");

    // Most of the data is read as the undated totals less what lies outside the range.
    let most = EventFilter {
        from: NaiveDate::from_ymd_opt(2024, 1, 3),
        to: NaiveDate::from_ymd_opt(2024, 3, 31),
        ..EventFilter::default()
    };
    let scan = count(&s, &direct(&most));
    assert_eq!(count(&s, &most), scan, "the doubled months lie outside it");
    drop(s);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "UPDATE pair_totals SET n = n * 2 WHERE level = 'a';
             UPDATE place_totals SET n = n * 2;",
        )
        .unwrap();
    let s = Store::open(&path).unwrap();
    let read = count(&s, &most);
    assert!(read.0 > scan.0 && read.1 > scan.1, "{read:?} {scan:?}");
}

#[test]
fn fatalities_take_the_largest_killed_figure_and_count_a_story_once() {
    let docs = corpus(9, 4);
    let mut e = docs[0].events[0].clone();
    e.quantities = vec![
        killed(12.0, "at_least"),
        killed(3.0, "exact"),
        Quantity {
            kind: "injured".into(),
            ..killed(40.0, "exact")
        },
        killed(2.7, "about"),
    ];
    assert_eq!(fatalities::of_event(&e), 12);
    e.quantities.clear();
    assert_eq!(fatalities::of_event(&e), 0);

    // Two reports of one act (the second retells the first: same story) with 10 and 14 killed,
    // a hypothetical 99 in the same story, and one unrelated act with 5.
    let d0 = NaiveDate::from_ymd_opt(2024, 3, 4).unwrap();
    let mk = |id: &str, text: &str, killed_n: f64, status: Status, src: &str| {
        let mut cd = docs[0].clone();
        cd.document = sitrep_core::Document::new(d0, text.to_string());
        cd.document.id = id.into();
        cd.events.truncate(1);
        let ev = &mut cd.events[0];
        ev.id = format!("{id}-e");
        ev.doc_id = id.into();
        ev.date = d0;
        ev.event = EventType::Assault;
        ev.quad_class = 4;
        ev.status = status;
        ev.source[0].country = src.into();
        ev.target[0].country = "UKR".into();
        ev.evidence.sentence = "Troops shelled the border town and killed villagers".into();
        ev.quantities = vec![killed(killed_n, "exact")];
        cd
    };
    let batch = vec![
        mk("a", "one", 10.0, Status::Asserted, "RUS"),
        mk("b", "two", 14.0, Status::Reported, "RUS"),
        mk("c", "three", 99.0, Status::Hypothetical, "RUS"),
        mk("d", "four", 5.0, Status::Asserted, "BLR"),
    ];
    let mut s = Store::in_memory().unwrap();
    s.ingest(&batch, "v1").unwrap();
    let all = EventFilter::default();
    let by_dyad = s
        .fatality_series(&all, SeriesBy::Dyad, Bucket::Month)
        .unwrap();
    let got: Vec<(String, String, u64, u64)> = by_dyad
        .iter()
        .map(|p| (p.key.clone(), p.period.clone(), p.fatalities, p.stories))
        .collect();
    assert_eq!(
        got,
        vec![
            ("BLR-UKR".into(), "2024-03".into(), 5, 1),
            ("RUS-UKR".into(), "2024-03".into(), 14, 1),
        ]
    );
    let total = s
        .fatality_series(&all, SeriesBy::Total, Bucket::Week)
        .unwrap();
    assert_eq!(total.len(), 1);
    assert_eq!(
        (total[0].period.as_str(), total[0].fatalities),
        ("2024-03-04", 19)
    );
    // Per event, in the stored events.
    let rows: Vec<u64> = s
        .events(&all)
        .unwrap()
        .iter()
        .map(fatalities::of_event)
        .collect();
    assert_eq!(rows.iter().sum::<u64>(), 10 + 14 + 99 + 5);
    // A filter the convention does not take is refused, not silently ignored.
    let f = EventFilter {
        actor: Some("RUS".into()),
        ..all.clone()
    };
    assert!(s
        .fatality_series(&f, SeriesBy::Total, Bucket::Month)
        .is_err());
    // Re-coding the larger report away leaves the story with the other one.
    let mut b2 = batch[1].clone();
    b2.events[0].quantities.clear();
    s.replace_events(&[b2], "v2").unwrap();
    let total = s
        .fatality_series(&all, SeriesBy::Total, Bucket::Month)
        .unwrap();
    assert_eq!(total[0].fatalities, 15);
    assert!(s.check_integrity().unwrap().is_empty());
}

#[test]
fn keyset_pages_return_every_row_exactly_once() {
    let mut s = Store::in_memory().unwrap();
    s.ingest(&corpus(4, 120), "v1").unwrap();
    let filters = [
        EventFilter::default(),
        EventFilter {
            statuses: vec![Status::Asserted, Status::Reported],
            ..EventFilter::default()
        },
        EventFilter {
            actor: Some("USA".into()),
            ..EventFilter::default()
        },
    ];
    for f in &filters {
        let all = s.events(f).unwrap().len();
        for key in SortKey::ALL {
            for descending in [false, true] {
                let order = EventOrder { key, descending };
                let mut seen = HashSet::new();
                let mut cursor: Option<String> = None;
                loop {
                    let page = s.events_after(f, order, cursor.as_deref(), 7).unwrap();
                    for e in &page.items {
                        assert!(seen.insert(e.id.clone()), "{order:?}: {} twice", e.id);
                    }
                    match page.next_cursor {
                        Some(c) => cursor = Some(c),
                        None => break,
                    }
                }
                assert_eq!(seen.len(), all, "{order:?} {f:?}");
            }
        }
        let stories = s.stories(f).unwrap();
        let mut paged = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = s.stories_after(f, cursor.as_deref(), 9).unwrap();
            paged.extend(page.items);
            match page.next_cursor {
                Some(c) => cursor = Some(c),
                None => break,
            }
        }
        assert_eq!(paged, stories, "{f:?}");
    }
    assert!(s
        .events_after(&filters[0], EventOrder::NEWEST, Some("zz"), 5)
        .is_err());
}
