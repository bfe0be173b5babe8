//! Fatalities: how many an event reports killed, and each story's count for totals per dyad
//! and period (`story_fatalities`). Never counts one act twice across the reports of a story.
//!
//! The convention (docs/store.md): an event's fatalities are the largest `killed` quantity the
//! coder found in it, as stated ("at least 12", "more than 12", "about 12" and "12" all count
//! 12; fractions are dropped), so "12 killed, including 3 children" is 12, not 15. A story —
//! the same act told by several reports — counts once, with the largest figure among its
//! asserted and reported events, on the date of the earliest of them. Other statuses
//! (hypothetical, planned, negated…) count nothing, as the dashboard counts by default.

use crate::totals::FACTUAL;
use rusqlite::{params, OptionalExtension, Transaction};
use sitrep_core::Event;
use std::collections::BTreeSet;

/// An event's fatalities under the convention above.
pub fn of_event(e: &Event) -> u64 {
    e.quantities
        .iter()
        .filter(|q| q.kind == "killed" && q.value.is_finite() && q.value >= 0.0)
        .map(|q| q.value.floor() as u64)
        .max()
        .unwrap_or(0)
}

/// Stories whose fatality row a batch may have changed: every story that gained or lost an
/// event with fatalities. Recounted from the events (through the partial index
/// `events_fatal`) when the batch ends.
#[derive(Default)]
pub(crate) struct Touched(BTreeSet<String>);

impl Touched {
    pub fn story(&mut self, story: Option<&str>, fatalities: i64) {
        if let Some(s) = story.filter(|_| fatalities > 0) {
            if !self.0.contains(s) {
                self.0.insert(s.to_string());
            }
        }
    }

    pub fn flush(self, tx: &Transaction) -> rusqlite::Result<()> {
        let mut count = tx.prepare_cached(STORY)?;
        let mut put = tx.prepare_cached(
            "INSERT INTO story_fatalities (story_id, src_country, tgt_country, date, fatalities)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT DO UPDATE SET src_country = excluded.src_country,
                 tgt_country = excluded.tgt_country, date = excluded.date,
                 fatalities = excluded.fatalities",
        )?;
        let mut del = tx.prepare_cached("DELETE FROM story_fatalities WHERE story_id = ?1")?;
        for id in &self.0 {
            let row: Option<(String, String, String, i64)> = count
                .query_row(params![id, FACTUAL[0], FACTUAL[1]], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
                })
                .optional()?;
            match row {
                Some((s, t, d, n)) => put.execute(params![id, s, t, d, n])?,
                None => del.execute([id])?,
            };
        }
        Ok(())
    }
}

/// One story's row, from its counted events with fatalities (none: no row).
const STORY: &str = "SELECT src_country, tgt_country, min(date), max(fatalities) FROM events
     WHERE story_id = ?1 AND fatalities > 0 AND status IN (?2, ?3)
     GROUP BY story_id";

/// Every story's row, as `STORY` gives it one by one.
const FRESH: &str = "SELECT story_id, min(src_country) AS src_country,
        min(tgt_country) AS tgt_country, min(date) AS date, max(fatalities) AS fatalities
     FROM events WHERE fatalities > 0 AND story_id IS NOT NULL
       AND status IN ('asserted', 'reported')
     GROUP BY story_id";

/// Fills `story_fatalities` from the events (schema step 6, and after stories are regrouped).
pub(crate) fn rebuild(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(&format!(
        "DELETE FROM story_fatalities;
         INSERT INTO story_fatalities (story_id, src_country, tgt_country, date, fatalities)
         SELECT story_id, src_country, tgt_country, date, fatalities FROM ({FRESH});"
    ))
}

/// Fills the events' fatality column from their JSON (schema step 6). Only events whose JSON
/// names a `killed` quantity can have any, so the others are not parsed.
pub(crate) fn backfill_column(tx: &Transaction) -> rusqlite::Result<()> {
    let mut read =
        tx.prepare("SELECT rowid, json FROM events WHERE json LIKE '%\"kind\":\"killed\"%'")?;
    let mut set = tx.prepare("UPDATE events SET fatalities = ?1 WHERE rowid = ?2")?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let rowid: i64 = r.get(0)?;
        let Ok(e) = serde_json::from_str::<Event>(r.get_ref(1)?.as_str()?) else {
            continue;
        };
        let n = of_event(&e) as i64;
        if n > 0 {
            set.execute(params![n, rowid])?;
        }
    }
    Ok(())
}

/// Differences between `story_fatalities` and a recount; empty when they agree.
pub(crate) fn differences(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let q = format!(
        "WITH f AS ({FRESH})
         SELECT story_id, f.fatalities, s.fatalities FROM f LEFT JOIN story_fatalities s
             USING (story_id)
         WHERE s.fatalities IS NOT f.fatalities OR s.date IS NOT f.date
            OR s.src_country IS NOT f.src_country OR s.tgt_country IS NOT f.tgt_country
         UNION ALL
         SELECT story_id, NULL, s.fatalities FROM story_fatalities s LEFT JOIN f USING (story_id)
         WHERE f.fatalities IS NULL"
    );
    let mut stmt = conn.prepare(&q)?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "story_fatalities {}: events say {:?}, summary says {:?}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?,
            r.get::<_, Option<i64>>(2)?
        ))
    })?;
    rows.collect()
}
