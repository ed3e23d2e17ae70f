//! Hostile input from callers (issue 13, item 5): every builder setting and endpoint method that
//! takes a caller's value, driven with values that must be refused before anything is sent.
//!
//! The document gives no lengths, no decimal scales and no dates; its rules are `account`
//! required, a well-formed `email`, and (from its invoice example) items with a description,
//! an amount and a quantity. Beyond those, the crate refuses what would reach the URL or a
//! header unsafely: ids that are not one clean path segment (`/`, `\`, `?`, `#`, `%`, `.`/`..`,
//! control characters, surrounding blanks, over 255 bytes), page 0, an API key with control
//! characters; and control characters in the one-line values the server stores (`account`,
//! `phone`, `email`, `customer_id`, field names). Descriptions may hold line breaks.
//! Each refused case gives a validation error (a config error for the builder) and leaves the
//! sandbox journal empty; each accepted odd id shows the exact percent-encoded path received.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use cloudonex_client::sandbox::{SANDBOX_API_KEY, Sandbox};
use cloudonex_client::{
    Client, CustomerUpdate, Decimal, Error, InvoiceUpdate, NewCustomer, NewInvoice, RecordRequest,
};
use rust_decimal_macros::dec;

type Call = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;
/// `(case, the call, a text the error message must contain)`.
type Case = (&'static str, fn(Arc<Client>) -> Call, &'static str);
/// A method taking an id for the path.
type IdCall = fn(Arc<Client>, String) -> Call;

macro_rules! call {
    (|$c:ident| $body:expr) => {
        |$c: Arc<Client>| -> Call { Box::pin(async move { $body.await.map(|_| ()) }) }
    };
}

fn invoice() -> NewInvoice {
    NewInvoice::builder("1")
        .item("Espresso beans", dec!(18.90), dec!(1))
        .build()
        .unwrap()
}

/// Ids that would change or escape the URL path (or a header, or the `ng` route).
const BAD_IDS: &[(&str, &str)] = &[
    ("empty", ""),
    ("blank", "  \t "),
    ("leading blank", " 1"),
    ("parent", "../1"),
    ("parent, backslash", "..\\1"),
    ("dot-dot", ".."),
    ("dot", "."),
    ("slash", "1/2"),
    ("backslash", "1\\2"),
    ("query", "1?api_key=x"),
    ("fragment", "1#x"),
    ("percent", "1%2F2"),
    ("encoded parent", "%2e%2e"),
    ("CR/LF", "1\r\nX-Evil: 1"),
    ("LF", "1\n"),
    ("NUL", "1\u{0}"),
    ("DEL", "1\u{7f}"),
    ("C1 control", "1\u{85}"),
];

#[rustfmt::skip]
const REFUSED: &[Case] = &[
    ("list_page 0", call!(|c| c.customers().list_page(0)), "page"),
    ("list_page 0 (records)", call!(|c| c.tickets().list_page(0)), "page"),
    ("customer: empty account", call!(|c| c.customers().create(&NewCustomer::new(""))), "account"),
    ("customer: blank account", call!(|c| c.customers().create(&NewCustomer::new(" \u{3000}\t"))), "account"),
    ("customer: account with CR/LF", call!(|c| c.customers().create(&NewCustomer::new("Jane\r\nX-Evil: 1"))), "account"),
    ("customer: account with NUL", call!(|c| c.customers().create(&NewCustomer::new("Jane\u{0}"))), "account"),
    ("customer: account with ESC", call!(|c| c.customers().create(&NewCustomer::new("\u{1b}[2J"))), "account"),
    ("customer: email without @", call!(|c| c.customers().create(&NewCustomer::new("J").email("jane.example.com"))), "email"),
    ("customer: email without a dot", call!(|c| c.customers().create(&NewCustomer::new("J").email("jane@localhost"))), "email"),
    ("customer: email with LF", call!(|c| c.customers().create(&NewCustomer::new("J").email("jane@example.com\n"))), "email"),
    ("customer: email with NUL", call!(|c| c.customers().create(&NewCustomer::new("J").email("jane\u{0}@example.com"))), "email"),
    ("customer: email blank", call!(|c| c.customers().create(&NewCustomer::new("J").email(" "))), "email"),
    ("customer: phone with CR/LF", call!(|c| c.customers().create(&NewCustomer::new("J").phone("123\r\n4"))), "phone"),
    ("customer: phone with NUL", call!(|c| c.customers().create(&NewCustomer::new("J").phone("\u{0}"))), "phone"),
    ("customer: extra field named email", call!(|c| c.customers().create(&NewCustomer::new("J").field("email", "x"))), "documented"),
    ("customer: blank extra field name", call!(|c| c.customers().create(&NewCustomer::new("J").field(" ", "x"))), "extra field"),
    ("customer: extra field name with LF", call!(|c| c.customers().create(&NewCustomer::new("J").field("a\nb", "x"))), "control"),
    ("customer update: nothing", call!(|c| c.customers().update("1", &CustomerUpdate::new())), "changes nothing"),
    ("customer update: blank account", call!(|c| c.customers().update("1", &CustomerUpdate::new().account(" "))), "account"),
    ("customer update: account with LF", call!(|c| c.customers().update("1", &CustomerUpdate::new().account("A\nB"))), "account"),
    ("customer update: bad email", call!(|c| c.customers().update("1", &CustomerUpdate::new().email("a@b"))), "email"),
    ("customer update: phone with CR", call!(|c| c.customers().update("1", &CustomerUpdate::new().phone("1\r"))), "phone"),
    ("customer update: extra field named account", call!(|c| c.customers().update("1", &CustomerUpdate::new().field("account", "x"))), "documented"),
    ("invoice update: nothing", call!(|c| c.invoices().update("1", &InvoiceUpdate::new())), "changes nothing"),
    ("invoice update: customer id with CR/LF", call!(|c| c.invoices().update("1", &InvoiceUpdate::new().customer_id("1\r\n"))), "id"),
    ("invoice update: customer id ../", call!(|c| c.invoices().update("1", &InvoiceUpdate::new().customer_id("../2"))), "id"),
    ("invoice update: extra field named items", call!(|c| c.invoices().update("1", &InvoiceUpdate::new().items_of(&invoice()).field("items", "x"))), "documented"),
    ("record: empty object", call!(|c| c.products().create(&RecordRequest::new())), "no fields"),
    ("record: blank field name", call!(|c| c.products().create(&RecordRequest::new().field("", "x"))), "blank"),
    ("record: field name with CR/LF", call!(|c| c.products().create(&RecordRequest::new().field("name\r\n", "x"))), "control"),
    ("record update: empty object", call!(|c| c.tickets().update("1", &RecordRequest::new())), "no fields"),
    ("record update: field name with NUL", call!(|c| c.tickets().update("1", &RecordRequest::new().field("s\u{0}", "x"))), "control"),
];

/// An invoice builder case: `(case, build, the text the error must contain)`.
type InvoiceCase = (
    &'static str,
    fn() -> Result<NewInvoice, Error>,
    &'static str,
);

#[rustfmt::skip]
const REFUSED_INVOICES: &[InvoiceCase] = &[
    ("no items", || NewInvoice::builder("1").build(), "at least one item"),
    ("empty customer id", || NewInvoice::builder("").item("x", dec!(1), dec!(1)).build(), "customer_id"),
    ("customer id with CR/LF", || NewInvoice::builder("1\r\n").item("x", dec!(1), dec!(1)).build(), "customer_id"),
    ("customer id with ../", || NewInvoice::builder("../1").item("x", dec!(1), dec!(1)).build(), "customer_id"),
    ("customer id of 256 bytes", || NewInvoice::builder("9".repeat(256)).item("x", dec!(1), dec!(1)).build(), "customer_id"),
    ("blank description", || NewInvoice::builder("1").item(" ", dec!(1), dec!(1)).build(), "items[0].description"),
    ("description with NUL", || NewInvoice::builder("1").item("a\u{0}b", dec!(1), dec!(1)).build(), "description"),
    ("description with ESC", || NewInvoice::builder("1").item("\u{1b}]0;x", dec!(1), dec!(1)).build(), "description"),
    ("zero quantity", || NewInvoice::builder("1").item("x", dec!(1), dec!(1)).item("y", dec!(1), Decimal::ZERO).build(), "items[1].qty"),
    ("negative quantity", || NewInvoice::builder("1").item("x", dec!(1), dec!(-2)).build(), "items[0].qty"),
    ("line total overflowing", || NewInvoice::builder("1").item("x", Decimal::MAX, dec!(2)).build(), "overflows"),
    ("invoice total overflowing", || NewInvoice::builder("1").item("x", Decimal::MAX, dec!(1)).item("y", Decimal::MAX, dec!(1)).build(), "overflows"),
    ("extra field named customer_id", || NewInvoice::builder("1").item("x", dec!(1), dec!(1)).field("customer_id", 2).build(), "documented"),
];

/// Every method taking an id for the path, each driven with every [`BAD_IDS`] value.
#[rustfmt::skip]
const ID_METHODS: &[(&str, IdCall)] = &[
    ("customers().get", |c, id| Box::pin(async move { c.customers().get(&id).await.map(|_| ()) })),
    ("customers().update", |c, id| Box::pin(async move { c.customers().update(&id, &CustomerUpdate::new().phone("1")).await.map(|_| ()) })),
    ("customers().delete", |c, id| Box::pin(async move { c.customers().delete(&id).await })),
    ("customers().delete_if_exists", |c, id| Box::pin(async move { c.customers().delete_if_exists(&id).await.map(|_| ()) })),
    ("invoices().get", |c, id| Box::pin(async move { c.invoices().get(&id).await.map(|_| ()) })),
    ("invoices().update", |c, id| Box::pin(async move { c.invoices().update(&id, &InvoiceUpdate::new().customer_id("2")).await.map(|_| ()) })),
    ("invoices().delete", |c, id| Box::pin(async move { c.invoices().delete(&id).await })),
    ("products().get", |c, id| Box::pin(async move { c.products().get(&id).await.map(|_| ()) })),
    ("products().update", |c, id| Box::pin(async move { c.products().update(&id, &RecordRequest::new().field("price", "1.00")).await.map(|_| ()) })),
    ("tickets().delete", |c, id| Box::pin(async move { c.tickets().delete(&id).await })),
    ("tickets().delete_if_exists", |c, id| Box::pin(async move { c.tickets().delete_if_exists(&id).await.map(|_| ()) })),
];

fn assert_refused(case: &str, result: Result<(), Error>, needle: &str, sandbox: &Sandbox) {
    let err = result.expect_err(case);
    assert!(
        err.is_validation(),
        "{case}: not a validation error: {err:?}"
    );
    assert!(
        err.to_string().contains(needle),
        "{case}: {err} does not name {needle:?}"
    );
    let sent = sandbox.journal().requests();
    assert!(sent.is_empty(), "{case}: {} request(s) sent", sent.len());
}

/// A Bearer and a query-string client: the id reaches a path in one, the `ng` value in the other.
fn clients(sandbox: &Sandbox) -> [(&'static str, Arc<Client>); 2] {
    [
        ("bearer", Arc::new(sandbox.client().unwrap())),
        (
            "query string",
            Arc::new(sandbox.query_string_client().unwrap()),
        ),
    ]
}

#[tokio::test]
async fn bad_values_are_refused_before_sending() {
    let sandbox = Sandbox::start().await.unwrap();
    for (mode, client) in clients(&sandbox) {
        for (case, f, needle) in REFUSED {
            let result = f(client.clone()).await;
            assert_refused(&format!("{mode}: {case}"), result, needle, &sandbox);
        }
    }
}

#[tokio::test]
async fn bad_invoices_are_refused_by_the_builder() {
    let sandbox = Sandbox::start().await.unwrap();
    for (case, build, needle) in REFUSED_INVOICES {
        assert_refused(case, build().map(drop), needle, &sandbox);
    }
    // A valid invoice with a multi-line description and a zero amount (a free line) is accepted.
    let ok = NewInvoice::builder("1")
        .item("Beans\nground", Decimal::ZERO, dec!(0.5))
        .build()
        .unwrap();
    assert_eq!(ok.total(), Decimal::ZERO);
    // A negative amount is a credit or discount line, not refused.
    let credit = NewInvoice::builder("1")
        .item("Refund", dec!(-0.01), dec!(1))
        .build()
        .unwrap();
    assert_eq!(credit.total(), dec!(-0.01));
}

#[tokio::test]
async fn unsafe_ids_are_refused_by_every_method() {
    let sandbox = Sandbox::start().await.unwrap();
    let long = "9".repeat(256);
    let ids: Vec<(&str, String)> = BAD_IDS
        .iter()
        .map(|(name, id)| (*name, (*id).to_owned()))
        .chain([("256 bytes", long)])
        .collect();
    for (mode, client) in clients(&sandbox) {
        for (what, id) in &ids {
            for (method, f) in ID_METHODS {
                let case = format!("{mode}: {method}({what})");
                let result = f(client.clone(), id.clone()).await;
                assert_refused(&case, result, "id", &sandbox);
            }
        }
    }
}

/// Odd but harmless ids are percent-encoded into one path segment (Bearer), or carried as they
/// are in the `ng` value (query string, form-encoded by the URL builder).
#[tokio::test]
async fn odd_ids_are_percent_encoded_into_the_path() {
    #[rustfmt::skip]
    let cases: &[(&str, &str)] = &[
        ("a b", "a%20b"),
        ("été", "%C3%A9t%C3%A9"),
        ("1+2&x=y;z", "1%2B2%26x%3Dy%3Bz"),
        ("...", "..."),
        ("a..b", "a..b"),
        ("x:y@z", "x%3Ay%40z"),
        ("~_-.", "~_-."),
        (&"9".repeat(255), &"9".repeat(255)),
    ];
    let sandbox = Sandbox::start().await.unwrap();
    let [(_, bearer), (_, query)] = clients(&sandbox);
    for (id, encoded) in cases {
        sandbox.journal().clear();
        // A non-numeric id is a 404 from the sandbox: what matters is where it went.
        let err = bearer.products().get(id).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{id}: {err}");
        let sent = sandbox.journal().requests();
        assert_eq!(sent.len(), 1, "{id}");
        assert_eq!(sent[0].path, format!("/api/v2/products/{encoded}"), "{id}");

        sandbox.journal().clear();
        let err = query.products().delete(id).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{id}: {err}");
        let sent = sandbox.journal().requests();
        assert_eq!(sent.len(), 1, "{id}");
        assert_eq!(sent[0].path, "/", "{id}");
        let pairs = sent[0].query_pairs();
        assert_eq!(pairs[0].0, "api_key", "{id}");
        assert_eq!(
            pairs[1],
            ("ng".to_owned(), format!("api/v2/products/{id}")),
            "{id}"
        );
    }
}

#[tokio::test]
async fn bad_builder_settings_are_config_errors_that_do_not_show_the_key() {
    let sandbox = Sandbox::start().await.unwrap();
    let secretish = "cx-secret-Z9";
    #[rustfmt::skip]
    let cases: Vec<(&str, cloudonex_client::ClientBuilder, &str)> = vec![
        ("no key", Client::builder().base_url(sandbox.base_url()), "API key"),
        ("empty key", sandbox.client_builder().api_key(""), "API key"),
        ("blank key", sandbox.client_builder().api_key(" \t"), "API key"),
        ("key with CR/LF", sandbox.client_builder().api_key(format!("{secretish}\r\nX-Evil: 1")), "control"),
        ("key with NUL", sandbox.client_builder().api_key(format!("{secretish}\u{0}")), "control"),
        ("key with DEL", sandbox.client_builder().api_key(format!("{secretish}\u{7f}")), "control"),
        ("base URL without /api/v2/", sandbox.client_builder().base_url("https://example.com/"), "/api/v2/"),
        ("base URL with a fragment", sandbox.client_builder().base_url("https://example.com/api/v2/#x"), ""),
        ("base URL with CR/LF", sandbox.client_builder().base_url("https://example.com/api/v2/\r\nX: 1"), ""),
        ("base URL not a URL", sandbox.client_builder().base_url("not a url"), ""),
    ];
    for (case, builder, needle) in cases {
        let err = builder.build().expect_err(case);
        assert!(
            matches!(err, Error::Config { .. }),
            "{case}: not a config error: {err:?}"
        );
        assert!(err.to_string().contains(needle), "{case}: {err}");
        for shown in [err.to_string(), format!("{err:?}")] {
            assert!(!shown.contains(secretish), "{case}: the key shows: {shown}");
        }
    }
    assert!(sandbox.journal().requests().is_empty());
    // The sandbox key itself is fine.
    assert_eq!(sandbox.api_key(), SANDBOX_API_KEY);
    sandbox.client().unwrap();
}
