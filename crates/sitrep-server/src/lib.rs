//! sitrep-server: the HTTP JSON API over stored events, and the dashboard it serves.

pub mod api;
pub mod backend;
mod dashboard;
pub mod error;
pub mod escalation;
pub mod model;
mod network;
pub mod params;
pub mod store_backend;

pub use api::{AppState, DocCoder};
pub use backend::Backend;
pub use error::{ApiError, ApiResult};
pub use store_backend::StoreBackend;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;

/// The hand-written OpenAPI 3 description of `api::routes()`; a test keeps the two in step.
pub const OPENAPI: &str = include_str!("../assets/openapi.json");

/// Default request body cap: a long article is well under this, a flood is not.
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

pub fn router(state: AppState, max_body: usize) -> Router {
    let mut r = Router::new();
    for (_, path, handler) in api::routes() {
        r = r.route(path, handler);
    }
    dashboard::add_routes(r)
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "method not allowed on this route",
            )
        })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    // The panic message may hold internals; the client learns only that it failed.
    ApiError::internal("the server failed to answer this request").into_response()
}

/// Serves until Ctrl-C, on an already bound listener (tests bind port 0).
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    max_body: usize,
) -> std::io::Result<()> {
    axum::serve(listener, router(state, max_body))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Binds `addr` and serves on a runtime of its own; for the CLI, which is synchronous.
pub fn serve_blocking(
    addr: SocketAddr,
    backend: Arc<dyn Backend>,
    kb: Arc<sitrep_core::Kb>,
    code: Option<api::DocCoder>,
    max_body: usize,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        on_ready(listener.local_addr()?);
        serve(listener, AppState { backend, kb, code }, max_body).await
    })
}
