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
//! Against the real server, configure from the environment (`CLOUDPOS_LICNAME`,
//! `CLOUDPOS_TOKEN`, and optionally `CLOUDPOS_BASE_URL`, default `https://cloudpos.be/api/`)
//! or with the builder:
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudpos_client::Error> {
//! use cloudpos_client::{Client, InvoiceFilter};
//! let client = Client::from_env()?;
//! // or:
//! let client = Client::builder()
//!     .credentials("my-licence", std::env::var("CLOUDPOS_TOKEN").unwrap_or_default())
//!     .daily_quota(500)  // the vendor's limit (the default)
//!     .refuse_below(10)  // keep 10 requests in reserve
//!     .build()?;
//! for invoice in client.invoices(&InvoiceFilter::new()).await? {
//!     println!("{:?} {:?} {:?}", invoice.number, invoice.doc_type, invoice.total_price);
//! }
//! println!("{} requests left today", client.quota_remaining());
//! # Ok(())
//! # }
//! ```
//!
//! # Decisions where the vendor's document is silent or ambiguous
//!
//! The document (in Dutch) lists each function's fields but shows no request or answer in full.
//! What the client assumes, also written in `docs/specs/cloudpos.toml`:
//!
//! - **Requests.** `…/api/?licname=…&token=…&get-products`: credentials and the function flag
//!   in the query, as documented. Functions with only "URL filters" are `GET` (the documented
//!   URL, as a browser would send it); the six functions with "post filters"
//!   (`get-confirmedweborder`, `get-invoicesigned`, `get-offersigned`, `get-creditnotesigned`,
//!   `get-reservationpersons`, `get-reservationhours`) are `POST` to the same URL with the
//!   filters in a form body. Dates are sent as `YYYY-MM-DD` (the documented `date=2016-01-01`).
//!   See [`client`].
//! - **The token in the URL.** The vendor requires it there. It is a
//!   [`SecretString`]; errors name the function, never
//!   the URL; tracing spans show `token=***`; server messages and body snippets have it
//!   replaced by `***`.
//! - **Answers.** A bare array, an object with the records under `data`, the function name, the
//!   plural noun or its only array field, records keyed by id, or one record object are all
//!   accepted; see [`envelope`]. `errorcode` 2000 on a list is an empty list. The document
//!   names only `success` and `errorcode` as envelope fields, so a record at the top level keeps
//!   every other field (a table's own `status`).
//! - **`success` 0.** The document says success is `"success" = 1`; an answer with `success` 0
//!   and no `errorcode` is an `Error::Api` with `ErrorCode::Unknown(0, message)`, never an
//!   empty list.
//! - **Values.** Ids, prices and quantities may be numbers or strings. Money is
//!   [`Money`] (exact), VAT rates and quantities [`Decimal`]; never `f64`. `modtime` is unix
//!   seconds. The document names no date format: dates are read leniently
//!   ([`models::Invoice::date`] accepts `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY`, a date with a
//!   time; `""`, `0000-00-00` and unreadable dates are `None`), `productlink` as an array, one
//!   id or a comma-separated string, tag types in any case ([`models::Customer::tag_type`]).
//!   Records are decoded once, straight from the answer's bytes.
//! - **Reads and writes.** Every function but signing is a read, retried on timeouts, lost
//!   connections and 5xx per the [`RetryPolicy`]; each retry counts against the daily quota.
//!   Signing (`get-invoicesigned`, `get-offersigned`, `get-creditnotesigned`) is a write: the
//!   document's 2002 "Document nr already in use" is the answer to signing a number twice, so
//!   the server records each signing. It is never re-sent once it may have reached the server
//!   ([`Error::is_outcome_unknown`] then names the document number).
//! - **Time zone.** The server is in Belgium: its day and the datetimes in 1003 and 1004 are
//!   Europe/Brussels time, daylight saving included ([`time`], with `chrono-tz`). Ambiguous or
//!   skipped wall-clock times around a change are read as the latest instant they can mean, so
//!   the client never sends before the server allows.
//!
//! # Lockout and quota
//!
//! The document: "na 5 verkeerde inlogpogingen word het ip adres voor 30 min geblokkeerd" (after
//! five wrong logins the IP address is blocked for 30 minutes). After one 1001, 1002 or 1004
//! answer the client sends nothing (`Error::Refused` with [`Refusal::LockedOut`] and the code). 1001 and 1002 (empty or wrong
//! credentials) stay locked until [`Client::set_credentials`] or [`Client::reset_lockout`]; a
//! 1004 lock lifts at the "blocked till" time (Brussels), after which the client lets one
//! request through and is locked again only if that answer is 1001, 1002 or 1004
//! ([`Lockout::lifts_at`]). The daily limit of 500 requests ("500 connecties per dag") is
//! counted locally per Europe/Brussels calendar day ([`Client::quota_remaining`]); the client
//! refuses locally at the limit (`Error::Refused` with [`Refusal::QuotaExhausted`]) and after a
//! 1003 answer until the time the server named, read as Brussels time. Details in [`guard`].
//!
//! # Errors
//!
//! [`Error`] is the error type all vendor crates of this family share
//! (`pos_client_core::Error<ErrorCode>`): `Error::Api` carries an [`ErrorCode`] (1001–1005,
//! 2000–2003 interpreted per function, `Unknown(code, message)`; see [`error`]), and
//! `status()`, `code()`, `message()`, `is_retryable()`, `is_outcome_unknown()`, `reference()`,
//! `is_credentials()` and `retry_after()` answer alike in every crate. Transport failures, HTTP
//! errors (an HTML 502 page keeps its status) and decode errors are their own variants.
//!
//! # Features
//!
//! - `sandbox`: `sandbox::Sandbox`, a stateful in-process fake of CloudPOS for your own tests.
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

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "sandbox"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
