//! A stateful in-process fake of the CloudOnex API v2 (feature `sandbox`), for your own tests.
//!
//! It serves the ten resources under `http://127.0.0.1:PORT/api/v2/` and behaves as the
//! document describes, no looser:
//!
//! - `GET /x`, `GET /x/{id}`, `POST /x`, `PUT /x/{id}`, `DELETE /x/{id}` for all ten resources,
//!   with seeded records ([`Sandbox::start`]); answers in the envelope
//!   `{"success": true, "data": …, "message": …}`, records the way a PHP backend sends them
//!   (ids and amounts as strings, `YYYY-MM-DD HH:MM:SS` dates, `null` for empty);
//! - a list is a JSON array; with `?page=N` (and optionally `per_page`, default 25) it is a
//!   Laravel paginator: `{"data": [...], "current_page": "1", "last_page": 3, "per_page": 25,
//!   "total": 60}`;
//! - `POST /customers` needs `account` and a well-formed `email` when given: else 400
//!   `{"success": false, "errors": {"account": "…", "email": "Invalid email format"},
//!   "message": "Validation failed"}`; invoices need an existing `customer_id` and items with
//!   `description`, a non-negative `amount` and a positive `qty`; the server computes each
//!   line's `total` and the invoice `total` exactly; other resources take any non-empty object;
//! - bodies must be `Content-Type: application/json` objects (else 400);
//! - auth by `Authorization: Bearer <key>` under `/api/v2/`, or the document's alternative
//!   `/?api_key=<key>&ng=api/v2/<endpoint>`; a missing or wrong key is 401 (`"errors": []`,
//!   as PHP encodes an empty array);
//! - `X-RateLimit-Limit`, `-Remaining` and `-Reset` (unix seconds) on every answer to a known
//!   key, counting down per key from 1,000 per hour ([`SandboxBuilder::rate_limit`]); when used
//!   up, 429 with those headers and no `Retry-After`;
//! - unknown resources or ids: 404 in the error envelope.
//!
//! Every request is journaled and faults are injected per route through the kit
//! ([`Sandbox::journal`], [`Sandbox::faults`]).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudonex_client::sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let before = client.customers().list().await?.items.len();
//!
//! // A 503 on a read is retried; the second attempt succeeds.
//! sandbox.faults().inject("/api/v2/customers", Fault::status(503));
//! assert_eq!(client.customers().list().await?.items.len(), before);
//! assert_eq!(sandbox.journal().hits("/api/v2/customers"), 3);
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use pos_client_core::RetryPolicy;
use pos_client_core::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::axum::{
    Router,
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
};
use pos_client_core::sandbox::{Journal, SandboxServer};
use serde_json::{Map, Value, json};

pub use pos_client_core::sandbox::{Fault, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder, Resource};
use crate::error::Error;
use crate::protocol::AuthMode;
use crate::requests::plausible_email;

/// The API key a default sandbox accepts. A test value, not a secret.
pub const SANDBOX_API_KEY: &str = "cx-sandbox-key-0001";

/// The documented limit: requests per hour per key.
pub const DOCUMENTED_RATE_LIMIT: u32 = 1000;

/// The window the limit counts in.
const WINDOW_SECS: u64 = 3600;

/// The page size of a paginated list when `per_page` is not given.
pub const DEFAULT_PER_PAGE: usize = 25;

/// Configures a [`Sandbox`].
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    keys: Vec<String>,
    limit: u32,
    seed: bool,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("keys", &self.keys.len())
            .field("limit", &self.limit)
            .field("seed", &self.seed)
            .finish()
    }
}

impl SandboxBuilder {
    /// The keys the sandbox accepts (replaces [`SANDBOX_API_KEY`]); each has its own limit.
    pub fn api_keys<I: IntoIterator<Item = S>, S: Into<String>>(mut self, keys: I) -> Self {
        self.keys = keys.into_iter().map(Into::into).collect();
        self
    }

    /// Requests per hour per key (default [`DOCUMENTED_RATE_LIMIT`]).
    pub fn rate_limit(mut self, per_hour: u32) -> Self {
        self.limit = per_hour;
        self
    }

    /// Starts without any seeded record.
    pub fn empty(mut self) -> Self {
        self.seed = false;
        self
    }

    /// Starts the sandbox.
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let state = Arc::new(Mutex::new(World::new(
            self.keys.clone(),
            self.limit,
            self.seed,
        )));
        let router = Router::new().fallback(handle).with_state(state.clone());
        let server = SandboxServer::start(router).await?;
        Ok(Sandbox {
            server,
            state,
            key: self.keys.first().cloned().unwrap_or_default(),
        })
    }
}

/// A running sandbox; it stops when dropped.
pub struct Sandbox {
    server: SandboxServer,
    state: Arc<Mutex<World>>,
    key: String,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("server", &self.server)
            .finish_non_exhaustive()
    }
}

fn lock(state: &Mutex<World>) -> MutexGuard<'_, World> {
    state.lock().unwrap_or_else(|p| p.into_inner())
}

impl Sandbox {
    /// A sandbox with the seeded data, the key [`SANDBOX_API_KEY`] and the documented limit.
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            keys: vec![SANDBOX_API_KEY.to_owned()],
            limit: DOCUMENTED_RATE_LIMIT,
            seed: true,
        }
    }

    /// `http://127.0.0.1:PORT/api/v2/`.
    pub fn base_url(&self) -> String {
        format!("{}api/v2/", self.server.base_url())
    }

    /// The first accepted key.
    pub fn api_key(&self) -> &str {
        &self.key
    }

    /// A client builder for this sandbox: its base URL, its first key, retries without delays.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.base_url())
            .api_key(self.key.clone())
            .retry_policy(RetryPolicy::without_delays())
    }

    /// A Bearer client for this sandbox.
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// A client using the document's `?api_key=…&ng=…` form.
    pub fn query_string_client(&self) -> Result<Client, Error> {
        self.client_builder()
            .auth_mode(AuthMode::QueryString)
            .build()
    }

    /// Every request received so far.
    pub fn journal(&self) -> Journal {
        self.server.journal()
    }

    /// The fault queue.
    pub fn faults(&self) -> pos_client_core::sandbox::Faults {
        self.server.faults()
    }

    /// The records of a resource, as stored (and sent).
    pub fn records(&self, resource: Resource) -> Vec<Value> {
        lock(&self.state)
            .tables
            .get(&resource)
            .map(|t| t.rows.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Requests left in the current window of `key`.
    pub fn remaining(&self, key: &str) -> u32 {
        let world = lock(&self.state);
        let limit = world.limit;
        world
            .windows
            .get(key)
            .map_or(limit, |w| limit.saturating_sub(w.used))
    }
}

#[derive(Default)]
struct Table {
    rows: BTreeMap<u64, Value>,
    next: u64,
}

struct Window {
    start: u64,
    used: u32,
}

struct World {
    keys: Vec<String>,
    limit: u32,
    windows: HashMap<String, Window>,
    tables: HashMap<Resource, Table>,
}

const SEED_TIME: &str = "2024-05-01 09:30:00";

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn sql_now() -> String {
    pos_client_core::chrono::Local::now()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// A decimal as a PHP backend prints money: at least two decimals, as a string.
fn money_text(d: Decimal) -> String {
    let mut d = d.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

impl World {
    fn new(keys: Vec<String>, limit: u32, seed: bool) -> World {
        let mut world = World {
            keys,
            limit,
            windows: HashMap::new(),
            tables: HashMap::new(),
        };
        for r in Resource::ALL {
            world.tables.insert(
                r,
                Table {
                    rows: BTreeMap::new(),
                    next: 1,
                },
            );
        }
        if seed {
            world.seed();
        }
        world
    }

    fn insert(&mut self, resource: Resource, mut fields: Map<String, Value>) -> Value {
        let table = self.tables.entry(resource).or_default();
        let id = table.next;
        table.next += 1;
        let mut record = Map::new();
        record.insert("id".into(), Value::String(id.to_string()));
        record.append(&mut fields);
        record
            .entry("created_at")
            .or_insert_with(|| Value::String(sql_now()));
        record.insert("updated_at".into(), Value::Null);
        let record = Value::Object(record);
        table.rows.insert(id, record.clone());
        record
    }

    fn seed(&mut self) {
        let obj = |v: Value| match v {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        for (account, email, phone) in [
            (
                "Ada Lovelace",
                json!("ada@example.com"),
                json!(442071234567u64),
            ),
            (
                "Grace Hopper",
                json!("grace@example.com"),
                json!("1234567890"),
            ),
            ("Walk-in customer", Value::Null, json!("")),
        ] {
            self.insert(Resource::Customers, obj(json!({"account": account, "email": email, "phone": phone, "created_at": SEED_TIME})));
        }
        for (name, price, sku) in [
            ("Espresso beans 1 kg", "18.90", "CX-1001"),
            ("Oat milk 1 L", "2.35", "CX-1002"),
            ("Ceramic mug", "7.50", "CX-1003"),
            ("Gift card", "25.00", "CX-1004"),
        ] {
            self.insert(Resource::Products, obj(json!({"name": name, "price": price, "sku": sku, "stock": "12", "created_at": SEED_TIME})));
        }
        let invoice = json!({"customer_id": "1", "items": [{"description": "Espresso beans 1 kg", "amount": "18.90", "qty": "2"}]});
        if let Ok(fields) = self.invoice_fields(obj(invoice)) {
            self.insert(Resource::Invoices, fields);
        }
        let samples: [(Resource, Value); 7] = [
            (
                Resource::Transactions,
                json!({"account": "Ada Lovelace", "amount": "37.80", "type": "Income", "date": "2024-05-01"}),
            ),
            (
                Resource::Quotes,
                json!({"customer_id": "2", "subject": "Office coffee", "total": "120.00", "status": "Draft"}),
            ),
            (
                Resource::Orders,
                json!({"customer_id": "1", "total": "18.90", "status": "Pending"}),
            ),
            (
                Resource::Leads,
                json!({"name": "Katherine Johnson", "email": "kj@example.com", "status": "New"}),
            ),
            (
                Resource::Suppliers,
                json!({"account": "Bean Traders Ltd", "email": "sales@beantraders.example", "phone": 3225551234u64}),
            ),
            (
                Resource::Purchases,
                json!({"supplier_id": "1", "total": "540.00", "status": "Received"}),
            ),
            (
                Resource::Tickets,
                json!({"subject": "Card reader offline", "status": "Open", "priority": "High"}),
            ),
        ];
        for (resource, fields) in samples {
            let mut fields = obj(fields);
            fields.insert("created_at".into(), json!(SEED_TIME));
            self.insert(resource, fields);
        }
    }

    /// Checks an invoice and computes its totals; field errors keyed as the request names them.
    fn invoice_fields(
        &self,
        mut fields: Map<String, Value>,
    ) -> Result<Map<String, Value>, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let customer = fields.get("customer_id").and_then(scalar_text);
        match customer.as_deref().and_then(|c| c.parse::<u64>().ok()) {
            None => errors.push(("customer_id".into(), "Customer is required".into())),
            Some(id)
                if !self
                    .tables
                    .get(&Resource::Customers)
                    .is_some_and(|t| t.rows.contains_key(&id)) =>
            {
                errors.push(("customer_id".into(), "Customer not found".into()))
            }
            Some(_) => {}
        }
        let mut total = Decimal::ZERO;
        let mut items_out = Vec::new();
        match fields.get("items") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (n, item) in items.iter().enumerate() {
                    let get = |k: &str| item.get(k).and_then(scalar_text);
                    let description = get("description").filter(|d| !d.trim().is_empty());
                    let amount = get("amount")
                        .and_then(|a| a.parse::<Decimal>().ok())
                        .filter(|a| !a.is_sign_negative());
                    let qty = get("qty")
                        .and_then(|q| q.parse::<Decimal>().ok())
                        .filter(|q| *q > Decimal::ZERO);
                    if description.is_none() {
                        errors.push((
                            format!("items.{n}.description"),
                            "Description is required".into(),
                        ));
                    }
                    if amount.is_none() {
                        errors.push((
                            format!("items.{n}.amount"),
                            "Amount must be a number of at least 0".into(),
                        ));
                    }
                    if qty.is_none() {
                        errors.push((
                            format!("items.{n}.qty"),
                            "Quantity must be a positive number".into(),
                        ));
                    }
                    if let (Some(d), Some(a), Some(q)) = (description, amount, qty) {
                        let line = a * q;
                        total += line;
                        items_out.push(json!({"description": d, "amount": money_text(a), "qty": q.normalize().to_string(), "total": money_text(line)}));
                    }
                }
            }
            _ => errors.push(("items".into(), "At least one item is required".into())),
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        fields.insert("customer_id".into(), json!(customer.unwrap_or_default()));
        fields.insert("items".into(), Value::Array(items_out));
        fields.insert("total".into(), json!(money_text(total)));
        fields.entry("status").or_insert(json!("Unpaid"));
        Ok(fields)
    }

    fn customer_errors(fields: &Map<String, Value>, creating: bool) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        let account = fields.get("account");
        let blank = account.is_none_or(|a| a.as_str().is_none_or(|s| s.trim().is_empty()));
        if (creating || account.is_some()) && blank {
            errors.push(("account".into(), "Account is required".into()));
        }
        match fields.get("email") {
            None | Some(Value::Null) => {}
            Some(Value::String(e)) if e.is_empty() || plausible_email(e) => {}
            Some(_) => errors.push(("email".into(), "Invalid email format".into())),
        }
        errors
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// An answer with the rate-limit headers of the caller's key.
struct Answer {
    status: StatusCode,
    body: Value,
}

fn ok(status: StatusCode, data: Value, message: Option<&str>) -> Answer {
    Answer {
        status,
        body: json!({"success": true, "data": data, "message": message}),
    }
}

fn fail(status: StatusCode, errors: Value, message: &str) -> Answer {
    Answer {
        status,
        body: json!({"success": false, "errors": errors, "message": message}),
    }
}

fn field_map(errors: Vec<(String, String)>) -> Value {
    Value::Object(
        errors
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    )
}

/// Which key the request carries, and the route it asks for.
fn credentials_and_route(uri: &Uri, headers: &HeaderMap) -> (Option<String>, Option<String>) {
    let path = uri.path();
    if let Some(route) = path.strip_prefix("/api/v2/") {
        let key = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|k| k.trim().to_owned());
        return (key, Some(route.to_owned()));
    }
    if path == "/" {
        let pairs: Vec<(String, String)> = url_pairs(uri.query().unwrap_or_default());
        let key = pairs
            .iter()
            .find(|(k, _)| k == "api_key")
            .map(|(_, v)| v.clone());
        let route = pairs
            .iter()
            .find(|(k, _)| k == "ng")
            .and_then(|(_, v)| v.strip_prefix("api/v2/").map(encode_route));
        return (key, route);
    }
    (None, None)
}

/// The `ng` value arrives decoded; encode its id segment so both modes route alike.
fn encode_route(route: &str) -> String {
    match route.split_once('/') {
        Some((resource, id)) => format!("{resource}/{}", crate::protocol::encode_segment(id)),
        None => route.to_owned(),
    }
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    let url = format!("http://x/?{query}");
    url::Url::parse(&url)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

/// Percent-decodes a path segment (no `+` for space in paths).
fn decode_segment(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (hex(bytes.get(i + 1)), hex(bytes.get(i + 2)))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: Option<&u8>) -> Option<u8> {
    (*b? as char).to_digit(16).map(|d| d as u8)
}

async fn handle(
    State(state): State<Arc<Mutex<World>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut world = lock(&state);
    let (key, route) = credentials_and_route(&uri, &headers);
    let Some(route) = route else {
        return render(fail(StatusCode::NOT_FOUND, json!([]), "Not Found"), None);
    };
    let Some(key) = key.filter(|k| world.keys.iter().any(|known| known == k)) else {
        return render(
            fail(
                StatusCode::UNAUTHORIZED,
                json!([]),
                "Invalid or missing API key",
            ),
            None,
        );
    };
    // The window of this key: counts every request with a valid key.
    let limit = world.limit;
    let now = now_secs();
    let window = world.windows.entry(key).or_insert(Window {
        start: now,
        used: 0,
    });
    if now >= window.start + WINDOW_SECS {
        *window = Window {
            start: now,
            used: 0,
        };
    }
    let reset = window.start + WINDOW_SECS;
    if window.used >= limit {
        let headers = (limit, 0, reset);
        return render(
            fail(
                StatusCode::TOO_MANY_REQUESTS,
                json!([]),
                "Rate limit exceeded",
            ),
            Some(headers),
        );
    }
    window.used += 1;
    let rate = (limit, limit - window.used, reset);
    let query = url_pairs(uri.query().unwrap_or_default());
    let answer = world.route(&method, &route, &query, &headers, &body);
    render(answer, Some(rate))
}

fn render(answer: Answer, rate: Option<(u32, u32, u64)>) -> Response {
    let mut response = (
        answer.status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        answer.body.to_string(),
    )
        .into_response();
    if let Some((limit, remaining, reset)) = rate {
        let h = response.headers_mut();
        for (name, value) in [
            ("x-ratelimit-limit", limit as u64),
            ("x-ratelimit-remaining", remaining as u64),
            ("x-ratelimit-reset", reset),
        ] {
            if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
                h.insert(name, v);
            }
        }
    }
    response
}

impl World {
    fn route(
        &mut self,
        method: &Method,
        route: &str,
        query: &[(String, String)],
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Answer {
        let mut parts = route.trim_end_matches('/').splitn(2, '/');
        let Some(resource) = parts.next().and_then(Resource::from_path) else {
            return fail(StatusCode::NOT_FOUND, json!([]), "Unknown endpoint");
        };
        let id = match parts.next() {
            None => None,
            Some(raw) => match decode_segment(raw).parse::<u64>() {
                Ok(id) => Some(id),
                Err(_) => return fail(StatusCode::NOT_FOUND, json!([]), "Record not found"),
            },
        };
        let needs_body = matches!(*method, Method::POST | Method::PUT);
        let fields = if needs_body {
            let json_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.to_ascii_lowercase().starts_with("application/json"));
            if !json_type {
                return fail(
                    StatusCode::BAD_REQUEST,
                    json!([]),
                    "Content-Type must be application/json",
                );
            }
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) if !map.is_empty() => map,
                _ => {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        json!([]),
                        "The body must be a non-empty JSON object",
                    );
                }
            }
        } else {
            Map::new()
        };
        match (method.clone(), id) {
            (Method::GET, None) => self.list(resource, query),
            (Method::GET, Some(id)) => {
                match self.tables.get(&resource).and_then(|t| t.rows.get(&id)) {
                    Some(record) => ok(StatusCode::OK, record.clone(), None),
                    None => fail(StatusCode::NOT_FOUND, json!([]), "Record not found"),
                }
            }
            (Method::POST, None) => self.create(resource, fields),
            (Method::PUT, Some(id)) => self.update(resource, id, fields),
            (Method::DELETE, Some(id)) => match self
                .tables
                .get_mut(&resource)
                .and_then(|t| t.rows.remove(&id))
            {
                Some(_) => ok(StatusCode::OK, Value::Null, Some("Record deleted")),
                None => fail(StatusCode::NOT_FOUND, json!([]), "Record not found"),
            },
            _ => fail(
                StatusCode::METHOD_NOT_ALLOWED,
                json!([]),
                "Method not allowed",
            ),
        }
    }

    fn list(&self, resource: Resource, query: &[(String, String)]) -> Answer {
        let rows: Vec<Value> = self
            .tables
            .get(&resource)
            .map(|t| t.rows.values().cloned().collect())
            .unwrap_or_default();
        let param = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
        if param("page").is_none() && param("per_page").is_none() {
            return ok(StatusCode::OK, Value::Array(rows), None);
        }
        let page = param("page")
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p > 0);
        let per_page = param("per_page").map_or(Some(DEFAULT_PER_PAGE), |p| {
            p.parse::<usize>().ok().filter(|p| (1..=100).contains(p))
        });
        let (Some(page), Some(per_page)) = (page, per_page) else {
            return fail(
                StatusCode::BAD_REQUEST,
                json!({"page": "page must be a positive number; per_page 1 to 100"}),
                "Validation failed",
            );
        };
        let total = rows.len();
        let last = total.div_ceil(per_page).max(1);
        let data: Vec<Value> = rows
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .collect();
        ok(
            StatusCode::OK,
            json!({"data": data, "current_page": page.to_string(), "last_page": last, "per_page": per_page, "total": total}),
            None,
        )
    }

    fn create(&mut self, resource: Resource, fields: Map<String, Value>) -> Answer {
        let fields = match resource {
            Resource::Customers => {
                let errors = World::customer_errors(&fields, true);
                if !errors.is_empty() {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        field_map(errors),
                        "Validation failed",
                    );
                }
                fields
            }
            Resource::Invoices => match self.invoice_fields(fields) {
                Ok(f) => f,
                Err(errors) => {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        field_map(errors),
                        "Validation failed",
                    );
                }
            },
            _ => fields,
        };
        let mut fields = fields;
        fields.remove("id");
        let record = self.insert(resource, fields);
        ok(StatusCode::CREATED, record, Some("Created successfully"))
    }

    fn update(&mut self, resource: Resource, id: u64, mut fields: Map<String, Value>) -> Answer {
        let Some(existing) = self
            .tables
            .get(&resource)
            .and_then(|t| t.rows.get(&id))
            .cloned()
        else {
            return fail(StatusCode::NOT_FOUND, json!([]), "Record not found");
        };
        fields.remove("id");
        let mut merged = match existing {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        match resource {
            Resource::Customers => {
                let errors = World::customer_errors(&fields, false);
                if !errors.is_empty() {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        field_map(errors),
                        "Validation failed",
                    );
                }
                merged.append(&mut fields);
            }
            Resource::Invoices => {
                merged.append(&mut fields);
                match self.invoice_fields(merged) {
                    Ok(f) => merged = f,
                    Err(errors) => {
                        return fail(
                            StatusCode::BAD_REQUEST,
                            field_map(errors),
                            "Validation failed",
                        );
                    }
                }
            }
            _ => merged.append(&mut fields),
        }
        merged.insert("updated_at".into(), Value::String(sql_now()));
        let record = Value::Object(merged);
        if let Some(table) = self.tables.get_mut(&resource) {
            table.rows.insert(id, record.clone());
        }
        ok(StatusCode::OK, record, Some("Updated successfully"))
    }
}
