//! The pipeline with a toy vendor protocol: envelopes, typed codes, retries by code class, one
//! renewal of a refused token, guards, rate-limit pacing and the answer size limit.
#![cfg(feature = "sandbox")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use pos_client_core::http::{HeaderMap, Method, StatusCode};
use pos_client_core::sandbox::axum::{Router, body::Bytes, routing::any};
use pos_client_core::sandbox::{Fault, SandboxServer};
use pos_client_core::secrecy::SecretString;
use pos_client_core::{
    Answer, CallId, CodeClass, Error, Failure, Operation, OperationId, Payload, Pipeline, Protocol,
    Refusal, RetryPolicy, Session, Transport, TransportKind, VendorCode, Verdict,
};
use serde::Deserialize;

/// The toy vendor's codes.
#[derive(Debug, Clone, PartialEq)]
enum Code {
    Busy,
    BadToken,
    WrongPassword,
    NoSuchThing,
    Spent,
    Unknown(String),
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Code::Busy => f.write_str("BUSY"),
            Code::BadToken => f.write_str("BAD_TOKEN"),
            Code::WrongPassword => f.write_str("WRONG_PASSWORD"),
            Code::NoSuchThing => f.write_str("NO_SUCH_THING"),
            Code::Spent => f.write_str("SPENT"),
            Code::Unknown(c) => f.write_str(c),
        }
    }
}

impl VendorCode for Code {
    fn class(&self) -> CodeClass {
        match self {
            Code::Busy => CodeClass::Retryable,
            Code::BadToken => CodeClass::TokenRefused,
            Code::WrongPassword => CodeClass::Credentials,
            Code::Spent => CodeClass::LimitReached,
            _ => CodeClass::Permanent,
        }
    }
}

/// `{"ok": 1, "data": …}` or `{"ok": 0, "code": "…", "msg": "…"}`; a session token in the query
/// that the toy logs in for with `login`.
struct Toy {
    session: Session<SecretString>,
    logins: AtomicUsize,
    locked: Mutex<bool>,
    seen: Mutex<Vec<String>>,
    abandoned: AtomicUsize,
}

impl Toy {
    fn new() -> Self {
        Toy {
            session: Session::new(),
            logins: AtomicUsize::new(0),
            locked: Mutex::new(false),
            seen: Mutex::new(Vec::new()),
            abandoned: AtomicUsize::new(0),
        }
    }

    async fn login(&self) -> Result<SecretString, Error<Code>> {
        let n = self.logins.fetch_add(1, Ordering::SeqCst) + 1;
        Ok(SecretString::from(format!("TOKEN-{n}")))
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    ok: u8,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    msg: Option<String>,
    #[serde(default, borrow)]
    data: Option<&'a serde_json::value::RawValue>,
}

impl Protocol for Toy {
    type Code = Code;
    type Credential = (SecretString, u64);

    fn admit(&self, operation: &Operation, _: CallId) -> Result<(), Error<Code>> {
        if *self.locked.lock().unwrap() {
            return Err(Error::Refused {
                operation: operation.id(),
                reason: Refusal::LockedOut,
                until: None,
                code: Some(Code::WrongPassword),
            });
        }
        Ok(())
    }

    async fn credential(&self, _: &Transport) -> Result<Self::Credential, Error<Code>> {
        self.session.get(|| self.login()).await
    }

    fn authorize(&self, operation: Operation, credential: &Self::Credential) -> Operation {
        operation.query_secret("token", &credential.0)
    }

    fn interpret(&self, answer: &Answer<'_>) -> Verdict<Code> {
        if !answer.looks_like_json() {
            return Verdict::Failure(Failure::uncoded(None, None));
        }
        let Ok(envelope) = serde_json::from_slice::<Envelope<'_>>(answer.body) else {
            return Verdict::Failure(Failure::uncoded(None, None));
        };
        if envelope.ok == 1 {
            return Verdict::Success(match envelope.data {
                Some(d) if d.get() != "null" => Payload::Part(answer.range_of(d.get()).unwrap()),
                _ => Payload::Nothing,
            });
        }
        let code = match envelope.code.as_deref() {
            Some("BUSY") => Code::Busy,
            Some("BAD_TOKEN") => Code::BadToken,
            Some("WRONG_PASSWORD") => Code::WrongPassword,
            Some("NO_SUCH_THING") => Code::NoSuchThing,
            Some("SPENT") => Code::Spent,
            other => Code::Unknown(other.unwrap_or_default().to_owned()),
        };
        Verdict::Failure(Failure::coded(code, envelope.msg))
    }

    async fn renew(
        &self,
        _: &Transport,
        stale: Self::Credential,
    ) -> Result<Option<Self::Credential>, Error<Code>> {
        self.session.renew(stale.1, || self.login()).await.map(Some)
    }

    fn observe(
        &self,
        operation: OperationId,
        _: CallId,
        result: Result<&pos_client_core::Response, &Error<Code>>,
    ) {
        let outcome = match result {
            Ok(_) => "ok".to_owned(),
            Err(e) => e.vendor_code().unwrap_or_else(|| "error".to_owned()),
        };
        self.seen
            .lock()
            .unwrap()
            .push(format!("{} {outcome}", operation.name));
        if matches!(result, Err(e) if e.code() == Some(&Code::WrongPassword)) {
            *self.locked.lock().unwrap() = true;
        }
    }

    fn abandon(&self, _: OperationId, _: CallId) {
        self.abandoned.fetch_add(1, Ordering::SeqCst);
    }
}

/// A server whose answers are scripted per request (the last one repeats); it records the
/// token of each request.
async fn scripted(
    answers: Vec<(u16, &'static str)>,
) -> (SandboxServer, std::sync::Arc<Mutex<Vec<String>>>) {
    let tokens = std::sync::Arc::new(Mutex::new(Vec::new()));
    let seen = tokens.clone();
    let script = std::sync::Arc::new(Mutex::new(answers));
    let router = Router::new().route(
        "/api/thing",
        any(
            move |uri: pos_client_core::http::Uri, _headers: HeaderMap, _body: Bytes| {
                let (seen, script) = (seen.clone(), script.clone());
                async move {
                    let token = uri
                        .query()
                        .unwrap_or_default()
                        .split('&')
                        .find_map(|kv| kv.strip_prefix("token="))
                        .unwrap_or_default()
                        .to_owned();
                    seen.lock().unwrap().push(token);
                    let mut script = script.lock().unwrap();
                    let (status, body) = if script.len() > 1 {
                        script.remove(0)
                    } else {
                        script[0]
                    };
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [("content-type", "application/json")],
                        body,
                    )
                }
            },
        ),
    );
    (SandboxServer::start(router).await.unwrap(), tokens)
}

/// A pipeline whose answers may hold at most 64 KiB.
fn pipeline_limited_to_64_kib(server: &SandboxServer) -> Pipeline<Toy> {
    let transport = Transport::builder("pipeline-test/0")
        .base_url(format!("{}api/", server.base_url()))
        .retry_policy(RetryPolicy::without_delays())
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    Pipeline::new(transport, Toy::new())
}

fn pipeline(server: &SandboxServer) -> Pipeline<Toy> {
    let transport = Transport::builder("pipeline-test/0")
        .base_url(format!("{}api/", server.base_url()))
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    Pipeline::new(transport, Toy::new())
}

fn read() -> Operation {
    Operation::read("toy", "get-thing", Method::GET, "thing")
}

fn write() -> Operation {
    Operation::write("toy", "push-thing", Method::POST, "thing")
        .form("ref", "R-1")
        .reference("R-1")
}

#[derive(Debug, Deserialize, PartialEq)]
struct Thing {
    name: String,
}

#[tokio::test]
async fn an_envelope_gives_its_data_without_a_copy_and_null_data_as_none() {
    let (server, tokens) = scripted(vec![
        (200, r#"{"ok":1,"data":{"name":"lamp"}}"#),
        (200, r#"{"ok":1,"data":null}"#),
    ])
    .await;
    let p = pipeline(&server);
    let thing: Thing = p.call(read()).await.unwrap();
    assert_eq!(
        thing,
        Thing {
            name: "lamp".into()
        }
    );
    let none: Option<Thing> = p.call(read()).await.unwrap();
    assert_eq!(none, None);
    // One login, its token in the query of both requests.
    assert_eq!(*tokens.lock().unwrap(), ["TOKEN-1", "TOKEN-1"]);
    assert_eq!(p.protocol().logins.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_code_in_a_2xx_body_is_a_typed_error_that_keeps_status_and_message() {
    let (server, _) = scripted(vec![(
        200,
        r#"{"ok":0,"code":"NO_SUCH_THING","msg":"no thing 7"}"#,
    )])
    .await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert_eq!(err.code(), Some(&Code::NoSuchThing));
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.message(), Some("no thing 7"));
    assert!(!err.is_retryable() && !err.is_credentials());
    assert_eq!(
        err.to_string(),
        "toy get-thing: HTTP 200 OK [NO_SUCH_THING]: no thing 7"
    );
    assert_eq!(
        server.journal().hits("/api/thing"),
        1,
        "a permanent code is not retried"
    );
}

#[tokio::test]
async fn a_busy_code_is_retried_for_reads_and_never_for_writes() {
    let (server, _) = scripted(vec![
        (200, r#"{"ok":0,"code":"BUSY"}"#),
        (200, r#"{"ok":1,"data":{"name":"lamp"}}"#),
    ])
    .await;
    let p = pipeline(&server);
    assert_eq!(p.call::<Thing>(read()).await.unwrap().name, "lamp");
    assert_eq!(server.journal().hits("/api/thing"), 2);

    let (server, _) = scripted(vec![(200, r#"{"ok":0,"code":"BUSY"}"#)]).await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(write()).await.unwrap_err();
    assert_eq!(err.code(), Some(&Code::Busy));
    assert!(err.is_retryable());
    assert_eq!(
        server.journal().hits("/api/thing"),
        1,
        "a write is sent once"
    );
}

#[tokio::test]
async fn a_refused_token_is_renewed_once_and_the_write_sent_again_once() {
    let (server, tokens) = scripted(vec![
        (200, r#"{"ok":0,"code":"BAD_TOKEN"}"#),
        (200, r#"{"ok":1,"data":{"name":"done"}}"#),
    ])
    .await;
    let p = pipeline(&server);
    assert_eq!(p.call::<Thing>(write()).await.unwrap().name, "done");
    assert_eq!(*tokens.lock().unwrap(), ["TOKEN-1", "TOKEN-2"]);

    // Refused again after the renewal: the error, no third request.
    let (server, tokens) = scripted(vec![(401, r#"{"ok":0,"code":"BAD_TOKEN"}"#)]).await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(write()).await.unwrap_err();
    assert_eq!(err.code(), Some(&Code::BadToken));
    assert!(err.is_credentials());
    assert_eq!(*tokens.lock().unwrap(), ["TOKEN-1", "TOKEN-2"]);
}

#[tokio::test]
async fn a_lost_answer_is_never_taken_for_a_refused_token() {
    let (server, tokens) = scripted(vec![(200, r#"{"ok":1,"data":{"name":"done"}}"#)]).await;
    server.faults().inject("/api/thing", Fault::ResetMidBody);
    let p = pipeline(&server);
    let err = p.call::<Thing>(write()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.reference(), Some("R-1"));
    assert_eq!(tokens.lock().unwrap().len(), 1);
    assert_eq!(p.protocol().logins.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_credentials_code_trips_the_guard_and_nothing_more_is_sent() {
    let (server, _) = scripted(vec![(
        200,
        r#"{"ok":0,"code":"WRONG_PASSWORD","msg":"no"}"#,
    )])
    .await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert!(err.is_credentials() && !err.is_retryable());
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Refused {
                reason: Refusal::LockedOut,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.is_credentials());
    assert_eq!(err.code(), Some(&Code::WrongPassword));
    assert_eq!(server.journal().hits("/api/thing"), 1);
    assert_eq!(
        *p.protocol().seen.lock().unwrap(),
        ["get-thing WRONG_PASSWORD"],
        "observe sees calls that were sent"
    );
}

#[tokio::test]
async fn html_and_error_statuses_keep_the_status() {
    let (server, _) = scripted(vec![(200, r#"{"ok":1,"data":{"name":"x"}}"#)]).await;
    server
        .faults()
        .inject_times("/api/thing", Fault::html(502), 5);
    let p = pipeline(&server);
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
    assert!(matches!(err, Error::Http { .. }) && err.is_retryable() && err.code().is_none());
    assert_eq!(server.journal().hits("/api/thing"), 3, "three attempts");
}

#[tokio::test]
async fn an_answer_over_the_limit_is_cut_off() {
    let big: &'static str =
        Box::leak(format!(r#"{{"ok":1,"data":"{}"}}"#, "x".repeat(200_000)).into_boxed_str());
    let (server, _) = scripted(vec![(200, big)]).await;
    let p = pipeline_limited_to_64_kib(&server);
    let err = p.call::<String>(read()).await.unwrap_err();
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
    assert_eq!(server.journal().hits("/api/thing"), 1, "not retried");
    let err = p.call::<String>(write()).await.unwrap_err();
    assert!(
        err.is_outcome_unknown(),
        "a write whose answer is lost may have happened: {err}"
    );
}

#[tokio::test]
async fn pacing_refuses_without_sending_when_the_window_resets_too_late() {
    let router = Router::new().route(
        "/api/thing",
        any(|| async {
            (
                [
                    ("content-type", "application/json"),
                    ("x-ratelimit-limit", "1000"),
                    ("x-ratelimit-remaining", "0"),
                    ("x-ratelimit-reset", "3600"),
                ],
                r#"{"ok":1,"data":{"name":"last"}}"#,
            )
        }),
    );
    let server = SandboxServer::start(router).await.unwrap();
    let transport = Transport::builder("pipeline-test/0")
        .base_url(format!("{}api/", server.base_url()))
        .build()
        .unwrap();
    let p = Pipeline::new(transport, Toy::new())
        .with_rate_limit_pacing(std::time::Duration::from_secs(60));
    assert_eq!(p.call::<Thing>(read()).await.unwrap().name, "last");
    assert_eq!(p.rate_limit().unwrap().remaining, Some(0));
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::RateLimited {
                retry_at: Some(_),
                ..
            }
        ),
        "{err}"
    );
    let wait = err.retry_after().unwrap();
    assert!(wait > std::time::Duration::from_secs(3500), "{wait:?}");
    assert_eq!(server.journal().hits("/api/thing"), 1, "nothing sent");
}

#[tokio::test]
async fn no_token_in_errors() {
    let (server, _) = scripted(vec![(
        500,
        r#"{"ok":0,"code":"X","msg":"token TOKEN-1 rejected"}"#,
    )])
    .await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(read()).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains("TOKEN-1"), "{text}");
    assert_eq!(err.code(), Some(&Code::Unknown("X".into())));
}

#[tokio::test]
async fn a_dropped_call_is_abandoned_not_observed() {
    let (server, _) = scripted(vec![(200, r#"{"ok":1,"data":{"name":"late"}}"#)]).await;
    server.faults().inject(
        "/api/thing",
        Fault::Delay(std::time::Duration::from_secs(30)),
    );
    let p = pipeline(&server);
    let call = p.call::<Thing>(read());
    // The caller gives up long before the server answers.
    let gave_up = tokio::time::timeout(std::time::Duration::from_millis(100), call).await;
    assert!(gave_up.is_err());
    assert_eq!(p.protocol().abandoned.load(Ordering::SeqCst), 1);
    assert!(
        p.protocol().seen.lock().unwrap().is_empty(),
        "no result was observed"
    );
    // A call that ends normally is observed, not abandoned.
    server.faults().clear();
    assert_eq!(p.call::<Thing>(read()).await.unwrap().name, "late");
    assert_eq!(p.protocol().abandoned.load(Ordering::SeqCst), 1);
    assert_eq!(*p.protocol().seen.lock().unwrap(), ["get-thing ok"]);
}

#[tokio::test]
async fn a_success_answer_not_understood_is_outcome_unknown_for_a_write_and_a_decode_error_for_a_read()
 {
    let (server, _) = scripted(vec![(200, r#"{"ok":1,"data":{"unexpected":true}}"#)]).await;
    let p = pipeline(&server);
    let response = p.send(write()).await.unwrap();
    let err: Error<Code> = response.not_understood("no `name`");
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.reference(), Some("R-1"));
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert!(err.to_string().contains("no `name`"), "{err}");
    assert!(!err.to_string().contains("TOKEN-1"), "{err}");
    let response = p.send(read()).await.unwrap();
    let err: Error<Code> = response.not_understood("no `name`");
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_429_carrying_a_credentials_code_is_that_code_and_not_retried() {
    let (server, _) = scripted(vec![(
        429,
        r#"{"ok":0,"code":"WRONG_PASSWORD","msg":"blocked"}"#,
    )])
    .await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert_eq!(err.code(), Some(&Code::WrongPassword), "{err}");
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(err.is_credentials() && !err.is_retryable());
    assert_eq!(server.journal().hits("/api/thing"), 1, "not retried");
    // The guard saw it: nothing more is sent.
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert!(matches!(err, Error::Refused { .. }), "{err}");
    assert_eq!(server.journal().hits("/api/thing"), 1);
}

#[tokio::test]
async fn a_429_carrying_a_limit_reached_code_is_that_code_and_not_retried() {
    let (server, _) = scripted(vec![(
        429,
        r#"{"ok":0,"code":"SPENT","msg":"limit reached"}"#,
    )])
    .await;
    let p = pipeline(&server);
    for op in [read(), write()] {
        let err = p.call::<Thing>(op).await.unwrap_err();
        assert_eq!(err.code(), Some(&Code::Spent), "{err}");
        assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
        assert!(!err.is_retryable() && !err.is_credentials(), "{err}");
    }
    assert_eq!(server.journal().hits("/api/thing"), 2, "never retried");
}

#[tokio::test]
async fn a_429_with_any_other_code_stays_a_rate_limit() {
    let (server, _) = scripted(vec![(429, r#"{"ok":0,"code":"NO_SUCH_THING"}"#)]).await;
    let p = pipeline(&server);
    let err = p.call::<Thing>(read()).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(
        server.journal().hits("/api/thing"),
        3,
        "retried as a rate limit"
    );
}

#[tokio::test]
async fn an_error_answer_over_the_limit_keeps_its_status() {
    let big: &'static str =
        Box::leak(format!(r#"{{"ok":0,"msg":"{}"}}"#, "x".repeat(200_000)).into_boxed_str());
    let (server, _) = scripted(vec![(503, big)]).await;
    let p = pipeline_limited_to_64_kib(&server);
    let err = p.call::<String>(read()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE), "{err}");
    assert_eq!(
        server.journal().hits("/api/thing"),
        3,
        "a 503 read is retried"
    );
    let err = p.call::<String>(write()).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE), "{err}");
    assert!(!err.is_outcome_unknown(), "a 503 is an answer: {err}");
    assert_eq!(
        server.journal().hits("/api/thing"),
        4,
        "a write is not retried"
    );
}

#[tokio::test]
async fn a_write_answered_by_a_crash_or_a_gateway_may_have_run() {
    for status in [500, 502, 504] {
        let (server, _) = scripted(vec![(status, "<html>Internal error</html>")]).await;
        let p = pipeline(&server);
        let err = p.call::<Thing>(write()).await.unwrap_err();
        assert!(
            err.is_outcome_unknown() && !err.is_retryable(),
            "{status}: {err}"
        );
        assert_eq!(err.reference(), Some("R-1"));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(
            server.journal().hits("/api/thing"),
            1,
            "{status}: sent once"
        );
        // A read is retried and keeps the status.
        let err = p.call::<Thing>(read()).await.unwrap_err();
        assert!(matches!(err, Error::Http { .. }), "{status}: {err:?}");
    }
    // A 503 says the request was not taken; a vendor code says what failed.
    let (server, _) = scripted(vec![(503, "<html>Maintenance</html>")]).await;
    let err = pipeline(&server).call::<Thing>(write()).await.unwrap_err();
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    let (server, _) = scripted(vec![(500, r#"{"ok":0,"code":"NO_SUCH_THING"}"#)]).await;
    let err = pipeline(&server).call::<Thing>(write()).await.unwrap_err();
    assert_eq!(err.code(), Some(&Code::NoSuchThing), "{err:?}");
}
