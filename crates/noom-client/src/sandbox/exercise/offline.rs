//! Offline decoding: the client's protocol and the post-processing of each act's method, run
//! over an answer without a server.

use pos_client_core::error::BodySnippet;
use pos_client_core::http::{HeaderMap, StatusCode};
use pos_client_core::redact::redact_secrets;
use pos_client_core::secrecy::ExposeSecret;
use pos_client_core::{Answer, Operation, Payload, Protocol, Session, Verdict};
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::error::Error;
use crate::ids::DocUid;
use crate::models::{
    AccessTokenData, CompleteData, DocUidData, DocumentData, GetDocData, PaymentModes,
};
use crate::protocol::{Noom, ParamPlacement};
use crate::sandbox::{SANDBOX_PASSWORD, SANDBOX_USER};

/// The client's protocol with the sandbox's credentials, for decoding without a server.
pub(super) struct Offline {
    noom: Noom,
}

impl Offline {
    pub(super) fn new() -> Self {
        Offline {
            noom: Noom {
                user: SANDBOX_USER.to_owned(),
                password: SANDBOX_PASSWORD.into(),
                placement: ParamPlacement::default(),
                session: Session::new(),
            },
        }
    }

    /// The operation as the client builds it for `act` (parameters do not matter to decoding,
    /// only the operation's id, kind and secrets).
    fn operation(&self, act: &'static str, read: bool) -> Operation {
        let op = self.noom.act(act, read, Vec::new());
        if act == "USERACCESS" {
            op.answer_carries_secret()
        } else {
            op
        }
    }

    /// What the client's method of `operation` makes of the answer.
    pub(super) fn decode(
        &self,
        operation: &str,
        status: StatusCode,
        body: &[u8],
    ) -> Result<(), Error> {
        let Some(spec) = crate::models::OPERATIONS
            .iter()
            .find(|op| op.name == operation)
        else {
            return Err(Error::validation(format!("unknown act `{operation}`")));
        };
        let act = spec.name;
        let op = self.operation(act, !spec.write);
        let answer = Answered {
            op: &op,
            status,
            body,
            password: self.noom.password.expose_secret(),
        };
        let payload = self.conclude(&answer)?;
        match act {
            "USERACCESS" => {
                let data: AccessTokenData = self.required(&answer, &payload)?;
                if data.access_token.trim().is_empty() {
                    return Err(answer.decode_error("USERACCESS returned an empty access token"));
                }
                Ok(())
            }
            "ODOC_LIST" => {
                type List = pos_client_core::serde_with::de::DeserializeAsWrap<
                    Vec<DocUidData>,
                    pos_client_core::encoding::OneOrMany,
                >;
                let Some(list) = self.data::<List>(&answer, &payload)? else {
                    return Ok(());
                };
                for d in list.into_inner() {
                    DocUid::new(d.doc_uid.trim())
                        .map_err(|e| answer.decode_error(e.to_string()))?;
                }
                Ok(())
            }
            "ODOC_NEW" => {
                let data: DocUidData = self.required(&answer, &payload)?;
                DocUid::new(data.doc_uid.trim())
                    .map(drop)
                    .map_err(|e| answer.decode_error(e.to_string()))
            }
            "ODOC_MODIFY" => match self.data::<DocUidData>(&answer, &payload) {
                Ok(Some(d)) if !d.doc_uid.trim().is_empty() => DocUid::new(d.doc_uid.trim())
                    .map(drop)
                    .map_err(|e| answer.decode_error(e.to_string())),
                _ => Ok(()),
            },
            "ODOC_SETDATA" | "ODOC_ITEMSALE" | "ODOC_BARCODESALE" | "ODOC_ITEMSETQTY"
            | "ODOC_ROWDEL" | "ODOC_SETPAYMENT" => {
                let data: GetDocData = self.required(&answer, &payload)?;
                answer.saved(data.getdoc_data.as_ref())
            }
            "ODOC_GETDOC" => self.required::<DocumentData>(&answer, &payload).map(drop),
            "ODOC_GETPAYMODES" => {
                self.required::<PaymentModes>(&answer, &payload)?;
                let data: GetDocData = self.required(&answer, &payload)?;
                answer.saved(data.getdoc_data.as_ref())
            }
            "ODOC_COMPLETE" => {
                let data: CompleteData = self.required(&answer, &payload)?;
                answer.saved(data.getdoc_data.as_ref())
            }
            // ODOC_CHECK, ODOC_ADDEVENT, ODOC_CANCEL, DOCCHANGESTATE: the envelope only.
            _ => Ok(()),
        }
    }

    /// The pipeline's verdict: the payload of a success, or the error a live call gives
    /// (through the core's own mapping, `decode_answer`).
    fn conclude(&self, answer: &Answered<'_>) -> Result<Payload, Error> {
        let headers = HeaderMap::new();
        let verdict = self.noom.interpret(&Answer {
            operation: answer.op.id(),
            status: answer.status,
            headers: &headers,
            body: answer.body,
        });
        match verdict {
            Verdict::Success(payload) => Ok(payload),
            Verdict::Failure(_) => Err(self
                .decode_with::<IgnoredAny>(answer)
                .err()
                .unwrap_or_else(|| answer.decode_error("a failed answer decoded"))),
        }
    }

    /// [`pos_client_core::decode_answer`] of the answer into `T`.
    fn decode_with<T: DeserializeOwned>(&self, answer: &Answered<'_>) -> Result<T, Error> {
        pos_client_core::decode_answer::<Noom, T>(
            &self.noom,
            answer.op,
            answer.status,
            HeaderMap::new(),
            answer.body.to_vec().into(),
        )
    }

    /// The client's `protocol::data`: `None` without `data`, an error for a body that is no
    /// envelope, else the decoded `data`.
    fn data<T: DeserializeOwned>(
        &self,
        answer: &Answered<'_>,
        payload: &Payload,
    ) -> Result<Option<T>, Error> {
        match payload {
            Payload::Nothing => Ok(None),
            Payload::Whole => {
                Err(answer.decode_error("expected a NOOM envelope with `status` 1 or 0"))
            }
            Payload::Part(_) => self.decode_with::<T>(answer).map(Some),
        }
    }

    /// The client's `protocol::required_data`.
    fn required<T: DeserializeOwned>(
        &self,
        answer: &Answered<'_>,
        payload: &Payload,
    ) -> Result<T, Error> {
        self.data(answer, payload)?
            .ok_or_else(|| answer.decode_error("`data` is missing or null"))
    }
}

/// The longest decode message kept (as the core bounds `Response::decode_error`'s).
const MAX_MESSAGE: usize = 1024;

/// One answer being decoded offline.
struct Answered<'a> {
    op: &'a Operation,
    status: StatusCode,
    body: &'a [u8],
    password: &'a str,
}

impl Answered<'_> {
    /// A decode error as `Response::decode_error` makes it (bounded, redacted, snippet withheld
    /// for an answer that carries a credential).
    fn decode_error(&self, message: impl Into<String>) -> Error {
        let secret = self.op.id().name == "USERACCESS";
        let (message, body) = if secret {
            (
                "the answer does not have the expected shape (details withheld: it carries a credential)"
                    .to_owned(),
                BodySnippet::withheld(),
            )
        } else {
            let mut message = redact_secrets(&message.into(), &[self.password]);
            if message.len() > MAX_MESSAGE {
                let mut end = MAX_MESSAGE;
                while !message.is_char_boundary(end) {
                    end -= 1;
                }
                message.truncate(end);
                message.push('…');
            }
            (message, BodySnippet::new(self.body, &[self.password]))
        };
        Error::Decode {
            operation: self.op.id(),
            status: self.status,
            message,
            body,
        }
    }

    /// The client's check that a `getdoc=1` answer carries `data.getdocdata`.
    fn saved(&self, doc: Option<&DocumentData>) -> Result<(), Error> {
        doc.map(drop)
            .ok_or_else(|| self.decode_error("getdoc=1 was sent but `data.getdocdata` is missing"))
    }
}
