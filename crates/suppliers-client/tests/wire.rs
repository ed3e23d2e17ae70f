//! One test per operation against httpmock: method, path, query, Accept, Content-Type,
//! Authorization and the exact JSON body; every documented answer decodes; every result code in
//! both shapes; the framework's refusals.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{VND, client, expect, puts, write};
use httpmock::prelude::*;
use pos_client_core::http::StatusCode;
use serde_json::{Value, json};
use suppliers_client::digest;
use suppliers_client::models::{DebtMethod, NewSupplier, Reason};
use suppliers_client::{
    Client, ContactInfo, Decimal, EditTrans, ImportItem, MediaType, Payment, ProductRef,
    ResultCode, RetryPolicy, SupplierFilter, TempPurchase,
};

const TRANS: &str = "0a1b2c3d-0000-4000-8000-000000000001";

fn current_body(id: &str) -> Value {
    json!({
        "result": "SUCCESS",
        "current_trans": {
            "trans_info": {
                "id": id, "reason": "purchase", "person_name": "An", "location_id": 1,
                "location_name": "Kho 1", "supplier_id": "7", "supplier_name": "NCC 7",
                "business_id": null, "business_name": null, "note": ""
            },
            "trans_lines": [
                {"line_id": 11, "product_id": "101", "product_name": "Gạo", "reference": "SP001",
                 "units": "2", "pricebuy": "125000", "update_supplier": "Y", "update_pricebuy": "N"},
                {"line_id": "12", "product_id": 102, "product_name": "Mắm", "reference": "SP002",
                 "units": 3, "pricebuy": null, "update_supplier": "N", "update_pricebuy": "Y"}
            ]
        }
    })
}

async fn handle(server: &MockServer) -> TempPurchase {
    common::current(server, current_body(TRANS)).await
}

#[tokio::test]
async fn list_temp_purchases_reads_a_paged_hal_collection() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/supplier-purchase-temp")
                .query_param("page", "2")
                .header("accept", VND);
            then.status(200).header("content-type", "application/hal+json").json_body(json!({
                "_links": {"self": {"href": "/supplier-purchase-temp?page=2"},
                           "first": {"href": "/supplier-purchase-temp?page=1"},
                           "prev": {"href": "/supplier-purchase-temp?page=1"},
                           "last": {"href": "/supplier-purchase-temp?page=2"}},
                "_embedded": {"supplier_purchase_temp": [
                    {"id": "u-1", "reason": "return", "person_name": "An", "supplier_name": null,
                     "person_share": 3, "first_product_name": "Gạo", "num_other_line": "2",
                     "created_at": "2024-05-01 08:00:00", "updated_at": "2024-05-01 09:00:00"}
                ]},
                "page_count": 2, "page_size": "25", "total_items": 26, "page": 2
            }));
        })
        .await;
    let page = client(&server).list_temp_purchases(Some(2)).await.unwrap();
    m.assert_async().await;
    let items = page.embedded.unwrap().supplier_purchase_temp;
    assert_eq!(items[0].reason, Some(Reason::Return));
    assert_eq!(items[0].num_other_line, Some(2));
    assert_eq!(items[0].person_share.as_deref(), Some("3"));
    assert_eq!(
        (page.page, page.page_size, page.page_count, page.total_items),
        (Some(2), Some(25), Some(2), Some(26))
    );
    let links = page.links.unwrap();
    assert!(links.next.is_none());
    assert_eq!(links.prev.unwrap().href, "/supplier-purchase-temp?page=1");
}

/// `person_share` is a bare key in the document (line 54: `"person_share",`), beside the names
/// `person_name` and `supplier_name`: no type. Every scalar shape a PHP server sends is kept as
/// its text (a name, an id as a number or a string, a share `0.5`, a flag), PHP's ways of saying
/// none (`null`, `""`, `false`, `[]`) are `None`, and no shape of it fails the page.
#[tokio::test]
async fn person_share_is_kept_as_text_in_every_scalar_shape() {
    let shapes = [
        (json!("Trần Thị Bình"), Some("Trần Thị Bình")),
        (json!(3), Some("3")),
        (json!("12"), Some("12")),
        (json!(0.5), Some("0.5")),
        (json!("0,5"), Some("0,5")),
        (json!("Y"), Some("Y")),
        (json!(true), Some("true")),
        (json!(false), None),
        (json!(null), None),
        (json!(""), None),
        (json!([]), None),
    ];
    for (sent, read) in shapes {
        let server = MockServer::start_async().await;
        let body = json!({"_embedded": {"supplier_purchase_temp": [
            {"id": "u-1", "person_name": "An", "person_share": sent.clone()}
        ]}});
        expect(&server, GET, "supplier-purchase-temp", None, 200, body).await;
        let page = client(&server).list_temp_purchases(None).await.unwrap();
        let items = page.embedded.unwrap().supplier_purchase_temp;
        assert_eq!(items[0].person_share.as_deref(), read, "{sent}");
    }
}

#[tokio::test]
async fn temp_purchase_by_id_reads_wrapped_and_bare_shapes() {
    let server = MockServer::start_async().await;
    let m = expect(
        &server,
        GET,
        "supplier-purchase-temp/u%201",
        None,
        200,
        current_body("u 1"),
    )
    .await;
    let t = client(&server).temp_purchase("u 1").await.unwrap();
    m.assert_async().await;
    assert_eq!(t.trans_info.id, "u 1");
    let bare = current_body("u-2")["current_trans"].clone();
    let m = expect(&server, GET, "supplier-purchase-temp/u-2", None, 200, bare).await;
    let t = client(&server).temp_purchase("u-2").await.unwrap();
    m.assert_async().await;
    assert_eq!(t.trans_lines.len(), 2);
    assert!(
        client(&server)
            .temp_purchase("a\nb")
            .await
            .unwrap_err()
            .is_validation()
    );
}

#[tokio::test]
async fn location_person_reads_the_id_to_name_map() {
    let server = MockServer::start_async().await;
    let m = expect(
        &server,
        GET,
        "supplier-purchase-temp/location-person",
        None,
        200,
        json!({"location_person": {"1": "Kho Hà Nội", "5": "Kho Sài Gòn"}}),
    )
    .await;
    let locs = client(&server).location_person().await.unwrap();
    m.assert_async().await;
    assert_eq!(locs.len(), 2);
    assert_eq!(
        (locs[1].id.as_str(), locs[1].name.as_str()),
        ("5", "Kho Sài Gòn")
    );
}

/// The document's answer is `{"location_person": {...}}` (line 112); PHP writes the key even when
/// there is no location (`[]` or `null`). An answer without it is not that answer (another
/// entity, a bare `{"result": "SUCCESS"}`): a decode error, not "no location".
#[tokio::test]
async fn location_person_without_the_key_is_not_understood() {
    for body in [
        json!({"result": "SUCCESS"}),
        json!({}),
        json!({"id": "location-person"}),
    ] {
        let server = MockServer::start_async().await;
        expect(
            &server,
            GET,
            "supplier-purchase-temp/location-person",
            None,
            200,
            body.clone(),
        )
        .await;
        let err = client(&server).location_person().await.unwrap_err();
        assert!(
            matches!(err, suppliers_client::Error::Decode { .. }),
            "{body}: {err:?}"
        );
        assert!(
            err.message().unwrap_or("").contains("location_person"),
            "{body}: {err:?}"
        );
    }
    for body in [
        json!({"location_person": []}),
        json!({"location_person": null}),
    ] {
        let server = MockServer::start_async().await;
        expect(
            &server,
            GET,
            "supplier-purchase-temp/location-person",
            None,
            200,
            body.clone(),
        )
        .await;
        assert!(
            client(&server).location_person().await.unwrap().is_empty(),
            "{body}"
        );
    }
}

#[tokio::test]
async fn current_and_claim_current_decode_lines_exactly() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    assert_eq!(trans.id(), TRANS);
    assert_eq!(trans.info().location_id.as_deref(), Some("1"));
    let l = &trans.lines()[0];
    assert_eq!(
        (l.line_id.as_str(), l.units, l.pricebuy),
        ("11", Decimal::from(2), Some(Decimal::from(125_000)))
    );
    assert_eq!(
        (l.update_supplier, l.update_pricebuy),
        (Some(true), Some(false))
    );
    assert_eq!(trans.lines()[1].pricebuy, None);
    assert_eq!(trans.total(), Decimal::from(250_000));

    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/supplier-purchase-temp/current")
                .query_param("set_current_access_token", "Y")
                .header("accept", VND);
            then.status(200).json_body(current_body("claimed"));
        })
        .await;
    assert_eq!(
        client(&server).claim_current().await.unwrap().id(),
        "claimed"
    );
    m.assert_async().await;
}

#[tokio::test]
async fn add_line_by_code_and_by_id() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    let path = format!("supplier-purchase-temp/{TRANS}");
    let m = expect(&server, PUT, &path,
        Some(json!({"action": "addLine", "trans_id": TRANS, "product_code": "SP001", "units": 2})),
        200,
        json!({"result": "SUCCESS", "line": {"line_id": 11, "product_id": "101", "product_name": "Gạo",
               "units": "4", "update_supplier": "Y", "update_pricebuy": "Y"}, "is_update": "Y"})).await;
    let a = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(a.is_update, Some(true));
    assert_eq!(a.line.units, Some(Decimal::from(4)));
    m.delete_async().await;
    let m = expect(
        &server,
        PUT,
        &path,
        Some(json!({"action": "addLine", "trans_id": TRANS, "product_id": "101", "units": 1.5})),
        200,
        json!({"result": "SUCCESS", "line": {"line_id": "13", "units": 1.5}, "is_update": "N"}),
    )
    .await;
    let a = trans
        .add_line(ProductRef::Id("101".into()), "1.5".parse().unwrap())
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(a.is_update, Some(false));
    assert!(
        trans
            .add_line(ProductRef::Id("1".into()), Decimal::ZERO)
            .await
            .unwrap_err()
            .is_validation()
    );
}

#[tokio::test]
async fn edit_trans_sends_only_the_set_fields_and_updates_the_snapshot() {
    let server = MockServer::start_async().await;
    let mut trans = handle(&server).await;
    let m = expect(
        &server,
        PUT,
        &format!("supplier-purchase-temp/{TRANS}"),
        Some(
            json!({"action": "editTrans", "trans_id": TRANS, "reason": "return", "location_id": "2",
                    "supplier_id": "9", "business_id": "10", "note": "gấp"}),
        ),
        200,
        json!({"result": "SUCCESS", "trans_info": {"location_id": 2, "location_name": "Kho 2",
               "supplier_id": 9, "supplier_name": "NCC 9", "business_id": 10,
               "business_name": "An Phát", "note": "gấp"}}),
    )
    .await;
    let info = trans
        .edit_trans(&EditTrans {
            reason: Some(Reason::Return),
            location_id: Some("2".into()),
            supplier_id: Some("9".into()),
            business_id: Some("10".into()),
            note: Some("gấp".into()),
        })
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(info.supplier_name.as_deref(), Some("NCC 9"));
    assert_eq!(trans.info().location_name.as_deref(), Some("Kho 2"));
    assert_eq!(trans.info().reason, Some(Reason::Return));
}

#[tokio::test]
async fn the_line_actions_send_their_fields() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    let path = format!("supplier-purchase-temp/{TRANS}");
    let products = r#"[{"reference":"SP001","units":"2","pricebuy":"125000"},{"reference":"SP003","units":"1.5"}]"#;
    let items = [
        ImportItem {
            reference: "SP001".into(),
            units: Decimal::from(2),
            pricebuy: Some(Decimal::from(125_000)),
        },
        ImportItem {
            reference: "SP003".into(),
            units: "1.50".parse().unwrap(),
            pricebuy: None,
        },
    ];
    let writes = vec![
        (
            json!({"action": "editUnits", "trans_id": TRANS, "line_id": "11", "units": 5}),
            write(trans.edit_units("11", Decimal::from(5))),
        ),
        (
            json!({"action": "editPricebuy", "trans_id": TRANS, "line_id": "11", "pricebuy": 99000}),
            write(trans.edit_pricebuy("11", Decimal::from(99_000))),
        ),
        (
            json!({"action": "editUpdateProduct", "trans_id": TRANS, "line_id": "11", "update_supplier": "N", "update_pricebuy": "Y"}),
            write(trans.edit_update_product("11", false, true)),
        ),
        (
            json!({"action": "deleteLine", "trans_id": TRANS, "line_id": "12"}),
            write(trans.delete_line("12")),
        ),
        (
            json!({"action": "importProduct", "trans_id": TRANS, "products": products}),
            write(trans.import_products(&items)),
        ),
    ];
    puts(&server, &path, r#"{"result":"SUCCESS"}"#, writes).await;
}

/// Amounts go without trailing zeros, byte for byte: `2.50` as `2.5`, a price read back as
/// `150000.00` as `150000` (the same number, and an integer for a server reading one; JSON
/// equality cannot tell them apart, so the bodies are compared as text).
#[tokio::test]
async fn amounts_are_sent_without_trailing_zeros() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    let c = client(&server);
    let dec = |s: &str| -> Decimal { s.parse().unwrap() };
    let temp = format!("/api/supplier-purchase-temp/{TRANS}");
    let cases: Vec<(&str, String, common::Write<'_>)> = vec![
        (
            temp.as_str(),
            format!(
                r#"{{"action":"addLine","trans_id":"{TRANS}","product_code":"SP001","units":2.5}}"#
            ),
            write(trans.add_line(ProductRef::Code("SP001".into()), dec("2.50"))),
        ),
        (
            temp.as_str(),
            format!(r#"{{"action":"editUnits","trans_id":"{TRANS}","line_id":"11","units":3}}"#),
            write(trans.edit_units("11", dec("3.000"))),
        ),
        (
            temp.as_str(),
            format!(
                r#"{{"action":"editPricebuy","trans_id":"{TRANS}","line_id":"11","pricebuy":150000}}"#
            ),
            write(trans.edit_pricebuy("11", dec("150000.00"))),
        ),
        (
            "/api/suppliers/7",
            r#"{"action":"editMaxDebt","maxdebt":20000000}"#.to_owned(),
            write(c.edit_supplier_max_debt("7", dec("20000000.00"))),
        ),
        (
            "/api/suppliers/7",
            r#"{"action":"updateCurdebt","payment_method":"debt","debt":1250.5}"#.to_owned(),
            write(c.update_supplier_debt("7", DebtMethod::Debt, dec("1250.50"), None)),
        ),
    ];
    let answer = json!({"result": "SUCCESS", "line": {"line_id": "11"}, "is_update": "N"});
    for (path, body, call) in cases {
        let m = server
            .mock_async(|when, then| {
                when.method(PUT)
                    .path(path)
                    .header("content-type", VND)
                    .body(body.as_str());
                then.status(200)
                    .header("content-type", VND)
                    .json_body(answer.clone());
            })
            .await;
        call.await.unwrap_or_else(|e| panic!("{body}: {e}"));
        m.assert_async().await;
        m.delete_async().await;
    }
}

#[tokio::test]
async fn place_order_posts_the_id_under_both_documented_names() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    let m = expect(
        &server,
        POST,
        "supplier-purchase",
        Some(
            json!({"purchase_temp_id": TRANS, "trans_temp_id": TRANS, "payment_method": "debt", "payment_note": "30 ngày"}),
        ),
        201,
        json!({"result": "SUCCESS"}),
    )
    .await;
    let answer = trans
        .place_order(Payment::debt().with_note("30 ngày"))
        .await
        .unwrap();
    assert_eq!(answer.result.as_deref(), Some("SUCCESS"));
    assert!(answer.rest.is_empty());
    m.assert_async().await;
}

#[tokio::test]
async fn place_order_returns_what_the_server_said() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    let m = expect(
        &server,
        POST,
        "supplier-purchase",
        None,
        201,
        json!({"result": "SUCCESS", "purchase_id": 812, "_links": {"self": {"href": "/supplier-purchase/812"}}}),
    )
    .await;
    let answer = c.place_order(TRANS, &Payment::cash()).await.unwrap();
    assert_eq!(answer.result.as_deref(), Some("SUCCESS"));
    assert_eq!(
        answer.rest.get_as::<u64>("purchase_id").unwrap().unwrap(),
        812
    );
    assert!(answer.rest.contains_key("_links"));
    m.assert_async().await;
}

/// The document's order answer is `{"result": "SUCCESS"}`: a 2xx JSON object without it (`{}`,
/// another resource's entity) is not the vendor's answer to a write that may have been carried
/// out: outcome-unknown naming the trans id, sent once.
#[tokio::test]
async fn an_order_answered_without_its_result_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    for (i, answer) in [json!({}), json!({"purchase_id": 812, "_links": {}})]
        .into_iter()
        .enumerate()
    {
        let m = expect(&server, POST, "supplier-purchase", None, 201, answer).await;
        let err = c.place_order(TRANS, &Payment::cash()).await.unwrap_err();
        assert!(err.is_outcome_unknown(), "{i}: {err}");
        assert_eq!(err.reference(), Some(TRANS), "{i}");
        assert_eq!(m.calls_async().await, 1, "{i}: sent once");
        m.delete_async().await;
    }
}

#[tokio::test]
async fn a_result_code_decodes_typed_with_any_status() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    for (status, code) in [
        (400, ResultCode::Error),
        (404, ResultCode::NotFoundSupplier),
        (422, ResultCode::DebtNotGreaterMaxdebt),
        (403, ResultCode::NotCurrentAccessToken),
    ] {
        let m = expect(
            &server,
            GET,
            "suppliers/1",
            None,
            status,
            json!({"result": code.as_wire()}),
        )
        .await;
        let err = c.supplier("1").await.unwrap_err();
        assert_eq!(err.code(), Some(&code), "{status}: {err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        m.assert_async().await;
        m.delete_async().await;
    }
}

#[tokio::test]
async fn an_accepted_write_without_its_expected_answer_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    let put = format!("supplier-purchase-temp/{TRANS}");
    // 200 without `line`, 200 without `trans_info`, 204: the writes were accepted.
    for (i, status, answer) in [
        (0, 200, json!({"result": "SUCCESS"})),
        (1, 200, json!({"result": "SUCCESS"})),
        (2, 204, json!(null)),
        (3, 200, json!({"result": "SUCCESS", "current": {}})),
    ] {
        let m = server
            .mock_async(|when, then| {
                when.method(PUT).path(format!("/api/{put}"));
                let then = then.status(status);
                if status != 204 {
                    then.header("content-type", VND).body(answer.to_string());
                }
            })
            .await;
        let err = match i {
            0 => trans
                .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
                .await
                .map(|_| ())
                .unwrap_err(),
            1 => trans
                .clone()
                .edit_trans(&EditTrans {
                    note: Some("x".into()),
                    ..EditTrans::default()
                })
                .await
                .map(|_| ())
                .unwrap_err(),
            2 => trans.clone().create_new().await.map(|_| ()).unwrap_err(),
            _ => trans.clone().forward("2").await.map(|_| ()).unwrap_err(),
        };
        assert!(err.is_outcome_unknown(), "{i}: {err}");
        assert_eq!(err.reference(), Some(TRANS), "{i}");
        assert!(err.to_string().contains("accepted"), "{err}");
        assert_eq!(m.calls_async().await, 1, "{i}: sent once");
        m.delete_async().await;
    }
    // The same for a created supplier without `supplier`.
    let c = client(&server);
    let m = expect(
        &server,
        POST,
        "suppliers",
        None,
        201,
        json!({"result": "SUCCESS"}),
    )
    .await;
    let err = c
        .create_supplier(&NewSupplier {
            name: "NCC".into(),
            phone: None,
            region: None,
            city: None,
            address: None,
        })
        .await
        .unwrap_err();
    assert!(
        err.is_outcome_unknown() && err.reference() == Some("new supplier NCC"),
        "{err}"
    );
    m.assert_async().await;
}

/// The document answers these writes `{"result":"SUCCESS"}` (DELETE /suppliers: 204). A 2xx
/// page that is not that (a proxy's or PHP's HTML, `{}`, another result-less object) may follow
/// a write that was carried out: outcome-unknown naming the reference, sent once, never Ok.
#[tokio::test]
async fn a_result_only_write_answered_by_another_2xx_body_is_outcome_unknown() {
    let server = MockServer::start_async().await;
    let trans = handle(&server).await;
    let c = client(&server);
    let put = format!("/api/supplier-purchase-temp/{TRANS}");
    let html = "<html><body>Fatal error: Allowed memory size exhausted</body></html>";
    for (i, method, path, content_type, body) in [
        (0, PUT, put.as_str(), "text/html", html),
        (1, PUT, put.as_str(), VND, "{}"),
        (2, PUT, "/api/suppliers/7", "text/html", html),
        (3, PUT, "/api/suppliers/7", VND, r#"{"id": 7}"#),
        (4, DELETE, "/api/suppliers/7", "text/html", html),
    ] {
        let m = server
            .mock_async(|when, then| {
                when.method(method).path(path);
                then.status(200)
                    .header("content-type", content_type)
                    .body(body);
            })
            .await;
        let result = match i {
            0 => trans.edit_units("11", Decimal::from(5)).await,
            1 => trans.delete_line("11").await,
            2 => c.edit_supplier_name("7", "Mới").await,
            3 => {
                c.update_supplier_debt("7", DebtMethod::Debt, Decimal::from(5), None)
                    .await
            }
            _ => c.delete_supplier("7").await,
        };
        let err = result.unwrap_err();
        assert!(err.is_outcome_unknown(), "{i}: {err}");
        let reference = if i < 2 { TRANS } else { "supplier 7" };
        assert_eq!(err.reference(), Some(reference), "{i}");
        assert_eq!(m.calls_async().await, 1, "{i}: sent once");
        m.delete_async().await;
    }
}

#[tokio::test]
async fn list_suppliers_sends_the_filters() {
    let server = MockServer::start_async().await;
    let m = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers")
                .query_param("visible", "N")
                .query_param("name", "Minh")
                .query_param("page", "1")
                .header("accept", VND);
            then.status(200).json_body(json!({
                "_embedded": {"suppliers": [{"id": 2, "taxid": 123, "name": "Minh Long",
                    "curdebt": "1500000000", "curdate": null, "phone": "0901", "visible": "N"}]},
                "total_items": 1
            }));
        })
        .await;
    let filter = SupplierFilter {
        visible: Some(false),
        name: Some("Minh".into()),
        page: Some(1),
        page_size: None,
    };
    let page = client(&server).list_suppliers(&filter).await.unwrap();
    m.assert_async().await;
    let s = &page.embedded.unwrap().suppliers[0];
    assert_eq!((s.id.as_str(), s.taxid.as_deref()), ("2", Some("123")));
    assert_eq!(s.curdebt, Some(Decimal::from(1_500_000_000u64)));
    assert_eq!(s.visible, Some(false));
}

#[tokio::test]
async fn create_get_and_delete_supplier() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    let m = expect(&server, POST, "suppliers",
        Some(json!({"name": "Hòa Bình", "phone": "0912", "region": "Hà Nội", "city": "Đống Đa", "address": "12 Tôn Đức Thắng"})),
        201,
        json!({"result": "SUCCESS", "supplier": {"id": 44, "searchkey": "NCC0044", "taxid": "", "name": "Hòa Bình",
               "address": "12 Tôn Đức Thắng", "city": "Đống Đa", "region": "Hà Nội", "phone": "0912"}})).await;
    let created = c
        .create_supplier(&NewSupplier {
            name: "Hòa Bình".into(),
            phone: Some("0912".into()),
            region: Some("Hà Nội".into()),
            city: Some("Đống Đa".into()),
            address: Some("12 Tôn Đức Thắng".into()),
        })
        .await
        .unwrap();
    m.assert_async().await;
    assert_eq!(created.id, "44");
    let blank = NewSupplier {
        name: " ".into(),
        phone: None,
        region: None,
        city: None,
        address: None,
    };
    assert!(c.create_supplier(&blank).await.unwrap_err().is_validation());

    let m = expect(&server, GET, "suppliers/44", None, 200,
        json!({"result": "SUCCESS", "supplier": {"id": "44", "searchkey": "NCC0044", "taxid": "0101", "name": "Hòa Bình",
               "maxdebt": 50000000, "curdebt": "12500000.00", "curdate": "2024-05-01", "phone": 912,
               "address": "12", "city": "Đống Đa", "region": "Hà Nội", "visible": "Y"}})).await;
    let s = c.supplier("44").await.unwrap();
    m.assert_async().await;
    assert_eq!(s.maxdebt, Some(Decimal::from(50_000_000)));
    assert_eq!(s.curdebt, Some("12500000.00".parse().unwrap()));
    assert_eq!((s.visible, s.phone.as_deref()), (Some(true), Some("912")));

    let m = server
        .mock_async(|when, then| {
            when.method(DELETE)
                .path("/api/suppliers/44")
                .header("accept", VND);
            then.status(204);
        })
        .await;
    c.delete_supplier("44").await.unwrap();
    m.assert_async().await;
}

#[tokio::test]
async fn every_supplier_action_sends_its_fields() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    let contact = ContactInfo {
        phone: Some("0988".into()),
        city: Some("Ba Đình".into()),
        ..ContactInfo::default()
    };
    let writes = vec![
        (
            json!({"action": "editName", "name": "Mới"}),
            write(c.edit_supplier_name("7", "Mới")),
        ),
        (
            json!({"action": "editCode", "searchkey": "K1", "taxid": "T1"}),
            write(c.edit_supplier_code("7", "K1", "T1")),
        ),
        (
            json!({"action": "editVisible", "visible": "N"}),
            write(c.edit_supplier_visible("7", false)),
        ),
        (
            json!({"action": "editMaxDebt", "maxdebt": 20000000}),
            write(c.edit_supplier_max_debt("7", Decimal::from(20_000_000))),
        ),
        (
            json!({"action": "updateCurdebt", "payment_method": "debtpaid", "debt": 500000, "note": "trả"}),
            write(c.update_supplier_debt(
                "7",
                DebtMethod::DebtPaid,
                Decimal::from(500_000),
                Some("trả"),
            )),
        ),
        (
            json!({"action": "editContactInfo", "phone": "0988", "city": "Ba Đình"}),
            write(c.edit_supplier_contact("7", &contact)),
        ),
    ];
    puts(&server, "suppliers/7", r#"{"result":"SUCCESS"}"#, writes).await;
    assert!(
        c.update_supplier_debt("7", DebtMethod::Debt, Decimal::ZERO, None)
            .await
            .unwrap_err()
            .is_validation()
    );
    assert!(
        c.edit_supplier_code("7", "", "T")
            .await
            .unwrap_err()
            .is_validation()
    );
}

#[tokio::test]
async fn every_result_code_arrives_typed_in_both_shapes() {
    let server = MockServer::start_async().await;
    let c = client(&server);
    for code in ResultCode::ALL.iter().filter(|c| {
        !matches!(
            c,
            ResultCode::Unauthorized
                | ResultCode::NotAcceptable
                | ResultCode::UnsupportedMediaType
                | ResultCode::FailedValidation
        )
    }) {
        // {"result": CODE} with 200.
        let m = expect(
            &server,
            GET,
            "suppliers/1",
            None,
            200,
            json!({"result": code.as_wire()}),
        )
        .await;
        let err = c.supplier("1").await.unwrap_err();
        assert_eq!(err.code(), Some(code), "{err}");
        m.assert_async().await;
        m.delete_async().await;
        // problem+json with the code as the detail.
        let m = server
            .mock_async(|when, then| {
                when.method(GET).path("/api/suppliers/1");
                then.status(422)
                    .header("content-type", "application/problem+json")
                    .json_body(json!({
                        "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
                        "title": "Unprocessable Entity", "status": 422, "detail": code.as_wire()
                    }));
            })
            .await;
        let err = c.supplier("1").await.unwrap_err();
        assert_eq!(err.code(), Some(code), "{err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
        m.assert_async().await;
        m.delete_async().await;
    }
    // The document's misspelling, in `result` of a problem body.
    let m = server
        .mock_async(|when, then| {
            when.method(DELETE).path("/api/suppliers/9");
            then.status(404).header("content-type", "application/problem+json").json_body(json!({
                "title": "Not Found", "status": 404, "detail": "Không tìm thấy NCC", "result": "NOT_FOUND_SUPPLER"
            }));
        })
        .await;
    let err = c.delete_supplier("9").await.unwrap_err();
    assert_eq!(err.code(), Some(&ResultCode::NotFoundSupplier));
    assert_eq!(err.message(), Some("Không tìm thấy NCC"));
    m.assert_async().await;
}

#[tokio::test]
async fn a_documented_code_sent_with_401_is_kept_and_not_taken_for_a_refused_token() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/oauth");
            then.status(200)
                .json_body(json!({"access_token": "t1", "expires_in": 3600}));
        })
        .await;
    let c = Client::builder()
        .base_url(server.url("/api/"))
        .oauth2_client_credentials("app", None)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    for body in [
        json!({"result": "NOT_CURRENT_ACCESS_TOKEN"}),
        json!({"title": "Unauthorized", "status": 401, "detail": "NOT_CURRENT_ACCESS_TOKEN"}),
    ] {
        let m = server
            .mock_async(|when, then| {
                when.method(GET).path("/api/supplier-purchase-temp/current");
                then.status(401)
                    .header("content-type", "application/problem+json")
                    .json_body(body.clone());
            })
            .await;
        let err = c.current().await.unwrap_err();
        assert_eq!(
            err.code(),
            Some(&ResultCode::NotCurrentAccessToken),
            "{err}"
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
        assert_eq!(m.calls_async().await, 1, "not sent again with a new token");
        m.delete_async().await;
    }
    assert_eq!(token.calls_async().await, 1, "the token was not renewed");
    // A 401 without a documented code (or with UNAUTHORIZED, or the generic ERROR) is still a
    // refused credential: the token is renewed once and the call sent again.
    for body in [
        json!({"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}),
        json!({"result": "UNAUTHORIZED"}),
        json!({"result": "ERROR"}),
    ] {
        let m = server
            .mock_async(|when, then| {
                when.method(GET).path("/api/supplier-purchase-temp/current");
                then.status(401)
                    .header("content-type", "application/problem+json")
                    .json_body(body.clone());
            })
            .await;
        let err = c.current().await.unwrap_err();
        assert_eq!(err.code(), Some(&ResultCode::Unauthorized), "{err}");
        assert!(err.is_credentials());
        assert_eq!(m.calls_async().await, 2);
        m.delete_async().await;
    }
}

#[tokio::test]
async fn validation_messages_become_fields_and_406_415_name_the_media_type() {
    let server = MockServer::start_async().await;
    let c = Client::builder()
        .base_url(server.url("/api/"))
        .bearer_token("tok-123")
        .accept(MediaType::Hal)
        .content_type(MediaType::Json)
        .build()
        .unwrap();
    let m = server
        .mock_async(|when, then| {
            when.method(POST).path("/api/suppliers").header("accept", "application/hal+json").header("content-type", "application/json");
            then.status(422).header("content-type", "application/problem+json").json_body(json!({
                "type": "x", "title": "Unprocessable Entity", "status": 422, "detail": "Failed Validation",
                "validation_messages": {"name": {"isEmpty": "Value is required and can't be empty"}}
            }));
        })
        .await;
    let body = NewSupplier {
        name: "x".into(),
        phone: None,
        region: None,
        city: None,
        address: None,
    };
    let err = c.create_supplier(&body).await.unwrap_err();
    m.assert_async().await;
    assert_eq!(err.code(), Some(&ResultCode::FailedValidation));
    assert_eq!(err.fields()[0].field, "name");
    m.delete_async().await;

    let m = server.mock_async(|when, then| { when.path("/api/suppliers/1"); then.status(406).json_body(json!({"title": "Not Acceptable", "status": 406, "detail": "Unable to resolve Accept header to a representation"})); }).await;
    let err = c.supplier("1").await.unwrap_err();
    assert_eq!(err.code(), Some(&ResultCode::NotAcceptable));
    assert!(err.to_string().contains("application/hal+json"), "{err}");
    m.delete_async().await;
    let m2 = server
        .mock_async(|when, then| {
            when.path("/api/suppliers/1");
            then.status(415).body("Invalid content-type specified");
        })
        .await;
    let err = c.edit_supplier_name("1", "n").await.unwrap_err();
    assert_eq!(err.code(), Some(&ResultCode::UnsupportedMediaType));
    assert!(err.to_string().contains("application/json"), "{err}");
    m2.assert_async().await;
    let _ = m;
}

#[tokio::test]
async fn from_lookup_names_what_is_missing_and_hal_is_refused_as_content_type() {
    let err = Client::builder().bearer_token("t").build().unwrap_err();
    assert!(err.to_string().contains("base URL"), "{err}");
    let lookup = |vars: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let err = suppliers_client::ClientBuilder::from_lookup(lookup(&[])).unwrap_err();
    assert!(err.to_string().contains("SUPPLIERS_BASE_URL"), "{err}");
    let err = suppliers_client::ClientBuilder::from_lookup(lookup(&[(
        "SUPPLIERS_BASE_URL",
        "https://x/api/",
    )]))
    .unwrap_err();
    assert!(err.to_string().contains("SUPPLIERS_TOKEN"), "{err}");
    let err = suppliers_client::ClientBuilder::from_lookup(lookup(&[
        ("SUPPLIERS_BASE_URL", "https://x/api/"),
        ("SUPPLIERS_USER", "an"),
    ]))
    .unwrap_err();
    assert!(err.to_string().contains("SUPPLIERS_PASSWORD"), "{err}");
    for vars in [
        &[
            ("SUPPLIERS_BASE_URL", "https://x/api/"),
            ("SUPPLIERS_TOKEN", "t"),
        ][..],
        &[
            ("SUPPLIERS_BASE_URL", "https://x/api/"),
            ("SUPPLIERS_USER", "an"),
            ("SUPPLIERS_PASSWORD", "p"),
            ("SUPPLIERS_AUTH", "digest"),
        ][..],
        &[
            ("SUPPLIERS_BASE_URL", "https://x/api/"),
            ("SUPPLIERS_AUTH", "oauth2"),
            ("SUPPLIERS_CLIENT_ID", "c"),
        ][..],
    ] {
        let vars: &'static [(&str, &str)] = Box::leak(vars.to_vec().into_boxed_slice());
        suppliers_client::ClientBuilder::from_lookup(lookup(vars))
            .unwrap()
            .build()
            .unwrap();
    }
    let err = Client::builder()
        .base_url("https://x/")
        .bearer_token("t")
        .content_type(MediaType::Hal)
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("Content-Type"), "{err}");
}

/// The OAuth2 token request is a form, as RFC 6749 requires (the framework's endpoint reads a
/// form too), byte for byte; the token then goes as `Authorization: Bearer`.
#[tokio::test]
async fn the_oauth2_token_request_is_a_form() {
    let server = MockServer::start_async().await;
    let cases = [
        (
            Client::builder().oauth2_password("cid", Some("s&1".into()), "an b", "p=w"),
            "grant_type=password&username=an+b&password=p%3Dw&client_id=cid&client_secret=s%261",
        ),
        (
            Client::builder().oauth2_client_credentials("cid", None),
            "grant_type=client_credentials&client_id=cid",
        ),
    ];
    for (builder, form) in cases {
        let token = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/api/oauth")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form);
                then.status(200)
                    .header("content-type", "application/json")
                    .json_body(json!({"access_token": "tok-9", "expires_in": 3600, "token_type": "Bearer"}));
            })
            .await;
        let list = server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/api/suppliers")
                    .header("accept", VND)
                    .header("authorization", "Bearer tok-9");
                then.status(200)
                    .header("content-type", VND)
                    .json_body(json!({"_embedded": {"suppliers": []}}));
            })
            .await;
        let c = builder
            .base_url(server.url("/api/"))
            .retry_policy(RetryPolicy::without_delays())
            .build()
            .unwrap();
        c.list_suppliers(&SupplierFilter::default())
            .await
            .unwrap_or_else(|e| panic!("{form}: {e}"));
        token.assert_async().await;
        list.assert_async().await;
        token.delete_async().await;
        list.delete_async().await;
    }
}

/// Laminas API Tools answers a request without credentials 403 Forbidden when the route needs
/// an identity, with its Digest challenge merged in (one HTTP adapter, not mapped to the API).
/// The Digest client answers that challenge as it answers a 401's: the second request is signed
/// with its nonce and opaque. A Basic client, whose first request was already signed, keeps
/// the 403 and sends nothing more.
#[tokio::test]
async fn a_403_carrying_a_digest_challenge_to_an_unsigned_request_is_answered() {
    let server = MockServer::start_async().await;
    let challenge = r#"Digest realm="api", domain="/", nonce="abc123", opaque="op", algorithm="MD5", qop="auth""#;
    let forbidden = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers")
                .header_missing("authorization");
            then.status(403)
                .header("www-authenticate", challenge)
                .header("content-type", "application/problem+json")
                .json_body(
                    json!({"type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
                                  "title": "Forbidden", "status": 403, "detail": "Forbidden"}),
                );
        })
        .await;
    let signed = server
        .mock_async(|when, then| {
            when.method(GET).path("/api/suppliers").header_matches(
                "authorization",
                r#"^Digest username="an", realm="api", uri="/api/suppliers", algorithm=MD5, nonce="abc123", nc=00000001, cnonce="[0-9a-f]{16}", qop=auth, response="[0-9a-f]{32}", opaque="op"$"#,
            );
            then.status(200)
                .header("content-type", VND)
                .json_body(json!({"_embedded": {"suppliers": []}}));
        })
        .await;
    let digest = Client::builder()
        .base_url(server.url("/api/"))
        .digest_auth("an", "pw")
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    digest
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    forbidden.assert_async().await;
    signed.assert_async().await;

    let basic_forbidden = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers/7")
                .header_exists("authorization");
            then.status(403)
                .header("www-authenticate", challenge)
                .header("content-type", "application/problem+json")
                .json_body(json!({"title": "Forbidden", "status": 403, "detail": "Forbidden"}));
        })
        .await;
    let basic = Client::builder()
        .base_url(server.url("/api/"))
        .basic_auth("an", "pw")
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    let err = basic.supplier("7").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN), "{err}");
    assert!(!err.is_credentials(), "{err}");
    basic_forbidden.assert_calls_async(1).await;
}

/// A server that never sends `stale=true` (Laminas changes its Digest nonce every
/// `nonce_timeout` and challenges the old one like a wrong password) refuses a call signed with
/// the expired nonce: the client answers the new challenge once and the call succeeds.
#[tokio::test]
async fn a_new_digest_nonce_without_stale_is_answered_once() {
    let server = MockServer::start_async().await;
    let challenge = |nonce: &str| {
        format!(
            r#"Digest realm="api", domain="/", nonce="{nonce}", opaque="op", algorithm="MD5", qop="auth""#
        )
    };
    let signed = |nonce: &str, nc: u32| {
        format!(
            r#"^Digest username="an", realm="api", uri="/api/suppliers", algorithm=MD5, nonce="{nonce}", nc={nc:08x}, cnonce="[0-9a-f]{{16}}", qop=auth, response="[0-9a-f]{{32}}", opaque="op"$"#
        )
    };
    let list = json!({"_embedded": {"suppliers": []}});
    let unsigned = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers")
                .header_missing("authorization");
            then.status(401)
                .header("www-authenticate", challenge("aaa1"));
        })
        .await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers")
                .header_matches("authorization", signed("aaa1", 1));
            then.status(200)
                .header("content-type", VND)
                .json_body(list.clone());
        })
        .await;
    let expired = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers")
                .header_matches("authorization", signed("aaa1", 2));
            then.status(401)
                .header("www-authenticate", challenge("bbb2"))
                .header("content-type", "application/problem+json")
                .json_body(
                    json!({"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}),
                );
        })
        .await;
    let renewed = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers")
                .header_matches("authorization", signed("bbb2", 1));
            then.status(200)
                .header("content-type", VND)
                .json_body(list.clone());
        })
        .await;
    let c = Client::builder()
        .base_url(server.url("/api/"))
        .digest_auth("an", "pw")
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    for call in 0..2 {
        c.list_suppliers(&SupplierFilter::default())
            .await
            .unwrap_or_else(|e| panic!("call {call}: {e}"));
    }
    for (name, m) in [
        ("unsigned", &unsigned),
        ("first", &first),
        ("expired", &expired),
        ("renewed", &renewed),
    ] {
        assert_eq!(m.calls_async().await, 1, "{name}");
    }
}

/// Whether a request carries a correct MD5 `Digest` header of user `an` with `password` for
/// realm `api`, `nonce` and nonce count `nc` (recomputed from its own cnonce, method and path).
fn signs_digest(req: &HttpMockRequest, password: &str, nonce: &str, nc: &str) -> bool {
    let headers = req.headers();
    let Some(value) = headers.get("authorization").and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let parsed = digest::split_challenges(value);
    let Some((scheme, params)) = parsed.first() else {
        return false;
    };
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let uri = req.uri();
    let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let (Some(cnonce), Some(response)) = (get("cnonce"), get("response")) else {
        return false;
    };
    let method = req.method();
    let expected = digest::response(
        digest::Algorithm::Md5,
        &digest::Params {
            user: "an",
            realm: "api",
            password,
            method: method.as_str(),
            uri: target,
            nonce,
            nc,
            cnonce,
            qop: Some("auth"),
        },
    );
    scheme == "Digest"
        && get("username") == Some("an")
        && get("realm") == Some("api")
        && get("nonce") == Some(nonce)
        && get("nc") == Some(nc)
        && get("qop") == Some("auth")
        && get("uri") == Some(target)
        && response == expected
}

fn basic_client(server: &MockServer, password: &str) -> Client {
    Client::builder()
        .base_url(server.url("/api/"))
        .basic_auth("an", password)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap()
}

fn new_supplier() -> NewSupplier {
    NewSupplier {
        name: "NCC".into(),
        phone: None,
        region: None,
        city: None,
        address: None,
    }
}

/// A server that accepts only HTTP Digest answers the Basic request 401 with a Digest challenge
/// and no Basic one. The Basic client answers it once with a correct Digest header of the same
/// user and password (the 401 proves the write was not done: sent twice in all), and the
/// client and its clones sign later calls with Digest, at the next nonce count. A wrong
/// password fails after that one answer: the write is sent at most twice.
#[tokio::test]
async fn a_basic_client_answers_a_digest_only_challenge_once_and_then_signs_with_digest() {
    let server = MockServer::start_async().await;
    let challenge = |nonce: &str| format!(r#"Digest realm="api", nonce="{nonce}", qop="auth""#);
    let refused = json!({"title": "Unauthorized", "status": 401, "detail": "Unauthorized"});
    let basic = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/suppliers")
                .header_matches("authorization", "^Basic ");
            then.status(401)
                .header("www-authenticate", challenge("n1"))
                .header("content-type", "application/problem+json")
                .json_body(refused.clone());
        })
        .await;
    let created = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/suppliers")
                .json_body(json!({"name": "NCC"}))
                .is_true(|req| signs_digest(req, "pw", "n1", "00000001"));
            then.status(201)
                .header("content-type", VND)
                .json_body(json!({"result": "SUCCESS", "supplier": {"id": 44, "name": "NCC"}}));
        })
        .await;
    let wrong = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/suppliers")
                .header_matches("authorization", "^Digest ")
                .is_true(|req| !signs_digest(req, "pw", "n1", "00000001"));
            then.status(401)
                .header("www-authenticate", challenge("n2"))
                .header("content-type", "application/problem+json")
                .json_body(refused.clone());
        })
        .await;
    let read = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/suppliers/44")
                .is_true(|req| signs_digest(req, "pw", "n1", "00000002"));
            then.status(200)
                .header("content-type", VND)
                .json_body(json!({"supplier": {"id": 44, "name": "NCC"}}));
        })
        .await;

    let c = basic_client(&server, "pw");
    let clone = c.clone();
    let supplier = c.create_supplier(&new_supplier()).await.unwrap();
    assert_eq!(supplier.id, "44");
    assert_eq!(basic.calls_async().await, 1);
    assert_eq!(created.calls_async().await, 1);
    assert_eq!(wrong.calls_async().await, 0);
    clone.supplier("44").await.unwrap();
    assert_eq!(read.calls_async().await, 1, "the clone signs with Digest");
    assert_eq!(basic.calls_async().await, 1, "Basic is not sent again");

    let bad = basic_client(&server, "wrong");
    let err = bad.create_supplier(&new_supplier()).await.unwrap_err();
    assert!(err.is_credentials(), "{err}");
    assert_eq!(basic.calls_async().await, 2);
    assert_eq!(wrong.calls_async().await, 1, "the write went twice in all");
    assert_eq!(created.calls_async().await, 1);
}

/// A 401 that challenges Basic (alone, or beside Digest) or carries no challenge is a wrong
/// password for a Basic client: the call is not sent again, and the client stays on Basic.
#[tokio::test]
async fn a_401_challenging_basic_or_nothing_is_not_sent_again() {
    for challenge in [
        Some(r#"Basic realm="api""#),
        Some(r#"Digest realm="api", nonce="n1", qop="auth", Basic realm="api""#),
        None,
    ] {
        let server = MockServer::start_async().await;
        let basic = server
            .mock_async(|when, then| {
                when.method(POST)
                    .path("/api/suppliers")
                    .header("authorization", "Basic YW46cHc=");
                let mut then = then
                    .status(401)
                    .header("content-type", "application/problem+json");
                if let Some(c) = challenge {
                    then = then.header("www-authenticate", c);
                }
                then.json_body(
                    json!({"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}),
                );
            })
            .await;
        let c = basic_client(&server, "pw");
        let err = c.create_supplier(&new_supplier()).await.unwrap_err();
        assert!(err.is_credentials(), "{challenge:?}: {err}");
        assert_eq!(basic.calls_async().await, 1, "{challenge:?}");
        c.create_supplier(&new_supplier()).await.unwrap_err();
        assert_eq!(basic.calls_async().await, 2, "{challenge:?}: still Basic");
    }
}
