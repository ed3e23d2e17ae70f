//! The Suppliers client: [`Client`], [`ClientBuilder`], and one async method per operation.

use std::fmt;
use std::sync::{Arc, Mutex};

use pos_client_core::http::Method;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{Env, Error as CoreError, Operation, Pipeline, Session, TransportBuilder};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Error, ResultCode};
use crate::models::{
    CreateSupplierAnswer, CreatedSupplier, CurrentAnswer, CurrentTrans, DebtMethod, NewSupplier,
    PaymentMethod, PurchaseOrder, SupplierAction, SupplierAnswer, SupplierDetail, SupplierPage,
    TempPurchasePage,
};
use crate::protocol::{Auth, Grant, OAuth, SuppliersProtocol};
use crate::purchase::TempPurchase;

/// The vendor name used in errors and tracing spans.
pub const VENDOR: &str = "suppliers";

/// The environment variable with the API root under which `/suppliers` and
/// `/supplier-purchase-temp` live (required; there is no default server).
pub const BASE_URL_VAR: &str = "SUPPLIERS_BASE_URL";
/// The environment variable with an OAuth2 Bearer token.
pub const TOKEN_VAR: &str = "SUPPLIERS_TOKEN";
/// The environment variable with the user for Basic or Digest (or the OAuth2 password grant).
pub const USER_VAR: &str = "SUPPLIERS_USER";
/// The environment variable with the password.
pub const PASSWORD_VAR: &str = "SUPPLIERS_PASSWORD";
/// `basic` (default with a user), `digest` or `oauth2`.
pub const AUTH_VAR: &str = "SUPPLIERS_AUTH";
/// The OAuth2 client id (with `SUPPLIERS_AUTH=oauth2`).
pub const CLIENT_ID_VAR: &str = "SUPPLIERS_CLIENT_ID";
/// The OAuth2 client secret (optional).
pub const CLIENT_SECRET_VAR: &str = "SUPPLIERS_CLIENT_SECRET";

/// The user agent sent with every request: `suppliers-client/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The media types the document lists for `Accept` (all three) and `Content-Type` (the vendor
/// type and plain JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MediaType {
    /// `application/vnd.suppliers.v1+json`, the vendor's type (the default).
    #[default]
    VendorV1,
    /// `application/hal+json` (for `Accept` only).
    Hal,
    /// `application/json`.
    Json,
}

impl MediaType {
    /// The media type text.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::VendorV1 => "application/vnd.suppliers.v1+json",
            MediaType::Hal => "application/hal+json",
            MediaType::Json => "application/json",
        }
    }
}

/// Which authorization the builder was given.
#[derive(Clone)]
enum AuthConfig {
    None,
    Bearer(SecretString),
    Basic(String, SecretString),
    Digest(String, SecretString),
    OAuth {
        grant: OAuthGrant,
        client_id: String,
        client_secret: Option<SecretString>,
    },
}

#[derive(Clone)]
enum OAuthGrant {
    Password(String, SecretString),
    ClientCredentials,
}

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    transport: TransportBuilder,
    auth: AuthConfig,
    accept: MediaType,
    content_type: MediaType,
    oauth_token_path: String,
}

pos_client_core::transport_settings!(ClientBuilder);

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let auth = match &self.auth {
            AuthConfig::None => "none".to_owned(),
            AuthConfig::Bearer(_) => "bearer ***".to_owned(),
            AuthConfig::Basic(user, _) => format!("basic {user} ***"),
            AuthConfig::Digest(user, _) => format!("digest {user} ***"),
            AuthConfig::OAuth { client_id, .. } => format!("oauth2 client {client_id} ***"),
        };
        f.debug_struct("ClientBuilder")
            .field("transport", &self.transport)
            .field("auth", &auth)
            .field("accept", &self.accept)
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            transport: TransportBuilder::default(),
            auth: AuthConfig::None,
            accept: MediaType::VendorV1,
            content_type: MediaType::VendorV1,
            oauth_token_path: "oauth".to_owned(),
        }
    }
}

impl ClientBuilder {
    /// An empty builder: set `base_url` (the API root under which `/suppliers` and
    /// `/supplier-purchase-temp` live; there is no default) and one authorization.
    pub fn new() -> Self {
        ClientBuilder::default()
    }

    /// A builder from the environment: `SUPPLIERS_BASE_URL` (required), then `SUPPLIERS_TOKEN`
    /// (Bearer) or `SUPPLIERS_USER` + `SUPPLIERS_PASSWORD` (Basic; Digest with
    /// `SUPPLIERS_AUTH=digest`; the OAuth2 password grant with `SUPPLIERS_AUTH=oauth2` and
    /// `SUPPLIERS_CLIENT_ID`, client credentials when no user is set).
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let env = Env::new(lookup);
        let base = env.required::<ResultCode>(BASE_URL_VAR, "the API root URL")?;
        let builder = ClientBuilder::new().base_url(base);
        let mode = env.optional(AUTH_VAR).map(|m| m.to_ascii_lowercase());
        match mode.as_deref() {
            Some("oauth2") => {
                let client_id =
                    env.required::<ResultCode>(CLIENT_ID_VAR, "the OAuth2 client id")?;
                let secret = env.optional_secret(CLIENT_SECRET_VAR);
                match env.optional(USER_VAR) {
                    Some(user) => {
                        let password = env
                            .secret::<ResultCode>(PASSWORD_VAR, "the password of SUPPLIERS_USER")?;
                        Ok(builder.oauth2_password(client_id, secret, user, password))
                    }
                    None => Ok(builder.oauth2_client_credentials(client_id, secret)),
                }
            }
            Some("digest") | Some("basic") | None => {
                if mode.is_none()
                    && let Some(token) = env.optional_secret(TOKEN_VAR)
                {
                    return Ok(builder.bearer_token(token));
                }
                let Some(user) = env.optional(USER_VAR) else {
                    return Err(Error::config(format!(
                        "set {TOKEN_VAR} (a Bearer token) or {USER_VAR} and {PASSWORD_VAR}"
                    )));
                };
                let password =
                    env.secret::<ResultCode>(PASSWORD_VAR, "the password of SUPPLIERS_USER")?;
                Ok(if mode.as_deref() == Some("digest") {
                    builder.digest_auth(user, password)
                } else {
                    builder.basic_auth(user, password)
                })
            }
            Some(_) => Err(Error::config(format!(
                "{AUTH_VAR} must be basic, digest or oauth2"
            ))),
        }
    }

    /// Authorize with an OAuth2 Bearer token (`Authorization: Bearer …`).
    pub fn bearer_token(mut self, token: impl Into<SecretString>) -> Self {
        self.auth = AuthConfig::Bearer(token.into());
        self
    }

    /// Authorize with HTTP Basic.
    pub fn basic_auth(
        mut self,
        user: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.auth = AuthConfig::Basic(user.into(), password.into());
        self
    }

    /// Authorize with HTTP Digest (RFC 7616: SHA-256 or MD5, `qop=auth`). The first request
    /// is answered with a challenge and sent once more; later requests sign with the stored
    /// nonce and an increasing nonce count; a `stale=true` challenge is answered once.
    pub fn digest_auth(
        mut self,
        user: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.auth = AuthConfig::Digest(user.into(), password.into());
        self
    }

    /// Obtain the Bearer token from the framework's OAuth2 endpoint with the password grant,
    /// and renew it once (single-flight) when it expires or is refused. Framework behaviour
    /// (Laminas API Tools), not the document's.
    pub fn oauth2_password(
        mut self,
        client_id: impl Into<String>,
        client_secret: Option<SecretString>,
        user: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.auth = AuthConfig::OAuth {
            grant: OAuthGrant::Password(user.into(), password.into()),
            client_id: client_id.into(),
            client_secret,
        };
        self
    }

    /// Like [`oauth2_password`](Self::oauth2_password) with the client-credentials grant.
    pub fn oauth2_client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: Option<SecretString>,
    ) -> Self {
        self.auth = AuthConfig::OAuth {
            grant: OAuthGrant::ClientCredentials,
            client_id: client_id.into(),
            client_secret,
        };
        self
    }

    /// The OAuth2 token endpoint, relative to the base URL (default `oauth`; `../oauth` or an
    /// absolute URL when it lives elsewhere).
    pub fn oauth2_token_path(mut self, path: impl Into<String>) -> Self {
        self.oauth_token_path = path.into();
        self
    }

    /// The `Accept` media type of every request (default
    /// `application/vnd.suppliers.v1+json`).
    pub fn accept(mut self, media_type: MediaType) -> Self {
        self.accept = media_type;
        self
    }

    /// The `Content-Type` of request bodies: [`MediaType::VendorV1`] (default) or
    /// [`MediaType::Json`]; `Hal` is refused at [`build`](Self::build).
    pub fn content_type(mut self, media_type: MediaType) -> Self {
        self.content_type = media_type;
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        if self.content_type == MediaType::Hal {
            return Err(Error::config(
                "the document allows application/vnd.suppliers.v1+json or application/json as Content-Type",
            ));
        }
        let blank = |s: &SecretString| s.expose_secret().trim().is_empty();
        let auth = match self.auth {
            AuthConfig::None => {
                return Err(Error::config(
                    "an authorization is required: bearer_token, basic_auth, digest_auth or oauth2_*",
                ));
            }
            AuthConfig::Bearer(t) if blank(&t) => return Err(Error::config("the token is empty")),
            AuthConfig::Bearer(t) => Auth::Header(SecretString::from(format!(
                "Bearer {}",
                t.expose_secret().trim()
            ))),
            AuthConfig::Basic(user, password) => {
                check_user(&user)?;
                let raw = format!("{user}:{}", password.expose_secret());
                Auth::Header(SecretString::from(format!(
                    "Basic {}",
                    base64(raw.as_bytes())
                )))
            }
            AuthConfig::Digest(user, password) => {
                check_user(&user)?;
                Auth::Digest {
                    user,
                    password,
                    challenge: Mutex::new(None),
                }
            }
            AuthConfig::OAuth {
                grant,
                client_id,
                client_secret,
            } => {
                if client_id.trim().is_empty() {
                    return Err(Error::config("the OAuth2 client id is empty"));
                }
                Auth::OAuth(OAuth {
                    token_path: self.oauth_token_path,
                    grant: match grant {
                        OAuthGrant::Password(user, password) => {
                            check_user(&user)?;
                            Grant::Password { user, password }
                        }
                        OAuthGrant::ClientCredentials => Grant::ClientCredentials,
                    },
                    client_id,
                    client_secret,
                    session: Session::new(),
                })
            }
        };
        let transport = self
            .transport
            .user_agent(USER_AGENT)
            .build()
            .map_err(CoreError::with_codes)?;
        let protocol = SuppliersProtocol {
            auth,
            accept: self.accept,
            content_type: self.content_type,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                pipeline: Pipeline::new(transport, protocol),
                accept: self.accept,
                content_type: self.content_type,
            }),
        })
    }
}

fn check_user(user: &str) -> Result<(), Error> {
    if user.trim().is_empty() || user.contains(':') || user.chars().any(char::is_control) {
        return Err(Error::config(
            "the user name must not be empty or contain ':' or control characters",
        ));
    }
    Ok(())
}

/// Standard base64 with padding (for the Basic header).
pub(crate) fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

struct Inner {
    pipeline: Pipeline<SuppliersProtocol>,
    accept: MediaType,
    content_type: MediaType,
}

/// A Suppliers API client. Cheap to clone; clones share the connection pool, the Digest nonce
/// and the OAuth2 token. Debug output never shows a credential.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url().as_str())
            .field("accept", &self.inner.accept)
            .finish_non_exhaustive()
    }
}

/// A product for `addLine`: by id or by code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductRef {
    /// `product_id`.
    Id(String),
    /// `product_code`.
    Code(String),
}

/// A location (warehouse) the user may choose (`location-person`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The location id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// How an order is paid (`payment_method` and `payment_note` of `POST /supplier-purchase`).
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    /// `cash` or `debt`.
    pub method: PaymentMethod,
    /// A note, when given.
    pub note: Option<String>,
}

impl Payment {
    /// Paid in cash.
    pub fn cash() -> Self {
        Payment {
            method: PaymentMethod::Cash,
            note: None,
        }
    }

    /// Added to the supplier's debt.
    pub fn debt() -> Self {
        Payment {
            method: PaymentMethod::Debt,
            note: None,
        }
    }

    /// With a payment note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// Filters of `GET /suppliers`: the document's `visible` and `name`, and the framework's
/// paging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupplierFilter {
    /// `visible=Y|N`.
    pub visible: Option<bool>,
    /// `name`.
    pub name: Option<String>,
    /// `page` (framework), from 1.
    pub page: Option<u32>,
    /// `page_size` (framework; honoured only when the service configures it).
    pub page_size: Option<u32>,
}

/// Contact fields of `editContactInfo`; `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInfo {
    /// Phone.
    pub phone: Option<String>,
    /// Province / city (Tỉnh / TP).
    pub region: Option<String>,
    /// District (Quận / Huyện).
    pub city: Option<String>,
    /// Street address.
    pub address: Option<String>,
}

/// Percent-encodes an id for a path segment; refuses empty ids and control characters.
pub(crate) fn segment(what: &str, id: &str) -> Result<String, Error> {
    if id.trim().is_empty() {
        return Err(Error::validation(format!("{what} is empty")));
    }
    if id.chars().any(char::is_control) {
        return Err(Error::validation(format!(
            "{what} contains a control character"
        )));
    }
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(out)
}

pub(crate) fn not_blank(what: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(Error::validation(format!("{what} must not be empty")));
    }
    Ok(())
}

/// Reads `location_person`: an object `{id: name}`, PHP's `[]` for none, or a list.
fn locations(value: &Value) -> Vec<Location> {
    let name_of = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(id, name)| Location {
                id: id.clone(),
                name: name_of(name),
            })
            .collect(),
        // A PHP array with keys 0..n arrives as a JSON list: the index is the key.
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(o) => Location {
                    id: o
                        .get("location_id")
                        .or_else(|| o.get("id"))
                        .map(name_of)
                        .unwrap_or_else(|| i.to_string()),
                    name: o
                        .get("location_name")
                        .or_else(|| o.get("name"))
                        .map(name_of)
                        .unwrap_or_default(),
                },
                other => Location {
                    id: i.to_string(),
                    name: name_of(other),
                },
            })
            .collect(),
        _ => Vec::new(),
    }
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client from the environment ([`ClientBuilder::from_env`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The API root.
    pub fn base_url(&self) -> &url::Url {
        self.inner.pipeline.base_url()
    }

    /// HTTP attempts sent so far (retries and Digest challenge round trips included).
    pub fn attempts_sent(&self) -> u64 {
        self.inner.pipeline.attempts_sent()
    }

    pub(crate) fn read(&self, name: &'static str, path: String) -> Operation {
        Operation::read(VENDOR, name, Method::GET, path).accept(self.inner.accept.as_str())
    }

    pub(crate) fn write(
        &self,
        name: &'static str,
        method: Method,
        path: String,
        reference: String,
    ) -> Operation {
        Operation::write(VENDOR, name, method, path)
            .accept(self.inner.accept.as_str())
            .content_type(self.inner.content_type.as_str())
            .reference(reference)
    }

    pub(crate) fn with_json<T: serde::Serialize>(
        op: Operation,
        body: &T,
    ) -> Result<Operation, Error> {
        op.json(body).map_err(CoreError::with_codes)
    }

    pub(crate) async fn call<T: DeserializeOwned>(&self, op: Operation) -> Result<T, Error> {
        self.inner.pipeline.call(op).await
    }

    /// Sends `op`; a 2xx (any body, 204 included) is a success.
    pub(crate) async fn send_unit(&self, op: Operation) -> Result<(), Error> {
        self.inner.pipeline.send(op).await.map(|_| ())
    }

    /// Sends an operation answered with the current-trans structure, or 204.
    pub(crate) async fn send_current(&self, op: Operation) -> Result<Option<TempPurchase>, Error> {
        let response = self.inner.pipeline.send(op).await?;
        if response.payload().is_none() {
            return Ok(None);
        }
        let answer: TransAnswer = response.decode()?;
        Ok(Some(TempPurchase::new(self.clone(), answer.into_trans())))
    }

    // ------------------------------------------------------------ temporary purchases

    /// `GET /supplier-purchase-temp`: one page of the temp purchases (`page` from 1; `None`
    /// lets the server choose). A read.
    pub async fn list_temp_purchases(&self, page: Option<u32>) -> Result<TempPurchasePage, Error> {
        let op = self
            .read(
                "supplier-purchase-temp list",
                "supplier-purchase-temp".into(),
            )
            .query_opt("page", page.map(|p| p.to_string()));
        self.call(op).await
    }

    /// `GET /supplier-purchase-temp/{id}`: one temp purchase with its lines. The document shows
    /// no body for it; it is read like `current` (`current_trans`, or `trans_info` and
    /// `trans_lines` at the top). A read.
    pub async fn temp_purchase(&self, id: &str) -> Result<CurrentTrans, Error> {
        let path = format!(
            "supplier-purchase-temp/{}",
            segment("the temp purchase id", id)?
        );
        let answer: TransAnswer = self
            .call(self.read("supplier-purchase-temp get", path))
            .await?;
        Ok(answer.into_trans())
    }

    /// `GET /supplier-purchase-temp/location-person`: the locations the user may choose. A read.
    pub async fn location_person(&self) -> Result<Vec<Location>, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            #[serde(default)]
            location_person: Value,
        }
        let op = self.read(
            "location-person",
            "supplier-purchase-temp/location-person".into(),
        );
        let answer: Answer = self.call(op).await?;
        Ok(locations(&answer.location_person))
    }

    /// `GET /supplier-purchase-temp/current`: the current temp purchase, as a handle whose
    /// methods are the actions on it. Fails with `NOT_CURRENT_ACCESS_TOKEN` until this access
    /// token has claimed it with [`claim_current`](Self::claim_current). A read.
    pub async fn current(&self) -> Result<TempPurchase, Error> {
        self.current_op(false).await
    }

    /// `GET /supplier-purchase-temp/current?set_current_access_token=Y`: gives this access
    /// token the current temp purchase (another token of the same user loses it) and returns
    /// it. Retried like a read: claiming twice has the same effect as once.
    pub async fn claim_current(&self) -> Result<TempPurchase, Error> {
        self.current_op(true).await
    }

    async fn current_op(&self, set: bool) -> Result<TempPurchase, Error> {
        let mut op = self.read("current", "supplier-purchase-temp/current".into());
        if set {
            op = op.query("set_current_access_token", "Y");
        }
        let answer: TransAnswer = self.call(op).await?;
        Ok(TempPurchase::new(self.clone(), answer.into_trans()))
    }

    /// `activeTrans`: makes the waiting temp purchase `trans_id` the current one and returns
    /// it. A write.
    pub async fn activate_trans(&self, trans_id: &str) -> Result<TempPurchase, Error> {
        let op = crate::purchase::action_op(self, "activeTrans", trans_id, |_| {})?;
        self.send_current(op).await?.ok_or_else(no_trans)
    }

    /// `createNewTrans`: parks the current temp purchase `current_trans_id` as waiting and
    /// starts a new one, returned. A write.
    pub async fn create_new_trans(&self, current_trans_id: &str) -> Result<TempPurchase, Error> {
        let op = crate::purchase::action_op(self, "createNewTrans", current_trans_id, |_| {})?;
        self.send_current(op).await?.ok_or_else(no_trans)
    }

    /// `DELETE /supplier-purchase-temp/{trans_id}`: deletes the current temp purchase; the
    /// server starts a new one and returns it (or answers 204: `None`). A write.
    pub async fn delete_temp_purchase(
        &self,
        trans_id: &str,
    ) -> Result<Option<TempPurchase>, Error> {
        let path = format!(
            "supplier-purchase-temp/{}",
            segment("the trans id", trans_id)?
        );
        let op = self.write(
            "supplier-purchase-temp delete",
            Method::DELETE,
            path,
            trans_id.to_owned(),
        );
        self.send_current(op).await
    }

    /// `POST /supplier-purchase`: orders from the temp purchase `trans_id`. A write: never sent
    /// twice; a lost answer is an outcome-unknown error naming the trans id.
    pub async fn place_order(&self, trans_id: &str, payment: &Payment) -> Result<(), Error> {
        segment("the trans id", trans_id)?;
        if let PaymentMethod::Unknown(m) = &payment.method {
            return Err(Error::validation(format!(
                "payment_method must be cash or debt, not {m:?}"
            )));
        }
        let body = PurchaseOrder {
            purchase_temp_id: trans_id.to_owned(),
            payment_method: payment.method.clone(),
            payment_note: payment.note.clone(),
        };
        let op = self.write(
            "supplier-purchase",
            Method::POST,
            "supplier-purchase".into(),
            trans_id.to_owned(),
        );
        self.send_unit(Self::with_json(op, &body)?).await
    }

    // ------------------------------------------------------------ suppliers

    /// `GET /suppliers`: one page of suppliers, filtered. A read.
    pub async fn list_suppliers(&self, filter: &SupplierFilter) -> Result<SupplierPage, Error> {
        let op = self
            .read("suppliers list", "suppliers".into())
            .query_opt("visible", filter.visible.map(|v| if v { "Y" } else { "N" }))
            .query_opt("name", filter.name.clone())
            .query_opt("page", filter.page.map(|p| p.to_string()))
            .query_opt("page_size", filter.page_size.map(|p| p.to_string()));
        self.call(op).await
    }

    /// `POST /suppliers`: creates a supplier (`name` required). A write; a lost answer names the
    /// supplier's name.
    pub async fn create_supplier(&self, supplier: &NewSupplier) -> Result<CreatedSupplier, Error> {
        not_blank("the supplier name", &supplier.name)?;
        let op = self.write(
            "suppliers create",
            Method::POST,
            "suppliers".into(),
            format!("new supplier {}", supplier.name),
        );
        let answer: CreateSupplierAnswer = self.call(Self::with_json(op, supplier)?).await?;
        Ok(answer.supplier)
    }

    /// `GET /suppliers/{id}`: the supplier's details. A read.
    pub async fn supplier(&self, id: &str) -> Result<SupplierDetail, Error> {
        let path = format!("suppliers/{}", segment("the supplier id", id)?);
        let answer: SupplierAnswer = self.call(self.read("suppliers get", path)).await?;
        Ok(answer.supplier)
    }

    /// `DELETE /suppliers/{id}`. A write.
    pub async fn delete_supplier(&self, id: &str) -> Result<(), Error> {
        let path = format!("suppliers/{}", segment("the supplier id", id)?);
        let op = self.write(
            "suppliers delete",
            Method::DELETE,
            path,
            format!("supplier {id}"),
        );
        self.send_unit(op).await
    }

    async fn supplier_action(&self, id: &str, body: SupplierAction) -> Result<(), Error> {
        let path = format!("suppliers/{}", segment("the supplier id", id)?);
        let name = match body.action.as_str() {
            "editName" => "editName",
            "editCode" => "editCode",
            "editVisible" => "editVisible",
            "editMaxDebt" => "editMaxDebt",
            "updateCurdebt" => "updateCurdebt",
            _ => "editContactInfo",
        };
        let op = self.write(name, Method::PUT, path, format!("supplier {id}"));
        self.send_unit(Self::with_json(op, &body)?).await
    }

    fn action(action: &str) -> SupplierAction {
        SupplierAction {
            action: action.to_owned(),
            name: None,
            searchkey: None,
            taxid: None,
            visible: None,
            maxdebt: None,
            payment_method: None,
            debt: None,
            note: None,
            phone: None,
            region: None,
            city: None,
            address: None,
        }
    }

    /// `editName`. A write.
    pub async fn edit_supplier_name(&self, id: &str, name: &str) -> Result<(), Error> {
        not_blank("name", name)?;
        let mut body = Self::action("editName");
        body.name = Some(name.to_owned());
        self.supplier_action(id, body).await
    }

    /// `editCode`: search key and tax id (both required). A write.
    pub async fn edit_supplier_code(
        &self,
        id: &str,
        searchkey: &str,
        taxid: &str,
    ) -> Result<(), Error> {
        not_blank("searchkey", searchkey)?;
        not_blank("taxid", taxid)?;
        let mut body = Self::action("editCode");
        body.searchkey = Some(searchkey.to_owned());
        body.taxid = Some(taxid.to_owned());
        self.supplier_action(id, body).await
    }

    /// `editVisible`. A write.
    pub async fn edit_supplier_visible(&self, id: &str, visible: bool) -> Result<(), Error> {
        let mut body = Self::action("editVisible");
        body.visible = Some(visible);
        self.supplier_action(id, body).await
    }

    /// `editMaxDebt` (not negative). A write.
    pub async fn edit_supplier_max_debt(&self, id: &str, maxdebt: Decimal) -> Result<(), Error> {
        if maxdebt.is_sign_negative() {
            return Err(Error::validation("maxdebt must not be negative"));
        }
        let mut body = Self::action("editMaxDebt");
        body.maxdebt = Some(maxdebt);
        self.supplier_action(id, body).await
    }

    /// `updateCurdebt`: adds debt (`debt`) or records a payment (`debtpaid`) of `amount`
    /// (greater than 0). A write: a lost answer must be checked with
    /// [`supplier`](Self::supplier) before sending again, or the debt changes twice.
    pub async fn update_supplier_debt(
        &self,
        id: &str,
        method: DebtMethod,
        amount: Decimal,
        note: Option<&str>,
    ) -> Result<(), Error> {
        if amount <= Decimal::ZERO {
            return Err(Error::validation("debt must be greater than 0"));
        }
        if let DebtMethod::Unknown(m) = &method {
            return Err(Error::validation(format!(
                "payment_method must be debt or debtpaid, not {m:?}"
            )));
        }
        let mut body = Self::action("updateCurdebt");
        body.payment_method = Some(method);
        body.debt = Some(amount);
        body.note = note.map(str::to_owned);
        self.supplier_action(id, body).await
    }

    /// `editContactInfo`: phone, region, city, address (those set). A write.
    pub async fn edit_supplier_contact(
        &self,
        id: &str,
        contact: &ContactInfo,
    ) -> Result<(), Error> {
        let mut body = Self::action("editContactInfo");
        body.phone = contact.phone.clone();
        body.region = contact.region.clone();
        body.city = contact.city.clone();
        body.address = contact.address.clone();
        self.supplier_action(id, body).await
    }
}

fn no_trans() -> Error {
    Error::validation("the server answered 204 where a temp purchase was expected")
}

/// The current-trans structure, wrapped (`current_trans`) or bare.
#[derive(serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum TransAnswer {
    Wrapped(CurrentAnswer),
    Bare(CurrentTrans),
}

impl TransAnswer {
    pub(crate) fn into_trans(self) -> CurrentTrans {
        match self {
            TransAnswer::Wrapped(a) => a.current_trans,
            TransAnswer::Bare(t) => t,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_segments() {
        assert_eq!(
            base64(b"Aladdin:open sesame"),
            "QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(segment("id", "a b/ç").unwrap(), "a%20b%2F%C3%A7");
        assert!(segment("id", "x\ny").is_err() && segment("id", " ").is_err());
    }

    #[test]
    fn locations_read_every_shape() {
        let obj = serde_json::json!({"1": "Kho 1", "7": "Kho 7"});
        assert_eq!(
            locations(&obj)[1],
            Location {
                id: "7".into(),
                name: "Kho 7".into()
            }
        );
        assert!(locations(&serde_json::json!([])).is_empty());
        assert_eq!(locations(&serde_json::json!(["A"]))[0].id, "0");
    }
}
