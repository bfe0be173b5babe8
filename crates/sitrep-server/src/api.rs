//! The JSON API: one handler per route, and the route table that the router and the OpenAPI
//! test both read, so a route cannot exist undocumented.

use crate::backend::Backend;
use crate::error::{ApiError, ApiResult};
use crate::escalation::{self, EscalationParams};
use crate::model::*;
use crate::network::{self, NetworkParams};
use crate::params::{bucket, event_filter, event_order, PageReq, Params, MAX_PARAM_CHARS};
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::routing::{get, post, MethodRouter};
use axum::Json;
use serde::Deserialize;
use sitrep_core::coder::{Coder, CoderOptions};
use sitrep_core::readers::{read_bytes, ReadOptions};
use sitrep_core::{Document, Event, Kb};
use std::sync::Arc;

/// Codes one document for `POST /code`; the CLI passes the learned coder, `None` is the rules.
pub type DocCoder = Arc<dyn Fn(&Coder, &Document) -> Vec<Event> + Send + Sync>;

#[derive(Clone)]
pub struct AppState {
    pub backend: Arc<dyn Backend>,
    pub kb: Arc<Kb>,
    pub code: Option<DocCoder>,
}

impl AppState {
    /// Runs a blocking backend call off the async workers; a panic inside becomes a 500.
    async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Backend) -> ApiResult<T> + Send + 'static,
    {
        let b = self.backend.clone();
        let ticket = crate::limits::current();
        tokio::task::spawn_blocking(move || crate::limits::with_ticket(ticket, || f(b.as_ref())))
            .await
            .map_err(|e| {
                // The panic text may hold internals: it goes to the log, not to the client.
                eprintln!("sitrep serve: query failed: {e}");
                ApiError::internal("the query failed")
            })?
    }
}

/// The query string as validated `Params`; a malformed one is a JSON 400.
pub struct Q(pub Params);

impl<S: Send + Sync> FromRequestParts<S> for Q {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(pairs) = Query::<Vec<(String, String)>>::from_request_parts(parts, state).await?;
        Ok(Q(Params::new(pairs)?))
    }
}

fn id_param(p: Result<Path<String>, PathRejection>) -> ApiResult<String> {
    let Path(id) = p.map_err(|e| ApiError::bad_param(e.body_text()))?;
    if id.is_empty() || id.chars().count() > MAX_PARAM_CHARS || id.chars().any(char::is_control) {
        return Err(ApiError::bad_param("malformed id"));
    }
    Ok(id)
}

/// Method, path (axum syntax) and handler of every API route.
pub fn routes() -> Vec<(&'static str, &'static str, MethodRouter<AppState>)> {
    vec![
        ("get", "/health", get(health)),
        ("get", "/stats", get(stats)),
        ("get", "/documents", get(documents)),
        ("get", "/documents/{id}", get(document)),
        ("get", "/events", get(events)),
        ("get", "/events/{id}", get(event)),
        ("get", "/stories", get(stories)),
        ("get", "/actors", get(actors)),
        ("get", "/series", get(series)),
        ("get", "/network", get(network)),
        ("get", "/places", get(places)),
        ("get", "/escalations", get(escalations)),
        ("get", "/fatalities", get(fatalities)),
        ("post", "/code", post(code)),
        ("get", "/openapi.json", get(openapi)),
    ]
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")}))
}

async fn openapi() -> ([(axum::http::HeaderName, &'static str); 1], &'static str) {
    ([(CONTENT_TYPE, "application/json")], crate::OPENAPI)
}

async fn stats(State(st): State<AppState>, Q(p): Q) -> ApiResult<Json<Stats>> {
    p.finish()?;
    st.run(|b| b.stats()).await.map(Json)
}

async fn documents(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Page<DocSummary>>> {
    let page = PageReq::from_params(&mut p, 50)?;
    p.finish()?;
    st.run(move |b| b.documents(page)).await.map(Json)
}

async fn document(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    Q(p): Q,
) -> ApiResult<Json<DocView>> {
    let id = id_param(id)?;
    p.finish()?;
    let missing = format!("no document `{id}`");
    st.run(move |b| b.document(&id))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(missing))
}

async fn events(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Page<EventOut>>> {
    let f = event_filter(&mut p)?;
    let order = event_order(&mut p)?;
    let page = PageReq::from_params(&mut p, 100)?;
    p.finish()?;
    st.run(move |b| b.events(&f, order, page))
        .await
        .map(|page| Json(page.map(EventOut::from)))
}

async fn event(
    State(st): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    Q(p): Q,
) -> ApiResult<Json<EventOut>> {
    let id = id_param(id)?;
    p.finish()?;
    let missing = format!("no event `{id}`");
    st.run(move |b| b.event(&id))
        .await?
        .map(|e| Json(EventOut::from(e)))
        .ok_or_else(|| ApiError::not_found(missing))
}

async fn stories(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Page<Story>>> {
    let f = event_filter(&mut p)?;
    let page = PageReq::from_params(&mut p, 50)?;
    p.finish()?;
    st.run(move |b| b.stories(&f, page)).await.map(Json)
}

async fn actors(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Vec<ActorCount>>> {
    let q = p.take("q").unwrap_or_default();
    let limit = p.take_range("limit", "a whole number", 1, 1000, 100)?;
    p.finish()?;
    st.run(move |b| b.actors(&q, limit)).await.map(Json)
}

async fn series(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Vec<SeriesPoint>>> {
    let f = event_filter(&mut p)?;
    let bucket = bucket(&mut p)?;
    p.finish()?;
    st.run(move |b| b.series(&f, bucket)).await.map(Json)
}

async fn network(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Network>> {
    let f = event_filter(&mut p)?;
    let np = NetworkParams::take(&mut p)?;
    p.finish()?;
    let kb = st.kb.clone();
    st.run(move |b| {
        let net = b.network(&f, np.level, np.fetch())?;
        let stored = net.nodes.into_iter().map(|n| (n.id, n.name)).collect();
        Ok(network::shape(net.edges, np, &kb, &stored))
    })
    .await
    .map(Json)
}

async fn places(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Vec<PlaceCount>>> {
    let f = event_filter(&mut p)?;
    let limit = p.take_range("limit", "a whole number", 1, 5000, 500)?;
    p.finish()?;
    st.run(move |b| b.places(&f, limit)).await.map(Json)
}

/// `/fatalities?by=dyad|total&period=day|week|month` with a dyad (`source`, `target`) and a
/// date range: totals counted per story from the summary (see `sitrep_store::fatalities`).
async fn fatalities(
    State(st): State<AppState>,
    Q(mut p): Q,
) -> ApiResult<Json<Vec<FatalityPoint>>> {
    let by = match p.take("by").as_deref() {
        None | Some("dyad") => sitrep_store::SeriesBy::Dyad,
        Some("total") => sitrep_store::SeriesBy::Total,
        Some(other) => {
            return Err(ApiError::bad_param(format!(
                "parameter `by`: `{other}` is not dyad or total"
            )))
        }
    };
    use crate::params::Bucket;
    let period = match p.take("period").as_deref() {
        None | Some("month") => Bucket::Month,
        Some("week") => Bucket::Week,
        Some("day") => Bucket::Day,
        Some(other) => {
            return Err(ApiError::bad_param(format!(
                "parameter `period`: `{other}` is not day, week or month"
            )))
        }
    };
    let f = event_filter(&mut p)?;
    p.finish()?;
    st.run(move |b| b.fatalities(&f, by, period))
        .await
        .map(Json)
}

async fn escalations(State(st): State<AppState>, Q(mut p): Q) -> ApiResult<Json<Vec<Escalation>>> {
    let f = escalation::what_happened(event_filter(&mut p)?);
    let d = EscalationParams::default();
    let ep = EscalationParams {
        window: p.take_range("window", "a whole number", 2, 52, d.window)?,
        z: p.take_range("z", "a number", 0.5, 50.0, d.z)?,
        min_intensity: p.take_range("min_intensity", "a number", 0.0, 1e9, d.min_intensity)?,
        min_history: p.take_range("min_history", "a whole number", 1, 52, d.min_history)?,
    };
    let limit = p.take_range("limit", "a whole number", 1, 1000, 100)?;
    p.finish()?;
    st.run(move |b| {
        let Some(f) = f else { return Ok(Vec::new()) };
        let mut flags = escalation::detect(&b.dyad_weeks(&f)?, ep);
        flags.truncate(limit);
        Ok(flags)
    })
    .await
    .map(Json)
}

/// A document posted as JSON; like one line of the JSONL input.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PostedDoc {
    id: Option<String>,
    date: Option<chrono::NaiveDate>,
    source: Option<String>,
    url: Option<String>,
    title: Option<String>,
    text: String,
}

/// Most documents one `POST /code` may carry; bulk work belongs to `sitrep code`.
const MAX_POSTED_DOCS: usize = 100;

async fn code(
    State(st): State<AppState>,
    Q(mut p): Q,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<Json<Vec<Event>>> {
    let date = p.take_date("date")?;
    let statements = p
        .take_parsed::<bool>("statements", "true or false")?
        .unwrap_or(false);
    p.finish()?;
    let body = body?;
    let ctype = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("text/plain")
        .to_ascii_lowercase();
    let docs = if ctype.starts_with("application/json") {
        json_docs(&body, date)?
    } else if ctype.starts_with("text/plain") {
        text_docs(&body, date)?
    } else {
        return Err(ApiError::new(
            axum::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("content type `{ctype}`: send text/plain or application/json"),
        ));
    };
    let kb = st.kb.clone();
    let engine = st.code.clone();
    // Coding holds the request's worker until it ends, so posts count against the limits.
    let ticket = crate::limits::current();
    tokio::task::spawn_blocking(move || {
        let _ticket = ticket;
        let coder = Coder::new(
            &kb,
            CoderOptions {
                statements,
                ..CoderOptions::default()
            },
        );
        docs.iter()
            .flat_map(|d| match &engine {
                Some(code) => code(&coder, d),
                None => coder.code(d),
            })
            .collect::<Vec<Event>>()
    })
    .await
    .map(Json)
    .map_err(|e| {
        eprintln!("sitrep serve: coding failed: {e}");
        ApiError::internal("coding failed")
    })
}

fn json_docs(body: &[u8], date: Option<chrono::NaiveDate>) -> ApiResult<Vec<Document>> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "bad_body",
            format!("body: {e}"),
        )
    })?;
    let items = match value {
        serde_json::Value::Array(a) => a,
        v @ serde_json::Value::Object(_) => vec![v],
        _ => {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "bad_body",
                "body: expected a document object or an array of them",
            ))
        }
    };
    if items.len() > MAX_POSTED_DOCS {
        return Err(ApiError::new(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_documents",
            format!("at most {MAX_POSTED_DOCS} documents per request"),
        ));
    }
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let d: PostedDoc = serde_json::from_value(v).map_err(|e| {
                ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "bad_body",
                    format!("document {i}: {e}"),
                )
            })?;
            let day = d.date.or(date).ok_or_else(|| {
                ApiError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "bad_body",
                    format!(
                        "document {i}: no `date` (give one in the document or as ?date=YYYY-MM-DD)"
                    ),
                )
            })?;
            let mut doc = Document::new(day, d.text);
            if let Some(id) = d.id {
                doc.id = id;
            }
            doc.source = d.source;
            doc.url = d.url;
            doc.title = d.title;
            Ok(doc)
        })
        .collect()
}

fn text_docs(body: &[u8], date: Option<chrono::NaiveDate>) -> ApiResult<Vec<Document>> {
    let opts = ReadOptions {
        default_date: date,
        format: Some(sitrep_core::readers::Format::Text),
        ..ReadOptions::default()
    };
    let out = read_bytes("body", body, &opts);
    let errors = out.error_messages();
    if !errors.is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "bad_body",
            errors.join("; "),
        ));
    }
    if out.documents.is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "bad_body",
            "body holds no text to code",
        ));
    }
    Ok(out.documents)
}
