//! How CloudPOS is spoken: the credentials and the function in the query, the lockout and
//! quota guards around every call, and what an answer means.
//!
//! Every function is one request to the base URL with the licence name, the token and the
//! function as a bare flag in the query, as the vendor's example shows:
//! `https://cloudpos.be/api/?licname=…&token=…&get-products`. The filters follow
//! (see [`crate::client`]).

use std::fmt;
use std::sync::{RwLock, RwLockReadGuard};

use pos_client_core::config;
use pos_client_core::http::Method;
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{
    Answer, CallId, Failure, Guard, Operation, OperationId, Payload, Response, Transport, Verdict,
};

use crate::envelope::{Reading, read};
use crate::error::{Error, ErrorCode};
use crate::guard::Guards;

/// The vendor name used in errors and tracing spans.
pub const VENDOR: &str = "cloudpos";

/// The longest licence name accepted (it travels in every URL; the document gives no maximum).
pub const MAX_LICNAME_CHARS: usize = 255;

/// The longest token accepted (it travels in every URL; the document gives no maximum).
pub const MAX_TOKEN_CHARS: usize = 1024;

/// The licence name and the token.
pub(crate) struct Credentials {
    pub(crate) licname: String,
    pub(crate) token: SecretString,
}

impl Credentials {
    /// Empty values are refused: the server would answer 1001 and count a bad login. Both
    /// travel in the URL of every request, so control characters (CR, LF, NUL …) and values
    /// longer than [`MAX_LICNAME_CHARS`] / [`MAX_TOKEN_CHARS`] are refused too (the document
    /// gives no maximum). The errors never show the values.
    pub(crate) fn new(licname: &str, token: SecretString) -> Result<Self, Error> {
        let licname = config::setting(Some(licname.to_owned()), "the CloudPOS licence name", "")?;
        let token = config::credential(Some(token), "the CloudPOS token", "")?;
        if licname.chars().count() > MAX_LICNAME_CHARS
            || token.expose_secret().chars().count() > MAX_TOKEN_CHARS
        {
            return Err(Error::config(format!(
                "the CloudPOS licence name (at most {MAX_LICNAME_CHARS} characters) or token (at most {MAX_TOKEN_CHARS}) is too long; both travel in the URL"
            )));
        }
        Ok(Credentials {
            licname: licname.trim().to_owned(),
            token,
        })
    }
}

/// CloudPOS' protocol: credentials and function in the query, the guards, the envelope.
pub(crate) struct CloudPos {
    credentials: RwLock<Credentials>,
    guards: Guards,
}

impl fmt::Debug for CloudPos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudPos")
            .field("licname", &self.credentials().licname)
            .field("token", &"***")
            .field("guards", &self.guards)
            .finish()
    }
}

impl CloudPos {
    pub(crate) fn new(credentials: Credentials, guards: Guards) -> Self {
        CloudPos {
            credentials: RwLock::new(credentials),
            guards,
        }
    }

    /// The lockout after 1001, 1002 and 1004.
    pub(crate) fn lockout(&self) -> &pos_client_core::Lockout<ErrorCode> {
        &self.guards.0
    }

    /// The daily quota, per Europe/Brussels day.
    pub(crate) fn quota(&self) -> &pos_client_core::DailyQuota<ErrorCode> {
        &self.guards.1
    }

    pub(crate) fn credentials(&self) -> RwLockReadGuard<'_, Credentials> {
        self.credentials.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the credentials (for every clone) and lifts a lockout.
    pub(crate) fn set_credentials(&self, credentials: Credentials) {
        *self.credentials.write().unwrap_or_else(|p| p.into_inner()) = credentials;
        self.lockout().reset();
        tracing::info!("cloudpos: credentials replaced, lockout lifted");
    }

    /// The operation for `function`: the licence name, the token and the function flag, in
    /// the document's order, first in the query. A write is never re-sent once it may have
    /// reached the server.
    pub(crate) fn operation(
        &self,
        function: &'static str,
        method: Method,
        write: bool,
    ) -> Operation {
        let op = if write {
            Operation::write(VENDOR, function, method, "")
        } else {
            Operation::read(VENDOR, function, method, "")
        };
        let credentials = self.credentials();
        op.query("licname", credentials.licname.clone())
            .query_secret("token", &credentials.token)
            .query_flag(function)
    }
}

impl pos_client_core::Protocol for CloudPos {
    type Code = ErrorCode;
    type Credential = ();

    fn admit(&self, operation: &Operation, call: CallId) -> Result<(), Error> {
        self.guards.admit(operation.id(), call)
    }

    async fn credential(&self, _: &Transport) -> Result<(), Error> {
        Ok(())
    }

    /// The credentials are already the first query parameters ([`CloudPos::operation`]): the
    /// document's URL puts them before the function flag and the filters.
    fn authorize(&self, operation: Operation, _: &()) -> Operation {
        operation
    }

    fn on_attempt(&self, operation: OperationId) {
        self.guards.on_attempt(operation);
    }

    /// A dropped call frees its quota reservation and, if it was the one request let through
    /// after a block, the probe slot (its answer is unknown, so the lock stays).
    fn abandon(&self, _: OperationId, call: CallId) {
        self.guards.cancel(call);
    }

    fn interpret(&self, answer: &Answer<'_>) -> Verdict<ErrorCode> {
        let function = answer.operation.name;
        let reading = if answer.status.is_success() {
            read(function, answer.body)
        } else {
            // An error status: typed when the body carries a numeric `errorcode`; 2000 on a
            // list is "No … found" (an empty list) as with 200, the document gives no status.
            match read(function, answer.body) {
                reading @ (Reading::Code(..) | Reading::Uncoded(..) | Reading::NotFound) => reading,
                Reading::Records(_) => {
                    let (code, message) = pos_client_core::protocol::probe_error_body(answer.body);
                    return Verdict::Failure(Failure::uncoded(code, message));
                }
            }
        };
        match reading {
            Reading::Records(payload) => Verdict::Success(payload),
            Reading::NotFound => Verdict::Success(Payload::Nothing),
            Reading::Code(code, message) => {
                // The code keeps the message (`Unknown`, the 1003/1004 times): no token in it.
                let message = message.map(|m| {
                    let token = self.credentials().token.clone();
                    pos_client_core::redact::redact_secrets(&m, &[token.expose_secret()])
                });
                let code = ErrorCode::from_wire(function, code, message.as_deref());
                Verdict::Failure(Failure::coded(code, message))
            }
            Reading::Uncoded(code, message) => {
                Verdict::Failure(Failure::uncoded(Some(code), message))
            }
        }
    }

    fn observe(&self, operation: OperationId, call: CallId, result: Result<&Response, &Error>) {
        self.guards.observe(operation, call, result);
    }
}
