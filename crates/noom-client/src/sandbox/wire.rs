//! The HTTP side: the request's parameters, the NOOM envelope of every answer and the server's
//! handler.

use std::collections::HashMap;
use std::sync::Arc;

use pos_client_core::encoding::parse_decimal;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::RecordedRequest;
use pos_client_core::sandbox::axum::{
    Json,
    extract::State,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::acts::dispatch;
use super::state::Shared;

pub(super) fn envelope(status: u8, msg: &str, data: Value) -> Response {
    Json(json!({ "status": status, "msg": msg, "time": 0.012, "data": data })).into_response()
}

/// A `status: 0` message from an act's inner step.
pub(super) struct Failure(pub(super) String);

pub(super) fn failure(msg: impl AsRef<str>) -> Failure {
    Failure(msg.as_ref().to_owned())
}

pub(super) fn ok(data: Value) -> Response {
    envelope(1, "", data)
}

pub(super) fn fail(msg: impl AsRef<str>) -> Response {
    envelope(0, msg.as_ref(), Value::Null)
}

/// The request's parameters: the query string first, then the form body (PHP's `$_GET` and
/// `$_POST`; a JSON body fills nothing). `accesstoken` is taken from the body only when
/// `token_in_body` (the document puts it in the query string).
pub(super) fn parameters(
    request: &RecordedRequest,
    token_in_body: bool,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (k, v) in request.query_pairs() {
        out.entry(k).or_insert(v);
    }
    for (k, v) in request.form_pairs() {
        if k == "accesstoken" && !token_in_body {
            continue;
        }
        out.entry(k).or_insert(v);
    }
    out
}

pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    request: RecordedRequest,
) -> Response {
    dispatch(&shared, &parameters(&request, shared.token_in_body))
}

pub(super) struct Ctx<'a> {
    pub(super) p: &'a HashMap<String, String>,
    pub(super) user: &'a str,
}

impl Ctx<'_> {
    pub(super) fn get(&self, key: &str) -> Option<&str> {
        self.p.get(key).map(|s| s.trim()).filter(|s| !s.is_empty())
    }

    pub(super) fn flag(&self, key: &str) -> bool {
        self.get(key)
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|v| v > 0)
    }
}

pub(super) fn decimal_param(ctx: &Ctx<'_>, key: &str) -> Result<Option<Decimal>, Failure> {
    match ctx.get(key) {
        None => Ok(None),
        Some(v) => parse_decimal(v)
            .map(Some)
            .map_err(|_| failure(format!("Invalid {key} value: {v}"))),
    }
}
