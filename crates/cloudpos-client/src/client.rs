//! The CloudPOS client: [`Client`], [`ClientBuilder`], the filters, and one async method per
//! `get-*` function.
//!
//! # Requests
//!
//! Every function is one request to the base URL with the licence name, the token and the
//! function as a bare flag in the query, as the vendor's example shows:
//! `https://cloudpos.be/api/?licname=…&token=…&get-products`. Functions with only "URL filters"
//! are `GET` requests with the filters in the query (`&start=1&end=5&date=2016-01-01`,
//! `&clockinclockout`, `&customerid=1`). Functions with "post filters" (`weborderid`,
//! `documentnr`, `date`, `persons`) are `POST` requests to the same URL with the filters in an
//! `application/x-www-form-urlencoded` body. Dates are sent as `YYYY-MM-DD`.
//!
//! # Lockout protection
//!
//! The document: "na 5 verkeerde inlogpogingen word het ip adres voor 30 min geblokkeerd"
//! (after 5 wrong logins the IP address is blocked for 30 minutes), with 1001 "Token and name
//! can not be empty", 1002 "Token or name not valid" and 1004 "5 bad logins reached, your ip
//! adress is blocked till 'datetime'". After one of these answers the client sends nothing more:
//! every call fails at once with [`Error::LockedOut`]. These answers are never retried, and
//! clones of a client share the lock.
//!
//! - **1001 and 1002** mean the credentials are wrong; sending them again would only add bad
//!   logins. The lock stays, however long, until you replace the credentials
//!   ([`Client::set_credentials`]) or call [`Client::reset_lockout`].
//! - **1004** lifts at the time the server named (Europe/Brussels, see [`crate::time`]; 30
//!   minutes after the answer when the time is unreadable, per the document): from then on the
//!   client lets **one** request through, and refuses the others while it is under way. If the
//!   server accepts the login (any answer other than 1001/1002/1004) the lock is gone; if it
//!   answers 1001, 1002 or 1004 the client is locked again by that answer; if no answer comes
//!   (timeout, lost connection) the next call is again the one let through.
//!   [`Lockout::lifts_at`] tells when.
//!
//! # Daily quota
//!
//! CloudPOS accepts 500 requests a day ("500 connecties per dag"). The server is in Belgium, so
//! the client counts per **Europe/Brussels calendar day** (midnight is 23:00 UTC in winter and
//! 22:00 UTC in summer; see [`crate::time`]). It counts every attempt it sends (a retry after
//! a 503 or a timeout counts too, since the server may have counted it) and shows what remains
//! with [`Client::quota_remaining`]. By default it refuses a call locally
//! ([`Error::QuotaExhausted`], nothing sent) when the count reaches the quota; raise the quota
//! for a licence with a larger allowance ([`ClientBuilder::daily_quota`]) or keep a reserve
//! ([`ClientBuilder::refuse_below`]). A 1003 answer is never retried: the client refuses further
//! calls until the time the server named, read as Brussels local time (ambiguous or skipped
//! times around a daylight-saving change are read as the latest instant they can mean, so the
//! client never sends early), or until the next Brussels midnight when it named none.
//!
//! Requests sent by other programs or before a restart are not counted; tell the client with
//! [`Client::set_quota_used`].

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use pos_client_core::chrono::{DateTime, Duration as TimeDelta, NaiveDate, Utc};
use pos_client_core::http::Method;
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{Operation, Response, RetryPolicy, Transport, TransportBuilder};
use serde::de::DeserializeOwned;

use crate::envelope::{decode_list, decode_one};
use crate::error::{CoreError, Error, ErrorCode, QuotaReason};
use crate::models::{
    Category, Coupon, Customer, CustomerCredit, GiftVoucher, Invoice, PaymentMethod, Printer,
    Product, ReservationHours, ReservationPersons, SignedDocument, Subproduct, Table, User,
    WeborderConfirmation, WireOrder,
};
use crate::orders::Order;
use crate::time::{next_server_midnight, server_date, server_local_to_utc};

/// The vendor name used in errors and tracing spans.
pub const VENDOR: &str = "cloudpos";

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

/// A source of the current time, for the quota's day, the 1003 wait and the end of a 1004
/// block. Tests inject one.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The `date` filter's and post filter's date format.
const DATE_FORMAT: &str = "%Y-%m-%d";

/// Filters of `get-orders` (all optional; "Url filter" in the vendor's document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct OrderFilter {
    /// `start`: begin at this order id ("begin bij order id").
    pub start: Option<u64>,
    /// `end`: stop at this order id ("stop bij order id").
    pub end: Option<u64>,
    /// `date`: only orders of this date ("selecteer bepaalde datum").
    pub date: Option<NaiveDate>,
    /// `clockinclockout`: only labour clock-in and clock-out records ("enkel arbeid in en uit").
    pub clock_in_out: bool,
}

impl OrderFilter {
    /// No filter: every order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Orders with ids from `start` to `end` (inclusive, as the vendor describes it).
    pub fn ids(mut self, start: u64, end: u64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// Orders from id `start` on.
    pub fn start(mut self, start: u64) -> Self {
        self.start = Some(start);
        self
    }

    /// Orders up to id `end`.
    pub fn end(mut self, end: u64) -> Self {
        self.end = Some(end);
        self
    }

    /// Orders of one date.
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }

    /// Only labour clock-in/clock-out records.
    pub fn clock_in_out(mut self) -> Self {
        self.clock_in_out = true;
        self
    }
}

/// Filters of `get-invoices` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct InvoiceFilter {
    /// `start`: begin at this invoice id ("begin bij factuur id").
    pub start: Option<u64>,
    /// `end`: stop at this invoice id ("stop bij factuur id").
    pub end: Option<u64>,
    /// `date`: only documents of this date.
    pub date: Option<NaiveDate>,
}

impl InvoiceFilter {
    /// No filter: every document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Documents with ids from `start` to `end`.
    pub fn ids(mut self, start: u64, end: u64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// Documents of one date.
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }
}

/// Filters of `get-coupon` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct CouponFilter {
    /// `start`: begin at this coupon id ("begin bij kortingsbon id").
    pub start: Option<u64>,
    /// `end`: stop at this coupon id ("stop bij kortingsbon id").
    pub end: Option<u64>,
}

impl CouponFilter {
    /// No filter: every coupon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Coupons with ids from `start` to `end`.
    pub fn ids(mut self, start: u64, end: u64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }
}

fn check_range(function: &str, start: Option<u64>, end: Option<u64>) -> Result<(), Error> {
    match (start, end) {
        (Some(s), Some(e)) if s > e => Err(Error::validation(format!(
            "{function}: start ({s}) is after end ({e})"
        ))),
        _ => Ok(()),
    }
}

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    licname: Option<String>,
    token: Option<SecretString>,
    /// Timeouts, retry policy, HTTP client and plain-HTTP opt-in, applied at `build`.
    transport: TransportBuilder,
    daily_quota: u32,
    refuse_below: u32,
    clock: Option<Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("licname", &self.licname)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("transport", &self.transport)
            .field("daily_quota", &self.daily_quota)
            .field("refuse_below", &self.refuse_below)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with the documented base URL, the default retry policy and the vendor's daily
    /// quota of 500.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            licname: None,
            token: None,
            transport: TransportBuilder::default(),
            daily_quota: DEFAULT_DAILY_QUOTA,
            refuse_below: 1,
            clock: None,
        }
    }

    /// A builder configured from the environment: [`LICNAME_VAR`] (`CLOUDPOS_LICNAME`) and
    /// [`TOKEN_VAR`] (`CLOUDPOS_TOKEN`), both required, and [`BASE_URL_VAR`]
    /// (`CLOUDPOS_BASE_URL`, default [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading the variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let required = |name: &str, what: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| {
                    Error::from(CoreError::config(format!(
                        "{name} is not set or empty; it must hold the CloudPOS {what}"
                    )))
                })
        };
        let licname = required(LICNAME_VAR, "licence name (licname)")?;
        let token = required(TOKEN_VAR, "token")?;
        let mut builder = ClientBuilder::new().credentials(licname, token);
        if let Some(url) = lookup(BASE_URL_VAR).filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }

    /// The base URL, up to and including `/api/` (a missing trailing `/` is added).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The licence name (`licname`) and the token, both sent in the query of every request.
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

    /// Time allowed for one attempt (default 30 s, at most 300 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.timeout(timeout);
        self
    }

    /// Time allowed to open a connection (default 5 s, at most 300 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.connect_timeout(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 3 attempts). It applies to the reads:
    /// every function except the three signing functions is retried on timeouts, lost
    /// connections and 408/429/5xx, and each retry counts against the daily quota. The signing
    /// functions ([`Client::invoice_signed`], [`Client::offer_signed`],
    /// [`Client::credit_note_signed`]) are writes: the document's 2002 "Document nr already in
    /// use" shows that the server records each signing, so the client never re-sends them once
    /// they may have reached the server, whatever the policy. Credential errors and 1003 are
    /// never retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.transport = self.transport.retry_policy(policy);
        self
    }

    /// Uses your own `reqwest::Client` (proxies, custom roots).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = self.transport.http_client(client);
        self
    }

    /// Allows plain `http://` to a non-loopback host (off by default: the token would cross the
    /// network in clear text).
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.transport = self.transport.allow_plain_http(allow);
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
    pub fn build(self) -> Result<Client, Error> {
        let (Some(licname), Some(token)) = (self.licname, self.token) else {
            return Err(Error::from(CoreError::config(format!(
                "CloudPOS needs a licence name and a token: ClientBuilder::credentials, or {LICNAME_VAR} and {TOKEN_VAR} with Client::from_env"
            ))));
        };
        check_credentials(&licname, &token)?;
        let transport = self
            .transport
            .user_agent(USER_AGENT)
            .base_url(self.base_url);
        let transport = transport.build()?;
        let clock = self.clock.unwrap_or_else(|| Arc::new(Utc::now));
        let today = server_date(clock());
        Ok(Client {
            shared: Arc::new(Shared {
                credentials: RwLock::new(Credentials {
                    licname: licname.trim().to_owned(),
                    token,
                }),
                guard: Mutex::new(Guard {
                    lockout: None,
                    day: today,
                    day_start_attempts: transport.attempts_sent(),
                    adjustment: 0,
                    in_flight: 0,
                    probe_in_flight: false,
                    server_block_until: None,
                }),
                daily_quota: self.daily_quota,
                refuse_below: self.refuse_below,
                clock,
            }),
            transport,
        })
    }
}

fn check_credentials(licname: &str, token: &SecretString) -> Result<(), Error> {
    if licname.trim().is_empty() || token.expose_secret().trim().is_empty() {
        return Err(Error::from(CoreError::config(
            "the CloudPOS licence name and token must not be empty (the server would answer 1001 and count a bad login)",
        )));
    }
    Ok(())
}

struct Credentials {
    licname: String,
    token: SecretString,
}

/// Why and since when the client is locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    /// The answer that locked the client (1001, 1002 or 1004).
    pub cause: ErrorCode,
    /// When it came.
    pub since: DateTime<Utc>,
}

/// How long the document says an IP block lasts ("voor 30 min geblokkeerd").
pub const IP_BLOCK_MINUTES: i64 = 30;

impl Lockout {
    /// When the client lets one request through again: for 1004, the "blocked till" time read
    /// as Europe/Brussels local time (or [`IP_BLOCK_MINUTES`] after the answer when the message
    /// had no readable time). `None` for 1001 and 1002, which last until the credentials are
    /// replaced or the lockout is reset.
    pub fn lifts_at(&self) -> Option<DateTime<Utc>> {
        match &self.cause {
            ErrorCode::IpBlocked { until: Some(t) } => Some(server_local_to_utc(*t)),
            ErrorCode::IpBlocked { until: None } => {
                Some(self.since + TimeDelta::minutes(IP_BLOCK_MINUTES))
            }
            _ => None,
        }
    }
}

struct Guard {
    lockout: Option<Lockout>,
    /// A 1004 block has ended and the one request let through is under way.
    probe_in_flight: bool,
    /// The server's (Brussels) day being counted.
    day: NaiveDate,
    /// `transport.attempts_sent()` when the day began.
    day_start_attempts: u64,
    /// Added to the count by [`Client::set_quota_used`] (may be negative).
    adjustment: i64,
    /// Calls admitted but not finished: reserved against the quota until they finish.
    in_flight: u32,
    /// After a 1003 answer: no requests before this time.
    server_block_until: Option<DateTime<Utc>>,
}

struct Shared {
    credentials: RwLock<Credentials>,
    guard: Mutex<Guard>,
    daily_quota: u32,
    refuse_below: u32,
    clock: Clock,
}

/// A CloudPOS API client. Cheap to clone; clones share the connection pool, the credentials,
/// the lockout and the quota count.
///
/// Debug output never shows the token.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    shared: Arc<Shared>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url().as_str())
            .field("licname", &self.read_credentials().licname)
            .field("token", &"***")
            .field("locked", &self.lockout().is_some())
            .field("quota_remaining", &self.quota_remaining())
            .finish_non_exhaustive()
    }
}

/// Releases a call's quota reservation when it finishes (or is dropped), and the probe slot
/// when it was the one request let through after a 1004 block.
struct InFlight<'a> {
    shared: &'a Shared,
    probe: bool,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut guard = self.shared.lock_guard();
        guard.in_flight = guard.in_flight.saturating_sub(1);
        if self.probe {
            guard.probe_in_flight = false;
        }
    }
}

impl Shared {
    fn lock_guard(&self) -> MutexGuard<'_, Guard> {
        self.guard.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Client {
    /// A builder, starting from the documented base URL.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `CLOUDPOS_LICNAME`, `CLOUDPOS_TOKEN` and optionally
    /// `CLOUDPOS_BASE_URL` (see [`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        self.transport.base_url().as_str()
    }

    /// The underlying transport (retry budget, attempts sent).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    fn read_credentials(&self) -> std::sync::RwLockReadGuard<'_, Credentials> {
        self.shared
            .credentials
            .read()
            .unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces the licence name and token (for every clone) and lifts a lockout.
    ///
    /// Empty values are refused (the server would answer 1001 and count a bad login). The
    /// quota count is kept.
    pub fn set_credentials(
        &self,
        licname: impl Into<String>,
        token: impl Into<String>,
    ) -> Result<(), Error> {
        let licname = licname.into();
        let token = SecretString::from(token.into());
        check_credentials(&licname, &token)?;
        *self
            .shared
            .credentials
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Credentials {
            licname: licname.trim().to_owned(),
            token,
        };
        self.shared.lock_guard().lockout = None;
        tracing::info!("cloudpos: credentials replaced, lockout lifted");
        Ok(())
    }

    /// Lifts a lockout without changing the credentials. Only do this when you know the cause
    /// is fixed (the licence was re-activated): each further bad login brings the 30-minute IP
    /// block closer. A 1004 lockout lifts by itself at the time the server named.
    pub fn reset_lockout(&self) {
        self.shared.lock_guard().lockout = None;
    }

    /// The lockout in force, if any.
    pub fn lockout(&self) -> Option<Lockout> {
        self.shared.lock_guard().lockout.clone()
    }

    /// Requests counted today (the server's Europe/Brussels day), retries included.
    pub fn quota_used(&self) -> u32 {
        let now = (self.shared.clock)();
        let mut guard = self.shared.lock_guard();
        self.roll_day(&mut guard, now);
        self.used(&guard)
    }

    /// Requests left today (the server's Europe/Brussels day) before the quota: 0 while a 1003
    /// answer is in force.
    pub fn quota_remaining(&self) -> u32 {
        let now = (self.shared.clock)();
        let mut guard = self.shared.lock_guard();
        self.roll_day(&mut guard, now);
        if guard.server_block_until.is_some_and(|t| t > now) {
            return 0;
        }
        self.shared.daily_quota.saturating_sub(self.used(&guard))
    }

    /// The daily quota the client counts against.
    pub fn daily_quota(&self) -> u32 {
        self.shared.daily_quota
    }

    /// Sets today's count (for requests made by another program, or before a restart).
    pub fn set_quota_used(&self, used: u32) {
        let now = (self.shared.clock)();
        let mut guard = self.shared.lock_guard();
        self.roll_day(&mut guard, now);
        let counted = self.transport.attempts_sent() - guard.day_start_attempts;
        guard.adjustment = i64::from(used) - i64::try_from(counted).unwrap_or(i64::MAX);
    }

    fn used(&self, guard: &Guard) -> u32 {
        let counted = self
            .transport
            .attempts_sent()
            .saturating_sub(guard.day_start_attempts);
        let used = i64::try_from(counted)
            .unwrap_or(i64::MAX)
            .saturating_add(guard.adjustment)
            .max(0);
        u32::try_from(used).unwrap_or(u32::MAX)
    }

    /// The server's (Europe/Brussels) calendar day by the client's clock: the day the quota
    /// counts, and the `date` to ask for "today's" orders.
    pub fn server_today(&self) -> NaiveDate {
        server_date((self.shared.clock)())
    }

    fn roll_day(&self, guard: &mut Guard, now: DateTime<Utc>) {
        let today = server_date(now);
        if today != guard.day {
            guard.day = today;
            guard.day_start_attempts = self.transport.attempts_sent();
            guard.adjustment = 0;
        }
        if guard.server_block_until.is_some_and(|t| t <= now) {
            guard.server_block_until = None;
        }
    }

    /// Admits a call or refuses it locally (lockout, quota). On success the call holds a
    /// reservation against the quota until the returned guard drops.
    fn admit(&self, function: &'static str) -> Result<InFlight<'_>, Error> {
        let now = (self.shared.clock)();
        let mut guard = self.shared.lock_guard();
        let mut probe = false;
        if let Some(lockout) = &guard.lockout {
            // Only a 1004 block ends by itself; then exactly one request goes through.
            let ended = lockout.lifts_at().is_some_and(|at| now >= at);
            if !ended || guard.probe_in_flight {
                tracing::warn!(
                    function,
                    code = lockout.cause.code(),
                    "cloudpos: locked out; not sending"
                );
                return Err(Error::LockedOut {
                    function,
                    cause: lockout.cause.clone(),
                    since: lockout.since,
                });
            }
            probe = true;
        }
        self.roll_day(&mut guard, now);
        let used = self.used(&guard);
        let next_day = Some(next_server_midnight(now));
        if let Some(until) = guard.server_block_until {
            return Err(Error::QuotaExhausted {
                function,
                used,
                limit: self.shared.daily_quota,
                retry_at: Some(until),
                reason: QuotaReason::ServerLimit,
            });
        }
        let remaining = self
            .shared
            .daily_quota
            .saturating_sub(used)
            .saturating_sub(guard.in_flight);
        if remaining < self.shared.refuse_below {
            tracing::warn!(
                function,
                used,
                "cloudpos: daily quota exhausted; not sending"
            );
            return Err(Error::QuotaExhausted {
                function,
                used,
                limit: self.shared.daily_quota,
                retry_at: next_day,
                reason: QuotaReason::LocalLimit,
            });
        }
        guard.in_flight += 1;
        if probe {
            tracing::info!(
                function,
                "cloudpos: the IP block has ended; letting one request through"
            );
            guard.probe_in_flight = true;
        }
        Ok(InFlight {
            shared: &self.shared,
            probe,
        })
    }

    /// Records what a finished call means for the lockout and the quota.
    fn settle<T>(&self, ticket: &InFlight<'_>, result: &Result<T, Error>) {
        if let Err(error) = result {
            self.observe(error);
        }
        // The request let through after a block: an answer that is not a credential error
        // proves the server accepted the login. Without an answer the lock stays, and the next
        // call is let through instead (the ticket's drop frees the slot).
        let accepted = match result {
            Ok(_) => true,
            Err(Error::Api { code, .. }) => !code.locks_client(),
            Err(_) => false,
        };
        if ticket.probe && accepted {
            let mut guard = self.shared.lock_guard();
            if guard
                .lockout
                .as_ref()
                .is_some_and(|l| matches!(l.cause, ErrorCode::IpBlocked { .. }))
            {
                guard.lockout = None;
                tracing::info!("cloudpos: the server accepted the login; lockout lifted");
            }
        }
    }

    /// Records what an error answer means for the lockout and the quota.
    fn observe(&self, error: &Error) {
        let Error::Api { code, .. } = error else {
            return;
        };
        let now = (self.shared.clock)();
        let mut guard = self.shared.lock_guard();
        if code.locks_client() {
            tracing::warn!(
                code = code.code(),
                "cloudpos: credential error or IP block; the client sends nothing until it is lifted"
            );
            guard.lockout = Some(Lockout {
                cause: code.clone(),
                since: now,
            });
        }
        if let ErrorCode::DailyLimitReached { next_request_at } = code {
            // The server's Europe/Brussels wall-clock time; without one, its next midnight.
            let until = next_request_at
                .map(server_local_to_utc)
                .filter(|t| *t > now)
                .unwrap_or_else(|| next_server_midnight(now));
            guard.server_block_until = Some(until);
        }
    }

    /// The read operation for `function`, with the credentials and the flag in the query.
    fn operation(&self, function: &'static str, method: Method) -> Operation {
        self.with_credentials(Operation::read(VENDOR, function, method, ""), function)
    }

    /// Adds the credentials and the function flag to the query of `op`.
    fn with_credentials(&self, op: Operation, function: &'static str) -> Operation {
        let credentials = self.read_credentials();
        op.query("licname", credentials.licname.clone())
            .query_secret("token", &credentials.token)
            .query_flag(function)
    }

    /// Runs `op` through the lockout and quota guards and the transport, decodes the answer
    /// with `decode` (given the token to redact), and records what the outcome means.
    async fn call<T>(
        &self,
        function: &'static str,
        op: Operation,
        decode: impl FnOnce(&Response, &str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let ticket = self.admit(function)?;
        // The token in this request's URL, even if the credentials change meanwhile.
        let token = self.read_credentials().token.clone();
        let result = match self.transport.execute(&op).await {
            Ok(response) => decode(&response, token.expose_secret()),
            Err(e) => Err(map_core(function, e, token.expose_secret())),
        };
        self.settle(&ticket, &result);
        result
    }

    async fn list<T: DeserializeOwned>(
        &self,
        function: &'static str,
        noun: &str,
        op: Operation,
    ) -> Result<Vec<T>, Error> {
        let result = self
            .call(function, op, |response, token| {
                decode_list(response, function, noun, &[token])
            })
            .await;
        if let Ok(records) = &result {
            tracing::debug!(function, records = records.len(), "cloudpos: ok");
        }
        result
    }

    async fn one<T: DeserializeOwned>(
        &self,
        function: &'static str,
        list_key: Option<&str>,
        op: Operation,
    ) -> Result<T, Error> {
        self.call(function, op, |response, token| {
            decode_one(response, function, list_key, &[token])
        })
        .await
    }

    /// `get-categories` ("Categorieën ophalen"): every category. 2000 is an empty list.
    pub async fn categories(&self) -> Result<Vec<Category>, Error> {
        let f = "get-categories";
        self.list(f, "categories", self.operation(f, Method::GET))
            .await
    }

    /// `get-products` ("Producten ophalen"): every product.
    pub async fn products(&self) -> Result<Vec<Product>, Error> {
        let f = "get-products";
        self.list(f, "products", self.operation(f, Method::GET))
            .await
    }

    /// `get-subproducts` ("Subproducten ophalen"): every subproduct with the products it
    /// belongs to.
    pub async fn subproducts(&self) -> Result<Vec<Subproduct>, Error> {
        let f = "get-subproducts";
        self.list(f, "subproducts", self.operation(f, Method::GET))
            .await
    }

    /// `get-customers` ("Klanten ophalen"): every customer.
    pub async fn customers(&self) -> Result<Vec<Customer>, Error> {
        let f = "get-customers";
        self.list(f, "customers", self.operation(f, Method::GET))
            .await
    }

    /// `get-users` ("Gebruikers ophalen"): every till user. The national register number is
    /// hidden in Debug output.
    pub async fn users(&self) -> Result<Vec<User>, Error> {
        let f = "get-users";
        self.list(f, "users", self.operation(f, Method::GET)).await
    }

    /// `get-tables` ("Tafels ophalen"): every table with its status.
    pub async fn tables(&self) -> Result<Vec<Table>, Error> {
        let f = "get-tables";
        self.list(f, "tables", self.operation(f, Method::GET)).await
    }

    /// `get-payment` ("Actieve betaalmiddelen ophalen"): the active payment methods.
    pub async fn payment_methods(&self) -> Result<Vec<PaymentMethod>, Error> {
        let f = "get-payment";
        self.list(f, "payment", self.operation(f, Method::GET))
            .await
    }

    /// `get-printers` ("Printers ophalen"): every printer.
    pub async fn printers(&self) -> Result<Vec<Printer>, Error> {
        let f = "get-printers";
        self.list(f, "printers", self.operation(f, Method::GET))
            .await
    }

    /// `get-orders` ("Orders ophalen"), filtered by id range, date and clock-in/out, as
    /// [`Order`]s (subproducts listed per line, payments typed).
    pub async fn orders(&self, filter: &OrderFilter) -> Result<Vec<Order>, Error> {
        let f = "get-orders";
        check_range(f, filter.start, filter.end)?;
        let mut op = self
            .operation(f, Method::GET)
            .query_opt("start", filter.start.map(|v| v.to_string()))
            .query_opt("end", filter.end.map(|v| v.to_string()))
            .query_opt(
                "date",
                filter.date.map(|d| d.format(DATE_FORMAT).to_string()),
            );
        if filter.clock_in_out {
            op = op.query_flag("clockinclockout");
        }
        let wire: Vec<WireOrder> = self.list(f, "orders", op).await?;
        Ok(wire.into_iter().map(Order::from).collect())
    }

    /// `get-invoices` ("Facturen ophalen"): invoices, quotes and credit notes, filtered by id
    /// range and date.
    pub async fn invoices(&self, filter: &InvoiceFilter) -> Result<Vec<Invoice>, Error> {
        let f = "get-invoices";
        check_range(f, filter.start, filter.end)?;
        let op = self
            .operation(f, Method::GET)
            .query_opt("start", filter.start.map(|v| v.to_string()))
            .query_opt("end", filter.end.map(|v| v.to_string()))
            .query_opt(
                "date",
                filter.date.map(|d| d.format(DATE_FORMAT).to_string()),
            );
        self.list(f, "invoices", op).await
    }

    /// `get-confirmedweborder` ("Weborder bevestigd"): the confirmed pick-up or delivery time
    /// of a web order. Post filter `weborderid` (required).
    ///
    /// Errors: [`ErrorCode::WeborderNotConfirmed`] (2001, not yet),
    /// [`ErrorCode::WeborderIdUnknown`] (2003). An empty id is refused before sending.
    pub async fn confirmed_weborder(
        &self,
        weborder_id: &str,
    ) -> Result<WeborderConfirmation, Error> {
        let f = "get-confirmedweborder";
        let id = required_text(f, "weborderid", weborder_id)?;
        let op = self.operation(f, Method::POST).form("weborderid", id);
        self.one(f, None, op).await
    }

    async fn signed(
        &self,
        function: &'static str,
        document_nr: &str,
    ) -> Result<SignedDocument, Error> {
        let nr = required_text(function, "documentnr", document_nr)?;
        // Signing creates a VAT ticket and a second call answers 2002 "Document nr already in
        // use": a write, never re-sent once it may have reached the server.
        let op = self
            .with_credentials(
                Operation::write(VENDOR, function, Method::POST, ""),
                function,
            )
            .form("documentnr", nr)
            .reference(nr);
        self.one(function, None, op).await
    }

    /// `get-invoicesigned`: the VAT ticket number of an invoice signed by the fiscal data
    /// module (FDM). Post filter `documentnr` (required).
    ///
    /// A write: the document's 2002 "Document nr already in use" is the answer to signing the
    /// same number a second time, so the call is never re-sent once it may have reached the
    /// server ([`Error::is_outcome_unknown`] then names the document number).
    ///
    /// Errors (the document lists 2000, 2001, 2002): [`ErrorCode::NotFound`] (2000),
    /// [`ErrorCode::DocumentNrInUse`] (2002, already signed). An empty number (2001) is refused
    /// before sending.
    pub async fn invoice_signed(&self, document_nr: &str) -> Result<SignedDocument, Error> {
        self.signed("get-invoicesigned", document_nr).await
    }

    /// `get-offersigned`: like [`invoice_signed`](Self::invoice_signed), for a quote.
    pub async fn offer_signed(&self, document_nr: &str) -> Result<SignedDocument, Error> {
        self.signed("get-offersigned", document_nr).await
    }

    /// `get-creditnotesigned`: like [`invoice_signed`](Self::invoice_signed), for a credit note.
    pub async fn credit_note_signed(&self, document_nr: &str) -> Result<SignedDocument, Error> {
        self.signed("get-creditnotesigned", document_nr).await
    }

    /// `get-reservationpersons` ("Reservatie beschikbare personen ophalen"): the party sizes
    /// still bookable on `date` (post filter `date`). 2000 is an empty list.
    pub async fn reservation_persons(&self, date: NaiveDate) -> Result<Vec<u32>, Error> {
        let f = "get-reservationpersons";
        let op = self
            .operation(f, Method::POST)
            .form("date", date.format(DATE_FORMAT).to_string());
        let answer: ReservationPersons = self.one(f, Some("persons"), op).await?;
        Ok(answer.persons)
    }

    /// `get-reservationhours` ("Reservatie beschikbare uren ophalen"): the hours available on
    /// `date` for `persons` people (post filters `date` and `persons`; `persons` must be at
    /// least 1). The document lists only 2001 and 2002 for this function (no 2000): no hours
    /// is an empty `hours` array; a 2000 would still be read as an empty list.
    pub async fn reservation_hours(
        &self,
        date: NaiveDate,
        persons: u32,
    ) -> Result<Vec<String>, Error> {
        let f = "get-reservationhours";
        if persons == 0 {
            return Err(Error::validation(format!(
                "{f}: persons must be at least 1"
            )));
        }
        let op = self
            .operation(f, Method::POST)
            .form("date", date.format(DATE_FORMAT).to_string())
            .form("persons", persons.to_string());
        let answer: ReservationHours = self.one(f, Some("hours"), op).await?;
        Ok(answer.hours)
    }

    /// `get-giftvoucher` ("Cadeaubonnen ophalen"): every gift voucher.
    pub async fn gift_vouchers(&self) -> Result<Vec<GiftVoucher>, Error> {
        let f = "get-giftvoucher";
        self.list(f, "giftvouchers", self.operation(f, Method::GET))
            .await
    }

    /// `get-coupon` ("Kortingsbonnen ophalen"): discount coupons, filtered by id range.
    pub async fn coupons(&self, filter: &CouponFilter) -> Result<Vec<Coupon>, Error> {
        let f = "get-coupon";
        check_range(f, filter.start, filter.end)?;
        let op = self
            .operation(f, Method::GET)
            .query_opt("start", filter.start.map(|v| v.to_string()))
            .query_opt("end", filter.end.map(|v| v.to_string()));
        self.list(f, "coupons", op).await
    }

    /// `get-customercredits` ("Klanten tegoed ophalen"): each customer's credit, or with
    /// `Some(customer_id)` (URL filter `customerid`) every credit top-up of that customer.
    pub async fn customer_credits(
        &self,
        customer_id: Option<u64>,
    ) -> Result<Vec<CustomerCredit>, Error> {
        let f = "get-customercredits";
        let op = self
            .operation(f, Method::GET)
            .query_opt("customerid", customer_id.map(|v| v.to_string()));
        self.list(f, "customercredits", op).await
    }
}

fn required_text<'a>(function: &str, field: &str, value: &'a str) -> Result<&'a str, Error> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::validation(format!(
            "{function}: {field} can not be empty"
        )));
    }
    Ok(value)
}

/// Turns an HTTP error whose body carried a numeric `errorcode` into [`Error::Api`].
fn map_core(function: &'static str, error: CoreError, token: &str) -> Error {
    if let CoreError::Http {
        status,
        code: Some(code),
        message,
        ..
    } = &error
        && let Ok(code) = code.trim().parse::<i64>()
    {
        let message = message
            .as_deref()
            .map(|m| pos_client_core::redact::redact_secrets(m, &[token]));
        return Error::Api {
            function,
            code: ErrorCode::from_wire(function, code, message.as_deref()),
            message,
            status: *status,
        };
    }
    Error::from(error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn from_lookup_needs_licname_and_token_and_names_the_variables() {
        let err = ClientBuilder::from_lookup(env(&[])).unwrap_err();
        assert!(err.to_string().contains("CLOUDPOS_LICNAME"), "{err}");
        let err = ClientBuilder::from_lookup(env(&[("CLOUDPOS_LICNAME", "shop")])).unwrap_err();
        assert!(err.to_string().contains("CLOUDPOS_TOKEN"), "{err}");
        let client = ClientBuilder::from_lookup(env(&[
            ("CLOUDPOS_LICNAME", "shop"),
            ("CLOUDPOS_TOKEN", "tok-SECRET-77"),
        ]))
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        assert!(!format!("{client:?}").contains("tok-SECRET-77"));
        let client = ClientBuilder::from_lookup(env(&[
            ("CLOUDPOS_LICNAME", "shop"),
            ("CLOUDPOS_TOKEN", "tok-SECRET-77"),
            ("CLOUDPOS_BASE_URL", "http://127.0.0.1:9/api"),
        ]))
        .unwrap();
        assert!(!format!("{client:?}").contains("tok-SECRET-77"));
        assert_eq!(
            client.build().unwrap().base_url(),
            "http://127.0.0.1:9/api/"
        );
        assert!(Client::builder().build().is_err());
        assert!(Client::builder().credentials("shop", " ").build().is_err());
        assert!(Client::builder().credentials("", "t").build().is_err());
    }

    #[test]
    fn clients_and_their_futures_are_send_and_sync() {
        fn send_sync<T: Send + Sync>(_: &T) {}
        fn send<T: Send>(_: &T) {}
        let client = Client::builder().credentials("shop", "t").build().unwrap();
        send_sync(&client);
        send(&client.products());
        send(&client.orders(&OrderFilter::new()));
        send(&client.reservation_hours(NaiveDate::MIN, 1));
    }

    #[test]
    fn quota_counts_per_brussels_day_and_adjusts() {
        // 23:59 in Brussels (CET, +01:00).
        let now = Arc::new(Mutex::new(
            "2026-11-25T22:59:00Z".parse::<DateTime<Utc>>().unwrap(),
        ));
        let clock = now.clone();
        let client = Client::builder()
            .credentials("shop", "t")
            .daily_quota(10)
            .clock(move || *clock.lock().unwrap())
            .build()
            .unwrap();
        assert_eq!(client.quota_remaining(), 10);
        client.set_quota_used(7);
        assert_eq!((client.quota_used(), client.quota_remaining()), (7, 3));
        assert_eq!(client.server_today().to_string(), "2026-11-25");
        // Midnight in Brussels is 23:00 UTC: a new day there, still the 25th in UTC.
        *now.lock().unwrap() = "2026-11-25T23:00:01Z".parse().unwrap();
        assert_eq!((client.quota_used(), client.quota_remaining()), (0, 10));
        assert_eq!(client.server_today().to_string(), "2026-11-26");
    }

    #[test]
    fn http_errors_with_a_numeric_errorcode_become_api_errors() {
        use pos_client_core::{BodySnippet, OperationId};
        let core = CoreError::Http {
            operation: OperationId {
                vendor: VENDOR,
                name: "get-users",
            },
            status: pos_client_core::http::StatusCode::UNAUTHORIZED,
            code: Some("1002".into()),
            message: Some("Token or name not valid: tok-X".into()),
            body: BodySnippet::new(b"{}", &[]),
        };
        let e = map_core("get-users", core, "tok-X");
        assert!(
            matches!(&e, Error::Api { code: ErrorCode::InvalidCredentials, message: Some(m), .. } if m == "Token or name not valid: ***"),
            "{e:?}"
        );
        assert_eq!(e.status().map(|s| s.as_u16()), Some(401));
    }
}
