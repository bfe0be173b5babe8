//! sitrep-server: the HTTP JSON API over stored events, and the dashboard it serves.

pub mod api;
pub mod backend;
mod dashboard;
pub mod error;
pub mod escalation;
pub mod guard;
pub mod limits;
pub mod model;
mod network;
pub mod params;
pub mod pool;
pub mod store_backend;
pub mod wire;

pub use api::{AppState, DocCoder};
pub use backend::Backend;
pub use error::{ApiError, ApiResult};
pub use guard::Access;
pub use limits::Limits;
pub use store_backend::StoreBackend;
pub use wire::WireLimits;

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

/// Everything `sitrep serve` can tune: body size, work limits, connection limits, access.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub max_body: usize,
    pub limits: Limits,
    pub wire: WireLimits,
    pub access: Access,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_body: DEFAULT_MAX_BODY,
            limits: Limits::default(),
            wire: WireLimits::default(),
            access: Access::default(),
        }
    }
}

/// The router with the guard (outermost: allow-lists, token, security headers) and admission
/// (work limits and deadlines) around it.
pub fn app(state: AppState, cfg: &ServerConfig) -> Router {
    let admission = Arc::new(limits::Admission::new(cfg.limits));
    router(state, cfg.max_body)
        .layer(axum::middleware::from_fn_with_state(
            admission,
            limits::admit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(cfg.access.clone()),
            guard::guard,
        ))
}

/// Serves until Ctrl-C, on an already bound listener (tests bind port 0), with default limits.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    max_body: usize,
) -> std::io::Result<()> {
    let cfg = ServerConfig {
        max_body,
        ..ServerConfig::default()
    };
    serve_with(listener, state, &cfg).await
}

/// Serves until Ctrl-C with the given limits and access rules.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    cfg: &ServerConfig,
) -> std::io::Result<()> {
    // Before the first accept, so no client is the one that opens the readers; connections
    // that arrive meanwhile wait in the listen backlog. Cheap when `serve_blocking` already
    // warmed them: the connections are open and their counts kept.
    let backend = state.backend.clone();
    match tokio::task::spawn_blocking(move || backend.warm()).await {
        Ok(r) => log_warm(r),
        Err(e) => eprintln!("sitrep serve: warming the readers failed: {e}"),
    }
    wire::serve(listener, app(state, cfg), cfg.wire, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Binds `addr` and serves on a runtime of its own; for the CLI, which is synchronous.
pub fn serve_blocking(
    addr: SocketAddr,
    state: AppState,
    cfg: ServerConfig,
    on_ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    // Blocking jobs are bounded by admission; the spare threads are for jobs that were
    // cancelled and are still unwinding, and for `POST /code`.
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(cfg.limits.workers * 2 + 4)
        .build()?;
    // Before binding, so that "serving" is printed once the first request finds warm readers.
    log_warm(state.backend.warm());
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        on_ready(listener.local_addr()?);
        serve_with(listener, state, &cfg).await
    })
}

/// A failed warm-up is not fatal: each request tries again and says in JSON what went wrong.
fn log_warm(r: ApiResult<()>) {
    if let Err(e) = r {
        eprintln!("sitrep serve: warming the readers: {e}");
    }
}
