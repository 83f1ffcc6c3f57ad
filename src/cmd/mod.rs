//! One module per subcommand.

pub mod build;
pub mod common;
pub mod eval;
pub mod explain;
pub mod gazetteer;
pub mod part;
pub mod render;
pub mod report;
pub mod tag;
