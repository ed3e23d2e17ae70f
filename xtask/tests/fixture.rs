//! Compiles the generated fixture models and drives them through real JSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![deny(missing_docs)]

#[rustfmt::skip]
#[path = "fixtures/fixture_models.rs"]
pub mod fixture_models;

use fixture_models::{
    Customer, DocType, Document, Entry, Line, Loose, NewDocument, Record, Totals,
};
use pos_client_core::chrono::{NaiveDate, TimeZone, Utc};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::{Money, Rest};
use serde::de::DeserializeOwned;
use serde_json::json;

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn decodes_a_document_with_every_encoding() {
    let doc: Document = serde_json::from_value(json!({
        "number": "1042",
        "year": 2024,
        "page": 2,
        "total_rows": 7,
        "doctype": 1,
        "status": "CN",
        "rows": { "code": "A1", "qty": "2,5", "price": "8,67", "discount": "0.5", "vat_rate": 21, "on_hand": "4.5" },
        "codes": ["7", 8],
        "amounts": [1.5, "2,25"],
        "customer": {
            "id": 17,
            "fistname": "Ann",
            "rijksregisternummer": "85.07.30-033.61",
            "active": "Y",
            "vat_liable": "0",
            "newsletter": "+",
            "vip": true,
            "tags": ["a", "b"]
        },
        "created": "1700000000",
        "changed": "2024-03-01T10:00:00Z",
        "date": "05.03.2024",
        "due": "2024-04-05",
        "printed": "05.03.2024 14:30:15",
        "booked": "2024-03-05T14:30:15",
        "extra": { "anything": [1, 2] },
        "totals": { "lines": 1, "grand_total": "21.68" },
        "history": [1, "2", "ZZ"],
        "type": "x",
        "an_unknown_field": "ignored"
    }))
    .unwrap();

    assert_eq!(doc.number, 1042);
    assert_eq!(doc.year, 2024);
    assert_eq!(doc.page, Some(2));
    assert_eq!(doc.total_rows, 7);
    assert_eq!(doc.doc_type, DocType::Invoice);
    assert_eq!(doc.status, Some(DocType::CreditNote));
    assert_eq!(doc.rows.len(), 1, "one object decodes as a list of one");
    let row = &doc.rows[0];
    assert_eq!(row.code, "A1");
    assert_eq!(row.qty, dec("2.5"));
    assert_eq!(row.price, Money::new(dec("8.67")));
    assert_eq!(row.discount, Some(dec("0.5")));
    assert_eq!(row.vat_rate, Some(Money::new(dec("21"))));
    assert_eq!(row.on_hand, Some(dec("4.5")));
    let comma = serde_json::json!({ "code": "A1", "qty": 1, "price": 1, "on_hand": "4,5" });
    assert!(
        serde_json::from_value::<Line>(comma).is_err(),
        "point_decimal refuses a comma"
    );
    assert_eq!(doc.codes, vec![7, 8]);
    assert_eq!(doc.amounts, vec![dec("1.5"), dec("2.25")]);
    let customer = doc.customer.as_ref().unwrap();
    assert_eq!(customer.id, "17");
    assert_eq!(customer.first_name.as_deref(), Some("Ann"));
    assert_eq!(customer.national_number.as_deref(), Some("85.07.30-033.61"));
    assert!(customer.active);
    assert_eq!(customer.vat_liable, Some(false));
    assert!(customer.newsletter);
    assert!(customer.vip);
    assert_eq!(customer.tags, vec!["a", "b"]);
    assert_eq!(
        doc.created,
        Utc.timestamp_opt(1_700_000_000, 0).single().unwrap()
    );
    assert_eq!(
        doc.changed,
        Some(Utc.with_ymd_and_hms(2024, 3, 1, 10, 0, 0).single().unwrap())
    );
    assert_eq!(doc.date, NaiveDate::from_ymd_opt(2024, 3, 5).unwrap());
    assert_eq!(doc.due, NaiveDate::from_ymd_opt(2024, 4, 5));
    assert_eq!(
        doc.printed,
        NaiveDate::from_ymd_opt(2024, 3, 5)
            .unwrap()
            .and_hms_opt(14, 30, 15)
    );
    assert_eq!(doc.booked, doc.printed);
    assert_eq!(doc.extra, Some(json!({ "anything": [1, 2] })));
    assert_eq!(doc.r#type.as_deref(), Some("x"));
    assert_eq!(doc.totals.lines, 1);
    assert_eq!(doc.totals.grand_total, Money::new(dec("21.68")));
    assert_eq!(
        doc.history,
        vec![
            DocType::Invoice,
            DocType::Quote,
            DocType::Unknown("ZZ".into())
        ]
    );
}

#[test]
fn decodes_arrays_missing_optionals_and_unknown_codes() {
    let doc: Document = serde_json::from_value(json!({
        "number": 5,
        "year": 2024,
        "total_rows": 0,
        "doctype": "99",
        "rows": [
            { "code": "A", "qty": 1, "price": "1,00" },
            { "code": "B", "qty": "3", "price": 2.5 }
        ],
        "codes": "",
        "created": 0,
        "date": "31.12.2023",
        "totals": { "lines": 2, "grand_total": 3.5 }
    }))
    .unwrap();
    assert_eq!(doc.doc_type, DocType::Unknown("99".to_owned()));
    assert_eq!(doc.doc_type.as_wire(), "99");
    assert_eq!(doc.page, None);
    assert_eq!(doc.status, None);
    assert_eq!(doc.customer, None);
    assert_eq!(doc.printed, None);
    assert_eq!(doc.extra, None);
    assert_eq!(doc.rows.len(), 2);
    assert_eq!(doc.rows[1].qty, dec("3"));
    assert_eq!(doc.rows[1].price, Money::new(dec("2.5")));
    assert_eq!(doc.rows[0].discount, None);
    assert!(doc.codes.is_empty());
    assert!(doc.amounts.is_empty());
    assert!(doc.history.is_empty());
}

#[test]
fn enum_codes_decode_from_numbers_and_strings_but_not_null() {
    assert_eq!(
        serde_json::from_value::<DocType>(json!(2)).unwrap(),
        DocType::Quote
    );
    assert_eq!(
        serde_json::from_value::<DocType>(json!("2")).unwrap(),
        DocType::Quote
    );
    assert_eq!(
        serde_json::from_value::<DocType>(json!("XX")).unwrap(),
        DocType::Unknown("XX".into())
    );
    assert!(serde_json::from_value::<DocType>(json!(null)).is_err());
    assert_eq!(
        serde_json::to_value(DocType::CreditNote).unwrap(),
        json!("CN")
    );
    assert_eq!(
        serde_json::to_value(DocType::Unknown("7".into())).unwrap(),
        json!("7")
    );
    assert_eq!(DocType::Invoice.to_string(), "1");
    assert_eq!(DocType::from_wire("CN"), DocType::CreditNote);
}

#[test]
fn serializes_a_request_exactly() {
    let request = NewDocument {
        doc_type: DocType::Quote,
        customer_id: "17".to_owned(),
        lines: vec![Line {
            code: "A1".to_owned(),
            qty: dec("2.50"),
            price: Money::new(dec("8.67")),
            discount: None,
            vat_rate: Some(Money::new(dec("21"))),
            on_hand: None,
        }],
        paid: false,
        note: None,
        total: Money::new(dec("21.68")),
    };
    assert_eq!(
        serde_json::to_string(&request).unwrap(),
        r#"{"doctype":"2","customer_id":"17","lines":[{"code":"A1","qty":2.50,"price":"8,67","vat_rate":21}],"paid":"N","total":21.68}"#
    );

    let empty = NewDocument {
        lines: Vec::new(),
        note: Some("n".to_owned()),
        paid: true,
        ..request
    };
    assert_eq!(
        serde_json::to_string(&empty).unwrap(),
        r#"{"doctype":"2","customer_id":"17","lines":[],"paid":"Y","note":"n","total":21.68}"#,
        "a request keeps its empty list"
    );
}

#[test]
fn both_direction_models_round_trip_and_skip_empty_lists() {
    let customer = Customer {
        id: "5".into(),
        first_name: Some("Bo".into()),
        national_number: None,
        active: false,
        vat_liable: Some(true),
        newsletter: false,
        vip: false,
        tags: Vec::new(),
    };
    let text = serde_json::to_string(&customer).unwrap();
    assert_eq!(
        text,
        r#"{"id":"5","fistname":"Bo","active":"N","vat_liable":1,"newsletter":"-","vip":false}"#
    );
    let back: Customer = serde_json::from_str(&text).unwrap();
    assert_eq!(back, customer);
}

#[test]
fn sensitive_fields_are_hidden_in_debug() {
    let customer = Customer {
        id: "5".into(),
        first_name: Some("Bo".into()),
        national_number: Some("85.07.30-033.61".into()),
        active: true,
        vat_liable: None,
        newsletter: true,
        vip: false,
        tags: vec!["t".into()],
    };
    let debug = format!("{customer:?}");
    assert!(debug.contains("national_number: ***"), "{debug}");
    assert!(!debug.contains("85.07.30"), "{debug}");
    assert!(debug.contains("first_name: Some(\"Bo\")"), "{debug}");
    let pretty = format!("{customer:#?}");
    assert!(!pretty.contains("033.61"), "{pretty}");
}

#[test]
fn a_record_keeps_the_fields_it_does_not_name() {
    let record: Record = serde_json::from_value(json!({
        "id": 42,
        "updated": "2024-03-05 14:30:15",
        "company": "Acme",
        "balance": "125.50"
    }))
    .unwrap();
    assert_eq!(record.id, "42");
    assert_eq!(
        record.updated,
        Some(
            NaiveDate::from_ymd_opt(2024, 3, 5)
                .unwrap()
                .and_hms_opt(14, 30, 15)
                .unwrap()
        )
    );
    assert_eq!(record.rest.len(), 2);
    assert_eq!(record.rest.to_map()["company"], "Acme");
    assert_eq!(
        record.rest.get("balance").map(|v| v.get()),
        Some(r#""125.50""#)
    );
    let back = serde_json::to_value(&record).unwrap();
    assert_eq!(
        back,
        json!({"id": "42", "updated": "2024-03-05 14:30:15", "company": "Acme", "balance": "125.50"})
    );
    let blank: Record = serde_json::from_value(json!({"id": "7", "updated": ""})).unwrap();
    assert_eq!(blank.updated, None);
    assert!(blank.rest.is_empty());

    // One wire name sent, both spellings read; PHP's empty object as none.
    for (json, batch, totals) in [
        (json!({"id": 1, "bach_id": "B1", "totals": ""}), "B1", false),
        (
            json!({"id": 1, "batch_id": "B2", "totals": []}),
            "B2",
            false,
        ),
        (
            json!({"id": 1, "batch_id": "B3", "totals": {"lines": 1, "grand_total": "2.50"}}),
            "B3",
            true,
        ),
    ] {
        let record: Record = serde_json::from_value(json).unwrap();
        assert_eq!(record.batch.as_deref(), Some(batch));
        assert_eq!(record.totals.is_some(), totals);
        assert!(record.rest.is_empty(), "{:?}", record.rest);
    }
    let sent = serde_json::to_value(Record {
        id: "1".into(),
        updated: None,
        batch: Some("B9".into()),
        totals: None,
        rest: Default::default(),
    })
    .unwrap();
    assert_eq!(sent, json!({"id": "1", "bach_id": "B9"}));
}

#[test]
fn lenient_dates_and_text_lists() {
    let base = json!({
        "number": 1, "year": 2024, "total_rows": 0, "doctype": 1,
        "created": 0, "date": "01.01.2024", "totals": { "lines": 0, "grand_total": 0 },
    });
    let with = |extra: serde_json::Value| {
        let mut doc = base.clone();
        doc.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value::<Document>(doc).unwrap()
    };
    let day = NaiveDate::from_ymd_opt(2016, 1, 31);
    for text in [
        "2016-01-31",
        "31-01-2016",
        "31/01/2016",
        "2016/01/31",
        "31.01.2016",
        "2016-01-31 10:00:00",
    ] {
        assert_eq!(with(json!({ "delivered": text })).delivered, day, "{text}");
    }
    for text in ["", "0000-00-00", "soon"] {
        assert_eq!(with(json!({ "delivered": text })).delivered, None, "{text}");
    }
    let doc = with(json!({ "shipped": "31-01-2016 10:11", "links": "11, 15;16" }));
    assert_eq!(
        doc.shipped.map(|t| t.to_string()).as_deref(),
        Some("2016-01-31 10:11:00")
    );
    assert_eq!(doc.links, [11, 15, 16]);
    assert_eq!(with(json!({ "links": ["11", 12] })).links, [11, 12]);
    assert_eq!(with(json!({ "links": 7 })).links, [7]);
    assert!(with(json!({ "links": "" })).links.is_empty());
    assert!(with(json!({})).links.is_empty());
    for (paid, read) in [
        (json!("Ja"), Some(true)),
        (json!(0), Some(false)),
        (json!("soon"), None),
    ] {
        assert_eq!(with(json!({ "paid": paid })).paid, read, "{paid}");
    }
}

#[test]
fn a_json_map_rest_field_still_collects_values() {
    let loose: Loose = serde_json::from_str(r#"{"id":3,"a":"1.50","b":[true],"a":2}"#).unwrap();
    assert_eq!(loose.id, "3");
    assert_eq!(
        serde_json::Value::Object(loose.others),
        json!({"a": 2, "b": [true]})
    );
    let err = serde_json::from_str::<Loose>(r#"{"a":1}"#).unwrap_err();
    assert!(err.to_string().contains("missing field `id`"), "{err}");
}

/// A `Rest` in one canonical text (sorted keys, values as `serde_json` writes them), so a
/// model decoded by the generated visitor compares with its flatten twin through `to_map()`.
fn canonical(map: &serde_json::Map<String, serde_json::Value>) -> Rest {
    let mut rest = Rest::new();
    for (key, value) in map {
        rest.push(key, value).unwrap();
    }
    rest
}

/// A model with its rest field made [`canonical`].
trait Canonical {
    fn canonical(self) -> Self;
}

impl Canonical for Record {
    fn canonical(mut self) -> Self {
        self.rest = canonical(&self.rest.to_map());
        self
    }
}

impl Canonical for Entry {
    fn canonical(mut self) -> Self {
        self.extra = canonical(&self.extra.to_map());
        self
    }
}

/// The two rest models as the generator wrote them before their hand-written `Deserialize`:
/// derive with `#[serde(flatten)]` (same Rust names, so serde's messages match too).
mod flatten {
    use super::{DocType, Totals, canonical};

    /// `Record` as the generator wrote it before its hand-written `Deserialize`: derive + flatten.
    #[pos_client_core::serde_with::serde_as(crate = "::pos_client_core::serde_with")]
    #[derive(Debug, serde::Deserialize)]
    pub struct Record {
        #[serde_as(as = "pos_client_core::encoding::LenientString")]
        id: String,
        #[serde_as(as = "pos_client_core::encoding::SqlDateTime")]
        #[serde(default)]
        updated: Option<pos_client_core::chrono::NaiveDateTime>,
        #[serde(rename = "bach_id", alias = "batch_id", default)]
        batch: Option<String>,
        #[serde_as(as = "pos_client_core::encoding::ObjectOrEmpty")]
        #[serde(default)]
        totals: Option<Totals>,
        #[serde(flatten)]
        rest: serde_json::Map<String, serde_json::Value>,
    }

    impl From<Record> for super::Record {
        fn from(r: Record) -> super::Record {
            super::Record {
                id: r.id,
                updated: r.updated,
                batch: r.batch,
                totals: r.totals,
                rest: canonical(&r.rest),
            }
        }
    }

    /// `Entry` as the derive with flatten would read it.
    #[pos_client_core::serde_with::serde_as(crate = "::pos_client_core::serde_with")]
    #[derive(Debug, serde::Deserialize)]
    pub struct Entry {
        code: String,
        #[serde_as(
            as = "pos_client_core::encoding::OneOrMany<pos_client_core::encoding::LenientInt>"
        )]
        #[serde(default)]
        codes: Vec<i64>,
        #[serde(default)]
        tags: Vec<String>,
        #[serde(default)]
        kind: Option<DocType>,
        #[serde(rename = "entry-type", alias = "entryType", default)]
        r#type: Option<String>,
        #[serde_as(as = "pos_client_core::encoding::LenientInt")]
        count: u32,
        #[serde(flatten)]
        extra: serde_json::Map<String, serde_json::Value>,
    }

    impl From<Entry> for super::Entry {
        fn from(e: Entry) -> super::Entry {
            super::Entry {
                code: e.code,
                codes: e.codes,
                tags: e.tags,
                kind: e.kind,
                r#type: e.r#type,
                count: e.count,
                extra: canonical(&e.extra),
            }
        }
    }
}

/// Decodes `text` with the generated model and with its flatten twin, from a string (borrowed
/// keys), from bytes, from a reader and from a `serde_json::Value` (owned keys); all must agree
/// (the rest fields through `to_map()`), errors included (same message). Returns the generated
/// model's result.
fn same_as_flatten<T, F>(text: &str) -> Result<T, String>
where
    T: DeserializeOwned + PartialEq + std::fmt::Debug + Clone + Canonical,
    F: DeserializeOwned + Into<T>,
{
    let canon = |r: &Result<T, String>| r.clone().map(Canonical::canonical);
    let ours = serde_json::from_str::<T>(text).map_err(|e| e.to_string());
    let flatten = serde_json::from_str::<F>(text)
        .map(Into::into)
        .map_err(|e| e.to_string());
    assert_eq!(canon(&ours), flatten, "from_str: {text}");
    let bytes = serde_json::from_slice::<T>(text.as_bytes()).map_err(|e| e.to_string());
    assert_eq!(bytes, ours, "from_slice: {text}");
    let reader = serde_json::from_reader::<_, T>(text.as_bytes()).map_err(|e| e.to_string());
    // (A reader's error positions are its own, one column further on: compare outcomes.)
    assert_eq!(
        canon(&reader).ok(),
        canon(&ours).ok(),
        "from_reader: {text}"
    );
    assert_eq!(reader.is_ok(), ours.is_ok(), "from_reader: {text}");
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
        let ours = serde_json::from_value::<T>(value.clone()).map_err(|e| e.to_string());
        let flatten = serde_json::from_value::<F>(value)
            .map(Into::into)
            .map_err(|e| e.to_string());
        assert_eq!(canon(&ours), flatten, "from_value: {text}");
    }
    ours
}

fn record(text: &str) -> Result<Record, String> {
    same_as_flatten::<Record, flatten::Record>(text)
}

fn entry(text: &str) -> Result<Entry, String> {
    same_as_flatten::<Entry, flatten::Entry>(text)
}

#[test]
fn a_record_decodes_every_field_as_the_flatten_derive_did() {
    let full = record(
        r#"{"z":1,"id":42,"updated":"2024-03-05 14:30:15","batch_id":"B1",
            "totals":{"lines":2,"grand_total":"3.50"},"company":"Acme","n":null,
            "nested":{"a":[1,2.5,"x",true]},"rest":"a key named like the rest field"}"#,
    )
    .unwrap();
    assert_eq!(full.id, "42");
    assert_eq!(
        full.updated,
        NaiveDate::from_ymd_opt(2024, 3, 5).and_then(|d| d.and_hms_opt(14, 30, 15))
    );
    assert_eq!(full.batch.as_deref(), Some("B1"));
    assert_eq!(full.totals.as_ref().map(|t| t.lines), Some(2));
    assert_eq!(
        serde_json::Value::Object(full.rest.to_map()),
        json!({"z": 1, "company": "Acme", "n": null, "nested": {"a": [1, 2.5, "x", true]},
               "rest": "a key named like the rest field"})
    );

    // Absent optional fields are None, the rest map empty.
    let bare = record(r#"{"id":"7"}"#).unwrap();
    assert_eq!(
        bare,
        Record {
            id: "7".into(),
            updated: None,
            batch: None,
            totals: None,
            rest: Default::default(),
        }
    );
    // Null and PHP's empty values go through the adapters as before.
    let blank = record(r#"{"id":"7","updated":"","bach_id":null,"totals":[]}"#).unwrap();
    assert_eq!(blank, bare);
    assert_eq!(record(r#"{"id":"7","totals":""}"#).unwrap(), bare);

    // Escaped keys are matched after unescaping, known or not.
    let escaped = record(r#"{"id":1,"b\u0061ch_id":"B2","caf\u00e9":"x"}"#).unwrap();
    assert_eq!(escaped.batch.as_deref(), Some("B2"));
    assert_eq!(escaped.rest.to_map()["café"], "x");
    assert_eq!(escaped.rest.keys().collect::<Vec<_>>(), ["café"]);

    // A repeated unknown key keeps its last value.
    let repeated = record(r#"{"id":1,"k":1,"k":2}"#).unwrap();
    assert_eq!(repeated.rest.to_map()["k"], 2);
    assert_eq!(repeated.rest.len(), 1);

    // Values are kept as sent: a number's digits, a string's escapes.
    let exact = record(r#"{"id":1,"price":125.50,"e":1E2,"s":"a\"b"}"#).unwrap();
    assert_eq!(exact.rest.get("price").map(|v| v.get()), Some("125.50"));
    assert_eq!(exact.rest.get("e").map(|v| v.get()), Some("1E2"));
    assert_eq!(exact.rest.get_as::<String>("s").unwrap().unwrap(), "a\"b");
}

#[test]
fn a_record_fails_as_the_flatten_derive_did() {
    for (text, expected) in [
        (
            r#"{"updated":"2024-03-05 14:30:15","x":1}"#,
            "missing field `id`",
        ),
        (r#"{}"#, "missing field `id`"),
        (r#"{"id":1,"id":2}"#, "duplicate field `id`"),
        (
            r#"{"id":1,"bach_id":"a","batch_id":"b"}"#,
            "duplicate field `bach_id`",
        ),
        (
            r#"{"id":1,"batch_id":"a","batch_id":"b"}"#,
            "duplicate field `bach_id`",
        ),
        (
            r#"{"id":1,"totals":"","totals":[]}"#,
            "duplicate field `totals`",
        ),
        (
            r#"{"id":1,"updated":"5 March"}"#,
            "input contains invalid characters",
        ),
        (r#"{"id":{"a":1}}"#, "invalid type"),
        (r#"{"id":1,"totals":{"lines":"x"}}"#, "invalid type"),
        (r#"[1]"#, "expected struct Record"),
        (r#""text""#, "expected struct Record"),
        (r#"{"id":1,"x":}"#, "expected value"),
    ] {
        let err = record(text).unwrap_err();
        assert!(err.contains(expected), "{text}: {err}");
    }
}

#[test]
fn a_response_only_entry_decodes_lists_enums_and_keywords_as_the_flatten_derive_did() {
    let full = entry(
        r#"{"code":"A","codes":["1",2],"tags":["t"],"kind":"CN","entry-type":"x",
            "count":"3","other":{"deep":[null]}}"#,
    )
    .unwrap();
    assert_eq!(
        full,
        Entry {
            code: "A".into(),
            codes: vec![1, 2],
            tags: vec!["t".into()],
            kind: Some(DocType::CreditNote),
            r#type: Some("x".into()),
            count: 3,
            extra: canonical(json!({"other": {"deep": [null]}}).as_object().unwrap()),
        }
    );
    // Absent lists are empty; one_or_many also reads null and "" as empty.
    let bare = entry(r#"{"code":"B","count":0}"#).unwrap();
    assert!(bare.codes.is_empty() && bare.tags.is_empty() && bare.extra.is_empty());
    assert_eq!((bare.kind, bare.r#type), (None, None));
    for empty in ["null", r#""""#] {
        let text = format!(r#"{{"code":"B","count":0,"codes":{empty}}}"#);
        assert!(entry(&text).unwrap().codes.is_empty(), "{text}");
    }
    assert_eq!(
        entry(r#"{"code":"B","count":0,"entryType":"alias"}"#)
            .unwrap()
            .r#type
            .as_deref(),
        Some("alias")
    );
    assert_eq!(
        entry(r#"{"code":"B","count":0,"kind":"ZZ"}"#).unwrap().kind,
        Some(DocType::Unknown("ZZ".into()))
    );

    for (text, expected) in [
        (r#"{"count":1}"#, "missing field `code`"),
        (r#"{"code":"A"}"#, "missing field `count`"),
        (
            r#"{"code":"A","count":1,"code":"B"}"#,
            "duplicate field `code`",
        ),
        (
            r#"{"code":"A","count":1,"tags":[],"tags":[]}"#,
            "duplicate field `tags`",
        ),
        (
            r#"{"code":"A","count":1,"codes":[1],"codes":[]}"#,
            "duplicate field `codes`",
        ),
        (
            r#"{"code":"A","count":1,"entryType":"a","entry-type":"b"}"#,
            "duplicate field `entry-type`",
        ),
        (
            r#"{"code":"A","count":1,"kind":null,"kind":"1"}"#,
            "duplicate field `kind`",
        ),
        (r#"{"code":5,"count":1}"#, "invalid type"),
        (r#"{"code":"A","count":"many"}"#, "many"),
        (
            r#"{"code":"A","count":1,"codes":"9"}"#,
            "expected one object or an array",
        ),
        (r#"{"code":"A","count":1,"tags":"t"}"#, "invalid type"),
    ] {
        let err = entry(text).unwrap_err();
        assert!(err.contains(expected), "{text}: {err}");
    }
}
