//! Issue 13 items 1–2 for CloudMA: every documented operation under every fault of the kit,
//! and the client's decoders under seeded mutations of the document's and the sandbox's answers.

use cloudma_client::models::OPERATIONS;
use cloudma_client::sandbox::Sandbox;
use pos_client_core::sandbox::{Exercise, matrix, mutation};

/// One test of this file at a time: the matrix's per-attempt timeout is `matrix::timeout()`
/// (1 s), and the CPU-bound mutation test running beside it on a 2-core debug build can push a
/// healthy request past it (seen: writes ending outcome-unknown on a 500 cell).
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_under_every_fault() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let cells =
        matrix::run(|| async { Ok(Box::new(Sandbox::start().await?) as Box<dyn Exercise>) })
            .await
            .unwrap();
    assert_eq!(cells.len(), OPERATIONS.len() * matrix::faults().len());
    for c in &cells {
        eprintln!("{:<14} {:<10} {}", c.operation, c.fault, c.outcome());
    }
    let red = matrix::red(&cells);
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
    let _serial = ONE_AT_A_TIME.lock().await;
    let sandbox = Sandbox::start().await.unwrap();
    assert!(!OPERATIONS.is_empty());
    assert!(OPERATIONS.iter().any(|op| op.write));
    assert_eq!(matrix::unsupported(&sandbox).await, Vec::<&str>::new());
    // The exerciser's runs changed the sandbox like the client would: one sale, one purchase.
    assert_eq!((sandbox.sales().len(), sandbox.purchases().len()), (1, 1));
}

#[tokio::test]
async fn decoders_survive_seeded_mutations() {
    let _serial = ONE_AT_A_TIME.lock().await;
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
    assert_eq!(report.failures(), Vec::<String>::new(), "{report:?}");
}

/// The exerciser's offline decoding is the client's: every corpus sample (whole, cut in half, and
/// behind a byte-order mark), served over HTTP to the real client, ends the same way (success,
/// or the same error kind and status).
#[tokio::test]
async fn offline_decoding_agrees_with_the_live_client() {
    let _serial = ONE_AT_A_TIME.lock().await;
    use cloudma_client::models::{Purchase, Sale};
    use cloudma_client::{Client, RetryPolicy, TEST_TOKEN};
    use httpmock::prelude::*;

    let sandbox = Sandbox::start().await.unwrap();
    let sale = Sale::builder("S-1").add("A", 1, 2.into()).build().unwrap();
    let purchase = Purchase::builder("P-1")
        .add("A", 1, 2.into())
        .build()
        .unwrap();
    let server = MockServer::start_async().await;
    let cases = sandbox.corpus().into_iter().flat_map(|(op, status, body)| {
        let half = body[..body.len() / 2].to_vec();
        let bom = [b"\xEF\xBB\xBF".as_slice(), &body].concat();
        [body, half, bom].map(|b| (op, status, b))
    });
    for (op, status, body) in cases {
        let mock = server
            .mock_async(|when, then| {
                when.method(POST).path(format!("/api/{op}"));
                then.status(status).body(&body);
            })
            .await;
        let client = Client::builder()
            .base_url(server.url("/api/"))
            .token(TEST_TOKEN)
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let live = match op {
            "sync-stock" => client.sync_stock().await.map(drop),
            "push-sale" => client.push_sale(&sale).await.map(drop),
            "push-purchase" => client.push_purchase(&purchase).await.map(drop),
            other => panic!("a sample for an unknown operation {other}"),
        }
        .map_err(|e| {
            let summary = pos_client_core::sandbox::Summary::from(&e);
            (summary.kind, summary.status)
        });
        let offline = sandbox
            .decode(op, status, &body)
            .map_err(|e| (e.kind, e.status));
        assert_eq!(
            live,
            offline,
            "{op} {status} {:?}",
            String::from_utf8_lossy(&body)
        );
        mock.delete_async().await;
    }
}
