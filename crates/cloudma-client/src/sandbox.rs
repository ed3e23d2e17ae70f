//! A stateful in-process fake of the CloudMA API (feature `sandbox`), for your own tests.
//!
//! It serves `POST /api/sync-stock`, `/api/push-sale` and `/api/push-purchase` on
//! `127.0.0.1` and behaves like the vendor describes:
//!
//! - a seeded catalogue with stock ([`Sandbox::start`]; choose your own with
//!   [`Sandbox::builder`]); `sync-stock` answers a bare JSON array of the *active* products'
//!   `code`, `name` and `qty`;
//! - `push-sale` lowers the stock of every item, `push-purchase` raises it (stock may go below
//!   zero: CloudMA's behaviour there is undocumented, and the sandbox does not invent a rule);
//! - a repeated `reference_no` (per endpoint) is rejected with 400;
//! - an unknown product code gives 400 `{"message":"Product Not Found","code":"…"}` and changes
//!   nothing;
//! - a missing or wrong token gives 401; the documented test token [`TEST_TOKEN`] is accepted by
//!   default;
//! - a `grand_total` that differs from the sum of the item totals gives 400 (for a purchase,
//!   only when `grand_total` is sent, since the vendor's parameter list omits it);
//! - successful pushes answer 201 `{"status":201,"message":"…","id":N,"reference_no":"…"}`.
//!
//! It reads both body encodings: a form with PHP bracket notation (`items[0][code]=…`) and a
//! JSON document. Every request is journaled and faults can be injected per route through the
//! [`pos_client_core::sandbox`] kit ([`Sandbox::journal`], [`Sandbox::faults`]). It implements
//! [`Exercise`](pos_client_core::sandbox::Exercise), so the workspace's reliability suite can
//! run every operation under every fault and fuzz the client's decoding.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudma_client::models::Sale;
//! use cloudma_client::sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let stock = client.sync_stock().await?;
//! let first = &stock[0];
//!
//! let sale = Sale::builder("S-1").add(&first.code, 2, "9.95".parse()?).build()?;
//! client.push_sale(&sale).await?;
//! assert_eq!(sandbox.stock(&first.code), Some(first.qty - cloudma_client::Decimal::TWO));
//!
//! // A 503 on a read is retried; the second attempt succeeds.
//! sandbox.faults().inject("/api/sync-stock", Fault::status(503));
//! client.sync_stock().await?;
//! assert_eq!(sandbox.journal().hits("/api/sync-stock"), 3);
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::Money;
use pos_client_core::RetryPolicy;
use pos_client_core::http::{HeaderMap, StatusCode, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

pub use pos_client_core::sandbox::{Fault, LogCapture, RecordedRequest, Route};

// `impl Exercise for Sandbox`: what the workspace's reliability suite runs.
mod exercise;

use crate::client::{Client, ClientBuilder, TEST_TOKEN};
use crate::error::Error;
use crate::models::{Purchase, Sale};

/// One product of the sandbox's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxProduct {
    /// Product code.
    pub code: String,
    /// Product name.
    pub name: String,
    /// Units on hand.
    pub qty: Decimal,
    /// Whether `sync-stock` lists it (pushes accept inactive products too).
    pub active: bool,
}

impl SandboxProduct {
    /// An active product.
    pub fn new(code: impl Into<String>, name: impl Into<String>, qty: Decimal) -> Self {
        SandboxProduct {
            code: code.into(),
            name: name.into(),
            qty,
            active: true,
        }
    }

    /// Marks the product inactive: `sync-stock` leaves it out.
    pub fn inactive(mut self) -> Self {
        self.active = false;
        self
    }
}

/// The catalogue [`Sandbox::start`] seeds: four active products (one with fractional stock)
/// and one inactive product.
pub fn default_catalogue() -> Vec<SandboxProduct> {
    vec![
        SandboxProduct::new("CM-1001", "Espresso beans 1 kg", Decimal::from(40)),
        SandboxProduct::new("CM-1002", "Oat milk 1 L", Decimal::from(120)),
        SandboxProduct::new("CM-1003", "Loose green tea (kg)", Decimal::new(125, 1)),
        SandboxProduct::new("CM-1004", "Ceramic mug", Decimal::from(18)),
        SandboxProduct::new("CM-0999", "Discontinued syrup", Decimal::from(3)).inactive(),
    ]
}

/// Configures a [`Sandbox`] before it starts.
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    token: String,
    products: Vec<SandboxProduct>,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("token", &"***")
            .field("products", &self.products)
            .finish()
    }
}

impl SandboxBuilder {
    /// The token the sandbox accepts (default [`TEST_TOKEN`]).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Replaces the catalogue.
    pub fn catalogue(mut self, products: impl IntoIterator<Item = SandboxProduct>) -> Self {
        self.products = products.into_iter().collect();
        self
    }

    /// Adds (or replaces, by code) a product.
    pub fn product(mut self, product: SandboxProduct) -> Self {
        self.products.retain(|p| p.code != product.code);
        self.products.push(product);
        self
    }

    /// Starts the server on `127.0.0.1:0` (on the current tokio runtime).
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let state = Arc::new(Shared {
            token: self.token,
            state: Mutex::new(Store {
                products: self
                    .products
                    .into_iter()
                    .map(|p| (p.code.clone(), p))
                    .collect(),
                sales: Vec::new(),
                purchases: Vec::new(),
                sale_refs: HashSet::new(),
                purchase_refs: HashSet::new(),
                next_id: 1,
            }),
        });
        let router = Router::new()
            .route("/api/sync-stock", post(sync_stock))
            .route("/api/push-sale", post(push_sale))
            .route("/api/push-purchase", post(push_purchase))
            .with_state(state.clone());
        let server = SandboxServer::start(router).await?;
        Ok(Sandbox {
            server,
            shared: state,
        })
    }
}

/// The running sandbox. Stops when dropped.
pub struct Sandbox {
    server: SandboxServer,
    shared: Arc<Shared>,
}

// Debug, journal() (paths are `/api/push-sale` etc.), faults(), connections(), server().
pos_client_core::sandbox_handle!(Sandbox);

struct Shared {
    token: String,
    state: Mutex<Store>,
}

struct Store {
    products: BTreeMap<String, SandboxProduct>,
    sales: Vec<Sale>,
    purchases: Vec<Purchase>,
    sale_refs: HashSet<String>,
    purchase_refs: HashSet<String>,
    next_id: u64,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Store> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sandbox {
    /// Starts a sandbox with the [default catalogue](default_catalogue) that accepts
    /// [`TEST_TOKEN`].
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder: choose the token and the catalogue.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            token: TEST_TOKEN.to_owned(),
            products: default_catalogue(),
        }
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        format!("{}api/", self.server.base_url())
    }

    /// A client builder pointed at the sandbox, with its token and
    /// [`RetryPolicy::without_delays`], to adjust (e.g. the body encoding) before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.base_url())
            .token(self.shared.token.clone())
            .retry_policy(RetryPolicy::without_delays())
    }

    /// A client pointed at the sandbox (form bodies, no retry delays).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// The stock of `code`, if the product exists (active or not).
    pub fn stock(&self, code: &str) -> Option<Decimal> {
        self.shared.lock().products.get(code).map(|p| p.qty)
    }

    /// The whole catalogue, ordered by code.
    pub fn products(&self) -> Vec<SandboxProduct> {
        self.shared.lock().products.values().cloned().collect()
    }

    /// Adds or replaces a product.
    pub fn upsert_product(&self, product: SandboxProduct) {
        self.shared
            .lock()
            .products
            .insert(product.code.clone(), product);
    }

    /// The sales accepted so far, in order.
    pub fn sales(&self) -> Vec<Sale> {
        self.shared.lock().sales.clone()
    }

    /// The purchases accepted so far, in order.
    pub fn purchases(&self) -> Vec<Purchase> {
        self.shared.lock().purchases.clone()
    }
}

// ---------------------------------------------------------------------------------------------
// Handlers

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
fn unauthorized_body() -> Value {
    json!({ "status": 401, "message": "Unauthorized: invalid or missing token" })
}

/// The body of a 400 answer for an unknown product.
fn product_not_found_body(code: &str) -> Value {
    json!({ "status": 400, "message": "Product Not Found", "code": code })
}

/// The request's parameters as one JSON object, from a JSON body or a (bracket) form body.
fn parameters(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Value>, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        return match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err("the JSON body must be an object".to_owned()),
            Err(e) => Err(format!("invalid JSON body: {e}")),
        };
    }
    let mut root = Value::Object(Map::new());
    for (key, value) in url::form_urlencoded::parse(body) {
        let path = bracket_path(&key)?;
        insert(&mut root, &path, Value::String(value.into_owned()))?;
    }
    match arrays(root) {
        Value::Object(map) => Ok(map),
        _ => Err("invalid form body".to_owned()),
    }
}

/// `items[0][code]` → `["items", "0", "code"]`.
fn bracket_path(key: &str) -> Result<Vec<String>, String> {
    let Some(open) = key.find('[') else {
        return Ok(vec![key.to_owned()]);
    };
    let mut path = vec![key[..open].to_owned()];
    let mut rest = &key[open..];
    while !rest.is_empty() {
        let close = rest
            .find(']')
            .filter(|_| rest.starts_with('['))
            .ok_or_else(|| format!("malformed form key {key:?}"))?;
        path.push(rest[1..close].to_owned());
        rest = &rest[close + 1..];
    }
    if path.iter().any(String::is_empty) {
        return Err(format!(
            "unsupported form key {key:?}: use explicit indexes"
        ));
    }
    Ok(path)
}

fn insert(node: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    let Value::Object(map) = node else {
        return Err(format!(
            "form key {:?} used as a value and a group",
            path[0]
        ));
    };
    match path {
        [] => Ok(()),
        [last] => {
            map.insert(last.clone(), value);
            Ok(())
        }
        [first, rest @ ..] => {
            let child = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            insert(child, rest, value)
        }
    }
}

/// Turns objects whose keys are all indexes (`{"0":…,"1":…}`) into arrays, in index order.
fn arrays(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let indexed: Option<BTreeMap<usize, Value>> = if map.is_empty() {
                None
            } else {
                map.iter()
                    .map(|(k, v)| k.parse::<usize>().ok().map(|i| (i, v.clone())))
                    .collect()
            };
            match indexed {
                Some(items) => Value::Array(items.into_values().map(arrays).collect()),
                None => Value::Object(map.into_iter().map(|(k, v)| (k, arrays(v))).collect()),
            }
        }
        other => other,
    }
}

// The error is the HTTP answer to send; built once per request, so its size does not matter.
#[allow(clippy::result_large_err)]
/// Checks the token and decodes the parameters; the error is the response to send.
fn authorized(
    shared: &Shared,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Map<String, Value>, Response> {
    // An unreadable body cannot carry a valid token: 401 before 400, as a PHP backend would.
    let params = parameters(headers, body);
    let token_ok = params
        .as_ref()
        .ok()
        .and_then(|p| p.get("token"))
        .is_some_and(|t| t.as_str() == Some(shared.token.as_str()));
    if !token_ok {
        return Err(unauthorized());
    }
    params.map_err(bad_request)
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

async fn sync_stock(
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
fn stock_body(state: &Store) -> serde_json::Result<Vec<u8>> {
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
fn created_body(id: u64, what: &str, reference_no: &str) -> Value {
    json!({
        "status": 201,
        "message": format!("{what} created successfully"),
        "id": id,
        "reference_no": reference_no,
    })
}

async fn push_sale(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let sale: Sale = match authorized(&shared, &headers, &body).and_then(decode) {
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

async fn push_purchase(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut params = match authorized(&shared, &headers, &body) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bracket_forms_nest_into_objects_and_arrays() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let body = b"token=t&reference_no=S+1&items%5B1%5D%5Bcode%5D=B&items[0][code]=A&items[0][qty]=2&items[10][code]=K";
        let params = parameters(&headers, body).unwrap();
        assert_eq!(
            Value::Object(params),
            json!({
                "token": "t",
                "reference_no": "S 1",
                "items": [{"code": "A", "qty": "2"}, {"code": "B"}, {"code": "K"}],
            })
        );
        assert!(bracket_path("items[][code]").is_err());
        assert!(bracket_path("items[0").is_err());
        assert!(parameters(&headers, b"a=1&a[0]=2").is_err());
    }
}
