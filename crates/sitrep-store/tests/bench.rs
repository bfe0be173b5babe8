//! Measurements, not assertions: run with
//!   cargo test --release -p sitrep-store --test bench -- --ignored --nocapture
//! SITREP_BENCH_EVENTS sets the size of the series database (default 1,000,000 events);
//! SITREP_BENCH_DB keeps it at a path to reuse between runs.

use sitrep_store::{synth, Bucket, EventFilter, Store};
use std::time::Instant;

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

/// Ingests synthetic documents in batches; returns events per second (writing only).
fn ingest(store: &mut Store, events: usize, seed: u64) -> f64 {
    let per_doc = 4;
    let docs_per_batch = 2_000;
    let start = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut written = 0usize;
    let mut secs = 0.0;
    let mut batch_no = 0u64;
    while written < events {
        let n = docs_per_batch.min((events - written).div_ceil(per_doc));
        let docs = synth::corpus(seed * 1_000_003 + batch_no, n, per_doc, start, 3650);
        batch_no += 1;
        let t = Instant::now();
        let st = store.ingest(&docs, "bench").unwrap();
        secs += t.elapsed().as_secs_f64();
        written += st.events_added as usize;
        if batch_no.is_multiple_of(50) {
            eprintln!(
                "  {written} events, {:.0} events/s so far",
                written as f64 / secs
            );
        }
    }
    written as f64 / secs
}

#[test]
#[ignore]
fn ingest_events_per_second() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Store::open(dir.path().join("bench.db")).unwrap();
    let n = env_usize("SITREP_BENCH_INGEST", 200_000);
    let rate = ingest(&mut s, n, 1);
    eprintln!("ingest: {n} events at {rate:.0} events/s (documents, events, actors, FTS, stories)");
}

#[test]
#[ignore]
fn dyad_monthly_series_latency() {
    let n = env_usize("SITREP_BENCH_EVENTS", 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var("SITREP_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("series.db"));
    let mut s = Store::open(&path).unwrap();
    let have = s.counts().unwrap().events as usize;
    if have < n {
        let rate = ingest(&mut s, n - have, have as u64 + 7);
        eprintln!("built {} events at {rate:.0} events/s", n - have);
        s.checkpoint().unwrap();
    }
    let total = s.counts().unwrap().events;
    // The busiest dyad is the worst case for a series.
    let top = s
        .network(&EventFilter::default(), sitrep_store::NodeLevel::Country, 1)
        .unwrap();
    let (src, tgt) = (top[0].source.clone(), top[0].target.clone());
    let f = EventFilter::default();
    let mut times = Vec::new();
    let mut points = 0;
    for _ in 0..21 {
        let t = Instant::now();
        points = s.dyad_series(&src, &tgt, Bucket::Month, &f).unwrap().len();
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let typed = EventFilter {
        event: Some(sitrep_core::EventType::Assault),
        ..Default::default()
    };
    let t = Instant::now();
    s.dyad_series(&src, &tgt, Bucket::Month, &typed).unwrap();
    let typed_ms = t.elapsed().as_secs_f64() * 1e3;
    eprintln!(
        "dyad {src}-{tgt} ({} events of {total}): monthly series of {points} points, median {:.1} ms, max {:.1} ms; ASSAULT only {typed_ms:.1} ms",
        top[0].count, times[10], times[20]
    );
}
