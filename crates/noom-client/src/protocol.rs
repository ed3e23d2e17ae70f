//! How NOOM is spoken: where `act`, the parameters and the access token go, the session that
//! `USERACCESS` opens, and what an answer's envelope `{status, msg, time, data}` means.

use pos_client_core::encoding::{int_text, json_or_js_object, scalar_text};
use pos_client_core::http::{HeaderMap, Method, StatusCode};
use pos_client_core::protocol::probe_error_body;
use pos_client_core::secrecy::SecretString;
use pos_client_core::validate::{add_form, add_query, query_len};
use pos_client_core::{
    Answer, Failure, Operation, Param, Payload, Protocol, Response, Session, Transport, Verdict,
};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::error::{Error, NoomCode};
use crate::models::AccessTokenData;

/// The vendor name used in errors and tracing spans.
pub const VENDOR: &str = "noom";

/// Where `act`, `accesstoken` and the act's parameters travel. Every call is a `POST`.
///
/// The vendor's document: "Access token must be provided as part of the query string for all
/// requests, using the 'accesstoken' variable", "Every API call is a HTTP POST request in
/// traditional parameter1=value1&parameter2=value2 format", and every example request puts all
/// its parameters in the URL (`?act=ODOC_ITEMSALE&docuid=…&accesstoken=…`). A server may read
/// the parameters from the query (as the examples send them) or from the POST body (as the
/// sentence reads); the document does not say which. The default,
/// [`ParamPlacement::QueryAndBody`], satisfies both readings. The token in the URL is never
/// printed: errors, Debug output, tracing spans and logs show `accesstoken=***`, a password
/// `pass=***`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParamPlacement {
    /// The default: the query string exactly as the vendor's example URLs show it (`act`, the
    /// parameters, then `accesstoken`), and `act` and the same parameters again in an
    /// `application/x-www-form-urlencoded` body, so a server reading either finds them, with the
    /// same value (the token only in the query, where the document says it must be).
    /// `USERACCESS` sends `user` and `pass` so too, as its example URL does: the password is
    /// then part of the URL on the wire (the client never prints it); choose
    /// [`ParamPlacement::TokenInQuery`] to keep it out of URLs. Parameters that would take more
    /// than [`MAX_QUERY_PARAM_BYTES`] of the query once encoded (a long `ODOC_SETDATA`
    /// document) go in the body only: a server's URL limit (often 8 KiB) would refuse the whole
    /// request.
    #[default]
    QueryAndBody,
    /// `act` and `accesstoken` in the query string, every other parameter in the form body
    /// only: follows the document's two sentences, not its example URLs. `USERACCESS` sends
    /// `user` and `pass` in the body, so the password never enters a URL.
    TokenInQuery,
    /// Everything in the form body, `act` and `accesstoken` included, for servers configured to
    /// read the token from the body: keeps the token out of URLs and access logs. Not the
    /// documented placement.
    Body,
    /// Everything in the URL's query string of a POST with an empty body, exactly as the
    /// vendor's example URLs show them (`USERACCESS` too). For servers that only read the query.
    Query,
}

/// The most bytes the parameters of an act may take in the query string, encoded, with the
/// default [`ParamPlacement::QueryAndBody`]; longer ones are sent in the body only. Leaves room
/// for the path, `act` and the token under the common 8 KiB limit of a request line.
pub const MAX_QUERY_PARAM_BYTES: usize = 6_000;

/// The parameters of one act, in the order they are sent.
pub(crate) type Params = Vec<(&'static str, Param)>;

/// `params` as the form body, which is there (with its `Content-Type`) even when `params` is
/// empty (`ODOC_LIST`): every call is a POST "in traditional parameter1=value1&… format", and a
/// server that reads a POST's form body may refuse one without a form content type, while an
/// empty form body costs a server reading the query nothing.
fn form_body(op: Operation, params: Params) -> Operation {
    if !params.is_empty() {
        return add_form(op, params);
    }
    // An empty object flattens to no pairs: an empty form body. It cannot fail; should it, the
    // operation goes as it was.
    let fallback = op.clone();
    op.php_form(&serde_json::Map::new()).unwrap_or(fallback)
}

/// A plain parameter value.
pub(crate) fn plain(value: impl Into<String>) -> Param {
    Param::Plain(value.into())
}

/// NOOM's protocol: a session token from `USERACCESS`, placed per [`ParamPlacement`], and the
/// envelope reading of every answer.
pub(crate) struct Noom {
    pub(crate) user: String,
    pub(crate) password: SecretString,
    pub(crate) placement: ParamPlacement,
    /// The access token and its generation: one `USERACCESS` for all concurrent first calls.
    pub(crate) session: Session<SecretString>,
}

impl Noom {
    /// The operation of `act` with its parameters, placed per the configured placement:
    /// `act` first, then the parameters; [`Protocol::authorize`] adds the token last.
    pub(crate) fn act(&self, act: &'static str, read: bool, params: Params) -> Operation {
        let op = if read {
            Operation::read(VENDOR, act, Method::POST, "")
        } else {
            Operation::write(VENDOR, act, Method::POST, "")
        };
        // Not sent with acts, but redacted from their answers should a server echo it.
        let op = op.redact(&self.password);
        match self.placement {
            ParamPlacement::QueryAndBody => {
                let op = op.query("act", act);
                let op = if query_len(&params) <= MAX_QUERY_PARAM_BYTES {
                    add_query(op, params.clone())
                } else {
                    op
                };
                add_form(op.form("act", act), params)
            }
            ParamPlacement::TokenInQuery => form_body(op.query("act", act), params),
            ParamPlacement::Body => add_form(op.form("act", act), params),
            ParamPlacement::Query => add_query(op.query("act", act), params),
        }
    }

    /// `USERACCESS`: user and password for an access token. A read (retried on lost
    /// connections); its answer carries a secret, so no snippet of it is ever kept.
    pub(crate) async fn login(&self, transport: &Transport) -> Result<SecretString, Error> {
        let op = self.login_operation();
        // The transport takes the answer whole (an HTTP error status is its error); the envelope
        // is read here, as for every act.
        let response = transport
            .execute(&op)
            .await
            .map_err(pos_client_core::Error::with_codes)?;
        let token = self.read_login(&op, response.status(), response.body())?;
        tracing::debug!(user = %self.user, "noom: logged in");
        Ok(token)
    }

    /// The `USERACCESS` operation: `user` and `pass` (a secret), and an answer that carries one.
    pub(crate) fn login_operation(&self) -> Operation {
        let params = vec![
            ("user", plain(self.user.as_str())),
            ("pass", Param::Secret(self.password.clone())),
        ];
        self.act("USERACCESS", true, params).answer_carries_secret()
    }

    /// The access token in a `USERACCESS` answer, or the error it means.
    ///
    /// The document's two `USERACCESS` examples are JavaScript objects with unquoted keys
    /// (`{ status: 1, msg: "", … }`), not JSON: an answer that is not valid JSON is read once
    /// more with its bare keys quoted ([`json_or_js_object`]). Only for `USERACCESS`: every other
    /// example of the document is valid JSON.
    pub(crate) fn read_login(
        &self,
        op: &Operation,
        status: StatusCode,
        body: &[u8],
    ) -> Result<SecretString, Error> {
        let body = if status.is_success() {
            json_or_js_object(body).into_owned()
        } else {
            body.to_vec()
        };
        let response =
            pos_client_core::read_answer(self, op, status, HeaderMap::new(), body.into())?;
        let token = match required_data(&response)? {
            LoginData::Object(data) => data.access_token,
            LoginData::Token(token) => token,
        };
        if token.trim().is_empty() {
            return Err(response.not_understood("USERACCESS returned an empty access token"));
        }
        Ok(SecretString::from(token))
    }
}

/// The `data` of a `USERACCESS` answer: an object holding `accesstoken`, as the document's
/// example shows, or the token itself, as its field table describes `data` ("Access token for
/// the next queries").
#[derive(Deserialize)]
#[serde(untagged)]
enum LoginData {
    Object(AccessTokenData),
    Token(String),
}

/// The envelope around every answer; `time` is not used (a number or a string).
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow)]
    status: Option<&'a RawValue>,
    #[serde(default, borrow)]
    msg: Option<&'a RawValue>,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

/// The `status` of an envelope: `1`/`0` as a number, a string or a bool. A fraction (`1.5`) is
/// no status ("1=success 0=error"), so it is not truncated to one.
fn envelope_status(raw: &RawValue) -> Option<i64> {
    match scalar_text(raw).as_str() {
        "true" => Some(1),
        "false" => Some(0),
        text => int_text(text),
    }
}

impl Protocol for Noom {
    type Code = NoomCode;
    /// The access token and the session generation it belongs to.
    type Credential = (SecretString, u64);

    async fn credential(&self, transport: &Transport) -> Result<Self::Credential, Error> {
        self.session.get(|| self.login(transport)).await
    }

    fn authorize(&self, operation: Operation, credential: &Self::Credential) -> Operation {
        match self.placement {
            ParamPlacement::QueryAndBody | ParamPlacement::TokenInQuery | ParamPlacement::Query => {
                operation.query_secret("accesstoken", &credential.0)
            }
            ParamPlacement::Body => operation.form_secret("accesstoken", &credential.0),
        }
    }

    /// A 2xx answer is an envelope: `status` 1 gives `data` (borrowed from the body), `status` 0
    /// a failure named from `msg`. A 2xx body that is no envelope (not JSON, no `status`, a
    /// `status` other than 1 or 0) is taken whole, which [`acknowledged`] refuses. Any other
    /// status keeps the HTTP error.
    fn interpret(&self, answer: &Answer<'_>) -> Verdict<NoomCode> {
        if !answer.status.is_success() {
            let (code, message) = probe_error_body(answer.body);
            return Verdict::Failure(Failure::uncoded(code, message));
        }
        let Ok(envelope) = serde_json::from_slice::<Envelope<'_>>(answer.trimmed_body()) else {
            return Verdict::Success(Payload::Whole);
        };
        match envelope.status.and_then(envelope_status) {
            Some(1) => Verdict::Success(answer.payload_at(envelope.data)),
            Some(0) => {
                let message = envelope.msg.map(scalar_text).unwrap_or_default();
                Verdict::Failure(Failure::coded(
                    NoomCode::from_message(&message),
                    Some(message),
                ))
            }
            // No `status`, or one that is neither 1 nor 0: not an envelope (see [`acknowledged`]).
            _ => Verdict::Success(Payload::Whole),
        }
    }

    async fn renew(
        &self,
        transport: &Transport,
        stale: Self::Credential,
    ) -> Result<Option<Self::Credential>, Error> {
        tracing::info!("noom: access token refused; logging in again");
        self.session
            .renew(stale.1, || self.login(transport))
            .await
            .map(Some)
    }
}

/// Whether a success answer is a NOOM envelope with `status` 1 (the document: "Server responds
/// by sending an JSON document containing status information", "1=success 0=error").
///
/// An answer that is none (an empty body, HTML, `{}`, JSON without `status`: [`Noom::interpret`]
/// hands it over whole) is not understood: for a write the outcome is unknown (the error names
/// the write's reference, the docuid), for a read a decode error. Never a success.
pub(crate) fn acknowledged(response: &Response) -> Result<(), Error> {
    let body = response.body();
    match response.payload() {
        Some(whole) if whole.as_ptr() == body.as_ptr() && whole.len() == body.len() => {
            Err(response.not_understood("it is not a NOOM envelope with `status` 1 or 0"))
        }
        _ => Ok(()),
    }
}

/// The `data` of a successful answer: `None` when absent or `null`. An answer that is no
/// envelope, or `data` that does not decode, is not understood ([`acknowledged`]).
pub(crate) fn data<T: DeserializeOwned>(response: &Response) -> Result<Option<T>, Error> {
    acknowledged(response)?;
    match response.payload() {
        None => Ok(None),
        Some(part) => serde_json::from_slice(part)
            .map(Some)
            .map_err(|e| response.not_understood(format!("its `data` does not decode: {e}"))),
    }
}

/// The `data` of a successful answer, which the act cannot succeed without.
pub(crate) fn required_data<T: DeserializeOwned>(response: &Response) -> Result<T, Error> {
    data(response)?.ok_or_else(|| response.not_understood("`data` is missing or null"))
}
