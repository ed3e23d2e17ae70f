//! Async client for the CloudPOS API (cloudpos.be, a Belgian POS for hospitality and retail):
//! all 19 `get-*` functions — categories, products, subproducts, customers, users, tables,
//! payment methods, printers, orders, invoices, web orders, FDM-signed documents, reservations,
//! gift vouchers, coupons and customer credits — with typed models, exact money, typed error
//! codes, protection against the vendor's IP lockout, daily-quota bookkeeping, and an embedded
//! sandbox.
//!
//! ```
//! # #[cfg(feature = "sandbox")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudpos_client::sandbox::Sandbox;
//! use cloudpos_client::{ErrorCode, OrderFilter, PaymentMethodKind};
//!
//! // The embedded sandbox: a stateful fake of CloudPOS on 127.0.0.1 (feature "sandbox").
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?; // for the real server: Client::from_env()?
//!
//! let products = client.products().await?;
//! println!("{} costs {}", products[0].name.as_deref().unwrap_or("?"), products[0].price.unwrap_or_default());
//!
//! // Orders: flat subproduct columns become a list per line, payment columns a typed structure.
//! let today = sandbox.today(); // the server's (Brussels) day
//! let orders = client.orders(&OrderFilter::new().date(today)).await?;
//! let cash: cloudpos_client::Money = orders.iter().map(|o| o.payments.get(PaymentMethodKind::Cash)).sum();
//! assert_eq!(cash.to_string(), "5.00");
//!
//! // Errors are typed; "No … found" (2000) on a list is just an empty list.
//! let err = client.confirmed_weborder("W1002").await.unwrap_err();
//! assert_eq!(err.code(), Some(&ErrorCode::WeborderNotConfirmed));
//! assert_eq!(client.quota_used(), 3);
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! The rest of these docs is the crate's README (built in with the `sandbox` feature, whose
//! example it runs; docs.rs builds with every feature): configuration, what the client assumes
//! where the vendor's document is silent, the lockout and quota guards, errors and the sandbox.
//! The modules [`envelope`], [`guard`], [`time`] and [`error`] give the details.
//!
#![cfg_attr(feature = "sandbox", doc = include_str!("../README.md"))]
#![warn(missing_docs)]

pub mod client;
pub mod envelope;
pub mod error;
mod ext;
pub mod guard;
#[rustfmt::skip]
pub mod models;
pub mod orders;
mod protocol;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod time;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{CloudPosError, Error, ErrorCode};
pub use guard::{IP_BLOCK_MINUTES, Lockout};
pub use models::{CouponFilter, InvoiceFilter, OrderFilter};
pub use orders::{Order, OrderLine, PaymentMethodKind, Payments, SubproductLine};
pub use pos_client_core::chrono;
pub use pos_client_core::chrono::{NaiveDate, NaiveDateTime};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{Money, Refusal, RetryPolicy};
