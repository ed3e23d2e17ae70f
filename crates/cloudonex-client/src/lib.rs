//! Async client for the CloudOnex Business Suite REST API v2: the ten documented resources
//! (customers, invoices, transactions, quotes, products, orders, leads, suppliers, purchases,
//! tickets) with list / get / create / update / delete, the response envelope, rate limits,
//! typed errors, safe retries and an embedded sandbox.
//!
//! ```
//! # #[cfg(feature = "sandbox")]
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudonex_client::sandbox::Sandbox;
//! use cloudonex_client::{Decimal, NewCustomer, NewInvoice, RecordExt};
//!
//! // The embedded sandbox: a stateful fake of CloudOnex on 127.0.0.1 (feature "sandbox").
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?; // for your server: Client::from_env()?
//!
//! // Products have no documented fields: read what the server sends from the record.
//! let products = client.products().list().await?.items;
//! let price = products[0].decimal("price").expect("the sandbox sends prices");
//!
//! let customer = client
//!     .customers()
//!     .create(&NewCustomer::new("Jane Doe").email("jane@example.com").phone("1234567890"))
//!     .await?
//!     .into_record() // None when the server accepted it without returning it
//!     .ok_or("no record returned")?;
//! let invoice = NewInvoice::builder(&customer.id)
//!     .item(products[0].text("name").unwrap_or_default(), price, Decimal::TWO)
//!     .build()?; // computes the line and invoice totals exactly
//! let created = client.invoices().create(&invoice).await?.into_record().ok_or("no record")?;
//! assert_eq!(created.decimal("total"), Some(invoice.total()));
//! println!("{:?}", client.rate_limit()); // X-RateLimit-Limit / -Remaining / -Reset
//! # Ok(())
//! # }
//! # #[cfg(not(feature = "sandbox"))]
//! # fn main() {}
//! ```
//!
//! Against your server, configure from the environment — `CLOUDONEX_BASE_URL` (required:
//! everything up to and including `/api/v2/`, every customer has their own domain) and
//! `CLOUDONEX_API_KEY` — or with the builder:
//!
//! ```no_run
//! # async fn demo() -> Result<(), cloudonex_client::Error> {
//! use cloudonex_client::{AuthMode, Client};
//! let client = Client::from_env()?;
//! // or:
//! let client = Client::builder()
//!     .base_url("https://your-domain.com/api/v2/")
//!     .api_key(std::env::var("CLOUDONEX_API_KEY").unwrap_or_default())
//!     .auth_mode(AuthMode::Bearer) // the default; AuthMode::QueryString is the alternative
//!     .build()?;
//! for customer in client.customers().list().await?.items {
//!     println!("{} {:?}", customer.id, customer.account);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Decisions where the vendor's document is silent or ambiguous
//!
//! - **Routes.** The document shows `GET /x`, `GET /x/{id}` and `POST /x`. Update and delete
//!   follow the same REST shape: `PUT /x/{id}` and `DELETE /x/{id}`, with JSON bodies.
//!   Ids are percent-encoded into the path; ids with `/`, `\`, `?`, `#`, `%`, control
//!   characters, surrounding spaces or `..` are refused before anything is sent.
//! - **Auth.** `Authorization: Bearer <key>` by default; the document's alternative
//!   `/?api_key=<key>&ng=api/v2/<endpoint>` is [`AuthMode::QueryString`] (the key is then in
//!   the URL; every URL the client prints shows `api_key=***`).
//! - **Fields.** Typed: only what the document names (customer `account`, `email`, `phone`;
//!   invoice `customer_id`, `items` with `description`, `amount`, `qty`) plus every record's
//!   `id`. Everything else the server sends is kept, as the server sent it, in each record's
//!   `rest` ([`pos_client_core::Rest`]: the fields' JSON text), read with [`RecordExt`]
//!   (`field`, `text`, `decimal`, `datetime` with `YYYY-MM-DD HH:MM:SS`). The other eight
//!   resources are [`models::Record`]. See `docs/specs/cloudonex.toml`.
//! - **Sending.** Nothing undocumented is sent unless you add it (`field(name, value)`).
//!   Every request carries `Content-Type: application/json`, a `GET` or `DELETE` without a body
//!   too, as in the document's Quick Start.
//!   Amounts and quantities go out as JSON numbers with their exact text (`100.00`), ids as a
//!   number when they are all digits (`"customer_id": 123`, as in the document). Invoice totals
//!   are computed exactly ([`NewInvoice::total`]) but not sent: the document names no total.
//! - **Checks before sending** (ours; the sandbox applies the same): an invoice line's `qty`
//!   must be above zero, its `amount` may be negative (a credit or discount line); a customer's
//!   `email` is `""` (no e-mail) or has an `@` and a dot in its domain (`a@localhost` is
//!   refused, as PHP's `FILTER_VALIDATE_EMAIL` does).
//! - **Answers.** The envelope `{success, data, message}` (`success` as `true`/`1`/`"1"`), a
//!   bare record or list without it, lists as an array or wrapped with page information
//!   ([`Page`], [`records`]), PHP's associative arrays, numbers as strings, `null`/`""` for
//!   empty. `data` is decoded straight from the body bytes. [`Endpoint::list_all`] follows
//!   page information (`?page=N`, the Laravel convention: the document names no paging
//!   parameter) to the end.
//! - **Write answers.** The document's success example carries `"data": {}`: a 2xx create or
//!   update need not return the record. Both return [`Saved`]: the record when the answer holds
//!   one, else the sign the server accepted the write without it (`data` `{}`, null, `[]`, `""`,
//!   absent, an empty body; a bare `"data": 123` is kept as [`Saved::id`]). A `data` object
//!   that does not decode as the record (the request echoed back without `id`, a field of an
//!   odd shape) is accepted too, with [`Saved::id`] read from its `id` (else `<resource>_id`,
//!   `customer_id` for a customer). Never a decode error: the write was carried out; read the
//!   record back rather than writing again. A 2xx answer that is not the vendor's (an HTML
//!   page, or JSON without the envelope that is not a record and names no id: a bare `false`,
//!   `null`, `{}`, `[]` or text; a bare number or string of digits is an id) is
//!   [`Error::OutcomeUnknown`] naming the write's reference. Reads keep the decode error. A
//!   delete is `Ok` for the envelope or an empty body; any other 2xx (an HTML page, JSON
//!   without the envelope) is [`Error::OutcomeUnknown`] naming `"<resource> <id>"`.
//! - **Errors.** See [`error`]: a JSON error answer is [`Error::Api`] with a [`Code`], the
//!   status, the message and the `errors` map as [`Error::fields`]; a non-JSON answer is
//!   [`Error::Http`] with its status.
//! - **Rate limits.** The last `X-RateLimit-*` values are [`Client::rate_limit`]. When
//!   `Remaining` is 0 the next call waits for `X-RateLimit-Reset` if that is within
//!   [`ClientBuilder::rate_limit_max_wait`] (default 60 s), else fails at once with
//!   [`Error::RateLimited`] saying when, and nothing is sent. A 429 honours `Retry-After`,
//!   else `X-RateLimit-Reset`: the client waits and sends once more when that is within the
//!   [`RetryPolicy`]'s `max_retry_after` (default 20 s, a separate limit from
//!   `rate_limit_max_wait`), else fails with [`Error::RateLimited`] saying when.
//!
//! # Safety of retries
//!
//! `GET` is a read: retried on timeouts, lost connections and 408/429/5xx per the
//! [`RetryPolicy`]. `POST` (create) is a write: never re-sent once it may have reached the
//! server; a lost answer is [`Error::OutcomeUnknown`] naming the
//! [`reference`](Error::reference) (the customer's e-mail, the invoice's reference) so you can
//! look before creating again. `PUT` and `DELETE` are idempotent by HTTP's definition, but the
//! document does not promise the server treats them so, and an update re-sent after someone
//! else's change undoes it: by default they are not re-sent either (their outcome-unknown
//! error names `"<resource> <id>"`). [`ClientBuilder::retry_put_delete`] retries them like
//! reads. A 404 on a repeated `DELETE` means the record is gone (deleted by the earlier attempt,
//! or never there): [`Endpoint::delete_if_exists`] returns `Ok(false)` for it.
//!
//! # Features
//!
//! - `sandbox`: `sandbox::Sandbox`, a stateful in-process fake of CloudOnex for your tests.
//! - `aws-lc-rs` (default) or `ring`: the TLS crypto provider.
#![warn(missing_docs)]

pub mod client;
pub mod error;
#[rustfmt::skip]
pub mod models;
pub mod protocol;
pub mod records;
pub mod requests;
#[cfg(feature = "sandbox")]
pub mod sandbox;

pub use client::{Client, ClientBuilder, DEFAULT_RATE_LIMIT_MAX_WAIT, Endpoint, Resource};
pub use error::{Code, Error, ErrorExt};
pub use pos_client_core::rust_decimal::Decimal;
pub use pos_client_core::secrecy::SecretString;
pub use pos_client_core::{FieldError, RateLimitInfo, RetryPolicy};
pub use protocol::AuthMode;
pub use records::{Page, PageInfo, RecordExt, Saved};
pub use requests::{
    CustomerUpdate, InvoiceBuilder, InvoiceUpdate, NewCustomer, NewInvoice, NewInvoiceItem,
    RecordRequest,
};

/// The README's examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "sandbox"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
