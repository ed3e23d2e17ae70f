//! Guards that may refuse to send: a [`Lockout`] after the vendor's credential answers and a
//! [`DailyQuota`] of requests per calendar day.
//!
//! A protocol holds its guards (a pair of guards is a guard too) and forwards three hooks,
//! each a one-liner:
//!
//! ```
//! use pos_client_core::guard::{DailyQuota, Guard, LockEnd, Lockout, QuotaEnd};
//! use pos_client_core::{CallId, CodeClass, Error, Operation, OperationId, Response, VendorCode};
//! # #[derive(Debug, Clone)] enum Code { WrongKey, DailyLimit }
//! # impl std::fmt::Display for Code {
//! #     fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { write!(f, "{self:?}") }
//! # }
//! # impl VendorCode for Code {}
//!
//! struct Vendor {
//!     guards: (Lockout<Code>, DailyQuota<Code>),
//! }
//!
//! impl Vendor {
//!     fn new() -> Self {
//!         let lockout = Lockout::new(|code: &Code, _now| {
//!             matches!(code, Code::WrongKey).then_some(LockEnd::OnReset)
//!         });
//!         let quota = DailyQuota::new(500)
//!             .exhausted_by(|code: &Code| matches!(code, Code::DailyLimit).then_some(QuotaEnd::NextDay));
//!         Vendor { guards: (lockout, quota) }
//!     }
//!
//!     // In `impl Protocol for Vendor`:
//!     fn admit(&self, operation: &Operation, call: CallId) -> Result<(), Error<Code>> {
//!         self.guards.admit(operation.id(), call)
//!     }
//!     fn on_attempt(&self, operation: OperationId) {
//!         self.guards.on_attempt(operation)
//!     }
//!     fn observe(&self, operation: OperationId, call: CallId, result: Result<&Response, &Error<Code>>) {
//!         self.guards.observe(operation, call, result)
//!     }
//!     fn abandon(&self, _: OperationId, call: CallId) {
//!         self.guards.cancel(call)
//!     }
//! }
//! # let v = Vendor::new();
//! # let op = Operation::read("toy", "get", http::Method::GET, "");
//! # assert!(v.admit(&op, CallId(1)).is_ok());
//! ```
//!
//! Both guards read the time from a [`Clock`] (tests inject one) and refuse with
//! [`Error::Refused`], saying until when when that is known. Neither sends anything itself.
//!
//! Every hook gets the call's [`CallId`], so a lockout knows which call is the one request it
//! let through. A call dropped before its answer reaches [`Guard::cancel`] through
//! [`crate::Protocol::abandon`].

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

use crate::error::{Error, OperationId, Refusal, VendorCode};
use crate::protocol::CallId;
use crate::response::Response;

/// A source of the current time. Tests inject one; [`system_clock`] is the default.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock (`Utc::now`).
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// A guard in front of every call. `(A, B)` is a guard that asks `A` first, then `B`.
pub trait Guard<C: VendorCode>: Send + Sync {
    /// Admits a call or refuses it; nothing is sent when it refuses. An admitted call is
    /// either [`observe`](Self::observe)d or [`cancel`](Self::cancel)led.
    fn admit(&self, operation: OperationId, call: CallId) -> Result<(), Error<C>>;

    /// Undoes an [`admit`](Self::admit) whose call will not be observed: a later guard refused
    /// it, or the caller dropped it ([`crate::Protocol::abandon`]).
    fn cancel(&self, call: CallId) {
        let _ = call;
    }

    /// One attempt is handed to the HTTP stack (retries included).
    fn on_attempt(&self, operation: OperationId) {
        let _ = operation;
    }

    /// The final result of an admitted call.
    fn observe(&self, operation: OperationId, call: CallId, result: Result<&Response, &Error<C>>);
}

impl<C: VendorCode, A: Guard<C>, B: Guard<C>> Guard<C> for (A, B) {
    fn admit(&self, operation: OperationId, call: CallId) -> Result<(), Error<C>> {
        self.0.admit(operation, call)?;
        self.1
            .admit(operation, call)
            .inspect_err(|_| self.0.cancel(call))
    }

    fn cancel(&self, call: CallId) {
        self.0.cancel(call);
        self.1.cancel(call);
    }

    fn on_attempt(&self, operation: OperationId) {
        self.0.on_attempt(operation);
        self.1.on_attempt(operation);
    }

    fn observe(&self, operation: OperationId, call: CallId, result: Result<&Response, &Error<C>>) {
        self.0.observe(operation, call, result);
        self.1.observe(operation, call, result);
    }
}

/// The vendor code of a failed call, when the server answered one.
fn answered_code<'a, C: VendorCode>(result: Result<&Response, &'a Error<C>>) -> Option<&'a C> {
    match result {
        Err(Error::Api { code, .. }) => Some(code),
        _ => None,
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

// ------------------------------------------------------------------------------------------
// Lockout

/// How long a vendor answer locks the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockEnd {
    /// Until this instant; then one request is let through to find out.
    At(DateTime<Utc>),
    /// Until the credentials change or the lockout is reset ([`Lockout::reset`]).
    OnReset,
}

/// The lock in force: the answer that caused it, when, and until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lock<C> {
    /// The vendor's code that locked the client.
    pub cause: C,
    /// When the answer came.
    pub since: DateTime<Utc>,
    /// When one request is let through again; `None`: until the credentials change or a reset.
    pub until: Option<DateTime<Utc>>,
}

impl<C> Lock<C> {
    /// When the client lets one request through again (`None`: not before a reset).
    pub fn lifts_at(&self) -> Option<DateTime<Utc>> {
        self.until
    }
}

type LockRule<C> = Box<dyn Fn(&C, DateTime<Utc>) -> Option<LockEnd> + Send + Sync>;

struct LockState<C> {
    lock: Option<Lock<C>>,
    /// The lock's time has come and the one request let through (this call) is under way
    /// since then.
    probe: Option<(CallId, DateTime<Utc>)>,
}

/// Refuses every call after an answer the vendor's rule says locks the client.
///
/// - Open: every call is admitted.
/// - Locked until a time ([`LockEnd::At`]): refused before it; from then on **one** request
///   is let through and the others are refused while it is under way. If it gets an answer
///   (a success, or a vendor code that does not lock) the lock is gone; an answer that locks
///   locks again; no answer (timeout, lost connection, HTTP error without a code) keeps the
///   lock and lets the next call through. A probe without a result for
///   [`probe_stale_after`](Self::probe_stale_after) (default 10 minutes) no longer holds the
///   slot: the pipeline cannot tell when a call is dropped.
/// - Locked until a reset ([`LockEnd::OnReset`]): refused however long it waits, until
///   [`reset`](Self::reset) (call it when the credentials change).
///
/// Refusals are [`Error::Refused`] with [`Refusal::LockedOut`], the lock's code, and its
/// time when it has one.
pub struct Lockout<C> {
    state: Mutex<LockState<C>>,
    rule: LockRule<C>,
    clock: Clock,
    probe_stale: TimeDelta,
}

impl<C: fmt::Debug> fmt::Debug for Lockout<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lockout")
            .field("lock", &lock(&self.state).lock)
            .field("probe_stale", &self.probe_stale)
            .finish_non_exhaustive()
    }
}

impl<C: VendorCode> Lockout<C> {
    /// How long a probe holds its slot without a result, by default.
    pub const DEFAULT_PROBE_STALE: Duration = Duration::from_secs(10 * 60);

    /// An open lockout. `rule` says which vendor codes lock, and until when (it gets the time
    /// of the answer, for a lock of a documented length).
    pub fn new(
        rule: impl Fn(&C, DateTime<Utc>) -> Option<LockEnd> + Send + Sync + 'static,
    ) -> Self {
        Lockout {
            state: Mutex::new(LockState {
                lock: None,
                probe: None,
            }),
            rule: Box::new(rule),
            clock: system_clock(),
            probe_stale: TimeDelta::minutes(10),
        }
    }

    /// Reads the time from `clock` (for tests).
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// After this long without a result, the request let through after a timed lock no longer
    /// holds its slot (default [`Self::DEFAULT_PROBE_STALE`]).
    #[must_use]
    pub fn probe_stale_after(mut self, after: Duration) -> Self {
        self.probe_stale = TimeDelta::from_std(after).unwrap_or(TimeDelta::MAX);
        self
    }

    /// The lock in force, if any.
    pub fn current(&self) -> Option<Lock<C>> {
        lock(&self.state).lock.clone()
    }

    /// Lifts the lock (the credentials changed, or the caller knows the cause is fixed).
    pub fn reset(&self) {
        let mut state = lock(&self.state);
        state.lock = None;
        state.probe = None;
    }
}

impl<C: VendorCode> Guard<C> for Lockout<C> {
    fn admit(&self, operation: OperationId, call: CallId) -> Result<(), Error<C>> {
        let now = (self.clock)();
        let mut state = lock(&self.state);
        let Some(lock) = &state.lock else {
            return Ok(());
        };
        let ended = lock.until.is_some_and(|at| now >= at);
        let probing = state.probe.is_some_and(|(_, t)| now - t < self.probe_stale);
        if !ended || probing {
            tracing::warn!(
                vendor = operation.vendor,
                function = operation.name,
                code = %lock.cause,
                "locked out; not sending"
            );
            return Err(Error::Refused {
                operation,
                reason: Refusal::LockedOut,
                until: lock.until.map(|at| at.max(now)),
                code: Some(lock.cause.clone()),
            });
        }
        tracing::info!(
            vendor = operation.vendor,
            function = operation.name,
            "the lock's time has come; letting one request through"
        );
        state.probe = Some((call, now));
        Ok(())
    }

    fn cancel(&self, call: CallId) {
        // The probe will not be observed: free its slot (the lock stays).
        let mut state = lock(&self.state);
        if state.probe.is_some_and(|(probe, _)| probe == call) {
            state.probe = None;
        }
    }

    fn observe(&self, operation: OperationId, call: CallId, result: Result<&Response, &Error<C>>) {
        let now = (self.clock)();
        let mut state = lock(&self.state);
        // Only the request let through decides whether a timed lock lifts: a call sent before
        // the lock that ends now proves nothing about it.
        let was_probe = state.probe.is_some_and(|(probe, _)| probe == call);
        if was_probe {
            state.probe = None;
        }
        let code = answered_code(result);
        if let Some((code, end)) = code.and_then(|c| Some((c, (self.rule)(c, now)?))) {
            tracing::warn!(
                vendor = operation.vendor,
                code = %code,
                "locked out: nothing is sent until the lock lifts"
            );
            state.lock = Some(Lock {
                cause: code.clone(),
                since: now,
                until: match end {
                    LockEnd::At(t) => Some(t),
                    LockEnd::OnReset => None,
                },
            });
            return;
        }
        // Only an answer proves the server accepted the credentials again.
        let answered = result.is_ok() || code.is_some();
        let timed = state.lock.as_ref().is_some_and(|l| l.until.is_some());
        if was_probe && answered && timed {
            state.lock = None;
            tracing::info!(
                vendor = operation.vendor,
                "the server answered; lock lifted"
            );
        }
    }
}

// ------------------------------------------------------------------------------------------
// Daily quota

/// Until when a vendor's quota answer stops the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuotaEnd {
    /// Until this instant (one in the past counts as [`QuotaEnd::NextDay`]).
    At(DateTime<Utc>),
    /// Until the next day begins.
    NextDay,
}

/// The calendar day of an instant, as the vendor counts it.
pub type DayOf = Arc<dyn Fn(DateTime<Utc>) -> NaiveDate + Send + Sync>;

type QuotaRule<C> = Box<dyn Fn(&C) -> Option<QuotaEnd> + Send + Sync>;

struct QuotaState<C> {
    /// The day being counted (`None` before the first look).
    day: Option<NaiveDate>,
    /// Attempts counted on `day`.
    used: u32,
    /// Calls admitted and not finished: reserved against the quota until they finish.
    in_flight: u32,
    /// After the vendor's quota answer: nothing before this time.
    block: Option<(DateTime<Utc>, C)>,
}

/// A limit of requests per calendar day, counted locally, with a reserve kept back.
///
/// The day is the caller's function of the time (default: the UTC date), so a vendor counts
/// in its server's time zone. Every attempt counts, retries included: the server may have
/// counted it. A call is refused (nothing sent) when the count plus the calls under way leaves
/// fewer than the reserve (default 1: refuse when none remain); the refusal says until the
/// next day begins. An answer the vendor's rule ([`exhausted_by`](Self::exhausted_by)) reads
/// as "quota used up" stops every call until the time it names, or the next day.
///
/// Refusals are [`Error::Refused`] with [`Refusal::QuotaExhausted`] (code `None` for a local
/// refusal, the vendor's code after its answer).
pub struct DailyQuota<C> {
    state: Mutex<QuotaState<C>>,
    limit: u32,
    reserve: u32,
    day_of: DayOf,
    clock: Clock,
    rule: Option<QuotaRule<C>>,
}

impl<C> fmt::Debug for DailyQuota<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DailyQuota")
            .field("limit", &self.limit)
            .field("reserve", &self.reserve)
            .finish_non_exhaustive()
    }
}

impl<C: VendorCode> DailyQuota<C> {
    /// `limit` requests per UTC day, refusing when none remain, on the system clock.
    pub fn new(limit: u32) -> Self {
        DailyQuota {
            state: Mutex::new(QuotaState {
                day: None,
                used: 0,
                in_flight: 0,
                block: None,
            }),
            limit,
            reserve: 1,
            day_of: Arc::new(|t: DateTime<Utc>| t.date_naive()),
            clock: system_clock(),
            rule: None,
        }
    }

    /// Refuses when fewer than `reserve` requests remain (default 1). `0` turns local refusal
    /// off (the vendor's answer still stops the client).
    #[must_use]
    pub fn reserve(mut self, reserve: u32) -> Self {
        self.reserve = reserve;
        self
    }

    /// The calendar day of an instant as the vendor counts it (for example its server's local
    /// date). It must not go backwards as time goes on.
    #[must_use]
    pub fn day(
        mut self,
        day_of: impl Fn(DateTime<Utc>) -> NaiveDate + Send + Sync + 'static,
    ) -> Self {
        self.day_of = Arc::new(day_of);
        self
    }

    /// Reads the time from `clock` (for tests).
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Which vendor codes say the quota is used up, and until when.
    #[must_use]
    pub fn exhausted_by(
        mut self,
        rule: impl Fn(&C) -> Option<QuotaEnd> + Send + Sync + 'static,
    ) -> Self {
        self.rule = Some(Box::new(rule));
        self
    }

    /// The state, with the day rolled over and an expired block cleared.
    fn state(&self, now: DateTime<Utc>) -> MutexGuard<'_, QuotaState<C>> {
        let mut state = lock(&self.state);
        let today = (self.day_of)(now);
        if state.day != Some(today) {
            state.day = Some(today);
            state.used = 0;
            state.in_flight = 0;
        }
        if state.block.as_ref().is_some_and(|(t, _)| *t <= now) {
            state.block = None;
        }
        state
    }

    /// The daily limit.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Attempts counted today.
    pub fn used(&self) -> u32 {
        self.state((self.clock)()).used
    }

    /// Sets today's count (requests made by another program, or before a restart).
    pub fn set_used(&self, used: u32) {
        self.state((self.clock)()).used = used;
    }

    /// Requests left today: 0 while a vendor's quota answer is in force.
    pub fn remaining(&self) -> u32 {
        let state = self.state((self.clock)());
        if state.block.is_some() {
            0
        } else {
            self.limit.saturating_sub(state.used)
        }
    }

    /// Today, by the clock and the day function.
    pub fn today(&self) -> NaiveDate {
        (self.day_of)((self.clock)())
    }

    /// The first whole second after `now` that belongs to a later day (searched within two
    /// days; a day function whose day lasts longer gives `now` plus two days).
    pub fn next_day_start(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        let today = (self.day_of)(now);
        let at = |s: i64| DateTime::from_timestamp(s, 0).unwrap_or(DateTime::<Utc>::MAX_UTC);
        let later = |s: i64| (self.day_of)(at(s)) != today;
        let (mut lo, mut hi) = (now.timestamp(), now.timestamp() + 2 * 24 * 3600);
        if !later(hi) {
            return at(hi);
        }
        // Invariant: `lo` is still today, `hi` is a later day.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if later(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        at(hi)
    }
}

impl<C: VendorCode> Guard<C> for DailyQuota<C> {
    fn admit(&self, operation: OperationId, _: CallId) -> Result<(), Error<C>> {
        let now = (self.clock)();
        let mut state = self.state(now);
        if let Some((until, code)) = &state.block {
            return Err(Error::Refused {
                operation,
                reason: Refusal::QuotaExhausted,
                until: Some(*until),
                code: Some(code.clone()),
            });
        }
        let remaining = self
            .limit
            .saturating_sub(state.used)
            .saturating_sub(state.in_flight);
        if remaining < self.reserve {
            tracing::warn!(
                vendor = operation.vendor,
                function = operation.name,
                used = state.used,
                "daily quota exhausted; not sending"
            );
            drop(state);
            return Err(Error::Refused {
                operation,
                reason: Refusal::QuotaExhausted,
                until: Some(self.next_day_start(now)),
                code: None,
            });
        }
        state.in_flight += 1;
        Ok(())
    }

    fn cancel(&self, _: CallId) {
        let mut state = self.state((self.clock)());
        state.in_flight = state.in_flight.saturating_sub(1);
    }

    fn on_attempt(&self, _: OperationId) {
        let mut state = self.state((self.clock)());
        state.used = state.used.saturating_add(1);
    }

    fn observe(&self, operation: OperationId, _: CallId, result: Result<&Response, &Error<C>>) {
        let now = (self.clock)();
        let mut state = self.state(now);
        state.in_flight = state.in_flight.saturating_sub(1);
        let Some(code) = answered_code(result) else {
            return;
        };
        let Some(end) = self.rule.as_ref().and_then(|rule| rule(code)) else {
            return;
        };
        let until = match end {
            QuotaEnd::At(t) if t > now => t,
            _ => self.next_day_start(now),
        };
        tracing::warn!(vendor = operation.vendor, code = %code, %until, "the server's quota is used up");
        state.block = Some((until, code.clone()));
    }
}

#[cfg(test)]
mod tests;
