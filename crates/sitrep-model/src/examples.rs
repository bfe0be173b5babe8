//! Annotated sentences for training and scoring: the project's own TSV (`data/train/`) and the
//! PLOVER gold JSON Lines (older labels folded into v0.8 by `EventType::parse_label`).

use sitrep_core::EventType;

/// A sentence's class: an event type, or `None` for a sentence that reports no event, so the
/// head learns to stay quiet on background and plain statements.
pub type Label = Option<EventType>;

pub const NONE_LABEL: &str = "NONE";

#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub text: String,
    pub label: Label,
}

pub fn label_name(l: Label) -> &'static str {
    l.map_or(NONE_LABEL, |t| t.as_str())
}

pub fn parse_label(s: &str) -> Option<Label> {
    if s.eq_ignore_ascii_case(NONE_LABEL) {
        return Some(None);
    }
    EventType::parse_label(s)
        .map(|(t, _)| t)
        .filter(|t| t.is_plover())
        .map(Some)
}

/// Reads `LABEL<TAB>sentence` lines; `#` starts a comment line, blank lines are skipped.
pub fn read_tsv(text: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (label, sentence) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected LABEL<TAB>sentence", n + 1))?;
        let label = parse_label(label.trim())
            .ok_or_else(|| format!("line {}: unknown event type '{label}'", n + 1))?;
        let sentence = sentence.trim();
        if sentence.is_empty() {
            return Err(format!("line {}: empty sentence", n + 1));
        }
        out.push(Example {
            text: sentence.to_string(),
            label,
        });
    }
    Ok(out)
}

/// Reads gold records (`text`, `event`); each record is one example, so a sentence with two
/// gold events appears twice.
pub fn read_gold_jsonl(text: &str) -> Result<Vec<Example>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
        let field = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .ok_or_else(|| format!("line {}: no '{k}'", n + 1))
        };
        let label = field("event")?;
        let label = parse_label(label)
            .ok_or_else(|| format!("line {}: unknown event type '{label}'", n + 1))?;
        out.push(Example {
            text: field("text")?.to_string(),
            label,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_reads_labels_comments_and_none() {
        let ex =
            read_tsv("# note\nTHREATEN\tThey warned of strikes.\n\nNONE\tIt rained.\n").unwrap();
        assert_eq!(ex.len(), 2);
        assert_eq!(ex[0].label, Some(EventType::Threaten));
        assert_eq!(ex[1].label, None);
        assert!(read_tsv("BOGUS\tx").unwrap_err().contains("line 1"));
        assert!(read_tsv("no tab here").is_err());
    }

    #[test]
    fn gold_folds_legacy_labels() {
        let g = r#"{"text":"A demanded B.","event":"DEMAND"}
{"text":"C fought D.","event":"FIGHT"}"#;
        let ex = read_gold_jsonl(g).unwrap();
        assert_eq!(ex[0].label, Some(EventType::Request));
        assert_eq!(ex[1].label, Some(EventType::Assault));
    }
}
