//! The load test at full scale: the 200-client and slow-client scenarios against a server in
//! this process, with memory before, during and after. Loopback only; bounded in time.
//!
//! cargo run --release -p sitrep-server --example load -- [--db FILE | --events N]
//!     [--clients 200] [--seconds 20] [--slow 2000] [--workers N] [--queue 32]
//!
//! Exits 1 when an outcome the issue asks for fails: a 5xx other than 503, /health not
//! answering, a slow client not cut off, or memory not back within 10% of the baseline 10 s
//! after the load.

#[path = "../tests/load/harness.rs"]
mod harness;

use sitrep_server::{Limits, ServerConfig, StoreBackend, WireLimits};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

struct Opts {
    db: Option<PathBuf>,
    events: usize,
    clients: usize,
    seconds: u64,
    slow: usize,
    workers: Option<usize>,
    queue: usize,
}

fn opts() -> Result<Opts, String> {
    let mut o = Opts {
        db: None,
        events: 200_000,
        clients: 200,
        seconds: 20,
        slow: 2000,
        workers: None,
        queue: 32,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut v = || args.next().ok_or(format!("{a} needs a value"));
        let num = |s: String| {
            s.parse::<usize>()
                .map_err(|_| format!("{a}: `{s}` is not a number"))
        };
        match a.as_str() {
            "--db" => o.db = Some(PathBuf::from(v()?)),
            "--events" => o.events = num(v()?)?,
            "--clients" => o.clients = num(v()?)?.min(1000),
            "--seconds" => o.seconds = (num(v()?)? as u64).min(600),
            "--slow" => o.slow = num(v()?)?.min(5000),
            "--workers" => o.workers = Some(num(v()?)?),
            "--queue" => o.queue = num(v()?)?,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(o)
}

fn synthetic(dir: &std::path::Path, events: usize) -> PathBuf {
    let db = dir.join("load.db");
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let mut store = sitrep_store::Store::open(&db).unwrap();
    let per_doc = 4;
    let mut made = 0;
    let mut seed = 1;
    while made < events {
        let n = ((events - made) / per_doc).clamp(1, 20_000);
        let docs = sitrep_store::synth::corpus(seed, n, per_doc, start, 1500);
        store.ingest(&docs, "load").unwrap();
        made += n * per_doc;
        seed += 1;
    }
    store.checkpoint().unwrap();
    db
}

/// The outcomes every scenario must have.
fn check(r: &harness::Report, what: &str) -> bool {
    let mut ok = true;
    for (bad, msg) in [
        (r.server_errors_other_than_503() > 0, "a 5xx other than 503"),
        (r.health_failed > 0, "/health did not always answer"),
        (r.slow_kept > 0, "slow clients were not cut off"),
    ] {
        if bad {
            eprintln!("load: FAILED in {what}: {msg}");
            ok = false;
        }
    }
    ok
}

fn main() -> ExitCode {
    let o = match opts() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("load: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let db = o.db.clone().unwrap_or_else(|| {
        let t = Instant::now();
        let db = synthetic(dir.path(), o.events);
        eprintln!(
            "built {} events in {:.1} s",
            o.events,
            t.elapsed().as_secs_f64()
        );
        db
    });
    let d = Limits::default();
    let limits = Limits {
        workers: o.workers.unwrap_or(d.workers),
        queue: o.queue,
        ..d
    };
    let backend = Arc::new(StoreBackend::with_readers(&db, limits.workers).unwrap());
    let cfg = ServerConfig {
        limits,
        wire: WireLimits::default(),
        ..ServerConfig::default()
    };
    let addr = harness::start_server(backend.clone(), cfg);
    let targets = harness::dashboard_targets();
    let quiet = harness::sequential(addr, &targets, 20);
    println!("one client at a time, 20 requests each:\n{}", quiet.table());
    std::thread::sleep(Duration::from_secs(6));
    let (base, base_anon) = harness::rss_kib();
    let mut ok = true;

    let busy = harness::Scenario {
        clients: o.clients,
        duration: Duration::from_secs(o.seconds),
        targets: targets.clone(),
        slow_clients: 0,
        slow_give_up: Duration::ZERO,
    };
    eprintln!(
        "load: {} clients for {} s, {} workers, queue {}",
        o.clients, o.seconds, limits.workers, limits.queue
    );
    let r = harness::run(addr, &busy);
    std::thread::sleep(Duration::from_secs(10));
    let (after, after_anon) = harness::rss_kib();
    println!(
        "{} clients: statuses {:?}; no answer: {}",
        o.clients, r.statuses, r.no_answer
    );
    println!(
        "RSS KiB: baseline {base} (anon {base_anon}), peak {}, 10 s after {after} (anon {after_anon}); db connections open {}",
        r.rss_peak_kib,
        backend.open_connections()
    );
    println!("{}", r.table());
    ok &= check(&r, "the many-client load");
    // File pages of the memory-mapped database count in RSS but are the kernel's cache; the
    // process's own memory is the anonymous part.
    if after_anon as f64 > base_anon as f64 * 1.10 {
        eprintln!("load: FAILED: anonymous memory not back within 10% of the baseline 10 s after the load");
        ok = false;
    }

    let slow = harness::Scenario {
        clients: 8,
        duration: Duration::from_secs(o.seconds),
        targets,
        slow_clients: o.slow,
        slow_give_up: Duration::from_secs(o.seconds + 30),
    };
    let r = harness::run(addr, &slow);
    std::thread::sleep(Duration::from_secs(10));
    let (after2, after2_anon) = harness::rss_kib();
    println!(
        "{} slow clients: cut off {}, kept {}; health {} ok, {} failed; statuses {:?}; RSS KiB 10 s after {after2} (anon {after2_anon})",
        o.slow, r.slow_cut, r.slow_kept, r.health_ok, r.health_failed, r.statuses
    );
    ok &= check(&r, "the slow-client attack");
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
