//! The network and the places over a date range, from the monthly summaries of schema 7
//! (`pair_months`, `place_months`): the whole calendar months inside the range are summed from
//! the summary, the days at either end that fill no whole month are read from the events (by
//! the date index), and the two parts are added up. The answer is the event scan's, counts
//! exactly and means up to rounding; its cost follows the pairs (or places) per month and
//! the events of at most two partial months, not the events of the whole range.

use crate::error::Result;
use crate::filter::{EventFilter, Sql};
use crate::query::{Edge, NodeLevel, PlaceCount};
use crate::Store;
use chrono::{Datelike, Duration, NaiveDate};
use rusqlite::types::Value;
use std::collections::HashMap;

/// A date range cut at month boundaries: events for the ends, summary months between.
#[derive(Debug, PartialEq)]
pub(crate) struct Split {
    /// Days before the first whole month, and after the last one.
    pub head: Option<(NaiveDate, NaiveDate)>,
    pub tail: Option<(NaiveDate, NaiveDate)>,
    /// The whole months (`YYYY-MM`, inclusive); `None` on an open side.
    pub first: Option<String>,
    pub last: Option<String>,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("every month has a first day")
}

fn next_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).expect("a first of the month")
}

fn label(d: NaiveDate) -> String {
    d.format("%Y-%m").to_string()
}

/// Cuts `from ..= to` (either side open) at month boundaries; `None` when no whole month lies
/// inside, where reading the events alone is as cheap.
pub(crate) fn split(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Option<Split> {
    // The first day of the first whole month, and the first day after the last one.
    let lo = from.map(|f| if f.day() == 1 { f } else { next_month(f) });
    let hi = to.map(|t| {
        let after = t + Duration::days(1);
        if after.day() == 1 {
            after
        } else {
            month_start(t)
        }
    });
    if let (Some(lo), Some(hi)) = (lo, hi) {
        if lo >= hi {
            return None;
        }
    }
    let day_before = |d: NaiveDate| d - Duration::days(1);
    Some(Split {
        head: from
            .zip(lo)
            .filter(|(f, lo)| f < lo)
            .map(|(f, lo)| (f, day_before(lo))),
        tail: to.zip(hi).filter(|(t, hi)| hi <= t).map(|(t, hi)| (hi, t)),
        first: lo.map(label),
        last: hi.map(|h| label(day_before(h))),
    })
}

impl EventFilter {
    /// Whether a monthly summary can answer: a date range, and otherwise only what the pair
    /// summaries keep (quad classes and statuses; for places, also a place).
    fn monthly_ok(&self, place_ok: bool) -> bool {
        let rest = EventFilter {
            from: None,
            to: None,
            place: if place_ok { None } else { self.place.clone() },
            ..self.clone()
        };
        (self.from.is_some() || self.to.is_some()) && rest.undated_ok()
    }

    fn within(&self, range: (NaiveDate, NaiveDate)) -> EventFilter {
        EventFilter {
            from: Some(range.0),
            to: Some(range.1),
            ..self.clone()
        }
    }
}

/// One term of a sum that gives a date range's answer.
#[derive(Debug, PartialEq)]
pub(crate) enum Part {
    /// The monthly summary's rows of months `lo ..= hi` (`YYYY-MM`; `None` is open).
    Months(Option<String>, Option<String>),
    /// The undated summary: every event.
    Totals,
    /// The events of these days.
    Days(NaiveDate, NaiveDate),
}

/// Signed terms: +1 added, -1 taken away.
pub(crate) type Plan = Vec<(i64, Part)>;

/// The range from inside: its whole months and the days at its ends.
fn inside(s: &Split) -> Plan {
    let mut p = vec![(1, Part::Months(s.first.clone(), s.last.clone()))];
    for (a, b) in [s.head, s.tail].into_iter().flatten() {
        p.push((1, Part::Days(a, b)));
    }
    p
}

/// The range from outside: every event, less the months before and after it and the days of
/// its end months that it leaves out. Cheaper when the range holds most of the months.
pub(crate) fn outside(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Plan {
    let day = Duration::days(1);
    let mut p = vec![(1, Part::Totals)];
    if let Some(f) = from {
        let start = month_start(f);
        p.push((-1, Part::Months(None, Some(label(start - day)))));
        if f > start {
            p.push((-1, Part::Days(start, f - day)));
        }
    }
    if let Some(t) = to {
        let next = next_month(t);
        p.push((-1, Part::Months(Some(label(next)), None)));
        if t + day < next {
            p.push((-1, Part::Days(t + day, next - day)));
        }
    }
    p
}

/// `YYYY-MM` as a count of months.
fn month_index(m: &str) -> i64 {
    let (y, mo) = m.split_once('-').unwrap_or((m, "1"));
    y.parse::<i64>().unwrap_or(0) * 12 + mo.parse::<i64>().unwrap_or(1)
}

/// Summary months a plan reads, of the months the data has (`have`: first and last).
pub(crate) fn months_read(plan: &Plan, have: (&str, &str)) -> i64 {
    let (first, last) = (month_index(have.0), month_index(have.1));
    let read = |lo: &Option<String>, hi: &Option<String>| {
        let lo = lo.as_deref().map_or(first, month_index).max(first);
        let hi = hi.as_deref().map_or(last, month_index).min(last);
        (hi - lo + 1).max(0)
    };
    plan.iter()
        .map(|(_, p)| match p {
            Part::Months(lo, hi) => read(lo, hi),
            _ => 0,
        })
        .sum()
}

/// The filter's clause over a summary (no dates) with the month bounds appended.
fn summary_sql(f: &EventFilter, lo: &Option<String>, hi: &Option<String>) -> Result<Sql> {
    let mut sql = EventFilter {
        from: None,
        to: None,
        ..f.clone()
    }
    .to_sql()?;
    for (op, m) in [(">=", lo), ("<=", hi)] {
        if let Some(m) = m {
            sql.params.push(Value::Text(m.clone()));
            sql.clause
                .push_str(&format!(" AND e.month {op} ?{}", sql.params.len()));
        }
    }
    Ok(sql)
}

/// Signed sums of one key over the parts: events, Goldstein, conflict events (or lat, lon).
type Acc = (i64, f64, f64, f64);

fn add(
    map: &mut HashMap<(String, String), Acc>,
    sign: i64,
    r: &rusqlite::Row,
) -> rusqlite::Result<()> {
    let a = map.entry((r.get(0)?, r.get(1)?)).or_default();
    let x = sign as f64;
    a.0 += sign * r.get::<_, i64>(2)?;
    a.1 += x * r.get::<_, f64>(3)?;
    a.2 += x * r.get::<_, f64>(4)?;
    a.3 += x * r.get::<_, f64>(5)?;
    Ok(())
}

/// Busiest first, then by key: the order of the event scan's `ORDER BY n DESC, 1, 2`. Keys
/// whose events were all taken away again are left out.
fn ranked(map: HashMap<(String, String), Acc>, limit: usize) -> Vec<((String, String), Acc)> {
    let mut v: Vec<_> = map.into_iter().filter(|(_, a)| a.0 > 0).collect();
    v.sort_by(|(ka, a), (kb, b)| b.0.cmp(&a.0).then_with(|| ka.cmp(kb)));
    v.truncate(limit);
    v
}

/// The queries of one panel; each selects key, key, n, Goldstein sum and two more sums, and
/// takes the filter's clause in place of `{w}` (and a summary table's name for `{t}`).
struct Queries<'a> {
    summary: &'a str,
    months: &'a str,
    totals: &'a str,
    events: &'a str,
}

impl Store {
    /// The cheaper plan for the filter's range: from inside, or from outside when that reads
    /// fewer than half the summary months (the undated totals hold at most as many rows as
    /// all the months together, so that is never much worse and often far better).
    fn plan(&self, f: &EventFilter, s: &Split, months: &str) -> Result<Plan> {
        let ins = inside(s);
        let q = format!("SELECT min(month), max(month) FROM {months}");
        let have: Vec<(Option<String>, Option<String>)> =
            self.rows(&q, &[], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let Some((Some(first), Some(last))) = have.into_iter().next() else {
            return Ok(ins);
        };
        let out = outside(f.from, f.to);
        let have = (first.as_str(), last.as_str());
        Ok(if months_read(&out, have) * 2 < months_read(&ins, have) {
            out
        } else {
            ins
        })
    }

    /// Adds up the plan's parts, per key.
    fn sum_parts(
        &self,
        f: &EventFilter,
        s: &Split,
        q: &Queries,
    ) -> Result<HashMap<(String, String), Acc>> {
        let mut map = HashMap::new();
        for (sign, part) in self.plan(f, s, q.months)? {
            let (sql, text) = match &part {
                Part::Months(lo, hi) => {
                    (summary_sql(f, lo, hi)?, q.summary.replace("{t}", q.months))
                }
                Part::Totals => (
                    summary_sql(f, &None, &None)?,
                    q.summary.replace("{t}", q.totals),
                ),
                Part::Days(a, b) => (f.within((*a, *b)).to_sql()?, q.events.to_string()),
            };
            self.rows(&text.replace("{w}", &sql.clause), &sql.params, |r| {
                add(&mut map, sign, r)
            })?;
        }
        Ok(map)
    }

    /// `network_with_conflict` over a date range from `pair_months`; `None` when it cannot
    /// answer the filter.
    pub(crate) fn network_by_months(
        &self,
        f: &EventFilter,
        level: NodeLevel,
        limit: usize,
    ) -> Result<Option<Vec<(Edge, u64)>>> {
        let Some(s) = split(f.from, f.to).filter(|_| f.monthly_ok(false)) else {
            return Ok(None);
        };
        let (lv, src, tgt) = match level {
            NodeLevel::Country => ("c", "e.src_country", "e.tgt_country"),
            NodeLevel::Actor => ("a", "e.src_code", "e.tgt_code"),
        };
        let summary = format!(
            "SELECT e.src, e.tgt, sum(e.n), sum(e.goldstein),
                    total(CASE WHEN e.quad_class >= 3 THEN e.n END), 0.0
             FROM {{t}} e
             WHERE {{w}} AND e.level = '{lv}' AND e.src <> '' AND e.tgt <> '' GROUP BY 1, 2"
        );
        let events = format!(
            "SELECT {src}, {tgt}, count(*), sum(e.goldstein), total(e.quad_class >= 3), 0.0
             FROM events e WHERE {{w}} AND {src} <> '' AND {tgt} <> '' GROUP BY 1, 2"
        );
        let q = Queries {
            summary: &summary,
            months: "pair_months",
            totals: "pair_totals",
            events: &events,
        };
        let map = self.sum_parts(f, &s, &q)?;
        let edges = ranked(map, limit).into_iter().map(|((source, target), a)| {
            let edge = Edge {
                source,
                target,
                count: a.0 as u64,
                mean_goldstein: a.1 / a.0 as f64,
            };
            (edge, a.2.round() as u64)
        });
        Ok(Some(edges.collect()))
    }

    /// `places` from `place_months` over a date range, otherwise from `place_totals`, either
    /// with or without a place; `None` when neither can answer the filter.
    pub(crate) fn places_by_summary(
        &self,
        f: &EventFilter,
        limit: usize,
    ) -> Result<Option<Vec<PlaceCount>>> {
        let totals = "SELECT e.place, e.place_country, sum(e.n), sum(e.goldstein), sum(e.lat),
                             sum(e.lon)
                      FROM {t} e WHERE {w} GROUP BY 1, 2";
        let map = if f.monthly_ok(true) {
            let Some(s) = split(f.from, f.to) else {
                return Ok(None);
            };
            let events = "SELECT e.place, coalesce(e.place_country, ''), count(*),
                                 sum(e.goldstein), total(e.lat), total(e.lon)
                          FROM events e WHERE {w} AND e.place IS NOT NULL GROUP BY 1, 2";
            let q = Queries {
                summary: totals,
                months: "place_months",
                totals: "place_totals",
                events,
            };
            self.sum_parts(f, &s, &q)?
        } else if place_only(f).undated_ok() {
            // The place test reads `place` and `place_country`, which the summary keeps.
            let sql = f.to_sql()?;
            let q = totals
                .replace("{t}", "place_totals")
                .replace("{w}", &sql.clause);
            let mut map = HashMap::new();
            self.rows(&q, &sql.params, |r| add(&mut map, 1, r))?;
            map
        } else {
            return Ok(None);
        };
        let places = ranked(map, limit).into_iter().map(|((place, country), a)| {
            let n = a.0 as f64;
            PlaceCount {
                place,
                country,
                lat: a.2 / n,
                lon: a.3 / n,
                count: a.0 as u64,
                mean_goldstein: a.1 / n,
            }
        });
        Ok(Some(places.collect()))
    }
}

/// The filter without its place, to ask whether the rest is something `place_totals` keeps.
fn place_only(f: &EventFilter) -> EventFilter {
    EventFilter {
        place: None,
        ..f.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn ranges_are_cut_at_month_boundaries() {
        let s = split(Some(d("2024-01-15")), Some(d("2024-04-10"))).unwrap();
        assert_eq!(s.head, Some((d("2024-01-15"), d("2024-01-31"))));
        assert_eq!(
            (s.first.as_deref(), s.last.as_deref()),
            (Some("2024-02"), Some("2024-03"))
        );
        assert_eq!(s.tail, Some((d("2024-04-01"), d("2024-04-10"))));

        let s = split(Some(d("2024-02-01")), Some(d("2024-02-29"))).unwrap();
        assert_eq!((s.head, s.tail), (None, None));
        assert_eq!(
            (s.first.as_deref(), s.last.as_deref()),
            (Some("2024-02"), Some("2024-02"))
        );

        let s = split(Some(d("2023-12-31")), None).unwrap();
        assert_eq!(s.head, Some((d("2023-12-31"), d("2023-12-31"))));
        assert_eq!((s.first.as_deref(), s.last), (Some("2024-01"), None));

        let s = split(None, Some(d("2024-03-30"))).unwrap();
        assert_eq!((s.first, s.last.as_deref()), (None, Some("2024-02")));
        assert_eq!(s.tail, Some((d("2024-03-01"), d("2024-03-30"))));

        // No whole month inside: the events alone.
        assert_eq!(split(Some(d("2024-01-10")), Some(d("2024-02-20"))), None);
        assert_eq!(split(Some(d("2024-01-02")), Some(d("2024-01-31"))), None);
    }

    #[test]
    fn a_range_is_also_everything_less_what_lies_outside_it() {
        let m = |s: &str| Some(s.to_string());
        let p = outside(Some(d("2024-01-15")), Some(d("2024-04-10")));
        assert_eq!(
            p,
            vec![
                (1, Part::Totals),
                (-1, Part::Months(None, m("2023-12"))),
                (-1, Part::Days(d("2024-01-01"), d("2024-01-14"))),
                (-1, Part::Months(m("2024-05"), None)),
                (-1, Part::Days(d("2024-04-11"), d("2024-04-30"))),
            ]
        );
        let p = outside(Some(d("2024-02-01")), Some(d("2024-02-29")));
        assert_eq!(p.len(), 3, "no days to take away: {p:?}");

        // Data from 2022-01 to 2024-12: a range of all but the first days reads no months
        // from outside, and 35 from inside.
        let have = ("2022-01", "2024-12");
        let s = split(Some(d("2022-01-11")), Some(d("2024-12-31"))).unwrap();
        assert_eq!(months_read(&inside(&s), have), 35);
        let out = outside(Some(d("2022-01-11")), Some(d("2024-12-31")));
        assert_eq!(months_read(&out, have), 0);
        let s = split(Some(d("2024-01-01")), None).unwrap();
        assert_eq!(months_read(&inside(&s), have), 12);
        assert_eq!(months_read(&outside(Some(d("2024-01-01")), None), have), 24);
    }
}
