//! Async client for the Suppliers API.
#![warn(missing_docs)]

pub mod client;
pub mod digest;
pub mod error;
#[rustfmt::skip]
pub mod models;
mod protocol;
pub mod purchase;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{
    Client, ClientBuilder, ContactInfo, Location, MediaType, Payment, ProductRef, SupplierFilter,
};
pub use error::{Error, ResultCode};
pub use pos_client_core::RetryPolicy;
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use purchase::{EditTrans, ImportItem, TempPurchase};
