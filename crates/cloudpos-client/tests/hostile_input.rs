//! Hostile input from callers (issue 13, item 5): every value a caller passes to the builder or
//! to an endpoint method.
//!
//! CloudPOS has one path (`/api/`): the licence name and token travel in the query of every
//! request, the URL filters too (numbers, dates, a flag), and the post filters (`weborderid`,
//! `documentnr`, `date`, `persons`) in a form body and again in the query. So the rules are: credentials without
//! control characters and of bounded length (they reach the URL), identifiers not blank and
//! without control characters (the server stores them), dates writable as `YYYY-MM-DD`, at
//! least one person, `start` not after `end`. Each refused case gives a typed error, sends
//! nothing (the journal stays empty), spends no quota and counts no bad login; each accepted
//! case shows an odd but legal value arriving exactly as given.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::future::Future;
use std::pin::Pin;

use cloudpos_client::client::{MAX_ID_CHARS, MAX_LICNAME_CHARS, MAX_TOKEN_CHARS};
use cloudpos_client::sandbox::{SANDBOX_LICNAME, SANDBOX_TOKEN, Sandbox};
use cloudpos_client::{
    Client, ClientBuilder, CouponFilter, Error, InvoiceFilter, NaiveDate, OrderFilter,
};

type Call<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + 'a>>;

fn date(y: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, 6, 1).unwrap()
}

/// Identifiers refused in `weborderid` and `documentnr`, with the wire name the error names.
#[rustfmt::skip]
fn bad_ids() -> Vec<(&'static str, String)> {
    vec![
        ("empty", String::new()),
        ("blank", " \t ".into()),
        ("ideographic space only", "\u{3000}".into()),
        ("CR/LF", "F1\r\nX-Evil: 1".into()),
        ("LF", "F1\n".into()),
        ("NUL", "F\u{0}1".into()),
        ("tab inside", "F\t1".into()),
        ("ESC", "\u{1b}[2J".into()),
        ("DEL", "F\u{7f}".into()),
        ("C1 control", "F\u{85}1".into()),
        ("over-long", "F".repeat(MAX_ID_CHARS + 1)),
    ]
}

/// Runs each case; every one must be a validation error with nothing sent and no quota spent.
async fn refused_unsent(sandbox: &Sandbox, client: &Client, cases: Vec<(String, Call<'_>)>) {
    let count = cases.len();
    for (name, case) in cases {
        let err = case.await.expect_err(&name);
        assert!(
            err.is_validation(),
            "{name}: expected validation, got {err:?}"
        );
        assert!(err.status().is_none() && err.code().is_none(), "{name}");
        assert!(
            sandbox.journal().requests().is_empty(),
            "{name}: a request was sent"
        );
    }
    assert_eq!(client.quota_used(), 0, "refusals spend no quota");
    assert_eq!(sandbox.requests_today(), 0);
    println!("{count} invalid calls refused, none sent");
}

#[tokio::test]
async fn every_function_refuses_invalid_input_before_sending() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let c = &client;
    let mut cases: Vec<(String, Call<'_>)> = Vec::new();

    for (name, id) in bad_ids() {
        let weborder = id.clone();
        cases.push((
            format!("weborderid {name}"),
            Box::pin(async move { c.confirmed_weborder(&weborder).await.map(drop) }),
        ));
        for function in ["invoice", "offer", "credit note"] {
            let nr = id.clone();
            cases.push((
                format!("{function} documentnr {name}"),
                Box::pin(async move {
                    match function {
                        "invoice" => c.invoice_signed(&nr).await,
                        "offer" => c.offer_signed(&nr).await,
                        _ => c.credit_note_signed(&nr).await,
                    }
                    .map(drop)
                }),
            ));
        }
    }

    // Dates the server could not read as YYYY-MM-DD.
    for (name, d) in [
        ("year 10000", date(10_000)),
        ("year 0", date(0)),
        ("year -1", date(-1)),
        ("max date", NaiveDate::MAX),
        ("min date", NaiveDate::MIN),
    ] {
        cases.push((
            format!("reservation persons {name}"),
            Box::pin(async move { c.reservation_persons(d).await.map(drop) }),
        ));
        cases.push((
            format!("reservation hours {name}"),
            Box::pin(async move { c.reservation_hours(d, 2).await.map(drop) }),
        ));
        cases.push((
            format!("orders date {name}"),
            Box::pin(async move { c.orders(&OrderFilter::new().date(d)).await.map(drop) }),
        ));
        cases.push((
            format!("invoices date {name}"),
            Box::pin(async move { c.invoices(&InvoiceFilter::new().date(d)).await.map(drop) }),
        ));
    }

    #[rustfmt::skip]
    let more: Vec<(&str, Call<'_>)> = vec![
        ("zero persons", Box::pin(async { c.reservation_hours(date(2026), 0).await.map(drop) })),
        ("orders start after end", Box::pin(async { c.orders(&OrderFilter::new().start(5).end(1)).await.map(drop) })),
        ("invoices start after end", Box::pin(async { c.invoices(&InvoiceFilter::new().start(9).end(8)).await.map(drop) })),
        ("coupons start after end", Box::pin(async { c.coupons(&CouponFilter::new().start(u64::MAX).end(0)).await.map(drop) })),
    ];
    cases.extend(more.into_iter().map(|(n, f)| (n.to_owned(), f)));
    refused_unsent(&sandbox, &client, cases).await;
}

#[tokio::test]
async fn builder_and_set_credentials_refuse_bad_settings_and_send_nothing() {
    let sandbox = Sandbox::start().await.unwrap();
    let good = || sandbox.client_builder();
    let secret = "tok\r\nX-Evil: 1";
    #[rustfmt::skip]
    let cases: Vec<(&str, Result<Client, Error>)> = vec![
        ("no credentials", Client::builder().base_url(sandbox.base_url()).build()),
        ("no token", Client::builder().base_url(sandbox.base_url()).licname("shop").build()),
        ("empty licname", good().credentials("", SANDBOX_TOKEN).build()),
        ("blank licname", good().credentials("  ", SANDBOX_TOKEN).build()),
        ("empty token", good().credentials(SANDBOX_LICNAME, "").build()),
        ("licname with CR/LF", good().credentials("shop\r\nX: 1", SANDBOX_TOKEN).build()),
        ("licname with NUL", good().credentials("shop\u{0}", SANDBOX_TOKEN).build()),
        ("token with CR/LF", good().credentials(SANDBOX_LICNAME, secret).build()),
        ("token with tab", good().credentials(SANDBOX_LICNAME, "tok\tx").build()),
        ("token with DEL", good().credentials(SANDBOX_LICNAME, "tok\u{7f}").build()),
        ("over-long licname", good().credentials("L".repeat(MAX_LICNAME_CHARS + 1), SANDBOX_TOKEN).build()),
        ("over-long token", good().credentials(SANDBOX_LICNAME, "T".repeat(MAX_TOKEN_CHARS + 1)).build()),
        ("daily quota 0", good().daily_quota(0).build()),
        ("base URL with a fragment", good().base_url(format!("{}#x", sandbox.base_url())).build()),
        ("base URL with a control character", good().base_url(format!("{}\u{7}", sandbox.base_url())).build()),
        ("base URL not a URL", good().base_url("not a url").build()),
        ("base URL with another scheme", good().base_url("ftp://127.0.0.1/api/").build()),
        ("env without variables", ClientBuilder::from_lookup(|_| None).and_then(ClientBuilder::build)),
        ("env with a CR/LF token", ClientBuilder::from_lookup(|name| match name {
            "CLOUDPOS_TOKEN" => Some(secret.to_owned()),
            "CLOUDPOS_BASE_URL" => Some("http://127.0.0.1/api/".to_owned()),
            _ => Some("shop".to_owned()),
        }).and_then(|b| b.allow_plain_http(true).build())),
    ];
    for (name, result) in cases {
        let err = result.expect_err(name);
        assert!(matches!(err, Error::Config { .. }), "{name}: {err:?}");
        let shown = format!("{err} {err:?}");
        assert!(
            !shown.contains("tok\r") && !shown.contains(SANDBOX_TOKEN),
            "{name}: the error shows the token: {shown}"
        );
    }

    // set_credentials: the same rules; the credentials in force stay.
    let client = good().build().unwrap();
    #[rustfmt::skip]
    let replacements: [(&str, String, String); 6] = [
        ("empty licname", String::new(), SANDBOX_TOKEN.into()),
        ("blank token", SANDBOX_LICNAME.into(), " ".into()),
        ("licname with LF", "shop\n".into(), SANDBOX_TOKEN.into()),
        ("token with CR/LF", SANDBOX_LICNAME.into(), secret.into()),
        ("over-long licname", "L".repeat(MAX_LICNAME_CHARS + 1), SANDBOX_TOKEN.into()),
        ("over-long token", SANDBOX_LICNAME.into(), "T".repeat(MAX_TOKEN_CHARS + 1)),
    ];
    for (name, licname, token) in replacements {
        let err = client.set_credentials(licname, token).expect_err(name);
        assert!(matches!(err, Error::Config { .. }), "{name}: {err:?}");
        assert!(!format!("{err} {err:?}").contains("tok\r"), "{name}");
    }
    assert!(sandbox.journal().requests().is_empty());
    assert_eq!(client.quota_used(), 0);
    // The credentials in force are unchanged: the next call logs in.
    assert!(!client.categories().await.unwrap().is_empty());
    assert_eq!(sandbox.bad_logins(), 0);
    assert!(client.lockout().is_none());
}

#[tokio::test]
async fn odd_but_legal_values_arrive_exactly_as_given() {
    // A licence name and token with every URL character: percent-encoded into the query, so
    // the server reads them back whole and the function flag stays its own parameter.
    let licname = "shop &x=1#?/../%41";
    let token = "t+k/=?#&%";
    let sandbox = Sandbox::builder()
        .credentials(licname, token)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().unwrap();
    assert!(!client.categories().await.unwrap().is_empty());
    let sent = sandbox.journal().requests();
    assert_eq!(sent[0].path, "/api/");
    assert_eq!(
        sent[0].query.as_deref(),
        Some(
            "licname=shop%20%26x%3D1%23%3F%2F..%2F%2541&token=t%2Bk%2F%3D%3F%23%26%25&get-categories"
        )
    );

    // Identifiers with URL characters travel in the form body and the query, whole.
    let odd = "../W?1#2%41&x=y/";
    sandbox.confirm_weborder(odd, "2026-06-01 18:30");
    let confirmed = client.confirmed_weborder(odd).await.unwrap();
    assert_eq!(confirmed.weborder_time.as_deref(), Some("2026-06-01 18:30"));
    let longest = "D".repeat(MAX_ID_CHARS);
    let err = client.invoice_signed(&longest).await.unwrap_err();
    assert!(!err.is_validation(), "{err:?}");
    let err = client.offer_signed(odd).await.unwrap_err();
    assert!(!err.is_validation(), "{err:?}");
    let sent = sandbox.journal().requests();
    assert_eq!(
        sent[1].form_pairs().last().unwrap(),
        &("weborderid".into(), odd.into())
    );
    assert_eq!(
        sent[2].param("documentnr").as_deref(),
        Some(longest.as_str())
    );
    assert_eq!(sent[3].param("documentnr").as_deref(), Some(odd));
    // The query carries the same value, percent-encoded, after the function flag: the `&`
    // and `=` inside it add no parameter.
    let in_query = |r: &cloudpos_client::sandbox::RecordedRequest, key: &str| {
        let pairs = r.query_pairs();
        assert_eq!(pairs.len(), 4, "{:?}", r.query);
        pairs.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
    };
    assert_eq!(
        sent[1].query.as_deref(),
        Some(
            "licname=shop%20%26x%3D1%23%3F%2F..%2F%2541&token=t%2Bk%2F%3D%3F%23%26%25&get-confirmedweborder&weborderid=..%2FW%3F1%232%2541%26x%3Dy%2F"
        )
    );
    assert_eq!(in_query(&sent[1], "weborderid").as_deref(), Some(odd));
    assert_eq!(
        in_query(&sent[2], "documentnr").as_deref(),
        Some(longest.as_str())
    );
    assert_eq!(in_query(&sent[3], "documentnr").as_deref(), Some(odd));

    // The edges of the date range are written with four digits.
    let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
    client.reservation_hours(first, u32::MAX).await.unwrap();
    let _ = client.orders(&OrderFilter::new().date(last)).await.unwrap();
    let sent = sandbox.journal().requests();
    assert_eq!(sent[4].param("date").as_deref(), Some("0001-01-01"));
    assert_eq!(sent[4].param("persons").as_deref(), Some("4294967295"));
    assert_eq!(sent[5].param("date").as_deref(), Some("9999-12-31"));
    assert_eq!(client.quota_used(), 6);
}
