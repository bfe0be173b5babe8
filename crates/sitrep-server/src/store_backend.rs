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
use sitrep_store::{EventOrder, NodeLevel, SeriesBy, StoreError};
use std::collections::HashMap;
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
fn paged(f: &EventFilter, page: &PageReq) -> EventFilter {
    EventFilter {
        limit: Some(page.limit + 1),
        offset: page.offset,
        ..f.clone()
    }
}

fn page_of<T>(mut items: Vec<T>, page: &PageReq) -> Page<T> {
    let has_more = items.len() > page.limit;
    items.truncate(page.limit);
    Page {
        limit: page.limit,
        offset: page.offset,
        has_more,
        items,
        next_cursor: None,
    }
}

/// A keyset page as the API answers it.
fn keyset<T>(k: sitrep_store::KeysetPage<T>, page: &PageReq) -> Page<T> {
    Page {
        limit: page.limit,
        offset: 0,
        has_more: k.next_cursor.is_some(),
        items: k.items,
        next_cursor: k.next_cursor,
    }
}

/// `offset` and `cursor` are two ways to say where a page starts; one request uses one.
fn one_start(page: &PageReq) -> ApiResult<()> {
    if page.offset > 0 && page.cursor.is_some() {
        return Err(ApiError::bad_param(
            "parameters `offset` and `cursor` cannot be used together",
        ));
    }
    Ok(())
}

impl Backend for StoreBackend {
    fn warm(&self) -> ApiResult<()> {
        self.pool
            .warm(|c| c.overview().map(drop).map_err(store_error))
    }

    fn stats(&self) -> ApiResult<Stats> {
        self.with(|c| {
            let n = c.overview().map_err(store_error)?;
            let day = |s: Option<String>| {
                s.and_then(|s| chrono::NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
            };
            Ok(Stats {
                documents: n.documents,
                events: n.events,
                actors: n.actors,
                stories: n.stories,
                first_date: day(n.first_date),
                last_date: day(n.last_date),
            })
        })
    }

    fn documents(&self, page: PageReq) -> ApiResult<Page<DocSummary>> {
        one_start(&page)?;
        self.with(|c| {
            // Newest first through `documents_date` (date, rowid); a cursor is the last row's
            // (date, rowid), so the next page starts after it without walking the ones before.
            let after = match &page.cursor {
                Some(cur) => {
                    let v = sitrep_store::cursor::decode(cur, 2).map_err(store_error)?;
                    Some((v[0].clone(), v[1].clone()))
                }
                None => None,
            };
            let cond = if after.is_some() {
                "WHERE (d.date, d.rowid) < (?3, ?4)"
            } else {
                "WHERE ?3 IS NULL AND ?4 IS NULL"
            };
            let (a, b) =
                after.unwrap_or((rusqlite::types::Value::Null, rusqlite::types::Value::Null));
            let mut stmt = c
                .raw
                .prepare_cached(&format!(
                    "SELECT d.id, d.date, d.title, d.source, d.url, length(CAST(d.text AS BLOB)),
                            (SELECT count(*) FROM events e WHERE e.doc_rowid = d.rowid), d.rowid
                     FROM documents d {cond} ORDER BY d.date DESC, d.rowid DESC
                     LIMIT ?1 OFFSET ?2"
                ))
                .map_err(sql_error)?;
            let rows = stmt
                .query_map(
                    params![(page.limit + 1) as i64, page.offset as i64, a, b],
                    doc_summary,
                )
                .map_err(sql_error)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql_error)?;
            let more = rows.len() > page.limit;
            let next = rows
                .get(page.limit.saturating_sub(1))
                .filter(|_| more && page.offset == 0)
                .map(|(d, rowid)| {
                    sitrep_store::cursor::encode(&[
                        rusqlite::types::Value::Text(d.date.to_string()),
                        rusqlite::types::Value::Integer(*rowid),
                    ])
                });
            let mut out = page_of(rows.into_iter().map(|(d, _)| d).collect(), &page);
            out.next_cursor = next;
            Ok(out)
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

    fn events(&self, f: &EventFilter, order: EventOrder, page: PageReq) -> ApiResult<Page<Event>> {
        one_start(&page)?;
        self.with(|c| {
            if page.offset > 0 {
                let rows = c.store.events_ordered(&paged(f, &page), order);
                return Ok(page_of(rows.map_err(store_error)?, &page));
            }
            let k = c
                .store
                .events_after(f, order, page.cursor.as_deref(), page.limit)
                .map_err(store_error)?;
            Ok(keyset(k, &page))
        })
    }

    fn event(&self, id: &str) -> ApiResult<Option<Event>> {
        self.with(|c| c.store.event(id).map_err(store_error))
    }

    fn stories(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Story>> {
        one_start(&page)?;
        self.with(|c| {
            if page.offset > 0 {
                let rows = c.store.stories(&paged(f, &page));
                return Ok(page_of(rows.map_err(store_error)?, &page));
            }
            let k = c
                .store
                .stories_after(f, page.cursor.as_deref(), page.limit)
                .map_err(store_error)?;
            Ok(keyset(k, &page))
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
            let edges = c
                .store
                .network_with_conflict(f, level, max_edges)
                .map_err(store_error)?;
            let edges: Vec<Edge> = edges
                .into_iter()
                .map(|(e, conflict)| Edge {
                    conflict,
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
                (names.get(code).cloned().unwrap_or_default(), String::new())
            }))
        })
    }

    fn places(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<PlaceCount>> {
        self.with(|c| c.store.places(f, limit).map_err(store_error))
    }

    fn dyad_weeks(&self, f: &EventFilter) -> ApiResult<Vec<DyadWeek>> {
        self.with(|c| {
            let weeks = c.store.conflict_weeks(f).map_err(store_error)?;
            Ok(weeks
                .into_iter()
                .filter_map(|w| {
                    Some(DyadWeek {
                        week: chrono::NaiveDate::parse_from_str(&w.week, "%Y-%m-%d").ok()?,
                        source: w.src_country,
                        target: w.tgt_country,
                        count: w.count,
                        conflict_intensity: w.intensity,
                    })
                })
                .collect())
        })
    }

    fn fatalities(
        &self,
        f: &EventFilter,
        by: SeriesBy,
        period: Bucket,
    ) -> ApiResult<Vec<FatalityPoint>> {
        self.with(|c| c.store.fatality_series(f, by, period).map_err(store_error))
    }
}

/// A documents-list row and its rowid (the cursor's tie-breaker).
fn doc_summary(r: &rusqlite::Row) -> rusqlite::Result<(DocSummary, i64)> {
    let date: String = r.get(1)?;
    Ok((
        DocSummary {
            id: r.get(0)?,
            date: chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").unwrap_or_default(),
            title: r.get(2)?,
            source: r.get(3)?,
            url: r.get(4)?,
            bytes: r.get::<_, i64>(5)? as u64,
            events: r.get::<_, i64>(6)? as u64,
        },
        r.get(7)?,
    ))
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
