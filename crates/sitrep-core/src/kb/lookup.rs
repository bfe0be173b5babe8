//! What a name means in the KB on a given date, and why: for `sitrep kb lookup` and for anyone
//! debugging a surprising actor code.

use super::{Kb, Origin, Sense};
use chrono::NaiveDate;

/// One sense of a name, resolved for a date.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolution {
    pub sense: Sense,
    /// What the entry is: "person Benjamin Netanyahu", "country Israel (ISR)", …
    pub entry: String,
    /// The CAMEO-style code on the date ("ISR GOV"); a bare sector for generic agents.
    pub code: String,
    /// The row that decided the code.
    pub origin: Origin,
    /// Why: the role held on the date (with its dates), or the kind of alias.
    pub reason: String,
    /// Whether the role covers the date (false: the nearest role in time was used).
    pub current: bool,
}

/// Every sense of `name` among actors, then places, resolved on `date`.
pub fn resolve(kb: &Kb, name: &str, date: NaiveDate) -> Vec<Resolution> {
    let mut out: Vec<Resolution> = Vec::new();
    let mut senses = kb.actors.lookup(name);
    for s in kb.place_index.lookup(name) {
        if !senses.contains(&s) {
            senses.push(s);
        }
    }
    for sense in senses {
        out.push(resolve_sense(kb, sense, date));
    }
    out
}

fn join(country: &str, sector: &str) -> String {
    if sector.is_empty() {
        country.to_string()
    } else {
        format!("{country} {sector}")
    }
}

fn resolve_sense(kb: &Kb, sense: Sense, date: NaiveDate) -> Resolution {
    let plain = |entry: String, code: String, origin: &Origin, reason: &str| Resolution {
        sense,
        entry,
        code,
        origin: origin.clone(),
        reason: reason.to_string(),
        current: true,
    };
    match sense {
        Sense::Country(i) => {
            let c = &kb.countries[i];
            plain(
                format!("country {} ({})", c.name, c.code),
                c.code.clone(),
                &c.origin,
                "country name",
            )
        }
        Sense::Demonym(i) => {
            let c = &kb.countries[i];
            let entry = format!("country {} ({})", c.name, c.code);
            plain(entry, c.code.clone(), &c.origin, "adjective or demonym")
        }
        Sense::Capital(i) => {
            let c = &kb.countries[i];
            let entry = format!("country {} ({})", c.name, c.code);
            plain(
                entry,
                join(&c.code, "GOV"),
                &c.origin,
                "seat of government standing for the government",
            )
        }
        Sense::Org(i) => {
            let o = &kb.orgs[i];
            let entry = format!("organisation {} ({})", o.name, o.id);
            plain(
                entry,
                join(&o.country, &o.sector),
                &o.origin,
                "organisation",
            )
        }
        Sense::Agent(i) => {
            let a = &kb.agents[i];
            let why = if a.title {
                "title (one person)"
            } else {
                "generic agent (a group)"
            };
            plain(
                format!("agent '{}'", a.term),
                a.sector.clone(),
                &a.origin,
                why,
            )
        }
        Sense::Place(i) => {
            let p = &kb.places[i];
            let entry = format!(
                "place {} ({}, {}; {:.2}, {:.2})",
                p.name, p.kind, p.country, p.lat, p.lon
            );
            plain(entry, p.country.clone(), &p.origin, "place")
        }
        Sense::Person(i) => {
            let p = &kb.people[i];
            let entry = format!("person {} ({})", p.name, p.id);
            match p.role_on(date) {
                Some((r, current)) => {
                    let dates = format!(
                        "{} – {}",
                        r.start.map(|d| d.to_string()).unwrap_or_else(|| "…".into()),
                        r.end
                            .map(|d| d.to_string())
                            .unwrap_or_else(|| "today".into())
                    );
                    let reason = if current {
                        format!("{} {}, {dates}, covers {date}", r.country, r.title)
                    } else {
                        format!(
                            "no role on {date}; nearest: {} {}, {dates}",
                            r.country, r.title
                        )
                    };
                    Resolution {
                        sense,
                        entry,
                        code: join(&r.country, &r.sector),
                        origin: r.origin.clone(),
                        reason,
                        current,
                    }
                }
                None => Resolution {
                    sense,
                    entry,
                    code: String::new(),
                    origin: Origin {
                        file: String::new(),
                        line: 0,
                    },
                    reason: "person without roles".into(),
                    current: false,
                },
            }
        }
    }
}
