//! `sitrep.Store`: the SQLite event store of `sitrep ingest`/`query`/`export`, opened from
//! Python. Every call goes to sitrep-store with the GIL released; nothing is computed here.

use crate::coder::PyCoder;
use crate::errors::{to_py, SitrepError};
use crate::{convert, filters, inputs};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use serde::Serialize;
use sitrep_store::export::{self, GdeltRow};
use sitrep_store::{Bucket, CodedDocument, EventFilter, IngestStats, SeriesBy, Store};
use std::path::PathBuf;
use std::sync::Mutex;

// One connection; the mutex lets Python threads share the object (SQLite serialises anyway).
/// Opens the event database at ``path`` (SQLite, as ``sitrep ingest --db``), creating it
/// when missing. ``":memory:"`` opens a private in-memory store.
#[pyclass(subclass, module = "sitrep._sitrep", name = "Store", frozen)]
pub struct PyStore {
    store: Mutex<Store>,
    path: PathBuf,
}

impl PyStore {
    /// Runs `f` on the store with the GIL released.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut Store) -> sitrep_store::Result<T> + Send,
    ) -> PyResult<T> {
        py.detach(|| {
            let mut s = self
                .store
                .lock()
                .map_err(|_| SitrepError::new_err("the store was poisoned by a panic"))?;
            f(&mut s).map_err(|e| to_py(None, &e))
        })
    }

    /// Runs `f` with the events filter of a method's keyword arguments, as `with` does.
    fn with_filter<T: Send>(
        &self,
        py: Python<'_>,
        filters: Option<&Bound<'_, PyDict>>,
        f: impl FnOnce(&mut Store, &EventFilter) -> sitrep_store::Result<T> + Send,
    ) -> PyResult<T> {
        let filter = filters::from_kwargs(filters)?;
        self.with(py, |s| f(s, &filter))
    }

    /// What `f` finds under the filter of `filters`, as a list of dicts.
    fn records<'py, T: Serialize + Send>(
        &self,
        py: Python<'py>,
        filters: Option<&Bound<'py, PyDict>>,
        f: impl FnOnce(&mut Store, &EventFilter) -> sitrep_store::Result<Vec<T>> + Send,
    ) -> PyResult<Bound<'py, PyList>> {
        let items = self.with_filter(py, filters, f)?;
        convert::records(py, &items)
    }
}

fn bucket(s: &str) -> PyResult<Bucket> {
    match s {
        "day" => Ok(Bucket::Day),
        "week" => Ok(Bucket::Week),
        "month" => Ok(Bucket::Month),
        _ => Err(SitrepError::new_err(format!(
            "bucket {s:?}: expected day, week or month"
        ))),
    }
}

fn series_by(s: &str) -> PyResult<SeriesBy> {
    match s {
        "total" => Ok(SeriesBy::Total),
        "dyad" => Ok(SeriesBy::Dyad),
        "actor" => Ok(SeriesBy::Actor),
        _ => Err(SitrepError::new_err(format!(
            "by {s:?}: expected total, dyad or actor"
        ))),
    }
}

fn stats_dict<'py>(py: Python<'py>, s: &IngestStats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("documents_added", s.documents_added)?;
    d.set_item("documents_skipped", s.documents_skipped)?;
    d.set_item("events_added", s.events_added)?;
    d.set_item("events_duplicate", s.events_duplicate)?;
    d.set_item("events_removed", s.events_removed)?;
    Ok(d)
}

#[pymethods]
impl PyStore {
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let p = path.clone();
        let store = py
            .detach(move || {
                if p.as_os_str() == ":memory:" {
                    Store::in_memory()
                } else {
                    Store::open(&p)
                }
            })
            .map_err(|e| to_py(None, &e))?;
        Ok(PyStore {
            store: Mutex::new(store),
            path,
        })
    }

    /// The database file.
    #[getter]
    fn path(&self) -> PathBuf {
        self.path.clone()
    }

    /// Codes documents with ``coder`` and stores them with their events, as ``sitrep ingest``:
    /// documents already stored (same id) are skipped, each batch is one transaction.
    /// Give ``texts`` (with ``dates``/``ids`` as in ``Coder.code``) or ``path`` (a file or
    /// directory). Returns counts: documents_added, documents_skipped, events_added, ….
    #[pyo3(signature = (coder, texts=None, dates=None, ids=None, path=None, strict=false, batch=5000))]
    #[allow(clippy::too_many_arguments)]
    fn ingest<'py>(
        &self,
        py: Python<'py>,
        coder: &PyCoder,
        texts: Option<&Bound<'py, PyAny>>,
        dates: Option<&Bound<'py, PyAny>>,
        ids: Option<&Bound<'py, PyAny>>,
        path: Option<PathBuf>,
        strict: bool,
        batch: usize,
    ) -> PyResult<Bound<'py, PyDict>> {
        let docs = inputs::texts_or_path(py, texts, dates, ids, path.as_deref(), strict)?;
        let version = coder.coder_version()?;
        let mut stats = IngestStats::default();
        let mut todo = Vec::with_capacity(docs.len());
        for d in docs {
            if self.with(py, |s| s.has_document(&d.id))? {
                stats.documents_skipped += 1;
            } else {
                todo.push(d);
            }
        }
        for chunk in todo.chunks(batch.max(1)) {
            let coded = py
                .detach(|| coder.code_docs(chunk))
                .map_err(SitrepError::new_err)?;
            let batch: Vec<CodedDocument> = chunk
                .iter()
                .cloned()
                .zip(coded)
                .map(|(document, events)| CodedDocument { document, events })
                .collect();
            stats.add(self.with(py, |s| s.ingest(&batch, &version))?);
        }
        self.with(py, |s| s.checkpoint())?;
        stats_dict(py, &stats)
    }

    /// Counts of documents, events, actors and stories.
    fn counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = self.with(py, |s| s.counts())?;
        let d = PyDict::new(py);
        d.set_item("documents", c.documents)?;
        d.set_item("events", c.events)?;
        d.set_item("actors", c.actors)?;
        d.set_item("stories", c.stories)?;
        Ok(d)
    }

    /// Matching events as columns of ``sitrep export --format csv`` (GDELT-style; also the
    /// Parquet export's columns): a dict of lists. ``Store.events`` makes it a DataFrame.
    #[pyo3(signature = (**filters))]
    fn event_columns<'py>(
        &self,
        py: Python<'py>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let rows = self.with_filter(py, filters, |s, f| {
            let mut rows = Vec::new();
            s.for_each_event(f, |r| {
                rows.push(GdeltRow::from_row(&r));
                Ok(())
            })?;
            Ok(rows)
        })?;
        convert::columns(py, &rows, &export::gdelt_header())
    }

    /// Matching events, each as the dict ``sitrep code`` writes (all actors, evidence, …).
    #[pyo3(signature = (**filters))]
    fn event_records<'py>(
        &self,
        py: Python<'py>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.records(py, filters, |s, f| s.events(f))
    }

    /// Counts and mean Goldstein per period (``bucket``: day, week or month) split ``by``
    /// total, dyad or actor, as ``sitrep query --series``: a list of dicts with key, period,
    /// count and mean_goldstein.
    #[pyo3(signature = (by="total", bucket="week", **filters))]
    fn series_records<'py>(
        &self,
        py: Python<'py>,
        by: &str,
        bucket: &str,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (by, b) = (series_by(by)?, self::bucket(bucket)?);
        self.records(py, filters, |s, f| s.series(f, by, b))
    }

    /// Stories (the same event told by several reports) with a matching event, earliest
    /// first: a list of dicts.
    #[pyo3(signature = (**filters))]
    fn story_records<'py>(
        &self,
        py: Python<'py>,
        filters: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyList>> {
        self.records(py, filters, |s, f| s.stories(f))
    }

    /// Writes matching events to ``path`` as ``sitrep export`` does: ``parquet`` or ``csv``
    /// (GDELT-style columns), ``jsonl`` (PLOVER fields) or ``events`` (sitrep's own JSON
    /// Lines). Returns the number of events written.
    #[pyo3(signature = (path, format="parquet", **filters))]
    fn export(
        &self,
        py: Python<'_>,
        path: PathBuf,
        format: &str,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<u64> {
        if format == "parquet" {
            return self.with_filter(py, filters, |s, f| export::write_parquet(s, f, &path));
        }
        let writer = match format {
            "csv" => export::write_gdelt_csv,
            "jsonl" => export::write_plover_jsonl,
            "events" => export::write_events_jsonl,
            other => {
                return Err(SitrepError::new_err(format!(
                    "format {other:?}: expected parquet, csv, jsonl or events"
                )))
            }
        };
        let file = std::fs::File::create(&path)
            .map_err(|e| to_py(Some(&format!("cannot create {}", path.display())), &e))?;
        self.with_filter(py, filters, |s, f| {
            writer(s, f, std::io::BufWriter::new(file))
        })
    }

    fn __repr__(&self) -> String {
        format!("sitrep.Store({:?})", self.path)
    }
}
