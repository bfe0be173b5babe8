//! One module per subcommand; shared flag groups live in `common`.

pub mod bench;
pub mod code;
pub mod common;
pub mod eval;
pub mod export;
pub mod ingest;
pub mod kb;
pub mod opinion;
pub mod query;
pub mod recode;
pub mod serve;
pub mod train;
