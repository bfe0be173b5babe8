//! Query-string parsing with strict validation: unknown names, malformed values and oversized
//! strings are refused with a message naming the parameter, instead of being silently ignored.

use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;
use serde::Serialize;
use sitrep_core::{EventType, Status};
pub use sitrep_store::{Bucket, EventFilter, EventOrder, SortKey};
use std::collections::BTreeMap;
use std::str::FromStr;

/// Longest string a filter accepts; long enough for any actor name, short enough to bound work.
pub const MAX_PARAM_CHARS: usize = 200;
/// Longest parameter name; every real one is far shorter.
pub const MAX_NAME_CHARS: usize = 64;
pub const MAX_LIMIT: usize = 1000;
/// Deepest `offset` served. SQLite walks every skipped row, so an offset costs its depth; at
/// 10,000 that is a few milliseconds, while a page found by `cursor=` costs a first page at
/// any depth. The dashboard's own pages follow cursors and never send one.
pub const MAX_OFFSET: usize = 10_000;

/// The raw `name=value` pairs of one request, consumed as they are read so leftovers can be
/// reported as unknown parameters.
pub struct Params {
    map: BTreeMap<String, String>,
}

impl Params {
    pub fn new(pairs: Vec<(String, String)>) -> ApiResult<Params> {
        let mut map = BTreeMap::new();
        for (k, v) in pairs {
            // A name this long is no parameter of ours; it is not echoed back either.
            if k.chars().count() > MAX_NAME_CHARS || k.chars().any(|c| c.is_control()) {
                return Err(ApiError::bad_param(format!(
                    "a parameter name is longer than {MAX_NAME_CHARS} characters or holds control characters"
                )));
            }
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
        // Written so that NaN, which compares false with everything, is out of range too.
        if !(v >= lo && v <= hi) {
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

/// The event filters of `sitrep query` (the store's `EventFilter`), read from a query string.
/// `source` and `target` are the dyad's country codes and come together.
pub fn event_filter(p: &mut Params) -> ApiResult<EventFilter> {
    let mut f = EventFilter {
        actor: p.take("actor"),
        place: p.take("place"),
        text: p.take("text"),
        story: p.take("story"),
        doc_id: p.take("doc"),
        from: p.take_date("from")?,
        to: p.take_date("to")?,
        ..EventFilter::default()
    };
    match (p.take("source"), p.take("target")) {
        (Some(s), Some(t)) => f.dyad = Some((s.to_ascii_uppercase(), t.to_ascii_uppercase())),
        (None, None) => {}
        _ => {
            return Err(ApiError::bad_param(
                "parameters `source` and `target` (country codes of a dyad) go together",
            ))
        }
    }
    if let Some(t) = p.take("event") {
        f.event = Some(parse_event_type(&t).ok_or_else(|| {
            ApiError::bad_param(format!("parameter `event`: unknown event type `{t}`"))
        })?);
    }
    if let Some(q) = p.take("quad") {
        match q.parse::<u8>() {
            Ok(n @ 1..=4) => f.quad_class = Some(n),
            _ => {
                return Err(ApiError::bad_param(format!(
                    "parameter `quad`: `{q}` is not 1, 2, 3 or 4"
                )))
            }
        }
    }
    if let Some(list) = p.take("status") {
        f.statuses = parse_statuses(&list)?;
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

/// `asserted,reported`: any of these statuses; one name alone is a single status.
fn parse_statuses(list: &str) -> ApiResult<Vec<Status>> {
    let mut out = Vec::new();
    for s in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let st = Status::parse(s).ok_or_else(|| {
            ApiError::bad_param(format!("parameter `status`: unknown status `{s}`"))
        })?;
        if !out.contains(&st) {
            out.push(st);
        }
    }
    Ok(out)
}

pub fn parse_event_type(s: &str) -> Option<EventType> {
    let up = s.trim().to_ascii_uppercase();
    EventType::ALL.iter().copied().find(|t| t.as_str() == up)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageReq {
    pub limit: usize,
    pub offset: usize,
    /// `cursor=` from a previous page's `next_cursor`: the page after it, found through the
    /// index at the cost of a first page (a deep `offset` walks every row before it).
    pub cursor: Option<String>,
}

impl PageReq {
    pub fn from_params(p: &mut Params, default_limit: usize) -> ApiResult<PageReq> {
        Ok(PageReq {
            limit: p.take_range("limit", "a whole number", 1, MAX_LIMIT, default_limit)?,
            offset: take_offset(p)?,
            cursor: p.take("cursor").filter(|c| !c.is_empty()),
        })
    }
}

fn take_offset(p: &mut Params) -> ApiResult<usize> {
    let offset = p.take_range("offset", "a whole number", 0, usize::MAX, 0)?;
    if offset > MAX_OFFSET {
        return Err(ApiError::bad_param(format!(
            "parameter `offset` must be at most {MAX_OFFSET}, got {offset}; to page deeper, \
             pass the previous page's `next_cursor` as `cursor=` instead"
        )));
    }
    Ok(offset)
}

/// `sort=-date` (the default, newest first), `sort=source`, `sort=-confidence`…
pub fn event_order(p: &mut Params) -> ApiResult<EventOrder> {
    match p.take("sort") {
        None => Ok(EventOrder::NEWEST),
        Some(s) => EventOrder::parse(&s).ok_or_else(|| {
            let keys: Vec<&str> = SortKey::ALL.iter().map(|k| k.as_str()).collect();
            ApiError::bad_param(format!(
                "parameter `sort`: `{s}` is not one of {} (a leading - sorts descending)",
                keys.join(", ")
            ))
        }),
    }
}

pub fn bucket(p: &mut Params) -> ApiResult<Bucket> {
    match p.take("bucket").as_deref() {
        None | Some("week") => Ok(Bucket::Week),
        Some("day") => Ok(Bucket::Day),
        Some("month") => Ok(Bucket::Month),
        Some(other) => Err(ApiError::bad_param(format!(
            "parameter `bucket`: `{other}` is not day, week or month"
        ))),
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
    fn filters_parse_and_typos_are_refused() {
        let mut p = params(&[
            ("event", "assault"),
            ("quad", "4"),
            ("from", "2023-10-01"),
            ("source", "isr"),
            ("target", "PSE"),
        ]);
        let f = event_filter(&mut p).unwrap();
        assert_eq!(f.event, Some(EventType::Assault));
        assert_eq!(f.quad_class, Some(4));
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2023, 10, 1));
        assert_eq!(f.dyad, Some(("ISR".into(), "PSE".into())));
        p.finish().unwrap();

        let f = event_filter(&mut params(&[("status", "asserted, reported")])).unwrap();
        assert_eq!(f.statuses, vec![Status::Asserted, Status::Reported]);

        let mut p = params(&[("actr", "ISR")]);
        event_filter(&mut p).unwrap();
        let e = p.finish().unwrap_err();
        assert!(e.message.contains("actr"), "{e}");
    }

    #[test]
    fn bad_values_name_the_parameter() {
        for (k, v) in [
            ("event", "ASSAULT'; DROP TABLE events;--"),
            ("quad", "5"),
            ("status", "rumoured"),
            ("status", "asserted,rumoured"),
            ("from", "2023-13-01"),
            ("min_confidence", "2"),
            ("source", "ISR"),
        ] {
            let e = event_filter(&mut params(&[(k, v)])).unwrap_err();
            assert_eq!(e.status.as_u16(), 400);
            assert!(e.message.contains(k), "{k}: {e}");
        }
        let e =
            event_filter(&mut params(&[("from", "2023-02-01"), ("to", "2023-01-01")])).unwrap_err();
        assert!(e.message.contains("after"));
    }

    #[test]
    fn pages_are_bounded() {
        assert!(PageReq::from_params(&mut params(&[("limit", "0")]), 50).is_err());
        assert!(PageReq::from_params(&mut params(&[("limit", "100000")]), 50).is_err());
        assert!(PageReq::from_params(&mut params(&[("offset", "-1")]), 50).is_err());
        let at_cap = MAX_OFFSET.to_string();
        let p = PageReq::from_params(&mut params(&[("offset", &at_cap)]), 50).unwrap();
        assert_eq!(p.offset, MAX_OFFSET);
        let past = (MAX_OFFSET + 1).to_string();
        let e = PageReq::from_params(&mut params(&[("offset", &past)]), 50).unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        assert!(e.message.contains("cursor="), "{e}");
        let p = PageReq::from_params(&mut params(&[]), 50).unwrap();
        assert_eq!((p.limit, p.offset), (50, 0));
        let long_name = "n".repeat(50_000);
        let e = Params::new(vec![(long_name.clone(), "1".into())])
            .err()
            .unwrap();
        assert!(!e.message.contains(&long_name[..100]), "{e}");
        let mut p = params(&[("z", "NaN")]);
        assert!(p.take_range("z", "a number", 0.5, 50.0, 3.0).is_err());
        let long = "x".repeat(MAX_PARAM_CHARS + 1);
        assert!(Params::new(vec![("actor".into(), long)]).is_err());
        assert!(Params::new(vec![("a".into(), "1".into()), ("a".into(), "2".into())]).is_err());
    }
}
