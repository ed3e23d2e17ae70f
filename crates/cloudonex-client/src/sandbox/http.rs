//! From HTTP to the world and back: the key and the route of a request (Bearer or the
//! `?api_key=&ng=` form), the rate-limit window, and the envelope with the `X-RateLimit-*`
//! headers.

use std::sync::{Arc, Mutex};

use pos_client_core::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use pos_client_core::path::encode_segment;
use pos_client_core::sandbox::axum::{
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::state::{Window, World, now_secs};
use super::{WINDOW_SECS, lock};

/// An answer with the rate-limit headers of the caller's key.
pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) body: Value,
}

/// The document's "Response Format": `message` is a text ("Optional status message"), so an
/// answer without one leaves it out rather than sending `null`.
pub(super) fn ok(status: StatusCode, data: Value, message: Option<&str>) -> Answer {
    let body = match message {
        Some(message) => json!({"success": true, "data": data, "message": message}),
        None => json!({"success": true, "data": data}),
    };
    Answer { status, body }
}

pub(super) fn fail(status: StatusCode, errors: Value, message: &str) -> Answer {
    Answer {
        status,
        body: json!({"success": false, "errors": errors, "message": message}),
    }
}

/// 400 `Validation failed` with the field errors as the `errors` object.
pub(super) fn invalid(errors: Vec<(String, String)>) -> Answer {
    fail(
        StatusCode::BAD_REQUEST,
        field_map(errors),
        "Validation failed",
    )
}

fn field_map(errors: Vec<(String, String)>) -> Value {
    Value::Object(
        errors
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect(),
    )
}

/// Which key the request carries, and the route it asks for.
pub(super) fn credentials_and_route(
    uri: &Uri,
    headers: &HeaderMap,
) -> (Option<String>, Option<String>) {
    let path = uri.path();
    if let Some(route) = path.strip_prefix("/api/v2/") {
        let key = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            // Exactly `Bearer <key>` (line 18): no second space, no padding inside the value.
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        return (key, Some(route.to_owned()));
    }
    if path == "/" {
        let pairs: Vec<(String, String)> = url_pairs(uri.query().unwrap_or_default());
        let key = pairs
            .iter()
            .find(|(k, _)| k == "api_key")
            .map(|(_, v)| v.clone());
        let route = pairs
            .iter()
            .find(|(k, _)| k == "ng")
            .and_then(|(_, v)| v.strip_prefix("api/v2/").map(encode_route));
        return (key, route);
    }
    (None, None)
}

/// The `ng` value arrives decoded; encode its id segment so both modes route alike.
pub(super) fn encode_route(route: &str) -> String {
    match route.split_once('/') {
        Some((resource, id)) => format!("{resource}/{}", encode_segment(id)),
        None => route.to_owned(),
    }
}

pub(super) fn url_pairs(query: &str) -> Vec<(String, String)> {
    let url = format!("http://x/?{query}");
    url::Url::parse(&url)
        .map(|u| u.query_pairs().into_owned().collect())
        .unwrap_or_default()
}

pub(super) async fn handle(
    State(state): State<Arc<Mutex<World>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let mut world = lock(&state);
    let (key, route) = credentials_and_route(&uri, &headers);
    let Some(route) = route else {
        return render(fail(StatusCode::NOT_FOUND, json!([]), "Not Found"), None);
    };
    let Some(key) = key.filter(|k| world.keys.iter().any(|known| known == k)) else {
        return render(
            fail(
                StatusCode::UNAUTHORIZED,
                json!([]),
                "Invalid or missing API key",
            ),
            None,
        );
    };
    // The window of this key: counts every request with a valid key.
    let limit = world.limit;
    let now = now_secs();
    let window = world.windows.entry(key).or_insert(Window {
        start: now,
        used: 0,
    });
    if now >= window.start + WINDOW_SECS {
        *window = Window {
            start: now,
            used: 0,
        };
    }
    let reset = window.start + WINDOW_SECS;
    if window.used >= limit {
        let headers = (limit, 0, reset);
        return render(
            fail(
                StatusCode::TOO_MANY_REQUESTS,
                json!([]),
                "Rate limit exceeded",
            ),
            Some(headers),
        );
    }
    window.used += 1;
    let rate = (limit, limit - window.used, reset);
    let query = url_pairs(uri.query().unwrap_or_default());
    let answer = world.route(&method, &route, &query, &headers, &body);
    render(answer, Some(rate))
}

pub(super) fn render(answer: Answer, rate: Option<(u32, u32, u64)>) -> Response {
    let mut response = (
        answer.status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        answer.body.to_string(),
    )
        .into_response();
    if let Some((limit, remaining, reset)) = rate {
        let h = response.headers_mut();
        for (name, value) in [
            ("x-ratelimit-limit", limit as u64),
            ("x-ratelimit-remaining", remaining as u64),
            ("x-ratelimit-reset", reset),
        ] {
            if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
                h.insert(name, v);
            }
        }
    }
    response
}
