//! The seed corpus: the document's own example answers and the sandbox's own answers.

use pos_client_core::http::{HeaderMap, HeaderValue, Method, Uri, header};
use pos_client_core::sandbox::Sample;
use serde_json::{Value, json};

use crate::sandbox::state::World;
use crate::sandbox::{
    OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, TEST_PASSWORD, TEST_TOKEN, TEST_USER, VND,
};

/// The document's own examples (as the wire tests copy them), per operation.
pub(super) fn document_samples() -> Vec<Sample> {
    let trans = json!({
        "result": "SUCCESS",
        "current_trans": {
            "trans_info": {
                "id": "5b0e1c9a-0000-4000-8000-000000000001", "reason": "purchase",
                "person_name": "An", "location_id": 1, "location_name": "Kho 1",
                "supplier_id": "7", "supplier_name": "NCC 7", "business_id": null,
                "business_name": null, "note": ""
            },
            "trans_lines": [
                {"line_id": 11, "product_id": "101", "product_name": "Gạo", "reference": "SP001",
                 "units": "2", "pricebuy": "125000", "update_supplier": "Y", "update_pricebuy": "N"},
                {"line_id": "12", "product_id": 102, "product_name": "Mắm", "reference": "SP002",
                 "units": 3, "pricebuy": null, "update_supplier": "N", "update_pricebuy": "Y"}
            ]
        }
    });
    let success = json!({"result": "SUCCESS"});
    let supplier = json!({"result": "SUCCESS", "supplier": {"id": "44", "searchkey": "NCC0044",
        "taxid": "0101", "name": "Hòa Bình", "phone": "0912", "region": "Hà Nội",
        "city": "Đống Đa", "address": "12 Tôn Đức Thắng", "visible": "Y", "maxdebt": "20000000",
        "curdebt": "1500000"}});
    let mut out: Vec<(&'static str, u16, Value)> = vec![
        (
            "oauth-token",
            200,
            json!({"access_token": "abc", "expires_in": 3600,
            "token_type": "Bearer", "scope": null}),
        ),
        (
            "suppliers list",
            200,
            json!({
            "_embedded": {"suppliers": [{"id": 2, "taxid": 123, "name": "Minh Long",
                "curdebt": "1500000000", "curdate": null, "phone": "0901", "visible": "N"}]},
            "total_items": 1}),
        ),
        ("suppliers create", 201, supplier.clone()),
        ("suppliers get", 200, supplier),
        (
            "supplier-purchase-temp list",
            200,
            json!({
            "_links": {"self": {"href": "/supplier-purchase-temp?page=2"},
                       "first": {"href": "/supplier-purchase-temp?page=1"},
                       "last": {"href": "/supplier-purchase-temp?page=2"}},
            "_embedded": {"supplier_purchase_temp": [
                {"id": "u-1", "reason": "return", "person_name": "An", "supplier_name": null,
                 "person_share": 3, "first_product_name": "Gạo", "num_other_line": "2",
                 "created_at": "2024-05-01 08:00:00", "updated_at": "2024-05-01 09:00:00"}]},
            "page_count": 2, "page_size": "25", "total_items": 26, "page": 2}),
        ),
        ("supplier-purchase-temp get", 200, trans.clone()),
        (
            "location-person",
            200,
            json!({"location_person": {"1": "Kho Hà Nội", "5": "Kho Sài Gòn"}}),
        ),
        ("current", 200, trans.clone()),
        (
            "current",
            403,
            json!({"result": "NOT_CURRENT_ACCESS_TOKEN"}),
        ),
        (
            "addLine",
            200,
            json!({"result": "SUCCESS", "line": {"line_id": 11, "product_id": "101",
            "product_name": "Gạo", "units": 2, "pricebuy": "125000"}, "is_update": "Y"}),
        ),
        (
            "editTrans",
            200,
            json!({"result": "SUCCESS", "trans_info": {"location_id": 2,
            "location_name": "Kho 2", "supplier_id": "7", "supplier_name": "NCC 7",
            "business_id": null, "business_name": null, "note": "x"}}),
        ),
        ("forwardTrans", 200, trans.clone()),
        ("createNewTrans", 200, trans.clone()),
        ("activeTrans", 200, trans.clone()),
        ("supplier-purchase-temp delete", 200, trans),
        ("supplier-purchase", 201, success.clone()),
        (
            "supplier-purchase",
            201,
            json!({"result": "SUCCESS", "purchase_id": 812,
            "_links": {"self": {"href": "/supplier-purchase/812"}}}),
        ),
        (
            "supplier-purchase",
            422,
            json!({"result": "DEBT_NOT_GREATER_MAXDEBT"}),
        ),
    ];
    for op in [
        "suppliers delete",
        "editName",
        "editCode",
        "editVisible",
        "editMaxDebt",
        "updateCurdebt",
        "editContactInfo",
        "editUnits",
        "editPricebuy",
        "editUpdateProduct",
        "deleteLine",
        "importProduct",
    ] {
        out.push((op, 200, success.clone()));
    }
    out.into_iter()
        .map(|(op, status, v)| (op, status, serde_json::to_vec(&v).unwrap_or_default()))
        .collect()
}

/// The sandbox's own answers to one run of every operation, from a fresh seeded world (the
/// handler called directly, without HTTP).
pub(super) fn sandbox_samples() -> Vec<Sample> {
    let mut w = World::seeded();
    let mut out = Vec::new();
    let mut call = |op: &'static str, method: Method, target: &str, body: Option<Value>| {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(&format!("Bearer {TEST_TOKEN}")) {
            headers.insert(header::AUTHORIZATION, v);
        }
        headers.insert(header::ACCEPT, HeaderValue::from_static(VND));
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(VND));
        let uri: Uri = target.parse().unwrap_or_default();
        let bytes = body
            .map(|b| serde_json::to_vec(&b).unwrap_or_default())
            .unwrap_or_default();
        let reply = crate::sandbox::routes::route(&mut w, &method, &uri, &headers, &bytes);
        let answer = reply
            .body
            .as_ref()
            .map(|b| serde_json::to_vec(b).unwrap_or_default())
            .unwrap_or_default();
        out.push((op, reply.status.as_u16(), answer.clone()));
        answer
    };
    call(
        "oauth-token",
        Method::POST,
        "/oauth",
        Some(
            json!({"grant_type": "password", "username": TEST_USER, "password": TEST_PASSWORD,
            "client_id": OAUTH_CLIENT_ID, "client_secret": OAUTH_CLIENT_SECRET}),
        ),
    );
    call("suppliers list", Method::GET, "/suppliers", None);
    call(
        "suppliers create",
        Method::POST,
        "/suppliers",
        Some(json!({"name": "Mới"})),
    );
    call(
        "suppliers create",
        Method::POST,
        "/suppliers",
        Some(json!({})),
    );
    call("suppliers get", Method::GET, "/suppliers/1", None);
    call("suppliers get", Method::GET, "/suppliers/99", None);
    for (op, body) in [
        ("editName", json!({"action": "editName", "name": "Tên"})),
        (
            "editCode",
            json!({"action": "editCode", "searchkey": "K", "taxid": "T"}),
        ),
        (
            "editVisible",
            json!({"action": "editVisible", "visible": "N"}),
        ),
        (
            "editMaxDebt",
            json!({"action": "editMaxDebt", "maxdebt": 1}),
        ),
        (
            "updateCurdebt",
            json!({"action": "updateCurdebt", "payment_method": "debt", "debt": 999_999_999}),
        ),
        (
            "editContactInfo",
            json!({"action": "editContactInfo", "city": "Huế"}),
        ),
    ] {
        call(op, Method::PUT, "/suppliers/3", Some(body));
    }
    call("suppliers delete", Method::DELETE, "/suppliers/2", None);
    call("suppliers delete", Method::DELETE, "/suppliers/2", None);
    call(
        "current",
        Method::GET,
        "/supplier-purchase-temp/current",
        None,
    );
    let claimed = call(
        "current",
        Method::GET,
        "/supplier-purchase-temp/current?set_current_access_token=Y",
        None,
    );
    let id = serde_json::from_slice::<Value>(&claimed)
        .ok()
        .and_then(|v| {
            v.pointer("/current_trans/trans_info/id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_default();
    let path = format!("/supplier-purchase-temp/{id}");
    call(
        "supplier-purchase-temp list",
        Method::GET,
        "/supplier-purchase-temp",
        None,
    );
    call(
        "location-person",
        Method::GET,
        "/supplier-purchase-temp/location-person",
        None,
    );
    let action = |a: &str, extra: Value| {
        let mut body = json!({"action": a, "trans_id": id});
        if let (Value::Object(m), Value::Object(e)) = (&mut body, extra) {
            m.extend(e);
        }
        Some(body)
    };
    let added = call(
        "addLine",
        Method::PUT,
        &path,
        action("addLine", json!({"product_code": "SP001", "units": 2})),
    );
    let line = serde_json::from_slice::<Value>(&added)
        .ok()
        .and_then(|v| v.pointer("/line/line_id").cloned())
        .unwrap_or(Value::Null);
    call(
        "addLine",
        Method::PUT,
        &path,
        action("addLine", json!({"product_code": "NOPE", "units": 2})),
    );
    call("supplier-purchase-temp get", Method::GET, &path, None);
    call(
        "editTrans",
        Method::PUT,
        &path,
        action(
            "editTrans",
            json!({"location_id": "1", "supplier_id": "1", "business_id": "10", "note": "n"}),
        ),
    );
    call(
        "editUnits",
        Method::PUT,
        &path,
        action("editUnits", json!({"line_id": line, "units": 3})),
    );
    call(
        "editPricebuy",
        Method::PUT,
        &path,
        action("editPricebuy", json!({"line_id": line, "pricebuy": 1000})),
    );
    call(
        "editUpdateProduct",
        Method::PUT,
        &path,
        action(
            "editUpdateProduct",
            json!({"line_id": line, "update_supplier": "Y", "update_pricebuy": "N"}),
        ),
    );
    call(
        "importProduct",
        Method::PUT,
        &path,
        action(
            "importProduct",
            json!({"products": "[{\"reference\":\"SP002\",\"units\":\"1\"}]"}),
        ),
    );
    call(
        "deleteLine",
        Method::PUT,
        &path,
        action("deleteLine", json!({"line_id": "no-such-line"})),
    );
    call(
        "supplier-purchase",
        Method::POST,
        "/supplier-purchase",
        Some(json!({"purchase_temp_id": id, "payment_method": "cash"})),
    );
    call(
        "createNewTrans",
        Method::PUT,
        &path,
        action("createNewTrans", json!({})),
    );
    call(
        "activeTrans",
        Method::PUT,
        &path,
        action("activeTrans", json!({})),
    );
    call(
        "forwardTrans",
        Method::PUT,
        &path,
        action("forwardTrans", json!({"person_id": "1"})),
    );
    call("supplier-purchase-temp delete", Method::DELETE, &path, None);
    out
}
