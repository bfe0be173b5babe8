//! One module per subcommand; shared flag groups live in `common`.

pub mod code;
pub mod common;
pub mod kb;
pub mod opinion;
pub mod train;
