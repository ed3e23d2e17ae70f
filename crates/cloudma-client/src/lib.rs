//! Async client for the CloudMA POS web service: push sales, push purchases (Goods Received
//! Notes) and sync stock, with exact money, safe retries, typed errors and an embedded sandbox.
//!
//! ```
//! # #[cfg(feature = "sandbox")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudma_client::models::{Purchase, Sale, SaleItem};
//! use cloudma_client::sandbox::Sandbox;
//! use cloudma_client::{Decimal, Money};
//!
//! // The embedded sandbox: a stateful fake of CloudMA on 127.0.0.1 (feature "sandbox").
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?; // for the real server: Client::from_env()?
//!
//! let stock = client.sync_stock().await?;
//! let (a, b) = (&stock[0], &stock[1]);
//!
//! // Builders compute each item total (qty × unit price − discount) and the grand total.
//! let sale = Sale::builder("S-1001")
//!     .customer("Ada Lovelace", "ada@example.com")
//!     .item(SaleItem::new(&a.code, 2, "12.50".parse::<Money>()?))
//!     .item(SaleItem::new(&b.code, 1, "7.40".parse()?).with_discount("0.40".parse()?))
//!     .build()?;
//! assert_eq!(sale.grand_total.to_string(), "32.00");
//! client.push_sale(&sale).await?;
//!
//! let grn = Purchase::builder("GRN-1").add(&a.code, 10, "4.10".parse()?).build()?;
//! client.push_purchase(&grn).await?;
//!
//! let after = client.sync_stock().await?;
//! // `qty` is `None` for a product listed without a quantity (unknown, not zero).
//! assert_eq!(after[0].qty, a.qty.map(|q| q - Decimal::from(2) + Decimal::from(10)));
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! The rest of these docs is the crate's README (built in with the `sandbox` feature, whose
//! example it runs; docs.rs builds with every feature): the real server, the operations, the
//! decisions taken where the vendor's document is silent, errors and the sandbox.
//!
#![cfg_attr(feature = "sandbox", doc = include_str!("../README.md"))]
#![warn(missing_docs)]

pub mod builders;
pub mod client;
pub mod error;
#[rustfmt::skip]
pub mod models;
pub mod protocol;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use builders::{PurchaseBuilder, SaleBuilder};
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, PushReceipt, TEST_TOKEN};
pub use error::{Error, ErrorCode};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{Money, RateLimitInfo, RetryPolicy};
pub use protocol::BodyEncoding;
