//! Who may talk to the server and what every answer carries: the Host and Origin allow-lists
//! (against DNS rebinding and cross-site posts), the optional access token, size limits on the
//! request line and headers, and the security headers. Must never let a request it refuses
//! reach a handler, nor answer without `nosniff`.

use crate::error::ApiError;
use axum::extract::{Request, State};
use axum::http::header::{
    AUTHORIZATION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, HOST, LOCATION, ORIGIN,
    SET_COOKIE, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Longest request target (path and query) accepted; a filter never needs more.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Most header bytes (names and values) accepted in one request.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
const TOKEN_COOKIE: &str = "sitrep_token";

/// The names a client may use to reach this server, and the token it must show, if any.
#[derive(Debug, Clone)]
pub struct Access {
    hosts: Vec<String>,
    any_host: bool,
    token: Option<String>,
}

/// Names every loopback client may use.
pub const LOOPBACK_NAMES: [&str; 4] = ["localhost", "127.0.0.1", "::1", "[::1]"];

impl Default for Access {
    fn default() -> Self {
        Access::new(&[], None)
    }
}

impl Access {
    /// Loopback names plus `extra` (host names or addresses; `*` allows any Host, for a server
    /// behind a proxy that checks it). `token`, when given, is required on every API call.
    pub fn new(extra: &[String], token: Option<String>) -> Access {
        let mut hosts: Vec<String> = LOOPBACK_NAMES.iter().map(|s| s.to_string()).collect();
        let mut any_host = false;
        for h in extra {
            let h = h.trim().to_ascii_lowercase();
            if h == "*" {
                any_host = true;
            } else if !h.is_empty() {
                hosts.push(strip_port(&h).to_string());
            }
        }
        Access {
            hosts,
            any_host,
            token: token.filter(|t| !t.is_empty()),
        }
    }

    pub fn hosts(&self) -> &[String] {
        &self.hosts
    }

    fn host_allowed(&self, host: &str) -> bool {
        let h = strip_port(host).to_ascii_lowercase();
        self.any_host || self.hosts.contains(&h)
    }
}

/// `name:port`, `[v6]:port` or a bare name, without the port.
fn strip_port(h: &str) -> &str {
    if let Some(end) = h.find(']') {
        return &h[..=end];
    }
    match h.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => {
            name
        }
        _ => h,
    }
}

fn forbidden(code: &'static str, message: impl Into<String>) -> Response {
    ApiError::new(StatusCode::FORBIDDEN, code, message).into_response()
}

/// The refusal for a request that breaks a size limit or the allow-lists, if any.
fn refusal(a: &Access, req: &Request) -> Option<Response> {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    if uri_len > MAX_URI_BYTES {
        return Some(
            ApiError::new(
                StatusCode::URI_TOO_LONG,
                "uri_too_long",
                format!("the request target is {uri_len} bytes; at most {MAX_URI_BYTES}"),
            )
            .into_response(),
        );
    }
    let header_bytes: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if header_bytes > MAX_HEADER_BYTES {
        return Some(
            ApiError::new(
                StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
                "headers_too_large",
                format!("the request headers are {header_bytes} bytes; at most {MAX_HEADER_BYTES}"),
            )
            .into_response(),
        );
    }
    let host = req
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().authority().map(|a| a.as_str()))
        .unwrap_or("");
    if !a.host_allowed(host) {
        // The name is not echoed: it is the attacker's, and the page would show it.
        return Some(forbidden(
            "host_not_allowed",
            "this server does not answer to that Host name (see `sitrep serve --allow-host`)",
        ));
    }
    if let Some(origin) = req.headers().get(ORIGIN) {
        let ok = origin
            .to_str()
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(scheme, rest)| {
                (scheme == "http" || scheme == "https") && a.host_allowed(rest)
            });
        if !ok {
            return Some(forbidden(
                "origin_not_allowed",
                "requests from pages of another site are refused",
            ));
        }
    }
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site");
    if cross_site {
        return Some(forbidden(
            "origin_not_allowed",
            "requests from pages of another site are refused",
        ));
    }
    None
}

fn presented_token(h: &HeaderMap) -> Option<String> {
    if let Some(b) = h.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        if let Some(t) = b.strip_prefix("Bearer ") {
            return Some(t.trim().to_string());
        }
    }
    h.get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("sitrep_token="))
        .map(str::to_string)
}

/// Compares in time independent of where the strings differ, so the token cannot be guessed
/// byte by byte from answer times.
fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `?token=…` on a page link: answered by a redirect that sets the token as a cookie and
/// drops it from the address, so the dashboard's own requests carry it from then on.
fn token_login(req: &Request, token: &str) -> Option<Response> {
    let q = req.uri().query()?;
    let mut rest = Vec::new();
    let mut given = None;
    for pair in q.split('&') {
        match pair.strip_prefix("token=") {
            Some(t) => given = Some(t),
            None => rest.push(pair),
        }
    }
    let given = given?;
    if !same_secret(given, token) {
        return Some(unauthorized());
    }
    let mut to = req.uri().path().to_string();
    if !rest.is_empty() {
        to.push('?');
        to.push_str(&rest.join("&"));
    }
    let mut r = StatusCode::SEE_OTHER.into_response();
    let h = r.headers_mut();
    h.insert(LOCATION, HeaderValue::from_str(&to).ok()?);
    let cookie = format!("{TOKEN_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict");
    h.insert(SET_COOKIE, HeaderValue::from_str(&cookie).ok()?);
    Some(r)
}

fn unauthorized() -> Response {
    let mut r = ApiError::new(
        StatusCode::UNAUTHORIZED,
        "unauthorized",
        "this server needs its access token: open /?token=TOKEN once, or send `Authorization: Bearer TOKEN`",
    )
    .into_response();
    r.headers_mut()
        .insert("www-authenticate", HeaderValue::from_static("Bearer"));
    r
}

fn check_token(a: &Access, req: &Request) -> Option<Response> {
    let token = a.token.as_deref()?;
    if req.uri().path() == "/health" {
        return None;
    }
    if let Some(r) = token_login(req, token) {
        return Some(r);
    }
    match presented_token(req.headers()) {
        Some(t) if same_secret(&t, token) => None,
        _ => Some(unauthorized()),
    }
}

/// Middleware: refuses what the allow-lists and limits forbid, then adds the security
/// headers to whatever the inner layers answer.
pub async fn guard(State(a): State<Arc<Access>>, req: Request, next: Next) -> Response {
    let mut resp = match refusal(&a, &req).or_else(|| check_token(&a, &req)) {
        Some(r) => r,
        None => next.run(req).await,
    };
    secure_headers(resp.headers_mut());
    resp
}

/// `nosniff` everywhere; no framing by other sites, both in the CSP of pages that set one and
/// with `X-Frame-Options` for older browsers; API answers get a CSP that allows nothing.
fn secure_headers(h: &mut HeaderMap) {
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let csp = match h.get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()) {
        Some(p) if p.contains("frame-ancestors") => return,
        Some(p) => format!("{p}; frame-ancestors 'none'"),
        None if is_html(h) => "frame-ancestors 'none'".to_string(),
        None => "default-src 'none'; frame-ancestors 'none'".to_string(),
    };
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(CONTENT_SECURITY_POLICY, v);
    }
}

fn is_html(h: &HeaderMap) -> bool {
    h.get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_are_stripped_from_names_and_addresses() {
        assert_eq!(strip_port("localhost:8080"), "localhost");
        assert_eq!(strip_port("[::1]:8080"), "[::1]");
        assert_eq!(strip_port("::1"), "::1");
        assert_eq!(strip_port("example.org"), "example.org");
    }

    #[test]
    fn allow_list_holds_loopback_and_extra_names() {
        let a = Access::new(&["Reports.Example:9000".into()], None);
        assert!(a.host_allowed("127.0.0.1:8080"));
        assert!(a.host_allowed("reports.example"));
        assert!(!a.host_allowed("attacker.example"));
        assert!(!a.host_allowed(""));
        assert!(Access::new(&["*".into()], None).host_allowed("anything"));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
