//! PLOVER v0.8 event types, their quad classes, the CAMEO crosswalk and Goldstein scores.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The PLOVER v0.8 event types plus the two CAMEO roots (01, 02) that PLOVER leaves out but
/// analysts still use; those two are only emitted when the caller asks for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    Agree,
    Consult,
    Support,
    Concede,
    Cooperate,
    Aid,
    Retreat,
    Request,
    Accuse,
    Reject,
    Threaten,
    Sanction,
    Protest,
    Mobilize,
    Coerce,
    Assault,
    Statement,
    Appeal,
}

pub const PLOVER_TYPES: [EventType; 16] = [
    EventType::Agree,
    EventType::Consult,
    EventType::Support,
    EventType::Concede,
    EventType::Cooperate,
    EventType::Aid,
    EventType::Retreat,
    EventType::Request,
    EventType::Accuse,
    EventType::Reject,
    EventType::Threaten,
    EventType::Sanction,
    EventType::Protest,
    EventType::Mobilize,
    EventType::Coerce,
    EventType::Assault,
];

impl EventType {
    pub const ALL: [EventType; 18] = [
        EventType::Agree,
        EventType::Consult,
        EventType::Support,
        EventType::Concede,
        EventType::Cooperate,
        EventType::Aid,
        EventType::Retreat,
        EventType::Request,
        EventType::Accuse,
        EventType::Reject,
        EventType::Threaten,
        EventType::Sanction,
        EventType::Protest,
        EventType::Mobilize,
        EventType::Coerce,
        EventType::Assault,
        EventType::Statement,
        EventType::Appeal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Agree => "AGREE",
            EventType::Consult => "CONSULT",
            EventType::Support => "SUPPORT",
            EventType::Concede => "CONCEDE",
            EventType::Cooperate => "COOPERATE",
            EventType::Aid => "AID",
            EventType::Retreat => "RETREAT",
            EventType::Request => "REQUEST",
            EventType::Accuse => "ACCUSE",
            EventType::Reject => "REJECT",
            EventType::Threaten => "THREATEN",
            EventType::Sanction => "SANCTION",
            EventType::Protest => "PROTEST",
            EventType::Mobilize => "MOBILIZE",
            EventType::Coerce => "COERCE",
            EventType::Assault => "ASSAULT",
            EventType::Statement => "STATEMENT",
            EventType::Appeal => "APPEAL",
        }
    }

    /// Parses a v0.8 label or one of the older labels still found in gold files, returning the
    /// v0.8 type and the mode the old label implies (DISAPPROVE → ACCUSE/disapprove, …).
    pub fn parse_label(label: &str) -> Option<(EventType, &'static str)> {
        let up = label.trim().to_ascii_uppercase();
        let legacy = match up.as_str() {
            "DEMAND" => Some((EventType::Request, "")),
            "DISAPPROVE" => Some((EventType::Accuse, "disapprove")),
            "INVESTIGATE" => Some((EventType::Accuse, "investigate")),
            "FIGHT" => Some((EventType::Assault, "")),
            _ => None,
        };
        legacy.or_else(|| {
            EventType::ALL
                .iter()
                .find(|t| t.as_str() == up)
                .map(|t| (*t, ""))
        })
    }

    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict;
    /// STATEMENT and APPEAL are verbal cooperation as in GDELT.
    pub fn quad_class(self) -> u8 {
        use EventType::*;
        match self {
            Agree | Consult | Support | Concede | Statement | Appeal => 1,
            Cooperate | Aid | Retreat => 2,
            Request | Accuse | Reject | Threaten | Sanction => 3,
            Protest | Mobilize | Coerce | Assault => 4,
        }
    }

    /// The CAMEO root a type falls back to when a rule gives no finer code.
    pub fn default_cameo(self) -> &'static str {
        use EventType::*;
        match self {
            Statement => "01",
            Appeal => "02",
            Agree => "03",
            Consult => "04",
            Support => "05",
            Cooperate => "06",
            Aid => "07",
            Concede => "08",
            Retreat => "087",
            Request => "10",
            Accuse => "11",
            Reject => "12",
            Threaten => "13",
            Protest => "14",
            Mobilize => "15",
            Sanction => "16",
            Coerce => "17",
            Assault => "19",
        }
    }

    pub fn is_plover(self) -> bool {
        !matches!(self, EventType::Statement | EventType::Appeal)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Maps a CAMEO code (root or finer) to its PLOVER type, following the crosswalk in DESIGN.md.
pub fn cameo_to_plover(code: &str) -> Option<EventType> {
    use EventType::*;
    let root = code.get(..2)?;
    Some(match root {
        "01" => Statement,
        "02" => Appeal,
        "03" => Agree,
        "04" => Consult,
        "05" => Support,
        "06" => Cooperate,
        "07" => Aid,
        "08" => match code.get(..3) {
            Some("084" | "085" | "086" | "087") => Retreat,
            _ => Concede,
        },
        "09" | "11" => Accuse,
        "10" => Request,
        "12" => Reject,
        "13" => Threaten,
        "14" => Protest,
        "15" => Mobilize,
        "16" => Sanction,
        "17" => Coerce,
        "18" | "19" | "20" => Assault,
        _ => return None,
    })
}

/// Goldstein score of a CAMEO code: the finer code where GDELT gives one, else the root's.
pub fn goldstein(code: &str) -> f64 {
    const FINE: &[(&str, f64)] = &[
        ("036", 4.0),
        ("042", 1.9),
        ("043", 2.8),
        ("045", 5.0),
        ("046", 7.0),
        ("057", 8.0),
        ("061", 6.4),
        ("062", 7.4),
        ("064", 7.0),
        ("0871", 9.0),
        ("084", 7.0),
        ("0841", 9.0),
        ("087", 9.0),
        ("111", -2.0),
        ("112", -2.0),
        ("125", -5.0),
        ("1311", -4.4),
        ("138", -7.0),
        ("1382", -7.0),
        ("139", -7.0),
        ("141", -6.5),
        ("145", -7.5),
        ("163", -8.0),
        ("172", -5.0),
        ("173", -5.0),
        ("174", -5.0),
        ("175", -9.0),
        ("181", -9.0),
        ("182", -9.5),
        ("183", -10.0),
        ("190", -10.0),
        ("193", -10.0),
        ("195", -10.0),
    ];
    if let Some((_, g)) = FINE.iter().find(|(c, _)| *c == code) {
        return *g;
    }
    match code.get(..2).unwrap_or("") {
        "01" => 0.0,
        "02" => 3.0,
        "03" => 4.0,
        "04" => 1.0,
        "05" => 3.5,
        "06" => 6.0,
        "07" => 7.0,
        "08" => 5.0,
        "09" => -2.0,
        "10" => -5.0,
        "11" => -2.0,
        "12" => -4.0,
        "13" => -6.0,
        "14" => -6.5,
        "15" => -7.2,
        "16" => -4.0,
        "17" => -7.0,
        "18" => -9.0,
        "19" | "20" => -10.0,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_labels_map_to_v08() {
        assert_eq!(
            EventType::parse_label("FIGHT"),
            Some((EventType::Assault, ""))
        );
        assert_eq!(
            EventType::parse_label("demand"),
            Some((EventType::Request, ""))
        );
        assert_eq!(
            EventType::parse_label("DISAPPROVE"),
            Some((EventType::Accuse, "disapprove"))
        );
        assert_eq!(EventType::parse_label("BOGUS"), None);
    }

    #[test]
    fn cameo_crosswalk_splits_08_and_folds_09() {
        assert_eq!(cameo_to_plover("081"), Some(EventType::Concede));
        assert_eq!(cameo_to_plover("0841"), Some(EventType::Retreat));
        assert_eq!(cameo_to_plover("092"), Some(EventType::Accuse));
        assert_eq!(cameo_to_plover("195"), Some(EventType::Assault));
        assert_eq!(cameo_to_plover("x"), None);
    }

    #[test]
    fn goldstein_prefers_fine_codes() {
        assert_eq!(goldstein("1311"), -4.4);
        assert_eq!(goldstein("13"), -6.0);
        assert_eq!(goldstein("045"), 5.0);
    }

    #[test]
    fn every_type_has_a_quad_class_matching_its_cameo_root() {
        for t in EventType::ALL {
            let q = t.quad_class();
            assert!((1..=4).contains(&q));
            assert_eq!(cameo_to_plover(t.default_cameo()), Some(t), "{t}");
        }
    }
}
