//! One module per subcommand.

pub mod build;
pub mod common;
pub mod explain;
pub mod render;
pub mod report;
pub mod tag;
