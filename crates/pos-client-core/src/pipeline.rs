//! [`Pipeline`]: a transport plus a vendor [`Protocol`]: from an [`Operation`] to a typed result.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use http::{HeaderName, Method, StatusCode};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use url::Url;

use crate::error::{CodeClass, Error, OperationId, VendorCode};
use crate::execute::Hooks;
use crate::operation::Operation;
use crate::protocol::{Answer, CallId, Protocol, Verdict};
use crate::rate_limit::RateLimitInfo;
use crate::response::Response;
use crate::transport::Transport;

/// The one execution path of a vendor client: guards, credentials, attempts with retries,
/// the vendor's reading of each answer, one renewal of a refused token, and decoding.
///
/// A vendor `Client` holds one and keeps it private, so no caller can send around the
/// vendor's guards. Cloning is cheap when `P` is (wrap the protocol's state in an `Arc`).
#[derive(Clone)]
pub struct Pipeline<P> {
    transport: Transport,
    protocol: P,
    pacing: Option<Duration>,
    calls: Arc<AtomicU64>,
}

impl<P> fmt::Debug for Pipeline<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pipeline")
            .field("transport", &self.transport)
            .field("pacing", &self.pacing)
            .finish_non_exhaustive()
    }
}

/// The protocol's hooks for one pass of a call, with the credential of that pass.
struct PassHooks<'a, P: Protocol> {
    protocol: &'a P,
    credential: &'a P::Credential,
}

impl<P: Protocol> Hooks for PassHooks<'_, P> {
    type Code = P::Code;
    fn sign(&self, method: &Method, url: &Url) -> Option<(HeaderName, SecretString)> {
        self.protocol.sign(method, url, self.credential)
    }
    fn on_attempt(&self, operation: OperationId) {
        self.protocol.on_attempt(operation);
    }
    fn interpret(&self, answer: &Answer<'_>) -> Verdict<P::Code> {
        self.protocol.interpret(answer)
    }
}

impl<P: Protocol> Pipeline<P> {
    /// A pipeline over `transport` speaking `protocol`.
    pub fn new(transport: Transport, protocol: P) -> Self {
        Pipeline {
            transport,
            protocol,
            pacing: None,
            calls: Arc::new(AtomicU64::new(0)),
        }
    }

    /// Paces calls by the server's `X-RateLimit-*` headers: when the last answer said no request
    /// is left (`Remaining: 0`) and the window resets within `max_wait`, the next call waits for
    /// the reset; when it resets later, the call fails at once with [`Error::RateLimited`]
    /// saying when, and nothing is sent.
    pub fn with_rate_limit_pacing(mut self, max_wait: Duration) -> Self {
        self.pacing = Some(max_wait);
        self
    }

    /// The vendor protocol (its guards' state, its session).
    pub fn protocol(&self) -> &P {
        &self.protocol
    }

    /// The base URL operations are relative to.
    pub fn base_url(&self) -> &Url {
        self.transport.base_url()
    }

    /// The rate-limit headers of the last answer that carried any.
    pub fn rate_limit(&self) -> Option<RateLimitInfo> {
        self.transport.rate_limit()
    }

    /// Tokens left in the retry budget.
    pub fn retry_budget_available(&self) -> u32 {
        self.transport.retry_budget_available()
    }

    /// Attempts handed to the HTTP stack so far, retries included.
    pub fn attempts_sent(&self) -> u64 {
        self.transport.attempts_sent()
    }

    /// The protocol's credential now (a session's login when it has none yet), without sending
    /// a call: to check credentials at start-up.
    pub async fn credential(&self) -> Result<P::Credential, Error<P::Code>> {
        self.protocol.credential(&self.transport).await
    }

    /// Sends `op` and decodes its payload into `T`, straight from the body bytes.
    pub async fn call<T: DeserializeOwned>(&self, op: Operation) -> Result<T, Error<P::Code>> {
        self.send(op).await?.decode()
    }

    /// Sends `op` through the guards, the credentials, the attempts and the vendor's reading of
    /// the answer, and returns the successful answer.
    pub async fn send(&self, op: Operation) -> Result<Response, Error<P::Code>> {
        let call = CallId(self.calls.fetch_add(1, Ordering::Relaxed));
        self.protocol.admit(&op, call)?;
        let id = op.id();
        // From here on the protocol hears of the call's end exactly once: `observe` with its
        // result, or `abandon` when the future is dropped on the way.
        let mut admitted = Admitted {
            protocol: &self.protocol,
            operation: id,
            call,
            observed: false,
        };
        let result = match self.pace(id).await {
            Ok(()) => self.send_authorized(op).await,
            Err(refused) => Err(refused),
        };
        admitted.observed = true;
        self.protocol.observe(id, call, result.as_ref());
        result
    }

    async fn send_authorized(&self, op: Operation) -> Result<Response, Error<P::Code>> {
        let credential = self.protocol.credential(&self.transport).await?;
        let again = P::RENEWS.then(|| op.clone());
        let first = self.protocol.authorize(op, &credential);
        let hooks = PassHooks {
            protocol: &self.protocol,
            credential: &credential,
        };
        let error = match self.transport.run_with(&first, &hooks).await {
            Ok(answered) => return Ok(answered.into_response(first)),
            Err(error) if is_token_refused(&error) => error,
            Err(error) => return Err(error),
        };
        // The server refused the token: its answer proves the request was not carried out, so
        // sending it once more with a fresh credential cannot double a write.
        let Some(op) = again else {
            return Err(error);
        };
        let Some(fresh) = self.protocol.renew(&self.transport, credential).await? else {
            return Err(error);
        };
        tracing::info!(operation = %id_of(&error), "credential refused; renewed once, sending again");
        let second = self.protocol.authorize(op, &fresh);
        let hooks = PassHooks {
            protocol: &self.protocol,
            credential: &fresh,
        };
        (self.transport.run_with(&second, &hooks).await)
            .map(|answered| answered.into_response(second))
    }

    /// Waits for, or refuses on, a used-up rate-limit window (see
    /// [`with_rate_limit_pacing`](Self::with_rate_limit_pacing)).
    async fn pace(&self, operation: OperationId) -> Result<(), Error<P::Code>> {
        let Some(max_wait) = self.pacing else {
            return Ok(());
        };
        let Some(info) = self.transport.rate_limit() else {
            return Ok(());
        };
        let (Some(0), Some(reset_at)) = (info.remaining, info.reset_at) else {
            return Ok(());
        };
        let Ok(wait) = (reset_at - chrono::Utc::now()).to_std() else {
            return Ok(()); // the window has already reset
        };
        if wait > max_wait {
            return Err(Error::RateLimited {
                operation,
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Some(wait),
                retry_at: Some(reset_at),
            });
        }
        tracing::debug!(
            wait_ms = wait.as_millis() as u64,
            "rate limit used up; waiting for the reset"
        );
        tokio::time::sleep(wait).await;
        Ok(())
    }
}

/// An admitted call that has not been observed yet; dropping it unobserved abandons the call.
struct Admitted<'a, P: Protocol> {
    protocol: &'a P,
    operation: OperationId,
    call: CallId,
    observed: bool,
}

impl<P: Protocol> Drop for Admitted<'_, P> {
    fn drop(&mut self) {
        if !self.observed {
            self.protocol.abandon(self.operation, self.call);
        }
    }
}

fn is_token_refused<C: VendorCode>(error: &Error<C>) -> bool {
    matches!(error, Error::Api { code, .. } if code.class() == CodeClass::TokenRefused)
}

fn id_of<C: VendorCode>(error: &Error<C>) -> String {
    error.operation().map(|o| o.to_string()).unwrap_or_default()
}
