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
//! doc.item_sale(&ItemSale::search_code("GA0004").quantity(Decimal::TWO)).await?;
//! doc.barcode_sale(&BarcodeSale::insert("60104410", 2)).await?;
//! doc.set_quantity(2, Decimal::from(5)).await?;
//!
//! // Pay the total with a mode the document accepts, then save.
//! let total = doc.get_full().await?.amounttopay.unwrap_or_default();
//! let modes = doc.payment_modes().await?;
//! doc.set_payment(&Payment::new(&modes.paymentmodes[0].id, total)).await?;
//! let dhid = doc.complete().await?;
//! println!("saved as dhid {dhid}, total {total}");
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! Against a real server (NOOM runs on-premise, so there is no default URL), configure from the
//! environment — `NOOM_BASE_URL` (`https://HOST:PORT/api/`), `NOOM_USER`, `NOOM_PASSWORD` — or
//! with the builder:
//!
//! ```no_run
//! # async fn demo() -> Result<(), noom_client::Error> {
//! use noom_client::{Client, DecimalSeparator, DocState, DocType, ParamPlacement};
//! let client = Client::from_env()?;
//! // or:
//! let client = Client::builder()
//!     .base_url("https://noom.example.com:8443/api/")
//!     .user("APIUSER")
//!     .password(std::env::var("NOOM_PASSWORD").unwrap_or_default())
//!     .param_placement(ParamPlacement::Body) // the default
//!     .decimal_separator(DecimalSeparator::Comma) // the default
//!     .build()?;
//! client.login().await?; // optional: checks the credentials now
//! for uid in client.list_open_documents().await? {
//!     println!("open: {uid}");
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # The session
//!
//! `USERACCESS` (user and password) gives an access token that every other act sends as
//! `accesstoken`. The client obtains it lazily on the first call and shares it between clones
//! and concurrent calls: 50 concurrent first calls send exactly one `USERACCESS` (single
//! flight). When the server refuses the token (a `status: 0` whose message mentions the access
//! token — the vendor documents no such message, see [`error`] for the exact assumption), the
//! client logs in again once and repeats the refused call once. Repeating is safe even for
//! writes because a refused token means the server did not run the act. `"Invalid user or
//! password!"` is never retried. The password and the token are [`SecretString`]s and never
//! appear in Debug output, errors or logs.
//!
//! # Decisions where the vendor's document is silent or ambiguous
//!
//! - **Parameter placement.** Every call is an HTTP `POST` to the base URL. The vendor's example
//!   URLs carry every parameter in the query string, but it describes the call as "HTTP POST in
//!   traditional parameter1=value1&parameter2=value2 format". By default `act`, the parameters
//!   and `accesstoken` go in an `application/x-www-form-urlencoded` body, which keeps the
//!   password and the token out of URLs and server logs; [`ParamPlacement::Query`] puts them in
//!   the query, for servers that read only the query.
//! - **Decimal separator.** The doc sends `quantity=3,345&price=8,67` in its primary example and
//!   `price=11.5` in another; the server answers amounts as `"15,00"`. The default is
//!   [`DecimalSeparator::Comma`]; [`DecimalSeparator::Point`] is the alternative. Amounts are
//!   exact decimals ([`Money`], [`Decimal`]), never `f64`. Inside `ODOC_SETDATA`'s JSON
//!   `objdata`, numbers are JSON numbers.
//! - **Dates** are sent as `dd.mm.yyyy` or `dd.mm.yyyy HH:MM:SS`.
//! - **Spellings.** Where the doc spells a parameter two ways, the client sends both with the
//!   same value (`related.docuid` / `realated.docuid`, `de_sourcetype_id` / `de_sourcetype`); a
//!   server ignores the name it does not read. `ODOC_MODIFY` sends `docuid` in lower case (the
//!   doc's table; its example URL has `DOCUID`). Row attributes use `batch_id` (the doc's
//!   examples), not `bach_id` (its attribute table).
//! - **Decoding** accepts every plausible shape: `status` and `time` as numbers or strings, ids
//!   as numbers or strings, amounts as numbers or decimal-comma strings, `+`/`-` flags as bools,
//!   `rows.row` and `payments.payment` as one object or an array (and `""`/`[]` when empty),
//!   omitted fields as `None`. See [`models`].
//!
//! # Safety of retries
//!
//! `ODOC_GETDOC`, `ODOC_CHECK`, `ODOC_LIST`, `ODOC_GETPAYMODES` (and `USERACCESS`) are reads:
//! retried on timeouts, lost connections and 408/429/5xx per the [`RetryPolicy`]. Every other
//! act is a write and is never re-sent once it may have reached the server: when its answer is
//! lost, the error [`is_outcome_unknown`](Error::is_outcome_unknown) and names the docuid
//! ([`Error::reference`]). Check the document (`ODOC_GETDOC`, `ODOC_LIST`) before sending the
//! write again.
//!
//! # Errors
//!
//! A `status: 0` answer becomes [`Error::Api`] with a [`NoomError`] classified from the message
//! (invalid UID, document does not exist, no privileges, invalid user or password, cannot save
//! document, invalid document state, refused token, or `Unknown`), each keeping the full message.
//! Everything else keeps the core error with its HTTP status ([`Error::Core`]).
//!
//! # Features
//!
//! - `sandbox`: [`sandbox::Sandbox`], a stateful in-process fake of NOOM for your own tests.
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
