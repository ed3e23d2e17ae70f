//! Wire tests against httpmock: method, path, query, headers and body of every operation kind on
//! every resource path, in both auth modes; the document's examples; every error status; the
//! PHP leniency of answers; rate-limit waiting and refusal; nothing sent for invalid input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cloudonex_client::models::{Customer, Invoice};
use cloudonex_client::{
    AuthMode, Client, ClientBuilder, Code, CustomerUpdate, Error, ErrorExt, InvoiceUpdate,
    NewCustomer, NewInvoice, RecordExt, RecordRequest, Resource, RetryPolicy,
};
use futures_util::TryStreamExt;
use httpmock::HttpMockRequest;
use httpmock::prelude::*;
use rust_decimal_macros::dec;

mod document;
use document::{
    DOC_CREATE_BODY, DOC_ERROR_EXAMPLE, DOC_ERROR_EXAMPLE_COMPACT, DOC_ERROR_FORMAT, DOC_JANE_BODY,
    DOC_RESPONSE_FORMAT, jane_doe, john_doe,
};

const KEY: &str = "your-api-key-here";
const BEARER: &str = "Bearer your-api-key-here";
const USER_AGENT: &str = concat!("cloudonex-client/", env!("CARGO_PKG_VERSION"));

fn builder(server: &MockServer) -> cloudonex_client::ClientBuilder {
    Client::builder()
        .base_url(server.url("/api/v2/"))
        .api_key(KEY)
        .retry_policy(RetryPolicy::without_delays())
}

fn bearer_client(server: &MockServer) -> Client {
    builder(server).build().unwrap()
}

fn ok(data: &str) -> String {
    format!(r#"{{"success":true,"data":{data},"message":"Optional status message"}}"#)
}

/// Exactly one `Content-Type: application/json`, as the document's requests carry it (its Quick
/// Start sends it with a GET).
fn one_json_content_type(req: &HttpMockRequest) -> bool {
    let headers = req.headers();
    let values: Vec<_> = headers.get_all("content-type").iter().collect();
    values.len() == 1 && values[0] == "application/json"
}

/// An error's fields as (field, message) pairs.
fn field_pairs(err: &Error) -> Vec<(&str, &str)> {
    err.fields()
        .iter()
        .map(|f| (f.field.as_str(), f.message.as_str()))
        .collect()
}

#[tokio::test]
async fn every_operation_on_every_resource_path() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    for resource in Resource::ALL {
        let base = format!("/api/v2/{}", resource.path());
        let item = format!("{base}/7");
        let list = server.mock(|when, then| {
            when.method(GET)
                .path(base.clone())
                .header("authorization", BEARER)
                .header("accept", "application/json")
                .header("user-agent", USER_AGENT)
                .is_true(one_json_content_type);
            then.status(200)
                .header("content-type", "application/json")
                .body(ok(r#"[{"id":7}]"#));
        });
        let get = server.mock(|when, then| {
            when.method(GET)
                .path(item.clone())
                .header("authorization", BEARER)
                .is_true(one_json_content_type);
            then.status(200)
                .header("content-type", "application/json")
                .body(ok(r#"{"id":7}"#));
        });
        let create = server.mock(|when, then| {
            when.method(POST)
                .path(base.clone())
                .header("authorization", BEARER)
                .is_true(one_json_content_type)
                .body(r#"{"name":"x"}"#);
            then.status(201)
                .header("content-type", "application/json")
                .body(ok(r#"{"id":"8","name":"x"}"#));
        });
        let update = server.mock(|when, then| {
            when.method(PUT)
                .path(item.clone())
                .header("authorization", BEARER)
                .is_true(one_json_content_type)
                .body(r#"{"name":"y"}"#);
            then.status(200)
                .header("content-type", "application/json")
                .body(ok(r#"{"id":7,"name":"y"}"#));
        });
        let delete = server.mock(|when, then| {
            when.method(DELETE)
                .path(item.clone())
                .header("authorization", BEARER)
                .is_true(one_json_content_type)
                .body("");
            then.status(200)
                .header("content-type", "application/json")
                .body(ok("null"));
        });
        let records = client.records(resource);
        assert_eq!(records.list().await.unwrap().items[0].id, "7");
        assert_eq!(records.get("7").await.unwrap().id, "7");
        let created = records
            .create(&RecordRequest::new().field("name", "x"))
            .await
            .unwrap()
            .into_record()
            .unwrap();
        assert_eq!(
            (created.id.as_str(), created.text("name").as_deref()),
            ("8", Some("x"))
        );
        let updated = records
            .update("7", &RecordRequest::new().field("name", "y"))
            .await
            .unwrap()
            .into_record()
            .unwrap();
        assert_eq!(updated.text("name").as_deref(), Some("y"));
        records.delete("7").await.unwrap();
        for mock in [list, get, create, update, delete] {
            mock.assert_async().await;
        }
    }
}

/// The raw query of a request, in the order it was sent: `api_key` first, then `ng`, and nothing
/// else. httpmock's `query_param` matchers ignore order; this reads the URI as received.
fn key_then_route(req: &HttpMockRequest) -> bool {
    let uri = req.uri();
    let keys: Vec<&str> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .collect();
    keys == ["api_key", "ng"]
}

#[test]
fn the_order_matcher_refuses_the_other_order() {
    use std::io::{Read, Write};
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/").is_true(key_then_route);
        then.status(200);
    });
    let status_of = |target: &str| {
        let mut stream = std::net::TcpStream::connect(server.address()).unwrap();
        write!(
            stream,
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer.split(' ').nth(1).unwrap_or_default().to_owned()
    };
    assert_eq!(status_of("/?api_key=k&ng=api%2Fv2%2Fx"), "200");
    assert_eq!(status_of("/?ng=api%2Fv2%2Fx&api_key=k"), "404");
    assert_eq!(status_of("/?api_key=k"), "404");
    assert_eq!(mock.calls(), 1);
}

#[tokio::test]
async fn the_query_string_mode_puts_the_key_and_route_in_the_query() {
    let server = MockServer::start_async().await;
    let client = builder(&server)
        .auth_mode(AuthMode::QueryString)
        .build()
        .unwrap();
    let list = server.mock(|when, then| {
        when.method(GET)
            .path("/")
            .query_param("api_key", KEY)
            .query_param("ng", "api/v2/customers")
            .is_true(key_then_route)
            .header_missing("authorization");
        then.status(200)
            .header("content-type", "application/json")
            .body(ok("[]"));
    });
    let get = server.mock(|when, then| {
        when.method(GET)
            .path("/")
            .query_param("api_key", KEY)
            .query_param("ng", "api/v2/customers/a b&c")
            .is_true(key_then_route);
        then.status(200)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":"a b&c"}"#));
    });
    let post = server.mock(|when, then| {
        when.method(POST)
            .path("/")
            .query_param("api_key", KEY)
            .query_param("ng", "api/v2/customers")
            .is_true(key_then_route)
            .header_missing("authorization")
            .header("content-type", "application/json")
            .body(r#"{"account":"John Doe","email":"john@example.com"}"#);
        then.status(201)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":123,"account":"John Doe"}"#));
    });
    let put = server.mock(|when, then| {
        when.method(PUT)
            .path("/")
            .query_param("api_key", KEY)
            .query_param("ng", "api/v2/tickets/3")
            .is_true(key_then_route)
            .body(r#"{"status":"Closed"}"#);
        then.status(200)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":3}"#));
    });
    let delete = server.mock(|when, then| {
        when.method(DELETE)
            .path("/")
            .query_param("api_key", KEY)
            .query_param("ng", "api/v2/orders/9")
            .is_true(key_then_route)
            .header_missing("authorization")
            .body("");
        then.status(200)
            .header("content-type", "application/json")
            .body(ok("null"));
    });
    assert!(client.customers().list().await.unwrap().items.is_empty());
    assert_eq!(client.customers().get("a b&c").await.unwrap().id, "a b&c");
    let created = client
        .customers()
        .create(&NewCustomer::new("John Doe").email("john@example.com"))
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(created.id, "123");
    let updated = client
        .tickets()
        .update("3", &RecordRequest::new().field("status", "Closed"))
        .await
        .unwrap();
    assert_eq!(updated.record().map(|r| r.id.as_str()), Some("3"));
    client.orders().delete("9").await.unwrap();
    for mock in [list, get, post, put, delete] {
        mock.assert_async().await;
    }
    assert!(format!("{client:?}").contains("QueryString"));
}

#[tokio::test]
async fn ids_are_percent_encoded_and_dangerous_ids_refused_with_nothing_sent() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let encoded = server.mock(|when, then| {
        when.method(GET).path("/api/v2/customers/A%20B%2B1");
        then.status(200)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":"A B+1"}"#));
    });
    assert_eq!(client.customers().get("A B+1").await.unwrap().id, "A B+1");
    encoded.assert_async().await;
    let any = server.mock(|_, then| {
        then.status(200).body(ok("{}"));
    });
    for bad in [
        "1/2",
        "../customers",
        "..",
        "1?x=1",
        "1#x",
        "1%2F",
        "1\n",
        "",
        " 1",
    ] {
        let err = client.customers().get(bad).await.unwrap_err();
        assert!(err.is_validation(), "{bad:?}: {err}");
        let err = client.invoices().delete(bad).await.unwrap_err();
        assert!(err.is_validation(), "{bad:?}: {err}");
        let err = client
            .products()
            .update(bad, &RecordRequest::new().field("a", 1))
            .await
            .unwrap_err();
        assert!(err.is_validation(), "{bad:?}: {err}");
    }
    assert_eq!(any.calls_async().await, 0);
}

/// Lines 89-97 ("Creating Data": the request line, its Content-Type and body), 146-153 (the
/// same create for Jane Doe as a PHP array) and 157-169 (an invoice): the bodies sent equal the
/// document's. John Doe's create answered with his record is read; answered with the "Response
/// Format" example (lines 33-39, status 201 of line 182) it is accepted without a record, its
/// message kept. Jane Doe's answered with the "Error Response Example" (lines 192-198, status 400
/// of line 183), as printed or compact, is a validation error with the example's values.
#[tokio::test]
async fn the_documents_examples_are_sent_and_decoded() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    // A create of a customer as the document sends it: its headers and exactly `sent`.
    let create = |when: httpmock::When, sent: &str| {
        when.method(POST)
            .path("/api/v2/customers")
            .header("authorization", BEARER)
            .is_true(one_json_content_type)
            .body(sent);
    };
    // The text the client sends for John Doe is the document's body.
    let john = r#"{"account":"John Doe","email":"john@example.com","phone":"1234567890"}"#;
    let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap();
    assert_eq!(json(john), json(DOC_CREATE_BODY));
    let customer = server.mock(|when, then| {
        create(when, john);
        then.status(201).header("content-type", "application/json")
            .body(r#"{"success":true,"data":{"id":123,"account":"John Doe","email":"john@example.com","phone":"1234567890"},"message":"Optional status message"}"#);
    });
    // Lines 157-169 are a PHP array, not JSON: the closest JSON is what `api_post` sends, with
    // the document's `100.00` kept as written (the crate sends an amount's exact text).
    let invoice = server.mock(|when, then| {
        when.method(POST).path("/api/v2/invoices")
            .body(r#"{"customer_id":123,"items":[{"description":"Product A","amount":100.00,"qty":1}]}"#);
        then.status(201).header("content-type", "application/json")
            .body(r#"{"success":true,"data":{"id":"55","customer_id":"123","items":[{"description":"Product A","amount":"100.00","qty":"1"}],"total":"100.00"},"message":null}"#);
    });
    let c: Customer = client
        .customers()
        .create(&john_doe())
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(
        (c.id.as_str(), c.account.as_deref()),
        ("123", Some("John Doe"))
    );
    let inv = NewInvoice::builder("123")
        .item("Product A", dec!(100.00), dec!(1))
        .build()
        .unwrap();
    let i: Invoice = client
        .invoices()
        .create(&inv)
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(i.customer_id.as_deref(), Some("123"));
    assert_eq!(i.items[0].amount, Some(dec!(100.00)));
    assert_eq!(i.decimal("total"), Some(dec!(100.00)));
    customer.assert_async().await;
    invoice.assert_async().await;
    customer.delete_async().await;

    // The same create answered with the "Response Format" example.
    let accepted = server.mock(|when, then| {
        create(when, john);
        then.status(201)
            .header("content-type", "application/json")
            .body(DOC_RESPONSE_FORMAT);
    });
    let saved = client.customers().create(&john_doe()).await.unwrap();
    assert_eq!(saved.record(), None);
    assert_eq!(saved.id(), None);
    assert_eq!(saved.message(), Some("Optional status message"));
    assert_eq!(accepted.calls_async().await, 1);

    // The document's error example, as printed and compact.
    for answer in [DOC_ERROR_EXAMPLE, DOC_ERROR_EXAMPLE_COMPACT] {
        let refused = server.mock(|when, then| {
            create(when, DOC_JANE_BODY);
            then.status(400)
                .header("content-type", "application/json")
                .body(answer);
        });
        let err = client.customers().create(&jane_doe()).await.unwrap_err();
        assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
        assert_eq!(err.code(), Some(&Code::Validation));
        assert_eq!(err.message(), Some("Validation failed"));
        assert_eq!(field_pairs(&err), [("email", "Invalid email format")]);
        assert!(!err.is_outcome_unknown());
        assert_eq!(refused.calls_async().await, 1, "sent once");
        refused.delete_async().await;
    }
}

#[tokio::test]
async fn a_write_answered_without_a_record_is_accepted_not_an_error() {
    // The document's own success example, verbatim: `data` is an empty object.
    for (body, id, message) in [
        (DOC_RESPONSE_FORMAT, None, Some("Optional status message")),
        (r#"{"success":true,"data":null}"#, None, None),
        (r#"{"success":true,"data":[]}"#, None, None),
        (r#"{"success":true}"#, None, None),
        ("", None, None),
        (
            r#"{"success":true,"data":123,"message":"Created"}"#,
            Some("123"),
            Some("Created"),
        ),
        (r#"{"success":"1","data":" C-9 "}"#, Some("C-9"), None),
    ] {
        let server = MockServer::start_async().await;
        let client = bearer_client(&server);
        let create = server.mock(|when, then| {
            when.method(POST).path("/api/v2/customers");
            then.status(201)
                .header("content-type", "application/json")
                .body(body);
        });
        let update = server.mock(|when, then| {
            when.method(PUT).path("/api/v2/invoices/4");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        });
        let saved = client
            .customers()
            .create(&NewCustomer::new("John Doe").email("john@example.com"))
            .await
            .unwrap_or_else(|e| panic!("{body:?}: {e}"));
        assert_eq!(saved.record(), None, "{body:?}");
        assert_eq!(saved.id(), id, "{body:?}");
        assert_eq!(saved.message(), message, "{body:?}");
        let saved = client
            .invoices()
            .update("4", &InvoiceUpdate::new().customer_id("9"))
            .await
            .unwrap_or_else(|e| panic!("{body:?}: {e}"));
        assert!(saved.into_record().is_none(), "{body:?}");
        assert_eq!(create.calls_async().await, 1, "{body:?}: sent once");
        assert_eq!(update.calls_async().await, 1, "{body:?}: sent once");
    }

    // A record that is there is returned, with the message beside it.
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    server.mock(|when, then| {
        when.method(POST).path("/api/v2/products");
        then.status(201)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":"8","name":"x"}"#));
    });
    let saved = client
        .products()
        .create(&RecordRequest::new().field("name", "x"))
        .await
        .unwrap();
    assert_eq!(saved.message(), Some("Optional status message"));
    assert_eq!(saved.id(), None);
    assert_eq!(saved.into_record().unwrap().id, "8");
}

#[tokio::test]
async fn a_write_answer_that_is_not_the_record_is_accepted_with_its_id() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    // (path, answer, the id kept): the envelope said success, so the write was done.
    let cases = [
        // The request echoed back without `id`.
        (
            "/api/v2/customers",
            ok(r#"{"account":"John Doe","email":"john@example.com"}"#),
            None,
        ),
        ("/api/v2/customers", ok(r#"{"customer_id":5}"#), Some("5")),
        // A field of an odd shape; `id` wins over `<resource>_id`.
        (
            "/api/v2/customers",
            ok(r#"{"id":" 12 ","customer_id":5,"email":{"value":"x"}}"#),
            Some("12"),
        ),
        // An invoice's `customer_id` is its customer, not the invoice.
        (
            "/api/v2/invoices",
            ok(r#"{"customer_id":123,"invoice_id":"77"}"#),
            Some("77"),
        ),
        (
            "/api/v2/invoices",
            ok(r#"{"customer_id":123,"items":[{"amount":"abc"}]}"#),
            None,
        ),
        // A list of two records where one was expected; a list of one without a usable id.
        ("/api/v2/products", ok(r#"[{"id":9},{"id":10}]"#), None),
        (
            "/api/v2/products",
            ok(r#"[{"product_id":9,"id":[]}]"#),
            Some("9"),
        ),
        // Without the envelope, an object that names its id is the write's answer.
        (
            "/api/v2/customers",
            r#"{"id":5,"account":["x"]}"#.to_owned(),
            Some("5"),
        ),
    ];
    for (path, body, id) in cases {
        server.reset_async().await;
        let mock = server.mock(|when, then| {
            when.method(POST).path(path);
            then.status(201)
                .header("content-type", "application/json")
                .body(body.clone());
        });
        let result = match path {
            "/api/v2/customers" => client
                .customers()
                .create(&NewCustomer::new("John Doe").email("john@example.com"))
                .await
                .map(|s| (s.record().is_some(), s.id().map(str::to_owned))),
            "/api/v2/invoices" => client
                .invoices()
                .create(
                    &NewInvoice::builder("123")
                        .item("Product A", dec!(100.00), dec!(1))
                        .build()
                        .unwrap(),
                )
                .await
                .map(|s| (s.record().is_some(), s.id().map(str::to_owned))),
            _ => client
                .products()
                .create(&RecordRequest::new().field("name", "x"))
                .await
                .map(|s| (s.record().is_some(), s.id().map(str::to_owned))),
        };
        let (has_record, got) = result.unwrap_or_else(|e| panic!("{body}: {e}"));
        assert!(!has_record, "{body}");
        assert_eq!(got.as_deref(), id, "{body}");
        assert_eq!(mock.calls_async().await, 1, "{body}: sent once");
    }

    // A 2xx that is not the vendor's answer (an HTML page, a bare object naming no id, such as
    // an error a PHP backend sends with status 200) does not say the write was done: outcome
    // unknown, naming the customer, sent once.
    for body in [
        "<html><body>Welcome</body></html>",
        r#"{"error":"Invalid email"}"#,
    ] {
        server.reset_async().await;
        let mock = server.mock(|when, then| {
            when.method(POST).path("/api/v2/customers");
            then.status(200).body(body);
        });
        let err = client
            .customers()
            .create(&NewCustomer::new("John Doe").email("john@example.com"))
            .await
            .unwrap_err();
        assert!(err.is_outcome_unknown(), "{body}: {err:?}");
        assert_eq!(err.reference(), Some("john@example.com"), "{body}");
        assert_eq!(mock.calls_async().await, 1, "{body}: sent once");
    }

    // Nor does JSON without the envelope that is neither a record nor an id (PHP's
    // `json_encode` of a failed result, an error message); a bare number or digits is an id.
    for (body, id) in [
        ("false", None),
        ("null", None),
        ("[]", None),
        ("{}", None),
        (r#""Invalid API key""#, None),
        ("123", Some("123")),
        (r#""45""#, Some("45")),
    ] {
        server.reset_async().await;
        server.mock(|when, then| {
            when.method(PUT).path("/api/v2/customers/5");
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        });
        let result = client
            .customers()
            .update("5", &CustomerUpdate::new().phone("1"))
            .await;
        match id {
            Some(id) => assert_eq!(result.unwrap().id(), Some(id), "{body}"),
            None => {
                let err = result.unwrap_err();
                assert!(err.is_outcome_unknown(), "{body}: {err:?}");
                assert_eq!(err.reference(), Some("customers 5"), "{body}");
            }
        }
    }

    // A read keeps the decode error: nothing was changed, and the caller asked for the record.
    server.reset_async().await;
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/customers/5");
        then.status(200)
            .header("content-type", "application/json")
            .body(ok(r#"{"customer_id":5}"#));
    });
    let err = client.customers().get("5").await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

use cloudonex_client::Decimal;
use pos_client_core::http::StatusCode;

#[tokio::test]
async fn customer_and_invoice_updates_send_only_what_is_set() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let c = server.mock(|when, then| {
        when.method(PUT)
            .path("/api/v2/customers/12")
            .body(r#"{"phone":"555","address":"1 Main St"}"#);
        then.status(200)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":12,"phone":555}"#));
    });
    let i = server.mock(|when, then| {
        when.method(PUT)
            .path("/api/v2/invoices/9")
            .body(r#"{"customer_id":"C-1","items":[{"description":"B","amount":2.50,"qty":4}]}"#);
        then.status(200)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":9}"#));
    });
    let customer = client
        .customers()
        .update(
            "12",
            &CustomerUpdate::new()
                .phone("555")
                .field("address", "1 Main St"),
        )
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(customer.phone.as_deref(), Some("555"));
    let lines = NewInvoice::builder("C-1")
        .item("B", dec!(2.5), dec!(4))
        .build()
        .unwrap();
    assert_eq!(lines.total(), Decimal::TEN);
    let invoice = client
        .invoices()
        .update(
            "9",
            &InvoiceUpdate::new().customer_id("C-1").items_of(&lines),
        )
        .await
        .unwrap();
    assert_eq!(invoice.record().map(|i| i.id.as_str()), Some("9"));
    c.assert_async().await;
    i.assert_async().await;
}

#[tokio::test]
async fn every_documented_error_status_keeps_status_message_and_fields() {
    for (status, code) in [
        (400, Code::Validation),
        (401, Code::Unauthorized),
        (403, Code::Forbidden),
        (404, Code::NotFound),
        (500, Code::ServerError),
    ] {
        let server = MockServer::start_async().await;
        let client = bearer_client(&server);
        let mock = server.mock(|when, then| {
            when.method(GET).path("/api/v2/leads/1");
            then.status(status)
                .header("content-type", "application/json")
                .body(r#"{"success":false,"errors":{"id":["Bad id","Really"]},"message":"Nope"}"#);
        });
        let err = client.leads().get("1").await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.code(), Some(&code), "{status}");
        assert_eq!(err.message(), Some("Nope"));
        assert_eq!(err.fields()[0].message, "Bad id; Really");
        assert_eq!(err.is_credentials(), matches!(status, 401 | 403));
        assert_eq!(err.is_not_found(), status == 404);
        // Reads are retried on 500 only.
        assert_eq!(
            mock.calls_async().await,
            if status == 500 { 3 } else { 1 },
            "{status}"
        );
    }

    // 429 is a rate-limit error.
    let server = MockServer::start_async().await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/leads");
        then.status(429)
            .header("content-type", "application/json")
            .header("retry-after", "3600")
            .body(r#"{"success":false,"errors":[],"message":"Too Many Requests"}"#);
    });
    let err = client.leads().list().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));

    // A non-JSON answer keeps its status.
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    server.mock(|when, then| {
        when.method(DELETE).path("/api/v2/orders/4");
        then.status(404)
            .header("content-type", "text/html")
            .body("<html><h1>Not Found</h1></html>");
    });
    let err = client.orders().delete("4").await.unwrap_err();
    assert!(matches!(err, Error::Http { .. }), "{err}");
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    // An HTML 404 is not "already deleted".
    assert!(client.orders().delete_if_exists("4").await.is_err());
}

/// A delete is `Ok` only for the document's envelope or an empty body: an HTML page or JSON
/// without the envelope in a 2xx does not say the record was deleted.
#[tokio::test]
async fn a_delete_answered_by_something_else_than_the_envelope_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    for (id, content_type, body) in [
        ("1", "application/json", ok("null")),
        ("2", "application/json", String::new()),
        (
            "3",
            "text/html",
            "<html><body>Please log in</body></html>".to_owned(),
        ),
        (
            "4",
            "application/json",
            r#"{"error":"Not allowed"}"#.to_owned(),
        ),
    ] {
        server.mock(|when, then| {
            when.method(DELETE).path(format!("/api/v2/orders/{id}"));
            then.status(200)
                .header("content-type", content_type)
                .body(body);
        });
    }
    client.orders().delete("1").await.unwrap();
    assert!(client.orders().delete_if_exists("2").await.unwrap());
    for id in ["3", "4"] {
        let err = client.orders().delete(id).await.unwrap_err();
        assert!(matches!(err, Error::OutcomeUnknown { .. }), "{id}: {err}");
        assert_eq!(err.reference(), Some(format!("orders {id}").as_str()));
        assert!(client.orders().delete_if_exists(id).await.is_err(), "{id}");
    }
}

/// PHP labels its output `text/html` unless told otherwise: the document's envelope is read
/// whatever the `Content-Type`, so `"success": false` is never taken for a saved write.
#[tokio::test]
async fn the_envelope_is_read_whatever_its_content_type() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    for (status, path) in [(200, "/api/v2/customers"), (400, "/api/v2/invoices")] {
        server.mock(|when, then| {
            when.method(POST).path(path);
            then.status(status)
                .header("content-type", "text/html; charset=UTF-8")
                .body(DOC_ERROR_EXAMPLE_COMPACT);
        });
    }
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/customers/5");
        then.status(200)
            .header("content-type", "text/html; charset=UTF-8")
            .body(r#"{"success":true,"data":{"id":5,"account":"John Doe"},"message":null}"#);
    });
    let err = client
        .customers()
        .create(&NewCustomer::new("Jane Doe").email("jane@example.com"))
        .await
        .unwrap_err();
    let invoice = NewInvoice::builder("123")
        .item("Product A", dec!(100.00), dec!(1))
        .build()
        .unwrap();
    let err400 = client.invoices().create(&invoice).await.unwrap_err();
    for err in [err, err400] {
        assert_eq!(err.code(), Some(&Code::Validation), "{err}");
        assert_eq!(err.message(), Some("Validation failed"));
        assert_eq!(err.fields()[0].field, "email");
    }
    let customer = client.customers().get("5").await.unwrap();
    assert_eq!(
        (customer.id.as_str(), customer.account.as_deref()),
        ("5", Some("John Doe"))
    );
}

#[tokio::test]
async fn php_leniency_in_answers() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    // Bare list, numbers as strings, ids as numbers, null and "" for empty, SQL dates.
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/customers");
        then.status(200).header("content-type", "application/json").body(
            r#"[{"id":1,"account":"A","email":null,"phone":1234567890,"balance":"125.50","created_at":"2024-05-01 09:30:00"},
               {"id":"2","account":"B","email":"","phone":"","created_at":null}]"#,
        );
    });
    let page = client.customers().list().await.unwrap();
    assert_eq!(page.info, None);
    let [a, b] = page.items.as_slice() else {
        panic!("two customers")
    };
    assert_eq!(
        (a.id.as_str(), a.email.as_deref(), a.phone.as_deref()),
        ("1", None, Some("1234567890"))
    );
    assert_eq!(a.decimal("balance"), Some(dec!(125.50)));
    assert_eq!(
        a.datetime("created_at").unwrap().to_string(),
        "2024-05-01 09:30:00"
    );
    assert_eq!(
        (b.id.as_str(), b.email.as_deref(), b.phone.as_deref()),
        ("2", None, None)
    );
    assert_eq!(b.datetime("created_at"), None);

    // Bare record; success as "1"; items as one object; amounts as strings.
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/invoices/5");
        then.status(200).header("content-type", "application/json").body(
            r#"{"success":"1","data":{"id":"5","customer_id":9,"items":{"description":"X","amount":"12.5","qty":"2"}}}"#,
        );
    });
    let inv = client.invoices().get("5").await.unwrap();
    assert_eq!(inv.items.len(), 1);
    assert_eq!(inv.items[0].qty, Some(dec!(2)));
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/invoices/6");
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"id":6,"customer_id":"9","items":null}"#);
    });
    let inv = client.invoices().get("6").await.unwrap();
    assert!(inv.items.is_empty());

    // A list wrapped with page information (a Laravel paginator inside data).
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/quotes");
        then.status(200).header("content-type", "application/json").body(ok(
            r#"{"current_page":"1","data":[{"id":1},{"id":2}],"last_page":"2","per_page":"2","total":"3","links":[]}"#,
        ));
    });
    let page = client.quotes().list().await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.next_page(), Some(2));

    // `success: false` in a 200 is an error, with its fields.
    server.mock(|when, then| {
        when.method(GET).path("/api/v2/tickets/1");
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"success":false,"errors":{"id":"Unknown"},"message":"Failed"}"#);
    });
    let err = client.tickets().get("1").await.unwrap_err();
    assert_eq!(err.code(), Some(&Code::Validation));
    assert_eq!(err.status(), Some(StatusCode::OK));
}

#[tokio::test]
async fn list_all_follows_the_page_information_to_the_end() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let mut mocks = Vec::new();
    for (page, body) in [
        (
            "1",
            r#"{"data":[{"id":1},{"id":2}],"current_page":1,"last_page":3}"#,
        ),
        (
            "2",
            r#"{"data":[{"id":3},{"id":4}],"current_page":"2","last_page":"3"}"#,
        ),
        ("3", r#"{"data":[{"id":5}],"current_page":3,"last_page":3}"#),
    ] {
        mocks.push(server.mock(|when, then| {
            when.method(GET)
                .path("/api/v2/products")
                .query_param("page", page);
            then.status(200)
                .header("content-type", "application/json")
                .body(ok(body));
        }));
    }
    let all: Vec<_> = client.products().list_all().try_collect().await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["1", "2", "3", "4", "5"]
    );
    for m in mocks {
        assert_eq!(m.calls_async().await, 1);
    }
}

#[tokio::test]
async fn rate_limit_values_are_exposed_and_pacing_waits_or_refuses_without_sending() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let far = (now + 3000).to_string();
    let used_up = server.mock(|when, then| {
        when.method(GET).path("/api/v2/orders");
        then.status(200)
            .header("content-type", "application/json")
            .header("X-RateLimit-Limit", "1000")
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", far.as_str())
            .body(ok("[]"));
    });
    client.orders().list().await.unwrap();
    let info = client.rate_limit().unwrap();
    assert_eq!((info.limit, info.remaining), (Some(1000), Some(0)));
    assert_eq!(info.reset_at.unwrap().timestamp(), (now + 3000) as i64);
    // Used up until far beyond the maximum wait: refused, nothing sent.
    let err = client.orders().list().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert!(err.retry_after().unwrap() > Duration::from_secs(60));
    let err = client
        .customers()
        .create(&NewCustomer::new("A"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert_eq!(
        used_up.calls_async().await,
        1,
        "the refused calls sent nothing"
    );
    let Error::RateLimited { retry_at, .. } = &err else {
        unreachable!()
    };
    assert_eq!(
        retry_at.map(|at| at.timestamp()),
        Some((now + 3000) as i64),
        "the refusal says when the window resets"
    );
    used_up.delete_async().await;

    // Used up, but the reset is already past: the next call is sent at once.
    let past = (now - 10).to_string();
    let reset_past = server.mock(|when, then| {
        when.method(GET).path("/api/v2/leads");
        then.status(200)
            .header("content-type", "application/json")
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", past.as_str())
            .body(ok("[]"));
    });
    let client = bearer_client(&server);
    client.leads().list().await.unwrap();
    client.leads().list().await.unwrap();
    assert_eq!(reset_past.calls_async().await, 2);
}

#[tokio::test]
async fn a_used_up_window_is_waited_out_before_the_next_call_is_sent() {
    let server = MockServer::start_async().await;
    // No retries: a request timing out (see below) fails the test instead of being re-sent.
    let client = builder(&server)
        .retry_policy(RetryPolicy::never())
        .rate_limit_max_wait(Duration::from_secs(60))
        .build()
        .unwrap();
    let used_up = server.mock(|when, then| {
        when.method(GET).path("/api/v2/leads");
        then.status(200)
            .header("content-type", "application/json")
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", "30") // seconds from now
            .body(ok("[]"));
    });
    client.leads().list().await.unwrap();
    used_up.delete_async().await;
    let open = server.mock(|when, then| {
        when.method(GET).path("/api/v2/leads");
        then.status(200)
            .header("content-type", "application/json")
            .header("X-RateLimit-Remaining", "999")
            .body(ok("[]"));
    });

    // The runtime's clock is paused: the client's tokio sleep until the reset passes in virtual
    // time, at once in real time. An idle paused runtime jumps to its next timer, which would
    // also fire a request's timeout while it is on the wire; so once virtual time is past the
    // reset (31 s), `hold` keeps a blocking task running, which stops those jumps.
    tokio::time::pause();
    let start = tokio::time::Instant::now();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let hold = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(31)).await;
        tokio::task::spawn_blocking(move || released.recv()).await
    });
    let result = client.leads().list().await;
    let waited = start.elapsed();
    release.send(()).unwrap();
    hold.await.unwrap().unwrap().unwrap();
    tokio::time::resume();

    // Sent at once, the call would end at virtual time 0 (or time out at 30 s: an error).
    result.unwrap();
    assert!(
        waited >= Duration::from_secs(29),
        "the call was sent before the window reset (after {waited:?} of virtual time)"
    );
    assert_eq!(open.calls_async().await, 1);
    assert_eq!(client.rate_limit().unwrap().remaining, Some(999));
}

#[tokio::test]
async fn a_429_without_retry_after_waits_for_the_reset_header_or_says_when() {
    let server = MockServer::start_async().await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let reset = (now + 1800).to_string();
    let limited = server.mock(|when, then| {
        when.method(POST).path("/api/v2/customers");
        then.status(429)
            .header("content-type", "application/json")
            .header("X-RateLimit-Limit", "1000")
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", reset.as_str())
            .body(r#"{"success":false,"errors":[],"message":"Rate limit exceeded"}"#);
    });
    let err = client
        .customers()
        .create(&NewCustomer::new("A").email("a@b.co"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    let wait = err.retry_after().unwrap();
    assert!(
        wait > Duration::from_secs(1700) && wait <= Duration::from_secs(1800),
        "{wait:?}"
    );
    assert_eq!(limited.calls_async().await, 1);
}

#[tokio::test]
async fn a_429_waits_within_the_retry_policy_not_the_pacing_limit() {
    // A 429 without Retry-After whose X-RateLimit-Reset is 30 s away.
    let server = MockServer::start_async().await;
    let limited = server.mock(|when, then| {
        when.method(GET).path("/api/v2/tickets");
        then.status(429)
            .header("content-type", "application/json")
            .header("X-RateLimit-Remaining", "0")
            .header("X-RateLimit-Reset", "30") // seconds from now
            .body(r#"{"success":false,"errors":[],"message":"Rate limit exceeded"}"#);
    });
    // The default retry policy allows 20 s: refused at once, although the pacing limit
    // (rate_limit_max_wait, 60 s) would wait 30 s.
    let client = builder(&server)
        .rate_limit_max_wait(Duration::from_secs(60))
        .build()
        .unwrap();
    let err = client.tickets().list().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert!(
        err.retry_after().unwrap() > Duration::from_secs(20),
        "{err:?}"
    );
    assert_eq!(limited.calls_async().await, 1, "not sent again");

    // Within the policy's max_retry_after, a 429 is sent again after its reset (here at once,
    // so the test needs no clock), even with pacing switched off: the retry policy decides.
    limited.delete_async().await;
    let limited = server.mock(|when, then| {
        when.method(GET).path("/api/v2/tickets");
        then.status(429)
            .header("content-type", "application/json")
            .header("X-RateLimit-Reset", "0")
            .body(r#"{"success":false,"errors":[],"message":"Rate limit exceeded"}"#);
    });
    let client = builder(&server)
        .retry_policy(RetryPolicy::without_delays().with_max_attempts(2))
        .rate_limit_max_wait(Duration::ZERO)
        .build()
        .unwrap();
    let err = client.tickets().list().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS), "{err:?}");
    assert_eq!(
        limited.calls_async().await,
        2,
        "sent again within the policy"
    );
}

#[tokio::test]
async fn invalid_requests_are_refused_before_sending() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let any = server.mock(|_, then| {
        then.status(200).body(ok("{}"));
    });
    assert!(
        client
            .customers()
            .create(&NewCustomer::new(""))
            .await
            .unwrap_err()
            .is_validation()
    );
    assert!(
        client
            .customers()
            .create(&NewCustomer::new("A").email("not-an-email"))
            .await
            .unwrap_err()
            .is_validation()
    );
    assert!(
        client
            .customers()
            .update("1", &CustomerUpdate::new())
            .await
            .unwrap_err()
            .is_validation()
    );
    assert!(
        client
            .products()
            .create(&RecordRequest::new())
            .await
            .unwrap_err()
            .is_validation()
    );
    assert!(
        NewInvoice::builder("1")
            .build()
            .unwrap_err()
            .is_validation()
    );
    assert_eq!(any.calls_async().await, 0);
}

#[test]
fn configuration_from_the_environment() {
    let err = ClientBuilder::from_lookup(|_| None).unwrap_err();
    assert!(err.to_string().contains("CLOUDONEX_BASE_URL"), "{err}");
    let err = ClientBuilder::from_lookup(|n| {
        (n == "CLOUDONEX_BASE_URL").then(|| "https://x.example/api/v2/".into())
    })
    .unwrap_err();
    assert!(err.to_string().contains("CLOUDONEX_API_KEY"), "{err}");
    let client = ClientBuilder::from_lookup(|n| match n {
        "CLOUDONEX_BASE_URL" => Some("https://x.example/api/v2".into()),
        "CLOUDONEX_API_KEY" => Some("k-123".into()),
        _ => None,
    })
    .and_then(ClientBuilder::build)
    .unwrap();
    assert_eq!(client.base_url(), "https://x.example/api/v2/");
    assert!(!format!("{client:?}").contains("k-123"));
    let err = ClientBuilder::from_lookup(|n| match n {
        "CLOUDONEX_BASE_URL" => Some("https://x.example/api/".into()),
        "CLOUDONEX_API_KEY" => Some("k".into()),
        _ => None,
    })
    .and_then(ClientBuilder::build)
    .unwrap_err();
    assert!(err.to_string().contains("/api/v2/"), "{err}");
}

/// Lines 55-74 (the PHP and JavaScript Quick Start) and 78-85 (Basic Data Retrieval): `GET
/// /api/v2/customers`, `/customers/{id}` and `/invoices` with exactly `Authorization: Bearer
/// your-api-key-here` (lines 17-18) and `Content-Type: application/json`; each answered with the
/// "Response Format" example verbatim (lines 33-39). Its `data` is `{}`, PHP's empty array: a list
/// reads it as no records; a single record cannot be read from it (a decode error, as the spec
/// notes' "Reads keep the decode error" says). A delete so answered is done.
#[tokio::test]
async fn the_documents_read_requests_answered_by_its_response_format_example() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let quick_start = |when: httpmock::When, path: &str, method| {
        when.method(method)
            .path(path.to_owned())
            .header("authorization", BEARER)
            .is_true(one_json_content_type);
    };
    let mut mocks = Vec::new();
    for (method, path) in [
        (GET, "/api/v2/customers"),
        (GET, "/api/v2/customers/123"),
        (GET, "/api/v2/invoices"),
        (DELETE, "/api/v2/customers/123"),
    ] {
        mocks.push(server.mock(|when, then| {
            quick_start(when, path, method);
            then.status(200)
                .header("content-type", "application/json")
                .body(DOC_RESPONSE_FORMAT);
        }));
    }
    let customers = client.customers().list().await.unwrap();
    assert!(customers.items.is_empty(), "{customers:?}");
    assert_eq!(customers.info, None);
    let invoices = client.invoices().list().await.unwrap();
    assert!(invoices.items.is_empty(), "{invoices:?}");
    let err = client.customers().get("123").await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    client.customers().delete("123").await.unwrap();
    for mock in mocks {
        assert_eq!(mock.calls_async().await, 1);
    }
}

/// Lines 43-49, the "Error Response Format" verbatim. The document gives it no status: it is the
/// vendor's refusal with the status it comes with (400 of line 183, or a 200), its placeholder
/// field and message read as they are.
#[tokio::test]
async fn the_documents_error_response_format_verbatim() {
    for status in [400, 200] {
        let server = MockServer::start_async().await;
        let client = bearer_client(&server);
        server.mock(|when, then| {
            when.method(GET).path("/api/v2/customers/123");
            then.status(status)
                .header("content-type", "application/json")
                .body(DOC_ERROR_FORMAT);
        });
        let err = client.customers().get("123").await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.code(), Some(&Code::Validation), "{status}");
        assert_eq!(err.message(), Some("Error message"));
        assert_eq!(
            field_pairs(&err),
            [("field_name", "Error description")],
            "{status}"
        );
    }
}

/// Lines 123-125: the rate-limit headers verbatim. `X-RateLimit-Reset: 1516131220` is a Unix
/// time (2018-01-16 19:33:40 UTC); with 999 requests left the next call is sent at once.
#[tokio::test]
async fn the_documents_rate_limit_headers_verbatim() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let mock = server.mock(|when, then| {
        when.method(GET).path("/api/v2/invoices");
        then.status(200)
            .header("content-type", "application/json")
            .header("X-RateLimit-Limit", "1000")
            .header("X-RateLimit-Remaining", "999")
            .header("X-RateLimit-Reset", "1516131220")
            .body(ok("[]"));
    });
    client.invoices().list().await.unwrap();
    let info = client.rate_limit().unwrap();
    assert_eq!((info.limit, info.remaining), (Some(1000), Some(999)));
    assert_eq!(
        info.reset_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2018-01-16T19:33:40+00:00")
    );
    client.invoices().list().await.unwrap();
    assert_eq!(mock.calls_async().await, 2);
}

/// Lines 181-188 on a write: a create answered with each documented error status and the
/// "Error Response Format" is sent once. 400-404 are the vendor's refusal with its values; 429
/// says when to come back; 500 ("Server Error") may have been carried out, so it is
/// outcome-unknown naming the customer, with the status kept.
#[tokio::test]
async fn every_documented_error_status_on_a_create_is_sent_once() {
    for (status, code) in [
        (400, Some(Code::Validation)),
        (401, Some(Code::Unauthorized)),
        (403, Some(Code::Forbidden)),
        (404, Some(Code::NotFound)),
        (429, None),
        (500, None),
    ] {
        let server = MockServer::start_async().await;
        let client = bearer_client(&server);
        let mock = server.mock(|when, then| {
            when.method(POST).path("/api/v2/customers");
            then.status(status)
                .header("content-type", "application/json")
                .header("X-RateLimit-Reset", "3600")
                .body(DOC_ERROR_FORMAT);
        });
        let err = client
            .customers()
            .create(&NewCustomer::new("John Doe").email("john@example.com"))
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
        assert_eq!(mock.calls_async().await, 1, "{status}: sent once");
        match status {
            429 => {
                assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
                assert!(err.retry_after().unwrap() > Duration::from_secs(3500));
            }
            500 => {
                assert!(err.is_outcome_unknown(), "{err:?}");
                assert_eq!(err.reference(), Some("john@example.com"));
            }
            _ => {
                assert_eq!(err.code(), code.as_ref(), "{status}");
                assert_eq!(err.message(), Some("Error message"));
                assert_eq!(err.fields()[0].field, "field_name");
                assert!(!err.is_outcome_unknown());
            }
        }
    }
}

/// Line 11: the base URL as printed is accepted as it is, in both auth modes.
#[test]
fn the_documents_base_url() {
    for mode in [AuthMode::Bearer, AuthMode::QueryString] {
        let client = Client::builder()
            .base_url("https://your-domain.com/api/v2/")
            .api_key(KEY)
            .auth_mode(mode)
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "https://your-domain.com/api/v2/");
    }
}

/// Lines 89-93 and 157-169 write `"email": "john@example.com"`, `'amount' => 100.00` and
/// `'qty' => 1`: an amount goes with at least two decimals (a decimal to a server that checks
/// for one, a number to every other), a quantity without trailing zeros (an integer when whole,
/// for a server reading `qty` as one), and a new customer's empty e-mail and phone are left out
/// (a server that checks every `email` it is given refuses `""`; absent, there is none).
#[tokio::test]
async fn amounts_quantities_and_empty_fields_go_in_the_documents_forms() {
    let server = MockServer::start_async().await;
    let client = bearer_client(&server);
    let customer = server.mock(|when, then| {
        when.method(POST)
            .path("/api/v2/customers")
            .body(r#"{"account":"No Mail Ltd"}"#);
        then.status(201)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":8,"account":"No Mail Ltd"}"#));
    });
    let invoice = server.mock(|when, then| {
        when.method(POST).path("/api/v2/invoices").body(concat!(
            r#"{"customer_id":8,"items":["#,
            r#"{"description":"A","amount":100.00,"qty":1},"#,
            r#"{"description":"B","amount":2.50,"qty":3},"#,
            r#"{"description":"C","amount":1.234,"qty":2.5},"#,
            r#"{"description":"D","amount":-15.50,"qty":1}]}"#
        ));
        then.status(201)
            .header("content-type", "application/json")
            .body(ok(r#"{"id":55,"customer_id":8}"#));
    });
    let saved = client
        .customers()
        .create(&NewCustomer::new("No Mail Ltd").email("").phone(""))
        .await
        .unwrap();
    assert_eq!(saved.record().map(|c| c.id.as_str()), Some("8"));
    let lines = NewInvoice::builder("8")
        .item("A", dec!(100), dec!(1.0))
        .item("B", dec!(2.5), dec!(3.000))
        .item("C", dec!(1.2340), dec!(2.50))
        .item("D", dec!(-15.5), dec!(1))
        .build()
        .unwrap();
    // The values are the caller's, exactly: only their written form changes.
    assert_eq!(lines.total(), dec!(95.085));
    let saved = client.invoices().create(&lines).await.unwrap();
    assert_eq!(saved.record().map(|i| i.id.as_str()), Some("55"));
    customer.assert_async().await;
    invoice.assert_async().await;
}

/// What one operation gave, in a form every resource shares.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// A list: its number of records and whether it had page information.
    Listed(usize, bool),
    /// A record read.
    Got,
    /// A write: whether it returned the record, its id, its message.
    Saved(bool, Option<String>, Option<String>),
    Deleted,
}

/// Every operation (list, get, create, update, delete) on a typed customer, a typed invoice
/// and a generic ticket, in order; each result next to its name.
async fn every_operation(client: &Client) -> Vec<(String, Result<Outcome, Error>)> {
    fn saved<T>(s: cloudonex_client::Saved<T>) -> Outcome {
        let (id, message) = (s.id().map(str::to_owned), s.message().map(str::to_owned));
        Outcome::Saved(s.record().is_some(), id, message)
    }
    let invoice = NewInvoice::builder("123")
        .item("Product A", dec!(100.00), dec!(1))
        .build()
        .unwrap();
    let ticket = RecordRequest::new().field("subject", "Card reader offline");
    let mut out = Vec::new();
    macro_rules! push {
        ($name:expr, $call:expr, $map:expr) => {
            out.push(($name.to_owned(), $call.await.map($map)));
        };
    }
    push!("list customers", client.customers().list(), |p| {
        Outcome::Listed(p.items.len(), p.info.is_some())
    });
    push!("list invoices", client.invoices().list(), |p| {
        Outcome::Listed(p.items.len(), p.info.is_some())
    });
    push!(
        "list tickets",
        client.tickets().list(),
        |p| Outcome::Listed(p.items.len(), p.info.is_some())
    );
    push!("get customers", client.customers().get("123"), |_| {
        Outcome::Got
    });
    push!("get invoices", client.invoices().get("55"), |_| {
        Outcome::Got
    });
    push!("get tickets", client.tickets().get("7"), |_| Outcome::Got);
    push!(
        "create customers",
        client.customers().create(&john_doe()),
        saved
    );
    push!("create invoices", client.invoices().create(&invoice), saved);
    push!("create tickets", client.tickets().create(&ticket), saved);
    push!(
        "update customers",
        client
            .customers()
            .update("123", &CustomerUpdate::new().phone("1234567890")),
        saved
    );
    push!(
        "update invoices",
        client
            .invoices()
            .update("55", &InvoiceUpdate::new().customer_id("123")),
        saved
    );
    push!(
        "update tickets",
        client.tickets().update("7", &ticket),
        saved
    );
    push!("delete customers", client.customers().delete("123"), |()| {
        Outcome::Deleted
    });
    push!("delete invoices", client.invoices().delete("55"), |()| {
        Outcome::Deleted
    });
    push!("delete tickets", client.tickets().delete("7"), |()| {
        Outcome::Deleted
    });
    out
}

/// Each of the document's answers (the "Response Format", lines 33-39; the "Error Response
/// Format", lines 43-49; the "Error Response Example", lines 192-198), verbatim and with the
/// rate-limit headers of lines 123-125, answers every operation on a typed and a generic
/// resource in both auth modes: each call is sent once and read as the spec notes say. The
/// success example (`"data": {}`): a list of nothing, a get that cannot read a record (decode
/// error), a write accepted without a record with its message, a delete done. Either error
/// example, with 400 or 200: the vendor's refusal with its field and message, never
/// outcome-unknown.
#[tokio::test]
async fn every_documented_answer_is_read_by_every_operation_in_both_modes() {
    let answers: [(&str, &[u16]); 3] = [
        (DOC_RESPONSE_FORMAT, &[200, 201]),
        (DOC_ERROR_FORMAT, &[400, 200]),
        (DOC_ERROR_EXAMPLE, &[400, 200]),
    ];
    for mode in [AuthMode::Bearer, AuthMode::QueryString] {
        for (body, statuses) in answers {
            for &status in statuses {
                let server = MockServer::start_async().await;
                let client = builder(&server).auth_mode(mode).build().unwrap();
                let mock = server.mock(|_, then| {
                    then.status(status)
                        .header("content-type", "application/json")
                        .header("X-RateLimit-Limit", "1000")
                        .header("X-RateLimit-Remaining", "999")
                        .header("X-RateLimit-Reset", "1516131220")
                        .body(body);
                });
                let results = every_operation(&client).await;
                let case = format!("{mode:?} {status} {body}");
                assert_eq!(
                    mock.calls_async().await,
                    results.len(),
                    "{case}: each sent once"
                );
                let info = client.rate_limit().unwrap();
                assert_eq!(
                    (info.limit, info.remaining),
                    (Some(1000), Some(999)),
                    "{case}"
                );
                let error = serde_json::from_str::<serde_json::Value>(body).unwrap();
                for (name, result) in results {
                    let case = format!("{case}: {name}");
                    if body == DOC_RESPONSE_FORMAT {
                        let message = Some("Optional status message".to_owned());
                        match name.split(' ').next().unwrap() {
                            "list" => {
                                assert_eq!(result.unwrap(), Outcome::Listed(0, false), "{case}")
                            }
                            "get" => assert!(
                                matches!(result, Err(Error::Decode { .. })),
                                "{case}: {result:?}"
                            ),
                            "create" | "update" => assert_eq!(
                                result.unwrap(),
                                Outcome::Saved(false, None, message),
                                "{case}"
                            ),
                            _ => assert_eq!(result.unwrap(), Outcome::Deleted, "{case}"),
                        }
                        continue;
                    }
                    let err = result.unwrap_err();
                    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{case}");
                    assert_eq!(err.code(), Some(&Code::Validation), "{case}: {err}");
                    assert!(!err.is_outcome_unknown() && !err.is_retryable(), "{case}");
                    assert_eq!(err.message(), error["message"].as_str(), "{case}");
                    let (field, text) = error["errors"].as_object().unwrap().iter().next().unwrap();
                    assert_eq!(
                        field_pairs(&err),
                        [(field.as_str(), text.as_str().unwrap())],
                        "{case}"
                    );
                }
            }
        }
    }
}
