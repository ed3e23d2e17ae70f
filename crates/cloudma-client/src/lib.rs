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
//! assert_eq!(after[0].qty, a.qty - Decimal::from(2) + Decimal::from(10));
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! Against the real server, configure from the environment (`CLOUDMA_TOKEN`, and optionally
//! `CLOUDMA_BASE_URL`, default `https://testdev.cloudma.app/api/`) or with the builder:
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudma_client::Error> {
//! use cloudma_client::{BodyEncoding, Client};
//! let client = Client::from_env()?;
//! // or:
//! let client = Client::builder()
//!     .base_url("https://testdev.cloudma.app/api/")
//!     .token(std::env::var("CLOUDMA_TOKEN").unwrap_or_default())
//!     .body_encoding(BodyEncoding::Form) // the default; BodyEncoding::Json is the alternative
//!     .build()?;
//! for product in client.sync_stock().await? {
//!     println!("{} {:?} {}", product.code, product.name, product.qty);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Decisions where the vendor's document is silent or ambiguous
//!
//! - **Body encoding.** Every request is a `POST` whose parameters include the token. The doc
//!   says "POST parameter"; a PHP backend reads those from `$_POST`, and only form bodies fill
//!   `$_POST`. So the default is `application/x-www-form-urlencoded` with the `items` array in
//!   PHP bracket notation (`items[0][code]=A-1&items[0][qty]=2…`). A JSON body, with `token` as
//!   a field of the document, is [`BodyEncoding::Json`]. The token is never put in the URL.
//! - **grand_total on purchases.** The doc's parameter list for `push-purchase` has no
//!   `grand_total`, but its note says it must match the sum of the item totals. The client sends
//!   it, computed exactly: an extra POST parameter is ignored by a server that does not read it,
//!   while leaving it out would fail a server that checks it.
//! - **Numbers.** Amounts are [`Money`] (an exact decimal), sent with their exact text (`12.50`),
//!   never through `f64`. Quantities in requests are positive integers (`u32`). Stock quantities
//!   from `sync-stock` are [`Decimal`]s, read leniently from a number or a numeric string (stock
//!   can be fractional).
//! - **sync-stock answer.** The doc says "an array containing code, name, qty". A bare array is
//!   accepted, and so is an object wrapping it under `data`, `products`, `stock` or `items`
//!   ([`protocol::STOCK_WRAPPER_KEYS`]). Anything else is a decode error that keeps the status.
//! - **Push answers.** The doc does not show a success body. Any 200/201 is a success; the
//!   [`PushReceipt`] keeps the status, a `message`/`id` when present, and the body as JSON.
//! - **Validation.** Before anything is sent: `reference_no` not empty, at least one item, every
//!   `qty` positive, every `code` non-empty, `grand_total` equal to the exact sum of the item
//!   totals. A failed validation sends nothing ([`Error::is_validation`]).
//!
//! # Safety of retries
//!
//! `sync-stock` is a read: retried on timeouts, lost connections and 408/429/5xx per the
//! [`RetryPolicy`]. `push-sale` and `push-purchase` are writes: never re-sent once they may have
//! reached the server. When the answer to a push is lost, the error
//! [`is_outcome_unknown`](Error::is_outcome_unknown) and names the
//! [`reference`](Error::reference): check CloudMA before pushing again (the server rejects a
//! repeated `reference_no` with 400, so a blind re-push cannot double a sale, but it will fail).
//!
//! # Errors
//!
//! See [`error`]: [`Error`] is the error type all the crates of this family share, with CloudMA's
//! [`ErrorCode`]: 400 "Product Not Found" is [`ErrorCode::ProductNotFound`]; other 400s are
//! [`ErrorCode::BadRequest`]; 401/403/404/500 have their own codes; everything else keeps its
//! status without a code. The token never appears in an error, a Debug output or a log line.
//!
//! # Features
//!
//! - `sandbox`: `sandbox::Sandbox`, a stateful in-process fake of CloudMA for your own tests.
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

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "sandbox"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
