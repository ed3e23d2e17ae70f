//! The reliability suite for CloudPOS (issue 13, items 1 and 2): every function of the spec
//! notes under every fault of the sandbox kit, and the client's decoders under seeded mutation.

use cloudpos_client::models::OPERATIONS;
use cloudpos_client::sandbox::Sandbox;
use pos_client_core::sandbox::{Exercise, Kit, matrix, mutation};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_under_every_fault() {
    let cells =
        matrix::run(|| async { Ok(Box::new(Sandbox::start().await?) as Box<dyn Exercise>) })
            .await
            .unwrap();
    assert_eq!(cells.len(), OPERATIONS.len() * matrix::faults().len());
    let red = matrix::red(&cells);
    assert!(red.is_empty(), "red cells:\n{}", red.join("\n"));
    // The writes were judged as writes: each sent once under a fault other than 429.
    let writes: Vec<_> = cells.iter().filter(|c| c.write).collect();
    assert_eq!(writes.len(), 3 * matrix::faults().len());
    assert!(
        writes
            .iter()
            .filter(|c| c.fault != "429")
            .all(|c| c.hits == 1 && c.error.is_some())
    );
}

#[tokio::test]
async fn every_documented_operation_can_be_exercised() {
    let sandbox = Sandbox::start().await.unwrap();
    assert_eq!(OPERATIONS.len(), 19);
    assert_eq!(sandbox.operations().len(), OPERATIONS.len());
    assert!(matrix::unsupported(&sandbox).await.is_empty());
    // Without a fault every function succeeds, and an unknown name is refused as unsupported.
    let settings = pos_client_core::sandbox::ExerciseSettings {
        retry: pos_client_core::RetryPolicy::without_delays(),
        timeout: matrix::timeout(),
    };
    for op in OPERATIONS {
        let result = sandbox.run(op.name, &settings, &|| {}).await;
        assert!(result.is_ok(), "{}: {result:?}", op.name);
    }
    let unknown = sandbox.run("get-everything", &settings, &|| {}).await;
    assert_eq!(unknown.unwrap_err().kind, "Unsupported");
    assert_eq!(
        sandbox
            .decode("get-everything", 200, b"[]")
            .unwrap_err()
            .kind,
        "Unsupported"
    );
}

#[tokio::test]
async fn every_operation_has_samples_that_decode() {
    let sandbox = Sandbox::start().await.unwrap();
    let corpus = sandbox.corpus();
    for op in OPERATIONS {
        let samples: Vec<_> = corpus
            .iter()
            .filter(|(name, ..)| *name == op.name)
            .collect();
        assert!(!samples.is_empty(), "{}: no sample", op.name);
        // The sandbox's own answer (the first sample) decodes.
        let (_, status, body) = samples[0];
        let decoded = sandbox.decode(op.name, *status, body);
        assert!(decoded.is_ok(), "{}: {decoded:?}", op.name);
    }
    // A documented error decodes to the vendor's code, not to a value.
    let error = sandbox
        .decode(
            "get-products",
            200,
            br#"{"errorcode":1002,"message":"Token or name not valid"}"#,
        )
        .unwrap_err();
    assert_eq!(error.kind, "Api");
}

#[tokio::test]
async fn decoders_survive_seeded_mutations() {
    let sandbox = Sandbox::start().await.unwrap();
    let report = mutation::run(&sandbox, 2026);
    eprintln!(
        "{} seeds, {} cases: {} decoded, {} errors, longest message {} bytes",
        report.seeds, report.cases, report.decoded, report.errors, report.longest_message
    );
    assert_eq!(report.failures(), Vec::<String>::new(), "{report:?}");
}
