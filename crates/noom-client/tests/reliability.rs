//! Issue 13 items 1–2 for NOOM: every act under every fault of the kit (the fault matrix), every
//! act exercisable, and the client's decoders under seeded mutations of the document's examples
//! and the sandbox's answers.

use tokio::sync::{Mutex, MutexGuard};

use noom_client::sandbox::Sandbox;
use pos_client_core::sandbox::{Exercise, Kit, matrix, mutation};

/// The matrix's clients time out after `matrix::timeout()` per attempt (1 s): the CPU-bound mutation test must not
/// run beside it (tests of one file run in parallel), or a loaded 2-core runner misses that.
static CPU: Mutex<()> = Mutex::const_new(());

async fn exclusive() -> MutexGuard<'static, ()> {
    CPU.lock().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_under_every_fault() {
    let _cpu = exclusive().await;
    let cells =
        matrix::run(|| async { Ok(Box::new(Sandbox::start().await?) as Box<dyn Exercise>) })
            .await
            .unwrap();
    let operations = noom_client::models::OPERATIONS.len();
    for c in &cells {
        eprintln!(
            "{} × {}: {} in {:?}",
            c.operation,
            c.fault,
            c.outcome(),
            c.elapsed
        );
    }
    assert_eq!(cells.len(), operations * matrix::faults().len());
    let red = matrix::red(&cells);
    assert!(
        red.is_empty(),
        "{} red cells:\n{}",
        red.len(),
        red.join("\n")
    );
    // Reads retried (two requests), writes sent once except after a 429.
    for c in &cells {
        let expected = if !c.write || c.fault == "429" { 2 } else { 1 };
        assert_eq!(c.hits, expected, "{} × {}", c.operation, c.fault);
    }
}

#[tokio::test]
async fn every_documented_operation_can_be_exercised() {
    let sandbox = Sandbox::start().await.unwrap();
    assert_eq!(sandbox.operations().len(), 17, "every act the client sends");
    assert!(matrix::unsupported(&sandbox).await.is_empty());
    // Unknown names are refused as unsupported, not run.
    let settings = pos_client_core::sandbox::ExerciseSettings {
        retry: pos_client_core::RetryPolicy::without_delays(),
        timeout: matrix::timeout(),
    };
    let err = sandbox
        .run("ODOC_NOPE", &settings, &|| {})
        .await
        .unwrap_err();
    assert_eq!(err.kind, "Unsupported");
    assert_eq!(
        sandbox.decode("ODOC_NOPE", 200, b"{}").unwrap_err().kind,
        "Unsupported"
    );
}

#[tokio::test]
async fn the_corpus_covers_every_operation_and_decodes() {
    let sandbox = Sandbox::start().await.unwrap();
    let corpus = sandbox.corpus();
    for op in sandbox.operations() {
        let samples: Vec<_> = corpus.iter().filter(|(o, _, _)| *o == op.name).collect();
        assert!(!samples.is_empty(), "no sample for {}", op.name);
        // Every act has at least one sample its client method accepts.
        assert!(
            samples
                .iter()
                .any(|(o, status, body)| sandbox.decode(o, *status, body).is_ok()),
            "no sample of {} decodes",
            op.name
        );
    }
    // The decoding is the client's: a failed envelope is the vendor's code, a non-envelope body
    // a decode error for a read and outcome-unknown for a write, a missing getdocdata (the
    // saved document of a write) outcome-unknown.
    let failed = sandbox
        .decode(
            "ODOC_COMPLETE",
            200,
            br#"{"status":0,"msg":"Cannot save document! Document row 1: BACH_ID on NULL!","data":null}"#,
        )
        .unwrap_err();
    assert_eq!(failed.kind, "Api");
    assert_eq!(failed.status, Some(200));
    assert_eq!(
        sandbox.decode("ODOC_GETDOC", 200, b"{}").unwrap_err().kind,
        "Decode"
    );
    assert_eq!(
        sandbox
            .decode("ODOC_COMPLETE", 200, br#"{"status":1,"data":{"dhid":"7"}}"#)
            .unwrap_err()
            .kind,
        "OutcomeUnknown"
    );
    // The document's USERACCESS examples, bare keys and all.
    let documented_ok = "{\n status: 1,\n msg: \"\",\n time: 0.281,\n data: {\n  accesstoken: \"xxxxxxxxxxxxxxxx\" }\n}";
    assert!(
        sandbox
            .decode("USERACCESS", 200, documented_ok.as_bytes())
            .is_ok()
    );
    let documented_error =
        "{\n status: 0,\n msg: \"Invalid user or password!\",\n time: 1.006,\n data: null\n}";
    let refused = sandbox
        .decode("USERACCESS", 200, documented_error.as_bytes())
        .unwrap_err();
    assert_eq!(refused.kind, "Api");
    assert!(
        refused.display.contains("InvalidCredentials"),
        "{refused:?}"
    );
    for body in [
        &b""[..],
        b"<html>ok</html>",
        b"{}",
        br#"{"msg":"","data":null}"#,
    ] {
        let read = sandbox.decode("ODOC_CHECK", 200, body).unwrap_err();
        assert_eq!(read.kind, "Decode");
        let write = sandbox.decode("ODOC_CANCEL", 200, body).unwrap_err();
        assert!(write.outcome_unknown, "{write:?}");
        assert!(write.display.contains("0000000000"), "{write:?}");
    }
    assert!(
        sandbox
            .decode("ODOC_CHECK", 200, br#"{"status":1,"data":null}"#)
            .is_ok()
    );
    assert_eq!(
        sandbox
            .decode("ODOC_LIST", 503, b"<html>busy</html>")
            .unwrap_err()
            .status,
        Some(503)
    );
}

#[tokio::test]
async fn decoders_survive_seeded_mutations() {
    let _cpu = exclusive().await;
    let sandbox = Sandbox::start().await.unwrap();
    let report = mutation::run(&sandbox, 2026);
    eprintln!(
        "noom mutation: {} seeds, {} cases, {} decoded, {} errors, longest message {} bytes",
        report.seeds, report.cases, report.decoded, report.errors, report.longest_message
    );
    assert_eq!(report.failures(), Vec::<String>::new(), "{report:?}");
}
