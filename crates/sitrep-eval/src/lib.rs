//! sitrep-eval: honest measurement of the coder — scores against gold event files, and a
//! throughput benchmark over a generated or given news-like corpus.

pub mod corpus;
pub mod errors;
pub mod gold;
pub mod matching;
pub mod rss;
pub mod score;
pub mod stages;
pub mod table;

pub use errors::{collect_errors, DocErrors};
pub use gold::{parse_gold, read_gold_file, GoldDoc, GoldError, GoldEvent};
pub use score::{evaluate, Level, Scores};
