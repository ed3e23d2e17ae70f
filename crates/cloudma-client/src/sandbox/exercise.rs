//! [`Exercise`] for the CloudMA sandbox: every operation of `models::OPERATIONS` run once with
//! valid input from the sandbox's catalogue, and the client's decoding of any answer, offline.

use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::http::{HeaderMap, Method, StatusCode};
use pos_client_core::sandbox::axum::body::Bytes;
use pos_client_core::sandbox::{
    ExerciseSettings, Route, Run, Sample, Summary, VendorExercise, unsupported,
};
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Money, Operation, Payload, Protocol, Verdict};
use serde_json::{Value, json};

use super::Sandbox;
use super::routes::{created_body, product_not_found_body, stock_body, unauthorized_body};
use crate::client::{Client, PushReceipt, VENDOR};
use crate::error::Error;
use crate::models::{OPERATIONS, Purchase, Sale, StockLevel};
use crate::protocol::{BodyEncoding, Cloudma};

/// Makes every pushed `reference_no` unique in the process: one sandbox may run an operation
/// many times, and it rejects a repeated reference.
static NEXT_REFERENCE: AtomicU64 = AtomicU64::new(1);

fn next_reference(prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        NEXT_REFERENCE.fetch_add(1, Ordering::Relaxed)
    )
}

/// The sale and the purchase that `decode` names in its operations (their reference is what a
/// receipt reports; their content is not sent).
fn sample_sale() -> Result<Sale, Error> {
    Sale::builder("EX-SALE")
        .add("CM-1001", 1, Money::from(1))
        .build()
}

fn sample_purchase() -> Result<Purchase, Error> {
    Purchase::builder("EX-GRN")
        .add("CM-1001", 1, Money::from(1))
        .build()
}

impl Sandbox {
    /// A client for one run of the exerciser: the sandbox's token, the suite's retry policy and
    /// per-attempt timeout.
    fn exercise_client(&self, settings: &ExerciseSettings) -> Result<Client, Error> {
        settings.apply(self.client_builder()).build()
    }

    /// The code of an active product to push.
    fn some_product(&self) -> Result<String, Summary> {
        self.products()
            .into_iter()
            .find(|p| p.active)
            .map(|p| p.code)
            .ok_or_else(|| Summary {
                kind: "Setup",
                status: None,
                outcome_unknown: false,
                retryable: false,
                validation: false,
                display: "the sandbox's catalogue has no active product".to_owned(),
                debug: String::new(),
            })
    }

    async fn run_operation(
        &self,
        operation: &str,
        settings: &ExerciseSettings,
        inject: &(dyn Fn() + Send + Sync),
    ) -> Result<(), Summary> {
        let client = self.exercise_client(settings).map_err(Summary::from)?;
        match operation {
            "sync-stock" => {
                inject();
                client.sync_stock().await.map(drop).map_err(Summary::from)
            }
            "push-sale" => {
                let code = self.some_product()?;
                let sale = Sale::builder(next_reference("EX-SALE"))
                    .add(code, 1, Money::from(2))
                    .build()
                    .map_err(Summary::from)?;
                inject();
                client
                    .push_sale(&sale)
                    .await
                    .map(drop)
                    .map_err(Summary::from)
            }
            "push-purchase" => {
                let code = self.some_product()?;
                let purchase = Purchase::builder(next_reference("EX-GRN"))
                    .add(code, 1, Money::from(2))
                    .build()
                    .map_err(Summary::from)?;
                inject();
                client
                    .push_purchase(&purchase)
                    .await
                    .map(drop)
                    .map_err(Summary::from)
            }
            other => Err(unsupported(VENDOR, other)),
        }
    }

    /// Decodes an answer as the client does, through [`pos_client_core::decode_answer`].
    fn decode_operation(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Error> {
        let token = self.shared.token.as_str();
        let protocol = Cloudma {
            token: SecretString::from(token.to_owned()),
            encoding: BodyEncoding::Form,
        };
        let status = StatusCode::from_u16(status).map_err(|e| Error::validation(e.to_string()))?;
        let body = Bytes::copy_from_slice(body);
        match operation {
            "sync-stock" => {
                let op = Operation::read(VENDOR, "sync-stock", Method::POST, "sync-stock");
                let op = protocol.with_body(op, None::<&()>)?;
                // As `Client::sync_stock`: a wrapper's `null` is no products, without decoding.
                let verdict = protocol.interpret(&pos_client_core::Answer {
                    operation: op.id(),
                    status,
                    headers: &HeaderMap::new(),
                    body: &body,
                });
                if matches!(verdict, Verdict::Success(Payload::Nothing)) {
                    return Ok(());
                }
                pos_client_core::decode_answer::<_, Vec<StockLevel>>(
                    &protocol,
                    &op,
                    status,
                    HeaderMap::new(),
                    body,
                )
                .map(drop)
            }
            "push-sale" | "push-purchase" => {
                let name = if operation == "push-sale" {
                    "push-sale"
                } else {
                    "push-purchase"
                };
                let op = Operation::write(VENDOR, name, Method::POST, name);
                let (reference_no, op) = if name == "push-sale" {
                    let sale = sample_sale()?;
                    let op = op.reference(&sale.reference_no);
                    (
                        sale.reference_no.clone(),
                        protocol.with_body(op, Some(&sale))?,
                    )
                } else {
                    let purchase = sample_purchase()?;
                    let op = op.reference(&purchase.reference_no);
                    (
                        purchase.reference_no.clone(),
                        protocol.with_body(op, Some(&purchase))?,
                    )
                };
                // Errors map exactly as in a live call, and a success is read into a receipt
                // as the client reads it (a body that is not JSON is outcome-unknown).
                let response =
                    pos_client_core::read_answer(&protocol, &op, status, HeaderMap::new(), body)?;
                PushReceipt::read(&reference_no, &response, token).map(drop)
            }
            other => Err(Error::validation(format!(
                "the sandbox cannot decode `{other}`"
            ))),
        }
    }

    /// The sandbox's own answers, built from its state with the handlers' functions.
    fn own_answers(&self) -> Vec<Sample> {
        let to_vec = |v: Value| serde_json::to_vec(&v).unwrap_or_default();
        let mut out = Vec::new();
        if let Ok(stock) = stock_body(&self.shared.lock()) {
            out.push(("sync-stock", 200, stock));
        }
        out.push(("sync-stock", 401, to_vec(unauthorized_body())));
        for (op, what) in [("push-sale", "Sale"), ("push-purchase", "Purchase")] {
            out.push((op, 201, to_vec(created_body(7, what, "S-1001"))));
            out.push((op, 400, to_vec(product_not_found_body("CM-404"))));
            out.push((
                op,
                400,
                to_vec(json!({
                    "status": 400,
                    "message": "Duplicate reference_no: S-1001 already exists",
                })),
            ));
            out.push((op, 401, to_vec(unauthorized_body())));
        }
        out
    }
}

/// Answers in the shapes the vendor document describes (it prints no example bodies; these
/// are the wire tests' answers): a bare stock array with PHP-style strings and nulls, the
/// accepted wrappers, push successes of every JSON kind, and the documented error statuses.
const DOCUMENT_ANSWERS: &[(&str, u16, &str)] = &[
    (
        "sync-stock",
        200,
        r#"[{"code":"A-1","name":"Espresso beans","qty":40},{"code":1002,"name":"Oat milk","qty":"12.5"},{"code":"Z","name":null,"qty":-2}]"#,
    ),
    (
        "sync-stock",
        200,
        r#"{"data":[{"code":"A","name":"a","qty":1}]}"#,
    ),
    (
        "sync-stock",
        200,
        r#"{"status":true,"products":[{"code":"A","name":"a","qty":1},{"code":"B","name":"b","qty":0}]}"#,
    ),
    // Rows without a quantity (a NULL column): listed, their qty unknown.
    (
        "sync-stock",
        200,
        r#"[{"code":"A","name":"a","qty":null},{"code":"B","name":"b","qty":""},{"code":"C","name":"c"},{"code":"D","name":"d","qty":"7"}]"#,
    ),
    ("sync-stock", 200, r#"{"stock":[]}"#),
    ("sync-stock", 200, r#"{"data":null}"#),
    ("sync-stock", 500, r#"{"message":"db down"}"#),
    ("sync-stock", 404, "<html><body>404 Not Found</body></html>"),
    (
        "push-sale",
        201,
        r#"{"status":201,"message":"Sale created","id":17}"#,
    ),
    ("push-sale", 200, "[]"),
    (
        "push-sale",
        400,
        r#"{"status":400,"message":"Product Not Found","code":"B 2"}"#,
    ),
    ("push-sale", 400, "product not found: AB12"),
    ("push-sale", 403, r#"{"message":"Forbidden"}"#),
    ("push-purchase", 200, r#""Purchase saved""#),
    (
        "push-purchase",
        201,
        r#"{"success":true,"purchase_id":"P-9","msg":"GRN recorded"}"#,
    ),
    ("push-purchase", 200, "{}"),
    ("push-purchase", 401, r#"{"message":"Unauthorized"}"#),
    (
        "push-purchase",
        502,
        "<html><head><title>502 Bad Gateway</title></head></html>",
    ),
];

impl VendorExercise for Sandbox {
    fn route(&self, operation: &str) -> Route {
        // Each operation has its own path; nothing else tells them apart.
        Route::path(&format!("/api/{operation}"))
    }

    async fn run(&self, run: Run<'_>) -> Result<(), Summary> {
        self.run_operation(run.operation, run.settings, run.inject)
            .await
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        if !OPERATIONS.iter().any(|op| op.name == operation) {
            return Err(unsupported(VENDOR, operation));
        }
        self.decode_operation(operation, status, body)
            .map_err(Summary::from)
    }

    fn corpus(&self) -> Vec<Sample> {
        let mut samples: Vec<Sample> = DOCUMENT_ANSWERS
            .iter()
            .map(|(op, status, body)| (*op, *status, body.as_bytes().to_vec()))
            .collect();
        samples.extend(self.own_answers());
        samples
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.shared.token.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_operation_has_samples_that_decode() {
        let sandbox = Sandbox::start().await.unwrap();
        let corpus = sandbox.corpus();
        for op in OPERATIONS {
            let ok = corpus
                .iter()
                .filter(|(name, status, _)| *name == op.name && (200..300).contains(status))
                .map(|(name, status, body)| sandbox.decode(name, *status, body))
                .collect::<Vec<_>>();
            assert!(!ok.is_empty(), "{}: no success sample", op.name);
            assert!(ok.iter().all(Result::is_ok), "{}: {ok:?}", op.name);
        }
        // Error answers keep their status and never decode to a value.
        let err = sandbox
            .decode("push-sale", 400, br#"{"message":"Product Not Found"}"#)
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Api", Some(400)));
        let err = sandbox
            .decode("sync-stock", 200, b"Stock unavailable")
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Decode", Some(200)));
        // A push success is any JSON; a success status without JSON is not CloudMA's answer
        // ("All responses are issued in JSON format"): outcome-unknown, as in a live call.
        assert!(
            sandbox
                .decode("push-sale", 200, b"\xEF\xBB\xBF\"Saved\"")
                .is_ok()
        );
        for body in [&b"Saved \xFF"[..], b"", b"<html>ok</html>", br#"{"id":1"#] {
            let err = sandbox.decode("push-sale", 200, body).unwrap_err();
            assert!(
                err.outcome_unknown && err.kind == "OutcomeUnknown",
                "{err:?}"
            );
        }
        assert_eq!(
            sandbox.decode("refund", 200, b"{}").unwrap_err().kind,
            "Unsupported"
        );
    }
}
