//! The transport: one pooled HTTP client, its settings, and the bookkeeping shared by clones.
//! The execution path itself is in `execute.rs`; vendor crates reach it through a
//! [`crate::Pipeline`].

use std::fmt;
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use secrecy::ExposeSecret;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::Error;
use crate::execute::StatusOnly;
use crate::operation::{Operation, Param};
use crate::rate_limit::RateLimitInfo;
use crate::redact::redacted_url;
use crate::response::Response;
use crate::retry::{RetryBudget, RetryPolicy};

/// Default time allowed to open a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time allowed for one attempt, from sending to the end of the response body.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The longest timeout the builder accepts: a call never waits without bound.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(300);
/// Default most requests one client has on the wire at once (and so most connections it opens
/// to a vendor); more calls wait for a free slot.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 64;
/// Default largest answer body read, in bytes (32 MiB); a larger one is cut off with
/// [`crate::TransportKind::TooLarge`].
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

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
    max_response_bytes: usize,
    max_in_flight: usize,
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
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
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

    /// The most requests on the wire at once (default [`DEFAULT_MAX_IN_FLIGHT`]; 0: no limit).
    /// A burst of calls then opens at most this many connections; the others wait for a slot
    /// (the wait does not count against the per-attempt timeout).
    pub fn max_in_flight(mut self, requests: usize) -> Self {
        self.max_in_flight = requests;
        self
    }

    /// The largest answer body read (default [`DEFAULT_MAX_RESPONSE_BYTES`]). A larger answer
    /// ends in a [`crate::TransportKind::TooLarge`] error without being read whole.
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// Checks the settings and builds the transport.
    pub fn build(self) -> Result<Transport, Error> {
        let raw = self
            .base_url
            .ok_or_else(|| Error::config("a base URL is required"))?;
        // The URL parser silently drops tabs and newlines: a base URL carrying them is a mistake
        // (a value pasted with a line break), not something to repair.
        if raw.trim().chars().any(char::is_control) {
            return Err(Error::config("the base URL contains a control character"));
        }
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
        if base.query().is_some()
            || base.fragment().is_some()
            || !base.username().is_empty()
            || base.password().is_some()
        {
            return Err(Error::config(
                "the base URL must not carry a query, a fragment or credentials; pass credentials to the client builder",
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
        let timeout_per_request = self.client.is_some();
        let http = match self.client {
            Some(client) => client,
            None => with_crypto_provider(reqwest::Client::builder())?
                .connect_timeout(self.connect_timeout)
                // The per-attempt timeout (reqwest's total timeout, body included).
                .timeout(self.timeout)
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
                timeout_per_request,
                budget: RetryBudget::new(self.retry.budget_capacity),
                retry: self.retry,
                rate_limit: Mutex::new(None),
                attempts: AtomicU64::new(0),
                max_response_bytes: self.max_response_bytes.max(1),
                in_flight: (self.max_in_flight > 0)
                    .then(|| tokio::sync::Semaphore::new(self.max_in_flight)),
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
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    base: Url,
    pub(crate) timeout: Duration,
    /// Whether `timeout` is set on each request: a caller-supplied client does not carry it.
    pub(crate) timeout_per_request: bool,
    pub(crate) retry: RetryPolicy,
    pub(crate) budget: RetryBudget,
    rate_limit: Mutex<Option<RateLimitInfo>>,
    pub(crate) attempts: AtomicU64,
    pub(crate) max_response_bytes: usize,
    /// Slots for requests on the wire, when limited.
    pub(crate) in_flight: Option<tokio::sync::Semaphore>,
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

    /// Executes `op` without vendor knowledge: sends it, retries what the policy allows, and
    /// returns the 2xx answer. Vendor crates use a [`crate::Pipeline`] instead.
    ///
    /// Non-2xx answers become [`Error::Http`] (or [`Error::RateLimited`] for 429). A write that
    /// may have reached the server without a complete answer becomes [`Error::OutcomeUnknown`].
    pub async fn execute(&self, op: &Operation) -> Result<Response, Error> {
        (self.run_with(op, &StatusOnly).await).map(|answered| answered.into_response(op.clone()))
    }

    /// Keeps the rate-limit headers of the last answer that carried any.
    pub(crate) fn remember_rate_limit(&self, info: RateLimitInfo) {
        *self
            .inner
            .rate_limit
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(info);
    }

    pub(crate) fn url_for(&self, op: &Operation) -> Result<Url, Error> {
        let mut url = self
            .inner
            .base
            .join(op.path.trim_start_matches('/'))
            .map_err(|e| Error::config(format!("{}: invalid path: {e}", op.id)))?;
        if !op.query.is_empty() {
            let kept = url.query().map_or(0, str::len);
            {
                let mut pairs = url.query_pairs_mut();
                for (key, value) in &op.query {
                    match value {
                        Param::Plain(v) => pairs.append_pair(key, v),
                        Param::Secret(s) => pairs.append_pair(key, s.expose_secret()),
                        Param::Flag => pairs.append_key_only(key),
                    };
                }
            }
            // A space as `%20`, not the form encoding's `+`: every decoder reads `%20` as a
            // space, while `+` is one only to form decoders (PHP's `$_GET`), a plus to an
            // RFC 3986 decoder. A `+` of a value is already `%2B`, so every `+` here is a space.
            if let Some(query) = url.query()
                && let (Some(base), Some(added)) = (query.get(..kept), query.get(kept..))
                && added.contains('+')
            {
                let query = format!("{base}{}", added.replace('+', "%20"));
                url.set_query(Some(&query));
            }
        }
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

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
        assert!(build("https://example.com/api/#frag").is_err());
        assert!(build("https://example.com/a\npi/").is_err());
        assert!(build("https://example.com/a\tpi/").is_err());
        assert!(
            build("  https://example.com/api/\n").is_ok(),
            "surrounding whitespace is trimmed"
        );
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
            .query("licname", "shop one+1")
            .query_secret("token", &token)
            .query_flag("get-products");
        // A space as %20 (a space to every decoder), a plus as %2B.
        assert_eq!(
            t.url_for(&op).unwrap().as_str(),
            "https://cloudpos.be/api/?licname=shop%20one%2B1&token=T0K&get-products"
        );
        // `validate::query_len` counts what `url_for` writes.
        let params = vec![
            ("a b", Param::Plain("x+y z/é".into())),
            ("t", Param::Secret(SecretString::from("s e"))),
            ("flag", Param::Flag),
        ];
        let op = crate::validate::add_query(
            Operation::read("v", "x", http::Method::GET, ""),
            params.clone(),
        );
        let url = t.url_for(&op).unwrap();
        assert_eq!(
            url.query().map(str::len),
            Some(crate::validate::query_len(&params) - 1),
            "{url}"
        );
        // A query written into the path is kept as written, its `+` included.
        let op = Operation::read("v", "x", http::Method::GET, "x?ng=a+b").query("q", "c d");
        assert_eq!(
            t.url_for(&op).unwrap().as_str(),
            "https://cloudpos.be/api/x?ng=a+b&q=c%20d"
        );
        let op = Operation::read("v", "sync", http::Method::POST, "/sync-stock");
        assert_eq!(
            t.url_for(&op).unwrap().as_str(),
            "https://cloudpos.be/api/sync-stock"
        );
        let debug = format!("{t:?}");
        assert!(debug.contains("https://cloudpos.be/api/"));
    }
}
