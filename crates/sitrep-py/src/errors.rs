//! The package's exception and the wording of Rust errors in it: the chain of causes joined
//! as `sitrep` prints it after `sitrep: error:`. Never swallows an error.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::PyErr;

create_exception!(
    _sitrep,
    SitrepError,
    PyException,
    "A sitrep error: unreadable input, a bad knowledge base, a database problem or a bad filter. The message is the one the sitrep CLI prints."
);

/// `context: cause: cause…`, as anyhow's `{:#}` writes it in the CLI.
pub fn chain(context: Option<&str>, e: &dyn std::error::Error) -> String {
    let mut parts: Vec<String> = context.map(str::to_string).into_iter().collect();
    let mut cur: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = cur {
        parts.push(err.to_string());
        cur = err.source();
    }
    parts.join(": ")
}

/// The Python exception for an error, with the CLI's context words.
pub fn to_py(context: Option<&str>, e: &dyn std::error::Error) -> PyErr {
    SitrepError::new_err(chain(context, e))
}
