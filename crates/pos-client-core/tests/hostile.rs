//! Hostile servers: an endless body, a trickle, a redirect to another host, an unexpected
//! content type. Each ends in a typed error that keeps what is known, without reading the
//! whole answer and without sending a credential anywhere else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use pos_client_core::http::Method;
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Error, Operation, RetryPolicy, Transport, TransportKind};

/// A one-thread HTTP server on loopback that answers every connection with `respond`, which
/// writes to the raw socket after the request head was read. Returns the base URL.
fn raw_server(
    respond: impl Fn(&mut TcpStream) + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            respond(&mut stream);
        }
    });
    (url, hits)
}

fn transport(url: &str, timeout: Duration, max: usize) -> Transport {
    Transport::builder("hostile-test/0")
        .base_url(url)
        .timeout(timeout)
        .max_response_bytes(max)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap()
}

fn read() -> Operation {
    Operation::read("test", "get-thing", Method::GET, "thing")
        .query_secret("token", &SecretString::from("TOKEN-HOSTILE-1"))
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_limit() {
    let written = Arc::new(AtomicUsize::new(0));
    let count = written.clone();
    let (url, hits) = raw_server(move |s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n");
        let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "7".repeat(64 * 1024));
        // Up to 256 MiB, unless the client hangs up first.
        for _ in 0..4096 {
            if s.write_all(chunk.as_bytes()).is_err() {
                return;
            }
            count.fetch_add(64 * 1024, Ordering::SeqCst);
        }
    });
    let t = transport(&url, Duration::from_secs(20), 1024 * 1024);
    let err = t.execute(&read()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::TooLarge,
                ..
            }
        ),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(hits.load(Ordering::SeqCst), 1, "not retried");
    // The client stopped reading: the server could not push the whole 256 MiB.
    std::thread::sleep(Duration::from_millis(50));
    assert!(
        written.load(Ordering::SeqCst) < 64 * 1024 * 1024,
        "{}",
        written.load(Ordering::SeqCst)
    );
}

#[tokio::test]
async fn a_declared_oversized_body_is_refused_before_reading() {
    let (url, _) = raw_server(|s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 999999999\r\n\r\n[1,");
    });
    let t = transport(&url, Duration::from_secs(5), 1024);
    let err = t.execute(&read()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::TooLarge,
                ..
            }
        ),
        "{err}"
    );
    assert!(
        err.to_string().contains("HTTP 200"),
        "the status is kept: {err}"
    );
}

#[tokio::test]
async fn a_trickling_server_is_cut_by_the_per_attempt_timeout() {
    let (url, hits) = raw_server(|s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n",
        );
        for _ in 0..100 {
            if s.write_all(b" ").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    let t = transport(&url, Duration::from_millis(300), 1024);
    let started = std::time::Instant::now();
    let err = t.execute(&read().clone()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        3,
        "a read is retried after a timeout"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    let write = Operation::write("test", "push", Method::POST, "thing").reference("R-9");
    let err = t.execute(&write).await.unwrap_err();
    assert!(
        err.is_outcome_unknown() && err.reference() == Some("R-9"),
        "{err}"
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed_and_the_token_goes_nowhere_else() {
    let (elsewhere, elsewhere_hits) = raw_server(|s| {
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
    });
    let location = format!("{elsewhere}steal");
    let (url, hits) = raw_server(move |s| {
        let _ = write!(
            s,
            "HTTP/1.1 302 Found\r\nlocation: {location}\r\ncontent-length: 0\r\n\r\n"
        );
    });
    let t = transport(&url, Duration::from_secs(5), 1024);
    let err = t.execute(&read()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302), "{err}");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(
        elsewhere_hits.load(Ordering::SeqCst),
        0,
        "the redirect was not followed"
    );
    assert!(!format!("{err} {err:?}").contains("TOKEN-HOSTILE-1"));
}

#[tokio::test]
async fn an_unexpected_content_type_keeps_the_status() {
    let (url, _) = raw_server(|s| {
        let body = "<?xml version=\"1.0\"?><error>maintenance</error>";
        let _ = write!(
            s,
            "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/xml\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        );
    });
    let t = transport(&url, Duration::from_secs(5), 1024);
    let err = t.execute(&read()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
    assert!(matches!(err, Error::Http { .. }) && err.is_retryable());
    // A 200 whose body is not JSON at all is a decode error that keeps the status.
    let (url, _) = raw_server(|s| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhello",
        );
    });
    let t = transport(&url, Duration::from_secs(5), 1024);
    let err = t.execute_json::<Vec<u32>>(&read()).await.unwrap_err();
    assert!(
        matches!(err, Error::Decode { .. }) && err.status().map(|s| s.as_u16()) == Some(200),
        "{err}"
    );
}
