//! The Suppliers protocol: credentials (Bearer, Basic, Digest, OAuth2) and the reading of every
//! answer (result codes, problem+json, 401 challenges, 406/415).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pos_client_core::http::header::AUTHORIZATION;
use pos_client_core::http::{HeaderName, Method, StatusCode};
use pos_client_core::secrecy::{ExposeSecret, SecretString};
use pos_client_core::{
    Answer, Error as CoreError, Failure, FieldError, Operation, Payload, Protocol, Session,
    Transport, Verdict,
};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::client::MediaType;
use crate::digest::Challenge;
use crate::error::{Error, ResultCode};

/// How requests are authorized, with the secrets.
pub(crate) enum Auth {
    /// A fixed `Authorization` header value (`Bearer …` or `Basic …`).
    Header(SecretString),
    /// HTTP Digest: the first request of a client goes without credentials and is answered
    /// after the server's challenge; later requests sign with the stored nonce.
    Digest {
        user: String,
        password: SecretString,
        challenge: Mutex<Option<Arc<Challenge>>>,
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
}

/// The OAuth2 grant used at the token endpoint.
pub(crate) enum Grant {
    Password {
        user: String,
        password: SecretString,
    },
    ClientCredentials,
}

/// The credential of one call.
#[derive(Clone)]
pub(crate) struct Credential {
    header: Option<SecretString>,
    digest: Option<Arc<Challenge>>,
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
        let mut body = serde_json::Map::new();
        let mut op = Operation::read(
            "suppliers",
            "oauth-token",
            Method::POST,
            oauth.token_path.clone(),
        )
        .answer_carries_secret();
        match &oauth.grant {
            Grant::Password { user, password } => {
                body.insert("grant_type".into(), "password".into());
                body.insert("username".into(), user.clone().into());
                body.insert("password".into(), password.expose_secret().into());
                op = op.redact(password);
            }
            Grant::ClientCredentials => {
                body.insert("grant_type".into(), "client_credentials".into());
            }
        }
        body.insert("client_id".into(), oauth.client_id.clone().into());
        if let Some(secret) = &oauth.client_secret {
            body.insert("client_secret".into(), secret.expose_secret().into());
            op = op.redact(secret);
        }
        let op = op
            .json(&Value::Object(body))
            .map_err(CoreError::with_codes)?;
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
            Auth::Digest { challenge, .. } => Ok(Credential {
                header: None,
                digest: challenge.lock().ok().and_then(|c| c.clone()),
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
        let (Auth::Digest { user, password, .. }, Some(challenge)) =
            (&self.auth, &credential.digest)
        else {
            return None;
        };
        let uri = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let value = challenge.authorization(user, password.expose_secret(), method.as_str(), &uri);
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
        match answer.status.as_u16() {
            401 => {
                if let Auth::Digest { challenge, .. } = &self.auth
                    && let Some(fresh) = Challenge::from_headers(answer.headers)
                    && let Ok(mut slot) = challenge.lock()
                {
                    *slot = Some(Arc::new(fresh));
                }
                let message = text(&probe.detail).or_else(|| text(&probe.title));
                return Verdict::Failure(Failure::coded(ResultCode::Unauthorized, message));
            }
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
            Auth::Digest { challenge, .. } => {
                let fresh = challenge.lock().ok().and_then(|c| c.clone());
                let Some(fresh) = fresh else {
                    return Ok(None); // a 401 without a Digest challenge
                };
                let answer = match &stale.digest {
                    // The first request went without credentials: answer the challenge.
                    None => true,
                    // A new nonce with stale=true: the credentials were right.
                    Some(old) => !Arc::ptr_eq(old, &fresh) && fresh.stale,
                };
                Ok(answer.then_some(Credential {
                    header: None,
                    digest: Some(fresh),
                    generation: 0,
                }))
            }
            Auth::OAuth(oauth) => {
                let login = || self.oauth_token(oauth, transport);
                let ((token, _), generation) = oauth.session.renew(stale.generation, login).await?;
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
mod tests {
    use super::*;

    #[test]
    fn validation_messages_flatten_per_field() {
        let v: Value = serde_json::json!({
            "name": {"isEmpty": "Value is required and can't be empty"},
            "phone": ["too long"],
        });
        let fields = fields_of(&v);
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[0].field, "name");
        assert_eq!(fields[0].message, "Value is required and can't be empty");
        assert_eq!(fields[1].field, "phone");
        assert!(is_code_like("TRANS_NOT_CURRENT") && !is_code_like("Failed Validation"));
    }
}
