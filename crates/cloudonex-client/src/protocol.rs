//! The CloudOnex protocol: where the API key goes, and how an answer is read.
//!
//! - **Auth.** [`AuthMode::Bearer`] (the default) sends `Authorization: Bearer <key>` to
//!   `<base>/<resource>[/<id>]`. [`AuthMode::QueryString`] is the document's alternative,
//!   `https://your-domain.com/?api_key=<key>&ng=api/v2/<resource>[/<id>]`: the request goes to
//!   the site root (the base URL minus `api/v2/`), with `api_key` first and the route in `ng`.
//!   Printed URLs (tracing spans) show `api_key=***`; errors never carry a URL.
//! - **Answers.** A JSON object with a `success` key is the envelope
//!   `{success, data, message}` / `{success: false, errors, message}`; `success` may be `true`,
//!   `1`, `"1"` or `"true"`. The envelope is recognised whatever the `Content-Type` (PHP's
//!   default is `text/html`). Any other JSON (a bare record or list) is the payload itself.
//!   `data` is decoded straight from the body bytes. `errors` may be an object whose values are
//!   strings or lists of strings (`{"email": ["…"]}`), or PHP's `[]` for none.

use pos_client_core::http::Method;
use pos_client_core::http::header::AUTHORIZATION;
use pos_client_core::path::encode_segment;
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{
    Answer, Error as CoreError, Failure, FieldError, Operation, Payload, Protocol, Transport,
    Verdict,
};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{Code, Error};

/// The vendor name operations carry.
pub(crate) const VENDOR: &str = "cloudonex";

/// Where the API key travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// `Authorization: Bearer <key>` (the document's first method).
    #[default]
    Bearer,
    /// `/?api_key=<key>&ng=api/v2/<endpoint>` (the document's "alternative query string
    /// method"). The key is then part of the URL: servers and proxies may log it. Prefer Bearer.
    QueryString,
}

/// The CloudOnex protocol of a [`crate::Client`].
pub struct CloudOnex {
    key: SecretString,
    mode: AuthMode,
}

impl std::fmt::Debug for CloudOnex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CloudOnex")
            .field("key", &"***")
            .field("mode", &self.mode)
            .finish()
    }
}

/// Refuses ids that could change the route: empty, `.`/`..`, `/`, `\`, `?`, `#`, `%`, control
/// characters, surrounding whitespace, longer than 255 bytes.
pub(crate) fn check_id(id: &str) -> Result<(), Error> {
    let bad = if id.trim().is_empty() {
        Some("is empty")
    } else if id.trim() != id {
        Some("has leading or trailing whitespace")
    } else if id == "." || id == ".." || id.contains("../") || id.contains("..\\") {
        Some("is a relative path")
    } else if id
        .chars()
        .any(|c| matches!(c, '/' | '\\' | '?' | '#' | '%'))
    {
        Some("contains '/', '\\', '?', '#' or '%'")
    } else if id.chars().any(char::is_control) {
        Some("contains a control character")
    } else if id.len() > 255 {
        Some("is longer than 255 bytes")
    } else {
        None
    };
    match bad {
        Some(why) => Err(CoreError::validation(format!("the record id {why}"))),
        None => Ok(()),
    }
}

impl CloudOnex {
    pub(crate) fn new(key: SecretString, mode: AuthMode) -> Self {
        CloudOnex { key, mode }
    }

    /// The auth mode.
    pub fn mode(&self) -> AuthMode {
        self.mode
    }

    /// The operation for `method` on `resource` (and `id`, already checked), in this auth mode.
    pub(crate) fn operation(
        &self,
        name: &'static str,
        method: Method,
        resource: &str,
        id: Option<&str>,
        read: bool,
    ) -> Operation {
        let route = match (id, self.mode) {
            (Some(id), AuthMode::Bearer) => format!("{resource}/{}", encode_segment(id)),
            // In the query string the whole value is form-encoded by the URL builder: the id
            // goes in as it is and the server's `$_GET['ng']` gets it back unchanged.
            (Some(id), AuthMode::QueryString) => format!("{resource}/{id}"),
            (None, _) => resource.to_owned(),
        };
        let (path, ng) = match self.mode {
            AuthMode::Bearer => (route, None),
            // The base URL ends with `api/v2/` (checked when the client is built): the front
            // controller is two levels up.
            AuthMode::QueryString => ("../../".to_owned(), Some(format!("api/v2/{route}"))),
        };
        let op = if read {
            Operation::read(VENDOR, name, method, path)
        } else {
            Operation::write(VENDOR, name, method, path)
        };
        match ng {
            Some(ng) => op.query_secret("api_key", &self.key).query("ng", ng),
            None => op,
        }
    }
}

/// The envelope, read with every part borrowed from the body.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow)]
    success: Option<&'a RawValue>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
    #[serde(default, borrow)]
    errors: Option<&'a RawValue>,
    #[serde(default, borrow)]
    error: Option<&'a RawValue>,
}

/// `true`, `1`, `"1"`, `"true"` (any case) are true; anything else is false.
fn truthy(raw: &RawValue) -> bool {
    let t = raw.get().trim().trim_matches('"').to_ascii_lowercase();
    matches!(t.as_str(), "true" | "1" | "yes" | "ok")
}

/// The `errors` member, in the server's order.
struct ErrorList(Vec<FieldError>);

impl<'de> Deserialize<'de> for ErrorList {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = ErrorList;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of field errors, a list of messages, or null")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<ErrorList, A::Error> {
                let mut out = Vec::new();
                while let Some((field, value)) = map.next_entry::<String, serde_json::Value>()? {
                    out.push(FieldError {
                        field,
                        message: value_text(value).unwrap_or_default(),
                    });
                }
                Ok(ErrorList(out))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<ErrorList, A::Error> {
                let mut out = Vec::new();
                while let Some(value) = seq.next_element::<serde_json::Value>()? {
                    if let Some(message) = value_text(value) {
                        out.push(FieldError {
                            field: String::new(),
                            message,
                        });
                    }
                }
                Ok(ErrorList(out))
            }
            fn visit_unit<E>(self) -> Result<ErrorList, E> {
                Ok(ErrorList(Vec::new()))
            }
            fn visit_none<E>(self) -> Result<ErrorList, E> {
                Ok(ErrorList(Vec::new()))
            }
            fn visit_str<E>(self, v: &str) -> Result<ErrorList, E> {
                Ok(ErrorList(if v.trim().is_empty() {
                    Vec::new()
                } else {
                    vec![FieldError {
                        field: String::new(),
                        message: v.to_owned(),
                    }]
                }))
            }
            fn visit_bool<E>(self, _: bool) -> Result<ErrorList, E> {
                Ok(ErrorList(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A string, a number, or strings in a list (joined with `; `) as text.
fn value_text(value: serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Array(items) => {
            let texts: Vec<String> = items.into_iter().filter_map(value_text).collect();
            (!texts.is_empty()).then(|| texts.join("; "))
        }
        _ => None,
    }
}

/// A scalar (or a list of strings) as text; `None` for null, objects and "".
fn text_of(raw: &RawValue) -> Option<String> {
    value_text(serde_json::from_str(raw.get()).ok()?)
}

/// The `errors` member as field complaints in the server's order: an object of strings or
/// lists of strings; a list of strings gives complaints without a field name; `[]`, `{}` and
/// null give none.
pub(crate) fn field_errors(raw: Option<&RawValue>) -> Vec<FieldError> {
    raw.and_then(|raw| serde_json::from_str::<ErrorList>(raw.get()).ok())
        .map(|l| l.0)
        .unwrap_or_default()
}

impl Protocol for CloudOnex {
    type Code = Code;
    type Credential = ();

    async fn credential(&self, _: &Transport) -> Result<(), Error> {
        Ok(())
    }

    fn authorize(&self, operation: Operation, _: &()) -> Operation {
        match self.mode {
            AuthMode::Bearer => operation.redact(&self.key).header_secret(
                AUTHORIZATION,
                SecretString::from(format!("Bearer {}", self.key.expose_secret())),
            ),
            // `CloudOnex::operation` already put the key first in the query.
            AuthMode::QueryString => operation,
        }
    }

    fn interpret(&self, answer: &Answer<'_>) -> Verdict<Code> {
        let status = answer.status;
        let body = answer.trimmed_body();
        if body.is_empty() {
            return if status.is_success() {
                Verdict::Success(Payload::Nothing)
            } else {
                Verdict::Failure(Failure::uncoded(None, None))
            };
        }
        // The envelope is read whatever the Content-Type says: PHP labels its output
        // `text/html` unless told otherwise, and `"success": false` must never pass for a
        // success. A bare list is the payload itself (never scanned for an envelope).
        let envelope = match body.first() {
            Some(b'{') => serde_json::from_slice::<Envelope<'_>>(body)
                .ok()
                .filter(|e| e.success.is_some()),
            _ => None,
        };
        if envelope.is_none() && !answer.looks_like_json() {
            // A 2xx that is not JSON is decoded (and fails with the status kept); an error
            // page is not the vendor's answer: the status alone speaks.
            return if status.is_success() {
                Verdict::Success(Payload::Whole)
            } else {
                Verdict::Failure(Failure::uncoded(None, None))
            };
        }
        let Some(envelope) = envelope else {
            if status.is_success() {
                return Verdict::Success(Payload::Whole);
            }
            // JSON without the envelope in an error status: typed by status, with what it says.
            let (message, fields) = match serde_json::from_slice::<Envelope<'_>>(body) {
                Ok(e) => (
                    e.message
                        .and_then(text_of)
                        .or_else(|| e.error.and_then(text_of)),
                    field_errors(e.errors),
                ),
                Err(_) => (None, Vec::new()),
            };
            let code = Code::from_answer(status, !fields.is_empty());
            return Verdict::Failure(Failure::of_status(code, message).with_fields(fields));
        };
        let ok = envelope.success.is_some_and(truthy);
        if ok && status.is_success() {
            return Verdict::Success(answer.payload_at(envelope.data));
        }
        let fields = field_errors(envelope.errors);
        let message = envelope
            .message
            .and_then(text_of)
            .or_else(|| envelope.error.and_then(text_of));
        // CloudOnex documents statuses, not codes: a write answered 500 may still have run.
        let code = Code::from_answer(status, !fields.is_empty());
        Verdict::Failure(Failure::of_status(code, message).with_fields(fields))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_checked_and_encoded() {
        for bad in [
            "", " ", "a/b", "..", ".", "a?b", "a#b", "a%2F", "a\nb", " 1", "a\\b",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?} must be refused");
        }
        for good in ["1", "abc-12_x.y~", "a b", "é"] {
            assert!(check_id(good).is_ok(), "{good:?}");
        }
        assert_eq!(encode_segment("a b"), "a%20b");
        assert_eq!(encode_segment("é+&"), "%C3%A9%2B%26");
        assert_eq!(encode_segment("A-1_b.c~"), "A-1_b.c~");
    }

    #[test]
    fn errors_member_in_every_php_shape() {
        let raw = |s: &str| RawValue::from_string(s.to_owned()).unwrap();
        let fields = field_errors(Some(&raw(
            r#"{"email":"Invalid email format","account":["Required","Too short"]}"#,
        )));
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].field, "email");
        assert_eq!(fields[0].message, "Invalid email format");
        assert_eq!(fields[1].message, "Required; Too short");
        assert!(field_errors(Some(&raw("[]"))).is_empty());
        assert!(field_errors(Some(&raw("null"))).is_empty());
        assert_eq!(field_errors(Some(&raw(r#"["x"]"#)))[0].message, "x");
        assert!(truthy(&raw("true")) && truthy(&raw("1")) && truthy(&raw("\"1\"")));
        assert!(!truthy(&raw("false")) && !truthy(&raw("0")) && !truthy(&raw("\"false\"")));
    }
}
