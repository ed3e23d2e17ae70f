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
//!   expires). A missing or wrong credential gets 401 with a Digest and a Basic challenge;
//!   [`Sandbox::set_digest_only`] refuses Basic and challenges Digest alone.
//! - **Temporary purchases.** Each user has one current temp purchase; an access token may act
//!   on it only after `GET /current?set_current_access_token=Y` (else
//!   `NOT_CURRENT_ACCESS_TOKEN`; a later claim by another token of the same user takes it over).
//!   Every action checks its documented errors; `activeTrans`, `forwardTrans`,
//!   `createNewTrans` and `DELETE` answer with the new current temp purchase.
//! - **Purchase orders** check, in the document's order, PURCHASE_TEMP_INVALID …
//!   DEBT_NOT_GREATER_MAXDEBT; an order paid by `debt` raises the supplier's debt; one without
//!   `payment_method` (optional in the fields table) is paid `cash`; the id comes as
//!   `purchase_temp_id` or `trans_temp_id` (both: the same value, else 422); the ordered
//!   temp purchase is replaced by a new empty one. Each check can be reached: a line set to 0
//!   units by `editUnits` (the document gives that action no units rule) gives
//!   REQUEST_UNITS_GREATER_0; [`Sandbox::revoke_location`] and [`Sandbox::remove_business`]
//!   change what editTrans checked, for NOT_PERMISSION_SELECT_THIS_LOCATION and
//!   NOT_FOUND_BUSINESS at ordering time.
//! - **Body fields**: a PUT/POST body may carry only the document's fields of that request:
//!   for an action, `action` (and `trans_id`) and the fields whose comment names it ("Áp dụng
//!   với action ..."); for `POST /suppliers` the body example's five; for an order
//!   `purchase_temp_id`, `trans_temp_id`, `payment_method`, `payment_note`. Any other key (a
//!   wrong name or case, another action's field) is refused 422 "Unrecognized fields: ...",
//!   as the framework's input filter refuses unknown fields, and nothing is done. Values are
//!   texts or numbers (a boolean, list or object: 422, never read as absent); addLine takes
//!   `product_id` or `product_code`, not both; importProduct's rows are
//!   `{"reference", "units", "pricebuy"?}` objects (another key: 422).
//! - **Query parameters**: only the document's filters (`visible`, `name` of `GET /suppliers`;
//!   `set_current_access_token=Y` of `/current`, another value refused) and the framework's
//!   `page`/`page_size` of the two collections; any other (a wrong case, a field put in the
//!   query instead of the body or path) is refused 422 "Unrecognized query parameters". A
//!   `page` that is not a number is the framework's 409.
//! - **Error bodies**: problem+json by default; [`Sandbox::set_result_bodies`] answers the
//!   document's own `{"result": CODE}` instead.
//! - **Methods**: another method on a known route gets 405 with `Allow` listing the methods
//!   that route serves (`POST` only for `/supplier-purchase`).
//! - **Suppliers** with debt and max debt; the list's `visible` filter is `N` or `Y` (another
//!   value: 422); `updateCurdebt` checks both debt rules; deleting an
//!   unknown supplier answers the document's own spelling `NOT_FOUND_SUPPLER`.
//! - **Reliability suite**: the sandbox implements [`pos_client_core::sandbox::Exercise`]
//!   (every operation of the spec notes, run with its own data, and the client's decoding
//!   offline); the supplier operations use [`EXERCISE_SUPPLIER`].
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

use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::Router;

pub use pos_client_core::sandbox::{Fault, Faults, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder};
use crate::digest::Algorithm;
use crate::error::Error;

mod auth;
mod exercise;
mod http;
mod purchase;
mod routes;
mod state;

pub use exercise::EXERCISE_SUPPLIER;
use http::handle;
use state::World;

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

pos_client_core::sandbox_handle!(Sandbox, crate::client::VENDOR, crate::models::OPERATIONS);

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

    /// The Digest algorithm of the challenges (SHA-256 by default).
    pub fn set_digest_algorithm(&self, algorithm: Algorithm) {
        lock(&self.shared.world).algorithm = algorithm;
    }

    /// Accepts HTTP Digest only (off by default): a Basic request is refused 401 and every 401
    /// challenges Digest alone, with no Basic challenge, as a server configured for Digest
    /// answers. Bearer tokens and `POST /oauth` are unchanged.
    pub fn set_digest_only(&self, on: bool) {
        lock(&self.shared.world).digest_only = on;
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

    /// Answers errors that carry a result code as the document shows them, `{"result": CODE}`
    /// in the negotiated media type (the vendor's by default) with the same status, instead of
    /// the framework's `application/problem+json` (the default). Errors without a code (401,
    /// 405, 406, 415, 422 validation) stay problem+json: the document shows no body for them.
    pub fn set_result_bodies(&self, on: bool) {
        lock(&self.shared.world).result_bodies = on;
    }

    /// The `expires_in` (seconds) of the tokens `POST /oauth` issues from now on (default
    /// 3600, the framework's). The sandbox itself expires them only on
    /// [`expire_oauth_tokens`](Self::expire_oauth_tokens).
    pub fn set_oauth_lifetime(&self, seconds: u64) {
        lock(&self.shared.world).oauth_lifetime = seconds;
    }

    /// Takes a location away from a person (`"1"` is [`TEST_USER`]'s): a temp purchase that
    /// already chose it then fails to order with `NOT_PERMISSION_SELECT_THIS_LOCATION`.
    pub fn revoke_location(&self, person: &str, location_id: &str) {
        if let Some(p) = lock(&self.shared.world).persons.get_mut(person) {
            p.locations.remove(location_id);
        }
    }

    /// Removes a business (the seeded one is `"10"`): a temp purchase that already chose it
    /// then fails to order with `NOT_FOUND_BUSINESS`.
    pub fn remove_business(&self, business_id: &str) {
        lock(&self.shared.world).businesses.remove(business_id);
    }

    /// Items per page of the collections (default 25).
    pub fn set_page_size(&self, size: usize) {
        lock(&self.shared.world).page_size = size.max(1);
    }

    /// A supplier's state.
    pub fn supplier(&self, id: u64) -> Option<SandboxSupplier> {
        lock(&self.shared.world).suppliers.get(&id).cloned()
    }

    /// Every supplier, by id.
    pub fn suppliers(&self) -> Vec<SandboxSupplier> {
        lock(&self.shared.world)
            .suppliers
            .values()
            .cloned()
            .collect()
    }

    /// Adds a supplier (or replaces the one with its id): seeds many suppliers at once, for
    /// load tests, without sending a request.
    pub fn insert_supplier(&self, supplier: SandboxSupplier) {
        lock(&self.shared.world)
            .suppliers
            .insert(supplier.id, supplier);
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
