//! Succession: offices whose holder's term ends in the KB with no one holding them after, so
//! `sitrep kb check` can say where the people file stops being current. It reports; it must
//! never invent or change a role.

use super::{Kb, Origin};
use chrono::{Days, NaiveDate};
use std::collections::HashMap;

/// The offices whose succession is checked: heads of state and government and foreign
/// ministers, under the titles the people file uses.
const OFFICES: &[&str] = &[
    "president",
    "prime minister",
    "foreign minister",
    "foreign secretary",
    "secretary of state",
    "external affairs minister",
    "chancellor",
    "king",
    "emir",
];

/// A term of office: its start and (exclusive) end, either open.
type Term = (Option<NaiveDate>, Option<NaiveDate>);

/// A successor may take office up to this long after the term ends (caretakers, elections).
const GRACE_DAYS: u64 = 92;

/// The office a title names: "Caretaker Prime Minister", "Acting President" hold the office;
/// "Foreign Minister (ad interim)", "Prime Minister (Hamas government)" hold the office too:
/// the bracket says which government or how, not another office.
fn office(title: &str) -> Option<&'static str> {
    let t = title.to_ascii_lowercase();
    let t = t.split(" (").next().unwrap_or("");
    let t = t
        .trim_start_matches("acting ")
        .trim_start_matches("caretaker ")
        .trim_start_matches("interim ")
        .trim_start_matches("transitional ");
    OFFICES.iter().copied().find(|o| *o == t)
}

/// Each role of an office that ends with no role of the same office and country starting
/// within `GRACE_DAYS` of its end and running past it: where it is written, and the message.
pub fn vacant_offices(kb: &Kb) -> Vec<(Origin, String)> {
    let mut by_office: HashMap<(&str, &str), Vec<Term>> = HashMap::new();
    for p in &kb.people {
        for r in &p.roles {
            if let Some(o) = office(&r.title) {
                by_office
                    .entry((r.country.as_str(), o))
                    .or_default()
                    .push((r.start, r.end));
            }
        }
    }
    let mut out = Vec::new();
    for p in &kb.people {
        for r in &p.roles {
            let (Some(o), Some(end)) = (office(&r.title), r.end) else {
                continue;
            };
            let limit = end.checked_add_days(Days::new(GRACE_DAYS)).unwrap_or(end);
            let succeeded = by_office[&(r.country.as_str(), o)]
                .iter()
                .any(|(s, e)| s.is_none_or(|s| s <= limit) && e.is_none_or(|e| e > end));
            if !succeeded {
                out.push((
                    r.origin.clone(),
                    format!(
                        "person '{}': role '{}' of {} ended {end} and no one holds it after",
                        p.id, r.title, r.country
                    ),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(rows: &str) -> Kb {
        let dir = std::env::temp_dir().join(format!("sitrep-succession-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let head = "id\tname\taliases\tcountry\tsector\ttitle\tstart\tend\n";
        std::fs::write(dir.join("people.tsv"), format!("{head}{rows}")).unwrap();
        let kb = Kb::load(&[&dir]).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        kb
    }

    #[test]
    fn a_term_that_ends_with_no_successor_is_flagged_and_one_succeeded_is_not() {
        let kb = people(
            "ana-test\tAna Testa\t\tTUV\tGOV\tPrime Minister\t2019-01-01\t2024-02-01\n\
             ben-test\tBen Testo\t\tTUV\tGOV\tCaretaker Prime Minister\t2024-03-10\t\n\
             cy-test\tCy Testi\t\tTUV\tGOV\tForeign Minister\t2020-01-01\t2025-06-01\n",
        );
        let vacant: Vec<String> = vacant_offices(&kb)
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| m.contains("TUV"))
            .collect();
        assert_eq!(vacant.len(), 1, "{vacant:?}");
        assert!(vacant[0].contains("cy-test"), "{vacant:?}");
    }

    #[test]
    fn titles_name_their_office() {
        assert_eq!(office("Caretaker Prime Minister"), Some("prime minister"));
        assert_eq!(office("Acting President"), Some("president"));
        assert_eq!(office("Defence Minister"), None);
        assert_eq!(
            office("Foreign Minister (ad interim)"),
            Some("foreign minister")
        );
        assert_eq!(
            office("Prime Minister (eastern government)"),
            Some("prime minister")
        );
        assert_eq!(office("Transitional President"), Some("president"));
        assert_eq!(office("Defence Minister (acting)"), None);
    }
}
