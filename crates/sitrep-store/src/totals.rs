//! The panel summaries of schema version 6: edges per country pair and per actor-code pair
//! (`pair_totals`), events per named place (`place_totals`) and conflict per dyad and ISO week
//! (`conflict_weeks`); and of version 7, the pairs and places again per calendar month
//! (`pair_months`, `place_months`), so a date range sums months instead of reading events
//! (`dated.rs`). They never hold a row with no event behind it.
//!
//! Each batch adds and subtracts its events' contributions as signed deltas (one upsert per
//! key and batch, in the batch's transaction) and drops rows that reach zero, so counts stay
//! exact under re-ingest and re-coding; sums (Goldstein, coordinates) up to rounding. The
//! conflict weeks keep both quad classes in one row, so the escalation view reads one row per
//! dyad-week. Reading
//! one of them costs the number of distinct keys, not the number of events.

use rusqlite::{params, Transaction};
use std::collections::BTreeMap;

use crate::counts::SEP;

/// What a stored event contributes to the summaries; the same fields whether it is being
/// added or removed.
pub(crate) struct Contribution<'a> {
    pub src_code: &'a str,
    pub src_country: &'a str,
    pub tgt_code: &'a str,
    pub tgt_country: &'a str,
    pub date: &'a str,
    pub quad: i64,
    pub status: &'a str,
    pub goldstein: f64,
    /// Name, country, latitude, longitude of a named place.
    pub place: Option<(&'a str, &'a str, f64, f64)>,
}

/// The statuses counted as "what happened": the escalation view's conflict weeks keep only
/// these, as the dashboard counts by default.
pub const FACTUAL: [&str; 2] = ["asserted", "reported"];

/// A row's value columns, in the order of its table's `values`: counts and sums (a count is
/// whole, but kept beside the sums so one delta type serves every table).
type Sums = [f64; 4];

/// One batch's deltas, per table, keyed by the packed key columns.
#[derive(Default)]
pub(crate) struct Deltas {
    pairs: BTreeMap<String, Sums>,
    places: BTreeMap<String, Sums>,
    weeks: BTreeMap<String, Sums>,
    pair_months: BTreeMap<String, Sums>,
    place_months: BTreeMap<String, Sums>,
}

fn pack(parts: &[&str]) -> String {
    parts.join(&SEP.to_string())
}

fn bump(map: &mut BTreeMap<String, Sums>, key: String, sign: i64, v: Sums) {
    let s = map.entry(key).or_default();
    for (acc, x) in s.iter_mut().zip(v) {
        *acc += sign as f64 * x;
    }
}

/// Monday of the ISO week of a `YYYY-MM-DD` date: what SQL's
/// `date(d, 'weekday 0', '-6 days')` gives, which the series use to label weeks.
pub(crate) fn week_of(date: &str) -> Option<String> {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let monday = d - chrono::Duration::days(d.weekday().num_days_from_monday() as i64);
    Some(monday.to_string())
}

impl Deltas {
    /// `sign` is +1 for an event stored, -1 for one deleted.
    pub fn apply(&mut self, c: &Contribution, sign: i64) {
        let q = c.quad.to_string();
        let g = c.goldstein;
        // What SQL's substr(date, 1, 7) gives, which the months' recount uses.
        let month = c.date.get(..7).unwrap_or(c.date);
        for (level, s, t) in [
            ("c", c.src_country, c.tgt_country),
            ("a", c.src_code, c.tgt_code),
        ] {
            let key = pack(&[level, s, t, &q, c.status]);
            bump(&mut self.pairs, key, sign, [1.0, g, 0.0, 0.0]);
            let key = pack(&[month, level, s, t, &q, c.status]);
            bump(&mut self.pair_months, key, sign, [1.0, g, 0.0, 0.0]);
        }
        if let Some((name, country, lat, lon)) = c.place {
            let key = pack(&[name, country, &q, c.status]);
            bump(&mut self.places, key, sign, [1.0, g, lat, lon]);
            let key = pack(&[month, name, country, &q, c.status]);
            bump(&mut self.place_months, key, sign, [1.0, g, lat, lon]);
        }
        if c.quad >= 3 && FACTUAL.contains(&c.status) {
            if let Some(w) = week_of(c.date) {
                let key = pack(&[c.src_country, c.tgt_country, &w]);
                let v = if c.quad == 3 {
                    [1.0, g, 0.0, 0.0]
                } else {
                    [0.0, 0.0, 1.0, g]
                };
                bump(&mut self.weeks, key, sign, v);
            }
        }
    }

    pub fn flush(self, tx: &Transaction) -> rusqlite::Result<()> {
        write(tx, PAIRS, &self.pairs)?;
        write(tx, PLACES, &self.places)?;
        write(tx, WEEKS, &self.weeks)?;
        write(tx, PAIR_MONTHS, &self.pair_months)?;
        write(tx, PLACE_MONTHS, &self.place_months)
    }
}

/// A summary table's shape: name, key columns, value columns (those named `n…` are counts),
/// and the condition under which a row holds no event.
struct Table {
    name: &'static str,
    key: &'static [&'static str],
    values: &'static [&'static str],
    empty: &'static str,
}

const PAIRS: &Table = &Table {
    name: "pair_totals",
    key: &["level", "src", "tgt", "quad_class", "status"],
    values: &["n", "goldstein"],
    empty: "n <= 0",
};
const PLACES: &Table = &Table {
    name: "place_totals",
    key: &["place", "place_country", "quad_class", "status"],
    values: &["n", "goldstein", "lat", "lon"],
    empty: "n <= 0",
};
const WEEKS: &Table = &Table {
    name: "conflict_weeks",
    key: &["src_country", "tgt_country", "week"],
    values: &["n3", "g3", "n4", "g4"],
    empty: "n3 + n4 <= 0",
};

const PAIR_MONTHS: &Table = &Table {
    name: "pair_months",
    key: &["month", "level", "src", "tgt", "quad_class", "status"],
    values: &["n", "goldstein"],
    empty: "n <= 0",
};
const PLACE_MONTHS: &Table = &Table {
    name: "place_months",
    key: &["month", "place", "place_country", "quad_class", "status"],
    values: &["n", "goldstein", "lat", "lon"],
    empty: "n <= 0",
};

/// The summaries schema step 6 added and fills; step 7's are `V7_TABLES`.
pub(crate) const V6_TABLES: [&str; 3] = ["pair_totals", "place_totals", "conflict_weeks"];
pub(crate) const V7_TABLES: [&str; 2] = ["pair_months", "place_months"];

fn table(name: &str) -> &'static Table {
    [PAIRS, PLACES, WEEKS, PAIR_MONTHS, PLACE_MONTHS]
        .into_iter()
        .find(|t| t.name == name)
        .expect("a summary table")
}

fn value(column: &str, x: f64) -> rusqlite::types::Value {
    if column.starts_with('n') {
        rusqlite::types::Value::Integer(x.round() as i64)
    } else {
        rusqlite::types::Value::Real(x)
    }
}

fn write(tx: &Transaction, t: &Table, rows: &BTreeMap<String, Sums>) -> rusqlite::Result<()> {
    let (k, nv) = (t.key.len(), t.values.len());
    let marks = |from: usize, n: usize| -> String {
        (from..from + n)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let set: Vec<String> = t
        .values
        .iter()
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .collect();
    let mut put = tx.prepare_cached(&format!(
        "INSERT INTO {} ({}, {}) VALUES ({}, {}) ON CONFLICT DO UPDATE SET {}",
        t.name,
        t.key.join(", "),
        t.values.join(", "),
        marks(1, k),
        marks(k + 1, nv),
        set.join(", ")
    ))?;
    let cond: Vec<String> = t
        .key
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let mut emptied = tx.prepare_cached(&format!(
        "DELETE FROM {} WHERE {} AND {}",
        t.name,
        cond.join(" AND "),
        t.empty
    ))?;
    for (key, s) in rows {
        if s.iter().all(|x| *x == 0.0) {
            continue;
        }
        let key_vals: Vec<rusqlite::types::Value> = key
            .split(SEP)
            .zip(t.key)
            .map(|(v, c)| match *c {
                "quad_class" => rusqlite::types::Value::Integer(v.parse().unwrap_or(0)),
                _ => rusqlite::types::Value::Text(v.to_string()),
            })
            .collect();
        let mut vals = key_vals.clone();
        vals.extend(t.values.iter().zip(s).map(|(c, x)| value(c, *x)));
        put.execute(rusqlite::params_from_iter(vals.iter()))?;
        // Only a batch that removed events can leave a row without any.
        if t.values
            .iter()
            .zip(s)
            .any(|(c, x)| c.starts_with('n') && *x < 0.0)
        {
            emptied.execute(rusqlite::params_from_iter(key_vals.iter()))?;
        }
    }
    Ok(())
}

/// Each summary as a recount from the events, in the table's columns: what schema steps 6 and
/// 7 fill them with, and what `check_integrity` compares them against.
pub(crate) const FRESH: [(&str, &str); 5] = [
    (
        "pair_totals",
        "SELECT 'c' AS level, src_country AS src, tgt_country AS tgt, quad_class, status,
                count(*) AS n, sum(goldstein) AS goldstein, 0.0 AS lat, 0.0 AS lon
         FROM events GROUP BY 2, 3, 4, 5
         UNION ALL
         SELECT 'a', src_code, tgt_code, quad_class, status, count(*), sum(goldstein), 0.0, 0.0
         FROM events GROUP BY 2, 3, 4, 5",
    ),
    (
        "place_totals",
        "SELECT place, coalesce(place_country, '') AS place_country, quad_class, status,
                count(*) AS n, sum(goldstein) AS goldstein, total(lat) AS lat, total(lon) AS lon
         FROM events WHERE place IS NOT NULL GROUP BY 1, 2, 3, 4",
    ),
    (
        "conflict_weeks",
        "SELECT src_country, tgt_country, date(date, 'weekday 0', '-6 days') AS week,
                sum(quad_class = 3) AS n3, total(CASE WHEN quad_class = 3 THEN goldstein END) AS g3,
                sum(quad_class = 4) AS n4, total(CASE WHEN quad_class = 4 THEN goldstein END) AS g4
         FROM events WHERE quad_class >= 3 AND status IN ('asserted', 'reported')
         GROUP BY 1, 2, 3",
    ),
    (
        "pair_months",
        "SELECT substr(date, 1, 7) AS month, 'c' AS level, src_country AS src, tgt_country AS tgt,
                quad_class, status, count(*) AS n, sum(goldstein) AS goldstein
         FROM events GROUP BY 1, 3, 4, 5, 6
         UNION ALL
         SELECT substr(date, 1, 7), 'a', src_code, tgt_code, quad_class, status, count(*),
                sum(goldstein)
         FROM events GROUP BY 1, 3, 4, 5, 6",
    ),
    (
        "place_months",
        "SELECT substr(date, 1, 7) AS month, place, coalesce(place_country, '') AS place_country,
                quad_class, status, count(*) AS n, sum(goldstein) AS goldstein,
                total(lat) AS lat, total(lon) AS lon
         FROM events WHERE place IS NOT NULL GROUP BY 1, 2, 3, 4, 5",
    ),
];

/// Fills the summaries named in `tables` from the events (schema steps 6 and 7).
pub(crate) fn rebuild(tx: &Transaction, tables: &[&str]) -> rusqlite::Result<()> {
    for (t, fresh) in FRESH.into_iter().filter(|(t, _)| tables.contains(t)) {
        let cols = columns(t);
        tx.execute(&format!("DELETE FROM {t}"), [])?;
        tx.execute(
            &format!("INSERT INTO {t} ({cols}) SELECT {cols} FROM ({fresh})"),
            params![],
        )?;
    }
    Ok(())
}

fn columns(name: &str) -> String {
    let t = table(name);
    format!("{}, {}", t.key.join(", "), t.values.join(", "))
}

/// Differences between the three summaries and a recount; empty when they agree.
pub(crate) fn differences(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    for (name, fresh) in FRESH {
        let t = table(name);
        let key = t.key.join(", ");
        let differs: Vec<String> = t
            .values
            .iter()
            .map(|c| {
                if c.starts_with('n') {
                    format!("s.{c} IS NOT f.{c}")
                } else {
                    format!("abs(s.{c} - f.{c}) > 1e-6 * max(1.0, abs(f.{c}))")
                }
            })
            .collect();
        let n = t.values[0];
        let q = format!(
            "WITH f AS ({fresh})
             SELECT {key}, f.{n}, s.{n} FROM f LEFT JOIN {name} s USING ({key})
             WHERE s.{n} IS NULL OR {}
             UNION ALL
             SELECT {key}, NULL, s.{n} FROM {name} s LEFT JOIN f USING ({key}) WHERE f.{n} IS NULL",
            differs.join(" OR ")
        );
        let mut stmt = conn.prepare(&q)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let vals: Vec<String> = (0..t.key.len() + 2)
                .map(|i| {
                    r.get::<_, rusqlite::types::Value>(i)
                        .map(|v| format!("{v:?}"))
                })
                .collect::<rusqlite::Result<_>>()?;
            out.push(format!("{name}: {} (events, summary)", vals.join(" ")));
        }
    }
    Ok(out)
}
