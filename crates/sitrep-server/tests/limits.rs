//! A bounded server: a full queue answers 503 in JSON, a request past its deadline has its
//! SQLite work interrupted, a client that leaves stops its query, and slow clients are cut off.

mod common;

use common::*;
use sitrep_server::error::ApiResult;
use sitrep_server::model::*;
use sitrep_server::params::{Bucket, EventFilter, PageReq};
use sitrep_server::pool::Pool;
use sitrep_server::{Backend, Limits, ServerConfig, WireLimits};
use sitrep_store::{EventOrder, NodeLevel};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// `/stats` blocks until the test lets it go; `/events` runs SQL that never ends by itself.
struct Controlled {
    gate: Mutex<Option<mpsc::Receiver<()>>>,
    started: mpsc::SyncSender<()>,
    pool: Arc<Pool>,
    spins: AtomicUsize,
}

fn unused<T>() -> ApiResult<T> {
    Err(sitrep_server::ApiError::not_found("unused in this test"))
}

impl Backend for Controlled {
    fn stats(&self) -> ApiResult<Stats> {
        let _ = self.started.send(());
        if let Some(rx) = self.gate.lock().unwrap().take() {
            let _ = rx.recv();
        }
        Ok(Stats {
            documents: 0,
            events: 0,
            actors: 0,
            stories: 0,
            first_date: None,
            last_date: None,
        })
    }
    fn events(
        &self,
        _: &EventFilter,
        _: EventOrder,
        _: PageReq,
    ) -> ApiResult<Page<sitrep_core::Event>> {
        self.pool.with(|c| {
            self.spins.fetch_add(1, Ordering::SeqCst);
            c.raw
                .query_row(
                    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)
                     SELECT count(*) FROM n",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .map_err(|e| sitrep_server::ApiError::internal(e.to_string()))?;
            unreachable!("the endless query ended")
        })
    }
    fn documents(&self, _: PageReq) -> ApiResult<Page<DocSummary>> {
        unused()
    }
    fn document(&self, _: &str) -> ApiResult<Option<DocView>> {
        unused()
    }
    fn event(&self, _: &str) -> ApiResult<Option<sitrep_core::Event>> {
        unused()
    }
    fn stories(&self, _: &EventFilter, _: PageReq) -> ApiResult<Page<Story>> {
        unused()
    }
    fn actors(&self, _: &str, _: usize) -> ApiResult<Vec<ActorCount>> {
        unused()
    }
    fn series(&self, _: &EventFilter, _: Bucket) -> ApiResult<Vec<SeriesPoint>> {
        unused()
    }
    fn network(&self, _: &EventFilter, _: NodeLevel, _: usize) -> ApiResult<Network> {
        unused()
    }
    fn places(&self, _: &EventFilter, _: usize) -> ApiResult<Vec<PlaceCount>> {
        unused()
    }
    fn dyad_weeks(&self, _: &EventFilter) -> ApiResult<Vec<DyadWeek>> {
        unused()
    }
}

struct Rig {
    addr: std::net::SocketAddr,
    backend: Arc<Controlled>,
    release: mpsc::Sender<()>,
    started: mpsc::Receiver<()>,
    _dir: tempfile::TempDir,
}

/// A rig with `workers`, `queue` and `deadline` and the default wire limits.
fn rig_bounded(workers: usize, queue: usize, deadline: Duration) -> Rig {
    let limits = Limits {
        workers,
        queue,
        deadline,
    };
    rig(limits, WireLimits::default())
}

fn rig(limits: Limits, wire: WireLimits) -> Rig {
    let dir = tempfile::tempdir().unwrap();
    let (docs, events) = sample();
    let db = database(dir.path(), docs, events);
    let (release, gate) = mpsc::channel();
    let (started_tx, started) = mpsc::sync_channel(16);
    let backend = Arc::new(Controlled {
        gate: Mutex::new(Some(gate)),
        started: started_tx,
        pool: Pool::open(&db, limits.workers).unwrap(),
        spins: AtomicUsize::new(0),
    });
    let cfg = ServerConfig {
        limits,
        wire,
        ..ServerConfig::default()
    };
    let addr = start_with(backend.clone(), cfg);
    Rig {
        addr,
        backend,
        release,
        started,
        _dir: dir,
    }
}

/// Waits (bounded) until `cond` holds; a condition, not a speed, is what is tested.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let until = Instant::now() + Duration::from_secs(20);
    while !cond() {
        assert!(Instant::now() < until, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_full_queue_answers_503_in_json_and_health_still_answers() {
    let r = rig_bounded(1, 1, Duration::from_secs(60));
    let addr = r.addr;
    let first = std::thread::spawn(move || get(addr, "/stats"));
    r.started.recv_timeout(Duration::from_secs(20)).unwrap();
    // The worker is taken: one of these two waits in the queue, the other finds it full.
    let b = std::thread::spawn(move || get(addr, "/stats"));
    let c = std::thread::spawn(move || get(addr, "/stats"));
    let health = get(addr, "/health");
    assert_eq!(health.status, 200, "health must not queue behind work");
    let refused = loop {
        if b.is_finished() {
            break b.join().unwrap();
        }
        if c.is_finished() {
            break c.join().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(refused.status, 503, "{}", refused.text());
    assert_eq!(refused.json()["error"]["code"], "overloaded");
    assert_eq!(refused.header("retry-after"), Some("1"));
    r.release.send(()).unwrap();
    assert_eq!(first.join().unwrap().status, 200);
}

#[test]
fn a_request_past_its_deadline_gets_503_and_its_query_is_interrupted() {
    let r = rig_bounded(2, 4, Duration::from_millis(500));
    let resp = get(r.addr, "/events");
    assert_eq!(resp.status, 503, "{}", resp.text());
    assert_eq!(resp.json()["error"]["code"], "deadline");
    let pool = r.backend.pool.clone();
    eventually("the endless query was interrupted", || pool.busy() == 0);
    assert_eq!(r.backend.spins.load(Ordering::SeqCst), 1);
    // The connection is usable again for the next request.
    assert_eq!(get(r.addr, "/events").status, 503);
    eventually("the second query was interrupted too", || pool.busy() == 0);
    assert!(pool.open_connections() <= 2);
}

#[test]
fn a_client_that_leaves_stops_its_query() {
    let r = rig_bounded(2, 4, Duration::from_secs(600));
    let mut s = TcpStream::connect(r.addr).unwrap();
    write!(s, "GET /events HTTP/1.1\r\nHost: {}\r\n\r\n", r.addr).unwrap();
    let backend = r.backend.clone();
    eventually("the query started", || {
        backend.spins.load(Ordering::SeqCst) == 1 && backend.pool.busy() == 1
    });
    drop(s);
    eventually("the query of the departed client stopped", || {
        backend.pool.busy() == 0
    });
}

#[test]
fn slow_and_idle_clients_are_cut_off_and_health_answers_beside_them() {
    let wire = WireLimits {
        max_connections: 16,
        header_timeout: Duration::from_secs(1),
    };
    let r = rig(Limits::default(), wire);
    let addr = r.addr;
    let slow: Vec<_> = (0..24)
        .map(|_| {
            std::thread::spawn(move || harness::trickle(addr, "/health", Duration::from_secs(30)))
        })
        .collect();
    // More slow clients than connection slots: health still gets through as they are cut.
    for _ in 0..5 {
        assert_eq!(get(addr, "/health").status, 200);
    }
    for h in slow {
        assert!(h.join().unwrap(), "a slow client was never cut off");
    }
    // An idle keep-alive connection is closed too.
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(s, "GET /health HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut all = Vec::new();
    let closed = s.read_to_end(&mut all).is_ok();
    assert!(closed, "idle connection was kept past the timeout");
    assert!(String::from_utf8_lossy(&all).starts_with("HTTP/1.1 200"));
}
