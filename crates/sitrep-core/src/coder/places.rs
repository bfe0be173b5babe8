//! The place stage: where an event happened (its location with coordinates) and which
//! country a place acted on stands for. It reads the KB's place matches; it must never invent
//! a place the sentence or dateline does not name.

use super::context;
use super::lexicon::TriggerMatch;
use super::roles;
use super::words::is;
use super::Coder;
use crate::event::{ActorRef, Location};
use crate::kb::{AliasMatch, Sense};
use crate::text::Token;

/// Prepositions after which a place is where an event happens.
/// "in Gaza", "along the Israel-Lebanon border": whether the phrase at token `start` follows a
/// locative preposition, so it names where something happens.
pub(super) fn after_locative(toks: &[Token], start: usize) -> bool {
    let locative = |k: usize| is(LOCATIVES, &toks[k].norm);
    (start > 0 && locative(start - 1))
        || (start > 1 && toks[start - 1].norm == "the" && locative(start - 2))
}

const LOCATIVES: &[&str] = &[
    "in", "at", "near", "along", "across", "outside", "inside", "into", "from", "over", "on",
];

impl Coder<'_> {
    /// The country of the first place after the trigger in its clause, governed by a locative
    /// preposition, as a country-only actor.
    pub(super) fn place_target(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        trig: &TriggerMatch,
    ) -> Option<ActorRef> {
        let end = roles::clause_end(toks, trig.last() + 1);
        let p = places.iter().find(|p| {
            p.start > trig.last()
                && p.end <= end
                && p.start <= trig.last() + 12
                && matches!(
                    toks[p.start - 1].norm.as_str(),
                    "in" | "at" | "near" | "on" | "into" | "across"
                )
        })?;
        let country = context::place_country(self.kb, p)?;
        if country.len() != 3 {
            return None;
        }
        let text = &src[toks[p.start].start..toks[p.end - 1].end];
        Some(ActorRef::new(text, &country, "", &country))
    }

    /// The country where the event at `trig` took place: of the place it acts on, else of the
    /// nearest place named as a location, else of the first place after it in its clause.
    pub(super) fn scene_country(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        trig: &TriggerMatch,
    ) -> Option<String> {
        if let Some(a) = self.place_target(src, toks, places, trig) {
            return Some(a.country);
        }
        if let Some(l) = self.location(src, toks, places, trig.first()) {
            return Some(l.country).filter(|c| c.len() == 3);
        }
        let end = roles::clause_end(toks, trig.last() + 1);
        places
            .iter()
            .filter(|p| p.start > trig.last() && p.end <= end)
            .find_map(|p| context::place_country(self.kb, p))
            .filter(|c| c.len() == 3)
    }

    pub(super) fn location(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        trigger: usize,
    ) -> Option<Location> {
        let mut best: Option<(usize, Location)> = None;
        for p in places {
            let governed = after_locative(toks, p.start);
            let border = p
                .senses
                .iter()
                .any(|s| matches!(s, Sense::Place(i) if self.kb.places[*i].kind == "border"));
            if !governed && !border {
                continue;
            }
            let text = &src[toks[p.start].start..toks[p.end - 1].end];
            let loc = p.senses.iter().find_map(|s| match s {
                Sense::Place(i) => {
                    let pl = &self.kb.places[*i];
                    (!pl.lat.is_nan()).then(|| Location {
                        text: text.to_string(),
                        country: pl.country.clone(),
                        lat: pl.lat,
                        lon: pl.lon,
                    })
                }
                Sense::Country(i) => {
                    let c = &self.kb.countries[*i];
                    (!c.lat.is_nan()).then(|| Location {
                        text: text.to_string(),
                        country: c.code.clone(),
                        lat: c.lat,
                        lon: c.lon,
                    })
                }
                _ => None,
            });
            if let Some(loc) = loc {
                let dist = p.start.abs_diff(trigger);
                if best.as_ref().is_none_or(|(d, _)| dist < *d) {
                    best = Some((dist, loc));
                }
            }
        }
        best.map(|(_, l)| l)
    }
}
