//! Measurements, not assertions: run with
//!   cargo test --release -p sitrep-store --test bench -- --ignored --nocapture
//! The ingest measurement first times a floor in the same run (see `bare_rows`) and reports
//! the store as a ratio to it, so figures from different machines compare.
//! SITREP_BENCH_INGEST sets the events of the ingest measurement (default 200,000) and
//! SITREP_BENCH_BATCH its documents per transaction (default 2,000, 4 events each), and
//! SITREP_BENCH_ORDER=dated feeds documents in date order instead of spread over ten years.
//! SITREP_BENCH_EVENTS sets the size of the series database (default 1,000,000 events);
//! SITREP_BENCH_DB keeps it at a path, so a large one is built once and reused (delete it
//! when done: 10 million events take several GB).
//!
//! Rates are given twice: per wall-clock second, and per CPU second of the writing thread,
//! which other processes on a shared machine disturb much less.

use sitrep_store::{synth, Bucket, EventFilter, NodeLevel, SeriesBy, Store};
use std::time::Instant;

fn env_usize(k: &str, d: usize) -> usize {
    std::env::var(k)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(d)
}

/// CPU seconds (user + system) this thread has used so far.
fn thread_cpu() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/thread-self/stat") else {
        return f64::NAN;
    };
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    let f: Vec<&str> = s
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let tick = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (tick(11) + tick(12)) / 100.0
}

struct Rate {
    events: usize,
    wall: f64,
    cpu: f64,
}

impl Rate {
    fn per_wall(&self) -> f64 {
        self.events as f64 / self.wall
    }
    fn per_cpu(&self) -> f64 {
        self.events as f64 / self.cpu
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "{} events at {:.0} events/s ({:.0} per CPU second)",
            self.events,
            self.per_wall(),
            self.per_cpu()
        )
    }
}

/// Feeds synthetic documents to `write` in batches until `events` are written, timing only
/// `write` (not the generator); `write` says how many events it wrote.
fn timed_batches(
    events: usize,
    seed: u64,
    mut write: impl FnMut(&[sitrep_store::CodedDocument]) -> usize,
) -> Rate {
    let per_doc = 4;
    let docs_per_batch = env_usize("SITREP_BENCH_BATCH", 2_000);
    let dated = std::env::var("SITREP_BENCH_ORDER").is_ok_and(|v| v == "dated");
    let start = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut r = Rate {
        events: 0,
        wall: 0.0,
        cpu: 0.0,
    };
    let mut batch_no = 0u64;
    while r.events < events {
        let n = docs_per_batch.min((events - r.events).div_ceil(per_doc));
        // Spread: every batch over ten years (the worst case for date-keyed indexes). Dated:
        // batch k covers days k to k + 2, as a news feed arrives, so one dyad's reports of a
        // day meet in the story matcher.
        let (first, days) = if dated {
            (start + chrono::Duration::days(batch_no as i64), 3)
        } else {
            (start, 3650)
        };
        let docs = synth::corpus(seed * 1_000_003 + batch_no, n, per_doc, first, days);
        batch_no += 1;
        let (t, c) = (Instant::now(), thread_cpu());
        r.events += write(&docs);
        r.wall += t.elapsed().as_secs_f64();
        r.cpu += thread_cpu() - c;
        if batch_no.is_multiple_of(100) {
            eprintln!("  {r} so far");
        }
    }
    r
}

fn ingest(store: &mut Store, events: usize, seed: u64) -> Rate {
    timed_batches(events, seed, |docs| {
        store.ingest(docs, "bench").unwrap().events_added as usize
    })
}

#[test]
#[ignore]
fn ingest_events_per_second() {
    let dir = tempfile::tempdir().unwrap();
    let n = env_usize("SITREP_BENCH_INGEST", 200_000);
    let floor = bare_rows(&dir.path().join("bare.db"), n, 1);
    eprintln!("floor: {floor} (each event's JSON as one row under a unique id, nothing else)");
    let mut s = Store::open(dir.path().join("bench.db")).unwrap();
    let r = ingest(&mut s, n, 1);
    eprintln!(
        "ingest: {r} (documents, events, actors, FTS, stories, summary; {} documents a batch, {})",
        env_usize("SITREP_BENCH_BATCH", 2_000),
        std::env::var("SITREP_BENCH_ORDER").unwrap_or_else(|_| "spread".into())
    );
    eprintln!(
        "ingest / floor: {:.2} per wall second, {:.2} per CPU second",
        r.per_wall() / floor.per_wall(),
        r.per_cpu() / floor.per_cpu()
    );
}

/// The baseline the ingest rate is read against, measured in the same run on the same disk:
/// the least any SQLite store of these records does — serialise each event and insert its JSON
/// under its unique id, same pages, journal and batches as the store, no other table or
/// index. What this machine gives here bounds what the store can give.
fn bare_rows(path: &std::path::Path, events: usize, seed: u64) -> Rate {
    let mut conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
         PRAGMA cache_size = -262144;
         CREATE TABLE events (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, json TEXT NOT NULL);",
    )
    .unwrap();
    timed_batches(events, seed, |docs| {
        let tx = conn.transaction().unwrap();
        let mut n = 0;
        {
            let mut ins = tx
                .prepare_cached("INSERT OR IGNORE INTO events (id, json) VALUES (?1, ?2)")
                .unwrap();
            for e in docs.iter().flat_map(|d| &d.events) {
                let json = serde_json::to_string(e).unwrap();
                n += ins.execute(rusqlite::params![e.id, json]).unwrap();
            }
        }
        tx.commit().unwrap();
        n
    })
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Milliseconds of each of `reps` runs of `f`, sorted.
fn times(reps: usize, mut f: impl FnMut()) -> Vec<f64> {
    let mut v: Vec<f64> = (0..reps)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

fn report(what: &str, t: &[f64]) {
    eprintln!(
        "{what}: median {:.1} ms, p99 {:.1} ms, max {:.1} ms over {} runs",
        percentile(t, 0.5),
        percentile(t, 0.99),
        t[t.len() - 1],
        t.len()
    );
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
        let r = ingest(&mut s, n - have, have as u64 + 7);
        eprintln!("built: {r}");
        s.checkpoint().unwrap();
    }
    drop(s);
    // A fresh read-only handle, as the server has.
    let s = Store::open_read_only(&path).unwrap();
    let total = s.counts().unwrap().events;
    let all = EventFilter::default();
    let t = Instant::now();
    let edges = s.network(&all, NodeLevel::Country, 10_000).unwrap();
    let network_ms = t.elapsed().as_secs_f64() * 1e3;
    // The ten busiest dyads (worst cases) and ten from the long tail.
    let mut dyads: Vec<(String, String, u64)> = edges
        .iter()
        .take(10)
        .map(|e| (e.source.clone(), e.target.clone(), e.count))
        .collect();
    let step = (edges.len() / 10).max(1);
    dyads.extend(
        edges
            .iter()
            .skip(10)
            .step_by(step)
            .take(10)
            .map(|e| (e.source.clone(), e.target.clone(), e.count)),
    );
    eprintln!(
        "{total} events, {} dyads; series over {} dyads of {} to {} events",
        edges.len(),
        dyads.len(),
        dyads.iter().map(|d| d.2).min().unwrap_or(0),
        dyads.iter().map(|d| d.2).max().unwrap_or(0)
    );
    let series = |f: &EventFilter, reps: usize| {
        let mut all = Vec::new();
        for (src, tgt, _) in &dyads {
            all.extend(times(reps, || {
                s.dyad_series(src, tgt, Bucket::Month, f).unwrap();
            }));
        }
        all.sort_by(|a, b| a.total_cmp(b));
        all
    };
    report("dyad monthly series", &series(&all, 10));
    let typed = EventFilter {
        event: Some(sitrep_core::EventType::Assault),
        ..Default::default()
    };
    report("dyad monthly series, one event type", &series(&typed, 5));
    // Status is kept by the summary (schema v5), so this reads it too.
    let asserted = EventFilter {
        status: Some(sitrep_core::Status::Asserted),
        ..Default::default()
    };
    report("dyad monthly series, asserted only", &series(&asserted, 2));
    eprintln!("network of all countries (unfiltered): {network_ms:.0} ms");
    // What the server's /api/series and dyad-week escalation views ask with no filter.
    report(
        "weekly series of everything split by quad class (unfiltered)",
        &times(3, || {
            s.series_by_quad(&all, Bucket::Week).unwrap();
        }),
    );
    let conflict = EventFilter {
        quad_class: Some(4),
        ..Default::default()
    };
    report(
        "weekly series per dyad, material conflict only",
        &times(3, || {
            s.series(&conflict, SeriesBy::Dyad, Bucket::Week).unwrap();
        }),
    );
}

/// The network and the places over date ranges, and the places of one place, from the
/// summaries (schema 7) and from the events (`min_confidence` forces the scan), on the same
/// database as `dyad_monthly_series_latency` (ten years of events) or any other (SITREP_BENCH_DB,
/// with SITREP_BENCH_EVENTS at most its events).
#[test]
#[ignore]
fn dated_panels_latency() {
    let n = env_usize("SITREP_BENCH_EVENTS", 1_000_000);
    let dir = tempfile::tempdir().unwrap();
    let path = std::env::var("SITREP_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("series.db"));
    let mut s = Store::open(&path).unwrap();
    let have = s.counts().unwrap().events as usize;
    if have < n {
        eprintln!("built: {}", ingest(&mut s, n - have, have as u64 + 7));
        s.checkpoint().unwrap();
    }
    drop(s);
    let s = Store::open_read_only(&path).unwrap();
    let cases = dated_cases(&s);
    eprintln!("{} events", s.counts().unwrap().events);
    for (what, f) in &cases {
        let scan = EventFilter {
            min_confidence: Some(0.0),
            ..f.clone()
        };
        for (path, g) in [("summary", f), ("events", &scan)] {
            let reps = if path == "summary" { 10 } else { 3 };
            report(
                &format!("actor network, {what}, {path}"),
                &times(reps, || {
                    s.network(g, NodeLevel::Actor, 240).unwrap();
                }),
            );
            report(
                &format!("places, {what}, {path}"),
                &times(reps, || {
                    s.places(g, 500).unwrap();
                }),
            );
        }
    }
    // An actor filter reads that actor's events through `event_actors`, on either path.
    let busiest = s
        .network(&EventFilter::default(), NodeLevel::Country, 1)
        .unwrap();
    if let Some(e) = busiest.first() {
        let f = EventFilter {
            actor: Some(e.source.clone()),
            statuses: vec![sitrep_core::Status::Asserted, sitrep_core::Status::Reported],
            ..EventFilter::default()
        };
        let t = times(3, || {
            s.network(&f, NodeLevel::Actor, 240).unwrap();
        });
        report(&format!("actor network, actor={}, events", e.source), &t);
        let t = times(3, || {
            s.places(&f, 500).unwrap();
        });
        report(&format!("places, actor={}, events", e.source), &t);
    }
}

/// Date ranges relative to the database's own dates, and its busiest place.
fn dated_cases(s: &Store) -> Vec<(String, EventFilter)> {
    let o = s.overview().unwrap();
    let date = |d: Option<String>| chrono::NaiveDate::parse_from_str(&d.unwrap(), "%Y-%m-%d");
    let (first, last) = (date(o.first_date).unwrap(), date(o.last_date).unwrap());
    let days = chrono::Duration::days;
    let factual = vec![sitrep_core::Status::Asserted, sitrep_core::Status::Reported];
    let top = s.places(&EventFilter::default(), 1).unwrap();
    let mut cases = Vec::new();
    for (what, from, to) in [
        ("the last 100 days", last - days(99), last),
        ("the last 365 days", last - days(364), last),
        ("all but the first 10 days", first + days(10), last),
    ] {
        let (from, to) = (Some(from), Some(to));
        let f = EventFilter {
            from,
            to,
            statuses: factual.clone(),
            ..EventFilter::default()
        };
        cases.push((format!("{what} ({} .. {})", from.unwrap(), to.unwrap()), f));
    }
    if let Some(p) = top.first() {
        let f = EventFilter {
            place: Some(p.place.clone()),
            statuses: factual.clone(),
            ..EventFilter::default()
        };
        cases.push((format!("place={}", p.place), f));
    }
    cases
}
