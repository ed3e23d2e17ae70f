//! Fault injection: what the server does instead of (or on top of) the router's answer.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::journal::{RecordedRequest, Route};
use super::{lock, status_code};

/// The faults waiting to be applied, in injection order. Clones share the same queue.
///
/// A request takes the first queued fault whose route matches it; each fault applies once.
#[derive(Clone, Default)]
pub struct Faults {
    queue: Arc<Mutex<Vec<(Route, Fault)>>>,
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Faults")
            .field("queue", &*lock(&self.queue))
            .finish()
    }
}

impl Faults {
    /// Applies `fault` to the next request matching `route`.
    pub fn inject(&self, route: impl Into<Route>, fault: Fault) {
        self.inject_times(route, fault, 1);
    }

    /// Applies `fault` to each of the next `times` requests matching `route`.
    pub fn inject_times(&self, route: impl Into<Route>, fault: Fault, times: usize) {
        let route = route.into();
        let mut queue = lock(&self.queue);
        queue.extend(std::iter::repeat_n((route, fault), times));
    }

    /// Removes every pending fault.
    pub fn clear(&self) {
        lock(&self.queue).clear();
    }

    /// The number of faults not applied yet.
    pub fn pending(&self) -> usize {
        lock(&self.queue).len()
    }

    pub(crate) fn take_for(&self, request: &RecordedRequest) -> Option<Fault> {
        let mut queue = lock(&self.queue);
        let index = queue.iter().position(|(route, _)| route.matches(request))?;
        Some(queue.remove(index).1)
    }
}

/// A failure the server produces instead of (or on top of) the router's answer.
///
/// A request that hits a fault is still journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status, an optional `Retry-After` header and this body, instead of
    /// running the handler. A body starting with `{` or `[` is sent as JSON, others as text.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The `Retry-After` value: seconds (`"3"`) or an HTTP date.
        retry_after: Option<String>,
        /// The response body.
        body: String,
    },
    /// Wait this long, then let the handler answer (make it longer than the client's timeout).
    ///
    /// If the client closes the connection during the wait, the request is dropped and the
    /// handler does not run: a fake's state is unchanged.
    Delay(Duration),
    /// Read the request, then reset the TCP connection without an answer. The handler does not run.
    ResetBeforeResponse,
    /// Run the handler, send its status line, headers and half its body, then reset the TCP
    /// connection.
    ResetMidBody,
    /// Run the handler, send its status line and headers with a `Content-Length` larger than the
    /// part of the body that follows, then close the connection.
    TruncatedBody,
    /// Answer with an HTML error page (as a proxy in front of the vendor would) with this status,
    /// instead of running the handler.
    NonJson {
        /// The HTTP status code.
        status: u16,
    },
}

impl Fault {
    /// A status answer with a small JSON body and no `Retry-After`.
    pub fn status(code: u16) -> Fault {
        let reason = status_code(code).canonical_reason().unwrap_or("error");
        Fault::Status {
            status: code,
            retry_after: None,
            body: serde_json::json!({ "message": format!("injected fault: {code} {reason}") })
                .to_string(),
        }
    }

    /// A status answer with a `Retry-After` header (`"0"`, `"3600"` or an HTTP date).
    pub fn status_with_retry_after(code: u16, retry_after: &str) -> Fault {
        match Fault::status(code) {
            Fault::Status { status, body, .. } => Fault::Status {
                status,
                retry_after: Some(retry_after.to_owned()),
                body,
            },
            other => other,
        }
    }

    /// An HTML error page with this status ([`Fault::NonJson`]).
    pub fn html(code: u16) -> Fault {
        Fault::NonJson { status: code }
    }

    /// The eight faults the load tests spread over their calls: 503, 500, 429 with
    /// `Retry-After: 0`, a reset before the answer, a reset mid-body, a truncated body, an HTML
    /// 502, and a delay of `delay` (longer than the client's timeout).
    pub fn load_mix(delay: Duration) -> [Fault; 8] {
        [
            Fault::status(503),
            Fault::status(500),
            Fault::status_with_retry_after(429, "0"),
            Fault::ResetBeforeResponse,
            Fault::ResetMidBody,
            Fault::TruncatedBody,
            Fault::html(502),
            Fault::Delay(delay),
        ]
    }

    /// Whether the fault answers instead of the handler, so a write it met changed nothing.
    pub fn skips_handler(&self) -> bool {
        matches!(
            self,
            Fault::Status { .. } | Fault::NonJson { .. } | Fault::ResetBeforeResponse
        )
    }

    /// Whether the fault ends the TCP connection it hit, so the client's pool opens another.
    pub fn breaks_connection(&self) -> bool {
        matches!(
            self,
            Fault::ResetBeforeResponse
                | Fault::ResetMidBody
                | Fault::TruncatedBody
                | Fault::Delay(_)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::html_page;
    use crate::sandbox::journal::tests::request;

    #[test]
    fn the_load_mix_says_which_faults_skip_the_handler_or_break_the_connection() {
        let mix = Fault::load_mix(Duration::from_millis(5));
        let skips: Vec<bool> = mix.iter().map(Fault::skips_handler).collect();
        let breaks: Vec<bool> = mix.iter().map(Fault::breaks_connection).collect();
        assert_eq!(skips, [true, true, true, true, false, false, true, false]);
        assert_eq!(breaks, [false, false, false, true, true, true, false, true]);
    }

    #[test]
    fn faults_are_consumed_once_in_order_per_route() {
        let faults = Faults::default();
        faults.inject_times("/a", Fault::status(503), 2);
        faults.inject("/b", Fault::html(502));
        faults.inject("/a", Fault::ResetBeforeResponse);
        let a = request("/a", None, None);
        let b = request("/b", None, None);
        assert_eq!(faults.take_for(&b), Some(Fault::html(502)));
        assert_eq!(faults.take_for(&b), None);
        assert_eq!(faults.take_for(&a), Some(Fault::status(503)));
        assert_eq!(faults.take_for(&a), Some(Fault::status(503)));
        assert_eq!(faults.take_for(&a), Some(Fault::ResetBeforeResponse));
        assert_eq!(faults.take_for(&a), None);
        faults.inject("/a", Fault::TruncatedBody);
        faults.clear();
        assert_eq!(faults.pending(), 0);
    }

    #[test]
    fn status_faults_carry_retry_after() {
        assert_eq!(
            Fault::status_with_retry_after(429, "3600"),
            Fault::Status {
                status: 429,
                retry_after: Some("3600".into()),
                body: r#"{"message":"injected fault: 429 Too Many Requests"}"#.into(),
            }
        );
        assert!(html_page(502).contains("502 Bad Gateway"));
    }
}
