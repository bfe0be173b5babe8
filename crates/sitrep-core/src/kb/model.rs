//! The KB's entries, as read from its files. Each keeps the file and line it came from, so a
//! lookup can say why a name resolved as it did.

use super::tsv::{KbError, Row};
use crate::ontology::EventType;
use chrono::NaiveDate;

#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: String,
    pub line: usize,
}

impl Origin {
    pub(crate) fn of(row: &Row<'_, '_>) -> Origin {
        Origin {
            file: row.file.to_string(),
            line: row.line,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 alpha-3 (or a CAMEO pseudo-country such as IGO).
    pub code: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// Adjectives and demonyms: "Israeli", "Israelis".
    pub adjectives: Vec<String>,
    /// Seats of government used for the government: "Washington", "the White House".
    pub capitals: Vec<String>,
    pub lat: f64,
    pub lon: f64,
    /// Names that match only when capitalised in text ("Turkey", not "turkey").
    pub cased: Cased,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Role {
    pub country: String,
    pub sector: String,
    pub title: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub origin: Origin,
}

impl Role {
    pub fn covers(&self, d: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= d) && self.end.is_none_or(|e| d < e)
    }
}

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub roles: Vec<Role>,
}

impl Person {
    /// The role held on `date`; else the nearest in time, so a former leader keeps a country.
    pub fn role_on(&self, date: NaiveDate) -> Option<(&Role, bool)> {
        if let Some(r) = self.roles.iter().find(|r| r.covers(date)) {
            return Some((r, true));
        }
        self.roles
            .iter()
            .min_by_key(|r| {
                let s = r
                    .start
                    .map(|s| (s - date).num_days().abs())
                    .unwrap_or(i64::MAX / 2);
                let e = r
                    .end
                    .map(|e| (e - date).num_days().abs())
                    .unwrap_or(i64::MAX / 2);
                s.min(e)
            })
            .map(|r| (r, false))
    }
}

#[derive(Debug, Clone)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub country: String,
    pub sector: String,
    pub cased: Cased,
    pub origin: Origin,
}

/// A generic agent or title: "troops" → MIL, "officials" → GOV, "prime minister" → GOV.
#[derive(Debug, Clone)]
pub struct Agent {
    pub term: String,
    pub sector: String,
    /// Titles ("president") name one person; plain agents ("troops") name a group.
    pub title: bool,
    pub origin: Origin,
}

#[derive(Debug, Clone)]
pub struct Place {
    pub name: String,
    pub aliases: Vec<String>,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// country, region, city, conflict, border, …
    pub kind: String,
    /// A city's first-level administrative region (state, province, oblast); empty where
    /// the gazetteer gives none.
    pub region: String,
    pub cased: Cased,
    pub origin: Origin,
}

/// A trigger pattern of the event lexicon (see `coder::triggers` for the pattern language).
#[derive(Debug, Clone)]
pub struct TriggerDef {
    pub pattern: String,
    pub event: Option<EventType>,
    pub cameo: String,
    pub mode: String,
    pub context: Vec<String>,
    pub rule: String,
    pub origin: Origin,
}

/// Which names of an entry need a capital initial in text to match: words like "Turkey",
/// "Chad" or a city called "Mobile" would otherwise fire on ordinary lowercase words.
/// The `cased` column lists such names, or holds `*` for all names of the row.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Cased {
    #[default]
    None,
    All,
    Some(Vec<String>),
}

impl Cased {
    pub(crate) fn of(row: &Row<'_, '_>) -> Cased {
        // most rows have no cell here, or "*": no list to allocate
        if row.list("cased").next().is_none() {
            Cased::None
        } else if row.list("cased").any(|c| c == "*") {
            Cased::All
        } else {
            Cased::Some(list(row, "cased"))
        }
    }

    pub fn applies(&self, alias: &str) -> bool {
        match self {
            Cased::None => false,
            Cased::All => true,
            Cased::Some(v) => v.iter().any(|c| c == alias),
        }
    }
}

pub(crate) fn list(row: &Row<'_, '_>, col: &str) -> Vec<String> {
    row.list(col).map(str::to_string).collect()
}

pub(crate) fn float(row: &Row<'_, '_>, col: &str) -> Result<f64, KbError> {
    let v = row.get(col);
    if v.is_empty() {
        return Ok(f64::NAN);
    }
    v.parse()
        .map_err(|_| row.error(format!("column '{col}': '{v}' is not a number")))
}

pub(crate) fn date(row: &Row<'_, '_>, col: &str) -> Result<Option<NaiveDate>, KbError> {
    let v = row.get(col);
    if v.is_empty() {
        return Ok(None);
    }
    // a bare year means its first day
    let full = if v.len() == 4 {
        format!("{v}-01-01")
    } else {
        v.to_string()
    };
    NaiveDate::parse_from_str(&full, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| row.error(format!("column '{col}': '{v}' is not a date (YYYY-MM-DD)")))
}
