//! A stateful in-process fake of the Suppliers API (feature `sandbox`), for your own tests.
//!
//! It serves the documented resources below its base URL, as strictly as the document:
//!
//! - **Media types.** `Accept` must name `application/vnd.suppliers.v1+json`,
//!   `application/hal+json` or `application/json` (else 406); a PUT/POST body must be JSON with
//!   `Content-Type` `application/vnd.suppliers.v1+json` or `application/json` (else 415).
//!   Answers carry the accepted type; errors are `application/problem+json` (`type`, `title`,
//!   `status`, `detail`, and the document's code in `result`; 422 adds
//!   `validation_messages`), as Laminas API Tools answers.
//! - **Authorization.** Bearer tokens ([`TEST_TOKEN`], [`SECOND_TOKEN`] of the same user,
//!   [`OTHER_TOKEN`] of another), Basic and Digest (RFC 7616, SHA-256 by default or MD5; nonce
//!   count checked; [`Sandbox::expire_nonces`] makes the next request get `stale=true`) for
//!   [`TEST_USER`] / [`TEST_PASSWORD`], and the framework's OAuth2 endpoint `POST /oauth`
//!   (password and client-credentials grants, tokens that [`Sandbox::expire_oauth_tokens`]
//!   expires). A missing or wrong credential gets 401 with a Digest and a Basic challenge.
//! - **Temporary purchases.** Each user has one current temp purchase; an access token may act
//!   on it only after `GET /current?set_current_access_token=Y` (else
//!   `NOT_CURRENT_ACCESS_TOKEN`; a later claim by another token of the same user takes it over).
//!   Every action checks its documented errors; `activeTrans`, `forwardTrans`,
//!   `createNewTrans` and `DELETE` answer with the new current temp purchase.
//! - **Purchase orders** check, in the document's order, PURCHASE_TEMP_INVALID …
//!   DEBT_NOT_GREATER_MAXDEBT; an order paid by `debt` raises the supplier's debt; the ordered
//!   temp purchase is replaced by a new empty one.
//! - **Suppliers** with debt and max debt; `updateCurdebt` checks both debt rules; deleting an
//!   unknown supplier answers the document's own spelling `NOT_FOUND_SUPPLER`.
//! - **Collections** are paged HAL (`_embedded`, `_links` first/prev/next/last, `page`,
//!   `page_size` (25 by default), `page_count`, `total_items`).
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use suppliers_client::sandbox::Sandbox;
//! use suppliers_client::{Decimal, Payment, ProductRef};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let trans = client.claim_current().await?;
//! let added = trans.add_line(ProductRef::Code("SP001".into()), Decimal::from(2)).await?;
//! assert_eq!(added.line.units, Some(Decimal::from(2)));
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::http::{HeaderMap, Method, StatusCode, Uri, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::axum::{
    Router,
    body::{Body, Bytes},
    extract::State,
    response::Response,
};
use pos_client_core::sandbox::{Journal, SandboxServer};
use serde_json::{Map, Value, json};

pub use pos_client_core::sandbox::{Fault, Faults, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder, base64};
use crate::digest::{self, Algorithm};
use crate::error::Error;

/// The Bearer token of the sandbox's first user (person `1`).
pub const TEST_TOKEN: &str = "sandbox-token-an";
/// A second Bearer token of the same user (another device).
pub const SECOND_TOKEN: &str = "sandbox-token-an-2";
/// The Bearer token of another user (person `2`).
pub const OTHER_TOKEN: &str = "sandbox-token-binh";
/// The Basic / Digest / OAuth2 user of person `1`.
pub const TEST_USER: &str = "an";
/// Its password.
pub const TEST_PASSWORD: &str = "mat-khau-an";
/// The OAuth2 client id the sandbox knows.
pub const OAUTH_CLIENT_ID: &str = "sandbox-client";
/// Its secret.
pub const OAUTH_CLIENT_SECRET: &str = "sandbox-client-secret";
/// The Digest realm.
pub const REALM: &str = "suppliers-api";
/// The product codes of the seeded catalogue.
pub const PRODUCT_CODES: [&str; 4] = ["SP001", "SP002", "SP003", "SP004"];

const VND: &str = "application/vnd.suppliers.v1+json";
const HAL: &str = "application/hal+json";
const JSON: &str = "application/json";

/// A supplier as the sandbox keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxSupplier {
    /// Id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Search key.
    pub searchkey: String,
    /// Tax id.
    pub taxid: String,
    /// Phone.
    pub phone: String,
    /// Province / city.
    pub region: String,
    /// District.
    pub city: String,
    /// Address.
    pub address: String,
    /// Visible.
    pub visible: bool,
    /// Max debt.
    pub maxdebt: Decimal,
    /// Current debt.
    pub curdebt: Decimal,
}

/// A purchase order the sandbox received.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxOrder {
    /// The temp purchase it came from.
    pub trans_id: String,
    /// The supplier.
    pub supplier_id: u64,
    /// `cash` or `debt`.
    pub payment_method: String,
    /// Σ units × pricebuy.
    pub total: Decimal,
    /// (product code, units, pricebuy) per line.
    pub lines: Vec<(String, Decimal, Decimal)>,
}

#[derive(Debug, Clone)]
struct Person {
    name: String,
    locations: BTreeMap<String, String>,
    reasons: Vec<&'static str>,
    current: Option<String>,
    access: Option<String>,
}

#[derive(Debug, Clone)]
struct Product {
    id: String,
    code: String,
    name: String,
}

#[derive(Debug, Clone)]
struct Line {
    id: String,
    product: usize,
    units: Decimal,
    pricebuy: Option<Decimal>,
    update_supplier: bool,
    update_pricebuy: bool,
}

#[derive(Debug, Clone)]
struct Temp {
    owner: String,
    reason: &'static str,
    location: Option<String>,
    supplier: Option<u64>,
    business: Option<String>,
    note: String,
    lines: Vec<Line>,
    shared_by: Option<String>,
    created: String,
}

struct World {
    persons: BTreeMap<String, Person>,
    users: BTreeMap<String, (String, String)>,
    tokens: BTreeMap<String, String>,
    expired_tokens: Vec<String>,
    businesses: BTreeMap<String, String>,
    products: Vec<Product>,
    suppliers: BTreeMap<u64, SandboxSupplier>,
    temps: BTreeMap<String, Temp>,
    orders: Vec<SandboxOrder>,
    nonces: BTreeMap<String, (u32, bool)>,
    algorithm: Algorithm,
    page_size: usize,
    counter: u64,
}

/// What a request answered with, before serialization.
struct Reply {
    status: StatusCode,
    body: Option<Value>,
    problem: bool,
    headers: Vec<(header::HeaderName, String)>,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: StatusCode::OK,
        body: Some(body),
        problem: false,
        headers: Vec::new(),
    }
}

fn problem(status: u16, code: Option<&str>, detail: &str) -> Reply {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut body = json!({
        "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some(code), Value::Object(map)) = (code, &mut body) {
        map.insert("result".into(), code.into());
    }
    Reply {
        status,
        body: Some(body),
        problem: true,
        headers: Vec::new(),
    }
}

fn coded(code: &str) -> Reply {
    let status = match code {
        "NOT_CURRENT_ACCESS_TOKEN"
        | "NOT_PERMISSION_SELECT_THIS_LOCATION"
        | "NOT_PERMISSION_SELECT_THIS_REASON" => 403,
        "NOT_FOUND_SUPPLER" => 404,
        "ERROR" => 400,
        _ => 422,
    };
    problem(status, Some(code), code)
}

fn invalid(field: &str, message: &str) -> Reply {
    let mut r = problem(422, None, "Failed Validation");
    if let Some(Value::Object(map)) = &mut r.body {
        map.insert(
            "validation_messages".into(),
            json!({ field: { "isEmpty": message } }),
        );
    }
    r
}

fn lenient_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn lenient_dec(v: Option<&Value>) -> Option<Result<Decimal, ()>> {
    lenient_str(v).map(|s| s.parse::<Decimal>().map_err(|_| ()))
}

fn yn(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

impl World {
    fn seeded() -> World {
        let person = |name: &str, locs: &[(&str, &str)], reasons: Vec<&'static str>| Person {
            name: name.to_owned(),
            locations: locs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
            reasons,
            current: None,
            access: None,
        };
        let mut persons = BTreeMap::new();
        persons.insert(
            "1".to_owned(),
            person(
                "Nguyễn Văn An",
                &[("1", "Kho Hà Nội"), ("2", "Kho Sài Gòn")],
                vec!["purchase", "return"],
            ),
        );
        persons.insert(
            "2".to_owned(),
            person("Trần Thị Bình", &[("2", "Kho Sài Gòn")], vec!["purchase"]),
        );
        persons.insert(
            "3".to_owned(),
            person("Lê Văn Cường", &[("3", "Kho Đà Nẵng")], vec!["purchase"]),
        );
        let mut users = BTreeMap::new();
        users.insert(
            TEST_USER.to_owned(),
            (TEST_PASSWORD.to_owned(), "1".to_owned()),
        );
        users.insert(
            "binh".to_owned(),
            ("mat-khau-binh".to_owned(), "2".to_owned()),
        );
        let mut tokens = BTreeMap::new();
        tokens.insert(TEST_TOKEN.to_owned(), "1".to_owned());
        tokens.insert(SECOND_TOKEN.to_owned(), "1".to_owned());
        tokens.insert(OTHER_TOKEN.to_owned(), "2".to_owned());
        let products = [
            ("101", "SP001", "Gạo ST25 túi 5kg"),
            ("102", "SP002", "Nước mắm Phú Quốc 500ml"),
            ("103", "SP003", "Cà phê G7 hộp 18 gói"),
            ("104", "SP004", "Mì Hảo Hảo thùng 30 gói"),
        ]
        .iter()
        .map(|(id, code, name)| Product {
            id: (*id).into(),
            code: (*code).into(),
            name: (*name).into(),
        })
        .collect();
        let supplier =
            |id: u64, name: &str, visible: bool, maxdebt: i64, curdebt: i64| SandboxSupplier {
                id,
                name: name.to_owned(),
                searchkey: format!("NCC{id:04}"),
                taxid: format!("010{id:07}"),
                phone: format!("09{id:08}"),
                region: "Hà Nội".into(),
                city: "Cầu Giấy".into(),
                address: format!("{id} Xuân Thủy"),
                visible,
                maxdebt: Decimal::from(maxdebt),
                curdebt: Decimal::from(curdebt),
            };
        let mut suppliers = BTreeMap::new();
        for s in [
            supplier(1, "Công ty Sữa Việt", true, 50_000_000, 12_500_000),
            supplier(2, "Đại lý Minh Long", false, 0, 0),
            supplier(3, "Nhà phân phối Sao Mai", true, 10_000_000, 0),
        ] {
            suppliers.insert(s.id, s);
        }
        let mut businesses = BTreeMap::new();
        businesses.insert("10".to_owned(), "Công ty TNHH An Phát".to_owned());
        World {
            persons,
            users,
            tokens,
            expired_tokens: Vec::new(),
            businesses,
            products,
            suppliers,
            temps: BTreeMap::new(),
            orders: Vec::new(),
            nonces: BTreeMap::new(),
            algorithm: Algorithm::Sha256,
            page_size: 25,
            counter: 0,
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn new_temp(&mut self, owner: &str) -> String {
        let n = self.next();
        let id = format!("{n:08x}-5a1e-4c0d-9e7f-{:012x}", n * 7919);
        self.temps.insert(
            id.clone(),
            Temp {
                owner: owner.to_owned(),
                reason: "purchase",
                location: None,
                supplier: None,
                business: None,
                note: String::new(),
                lines: Vec::new(),
                shared_by: None,
                created: format!("2024-05-01 08:{:02}:{:02}", (n / 60) % 60, n % 60),
            },
        );
        id
    }

    fn nonce(&mut self) -> String {
        let n = self.next();
        let nonce = format!("{:016x}{n:08x}", rand::random::<u64>());
        self.nonces.insert(nonce.clone(), (0, false));
        nonce
    }

    fn challenges(&mut self, stale: bool) -> Vec<(header::HeaderName, String)> {
        let nonce = self.nonce();
        vec![
            (
                header::WWW_AUTHENTICATE,
                format!(
                    "Digest realm=\"{REALM}\", qop=\"auth\", algorithm={}, nonce=\"{nonce}\", opaque=\"sandbox\"{}",
                    self.algorithm.as_str(),
                    if stale { ", stale=true" } else { "" }
                ),
            ),
            (header::WWW_AUTHENTICATE, format!("Basic realm=\"{REALM}\"")),
        ]
    }

    fn unauthorized(&mut self, stale: bool, detail: &str) -> Reply {
        let mut r = problem(401, None, detail);
        r.headers = self.challenges(stale);
        r
    }

    /// The person and the access-token key of a request, or the 401.
    fn authenticate(
        &mut self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<(String, String), Reply> {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Err(self.unauthorized(false, "Unauthorized"));
        };
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        match scheme.to_ascii_lowercase().as_str() {
            "bearer" => {
                let token = rest.trim();
                if self.expired_tokens.iter().any(|t| t == token) {
                    let mut r = problem(401, None, "The access token provided has expired");
                    r.headers = vec![(
                        header::WWW_AUTHENTICATE,
                        format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
                    )];
                    return Err(r);
                }
                match self.tokens.get(token) {
                    Some(p) => Ok((p.clone(), format!("bearer:{token}"))),
                    None => Err(self.unauthorized(false, "Unauthorized")),
                }
            }
            "basic" => {
                let found = self.users.iter().find(|(user, (password, _))| {
                    base64(format!("{user}:{password}").as_bytes()) == rest.trim()
                });
                match found {
                    Some((user, (_, person))) => Ok((person.clone(), format!("user:{user}"))),
                    None => Err(self.unauthorized(false, "Unauthorized")),
                }
            }
            "digest" => self.check_digest(method, uri, value),
            _ => Err(self.unauthorized(false, "Unauthorized")),
        }
    }

    fn check_digest(
        &mut self,
        method: &Method,
        uri: &Uri,
        value: &str,
    ) -> Result<(String, String), Reply> {
        let parsed = digest::split_challenges(value);
        let Some((_, params)) = parsed.first() else {
            return Err(self.unauthorized(false, "Unauthorized"));
        };
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
        };
        let (Some(user), Some(nonce), Some(nc), Some(cnonce), Some(response), Some(duri)) = (
            get("username"),
            get("nonce"),
            get("nc"),
            get("cnonce"),
            get("response"),
            get("uri"),
        ) else {
            return Err(self.unauthorized(false, "Digest: missing parameters (qop=auth required)"));
        };
        let algorithm = get("algorithm")
            .and_then(Algorithm::parse)
            .unwrap_or(Algorithm::Md5);
        let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        if algorithm != self.algorithm
            || get("qop") != Some("auth")
            || duri != target
            || get("realm") != Some(REALM)
        {
            return Err(self.unauthorized(false, "Digest: wrong algorithm, qop, realm or uri"));
        }
        let Some((user_key, (password, person))) = self
            .users
            .iter()
            .find(|(u, _)| u.as_str() == user)
            .map(|(u, v)| (u.clone(), v.clone()))
        else {
            return Err(self.unauthorized(false, "Unauthorized"));
        };
        let expected = digest::response(
            algorithm,
            &digest::Params {
                user,
                realm: REALM,
                password: &password,
                method: method.as_str(),
                uri: duri,
                nonce,
                nc,
                cnonce,
                qop: Some("auth"),
            },
        );
        let Some((last, stale)) = self.nonces.get(nonce).copied() else {
            return Err(self.unauthorized(false, "Digest: unknown nonce"));
        };
        if expected != response {
            return Err(self.unauthorized(false, "Unauthorized"));
        }
        if stale {
            return Err(self.unauthorized(true, "Digest: the nonce has expired"));
        }
        let Ok(count) = u32::from_str_radix(nc, 16) else {
            return Err(self.unauthorized(false, "Digest: bad nonce count"));
        };
        if count <= last {
            return Err(self.unauthorized(false, "Digest: nonce count replayed"));
        }
        self.nonces.insert(nonce.to_owned(), (count, false));
        Ok((person, format!("user:{user_key}")))
    }

    fn current_json(&self, id: &str) -> Value {
        let Some(t) = self.temps.get(id) else {
            return Value::Null;
        };
        let person = self.persons.get(&t.owner);
        let supplier = t.supplier.and_then(|s| self.suppliers.get(&s));
        let lines: Vec<Value> = t
            .lines
            .iter()
            .map(|l| {
                let p = &self.products[l.product];
                json!({
                    "line_id": l.id.parse::<u64>().map(Value::from).unwrap_or_else(|_| l.id.clone().into()),
                    "product_id": p.id,
                    "product_name": p.name,
                    "reference": p.code,
                    "units": l.units.normalize().to_string(),
                    "pricebuy": l.pricebuy.map(|p| Value::from(p.normalize().to_string())),
                    "update_supplier": yn(l.update_supplier),
                    "update_pricebuy": yn(l.update_pricebuy),
                })
            })
            .collect();
        json!({
            "result": "SUCCESS",
            "current_trans": {
                "trans_info": {
                    "id": id,
                    "reason": t.reason,
                    "person_name": person.map(|p| p.name.clone()),
                    "location_id": t.location.clone(),
                    "location_name": t.location.as_ref().and_then(|l| person.and_then(|p| p.locations.get(l).cloned())),
                    "supplier_id": t.supplier,
                    "supplier_name": supplier.map(|s| s.name.clone()),
                    "business_id": t.business.clone(),
                    "business_name": t.business.as_ref().and_then(|b| self.businesses.get(b).cloned()),
                    "note": t.note,
                },
                // PHP: an empty array.
                "trans_lines": lines,
            }
        })
    }

    fn ensure_current(&mut self, person: &str) -> String {
        if let Some(id) = self.persons.get(person).and_then(|p| p.current.clone())
            && self.temps.contains_key(&id)
        {
            return id;
        }
        let id = self.new_temp(person);
        if let Some(p) = self.persons.get_mut(person) {
            p.current = Some(id.clone());
        }
        id
    }

    fn has_access(&self, person: &str, key: &str) -> bool {
        self.persons
            .get(person)
            .is_some_and(|p| p.access.as_deref() == Some(key))
    }

    fn page(
        &self,
        rel: &str,
        path: &str,
        items: Vec<Value>,
        query: &BTreeMap<String, String>,
    ) -> Reply {
        let size = query
            .get("page_size")
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|s| *s > 0)
            .unwrap_or(self.page_size);
        let total = items.len();
        let count = total.div_ceil(size).max(1);
        let page = query
            .get("page")
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(1);
        if page == 0 || page > count {
            return problem(409, None, &format!("Invalid page provided ({page})"));
        }
        let chunk: Vec<Value> = items
            .into_iter()
            .skip((page - 1) * size)
            .take(size)
            .collect();
        let href = |p: usize| json!({ "href": format!("/{path}?page={p}") });
        let mut links = Map::new();
        links.insert("self".into(), href(page));
        links.insert("first".into(), href(1));
        links.insert("last".into(), href(count));
        if page > 1 {
            links.insert("prev".into(), href(page - 1));
        }
        if page < count {
            links.insert("next".into(), href(page + 1));
        }
        ok(json!({
            "_links": links,
            "_embedded": { rel: chunk },
            "page_count": count,
            "page_size": size,
            "total_items": total,
            "page": page,
        }))
    }

    fn supplier_json(s: &SandboxSupplier, full: bool) -> Value {
        let mut v = json!({
            "id": s.id,
            "searchkey": s.searchkey,
            "taxid": s.taxid,
            "name": s.name,
            "phone": s.phone,
            "address": s.address,
            "city": s.city,
            "region": s.region,
        });
        if full && let Value::Object(map) = &mut v {
            map.insert("maxdebt".into(), s.maxdebt.normalize().to_string().into());
            map.insert("curdebt".into(), s.curdebt.normalize().to_string().into());
            map.insert("curdate".into(), "2024-05-01".into());
            map.insert("visible".into(), yn(s.visible).into());
        }
        v
    }
}

/// Shared state of the sandbox's handler.
struct Shared {
    world: Mutex<World>,
}

fn lock(m: &Mutex<World>) -> MutexGuard<'_, World> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The running sandbox. Dropping it stops the server.
pub struct Sandbox {
    server: SandboxServer,
    shared: Arc<Shared>,
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl Sandbox {
    /// Starts the sandbox with the seeded users, suppliers, locations and products.
    pub async fn start() -> std::io::Result<Sandbox> {
        let shared = Arc::new(Shared {
            world: Mutex::new(World::seeded()),
        });
        let router = Router::new().fallback(handle).with_state(shared.clone());
        Ok(Sandbox {
            server: SandboxServer::start(router).await?,
            shared,
        })
    }

    /// The API root, `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// A builder pointed at the sandbox, with retries without delays and no credential yet.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.base_url())
            .retry_policy(RetryPolicy::without_delays())
    }

    /// A client with [`TEST_TOKEN`] (Bearer).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().bearer_token(TEST_TOKEN).build()
    }

    /// A client with Basic [`TEST_USER`] / [`TEST_PASSWORD`].
    pub fn basic_client(&self) -> Result<Client, Error> {
        self.client_builder()
            .basic_auth(TEST_USER, TEST_PASSWORD)
            .build()
    }

    /// A client with Digest [`TEST_USER`] / [`TEST_PASSWORD`].
    pub fn digest_client(&self) -> Result<Client, Error> {
        self.client_builder()
            .digest_auth(TEST_USER, TEST_PASSWORD)
            .build()
    }

    /// A client that gets its Bearer token from `POST /oauth` (password grant).
    pub fn oauth_client(&self) -> Result<Client, Error> {
        self.client_builder()
            .oauth2_password(
                OAUTH_CLIENT_ID,
                Some(OAUTH_CLIENT_SECRET.into()),
                TEST_USER,
                TEST_PASSWORD,
            )
            .build()
    }

    /// Every request received.
    pub fn journal(&self) -> Journal {
        self.server.journal()
    }

    /// Fault injection per route.
    pub fn faults(&self) -> Faults {
        self.server.faults()
    }

    /// The Digest algorithm of the challenges (SHA-256 by default).
    pub fn set_digest_algorithm(&self, algorithm: Algorithm) {
        lock(&self.shared.world).algorithm = algorithm;
    }

    /// Makes every nonce issued so far stale: the next Digest request gets 401 `stale=true`.
    pub fn expire_nonces(&self) {
        for v in lock(&self.shared.world).nonces.values_mut() {
            v.1 = true;
        }
    }

    /// Expires every token issued by `POST /oauth`.
    pub fn expire_oauth_tokens(&self) {
        let mut w = lock(&self.shared.world);
        let issued: Vec<String> = w
            .tokens
            .keys()
            .filter(|t| t.starts_with("oauth-"))
            .cloned()
            .collect();
        for t in issued {
            w.tokens.remove(&t);
            w.expired_tokens.push(t);
        }
    }

    /// Items per page of the collections (default 25).
    pub fn set_page_size(&self, size: usize) {
        lock(&self.shared.world).page_size = size.max(1);
    }

    /// A supplier's state.
    pub fn supplier(&self, id: u64) -> Option<SandboxSupplier> {
        lock(&self.shared.world).suppliers.get(&id).cloned()
    }

    /// Every purchase order received.
    pub fn orders(&self) -> Vec<SandboxOrder> {
        lock(&self.shared.world).orders.clone()
    }

    /// The number of temp purchases held (current and waiting).
    pub fn temp_count(&self) -> usize {
        lock(&self.shared.world).temps.len()
    }
}

fn negotiate(headers: &HeaderMap) -> Option<&'static str> {
    let accept = headers
        .get(header::ACCEPT)?
        .to_str()
        .ok()?
        .to_ascii_lowercase();
    [VND, HAL, JSON].into_iter().find(|t| {
        accept
            .split(',')
            .any(|part| part.split(';').next().map(str::trim) == Some(t))
    })
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let accepted = negotiate(&headers);
    let reply = match accepted {
        None => problem(
            406,
            None,
            "Unable to resolve Accept header to a representation",
        ),
        Some(_) => {
            let mut world = lock(&shared.world);
            route(&mut world, &method, &uri, &headers, &body)
        }
    };
    let content_type = if reply.problem {
        "application/problem+json"
    } else {
        accepted.unwrap_or(JSON)
    };
    let mut builder = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        builder = builder.header(name, value);
    }
    let built = match reply.body {
        Some(body) if reply.status != StatusCode::NO_CONTENT => builder
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_string())),
        _ => builder.body(Body::empty()),
    };
    built.unwrap_or_else(|_| Response::new(Body::empty()))
}

fn route(w: &mut World, method: &Method, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Reply {
    let path = uri.path().trim_matches('/').to_owned();
    let query: BTreeMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let segments: Vec<String> = path
        .split('/')
        .map(|s| {
            url::form_urlencoded::parse(format!("x={}", s.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect();
    // The JSON body of a PUT/POST, after the media-type check.
    let needs_body = matches!(*method, Method::PUT | Method::POST);
    let mut data = Map::new();
    if needs_body {
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let base = ct.split(';').next().unwrap_or("").trim().to_owned();
        let form = base == "application/x-www-form-urlencoded";
        if base != VND && base != JSON && !(form && path == "oauth") {
            return problem(415, None, "Invalid content-type specified");
        }
        if form {
            for (k, v) in url::form_urlencoded::parse(body) {
                data.insert(k.into_owned(), v.into_owned().into());
            }
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => data = map,
                _ => return problem(400, None, "JSON decoding error"),
            }
        }
    }
    if path == "oauth" && *method == Method::POST {
        return oauth(w, &data);
    }
    let (person, key) = match w.authenticate(method, uri, headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (method.clone(), seg.as_slice()) {
        (Method::GET, ["supplier-purchase-temp"]) => {
            let items: Vec<Value> = w
                .temps
                .iter()
                .filter(|(_, t)| t.owner == person)
                .map(|(id, t)| {
                    json!({
                        "id": id,
                        "reason": t.reason,
                        "person_name": w.persons.get(&t.owner).map(|p| p.name.clone()),
                        "supplier_name": t.supplier.and_then(|s| w.suppliers.get(&s)).map(|s| s.name.clone()),
                        "person_share": t.shared_by,
                        "first_product_name": t.lines.first().map(|l| w.products[l.product].name.clone()),
                        "num_other_line": t.lines.len().saturating_sub(1),
                        "created_at": t.created,
                        "updated_at": t.created,
                    })
                })
                .collect();
            w.page(
                "supplier_purchase_temp",
                "supplier-purchase-temp",
                items,
                &query,
            )
        }
        (Method::GET, ["supplier-purchase-temp", "location-person"]) => {
            let locs = w
                .persons
                .get(&person)
                .map(|p| p.locations.clone())
                .unwrap_or_default();
            if locs.is_empty() {
                return ok(json!({ "location_person": [] }));
            }
            ok(json!({ "location_person": locs }))
        }
        (Method::GET, ["supplier-purchase-temp", "current"]) => {
            if query.get("set_current_access_token").map(String::as_str) == Some("Y") {
                if let Some(p) = w.persons.get_mut(&person) {
                    p.access = Some(key);
                }
            } else if !w.has_access(&person, &key) {
                return coded("NOT_CURRENT_ACCESS_TOKEN");
            }
            let id = w.ensure_current(&person);
            ok(w.current_json(&id))
        }
        (Method::GET, ["supplier-purchase-temp", id]) => match w.temps.get(*id) {
            Some(t) if t.owner == person => ok(w.current_json(id)),
            _ => problem(404, Some("TRANS_NOT_FOUND"), "Entity not found"),
        },
        (Method::PUT, ["supplier-purchase-temp", id]) => temp_action(w, &person, &key, id, &data),
        (Method::DELETE, ["supplier-purchase-temp", id]) => {
            if !w.has_access(&person, &key) {
                return coded("NOT_CURRENT_ACCESS_TOKEN");
            }
            let current = w.persons.get(&person).and_then(|p| p.current.clone());
            if current.as_deref() != Some(*id) {
                return coded("TRANS_NOT_CURRENT");
            }
            w.temps.remove(*id);
            let fresh = w.new_temp(&person);
            if let Some(p) = w.persons.get_mut(&person) {
                p.current = Some(fresh.clone());
            }
            ok(w.current_json(&fresh))
        }
        (Method::POST, ["supplier-purchase"]) => purchase(w, &person, &key, &data),
        (Method::GET, ["suppliers"]) => {
            let visible = query.get("visible").map(|v| v == "Y");
            let name = query.get("name").map(|n| n.to_lowercase());
            let items: Vec<Value> = w
                .suppliers
                .values()
                .filter(|s| visible.is_none_or(|v| s.visible == v))
                .filter(|s| {
                    name.as_ref()
                        .is_none_or(|n| s.name.to_lowercase().contains(n))
                })
                .map(|s| {
                    json!({
                        "id": s.id,
                        "taxid": s.taxid,
                        "name": s.name,
                        "curdebt": s.curdebt.normalize().to_string(),
                        "curdate": "2024-05-01",
                        "phone": s.phone,
                        "visible": yn(s.visible),
                    })
                })
                .collect();
            w.page("suppliers", "suppliers", items, &query)
        }
        (Method::POST, ["suppliers"]) => {
            let Some(name) = lenient_str(data.get("name")) else {
                return invalid("name", "Value is required and can't be empty");
            };
            let id = w.suppliers.keys().max().copied().unwrap_or(0) + 1;
            let field = |k: &str| lenient_str(data.get(k)).unwrap_or_default();
            let s = SandboxSupplier {
                id,
                name,
                searchkey: format!("NCC{id:04}"),
                taxid: String::new(),
                phone: field("phone"),
                region: field("region"),
                city: field("city"),
                address: field("address"),
                visible: true,
                maxdebt: Decimal::ZERO,
                curdebt: Decimal::ZERO,
            };
            let body = json!({ "result": "SUCCESS", "supplier": World::supplier_json(&s, false) });
            w.suppliers.insert(id, s);
            Reply {
                status: StatusCode::CREATED,
                ..ok(body)
            }
        }
        (Method::GET, ["suppliers", id]) => {
            match id.parse::<u64>().ok().and_then(|i| w.suppliers.get(&i)) {
                Some(s) => {
                    ok(json!({ "result": "SUCCESS", "supplier": World::supplier_json(s, true) }))
                }
                None => problem(404, Some("NOT_FOUND_SUPPLIER"), "NOT_FOUND_SUPPLIER"),
            }
        }
        (Method::DELETE, ["suppliers", id]) => {
            match id.parse::<u64>().ok().and_then(|i| w.suppliers.remove(&i)) {
                Some(_) => Reply {
                    status: StatusCode::NO_CONTENT,
                    body: None,
                    problem: false,
                    headers: Vec::new(),
                },
                // The document's own spelling.
                None => coded("NOT_FOUND_SUPPLER"),
            }
        }
        (Method::PUT, ["suppliers", id]) => supplier_action(w, id, &data),
        (_, ["supplier-purchase-temp", ..] | ["suppliers", ..] | ["supplier-purchase"]) => {
            let mut r = problem(405, None, "Method Not Allowed");
            r.headers
                .push((header::ALLOW, "GET, POST, PUT, DELETE".into()));
            r
        }
        _ => problem(404, None, "Page not found."),
    }
}

fn oauth(w: &mut World, data: &Map<String, Value>) -> Reply {
    let grant = lenient_str(data.get("grant_type")).unwrap_or_default();
    if lenient_str(data.get("client_id")).as_deref() != Some(OAUTH_CLIENT_ID)
        || lenient_str(data.get("client_secret")).as_deref() != Some(OAUTH_CLIENT_SECRET)
    {
        return problem(401, None, "The client credentials are invalid");
    }
    let person = match grant.as_str() {
        "password" => {
            let user = lenient_str(data.get("username")).unwrap_or_default();
            let password = lenient_str(data.get("password")).unwrap_or_default();
            match w.users.get(&user) {
                Some((p, person)) if *p == password => person.clone(),
                _ => return problem(401, None, "Invalid username and password combination"),
            }
        }
        "client_credentials" => "1".to_owned(),
        _ => return problem(400, None, "Grant type not supported"),
    };
    let n = w.next();
    let token = format!("oauth-{n:06}-{:016x}", rand::random::<u64>());
    w.tokens.insert(token.clone(), person);
    Reply {
        status: StatusCode::OK,
        body: Some(json!({
            "access_token": token,
            "expires_in": 3600,
            "token_type": "Bearer",
            "scope": null,
        })),
        problem: false,
        headers: Vec::new(),
    }
}

fn temp_action(
    w: &mut World,
    person: &str,
    key: &str,
    path_id: &str,
    data: &Map<String, Value>,
) -> Reply {
    let Some(action) = lenient_str(data.get("action")) else {
        return invalid("action", "Value is required and can't be empty");
    };
    let Some(trans_id) = lenient_str(data.get("trans_id")) else {
        return invalid("trans_id", "Value is required and can't be empty");
    };
    if trans_id != path_id {
        return problem(
            400,
            Some("ERROR"),
            "trans_id differs from the id in the path",
        );
    }
    if !w.has_access(person, key) {
        return coded("NOT_CURRENT_ACCESS_TOKEN");
    }
    let current = w.persons.get(person).and_then(|p| p.current.clone());
    if action == "activeTrans" {
        let waiting = w
            .temps
            .get(&trans_id)
            .is_some_and(|t| t.owner == person && current.as_deref() != Some(&trans_id));
        if !waiting {
            return coded("TRANS_NOT_FOUND");
        }
        if let Some(p) = w.persons.get_mut(person) {
            p.current = Some(trans_id.clone());
        }
        return ok(w.current_json(&trans_id));
    }
    if current.as_deref() != Some(trans_id.as_str()) {
        return coded("TRANS_NOT_CURRENT");
    }
    let line_index = |w: &World| -> Result<usize, Reply> {
        let Some(line) = lenient_str(data.get("line_id")) else {
            return Err(invalid("line_id", "Value is required and can't be empty"));
        };
        w.temps
            .get(&trans_id)
            .and_then(|t| t.lines.iter().position(|l| l.id == line))
            .ok_or_else(|| coded("LINE_NOT_FOUND"))
    };
    let units = |field: &str| -> Result<Decimal, Reply> {
        match lenient_dec(data.get(field)) {
            Some(Ok(u)) if u > Decimal::ZERO => Ok(u),
            Some(_) => Err(invalid(field, "The input is not greater than 0")),
            None => Err(invalid(field, "Value is required and can't be empty")),
        }
    };
    match action.as_str() {
        "addLine" => {
            let by_id = lenient_str(data.get("product_id"));
            let by_code = lenient_str(data.get("product_code"));
            if by_id.is_none() && by_code.is_none() {
                return invalid("product_id", "product_id or product_code is required");
            }
            let units = match units("units") {
                Ok(u) => u,
                Err(r) => return r,
            };
            let Some(product) = w.products.iter().position(|p| {
                by_id.as_deref() == Some(p.id.as_str())
                    || by_code.as_deref() == Some(p.code.as_str())
            }) else {
                return coded("PRODUCT_NOT_FOUND");
            };
            let n = w.next();
            let Some(t) = w.temps.get_mut(&trans_id) else {
                return coded("ERROR");
            };
            let (line, is_update) = match t.lines.iter_mut().find(|l| l.product == product) {
                Some(l) => {
                    l.units += units;
                    (l.clone(), true)
                }
                None => {
                    let l = Line {
                        id: n.to_string(),
                        product,
                        units,
                        pricebuy: None,
                        update_supplier: true,
                        update_pricebuy: true,
                    };
                    t.lines.push(l.clone());
                    (l, false)
                }
            };
            let p = &w.products[product];
            ok(json!({
                "result": "SUCCESS",
                "line": {
                    "line_id": line.id.parse::<u64>().unwrap_or_default(),
                    "product_id": p.id,
                    "product_name": p.name,
                    "units": line.units.normalize().to_string(),
                    "update_supplier": yn(line.update_supplier),
                    "update_pricebuy": yn(line.update_pricebuy),
                },
                "is_update": yn(is_update),
            }))
        }
        "editTrans" => {
            let reason = lenient_str(data.get("reason"));
            let location = lenient_str(data.get("location_id"));
            let supplier = lenient_str(data.get("supplier_id"));
            let business = lenient_str(data.get("business_id"));
            let p = w.persons.get(person).cloned();
            let reason = match reason.as_deref() {
                None => None,
                Some(r) => match p.as_ref().and_then(|p| p.reasons.iter().find(|x| **x == r)) {
                    Some(r) => Some(*r),
                    None => return coded("NOT_PERMISSION_SELECT_THIS_REASON"),
                },
            };
            if let Some(l) = &location
                && !p.as_ref().is_some_and(|p| p.locations.contains_key(l))
            {
                return coded("NOT_PERMISSION_SELECT_THIS_LOCATION");
            }
            let supplier = match supplier {
                None => None,
                Some(s) => match s
                    .parse::<u64>()
                    .ok()
                    .filter(|i| w.suppliers.contains_key(i))
                {
                    Some(i) => Some(i),
                    None => return coded("NOT_FOUND_SUPPLIER"),
                },
            };
            if let Some(b) = &business
                && !w.businesses.contains_key(b)
            {
                return coded("NOT_FOUND_BUSINESS");
            }
            let Some(t) = w.temps.get_mut(&trans_id) else {
                return coded("ERROR");
            };
            if let Some(r) = reason {
                t.reason = r;
            }
            if location.is_some() {
                t.location = location;
            }
            if supplier.is_some() {
                t.supplier = supplier;
            }
            if business.is_some() {
                t.business = business;
            }
            if let Some(n) = data.get("note").and_then(Value::as_str) {
                t.note = n.to_owned();
            }
            let info = w.current_json(&trans_id)["current_trans"]["trans_info"].clone();
            let mut info = info.as_object().cloned().unwrap_or_default();
            for k in ["id", "reason", "person_name"] {
                info.remove(k);
            }
            ok(json!({ "result": "SUCCESS", "trans_info": info }))
        }
        // The document spells it both ways.
        "editUnits" | "editUnit" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            let units = match units("units") {
                Ok(u) => u,
                Err(r) => return r,
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.lines[i].units = units;
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "editPricebuy" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            let price = match lenient_dec(data.get("pricebuy")) {
                Some(Ok(p)) if !p.is_sign_negative() => p,
                Some(_) => return invalid("pricebuy", "The input is not a valid price"),
                None => return invalid("pricebuy", "Value is required and can't be empty"),
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.lines[i].pricebuy = Some(price);
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "editUpdateProduct" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            let flag = |k: &str| match lenient_str(data.get(k)).as_deref() {
                Some("Y") => Ok(Some(true)),
                Some("N") => Ok(Some(false)),
                None => Ok(None),
                Some(_) => Err(invalid(k, "Y or N")),
            };
            let (us, up) = match (flag("update_supplier"), flag("update_pricebuy")) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(r), _) | (_, Err(r)) => return r,
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                if let Some(v) = us {
                    t.lines[i].update_supplier = v;
                }
                if let Some(v) = up {
                    t.lines[i].update_pricebuy = v;
                }
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "deleteLine" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.lines.remove(i);
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "forwardTrans" => {
            let Some(to) = lenient_str(data.get("person_id")) else {
                return invalid("person_id", "Value is required and can't be empty");
            };
            if !w.persons.contains_key(&to) {
                return coded("PERSON_NOT_FOUND");
            }
            if to == person {
                return coded("NOT_FORWARD_YOURSELF");
            }
            if w.temps.get(&trans_id).is_none_or(|t| t.lines.is_empty()) {
                return coded("TRANS_NOT_ITEM");
            }
            let from = w.persons.get(person).map(|p| p.name.clone());
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.owner = to;
                t.shared_by = from;
            }
            let fresh = w.new_temp(person);
            if let Some(p) = w.persons.get_mut(person) {
                p.current = Some(fresh.clone());
            }
            ok(w.current_json(&fresh))
        }
        "createNewTrans" => {
            let fresh = w.new_temp(person);
            if let Some(p) = w.persons.get_mut(person) {
                p.current = Some(fresh.clone());
            }
            ok(w.current_json(&fresh))
        }
        "importProduct" => {
            // The document: "a JSON string of [{reference, units, pricebuy?}]".
            let Some(Value::String(text)) = data.get("products") else {
                return invalid("products", "A JSON string is required");
            };
            let Ok(Value::Array(rows)) = serde_json::from_str::<Value>(text) else {
                return coded("ERROR");
            };
            let mut seen: Vec<String> = Vec::new();
            let mut parsed = Vec::new();
            for row in &rows {
                let reference = lenient_str(row.get("reference")).unwrap_or_default();
                if seen.contains(&reference) {
                    return coded("DUPLICATE_REFERENCE");
                }
                seen.push(reference.clone());
                let units = match lenient_dec(row.get("units")) {
                    Some(Ok(u)) if u > Decimal::ZERO => u,
                    _ => return coded("INCORRECT_UNITS"),
                };
                let price = match lenient_dec(row.get("pricebuy")) {
                    None => None,
                    Some(Ok(p)) if !p.is_sign_negative() => Some(p),
                    Some(_) => return coded("INCORRECT_PRICEBUY"),
                };
                let Some(product) = w.products.iter().position(|p| p.code == reference) else {
                    return coded("NOT_FOUND_PRODUCT");
                };
                parsed.push((product, units, price));
            }
            for (product, units, price) in parsed {
                let n = w.next();
                let Some(t) = w.temps.get_mut(&trans_id) else {
                    return coded("ERROR");
                };
                match t.lines.iter_mut().find(|l| l.product == product) {
                    Some(l) => {
                        l.units += units;
                        if price.is_some() {
                            l.pricebuy = price;
                        }
                    }
                    None => t.lines.push(Line {
                        id: n.to_string(),
                        product,
                        units,
                        pricebuy: price,
                        update_supplier: true,
                        update_pricebuy: true,
                    }),
                }
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        _ => invalid("action", "The action is not one of the documented actions"),
    }
}

fn purchase(w: &mut World, person: &str, key: &str, data: &Map<String, Value>) -> Reply {
    let id = lenient_str(data.get("purchase_temp_id"))
        .or_else(|| lenient_str(data.get("trans_temp_id")));
    let current = w.persons.get(person).and_then(|p| p.current.clone());
    let Some(id) = id.filter(|i| current.as_deref() == Some(i.as_str())) else {
        return coded("PURCHASE_TEMP_INVALID");
    };
    if !w.has_access(person, key) {
        return coded("NOT_CURRENT_ACCESS_TOKEN");
    }
    let method = lenient_str(data.get("payment_method")).unwrap_or_default();
    if method != "cash" && method != "debt" {
        return invalid("payment_method", "cash or debt");
    }
    let Some(t) = w.temps.get(&id).cloned() else {
        return coded("PURCHASE_TEMP_INVALID");
    };
    let Some(location) = &t.location else {
        return coded("REQUIRED_LOCATION_ID");
    };
    if !w
        .persons
        .get(person)
        .is_some_and(|p| p.locations.contains_key(location))
    {
        return coded("NOT_PERMISSION_SELECT_THIS_LOCATION");
    }
    let Some(supplier_id) = t.supplier else {
        return coded("REQUIRED_SUPPLIER_ID");
    };
    let Some(supplier) = w.suppliers.get(&supplier_id).cloned() else {
        return coded("NOT_FOUND_SUPPLIER");
    };
    if let Some(b) = &t.business
        && !w.businesses.contains_key(b)
    {
        return coded("NOT_FOUND_BUSINESS");
    }
    if t.lines.is_empty() {
        return coded("PURCHASE_TEMP_NOT_ITEM");
    }
    if t.lines.iter().any(|l| l.units <= Decimal::ZERO) {
        return coded("REQUEST_UNITS_GREATER_0");
    }
    let total: Decimal = t
        .lines
        .iter()
        .map(|l| l.units * l.pricebuy.unwrap_or_default())
        .sum();
    if method == "debt" && supplier.curdebt + total > supplier.maxdebt {
        return coded("DEBT_NOT_GREATER_MAXDEBT");
    }
    if method == "debt"
        && let Some(s) = w.suppliers.get_mut(&supplier_id)
    {
        s.curdebt += total;
    }
    let lines = t
        .lines
        .iter()
        .map(|l| {
            (
                w.products[l.product].code.clone(),
                l.units,
                l.pricebuy.unwrap_or_default(),
            )
        })
        .collect();
    w.orders.push(SandboxOrder {
        trans_id: id.clone(),
        supplier_id,
        payment_method: method,
        total,
        lines,
    });
    w.temps.remove(&id);
    let fresh = w.new_temp(person);
    if let Some(p) = w.persons.get_mut(person) {
        p.current = Some(fresh);
    }
    Reply {
        status: StatusCode::CREATED,
        ..ok(json!({ "result": "SUCCESS" }))
    }
}

fn supplier_action(w: &mut World, id: &str, data: &Map<String, Value>) -> Reply {
    let Some(sid) = id
        .parse::<u64>()
        .ok()
        .filter(|i| w.suppliers.contains_key(i))
    else {
        return problem(404, Some("NOT_FOUND_SUPPLIER"), "NOT_FOUND_SUPPLIER");
    };
    let Some(action) = lenient_str(data.get("action")) else {
        return invalid("action", "Value is required and can't be empty");
    };
    let required = |k: &str| {
        lenient_str(data.get(k)).ok_or_else(|| invalid(k, "Value is required and can't be empty"))
    };
    let Some(s) = w.suppliers.get_mut(&sid) else {
        return coded("NOT_FOUND_SUPPLIER");
    };
    match action.as_str() {
        "editName" => match required("name") {
            Ok(n) => s.name = n,
            Err(r) => return r,
        },
        "editCode" => match (required("searchkey"), required("taxid")) {
            (Ok(k), Ok(t)) => {
                s.searchkey = k;
                s.taxid = t;
            }
            (Err(r), _) | (_, Err(r)) => return r,
        },
        "editVisible" => match required("visible").as_deref() {
            Ok("Y") => s.visible = true,
            Ok("N") => s.visible = false,
            Ok(_) => return invalid("visible", "Y or N"),
            Err(_) => return invalid("visible", "Value is required and can't be empty"),
        },
        "editMaxDebt" => match lenient_dec(data.get("maxdebt")) {
            Some(Ok(m)) if !m.is_sign_negative() => s.maxdebt = m,
            Some(_) => return invalid("maxdebt", "The input is not a valid amount"),
            None => return invalid("maxdebt", "Value is required and can't be empty"),
        },
        "updateCurdebt" => {
            let method = match required("payment_method") {
                Ok(m) if m == "debt" || m == "debtpaid" => m,
                Ok(_) => return invalid("payment_method", "debt or debtpaid"),
                Err(r) => return r,
            };
            let debt = match lenient_dec(data.get("debt")) {
                Some(Ok(d)) if d > Decimal::ZERO => d,
                Some(_) => return invalid("debt", "The input is not greater than 0"),
                None => return invalid("debt", "Value is required and can't be empty"),
            };
            if method == "debt" {
                if s.curdebt + debt > s.maxdebt {
                    return coded("DEBT_NOT_GREATER_MAXDEBT");
                }
                s.curdebt += debt;
            } else {
                if debt > s.curdebt {
                    return coded("DEBT_NOT_GREATER_CURDEBT");
                }
                s.curdebt -= debt;
            }
        }
        "editContactInfo" => {
            for (k, slot) in [
                ("phone", &mut s.phone),
                ("region", &mut s.region),
                ("city", &mut s.city),
                ("address", &mut s.address),
            ] {
                if let Some(v) = lenient_str(data.get(k)) {
                    *slot = v;
                }
            }
        }
        _ => return invalid("action", "The action is not one of the documented actions"),
    }
    ok(json!({ "result": "SUCCESS" }))
}
