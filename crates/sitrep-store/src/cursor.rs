//! Keyset paging: a page ends on a cursor naming its last row's sort key, and the next page
//! starts strictly after it through the index, so page N costs what page 1 costs (OFFSET
//! walks every row before the page). Never a row skipped or repeated while nothing is written.
//!
//! A cursor is opaque to clients: the hex of a JSON array of the key's values.

use crate::error::{Result, StoreError};
use crate::filter::EventFilter;
use crate::order::EventOrder;
use crate::query::Story;
use crate::Store;
use rusqlite::types::Value;
use sitrep_core::Event;

/// Encodes a sort key's values as a cursor.
pub fn encode(parts: &[Value]) -> String {
    let json: Vec<serde_json::Value> = parts
        .iter()
        .map(|v| match v {
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Real(f) => serde_json::Value::from(*f),
            Value::Text(s) => serde_json::Value::from(s.as_str()),
            _ => serde_json::Value::Null,
        })
        .collect();
    let s = serde_json::Value::Array(json).to_string();
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// The values of a cursor made by [`encode`], `n` of them; a clear error otherwise.
pub fn decode(cursor: &str, n: usize) -> Result<Vec<Value>> {
    let bad = || StoreError::BadQuery(format!("cursor `{cursor:.40}` is not one this server gave"));
    if !cursor.len().is_multiple_of(2) || cursor.len() > 4096 {
        return Err(bad());
    }
    let bytes: Vec<u8> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| bad())?;
    let parts: Vec<serde_json::Value> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if parts.len() != n {
        return Err(bad());
    }
    parts
        .into_iter()
        .map(|p| match p {
            serde_json::Value::String(s) => Ok(Value::Text(s)),
            serde_json::Value::Number(x) if x.is_i64() => {
                Ok(Value::Integer(x.as_i64().unwrap_or(0)))
            }
            serde_json::Value::Number(x) => Ok(Value::Real(x.as_f64().unwrap_or(0.0))),
            _ => Err(bad()),
        })
        .collect()
}

/// Numbers `?` marks from `first` on, as the filter's SQL does.
fn marks(cond: &str, first: usize) -> String {
    let mut out = String::new();
    let mut i = first;
    for part in cond.split('?') {
        if !out.is_empty() || cond.starts_with('?') {
            out.push_str(&format!("?{i}"));
            i += 1;
        }
        out.push_str(part);
    }
    out
}

/// Matches above which a text search walks the date index (see `text_is_common`): sorting
/// this many rows costs ~20 ms, and with more, the walk meets a page of matches within a few
/// thousand index entries even at ten million events.
const COMMON_MATCHES: i64 = 5000;

/// One page of rows and the cursor of its last row (None: no row, or the page is short).
pub struct KeysetPage<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl Store {
    /// Matching events in `order`, `limit` after `cursor` (from a previous page; None: the
    /// first page). Asks for one more row to learn whether another page follows.
    pub fn events_after(
        &self,
        f: &EventFilter,
        order: EventOrder,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<KeysetPage<Event>> {
        let sql = f.to_sql()?;
        let mut params = sql.params.clone();
        let col = order.key_column();
        let mut clause = sql.clause.clone();
        if let Some(c) = cursor {
            let n = if col.is_some() { 3 } else { 2 };
            let vals = decode(c, n)?;
            let rel = if order.descending { "<" } else { ">" };
            let cond = match col {
                None => format!("(e.date, e.rowid) {rel} (?, ?)"),
                Some(c) => format!("({c} {rel} ? OR ({c} = ? AND (e.date, e.rowid) < (?, ?)))"),
            };
            let vals = match col {
                None => vals,
                Some(_) => vec![
                    vals[0].clone(),
                    vals[0].clone(),
                    vals[1].clone(),
                    vals[2].clone(),
                ],
            };
            clause = format!("{clause} AND {}", marks(&cond, params.len() + 1));
            params.extend(vals);
        }
        let from = if col.is_none() && self.text_is_common(f)? {
            "events e INDEXED BY events_date"
        } else {
            "events e"
        };
        let q = format!(
            "SELECT e.id, e.json, e.date, e.rowid, {} FROM {from} WHERE {clause}
             ORDER BY {} LIMIT {}",
            col.unwrap_or("NULL"),
            order.order_sql(),
            limit + 1
        );
        let rows = self.rows(&q, &params, |r| {
            let key: Vec<Value> = match col {
                Some(_) => vec![r.get(4)?, r.get(2)?, r.get(3)?],
                None => vec![r.get(2)?, r.get(3)?],
            };
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, key))
        })?;
        let more = rows.len() > limit;
        let mut items = Vec::with_capacity(rows.len().min(limit));
        let mut last = None;
        for (id, json, key) in rows.into_iter().take(limit) {
            items.push(self.parse_event(&id, &json)?);
            last = Some(key);
        }
        let next_cursor = last.filter(|_| more).map(|k| encode(&k));
        Ok(KeysetPage { items, next_cursor })
    }

    /// Whether a text filter matches so many events that walking the date index and testing
    /// each event against the matches finds a page sooner than sorting all matches by date.
    /// SQLite's planner does the latter: at a million events a common word ("attacked", 62,000
    /// matches) then reads 62,000 rows to keep 20. A rare word is best served that way still,
    /// and so are the other selective filters, which the walk would test row by row.
    fn text_is_common(&self, f: &EventFilter) -> Result<bool> {
        let Some(t) = &f.text else { return Ok(false) };
        if f.actor.is_some() || f.place.is_some() || f.story.is_some() || f.doc_id.is_some() {
            return Ok(false);
        }
        let q = crate::filter::fts_query(t)?;
        self.conn
            .query_row(
                "SELECT count(*) FROM (SELECT 1 FROM evidence_fts WHERE evidence_fts MATCH ?1
                 LIMIT ?2)",
                rusqlite::params![q, COMMON_MATCHES + 1],
                |r| r.get::<_, i64>(0),
            )
            .map(|n| n > COMMON_MATCHES)
            .map_err(|e| self.err(e))
    }

    /// Stories with at least one matching event, earliest first, `limit` after `cursor`. A
    /// filter of statuses, types, quad classes and dates walks the stories in order and checks
    /// each for a matching event (the first page of any filter costs a page); other filters
    /// find their events first.
    pub fn stories_after(
        &self,
        f: &EventFilter,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<KeysetPage<Story>> {
        let sql = f.to_sql()?;
        let mut params = sql.params.clone();
        let mut conds = Vec::new();
        if sql.clause != "1" {
            conds.push(if f.summary_ok() && f.dyad.is_none() {
                format!(
                    "EXISTS (SELECT 1 FROM events e WHERE e.story_id = s.id AND {})",
                    sql.clause
                )
            } else {
                format!(
                    "s.id IN (SELECT e.story_id FROM events e WHERE {})",
                    sql.clause
                )
            });
        }
        if let Some(c) = cursor {
            let vals = decode(c, 2)?;
            conds.push(marks("(s.first_date, s.id) > (?, ?)", params.len() + 1));
            params.extend(vals);
        }
        let w = if conds.is_empty() {
            "1".to_string()
        } else {
            conds.join(" AND ")
        };
        let q = format!(
            "SELECT s.id, s.event, s.src_country, s.tgt_country, s.first_date, s.last_date,
                    s.n_events, s.n_documents, s.n_sources, s.goldstein
             FROM stories s WHERE {w} ORDER BY s.first_date, s.id LIMIT {}",
            limit + 1
        );
        let mut items = self.rows(&q, &params, crate::query::story_from_row)?;
        let more = items.len() > limit;
        items.truncate(limit);
        let next_cursor = items
            .last()
            .filter(|_| more)
            .map(|s| encode(&[Value::Text(s.first_date.clone()), Value::Text(s.id.clone())]));
        Ok(KeysetPage { items, next_cursor })
    }
}
