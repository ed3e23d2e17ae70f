//! A stateful in-process fake of the NoomService API (feature `sandbox`), for your own tests.
//!
//! It serves `POST /api/` on `127.0.0.1` and reads `act` and the parameters from the query
//! string and the form body. It is as strict as the vendor's document, so that it proves the
//! client's default against the documented wire format, and answers with the documented messages:
//!
//! - **Access token in the query.** The document: "Access token must be provided as part of the
//!   query string for all requests, using the 'accesstoken' variable". The sandbox reads
//!   `accesstoken` from the query string only; a token in the body counts as missing. A server
//!   may be configured to read it from the body too: [`SandboxBuilder::accept_token_in_body`]
//!   (needed by the client's `ParamPlacement::Body`).
//! - **Parameter names as the tables give them.** `ODOC_SETDATA` rows carry the batch as
//!   `bach_id` (its attribute table; a `batch_id` attribute there is not the batch, so
//!   `ODOC_COMPLETE` then answers "… BACH_ID on NULL!"); `ODOC_ITEMSALE` takes `batch_id`;
//!   `ODOC_GETDOC` returns rows with `batch_id` (its example). `ODOC_NEW` reads
//!   `realated.docuid` (sic), `ODOC_ADDEVENT` `de_sourcetype_id`, `ODOC_MODIFY` `docuid`: the
//!   examples' other spellings (`DOCUID`, `de_sourcetype`) are not read.
//!
//! - **Login and tokens.** `USERACCESS` with [`SANDBOX_USER`] / [`SANDBOX_PASSWORD`] (or your own
//!   users, [`SandboxBuilder::user`]) returns a fresh access token; wrong credentials give
//!   `"Invalid user or password!"`. Any other act with a missing or unknown token gives
//!   [`TOKEN_REJECTED_MSG`] (`"Invalid or expired accesstoken!"`) and does nothing: the vendor
//!   documents no such message, this is the crate's assumption (see [`crate::error`]).
//!   [`Sandbox::expire_tokens`] invalidates every token, as a server restart or a timeout would.
//! - **Open documents.** `ODOC_NEW` checks the document type and type status against the
//!   privileges table ([`default_privileges`]; otherwise `"NEW LS.9 You do not have privileges
//!   to do this operation!"`) and returns a docuid. Open documents belong to the user the token
//!   was issued to, so a document opened before a re-login stays reachable; another user gets
//!   `"Invalid UID: …"`. `ODOC_LIST` lists the user's open documents.
//! - **Rows.** `ODOC_ITEMSALE` (by `batch_id` or `searchcode`, price defaulting to the catalogue
//!   price, quantity to 1, `rowno` inserting at that position or appending),
//!   `ODOC_BARCODESALE` (`doinsert=1` inserts at `rowno`, `0` replaces the item of that row),
//!   `ODOC_ITEMSETQTY`, `ODOC_ROWDEL` and `ODOC_SETDATA` (`document`, `header`, `rows`, `row`).
//!   An unknown row gives the vendor's documented failure text `"Request sent and answer
//!   received."`. Quantities and prices are read with a decimal comma or point.
//! - **Payments and events.** `ODOC_GETPAYMODES` answers the vendor's example (modes `C`, `B`,
//!   `U`, `G`); `ODOC_SETPAYMENT` accepts those modes; `ODOC_ADDEVENT` records events.
//! - **Complete and cancel.** `ODOC_COMPLETE` refuses a row without a batch
//!   (`"Cannot save document! Document row 1: BACH_ID on NULL!"`), else saves the document,
//!   assigns a dhid and closes it; `ODOC_CANCEL` drops the changes (and a never-saved document).
//!   `ODOC_MODIFY` reopens a saved document (`"Document does not exist …"` otherwise).
//! - **State changes.** `DOCCHANGESTATE` by `docuid`, `dhid` or `dochid` sets the state of a
//!   saved document; a state outside [`default_states`] gives `"Invalid document state ID value:
//!   '2'"`.
//! - `ODOC_GETDOC` answers in the shape of the vendor's example: `rows.row` and
//!   `payments.payment` are one object for one entry and an array for several; payment amounts
//!   are decimal-comma strings (`"15,00"`); `getdoc=1` on a write or on `ODOC_GETPAYMODES` adds
//!   `data.getdocdata`.
//!
//! Every request is journaled and faults can be injected per route through the
//! [`pos_client_core::sandbox`] kit: routes are `Route::path("/api/").param("act", "ODOC_COMPLETE")`
//! ([`Sandbox::act`] builds them).
//!
//! [`Sandbox`] implements [`pos_client_core::sandbox::Exercise`] for the workspace's reliability
//! suite: every act of [`crate::models::OPERATIONS`] run under each fault of the kit, and the
//! client's decoding of each act run offline over the vendor document's examples and the
//! sandbox's own answers.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use noom_client::requests::ItemSale;
//! use noom_client::sandbox::Sandbox;
//! use noom_client::{DocState, DocType};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let doc = client.new_document(&DocType::new("LS")?, &DocState::new("2T")?).await?;
//! doc.item_sale(&ItemSale::new().search_code("GA0004")).await?;
//! let dhid = doc.complete().await?;
//! assert!(sandbox.saved_dhids().contains(&dhid.get()));
//! assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 1);
//! # Ok(())
//! # }
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::chrono::{Local, NaiveDateTime};
use pos_client_core::encoding::{DOTTED_DATE, DOTTED_DATE_TIME, parse_decimal};
use pos_client_core::http::{HeaderMap, Uri, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use pos_client_core::sandbox::{Journal, SandboxServer};
use serde_json::{Map, Value, json};

pub use pos_client_core::sandbox::{Fault, Faults, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder};
use crate::error::Error;

/// The reliability suite's view of the sandbox (`pos_client_core::sandbox::Exercise`).
mod exercise;

/// The API user the sandbox accepts by default.
pub const SANDBOX_USER: &str = "APITEST";

/// The password of [`SANDBOX_USER`].
pub const SANDBOX_PASSWORD: &str = "noom-sandbox-password";

/// The message the sandbox answers to a missing, unknown or expired access token.
pub const TOKEN_REJECTED_MSG: &str = "Invalid or expired accesstoken!";

/// The documented failure text of `ODOC_ITEMSETQTY` and `ODOC_ROWDEL` (an unknown row).
pub const ROW_FAILURE_MSG: &str = "Request sent and answer received.";

/// The first docuid the sandbox hands out (`0001077484`, as in the vendor's example).
pub const FIRST_DOCUID: u64 = 1_077_484;

/// The first dhid `ODOC_COMPLETE` assigns.
pub const FIRST_DHID: u64 = 3_443_324;

/// One product batch of the sandbox's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxItem {
    /// Batch id (`batch_id`).
    pub batch_id: u64,
    /// Product id (`product_id`).
    pub product_id: u64,
    /// Search code (`searchcode`).
    pub searchcode: String,
    /// Barcode (`barcode`).
    pub barcode: String,
    /// Name (row `text`).
    pub name: String,
    /// Unit price with VAT.
    pub price: Decimal,
    /// VAT rate in percent.
    pub vat_rate: Decimal,
}

impl SandboxItem {
    /// A catalogue entry with 20 % VAT.
    pub fn new(
        batch_id: u64,
        searchcode: impl Into<String>,
        barcode: impl Into<String>,
        name: impl Into<String>,
        price: Decimal,
    ) -> Self {
        SandboxItem {
            batch_id,
            product_id: batch_id + 10_000,
            searchcode: searchcode.into(),
            barcode: barcode.into(),
            name: name.into(),
            price,
            vat_rate: Decimal::from(20),
        }
    }
}

/// The catalogue [`Sandbox::start`] seeds, with the codes of the vendor's examples: batch 5797
/// (`GA0004`, barcode `60100000`), batch 34463 (`601264`, barcode `60104410`), batch 58
/// (`GA0058`) and one more.
pub fn default_catalogue() -> Vec<SandboxItem> {
    vec![
        SandboxItem::new(
            5797,
            "GA0004",
            "60100000",
            "Coffee beans 1 kg",
            Decimal::new(867, 2),
        ),
        SandboxItem::new(34463, "601264", "60104410", "Test (Tst)", Decimal::from(3)),
        SandboxItem::new(
            58,
            "GA0058",
            "4740000000058",
            "Green tea 100 g",
            Decimal::new(115, 1),
        ),
        SandboxItem::new(
            59,
            "GA0059",
            "4740000000059",
            "Ceramic mug",
            Decimal::new(650, 2),
        ),
    ]
}

/// The document types and type statuses `ODOC_NEW` accepts by default: `LS` (sales) with `0`,
/// `1`, `2T`; `LV` with `0`, `12`; `LI` with `0`, `1`.
pub fn default_privileges() -> Vec<(String, Vec<String>)> {
    [
        ("LS", &["0", "1", "2T"][..]),
        ("LV", &["0", "12"][..]),
        ("LI", &["0", "1"][..]),
    ]
    .into_iter()
    .map(|(t, s)| (t.to_owned(), s.iter().map(|s| (*s).to_owned()).collect()))
    .collect()
}

/// The document state table `DOCCHANGESTATE` accepts by default: `0`, `1`, `3`, `K`.
/// (`2` is refused, as in the vendor's example.)
pub fn default_states() -> Vec<String> {
    ["0", "1", "3", "K"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

/// Configures a [`Sandbox`] before it starts.
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    users: Vec<(String, String)>,
    catalogue: Vec<SandboxItem>,
    privileges: Vec<(String, Vec<String>)>,
    states: Vec<String>,
    token_in_body: bool,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field(
                "users",
                &self
                    .users
                    .iter()
                    .map(|(u, _)| u.as_str())
                    .collect::<Vec<_>>(),
            )
            .field("catalogue", &self.catalogue)
            .field("privileges", &self.privileges)
            .field("states", &self.states)
            .field("token_in_body", &self.token_in_body)
            .finish()
    }
}

impl SandboxBuilder {
    /// Adds (or replaces) an API user.
    pub fn user(mut self, user: impl Into<String>, password: impl Into<String>) -> Self {
        let user = user.into();
        self.users.retain(|(u, _)| *u != user);
        self.users.push((user, password.into()));
        self
    }

    /// Replaces the catalogue.
    pub fn catalogue(mut self, items: impl IntoIterator<Item = SandboxItem>) -> Self {
        self.catalogue = items.into_iter().collect();
        self
    }

    /// Replaces the privileges table: document types with their allowed type statuses.
    pub fn privileges(mut self, table: Vec<(String, Vec<String>)>) -> Self {
        self.privileges = table;
        self
    }

    /// Replaces the document state table of `DOCCHANGESTATE`.
    pub fn states(mut self, states: Vec<String>) -> Self {
        self.states = states;
        self
    }

    /// Also reads `accesstoken` from the form body (default `false`: from the query string
    /// only, as the vendor documents). Turn on to test the client's `ParamPlacement::Body`.
    pub fn accept_token_in_body(mut self, accept: bool) -> Self {
        self.token_in_body = accept;
        self
    }

    /// Starts the server on `127.0.0.1:0` (on the current tokio runtime).
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let shared = self.shared();
        let router = Router::new()
            .route("/api/", post(handle))
            .route("/api", post(handle))
            .with_state(shared.clone());
        let server = SandboxServer::start(router).await?;
        Ok(Sandbox { server, shared })
    }

    /// The sandbox's state, before any server serves it.
    fn shared(self) -> Arc<Shared> {
        Arc::new(Shared {
            token_in_body: self.token_in_body,
            state: Mutex::new(Store {
                users: self.users.into_iter().collect(),
                tokens: HashMap::new(),
                catalogue: self.catalogue,
                privileges: self.privileges,
                states: self.states,
                docs: BTreeMap::new(),
                next_token: 1,
                next_uid: FIRST_DOCUID,
                next_dhid: FIRST_DHID,
                next_id: 22_359_320,
            }),
        })
    }
}

/// The running sandbox. Stops when dropped.
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

struct Shared {
    /// Whether `accesstoken` is also read from the form body.
    token_in_body: bool,
    state: Mutex<Store>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Store> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

struct Store {
    users: HashMap<String, String>,
    /// token -> user
    tokens: HashMap<String, String>,
    catalogue: Vec<SandboxItem>,
    privileges: Vec<(String, Vec<String>)>,
    states: Vec<String>,
    docs: BTreeMap<String, Doc>,
    next_token: u64,
    next_uid: u64,
    next_dhid: u64,
    next_id: u64,
}

#[derive(Debug, Clone)]
struct Doc {
    owner: String,
    dhid: Option<u64>,
    saved: Option<Body>,
    open: Option<Body>,
}

#[derive(Debug, Clone)]
struct Body {
    doctype: String,
    docst: String,
    docstate: String,
    header: Map<String, Value>,
    rows: Vec<Row>,
    payments: Vec<Pay>,
    events: Vec<Map<String, Value>>,
    created: NaiveDateTime,
    documentno: Option<String>,
}

#[derive(Debug, Clone)]
struct Row {
    id: u64,
    batch_id: Option<u64>,
    product_id: Option<u64>,
    searchcode: Option<String>,
    barcode: Option<String>,
    text: Option<String>,
    quantity: Decimal,
    price: Decimal,
    price_fixed: bool,
    vat_rate: Decimal,
    object_id: Option<String>,
    time: NaiveDateTime,
}

#[derive(Debug, Clone)]
struct Pay {
    mode: String,
    kind: String,
    amount: Decimal,
    currency: String,
    modeex: String,
    additional_id: String,
    datetime: String,
    created: NaiveDateTime,
    id: u64,
}

/// A document as the sandbox holds it, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SandboxDocument {
    /// The docuid.
    pub docuid: String,
    /// The user who owns it.
    pub owner: String,
    /// The dhid, once completed.
    pub dhid: Option<u64>,
    /// Whether it is open for editing.
    pub open: bool,
    /// Document type of the saved (else the open) version.
    pub doctype: String,
    /// Document state (`docstate_id`) of the saved (else the open) version.
    pub state: String,
    /// Number of rows of the saved (else the open) version.
    pub rows: usize,
    /// Total of the saved (else the open) version.
    pub amount: Decimal,
    /// Sum of the payments of the saved (else the open) version.
    pub paid: Decimal,
    /// Number of events of the saved (else the open) version.
    pub events: usize,
}

impl Sandbox {
    /// Starts a sandbox with [`SANDBOX_USER`], the [default catalogue](default_catalogue), the
    /// [default privileges](default_privileges) and [states](default_states).
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder: users, catalogue, privileges and states.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            users: vec![(SANDBOX_USER.to_owned(), SANDBOX_PASSWORD.to_owned())],
            catalogue: default_catalogue(),
            privileges: default_privileges(),
            states: default_states(),
            token_in_body: false,
        }
    }

    /// The route of one act, for the journal and faults:
    /// `Route::path("/api/").param("act", act)`.
    pub fn act(act: &str) -> Route {
        Route::path("/api/").param("act", act)
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        format!("{}api/", self.server.base_url())
    }

    /// A client builder pointed at the sandbox with [`SANDBOX_USER`] and
    /// [`RetryPolicy::without_delays`], to adjust before building.
    pub fn client_builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.base_url())
            .user(SANDBOX_USER)
            .password(SANDBOX_PASSWORD)
            .retry_policy(RetryPolicy::without_delays())
    }

    /// A client pointed at the sandbox (the documented placement: `act` and `accesstoken` in the
    /// query, the rest in the body; decimal comma; no retry delays).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// The journal of received requests (all on path `/api/`; see [`Sandbox::act`]).
    pub fn journal(&self) -> Journal {
        self.server.journal()
    }

    /// The fault queue (see [`Sandbox::act`] for routes).
    pub fn faults(&self) -> Faults {
        self.server.faults()
    }

    /// TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.server.connections()
    }

    /// The underlying kit server.
    pub fn server(&self) -> &SandboxServer {
        &self.server
    }

    /// Invalidates every access token; the next call of any client is refused with
    /// [`TOKEN_REJECTED_MSG`].
    pub fn expire_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// The number of access tokens currently valid.
    pub fn active_tokens(&self) -> usize {
        self.shared.lock().tokens.len()
    }

    /// Every document, ordered by docuid.
    pub fn documents(&self) -> Vec<SandboxDocument> {
        let store = self.shared.lock();
        store
            .docs
            .iter()
            .filter_map(|(uid, doc)| {
                let body = doc.saved.as_ref().or(doc.open.as_ref())?;
                Some(SandboxDocument {
                    docuid: uid.clone(),
                    owner: doc.owner.clone(),
                    dhid: doc.dhid,
                    open: doc.open.is_some(),
                    doctype: body.doctype.clone(),
                    state: body.docstate.clone(),
                    rows: body.rows.len(),
                    amount: body.amount(),
                    paid: body.paid(),
                    events: body.events.len(),
                })
            })
            .collect()
    }

    /// One document by docuid.
    pub fn document(&self, docuid: &str) -> Option<SandboxDocument> {
        self.documents().into_iter().find(|d| d.docuid == docuid)
    }

    /// The `de_source_id` of each event of a document (its open version, else the saved one),
    /// in the order the events were added; an event without one is left out.
    pub fn event_source_ids(&self, docuid: &str) -> Vec<String> {
        let store = self.shared.lock();
        let Some(body) = store
            .docs
            .get(docuid)
            .and_then(|d| d.open.as_ref().or(d.saved.as_ref()))
        else {
            return Vec::new();
        };
        body.events
            .iter()
            .filter_map(|e| e.get("de_source_id").and_then(Value::as_str))
            .map(str::to_owned)
            .collect()
    }

    /// The docuids of the open documents (of every user).
    pub fn open_docuids(&self) -> Vec<String> {
        self.documents()
            .into_iter()
            .filter(|d| d.open)
            .map(|d| d.docuid)
            .collect()
    }

    /// The dhids of the saved documents.
    pub fn saved_dhids(&self) -> Vec<u64> {
        self.documents()
            .into_iter()
            .filter_map(|d| d.dhid)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn round2(d: Decimal) -> Decimal {
    d.round_dp(2)
}

/// A JSON number with the decimal's text (exact for the sandbox's magnitudes).
fn num(d: Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
}

/// `15,00`: the decimal-comma text NOOM uses for payment amounts.
fn comma2(d: Decimal) -> String {
    format!("{:.2}", round2(d)).replace('.', ",")
}

fn one_or_many(mut items: Vec<Value>) -> Option<Value> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(Value::Array(items)),
    }
}

impl Row {
    fn amount(&self) -> Decimal {
        round2(self.quantity * self.price)
    }

    fn to_json(&self, rowno: usize, minimal: bool) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id.to_string()));
        m.insert("rowno".into(), json!(rowno));
        if let Some(b) = self.batch_id {
            m.insert("batch_id".into(), json!(b));
        }
        if let Some(p) = self.product_id {
            m.insert("product_id".into(), json!(p));
        }
        m.insert("quantity".into(), num(self.quantity));
        m.insert("price".into(), num(self.price));
        m.insert("amount".into(), num(self.amount()));
        if minimal {
            return Value::Object(m);
        }
        let divisor = Decimal::ONE + self.vat_rate / Decimal::from(100);
        let netprice = (self.price / divisor).round_dp(4);
        let netamount = round2(self.amount() / divisor);
        m.insert("price1".into(), num(self.price));
        m.insert("priceclassprice".into(), num(self.price));
        m.insert("measurunit_id".into(), json!("TK"));
        if let Some(s) = &self.searchcode {
            m.insert("searchcode".into(), json!(s));
        }
        if let Some(t) = &self.text {
            m.insert("text".into(), json!(t));
        }
        m.insert(
            "vat_id".into(),
            json!(self.vat_rate.normalize().to_string()),
        );
        m.insert("netprice".into(), num(netprice));
        m.insert(
            "pricefixed".into(),
            json!(if self.price_fixed { "+" } else { "-" }),
        );
        m.insert("unique_id".into(), json!(format!("{:010}", self.id)));
        m.insert("service".into(), json!("-"));
        if let Some(b) = &self.barcode {
            m.insert("barcode".into(), json!(b));
        }
        m.insert("netamount".into(), num(netamount));
        m.insert("vatrate".into(), num(self.vat_rate));
        m.insert("vatamount".into(), num(self.amount() - netamount));
        if let Some(o) = &self.object_id {
            m.insert("object_id".into(), json!(o));
        }
        m.insert(
            "transactiontime".into(),
            json!(self.time.format(DOTTED_DATE_TIME).to_string()),
        );
        Value::Object(m)
    }
}

fn mode_name(mode: &str) -> &'static str {
    match mode {
        "C" => "Cash",
        "B" => "Bank Card",
        "U" => "Customer Card",
        "G" => "Gift certificate",
        _ => "",
    }
}

impl Pay {
    fn to_json(&self, user: &str) -> Value {
        json!({
            "paymentdatetime": self.datetime,
            "paymenttype": self.kind,
            "paymenttypename": if self.kind == "P" { "Payment" } else { "" },
            "paymentmode": self.mode,
            "paymentmodename": mode_name(&self.mode),
            "paymentmodeex": self.modeex,
            "amount": comma2(self.amount),
            "amountincurrency": comma2(self.amount),
            "currency_id": self.currency,
            "text": self.additional_id,
            "creationdatetime": self.created.format(DOTTED_DATE_TIME).to_string(),
            "unique_id": format!("{:010}", self.id),
            "location_id": "TST",
            "workplace_id": "API",
            "user_id": user,
        })
    }
}

impl Body {
    fn new(doctype: &str, docst: &str) -> Self {
        Body {
            doctype: doctype.to_owned(),
            docst: docst.to_owned(),
            docstate: "0".to_owned(),
            header: Map::new(),
            rows: Vec::new(),
            payments: Vec::new(),
            events: Vec::new(),
            created: Local::now().naive_local(),
            documentno: None,
        }
    }

    fn amount(&self) -> Decimal {
        self.rows.iter().map(Row::amount).sum()
    }

    fn paid(&self) -> Decimal {
        self.payments.iter().map(|p| p.amount).sum()
    }

    /// The `data` of `ODOC_GETDOC` in the shape of the vendor's example.
    fn to_json(&self, uid: &str, dhid: Option<u64>, user: &str, what: &str) -> Value {
        let minimal = what == "2";
        let rows = one_or_many(
            self.rows
                .iter()
                .enumerate()
                .map(|(i, r)| r.to_json(i + 1, minimal))
                .collect(),
        );
        let mut document = Map::new();
        if what == "1" || what == "2" {
            if let Some(rows) = rows {
                document.insert("rows".into(), json!({ "row": rows }));
            }
        } else {
            document.insert("documentname".into(), json!("Sandbox document"));
            document.insert(
                "company".into(),
                json!({
                    "searchcode": "27864", "regno": "10000000", "name": "NOOM SANDBOX",
                    "address": "TEST 7", "vatregno": "EE1000000", "wwwaddr": "www.test.ee",
                    "address1": "Test 7", "address2": "", "city": "Tallinn", "zip": "60000",
                    "county": "Harjumaa", "country_id": "EST"
                }),
            );
            let datetime = self
                .header
                .get("datetime")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| self.created.format(DOTTED_DATE_TIME).to_string());
            let mut header = json!({
                "id": dhid.map(|d| d.to_string()).unwrap_or_default(),
                "doctype_id": self.doctype,
                "status_id": self.docst,
                "location_id": "TST",
                "datetime": datetime,
                "documentno": self.documentno.clone().unwrap_or_default(),
                "location": {
                    "searchcode": "TST", "name": "Test äri", "address": "TEST", "address1": "Test",
                    "city": "Tallinn", "zip": "60000", "county": "Harjumaa", "country_id": "EST"
                },
                "locationcontact": {
                    "name": "Astro Test 2", "phone": "55667788", "email": "test@noom.ee",
                    "searchcode": "34694"
                },
                "object_id": "TESH",
                "currency_id": "EUR",
                "language_id": "ET",
                "docstate_id": self.docstate,
                "unique_id": uid,
                "stockdirection": "O",
                "stockentrytype": "O",
                "creationdatetime": self.created.format(DOTTED_DATE_TIME).to_string(),
                "workplace_id": "API",
                "user_id": user,
            });
            if let Value::Object(h) = &mut header {
                for (k, v) in &self.header {
                    h.insert(k.clone(), v.clone());
                }
                if h.contains_key("customer_id") {
                    h.insert(
                        "customer".into(),
                        json!({
                            "searchcode": "ASTRO", "regno": "10386779", "name": "Astro Baltics OÜ",
                            "address": "Raatuse tn 20, Tartu linn Tartu linn 51009 EST",
                            "city": "Tartu linn", "zip": "51009", "country_id": "EST"
                        }),
                    );
                }
            }
            document.insert("header".into(), header);
            if let Some(rows) = rows {
                document.insert("rows".into(), json!({ "row": rows }));
            }
            let payments = one_or_many(self.payments.iter().map(|p| p.to_json(user)).collect());
            if let Some(payments) = payments {
                document.insert("payments".into(), json!({ "payment": payments }));
            }
        }
        json!({
            "amount": num(round2(self.amount())),
            "amounttopay": num(round2(self.amount() - self.paid())),
            "document": document,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Handler

fn envelope(status: u8, msg: &str, data: Value) -> Response {
    Json(json!({ "status": status, "msg": msg, "time": 0.012, "data": data })).into_response()
}

/// A `status: 0` message from an act's inner step.
struct Failure(String);

fn failure(msg: impl AsRef<str>) -> Failure {
    Failure(msg.as_ref().to_owned())
}

fn ok(data: Value) -> Response {
    envelope(1, "", data)
}

fn fail(msg: impl AsRef<str>) -> Response {
    envelope(0, msg.as_ref(), Value::Null)
}

/// The request's parameters: the query string first, then the form body. `accesstoken` is taken
/// from the body only when `token_in_body` (the document puts it in the query string).
fn parameters(
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    token_in_body: bool,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    let query = uri.query().unwrap_or("").as_bytes();
    let form: &[u8] = if is_form { body } else { b"" };
    for (k, v) in url::form_urlencoded::parse(query) {
        out.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    for (k, v) in url::form_urlencoded::parse(form) {
        if k == "accesstoken" && !token_in_body {
            continue;
        }
        out.entry(k.into_owned()).or_insert_with(|| v.into_owned());
    }
    out
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let p = parameters(&uri, &headers, &body, shared.token_in_body);
    dispatch(&shared, &p)
}

/// The answer to one request's parameters (the server's handler, and the exerciser's corpus).
fn dispatch(shared: &Shared, p: &HashMap<String, String>) -> Response {
    let act = p.get("act").map(String::as_str).unwrap_or("");
    let mut store = shared.lock();
    if act == "USERACCESS" {
        return store.user_access(p);
    }
    let user = match p.get("accesstoken").and_then(|t| store.tokens.get(t)) {
        Some(user) => user.clone(),
        None => return fail(TOKEN_REJECTED_MSG),
    };
    let ctx = Ctx { p, user: &user };
    match act {
        "ODOC_NEW" => store.odoc_new(&ctx),
        "ODOC_MODIFY" => store.odoc_modify(&ctx),
        "ODOC_LIST" => store.odoc_list(&ctx),
        "DOCCHANGESTATE" => store.doc_change_state(&ctx),
        "ODOC_SETDATA" | "ODOC_CHECK" | "ODOC_GETDOC" | "ODOC_ITEMSALE" | "ODOC_BARCODESALE"
        | "ODOC_ITEMSETQTY" | "ODOC_ROWDEL" | "ODOC_GETPAYMODES" | "ODOC_SETPAYMENT"
        | "ODOC_ADDEVENT" | "ODOC_CANCEL" | "ODOC_COMPLETE" => store.on_open_document(act, &ctx),
        "" => fail("Missing act"),
        other => fail(format!("Unknown act: {other}")),
    }
}

struct Ctx<'a> {
    p: &'a HashMap<String, String>,
    user: &'a str,
}

impl Ctx<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.p.get(key).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    fn flag(&self, key: &str) -> bool {
        self.get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| v > 0)
    }
}

/// The vendor's `ODOC_GETPAYMODES` example data.
fn payment_modes() -> Value {
    let mode = |id: &str, name: &str| {
        json!({ "id": id, "name": name, "backcolor": "", "older": "", "allowoverpayment": "",
                "privilegeslevel": "", "syspaymentmode": "" })
    };
    json!({
        "paymodescondition": "C,B,G,U",
        "partialpayment": 1,
        "nopayment": 1,
        "paymentmodes": [mode("C", "Cash"), mode("B", "Bank Card"), mode("U", "Customer Card"),
                         mode("G", "Gift certificate")],
    })
}

fn decimal_param(ctx: &Ctx<'_>, key: &str) -> Result<Option<Decimal>, Failure> {
    match ctx.get(key) {
        None => Ok(None),
        Some(v) => parse_decimal(v)
            .map(Some)
            .map_err(|_| failure(format!("Invalid {key} value: {v}"))),
    }
}

fn json_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => parse_decimal(&n.to_string()).ok(),
        Value::String(s) => parse_decimal(s).ok(),
        _ => None,
    }
}

fn json_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Store {
    fn user_access(&mut self, p: &HashMap<String, String>) -> Response {
        let user = p.get("user").map(String::as_str).unwrap_or("");
        let pass = p.get("pass").map(String::as_str).unwrap_or("");
        if self.users.get(user).is_none_or(|pw| pw != pass) {
            return fail("Invalid user or password!");
        }
        let token = format!(
            "sbx{:04}{:012x}",
            self.next_token,
            rand_part(self.next_token, user)
        );
        self.next_token += 1;
        self.tokens.insert(token.clone(), user.to_owned());
        ok(json!({ "accesstoken": token }))
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    fn item_by_batch(&self, batch: u64) -> Option<SandboxItem> {
        self.catalogue.iter().find(|i| i.batch_id == batch).cloned()
    }

    fn row_from_item(
        &mut self,
        item: &SandboxItem,
        quantity: Decimal,
        price: Option<Decimal>,
    ) -> Row {
        Row {
            id: self.next_id(),
            batch_id: Some(item.batch_id),
            product_id: Some(item.product_id),
            searchcode: Some(item.searchcode.clone()),
            barcode: Some(item.barcode.clone()),
            text: Some(item.name.clone()),
            quantity,
            price: price.unwrap_or(item.price),
            price_fixed: price.is_some(),
            vat_rate: item.vat_rate,
            object_id: None,
            time: Local::now().naive_local(),
        }
    }

    /// A row from `objdata` JSON (`ODOC_SETDATA`), merged over `base` when given.
    fn row_from_json(&mut self, v: &Map<String, Value>, base: Option<Row>) -> Row {
        let mut row = base.unwrap_or_else(|| Row {
            id: 0,
            batch_id: None,
            product_id: None,
            searchcode: None,
            barcode: None,
            text: None,
            quantity: Decimal::ONE,
            price: Decimal::ZERO,
            price_fixed: false,
            vat_rate: Decimal::from(20),
            object_id: None,
            time: Local::now().naive_local(),
        });
        if row.id == 0 {
            row.id = self.next_id();
        }
        // The attribute table's spelling: `batch_id` is not a row attribute of ODOC_SETDATA.
        let batch = v.get("bach_id").and_then(json_u64);
        if let Some(batch) = batch {
            row.batch_id = Some(batch);
            if let Some(item) = self.item_by_batch(batch) {
                row.product_id = Some(item.product_id);
                row.searchcode = Some(item.searchcode);
                row.barcode = Some(item.barcode);
                row.text = Some(item.name);
                row.price = item.price;
                row.vat_rate = item.vat_rate;
            }
        }
        if let Some(p) = v.get("product_id").and_then(json_u64) {
            row.product_id = Some(p);
        }
        if let Some(q) = v.get("quantity").and_then(json_decimal) {
            row.quantity = q;
        }
        if let Some(p) = v.get("price").and_then(json_decimal) {
            row.price = p;
            row.price_fixed = true;
        }
        if let Some(o) = v.get("object_id").and_then(Value::as_str) {
            row.object_id = Some(o.to_owned());
        }
        row
    }

    fn odoc_new(&mut self, ctx: &Ctx<'_>) -> Response {
        let doctype = ctx.get("doctype").unwrap_or("");
        let docst = ctx.get("docst").unwrap_or("");
        let allowed = self
            .privileges
            .iter()
            .any(|(t, states)| t == doctype && states.iter().any(|s| s == docst));
        if !allowed {
            return fail(format!(
                "NEW {doctype}.{docst} You do not have privileges to do this operation!"
            ));
        }
        let uid = format!("{:010}", self.next_uid);
        self.next_uid += 1;
        let mut body = Body::new(doctype, docst);
        if let Some(r) = ctx.get("related.dhid") {
            body.header.insert("related_dhid".into(), json!(r));
        }
        // The table's spelling (sic).
        if let Some(r) = ctx.get("realated.docuid") {
            body.header.insert("related_docuid".into(), json!(r));
        }
        self.docs.insert(
            uid.clone(),
            Doc {
                owner: ctx.user.to_owned(),
                dhid: None,
                saved: None,
                open: Some(body),
            },
        );
        ok(json!({ "docuid": uid }))
    }

    fn odoc_modify(&mut self, ctx: &Ctx<'_>) -> Response {
        let uid = ctx.get("docuid").unwrap_or("");
        let Some(doc) = self.docs.get_mut(uid) else {
            return fail(format!("Document does not exist {uid}"));
        };
        let Some(saved) = doc.saved.clone() else {
            return fail(format!("Document does not exist {uid}"));
        };
        if doc.open.is_none() {
            doc.open = Some(saved);
        }
        doc.owner = ctx.user.to_owned();
        ok(json!({ "docuid": uid }))
    }

    fn odoc_list(&self, ctx: &Ctx<'_>) -> Response {
        let list: Vec<Value> = self
            .docs
            .iter()
            .filter(|(_, d)| d.owner == ctx.user && d.open.is_some())
            .map(|(uid, _)| json!({ "docuid": uid }))
            .collect();
        ok(Value::Array(list))
    }

    fn doc_change_state(&mut self, ctx: &Ctx<'_>) -> Response {
        let newstate = ctx.get("newstate").unwrap_or("");
        let key = if let Some(uid) = ctx.get("docuid") {
            self.docs
                .get(uid)
                .filter(|d| d.saved.is_some())
                .map(|_| uid.to_owned())
                .ok_or_else(|| uid.to_owned())
        } else if let Some(id) = ctx.get("dhid").or(ctx.get("dochid")) {
            let dhid = id.parse::<u64>().ok();
            self.docs
                .iter()
                .find(|(_, d)| d.dhid.is_some() && d.dhid == dhid)
                .map(|(uid, _)| uid.clone())
                .ok_or_else(|| id.to_owned())
        } else {
            Err(String::new())
        };
        let uid = match key {
            Ok(uid) => uid,
            Err(missing) => return fail(format!("Document does not exist {missing}")),
        };
        if !self.states.iter().any(|s| s == newstate) {
            return fail(format!("Invalid document state ID value: '{newstate}'"));
        }
        if let Some(doc) = self.docs.get_mut(&uid) {
            for body in [doc.saved.as_mut(), doc.open.as_mut()]
                .into_iter()
                .flatten()
            {
                body.docstate = newstate.to_owned();
            }
        }
        ok(Value::Null)
    }

    fn on_open_document(&mut self, act: &str, ctx: &Ctx<'_>) -> Response {
        let uid = ctx.get("docuid").unwrap_or("").to_owned();
        let is_open = self
            .docs
            .get(&uid)
            .is_some_and(|d| d.owner == ctx.user && d.open.is_some());
        if !is_open {
            return fail(format!("Invalid UID: {uid}"));
        }
        let result = match act {
            "ODOC_CHECK" => Ok(Value::Null),
            "ODOC_GETDOC" => {
                let what = ctx.get("what").unwrap_or("3");
                return ok(self.render(&uid, ctx.user, what));
            }
            "ODOC_GETPAYMODES" => Ok(payment_modes()),
            "ODOC_SETDATA" => self.set_data(&uid, ctx),
            "ODOC_ITEMSALE" => self.item_sale(&uid, ctx),
            "ODOC_BARCODESALE" => self.barcode_sale(&uid, ctx),
            "ODOC_ITEMSETQTY" => self.set_qty(&uid, ctx),
            "ODOC_ROWDEL" => self.row_del(&uid, ctx),
            "ODOC_SETPAYMENT" => self.set_payment(&uid, ctx),
            "ODOC_ADDEVENT" => self.add_event(&uid, ctx),
            "ODOC_CANCEL" => {
                let keep = self.docs.get_mut(&uid).is_some_and(|d| {
                    d.open = None;
                    d.saved.is_some()
                });
                if !keep {
                    self.docs.remove(&uid);
                }
                return ok(Value::Null);
            }
            "ODOC_COMPLETE" => return self.complete(&uid, ctx),
            _ => Ok(Value::Null),
        };
        match result {
            Err(Failure(msg)) => fail(msg),
            Ok(data) if ctx.flag("getdoc") => {
                let mut data = match data {
                    Value::Object(m) => m,
                    _ => Map::new(),
                };
                data.insert("getdocdata".into(), self.render(&uid, ctx.user, "3"));
                ok(Value::Object(data))
            }
            Ok(data) => ok(data),
        }
    }

    fn render(&self, uid: &str, user: &str, what: &str) -> Value {
        match self.docs.get(uid) {
            Some(doc) => match doc.open.as_ref().or(doc.saved.as_ref()) {
                Some(body) => body.to_json(uid, doc.dhid, user, what),
                None => Value::Null,
            },
            None => Value::Null,
        }
    }

    fn open_body(&mut self, uid: &str) -> Result<&mut Body, Failure> {
        self.docs
            .get_mut(uid)
            .and_then(|d| d.open.as_mut())
            .ok_or_else(|| failure(format!("Invalid UID: {uid}")))
    }

    fn set_data(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let objname = ctx.get("objname").unwrap_or("");
        let objdata: Value = serde_json::from_str(ctx.get("objdata").unwrap_or(""))
            .map_err(|e| failure(format!("Invalid objdata: {e}")))?;
        let mut header = None;
        let mut rows: Option<Vec<Value>> = None;
        let mut row = None;
        match (objname, objdata) {
            ("document", Value::Object(mut doc)) => {
                if let Some(Value::Object(h)) = doc.remove("header") {
                    header = Some(h);
                }
                if let Some(Value::Array(r)) = doc.remove("rows") {
                    rows = Some(r);
                }
            }
            ("header", Value::Object(h)) => header = Some(h),
            ("rows", Value::Array(r)) => rows = Some(r),
            ("row", Value::Object(r)) => row = Some(r),
            (name, _) => return Err(failure(format!("Invalid objname or objdata: {name}"))),
        }
        if let Some(h) = header {
            let body = self.open_body(uid)?;
            for (k, v) in h {
                body.header.insert(k, v);
            }
        }
        if let Some(list) = rows {
            let mut built = Vec::new();
            for v in list {
                if let Value::Object(m) = v {
                    built.push(self.row_from_json(&m, None));
                }
            }
            self.open_body(uid)?.rows = built;
        }
        if let Some(m) = row {
            let rowno = m.get("rowno").and_then(json_u64).unwrap_or(0) as usize;
            let existing = self
                .open_body(uid)?
                .rows
                .get(rowno.wrapping_sub(1))
                .cloned();
            let built = self.row_from_json(&m, existing.clone());
            let body = self.open_body(uid)?;
            match existing {
                Some(_) => body.rows[rowno - 1] = built,
                None => body.rows.push(built),
            }
        }
        Ok(Value::Null)
    }

    fn item_sale(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let item = if let Some(batch) = ctx.get("batch_id") {
            let id = batch.parse::<u64>().ok();
            id.and_then(|b| self.item_by_batch(b))
                .ok_or_else(|| failure(format!("Batch not found: {batch}")))?
        } else if let Some(code) = ctx.get("searchcode") {
            self.catalogue
                .iter()
                .find(|i| i.searchcode == code)
                .cloned()
                .ok_or_else(|| failure(format!("Product not found: {code}")))?
        } else {
            return Err(failure("batch_id or searchcode is required"));
        };
        let quantity = decimal_param(ctx, "quantity")?.unwrap_or(Decimal::ONE);
        let price = decimal_param(ctx, "price")?;
        let rowno = ctx.get("rowno").and_then(|r| r.parse::<usize>().ok());
        let row = self.row_from_item(&item, quantity, price);
        let body = self.open_body(uid)?;
        match rowno {
            Some(r) if r >= 1 && r <= body.rows.len() => body.rows.insert(r - 1, row),
            _ => body.rows.push(row),
        }
        Ok(Value::Null)
    }

    fn barcode_sale(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let barcode = ctx.get("barcode").unwrap_or("");
        let item = self
            .catalogue
            .iter()
            .find(|i| i.barcode == barcode)
            .cloned()
            .ok_or_else(|| failure(format!("Barcode not found: {barcode}")))?;
        let quantity = decimal_param(ctx, "quantity")?.unwrap_or(Decimal::ONE);
        let rowno = ctx
            .get("rowno")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(0);
        let insert = ctx.flag("doinsert");
        let row = self.row_from_item(&item, quantity, None);
        let body = self.open_body(uid)?;
        if insert {
            let at = rowno.clamp(1, body.rows.len() + 1);
            body.rows.insert(at - 1, row);
        } else {
            match body.rows.get_mut(rowno.wrapping_sub(1)) {
                Some(slot) => *slot = row,
                None => return Err(failure(ROW_FAILURE_MSG)),
            }
        }
        Ok(Value::Null)
    }

    fn set_qty(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let quantity = decimal_param(ctx, "quantity")?.ok_or_else(|| failure(ROW_FAILURE_MSG))?;
        let rowno = ctx
            .get("rowno")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(0);
        let body = self.open_body(uid)?;
        let row = body
            .rows
            .get_mut(rowno.wrapping_sub(1))
            .ok_or_else(|| failure(ROW_FAILURE_MSG))?;
        row.quantity = quantity;
        Ok(Value::Null)
    }

    fn row_del(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let rowno = ctx
            .get("rowno")
            .and_then(|r| r.parse::<usize>().ok())
            .unwrap_or(0);
        let body = self.open_body(uid)?;
        if rowno == 0 || rowno > body.rows.len() {
            return Err(failure(ROW_FAILURE_MSG));
        }
        body.rows.remove(rowno - 1);
        Ok(Value::Null)
    }

    fn set_payment(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        let mode = ctx.get("paymentmode").unwrap_or("").to_owned();
        if mode_name(&mode).is_empty() {
            return Err(failure(format!("Invalid payment mode: {mode}")));
        }
        let kind = ctx.get("paymenttype").unwrap_or("").to_owned();
        if kind.is_empty() {
            return Err(failure("paymenttype is required"));
        }
        let amount = decimal_param(ctx, "amount")?.ok_or_else(|| failure("amount is required"))?;
        let now = Local::now().naive_local();
        let id = self.next_id();
        let pay = Pay {
            mode,
            kind,
            amount,
            currency: ctx.get("currency_id").unwrap_or("EUR").to_owned(),
            modeex: ctx.get("paymentmodeex").unwrap_or("").to_owned(),
            additional_id: ctx.get("additional_id").unwrap_or("").to_owned(),
            datetime: ctx
                .get("paymentdatetime")
                .map(str::to_owned)
                .unwrap_or_else(|| now.format(DOTTED_DATE).to_string()),
            created: now,
            id,
        };
        let replace = ctx.flag("replaceamount");
        let body = self.open_body(uid)?;
        if replace {
            body.payments.retain(|p| p.mode != pay.mode);
        }
        body.payments.push(pay);
        Ok(Value::Null)
    }

    fn add_event(&mut self, uid: &str, ctx: &Ctx<'_>) -> Result<Value, Failure> {
        if ctx.get("de_act").is_none() {
            return Err(failure("de_act is required"));
        }
        let mut event = Map::new();
        for key in [
            "de_act",
            "de_custevent",
            "de_comment",
            "de_data",
            "de_sourcetype_id",
            "de_source_id",
        ] {
            if let Some(v) = ctx.get(key) {
                event.insert(key.to_owned(), json!(v));
            }
        }
        self.open_body(uid)?.events.push(event);
        Ok(Value::Null)
    }

    fn complete(&mut self, uid: &str, ctx: &Ctx<'_>) -> Response {
        let missing = match self.docs.get(uid).and_then(|d| d.open.as_ref()) {
            Some(body) => body.rows.iter().position(|r| r.batch_id.is_none()),
            None => return fail(format!("Invalid UID: {uid}")),
        };
        if let Some(i) = missing {
            return fail(format!(
                "Cannot save document! Document row {}: BACH_ID on NULL!",
                i + 1
            ));
        }
        let next = self.next_dhid;
        let Some(doc) = self.docs.get_mut(uid) else {
            return fail(format!("Invalid UID: {uid}"));
        };
        let dhid = match doc.dhid {
            Some(d) => d,
            None => {
                doc.dhid = Some(next);
                next
            }
        };
        if let Some(mut body) = doc.open.take() {
            if body.documentno.is_none() {
                body.documentno = Some(format!("{:06}-0TST1", dhid - FIRST_DHID + 1));
            }
            doc.saved = Some(body);
        }
        if dhid == next {
            self.next_dhid += 1;
        }
        if ctx.flag("getdoc") {
            let data = self.render(uid, ctx.user, "3");
            return ok(json!({ "dhid": dhid, "getdocdata": data }));
        }
        ok(json!({ "dhid": dhid }))
    }
}

/// A token part that differs between logins and sandboxes (not cryptographic: a test fake).
fn rand_part(counter: u64, user: &str) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(counter);
    h.write(user.as_bytes());
    h.finish() & 0xffff_ffff_ffff
}
