//! The core error type that every vendor crate wraps or extends.

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
    /// Any other failure of the HTTP stack.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Body => "connection lost before the response was complete",
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
        let text = String::from_utf8_lossy(body);
        let text = crate::redact::redact_secrets(&text, secrets);
        let mut out: String = text.chars().take(Self::MAX_CHARS).collect();
        if text.chars().count() > Self::MAX_CHARS {
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

/// Everything that can go wrong in one call through [`crate::Transport`].
///
/// Vendor crates wrap this type and add their own error codes. The Display form is one line that
/// names the operation, the status, and the vendor's code and message where present. No variant
/// ever holds a URL or a credential.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not get an HTTP answer: connect failure, timeout or broken connection.
    #[error("{operation}: {kind}: {message}")]
    Transport {
        /// The operation that failed.
        operation: OperationId,
        /// What kind of failure it was.
        kind: TransportKind,
        /// The HTTP stack's description, with the URL stripped.
        message: String,
    },
    /// The server answered with an error status.
    #[error("{operation}: HTTP {status}{}", code_and_message(code.as_deref(), message.as_deref()))]
    Http {
        /// The operation that failed.
        operation: OperationId,
        /// The HTTP status.
        status: StatusCode,
        /// The vendor's error code, when the body carried one.
        code: Option<String>,
        /// The vendor's error message, when the body carried one.
        message: Option<String>,
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
    /// The server asked the client to slow down for longer than the client waits on its own.
    #[error("{operation}: rate limited (HTTP {status}){}", retry_hint(*retry_after))]
    RateLimited {
        /// The operation that failed.
        operation: OperationId,
        /// The HTTP status (429, or 503 with Retry-After).
        status: StatusCode,
        /// How long the server asked to wait, when it said.
        retry_after: Option<Duration>,
        /// When the call may be tried again, when the server said.
        retry_at: Option<DateTime<Utc>>,
    },
    /// A write may have reached the server, but no complete answer came back.
    ///
    /// The library does not send it again. Check whether it took effect (by its reference)
    /// before sending it again yourself.
    #[error("{operation}: outcome unknown{}: {cause}", reference.as_ref().map(|r| format!(" for reference {r}")).unwrap_or_default())]
    OutcomeUnknown {
        /// The operation that failed.
        operation: OperationId,
        /// The caller's reference for the write (a sale's reference_no, a document uid).
        reference: Option<String>,
        /// The transport failure that left the outcome unknown.
        cause: String,
    },
    /// The client was configured wrongly (bad base URL, plain HTTP to a remote host …).
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

impl Error {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Http { status, .. }
            | Error::Decode { status, .. }
            | Error::RateLimited { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The vendor's error code, when the answer carried one.
    pub fn vendor_code(&self) -> Option<&str> {
        match self {
            Error::Http { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// Whether trying the same call again later may succeed.
    ///
    /// This is advice for the caller; the client has already retried what was safe to retry.
    /// An [`Error::OutcomeUnknown`] is not retryable: check the write's effect first.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::RateLimited { .. } => true,
            Error::Http { status, .. } => matches!(status.as_u16(), 408 | 429 | 500 | 502..=504),
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

    /// Whether the request broke a documented rule and was not sent.
    pub fn is_validation(&self) -> bool {
        matches!(self, Error::Validation { .. })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_and_validation_accessors() {
        let unknown = Error::OutcomeUnknown {
            operation: OperationId {
                vendor: "v",
                name: "push",
            },
            reference: Some("S-1".into()),
            cause: "connection reset".into(),
        };
        assert_eq!(unknown.reference(), Some("S-1"));
        assert!(unknown.is_outcome_unknown() && !unknown.is_retryable());
        assert!(!unknown.is_validation());
        let invalid = Error::validation("qty must be positive");
        assert!(invalid.is_validation());
        assert_eq!(invalid.reference(), None);
        assert_eq!(invalid.to_string(), "invalid request: qty must be positive");
    }
}
