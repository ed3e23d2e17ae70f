//! A recognisable token, sent in the query and in the form body and echoed back by the server,
//! never shows up in an error's Display or Debug, nor in the tracing output, on any error path.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use pos_client_core::sandbox::axum::{
    Router,
    body::Bytes,
    extract::RawQuery,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::any,
};
use pos_client_core::sandbox::{Fault, LogCapture, SandboxServer};
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Error, Operation, RetryPolicy, Transport, TransportKind, http::Method};

const TOKEN: &str = "SEKRIT-TOKEN-4711";
/// Characters that form encoding changes, so that an encoded echo is checked too.
const PASSWORD: &str = "SEKRIT/PASS+0815 x";
const PASSWORD_ENCODED: &str = "SEKRIT%2FPASS%2B0815+x";
const PATH: &str = "/api/echo";

/// Answers according to `mode` (a query parameter), echoing both credentials it received.
async fn echo(RawQuery(query): RawQuery, body: Bytes) -> Response {
    let query = query.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .chain(url::form_urlencoded::parse(&body))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (token, password) = (get("token"), get("password"));
    let status = get("status")
        .parse::<u16>()
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let json = |status: StatusCode, body: String| {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    match get("mode").as_str() {
        "json" => json(
            status,
            format!(
                r#"{{"code":"BAD-{token}","message":"token {token} / password {password} rejected"}}"#
            ),
        ),
        "html" => (
            status,
            [(header::CONTENT_TYPE, "text/html")],
            format!(
                "<html><body><h1>Error</h1><p>token={token}&password={password}</p>\
                 <pre>{query}\n{}</pre></body></html>",
                String::from_utf8_lossy(&body)
            ),
        )
            .into_response(),
        // PHP's json_encode escapes every `/` as `\/`.
        "php-json" => json(
            status,
            format!(r#"{{"message":"password {password} rejected"}}"#).replace('/', "\\/"),
        ),
        "malformed" => json(StatusCode::OK, format!(r#"{{"token":"{token}","count":"#)),
        "mismatch" => json(StatusCode::OK, format!(r#"{{"count":"{token}"}}"#)),
        "ratelimit" => (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "3600")],
            format!("slow down, {token}"),
        )
            .into_response(),
        _ => json(StatusCode::OK, format!(r#"{{"token":"{token}"}}"#)),
    }
}

async fn server() -> SandboxServer {
    SandboxServer::start(Router::new().route(PATH, any(echo)))
        .await
        .unwrap()
}

fn transport_for(base_url: &str, timeout: Duration) -> Transport {
    Transport::builder("redaction-test/0")
        .base_url(base_url)
        .timeout(timeout)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap()
}

fn transport(server: &SandboxServer) -> Transport {
    transport_for(
        &format!("{}api/", server.base_url()),
        Duration::from_secs(5),
    )
}

/// A call that puts the token in the query and the password in the form body.
fn op(write: bool, mode: &str, status: u16) -> Operation {
    let token = SecretString::from(TOKEN);
    let password = SecretString::from(PASSWORD);
    let op = if write {
        Operation::write("test", "push-echo", Method::POST, "echo").reference("REF-9")
    } else {
        Operation::read("test", "get-echo", Method::POST, "echo")
    };
    op.query("mode", mode)
        .query("status", status.to_string())
        .query_secret("token", &token)
        .form("user", "alice")
        .form_secret("password", &password)
}

/// Neither credential appears in the error's Display or Debug, nor in the logs so far.
fn assert_clean(err: &Error, logs: &LogCapture) {
    let display = err.to_string();
    let debug = format!("{err:?}");
    let logs = logs.text();
    for secret in [TOKEN, PASSWORD, PASSWORD_ENCODED] {
        assert!(
            !display.contains(secret),
            "Display leaks {secret}: {display}"
        );
        assert!(!debug.contains(secret), "Debug leaks {secret}: {debug}");
        assert!(!logs.contains(secret), "tracing leaks {secret}:\n{logs}");
    }
    // The capture works: the client's spans are in it.
    assert!(logs.contains("pos_client.operation"), "{logs}");
    assert!(logs.contains("pos_client.attempt"), "{logs}");
}

/// The server really did receive (and so could echo) both credentials.
fn assert_sent(server: &SandboxServer) {
    let last = server.journal().requests().pop().unwrap();
    assert_eq!(last.param("token").as_deref(), Some(TOKEN));
    assert_eq!(last.param("password").as_deref(), Some(PASSWORD));
}

#[tokio::test]
async fn http_errors_with_echoing_json_bodies() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    for status in [400, 401, 500] {
        let err = t.execute(&op(false, "json", status)).await.unwrap_err();
        assert_sent(&server);
        match &err {
            Error::Http {
                status: s,
                code,
                message,
                body,
                ..
            } => {
                assert_eq!(s.as_u16(), status);
                assert_eq!(code.as_deref(), Some("BAD-***"));
                assert_eq!(
                    message.as_deref(),
                    Some("token *** / password *** rejected")
                );
                assert!(
                    body.as_str().contains("token *** / password ***"),
                    "{body:?}"
                );
            }
            other => panic!("expected Http, got {other:?}"),
        }
        assert_clean(&err, &logs);
    }
}

#[tokio::test]
async fn http_errors_with_php_escaped_json_bodies() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    let err = t.execute(&op(true, "php-json", 400)).await.unwrap_err();
    assert_sent(&server);
    let Error::Http { message, body, .. } = &err else {
        panic!("expected Http, got {err:?}")
    };
    assert_eq!(message.as_deref(), Some("password *** rejected"));
    assert_eq!(body.as_str(), r#"{"message":"password *** rejected"}"#);
    assert_clean(&err, &logs);
}

#[tokio::test]
async fn http_errors_with_echoing_html_bodies() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    for (write, status) in [(false, 400), (true, 401), (true, 503), (false, 502)] {
        let err = t.execute(&op(write, "html", status)).await.unwrap_err();
        assert_sent(&server);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let Error::Http { body, .. } = &err else {
            panic!("expected Http, got {err:?}")
        };
        assert!(body.as_str().contains("token=***&password=***"), "{body:?}");
        // The raw echo of the query and of the form body, encoded secrets included.
        assert!(body.as_str().contains("&token=***"), "{body:?}");
        assert!(
            body.as_str().contains("user=alice&password=***"),
            "{body:?}"
        );
        assert_clean(&err, &logs);
    }
    // A write answered by a crash page may have run: outcome unknown, clean as well.
    let err = t.execute(&op(true, "html", 500)).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_clean(&err, &logs);
}

#[tokio::test]
async fn decode_errors_on_echoing_bodies() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Count {
        count: u32,
    }
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    for mode in ["malformed", "mismatch"] {
        let response = t.execute(&op(false, mode, 200)).await.unwrap();
        assert_sent(&server);
        let debug = format!("{response:?}");
        assert!(!debug.contains(TOKEN), "Response Debug leaks: {debug}");
        let err = response.json::<Count>().unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_clean(&err, &logs);
    }
    // The type mismatch quotes the offending value: it is redacted in the message.
    let err = t
        .execute(&op(false, "mismatch", 200))
        .await
        .unwrap()
        .json::<Count>()
        .unwrap_err();
    let Error::Decode { message, .. } = &err else {
        panic!("expected Decode, got {err:?}")
    };
    assert!(message.contains("***"), "{message}");
}

#[tokio::test]
async fn rate_limit_errors() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    for write in [false, true] {
        let err = t.execute(&op(write, "ratelimit", 429)).await.unwrap_err();
        assert_sent(&server);
        assert!(
            matches!(&err, Error::RateLimited { retry_after: Some(d), .. } if d.as_secs() == 3600),
            "{err:?}"
        );
        assert_clean(&err, &logs);
    }
}

#[tokio::test]
async fn transport_timeouts() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport_for(
        &format!("{}api/", server.base_url()),
        Duration::from_millis(200),
    );
    server
        .faults()
        .inject_times(PATH, Fault::Delay(Duration::from_secs(1)), 3);
    let err = t.execute(&op(false, "json", 200)).await.unwrap_err();
    assert_sent(&server);
    assert!(
        matches!(
            &err,
            Error::Transport {
                kind: TransportKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.journal().hits(PATH), 3);
    assert!(logs.text().contains("retrying"), "retries are logged");
    assert_clean(&err, &logs);
}

#[tokio::test]
async fn outcome_unknown_errors() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    for fault in [
        Fault::ResetBeforeResponse,
        Fault::ResetMidBody,
        Fault::TruncatedBody,
    ] {
        server.faults().inject(PATH, fault.clone());
        let err = t.execute(&op(true, "echo", 200)).await.unwrap_err();
        assert_sent(&server);
        assert!(err.is_outcome_unknown(), "{fault:?}: {err:?}");
        assert!(err.to_string().contains("REF-9"), "{err}");
        assert_clean(&err, &logs);
    }
}

#[tokio::test]
async fn connect_failures() {
    let logs = LogCapture::start();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let t = transport_for(
        &format!("http://127.0.0.1:{port}/api/"),
        Duration::from_secs(5),
    );
    for write in [false, true] {
        let err = t.execute(&op(write, "json", 200)).await.unwrap_err();
        assert!(
            matches!(
                &err,
                Error::Transport {
                    kind: TransportKind::Connect,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_clean(&err, &logs);
    }
}

#[tokio::test]
async fn debug_of_the_building_blocks() {
    let logs = LogCapture::start();
    let server = server().await;
    let t = transport(&server);
    let op = op(true, "echo", 200);
    let response = t.execute(&op).await.unwrap();
    assert_sent(&server);
    assert_eq!(response.snippet().as_str(), r#"{"token":"***"}"#);
    for text in [
        format!("{op:?}"),
        format!("{t:?}"),
        format!("{response:?}"),
        logs.text(),
    ] {
        for secret in [TOKEN, PASSWORD, PASSWORD_ENCODED] {
            assert!(!text.contains(secret), "{text}");
        }
    }
}

/// A login's answer carries a credential the client cannot know before decoding it: when the
/// operation says so, no error quotes or excerpts that body.
#[tokio::test]
async fn answers_that_carry_a_credential_are_never_excerpted() {
    const ISSUED: &str = "ISSUED-ACCESS-TOKEN-0042";
    let logs = LogCapture::start();
    let server = SandboxServer::start(Router::new().route(
        "/api/login",
        any(|RawQuery(query): RawQuery| async move {
            let json = |status: StatusCode, body: String| {
                (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
            };
            match query.as_deref() {
                // The issued token where a number belongs: the decoder would quote it.
                Some("mode=mismatch") => json(StatusCode::OK, format!(r#"{{"count":"{ISSUED}"}}"#)),
                _ => json(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!(r#"{{"error":"boom","token":"{ISSUED}"}}"#),
                ),
            }
        }),
    ))
    .await
    .unwrap();
    let t = transport(&server);
    let login = |mode: &str| {
        Operation::read("test", "login", Method::POST, "login")
            .query("mode", mode)
            .answer_carries_secret()
    };

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Count {
        count: u32,
    }
    let decode = t
        .execute(&login("mismatch"))
        .await
        .unwrap()
        .json::<Count>()
        .unwrap_err();
    let http = t.execute(&login("error")).await.unwrap_err();
    assert_eq!(http.status().map(|s| s.as_u16()), Some(500));
    for err in [&decode, &http] {
        let shown = format!("{err} {err:?} {}", logs.text());
        assert!(!shown.contains(ISSUED), "{shown}");
        assert!(shown.contains("withheld"), "{shown}");
    }

    // Without the mark, the same decode error does quote the body: the test has teeth.
    let plain = Operation::read("test", "login", Method::POST, "login").query("mode", "mismatch");
    let quoted = t
        .execute(&plain)
        .await
        .unwrap()
        .json::<Count>()
        .unwrap_err();
    assert!(format!("{quoted:?}").contains(ISSUED));
}
