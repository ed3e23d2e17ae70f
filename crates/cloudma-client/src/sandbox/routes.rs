//! The handlers of `sync-stock`, `push-sale` and `push-purchase`, and the bodies they answer.

use std::collections::HashSet;
use std::sync::Arc;

use pos_client_core::Money;
use pos_client_core::http::{HeaderMap, StatusCode, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::axum::{
    Json,
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use super::form::{Parameters, parameters};
use super::rules::{self, PURCHASE, Push, SALE};
use super::{Shared, Store};
use crate::models::{Purchase, Sale};

fn answer(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

fn bad_request(message: impl Into<String>) -> Response {
    answer(
        StatusCode::BAD_REQUEST,
        json!({ "status": 400, "message": message.into() }),
    )
}

fn unauthorized() -> Response {
    answer(StatusCode::UNAUTHORIZED, unauthorized_body())
}

/// The body of a 401 answer.
pub(super) fn unauthorized_body() -> Value {
    json!({ "status": 401, "message": "Unauthorized: invalid or missing token" })
}

/// The answer to an undocumented path or method: 404 in the error shape, since the document's
/// status table has no 405 and "All responses are issued in JSON format".
pub(super) async fn not_found() -> Response {
    answer(
        StatusCode::NOT_FOUND,
        json!({ "status": 404, "message": "Not Found" }),
    )
}

/// The body of a 400 answer for an unknown product.
pub(super) fn product_not_found_body(code: &str) -> Value {
    json!({ "status": 400, "message": "Product Not Found", "code": code })
}

// The error is the HTTP answer to send; built once per request, so its size does not matter.
#[allow(clippy::result_large_err)]
/// Checks the token and decodes the parameters; the error is the response to send.
fn authorized(shared: &Shared, headers: &HeaderMap, body: &[u8]) -> Result<Parameters, Response> {
    // An unreadable body cannot carry a valid token: 401 before 400, as a PHP backend would.
    let params = parameters(headers, body);
    let token_ok = params
        .as_ref()
        .ok()
        .and_then(|p| p.fields.get("token"))
        .is_some_and(|t| t.as_str() == Some(shared.token.as_str()));
    if !token_ok {
        return Err(unauthorized());
    }
    params.map_err(bad_request)
}

// The error is the HTTP answer to send; built once per request, so its size does not matter.
#[allow(clippy::result_large_err)]
/// The parameters of a push checked against the document's types ([`rules`]).
fn typed(push: &Push, params: Parameters) -> Result<Map<String, Value>, Response> {
    rules::check(push, &params.fields, params.json).map_err(bad_request)?;
    Ok(params.fields)
}

// The error is the HTTP answer to send; built once per request, so its size does not matter.
#[allow(clippy::result_large_err)]
fn decode<T: DeserializeOwned>(params: Map<String, Value>) -> Result<T, Response> {
    serde_json::from_value(Value::Object(params))
        .map_err(|e| bad_request(format!("Invalid request: {e}")))
}

#[derive(Serialize)]
struct StockRow<'a> {
    code: &'a str,
    name: &'a str,
    #[serde(serialize_with = "pos_client_core::encoding::serialize_decimal_number")]
    qty: Decimal,
}

pub(super) async fn sync_stock(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(response) = authorized(&shared, &headers, &body) {
        return response;
    }
    let body = stock_body(&shared.lock());
    match body {
        Ok(bytes) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            bytes,
        )
            .into_response(),
        Err(e) => answer(
            StatusCode::INTERNAL_SERVER_ERROR,
            json!({ "status": 500, "message": e.to_string() }),
        ),
    }
}

/// The body of a `sync-stock` answer: the active products as a bare JSON array.
pub(super) fn stock_body(state: &Store) -> serde_json::Result<Vec<u8>> {
    let rows: Vec<StockRow<'_>> = state
        .products
        .values()
        .filter(|p| p.active)
        .map(|p| StockRow {
            code: &p.code,
            name: &p.name,
            qty: p.qty,
        })
        .collect();
    serde_json::to_vec(&rows)
}

// The error is the HTTP answer to send; built once per request, so its size does not matter.
#[allow(clippy::result_large_err)]
/// The rules both pushes share, on (reference, items as (code, qty, total), grand_total).
fn check_push(
    state: &Store,
    seen: &HashSet<String>,
    reference_no: &str,
    items: &[(&str, u32, Money)],
    grand_total: Option<Money>,
) -> Result<(), Response> {
    if reference_no.trim().is_empty() {
        return Err(bad_request("reference_no is required"));
    }
    if items.is_empty() {
        return Err(bad_request("items are required"));
    }
    if items.iter().any(|(_, qty, _)| *qty == 0) {
        return Err(bad_request("qty must be a positive integer"));
    }
    // Saturating: the totals come from the network and must not panic the server.
    let sum = Money::new(items.iter().fold(Decimal::ZERO, |acc, (_, _, t)| {
        acc.saturating_add(t.amount())
    }));
    if let Some(grand_total) = grand_total
        && grand_total != sum
    {
        return Err(bad_request(format!(
            "grand_total {grand_total} does not match the sum of item totals {sum}"
        )));
    }
    if seen.contains(reference_no) {
        return Err(bad_request(format!(
            "Duplicate reference_no: {reference_no} already exists"
        )));
    }
    if let Some((code, ..)) = items
        .iter()
        .find(|(code, ..)| !state.products.contains_key(*code))
    {
        return Err(answer(
            StatusCode::BAD_REQUEST,
            product_not_found_body(code),
        ));
    }
    Ok(())
}

fn created(state: &mut Store, what: &str, reference_no: &str) -> Response {
    let id = state.next_id;
    state.next_id += 1;
    answer(StatusCode::CREATED, created_body(id, what, reference_no))
}

/// The body of a 201 answer to a push.
pub(super) fn created_body(id: u64, what: &str, reference_no: &str) -> Value {
    json!({
        "status": 201,
        "message": format!("{what} created successfully"),
        "id": id,
        "reference_no": reference_no,
    })
}

pub(super) async fn push_sale(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let sale: Sale = match authorized(&shared, &headers, &body)
        .and_then(|p| typed(&SALE, p))
        .and_then(decode)
    {
        Ok(sale) => sale,
        Err(response) => return response,
    };
    let mut state = shared.lock();
    let items: Vec<(&str, u32, Money)> = sale
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.qty, i.total))
        .collect();
    if let Err(response) = check_push(
        &state,
        &state.sale_refs,
        &sale.reference_no,
        &items,
        Some(sale.grand_total),
    ) {
        return response;
    }
    for item in &sale.items {
        if let Some(p) = state.products.get_mut(&item.code) {
            p.qty = p.qty.saturating_sub(Decimal::from(item.qty));
        }
    }
    state.sale_refs.insert(sale.reference_no.clone());
    let reference_no = sale.reference_no.clone();
    state.sales.push(sale);
    created(&mut state, "Sale", &reference_no)
}

pub(super) async fn push_purchase(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut params = match authorized(&shared, &headers, &body).and_then(|p| typed(&PURCHASE, p)) {
        Ok(params) => params,
        Err(response) => return response,
    };
    // The vendor's parameter list omits grand_total for purchases: check it only when sent.
    let grand_total_sent = params.contains_key("grand_total");
    if !grand_total_sent {
        params.insert("grand_total".to_owned(), json!("0"));
    }
    let mut purchase: Purchase = match decode(params) {
        Ok(p) => p,
        Err(response) => return response,
    };
    let mut state = shared.lock();
    let items: Vec<(&str, u32, Money)> = purchase
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.qty, i.total))
        .collect();
    if let Err(response) = check_push(
        &state,
        &state.purchase_refs,
        &purchase.reference_no,
        &items,
        grand_total_sent.then_some(purchase.grand_total),
    ) {
        return response;
    }
    if !grand_total_sent {
        purchase.grand_total = purchase.items_total();
    }
    for item in &purchase.items {
        if let Some(p) = state.products.get_mut(&item.code) {
            p.qty = p.qty.saturating_add(Decimal::from(item.qty));
        }
    }
    state.purchase_refs.insert(purchase.reference_no.clone());
    let reference_no = purchase.reference_no.clone();
    state.purchases.push(purchase);
    created(&mut state, "Purchase", &reference_no)
}
