//! [`Response`]: a successful answer, with the part of its body that holds the model.

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::encoding::without_bom;
use crate::error::{BodySnippet, Error, OperationId, VendorCode};
use crate::operation::Operation;
use crate::protocol::Payload;

/// A complete answer that the vendor protocol judged a success.
pub struct Response {
    pub(crate) operation: OperationId,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) payload: Payload,
    /// The operation answered, moved here after the last attempt: its secrets are redacted from
    /// what this response prints, and its answer may be marked secret.
    pub(crate) request: Operation,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("payload", &self.payload)
            .field("body", &self.snippet())
            .finish_non_exhaustive()
    }
}

impl Response {
    /// The operation this answers.
    pub fn operation(&self) -> OperationId {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// The bytes that hold the model (the whole body, or an envelope's `data`); `None` when the
    /// answer carries no model.
    pub fn payload(&self) -> Option<&[u8]> {
        match &self.payload {
            Payload::Whole => Some(&self.body),
            Payload::Part(range) => self.body.get(range.clone()),
            Payload::Nothing => None,
        }
    }

    /// A bounded excerpt of the body with the operation's secrets redacted.
    /// Withheld entirely when the operation said its answer carries a credential.
    pub fn snippet(&self) -> BodySnippet {
        if self.request.answer_is_secret {
            return BodySnippet::withheld();
        }
        BodySnippet::new(&self.body, &self.request.secret_strs())
    }

    /// Decodes the payload into `T`, straight from the body bytes. An answer without a payload
    /// decodes as JSON `null` (so `Option<T>` gives `None`, a list type an error).
    pub fn decode<T: DeserializeOwned, C: VendorCode>(&self) -> Result<T, Error<C>> {
        let bytes = without_bom(self.payload().unwrap_or(b"null"));
        serde_json::from_slice(bytes).map_err(|e| self.decode_error(e.to_string()).with_codes())
    }

    /// Decodes the whole body as JSON into `T`; a mismatch gives [`Error::Decode`] with a snippet.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(without_bom(&self.body))
            .map_err(|e| self.decode_error(e.to_string()))
    }

    /// An [`Error::Decode`] for this response.
    ///
    /// The message is redacted too: decoders quote offending values, which may be an echoed token.
    /// Give it a vendor's codes with [`Error::with_codes`].
    pub fn decode_error(&self, message: impl Into<String>) -> Error {
        let secrets = self.request.secret_strs();
        let message = if self.request.answer_is_secret {
            "the answer does not have the expected shape (details withheld: it carries a credential)"
                .to_owned()
        } else {
            bounded(crate::redact::redact_secrets(&message.into(), &secrets))
        };
        Error::Decode {
            operation: self.operation,
            status: self.status,
            message,
            body: self.snippet(),
        }
    }

    /// The error for a success answer that does not say what the vendor documents (`problem`:
    /// no envelope, a missing part, a record that does not decode). For a write it is
    /// [`Error::OutcomeUnknown`] naming the write's reference: the server may have carried the
    /// write out, so the error must not read as a plain failure that invites sending it again.
    /// For a read it is [`Error::Decode`].
    pub fn not_understood<C: VendorCode>(&self, problem: impl Into<String>) -> Error<C> {
        let problem = problem.into();
        if self.request.idempotent {
            return self.decode_error(problem).with_codes();
        }
        let secrets = self.request.secret_strs();
        let problem = bounded(crate::redact::redact_secrets(&problem, &secrets));
        Error::OutcomeUnknown {
            operation: self.operation,
            reference: self.request.reference.clone(),
            status: Some(self.status),
            cause: format!(
                "the server accepted the request, but its answer is not the vendor's ({problem}); check the reference before sending the write again"
            ),
        }
    }

    /// An [`Error::Http`] for this response, for vendors that report errors inside a 2xx body
    /// and have no typed code for them.
    pub fn http_error(&self, code: Option<String>, message: Option<String>) -> Error {
        let secrets = self.request.secret_strs();
        let redact = |s: String| bounded(crate::redact::redact_secrets(&s, &secrets));
        Error::Http {
            operation: self.operation,
            status: self.status,
            code: code.map(redact),
            message: message.map(redact),
            body: self.snippet(),
        }
    }
}

/// Cuts a decoder's message to a bounded length: serde quotes offending input, which may be huge.
pub(crate) fn bounded(mut message: String) -> String {
    const MAX: usize = 512;
    if message.len() > MAX {
        let mut cut = MAX;
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        message.truncate(cut);
        message.push('…');
    }
    message
}
