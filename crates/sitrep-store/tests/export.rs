//! Each export read back: what was written is what the store holds.

use sitrep_store::export::{self, GdeltRow, PloverRecord};
use sitrep_store::{EventFilter, Store};

fn store() -> (Store, Vec<sitrep_core::Event>) {
    let start = chrono::NaiveDate::from_ymd_opt(2022, 12, 30).unwrap();
    let mut docs = sitrep_store::synth::corpus(11, 60, 3, start, 5);
    // A URL with a comma and a sentence with quotes and a newline test the CSV quoting.
    docs[0].document.url = Some("https://example.org/a,b?q=\"x\"".into());
    docs[0].events[0].evidence.sentence = "He said \"no\",\nthen left; 100% sure.".into();
    let mut s = Store::in_memory().unwrap();
    s.ingest(&docs, "test-coder").unwrap();
    let events = s.events(&EventFilter::default()).unwrap();
    (s, events)
}

#[test]
fn gdelt_csv_round_trips() {
    let (s, events) = store();
    let mut buf = Vec::new();
    let n = export::write_gdelt_csv(&s, &EventFilter::default(), &mut buf).unwrap();
    assert_eq!(n as usize, events.len());
    let mut r = csv::Reader::from_reader(buf.as_slice());
    assert_eq!(
        r.headers().unwrap().iter().collect::<Vec<_>>(),
        export::gdelt_header()
    );
    let rows: Vec<GdeltRow> = r.deserialize().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), events.len());
    for (row, e) in rows.iter().zip(&events) {
        assert_eq!(row.sitrep_id, e.id);
        assert_eq!(row.event_code, e.cameo);
        assert_eq!(row.goldstein, e.goldstein);
        assert_eq!(row.actor1_country, e.source[0].country);
        assert_eq!(row.actor2_code, e.target[0].code.replace(' ', ""));
        assert_eq!(
            row.sql_date.to_string(),
            e.date.format("%Y%m%d").to_string()
        );
        assert_eq!(row.geo_lat, e.location.as_ref().map(|l| l.lat));
        assert!(row.num_articles >= 1);
    }
    let first = rows
        .iter()
        .find(|r| r.evidence.starts_with("He said"))
        .unwrap();
    assert_eq!(first.evidence, "He said \"no\", then left; 100% sure.");
    assert_eq!(first.source_url, "https://example.org/a,b?q=\"x\"");
    // Retold incidents share a story, and the rows say how many articles told it.
    assert!(rows.iter().any(|r| r.num_articles >= 2));
}

#[test]
fn empty_csv_still_has_its_header() {
    let s = Store::in_memory().unwrap();
    let mut buf = Vec::new();
    assert_eq!(
        export::write_gdelt_csv(&s, &EventFilter::default(), &mut buf).unwrap(),
        0
    );
    let text = String::from_utf8(buf).unwrap();
    assert!(text.starts_with("GLOBALEVENTID,SQLDATE,"));
    assert_eq!(text.lines().count(), 1);
}

#[test]
fn plover_jsonl_round_trips() {
    let (s, events) = store();
    let mut buf = Vec::new();
    export::write_plover_jsonl(&s, &EventFilter::default(), &mut buf).unwrap();
    let recs: Vec<PloverRecord> = buf
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(recs.len(), events.len());
    for (r, e) in recs.iter().zip(&events) {
        assert_eq!(
            (r.id.as_str(), r.event.as_str()),
            (e.id.as_str(), e.event.as_str())
        );
        assert_eq!(r.actor, e.source[0].text);
        assert_eq!(r.recipient_code, e.target[0].code);
        assert_eq!(r.event_text, e.evidence.sentence);
        assert_eq!(r.quad_code, e.quad_class);
        assert_eq!(r.coder_version, "test-coder");
    }
    // PLOVER's own names are the keys.
    let v: serde_json::Value =
        serde_json::from_slice(buf.split(|b| *b == b'\n').next().unwrap()).unwrap();
    for k in [
        "actor",
        "recipient",
        "event",
        "mode",
        "context",
        "event_text",
        "quad_code",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
}

#[test]
fn event_jsonl_round_trips_exactly() {
    let (s, events) = store();
    let mut buf = Vec::new();
    export::write_events_jsonl(&s, &EventFilter::default(), &mut buf).unwrap();
    let back: Vec<sitrep_core::Event> = buf
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(back, events);
}

#[cfg(feature = "parquet")]
#[test]
fn parquet_round_trips() {
    let (s, events) = store();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("events.parquet");
    let n = export::write_parquet(&s, &EventFilter::default(), &path).unwrap();
    assert_eq!(n as usize, events.len());
    let rows = export::read_parquet(&path).unwrap();
    let mut csv_rows = Vec::new();
    s.for_each_event(&EventFilter::default(), |r| {
        csv_rows.push(GdeltRow::from_row(&r));
        Ok(())
    })
    .unwrap();
    assert_eq!(rows, csv_rows);
}
