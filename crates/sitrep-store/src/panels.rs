//! Readers for the dashboard's aggregate panels over the schema-6 summaries (`totals.rs`,
//! `fatalities.rs`), with the events table as the fallback for filters a summary does not keep.
//! Never reads every event when the filter names only statuses and quad classes.

use crate::error::Result;
use crate::filter::EventFilter;
use crate::query::{Bucket, SeriesBy};
use crate::totals::FACTUAL;
use crate::Store;
use serde::{Deserialize, Serialize};
use sitrep_core::Status;

/// Conflict events (quad class 3 and 4) of one dyad of two different, named countries in one
/// ISO week.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictWeek {
    pub src_country: String,
    pub tgt_country: String,
    /// Monday of the week.
    pub week: String,
    pub count: u64,
    /// Sum over the two quad classes of |sum of Goldstein scores| (count × |mean|).
    pub intensity: f64,
}

/// Fatalities in one period, per dyad or in total (key "" or "SRC-TGT").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FatalityPoint {
    pub key: String,
    pub period: String,
    pub fatalities: u64,
    /// Stories (acts) that reported them.
    pub stories: u64,
}

/// Row counts and the date range of the events, for a status line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    pub documents: u64,
    pub events: u64,
    pub actors: u64,
    pub stories: u64,
    pub first_date: Option<String>,
    pub last_date: Option<String>,
}

impl EventFilter {
    /// Whether an undated summary (pairs, places) can answer: only quad classes and statuses.
    pub(crate) fn undated_ok(&self) -> bool {
        self.summary_ok()
            && self.dyad.is_none()
            && self.event.is_none()
            && self.from.is_none()
            && self.to.is_none()
    }

    /// Whether the statuses asked for are exactly the factual ones the conflict weeks keep.
    fn factual_only(&self) -> bool {
        let mut s: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
        if let Some(one) = self.status {
            s = if s.is_empty() || s.contains(&one.as_str()) {
                vec![one.as_str()]
            } else {
                vec![]
            };
        }
        s.sort_unstable();
        s.dedup();
        s == FACTUAL
    }
}

impl Store {
    /// Conflict (quad 3 and 4) per dyad and week, ordered by dyad then week. Reads
    /// `conflict_weeks` when the filter asks for asserted and reported events and otherwise
    /// names only a dyad or quad class; the events otherwise.
    pub fn conflict_weeks(&self, f: &EventFilter) -> Result<Vec<ConflictWeek>> {
        f.to_sql()?; // refuses a bad filter on either path
        let fast = f.summary_ok()
            && f.event.is_none()
            && f.from.is_none()
            && f.to.is_none()
            && f.factual_only();
        let g = if fast {
            EventFilter {
                status: None,
                statuses: vec![],
                quad_class: None,
                ..f.clone()
            }
        } else {
            f.clone()
        };
        let sql = g.to_sql()?;
        // Read in key order (the summary's primary key) and folded here: SQLite's GROUP BY
        // over it sorted every row again, 60× the cost of the scan at a million events.
        let q = if fast {
            let (n, g) = match f.quad_class {
                Some(3) => ("e.n3", "abs(e.g3)"),
                Some(4) => ("e.n4", "abs(e.g4)"),
                Some(_) => ("0", "0.0"),
                None => ("e.n3 + e.n4", "abs(e.g3) + abs(e.g4)"),
            };
            format!(
                "SELECT e.src_country, e.tgt_country, e.week, {n}, {g}
                 FROM conflict_weeks e WHERE {} AND {n} > 0 ORDER BY 1, 2, 3",
                sql.clause
            )
        } else {
            format!(
                "SELECT e.src_country, e.tgt_country, date(e.date, 'weekday 0', '-6 days') AS w,
                        count(*), abs(sum(e.goldstein))
                 FROM events e WHERE {} AND e.quad_class >= 3
                 GROUP BY 1, 2, 3, e.quad_class ORDER BY 1, 2, 3, e.quad_class",
                sql.clause
            )
        };
        let mut stmt = self.conn.prepare_cached(&q).map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(rusqlite::params_from_iter(sql.params.iter()))
            .map_err(|e| self.err(e))?;
        let mut out: Vec<ConflictWeek> = Vec::new();
        while let Some(r) = rows.next().map_err(|e| self.err(e))? {
            fold_week(&mut out, r).map_err(|e| self.err(e))?;
        }
        Ok(out)
    }

    /// Fatalities per period, in total or per dyad (`SeriesBy::Actor` is refused), counted per
    /// story as `fatalities.rs` says, from `story_fatalities`. The filter may name a dyad and
    /// a date range (matched on the story's fatality date); other fields are refused, since
    /// the convention fixes the statuses.
    pub fn fatality_series(
        &self,
        f: &EventFilter,
        by: SeriesBy,
        bucket: Bucket,
    ) -> Result<Vec<FatalityPoint>> {
        let extra = EventFilter {
            dyad: None,
            from: None,
            to: None,
            limit: None,
            offset: 0,
            ..f.clone()
        };
        let only_factual = extra
            .statuses
            .iter()
            .chain(extra.status.iter())
            .all(|s| matches!(s, Status::Asserted | Status::Reported));
        let bare = EventFilter {
            statuses: vec![],
            status: None,
            ..extra
        };
        if bare != EventFilter::default() || !only_factual {
            return Err(crate::StoreError::BadQuery(
                "fatalities take only a dyad and a date range (asserted and reported events count)"
                    .into(),
            ));
        }
        let g = EventFilter {
            dyad: f.dyad.clone(),
            from: f.from,
            to: f.to,
            ..EventFilter::default()
        };
        let sql = g.to_sql()?;
        let key = match by {
            SeriesBy::Total => "''",
            SeriesBy::Dyad => "e.src_country || '-' || e.tgt_country",
            SeriesBy::Actor => {
                return Err(crate::StoreError::BadQuery(
                    "fatalities are split by dyad or not at all".into(),
                ))
            }
        };
        let q = format!(
            "SELECT {key} AS k, {b} AS p, sum(e.fatalities), count(*)
             FROM story_fatalities e WHERE {w} GROUP BY k, p ORDER BY k, p",
            b = bucket_sql(bucket),
            w = sql.clause
        );
        self.rows(&q, &sql.params, |r| {
            Ok(FatalityPoint {
                key: r.get(0)?,
                period: r.get(1)?,
                fatalities: r.get::<_, i64>(2)? as u64,
                stories: r.get::<_, i64>(3)? as u64,
            })
        })
    }

    /// Counts and date range without counting every event: events and dates come from the
    /// daily totals (at most a row per day, type, quad class and status).
    pub fn overview(&self) -> Result<Overview> {
        let n = |q: &str| -> Result<u64> {
            self.conn
                .query_row(q, [], |r| r.get::<_, Option<i64>>(0))
                .map(|v| v.unwrap_or(0) as u64)
                .map_err(|e| self.err(e))
        };
        let (first, last) = self
            .conn
            .query_row(
                "SELECT (SELECT min(date) FROM event_totals), (SELECT max(date) FROM event_totals)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        Ok(Overview {
            documents: n("SELECT count(*) FROM documents")?,
            events: n("SELECT sum(n) FROM event_totals")?,
            actors: n("SELECT count(*) FROM actors")?,
            stories: n("SELECT count(*) FROM stories")?,
            first_date: first,
            last_date: last,
        })
    }
}

/// Adds one row (a dyad-week, or one quad class of it) to the last week of `out`, or starts a
/// week; rows
/// of self-loops and of unnamed sides are left out.
fn fold_week(out: &mut Vec<ConflictWeek>, r: &rusqlite::Row) -> rusqlite::Result<()> {
    let (s, t, w) = (
        r.get_ref(0)?.as_str()?,
        r.get_ref(1)?.as_str()?,
        r.get_ref(2)?.as_str()?,
    );
    if s.is_empty() || t.is_empty() || s == t {
        return Ok(());
    }
    let (n, g): (i64, f64) = (r.get(3)?, r.get(4)?);
    match out.last_mut() {
        Some(last) if last.week == w && last.src_country == s && last.tgt_country == t => {
            last.count += n as u64;
            last.intensity += g;
        }
        _ => out.push(ConflictWeek {
            src_country: s.to_string(),
            tgt_country: t.to_string(),
            week: w.to_string(),
            count: n as u64,
            intensity: g,
        }),
    }
    Ok(())
}

fn bucket_sql(b: Bucket) -> &'static str {
    match b {
        Bucket::Day => "e.date",
        Bucket::Week => "date(e.date, 'weekday 0', '-6 days')",
        Bucket::Month => "substr(e.date, 1, 7)",
    }
}
