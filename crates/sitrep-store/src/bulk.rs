//! Many rows to one INSERT. Rows held back until their batch ends are written together,
//! sorted by the table's key, so each b-tree page is visited once per batch instead of once
//! per row, and a statement's fixed cost (look-up, step, reset) is paid once per [`ROWS`].

use rusqlite::{Statement, Transaction};

/// Rows in one statement: SQLite allows 32,766 parameters, and past a hundred or so rows the
/// saving per row is spent.
pub(crate) const ROWS: usize = 128;

/// Inserts `rows` with `head VALUES (?, …), …`, `width` parameters a row, which
/// `bind(statement, index of the row's first parameter, row)` binds.
pub(crate) fn insert<T>(
    tx: &Transaction,
    head: &str,
    width: usize,
    rows: &[T],
    mut bind: impl FnMut(&mut Statement, usize, &T) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let sql = |n: usize| {
        let row = format!("({})", vec!["?"; width].join(", "));
        format!("{head} VALUES {}", vec![row; n].join(", "))
    };
    let mut full = None;
    let mut last;
    for chunk in rows.chunks(ROWS) {
        // Full chunks share one cached statement; the one short chunk at the end gets its own,
        // uncached, so its many possible lengths do not crowd the cache.
        let stmt: &mut Statement = if chunk.len() == ROWS {
            if full.is_none() {
                full = Some(tx.prepare_cached(&sql(ROWS))?);
            }
            full.as_mut().expect("just set")
        } else {
            last = tx.prepare(&sql(chunk.len()))?;
            &mut last
        };
        for (i, r) in chunk.iter().enumerate() {
            bind(stmt, i * width + 1, r)?;
        }
        stmt.raw_execute()?;
    }
    Ok(())
}
