//! Hostile input from callers (issue 13, item 5): every builder setting and endpoint method that
//! takes a caller's value, driven with values that must be refused before anything is sent.
//!
//! The document gives no lengths, no decimal scales and no dates, so the rules are: its own
//! ("required", units greater than 0, debt greater than 0, max debt and buy price not negative,
//! payment and debt methods from its lists), ids safe as one URL path segment (no `/`, `?`, `#`,
//! `%`, `.`/`..`, control characters; at most 255 characters), query and header values without
//! control characters, and no control characters in identifiers and one-line texts the server
//! stores (notes may hold line breaks). Each refused case must give a validation error and leave
//! the sandbox journal empty; each accepted id shows the exact percent-encoded path received.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;

use suppliers_client::models::{DebtMethod, NewSupplier, PaymentMethod, Reason};
use suppliers_client::sandbox::{
    OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Sandbox, TEST_PASSWORD, TEST_TOKEN, TEST_USER,
};
use suppliers_client::{
    Client, ClientBuilder, ContactInfo, Decimal, EditTrans, Error, ImportItem, Payment, ProductRef,
    SupplierFilter, TempPurchase,
};

type Call = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;
/// `(case, the call, a text the error message must contain)`.
type Case = (&'static str, fn(Client, TempPurchase) -> Call, &'static str);
/// A method taking an id for the path.
type IdCall = fn(Client, String) -> Call;

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn new_supplier(name: &str) -> NewSupplier {
    NewSupplier {
        name: name.to_owned(),
        phone: None,
        region: None,
        city: None,
        address: None,
    }
}

fn item(reference: &str, units: &str, pricebuy: Option<&str>) -> ImportItem {
    ImportItem {
        reference: reference.to_owned(),
        units: d(units),
        pricebuy: pricebuy.map(d),
    }
}

/// Wraps an async block as a [`Call`], dropping the method's success value.
macro_rules! call {
    (|$c:ident, $t:ident| $body:expr) => {
        |$c: Client, $t: TempPurchase| -> Call {
            #[allow(unused_variables, unused_mut)]
            let mut $t = $t;
            let _ = &$c;
            Box::pin(async move { $body.await.map(|_| ()) })
        }
    };
}

/// Ids that would change or escape the URL path, or are too long for one.
const BAD_IDS: &[(&str, &str)] = &[
    ("empty", ""),
    ("blank", "  \t "),
    ("parent", "../1"),
    ("dot-dot", ".."),
    ("dot", "."),
    ("slash", "1/2"),
    ("query", "1?visible=N"),
    ("fragment", "1#x"),
    ("percent", "1%2F2"),
    ("CR/LF", "1\r\nX-Evil: 1"),
    ("NUL", "1\u{0}"),
    ("DEL", "1\u{7f}"),
];

#[rustfmt::skip]
const REFUSED: &[Case] = &[
    // Supplier reads and writes by id are covered by BAD_IDS below; these are the other values.
    ("filter name with CR/LF", call!(|c, t| c.list_suppliers(&SupplierFilter { name: Some("An\r\nX".into()), ..Default::default() })), "name"),
    ("filter name with NUL", call!(|c, t| c.list_suppliers(&SupplierFilter { name: Some("\u{0}".into()), ..Default::default() })), "name"),
    ("filter name of 1,001 characters", call!(|c, t| c.list_suppliers(&SupplierFilter { name: Some("n".repeat(1_001)), ..Default::default() })), "name"),
    ("filter page 0", call!(|c, t| c.list_suppliers(&SupplierFilter { page: Some(0), ..Default::default() })), "page"),
    ("filter page_size 0", call!(|c, t| c.list_suppliers(&SupplierFilter { page_size: Some(0), ..Default::default() })), "page_size"),
    ("temp list page 0", call!(|c, t| c.list_temp_purchases(Some(0))), "page"),
    ("create: empty name", call!(|c, t| c.create_supplier(&new_supplier(""))), "name"),
    ("create: blank name", call!(|c, t| c.create_supplier(&new_supplier("\u{3000} "))), "name"),
    ("create: name with CR/LF", call!(|c, t| c.create_supplier(&new_supplier("NCC\r\n1"))), "name"),
    ("create: name with ESC", call!(|c, t| c.create_supplier(&new_supplier("\u{1b}[2J"))), "name"),
    ("create: phone with LF", call!(|c, t| c.create_supplier(&NewSupplier { phone: Some("090\n1".into()), ..new_supplier("NCC") })), "phone"),
    ("create: address with NUL", call!(|c, t| c.create_supplier(&NewSupplier { address: Some("1 Xuân Thủy\u{0}".into()), ..new_supplier("NCC") })), "address"),
    ("editName: empty", call!(|c, t| c.edit_supplier_name("1", "")), "name"),
    ("editName: CR/LF", call!(|c, t| c.edit_supplier_name("1", "A\r\nB")), "name"),
    ("editCode: blank searchkey", call!(|c, t| c.edit_supplier_code("1", " ", "0101")), "searchkey"),
    ("editCode: blank taxid", call!(|c, t| c.edit_supplier_code("1", "NCC1", "")), "taxid"),
    ("editCode: taxid with LF", call!(|c, t| c.edit_supplier_code("1", "NCC1", "01\n01")), "taxid"),
    ("editMaxDebt: negative", call!(|c, t| c.edit_supplier_max_debt("1", d("-0.01"))), "maxdebt"),
    ("updateCurdebt: zero", call!(|c, t| c.update_supplier_debt("1", DebtMethod::Debt, Decimal::ZERO, None)), "debt"),
    ("updateCurdebt: negative", call!(|c, t| c.update_supplier_debt("1", DebtMethod::DebtPaid, d("-5"), None)), "debt"),
    ("updateCurdebt: unknown method", call!(|c, t| c.update_supplier_debt("1", DebtMethod::Unknown("gift".into()), d("5"), None)), "payment_method"),
    ("updateCurdebt: note with NUL", call!(|c, t| c.update_supplier_debt("1", DebtMethod::Debt, d("5"), Some("a\u{0}b"))), "note"),
    ("editContactInfo: nothing set", call!(|c, t| c.edit_supplier_contact("1", &ContactInfo::default())), "at least one"),
    ("editContactInfo: phone with CR/LF", call!(|c, t| c.edit_supplier_contact("1", &ContactInfo { phone: Some("090\r\n".into()), ..Default::default() })), "phone"),
    ("editContactInfo: city with tab", call!(|c, t| c.edit_supplier_contact("1", &ContactInfo { city: Some("Cầu\tGiấy".into()), ..Default::default() })), "city"),
    ("addLine: zero units", call!(|c, t| t.add_line(ProductRef::Code("SP001".into()), Decimal::ZERO)), "units"),
    ("addLine: negative units", call!(|c, t| t.add_line(ProductRef::Id("101".into()), d("-1"))), "units"),
    ("addLine: blank product code", call!(|c, t| t.add_line(ProductRef::Code(" ".into()), d("1"))), "product_code"),
    ("addLine: product id with CR/LF", call!(|c, t| t.add_line(ProductRef::Id("101\r\n".into()), d("1"))), "product_id"),
    ("editTrans: blank location", call!(|c, t| t.edit_trans(&EditTrans { location_id: Some("".into()), ..Default::default() })), "location_id"),
    ("editTrans: supplier with LF", call!(|c, t| t.edit_trans(&EditTrans { supplier_id: Some("1\n".into()), ..Default::default() })), "supplier_id"),
    ("editTrans: business with NUL", call!(|c, t| t.edit_trans(&EditTrans { business_id: Some("10\u{0}".into()), ..Default::default() })), "business_id"),
    ("editTrans: unknown reason", call!(|c, t| t.edit_trans(&EditTrans { reason: Some(Reason::Unknown("gift".into())), ..Default::default() })), "reason"),
    ("editTrans: note with ESC", call!(|c, t| t.edit_trans(&EditTrans { note: Some("\u{1b}]0;x".into()), ..Default::default() })), "note"),
    ("editUnits: zero", call!(|c, t| t.edit_units("1", Decimal::ZERO)), "units"),
    ("editUnits: blank line", call!(|c, t| t.edit_units(" ", d("1"))), "line_id"),
    ("editUnits: line with CR/LF", call!(|c, t| t.edit_units("1\r\n", d("1"))), "line_id"),
    ("editPricebuy: negative", call!(|c, t| t.edit_pricebuy("1", d("-0.5"))), "pricebuy"),
    ("editPricebuy: line with NUL", call!(|c, t| t.edit_pricebuy("\u{0}", d("1"))), "line_id"),
    ("editUpdateProduct: empty line", call!(|c, t| t.edit_update_product("", true, false)), "line_id"),
    ("deleteLine: line with LF", call!(|c, t| t.delete_line("\n")), "line_id"),
    ("importProduct: no items", call!(|c, t| t.import_products(&[])), "at least one"),
    ("importProduct: blank reference", call!(|c, t| t.import_products(&[item(" ", "1", None)])), "reference"),
    ("importProduct: reference with CR/LF", call!(|c, t| t.import_products(&[item("SP001\r\n", "1", None)])), "reference"),
    ("importProduct: zero units", call!(|c, t| t.import_products(&[item("SP001", "2", None), item("SP002", "0", None)])), "units"),
    ("importProduct: negative price", call!(|c, t| t.import_products(&[item("SP001", "1", Some("-1"))])), "pricebuy"),
    ("forwardTrans: blank person", call!(|c, t| t.forward(" ")), "person_id"),
    ("forwardTrans: person with CR/LF", call!(|c, t| t.forward("2\r\n")), "person_id"),
    ("placeOrder: unknown method", call!(|c, t| t.place_order(Payment { method: PaymentMethod::Unknown("card".into()), note: None })), "payment_method"),
    ("placeOrder: note with NUL", call!(|c, t| t.place_order(Payment::cash().with_note("x\u{0}"))), "payment_note"),
];

/// Every method taking an id for the path, each driven with every [`BAD_IDS`] value.
#[rustfmt::skip]
const ID_METHODS: &[(&str, IdCall)] = &[
    ("supplier", |c, id| Box::pin(async move { c.supplier(&id).await.map(|_| ()) })),
    ("delete_supplier", |c, id| Box::pin(async move { c.delete_supplier(&id).await })),
    ("edit_supplier_name", |c, id| Box::pin(async move { c.edit_supplier_name(&id, "A").await })),
    ("edit_supplier_code", |c, id| Box::pin(async move { c.edit_supplier_code(&id, "K", "T").await })),
    ("edit_supplier_visible", |c, id| Box::pin(async move { c.edit_supplier_visible(&id, true).await })),
    ("edit_supplier_max_debt", |c, id| Box::pin(async move { c.edit_supplier_max_debt(&id, Decimal::ONE).await })),
    ("update_supplier_debt", |c, id| Box::pin(async move { c.update_supplier_debt(&id, DebtMethod::Debt, Decimal::ONE, None).await })),
    ("edit_supplier_contact", |c, id| Box::pin(async move { c.edit_supplier_contact(&id, &ContactInfo { phone: Some("1".into()), ..Default::default() }).await })),
    ("temp_purchase", |c, id| Box::pin(async move { c.temp_purchase(&id).await.map(|_| ()) })),
    ("activate_trans", |c, id| Box::pin(async move { c.activate_trans(&id).await.map(|_| ()) })),
    ("create_new_trans", |c, id| Box::pin(async move { c.create_new_trans(&id).await.map(|_| ()) })),
    ("delete_temp_purchase", |c, id| Box::pin(async move { c.delete_temp_purchase(&id).await.map(|_| ()) })),
    ("place_order", |c, id| Box::pin(async move { c.place_order(&id, &Payment::cash()).await.map(|_| ()) })),
];

async fn setup() -> (Sandbox, Client, TempPurchase) {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let trans = client.claim_current().await.unwrap();
    sandbox.journal().clear();
    (sandbox, client, trans)
}

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

#[tokio::test]
async fn bad_values_are_refused_before_sending() {
    let (sandbox, client, trans) = setup().await;
    for (case, f, needle) in REFUSED {
        let result = f(client.clone(), trans.clone()).await;
        assert_refused(case, result, needle, &sandbox);
    }
}

#[tokio::test]
async fn unsafe_ids_are_refused_by_every_method() {
    let (sandbox, client, _trans) = setup().await;
    let long = "9".repeat(256);
    let ids = BAD_IDS
        .iter()
        .map(|(name, id)| (*name, (*id).to_owned()))
        .chain([("256 characters", long)]);
    for (what, id) in ids {
        for (method, f) in ID_METHODS {
            let case = format!("{method}({what})");
            let result = f(client.clone(), id.clone()).await;
            assert_refused(&case, result, "id", &sandbox);
        }
    }
}

#[tokio::test]
async fn other_ids_are_percent_encoded_into_the_path() {
    let (sandbox, client, _trans) = setup().await;
    let cases = [
        ("a b", "/suppliers/a%20b"),
        ("Kho+1", "/suppliers/Kho%2B1"),
        ("ç&x=y", "/suppliers/%C3%A7%26x%3Dy"),
        ("1;2", "/suppliers/1%3B2"),
        ("v1.2_~x", "/suppliers/v1.2_~x"),
    ];
    for (id, path) in cases {
        sandbox.journal().clear();
        // The sandbox knows no such supplier: what matters is the path it received.
        let err = client.supplier(id).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{id:?}");
        let sent = sandbox.journal().requests();
        assert_eq!(sent.len(), 1, "{id:?}");
        assert_eq!(sent[0].path, path, "{id:?}");
    }
    // The longest id allowed is sent.
    sandbox.journal().clear();
    let id = "7".repeat(255);
    let _ = client.temp_purchase(&id).await;
    let sent = sandbox.journal().requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].path, format!("/supplier-purchase-temp/{id}"));
}

#[tokio::test]
async fn notes_keep_line_breaks() {
    let (sandbox, client, _trans) = setup().await;
    client
        .update_supplier_debt(
            "1",
            DebtMethod::Debt,
            d("1000"),
            Some("dòng 1\r\ndòng 2\tx"),
        )
        .await
        .unwrap();
    let sent = sandbox.journal().requests();
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0]
            .body_text()
            .contains(r#""note":"dòng 1\r\ndòng 2\tx""#)
    );
}

type BuilderCase = (&'static str, fn(ClientBuilder) -> ClientBuilder);

#[rustfmt::skip]
const REFUSED_BUILDERS: &[BuilderCase] = &[
    ("no authorization", |b| b),
    ("empty token", |b| b.bearer_token("")),
    ("token with CR/LF", |b| b.bearer_token("tok3n\r\nX-Evil: 1")),
    ("token with NUL", |b| b.bearer_token("tok3n\u{0}")),
    ("token of 1,001 characters", |b| b.bearer_token("t".repeat(1_001))),
    ("Basic user empty", |b| b.basic_auth("", TEST_PASSWORD)),
    ("Basic user with ':'", |b| b.basic_auth("a:b", TEST_PASSWORD)),
    ("Basic user with LF", |b| b.basic_auth("an\n", TEST_PASSWORD)),
    ("Digest user with CR", |b| b.digest_auth("an\r", TEST_PASSWORD)),
    ("OAuth2 user with NUL", |b| b.oauth2_password(OAUTH_CLIENT_ID, None, "an\u{0}", TEST_PASSWORD)),
    ("OAuth2 client id empty", |b| b.oauth2_client_credentials(" ", None)),
    ("OAuth2 client id with CR/LF", |b| b.oauth2_client_credentials("c\r\nX: 1", None)),
    ("OAuth2 secret with LF", |b| b.oauth2_client_credentials(OAUTH_CLIENT_ID, Some("s3cr3t\n".into()))),
    ("OAuth2 token path with LF", |b| b.oauth2_client_credentials(OAUTH_CLIENT_ID, None).oauth2_token_path("oauth\n")),
    ("OAuth2 token path with a fragment", |b| b.oauth2_client_credentials(OAUTH_CLIENT_ID, None).oauth2_token_path("oauth#x")),
    ("OAuth2 token path empty", |b| b.oauth2_client_credentials(OAUTH_CLIENT_ID, None).oauth2_token_path("")),
    ("base URL with CR/LF", |b| b.base_url("http://127.0.0.1:1/\r\nX: 1").bearer_token(TEST_TOKEN)),
    ("base URL with a fragment", |b| b.base_url("http://127.0.0.1:1/#x").bearer_token(TEST_TOKEN)),
    ("Content-Type HAL", |b| b.bearer_token(TEST_TOKEN).content_type(suppliers_client::MediaType::Hal)),
];

#[tokio::test]
async fn bad_builder_settings_are_refused_at_build() {
    let sandbox = Sandbox::start().await.unwrap();
    let secrets = [
        "tok3n",
        "Evil",
        "s3cr3t",
        "ttttt",
        TEST_PASSWORD,
        OAUTH_CLIENT_SECRET,
    ];
    for (case, f) in REFUSED_BUILDERS {
        let err = f(sandbox.client_builder()).build().expect_err(case);
        assert!(
            matches!(err, Error::Config { .. }),
            "{case}: not a config error: {err:?}"
        );
        let shown = format!("{err} {err:?}");
        for s in secrets {
            assert!(!shown.contains(s), "{case}: {shown} shows {s:?}");
        }
    }
    // A valid client of each kind still builds, and nothing was ever sent.
    for b in [
        sandbox.client_builder().bearer_token(TEST_TOKEN),
        sandbox
            .client_builder()
            .basic_auth(TEST_USER, TEST_PASSWORD),
        sandbox
            .client_builder()
            .oauth2_client_credentials(OAUTH_CLIENT_ID, Some(OAUTH_CLIENT_SECRET.into())),
    ] {
        b.build().unwrap();
    }
    assert!(sandbox.journal().requests().is_empty());
}

#[tokio::test]
async fn from_lookup_refuses_a_bad_token_without_showing_it() {
    let lookup = |name: &str| match name {
        "SUPPLIERS_BASE_URL" => Some("http://127.0.0.1:1/".to_owned()),
        "SUPPLIERS_TOKEN" => Some("tok\r\nX-Evil: 1".to_owned()),
        _ => None,
    };
    let err = ClientBuilder::from_lookup(lookup)
        .unwrap()
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("Evil"));
}
