//! The transport: one pooled HTTP client and the one execution path every call goes through.

use std::fmt;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use tracing::{Instrument, field::Empty};
use url::Url;

use crate::error::{BodySnippet, Error, OperationId, TransportKind};
use crate::operation::{Body, Operation, Param, encode_form};
use crate::rate_limit::{RateLimitInfo, retry_after};
use crate::redact::redacted_url;
use crate::retry::{
    AttemptOutcome, RETRY_COST, RetryBudget, RetryDecision, RetryPolicy, SUCCESS_REFUND,
    TIMEOUT_RETRY_COST, decide,
};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt, from sending to the end of the response body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest timeout the builder accepts: a call never waits without bound.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(300);

/// Configures a [`Transport`].
#[derive(Debug, Clone)]
pub struct TransportBuilder {
    base_url: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    client: Option<reqwest::Client>,
    allow_plain_http: bool,
    retry: RetryPolicy,
}

impl Default for TransportBuilder {
    /// A builder with the default settings that identifies itself as `pos-client-core/<version>`.
    fn default() -> Self {
        TransportBuilder::new(concat!("pos-client-core/", env!("CARGO_PKG_VERSION")))
    }
}

impl TransportBuilder {
    /// A builder that identifies itself with `user_agent` (`<crate>/<version>`).
    pub fn new(user_agent: impl Into<String>) -> Self {
        TransportBuilder {
            base_url: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: DEFAULT_TIMEOUT,
            user_agent: user_agent.into(),
            client: None,
            allow_plain_http: false,
            retry: RetryPolicy::default(),
        }
    }

    /// The base URL that operation paths are relative to (`https://host/api/`).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Time allowed to open a connection (default 5 s, at most 300 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Time allowed for one attempt, to the end of the response body (default 30 s, at most 300 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Replaces the user agent.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses a caller-built `reqwest::Client` (proxies, custom roots). Its own timeouts, user
    /// agent and redirect policy then apply; the per-attempt timeout is still set per request.
    /// With only the `ring` feature, reqwest has no crypto provider of its own: give that client
    /// one, for example a rustls `ClientConfig` built with
    /// `builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))` and passed to
    /// `reqwest::ClientBuilder::tls_backend_preconfigured` (see the crate docs, "TLS crypto
    /// provider").
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.client = Some(client);
        self
    }

    /// Allows plain `http://` to hosts other than loopback. Off by default: credentials would
    /// cross the network in clear text.
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Checks the settings and builds the transport.
    pub fn build(self) -> Result<Transport, Error> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::config("a base URL is required"))?;
        let mut base =
            Url::parse(raw.trim()).map_err(|e| Error::config(format!("invalid base URL: {e}")))?;
        match base.scheme() {
            "https" => {}
            "http" if self.allow_plain_http || is_loopback(&base) => {}
            "http" => {
                return Err(Error::config(
                    "plain http:// to a non-loopback host would send credentials in clear text; \
                     use https:// or opt in with allow_plain_http(true)",
                ));
            }
            other => return Err(Error::config(format!("unsupported URL scheme {other:?}"))),
        }
        if base.query().is_some() || !base.username().is_empty() || base.password().is_some() {
            return Err(Error::config(
                "the base URL must not carry a query or credentials; pass credentials to the client builder",
            ));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        for (name, t) in [
            ("connect timeout", self.connect_timeout),
            ("timeout", self.timeout),
        ] {
            if t.is_zero() || t > MAX_TIMEOUT {
                return Err(Error::config(format!(
                    "{name} must be between 0 and 300 s, got {t:?}"
                )));
            }
        }
        let http = match self.client {
            Some(client) => client,
            None => with_crypto_provider(reqwest::Client::builder())?
                .connect_timeout(self.connect_timeout)
                .user_agent(self.user_agent)
                // A redirected POST turns into a GET and loses its body: report it instead.
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| {
                    Error::config(format!("cannot build the HTTP client: {}", e.without_url()))
                })?,
        };
        Ok(Transport {
            inner: Arc::new(Inner {
                http,
                base,
                timeout: self.timeout,
                budget: RetryBudget::new(self.retry.budget_capacity),
                retry: self.retry,
                rate_limit: Mutex::new(None),
                attempts: AtomicU64::new(0),
            }),
        })
    }
}

#[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
compile_error!(
    "pos-client-core needs a TLS crypto provider: enable its `aws-lc-rs` feature (the default) \
     or its `ring` feature. A vendor crate forwards both: with `default-features = false`, add \
     `features = [\"ring\"]` or `features = [\"aws-lc-rs\"]`."
);

/// With `aws-lc-rs`, reqwest's own `rustls` feature brings aws-lc-rs: the builder is left as
/// it is (reqwest still prefers a process default provider if the application installed one).
#[cfg(not(all(feature = "ring", not(feature = "aws-lc-rs"))))]
fn with_crypto_provider(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    Ok(builder)
}

/// Gives reqwest its rustls crypto provider without touching process-wide state.
///
/// With only `ring`, reqwest is built with `rustls-no-provider` and would panic without a
/// process default provider, so the client gets a preconfigured rustls `ClientConfig` that
/// carries ring explicitly: TLS 1.2 and 1.3, the platform certificate verifier (what reqwest
/// itself uses), no client certificate, ALPN `http/1.1` (reqwest's `http2` feature is off).
/// Nothing is installed as the process default.
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
fn with_crypto_provider(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, Error> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let mut tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .and_then(BuilderVerifierExt::with_platform_verifier)
    .map_err(|e| Error::config(format!("cannot configure TLS: {e}")))?
    .with_no_client_auth();
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(tls))
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// One pooled HTTP client plus retry policy, retry budget and rate-limit bookkeeping.
///
/// Cloning is cheap and shares the pool, the budget and the rate-limit state.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    timeout: Duration,
    retry: RetryPolicy,
    budget: RetryBudget,
    rate_limit: Mutex<Option<RateLimitInfo>>,
    attempts: AtomicU64,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("base_url", &redacted_url(&self.inner.base))
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// A complete HTTP answer with a success (2xx) status.
pub struct Response {
    operation: OperationId,
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    secrets: Vec<SecretString>,
    body_is_secret: bool,
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("status", &self.status)
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

    /// A bounded excerpt of the body with the operation's secrets redacted.
    /// Withheld entirely when the operation said its answer carries a credential.
    pub fn snippet(&self) -> BodySnippet {
        if self.body_is_secret {
            return BodySnippet::withheld();
        }
        let secrets: Vec<&str> = self.secrets.iter().map(|s| s.expose_secret()).collect();
        BodySnippet::new(&self.body, &secrets)
    }

    /// Decodes the body as JSON into `T`; a mismatch gives [`Error::Decode`] with a snippet.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// A [`Error::Decode`] for this response, for decoders of vendor envelopes.
    ///
    /// The message is redacted too: decoders quote offending values, which may be an echoed token.
    pub fn decode_error(&self, message: impl Into<String>) -> Error {
        let secrets: Vec<&str> = self.secrets.iter().map(|s| s.expose_secret()).collect();
        let message = if self.body_is_secret {
            "the answer does not have the expected shape (details withheld: it carries a credential)"
                .to_owned()
        } else {
            crate::redact::redact_secrets(&message.into(), &secrets)
        };
        Error::Decode {
            operation: self.operation,
            status: self.status,
            message,
            body: self.snippet(),
        }
    }

    /// A [`Error::Http`] for this response, for vendors that report errors inside a 2xx body.
    pub fn http_error(&self, code: Option<String>, message: Option<String>) -> Error {
        let secrets: Vec<&str> = self.secrets.iter().map(|s| s.expose_secret()).collect();
        let redact = |s: String| crate::redact::redact_secrets(&s, &secrets);
        Error::Http {
            operation: self.operation,
            status: self.status,
            code: code.map(redact),
            message: message.map(redact),
            body: self.snippet(),
        }
    }
}

/// How one attempt failed before an HTTP answer was complete.
struct AttemptFailure {
    kind: TransportKind,
    /// Whether the request may have reached the server.
    sent: bool,
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
            message: error_chain(&e.without_url()),
        }
    }

    fn outcome(&self) -> Option<AttemptOutcome> {
        match (self.kind, self.sent) {
            (TransportKind::Connect, _) => Some(AttemptOutcome::ConnectFailed),
            (TransportKind::Timeout, sent) => Some(AttemptOutcome::TimedOut { sent }),
            (_, true) => Some(AttemptOutcome::ConnectionLost),
            // A request that could not even be built: retrying cannot help.
            (_, false) => None,
        }
    }
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

/// Reads a vendor code and message out of a JSON error body, trying the usual field names.
fn code_and_message(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let text = |keys: &[&str]| {
        keys.iter().find_map(|k| match map.get(*k) {
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    };
    (
        text(&["errorcode", "error_code", "code"]),
        text(&[
            "message",
            "msg",
            "error_description",
            "error",
            "detail",
            "title",
        ]),
    )
}

impl Transport {
    /// A builder; `user_agent` should be `<crate>/<version>`.
    pub fn builder(user_agent: impl Into<String>) -> TransportBuilder {
        TransportBuilder::new(user_agent)
    }

    /// The base URL operations are relative to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The rate-limit headers of the last answer that carried any.
    pub fn rate_limit(&self) -> Option<RateLimitInfo> {
        self.inner
            .rate_limit
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Attempts handed to the HTTP stack so far, retries included (shared by clones).
    ///
    /// For vendors that count requests against a quota (CloudPOS: 500 a day): every attempt
    /// may reach the server, so every attempt is counted, even one that then fails to connect.
    pub fn attempts_sent(&self) -> u64 {
        self.inner.attempts.load(Ordering::Relaxed)
    }

    /// Tokens left in the retry budget.
    pub fn retry_budget_available(&self) -> u32 {
        self.inner.budget.available()
    }

    /// Executes `op` and decodes a 2xx JSON body into `T`.
    pub async fn execute_json<T: DeserializeOwned>(&self, op: &Operation) -> Result<T, Error> {
        self.execute(op).await?.json()
    }

    /// Executes `op`: sends it, retries what the policy allows, and returns the 2xx answer.
    ///
    /// Non-2xx answers become [`Error::Http`] (or [`Error::RateLimited`] for 429). A write that
    /// may have reached the server without a complete answer becomes [`Error::OutcomeUnknown`].
    pub async fn execute(&self, op: &Operation) -> Result<Response, Error> {
        let url = self.url_for(op)?;
        let span = tracing::info_span!(
            "pos_client.operation",
            vendor = op.id.vendor,
            operation = op.id.name,
            method = %op.method,
            url = %redacted_url(&url),
            idempotent = op.idempotent,
            attempts = Empty,
        );
        self.run(op, &url).instrument(span).await
    }

    fn url_for(&self, op: &Operation) -> Result<Url, Error> {
        let mut url = self
            .inner
            .base
            .join(op.path.trim_start_matches('/'))
            .map_err(|e| Error::config(format!("{}: invalid path: {e}", op.id)))?;
        if !op.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (key, value) in &op.query {
                match value {
                    Param::Plain(v) => pairs.append_pair(key, v),
                    Param::Secret(s) => pairs.append_pair(key, s.expose_secret()),
                    Param::Flag => pairs.append_key_only(key),
                };
            }
        }
        Ok(url)
    }

    async fn run(&self, op: &Operation, url: &Url) -> Result<Response, Error> {
        let mut attempt = 1u32;
        loop {
            let span = tracing::debug_span!(
                "pos_client.attempt",
                attempt,
                status = Empty,
                error_kind = Empty
            );
            let result = self.attempt(op, url).instrument(span.clone()).await;
            let outcome = match &result {
                Ok((status, headers, _)) => {
                    span.record("status", status.as_u16());
                    Some(AttemptOutcome::Status {
                        status: status.as_u16(),
                        // A success is never retried: no need to read the clock for it.
                        retry_after: if status.is_success() {
                            None
                        } else {
                            retry_after(headers, SystemTime::now())
                        },
                    })
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
                        Ok((status, ..)) => *status,
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

    async fn attempt(
        &self,
        op: &Operation,
        url: &Url,
    ) -> Result<(StatusCode, HeaderMap, Bytes), AttemptFailure> {
        let mut request = self
            .inner
            .http
            .request(op.method.clone(), url.clone())
            .timeout(self.inner.timeout)
            .header(ACCEPT, "application/json");
        request = match &op.body {
            Body::None => request,
            Body::Form(pairs) => request
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(encode_form(pairs)),
            Body::Json(bytes) => request
                .header(CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
        };
        self.inner.attempts.fetch_add(1, Ordering::Relaxed);
        let mut response = request
            .send()
            .await
            .map_err(|e| AttemptFailure::from_reqwest(e, false))?;
        let status = response.status();
        // Moved out rather than cloned: reading the body as bytes does not need them.
        let headers = std::mem::take(response.headers_mut());
        let body = response
            .bytes()
            .await
            .map_err(|e| AttemptFailure::from_reqwest(e, true))?;
        if RateLimitInfo::any_in(&headers)
            && let Some(info) = RateLimitInfo::from_headers(&headers, SystemTime::now())
        {
            *self
                .inner
                .rate_limit
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = Some(info);
        }
        Ok((status, headers, body))
    }

    fn finish(
        &self,
        op: &Operation,
        result: Result<(StatusCode, HeaderMap, Bytes), AttemptFailure>,
    ) -> Result<Response, Error> {
        match result {
            Ok((status, headers, body)) if status.is_success() => {
                self.inner.budget.refund(SUCCESS_REFUND);
                Ok(Response {
                    operation: op.id,
                    status,
                    headers,
                    body,
                    secrets: op.secrets.clone(),
                    body_is_secret: op.answer_is_secret,
                })
            }
            Ok((status, headers, _)) if status == StatusCode::TOO_MANY_REQUESTS => Err(
                rate_limited(op.id, status, retry_after(&headers, SystemTime::now())),
            ),
            Ok((status, _, body)) => {
                let (code, message) = code_and_message(&body);
                let secrets = op.secret_strs();
                let redact = |s: String| crate::redact::redact_secrets(&s, &secrets);
                Err(Error::Http {
                    operation: op.id,
                    status,
                    code: code.map(redact),
                    message: message.map(redact),
                    body: if op.answer_is_secret {
                        BodySnippet::withheld()
                    } else {
                        BodySnippet::new(&body, &secrets)
                    },
                })
            }
            Err(failure) if failure.sent && !op.idempotent => Err(Error::OutcomeUnknown {
                operation: op.id,
                reference: op.reference.clone(),
                cause: format!("{}: {}", failure.kind, failure.message),
            }),
            Err(failure) => Err(Error::Transport {
                operation: op.id,
                kind: failure.kind,
                message: failure.message,
            }),
        }
    }
}

fn rate_limited(
    operation: OperationId,
    status: StatusCode,
    retry_after: Option<Duration>,
) -> Error {
    Error::RateLimited {
        operation,
        status,
        retry_after,
        retry_at: retry_after
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .map(|d| chrono::Utc::now() + d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(url: &str) -> Result<Transport, Error> {
        Transport::builder("test/0").base_url(url).build()
    }

    #[test]
    fn plain_http_is_refused_for_remote_hosts_unless_opted_in() {
        assert!(build("http://127.0.0.1:8080/api/").is_ok());
        assert!(build("http://localhost/api/").is_ok());
        assert!(build("http://[::1]:9/").is_ok());
        assert!(build("https://example.com/api/").is_ok());
        let err = build("http://example.com/api/").unwrap_err();
        assert!(matches!(err, Error::Config { .. }), "{err}");
        assert!(build("http://10.0.0.1/api/").is_err());
        assert!(
            Transport::builder("t")
                .base_url("http://pos.local:8080/api/")
                .allow_plain_http(true)
                .build()
                .is_ok()
        );
        assert!(build("ftp://example.com/").is_err());
        assert!(build("https://user:pw@example.com/").is_err());
        assert!(build("https://example.com/?token=x").is_err());
    }

    #[test]
    fn timeouts_are_bounded() {
        let zero = Transport::builder("t")
            .base_url("https://example.com/")
            .timeout(Duration::ZERO)
            .build();
        assert!(zero.is_err());
        let huge = Transport::builder("t")
            .base_url("https://example.com/")
            .connect_timeout(Duration::from_secs(3600))
            .build();
        assert!(huge.is_err());
    }

    #[test]
    fn urls_join_the_base_and_append_query_flags_and_secrets() {
        let t = build("https://cloudpos.be/api").unwrap();
        assert_eq!(t.base_url().as_str(), "https://cloudpos.be/api/");
        let token = SecretString::from("T0K");
        let op = Operation::read("v", "get-products", http::Method::GET, "")
            .query("licname", "shop one")
            .query_secret("token", &token)
            .query_flag("get-products");
        assert_eq!(
            t.url_for(&op).unwrap().as_str(),
            "https://cloudpos.be/api/?licname=shop+one&token=T0K&get-products"
        );
        let op = Operation::read("v", "sync", http::Method::POST, "/sync-stock");
        assert_eq!(
            t.url_for(&op).unwrap().as_str(),
            "https://cloudpos.be/api/sync-stock"
        );
        let debug = format!("{t:?}");
        assert!(debug.contains("https://cloudpos.be/api/"));
    }

    #[test]
    fn error_bodies_yield_code_and_message_where_present() {
        assert_eq!(
            code_and_message(br#"{"errorcode":1002,"message":"Token or name not valid"}"#),
            (Some("1002".into()), Some("Token or name not valid".into()))
        );
        assert_eq!(
            code_and_message(br#"{"status":0,"msg":"Invalid UID"}"#),
            (None, Some("Invalid UID".into()))
        );
        assert_eq!(
            code_and_message(b"<html>502 Bad Gateway</html>"),
            (None, None)
        );
        assert_eq!(code_and_message(b"[1,2]"), (None, None));
    }
}
