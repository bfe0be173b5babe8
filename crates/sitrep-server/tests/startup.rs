//! The server opens and warms its readers before it accepts its first client, and the counts
//! `/stats` keeps between requests follow an ingest that runs beside the server.

mod common;

use common::*;
use sitrep_server::{Backend, StoreBackend};
use std::sync::Arc;

fn corpus(seed: u64, docs: usize) -> Vec<sitrep_store::CodedDocument> {
    sitrep_store::synth::corpus(seed, docs, 3, day(2024, 1, 1), 30)
}

#[test]
fn every_reader_is_open_before_the_first_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("warm.db");
    let mut store = sitrep_store::Store::open(&path).unwrap();
    store.ingest(&corpus(1, 20), "test").unwrap();
    store.checkpoint().unwrap();

    let backend = Arc::new(StoreBackend::with_readers(&path, 3).unwrap());
    assert_eq!(
        backend.open_connections(),
        1,
        "opening checks the path only"
    );
    let addr = start(backend.clone(), 4096);
    // `/health` touches no reader; that it answers means the server is accepting.
    assert_eq!(get(addr, "/health").status, 200);
    assert_eq!(backend.open_connections(), 3, "warmed at start-up");
}

#[test]
fn kept_counts_follow_a_commit_by_another_connection() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("follow.db");
    let mut store = sitrep_store::Store::open(&path).unwrap();
    store.ingest(&corpus(2, 10), "test").unwrap();

    let backend = StoreBackend::with_readers(&path, 1).unwrap();
    backend.warm().unwrap();
    let before = backend.stats().unwrap();
    assert_eq!(backend.stats().unwrap(), before);
    store.ingest(&corpus(3, 10), "test").unwrap();
    let after = backend.stats().unwrap();
    assert!(after.events > before.events, "{before:?} -> {after:?}");
    assert!(
        after.documents > before.documents,
        "{before:?} -> {after:?}"
    );
    assert_eq!(after, store_overview(&path));
}

/// The counts read afresh on a connection of its own.
fn store_overview(path: &std::path::Path) -> sitrep_server::model::Stats {
    StoreBackend::with_readers(path, 1)
        .unwrap()
        .stats()
        .unwrap()
}
