//! The CloudMA client: [`Client`], [`ClientBuilder`], and one async method per operation.

use std::fmt;

use pos_client_core::http::{Method, StatusCode};
use pos_client_core::protocol::text_field;
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{Env, Operation, Pipeline, Response, TransportBuilder};

use crate::error::{Error, ErrorCode};
use crate::models::{Purchase, Sale, StockLevel};
use crate::protocol::{BodyEncoding, Cloudma};

/// The vendor name used in errors and tracing spans.
pub const VENDOR: &str = "cloudma";

/// The documented base URL (the vendor's test server), up to and including `/api/`.
pub const DEFAULT_BASE_URL: &str = "https://testdev.cloudma.app/api/";

/// The environment variable holding the base URL (optional; default [`DEFAULT_BASE_URL`]).
pub const BASE_URL_VAR: &str = "CLOUDMA_BASE_URL";

/// The environment variable holding the API token (required by [`Client::from_env`]).
pub const TOKEN_VAR: &str = "CLOUDMA_TOKEN";

/// The API token printed in the vendor's documentation for its test server. The crate's sandbox
/// accepts it by default. It is not a default of the client: pass your token explicitly.
pub const TEST_TOKEN: &str = "38iGm3yI86Hw";

/// The user agent sent with every request: `cloudma-client/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    token: Option<SecretString>,
    encoding: BodyEncoding,
    /// Timeouts, retry policy, HTTP client and plain-HTTP opt-in, applied at `build`.
    transport: TransportBuilder,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("encoding", &self.encoding)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// A builder with the documented base URL, form bodies and the default retry policy; set
    /// at least the token.
    ///
    /// ```
    /// use cloudma_client::{BodyEncoding, Client};
    /// let client = Client::builder()
    ///     .token("my-token")
    ///     .body_encoding(BodyEncoding::Form)
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://testdev.cloudma.app/api/");
    /// assert!(!format!("{client:?}").contains("my-token"));
    /// # Ok::<(), cloudma_client::Error>(())
    /// ```
    pub fn new() -> Self {
        ClientBuilder {
            token: None,
            encoding: BodyEncoding::default(),
            transport: TransportBuilder::new(USER_AGENT).base_url(DEFAULT_BASE_URL),
        }
    }

    /// A builder configured from variables read through `lookup` (a config system, a map in
    /// tests; [`from_env`](Self::from_env) reads the process environment): [`TOKEN_VAR`]
    /// (`CLOUDMA_TOKEN`, required) and [`BASE_URL_VAR`] (`CLOUDMA_BASE_URL`, default
    /// [`DEFAULT_BASE_URL`]). A missing or empty token is an
    /// [`Error::Config`](pos_client_core::Error::Config) error naming the variable.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let env = Env::new(lookup);
        let token = env.required::<ErrorCode>(TOKEN_VAR, "the CloudMA API token")?;
        let builder = ClientBuilder::new().token(token);
        Ok(match env.optional(BASE_URL_VAR) {
            Some(url) => builder.base_url(url),
            None => builder,
        })
    }

    /// The API token, sent as the POST parameter `token` with every request.
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(SecretString::from(token.into()));
        self
    }

    /// The API token, already wrapped as a secret.
    pub fn token_secret(mut self, token: SecretString) -> Self {
        self.token = Some(token);
        self
    }

    /// The body encoding (default [`BodyEncoding::Form`]).
    pub fn body_encoding(mut self, encoding: BodyEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// A [`Config`](pos_client_core::Error::Config) error (nothing is sent) when the token is
    /// missing, blank or contains a control character (CR, LF, NUL …), or when the base URL or
    /// a timeout is invalid (see [`TransportBuilder`]).
    pub fn build(self) -> Result<Client, Error> {
        let token = pos_client_core::config::credential(
            self.token,
            "the CloudMA API token",
            &format!("ClientBuilder::token, or {TOKEN_VAR} with Client::from_env"),
        )?;
        let transport = self
            .transport
            .build()
            .map_err(pos_client_core::Error::with_codes)?;
        Ok(Client {
            pipeline: Pipeline::new(
                transport,
                Cloudma {
                    token,
                    encoding: self.encoding,
                },
            )
            .into(),
        })
    }
}

pos_client_core::client_basics!(Client, ClientBuilder, Error, pipeline);

/// A CloudMA API client. Cheap to clone; clones share the connection pool and retry budget.
///
/// Debug output never shows the token.
#[derive(Clone)]
pub struct Client {
    pipeline: std::sync::Arc<Pipeline<Cloudma>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("token", &"***")
            .field("encoding", &self.body_encoding())
            .finish_non_exhaustive()
    }
}

/// The answer to a successful push (HTTP 200 or 201).
///
/// The vendor does not document the body of a success, so any JSON is accepted (kept in
/// [`raw`](Self::raw), with `message`/`id` picked out when present). The document says "All
/// responses are issued in JSON format": a success status whose body is not JSON (an HTML page,
/// a cut-off answer, an empty body) is not CloudMA's answer and cannot prove the push was
/// recorded, so it is an [`OutcomeUnknown`](pos_client_core::Error::OutcomeUnknown) error naming
/// the `reference_no`. A 204 No Content, which has no body by definition, is a success
/// ([`raw`](Self::raw) is `null`). Any occurrence of the token in the body is replaced by `***`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct PushReceipt {
    /// The `reference_no` that was pushed.
    pub reference_no: String,
    /// The HTTP status (200 or 201).
    pub status: StatusCode,
    /// The server's message (`message` or `msg`), when present.
    pub message: Option<String>,
    /// An id the server assigned (`id`, `sale_id`, `purchase_id`, `grn_id` or `insert_id`), when
    /// present; numbers are given as their text.
    pub id: Option<String>,
    /// The whole body as JSON.
    pub raw: serde_json::Value,
}

impl PushReceipt {
    /// The receipt of a push's success answer, as [`Client::push_sale`] reads it (the sandbox's
    /// exerciser too). A body that is not JSON (a UTF-8 byte-order mark aside, as PHP servers
    /// sometimes send one) is outcome-unknown naming the reference: see the type's docs. A 204
    /// No Content (no body by definition) is a success.
    pub(crate) fn read(
        reference_no: &str,
        response: &Response,
        token: &str,
    ) -> Result<Self, Error> {
        let body: &[u8] = response.body();
        let body = pos_client_core::encoding::without_bom(body);
        // 204 No Content says "done" and can carry no body, so it is no cut-off answer.
        let no_content = response.status() == StatusCode::NO_CONTENT && body.is_empty();
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body)
            && !no_content
        {
            return Err(response.not_understood(format!("it is not JSON: {e}")));
        }
        Ok(PushReceipt::from_answer(
            reference_no,
            response.status(),
            body,
            token,
        ))
    }

    /// The receipt of a success answer (`status`, `body`).
    fn from_answer(reference_no: &str, status: StatusCode, body: &[u8], token: &str) -> Self {
        let text = String::from_utf8_lossy(body);
        // The token is replaced in the text before it is parsed, so no string of `raw` holds it.
        let text = pos_client_core::redact::redact_secrets(&text, &[token]);
        let raw = if text.trim().is_empty() {
            serde_json::Value::Null
        } else {
            serde_json::from_str::<serde_json::Value>(&text).unwrap_or_else(|_| {
                let snippet = pos_client_core::error::BodySnippet::new(body, &[token]);
                serde_json::Value::String(snippet.as_str().to_owned())
            })
        };
        PushReceipt {
            reference_no: reference_no.to_owned(),
            status,
            message: text_field(&raw, &["message", "msg"]),
            id: text_field(
                &raw,
                &["id", "sale_id", "purchase_id", "grn_id", "insert_id"],
            ),
            raw,
        }
    }
}

impl Client {
    /// The body encoding in use.
    pub fn body_encoding(&self) -> BodyEncoding {
        self.pipeline.protocol().encoding
    }

    /// `POST sync-stock`: the code, name and quantity of every active product.
    ///
    /// A read: retried on timeouts, lost connections, 408/429/5xx per the retry policy.
    pub async fn sync_stock(&self) -> Result<Vec<StockLevel>, Error> {
        let op = Operation::read(VENDOR, "sync-stock", Method::POST, "sync-stock");
        let op = self.pipeline.protocol().with_body(op, None::<&()>)?;
        let response = self.pipeline.send(op).await?;
        // `data: null` in a wrapper means no products.
        let stock: Vec<StockLevel> = match response.payload() {
            Some(_) => response.decode()?,
            None => Vec::new(),
        };
        tracing::debug!(products = stock.len(), "cloudma: stock synced");
        Ok(stock)
    }

    /// `POST push-sale`: records a sale. Build it with [`Sale::builder`].
    ///
    /// The sale is checked first ([`Sale::validate`]); a broken rule is an error and nothing is
    /// sent. A write: never re-sent once it may have reached the server. If the answer is lost
    /// or is not JSON (see [`PushReceipt`]), the error
    /// [`is_outcome_unknown`](Error::is_outcome_unknown) and names the `reference_no`:
    /// check CloudMA before pushing again (a repeated reference is rejected with 400).
    pub async fn push_sale(&self, sale: &Sale) -> Result<PushReceipt, Error> {
        sale.validate()?;
        self.push("push-sale", &sale.reference_no, sale).await
    }

    /// `POST push-purchase`: records a purchase / Goods Received Note. Build it with
    /// [`Purchase::builder`].
    ///
    /// `grand_total` is sent although the vendor's parameter list omits it, because its rule
    /// names it (see [`Purchase`]). Checked, sent and reported like [`push_sale`](Self::push_sale).
    pub async fn push_purchase(&self, purchase: &Purchase) -> Result<PushReceipt, Error> {
        purchase.validate()?;
        self.push("push-purchase", &purchase.reference_no, purchase)
            .await
    }

    async fn push<T: serde::Serialize>(
        &self,
        name: &'static str,
        reference_no: &str,
        body: &T,
    ) -> Result<PushReceipt, Error> {
        let op = Operation::write(VENDOR, name, Method::POST, name).reference(reference_no);
        let protocol = self.pipeline.protocol();
        let op = protocol.with_body(op, Some(body))?;
        let response = self.pipeline.send(op).await?;
        let receipt = PushReceipt::read(reference_no, &response, protocol.token.expose_secret())?;
        tracing::debug!(operation = name, %reference_no, status = receipt.status.as_u16(), "cloudma: pushed");
        Ok(receipt)
    }
}
