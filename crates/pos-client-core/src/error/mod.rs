//! The one error type of every vendor crate: [`Error<C>`], generic over the vendor's code enum.
//!
//! A vendor crate names it `pub type Error = pos_client_core::Error<TheVendorCode>;` and so gives
//! its users the same accessors as every other vendor crate: [`Error::status`],
//! [`Error::code`], [`Error::message`], [`Error::is_retryable`], [`Error::is_outcome_unknown`],
//! [`Error::reference`], [`Error::is_credentials`], [`Error::retry_after`].

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use http::StatusCode;

/// Names the operation an error came from: the vendor and the vendor's operation name.
///
/// Errors carry this instead of the URL, so no query-string secret can leak through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationId {
    /// Vendor name, e.g. `cloudma`.
    pub vendor: &'static str,
    /// Operation name as the vendor documents it, e.g. `push-sale`.
    pub name: &'static str,
}

impl fmt::Display for OperationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.vendor, self.name)
    }
}

/// How a transport failure happened, as far as the client can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    /// The connection could not be made (DNS, refused, TLS handshake): the request never left.
    Connect,
    /// No answer within the per-attempt timeout.
    Timeout,
    /// The connection broke after the request was sent, or the response body could not be read.
    Body,
    /// The answer was larger than the client's limit; reading stopped there.
    TooLarge,
    /// Any other failure of the HTTP stack.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Body => "connection lost before the response was complete",
            TransportKind::TooLarge => "the response is larger than the client's limit",
            TransportKind::Other => "transport failure",
        })
    }
}

/// A bounded, redacted excerpt of a response body, kept for diagnostics.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct BodySnippet(String);

impl BodySnippet {
    /// Longest excerpt kept, in characters.
    pub const MAX_CHARS: usize = 512;

    /// Builds a snippet from raw bytes: lossy UTF-8, secrets replaced, cut at [`Self::MAX_CHARS`].
    pub fn new(body: &[u8], secrets: &[&str]) -> Self {
        // Only the head of the body is looked at: a huge body costs no more than a small one.
        let head = &body[..body.len().min(Self::MAX_CHARS * 4 + 1024)];
        let text = String::from_utf8_lossy(head);
        let text = crate::redact::redact_secrets(&text, secrets);
        let mut out: String = text.chars().take(Self::MAX_CHARS).collect();
        if text.chars().count() > Self::MAX_CHARS || head.len() < body.len() {
            out.push('…');
        }
        BodySnippet(out)
    }

    /// The snippet of a body that carries a credential: nothing of the body is kept.
    pub fn withheld() -> Self {
        BodySnippet("[withheld: the answer carries a credential]".to_owned())
    }

    /// The excerpt as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BodySnippet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// What a vendor's error code means for the client: whether to retry, and whether the
/// credentials are at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeClass {
    /// Retrying the same request cannot help (a validation error, an unknown record …).
    Permanent,
    /// The server is busy or failed for now: reads are retried per the retry policy.
    Retryable,
    /// The credentials are wrong, missing, or blocked: never retried.
    Credentials,
    /// The session token was refused (expired, revoked): the client renews it once and sends
    /// the request again — safe for writes too, since the answer proves it was not carried out.
    TokenRefused,
    /// An allowance of the account is used up until a time the server names (CloudPOS' daily
    /// request limit, 1003): never retried, and a 429 carrying it stays this code instead of a
    /// rate limit, so that the guards see it and refuse further calls until that time.
    LimitReached,
}

/// A vendor's closed set of error codes, as an enum with an `Unknown` arm.
pub trait VendorCode: fmt::Debug + fmt::Display + Clone + Send + Sync + 'static {
    /// What the code means for retrying and credentials (default [`CodeClass::Permanent`]).
    fn class(&self) -> CodeClass {
        CodeClass::Permanent
    }
}

/// The code type of errors that carry no vendor code (the transport level). It has no values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoCode {}

impl fmt::Display for NoCode {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {}
    }
}

impl VendorCode for NoCode {}

/// One field's complaint in a validation answer (`errors: {"email": "is invalid"}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's wire name.
    pub field: String,
    /// What the server said about it.
    pub message: String,
}

/// Why the client refused to send a request that broke no rule of the request itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The vendor locked the credentials out; sending would extend the lock.
    LockedOut,
    /// A documented request quota is used up for now.
    QuotaExhausted,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::LockedOut => "the credentials are locked out",
            Refusal::QuotaExhausted => "the request quota is used up",
        })
    }
}

/// Everything that can go wrong in one call, for a vendor whose error codes are `C`.
///
/// The Display form is one line that names the operation, the status, and the vendor's code and
/// message where present. No variant ever holds a URL or a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<C: VendorCode = NoCode> {
    /// The request did not get a complete HTTP answer: connect failure, timeout, broken
    /// connection, or an answer over the size limit. For a write whose request may have reached
    /// the server this is [`Error::OutcomeUnknown`] instead.
    #[error("{operation}: {kind}: {message}")]
    Transport {
        /// The operation that failed.
        operation: OperationId,
        /// What kind of failure it was.
        kind: TransportKind,
        /// The HTTP stack's description, with the URL stripped.
        message: String,
    },
    /// The server answered with an error the vendor protocol could not name with a code.
    #[error("{operation}: HTTP {status}{}", code_and_message(code.as_deref(), message.as_deref()))]
    Http {
        /// The operation that failed.
        operation: OperationId,
        /// The HTTP status.
        status: StatusCode,
        /// A code the body carried, as text, when it had one.
        code: Option<String>,
        /// The message the body carried, when it had one.
        message: Option<String>,
        /// A bounded, redacted excerpt of the body.
        body: BodySnippet,
    },
    /// The vendor answered with one of its error codes (in an error status or inside a 2xx body).
    #[error("{operation}: HTTP {status} [{code}]{}", message.as_deref().map(|m| format!(": {m}")).unwrap_or_default())]
    Api {
        /// The operation that failed.
        operation: OperationId,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The vendor's code.
        code: C,
        /// The vendor's message, secrets redacted.
        message: Option<String>,
        /// Field complaints of a validation answer, in the server's order.
        fields: Vec<FieldError>,
        /// A bounded, redacted excerpt of the body.
        body: BodySnippet,
    },
    /// The answer could not be decoded into the expected shape.
    #[error("{operation}: could not decode the response (HTTP {status}): {message}")]
    Decode {
        /// The operation that failed.
        operation: OperationId,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// What the decoder said.
        message: String,
        /// A bounded, redacted excerpt of the body.
        body: BodySnippet,
    },
    /// The request broke a documented rule and was not sent.
    #[error("invalid request: {message}")]
    Validation {
        /// What is wrong with the request.
        message: String,
    },
    /// The server asked the client to slow down for longer than the client waits on its own,
    /// or the client knows the rate limit is used up until a time beyond its longest wait.
    #[error("{operation}: rate limited (HTTP {status}){}", retry_hint(*retry_after))]
    RateLimited {
        /// The operation that failed.
        operation: OperationId,
        /// The HTTP status (429, or 503 with Retry-After; 429 when the client refused on its own).
        status: StatusCode,
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
        /// When the call may be tried again, when the server said.
        retry_at: Option<DateTime<Utc>>,
    },
    /// The client refused to send: the vendor would have rejected or punished the request.
    /// Nothing was sent.
    #[error("{operation}: not sent: {reason}{}{}", until.map(|u| format!(" until {u}")).unwrap_or_default(), code.as_ref().map(|c| format!(" (after [{c}])")).unwrap_or_default())]
    Refused {
        /// The operation that was not sent.
        operation: OperationId,
        /// Why.
        reason: Refusal,
        /// When sending makes sense again, when known (`None`: until the credentials change or
        /// the guard is reset).
        until: Option<DateTime<Utc>>,
        /// The vendor code that caused the guard, when one did.
        code: Option<C>,
    },
    /// A write may have reached the server, but no complete answer came back.
    ///
    /// The library does not send it again. Check whether it took effect (by its reference)
    /// before sending it again yourself.
    #[error("{operation}: outcome unknown{}{}: {cause}", reference.as_ref().map(|r| format!(" for reference {r}")).unwrap_or_default(), status.map(|s| format!(" (HTTP {} answered)", s.as_u16())).unwrap_or_default())]
    OutcomeUnknown {
        /// The operation that failed.
        operation: OperationId,
        /// The caller's reference for the write (a sale's reference_no, a document uid).
        reference: Option<String>,
        /// The status of the answer when one came but was incomplete (cut off, timed out) or not
        /// understood: a 2xx suggests the write was carried out, but nothing proves it.
        status: Option<StatusCode>,
        /// The transport failure that left the outcome unknown.
        cause: String,
    },
    /// The client was configured wrongly (bad base URL, plain HTTP to a remote host, a missing
    /// environment variable …).
    #[error("configuration error: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

fn code_and_message(code: Option<&str>, message: Option<&str>) -> String {
    match (code, message) {
        (Some(c), Some(m)) => format!(" [{c}]: {m}"),
        (Some(c), None) => format!(" [{c}]"),
        (None, Some(m)) => format!(": {m}"),
        (None, None) => String::new(),
    }
}

fn retry_hint(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|d| format!(", retry after {} s", d.as_secs()))
        .unwrap_or_default()
}

impl<C: VendorCode> Error<C> {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http { status, .. }
            | Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::RateLimited { status, .. } => Some(*status),
            Error::OutcomeUnknown { status, .. } => *status,
            _ => None,
        }
    }

    /// The vendor's typed code, when the answer (or the guard that refused) carried one.
    pub fn code(&self) -> Option<&C> {
        match self {
            Error::Api { code, .. } => Some(code),
            Error::Refused { code, .. } => code.as_ref(),
            _ => None,
        }
    }

    /// The vendor's code as text: the typed code's Display, or the untyped code an error body
    /// carried.
    pub fn vendor_code(&self) -> Option<String> {
        match self {
            Error::Api { code, .. } => Some(code.to_string()),
            Error::Http { code, .. } => code.clone(),
            _ => None,
        }
    }

    /// The server's message (or, for errors without an answer, the client's description).
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } | Error::Http { message, .. } => message.as_deref(),
            Error::Decode { message, .. }
            | Error::Validation { message }
            | Error::Config { message }
            | Error::Transport { message, .. } => Some(message),
            Error::OutcomeUnknown { cause, .. } => Some(cause),
            _ => None,
        }
    }

    /// Field complaints of a validation answer (empty for every other error).
    pub fn fields(&self) -> &[FieldError] {
        match self {
            Error::Api { fields, .. } => fields,
            _ => &[],
        }
    }

    /// Whether trying the same call again later may succeed.
    ///
    /// This is advice for the caller; the client has already retried what was safe to retry.
    /// An [`Error::OutcomeUnknown`] is not retryable: check the write's effect first.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { kind, .. } => *kind != TransportKind::TooLarge,
            Error::RateLimited { .. } => true,
            Error::Refused { until, .. } => until.is_some(),
            Error::Http { status, .. } => status_is_retryable(*status),
            Error::Api { code, status, .. } => match code.class() {
                CodeClass::Retryable => true,
                CodeClass::Credentials | CodeClass::TokenRefused | CodeClass::LimitReached => false,
                CodeClass::Permanent => status_is_retryable(*status),
            },
            _ => false,
        }
    }

    /// Whether a write may have taken effect although no answer came back.
    pub fn is_outcome_unknown(&self) -> bool {
        matches!(self, Error::OutcomeUnknown { .. })
    }

    /// The caller's reference of a write whose outcome is unknown (a sale's reference number,
    /// a document uid), to check before sending it again.
    pub fn reference(&self) -> Option<&str> {
        match self {
            Error::OutcomeUnknown { reference, .. } => reference.as_deref(),
            _ => None,
        }
    }

    /// Whether the credentials are at fault: wrong, missing, refused or locked out (a vendor
    /// code of class [`CodeClass::Credentials`] / [`CodeClass::TokenRefused`], or a 401 whose
    /// code, if any, is permanent: the status speaks for a code that does not say more, such as
    /// an unknown one). Never retried.
    pub fn is_credentials(&self) -> bool {
        match self {
            Error::Api { code, status, .. } => match code.class() {
                CodeClass::Credentials | CodeClass::TokenRefused => true,
                CodeClass::Permanent => *status == StatusCode::UNAUTHORIZED,
                CodeClass::Retryable | CodeClass::LimitReached => false,
            },
            Error::Http { status, .. } => *status == StatusCode::UNAUTHORIZED,
            Error::Refused { reason, .. } => *reason == Refusal::LockedOut,
            _ => false,
        }
    }

    /// How long to wait before trying again, when the server or a guard said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            Error::Refused {
                until: Some(until), ..
            } => (*until - Utc::now()).to_std().ok(),
            _ => None,
        }
    }

    /// Whether the request broke a documented rule and was not sent.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
    }

    /// The operation the error came from, when it came from one.
    pub fn operation(&self) -> Option<OperationId> {
        match self {
            Error::Transport { operation, .. }
            | Error::Http { operation, .. }
            | Error::Api { operation, .. }
            | Error::Decode { operation, .. }
            | Error::RateLimited { operation, .. }
            | Error::Refused { operation, .. }
            | Error::OutcomeUnknown { operation, .. } => Some(*operation),
            Error::Validation { .. } | Error::Config { .. } => None,
        }
    }

    /// Builds a validation error.
    pub fn validation(message: impl Into<String>) -> Self {
        Error::Validation {
            message: message.into(),
        }
    }

    /// Builds a configuration error.
    pub fn config(message: impl Into<String>) -> Self {
        Error::Config {
            message: message.into(),
        }
    }
}

impl Error<NoCode> {
    /// The same error for a vendor with codes `C` (an error without a code has the same meaning
    /// everywhere).
    pub fn with_codes<C: VendorCode>(self) -> Error<C> {
        match self {
            Error::Transport {
                operation,
                kind,
                message,
            } => Error::Transport {
                operation,
                kind,
                message,
            },
            Error::Http {
                operation,
                status,
                code,
                message,
                body,
            } => Error::Http {
                operation,
                status,
                code,
                message,
                body,
            },
            Error::Api { code, .. } => match code {},
            Error::Decode {
                operation,
                status,
                message,
                body,
            } => Error::Decode {
                operation,
                status,
                message,
                body,
            },
            Error::Validation { message } => Error::Validation { message },
            Error::RateLimited {
                operation,
                status,
                retry_after,
                retry_at,
            } => Error::RateLimited {
                operation,
                status,
                retry_after,
                retry_at,
            },
            Error::Refused {
                operation,
                reason,
                until,
                code,
            } => Error::Refused {
                operation,
                reason,
                until,
                code: code.map(|c| match c {}),
            },
            Error::OutcomeUnknown {
                operation,
                reference,
                status,
                cause,
            } => Error::OutcomeUnknown {
                operation,
                reference,
                status,
                cause,
            },
            Error::Config { message } => Error::Config { message },
        }
    }
}

fn status_is_retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502..=504)
}

#[cfg(test)]
mod tests;
