//! The mapping of an attempt's answer to its retry outcome, and of the final answer to a
//! [`Response`] or an [`Error`]: the same for live calls and for [`crate::decode_answer`].

use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use super::{Answered, Exchange};
use crate::error::{BodySnippet, CodeClass, Error, OperationId, VendorCode};
use crate::operation::Operation;
use crate::protocol::{Answer, Failure, Verdict};
use crate::rate_limit::{retry_after, wait_after_429};
use crate::response::{Response, bounded};
use crate::retry::AttemptOutcome;

/// A complete answer, as the vendor read it, as the call's result: the same mapping for live
/// calls and for [`crate::decode_answer`].
pub(super) fn conclude<C: VendorCode>(
    op: &Operation,
    exchange: Exchange,
    verdict: Verdict<C>,
) -> Result<Answered, Error<C>> {
    let redact = |s: String| {
        let secrets = op.secret_strs();
        bounded(crate::redact::redact_secrets(&s, &secrets))
    };
    let snippet = |body: &[u8]| {
        if op.answer_is_secret {
            BodySnippet::withheld()
        } else {
            BodySnippet::new(body, &op.secret_strs())
        }
    };
    match verdict {
        Verdict::Success(payload) => Ok(Answered { exchange, payload }),
        // A 429 is a rate limit, unless the vendor's code says more (CloudPOS' 1004 "ip
        // blocked", 1003 "limit reached"): then the guards must see the code.
        Verdict::Failure(_)
            if exchange.status == StatusCode::TOO_MANY_REQUESTS && !keeps_code(&verdict) =>
        {
            Err(rate_limited(
                op.id,
                exchange.status,
                wait_after_429(&exchange.headers, SystemTime::now()),
            ))
        }
        Verdict::Failure(failure) if !op.idempotent && may_have_run(exchange.status, &failure) => {
            Err(Error::OutcomeUnknown {
                operation: op.id,
                reference: op.reference.clone(),
                status: Some(exchange.status),
                cause: redact(format!(
                    "HTTP {}{}: the server failed without saying what, possibly after carrying the write out",
                    exchange.status,
                    failure
                        .message
                        .map(|m| format!(" ({m})"))
                        .unwrap_or_default(),
                )),
            })
        }
        Verdict::Failure(failure) => {
            let message = failure.message.map(redact);
            let body = snippet(&exchange.body);
            Err(match failure.code {
                Some(code) => Error::Api {
                    operation: op.id,
                    status: exchange.status,
                    code,
                    message,
                    fields: failure
                        .fields
                        .into_iter()
                        .map(|mut f| {
                            f.field = redact(f.field);
                            f.message = redact(f.message);
                            f
                        })
                        .collect(),
                    body,
                },
                None => Error::Http {
                    operation: op.id,
                    status: exchange.status,
                    code: failure.code_text.map(redact),
                    message,
                    body,
                },
            })
        }
    }
}

/// Reads a complete answer without sending anything, through the same code a live call uses:
/// the vendor's [`crate::Protocol::interpret`] and the mapping to a [`Response`] or an error.
/// For fuzzing and decoder tests; `op` names the operation (its secrets are redacted from
/// errors as in a live call). A client method's own checks after decoding can then run on the
/// `Response` as they would live.
pub fn read_answer<P: crate::Protocol>(
    protocol: &P,
    op: &Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error<P::Code>> {
    let verdict = protocol.interpret(&Answer {
        operation: op.id,
        status,
        headers: &headers,
        body: &body,
    });
    conclude(
        op,
        Exchange {
            status,
            headers,
            body,
        },
        verdict,
    )
    .map(|answered| answered.into_response(op.clone()))
}

/// [`read_answer`], then the payload decoded into `T`, as [`crate::Pipeline::call`] does.
pub fn decode_answer<P: crate::Protocol, T: serde::de::DeserializeOwned>(
    protocol: &P,
    op: &Operation,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
) -> Result<T, Error<P::Code>> {
    read_answer(protocol, op, status, headers, body)?.decode()
}

/// What an answer means for retrying: the vendor's code class where it gave one, else the status.
pub(super) fn attempt_outcome<C: VendorCode>(
    exchange: &Exchange,
    verdict: &Verdict<C>,
) -> Option<AttemptOutcome> {
    let status = exchange.status.as_u16();
    let retry_after = || {
        if exchange.status.is_success() {
            None
        } else {
            retry_after(&exchange.headers, SystemTime::now())
        }
    };
    match verdict {
        Verdict::Success(_) => None,
        Verdict::Failure(_) if status == 429 && !keeps_code(verdict) => {
            Some(AttemptOutcome::Status {
                status,
                retry_after: wait_after_429(&exchange.headers, SystemTime::now()),
            })
        }
        Verdict::Failure(_) => match verdict.class() {
            Some(CodeClass::Retryable) => Some(AttemptOutcome::Busy {
                retry_after: retry_after(),
            }),
            Some(CodeClass::Credentials | CodeClass::TokenRefused | CodeClass::LimitReached) => {
                None
            }
            Some(CodeClass::Permanent) | None => Some(AttemptOutcome::Status {
                status,
                retry_after: retry_after(),
            }),
        },
    }
}

/// Whether a write answered with this failure may still have been carried out: a gateway's
/// 502 or 504 (the server behind it failed or did not answer in time), or a 500 that carries no
/// vendor code, or only one that names the status (a crash page: the server may have failed
/// after the write). A 503 says the server did not take the request; a vendor's own code says
/// what failed.
fn may_have_run<C>(status: StatusCode, failure: &Failure<C>) -> bool {
    let uncoded = failure.status_only || (failure.code.is_none() && failure.code_text.is_none());
    matches!(status.as_u16(), 502 | 504) || (status == StatusCode::INTERNAL_SERVER_ERROR && uncoded)
}

/// Whether a 429's vendor code stands instead of the plain rate limit: a refused credential or a
/// used-up allowance, which the guards must see and which waiting a `Retry-After` cannot lift.
fn keeps_code<C: VendorCode>(verdict: &Verdict<C>) -> bool {
    matches!(
        verdict.class(),
        Some(CodeClass::Credentials | CodeClass::LimitReached)
    )
}

pub(crate) fn rate_limited<C: VendorCode>(
    operation: OperationId,
    status: StatusCode,
    retry_after: Option<std::time::Duration>,
) -> Error<C> {
    Error::RateLimited {
        operation,
        status,
        retry_after,
        retry_at: retry_after
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .map(|d| chrono::Utc::now() + d),
    }
}
