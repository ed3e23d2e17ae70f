//! Async client for the Suppliers API (a Laminas API Tools service): temporary purchases,
//! purchase orders and suppliers, with exact money, safe retries, typed result codes, Basic /
//! Digest / Bearer / OAuth2 authorization and an embedded sandbox.
//!
//! ```
//! # #[cfg(feature = "sandbox")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use suppliers_client::sandbox::Sandbox;
//! use suppliers_client::{Decimal, EditTrans, Payment, ProductRef, ResultCode};
//!
//! // The embedded sandbox (feature "sandbox"); for a real server: Client::from_env()?
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//!
//! // The temp purchase rules hang on the access token: claim the current one first.
//! let err = client.current().await.unwrap_err();
//! assert_eq!(err.code(), Some(&ResultCode::NotCurrentAccessToken));
//! let mut trans = client.claim_current().await?;
//!
//! let line = trans.add_line(ProductRef::Code("SP001".into()), Decimal::from(2)).await?;
//! trans.edit_pricebuy(&line.line.line_id, Decimal::from(125_000)).await?;
//! let location = client.location_person().await?.remove(0);
//! trans
//!     .edit_trans(&EditTrans {
//!         location_id: Some(location.id),
//!         supplier_id: Some("1".into()),
//!         ..EditTrans::default()
//!     })
//!     .await?;
//! trans.refresh().await?;
//! assert_eq!(trans.total(), Decimal::from(250_000));
//! trans.place_order(Payment::cash()).await?; // consumes the handle
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! Against a real server, configure from the environment or with the builder:
//!
//! ```no_run
//! # async fn demo() -> Result<(), suppliers_client::Error> {
//! use suppliers_client::{Client, MediaType, SupplierFilter};
//! // SUPPLIERS_BASE_URL plus SUPPLIERS_TOKEN, or SUPPLIERS_USER and SUPPLIERS_PASSWORD
//! // (SUPPLIERS_AUTH=digest for Digest, =oauth2 with SUPPLIERS_CLIENT_ID for OAuth2).
//! let client = Client::from_env()?;
//! // or:
//! let client = Client::builder()
//!     .base_url("https://erp.example.vn/api/")
//!     .digest_auth("an", std::env::var("SUPPLIERS_PASSWORD").unwrap_or_default())
//!     .accept(MediaType::VendorV1) // the default; Hal and Json are the other documented types
//!     .build()?;
//! for s in client.list_suppliers(&SupplierFilter::default()).await?.embedded.map(|e| e.suppliers).unwrap_or_default() {
//!     println!("{} {:?}", s.id, s.name);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What comes from the document, and what from the framework
//!
//! The vendor document (Vietnamese) gives the resources, the bodies, the media types, the
//! result codes and the three authorization schemes; the client follows it by default. Its
//! marks (the vendor media type beside `application/hal+json`, HAL `_embedded`, 406/415/422,
//! `Allow`) are those of Laminas API Tools, whose public documentation adds what a real server
//! of this kind does, decoded too: errors as `application/problem+json` (`type`, `title`,
//! `status`, `detail`, `validation_messages` on 422), paged collections (`page`, `page_size`,
//! `page_count`, `total_items`, `_links` first/prev/next/last) and the OAuth2 token endpoint.
//! The spec notes `docs/specs/suppliers.toml` list every choice; the main ones:
//!
//! - **Result codes** ([`ResultCode`]) are read from `{"result": CODE}` with any status (a 200
//!   whose result is not `SUCCESS` is a failure) and from problem+json bodies (`result`, or the
//!   whole `detail`). `NOT_FOUND_SUPPLER`, the document's spelling for deleting a supplier, is
//!   [`ResultCode::NotFoundSupplier`]. 406 and 415 are typed and name the media type sent.
//! - **Misspelt actions**: one rule for both contradictions — send the spelling of the body's
//!   `"action"` line (the one list of the values the server matches on); the sandbox accepts
//!   every spelling shown. The units action is `editUnit` twice and `editUnits` three times
//!   (the `"action"` line among them): `editUnits` is sent ([`purchase::EDIT_UNITS_ACTION`]).
//!   The contact action is `editContactInfo` on the `"action"` line and `editContacinfo` in the
//!   four field comments (one comment copied, a letter missing): `editContactInfo` is sent
//!   ([`purchase::EDIT_CONTACT_INFO_ACTION`]). An `editContactInfo` without any field is
//!   refused before sending.
//! - **trans_temp_id / purchase_temp_id**: the fields table says the first, the body and the
//!   error text the second; both are sent, with the same value.
//! - **Paths**: actions go to `PUT /supplier-purchase-temp/{trans_id}` (with `trans_id` in the
//!   body too) and `PUT /suppliers/{id}`; ids are percent-encoded; blank ids, `.`, and ids with
//!   `..`, `/`, `?`, `#`, `%`, control characters or over 255 characters are refused before
//!   sending, as are control characters in every identifier and one-line text (notes may hold
//!   line breaks).
//! - **Numbers**: amounts in dong and units are [`Decimal`]s, read from numbers or strings and
//!   sent as exact JSON numbers; `importProduct` sends its rows as the documented JSON string
//!   with string values.
//!
//! # Authorization
//!
//! Bearer ([`ClientBuilder::bearer_token`]), Basic ([`ClientBuilder::basic_auth`]), Digest
//! ([`ClientBuilder::digest_auth`]: RFC 7616, SHA-256 preferred over MD5, `qop=auth`, nonce count,
//! a `stale=true` challenge answered once, a call whose nonce count a concurrent call overtook
//! sent once more with a nonce of its own; the digests are RustCrypto's `md-5` and `sha2`), and,
//! as framework behaviour, OAuth2 ([`ClientBuilder::oauth2_password`],
//! [`ClientBuilder::oauth2_client_credentials`]): the token comes from `POST oauth` below the base
//! URL (configurable) and is renewed once, single-flight, when it expires (`expires_in`, an hour
//! by default) or is refused. The temp purchase claimed with
//! [`Client::claim_current`] belongs to the token: after the client renewed its token, a call
//! refused with `NOT_CURRENT_ACCESS_TOKEN` claims again once and is sent once more.
//!
//! # Safety of retries
//!
//! GETs are reads, retried on timeouts, lost connections and 408/429/5xx. Every PUT action,
//! POST and DELETE is a write: never sent again once it may have reached the server (a second
//! `addLine` would add the units twice). When its answer is lost the error
//! [`is_outcome_unknown`](pos_client_core::Error::is_outcome_unknown) and its
//! [`reference`](pos_client_core::Error::reference) names the trans id or the supplier. A write
//! is sent a second time only after a 401 (a Digest challenge, a stale nonce, a Digest nonce
//! count overtaken by a concurrent call, a refused OAuth2 token): that answer proves the first
//! was not carried out.
//!
//! # Features
//!
//! - `sandbox`: `sandbox::Sandbox`, a stateful in-process fake of the API for your tests.
//! - `aws-lc-rs` (default) / `ring`: the TLS crypto provider.
#![warn(missing_docs)]

pub mod client;
pub mod digest;
pub mod error;
#[rustfmt::skip]
pub mod models;
mod protocol;
pub mod purchase;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{
    Client, ClientBuilder, ContactInfo, Location, MediaType, Payment, ProductRef, SupplierFilter,
};
pub use error::{Error, ResultCode};
pub use pos_client_core::RetryPolicy;
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use purchase::{EditTrans, ImportItem, TempPurchase};

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "sandbox"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
