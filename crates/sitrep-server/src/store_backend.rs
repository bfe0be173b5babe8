//! The backend over a sitrep SQLite database: the store's query API, plus a few read-only SQL
//! statements of this crate's own (all parameterised) for what the store does not answer yet.

use crate::backend::Backend;
use crate::error::{ApiError, ApiResult};
use crate::model::*;
use crate::params::{Bucket, EventFilter, PageReq};
use crate::pool::{Conn, Pool};
use axum::http::StatusCode;
use rusqlite::{params, Connection};
use sitrep_core::Event;
use sitrep_store::{NodeLevel, SeriesBy, StoreError};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

pub struct StoreBackend {
    pool: Arc<Pool>,
}

impl StoreBackend {
    /// Opens the database read-only, so the server can never change it and an ingest can run
    /// beside it (WAL readers do not block the writer), with the default number of readers.
    pub fn open(path: impl AsRef<Path>) -> Result<StoreBackend, StoreError> {
        StoreBackend::with_readers(path, crate::Limits::default().workers)
    }

    /// As `open`, with at most `readers` connections (give the admission limit's `workers`).
    pub fn with_readers(
        path: impl AsRef<Path>,
        readers: usize,
    ) -> Result<StoreBackend, StoreError> {
        Ok(StoreBackend {
            pool: Pool::open(path.as_ref(), readers)?,
        })
    }

    /// Connections open now; never above the number of readers.
    pub fn open_connections(&self) -> usize {
        self.pool.open_connections()
    }

    fn with<T>(&self, f: impl FnOnce(&Conn) -> ApiResult<T>) -> ApiResult<T> {
        self.pool.with(f)
    }
}

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::BadQuery(m) => ApiError::bad_param(m),
        StoreError::Locked { .. } => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the database is busy; retry",
        ),
        // A query stopped at its deadline is no fault of the database; the pool says why.
        StoreError::Sqlite { source, .. } if interrupted(&source) => {
            ApiError::internal("the query was interrupted")
        }
        other => {
            eprintln!("sitrep serve: {other}");
            ApiError::internal("the database could not answer")
        }
    }
}

fn interrupted(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::OperationInterrupted)
}

fn sql_error(e: rusqlite::Error) -> ApiError {
    if interrupted(&e) {
        return ApiError::internal("the query was interrupted");
    }
    eprintln!("sitrep serve: sqlite: {e}");
    ApiError::internal("the database could not answer")
}

/// The filter with one more row than the page, to learn whether another page follows.
fn paged(f: &EventFilter, page: PageReq) -> EventFilter {
    EventFilter {
        limit: Some(page.limit + 1),
        offset: page.offset,
        ..f.clone()
    }
}

fn page_of<T>(mut items: Vec<T>, page: PageReq) -> Page<T> {
    let has_more = items.len() > page.limit;
    items.truncate(page.limit);
    Page {
        limit: page.limit,
        offset: page.offset,
        has_more,
        items,
    }
}

fn with_quad(f: &EventFilter, q: u8) -> EventFilter {
    EventFilter {
        quad_class: Some(q),
        ..f.clone()
    }
}

impl Backend for StoreBackend {
    fn stats(&self) -> ApiResult<Stats> {
        self.with(|c| {
            let n = c.store.counts().map_err(store_error)?;
            let (first, last): (Option<String>, Option<String>) = c
                .raw
                .query_row("SELECT min(date), max(date) FROM events", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .map_err(sql_error)?;
            let day = |s: Option<String>| {
                s.and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
            };
            Ok(Stats {
                documents: n.documents,
                events: n.events,
                actors: n.actors,
                stories: n.stories,
                first_date: day(first),
                last_date: day(last),
            })
        })
    }

    fn documents(&self, page: PageReq) -> ApiResult<Page<DocSummary>> {
        self.with(|c| {
            let mut stmt = c
                .raw
                .prepare_cached(
                    "SELECT d.id, d.date, d.title, d.source, d.url, length(CAST(d.text AS BLOB)),
                            (SELECT count(*) FROM events e WHERE e.doc_rowid = d.rowid)
                     FROM documents d ORDER BY d.date DESC, d.rowid DESC LIMIT ?1 OFFSET ?2",
                )
                .map_err(sql_error)?;
            let rows = stmt
                .query_map(params![(page.limit + 1) as i64, page.offset as i64], |r| {
                    let date: String = r.get(1)?;
                    Ok(DocSummary {
                        id: r.get(0)?,
                        date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                            .unwrap_or_default(),
                        title: r.get(2)?,
                        source: r.get(3)?,
                        url: r.get(4)?,
                        bytes: r.get::<_, i64>(5)? as u64,
                        events: r.get::<_, i64>(6)? as u64,
                    })
                })
                .map_err(sql_error)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql_error)?;
            Ok(page_of(rows, page))
        })
    }

    fn document(&self, id: &str) -> ApiResult<Option<DocView>> {
        self.with(|c| {
            let Some(d) = c.store.document(id).map_err(store_error)? else {
                return Ok(None);
            };
            let f = EventFilter {
                doc_id: Some(d.id.clone()),
                ..EventFilter::default()
            };
            let mut events = c.store.events(&f).map_err(store_error)?;
            events.sort_by_key(|e| (e.evidence.start, e.evidence.trigger_start));
            Ok(Some(DocView {
                id: d.id,
                date: d.date,
                title: d.title,
                source: d.source,
                url: d.url,
                text: d.text,
                events,
            }))
        })
    }

    fn events(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Event>> {
        self.with(|c| {
            Ok(page_of(
                c.store.events(&paged(f, page)).map_err(store_error)?,
                page,
            ))
        })
    }

    fn event(&self, id: &str) -> ApiResult<Option<Event>> {
        self.with(|c| c.store.event(id).map_err(store_error))
    }

    fn stories(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Story>> {
        self.with(|c| {
            Ok(page_of(
                c.store.stories(&paged(f, page)).map_err(store_error)?,
                page,
            ))
        })
    }

    fn actors(&self, q: &str, limit: usize) -> ApiResult<Vec<ActorCount>> {
        self.with(|c| c.store.actors(q, limit).map_err(store_error))
    }

    fn series(&self, f: &EventFilter, bucket: Bucket) -> ApiResult<Vec<SeriesPoint>> {
        self.with(|c| {
            let points = c.store.series_by_quad(f, bucket).map_err(store_error)?;
            Ok(points
                .into_iter()
                .map(|p| SeriesPoint {
                    period: p.period,
                    count: p.count,
                    goldstein_mean: p.mean_goldstein,
                    quad: p.quad,
                })
                .collect())
        })
    }

    fn network(&self, f: &EventFilter, level: NodeLevel, max_edges: usize) -> ApiResult<Network> {
        self.with(|c| {
            let edges = c.store.network(f, level, max_edges).map_err(store_error)?;
            let mut conflict: HashMap<(String, String), u64> = HashMap::new();
            for q in [3u8, 4] {
                if f.quad_class.is_some_and(|fq| fq != q) {
                    continue;
                }
                for e in c
                    .store
                    .network(&with_quad(f, q), level, 2000)
                    .map_err(store_error)?
                {
                    *conflict.entry((e.source, e.target)).or_default() += e.count;
                }
            }
            let edges: Vec<Edge> = edges
                .into_iter()
                .map(|e| Edge {
                    conflict: conflict
                        .get(&(e.source.clone(), e.target.clone()))
                        .copied()
                        .unwrap_or(0),
                    source: e.source,
                    target: e.target,
                    count: e.count,
                    goldstein_mean: e.mean_goldstein,
                })
                .collect();
            let codes: Vec<String> = {
                let mut v: Vec<String> = edges
                    .iter()
                    .flat_map(|e: &Edge| [e.source.clone(), e.target.clone()])
                    .collect();
                v.sort();
                v.dedup();
                v
            };
            let names = actor_names(&c.raw, &codes)?;
            Ok(crate::network::with_nodes(edges, |code| {
                names.get(code).cloned().unwrap_or_default()
            }))
        })
    }

    fn places(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<PlaceCount>> {
        self.with(|c| c.store.places(f, limit).map_err(store_error))
    }

    fn dyad_weeks(&self, f: &EventFilter) -> ApiResult<Vec<DyadWeek>> {
        self.with(|c| {
            let mut by: BTreeMap<(String, String, chrono::NaiveDate), (u64, f64)> = BTreeMap::new();
            for q in [3u8, 4] {
                if f.quad_class.is_some_and(|fq| fq != q) {
                    continue;
                }
                let pts = c
                    .store
                    .series(&with_quad(f, q), SeriesBy::Dyad, Bucket::Week)
                    .map_err(store_error)?;
                for p in pts {
                    let Some((s, t)) = p.key.split_once('-') else {
                        continue;
                    };
                    let Ok(week) = chrono::NaiveDate::parse_from_str(&p.period, "%Y-%m-%d") else {
                        continue;
                    };
                    if s.is_empty() || t.is_empty() || s == t {
                        continue;
                    }
                    let slot = by.entry((s.to_string(), t.to_string(), week)).or_default();
                    slot.0 += p.count;
                    slot.1 += p.count as f64 * p.mean_goldstein.abs();
                }
            }
            Ok(by
                .into_iter()
                .map(
                    |((source, target, week), (count, conflict_intensity))| DyadWeek {
                        source,
                        target,
                        week,
                        count,
                        conflict_intensity,
                    },
                )
                .collect())
        })
    }
}

/// A label for each node: the shortest name stored under its code ("Israel" over "Israeli
/// forces"); looked up per node through the (code, kb, text) index.
fn actor_names(raw: &Connection, codes: &[String]) -> ApiResult<HashMap<String, String>> {
    let mut stmt = raw
        .prepare_cached(
            "SELECT text FROM actors WHERE code = ?1 ORDER BY length(text), text LIMIT 1",
        )
        .map_err(sql_error)?;
    let mut out = HashMap::new();
    for code in codes {
        let name: Option<String> = stmt
            .query_row([code], |r| r.get(0))
            .map(Some)
            .or_else(|e| match e {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                e => Err(e),
            })
            .map_err(sql_error)?;
        if let Some(n) = name {
            out.insert(code.clone(), n);
        }
    }
    Ok(out)
}
