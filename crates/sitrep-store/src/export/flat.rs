//! One event as one flat row (actors joined by `;`, quantities as text): the columns of
//! `sitrep code --format csv` and of the Python package's `code_frame`. Never formats numbers.

use sitrep_core::{ActorRef, Event};

/// The column names, in order.
pub const FLAT_COLUMNS: [&str; 22] = [
    "id",
    "doc_id",
    "date",
    "event",
    "mode",
    "status",
    "cameo",
    "goldstein",
    "quad_class",
    "source_code",
    "source_text",
    "target_code",
    "target_text",
    "location",
    "country",
    "lat",
    "lon",
    "quantities",
    "fatalities",
    "trigger",
    "rule",
    "confidence",
];

/// An event flattened; numbers stay numbers so each writer formats them its own way.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatEvent {
    pub id: String,
    pub doc_id: String,
    pub date: String,
    pub event: String,
    pub mode: String,
    pub status: String,
    pub cameo: String,
    pub goldstein: f64,
    pub quad_class: u8,
    pub source_code: String,
    pub source_text: String,
    pub target_code: String,
    pub target_text: String,
    pub location: String,
    /// The place's country (ISO 3166 alpha-3), empty with no place.
    pub country: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub quantities: String,
    /// Killed, as `fatalities::of_event` counts them (0: none reported), as ACLED users sum.
    pub fatalities: u64,
    pub trigger: String,
    pub rule: String,
    pub confidence: f32,
}

fn joined(actors: &[ActorRef], part: impl Fn(&ActorRef) -> &str) -> String {
    actors.iter().map(part).collect::<Vec<_>>().join(";")
}

impl FlatEvent {
    pub fn from_event(e: &Event) -> FlatEvent {
        let quantities = e
            .quantities
            .iter()
            .map(|q| format!("{} {} ({})", q.value, q.unit, q.qualifier))
            .collect::<Vec<_>>()
            .join(";");
        FlatEvent {
            id: e.id.clone(),
            doc_id: e.doc_id.clone(),
            date: e.date.to_string(),
            event: e.event.as_str().to_string(),
            mode: e.mode.clone(),
            status: e.status.as_str().to_string(),
            cameo: e.cameo.clone(),
            goldstein: e.goldstein,
            quad_class: e.quad_class,
            source_code: joined(&e.source, |a| &a.code),
            source_text: joined(&e.source, |a| &a.text),
            target_code: joined(&e.target, |a| &a.code),
            target_text: joined(&e.target, |a| &a.text),
            location: e
                .location
                .as_ref()
                .map(|l| l.text.clone())
                .unwrap_or_default(),
            country: e
                .location
                .as_ref()
                .map(|l| l.country.clone())
                .unwrap_or_default(),
            lat: e.location.as_ref().map(|l| l.lat),
            lon: e.location.as_ref().map(|l| l.lon),
            quantities,
            fatalities: crate::fatalities::of_event(e),
            trigger: e.evidence.trigger.clone(),
            rule: e.evidence.rule.clone(),
            confidence: e.confidence,
        }
    }

    /// The row as `sitrep code --format csv` writes it (empty cells for no place).
    pub fn csv_record(&self) -> [String; 22] {
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        [
            self.id.clone(),
            self.doc_id.clone(),
            self.date.clone(),
            self.event.clone(),
            self.mode.clone(),
            self.status.clone(),
            self.cameo.clone(),
            self.goldstein.to_string(),
            self.quad_class.to_string(),
            self.source_code.clone(),
            self.source_text.clone(),
            self.target_code.clone(),
            self.target_text.clone(),
            self.location.clone(),
            self.country.clone(),
            opt(self.lat),
            opt(self.lon),
            self.quantities.clone(),
            self.fatalities.to_string(),
            self.trigger.clone(),
            self.rule.clone(),
            format!("{:.2}", self.confidence),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sitrep_core::{Coder, CoderOptions, Document, EventType, Kb};

    #[test]
    fn rows_carry_the_place_country_and_the_killed() {
        let kb = Kb::embedded();
        let day = chrono::NaiveDate::from_ymd_opt(2024, 5, 8).unwrap();
        let doc = Document::new(day, "Gunmen killed 12 villagers near Maiduguri on Monday.");
        let events = Coder::new(&kb, CoderOptions::default()).code(&doc);
        let e = events
            .iter()
            .find(|e| e.event == EventType::Assault)
            .expect("an attack");
        let row = FlatEvent::from_event(e).csv_record();
        let col = |name: &str| {
            let k = FLAT_COLUMNS.iter().position(|c| *c == name).unwrap();
            row[k].as_str()
        };
        assert_eq!((col("location"), col("country")), ("Maiduguri", "NGA"));
        assert_eq!(col("fatalities"), "12");
        assert_eq!(row.len(), FLAT_COLUMNS.len());
    }
}
