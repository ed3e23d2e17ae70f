//! Retry policy: when a failed attempt is tried again, and after how long.
//!
//! The decision is [`decide`], a pure function of the policy, the operation's idempotency, the
//! attempt number and what happened; the table of unit tests below pins it down. The
//! [`RetryBudget`] keeps a client from hammering a server that keeps failing.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Attempts in total, the first included (the AWS SDKs' "standard" mode uses 3).
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// Base of the exponential backoff; attempt `n` waits up to `base * 2^(n-1)`.
pub const DEFAULT_BASE_DELAY: Duration = Duration::from_millis(500);
/// Cap of a single backoff delay, and the longest `Retry-After` the client waits on its own
/// (the AWS SDKs cap at 20 s).
pub const DEFAULT_MAX_DELAY: Duration = Duration::from_secs(20);
/// Tokens in a fresh retry budget (smithy-rs: 500).
pub const DEFAULT_BUDGET_CAPACITY: u32 = 500;
/// Tokens one retry costs (smithy-rs: 5; 10 after a timeout).
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout costs: timeouts suggest an overloaded server.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a success gives back.
pub const SUCCESS_REFUND: u32 = 1;

/// How a client retries. Build one with [`RetryPolicy::default`] and adjust it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included. 1 turns retries off.
    pub max_attempts: u32,
    /// Base of the exponential backoff.
    pub base_delay: Duration,
    /// Cap of one backoff delay.
    pub max_delay: Duration,
    /// Longest `Retry-After` the client waits on its own; beyond it the call fails with
    /// [`crate::Error::RateLimited`], which says when to try again.
    pub max_retry_after: Duration,
    /// Tokens in the per-client retry budget.
    pub budget_capacity: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base_delay: DEFAULT_BASE_DELAY,
            max_delay: DEFAULT_MAX_DELAY,
            max_retry_after: DEFAULT_MAX_DELAY,
            budget_capacity: DEFAULT_BUDGET_CAPACITY,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The default policy with zero backoff: for tests, so none of them sleeps.
    pub fn without_delays() -> Self {
        RetryPolicy {
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts in total.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff base and cap.
    pub fn with_backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = cap;
        self
    }

    /// Sets the longest `Retry-After` honoured by waiting.
    pub fn with_max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// Sets the retry budget's capacity in tokens (a retry costs [`RETRY_COST`]).
    pub fn with_budget_capacity(mut self, tokens: u32) -> Self {
        self.budget_capacity = tokens;
        self
    }

    /// The full-jitter backoff before attempt `attempt + 1`: `jitter × min(cap, base × 2^(attempt-1))`,
    /// with `jitter` in `[0, 1)`.
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        ceiling.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptOutcome {
    /// The server answered with this status; `retry_after` is its `Retry-After`, if any.
    Status {
        /// HTTP status code.
        status: u16,
        /// The parsed `Retry-After` header.
        retry_after: Option<Duration>,
    },
    /// The connection could not be made: the request provably never left.
    ConnectFailed,
    /// No answer in time. `sent` tells whether the request may have left.
    TimedOut {
        /// False only when the timeout hit while connecting.
        sent: bool,
    },
    /// The connection broke after the request was sent (reset, truncated body).
    ConnectionLost,
    /// The vendor answered that it is busy or failed for now (a retryable vendor code, in any
    /// status): retried like a 503.
    Busy {
        /// The parsed `Retry-After` header.
        retry_after: Option<Duration>,
    },
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Stop and report the outcome (success, or an error that retrying cannot help).
    Stop,
    /// Wait this long and try again.
    Retry(Duration),
    /// The server asked for a wait longer than the policy allows: fail with a rate-limit error.
    RateLimited(Duration),
}

/// Decides whether to retry after attempt number `attempt` (1-based) ended in `outcome`.
///
/// - 401 and 403 are never retried, nor any status not listed below.
/// - A `Retry-After` longer than [`RetryPolicy::max_retry_after`] gives
///   [`RetryDecision::RateLimited`]; a shorter one is the wait.
/// - Connect failures, connect timeouts and 429 are retried for every operation: the request
///   never left, or the server said it did nothing.
/// - Timeouts after sending, lost connections, 408/500/502/503/504 and a vendor's "busy" code
///   are retried only for idempotent operations: a write may have taken effect.
/// - Nothing is retried once `max_attempts` is reached.
pub fn decide(
    policy: &RetryPolicy,
    idempotent: bool,
    attempt: u32,
    outcome: AttemptOutcome,
    jitter: f64,
) -> RetryDecision {
    let (retryable, retry_after) = match outcome {
        AttemptOutcome::ConnectFailed | AttemptOutcome::TimedOut { sent: false } => (true, None),
        AttemptOutcome::TimedOut { sent: true } | AttemptOutcome::ConnectionLost => {
            (idempotent, None)
        }
        AttemptOutcome::Busy { retry_after } => (idempotent, retry_after),
        AttemptOutcome::Status {
            status,
            retry_after,
        } => match status {
            429 => (true, retry_after),
            408 | 500 | 502 | 503 | 504 => (idempotent, retry_after),
            _ => (false, None),
        },
    };
    if let Some(wait) = retry_after
        && wait > policy.max_retry_after
        && retryable
    {
        return RetryDecision::RateLimited(wait);
    }
    if !retryable || attempt >= policy.max_attempts {
        return RetryDecision::Stop;
    }
    RetryDecision::Retry(retry_after.unwrap_or_else(|| policy.backoff(attempt, jitter)))
}

/// A per-client token bucket that limits retries (smithy-rs' "retry quota").
///
/// Each retry takes [`RETRY_COST`] tokens ([`TIMEOUT_RETRY_COST`] after a timeout); each success
/// gives [`SUCCESS_REFUND`] back, up to the capacity. With the bucket empty, failures are
/// reported at once instead of retried.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// A full bucket of `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// Takes `cost` tokens if there are that many; returns whether the retry may go ahead.
    pub fn try_acquire(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Gives tokens back after a success.
    ///
    /// A full bucket (the steady state) is only read, never written: concurrent successful
    /// calls then share the cache line instead of bouncing it between cores.
    pub fn refund(&self, amount: u32) {
        if self.tokens.load(Ordering::Relaxed) >= self.capacity {
            return;
        }
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                (t < self.capacity).then(|| t.saturating_add(amount).min(self.capacity))
            });
    }

    /// Tokens left.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttemptOutcome::*;
    use RetryDecision::*;

    fn status(code: u16) -> AttemptOutcome {
        Status {
            status: code,
            retry_after: None,
        }
    }

    fn policy() -> RetryPolicy {
        RetryPolicy::default().with_backoff(Duration::from_millis(100), Duration::from_secs(1))
    }

    const READ: bool = true;
    const WRITE: bool = false;

    #[test]
    fn decision_table() {
        let p = policy();
        let ms = Duration::from_millis;
        // (idempotent, attempt, outcome, expected) with jitter 1.0, so the delay is the ceiling.
        let table: Vec<(bool, u32, AttemptOutcome, RetryDecision)> = vec![
            // Successes and plain client errors stop.
            (READ, 1, status(200), Stop),
            (READ, 1, status(201), Stop),
            (READ, 1, status(400), Stop),
            (READ, 1, status(404), Stop),
            (WRITE, 1, status(422), Stop),
            // Auth failures never retry.
            (READ, 1, status(401), Stop),
            (READ, 1, status(403), Stop),
            (WRITE, 1, status(401), Stop),
            // Transient statuses retry for reads only.
            (READ, 1, status(408), Retry(ms(100))),
            (READ, 1, status(500), Retry(ms(100))),
            (READ, 1, status(502), Retry(ms(100))),
            (READ, 2, status(503), Retry(ms(200))),
            (READ, 1, status(504), Retry(ms(100))),
            (WRITE, 1, status(408), Stop),
            (WRITE, 1, status(500), Stop),
            (WRITE, 1, status(502), Stop),
            (WRITE, 1, status(503), Stop),
            (WRITE, 1, status(504), Stop),
            (READ, 1, status(501), Stop),
            // 429: the server did nothing, so even writes retry.
            (READ, 1, status(429), Retry(ms(100))),
            (WRITE, 1, status(429), Retry(ms(100))),
            // The request never left: retry everything.
            (READ, 1, ConnectFailed, Retry(ms(100))),
            (WRITE, 1, ConnectFailed, Retry(ms(100))),
            (WRITE, 1, TimedOut { sent: false }, Retry(ms(100))),
            // It may have arrived: reads only.
            (READ, 1, TimedOut { sent: true }, Retry(ms(100))),
            (WRITE, 1, TimedOut { sent: true }, Stop),
            (READ, 1, ConnectionLost, Retry(ms(100))),
            (WRITE, 1, ConnectionLost, Stop),
            // A vendor's "busy" code: like 503, reads only, its Retry-After honoured.
            (READ, 1, Busy { retry_after: None }, Retry(ms(100))),
            (WRITE, 1, Busy { retry_after: None }, Stop),
            (
                READ,
                1,
                Busy {
                    retry_after: Some(ms(300)),
                },
                Retry(ms(300)),
            ),
            // The attempt limit.
            (READ, 3, status(503), Stop),
            (WRITE, 3, ConnectFailed, Stop),
            // Retry-After within the limit is the wait, beyond it a rate-limit error.
            (
                WRITE,
                1,
                Status {
                    status: 429,
                    retry_after: Some(ms(700)),
                },
                Retry(ms(700)),
            ),
            (
                READ,
                1,
                Status {
                    status: 503,
                    retry_after: Some(Duration::from_secs(5)),
                },
                Retry(Duration::from_secs(5)),
            ),
            (
                WRITE,
                1,
                Status {
                    status: 429,
                    retry_after: Some(Duration::from_secs(60)),
                },
                RateLimited(Duration::from_secs(60)),
            ),
            (
                WRITE,
                3,
                Status {
                    status: 429,
                    retry_after: Some(Duration::from_secs(60)),
                },
                RateLimited(Duration::from_secs(60)),
            ),
            // A write's 503 is not retried, whatever Retry-After says.
            (
                WRITE,
                1,
                Status {
                    status: 503,
                    retry_after: Some(ms(10)),
                },
                Stop,
            ),
        ];
        let p = p.with_max_retry_after(Duration::from_secs(20));
        for (idempotent, attempt, outcome, expected) in table {
            assert_eq!(
                decide(&p, idempotent, attempt, outcome, 1.0),
                expected,
                "idempotent={idempotent} attempt={attempt} outcome={outcome:?}"
            );
        }
    }

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_ceiling_with_a_cap() {
        let p = policy();
        assert_eq!(p.backoff(1, 0.0), Duration::ZERO);
        assert_eq!(p.backoff(1, 0.5), Duration::from_millis(50));
        assert_eq!(p.backoff(2, 1.0), Duration::from_millis(200));
        assert_eq!(p.backoff(3, 1.0), Duration::from_millis(400));
        assert_eq!(p.backoff(5, 1.0), Duration::from_secs(1), "capped");
        assert_eq!(p.backoff(40, 1.0), Duration::from_secs(1), "no overflow");
        for attempt in 1..10 {
            for jitter in [0.0, 0.1, 0.7, 0.999] {
                assert!(p.backoff(attempt, jitter) <= p.max_delay);
            }
        }
    }

    #[test]
    fn zero_backoff_policy_never_waits() {
        let p = RetryPolicy::without_delays();
        assert_eq!(decide(&p, true, 1, status(503), 0.9), Retry(Duration::ZERO));
    }

    #[test]
    fn budget_runs_dry_and_refills_on_success() {
        let budget = RetryBudget::new(12);
        assert!(budget.try_acquire(RETRY_COST));
        assert!(budget.try_acquire(RETRY_COST));
        assert!(
            !budget.try_acquire(RETRY_COST),
            "2 tokens left, a retry costs 5"
        );
        for _ in 0..3 {
            budget.refund(SUCCESS_REFUND);
        }
        assert!(budget.try_acquire(RETRY_COST));
        for _ in 0..100 {
            budget.refund(SUCCESS_REFUND);
        }
        assert_eq!(budget.available(), 12, "never above capacity");
    }
}
