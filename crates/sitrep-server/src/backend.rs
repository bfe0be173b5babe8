//! The questions the API asks of its data, answered by the SQLite store or by events held in
//! memory (a coded JSONL file served without a database). Calls are blocking; the HTTP layer
//! runs them on tokio's blocking pool.

use crate::error::ApiResult;
use crate::model::*;
use crate::params::{Bucket, EventFilter, PageReq};
use sitrep_core::Event;

pub trait Backend: Send + Sync + 'static {
    fn stats(&self) -> ApiResult<Stats>;
    fn documents(&self, page: PageReq) -> ApiResult<Page<DocSummary>>;
    fn document(&self, id: &str) -> ApiResult<Option<DocView>>;
    fn events(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Event>>;
    fn event(&self, id: &str) -> ApiResult<Option<Event>>;
    fn stories(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Story>>;
    fn actors(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<ActorStat>>;
    fn series(&self, f: &EventFilter, bucket: Bucket) -> ApiResult<Vec<SeriesPoint>>;
    fn network(&self, f: &EventFilter, max_edges: usize) -> ApiResult<Network>;
    fn places(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<PlaceStat>>;
    /// Weekly activity of every dyad (source code × target code) with conflict in the filter.
    fn dyad_weeks(&self, f: &EventFilter) -> ApiResult<Vec<DyadWeek>>;
}

/// Whether an actor filter value names this actor: its full code, its country (`ISR` matches
/// `ISR GOV`), its KB id, or words in its name (case-insensitive).
pub fn actor_matches(a: &sitrep_core::ActorRef, wanted: &str) -> bool {
    let w = wanted.trim();
    if a.code.eq_ignore_ascii_case(w)
        || a.country.eq_ignore_ascii_case(w)
        || (!a.kb.is_empty() && a.kb == w)
    {
        return true;
    }
    a.text.to_lowercase().contains(&w.to_lowercase())
}

pub fn event_matches(e: &Event, f: &EventFilter) -> bool {
    if let Some(a) = &f.actor {
        if !e
            .source
            .iter()
            .chain(&e.target)
            .any(|x| actor_matches(x, a))
        {
            return false;
        }
    }
    if let Some(a) = &f.source {
        if !e.source.iter().any(|x| actor_matches(x, a)) {
            return false;
        }
    }
    if let Some(a) = &f.target {
        if !e.target.iter().any(|x| actor_matches(x, a)) {
            return false;
        }
    }
    if !f.event.is_empty() && !f.event.contains(&e.event) {
        return false;
    }
    if !f.quad.is_empty() && !f.quad.contains(&e.quad_class) {
        return false;
    }
    if !f.status.is_empty() && !f.status.contains(&e.status) {
        return false;
    }
    if f.from.is_some_and(|d| e.date < d) || f.to.is_some_and(|d| e.date > d) {
        return false;
    }
    if let Some(c) = &f.country {
        if e.location
            .as_ref()
            .is_none_or(|l| !l.country.eq_ignore_ascii_case(c))
        {
            return false;
        }
    }
    if f.doc.as_ref().is_some_and(|d| *d != e.doc_id) {
        return false;
    }
    if f.min_confidence.is_some_and(|c| e.confidence < c) {
        return false;
    }
    true
}

pub fn is_conflict(quad_class: u8) -> bool {
    quad_class >= 3
}
