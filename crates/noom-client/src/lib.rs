//! Async client for the NoomService API (NOOM by Astro Baltics): an access-token session and the
//! whole open-document workflow — create or open a document, add item sales and barcode sales,
//! change quantities, delete rows, pay, add events, complete or cancel, change states — with
//! exact money, safe retries, typed errors and an embedded sandbox.
//!
//! ```
//! # #[cfg(feature = "sandbox")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use noom_client::requests::{BarcodeSale, ItemSale, Payment};
//! use noom_client::sandbox::Sandbox;
//! use noom_client::{Decimal, DocState, DocType};
//!
//! // The embedded sandbox: a stateful fake of NOOM on 127.0.0.1 (feature "sandbox").
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?; // for a real server: Client::from_env()?
//!
//! // ODOC_NEW (the client logs in with USERACCESS on the first call).
//! let doc = client.new_document(&DocType::new("LS")?, &DocState::new("2T")?).await?;
//! doc.item_sale(&ItemSale::new().search_code("GA0004").quantity(Decimal::TWO)).await?;
//! doc.barcode_sale(&BarcodeSale::new("60104410", 2)).await?;
//! doc.set_quantity(2, Decimal::from(5)).await?;
//!
//! // Pay the total with a mode the document accepts, then save.
//! let total = doc.get_full().await?.amount_to_pay.unwrap_or_default();
//! let modes = doc.payment_modes().await?;
//! doc.set_payment(&Payment::new(&modes.payment_modes[0].id, total)).await?;
//! let dhid = doc.complete().await?;
//! println!("saved as dhid {dhid}, total {total}");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! Against a real server (NOOM runs on-premise, so there is no default URL), configure from the
//! environment — `NOOM_BASE_URL` (`https://HOST:PORT/api/`), `NOOM_USER`, `NOOM_PASSWORD` — with
//! [`Client::from_env`], or with [`Client::builder`].
//!
//! The rest of these docs is the crate's README (built in with the `sandbox` feature; docs.rs
//! builds with every feature): the acts, the session and its re-login rule, what the client
//! assumes where the vendor's document is silent, retries, errors and the sandbox. The modules
//! [`error`], [`requests`] and [`models`] give the details.
//!
#![cfg_attr(feature = "sandbox", doc = include_str!("../README.md"))]
#![warn(missing_docs)]

pub mod client;
pub mod document;
pub mod error;
mod ext;
pub mod ids;
#[rustfmt::skip]
pub mod models;
pub mod protocol;
pub mod requests;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{Client, ClientBuilder, DecimalSeparator};
pub use document::OpenDocument;
pub use error::{Error, NoomCode};
pub use ids::{Dhid, DocState, DocType, DocUid, DocumentKey, GetDocWhat};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{CodeClass, Money, RateLimitInfo, RetryPolicy, VendorCode};
pub use protocol::{MAX_QUERY_PARAM_BYTES, ParamPlacement};
