//! End-to-end flows against the stateful sandbox, and injected faults from the kit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudma_client::models::{Purchase, PurchaseItem, Sale, SaleItem, StockLevel};
use cloudma_client::sandbox::{Fault, Sandbox, SandboxProduct};
use cloudma_client::{BodyEncoding, Client, Error, ErrorCode, Money};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const SALE: &str = "/api/push-sale";
const PURCHASE: &str = "/api/push-purchase";
const SYNC: &str = "/api/sync-stock";

fn qty_of(stock: &[StockLevel], code: &str) -> Decimal {
    let row = stock.iter().find(|s| s.code == code).unwrap();
    row.qty
        .expect("the sandbox lists every product with its quantity")
}

fn money(d: Decimal) -> Money {
    Money::new(d)
}

/// Content types of raw requests.
const FORM: &str = "application/x-www-form-urlencoded";
const JSON: &str = "application/json";

/// Posts `body` to the sandbox's `path` as `content_type`: the status and the JSON answer
/// (`null` when it is none).
async fn post_raw(
    sandbox: &Sandbox,
    path: &str,
    content_type: &str,
    body: String,
) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}{path}", sandbox.base_url()))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or_default())
}

async fn flow(encoding: BodyEncoding) {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .body_encoding(encoding)
        .build()
        .unwrap();

    // Sync: the active products only.
    let before = client.sync_stock().await.unwrap();
    assert_eq!(before.len(), 4, "the inactive product is not listed");
    assert!(before.iter().all(|s| s.code != "CM-0999"));
    assert_eq!(qty_of(&before, "CM-1003"), dec!(12.5), "fractional stock");
    let (a, b) = (before[0].code.clone(), before[1].code.clone());

    // Sale of two synced products: stock falls.
    let sale = Sale::builder("S-1")
        .customer("Ada Lovelace", "ada@example.com")
        .item(SaleItem::new(&a, 3, money(dec!(9.95))))
        .item(SaleItem::new(&b, 2, money(dec!(1.50))).with_discount(money(dec!(0.50))))
        .build()
        .unwrap();
    let receipt = client.push_sale(&sale).await.unwrap();
    assert_eq!(receipt.status.as_u16(), 201);
    assert_eq!(receipt.reference_no, "S-1");
    assert!(receipt.id.is_some());
    let after_sale = client.sync_stock().await.unwrap();
    assert_eq!(qty_of(&after_sale, &a), qty_of(&before, &a) - dec!(3));
    assert_eq!(qty_of(&after_sale, &b), qty_of(&before, &b) - dec!(2));
    assert_eq!(
        sandbox.sales(),
        vec![sale.clone()],
        "the sandbox read what was sent"
    );

    // Purchase: stock rises.
    let purchase = Purchase::builder("GRN-1")
        .add(&a, 10, money(dec!(4.10)))
        .build()
        .unwrap();
    client.push_purchase(&purchase).await.unwrap();
    let after_purchase = client.sync_stock().await.unwrap();
    assert_eq!(
        qty_of(&after_purchase, &a),
        qty_of(&after_sale, &a) + dec!(10)
    );
    assert_eq!(sandbox.purchases(), vec![purchase.clone()]);

    // The same reference again is rejected, and nothing changes.
    let err = client.push_sale(&sale).await.unwrap_err();
    assert!(
        err.code() == Some(&ErrorCode::BadRequest)
            && err
                .message()
                .is_some_and(|m| m.contains("Duplicate reference_no")),
        "{err:?}"
    );
    let err = client.push_purchase(&purchase).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(client.sync_stock().await.unwrap(), after_purchase);

    // The token travelled in the body of every request, never in the URL.
    for request in sandbox.journal().requests() {
        assert_eq!(request.query, None);
        assert_eq!(request.method, "POST");
        assert!(request.body_text().contains("38iGm3yI86Hw"));
    }
}

#[tokio::test]
async fn sync_sale_purchase_duplicate_flow_with_form_bodies() {
    flow(BodyEncoding::Form).await;
}

#[tokio::test]
async fn sync_sale_purchase_duplicate_flow_with_json_bodies() {
    flow(BodyEncoding::Json).await;
}

#[tokio::test]
async fn unknown_code_is_product_not_found_and_changes_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let sale = Sale::builder("S-2")
        .add("CM-1001", 1, money(dec!(1)))
        .add("NOPE-1", 1, money(dec!(1)))
        .build()
        .unwrap();
    let err = client.push_sale(&sale).await.unwrap_err();
    assert!(
        matches!(err.code(), Some(ErrorCode::ProductNotFound { product: Some(c) }) if c == "NOPE-1"),
        "{err:?}"
    );
    assert_eq!(sandbox.stock("CM-1001"), Some(dec!(40)));
    assert!(sandbox.sales().is_empty());
    // The reference was not used up by the failed push.
    let fixed = Sale::builder("S-2")
        .add("CM-1001", 1, money(dec!(1)))
        .build()
        .unwrap();
    client.push_sale(&fixed).await.unwrap();
    assert_eq!(sandbox.stock("CM-1001"), Some(dec!(39)));
}

#[tokio::test]
async fn wrong_token_is_unauthorized_and_not_retried() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .token("not-the-token")
        .retry_policy(cloudma_client::RetryPolicy::without_delays())
        .build()
        .unwrap();
    let err = client.sync_stock().await.unwrap_err();
    assert!(
        err.code() == Some(&ErrorCode::Unauthorized) && err.is_credentials(),
        "{err:?}"
    );
    assert_eq!(sandbox.journal().hits(SYNC), 1);
}

#[tokio::test]
async fn the_sandbox_checks_grand_total_itself() {
    let sandbox = Sandbox::builder()
        .catalogue([SandboxProduct::new("X", "Thing", dec!(5))])
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let post = |path: &'static str, body: &'static str| {
        http.post(format!("{}{path}", sandbox.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // The client would never send this (it validates first), but a server must reject it.
    let response = post(
        "push-sale",
        "token=38iGm3yI86Hw&customer_name=&customer_email=&reference_no=R&shipping_cost=0\
         &total_discount=0&grand_total=3&items[0][code]=X&items[0][qty]=1&items[0][discount]=0&items[0][total]=2&items[0][unit_price]=2",
    )
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().await.unwrap().contains("grand_total"));
    // A purchase without grand_total (as the vendor's parameter list has it) is accepted.
    let response = post(
        "push-purchase",
        "token=38iGm3yI86Hw&reference_no=P&items[0][code]=X&items[0][qty]=2\
         &items[0][discount]=0&items[0][total]=4&items[0][unit_cost]=2",
    )
    .await
    .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(sandbox.stock("X"), Some(dec!(7)));
    assert_eq!(sandbox.purchases()[0].grand_total, money(dec!(4)));
}

#[tokio::test]
async fn every_listed_sale_parameter_is_sent_and_required_customer_fields_included() {
    let sandbox = Sandbox::builder()
        .catalogue([SandboxProduct::new("X", "Thing", dec!(5))])
        .start()
        .await
        .unwrap();
    // A walk-in sale (no known customer) sends the customer fields empty, and is accepted.
    let client = sandbox.client().unwrap();
    let sale = Sale::builder("WALK-IN")
        .add("X", 1, money(dec!(2)))
        .build()
        .unwrap();
    client.push_sale(&sale).await.unwrap();
    let stored = &sandbox.sales()[0];
    assert_eq!(
        (
            stored.customer_name.as_str(),
            stored.customer_email.as_str()
        ),
        ("", "")
    );
    let sent = &sandbox.journal().requests()[0];
    assert_eq!(sent.param("customer_name").as_deref(), Some(""));
    assert_eq!(sent.param("customer_email").as_deref(), Some(""));
    // A push that leaves a listed parameter out is refused, as a strict server would.
    let response = reqwest::Client::new()
        .post(format!("{}push-sale", sandbox.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            "token=38iGm3yI86Hw&reference_no=R2&shipping_cost=0&total_discount=0&grand_total=2\
             &items[0][code]=X&items[0][qty]=1&items[0][discount]=0&items[0][total]=2&items[0][unit_price]=2",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert!(response.text().await.unwrap().contains("customer_name"));
    assert_eq!(sandbox.sales().len(), 1);
}

#[tokio::test]
async fn a_503_on_sync_stock_is_retried_and_succeeds() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox.faults().inject(SYNC, Fault::status(503));
    let stock = client.sync_stock().await.unwrap();
    assert_eq!(stock.len(), 4);
    assert_eq!(sandbox.journal().hits(SYNC), 2);
}

#[tokio::test]
async fn a_503_on_push_sale_is_one_request_and_an_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox.faults().inject(SALE, Fault::status(503));
    let sale = Sale::builder("S-503")
        .add("CM-1002", 1, money(dec!(2)))
        .build()
        .unwrap();
    let err = client.push_sale(&sale).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(!err.is_outcome_unknown());
    assert_eq!(sandbox.journal().hits(SALE), 1, "a write is not re-sent");
    assert_eq!(sandbox.stock("CM-1002"), Some(dec!(120)));
}

#[tokio::test]
async fn a_reset_mid_response_on_push_sale_is_outcome_unknown_with_the_reference() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox.faults().inject(SALE, Fault::ResetMidBody);
    let sale = Sale::builder("S-LOST")
        .add("CM-1004", 2, money(dec!(6)))
        .build()
        .unwrap();
    let err = client.push_sale(&sale).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.reference(), Some("S-LOST"));
    assert!(err.to_string().contains("S-LOST"), "{err}");
    assert!(!err.is_retryable());
    assert_eq!(sandbox.journal().hits(SALE), 1, "never re-sent");
    // The server did apply it: exactly the case the caller must check before pushing again.
    assert_eq!(sandbox.stock("CM-1004"), Some(dec!(16)));
    let again = client.push_sale(&sale).await.unwrap_err();
    assert!(again.code() == Some(&ErrorCode::BadRequest), "{again:?}");
    assert_eq!(
        sandbox.stock("CM-1004"),
        Some(dec!(16)),
        "no duplicate sale"
    );
}

#[tokio::test]
async fn a_reset_before_the_answer_on_push_purchase_is_outcome_unknown_too() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox
        .faults()
        .inject(PURCHASE, Fault::ResetBeforeResponse);
    let purchase = Purchase::builder("GRN-LOST")
        .item(PurchaseItem::new("CM-1001", 1, money(dec!(3))))
        .build()
        .unwrap();
    let err = client.push_purchase(&purchase).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.reference(), Some("GRN-LOST"));
    assert_eq!(sandbox.journal().hits(PURCHASE), 1);
}

#[tokio::test]
async fn an_html_502_page_keeps_its_status() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox.faults().inject(SALE, Fault::html(502));
    let sale = Sale::builder("S-502")
        .add("CM-1001", 1, money(dec!(1)))
        .build()
        .unwrap();
    let err = client.push_sale(&sale).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    // A gateway's 502 on a write: the server behind it may have recorded the sale.
    assert!(err.is_outcome_unknown() && !err.is_retryable(), "{err:?}");
    assert_eq!(err.reference(), Some("S-502"));
    assert_eq!(sandbox.journal().hits(SALE), 1);

    // On the read it is retried; three in a row give up with the status.
    sandbox.faults().inject_times(SYNC, Fault::html(502), 3);
    let err = client.sync_stock().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(sandbox.journal().hits(SYNC), 3);
}

#[tokio::test]
async fn a_garbage_success_body_on_sync_stock_is_a_decode_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox.faults().inject(
        SYNC,
        Fault::Status {
            status: 200,
            retry_after: None,
            body: "<html>maintenance</html>".into(),
        },
    );
    let err = client.sync_stock().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
}

#[tokio::test]
async fn a_timeout_after_sending_a_push_is_outcome_unknown() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .timeout(std::time::Duration::from_millis(100))
        .build()
        .unwrap();
    sandbox
        .faults()
        .inject(SALE, Fault::Delay(std::time::Duration::from_millis(400)));
    let sale = Sale::builder("S-SLOW")
        .add("CM-1002", 1, money(dec!(2)))
        .build()
        .unwrap();
    let err = client.push_sale(&sale).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.reference(), Some("S-SLOW"));
    assert_eq!(sandbox.journal().hits(SALE), 1, "never re-sent");
}

#[tokio::test]
async fn a_429_on_push_sale_is_retried_because_the_server_did_not_process_it() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox
        .faults()
        .inject(SALE, Fault::status_with_retry_after(429, "0"));
    let sale = Sale::builder("S-429")
        .add("CM-1002", 4, money(dec!(2)))
        .build()
        .unwrap();
    client.push_sale(&sale).await.unwrap();
    assert_eq!(sandbox.journal().hits(SALE), 2);
    assert_eq!(sandbox.stock("CM-1002"), Some(dec!(116)), "applied once");
}

/// The document's status table has no 405, and "All responses are issued in JSON format": an
/// undocumented path or a method other than POST is answered 404 with a JSON body, and is not
/// carried out.
#[tokio::test]
async fn undocumented_paths_and_methods_are_a_json_404() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    let form = "token=38iGm3yI86Hw";
    for (method, path) in [
        (reqwest::Method::GET, "sync-stock"),
        (reqwest::Method::PUT, "push-sale"),
        (reqwest::Method::POST, "refund"),
        (reqwest::Method::POST, "sync-stock/31"),
        (reqwest::Method::POST, "Push-Sale"),
        (reqwest::Method::POST, "push-sale/"),
        (reqwest::Method::POST, "push_purchase"),
    ] {
        let response = http
            .request(method.clone(), format!("{}{path}", sandbox.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 404, "{method} {path}");
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["status"], 404, "{method} {path}: {body}");
    }
    assert!(sandbox.sales().is_empty());
}

/// Each request the document describes, sent as a raw form body with exactly its listed
/// parameters (lines 30–38, 47–50, 59–63), is answered with the documented shape: sync-stock
/// "an array containing the code, name, and qty of all active products" (line 65), pushes 201
/// "Created" (line 84), an unknown code 400 "Product Not Found" (line 94), a bad token 401
/// (line 96), all as JSON (line 17). The token only in the URL is no POST parameter: 401.
#[tokio::test]
async fn each_documented_request_gets_an_answer_of_the_documented_shape() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    let post = |path: &str, body: &str| {
        http.post(format!("{}{path}", sandbox.base_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_owned())
            .send()
    };
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();

    let response = post("sync-stock", "token=38iGm3yI86Hw").await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let stock = json(&response.text().await.unwrap());
    let rows = stock.as_array().expect("a bare array");
    assert_eq!(rows.len(), 4, "the active products");
    for row in rows {
        let row = row.as_object().unwrap();
        let mut keys: Vec<&str> = row.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "name", "qty"], "{row:?}");
        assert!(
            row["code"].is_string() && row["name"].is_string(),
            "{row:?}"
        );
        assert!(row["qty"].is_number(), "{row:?}");
    }
    assert_eq!(
        rows[0],
        serde_json::json!({"code":"CM-1001","name":"Espresso beans 1 kg","qty":40})
    );

    let sale = "token=38iGm3yI86Hw&customer_name=Ada&customer_email=ada%40example.com\
        &reference_no=S-DOC&shipping_cost=0&total_discount=0&grand_total=19.90\
        &items[0][code]=CM-1001&items[0][qty]=2&items[0][discount]=0&items[0][total]=19.90\
        &items[0][unit_price]=9.95";
    let purchase = "token=38iGm3yI86Hw&reference_no=GRN-DOC&items[0][code]=CM-1002\
        &items[0][qty]=5&items[0][discount]=0&items[0][total]=10&items[0][unit_cost]=2";
    for (path, body, reference) in [
        ("push-sale", sale, "S-DOC"),
        ("push-purchase", purchase, "GRN-DOC"),
    ] {
        let response = post(path, body).await.unwrap();
        assert_eq!(response.status().as_u16(), 201, "{path}");
        let answer = json(&response.text().await.unwrap());
        assert_eq!(answer["status"], 201, "{path}: {answer}");
        assert_eq!(answer["reference_no"], reference, "{path}: {answer}");
        assert!(answer["message"].is_string(), "{path}: {answer}");
    }
    assert_eq!(sandbox.stock("CM-1001"), Some(dec!(38)));
    assert_eq!(sandbox.stock("CM-1002"), Some(dec!(125)));

    let unknown = purchase
        .replace("GRN-DOC", "GRN-2")
        .replace("CM-1002", "NOPE");
    let response = post("push-purchase", &unknown).await.unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let answer = json(&response.text().await.unwrap());
    assert_eq!(answer["message"], "Product Not Found", "{answer}");

    for (path, body) in [
        ("sync-stock", "token=wrong".to_owned()),
        ("sync-stock", String::new()),
        ("push-sale", sale.replace("38iGm3yI86Hw", "wrong")),
    ] {
        let response = post(path, &body).await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{path} {body}");
        assert_eq!(json(&response.text().await.unwrap())["status"], 401);
    }
    let response = http
        .post(format!(
            "{}sync-stock?token=38iGm3yI86Hw",
            sandbox.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        401,
        "the token is a POST parameter"
    );
}

/// Line 15: the token goes "as a POST parameter". A PHP backend fills its POST parameters
/// (`$_POST`) only from a form body (`application/x-www-form-urlencoded`); the JSON body, the
/// client's option, is read when declared `application/json`. A body declared as anything else,
/// or not declared, carries no POST parameter, so no token: 401, as the server would answer.
#[tokio::test]
async fn a_body_neither_form_nor_json_carries_no_post_parameter() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    for content_type in [None, Some("text/plain"), Some("application/xml")] {
        let mut request = http
            .post(format!("{}sync-stock", sandbox.base_url()))
            .body("token=38iGm3yI86Hw");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), 401, "{content_type:?}");
        let body: serde_json::Value =
            serde_json::from_str(&response.text().await.unwrap()).unwrap();
        assert_eq!(body["status"], 401, "{content_type:?}");
    }
    // The same body declared as a form (with a charset) is read.
    let response = http
        .post(format!("{}sync-stock", sandbox.base_url()))
        .header(
            "content-type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )
        .body("token=38iGm3yI86Hw")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
}

/// Lines 31–38 and 48–50 type every parameter: `qty (Integer)`, the amounts `(Double)`, the
/// texts `(String)`. A form body carries text, which must read as that type: a quantity with a
/// fraction or a sign other than digits, an amount with a decimal comma (no `Double` literal,
/// and PHP's `is_numeric("12,5")` is false) or words, are refused with 400 naming the parameter,
/// and nothing is recorded.
#[tokio::test]
async fn form_parameters_must_read_as_their_documented_types() {
    let sandbox = Sandbox::builder()
        .catalogue([SandboxProduct::new("X", "Thing", dec!(5))])
        .start()
        .await
        .unwrap();
    let sale = "token=38iGm3yI86Hw&customer_name=&customer_email=&reference_no=R&shipping_cost=0.50\
        &total_discount=0&grand_total=4.00&items[0][code]=X&items[0][qty]=2&items[0][discount]=0\
        &items[0][total]=4.00&items[0][unit_price]=2.00";
    let purchase = "token=38iGm3yI86Hw&reference_no=P&items[0][code]=X&items[0][qty]=2\
        &items[0][discount]=0&items[0][total]=4&items[0][unit_cost]=2";
    let cases = [
        (
            "push-sale",
            sale.replace("[qty]=2", "[qty]=2.0"),
            "items[0][qty]",
        ),
        (
            "push-sale",
            sale.replace("[qty]=2", "[qty]=two"),
            "items[0][qty]",
        ),
        (
            "push-sale",
            sale.replace("[qty]=2", "[qty]=%2B2"),
            "items[0][qty]",
        ),
        (
            "push-sale",
            sale.replace("shipping_cost=0.50", "shipping_cost=0%2C50"),
            "shipping_cost",
        ),
        (
            "push-sale",
            sale.replace("[unit_price]=2.00", "[unit_price]=2%2C00"),
            "items[0][unit_price]",
        ),
        (
            "push-sale",
            sale.replace("total_discount=0", "total_discount=none"),
            "total_discount",
        ),
        (
            "push-sale",
            sale.replace("[discount]=0", "[discount]=NaN"),
            "items[0][discount]",
        ),
        (
            "push-sale",
            sale.replace("customer_name=", "customer_name[first]=Ada"),
            "customer_name",
        ),
        (
            "push-purchase",
            purchase.replace("[qty]=2", "[qty]=1.5"),
            "items[0][qty]",
        ),
        (
            "push-purchase",
            purchase.replace("[unit_cost]=2", "[unit_cost]=2%2C0"),
            "items[0][unit_cost]",
        ),
        (
            "push-purchase",
            format!("{purchase}&grand_total=4%2C00"),
            "grand_total",
        ),
        // Names are exact, case included (PHP's array keys are case-sensitive).
        (
            "push-sale",
            sale.replace("reference_no=R", "Reference_No=R"),
            "reference_no",
        ),
        (
            "push-purchase",
            purchase.replace("[unit_cost]", "[unitCost]"),
            "items[0][unit_cost]",
        ),
    ];
    for (path, body, field) in cases {
        let (status, answer) = post_raw(&sandbox, path, FORM, body.clone()).await;
        assert_eq!(status, 400, "{path} {body}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.starts_with(field), "{path} {body}: {message}");
    }
    assert!(sandbox.sales().is_empty() && sandbox.purchases().is_empty());
    assert_eq!(sandbox.stock("X"), Some(dec!(5)));
    // The well-typed bodies themselves are accepted.
    for (path, body) in [("push-sale", sale), ("push-purchase", purchase)] {
        let (status, _) = post_raw(&sandbox, path, FORM, body.to_owned()).await;
        assert_eq!(status, 201, "{path}");
    }
}

/// In a JSON body (the client's option) the document's types are JSON's: a `String` is a JSON
/// string, `qty (Integer)` a JSON integer, a `Double` a JSON number. A number where a text is
/// listed, a quoted number, a fractional quantity or `null` are refused with 400 naming the
/// parameter.
#[tokio::test]
async fn json_parameters_must_have_their_documented_json_types() {
    let sandbox = Sandbox::builder()
        .catalogue([SandboxProduct::new("1001", "Thing", dec!(5))])
        .start()
        .await
        .unwrap();
    let sale = serde_json::json!({
        "token": "38iGm3yI86Hw", "customer_name": "", "customer_email": "", "reference_no": "R",
        "shipping_cost": 0.5, "total_discount": 0, "grand_total": 4.0,
        "items": [{"code": "1001", "qty": 2, "discount": 0.0, "total": 4.0, "unit_price": 2.0}],
    });
    let purchase = serde_json::json!({
        "token": "38iGm3yI86Hw", "reference_no": "P",
        "items": [{"code": "1001", "qty": 2, "discount": 0.0, "total": 4.0, "unit_cost": 2.0}],
    });
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, &serde_json::Value, Edit, &str); 9] = [
        (
            "push-sale",
            &sale,
            |v| v["reference_no"] = 17.into(),
            "reference_no",
        ),
        (
            "push-sale",
            &sale,
            |v| v["customer_email"] = serde_json::Value::Null,
            "customer_email",
        ),
        (
            "push-sale",
            &sale,
            |v| v["items"][0]["code"] = 1001.into(),
            "items[0][code]",
        ),
        (
            "push-sale",
            &sale,
            |v| v["items"][0]["qty"] = "2".into(),
            "items[0][qty]",
        ),
        (
            "push-sale",
            &sale,
            |v| v["items"][0]["qty"] = 2.0.into(),
            "items[0][qty]",
        ),
        (
            "push-sale",
            &sale,
            |v| v["grand_total"] = "4.00".into(),
            "grand_total",
        ),
        (
            "push-sale",
            &sale,
            |v| v["items"] = serde_json::json!({"0": v["items"][0].clone()}),
            "items",
        ),
        (
            "push-purchase",
            &purchase,
            |v| v["items"][0]["unit_cost"] = "2".into(),
            "items[0][unit_cost]",
        ),
        (
            "push-purchase",
            &purchase,
            |v| v["grand_total"] = "4".into(),
            "grand_total",
        ),
    ];
    for (path, base, edit, field) in cases {
        let mut body = base.clone();
        edit(&mut body);
        let (status, answer) = post_raw(&sandbox, path, JSON, body.to_string()).await;
        assert_eq!(status, 400, "{path} {body}");
        let message = answer["message"].as_str().unwrap();
        assert!(message.starts_with(field), "{path} {body}: {message}");
    }
    assert!(sandbox.sales().is_empty() && sandbox.purchases().is_empty());
    for (path, body) in [("push-sale", sale), ("push-purchase", purchase)] {
        let (status, _) = post_raw(&sandbox, path, JSON, body.to_string()).await;
        assert_eq!(status, 201, "{path}");
    }
}
