//! One module per subcommand; shared flag groups live in `common`.

pub mod bench;
pub mod code;
pub mod common;
pub mod eval;
pub mod kb;
