//! Plain text and the seed format: a line `date YYYY-MM-DD <text>` starts a document, and the
//! lines up to the next such line (blank-line paragraphs included) belong to it.

use super::{dates, decode_utf8, truncate_at_char, Diagnostic, ReadOptions, ReadOutput};
use crate::document::Document;
use chrono::NaiveDate;

pub(super) fn read(name: &str, bytes: &[u8], opts: &ReadOptions) -> ReadOutput {
    let mut out = ReadOutput::default();
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        out.diagnostics
            .push(Diagnostic::error(name, 0, "empty input: no text to code"));
        return out;
    }
    if let Some(pos) = bytes.iter().position(|b| *b == 0) {
        let line = 1 + bytes[..pos].iter().filter(|b| **b == b'\n').count();
        out.diagnostics.push(Diagnostic::error(
            name,
            line,
            format!("binary data (NUL byte at offset {pos}): not a text file"),
        ));
        return out;
    }
    let mut body = bytes;
    if let Some(rest) = body.strip_prefix(b"\xEF\xBB\xBF") {
        body = rest;
    }
    let text = match decode_utf8(name, body, 1) {
        Ok(t) => t,
        Err(d) => {
            out.diagnostics.push(d);
            return out;
        }
    };

    for (line, date, chunk) in split_dated(text, opts.any_year) {
        let date = match date {
            Err(e) => {
                // The whole document is skipped: merged into the one before, it would be
                // coded under the wrong date.
                out.diagnostics
                    .push(Diagnostic::error(name, line, format!("bad date line: {e}")));
                continue;
            }
            Ok(d) => d,
        };
        let date = match date.or(opts.default_date) {
            Some(d) => d,
            None => {
                out.diagnostics.push(Diagnostic::error(
                    name,
                    line,
                    "no date: start the text with 'date YYYY-MM-DD' or pass --date",
                ));
                continue;
            }
        };
        let mut chunk = chunk.trim_end().to_string();
        if chunk.trim().is_empty() {
            out.diagnostics.push(Diagnostic::error(
                name,
                line,
                "document has a date but no text",
            ));
            continue;
        }
        if truncate_at_char(&mut chunk, opts.max_doc_bytes) {
            // the cut may leave only the blank lines that led the text
            if chunk.trim().is_empty() {
                out.diagnostics.push(Diagnostic::error(
                    name,
                    line,
                    format!(
                        "no text in the first {} bytes of the document",
                        opts.max_doc_bytes
                    ),
                ));
                continue;
            }
            out.diagnostics.push(Diagnostic::warning(
                name,
                line,
                format!(
                    "document longer than {} bytes: truncated",
                    opts.max_doc_bytes
                ),
            ));
        }
        out.documents.push(Document::new(date, chunk));
        out.origins.push((name.to_string(), line));
    }
    out
}

/// A date header's date, or why the date on a line that reads as a header is wrong.
type HeaderDate = Result<Option<NaiveDate>, String>;

/// Splits text at seed-format date lines: (first line number, date, text after the header).
fn split_dated(text: &str, any_year: bool) -> Vec<(usize, HeaderDate, &str)> {
    let mut parts: Vec<(usize, HeaderDate, usize)> = Vec::new();
    let mut offset = 0;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        if let Some((date, header_len)) = date_header(raw, any_year) {
            parts.push((i + 1, date.map(Some), offset + header_len));
        } else if parts.is_empty() && !raw.trim().is_empty() {
            parts.push((i + 1, Ok(None), offset));
        }
        offset += raw.len();
    }
    let mut out = Vec::with_capacity(parts.len());
    let ends: Vec<usize> = parts.iter().skip(1).map(|p| p.2).collect();
    for (k, (line, date, start)) in parts.into_iter().enumerate() {
        let end = match ends.get(k) {
            // the next part starts after its header; cut at that header's line start
            Some(next_start) => line_start(text, *next_start),
            None => text.len(),
        };
        out.push((line, date, &text[start..end.max(start)]));
    }
    out
}

fn line_start(text: &str, pos: usize) -> usize {
    text[..pos].rfind('\n').map(|p| p + 1).unwrap_or(0)
}

/// `  date 2023-11-07 ` at the start of a line → the date (or what is wrong with it) and the
/// header's byte length. A line counts as a header when the word after `date` starts with a
/// digit and holds a `-` (`date 2023-02-30`); "date night" or "date 12" is text.
fn date_header(line: &str, any_year: bool) -> Option<(Result<NaiveDate, String>, usize)> {
    let rest = line.trim_start().strip_prefix("date")?;
    let after_kw = rest.trim_start_matches([' ', '\t']);
    if after_kw.len() == rest.len() {
        return None;
    }
    let word_len = after_kw.find(char::is_whitespace).unwrap_or(after_kw.len());
    let word = &after_kw[..word_len];
    if !word.starts_with(|c: char| c.is_ascii_digit()) || !word.contains('-') {
        return None;
    }
    let tail_trimmed = after_kw[word_len..].trim_start_matches([' ', '\t']);
    Some((
        dates::parse_day(word, any_year),
        line.len() - tail_trimmed.len(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readers::Severity;

    fn opts() -> ReadOptions {
        ReadOptions::default()
    }

    #[test]
    fn seed_format_gives_dated_document_with_paragraphs() {
        let src = " date 2023-11-07 Troops moved.\n\nTalks resumed.\n";
        let out = read("a.txt", src.as_bytes(), &opts());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.documents.len(), 1);
        let d = &out.documents[0];
        assert_eq!(d.date.to_string(), "2023-11-07");
        assert_eq!(d.text, "Troops moved.\n\nTalks resumed.");
    }

    #[test]
    fn several_date_lines_give_several_documents() {
        let src = "date 2020-01-01 One.\nmore one\ndate 2020-01-02 Two.\n";
        let out = read("a.txt", src.as_bytes(), &opts());
        let texts: Vec<_> = out.documents.iter().map(|d| d.text.as_str()).collect();
        assert_eq!(texts, ["One.\nmore one", "Two."]);
    }

    #[test]
    fn undated_text_needs_a_default_date() {
        let out = read("plain.txt", b"Police arrested ten protesters.", &opts());
        assert_eq!(out.documents.len(), 0);
        assert_eq!(out.diagnostics[0].line, 1);
        assert!(out.diagnostics[0].message.contains("--date"));
        let o = ReadOptions {
            default_date: NaiveDate::from_ymd_opt(2021, 5, 1),
            ..opts()
        };
        assert_eq!(
            read("plain.txt", b"Police arrested ten protesters.", &o)
                .documents
                .len(),
            1
        );
    }

    #[test]
    fn bad_bytes_are_named_with_their_line() {
        let out = read("bin.dat", b"hello\nwor\0ld", &opts());
        assert_eq!(out.diagnostics[0].line, 2);
        assert!(out.diagnostics[0].message.contains("binary"));
        let out = read("latin1.txt", b"date 2020-01-01 ok\ncaf\xe9\n", &opts());
        assert_eq!(out.diagnostics[0].line, 2);
        assert!(out.diagnostics[0].message.contains("UTF-8"));
        let out = read("empty.txt", b"  \n", &opts());
        assert!(out.diagnostics[0].message.contains("empty"));
    }

    #[test]
    fn long_documents_are_truncated_with_a_warning() {
        let mut src = String::from("date 2020-01-01 ");
        src.push_str(&"é".repeat(100));
        let o = ReadOptions {
            max_doc_bytes: 51,
            ..opts()
        };
        let out = read("long.txt", src.as_bytes(), &o);
        assert_eq!(out.documents[0].text.len(), 50);
        assert_eq!(out.diagnostics[0].severity, Severity::Warning);
    }

    #[test]
    fn a_bom_is_dropped() {
        let out = read("bom.txt", b"\xEF\xBB\xBFdate 2020-01-01 Text.", &opts());
        assert_eq!(out.documents[0].text, "Text.");
    }
}
