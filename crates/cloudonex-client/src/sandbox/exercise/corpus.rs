//! The seed corpus: the document's own example answers and the sandbox's own answers.

use pos_client_core::http::{HeaderMap, HeaderValue, StatusCode, header};
use pos_client_core::sandbox::Sample;
use pos_client_core::sandbox::axum::body::Bytes;
use serde_json::{Value, json};

use super::{Act, RECORD_ID};
use crate::client::Resource;
use crate::models::OPERATIONS;
use crate::sandbox::http::fail;
use crate::sandbox::state::World;

/// The sandbox's own answers to every operation, from a freshly seeded world through its
/// handler (the same code that serves HTTP), plus its 401 and 429 answers.
pub(super) fn sandbox_answers() -> Vec<Sample> {
    let to_vec = |v: &Value| serde_json::to_vec(v).unwrap_or_default();
    let mut json_headers = HeaderMap::new();
    json_headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let mut out = Vec::new();
    for resource in Resource::ALL {
        let mut world = World::new(Vec::new(), 0, true);
        let path = resource.path();
        let one = format!("{path}/{RECORD_ID}");
        let missing = format!("{path}/999");
        let valid = match resource {
            Resource::Customers => {
                json!({"account": "John Doe", "email": "john@example.com", "phone": "1234567890"})
            }
            Resource::Invoices => json!({"customer_id": 1, "items": [
                {"description": "Product A", "amount": 100.00, "qty": 1},
                {"description": "Product B", "amount": "2.35", "qty": "3"}]}),
            _ => json!({"name": "Exercise", "total": "12.50"}),
        };
        let invalid = match resource {
            Resource::Customers => json!({"account": "", "email": "not-an-email"}),
            Resource::Invoices => json!({"customer_id": 999, "items": [{"amount": -1}]}),
            _ => json!({}),
        };
        let paged = [
            ("page".to_owned(), "1".to_owned()),
            ("per_page".to_owned(), "2".to_owned()),
        ];
        // (what, route, paged, body): in this order on one world, so the second delete is a 404.
        let requests = [
            (Act::List, path, false, Value::Null),
            (Act::List, path, true, Value::Null),
            (Act::Get, &one, false, Value::Null),
            (Act::Get, &missing, false, Value::Null),
            (Act::Create, path, false, valid),
            (Act::Create, path, false, invalid.clone()),
            (Act::Update, &one, false, json!({"note": "changed"})),
            (Act::Update, &one, false, invalid),
            (Act::Delete, &one, false, Value::Null),
            (Act::Delete, &one, false, Value::Null),
            (Act::List, path, false, Value::Null),
        ];
        for (act, route, page, body) in requests {
            let Some(spec) = OPERATIONS.iter().find(|op| op.name == act.name(resource)) else {
                continue;
            };
            let bytes = if body.is_null() {
                Bytes::new()
            } else {
                Bytes::from(to_vec(&body))
            };
            let query = if page { &paged[..] } else { &[] };
            let answer = world.route(&act.method(), route, query, &json_headers, &bytes);
            out.push((spec.name, answer.status.as_u16(), to_vec(&answer.body)));
        }
    }
    // The key and rate-limit answers are read alike whatever the resource: once per kind.
    for spec in OPERATIONS
        .iter()
        .filter(|op| op.name.ends_with(" customers"))
    {
        let unauthorized = fail(
            StatusCode::UNAUTHORIZED,
            json!([]),
            "Invalid or missing API key",
        );
        out.push((spec.name, 401, to_vec(&unauthorized.body)));
        let limited = fail(
            StatusCode::TOO_MANY_REQUESTS,
            json!([]),
            "Rate limit exceeded",
        );
        out.push((spec.name, 429, to_vec(&limited.body)));
    }
    out
}

/// The vendor document's own examples (its success envelope, whose `data` is `{}`, and its
/// error example), for every operation, and the wire tests' answers in the document's shapes.
pub(super) fn document_answers() -> Vec<Sample> {
    const SUCCESS: &str = r#"{"success": true, "data": {}, "message": "Optional status message"}"#;
    const ERROR: &str = r#"{"success": false, "errors": {"email": "Invalid email format"}, "message": "Validation failed"}"#;
    const SPECIFIC: &[(&str, u16, &str)] = &[
        (
            "create customers",
            201,
            r#"{"success":true,"data":{"id":123,"account":"John Doe","email":"john@example.com","phone":"1234567890"},"message":"Optional status message"}"#,
        ),
        (
            "create invoices",
            201,
            r#"{"success":true,"data":{"id":"55","customer_id":"123","items":[{"description":"Product A","amount":"100.00","qty":"1"}],"total":"100.00"},"message":null}"#,
        ),
        (
            "list customers",
            200,
            r#"[{"id":1,"account":"A","email":null,"phone":1234567890,"balance":"125.50","created_at":"2024-05-01 09:30:00"},{"id":"2","account":"B","email":"","phone":"","created_at":null}]"#,
        ),
        (
            "get invoices",
            200,
            r#"{"success":"1","data":{"id":"5","customer_id":9,"items":{"description":"X","amount":"12.5","qty":"2"}}}"#,
        ),
        (
            "get invoices",
            200,
            r#"{"id":6,"customer_id":"9","items":null}"#,
        ),
        (
            "list quotes",
            200,
            r#"{"success":true,"data":{"current_page":"1","data":[{"id":1},{"id":2}],"last_page":"2","per_page":"2","total":"3","links":[]},"message":"Optional status message"}"#,
        ),
        (
            "get tickets",
            200,
            r#"{"success":false,"errors":{"id":"Unknown"},"message":"Failed"}"#,
        ),
        (
            "create products",
            201,
            r#"{"success":true,"data":123,"message":"Created"}"#,
        ),
        ("update leads", 200, r#"{"success":"1","data":" C-9 "}"#),
        ("delete orders", 200, r#"{"success":true,"data":null}"#),
        (
            "list suppliers",
            500,
            "<html><body><h1>500 Internal Server Error</h1></body></html>",
        ),
    ];
    let mut out: Vec<Sample> = Vec::new();
    for spec in OPERATIONS {
        out.push((spec.name, 200, SUCCESS.as_bytes().to_vec()));
        out.push((spec.name, 400, ERROR.as_bytes().to_vec()));
    }
    out.extend(SPECIFIC.iter().filter_map(|(name, status, body)| {
        let spec = OPERATIONS.iter().find(|op| op.name == *name)?;
        Some((spec.name, *status, body.as_bytes().to_vec()))
    }));
    out
}

#[cfg(test)]
mod tests {
    use pos_client_core::sandbox::Exercise;

    use super::sandbox_answers;
    use crate::models::OPERATIONS;
    use crate::sandbox::Sandbox;

    #[tokio::test]
    async fn every_operation_has_sandbox_samples_that_decode() {
        let sandbox = Sandbox::start().await.unwrap();
        let corpus = sandbox_answers();
        for op in OPERATIONS {
            let ok: Vec<_> = corpus
                .iter()
                .filter(|(name, status, _)| *name == op.name && (200..300).contains(status))
                .map(|(name, status, body)| sandbox.decode(name, *status, body))
                .collect();
            assert!(!ok.is_empty(), "{}: no success sample", op.name);
            assert!(ok.iter().all(Result::is_ok), "{}: {ok:?}", op.name);
        }
        // Error answers keep their status and their code.
        for (name, status, body) in corpus.iter().filter(|(_, s, _)| *s >= 400) {
            let err = sandbox.decode(name, *status, body).unwrap_err();
            assert_eq!(err.status, Some(*status), "{name}: {err}");
        }
    }
}
