//! Rate-limit headers: `X-RateLimit-Limit`, `-Remaining`, `-Reset` and `Retry-After`.

use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};
use http::{HeaderMap, HeaderName};

/// The rate-limit state a server reported on its last answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitInfo {
    /// `X-RateLimit-Limit`: requests allowed in the window.
    pub limit: Option<u64>,
    /// `X-RateLimit-Remaining`: requests left in the window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Reset`: when the window resets.
    pub reset_at: Option<DateTime<Utc>>,
    /// `Retry-After`: how long the server asked to wait.
    pub retry_after: Option<Duration>,
}

impl RateLimitInfo {
    /// Whether `headers` carry any header [`RateLimitInfo::from_headers`] reads: a cheap check
    /// before reading the clock.
    pub(crate) fn any_in(headers: &HeaderMap) -> bool {
        headers.contains_key(http::header::RETRY_AFTER)
            || headers
                .keys()
                .any(|name| name.as_str().starts_with("x-ratelimit-"))
    }

    /// Reads the headers; `None` when the answer carried none of them.
    pub fn from_headers(headers: &HeaderMap, now: SystemTime) -> Option<Self> {
        // Header names parsed once, at compile time, not on every answer.
        const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
        const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
        const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");
        let number = |name: &HeaderName| -> Option<u64> {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let info = RateLimitInfo {
            limit: number(&LIMIT),
            remaining: number(&REMAINING),
            reset_at: number(&RESET).and_then(|n| reset_time(n, now)),
            retry_after: retry_after(headers, now),
        };
        (info != RateLimitInfo::default()).then_some(info)
    }
}

/// `X-RateLimit-Reset` is either unix seconds or seconds from now; values below a year's worth of
/// seconds are read as a delta.
fn reset_time(value: u64, now: SystemTime) -> Option<DateTime<Utc>> {
    const ONE_YEAR: u64 = 365 * 24 * 3600;
    let at = if value < ONE_YEAR {
        now.checked_add(Duration::from_secs(value))?
    } else {
        SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(value))?
    };
    Some(DateTime::<Utc>::from(at))
}

/// Parses `Retry-After` from a header map.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    headers
        .get(http::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| parse_retry_after(v, now))
}

/// How long a 429 asks to wait: `Retry-After`, else the time until `X-RateLimit-Reset` (a
/// server that documents a reset header says with it when the window opens again).
pub fn wait_after_429(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(wait) = retry_after(headers, now) {
        return Some(wait);
    }
    let reset = headers
        .get("x-ratelimit-reset")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .and_then(|n| reset_time(n, now))?;
    Some(
        (reset - DateTime::<Utc>::from(now))
            .to_std()
            .unwrap_or(Duration::ZERO),
    )
}

/// Parses a `Retry-After` value: delta-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn any_in_spots_every_header_read() {
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static("application/json"));
        assert!(!RateLimitInfo::any_in(&h));
        for name in [
            "x-ratelimit-limit",
            "X-RateLimit-Remaining",
            "x-ratelimit-reset",
            "retry-after",
        ] {
            let mut with = h.clone();
            with.insert(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_static("5"),
            );
            assert!(RateLimitInfo::any_in(&with), "{name}");
            assert!(
                RateLimitInfo::from_headers(&with, at(0)).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn retry_after_in_seconds_and_as_http_date() {
        let now = at(1_445_412_480); // Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:29:30 GMT", now),
            Some(Duration::from_secs(90))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn rate_limit_headers_are_read() {
        let mut headers = HeaderMap::new();
        headers.insert("X-RateLimit-Limit", HeaderValue::from_static("500"));
        headers.insert("x-ratelimit-remaining", HeaderValue::from_static("17"));
        headers.insert("X-RateLimit-Reset", HeaderValue::from_static("60"));
        headers.insert("Retry-After", HeaderValue::from_static("3"));
        let now = at(1_000_000_000);
        let info = RateLimitInfo::from_headers(&headers, now).unwrap();
        assert_eq!(info.limit, Some(500));
        assert_eq!(info.remaining, Some(17));
        assert_eq!(
            info.reset_at,
            Some(DateTime::<Utc>::from(at(1_000_000_060)))
        );
        assert_eq!(info.retry_after, Some(Duration::from_secs(3)));

        headers.insert("X-RateLimit-Reset", HeaderValue::from_static("1700000000"));
        let info = RateLimitInfo::from_headers(&headers, now).unwrap();
        assert_eq!(
            info.reset_at,
            Some(DateTime::<Utc>::from(at(1_700_000_000)))
        );
    }

    #[test]
    fn a_429_without_retry_after_waits_for_the_reset() {
        let now = at(1_000_000_000);
        let mut headers = HeaderMap::new();
        assert_eq!(wait_after_429(&headers, now), None);
        headers.insert("X-RateLimit-Reset", HeaderValue::from_static("1000000090"));
        assert_eq!(wait_after_429(&headers, now), Some(Duration::from_secs(90)));
        headers.insert("X-RateLimit-Reset", HeaderValue::from_static("30"));
        assert_eq!(wait_after_429(&headers, now), Some(Duration::from_secs(30)));
        headers.insert("X-RateLimit-Reset", HeaderValue::from_static("999999000"));
        assert_eq!(
            wait_after_429(&headers, now),
            Some(Duration::ZERO),
            "already reset"
        );
        headers.insert("Retry-After", HeaderValue::from_static("7"));
        assert_eq!(wait_after_429(&headers, now), Some(Duration::from_secs(7)));
    }

    #[test]
    fn no_headers_means_no_info() {
        assert_eq!(RateLimitInfo::from_headers(&HeaderMap::new(), at(0)), None);
    }
}
