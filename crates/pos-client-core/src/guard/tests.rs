use std::sync::Barrier;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use super::*;
use crate::error::{BodySnippet, TransportKind};
use crate::protocol::Payload;

/// The call most tests admit and observe (one call at a time).
const C1: CallId = CallId(1);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Code {
    /// Locks until a reset.
    Wrong,
    /// Locks until the named time, or 30 minutes after the answer.
    Blocked(Option<DateTime<Utc>>),
    /// The quota is used up until the named time, or the next day.
    Limit(Option<DateTime<Utc>>),
    Other,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl VendorCode for Code {}

const OP: OperationId = OperationId {
    vendor: "toy",
    name: "get",
};

fn at(t: &str) -> DateTime<Utc> {
    t.parse().unwrap()
}

/// A clock the test moves.
#[derive(Clone)]
struct Now(Arc<Mutex<DateTime<Utc>>>);

impl Now {
    fn new(t: &str) -> Self {
        Now(Arc::new(Mutex::new(at(t))))
    }
    fn set(&self, t: &str) {
        *self.0.lock().unwrap() = at(t);
    }
    fn clock(&self) -> Clock {
        let now = self.0.clone();
        Arc::new(move || *now.lock().unwrap())
    }
}

fn lock_rule(code: &Code, now: DateTime<Utc>) -> Option<LockEnd> {
    match code {
        Code::Wrong => Some(LockEnd::OnReset),
        Code::Blocked(t) => Some(LockEnd::At(t.unwrap_or(now + TimeDelta::minutes(30)))),
        _ => None,
    }
}

fn lockout(now: &Now) -> Lockout<Code> {
    Lockout::new(lock_rule).clock(now.clock())
}

fn api(code: Code) -> Error<Code> {
    Error::Api {
        operation: OP,
        status: StatusCode::OK,
        code,
        message: None,
        fields: Vec::new(),
        body: BodySnippet::new(b"", &[]),
    }
}

fn lost() -> Error<Code> {
    Error::Transport {
        operation: OP,
        kind: TransportKind::Timeout,
        message: "timed out".into(),
    }
}

fn ok() -> Response {
    Response {
        operation: OP,
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        body: Bytes::new(),
        payload: Payload::Nothing,
        request: crate::Operation::read("v", "op", http::Method::GET, ""),
    }
}

/// Admits, then observes `result`: one whole call.
fn call<G: Guard<Code>>(
    guard: &G,
    result: Result<&Response, &Error<Code>>,
) -> Result<(), Error<Code>> {
    guard.admit(OP, C1)?;
    guard.on_attempt(OP);
    guard.observe(OP, C1, result);
    Ok(())
}

fn refusal(result: Result<(), Error<Code>>) -> (Refusal, Option<DateTime<Utc>>, Option<Code>) {
    match result {
        Err(Error::Refused {
            reason,
            until,
            code,
            ..
        }) => (reason, until, code),
        other => panic!("a refusal expected: {other:?}"),
    }
}

// ------------------------------------------------------------------------------------------
// Lockout

#[test]
fn an_open_lockout_admits_and_an_answer_that_does_not_lock_keeps_it_open() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Ok(&ok())).unwrap();
    call(&guard, Err(&api(Code::Other))).unwrap();
    call(&guard, Err(&lost())).unwrap();
    assert!(guard.current().is_none());
    call(&guard, Ok(&ok())).unwrap();
}

#[test]
fn a_timed_lock_refuses_before_its_time_and_lets_one_through_at_it() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    let lifts = at("2026-11-25T13:35:00Z");
    call(&guard, Err(&api(Code::Blocked(Some(lifts))))).unwrap();
    let lock = guard.current().unwrap();
    assert_eq!(
        (lock.cause.clone(), lock.since, lock.lifts_at()),
        (
            Code::Blocked(Some(lifts)),
            at("2026-11-25T13:00:00Z"),
            Some(lifts)
        )
    );

    now.set("2026-11-25T13:34:59Z");
    assert_eq!(
        refusal(guard.admit(OP, C1)),
        (
            Refusal::LockedOut,
            Some(lifts),
            Some(Code::Blocked(Some(lifts)))
        )
    );

    now.set("2026-11-25T13:35:00Z");
    guard.admit(OP, C1).unwrap();
    // While the probe is under way, the others are refused (until: now).
    assert_eq!(
        refusal(guard.admit(OP, C1)).1,
        Some(at("2026-11-25T13:35:00Z"))
    );
    guard.observe(OP, C1, Ok(&ok()));
    assert!(guard.current().is_none(), "a success reopens");
    guard.admit(OP, C1).unwrap();
    guard.admit(OP, C1).unwrap();
}

#[test]
fn only_the_request_let_through_decides_whether_the_lock_lifts() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    // A call admitted before the block is still under way when the block is answered.
    let (early, probe) = (CallId(7), CallId(8));
    guard.admit(OP, early).unwrap();
    let lifts = at("2026-11-25T13:35:00Z");
    call(&guard, Err(&api(Code::Blocked(Some(lifts))))).unwrap();
    now.set("2026-11-25T13:40:00Z");
    guard.admit(OP, probe).unwrap();
    // The early call's success says nothing about the lock: it stays, and the probe's slot too.
    guard.observe(OP, early, Ok(&ok()));
    assert!(guard.current().is_some());
    assert_eq!(refusal(guard.admit(OP, CallId(9))).0, Refusal::LockedOut);
    // Cancelling another call does not free the probe's slot either.
    guard.cancel(early);
    assert_eq!(refusal(guard.admit(OP, CallId(9))).0, Refusal::LockedOut);
    // The probe's answer does.
    guard.observe(OP, probe, Ok(&ok()));
    assert!(guard.current().is_none());
}

#[test]
fn a_timed_lock_without_a_time_uses_the_rule_s_own_length() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();
    assert_eq!(
        guard.current().unwrap().lifts_at(),
        Some(at("2026-11-25T13:30:00Z"))
    );
    now.set("2026-11-25T13:29:59Z");
    assert_eq!(refusal(guard.admit(OP, C1)).0, Refusal::LockedOut);
    now.set("2026-11-25T13:30:00Z");
    guard.admit(OP, C1).unwrap();
}

#[test]
fn the_probe_s_lockout_answer_locks_again_and_a_vendor_answer_reopens() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();

    // The probe is answered with the block again: locked for another 30 minutes from now.
    now.set("2026-11-25T13:30:00Z");
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();
    assert_eq!(
        guard.current().unwrap().lifts_at(),
        Some(at("2026-11-25T14:00:00Z"))
    );
    assert_eq!(refusal(guard.admit(OP, C1)).0, Refusal::LockedOut);

    // A vendor code that does not lock is an answer too: the credentials were accepted.
    now.set("2026-11-25T14:00:00Z");
    call(&guard, Err(&api(Code::Other))).unwrap();
    assert!(guard.current().is_none());
}

#[test]
fn the_probe_s_credential_answer_locks_until_a_reset() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();
    now.set("2026-11-25T13:30:00Z");
    call(&guard, Err(&api(Code::Wrong))).unwrap();
    for later in ["2026-11-25T14:00:00Z", "2027-11-25T13:00:00Z"] {
        now.set(later);
        assert_eq!(
            refusal(guard.admit(OP, C1)),
            (Refusal::LockedOut, None, Some(Code::Wrong))
        );
    }
    guard.reset();
    assert!(guard.current().is_none());
    call(&guard, Ok(&ok())).unwrap();
}

#[test]
fn no_answer_keeps_the_lock_and_lets_the_next_call_through() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();
    now.set("2026-11-25T13:30:00Z");
    call(&guard, Err(&lost())).unwrap();
    assert!(guard.current().is_some(), "a timeout proves nothing");
    // An HTTP error without a vendor code is no answer either.
    let page = Error::Http {
        operation: OP,
        status: StatusCode::SERVICE_UNAVAILABLE,
        code: None,
        message: None,
        body: BodySnippet::new(b"<html>busy</html>", &[]),
    };
    call(&guard, Err(&page)).unwrap();
    assert!(guard.current().is_some());
    call(&guard, Ok(&ok())).unwrap();
    assert!(guard.current().is_none());
}

#[test]
fn a_stale_probe_frees_its_slot_after_the_configured_time() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now).probe_stale_after(Duration::from_secs(60));
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();
    now.set("2026-11-25T13:30:00Z");
    guard.admit(OP, C1).unwrap(); // dropped: never observed
    now.set("2026-11-25T13:30:59Z");
    assert_eq!(refusal(guard.admit(OP, C1)).0, Refusal::LockedOut);
    now.set("2026-11-25T13:31:00Z");
    guard.admit(OP, C1).unwrap();
    assert_eq!(refusal(guard.admit(OP, C1)).0, Refusal::LockedOut);
}

#[test]
fn concurrent_admits_let_exactly_one_probe_through() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Err(&api(Code::Blocked(None)))).unwrap();
    now.set("2026-11-25T13:30:00Z");
    let threads = 8;
    let barrier = Barrier::new(threads);
    let admitted = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    barrier.wait();
                    guard.admit(OP, C1)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect::<Vec<_>>()
    });
    assert_eq!(admitted.iter().filter(|r| r.is_ok()).count(), 1);
    assert!(admitted.iter().filter_map(|r| r.as_ref().err()).all(|e| {
        matches!(
            e,
            Error::Refused {
                reason: Refusal::LockedOut,
                ..
            }
        )
    }));
}

#[test]
fn reset_lifts_a_lock_and_frees_the_probe() {
    let now = Now::new("2026-11-25T13:00:00Z");
    let guard = lockout(&now);
    call(&guard, Err(&api(Code::Wrong))).unwrap();
    assert_eq!(guard.current().unwrap().lifts_at(), None);
    guard.reset();
    guard.admit(OP, C1).unwrap();
    guard.admit(OP, C1).unwrap();
}

// ------------------------------------------------------------------------------------------
// Daily quota

/// A day that begins at 06:00 UTC.
fn shifted_day(t: DateTime<Utc>) -> NaiveDate {
    (t - TimeDelta::hours(6)).date_naive()
}

fn quota(now: &Now, limit: u32) -> DailyQuota<Code> {
    DailyQuota::new(limit)
        .day(shifted_day)
        .clock(now.clock())
        .exhausted_by(|code| match code {
            Code::Limit(Some(t)) => Some(QuotaEnd::At(*t)),
            Code::Limit(None) => Some(QuotaEnd::NextDay),
            _ => None,
        })
}

#[test]
fn every_attempt_counts_and_the_limit_refuses_locally_until_the_next_day() {
    let now = Now::new("2026-11-25T12:00:00Z");
    let guard = quota(&now, 3);
    guard.admit(OP, C1).unwrap();
    guard.on_attempt(OP);
    guard.on_attempt(OP); // a retry
    guard.observe(OP, C1, Ok(&ok()));
    assert_eq!((guard.used(), guard.remaining()), (2, 1));
    call(&guard, Err(&lost())).unwrap();
    assert_eq!((guard.used(), guard.remaining()), (3, 0));
    assert_eq!(
        refusal(guard.admit(OP, C1)),
        (
            Refusal::QuotaExhausted,
            Some(at("2026-11-26T06:00:00Z")),
            None
        )
    );
    assert_eq!(guard.used(), 3, "a refusal sends nothing");
}

#[test]
fn calls_under_way_are_reserved_and_the_reserve_is_kept_back() {
    let now = Now::new("2026-11-25T12:00:00Z");
    let guard = quota(&now, 5).reserve(2);
    for _ in 0..4 {
        guard.admit(OP, C1).unwrap();
    }
    // 5 - 4 under way leaves 1, below the reserve of 2.
    assert_eq!(refusal(guard.admit(OP, C1)).0, Refusal::QuotaExhausted);
    guard.cancel(C1);
    guard.admit(OP, C1).unwrap();

    let off = quota(&now, 1).reserve(0);
    for _ in 0..3 {
        call(&off, Ok(&ok())).unwrap();
    }
    assert_eq!((off.used(), off.remaining()), (3, 0));
}

#[test]
fn the_count_rolls_over_with_the_custom_day() {
    let now = Now::new("2026-11-25T05:59:59Z"); // still the 24th
    let guard = quota(&now, 2);
    assert_eq!(guard.today().to_string(), "2026-11-24");
    call(&guard, Ok(&ok())).unwrap();
    call(&guard, Ok(&ok())).unwrap();
    assert_eq!(
        refusal(guard.admit(OP, C1)).1,
        Some(at("2026-11-25T06:00:00Z"))
    );
    now.set("2026-11-25T06:00:00Z");
    assert_eq!(guard.today().to_string(), "2026-11-25");
    assert_eq!((guard.used(), guard.remaining()), (0, 2));
    call(&guard, Ok(&ok())).unwrap();
    guard.set_used(2);
    assert_eq!(guard.remaining(), 0);
}

#[test]
fn the_next_day_start_is_found_for_any_monotone_day() {
    let now = Now::new("2026-11-25T12:00:00Z");
    let guard = quota(&now, 1);
    assert_eq!(
        guard.next_day_start(at("2026-11-25T12:34:56.5Z")),
        at("2026-11-26T06:00:00Z")
    );
    assert_eq!(
        guard.next_day_start(at("2026-11-26T05:59:59.999Z")),
        at("2026-11-26T06:00:00Z")
    );
    let utc = DailyQuota::<Code>::new(1);
    assert_eq!(
        utc.next_day_start(at("2026-12-31T23:59:59Z")),
        at("2027-01-01T00:00:00Z")
    );
}

#[test]
fn a_vendor_quota_answer_blocks_until_its_time_or_the_next_day() {
    let now = Now::new("2026-11-25T12:00:00Z");
    let guard = quota(&now, 500);
    let t = at("2026-11-25T13:00:00Z");
    call(&guard, Err(&api(Code::Limit(Some(t))))).unwrap();
    assert_eq!(guard.remaining(), 0);
    assert_eq!(
        refusal(guard.admit(OP, C1)),
        (Refusal::QuotaExhausted, Some(t), Some(Code::Limit(Some(t))))
    );
    now.set("2026-11-25T13:00:00Z");
    call(&guard, Ok(&ok())).unwrap();

    // No time, or one already past: the next day.
    for (code, next) in [
        (Code::Limit(None), "2026-11-26T06:00:00Z"),
        (
            Code::Limit(Some(at("2026-11-25T00:00:00Z"))),
            "2026-11-27T06:00:00Z",
        ),
    ] {
        call(&guard, Err(&api(code))).unwrap();
        assert_eq!(refusal(guard.admit(OP, C1)).1, Some(at(next)));
        now.set(next);
        guard.admit(OP, C1).unwrap();
        guard.cancel(C1);
    }
    // Other codes and no rule: no block.
    call(&guard, Err(&api(Code::Other))).unwrap();
    let plain = DailyQuota::<Code>::new(5).clock(now.clock());
    call(&plain, Err(&api(Code::Limit(None)))).unwrap();
    assert_eq!(plain.remaining(), 4);
}

// ------------------------------------------------------------------------------------------
// A pair of guards

#[test]
fn a_pair_asks_the_lockout_first_and_a_quota_refusal_frees_the_probe() {
    let now = Now::new("2026-11-25T12:00:00Z");
    let guards = (lockout(&now), quota(&now, 2));
    call(&guards, Err(&api(Code::Blocked(None)))).unwrap();
    assert_eq!(refusal(guards.admit(OP, C1)).0, Refusal::LockedOut);
    assert_eq!(guards.1.used(), 1);

    // The lock's time has come but the quota refuses: the probe slot is not held.
    now.set("2026-11-25T12:30:00Z");
    guards.1.set_used(2);
    assert_eq!(refusal(guards.admit(OP, C1)).0, Refusal::QuotaExhausted);
    guards.1.set_used(1);
    guards.admit(OP, C1).unwrap();
    guards.on_attempt(OP);
    guards.observe(OP, C1, Ok(&ok()));
    assert!(guards.0.current().is_none());
    assert_eq!(guards.1.used(), 2);
}
