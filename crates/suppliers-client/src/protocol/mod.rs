//! The Suppliers protocol: credentials (Bearer, Basic, Digest, OAuth2) and the reading of every
//! answer (result codes, problem+json, 401 challenges, 406/415).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pos_client_core::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use pos_client_core::http::{HeaderMap, HeaderName, Method, StatusCode};
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{
    Answer, Error as CoreError, Failure, FieldError, Operation, Payload, Protocol, Session,
    Transport, Verdict,
};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::client::MediaType;
use crate::digest::{Challenge, split_challenges};
use crate::error::{Error, ResultCode};

/// How requests are authorized, with the secrets.
pub(crate) enum Auth {
    /// A fixed `Authorization` header value (`Bearer …`).
    Header(SecretString),
    /// HTTP Basic, sent with the first request. A server that answers it 401 with a Digest
    /// challenge and no Basic one accepts only Digest: the client (all its clones) switches to
    /// Digest with the same user and password, answers that challenge once and signs later
    /// calls with Digest.
    Basic {
        /// `Basic base64(user:password)`.
        header: SecretString,
        user: String,
        password: SecretString,
        /// Set once the server asked for Digest only.
        digest: AtomicBool,
        nonces: Arc<Mutex<Nonces>>,
    },
    /// HTTP Digest: the first request of a client goes without credentials and is answered
    /// after the server's challenge; later requests sign with the stored nonce.
    Digest {
        user: String,
        password: SecretString,
        nonces: Arc<Mutex<Nonces>>,
    },
    /// OAuth2 token from the framework's token endpoint, renewed once when refused or expired.
    OAuth(OAuth),
}

/// The OAuth2 settings and the current token.
pub(crate) struct OAuth {
    pub(crate) token_path: String,
    pub(crate) grant: Grant,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<SecretString>,
    pub(crate) session: Session<(SecretString, Option<Instant>)>,
    /// The newest token generation handed to a call.
    pub(crate) latest: AtomicU64,
}

/// The OAuth2 grant used at the token endpoint.
pub(crate) enum Grant {
    Password {
        user: String,
        password: SecretString,
    },
    ClientCredentials,
}

/// The Digest challenges of one client.
///
/// Calls sign with one shared challenge, each with the next nonce count. The count is taken
/// when the request is built, so concurrent calls may reach the server in another order, and a
/// server that wants increasing counts refuses the overtaken ones (401, not stale). Such a call
/// is sent once more with a challenge of its own: one of a recent 401 answer that no other call
/// signs with, so that its count cannot be overtaken again.
#[derive(Default)]
pub(crate) struct Nonces {
    /// The challenge calls sign with; `None` until the first one (a call then goes unsigned and
    /// answers the challenge) and after its nonce was refused.
    current: Option<Arc<Challenge>>,
    /// The challenges of recent 401 answers, not signed with yet (newest last).
    spares: VecDeque<Arc<Challenge>>,
}

/// 401 answers whose challenge is kept for a renewal: one per call refused at once is needed.
const MAX_SPARES: usize = 256;

/// The Digest challenge of one call.
struct Signer {
    challenge: Arc<Challenge>,
    /// The nonce count of this call's last signed attempt.
    signed: AtomicU32,
    /// For a challenge given to this call alone: offered as the shared one when the call ends,
    /// when there is none.
    offer_to: Option<Arc<Mutex<Nonces>>>,
}

impl Signer {
    fn new(challenge: Arc<Challenge>, offer_to: Option<Arc<Mutex<Nonces>>>) -> Signer {
        Signer {
            challenge,
            signed: AtomicU32::new(0),
            offer_to,
        }
    }

    /// Whether a later request signed with the same nonce may have reached the server first.
    fn overtaken(&self) -> bool {
        self.challenge.nonce_count() > self.signed.load(Ordering::SeqCst)
    }
}

impl Drop for Signer {
    fn drop(&mut self) {
        if let Some(nonces) = &self.offer_to
            && let Ok(mut n) = nonces.lock()
            && n.current.is_none()
        {
            n.current = Some(self.challenge.clone());
        }
    }
}

/// The credential of one call.
pub(crate) struct Credential {
    header: Option<SecretString>,
    digest: Option<Signer>,
    generation: u64,
}

/// The token endpoint's answer (the fields the client reads).
#[derive(Deserialize)]
pub(crate) struct Token {
    pub(crate) access_token: String,
    #[serde(default)]
    pub(crate) expires_in: Option<Value>,
}

pub(crate) struct SuppliersProtocol {
    pub(crate) auth: Auth,
    pub(crate) accept: MediaType,
    pub(crate) content_type: MediaType,
}

/// The parts of a JSON answer the protocol looks at: the vendor's `result` and the framework's
/// problem fields.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Probe {
    result: Option<Value>,
    title: Option<Value>,
    detail: Option<Value>,
    validation_messages: Option<Value>,
}

fn text(v: &Option<Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// Whether `s` looks like a result code (`TRANS_NOT_CURRENT`), not a sentence.
fn is_code_like(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
}

/// Whether a code read from a 401 is one of the document's specific codes, not a refused
/// credential: the framework's own codes, the generic `ERROR` and unknown texts are not.
fn is_specific(code: &ResultCode) -> bool {
    !matches!(
        code,
        ResultCode::Unauthorized
            | ResultCode::NotAcceptable
            | ResultCode::UnsupportedMediaType
            | ResultCode::FailedValidation
            | ResultCode::Error
            | ResultCode::Unknown(_)
    )
}

/// Whether an answer's `WWW-Authenticate` headers offer the Basic scheme.
fn offers_basic(headers: &HeaderMap) -> bool {
    headers
        .get_all(WWW_AUTHENTICATE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(split_challenges)
        .any(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
}

/// Flattens `validation_messages` (`{field: {validator: msg}}`, `{field: [msg]}`,
/// `{field: msg}`) into field complaints, in the server's order.
fn fields_of(messages: &Value) -> Vec<FieldError> {
    let mut out = Vec::new();
    fn walk(prefix: &str, v: &Value, out: &mut Vec<FieldError>) {
        match v {
            Value::String(s) => out.push(FieldError {
                field: prefix.to_owned(),
                message: s.clone(),
            }),
            Value::Array(items) => items.iter().for_each(|i| walk(prefix, i, out)),
            Value::Object(map) => {
                for (k, v) in map {
                    match v {
                        // {field: {validator: message}}: the validator name is not a field.
                        Value::String(_) if !prefix.is_empty() => walk(prefix, v, out),
                        _ if prefix.is_empty() => walk(k, v, out),
                        _ => walk(&format!("{prefix}.{k}"), v, out),
                    }
                }
            }
            _ => {}
        }
    }
    walk("", messages, &mut out);
    out
}

impl SuppliersProtocol {
    /// The newest OAuth2 token generation handed to a call (0 without OAuth2 or before the
    /// first token): it changes when the token is renewed.
    pub(crate) fn token_generation(&self) -> u64 {
        match &self.auth {
            Auth::OAuth(oauth) => oauth.latest.load(Ordering::SeqCst),
            _ => 0,
        }
    }

    /// The Digest challenges when calls sign with Digest: a Digest client, or a Basic one whose
    /// server asked for Digest only.
    fn digest_nonces(&self) -> Option<&Arc<Mutex<Nonces>>> {
        match &self.auth {
            Auth::Digest { nonces, .. } => Some(nonces),
            Auth::Basic { digest, nonces, .. } if digest.load(Ordering::SeqCst) => Some(nonces),
            _ => None,
        }
    }

    /// Whether the challenge of a 401 is kept for the call's renewal: any Digest challenge once
    /// calls sign with Digest; for Basic, one that offers Digest and not Basic (a server that
    /// accepts only Digest; a Basic challenge means the password was wrong).
    fn keeps_challenge(&self, headers: &HeaderMap) -> Option<Challenge> {
        let fresh = Challenge::from_headers(headers)?;
        match &self.auth {
            Auth::Digest { .. } => Some(fresh),
            Auth::Basic { digest, .. } if digest.load(Ordering::SeqCst) => Some(fresh),
            Auth::Basic { .. } if !offers_basic(headers) => Some(fresh),
            _ => None,
        }
    }

    fn read_failure(&self, answer: &Answer<'_>, probe: &Probe) -> Failure<ResultCode> {
        let result = text(&probe.result).filter(|r| r != "SUCCESS");
        let detail = text(&probe.detail);
        let title = text(&probe.title);
        let code = result.clone().or_else(|| {
            detail
                .clone()
                .filter(|d| is_code_like(d) && answer.status.is_client_error())
        });
        let fields = probe
            .validation_messages
            .as_ref()
            .map(fields_of)
            .unwrap_or_default();
        // The message: the problem's detail unless it is the code itself, else its title.
        let message = detail
            .filter(|d| Some(d) != code.as_ref())
            .or(title.clone())
            .filter(|m| Some(m) != code.as_ref());
        match code {
            Some(code) => Failure::coded(ResultCode::from_wire(&code), message).with_fields(fields),
            None if answer.status == StatusCode::UNPROCESSABLE_ENTITY => {
                Failure::coded(ResultCode::FailedValidation, message).with_fields(fields)
            }
            None => Failure::uncoded(None, message),
        }
    }

    async fn oauth_token(
        &self,
        oauth: &OAuth,
        transport: &Transport,
    ) -> Result<(SecretString, Option<Instant>), Error> {
        // A form (`application/x-www-form-urlencoded`), as RFC 6749 (4.3.2, 4.4.2) requires of
        // a token request; the framework's endpoint reads a form as well as JSON, so one body
        // suits both (a JSON body was refused by a server following the RFC).
        let mut op = Operation::read(
            "suppliers",
            "oauth-token",
            Method::POST,
            oauth.token_path.clone(),
        )
        .answer_carries_secret();
        match &oauth.grant {
            Grant::Password { user, password } => {
                op = op
                    .form("grant_type", "password")
                    .form("username", user.clone())
                    .form_secret("password", password);
            }
            Grant::ClientCredentials => {
                op = op.form("grant_type", "client_credentials");
            }
        }
        op = op.form("client_id", oauth.client_id.clone());
        if let Some(secret) = &oauth.client_secret {
            op = op.form_secret("client_secret", secret);
        }
        let response = transport
            .execute(&op)
            .await
            .map_err(CoreError::with_codes)?;
        let token: Token = response.json().map_err(CoreError::with_codes)?;
        if token.access_token.trim().is_empty() {
            return Err(response
                .decode_error("the token endpoint answered an empty access_token")
                .with_codes());
        }
        let lifetime = match &token.expires_in {
            Some(Value::Number(n)) => n.as_u64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        // Renew a little before the server's expiry, so that a call is not refused in flight.
        let expires = lifetime.map(|s| Instant::now() + Duration::from_secs(s.saturating_sub(30)));
        Ok((
            SecretString::from(format!("Bearer {}", token.access_token.trim())),
            expires,
        ))
    }
}

impl Protocol for SuppliersProtocol {
    type Code = ResultCode;
    type Credential = Credential;

    async fn credential(&self, transport: &Transport) -> Result<Credential, Error> {
        match &self.auth {
            Auth::Header(h) => Ok(Credential {
                header: Some(h.clone()),
                digest: None,
                generation: 0,
            }),
            Auth::Basic { header, digest, .. } if !digest.load(Ordering::SeqCst) => {
                Ok(Credential {
                    header: Some(header.clone()),
                    digest: None,
                    generation: 0,
                })
            }
            Auth::Basic { nonces, .. } | Auth::Digest { nonces, .. } => Ok(Credential {
                header: None,
                digest: (nonces.lock().ok())
                    .and_then(|n| n.current.clone())
                    .map(|c| Signer::new(c, None)),
                generation: 0,
            }),
            Auth::OAuth(oauth) => {
                let login = || self.oauth_token(oauth, transport);
                let ((mut token, mut expires), mut generation) = oauth.session.get(login).await?;
                if expires.is_some_and(|e| Instant::now() >= e) {
                    tracing::debug!("OAuth2 token expired; renewing");
                    let login = || self.oauth_token(oauth, transport);
                    ((token, expires), generation) = oauth.session.renew(generation, login).await?;
                    let _ = expires;
                }
                oauth.latest.fetch_max(generation, Ordering::SeqCst);
                Ok(Credential {
                    header: Some(token),
                    digest: None,
                    generation,
                })
            }
        }
    }

    fn authorize(&self, operation: Operation, credential: &Credential) -> Operation {
        match &credential.header {
            Some(h) => operation.header_secret(AUTHORIZATION, h.clone()),
            None => operation,
        }
    }

    fn sign(
        &self,
        method: &Method,
        url: &Url,
        credential: &Credential,
    ) -> Option<(HeaderName, SecretString)> {
        let (
            Auth::Digest { user, password, .. } | Auth::Basic { user, password, .. },
            Some(signer),
        ) = (&self.auth, &credential.digest)
        else {
            return None;
        };
        let uri = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let (count, value) = signer.challenge.authorization_counted(
            user,
            password.expose_secret(),
            method.as_str(),
            &uri,
        );
        signer.signed.store(count, Ordering::SeqCst);
        Some((AUTHORIZATION, SecretString::from(value)))
    }

    fn interpret(&self, answer: &Answer<'_>) -> Verdict<ResultCode> {
        if answer.status.is_success() {
            if answer.status == StatusCode::NO_CONTENT || answer.trimmed_body().is_empty() {
                return Verdict::Success(Payload::Nothing);
            }
            // A 2xx answer is a failure only when it carries a `result` code. A body without the
            // bytes `"result"` cannot (PHP's json_encode writes keys as plain text), so a large
            // list is not tokenized twice: the models decode it once.
            if memchr::memmem::find(answer.body, b"\"result\"").is_none() {
                return Verdict::Success(Payload::Whole);
            }
        }
        let probe: Probe = if answer.looks_like_json() {
            serde_json::from_slice(answer.trimmed_body()).unwrap_or_default()
        } else {
            Probe::default()
        };
        // Laminas API Tools answers a request without credentials 403 when the route needs an
        // identity, with the Digest challenge of its pre-flight merged in (a single HTTP adapter
        // not mapped to the API): that 403 is the challenge, answered like a 401's. Signed
        // requests get no such header (a valid one is not challenged, a wrong one gets 401).
        let challenged_403 = answer.status == StatusCode::FORBIDDEN
            && self.digest_nonces().is_some()
            && Challenge::from_headers(answer.headers).is_some();
        if answer.status == StatusCode::UNAUTHORIZED || challenged_403 {
            // A specific code of the document (NOT_CURRENT_ACCESS_TOKEN, ...) is the answer,
            // not a refused credential: kept, and the call is not sent again.
            let failure = self.read_failure(answer, &probe);
            if failure.code.as_ref().is_some_and(is_specific) {
                return Verdict::Failure(failure);
            }
            // Kept for the renewal of the call (see `renew`), which knows what it signed with.
            if let Auth::Digest { nonces, .. } | Auth::Basic { nonces, .. } = &self.auth
                && let Some(fresh) = self.keeps_challenge(answer.headers)
                && let Ok(mut n) = nonces.lock()
            {
                n.spares.push_back(Arc::new(fresh));
                if n.spares.len() > MAX_SPARES {
                    n.spares.pop_front();
                }
            }
            let message = text(&probe.detail).or_else(|| text(&probe.title));
            return Verdict::Failure(Failure::coded(ResultCode::Unauthorized, message));
        }
        match answer.status.as_u16() {
            406 => {
                return Verdict::Failure(Failure::coded(
                    ResultCode::NotAcceptable,
                    Some(format!(
                        "the server cannot answer in the media type sent (Accept: {})",
                        self.accept.as_str()
                    )),
                ));
            }
            415 => {
                return Verdict::Failure(Failure::coded(
                    ResultCode::UnsupportedMediaType,
                    Some(format!(
                        "the server does not accept the body's media type (Content-Type: {})",
                        self.content_type.as_str()
                    )),
                ));
            }
            _ => {}
        }
        if answer.status.is_success() {
            return match text(&probe.result) {
                Some(r) if r != "SUCCESS" => Verdict::Failure(self.read_failure(answer, &probe)),
                _ => Verdict::Success(Payload::Whole),
            };
        }
        Verdict::Failure(self.read_failure(answer, &probe))
    }

    async fn renew(
        &self,
        transport: &Transport,
        stale: Credential,
    ) -> Result<Option<Credential>, Error> {
        match &self.auth {
            Auth::Header(_) => Ok(None),
            // The call went with Basic: switch to Digest when the server challenged Digest and
            // not Basic (`keeps_challenge`); a 401 proves nothing was done, so answering once
            // cannot double a write, and a wrong password fails on that attempt.
            Auth::Basic { digest, nonces, .. } if stale.header.is_some() => {
                let Some(fresh) = nonces.lock().ok().and_then(|mut n| n.spares.pop_back()) else {
                    return Ok(None); // a Basic challenge, or none: a wrong password
                };
                if !digest.swap(true, Ordering::SeqCst) {
                    tracing::info!(
                        "the server challenges HTTP Digest and not Basic; this client signs with Digest from now on"
                    );
                }
                Ok(Some(Credential {
                    header: None,
                    digest: Some(Signer::new(fresh, Some(nonces.clone()))),
                    generation: 0,
                }))
            }
            Auth::Digest { nonces, .. } | Auth::Basic { nonces, .. } => {
                let Ok(mut n) = nonces.lock() else {
                    return Ok(None);
                };
                let Some(fresh) = n.spares.pop_back() else {
                    return Ok(None); // a 401 without a Digest challenge
                };
                let (answer, nonce_dead) = match &stale.digest {
                    // The first request went without credentials: answer the challenge.
                    None => (true, false),
                    // A new nonce with stale=true: the credentials were right.
                    Some(old) if fresh.stale && fresh.nonce != old.challenge.nonce => (true, true),
                    // A later request with this nonce may have reached the server first, and a
                    // server wanting increasing counts refuses this one: a 401 proves nothing
                    // was done, and a wrong password fails again on the second attempt.
                    Some(old) if fresh.realm == old.challenge.realm && old.overtaken() => {
                        (true, false)
                    }
                    // Another nonce of the same realm without stale=true: the one signed with
                    // expired on a server that never says stale (Laminas changes its nonce
                    // every `nonce_timeout`, 3600 s by default, and never sends stale), or a
                    // wrong password. Answered once: a 401 proves nothing was done, and a
                    // wrong password fails again on that attempt.
                    Some(old)
                        if fresh.realm == old.challenge.realm
                            && fresh.nonce != old.challenge.nonce =>
                    {
                        (true, true)
                    }
                    // A wrong password, the same nonce challenged again.
                    Some(_) => (false, true),
                };
                if nonce_dead
                    && let (Some(old), Some(current)) = (&stale.digest, &n.current)
                    && Arc::ptr_eq(&old.challenge, current)
                {
                    n.current = None;
                }
                if !answer {
                    // The next call signs with the newest challenge.
                    if n.current.is_none() {
                        n.current = Some(fresh);
                    }
                    return Ok(None);
                }
                // This call alone signs with `fresh` (nonce count 1): nothing can overtake it.
                Ok(Some(Credential {
                    header: None,
                    digest: Some(Signer::new(fresh, Some(nonces.clone()))),
                    generation: 0,
                }))
            }
            Auth::OAuth(oauth) => {
                let login = || self.oauth_token(oauth, transport);
                let ((token, _), generation) = oauth.session.renew(stale.generation, login).await?;
                oauth.latest.fetch_max(generation, Ordering::SeqCst);
                Ok(Some(Credential {
                    header: Some(token),
                    digest: None,
                    generation,
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests;
