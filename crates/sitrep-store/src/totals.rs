//! The undated panel summaries of schema version 6: edges per country pair and per actor-code
//! pair (`pair_totals`), events per named place (`place_totals`) and conflict per dyad and ISO
//! week (`conflict_weeks`). They never hold a row with no event behind it.
//!
//! Each batch adds and subtracts its events' contributions as signed deltas (one upsert per
//! key and batch, in the batch's transaction) and drops rows that reach zero, so counts stay
//! exact under re-ingest and re-coding; sums (Goldstein, coordinates) up to rounding. Reading
//! one of them costs the number of distinct keys, not the number of events.

use rusqlite::{params, Transaction};
use std::collections::BTreeMap;

const SEP: char = '\u{1f}';

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

#[derive(Default, Clone, Copy)]
struct Sums {
    n: i64,
    goldstein: f64,
    lat: f64,
    lon: f64,
}

/// One batch's deltas, per table, keyed by the packed key columns.
#[derive(Default)]
pub(crate) struct Deltas {
    pairs: BTreeMap<String, Sums>,
    places: BTreeMap<String, Sums>,
    weeks: BTreeMap<String, Sums>,
}

fn pack(parts: &[&str]) -> String {
    parts.join(&SEP.to_string())
}

fn bump(map: &mut BTreeMap<String, Sums>, key: String, sign: i64, c: &Contribution) {
    let s = map.entry(key).or_default();
    let f = sign as f64;
    s.n += sign;
    s.goldstein += f * c.goldstein;
    if let Some((_, _, lat, lon)) = c.place {
        s.lat += f * lat;
        s.lon += f * lon;
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
        for (level, s, t) in [
            ("c", c.src_country, c.tgt_country),
            ("a", c.src_code, c.tgt_code),
        ] {
            bump(&mut self.pairs, pack(&[level, s, t, &q, c.status]), sign, c);
        }
        if let Some((name, country, _, _)) = c.place {
            bump(
                &mut self.places,
                pack(&[name, country, &q, c.status]),
                sign,
                c,
            );
        }
        if c.quad >= 3 && FACTUAL.contains(&c.status) {
            if let Some(w) = week_of(c.date) {
                let key = pack(&[c.src_country, c.tgt_country, &w, &q]);
                bump(&mut self.weeks, key, sign, c);
            }
        }
    }

    pub fn flush(self, tx: &Transaction) -> rusqlite::Result<()> {
        write(tx, PAIRS, &self.pairs)?;
        write(tx, PLACES, &self.places)?;
        write(tx, WEEKS, &self.weeks)
    }
}

/// A summary table's shape: name, key columns, and whether it keeps coordinate sums.
struct Table {
    name: &'static str,
    key: &'static [&'static str],
    coords: bool,
}

const PAIRS: &Table = &Table {
    name: "pair_totals",
    key: &["level", "src", "tgt", "quad_class", "status"],
    coords: false,
};
const PLACES: &Table = &Table {
    name: "place_totals",
    key: &["place", "place_country", "quad_class", "status"],
    coords: true,
};
const WEEKS: &Table = &Table {
    name: "conflict_weeks",
    key: &["src_country", "tgt_country", "week", "quad_class"],
    coords: false,
};

fn write(tx: &Transaction, t: &Table, rows: &BTreeMap<String, Sums>) -> rusqlite::Result<()> {
    let k = t.key.len();
    let cols = t.key.join(", ");
    let marks = |from: usize, n: usize| -> String {
        (from..from + n)
            .map(|i| format!("?{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (vcols, vset) = if t.coords {
        (
            "n, goldstein, lat, lon",
            "n = n + excluded.n, goldstein = goldstein + excluded.goldstein, \
             lat = lat + excluded.lat, lon = lon + excluded.lon",
        )
    } else {
        (
            "n, goldstein",
            "n = n + excluded.n, goldstein = goldstein + excluded.goldstein",
        )
    };
    let nv = if t.coords { 4 } else { 2 };
    let mut put = tx.prepare_cached(&format!(
        "INSERT INTO {} ({cols}, {vcols}) VALUES ({}, {}) ON CONFLICT DO UPDATE SET {vset}",
        t.name,
        marks(1, k),
        marks(k + 1, nv)
    ))?;
    let cond: Vec<String> = t
        .key
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let mut emptied = tx.prepare_cached(&format!(
        "DELETE FROM {} WHERE {} AND n <= 0",
        t.name,
        cond.join(" AND ")
    ))?;
    for (key, s) in rows {
        if s.n == 0 && s.goldstein == 0.0 && s.lat == 0.0 && s.lon == 0.0 {
            continue;
        }
        let mut vals: Vec<rusqlite::types::Value> = key
            .split(SEP)
            .zip(t.key)
            .map(|(v, c)| match *c {
                "quad_class" => rusqlite::types::Value::Integer(v.parse().unwrap_or(0)),
                _ => rusqlite::types::Value::Text(v.to_string()),
            })
            .collect();
        let key_vals = vals.clone();
        vals.push(s.n.into());
        vals.push(s.goldstein.into());
        if t.coords {
            vals.push(s.lat.into());
            vals.push(s.lon.into());
        }
        put.execute(rusqlite::params_from_iter(vals.iter()))?;
        if s.n <= 0 {
            emptied.execute(rusqlite::params_from_iter(key_vals.iter()))?;
        }
    }
    Ok(())
}

/// Each summary as a recount from the events, in the table's columns: what schema step 6
/// fills them with, and what `check_integrity` compares them against.
pub(crate) const FRESH: [(&str, &str); 3] = [
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
        "SELECT src_country, tgt_country, date(date, 'weekday 0', '-6 days') AS week, quad_class,
                count(*) AS n, sum(goldstein) AS goldstein, 0.0 AS lat, 0.0 AS lon
         FROM events WHERE quad_class >= 3 AND status IN ('asserted', 'reported')
         GROUP BY 1, 2, 3, 4",
    ),
];

/// Fills the three summaries from the events (schema step 6).
pub(crate) fn rebuild(tx: &Transaction) -> rusqlite::Result<()> {
    for (t, fresh) in FRESH {
        let cols = columns(t);
        tx.execute(&format!("DELETE FROM {t}"), [])?;
        tx.execute(
            &format!("INSERT INTO {t} ({cols}) SELECT {cols} FROM ({fresh})"),
            params![],
        )?;
    }
    Ok(())
}

fn columns(table: &str) -> String {
    let t = [PAIRS, PLACES, WEEKS]
        .into_iter()
        .find(|t| t.name == table)
        .expect("a summary table");
    let v = if t.coords {
        "n, goldstein, lat, lon"
    } else {
        "n, goldstein"
    };
    format!("{}, {v}", t.key.join(", "))
}

/// Differences between the three summaries and a recount; empty when they agree.
pub(crate) fn differences(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    for (name, fresh) in FRESH {
        let t = [PAIRS, PLACES, WEEKS]
            .into_iter()
            .find(|t| t.name == name)
            .expect("a summary table");
        let key = t.key.join(", ");
        let near = |c: &str| format!("abs(s.{c} - f.{c}) > 1e-6 * max(1.0, abs(f.{c}))");
        let mut sums = vec![near("goldstein")];
        if t.coords {
            sums.push(near("lat"));
            sums.push(near("lon"));
        }
        let q = format!(
            "WITH f AS ({fresh})
             SELECT {key}, f.n, s.n FROM f LEFT JOIN {name} s USING ({key})
             WHERE s.n IS NOT f.n OR {}
             UNION ALL
             SELECT {key}, NULL, s.n FROM {name} s LEFT JOIN f USING ({key}) WHERE f.n IS NULL",
            sums.join(" OR ")
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
