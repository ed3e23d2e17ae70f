//! The envelope rules of `cloudpos_client::envelope` (where a CloudPOS answer keeps its records
//! or its error), checked through the public `decode_list`: every accepted shape, records keyed
//! by id, a record's own fields named like envelope keys, and error codes written as numbers or
//! strings. An error answer is `Err("errorcode {code}: {message}")`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudpos_client::envelope::decode_list;

fn ids(function: &str, body: &str) -> Vec<i64> {
    #[derive(serde::Deserialize)]
    struct Id {
        id: i64,
    }
    decode_list::<Id>(function, body.as_bytes())
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect()
}

#[test]
fn every_documented_envelope_shape_yields_the_records() {
    let f = |body: &str| ids("get-products", body);
    assert_eq!(f(r#"[{"id":1},{"id":2}]"#), [1, 2]);
    assert_eq!(f(r#"{"success":1,"data":[{"id":1},{"id":2}]}"#), [1, 2]);
    assert_eq!(f(r#"{"success":1,"products":[{"id":3}]}"#), [3]);
    assert_eq!(f(r#"{"success":"1","get-products":[{"id":4}]}"#), [4]);
    assert_eq!(f(r#"{"success":1,"whatever":[{"id":5}]}"#), [5]);
    assert_eq!(f(r#"{"success":1,"0":{"id":6},"1":{"id":7}}"#), [6, 7]);
    assert_eq!(f(r#"{"success":1,"10":{"id":10},"2":{"id":2}}"#), [2, 10]);
    assert_eq!(
        f(r#"{"success":1,"data":{"6":{"id":6},"7":{"id":7}}}"#),
        [6, 7]
    );
    assert_eq!(f(r#"{"success":1,"data":{"id":8,"name":"x"}}"#), [8]);
    assert_eq!(f(r#"{"id":9,"productlink":[1,2]}"#), [9]);
    assert_eq!(
        ids("get-coupon", r#"{"success":1,"coupons":[{"id":3}]}"#),
        [3]
    );
    assert_eq!(f(r#"{"success":1}"#), Vec::<i64>::new());
    assert_eq!(f(r#"{"success":1,"data":[]}"#), Vec::<i64>::new());
    assert_eq!(f(r#"{"success":1,"data":null}"#), Vec::<i64>::new());
    assert_eq!(f("null"), Vec::<i64>::new());
    assert!(decode_list::<serde_json::Value>("get-products", b" ").is_err());
    assert!(decode_list::<serde_json::Value>("get-products", b"").is_err());
    assert_eq!(f(r#"{"errorcode":"2000"}"#), Vec::<i64>::new());
}

#[test]
fn a_top_level_record_keeps_its_own_status() {
    #[derive(serde::Deserialize)]
    struct Table {
        status: String,
    }
    let tables: Vec<Table> = decode_list(
        "get-tables",
        br#"{"success":1,"id":4,"table":"4","status":"2"}"#,
    )
    .unwrap();
    assert_eq!(tables[0].status, "2");
}

#[test]
fn a_field_named_like_the_noun_is_the_records_field_not_the_list() {
    #[derive(serde::Deserialize)]
    struct Payment {
        id: i64,
        payment: String,
    }
    let one: Vec<Payment> =
        decode_list("get-payment", br#"{"success":1,"id":1,"payment":"Cash"}"#).unwrap();
    assert_eq!(
        (one.len(), one[0].id, one[0].payment.as_str()),
        (1, 1, "Cash")
    );
    // Without `success`, with the id as a string, and without an id at all.
    let f = |body: &str| {
        decode_list::<serde_json::Value>("get-payment", body.as_bytes())
            .unwrap()
            .into_iter()
            .map(|r| r["payment"].as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        f(r#"{"id":"2","payment":"Bancontact"}"#),
        [Some("Bancontact".into())]
    );
    assert_eq!(
        f(r#"{"success":1,"payment":"Visa"}"#),
        [Some("Visa".into())]
    );
    // The noun, its plural and the function name still hold the records when they are a
    // list, records keyed by id, or one record object.
    let g = |body: &str| ids("get-payment", body);
    assert_eq!(g(r#"{"success":1,"payment":[{"id":1},{"id":2}]}"#), [1, 2]);
    assert_eq!(g(r#"{"success":1,"payments":[{"id":3}]}"#), [3]);
    assert_eq!(g(r#"{"success":1,"get-payment":{"4":{"id":4}}}"#), [4]);
    assert_eq!(
        g(r#"{"success":1,"payment":{"id":5,"payment":"Cash"}}"#),
        [5]
    );
    assert_eq!(g(r#"{"success":1,"payments":null}"#), Vec::<i64>::new());
    // The other documented field lists hold no field named like their function's noun;
    // the nearest, `get-tables`' `table`, is a field too.
    assert_eq!(
        ids("get-tables", r#"{"success":1,"id":6,"table":"tables"}"#),
        [6]
    );
    assert_eq!(
        ids("get-tables", r#"{"success":1,"id":7,"tables":"7"}"#),
        [7]
    );
}

#[test]
fn a_record_with_its_own_id_keeps_fields_named_like_record_keys() {
    let f = |body: &str| ids("get-customercredits", body);
    assert_eq!(f(r#"{"success":1,"id":1,"data":"x"}"#), [1]);
    assert_eq!(f(r#"{"id":2,"result":"ok","items":"3"}"#), [2]);
    assert_eq!(f(r#"{"id":3,"records":[4,5]}"#), [3]);
    assert_eq!(f(r#"{"id":4,"results":{"id":9}}"#), [4]);
    assert_eq!(f(r#"{"id":5,"customercredits":null}"#), [5]);
    // Without an id of its own the object is a wrapper, as before: a scalar under `data`
    // is no records (PHP's empty value), an object or array there holds them.
    assert_eq!(f(r#"{"success":1,"data":""}"#), Vec::<i64>::new());
    assert_eq!(f(r#"{"success":1,"result":[{"id":6}]}"#), [6]);
    assert_eq!(f(r#"{"success":1,"items":{"id":7}}"#), [7]);
}

/// What `decode_list` gives for an error answer: its code and message.
fn error(code: &str, message: &str) -> Result<Vec<serde_json::Value>, String> {
    Err(format!("errorcode {code}: {message}"))
}

/// No records, and no error.
fn empty() -> Result<Vec<serde_json::Value>, String> {
    Ok(Vec::new())
}

#[test]
fn errorcodes_are_numbers_or_strings() {
    let r = |body: &str| decode_list::<serde_json::Value>("get-products", body.as_bytes());
    assert_eq!(
        r(r#"{"errorcode":1002,"message":"Token or name not valid"}"#),
        error("1002", "Token or name not valid")
    );
    assert_eq!(
        r(r#"{"errorcode":"1003","error":"Limit"}"#),
        error("1003", "Limit")
    );
    assert_eq!(r(r#"{"errorcode":"2001","msg":" x "}"#), error("2001", "x"));
    // Nothing besides the envelope: no records (not the envelope read as one record).
    assert_eq!(r(r#"{"success":1,"errorcode":0}"#), empty());
    assert_eq!(r(r#"{"errorcode":"abc"}"#), error("abc", ""));
    // The document writes each code with its meaning: the number is the code, the rest the
    // message when no message field says more.
    assert_eq!(
        r(r#"{"errorcode":"1002 Token or name not valid"}"#),
        error("1002", "Token or name not valid")
    );
    assert_eq!(
        r(r#"{"errorcode":"1004 ip blocked","message":"until 2026-01-01 10:00:00"}"#),
        error("1004", "until 2026-01-01 10:00:00")
    );
    assert_eq!(r(r#"{"errorcode":"2000 No products found"}"#), empty());
    // After a byte-order mark (a PHP file saved with one) the code is still read.
    assert_eq!(
        decode_list::<serde_json::Value>("get-users", b"\xEF\xBB\xBF{\"errorcode\":1002}"),
        error("1002", "")
    );
    assert_eq!(r(r#"{"errorcode":"abc 1002"}"#), error("abc 1002", ""));
    // 2000 is an empty list, but an error for a one-record function.
    assert_eq!(r(r#"{"errorcode":2000}"#), empty());
    assert_eq!(
        decode_list::<serde_json::Value>("get-invoicesigned", br#"{"errorcode":2000}"#),
        error("2000", "")
    );
    // success 0 without a code is a failure (code 0), never "nothing found".
    assert_eq!(r(r#"{"success":0}"#), error("0", ""));
    assert_eq!(r(r#"{"success":"0","message":"x"}"#), error("0", "x"));
    assert_eq!(r(r#"{"success":false,"errorcode":""}"#), error("0", ""));
}
