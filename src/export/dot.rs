//! DOT export (placeholder: being written).
