//! [`Exercise`]: what a vendor's sandbox offers the reliability suite — every documented
//! operation, run once with valid input from the sandbox's own data, and the client's decoding
//! of any answer, offline.
//!
//! The suite (the workspace's `reliability` crate) walks [`Exercise::operations`] (a vendor
//! crate's generated `models::OPERATIONS`) and runs each operation under each fault of the kit;
//! it fuzzes [`Exercise::decode`] with [`Exercise::corpus`] as seeds. A vendor crate implements
//! the trait in its `sandbox` module.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use super::{Route, SandboxServer};
use crate::error::{Error, VendorCode};
use crate::operation::OperationSpec;
use crate::retry::RetryPolicy;

/// A boxed future, as [`Exercise::run`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How the client of one run is configured.
#[derive(Debug, Clone)]
pub struct ExerciseSettings {
    /// The retry policy (the suite uses [`RetryPolicy::without_delays`]).
    pub retry: RetryPolicy,
    /// The per-attempt timeout (short: the suite's delay fault outlasts it).
    pub timeout: Duration,
}

/// An error as the suite sees it, whatever the vendor's code type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The variant (`Transport`, `Http`, `Api`, `Decode`, `RateLimited`, `OutcomeUnknown`, …).
    pub kind: &'static str,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// [`Error::is_outcome_unknown`].
    pub outcome_unknown: bool,
    /// [`Error::is_retryable`].
    pub retryable: bool,
    /// [`Error::is_validation`].
    pub validation: bool,
    /// The Display form.
    pub display: String,
    /// The Debug form.
    pub debug: String,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display)
    }
}

impl<C: VendorCode> From<&Error<C>> for Summary {
    fn from(e: &Error<C>) -> Self {
        Summary {
            kind: match e {
                Error::Transport { .. } => "Transport",
                Error::Http { .. } => "Http",
                Error::Api { .. } => "Api",
                Error::Decode { .. } => "Decode",
                Error::Validation { .. } => "Validation",
                Error::RateLimited { .. } => "RateLimited",
                Error::Refused { .. } => "Refused",
                Error::OutcomeUnknown { .. } => "OutcomeUnknown",
                Error::Config { .. } => "Config",
            },
            status: e.status().map(|s| s.as_u16()),
            outcome_unknown: e.is_outcome_unknown(),
            retryable: e.is_retryable(),
            validation: e.is_validation(),
            display: e.to_string(),
            debug: format!("{e:?}"),
        }
    }
}

impl<C: VendorCode> From<Error<C>> for Summary {
    fn from(e: Error<C>) -> Self {
        Summary::from(&e)
    }
}

/// One sample answer for seeding decoders: the operation, the status and the body.
pub type Sample = (&'static str, u16, Vec<u8>);

/// What a vendor's sandbox offers the reliability suite. See the module docs.
pub trait Exercise: Send + Sync {
    /// The vendor's name (as in its `OperationId`s).
    fn vendor(&self) -> &'static str;

    /// Every documented operation: the crate's generated `models::OPERATIONS`.
    fn operations(&self) -> &'static [OperationSpec];

    /// The kit server behind the sandbox (faults, journal, connections).
    fn server(&self) -> &SandboxServer;

    /// Where the requests of `operation` arrive: faults for it are injected there and its hits
    /// counted there.
    fn route(&self, operation: &str) -> Route;

    /// Runs `operation` once through a fresh client configured with `settings`, with valid
    /// input taken from the sandbox's own data. Whatever must exist first (a login, an open
    /// document, a record to update) is set up before; `inject` is called right before the
    /// operation's own request, so a fault lands on that request and nothing else. An operation
    /// this sandbox cannot run is an `Err` whose `kind` is `"Unsupported"`.
    fn run<'a>(
        &'a self,
        operation: &'a str,
        settings: &'a ExerciseSettings,
        inject: &'a (dyn Fn() + Send + Sync),
    ) -> BoxFuture<'a, Result<(), Summary>>;

    /// Decodes `body` (with `status`) as the answer to `operation`, through the client's own
    /// protocol and models ([`crate::decode_answer`]), without sending anything.
    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary>;

    /// Sample answers for seeding fuzzers: the vendor document's examples and the sandbox's
    /// own answers, for every operation.
    fn corpus(&self) -> Vec<Sample>;

    /// The credentials the client sends: none may appear in any error, Debug or log.
    fn secrets(&self) -> Vec<String>;
}

/// A [`Summary`] for an operation an [`Exercise`] does not know.
pub fn unsupported(vendor: &str, operation: &str) -> Summary {
    Summary {
        kind: "Unsupported",
        status: None,
        outcome_unknown: false,
        retryable: false,
        validation: false,
        display: format!("{vendor}: the sandbox cannot exercise `{operation}`"),
        debug: String::new(),
    }
}
