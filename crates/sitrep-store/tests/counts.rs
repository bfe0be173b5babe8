//! The per-day summary (`event_counts`) always equals a recount from the events table, and the
//! aggregates it serves equal those computed from the events themselves.

use chrono::{Duration, NaiveDate};
use sitrep_core::{EventType, Status};
use sitrep_store::{synth, Bucket, CodedDocument, EventFilter, NodeLevel, SeriesBy, Store};

fn corpus(seed: u64, docs: usize) -> Vec<CodedDocument> {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    synth::corpus(seed, docs, 3, start, 40)
}

fn assert_consistent(s: &Store, when: &str) {
    let problems = s.check_integrity().unwrap();
    assert!(problems.is_empty(), "{when}: {problems:#?}");
}

/// What a new coder might make of the same documents: some events gone, some retyped or
/// redated (moving them to other summary rows), one new.
fn recoded(docs: &[CodedDocument]) -> Vec<CodedDocument> {
    docs.iter()
        .enumerate()
        .map(|(i, d)| {
            let mut d = d.clone();
            match i % 4 {
                0 => d.events.truncate(1),
                1 => {
                    for e in &mut d.events {
                        e.event = EventType::Protest;
                        e.quad_class = EventType::Protest.quad_class();
                        e.goldstein = -6.5;
                        e.date += Duration::days(3);
                    }
                }
                2 => {
                    let mut extra = d.events[0].clone();
                    extra.id = format!("{}-x", extra.id);
                    extra.target = extra.source.clone();
                    d.events.push(extra);
                }
                _ => {}
            }
            d
        })
        .collect()
}

#[test]
fn summary_equals_a_recount_after_ingest_reingest_and_recode() {
    let docs = corpus(11, 240);
    let mut s = Store::in_memory().unwrap();
    for chunk in docs.chunks(37) {
        s.ingest(chunk, "v1").unwrap();
    }
    assert_consistent(&s, "after ingest");
    let n_events = s.counts().unwrap().events;
    let summed: u64 = s
        .series(&EventFilter::default(), SeriesBy::Total, Bucket::Day)
        .unwrap()
        .iter()
        .map(|p| p.count)
        .sum();
    assert_eq!(summed, n_events);

    let again = s.ingest(&docs, "v1").unwrap();
    assert_eq!(again.events_added, 0);
    assert_consistent(&s, "after re-ingest");

    let new = recoded(&docs);
    let st = s.replace_events(&new[..120], "v2").unwrap();
    assert!(st.events_removed > 0 && st.events_added > 0);
    assert_consistent(&s, "after recoding half");
    // One batch naming a document twice: its second coding removes what the first just added.
    let mut twice = new[120..].to_vec();
    twice.push(docs[130].clone());
    twice.push(new[130].clone());
    s.replace_events(&twice, "v3").unwrap();
    assert_consistent(&s, "after recoding a document twice in one batch");
    // And back to the original coding: the summary returns to the first ingest's.
    s.replace_events(&docs, "v1").unwrap();
    assert_consistent(&s, "after recoding back");
    let mut fresh = Store::in_memory().unwrap();
    fresh.ingest(&docs, "v1").unwrap();
    let all = EventFilter::default();
    let day = |s: &Store| {
        s.series(&all, SeriesBy::Dyad, Bucket::Day)
            .unwrap()
            .into_iter()
            .map(|p| (p.key, p.period, p.count))
            .collect::<Vec<_>>()
    };
    assert_eq!(day(&s), day(&fresh));
}

/// The same filter through the summary and through the events table (a confidence floor every
/// event passes is something the summary does not keep, so it forces the events path).
fn both(f: EventFilter) -> (EventFilter, EventFilter) {
    let via_events = EventFilter {
        min_confidence: Some(0.0),
        ..f.clone()
    };
    (f, via_events)
}

#[test]
fn aggregates_from_the_summary_equal_those_from_events() {
    let mut s = Store::in_memory().unwrap();
    s.ingest(&corpus(5, 400), "v1").unwrap();
    let top = s
        .network(&EventFilter::default(), NodeLevel::Country, 1)
        .unwrap();
    let (src, tgt) = (top[0].source.clone(), top[0].target.clone());
    let filters = [
        EventFilter::default(),
        EventFilter {
            dyad: Some((src.clone(), tgt.clone())),
            ..Default::default()
        },
        EventFilter {
            event: Some(EventType::Assault),
            from: NaiveDate::from_ymd_opt(2024, 1, 10),
            to: NaiveDate::from_ymd_opt(2024, 2, 1),
            ..Default::default()
        },
        EventFilter {
            quad_class: Some(4),
            dyad: Some((src.to_lowercase(), format!(" {tgt}"))),
            ..Default::default()
        },
        EventFilter {
            status: Some(Status::Reported),
            ..Default::default()
        },
        EventFilter {
            statuses: vec![Status::Asserted, Status::Planned],
            dyad: Some((src.clone(), tgt.clone())),
            ..Default::default()
        },
    ];
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(1.0);
    for f in filters {
        let (sum, ev) = both(f);
        for by in [SeriesBy::Total, SeriesBy::Dyad] {
            for bucket in [Bucket::Day, Bucket::Week, Bucket::Month] {
                let a = s.series(&sum, by, bucket).unwrap();
                let b = s.series(&ev, by, bucket).unwrap();
                assert_eq!(a.len(), b.len(), "{sum:?} {by:?} {bucket:?}");
                assert!(!a.is_empty(), "{sum:?} {by:?} {bucket:?}");
                for (p, q) in a.iter().zip(&b) {
                    assert_eq!((&p.key, &p.period, p.count), (&q.key, &q.period, q.count));
                    assert!(close(p.mean_goldstein, q.mean_goldstein), "{p:?} {q:?}");
                }
            }
        }
        // The one-pass split by quad class equals a series per class, on both paths.
        for g in [&sum, &ev] {
            let split = s.series_by_quad(g, Bucket::Week).unwrap();
            let total = s.series(g, SeriesBy::Total, Bucket::Week).unwrap();
            assert_eq!(split.len(), total.len());
            for (p, t) in split.iter().zip(&total) {
                assert_eq!((&p.period, p.count), (&t.period, t.count));
                assert!(close(p.mean_goldstein, t.mean_goldstein));
                assert_eq!(p.quad.iter().sum::<u64>(), p.count);
            }
            for q in 1..=4u8 {
                let one = EventFilter {
                    quad_class: Some(q),
                    ..g.clone()
                };
                if g.quad_class.is_some_and(|fq| fq != q) {
                    continue;
                }
                for t in s.series(&one, SeriesBy::Total, Bucket::Week).unwrap() {
                    let p = split.iter().find(|p| p.period == t.period).unwrap();
                    assert_eq!(p.quad[q as usize - 1], t.count, "{g:?} q{q} {}", t.period);
                }
            }
        }
        let a = s.network(&sum, NodeLevel::Country, 50).unwrap();
        let b = s.network(&ev, NodeLevel::Country, 50).unwrap();
        assert_eq!(a.len(), b.len());
        for (p, q) in a.iter().zip(&b) {
            assert_eq!(
                (&p.source, &p.target, p.count),
                (&q.source, &q.target, q.count)
            );
            assert!(close(p.mean_goldstein, q.mean_goldstein), "{p:?} {q:?}");
        }
        let a = s.dyad_series(&src, &tgt, Bucket::Month, &sum).unwrap();
        let b = s.dyad_series(&src, &tgt, Bucket::Month, &ev).unwrap();
        assert_eq!(
            a.iter().map(|p| p.count).collect::<Vec<_>>(),
            b.iter().map(|p| p.count).collect::<Vec<_>>()
        );
    }
}

#[test]
fn regrouping_from_scratch_gives_the_incremental_stories() {
    let docs = corpus(9, 300);
    let mut s = Store::in_memory().unwrap();
    for chunk in docs.chunks(23) {
        s.ingest(chunk, "v1").unwrap();
    }
    let all = EventFilter::default();
    let before = s.stories(&all).unwrap();
    assert!(before.iter().any(|st| st.n_documents >= 2));
    s.rebuild_stories().unwrap();
    assert_eq!(s.stories(&all).unwrap(), before);
    assert_consistent(&s, "after regrouping");
}

/// Another connection re-codes a document between two batches of this one, and SQLite gives
/// the deleted rows' ids to the new events: the story matcher must not trust what it
/// remembered of those rows. The result equals the same steps taken through one connection.
#[test]
fn stories_stay_right_when_another_connection_writes_between_batches() {
    let head = corpus(5, 40);
    // The last document holds the highest rowids; its re-coding is another incident.
    let mut changed = head[head.len() - 1].clone();
    for e in &mut changed.events {
        e.event = EventType::Protest;
        e.quad_class = EventType::Protest.quad_class();
        e.evidence.sentence =
            "Riot police dispersed farmers marching on the grain ministry in Velora.".into();
    }
    // A later report of that new incident, in another document.
    let mut retold = changed.clone();
    retold.document.id = "d-retold".into();
    retold.events.truncate(1);
    retold.events[0].id = "e-retold".into();
    retold.events[0].evidence.sentence =
        "Farmers marching on the grain ministry in Velora were dispersed by riot police.".into();

    let dir = tempfile::tempdir().unwrap();
    let two = dir.path().join("two.db");
    let mut a = Store::open(&two).unwrap();
    a.ingest(&head, "v1").unwrap();
    Store::open(&two)
        .unwrap()
        .replace_events(std::slice::from_ref(&changed), "v2")
        .unwrap();
    a.ingest(std::slice::from_ref(&retold), "v1").unwrap();
    assert_consistent(&a, "two writers");

    let one = dir.path().join("one.db");
    let mut s = Store::open(&one).unwrap();
    s.ingest(&head, "v1").unwrap();
    s.replace_events(std::slice::from_ref(&changed), "v2")
        .unwrap();
    s.ingest(std::slice::from_ref(&retold), "v1").unwrap();
    let all = EventFilter::default();
    let stories = s.stories(&all).unwrap();
    assert!(
        stories
            .iter()
            .any(|st| st.n_documents == 2 && st.event == EventType::Protest.as_str()),
        "the retelling joins the re-coded incident"
    );
    assert_eq!(a.stories(&all).unwrap(), stories);
}
