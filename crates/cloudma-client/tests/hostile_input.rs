//! Hostile input from callers: every value a caller passes to a builder or an endpoint method.
//!
//! CloudMA puts nothing from the caller into a URL or a header: the three paths are fixed and
//! every value (token included) travels in the POST body. So the rules here are the vendor's own
//! (a reference, at least one item, positive quantities, `grand_total` = sum of item totals,
//! amounts a `Double` keeps exactly) plus "no control characters in what the vendor stores".
//! Each refused case must give a typed error and send nothing (the sandbox journal stays empty);
//! each accepted case shows a value that looks odd but is legal and arrives exactly as given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cloudma_client::models::{Purchase, PurchaseItem, Sale, SaleItem};
use cloudma_client::sandbox::{Sandbox, SandboxProduct};
use cloudma_client::{BodyEncoding, ClientBuilder, Decimal, Error, Money};
use rust_decimal_macros::dec;

fn money(d: Decimal) -> Money {
    Money::new(d)
}

/// A valid sale of the default catalogue's products.
fn sale() -> Sale {
    Sale::builder("S-OK")
        .customer("Ada Lovelace", "ada@example.com")
        .add("CM-1001", 2, money(dec!(12.50)))
        .item(SaleItem::new("CM-1002", 1, money(dec!(3.20))).with_discount(money(dec!(0.20))))
        .shipping_cost(money(dec!(4.95)))
        .build()
        .unwrap()
}

/// A valid purchase of the default catalogue's products.
fn purchase() -> Purchase {
    Purchase::builder("GRN-OK")
        .add("CM-1001", 10, money(dec!(4.10)))
        .build()
        .unwrap()
}

/// Recomputes `grand_total` after a case changed the item totals, so that only the case's own
/// rule is broken.
fn regrand_sale(s: &mut Sale) {
    s.grand_total = s.items_total();
}

fn regrand_purchase(p: &mut Purchase) {
    p.grand_total = p.items_total();
}

/// `(case, change to a valid sale, the wire name the error must mention)`.
type SaleCase = (&'static str, fn(&mut Sale), &'static str);

#[rustfmt::skip]
const REFUSED_SALES: &[SaleCase] = &[
    ("empty reference", |s| s.reference_no = String::new(), "reference_no"),
    ("blank reference", |s| s.reference_no = " \t ".into(), "reference_no"),
    ("reference with CR/LF", |s| s.reference_no = "S-1\r\nX".into(), "reference_no"),
    ("reference with LF", |s| s.reference_no = "S-1\n".into(), "reference_no"),
    ("reference with NUL", |s| s.reference_no = "S-\u{0}1".into(), "reference_no"),
    ("reference with DEL", |s| s.reference_no = "S-\u{7f}".into(), "reference_no"),
    ("reference with ESC", |s| s.reference_no = "\u{1b}[2J".into(), "reference_no"),
    ("name with CR/LF", |s| s.customer_name = "Ada\r\nX-Evil: 1".into(), "customer_name"),
    ("name with NUL", |s| s.customer_name = "Ada\u{0}".into(), "customer_name"),
    ("email with LF", |s| s.customer_email = "ada@example.com\n".into(), "customer_email"),
    ("email with C1 control", |s| s.customer_email = "a\u{85}@x".into(), "customer_email"),
    ("no items", |s| { s.items.clear(); regrand_sale(s) }, "at least one item"),
    ("empty code", |s| s.items[0].code = String::new(), "items[0][code]"),
    ("blank code", |s| s.items[1].code = "   ".into(), "items[1][code]"),
    ("code with CR/LF", |s| s.items[0].code = "CM-1001\r\n".into(), "items[0][code]"),
    ("code with NUL", |s| s.items[1].code = "CM\u{0}1002".into(), "items[1][code]"),
    ("zero quantity", |s| s.items[0].qty = 0, "items[0][qty]"),
    ("unit price beyond a Double", |s| s.items[0].unit_price = money(dec!(0.1234567890123456)), "items[0][unit_price]"),
    ("discount beyond a Double", |s| { s.items[1].discount = money(dec!(1234567890123456)); s.items[1].total = money(dec!(1)); regrand_sale(s) }, "items[1][discount]"),
    ("line total beyond a Double", |s| { s.items[0].total = money(dec!(10.000000000000001)); regrand_sale(s) }, "items[0][total]"),
    ("shipping beyond a Double", |s| s.shipping_cost = money(dec!(-9999999999999999)), "shipping_cost"),
    ("total discount beyond a Double", |s| s.total_discount = money(dec!(1.0000000000000001)), "total_discount"),
    ("grand total off by a cent", |s| s.grand_total += money(dec!(0.01)), "does not match"),
    ("grand total without the items", |s| s.grand_total = money(dec!(0)), "does not match"),
    ("line total overflowing a decimal", |s| { s.items[0] = SaleItem::new("CM-1001", u32::MAX, money(Decimal::MAX)); regrand_sale(s) }, "items[0][total]"),
    ("negative overflow", |s| { s.items[0] = SaleItem::new("CM-1001", 1, money(Decimal::MIN)).with_discount(money(Decimal::MAX)); regrand_sale(s) }, "items[0][discount]"),
];

/// Odd but legal: no rule of the document refuses them (no maximum length, no sign for amounts,
/// any character but controls in a text that only travels in the body).
#[rustfmt::skip]
const ACCEPTED_SALES: &[SaleCase] = &[
    ("reference of 10,000 characters", |s| s.reference_no = "R".repeat(10_000), ""),
    ("reference with URL characters", |s| s.reference_no = "../S?1#2%41&x=y/".into(), ""),
    ("reference with spaces and Unicode", |s| s.reference_no = " Vente n° 7 — été ".into(), ""),
    ("name with a bracket key", |s| s.customer_name = "items[0][code]=X&token=Y".into(), ""),
    ("negative line total (a return)", |s| { s.items[1] = s.items[1].clone().with_total(money(dec!(-3.00))); regrand_sale(s) }, ""),
    ("15 significant digits", |s| { s.items[0].unit_price = money(dec!(1234567890.12345)); s.items[0].total = money(dec!(123456789012345)); regrand_sale(s) }, ""),
    ("trailing zeros beyond 15 digits", |s| s.shipping_cost = money(dec!(4.950000000000000000)), ""),
];

type PurchaseCase = (&'static str, fn(&mut Purchase), &'static str);

#[rustfmt::skip]
const REFUSED_PURCHASES: &[PurchaseCase] = &[
    ("empty reference", |p| p.reference_no = String::new(), "reference_no"),
    ("blank reference", |p| p.reference_no = "\u{3000}".into(), "reference_no"),
    ("reference with CR/LF", |p| p.reference_no = "GRN\r\n1".into(), "reference_no"),
    ("reference with NUL", |p| p.reference_no = "GRN\u{0}".into(), "reference_no"),
    ("no items", |p| { p.items.clear(); regrand_purchase(p) }, "at least one item"),
    ("empty code", |p| p.items[0].code = String::new(), "items[0][code]"),
    ("code with tab", |p| p.items[0].code = "CM\t1001".into(), "items[0][code]"),
    ("zero quantity", |p| p.items[0].qty = 0, "items[0][qty]"),
    ("unit cost beyond a Double", |p| p.items[0].unit_cost = money(dec!(4.1000000000000001)), "items[0][unit_cost]"),
    ("discount beyond a Double", |p| p.items[0].discount = money(dec!(99999999999999999)), "items[0][discount]"),
    ("grand total off", |p| p.grand_total = money(dec!(41.01)), "does not match"),
    ("grand total beyond a Double", |p| { p.items[0].total = money(dec!(41.000000000000001)); regrand_purchase(p) }, "items[0][total]"),
    ("line total overflowing a decimal", |p| { p.items[0] = PurchaseItem::new("CM-1001", 2, money(Decimal::MAX)); regrand_purchase(p) }, "items[0][total]"),
];

#[rustfmt::skip]
const ACCEPTED_PURCHASES: &[PurchaseCase] = &[
    ("reference with URL characters", |p| p.reference_no = "GRN/../?#%00".into(), ""),
    ("reference of 10,000 characters", |p| p.reference_no = "G".repeat(10_000), ""),
];

/// A catalogue that holds the codes the accepted cases use.
async fn sandbox() -> Sandbox {
    Sandbox::builder()
        .product(SandboxProduct::new("CM-1001", "Beans", dec!(40)))
        .product(SandboxProduct::new("CM-1002", "Milk", dec!(40)))
        .start()
        .await
        .unwrap()
}

fn refused(case: &str, err: &Error, mention: &str) {
    assert!(
        err.is_validation(),
        "{case}: not a validation error: {err:?}"
    );
    assert!(
        err.to_string().contains(mention),
        "{case}: the error does not name {mention:?}: {err}"
    );
}

#[tokio::test]
async fn invalid_sales_and_purchases_are_refused_before_anything_is_sent() {
    let sandbox = sandbox().await;
    for encoding in [BodyEncoding::Form, BodyEncoding::Json] {
        let client = sandbox
            .client_builder()
            .body_encoding(encoding)
            .build()
            .unwrap();
        for (case, change, mention) in REFUSED_SALES {
            let mut s = sale();
            change(&mut s);
            refused(case, &s.validate().unwrap_err(), mention);
            refused(case, &client.push_sale(&s).await.unwrap_err(), mention);
            // The builder path refuses it too (it recomputes grand_total, so skip that rule).
            if !mention.contains("does not match") {
                let b = Sale::builder(s.reference_no.clone())
                    .shipping_cost(s.shipping_cost)
                    .total_discount(s.total_discount)
                    .customer(&s.customer_name, &s.customer_email);
                let b = s.items.iter().cloned().fold(b, |b, i| b.item(i));
                refused(case, &b.build().unwrap_err(), mention);
            }
        }
        for (case, change, mention) in REFUSED_PURCHASES {
            let mut p = purchase();
            change(&mut p);
            refused(case, &p.validate().unwrap_err(), mention);
            refused(case, &client.push_purchase(&p).await.unwrap_err(), mention);
            if !mention.contains("does not match") {
                let b = Purchase::builder(p.reference_no.clone());
                let b = p.items.iter().cloned().fold(b, |b, i| b.item(i));
                refused(case, &b.build().unwrap_err(), mention);
            }
        }
        assert_eq!(
            sandbox.journal().requests().len(),
            0,
            "{encoding:?}: a refused call reached the server"
        );
    }
    assert!(sandbox.sales().is_empty() && sandbox.purchases().is_empty());
}

#[tokio::test]
async fn odd_but_legal_values_arrive_exactly_as_given() {
    let sandbox = sandbox().await;
    let mut expected_sales = Vec::new();
    let mut expected_purchases = Vec::new();
    for encoding in [BodyEncoding::Form, BodyEncoding::Json] {
        let client = sandbox
            .client_builder()
            .body_encoding(encoding)
            .build()
            .unwrap();
        for (i, (case, change, _)) in ACCEPTED_SALES.iter().enumerate() {
            let mut s = sale();
            // One reference per call (the sandbox refuses a repeated one), unless the case sets
            // its own; those get a suffix per encoding.
            s.reference_no = format!("S-{i}");
            change(&mut s);
            s.reference_no = format!("{}{encoding:?}", s.reference_no);
            let receipt = client.push_sale(&s).await;
            assert!(receipt.is_ok(), "{case}: {receipt:?}");
            expected_sales.push(s);
        }
        for (i, (case, change, _)) in ACCEPTED_PURCHASES.iter().enumerate() {
            let mut p = purchase();
            p.reference_no = format!("GRN-{i}");
            change(&mut p);
            p.reference_no = format!("{}{encoding:?}", p.reference_no);
            let receipt = client.push_purchase(&p).await;
            assert!(receipt.is_ok(), "{case}: {receipt:?}");
            expected_purchases.push(p);
        }
    }
    // The sandbox decoded exactly what was built: every text and amount survived the body.
    assert_eq!(sandbox.sales(), expected_sales);
    assert_eq!(sandbox.purchases(), expected_purchases);
    // The paths are fixed: no caller value ever reached a URL.
    let paths: Vec<String> = sandbox
        .journal()
        .requests()
        .into_iter()
        .map(|r| format!("{}?{:?}", r.path, r.query))
        .collect();
    assert!(
        paths
            .iter()
            .all(|p| p == "/api/push-sale?None" || p == "/api/push-purchase?None"),
        "{paths:?}"
    );
}

/// `(case, builder change)`: every one fails at `build` with a config error.
type BuilderCase = (&'static str, fn(ClientBuilder) -> ClientBuilder);

#[rustfmt::skip]
const REFUSED_BUILDERS: &[BuilderCase] = &[
    ("no token", |b| b),
    ("empty token", |b| b.token("")),
    ("blank token", |b| b.token(" \t")),
    ("token ending in a newline", |b| b.token("SeCrEt-1\n")),
    ("token with CR/LF", |b| b.token("SeCrEt-1\r\nX-Evil: 1")),
    ("token with NUL", |b| b.token("SeCrEt\u{0}1")),
    ("base URL not a URL", |b| b.token("t").base_url("not a url")),
    ("base URL empty", |b| b.token("t").base_url("")),
    ("base URL with a query", |b| b.token("t").base_url("https://cloudma.example/api/?x=1")),
    ("base URL with credentials", |b| b.token("t").base_url("https://u:p@cloudma.example/api/")),
    ("base URL plain http to a remote host", |b| b.token("t").base_url("http://cloudma.example/api/")),
    ("base URL with another scheme", |b| b.token("t").base_url("ftp://cloudma.example/api/")),
    ("zero timeout", |b| b.token("t").timeout(Duration::ZERO)),
    ("timeout over 300 s", |b| b.token("t").timeout(Duration::from_secs(301))),
    ("zero connect timeout", |b| b.token("t").connect_timeout(Duration::ZERO)),
];

#[test]
fn invalid_client_settings_are_refused_at_build() {
    for (case, change) in REFUSED_BUILDERS {
        // Start without a token: `ClientBuilder::new` has none.
        let err = change(ClientBuilder::new()).build().unwrap_err();
        assert!(
            matches!(err, Error::Config { .. }),
            "{case}: not a config error: {err:?}"
        );
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("SeCrEt"),
            "{case}: the token leaked: {shown}"
        );
    }
    // The environment path trims the value (a trailing newline from a secrets file is dropped)
    // and applies the same rules to what is inside; no error names the secret.
    let env = |token: &'static str| move |k: &str| (k == "CLOUDMA_TOKEN").then(|| token.to_owned());
    assert!(
        ClientBuilder::from_lookup(env("SeCrEt-2\r\n"))
            .unwrap()
            .build()
            .is_ok()
    );
    let err = ClientBuilder::from_lookup(env("SeCrEt\r\n-2"))
        .unwrap()
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("SeCrEt"));
}

#[tokio::test]
async fn a_refused_token_sends_nothing_and_a_good_one_works() {
    let sandbox = sandbox().await;
    assert!(sandbox.client_builder().token("tok\r\n").build().is_err());
    assert_eq!(sandbox.journal().requests().len(), 0);
    // The same sandbox answers a correctly configured client: the refusals above were the rules,
    // not a broken setup.
    sandbox.client().unwrap().sync_stock().await.unwrap();
    assert_eq!(sandbox.journal().hits("/api/sync-stock"), 1);
}
