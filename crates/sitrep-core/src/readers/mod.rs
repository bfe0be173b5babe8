//! Readers turn files, directories and stdin into dated `Document`s, and every problem they meet
//! into a `Diagnostic` that names the file and line, so one bad record never hides the rest.

pub mod dates;
mod detect;
mod jsonl;
mod stream;
mod text;
mod walk;

use crate::document::Document;
use chrono::NaiveDate;
use std::fmt;
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
    /// Accepts dates outside `dates::YEARS` (`--allow-dates`).
    pub any_year: bool,
    /// Most bytes read from stdin, a pipe or a device, which may never end (`/dev/zero`).
    pub max_stream_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            default_date: None,
            max_doc_bytes: 8 * 1024 * 1024,
            format: None,
            any_year: false,
            max_stream_bytes: DEFAULT_MAX_STREAM_BYTES,
        }
    }
}

/// Default cap on a stream input: far above any real batch piped in, far below memory.
pub const DEFAULT_MAX_STREAM_BYTES: u64 = 1 << 30;

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
    /// Each error as its message ("file:line: error: …"), warnings left out.
    pub fn error_messages(&self) -> Vec<String> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect()
    }
    fn extend(&mut self, other: ReadOutput) {
        self.documents.extend(other.documents);
        self.origins.extend(other.origins);
        self.diagnostics.extend(other.diagnostics);
    }
}

/// Reads a file, a directory (recursively, in name order, each file once) or `-` for stdin.
pub fn read_path(path: &Path, opts: &ReadOptions) -> ReadOutput {
    if path.as_os_str() == "-" {
        return match stream::read_capped(std::io::stdin().lock(), opts.max_stream_bytes) {
            Ok(buf) => read_bytes("<stdin>", &buf, opts),
            Err(e) => single_error("<stdin>", e),
        };
    }
    let name = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => return single_error(&name, format!("cannot open: {e}")),
    };
    if meta.is_dir() {
        let (files, diagnostics) = walk::list_dir(path);
        let mut out = ReadOutput {
            diagnostics,
            ..ReadOutput::default()
        };
        for f in files {
            out.extend(read_path(&f, opts));
        }
        return out;
    }
    let bytes = if meta.is_file() {
        std::fs::read(path).map_err(|e| format!("cannot read: {e}"))
    } else {
        stream::read_special(path, opts.max_stream_bytes)
    };
    match bytes {
        Ok(bytes) => read_bytes(&name, &bytes, opts),
        Err(e) => single_error(&name, e),
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
/// `walk::list_dir`), or the path itself (a file, `-`, or a path that cannot be listed, which
/// `read_path` then reports). Lets a caller read a large tree a part at a time.
pub fn input_files(path: &Path) -> Vec<PathBuf> {
    walk_inputs(path).0
}

/// As `input_files`, with what the walk met: links read once, loops not followed.
pub fn walk_inputs(path: &Path) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    if path.as_os_str() != "-" && path.is_dir() {
        return walk::list_dir(path);
    }
    (vec![path.to_path_buf()], Vec::new())
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
