//! A dated news report, as the readers hand it to the coder.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub id: String,
    pub date: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub text: String,
}

impl Document {
    /// A document whose id is derived from its content, so the same report read twice (from a
    /// different file, with different whitespace) gets the same id and re-ingest is a no-op.
    pub fn new(date: NaiveDate, text: impl Into<String>) -> Document {
        let text = text.into();
        Document {
            id: content_id(&text, date),
            date,
            source: None,
            url: None,
            title: None,
            text,
        }
    }
}

/// `d-` + 16 hex digits of BLAKE3 over whitespace-normalised text and the date.
pub fn content_id(text: &str, date: NaiveDate) -> String {
    let mut h = blake3::Hasher::new();
    h.update(date.to_string().as_bytes());
    h.update(b"\n");
    let mut first = true;
    for w in text.split_whitespace() {
        if !first {
            h.update(b" ");
        }
        first = false;
        h.update(w.as_bytes());
    }
    format!("d-{}", &h.finalize().to_hex()[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_id_ignores_whitespace_but_not_words_or_date() {
        let d = NaiveDate::from_ymd_opt(2023, 11, 7).unwrap();
        let a = content_id("Hamas  released\n two hostages.", d);
        assert_eq!(a, content_id(" Hamas released two hostages. ", d));
        assert_ne!(a, content_id("Hamas released three hostages.", d));
        assert_ne!(
            a,
            content_id("Hamas released two hostages.", d.succ_opt().unwrap())
        );
        assert!(a.starts_with("d-") && a.len() == 18);
    }
}
