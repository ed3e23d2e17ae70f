//! [`Exercise`] for the Suppliers sandbox: every operation of the spec notes run once with the
//! sandbox's own data, the client's decoding of any answer offline, and a seed corpus.
//!
//! How the routes are chosen: the kit's [`Route`] matches a path and its query/form
//! parameters, not a JSON body, so the `PUT` actions sharing a path are told apart by running
//! nothing else on that path after `inject()`. The supplier operations work on a supplier the
//! exerciser inserts without a request ([`EXERCISE_SUPPLIER`]); the temp-purchase operations on
//! the current temp purchase of [`TEST_USER`](super::TEST_USER), made current (if need be)
//! before the route is named. The client authorizes with a Bearer token, so no Digest
//! challenge round trip lands on a route; `oauth-token` is run through an OAuth2 client, whose
//! first request is the token request.

use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::http::header::AUTHORIZATION;
use pos_client_core::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::{
    BoxFuture, Exercise, ExerciseSettings, Route, Sample, SandboxServer, Summary, unsupported,
};
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Operation, OperationSpec, decode_answer};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::{Value, json};

use super::state::World;
use super::{
    OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Sandbox, SandboxSupplier, TEST_PASSWORD, TEST_TOKEN,
    TEST_USER, VND, lock,
};
use crate::client::{
    Client, ClientBuilder, ContactInfo, LocationPersonAnswer, MediaType, Payment, ProductRef,
    SupplierFilter, TransAnswer, VENDOR,
};
use crate::error::Error;
use crate::models::{
    AddLineAnswer, CreateSupplierAnswer, DebtMethod, EditTransAnswer, NewSupplier, PaymentMethod,
    PurchaseAnswer, Reason, SupplierAnswer, SupplierPage, TempPurchasePage,
};
use crate::protocol::{Auth, SuppliersProtocol, Token};
use crate::purchase::{EditTrans, ImportItem};

/// The id of the supplier the exerciser inserts (and re-inserts) for the supplier operations.
pub const EXERCISE_SUPPLIER: u64 = 9001;

/// The person of [`TEST_TOKEN`].
const PERSON: &str = "1";

/// Makes names and notes unique across runs on one sandbox.
static RUN: AtomicU64 = AtomicU64::new(0);

type Outcome = Result<(), Summary>;

fn done<T>(result: Result<T, Error>) -> Outcome {
    result.map(|_| ()).map_err(|e| Summary::from(&e))
}

/// Builds a client on the blocking pool: building one (TLS roots included) takes CPU time in
/// a debug build, and on the runtime's workers it would stall the sandboxes of the cells running
/// alongside, whose clients then time out on answers that were ready.
async fn build(builder: ClientBuilder) -> Result<Client, Summary> {
    match tokio::task::spawn_blocking(move || builder.build()).await {
        Ok(built) => built.map_err(|e| Summary::from(&e)),
        Err(e) => Err(Summary::from(&Error::config(format!(
            "building the client failed: {e}"
        )))),
    }
}

impl Sandbox {
    /// The current temp purchase of [`TEST_USER`](super::TEST_USER), started if there is none
    /// (as `GET /current` would): the id the temp-purchase operations' paths name.
    fn exercise_trans_id(&self) -> String {
        lock(&self.shared.world).ensure_current(PERSON)
    }

    /// (Re)inserts [`EXERCISE_SUPPLIER`] with room for debt.
    fn exercise_supplier(&self) -> String {
        self.insert_supplier(SandboxSupplier {
            id: EXERCISE_SUPPLIER,
            name: "Nhà cung cấp thử".into(),
            searchkey: "NCC9001".into(),
            taxid: "0109001".into(),
            phone: "0900009001".into(),
            region: "Hà Nội".into(),
            city: "Ba Đình".into(),
            address: "1 Điện Biên Phủ".into(),
            visible: true,
            maxdebt: Decimal::from(1_000_000_000),
            curdebt: Decimal::ZERO,
        });
        EXERCISE_SUPPLIER.to_string()
    }

    async fn exercise_client(&self, settings: &ExerciseSettings) -> Result<Client, Summary> {
        let builder = self
            .client_builder()
            .retry_policy(settings.retry.clone())
            .timeout(settings.timeout)
            .bearer_token(TEST_TOKEN);
        build(builder).await
    }

    async fn exercise(
        &self,
        op: &str,
        settings: &ExerciseSettings,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Outcome {
        let n = RUN.fetch_add(1, Ordering::Relaxed);
        let err = |e: Error| Summary::from(&e);
        if op == "oauth-token" {
            let builder = self
                .client_builder()
                .retry_policy(settings.retry.clone())
                .timeout(settings.timeout)
                .oauth2_password(
                    OAUTH_CLIENT_ID,
                    Some(OAUTH_CLIENT_SECRET.into()),
                    TEST_USER,
                    TEST_PASSWORD,
                );
            let client = build(builder).await?;
            inject();
            return done(client.list_suppliers(&SupplierFilter::default()).await);
        }
        let client = self.exercise_client(settings).await?;
        let supplier = || self.exercise_supplier();
        match op {
            "suppliers list" => {
                inject();
                done(client.list_suppliers(&SupplierFilter::default()).await)
            }
            "suppliers create" => {
                let new = NewSupplier {
                    name: format!("Nhà cung cấp {n}"),
                    phone: Some("0912000000".into()),
                    region: None,
                    city: None,
                    address: None,
                };
                inject();
                done(client.create_supplier(&new).await)
            }
            "suppliers get" => {
                let id = supplier();
                inject();
                done(client.supplier(&id).await)
            }
            "suppliers delete" => {
                let id = supplier();
                inject();
                done(client.delete_supplier(&id).await)
            }
            "editName" => {
                let id = supplier();
                inject();
                done(client.edit_supplier_name(&id, &format!("Tên {n}")).await)
            }
            "editCode" => {
                let id = supplier();
                inject();
                done(
                    client
                        .edit_supplier_code(&id, &format!("K{n}"), &format!("T{n}"))
                        .await,
                )
            }
            "editVisible" => {
                let id = supplier();
                inject();
                done(client.edit_supplier_visible(&id, false).await)
            }
            "editMaxDebt" => {
                let id = supplier();
                inject();
                done(
                    client
                        .edit_supplier_max_debt(&id, Decimal::from(2_000_000_000))
                        .await,
                )
            }
            "updateCurdebt" => {
                let id = supplier();
                inject();
                let note = format!("lần {n}");
                done(
                    client
                        .update_supplier_debt(
                            &id,
                            DebtMethod::Debt,
                            Decimal::from(1000),
                            Some(&note),
                        )
                        .await,
                )
            }
            "editContactInfo" => {
                let id = supplier();
                let contact = ContactInfo {
                    phone: Some(format!("09{n:08}")),
                    city: Some("Đống Đa".into()),
                    ..ContactInfo::default()
                };
                inject();
                done(client.edit_supplier_contact(&id, &contact).await)
            }
            "supplier-purchase-temp list" => {
                inject();
                done(client.list_temp_purchases(None).await)
            }
            "supplier-purchase-temp get" => {
                let id = self.exercise_trans_id();
                inject();
                done(client.temp_purchase(&id).await)
            }
            "location-person" => {
                inject();
                done(client.location_person().await)
            }
            "current" => {
                // The claim comes first (the document's rule), then the read under the fault.
                let _claimed = client.claim_current().await.map_err(err)?;
                inject();
                done(client.current().await)
            }
            _ => self.exercise_temp(op, n, &client, inject).await,
        }
    }

    /// The temp-purchase writes: each claims the current temp purchase (and adds a line where
    /// the action needs one) before the fault.
    async fn exercise_temp(
        &self,
        op: &str,
        n: u64,
        client: &Client,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Outcome {
        let err = |e: Error| Summary::from(&e);
        if !matches!(
            op,
            "addLine"
                | "editTrans"
                | "editUnits"
                | "editPricebuy"
                | "editUpdateProduct"
                | "deleteLine"
                | "importProduct"
                | "forwardTrans"
                | "createNewTrans"
                | "activeTrans"
                | "supplier-purchase-temp delete"
                | "supplier-purchase"
        ) {
            return Err(unsupported(VENDOR, op));
        }
        let id = self.exercise_trans_id();
        let mut trans = client.claim_current().await.map_err(err)?;
        if trans.id() != id {
            return Err(err(Error::validation(format!(
                "the exerciser expected temp purchase {id}, the sandbox answered {}",
                trans.id()
            ))));
        }
        let add = |trans: &crate::purchase::TempPurchase| {
            let trans = trans.clone();
            async move {
                trans
                    .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
                    .await
                    .map(|a| a.line.line_id)
                    .map_err(err)
            }
        };
        match op {
            "addLine" => {
                inject();
                done(
                    trans
                        .add_line(ProductRef::Code("SP002".into()), Decimal::from(3))
                        .await,
                )
            }
            "editTrans" => {
                let edit = EditTrans {
                    reason: Some(Reason::Purchase),
                    location_id: Some("1".into()),
                    supplier_id: Some("1".into()),
                    business_id: Some("10".into()),
                    note: Some(format!("ghi chú {n}")),
                };
                inject();
                done(trans.edit_trans(&edit).await)
            }
            "editUnits" => {
                let line = add(&trans).await?;
                inject();
                done(trans.edit_units(&line, Decimal::from(5)).await)
            }
            "editPricebuy" => {
                let line = add(&trans).await?;
                inject();
                done(trans.edit_pricebuy(&line, Decimal::from(125_000)).await)
            }
            "editUpdateProduct" => {
                let line = add(&trans).await?;
                inject();
                done(trans.edit_update_product(&line, true, false).await)
            }
            "deleteLine" => {
                let line = add(&trans).await?;
                inject();
                done(trans.delete_line(&line).await)
            }
            "importProduct" => {
                let items = [ImportItem {
                    reference: "SP003".into(),
                    units: Decimal::from(4),
                    pricebuy: Some(Decimal::from(80_000)),
                }];
                inject();
                done(trans.import_products(&items).await)
            }
            "forwardTrans" => {
                add(&trans).await?;
                inject();
                done(trans.forward("2").await)
            }
            "createNewTrans" => {
                inject();
                done(trans.create_new().await)
            }
            "activeTrans" => {
                // Park the current one (its id is the route's path), then activate it again.
                let _fresh = client.create_new_trans(&id).await.map_err(err)?;
                inject();
                done(client.activate_trans(&id).await)
            }
            "supplier-purchase-temp delete" => {
                inject();
                done(trans.delete().await)
            }
            _ => {
                let line = add(&trans).await?;
                trans
                    .edit_pricebuy(&line, Decimal::from(125_000))
                    .await
                    .map_err(err)?;
                let edit = EditTrans {
                    location_id: Some("1".into()),
                    supplier_id: Some("1".into()),
                    ..EditTrans::default()
                };
                trans.edit_trans(&edit).await.map_err(err)?;
                let payment = Payment {
                    method: PaymentMethod::Cash,
                    note: Some(format!("đơn {n}")),
                };
                inject();
                done(trans.place_order(payment).await)
            }
        }
    }
}

/// Decodes an answer as the client's method for `op` does (same operation shape, protocol and
/// model); `None` for an unknown operation.
fn decode_as(op: &str, status: u16, body: &[u8]) -> Option<Outcome> {
    let protocol = SuppliersProtocol {
        auth: Auth::Header(SecretString::from(format!("Bearer {TEST_TOKEN}"))),
        accept: MediaType::VendorV1,
        content_type: MediaType::VendorV1,
    };
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => return Some(Err(Summary::from(&Error::validation("not an HTTP status")))),
    };
    let bearer = SecretString::from(format!("Bearer {TEST_TOKEN}"));
    let accept = MediaType::VendorV1.as_str();
    let read = |name: &'static str, path: &str| {
        Operation::read(VENDOR, name, Method::GET, path)
            .accept(accept)
            .header_secret(AUTHORIZATION, bearer.clone())
    };
    let write = |name: &'static str, method: Method, path: &str| {
        Operation::write(VENDOR, name, method, path)
            .accept(accept)
            .content_type(accept)
            .reference("exercise")
            .header_secret(AUTHORIZATION, bearer.clone())
    };
    fn run<T: DeserializeOwned>(
        protocol: &SuppliersProtocol,
        op: Operation,
        status: StatusCode,
        body: &[u8],
    ) -> Result<T, Summary> {
        decode_answer::<SuppliersProtocol, T>(
            protocol,
            &op,
            status,
            HeaderMap::new(),
            bytes_of(body),
        )
        .map_err(|e| Summary::from(&e))
    }
    let p = &protocol;
    let temp = "supplier-purchase-temp/t-1";
    let outcome = match op {
        "oauth-token" => {
            // The token request's op; its answer is read as a whole, and a blank token refused.
            let op = Operation::read(VENDOR, "oauth-token", Method::POST, "oauth")
                .answer_carries_secret();
            run::<Token>(p, op, status, body).and_then(|t| {
                if t.access_token.trim().is_empty() {
                    Err(Summary::from(&Error::validation(
                        "the token endpoint answered an empty access_token",
                    )))
                } else {
                    Ok(())
                }
            })
        }
        "suppliers list" => {
            run::<SupplierPage>(p, read(op_name(op)?, "suppliers"), status, body).map(|_| ())
        }
        "suppliers create" => run::<CreateSupplierAnswer>(
            p,
            write("suppliers create", Method::POST, "suppliers"),
            status,
            body,
        )
        .map(|a| drop(a.supplier)),
        "suppliers get" => {
            run::<SupplierAnswer>(p, read("suppliers get", "suppliers/1"), status, body)
                .map(|a| drop(a.supplier))
        }
        "suppliers delete" => run::<IgnoredAny>(
            p,
            write("suppliers delete", Method::DELETE, "suppliers/1"),
            status,
            body,
        )
        .map(drop),
        "editName" | "editCode" | "editVisible" | "editMaxDebt" | "updateCurdebt"
        | "editContactInfo" => run::<IgnoredAny>(
            p,
            write(op_name(op)?, Method::PUT, "suppliers/1"),
            status,
            body,
        )
        .map(drop),
        "editUnits" | "editPricebuy" | "editUpdateProduct" | "deleteLine" | "importProduct" => {
            run::<IgnoredAny>(p, write(op_name(op)?, Method::PUT, temp), status, body).map(drop)
        }
        "supplier-purchase-temp list" => run::<TempPurchasePage>(
            p,
            read("supplier-purchase-temp list", "supplier-purchase-temp"),
            status,
            body,
        )
        .map(drop),
        "supplier-purchase-temp get" | "current" => {
            run::<TransAnswer>(p, read(op_name(op)?, temp), status, body)
                .map(|a| drop(a.into_trans()))
        }
        "location-person" => run::<LocationPersonAnswer>(
            p,
            read("location-person", "supplier-purchase-temp/location-person"),
            status,
            body,
        )
        .map(drop),
        "addLine" => {
            run::<AddLineAnswer>(p, write("addLine", Method::PUT, temp), status, body).map(drop)
        }
        "editTrans" => {
            run::<EditTransAnswer>(p, write("editTrans", Method::PUT, temp), status, body).map(drop)
        }
        "forwardTrans" | "createNewTrans" | "activeTrans" => {
            run::<TransAnswer>(p, write(op_name(op)?, Method::PUT, temp), status, body)
                .map(|a| drop(a.into_trans()))
        }
        "supplier-purchase-temp delete" => run::<Option<TransAnswer>>(
            p,
            write("supplier-purchase-temp delete", Method::DELETE, temp),
            status,
            body,
        )
        .map(|a| drop(a.map(TransAnswer::into_trans))),
        "supplier-purchase" => run::<Option<PurchaseAnswer>>(
            p,
            write("supplier-purchase", Method::POST, "supplier-purchase"),
            status,
            body,
        )
        .map(drop),
        _ => return None,
    };
    Some(outcome)
}

/// The `&'static str` name of an operation of the spec notes.
fn op_name(op: &str) -> Option<&'static str> {
    crate::models::OPERATIONS
        .iter()
        .find(|o| o.name == op)
        .map(|o| o.name)
}

fn bytes_of(body: &[u8]) -> pos_client_core::sandbox::axum::body::Bytes {
    pos_client_core::sandbox::axum::body::Bytes::copy_from_slice(body)
}

/// The document's own examples (as the wire tests copy them), per operation.
fn document_samples() -> Vec<Sample> {
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
fn sandbox_samples() -> Vec<Sample> {
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
        let reply = super::routes::route(&mut w, &method, &uri, &headers, &bytes);
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

impl Exercise for Sandbox {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn operations(&self) -> &'static [OperationSpec] {
        crate::models::OPERATIONS
    }

    fn server(&self) -> &SandboxServer {
        &self.server
    }

    fn route(&self, operation: &str) -> Route {
        match operation {
            "oauth-token" => Route::path("/oauth"),
            "suppliers list" | "suppliers create" => Route::path("/suppliers"),
            "suppliers get" | "suppliers delete" | "editName" | "editCode" | "editVisible"
            | "editMaxDebt" | "updateCurdebt" | "editContactInfo" => {
                Route::path(&format!("/suppliers/{EXERCISE_SUPPLIER}"))
            }
            "supplier-purchase-temp list" => Route::path("/supplier-purchase-temp"),
            "location-person" => Route::path("/supplier-purchase-temp/location-person"),
            "current" => Route::path("/supplier-purchase-temp/current"),
            "supplier-purchase" => Route::path("/supplier-purchase"),
            // The temp purchase's own path: the actions, its read and its delete.
            _ => Route::path(&format!(
                "/supplier-purchase-temp/{}",
                self.exercise_trans_id()
            )),
        }
    }

    fn run<'a>(
        &'a self,
        operation: &'a str,
        settings: &'a ExerciseSettings,
        inject: &'a (dyn Fn() + Send + Sync),
    ) -> BoxFuture<'a, Result<(), Summary>> {
        Box::pin(async move {
            if op_name(operation).is_none() {
                return Err(unsupported(VENDOR, operation));
            }
            self.exercise(operation, settings, inject).await
        })
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        decode_as(operation, status, body).unwrap_or_else(|| Err(unsupported(VENDOR, operation)))
    }

    fn corpus(&self) -> Vec<Sample> {
        let mut samples = document_samples();
        samples.extend(sandbox_samples());
        samples
    }

    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![
            TEST_TOKEN.to_owned(),
            TEST_PASSWORD.to_owned(),
            OAUTH_CLIENT_SECRET.to_owned(),
        ];
        secrets.extend(
            lock(&self.shared.world)
                .tokens
                .keys()
                .filter(|t| t.starts_with("oauth-"))
                .cloned(),
        );
        secrets
    }
}
