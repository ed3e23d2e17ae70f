//! The request journal and the routes that faults and hit counts apply to.

use std::fmt;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::{HeaderMap, Method, header};

use super::lock;

/// What a fault or a hit count applies to: an exact path, and optionally parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    path: String,
    params: Vec<(String, String)>,
    flags: Vec<String>,
    json: Vec<(String, String)>,
    method: Option<Method>,
}

impl Route {
    /// Requests to exactly this path (`"/api/sync-stock"`; a missing leading `/` is added).
    pub fn path(path: &str) -> Route {
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Route {
            path,
            params: Vec::new(),
            flags: Vec::new(),
            json: Vec::new(),
            method: None,
        }
    }

    /// Also requires a JSON body whose top-level `key` is the string `value` (a REST API that
    /// tells actions apart by a body field, as Suppliers' `"action": "addLine"`).
    pub fn json_field(mut self, key: &str, value: &str) -> Route {
        self.json.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Also requires this method (a REST path serves GET, PUT and DELETE alike).
    pub fn method(mut self, method: Method) -> Route {
        self.method = Some(method);
        self
    }

    /// Also requires the query string or a form body (`application/x-www-form-urlencoded`) to
    /// carry `key=value` (NOOM's `act=ODOC_COMPLETE`).
    pub fn param(mut self, key: &str, value: &str) -> Route {
        self.params.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Also requires the query string to carry `key`, with or without a value (CloudPOS'
    /// `?…&get-orders`).
    pub fn flag(mut self, key: &str) -> Route {
        self.flags.push(key.to_owned());
        self
    }

    /// Whether `request` is one this route names.
    pub fn matches(&self, request: &RecordedRequest) -> bool {
        if request.path != self.path || self.method.as_ref().is_some_and(|m| *m != request.method) {
            return false;
        }
        if !self.json.is_empty() {
            let Ok(serde_json::Value::Object(body)) =
                serde_json::from_slice::<serde_json::Value>(&request.body)
            else {
                return false;
            };
            let all = self
                .json
                .iter()
                .all(|(k, v)| body.get(k).and_then(|b| b.as_str()) == Some(v.as_str()));
            if !all {
                return false;
            }
        }
        let query = request.query_pairs();
        let form = if self.params.is_empty() {
            Vec::new()
        } else {
            request.form_pairs()
        };
        self.params.iter().all(|(k, v)| {
            query
                .iter()
                .chain(form.iter())
                .any(|(qk, qv)| qk == k && qv == v)
        }) && self.flags.iter().all(|f| query.iter().any(|(k, _)| k == f))
    }
}

impl From<&str> for Route {
    fn from(path: &str) -> Route {
        Route::path(path)
    }
}

impl From<String> for Route {
    fn from(path: String) -> Route {
        Route::path(&path)
    }
}

impl From<&Route> for Route {
    fn from(route: &Route) -> Route {
        route.clone()
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The complete request body.
    pub body: Bytes,
}

/// A handler can take the whole request as a `RecordedRequest` (its body read in full), then
/// read PHP's `$_GET` ([`query_pairs`](Self::query_pairs)) and `$_POST`
/// ([`form_pairs`](Self::form_pairs)) the way every vendor sandbox does.
impl<S: Send + Sync> axum::extract::FromRequest<S> for RecordedRequest {
    type Rejection = axum::response::Response;

    async fn from_request(request: axum::extract::Request, _: &S) -> Result<Self, Self::Rejection> {
        use axum::response::IntoResponse;
        let (parts, body) = request.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX)
            .await
            .map_err(|e| (http::StatusCode::BAD_REQUEST, e.to_string()).into_response())?;
        Ok(RecordedRequest {
            method: parts.method,
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
            headers: parts.headers,
            body,
        })
    }
}

impl RecordedRequest {
    /// The query string's decoded pairs in order; a bare key has an empty value.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the body is declared as `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            })
    }

    /// The form body's decoded pairs in order (empty unless the body is a form).
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        if !self.is_form() {
            return Vec::new();
        }
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }

    /// The first value of `key` in the query string, else in the form body.
    pub fn param(&self, key: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .chain(self.form_pairs())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The requests a [`SandboxServer`](super::SandboxServer) received, in arrival order. Clones share the same journal.
#[derive(Clone, Default)]
pub struct Journal {
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("requests", &lock(&self.requests).len())
            .finish()
    }
}

impl Journal {
    pub(crate) fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
    }

    /// Every request received so far (including those that hit a fault), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    /// The requests that match `route`, oldest first.
    pub fn matching(&self, route: impl Into<Route>) -> Vec<RecordedRequest> {
        let route = route.into();
        lock(&self.requests)
            .iter()
            .filter(|r| route.matches(r))
            .cloned()
            .collect()
    }

    /// How many received requests match `route`.
    pub fn hits(&self, route: impl Into<Route>) -> usize {
        let route = route.into();
        lock(&self.requests)
            .iter()
            .filter(|r| route.matches(r))
            .count()
    }

    /// Forgets every recorded request.
    pub fn clear(&self) {
        lock(&self.requests).clear();
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use http::HeaderValue;

    pub(crate) fn request(path: &str, query: Option<&str>, form: Option<&str>) -> RecordedRequest {
        let mut headers = HeaderMap::new();
        if form.is_some() {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
        RecordedRequest {
            method: Method::POST,
            path: path.to_owned(),
            query: query.map(str::to_owned),
            headers,
            body: Bytes::from(form.unwrap_or("").to_owned()),
        }
    }

    #[test]
    fn routes_match_path_params_and_flags() {
        let r = request("/api/", Some("licname=a&token=t&get-orders"), None);
        assert!(Route::path("/api/").matches(&r));
        assert!(Route::path("api/").matches(&r));
        assert!(!Route::path("/api").matches(&r));
        assert!(Route::path("/api/").flag("get-orders").matches(&r));
        assert!(!Route::path("/api/").flag("get-products").matches(&r));
        assert!(Route::path("/api/").param("licname", "a").matches(&r));
        assert!(!Route::path("/api/").param("licname", "b").matches(&r));

        let f = request("/noom", None, Some("act=ODOC_COMPLETE&uid=u+1"));
        assert!(
            Route::path("/noom")
                .param("act", "ODOC_COMPLETE")
                .matches(&f)
        );
        assert!(Route::path("/noom").param("uid", "u 1").matches(&f));
        assert!(!Route::path("/noom").param("act", "ODOC_OPEN").matches(&f));
        assert_eq!(f.param("act").as_deref(), Some("ODOC_COMPLETE"));

        // JSON body fields and methods.
        let mut put = request("/api/t/7", None, None);
        put.method = Method::PUT;
        put.body = Bytes::from_static(br#"{"action":"addLine","units":2}"#);
        assert!(
            Route::path("/api/t/7")
                .json_field("action", "addLine")
                .matches(&put)
        );
        assert!(
            !Route::path("/api/t/7")
                .json_field("action", "deleteLine")
                .matches(&put)
        );
        assert!(Route::path("/api/t/7").method(Method::PUT).matches(&put));
        assert!(!Route::path("/api/t/7").method(Method::DELETE).matches(&put));
        assert!(
            !Route::path("/api/t/7")
                .json_field("units", "2")
                .matches(&put),
            "strings only"
        );

        // A form-looking body without the form content type is not a form.
        let mut j = f.clone();
        j.headers.clear();
        assert!(
            !Route::path("/noom")
                .param("act", "ODOC_COMPLETE")
                .matches(&j)
        );
    }
}
