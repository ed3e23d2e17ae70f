//! A stateful in-process fake of the CloudOnex API v2 (feature `sandbox`), for your own tests.
//!
//! It serves the ten resources under `http://127.0.0.1:PORT/api/v2/` and behaves as the
//! document describes, no looser:
//!
//! - `GET /x`, `GET /x/{id}`, `POST /x`, `PUT /x/{id}`, `DELETE /x/{id}` for all ten resources,
//!   with seeded records ([`Sandbox::start`]); answers in the envelope
//!   `{"success": true, "data": …, "message": …}` (`message` left out when there is none, as
//!   the document's "Optional status message" is a text, never `null`), records the way a
//!   PHP backend sends them (ids and amounts as strings, `YYYY-MM-DD HH:MM:SS` dates, `null`
//!   for empty);
//! - a list is a JSON array; with `?page=N` (and optionally `per_page`, default 25) it is a
//!   Laravel paginator: `{"data": [...], "current_page": "1", "last_page": 3, "per_page": 25,
//!   "total": 60}`;
//! - `POST /customers` needs `account`, and an `email` that is `""` or well-formed (a dot in
//!   its domain) when given; `account`, `email` and `phone` are texts as in the document's
//!   examples (`email` and `phone` may be `null`), an invoice line's `description` too: else 400
//!   `{"success": false, "errors": {"account": "…", "email": "Invalid email format"},
//!   "message": "Validation failed"}`; invoices need an existing `customer_id` and items with
//!   `description`, a numeric `amount` (negative for a credit or discount line) and a `qty`
//!   above zero, the rules the client checks; the server computes each
//!   line's `total` and the invoice `total` exactly; other resources take any non-empty object;
//! - bodies must be `Content-Type: application/json` objects (else 400);
//! - auth by `Authorization: Bearer <key>` under `/api/v2/`, or the document's alternative
//!   `/?api_key=<key>&ng=api/v2/<endpoint>`; a missing or wrong key is 401 (`"errors": []`,
//!   as PHP encodes an empty array);
//! - `X-RateLimit-Limit`, `-Remaining` and `-Reset` (unix seconds) on every answer to a known
//!   key, counting down per key from 1,000 per hour ([`SandboxBuilder::rate_limit`]); when used
//!   up, 429 with those headers and no `Retry-After`;
//! - unknown resources, ids or routes (`POST /x/{id}`, `PUT /x`, `PATCH` …): 404 in the error
//!   envelope, before the body is read (the document lists no 405).
//!
//! Every request is journaled and faults are injected per route through the kit
//! ([`Sandbox::journal`], [`Sandbox::faults`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudonex_client::sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let before = client.customers().list().await?.items.len();
//!
//! // A 503 on a read is retried; the second attempt succeeds.
//! sandbox.faults().inject("/api/v2/customers", Fault::status(503));
//! assert_eq!(client.customers().list().await?.items.len(), before);
//! assert_eq!(sandbox.journal().hits("/api/v2/customers"), 3);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::Router;
use serde_json::Value;

pub use pos_client_core::sandbox::{Fault, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder, Resource};
use crate::error::Error;
use crate::protocol::AuthMode;

mod exercise;
mod http;
mod routes;
mod state;

use http::handle;
use state::World;

/// The API key a default sandbox accepts. A test value, not a secret.
pub const SANDBOX_API_KEY: &str = "cx-sandbox-key-0001";

/// The documented limit: requests per hour per key.
pub const DOCUMENTED_RATE_LIMIT: u32 = 1000;

/// The window the limit counts in.
const WINDOW_SECS: u64 = 3600;

/// The page size of a paginated list when `per_page` is not given.
pub const DEFAULT_PER_PAGE: usize = 25;

/// Configures a [`Sandbox`].
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    keys: Vec<String>,
    limit: u32,
    seed: bool,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("keys", &self.keys.len())
            .field("limit", &self.limit)
            .field("seed", &self.seed)
            .finish()
    }
}

impl SandboxBuilder {
    /// The keys the sandbox accepts (replaces [`SANDBOX_API_KEY`]); each has its own limit.
    pub fn api_keys<I: IntoIterator<Item = S>, S: Into<String>>(mut self, keys: I) -> Self {
        self.keys = keys.into_iter().map(Into::into).collect();
        self
    }

    /// Requests per hour per key (default [`DOCUMENTED_RATE_LIMIT`]).
    pub fn rate_limit(mut self, per_hour: u32) -> Self {
        self.limit = per_hour;
        self
    }

    /// Starts without any seeded record.
    pub fn empty(mut self) -> Self {
        self.seed = false;
        self
    }

    /// Starts the sandbox.
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let state = Arc::new(Mutex::new(World::new(
            self.keys.clone(),
            self.limit,
            self.seed,
        )));
        let router = Router::new().fallback(handle).with_state(state.clone());
        let server = SandboxServer::start(router).await?;
        Ok(Sandbox {
            server,
            state,
            key: self.keys.first().cloned().unwrap_or_default(),
        })
    }
}

/// A running sandbox; it stops when dropped.
pub struct Sandbox {
    server: SandboxServer,
    state: Arc<Mutex<World>>,
    key: String,
}

pos_client_core::sandbox_handle!(Sandbox, crate::protocol::VENDOR, crate::models::OPERATIONS);

fn lock(state: &Mutex<World>) -> MutexGuard<'_, World> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

impl Sandbox {
    /// A sandbox with the seeded data, the key [`SANDBOX_API_KEY`] and the documented limit.
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            keys: vec![SANDBOX_API_KEY.to_owned()],
            limit: DOCUMENTED_RATE_LIMIT,
            seed: true,
        }
    }

    /// `http://127.0.0.1:PORT/api/v2/`.
    pub fn base_url(&self) -> String {
        format!("{}api/v2/", self.server.base_url())
    }

    /// The first accepted key.
    pub fn api_key(&self) -> &str {
        &self.key
    }

    /// A client builder for this sandbox: its base URL, its first key, retries without delays.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.base_url())
            .api_key(self.key.clone())
            .retry_policy(RetryPolicy::without_delays())
    }

    /// A Bearer client for this sandbox.
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// A client using the document's `?api_key=…&ng=…` form.
    pub fn query_string_client(&self) -> Result<Client, Error> {
        self.client_builder()
            .auth_mode(AuthMode::QueryString)
            .build()
    }

    /// The records of a resource, as stored (and sent).
    pub fn records(&self, resource: Resource) -> Vec<Value> {
        lock(&self.state)
            .tables
            .get(&resource)
            .map(|t| t.rows.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Requests left in the current window of `key`.
    pub fn remaining(&self, key: &str) -> u32 {
        let world = lock(&self.state);
        let limit = world.limit;
        world
            .windows
            .get(key)
            .map_or(limit, |w| limit.saturating_sub(w.used))
    }
}
