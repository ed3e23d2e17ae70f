//! The vendor protocol: the vendor knowledge the one execution path asks for.
//!
//! A vendor crate implements [`Protocol`] once and hands it, with a [`crate::Transport`], to a
//! [`crate::Pipeline`]. The pipeline then takes every call from the [`crate::Operation`] to the
//! typed result in one direction:
//!
//! 1. [`Protocol::admit`]: guards that may refuse to send (a lockout, a daily quota);
//! 2. [`Protocol::credential`]: the credential of this call (a fixed token, or a session token
//!    that is logged in lazily, single-flight: see [`crate::Session`]);
//! 3. [`Protocol::authorize`]: the credential goes into the operation (query or form parameter,
//!    header, Bearer, Basic);
//! 4. per attempt, [`Protocol::sign`] (request signatures such as HTTP Digest) and
//!    [`Protocol::interpret`]: the complete answer becomes a success with the part of the body
//!    to decode, or a vendor failure with its typed code. The code's [`CodeClass`] feeds
//!    [`crate::retry::decide`];
//! 5. a failure of class [`CodeClass::TokenRefused`] makes the pipeline call
//!    [`Protocol::renew`] and send the call once more;
//! 6. [`Protocol::observe`] sees the final result (lockout bookkeeping).
//!
//! This is a small cousin of smithy-rs' orchestrator (interceptors, retry classifiers) and of
//! progenitor-client's hooks: one trait, default methods for what most vendors do not need.

use std::future::Future;
use std::ops::Range;

use http::{HeaderMap, HeaderName, Method, StatusCode};
use secrecy::SecretString;
use serde_json::value::RawValue;
use url::Url;

use crate::error::{CodeClass, Error, FieldError, OperationId, VendorCode};
use crate::operation::Operation;
use crate::response::Response;
use crate::transport::Transport;

/// A complete HTTP answer, as the protocol sees it (any status).
#[derive(Clone, Copy)]
pub struct Answer<'a> {
    /// The operation this answers.
    pub operation: OperationId,
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: &'a HeaderMap,
    /// The whole body.
    pub body: &'a [u8],
}

impl Answer<'_> {
    /// The body with leading whitespace and a UTF-8 byte-order mark skipped, as PHP servers
    /// sometimes send it.
    pub fn trimmed_body(&self) -> &[u8] {
        let body = crate::encoding::without_bom(self.body);
        let start = body
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(body.len());
        &body[start..]
    }

    /// The range of `part` inside the body, for a `part` borrowed from it (a `&RawValue` of an
    /// envelope decoded from [`Answer::body`]). `None` when `part` does not lie in the body.
    pub fn range_of(&self, part: &str) -> Option<Range<usize>> {
        range_in(self.body, part)
    }

    /// The payload at `part`, a value of an envelope decoded from [`Answer::body`] (its `data`
    /// read as `&RawValue`): absent or `null` is [`Payload::Nothing`], else its range of the
    /// body ([`Payload::Whole`] if it does not lie in the body).
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use pos_client_core::{Answer, OperationId, Payload, http::{HeaderMap, StatusCode}};
    /// use serde_json::value::RawValue;
    ///
    /// let body = br#"{"status":1,"data":[1,2],"gone":null}"#;
    /// let headers = HeaderMap::new();
    /// let answer = Answer {
    ///     operation: OperationId { vendor: "toy", name: "list" },
    ///     status: StatusCode::OK,
    ///     headers: &headers,
    ///     body,
    /// };
    /// let envelope: HashMap<&str, &RawValue> = serde_json::from_slice(body)?;
    /// assert_eq!(answer.payload_at(envelope.get("data").copied()), Payload::Part(19..24));
    /// assert_eq!(answer.payload_at(envelope.get("gone").copied()), Payload::Nothing);
    /// assert_eq!(answer.payload_at(None), Payload::Nothing);
    /// let elsewhere: &RawValue = serde_json::from_str("[3]")?;
    /// assert_eq!(answer.payload_at(Some(elsewhere)), Payload::Whole);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn payload_at(&self, part: Option<&RawValue>) -> Payload {
        Payload::within(self.body, part)
    }

    /// Whether the answer says it is JSON (or has no content type and looks like JSON).
    pub fn looks_like_json(&self) -> bool {
        let declared = self
            .headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.to_ascii_lowercase());
        match declared {
            Some(ct) if ct.contains("json") => true,
            Some(ct) if ct.contains("html") || ct.contains("xml") => false,
            _ => matches!(self.trimmed_body().first(), Some(b'{' | b'[')),
        }
    }
}

/// Which part of a successful answer holds the model.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Payload {
    /// The whole body.
    #[default]
    Whole,
    /// This byte range of the body (an envelope's `data`), decoded without copying.
    Part(Range<usize>),
    /// Nothing: the answer carries no model (`data` absent or `null`, an empty body, 204).
    Nothing,
}

impl Payload {
    /// The payload at `part`, a value borrowed from `body`, as [`Answer::payload_at`] finds it
    /// (for a vendor crate that reads a body outside an [`Answer`] too).
    pub fn within(body: &[u8], part: Option<&RawValue>) -> Payload {
        match part {
            Some(raw) if raw.get().trim() != "null" => {
                range_in(body, raw.get()).map_or(Payload::Whole, Payload::Part)
            }
            _ => Payload::Nothing,
        }
    }
}

/// The range of `part` inside `body`, for a `part` borrowed from it.
fn range_in(body: &[u8], part: &str) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(body.as_ptr() as usize)?;
    let end = start.checked_add(part.len())?;
    (end <= body.len()).then_some(start..end)
}

/// Tells one call apart from the others in a guard's bookkeeping: the pipeline numbers every
/// call it admits, and hands the same number to [`Protocol::admit`], [`Protocol::observe`] and
/// [`Protocol::abandon`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CallId(pub u64);

/// What a vendor reported as a failure.
#[derive(Debug, Clone)]
pub struct Failure<C> {
    /// The vendor's code, when the answer carried one the vendor crate can type.
    pub code: Option<C>,
    /// An untyped code the body carried (kept when `code` is `None`).
    pub code_text: Option<String>,
    /// The vendor's message.
    pub message: Option<String>,
    /// Field complaints of a validation answer.
    pub fields: Vec<FieldError>,
    /// Whether `code` only names the HTTP status (a vendor that documents statuses, not codes):
    /// then it says no more than the status about what failed.
    pub status_only: bool,
}

impl<C> Default for Failure<C> {
    fn default() -> Self {
        Failure {
            code: None,
            code_text: None,
            message: None,
            fields: Vec::new(),
            status_only: false,
        }
    }
}

impl<C> Failure<C> {
    /// A failure with the vendor's code and message.
    pub fn coded(code: C, message: Option<String>) -> Self {
        Failure {
            code: Some(code),
            message,
            ..Failure::default()
        }
    }

    /// A failure typed by its HTTP status alone (CloudMA's and CloudOnex's codes): a write
    /// answered 500 this way may still have been carried out, as with no code at all.
    pub fn of_status(code: C, message: Option<String>) -> Self {
        Failure {
            status_only: true,
            ..Failure::coded(code, message)
        }
    }

    /// A failure without a typed code: the status decides (HTTP errors, HTML pages).
    pub fn uncoded(code_text: Option<String>, message: Option<String>) -> Self {
        Failure {
            code_text,
            message,
            ..Failure::default()
        }
    }

    /// Adds field complaints.
    pub fn with_fields(mut self, fields: Vec<FieldError>) -> Self {
        self.fields = fields;
        self
    }
}

/// What the vendor makes of one complete answer.
#[derive(Debug, Clone)]
pub enum Verdict<C> {
    /// A success: decode the model from this part of the body.
    Success(Payload),
    /// A failure (in an error status, or inside a 2xx body).
    Failure(Failure<C>),
}

impl<C: VendorCode> Verdict<C> {
    /// The class the retry decision sees: `None` for a success or a failure without a code
    /// (then the HTTP status alone decides).
    pub fn class(&self) -> Option<CodeClass> {
        match self {
            Verdict::Failure(Failure { code: Some(c), .. }) => Some(c.class()),
            _ => None,
        }
    }
}

/// The vendor knowledge the [`crate::Pipeline`] asks for. See the module docs for the order.
pub trait Protocol: Send + Sync + 'static {
    /// The vendor's error codes.
    type Code: VendorCode;
    /// What one call authorizes with: a token, a session token with its generation, `()`.
    type Credential: Send + Sync;

    /// Whether [`renew`](Self::renew) may give a fresh credential. To send a call a second time
    /// the pipeline keeps a copy of its operation; a protocol that never renews sets this to
    /// `false` and saves that copy on every call.
    const RENEWS: bool = true;

    /// Refuses to send when a guard says so (a lockout, a used-up quota). Nothing is sent then.
    fn admit(&self, operation: &Operation, call: CallId) -> Result<(), Error<Self::Code>> {
        let _ = (operation, call);
        Ok(())
    }

    /// The credential for the next call: a fixed token, or a session that logs in when it has
    /// no token yet (through `transport`, single-flight).
    fn credential(
        &self,
        transport: &Transport,
    ) -> impl Future<Output = Result<Self::Credential, Error<Self::Code>>> + Send;

    /// Puts the credential into the operation (a query or form parameter, a header). Use the
    /// operation's `*_secret` methods, so that the value is never printed.
    fn authorize(&self, operation: Operation, credential: &Self::Credential) -> Operation;

    /// A header to add to one attempt, computed from the attempt's method and URL (HTTP Digest).
    /// Called before every attempt; the default adds nothing.
    fn sign(
        &self,
        method: &Method,
        url: &Url,
        credential: &Self::Credential,
    ) -> Option<(HeaderName, SecretString)> {
        let _ = (method, url, credential);
        None
    }

    /// Called before each attempt is handed to the HTTP stack, retries included (a quota that
    /// counts every request the server may see). The default does nothing.
    fn on_attempt(&self, operation: OperationId) {
        let _ = operation;
    }

    /// Reads one complete answer, of any status.
    fn interpret(&self, answer: &Answer<'_>) -> Verdict<Self::Code>;

    /// After an answer of class [`CodeClass::TokenRefused`]: a fresh credential (log in again,
    /// answer a new challenge), or `None` when there is nothing to renew. The pipeline renews at
    /// most once per call, and sends the call again only after such an answer — the server's
    /// refusal proves the first request was not carried out, so a write is never doubled.
    fn renew(
        &self,
        transport: &Transport,
        stale: Self::Credential,
    ) -> impl Future<Output = Result<Option<Self::Credential>, Error<Self::Code>>> + Send {
        let _ = (transport, stale);
        std::future::ready(Ok(None))
    }

    /// Sees the final result of every admitted call (lockout bookkeeping).
    fn observe(
        &self,
        operation: OperationId,
        call: CallId,
        result: Result<&Response, &Error<Self::Code>>,
    ) {
        let _ = (operation, call, result);
    }

    /// Called instead of [`observe`](Self::observe) when an admitted call ends without a result:
    /// its future was dropped (a caller's timeout, a cancelled task). A guard that reserved
    /// something in [`admit`](Self::admit) releases it here; whether the request reached the
    /// server is unknown.
    fn abandon(&self, operation: OperationId, call: CallId) {
        let _ = (operation, call);
    }
}

/// Reads a code and a message out of a JSON error body (after a byte-order mark), trying the
/// usual field names (`errorcode`/`error_code`/`code`; `message`/`msg`/`error_description`/
/// `error`/`detail`/`title`); a bare JSON string (PHP's `json_encode("…")`) is the message.
/// Other bodies give `(None, None)`.
pub fn probe_error_body(body: &[u8]) -> (Option<String>, Option<String>) {
    let map = match serde_json::from_slice::<serde_json::Value>(crate::encoding::without_bom(body))
    {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(serde_json::Value::String(s)) if !s.trim().is_empty() => {
            return (None, Some(s.trim().to_owned()));
        }
        _ => return (None, None),
    };
    let map = serde_json::Value::Object(map);
    (
        text_field(&map, &["errorcode", "error_code", "code"]),
        text_field(
            &map,
            &[
                "message",
                "msg",
                "error_description",
                "error",
                "detail",
                "title",
            ],
        ),
    )
}

/// The first of `keys` in the JSON object `value` that holds a non-blank string (trimmed) or a
/// number (as its text).
///
/// ```
/// use pos_client_core::protocol::text_field;
/// let body = serde_json::json!({"msg": " ", "id": 17, "message": " Saved "});
/// assert_eq!(text_field(&body, &["msg", "message"]).as_deref(), Some("Saved"));
/// assert_eq!(text_field(&body, &["sale_id", "id"]).as_deref(), Some("17"));
/// assert_eq!(text_field(&body, &["code"]), None);
/// ```
pub fn text_field(value: &serde_json::Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match value.get(*k)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_yield_probe_error_body_where_present() {
        assert_eq!(
            probe_error_body(br#"{"errorcode":1002,"message":"Token or name not valid"}"#),
            (Some("1002".into()), Some("Token or name not valid".into()))
        );
        assert_eq!(
            probe_error_body(br#"{"status":0,"msg":"Invalid UID"}"#),
            (None, Some("Invalid UID".into()))
        );
        assert_eq!(
            probe_error_body(b"<html>502 Bad Gateway</html>"),
            (None, None)
        );
        assert_eq!(probe_error_body(b"[1,2]"), (None, None));
        assert_eq!(
            probe_error_body(b"\xEF\xBB\xBF{\"code\":\"B 2\",\"message\":\"No\"}"),
            (Some("B 2".into()), Some("No".into()))
        );
        assert_eq!(
            probe_error_body(br#"" Product Not Found ""#),
            (None, Some("Product Not Found".into()))
        );
        assert_eq!(probe_error_body(br#""  ""#), (None, None));
    }
}
