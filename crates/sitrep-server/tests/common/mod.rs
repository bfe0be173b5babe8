//! Test helpers: a server on an ephemeral loopback port, a minimal HTTP/1.1 client over a plain
//! socket (so the tests need no client library), and a small hand-made data set.
#![allow(dead_code)]

#[path = "../load/harness.rs"]
pub mod harness;

use chrono::NaiveDate;
use sitrep_core::{
    ActorRef, DatePrecision, Document, Event, EventType, Evidence, Location, Status,
};
use sitrep_server::Backend;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

pub fn start(backend: Arc<dyn Backend>, max_body: usize) -> SocketAddr {
    let cfg = sitrep_server::ServerConfig {
        max_body,
        ..sitrep_server::ServerConfig::default()
    };
    start_with(backend, cfg)
}

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn request(
    addr: SocketAddr,
    method: &str,
    target: &str,
    ctype: Option<&str>,
    body: &[u8],
) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(c) = ctype {
        head.push_str(&format!("Content-Type: {c}\r\n"));
    }
    if method != "GET" || !body.is_empty() {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before reading the whole body; that is fine.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse(&raw)
}

pub fn get(addr: SocketAddr, target: &str) -> Resp {
    request(addr, "GET", target, None, b"")
}

fn parse(raw: &[u8]) -> Resp {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let n = usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap();
        if n == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + n]);
        b = &b[eol + 2 + n + 2..];
    }
    out
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// An event whose evidence is the first occurrence of `trigger` in the document text.
#[allow(clippy::too_many_arguments)]
pub fn event(
    doc: &Document,
    date: NaiveDate,
    ty: EventType,
    quad: u8,
    goldstein: f64,
    src: ActorRef,
    tgt: ActorRef,
    trigger: &str,
    place: Option<(&str, &str, f64, f64)>,
) -> Event {
    let ts = doc.text.find(trigger).expect("trigger in text");
    let start = doc.text[..ts].rfind(". ").map(|i| i + 2).unwrap_or(0);
    let end = doc.text[ts..]
        .find('.')
        .map(|i| ts + i + 1)
        .unwrap_or(doc.text.len());
    Event {
        id: Event::make_id(&doc.id, ts, ty, std::slice::from_ref(&src)),
        doc_id: doc.id.clone(),
        date,
        date_precision: DatePrecision::Day,
        event: ty,
        mode: String::new(),
        context: vec![],
        cameo: String::new(),
        goldstein,
        quad_class: quad,
        source: vec![src],
        target: vec![tgt],
        status: Status::Asserted,
        location: place.map(|(t, c, lat, lon)| Location {
            text: t.into(),
            country: c.into(),
            lat,
            lon,
            region: String::new(),
            precision: sitrep_core::PlacePrecision::City,
        }),
        quantities: vec![],
        evidence: Evidence {
            sentence: doc.text[start..end].to_string(),
            start,
            end,
            trigger: trigger.into(),
            trigger_start: ts,
            trigger_end: ts + trigger.len(),
            rule: "test".into(),
            also: Vec::new(),
        },
        confidence: 0.9,
    }
}

/// Writes `docs` with their events into a new database file in `dir`; returns its path.
pub fn database(
    dir: &std::path::Path,
    docs: Vec<Document>,
    events: Vec<Event>,
) -> std::path::PathBuf {
    let path = dir.join("events.db");
    let mut store = sitrep_store::Store::open(&path).unwrap();
    let batch: Vec<sitrep_store::CodedDocument> = docs
        .into_iter()
        .map(|d| sitrep_store::CodedDocument {
            events: events
                .iter()
                .filter(|e| e.doc_id == d.id)
                .cloned()
                .collect(),
            document: d,
        })
        .collect();
    store.ingest(&batch, "test").unwrap();
    store.checkpoint().unwrap();
    path
}

/// A made-up two-article data set: a border clash that escalates, and talks.
pub fn sample() -> (Vec<Document>, Vec<Event>) {
    let peru = || ActorRef::new("Peruvian troops", "PER", "MIL", "");
    let ecu = || ActorRef::new("Ecuador", "ECU", "", "ecuador");
    let oas = || ActorRef::new("the OAS", "", "IGO", "");
    let d1 = Document::new(
        day(2024, 3, 4),
        "Peruvian troops shelled an Ecuadorian outpost near Tumbes on Sunday. Ecuador accused Lima of \
         aggression. The OAS called for restraint.",
    );
    let d2 = Document::new(
        day(2024, 3, 12),
        "Ecuador and Peru agreed to hold talks in Quito. Peruvian troops withdrew from the border post.",
    );
    let tumbes = Some(("Tumbes", "PER", -3.57, -80.45));
    let quito = Some(("Quito", "ECU", -0.18, -78.47));
    let events = vec![
        event(
            &d1,
            day(2024, 3, 3),
            EventType::Assault,
            4,
            -10.0,
            peru(),
            ecu(),
            "shelled",
            tumbes,
        ),
        event(
            &d1,
            day(2024, 3, 4),
            EventType::Accuse,
            3,
            -2.0,
            ecu(),
            peru(),
            "accused",
            None,
        ),
        event(
            &d1,
            day(2024, 3, 4),
            EventType::Request,
            3,
            -5.0,
            oas(),
            peru(),
            "called for",
            None,
        ),
        event(
            &d2,
            day(2024, 3, 12),
            EventType::Agree,
            1,
            4.0,
            ecu(),
            peru(),
            "agreed",
            quito,
        ),
        event(
            &d2,
            day(2024, 3, 12),
            EventType::Retreat,
            2,
            5.0,
            peru(),
            ecu(),
            "withdrew",
            tumbes,
        ),
    ];
    (vec![d1, d2], events)
}

/// A server with explicit limits and access rules (the hardening and load tests).
pub fn start_with(backend: Arc<dyn Backend>, cfg: sitrep_server::ServerConfig) -> SocketAddr {
    harness::start_server(backend, cfg)
}

/// Sends `head` (request line and headers, without the final blank line) and `body` as they
/// are, so a test can set any Host, Origin or oversized header.
pub fn raw(addr: SocketAddr, head: &str, body: &[u8]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut msg = head
        .trim_end()
        .replace('\n', "\r\n")
        .replace("\r\r\n", "\r\n");
    msg.push_str("\r\nConnection: close\r\n\r\n");
    let _ = s.write_all(msg.as_bytes());
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    parse(&out)
}
