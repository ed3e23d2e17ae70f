//! CloudMA client (work in progress).
#![warn(missing_docs)]

pub mod builders;
pub mod client;
pub mod error;
#[rustfmt::skip]
pub mod models;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{BodyEncoding, Client, ClientBuilder, PushReceipt};
pub use error::{CoreError, Error};
pub use pos_client_core::{Money, RetryPolicy};
