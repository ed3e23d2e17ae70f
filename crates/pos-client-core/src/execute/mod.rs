//! The one execution path: attempts and retry decisions; the mapping of each answer to an
//! outcome and of the final one to a [`Response`] or an [`Error`] is in `outcome`. Vendor
//! knowledge comes in through [`Hooks`], which the [`crate::Pipeline`] fills from the vendor's
//! [`crate::Protocol`].

use std::time::SystemTime;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use tracing::{Instrument, field::Empty};
use url::Url;

use crate::error::{Error, NoCode, OperationId, TransportKind, VendorCode};
use crate::operation::{Body, Operation, Param, encode_form};
use crate::protocol::{Answer, Failure, Payload, Verdict, probe_error_body};
use crate::rate_limit::RateLimitInfo;
use crate::redact::redacted_url;
use crate::response::Response;
use crate::retry::{
    AttemptOutcome, RETRY_COST, RetryDecision, SUCCESS_REFUND, TIMEOUT_RETRY_COST, decide,
};
use crate::transport::Transport;

mod outcome;

pub(crate) use outcome::rate_limited;
use outcome::{attempt_outcome, conclude};
pub use outcome::{decode_answer, read_answer};

/// What the execution path asks of the vendor, per attempt.
pub(crate) trait Hooks {
    type Code: VendorCode;
    /// A header for this attempt (HTTP Digest).
    fn sign(&self, method: &Method, url: &Url) -> Option<(HeaderName, SecretString)>;
    /// Called before each attempt is handed to the HTTP stack.
    fn on_attempt(&self, operation: OperationId);
    /// Reads a complete answer.
    fn interpret(&self, answer: &Answer<'_>) -> Verdict<Self::Code>;
}

/// The hooks of a plain [`Transport::execute`]: 2xx is a success, any other status an
/// [`Error::Http`] with the code and message a JSON body carries under the usual names.
pub(crate) struct StatusOnly;

impl Hooks for StatusOnly {
    type Code = NoCode;
    fn sign(&self, _: &Method, _: &Url) -> Option<(HeaderName, SecretString)> {
        None
    }
    fn on_attempt(&self, _: OperationId) {}
    fn interpret(&self, answer: &Answer<'_>) -> Verdict<NoCode> {
        if answer.status.is_success() {
            Verdict::Success(Payload::Whole)
        } else {
            let (code, message) = probe_error_body(answer.body);
            Verdict::Failure(Failure::uncoded(code, message))
        }
    }
}

/// How one attempt failed before an HTTP answer was complete.
struct AttemptFailure {
    kind: TransportKind,
    /// Whether the request may have reached the server.
    sent: bool,
    /// The answer's status, when its headers arrived before the failure.
    status: Option<StatusCode>,
    message: String,
}

impl AttemptFailure {
    fn from_reqwest(e: reqwest::Error, reading_body: bool) -> Self {
        let (kind, sent) = if e.is_connect() && !reading_body {
            (
                if e.is_timeout() {
                    TransportKind::Timeout
                } else {
                    TransportKind::Connect
                },
                false,
            )
        } else if e.is_timeout() {
            (TransportKind::Timeout, true)
        } else if e.is_builder() {
            (TransportKind::Other, false)
        } else {
            (TransportKind::Body, true)
        };
        AttemptFailure {
            kind,
            sent,
            status: None,
            message: error_chain(&e.without_url()),
        }
    }

    fn outcome(&self) -> Option<AttemptOutcome> {
        match (self.kind, self.sent) {
            (TransportKind::Connect, _) => Some(AttemptOutcome::ConnectFailed),
            (TransportKind::Timeout, sent) => Some(AttemptOutcome::TimedOut { sent }),
            // An oversized answer would be as large the next time.
            (TransportKind::TooLarge, _) => None,
            (_, true) => Some(AttemptOutcome::ConnectionLost),
            // A request that could not even be built: retrying cannot help.
            (_, false) => None,
        }
    }
}

/// The request of one attempt, built in place (a `RequestBuilder` is moved on every call).
fn build_request<H: Hooks>(
    op: &Operation,
    url: &Url,
    hooks: &H,
    timeout: Option<std::time::Duration>,
) -> Result<reqwest::Request, AttemptFailure> {
    let mut request = reqwest::Request::new(op.method.clone(), url.clone());
    // The transport's own client has the timeout built in (setting it per request costs an
    // extension map per call); a caller-supplied client gets it here.
    *request.timeout_mut() = timeout;
    let signature = hooks.sign(&op.method, url);
    let headers = request.headers_mut();
    headers.append(
        ACCEPT,
        media_type(
            &ACCEPT,
            op.accept,
            HeaderValue::from_static("application/json"),
        )?,
    );
    for (name, value) in &op.headers {
        let value = match value {
            Param::Plain(v) => v.as_str(),
            Param::Secret(s) => s.expose_secret(),
            Param::Flag => "",
        };
        headers.append(name.clone(), header_value(name, value)?);
    }
    if let Some((name, value)) = signature {
        let value = header_value(&name, value.expose_secret())?;
        headers.append(name, value);
    }
    match &op.body {
        Body::None => {}
        Body::Form(pairs) => {
            headers.append(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
            *request.body_mut() = Some(encode_form(pairs).into());
        }
        Body::Json(bytes) => {
            headers.append(
                CONTENT_TYPE,
                media_type(
                    &CONTENT_TYPE,
                    op.content_type,
                    HeaderValue::from_static("application/json"),
                )?,
            );
            *request.body_mut() = Some(bytes.clone().into());
        }
    }
    Ok(request)
}

/// A media type the vendor crate chose, or the default.
fn media_type(
    name: &HeaderName,
    chosen: Option<&'static str>,
    default: HeaderValue,
) -> Result<HeaderValue, AttemptFailure> {
    match chosen {
        Some(media_type) => header_value(name, media_type),
        None => Ok(default),
    }
}

/// A header value; one that HTTP cannot carry fails the attempt before anything is sent (the
/// value is not quoted: it may be a credential).
fn header_value(name: &HeaderName, value: &str) -> Result<HeaderValue, AttemptFailure> {
    HeaderValue::from_str(value).map_err(|e| AttemptFailure {
        kind: TransportKind::Other,
        sent: false,
        status: None,
        message: format!("invalid value for header {name}: {e}"),
    })
}

/// The error and its sources on one line. reqwest's sources (hyper, io) carry no URL.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

/// A complete answer of one attempt.
struct Exchange {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// A successful answer, before it is joined with its operation into a [`Response`].
pub(crate) struct Answered {
    exchange: Exchange,
    payload: Payload,
}

impl Answered {
    /// The [`Response`], holding `op` (the operation answered) for redacting its secrets.
    pub(crate) fn into_response(self, op: Operation) -> Response {
        Response {
            operation: op.id,
            status: self.exchange.status,
            headers: self.exchange.headers,
            body: self.exchange.body,
            payload: self.payload,
            request: op,
        }
    }
}

impl Transport {
    /// Runs `op` with `hooks`: the span, the attempts, the retry decisions, the final mapping.
    /// The caller makes the [`Response`] of a success with [`Answered::into_response`], moving
    /// the operation there rather than copying its secrets.
    pub(crate) async fn run_with<H: Hooks>(
        &self,
        op: &Operation,
        hooks: &H,
    ) -> Result<Answered, Error<H::Code>> {
        let url = self.url_for(op).map_err(Error::with_codes)?;
        let span = tracing::info_span!(
            "pos_client.operation",
            vendor = op.id.vendor,
            operation = op.id.name,
            method = %op.method,
            url = %redacted_url(&url),
            idempotent = op.idempotent,
            attempts = Empty,
        );
        self.attempts(op, &url, hooks).instrument(span).await
    }

    async fn attempts<H: Hooks>(
        &self,
        op: &Operation,
        url: &Url,
        hooks: &H,
    ) -> Result<Answered, Error<H::Code>> {
        let mut attempt = 1u32;
        loop {
            let span = tracing::debug_span!(
                "pos_client.attempt",
                attempt,
                status = Empty,
                error_kind = Empty
            );
            let result = self
                .attempt(op, url, hooks)
                .instrument(span.clone())
                .await
                .map(|exchange| {
                    let verdict = hooks.interpret(&Answer {
                        operation: op.id,
                        status: exchange.status,
                        headers: &exchange.headers,
                        body: &exchange.body,
                    });
                    (exchange, verdict)
                });
            let outcome = match &result {
                Ok((exchange, verdict)) => {
                    span.record("status", exchange.status.as_u16());
                    attempt_outcome(exchange, verdict)
                }
                Err(failure) => {
                    span.record("error_kind", tracing::field::debug(failure.kind));
                    failure.outcome()
                }
            };
            let decision = match outcome {
                Some(outcome) => decide(
                    &self.inner.retry,
                    op.idempotent,
                    attempt,
                    outcome,
                    rand::random::<f64>(),
                ),
                None => RetryDecision::Stop,
            };
            match decision {
                RetryDecision::Retry(delay) => {
                    let cost = match outcome {
                        Some(AttemptOutcome::TimedOut { .. }) => TIMEOUT_RETRY_COST,
                        _ => RETRY_COST,
                    };
                    if self.inner.budget.try_acquire(cost) {
                        tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, "retrying");
                        // tokio's timer has a 1 ms resolution: even a zero sleep would wait
                        // for the next tick (`Retry-After: 0`, `RetryPolicy::without_delays`).
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        attempt += 1;
                        continue;
                    }
                    tracing::warn!(attempt, "retry budget exhausted; not retrying");
                }
                RetryDecision::RateLimited(wait) => {
                    tracing::Span::current().record("attempts", attempt);
                    let status = match &result {
                        Ok((exchange, _)) => exchange.status,
                        Err(_) => StatusCode::TOO_MANY_REQUESTS,
                    };
                    return Err(rate_limited(op.id, status, Some(wait)));
                }
                RetryDecision::Stop => {}
            }
            tracing::Span::current().record("attempts", attempt);
            return self.finish(op, result);
        }
    }

    async fn attempt<H: Hooks>(
        &self,
        op: &Operation,
        url: &Url,
        hooks: &H,
    ) -> Result<Exchange, AttemptFailure> {
        let request = build_request(
            op,
            url,
            hooks,
            self.inner.timeout_per_request.then_some(self.inner.timeout),
        )?;
        // Held until the body is read: the connection is busy that long.
        let _slot = match &self.inner.in_flight {
            Some(slots) => slots.acquire().await.ok(),
            None => None,
        };
        hooks.on_attempt(op.id);
        self.inner
            .attempts
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut response = (self.inner.http)
            .execute(request)
            .await
            .map_err(|e| AttemptFailure::from_reqwest(e, false))?;
        let status = response.status();
        // Moved out rather than cloned: reading the body does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = self
            .read_body(status, &mut response)
            .await
            .map_err(|failure| AttemptFailure {
                status: Some(status),
                ..failure
            })?;
        if RateLimitInfo::any_in(&headers)
            && let Some(info) = RateLimitInfo::from_headers(&headers, SystemTime::now())
        {
            self.remember_rate_limit(info);
        }
        Ok(Exchange {
            status,
            headers,
            body,
        })
    }

    /// Reads the body up to the size limit; a larger answer is cut off, never read whole. A
    /// success answer cut off is a failure (its model is incomplete); an error answer keeps its
    /// first `limit` bytes, so that its status still decides (a 401 is still refused
    /// credentials, a 503 still retried for reads).
    async fn read_body(
        &self,
        status: StatusCode,
        response: &mut reqwest::Response,
    ) -> Result<Bytes, AttemptFailure> {
        let limit = self.inner.max_response_bytes;
        let cut_off = |mut prefix: BytesMut, chunk: &[u8]| {
            if status.is_success() {
                return Err(AttemptFailure {
                    kind: TransportKind::TooLarge,
                    sent: true,
                    status: Some(status),
                    message: format!(
                        "HTTP {status}: the body exceeds {limit} bytes; reading stopped"
                    ),
                });
            }
            let room = limit.saturating_sub(prefix.len());
            prefix.extend_from_slice(&chunk[..room.min(chunk.len())]);
            Ok(prefix.freeze())
        };
        let declared = response.content_length();
        if status.is_success() && declared.is_some_and(|n| n > limit as u64) {
            return cut_off(BytesMut::new(), &[]);
        }
        let first = response
            .chunk()
            .await
            .map_err(|e| AttemptFailure::from_reqwest(e, true))?;
        let Some(first) = first else {
            return Ok(Bytes::new());
        };
        // Most answers arrive in one chunk: keep it without copying.
        let Some(second) = response
            .chunk()
            .await
            .map_err(|e| AttemptFailure::from_reqwest(e, true))?
        else {
            return if first.len() > limit {
                cut_off(BytesMut::new(), &first)
            } else {
                Ok(first)
            };
        };
        let capacity = declared.map_or(first.len() + second.len(), |n| n as usize);
        let mut body = BytesMut::with_capacity(capacity.min(limit));
        for chunk in [first, second] {
            if body.len() + chunk.len() > limit {
                return cut_off(body, &chunk);
            }
            body.extend_from_slice(&chunk);
        }
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| AttemptFailure::from_reqwest(e, true))?
        {
            if body.len() + chunk.len() > limit {
                return cut_off(body, &chunk);
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.freeze())
    }

    fn finish<C: VendorCode>(
        &self,
        op: &Operation,
        result: Result<(Exchange, Verdict<C>), AttemptFailure>,
    ) -> Result<Answered, Error<C>> {
        match result {
            Ok((exchange, verdict)) => {
                let concluded = conclude(op, exchange, verdict);
                if concluded.is_ok() {
                    self.inner.budget.refund(SUCCESS_REFUND);
                }
                concluded
            }
            Err(failure) if failure.sent && !op.idempotent => Err(Error::OutcomeUnknown {
                operation: op.id,
                reference: op.reference.clone(),
                status: failure.status,
                cause: match failure.status {
                    Some(_) => {
                        format!("its body incomplete: {}: {}", failure.kind, failure.message)
                    }
                    None => format!("{}: {}", failure.kind, failure.message),
                },
            }),
            Err(failure) => Err(Error::Transport {
                operation: op.id,
                kind: failure.kind,
                message: failure.message,
            }),
        }
    }
}
