//! The CloudMA client: [`Client`], [`ClientBuilder`], and one async method per operation.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use pos_client_core::http::{Method, StatusCode};
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{Operation, Response, RetryPolicy, Transport, TransportBuilder};
use serde::Serialize;
use serde_json::value::RawValue;

use crate::error::{CoreError, Error};
use crate::models::{Purchase, Sale, StockLevel};

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

/// How request bodies are encoded. The token always travels in the body, never in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BodyEncoding {
    /// `application/x-www-form-urlencoded`, arrays in PHP bracket notation
    /// (`token=…&reference_no=S-1&items[0][code]=A-1&items[0][qty]=2…`). The default.
    ///
    /// The vendor asks for the token "as a POST parameter"; a PHP backend reads POST parameters
    /// from `$_POST`, which only a form body fills.
    #[default]
    Form,
    /// `application/json`: one JSON document with `token` as its first field
    /// (`{"token":"…","reference_no":"S-1","items":[{"code":"A-1","qty":2,…}]}`), for servers
    /// that read the raw JSON body.
    Json,
}

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    token: Option<SecretString>,
    encoding: BodyEncoding,
    /// Timeouts, retry policy, HTTP client and plain-HTTP opt-in, applied at `build`.
    transport: TransportBuilder,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("encoding", &self.encoding)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with the documented base URL, form bodies and the default retry policy.
    pub fn new() -> Self {
        ClientBuilder {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token: None,
            encoding: BodyEncoding::default(),
            transport: TransportBuilder::default(),
        }
    }

    /// A builder configured from the environment: [`TOKEN_VAR`] (`CLOUDMA_TOKEN`, required) and
    /// [`BASE_URL_VAR`] (`CLOUDMA_BASE_URL`, default [`DEFAULT_BASE_URL`]).
    ///
    /// A missing or empty token is an [`Error::Core`] configuration error naming the variable.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`from_env`](Self::from_env), reading the variables through `lookup` (a config
    /// system, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let token = lookup(TOKEN_VAR)
            .filter(|t| !t.trim().is_empty())
            .ok_or_else(|| {
                Error::from(CoreError::config(format!(
                    "{TOKEN_VAR} is not set or empty; it must hold the CloudMA API token"
                )))
            })?;
        let mut builder = ClientBuilder::new().token(token);
        if let Some(url) = lookup(BASE_URL_VAR).filter(|u| !u.trim().is_empty()) {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }

    /// The base URL, up to and including `/api/` (a missing trailing `/` is added).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
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

    /// Time allowed for one attempt, to the end of the response (default 30 s, at most 300 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.timeout(timeout);
        self
    }

    /// Time allowed to open a connection (default 5 s, at most 300 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.connect_timeout(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: 3 attempts, jittered backoff).
    /// `sync-stock` is retried per the policy; pushes are never re-sent once they may have
    /// reached the server.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.transport = self.transport.retry_policy(policy);
        self
    }

    /// Uses your own `reqwest::Client` (proxies, custom roots). Its redirect policy then applies.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.transport = self.transport.http_client(client);
        self
    }

    /// Allows plain `http://` to a non-loopback host (off by default: the token would cross the
    /// network in clear text).
    pub fn allow_plain_http(mut self, allow: bool) -> Self {
        self.transport = self.transport.allow_plain_http(allow);
        self
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let token = self.token.ok_or_else(|| {
            Error::from(CoreError::config(format!(
                "a CloudMA API token is required: ClientBuilder::token, or {TOKEN_VAR} with Client::from_env"
            )))
        })?;
        if token.expose_secret().trim().is_empty() {
            return Err(Error::from(CoreError::config(
                "the CloudMA API token is empty",
            )));
        }
        let transport = self
            .transport
            .user_agent(USER_AGENT)
            .base_url(self.base_url);
        Ok(Client {
            transport: transport.build()?,
            token,
            encoding: self.encoding,
        })
    }
}

/// A CloudMA API client. Cheap to clone; clones share the connection pool and retry budget.
///
/// Debug output never shows the token.
#[derive(Clone)]
pub struct Client {
    transport: Transport,
    token: SecretString,
    encoding: BodyEncoding,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.transport.base_url().as_str())
            .field("token", &"***")
            .field("encoding", &self.encoding)
            .finish_non_exhaustive()
    }
}

/// The answer to a successful push (HTTP 200 or 201).
///
/// The vendor does not document the body of a success, so any body is accepted: JSON (kept in
/// [`raw`](Self::raw), with `message`/`id` picked out when present), an empty body
/// ([`serde_json::Value::Null`]) or text (kept as a JSON string, bounded). Any occurrence of the
/// token in the body is replaced by `***`.
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
    fn from_response(reference_no: &str, response: &Response, token: &str) -> Self {
        let body = response.body();
        let raw = if body.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            match serde_json::from_slice::<serde_json::Value>(body) {
                Ok(v) => redact_value(v, token),
                Err(_) => serde_json::Value::String(response.snippet().as_str().to_owned()),
            }
        };
        let text = |keys: &[&str]| {
            keys.iter().find_map(|k| match raw.get(*k) {
                Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            })
        };
        PushReceipt {
            reference_no: reference_no.to_owned(),
            status: response.status(),
            message: text(&["message", "msg"]),
            id: text(&["id", "sale_id", "purchase_id", "grn_id", "insert_id"]),
            raw,
        }
    }
}

/// Replaces the token wherever it appears inside the strings of a JSON value.
fn redact_value(value: serde_json::Value, token: &str) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) if !token.is_empty() && s.contains(token) => {
            Value::String(s.replace(token, pos_client_core::redact::REDACTED))
        }
        Value::Array(a) => Value::Array(a.into_iter().map(|v| redact_value(v, token)).collect()),
        Value::Object(o) => Value::Object(
            o.into_iter()
                .map(|(k, v)| (k, redact_value(v, token)))
                .collect(),
        ),
        other => other,
    }
}

/// The keys under which a wrapped `sync-stock` answer may hold its array, in order of preference.
pub const STOCK_WRAPPER_KEYS: [&str; 4] = ["data", "products", "stock", "items"];

/// Decodes a `sync-stock` answer: a bare array, or an object holding the array under one of
/// [`STOCK_WRAPPER_KEYS`] (`null` there means no products).
fn decode_stock(response: &Response) -> Result<Vec<StockLevel>, CoreError> {
    let body = response.body();
    let first = body.iter().find(|b| !b.is_ascii_whitespace());
    match first {
        Some(b'[') => response.json(),
        Some(b'{') => {
            let map: HashMap<String, &RawValue> =
                serde_json::from_slice(body).map_err(|e| response.decode_error(e.to_string()))?;
            let Some(array) = STOCK_WRAPPER_KEYS.iter().find_map(|k| map.get(*k)) else {
                return Err(response.decode_error(
                    "expected an array of products, or an object with a `data`, `products`, \
                     `stock` or `items` array",
                ));
            };
            if array.get().trim() == "null" {
                return Ok(Vec::new());
            }
            serde_json::from_str(array.get()).map_err(|e| response.decode_error(e.to_string()))
        }
        _ => Err(response.decode_error("expected a JSON array of products (code, name, qty)")),
    }
}

/// A JSON body: the token first, then the request's own fields.
#[derive(Serialize)]
struct JsonBody<'a, T: Serialize> {
    token: &'a str,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    fields: Option<&'a T>,
}

impl Client {
    /// A builder with the documented base URL; set at least the token.
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
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client from `CLOUDMA_TOKEN` (required) and `CLOUDMA_BASE_URL` (optional).
    /// See [`ClientBuilder::from_env`].
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL operations are relative to.
    pub fn base_url(&self) -> &str {
        self.transport.base_url().as_str()
    }

    /// The body encoding in use.
    pub fn body_encoding(&self) -> BodyEncoding {
        self.encoding
    }

    /// The underlying transport (rate-limit information, retry budget).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Adds the token and the request's fields to `op`, in the client's body encoding.
    fn with_body<T: Serialize>(
        &self,
        op: Operation,
        fields: Option<&T>,
    ) -> Result<Operation, Error> {
        Ok(match self.encoding {
            BodyEncoding::Form => {
                let op = op.form_secret("token", &self.token);
                match fields {
                    Some(fields) => op.php_form(fields)?,
                    None => op,
                }
            }
            BodyEncoding::Json => op
                .json(&JsonBody {
                    token: self.token.expose_secret(),
                    fields,
                })?
                .redact(&self.token),
        })
    }

    /// `POST sync-stock`: the code, name and quantity of every active product.
    ///
    /// A read: retried on timeouts, lost connections, 408/429/5xx per the retry policy.
    pub async fn sync_stock(&self) -> Result<Vec<StockLevel>, Error> {
        let op = Operation::read(VENDOR, "sync-stock", Method::POST, "sync-stock");
        let op = self.with_body(op, None::<&()>)?;
        let response = self.transport.execute(&op).await?;
        let stock = decode_stock(&response)?;
        tracing::debug!(products = stock.len(), "cloudma: stock synced");
        Ok(stock)
    }

    /// `POST push-sale`: records a sale. Build it with [`Sale::builder`].
    ///
    /// The sale is checked first ([`Sale::validate`]); a broken rule is an error and nothing is
    /// sent. A write: never re-sent once it may have reached the server. If the answer is lost,
    /// the error [`is_outcome_unknown`](Error::is_outcome_unknown) and names the `reference_no`:
    /// check CloudMA before pushing again (a repeated reference is rejected with 400).
    pub async fn push_sale(&self, sale: &Sale) -> Result<PushReceipt, Error> {
        sale.validate()?;
        let op = Operation::write(VENDOR, "push-sale", Method::POST, "push-sale")
            .reference(sale.reference_no.clone());
        let op = self.with_body(op, Some(sale))?;
        let response = self.transport.execute(&op).await?;
        let receipt =
            PushReceipt::from_response(&sale.reference_no, &response, self.token.expose_secret());
        tracing::debug!(reference_no = %sale.reference_no, status = receipt.status.as_u16(), "cloudma: sale pushed");
        Ok(receipt)
    }

    /// `POST push-purchase`: records a purchase / Goods Received Note. Build it with
    /// [`Purchase::builder`].
    ///
    /// `grand_total` is sent although the vendor's parameter list omits it, because its rule
    /// names it (see [`Purchase`]). Checked, sent and reported like [`push_sale`](Self::push_sale).
    pub async fn push_purchase(&self, purchase: &Purchase) -> Result<PushReceipt, Error> {
        purchase.validate()?;
        let op = Operation::write(VENDOR, "push-purchase", Method::POST, "push-purchase")
            .reference(purchase.reference_no.clone());
        let op = self.with_body(op, Some(purchase))?;
        let response = self.transport.execute(&op).await?;
        let receipt = PushReceipt::from_response(
            &purchase.reference_no,
            &response,
            self.token.expose_secret(),
        );
        tracing::debug!(reference_no = %purchase.reference_no, status = receipt.status.as_u16(), "cloudma: purchase pushed");
        Ok(receipt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_lookup_needs_the_token_and_names_the_variable_only() {
        let env = |vars: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                vars.iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        let err = ClientBuilder::from_lookup(env(&[])).unwrap_err();
        assert!(err.to_string().contains("CLOUDMA_TOKEN"), "{err}");
        let err = ClientBuilder::from_lookup(env(&[("CLOUDMA_TOKEN", "  ")])).unwrap_err();
        assert!(err.to_string().contains("CLOUDMA_TOKEN"), "{err}");

        let client = ClientBuilder::from_lookup(env(&[("CLOUDMA_TOKEN", "tok-SECRET-1")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(client.base_url(), DEFAULT_BASE_URL);
        let client = ClientBuilder::from_lookup(env(&[
            ("CLOUDMA_TOKEN", "tok-SECRET-1"),
            ("CLOUDMA_BASE_URL", "http://127.0.0.1:9/api"),
        ]))
        .unwrap();
        assert!(!format!("{client:?}").contains("tok-SECRET-1"));
        let client = client.build().unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9/api/");
        assert!(!format!("{client:?}").contains("tok-SECRET-1"));

        // A remote plain-http URL is refused; the error does not carry the token.
        let err = ClientBuilder::from_lookup(env(&[
            ("CLOUDMA_TOKEN", "tok-SECRET-1"),
            ("CLOUDMA_BASE_URL", "http://cloudma.example/api/"),
        ]))
        .unwrap()
        .build()
        .unwrap_err();
        assert!(!format!("{err} {err:?}").contains("tok-SECRET-1"));
        assert!(Client::builder().build().is_err());
        assert!(Client::builder().token("").build().is_err());
    }

    #[test]
    fn json_body_puts_the_token_first_and_keeps_exact_decimals() {
        use crate::models::SaleItem;
        let sale = Sale::builder("S-1")
            .item(SaleItem::new("A", 2, "12.50".parse().unwrap()))
            .build()
            .unwrap();
        let body = serde_json::to_string(&JsonBody {
            token: "t",
            fields: Some(&sale),
        })
        .unwrap();
        assert_eq!(
            body,
            r#"{"token":"t","reference_no":"S-1","shipping_cost":0,"total_discount":0,"grand_total":25.00,"items":[{"code":"A","qty":2,"discount":0,"total":25.00,"unit_price":12.50}]}"#
        );
        let body = serde_json::to_string(&JsonBody::<()> {
            token: "t",
            fields: None,
        })
        .unwrap();
        assert_eq!(body, r#"{"token":"t"}"#);
    }

    #[test]
    fn receipts_redact_the_token() {
        let v = redact_value(
            serde_json::json!({"echo": "token=abc123", "list": ["abc123"], "n": 1}),
            "abc123",
        );
        assert_eq!(
            v,
            serde_json::json!({"echo": "token=***", "list": ["***"], "n": 1})
        );
    }
}
