//! Where an event happened when neither its sentence nor the dateline says, read from its
//! actors: a capital that stands for its government is a city ("Russian drones hit Kyiv"), and
//! an act whose sides point to one country happened in that country (precision: country).
//! Such a place says so in `evidence.rule` (`+place:actors`).

use super::places::precision_of_kind;
use super::Coder;
use crate::event::{ActorRef, Event, Location, PlacePrecision};
use crate::kb::Sense;
use crate::ontology::EventType;

/// The country every actor given shares, if they are of one state (not an IGO or NGO).
pub fn sole_country<'a>(mut actors: impl Iterator<Item = &'a ActorRef>) -> Option<&'a str> {
    let first = actors.next()?.country.as_str();
    let state = first.len() == 3 && !matches!(first, "IGO" | "NGO");
    (state && actors.all(|a| a.country == first)).then_some(first)
}

/// Whether the town lies in the wider place: its country, or the region it names.
fn within(town: &Location, wider: &Location) -> bool {
    town.country == wider.country
        && (wider.precision == PlacePrecision::Country
            || (!town.region.is_empty() && town.region.eq_ignore_ascii_case(&wider.region)))
}

impl Coder<'_> {
    /// Gives each event with no place the one its actors imply, and an event placed only in
    /// a region or country the town it acts on there ("retook the town of Macomia in Cabo
    /// Delgado province").
    pub fn place_by_actors(&self, events: &mut [Event]) {
        for e in events.iter_mut() {
            let found = match &e.location {
                None => self.actor_place(e),
                Some(l) if l.precision != PlacePrecision::City => e
                    .target
                    .iter()
                    .filter_map(|a| self.town(a))
                    .find(|t| within(t, l)),
                Some(_) => None,
            };
            if let Some(loc) = found {
                e.location = Some(loc);
                e.evidence.rule.push_str("+place:actors");
            }
        }
    }

    /// An attack or aid happened where its target is ("shelled Ukraine", "flew aid to
    /// Gaza"); any other act where its source is, as the state that arrests, expels, bans or
    /// speaks does so at home ("Algeria expelled French diplomats"). Two sides of one country
    /// settle it first. The other side alone says nothing: an attack with no target named
    /// ("Russian forces attacked overnight") did not happen in Russia, unless its attackers
    /// are no state's forces ("Arakan Army fighters captured the town"): armed groups, gangs
    /// and gunmen fight where they are from.
    fn actor_place(&self, e: &Event) -> Option<Location> {
        let at_target = matches!(e.event, EventType::Assault | EventType::Aid);
        let side = if at_target { &e.target } else { &e.source };
        let named = |a: &ActorRef| self.town(a).or_else(|| self.capital(a));
        if let Some(city) = side.iter().find_map(named) {
            return Some(city);
        }
        let both = !e.source.is_empty() && !e.target.is_empty();
        let country = both
            .then(|| sole_country(e.source.iter().chain(&e.target)))
            .flatten()
            .or_else(|| sole_country(side.iter()))
            .or_else(|| {
                let irregular =
                    |a: &ActorRef| matches!(a.sector.as_str(), "REB" | "INS" | "CRM" | "UAF");
                (at_target && e.target.is_empty() && e.source.iter().all(irregular))
                    .then(|| sole_country(e.source.iter()))
                    .flatten()
            })?;
        let c = self.kb.country(country)?;
        (!c.lat.is_nan()).then(|| Location {
            text: c.name.clone(),
            country: c.code.clone(),
            lat: c.lat,
            lon: c.lon,
            region: String::new(),
            precision: PlacePrecision::Country,
        })
    }

    /// The town a country-only actor is named by: a place taken as the target ("missiles hit
    /// central Sumy").
    fn town(&self, a: &ActorRef) -> Option<Location> {
        if !a.sector.is_empty() {
            return None;
        }
        self.kb
            .place_index
            .lookup(&a.text)
            .into_iter()
            .find_map(|s| {
                let Sense::Place(i) = s else { return None };
                let p = &self.kb.places[i];
                let town = precision_of_kind(&p.kind) == PlacePrecision::City;
                (town && p.country == a.country && !p.lat.is_nan()).then(|| Location {
                    text: a.text.clone(),
                    country: p.country.clone(),
                    lat: p.lat,
                    lon: p.lon,
                    region: p.region.clone(),
                    precision: PlacePrecision::City,
                })
            })
    }

    /// The capital an actor is named by ("Kyiv said"), as a city: the KB's country
    /// coordinates are its capital's.
    fn capital(&self, a: &ActorRef) -> Option<Location> {
        let c = self.kb.country(&a.country)?;
        let named = c.capitals.iter().any(|k| k.eq_ignore_ascii_case(&a.text));
        (named && !c.lat.is_nan()).then(|| Location {
            text: a.text.clone(),
            country: c.code.clone(),
            lat: c.lat,
            lon: c.lon,
            region: String::new(),
            precision: PlacePrecision::City,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coder::CoderOptions;
    use crate::document::Document;
    use crate::kb::Kb;
    use chrono::NaiveDate;

    type Placed = (EventType, Option<(String, String, PlacePrecision)>, String);

    fn places(text: &str) -> Vec<Placed> {
        let kb = Kb::embedded();
        let coder = Coder::new(&kb, CoderOptions::default());
        let doc = Document::new(NaiveDate::from_ymd_opt(2024, 5, 6).unwrap(), text);
        coder
            .code(&doc)
            .into_iter()
            .map(|e| {
                let loc = e.location.map(|l| (l.text, l.country, l.precision));
                (e.event, loc, e.evidence.rule)
            })
            .collect()
    }

    #[test]
    fn an_expulsion_with_no_place_happened_in_the_expelling_country() {
        let got = places("Morocco expelled four Spanish diplomats on Monday.");
        let (event, loc, rule) = &got[0];
        assert_eq!(*event, EventType::Sanction);
        let (_, country, precision) = loc.as_ref().expect("a place from the actors");
        assert_eq!(
            (country.as_str(), *precision),
            ("MAR", PlacePrecision::Country)
        );
        assert!(rule.ends_with("+place:actors"), "{rule}");
    }

    #[test]
    fn a_place_the_text_gives_is_kept_and_not_marked() {
        let got = places("Russian forces shelled Kherson overnight.");
        let (_, loc, rule) = &got[0];
        let (text, country, precision) = loc.as_ref().unwrap();
        assert_eq!(
            (text.as_str(), country.as_str(), *precision),
            ("Kherson", "UKR", PlacePrecision::City)
        );
        assert!(!rule.contains("place:actors"), "{rule}");
    }

    #[test]
    fn a_capital_named_as_an_actor_is_a_city() {
        let kb = Kb::embedded();
        let coder = Coder::new(&kb, CoderOptions::default());
        let kyiv = ActorRef::new("Kyiv", "UKR", "GOV", "UKR");
        let loc = coder.capital(&kyiv).expect("Kyiv is Ukraine's capital");
        assert_eq!(
            (loc.country.as_str(), loc.precision),
            ("UKR", PlacePrecision::City)
        );
        assert!(coder
            .capital(&ActorRef::new("Ukrainian officials", "UKR", "GOV", ""))
            .is_none());
    }

    #[test]
    fn sides_of_several_countries_lend_no_shared_country() {
        let a = [
            ActorRef::new("x", "EGY", "", ""),
            ActorRef::new("y", "QAT", "", ""),
        ];
        assert_eq!(sole_country(a.iter()), None);
        let un = [ActorRef::new("UN", "IGO", "UNO", "")];
        assert_eq!(sole_country(un.iter()), None);
        let one = [
            ActorRef::new("x", "KEN", "COP", ""),
            ActorRef::new("y", "KEN", "", ""),
        ];
        assert_eq!(sole_country(one.iter()), Some("KEN"));
    }
}
