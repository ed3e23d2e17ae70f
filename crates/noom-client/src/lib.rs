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
//!     .param_placement(ParamPlacement::TokenInQuery) // the default (documented)
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
//! flight).
//!
//! **Re-login rule.** It lives in one place: the core pipeline renews a credential and re-sends
//! a call once, only after an answer of class [`CodeClass::TokenRefused`], and NOOM's
//! [`NoomCode`] gives that class to [`NoomCode::InvalidAccessToken`] alone (see [`error`]). So
//! a call — a write too — is sent again after a fresh login only when the server's answer
//! proves the call was refused for the token (a `status: 0` whose message mentions the access
//! token; the vendor documents no such message, see [`error`] for the exact assumption), and
//! then only once. A timeout, a
//! lost connection or any other failure never triggers a re-login or a re-send of a write.
//! `"Invalid user or password!"` is never retried. The password and the token are
//! [`SecretString`]s and never appear in Debug output, errors, spans or logs — the token
//! included when it travels in the URL.
//!
//! # Decisions where the vendor's document is silent or ambiguous
//!
//! - **Parameter placement.** The document: "Access token must be provided as part of the query
//!   string for all requests, using the 'accesstoken' variable" and "Every API call is a HTTP
//!   POST request in traditional parameter1=value1&parameter2=value2 format". By default
//!   ([`ParamPlacement::TokenInQuery`]) every call is a `POST` to the base URL with `act` and
//!   `accesstoken` in the query string and every other parameter in an
//!   `application/x-www-form-urlencoded` body; `USERACCESS` sends `user` and `pass` in the body,
//!   so the password never enters a URL. The token in the URL is redacted (`accesstoken=***`)
//!   from every error, Debug output, span and log line. [`ParamPlacement::Body`] (everything in
//!   the body) and [`ParamPlacement::Query`] (everything in the query, as the example URLs show)
//!   are options.
//! - **Decimal separator.** The doc sends `quantity=3,345&price=8,67` in its primary example and
//!   `price=11.5` in another; the server answers amounts as `"15,00"`. The default is
//!   [`DecimalSeparator::Comma`]; [`DecimalSeparator::Point`] is the alternative. Amounts are
//!   exact decimals ([`Money`], [`Decimal`]), never `f64`. Inside `ODOC_SETDATA`'s JSON
//!   `objdata`, numbers are JSON numbers.
//! - **Dates** are sent as `dd.mm.yyyy` or `dd.mm.yyyy HH:MM:SS`.
//! - **Spellings.** Each parameter is sent under the one name its act's table gives; where a
//!   table and an example disagree, the table wins. `ODOC_NEW` sends `realated.docuid` (sic, the
//!   table's spelling); `ODOC_ADDEVENT` sends `de_sourcetype_id` (its example says
//!   `de_sourcetype`); `ODOC_MODIFY` sends `docuid` (its example says `DOCUID`);
//!   `ODOC_SETDATA` rows send the batch as `bach_id` (the attribute table, and `ODOC_COMPLETE`'s
//!   documented "BACH_ID on NULL!"), while `ODOC_ITEMSALE` sends `batch_id` (its table). Rows
//!   read from answers accept `batch_id` (the `ODOC_GETDOC` example) or `bach_id`.
//! - **Request parameters** ([`requests`]) are generated from the spec notes with their
//!   documented limits, checked before anything is sent; nothing is sent when a rule is broken.
//! - **getdoc.** Every act whose table lists the optional `getdoc` has a `_getdoc` method that
//!   sends `getdoc=1` and returns `data/getdocdata`, `ODOC_GETPAYMODES` included
//!   ([`OpenDocument::payment_modes_getdoc`]).
//! - **Decoding** goes straight from the body bytes into the models (the envelope's `data` is
//!   borrowed, never copied into a `serde_json::Value`) and accepts every plausible shape:
//!   `status` and `time` as numbers or strings, ids as numbers or strings, amounts as numbers or
//!   decimal-comma strings, `+`/`-` flags as bools, `rows.row` and `payments.payment` as one
//!   object or an array, the parts of a document as `""` or `[]` when empty, a row's batch as
//!   `batch_id` or `bach_id`, omitted fields as `None`. Model fields have snake_case Rust names
//!   (`amount_to_pay`, `payment_modes`, `document_no`); their wire names are in the field docs.
//!   See [`models`].
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
//! [`Error`] is the error type shared by every vendor crate of this family
//! (`pos_client_core::Error<NoomCode>`). A `status: 0` answer becomes `Error::Api` with a
//! [`NoomCode`] named from the message (invalid UID, document does not exist, no privileges,
//! invalid user or password, cannot save document, invalid document state, refused token, or
//! `Unknown`); [`Error::message`] keeps the full message and [`Error::status`] is 200. Transport
//! failures, HTTP error statuses and undecodable bodies have their own variants, with the
//! status where there was an answer.
//!
//! # Features
//!
//! - `sandbox`: `sandbox::Sandbox`, a stateful in-process fake of NOOM for your own tests.
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
pub use protocol::ParamPlacement;
