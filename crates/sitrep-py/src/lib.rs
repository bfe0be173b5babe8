//! The `sitrep._sitrep` extension module behind the Python package `sitrep`: a thin binding
//! over sitrep-core, sitrep-model and sitrep-store. Never holds coding or storage logic.

mod coder;
mod convert;
mod errors;
mod filters;
mod inputs;
mod store;

use pyo3::prelude::*;

#[pymodule]
fn _sitrep(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("SitrepError", m.py().get_type::<errors::SitrepError>())?;
    m.add("FLAT_COLUMNS", sitrep_store::export::FLAT_COLUMNS.to_vec())?;
    m.add("EXPORT_COLUMNS", sitrep_store::export::gdelt_header())?;
    m.add("FILTERS", filters::NAMES.to_vec())?;
    m.add_class::<coder::PyCoder>()?;
    m.add_class::<store::PyStore>()?;
    Ok(())
}
