//! The `event_counts` summary: events counted per day, source and target country, type, quad
//! class and status, with the sum of their Goldstein scores. Series and country networks read it
//! instead of the events table when their filter allows (see `EventFilter::summary_ok`), so
//! their cost follows the number of distinct days × dyads × types, not the number of events.
//!
//! Every write path records what it changed ([`Touched`]), and the batch's changes are applied
//! when it ends, in the same transaction, so a crash rolls both back together. Events only
//! added are applied as deltas (one upsert per key, no read); a key that lost events (re-coding,
//! removal) is recounted from the events table instead, so the summary stays equal to a
//! recomputation however often documents are re-coded: counts exactly, Goldstein sums up to
//! floating-point rounding.

use rusqlite::{params, Transaction};
use std::collections::{BTreeMap, BTreeSet};

/// Separates the parts of a key packed into one string; no country code, date or event
/// type contains it.
pub(crate) const SEP: char = '\u{1f}';

/// The summary row an event counts in.
pub(crate) struct Key<'a> {
    pub src_country: &'a str,
    pub tgt_country: &'a str,
    pub date: &'a str,
    pub event: &'a str,
    pub quad: i64,
    pub status: &'a str,
}

/// Summary keys a batch changed, each packed as "src␟tgt␟date␟event␟quad␟status", so looking one up
/// builds no string; BTree order writes the table in (nearly) its key order.
#[derive(Default)]
pub(crate) struct Touched {
    /// Events added per key: count and Goldstein sum.
    added: BTreeMap<String, (i64, f64)>,
    /// Keys that lost events: recounted from the table.
    recount: BTreeSet<String>,
    /// Changes to the dyad-less daily totals, packed as "date␟event␟quad␟status": events added less
    /// events removed, and their Goldstein sum. Applied as deltas either way (the totals have
    /// no index to recount from cheaply); a row whose count drops to zero is deleted.
    totals: BTreeMap<String, (i64, f64)>,
    buf: String,
}

impl Touched {
    fn pack(&mut self, k: &Key) {
        use std::fmt::Write;
        self.buf.clear();
        let _ = write!(
            self.buf,
            "{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}{SEP}{}",
            k.src_country, k.tgt_country, k.date, k.event, k.quad, k.status
        );
    }

    /// An event was stored.
    pub fn added(&mut self, k: &Key, goldstein: f64) {
        self.pack(k);
        bump(&mut self.added, &self.buf, 1, goldstein);
        self.total(k, 1, goldstein);
    }

    fn total(&mut self, k: &Key, n: i64, goldstein: f64) {
        use std::fmt::Write;
        self.buf.clear();
        let (date, event, quad, status) = (k.date, k.event, k.quad, k.status);
        let _ = write!(self.buf, "{date}{SEP}{event}{SEP}{quad}{SEP}{status}");
        bump(&mut self.totals, &self.buf, n, goldstein);
    }

    /// An event was deleted.
    pub fn removed(&mut self, k: &Key, goldstein: f64) {
        self.pack(k);
        if !self.recount.contains(self.buf.as_str()) {
            self.recount.insert(self.buf.clone());
        }
        self.total(k, -1, -goldstein);
    }

    /// Writes the batch's changes: deltas for keys that only gained events, a recount (which
    /// already includes the batch's additions) for keys that lost some.
    pub fn flush(self, tx: &Transaction) -> rusqlite::Result<()> {
        let mut count = tx.prepare_cached(RECOUNT)?;
        let mut put = tx.prepare_cached(
            "INSERT INTO event_counts (src_country, tgt_country, date, event, quad_class, status, n, goldstein)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO UPDATE SET n = excluded.n, goldstein = excluded.goldstein",
        )?;
        let mut add = tx.prepare_cached(
            "INSERT INTO event_counts (src_country, tgt_country, date, event, quad_class, status, n, goldstein)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT DO UPDATE SET n = n + excluded.n, goldstein = goldstein + excluded.goldstein",
        )?;
        let mut del = tx.prepare_cached(
            "DELETE FROM event_counts WHERE src_country = ?1 AND tgt_country = ?2 AND date = ?3
               AND event = ?4 AND quad_class = ?5 AND status = ?6",
        )?;
        for (k, (n, sum)) in &self.added {
            if self.recount.contains(k) {
                continue;
            }
            let (s, t, d, e, q, st) = unpack(k);
            add.execute(params![s, t, d, e, q, st, n, sum])?;
        }
        let mut total = tx.prepare_cached(
            "INSERT INTO event_totals (date, event, quad_class, status, n, goldstein)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT DO UPDATE SET n = n + excluded.n, goldstein = goldstein + excluded.goldstein",
        )?;
        let mut emptied = tx.prepare_cached(
            "DELETE FROM event_totals WHERE date = ?1 AND event = ?2 AND quad_class = ?3
               AND status = ?4 AND n <= 0",
        )?;
        for (k, (n, sum)) in &self.totals {
            let mut it = k.split(SEP);
            let mut next = || it.next().unwrap_or("");
            let (d, e) = (next(), next());
            let q: i64 = next().parse().unwrap_or(0);
            let st = next();
            if *n == 0 && *sum == 0.0 {
                continue;
            }
            total.execute(params![d, e, q, st, n, sum])?;
            if *n <= 0 {
                emptied.execute(params![d, e, q, st])?;
            }
        }
        for k in &self.recount {
            let (s, t, d, e, q, st) = unpack(k);
            let key = params![s, t, d, e, q, st];
            let (n, sum): (i64, Option<f64>) =
                count.query_row(key, |r| Ok((r.get(0)?, r.get(1)?)))?;
            if n == 0 {
                del.execute(key)?;
            } else {
                put.execute(params![s, t, d, e, q, st, n, sum.unwrap_or(0.0)])?;
            }
        }
        Ok(())
    }
}

fn bump(map: &mut BTreeMap<String, (i64, f64)>, key: &str, n: i64, goldstein: f64) {
    match map.get_mut(key) {
        Some((c, g)) => {
            *c += n;
            *g += goldstein;
        }
        None => {
            map.insert(key.to_string(), (n, goldstein));
        }
    }
}

fn unpack(k: &str) -> (&str, &str, &str, &str, i64, &str) {
    let mut it = k.split(SEP);
    let mut next = || it.next().unwrap_or("");
    let (s, t, d, e) = (next(), next(), next(), next());
    let q = next().parse().unwrap_or(0);
    (s, t, d, e, q, next())
}

/// One key's count and Goldstein sum, from the events table.
const RECOUNT: &str = "SELECT count(*), sum(goldstein) FROM events
     WHERE src_country = ?1 AND tgt_country = ?2 AND date = ?3 AND event = ?4 AND quad_class = ?5
       AND status = ?6";

/// Fills the summary from scratch in the shape schema step 3 gave it (without status); step 5
/// recomputes it with status from the events, so this released step stays as it was.
pub(crate) fn rebuild(tx: &Transaction) -> rusqlite::Result<()> {
    tx.execute_batch(
        "DELETE FROM event_counts;
         INSERT INTO event_counts (src_country, tgt_country, date, event, quad_class, n, goldstein)
         SELECT src_country, tgt_country, date, event, quad_class, count(*), sum(goldstein)
         FROM events GROUP BY src_country, tgt_country, date, event, quad_class;",
    )
}

/// Differences between the summaries and a recount from the events table, worded for a test
/// or an integrity report; empty when they agree (counts exactly, sums to rounding).
pub(crate) fn differences(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut out = compare(
        conn,
        "event_counts",
        &[
            "src_country",
            "tgt_country",
            "date",
            "event",
            "quad_class",
            "status",
        ],
    )?;
    out.extend(compare(
        conn,
        "event_totals",
        &["date", "event", "quad_class", "status"],
    )?);
    Ok(out)
}

/// One summary `table` against a recount grouped by its key columns.
fn compare(
    conn: &rusqlite::Connection,
    table: &str,
    key: &[&str],
) -> rusqlite::Result<Vec<String>> {
    let cols = key.join(", ");
    let of = |t: &str| {
        key.iter()
            .map(|k| format!("{t}.{k}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut stmt = conn.prepare(&format!(
        "WITH fresh AS (
             SELECT {cols}, count(*) AS n, sum(goldstein) AS g FROM events GROUP BY {cols})
         SELECT {f}, f.n, f.g, c.n, c.goldstein
         FROM fresh f LEFT JOIN {table} c USING ({cols})
         WHERE c.n IS NOT f.n OR abs(c.goldstein - f.g) > 1e-9 * max(1.0, abs(f.g))
         UNION ALL
         SELECT {c}, NULL, NULL, c.n, c.goldstein
         FROM {table} c LEFT JOIN fresh f USING ({cols})
         WHERE f.n IS NULL",
        f = of("f"),
        c = of("c"),
    ))?;
    let mut out = Vec::new();
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let v = |i| -> rusqlite::Result<String> {
            Ok(format!("{:?}", r.get::<_, rusqlite::types::Value>(i)?))
        };
        let at = (0..key.len())
            .map(v)
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let k = key.len();
        out.push(format!(
            "{table} {}: events say n={} sum={}, {table} says n={} sum={}",
            at.join(" "),
            v(k)?,
            v(k + 1)?,
            v(k + 2)?,
            v(k + 3)?
        ));
    }
    Ok(out)
}
