//! The place stage: where an event happened (its location with coordinates) and which
//! country a place acted on stands for. It reads the KB's place matches; it must never invent
//! a place the sentence or dateline does not name.

use super::context;
use super::dateline::{self, Dateline};
use super::lexicon::TriggerMatch;
use super::roles;
use super::words::is;
use super::Coder;
use crate::event::{ActorRef, Event, Location, PlacePrecision};
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
    "in",
    "at",
    "near",
    "along",
    "across",
    "outside",
    "inside",
    "into",
    "from",
    "over",
    "on",
    "through",
    "throughout",
    "around",
    "toward",
    "towards",
];

/// Verbs of going somewhere, after which "to" names where the act takes place: "will travel
/// to Cairo for talks", "troops will deploy to Los Angeles".
const MOTION_VERBS: &[&str] = &[
    "travel",
    "travels",
    "travelled",
    "traveled",
    "travelling",
    "traveling",
    "fly",
    "flies",
    "flew",
    "head",
    "heads",
    "headed",
    "go",
    "goes",
    "went",
    "deploy",
    "deploys",
    "deployed",
    "return",
    "returns",
    "returned",
    "come",
    "came",
    "move",
    "moved",
    "march",
    "marched",
];

/// Words in capitals written as a name ("PORT SUDAN" → "Port Sudan"), so the gazetteer's
/// capitalised names match them.
fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_uppercase()
                    .chain(c.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Events of one sentence that name no scene of their own share the scene another event of
/// the sentence has ("struck Odesa overnight, wounding five people").
pub fn share_sentence_place(events: &mut [Event]) {
    let Some(loc) = events.iter().find_map(|e| e.location.clone()) else {
        return;
    };
    for e in events.iter_mut().filter(|e| e.location.is_none()) {
        e.location = Some(loc.clone());
    }
}

/// Events with no place of their own take the dateline's: the story is filed from there.
/// An event placed only in the dateline city's country, or in the city's own region, is
/// placed in the city: "MAPUTO - Police in Mozambique detained ...".
pub(super) fn default_to_dateline(events: &mut [Event], dateline: Option<&Dateline>) {
    let Some(loc) = dateline.and_then(|d| d.location.as_ref()) else {
        return;
    };
    for e in events.iter_mut() {
        let within = e.location.as_ref().is_none_or(|l| dateline_refines(l, loc));
        if within {
            e.location = Some(loc.clone());
        }
    }
}

/// How specific a gazetteer place of this kind is: towns, camps, sites and crossings are
/// points; everything but a country is a region.
pub(super) fn precision_of_kind(kind: &str) -> PlacePrecision {
    match kind {
        "city" | "camp" | "site" | "crossing" => PlacePrecision::City,
        "country" => PlacePrecision::Country,
        _ => PlacePrecision::Region,
    }
}

/// Whether the dateline's city `city` is a more specific place inside the scene `scene`.
fn dateline_refines(scene: &Location, city: &Location) -> bool {
    city.precision == PlacePrecision::City
        && city.country == scene.country
        && match scene.precision {
            PlacePrecision::Country => true,
            PlacePrecision::Region => {
                !city.region.is_empty() && same_name(&city.region, &scene.region)
            }
            PlacePrecision::City => false,
        }
}

impl Coder<'_> {
    /// The document's dateline, with its place looked up in the gazetteer.
    pub fn dateline(&self, text: &str, date: chrono::NaiveDate) -> Option<Dateline> {
        let mut d = dateline::read(text, date)?;
        let name = title_case(&d.place);
        let toks = crate::text::tokenize(&name, 0);
        let places = self.kb.place_index.find(&name, &toks);
        d.location = places
            .iter()
            .find(|p| p.start == 0)
            .and_then(|p| self.place_location(&name, &toks, p))
            .map(|mut l| {
                l.text = d.place.clone();
                l
            });
        Some(d)
    }

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
        if let Some(l) = self.location(src, toks, places, trig) {
            return Some(l.country).filter(|c| c.len() == 3);
        }
        let end = roles::clause_end(toks, trig.last() + 1);
        places
            .iter()
            .filter(|p| p.start > trig.last() && p.end <= end)
            .find_map(|p| context::place_country(self.kb, p))
            .filter(|c| c.len() == 3)
    }

    /// Where the event at `trig` happened: the most specific place among those the
    /// sentence names as a scene (after a locative preposition, as the object of the trigger,
    /// or linked to such a place: "Glasgow, Scotland", "Ukraine's Kharkiv"), nearest to the
    /// trigger first, then a more specific place of the same country; with the region the
    /// sentence names for it.
    pub(super) fn location(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        trig: &TriggerMatch,
    ) -> Option<Location> {
        self.location_near(src, toks, places, Some((trig.first(), trig.last())))
    }

    /// Where the sentence's acts happen when no trigger word anchors them: the places it
    /// names as a scene ("drones hit a refinery in Ryazan"), the first one's country first.
    pub(super) fn sentence_scene(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
    ) -> Option<Location> {
        self.location_near(src, toks, places, None)
    }

    /// `location` near the trigger's first and last tokens, or with none, from the start.
    fn location_near(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        trig: Option<(usize, usize)>,
    ) -> Option<Location> {
        let scenes = self.scenes(src, toks, places, trig);
        let nearest = scenes.iter().min_by_key(|s| s.0)?;
        let country = nearest.1.country.clone();
        // "in eastern Ukraine, in the city of Kharkiv": the city of the same country wins
        let best = scenes
            .iter()
            .filter(|s| s.1.country == country)
            .min_by_key(|s| (rank(s.1.precision), s.0))
            .unwrap_or(nearest);
        let mut loc = best.1.clone();
        if loc.precision == PlacePrecision::City {
            if let Some(r) = scenes
                .iter()
                .find(|s| s.1.precision == PlacePrecision::Region && s.1.country == loc.country)
            {
                loc.region = r.1.text.clone();
            }
        }
        Some(loc)
    }

    /// The places that name a scene of the event at `trig`, each with its distance from the
    /// trigger in tokens.
    fn scenes(
        &self,
        src: &str,
        toks: &[Token],
        places: &[AliasMatch],
        trig: Option<(usize, usize)>,
    ) -> Vec<(usize, Location)> {
        // with no trigger no place is its object (`last` is never a token), and distance
        // counts from the start
        let (first, last) = trig.unwrap_or((0, usize::MAX));
        // each place's extra distance as a scene, None where it names none
        let mut governed: Vec<Option<usize>> = Vec::with_capacity(places.len());
        for (i, p) in places.iter().enumerate() {
            let border = p
                .senses
                .iter()
                .any(|s| matches!(s, Sense::Place(i) if self.kb.places[*i].kind == "border"));
            // "struck Odesa", "visited Cardiff": the place the act is done to
            let object = trig.is_some()
                && (p.start == last + 1 || (p.start == last + 2 && toks[last + 1].norm == "the"));
            // "Glasgow, Scotland", "Ukraine's Kharkiv region": linked to a scene before it
            let linked = i > 0
                && governed[i - 1].is_some()
                && places[i - 1].end + 1 == p.start
                && matches!(toks[p.start - 1].norm.as_str(), "," | "'s");
            let direct = (border || object || linked).then_some(0);
            governed.push(direct.or_else(|| scene_preposition(src, toks, p.start, last)));
        }
        let named = named_countries(self.kb, places);
        places
            .iter()
            .zip(governed)
            .filter_map(|(p, g)| {
                let loc = self.place_location_in(src, toks, p, &named)?;
                Some((p.start.abs_diff(first) + g?, loc))
            })
            .collect()
    }

    /// A place match as a location, from the first of its senses with coordinates.
    pub(super) fn place_location(
        &self,
        src: &str,
        toks: &[Token],
        p: &AliasMatch,
    ) -> Option<Location> {
        self.place_location_in(src, toks, p, &[])
    }

    /// A place match as a location: of its senses with coordinates, one in a country the
    /// sentence names ("Kandi in northern Benin"), else one the text calls by its own name
    /// rather than an alias ("Southport" is not a bigger city's other name), else the first.
    fn place_location_in(
        &self,
        src: &str,
        toks: &[Token],
        p: &AliasMatch,
        named: &[String],
    ) -> Option<Location> {
        let text = &src[toks[p.start].start..toks[p.end - 1].end];
        let rank = |s: &Sense| match s {
            Sense::Place(i) => {
                let pl = &self.kb.places[*i];
                let own_name = same_name(&pl.name, text);
                (!named.contains(&pl.country), !own_name)
            }
            _ => (true, true),
        };
        let mut senses: Vec<&Sense> = p.senses.iter().collect();
        senses.sort_by_key(|s| rank(s));
        senses.into_iter().find_map(|s| match s {
            Sense::Place(i) => {
                let pl = &self.kb.places[*i];
                let precision = precision_of_kind(&pl.kind);
                (!pl.lat.is_nan()).then(|| Location {
                    text: text.to_string(),
                    country: pl.country.clone(),
                    lat: pl.lat,
                    lon: pl.lon,
                    // a city carries its gazetteer region until the sentence names one
                    region: if precision == PlacePrecision::Region {
                        pl.name.clone()
                    } else {
                        pl.region.clone()
                    },
                    precision,
                })
            }
            Sense::Country(i) => {
                let c = &self.kb.countries[*i];
                (!c.lat.is_nan()).then(|| Location {
                    text: text.to_string(),
                    country: c.code.clone(),
                    lat: c.lat,
                    lon: c.lon,
                    region: String::new(),
                    precision: PlacePrecision::Country,
                })
            }
            _ => None,
        })
    }
}

fn rank(p: PlacePrecision) -> u8 {
    match p {
        PlacePrecision::City => 0,
        PlacePrecision::Region => 1,
        PlacePrecision::Country => 2,
    }
}

/// Words between a locative preposition and the place it governs: "in the city of Kharkiv",
/// "in eastern Ukraine", "near the northern town of Jenin".
const SCENE_FILLERS: &[&str] = &[
    "the",
    "city",
    "town",
    "village",
    "villages",
    "region",
    "province",
    "state",
    "district",
    "county",
    "governorate",
    "capital",
    "port",
    "camp",
    "area",
    "outskirts",
    "suburbs",
    "centre",
    "center",
    "of",
    "eastern",
    "western",
    "northern",
    "southern",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "north-east",
    "north-west",
    "south-east",
    "south-west",
    "-",
    "coastal",
    "border",
    "besieged",
    "embattled",
    "occupied",
    "frontline",
    "restive",
    "nearby",
    "neighbouring",
    "neighboring",
    "oblast",
    "a",
    "an",
    "residential",
    "part",
    "parts",
];

fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| crate::text::strip_diacritics(s).to_lowercase();
    fold(a) == fold(b)
}

/// The countries a sentence names by name, which decide between homonymous places.
fn named_countries(kb: &crate::kb::Kb, places: &[AliasMatch]) -> Vec<String> {
    places
        .iter()
        .flat_map(|p| &p.senses)
        .filter_map(|s| match s {
            Sense::Country(i) => Some(kb.countries[*i].code.clone()),
            _ => None,
        })
        .collect()
}

/// Whether the place at `start` follows a locative preposition, with at most a few words
/// of the kind in `SCENE_FILLERS` between them: the extra distance it has as a scene, as
/// "fired from Lebanon into Israel" strikes where it lands more than where it starts.
fn scene_preposition(
    src: &str,
    toks: &[Token],
    start: usize,
    trigger_last: usize,
) -> Option<usize> {
    let mut k = start;
    while k > 0 && start - k < 6 {
        let w = toks[k - 1].norm.as_str();
        // "struck a residential area of Kryvyi Rih": the object of the act, a few words on
        if k - 1 == trigger_last && k < start {
            return Some(0);
        }
        if is(LOCATIVES, w) {
            return Some(if w == "from" { 8 } else { 0 });
        }
        if w == "to" && k >= 2 && is(MOTION_VERBS, &toks[k - 2].norm) {
            return Some(0);
        }
        // "in Kuriga, Kaduna state": a name the gazetteer lacks, placed by the region after it
        if w == "," && k == start && after_unknown_name(src, toks, k - 1) {
            return Some(0);
        }
        if !SCENE_FILLERS.contains(&w) {
            return None;
        }
        k -= 1;
    }
    None
}

/// Whether the comma at `comma` follows a locative preposition and one to three capitalised
/// words ("in Kuriga,", "near Ak-Sai,").
fn after_unknown_name(src: &str, toks: &[Token], comma: usize) -> bool {
    let capitalised = |k: usize| {
        toks[k]
            .text(src)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    };
    let mut k = comma;
    while k > 0 && comma - k < 3 && capitalised(k - 1) {
        k -= 1;
    }
    k < comma && k > 0 && is(LOCATIVES, &toks[k - 1].norm) && toks[k - 1].norm != "from"
}
