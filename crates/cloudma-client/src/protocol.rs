//! How CloudMA is spoken: where the token goes, and what an answer means.

use std::collections::HashMap;

use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{
    Answer, Error as CoreError, Failure, Operation, Payload, Transport, Verdict,
};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::{Error, ErrorCode};

/// How request bodies are encoded. The token always travels in the body, never in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`, arrays in PHP bracket notation
    /// (`token=…&reference_no=S-1&items[0][code]=A-1&items[0][qty]=2…`). The default.
    ///
    /// The vendor asks for the token "as a POST parameter"; a PHP backend reads POST parameters
    /// from `$_POST`, which only a form body fills.
    #[default]
    Form,
    /// `application/json`: one JSON document with `token` as its first field
    /// (`{"token":"…","reference_no":"S-1","items":[{"code":"A-1","qty":2,…}]}`), for servers
    /// that read the raw JSON body.
    Json,
}

/// The keys under which a wrapped `sync-stock` answer may hold its array, in order of preference.
pub const STOCK_WRAPPER_KEYS: [&str; 4] = ["data", "products", "stock", "items"];

/// CloudMA's protocol: a fixed token as the first body parameter; errors by HTTP status.
pub(crate) struct Cloudma {
    pub(crate) token: SecretString,
    pub(crate) encoding: BodyEncoding,
}

/// A JSON body: the token first, then the request's own fields.
#[derive(Serialize)]
struct JsonBody<'a, T: Serialize> {
    token: &'a str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<&'a T>,
}

impl Cloudma {
    /// The body of `op`: the token first (the documented parameter order), then `fields`, in
    /// the configured encoding.
    pub(crate) fn with_body<T: Serialize>(
        &self,
        op: Operation,
        fields: Option<&T>,
    ) -> Result<Operation, Error> {
        Ok(match self.encoding {
            BodyEncoding::Form => {
                let op = op.form_secret("token", &self.token);
                match fields {
                    Some(fields) => op.php_form(fields).map_err(CoreError::with_codes)?,
                    None => op,
                }
            }
            BodyEncoding::Json => op
                .json(&JsonBody {
                    token: self.token.expose_secret(),
                    fields,
                })
                .map_err(CoreError::with_codes)?
                .redact(&self.token),
        })
    }
}

impl pos_client_core::Protocol for Cloudma {
    type Code = ErrorCode;
    type Credential = ();
    const RENEWS: bool = false;

    async fn credential(&self, _: &Transport) -> Result<(), Error> {
        Ok(())
    }

    /// The token is already the first body parameter ([`Cloudma::with_body`]): its place in the
    /// body is part of the documented wire format.
    fn authorize(&self, operation: Operation, _: &()) -> Operation {
        operation
    }

    fn interpret(&self, answer: &Answer<'_>) -> Verdict<ErrorCode> {
        if answer.status.is_success() {
            return Verdict::Success(stock_payload(answer));
        }
        // Read after a UTF-8 byte-order mark, as the success answers are.
        let body = answer.trimmed_body();
        let text = String::from_utf8_lossy(body);
        // A JSON object or a bare JSON string gave the message; otherwise the text body is it.
        let (_, json_message) = pos_client_core::protocol::probe_error_body(body);
        let message = json_message.or_else(|| {
            let t = text.trim();
            (!t.is_empty() && !t.starts_with(['{', '[', '<'])).then(|| t.to_owned())
        });
        match ErrorCode::from_answer(answer.status.as_u16(), &text, message.as_deref()) {
            // CloudMA documents statuses, not codes: a write answered 500 may still have run.
            Some(code) => Verdict::Failure(Failure::of_status(code, message)),
            None => Verdict::Failure(Failure::uncoded(None, message)),
        }
    }
}

/// A `sync-stock` answer's array: the whole body, or the array under one of
/// [`STOCK_WRAPPER_KEYS`] (`null` there means no products). Push answers are taken whole.
fn stock_payload(answer: &Answer<'_>) -> Payload {
    if answer.operation.name != "sync-stock" || answer.trimmed_body().first() != Some(&b'{') {
        return Payload::Whole;
    }
    // Values as raw JSON text, so that a `null` under a key is seen as such.
    let Ok(wrapper) = serde_json::from_slice::<HashMap<String, &RawValue>>(answer.trimmed_body())
    else {
        return Payload::Whole; // decoding the whole body reports the shape
    };
    let Some(array) = STOCK_WRAPPER_KEYS.iter().find_map(|k| wrapper.get(*k)) else {
        return Payload::Whole;
    };
    answer.payload_at(Some(array))
}
