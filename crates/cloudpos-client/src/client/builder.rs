//! [`ClientBuilder`]: credentials, quota, clock and transport settings, and the environment
//! variables [`ClientBuilder::from_env`] reads.

use std::fmt;
use std::sync::Arc;

use pos_client_core::chrono::{DateTime, Utc};
use pos_client_core::guard::Clock;
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Env, Pipeline, TransportBuilder};

use super::Client;
use crate::error::{Error, ErrorCode};
use crate::guard::guards;
use crate::protocol::{CloudPos, Credentials};

/// The documented base URL, up to and including `/api/`.
pub const DEFAULT_BASE_URL: &str = "https://cloudpos.be/api/";

/// The environment variable holding the base URL (optional; default [`DEFAULT_BASE_URL`]).
pub const BASE_URL_VAR: &str = "CLOUDPOS_BASE_URL";

/// The environment variable holding the licence name (`licname`, required by
/// [`Client::from_env`]).
pub const LICNAME_VAR: &str = "CLOUDPOS_LICNAME";

/// The environment variable holding the token (required by [`Client::from_env`]).
pub const TOKEN_VAR: &str = "CLOUDPOS_TOKEN";

/// The vendor's daily request limit ("500 connecties per dag").
pub const DEFAULT_DAILY_QUOTA: u32 = 500;

/// The user agent sent with every request: `cloudpos-client/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
///
/// The transport settings (`base_url`, `timeout`, `connect_timeout`, `retry_policy`,
/// `http_client`, `allow_plain_http`, `max_response_bytes`) are the same for every vendor
/// crate. The retry policy applies to the reads: every function except the three signing
/// functions is retried on timeouts, lost connections and 408/429/5xx, and each retry counts
/// against the daily quota. The signing functions ([`Client::invoice_signed`],
/// [`Client::offer_signed`], [`Client::credit_note_signed`]) are writes: the document's 2002
/// "Document nr already in use" shows that the server records each signing, so the client
/// never re-sends them once they may have reached the server, whatever the policy. Credential
/// errors and 1003 are never retried.
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    licname: Option<String>,
    token: Option<SecretString>,
    daily_quota: u32,
    refuse_below: u32,
    clock: Option<Clock>,
    /// Timeouts, retry policy, HTTP client and plain-HTTP opt-in, applied at `build`.
    transport: TransportBuilder,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("licname", &self.licname)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("transport", &self.transport)
            .field("daily_quota", &self.daily_quota)
            .field("refuse_below", &self.refuse_below)
            .finish_non_exhaustive()
    }
}

pos_client_core::client_basics!(Client, ClientBuilder, Error, pipeline);

impl ClientBuilder {
    /// A builder with the documented base URL, the default retry policy and the vendor's daily
    /// quota of 500.
    pub fn new() -> Self {
        ClientBuilder {
            licname: None,
            token: None,
            daily_quota: DEFAULT_DAILY_QUOTA,
            refuse_below: 1,
            clock: None,
            transport: TransportBuilder::new(USER_AGENT).base_url(DEFAULT_BASE_URL),
        }
    }

    /// A builder configured from variables read through `lookup` ([`from_env`](Self::from_env)
    /// reads the process environment): [`LICNAME_VAR`] (`CLOUDPOS_LICNAME`) and [`TOKEN_VAR`]
    /// (`CLOUDPOS_TOKEN`), both required, and [`BASE_URL_VAR`] (`CLOUDPOS_BASE_URL`, default
    /// [`DEFAULT_BASE_URL`]). A missing variable is a configuration error that names it.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let env = Env::new(lookup);
        let licname =
            env.required::<ErrorCode>(LICNAME_VAR, "the CloudPOS licence name (licname)")?;
        let token = env.secret::<ErrorCode>(TOKEN_VAR, "the CloudPOS token")?;
        let builder = ClientBuilder::new().licname(licname).token_secret(token);
        Ok(match env.optional(BASE_URL_VAR) {
            Some(url) => builder.base_url(url),
            None => builder,
        })
    }

    /// The licence name (`licname`) and the token, both sent in the query of every request.
    ///
    /// [`build`](Self::build) refuses empty values, control characters (CR, LF, NUL …) and
    /// values longer than [`MAX_LICNAME_CHARS`](super::MAX_LICNAME_CHARS) /
    /// [`MAX_TOKEN_CHARS`](super::MAX_TOKEN_CHARS): both travel in the URL.
    pub fn credentials(mut self, licname: impl Into<String>, token: impl Into<String>) -> Self {
        self.licname = Some(licname.into());
        self.token = Some(SecretString::from(token.into()));
        self
    }

    /// The licence name (`licname`).
    pub fn licname(mut self, licname: impl Into<String>) -> Self {
        self.licname = Some(licname.into());
        self
    }

    /// The token, already wrapped as a secret.
    pub fn token_secret(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// The daily request quota counted locally (default [`DEFAULT_DAILY_QUOTA`], 500). Set it
    /// to what your licence allows, or lower to share the quota with another program.
    pub fn daily_quota(mut self, quota: u32) -> Self {
        self.daily_quota = quota;
        self
    }

    /// Refuses calls locally when fewer than `reserve` requests remain today (default 1: refuse
    /// when none remain). `refuse_below(0)` turns local refusal off (the server's 1003 still
    /// stops the client); `refuse_below(20)` keeps 20 requests for emergencies.
    pub fn refuse_below(mut self, reserve: u32) -> Self {
        self.refuse_below = reserve;
        self
    }

    /// Replaces the clock used for the quota's day, 1003 waits and the end of a 1004 block (for
    /// tests).
    pub fn clock(mut self, clock: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// A configuration error when the credentials are missing, empty, contain a control
    /// character or are too long (see [`credentials`](Self::credentials); the error never
    /// shows them), when the daily quota is 0 (every call would be refused), or when the base
    /// URL is invalid.
    pub fn build(self) -> Result<Client, Error> {
        if self.daily_quota == 0 {
            return Err(Error::config(
                "the CloudPOS daily quota must be at least 1 (a quota of 0 refuses every call)",
            ));
        }
        let (Some(licname), Some(token)) = (self.licname, self.token) else {
            return Err(Error::config(format!(
                "CloudPOS needs a licence name and a token: ClientBuilder::credentials, or {LICNAME_VAR} and {TOKEN_VAR} with Client::from_env"
            )));
        };
        let credentials = Credentials::new(&licname, token)?;
        let transport = self
            .transport
            .build()
            .map_err(pos_client_core::Error::with_codes)?;
        let clock = self.clock.unwrap_or_else(|| Arc::new(Utc::now));
        let guards = guards(self.daily_quota, self.refuse_below, clock);
        Ok(Client {
            pipeline: Arc::new(Pipeline::new(transport, CloudPos::new(credentials, guards))),
        })
    }
}
