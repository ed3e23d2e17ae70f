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
//! - a parameter that does not read as the document's type (lines 31–38, 48–50) gives 400 naming
//!   it (`items[0][qty] must be an Integer`): in a form, `qty` digits and amounts (`Double`)
//!   numbers with a decimal point, never a comma; in a JSON body, texts JSON strings, `qty` a
//!   JSON integer and amounts JSON numbers;
//! - a `grand_total` that differs from the sum of the item totals gives 400 (for a purchase,
//!   only when `grand_total` is sent, since the vendor's parameter list omits it);
//! - a path or method the document does not list (anything but `POST` to the three paths)
//!   gives 404 `{"status":404,"message":"Not Found"}` (the document's table has no 405);
//! - successful pushes answer 201 `{"status":201,"message":"…","id":N,"reference_no":"…"}`.
//!
//! It reads both body encodings: a form with PHP bracket notation (`items[0][code]=…`) and a
//! JSON document. A body declared as neither (or not declared) carries no POST parameter, so no
//! token: 401, as a PHP server that fills `$_POST` from forms only would answer. Every request is journaled and faults can be injected per route through the
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
//! assert_eq!(sandbox.stock(&first.code), first.qty.map(|q| q - cloudma_client::Decimal::TWO));
//!
//! // A 503 on a read is retried; the second attempt succeeds.
//! sandbox.faults().inject("/api/sync-stock", Fault::status(503));
//! client.sync_stock().await?;
//! assert_eq!(sandbox.journal().hits("/api/sync-stock"), 3);
//! # Ok(())
//! # }
//! ```

mod data;
// `impl VendorExercise for Sandbox`: what the workspace's reliability suite runs.
mod exercise;
mod form;
mod routes;
// The document's parameter types, checked before a push is read.
mod rules;

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::{Router, routing::post};

pub use pos_client_core::sandbox::{Fault, LogCapture, RecordedRequest, Route};

pub use data::{SandboxProduct, default_catalogue};

use crate::client::{Client, ClientBuilder, TEST_TOKEN};
use crate::error::Error;
use crate::models::{Purchase, Sale};
use routes::{not_found, push_purchase, push_sale, sync_stock};

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
            .fallback(not_found)
            .method_not_allowed_fallback(not_found)
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
pos_client_core::sandbox_handle!(Sandbox, crate::client::VENDOR, crate::models::OPERATIONS);

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
