//! Issue 13 items 1–2 for CloudMA: every documented operation under every fault of the kit,
//! and the client's decoders under seeded mutations of the document's and the sandbox's answers.

use cloudma_client::models::OPERATIONS;
use cloudma_client::sandbox::Sandbox;
use pos_client_core::sandbox::{Exercise, matrix, mutation};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_under_every_fault() {
    let cells =
        matrix::run(|| async { Ok(Box::new(Sandbox::start().await?) as Box<dyn Exercise>) })
            .await
            .unwrap();
    assert_eq!(cells.len(), OPERATIONS.len() * matrix::faults().len());
    for c in &cells {
        eprintln!("{:<14} {:<10} {}", c.operation, c.fault, c.outcome());
    }
    let red: Vec<String> = cells
        .iter()
        .filter(|c| !c.green())
        .map(|c| {
            format!(
                "{} × {}: {} — {}",
                c.operation,
                c.fault,
                c.outcome(),
                c.problems.join("; ")
            )
        })
        .collect();
    assert!(red.is_empty(), "red cells:\n{}", red.join("\n"));
    // Every write cell saw its request exactly once, or twice after a 429; every read twice.
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
    assert!(!OPERATIONS.is_empty());
    assert!(OPERATIONS.iter().any(|op| op.write));
    assert_eq!(matrix::unsupported(&sandbox).await, Vec::<&str>::new());
    // The exerciser's runs changed the sandbox like the client would: one sale, one purchase.
    assert_eq!((sandbox.sales().len(), sandbox.purchases().len()), (1, 1));
}

#[tokio::test]
async fn decoders_survive_seeded_mutations() {
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
        "cloudma: {} seeds, {} cases, {} decoded, {} errors, longest message {} bytes",
        report.seeds, report.cases, report.decoded, report.errors, report.longest_message
    );
    assert!(
        report.cases >= mutation::MIN_CASES,
        "{} cases",
        report.cases
    );
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
    assert!(report.decoded > 0 && report.errors > 0, "{report:?}");
    assert!(report.longest_message <= mutation::MAX_MESSAGE);
}
