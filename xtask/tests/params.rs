//! Compiles the generated request parameter models (`fixtures/params_models.rs`) and drives
//! their constructors, `validate()` (every rule failing and passing) and `params()` (every
//! encoding).
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![deny(missing_docs)]

#[rustfmt::skip]
#[path = "fixtures/params_models.rs"]
pub mod params_models;

use params_models::{ItemSale, Kind, Lookup, OrderFilter, Payment};
use pos_client_core::chrono::{NaiveDate, TimeZone, Utc};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::secrecy::ExposeSecret;
use pos_client_core::validate::{DecimalSeparator, ParamStyle};
use pos_client_core::{Money, NoCode, Param};

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn money(text: &str) -> Money {
    text.parse().unwrap()
}

/// The parameters as `(key, value)`; a flag has no value, a secret is marked.
fn wire(params: Vec<(&'static str, Param)>) -> Vec<(&'static str, Option<String>)> {
    params
        .into_iter()
        .map(|(k, v)| match v {
            Param::Plain(text) => (k, Some(text)),
            Param::Secret(secret) => (k, Some(format!("secret:{}", secret.expose_secret()))),
            Param::Flag => (k, None),
        })
        .collect()
}

fn pairs(list: &[(&'static str, &str)]) -> Vec<(&'static str, Option<String>)> {
    list.iter()
        .map(|(k, v)| (*k, Some((*v).to_owned())))
        .collect()
}

/// The validation message, or "ok".
fn check(result: Result<(), pos_client_core::Error<NoCode>>) -> String {
    match result {
        Ok(()) => "ok".to_owned(),
        Err(e) => {
            assert!(e.is_validation(), "{e:?}");
            e.to_string()
        }
    }
}

const COMMA: ParamStyle = ParamStyle::new().decimal(DecimalSeparator::Comma);

#[test]
fn item_sale_needs_exactly_one_product_reference() {
    let msg = "invalid request: exactly one of batch_id, searchcode must be given";
    assert_eq!(check(ItemSale::new().validate()), format!("{msg} (got 0)"));
    let both = ItemSale::new().batch_id(7).search_code("GA0004");
    assert_eq!(check(both.validate()), format!("{msg} (got 2)"));
    assert_eq!(check(ItemSale::new().batch_id(7).validate()), "ok");
    assert_eq!(
        check(ItemSale::new().search_code("GA0004").validate()),
        "ok"
    );
}

#[test]
fn item_sale_rules() {
    let by_code = |code: &str| ItemSale::new().search_code(code);
    assert_eq!(
        check(by_code(" ").validate()),
        "invalid request: searchcode: must not be empty"
    );
    assert_eq!(check(by_code(&"x".repeat(20)).validate()), "ok");
    assert_eq!(
        check(by_code(&"x".repeat(21)).validate()),
        "invalid request: searchcode: is longer than 20 characters (it has 21)"
    );
    assert_eq!(
        check(by_code("GA 0004").validate()),
        "invalid request: searchcode: contains a space or a control character"
    );

    let sale = || ItemSale::new().batch_id(1);
    assert_eq!(
        check(sale().quantity(dec("0")).validate()),
        "invalid request: quantity: must be greater than 0 (got 0)"
    );
    assert_eq!(check(sale().quantity(dec("0.00001")).validate()), "ok");
    assert_eq!(
        check(sale().quantity(dec("1.000001")).validate()),
        "invalid request: quantity: has more than 5 decimal places (got 1.000001)"
    );
    assert_eq!(check(sale().price(money("0")).validate()), "ok");
    assert_eq!(
        check(sale().price(money("-0.01")).validate()),
        "invalid request: price: must be at least 0 (got -0.01)"
    );
    assert_eq!(
        check(sale().price(money("1.00005")).validate()),
        "invalid request: price: has more than 4 decimal places (got 1.00005)"
    );
    assert_eq!(
        check(sale().rowno(0).validate()),
        "invalid request: rowno: must be at least 1 (got 0)"
    );
    assert_eq!(check(sale().rowno(1).validate()), "ok");
    assert_eq!(check(sale().rowno(9999).validate()), "ok");
    assert_eq!(
        check(sale().rowno(10_000).validate()),
        "invalid request: rowno: must be at most 9999 (got 10000)"
    );
}

#[test]
fn item_sale_writes_decimals_with_the_runtime_separator() {
    let sale = ItemSale::new()
        .search_code("GA0004")
        .quantity(dec("3.345"))
        .price(money("8.670"))
        .rowno(2);
    assert_eq!(
        wire(sale.params(&COMMA)),
        pairs(&[
            ("searchcode", "GA0004"),
            ("quantity", "3,345"),
            ("price", "8,670"),
            ("rowno", "2"),
        ])
    );
    assert_eq!(
        wire(sale.params(&ParamStyle::default())),
        pairs(&[
            ("searchcode", "GA0004"),
            ("quantity", "3.345"),
            ("price", "8.670"),
            ("rowno", "2"),
        ])
    );
    assert_eq!(
        wire(ItemSale::new().batch_id(42).params(&COMMA)),
        pairs(&[("batch_id", "42")]),
        "unset optional parameters are left out"
    );
    assert_eq!(ItemSale::default(), ItemSale::new());
}

fn payment() -> Payment {
    Payment::new("B", money("10.50"))
}

#[test]
fn payment_defaults_and_required_parameters() {
    let p = payment();
    assert_eq!(p.mode, "B");
    assert_eq!(p.payment_type, "P");
    assert!(p.confirmed);
    assert_eq!(p.kind, Kind::Sale);
    assert_eq!(p.tip, None);
    assert_eq!(
        wire(p.params(&COMMA)),
        pairs(&[
            ("paymentmode", "B"),
            ("paymenttype", "P"),
            ("amount", "10.50"),
            ("confirmed", "Y"),
            ("kind", "S"),
        ]),
        "amount has no encoding: a point whatever the style"
    );
}

#[test]
fn payment_writes_every_encoding() {
    let day = NaiveDate::from_ymd_opt(2018, 6, 25).unwrap();
    let at = day.and_hms_opt(10, 33, 59).unwrap();
    let p = payment()
        .payment_type("R")
        .tip(dec("1.5"))
        .currency("EUR")
        .replace_amount(true)
        .needs_reversal(false)
        .confirmed(false)
        .paid_on(day)
        .paid_at(at)
        .booked_at(at)
        .sent_at(Utc.timestamp_opt(1_700_000_000, 0).single().unwrap())
        .comment("two\nlines")
        .kind(Kind::Refund)
        .pin("1234");
    assert_eq!(check(p.validate()), "ok");
    assert_eq!(
        wire(p.params(&ParamStyle::default())),
        pairs(&[
            ("paymentmode", "B"),
            ("paymenttype", "R"),
            ("amount", "10.50"),
            ("tip", "1,5"),
            ("currency_id", "EUR"),
            ("replaceamount", "1"),
            ("needsreversal", "-"),
            ("confirmed", "N"),
            ("paymentdate", "25.06.2018"),
            ("paymentdatetime", "25.06.2018 10:33:59"),
            ("booked_at", "2018-06-25 10:33:59"),
            ("sent_at", "1700000000"),
            ("comment", "two\nlines"),
            ("kind", "R"),
            ("pin", "secret:1234"),
        ])
    );
    let flipped = p.replace_amount(false).needs_reversal(true);
    let sent = wire(flipped.params(&ParamStyle::default()));
    assert!(sent.contains(&("replaceamount", Some("0".into()))));
    assert!(sent.contains(&("needsreversal", Some("+".into()))));
}

#[test]
fn payment_rules() {
    assert_eq!(
        check(Payment::new("BB", money("1")).validate()),
        "invalid request: paymentmode: is longer than 1 character (it has 2)"
    );
    assert_eq!(
        check(Payment::new("", money("1")).validate()),
        "invalid request: paymentmode: must not be empty"
    );
    assert_eq!(
        check(Payment::new("\n", money("1")).validate()),
        "invalid request: paymentmode: must not be empty"
    );
    assert_eq!(
        check(Payment::new("\u{7}", money("1")).validate()),
        "invalid request: paymentmode: contains a control character (such as CR or LF)"
    );
    assert_eq!(
        check(payment().payment_type("").validate()),
        "invalid request: paymenttype: must not be empty"
    );
    assert_eq!(
        check(Payment::new("B", money("10.005")).validate()),
        "invalid request: amount: has more than 2 decimal places (got 10.005)"
    );
    assert_eq!(check(Payment::new("B", money("10.500")).validate()), "ok");
    assert_eq!(
        check(Payment::new("B", money("99999999.99")).validate()),
        "ok"
    );
    assert_eq!(
        check(Payment::new("B", money("100000000")).validate()),
        "invalid request: amount: must be at most 99999999.99 (got 100000000)"
    );
    assert_eq!(
        check(Payment::new("B", money("-100000000")).validate()),
        "invalid request: amount: must be at least -99999999.99 (got -100000000)"
    );
    assert_eq!(
        check(payment().currency("EU").validate()),
        "invalid request: currency_id: must have at least 3 characters (it has 2)"
    );
    assert_eq!(
        check(payment().currency("EURO").validate()),
        "invalid request: currency_id: is longer than 3 characters (it has 4)"
    );
    assert_eq!(check(payment().comment("x".repeat(100)).validate()), "ok");
    assert_eq!(
        check(payment().comment("x".repeat(101)).validate()),
        "invalid request: comment: is longer than 100 characters (it has 101)"
    );
}

#[test]
fn a_sensitive_parameter_is_never_printed() {
    let p = payment().pin("98765\r\n");
    let debug = format!("{p:?} {p:#?}");
    assert!(debug.contains("pin: ***"), "{debug}");
    assert!(!debug.contains("98765"), "{debug}");
    let message = check(p.validate());
    assert_eq!(
        message,
        "invalid request: pin: contains a control character (such as CR or LF)"
    );
    let message = check(payment().pin("987654321").validate());
    assert_eq!(
        message,
        "invalid request: pin: is longer than 8 characters (it has 9)"
    );
    let sent = payment().pin("9876").params(&ParamStyle::default());
    let (key, value) = sent.last().unwrap();
    assert_eq!(*key, "pin");
    assert!(matches!(value, Param::Secret(s) if s.expose_secret() == "9876"));
    assert!(!format!("{sent:?}").contains("9876"));
}

#[test]
fn order_filter_range_date_and_flag() {
    assert_eq!(OrderFilter::default(), OrderFilter::new());
    assert!(wire(OrderFilter::new().params(&COMMA)).is_empty());
    assert_eq!(
        check(OrderFilter::new().start(5).end(3).validate()),
        "invalid request: start: (5) must not be after end (3)"
    );
    assert_eq!(check(OrderFilter::new().start(3).end(3).validate()), "ok");
    assert_eq!(check(OrderFilter::new().start(9).validate()), "ok");
    assert_eq!(check(OrderFilter::new().end(1).validate()), "ok");

    let filter = OrderFilter::new()
        .start(1)
        .end(10)
        .date(NaiveDate::from_ymd_opt(2024, 3, 5).unwrap())
        .clock_in_out(true);
    assert_eq!(
        wire(filter.params(&COMMA)),
        vec![
            ("start", Some("1".to_owned())),
            ("end", Some("10".to_owned())),
            ("date", Some("2024-03-05".to_owned())),
            ("clockinclockout", None),
        ]
    );
    let off = filter.clock_in_out(false);
    assert!(
        !wire(off.params(&COMMA))
            .iter()
            .any(|(k, _)| *k == "clockinclockout"),
        "a false flag is left out"
    );
}

fn lookup() -> Lookup {
    let day = NaiveDate::from_ymd_opt(2024, 3, 5).unwrap();
    Lookup::new(
        "A-1",
        "plain",
        1,
        -10,
        7,
        money("8.670"),
        day,
        day,
        day.and_hms_opt(14, 30, 15).unwrap(),
    )
}

#[test]
fn lookup_writes_plain_values() {
    let l = lookup();
    assert_eq!(l.limit, 50);
    assert_eq!(l.rate, dec("0.5"));
    assert_eq!(check(l.validate()), "ok");
    assert_eq!(
        wire(l.params(&COMMA)),
        pairs(&[
            ("id", "A-1"),
            ("code", "plain"),
            ("count", "1"),
            ("offset", "-10"),
            ("limit", "50"),
            ("total", "7"),
            ("rate", "0.5"),
            ("price", "8.670"),
            ("day", "2024-03-05"),
            ("until", "2024-03-05"),
            ("at", "2024-03-05T14:30:15"),
        ]),
        "no encoding: exact digits with a point whatever the style, ISO dates"
    );
    let sent = wire(l.kind(Kind::Refund).params(&COMMA));
    assert_eq!(sent.last(), Some(&("kind", Some("R".to_owned()))));
}

#[test]
fn lookup_rules() {
    let bad_ids = ["", "a/b", "a?b", "a#b", "a%2e", "..", "a\nb"];
    for id in bad_ids {
        let mut l = lookup();
        l.id = id.to_owned();
        let m = check(l.validate());
        assert!(
            m.starts_with("invalid request: id: must not"),
            "{id:?}: {m}"
        );
    }
    let mut l = lookup();
    l.code = "a\rb".to_owned();
    assert_eq!(
        check(l.validate()),
        "invalid request: code: contains a control character (such as CR or LF)"
    );
    let mut l = lookup();
    l.count = 0;
    assert_eq!(
        check(l.validate()),
        "invalid request: count: must be greater than 0 (got 0)"
    );
    l.count = -1;
    assert!(check(l.validate()).contains("greater than 0"));
    let mut l = lookup();
    l.offset = -11;
    assert_eq!(
        check(l.validate()),
        "invalid request: offset: must be at least -10 (got -11)"
    );
    l.offset = 10;
    assert_eq!(check(l.validate()), "ok");
    l.offset = 11;
    assert_eq!(
        check(l.validate()),
        "invalid request: offset: must be at most 10 (got 11)"
    );
    assert_eq!(check(lookup().limit(500).validate()), "ok");
    assert_eq!(
        check(lookup().limit(501).validate()),
        "invalid request: limit: must be at most 500 (got 501)"
    );
    assert_eq!(check(lookup().rate(dec("1.000")).validate()), "ok");
    assert_eq!(
        check(lookup().rate(dec("1.01")).validate()),
        "invalid request: rate: must be at most 1 (got 1.01)"
    );
    let mut l = lookup();
    l.price = money("0.00");
    assert_eq!(
        check(l.validate()),
        "invalid request: price: must be greater than 0 (got 0.00)"
    );
    let mut l = lookup();
    l.until = l.day.pred_opt().unwrap();
    assert_eq!(
        check(l.validate()),
        "invalid request: day: (2024-03-05) must not be after until (2024-03-04)"
    );
}
