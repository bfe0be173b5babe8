//! sitrep-core: documents, the Event record, the knowledge base and the coder.

pub mod document;
pub mod event;
pub mod invariants;
pub mod ontology;
pub mod readers;
pub mod rng;
pub mod text;
pub mod work;

pub use document::Document;
pub use event::{
    ActorRef, DatePrecision, Event, Evidence, EvidenceSpan, Location, PlacePrecision, Quantity,
    Status,
};
pub use ontology::EventType;
pub mod coder;
pub mod kb;

pub use coder::{code, Coder, CoderOptions};
pub use kb::Kb;
