//! The token, which CloudPOS requires in the query string, never appears in any error (Display
//! or Debug), any Debug output, or any log line.
//!
//! In its own test binary: tracing caches per-callsite interest process-wide, so a thread-local
//! subscriber is only reliable when no other test runs in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cloudpos_client::sandbox::{Fault, LogCapture, Sandbox};
use cloudpos_client::{OrderFilter, RetryPolicy};

#[tokio::test]
async fn the_token_never_appears_in_errors_debug_or_logs() {
    const SECRET: &str = "SeCrEt-CloudPOS-Token-7f3a";
    let capture = LogCapture::start();

    let sandbox = Sandbox::builder()
        .credentials("demo-shop", SECRET)
        .daily_limit(12)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().unwrap();
    let wrong = sandbox
        .client_builder()
        .credentials("demo-shop", format!("{SECRET}-wrong"))
        .build()
        .unwrap();
    let mut shown = vec![format!(
        "{client:?} {wrong:?} {:?} {sandbox:?}",
        sandbox.client_builder()
    )];
    let route = Sandbox::route("get-products");
    let mut errors = Vec::new();

    errors.push(wrong.products().await.unwrap_err()); // 1002
    errors.push(wrong.products().await.unwrap_err()); // locked out
    sandbox
        .faults()
        .inject_times(route.clone(), Fault::html(502), 3);
    errors.push(client.products().await.unwrap_err()); // HTML 502
    sandbox
        .faults()
        .inject_times(route.clone(), Fault::ResetBeforeResponse, 3);
    errors.push(client.products().await.unwrap_err()); // transport
    sandbox.faults().inject(
        route.clone(),
        Fault::Status {
            status: 200,
            retry_after: None,
            body: format!(r#"{{"errorcode":1005,"message":"no licence for token {SECRET}"}}"#),
        },
    );
    errors.push(client.products().await.unwrap_err()); // echoed in a message
    sandbox.faults().inject(
        route.clone(),
        Fault::Status {
            status: 200,
            retry_after: None,
            body: format!(r#"{{"success":1,"data":[{{"id":"{SECRET}"}}]}}"#),
        },
    );
    errors.push(client.products().await.unwrap_err()); // decode error
    sandbox.faults().inject(
        route.clone(),
        Fault::Status {
            status: 500,
            retry_after: None,
            body: format!(r#"{{"message":"token={SECRET}"}}"#),
        },
    );
    errors.push(
        sandbox
            .client_builder()
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap()
            .products()
            .await
            .unwrap_err(),
    ); // 500 with an echo
    let slow = sandbox
        .client_builder()
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    sandbox
        .faults()
        .inject(route.clone(), Fault::Delay(Duration::from_millis(400)));
    errors.push(slow.products().await.unwrap_err()); // timeout
    while client.orders(&OrderFilter::new()).await.is_ok() {}
    errors.push(client.orders(&OrderFilter::new()).await.unwrap_err()); // quota
    let limited = sandbox.client_builder().refuse_below(0).build().unwrap();
    errors.push(limited.orders(&OrderFilter::new()).await.unwrap_err()); // 1003
    for err in &errors {
        shown.push(format!("{err} | {err:?}"));
    }
    shown.push(format!("{client:?}"));

    let logs = capture.text();
    assert!(
        logs.contains("get-products") && logs.contains("token=***"),
        "tracing captured the calls with a redacted URL: {logs}"
    );
    assert!(!logs.contains(SECRET), "token in the logs:\n{logs}");
    for text in &shown {
        assert!(!text.contains(SECRET), "token shown: {text}");
    }
    assert!(
        shown.iter().any(|t| t.contains("token ***")),
        "the echoed token was redacted: {shown:#?}"
    );
    assert_eq!(errors.len(), 10);
}
