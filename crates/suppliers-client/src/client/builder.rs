//! [`ClientBuilder`]: transport settings, the environment, and the four authorizations.

use std::fmt;
use std::sync::Arc;

use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{Env, Error as CoreError, Pipeline, Session, TransportBuilder};

use crate::error::{Error, ResultCode};
use crate::protocol::{Auth, Grant, OAuth, SuppliersProtocol};

use super::{
    AUTH_VAR, BASE_URL_VAR, CLIENT_ID_VAR, CLIENT_SECRET_VAR, Client, Inner, MAX_URL_TEXT_CHARS,
    MediaType, PASSWORD_VAR, TOKEN_VAR, USER_AGENT, USER_VAR,
};

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

pos_client_core::client_basics!(Client, ClientBuilder, Error, inner.pipeline);

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

impl ClientBuilder {
    /// An empty builder: set `base_url` (the API root under which `/suppliers` and
    /// `/supplier-purchase-temp` live; there is no default) and one authorization.
    pub fn new() -> Self {
        ClientBuilder {
            transport: TransportBuilder::default(),
            auth: AuthConfig::None,
            accept: MediaType::VendorV1,
            content_type: MediaType::VendorV1,
            oauth_token_path: "oauth".to_owned(),
        }
    }

    /// A builder configured from variables read through `lookup` ([`from_env`](Self::from_env)
    /// reads the process environment): `SUPPLIERS_BASE_URL` (required), then `SUPPLIERS_TOKEN`
    /// (Bearer) or `SUPPLIERS_USER` + `SUPPLIERS_PASSWORD` (Basic; Digest with
    /// `SUPPLIERS_AUTH=digest`; the OAuth2 password grant with `SUPPLIERS_AUTH=oauth2` and
    /// `SUPPLIERS_CLIENT_ID`, client credentials when no user is set).
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

    /// Authorize with an OAuth2 Bearer token (`Authorization: Bearer …`). A token with a
    /// control character or longer than [`MAX_URL_TEXT_CHARS`] is refused at
    /// [`build`](Self::build) (it would reach the header).
    pub fn bearer_token(mut self, token: impl Into<SecretString>) -> Self {
        self.auth = AuthConfig::Bearer(token.into());
        self
    }

    /// Authorize with HTTP Basic, sent with every request.
    ///
    /// The document allows Basic, Digest or Bearer, and a server may accept only Digest. When a
    /// 401 answer carries a Digest challenge and no Basic one, this client (and all its clones)
    /// switches to HTTP Digest with the same user and password: it answers that challenge once
    /// (the 401 proves nothing was done, so even a write is sent at most twice) and signs later
    /// calls with Digest, as [`digest_auth`](Self::digest_auth) does. A 401 with a Basic
    /// challenge, or none, is a wrong password and is not sent again. `SUPPLIERS_USER` +
    /// `SUPPLIERS_PASSWORD` without `SUPPLIERS_AUTH` in [`from_lookup`](Self::from_lookup)
    /// configure this.
    pub fn basic_auth(
        mut self,
        user: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.auth = AuthConfig::Basic(user.into(), password.into());
        self
    }

    /// Authorize with HTTP Digest (RFC 7616: SHA-256 or MD5, `qop=auth`). The first request
    /// goes without credentials, is answered with a challenge (a 401, or a 403 carrying one, as
    /// Laminas API Tools sends) and sent once more; later requests sign with the stored
    /// nonce and an increasing nonce count; a `stale=true` challenge, or another nonce of the
    /// realm (a server that never says stale), is answered once. The count is taken when a
    /// request is built, so concurrent calls may reach the server out of order:
    /// a call refused while a later count was already out is sent once more with a nonce of its
    /// own (from a recent challenge no other call signs with), so a server that wants increasing
    /// counts does not fail it as a wrong password; a wrong password still fails.
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

    /// Like [`oauth2_password`](Self::oauth2_password) with the client-credentials grant. The
    /// client id and secret must have no control character and at most [`MAX_URL_TEXT_CHARS`]
    /// characters (checked at [`build`](Self::build)).
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
    /// absolute URL when it lives elsewhere). Empty, a control character or a fragment is
    /// refused at [`build`](Self::build).
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
            // It goes into the Authorization header: the message never shows it.
            AuthConfig::Bearer(t) if !header_safe(t.expose_secret().trim()) => {
                return Err(Error::config(format!(
                    "the token contains a control character or is longer than {MAX_URL_TEXT_CHARS} characters"
                )));
            }
            AuthConfig::Bearer(t) => Auth::Header(SecretString::from(format!(
                "Bearer {}",
                t.expose_secret().trim()
            ))),
            AuthConfig::Basic(user, password) => {
                check_user(&user)?;
                let raw = format!("{user}:{}", password.expose_secret());
                Auth::Basic {
                    header: SecretString::from(format!("Basic {}", base64(raw.as_bytes()))),
                    user,
                    password,
                    digest: Default::default(),
                    nonces: Default::default(),
                }
            }
            AuthConfig::Digest(user, password) => {
                check_user(&user)?;
                Auth::Digest {
                    user,
                    password,
                    nonces: Default::default(),
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
                // Both may travel in a Basic header or the token request's form.
                if !header_safe(&client_id)
                    || client_secret
                        .as_ref()
                        .is_some_and(|s| !header_safe(s.expose_secret()))
                {
                    return Err(Error::config(format!(
                        "the OAuth2 client id and secret must have no control characters and at most {MAX_URL_TEXT_CHARS} characters"
                    )));
                }
                if self.oauth_token_path.trim().is_empty()
                    || self.oauth_token_path.chars().any(char::is_control)
                    || self.oauth_token_path.contains('#')
                {
                    return Err(Error::config(
                        "the OAuth2 token path must not be empty or contain a control character or a fragment",
                    ));
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
                    latest: Default::default(),
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
                claimed: Default::default(),
            }),
        })
    }
}

/// A credential fit for a header: no control characters (CR/LF would split the header), at most
/// [`MAX_URL_TEXT_CHARS`] characters.
fn header_safe(value: &str) -> bool {
    !value.chars().any(char::is_control) && value.chars().count() <= MAX_URL_TEXT_CHARS
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
