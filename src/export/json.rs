//! JSON export (placeholder: being written).
