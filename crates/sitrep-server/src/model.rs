//! What the API answers with: pages of records and the aggregates the dashboard draws.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sitrep_core::Event;
pub use sitrep_store::{ActorCount, PlaceCount, Story};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub limit: usize,
    pub offset: usize,
    /// Whether rows follow this page (counting all matches of a big filter costs a scan).
    pub has_more: bool,
    pub items: Vec<T>,
    /// Pass as `cursor=` for the page after this one (null on the last page, and for pages
    /// asked for by `offset`, which the lists keep for the dashboard's numbered pages).
    #[serde(default)]
    pub next_cursor: Option<String>,
}

/// An event as the API lists it: the coder's record, with the fatalities it reports under the
/// store's convention (`sitrep_store::fatalities`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventOut {
    #[serde(flatten)]
    pub event: Event,
    pub fatalities: u64,
}

impl From<Event> for EventOut {
    fn from(event: Event) -> EventOut {
        EventOut {
            fatalities: sitrep_store::fatalities::of_event(&event),
            event,
        }
    }
}

impl<T> Page<T> {
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            limit: self.limit,
            offset: self.offset,
            has_more: self.has_more,
            items: self.items.into_iter().map(f).collect(),
            next_cursor: self.next_cursor,
        }
    }
}

/// Fatalities of one period, per dyad (key "SRC-TGT") or in total (key "").
pub use sitrep_store::FatalityPoint;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    pub documents: u64,
    pub events: u64,
    pub actors: u64,
    pub stories: u64,
    pub first_date: Option<NaiveDate>,
    pub last_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocSummary {
    pub id: String,
    pub date: NaiveDate,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub bytes: u64,
    pub events: u64,
}

/// A document with its full text and its events; each event's `evidence` holds the byte spans
/// of its sentence and trigger in `text`, which the dashboard highlights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocView {
    pub id: String,
    pub date: NaiveDate,
    pub title: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub text: String,
    pub events: Vec<Event>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// The bucket: its first day (day, week) or `YYYY-MM` (month).
    pub period: String,
    pub count: u64,
    pub goldstein_mean: f64,
    /// Events per quad class: verbal coop, material coop, verbal conflict, material conflict.
    pub quad: [u64; 4],
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub name: String,
    /// The node's country code (empty for an actor with none), for grouping by country.
    #[serde(default)]
    pub country: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub count: u64,
    pub goldstein_mean: f64,
    /// Events of quad class 3 or 4.
    pub conflict: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// One dyad's activity in one ISO week: the raw material of the escalation signal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DyadWeek {
    pub source: String,
    pub target: String,
    /// Monday of the week.
    pub week: NaiveDate,
    pub count: u64,
    /// Sum of |Goldstein| over conflict events (quad class 3 and 4).
    pub conflict_intensity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    pub source: String,
    pub target: String,
    pub week: NaiveDate,
    pub intensity: f64,
    pub baseline_mean: f64,
    pub baseline_sd: f64,
    /// Standard deviations above the baseline; none for a `new` dyad, which has no baseline.
    pub z: Option<f64>,
    /// Weeks since the dyad's first conflict week.
    pub history_weeks: usize,
    /// `new`: the dyad's first conflict week; `onset`: conflict after a baseline window without
    /// any; `rise`: far above a baseline with conflict in it.
    pub kind: String,
}
