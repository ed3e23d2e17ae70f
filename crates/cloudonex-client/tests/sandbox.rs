//! Flows against the embedded sandbox: CRUD on all ten resources in both auth modes, the
//! documented validation errors, per-key rate limits, wrong keys, and the kit's faults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cloudonex_client::sandbox::{Fault, Route, SANDBOX_API_KEY, Sandbox};
use cloudonex_client::{
    Code, CustomerUpdate, Error, NewCustomer, NewInvoice, RecordExt, RecordRequest, Resource,
};
use futures_util::TryStreamExt;
use rust_decimal_macros::dec;

mod document;
use document::{DOC_CREATE_BODY, DOC_ERROR_EXAMPLE, DOC_JANE_BODY, jane_doe};

#[tokio::test]
async fn crud_on_all_ten_resources_in_both_auth_modes() {
    let sandbox = Sandbox::start().await.unwrap();
    for client in [
        sandbox.client().unwrap(),
        sandbox.query_string_client().unwrap(),
    ] {
        for resource in Resource::ALL {
            let records = client.records(resource);
            let before = records.list().await.unwrap().items;
            assert!(!before.is_empty(), "{resource} is seeded");
            let seeded = records.get(&before[0].id).await.unwrap();
            assert_eq!(seeded, before[0]);
            let body = match resource {
                Resource::Customers => RecordRequest::new()
                    .field("account", "Temp")
                    .field("email", "t@example.com"),
                Resource::Invoices => RecordRequest::new().field("customer_id", 1).field(
                    "items",
                    serde_json::json!([{"description": "X", "amount": 3.5, "qty": 2}]),
                ),
                _ => RecordRequest::new().field("name", "Temp"),
            };
            let created = records.create(&body).await.unwrap().into_record().unwrap();
            let updated = records
                .update(&created.id, &RecordRequest::new().field("note", "changed"))
                .await
                .unwrap()
                .into_record()
                .unwrap();
            assert_eq!(updated.text("note").as_deref(), Some("changed"));
            assert_eq!(
                records
                    .get(&created.id)
                    .await
                    .unwrap()
                    .text("note")
                    .as_deref(),
                Some("changed")
            );
            assert_eq!(records.list().await.unwrap().items.len(), before.len() + 1);
            records.delete(&created.id).await.unwrap();
            let err = records.get(&created.id).await.unwrap_err();
            assert_eq!(err.code(), Some(&Code::NotFound), "{err}");
            // A repeated delete: the record is gone.
            assert!(!records.delete_if_exists(&created.id).await.unwrap());
            assert_eq!(
                records.delete(&created.id).await.unwrap_err().code(),
                Some(&Code::NotFound)
            );
        }
    }
    assert!(
        sandbox.journal().hits("/") > 0,
        "the query-string client used the site root"
    );
}

#[tokio::test]
async fn typed_customers_and_invoices_with_exact_totals() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let c = client
        .customers()
        .create(&jane_doe())
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(c.email.as_deref(), Some("jane@example.com"));
    let c = client
        .customers()
        .update(&c.id, &CustomerUpdate::new().phone("555"))
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(c.phone.as_deref(), Some("555"));
    assert!(c.datetime("updated_at").is_some());

    let products = client.products().list().await.unwrap().items;
    let (a, b) = (&products[0], &products[1]);
    let invoice = NewInvoice::builder(&c.id)
        .item(
            a.text("name").unwrap(),
            a.decimal("price").unwrap(),
            dec!(1),
        )
        .item(
            b.text("name").unwrap(),
            b.decimal("price").unwrap(),
            dec!(2),
        )
        .build()
        .unwrap();
    let made = client
        .invoices()
        .create(&invoice)
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(made.decimal("total"), Some(invoice.total()));
    assert_eq!(made.customer_id.as_deref(), Some(c.id.as_str()));
    assert_eq!(
        made.items[1].decimal("total"),
        Some(invoice.items()[1].line_total())
    );
    let read = client.invoices().get(&made.id).await.unwrap();
    assert_eq!(
        read.decimal("total"),
        Some(a.decimal("price").unwrap() + b.decimal("price").unwrap() * dec!(2))
    );
}

#[tokio::test]
async fn validation_errors_in_the_documented_shape() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    // The client checks first; the raw record endpoint shows what the server says.
    let customers = client.records(Resource::Customers);
    let err = customers
        .create(&RecordRequest::new().field("email", "nope"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(&Code::Validation));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(err.message(), Some("Validation failed"));
    let fields: Vec<(&str, &str)> = err
        .fields()
        .iter()
        .map(|f| (f.field.as_str(), f.message.as_str()))
        .collect();
    assert_eq!(
        fields,
        [
            ("account", "Account is required"),
            ("email", "Invalid email format")
        ]
    );

    let err = client
        .invoices()
        .create(
            &NewInvoice::builder("999")
                .item("X", dec!(1), dec!(1))
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "customer_id");
    let before = sandbox.records(Resource::Customers).len();
    assert_eq!(
        customers.list().await.unwrap().items.len(),
        before,
        "nothing stored"
    );
}

#[tokio::test]
async fn client_and_sandbox_agree_on_amounts_quantities_and_emails() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let customer = client
        .customers()
        .create(&NewCustomer::new("No Mail Ltd").email(""))
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(customer.email, None, "\"\" is no e-mail");

    // A discount line (negative amount) passes both, with the total computed exactly.
    let invoice = NewInvoice::builder(&customer.id)
        .item("Product A", dec!(100.00), dec!(1))
        .item("Discount", dec!(-15.50), dec!(1))
        .build()
        .unwrap();
    let made = client
        .invoices()
        .create(&invoice)
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(made.decimal("total"), Some(dec!(84.50)));
    assert_eq!(made.items[1].decimal("total"), Some(dec!(-15.50)));

    // A quantity of zero or below: the client refuses it; sent raw, so does the sandbox.
    let invoices = client.records(Resource::Invoices);
    for qty in [dec!(0), dec!(-1)] {
        let err = NewInvoice::builder(&customer.id)
            .item("X", dec!(1), qty)
            .build()
            .unwrap_err();
        assert!(err.is_validation(), "{err}");
        let raw = RecordRequest::new()
            .field("customer_id", customer.id.as_str())
            .field(
                "items",
                serde_json::json!([{"description": "X", "amount": 1, "qty": qty.to_string()}]),
            );
        let err = invoices.create(&raw).await.unwrap_err();
        assert_eq!(err.code(), Some(&Code::Validation));
        assert_eq!(err.fields()[0].field, "items.0.qty");
    }

    // E-mail: both take "" and a dotted domain, both refuse blanks and a domain without a dot.
    let customers = client.records(Resource::Customers);
    for (email, accepted) in [
        ("", true),
        ("a@b.co", true),
        (" ", false),
        ("a@localhost", false),
        ("no-at.example.com", false),
    ] {
        let by_client = NewCustomer::new("A").email(email).validate().is_ok();
        let by_sandbox = customers
            .create(
                &RecordRequest::new()
                    .field("account", "A")
                    .field("email", email),
            )
            .await
            .is_ok();
        assert_eq!((by_client, by_sandbox), (accepted, accepted), "{email:?}");
    }
}

#[tokio::test]
async fn an_undocumented_method_or_route_is_404_in_the_error_envelope() {
    use pos_client_core::reqwest::{self, Method};
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    let base = sandbox.base_url();
    // The document lists 200/201/400/401/403/404/429/500: no 405. POST to a record and PUT or
    // DELETE on a list are not routes; PATCH is none at all. Checked before the body.
    for (method, path, body) in [
        (Method::POST, "customers/1", r#"{"account":"A"}"#),
        (Method::PUT, "customers", r#"{"account":"A"}"#),
        (Method::DELETE, "tickets", ""),
        (Method::PATCH, "customers/1", r#"{"account":"A"}"#),
        (Method::POST, "products/1", "not json"),
    ] {
        let answer = http
            .request(method.clone(), format!("{base}{path}"))
            .bearer_auth(SANDBOX_API_KEY)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 404, "{method} {path}");
        let json: serde_json::Value =
            serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"success": false, "errors": [], "message": "Unknown endpoint"}),
            "{method} {path}"
        );
    }
    let client = sandbox.client().unwrap();
    let first = client.customers().get("1").await.unwrap();
    assert_ne!(first.account.as_deref(), Some("A"), "nothing changed");
}

#[tokio::test]
async fn rate_limit_counts_down_per_key_and_429_when_used_up() {
    let sandbox = Sandbox::builder()
        .api_keys(["key-a", "key-b"])
        .rate_limit(3)
        .start()
        .await
        .unwrap();
    let a = sandbox
        .client_builder()
        .api_key("key-a")
        .rate_limit_max_wait(Duration::ZERO)
        .build()
        .unwrap();
    let b = sandbox.client_builder().api_key("key-b").build().unwrap();
    a.leads().list().await.unwrap();
    assert_eq!(a.rate_limit().unwrap().remaining, Some(2));
    assert_eq!(a.rate_limit().unwrap().limit, Some(3));
    a.leads().list().await.unwrap();
    b.leads().list().await.unwrap();
    assert_eq!(
        b.rate_limit().unwrap().remaining,
        Some(2),
        "each key has its own window"
    );
    a.leads().list().await.unwrap();
    assert_eq!(a.rate_limit().unwrap().remaining, Some(0));
    assert_eq!(sandbox.remaining("key-a"), 0);

    // Used up until the reset (an hour away): refused by the client, nothing sent.
    let hits = sandbox.journal().requests().len();
    let err = a.leads().list().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert!(err.retry_after().unwrap() > Duration::from_secs(3000));
    assert_eq!(sandbox.journal().requests().len(), hits, "nothing sent");

    // A client that does not know yet gets the server's 429, with the reset to wait for.
    let fresh = sandbox.client_builder().api_key("key-a").build().unwrap();
    let err = fresh.leads().list().await.unwrap_err();
    assert!(matches!(err, Error::RateLimited { .. }), "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(
        err.retry_after().unwrap() > Duration::from_secs(3000),
        "from X-RateLimit-Reset"
    );
}

#[tokio::test]
async fn a_wrong_key_is_401_in_both_modes() {
    let sandbox = Sandbox::start().await.unwrap();
    for mode in [
        cloudonex_client::AuthMode::Bearer,
        cloudonex_client::AuthMode::QueryString,
    ] {
        let client = sandbox
            .client_builder()
            .api_key("wrong")
            .auth_mode(mode)
            .build()
            .unwrap();
        let err = client.customers().list().await.unwrap_err();
        assert_eq!(err.code(), Some(&Code::Unauthorized), "{err}");
        assert!(err.is_credentials());
        assert!(!err.is_retryable());
    }
    assert_eq!(sandbox.remaining(SANDBOX_API_KEY), 1000);
}

#[tokio::test]
async fn a_503_on_a_list_is_retried() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox
        .faults()
        .inject("/api/v2/customers", Fault::status(503));
    let all: Vec<_> = client.customers().list().await.unwrap().items;
    assert_eq!(all.len(), 3);
    assert_eq!(sandbox.journal().hits("/api/v2/customers"), 2);
}

#[tokio::test]
async fn a_503_on_a_create_is_one_request_and_an_error() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox
        .faults()
        .inject("/api/v2/customers", Fault::status(503));
    let err = client
        .customers()
        .create(&NewCustomer::new("A").email("a@example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(sandbox.journal().hits("/api/v2/customers"), 1);
    assert_eq!(sandbox.records(Resource::Customers).len(), 3);
}

#[tokio::test]
async fn a_reset_in_the_middle_of_a_create_answer_is_outcome_unknown_naming_the_reference() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    sandbox
        .faults()
        .inject("/api/v2/customers", Fault::ResetMidBody);
    let err = client
        .customers()
        .create(&NewCustomer::new("A").email("ada@example.org"))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.reference(), Some("ada@example.org"));
    assert_eq!(
        sandbox.journal().hits("/api/v2/customers"),
        1,
        "never re-sent"
    );
    assert_eq!(
        sandbox.records(Resource::Customers).len(),
        4,
        "the server did create it"
    );

    sandbox
        .faults()
        .inject("/api/v2/invoices", Fault::ResetMidBody);
    let invoice = NewInvoice::builder("1")
        .item("X", dec!(2), dec!(1))
        .reference("INV-77")
        .build()
        .unwrap();
    let err = client.invoices().create(&invoice).await.unwrap_err();
    assert_eq!(err.reference(), Some("INV-77"));
    assert_eq!(sandbox.journal().hits("/api/v2/invoices"), 1);

    // PUT and DELETE are not re-sent either, by default; they name the record.
    sandbox
        .faults()
        .inject("/api/v2/tickets/1", Fault::ResetMidBody);
    let err = client.tickets().delete("1").await.unwrap_err();
    assert_eq!(err.reference(), Some("tickets 1"));
    assert!(
        !client.tickets().delete_if_exists("1").await.unwrap(),
        "the first delete took effect"
    );
}

#[tokio::test]
async fn put_and_delete_can_be_retried_when_asked() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .retry_put_delete(true)
        .build()
        .unwrap();
    sandbox
        .faults()
        .inject(Route::path("/api/v2/leads/1"), Fault::status(503));
    let lead = client
        .leads()
        .update("1", &RecordRequest::new().field("status", "Won"))
        .await
        .unwrap();
    assert_eq!(
        lead.record().and_then(|r| r.text("status")).as_deref(),
        Some("Won")
    );
    assert_eq!(sandbox.journal().hits("/api/v2/leads/1"), 2);
}

#[tokio::test]
async fn list_all_pages_through_the_sandbox() {
    let sandbox = Sandbox::builder().empty().start().await.unwrap();
    let client = sandbox.client().unwrap();
    for n in 0..60 {
        client
            .products()
            .create(&RecordRequest::new().field("name", format!("P{n}")))
            .await
            .unwrap()
            .into_record()
            .unwrap();
    }
    let all: Vec<_> = client.products().list_all().try_collect().await.unwrap();
    assert_eq!(all.len(), 60);
    assert_eq!(all[59].text("name").as_deref(), Some("P59"));
    assert_eq!(
        sandbox.journal().hits("/api/v2/products"),
        60 + 3,
        "three pages of 25"
    );
}

#[tokio::test]
async fn a_429_with_retry_after_0_is_waited_out_and_sent_again_for_reads_and_writes() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    // A read.
    sandbox
        .faults()
        .inject("/api/v2/products", Fault::status_with_retry_after(429, "0"));
    let products = client.products().list().await.unwrap().items;
    assert!(!products.is_empty());
    assert_eq!(sandbox.journal().hits("/api/v2/products"), 2);
    assert_eq!(sandbox.faults().pending(), 0, "the 429 was answered");

    // A write: the 429 proves the first was not carried out, so sending it again is safe.
    sandbox.faults().inject(
        "/api/v2/customers",
        Fault::status_with_retry_after(429, "0"),
    );
    let before = sandbox.records(Resource::Customers).len();
    let created = client
        .customers()
        .create(&NewCustomer::new("Retry").email("retry@example.com"))
        .await
        .unwrap()
        .into_record()
        .unwrap();
    assert_eq!(created.email.as_deref(), Some("retry@example.com"));
    assert_eq!(sandbox.journal().hits("/api/v2/customers"), 2);
    assert_eq!(
        sandbox.records(Resource::Customers).len(),
        before + 1,
        "created exactly once"
    );
}

/// One request over a plain HTTP/1.1 connection, as the document's examples write them: the
/// status, the headers (names lower-cased) and the body as JSON.
async fn raw(
    sandbox: &Sandbox,
    method: &str,
    target: &str,
    body: &str,
) -> (u16, Vec<(String, String)>, serde_json::Value) {
    use std::io::{Read, Write};
    let base = sandbox.base_url();
    let host = base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let request = format!(
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n\
         Content-Type: application/json\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n{body}",
        key = sandbox.api_key(),
        len = body.len(),
    );
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&host).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, serde_json::from_str(body).unwrap())
}

/// The shape of the document's "Response Format" (lines 33-39): `success` true, `data`, and
/// `message` a string when there is one ("Optional status message"). Returns `data`.
fn success_shape(body: &serde_json::Value) -> &serde_json::Value {
    let object = body.as_object().unwrap();
    assert_eq!(
        object.get("success"),
        Some(&serde_json::Value::Bool(true)),
        "{body}"
    );
    assert!(
        object
            .get("message")
            .is_none_or(serde_json::Value::is_string),
        "message is a string or absent: {body}"
    );
    assert!(
        object
            .keys()
            .all(|k| ["success", "data", "message"].contains(&k.as_str())),
        "{body}"
    );
    &object["data"]
}

/// The shape of the "Error Response Format" (lines 43-49): `success` false, `errors` an object
/// of texts, `message` a text. Returns the errors.
fn error_shape(body: &serde_json::Value) -> Vec<(String, String)> {
    let object = body.as_object().unwrap();
    assert_eq!(object.len(), 3, "{body}");
    assert_eq!(object["success"], serde_json::Value::Bool(false), "{body}");
    assert!(object["message"].is_string(), "{body}");
    object["errors"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
        .collect()
}

/// A customer record holds the fields the document names for it, as text, number or null.
fn customer_shape(record: &serde_json::Value) {
    for field in ["id", "account", "email", "phone"] {
        let value = record
            .get(field)
            .unwrap_or_else(|| panic!("{field}: {record}"));
        assert!(
            value.is_string() || value.is_number() || value.is_null(),
            "{field}: {record}"
        );
    }
}

/// Every example request of the document, sent to the sandbox as printed (the Quick Start's
/// headers, the bodies' own text), is answered in the shape of the document's examples: the
/// envelope, the documented field names, the error example itself for a bad e-mail, and the
/// `X-RateLimit-*` headers as numbers (lines 123-125).
#[tokio::test]
async fn the_documents_example_requests_get_answers_of_the_examples_shape() {
    let sandbox = Sandbox::start().await.unwrap();

    // Lines 55-74 and 78-85: GET /api/v2/customers, /customers/{id}, /invoices.
    let (status, headers, body) = raw(&sandbox, "GET", "/api/v2/customers", "").await;
    assert_eq!(status, 200);
    let list = success_shape(&body).as_array().unwrap();
    list.iter().for_each(customer_shape);
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.parse::<u64>().unwrap())
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(header("x-ratelimit-limit"), 1000);
    assert_eq!(header("x-ratelimit-remaining"), 999);
    assert!(header("x-ratelimit-reset") > 1_516_131_220, "Unix seconds");

    let id = list[0]["id"].as_str().unwrap();
    let (status, _, body) = raw(&sandbox, "GET", &format!("/api/v2/customers/{id}"), "").await;
    assert_eq!(status, 200);
    customer_shape(success_shape(&body));

    let (status, _, body) = raw(&sandbox, "GET", "/api/v2/invoices", "").await;
    assert_eq!(status, 200);
    for invoice in success_shape(&body).as_array().unwrap() {
        assert!(
            invoice.get("id").is_some() && invoice.get("customer_id").is_some(),
            "{invoice}"
        );
        for item in invoice["items"].as_array().unwrap() {
            for field in ["description", "amount", "qty"] {
                assert!(
                    item[field].is_string() || item[field].is_number(),
                    "{field}: {item}"
                );
            }
        }
    }

    // Lines 20-21: the query-string form, with the slashes of `ng` as printed.
    let target = format!("/?api_key={}&ng=api/v2/customers", sandbox.api_key());
    let (status, _, body) = raw(&sandbox, "GET", &target, "").await;
    assert_eq!(status, 200);
    assert_eq!(success_shape(&body).as_array().unwrap().len(), list.len());

    // Lines 89-97 and 146-153: the creates, the first with the document's own text as the body;
    // the second is a PHP array in the document, sent as its closest JSON.
    let mut created = Vec::new();
    for (text, account) in [(DOC_CREATE_BODY, "John Doe"), (DOC_JANE_BODY, "Jane Doe")] {
        let (status, _, body) = raw(&sandbox, "POST", "/api/v2/customers", text).await;
        assert_eq!(status, 201, "{body}");
        let record = success_shape(&body);
        customer_shape(record);
        assert_eq!(record["account"], account);
        assert_eq!(record["phone"], "1234567890");
        assert!(body["message"].is_string(), "{body}");
        created.push(record["id"].as_str().unwrap().to_owned());
    }

    // Lines 157-169: the invoice for customer 123, which the sandbox does not have: refused in
    // the error example's shape; for a customer it has, created with the lines as sent. The
    // document's PHP array is sent as its closest JSON, `100.00` as written.
    let invoice = |customer: &str| {
        format!(
            r#"{{"customer_id":{customer},"items":[{{"description":"Product A","amount":100.00,"qty":1}}]}}"#
        )
    };
    let (status, _, body) = raw(&sandbox, "POST", "/api/v2/invoices", &invoice("123")).await;
    assert_eq!(status, 400);
    assert_eq!(
        error_shape(&body),
        [("customer_id".to_owned(), "Customer not found".to_owned())]
    );
    let (status, _, body) = raw(&sandbox, "POST", "/api/v2/invoices", &invoice(&created[0])).await;
    assert_eq!(status, 201, "{body}");
    let made = success_shape(&body);
    assert_eq!(made["customer_id"], created[0].as_str());
    assert_eq!(made["items"][0]["description"], "Product A");
    assert_eq!(made["items"][0]["amount"], "100.00");
    assert_eq!(made["items"][0]["qty"], "1");

    // Lines 192-198: a bad e-mail is answered with the error example itself.
    let bad = r#"{"account":"John Doe","email":"john.example.com","phone":"1234567890"}"#;
    let (status, _, body) = raw(&sandbox, "POST", "/api/v2/customers", bad).await;
    assert_eq!(status, 400);
    let example: serde_json::Value = serde_json::from_str(DOC_ERROR_EXAMPLE).unwrap();
    assert_eq!(body, example);
}

/// A delete is answered in the "Response Format" of lines 33-39: `data` is an object (`{}`, as
/// printed there), never `null`, with the message as a text.
#[tokio::test]
async fn a_delete_is_answered_in_the_response_formats_shape() {
    let sandbox = Sandbox::start().await.unwrap();
    for resource in ["customers", "tickets"] {
        let (status, _, body) = raw(&sandbox, "DELETE", &format!("/api/v2/{resource}/1"), "").await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(success_shape(&body), &serde_json::json!({}), "{body}");
        assert!(body["message"].is_string(), "{body}");
    }
    // The client reads it as done.
    let client = sandbox.client().unwrap();
    client.products().delete("1").await.unwrap();
    assert!(!client.products().delete_if_exists("1").await.unwrap());
}

/// A body must be `Content-Type: application/json` (lines 60-63, 91): another media type that
/// merely starts with those letters is refused with 400, nothing written; the type's case and a
/// charset parameter do not matter.
#[tokio::test]
async fn a_body_of_another_media_type_is_refused() {
    use pos_client_core::reqwest;
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}customers", sandbox.base_url());
    let before = sandbox.records(Resource::Customers).len();
    let send = |content_type: &'static str| {
        http.post(url.clone())
            .bearer_auth(SANDBOX_API_KEY)
            .header("content-type", content_type)
            .body(DOC_CREATE_BODY)
            .send()
    };
    for refused in [
        "application/jsonp",
        "application/json-patch+json",
        "application/x-www-form-urlencoded",
        "text/json",
    ] {
        let answer = send(refused).await.unwrap();
        assert_eq!(answer.status().as_u16(), 400, "{refused}");
        let body: serde_json::Value =
            serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
        assert_eq!(body["success"], false, "{refused}");
        assert_eq!(
            body["message"], "Content-Type must be application/json",
            "{refused}"
        );
    }
    assert_eq!(sandbox.records(Resource::Customers).len(), before);
    for accepted in ["application/json; charset=utf-8", "Application/JSON"] {
        let answer = send(accepted).await.unwrap();
        assert_eq!(answer.status().as_u16(), 201, "{accepted}");
    }
}

/// The document sends a customer's `account`, `email` and `phone` and an invoice line's
/// `description` as texts (lines 93-97, 147-151, 162): another JSON type is refused with 400
/// in the "Error Response Format", on a create and on an update, nothing written.
#[tokio::test]
async fn documented_text_fields_of_another_type_are_refused() {
    let sandbox = Sandbox::start().await.unwrap();
    let before = sandbox.records(Resource::Customers);
    for (method, target, body, field) in [
        (
            "POST",
            "/api/v2/customers",
            r#"{"account":"John Doe","phone":1234567890}"#,
            "phone",
        ),
        (
            "POST",
            "/api/v2/customers",
            r#"{"account":"John Doe","phone":["1234567890"]}"#,
            "phone",
        ),
        ("POST", "/api/v2/customers", r#"{"account":42}"#, "account"),
        (
            "POST",
            "/api/v2/customers",
            r#"{"account":"John Doe","email":true}"#,
            "email",
        ),
        (
            "PUT",
            "/api/v2/customers/1",
            r#"{"phone":1234567890}"#,
            "phone",
        ),
        (
            "PUT",
            "/api/v2/customers/1",
            r#"{"account":["A"]}"#,
            "account",
        ),
        (
            "POST",
            "/api/v2/invoices",
            r#"{"customer_id":1,"items":[{"description":17,"amount":100.00,"qty":1}]}"#,
            "items.0.description",
        ),
        (
            "PUT",
            "/api/v2/invoices/1",
            r#"{"items":[{"description":{"x":1},"amount":1.00,"qty":1}]}"#,
            "items.0.description",
        ),
    ] {
        let invoices = sandbox.records(Resource::Invoices);
        let (status, _, answer) = raw(&sandbox, method, target, body).await;
        assert_eq!(status, 400, "{body}: {answer}");
        let errors = error_shape(&answer);
        assert_eq!(errors.len(), 1, "{body}: {answer}");
        assert_eq!(errors[0].0, field, "{body}: {answer}");
        assert_eq!(answer["message"], "Validation failed");
        assert_eq!(sandbox.records(Resource::Invoices), invoices, "{body}");
    }
    assert_eq!(sandbox.records(Resource::Customers), before);
    // Texts, and null for an empty e-mail or phone, are taken.
    let (status, _, answer) = raw(
        &sandbox,
        "PUT",
        "/api/v2/customers/1",
        r#"{"account":"Ada","email":null,"phone":""}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
}

/// The key goes where lines 17-21 put it and nowhere else: `Authorization: Bearer <key>` under
/// `/api/v2/`, or `api_key` in the query of the site root beside `ng`. A key elsewhere (the
/// query under `/api/v2/`, a header at the root, another scheme or header, another name) is
/// 401 in the error envelope, and does not count against the key's hour.
#[tokio::test]
async fn a_key_in_another_place_or_form_is_401() {
    use pos_client_core::reqwest;
    let sandbox = Sandbox::start().await.unwrap();
    let http = reqwest::Client::new();
    let base = sandbox.base_url();
    let root = base.trim_end_matches("api/v2/").to_owned();
    let key = SANDBOX_API_KEY;
    let bearer = format!("Bearer {key}");
    let basic = format!("Basic {key}");
    let spaced = format!("Bearer  {key}");
    let cases: [(String, Option<(&str, &str)>); 8] = [
        (format!("{base}customers"), Some(("authorization", &spaced))),
        (format!("{base}customers?api_key={key}"), None),
        (
            format!("{root}?ng=api/v2/customers"),
            Some(("authorization", &bearer)),
        ),
        (format!("{root}?API_KEY={key}&ng=api/v2/customers"), None),
        (format!("{root}?apikey={key}&ng=api/v2/customers"), None),
        (format!("{base}customers"), Some(("authorization", key))),
        (format!("{base}customers"), Some(("authorization", &basic))),
        (format!("{base}customers"), Some(("x-api-key", key))),
    ];
    for (url, header) in cases {
        let mut request = http
            .get(url.clone())
            .header("content-type", "application/json");
        if let Some((name, value)) = header {
            request = request.header(name, value);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 401, "{url} {header:?}");
        assert!(
            answer.headers().get("x-ratelimit-remaining").is_none(),
            "{url}"
        );
        let body: serde_json::Value =
            serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
        assert_eq!(body["success"], false, "{url}");
        assert_eq!(body["message"], "Invalid or missing API key", "{url}");
    }
    assert_eq!(sandbox.remaining(key), 1000);
    // Both documented places work.
    for (url, header) in [
        (format!("{base}customers"), Some(bearer.as_str())),
        (format!("{root}?api_key={key}&ng=api/v2/customers"), None),
    ] {
        let mut request = http.get(url.clone());
        if let Some(value) = header {
            request = request.header("authorization", value);
        }
        assert_eq!(
            request.send().await.unwrap().status().as_u16(),
            200,
            "{url}"
        );
    }
    assert_eq!(sandbox.remaining(key), 998);
}

/// Routes are the document's names, as printed: a resource, `ng` or `api/v2` spelt otherwise
/// is 404 in the error envelope. Every answer to a known key carries the `X-RateLimit-*`
/// headers ("Rate limit headers included in responses", line 122), a refusal too.
#[tokio::test]
async fn misspelt_routes_are_404_and_every_keyed_answer_has_the_rate_limit_headers() {
    let sandbox = Sandbox::start().await.unwrap();
    let key = SANDBOX_API_KEY;
    let limited = |headers: &[(String, String)]| {
        [
            "x-ratelimit-limit",
            "x-ratelimit-remaining",
            "x-ratelimit-reset",
        ]
        .iter()
        .all(|name| {
            headers
                .iter()
                .any(|(k, v)| k == name && v.parse::<u64>().is_ok())
        })
    };
    for target in [
        "/api/v2/Customers".to_owned(),
        "/api/v2/customer".to_owned(),
        "/api/v2/customers/abc".to_owned(),
        "/api/v2/customers/999".to_owned(),
        "/api/v1/customers".to_owned(),
        format!("/?api_key={key}&NG=api/v2/customers"),
        format!("/?api_key={key}&ng=/api/v2/customers"),
        format!("/?api_key={key}&ng=api/v1/customers"),
    ] {
        let (status, headers, body) = raw(&sandbox, "GET", &target, "").await;
        assert_eq!(status, 404, "{target}: {body}");
        assert_eq!(body["success"], false, "{target}");
        assert!(body["message"].is_string(), "{target}");
        // Only a route the sandbox knows as CloudOnex's (under /api/v2/) reached the key check.
        if target.starts_with("/api/v2/") {
            assert!(limited(&headers), "{target}: {headers:?}");
        }
    }
    let (status, headers, body) =
        raw(&sandbox, "POST", "/api/v2/customers", r#"{"email":"x"}"#).await;
    assert_eq!(status, 400, "{body}");
    assert!(limited(&headers), "{headers:?}");
}
