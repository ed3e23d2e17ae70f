//! Authorization: Bearer tokens, Basic, Digest (nonces, nonce counts, stale challenges) and
//! the framework's OAuth2 token endpoint.

use pos_client_core::http::{HeaderMap, Method, StatusCode, Uri, header};
use serde_json::{Map, Value, json};

use super::http::{Reply, problem};
use super::state::{World, lenient_str};
use super::{OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, REALM};
use crate::client::base64;
use crate::digest::{self, Algorithm};

impl World {
    pub(super) fn nonce(&mut self) -> String {
        let n = self.next();
        let nonce = format!("{:016x}{n:08x}", rand::random::<u64>());
        self.nonces.insert(nonce.clone(), (0, false));
        nonce
    }

    pub(super) fn challenges(&mut self, stale: bool) -> Vec<(header::HeaderName, String)> {
        let nonce = self.nonce();
        let mut challenges = vec![
            (
                header::WWW_AUTHENTICATE,
                format!(
                    "Digest realm=\"{REALM}\", qop=\"auth\", algorithm={}, nonce=\"{nonce}\", opaque=\"sandbox\"{}",
                    self.algorithm.as_str(),
                    if stale { ", stale=true" } else { "" }
                ),
            ),
            (header::WWW_AUTHENTICATE, format!("Basic realm=\"{REALM}\"")),
        ];
        if self.digest_only {
            challenges.pop();
        }
        challenges
    }

    pub(super) fn unauthorized(&mut self, stale: bool, detail: &str) -> Reply {
        let mut r = problem(401, None, detail);
        r.headers = self.challenges(stale);
        r
    }

    /// The person and the access-token key of a request, or the 401.
    pub(super) fn authenticate(
        &mut self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
    ) -> Result<(String, String), Reply> {
        let Some(value) = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
        else {
            return Err(self.unauthorized(false, "Unauthorized"));
        };
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        match scheme.to_ascii_lowercase().as_str() {
            "bearer" => {
                let token = rest.trim();
                if self.expired_tokens.iter().any(|t| t == token) {
                    let mut r = problem(401, None, "The access token provided has expired");
                    r.headers = vec![(
                        header::WWW_AUTHENTICATE,
                        format!("Bearer realm=\"{REALM}\", error=\"invalid_token\""),
                    )];
                    return Err(r);
                }
                match self.tokens.get(token) {
                    Some(p) => Ok((p.clone(), format!("bearer:{token}"))),
                    None => Err(self.unauthorized(false, "Unauthorized")),
                }
            }
            "basic" if self.digest_only => Err(self.unauthorized(false, "Unauthorized")),
            "basic" => {
                let found = self.users.iter().find(|(user, (password, _))| {
                    base64(format!("{user}:{password}").as_bytes()) == rest.trim()
                });
                match found {
                    Some((user, (_, person))) => Ok((person.clone(), format!("user:{user}"))),
                    None => Err(self.unauthorized(false, "Unauthorized")),
                }
            }
            "digest" => self.check_digest(method, uri, value),
            _ => Err(self.unauthorized(false, "Unauthorized")),
        }
    }

    pub(super) fn check_digest(
        &mut self,
        method: &Method,
        uri: &Uri,
        value: &str,
    ) -> Result<(String, String), Reply> {
        let parsed = digest::split_challenges(value);
        let Some((_, params)) = parsed.first() else {
            return Err(self.unauthorized(false, "Unauthorized"));
        };
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.as_str())
        };
        let (Some(user), Some(nonce), Some(nc), Some(cnonce), Some(response), Some(duri)) = (
            get("username"),
            get("nonce"),
            get("nc"),
            get("cnonce"),
            get("response"),
            get("uri"),
        ) else {
            return Err(self.unauthorized(false, "Digest: missing parameters (qop=auth required)"));
        };
        let algorithm = get("algorithm")
            .and_then(Algorithm::parse)
            .unwrap_or(Algorithm::Md5);
        let target = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
        if algorithm != self.algorithm
            || get("qop") != Some("auth")
            || duri != target
            || get("realm") != Some(REALM)
        {
            return Err(self.unauthorized(false, "Digest: wrong algorithm, qop, realm or uri"));
        }
        let Some((user_key, (password, person))) = self
            .users
            .iter()
            .find(|(u, _)| u.as_str() == user)
            .map(|(u, v)| (u.clone(), v.clone()))
        else {
            return Err(self.unauthorized(false, "Unauthorized"));
        };
        let expected = digest::response(
            algorithm,
            &digest::Params {
                user,
                realm: REALM,
                password: &password,
                method: method.as_str(),
                uri: duri,
                nonce,
                nc,
                cnonce,
                qop: Some("auth"),
            },
        );
        let Some((last, stale)) = self.nonces.get(nonce).copied() else {
            return Err(self.unauthorized(false, "Digest: unknown nonce"));
        };
        if expected != response {
            return Err(self.unauthorized(false, "Unauthorized"));
        }
        if stale {
            return Err(self.unauthorized(true, "Digest: the nonce has expired"));
        }
        let Ok(count) = u32::from_str_radix(nc, 16) else {
            return Err(self.unauthorized(false, "Digest: bad nonce count"));
        };
        if count <= last {
            return Err(self.unauthorized(false, "Digest: nonce count replayed"));
        }
        self.nonces.insert(nonce.to_owned(), (count, false));
        Ok((person, format!("user:{user_key}")))
    }
}

pub(super) fn oauth(w: &mut World, data: &Map<String, Value>) -> Reply {
    let grant = lenient_str(data.get("grant_type")).unwrap_or_default();
    if lenient_str(data.get("client_id")).as_deref() != Some(OAUTH_CLIENT_ID)
        || lenient_str(data.get("client_secret")).as_deref() != Some(OAUTH_CLIENT_SECRET)
    {
        return problem(401, None, "The client credentials are invalid");
    }
    let person = match grant.as_str() {
        "password" => {
            let user = lenient_str(data.get("username")).unwrap_or_default();
            let password = lenient_str(data.get("password")).unwrap_or_default();
            match w.users.get(&user) {
                Some((p, person)) if *p == password => person.clone(),
                _ => return problem(401, None, "Invalid username and password combination"),
            }
        }
        "client_credentials" => "1".to_owned(),
        _ => return problem(400, None, "Grant type not supported"),
    };
    let n = w.next();
    let token = format!("oauth-{n:06}-{:016x}", rand::random::<u64>());
    w.tokens.insert(token.clone(), person);
    Reply {
        status: StatusCode::OK,
        body: Some(json!({
            "access_token": token,
            "expires_in": w.oauth_lifetime,
            "token_type": "Bearer",
            "scope": null,
        })),
        problem: false,
        headers: Vec::new(),
    }
}
