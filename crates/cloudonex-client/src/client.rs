//! [`Client`], its [`ClientBuilder`], the ten [`Resource`]s and their [`Endpoint`]s.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use futures_util::stream::{self, Stream, TryStreamExt};
use pos_client_core::http::Method;
use pos_client_core::http::header::CONTENT_TYPE;
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Env, Operation, Pipeline, Response, TransportBuilder};
use serde::de::DeserializeOwned;

use crate::error::{Code, Error};
use crate::models::{Customer, Invoice, Record};
use crate::protocol::{AuthMode, CloudOnex, check_id};
use crate::records::{One, Page, Saved, read_deleted, read_written};
use crate::requests::{CustomerUpdate, InvoiceUpdate, NewCustomer, NewInvoice, RecordRequest};

/// The longest the client waits on its own for a used-up rate-limit window to reset, unless set
/// with [`ClientBuilder::rate_limit_max_wait`].
pub const DEFAULT_RATE_LIMIT_MAX_WAIT: Duration = Duration::from_secs(60);

/// The ten resources the document lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    /// `/customers`: customer management.
    Customers,
    /// `/invoices`: invoice operations.
    Invoices,
    /// `/transactions`: financial transactions.
    Transactions,
    /// `/quotes`: quote management.
    Quotes,
    /// `/products`: the product catalogue.
    Products,
    /// `/orders`: order processing.
    Orders,
    /// `/leads`: lead management.
    Leads,
    /// `/suppliers`: supplier operations.
    Suppliers,
    /// `/purchases`: purchase orders.
    Purchases,
    /// `/tickets`: support tickets.
    Tickets,
}

/// What an operation does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    List,
    Get,
    Create,
    Update,
    Delete,
}

macro_rules! names {
    ($($path:literal),*) => {
        [$([
            concat!("list ", $path),
            concat!("get ", $path),
            concat!("create ", $path),
            concat!("update ", $path),
            concat!("delete ", $path),
        ]),*]
    };
}

/// Operation names, `"<kind> <resource>"`, per resource and kind.
const NAMES: [[&str; 5]; 10] = names!(
    "customers",
    "invoices",
    "transactions",
    "quotes",
    "products",
    "orders",
    "leads",
    "suppliers",
    "purchases",
    "tickets"
);

impl Resource {
    /// All ten, in the document's order.
    pub const ALL: [Resource; 10] = [
        Resource::Customers,
        Resource::Invoices,
        Resource::Transactions,
        Resource::Quotes,
        Resource::Products,
        Resource::Orders,
        Resource::Leads,
        Resource::Suppliers,
        Resource::Purchases,
        Resource::Tickets,
    ];

    /// The path segment (`"customers"`).
    pub fn path(self) -> &'static str {
        match self {
            Resource::Customers => "customers",
            Resource::Invoices => "invoices",
            Resource::Transactions => "transactions",
            Resource::Quotes => "quotes",
            Resource::Products => "products",
            Resource::Orders => "orders",
            Resource::Leads => "leads",
            Resource::Suppliers => "suppliers",
            Resource::Purchases => "purchases",
            Resource::Tickets => "tickets",
        }
    }

    /// The resource of a path segment.
    pub fn from_path(path: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.path() == path)
    }

    fn name(self, kind: Kind) -> &'static str {
        NAMES[self as usize][kind as usize]
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.path())
    }
}

/// Configures a [`Client`]. Start with [`Client::builder`].
#[must_use]
pub struct ClientBuilder {
    transport: TransportBuilder,
    api_key: Option<SecretString>,
    auth: AuthMode,
    max_wait: Duration,
    retry_put_delete: bool,
}

pos_client_core::client_basics!(Client, ClientBuilder, Error, pipeline);

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("transport", &self.transport)
            .field("api_key", &self.api_key.as_ref().map(|_| "***"))
            .field("auth", &self.auth)
            .field("max_wait", &self.max_wait)
            .field("retry_put_delete", &self.retry_put_delete)
            .finish()
    }
}

impl ClientBuilder {
    /// A builder with the defaults (no base URL, no key, Bearer auth).
    pub fn new() -> Self {
        ClientBuilder {
            transport: TransportBuilder::new(concat!(
                "cloudonex-client/",
                env!("CARGO_PKG_VERSION")
            )),
            api_key: None,
            auth: AuthMode::Bearer,
            max_wait: DEFAULT_RATE_LIMIT_MAX_WAIT,
            retry_put_delete: false,
        }
    }

    /// A builder configured from variables read through `lookup` ([`from_env`](Self::from_env)
    /// reads the process environment): `CLOUDONEX_BASE_URL` (required, up to and including
    /// `/api/v2/`: every customer has their own domain) and `CLOUDONEX_API_KEY` (required). A
    /// missing variable is a configuration error naming it.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let env = Env::new(lookup);
        let base = env.required::<Code>(
            "CLOUDONEX_BASE_URL",
            "your CloudOnex API base URL, up to and including /api/v2/",
        )?;
        let key = env.secret::<Code>("CLOUDONEX_API_KEY", "your CloudOnex API key")?;
        Ok(ClientBuilder::new().base_url(base).api_key_secret(key))
    }

    /// The API key (Settings → API Access).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// The API key, already a secret.
    pub fn api_key_secret(mut self, key: SecretString) -> Self {
        self.api_key = Some(key);
        self
    }

    /// Where the key travels: [`AuthMode::Bearer`] (default) or the document's
    /// [`AuthMode::QueryString`] alternative.
    pub fn auth_mode(mut self, mode: AuthMode) -> Self {
        self.auth = mode;
        self
    }

    /// The longest the client waits on its own, before the next call, for a used-up window
    /// (the last answer said `X-RateLimit-Remaining: 0`) to reset; beyond it the call fails at
    /// once with [`Error::RateLimited`] saying when, and nothing is sent. Default
    /// [`DEFAULT_RATE_LIMIT_MAX_WAIT`].
    ///
    /// A 429 answer is not covered by this limit: its wait (`Retry-After`, else
    /// `X-RateLimit-Reset`) is allowed up to the retry policy's
    /// [`max_retry_after`](crate::RetryPolicy::max_retry_after) (default 20 s); set it with
    /// `retry_policy(RetryPolicy::default().with_max_retry_after(…))`.
    pub fn rate_limit_max_wait(mut self, wait: Duration) -> Self {
        self.max_wait = wait;
        self
    }

    /// Retries `PUT` (update) and `DELETE` like reads (on timeouts, lost connections and 5xx).
    ///
    /// Off by default: HTTP calls both idempotent, but the document does not say the server
    /// treats them so, and an update re-sent after another client's change would undo that
    /// change. With it on, a repeated `DELETE` may answer 404: [`Endpoint::delete_if_exists`]
    /// reads that as "already gone".
    pub fn retry_put_delete(mut self, retry: bool) -> Self {
        self.retry_put_delete = retry;
        self
    }

    /// Builds the client. The base URL must end with `/api/v2/` (the document's base URL) and an
    /// API key must be set, not blank and without control characters (it reaches a header or
    /// the URL); otherwise a config error that does not show the key.
    pub fn build(self) -> Result<Client, Error> {
        // The key reaches a header (Bearer) or the URL (query string).
        let key = pos_client_core::config::credential(
            self.api_key,
            "the API key",
            "call ClientBuilder::api_key",
        )?;
        let transport = self
            .transport
            .build()
            .map_err(pos_client_core::Error::with_codes)?;
        if !transport.base_url().path().ends_with("/api/v2/") {
            return Err(Error::config(
                "the base URL must end with /api/v2/ (https://your-domain.com/api/v2/)",
            ));
        }
        let pipeline = Pipeline::new(transport, CloudOnex::new(key, self.auth))
            .with_rate_limit_pacing(self.max_wait);
        Ok(Client {
            pipeline,
            max_wait: self.max_wait,
            retry_put_delete: self.retry_put_delete,
        })
    }
}

/// The CloudOnex API v2 client. Cheap to clone? No: share it by reference or in an `Arc`.
///
/// Every call goes through one pipeline: rate-limit pacing, the API key, retries of reads, the
/// envelope, typed errors.
pub struct Client {
    pipeline: Pipeline<CloudOnex>,
    max_wait: Duration,
    retry_put_delete: bool,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.pipeline.base_url().as_str())
            .field("protocol", self.pipeline.protocol())
            .field("max_wait", &self.max_wait)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The auth mode.
    pub fn auth_mode(&self) -> AuthMode {
        self.pipeline.protocol().mode()
    }

    /// `/customers`.
    pub fn customers(&self) -> Endpoint<'_, Customer> {
        self.endpoint(Resource::Customers)
    }
    /// `/invoices`.
    pub fn invoices(&self) -> Endpoint<'_, Invoice> {
        self.endpoint(Resource::Invoices)
    }
    /// `/transactions`.
    pub fn transactions(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Transactions)
    }
    /// `/quotes`.
    pub fn quotes(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Quotes)
    }
    /// `/products`.
    pub fn products(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Products)
    }
    /// `/orders`.
    pub fn orders(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Orders)
    }
    /// `/leads`.
    pub fn leads(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Leads)
    }
    /// `/suppliers`.
    pub fn suppliers(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Suppliers)
    }
    /// `/purchases`.
    pub fn purchases(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Purchases)
    }
    /// `/tickets`.
    pub fn tickets(&self) -> Endpoint<'_, Record> {
        self.records(Resource::Tickets)
    }

    /// Any of the ten resources as generic records (customers and invoices too, untyped).
    pub fn records(&self, resource: Resource) -> Endpoint<'_, Record> {
        self.endpoint(resource)
    }

    fn endpoint<T>(&self, resource: Resource) -> Endpoint<'_, T> {
        Endpoint {
            client: self,
            resource,
            _model: PhantomData,
        }
    }

    /// Sends through the pipeline; a 429 without `Retry-After` waits for `X-RateLimit-Reset`
    /// within the retry policy's `max_retry_after` (not `rate_limit_max_wait`, which paces the
    /// calls after a used-up window).
    async fn send(&self, op: Operation) -> Result<Response, Error> {
        // The core's rule: beyond `max_retry_after` the error says when.
        self.pipeline.send(op).await
    }
}

/// The five operations on one resource, decoding records as `T`. Get one from
/// [`Client::customers`], [`Client::invoices`], [`Client::products`] … or [`Client::records`].
pub struct Endpoint<'a, T> {
    client: &'a Client,
    resource: Resource,
    _model: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for Endpoint<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("resource", &self.resource)
            .finish()
    }
}

impl<'a, T: DeserializeOwned> Endpoint<'a, T> {
    /// The resource.
    pub fn resource(&self) -> Resource {
        self.resource
    }

    fn op(&self, kind: Kind, method: Method, id: Option<&str>) -> Result<Operation, Error> {
        if let Some(id) = id {
            check_id(id)?;
        }
        let read = match kind {
            Kind::List | Kind::Get => true,
            Kind::Create => false,
            Kind::Update | Kind::Delete => self.client.retry_put_delete,
        };
        let op = self.client.pipeline.protocol().operation(
            self.resource.name(kind),
            method,
            self.resource.path(),
            id,
            read,
        );
        // The document's requests carry `Content-Type: application/json` even without a body
        // (its Quick Start GET); a JSON body (create, update) sets it itself.
        let op = match kind {
            Kind::List | Kind::Get | Kind::Delete => op
                .header(CONTENT_TYPE, "application/json")
                .map_err(pos_client_core::Error::with_codes)?,
            Kind::Create | Kind::Update => op,
        };
        Ok(match (kind, id) {
            (Kind::Update | Kind::Delete, Some(id)) => {
                op.reference(format!("{} {id}", self.resource))
            }
            _ => op,
        })
    }

    /// `GET /<resource>`: the list as the server sends it (all of it, or its first page).
    pub async fn list(&self) -> Result<Page<T>, Error> {
        let op = self.op(Kind::List, Method::GET, None)?;
        self.client.send(op).await?.decode()
    }

    /// `GET /<resource>?page=<page>`: one page (the `page` parameter is the Laravel convention;
    /// the document names no paging parameter). Pages count from 1: page 0 is refused before
    /// sending.
    pub async fn list_page(&self, page: u64) -> Result<Page<T>, Error> {
        if page == 0 {
            return Err(Error::validation("page must be at least 1"));
        }
        let op = self
            .op(Kind::List, Method::GET, None)?
            .query("page", page.to_string());
        self.client.send(op).await?.decode()
    }

    /// Every record, page after page while the page information says there is a next page
    /// (`?page=1`, `?page=2` …). A list without page information is one page. Stops on an
    /// empty page or a page number that does not advance.
    pub fn list_all(&self) -> impl Stream<Item = Result<T, Error>> + Send + 'a
    where
        T: Send + 'a,
    {
        let endpoint = Endpoint::<T> {
            client: self.client,
            resource: self.resource,
            _model: PhantomData,
        };
        stream::try_unfold((endpoint, Some(1u64)), |(endpoint, page)| async move {
            let Some(number) = page else { return Ok(None) };
            let page = endpoint.list_page(number).await?;
            let next = page
                .next_page()
                .filter(|n| *n > number && !page.items.is_empty());
            let items = stream::iter(page.items.into_iter().map(Ok::<T, Error>));
            Ok(Some((items, (endpoint, next))))
        })
        .try_flatten()
    }

    /// `GET /<resource>/{id}`. The id is percent-encoded; ids with `/`, `\`, `?`, `#`, `%`,
    /// control characters or `..` are refused before sending.
    pub async fn get(&self, id: &str) -> Result<T, Error> {
        let op = self.op(Kind::Get, Method::GET, Some(id))?;
        let One(record) = self.client.send(op).await?.decode()?;
        Ok(record)
    }

    /// `DELETE /<resource>/{id}`. A 404 is [`Error::Api`] with [`Code::NotFound`].
    ///
    /// `Ok` when the server answered with the envelope (`"success": true`) or an empty body; a
    /// 2xx that is not the vendor's answer (an HTML page, JSON without the envelope) does not
    /// say the record was deleted: [`Error::OutcomeUnknown`] naming `"<resource> <id>"`.
    /// Not re-sent once it may have reached the server (unless
    /// [`ClientBuilder::retry_put_delete`]); after an outcome-unknown delete, call
    /// [`delete_if_exists`](Self::delete_if_exists): its `false` means the record is gone.
    pub async fn delete(&self, id: &str) -> Result<(), Error> {
        let op = self.op(Kind::Delete, Method::DELETE, Some(id))?;
        read_deleted(&self.client.send(op).await?)
    }

    /// Like [`delete`](Self::delete), but a JSON 404 (the server says the record does not exist)
    /// is `Ok(false)`: the record is gone, whether by this call, an earlier attempt whose answer
    /// was lost, or never existed. An HTML 404 (a wrong base URL) stays an error.
    pub async fn delete_if_exists(&self, id: &str) -> Result<bool, Error> {
        match self.delete(id).await {
            Ok(()) => Ok(true),
            Err(e) if e.code() == Some(&Code::NotFound) => Ok(false),
            Err(e) => Err(e),
        }
    }

    async fn create_body(
        &self,
        body: &impl serde::Serialize,
        reference: String,
    ) -> Result<Saved<T>, Error> {
        let op = self
            .op(Kind::Create, Method::POST, None)?
            .json(body)
            .map_err(pos_client_core::Error::with_codes)?
            .reference(reference);
        self.written(op).await
    }

    async fn update_body(&self, id: &str, body: &impl serde::Serialize) -> Result<Saved<T>, Error> {
        let op = self
            .op(Kind::Update, Method::PUT, Some(id))?
            .json(body)
            .map_err(pos_client_core::Error::with_codes)?;
        self.written(op).await
    }

    /// Sends a write and reads its 2xx answer: the record when the server returned one, else a
    /// receipt (never a decode error: the write was carried out; see [`Saved`]).
    async fn written(&self, op: Operation) -> Result<Saved<T>, Error> {
        let response = self.client.send(op).await?;
        read_written(&response, self.resource)
    }
}

impl Endpoint<'_, Customer> {
    /// `POST /customers`. Checked first (account required, e-mail format); a write, never
    /// re-sent: an outcome-unknown error names the customer's e-mail (else the account).
    /// A 2xx answer gives [`Saved`]: the created record, or the sign the server accepted it
    /// without returning it (`"data": {}`, null, `[]`, empty body, a bare id).
    pub async fn create(&self, customer: &NewCustomer) -> Result<Saved<Customer>, Error> {
        customer.validate()?;
        self.create_body(customer, customer.reference()).await
    }

    /// `PUT /customers/{id}`: the fields set in `update`. Returns [`Saved`] (the record, or
    /// none sent).
    pub async fn update(
        &self,
        id: &str,
        update: &CustomerUpdate,
    ) -> Result<Saved<Customer>, Error> {
        update.validate()?;
        self.update_body(id, update).await
    }
}

impl Endpoint<'_, Invoice> {
    /// `POST /invoices`. A write, never re-sent: an outcome-unknown error names the invoice's
    /// reference ([`NewInvoice::reference`]). Returns [`Saved`] (the record, or none sent).
    pub async fn create(&self, invoice: &NewInvoice) -> Result<Saved<Invoice>, Error> {
        self.create_body(invoice, invoice.reference()).await
    }

    /// `PUT /invoices/{id}`. Returns [`Saved`] (the record, or none sent).
    pub async fn update(&self, id: &str, update: &InvoiceUpdate) -> Result<Saved<Invoice>, Error> {
        update.validate()?;
        self.update_body(id, update).await
    }
}

impl Endpoint<'_, Record> {
    /// `POST /<resource>` with a JSON object. An outcome-unknown error names the request's
    /// reference when it has one. Returns [`Saved`] (the record, or none sent).
    pub async fn create(&self, record: &RecordRequest) -> Result<Saved<Record>, Error> {
        record.validate()?;
        let reference = record
            .reference_text()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("new record in {}", self.resource));
        self.create_body(record, reference).await
    }

    /// `PUT /<resource>/{id}` with a JSON object. Returns [`Saved`] (the record, or none sent).
    pub async fn update(&self, id: &str, record: &RecordRequest) -> Result<Saved<Record>, Error> {
        record.validate()?;
        self.update_body(id, record).await
    }
}
