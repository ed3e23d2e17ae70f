//! Error classification: the vendor's status table as a typed [`ErrorCode`] (with the product
//! code a "Product Not Found" answer names), read from real answers through httpmock, and each
//! code's class.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudma_client::models::Sale;
use cloudma_client::{BodyEncoding, Client, Error, ErrorCode, Money, RetryPolicy};
use httpmock::prelude::*;
use pos_client_core::{CodeClass, VendorCode};
use rust_decimal_macros::dec;

/// Answers `path` (`sync-stock` or `push-sale`) with `status` and `body`, and returns the
/// error of the call and how often it was sent.
async fn error_for(path: &str, status: u16, body: &str) -> (Error, usize) {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("/api/{path}"));
            then.status(status).body(body);
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/"))
        .token("t-1")
        .body_encoding(BodyEncoding::Form)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    let err = match path {
        "sync-stock" => client.sync_stock().await.map(|_| ()).unwrap_err(),
        _ => {
            let sale = Sale::builder("S-1")
                .add("A-1", 1, Money::new(dec!(2.50)))
                .build()
                .unwrap();
            client.push_sale(&sale).await.map(|_| ()).unwrap_err()
        }
    };
    (err, mock.calls_async().await)
}

/// A 400 on a push whose message says "Product Not Found" (any case), in a JSON body or a
/// text body: the code names the product when the body does.
#[tokio::test]
async fn product_not_found_is_recognised_in_json_and_text() {
    let product = |p: &str| {
        Some(ErrorCode::ProductNotFound {
            product: Some(p.to_owned()),
        })
    };
    for (body, code, message) in [
        (
            r#"{"message":"Product Not Found","code":"X-9"}"#,
            product("X-9"),
            "Product Not Found",
        ),
        (
            "product not found: AB12",
            product("AB12"),
            "product not found: AB12",
        ),
        (
            r#"{"error":"PRODUCT NOT FOUND"}"#,
            Some(ErrorCode::ProductNotFound { product: None }),
            "PRODUCT NOT FOUND",
        ),
        (
            r#"{"status":400,"message":"Product Not Found (code Z1)"}"#,
            product("Z1"),
            "Product Not Found (code Z1)",
        ),
        // A numeric JSON `code` is an error code, not a product.
        (
            r#"{"message":"Product Not Found","code":17}"#,
            Some(ErrorCode::ProductNotFound { product: None }),
            "Product Not Found",
        ),
    ] {
        let (err, calls) = error_for("push-sale", 400, body).await;
        assert_eq!(err.code(), code.as_ref(), "{body}: {err:?}");
        assert_eq!(err.message(), Some(message), "{body}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{body}");
        assert!(!err.is_retryable(), "{body}: {err:?}");
        assert_eq!(calls, 1, "{body}");
    }
    assert_eq!(
        ErrorCode::ProductNotFound {
            product: Some("X-9".into())
        }
        .to_string(),
        "product not found (X-9)"
    );
}

/// The status table: 400/401/403/404/500 have a code; other statuses (502, 418) have none and
/// keep their status. Read on `sync-stock` (a read, so a 500 keeps its code after the retries
/// rather than becoming outcome-unknown as a push would).
#[tokio::test]
async fn statuses_map_to_codes_and_classes() {
    for (status, body, code, message, retryable) in [
        (
            400,
            r#"{"message":"Duplicate reference"}"#,
            Some(ErrorCode::BadRequest),
            Some("Duplicate reference"),
            false,
        ),
        (400, "{}", Some(ErrorCode::BadRequest), None, false),
        (
            400,
            "<html>bad</html>",
            Some(ErrorCode::BadRequest),
            None,
            false,
        ),
        (401, "", Some(ErrorCode::Unauthorized), None, false),
        (403, "", Some(ErrorCode::Forbidden), None, false),
        (404, "", Some(ErrorCode::NotFound), None, false),
        (500, "", Some(ErrorCode::Server), None, true),
        (502, "", None, None, true),
        (418, "", None, None, false),
    ] {
        let (err, calls) = error_for("sync-stock", status, body).await;
        assert_eq!(err.code(), code.as_ref(), "{status} {body}: {err:?}");
        assert_eq!(err.message(), message, "{status} {body}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
        assert_eq!(err.is_retryable(), retryable, "{status} {body}: {err:?}");
        assert_eq!(
            err.is_credentials(),
            matches!(status, 401 | 403),
            "{status}: {err:?}"
        );
        assert_eq!(calls, if retryable { 3 } else { 1 }, "{status} {body}");
    }
    assert_eq!(ErrorCode::Unauthorized.class(), CodeClass::Credentials);
    assert_eq!(ErrorCode::Forbidden.class(), CodeClass::Credentials);
    assert_eq!(ErrorCode::Server.class(), CodeClass::Permanent);
}
