//! Suppliers API client.
#[rustfmt::skip]
pub mod models;
