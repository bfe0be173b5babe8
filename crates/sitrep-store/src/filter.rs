//! The event filter shared by queries, exports and the HTTP API, and its translation to SQL.

use crate::error::{Result, StoreError};
use chrono::NaiveDate;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use sitrep_core::{EventType, Status};

/// Which events to take. Every field narrows; the default takes all.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventFilter {
    /// An actor on either side: a CAMEO code ("ISR GOV"), a country ("ISR"), a KB id, or words
    /// of its name as written ("Netanyahu"), case-insensitive. Input shaped like a code (words
    /// of three letters) matches codes only, so "IND" never finds "the arms industry".
    pub actor: Option<String>,
    /// Source and target country codes of the event's first source and first target actors.
    pub dyad: Option<(String, String)>,
    pub event: Option<EventType>,
    pub quad_class: Option<u8>,
    pub status: Option<Status>,
    /// Any of these statuses (empty: any); with `status`, both must hold. The dashboard counts
    /// what happened, asserted and reported events, unless asked for the others too.
    pub statuses: Vec<Status>,
    /// Inclusive date range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A place name (substring, case-insensitive) or country code of the event location.
    pub place: Option<String>,
    /// Words that must all appear in the evidence sentence (full-text search).
    pub text: Option<String>,
    pub story: Option<String>,
    pub doc_id: Option<String>,
    pub min_confidence: Option<f32>,
    /// Rows returned by list queries (events, stories); `None` = no limit.
    pub limit: Option<usize>,
    pub offset: usize,
}

/// A WHERE clause over `events e` with its parameters.
pub(crate) struct Sql {
    pub clause: String,
    pub params: Vec<Value>,
    /// Parameter numbers of the actor match (upper-cased, as given, LIKE pattern), so a query
    /// can match the same actor again on its own join.
    pub actor_params: Option<(usize, usize, usize)>,
}

impl EventFilter {
    pub(crate) fn to_sql(&self) -> Result<Sql> {
        let mut w: Vec<String> = Vec::new();
        let mut p: Vec<Value> = Vec::new();
        let mut actor_params = None;
        fn push(w: &mut Vec<String>, p: &mut Vec<Value>, cond: &str, v: Value) {
            p.push(v);
            w.push(cond.replace('?', &format!("?{}", p.len())));
        }
        if let Some((s, t)) = &self.dyad {
            push(
                &mut w,
                &mut p,
                "e.src_country = ?",
                Value::Text(s.trim().to_ascii_uppercase()),
            );
            push(
                &mut w,
                &mut p,
                "e.tgt_country = ?",
                Value::Text(t.trim().to_ascii_uppercase()),
            );
        }
        if let Some(t) = self.event {
            push(
                &mut w,
                &mut p,
                "e.event = ?",
                Value::Text(t.as_str().into()),
            );
        }
        if let Some(q) = self.quad_class {
            if !(1..=4).contains(&q) {
                return Err(StoreError::BadQuery(format!(
                    "quad class {q}: expected 1 to 4"
                )));
            }
            push(&mut w, &mut p, "e.quad_class = ?", Value::Integer(q as i64));
        }
        if let Some(s) = self.status {
            push(
                &mut w,
                &mut p,
                "e.status = ?",
                Value::Text(s.as_str().into()),
            );
        }
        if !self.statuses.is_empty() {
            let first = p.len() + 1;
            for s in &self.statuses {
                p.push(Value::Text(s.as_str().into()));
            }
            let marks: Vec<String> = (first..=p.len()).map(|i| format!("?{i}")).collect();
            w.push(format!("e.status IN ({})", marks.join(", ")));
        }
        if let (Some(f), Some(t)) = (self.from, self.to) {
            if f > t {
                return Err(StoreError::BadQuery(format!(
                    "date range {f} .. {t} is empty"
                )));
            }
        }
        if let Some(f) = self.from {
            push(&mut w, &mut p, "e.date >= ?", Value::Text(f.to_string()));
        }
        if let Some(t) = self.to {
            push(&mut w, &mut p, "e.date <= ?", Value::Text(t.to_string()));
        }
        if let Some(c) = self.min_confidence {
            push(&mut w, &mut p, "e.confidence >= ?", Value::Real(c as f64));
        }
        if let Some(pl) = &self.place {
            let pl = pl.trim();
            p.push(Value::Text(pl.to_ascii_uppercase()));
            p.push(Value::Text(format!("%{}%", escape_like(pl))));
            w.push(format!(
                "(e.place_country = ?{} OR e.place LIKE ?{} ESCAPE '\\')",
                p.len() - 1,
                p.len()
            ));
        }
        if let Some(a) = &self.actor {
            let a = a.trim();
            if a.is_empty() {
                return Err(StoreError::BadQuery("empty actor".into()));
            }
            p.push(Value::Text(a.to_ascii_uppercase()));
            p.push(Value::Text(a.to_string()));
            // LIKE NULL is never true: a code is not searched for inside names.
            p.push(if looks_like_code(a) {
                Value::Null
            } else {
                Value::Text(format!("%{}%", escape_like(a)))
            });
            let (u, k, l) = (p.len() - 2, p.len() - 1, p.len());
            actor_params = Some((u, k, l));
            w.push(format!(
                "e.rowid IN (SELECT ea.event_rowid FROM event_actors ea WHERE ea.actor_rowid IN
                   (SELECT rowid FROM actors WHERE code = ?{u} OR country = ?{u} OR kb = ?{k}
                      OR text LIKE ?{l} ESCAPE '\\'))"
            ));
        }
        if let Some(t) = &self.text {
            let q = fts_query(t)?;
            push(
                &mut w,
                &mut p,
                "e.rowid IN (SELECT rowid FROM evidence_fts WHERE evidence_fts MATCH ?)",
                Value::Text(q),
            );
        }
        if let Some(s) = &self.story {
            push(&mut w, &mut p, "e.story_id = ?", Value::Text(s.clone()));
        }
        if let Some(d) = &self.doc_id {
            push(
                &mut w,
                &mut p,
                "e.doc_rowid = (SELECT rowid FROM documents WHERE id = ?)",
                Value::Text(d.clone()),
            );
        }
        let clause = if w.is_empty() {
            "1".to_string()
        } else {
            w.join(" AND ")
        };
        Ok(Sql {
            clause,
            params: p,
            actor_params,
        })
    }

    /// Whether the filter names only what the `event_counts` summary keeps (dyad, type, quad
    /// class, status, dates), so that counts and mean Goldstein scores can be read from it. A new
    /// field must be listed here: the destructuring fails to compile until it is.
    pub(crate) fn summary_ok(&self) -> bool {
        let EventFilter {
            actor,
            dyad: _,
            event: _,
            quad_class: _,
            status: _,
            statuses: _,
            from: _,
            to: _,
            place,
            text,
            story,
            doc_id,
            min_confidence,
            limit: _,
            offset: _,
        } = self;
        actor.is_none()
            && place.is_none()
            && text.is_none()
            && story.is_none()
            && doc_id.is_none()
            && min_confidence.is_none()
    }

    pub(crate) fn limit_sql(&self) -> String {
        match self.limit {
            Some(l) => format!(" LIMIT {l} OFFSET {}", self.offset),
            None if self.offset > 0 => format!(" LIMIT -1 OFFSET {}", self.offset),
            None => String::new(),
        }
    }
}

/// "IND", "isr gov": every word three ASCII letters, the shape of CAMEO actor codes.
fn looks_like_code(s: &str) -> bool {
    s.split_whitespace()
        .all(|w| w.len() == 3 && w.bytes().all(|b| b.is_ascii_alphabetic()))
}

pub(crate) fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Plain words, each quoted so FTS5 operators and punctuation ("cease-fire", "U.S.") in user
/// text are searched for rather than parsed; all words must appear.
pub(crate) fn fts_query(text: &str) -> Result<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if words.is_empty() {
        return Err(StoreError::BadQuery("empty text search".into()));
    }
    Ok(words.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fts_query_quotes_words_and_rejects_empty() {
        assert_eq!(
            fts_query("cease-fire  talks").unwrap(),
            "\"cease-fire\" AND \"talks\""
        );
        assert_eq!(
            fts_query("say \"no\"").unwrap(),
            "\"say\" AND \"\"\"no\"\"\""
        );
        assert!(fts_query("   ").is_err());
    }

    #[test]
    fn code_shaped_actors_are_told_from_names() {
        assert!(looks_like_code("IND"));
        assert!(looks_like_code("isr gov"));
        assert!(!looks_like_code("Netanyahu"));
        assert!(!looks_like_code("Ban Ki-moon"));
    }

    #[test]
    fn bad_ranges_are_refused() {
        let f = EventFilter {
            quad_class: Some(7),
            ..Default::default()
        };
        assert!(f.to_sql().is_err());
        let f = EventFilter {
            from: NaiveDate::from_ymd_opt(2024, 2, 1),
            to: NaiveDate::from_ymd_opt(2024, 1, 1),
            ..Default::default()
        };
        assert!(f.to_sql().is_err());
    }
}
