//! One module per subcommand.

pub mod common;
pub mod tag;
