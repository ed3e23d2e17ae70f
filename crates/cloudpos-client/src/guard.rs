//! CloudPOS' rules for the two guards in front of every request: which answers lock the client
//! and until when, and its daily quota. The machinery is the core's
//! ([`pos_client_core::guard::Lockout`], [`pos_client_core::guard::DailyQuota`]): it admits a
//! call before it is sent, counts each attempt, and reads the final result of every call that
//! was sent (the one place answers lock or unlock).
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
//!   dropped before its answer frees that slot after ten minutes
//!   ([`pos_client_core::guard::Lockout::DEFAULT_PROBE_STALE`]).
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

use pos_client_core::chrono::{DateTime, Duration as TimeDelta, Utc};
use pos_client_core::guard::{self, Clock, DailyQuota, Lock, LockEnd, QuotaEnd};

use crate::error::ErrorCode;
use crate::time::{server_date, server_local_to_utc};

/// How long the document says an IP block lasts ("voor 30 min geblokkeerd").
pub const IP_BLOCK_MINUTES: i64 = 30;

/// Why, since when and until when the client is locked: [`Lock::cause`] is 1001, 1002 or 1004;
/// [`Lock::lifts_at`] is the 1004 "blocked till" time read as Europe/Brussels local time (or
/// [`IP_BLOCK_MINUTES`] after the answer when the message had no readable time), and `None`
/// for 1001 and 1002, which last until the credentials are replaced or the lockout is reset.
pub type Lockout = Lock<ErrorCode>;

/// The guards of a client, shared by its clones: the lockout first, then the quota.
pub(crate) type Guards = (guard::Lockout<ErrorCode>, DailyQuota<ErrorCode>);

/// The guards with CloudPOS' rules, counting per Europe/Brussels day.
pub(crate) fn guards(daily_quota: u32, refuse_below: u32, clock: Clock) -> Guards {
    let lockout = guard::Lockout::new(lock_end).clock(clock.clone());
    let quota = DailyQuota::new(daily_quota)
        .reserve(refuse_below)
        .day(server_date)
        .clock(clock)
        .exhausted_by(quota_end);
    (lockout, quota)
}

/// 1001 and 1002 lock until the credentials change; 1004 until its Brussels time.
fn lock_end(code: &ErrorCode, now: DateTime<Utc>) -> Option<LockEnd> {
    match code {
        ErrorCode::EmptyCredentials | ErrorCode::InvalidCredentials => Some(LockEnd::OnReset),
        ErrorCode::IpBlocked { until } => Some(LockEnd::At(until.map_or_else(
            || now + TimeDelta::minutes(IP_BLOCK_MINUTES),
            server_local_to_utc,
        ))),
        _ => None,
    }
}

/// 1003 stops the client until the Brussels time it names, or the next Brussels midnight.
fn quota_end(code: &ErrorCode) -> Option<QuotaEnd> {
    match code {
        ErrorCode::DailyLimitReached { next_request_at } => Some(
            next_request_at.map_or(QuotaEnd::NextDay, |t| QuotaEnd::At(server_local_to_utc(t))),
        ),
        _ => None,
    }
}
