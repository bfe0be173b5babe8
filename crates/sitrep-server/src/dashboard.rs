//! The single-page dashboard: plain HTML, CSS and JS compiled into the binary, so the server
//! needs no files beside it and the browser fetches nothing from anywhere else.

use crate::api::AppState;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

const INDEX: &str = include_str!("../assets/index.html");
const APP_JS: &str = include_str!("../assets/app.js");
const CHARTS_JS: &str = include_str!("../assets/charts.js");
const GRAPH_JS: &str = include_str!("../assets/graph.js");
const LISTS_JS: &str = include_str!("../assets/lists.js");
const APP_CSS: &str = include_str!("../assets/app.css");
const WORLD_JS: &str = include_str!("../assets/world.js");
const FAVICON: &str = include_str!("../assets/favicon.svg");

fn asset(body: &'static str, ctype: &'static str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(ctype));
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    // Only this origin: a guard against any text from a news report ever running as script.
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
        ),
    );
    r
}

pub fn add_routes(r: Router<AppState>) -> Router<AppState> {
    r.route(
        "/",
        get(|| async { asset(INDEX, "text/html; charset=utf-8") }),
    )
    .route(
        "/assets/app.js",
        get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }),
    )
    .route(
        "/assets/charts.js",
        get(|| async { asset(CHARTS_JS, "text/javascript; charset=utf-8") }),
    )
    .route(
        "/assets/graph.js",
        get(|| async { asset(GRAPH_JS, "text/javascript; charset=utf-8") }),
    )
    .route(
        "/assets/lists.js",
        get(|| async { asset(LISTS_JS, "text/javascript; charset=utf-8") }),
    )
    .route(
        "/assets/app.css",
        get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }),
    )
    .route(
        "/assets/world.js",
        get(|| async { asset(WORLD_JS, "text/javascript; charset=utf-8") }),
    )
    .route(
        "/assets/favicon.svg",
        get(|| async { asset(FAVICON, "image/svg+xml") }),
    )
}
