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

/// The one country a sentence's setting names: a place governed by "in" or "at" first, else
/// the one country all its other places (and its country-coded named actors, for state
/// agents) share. Places in a trailing attribution say where the speaker is, not the act.
struct Scene {
    governed: Option<String>,
    places: Option<String>,
    named: Option<String>,
}

fn sole(mut it: impl Iterator<Item = String>) -> Option<String> {
    let first = it.next()?;
    it.all(|c| c == first).then_some(first)
}

impl Scene {
    fn read(kb: &Kb, toks: &[Token], places: &[AliasMatch], ments: &[Mention]) -> Scene {
        let attribution = attribution_start(toks);
        let governed = |p: &&AliasMatch| {
            p.start > 0
                && p.start < attribution
                && matches!(toks[p.start - 1].norm.as_str(), "in" | "at")
        };
        let named_countries = ments.iter().filter(|m| {
            m.kind == MentionKind::Named
                && m.start < attribution
                && m.actor.country.len() == 3
                && !matches!(m.actor.country.as_str(), "IGO" | "NGO")
        });
        let place_countries = places
            .iter()
            .filter(|p| p.start < attribution)
            .filter_map(|p| place_country(kb, p));
        Scene {
            governed: places
                .iter()
                .find(governed)
                .and_then(|p| place_country(kb, p)),
            places: sole(place_countries),
            named: sole(
                named_countries.map(|m| m.actor.country.clone()).chain(
                    places
                        .iter()
                        .filter(governed)
                        .filter_map(|p| place_country(kb, p)),
                ),
            ),
        }
    }

    /// What the next sentence inherits when it names no setting of its own.
    fn country(&self) -> Option<String> {
        self.governed.clone().or_else(|| self.places.clone())
    }
}

/// A place joined to a generic phrase: "Demonstrators in Baghdad", "rebels in the Ivory
/// Coast", or before it, "Manipur police", "Kharkiv residents".
fn attached_place<'a>(
    toks: &[Token],
    places: &'a [AliasMatch],
    m: &Mention,
) -> Option<&'a AliasMatch> {
    let at = |k: usize| toks.get(k).map(|t| t.norm.as_str());
    let prep_at = matches!(at(m.end), Some("in" | "from" | "of"));
    places.iter().find(|p| {
        (prep_at
            && (p.start == m.end + 1 || (p.start == m.end + 2 && at(m.end + 1) == Some("the"))))
            || p.end == m.start
    })
}

/// Gives generic mentions ("police", "rebels", "villagers") a country from their context and
/// returns the sentence's own setting, which `carried` (the dateline's, or an earlier
/// sentence's) stands in for when the sentence names none.
pub fn fill_countries(
    kb: &Kb,
    toks: &[Token],
    places: &[AliasMatch],
    ments: &mut [Mention],
    carried: Option<&str>,
) -> Option<String> {
    let scene = Scene::read(kb, toks, places, ments);
    let setting = scene.country();
    for m in ments.iter_mut() {
        if m.kind != MentionKind::Generic || !m.actor.country.is_empty() {
            continue;
        }
        // people are of the place they are in before they are of whoever acts on them
        // ("Hamas fighters seized villagers in Sderot"): the named actors' country is their
        // last resort (on the training split it is right more often than not: most attacks on
        // civilians reported are within one country), and everyone else's first after the
        // setting the sentence states
        let people = is_people(&m.actor.sector);
        let named = || scene.named.clone();
        let country = attached_place(toks, places, m)
            .and_then(|p| place_country(kb, p))
            .or_else(|| scene.governed.clone())
            .or_else(|| named().filter(|_| !people))
            .or_else(|| scene.places.clone())
            .or_else(|| carried.map(str::to_string))
            .or_else(named);
        if let Some(c) = country {
            m.actor = ActorRef::new(&m.actor.text, &c, &m.actor.sector, "");
        }
    }
    setting
}
