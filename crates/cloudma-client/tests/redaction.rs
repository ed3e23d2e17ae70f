//! The token never appears in any error (Display or Debug), any Debug output, or any log line.
//!
//! In its own test binary: tracing caches per-callsite interest process-wide, so a thread-local
//! subscriber is only reliable when no other test runs in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudma_client::models::Sale;
use cloudma_client::sandbox::{Fault, LogCapture, Sandbox};
use cloudma_client::{BodyEncoding, Money};
use rust_decimal_macros::dec;

const SALE: &str = "/api/push-sale";
const SYNC: &str = "/api/sync-stock";

fn money(d: rust_decimal::Decimal) -> Money {
    Money::new(d)
}

#[tokio::test]
async fn the_token_never_appears_in_errors_debug_or_logs() {
    const SECRET: &str = "SeCrEt-CloudMA-Token-9d41";
    let capture = LogCapture::start();

    let sandbox = Sandbox::builder().token(SECRET).start().await.unwrap();
    let mut shown = Vec::new();
    for encoding in [BodyEncoding::Form, BodyEncoding::Json] {
        let client = sandbox
            .client_builder()
            .body_encoding(encoding)
            .build()
            .unwrap();
        let wrong = sandbox
            .client_builder()
            .body_encoding(encoding)
            .token(format!("{SECRET}-wrong"))
            .build()
            .unwrap();
        shown.push(format!(
            "{client:?} {wrong:?} {:?}",
            sandbox.client_builder()
        ));
        let tag = format!("{encoding:?}");
        let sale = |r: &str| {
            Sale::builder(format!("{r}-{tag}"))
                .add("CM-1001", 1, money(dec!(2)))
                .build()
                .unwrap()
        };

        let mut errors = Vec::new();
        errors.push(wrong.sync_stock().await.unwrap_err()); // 401
        let bad = Sale::builder(format!("NF-{tag}"))
            .add("NOPE", 1, money(dec!(1)))
            .build()
            .unwrap();
        errors.push(client.push_sale(&bad).await.unwrap_err()); // 400 Product Not Found
        let ok = client.push_sale(&sale("OK")).await.unwrap();
        shown.push(format!("{ok:?}"));
        errors.push(client.push_sale(&sale("OK")).await.unwrap_err()); // 400 duplicate
        sandbox.faults().inject(SALE, Fault::ResetMidBody);
        errors.push(client.push_sale(&sale("RESET")).await.unwrap_err()); // outcome unknown
        sandbox.faults().inject(SALE, Fault::html(502));
        errors.push(client.push_sale(&sale("HTML")).await.unwrap_err()); // 502
        sandbox.faults().inject(
            SYNC,
            Fault::Status {
                status: 400,
                retry_after: None,
                body: format!(r#"{{"message":"bad token {SECRET}","code":"{SECRET}"}}"#),
            },
        );
        errors.push(client.sync_stock().await.unwrap_err()); // an echoed token
        sandbox.faults().inject(
            SYNC,
            Fault::Status {
                status: 200,
                retry_after: None,
                body: format!(r#"{{"token":"{SECRET}"}}"#),
            },
        );
        errors.push(client.sync_stock().await.unwrap_err()); // decode error
        for err in &errors {
            shown.push(format!("{err} | {err:?}"));
        }
    }
    let logs = capture.text();
    assert!(
        logs.contains("push-sale"),
        "tracing captured the calls: {logs}"
    );
    assert!(!logs.contains(SECRET), "token in the logs:\n{logs}");
    for text in &shown {
        assert!(!text.contains(SECRET), "token shown: {text}");
    }
    assert!(
        shown.iter().any(|t| t.contains("***")),
        "the echoed token was redacted"
    );
}
