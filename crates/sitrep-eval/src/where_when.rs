//! Gold for where, when and how many: records that give, for one sentence or short story,
//! the event's place (country, city), its date with a precision, and its typed counts; and
//! the scores of coded events against them. It never judges event types or actors.
//!
//! A record: `{"id"?, "split"?: "tune"|"test", "date", "text", "place": {"country", "city"?}
//! | null, "when": {"date", "precision"?}, "counts": [{"kind", "value", "qualifier"?}]}`.
//! The event scored is the first one coded (in reading order); counts are those of every
//! event of the record, as a typed count may sit on any of them.

use crate::gold::GoldError;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::Value;
use sitrep_core::{DatePrecision, Event};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct GoldPlace {
    pub country: String,
    /// The city or town as the text writes it; None where the text names none.
    pub city: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldCount {
    pub kind: String,
    pub value: f64,
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WhereWhen {
    pub id: String,
    pub line: usize,
    /// "tune" or "test"; empty when the file has no splits.
    pub split: String,
    pub date: NaiveDate,
    pub text: String,
    pub place: Option<GoldPlace>,
    pub when: (NaiveDate, DatePrecision),
    pub counts: Vec<GoldCount>,
}

/// Whether a gold file holds where/when/how-many records: its first record has `when` and
/// no `event`.
pub fn is_where_when(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .and_then(|l| serde_json::from_str::<Value>(l).ok())
        .is_some_and(|v| v.get("when").is_some() && v.get("event").is_none())
}

fn precision(s: &str) -> Result<DatePrecision, String> {
    Ok(match s {
        "day" => DatePrecision::Day,
        "week" => DatePrecision::Week,
        "month" => DatePrecision::Month,
        "year" => DatePrecision::Year,
        _ => {
            return Err(format!(
                "'precision' must be day, week, month or year, not '{s}'"
            ))
        }
    })
}

fn day(v: Option<&Value>, field: &str) -> Result<NaiveDate, String> {
    let s = v
        .and_then(Value::as_str)
        .ok_or(format!("missing '{field}' (YYYY-MM-DD)"))?;
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{field}' is not a date (YYYY-MM-DD): '{s}'"))
}

fn record(o: &Value, file: &str, line: usize) -> Result<WhereWhen, String> {
    let text = o
        .get("text")
        .and_then(Value::as_str)
        .ok_or("missing 'text'")?;
    let date = day(o.get("date"), "date")?;
    let place = match o.get("place") {
        None | Some(Value::Null) => None,
        Some(p) => Some(GoldPlace {
            country: p
                .get("country")
                .and_then(Value::as_str)
                .ok_or("'place' needs a 'country'")?
                .to_string(),
            city: p.get("city").and_then(Value::as_str).map(str::to_string),
        }),
    };
    let w = o.get("when").ok_or("missing 'when'")?;
    let when = (
        day(w.get("date"), "when.date")?,
        precision(w.get("precision").and_then(Value::as_str).unwrap_or("day"))?,
    );
    let mut counts = Vec::new();
    match o.get("counts") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) => {
            for c in a {
                counts.push(GoldCount {
                    kind: c
                        .get("kind")
                        .and_then(Value::as_str)
                        .ok_or("each count needs a 'kind'")?
                        .to_string(),
                    value: c
                        .get("value")
                        .and_then(Value::as_f64)
                        .ok_or("each count needs a numeric 'value'")?,
                    qualifier: c
                        .get("qualifier")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                });
            }
        }
        Some(_) => return Err("'counts' must be a list".into()),
    }
    let split = o.get("split").and_then(Value::as_str).unwrap_or("");
    if !matches!(split, "" | "tune" | "test") {
        return Err(format!("'split' must be tune or test, not '{split}'"));
    }
    Ok(WhereWhen {
        id: o
            .get("id")
            .and_then(Value::as_str)
            .map_or(format!("{file}:{line}"), str::to_string),
        line,
        split: split.to_string(),
        date,
        text: text.to_string(),
        place,
        when,
        counts,
    })
}

/// Parses where/when/how-many records (blank lines and `#` comments allowed).
pub fn parse_where_when(file: &str, text: &str) -> Result<Vec<WhereWhen>, GoldError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let raw = raw.trim_start_matches('\u{feff}').trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let err = |message: String| GoldError {
            file: file.to_string(),
            line: i + 1,
            message,
        };
        let v: Value = serde_json::from_str(raw).map_err(|e| err(format!("not JSON: {e}")))?;
        out.push(record(&v, file, i + 1).map_err(err)?);
    }
    Ok(out)
}

/// A share of right answers.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Share {
    pub right: usize,
    pub total: usize,
    pub share: f64,
}

impl Share {
    fn add(&mut self, right: bool) {
        self.total += 1;
        self.right += right as usize;
        self.share = self.right as f64 / self.total as f64;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WhereWhenScores {
    pub records: usize,
    /// Records where the coder gave no event at all, so nothing could be scored right.
    pub no_event: usize,
    pub place_country: Share,
    /// Over records whose gold names a city.
    pub place_city: Share,
    /// The same day (or the same period at the same precision).
    pub date_exact: Share,
    /// The same period at the coarser of the two precisions.
    pub date_within: Share,
    pub count_gold: usize,
    pub count_predicted: usize,
    pub count_right: usize,
    pub count_precision: f64,
    pub count_recall: f64,
    /// Over right counts whose gold gives a qualifier.
    pub qualifier: Share,
}

fn rank(p: DatePrecision) -> u8 {
    match p {
        DatePrecision::Day => 0,
        DatePrecision::Week => 1,
        DatePrecision::Month => 2,
        DatePrecision::Year => 3,
    }
}

/// Whether two dates fall in one period of precision `p` (weeks: at most six days apart).
fn same_period(a: NaiveDate, b: NaiveDate, p: DatePrecision) -> bool {
    match p {
        DatePrecision::Day => a == b,
        DatePrecision::Week => (a - b).num_days().abs() <= 6,
        DatePrecision::Month => (a.year(), a.month()) == (b.year(), b.month()),
        DatePrecision::Year => a.year() == b.year(),
    }
}

/// The event a record is about: the first coded, in reading order.
fn main_event(events: &[Event]) -> Option<&Event> {
    events.iter().min_by_key(|e| e.evidence.trigger_start)
}

/// Scores each record against the events coded from its text (`preds[i]` for `gold[i]`).
pub fn score(gold: &[WhereWhen], preds: &[Vec<Event>]) -> WhereWhenScores {
    let mut s = WhereWhenScores {
        records: gold.len(),
        ..WhereWhenScores::default()
    };
    for (g, p) in gold.iter().zip(preds) {
        let e = main_event(p);
        s.no_event += e.is_none() as usize;
        let loc = e.and_then(|e| e.location.as_ref());
        if let Some(gp) = &g.place {
            s.place_country
                .add(loc.is_some_and(|l| l.country == gp.country));
            if let Some(city) = &gp.city {
                s.place_city
                    .add(loc.is_some_and(|l| l.text.to_lowercase() == city.to_lowercase()));
            }
        }
        let (gd, gprec) = g.when;
        let got = e.map(|e| (e.date, e.date_precision));
        s.date_exact
            .add(got.is_some_and(|(d, p)| p == gprec && same_period(d, gd, p)));
        s.date_within.add(got.is_some_and(|(d, p)| {
            let coarse = if rank(p) > rank(gprec) { p } else { gprec };
            same_period(d, gd, coarse)
        }));
        let mut predicted: Vec<(&str, f64, &str)> = Vec::new();
        for q in p.iter().flat_map(|e| &e.quantities) {
            let key = (q.kind.as_str(), q.value, q.qualifier.as_str());
            if !q.kind.is_empty() && !predicted.contains(&key) {
                predicted.push(key);
            }
        }
        s.count_gold += g.counts.len();
        s.count_predicted += predicted.len();
        for c in &g.counts {
            let hit = predicted
                .iter()
                .position(|(k, v, _)| *k == c.kind && (*v - c.value).abs() < 1e-9);
            if let Some(i) = hit {
                s.count_right += 1;
                if let Some(q) = &c.qualifier {
                    s.qualifier.add(predicted[i].2 == q);
                }
                predicted.remove(i);
            }
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.count_precision = ratio(s.count_right, s.count_predicted);
    s.count_recall = ratio(s.count_right, s.count_gold);
    s
}

/// Scores per split ("tune", "test") and over all records ("all").
pub fn score_by_split(
    gold: &[WhereWhen],
    preds: &[Vec<Event>],
) -> BTreeMap<String, WhereWhenScores> {
    let mut out = BTreeMap::new();
    out.insert("all".to_string(), score(gold, preds));
    for split in ["tune", "test"] {
        let (g, p): (Vec<WhereWhen>, Vec<Vec<Event>>) = gold
            .iter()
            .zip(preds)
            .filter(|(g, _)| g.split == split)
            .map(|(g, p)| (g.clone(), p.clone()))
            .unzip();
        if !g.is_empty() {
            out.insert(split.to_string(), score(&g, &p));
        }
    }
    out
}

fn share(x: &Share) -> String {
    format!("{:.3} ({}/{})", x.share, x.right, x.total)
}

/// One cell of the score table.
type Cell = dyn Fn(&WhereWhenScores) -> String;

/// A table of the scores, one column per split.
pub fn render(name: &str, by_split: &BTreeMap<String, WhereWhenScores>) -> String {
    let mut out = format!("{name}: where, when and how many\n");
    let cols: Vec<&String> = by_split.keys().collect();
    out.push_str(&format!("{:<26}", ""));
    for c in &cols {
        out.push_str(&format!("{c:>16}"));
    }
    out.push('\n');
    let rows: [(&str, &Cell); 9] = [
        ("records", &|s| s.records.to_string()),
        ("no event coded", &|s| s.no_event.to_string()),
        ("place: country", &|s| share(&s.place_country)),
        ("place: city", &|s| share(&s.place_city)),
        ("date: exact", &|s| share(&s.date_exact)),
        ("date: within precision", &|s| share(&s.date_within)),
        ("counts: precision", &|s| {
            format!(
                "{:.3} ({}/{})",
                s.count_precision, s.count_right, s.count_predicted
            )
        }),
        ("counts: recall", &|s| {
            format!("{:.3} ({}/{})", s.count_recall, s.count_right, s.count_gold)
        }),
        ("counts: qualifier", &|s| share(&s.qualifier)),
    ];
    for (label, f) in rows {
        out.push_str(&format!("{label:<26}"));
        for c in &cols {
            out.push_str(&format!("{:>16}", f(&by_split[*c])));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::{Coder, CoderOptions, Document};

    const GOLD: &str = r#"
# two records
{"id":"a","split":"tune","date":"2024-05-08","text":"At least 14 people were killed when gunmen attacked a market in Gao on Monday.","place":{"country":"MLI","city":"Gao"},"when":{"date":"2024-05-06"},"counts":[{"kind":"killed","value":14,"qualifier":"at_least"}]}
{"id":"b","split":"test","date":"2024-05-08","text":"Police arrested 30 protesters in Lagos.","place":{"country":"NGA","city":"Lagos"},"when":{"date":"2024-05-08","precision":"day"},"counts":[{"kind":"detained","value":31}]}
"#;

    #[test]
    fn reads_records_and_names_bad_lines() {
        assert!(is_where_when(GOLD));
        let g = parse_where_when("g.jsonl", GOLD).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].when.1, DatePrecision::Day);
        assert_eq!(g[1].counts[0].value, 31.0);
        let bad =
            r#"{"date":"2024-05-08","text":"x","when":{"date":"2024-05-08","precision":"hour"}}"#;
        let e = parse_where_when("g.jsonl", bad).unwrap_err();
        assert_eq!((e.file.as_str(), e.line), ("g.jsonl", 1));
        assert!(e.message.contains("precision"), "{e}");
        assert!(!is_where_when(
            r#"{"date":"2024-05-08","text":"x","event":"ASSAULT"}"#
        ));
    }

    #[test]
    fn scores_places_dates_and_counts() {
        let g = parse_where_when("g.jsonl", GOLD).unwrap();
        let coder = Coder::new(crate::test_kb(), CoderOptions::default());
        let preds: Vec<Vec<Event>> = g
            .iter()
            .map(|r| coder.code(&Document::new(r.date, &r.text)))
            .collect();
        let s = score(&g, &preds);
        assert_eq!((s.place_country.right, s.place_country.total), (2, 2));
        assert_eq!((s.place_city.right, s.place_city.total), (2, 2));
        assert_eq!(s.date_exact.right, 2);
        // the second record's gold count (31) is not what the text says (30): a miss and a
        // false alarm
        assert_eq!((s.count_right, s.count_gold, s.count_predicted), (1, 2, 2));
        assert_eq!(s.qualifier.right, 1);
        let by = score_by_split(&g, &preds);
        assert_eq!(by["tune"].records, 1);
        assert!(render("g", &by).contains("place: city"));
    }

    #[test]
    fn periods_compare_at_the_coarser_precision() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(same_period(
            d("2024-05-01"),
            d("2024-05-30"),
            DatePrecision::Month
        ));
        assert!(!same_period(
            d("2024-05-01"),
            d("2024-05-30"),
            DatePrecision::Week
        ));
        assert!(same_period(
            d("2024-01-01"),
            d("2024-12-30"),
            DatePrecision::Year
        ));
    }
}
