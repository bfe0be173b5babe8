//! Python arguments into sitrep documents: texts with dates and ids go through the same JSON
//! Lines reader as `sitrep code`, so the checks and their messages are the CLI's. Never codes.

use crate::errors::SitrepError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple};
use serde_json::{json, Value};
use sitrep_core::readers::{read_bytes, read_path, Format, ReadOptions, ReadOutput};
use sitrep_core::Document;
use std::path::Path;

/// The name diagnostics give the texts: `texts:3: error: …` is the third text.
const TEXTS: &str = "texts";

/// At most this many problems are listed in one exception.
const MAX_LISTED: usize = 20;

/// A date as `YYYY-MM-DD`: a string as given, anything with `strftime` (date, datetime,
/// pandas Timestamp) formatted, anything else as `str()`.
fn date_text(v: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if v.hasattr("strftime")? {
        return v.call_method1("strftime", ("%Y-%m-%d",))?.extract();
    }
    Ok(v.str()?.to_cow()?.into_owned())
}

/// A str, or any iterable of them, as a list.
fn strings(v: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<String>> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(vec![s.to_cow()?.into_owned()]);
    }
    let mut out = Vec::new();
    for (i, item) in v.try_iter()?.enumerate() {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(s.to_cow()?.into_owned()),
            Err(_) => {
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "{what}[{i}]: expected str, got {}",
                    item.get_type().name()?
                )))
            }
        }
    }
    Ok(out)
}

/// Whether `dates` is one date for every text rather than a list of them.
fn is_single_date(v: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(v.cast::<PyString>().is_ok()
        || v.hasattr("strftime")?
        || !(v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() || v.hasattr("__iter__")?))
}

/// Documents from `texts` with `dates` (one for all, or one per text) and optional `ids`.
pub fn documents(
    texts: &Bound<'_, PyAny>,
    dates: Option<&Bound<'_, PyAny>>,
    ids: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Document>> {
    let texts = strings(texts, "texts")?;
    let mut opts = ReadOptions {
        format: Some(Format::Jsonl),
        ..ReadOptions::default()
    };
    let mut per_text: Option<Vec<String>> = None;
    if let Some(d) = dates.filter(|d| !d.is_none()) {
        if is_single_date(d)? {
            let s = date_text(d)?;
            opts.default_date = Some(s.parse().map_err(|_| {
                SitrepError::new_err(format!("bad date '{s}': expected YYYY-MM-DD"))
            })?);
        } else {
            let list: Vec<String> = d
                .try_iter()?
                .map(|x| date_text(&x?))
                .collect::<PyResult<_>>()?;
            per_text = Some(list);
        }
    }
    let ids = match ids.filter(|i| !i.is_none()) {
        Some(i) => Some(strings(i, "ids")?),
        None => None,
    };
    for (name, n) in [
        ("dates", per_text.as_ref().map(Vec::len)),
        ("ids", ids.as_ref().map(Vec::len)),
    ] {
        if let Some(n) = n.filter(|&n| n != texts.len()) {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "{name} has {n} entries for {} texts",
                texts.len()
            )));
        }
    }
    if texts.is_empty() {
        return Ok(Vec::new());
    }
    let mut lines = String::new();
    for (i, text) in texts.iter().enumerate() {
        let mut rec = json!({ "text": text });
        if let Some(d) = &per_text {
            rec["date"] = Value::from(d[i].clone());
        }
        if let Some(ids) = &ids {
            rec["id"] = Value::from(ids[i].clone());
        }
        lines.push_str(&rec.to_string());
        lines.push('\n');
    }
    let out = read_bytes(TEXTS, lines.as_bytes(), &opts);
    checked(out, true)
}

/// Documents of a file or directory, read as `sitrep code PATH` reads them; bad records are
/// skipped with a Python warning unless `strict`.
/// The documents of a call that takes either ``texts`` (with ``dates``/``ids``) or ``path``.
pub fn texts_or_path(
    py: Python<'_>,
    texts: Option<&Bound<'_, PyAny>>,
    dates: Option<&Bound<'_, PyAny>>,
    ids: Option<&Bound<'_, PyAny>>,
    path: Option<&Path>,
    strict: bool,
) -> PyResult<Vec<Document>> {
    match (texts, path) {
        (Some(t), None) => documents(t, dates, ids),
        (None, Some(p)) => path_documents(py, p, dates, strict),
        _ => Err(pyo3::exceptions::PyTypeError::new_err(
            "give either texts or path=",
        )),
    }
}

pub fn path_documents(
    py: Python<'_>,
    path: &Path,
    date: Option<&Bound<'_, PyAny>>,
    strict: bool,
) -> PyResult<Vec<Document>> {
    let mut opts = ReadOptions::default();
    if let Some(d) = date.filter(|d| !d.is_none()) {
        let s = date_text(d)?;
        opts.default_date =
            Some(s.parse().map_err(|_| {
                SitrepError::new_err(format!("bad date '{s}': expected YYYY-MM-DD"))
            })?);
    }
    let p = path.to_path_buf();
    let out = py.detach(move || read_path(&p, &opts));
    if !strict {
        let warn = py.import("warnings")?;
        for d in &out.diagnostics {
            warn.call_method1("warn", (d.to_string(),))?;
        }
    }
    checked(out, strict)
}

/// The documents, or an exception listing the errors when `fail` and there are any.
fn checked(out: ReadOutput, fail: bool) -> PyResult<Vec<Document>> {
    let errors = out.error_messages();
    if fail && !errors.is_empty() {
        let mut msg = errors[..errors.len().min(MAX_LISTED)].join("\n");
        if errors.len() > MAX_LISTED {
            msg.push_str(&format!("\n(and {} more)", errors.len() - MAX_LISTED));
        }
        return Err(SitrepError::new_err(msg));
    }
    Ok(out.documents)
}
