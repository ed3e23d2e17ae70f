//! The NOOM client: [`Client`], [`ClientBuilder`], the access-token session, and the
//! client-level acts (`USERACCESS`, `ODOC_LIST`, `DOCCHANGESTATE`). Opening a document
//! (`ODOC_NEW`, `ODOC_MODIFY`) and the acts on an open document live in [`crate::document`].

use std::fmt;
use std::sync::Arc;

use pos_client_core::rust_decimal::Decimal;
use pos_client_core::secrecy::SecretString;
use pos_client_core::serde_with::de::DeserializeAsWrap;
use pos_client_core::validate::{self, ParamStyle};
use pos_client_core::{Env, Operation, Pipeline, Response, Session, TransportBuilder};

use crate::error::{Error, NoomCode};
use crate::ids::{DocState, DocUid, DocumentKey};
use crate::models::DocUidData;
use crate::protocol::{Noom, Params, plain};

pub use crate::protocol::{ParamPlacement, VENDOR};

/// The environment variable holding the base URL (required: NOOM runs on-premise, so there is
/// no default), e.g. `https://noom.example.com:8443/api/`.
pub const BASE_URL_VAR: &str = "NOOM_BASE_URL";

/// The environment variable holding the API user name.
pub const USER_VAR: &str = "NOOM_USER";

/// The environment variable holding the API password.
pub const PASSWORD_VAR: &str = "NOOM_PASSWORD";

/// The user agent sent with every request: `noom-client/<version>`.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The decimal separator of quantities, prices and amounts sent as parameters.
///
/// The vendor's documents show both: the primary `ODOC_ITEMSALE` example sends
/// `quantity=3,345&price=8,67` and the server answers amounts as `"15,00"`, while another example
/// sends `price=11.5`. The default is [`DecimalSeparator::Comma`], following the primary example
/// and the server's own answers (NOOM is an Estonian product, where the comma is the decimal
/// separator). Switch to [`DecimalSeparator::Point`] if your server reads `3,345` as 3345.
///
/// Parameters are sent without trailing zeros (`15.00` as `15`, `0.50` as `0,5`), as the
/// document's examples write them (`amount=10`, `price=11.5`): a whole number carries no
/// separator, so it reads the same under either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecimalSeparator {
    /// `3,345` (the default).
    #[default]
    Comma,
    /// `3.345`.
    Point,
}

impl DecimalSeparator {
    /// The core's name for this separator (the generated parameters write decimals with it).
    fn core(self) -> validate::DecimalSeparator {
        match self {
            DecimalSeparator::Comma => validate::DecimalSeparator::Comma,
            DecimalSeparator::Point => validate::DecimalSeparator::Point,
        }
    }

    /// Formats a decimal with this separator, keeping its exact digits (`8.670` stays `8,670`).
    ///
    /// ```
    /// use noom_client::{Decimal, DecimalSeparator};
    /// let d: Decimal = "3.345".parse().unwrap();
    /// assert_eq!(DecimalSeparator::Comma.format(d), "3,345");
    /// assert_eq!(DecimalSeparator::Point.format(d), "3.345");
    /// ```
    pub fn format(self, value: Decimal) -> String {
        validate::decimal_text(value, self.core())
    }
}

/// Configures a [`Client`]. Start with [`Client::builder`] or [`ClientBuilder::from_env`].
#[derive(Clone)]
#[must_use]
pub struct ClientBuilder {
    user: Option<String>,
    password: Option<SecretString>,
    placement: ParamPlacement,
    separator: DecimalSeparator,
    /// Base URL, timeouts, retry policy, HTTP client and plain-HTTP opt-in, applied at `build`.
    transport: TransportBuilder,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("placement", &self.placement)
            .field("separator", &self.separator)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

pos_client_core::client_basics!(Client, ClientBuilder, Error, pipeline);

impl ClientBuilder {
    /// An empty builder: set the base URL (`https://HOST:PORT/api/`: NOOM runs on-premise, so
    /// there is no default), the user and the password.
    ///
    /// ```
    /// use noom_client::{Client, DecimalSeparator, ParamPlacement};
    /// let client = Client::builder()
    ///     .base_url("https://noom.example.com:8443/api/")
    ///     .user("APITEST")
    ///     .password("s3cret-pass")
    ///     .param_placement(ParamPlacement::QueryAndBody)
    ///     .decimal_separator(DecimalSeparator::Comma)
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://noom.example.com:8443/api/");
    /// assert!(!format!("{client:?}").contains("s3cret-pass"));
    /// # Ok::<(), noom_client::Error>(())
    /// ```
    pub fn new() -> Self {
        ClientBuilder {
            user: None,
            password: None,
            placement: ParamPlacement::default(),
            separator: DecimalSeparator::default(),
            transport: TransportBuilder::new(USER_AGENT),
        }
    }

    /// A builder configured from variables read through `lookup` (a config system, a map in
    /// tests; [`from_env`](Self::from_env) reads the process environment): [`BASE_URL_VAR`]
    /// (`NOOM_BASE_URL`), [`USER_VAR`] (`NOOM_USER`) and [`PASSWORD_VAR`] (`NOOM_PASSWORD`),
    /// all required. A missing or empty variable is a configuration error naming it.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, Error> {
        let env = Env::new(lookup);
        let base_url = env.required::<NoomCode>(
            BASE_URL_VAR,
            "the NOOM API base URL, e.g. https://host:port/api/",
        )?;
        let user = env.required::<NoomCode>(USER_VAR, "the NOOM API user name")?;
        let password = env.secret::<NoomCode>(PASSWORD_VAR, "the NOOM API password")?;
        Ok(ClientBuilder::new()
            .base_url(base_url)
            .user(user)
            .password_secret(password))
    }

    /// The API user name (`user` of `USERACCESS`). [`build`](Self::build) refuses an empty one
    /// and one with control characters (it may travel in a URL).
    pub fn user(mut self, user: impl Into<String>) -> Self {
        self.user = Some(user.into());
        self
    }

    /// The API password (`pass` of `USERACCESS`). [`build`](Self::build) refuses a blank one
    /// and one with a control character (a newline read from a file).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(SecretString::from(password.into()));
        self
    }

    /// The API password, already wrapped as a secret.
    pub fn password_secret(mut self, password: SecretString) -> Self {
        self.password = Some(password);
        self
    }

    /// Where parameters travel (default [`ParamPlacement::QueryAndBody`]: the query string as
    /// the document's examples show it, and `act` and the parameters again in the form body).
    pub fn param_placement(mut self, placement: ParamPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// The decimal separator of quantities, prices and amounts (default
    /// [`DecimalSeparator::Comma`]).
    pub fn decimal_separator(mut self, separator: DecimalSeparator) -> Self {
        self.separator = separator;
        self
    }

    /// Checks the settings and builds the client. No request is sent: the session starts with
    /// the first call.
    ///
    /// Reads (`ODOC_GETDOC`, `ODOC_CHECK`, `ODOC_LIST`, `ODOC_GETPAYMODES`, `USERACCESS`) are
    /// retried per the [`retry_policy`](Self::retry_policy); every other act is a write, never
    /// re-sent once it may have reached the server.
    pub fn build(self) -> Result<Client, Error> {
        // The user may travel in the URL (the default placement sends it in the query too).
        let user = pos_client_core::config::setting(
            self.user,
            "the NOOM user",
            &format!("ClientBuilder::user, or {USER_VAR} with Client::from_env"),
        )?;
        let password = pos_client_core::config::credential(
            self.password,
            "the NOOM password",
            &format!("ClientBuilder::password, or {PASSWORD_VAR} with Client::from_env"),
        )?;
        let transport = self
            .transport
            .build()
            .map_err(pos_client_core::Error::with_codes)?;
        let protocol = Noom {
            user,
            password,
            placement: self.placement,
            session: Session::new(),
        };
        Ok(Client {
            pipeline: Arc::new(Pipeline::new(transport, protocol)),
            separator: self.separator,
        })
    }
}

/// A NOOM API client. Cheap to clone; clones share the connection pool, the retry budget and
/// the access-token session.
///
/// The session starts lazily: the first call sends `USERACCESS`, and concurrent first calls
/// share that one login (single flight). When the server refuses the token, the client logs in
/// again once and repeats the refused call once (the re-login rule: see [`crate::error`]).
/// Debug output never shows the password or the token.
#[derive(Clone)]
pub struct Client {
    pipeline: Arc<Pipeline<Noom>>,
    separator: DecimalSeparator,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("user", &self.user())
            .field("password", &"***")
            .field("placement", &self.param_placement())
            .field("separator", &self.separator)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// The API user name.
    pub fn user(&self) -> &str {
        &self.pipeline.protocol().user
    }

    /// Where parameters travel.
    pub fn param_placement(&self) -> ParamPlacement {
        self.pipeline.protocol().placement
    }

    /// The decimal separator of quantities, prices and amounts.
    pub fn decimal_separator(&self) -> DecimalSeparator {
        self.separator
    }

    /// Tokens left in the retry budget shared by the clones of this client.
    pub fn retry_budget_available(&self) -> u32 {
        self.pipeline.retry_budget_available()
    }

    /// Logs in now (`USERACCESS`) unless the client already holds an access token.
    ///
    /// Not needed before other calls (the first call logs in), but useful to check credentials
    /// at start-up: wrong ones give [`NoomCode::InvalidCredentials`], never retried.
    pub async fn login(&self) -> Result<(), Error> {
        self.pipeline.credential().await.map(|_| ())
    }

    /// Whether the client currently holds an access token.
    pub async fn has_session(&self) -> bool {
        self.pipeline.protocol().session.is_active().await
    }

    /// Drops the current access token; the next call logs in again.
    pub async fn forget_session(&self) {
        self.pipeline.protocol().session.clear().await;
    }

    /// How the generated request parameters write their decimals: the configured separator,
    /// without trailing zeros (`15.00` as `15`), as every example of the document writes them
    /// (`amount=10`, `price=11.5`): a whole number then reads the same under either separator.
    pub(crate) fn param_style(&self) -> ParamStyle {
        ParamStyle::new()
            .decimal(self.separator.core())
            .without_trailing_zeros()
    }

    /// The operation of `act` with `params`, placed per the configured placement.
    pub(crate) fn act(&self, act: &'static str, read: bool, params: Params) -> Operation {
        self.pipeline.protocol().act(act, read, params)
    }

    /// Sends `op` through the pipeline (session, token, retries, envelope, re-login rule). The
    /// answer is a NOOM envelope with `status` 1: any other success answer is not understood
    /// (outcome-unknown for a write, naming its reference; a decode error for a read).
    pub(crate) async fn send(&self, op: Operation) -> Result<Response, Error> {
        let response = self.pipeline.send(op).await?;
        crate::protocol::acknowledged(&response)?;
        Ok(response)
    }

    /// `ODOC_LIST`: the docuids of all open documents. A read.
    ///
    /// Sends no parameter but `act` and the token: the vendor's table marks `docuid` required,
    /// but its example sends none and the act lists every open document, so the example wins.
    ///
    /// One document may arrive as an object instead of a one-element array; `null` or `""` as
    /// `data` means none.
    pub async fn list_open_documents(&self) -> Result<Vec<DocUid>, Error> {
        let response = self.send(self.act("ODOC_LIST", true, Vec::new())).await?;
        open_documents(&response)
    }

    /// `DOCCHANGESTATE`: sets a saved document's state to `newstate` (which must exist in the
    /// NOOM document state table). The document is named by docuid, dhid or dochid; `local`
    /// sends `local=1` (only the local base).
    ///
    /// A write: if the answer is lost, the error is outcome-unknown and names the document.
    /// A `dhid` or `dochid` must fit NUMERIC(10) (at most 10 digits); otherwise nothing is sent.
    pub async fn change_state(
        &self,
        document: impl Into<DocumentKey>,
        newstate: &DocState,
        local: bool,
    ) -> Result<(), Error> {
        let document = document.into();
        document.validate()?;
        let (key, value) = document.param();
        let mut params = vec![
            (key, plain(value.as_str())),
            ("newstate", plain(newstate.as_str())),
        ];
        if local {
            params.push(("local", plain("1")));
        }
        let op = self.act("DOCCHANGESTATE", false, params).reference(value);
        self.send(op).await.map(|_| ())
    }
}

/// The docuids of an `ODOC_LIST` answer.
pub(crate) fn open_documents(response: &Response) -> Result<Vec<DocUid>, Error> {
    let Some(list) = crate::protocol::data::<
        DeserializeAsWrap<Vec<DocUidData>, pos_client_core::encoding::OneOrMany>,
    >(response)?
    else {
        return Ok(Vec::new());
    };
    list.into_inner()
        .into_iter()
        .map(|d| {
            DocUid::new(d.doc_uid.trim())
                .map_err(|e| response.not_understood(format!("a docuid in `data`: {e}")))
        })
        .collect()
}
