//! sitrep-store: the SQLite event store. Documents, events (with their full JSON), actors,
//! evidence full-text index and stories; idempotent, crash-safe ingest; the query API shared by
//! the CLI and the HTTP server; exports (GDELT-style CSV, PLOVER JSON, optional Parquet).

mod bulk;
mod counts;
pub mod cursor;
mod dated;
mod error;
pub mod export;
pub mod fatalities;
mod filter;
mod ingest;
mod order;
mod panels;
mod query;
mod readonly;
mod schema;
mod store;
pub mod stories;
pub mod synth;
mod totals;

pub use cursor::KeysetPage;
pub use error::{Result, StoreError};
pub use filter::EventFilter;
pub use ingest::{CodedDocument, IngestStats};
pub use order::{EventOrder, SortKey};
pub use panels::{ConflictWeek, FatalityPoint, Overview};
pub use query::{
    ActorCount, Bucket, Counts, Edge, EventRow, NodeLevel, PlaceCount, QuadPoint, SeriesBy,
    SeriesPoint, Story,
};
pub use readonly::open_read_only_connection;
pub use schema::SCHEMA_VERSION;
pub use store::Store;
