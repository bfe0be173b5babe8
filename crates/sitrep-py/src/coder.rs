//! `sitrep.Coder`: the knowledge base and (unless rules-only) the relation model, loaded once;
//! documents coded on a rayon pool with the GIL released. Never decides what an event is.

use crate::errors::{chain, to_py, SitrepError};
use crate::{convert, inputs};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use rayon::prelude::*;
use sitrep_core::coder::{Coder as RuleCoder, CoderOptions};
use sitrep_core::kb::Kb;
use sitrep_core::{Document, Event};
use sitrep_model::{LearnedCoder, RelationModel};
use std::path::PathBuf;
use std::sync::Arc;

/// Loads the knowledge base and, unless ``rules_only``, the learned relation model built
/// into the package. Load once and call ``code`` many times.
///
/// kb_dir: a directory (or list of them) whose KB files add to or replace the built-in
///     knowledge base, as ``sitrep --kb DIR``.
/// rules_only: code with the rules alone (faster; what ``--rules-only`` does).
/// statements: also emit CAMEO 01/02 events as STATEMENT and APPEAL.
/// threads: worker threads for this coder (default: one per core). Under Spark, give 1
///     per task, since Spark already runs a task per core.
#[pyclass(subclass, module = "sitrep._sitrep", name = "Coder", frozen)]
pub struct PyCoder {
    kb: Arc<Kb>,
    kb_dirs: Vec<PathBuf>,
    learned: Option<Arc<LearnedCoder>>,
    opts: CoderOptions,
    /// A pool of its own when `threads` was given; else rayon's global pool (one per core).
    pool: Option<Arc<rayon::ThreadPool>>,
}

impl PyCoder {
    /// Codes `docs` in parallel, in input order; the caller has released the GIL.
    pub fn code_docs(&self, docs: &[Document]) -> Result<Vec<Vec<Event>>, String> {
        let run = || {
            let coder = RuleCoder::new(&self.kb, self.opts.clone());
            docs.par_iter()
                .map(|d| match &self.learned {
                    None => Ok(coder.code(d)),
                    Some(l) => l.code(&coder, d).map_err(|e| chain(None, &e)),
                })
                .collect()
        };
        match &self.pool {
            Some(p) => p.install(run),
            None => run(),
        }
    }

    /// Codes with the GIL released and flattens the events in document order.
    pub fn code_released(&self, py: Python<'_>, docs: Vec<Document>) -> PyResult<Vec<Event>> {
        let coded = py.detach(|| self.code_docs(&docs));
        Ok(coded
            .map_err(SitrepError::new_err)?
            .into_iter()
            .flatten()
            .collect())
    }

    /// What produced the events, as `sitrep ingest` records it (for `recode --stale`).
    pub fn coder_version(&self) -> PyResult<String> {
        let mut v = format!("sitrep-{}", env!("CARGO_PKG_VERSION"));
        if self.learned.is_some() {
            let id = sitrep_model::relation::model_id(None).map_err(|e| to_py(None, &e))?;
            v.push_str(&format!("+{id}"));
        }
        if !self.kb_dirs.is_empty() {
            let mut h = blake3::Hasher::new();
            for dir in &self.kb_dirs {
                sitrep_core::kb::hash_tree(dir, &mut h).map_err(|e| {
                    to_py(Some(&format!("reading KB files in {}", dir.display())), &e)
                })?;
            }
            v.push_str(&format!("+kb.{}", &h.finalize().to_hex()[..12]));
        }
        if self.opts.statements {
            v.push_str("+statements");
        }
        Ok(v)
    }
}

/// `kb_dir` as a list of directories: None, one path, or several.
fn kb_dirs(kb_dir: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<PathBuf>> {
    match kb_dir.filter(|k| !k.is_none()) {
        None => Ok(Vec::new()),
        Some(k) => match k.extract::<PathBuf>() {
            Ok(p) => Ok(vec![p]),
            Err(_) => k.extract::<Vec<PathBuf>>(),
        },
    }
}

#[pymethods]
impl PyCoder {
    #[new]
    #[pyo3(signature = (kb_dir=None, rules_only=false, statements=false, threads=None))]
    fn new(
        py: Python<'_>,
        kb_dir: Option<&Bound<'_, PyAny>>,
        rules_only: bool,
        statements: bool,
        threads: Option<usize>,
    ) -> PyResult<Self> {
        let dirs = kb_dirs(kb_dir)?;
        let pool = match threads {
            Some(0) => return Err(SitrepError::new_err("threads must be at least 1")),
            Some(n) => Some(Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| to_py(None, &e))?,
            )),
            None => None,
        };
        let d = dirs.clone();
        let (kb, learned) = py
            .detach(move || -> Result<_, String> {
                let kb = Kb::load(&d).map_err(|e| chain(Some("loading the knowledge base"), &e))?;
                let learned = if rules_only {
                    None
                } else {
                    let m = RelationModel::embedded().map_err(|e| {
                        chain(
                            Some("loading the relation model (--rules-only codes without it)"),
                            &e,
                        )
                    })?;
                    Some(Arc::new(LearnedCoder::new(m)))
                };
                Ok((kb, learned))
            })
            .map_err(SitrepError::new_err)?;
        Ok(PyCoder {
            kb: Arc::new(kb),
            kb_dirs: dirs,
            learned,
            opts: CoderOptions {
                statements,
                ..CoderOptions::default()
            },
            pool,
        })
    }

    /// Whether this coder uses the rules alone (no relation model).
    #[getter]
    fn rules_only(&self) -> bool {
        self.learned.is_none()
    }

    /// Codes texts into events: a list of dicts with the fields of ``sitrep code``'s JSON Lines.
    ///
    /// texts: a str or a sequence of str, one document each.
    /// dates: the report date of every text (a 'YYYY-MM-DD' str, ``datetime.date`` or pandas
    ///     Timestamp), or a sequence with one per text.
    /// ids: document ids, one per text (default: content-addressed, ``d-`` + BLAKE3).
    ///
    /// Raises SitrepError naming ``texts:N`` (the Nth text) for a missing or bad date or an
    /// empty text, with the CLI's wording. The GIL is released while coding.
    #[pyo3(signature = (texts, dates=None, ids=None))]
    fn code<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        dates: Option<&Bound<'py, PyAny>>,
        ids: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let docs = inputs::documents(texts, dates, ids)?;
        let events = self.code_released(py, docs)?;
        convert::records(py, &events)
    }

    /// Codes a file or a directory of articles (text, the seed format, or JSON Lines), read as
    /// ``sitrep code PATH`` reads them. Unreadable records are skipped with a warning naming
    /// file and line; with ``strict=True`` they raise SitrepError instead.
    #[pyo3(signature = (path, date=None, strict=false))]
    fn code_path<'py>(
        &self,
        py: Python<'py>,
        path: PathBuf,
        date: Option<&Bound<'py, PyAny>>,
        strict: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let docs = inputs::path_documents(py, &path, date, strict)?;
        let events = self.code_released(py, docs)?;
        convert::records(py, &events)
    }

    /// The events of ``code`` (or of ``code_path`` when ``path`` is given) as columns: a dict of
    /// lists named like ``sitrep code --format csv``'s header (``code_frame`` builds on it).
    #[pyo3(signature = (texts=None, dates=None, ids=None, path=None, strict=false, json=false))]
    #[allow(clippy::too_many_arguments)]
    fn code_columns<'py>(
        &self,
        py: Python<'py>,
        texts: Option<&Bound<'py, PyAny>>,
        dates: Option<&Bound<'py, PyAny>>,
        ids: Option<&Bound<'py, PyAny>>,
        path: Option<PathBuf>,
        strict: bool,
        json: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let docs = inputs::texts_or_path(py, texts, dates, ids, path.as_deref(), strict)?;
        let events = self.code_released(py, docs)?;
        convert::flat_columns(py, &events, json)
    }

    fn __repr__(&self) -> String {
        format!(
            "sitrep.Coder(kb_dir={:?}, rules_only={}, statements={})",
            self.kb_dirs,
            self.learned.is_none(),
            self.opts.statements
        )
    }
}
