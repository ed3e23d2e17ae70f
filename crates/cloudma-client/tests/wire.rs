//! Wire tests against httpmock: exact method, path, headers, token placement and body for every
//! operation in both body encodings, plus the error statuses and validation (nothing sent).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudma_client::models::{Purchase, PurchaseItem, Sale, SaleItem};
use cloudma_client::{BodyEncoding, Client, Error, ErrorCode, Money, RetryPolicy};
use httpmock::prelude::*;
use rust_decimal_macros::dec;

/// The vendor's documented test token.
const TOKEN: &str = "38iGm3yI86Hw";
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";
const USER_AGENT: &str = concat!("cloudma-client/", env!("CARGO_PKG_VERSION"));

fn client(server: &MockServer, encoding: BodyEncoding) -> Client {
    Client::builder()
        .base_url(server.url("/api/"))
        .token(TOKEN)
        .body_encoding(encoding)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap()
}

fn money(d: rust_decimal::Decimal) -> Money {
    Money::new(d)
}

fn sale() -> Sale {
    Sale::builder("S-1001")
        .customer("Ada Lovelace", "ada@example.com")
        .shipping_cost(money(dec!(4.95)))
        .item(SaleItem::new("A-1", 2, money(dec!(12.50))))
        .item(SaleItem::new("B 2", 1, money(dec!(7.40))).with_discount(money(dec!(0.40))))
        .build()
        .unwrap()
}

fn purchase() -> Purchase {
    Purchase::builder("GRN-77")
        .item(PurchaseItem::new("A-1", 10, money(dec!(4.10))))
        .item(PurchaseItem::new("C-3", 3, money(dec!(0.99))).with_discount(money(dec!(0.07))))
        .build()
        .unwrap()
}

const SALE_FORM: &str = "token=38iGm3yI86Hw&customer_name=Ada+Lovelace&customer_email=ada%40example.com\
&reference_no=S-1001&shipping_cost=4.95&total_discount=0.00&grand_total=32.00\
&items%5B0%5D%5Bcode%5D=A-1&items%5B0%5D%5Bqty%5D=2&items%5B0%5D%5Bdiscount%5D=0.00\
&items%5B0%5D%5Btotal%5D=25.00&items%5B0%5D%5Bunit_price%5D=12.50\
&items%5B1%5D%5Bcode%5D=B+2&items%5B1%5D%5Bqty%5D=1&items%5B1%5D%5Bdiscount%5D=0.40\
&items%5B1%5D%5Btotal%5D=7.00&items%5B1%5D%5Bunit_price%5D=7.40";

const SALE_JSON: &str = r#"{"token":"38iGm3yI86Hw","customer_name":"Ada Lovelace","customer_email":"ada@example.com","reference_no":"S-1001","shipping_cost":4.95,"total_discount":0.00,"grand_total":32.00,"items":[{"code":"A-1","qty":2,"discount":0.00,"total":25.00,"unit_price":12.50},{"code":"B 2","qty":1,"discount":0.40,"total":7.00,"unit_price":7.40}]}"#;

const PURCHASE_FORM: &str = "token=38iGm3yI86Hw&reference_no=GRN-77&grand_total=43.90\
&items%5B0%5D%5Bcode%5D=A-1&items%5B0%5D%5Bqty%5D=10&items%5B0%5D%5Bdiscount%5D=0.00\
&items%5B0%5D%5Btotal%5D=41.00&items%5B0%5D%5Bunit_cost%5D=4.10\
&items%5B1%5D%5Bcode%5D=C-3&items%5B1%5D%5Bqty%5D=3&items%5B1%5D%5Bdiscount%5D=0.07\
&items%5B1%5D%5Btotal%5D=2.90&items%5B1%5D%5Bunit_cost%5D=0.99";

const PURCHASE_JSON: &str = r#"{"token":"38iGm3yI86Hw","reference_no":"GRN-77","grand_total":43.90,"items":[{"code":"A-1","qty":10,"discount":0.00,"total":41.00,"unit_cost":4.10},{"code":"C-3","qty":3,"discount":0.07,"total":2.90,"unit_cost":0.99}]}"#;

/// Lines 59–65: POST sync-stock with "only the security token"; the answer is "an array
/// containing the code, name, and qty of all active products". The document prints no body:
/// the mock's array is the closest JSON a server could send (with PHP's number-as-text and
/// null variants).
#[tokio::test]
async fn sync_stock_form_sends_only_the_token_in_the_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/sync-stock")
                .query_param_missing("token")
                .header("content-type", FORM)
                .header("accept", JSON)
                .header("user-agent", USER_AGENT)
                .body("token=38iGm3yI86Hw");
            then.status(200)
                .header("content-type", JSON)
                .body(r#"[{"code":"A-1","name":"Espresso beans","qty":40},{"code":1002,"name":"Oat milk","qty":"12.5"},{"code":"Z","name":null,"qty":-2}]"#);
        })
        .await;
    let stock = client(&server, BodyEncoding::Form)
        .sync_stock()
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(stock.len(), 3);
    assert_eq!(stock[0].code, "A-1");
    assert_eq!(stock[0].name.as_deref(), Some("Espresso beans"));
    assert_eq!(stock[0].qty, Some(dec!(40)));
    assert_eq!(stock[1].code, "1002");
    assert_eq!(stock[1].qty, Some(dec!(12.5)));
    assert_eq!(stock[2].name, None);
    assert_eq!(stock[2].qty, Some(dec!(-2)));
}

#[tokio::test]
async fn sync_stock_json_sends_the_token_as_a_json_field() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/sync-stock")
                .query_param_missing("token")
                .header("content-type", JSON)
                .body(r#"{"token":"38iGm3yI86Hw"}"#);
            then.status(200)
                .body(r#"[{"code":"A-1","name":"Beans","qty":"3"}]"#);
        })
        .await;
    let stock = client(&server, BodyEncoding::Json)
        .sync_stock()
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(stock[0].qty, Some(dec!(3)));
}

#[tokio::test]
async fn sync_stock_accepts_wrapped_arrays_and_rejects_other_shapes() {
    for (body, expect) in [
        (r#"{"data":[{"code":"A","name":"a","qty":1}]}"#, Some(1)),
        (
            r#"{"status":true,"products":[{"code":"A","name":"a","qty":1},{"code":"B","name":"b","qty":0}]}"#,
            Some(2),
        ),
        (r#"{"stock":[]}"#, Some(0)),
        (r#"{"data":null}"#, Some(0)),
        (r#"{"message":"ok"}"#, None),
        // "1,234" could be 1.234 or 1234 units: refused rather than guessed.
        (r#"[{"code":"A","name":"a","qty":"1,234"}]"#, None),
        ("<html>maintenance</html>", None),
        ("", None),
        // A byte-order mark before the JSON (a PHP file saved with one) is skipped.
        (
            "\u{feff}[{\"code\":\"A\",\"name\":\"a\",\"qty\":1}]",
            Some(1),
        ),
        (
            "\u{feff} {\"data\":[{\"code\":\"A\",\"name\":\"a\",\"qty\":1}]}",
            Some(1),
        ),
    ] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/api/sync-stock");
                then.status(200).body(body);
            })
            .await;
        let result = client(&server, BodyEncoding::Form).sync_stock().await;
        match expect {
            Some(n) => assert_eq!(result.unwrap().len(), n, "{body}"),
            None => {
                let err = result.unwrap_err();
                assert!(matches!(err, Error::Decode { .. }), "{body}: {err:?}");
                assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
            }
        }
    }
}

/// Line 65: sync-stock "Returns an array containing the code, name, and qty of all active
/// products". A PHP backend with no stock figure for a product sends `"qty": null` (a NULL
/// column), `""` or no `qty` at all: the product is still listed, its quantity unknown. One
/// such row must not fail the whole sync, and the client must not invent a figure (0 would
/// read as "sold out"): `qty` is `None` for it, and every other row keeps its quantity.
#[tokio::test]
async fn sync_stock_keeps_a_row_without_a_quantity_as_unknown() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/sync-stock");
            then.status(200).header("content-type", JSON).body(
                r#"[{"code":"A","name":"a","qty":null},{"code":"B","name":"b","qty":""},{"code":"C","name":"c"},{"code":"D","name":"d","qty":[]},{"code":"E","name":"e","qty":"0"},{"code":"F","name":"f","qty":7}]"#,
            );
        })
        .await;
    let stock = client(&server, BodyEncoding::Form)
        .sync_stock()
        .await
        .unwrap();
    let quantities: Vec<(&str, Option<rust_decimal::Decimal>)> =
        stock.iter().map(|s| (s.code.as_str(), s.qty)).collect();
    assert_eq!(
        quantities,
        [
            ("A", None),
            ("B", None),
            ("C", None),
            ("D", None),
            ("E", Some(dec!(0))),
            ("F", Some(dec!(7))),
        ]
    );
    // A quantity that is there but unreadable is still refused, not turned into "unknown".
    for qty in [r#""1,234""#, r#""many""#, "true", r#"{"on_hand":3}"#] {
        let server = MockServer::start_async().await;
        let body =
            format!(r#"[{{"code":"A","name":"a","qty":1}},{{"code":"B","name":"b","qty":{qty}}}]"#);
        server
            .mock_async(|when, then| {
                when.method(POST).path("/api/sync-stock");
                then.status(200).body(body);
            })
            .await;
        let err = client(&server, BodyEncoding::Form)
            .sync_stock()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{qty}: {err:?}");
    }
}

#[tokio::test]
async fn push_sale_form_body_is_exact_bracket_notation() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-sale")
                .query_param_missing("token")
                .header("content-type", FORM)
                .header("user-agent", USER_AGENT)
                .body(SALE_FORM);
            then.status(201)
                .header("content-type", JSON)
                .body(r#"{"status":201,"message":"Sale created","id":17}"#);
        })
        .await;
    let receipt = client(&server, BodyEncoding::Form)
        .push_sale(&sale())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(receipt.status.as_u16(), 201);
    assert_eq!(receipt.reference_no, "S-1001");
    assert_eq!(receipt.message.as_deref(), Some("Sale created"));
    assert_eq!(receipt.id.as_deref(), Some("17"));
    assert_eq!(receipt.raw["status"], 201);
}

#[tokio::test]
async fn push_sale_json_body_is_exact() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-sale")
                .query_param_missing("token")
                .header("content-type", JSON)
                .body(SALE_JSON);
            then.status(200).body("{}");
        })
        .await;
    let receipt = client(&server, BodyEncoding::Json)
        .push_sale(&sale())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(receipt.status.as_u16(), 200);
    assert_eq!(
        receipt.raw,
        serde_json::json!({}),
        "an empty JSON object is a success"
    );
    assert_eq!(receipt.message, None);
}

#[tokio::test]
async fn push_purchase_form_body_is_exact_and_carries_grand_total() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-purchase")
                .query_param_missing("token")
                .header("content-type", FORM)
                .body(PURCHASE_FORM);
            then.status(200).body(r#""Purchase saved""#);
        })
        .await;
    let receipt = client(&server, BodyEncoding::Form)
        .push_purchase(&purchase())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(receipt.reference_no, "GRN-77");
    assert_eq!(receipt.raw, serde_json::json!("Purchase saved"));
}

#[tokio::test]
async fn push_purchase_json_body_is_exact() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-purchase")
                .header("content-type", JSON)
                .body(PURCHASE_JSON);
            then.status(201)
                .body(r#"{"success":true,"purchase_id":"P-9","msg":"GRN recorded"}"#);
        })
        .await;
    let receipt = client(&server, BodyEncoding::Json)
        .push_purchase(&purchase())
        .await
        .unwrap();
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(receipt.id.as_deref(), Some("P-9"));
    assert_eq!(receipt.message.as_deref(), Some("GRN recorded"));
}

/// The document types every amount as `Double` and prints no example. Amounts go out with at
/// least two decimal places whatever scale the caller used (`0` → `0.00`, `12.5` → `12.50`, `3`
/// → `3.00`; `0.125` keeps its three): a server checking for a decimal point (a JSON float type,
/// a two-decimals money rule) accepts them, and one reading `0` reads `0.00` alike. Integers
/// (`qty`) stay integers.
#[tokio::test]
async fn amounts_go_out_with_at_least_two_decimals_in_both_encodings() {
    let sale = Sale::builder("S-5")
        .item(SaleItem::new("A", 2, money(dec!(12.5))))
        .item(SaleItem::new("B", 8, money(dec!(0.125))).with_discount(money(dec!(1))))
        .build()
        .unwrap();
    let purchase = Purchase::builder("G-5")
        .item(PurchaseItem::new("A", 4, money(dec!(3))))
        .build()
        .unwrap();
    assert_eq!(
        sale.grand_total.to_string(),
        "25.0",
        "the caller's value is unchanged"
    );
    let server = MockServer::start_async().await;
    let sale_form = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-sale")
                .header("content-type", FORM)
                .body(
                    "token=38iGm3yI86Hw&customer_name=&customer_email=&reference_no=S-5\
&shipping_cost=0.00&total_discount=0.00&grand_total=25.00\
&items%5B0%5D%5Bcode%5D=A&items%5B0%5D%5Bqty%5D=2&items%5B0%5D%5Bdiscount%5D=0.00\
&items%5B0%5D%5Btotal%5D=25.00&items%5B0%5D%5Bunit_price%5D=12.50\
&items%5B1%5D%5Bcode%5D=B&items%5B1%5D%5Bqty%5D=8&items%5B1%5D%5Bdiscount%5D=1.00\
&items%5B1%5D%5Btotal%5D=0.000&items%5B1%5D%5Bunit_price%5D=0.125",
                );
            then.status(201).body("{}");
        })
        .await;
    let purchase_form = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-purchase")
                .header("content-type", FORM)
                .body(
                    "token=38iGm3yI86Hw&reference_no=G-5&grand_total=12.00\
&items%5B0%5D%5Bcode%5D=A&items%5B0%5D%5Bqty%5D=4&items%5B0%5D%5Bdiscount%5D=0.00\
&items%5B0%5D%5Btotal%5D=12.00&items%5B0%5D%5Bunit_cost%5D=3.00",
                );
            then.status(201).body("{}");
        })
        .await;
    let form = client(&server, BodyEncoding::Form);
    form.push_sale(&sale).await.unwrap();
    form.push_purchase(&purchase).await.unwrap();
    assert_eq!(sale_form.calls_async().await, 1);
    assert_eq!(purchase_form.calls_async().await, 1);

    let server = MockServer::start_async().await;
    let sale_json = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/push-sale").header("content-type", JSON).body(
                r#"{"token":"38iGm3yI86Hw","customer_name":"","customer_email":"","reference_no":"S-5","shipping_cost":0.00,"total_discount":0.00,"grand_total":25.00,"items":[{"code":"A","qty":2,"discount":0.00,"total":25.00,"unit_price":12.50},{"code":"B","qty":8,"discount":1.00,"total":0.000,"unit_price":0.125}]}"#,
            );
            then.status(201).body("{}");
        })
        .await;
    let purchase_json = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/push-purchase").header("content-type", JSON).body(
                r#"{"token":"38iGm3yI86Hw","reference_no":"G-5","grand_total":12.00,"items":[{"code":"A","qty":4,"discount":0.00,"total":12.00,"unit_cost":3.00}]}"#,
            );
            then.status(201).body("{}");
        })
        .await;
    let json = client(&server, BodyEncoding::Json);
    json.push_sale(&sale).await.unwrap();
    json.push_purchase(&purchase).await.unwrap();
    assert_eq!(sale_json.calls_async().await, 1);
    assert_eq!(purchase_json.calls_async().await, 1);
}

#[tokio::test]
async fn invalid_requests_send_nothing() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).body("{}");
        })
        .await;
    let client = client(&server, BodyEncoding::Form);

    let mut wrong_total = sale();
    wrong_total.grand_total = money(dec!(32.01));
    let mut zero_qty = sale();
    zero_qty.items[0].qty = 0;
    let mut no_reference = sale();
    no_reference.reference_no = "   ".into();
    let mut no_items = sale();
    no_items.items.clear();
    no_items.grand_total = Money::ZERO;
    for bad in [wrong_total, zero_qty, no_reference, no_items] {
        let err = client.push_sale(&bad).await.unwrap_err();
        assert!(err.is_validation(), "{err:?}");
        assert_eq!(err.status(), None);
    }
    let mut bad_purchase = purchase();
    bad_purchase.grand_total = money(dec!(41.00)); // leaves out the second line
    let err = client.push_purchase(&bad_purchase).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("grand_total 41.00 does not match the sum of the item totals 43.90"),
        "{err}"
    );
    let mut empty_code = purchase();
    empty_code.items[1].code = String::new();
    assert!(
        client
            .push_purchase(&empty_code)
            .await
            .unwrap_err()
            .is_validation()
    );

    assert_eq!(
        mock.calls_async().await,
        0,
        "a failed validation sends nothing"
    );
}

/// Answers `path` with `status` and `body`, and returns the outcome of the call (`sync-stock`,
/// `push-sale` of `sale()` or `push-purchase` of `purchase()`) and how often it was sent.
async fn outcome_for(path: &str, status: u16, body: &str) -> (Result<(), Error>, usize) {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(format!("/api/{path}"));
            then.status(status).body(body);
        })
        .await;
    let client = client(&server, BodyEncoding::Form);
    let outcome = match path {
        "sync-stock" => client.sync_stock().await.map(|_| ()),
        "push-sale" => client.push_sale(&sale()).await.map(|_| ()),
        _ => client.push_purchase(&purchase()).await.map(|_| ()),
    };
    (outcome, mock.calls_async().await)
}

/// Answers `path` with `status` and `body`, and returns the error of the call.
async fn error_for(path: &str, status: u16, body: &str) -> (Error, usize) {
    let (outcome, calls) = outcome_for(path, status, body).await;
    (outcome.unwrap_err(), calls)
}

#[tokio::test]
async fn bad_request_product_not_found_is_typed() {
    let (err, calls) = error_for(
        "push-sale",
        400,
        r#"{"status":400,"message":"Product Not Found","code":"B 2"}"#,
    )
    .await;
    assert_eq!(calls, 1);
    assert_eq!(
        err.code(),
        Some(&ErrorCode::ProductNotFound {
            product: Some("B 2".to_owned())
        }),
        "{err:?}"
    );
    assert_eq!(err.message(), Some("Product Not Found"));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(!err.is_retryable());

    // A plain-text body says it too.
    let (err, _) = error_for("push-purchase", 400, "Error: product not found").await;
    assert!(
        matches!(err.code(), Some(ErrorCode::ProductNotFound { .. })),
        "{err:?}"
    );
}

#[tokio::test]
async fn other_bad_requests_keep_the_message() {
    let (err, calls) = error_for(
        "push-sale",
        400,
        r#"{"message":"Duplicate reference_no: S-1001"}"#,
    )
    .await;
    assert_eq!(calls, 1);
    assert!(
        err.code() == Some(&ErrorCode::BadRequest)
            && err.message() == Some("Duplicate reference_no: S-1001"),
        "{err:?}"
    );
    assert!(err.to_string().contains("Duplicate reference_no: S-1001"));
}

#[tokio::test]
async fn auth_failures_are_typed_and_never_retried() {
    for path in ["sync-stock", "push-sale"] {
        let (err, calls) = error_for(path, 401, r#"{"message":"Unauthorized"}"#).await;
        assert!(
            err.code() == Some(&ErrorCode::Unauthorized) && err.is_credentials(),
            "{err:?}"
        );
        assert_eq!(calls, 1, "{path}: 401 is not retried");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
        let (err, calls) = error_for(path, 403, "Forbidden").await;
        assert!(err.code() == Some(&ErrorCode::Forbidden), "{err:?}");
        assert_eq!(calls, 1, "{path}: 403 is not retried");
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn not_found_and_server_errors_keep_their_status() {
    let (err, calls) = error_for("push-sale", 404, "<html>Not Found</html>").await;
    assert!(err.code() == Some(&ErrorCode::NotFound), "{err:?}");
    assert_eq!((err.status().map(|s| s.as_u16()), calls), (Some(404), 1));

    // A read is retried on 500 (3 attempts in total); a write is not.
    let (err, calls) = error_for("sync-stock", 500, r#"{"message":"db down"}"#).await;
    assert!(err.code() == Some(&ErrorCode::Server), "{err:?}");
    assert_eq!(calls, 3);
    assert_eq!(err.message(), Some("db down"));
    // On a write a 500 says only that the server failed, maybe after recording the sale: the
    // outcome is unknown, and the push is never re-sent.
    let (err, calls) = error_for("push-sale", 500, "Internal Server Error").await;
    assert!(err.is_outcome_unknown() && !err.is_retryable(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert!(err.to_string().contains("Internal Server Error"), "{err}");
    assert_eq!(
        calls, 1,
        "a write is never re-sent after it reached the server"
    );

    // Statuses outside the vendor's table, JSON or not, keep their status; a gateway's 502 on
    // a write is outcome-unknown too.
    let (err, _) = error_for(
        "push-purchase",
        502,
        "<html><h1>502 Bad Gateway</h1></html>",
    )
    .await;
    assert!(err.is_outcome_unknown() && err.code().is_none(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    let (err, _) = error_for("sync-stock", 502, "<html>502</html>").await;
    assert!(matches!(err, Error::Http { .. }), "{err:?}");
    let (err, _) = error_for("push-purchase", 418, r#"{"weird":true}"#).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
}

#[tokio::test]
async fn an_echoed_token_is_redacted_from_errors() {
    for (status, encoding) in [(401, BodyEncoding::Form), (400, BodyEncoding::Json)] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/api/push-sale");
                then.status(status).body(format!(
                    r#"{{"message":"token {TOKEN} rejected","code":"{TOKEN}"}}"#
                ));
            })
            .await;
        let err = client(&server, encoding)
            .push_sale(&sale())
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }
}

/// "All responses are issued in JSON format": a 2xx answer to a push that is not JSON (an HTML
/// page, a cut-off body, nothing) is not CloudMA's answer, so it cannot prove the push was
/// recorded. It is outcome-unknown naming the reference, and the push is not sent again.
#[tokio::test]
async fn a_success_status_without_a_json_answer_is_outcome_unknown_for_a_push() {
    for (path, status, body) in [
        ("push-sale", 200, "<html><body>Maintenance</body></html>"),
        ("push-sale", 201, r#"{"status":201,"message":"Sale cre"#),
        ("push-sale", 200, ""),
        ("push-purchase", 200, "Purchase saved"),
        ("push-purchase", 201, "   "),
    ] {
        let (err, calls) = error_for(path, status, body).await;
        let reference = if path == "push-sale" {
            "S-1001"
        } else {
            "GRN-77"
        };
        assert!(err.is_outcome_unknown(), "{path} {body:?}: {err:?}");
        assert_eq!(err.reference(), Some(reference), "{body:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{body:?}");
        assert_eq!(calls, 1, "{body:?}: never re-sent");
    }
    // JSON of any shape is CloudMA's answer: accepted.
    for body in [
        "{}",
        "[]",
        "null",
        r#""ok""#,
        "true",
        r#"{"status":201,"id":"7"}"#,
    ] {
        let (receipt, _) = outcome_for("push-sale", 201, body).await;
        assert!(receipt.is_ok(), "{body}: {receipt:?}");
    }
    // 204 No Content has no body by definition: a success, not a cut-off answer.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/push-purchase");
            then.status(204);
        })
        .await;
    let receipt = client(&server, BodyEncoding::Form)
        .push_purchase(&purchase())
        .await
        .unwrap();
    assert_eq!(
        (receipt.status.as_u16(), receipt.raw),
        (204, serde_json::Value::Null)
    );
}

/// The document's status table (lines 78–112), row by row. It prints no error bodies, only each
/// status's description and meaning; a server could send those words as a plain-text body, a
/// JSON object's `message` or `error`, or (PHP's `json_encode` of a string, since "All responses
/// are issued in JSON format", line 17) a bare JSON string. Each is the closest body a server
/// could send for that row; the client must name the row and keep the words as the message.
#[tokio::test]
async fn the_status_table_rows_with_their_own_words() {
    let product = |p: Option<&str>| ErrorCode::ProductNotFound {
        product: p.map(str::to_owned),
    };
    // Line 94: "400 Bad Request — Error in request (e.g., Product Not Found)".
    for (body, code, message) in [
        ("Product Not Found", product(None), "Product Not Found"),
        (
            r#"{"message":"Product Not Found"}"#,
            product(None),
            "Product Not Found",
        ),
        (
            r#"{"error":"Product Not Found"}"#,
            product(None),
            "Product Not Found",
        ),
        (r#""Product Not Found""#, product(None), "Product Not Found"),
        // After a UTF-8 byte-order mark (a PHP file saved with one), as success answers are.
        (
            "\u{feff}{\"message\":\"Product Not Found\",\"code\":\"B 2\"}",
            product(Some("B 2")),
            "Product Not Found",
        ),
        (
            r#"{"status":400,"message":"Product Not Found","code":"A-1"}"#,
            product(Some("A-1")),
            "Product Not Found",
        ),
        ("Bad Request", ErrorCode::BadRequest, "Bad Request"),
        (
            r#"{"message":"Error in request"}"#,
            ErrorCode::BadRequest,
            "Error in request",
        ),
    ] {
        for path in ["push-sale", "push-purchase"] {
            let (err, calls) = error_for(path, 400, body).await;
            assert_eq!(err.code(), Some(&code), "{path} {body}: {err:?}");
            assert_eq!(err.message(), Some(message), "{path} {body}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
            assert!(!err.is_retryable() && !err.is_outcome_unknown(), "{err:?}");
            assert_eq!(calls, 1, "{path} {body}");
        }
    }
    // Lines 96–100: "401 / 403 Unauthorized / Forbidden — Authentication failure or
    // insufficient permissions"; lines 102–106: "404 Not Found — Resource not found".
    for (status, body, code, message) in [
        (401, "Unauthorized", ErrorCode::Unauthorized, "Unauthorized"),
        (
            401,
            r#"{"message":"Authentication failure"}"#,
            ErrorCode::Unauthorized,
            "Authentication failure",
        ),
        (403, "Forbidden", ErrorCode::Forbidden, "Forbidden"),
        (
            403,
            r#""insufficient permissions""#,
            ErrorCode::Forbidden,
            "insufficient permissions",
        ),
        (404, "Not Found", ErrorCode::NotFound, "Not Found"),
        (
            404,
            r#"{"message":"Resource not found"}"#,
            ErrorCode::NotFound,
            "Resource not found",
        ),
    ] {
        for path in ["sync-stock", "push-sale", "push-purchase"] {
            let (err, calls) = error_for(path, status, body).await;
            assert_eq!(err.code(), Some(&code), "{path} {status} {body}: {err:?}");
            assert_eq!(err.message(), Some(message), "{path} {body}: {err:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            assert_eq!(err.is_credentials(), status != 404, "{err:?}");
            assert_eq!(calls, 1, "{path} {status}: not retried");
        }
    }
    // Lines 108–112: "500 Internal Server Error — Server-side error": a read is retried and
    // keeps the row; a push is outcome-unknown naming its reference, sent once.
    for body in [
        "Internal Server Error",
        r#"{"message":"Server-side error"}"#,
    ] {
        let message = body
            .trim_start_matches(r#"{"message":""#)
            .trim_end_matches(r#""}"#);
        let (err, calls) = error_for("sync-stock", 500, body).await;
        assert_eq!(err.code(), Some(&ErrorCode::Server), "{body}: {err:?}");
        assert_eq!(err.message(), Some(message), "{body}: {err:?}");
        assert_eq!(calls, 3);
        for (path, reference) in [("push-sale", "S-1001"), ("push-purchase", "GRN-77")] {
            let (err, calls) = error_for(path, 500, body).await;
            assert!(err.is_outcome_unknown(), "{path} {body}: {err:?}");
            assert_eq!(err.reference(), Some(reference));
            assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
            assert!(err.to_string().contains(message), "{err}");
            assert_eq!(calls, 1, "{path}: a write is sent once");
        }
    }
}

/// Lines 78–88: "200 OK — Success" and "201 Created — Resource successfully created", on both
/// pushes (the document prints no success body; these carry the table's own words). Both
/// statuses are a receipt naming the reference, with the server's message and id.
#[tokio::test]
async fn the_status_table_success_rows_are_receipts() {
    for (status, body, message) in [
        (200, r#"{"status":200,"message":"Success"}"#, "Success"),
        (
            201,
            r#"{"status":201,"message":"Resource successfully created","id":"9"}"#,
            "Resource successfully created",
        ),
    ] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST);
                then.status(status).body(body);
            })
            .await;
        let client = client(&server, BodyEncoding::Form);
        let sale = client.push_sale(&sale()).await.unwrap();
        let purchase = client.push_purchase(&purchase()).await.unwrap();
        for (receipt, reference) in [(sale, "S-1001"), (purchase, "GRN-77")] {
            assert_eq!(receipt.status.as_u16(), status);
            assert_eq!(receipt.reference_no, reference);
            assert_eq!(receipt.message.as_deref(), Some(message));
            assert_eq!(receipt.id.as_deref(), (status == 201).then_some("9"));
            assert_eq!(receipt.raw["status"], status);
        }
    }
}

/// The JSON body is one document with the token as its first field, then the request's own
/// fields with their exact decimals; with no fields it is the token alone.
#[tokio::test]
async fn json_body_puts_the_token_first_and_keeps_exact_decimals() {
    let server = MockServer::start_async().await;
    let push = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/push-sale")
                .header("content-type", JSON)
                .body(r#"{"token":"t","customer_name":"","customer_email":"","reference_no":"S-1","shipping_cost":0.00,"total_discount":0.00,"grand_total":25.00,"items":[{"code":"A","qty":2,"discount":0.00,"total":25.00,"unit_price":12.50}]}"#);
            then.status(200).body(r#"{"message":"ok"}"#);
        })
        .await;
    let stock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/sync-stock")
                .header("content-type", JSON)
                .body(r#"{"token":"t"}"#);
            then.status(200).body("[]");
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/"))
        .token("t")
        .body_encoding(BodyEncoding::Json)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    let sale = Sale::builder("S-1")
        .item(SaleItem::new("A", 2, "12.50".parse().unwrap()))
        .build()
        .unwrap();
    client.push_sale(&sale).await.unwrap();
    assert_eq!(push.calls_async().await, 1);
    assert!(client.sync_stock().await.unwrap().is_empty());
    assert_eq!(stock.calls_async().await, 1);
}
