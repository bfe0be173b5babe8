//! Query-string parsing with strict validation: unknown names, malformed values and oversized
//! strings are refused with a message naming the parameter, instead of being silently ignored.

use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;
use serde::Serialize;
use sitrep_core::{EventType, Status};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Longest string a filter accepts; long enough for any actor name, short enough to bound work.
pub const MAX_PARAM_CHARS: usize = 200;
pub const MAX_LIMIT: usize = 1000;
/// Deep offsets cost a scan in SQLite; beyond this a client should narrow its filter instead.
pub const MAX_OFFSET: usize = 10_000_000;

/// The raw `name=value` pairs of one request, consumed as they are read so leftovers can be
/// reported as unknown parameters.
pub struct Params {
    map: BTreeMap<String, String>,
}

impl Params {
    pub fn new(pairs: Vec<(String, String)>) -> ApiResult<Params> {
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            if v.chars().count() > MAX_PARAM_CHARS {
                return Err(ApiError::bad_param(format!(
                    "parameter `{k}` is longer than {MAX_PARAM_CHARS} characters"
                )));
            }
            if v.chars().any(|c| c.is_control()) {
                return Err(ApiError::bad_param(format!(
                    "parameter `{k}` contains control characters"
                )));
            }
            if map.insert(k.clone(), v).is_some() {
                return Err(ApiError::bad_param(format!(
                    "parameter `{k}` is given more than once"
                )));
            }
        }
        Ok(Params { map })
    }

    /// Trimmed value; an empty value counts as absent so that blank form fields mean "any".
    pub fn take(&mut self, name: &str) -> Option<String> {
        let v = self.map.remove(name)?;
        let v = v.trim().to_string();
        (!v.is_empty()).then_some(v)
    }

    pub fn take_parsed<T: FromStr>(&mut self, name: &str, what: &str) -> ApiResult<Option<T>> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => v.parse::<T>().map(Some).map_err(|_| {
                ApiError::bad_param(format!("parameter `{name}`: `{v}` is not {what}"))
            }),
        }
    }

    pub fn take_range<T>(
        &mut self,
        name: &str,
        what: &str,
        lo: T,
        hi: T,
        default: T,
    ) -> ApiResult<T>
    where
        T: FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let v = self.take_parsed::<T>(name, what)?.unwrap_or(default);
        if v < lo || v > hi {
            return Err(ApiError::bad_param(format!(
                "parameter `{name}` must be between {lo} and {hi}, got {v}"
            )));
        }
        Ok(v)
    }

    pub fn take_date(&mut self, name: &str) -> ApiResult<Option<NaiveDate>> {
        match self.take(name) {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    ApiError::bad_param(format!(
                        "parameter `{name}`: `{v}` is not a date (YYYY-MM-DD)"
                    ))
                }),
        }
    }

    /// Fails on any parameter nobody asked for: a typo (`actr=`) should not widen a query.
    pub fn finish(self) -> ApiResult<()> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(ApiError::bad_param(format!("unknown parameter `{k}`"))),
        }
    }
}

/// The event filters shared by every listing and aggregate, as `sitrep query` takes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EventFilter {
    /// Actor on either side: a code (`ISR`, `ISR GOV`), a KB id, or words of its name.
    pub actor: Option<String>,
    pub source: Option<String>,
    pub target: Option<String>,
    pub event: Vec<EventType>,
    pub quad: Vec<u8>,
    pub status: Vec<Status>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Country of the event's location (ISO alpha-3).
    pub country: Option<String>,
    pub doc: Option<String>,
    pub min_confidence: Option<f32>,
}

impl EventFilter {
    pub fn from_params(p: &mut Params) -> ApiResult<EventFilter> {
        let mut f = EventFilter {
            actor: p.take("actor"),
            source: p.take("source"),
            target: p.take("target"),
            country: p.take("country").map(|c| c.to_ascii_uppercase()),
            doc: p.take("doc"),
            from: p.take_date("from")?,
            to: p.take_date("to")?,
            ..EventFilter::default()
        };
        if let Some(v) = p.take("event") {
            for t in v.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let ty = parse_event_type(t).ok_or_else(|| {
                    ApiError::bad_param(format!("parameter `event`: unknown event type `{t}`"))
                })?;
                f.event.push(ty);
            }
        }
        if let Some(v) = p.take("quad") {
            for q in v.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                match q.parse::<u8>() {
                    Ok(n @ 1..=4) => f.quad.push(n),
                    _ => {
                        return Err(ApiError::bad_param(format!(
                            "parameter `quad`: `{q}` is not 1, 2, 3 or 4"
                        )))
                    }
                }
            }
        }
        if let Some(v) = p.take("status") {
            for s in v.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                let st = Status::parse(s).ok_or_else(|| {
                    ApiError::bad_param(format!("parameter `status`: unknown status `{s}`"))
                })?;
                f.status.push(st);
            }
        }
        if let Some(c) = p.take_parsed::<f32>("min_confidence", "a number")? {
            if !(0.0..=1.0).contains(&c) {
                return Err(ApiError::bad_param(
                    "parameter `min_confidence` must be between 0 and 1",
                ));
            }
            f.min_confidence = Some(c);
        }
        if let (Some(a), Some(b)) = (f.from, f.to) {
            if a > b {
                return Err(ApiError::bad_param(format!(
                    "`from` ({a}) is after `to` ({b})"
                )));
            }
        }
        Ok(f)
    }
}

pub fn parse_event_type(s: &str) -> Option<EventType> {
    let up = s.trim().to_ascii_uppercase();
    EventType::ALL.iter().copied().find(|t| t.as_str() == up)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PageReq {
    pub limit: usize,
    pub offset: usize,
}

impl PageReq {
    pub fn from_params(p: &mut Params, default_limit: usize) -> ApiResult<PageReq> {
        Ok(PageReq {
            limit: p.take_range("limit", "a whole number", 1, MAX_LIMIT, default_limit)?,
            offset: p.take_range("offset", "a whole number", 0, MAX_OFFSET, 0)?,
        })
    }
}

/// Width of one time-series bucket; weeks start on Monday (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bucket {
    Day,
    Week,
    Month,
}

impl Bucket {
    pub fn from_params(p: &mut Params) -> ApiResult<Bucket> {
        match p.take("bucket").as_deref() {
            None | Some("week") => Ok(Bucket::Week),
            Some("day") => Ok(Bucket::Day),
            Some("month") => Ok(Bucket::Month),
            Some(other) => Err(ApiError::bad_param(format!(
                "parameter `bucket`: `{other}` is not day, week or month"
            ))),
        }
    }

    /// First day of the bucket holding `d`.
    pub fn start(self, d: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        match self {
            Bucket::Day => d,
            Bucket::Week => d - chrono::Days::new(d.weekday().num_days_from_monday() as u64),
            Bucket::Month => d.with_day(1).unwrap_or(d),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(q: &[(&str, &str)]) -> Params {
        Params::new(
            q.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn filters_parse_lists_dates_and_reject_typos() {
        let mut p = params(&[
            ("event", "assault, threaten"),
            ("quad", "3,4"),
            ("from", "2023-10-01"),
        ]);
        let f = EventFilter::from_params(&mut p).unwrap();
        assert_eq!(f.event, vec![EventType::Assault, EventType::Threaten]);
        assert_eq!(f.quad, vec![3, 4]);
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2023, 10, 1));
        p.finish().unwrap();

        let mut p = params(&[("actr", "ISR")]);
        EventFilter::from_params(&mut p).unwrap();
        let e = p.finish().unwrap_err();
        assert!(e.message.contains("actr"), "{e}");
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (k, v) in [
            ("event", "ASSAULT'; DROP TABLE events;--"),
            ("quad", "5"),
            ("status", "rumoured"),
            ("from", "2023-13-01"),
            ("min_confidence", "2"),
        ] {
            let e = EventFilter::from_params(&mut params(&[(k, v)])).unwrap_err();
            assert_eq!(e.status.as_u16(), 400);
            assert!(e.message.contains(k), "{k}: {e}");
        }
        let e =
            EventFilter::from_params(&mut params(&[("from", "2023-02-01"), ("to", "2023-01-01")]))
                .unwrap_err();
        assert!(e.message.contains("after"));
    }

    #[test]
    fn pages_are_bounded() {
        assert!(PageReq::from_params(&mut params(&[("limit", "0")]), 50).is_err());
        assert!(PageReq::from_params(&mut params(&[("limit", "100000")]), 50).is_err());
        assert!(PageReq::from_params(&mut params(&[("offset", "-1")]), 50).is_err());
        let p = PageReq::from_params(&mut params(&[]), 50).unwrap();
        assert_eq!((p.limit, p.offset), (50, 0));
        let long = "x".repeat(MAX_PARAM_CHARS + 1);
        assert!(Params::new(vec![("actor".into(), long)]).is_err());
        assert!(Params::new(vec![("a".into(), "1".into()), ("a".into(), "2".into())]).is_err());
    }

    #[test]
    fn buckets_start_on_monday_and_first_of_month() {
        let d = NaiveDate::from_ymd_opt(2023, 11, 9).unwrap(); // a Thursday
        assert_eq!(
            Bucket::Week.start(d),
            NaiveDate::from_ymd_opt(2023, 11, 6).unwrap()
        );
        assert_eq!(
            Bucket::Month.start(d),
            NaiveDate::from_ymd_opt(2023, 11, 1).unwrap()
        );
        assert_eq!(Bucket::Day.start(d), d);
    }
}
