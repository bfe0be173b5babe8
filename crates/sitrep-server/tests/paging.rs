//! Cursor paging over HTTP returns every row exactly once; events carry their fatalities and
//! `/fatalities` totals them per story; a cursor is refused with `offset` or when forged.

mod common;

use common::*;
use sitrep_core::Quantity;
use sitrep_server::StoreBackend;
use std::collections::HashSet;
use std::sync::Arc;

fn server() -> std::net::SocketAddr {
    let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let path = dir.path().join("paging.db");
    let mut docs = sitrep_store::synth::corpus(3, 60, 3, day(2024, 1, 1), 30);
    for (i, d) in docs.iter_mut().enumerate() {
        if i % 5 == 0 {
            d.events[0].quantities.push(Quantity {
                text: "7 killed".into(),
                value: 7.0,
                qualifier: "exact".into(),
                unit: "people".into(),
                kind: "killed".into(),
            });
        }
    }
    let mut store = sitrep_store::Store::open(&path).unwrap();
    store.ingest(&docs, "test").unwrap();
    store.checkpoint().unwrap();
    start(Arc::new(StoreBackend::open(&path).unwrap()), 4096)
}

/// Every id a list gives, following `next_cursor` from the first page.
fn all_pages(addr: std::net::SocketAddr, list: &str, id: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut target = format!("{list}limit=7");
    loop {
        let r = get(addr, &target);
        assert_eq!(r.status, 200, "{target}: {}", r.text());
        let v = r.json();
        for it in v["items"].as_array().unwrap() {
            ids.push(it[id].as_str().unwrap().to_string());
        }
        match v["next_cursor"].as_str() {
            Some(c) => target = format!("{list}limit=7&cursor={c}"),
            None => break,
        }
        assert!(ids.len() < 10_000, "{list} never ends");
    }
    ids
}

#[test]
fn cursors_walk_every_list_once_and_fatalities_are_served() {
    let addr = server();
    let stats = get(addr, "/stats").json();
    for (list, id, total) in [
        ("/events?", "id", &stats["events"]),
        ("/events?sort=source&", "id", &stats["events"]),
        ("/documents?", "id", &stats["documents"]),
        ("/stories?", "id", &stats["stories"]),
    ] {
        let ids = all_pages(addr, list, id);
        let distinct: HashSet<&String> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "{list}: a row came twice");
        assert_eq!(
            ids.len() as u64,
            total.as_u64().unwrap(),
            "{list}: rows missing"
        );
    }

    let page = get(addr, "/events?limit=1000").json();
    let killed: u64 = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            e["fatalities"]
                .as_u64()
                .expect("every event has fatalities")
        })
        .sum();
    assert_eq!(killed, 12 * 7);
    let by = get(addr, "/fatalities?by=total&period=month");
    assert_eq!(by.status, 200, "{}", by.text());
    let total: u64 = by
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["fatalities"].as_u64().unwrap())
        .sum();
    // A story counts once: retold reports of an act with 7 killed add nothing.
    assert!(total > 0 && total <= killed, "{total} of {killed}");

    for bad in [
        "/events?cursor=zz",
        "/events?cursor=5b315d&offset=3",
        "/fatalities?by=actor",
        "/fatalities?period=year",
        "/fatalities?actor=USA",
    ] {
        let r = get(addr, bad);
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
    }
}

#[test]
fn offsets_past_the_cap_are_refused_with_a_pointer_to_cursor() {
    let addr = server();
    let cap = sitrep_server::params::MAX_OFFSET;
    for list in ["/events", "/stories", "/documents"] {
        let at = get(addr, &format!("{list}?limit=5&offset={cap}"));
        assert_eq!(at.status, 200, "{list} at the cap: {}", at.text());
        assert!(at.json()["items"].is_array());

        let past = get(addr, &format!("{list}?limit=5&offset={}", cap + 1));
        assert_eq!(past.status, 400, "{list} past the cap: {}", past.text());
        assert_eq!(
            past.header("content-type"),
            Some("application/json"),
            "{list}"
        );
        let err = &past.json()["error"];
        assert_eq!(err["code"], "bad_param");
        let msg = err["message"].as_str().unwrap();
        assert!(
            msg.contains("cursor=") && msg.contains("next_cursor"),
            "{msg}"
        );
    }
}
