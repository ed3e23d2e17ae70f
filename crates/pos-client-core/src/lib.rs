//! Shared foundation of the POS vendor client crates: one transport with safe retries, exact
//! money, the vendors' odd encodings, redaction of secrets, and (feature `sandbox`) the kit the
//! vendor sandboxes are built from.
//!
//! Vendor crates describe each call once as an [`Operation`] and run it through
//! [`Transport::execute`]; retries, rate-limit bookkeeping, tracing and error mapping happen in
//! that one place.
//!
//! ```
//! use pos_client_core::{Money, Operation, RetryPolicy, Transport};
//! use http::Method;
//!
//! # fn main() -> Result<(), pos_client_core::Error> {
//! let transport = Transport::builder("my-crate/0.1")
//!     .base_url("https://testdev.cloudma.app/api/")
//!     .retry_policy(RetryPolicy::default())
//!     .build()?;
//! let op = Operation::read("cloudma", "sync-stock", Method::POST, "sync-stock").form("token", "…");
//! assert_eq!(transport.base_url().as_str(), "https://testdev.cloudma.app/api/");
//! assert!(op.is_idempotent());
//!
//! let total: Money = "12,50".parse::<Money>().unwrap() + "0.10".parse().unwrap();
//! assert_eq!(total.to_string(), "12.60");
//! # Ok(())
//! # }
//! ```
//!
//! # Invariants
//!
//! - Money and quantities are [`rust_decimal::Decimal`] (or [`Money`]), never `f64`.
//! - No credential appears in Debug, Display, error messages or tracing output: errors carry the
//!   operation's name, never its URL, and body snippets have the operation's secrets redacted.
//! - A write ([`Operation::write`]) is never sent again by the library once it may have been
//!   carried out (only an answer proving it was refused — a 429, a refused session token — is
//!   followed by a second send); a write whose outcome is unknown is [`Error::OutcomeUnknown`].
//!
//! # TLS crypto provider
//!
//! TLS is rustls (through reqwest); its cryptography comes from one of two providers, chosen by
//! a feature. Exactly one is needed: with neither, the crate does not compile.
//!
//! - `aws-lc-rs` (default): reqwest's own default. Its C library (`aws-lc-sys`) dominates a
//!   clean build (about 26 s of 44 s in the project's `docs/benchmarks.md`).
//! - `ring`: use `default-features = false, features = ["ring"]` (each vendor crate forwards
//!   both features under the same names). A clean build takes about 30% less time (ring still
//!   compiles some C and assembly, far less than aws-lc).
//!   [`TransportBuilder::build`] gives its HTTP client a rustls `ClientConfig` that carries
//!   the ring provider explicitly (with the platform certificate verifier, as reqwest's own
//!   configuration has), passed through `reqwest::ClientBuilder::tls_backend_preconfigured`.
//!   No process-wide default provider is installed: the application stays free to call
//!   `rustls::crypto::CryptoProvider::install_default` (and `unwrap` it) before or after
//!   building transports, and that choice does not change the transport's provider.
//!
//! With both features enabled (for example `--all-features`, or two crates in one build asking
//! for different ones), `aws-lc-rs` wins: reqwest builds its own configuration and uses
//! aws-lc-rs, unless a process default provider exists, which reqwest always prefers. The
//! library installs nothing in this case either.
//!
//! A `reqwest::Client` passed to [`TransportBuilder::http_client`] is the caller's: with only
//! `ring`, reqwest panics when that client is built without a provider, so give it one, either
//! explicitly the same way (`rustls::ClientConfig::builder_with_provider(..)` and
//! `tls_backend_preconfigured`) or by installing a process default before building it.
#![warn(missing_docs)]

pub mod config;
pub mod encoding;
pub mod error;
mod execute;
pub mod form;
pub mod guard;
pub mod money;
pub mod operation;
pub mod path;
pub mod pipeline;
pub mod protocol;
pub mod rate_limit;
pub mod redact;
pub mod response;
pub mod rest;
pub mod retry;
#[cfg(feature = "sandbox")]
pub mod sandbox;
pub mod session;
pub mod transport;
pub mod validate;

pub use config::Env;
pub use error::{
    BodySnippet, CodeClass, Error, FieldError, NoCode, OperationId, Refusal, TransportKind,
    VendorCode,
};
pub use execute::{decode_answer, read_answer};
pub use guard::{DailyQuota, Guard, Lockout};
pub use money::Money;
pub use operation::{Body, Operation, OperationSpec, Param};
pub use pipeline::Pipeline;
pub use protocol::{Answer, CallId, Failure, Payload, Protocol, Verdict};
pub use rate_limit::RateLimitInfo;
pub use response::Response;
pub use rest::Rest;
pub use retry::RetryPolicy;
pub use session::Session;
pub use transport::{Transport, TransportBuilder};
pub use validate::{DecimalSeparator, ParamStyle};

// Re-exported so vendor crates and their users name one version of each.
pub use chrono;
pub use http;
pub use reqwest;
pub use rust_decimal;
pub use secrecy;
pub use serde_with;
