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
//! - **Rows.** `ODOC_ITEMSALE` (by `batch_id` or `searchcode`, not both: "One of the 2"; price
//!   defaulting to the catalogue price, quantity to 1, `rowno` inserting at that position or,
//!   without it, appending),
//!   `ODOC_BARCODESALE` (`doinsert` and `rowno` required, as its table says: `doinsert=1`
//!   inserts at `rowno`, `0` replaces the item of that row; `quantity` an INTEGER), `ODOC_ITEMSETQTY`, `ODOC_ROWDEL`
//!   and `ODOC_SETDATA` (`document`, `header`, `rows`, `row`; a `row` is "determined by the
//!   `rowno` attribute", so it needs one: an existing row or the next free one). An unknown row (or a position
//!   past the next free row) gives the vendor's documented failure text `"Request sent and
//!   answer received."`; a `rowno` that is no number is refused too. Other quantities and the
//!   prices are read with a decimal comma or point.
//! - **Payments and events.** `ODOC_GETPAYMODES` answers the vendor's example (modes `C`, `B`,
//!   `U`, `G`); `ODOC_SETPAYMENT` accepts those modes (its example's `paymentmodeex=""` is read
//!   as an empty extension); `ODOC_ADDEVENT` records events.
//! - **Documented types.** Each act's parameters are held to its table's "Type" and "Required"
//!   columns, and `ODOC_SETDATA`'s `objdata` to its header and row attribute tables (`what` to
//!   its 1, 2, 3 and `objname` to its four names; an INTEGER is 32 bits):
//!   more characters than a `CHAR(n)`, more integer digits or decimals than a
//!   `NUMERIC(p,s)` (`amount` is Numeric(11,2)), a `TIMESTAMP` that is neither `dd.mm.yyyy` nor
//!   `dd.mm.yyyy HH:MM:SS`, or a missing required parameter give `status` 0 (`"Invalid amount
//!   value: not a NUMERIC(11,2)"`, `"amount is required"`: the document has no message for
//!   these) and change nothing.
//! - **Complete and cancel.** `ODOC_COMPLETE` refuses a row without a batch
//!   (`"Cannot save document! Document row 1: BACH_ID on NULL!"`), else saves the document,
//!   assigns a dhid and closes it; `ODOC_CANCEL` drops the changes (and a never-saved document).
//!   `ODOC_MODIFY` reopens a saved document (`"Document does not exist …"` otherwise).
//! - **State changes.** `DOCCHANGESTATE` by one of `docuid`, `dhid` or `dochid` (several at
//!   once are refused: the table says "One of the 3") sets the state of a saved document; a state outside [`default_states`] gives `"Invalid document state ID value:
//!   '2'"`.
//! - `ODOC_GETDOC` answers in the shape of the vendor's example (every field of it but the
//!   installation's own `additional13` and `ref_testref`; a customer when one was set): `rows.row` and
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
use std::sync::{Arc, Mutex};

use pos_client_core::RetryPolicy;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::{Router, routing::post};
use serde_json::Value;

pub use pos_client_core::sandbox::{Fault, Faults, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder};
use crate::error::Error;

mod acts;
mod auth;
/// The reliability suite's view of the sandbox (`pos_client_core::sandbox::Exercise`).
mod exercise;
mod limits;
mod render;
mod state;
mod tables;
mod wire;

use state::{Shared, Store};
pub use tables::{SandboxItem, default_catalogue, default_privileges, default_states};
use wire::handle;

/// The API user the sandbox accepts by default.
pub const SANDBOX_USER: &str = "APITEST";

/// The password of [`SANDBOX_USER`].
pub const SANDBOX_PASSWORD: &str = "noom-sandbox-password";

/// The message the sandbox answers to a missing, unknown or expired access token.
pub const TOKEN_REJECTED_MSG: &str = "Invalid or expired accesstoken!";

/// The documented failure text of `ODOC_ITEMSETQTY` and `ODOC_ROWDEL` (an unknown row); the
/// client names it [`NoomCode::RequestNotCarriedOut`](crate::NoomCode::RequestNotCarriedOut).
pub const ROW_FAILURE_MSG: &str = "Request sent and answer received.";

/// The first docuid the sandbox hands out (`0001077484`, as in the vendor's example).
pub const FIRST_DOCUID: u64 = 1_077_484;

/// The first dhid `ODOC_COMPLETE` assigns.
pub const FIRST_DHID: u64 = 3_443_324;

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

pos_client_core::sandbox_handle!(Sandbox, crate::protocol::VENDOR, crate::models::OPERATIONS);

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

    /// A client pointed at the sandbox (the default placement: the example URL's query string,
    /// the parameters again in the body; decimal comma; no retry delays).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
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
