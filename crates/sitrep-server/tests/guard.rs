//! Hostile clients: foreign Host and Origin names, cross-site posts, oversized request lines
//! and headers, odd parameter values, and the access token of a server open to a network.

mod common;

use common::*;
use sitrep_server::{Access, ServerConfig, StoreBackend};
use std::net::SocketAddr;
use std::sync::{Arc, OnceLock};

fn sample_backend() -> Arc<StoreBackend> {
    // Kept for the life of the test process: the server reads it until the end.
    let dir = Box::leak(Box::new(tempfile::tempdir().unwrap()));
    let (docs, events) = sample();
    let db = database(dir.path(), docs, events);
    Arc::new(StoreBackend::open(&db).unwrap())
}

fn server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| start(sample_backend(), 64 * 1024))
}

const TOKEN: &str = "correct-horse-battery-staple";

fn token_server() -> SocketAddr {
    static ADDR: OnceLock<SocketAddr> = OnceLock::new();
    *ADDR.get_or_init(|| {
        let cfg = ServerConfig {
            access: Access::new(&["reports.example".into()], Some(TOKEN.into())),
            ..ServerConfig::default()
        };
        start_with(sample_backend(), cfg)
    })
}

fn json_error(r: &Resp, status: u16, code: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    assert!(
        r.header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        r.headers
    );
    assert_eq!(r.json()["error"]["code"], code, "{}", r.text());
}

#[test]
fn foreign_host_names_are_refused_without_echo() {
    let addr = server();
    let r = raw(addr, "GET /stats HTTP/1.1\nHost: attacker.example", b"");
    json_error(&r, 403, "host_not_allowed");
    assert!(!r.text().contains("attacker"), "{}", r.text());
    for host in ["localhost:8080", "127.0.0.1", "[::1]:9"] {
        let r = raw(addr, &format!("GET /stats HTTP/1.1\nHost: {host}"), b"");
        assert_eq!(r.status, 200, "{host}: {}", r.text());
    }
}

#[test]
fn cross_origin_posts_are_refused_and_same_origin_ones_pass() {
    let addr = server();
    let text = b"Protesters marched in the capital on Monday.";
    let post = |origin: &str| {
        raw(
            addr,
            &format!(
                "POST /code?date=2024-03-04 HTTP/1.1\nHost: {addr}\nContent-Type: text/plain\n\
                 Content-Length: {}\n{origin}",
                text.len()
            ),
            text,
        )
    };
    json_error(
        &post("Origin: http://attacker.example"),
        403,
        "origin_not_allowed",
    );
    json_error(&post("Origin: null"), 403, "origin_not_allowed");
    json_error(
        &post(&format!(
            "Origin: http://{addr}\nSec-Fetch-Site: cross-site"
        )),
        403,
        "origin_not_allowed",
    );
    let ok = post(&format!("Origin: http://{addr}"));
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert!(ok.json().is_array());
}

#[test]
fn every_answer_says_nosniff_and_forbids_framing() {
    let addr = server();
    for target in [
        "/health",
        "/stats",
        "/nope",
        "/events?bogus=1",
        "/",
        "/assets/app.js",
    ] {
        let r = get(addr, target);
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{target}"
        );
        let csp = r.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'"), "{target}: {csp}");
    }
    let page = get(addr, "/");
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'"),
        "the page keeps its policy: {csp}"
    );
    let refused = raw(addr, "GET /stats HTTP/1.1\nHost: attacker.example", b"");
    assert_eq!(refused.header("x-content-type-options"), Some("nosniff"));
}

#[test]
fn long_request_lines_and_headers_get_json_414_and_431() {
    let addr = server();
    // Over the API's own limit, and over the HTTP layer's hard limit (64 KiB).
    for n in [9_000, 70_000] {
        let r = get(addr, &format!("/events?actor={}", "x".repeat(n)));
        json_error(&r, 414, "uri_too_long");
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    }
    for n in [20_000, 500_000] {
        let r = raw(
            addr,
            &format!(
                "GET /stats HTTP/1.1\nHost: {addr}\nX-Filler: {}",
                "y".repeat(n)
            ),
            b"",
        );
        json_error(&r, 431, "headers_too_large");
    }
    let r = raw(addr, "GARBAGE\u{1}", b"");
    json_error(&r, 400, "bad_request");
}

#[test]
fn odd_parameter_values_are_refused_and_names_not_echoed() {
    let addr = server();
    for z in ["NaN", "nan", "inf", "-inf"] {
        let r = get(addr, &format!("/escalations?z={z}"));
        json_error(&r, 400, "bad_param");
    }
    let name = "q".repeat(5_000);
    let r = get(addr, &format!("/events?{name}=1"));
    json_error(&r, 400, "bad_param");
    assert!(!r.text().contains(&name[..100]), "{}", r.text());
    assert!(r.text().len() < 500, "{}", r.text());
}

#[test]
fn actor_search_treats_percent_and_underscore_as_letters() {
    let addr = server();
    let all = get(addr, "/actors").json();
    assert!(!all.as_array().unwrap().is_empty());
    for q in ["%25", "_", "%25%25"] {
        let r = get(addr, &format!("/actors?q={q}"));
        assert_eq!(r.status, 200);
        assert_eq!(r.json(), serde_json::json!([]), "q={q}");
    }
}

#[test]
fn a_token_server_wants_its_token_except_for_health() {
    let addr = token_server();
    json_error(&get(addr, "/stats"), 401, "unauthorized");
    assert_eq!(get(addr, "/health").status, 200);
    let bearer = |t: &str| {
        raw(
            addr,
            &format!("GET /stats HTTP/1.1\nHost: {addr}\nAuthorization: Bearer {t}"),
            b"",
        )
    };
    assert_eq!(bearer(TOKEN).status, 200);
    json_error(&bearer("correct-horse-battery-stapl3"), 401, "unauthorized");

    // A link with the token logs the browser in: a cookie, and the address without the token.
    let login = get(addr, &format!("/?token={TOKEN}&tab=map"));
    assert_eq!(login.status, 303);
    assert_eq!(login.header("location"), Some("/?tab=map"));
    let cookie = login.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    let pair = cookie.split(';').next().unwrap();
    let r = raw(
        addr,
        &format!("GET /stats HTTP/1.1\nHost: {addr}\nCookie: {pair}"),
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    json_error(&get(addr, "/?token=wrong"), 401, "unauthorized");

    // The extra name is allowed; others still are not, token or no token.
    let named = raw(
        addr,
        &format!("GET /stats HTTP/1.1\nHost: reports.example:8080\nAuthorization: Bearer {TOKEN}"),
        b"",
    );
    assert_eq!(named.status, 200);
    let other = raw(
        addr,
        &format!("GET /stats HTTP/1.1\nHost: attacker.example\nAuthorization: Bearer {TOKEN}"),
        b"",
    );
    json_error(&other, 403, "host_not_allowed");
}
