//! The Suppliers client: [`Client`], [`ClientBuilder`], and one async method per operation.
//!
//! The builder and its authorization settings are in `builder`, the small request and answer
//! types in `types`, the temporary-purchase operations in `temp` and the supplier operations in
//! `suppliers`.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::http::Method;
use pos_client_core::{Error as CoreError, Operation, Pipeline, Response};
use serde::de::DeserializeOwned;

use crate::error::{Error, ResultCode};
use crate::models::ResultAnswer;
use crate::protocol::SuppliersProtocol;
use crate::purchase::TempPurchase;
use pos_client_core::path::encode_segment;
use pos_client_core::validate;

mod builder;
mod suppliers;
mod temp;
mod types;

pub use builder::ClientBuilder;
// Used by the sandbox (feature `sandbox`) and the unit tests only.
#[cfg(any(test, feature = "sandbox"))]
pub(crate) use builder::base64;
pub(crate) use temp::TransAnswer;
#[cfg(feature = "sandbox")]
pub(crate) use types::LocationPersonAnswer;
pub use types::{ContactInfo, Location, Payment, ProductRef, SupplierFilter};

/// The vendor name used in errors and tracing spans.
pub const VENDOR: &str = "suppliers";

/// The environment variable with the API root under which `/suppliers` and
/// `/supplier-purchase-temp` live (required; there is no default server).
pub const BASE_URL_VAR: &str = "SUPPLIERS_BASE_URL";
/// The environment variable with an OAuth2 Bearer token.
pub const TOKEN_VAR: &str = "SUPPLIERS_TOKEN";
/// The environment variable with the user for Basic or Digest (or the OAuth2 password grant).
pub const USER_VAR: &str = "SUPPLIERS_USER";
/// The environment variable with the password.
pub const PASSWORD_VAR: &str = "SUPPLIERS_PASSWORD";
/// `basic` (default with a user), `digest` or `oauth2`.
pub const AUTH_VAR: &str = "SUPPLIERS_AUTH";
/// The OAuth2 client id (with `SUPPLIERS_AUTH=oauth2`).
pub const CLIENT_ID_VAR: &str = "SUPPLIERS_CLIENT_ID";
/// The OAuth2 client secret (optional).
pub const CLIENT_SECRET_VAR: &str = "SUPPLIERS_CLIENT_SECRET";

/// The user agent sent with every request: `suppliers-client/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The media types the document lists for `Accept` (all three) and `Content-Type` (the vendor
/// type and plain JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaType {
    /// `application/vnd.suppliers.v1+json`, the vendor's type (the default).
    #[default]
    VendorV1,
    /// `application/hal+json` (for `Accept` only).
    Hal,
    /// `application/json`.
    Json,
}

impl MediaType {
    /// The media type text.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::VendorV1 => "application/vnd.suppliers.v1+json",
            MediaType::Hal => "application/hal+json",
            MediaType::Json => "application/json",
        }
    }
}

struct Inner {
    pipeline: Pipeline<SuppliersProtocol>,
    accept: MediaType,
    content_type: MediaType,
    /// The OAuth2 token generation of this client's last temp-purchase claim (0: none).
    claimed: AtomicU64,
}

/// A Suppliers API client. Cheap to clone; clones share the connection pool, the Digest nonce
/// and the OAuth2 token. Debug output never shows a credential.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("accept", &self.inner.accept)
            .finish_non_exhaustive()
    }
}

/// The longest id put into a URL path. The document gives no maximum; ids are numbers and
/// uuids, and a longer value would only make an overlong URL.
pub const MAX_ID_CHARS: usize = 255;

/// The longest text put into a URL query or an `Authorization` header (servers commonly refuse
/// request lines and headers past 8 KiB).
pub const MAX_URL_TEXT_CHARS: usize = 1_000;

/// Checks an id for a URL path and percent-encodes it as one segment. Refused (nothing is
/// sent): empty or blank, longer than [`MAX_ID_CHARS`], `.` or containing `..`, `/`, `?`, `#`,
/// `%` or a control character — they would change or escape the path. Everything else (spaces,
/// Unicode) is percent-encoded.
pub(crate) fn segment(what: &str, id: &str) -> Result<String, Error> {
    not_blank(what, id)?;
    validate::path_segment::<ResultCode>(what, id)?;
    if id == "." {
        return Err(Error::validation(format!("{what}: must not be `.`")));
    }
    validate::max_chars::<ResultCode>(what, id, MAX_ID_CHARS)?;
    Ok(encode_segment(id))
}

/// An identifier sent in a body (line, person, location, supplier, business, product ids and
/// codes): not blank, no control characters.
pub(crate) fn ident(what: &str, value: &str) -> Result<(), Error> {
    not_blank(what, value)?;
    validate::text::<ResultCode>(what, value)
}

/// One line of text the server stores (names, contact fields, search keys): no control
/// characters (CR, LF, NUL, ESC …).
pub(crate) fn one_line(what: &str, value: &str) -> Result<(), Error> {
    validate::text::<ResultCode>(what, value)
}

/// A free-text note: line breaks and tabs allowed, other control characters (NUL, ESC …)
/// refused.
pub(crate) fn note_text(what: &str, value: &str) -> Result<(), Error> {
    validate::multiline::<ResultCode>(what, value)
}

/// The error for a `None` from [`Client::write_call`] with `empty_ok == false`, which cannot
/// happen (it answers an outcome-unknown error instead); kept to avoid a panic path.
pub(crate) fn no_answer() -> Error {
    Error::validation("the server answered without a body")
}

/// Whether the answer of a result-only write is the document's: none (204, an empty body) or
/// `{"result": "SUCCESS"}`. (Other result codes never get here: the protocol made them errors.)
pub(crate) fn says_success(answer: Option<&ResultAnswer>) -> bool {
    answer.is_none_or(|a| is_success(a.result.as_deref()))
}

/// Whether a `result` is the document's `SUCCESS`.
pub(crate) fn is_success(result: Option<&str>) -> bool {
    result.map(str::trim) == Some("SUCCESS")
}

pub(crate) fn not_blank(what: &str, value: &str) -> Result<(), Error> {
    validate::not_blank::<ResultCode>(what, value)
}

impl Client {
    /// HTTP attempts sent so far (retries and Digest challenge round trips included).
    pub fn attempts_sent(&self) -> u64 {
        self.inner.pipeline.attempts_sent()
    }

    pub(crate) fn read(&self, name: &'static str, path: String) -> Operation {
        Operation::read(VENDOR, name, Method::GET, path).accept(self.inner.accept.as_str())
    }

    pub(crate) fn write(
        &self,
        name: &'static str,
        method: Method,
        path: String,
        reference: String,
    ) -> Operation {
        Operation::write(VENDOR, name, method, path)
            .accept(self.inner.accept.as_str())
            .content_type(self.inner.content_type.as_str())
            .reference(reference)
    }

    pub(crate) fn with_json<T: serde::Serialize>(
        op: Operation,
        body: &T,
    ) -> Result<Operation, Error> {
        op.json(body).map_err(CoreError::with_codes)
    }

    pub(crate) async fn call<T: DeserializeOwned>(&self, op: Operation) -> Result<T, Error> {
        self.send(op).await?.decode()
    }

    /// Sends a write whose documented answer is `{"result": "SUCCESS"}` (or, for a delete, 204).
    /// Another 2xx body (an HTML page, `{}`, an object without that result) is not the
    /// vendor's answer and the write may have been carried out: it is
    /// [`is_outcome_unknown`](CoreError::is_outcome_unknown), naming the write's reference.
    pub(crate) async fn send_unit(&self, op: Operation) -> Result<(), Error> {
        let response = self.send(op).await?;
        let problem = match response.decode::<Option<ResultAnswer>, ResultCode>() {
            Ok(answer) if says_success(answer.as_ref()) => return Ok(()),
            Ok(_) => "no `result` SUCCESS".to_owned(),
            Err(e) => e.message().unwrap_or("unreadable").to_owned(),
        };
        Err(response.not_understood(format!("it is not {{\"result\": \"SUCCESS\"}}: {problem}")))
    }

    /// Sends `op` through the pipeline. The temp-purchase access is bound to the access token:
    /// when this client claimed it and its OAuth2 token has been renewed since, a refusal with
    /// `NOT_CURRENT_ACCESS_TOKEN` (which proves nothing was done) is answered by claiming again
    /// once and sending `op` once more.
    async fn send(&self, op: Operation) -> Result<Response, Error> {
        let claimed = self.inner.claimed.load(Ordering::SeqCst);
        let again = (claimed != 0).then(|| op.clone());
        let error = match self.inner.pipeline.send(op).await {
            Err(e) if e.code() == Some(&ResultCode::NotCurrentAccessToken) => e,
            other => return other,
        };
        let Some(op) = again else {
            return Err(error);
        };
        let generation = self.inner.pipeline.protocol().token_generation();
        if generation == claimed {
            return Err(error); // the same token: someone else took the temp purchase
        }
        tracing::info!(
            operation = %op.id(),
            "the OAuth2 token was renewed since the temp purchase was claimed; claiming again"
        );
        self.claim().await?;
        self.inner.pipeline.send(op).await
    }

    /// `GET …/current?set_current_access_token=Y`, sent straight through the pipeline, and the
    /// token generation it was made with remembered.
    pub(crate) async fn claim(&self) -> Result<TransAnswer, Error> {
        let op = self
            .read("current", "supplier-purchase-temp/current".into())
            .query("set_current_access_token", "Y");
        let answer = self.inner.pipeline.call(op).await?;
        let generation = self.inner.pipeline.protocol().token_generation();
        self.inner.claimed.store(generation, Ordering::SeqCst);
        Ok(answer)
    }

    /// Sends a write whose 2xx answer should carry `what`. The server accepted the write, so an
    /// answer without it (204, an empty or unreadable body) is not a plain decode error, which
    /// would read as a failure: it is [`is_outcome_unknown`](CoreError::is_outcome_unknown),
    /// naming the write's reference, so that nobody sends the write again blindly. `None` only
    /// for 204 / an empty body when `empty_ok`.
    pub(crate) async fn write_call<T: DeserializeOwned>(
        &self,
        op: Operation,
        what: &str,
        empty_ok: bool,
    ) -> Result<Option<T>, Error> {
        self.write_call_if(op, what, empty_ok, |_| true).await
    }

    /// [`write_call`](Self::write_call) whose decoded answer must also pass `is_vendors`.
    pub(crate) async fn write_call_if<T: DeserializeOwned>(
        &self,
        op: Operation,
        what: &str,
        empty_ok: bool,
        is_vendors: impl Fn(&T) -> bool,
    ) -> Result<Option<T>, Error> {
        let response = self.send(op).await?;
        let problem = if response.payload().is_none() {
            if empty_ok {
                return Ok(None);
            }
            "no body".to_owned()
        } else {
            match response.decode::<T, ResultCode>() {
                Ok(v) if is_vendors(&v) => return Ok(Some(v)),
                Ok(_) => "not found".to_owned(),
                Err(e) => e.message().unwrap_or("unreadable").to_owned(),
            }
        };
        Err(response.not_understood(format!("it lacks {what}: {problem}")))
    }

    /// Sends a write answered with the current-trans structure (or 204 when `empty_ok`).
    pub(crate) async fn send_current(
        &self,
        op: Operation,
        empty_ok: bool,
    ) -> Result<Option<TempPurchase>, Error> {
        let answer: Option<TransAnswer> = self.write_call(op, "`current_trans`", empty_ok).await?;
        Ok(answer.map(|a| TempPurchase::new(self.clone(), a.into_trans())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_segments() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(segment("id", "a b+ç").unwrap(), "a%20b%2B%C3%A7");
        for bad in ["x\ny", " ", "", "a/b", "..", ".", "a?b", "a#b", "a%41"] {
            assert!(segment("id", bad).unwrap_err().is_validation(), "{bad:?}");
        }
    }
}
