//! The load harness shared by `tests/load.rs` (small, in CI) and `examples/load.rs` (full
//! scale): many clients over the read endpoints, slow clients trickling headers, a health
//! prober, and the process's memory. Loopback only, bounded in clients and in time.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Scenario {
    pub clients: usize,
    pub duration: Duration,
    pub targets: Vec<String>,
    pub slow_clients: usize,
    /// How long a slow client keeps trickling before it counts as never cut off.
    pub slow_give_up: Duration,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Answers per HTTP status.
    pub statuses: BTreeMap<u16, u64>,
    /// Latency of each answered request, per target.
    pub latencies: BTreeMap<String, Vec<Duration>>,
    /// Requests that got no HTTP answer at all (refused or reset connection).
    pub no_answer: u64,
    pub health_ok: u64,
    pub health_failed: u64,
    pub slow_cut: usize,
    pub slow_kept: usize,
    pub rss_peak_kib: u64,
}

impl Report {
    pub fn server_errors_other_than_503(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(s, _)| **s >= 500 && **s != 503)
            .map(|(_, n)| n)
            .sum()
    }

    /// One row per target: count, p50 and p99 in milliseconds.
    pub fn table(&self) -> String {
        let mut out = String::from("| endpoint | n | p50 ms | p99 ms |\n|---|---|---|---|\n");
        for (t, l) in &self.latencies {
            let mut l = l.clone();
            l.sort();
            let q = |p: f64| l[((l.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1e3;
            out.push_str(&format!(
                "| `{t}` | {} | {:.1} | {:.1} |\n",
                l.len(),
                q(0.5),
                q(0.99)
            ));
        }
        out
    }
}

/// Resident memory of this process, total and anonymous, in KiB (Linux; 0 elsewhere).
pub fn rss_kib() -> (u64, u64) {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        s.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("RssAnon:"))
}

/// One request on a fresh connection; the status, or None when no HTTP answer came.
pub fn status_of(addr: SocketAddr, target: &str, timeout: Duration) -> Option<u16> {
    let mut s = TcpStream::connect_timeout(&addr, timeout).ok()?;
    s.set_read_timeout(Some(timeout)).ok()?;
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let head = std::str::from_utf8(raw.get(..12)?).ok()?;
    head.strip_prefix("HTTP/1.1 ")?.get(..3)?.parse().ok()
}

/// Sends the headers of a GET of `target` one byte at a time; true when the server closed the
/// connection (or answered) first, false when it still waited after `give_up`.
pub fn trickle(addr: SocketAddr, target: &str, give_up: Duration) -> bool {
    let Ok(mut s) = TcpStream::connect(addr) else {
        return true;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
    let head = format!("GET {target} HTTP/1.1\r\nX-Slow: ");
    if s.write_all(head.as_bytes()).is_err() {
        return true;
    }
    let until = Instant::now() + give_up;
    let mut buf = [0u8; 256];
    while Instant::now() < until {
        if s.write_all(b"a").is_err() {
            return true;
        }
        match s.read(&mut buf) {
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            _ => return true,
        }
    }
    false
}

/// Runs the scenario against `addr` and gathers what happened.
pub fn run(addr: SocketAddr, sc: &Scenario) -> Report {
    let report = Arc::new(Mutex::new(Report::default()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut threads = Vec::new();
    for i in 0..sc.clients {
        let (report, stop, targets) = (report.clone(), stop.clone(), sc.targets.clone());
        threads.push(std::thread::spawn(move || {
            let mut j = i;
            while !stop.load(Ordering::Relaxed) {
                let t = &targets[j % targets.len()];
                j += 1;
                let began = Instant::now();
                let got = status_of(addr, t, Duration::from_secs(60));
                let mut r = report.lock().unwrap();
                match got {
                    Some(s) => {
                        *r.statuses.entry(s).or_default() += 1;
                        if s == 200 {
                            r.latencies
                                .entry(t.clone())
                                .or_default()
                                .push(began.elapsed());
                        }
                    }
                    None => r.no_answer += 1,
                }
            }
        }));
    }
    let slow: Vec<_> = (0..sc.slow_clients)
        .map(|_| {
            let give_up = sc.slow_give_up;
            std::thread::spawn(move || trickle(addr, "/stats", give_up))
        })
        .collect();
    let prober = {
        let (report, stop) = (report.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let ok = status_of(addr, "/health", Duration::from_secs(30)) == Some(200);
                let rss = rss_kib().0;
                let mut r = report.lock().unwrap();
                r.rss_peak_kib = r.rss_peak_kib.max(rss);
                if ok {
                    r.health_ok += 1;
                } else {
                    r.health_failed += 1;
                }
                drop(r);
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    std::thread::sleep(sc.duration);
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        let _ = t.join();
    }
    let _ = prober.join();
    let mut r = std::mem::take(&mut *report.lock().unwrap());
    for s in slow {
        if s.join().unwrap_or(false) {
            r.slow_cut += 1;
        } else {
            r.slow_kept += 1;
        }
    }
    r
}

/// Each target `reps` times, one request at a time: the per-endpoint latency of a quiet server.
pub fn sequential(addr: SocketAddr, targets: &[String], reps: usize) -> Report {
    let mut r = Report::default();
    for t in targets {
        for _ in 0..reps {
            let began = Instant::now();
            match status_of(addr, t, Duration::from_secs(60)) {
                Some(s) => {
                    *r.statuses.entry(s).or_default() += 1;
                    r.latencies
                        .entry(t.clone())
                        .or_default()
                        .push(began.elapsed());
                }
                None => r.no_answer += 1,
            }
        }
    }
    r
}

/// The read endpoints the dashboard calls, with and without filters.
pub fn dashboard_targets() -> Vec<String> {
    [
        "/stats",
        "/documents?limit=20",
        "/events?limit=50",
        "/events?limit=20&offset=5000",
        "/stories?limit=20",
        "/actors?q=gov&limit=20",
        "/series?bucket=week",
        "/network",
        "/network?level=actor",
        "/places",
        "/escalations",
        "/events?text=attacked&limit=20",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// A server with `cfg` over `backend` on an ephemeral loopback port, in a thread of its own
/// (the tests' and the full-scale example's). Blocking threads: two per worker, so requests
/// cut off at their deadline never starve the next ones.
pub fn start_server(
    backend: Arc<dyn sitrep_server::Backend>,
    cfg: sitrep_server::ServerConfig,
) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .max_blocking_threads(cfg.limits.workers * 2 + 4)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            let state = sitrep_server::AppState {
                backend,
                kb: Arc::new(sitrep_core::Kb::embedded()),
                code: None,
            };
            sitrep_server::serve_with(listener, state, &cfg)
                .await
                .unwrap();
        });
    });
    let addr = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("server did not start");
    // Started means accepting: the server warms its readers first, and a request sent before
    // that would time the warm-up instead of itself.
    let _ = status_of(addr, "/health", Duration::from_secs(30));
    addr
}
