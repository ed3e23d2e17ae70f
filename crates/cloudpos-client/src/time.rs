//! The server's time zone: CloudPOS runs in Belgium, so its day and the datetimes in its
//! messages are Europe/Brussels local time (CET, +01:00; CEST, +02:00 from the last Sunday of
//! March to the last Sunday of October).
//!
//! - The daily limit ("500 connecties per dag") counts per Brussels calendar day:
//!   [`server_date`], [`next_server_midnight`].
//! - The datetimes of 1003 ("next request possible 'datetime'") and 1004 ("blocked till
//!   'datetime'") are Brussels wall-clock times without an offset: [`server_local_to_utc`].
//!
//! A wall-clock time can be **ambiguous** (on the last Sunday of October 02:00–03:00 happens
//! twice) or **nonexistent** (on the last Sunday of March 02:00–03:00 is skipped). Both times
//! name a moment before which the server refuses, so the client reads either case as the
//! **latest** instant the text can mean: the second 02:30 (CET) in October, and in March the
//! time read with the offset in force before the change (02:30 → 01:30 UTC, 03:30 CEST). The
//! client may then wait up to an hour longer than needed, but never sends early (an early
//! request would add a bad login towards the next block, or spend a request on a sure 1003).

use chrono_tz::Tz;
use pos_client_core::chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc,
};

/// The time zone of the CloudPOS server: `Europe/Brussels`.
pub const SERVER_TIME_ZONE: Tz = chrono_tz::Europe::Brussels;

/// The server's calendar day (Europe/Brussels) at `now`: the day the daily limit counts.
///
/// ```
/// use cloudpos_client::time::server_date;
/// let late = "2026-11-25T23:30:00Z".parse().unwrap(); // 00:30 in Brussels
/// assert_eq!(server_date(late).to_string(), "2026-11-26");
/// ```
pub fn server_date(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&SERVER_TIME_ZONE).date_naive()
}

/// A Brussels wall-clock time as an instant, taking the latest reading when the time is
/// ambiguous or falls in the spring-forward gap (see the [module docs](self)).
///
/// ```
/// use cloudpos_client::time::server_local_to_utc;
/// use cloudpos_client::NaiveDateTime;
/// let t = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap();
/// // Winter (+01:00) and summer (+02:00).
/// assert_eq!(server_local_to_utc(t("2026-01-15 14:35:00")).to_rfc3339(), "2026-01-15T13:35:00+00:00");
/// assert_eq!(server_local_to_utc(t("2026-07-15 14:35:00")).to_rfc3339(), "2026-07-15T12:35:00+00:00");
/// // 25 October 2026, 02:30 happens twice: the second one (CET).
/// assert_eq!(server_local_to_utc(t("2026-10-25 02:30:00")).to_rfc3339(), "2026-10-25T01:30:00+00:00");
/// // 29 March 2026, 02:30 does not exist: read with the winter offset.
/// assert_eq!(server_local_to_utc(t("2026-03-29 02:30:00")).to_rfc3339(), "2026-03-29T01:30:00+00:00");
/// ```
pub fn server_local_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    match SERVER_TIME_ZONE.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.max(b).with_timezone(&Utc),
        LocalResult::None => {
            // In the gap: read it with each offset in force around it; keep the latest.
            [local - Duration::days(1), local + Duration::days(1)]
                .iter()
                .map(|probe| {
                    let offset = SERVER_TIME_ZONE
                        .offset_from_utc_datetime(probe)
                        .fix()
                        .local_minus_utc();
                    (local - Duration::seconds(i64::from(offset))).and_utc()
                })
                .max()
                .unwrap_or_else(|| local.and_utc())
        }
    }
}

/// The next midnight in Brussels after `now`, as an instant: when the server's day changes.
pub fn next_server_midnight(now: DateTime<Utc>) -> DateTime<Utc> {
    let tomorrow = server_date(now)
        .succ_opt()
        .unwrap_or(NaiveDate::MAX)
        .and_time(pos_client_core::chrono::NaiveTime::MIN);
    server_local_to_utc(tomorrow)
}

/// `t` as Brussels wall-clock time (`YYYY-MM-DD HH:MM:SS`), as the server writes it.
pub fn format_server_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&SERVER_TIME_ZONE)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}
