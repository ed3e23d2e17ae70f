//! From HTTP to the world and back: content negotiation (406/415), and answers as the vendor's
//! media type or `application/problem+json`.

use std::sync::Arc;

use pos_client_core::http::{HeaderMap, Method, StatusCode, Uri, header};
use pos_client_core::sandbox::axum::{
    body::{Body, Bytes},
    extract::State,
    response::Response,
};
use serde_json::{Value, json};

use super::routes::route;
use super::{HAL, JSON, Shared, VND, lock};

/// What a request answered with, before serialization.
pub(super) struct Reply {
    pub(super) status: StatusCode,
    pub(super) body: Option<Value>,
    pub(super) problem: bool,
    pub(super) headers: Vec<(header::HeaderName, String)>,
}

pub(super) fn ok(body: Value) -> Reply {
    Reply {
        status: StatusCode::OK,
        body: Some(body),
        problem: false,
        headers: Vec::new(),
    }
}

pub(super) fn problem(status: u16, code: Option<&str>, detail: &str) -> Reply {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut body = json!({
        "type": "http://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    if let (Some(code), Value::Object(map)) = (code, &mut body) {
        map.insert("result".into(), code.into());
    }
    Reply {
        status,
        body: Some(body),
        problem: true,
        headers: Vec::new(),
    }
}

pub(super) fn coded(code: &str) -> Reply {
    let status = match code {
        "NOT_CURRENT_ACCESS_TOKEN"
        | "NOT_PERMISSION_SELECT_THIS_LOCATION"
        | "NOT_PERMISSION_SELECT_THIS_REASON" => 403,
        "NOT_FOUND_SUPPLER" => 404,
        "ERROR" => 400,
        _ => 422,
    };
    problem(status, Some(code), code)
}

/// The document's own error shape: a coded problem becomes `{"result": CODE}` in the
/// negotiated media type, with the same status. Uncoded errors (401, 405, 406, 415, 422
/// validation) stay problem+json: the document shows no body for them.
fn as_result_body(mut reply: Reply) -> Reply {
    let code = reply
        .body
        .as_ref()
        .filter(|_| reply.problem)
        .and_then(|b| b.get("result"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(code) = code {
        reply.body = Some(json!({ "result": code }));
        reply.problem = false;
    }
    reply
}

pub(super) fn invalid(field: &str, message: &str) -> Reply {
    invalid_as(field, "isEmpty", message)
}

/// A 422 "Failed Validation" naming the field and the validator that refused it.
pub(super) fn invalid_as(field: &str, validator: &str, message: &str) -> Reply {
    let mut r = problem(422, None, "Failed Validation");
    if let Some(Value::Object(map)) = &mut r.body {
        map.insert(
            "validation_messages".into(),
            json!({ field: { validator: message } }),
        );
    }
    r
}

/// The body keys a request may carry: the document's fields of that request (its fields table,
/// or for an action the fields whose comment names it, "Áp dụng với action ..."). Any other key
/// (a wrong name or case, a field of another action) is refused as the framework's input filter
/// refuses fields it does not know (`allows_only_fields_in_filter`): 422 "Unrecognized fields:
/// ...". A server ignoring it instead would lose the value silently.
pub(super) fn only_fields(
    data: &serde_json::Map<String, Value>,
    allowed: &[&str],
    of: &str,
) -> Result<(), Reply> {
    let unknown: Vec<&str> = data
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed.contains(k))
        .collect();
    if unknown.is_empty() {
        // Every value the document shows is a text (its amounts and flags too), which PHP also
        // reads from a number; a boolean, list or object is no field's value: refused, where
        // reading it as absent would drop it silently (`"update_supplier": true` for "Y").
        let odd = data
            .iter()
            .find(|(_, v)| matches!(v, Value::Bool(_) | Value::Array(_) | Value::Object(_)));
        return match odd {
            Some((k, _)) => Err(invalid_as(
                k,
                "invalidType",
                "Invalid type given. A text or a number expected",
            )),
            None => Ok(()),
        };
    }
    Err(problem(
        422,
        None,
        &format!(
            "Unrecognized fields: {} (fields of {of}: {})",
            unknown.join(", "),
            allowed.join(", ")
        ),
    ))
}

/// The query parameters a request may carry (the document's filters and the framework's
/// paging); any other is refused the same way (422), as a body field out of place would be.
pub(super) fn only_query(
    query: &std::collections::BTreeMap<String, String>,
    allowed: &[&str],
) -> Result<(), Reply> {
    let unknown: Vec<&str> = query
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(problem(
        422,
        None,
        &format!(
            "Unrecognized query parameters: {} (allowed: {})",
            unknown.join(", "),
            allowed.join(", ")
        ),
    ))
}

pub(super) fn negotiate(headers: &HeaderMap) -> Option<&'static str> {
    let accept = headers
        .get(header::ACCEPT)?
        .to_str()
        .ok()?
        .to_ascii_lowercase();
    [VND, HAL, JSON].into_iter().find(|t| {
        accept
            .split(',')
            .any(|part| part.split(';').next().map(str::trim) == Some(t))
    })
}

pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let accepted = negotiate(&headers);
    let reply = match accepted {
        None => problem(
            406,
            None,
            "Unable to resolve Accept header to a representation",
        ),
        Some(_) => {
            let mut world = lock(&shared.world);
            let reply = route(&mut world, &method, &uri, &headers, &body);
            if world.result_bodies {
                as_result_body(reply)
            } else {
                reply
            }
        }
    };
    let content_type = if reply.problem {
        "application/problem+json"
    } else {
        accepted.unwrap_or(JSON)
    };
    let mut builder = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        builder = builder.header(name, value);
    }
    let built = match reply.body {
        Some(body) if reply.status != StatusCode::NO_CONTENT => builder
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_string())),
        _ => builder.body(Body::empty()),
    };
    built.unwrap_or_else(|_| Response::new(Body::empty()))
}
