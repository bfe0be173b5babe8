//! The `event_counts` summary: events counted per day, source and target country, type and
//! quad class, with the sum of their Goldstein scores. Series and country networks read it
//! instead of the events table when their filter allows (see `EventFilter::summary_ok`), so
//! their cost follows the number of distinct days × dyads × types, not the number of events.
//!
//! Every write path records the keys it changed ([`Touched`]); when the batch ends, each such
//! key is recounted from the events table in the same transaction. Recounting (rather than
//! adding deltas) keeps the summary exactly equal to a recomputation, however often documents
//! are re-coded, and a crash rolls both back together.

use rusqlite::{params, Transaction};
use std::collections::BTreeSet;

/// One summary row's key; ordered as the table's primary key, so a batch writes in key order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    src_country: String,
    tgt_country: String,
    date: String,
    event: String,
    quad_class: i64,
}

/// Summary keys a batch changed.
#[derive(Default)]
pub(crate) struct Touched {
    keys: BTreeSet<Key>,
}

impl Touched {
    pub fn add(
        &mut self,
        src_country: &str,
        tgt_country: &str,
        date: &str,
        event: &str,
        quad: i64,
    ) {
        self.keys.insert(Key {
            src_country: src_country.to_string(),
            tgt_country: tgt_country.to_string(),
            date: date.to_string(),
            event: event.to_string(),
            quad_class: quad,
        });
    }

    /// Recounts every touched key from the events table (through the covering dyad index)
    /// and writes the result, deleting rows whose events are all gone.
    pub fn flush(self, tx: &Transaction) -> rusqlite::Result<()> {
        let mut count = tx.prepare_cached(RECOUNT)?;
        let mut put = tx.prepare_cached(
            "INSERT INTO event_counts (src_country, tgt_country, date, event, quad_class, n, goldstein)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT DO UPDATE SET n = excluded.n, goldstein = excluded.goldstein",
        )?;
        let mut del = tx.prepare_cached(
            "DELETE FROM event_counts WHERE src_country = ?1 AND tgt_country = ?2 AND date = ?3
               AND event = ?4 AND quad_class = ?5",
        )?;
        for k in &self.keys {
            let key = params![k.src_country, k.tgt_country, k.date, k.event, k.quad_class];
            let (n, sum): (i64, Option<f64>) =
                count.query_row(key, |r| Ok((r.get(0)?, r.get(1)?)))?;
            if n == 0 {
                del.execute(key)?;
            } else {
                put.execute(params![
                    k.src_country,
                    k.tgt_country,
                    k.date,
                    k.event,
                    k.quad_class,
                    n,
                    sum.unwrap_or(0.0)
                ])?;
            }
        }
        Ok(())
    }
}

/// One key's count and Goldstein sum, from the events table.
const RECOUNT: &str = "SELECT count(*), sum(goldstein) FROM events
     WHERE src_country = ?1 AND tgt_country = ?2 AND date = ?3 AND event = ?4 AND quad_class = ?5";

/// Fills the summary from scratch (the schema step that introduces it).
pub(crate) fn rebuild(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM event_counts;
         INSERT INTO event_counts (src_country, tgt_country, date, event, quad_class, n, goldstein)
         SELECT src_country, tgt_country, date, event, quad_class, count(*), sum(goldstein)
         FROM events GROUP BY src_country, tgt_country, date, event, quad_class;",
    )
}

/// Differences between the summary and a recount from the events table, worded for a test or
/// an integrity report; empty when they agree (counts exactly, sums to rounding).
pub(crate) fn differences(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare(
        "WITH fresh AS (
             SELECT src_country, tgt_country, date, event, quad_class, count(*) AS n,
                    sum(goldstein) AS g
             FROM events GROUP BY src_country, tgt_country, date, event, quad_class)
         SELECT f.src_country, f.tgt_country, f.date, f.event, f.quad_class, f.n, f.g, c.n, c.goldstein
         FROM fresh f LEFT JOIN event_counts c USING (src_country, tgt_country, date, event, quad_class)
         WHERE c.n IS NOT f.n OR abs(c.goldstein - f.g) > 1e-9 * max(1.0, abs(f.g))
         UNION ALL
         SELECT c.src_country, c.tgt_country, c.date, c.event, c.quad_class, NULL, NULL, c.n, c.goldstein
         FROM event_counts c LEFT JOIN fresh f USING (src_country, tgt_country, date, event, quad_class)
         WHERE f.n IS NULL",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v = |i| -> rusqlite::Result<String> {
            Ok(format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?))
        };
        out.push(format!(
            "summary {}-{} {} {} q{}: events say n={} sum={}, summary says n={} sum={}",
            v(0)?,
            v(1)?,
            v(2)?,
            v(3)?,
            v(4)?,
            v(5)?,
            v(6)?,
            v(7)?,
            v(8)?
        ));
    }
    Ok(out)
}
