//! Load with faults (issue 13, item 3): 1,000 concurrent calls through one client against the
//! sandbox, 10% of them with an injected fault, half of them writes (`ODOC_ADDEVENT`, each with
//! a unique `de_source_id` as its reference) and half reads (`ODOC_CHECK`, `ODOC_GETDOC`,
//! `ODOC_LIST`, `ODOC_GETPAYMODES`) on 17 open documents.
//!
//! Fault placement is fixed: call `i` is faulted when `i % 20` is 0 (a write: the fault is
//! bound to that write's reference) or 5 (a read: the fault goes to the next request of that
//! act on that document), the kind cycling through the kit's faults. Each write's fate is then
//! known exactly and asserted (hit count, state, result), from the kit's documented behaviour
//! (crates/pos-client-core/src/sandbox/faults.rs) and the retry rules (429 is retried even for
//! writes; nothing else is for writes).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use noom_client::requests::Event;
use noom_client::sandbox::{Fault, Sandbox};
use noom_client::{DocState, DocType, DocUid, Error};

const CALLS: usize = 1_000;
/// 17 documents × 3 acts give each of the 50 read faults its own route (act and docuid), so no
/// read meets two faults: every faulted read recovers by one retry.
const DOCUMENTS: usize = 17;
/// Calls in flight at once (a semaphore in the test): the client itself has no limit, and
/// reqwest opens one HTTP/1.1 connection per call in flight.
const IN_FLIGHT: usize = 64;
const TIMEOUT: Duration = Duration::from_millis(500);
const DELAY: Duration = Duration::from_millis(800);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    S503,
    S500,
    S429,
    ResetBefore,
    ResetMid,
    Truncated,
    Html502,
    Delay,
}

const KINDS: [Kind; 8] = [
    Kind::S503,
    Kind::S500,
    Kind::S429,
    Kind::ResetBefore,
    Kind::ResetMid,
    Kind::Truncated,
    Kind::Html502,
    Kind::Delay,
];

impl Kind {
    fn fault(self) -> Fault {
        match self {
            Kind::S503 => Fault::status(503),
            Kind::S500 => Fault::status(500),
            Kind::S429 => Fault::status_with_retry_after(429, "0"),
            Kind::ResetBefore => Fault::ResetBeforeResponse,
            Kind::ResetMid => Fault::ResetMidBody,
            Kind::Truncated => Fault::TruncatedBody,
            Kind::Html502 => Fault::html(502),
            Kind::Delay => Fault::Delay(DELAY),
        }
    }
}

/// The fault of call `i`, if any.
fn fault_of(i: usize) -> Option<Kind> {
    let n = i / 20;
    match i % 20 {
        0 => Some(KINDS[n % KINDS.len()]),
        5 => Some(KINDS[(n + 4) % KINDS.len()]),
        _ => None,
    }
}

fn reference(i: usize) -> String {
    format!("L{i:04}")
}

#[derive(Debug)]
enum Outcome {
    Ok,
    Err(Error),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_calls_with_ten_percent_faults() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client_builder().timeout(TIMEOUT).build().unwrap();
    let (ls, st) = (DocType::new("LS").unwrap(), DocState::new("2T").unwrap());
    let mut docs: Vec<DocUid> = Vec::new();
    for _ in 0..DOCUMENTS {
        let doc = client.new_document(&ls, &st).await.unwrap();
        docs.push(doc.uid().clone());
    }
    let connections_before = sandbox.connections();

    // Faults, placed before any call starts.
    let faults = sandbox.faults();
    let mut injected: HashMap<Kind, usize> = HashMap::new();
    for i in 0..CALLS {
        let Some(kind) = fault_of(i) else { continue };
        *injected.entry(kind).or_default() += 1;
        let route = if i % 2 == 0 {
            Sandbox::act("ODOC_ADDEVENT").param("de_source_id", &reference(i))
        } else {
            Sandbox::act(read_of(i).0).param("docuid", docs[doc_of(i)].as_str())
        };
        faults.inject(route, kind.fault());
    }
    let fault_count: usize = injected.values().sum();
    assert_eq!(fault_count, CALLS / 10);

    let started = Instant::now();
    let gate = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut tasks = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let doc = client.document(docs[doc_of(i)].clone());
        let client = client.clone();
        let gate = gate.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await.unwrap();
            let result = if i % 2 == 0 {
                doc.add_event(&Event::new("LOAD").source_id(reference(i)))
                    .await
            } else {
                match read_of(i).0 {
                    "ODOC_CHECK" => doc.check().await,
                    "ODOC_GETDOC" => doc.get_full().await.map(|_| ()),
                    "ODOC_LIST" => client.list_open_documents().await.map(|_| ()),
                    _ => doc.payment_modes().await.map(|_| ()),
                }
            };
            match result {
                Ok(()) => Outcome::Ok,
                Err(e) => Outcome::Err(e),
            }
        }));
    }
    // Join every task: a panic in any call fails here.
    let mut outcomes = Vec::with_capacity(CALLS);
    for task in tasks {
        outcomes.push(task.await.expect("a call panicked"));
    }
    let elapsed = started.elapsed();

    // What the sandbox holds: each reference at most once.
    let mut stored: HashMap<String, usize> = HashMap::new();
    for doc in &docs {
        for id in sandbox.event_source_ids(doc.as_str()) {
            *stored.entry(id).or_default() += 1;
        }
    }
    assert!(stored.values().all(|n| *n == 1), "a write is stored twice");

    let journal = sandbox.journal();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    let mut count = |key: &'static str| *counts.entry(key).or_default() += 1;
    for (i, outcome) in outcomes.iter().enumerate() {
        let label = match outcome {
            Outcome::Ok => "ok",
            Outcome::Err(e) if e.is_outcome_unknown() => "outcome unknown",
            Outcome::Err(e) if e.status().is_some() => "http status",
            Outcome::Err(Error::RateLimited { .. }) => "rate limited",
            Outcome::Err(Error::Transport { .. }) => "transport",
            Outcome::Err(e) => panic!("call {i}: untyped or unexpected error {e:?}"),
        };
        count(if i % 2 == 0 { "write" } else { "read" });
        count(label);
        if i % 2 == 1 {
            if let Outcome::Err(e) = outcome {
                panic!("read {i} ({}) did not recover: {e:?}", read_of(i).0);
            }
            continue;
        }
        let r = reference(i);
        let hits = journal.hits(Sandbox::act("ODOC_ADDEVENT").param("de_source_id", &r));
        let held = stored.get(&r).copied().unwrap_or(0);
        match (fault_of(i), outcome) {
            // Every write that returned Ok is stored exactly once.
            (_, Outcome::Ok) => assert_eq!(held, 1, "write {r} Ok but held {held}"),
            (_, Outcome::Err(e)) if e.is_outcome_unknown() => {
                assert!(held <= 1, "write {r}: {e:?}")
            }
            // A definite failure left nothing behind.
            (_, Outcome::Err(e)) => assert_eq!(held, 0, "write {r}: {e:?} but held"),
        }
        match fault_of(i) {
            // 429: the server did nothing, so the client sends the write once more.
            Some(Kind::S429) => {
                assert_eq!(hits, 2, "write {r} (429)");
                assert!(matches!(outcome, Outcome::Ok), "write {r}: {outcome:?}");
                count("write re-sent after 429");
            }
            // Statuses instead of the handler: sent once, the status kept, nothing stored.
            Some(kind @ (Kind::S503 | Kind::S500 | Kind::Html502)) => {
                let code = match kind {
                    Kind::S503 => 503,
                    Kind::S500 => 500,
                    _ => 502,
                };
                assert_eq!(hits, 1, "write {r} ({kind:?})");
                let Outcome::Err(e) = outcome else {
                    panic!("write {r} ({kind:?}) succeeded")
                };
                assert_eq!(e.status().map(|s| s.as_u16()), Some(code), "{r}: {e:?}");
                assert_eq!(held, 0, "write {r} ({kind:?})");
            }
            // The connection broke: never re-sent, the outcome unknown to the client.
            Some(kind) => {
                assert_eq!(hits, 1, "write {r} ({kind:?})");
                let Outcome::Err(e) = outcome else {
                    panic!("write {r} ({kind:?}) succeeded")
                };
                assert!(e.is_outcome_unknown(), "write {r} ({kind:?}): {e:?}");
                assert!(e.reference().is_some(), "write {r}: the reference is kept");
                // The handler ran (mid-body reset, truncated body) or did not (reset before
                // the answer, a delay the client gave up on).
                let expected = usize::from(matches!(kind, Kind::ResetMid | Kind::Truncated));
                assert_eq!(held, expected, "write {r} ({kind:?})");
            }
            None => assert_eq!(hits, 1, "write {r} sent {hits} times"),
        }
    }

    // Connections: bounded by the calls in flight, not by the 1,000 calls. Each in-flight slot
    // holds one connection, and may open one more when its next call starts before hyper has
    // put the previous connection back in the pool (that happens on the connection's own task);
    // every attempt whose connection a fault ended adds one.
    let breaking: usize = injected
        .iter()
        .filter(|(k, _)| k.fault().breaks_connection())
        .map(|(_, n)| n)
        .sum();
    let used = sandbox.connections() - connections_before;
    let bound = 2 * IN_FLIGHT + breaking;
    println!(
        "noom load: {CALLS} calls ({IN_FLIGHT} in flight), {fault_count} faults {injected:?}, \
         {elapsed:?}; outcomes {counts:?}; {} requests, {used} new connections (bound {bound}), \
         {} faults left unused; {} stored events",
        journal.requests().len(),
        faults.pending(),
        stored.len(),
    );
    assert!(used <= bound, "{used} connections > {bound}");
    assert_eq!(counts["write"] + counts["read"], CALLS);
    // The read faults are transient: every read recovered by retrying. Writes succeed unless
    // their fault was one the client cannot retry.
    let writes_failing = (0..CALLS)
        .step_by(2)
        .filter(|i| fault_of(*i).is_some_and(|k| k != Kind::S429))
        .count();
    assert_eq!(counts["ok"], CALLS - writes_failing, "{counts:?}");
}

/// The read act of odd call `i` and the index of its document. A faulted read (`i % 20 == 5`)
/// gets an act and document of its own (`ODOC_LIST` has no docuid, so it is never faulted).
fn read_of(i: usize) -> (&'static str, usize) {
    const ON_DOCUMENT: [&str; 3] = ["ODOC_CHECK", "ODOC_GETDOC", "ODOC_GETPAYMODES"];
    if i % 20 == 5 {
        let j = i / 20;
        (ON_DOCUMENT[j % 3], (j / 3) % DOCUMENTS)
    } else {
        let act = ["ODOC_CHECK", "ODOC_GETDOC", "ODOC_LIST", "ODOC_GETPAYMODES"][(i / 2) % 4];
        (act, i % DOCUMENTS)
    }
}

/// The document of call `i`.
fn doc_of(i: usize) -> usize {
    if i % 2 == 1 {
        read_of(i).1
    } else {
        i % DOCUMENTS
    }
}
