//! Issue 13 items 1–2 for CloudOnex: every documented operation (10 resources × list, get,
//! create, update, delete) under every fault of the kit, and the client's decoders under seeded
//! mutations of the document's and the sandbox's answers.

use cloudonex_client::models::OPERATIONS;
use cloudonex_client::sandbox::Sandbox;
use pos_client_core::sandbox::{Exercise, matrix, mutation};
use tokio::sync::Mutex;

/// The matrix's clients time out after `matrix::timeout()` per attempt (1 s): the CPU-bound mutation test must not
/// run beside it (the tests of a file run in parallel on a 2-core CI machine).
static HEAVY: Mutex<()> = Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_under_every_fault() {
    let _alone = HEAVY.lock().await;
    let cells =
        matrix::run(|| async { Ok(Box::new(Sandbox::start().await?) as Box<dyn Exercise>) })
            .await
            .unwrap();
    assert_eq!(cells.len(), OPERATIONS.len() * matrix::faults().len());
    let red = matrix::red(&cells);
    assert!(red.is_empty(), "red cells:\n{}", red.join("\n"));
    // Every write was sent once (twice only after a 429, which proves it was refused); every
    // read twice (the fault, then the retry).
    for cell in &cells {
        let expected = if cell.write && cell.fault != "429" {
            1
        } else {
            2
        };
        assert_eq!(cell.hits, expected, "{} × {}", cell.operation, cell.fault);
    }
}

#[tokio::test]
async fn every_documented_operation_can_be_exercised() {
    let sandbox = Sandbox::start().await.unwrap();
    assert_eq!(OPERATIONS.len(), 50);
    assert_eq!(OPERATIONS.iter().filter(|op| op.write).count(), 30);
    assert_eq!(matrix::unsupported(&sandbox).await, Vec::<&str>::new());
    // One request per operation: far from the documented 1,000 per hour.
    assert_eq!(
        sandbox.remaining(sandbox.api_key()),
        1000 - OPERATIONS.len() as u32
    );
}

#[tokio::test]
async fn decoders_survive_seeded_mutations() {
    let _alone = HEAVY.lock().await;
    let sandbox = Sandbox::start().await.unwrap();
    let corpus = sandbox.corpus();
    for op in OPERATIONS {
        assert!(
            corpus.iter().any(|(name, ..)| *name == op.name),
            "no sample for {}",
            op.name
        );
    }
    let report = mutation::run(&sandbox, 2026);
    eprintln!(
        "cloudonex: {} seeds, {} cases, {} decoded, {} errors, longest message {} bytes",
        report.seeds, report.cases, report.decoded, report.errors, report.longest_message
    );
    assert_eq!(report.failures(), Vec::<String>::new(), "{report:?}");
}
