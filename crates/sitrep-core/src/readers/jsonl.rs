//! JSON Lines: one `{"id"?, "date", "text", "source"?, "url"?, "title"?}` per line. A bad line is
//! reported with its number and skipped; the other lines are still read.

use super::{dates, decode_utf8, truncate_at_char, Diagnostic, ReadOptions, ReadOutput};
use crate::document::{content_id, Document};
use serde::Deserialize;

#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    source: Option<serde_json::Value>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
}

pub(super) fn read(name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadOutput {
    let mut out = ReadOutput::default();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        out.diagnostics
            .push(Diagnostic::error(name, 0, "empty input: no documents"));
        return out;
    }
    for (i, raw) in body.split(|b| *b == b'\n').enumerate() {
        let line_no = i + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        match parse_line(name, line_no, raw, opts) {
            Ok((doc, warning)) => {
                out.documents.push(doc);
                out.origins.push((name.to_string(), line_no));
                out.diagnostics.extend(warning);
            }
            Err(d) => out.diagnostics.push(d),
        }
    }
    out
}

fn parse_line(
    name: &str,
    line: usize,
    raw: &[u8],
    opts: &ReadOptions,
) -> Result<(Document, Option<Diagnostic>), Diagnostic> {
    if raw.contains(&0) {
        return Err(Diagnostic::error(
            name,
            line,
            "binary data (NUL byte) in line",
        ));
    }
    let s = decode_utf8(name, raw, line)?;
    // serde reads a JSON array as a struct by position; a document is only ever an object
    if s.trim_start().starts_with('[') {
        return Err(Diagnostic::error(
            name,
            line,
            "not a document object: expected {\"date\": …, \"text\": …}",
        ));
    }
    let rec: Record = serde_json::from_str(s).map_err(|e| {
        let what = if e.is_syntax() || e.is_eof() {
            "not valid JSON"
        } else {
            "not a document object"
        };
        Diagnostic::error(name, line, format!("{what}: {e}"))
    })?;
    let mut text = match rec.text {
        Some(t) if !t.trim().is_empty() => t,
        Some(_) => return Err(Diagnostic::error(name, line, "field 'text' is empty")),
        None => return Err(Diagnostic::error(name, line, "missing field 'text'")),
    };
    let date = match rec.date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => dates::parse_day_or_timestamp(d, opts.any_year)
            .map_err(|e| Diagnostic::error(name, line, format!("bad date '{d}': {e}")))?,
        _ => opts.default_date.ok_or_else(|| {
            Diagnostic::error(name, line, "missing field 'date' (or pass --date)")
        })?,
    };
    let truncated = truncate_at_char(&mut text, opts.max_doc_bytes);
    if truncated && text.trim().is_empty() {
        return Err(Diagnostic::error(
            name,
            line,
            format!(
                "no text in the first {} bytes of field 'text'",
                opts.max_doc_bytes
            ),
        ));
    }
    let warning = truncated.then(|| {
        Diagnostic::warning(
            name,
            line,
            format!("text longer than {} bytes: truncated", opts.max_doc_bytes),
        )
    });
    let id = match rec.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => content_id(&text, date),
    };
    let source = match rec.source {
        Some(serde_json::Value::String(s)) => Some(s),
        _ => None,
    };
    Ok((
        Document {
            id,
            date,
            source,
            url: rec.url,
            title: rec.title,
            text,
        },
        warning,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_lines_survive_bad_ones() {
        let src = concat!(
            "{\"id\":\"a\",\"date\":\"2020-01-02\",\"text\":\"Troops fired.\"}\n",
            "not json\n",
            "{\"date\":\"2020-01-02\"}\n",
            "\n",
            "{\"date\":\"2020-01-02T08:00:00Z\",\"text\":\"Talks began.\",\"source\":\"wire\"}\n",
            "{\"text\":\"No date here.\"}\n",
            "[1,2]\n",
        );
        let out = read("in.jsonl", src.as_bytes(), &ReadOptions::default());
        assert_eq!(out.documents.len(), 2);
        assert_eq!(out.documents[0].id, "a");
        assert!(out.documents[1].id.starts_with("d-"));
        assert_eq!(out.documents[1].source.as_deref(), Some("wire"));
        let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
        assert_eq!(lines, [2, 3, 6, 7]);
        assert!(out.diagnostics[0].message.contains("not valid JSON"));
        assert!(out.diagnostics[1].message.contains("'text'"));
        assert!(out.diagnostics[2].message.contains("'date'"));
    }

    #[test]
    fn invalid_utf8_names_its_line() {
        let out = read(
            "x.jsonl",
            b"{\"date\":\"2020-01-01\",\"text\":\"ok\"}\n{\"text\":\"\xff\"}\n",
            &ReadOptions::default(),
        );
        assert_eq!(out.documents.len(), 1);
        assert_eq!(out.diagnostics[0].line, 2);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let src = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let out = read("deep.jsonl", src.as_bytes(), &ReadOptions::default());
        assert_eq!(out.documents.len(), 0);
        assert_eq!(out.diagnostics.len(), 1);
    }
}
