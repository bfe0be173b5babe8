//! Reading: the query API the CLI and the HTTP server share. Signatures here are a contract
//! with `sitrep-server`; extend with new functions rather than change these.

use crate::error::{Result, StoreError};
use crate::filter::EventFilter;
use crate::Store;
use rusqlite::params_from_iter;
use serde::{Deserialize, Serialize};
use sitrep_core::{Document, Event};

/// Time bucket of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    /// ISO weeks, labelled by their Monday.
    Week,
    /// Labelled YYYY-MM.
    Month,
}

impl Bucket {
    fn sql(self, col: &str) -> String {
        match self {
            Bucket::Day => col.to_string(),
            Bucket::Week => format!("date({col}, 'weekday 0', '-6 days')"),
            Bucket::Month => format!("substr({col}, 1, 7)"),
        }
    }
}

/// What a series is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeriesBy {
    /// One series over all matching events (key "").
    Total,
    /// Per source-target country pair (key "SRC-TGT").
    Dyad,
    /// Per actor code on either side (key "ISR GOV").
    Actor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    pub key: String,
    pub period: String,
    pub count: u64,
    pub mean_goldstein: f64,
}

/// A period of a series with its events per quad class (verbal cooperation, material
/// cooperation, verbal conflict, material conflict).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuadPoint {
    pub period: String,
    pub count: u64,
    pub mean_goldstein: f64,
    pub quad: [u64; 4],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub id: String,
    pub event: String,
    pub src_country: String,
    pub tgt_country: String,
    pub first_date: String,
    pub last_date: String,
    pub n_events: u64,
    pub n_documents: u64,
    /// Distinct named sources (outlets); documents without a source are not counted.
    pub n_sources: u64,
    pub mean_goldstein: f64,
}

/// Whether network nodes are countries or full actor codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NodeLevel {
    Country,
    Actor,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub count: u64,
    pub mean_goldstein: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceCount {
    pub place: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    pub count: u64,
    pub mean_goldstein: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActorCount {
    pub code: String,
    pub country: String,
    pub sector: String,
    pub kb: String,
    pub text: String,
    pub events: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub documents: u64,
    pub events: u64,
    pub actors: u64,
    pub stories: u64,
}

/// An event with what the store knows around it (for exports and detail views).
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    pub rowid: i64,
    pub event: Event,
    pub coder_version: String,
    pub story_id: Option<String>,
    pub story_documents: u64,
    pub story_sources: u64,
    pub doc_source: Option<String>,
    pub doc_url: Option<String>,
}

/// Where an aggregate reads from: the events themselves, or the per-day summary, which has the
/// same column names for everything a summary-eligible filter tests (both go by `e`).
struct Source {
    table: &'static str,
    count: &'static str,
    mean: &'static str,
    /// How many events one row stands for.
    one: &'static str,
}

impl Source {
    const EVENTS: Source = Source {
        table: "events",
        count: "count(*)",
        mean: "avg(e.goldstein)",
        one: "1",
    };
    const SUMMARY: Source = Source {
        table: "event_counts",
        count: "sum(e.n)",
        mean: "sum(e.goldstein) / sum(e.n)",
        one: "e.n",
    };

    const PAIRS: Source = Source {
        table: "pair_totals",
        count: "sum(e.n)",
        mean: "sum(e.goldstein) / sum(e.n)",
        one: "e.n",
    };

    const TOTALS: Source = Source {
        table: "event_totals",
        count: "sum(e.n)",
        mean: "sum(e.goldstein) / sum(e.n)",
        one: "e.n",
    };

    fn for_filter(f: &EventFilter) -> Source {
        if f.summary_ok() {
            Source::SUMMARY
        } else {
            Source::EVENTS
        }
    }

    /// For aggregates that keep no dyad: the daily totals when the filter names no dyad either.
    fn for_totals(f: &EventFilter) -> Source {
        if f.summary_ok() && f.dyad.is_none() {
            Source::TOTALS
        } else {
            Source::for_filter(f)
        }
    }
}

impl Store {
    pub fn counts(&self) -> Result<Counts> {
        let n = |t: &str| -> Result<u64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map(|v| v as u64)
                .map_err(|e| self.err(e))
        };
        Ok(Counts {
            documents: n("documents")?,
            events: n("events")?,
            actors: n("actors")?,
            stories: n("stories")?,
        })
    }

    /// Matching events, by date then storage order, exactly as the coder produced them.
    pub fn events(&self, f: &EventFilter) -> Result<Vec<Event>> {
        let mut out = Vec::new();
        self.for_each_event(f, |row| {
            out.push(row.event);
            Ok(())
        })?;
        Ok(out)
    }

    pub fn event(&self, id: &str) -> Result<Option<Event>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT json FROM events WHERE id = ?1")
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query([id]).map_err(|e| self.err(e))?;
        match rows.next().map_err(|e| self.err(e))? {
            Some(r) => {
                let json: String = r.get(0).map_err(|e| self.err(e))?;
                Ok(Some(self.parse_event(id, &json)?))
            }
            None => Ok(None),
        }
    }

    /// Streams matching events with their story and document context, without holding them
    /// all in memory (exports of millions of events).
    pub fn for_each_event(
        &self,
        f: &EventFilter,
        mut each: impl FnMut(EventRow) -> Result<()>,
    ) -> Result<()> {
        let sql = f.to_sql()?;
        let q = format!(
            "SELECT e.rowid, e.id, e.json, e.coder_version, e.story_id,
                    coalesce(s.n_documents, 0), coalesce(s.n_sources, 0), d.source, d.url
             FROM events e
             JOIN documents d ON d.rowid = e.doc_rowid
             LEFT JOIN stories s ON s.id = e.story_id
             WHERE {} ORDER BY e.date, e.rowid{}",
            sql.clause,
            f.limit_sql()
        );
        let mut stmt = self.conn.prepare(&q).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params_from_iter(sql.params.iter()))
            .map_err(|e| self.err(e))?;
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            let get = |i| -> Result<String> { r.get(i).map_err(|e| self.err(e)) };
            let id = get(1)?;
            let event = self.parse_event(&id, &get(2)?)?;
            let row = EventRow {
                rowid: r.get(0).map_err(|e| self.err(e))?,
                event,
                coder_version: get(3)?,
                story_id: r.get(4).map_err(|e| self.err(e))?,
                story_documents: r.get::<_, i64>(5).map_err(|e| self.err(e))? as u64,
                story_sources: r.get::<_, i64>(6).map_err(|e| self.err(e))? as u64,
                doc_source: r.get(7).map_err(|e| self.err(e))?,
                doc_url: r.get(8).map_err(|e| self.err(e))?,
            };
            each(row)?;
        }
        Ok(())
    }

    /// Stories with at least one matching event, earliest first.
    pub fn stories(&self, f: &EventFilter) -> Result<Vec<Story>> {
        let sql = f.to_sql()?;
        let q = format!(
            "SELECT id, event, src_country, tgt_country, first_date, last_date, n_events,
                    n_documents, n_sources, goldstein
             FROM stories WHERE id IN (SELECT e.story_id FROM events e WHERE {})
             ORDER BY first_date, id{}",
            sql.clause,
            f.limit_sql()
        );
        self.rows(&q, &sql.params, story_from_row)
    }

    /// Counts and mean Goldstein per period, split by `by`; ordered by key then period.
    pub fn series(
        &self,
        f: &EventFilter,
        by: SeriesBy,
        bucket: Bucket,
    ) -> Result<Vec<SeriesPoint>> {
        let sql = f.to_sql()?;
        let src = match by {
            SeriesBy::Total => Source::for_totals(f),
            _ => Source::for_filter(f),
        };
        let q = match by {
            SeriesBy::Total => format!(
                "SELECT '', {b} AS p, {n}, {mean} FROM {t} e WHERE {w}
                 GROUP BY p ORDER BY p",
                b = bucket.sql("e.date"),
                n = src.count,
                mean = src.mean,
                t = src.table,
                w = sql.clause
            ),
            SeriesBy::Dyad => format!(
                "SELECT e.src_country || '-' || e.tgt_country AS k, {b} AS p, {n}, {mean}
                 FROM {t} e WHERE {w} GROUP BY k, p ORDER BY k, p",
                b = bucket.sql("e.date"),
                n = src.count,
                mean = src.mean,
                t = src.table,
                w = sql.clause
            ),
            SeriesBy::Actor => {
                // With an actor filter, only that actor's own series, not its counterparts'.
                let actor_only = match sql.actor_params {
                    Some((u, k, l)) => format!(
                        " AND (a.code = ?{u} OR a.country = ?{u} OR a.kb = ?{k} OR a.text LIKE ?{l} ESCAPE '\\')"
                    ),
                    None => String::new(),
                };
                format!(
                    "SELECT a.code AS k, {b} AS p, count(DISTINCT ea.event_rowid), avg(ea.goldstein)
                     FROM event_actors ea JOIN actors a ON a.rowid = ea.actor_rowid
                     JOIN events e ON e.rowid = ea.event_rowid
                     WHERE {w}{actor_only} GROUP BY k, p ORDER BY k, p",
                    b = bucket.sql("ea.date"),
                    w = sql.clause
                )
            }
        };
        self.rows(&q, &sql.params, |r| {
            Ok(SeriesPoint {
                key: r.get(0)?,
                period: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
                mean_goldstein: r.get(3)?,
            })
        })
    }

    /// One series over all matching events with its split by quad class, in one pass (one
    /// query rather than one per class: over the summary or a large table that is 4× less work).
    pub fn series_by_quad(&self, f: &EventFilter, bucket: Bucket) -> Result<Vec<QuadPoint>> {
        let sql = f.to_sql()?;
        let src = Source::for_totals(f);
        let per_quad: Vec<String> = (1..=4)
            .map(|q| {
                format!(
                    "sum(CASE WHEN e.quad_class = {q} THEN {} ELSE 0 END)",
                    src.one
                )
            })
            .collect();
        let q = format!(
            "SELECT {b} AS p, {n}, {mean}, {qs} FROM {t} e WHERE {w} GROUP BY p ORDER BY p",
            b = bucket.sql("e.date"),
            n = src.count,
            mean = src.mean,
            qs = per_quad.join(", "),
            t = src.table,
            w = sql.clause
        );
        self.rows(&q, &sql.params, |r| {
            let mut quad = [0u64; 4];
            for (i, slot) in quad.iter_mut().enumerate() {
                *slot = r.get::<_, i64>(3 + i)? as u64;
            }
            Ok(QuadPoint {
                period: r.get(0)?,
                count: r.get::<_, i64>(1)? as u64,
                mean_goldstein: r.get(2)?,
                quad,
            })
        })
    }

    /// One dyad's series: the dashboard's main chart, served from the summary (or, with filters
    /// it does not keep, from the covering dyad index).
    pub fn dyad_series(
        &self,
        src: &str,
        tgt: &str,
        bucket: Bucket,
        f: &EventFilter,
    ) -> Result<Vec<SeriesPoint>> {
        let f = EventFilter {
            dyad: Some((src.to_string(), tgt.to_string())),
            ..f.clone()
        };
        let mut pts = self.series(&f, SeriesBy::Total, bucket)?;
        let key = format!(
            "{}-{}",
            src.trim().to_ascii_uppercase(),
            tgt.trim().to_ascii_uppercase()
        );
        for p in &mut pts {
            p.key = key.clone();
        }
        Ok(pts)
    }

    /// Who acts on whom: edges between first source and first target, heaviest first.
    pub fn network(&self, f: &EventFilter, level: NodeLevel, limit: usize) -> Result<Vec<Edge>> {
        let edges = self.network_with_conflict(f, level, limit)?;
        Ok(edges.into_iter().map(|(e, _)| e).collect())
    }

    /// As `network`, each edge with how many of its events are conflict (quad class 3 or 4),
    /// counted in the same pass.
    pub fn network_with_conflict(
        &self,
        f: &EventFilter,
        level: NodeLevel,
        limit: usize,
    ) -> Result<Vec<(Edge, u64)>> {
        if let Some(out) = self.network_by_months(f, level, limit)? {
            return Ok(out);
        }
        let sql = f.to_sql()?;
        let (s, t, src, level_cond) = match (level, f.undated_ok()) {
            // Only statuses and quad classes: the undated pair totals.
            (NodeLevel::Country, true) => ("e.src", "e.tgt", Source::PAIRS, " AND e.level = 'c'"),
            (NodeLevel::Actor, true) => ("e.src", "e.tgt", Source::PAIRS, " AND e.level = 'a'"),
            (NodeLevel::Country, false) => {
                ("e.src_country", "e.tgt_country", Source::for_filter(f), "")
            }
            (NodeLevel::Actor, false) => ("e.src_code", "e.tgt_code", Source::EVENTS, ""),
        };
        let q = format!(
            "SELECT {s}, {t}, {n} AS n, {mean},
                    sum(CASE WHEN e.quad_class >= 3 THEN {one} ELSE 0 END)
             FROM {tab} e
             WHERE {w}{level_cond} AND {s} <> '' AND {t} <> ''
             GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT {limit}",
            n = src.count,
            mean = src.mean,
            one = src.one,
            tab = src.table,
            w = sql.clause
        );
        self.rows(&q, &sql.params, |r| {
            let edge = Edge {
                source: r.get(0)?,
                target: r.get(1)?,
                count: r.get::<_, i64>(2)? as u64,
                mean_goldstein: r.get(3)?,
            };
            Ok((edge, r.get::<_, i64>(4)? as u64))
        })
    }

    /// Where events happen: one row per named place, busiest first.
    pub fn places(&self, f: &EventFilter, limit: usize) -> Result<Vec<PlaceCount>> {
        if let Some(out) = self.places_by_summary(f, limit)? {
            return Ok(out);
        }
        let sql = f.to_sql()?;
        let q = format!(
            "SELECT e.place, coalesce(e.place_country, ''), avg(e.lat), avg(e.lon),
                    count(*) AS n, avg(e.goldstein)
             FROM events e WHERE {w} AND e.place IS NOT NULL
             GROUP BY e.place, e.place_country ORDER BY n DESC, 1 LIMIT {limit}",
            w = sql.clause
        );
        self.rows(&q, &sql.params, |r| {
            Ok(PlaceCount {
                place: r.get(0)?,
                country: r.get(1)?,
                lat: r.get(2)?,
                lon: r.get(3)?,
                count: r.get::<_, i64>(4)? as u64,
                mean_goldstein: r.get(5)?,
            })
        })
    }

    /// Actors whose code, country, KB id or name matches `q` (empty: all), most active first.
    pub fn actors(&self, q: &str, limit: usize) -> Result<Vec<ActorCount>> {
        let q = q.trim();
        let sql = format!(
            "SELECT a.code, a.country, a.sector, a.kb, a.text,
                    (SELECT count(DISTINCT event_rowid) FROM event_actors WHERE actor_rowid = a.rowid) AS n
             FROM actors a
             WHERE ?1 = '' OR a.code = upper(?1) OR a.country = upper(?1) OR a.kb = ?1
                   OR a.text LIKE '%' || ?2 || '%' ESCAPE '\\'
             ORDER BY n DESC, a.code, a.text LIMIT {limit}"
        );
        // `%` and `_` in a name are letters, not wildcards: a search for "%" must not list all.
        let literal = crate::filter::escape_like(q);
        let args = [
            rusqlite::types::Value::Text(q.to_string()),
            rusqlite::types::Value::Text(literal),
        ];
        self.rows(&sql, &args, |r| {
            Ok(ActorCount {
                code: r.get(0)?,
                country: r.get(1)?,
                sector: r.get(2)?,
                kb: r.get(3)?,
                text: r.get(4)?,
                events: r.get::<_, i64>(5)? as u64,
            })
        })
    }

    /// A stored document, as read at ingest.
    pub fn document(&self, id: &str) -> Result<Option<Document>> {
        let mut docs =
            self.documents_where("id = ?1", &[rusqlite::types::Value::Text(id.into())])?;
        Ok(docs.pop())
    }

    /// Documents in storage order, `limit` at a time after `after_rowid` (0 to start); returns
    /// each with its rowid so callers can page through millions without OFFSET scans.
    pub fn documents_page(&self, after_rowid: i64, limit: usize) -> Result<Vec<(i64, Document)>> {
        let q = format!(
            "SELECT rowid, id, date, source, url, title, text FROM documents
             WHERE rowid > ?1 ORDER BY rowid LIMIT {limit}"
        );
        self.rows(&q, &[rusqlite::types::Value::Integer(after_rowid)], |r| {
            Ok((r.get(0)?, doc_from_row(r, 1)?))
        })
    }

    fn documents_where(
        &self,
        cond: &str,
        params: &[rusqlite::types::Value],
    ) -> Result<Vec<Document>> {
        let q = format!("SELECT id, date, source, url, title, text FROM documents WHERE {cond}");
        self.rows(&q, params, |r| doc_from_row(r, 0))
    }

    pub(crate) fn rows<T>(
        &self,
        q: &str,
        params: &[rusqlite::types::Value],
        f: impl FnMut(&rusqlite::Row) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(q).map_err(|e| self.err(e))?;
        let it = stmt
            .query_map(params_from_iter(params.iter()), f)
            .map_err(|e| self.err(e))?;
        it.collect::<rusqlite::Result<Vec<T>>>()
            .map_err(|e| self.err(e))
    }

    pub(crate) fn parse_event(&self, id: &str, json: &str) -> Result<Event> {
        serde_json::from_str(json).map_err(|e| StoreError::BadRow {
            path: self.path.clone(),
            id: id.to_string(),
            detail: e.to_string(),
        })
    }
}

/// A story from the ten columns `stories` lists, in its order.
pub(crate) fn story_from_row(r: &rusqlite::Row) -> rusqlite::Result<Story> {
    Ok(Story {
        id: r.get(0)?,
        event: r.get(1)?,
        src_country: r.get(2)?,
        tgt_country: r.get(3)?,
        first_date: r.get(4)?,
        last_date: r.get(5)?,
        n_events: r.get::<_, i64>(6)? as u64,
        n_documents: r.get::<_, i64>(7)? as u64,
        n_sources: r.get::<_, i64>(8)? as u64,
        mean_goldstein: r.get(9)?,
    })
}

fn doc_from_row(r: &rusqlite::Row, at: usize) -> rusqlite::Result<Document> {
    let date: String = r.get(at + 1)?;
    let date = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(at + 1, rusqlite::types::Type::Text, Box::new(e))
    })?;
    Ok(Document {
        id: r.get(at)?,
        date,
        source: r.get(at + 2)?,
        url: r.get(at + 3)?,
        title: r.get(at + 4)?,
        text: r.get(at + 5)?,
    })
}
