//! sitrep-eval: honest measurement of the coder — scores against gold event files, and a
//! throughput benchmark over a generated or given news-like corpus.

pub mod corpus;
pub mod cpu;
pub mod errors;
pub mod gold;
pub mod matching;
pub mod pipeline;
pub mod rss;
pub mod score;
pub mod stages;
pub mod table;
pub mod where_when;

pub use errors::{collect_errors, DocErrors};
pub use gold::{parse_gold, read_gold_file, GoldDoc, GoldError, GoldEvent};
pub use score::{evaluate, Level, Scores};

/// One KB for all unit tests: loading it is the slow part of a debug test run.
#[cfg(test)]
pub(crate) fn test_kb() -> &'static sitrep_core::Kb {
    static KB: std::sync::OnceLock<sitrep_core::Kb> = std::sync::OnceLock::new();
    KB.get_or_init(sitrep_core::Kb::embedded)
}
