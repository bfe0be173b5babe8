//! Keyword filters (`actor=`, `dyad=`, `event=`, …) into the store's `EventFilter`, checked with
//! the words `sitrep query` uses for its flags. Never runs a query.

use crate::errors::SitrepError;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use sitrep_core::{EventType, Status};
use sitrep_store::EventFilter;

/// The filter names accepted, for the message about an unknown one.
pub const NAMES: &[&str] = &[
    "actor",
    "dyad",
    "event",
    "quad",
    "status",
    "from_",
    "to",
    "place",
    "text",
    "story",
    "doc_id",
    "min_confidence",
    "limit",
    "offset",
];

fn date(name: &str, v: &Bound<'_, PyAny>) -> PyResult<chrono::NaiveDate> {
    let s: String = if v.hasattr("strftime")? {
        v.call_method1("strftime", ("%Y-%m-%d",))?.extract()?
    } else {
        v.extract()?
    };
    s.parse()
        .map_err(|_| SitrepError::new_err(format!("{name} {s:?}: expected YYYY-MM-DD")))
}

fn dyad(v: &Bound<'_, PyAny>) -> PyResult<(String, String)> {
    let pair: Option<(String, String)> = if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?;
        s.split_once(',')
            .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
    } else {
        v.extract().ok()
    };
    match pair {
        Some((s, t)) if !s.trim().is_empty() && !t.trim().is_empty() => Ok((s, t)),
        _ => {
            let given = match v.cast::<PyString>() {
                Ok(s) => format!("{:?}", s.to_cow()?),
                Err(_) => v.repr()?.to_cow()?.into_owned(),
            };
            Err(SitrepError::new_err(format!(
                "dyad {given}: expected two country codes like ISR,LBN"
            )))
        }
    }
}

/// The filter of `kwargs`; `None` takes every event.
pub fn from_kwargs(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<EventFilter> {
    let mut f = EventFilter::default();
    let Some(kw) = kwargs else { return Ok(f) };
    for (k, v) in kw.iter() {
        let key: String = k.extract()?;
        if v.is_none() {
            continue;
        }
        match key.as_str() {
            "actor" => f.actor = Some(v.extract()?),
            "dyad" => f.dyad = Some(dyad(&v)?),
            "event" => {
                let e: String = v.extract()?;
                f.event = Some(EventType::parse_label(&e).map(|(t, _)| t).ok_or_else(|| {
                    SitrepError::new_err(format!("event {e:?}: not a PLOVER event type"))
                })?)
            }
            "quad" | "quad_class" => f.quad_class = Some(v.extract()?),
            "status" => {
                let s: String = v.extract()?;
                f.status = Some(Status::parse(&s).ok_or_else(|| {
                    SitrepError::new_err(format!(
                        "status {s:?}: expected asserted, hypothetical, planned, intended, negated or reported"
                    ))
                })?)
            }
            "from_" | "from" => f.from = Some(date("from_", &v)?),
            "to" => f.to = Some(date("to", &v)?),
            "place" => f.place = Some(v.extract()?),
            "text" => f.text = Some(v.extract()?),
            "story" => f.story = Some(v.extract()?),
            "doc_id" => f.doc_id = Some(v.extract()?),
            "min_confidence" => f.min_confidence = Some(v.extract()?),
            "limit" => f.limit = Some(v.extract()?),
            "offset" => f.offset = v.extract()?,
            other => {
                return Err(PyTypeError::new_err(format!(
                    "unknown filter {other:?}: expected one of {}",
                    NAMES.join(", ")
                )))
            }
        }
    }
    Ok(f)
}
