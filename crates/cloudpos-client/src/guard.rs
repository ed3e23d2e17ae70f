//! The two guards in front of every request: the lockout after credential errors and the daily
//! quota. The guard admits a call before it is sent, counts each attempt,
//! and reads the final result of every call that was sent (the one place answers lock or unlock).
//!
//! # Lockout
//!
//! The document: "na 5 verkeerde inlogpogingen word het ip adres voor 30 min geblokkeerd"
//! (after 5 wrong logins the IP address is blocked for 30 minutes), with 1001 "Token and name
//! can not be empty", 1002 "Token or name not valid" and 1004 "5 bad logins reached, your ip
//! adress is blocked till 'datetime'". After one of these answers the client sends nothing
//! more: every call fails at once with `Error::Refused` (reason `Refusal::LockedOut`, the code
//! that locked it). These answers are never retried, and clones of a client share the lock.
//!
//! - **1001 and 1002** mean the credentials are wrong; sending them again would only add bad
//!   logins. The lock stays, however long, until the credentials are replaced
//!   (`Client::set_credentials`) or `Client::reset_lockout` is called.
//! - **1004** lifts at the time the server named (Europe/Brussels, see [`crate::time`]; 30
//!   minutes after the answer when the time is unreadable, per the document): from then on the
//!   client lets **one** request through, and refuses the others while it is under way. If the
//!   server accepts the login (any answer other than 1001/1002/1004) the lock is gone; if it
//!   answers 1001, 1002 or 1004 the client is locked again by that answer; if no answer comes
//!   (timeout, lost connection) the next call is again the one let through. A call that is
//!   dropped before its answer frees that slot after [`PROBE_STALE_MINUTES`].
//!   [`Lockout::lifts_at`] tells when.
//!
//! # Daily quota
//!
//! CloudPOS accepts 500 requests a day ("500 connecties per dag"). The server is in Belgium, so
//! the client counts per **Europe/Brussels calendar day** (midnight is 23:00 UTC in winter and
//! 22:00 UTC in summer). It counts every attempt it sends (a retry after a 503 or a timeout
//! counts too, since the server may have counted it). By default it refuses a call locally
//! (`Error::Refused` with `Refusal::QuotaExhausted`, no code, until the next Brussels
//! midnight; nothing sent) when the count, plus the calls under way, reaches the quota. A 1003
//! answer is never retried: the client refuses further calls (the same refusal, with the 1003
//! code) until the time the server named, read as Brussels local time, or until the next
//! Brussels midnight when it named none.

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::chrono::{DateTime, Duration as TimeDelta, NaiveDate, Utc};
use pos_client_core::{OperationId, Refusal, Response};

use crate::error::{Error, ErrorCode};
use crate::time::{next_server_midnight, server_date, server_local_to_utc};

/// A source of the current time, for the quota's day, the 1003 wait and the end of a 1004
/// block. Tests inject one.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// How long the document says an IP block lasts ("voor 30 min geblokkeerd").
pub const IP_BLOCK_MINUTES: i64 = 30;

/// After this long without an answer, the request let through after a 1004 block no longer
/// holds its slot (it was dropped, or its answer was lost).
pub const PROBE_STALE_MINUTES: i64 = 10;

/// Why and since when the client is locked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lockout {
    /// The answer that locked the client (1001, 1002 or 1004).
    pub cause: ErrorCode,
    /// When it came.
    pub since: DateTime<Utc>,
}

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

#[derive(Debug)]
struct State {
    lockout: Option<Lockout>,
    /// A 1004 block has ended and the one request let through is under way since then.
    probe_since: Option<DateTime<Utc>>,
    /// The server's (Brussels) day being counted.
    day: NaiveDate,
    /// Attempts counted on `day`.
    used: u32,
    /// Calls admitted but not finished: reserved against the quota until they finish.
    in_flight: u32,
    /// After a 1003 answer: no requests before this time.
    server_block: Option<(DateTime<Utc>, ErrorCode)>,
}

/// The lockout and quota state, shared by the clones of a client.
pub(crate) struct Guards {
    state: Mutex<State>,
    daily_quota: u32,
    refuse_below: u32,
    clock: Clock,
}

impl fmt::Debug for Guards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Guards")
            .field("daily_quota", &self.daily_quota)
            .field("refuse_below", &self.refuse_below)
            .finish_non_exhaustive()
    }
}

impl Guards {
    pub(crate) fn new(daily_quota: u32, refuse_below: u32, clock: Clock) -> Self {
        let day = server_date(clock());
        Guards {
            state: Mutex::new(State {
                lockout: None,
                probe_since: None,
                day,
                used: 0,
                in_flight: 0,
                server_block: None,
            }),
            daily_quota,
            refuse_below,
            clock,
        }
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// The state, with the day rolled over and an expired 1003 wait cleared.
    fn state(&self, now: DateTime<Utc>) -> MutexGuard<'_, State> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let today = server_date(now);
        if today != state.day {
            state.day = today;
            state.used = 0;
            state.in_flight = 0;
        }
        if state.server_block.as_ref().is_some_and(|(t, _)| *t <= now) {
            state.server_block = None;
        }
        state
    }

    /// Admits a call or refuses it (lockout, quota). An admitted call holds a reservation
    /// against the quota until [`observe`](Self::observe).
    pub(crate) fn admit(&self, operation: OperationId) -> Result<(), Error> {
        let now = self.now();
        let mut state = self.state(now);
        let mut probe = false;
        if let Some(lockout) = &state.lockout {
            // Only a 1004 block ends by itself; then exactly one request goes through.
            let lifts_at = lockout.lifts_at();
            let ended = lifts_at.is_some_and(|at| now >= at);
            let probing = state
                .probe_since
                .is_some_and(|t| now - t < TimeDelta::minutes(PROBE_STALE_MINUTES));
            if !ended || probing {
                tracing::warn!(
                    function = operation.name,
                    code = lockout.cause.code(),
                    "cloudpos: locked out; not sending"
                );
                return Err(Error::Refused {
                    operation,
                    reason: Refusal::LockedOut,
                    until: lifts_at.map(|at| at.max(now)),
                    code: Some(lockout.cause.clone()),
                });
            }
            probe = true;
        }
        if let Some((until, code)) = &state.server_block {
            return Err(Error::Refused {
                operation,
                reason: Refusal::QuotaExhausted,
                until: Some(*until),
                code: Some(code.clone()),
            });
        }
        let remaining = self
            .daily_quota
            .saturating_sub(state.used)
            .saturating_sub(state.in_flight);
        if remaining < self.refuse_below {
            tracing::warn!(
                function = operation.name,
                used = state.used,
                "cloudpos: daily quota exhausted; not sending"
            );
            return Err(Error::Refused {
                operation,
                reason: Refusal::QuotaExhausted,
                until: Some(next_server_midnight(now)),
                code: None,
            });
        }
        state.in_flight += 1;
        if probe {
            tracing::info!(
                function = operation.name,
                "cloudpos: the IP block has ended; letting one request through"
            );
            state.probe_since = Some(now);
        }
        Ok(())
    }

    /// Counts one attempt against today's quota (retries included).
    pub(crate) fn on_attempt(&self) {
        let mut state = self.state(self.now());
        state.used = state.used.saturating_add(1);
    }

    /// Records what a finished call means for the lockout and the quota: the one place where
    /// answers lock or unlock the client.
    pub(crate) fn observe(&self, result: Result<&Response, &Error>) {
        let now = self.now();
        let mut state = self.state(now);
        state.in_flight = state.in_flight.saturating_sub(1);
        let was_probe = state.probe_since.take().is_some();
        let code = match result {
            Err(Error::Api { code, .. }) => Some(code),
            _ => None,
        };
        if let Some(code) = code.filter(|c| c.locks_client()) {
            tracing::warn!(
                code = code.code(),
                "cloudpos: credential error or IP block; the client sends nothing until it is lifted"
            );
            state.lockout = Some(Lockout {
                cause: code.clone(),
                since: now,
            });
            return;
        }
        if let Some(code @ ErrorCode::DailyLimitReached { next_request_at }) = code {
            // The server's Europe/Brussels wall-clock time; without one, its next midnight.
            let until = next_request_at
                .map(server_local_to_utc)
                .filter(|t| *t > now)
                .unwrap_or_else(|| next_server_midnight(now));
            state.server_block = Some((until, code.clone()));
        }
        // The request let through after a block: an answer that is not a credential error
        // proves the server accepted the login. Without an answer the lock stays, and the next
        // call is let through instead.
        let answered = result.is_ok() || code.is_some();
        let blocked = matches!(
            state.lockout,
            Some(Lockout {
                cause: ErrorCode::IpBlocked { .. },
                ..
            })
        );
        if was_probe && answered && blocked {
            state.lockout = None;
            tracing::info!("cloudpos: the server accepted the login; lockout lifted");
        }
    }

    pub(crate) fn lockout(&self) -> Option<Lockout> {
        self.state(self.now()).lockout.clone()
    }

    pub(crate) fn lift_lockout(&self) {
        let mut state = self.state(self.now());
        state.lockout = None;
        state.probe_since = None;
    }

    pub(crate) fn used(&self) -> u32 {
        self.state(self.now()).used
    }

    pub(crate) fn remaining(&self) -> u32 {
        let now = self.now();
        let state = self.state(now);
        if state.server_block.is_some() {
            return 0;
        }
        self.daily_quota.saturating_sub(state.used)
    }

    pub(crate) fn set_used(&self, used: u32) {
        self.state(self.now()).used = used;
    }

    pub(crate) fn daily_quota(&self) -> u32 {
        self.daily_quota
    }

    pub(crate) fn today(&self) -> NaiveDate {
        server_date(self.now())
    }
}
