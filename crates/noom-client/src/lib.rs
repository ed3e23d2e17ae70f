//! NOOM client (work in progress).
#![warn(missing_docs)]

pub mod client;
pub mod document;
pub mod error;
mod ext;
pub mod ids;
#[rustfmt::skip]
pub mod models;
pub mod requests;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{Client, ClientBuilder, DecimalSeparator, ParamPlacement};
pub use document::OpenDocument;
pub use error::{CoreError, Error, NoomError};
pub use ids::{Dhid, DocState, DocType, DocUid, DocumentKey, GetDocWhat};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{Money, RetryPolicy};
