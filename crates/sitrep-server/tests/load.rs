//! The load harness at small scale: many clients and slow clients against a bounded server.
//! Asserts outcomes, never speeds: no 5xx but 503, health always answers, slow clients are
//! cut off, and the server never holds more database connections than its workers.

mod common;
use common::harness;

use sitrep_server::{Limits, ServerConfig, StoreBackend, WireLimits};
use std::sync::Arc;
use std::time::Duration;

#[test]
fn many_clients_and_slow_clients_get_bounded_service() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("load.db");
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    let docs = sitrep_store::synth::corpus(7, 400, 3, start, 200);
    sitrep_store::Store::open(&db)
        .unwrap()
        .ingest(&docs, "test")
        .unwrap();
    let limits = Limits {
        workers: 2,
        queue: 4,
        deadline: Duration::from_secs(5),
    };
    let backend = Arc::new(StoreBackend::with_readers(&db, limits.workers).unwrap());
    let cfg = ServerConfig {
        limits,
        wire: WireLimits {
            max_connections: 48,
            header_timeout: Duration::from_secs(1),
        },
        ..ServerConfig::default()
    };
    let addr = common::start_with(backend.clone(), cfg);
    let sc = harness::Scenario {
        clients: 16,
        duration: Duration::from_secs(3),
        targets: harness::dashboard_targets(),
        slow_clients: 24,
        slow_give_up: Duration::from_secs(30),
    };
    let r = harness::run(addr, &sc);
    eprintln!("{:?}\n{}", r.statuses, r.table());
    assert_eq!(r.server_errors_other_than_503(), 0, "{:?}", r.statuses);
    assert!(
        r.statuses.get(&200).copied().unwrap_or(0) > 0,
        "{:?}",
        r.statuses
    );
    let unexpected: Vec<_> = r
        .statuses
        .keys()
        .filter(|s| **s != 200 && **s != 503)
        .collect();
    assert!(unexpected.is_empty(), "{:?}", r.statuses);
    assert_eq!(r.health_failed, 0, "health stopped answering");
    assert!(r.health_ok > 0);
    assert_eq!(r.slow_kept, 0, "slow clients held their connections");
    assert!(backend.open_connections() <= 2);
}
