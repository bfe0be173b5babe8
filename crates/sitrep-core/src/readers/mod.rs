//! Readers turn files, directories and stdin into dated `Document`s, and every problem they meet
//! into a `Diagnostic` that names the file and line, so one bad record never hides the rest.

mod detect;
mod jsonl;
mod text;

use crate::document::Document;
use chrono::NaiveDate;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

pub use detect::{sniff_format, Format};

#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Date given to documents that carry none (`--date`).
    pub default_date: Option<NaiveDate>,
    /// Longer documents are cut at a character boundary with a warning.
    pub max_doc_bytes: usize,
    /// Forces a format instead of guessing from the name and the first bytes.
    pub format: Option<Format>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            default_date: None,
            max_doc_bytes: 8 * 1024 * 1024,
            format: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The record was skipped.
    Error,
    /// The record was read, but not as it stood (truncated, BOM removed, …).
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(file: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line,
            severity: Severity::Error,
            message: message.into(),
        }
    }
    pub fn warning(file: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, line, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.line > 0 {
            write!(f, "{}:{}: {kind}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {kind}: {}", self.file, self.message)
        }
    }
}

/// What reading one input yields: documents, and diagnostics for what could not be read.
#[derive(Debug, Default)]
pub struct ReadOutput {
    pub documents: Vec<Document>,
    /// The file and line where each document starts, parallel to `documents`, so later warnings
    /// about a document (content cut by the coder's limits) can name its place.
    pub origins: Vec<(String, usize)>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ReadOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
    fn extend(&mut self, other: ReadOutput) {
        self.documents.extend(other.documents);
        self.origins.extend(other.origins);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// Reads a file, a directory (recursively, in name order) or `-` for stdin.
pub fn read_path(path: &Path, opts: &ReadOptions) -> ReadOutput {
    if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
            return single_error("<stdin>", format!("cannot read: {e}"));
        }
        return read_bytes("<stdin>", &buf, opts);
    }
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return single_error(&name, format!("cannot open: {e}")),
    };
    if meta.is_dir() {
        let mut out = ReadOutput::default();
        match list_dir(path) {
            Ok(files) => {
                for f in files {
                    out.extend(read_path(&f, opts));
                }
            }
            Err(e) => out.diagnostics.push(Diagnostic::error(
                &name,
                0,
                format!("cannot list directory: {e}"),
            )),
        }
        return out;
    }
    match std::fs::read(path) {
        Ok(bytes) => read_bytes(&name, &bytes, opts),
        Err(e) => single_error(&name, format!("cannot read: {e}")),
    }
}

/// Reads one input already in memory; `name` is used in diagnostics and for format guessing.
pub fn read_bytes(name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadOutput {
    let format = opts.format.unwrap_or_else(|| sniff_format(name, bytes));
    match format {
        Format::Jsonl => jsonl::read(name, bytes, opts),
        Format::Text => text::read(name, bytes, opts),
    }
}

fn single_error(name: &str, msg: String) -> ReadOutput {
    ReadOutput {
        diagnostics: vec![Diagnostic::error(name, 0, msg)],
        ..ReadOutput::default()
    }
}

/// The files `read_path` would read for `path`, in its order: a directory's files (as
/// `list_dir`), or the path itself (a file, `-`, or a path that cannot be listed, which
/// `read_path` then reports). Lets a caller read a large tree a part at a time.
pub fn input_files(path: &Path) -> Vec<PathBuf> {
    if path.as_os_str() != "-" && path.is_dir() {
        if let Ok(files) = list_dir(path) {
            return files;
        }
    }
    vec![path.to_path_buf()]
}

/// Files below `dir`, sorted, skipping hidden entries (editor swap files, `.git`).
fn list_dir(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Cuts `text` to at most `max` bytes on a character boundary; returns whether it cut.
pub(crate) fn truncate_at_char(text: &mut String, max: usize) -> bool {
    if text.len() <= max {
        return false;
    }
    let mut cut = max;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    text.truncate(cut);
    true
}

/// Checks bytes are UTF-8 text, naming the line of the first bad byte when not.
pub(crate) fn decode_utf8<'a>(
    name: &str,
    bytes: &'a [u8],
    first_line: usize,
) -> Result<&'a str, Diagnostic> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(e) => {
            let at = e.valid_up_to();
            let line = first_line + bytes[..at].iter().filter(|b| **b == b'\n').count();
            Err(Diagnostic::error(
                name,
                line,
                format!("invalid UTF-8 at byte {at}: convert the file to UTF-8"),
            ))
        }
    }
}
