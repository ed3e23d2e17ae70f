//! [`Exercise`] for the CloudOnex sandbox: each of the 50 operations of `models::OPERATIONS`
//! (`"<list|get|create|update|delete> <resource>"`) run once through a Bearer client with valid
//! input, and the client's decoding of any answer, offline.
//!
//! Operations on one record (get, update, delete) work on record `1` of their resource, seeded in
//! every sandbox: the route of a fault must be known before the run. A run puts the seeded record
//! back first when an earlier run deleted it (straight into the sandbox's state, so the
//! operation's own request is the first one on its route).

use std::marker::PhantomData;
use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::axum::body::Bytes;
use pos_client_core::sandbox::{
    BoxFuture, Exercise, ExerciseSettings, Route, Sample, SandboxServer, Summary, unsupported,
};
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Operation, OperationSpec};
use serde::de::{self, DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use serde_json::{Value, json};

use super::http::fail;
use super::state::World;
use super::{Sandbox, lock};
use crate::client::{Client, Resource};
use crate::error::Error;
use crate::models::{Customer, Invoice, OPERATIONS, Record};
use crate::protocol::{AuthMode, CloudOnex, VENDOR};
use crate::records::{One, Page, WritePayload, envelope_message, write_payload};
use crate::requests::{CustomerUpdate, InvoiceUpdate, NewCustomer, NewInvoice, RecordRequest};

/// The seeded record that get, update and delete work on.
const RECORD_ID: u64 = 1;

/// Makes every created name, e-mail and reference unique in the process: one sandbox may run an
/// operation many times.
static NEXT: AtomicU64 = AtomicU64::new(1);

fn next() -> u64 {
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What an operation does (the first word of its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    List,
    Get,
    Create,
    Update,
    Delete,
}

impl Act {
    fn method(self) -> Method {
        match self {
            Act::List | Act::Get => Method::GET,
            Act::Create => Method::POST,
            Act::Update => Method::PUT,
            Act::Delete => Method::DELETE,
        }
    }

    /// The operation's name on `resource`.
    fn name(self, resource: Resource) -> String {
        let act = match self {
            Act::List => "list",
            Act::Get => "get",
            Act::Create => "create",
            Act::Update => "update",
            Act::Delete => "delete",
        };
        format!("{act} {}", resource.path())
    }

    fn has_id(self) -> bool {
        matches!(self, Act::Get | Act::Update | Act::Delete)
    }
}

/// The documented operation named `name`: its static spec, what it does and on which resource.
fn parse(name: &str) -> Option<(&'static OperationSpec, Act, Resource)> {
    let spec = OPERATIONS.iter().find(|op| op.name == name)?;
    let (act, resource) = name.split_once(' ')?;
    let act = match act {
        "list" => Act::List,
        "get" => Act::Get,
        "create" => Act::Create,
        "update" => Act::Update,
        "delete" => Act::Delete,
        _ => return None,
    };
    Some((spec, act, Resource::from_path(resource)?))
}

/// A write's 2xx payload as [`Endpoint`](crate::Endpoint)'s `written` reads it: one of the
/// "no record" shapes, or a record decoded as `T`.
struct Written<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Written<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Option::<Box<RawValue>>::deserialize(d)?;
        match write_payload(raw.as_deref().map(|r| r.get().as_bytes())) {
            WritePayload::NoRecord(_) => Ok(Written(PhantomData)),
            WritePayload::Record => {
                let text = raw.as_deref().map_or("null", RawValue::get);
                serde_json::from_str::<One<T>>(text)
                    .map(|_| Written(PhantomData))
                    .map_err(de::Error::custom)
            }
        }
    }
}

/// Decodes an answer to `act` as the endpoint's method does, with `T` its model.
fn decode_as<T: DeserializeOwned>(
    protocol: &CloudOnex,
    op: &Operation,
    act: Act,
    status: StatusCode,
    body: Bytes,
) -> Result<(), Error> {
    let headers = HeaderMap::new();
    match act {
        Act::List => {
            pos_client_core::decode_answer::<_, Page<T>>(protocol, op, status, headers, body)
                .map(drop)
        }
        Act::Get => {
            pos_client_core::decode_answer::<_, One<T>>(protocol, op, status, headers, body)
                .map(drop)
        }
        Act::Create | Act::Update => {
            let message = envelope_message(&body);
            pos_client_core::decode_answer::<_, Written<T>>(protocol, op, status, headers, body)
                .map(|_| drop(message))
        }
        // `Endpoint::delete` takes any success without reading its payload; its errors map
        // exactly as here.
        Act::Delete => {
            match pos_client_core::decode_answer::<_, IgnoredAny>(
                protocol, op, status, headers, body,
            ) {
                Err(pos_client_core::Error::Decode { .. }) if status.is_success() => Ok(()),
                other => other.map(drop),
            }
        }
    }
}

fn setup_failed(what: &str) -> Summary {
    Summary {
        kind: "Setup",
        status: None,
        outcome_unknown: false,
        retryable: false,
        validation: false,
        display: format!("cloudonex exerciser: {what}"),
        debug: String::new(),
    }
}

impl Sandbox {
    /// A Bearer client for one run: the sandbox's key, the suite's retry policy and timeout.
    fn exercise_client(&self, settings: &ExerciseSettings) -> Result<Client, Error> {
        self.client_builder()
            .retry_policy(settings.retry.clone())
            .timeout(settings.timeout)
            .build()
    }

    /// Puts the seeded record `RECORD_ID` of `resource` back when an earlier run deleted it.
    fn restore_seeded(&self, resource: Resource) -> Result<(), Summary> {
        let mut world = lock(&self.state);
        let present = world
            .tables
            .get(&resource)
            .is_some_and(|t| t.rows.contains_key(&RECORD_ID));
        if present {
            return Ok(());
        }
        let seeded = World::new(Vec::new(), 0, true);
        let record = seeded
            .tables
            .get(&resource)
            .and_then(|t| t.rows.get(&RECORD_ID))
            .cloned()
            .ok_or_else(|| setup_failed("the seed has no record 1"))?;
        if let Some(table) = world.tables.get_mut(&resource) {
            table.rows.insert(RECORD_ID, record);
        }
        Ok(())
    }

    async fn run_operation(
        &self,
        operation: &str,
        settings: &ExerciseSettings,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Result<(), Summary> {
        let Some((_, act, resource)) = parse(operation) else {
            return Err(unsupported(VENDOR, operation));
        };
        // Invoices name customer 1; the record an operation reads, changes or deletes exists.
        if resource == Resource::Invoices {
            self.restore_seeded(Resource::Customers)?;
        }
        if act.has_id() {
            self.restore_seeded(resource)?;
        }
        let client = self.exercise_client(settings).map_err(Summary::from)?;
        let id = RECORD_ID.to_string();
        let n = next();
        let result = match (resource, act) {
            (_, Act::List) => {
                inject();
                match resource {
                    Resource::Customers => client.customers().list().await.map(drop),
                    Resource::Invoices => client.invoices().list().await.map(drop),
                    _ => client.records(resource).list().await.map(drop),
                }
            }
            (_, Act::Get) => {
                inject();
                match resource {
                    Resource::Customers => client.customers().get(&id).await.map(drop),
                    Resource::Invoices => client.invoices().get(&id).await.map(drop),
                    _ => client.records(resource).get(&id).await.map(drop),
                }
            }
            (_, Act::Delete) => {
                inject();
                client.records(resource).delete(&id).await
            }
            (Resource::Customers, Act::Create) => {
                let customer = NewCustomer::new(format!("Exercise customer {n}"))
                    .email(format!("exercise{n}@example.com"))
                    .phone(format!("555{n:06}"));
                inject();
                client.customers().create(&customer).await.map(drop)
            }
            (Resource::Customers, Act::Update) => {
                let update = CustomerUpdate::new().phone(format!("556{n:06}"));
                inject();
                client.customers().update(&id, &update).await.map(drop)
            }
            (Resource::Invoices, Act::Create) => {
                let invoice = NewInvoice::builder(id.clone())
                    .item(
                        format!("Exercise item {n}"),
                        Decimal::new(250, 2),
                        Decimal::TWO,
                    )
                    .reference(format!("EX-INV-{n}"))
                    .build()
                    .map_err(Summary::from)?;
                inject();
                client.invoices().create(&invoice).await.map(drop)
            }
            (Resource::Invoices, Act::Update) => {
                let update = InvoiceUpdate::new().field("note", format!("exercise {n}"));
                inject();
                client.invoices().update(&id, &update).await.map(drop)
            }
            (_, Act::Create) => {
                let record = RecordRequest::new()
                    .field("name", format!("Exercise {resource} {n}"))
                    .reference(format!("EX-{resource}-{n}"));
                inject();
                client.records(resource).create(&record).await.map(drop)
            }
            (_, Act::Update) => {
                let record = RecordRequest::new().field("note", format!("exercise {n}"));
                inject();
                client
                    .records(resource)
                    .update(&id, &record)
                    .await
                    .map(drop)
            }
        };
        result.map_err(Summary::from)
    }

    /// Decodes an answer as the client does, through [`pos_client_core::decode_answer`].
    fn decode_operation(
        &self,
        spec: &'static OperationSpec,
        act: Act,
        resource: Resource,
        status: u16,
        body: &[u8],
    ) -> Result<(), Error> {
        let protocol = CloudOnex::new(SecretString::from(self.key.clone()), AuthMode::Bearer);
        let status = StatusCode::from_u16(status).map_err(|e| Error::validation(e.to_string()))?;
        let id = RECORD_ID.to_string();
        // The operation as the endpoint builds it (a write unless `retry_put_delete`).
        let op = protocol.operation(
            spec.name,
            act.method(),
            resource.path(),
            act.has_id().then_some(id.as_str()),
            !spec.write,
        );
        let body = Bytes::copy_from_slice(body);
        match resource {
            Resource::Customers => decode_as::<Customer>(&protocol, &op, act, status, body),
            Resource::Invoices => decode_as::<Invoice>(&protocol, &op, act, status, body),
            _ => decode_as::<Record>(&protocol, &op, act, status, body),
        }
    }
}

/// The sandbox's own answers to every operation, from a freshly seeded world through its
/// handler (the same code that serves HTTP), plus its 401 and 429 answers.
fn sandbox_answers() -> Vec<Sample> {
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
fn document_answers() -> Vec<Sample> {
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

impl Exercise for Sandbox {
    fn vendor(&self) -> &'static str {
        VENDOR
    }

    fn operations(&self) -> &'static [OperationSpec] {
        OPERATIONS
    }

    fn server(&self) -> &SandboxServer {
        &self.server
    }

    fn route(&self, operation: &str) -> Route {
        // The method tells list from create and get/update/delete apart; each run sends one
        // request, so the path is enough.
        match parse(operation) {
            Some((_, act, resource)) if act.has_id() => {
                Route::path(&format!("/api/v2/{}/{RECORD_ID}", resource.path()))
            }
            Some((_, _, resource)) => Route::path(&format!("/api/v2/{}", resource.path())),
            None => Route::path("/api/v2/"),
        }
    }

    fn run<'a>(
        &'a self,
        operation: &'a str,
        settings: &'a ExerciseSettings,
        inject: &'a (dyn Fn() + Send + Sync),
    ) -> BoxFuture<'a, Result<(), Summary>> {
        Box::pin(self.run_operation(operation, settings, inject))
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        let Some((spec, act, resource)) = parse(operation) else {
            return Err(unsupported(VENDOR, operation));
        };
        self.decode_operation(spec, act, resource, status, body)
            .map_err(Summary::from)
    }

    fn corpus(&self) -> Vec<Sample> {
        let mut samples = document_answers();
        samples.extend(sandbox_answers());
        samples
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.key.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[tokio::test]
    async fn decoding_follows_the_client() {
        let sandbox = Sandbox::start().await.unwrap();
        // A write answered without a record is a success (the client's Saved::accepted).
        for body in [
            "",
            "{\"success\":true,\"data\":{}}",
            "{\"success\":true,\"data\":7}",
        ] {
            sandbox
                .decode("create products", 201, body.as_bytes())
                .unwrap();
        }
        // …but a record that does not decode is an error with the status.
        let err = sandbox
            .decode(
                "update customers",
                200,
                br#"{"success":true,"data":{"id":[]}}"#,
            )
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Decode", Some(200)));
        // A delete takes any success body; a get does not.
        sandbox.decode("delete tickets", 200, b"Deleted").unwrap();
        let err = sandbox.decode("get tickets", 200, b"Deleted").unwrap_err();
        assert_eq!((err.kind, err.status), ("Decode", Some(200)));
        let err = sandbox
            .decode(
                "delete tickets",
                404,
                br#"{"success":false,"errors":[],"message":"Record not found"}"#,
            )
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Api", Some(404)));
        assert_eq!(
            sandbox
                .decode("refund tickets", 200, b"{}")
                .unwrap_err()
                .kind,
            "Unsupported"
        );
    }

    #[tokio::test]
    async fn routes_and_repeated_runs() {
        let sandbox = Sandbox::start().await.unwrap();
        assert_eq!(
            sandbox.route("delete invoices"),
            Route::path("/api/v2/invoices/1")
        );
        assert_eq!(sandbox.route("create leads"), Route::path("/api/v2/leads"));
        let settings = ExerciseSettings {
            retry: pos_client_core::RetryPolicy::without_delays(),
            timeout: std::time::Duration::from_secs(5),
        };
        // The same sandbox runs every operation twice: deletes and creates do not collide.
        for _ in 0..2 {
            for op in OPERATIONS {
                let journal = sandbox.journal();
                let route = sandbox.route(op.name);
                let clear = || journal.clear();
                sandbox.run(op.name, &settings, &clear).await.unwrap();
                assert_eq!(journal.hits(route), 1, "{}", op.name);
            }
        }
    }
}
