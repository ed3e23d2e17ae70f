//! The decoder's corpus: the vendor document's example answers, and the sandbox's own answers
//! to a scripted session.

use std::collections::HashMap;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use pos_client_core::sandbox::Sample;
use pos_client_core::sandbox::axum::body::HttpBody;

use crate::sandbox::{SANDBOX_PASSWORD, SANDBOX_USER, Sandbox, Shared};

/// The vendor document's example answers, per act. The USERACCESS examples twice: as the
/// document prints them (bare keys, which the client quotes before reading) and with their keys
/// quoted (JSON, so that the mutations also swap their values).
pub(super) const DOCUMENT_EXAMPLES: &[(&str, &str)] = &[
    (
        "USERACCESS",
        "{\n status: 1,\n msg: \"\",\n time: 0.281,\n data: {\n  accesstoken: \"xxxxxxxxxxxxxxxx\" }\n}",
    ),
    (
        "USERACCESS",
        "{\n status: 0,\n msg: \"Invalid user or password!\",\n time: 1.006,\n data: null\n}",
    ),
    (
        "USERACCESS",
        r#"{"status": 1, "msg": "", "time": 0.281, "data": {"accesstoken": "xxxxxxxxxxxxxxxx"}}"#,
    ),
    (
        "USERACCESS",
        r#"{"status": 0, "msg": "Invalid user or password!", "time": 1.006, "data": null}"#,
    ),
    (
        "ODOC_NEW",
        r#"{"status": 0, "msg": "NEW LS.2T You do not have privileges to do this operation!", "time": 0.269, "data": null}"#,
    ),
    (
        "ODOC_NEW",
        r#"{"status": 1, "msg": "", "time": 0.031, "data": {"docuid": "0001077484" }}"#,
    ),
    (
        "ODOC_MODIFY",
        r#"{"status": 1, "msg": "", "time": 0.047, "data": {"docuid": "0003443324" }}"#,
    ),
    (
        "ODOC_MODIFY",
        r#"{"status": 0, "msg": "Document does not exist 0003443324x", "time": 0.062, "data": null}"#,
    ),
    (
        "ODOC_SETDATA",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_CHECK",
        r#"{"status": 1, "msg": "", "time": 0.046, "data": null}"#,
    ),
    (
        "ODOC_CHECK",
        r#" {"status": 0, "msg": "Invalid UID: 000344332", "time": 0.046, "data": null}"#,
    ),
    (
        "ODOC_LIST",
        r#"{"status": 1, "msg": "", "time": 0.257, "data": [ {"docuid": "0001077482" }, {"docuid": "0001077552" } ]}"#,
    ),
    ("ODOC_GETDOC", GETDOC_EXAMPLE),
    (
        "ODOC_GETDOC",
        r#" {"status": 0, "msg": "Invalid UID: 0003443324", "time": 0.047, "data": null}"#,
    ),
    (
        "ODOC_ITEMSALE",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_BARCODESALE",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_ITEMSETQTY",
        r#"{"status": 0, "msg": "Request sent and answer received.", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_ROWDEL",
        r#"{"status": 0, "msg": "Request sent and answer received.", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_GETPAYMODES",
        r#" {"status": 1, "msg": "", "time": 0.047, "data": {"paymodescondition": "C,B,G,U", "partialpayment": 1, "nopayment": 1, "paymentmodes": [ {"id": "C", "name": "Cash", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" }, {"id": "B", "name": "Bank Card", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" }, {"id": "U", "name": "Customer Card", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" }, {"id": "G", "name": "Gift certificate", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" } ] }}"#,
    ),
    (
        "ODOC_GETPAYMODES",
        r#" {"status": 0, "msg": "Invalid UID: 0003443324", "time": 0.047, "data": null}"#,
    ),
    (
        "ODOC_SETPAYMENT",
        r#"{"status": 0, "msg": "Invalid UID: 000344332", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_ADDEVENT",
        r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#,
    ),
    (
        "ODOC_CANCEL",
        r#"{"status": 1, "msg": "", "time": 0.264, "data": null}"#,
    ),
    (
        "ODOC_CANCEL",
        r#"{"status": 0, "msg": "Invalid UID: 0001077482", "time": 0.031, "data": null}"#,
    ),
    (
        "ODOC_COMPLETE",
        r#"{ "status": 1, "msg": "", "time": 0.254, "data": { "dhid": 1077484 } }"#,
    ),
    (
        "ODOC_COMPLETE",
        r#"{"status": 0, "msg": "Cannot save document! Document row 1: BACH_ID on NULL!", "time": 0.25, "data": null}"#,
    ),
    (
        "DOCCHANGESTATE",
        r#"{ "status": 1, "msg": "", "time": 0.047, "data": null}"#,
    ),
    (
        "DOCCHANGESTATE",
        r#"{ "status": 0, "msg": "Invalid document state ID value: '2'", "time": 0.032, "data": null}"#,
    ),
];

/// The vendor document's `ODOC_GETDOC` success example, whole.
const GETDOC_EXAMPLE: &str = r#"{"status": 1, "msg": "", "time": 0.844, "data": {"amount": 15.00, "amounttopay": 15.00, "document": {"documentname": "Test document", "company": {"searchcode": "27864", "regno": "10000000", "name": "TEST", "address": "TEST 7", "vatregno": "EE1000000", "wwwaddr": "www.test.ee", "address1": "Test 7", "address2": "", "city": "Tallinn", "zip": "60000", "county": "Harjumaa", "country_id": "EST" }, "header": {"id": "3443324", "doctype_id": "LV", "status_id": "12", "location_id": "TST", "datetime": "03.03.2020 15:32:22", "documentno": "000002-0TST1", "location": {"searchcode": "TST", "name": "Test äri", "address": "TEST", "address1": "Test", "city": "Tallinn", "zip": "60000", "county": "Harjumaa", "country_id": "EST" }, "locationcontact": {"name": "Astro Test 2", "phone": "55667788", "email": "test@noom.ee", "searchcode": "34694" }, "customer_id": 1, "customer": {"searchcode": "ASTRO", "regno": "10386779", "name": "Astro Baltics OÜ", "address": "Raatuse tn 20, Tartu linn Tartu linn 51009 EST", "vatregno": "EE100042395", "wwwaddr": "www.noom.ee", "address1": "Raatuse tn 20, Tartu linn", "city": "Tartu linn", "zip": "51009", "county": "Tartu maakond", "country_id": "EST" }, "object_id": "TESH", "currency_id": "EUR", "language_id": "ET", "docstate_id": "K", "additional13": "123", "ref_testref": "123", "unique_id": "0003443324", "stockdirection": "O", "stockentrytype": "O", "creationdatetime": "03.03.2020 15:32:22", "cardprocesstype": "0", "ledgeroperation": "LV6", "sent": "", "workplace_id": "TEST", "user_id": "APITEST", "pos_id": "", "table_id": "", "disableledgerop": "", "remotedocheader_id": "", "opentable": "", "shift_id": "", "disablestockop": "", "disableledgerop2": "", "person_id": "" }, "rows": {"row": {"id": "22359320", "batch_id": 34463, "product_id": 15848, "quantity": 5, "price": 3, "amount": 15, "price1": 6.5, "priceclassprice": 6.5, "measurunit_id": "TK", "searchcode": "601264", "batchname": "T", "text": "Test (Tst)", "vat_id": "20", "group_id": "Test", "netprice": 2.5, "pricefixed": "+", "unique_id": "0022359320", "service": "-", "barcode": "60104410", "netamount": 12.5, "vatrate": 20, "vatamount": 2.5, "producerprodcode": "28.11", "supplier_id": "40", "recipe_id": "0", "transactiontime": "03.03.2020 16:31:57" } }, "payments": {"payment": {"paymentdatetime": "03.03.2020", "paymenttype": "P", "paymenttypename": "Payment", "paymentmode": "B", "paymentmodename": "Bank Card", "paymentmodeex": "", "amount": "15,00", "amountincurrency": "15,00", "currency_id": "EUR", "text": "", "creationdatetime": "03.03.2020 16:48:38", "unique_id": "0002164897", "location_id": "TST", "workplace_id": "Test", "user_id": "APITEST" } } } }}"#;

/// The sandbox's own answers to a scripted session (every act, successes and failures), taken
/// from its handler without a server: a fresh default sandbox state.
pub(super) fn sandbox_answers() -> Vec<Sample> {
    let shared = Sandbox::builder().shared();
    let mut out = Vec::new();
    let mut call = |act: &'static str, params: &[(&str, &str)]| {
        let mut p: HashMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        p.insert("act".to_owned(), act.to_owned());
        let (status, body) = answer_of(&shared, &p);
        out.push((act, status, body.clone()));
        serde_json::from_slice::<serde_json::Value>(&body).unwrap_or_default()
    };
    let text = |v: &serde_json::Value, key: &str| {
        v.pointer(key)
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    call("USERACCESS", &[("user", SANDBOX_USER), ("pass", "wrong")]);
    let login = call(
        "USERACCESS",
        &[("user", SANDBOX_USER), ("pass", SANDBOX_PASSWORD)],
    );
    let token = text(&login, "/data/accesstoken");
    let t = token.as_str();
    call("ODOC_LIST", &[("accesstoken", "expired")]);
    call(
        "ODOC_NEW",
        &[("accesstoken", t), ("doctype", "LS"), ("docst", "9")],
    );
    let new = call(
        "ODOC_NEW",
        &[("accesstoken", t), ("doctype", "LS"), ("docst", "2T")],
    );
    let uid = text(&new, "/data/docuid");
    let d = |extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("accesstoken", t.to_owned()), ("docuid", uid.clone())];
        p.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
        p
    };
    let mut on_doc = |act: &'static str, extra: &[(&'static str, &'static str)]| {
        let p = d(extra);
        let refs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
        call(act, &refs)
    };
    on_doc(
        "ODOC_ITEMSALE",
        &[("searchcode", "GA0004"), ("getdoc", "1")],
    );
    on_doc(
        "ODOC_BARCODESALE",
        &[
            ("barcode", "60104410"),
            ("doinsert", "1"),
            ("rowno", "2"),
            ("quantity", "5"),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_SETDATA",
        &[
            ("objname", "header"),
            ("objdata", r#"{"customer_id":1,"text":"x"}"#),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_ITEMSETQTY",
        &[("rowno", "1"), ("quantity", "2,5"), ("getdoc", "1")],
    );
    on_doc("ODOC_ITEMSETQTY", &[("rowno", "9"), ("quantity", "1")]);
    on_doc("ODOC_ITEMSALE", &[("batch_id", "58"), ("getdoc", "1")]);
    on_doc("ODOC_ROWDEL", &[("rowno", "3"), ("getdoc", "1")]);
    on_doc("ODOC_ROWDEL", &[("rowno", "9")]);
    on_doc("ODOC_CHECK", &[]);
    on_doc("ODOC_GETDOC", &[("what", "1")]);
    on_doc("ODOC_GETDOC", &[("what", "2")]);
    on_doc("ODOC_GETDOC", &[("what", "3")]);
    on_doc("ODOC_GETPAYMODES", &[("getdoc", "1")]);
    on_doc(
        "ODOC_SETPAYMENT",
        &[
            ("paymentmode", "C"),
            ("paymenttype", "P"),
            ("amount", "5,00"),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_SETPAYMENT",
        &[
            ("paymentmode", "B"),
            ("paymenttype", "P"),
            ("amount", "10"),
            ("getdoc", "1"),
        ],
    );
    on_doc(
        "ODOC_ADDEVENT",
        &[
            ("de_act", "TEST"),
            ("de_sourcetype_id", "API"),
            ("de_source_id", "1"),
        ],
    );
    on_doc("ODOC_COMPLETE", &[("getdoc", "1")]);
    on_doc("ODOC_CHECK", &[]);
    call("ODOC_LIST", &[("accesstoken", t)]);
    let u = uid.as_str();
    call(
        "ODOC_MODIFY",
        &[("accesstoken", t), ("docuid", u), ("local", "0")],
    );
    call(
        "ODOC_MODIFY",
        &[("accesstoken", t), ("docuid", "0000000001"), ("local", "0")],
    );
    call("ODOC_LIST", &[("accesstoken", t)]);
    call("ODOC_CANCEL", &[("accesstoken", t), ("docuid", u)]);
    call("ODOC_CANCEL", &[("accesstoken", t), ("docuid", u)]);
    call(
        "DOCCHANGESTATE",
        &[("accesstoken", t), ("docuid", u), ("newstate", "K")],
    );
    call(
        "DOCCHANGESTATE",
        &[("accesstoken", t), ("docuid", u), ("newstate", "2")],
    );
    let blank = call(
        "ODOC_NEW",
        &[("accesstoken", t), ("doctype", "LS"), ("docst", "0")],
    );
    let blank_uid = text(&blank, "/data/docuid");
    call(
        "ODOC_SETDATA",
        &[
            ("accesstoken", t),
            ("docuid", &blank_uid),
            ("objname", "rows"),
            ("objdata", r#"[{"object_id":"PSTM"}]"#),
        ],
    );
    call(
        "ODOC_COMPLETE",
        &[("accesstoken", t), ("docuid", &blank_uid)],
    );
    call("ODOC_LIST", &[("accesstoken", t)]);
    out
}

/// The sandbox handler's answer to `params`: status and body, read without a runtime (the
/// handler's JSON bodies are complete at once).
fn answer_of(shared: &Shared, params: &HashMap<String, String>) -> (u16, Vec<u8>) {
    let response = crate::sandbox::acts::dispatch(shared, params);
    let status = response.status().as_u16();
    let mut body = pin!(response.into_body());
    let mut out = Vec::new();
    let mut cx = Context::from_waker(Waker::noop());
    while let Poll::Ready(Some(Ok(frame))) = body.as_mut().poll_frame(&mut cx) {
        if let Ok(data) = frame.into_data() {
            out.extend_from_slice(&data);
        }
    }
    (status, out)
}
