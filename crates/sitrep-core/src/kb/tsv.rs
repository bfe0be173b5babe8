//! The KB's file format: tab-separated, a header row naming the columns, `#` comment lines,
//! lists inside a cell separated by `|`. Errors carry file and line.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

impl std::error::Error for KbError {}

pub struct Row<'h, 'a> {
    pub file: &'a str,
    pub line: usize,
    header: &'h [&'a str],
    cells: &'h [&'a str],
}

impl<'a> Row<'_, 'a> {
    /// The cell under `col`, trimmed; empty when the column is absent or the row is short.
    pub fn get(&self, col: &str) -> &'a str {
        self.header
            .iter()
            .position(|h| *h == col)
            .and_then(|i| self.cells.get(i))
            .map(|s| s.trim())
            .unwrap_or("")
    }

    pub fn list(&self, col: &str) -> impl Iterator<Item = &'a str> {
        split_list(self.get(col))
    }

    pub fn required(&self, col: &str) -> Result<&'a str, KbError> {
        let v = self.get(col);
        if v.is_empty() {
            Err(self.error(format!("column '{col}' is empty")))
        } else {
            Ok(v)
        }
    }

    pub fn error(&self, message: impl Into<String>) -> KbError {
        KbError {
            file: self.file.to_string(),
            line: self.line,
            message: message.into(),
        }
    }
}

pub fn split_list(cell: &str) -> impl Iterator<Item = &str> {
    cell.split('|').map(str::trim).filter(|s| !s.is_empty())
}

/// Calls `f` for every data row of a TSV text. Fails on a missing header or required column.
pub fn for_each_row<'a>(
    file: &'a str,
    text: &'a str,
    required: &[&str],
    mut f: impl FnMut(Row<'_, 'a>) -> Result<(), KbError>,
) -> Result<(), KbError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    });
    let Some((hline, header_text)) = lines.next() else {
        return Ok(());
    };
    let header: Vec<&str> = header_text.split('\t').map(str::trim).collect();
    for col in required {
        if !header.contains(col) {
            return Err(KbError {
                file: file.to_string(),
                line: hline + 1,
                message: format!("header lacks column '{col}' (has: {})", header.join(", ")),
            });
        }
    }
    // one buffer for the cells of every row: the gazetteer alone has 32k rows
    let mut cells = Vec::with_capacity(header.len());
    for (i, l) in lines {
        cells.clear();
        cells.extend(l.split('\t'));
        let row = Row {
            file,
            line: i + 1,
            header: &header,
            cells: &cells,
        };
        f(row)?;
    }
    Ok(())
}
