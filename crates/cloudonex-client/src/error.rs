//! CloudOnex errors: the document's status table as a typed code on the shared core error.
//!
//! The document names no error codes, only HTTP statuses and one error envelope
//! (`{"success": false, "errors": {"field": "…"}, "message": "…"}`). A JSON answer of an error
//! status (or `success: false` in a 2xx answer) becomes [`Error::Api`] with a [`Code`], the
//! status, the `message` and the `errors` map as [`Error::fields`]:
//!
//! | answer                                   | code                          | class         |
//! |------------------------------------------|-------------------------------|---------------|
//! | 400 with field errors, or `success:false` with field errors in any 2xx/4xx | [`Code::Validation`] | permanent |
//! | 400 without field errors                 | [`Code::BadRequest`]          | permanent     |
//! | 401                                      | [`Code::Unauthorized`]        | credentials   |
//! | 403                                      | [`Code::Forbidden`]           | credentials   |
//! | 404                                      | [`Code::NotFound`]            | permanent     |
//! | 500                                      | [`Code::ServerError`]         | permanent: the status decides (reads are retried; a write is [`Error::OutcomeUnknown`] instead, as it may have been carried out) |
//! | `success: false` in a 2xx without fields | [`Code::Failed`]              | permanent     |
//! | any other status                         | [`Code::Unknown`] (`"HTTP 422"`) | permanent: the status decides |
//!
//! 429 is always [`Error::RateLimited`] (with the wait from `Retry-After`, else from
//! `X-RateLimit-Reset`). An answer that is not JSON (an HTML page from a proxy or a web server)
//! is [`Error::Http`], which keeps the status: such an answer is not the vendor's. A write
//! answered 500, 502 or 504 is [`Error::OutcomeUnknown`], naming the reference and keeping the
//! status.
//! The API key never appears in an error, its Display or its Debug.

use std::fmt;

use pos_client_core::http::StatusCode;
use pos_client_core::{CodeClass, VendorCode};

/// The error of every CloudOnex call: the core error with CloudOnex's [`Code`].
pub type Error = pos_client_core::Error<Code>;

/// What a CloudOnex error answer means, derived from its status and its envelope.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// The request's fields were rejected; [`Error::fields`] holds the `errors` map.
    Validation,
    /// 400 without field errors.
    BadRequest,
    /// 401: the API key is missing or wrong.
    Unauthorized,
    /// 403: the API key lacks the permission (the document recommends key-specific permissions).
    Forbidden,
    /// 404: no such record (a JSON answer; an HTML 404 is [`Error::Http`]: check the base URL).
    NotFound,
    /// 429 inside a 2xx body or where the core did not map it (normally [`Error::RateLimited`]).
    TooManyRequests,
    /// 500: the server failed.
    ServerError,
    /// `success: false` in a 2xx answer without field errors.
    Failed,
    /// Any other status with a JSON error envelope, as `"HTTP <status>"`.
    Unknown(String),
}

impl Code {
    /// The code of a JSON error answer with this status and these many field errors.
    pub fn from_answer(status: StatusCode, has_fields: bool) -> Code {
        match status.as_u16() {
            401 => Code::Unauthorized,
            403 => Code::Forbidden,
            404 => Code::NotFound,
            429 => Code::TooManyRequests,
            500 => Code::ServerError,
            _ if has_fields => Code::Validation,
            400 => Code::BadRequest,
            200..=299 => Code::Failed,
            other => Code::Unknown(format!("HTTP {other}")),
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Code::Validation => "validation",
            Code::BadRequest => "bad_request",
            Code::Unauthorized => "unauthorized",
            Code::Forbidden => "forbidden",
            Code::NotFound => "not_found",
            Code::TooManyRequests => "too_many_requests",
            Code::ServerError => "server_error",
            Code::Failed => "failed",
            Code::Unknown(text) => text,
        })
    }
}

impl VendorCode for Code {
    fn class(&self) -> CodeClass {
        match self {
            Code::Unauthorized | Code::Forbidden => CodeClass::Credentials,
            // The status decides for the rest: 500 is retried for reads only.
            _ => CodeClass::Permanent,
        }
    }
}

/// CloudOnex-specific questions about an [`Error`].
pub trait ErrorExt {
    /// Whether the server answered (in JSON) that the record does not exist.
    fn is_not_found(&self) -> bool;
}

impl ErrorExt for Error {
    fn is_not_found(&self) -> bool {
        self.code() == Some(&Code::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_codes_and_classes() {
        let code = |s: u16, f: bool| Code::from_answer(StatusCode::from_u16(s).unwrap(), f);
        assert_eq!(code(400, true), Code::Validation);
        assert_eq!(code(422, true), Code::Validation);
        assert_eq!(code(400, false), Code::BadRequest);
        assert_eq!(code(401, true), Code::Unauthorized);
        assert_eq!(code(403, false), Code::Forbidden);
        assert_eq!(code(404, false), Code::NotFound);
        assert_eq!(code(500, false), Code::ServerError);
        assert_eq!(code(200, false), Code::Failed);
        assert_eq!(code(200, true), Code::Validation);
        assert_eq!(code(502, false), Code::Unknown("HTTP 502".into()));
        assert_eq!(Code::Unauthorized.class(), CodeClass::Credentials);
        assert_eq!(Code::Forbidden.class(), CodeClass::Credentials);
        assert_eq!(Code::ServerError.class(), CodeClass::Permanent);
        assert_eq!(Code::Unknown("HTTP 502".into()).to_string(), "HTTP 502");
    }
}
