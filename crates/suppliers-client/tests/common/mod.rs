//! Mock helpers shared by the httpmock tests (wire.rs, examples.rs).

use std::fmt::Display;
use std::future::Future;
use std::pin::Pin;

use httpmock::prelude::*;
use serde_json::Value;
use suppliers_client::{Client, Error, RetryPolicy, TempPurchase};

pub const VND: &str = "application/vnd.suppliers.v1+json";

/// A client of the mock with the bearer token the mocks expect, retrying without delays.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url("/api/"))
        .bearer_token("tok-123")
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap()
}

/// A mock of one request: method, path (`?name=value&...` after it: each query parameter, as
/// decoded), the documented headers (Accept, Authorization; Content-Type with a body) and the
/// exact JSON body; it answers `answer` (a JSON value or the text as printed; an empty text is
/// no body).
pub async fn expect<'a>(
    server: &'a MockServer,
    method: httpmock::Method,
    path: &str,
    body: Option<Value>,
    status: u16,
    answer: impl Display,
) -> httpmock::Mock<'a> {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = format!("/api/{path}");
    let answer = answer.to_string();
    server
        .mock_async(|when, then| {
            let mut when = when
                .method(method)
                .path(path)
                .header("accept", VND)
                .header("authorization", "Bearer tok-123");
            for pair in query.split('&').filter(|p| !p.is_empty()) {
                let (name, value) = pair.split_once('=').unwrap();
                when = when.query_param(name, value);
            }
            if let Some(body) = body {
                when = when.header("content-type", VND).json_body(body);
            }
            let _ = when;
            let then = then.status(status);
            if !answer.is_empty() {
                then.header("content-type", VND).body(answer);
            }
        })
        .await
}

/// The current temp purchase, `GET /supplier-purchase-temp/current` answered by `current`.
pub async fn current(server: &MockServer, current: impl Display) -> TempPurchase {
    let m = expect(
        server,
        GET,
        "supplier-purchase-temp/current",
        None,
        200,
        current,
    )
    .await;
    let trans = client(server).current().await.unwrap();
    m.assert_async().await;
    m.delete_async().await;
    trans
}

/// One write of the client, its answer dropped.
pub type Write<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;

/// `call` as a [`Write`].
pub fn write<'a, T>(call: impl Future<Output = Result<T, Error>> + 'a) -> Write<'a> {
    Box::pin(async move { call.await.map(|_| ()) })
}

/// Each write must send `PUT path` with exactly its body (once); answered `answer` with 200,
/// it must succeed.
pub async fn puts(server: &MockServer, path: &str, answer: &str, writes: Vec<(Value, Write<'_>)>) {
    for (i, (body, write)) in writes.into_iter().enumerate() {
        let m = expect(server, PUT, path, Some(body), 200, answer).await;
        write.await.unwrap_or_else(|e| panic!("{i}: {e}"));
        m.assert_async().await;
        m.delete_async().await;
    }
}
