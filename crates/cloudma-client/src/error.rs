//! CloudMA errors: the vendor's status table as typed variants, on top of the core error.
//!
//! The vendor documents no error codes, only HTTP statuses:
//!
//! | status    | variant                                                   |
//! |-----------|-----------------------------------------------------------|
//! | 400       | [`Error::ProductNotFound`] when the message says "Product Not Found" (any case), else [`Error::BadRequest`] |
//! | 401       | [`Error::Unauthorized`] (never retried)                   |
//! | 403       | [`Error::Forbidden`] (never retried)                      |
//! | 404       | [`Error::NotFound`]                                       |
//! | 500       | [`Error::Server`]                                         |
//! | any other | [`Error::Core`], keeping the status (502, 503, 429 …)     |
//!
//! Every variant keeps the [`pos_client_core::Error`] it came from, so [`Error::status`],
//! [`Error::is_retryable`] and [`Error::is_outcome_unknown`] answer the same for all of them. A
//! non-JSON body (an HTML 502 page from a proxy) still yields an error with its status. No
//! variant ever holds the token: the core redacts it from messages and body snippets.

use pos_client_core::http::StatusCode;

/// The core error type, re-exported under a name that does not clash with [`Error`].
pub use pos_client_core::Error as CoreError;

/// The phrase CloudMA uses for an unknown product code (matched case-insensitively).
const PRODUCT_NOT_FOUND: &str = "product not found";

/// Everything a CloudMA call can fail with.
///
/// Display is one line: what happened, then the core error (operation, status, message).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 400 whose message says "Product Not Found": a code in the request is unknown to CloudMA.
    #[error("product not found{}: {core}", code.as_ref().map(|c| format!(" ({c})")).unwrap_or_default())]
    ProductNotFound {
        /// The server's message (from the JSON `message`/`msg`/`error` field, else the text body).
        message: String,
        /// The product code, when the server names it (a `code`, `product_code` or `item_code`
        /// field, or the text after "Product Not Found:").
        code: Option<String>,
        /// The underlying HTTP error.
        core: Box<CoreError>,
    },
    /// Any other 400: the server rejected the request (duplicate reference, totals mismatch …).
    #[error("bad request: {core}")]
    BadRequest {
        /// The server's message, when it gave one.
        message: Option<String>,
        /// The underlying HTTP error.
        core: Box<CoreError>,
    },
    /// 401: the token was missing or wrong. Never retried.
    #[error("unauthorized (check CLOUDMA_TOKEN): {core}")]
    Unauthorized {
        /// The underlying HTTP error.
        core: Box<CoreError>,
    },
    /// 403: the token is valid but lacks the permission. Never retried.
    #[error("forbidden: {core}")]
    Forbidden {
        /// The underlying HTTP error.
        core: Box<CoreError>,
    },
    /// 404: the resource (usually the endpoint: check the base URL) was not found.
    #[error("not found (check the base URL): {core}")]
    NotFound {
        /// The underlying HTTP error.
        core: Box<CoreError>,
    },
    /// 500: the server failed. Reads were already retried per the retry policy.
    #[error("server error: {core}")]
    Server {
        /// The underlying HTTP error.
        core: Box<CoreError>,
    },
    /// Everything else, unchanged: other statuses, transport failures, outcome unknown,
    /// validation (nothing was sent), decoding and configuration errors.
    #[error(transparent)]
    Core(Box<CoreError>),
}

impl From<CoreError> for Error {
    fn from(core: CoreError) -> Self {
        let CoreError::Http {
            status,
            code,
            message,
            body,
            ..
        } = &core
        else {
            return Error::Core(Box::new(core));
        };
        match status.as_u16() {
            400 => {
                // A JSON body gave us its message; otherwise the (redacted) text body is the message.
                let text = message
                    .clone()
                    .or_else(|| {
                        let t = body.as_str().trim();
                        (!t.is_empty() && !t.starts_with(['{', '[', '<'])).then(|| t.to_owned())
                    })
                    .or_else(|| {
                        body.as_str()
                            .to_ascii_lowercase()
                            .contains(PRODUCT_NOT_FOUND)
                            .then(|| "Product Not Found".to_owned())
                    });
                match text {
                    Some(t) if t.to_ascii_lowercase().contains(PRODUCT_NOT_FOUND) => {
                        let product = product_code(body.as_str(), code.as_deref(), &t);
                        Error::ProductNotFound {
                            message: t,
                            code: product,
                            core: Box::new(core),
                        }
                    }
                    message => Error::BadRequest {
                        message,
                        core: Box::new(core),
                    },
                }
            }
            401 => Error::Unauthorized {
                core: Box::new(core),
            },
            403 => Error::Forbidden {
                core: Box::new(core),
            },
            404 => Error::NotFound {
                core: Box::new(core),
            },
            500 => Error::Server {
                core: Box::new(core),
            },
            _ => Error::Core(Box::new(core)),
        }
    }
}

/// The product code named by a "Product Not Found" answer, if any.
fn product_code(body: &str, vendor_code: Option<&str>, message: &str) -> Option<String> {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(body) {
        for key in ["product_code", "item_code", "code"] {
            match map.get(key) {
                Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                    return Some(s.trim().to_owned());
                }
                _ => {}
            }
        }
    }
    // "Product Not Found: A-1", "Product Not Found (A-1)", "product not found - A-1"
    let lower = message.to_ascii_lowercase();
    if let Some(at) = lower.find(PRODUCT_NOT_FOUND) {
        let rest = message[at + PRODUCT_NOT_FOUND.len()..]
            .trim_start_matches([':', ' ', '-', '(', '[', '\'', '"'])
            .trim_end_matches([')', ']', '.', '\'', '"', ' ']);
        let rest = rest.strip_prefix("code").map_or(rest, str::trim_start);
        let rest = rest.trim_start_matches([':', ' ', '=']);
        if !rest.is_empty() && !rest.contains(char::is_whitespace) {
            return Some(rest.to_owned());
        }
    }
    // A numeric JSON `code` is taken as an error code by the core, not as a product.
    vendor_code
        .filter(|c| !c.chars().all(|ch| ch.is_ascii_digit()))
        .map(str::to_owned)
}

impl Error {
    /// The core error this one wraps.
    pub fn core(&self) -> &CoreError {
        match self {
            Error::ProductNotFound { core, .. }
            | Error::BadRequest { core, .. }
            | Error::Unauthorized { core }
            | Error::Forbidden { core }
            | Error::NotFound { core }
            | Error::Server { core }
            | Error::Core(core) => core,
        }
    }

    /// Unwraps into the core error.
    pub fn into_core(self) -> CoreError {
        match self {
            Error::ProductNotFound { core, .. }
            | Error::BadRequest { core, .. }
            | Error::Unauthorized { core }
            | Error::Forbidden { core }
            | Error::NotFound { core }
            | Error::Server { core }
            | Error::Core(core) => *core,
        }
    }

    /// The HTTP status of the answer, when there was one (also for non-JSON bodies).
    pub fn status(&self) -> Option<StatusCode> {
        self.core().status()
    }

    /// The server's message, when the answer carried one.
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::ProductNotFound { message, .. } => Some(message),
            Error::BadRequest { message, .. } => message.as_deref(),
            other => match other.core() {
                CoreError::Http { message, .. } => message.as_deref(),
                _ => None,
            },
        }
    }

    /// Whether trying the same call later may succeed (advice: the client has already retried
    /// what was safe). Auth failures and outcome-unknown writes are not retryable.
    pub fn is_retryable(&self) -> bool {
        self.core().is_retryable()
    }

    /// Whether a push may have taken effect although no answer came back. Check the
    /// [`reference`](Self::reference) on the CloudMA side before pushing again.
    pub fn is_outcome_unknown(&self) -> bool {
        self.core().is_outcome_unknown()
    }

    /// The `reference_no` of the push whose outcome is unknown.
    pub fn reference(&self) -> Option<&str> {
        self.core().reference()
    }

    /// Whether the request broke a documented rule and was not sent.
    pub fn is_validation(&self) -> bool {
        self.core().is_validation()
    }

    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Error::from(CoreError::validation(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pos_client_core::{BodySnippet, OperationId};

    fn http(status: u16, body: &str, code: Option<&str>, message: Option<&str>) -> CoreError {
        CoreError::Http {
            operation: OperationId {
                vendor: "cloudma",
                name: "push-sale",
            },
            status: StatusCode::from_u16(status).unwrap(),
            code: code.map(str::to_owned),
            message: message.map(str::to_owned),
            body: BodySnippet::new(body.as_bytes(), &[]),
        }
    }

    #[test]
    fn product_not_found_is_recognised_in_json_and_text() {
        let e = Error::from(http(
            400,
            r#"{"message":"Product Not Found","code":"X-9"}"#,
            Some("X-9"),
            Some("Product Not Found"),
        ));
        assert!(
            matches!(&e, Error::ProductNotFound { code: Some(c), .. } if c == "X-9"),
            "{e:?}"
        );
        assert_eq!(e.status(), Some(StatusCode::BAD_REQUEST));
        assert!(
            e.to_string().starts_with("product not found (X-9): "),
            "{e}"
        );

        let e = Error::from(http(400, "product not found: AB12", None, None));
        assert!(
            matches!(&e, Error::ProductNotFound { code: Some(c), message, .. } if c == "AB12" && message == "product not found: AB12"),
            "{e:?}"
        );

        let e = Error::from(http(
            400,
            r#"{"error":"PRODUCT NOT FOUND"}"#,
            None,
            Some("PRODUCT NOT FOUND"),
        ));
        assert!(
            matches!(&e, Error::ProductNotFound { code: None, .. }),
            "{e:?}"
        );

        let e = Error::from(http(
            400,
            r#"{"status":400,"message":"Product Not Found (code Z1)"}"#,
            None,
            Some("Product Not Found (code Z1)"),
        ));
        assert!(
            matches!(&e, Error::ProductNotFound { code: Some(c), .. } if c == "Z1"),
            "{e:?}"
        );
    }

    #[test]
    fn statuses_map_to_variants_and_keep_their_status() {
        let e = Error::from(http(
            400,
            r#"{"message":"Duplicate reference"}"#,
            None,
            Some("Duplicate reference"),
        ));
        assert!(
            matches!(&e, Error::BadRequest { message: Some(m), .. } if m == "Duplicate reference")
        );
        assert_eq!(e.message(), Some("Duplicate reference"));
        let e = Error::from(http(400, "<html>bad</html>", None, None));
        assert!(matches!(&e, Error::BadRequest { message: None, .. }));
        for (status, check) in [
            (
                401,
                (|e: &Error| matches!(e, Error::Unauthorized { .. })) as fn(&Error) -> bool,
            ),
            (403, |e| matches!(e, Error::Forbidden { .. })),
            (404, |e| matches!(e, Error::NotFound { .. })),
            (500, |e| matches!(e, Error::Server { .. })),
            (
                502,
                |e| matches!(e, Error::Core(c) if matches!(**c, CoreError::Http { .. })),
            ),
            (
                418,
                |e| matches!(e, Error::Core(c) if matches!(**c, CoreError::Http { .. })),
            ),
        ] {
            let e = Error::from(http(status, "<html>x</html>", None, None));
            assert!(check(&e), "{status}: {e:?}");
            assert_eq!(e.status().map(|s| s.as_u16()), Some(status));
        }
        assert!(!Error::from(http(401, "", None, None)).is_retryable());
        assert!(Error::from(http(500, "", None, None)).is_retryable());
        let v = Error::validation("reference_no is empty");
        assert!(v.is_validation());
        assert_eq!(v.status(), None);
        assert_eq!(v.to_string(), "invalid request: reference_no is empty");
    }
}
