//! The knowledge base: countries, people with dated roles, organisations, generic agents,
//! places and the trigger lexicon, read from `data/kb/*.tsv` (built into the binary) and from
//! any `--kb DIR` whose files add entries or replace those with the same key.

pub mod check;
mod files;
mod index;
pub mod lookup;
mod model;
mod succession;
mod tsv;

pub use files::hash_tree;
pub use index::{normalize_alias, AliasIndex, AliasMatch, Sense};
pub use model::{Agent, Cased, Country, Org, Origin, Person, Place, Role, TriggerDef};
pub use tsv::KbError;

use crate::ontology::EventType;
use model::{date, float, list};
use std::collections::HashMap;
use std::path::Path;
use tsv::for_each_row;

/// KB file names, in load order. A `--kb` directory may hold any of them.
pub const FILES: [&str; 7] = [
    "countries.tsv",
    "agents.tsv",
    "people.tsv",
    "orgs.tsv",
    "places.tsv",
    "gazetteer.tsv",
    "triggers.tsv",
];

#[derive(Default)]
pub struct Kb {
    pub countries: Vec<Country>,
    pub people: Vec<Person>,
    pub orgs: Vec<Org>,
    pub agents: Vec<Agent>,
    pub places: Vec<Place>,
    pub triggers: Vec<TriggerDef>,
    /// Names of actors: countries, demonyms, capitals, people, organisations, agents.
    pub actors: AliasIndex,
    /// Names of places: the gazetteer, conflict places, countries.
    pub place_index: AliasIndex,
    country_by_code: HashMap<String, usize>,
}

impl Kb {
    /// Gazetteer cities, and those of them with no first-level region (`kb stats` reports
    /// both, so a gazetteer that loses its region column shows).
    pub fn cities_without_region(&self) -> (usize, usize) {
        let cities = self.places.iter().filter(|p| p.kind == "city");
        cities.fold((0, 0), |(n, bare), p| {
            (n + 1, bare + p.region.is_empty() as usize)
        })
    }

    /// The built-in KB, then each directory's files over it.
    pub fn load<P: AsRef<Path>>(overrides: &[P]) -> Result<Kb, KbError> {
        let mut kb = Kb::default();
        for (name, text) in files::EMBEDDED {
            kb.add_file(name, name, text)?;
        }
        for dir in overrides {
            let dir = dir.as_ref();
            if !dir.is_dir() {
                return Err(KbError {
                    file: dir.display().to_string(),
                    line: 0,
                    message: "not a directory".into(),
                });
            }
            let mut found = false;
            for name in FILES {
                let p = dir.join(name);
                if !p.exists() {
                    continue;
                }
                found = true;
                let shown = p.display().to_string();
                let text = std::fs::read_to_string(&p).map_err(|e| KbError {
                    file: shown.clone(),
                    line: 0,
                    message: format!("cannot read: {e}"),
                })?;
                kb.add_file(name, &shown, &text)?;
            }
            if !found {
                return Err(KbError {
                    file: dir.display().to_string(),
                    line: 0,
                    message: format!("no KB files here (expected any of: {})", FILES.join(", ")),
                });
            }
        }
        kb.build_indexes();
        Ok(kb)
    }

    /// The built-in KB alone. Panics only if the shipped data is broken, which tests catch.
    pub fn embedded() -> Kb {
        Kb::load::<&Path>(&[]).expect("the built-in KB must load")
    }

    pub fn country(&self, code: &str) -> Option<&Country> {
        self.country_by_code.get(code).map(|i| &self.countries[*i])
    }

    /// Adds the rows of one file; `kind` is its base name, `shown` what errors call it.
    fn add_file(&mut self, kind: &str, shown: &str, text: &str) -> Result<(), KbError> {
        match kind {
            "countries.tsv" => {
                let mut rows = Vec::new();
                for_each_row(shown, text, &["code", "name"], |r| {
                    rows.push(Country {
                        code: r.required("code")?.to_string(),
                        name: r.required("name")?.to_string(),
                        aliases: list(&r, "aliases"),
                        adjectives: list(&r, "adjectives"),
                        capitals: list(&r, "capitals"),
                        lat: float(&r, "lat")?,
                        lon: float(&r, "lon")?,
                        cased: Cased::of(&r),
                        origin: Origin::of(&r),
                    });
                    Ok(())
                })?;
                replace_by(&mut self.countries, rows, |c| c.code.clone());
            }
            "agents.tsv" => {
                let mut rows = Vec::new();
                for_each_row(shown, text, &["term", "sector"], |r| {
                    rows.push(Agent {
                        term: r.required("term")?.to_string(),
                        sector: r.required("sector")?.to_string(),
                        title: matches!(r.get("kind"), "title"),
                        origin: Origin::of(&r),
                    });
                    Ok(())
                })?;
                replace_by(&mut self.agents, rows, |a| a.term.to_lowercase());
            }
            "people.tsv" => {
                let mut people: Vec<Person> = Vec::new();
                for_each_row(shown, text, &["id", "name", "country"], |r| {
                    let id = r.required("id")?;
                    let role = Role {
                        country: r.required("country")?.to_string(),
                        sector: r.get("sector").to_string(),
                        title: r.get("title").to_string(),
                        start: date(&r, "start")?,
                        end: date(&r, "end")?,
                        origin: Origin::of(&r),
                    };
                    let aliases = list(&r, "aliases");
                    match people.iter_mut().find(|p| p.id == id) {
                        Some(p) => {
                            p.roles.push(role);
                            for a in aliases {
                                if !p.aliases.contains(&a) {
                                    p.aliases.push(a);
                                }
                            }
                        }
                        None => people.push(Person {
                            id: id.to_string(),
                            name: r.required("name")?.to_string(),
                            aliases,
                            roles: vec![role],
                        }),
                    }
                    Ok(())
                })?;
                replace_by(&mut self.people, people, |p| p.id.clone());
            }
            "orgs.tsv" => {
                let mut rows = Vec::new();
                for_each_row(shown, text, &["id", "name", "country"], |r| {
                    rows.push(Org {
                        id: r.required("id")?.to_string(),
                        name: r.required("name")?.to_string(),
                        aliases: list(&r, "aliases"),
                        country: r.required("country")?.to_string(),
                        sector: r.get("sector").to_string(),
                        cased: Cased::of(&r),
                        origin: Origin::of(&r),
                    });
                    Ok(())
                })?;
                replace_by(&mut self.orgs, rows, |o| o.id.clone());
            }
            "places.tsv" | "gazetteer.tsv" => {
                let mut rows = Vec::new();
                for_each_row(shown, text, &["name", "country", "lat", "lon"], |r| {
                    rows.push(Place {
                        name: r.required("name")?.to_string(),
                        aliases: list(&r, "aliases"),
                        country: r.required("country")?.to_string(),
                        lat: float(&r, "lat")?,
                        lon: float(&r, "lon")?,
                        kind: r.get("kind").to_string(),
                        region: r.get("region").to_string(),
                        cased: Cased::of(&r),
                        origin: Origin::of(&r),
                    });
                    Ok(())
                })?;
                replace_by(&mut self.places, rows, |p| {
                    let mut k = p.name.to_lowercase();
                    k.push('\t');
                    k.push_str(&p.country);
                    k
                });
            }
            "triggers.tsv" => {
                let mut rows = Vec::new();
                for_each_row(shown, text, &["pattern", "event"], |r| {
                    let ev = r.required("event")?;
                    // "-" marks a blocking pattern: words that look like a trigger but are not
                    let event = if ev == "-" {
                        None
                    } else {
                        Some(
                            EventType::parse_label(ev)
                                .ok_or_else(|| r.error(format!("unknown event type '{ev}'")))?
                                .0,
                        )
                    };
                    rows.push(TriggerDef {
                        pattern: r.required("pattern")?.to_string(),
                        event,
                        cameo: r.get("cameo").to_string(),
                        mode: r.get("mode").to_string(),
                        context: list(&r, "context"),
                        rule: r.get("rule").to_string(),
                        origin: Origin::of(&r),
                    });
                    Ok(())
                })?;
                replace_by(&mut self.triggers, rows, |t| t.pattern.clone());
            }
            other => {
                return Err(KbError {
                    file: shown.to_string(),
                    line: 0,
                    message: format!("unknown KB file '{other}'"),
                })
            }
        }
        Ok(())
    }

    fn build_indexes(&mut self) {
        self.country_by_code = self
            .countries
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.clone(), i))
            .collect();
        self.actors = index::build_actor_index(self);
        self.place_index = index::build_place_index(self);
    }
}

/// Entries of `new` replace those of `base` with the same key; the rest are appended.
fn replace_by<T>(base: &mut Vec<T>, new: Vec<T>, key: impl Fn(&T) -> String) {
    if base.is_empty() {
        *base = new;
        return;
    }
    // the gazetteer's 32k rows go over the curated places: a fast hash, sized once
    let mut pos: rustc_hash::FxHashMap<String, usize> =
        HashMap::with_capacity_and_hasher(base.len() + new.len(), Default::default());
    pos.extend(base.iter().enumerate().map(|(i, x)| (key(x), i)));
    for item in new {
        let k = key(&item);
        match pos.get(&k) {
            Some(&i) => base[i] = item,
            None => {
                pos.insert(k, base.len());
                base.push(item);
            }
        }
    }
}
