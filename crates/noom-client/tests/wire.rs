//! Wire tests against httpmock: for every act the exact method, path, headers, query string and
//! form body, with the vendor's own example answers, verbatim (the web page's no-break spaces
//! as plain spaces). The USERACCESS examples are JavaScript objects with unquoted keys: most
//! tests log in with a quoted copy, and `useraccess_reads_the_documents_unquoted_keys` with the
//! document's own text.
//!
//! The default placement (`ParamPlacement::QueryAndBody`) satisfies both readings of the
//! document: the query is exactly the example URL's (`act=…&<parameters>&accesstoken=…`: "Access
//! token must be provided as part of the query string") and the body holds the same parameters
//! again (every call a POST "in traditional parameter1=value1&parameter2=value2 format");
//! `USERACCESS` sends `user` and `pass` so too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use httpmock::prelude::*;
use noom_client::models::{DocumentPatch, HeaderData, RowData};
use noom_client::requests::{BarcodeSale, Event, ItemSale, Payment, PaymentTime, Related, SetData};
use noom_client::{
    Client, DecimalSeparator, Dhid, DocState, DocType, DocUid, DocumentKey, GetDocWhat, Money,
    NoomCode, ParamPlacement, RetryPolicy,
};
use pos_client_core::chrono::NaiveDate;
use rust_decimal_macros::dec;

const TOKEN: &str = "xxxxxxxxxxxxxxxx";
const PASSWORD: &str = "PASS-w0rd&=";
const FORM: &str = "application/x-www-form-urlencoded";
const USER_AGENT: &str = concat!("noom-client/", env!("CARGO_PKG_VERSION"));

/// The seed's USERACCESS success, with its keys quoted.
const LOGIN_OK: &str = r#"{
 "status": 1,
 "msg": "",
 "time": 0.281,
 "data": {
  "accesstoken": "xxxxxxxxxxxxxxxx" }
}"#;

/// The seed's USERACCESS error, with its keys quoted.
const LOGIN_ERROR: &str = r#"{
 "status": 0,
 "msg": "Invalid user or password!",
 "time": 1.006,
 "data": null
}"#;

/// The seed's USERACCESS success, verbatim: unquoted keys.
const LOGIN_OK_AS_DOCUMENTED: &str = r#"{
 status: 1,
 msg: "",
 time: 0.281,
 data: {
  accesstoken: "xxxxxxxxxxxxxxxx" }
}"#;

/// The seed's USERACCESS error, verbatim: unquoted keys.
const LOGIN_ERROR_AS_DOCUMENTED: &str = r#"{
 status: 0,
 msg: "Invalid user or password!",
 time: 1.006,
 data: null
}"#;

/// The seed's ODOC_GETDOC success example, verbatim (without the page's leading no-break space).
const GETDOC_OK: &str = include_str!("getdoc_example.json");

/// The ODOC_SETDATA and ODOC_ITEMSALE success (document lines 232-237 and 494-499, the same
/// text), verbatim.
const OK_NULL: &str = r#"{
"status": 1,
"msg": "",
"time": 0.012,
"data": null
}"#;

/// The ODOC_MODIFY success (document lines 157-163), verbatim.
const MODIFY_OK: &str = r#"{
"status": 1,
"msg": "",
"time": 0.047,
"data": {
"docuid": "0003443324" }
}"#;

/// The ODOC_BARCODESALE and ODOC_ADDEVENT failure (document lines 531-537 and 758-764, the
/// same text), verbatim.
const INVALID_UID_000344332: &str = r#" {
"status": 0,
"msg": "Invalid UID: 000344332",
"time": 0.047,
"data": null
}"#;

/// The ODOC_ITEMSETQTY success (document lines 561-566; ODOC_ADDEVENT's, lines 752-757, is the
/// same text), verbatim.
const ITEMSETQTY_OK: &str = r#" {
"status": 1,
"msg": "",
"time": 0.031,
"data": null
}"#;

/// The ODOC_SETPAYMENT success (document lines 713-718), verbatim.
const SETPAYMENT_OK: &str = r#" {
"status": 1,
"msg": "",
"time": 0.047,
"data": null
}"#;

/// The ODOC_COMPLETE success (document lines 818-824), verbatim.
const COMPLETE_OK: &str = r#"{
 "status": 1,
 "msg": "",
 "time": 0.254,
 "data": {
  "dhid": 1077484  }
}"#;

/// The ODOC_GETDOC and ODOC_GETPAYMODES failure (document lines 454-459 and 672-677, the same
/// text), verbatim.
const INVALID_UID_0003443324: &str = r#" {
"status": 0,
"msg": "Invalid UID: 0003443324",
"time": 0.047,
"data": null
}"#;

/// Form-encodes pairs in order, as the expected body.
fn enc(pairs: &[(&str, &str)]) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// The body of an act in the body-only placement: `act`, the parameters, then `accesstoken`.
fn act_body(act: &str, params: &[(&str, &str)]) -> String {
    let mut pairs = vec![("act", act)];
    pairs.extend_from_slice(params);
    pairs.push(("accesstoken", TOKEN));
    enc(&pairs)
}

/// The exact query string of an act in the default placement, as the document's example URLs
/// have it: `act`, the parameters, then `accesstoken`.
fn act_query(act: &str, params: &[(&str, &str)]) -> String {
    let mut pairs = vec![("act", act)];
    pairs.extend_from_slice(params);
    pairs.push(("accesstoken", TOKEN));
    enc_query(&pairs)
}

/// The form body of an act in the default placement: `act`, then the parameters.
fn act_form(act: &str, params: &[(&str, &str)]) -> String {
    let mut pairs = vec![("act", act)];
    pairs.extend_from_slice(params);
    enc(&pairs)
}

/// Encodes pairs as the client writes a query string: as [`enc`], a space as `%20`.
fn enc_query(pairs: &[(&str, &str)]) -> String {
    enc(pairs).replace('+', "%20")
}

/// Matches a request whose raw query string is exactly `expected`.
fn query_is(expected: String) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    move |req| req.uri().query() == Some(expected.as_str())
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.url("/api/"))
        .user("APITEST")
        .password(PASSWORD)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap()
}

async fn login(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .header("accept", "application/json")
                .header("user-agent", USER_AGENT)
                .is_true(query_is(enc_query(&[
                    ("act", "USERACCESS"),
                    ("user", "APITEST"),
                    ("pass", PASSWORD),
                ])))
                .body(enc(&[
                    ("act", "USERACCESS"),
                    ("user", "APITEST"),
                    ("pass", PASSWORD),
                ]));
            then.status(200)
                .header("content-type", "application/json")
                .body(LOGIN_OK);
        })
        .await
}

/// Mocks one act in the default placement (exact query `act=…&<parameters>&accesstoken=…`,
/// exact form body `act=…&<parameters>`) and answers `answer`.
async fn act<'a>(
    server: &'a MockServer,
    act: &str,
    params: &[(&str, &str)],
    answer: &str,
) -> httpmock::Mock<'a> {
    let query = act_query(act, params);
    let body = act_form(act, params);
    let answer = answer.to_owned();
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .header("accept", "application/json")
                .header("user-agent", USER_AGENT)
                .is_true(query_is(query))
                .body(body);
            then.status(200)
                .header("content-type", "application/json")
                .body(answer);
        })
        .await
}

fn uid(s: &str) -> DocUid {
    DocUid::new(s).unwrap()
}

/// Asserts `err` is the document's failure answer: its own code and message, a plain failure
/// (not outcome-unknown, not retried).
fn assert_failure(err: &noom_client::Error, code: NoomCode, msg: &str) {
    assert!(
        err.code() == Some(&code)
            && err.message() == Some(msg)
            && !err.is_outcome_unknown()
            && !err.is_retryable(),
        "{err:?}"
    );
}

#[tokio::test]
async fn useraccess_sends_user_and_password_in_the_body_once() {
    let server = MockServer::start_async().await;
    let login = login(&server).await;
    let list = act(
        &server,
        "ODOC_LIST",
        &[],
        r#"{
"status": 1,
"msg": "",
"time": 0.257,
"data": [ {
"docuid": "0001077482" },
{
"docuid": "0001077552" } ]
}"#,
    )
    .await;
    let client = client(&server);
    let open = client.list_open_documents().await.unwrap();
    assert_eq!(open, vec![uid("0001077482"), uid("0001077552")]);
    client.list_open_documents().await.unwrap();
    login.assert_calls_async(1).await;
    list.assert_calls_async(2).await;
}

#[tokio::test]
async fn useraccess_error_is_invalid_credentials_and_not_retried() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/");
            then.status(200).body(LOGIN_ERROR);
        })
        .await;
    let err = client(&server).login().await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidCredentials)
            && err.message() == Some("Invalid user or password!"),
        "{err:?}"
    );
    login.assert_calls_async(1).await;
    assert!(!format!("{err} {err:?}").contains(PASSWORD));
}

#[tokio::test]
async fn odoc_new_sends_doctype_and_state_and_returns_a_handle() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let new = act(
        &server,
        "ODOC_NEW",
        &[("doctype", "LS"), ("docst", "2T")],
        r#"{
"status": 1,
"msg": "",
"time": 0.031,
"data": {
"docuid": "0001077484" }
}"#,
    )
    .await;
    let related = act(
        &server,
        "ODOC_NEW",
        &[
            ("doctype", "LV"),
            ("docst", "12"),
            ("related.dhid", "3443386"),
        ],
        r#"{"status":"1","msg":"","time":"0.031","data":{"docuid":"0001077485"}}"#,
    )
    .await;
    let related_uid = act(
        &server,
        "ODOC_NEW",
        &[
            ("doctype", "LV"),
            ("docst", "0"),
            ("realated.docuid", "0001077484"),
            ("related.docuid", "0001077484"),
        ],
        r#"{"status":1,"msg":"","time":0.031,"data":{"docuid":"0001077486"}}"#,
    )
    .await;
    let client = client(&server);
    let ls = DocType::new("LS").unwrap();
    let doc = client
        .new_document(&ls, &DocState::new("2T").unwrap())
        .await
        .unwrap();
    assert_eq!(doc.uid().as_str(), "0001077484");
    new.assert_async().await;
    let lv = DocType::new("LV").unwrap();
    let doc2 = client
        .new_document_related(
            &lv,
            &DocState::new("12").unwrap(),
            Some(&Related::Dhid(Dhid(3443386))),
        )
        .await
        .unwrap();
    assert_eq!(doc2.uid().as_str(), "0001077485");
    related.assert_async().await;
    let _doc3 = client
        .new_document_related(
            &lv,
            &DocState::new("0").unwrap(),
            Some(&Related::DocUid(uid("0001077484"))),
        )
        .await
        .unwrap();
    related_uid.assert_async().await;
}

#[tokio::test]
async fn odoc_new_without_privileges_is_typed() {
    let server = MockServer::start_async().await;
    login(&server).await;
    act(
        &server,
        "ODOC_NEW",
        &[("doctype", "LS"), ("docst", "2T")],
        r#"{
"status": 0,
"msg": "NEW LS.2T You do not have privileges to do this operation!",
"time": 0.269,
"data": null
}"#,
    )
    .await;
    let err = client(&server)
        .new_document(&DocType::new("LS").unwrap(), &DocState::new("2T").unwrap())
        .await
        .unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::NoPrivileges)
            && err.message() == Some("NEW LS.2T You do not have privileges to do this operation!"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "noom ODOC_NEW: HTTP 200 OK [NoPrivileges]: NEW LS.2T You do not have privileges to do this operation!"
    );
}

#[tokio::test]
async fn odoc_modify_sends_docuid_and_local() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let ok = act(
        &server,
        "ODOC_MODIFY",
        &[
            ("docuid", "0003443324"),
            ("DOCUID", "0003443324"),
            ("local", "0"),
        ],
        MODIFY_OK,
    )
    .await;
    act(
        &server,
        "ODOC_MODIFY",
        &[
            ("docuid", "0003443324x"),
            ("DOCUID", "0003443324x"),
            ("local", "1"),
        ],
        r#"{
"status": 0,
"msg": "Document does not exist 0003443324x",
"time": 0.062,
"data": null
}"#,
    )
    .await;
    let client = client(&server);
    let doc = client
        .modify_document(&uid("0003443324"), false)
        .await
        .unwrap();
    assert_eq!(doc.uid().as_str(), "0003443324");
    ok.assert_async().await;
    let err = client
        .modify_document(&uid("0003443324x"), true)
        .await
        .unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::DocumentDoesNotExist)
            && err.message() == Some("Document does not exist 0003443324x")
    );
}

/// `ODOC_MODIFY` may answer the docuid or nothing; nothing keeps the caller's docuid, a `data`
/// that is neither is not understood (the document may be open: outcome unknown for a write).
#[tokio::test]
async fn odoc_modify_reads_every_empty_data_as_the_callers_docuid() {
    let answers = [
        (r#""msg":"""#, Some("0003443324")),
        (r#""data":null"#, Some("0003443324")),
        (r#""data":"  ""#, Some("0003443324")),
        (r#""data":[]"#, Some("0003443324")),
        (r#""data":{}"#, Some("0003443324")),
        (r#""data":{"docuid":"0003443399"}"#, Some("0003443399")),
        (r#""data":{"docuid":3443399}"#, Some("3443399")),
        (r#""data":{"docuid":" "}"#, None),
        (r#""data":"0003443399""#, None),
        (r#""data":[{"docuid":"0003443399"}]"#, None),
    ];
    for (data, kept) in answers {
        let server = MockServer::start_async().await;
        login(&server).await;
        every_act_answers(&server, &format!(r#"{{"status":1,{data}}}"#)).await;
        let result = client(&server)
            .modify_document(&uid("0003443324"), false)
            .await;
        match kept {
            Some(kept) => assert_eq!(result.expect(data).uid().as_str(), kept, "{data}"),
            None => {
                let err = result.expect_err(data);
                assert!(err.is_outcome_unknown(), "{data}: {err:?}");
                assert_eq!(err.reference(), Some("0003443324"), "{data}");
            }
        }
    }
}

/// The parts of a document come as an object, or, when empty, as PHP writes an empty array
/// (`[]`) or an empty object (`{}`), or as `""` or `null`: each empty form is no part.
#[tokio::test]
async fn empty_document_parts_in_every_php_form_are_none() {
    for empty in ["[]", "{}", r#""""#, "null"] {
        let server = MockServer::start_async().await;
        login(&server).await;
        let body = format!(
            r#"{{"status":1,"msg":"","data":{{"document":{{"documentname":"Sale","company":{empty},"header":{empty},"rows":{empty},"payments":{empty}}}}}}}"#
        );
        every_act_answers(&server, &body).await;
        let doc = client(&server)
            .document(uid("0001077484"))
            .get_full()
            .await
            .expect(empty);
        let document = doc.document.as_ref().expect(empty);
        assert_eq!(document.document_name.as_deref(), Some("Sale"), "{empty}");
        assert!(
            document.company.is_none() && document.header.is_none(),
            "{empty}"
        );
        assert!(
            document.rows.is_none() && document.payments.is_none(),
            "{empty}"
        );
        assert!(
            doc.rows().is_empty() && doc.payments().is_empty(),
            "{empty}"
        );
    }
}

#[tokio::test]
async fn odoc_setdata_sends_objname_and_compact_objdata() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let document = act(
        &server,
        "ODOC_SETDATA",
        &[
            ("docuid", "0001077484"),
            ("objname", "document"),
            (
                "objdata",
                r#"{"header":{"datetime":"25.06.2018 10:33:59","customer_id":1}}"#,
            ),
        ],
        OK_NULL,
    )
    .await;
    let header = act(
        &server,
        "ODOC_SETDATA",
        &[
            ("docuid", "0003443386"),
            ("objname", "header"),
            ("objdata", r#"{"customer_id":2}"#),
        ],
        OK_NULL,
    )
    .await;
    let rows = act(
        &server,
        "ODOC_SETDATA",
        &[
            ("docuid", "0003443385"),
            ("objname", "rows"),
            ("objdata", r#"[{"object_id":"PSTM"},{"object_id":"TRTH"}]"#),
        ],
        OK_NULL,
    )
    .await;
    let row = act(
        &server,
        "ODOC_SETDATA",
        &[
            ("docuid", "0003443386"),
            ("objname", "row"),
            ("objdata", r#"{"rowno":2,"object_id":"PSTM"}"#),
            ("getdoc", "1"),
        ],
        &format!(
            r#"{{"status":1,"msg":"","time":0.012,"data":{{"getdocdata":{}}}}}"#,
            getdoc_data()
        ),
    )
    .await;
    let client = client(&server);
    let empty_header = HeaderData {
        datetime: None,
        document_no: None,
        location_id: None,
        object_id: None,
        customer_id: None,
        customer_location_id: None,
        text: None,
        text2: None,
    };
    let empty_row = RowData {
        row_no: None,
        batch_id: None,
        product_id: None,
        object_id: None,
        quantity: None,
        price: None,
    };
    client
        .document(uid("0001077484"))
        .set_data(&SetData::Document(DocumentPatch {
            header: Some(HeaderData {
                customer_id: Some(1),
                datetime: Some(
                    NaiveDate::from_ymd_opt(2018, 6, 25)
                        .unwrap()
                        .and_hms_opt(10, 33, 59)
                        .unwrap(),
                ),
                ..empty_header.clone()
            }),
            rows: vec![],
        }))
        .await
        .unwrap();
    document.assert_async().await;
    client
        .document(uid("0003443386"))
        .set_data(&SetData::Header(HeaderData {
            customer_id: Some(2),
            ..empty_header
        }))
        .await
        .unwrap();
    header.assert_async().await;
    let pstm = RowData {
        object_id: Some("PSTM".into()),
        ..empty_row.clone()
    };
    let trth = RowData {
        object_id: Some("TRTH".into()),
        ..empty_row.clone()
    };
    client
        .document(uid("0003443385"))
        .set_data(&SetData::Rows(vec![pstm, trth]))
        .await
        .unwrap();
    rows.assert_async().await;
    let saved = client
        .document(uid("0003443386"))
        .set_data_getdoc(&SetData::Row(RowData {
            row_no: Some(2),
            object_id: Some("PSTM".into()),
            ..empty_row
        }))
        .await
        .unwrap();
    assert_eq!(saved.rows().len(), 1);
    row.assert_async().await;
}

#[tokio::test]
async fn odoc_check_success_failure_and_checklevel() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let ok = act(
        &server,
        "ODOC_CHECK",
        &[("docuid", "0001234567")],
        r#"{
"status": 1,
"msg": "",
"time": 0.046,
"data": null
}"#,
    )
    .await;
    let scripts = act(
        &server,
        "ODOC_CHECK",
        &[("docuid", "0001234567"), ("checklevel", "1")],
        OK_NULL,
    )
    .await;
    act(
        &server,
        "ODOC_CHECK",
        &[("docuid", "000344332")],
        r#" {
"status": 0,
"msg": "Invalid UID: 000344332",
"time": 0.046,
"data": null
}"#,
    )
    .await;
    let client = client(&server);
    client.document(uid("0001234567")).check().await.unwrap();
    client
        .document(uid("0001234567"))
        .check_scripts()
        .await
        .unwrap();
    ok.assert_async().await;
    scripts.assert_async().await;
    let err = client.document(uid("000344332")).check().await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidUid)
            && err.message() == Some("Invalid UID: 000344332")
    );
}

/// The `data` object of the seed's ODOC_GETDOC example.
fn getdoc_data() -> String {
    let v: serde_json::Value = serde_json::from_str(GETDOC_OK).unwrap();
    v["data"].to_string()
}

#[tokio::test]
async fn odoc_getdoc_decodes_the_seed_example_verbatim() {
    let server = MockServer::start_async().await;
    login(&server).await;
    // Line 310 verbatim, answered with lines 327-452 (whose header names another docuid).
    let mock = act(
        &server,
        "ODOC_GETDOC",
        &[("docuid", "0001234567"), ("what", "3")],
        GETDOC_OK,
    )
    .await;
    let data = client(&server)
        .document(uid("0001234567"))
        .get_full()
        .await
        .unwrap();
    mock.assert_async().await;

    assert_eq!(data.amount, Some(Money::new(dec!(15.00))));
    assert_eq!(data.amount_to_pay, Some(Money::new(dec!(15))));
    let document = data.document.as_ref().unwrap();
    assert_eq!(document.document_name.as_deref(), Some("Test document"));
    let company = document.company.as_ref().unwrap();
    assert_eq!(company.search_code.as_deref(), Some("27864"));
    assert_eq!(company.vat_reg_no.as_deref(), Some("EE1000000"));
    assert_eq!(company.address2, None, "an empty string decodes as None");
    assert_eq!(company.country_id.as_deref(), Some("EST"));

    let h = data.header().unwrap();
    assert_eq!(h.id.as_deref(), Some("3443324"));
    assert_eq!(h.doc_type_id.as_deref(), Some("LV"));
    assert_eq!(h.status_id.as_deref(), Some("12"));
    assert_eq!(
        h.datetime,
        Some(
            NaiveDate::from_ymd_opt(2020, 3, 3)
                .unwrap()
                .and_hms_opt(15, 32, 22)
                .unwrap()
        )
    );
    assert_eq!(h.document_no.as_deref(), Some("000002-0TST1"));
    let location = h.location.as_ref().unwrap();
    assert_eq!(location.name.as_deref(), Some("Test äri"));
    assert_eq!(location.zip.as_deref(), Some("60000"));
    let contact = h.location_contact.as_ref().unwrap();
    assert_eq!(contact.email.as_deref(), Some("test@noom.ee"));
    assert_eq!(contact.search_code.as_deref(), Some("34694"));
    assert_eq!(
        h.customer_id.as_deref(),
        Some("1"),
        "a number id is read as text"
    );
    let customer = h.customer.as_ref().unwrap();
    assert_eq!(customer.name.as_deref(), Some("Astro Baltics OÜ"));
    assert_eq!(customer.reg_no.as_deref(), Some("10386779"));
    assert_eq!(customer.address2, None, "omitted by the server");
    assert_eq!(h.doc_state_id.as_deref(), Some("K"));
    assert_eq!(h.additional13.as_deref(), Some("123"));
    assert_eq!(h.ref_testref.as_deref(), Some("123"));
    assert_eq!(h.unique_id.as_deref(), Some("0003443324"));
    assert_eq!(h.ledger_operation.as_deref(), Some("LV6"));
    assert_eq!(h.user_id.as_deref(), Some("APITEST"));
    assert_eq!(h.pos_id, None);

    let rows = data.rows();
    assert_eq!(rows.len(), 1, "rows.row as one object");
    let r = &rows[0];
    assert_eq!(r.id.as_deref(), Some("22359320"));
    assert_eq!(r.unique_id.as_deref(), Some("0022359320"));
    assert_eq!(r.batch_id.as_deref(), Some("34463"));
    assert_eq!(r.product_id.as_deref(), Some("15848"));
    assert_eq!(r.quantity, Some(dec!(5)));
    assert_eq!(r.price, Some(Money::new(dec!(3))));
    assert_eq!(r.amount, Some(Money::new(dec!(15))));
    assert_eq!(r.price1, Some(Money::new(dec!(6.5))));
    assert_eq!(r.net_price, Some(Money::new(dec!(2.5))));
    assert_eq!(r.price_fixed, Some(true));
    assert_eq!(r.service, Some(false));
    assert_eq!(r.vat_rate, Some(dec!(20)));
    assert_eq!(r.vat_amount, Some(Money::new(dec!(2.5))));
    assert_eq!(r.measure_unit_id.as_deref(), Some("TK"));
    assert_eq!(r.producer_prod_code.as_deref(), Some("28.11"));
    assert_eq!(r.recipe_id.as_deref(), Some("0"));
    assert_eq!(
        r.transaction_time,
        Some(
            NaiveDate::from_ymd_opt(2020, 3, 3)
                .unwrap()
                .and_hms_opt(16, 31, 57)
                .unwrap()
        )
    );

    let payments = data.payments();
    assert_eq!(payments.len(), 1, "payments.payment as one object");
    let p = &payments[0];
    assert_eq!(p.payment_datetime.as_deref(), Some("03.03.2020"));
    assert_eq!(p.payment_mode.as_deref(), Some("B"));
    assert_eq!(p.payment_mode_name.as_deref(), Some("Bank Card"));
    assert_eq!(
        p.amount,
        Some(Money::new(dec!(15.00))),
        "decimal comma \"15,00\""
    );
    assert_eq!(p.amount_in_currency, Some(Money::new(dec!(15))));
    assert_eq!(p.unique_id.as_deref(), Some("0002164897"));
}

#[tokio::test]
async fn odoc_getdoc_reads_rows_and_payments_as_arrays_or_absent() {
    let server = MockServer::start_async().await;
    login(&server).await;
    act(
        &server,
        "ODOC_GETDOC",
        &[("docuid", "0000000001"), ("what", "1")],
        r#"{"status":1,"msg":"","time":0.1,"data":{"amount":"8,50","amounttopay":"0","document":{
            "rows":{"row":[{"id":1,"batch_id":"5797","quantity":"3,345","price":"1,5","pricefixed":"-"},
                           {"id":"2","batch_id":58,"quantity":2.5,"price":1}]},
            "payments":{"payment":[{"amount":"5,00"},{"amount":3.5}]}}}}"#,
    )
    .await;
    act(
        &server,
        "ODOC_GETDOC",
        &[("docuid", "0000000002"), ("what", "2")],
        r#"{"status":1,"msg":"","time":0.1,"data":{"amount":0,"document":{"rows":"","payments":[]}}}"#,
    )
    .await;
    act(
        &server,
        "ODOC_GETDOC",
        &[("docuid", "0000000003"), ("what", "3")],
        r#"{"status":1,"msg":"","time":0.1,"data":{"document":{"rows":{"row":null},"header":{"customer":""}}}}"#,
    )
    .await;
    let client = client(&server);
    let many = client
        .document(uid("0000000001"))
        .get(GetDocWhat::Rows)
        .await
        .unwrap();
    assert_eq!(many.amount, Some(Money::new(dec!(8.5))));
    assert_eq!(many.rows().len(), 2);
    assert_eq!(many.rows()[0].quantity, Some(dec!(3.345)));
    assert_eq!(many.rows()[0].price_fixed, Some(false));
    assert_eq!(many.rows()[1].batch_id.as_deref(), Some("58"));
    assert_eq!(many.payments().len(), 2);
    assert_eq!(many.payments()[1].amount, Some(Money::new(dec!(3.5))));
    let none = client
        .document(uid("0000000002"))
        .get(GetDocWhat::MinimalRows)
        .await
        .unwrap();
    assert!(none.rows().is_empty());
    assert!(none.payments().is_empty());
    assert_eq!(none.amount_to_pay, None);
    let nulls = client.document(uid("0000000003")).get_full().await.unwrap();
    assert!(nulls.rows().is_empty());
    assert!(nulls.header().unwrap().customer.is_none());
}

#[tokio::test]
async fn odoc_itemsale_sends_decimal_commas_by_default_and_points_on_request() {
    let server = MockServer::start_async().await;
    login(&server).await;
    // Line 468, with the default decimal comma.
    let comma = act(
        &server,
        "ODOC_ITEMSALE",
        &[
            ("docuid", "0001077550"),
            ("batch_id", "5797"),
            ("quantity", "3,345"),
            ("price", "8,67"),
            ("rowno", "1"),
        ],
        OK_NULL,
    )
    .await;
    // Line 489, its four requests verbatim (the fourth writes its price with a point, as the
    // client's `DecimalSeparator::Point` does).
    let examples: [&[(&str, &str)]; 4] = [
        &[("docuid", "0001077484"), ("searchcode", "GA0004")],
        &[("docuid", "0001077484"), ("batch_id", "58")],
        &[
            ("docuid", "0001077484"),
            ("batch_id", "58"),
            ("quantity", "2"),
        ],
        &[
            ("docuid", "0001077484"),
            ("searchcode", "GA0004"),
            ("quantity", "2"),
            ("price", "11.5"),
            ("rowno", "1"),
        ],
    ];
    let mut mocks = Vec::new();
    for params in examples {
        mocks.push(act(&server, "ODOC_ITEMSALE", params, OK_NULL).await);
    }
    let client = client(&server);
    assert_eq!(client.decimal_separator(), DecimalSeparator::Comma);
    client
        .document(uid("0001077550"))
        .item_sale(
            &ItemSale::new()
                .batch_id(5797)
                .quantity(dec!(3.345))
                .price(Money::new(dec!(8.67)))
                .row_no(1),
        )
        .await
        .unwrap();
    comma.assert_async().await;
    let pointed = Client::builder()
        .base_url(server.url("/api/"))
        .user("APITEST")
        .password(PASSWORD)
        .decimal_separator(DecimalSeparator::Point)
        .build()
        .unwrap();
    let doc = pointed.document(uid("0001077484"));
    for sale in [
        ItemSale::new().search_code("GA0004"),
        ItemSale::new().batch_id(58),
        ItemSale::new().batch_id(58).quantity(dec!(2)),
        ItemSale::new()
            .search_code("GA0004")
            .quantity(dec!(2))
            .price(Money::new(dec!(11.5)))
            .row_no(1),
    ] {
        doc.item_sale(&sale).await.unwrap();
    }
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

/// Decimals go without trailing zeros, as the document's examples write them (`amount=10`,
/// `quantity=2`, `price=11.5`): a whole number then has no separator, so a server reading
/// either separator (the examples use both) reads it right; an amount taken from an answer
/// (`"15,00"`, scale 2) is sent as `15`, not `15,00`, which a server reading points refuses.
#[tokio::test]
async fn decimals_are_sent_without_trailing_zeros_in_either_separator() {
    let server = MockServer::start_async().await;
    login(&server).await;
    // Whole numbers: the same text under either separator, so each request comes twice.
    let sale = act(
        &server,
        "ODOC_ITEMSALE",
        &[
            ("docuid", "0001077484"),
            ("batch_id", "58"),
            ("quantity", "2"),
            ("price", "11"),
        ],
        OK_NULL,
    )
    .await;
    let payment = act(
        &server,
        "ODOC_SETPAYMENT",
        &[
            ("docuid", "0001077484"),
            ("paymentmode", "B"),
            ("paymenttype", "P"),
            ("amount", "15"),
        ],
        OK_NULL,
    )
    .await;
    let mut halves = Vec::new();
    for half in ["0,5", "0.5"] {
        let row = [("docuid", "0001077484"), ("rowno", "1"), ("quantity", half)];
        halves.push(act(&server, "ODOC_ITEMSETQTY", &row, OK_NULL).await);
    }
    for separator in [DecimalSeparator::Comma, DecimalSeparator::Point] {
        let client = Client::builder()
            .base_url(server.url("/api/"))
            .user("APITEST")
            .password(PASSWORD)
            .decimal_separator(separator)
            .build()
            .unwrap();
        let doc = client.document(uid("0001077484"));
        doc.item_sale(
            &ItemSale::new()
                .batch_id(58)
                .quantity(dec!(2.00000))
                .price(Money::new(dec!(11.0000))),
        )
        .await
        .unwrap();
        doc.set_quantity(1, dec!(0.50)).await.unwrap();
        let to_pay: Money = "15,00".parse().unwrap();
        doc.set_payment(&Payment::new("B", to_pay)).await.unwrap();
    }
    sale.assert_calls_async(2).await;
    payment.assert_calls_async(2).await;
    for half in halves {
        half.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn odoc_barcodesale_sends_barcode_doinsert_rowno_quantity() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let insert = act(
        &server,
        "ODOC_BARCODESALE",
        &[
            ("docuid", "0001234567"),
            ("barcode", "60100000"),
            ("doinsert", "1"),
            ("rowno", "2"),
        ],
        r#" {
"status": 1,
"msg": "",
"time": 0.250,
"data": null
}"#,
    )
    .await;
    act(
        &server,
        "ODOC_BARCODESALE",
        &[
            ("docuid", "000344332"),
            ("barcode", "60100000"),
            ("doinsert", "0"),
            ("rowno", "1"),
            ("quantity", "3"),
        ],
        INVALID_UID_000344332,
    )
    .await;
    let client = client(&server);
    client
        .document(uid("0001234567"))
        .barcode_sale(&BarcodeSale::new("60100000", 2))
        .await
        .unwrap();
    insert.assert_async().await;
    let err = client
        .document(uid("000344332"))
        .barcode_sale(&BarcodeSale::new("60100000", 1).do_insert(false).quantity(3))
        .await
        .unwrap_err();
    assert_failure(&err, NoomCode::InvalidUid, "Invalid UID: 000344332");
}

#[tokio::test]
async fn odoc_itemsetqty_and_rowdel_send_rowno_and_quantity() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let setqty = act(
        &server,
        "ODOC_ITEMSETQTY",
        &[("docuid", "0001234567"), ("rowno", "1"), ("quantity", "10")],
        ITEMSETQTY_OK,
    )
    .await;
    act(
        &server,
        "ODOC_ITEMSETQTY",
        &[
            ("docuid", "0001234567"),
            ("rowno", "2"),
            ("quantity", "0,5"),
        ],
        r#" {
"status": 0,
"msg": "Request sent and answer received.",
"time": 0.031,
"data": null
}"#,
    )
    .await;
    let rowdel = act(
        &server,
        "ODOC_ROWDEL",
        &[("docuid", "0001234567"), ("rowno", "1")],
        r#" {
"status": 1,
"msg": "",
"time": 0.204,
"data": null
}"#,
    )
    .await;
    act(
        &server,
        "ODOC_ROWDEL",
        &[("docuid", "0001234567"), ("rowno", "9")],
        r#"{
"status": 0,
"msg": "Request sent and answer received.",
"time": 0.031,
"data": null
}"#,
    )
    .await;
    let client = client(&server);
    let doc = client.document(uid("0001234567"));
    doc.set_quantity(1, dec!(10)).await.unwrap();
    setqty.assert_async().await;
    let err = doc.set_quantity(2, dec!(0.5)).await.unwrap_err();
    // The document's failure: its own code, a plain failure (not outcome-unknown, not retried).
    assert_failure(
        &err,
        NoomCode::RequestNotCarriedOut,
        "Request sent and answer received.",
    );
    doc.delete_row(1).await.unwrap();
    rowdel.assert_async().await;
    let err = doc.delete_row(9).await.unwrap_err();
    assert_eq!(err.code(), Some(&NoomCode::RequestNotCarriedOut), "{err:?}");
}

#[tokio::test]
async fn odoc_getpaymodes_decodes_the_seed_example() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let mock = act(
        &server,
        "ODOC_GETPAYMODES",
        &[("docuid", "0001234567")],
        r#" {
"status": 1,
"msg": "",
"time": 0.047,
"data": {
"paymodescondition": "C,B,G,U",
"partialpayment": 1,
"nopayment": 1,
"paymentmodes": [ {
"id": "C",
"name": "Cash",
"backcolor": "",
"older": "",
"allowoverpayment": "",
"privilegeslevel": "",
"syspaymentmode": "" },
{
"id": "B",
"name": "Bank Card",
"backcolor": "",
"older": "",
"allowoverpayment": "",
"privilegeslevel": "",
"syspaymentmode": "" },
{
"id": "U",
"name": "Customer Card",
"backcolor": "",
"older": "",
"allowoverpayment": "",
"privilegeslevel": "",
"syspaymentmode": "" },
{
"id": "G",
"name": "Gift certificate",
"backcolor": "",
"older": "",
"allowoverpayment": "",
"privilegeslevel": "",
"syspaymentmode": "" } ] }
}"#,
    )
    .await;
    let modes = client(&server)
        .document(uid("0001234567"))
        .payment_modes()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(modes.pay_modes_condition.as_deref(), Some("C,B,G,U"));
    assert_eq!(modes.partial_payment, Some(true));
    assert_eq!(modes.no_payment, Some(true));
    assert_eq!(modes.payment_modes.len(), 4);
    assert_eq!(
        modes.mode("G").unwrap().name.as_deref(),
        Some("Gift certificate")
    );
    assert_eq!(modes.payment_modes[0].back_color, None);
}

#[tokio::test]
async fn odoc_setpayment_sends_every_documented_parameter() {
    let server = MockServer::start_async().await;
    login(&server).await;
    // Line 687 verbatim, answered with lines 713-718, and with an extension code. The example's
    // `paymentmodeex=""` is a placeholder for an empty value (not the two quote characters,
    // which a CHAR(3) extension code cannot mean): `mode_ex("")` sends `paymentmodeex=` empty
    // (spec notes).
    let mut full = Vec::new();
    for mode_ex in ["", "X1"] {
        let params = [
            ("docuid", "0001234567"),
            ("paymentmode", "B"),
            ("paymenttype", "P"),
            ("paymentmodeex", mode_ex),
            ("currency_id", "EUR"),
            ("additional_id", "0"),
            ("amount", "10"),
            ("replaceamount", "0"),
            ("needsreversal", "-"),
            ("paymentdatetime", "01.01.2020"),
        ];
        full.push(act(&server, "ODOC_SETPAYMENT", &params, SETPAYMENT_OK).await);
    }
    let minimal = act(
        &server,
        "ODOC_SETPAYMENT",
        &[
            ("docuid", "0001234567"),
            ("paymentmode", "C"),
            ("paymenttype", "P"),
            ("amount", "15,5"),
            ("paymentdatetime", "03.03.2020 16:48:38"),
        ],
        OK_NULL,
    )
    .await;
    act(
        &server,
        "ODOC_SETPAYMENT",
        &[
            ("docuid", "000344332"),
            ("paymentmode", "C"),
            ("paymenttype", "P"),
            ("amount", "1"),
        ],
        r#"{
"status": 0,
"msg": "Invalid UID: 000344332",
"time": 0.031,
"data": null
}"#,
    )
    .await;
    let client = client(&server);
    let doc = client.document(uid("0001234567"));
    for (mode_ex, mock) in ["", "X1"].into_iter().zip(full) {
        let paid: () = doc
            .set_payment(
                &Payment::new("B", Money::new(dec!(10)))
                    .mode_ex(mode_ex)
                    .currency("EUR")
                    .additional_id("0")
                    .replace_amount(false)
                    .needs_reversal(false)
                    .at(PaymentTime::Date(
                        NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
                    )),
            )
            .await
            .unwrap();
        assert_eq!(paid, (), "data null is no document");
        mock.assert_async().await;
    }
    doc.set_payment(
        &Payment::new("C", Money::new(dec!(15.50))).at(PaymentTime::DateTime(
            NaiveDate::from_ymd_opt(2020, 3, 3)
                .unwrap()
                .and_hms_opt(16, 48, 38)
                .unwrap(),
        )),
    )
    .await
    .unwrap();
    minimal.assert_async().await;
    let err = client
        .document(uid("000344332"))
        .set_payment(&Payment::new("C", Money::new(dec!(1.00))))
        .await
        .unwrap_err();
    assert_failure(&err, NoomCode::InvalidUid, "Invalid UID: 000344332");
}

#[tokio::test]
async fn odoc_addevent_sends_the_event_fields() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let mock = act(
        &server,
        "ODOC_ADDEVENT",
        &[
            ("docuid", "0001234567"),
            ("de_act", "TEST"),
            ("de_custevent", "MY EVENT"),
            ("de_comment", "this is an event"),
            ("de_data", "event data"),
            ("de_sourcetype_id", "API"),
            ("de_source_id", "1"),
            ("de_sourcetype", "API"),
        ],
        ITEMSETQTY_OK,
    )
    .await;
    client(&server)
        .document(uid("0001234567"))
        .add_event(
            &Event::new("TEST")
                .custom_event("MY EVENT")
                .comment("this is an event")
                .data("event data")
                .source_type("API")
                .source_id("1"),
        )
        .await
        .unwrap();
    mock.assert_async().await;
}

#[tokio::test]
async fn odoc_cancel_and_complete() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let cancel = act(
        &server,
        "ODOC_CANCEL",
        &[("docuid", "0001077484")],
        r#"{
"status": 1,
"msg": "",
"time": 0.264,
"data": null
}"#,
    )
    .await;
    act(
        &server,
        "ODOC_CANCEL",
        &[("docuid", "0001077482")],
        r#"{
"status": 0,
"msg": "Invalid UID: 0001077482",
"time": 0.031,
"data": null
}"#,
    )
    .await;
    // Line 805 verbatim, answered with lines 818-824.
    let complete = act(
        &server,
        "ODOC_COMPLETE",
        &[("docuid", "0001077484")],
        COMPLETE_OK,
    )
    .await;
    act(
        &server,
        "ODOC_COMPLETE",
        &[("docuid", "0001077486")],
        r#"{
"status": 0,
"msg": "Cannot save document! Document row 1: BACH_ID on NULL!",
"time": 0.25,
"data": null
}"#,
    )
    .await;
    let with_doc = act(
        &server,
        "ODOC_COMPLETE",
        &[("docuid", "0001077487"), ("getdoc", "1")],
        &format!(
            r#"{{"status":1,"msg":"","time":0.2,"data":{{"dhid":"1077487","getdocdata":{}}}}}"#,
            getdoc_data()
        ),
    )
    .await;
    let client = client(&server);
    client.document(uid("0001077484")).cancel().await.unwrap();
    cancel.assert_async().await;
    let err = client
        .document(uid("0001077482"))
        .cancel()
        .await
        .unwrap_err();
    assert_failure(&err, NoomCode::InvalidUid, "Invalid UID: 0001077482");
    let dhid = client.document(uid("0001077484")).complete().await.unwrap();
    assert_eq!(dhid, Dhid(1077484));
    complete.assert_async().await;
    let err = client
        .document(uid("0001077486"))
        .complete()
        .await
        .unwrap_err();
    assert_failure(
        &err,
        NoomCode::CannotSaveDocument,
        "Cannot save document! Document row 1: BACH_ID on NULL!",
    );
    let (dhid, doc) = client
        .document(uid("0001077487"))
        .complete_getdoc()
        .await
        .unwrap();
    assert_eq!(dhid.get(), 1077487);
    assert_eq!(doc.rows().len(), 1);
    with_doc.assert_async().await;
}

#[tokio::test]
async fn docchangestate_by_docuid_dhid_and_dochid() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let ok = r#"{
 "status": 1,
 "msg": "",
 "time": 0.047,
 "data": null
}"#;
    let m1 = act(
        &server,
        "DOCCHANGESTATE",
        &[("docuid", "0001077484"), ("newstate", "1")],
        ok,
    )
    .await;
    let m2 = act(
        &server,
        "DOCCHANGESTATE",
        &[("dochid", "3443386"), ("newstate", "1")],
        ok,
    )
    .await;
    let m3 = act(
        &server,
        "DOCCHANGESTATE",
        &[("dhid", "3443386"), ("newstate", "1")],
        ok,
    )
    .await;
    let m4 = act(
        &server,
        "DOCCHANGESTATE",
        &[("dhid", "3443386"), ("newstate", "1"), ("local", "1")],
        ok,
    )
    .await;
    act(
        &server,
        "DOCCHANGESTATE",
        &[("dhid", "3443386"), ("newstate", "2")],
        r#"{
 "status": 0,
 "msg": "Invalid document state ID value: '2'",
 "time": 0.032,
 "data": null
}"#,
    )
    .await;
    let client = client(&server);
    let one = DocState::new("1").unwrap();
    client
        .change_state(&uid("0001077484"), &one, false)
        .await
        .unwrap();
    client
        .change_state(DocumentKey::Dochid(3443386), &one, false)
        .await
        .unwrap();
    client
        .change_state(Dhid(3443386), &one, false)
        .await
        .unwrap();
    client
        .change_state(Dhid(3443386), &one, true)
        .await
        .unwrap();
    for m in [m1, m2, m3, m4] {
        m.assert_async().await;
    }
    let err = client
        .change_state(Dhid(3443386), &DocState::new("2").unwrap(), false)
        .await
        .unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidDocumentState)
            && err.message() == Some("Invalid document state ID value: '2'")
    );
}

#[tokio::test]
async fn query_placement_puts_everything_in_the_query_and_nothing_in_the_body() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .query_param("act", "USERACCESS")
                .query_param("user", "APITEST")
                .query_param("pass", PASSWORD)
                .body("");
            then.status(200).body(LOGIN_OK);
        })
        .await;
    let new = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .query_param("act", "ODOC_NEW")
                .query_param("doctype", "LS")
                .query_param("docst", "2T")
                .query_param("accesstoken", TOKEN)
                .body("");
            then.status(200)
                .body(r#"{"status":1,"msg":"","time":0.031,"data":{"docuid":"0001077484"}}"#);
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/"))
        .user("APITEST")
        .password(PASSWORD)
        .param_placement(ParamPlacement::Query)
        .build()
        .unwrap();
    let doc = client
        .new_document(&DocType::new("LS").unwrap(), &DocState::new("2T").unwrap())
        .await
        .unwrap();
    assert_eq!(doc.uid().as_str(), "0001077484");
    login.assert_async().await;
    new.assert_async().await;
}

#[tokio::test]
async fn writes_are_not_retried_on_5xx_and_reads_are() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let complete = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .query_param("act", "ODOC_COMPLETE");
            then.status(502).body("<html>Bad Gateway</html>");
        })
        .await;
    let getdoc = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .query_param("act", "ODOC_GETDOC");
            then.status(503).body("<html>Unavailable</html>");
        })
        .await;
    let client = client(&server);
    let err = client
        .document(uid("0001077484"))
        .complete()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    complete.assert_calls_async(1).await;
    let err = client
        .document(uid("0001077484"))
        .get_full()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.is_retryable());
    getdoc.assert_calls_async(3).await;
}

#[tokio::test]
async fn default_placement_sends_the_example_url_and_the_parameters_again_in_the_body() {
    let server = MockServer::start_async().await;
    let login = login(&server).await;
    // Line 468, the example URL as printed (commas percent-encoded), and the same parameters in
    // the form body.
    let sale = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(query_is(format!(
                    "act=ODOC_ITEMSALE&docuid=0001077550&batch_id=5797&quantity=3%2C345\
                     &price=8%2C67&rowno=1&accesstoken={TOKEN}"
                )))
                .body("act=ODOC_ITEMSALE&docuid=0001077550&batch_id=5797&quantity=3%2C345&price=8%2C67&rowno=1");
            then.status(200).body(OK_NULL);
        })
        .await;
    let client = client(&server);
    assert_eq!(client.param_placement(), ParamPlacement::QueryAndBody);
    client
        .document(uid("0001077550"))
        .item_sale(&example_item_sale())
        .await
        .unwrap();
    login.assert_async().await;
    sale.assert_async().await;
    // An act without parameters: the token in the query, an empty body.
    let list = act(
        &server,
        "ODOC_LIST",
        &[],
        r#"{"status":1,"msg":"","time":0.2,"data":[]}"#,
    )
    .await;
    assert!(client.list_open_documents().await.unwrap().is_empty());
    list.assert_async().await;
}

/// The row of the example at line 468.
fn example_item_sale() -> ItemSale {
    ItemSale::new()
        .batch_id(5797)
        .quantity(dec!(3.345))
        .price(Money::new(dec!(8.67)))
        .row_no(1)
}

#[tokio::test]
async fn default_placement_sends_parameters_too_long_for_a_url_in_the_body_only() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let row = |n: u32| RowData {
        row_no: Some(n),
        batch_id: Some(5797),
        product_id: None,
        object_id: Some("PSTM".into()),
        quantity: Some(dec!(3.345)),
        price: None,
    };
    // Just under and just over MAX_QUERY_PARAM_BYTES once form-encoded: the first goes in the
    // query and the body, the second in the body only.
    let fits = (1..)
        .map(|n| SetData::Rows((1..=n).map(row).collect()))
        .take_while(|data| query_len(data) <= noom_client::MAX_QUERY_PARAM_BYTES)
        .last()
        .unwrap();
    let SetData::Rows(rows) = &fits else {
        unreachable!()
    };
    let too_long = SetData::Rows((1..=rows.len() as u32 + 1).map(row).collect());
    assert!(query_len(&too_long) > noom_client::MAX_QUERY_PARAM_BYTES);
    let (fits_pairs, too_long_pairs) = (setdata_pairs(&fits), setdata_pairs(&too_long));
    let both = act(&server, "ODOC_SETDATA", &borrowed(&fits_pairs), OK_NULL).await;
    let body_only = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(query_is(act_query("ODOC_SETDATA", &[])))
                .body(act_form("ODOC_SETDATA", &borrowed(&too_long_pairs)));
            then.status(200).body(OK_NULL);
        })
        .await;
    let doc = client(&server).document(uid("0001077484"));
    doc.set_data(&fits).await.unwrap();
    doc.set_data(&too_long).await.unwrap();
    both.assert_async().await;
    body_only.assert_async().await;
}

/// The parameters of an `ODOC_SETDATA` on docuid 0001077484, as sent.
fn setdata_pairs(data: &SetData) -> Vec<(&'static str, String)> {
    vec![
        ("docuid", "0001077484".to_owned()),
        ("objname", data.objname().to_owned()),
        ("objdata", data.objdata().unwrap()),
    ]
}

/// `pairs` as the `(&str, &str)` pairs of [`enc`] and [`act`].
fn borrowed<'a>(pairs: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    pairs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// The encoded length of `data`'s parameters in a query string (`&key=value` each).
fn query_len(data: &SetData) -> usize {
    let pairs = setdata_pairs(data);
    borrowed(&pairs)
        .iter()
        .map(|pair| 1 + enc_query(&[*pair]).len())
        .sum()
}

#[tokio::test]
async fn token_in_query_placement_keeps_the_parameters_and_the_password_in_the_body() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(query_is(enc_query(&[("act", "USERACCESS")])))
                .body(enc(&[("user", "APITEST"), ("pass", PASSWORD)]));
            then.status(200).body(LOGIN_OK);
        })
        .await;
    let sale = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(query_is(format!("act=ODOC_ITEMSALE&accesstoken={TOKEN}")))
                .body("docuid=0001077550&batch_id=5797&quantity=3%2C345&price=8%2C67&rowno=1");
            then.status(200).body(OK_NULL);
        })
        .await;
    let list = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(query_is(format!("act=ODOC_LIST&accesstoken={TOKEN}")))
                .body("");
            then.status(200)
                .body(r#"{"status":1,"msg":"","time":0.2,"data":[]}"#);
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/"))
        .user("APITEST")
        .password(PASSWORD)
        .param_placement(ParamPlacement::TokenInQuery)
        .build()
        .unwrap();
    client
        .document(uid("0001077550"))
        .item_sale(&example_item_sale())
        .await
        .unwrap();
    assert!(client.list_open_documents().await.unwrap().is_empty());
    login.assert_async().await;
    sale.assert_async().await;
    list.assert_async().await;
}

#[tokio::test]
async fn body_placement_puts_act_parameters_and_token_in_the_body_and_nothing_in_the_query() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(|req: &HttpMockRequest| req.uri().query().is_none())
                .body(enc(&[
                    ("act", "USERACCESS"),
                    ("user", "APITEST"),
                    ("pass", PASSWORD),
                ]));
            then.status(200).body(LOGIN_OK);
        })
        .await;
    let new = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(|req: &HttpMockRequest| req.uri().query().is_none())
                .body(act_body("ODOC_NEW", &[("doctype", "LS"), ("docst", "2T")]));
            then.status(200)
                .body(r#"{"status":1,"msg":"","time":0.031,"data":{"docuid":"0001077484"}}"#);
        })
        .await;
    let client = Client::builder()
        .base_url(server.url("/api/"))
        .user("APITEST")
        .password(PASSWORD)
        .param_placement(ParamPlacement::Body)
        .build()
        .unwrap();
    let doc = client
        .new_document(&DocType::new("LS").unwrap(), &DocState::new("2T").unwrap())
        .await
        .unwrap();
    assert_eq!(doc.uid().as_str(), "0001077484");
    login.assert_async().await;
    new.assert_async().await;
}

#[tokio::test]
async fn setdata_rows_send_bach_id_and_itemsale_sends_batch_id() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let row = act(
        &server,
        "ODOC_SETDATA",
        &[
            ("docuid", "0003443386"),
            ("objname", "row"),
            ("objdata", r#"{"rowno":1,"bach_id":34463,"quantity":2}"#),
        ],
        OK_NULL,
    )
    .await;
    let rows = act(
        &server,
        "ODOC_SETDATA",
        &[
            ("docuid", "0003443386"),
            ("objname", "document"),
            ("objdata", r#"{"rows":[{"bach_id":58},{"bach_id":5797}]}"#),
        ],
        OK_NULL,
    )
    .await;
    let sale = act(
        &server,
        "ODOC_ITEMSALE",
        &[("docuid", "0003443386"), ("batch_id", "58")],
        OK_NULL,
    )
    .await;
    let client = client(&server);
    let doc = client.document(uid("0003443386"));
    let bare = RowData {
        row_no: None,
        batch_id: None,
        product_id: None,
        object_id: None,
        quantity: None,
        price: None,
    };
    doc.set_data(&SetData::Row(RowData {
        row_no: Some(1),
        batch_id: Some(34463),
        quantity: Some(dec!(2)),
        ..bare.clone()
    }))
    .await
    .unwrap();
    doc.set_data(&SetData::Document(DocumentPatch {
        header: None,
        rows: vec![
            RowData {
                batch_id: Some(58),
                ..bare.clone()
            },
            RowData {
                batch_id: Some(5797),
                ..bare
            },
        ],
    }))
    .await
    .unwrap();
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    row.assert_async().await;
    rows.assert_async().await;
    sale.assert_async().await;
}

#[tokio::test]
async fn rows_are_read_with_batch_id_or_bach_id() {
    let server = MockServer::start_async().await;
    login(&server).await;
    act(
        &server,
        "ODOC_GETDOC",
        &[("docuid", "0000000001"), ("what", "1")],
        r#"{"status":1,"msg":"","time":0.1,"data":{"document":{"rows":{"row":[
            {"id":"1","bach_id":5797,"quantity":1},{"id":"2","batch_id":"58","quantity":2}]}}}}"#,
    )
    .await;
    act(
        &server,
        "ODOC_ROWDEL",
        &[("docuid", "0000000001"), ("rowno", "2"), ("getdoc", "1")],
        r#"{"status":1,"msg":"","time":0.1,"data":{"getdocdata":{"document":{"rows":{"row":
            {"id":"1","bach_id":"5797"}}}}}}"#,
    )
    .await;
    let client = client(&server);
    let doc = client.document(uid("0000000001"));
    let data = doc.get(GetDocWhat::Rows).await.unwrap();
    let batches: Vec<Option<&str>> = data.rows().iter().map(|r| r.batch_id.as_deref()).collect();
    assert_eq!(batches, [Some("5797"), Some("58")]);
    let saved = doc.delete_row_getdoc(2).await.unwrap();
    assert_eq!(saved.rows()[0].batch_id.as_deref(), Some("5797"));
}

#[tokio::test]
async fn getpaymodes_takes_getdoc() {
    let server = MockServer::start_async().await;
    login(&server).await;
    let mock = act(
        &server,
        "ODOC_GETPAYMODES",
        &[("docuid", "0003443324"), ("getdoc", "1")],
        &format!(
            r#"{{"status":1,"msg":"","time":0.047,"data":{{"paymodescondition":"C,B",
            "partialpayment":1,"nopayment":0,"paymentmodes":[{{"id":"C","name":"Cash"}},
            {{"id":"B","name":"Bank Card"}}],"getdocdata":{}}}}}"#,
            getdoc_data()
        ),
    )
    .await;
    let (modes, doc) = client(&server)
        .document(uid("0003443324"))
        .payment_modes_getdoc()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(modes.payment_modes.len(), 2);
    assert_eq!(modes.no_payment, Some(false));
    assert_eq!(doc.amount, Some(Money::new(dec!(15))));
    assert_eq!(doc.rows()[0].batch_id.as_deref(), Some("34463"));
}

/// 200 answers that are no NOOM envelope: empty, HTML, `{}`, JSON without `status`, and a
/// `status` that is neither 1 nor 0.
const NOT_ENVELOPES: [&str; 6] = [
    "",
    "<html><body>OK</body></html>",
    "{}",
    r#"{"msg":"","time":0.01,"data":null}"#,
    r#"{"status":2,"msg":"","data":null}"#,
    r#"{"status":1.5,"msg":"","data":null}"#,
];

/// Mocks every act but `USERACCESS` with a 200 answer of `body`.
async fn every_act_answers<'a>(server: &'a MockServer, body: &str) -> httpmock::Mock<'a> {
    let body = body.to_owned();
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/api/")
                .is_true(|req: &HttpMockRequest| {
                    req.uri().query().is_some_and(|q| !q.contains("USERACCESS"))
                });
            then.status(200)
                .header("content-type", "text/html")
                .body(body);
        })
        .await
}

#[tokio::test]
async fn a_success_answer_that_is_no_envelope_is_never_ok_for_a_write() {
    let row = RowData {
        row_no: Some(1),
        batch_id: None,
        product_id: None,
        object_id: Some("PSTM".into()),
        quantity: None,
        price: None,
    };
    for body in NOT_ENVELOPES {
        let server = MockServer::start_async().await;
        login(&server).await;
        let acts = every_act_answers(&server, body).await;
        let client = client(&server);
        let doc = client.document(uid("0001077484"));
        let mut results = vec![
            (
                "ODOC_SETDATA",
                doc.set_data(&SetData::Row(row.clone())).await,
            ),
            (
                "ODOC_ITEMSALE",
                doc.item_sale(&ItemSale::new().search_code("GA0004")).await,
            ),
            (
                "ODOC_BARCODESALE",
                doc.barcode_sale(&BarcodeSale::new("60100000", 2)).await,
            ),
            ("ODOC_ITEMSETQTY", doc.set_quantity(1, dec!(10)).await),
            ("ODOC_ROWDEL", doc.delete_row(1).await),
            (
                "ODOC_SETPAYMENT",
                doc.set_payment(&Payment::new("B", Money::new(dec!(10))))
                    .await,
            ),
            ("ODOC_ADDEVENT", doc.add_event(&Event::new("TEST")).await),
            (
                "ODOC_MODIFY",
                client
                    .modify_document(&uid("0001077484"), false)
                    .await
                    .map(drop),
            ),
            (
                "DOCCHANGESTATE",
                client
                    .change_state(&uid("0001077484"), &DocState::new("1").unwrap(), false)
                    .await,
            ),
            ("ODOC_COMPLETE", doc.clone().complete().await.map(drop)),
            ("ODOC_CANCEL", doc.clone().cancel().await),
        ];
        results.push((
            "ODOC_ITEMSETQTY getdoc",
            doc.set_quantity_getdoc(1, dec!(10)).await.map(drop),
        ));
        let sent = results.len();
        for (act, result) in results {
            let err = result.expect_err(act);
            assert!(err.is_outcome_unknown(), "{act} {body:?}: {err:?}");
            assert_eq!(err.reference(), Some("0001077484"), "{act} {body:?}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{act}");
        }
        // ODOC_NEW has no docuid yet: the reference names what was created.
        let err = client
            .new_document(&DocType::new("LS").unwrap(), &DocState::new("2T").unwrap())
            .await
            .unwrap_err();
        assert!(err.is_outcome_unknown(), "ODOC_NEW {body:?}: {err:?}");
        assert_eq!(err.reference(), Some("new LS.2T"));
        // Every write was sent exactly once.
        acts.assert_calls_async(sent + 1).await;
    }
}

#[tokio::test]
async fn a_success_answer_that_is_no_envelope_is_a_decode_error_for_a_read() {
    for body in NOT_ENVELOPES {
        let server = MockServer::start_async().await;
        login(&server).await;
        every_act_answers(&server, body).await;
        let client = client(&server);
        let doc = client.document(uid("0001077484"));
        let results = vec![
            ("ODOC_CHECK", doc.check().await),
            ("ODOC_CHECK checklevel", doc.check_scripts().await),
            ("ODOC_GETDOC", doc.get_full().await.map(drop)),
            ("ODOC_GETPAYMODES", doc.payment_modes().await.map(drop)),
            ("ODOC_LIST", client.list_open_documents().await.map(drop)),
        ];
        for (act, result) in results {
            let err = result.expect_err(act);
            assert!(
                matches!(&err, noom_client::Error::Decode { status, .. } if status.as_u16() == 200),
                "{act} {body:?}: {err:?}"
            );
        }
    }
}

/// `status` as a number, a string, a bool or a whole float: 1 is a success, 0 a failure named
/// by `msg` (trimmed; `null` or absent as no message).
#[tokio::test]
async fn envelope_status_is_read_in_every_json_type() {
    for status in ["1", r#""1""#, "true", "1.0"] {
        let server = MockServer::start_async().await;
        login(&server).await;
        every_act_answers(
            &server,
            &format!(r#"{{"status":{status},"msg":"","data":[]}}"#),
        )
        .await;
        let open = client(&server).list_open_documents().await;
        assert_eq!(open.expect(status), vec![], "{status}");
    }
    for (status, msg, message) in [
        ("0", r#"" Invalid UID ""#, "Invalid UID"),
        (r#""0""#, r#""Invalid UID""#, "Invalid UID"),
        ("false", "42", "42"),
        ("0.0", "null", ""),
    ] {
        let server = MockServer::start_async().await;
        login(&server).await;
        let body = format!(r#"{{"status":{status},"msg":{msg},"data":null}}"#);
        every_act_answers(&server, &body).await;
        let err = client(&server).list_open_documents().await.unwrap_err();
        assert_eq!(err.message(), Some(message), "{status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200), "{status}");
    }
}

#[tokio::test]
async fn useraccess_answer_that_is_no_envelope_is_a_decode_error() {
    for body in NOT_ENVELOPES {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/api/");
                then.status(200).body(body);
            })
            .await;
        let err = client(&server).login().await.unwrap_err();
        assert!(
            matches!(&err, noom_client::Error::Decode { .. }),
            "{body:?}: {err:?}"
        );
    }
}

#[tokio::test]
async fn useraccess_reads_the_documents_unquoted_keys() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .is_true(query_is(enc_query(&[
                    ("act", "USERACCESS"),
                    ("user", "APITEST"),
                    ("pass", PASSWORD),
                ])))
                .body(act_form(
                    "USERACCESS",
                    &[("user", "APITEST"), ("pass", PASSWORD)],
                ));
            then.status(200).body(LOGIN_OK_AS_DOCUMENTED);
        })
        .await;
    // The token of the documented answer is the one sent with the next act.
    let list = act(&server, "ODOC_LIST", &[], OK_NULL).await;
    let noom = client(&server);
    noom.login().await.unwrap();
    assert!(noom.has_session().await);
    assert_eq!(noom.list_open_documents().await.unwrap(), vec![]);
    login.assert_calls_async(1).await;
    list.assert_calls_async(1).await;

    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/");
            then.status(200).body(LOGIN_ERROR_AS_DOCUMENTED);
        })
        .await;
    let err = client(&server).login().await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidCredentials)
            && err.is_credentials()
            && err.message() == Some("Invalid user or password!"),
        "{err:?}"
    );
    login.assert_calls_async(1).await;
    assert!(!format!("{err} {err:?}").contains(PASSWORD));
}

#[tokio::test]
async fn useraccess_data_may_be_the_token_itself_as_the_field_table_says() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/")
                .query_param("act", "USERACCESS");
            then.status(200).body(format!(
                r#"{{"status":1,"msg":"","time":0.2,"data":"{TOKEN}"}}"#
            ));
        })
        .await;
    let list = act(&server, "ODOC_LIST", &[], OK_NULL).await;
    let noom = client(&server);
    assert_eq!(noom.list_open_documents().await.unwrap(), vec![]);
    list.assert_calls_async(1).await;
}

// ---------------------------------------------------------------- the document's examples, verbatim
//
// Each example request of the vendor document (line numbers of shared/seeds/noom-api.txt) sent
// by the client and matched exactly, answered with the act's example answer as printed.

/// Mocks an `ODOC_SETDATA` whose parameters, in the query (between `act` and `accesstoken`) and
/// in the form body (after `act`), are `docuid`, `objname` and `objdata` in this order, with `objdata` equal,
/// as JSON, to `objdata` (the example's own text).
async fn setdata_json<'a>(
    server: &'a MockServer,
    docuid: &str,
    objname: &str,
    objdata: &str,
) -> httpmock::Mock<'a> {
    let want: serde_json::Value = serde_json::from_str(objdata).unwrap();
    let (docuid, objname) = (docuid.to_owned(), objname.to_owned());
    let params_match = move |pairs: &[(String, String)]| {
        let [(k1, v1), (k2, v2), (k3, v3)] = pairs else {
            return false;
        };
        (k1.as_str(), v1, k2.as_str(), v2, k3.as_str())
            == ("docuid", &docuid, "objname", &objname, "objdata")
            && serde_json::from_str::<serde_json::Value>(v3).ok() == Some(want.clone())
    };
    server
        .mock_async(move |when, then| {
            when.method(POST)
                .path("/api/")
                .header("content-type", FORM)
                .is_true(move |req: &HttpMockRequest| {
                    let parse = |bytes: &[u8]| -> Vec<(String, String)> {
                        url::form_urlencoded::parse(bytes).into_owned().collect()
                    };
                    let query = parse(req.uri().query().unwrap_or("").as_bytes());
                    let in_query = match query.as_slice() {
                        [(act, name), params @ .., (token, value)] => {
                            (act.as_str(), name.as_str()) == ("act", "ODOC_SETDATA")
                                && (token.as_str(), value.as_str()) == ("accesstoken", TOKEN)
                                && params_match(params)
                        }
                        _ => false,
                    };
                    let in_body = match parse(req.body().as_ref()).as_slice() {
                        [(act, name), params @ ..] => {
                            (act.as_str(), name.as_str()) == ("act", "ODOC_SETDATA")
                                && params_match(params)
                        }
                        _ => false,
                    };
                    in_query && in_body
                });
            then.status(200)
                .header("content-type", "application/json")
                .body(OK_NULL);
        })
        .await
}

#[tokio::test]
async fn odoc_setdata_every_example_request_verbatim() {
    let server = MockServer::start_async().await;
    login(&server).await;
    // Line 179. The client writes the header in its table's order (datetime first), the example
    // customer_id first: the same JSON object, so objdata is compared as JSON.
    let line179 = setdata_json(
        &server,
        "0001077484",
        "document",
        r#"{"header":{"customer_id":1,"datetime":"25.06.2018 10:33:59"}}"#,
    )
    .await;
    // Line 227, its four requests: these match as text too.
    let examples = [
        (
            "0003443386",
            "document",
            r#"{"rows":[{"object_id":"PSTM"},{"object_id":"TRTH"}]}"#,
        ),
        ("0003443386", "header", r#"{"customer_id":2}"#),
        (
            "0003443385",
            "rows",
            r#"[{"object_id":"PSTM"},{"object_id":"TRTH"}]"#,
        ),
        ("0003443386", "row", r#"{"rowno":2,"object_id":"PSTM"}"#),
    ];
    let mut line227 = Vec::new();
    for (docuid, objname, objdata) in examples {
        line227.push(
            act(
                &server,
                "ODOC_SETDATA",
                &[
                    ("docuid", docuid),
                    ("objname", objname),
                    ("objdata", objdata),
                ],
                OK_NULL,
            )
            .await,
        );
    }
    let client = client(&server);
    let row = |row_no: Option<u32>, object_id: &str| RowData {
        row_no,
        batch_id: None,
        product_id: None,
        object_id: Some(object_id.into()),
        quantity: None,
        price: None,
    };
    let header = |customer_id: u64, datetime| HeaderData {
        datetime,
        document_no: None,
        location_id: None,
        object_id: None,
        customer_id: Some(customer_id),
        customer_location_id: None,
        text: None,
        text2: None,
    };
    let at = NaiveDate::from_ymd_opt(2018, 6, 25)
        .unwrap()
        .and_hms_opt(10, 33, 59);
    let calls = [
        (
            "0001077484",
            SetData::Document(DocumentPatch {
                header: Some(header(1, at)),
                rows: vec![],
            }),
        ),
        (
            "0003443386",
            SetData::Document(DocumentPatch {
                header: None,
                rows: vec![row(None, "PSTM"), row(None, "TRTH")],
            }),
        ),
        ("0003443386", SetData::Header(header(2, None))),
        (
            "0003443385",
            SetData::Rows(vec![row(None, "PSTM"), row(None, "TRTH")]),
        ),
        ("0003443386", SetData::Row(row(Some(2), "PSTM"))),
    ];
    for (docuid, data) in &calls {
        let answer: () = client.document(uid(docuid)).set_data(data).await.unwrap();
        assert_eq!(answer, (), "data null is no document");
    }
    line179.assert_async().await;
    for mock in line227 {
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn examples_with_the_documents_own_docuids_and_failures() {
    let server = MockServer::start_async().await;
    login(&server).await;
    // Line 146: `DOCUID` in the example, `docuid` in the table: both are sent (spec notes).
    // The answer (lines 157-163) names another docuid: the handle is the server's.
    let modify = act(
        &server,
        "ODOC_MODIFY",
        &[
            ("docuid", "0001234567"),
            ("DOCUID", "0001234567"),
            ("local", "0"),
        ],
        MODIFY_OK,
    )
    .await;
    // Lines 453-459.
    act(
        &server,
        "ODOC_GETDOC",
        &[("docuid", "0003443324"), ("what", "3")],
        INVALID_UID_0003443324,
    )
    .await;
    // Lines 671-677.
    act(
        &server,
        "ODOC_GETPAYMODES",
        &[("docuid", "0003443324")],
        INVALID_UID_0003443324,
    )
    .await;
    // Lines 758-764.
    act(
        &server,
        "ODOC_ADDEVENT",
        &[("docuid", "000344332"), ("de_act", "TEST")],
        INVALID_UID_000344332,
    )
    .await;
    let client = client(&server);

    let doc = client
        .modify_document(&uid("0001234567"), false)
        .await
        .unwrap();
    assert_eq!(doc.uid().as_str(), "0003443324");
    modify.assert_async().await;

    let invalid = |err, msg| assert_failure(&err, NoomCode::InvalidUid, msg);
    let doc = client.document(uid("0003443324"));
    invalid(doc.get_full().await.unwrap_err(), "Invalid UID: 0003443324");
    invalid(
        doc.payment_modes().await.unwrap_err(),
        "Invalid UID: 0003443324",
    );
    invalid(
        client
            .document(uid("000344332"))
            .add_event(&Event::new("TEST"))
            .await
            .unwrap_err(),
        "Invalid UID: 000344332",
    );
}
