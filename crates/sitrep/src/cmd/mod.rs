//! One module per subcommand; shared flag groups live in `common`.

pub mod bench;
pub mod bench_input;
pub mod bench_model;
pub mod check_db;
pub mod code;
pub mod common;
pub mod engine;
pub mod eval;
mod eval_where_when;
pub mod export;
pub mod ingest;
pub mod kb;
pub mod query;
pub mod recode;
pub mod serve;
