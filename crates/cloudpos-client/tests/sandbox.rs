//! Flows against the embedded sandbox: every function, the filters, the envelopes, bad-login
//! blocking, the daily limit, and faults injected through the kit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use cloudpos_client::chrono::Timelike;
use cloudpos_client::chrono::{DateTime, Utc};
use cloudpos_client::models::{DocType, TableStatus, TagType};
use cloudpos_client::sandbox::{Envelope, Fault, Sandbox};
use cloudpos_client::{
    CouponFilter, Error, ErrorCode, InvoiceFilter, Money, NaiveDate, OrderFilter,
    PaymentMethodKind, Refusal, RetryPolicy,
};

fn today(sandbox: &Sandbox) -> NaiveDate {
    sandbox.today()
}

/// A date that is not a Monday (the sandbox's closing day).
fn open_day(sandbox: &Sandbox) -> NaiveDate {
    use cloudpos_client::NaiveDate as D;
    let mut d: D = today(sandbox) + chrono_days(1);
    while d.format("%a").to_string() == "Mon" {
        d += chrono_days(1);
    }
    d
}

fn chrono_days(n: i64) -> cloudpos_client::chrono::Duration {
    cloudpos_client::chrono::Duration::days(n)
}

#[tokio::test]
async fn every_function_answers_with_seeded_data() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();

    let categories = client.categories().await.unwrap();
    let products = client.products().await.unwrap();
    assert_eq!(categories.len(), 3);
    assert_eq!(products.len(), 6);
    assert!(
        products
            .iter()
            .all(|p| categories.iter().any(|c| Some(c.id) == p.category_id))
    );
    let subs = client.subproducts().await.unwrap();
    assert_eq!(subs[1].product_ids, [11, 15]);
    let customers = client.customers().await.unwrap();
    assert_eq!(customers[1].tag_type(), Some(TagType::Rfid));
    assert_eq!(customers[2].tag_type(), None);
    let users = client.users().await.unwrap();
    assert_eq!(users[0].admin, Some(true));
    assert!(!format!("{users:?}").contains("85.07.30"));
    let tables = client.tables().await.unwrap();
    assert_eq!(tables[2].status, Some(TableStatus::AwaitingPayment));
    assert_eq!(client.payment_methods().await.unwrap().len(), 5);
    assert_eq!(client.printers().await.unwrap().len(), 2);
    let orders = client.orders(&OrderFilter::new()).await.unwrap();
    assert_eq!(orders.len(), 5);
    let invoices = client.invoices(&InvoiceFilter::new()).await.unwrap();
    assert_eq!(
        invoices
            .iter()
            .map(|i| i.doc_type.clone().unwrap())
            .collect::<Vec<_>>(),
        [DocType::Invoice, DocType::Quote, DocType::CreditNote]
    );
    assert_eq!(client.gift_vouchers().await.unwrap().len(), 2);
    assert_eq!(client.coupons(&CouponFilter::new()).await.unwrap().len(), 3);
    assert_eq!(client.customer_credits(None).await.unwrap().len(), 2);

    let confirmed = client.confirmed_weborder("W1001").await.unwrap();
    assert_eq!(confirmed.time().unwrap().date(), today(&sandbox));
    assert_eq!(
        client
            .invoice_signed("F2026-001")
            .await
            .unwrap()
            .vat_ticket
            .as_deref(),
        Some("VT000001")
    );
    assert_eq!(
        client
            .offer_signed("O2026-001")
            .await
            .unwrap()
            .vat_ticket
            .as_deref(),
        Some("VT000002")
    );
    assert_eq!(
        client
            .credit_note_signed("C2026-001")
            .await
            .unwrap()
            .vat_ticket
            .as_deref(),
        Some("VT000003")
    );
    let day = open_day(&sandbox);
    assert_eq!(
        client.reservation_persons(day).await.unwrap(),
        (1..=8).collect::<Vec<u32>>()
    );
    assert_eq!(
        client.reservation_hours(day, 6).await.unwrap(),
        ["12:00", "18:30", "19:00"]
    );

    assert_eq!(client.quota_used(), 19);
    assert_eq!(sandbox.requests_today(), 19);
    assert_eq!(sandbox.journal().requests().len(), 19);
}

#[tokio::test]
async fn the_documented_filters_select_records() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let today = today(&sandbox);

    let todays = client
        .orders(&OrderFilter::new().date(today))
        .await
        .unwrap();
    assert_eq!(
        todays.iter().map(|o| o.id).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
    let range = client
        .orders(&OrderFilter::new().start(2).end(3))
        .await
        .unwrap();
    assert_eq!(range.iter().map(|o| o.id).collect::<Vec<_>>(), [2, 3]);
    let clock = client
        .orders(&OrderFilter::new().clock_in_out(true))
        .await
        .unwrap();
    assert_eq!(clock.iter().map(|o| o.id).collect::<Vec<_>>(), [4]);
    assert!(clock[0].is_clock_record());

    let invoices = client
        .invoices(&InvoiceFilter::new().date(today))
        .await
        .unwrap();
    assert_eq!(invoices.iter().map(|i| i.id).collect::<Vec<_>>(), [3]);
    assert_eq!(invoices[0].expiration_date, None, "0000-00-00 is absent");
    let coupons = client
        .coupons(&CouponFilter::new().start(2).end(3))
        .await
        .unwrap();
    assert_eq!(coupons.iter().map(|c| c.id).collect::<Vec<_>>(), [2, 3]);

    let balances = client.customer_credits(None).await.unwrap();
    assert_eq!(balances[0].value, Some("25.50".parse().unwrap()));
    let top_ups = client.customer_credits(Some(1)).await.unwrap();
    assert_eq!(top_ups.len(), 2);
    assert_eq!(
        top_ups.iter().map(|c| c.value.unwrap()).sum::<Money>(),
        balances[0].value.unwrap()
    );

    // An empty result is 2000 on the wire and an empty list for the caller.
    let nothing = client
        .orders(&OrderFilter::new().start(100).end(200))
        .await
        .unwrap();
    assert!(nothing.is_empty());
    let last = sandbox.journal().requests().pop().unwrap();
    assert_eq!(
        last.query.as_deref(),
        Some("licname=demo-shop&token=cp-sandbox-token-0001&get-orders&start=100&end=200")
    );
}

#[tokio::test]
async fn todays_orders_flatten_into_lines_and_payment_totals() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let orders = client
        .orders(&OrderFilter::new().date(today(&sandbox)))
        .await
        .unwrap();
    let order = orders.iter().find(|o| o.id == 2).unwrap();
    assert_eq!(order.lines[0].subproducts.len(), 2, "the 0 slot is dropped");
    assert_eq!(order.lines[0].total(), "7.20".parse().unwrap());
    assert_eq!(order.lines_total(), order.total_price.unwrap());
    for o in &orders {
        assert_eq!(o.payments.total(), o.total_price.unwrap(), "order {}", o.id);
    }
    let totals: cloudpos_client::Payments = orders.iter().map(|o| o.payments).sum();
    assert_eq!(totals.total(), "37.10".parse().unwrap());
    assert_eq!(
        totals.get(PaymentMethodKind::Bancontact),
        "11.70".parse().unwrap()
    );
    assert_eq!(
        totals.get(PaymentMethodKind::LuncheonCard),
        "6.40".parse().unwrap()
    );
}

#[tokio::test]
async fn every_envelope_the_sandbox_can_send_decodes_alike() {
    let mut seen = Vec::new();
    for envelope in [
        Envelope::Data,
        Envelope::FunctionName,
        Envelope::Noun,
        Envelope::BareArray,
        Envelope::KeyedById,
    ] {
        let sandbox = Sandbox::builder().envelope(envelope).start().await.unwrap();
        let client = sandbox.client().unwrap();
        let products = client.products().await.unwrap();
        let orders = client.orders(&OrderFilter::new()).await.unwrap();
        seen.push((products, orders));
    }
    assert!(seen.windows(2).all(|w| w[0] == w[1]));
}

#[tokio::test]
async fn post_filters_and_their_error_codes() {
    let sandbox = Sandbox::builder()
        .without_module("get-reservationhours")
        .start()
        .await
        .unwrap();
    let client = sandbox.client().unwrap();
    let code = |e: Error| e.code().cloned();
    assert_eq!(
        code(client.confirmed_weborder("W1002").await.unwrap_err()),
        Some(ErrorCode::WeborderNotConfirmed)
    );
    assert_eq!(
        code(client.confirmed_weborder("W9").await.unwrap_err()),
        Some(ErrorCode::WeborderIdUnknown)
    );
    sandbox.confirm_weborder("W1002", "2026-11-25 19:00");
    assert_eq!(
        client
            .confirmed_weborder("W1002")
            .await
            .unwrap()
            .time()
            .unwrap()
            .to_string(),
        "2026-11-25 19:00:00"
    );
    assert_eq!(
        code(client.invoice_signed("F2026-999").await.unwrap_err()),
        Some(ErrorCode::DocumentNrInUse)
    );
    assert_eq!(
        code(client.offer_signed("F2026-001").await.unwrap_err()),
        Some(ErrorCode::NotFound)
    );
    assert_eq!(
        code(
            client
                .reservation_hours(open_day(&sandbox), 2)
                .await
                .unwrap_err()
        ),
        Some(ErrorCode::NoLicense)
    );
    // A Monday is closed: 2000 is an empty list.
    let mut monday = today(&sandbox);
    while monday.format("%a").to_string() != "Mon" {
        monday += chrono_days(1);
    }
    assert!(client.reservation_persons(monday).await.unwrap().is_empty());
    // Post filters travel in a form body of a POST and again in the query after the
    // credentials and the flag.
    let last = sandbox.journal().requests().pop().unwrap();
    let date = format!("date={}", monday.format("%Y-%m-%d"));
    assert_eq!(last.method.as_str(), "POST");
    assert_eq!(last.body_text(), date);
    assert_eq!(
        last.query.as_deref(),
        Some(
            format!("licname=demo-shop&token=cp-sandbox-token-0001&get-reservationpersons&{date}")
                .as_str()
        )
    );
    // The sandbox reads post filters only from the body, like PHP's $_POST.
    assert!(client.lockout().is_none());
}

/// A raw request to the sandbox: `method`, the sandbox's credentials and `function` (plus
/// `extra`) in the query, `form` as an `application/x-www-form-urlencoded` body. The JSON answer.
async fn raw(
    sandbox: &Sandbox,
    method: reqwest::Method,
    function: &str,
    extra: &str,
    form: &str,
) -> serde_json::Value {
    let url = format!(
        "{}?licname=demo-shop&token=cp-sandbox-token-0001&{function}{extra}",
        sandbox.base_url()
    );
    let body = reqwest::Client::new()
        .request(method, url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap()
}

#[tokio::test]
async fn post_filters_are_read_only_from_a_post_like_phps_post() {
    let sandbox = Sandbox::start().await.unwrap();
    let day = open_day(&sandbox).format("%Y-%m-%d").to_string();
    let cases = [
        (
            "get-confirmedweborder",
            "weborderid=W1001".to_owned(),
            2002,
            "weborderid can not be empty",
        ),
        (
            "get-invoicesigned",
            "documentnr=F2026-001".to_owned(),
            2001,
            "Document nr can not be empty",
        ),
        (
            "get-offersigned",
            "documentnr=O2026-001".to_owned(),
            2001,
            "Document nr can not be empty",
        ),
        (
            "get-creditnotesigned",
            "documentnr=C2026-001".to_owned(),
            2001,
            "Document nr can not be empty",
        ),
        (
            "get-reservationpersons",
            format!("date={day}"),
            2001,
            "Date can not be empty",
        ),
        (
            "get-reservationhours",
            format!("date={day}&persons=2"),
            2001,
            "Date can not be empty",
        ),
    ];
    for (function, form, code, message) in &cases {
        // A GET with the filters in a form body: $_POST is empty, the filter is absent.
        for method in [reqwest::Method::GET, reqwest::Method::PUT] {
            let answer = raw(&sandbox, method.clone(), function, "", form).await;
            assert_eq!(
                answer,
                serde_json::json!({"errorcode": code, "message": message}),
                "{method} {function}"
            );
        }
        // The same filters in a POST are read.
        let answer = raw(&sandbox, reqwest::Method::POST, function, "", form).await;
        assert_eq!(answer["success"], 1, "POST {function}: {answer}");
    }
    // A post filter in the query of a POST is not read either ($_POST is the body only).
    let answer = raw(
        &sandbox,
        reqwest::Method::POST,
        "get-reservationhours",
        "&persons=2",
        &format!("date={day}"),
    )
    .await;
    assert_eq!(answer["errorcode"], 2002, "{answer}");
}

#[tokio::test]
async fn the_url_filter_date_is_read_only_as_yyyy_mm_dd() {
    let sandbox = Sandbox::start().await.unwrap();
    let today = today(&sandbox);
    let ids = |answer: &serde_json::Value| -> Vec<u64> {
        answer["data"]
            .as_array()
            .map(|records| {
                records
                    .iter()
                    .map(|r| r["id"].as_str().unwrap().parse().unwrap())
                    .collect()
            })
            .unwrap_or_default()
    };
    let get = reqwest::Method::GET;
    let iso = format!("&date={}", today.format("%Y-%m-%d"));
    let orders = raw(&sandbox, get.clone(), "get-orders", &iso, "").await;
    assert_eq!(ids(&orders), [2, 3, 4, 5]);
    let invoices = raw(&sandbox, get.clone(), "get-invoices", &iso, "").await;
    assert_eq!(ids(&invoices), [3]);
    // Other spellings of the same day, a date with a time, an impossible date and an empty
    // value select nothing (2000), never every record.
    let others = [
        today.format("%d-%m-%Y").to_string(),
        today.format("%d/%m/%Y").to_string(),
        today.format("%Y/%m/%d").to_string(),
        today.format("%Y-%-m-%-d 00:00:00").to_string(),
        today.format(" %Y-%m-%d").to_string(),
        today.format("%Y-%m-%dT00:00").to_string(),
        "2026-02-30".to_owned(),
        String::new(),
    ];
    for other in &others {
        let extra = format!("&date={}", other.replace(' ', "+").replace('/', "%2F"));
        for (function, word) in [("get-orders", "orders"), ("get-invoices", "invoices")] {
            let answer = raw(&sandbox, get.clone(), function, &extra, "").await;
            assert_eq!(
                answer,
                serde_json::json!({"errorcode": 2000, "message": format!("No {word} found")}),
                "{function} date={other:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_bad_token_locks_the_client_and_the_hit_count_proves_nothing_more_is_sent() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .credentials("demo-shop", "wrong")
        .build()
        .unwrap();
    let e = client.products().await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::InvalidCredentials));
    for _ in 0..10 {
        assert!(matches!(
            client.products().await.unwrap_err(),
            Error::Refused {
                reason: Refusal::LockedOut,
                ..
            }
        ));
        assert!(matches!(
            client.orders(&OrderFilter::new()).await.unwrap_err(),
            Error::Refused {
                reason: Refusal::LockedOut,
                ..
            }
        ));
    }
    assert_eq!(sandbox.journal().requests().len(), 1);
    assert_eq!(sandbox.bad_logins(), 1);
    client
        .set_credentials("demo-shop", "cp-sandbox-token-0001")
        .unwrap();
    assert_eq!(client.products().await.unwrap().len(), 6);
    assert_eq!(sandbox.bad_logins(), 0, "a good login resets the count");
    assert_eq!(sandbox.journal().requests().len(), 2);
}

#[tokio::test]
async fn five_bad_logins_block_the_address_for_30_minutes_then_one_request_goes_through() {
    // Document: "na 5 verkeerde inlogpogingen word het ip adres voor 30 min geblokkeerd", 1004
    // "blocked till 'datetime'". The clients share the sandbox's clock.
    let sandbox = Sandbox::start().await.unwrap();
    let good = sandbox.client().unwrap();
    let bad = sandbox
        .client_builder()
        .credentials("demo-shop", "wrong")
        .build()
        .unwrap();
    for attempt in 1..=4 {
        assert_eq!(
            bad.users().await.unwrap_err().code(),
            Some(&ErrorCode::InvalidCredentials)
        );
        assert_eq!(sandbox.bad_logins(), attempt);
        bad.reset_lockout();
    }
    let e = bad.users().await.unwrap_err();
    let Some(ErrorCode::IpBlocked { until: Some(until) }) = e.code().cloned() else {
        panic!("expected 1004 with a time: {e:?}");
    };
    // The time is the server's Brussels wall-clock time.
    let blocked = sandbox.blocked_until().unwrap();
    assert_eq!(
        cloudpos_client::time::server_local_to_utc(until),
        blocked.with_nanosecond(0).unwrap()
    );
    assert_eq!(
        bad.lockout().unwrap().lifts_at(),
        Some(blocked.with_nanosecond(0).unwrap())
    );
    // Even the right credentials are refused while blocked, and that locks the good client too.
    assert!(matches!(
        good.users().await.unwrap_err().code(),
        Some(ErrorCode::IpBlocked { .. })
    ));
    assert!(matches!(
        good.users().await.unwrap_err(),
        Error::Refused {
            reason: Refusal::LockedOut,
            ..
        }
    ));
    assert_eq!(sandbox.journal().requests().len(), 6);

    // Before the time: nothing is sent.
    sandbox.advance_clock(Duration::from_secs(29 * 60));
    for client in [&good, &bad] {
        assert!(matches!(
            client.users().await.unwrap_err(),
            Error::Refused {
                reason: Refusal::LockedOut,
                ..
            }
        ));
    }
    assert_eq!(sandbox.journal().requests().len(), 6);

    // After it: each client lets one request through, without reset_lockout.
    sandbox.advance_clock(Duration::from_secs(2 * 60));
    assert_eq!(good.users().await.unwrap().len(), 2);
    assert!(good.lockout().is_none(), "the server accepted the login");
    assert_eq!(good.users().await.unwrap().len(), 2);
    assert!(sandbox.blocked_until().is_none());
    // The bad client's request is answered 1002: locked again, now until new credentials.
    assert_eq!(
        bad.users().await.unwrap_err().code(),
        Some(&ErrorCode::InvalidCredentials)
    );
    assert_eq!(sandbox.journal().requests().len(), 9);
    sandbox.advance_clock(Duration::from_secs(24 * 3600));
    assert!(matches!(
        bad.users().await.unwrap_err(),
        Error::Refused {
            reason: Refusal::LockedOut,
            ..
        }
    ));
    assert_eq!(sandbox.journal().requests().len(), 9);
    assert_eq!(sandbox.bad_logins(), 1);
}

#[tokio::test]
async fn the_daily_limit_answers_1003_which_is_never_retried() {
    let sandbox = Sandbox::builder().daily_limit(3).start().await.unwrap();
    let client = sandbox.client_builder().refuse_below(0).build().unwrap();
    for _ in 0..3 {
        client.printers().await.unwrap();
    }
    let e = client.printers().await.unwrap_err();
    let Some(ErrorCode::DailyLimitReached {
        next_request_at: Some(next),
    }) = e.code().cloned()
    else {
        panic!("expected 1003 with a time: {e:?}");
    };
    assert_eq!(next.date(), today(&sandbox).succ_opt().unwrap());
    assert_eq!(
        sandbox.journal().requests().len(),
        4,
        "1003 was not retried"
    );
    assert_eq!(client.quota_remaining(), 0);
    let e = client.printers().await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Refused {
                reason: Refusal::QuotaExhausted,
                code: Some(ErrorCode::DailyLimitReached { .. }),
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        sandbox.journal().requests().len(),
        4,
        "nothing sent after 1003"
    );

    // The next day the sandbox accepts requests again.
    sandbox.advance_clock(Duration::from_secs(24 * 3600));
    let fresh = sandbox.client().unwrap();
    assert_eq!(fresh.printers().await.unwrap().len(), 2);
}

#[tokio::test]
async fn the_client_refuses_locally_before_the_quota_and_counts_retries() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client_builder().daily_quota(4).build().unwrap();
    sandbox
        .faults()
        .inject(Sandbox::route("get-tables"), Fault::status(503));
    client.tables().await.unwrap();
    assert_eq!(
        sandbox.journal().hits(Sandbox::route("get-tables")),
        2,
        "503 retried once"
    );
    assert_eq!(client.quota_used(), 2, "the retry counts");
    client.tables().await.unwrap();
    client.tables().await.unwrap();
    assert_eq!(client.quota_remaining(), 0);
    let e = client.tables().await.unwrap_err();
    assert!(
        matches!(
            e,
            Error::Refused {
                reason: Refusal::QuotaExhausted,
                code: None,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!((client.quota_used(), client.daily_quota()), (4, 4));
    assert_eq!(sandbox.journal().requests().len(), 4);
}

#[tokio::test]
async fn kit_faults_give_the_documented_behaviour() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let route = Sandbox::route("get-orders");

    // 503 twice, then success: reads are retried (3 attempts in total by default).
    sandbox
        .faults()
        .inject_times(route.clone(), Fault::status(503), 2);
    assert_eq!(client.orders(&OrderFilter::new()).await.unwrap().len(), 5);
    assert_eq!(sandbox.journal().hits(route.clone()), 3);

    // An HTML 502 page on every attempt: an error that keeps the status.
    sandbox.journal().clear();
    sandbox
        .faults()
        .inject_times(route.clone(), Fault::html(502), 3);
    let e = client.orders(&OrderFilter::new()).await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(502));
    assert!(e.is_retryable());
    assert_eq!(sandbox.journal().hits(route.clone()), 3);

    // A reset before the answer and a truncated body are retried for these reads.
    sandbox.journal().clear();
    sandbox
        .faults()
        .inject(route.clone(), Fault::ResetBeforeResponse);
    sandbox.faults().inject(route.clone(), Fault::TruncatedBody);
    assert_eq!(client.orders(&OrderFilter::new()).await.unwrap().len(), 5);
    assert_eq!(sandbox.journal().hits(route.clone()), 3);

    // A 200 with garbage is a decode error, not a panic.
    sandbox.faults().inject(
        route.clone(),
        Fault::Status {
            status: 200,
            retry_after: None,
            body: "{\"success\":1,\"data\":[{\"id\":\"x\"}]}".into(),
        },
    );
    assert!(matches!(
        client.orders(&OrderFilter::new()).await.unwrap_err(),
        Error::Decode { .. }
    ));

    // A delay past the timeout is a retryable transport error after the retries.
    let slow = sandbox
        .client_builder()
        .timeout(Duration::from_millis(100))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    sandbox
        .faults()
        .inject(route.clone(), Fault::Delay(Duration::from_millis(500)));
    let e = slow.orders(&OrderFilter::new()).await.unwrap_err();
    assert!(e.is_retryable(), "{e}");
    assert!(slow.lockout().is_none());
}

#[tokio::test]
async fn signing_a_document_is_a_write_and_never_sent_twice() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let route = Sandbox::route("get-invoicesigned");

    // A 503 is not retried: the server may have created the VAT ticket.
    sandbox.faults().inject(route.clone(), Fault::status(503));
    let e = client.invoice_signed("F2026-001").await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(sandbox.journal().hits(route.clone()), 1);

    // The answer lost after the server ran it: outcome unknown, naming the document number.
    sandbox.journal().clear();
    sandbox.faults().inject(route.clone(), Fault::ResetMidBody);
    let e = client.invoice_signed("F2026-001").await.unwrap_err();
    assert!(e.is_outcome_unknown(), "{e}");
    assert!(e.to_string().contains("F2026-001"), "{e}");
    assert_eq!(sandbox.journal().hits(route), 1);
}

#[tokio::test]
async fn signing_the_same_number_twice_answers_2002_as_documented() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let first = client.invoice_signed("F2026-001").await.unwrap();
    assert_eq!(first.vat_ticket.as_deref(), Some("VT000001"));
    let e = client.invoice_signed("F2026-001").await.unwrap_err();
    assert_eq!(e.code(), Some(&ErrorCode::DocumentNrInUse));
    assert!(!e.is_outcome_unknown() && !e.is_retryable(), "{e}");
    assert_eq!(
        sandbox.journal().hits(Sandbox::route("get-invoicesigned")),
        2
    );
    // Each document type keeps its own numbers.
    client.credit_note_signed("C2026-001").await.unwrap();
    assert_eq!(
        client
            .credit_note_signed("C2026-001")
            .await
            .unwrap_err()
            .code(),
        Some(&ErrorCode::DocumentNrInUse)
    );
}

#[tokio::test]
async fn no_reservation_hours_is_an_empty_list_not_2000() {
    // The document lists only 2001 and 2002 for get-reservationhours.
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    assert!(
        client
            .reservation_hours(open_day(&sandbox), 99)
            .await
            .unwrap()
            .is_empty()
    );
    let last = sandbox.journal().requests().pop().unwrap();
    assert_eq!(last.method.as_str(), "POST");
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// Uses up a daily limit of 2 a minute before a Brussels midnight and checks that the 1003
/// time, the client's refusal and both counts follow the Brussels day, not the UTC one.
async fn the_day_ends_at_brussels_midnight(start: &str, midnight: &str, named: &str) {
    let sandbox = Sandbox::builder().daily_limit(2).start().await.unwrap();
    sandbox.set_clock(utc(start));
    let client = sandbox.client_builder().refuse_below(0).build().unwrap();
    client.printers().await.unwrap();
    client.printers().await.unwrap();
    let e = client.printers().await.unwrap_err();
    let Some(ErrorCode::DailyLimitReached {
        next_request_at: Some(next),
    }) = e.code().cloned()
    else {
        panic!("expected 1003 with a time: {e:?}");
    };
    assert_eq!(next.to_string(), named, "{start}");
    let e = client.printers().await.unwrap_err();
    assert!(
        matches!(&e, Error::Refused { reason: Refusal::QuotaExhausted, code: Some(ErrorCode::DailyLimitReached { .. }), until: Some(t), .. } if *t == utc(midnight)),
        "{start}: {e:?}"
    );
    sandbox.set_clock(utc(midnight) - chrono_days(1) / (24 * 3600));
    assert!(client.printers().await.is_err());
    assert_eq!(sandbox.journal().requests().len(), 3, "{start}");
    sandbox.set_clock(utc(midnight));
    assert_eq!(client.quota_used(), 0, "{start}: a new Brussels day");
    client.printers().await.unwrap();
    assert_eq!(
        (client.quota_used(), sandbox.requests_today()),
        (1, 1),
        "{start}"
    );
}

#[tokio::test]
async fn the_daily_limit_counts_per_brussels_day_around_midnight_and_dst() {
    for (start, midnight, named) in [
        // Winter (CET): midnight is 23:00 UTC.
        (
            "2026-11-25T22:59:00Z",
            "2026-11-25T23:00:00Z",
            "2026-11-26 00:00:00",
        ),
        // Summer (CEST): 22:00 UTC.
        (
            "2026-07-01T21:59:00Z",
            "2026-07-01T22:00:00Z",
            "2026-07-02 00:00:00",
        ),
        // Either side of the spring change (29 March 2026, a 23-hour day).
        (
            "2026-03-28T22:59:00Z",
            "2026-03-28T23:00:00Z",
            "2026-03-29 00:00:00",
        ),
        (
            "2026-03-29T21:59:00Z",
            "2026-03-29T22:00:00Z",
            "2026-03-30 00:00:00",
        ),
        // Either side of the autumn change (25 October 2026, a 25-hour day).
        (
            "2026-10-24T21:59:00Z",
            "2026-10-24T22:00:00Z",
            "2026-10-25 00:00:00",
        ),
        (
            "2026-10-25T22:59:00Z",
            "2026-10-25T23:00:00Z",
            "2026-10-26 00:00:00",
        ),
    ] {
        the_day_ends_at_brussels_midnight(start, midnight, named).await;
    }
}

#[tokio::test]
async fn requests_on_both_sides_of_a_dst_change_count_for_the_same_day() {
    let sandbox = Sandbox::start().await.unwrap();
    // 01:30 CET on 29 March 2026, half an hour before the clocks go forward.
    sandbox.set_clock(utc("2026-03-29T00:30:00Z"));
    let client = sandbox.client().unwrap();
    client.printers().await.unwrap();
    // 03:30 CEST: the same Brussels day.
    sandbox.set_clock(utc("2026-03-29T01:30:00Z"));
    client.printers().await.unwrap();
    assert_eq!(sandbox.today().to_string(), "2026-03-29");
    assert_eq!((client.quota_used(), sandbox.requests_today()), (2, 2));
}

/// The fields the document lists for each list function's records (cloudpos-api.txt, the
/// "Response" lines), and which of them it calls an array.
const DOCUMENTED_FIELDS: [(&str, &[&str]); 13] = [
    ("get-categories", &["id", "name"]),
    (
        "get-products",
        &[
            "id",
            "name",
            "categorylink",
            "price",
            "quantity",
            "popup",
            "menupopup",
            "openprice",
            "modtime",
        ],
    ),
    (
        "get-subproducts",
        &["id", "name", "price", "quantity", "productlink", "modtime"],
    ),
    (
        "get-customers",
        &[
            "id",
            "name",
            "fistname",
            "companyname",
            "street_number",
            "phone",
            "zipcode",
            "town",
            "vatnumber",
            "email",
            "tagid",
            "tagtype",
            "tagfamid",
            "modtime",
        ],
    ),
    ("get-users", &["id", "username", "admin", "secnr"]),
    ("get-tables", &["id", "table", "status"]),
    ("get-payment", &["id", "payment"]),
    ("get-printers", &["id", "printername"]),
    (
        "get-orders",
        &[
            "id",
            "customerid",
            "kassaid",
            "totalprice",
            "user",
            "ordertime",
            "clockin",
            "clockout",
            "orderdetail",
            "cashpayment",
            "bancontactpayment",
            "voucherpayment",
            "transferpayment",
            "visapayment",
            "chargecardpayment",
            "luncheoncardpayment",
            "americanexpresspayment",
            "mastercardpayment",
        ],
    ),
    (
        "get-invoices",
        &[
            "id",
            "customerid",
            "totalprice",
            "date",
            "expirationdate",
            "number",
            "doctype",
            "note",
            "invoicedetail",
            "docfromvatticket",
        ],
    ),
    (
        "get-giftvoucher",
        &[
            "id",
            "barcode",
            "value",
            "validfrom",
            "validuntil",
            "modtime",
        ],
    ),
    (
        "get-coupon",
        &[
            "id",
            "barcode",
            "value",
            "valuetype",
            "validfrom",
            "validuntil",
            "used",
        ],
    ),
    (
        "get-customercredits",
        &["customerid", "value", "tagid", "tagtype"],
    ),
];
const ARRAY_FIELDS: [&str; 3] = ["productlink", "orderdetail", "invoicedetail"];

/// The records of a raw answer (the default envelope, `data`), checked against `fields`: every
/// key documented, each array field an array, every other value a scalar, the `id` a number.
/// Every documented field appears in some record. Returns the records.
fn documented_records(
    function: &str,
    answer: &serde_json::Value,
    fields: &[&str],
) -> Vec<serde_json::Value> {
    use serde_json::Value;
    assert_eq!(answer["success"], 1, "{function}: {answer}");
    let records = answer["data"].as_array().cloned().unwrap_or_default();
    assert!(!records.is_empty(), "{function}: {answer}");
    let numeric = |v: &Value| match v {
        Value::Number(_) => true,
        Value::String(s) => s.parse::<u64>().is_ok(),
        _ => false,
    };
    let line_keys = |key: &str| -> Vec<String> {
        let mut keys: Vec<String> = match key {
            "orderdetail" => ["quantity", "productid", "productprice", "producttax"]
                .map(String::from)
                .to_vec(),
            _ => ["quantity", "productname", "productprice", "producttax"]
                .map(String::from)
                .to_vec(),
        };
        if key == "orderdetail" {
            // `subproduct'1-10'id`, `…price`, `…tax` (lines 235-237).
            for n in 1..=10 {
                keys.extend(["id", "price", "tax"].map(|f| format!("subproduct{n}{f}")));
            }
        }
        keys
    };
    for record in &records {
        let object = record.as_object().unwrap();
        for (key, value) in object {
            assert!(
                fields.contains(&key.as_str()),
                "{function}: undocumented {key} in {record}"
            );
            if ARRAY_FIELDS.contains(&key.as_str()) {
                let items = value
                    .as_array()
                    .unwrap_or_else(|| panic!("{function}: {key} is no array: {record}"));
                for item in items {
                    if key == "productlink" {
                        assert!(numeric(item), "{function}: {record}");
                        continue;
                    }
                    let allowed = line_keys(key);
                    for (k, v) in item.as_object().unwrap() {
                        assert!(
                            allowed.contains(k),
                            "{function}: undocumented {k} in {item}"
                        );
                        assert!(v.is_string() || v.is_number(), "{function}: {k} in {item}");
                    }
                }
            } else {
                assert!(
                    !value.is_array() && !value.is_object(),
                    "{function}: {key} in {record}"
                );
            }
        }
        if fields.contains(&"id") {
            assert!(numeric(&record["id"]), "{function}: {record}");
        }
    }
    for field in fields {
        assert!(
            records.iter().any(|r| r.get(*field).is_some()),
            "{function}: no record has {field}"
        );
    }
    records
}

/// Each documented request, sent as the document writes it (line 32's URL form, the URL filter
/// examples of lines 211-216, 262-265, 399-400 and 424, the post filters of lines 300, 321,
/// 341 and 360-361), is answered with the documented fields in the documented types.
#[tokio::test]
async fn the_sandbox_answers_each_documented_request_in_the_documents_shape() {
    let sandbox = Sandbox::start().await.unwrap();
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;
    for (function, fields) in DOCUMENTED_FIELDS {
        let answer = raw(&sandbox, get.clone(), function, "", "").await;
        documented_records(function, &answer, fields);
    }
    // The URL filter examples.
    let orders = raw(&sandbox, get.clone(), "get-orders", "&start=1&end=5", "").await;
    assert_eq!(
        documented_records("get-orders", &orders, DOCUMENTED_FIELDS[8].1).len(),
        5
    );
    let clock = raw(&sandbox, get.clone(), "get-orders", "&clockinclockout", "").await;
    let clock = clock["data"].as_array().unwrap();
    assert_eq!(clock.len(), 1, "{clock:?}");
    assert_eq!(clock[0]["id"], "4");
    for (function, word) in [("get-orders", "orders"), ("get-invoices", "invoices")] {
        // No seeded record is of 2016-01-01: the document's 2000 line.
        let answer = raw(&sandbox, get.clone(), function, "&date=2016-01-01", "").await;
        assert_eq!(
            answer,
            serde_json::json!({"errorcode": 2000, "message": format!("No {word} found")})
        );
    }
    let invoices = raw(&sandbox, get.clone(), "get-invoices", "&start=1&end=5", "").await;
    assert_eq!(
        documented_records("get-invoices", &invoices, DOCUMENTED_FIELDS[9].1).len(),
        3
    );
    let coupons = raw(&sandbox, get.clone(), "get-coupon", "&start=1&end=5", "").await;
    assert_eq!(
        documented_records("get-coupon", &coupons, DOCUMENTED_FIELDS[11].1).len(),
        3
    );
    // Line 424's filter adds id, productid and categoryid ("alleen bij customerid filter").
    let credits = raw(
        &sandbox,
        get.clone(),
        "get-customercredits",
        "&customerid=1",
        "",
    )
    .await;
    let with_filter = [
        "customerid",
        "value",
        "tagid",
        "tagtype",
        "id",
        "productid",
        "categoryid",
    ];
    assert_eq!(
        documented_records("get-customercredits", &credits, &with_filter).len(),
        2
    );

    // The post filters: one documented field each, of the documented type.
    let day = open_day(&sandbox).format("%Y-%m-%d").to_string();
    let weborder = raw(
        &sandbox,
        post.clone(),
        "get-confirmedweborder",
        "",
        "weborderid=W1001",
    )
    .await;
    assert_eq!(object_keys(&weborder), ["success", "webordertime"]);
    assert!(weborder["webordertime"].is_string(), "{weborder}");
    for (function, nr) in [
        ("get-invoicesigned", "F2026-001"),
        ("get-offersigned", "O2026-001"),
        ("get-creditnotesigned", "C2026-001"),
    ] {
        let signed = raw(
            &sandbox,
            post.clone(),
            function,
            "",
            &format!("documentnr={nr}"),
        )
        .await;
        assert_eq!(object_keys(&signed), ["success", "vatticket"], "{function}");
        assert!(signed["vatticket"].is_string(), "{signed}");
    }
    let persons = raw(
        &sandbox,
        post.clone(),
        "get-reservationpersons",
        "",
        &format!("date={day}"),
    )
    .await;
    assert_eq!(object_keys(&persons), ["persons", "success"]);
    assert!(
        persons["persons"]
            .as_array()
            .unwrap()
            .iter()
            .all(serde_json::Value::is_number),
        "{persons}"
    );
    let hours = raw(
        &sandbox,
        post,
        "get-reservationhours",
        "",
        &format!("date={day}&persons=2"),
    )
    .await;
    assert_eq!(object_keys(&hours), ["hours", "success"]);
    let hours = hours["hours"].as_array().unwrap();
    assert!(
        !hours.is_empty() && hours.iter().all(serde_json::Value::is_string),
        "{hours:?}"
    );
}

fn object_keys(answer: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = answer.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The JSON answer and status of a raw request with the query `query` (after the `?`), as
/// `method`, with `form` as a form body.
async fn raw_query(
    sandbox: &Sandbox,
    method: reqwest::Method,
    path_and_query: &str,
    form: &str,
) -> (u16, String) {
    let base = sandbox.base_url();
    let origin = base.trim_end_matches('/').trim_end_matches("/api");
    let answer = reqwest::Client::new()
        .request(method, format!("{origin}{path_and_query}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned())
        .send()
        .await
        .unwrap();
    let status = answer.status().as_u16();
    (status, answer.text().await.unwrap())
}

const CREDS: &str = "licname=demo-shop&token=cp-sandbox-token-0001";

/// The document's URL is `https://cloudpos.be/api/?…`: `/api` without the slash is not it.
#[tokio::test]
async fn only_the_documents_path_is_served() {
    let sandbox = Sandbox::start().await.unwrap();
    let (status, body) = raw_query(
        &sandbox,
        reqwest::Method::GET,
        &format!("/api/?{CREDS}&get-products"),
        "",
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for path in ["/api", "/api/index", "/Api/", "/"] {
        let (status, body) = raw_query(
            &sandbox,
            reqwest::Method::GET,
            &format!("{path}?{CREDS}&get-products"),
            "",
        )
        .await;
        assert_eq!(status, 404, "{path}: {body}");
    }
}

/// A key sent twice counts as PHP's `$_GET` and `$_POST` hold it: the last value.
#[tokio::test]
async fn a_repeated_key_is_read_as_php_reads_it_the_last_one() {
    let sandbox = Sandbox::start().await.unwrap();
    let get = reqwest::Method::GET;
    let (_, body) = raw_query(
        &sandbox,
        get.clone(),
        &format!("/api/?{CREDS}&get-products&token=wrong"),
        "",
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        serde_json::json!({"errorcode": 1002, "message": "Token or name not valid"})
    );
    let (_, body) = raw_query(
        &sandbox,
        get,
        &format!("/api/?token=wrong&{CREDS}&get-products"),
        "",
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["success"],
        1,
        "{body}"
    );
    let (_, body) = raw_query(
        &sandbox,
        reqwest::Method::POST,
        &format!("/api/?{CREDS}&get-confirmedweborder"),
        "weborderid=W1001&weborderid=W9",
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap(),
        serde_json::json!({"errorcode": 2003, "message": "weborderid does not exist"})
    );
}

/// `&start=1`, `&end=5`, `&customerid=1` are ids in digits: any other value (a word, a sign,
/// padding, empty) selects nothing (2000, the only code those functions list), never every
/// record. Where a function documents no such filter, it is ignored as PHP ignores it.
#[tokio::test]
async fn url_filter_ids_are_read_only_as_digits() {
    let sandbox = Sandbox::start().await.unwrap();
    let get = reqwest::Method::GET;
    let none =
        |word: &str| serde_json::json!({"errorcode": 2000, "message": format!("No {word} found")});
    let cases = [
        ("get-orders", "&start=abc", "orders"),
        ("get-orders", "&start=", "orders"),
        ("get-orders", "&start=%2B2", "orders"),
        ("get-orders", "&start=+2", "orders"),
        ("get-orders", "&end=-1", "orders"),
        ("get-orders", "&end=5.0", "orders"),
        ("get-invoices", "&start=1&end=x", "invoices"),
        ("get-coupon", "&end=3+", "coupons"),
        ("get-coupon", "&start=0x1", "coupons"),
        ("get-customercredits", "&customerid=", "customercredits"),
        ("get-customercredits", "&customerid=one", "customercredits"),
        ("get-customercredits", "&customerid=+1", "customercredits"),
    ];
    for (function, extra, word) in cases {
        let answer = raw(&sandbox, get.clone(), function, extra, "").await;
        assert_eq!(answer, none(word), "{function}{extra}");
    }
    // The same filters in digits select records.
    let coupons = raw(&sandbox, get.clone(), "get-coupon", "&start=2&end=3", "").await;
    assert_eq!(coupons["data"].as_array().unwrap().len(), 2, "{coupons}");
    let credits = raw(
        &sandbox,
        get.clone(),
        "get-customercredits",
        "&customerid=1",
        "",
    )
    .await;
    assert_eq!(credits["data"].as_array().unwrap().len(), 2, "{credits}");
    // `get-products` documents no `start`: the key is ignored.
    let products = raw(&sandbox, get, "get-products", "&start=abc", "").await;
    assert_eq!(products["success"], 1, "{products}");
}

/// Post filters are read as sent: a padded `weborderid` or `documentnr` is another id, and
/// `persons` is a count in digits.
#[tokio::test]
async fn post_filters_are_read_as_sent_not_trimmed() {
    let sandbox = Sandbox::start().await.unwrap();
    let post = reqwest::Method::POST;
    let day = open_day(&sandbox).format("%Y-%m-%d").to_string();
    let cases = [
        (
            "get-confirmedweborder",
            "weborderid=+W1001".to_owned(),
            2003,
            "weborderid does not exist",
        ),
        (
            "get-confirmedweborder",
            "weborderid=W1001+".to_owned(),
            2003,
            "weborderid does not exist",
        ),
        (
            "get-confirmedweborder",
            "weborderid=+".to_owned(),
            2003,
            "weborderid does not exist",
        ),
        (
            "get-invoicesigned",
            "documentnr=+F2026-001".to_owned(),
            2000,
            "No document found",
        ),
        (
            "get-reservationhours",
            format!("date={day}&persons=+2"),
            2002,
            "Persons can not be empty",
        ),
        (
            "get-reservationhours",
            format!("date={day}&persons=%2B2"),
            2002,
            "Persons can not be empty",
        ),
        (
            "get-reservationhours",
            format!("date={day}&persons=2.0"),
            2002,
            "Persons can not be empty",
        ),
    ];
    for (function, form, code, message) in &cases {
        let answer = raw(&sandbox, post.clone(), function, "", form).await;
        assert_eq!(
            answer,
            serde_json::json!({"errorcode": code, "message": message}),
            "{function} {form}"
        );
    }
    // The padded number signed nothing: the exact one still signs.
    assert!(
        sandbox
            .documents_in_use()
            .iter()
            .all(|nr| nr != "F2026-001")
    );
    let signed = raw(
        &sandbox,
        post.clone(),
        "get-invoicesigned",
        "",
        "documentnr=F2026-001",
    )
    .await;
    assert_eq!(
        signed,
        serde_json::json!({"success": 1, "vatticket": "VT000001"})
    );
    let confirmed = raw(
        &sandbox,
        post,
        "get-confirmedweborder",
        "",
        "weborderid=W1001",
    )
    .await;
    assert_eq!(confirmed["success"], 1, "{confirmed}");
}

/// The post filter `date` has no example ("datum !!"); the client sends the document's one
/// date form, `YYYY-MM-DD`, and the sandbox reads no other: another spelling of an open day is
/// a day with nothing available (2000 for persons, no hours), never read leniently.
#[tokio::test]
async fn the_reservation_date_is_read_only_as_yyyy_mm_dd() {
    let sandbox = Sandbox::start().await.unwrap();
    let post = reqwest::Method::POST;
    let day = open_day(&sandbox);
    let iso = day.format("%Y-%m-%d").to_string();
    let persons = raw(
        &sandbox,
        post.clone(),
        "get-reservationpersons",
        "",
        &format!("date={iso}"),
    )
    .await;
    assert_eq!(persons["success"], 1, "{persons}");
    let hours = raw(
        &sandbox,
        post.clone(),
        "get-reservationhours",
        "",
        &format!("date={iso}&persons=2"),
    )
    .await;
    assert!(!hours["hours"].as_array().unwrap().is_empty(), "{hours}");
    for other in [
        day.format("%d-%m-%Y").to_string(),
        day.format("%d%%2F%m%%2F%Y").to_string(),
        day.format("%Y-%m-%d+18:00").to_string(),
        format!("+{iso}"),
        "tomorrow".to_owned(),
    ] {
        let persons = raw(
            &sandbox,
            post.clone(),
            "get-reservationpersons",
            "",
            &format!("date={other}"),
        )
        .await;
        assert_eq!(
            persons,
            serde_json::json!({"errorcode": 2000, "message": "No persons found"}),
            "{other}"
        );
        let hours = raw(
            &sandbox,
            post.clone(),
            "get-reservationhours",
            "",
            &format!("date={other}&persons=2"),
        )
        .await;
        assert_eq!(
            hours,
            serde_json::json!({"success": 1, "hours": []}),
            "{other}"
        );
    }
    // An empty date is the documented 2001.
    let empty = raw(&sandbox, post, "get-reservationpersons", "", "date=").await;
    assert_eq!(
        empty,
        serde_json::json!({"errorcode": 2001, "message": "Date can not be empty"})
    );
}
