//! Gold files: the PLOVER gold-standard records and the seed-expected format, read into
//! documents that each carry every gold event coded from their text.
//!
//! Grouping: records with the same date and the same text are one document, whatever their ids
//! (the seed file codes several events per sentence, and the PLOVER file has sentences coded
//! twice). The document takes the id of its first record, so coding is stable across runs.
//! A record whose event is `NONE` says its text holds no event: it makes a document with no gold
//! events (or adds none to one), so whatever is predicted there counts as a false alarm.

use chrono::NaiveDate;
use serde_json::Value;
use sitrep_core::{EventType, Status};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct GoldError {
    pub file: String,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for GoldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for GoldError {}

/// An actor as the gold gives it, with its code completed ("HUN" + sector "GOV" → "HUN GOV").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldActor {
    pub text: String,
    pub code: String,
    /// The first three letters of the code, the unit of the source/target levels.
    pub country: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldQuantity {
    pub text: String,
    pub value: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldEvent {
    /// The record's id, or `FILE:LINE` where it has none.
    pub id: String,
    pub line: usize,
    /// The label as written ("FIGHT"), for reports.
    pub label: String,
    /// The v0.8 type of the label (FIGHT → ASSAULT).
    pub event: EventType,
    /// Types counted as right: `event_accept` where given, else the label's type alone.
    pub accept: Vec<EventType>,
    pub source: Vec<GoldActor>,
    pub target: Vec<GoldActor>,
    pub status: Option<Status>,
    /// Statuses counted as right: `status_accept` where given, else `status` alone.
    pub status_accept: Vec<Status>,
    pub quantities: Vec<GoldQuantity>,
}

impl GoldEvent {
    pub fn accepts(&self, t: EventType) -> bool {
        self.accept.contains(&t)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoldDoc {
    pub id: String,
    pub date: NaiveDate,
    pub text: String,
    pub events: Vec<GoldEvent>,
}

/// Country of an actor code: its first three letters, upper-cased, with the few pre-ISO codes
/// the PLOVER records use mapped to the ISO codes the KB gives (JAP → JPN, ITL → ITA).
pub fn country_of(code: &str) -> String {
    let head: String = code
        .trim()
        .chars()
        .take(3)
        .collect::<String>()
        .to_ascii_uppercase();
    match head.as_str() {
        "JAP" => "JPN".to_string(),
        "ITL" => "ITA".to_string(),
        _ => head,
    }
}

pub fn read_gold_file(path: &Path) -> Result<Vec<GoldDoc>, GoldError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| GoldError {
        file: shown.clone(),
        line: 0,
        message: format!("cannot read: {e}"),
    })?;
    parse_gold(&shown, &text)
}

/// Parses JSON Lines gold records (blank lines and `#` comments allowed) into documents.
pub fn parse_gold(file: &str, text: &str) -> Result<Vec<GoldDoc>, GoldError> {
    let mut docs: Vec<GoldDoc> = Vec::new();
    let mut by_text: HashMap<(NaiveDate, String), usize> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let raw = raw.trim_start_matches('\u{feff}').trim();
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let err = |message: String| GoldError {
            file: file.to_string(),
            line,
            message,
        };
        let v: Value =
            serde_json::from_str(raw).map_err(|e| err(format!("not valid JSON: {e}")))?;
        let obj = v
            .as_object()
            .ok_or_else(|| err("a gold record must be a JSON object".into()))?;
        let text = match obj.get("text") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            _ => return Err(err("missing or empty 'text'".into())),
        };
        let date = match obj.get("date") {
            Some(Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
                .map_err(|_| err(format!("'date' is '{s}', expected YYYY-MM-DD")))?,
            _ => return Err(err("missing 'date' (YYYY-MM-DD)".into())),
        };
        let id = match obj.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => format!("{file}:{line}"),
        };
        let label = match obj.get("event") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => return Err(err("missing 'event' label".into())),
        };
        // "NONE": the text holds no event, so whatever is coded from it is a false alarm
        if label.eq_ignore_ascii_case("NONE") {
            by_text.entry((date, text.clone())).or_insert_with(|| {
                docs.push(GoldDoc {
                    id,
                    date,
                    text,
                    events: Vec::new(),
                });
                docs.len() - 1
            });
            continue;
        }
        let event = parse_type(&label).map_err(err)?;
        let mut accept = vec![event];
        if let Some(a) = obj.get("event_accept") {
            for l in strings(a, "event_accept").map_err(err)? {
                let t = parse_type(&l).map_err(err)?;
                if !accept.contains(&t) {
                    accept.push(t);
                }
            }
        }
        let status = match obj.get("status") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => Some(parse_status(s).map_err(err)?),
            Some(_) => return Err(err("'status' must be a string".into())),
        };
        let mut status_accept = Vec::new();
        if let Some(a) = obj.get("status_accept") {
            for s in strings(a, "status_accept").map_err(err)? {
                status_accept.push(parse_status(&s).map_err(err)?);
            }
        }
        if let Some(s) = status {
            if !status_accept.contains(&s) {
                status_accept.insert(0, s);
            }
        }
        let ev = GoldEvent {
            id,
            line,
            label,
            event,
            accept,
            source: actors(obj.get("source"), "source").map_err(err)?,
            target: actors(obj.get("target"), "target").map_err(err)?,
            status,
            status_accept,
            quantities: quantities(obj.get("quantities")).map_err(err)?,
        };
        match by_text.get(&(date, text.clone())) {
            Some(&d) => docs[d].events.push(ev),
            None => {
                by_text.insert((date, text.clone()), docs.len());
                docs.push(GoldDoc {
                    id: ev.id.clone(),
                    date,
                    text,
                    events: vec![ev],
                });
            }
        }
    }
    if docs.is_empty() {
        return Err(GoldError {
            file: file.to_string(),
            line: 0,
            message: "no gold records".into(),
        });
    }
    Ok(docs)
}

fn parse_type(label: &str) -> Result<EventType, String> {
    EventType::parse_label(label)
        .map(|(t, _)| t)
        .ok_or_else(|| format!("unknown event label '{label}'"))
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        format!("unknown status '{s}' (expected asserted, hypothetical, planned, intended, negated or reported)")
    })
}

fn strings(v: &Value, field: &str) -> Result<Vec<String>, String> {
    match v {
        Value::Null => Ok(Vec::new()),
        Value::String(s) if s.is_empty() => Ok(Vec::new()),
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("'{field}' must list strings"))
            })
            .collect(),
        _ => Err(format!("'{field}' must be a list of strings")),
    }
}

/// Actors: a list of `{actorText, code, sector?}`; missing, null, "" or [] all mean none.
fn actors(v: Option<&Value>, field: &str) -> Result<Vec<GoldActor>, String> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::String(s)) if s.trim().is_empty() => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(format!("'{field}' must be a list of actors")),
    };
    let mut out = Vec::new();
    for (k, a) in list.iter().enumerate() {
        let o = a
            .as_object()
            .ok_or_else(|| format!("'{field}[{k}]' must be an object with 'code'"))?;
        let code = o.get("code").and_then(Value::as_str).unwrap_or("").trim();
        if code.is_empty() {
            return Err(format!("'{field}[{k}]' has no 'code'"));
        }
        let sector = o.get("sector").and_then(Value::as_str).unwrap_or("").trim();
        let code = code.split_whitespace().collect::<Vec<_>>().join(" ");
        // the sector may be folded into the code already ("USA GOV") or given beside it
        let full = if sector.is_empty() || code.contains(' ') {
            code
        } else {
            format!("{code} {sector}")
        };
        out.push(GoldActor {
            text: o
                .get("actorText")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            country: country_of(&full),
            code: full,
        });
    }
    Ok(out)
}

fn quantities(v: Option<&Value>) -> Result<Vec<GoldQuantity>, String> {
    let list = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err("'quantities' must be a list".into()),
    };
    list.iter()
        .map(|q| {
            let value = q
                .get("value")
                .and_then(Value::as_f64)
                .ok_or("each quantity needs a numeric 'value'")?;
            Ok(GoldQuantity {
                text: q
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                value,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats_and_groups_by_text() {
        let text = r#"
{"id":"a1","date":"2001-02-03","text":"Ruritania and Freedonia signed a pact.","event":"AGREE","source":[{"actorText":"Ruritania","code":"RUR","sector":"GOV"},{"actorText":"Freedonia","code":"FRE"}],"target":""}
{"id":"a2","date":"2001-02-03","text":"Troops shelled the town.","event":"FIGHT","source":[{"actorText":"Troops","code":"RUR MIL"}]}
{"id":"s1","date":"2001-02-03","text":"Ruritania and Freedonia signed a pact.","event":"DEMAND","status":"planned","status_accept":["intended"],"event_accept":["DEMAND","APPEAL"],"source":[],"target":[{"actorText":"x","code":"JAP"}],"quantities":[{"text":"3 ships","value":3}]}
"#;
        let docs = parse_gold("g.jsonl", text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "a1");
        assert_eq!(docs[0].events.len(), 2);
        let a1 = &docs[0].events[0];
        assert_eq!(a1.source[0].code, "RUR GOV");
        assert_eq!(a1.source[0].country, "RUR");
        assert_eq!(a1.source[1].code, "FRE");
        assert!(a1.target.is_empty());
        assert_eq!(docs[1].events[0].event, EventType::Assault);
        assert!(docs[1].events[0].target.is_empty());
        let s1 = &docs[0].events[1];
        assert_eq!(s1.event, EventType::Request);
        assert_eq!(s1.accept, vec![EventType::Request, EventType::Appeal]);
        assert_eq!(s1.status, Some(Status::Planned));
        assert_eq!(s1.status_accept, vec![Status::Planned, Status::Intended]);
        assert_eq!(s1.target[0].country, "JPN");
        assert_eq!(s1.quantities[0].value, 3.0);
    }

    #[test]
    fn a_none_record_is_a_document_without_events() {
        let text = r#"
{"id":"n1","date":"2001-02-03","text":"The weather was fine.","event":"NONE"}
{"id":"a1","date":"2001-02-03","text":"Troops shelled the town.","event":"FIGHT"}
{"id":"n2","date":"2001-02-03","text":"Troops shelled the town.","event":"none"}
"#;
        let docs = parse_gold("g.jsonl", text).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "n1");
        assert!(docs[0].events.is_empty());
        assert_eq!(
            docs[1].events.len(),
            1,
            "a NONE line adds nothing to a coded text"
        );
        // a file of NONE lines alone is still gold: every prediction there is a false alarm
        let docs = parse_gold("g.jsonl", text.lines().nth(1).unwrap()).unwrap();
        assert_eq!(docs.len(), 1);
        assert!(docs[0].events.is_empty());
    }

    #[test]
    fn bad_records_name_file_line_and_problem() {
        let bad = |s: &str| parse_gold("g.jsonl", s).unwrap_err().to_string();
        assert_eq!(
            bad("\n{\"date\":\"2001-01-01\",\"event\":\"AGREE\"}"),
            "g.jsonl:2: missing or empty 'text'"
        );
        assert!(bad(r#"{"date":"2001-01-01","text":"x","event":"HUG"}"#)
            .contains("unknown event label 'HUG'"));
        assert!(bad(r#"{"date":"01/01/2001","text":"x","event":"AGREE"}"#)
            .contains("expected YYYY-MM-DD"));
        assert!(bad("{not json").starts_with("g.jsonl:1: not valid JSON"));
        assert!(bad(
            r#"{"date":"2001-01-01","text":"x","event":"AGREE","source":[{"actorText":"y"}]}"#
        )
        .contains("'source[0]' has no 'code'"));
        assert!(
            bad(r#"{"date":"2001-01-01","text":"x","event":"AGREE","status":"maybe"}"#)
                .contains("unknown status 'maybe'")
        );
        assert_eq!(bad("\n\n"), "g.jsonl: no gold records");
    }
}
