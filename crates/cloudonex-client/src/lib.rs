//! Async client for the CloudOnex Business Suite REST API v2.
#![warn(missing_docs)]

pub mod client;
pub mod error;
#[rustfmt::skip]
pub mod models;
pub mod protocol;
pub mod records;
pub mod requests;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{Client, ClientBuilder, DEFAULT_RATE_LIMIT_MAX_WAIT, Endpoint, Resource};
pub use error::{Code, Error, ErrorExt};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{FieldError, RateLimitInfo, RetryPolicy};
pub use protocol::AuthMode;
pub use records::{Page, PageInfo, RecordExt};
pub use requests::{
    CustomerUpdate, InvoiceBuilder, InvoiceUpdate, NewCustomer, NewInvoice, NewInvoiceItem,
    RecordRequest,
};
