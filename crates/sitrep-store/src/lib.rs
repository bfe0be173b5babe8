//! sitrep-store: the SQLite event store. Documents, events (with their full JSON), actors,
//! evidence full-text index and stories; idempotent, crash-safe ingest; the query API shared by
//! the CLI and the HTTP server; exports (GDELT-style CSV, PLOVER JSON, optional Parquet).

mod bulk;
mod counts;
mod error;
pub mod export;
mod filter;
mod ingest;
mod query;
mod readonly;
mod schema;
mod store;
pub mod stories;
pub mod synth;

pub use error::{Result, StoreError};
pub use filter::EventFilter;
pub use ingest::{CodedDocument, IngestStats};
pub use query::{
    ActorCount, Bucket, Counts, Edge, EventRow, NodeLevel, PlaceCount, QuadPoint, SeriesBy,
    SeriesPoint, Story,
};
pub use readonly::open_read_only_connection;
pub use schema::SCHEMA_VERSION;
pub use store::Store;
