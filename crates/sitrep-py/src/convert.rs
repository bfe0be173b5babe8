//! Rust values into Python ones: events as dicts through JSON (so their fields are exactly the
//! JSON Lines'), flat rows as column lists for pandas. Never chooses or changes a value.

use crate::errors::SitrepError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use serde_json::Value;
use sitrep_core::Event;
use sitrep_store::export::{FlatEvent, FLAT_COLUMNS};

/// Any serialisable values as a list of Python objects, via one `json.loads`.
pub fn records<'py, T: Serialize>(py: Python<'py>, items: &[T]) -> PyResult<Bound<'py, PyList>> {
    let text = serde_json::to_string(items).map_err(|e| SitrepError::new_err(e.to_string()))?;
    let loaded = py.import("json")?.call_method1("loads", (text,))?;
    Ok(loaded.cast_into::<PyList>()?)
}

/// Events flattened as the CSV of `sitrep code`, one list per column; `json` adds a column
/// with each full event as its JSON Lines record.
pub fn flat_columns<'py>(
    py: Python<'py>,
    events: &[Event],
    json: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let flat: Vec<FlatEvent> = events.iter().map(FlatEvent::from_event).collect();
    let out = PyDict::new(py);
    macro_rules! col {
        ($name:literal, $f:expr) => {
            out.set_item($name, PyList::new(py, flat.iter().map($f))?)?
        };
    }
    col!("id", |r| r.id.as_str());
    col!("doc_id", |r| r.doc_id.as_str());
    col!("date", |r| r.date.as_str());
    col!("event", |r| r.event.as_str());
    col!("mode", |r| r.mode.as_str());
    col!("status", |r| r.status.as_str());
    col!("cameo", |r| r.cameo.as_str());
    col!("goldstein", |r| r.goldstein);
    col!("quad_class", |r| r.quad_class);
    col!("source_code", |r| r.source_code.as_str());
    col!("source_text", |r| r.source_text.as_str());
    col!("target_code", |r| r.target_code.as_str());
    col!("target_text", |r| r.target_text.as_str());
    col!("location", |r| r.location.as_str());
    col!("country", |r| r.country.as_str());
    col!("lat", |r| r.lat.unwrap_or(f64::NAN));
    col!("lon", |r| r.lon.unwrap_or(f64::NAN));
    col!("quantities", |r| r.quantities.as_str());
    col!("fatalities", |r| r.fatalities);
    col!("trigger", |r| r.trigger.as_str());
    col!("rule", |r| r.rule.as_str());
    col!("confidence", |r| r.confidence as f64);
    debug_assert_eq!(out.len(), FLAT_COLUMNS.len());
    if json {
        let lines: Vec<String> = events
            .iter()
            .map(|e| serde_json::to_string(e).unwrap_or_default())
            .collect();
        out.set_item("json", PyList::new(py, lines)?)?;
    }
    Ok(out)
}

/// Rows of serialisable structs (all with the same fields) as columns in `order`; a null
/// becomes None, which pandas reads as missing.
pub fn columns<'py, T: Serialize>(
    py: Python<'py>,
    rows: &[T],
    order: &[&str],
) -> PyResult<Bound<'py, PyDict>> {
    let values: Vec<serde_json::Map<String, Value>> = rows
        .iter()
        .map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(SitrepError::new_err("a row is not a record")),
            Err(e) => Err(SitrepError::new_err(e.to_string())),
        })
        .collect::<PyResult<_>>()?;
    let json = py.import("json")?;
    let out = PyDict::new(py);
    for name in order {
        let col: Vec<&Value> = values
            .iter()
            .map(|m| m.get(*name).unwrap_or(&Value::Null))
            .collect();
        let text = serde_json::to_string(&col).map_err(|e| SitrepError::new_err(e.to_string()))?;
        out.set_item(*name, json.call_method1("loads", (text,))?)?;
    }
    Ok(out)
}
