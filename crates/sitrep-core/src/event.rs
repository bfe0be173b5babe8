//! The one record that flows through the whole pipeline: coder → store → API → exports.

use crate::ontology::EventType;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Asserted,
    Hypothetical,
    Planned,
    Intended,
    Negated,
    Reported,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Asserted => "asserted",
            Status::Hypothetical => "hypothetical",
            Status::Planned => "planned",
            Status::Intended => "intended",
            Status::Negated => "negated",
            Status::Reported => "reported",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "asserted" => Status::Asserted,
            "hypothetical" => Status::Hypothetical,
            "planned" => Status::Planned,
            "intended" => Status::Intended,
            "negated" => Status::Negated,
            "reported" => Status::Reported,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    #[default]
    Day,
    Week,
    Month,
    Year,
}

/// An actor as it appears in one event: the words, and the code the KB gave them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ActorRef {
    pub text: String,
    /// CAMEO-style code, country then sector: "ISR GOV", "PSE REB", "USA".
    pub code: String,
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sector: String,
    /// Id of the KB entry the code came from (a person, organisation or country).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kb: String,
}

impl ActorRef {
    pub fn new(text: &str, country: &str, sector: &str, kb: &str) -> ActorRef {
        let code = if sector.is_empty() {
            country.to_string()
        } else if country.is_empty() {
            sector.to_string()
        } else {
            format!("{country} {sector}")
        };
        ActorRef {
            text: text.to_string(),
            code,
            country: country.to_string(),
            sector: sector.to_string(),
            kb: kb.to_string(),
        }
    }
}

/// How specific a location is: a city or town, a region (first-level region, district, border
/// area, sea), or only a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PlacePrecision {
    City,
    Region,
    #[default]
    Country,
}

impl PlacePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            PlacePrecision::City => "city",
            PlacePrecision::Region => "region",
            PlacePrecision::Country => "country",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub text: String,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// The first-level region (or other region) the text names for the place, if any.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(default)]
    pub precision: PlacePrecision,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quantity {
    pub text: String,
    pub value: f64,
    /// exact, more_than, less_than, about, nearly, at_least, at_most
    pub qualifier: String,
    /// The head noun of the counted phrase ("troops" in "219 combat troops"), or "people"
    /// where the text leaves it out ("10 were killed").
    pub unit: String,
    /// What is counted, where the text says: killed, injured, detained, displaced, hostages,
    /// missing, troops, protesters; empty for other counts ("3 ships").
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
}

impl Quantity {
    /// The kinds a quantity may have, in the order reports and exports list them.
    pub const KINDS: [&'static str; 8] = [
        "killed",
        "injured",
        "detained",
        "displaced",
        "hostages",
        "missing",
        "troops",
        "protesters",
    ];
}

/// Where an event comes from: the sentence, its byte span in the document, the trigger words
/// and the rule that fired, so every event can be explained and shown in context.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub sentence: String,
    /// Byte offsets of the sentence in the document text.
    pub start: usize,
    pub end: usize,
    pub trigger: String,
    /// Byte offsets of the trigger in the document text.
    #[serde(default)]
    pub trigger_start: usize,
    #[serde(default)]
    pub trigger_end: usize,
    pub rule: String,
    /// Other mentions of the same act in the document ("struck", "the attack", "the strike
    /// on the port"), merged into this event by `coder::merge::merge_acts`; empty for an act
    /// told once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<EvidenceSpan>,
}

impl Evidence {
    /// The evidence of one mention: its sentence and trigger spans in `text` (the document)
    /// and the rule that fired, with no other mentions yet.
    pub fn new(
        text: &str,
        sentence: (usize, usize),
        trigger: (usize, usize),
        rule: impl Into<String>,
    ) -> Evidence {
        Evidence {
            sentence: text[sentence.0..sentence.1].to_string(),
            start: sentence.0,
            end: sentence.1,
            trigger: text[trigger.0..trigger.1].to_string(),
            trigger_start: trigger.0,
            trigger_end: trigger.1,
            rule: rule.into(),
            also: Vec::new(),
        }
    }

    /// This evidence as a span of its own, without the sentence text (which the document
    /// holds) and without its other mentions.
    pub fn span(&self) -> EvidenceSpan {
        EvidenceSpan {
            start: self.start,
            end: self.end,
            trigger: self.trigger.clone(),
            trigger_start: self.trigger_start,
            trigger_end: self.trigger_end,
            rule: self.rule.clone(),
        }
    }
}

/// One more mention of an event's act: where its sentence and trigger lie in the document and
/// the rule that found it. The sentence is not repeated; `start..end` points into the document.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EvidenceSpan {
    /// Byte offsets of the sentence in the document text.
    pub start: usize,
    pub end: usize,
    pub trigger: String,
    /// Byte offsets of the trigger in the document text.
    pub trigger_start: usize,
    pub trigger_end: usize,
    pub rule: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub doc_id: String,
    pub date: NaiveDate,
    pub date_precision: DatePrecision,
    pub event: EventType,
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub context: Vec<String>,
    pub cameo: String,
    pub goldstein: f64,
    pub quad_class: u8,
    pub source: Vec<ActorRef>,
    pub target: Vec<ActorRef>,
    pub status: Status,
    pub location: Option<Location>,
    #[serde(default)]
    pub quantities: Vec<Quantity>,
    pub evidence: Evidence,
    pub confidence: f32,
}

impl Event {
    /// A stable id: the same document, trigger position and type give the same id on every run,
    /// so re-coding and re-ingesting never create duplicates.
    pub fn make_id(
        doc_id: &str,
        trigger_start: usize,
        event: EventType,
        source: &[ActorRef],
    ) -> String {
        let mut h = blake3::Hasher::new();
        h.update(doc_id.as_bytes());
        h.update(&trigger_start.to_le_bytes());
        h.update(event.as_str().as_bytes());
        for a in source {
            h.update(a.code.as_bytes());
            h.update(b"\x1f");
        }
        format!("e-{}", &h.finalize().to_hex()[..16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_code_joins_country_and_sector() {
        assert_eq!(
            ActorRef::new("Hamas", "PSE", "REB", "hamas").code,
            "PSE REB"
        );
        assert_eq!(ActorRef::new("Qatar", "QAT", "", "").code, "QAT");
        assert_eq!(ActorRef::new("UN", "", "IGO", "").code, "IGO");
    }

    #[test]
    fn status_round_trips_through_text() {
        for s in [
            Status::Asserted,
            Status::Hypothetical,
            Status::Planned,
            Status::Intended,
            Status::Negated,
            Status::Reported,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
    }

    #[test]
    fn other_mentions_are_left_out_of_json_when_there_are_none_and_read_back_when_there_are() {
        let text = "Troops shelled the town. The shelling went on.";
        let mut ev = Evidence::new(text, (0, 24), (7, 14), "assault/shell");
        assert_eq!(ev.sentence, "Troops shelled the town.");
        assert_eq!(ev.trigger, "shelled");
        let json = serde_json::to_string(&ev).unwrap();
        assert!(!json.contains("also"), "{json}");
        // records written before the field existed still read
        let back: Evidence = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ev);
        ev.also
            .push(Evidence::new(text, (25, 46), (29, 37), "assault/shelling").span());
        let json = serde_json::to_string(&ev).unwrap();
        assert!(json.contains(r#""also":[{"start":25"#), "{json}");
        assert_eq!(serde_json::from_str::<Evidence>(&json).unwrap(), ev);
    }

    #[test]
    fn event_ids_are_stable_and_discriminating() {
        let a = [ActorRef::new("x", "USA", "GOV", "")];
        let id1 = Event::make_id("d-1", 10, EventType::Threaten, &a);
        assert_eq!(id1, Event::make_id("d-1", 10, EventType::Threaten, &a));
        assert_ne!(id1, Event::make_id("d-1", 11, EventType::Threaten, &a));
        assert_ne!(id1, Event::make_id("d-1", 10, EventType::Assault, &a));
    }
}
