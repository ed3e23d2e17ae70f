//! Async client for the CloudPOS API.
#![warn(missing_docs)]

pub mod client;
mod envelope;
mod ext;
pub mod error;
#[rustfmt::skip]
pub mod models;
pub mod orders;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{Client, ClientBuilder, CouponFilter, InvoiceFilter, Lockout, OrderFilter};
pub use error::{CloudPosError, CoreError, Error, ErrorCode, QuotaReason};
pub use orders::{Order, OrderLine, PaymentMethodKind, Payments, SubproductLine};
pub use pos_client_core::chrono::{NaiveDate, NaiveDateTime};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{Money, RetryPolicy};
