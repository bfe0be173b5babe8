//! The API against a real server on an ephemeral loopback port, over a small in-memory data set.

mod common;

use common::*;
use serde_json::Value;
use sitrep_server::error::ApiResult;
use sitrep_server::model::*;
use sitrep_server::params::{Bucket, EventFilter, PageReq};
use sitrep_server::{Backend, StoreBackend};
use sitrep_store::NodeLevel;
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

const SMALL_BODY: usize = 4096;

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        // Kept for the life of the test process: the server reads it until the end.
        let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
        let (docs, events) = sample();
        let db = database(dir.path(), docs, events);
        start(Arc::new(StoreBackend::open(&db).unwrap()), SMALL_BODY)
    })
}

fn assert_json_error(r: &Resp, status: u16) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    json_error_body(r, status)
}

fn json_error_body(r: &Resp, status: u16) -> Value {
    assert!(r
        .header("content-type")
        .unwrap_or("")
        .starts_with("application/json"));
    let v = r.json();
    assert_eq!(v["error"]["status"], status);
    assert!(v["error"]["message"]
        .as_str()
        .is_some_and(|m| !m.is_empty()));
    v
}

#[test]
fn every_documented_route_answers_and_every_route_is_documented() {
    let doc: Value = serde_json::from_str(sitrep_server::OPENAPI).unwrap();
    assert_eq!(doc["openapi"].as_str().unwrap().chars().next(), Some('3'));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut routed: Vec<(String, String)> = sitrep_server::api::routes()
        .into_iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect();
    routed.sort();
    assert_eq!(documented, routed, "OpenAPI paths and router differ");

    // Each documented GET route is live (any answer but the unknown-route 404).
    let addr = server();
    for (m, p) in &documented {
        if m == "get" {
            let r = get(addr, &p.replace("{id}", "nope"));
            let unknown = r.status == 404 && r.json()["error"]["message"] == "no such route";
            assert!(!unknown, "{p} is documented but not routed");
        }
    }
    let served = get(addr, "/openapi.json");
    assert_eq!(served.status, 200);
    assert_eq!(served.json(), doc);
}

#[test]
fn bad_parameters_get_json_400s_that_name_the_problem() {
    let addr = server();
    for target in [
        "/events?limit=0",
        "/events?limit=abc",
        "/events?limit=1000000",
        "/events?offset=-5",
        "/events?from=2024-02-30",
        "/events?from=2024-03-10&to=2024-03-01",
        "/events?event=EXPLODE",
        "/events?quad=9",
        "/events?quad=3,4",
        "/events?source=PER",
        "/network?level=galaxy",
        "/events?status=maybe",
        "/events?actr=PER",
        "/events?actor=a&actor=b",
        "/series?bucket=fortnight",
        "/network?max_edges=0",
        "/escalations?window=1",
        "/stats?x=1",
        "/documents?limit=2000",
    ] {
        let r = get(addr, target);
        assert_eq!(r.status, 400, "{target}: {}", r.text());
        let v = json_error_body(&r, 400);
        assert_eq!(v["error"]["code"], "bad_param", "{target}");
    }
    let long = "A".repeat(500);
    assert_json_error(&get(addr, &format!("/events?actor={long}")), 400);
    assert_json_error(&get(addr, "/events?actor=%00x"), 400);
    // Invalid UTF-8 is decoded lossily: it matches nothing, and nothing breaks.
    let r = get(addr, "/events?actor=%FF%FE");
    assert_eq!(
        (r.status, r.json()["items"].as_array().map(Vec::len)),
        (200, Some(0))
    );
}

#[test]
fn sql_like_strings_are_plain_values() {
    let addr = server();
    for inj in [
        "' OR '1'='1",
        "PER'; DROP TABLE events; --",
        "\" UNION SELECT * FROM documents --",
        "%' OR 1=1 --",
    ] {
        for param in [
            "actor",
            "place",
            "text",
            "story",
            "doc",
            "source=PER&target",
        ] {
            let r = get(addr, &format!("/events?{param}={}", enc(inj)));
            assert_eq!(r.status, 200, "{param}={inj}: {}", r.text());
            assert_eq!(
                r.json()["items"],
                serde_json::json!([]),
                "{param}={inj} matched something"
            );
        }
        assert_json_error(&get(addr, &format!("/events?event={}", enc(inj))), 400);
        let r = get(addr, &format!("/documents/{}", enc(inj)));
        assert_json_error(&r, 404);
    }
}

#[test]
fn unknown_routes_and_methods_are_json_errors() {
    let addr = server();
    assert_json_error(&get(addr, "/no/such/thing"), 404);
    assert_json_error(&request(addr, "DELETE", "/events", None, b""), 405);
    assert_json_error(
        &request(addr, "POST", "/events", Some("text/plain"), b"x"),
        405,
    );
    assert_json_error(&get(addr, "/events/e-0000"), 404);
}

#[test]
fn oversized_and_malformed_bodies_are_refused_in_json() {
    let addr = server();
    let big = vec![b'a'; SMALL_BODY * 4];
    let v = assert_json_error(
        &request(
            addr,
            "POST",
            "/code?date=2024-01-01",
            Some("text/plain"),
            &big,
        ),
        413,
    );
    assert_eq!(v["error"]["code"], "body_too_large");
    assert_json_error(
        &request(
            addr,
            "POST",
            "/code",
            Some("application/json"),
            b"{not json",
        ),
        400,
    );
    assert_json_error(
        &request(
            addr,
            "POST",
            "/code",
            Some("application/json"),
            b"{\"text\":\"x\"}",
        ),
        400,
    );
    assert_json_error(
        &request(
            addr,
            "POST",
            "/code",
            Some("application/json"),
            b"{\"text\":\"x\",\"date\":\"2024-01-01\",\"evil\":1}",
        ),
        400,
    );
    assert_json_error(
        &request(addr, "POST", "/code", Some("application/json"), b"42"),
        400,
    );
    assert_json_error(
        &request(addr, "POST", "/code", Some("image/png"), b"\x89PNG"),
        415,
    );
    assert_json_error(
        &request(addr, "POST", "/code", Some("text/plain"), b"no date here"),
        400,
    );
    let many = format!(
        "[{}]",
        vec!["{\"text\":\"a\",\"date\":\"2024-01-01\"}"; 101].join(",")
    );
    assert_json_error(
        &request(
            addr,
            "POST",
            "/code",
            Some("application/json"),
            many.as_bytes(),
        ),
        413,
    );
}

#[test]
fn code_accepts_text_and_json_documents() {
    let addr = server();
    let text = "date 2024-05-02 Chilean police arrested twelve protesters in Santiago.";
    let r = request(
        addr,
        "POST",
        "/code",
        Some("text/plain; charset=utf-8"),
        text.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json().is_array());
    let r = request(
        addr,
        "POST",
        "/code?date=2024-05-02",
        Some("text/plain"),
        b"Police arrested protesters.",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let body = br#"[{"date":"2024-05-02","text":"Police arrested protesters.","title":"t"}]"#;
    let r = request(addr, "POST", "/code", Some("application/json"), body);
    assert_eq!(r.status, 200, "{}", r.text());
    // Whatever the coder finds must point into the posted text.
    for e in r.json().as_array().unwrap() {
        assert!(e["evidence"]["end"].as_u64().unwrap() <= 27);
    }
}

fn count(addr: SocketAddr, target: &str) -> usize {
    let r = get(addr, target);
    assert_eq!(r.status, 200, "{target}: {}", r.text());
    let v = r.json();
    assert_eq!(v["has_more"], false, "{target}");
    v["items"].as_array().unwrap().len()
}

#[test]
fn events_filter_and_paginate() {
    let addr = server();
    let all = get(addr, "/events").json();
    assert_eq!(all["items"].as_array().unwrap().len(), 5);
    let dates: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "events come newest first");
    let oldest = get(addr, "/events?sort=date").json();
    let first = oldest["items"][0]["date"].as_str().unwrap();
    assert_eq!(first, *dates.last().unwrap());
    let by_type = get(addr, "/events?sort=-event").json();
    let types: Vec<&str> = by_type["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    let mut want = types.clone();
    want.sort_by(|a, b| b.cmp(a));
    assert_eq!(types, want, "sorted by type, descending");
    let bad = get(addr, "/events?sort=colour");
    assert_eq!(bad.status, 400);
    assert!(bad.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("sort"));

    let mut seen = Vec::new();
    for off in 0..3 {
        let p = get(addr, &format!("/events?limit=2&offset={}", off * 2)).json();
        assert_eq!(p["has_more"], off < 2, "page {off}");
        for e in p["items"].as_array().unwrap() {
            seen.push(e["id"].as_str().unwrap().to_string());
        }
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 5, "pages cover every event once");

    assert_eq!(count(addr, "/events?source=per&target=ECU"), 2);
    assert_eq!(count(addr, "/events?actor=ecuador"), 4);
    assert_eq!(count(addr, "/events?actor=ECU&quad=3"), 1);
    assert_eq!(count(addr, "/events?event=assault"), 1);
    assert_eq!(count(addr, "/events?from=2024-03-05"), 2);
    assert_eq!(count(addr, "/events?place=per"), 2);
    assert_eq!(count(addr, "/events?text=withdrew"), 1);
    assert_eq!(count(addr, "/events?status=negated"), 0);
    assert_eq!(count(addr, "/events?status=asserted,negated"), 5);
}

#[test]
fn documents_carry_text_and_evidence_spans_inside_it() {
    let addr = server();
    let list = get(addr, "/documents").json();
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    for d in list["items"].as_array().unwrap() {
        let id = d["id"].as_str().unwrap();
        let view = get(addr, &format!("/documents/{id}")).json();
        let text = view["text"].as_str().unwrap();
        assert_eq!(
            view["events"].as_array().unwrap().len() as u64,
            d["events"].as_u64().unwrap()
        );
        assert_eq!(d["bytes"].as_u64().unwrap() as usize, text.len());
        for e in view["events"].as_array().unwrap() {
            let (s, t) = (
                e["evidence"]["trigger_start"].as_u64().unwrap() as usize,
                e["evidence"]["trigger_end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&text[s..t], e["evidence"]["trigger"].as_str().unwrap());
            assert_eq!(e["doc_id"], id);
        }
    }
}

#[test]
fn aggregates_sum_to_the_events() {
    let addr = server();
    let series = get(addr, "/series?bucket=day").json();
    let total: u64 = series
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 5);
    for p in series.as_array().unwrap() {
        let by_quad: u64 = p["quad"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q.as_u64().unwrap())
            .sum();
        assert_eq!(by_quad, p["count"].as_u64().unwrap());
    }
    let weekly = get(addr, "/series?source=PER&target=ECU&bucket=week").json();
    let w = weekly.as_array().unwrap();
    assert_eq!(w.len(), 2, "{weekly}");
    assert_eq!(w[0]["period"], "2024-02-26"); // the Monday before Sunday 3 March
    assert_eq!(w[1]["period"], "2024-03-11");
    assert_eq!(w[0]["quad"], serde_json::json!([0, 0, 0, 1]));
    assert_eq!(w[0]["goldstein_mean"], -10.0);
    let month = get(addr, "/series?bucket=month").json();
    assert_eq!(month[0]["period"], "2024-03");

    let net = get(addr, "/network?level=actor").json();
    let edges = net["edges"].as_array().unwrap();
    let per_ecu = edges
        .iter()
        .find(|e| e["source"] == "PER MIL" && e["target"] == "ECU")
        .unwrap();
    assert_eq!(per_ecu["count"], 2);
    assert_eq!(per_ecu["conflict"], 1);
    assert_eq!(per_ecu["goldstein_mean"], -2.5);
    let nodes = net["nodes"].as_array().unwrap();
    for e in edges {
        for side in ["source", "target"] {
            assert!(
                nodes.iter().any(|n| n["id"] == e[side]),
                "edge end {} has no node",
                e[side]
            );
        }
    }
    assert_eq!(
        nodes.iter().find(|n| n["id"] == "ECU").unwrap()["name"],
        "Ecuador"
    );

    let places = get(addr, "/places").json();
    let tumbes = places
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["place"] == "Tumbes")
        .unwrap();
    assert_eq!(tumbes["count"], 2);
    assert!((tumbes["lat"].as_f64().unwrap() + 3.57).abs() < 1e-9);

    let actors = get(addr, "/actors").json();
    assert_eq!(actors[0]["code"], "PER MIL");
    assert_eq!(actors[0]["events"], 5);
    assert_eq!(get(addr, "/actors?q=ecuador").json()[0]["code"], "ECU");

    let stories = get(addr, "/stories").json();
    assert!(!stories["items"].as_array().unwrap().is_empty());
    let stats = get(addr, "/stats").json();
    assert_eq!(stats["events"], 5);
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["first_date"], "2024-03-03");
    assert!(get(addr, "/escalations").json().is_array());
}

/// A backend that fails the way a bug would.
struct Exploding;

impl Backend for Exploding {
    fn stats(&self) -> ApiResult<Stats> {
        panic!("boom: internal detail")
    }
    fn documents(&self, _: PageReq) -> ApiResult<Page<DocSummary>> {
        panic!("boom")
    }
    fn document(&self, _: &str) -> ApiResult<Option<DocView>> {
        panic!("boom")
    }
    fn events(
        &self,
        _: &EventFilter,
        _: sitrep_store::EventOrder,
        _: PageReq,
    ) -> ApiResult<Page<sitrep_core::Event>> {
        Err(sitrep_server::ApiError::internal("database is locked"))
    }
    fn event(&self, _: &str) -> ApiResult<Option<sitrep_core::Event>> {
        panic!("boom")
    }
    fn stories(&self, _: &EventFilter, _: PageReq) -> ApiResult<Page<Story>> {
        panic!("boom")
    }
    fn actors(&self, _: &str, _: usize) -> ApiResult<Vec<ActorCount>> {
        panic!("boom")
    }
    fn series(&self, _: &EventFilter, _: Bucket) -> ApiResult<Vec<SeriesPoint>> {
        panic!("boom")
    }
    fn network(&self, _: &EventFilter, _: NodeLevel, _: usize) -> ApiResult<Network> {
        panic!("boom")
    }
    fn places(&self, _: &EventFilter, _: usize) -> ApiResult<Vec<PlaceCount>> {
        panic!("boom")
    }
    fn dyad_weeks(&self, _: &EventFilter) -> ApiResult<Vec<DyadWeek>> {
        panic!("boom")
    }
}

#[test]
fn no_panic_reaches_the_client_and_the_server_survives() {
    let addr = start(Arc::new(Exploding), SMALL_BODY);
    for target in [
        "/stats",
        "/documents",
        "/series",
        "/network",
        "/escalations",
        "/events",
    ] {
        let v = assert_json_error(&get(addr, target), 500);
        assert!(!v.to_string().contains("internal detail"));
    }
    assert_eq!(get(addr, "/health").status, 200);
}

#[test]
fn concurrent_readers_all_get_answers() {
    let addr = server();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                for j in 0..25 {
                    let target = [
                        "/events?limit=3",
                        "/series?bucket=day",
                        "/network",
                        "/places",
                    ][(i + j) % 4];
                    let r = get(addr, target);
                    assert_eq!(r.status, 200, "{target}");
                    r.json();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn dashboard_is_served_from_the_binary() {
    let addr = server();
    let r = get(addr, "/");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    let html = r.text();
    for asset in ["/assets/app.js", "/assets/app.css", "/assets/world.js"] {
        assert!(html.contains(asset), "index does not load {asset}");
        let a = get(addr, asset);
        assert_eq!(a.status, 200, "{asset}");
        assert!(!a.body.is_empty());
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page must not load anything remote"
    );
}

#[test]
fn readers_keep_getting_answers_while_an_ingest_writes() {
    let dir = tempfile::tempdir().unwrap();
    let (docs, events) = sample();
    let db = database(dir.path(), docs, events);
    let addr = start(Arc::new(StoreBackend::open(&db).unwrap()), SMALL_BODY);
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut store = sitrep_store::Store::open(&writer_db).unwrap();
        let start = day(2023, 1, 1);
        for k in 0..20u64 {
            let batch = sitrep_store::synth::corpus(500 + k, 50, 5, start, 400);
            store.ingest(&batch, "test").unwrap();
        }
        store.checkpoint().unwrap();
    });
    let readers: Vec<_> = (0..4)
        .map(|i| {
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                for j in 0..40 {
                    let target = [
                        "/stats",
                        "/events?limit=20",
                        "/series?bucket=week",
                        "/network",
                        "/escalations",
                    ][(i + j) % 5];
                    let r = get(addr, target);
                    assert_eq!(r.status, 200, "{target} during ingest: {}", r.text());
                    if target == "/stats" {
                        seen.push(r.json()["events"].as_u64().unwrap());
                    }
                }
                seen
            })
        })
        .collect();
    writer.join().unwrap();
    for r in readers {
        let seen = r.join().unwrap();
        assert!(
            seen.windows(2).all(|w| w[0] <= w[1]),
            "event counts went backwards: {seen:?}"
        );
    }
    let after = get(addr, "/stats").json();
    assert_eq!(
        after["events"],
        5 + 20 * 50 * 5,
        "the server sees the finished ingest"
    );
}
