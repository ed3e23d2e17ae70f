//! The sandbox kit's faults, driven through the real transport.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use pos_client_core::sandbox::axum::{Json, Router, routing::any};
use pos_client_core::sandbox::{Fault, Route, SandboxServer};
use pos_client_core::{
    Error, Operation, RetryPolicy, Transport, TransportKind,
    http::{Method, StatusCode},
};

const PATH: &str = "/api/thing";

/// A server whose one route answers a ~200-byte JSON document and counts handler runs.
async fn server() -> (SandboxServer, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let router = Router::new().route(
        PATH,
        any(move || {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Json(serde_json::json!({
                    "ok": true,
                    "items": (0..8).map(|i| format!("item-{i}")).collect::<Vec<_>>(),
                    "note": "a body long enough to be cut in the middle",
                }))
            }
        }),
    );
    (SandboxServer::start(router).await.unwrap(), calls)
}

fn transport_with(server: &SandboxServer, timeout: Duration, policy: RetryPolicy) -> Transport {
    Transport::builder("sandbox-kit-test/0")
        .base_url(format!("{}api/", server.base_url()))
        .timeout(timeout)
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn transport(server: &SandboxServer) -> Transport {
    transport_with(
        server,
        Duration::from_secs(5),
        RetryPolicy::without_delays(),
    )
}

fn read() -> Operation {
    Operation::read("test", "get-thing", Method::GET, "thing")
}

fn write() -> Operation {
    Operation::write("test", "push-thing", Method::POST, "thing")
        .form("reference_no", "REF-1")
        .reference("REF-1")
}

fn assert_outcome_unknown(err: &Error) {
    match err {
        Error::OutcomeUnknown { reference, .. } => {
            assert_eq!(reference.as_deref(), Some("REF-1"), "{err}");
            assert!(err.is_outcome_unknown());
            assert!(err.to_string().contains("REF-1"), "{err}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

#[tokio::test]
async fn status_503_is_retried_for_a_read_but_not_for_a_write() {
    let (server, calls) = server().await;
    let t = transport(&server);

    server.faults().inject(PATH, Fault::status(503));
    let response = t.execute(&read()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.journal().hits(PATH), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 1);

    server.journal().clear();
    server.faults().inject(PATH, Fault::status(503));
    let err = t.execute(&write()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Http { status, .. } if *status == 503),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.journal().hits(PATH), 1);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the write's handler never ran"
    );
}

#[tokio::test]
async fn status_429_with_a_short_retry_after_is_retried_even_for_a_write() {
    let (server, calls) = server().await;
    let t = transport(&server);
    server
        .faults()
        .inject(PATH, Fault::status_with_retry_after(429, "0"));
    t.execute(&write()).await.unwrap();
    assert_eq!(server.journal().hits(PATH), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn status_429_with_a_long_retry_after_is_a_rate_limit_error() {
    let (server, calls) = server().await;
    let t = transport(&server);
    server
        .faults()
        .inject(PATH, Fault::status_with_retry_after(429, "3600"));
    let err = t.execute(&write()).await.unwrap_err();
    match &err {
        Error::RateLimited {
            status,
            retry_after,
            retry_at,
            ..
        } => {
            assert_eq!(*status, 429);
            assert_eq!(*retry_after, Some(Duration::from_secs(3600)));
            assert!(retry_at.is_some());
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert!(err.to_string().contains("retry after 3600 s"), "{err}");
    assert_eq!(server.journal().hits(PATH), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    let (server, _calls) = server().await;
    let t = transport(&server);

    let in_an_hour = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    server
        .faults()
        .inject(PATH, Fault::status_with_retry_after(429, &in_an_hour));
    let err = t.execute(&write()).await.unwrap_err();
    match err {
        Error::RateLimited {
            retry_after: Some(wait),
            ..
        } => assert!(
            (3590..=3600).contains(&wait.as_secs()),
            "waited {wait:?} for {in_an_hour}"
        ),
        other => panic!("expected RateLimited, got {other:?}"),
    }
    assert_eq!(server.journal().hits(PATH), 1);

    // A date in the past means "now": retried at once.
    server.journal().clear();
    let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
    server
        .faults()
        .inject(PATH, Fault::status_with_retry_after(429, &past));
    t.execute(&write()).await.unwrap();
    assert_eq!(server.journal().hits(PATH), 2);
}

#[tokio::test]
async fn a_delay_past_the_timeout_retries_a_read_and_leaves_a_write_unknown() {
    let (server, _calls) = server().await;
    let t = transport_with(
        &server,
        Duration::from_millis(300),
        RetryPolicy::without_delays(),
    );

    // The client gives up after 300 ms; the delay only has to be longer than that.
    server
        .faults()
        .inject(PATH, Fault::Delay(Duration::from_secs(2)));
    let response = t.execute(&read()).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(server.journal().hits(PATH), 2);

    server.journal().clear();
    server
        .faults()
        .inject(PATH, Fault::Delay(Duration::from_secs(2)));
    let err = t.execute(&write()).await.unwrap_err();
    assert_outcome_unknown(&err);
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(err.status(), None, "no answer came: {err}");
    assert_eq!(server.journal().hits(PATH), 1);
}

#[tokio::test]
async fn a_reset_before_the_response_retries_a_read_and_leaves_a_write_unknown() {
    let (server, calls) = server().await;
    let t = transport(&server);

    server.faults().inject(PATH, Fault::ResetBeforeResponse);
    t.execute(&read()).await.unwrap();
    assert_eq!(server.journal().hits(PATH), 2);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the reset attempt ran no handler"
    );

    server.journal().clear();
    server.faults().inject(PATH, Fault::ResetBeforeResponse);
    let err = t.execute(&write()).await.unwrap_err();
    assert_outcome_unknown(&err);
    assert_eq!(err.status(), None, "no answer came: {err}");
    assert_eq!(server.journal().hits(PATH), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_reset_in_the_middle_of_the_body_retries_a_read_and_leaves_a_write_unknown() {
    let (server, calls) = server().await;
    let t = transport(&server);

    server.faults().inject(PATH, Fault::ResetMidBody);
    let response = t.execute(&read()).await.unwrap();
    assert_eq!(response.json::<serde_json::Value>().unwrap()["ok"], true);
    assert_eq!(server.journal().hits(PATH), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    server.journal().clear();
    server.faults().inject(PATH, Fault::ResetMidBody);
    let err = t.execute(&write()).await.unwrap_err();
    assert_outcome_unknown(&err);
    // The headers arrived: the status is kept, and said.
    assert_eq!(err.status(), Some(StatusCode::OK), "{err}");
    assert!(err.to_string().contains("HTTP 200 answered"), "{err}");
    assert_eq!(server.journal().hits(PATH), 1);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "the write's handler ran exactly once"
    );
}

#[tokio::test]
async fn a_truncated_body_retries_a_read_and_leaves_a_write_unknown() {
    let (server, calls) = server().await;
    let t = transport(&server);

    server.faults().inject(PATH, Fault::TruncatedBody);
    let response = t.execute(&read()).await.unwrap();
    assert_eq!(response.json::<serde_json::Value>().unwrap()["ok"], true);
    assert_eq!(server.journal().hits(PATH), 2);
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    server.journal().clear();
    server.faults().inject(PATH, Fault::TruncatedBody);
    let err = t.execute(&write()).await.unwrap_err();
    assert_outcome_unknown(&err);
    assert_eq!(err.status(), Some(StatusCode::OK), "{err}");
    assert_eq!(server.journal().hits(PATH), 1);
    assert_eq!(
        calls.load(Ordering::SeqCst),
        3,
        "the write's handler ran exactly once"
    );
}

#[tokio::test]
async fn an_html_error_page_keeps_its_status_and_body() {
    let (server, calls) = server().await;
    let t = transport(&server);

    server.faults().inject_times(PATH, Fault::html(502), 3);
    let err = t.execute(&read()).await.unwrap_err();
    match &err {
        Error::Http {
            status,
            code,
            message,
            body,
            ..
        } => {
            assert_eq!(*status, 502);
            assert_eq!((code, message), (&None, &None));
            assert!(body.as_str().contains("<html>"), "{body:?}");
            assert!(body.as_str().contains("502 Bad Gateway"), "{body:?}");
        }
        other => panic!("expected Http, got {other:?}"),
    }
    assert_eq!(server.journal().hits(PATH), 3, "default max_attempts is 3");
    assert_eq!(server.faults().pending(), 0);

    server.journal().clear();
    server.faults().inject(PATH, Fault::html(502));
    let err = t.execute(&write()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(server.journal().hits(PATH), 1);
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_a_write() {
    // A port nobody listens on: bind one, then let it go.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let t = Transport::builder("sandbox-kit-test/0")
        .base_url(format!("http://127.0.0.1:{port}/api/"))
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    let before = t.retry_budget_available();
    let err = t.execute(&write()).await.unwrap_err();
    match &err {
        Error::Transport { kind, .. } => assert_eq!(*kind, TransportKind::Connect),
        other => panic!("expected a connect failure, got {other:?}"),
    }
    assert!(!err.is_outcome_unknown());
    // Each retry takes RETRY_COST tokens: two retries, three attempts.
    assert_eq!(
        before - t.retry_budget_available(),
        2 * pos_client_core::retry::RETRY_COST
    );
}

#[tokio::test]
async fn sequential_calls_reuse_one_connection() {
    let (server, calls) = server().await;
    let t = transport(&server);
    for _ in 0..20 {
        t.execute(&read()).await.unwrap();
    }
    assert_eq!(server.connections(), 1);
    assert_eq!(server.journal().hits(PATH), 20);
    assert_eq!(calls.load(Ordering::SeqCst), 20);
}

#[tokio::test]
async fn the_retry_budget_stops_retries_against_a_failing_server() {
    let (server, calls) = server().await;
    let t = transport_with(
        &server,
        Duration::from_secs(5),
        RetryPolicy::without_delays().with_budget_capacity(10),
    );
    server.faults().inject_times(PATH, Fault::status(503), 100);

    // 10 tokens pay for two retries (5 each): the first call makes all 3 attempts.
    let err = t.execute(&read()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.journal().hits(PATH), 3);
    assert_eq!(t.retry_budget_available(), 0);

    // The budget is empty: later calls make one attempt each.
    for expected in [4, 5, 6] {
        let err = t.execute(&read()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.journal().hits(PATH), expected);
    }
    assert_eq!(calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn the_journal_records_requests_and_routes_match_params_and_flags() {
    let (server, _calls) = server().await;
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    assert!(server.base_url().ends_with('/'));
    let t = transport(&server);

    let op = Operation::write("test", "complete", Method::POST, "thing")
        .query("licname", "shop one")
        .query_flag("get-orders")
        .form("act", "ODOC_COMPLETE")
        .form("uid", "u 1");
    t.execute(&op).await.unwrap();
    t.execute(&read().query("act", "ODOC_OPEN")).await.unwrap();

    let requests = server.journal().requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first.method, Method::POST);
    assert_eq!(first.path, PATH);
    assert_eq!(
        first.query.as_deref(),
        Some("licname=shop%20one&get-orders")
    );
    assert_eq!(
        first.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(
        first.headers["user-agent"]
            .to_str()
            .unwrap()
            .starts_with("sandbox-kit-test/0")
    );
    assert_eq!(&first.body[..], b"act=ODOC_COMPLETE&uid=u+1");
    assert_eq!(first.param("uid").as_deref(), Some("u 1"));
    assert_eq!(requests[1].method, Method::GET);

    let journal = server.journal();
    assert_eq!(journal.hits(PATH), 2);
    assert_eq!(journal.hits("/api/other"), 0);
    assert_eq!(
        journal.hits(Route::path(PATH).param("act", "ODOC_COMPLETE")),
        1
    );
    assert_eq!(journal.hits(Route::path(PATH).param("act", "ODOC_OPEN")), 1);
    assert_eq!(
        journal.hits(Route::path(PATH).param("licname", "shop one")),
        1
    );
    assert_eq!(journal.hits(Route::path(PATH).flag("get-orders")), 1);
    assert_eq!(journal.hits(Route::path(PATH).flag("get-products")), 0);

    // A fault aimed at one action leaves the others alone.
    let complete = Route::path(PATH).param("act", "ODOC_COMPLETE");
    server.faults().inject(&complete, Fault::status(500));
    t.execute(&read().query("act", "ODOC_OPEN")).await.unwrap();
    let err = t.execute(&op).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(journal.hits(&complete), 2);

    journal.clear();
    assert!(journal.requests().is_empty());
}

#[tokio::test]
async fn dropping_the_server_closes_the_port_and_open_connections() {
    let (server, _calls) = server().await;
    let addr = server.addr();
    let t = transport(&server);
    server
        .faults()
        .inject(PATH, Fault::Delay(Duration::from_secs(30)));
    let pending = tokio::spawn(async move { t.execute(&write()).await });
    while server.journal().hits(PATH) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(server);

    // The in-flight write loses its connection at once instead of waiting for the delay.
    let result = tokio::time::timeout(Duration::from_secs(2), pending)
        .await
        .expect("the open connection was aborted")
        .unwrap();
    assert_outcome_unknown(&result.unwrap_err());

    let mut refused = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the port still accepts connections");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delayed_request_whose_client_gave_up_never_reaches_the_handler() {
    let (server, calls) = server().await;
    let t = transport_with(
        &server,
        Duration::from_millis(100),
        RetryPolicy::without_delays(),
    );
    server
        .faults()
        .inject(PATH, Fault::Delay(Duration::from_millis(300)));
    let err = t.execute(&write()).await.unwrap_err();
    assert_outcome_unknown(&err);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    // The kit works the same on a multi-threaded runtime.
    server.faults().inject(PATH, Fault::ResetMidBody);
    t.execute(&read()).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(server.journal().hits(PATH), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_in_flight_bounds_the_requests_on_the_wire() {
    use std::sync::atomic::AtomicUsize;
    let now = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (n, m) = (now.clone(), most.clone());
    let router = Router::new().route(
        PATH,
        any(move || {
            let (n, m) = (n.clone(), m.clone());
            async move {
                let at_once = n.fetch_add(1, Ordering::SeqCst) + 1;
                m.fetch_max(at_once, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(20)).await;
                n.fetch_sub(1, Ordering::SeqCst);
                Json(serde_json::json!({ "ok": true }))
            }
        }),
    );
    let server = SandboxServer::start(router).await.unwrap();
    let t = Transport::builder("sandbox-kit-test/0")
        .base_url(format!("{}api/", server.base_url()))
        .retry_policy(RetryPolicy::without_delays())
        .max_in_flight(4)
        .build()
        .unwrap();
    let calls: Vec<_> = (0..40)
        .map(|_| {
            let t = t.clone();
            tokio::spawn(async move { t.execute(&read()).await.map(|r| r.status()) })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap(), 200);
    }
    assert_eq!(server.journal().hits(PATH), 40);
    assert_eq!(
        most.load(Ordering::SeqCst),
        4,
        "at most 4 on the wire, and the limit is used"
    );
}
