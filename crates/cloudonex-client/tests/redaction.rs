//! The API key never appears in any error (Display or Debug), any Debug output, or any log
//! line, in both auth modes.
//!
//! In its own test binary: tracing caches per-callsite interest process-wide, so a thread-local
//! subscriber is only reliable when no other test runs in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudonex_client::sandbox::{Fault, LogCapture, Sandbox};
use cloudonex_client::{AuthMode, NewCustomer, RecordRequest};

#[tokio::test]
async fn the_key_never_appears_in_errors_debug_or_logs() {
    const SECRET: &str = "SeCrEt-CloudOnex-Key/9d41+x";
    let capture = LogCapture::start();
    let sandbox = Sandbox::builder().api_keys([SECRET]).start().await.unwrap();
    let mut shown = Vec::new();
    for mode in [AuthMode::Bearer, AuthMode::QueryString] {
        let client = sandbox.client_builder().auth_mode(mode).build().unwrap();
        let wrong = sandbox
            .client_builder()
            .auth_mode(mode)
            .api_key(format!("{SECRET}-wrong"))
            .build()
            .unwrap();
        shown.push(format!(
            "{client:?} {wrong:?} {:?}",
            sandbox.client_builder()
        ));

        let mut errors = vec![wrong.customers().list().await.unwrap_err()]; // 401
        errors.push(
            client
                .records(cloudonex_client::Resource::Customers)
                .create(&RecordRequest::new().field("email", "x"))
                .await
                .unwrap_err(),
        ); // 400 with fields
        errors.push(client.customers().get("9999").await.unwrap_err()); // 404
        sandbox
            .faults()
            .inject("/api/v2/customers", Fault::ResetMidBody);
        sandbox.faults().inject("/", Fault::ResetMidBody);
        errors.push(
            client
                .customers()
                .create(&NewCustomer::new("A").email("a@example.com"))
                .await
                .unwrap_err(),
        ); // outcome unknown
        sandbox.faults().inject("/api/v2/leads", Fault::html(502));
        sandbox.faults().inject("/", Fault::html(502));
        let list = client.leads().list().await;
        shown.push(format!("{list:?}"));
        sandbox.faults().clear();
        let ok = client.leads().list().await.unwrap();
        shown.push(format!("{ok:?}"));
        for e in &errors {
            shown.push(format!("{e} {e:?}"));
        }
        assert!(errors[3].is_outcome_unknown(), "{}", errors[3]);
    }
    let logs = capture.text();
    assert!(logs.contains("pos_client.operation"), "spans were captured");
    assert!(
        logs.contains("api_key=***"),
        "the query-string URL is printed redacted"
    );
    for text in shown.iter().chain(std::iter::once(&logs)) {
        for needle in [
            SECRET,
            "SeCrEt-CloudOnex-Key",
            "SeCrEt-CloudOnex-Key%2F9d41",
        ] {
            assert!(!text.contains(needle), "the key leaked: {text}");
        }
    }
}
