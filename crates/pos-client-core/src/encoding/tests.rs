//! The adapters' tests: every encoding, both directions, and round-trip properties.

use super::*;
use crate::money::Money;
use chrono::{NaiveDate, NaiveDateTime};
use proptest::prelude::*;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use serde_with::serde_as;

#[serde_as]
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Row {
    #[serde_as(as = "LenientDecimal")]
    dec: Decimal,
    #[serde_as(as = "LenientDecimal")]
    #[serde(default)]
    opt_dec: Option<Decimal>,
    #[serde_as(as = "DecimalComma")]
    #[serde(default)]
    comma: Option<Money>,
}

fn row(json: &str) -> Result<Row, serde_json::Error> {
    serde_json::from_str(json)
}

#[test]
fn point_decimal_refuses_a_comma_and_reads_the_rest_as_lenient_decimal_does() {
    #[serde_as]
    #[derive(Debug, Deserialize)]
    struct Stock {
        #[serde_as(as = "PointDecimal")]
        qty: Decimal,
        #[serde_as(as = "PointDecimal")]
        #[serde(default)]
        opt: Option<Decimal>,
    }
    let read = |json: &str| serde_json::from_str::<Stock>(json);
    assert_eq!(read(r#"{"qty": "1.234"}"#).unwrap().qty, dec!(1.234));
    assert_eq!(read(r#"{"qty": 12.5}"#).unwrap().qty, dec!(12.5));
    assert_eq!(read(r#"{"qty": -3}"#).unwrap().qty, dec!(-3));
    assert_eq!(read(r#"{"qty": "7", "opt": ""}"#).unwrap().opt, None);
    let err = read(r#"{"qty": "1,234"}"#).unwrap_err().to_string();
    assert!(err.contains("comma"), "{err}");
    assert!(read(r#"{"qty": "0", "opt": "2,5"}"#).is_err());
}

#[test]
fn cents_sends_at_least_two_decimals_and_reads_as_lenient_decimal_does() {
    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Line {
        #[serde_as(as = "Cents")]
        total: Money,
        #[serde_as(as = "Cents")]
        #[serde(default)]
        discount: Option<Decimal>,
    }
    let text = |total: Decimal, discount| {
        serde_json::to_string(&Line {
            total: Money::new(total),
            discount,
        })
        .unwrap()
    };
    assert_eq!(
        text(dec!(0), Some(dec!(12.5))),
        r#"{"total":0.00,"discount":12.50}"#
    );
    assert_eq!(
        text(dec!(-3), Some(dec!(0.125))),
        r#"{"total":-3.00,"discount":0.125}"#
    );
    assert_eq!(
        text(dec!(25.00), None),
        r#"{"total":25.00,"discount":null}"#
    );
    let line: Line = serde_json::from_str(r#"{"total": "12,5", "discount": ""}"#).unwrap();
    assert_eq!((line.total, line.discount), (Money::new(dec!(12.5)), None));
}

#[test]
fn trimmed_decimal_sends_no_trailing_zeros_and_reads_as_lenient_decimal_does() {
    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Line {
        #[serde_as(as = "TrimmedDecimal")]
        units: Decimal,
        #[serde_as(as = "TrimmedDecimal")]
        #[serde(default)]
        price: Option<Decimal>,
    }
    let text = |units, price| serde_json::to_string(&Line { units, price }).unwrap();
    assert_eq!(
        text(dec!(2.50), Some(dec!(150000.00))),
        r#"{"units":2.5,"price":150000}"#
    );
    assert_eq!(text(dec!(-0.100), None), r#"{"units":-0.1,"price":null}"#);
    let line: Line = serde_json::from_str(r#"{"units": "2,5", "price": ""}"#).unwrap();
    assert_eq!((line.units, line.price), (dec!(2.5), None));
}

#[test]
fn lenient_decimal_accepts_numbers_strings_and_commas() {
    for (json, expect) in [
        (r#"{"dec": 8.67}"#, dec!(8.67)),
        (r#"{"dec": "8.67"}"#, dec!(8.67)),
        (r#"{"dec": "8,67"}"#, dec!(8.67)),
        (r#"{"dec": " 3,345 "}"#, dec!(3.345)),
        (r#"{"dec": 15}"#, dec!(15)),
        (r#"{"dec": -0.1}"#, dec!(-0.1)),
        (r#"{"dec": 1e3}"#, dec!(1000)),
        (r#"{"dec": "1.5e2"}"#, dec!(150)),
        (r#"{"dec": 0.30000000000000004}"#, dec!(0.30000000000000004)),
    ] {
        assert_eq!(row(json).unwrap().dec, expect, "{json}");
    }
    assert!(row(r#"{"dec": "1.234,56"}"#).is_err(), "ambiguous");
    assert!(row(r#"{"dec": "abc"}"#).is_err());
    assert!(row(r#"{"dec": ""}"#).is_err(), "required field");
    assert!(row(r#"{"dec": null}"#).is_err());
    assert!(row(r#"{"dec": true}"#).is_err());
}

#[test]
fn optional_adapters_read_null_empty_and_absent_as_none() {
    for json in [
        r#"{"dec": 1}"#,
        r#"{"dec": 1, "opt_dec": null, "comma": null}"#,
        r#"{"dec": 1, "opt_dec": "", "comma": "  "}"#,
    ] {
        let r = row(json).unwrap();
        assert_eq!((r.opt_dec, r.comma), (None, None), "{json}");
    }
    let r = row(r#"{"dec": 1, "opt_dec": "2,5", "comma": 15}"#).unwrap();
    assert_eq!(r.opt_dec, Some(dec!(2.5)));
    assert_eq!(r.comma, Some(Money::new(dec!(15))));
}

#[test]
fn decimals_serialize_as_exact_numbers_and_commas() {
    let r = Row {
        dec: dec!(12.50),
        opt_dec: None,
        comma: Some(Money::new(dec!(15.00))),
    };
    assert_eq!(
        serde_json::to_string(&r).unwrap(),
        r#"{"dec":12.50,"opt_dec":null,"comma":"15,00"}"#
    );
}

#[serde_as]
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Flags {
    #[serde_as(as = "YesNo")]
    yn: bool,
    #[serde_as(as = "OneZero")]
    oz: bool,
    #[serde_as(as = "PlusMinus")]
    pm: bool,
    #[serde_as(as = "PlusMinus")]
    #[serde(default)]
    pm_opt: Option<bool>,
}

#[test]
fn boolean_encodings() {
    let f: Flags = serde_json::from_str(r#"{"yn":"Y","oz":1,"pm":"+","pm_opt":""}"#).unwrap();
    assert_eq!(
        f,
        Flags {
            yn: true,
            oz: true,
            pm: true,
            pm_opt: None
        }
    );
    let f: Flags = serde_json::from_str(r#"{"yn":"n","oz":"0","pm":"-","pm_opt":"-"}"#).unwrap();
    assert_eq!(
        f,
        Flags {
            yn: false,
            oz: false,
            pm: false,
            pm_opt: Some(false)
        }
    );
    let f: Flags = serde_json::from_str(r#"{"yn":"N","oz":true,"pm":"-"}"#).unwrap();
    assert!(f.oz);
    assert_eq!(
        serde_json::to_string(&f).unwrap(),
        r#"{"yn":"N","oz":1,"pm":"-","pm_opt":null}"#
    );
    assert!(serde_json::from_str::<Flags>(r#"{"yn":"X","oz":1,"pm":"+"}"#).is_err());
    assert!(serde_json::from_str::<Flags>(r#"{"yn":"Y","oz":2,"pm":"+"}"#).is_err());
    assert!(serde_json::from_str::<Flags>(r#"{"yn":"Y","oz":1,"pm":"*"}"#).is_err());
}

#[serde_as]
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Times {
    #[serde_as(as = "UnixSeconds")]
    at: DateTime<Utc>,
    #[serde_as(as = "DottedDate")]
    day: NaiveDate,
    #[serde_as(as = "DottedDateTime")]
    moment: NaiveDateTime,
    #[serde_as(as = "DottedDateTime")]
    #[serde(default)]
    maybe: Option<NaiveDateTime>,
}

#[test]
fn time_encodings() {
    let t: Times = serde_json::from_str(
        r#"{"at":"1583245942","day":"03.03.2020","moment":"03.03.2020 15:32:22","maybe":""}"#,
    )
    .unwrap();
    assert_eq!(
        t.at,
        DateTime::<Utc>::from_timestamp(1_583_245_942, 0).unwrap()
    );
    assert_eq!(t.day, NaiveDate::from_ymd_opt(2020, 3, 3).unwrap());
    assert_eq!(
        t.moment,
        NaiveDate::from_ymd_opt(2020, 3, 3)
            .unwrap()
            .and_hms_opt(15, 32, 22)
            .unwrap()
    );
    assert_eq!(t.maybe, None);
    let t2: Times = serde_json::from_str(
        r#"{"at":1583245942,"day":"03.03.2020","moment":"25.06.2018 10:33","maybe":"25.06.2018 10:33:59"}"#,
    )
    .unwrap();
    assert_eq!(t2.at, t.at);
    assert_eq!(
        t2.maybe.unwrap().format(DOTTED_DATE_TIME).to_string(),
        "25.06.2018 10:33:59"
    );
    assert_eq!(
        serde_json::to_string(&t).unwrap(),
        r#"{"at":1583245942,"day":"03.03.2020","moment":"03.03.2020 15:32:22","maybe":null}"#
    );
    assert!(
        serde_json::from_str::<Times>(
            r#"{"at":1,"day":"2020-03-03","moment":"03.03.2020 15:32:22"}"#
        )
        .is_err()
    );
    assert!(
        serde_json::from_str::<Times>(
            r#"{"at":1,"day":"31.02.2020","moment":"03.03.2020 15:32:22"}"#
        )
        .is_err()
    );
}

#[serde_as]
#[derive(Debug, PartialEq, Deserialize, Serialize)]
struct Ids {
    #[serde_as(as = "LenientString")]
    id: String,
    #[serde_as(as = "LenientInt")]
    qty: i64,
    #[serde_as(as = "LenientString")]
    #[serde(default)]
    other: Option<String>,
}

#[test]
fn ids_and_integers_as_numbers_or_strings() {
    let a: Ids = serde_json::from_str(r#"{"id":3443324,"qty":"5"}"#).unwrap();
    let b: Ids = serde_json::from_str(r#"{"id":"3443324","qty":5.0,"other":""}"#).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.id, "3443324");
    assert_eq!(a.qty, 5);
    assert!(serde_json::from_str::<Ids>(r#"{"id":"1","qty":5.5}"#).is_err());
    assert!(serde_json::from_str::<Ids>(r#"{"id":"1","qty":"x"}"#).is_err());
    // PHP's `false` and `[]` for a missing text, and `[]` for a missing number, are no value.
    for missing in ["false", "[]", "null", "\"\""] {
        let c: Ids =
            serde_json::from_str(&format!(r#"{{"id":"1","qty":1,"other":{missing}}}"#)).unwrap();
        assert_eq!(c.other, None, "{missing}");
    }
    // A required value stays required.
    assert!(serde_json::from_str::<Ids>(r#"{"id":"1","qty":[]}"#).is_err());
    let t: Ids = serde_json::from_str(r#"{"id":true,"qty":1}"#).unwrap();
    assert_eq!(t.id, "true");
    assert!(serde_json::from_str::<Ids>(r#"{"id":false,"qty":1}"#).is_err());
    assert!(serde_json::from_str::<Ids>(r#"{"id":"1","qty":1,"other":["x"]}"#).is_err());
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        r#"{"id":"3443324","qty":5,"other":null}"#
    );
}

#[serde_as]
#[derive(Debug, PartialEq, Deserialize, Serialize)]
struct Rows {
    #[serde_as(as = "OneOrMany")]
    #[serde(default)]
    row: Vec<Inner>,
    #[serde_as(as = "OneOrMany<LenientDecimal>")]
    #[serde(default)]
    amounts: Vec<Decimal>,
}

#[derive(Debug, PartialEq, Deserialize, Serialize)]
struct Inner {
    id: u32,
}

#[test]
fn one_or_many_accepts_both_shapes_and_nothing() {
    let one: Rows = serde_json::from_str(r#"{"row":{"id":1}}"#).unwrap();
    assert_eq!(one.row, vec![Inner { id: 1 }]);
    let many: Rows =
        serde_json::from_str(r#"{"row":[{"id":1},{"id":2}],"amounts":["1,5",2]}"#).unwrap();
    assert_eq!(many.row, vec![Inner { id: 1 }, Inner { id: 2 }]);
    assert_eq!(many.amounts, vec![dec!(1.5), dec!(2)]);
    for json in [r#"{}"#, r#"{"row":null}"#, r#"{"row":""}"#, r#"{"row":[]}"#] {
        assert!(
            serde_json::from_str::<Rows>(json).unwrap().row.is_empty(),
            "{json}"
        );
    }
    assert!(serde_json::from_str::<Rows>(r#"{"row":"x"}"#).is_err());
    // PHP's array with gaps (after unset) is an object keyed by index; `{}` is none.
    let gaps: Rows =
        serde_json::from_str(r#"{"row":{"0":{"id":1},"2":{"id":3}},"amounts":{"1":"2,5"}}"#)
            .unwrap();
    assert_eq!(gaps.row, vec![Inner { id: 1 }, Inner { id: 3 }]);
    assert_eq!(gaps.amounts, vec![dec!(2.5)]);
    assert!(
        serde_json::from_str::<Rows>(r#"{"row":{}}"#)
            .unwrap()
            .row
            .is_empty()
    );
    assert!(serde_json::from_str::<Rows>(r#"{"row":{"0":{"id":1},"x":{"id":2}}}"#).is_err());
    // One object keeps every field, its first one included.
    let one_more: Rows = serde_json::from_str(r#"{"row":{"id":7}}"#).unwrap();
    assert_eq!(one_more.row, vec![Inner { id: 7 }]);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        r#"{"row":[{"id":1}],"amounts":[]}"#
    );
}

#[test]
fn blank_is_empty_or_whitespace() {
    assert!(is_blank("") && is_blank("  \t") && is_blank("\u{a0}"));
    assert!(!is_blank("a") && !is_blank(" a") && !is_blank("é"));
}

fn decimal_strategy() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=8).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

proptest! {
    #[test]
    fn lenient_decimal_round_trips_exactly(d in decimal_strategy()) {
        let r = Row { dec: d, opt_dec: Some(d), comma: Some(Money::new(d)) };
        let json = serde_json::to_string(&r).unwrap();
        // Through a string, the decimal is exact at any precision.
        let back: Row = serde_json::from_str(&json.replace(&format!(":{d}"), &format!(":\"{d}\""))).unwrap();
        prop_assert_eq!(back.dec, d);
        prop_assert_eq!(back.opt_dec, Some(d));
        prop_assert_eq!(back.comma, Some(Money::new(d)));
    }

    #[test]
    fn json_numbers_round_trip_up_to_15_digits(m in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=6) {
        let d = Decimal::new(m, scale);
        let json = serde_json::to_string(&Row { dec: d, opt_dec: None, comma: None }).unwrap();
        let back: Row = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back.dec, d);
    }

    #[test]
    fn decimal_comma_text_round_trips(d in decimal_strategy()) {
        let text = d.to_string().replace('.', ",");
        prop_assert_eq!(parse_decimal(&text).unwrap(), d);
    }

    #[test]
    fn dotted_dates_round_trip(days in 0i64..100_000, secs in 0u32..86_400) {
        let base = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let day = base + chrono::Duration::days(days);
        let moment = day.and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60).unwrap();
        let t = Times { at: DateTime::<Utc>::from_timestamp(days * 86_400, 0).unwrap(), day, moment, maybe: Some(moment) };
        let back: Times = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
        prop_assert_eq!(back, t);
    }
}

#[test]
fn object_or_empty_reads_php_empties_as_none() {
    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Inner {
        a: u32,
    }
    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Outer {
        #[serde_as(as = "ObjectOrEmpty")]
        #[serde(default)]
        inner: Option<Inner>,
    }
    for json in [
        r#"{}"#,
        r#"{"inner": null}"#,
        r#"{"inner": ""}"#,
        r#"{"inner": []}"#,
        r#"{"inner": {}}"#,
    ] {
        let o: Outer = serde_json::from_str(json).unwrap();
        assert_eq!(o.inner, None, "{json}");
    }
    let o: Outer = serde_json::from_str(r#"{"inner": {"a": 3}}"#).unwrap();
    assert_eq!(o.inner, Some(Inner { a: 3 }));
    for bad in [r#"{"inner": [1]}"#, r#"{"inner": "x"}"#, r#"{"inner": 5}"#] {
        assert!(serde_json::from_str::<Outer>(bad).is_err(), "{bad}");
    }
    assert_eq!(serde_json::to_string(&o).unwrap(), r#"{"inner":{"a":3}}"#);
    assert_eq!(
        serde_json::to_string(&Outer { inner: None }).unwrap(),
        r#"{"inner":null}"#
    );
}

#[test]
fn sql_date_times_in_their_common_spellings() {
    let t = |s: &str| parse_sql_date_time(s).unwrap().to_string();
    assert_eq!(t("2024-03-05 14:30:15"), "2024-03-05 14:30:15");
    assert_eq!(t("2024-03-05T14:30:15"), "2024-03-05 14:30:15");
    assert_eq!(t("2024-03-05 14:30:15.250"), "2024-03-05 14:30:15.250");
    assert_eq!(t("2024-03-05 14:30"), "2024-03-05 14:30:00");
    assert_eq!(t("2024-03-05"), "2024-03-05 00:00:00");
    assert!(parse_sql_date_time("05.03.2024").is_err());
    assert!(parse_sql_date_time("0000-00-00 00:00:00").is_err());
}

#[serde_as]
#[derive(Deserialize)]
struct Loose {
    #[serde_as(as = "LenientDate")]
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde_as(as = "LenientDateTime")]
    #[serde(default)]
    time: Option<NaiveDateTime>,
    #[serde_as(as = "TextList<LenientInt>")]
    #[serde(default)]
    ids: Vec<u64>,
    #[serde_as(as = "TextList<LenientString>")]
    #[serde(default)]
    hours: Vec<String>,
}

fn loose(json: &str) -> Loose {
    serde_json::from_str(json).unwrap()
}

#[test]
fn lenient_dates_in_every_usual_form_and_absent_ones() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 25);
    for text in [
        "2026-11-25",
        "25-11-2026",
        "25/11/2026",
        "2026/11/25",
        "25.11.2026",
        "2026-11-25 10:00:00",
        " 2026-11-25T10:00 ",
    ] {
        assert_eq!(
            loose(&format!(r#"{{"date":"{text}"}}"#)).date,
            day,
            "{text}"
        );
    }
    for json in [
        r#"{"date":""}"#,
        r#"{"date":"0000-00-00"}"#,
        r#"{"date":"soon"}"#,
        r#"{"date":null}"#,
        r#"{}"#,
        r#"{"date":false}"#,
        r#"{"date":[]}"#,
        r#"{"date":{"timezone":"UTC"}}"#,
        r#"{"date":1.5}"#,
    ] {
        assert_eq!(loose(json).date, None, "{json}");
    }
    // PHP's `DateTime` object, as `json_encode` writes it.
    let php = r#"{"date":{"date":"2026-11-25 10:11:12.000000","timezone_type":3,"timezone":"Europe/Brussels"},"time":{"date":"2026-11-25 10:11:12.000000","timezone_type":3,"timezone":"UTC"}}"#;
    assert_eq!(loose(php).date, day);
    assert_eq!(
        loose(php).time.map(|t| t.to_string()).as_deref(),
        Some("2026-11-25 10:11:12")
    );
    for (text, expected) in [
        ("2026-11-25 10:11", Some("2026-11-25 10:11:00")),
        ("25-11-2026 10:11:12", Some("2026-11-25 10:11:12")),
        ("2026-11-25", Some("2026-11-25 00:00:00")),
        ("0000-00-00 00:00:00", None),
        ("", None),
    ] {
        let time = loose(&format!(r#"{{"time":"{text}"}}"#)).time;
        assert_eq!(time.map(|t| t.to_string()).as_deref(), expected, "{text}");
    }
}

#[test]
fn text_lists_as_arrays_single_values_or_separated_strings() {
    assert_eq!(loose(r#"{"ids":["11",12]}"#).ids, [11, 12]);
    assert_eq!(loose(r#"{"ids":"11,15"}"#).ids, [11, 15]);
    assert_eq!(loose(r#"{"ids":"1, 2;3"}"#).ids, [1, 2, 3]);
    assert_eq!(loose(r#"{"ids":15}"#).ids, [15]);
    assert!(loose(r#"{"ids":""}"#).ids.is_empty());
    assert!(loose(r#"{"ids":null}"#).ids.is_empty());
    assert!(serde_json::from_str::<Loose>(r#"{"ids":"1,x"}"#).is_err());
    assert_eq!(
        loose(r#"{"hours":"12:00, 18:30"}"#).hours,
        ["12:00", "18:30"]
    );
}

proptest! {
    #[test]
    fn fixed_width_dates_read_as_chrono_does(
        d in 0u32..40, m in 0u32..15, y in 0u32..10_000,
        h in 0u32..30, min in 0u32..70, s in 0u32..70, sep in prop::sample::select(vec![' ', 'T', '_'])
    ) {
        let dotted = format!("{d:02}.{m:02}.{y:04} {h:02}:{min:02}:{s:02}");
        let chrono = NaiveDateTime::parse_from_str(&dotted, DOTTED_DATE_TIME)
            .or_else(|_| NaiveDateTime::parse_from_str(&dotted, "%d.%m.%Y %H:%M"))
            .ok();
        prop_assert_eq!(parse_dotted_date_time(&dotted).ok(), chrono);
        let day = format!("{d:02}.{m:02}.{y:04}");
        prop_assert_eq!(
            serde_json::from_str::<Day>(&format!(r#"{{"day":"{day}"}}"#)).ok().map(|x| x.day),
            NaiveDate::parse_from_str(&day, DOTTED_DATE).ok()
        );
        let sql = format!("{y:04}-{m:02}-{d:02}{sep}{h:02}:{min:02}:{s:02}");
        let chrono = NaiveDateTime::parse_from_str(&sql, "%Y-%m-%d %H:%M:%S%.f")
            .or_else(|_| NaiveDateTime::parse_from_str(&sql, "%Y-%m-%dT%H:%M:%S%.f"))
            .ok();
        prop_assert_eq!(parse_sql_date_time(&sql).ok(), chrono);
        let any = ANY_DATE_TIME_FORMATS
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(&sql, f).ok());
        if any.is_some() {
            prop_assert_eq!(parse_any_date_time(&sql), any);
        }
        let date = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(parse_any_date(&date).is_some(), ANY_DATE_FORMATS.iter().any(|f| NaiveDate::parse_from_str(&date, f).is_ok()));
        if let Ok(expected) = NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
            prop_assert_eq!(parse_any_date(&date), Some(expected));
        }
    }
}

#[serde_as]
#[derive(Debug, Deserialize)]
struct Day {
    #[serde_as(as = "DottedDate")]
    day: NaiveDate,
}

#[test]
fn typed_readers_keep_the_lenient_forms() {
    #[serde_as]
    #[derive(Debug, Deserialize)]
    struct All {
        #[serde_as(as = "LenientInt")]
        #[serde(default)]
        n: Option<u64>,
        #[serde_as(as = "LenientInt")]
        #[serde(default)]
        i: Option<i32>,
        #[serde_as(as = "LenientString")]
        #[serde(default)]
        s: Option<String>,
        #[serde_as(as = "OneZero")]
        #[serde(default)]
        f: Option<bool>,
        #[serde_as(as = "UnixSeconds")]
        #[serde(default)]
        t: Option<DateTime<Utc>>,
    }
    let all = |json: &str| serde_json::from_str::<All>(json);
    let a = all(r#"{"n":" 7 ","i":"-0","s":12.5,"f":" 1 ","t":" 1583245942 "}"#).unwrap();
    assert_eq!(
        (a.n, a.i, a.s.as_deref(), a.f),
        (Some(7), Some(0), Some("12.5"), Some(true))
    );
    assert_eq!(a.t.unwrap().timestamp(), 1_583_245_942);
    let a = all(r#"{"n":"+7","i":-3,"s":"a\"b","f":0,"t":1583245942.0}"#).unwrap();
    assert_eq!(
        (a.n, a.i, a.s.as_deref(), a.f),
        (Some(7), Some(-3), Some("a\"b"), Some(false))
    );
    let a = all(r#"{"n":"","i":null,"s":" ","f":"","t":""}"#).unwrap();
    assert_eq!((a.n, a.i, a.s, a.f, a.t), (None, None, None, None, None));
    for bad in [
        r#"{"n":"-1"}"#,
        r#"{"n":-1}"#,
        r#"{"i":"3000000000"}"#,
        r#"{"n":1.5}"#,
        r#"{"n":true}"#,
        r#"{"f":2}"#,
        r#"{"f":1.0}"#,
        r#"{"t":"x"}"#,
        r#"{"s":["x"]}"#,
        r#"{"s":{}}"#,
    ] {
        assert!(all(bad).is_err(), "{bad}");
    }
    // A string with an escape reaches the reader as an owned string: still blank-checked.
    let a = all(r#"{"s":"\u0020"}"#).unwrap();
    assert_eq!(a.s, None);
}

#[test]
fn long_lists_keep_every_element_in_order_across_chunks() {
    // `Inner` is 4 bytes: 16,384 per chunk. Lengths around the chunk boundaries.
    for n in [16_383u32, 16_384, 16_385, 40_000] {
        let items: Vec<String> = (0..n).map(|i| format!(r#"{{"id":{i}}}"#)).collect();
        let json = format!(r#"{{"row":[{}]}}"#, items.join(","));
        let rows: Rows = serde_json::from_str(&json).unwrap();
        assert_eq!(rows.row.len(), n as usize);
        assert!(rows.row.iter().zip(0..).all(|(r, i)| r.id == i), "{n}");
        // A deserializer that knows the length (a `Value`) reads the same.
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(serde_json::from_value::<Rows>(value).unwrap(), rows);
    }
}
