//! A stateful in-process fake of the CloudPOS API (feature `sandbox`), for your own tests.
//!
//! It serves `/api/` on `127.0.0.1` and behaves like the vendor describes:
//!
//! - only the document's path `/api/` (`/api` is a 404); the function is the bare query flag
//!   (`?licname=…&token=…&get-products`); URL filters are read from the query, post filters
//!   only from the form body of a `POST` (as PHP's `$_POST` would: sent another way they are
//!   absent, "… can not be empty"); a key sent twice counts with its last value, as in PHP;
//! - values read as sent, never trimmed or guessed: `start`, `end`, `customerid` and `persons`
//!   in digits, `weborderid` and `documentnr` exactly (a padded id is another id), both `date`s
//!   only as `YYYY-MM-DD`; a URL filter in another form selects nothing (2000), a reservation
//!   date in another form is a day with nothing available;
//! - seeded data for all 19 functions ([`Sandbox::start`]); orders are dated *today* (the
//!   Europe/Brussels day, by the sandbox clock: [`Sandbox::today`]) so a "today's orders" report
//!   has something to show;
//! - the documented filters: `start`/`end`/`date`/`clockinclockout` on `get-orders`,
//!   `start`/`end`/`date` on `get-invoices`, `start`/`end` on `get-coupon`, `customerid` on
//!   `get-customercredits`; `date` only as the document writes it, `YYYY-MM-DD` (any other
//!   value, empty included, selects nothing: 2000);
//! - answers `{"success":1,"data":[…]}` by default (choose another envelope with
//!   [`SandboxBuilder::envelope`]), and `{"errorcode":2000,"message":"No products found"}` when
//!   a list is empty;
//! - the real error codes: 1001 (empty licence name or token), 1002 (wrong), 1003 (daily limit,
//!   with the next possible request time), 1004 (after five bad logins the IP address — always
//!   127.0.0.1 here — is blocked for 30 minutes, with the time it ends), 1005 (a function
//!   switched off with [`SandboxBuilder::without_module`]), and per function only the codes the
//!   document lists for it ([`documented_codes`]): 2000 "No … found" for the lists,
//!   `get-invoicesigned` and siblings and `get-reservationpersons`; 2001–2003 for
//!   `get-confirmedweborder`; 2001/2002 for signing (2002 "Document nr already in use" when a
//!   number is signed a second time: signing is a write); 2001/2002 for
//!   `get-reservationhours`, which has no 2000 (no hours is an empty `hours` array);
//! - times as the Belgian server writes them: the daily limit of 500 requests counts per
//!   Europe/Brussels day (configurable: [`SandboxBuilder::daily_limit`]), and the datetimes of
//!   1003 and 1004 are Brussels wall-clock time;
//! - an injectable clock: [`Sandbox::advance_clock`] and [`Sandbox::set_clock`] move the
//!   sandbox's time, so tests of the 30-minute block or the day change never sleep. Clients
//!   from [`Sandbox::client`] and [`Sandbox::client_builder`] read the same clock.
//!
//! Every request is journaled and faults can be injected through the
//! [`pos_client_core::sandbox`] kit ([`Sandbox::journal`], [`Sandbox::faults`]); routes are the
//! path `/api/` plus the function flag: `Route::path("/api/").flag("get-orders")`, or
//! [`Sandbox::route`].
//!
//! The sandbox implements [`pos_client_core::sandbox::Exercise`] for the reliability suite:
//! every function of [`crate::models::OPERATIONS`] run once under a fault (a signing on a fresh
//! document number each time, reservations on a day the sandbox is open), the client's own
//! decoding of any answer offline, and sample answers (the sandbox's, the other list envelopes,
//! the document's error codes) to seed the mutation test.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudpos_client::sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let products = client.products().await?;
//! assert!(!products.is_empty());
//!
//! // A 503 on a read is retried; the second attempt succeeds. Both attempts count.
//! sandbox.faults().inject(Sandbox::route("get-categories"), Fault::status(503));
//! client.categories().await?;
//! assert_eq!(sandbox.journal().hits(Sandbox::route("get-categories")), 2);
//! assert_eq!(client.quota_used(), 3);
//! # Ok(())
//! # }
//! ```

mod data;
mod exercise;
mod functions;
mod routes;

use std::collections::BTreeSet;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::chrono::{DateTime, Duration, NaiveDate, Utc};
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::{Router, routing::any};
use serde_json::Value;

pub use pos_client_core::sandbox::{Fault, Faults, Journal, LogCapture, RecordedRequest, Route};

pub use data::SandboxData;
pub use functions::{FUNCTIONS, documented_codes};

use crate::client::{Client, ClientBuilder};
use crate::error::Error;
use crate::time::server_date;
use routes::{handle, roll_day};

/// The licence name the sandbox accepts by default.
pub const SANDBOX_LICNAME: &str = "demo-shop";
/// The token the sandbox accepts by default.
pub const SANDBOX_TOKEN: &str = "cp-sandbox-token-0001";
/// Bad logins after which the sandbox blocks the address, as the vendor documents.
pub const MAX_BAD_LOGINS: u32 = 5;
/// How long the address stays blocked after [`MAX_BAD_LOGINS`].
pub const BLOCK_MINUTES: i64 = 30;

/// How the sandbox wraps a list of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Envelope {
    /// `{"success":1,"data":[…]}` (the default).
    #[default]
    Data,
    /// `{"success":1,"get-products":[…]}`: under the function name.
    FunctionName,
    /// `{"success":1,"products":[…]}`: under the plural noun.
    Noun,
    /// `[…]`: a bare array.
    BareArray,
    /// `{"success":1,"12":{…},"13":{…}}`: records keyed by id, as PHP's `json_encode` writes a
    /// non-sequential array.
    KeyedById,
}

/// Configures a [`Sandbox`] before it starts.
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    licname: String,
    token: String,
    daily_limit: u32,
    envelope: Envelope,
    without: BTreeSet<String>,
    data: Option<SandboxData>,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("licname", &self.licname)
            .field("token", &"***")
            .field("daily_limit", &self.daily_limit)
            .field("envelope", &self.envelope)
            .field("without", &self.without)
            .finish_non_exhaustive()
    }
}

impl SandboxBuilder {
    /// The licence name and token the sandbox accepts (default [`SANDBOX_LICNAME`],
    /// [`SANDBOX_TOKEN`]).
    pub fn credentials(mut self, licname: impl Into<String>, token: impl Into<String>) -> Self {
        self.licname = licname.into();
        self.token = token.into();
        self
    }

    /// Requests accepted per Europe/Brussels day (default 500); the next one is answered 1003.
    pub fn daily_limit(mut self, limit: u32) -> Self {
        self.daily_limit = limit;
        self
    }

    /// How lists are wrapped (default [`Envelope::Data`]).
    pub fn envelope(mut self, envelope: Envelope) -> Self {
        self.envelope = envelope;
        self
    }

    /// Answers `function` with 1005 "No license for this module".
    pub fn without_module(mut self, function: &str) -> Self {
        self.without.insert(function.to_owned());
        self
    }

    /// Replaces the seeded data.
    pub fn data(mut self, data: SandboxData) -> Self {
        self.data = Some(data);
        self
    }

    /// Starts the server on `127.0.0.1:0` (on the current tokio runtime).
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let today = server_date(Utc::now());
        let shared = Arc::new(Shared {
            licname: self.licname,
            token: self.token,
            daily_limit: self.daily_limit,
            envelope: self.envelope,
            without: self.without,
            state: Mutex::new(SandboxState {
                data: self.data.unwrap_or_else(|| SandboxData::seeded(today)),
                clock_offset: Duration::zero(),
                bad_logins: 0,
                blocked_until: None,
                day: today,
                requests_today: 0,
            }),
        });
        let router = Router::new()
            // Only the document's path (`https://cloudpos.be/api/?…`): `/api` is another path.
            .route("/api/", any(handle))
            .with_state(shared.clone());
        let server = SandboxServer::start(router).await?;
        Ok(Sandbox { server, shared })
    }
}

struct Shared {
    licname: String,
    token: String,
    daily_limit: u32,
    envelope: Envelope,
    without: BTreeSet<String>,
    state: Mutex<SandboxState>,
}

struct SandboxState {
    data: SandboxData,
    clock_offset: Duration,
    bad_logins: u32,
    blocked_until: Option<DateTime<Utc>>,
    day: NaiveDate,
    requests_today: u32,
}

impl SandboxState {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_offset
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, SandboxState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The running sandbox. Stops when dropped.
pub struct Sandbox {
    server: SandboxServer,
    shared: Arc<Shared>,
}

// Debug, journal() (requests to `/api/`), faults(), connections(), server().
pos_client_core::sandbox_handle!(Sandbox, crate::protocol::VENDOR, crate::models::OPERATIONS);

impl Sandbox {
    /// Starts a sandbox with the seeded data that accepts [`SANDBOX_LICNAME`] and
    /// [`SANDBOX_TOKEN`].
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder: credentials, daily limit, envelope, modules, data.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            licname: SANDBOX_LICNAME.to_owned(),
            token: SANDBOX_TOKEN.to_owned(),
            daily_limit: crate::client::DEFAULT_DAILY_QUOTA,
            envelope: Envelope::default(),
            without: BTreeSet::new(),
            data: None,
        }
    }

    /// The route of one function, for faults and hit counts:
    /// `Route::path("/api/").flag(function)`.
    pub fn route(function: &str) -> Route {
        Route::path("/api/").flag(function)
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        format!("{}api/", self.server.base_url())
    }

    /// A client builder pointed at the sandbox with its credentials,
    /// [`RetryPolicy::without_delays`] and the sandbox's clock (so [`Sandbox::advance_clock`]
    /// moves the client's quota day and the end of a 1004 block too), to adjust before
    /// building.
    pub fn client_builder(&self) -> ClientBuilder {
        let shared = self.shared.clone();
        Client::builder()
            .base_url(self.base_url())
            .credentials(self.shared.licname.clone(), self.shared.token.clone())
            .retry_policy(RetryPolicy::without_delays())
            .clock(move || shared.lock().now())
    }

    /// A client pointed at the sandbox (no retry delays).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// Moves the sandbox's clock forward (the 30-minute block, the day of the daily limit).
    pub fn advance_clock(&self, by: std::time::Duration) {
        let by = Duration::from_std(by).unwrap_or_else(|_| Duration::days(365));
        self.shared.lock().clock_offset += by;
    }

    /// Sets the sandbox's clock to `t` (forward or back), e.g. just before a Brussels midnight
    /// or a daylight-saving change.
    pub fn set_clock(&self, t: DateTime<Utc>) {
        self.shared.lock().clock_offset = t - Utc::now();
    }

    /// The sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().now()
    }

    /// The sandbox's current day in Europe/Brussels: the day its daily limit counts and the
    /// date of the seeded "today's" orders.
    pub fn today(&self) -> NaiveDate {
        server_date(self.now())
    }

    /// Bad logins counted since the last good one (or the last block).
    pub fn bad_logins(&self) -> u32 {
        self.shared.lock().bad_logins
    }

    /// Until when 127.0.0.1 is blocked, if it is.
    pub fn blocked_until(&self) -> Option<DateTime<Utc>> {
        let state = self.shared.lock();
        state.blocked_until.filter(|t| *t > state.now())
    }

    /// Requests counted against the daily limit today (the sandbox's Europe/Brussels day).
    pub fn requests_today(&self) -> u32 {
        let mut state = self.shared.lock();
        roll_day(&mut state);
        state.requests_today
    }

    /// Confirms a web order (or adds it) with the pick-up/delivery time.
    pub fn confirm_weborder(&self, weborder_id: &str, time: &str) {
        self.shared
            .lock()
            .data
            .weborders
            .insert(weborder_id.to_owned(), Some(time.to_owned()));
    }

    /// The document numbers whose VAT ticket is taken: the seeded ones and every number signed
    /// since (a set: signing a number again is answered 2002 and changes nothing).
    pub fn documents_in_use(&self) -> BTreeSet<String> {
        self.shared.lock().data.documents_in_use.clone()
    }

    /// Replaces the records of a list function (wire shape).
    pub fn set_records(&self, function: &str, records: Vec<Value>) {
        self.shared
            .lock()
            .data
            .records
            .insert(function.to_owned(), records);
    }

    /// The records of a list function (wire shape).
    pub fn records(&self, function: &str) -> Vec<Value> {
        self.shared
            .lock()
            .data
            .records
            .get(function)
            .cloned()
            .unwrap_or_default()
    }
}
