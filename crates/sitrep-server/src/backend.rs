//! The questions the API asks of its data. The SQLite store answers them in production; tests
//! also plug in failing backends to prove no fault reaches a client as a panic. Calls are
//! blocking; the HTTP layer runs them on tokio's blocking pool.

use crate::error::ApiResult;
use crate::model::*;
use crate::params::{Bucket, EventFilter, PageReq};
use sitrep_core::Event;
use sitrep_store::{EventOrder, NodeLevel};

pub trait Backend: Send + Sync + 'static {
    /// Called once as the server starts: opens what the first requests would otherwise open
    /// and reads what they would otherwise read cold (`/stats` at a million events: 145 ms).
    fn warm(&self) -> ApiResult<()> {
        Ok(())
    }
    fn stats(&self) -> ApiResult<Stats>;
    fn documents(&self, page: PageReq) -> ApiResult<Page<DocSummary>>;
    fn document(&self, id: &str) -> ApiResult<Option<DocView>>;
    fn events(&self, f: &EventFilter, order: EventOrder, page: PageReq) -> ApiResult<Page<Event>>;
    fn event(&self, id: &str) -> ApiResult<Option<Event>>;
    fn stories(&self, f: &EventFilter, page: PageReq) -> ApiResult<Page<Story>>;
    /// Actors whose code, country, KB id or name matches `q` (empty: all), busiest first.
    fn actors(&self, q: &str, limit: usize) -> ApiResult<Vec<ActorCount>>;
    fn series(&self, f: &EventFilter, bucket: Bucket) -> ApiResult<Vec<SeriesPoint>>;
    fn network(&self, f: &EventFilter, level: NodeLevel, max_edges: usize) -> ApiResult<Network>;
    fn places(&self, f: &EventFilter, limit: usize) -> ApiResult<Vec<PlaceCount>>;
    /// Weekly conflict activity of every country dyad in the filter.
    fn dyad_weeks(&self, f: &EventFilter) -> ApiResult<Vec<DyadWeek>>;
    /// Fatalities per period, per dyad or in total, counted per story.
    fn fatalities(
        &self,
        _f: &EventFilter,
        _by: sitrep_store::SeriesBy,
        _period: Bucket,
    ) -> ApiResult<Vec<FatalityPoint>> {
        Err(crate::error::ApiError::internal(
            "this backend keeps no fatalities",
        ))
    }
}
