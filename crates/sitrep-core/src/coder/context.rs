//! Countries for actors the text names only generically ("police", "rebels", "President
//! Askar Akayev"): from a place attached to the phrase ("Demonstrators in Baghdad"), from where
//! a state agent acts ("Police … in Berlin"), or from the one country the sentence names.

use super::mentions::{Mention, MentionKind};
use super::words::{is, REPORTING_VERBS};
use crate::event::ActorRef;
use crate::kb::{AliasMatch, Kb, Sense};
use crate::text::Token;

pub fn place_country(kb: &Kb, p: &AliasMatch) -> Option<String> {
    p.senses.iter().find_map(|s| match s {
        Sense::Place(i) => Some(kb.places[*i].country.clone()),
        Sense::Country(i) => Some(kb.countries[*i].code.clone()),
        _ => None,
    })
}

fn is_state_agent(sector: &str) -> bool {
    matches!(sector, "GOV" | "MIL" | "COP" | "JUD" | "LEG" | "SPY")
}

fn is_people(sector: &str) -> bool {
    matches!(sector, "CVL" | "REF" | "MED" | "EDU" | "HLH" | "BUS")
}

/// Where a trailing attribution starts (", relief officials in Nairobi said.", ", according to
/// Thai military sources"): who reports an event says nothing of where its actors are from.
pub fn attribution_start(toks: &[Token]) -> usize {
    // the clause must run to the end of the sentence and be short around its reporting verb,
    // so ", Rodriguez said the government would …" (a report with its content) is not one
    let mut last = toks.len();
    while last > 0 && toks[last - 1].kind == crate::text::TokenKind::Punct {
        last -= 1;
    }
    let Some(comma) = toks[..last].iter().rposition(|t| t.norm == ",") else {
        return toks.len();
    };
    let clause = &toks[comma + 1..last];
    let according = clause.len() <= 16
        && clause.first().is_some_and(|t| t.norm == "according")
        && clause.get(1).is_some_and(|t| t.norm == "to");
    // a short speaker before the verb (no predicate of its own: ", resumed relations and have
    // announced plans" is not a speaker) and at most a date or venue after it
    let reported = clause
        .iter()
        .position(|t| is(REPORTING_VERBS, &t.norm))
        .is_some_and(|r| {
            r <= 10
                && clause.len() - r <= 5
                && !clause[..r].iter().enumerate().any(|(i, t)| {
                    matches!(t.norm.as_str(), "have" | "has" | "had" | "will" | "would")
                        || (i == 0 && t.norm.ends_with("ed"))
                })
        });
    if according || reported {
        comma
    } else {
        toks.len()
    }
}

pub fn fill_countries(kb: &Kb, toks: &[Token], places: &[AliasMatch], ments: &mut [Mention]) {
    let attribution = attribution_start(toks);
    let governed = |p: &&AliasMatch| {
        p.start > 0
            && p.start < attribution
            && matches!(toks[p.start - 1].norm.as_str(), "in" | "at")
    };
    let sentence_place = places
        .iter()
        .find(governed)
        .and_then(|p| place_country(kb, p));
    let mut named: Vec<String> = ments
        .iter()
        .filter(|m| {
            m.kind == MentionKind::Named
                && m.start < attribution
                && m.actor.country.len() == 3
                && !matches!(m.actor.country.as_str(), "IGO" | "NGO")
        })
        .map(|m| m.actor.country.clone())
        .collect();
    named.extend(
        places
            .iter()
            .filter(governed)
            .filter_map(|p| place_country(kb, p)),
    );
    let sole = match named.first() {
        Some(c) if named.iter().all(|x| x == c) => Some(c.clone()),
        _ => None,
    };
    for m in ments.iter_mut() {
        if m.kind != MentionKind::Generic || !m.actor.country.is_empty() {
            continue;
        }
        // "Demonstrators in Baghdad", "rebels in the Ivory Coast"
        let attached = places.iter().find(|p| {
            let after = |k: usize| toks.get(k).map(|t| t.norm.as_str());
            let prep_at = matches!(after(m.end), Some("in" | "from" | "of"));
            prep_at
                && (p.start == m.end + 1
                    || (p.start == m.end + 2 && after(m.end + 1) == Some("the")))
        });
        let country = attached
            .and_then(|p| place_country(kb, p))
            .or_else(|| {
                // and attackers the text leaves unidentified ("gunmen … in Zamfara state") are
                // of the place where they strike, as CAMEO codes UAF
                sentence_place.clone().filter(|_| {
                    is_state_agent(&m.actor.sector)
                        || is_people(&m.actor.sector)
                        || m.actor.sector == "UAF"
                })
            })
            // civilians are not of the country of whoever acts on them ("hostages held by Hamas")
            .or_else(|| sole.clone().filter(|_| !is_people(&m.actor.sector)));
        if let Some(c) = country {
            m.actor = ActorRef::new(&m.actor.text, &c, &m.actor.sector, "");
        }
    }
}
