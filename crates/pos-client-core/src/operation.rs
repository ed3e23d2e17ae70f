//! The operation descriptor: one call, described once, executed by [`crate::Transport`].

use std::borrow::Cow;
use std::fmt;

use http::{HeaderName, Method};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;

use crate::error::{Error, OperationId};

/// A parameter value: plain text, a credential, or a bare key without a value.
#[derive(Clone)]
pub enum Param {
    /// Ordinary text.
    Plain(String),
    /// A credential: sent as is, never printed, redacted from every body snippet.
    Secret(SecretString),
    /// A key without a value, as in CloudPOS' `…&get-products`.
    Flag,
}

impl fmt::Debug for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Param::Plain(v) => fmt::Debug::fmt(v, f),
            Param::Secret(_) => f.write_str(crate::redact::REDACTED),
            Param::Flag => f.write_str("<flag>"),
        }
    }
}

/// The body of a request.
#[derive(Clone, Default)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// `application/x-www-form-urlencoded` pairs.
    Form(Vec<(String, Param)>),
    /// A JSON document, already serialized. It may hold a credential, so it is never printed.
    Json(Vec<u8>),
}

/// One call to a vendor API, described once: who, what, where, and whether it may be repeated.
///
/// Vendor crates build one per method call and hand it to [`crate::Transport::execute`], which
/// applies retries, rate-limit bookkeeping, tracing and decoding. Debug output shows the vendor,
/// operation, method and path, never parameter values.
#[derive(Clone)]
pub struct Operation {
    pub(crate) id: OperationId,
    pub(crate) method: Method,
    /// Borrowed for the usual fixed path: no allocation per call.
    pub(crate) path: Cow<'static, str>,
    pub(crate) query: Vec<(String, Param)>,
    pub(crate) body: Body,
    pub(crate) idempotent: bool,
    pub(crate) reference: Option<String>,
    /// Secrets registered for redaction that are not parameters (a token inside a JSON body);
    /// secret parameters and headers are found where they are ([`Operation::secret_strs`]).
    pub(crate) secrets: Vec<SecretString>,
    pub(crate) answer_is_secret: bool,
    /// Extra headers: ordinary values as [`Param::Plain`], credentials as [`Param::Secret`].
    pub(crate) headers: Vec<(HeaderName, Param)>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) content_type: Option<&'static str>,
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("vendor", &self.id.vendor)
            .field("name", &self.id.name)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("idempotent", &self.idempotent)
            .field("reference", &self.reference)
            .finish_non_exhaustive()
    }
}

impl Operation {
    /// A read: safe to repeat, so retried on timeouts, lost connections and 5xx.
    ///
    /// `path` is relative to the client's base URL (`"sync-stock"`, or `""` for the base itself).
    pub fn read(
        vendor: &'static str,
        name: &'static str,
        method: Method,
        path: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(vendor, name, method, path, true)
    }

    /// A write: never sent again once it may have reached the server.
    pub fn write(
        vendor: &'static str,
        name: &'static str,
        method: Method,
        path: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self::new(vendor, name, method, path, false)
    }

    fn new(
        vendor: &'static str,
        name: &'static str,
        method: Method,
        path: impl Into<Cow<'static, str>>,
        idempotent: bool,
    ) -> Self {
        Operation {
            id: OperationId { vendor, name },
            method,
            path: path.into(),
            query: Vec::new(),
            body: Body::None,
            idempotent,
            reference: None,
            secrets: Vec::new(),
            answer_is_secret: false,
            headers: Vec::new(),
            accept: None,
            content_type: None,
        }
    }

    /// The vendor and operation name.
    pub fn id(&self) -> OperationId {
        self.id
    }

    /// Whether the operation may be repeated safely.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), Param::Plain(value.into())));
        self
    }

    /// Adds a query parameter when `value` is `Some`.
    pub fn query_opt(self, key: impl Into<String>, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.query(key, v),
            None => self,
        }
    }

    /// Adds a bare query key with no value (`?…&get-products`).
    pub fn query_flag(mut self, key: impl Into<String>) -> Self {
        self.query.push((key.into(), Param::Flag));
        self
    }

    /// Adds a credential to the query. Avoid this where the vendor accepts the body; where it
    /// does not, the value is still never printed.
    pub fn query_secret(mut self, key: impl Into<String>, secret: &SecretString) -> Self {
        self.query.push((key.into(), Param::Secret(secret.clone())));
        self
    }

    /// Adds a header whose value is a credential (`Authorization: Bearer …`): sent as is, never
    /// printed, redacted from every body snippet.
    pub fn header_secret(mut self, name: HeaderName, value: SecretString) -> Self {
        self.headers.push((name, Param::Secret(value)));
        self
    }

    /// Adds an ordinary header. Values with control characters are refused before sending.
    pub fn header(mut self, name: HeaderName, value: impl Into<String>) -> Result<Self, Error> {
        let value = value.into();
        if value.chars().any(|c| c.is_control()) {
            return Err(Error::validation(format!(
                "{}: the value of header {name} contains a control character",
                self.id
            )));
        }
        self.headers.push((name, Param::Plain(value)));
        Ok(self)
    }

    /// The media type asked for in `Accept` (default `application/json`).
    pub fn accept(mut self, media_type: &'static str) -> Self {
        self.accept = Some(media_type);
        self
    }

    /// The `Content-Type` of a JSON body (default `application/json`), for vendors with their
    /// own media type.
    pub fn content_type(mut self, media_type: &'static str) -> Self {
        self.content_type = Some(media_type);
        self
    }

    /// The operation's method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The caller's reference of a write, when set.
    pub fn reference_text(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// Adds a form field (and makes the body a form if it was empty).
    pub fn form(self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.form_param(key.into(), Param::Plain(value.into()))
    }

    /// Adds a form field when `value` is `Some`.
    pub fn form_opt(self, key: impl Into<String>, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(v) => self.form(key, v),
            None => self,
        }
    }

    /// Adds a credential as a form field.
    pub fn form_secret(self, key: impl Into<String>, secret: &SecretString) -> Self {
        self.form_param(key.into(), Param::Secret(secret.clone()))
    }

    fn form_param(mut self, key: String, value: Param) -> Self {
        match &mut self.body {
            Body::Form(pairs) => pairs.push((key, value)),
            _ => self.body = Body::Form(vec![(key, value)]),
        }
        self
    }

    /// Sets a JSON body. Decimals in it should use [`crate::encoding`]'s number adapters.
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::validation(format!("{}: cannot encode the request: {e}", self.id))
        })?;
        // A form it replaces no longer carries its secrets: keep them registered for redaction.
        if let Body::Form(pairs) = std::mem::replace(&mut self.body, Body::Json(bytes)) {
            self.secrets
                .extend(pairs.into_iter().filter_map(|(_, v)| match v {
                    Param::Secret(s) => Some(s),
                    _ => None,
                }));
        }
        Ok(self)
    }

    /// Sets the body to form pairs flattened from a JSON-serializable value in PHP bracket
    /// notation (`items[0][code]=…`); see [`crate::form::php_form_pairs`].
    pub fn php_form<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self, Error> {
        let json = serde_json::to_vec(body).map_err(|e| {
            Error::validation(format!("{}: cannot encode the request: {e}", self.id))
        })?;
        let pairs = crate::form::php_form_pairs(&json).map_err(|e| {
            Error::validation(format!("{}: cannot encode the request: {e}", self.id))
        })?;
        let mut pairs: Vec<(String, Param)> = pairs
            .into_iter()
            .map(|(k, v)| (k, Param::Plain(v)))
            .collect();
        if let Body::Form(existing) = std::mem::take(&mut self.body) {
            pairs.splice(0..0, existing);
        }
        self.body = Body::Form(pairs);
        Ok(self)
    }

    /// Marks the answer as carrying a credential (a login that returns an access token): error
    /// snippets of its body are withheld and decode errors do not quote it, since the secret is
    /// not known until the answer has been decoded.
    pub fn answer_carries_secret(mut self) -> Self {
        self.answer_is_secret = true;
        self
    }

    /// Registers a secret that the body may contain (a token inside a JSON body), so that it is
    /// redacted from any body snippet.
    pub fn redact(mut self, secret: &SecretString) -> Self {
        self.secrets.push(secret.clone());
        self
    }

    /// Names the caller's reference for a write (a sale's reference number, a document uid).
    /// An [`Error::OutcomeUnknown`] carries it.
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Every secret of the operation, for redaction: the registered ones and the secret
    /// parameters of the query, the form body and the headers (kept once, not copied).
    pub(crate) fn secret_strs(&self) -> Vec<&str> {
        let form: &[(String, Param)] = match &self.body {
            Body::Form(pairs) => pairs,
            _ => &[],
        };
        let params = (self.query.iter().chain(form).map(|(_, v)| v))
            .chain(self.headers.iter().map(|(_, v)| v))
            .filter_map(|v| match v {
                Param::Secret(s) => Some(s.expose_secret()),
                _ => None,
            });
        self.secrets
            .iter()
            .map(|s| s.expose_secret())
            .chain(params)
            .collect()
    }
}

/// One documented operation of a vendor, as its spec notes list it (`[[operation]]`): codegen
/// writes the list as `models::OPERATIONS`, and tooling (the reliability suite, fuzzing) walks
/// it, so a new operation is covered as soon as its spec note exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The operation's name, as in [`OperationId::name`].
    pub name: &'static str,
    /// Whether it changes state on the server (never sent again by the library once it may have
    /// been carried out).
    pub write: bool,
}

/// Encodes form pairs as `application/x-www-form-urlencoded`.
pub(crate) fn encode_form(pairs: &[(String, Param)]) -> String {
    // Sized for the usual unescaped text, so that the string is not regrown pair by pair.
    let len: usize = pairs
        .iter()
        .map(|(k, v)| {
            k.len()
                + 2
                + match v {
                    Param::Plain(v) => v.len(),
                    Param::Secret(s) => s.expose_secret().len(),
                    Param::Flag => 0,
                }
        })
        .sum();
    let mut out = url::form_urlencoded::Serializer::new(String::with_capacity(len));
    for (k, v) in pairs {
        match v {
            Param::Plain(v) => {
                out.append_pair(k, v);
            }
            Param::Secret(s) => {
                out.append_pair(k, s.expose_secret());
            }
            Param::Flag => {
                out.append_key_only(k);
            }
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_parameter_values() {
        let token = SecretString::from("TOKEN-1234");
        let op = Operation::write("v", "op", Method::POST, "x")
            .query("shown-key", "hidden-value")
            .form_secret("token", &token)
            .json(&serde_json::json!({"token": "TOKEN-1234"}))
            .unwrap()
            .reference("REF-1");
        let debug = format!("{op:?}");
        assert!(!debug.contains("TOKEN-1234"), "{debug}");
        assert!(!debug.contains("hidden-value"), "{debug}");
        assert!(debug.contains("REF-1"));
        assert_eq!(format!("{:?}", Param::Secret(token)), "***");
    }

    #[test]
    fn every_secret_is_registered_for_redaction_once() {
        let [q, f, h, j] = ["Q-1", "F-2", "H-3", "J-4"].map(SecretString::from);
        let op = Operation::read("v", "op", Method::POST, "")
            .query_secret("q", &q)
            .query("plain", "shown")
            .form_secret("f", &f)
            .header_secret(http::header::AUTHORIZATION, h)
            .header(http::header::USER_AGENT, "plain/1")
            .unwrap()
            .redact(&j);
        let mut secrets = op.secret_strs();
        secrets.sort_unstable();
        assert_eq!(secrets, ["F-2", "H-3", "J-4", "Q-1"]);
        // A JSON body that replaces a form keeps the form's secrets registered.
        let op = op.json(&serde_json::json!({})).unwrap();
        let mut secrets = op.secret_strs();
        secrets.sort_unstable();
        assert_eq!(secrets, ["F-2", "H-3", "J-4", "Q-1"]);
    }

    #[test]
    fn form_encoding_keeps_order_and_flags() {
        let token = SecretString::from("a b&c");
        let op = Operation::read("v", "op", Method::POST, "")
            .form("first", "1")
            .form_secret("token", &token)
            .form_opt("absent", None::<String>)
            .form_param("flag".into(), Param::Flag);
        let Body::Form(pairs) = &op.body else {
            panic!("form body expected")
        };
        assert_eq!(encode_form(pairs), "first=1&token=a+b%26c&flag");
    }
}
