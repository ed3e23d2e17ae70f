//! CloudMA errors: the vendor's status table as a typed code, on the shared core error.
//!
//! The vendor documents no error codes, only HTTP statuses; the client names them:
//!
//! | status    | [`ErrorCode`]                                                       |
//! |-----------|---------------------------------------------------------------------|
//! | 400       | [`ErrorCode::ProductNotFound`] when the message says "Product Not Found" (any case), else [`ErrorCode::BadRequest`] |
//! | 401       | [`ErrorCode::Unauthorized`] (credentials; never retried)            |
//! | 403       | [`ErrorCode::Forbidden`] (credentials; never retried)               |
//! | 404       | [`ErrorCode::NotFound`]                                             |
//! | 500       | [`ErrorCode::Server`] (reads are retried)                           |
//! | any other | no code: [`Error::Http`](pos_client_core::Error::Http), keeping the status (502, 503 …); 429 is [`Error::RateLimited`](pos_client_core::Error::RateLimited) |
//!
//! A push answered 500, 502 or 504 is
//! [`Error::OutcomeUnknown`](pos_client_core::Error::OutcomeUnknown) instead, naming the
//! `reference_no` and keeping the status: the sale may have been recorded before the server
//! failed.
//!
//! [`Error`] is the error type every vendor crate of this family shares, so
//! [`status`](pos_client_core::Error::status), [`code`](pos_client_core::Error::code),
//! [`message`](pos_client_core::Error::message),
//! [`is_retryable`](pos_client_core::Error::is_retryable),
//! [`is_outcome_unknown`](pos_client_core::Error::is_outcome_unknown) and
//! [`reference`](pos_client_core::Error::reference) answer alike everywhere. The document prints
//! no error bodies: the message is a JSON object's `message` (or `msg`, `error` …), a bare JSON
//! string's text, or a plain-text body, read after a UTF-8 byte-order mark. A non-JSON body
//! (an HTML 502 page from a proxy) still yields an error with its status. No error ever holds
//! the token: the core redacts it from messages and body snippets.

use std::fmt;

use pos_client_core::{CodeClass, VendorCode};

/// Everything a CloudMA call can fail with: the shared error with CloudMA's [`ErrorCode`].
pub type Error = pos_client_core::Error<ErrorCode>;

/// The phrase CloudMA uses for an unknown product code (matched case-insensitively).
const PRODUCT_NOT_FOUND: &str = "product not found";

/// What a CloudMA error answer means, named from its status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorCode {
    /// 400 whose message says "Product Not Found": a code in the request is unknown to CloudMA.
    ProductNotFound {
        /// The product code, when the server names it (a `product_code`, `item_code` or `code`
        /// field, or the text after "Product Not Found:").
        product: Option<String>,
    },
    /// Any other 400: the server rejected the request (duplicate reference, totals mismatch …).
    BadRequest,
    /// 401: the token was missing or wrong.
    Unauthorized,
    /// 403: the token is valid but lacks the permission.
    Forbidden,
    /// 404: the resource (usually the endpoint: check the base URL) was not found.
    NotFound,
    /// 500: the server failed.
    Server,
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::ProductNotFound { product: Some(p) } => {
                write!(f, "product not found ({p})")
            }
            ErrorCode::ProductNotFound { product: None } => f.write_str("product not found"),
            ErrorCode::BadRequest => f.write_str("bad request"),
            ErrorCode::Unauthorized => f.write_str("unauthorized (check CLOUDMA_TOKEN)"),
            ErrorCode::Forbidden => f.write_str("forbidden"),
            ErrorCode::NotFound => f.write_str("not found (check the base URL)"),
            ErrorCode::Server => f.write_str("server error"),
        }
    }
}

impl VendorCode for ErrorCode {
    fn class(&self) -> CodeClass {
        match self {
            ErrorCode::Unauthorized | ErrorCode::Forbidden => CodeClass::Credentials,
            // 500 is retried for reads by its status; the code adds nothing to that.
            _ => CodeClass::Permanent,
        }
    }
}

impl ErrorCode {
    /// Names an error answer of `status`; `message` is the JSON message or, for a text body,
    /// the text. `None` for statuses the vendor does not document.
    pub(crate) fn from_answer(status: u16, body: &str, message: Option<&str>) -> Option<Self> {
        Some(match status {
            400 => match message {
                Some(m) if m.to_ascii_lowercase().contains(PRODUCT_NOT_FOUND) => {
                    ErrorCode::ProductNotFound {
                        product: product_code(body, m),
                    }
                }
                _ => ErrorCode::BadRequest,
            },
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            500 => ErrorCode::Server,
            _ => return None,
        })
    }
}

/// The product code named by a "Product Not Found" answer, if any.
fn product_code(body: &str, message: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Named {
        #[serde(default)]
        product_code: Option<serde_json::Value>,
        #[serde(default)]
        item_code: Option<serde_json::Value>,
        #[serde(default)]
        code: Option<serde_json::Value>,
    }
    if let Ok(named) = serde_json::from_str::<Named>(body) {
        let text = |v: Option<serde_json::Value>| match v {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        };
        if let Some(code) = text(named.product_code)
            .or_else(|| text(named.item_code))
            .or_else(|| text(named.code))
        {
            return Some(code);
        }
    }
    // "Product Not Found: A-1", "Product Not Found (A-1)", "product not found - A-1"
    let lower = message.to_ascii_lowercase();
    let at = lower.find(PRODUCT_NOT_FOUND)?;
    let rest = message[at + PRODUCT_NOT_FOUND.len()..]
        .trim_start_matches([':', ' ', '-', '(', '[', '\'', '"'])
        .trim_end_matches([')', ']', '.', '\'', '"', ' ']);
    let rest = rest.strip_prefix("code").map_or(rest, str::trim_start);
    let rest = rest.trim_start_matches([':', ' ', '=']);
    (!rest.is_empty() && !rest.contains(char::is_whitespace)).then(|| rest.to_owned())
}
