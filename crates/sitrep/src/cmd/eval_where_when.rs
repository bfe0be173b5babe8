//! `sitrep eval` on where/when/how-many gold: codes each record and prints place, date and
//! count scores per split. It scores only those fields, never event types or actors.

use super::engine::Engine;
use anyhow::Result;
use rayon::prelude::*;
use sitrep_core::coder::Coder;
use sitrep_core::{Document, Event};
use sitrep_eval::where_when::{render, score_by_split, WhereWhen};
use std::io::Write;

pub fn run(
    files: &[(String, Vec<WhereWhen>)],
    coder: &Coder,
    engine: &Engine,
    json: bool,
) -> Result<()> {
    let mut out = crate::output::stdout();
    for (name, records) in files {
        let preds: Vec<Vec<Event>> = records
            .par_iter()
            .map(|r| engine.code(coder, &Document::new(r.date, &r.text)))
            .collect::<Result<_>>()?;
        let by_split = score_by_split(records, &preds);
        if json {
            let report = serde_json::json!({"gold_file": name, "where_when": by_split});
            writeln!(out, "{report}")?;
        } else {
            write!(out, "{}", render(name, &by_split))?;
        }
    }
    out.flush()?;
    Ok(())
}
