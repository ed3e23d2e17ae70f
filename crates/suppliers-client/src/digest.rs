//! HTTP Digest access authentication (RFC 7616): challenge parsing and the `Authorization`
//! header, with MD5 and SHA-256 (and their `-sess` variants), `qop=auth` and a nonce count.
//!
//! The digests come from RustCrypto's `md-5` and `sha2`. The crate's sandbox checks requests
//! with the same [`response`] function.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};

use md5::Md5;
use pos_client_core::http::HeaderMap;
use pos_client_core::http::header::WWW_AUTHENTICATE;
use sha2::{Digest as _, Sha256};

/// A Digest hash algorithm (`algorithm=` of a challenge).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// `MD5` (the default when a challenge names none).
    Md5,
    /// `MD5-sess`.
    Md5Sess,
    /// `SHA-256`.
    Sha256,
    /// `SHA-256-sess`.
    Sha256Sess,
}

impl Algorithm {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    /// The algorithm for a wire name (case-insensitive); `None` for one this crate cannot
    /// compute (SHA-512-256).
    pub fn parse(text: &str) -> Option<Algorithm> {
        match text.to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "MD5-SESS" => Some(Algorithm::Md5Sess),
            "SHA-256" => Some(Algorithm::Sha256),
            "SHA-256-SESS" => Some(Algorithm::Sha256Sess),
            _ => None,
        }
    }

    fn is_sess(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }

    fn strength(self) -> u8 {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => 1,
            Algorithm::Sha256 | Algorithm::Sha256Sess => 2,
        }
    }

    /// The lower-case hex digest of `data`.
    pub fn hash(self, data: &str) -> String {
        let bytes: Vec<u8> = match self {
            Algorithm::Md5 | Algorithm::Md5Sess => Md5::digest(data.as_bytes()).to_vec(),
            Algorithm::Sha256 | Algorithm::Sha256Sess => Sha256::digest(data.as_bytes()).to_vec(),
        };
        let mut out = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            let _ = write!(out, "{b:02x}");
        }
        out
    }
}

/// One `WWW-Authenticate: Digest` challenge, with the nonce count of the requests signed with
/// it.
#[derive(Debug)]
pub struct Challenge {
    /// `realm`.
    pub realm: String,
    /// `nonce`.
    pub nonce: String,
    /// `opaque`, echoed back when present.
    pub opaque: Option<String>,
    /// `algorithm`.
    pub algorithm: Algorithm,
    /// Whether `qop` offers `auth` (otherwise the RFC 2069 form is used).
    pub qop_auth: bool,
    /// `stale=true`: the nonce expired, the credentials were right.
    pub stale: bool,
    nc: AtomicU32,
}

impl Challenge {
    /// A challenge (for tests and the sandbox).
    pub fn new(realm: &str, nonce: &str, algorithm: Algorithm) -> Challenge {
        Challenge {
            realm: realm.to_owned(),
            nonce: nonce.to_owned(),
            opaque: None,
            algorithm,
            qop_auth: true,
            stale: false,
            nc: AtomicU32::new(0),
        }
    }

    /// The strongest Digest challenge of an answer's `WWW-Authenticate` headers that this crate
    /// can compute (SHA-256 before MD5), or `None`.
    pub fn from_headers(headers: &HeaderMap) -> Option<Challenge> {
        headers
            .get_all(WWW_AUTHENTICATE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(split_challenges)
            .filter_map(|(scheme, params)| {
                if !scheme.eq_ignore_ascii_case("digest") {
                    return None;
                }
                Challenge::from_params(&params)
            })
            .max_by_key(|c| c.algorithm.strength())
    }

    fn from_params(params: &[(String, String)]) -> Option<Challenge> {
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.clone())
        };
        let algorithm = match get("algorithm") {
            Some(a) => Algorithm::parse(&a)?,
            None => Algorithm::Md5,
        };
        let qop = get("qop");
        if let Some(q) = &qop
            && !q.split(',').any(|o| o.trim().eq_ignore_ascii_case("auth"))
        {
            return None; // only auth-int offered
        }
        Some(Challenge {
            realm: get("realm").unwrap_or_default(),
            nonce: get("nonce")?,
            opaque: get("opaque"),
            algorithm,
            qop_auth: qop.is_some(),
            stale: get("stale").is_some_and(|s| s.eq_ignore_ascii_case("true")),
            nc: AtomicU32::new(0),
        })
    }

    /// The `Authorization` header value for one request, with the next nonce count and a fresh
    /// client nonce.
    pub fn authorization(&self, user: &str, password: &str, method: &str, uri: &str) -> String {
        self.authorization_counted(user, password, method, uri).1
    }

    /// The last nonce count handed out by [`authorization`](Self::authorization) (0 before the
    /// first): above a request's own count, a later request with this nonce may reach the
    /// server first.
    pub fn nonce_count(&self) -> u32 {
        self.nc.load(Ordering::SeqCst)
    }

    /// [`authorization`](Self::authorization) with the nonce count it used.
    pub fn authorization_counted(
        &self,
        user: &str,
        password: &str,
        method: &str,
        uri: &str,
    ) -> (u32, String) {
        let count = self.nc.fetch_add(1, Ordering::SeqCst) + 1;
        let cnonce = format!("{:016x}", rand::random::<u64>());
        let nc = format!("{count:08x}");
        let qop = self.qop_auth.then_some("auth");
        let response = response(
            self.algorithm,
            &Params {
                user,
                realm: &self.realm,
                password,
                method,
                uri,
                nonce: &self.nonce,
                nc: &nc,
                cnonce: &cnonce,
                qop,
            },
        );
        let mut out = format!(
            "Digest username=\"{}\", realm=\"{}\", uri=\"{}\", algorithm={}, nonce=\"{}\"",
            quote(user),
            quote(&self.realm),
            quote(uri),
            self.algorithm.as_str(),
            quote(&self.nonce)
        );
        if qop.is_some() {
            let _ = write!(out, ", nc={nc}, cnonce=\"{cnonce}\", qop=auth");
        }
        let _ = write!(out, ", response=\"{response}\"");
        if let Some(opaque) = &self.opaque {
            let _ = write!(out, ", opaque=\"{}\"", quote(opaque));
        }
        (count, out)
    }
}

/// The inputs of a Digest `response`. Debug shows the password as `***`.
#[derive(Clone, Copy)]
pub struct Params<'a> {
    /// The user name.
    pub user: &'a str,
    /// The realm.
    pub realm: &'a str,
    /// The password.
    pub password: &'a str,
    /// The request method.
    pub method: &'a str,
    /// The request target (`uri`).
    pub uri: &'a str,
    /// The server nonce.
    pub nonce: &'a str,
    /// The nonce count, 8 hex digits.
    pub nc: &'a str,
    /// The client nonce.
    pub cnonce: &'a str,
    /// `Some("auth")`, or `None` for the RFC 2069 form.
    pub qop: Option<&'a str>,
}

impl std::fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params")
            .field("user", &self.user)
            .field("realm", &self.realm)
            .field("password", &"***")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("nonce", &self.nonce)
            .field("nc", &self.nc)
            .field("cnonce", &self.cnonce)
            .field("qop", &self.qop)
            .finish()
    }
}

/// The `response` of RFC 7616 section 3.4.1.
pub fn response(algorithm: Algorithm, p: &Params<'_>) -> String {
    let mut ha1 = algorithm.hash(&format!("{}:{}:{}", p.user, p.realm, p.password));
    if algorithm.is_sess() {
        ha1 = algorithm.hash(&format!("{ha1}:{}:{}", p.nonce, p.cnonce));
    }
    let ha2 = algorithm.hash(&format!("{}:{}", p.method, p.uri));
    match p.qop {
        Some(qop) => algorithm.hash(&format!(
            "{ha1}:{}:{}:{}:{qop}:{ha2}",
            p.nonce, p.nc, p.cnonce
        )),
        None => algorithm.hash(&format!("{ha1}:{}:{ha2}", p.nonce)),
    }
}

fn quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Splits a `WWW-Authenticate` (or `Authorization`) value into schemes and their parameters:
/// `Digest realm="a", nonce="b", Basic realm="c"` gives two entries.
pub fn split_challenges(value: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut rest = value.trim();
    while !rest.is_empty() {
        rest = rest.trim_start_matches([',', ' ', '\t']);
        if rest.is_empty() {
            break;
        }
        // A token, then `=` (a parameter) or a space / end / comma (a new scheme).
        let end = rest
            .find(|c: char| c == '=' || c == ',' || c.is_whitespace())
            .unwrap_or(rest.len());
        let token = &rest[..end];
        let after = rest[end..].trim_start_matches([' ', '\t']);
        if let Some(value_part) = after.strip_prefix('=') {
            let value_part = value_part.trim_start();
            let (value, remaining) = if let Some(quoted) = value_part.strip_prefix('"') {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut close = quoted.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, n)) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => {
                            close = i + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &quoted[close.min(quoted.len())..])
            } else {
                let stop = value_part.find(',').unwrap_or(value_part.len());
                (value_part[..stop].trim().to_owned(), &value_part[stop..])
            };
            match out.last_mut() {
                Some((_, params)) => params.push((token.to_owned(), value)),
                None => out.push((String::new(), vec![(token.to_owned(), value)])),
            }
            rest = remaining;
        } else {
            out.push((token.to_owned(), Vec::new()));
            rest = after;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pos_client_core::http::HeaderValue;

    // RFC 7616 section 3.9.1: Mufasa / Circle of Life, MD5 and SHA-256.
    fn rfc(algorithm: Algorithm) -> String {
        response(
            algorithm,
            &Params {
                user: "Mufasa",
                realm: "http-auth@example.org",
                password: "Circle of Life",
                method: "GET",
                uri: "/dir/index.html",
                nonce: "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
                nc: "00000001",
                cnonce: "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
                qop: Some("auth"),
            },
        )
    }

    #[test]
    fn the_rfc_7616_examples_compute() {
        assert_eq!(rfc(Algorithm::Md5), "8ca523f5e9506fed4657c9700eebdbec");
        assert_eq!(
            rfc(Algorithm::Sha256),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }

    #[test]
    fn the_strongest_challenge_is_chosen_and_params_are_unquoted() {
        let mut headers = HeaderMap::new();
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(
                r#"Digest realm="api", qop="auth, auth-int", algorithm=MD5, nonce="n1", opaque="o\"1""#,
            ),
        );
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(
                r#"Digest realm="api", qop="auth", algorithm=SHA-256, nonce="n2", stale=TRUE, Basic realm="api""#,
            ),
        );
        let c = Challenge::from_headers(&headers).unwrap();
        assert_eq!(c.algorithm, Algorithm::Sha256);
        assert_eq!(c.nonce, "n2");
        assert!(c.stale && c.qop_auth);
        headers.remove(WWW_AUTHENTICATE);
        headers.append(
            WWW_AUTHENTICATE,
            HeaderValue::from_static(r#"Digest realm="api", nonce="n1", opaque="o\"1""#),
        );
        let c = Challenge::from_headers(&headers).unwrap();
        assert_eq!(c.opaque.as_deref(), Some("o\"1"));
        assert_eq!(c.algorithm, Algorithm::Md5);
        assert!(!c.qop_auth && !c.stale);
    }

    #[test]
    fn the_nonce_count_increases_per_request() {
        let c = Challenge::new("api", "n", Algorithm::Sha256);
        let first = c.authorization("u", "p", "GET", "/x");
        let second = c.authorization("u", "p", "GET", "/x");
        assert!(first.contains("nc=00000001"), "{first}");
        assert!(second.contains("nc=00000002"), "{second}");
        assert_eq!(c.nonce_count(), 2);
        assert_eq!(c.authorization_counted("u", "p", "GET", "/x").0, 3);
        let parsed = split_challenges(&second);
        assert_eq!(parsed[0].0, "Digest");
        assert!(parsed[0].1.iter().any(|(k, v)| k == "qop" && v == "auth"));
    }
}
