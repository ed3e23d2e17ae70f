//! Load with faults (issue 13, item 3): 1,000 concurrent calls through one client against the
//! sandbox, a tenth of them meeting an injected fault, reads and writes mixed.
//!
//! Placement is seeded: call `i` is a read (`sync-stock`), a sale or a purchase by `i % 3`, and
//! every call with `i % 10 == 5` meets the fault `FAULTS[(i / 10) % FAULTS.len()]` (3 and 8 are
//! coprime, so every fault meets every operation). A write's fault is bound to its own
//! `reference_no` (a route with that form parameter), so it hits that write's first attempt;
//! a read's fault is queued on the path and met by whichever read attempt comes first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cloudma_client::models::{Purchase, Sale};
use cloudma_client::sandbox::{Fault, Route, Sandbox, SandboxProduct};
use cloudma_client::{Decimal, Error, Money, PushReceipt};

const CALLS: usize = 1_000;
const SALE: &str = "/api/push-sale";
const PURCHASE: &str = "/api/push-purchase";
const SYNC: &str = "/api/sync-stock";
/// The per-attempt timeout, and a delay past it. Generous for one attempt on loopback, because
/// the burst of 1,000 connections on a busy 2-core CI machine in a debug build takes a while.
const TIMEOUT: Duration = Duration::from_millis(3_000);
const DELAY: Duration = Duration::from_millis(3_300);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Read,
    Sale,
    Purchase,
}

fn kind(i: usize) -> Kind {
    match i % 3 {
        0 => Kind::Read,
        1 => Kind::Sale,
        _ => Kind::Purchase,
    }
}

fn fault_of(i: usize) -> Option<Fault> {
    (i % 10 == 5).then(|| Fault::load_mix(DELAY)[(i / 10) % 8].clone())
}

fn reference(i: usize) -> String {
    match kind(i) {
        Kind::Sale => format!("S-{i:04}"),
        _ => format!("P-{i:04}"),
    }
}

enum Outcome {
    Read(Result<usize, Error>),
    Write(Result<PushReceipt, Error>),
}

/// A short name of how a call ended, for the counts.
fn label(result: Result<(), &Error>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(e) if e.is_outcome_unknown() => "outcome-unknown".into(),
        Err(e) if e.status().is_some() => format!("status {}", e.status().unwrap().as_u16()),
        Err(e) => format!("other: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_with_a_tenth_faulted() {
    let sandbox = Sandbox::builder()
        .catalogue([SandboxProduct::new(
            "CM-1",
            "Beans",
            Decimal::from(1_000_000),
        )])
        .start()
        .await
        .unwrap();
    let client = sandbox.client_builder().timeout(TIMEOUT).build().unwrap();
    let unit: Money = "2.50".parse().unwrap();

    // Faults first, all of them, so placement does not depend on scheduling.
    let mut read_faults = 0;
    let mut breaking = 0;
    for i in 0..CALLS {
        let Some(fault) = fault_of(i) else { continue };
        breaking += usize::from(fault.breaks_connection());
        match kind(i) {
            Kind::Read => {
                read_faults += 1;
                sandbox.faults().inject(SYNC, fault);
            }
            Kind::Sale => sandbox.faults().inject(
                Route::path(SALE).param("reference_no", &reference(i)),
                fault,
            ),
            Kind::Purchase => sandbox.faults().inject(
                Route::path(PURCHASE).param("reference_no", &reference(i)),
                fault,
            ),
        }
    }

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let outcome = match kind(i) {
                Kind::Read => Outcome::Read(client.sync_stock().await.map(|s| s.len())),
                Kind::Sale => {
                    let sale = Sale::builder(reference(i)).add("CM-1", 1, unit).build()?;
                    Outcome::Write(client.push_sale(&sale).await)
                }
                Kind::Purchase => {
                    let purchase = Purchase::builder(reference(i))
                        .add("CM-1", 2, unit)
                        .build()?;
                    Outcome::Write(client.push_purchase(&purchase).await)
                }
            };
            // A builder error (a bug of this test) is told apart from the call's own result.
            Ok::<Outcome, Error>(outcome)
        }));
    }
    let mut outcomes = Vec::with_capacity(CALLS);
    for task in tasks {
        // A panic inside a call would surface here as a JoinError.
        outcomes.push(
            task.await
                .expect("a call panicked")
                .expect("a build failed"),
        );
    }
    let elapsed = started.elapsed();

    // What reached the handlers: accepted documents by reference.
    let mut stored: HashMap<String, usize> = HashMap::new();
    for s in sandbox.sales() {
        *stored.entry(s.reference_no).or_default() += 1;
    }
    for p in sandbox.purchases() {
        *stored.entry(p.reference_no).or_default() += 1;
    }
    // Attempts per write reference, from the journal.
    let journal = sandbox.journal().requests();
    let mut hits: HashMap<String, usize> = HashMap::new();
    for r in journal.iter().filter(|r| r.path != SYNC) {
        *hits.entry(r.param("reference_no").unwrap()).or_default() += 1;
    }

    let mut counts: HashMap<(Kind, bool, String), usize> = HashMap::new();
    let mut failed_reads = 0;
    for (i, outcome) in outcomes.iter().enumerate() {
        let fault = fault_of(i);
        let ended = match outcome {
            Outcome::Read(Ok(n)) => {
                assert_eq!(*n, 1, "call {i}: the catalogue has one product");
                label(Ok(()))
            }
            Outcome::Read(Err(e)) => {
                failed_reads += 1;
                label(Err(e))
            }
            Outcome::Write(r) => {
                let reference = reference(i);
                let in_state = stored.get(&reference).copied().unwrap_or(0);
                let sent = hits.get(&reference).copied().unwrap_or(0);
                // Sent once; twice only after a 429, whose first attempt never ran the handler.
                let limit = match &fault {
                    Some(Fault::Status { status: 429, .. }) => 2,
                    _ => 1,
                };
                // Zero only when the attempt timed out before the server read the request.
                let least = usize::from(!r.as_ref().is_err_and(Error::is_outcome_unknown));
                assert!(
                    (least..=limit).contains(&sent),
                    "call {i} ({reference}, {fault:?}): sent {sent} times: {r:?}"
                );
                match r {
                    Ok(receipt) => {
                        assert_eq!(receipt.reference_no, reference);
                        assert_eq!(in_state, 1, "call {i}: Ok but stored {in_state} times");
                    }
                    Err(e) if e.is_outcome_unknown() => {
                        assert!(in_state <= 1, "call {i}: stored {in_state} times");
                        assert_eq!(e.reference(), Some(reference.as_str()));
                    }
                    Err(e) => {
                        assert!(e.status().is_some(), "call {i}: untyped failure {e:?}");
                        assert_eq!(in_state, 0, "call {i}: failed ({e}) but stored");
                    }
                }
                if fault.as_ref().is_some_and(Fault::skips_handler)
                    && !matches!(fault, Some(Fault::Status { status: 429, .. }))
                {
                    assert_eq!(in_state, 0, "call {i}: {fault:?} skips the handler");
                }
                label(r.as_ref().map(|_| ()))
            }
        };
        let k = kind(i);
        *counts.entry((k, fault.is_some(), ended)).or_default() += 1;
    }
    // No reference stored twice, and nothing stored that no call pushed.
    assert!(stored.values().all(|n| *n == 1), "a duplicate write");
    assert!(stored.keys().all(|r| hits.contains_key(r)));
    // A read fails only when all three attempts met a fault.
    assert!(
        failed_reads * 3 <= read_faults,
        "{failed_reads} reads failed with {read_faults} read faults"
    );

    // Connections: each call in flight holds at most one connection (HTTP/1.1, and the burst
    // starts all 1,000 at once), and a call needs another one only after a fault that broke its
    // connection. The 20 sequential calls after the burst reuse the pool.
    let connections = sandbox.connections();
    assert!(
        connections <= CALLS + breaking,
        "{connections} connections for {CALLS} calls and {breaking} broken connections"
    );
    // After the burst the pool is reused: sequential calls open no new connection.
    for _ in 0..20 {
        client.sync_stock().await.unwrap();
    }
    let after = sandbox.connections();
    assert!(
        after <= connections + 1,
        "{connections} → {after}: the pool is not reused"
    );
    assert_eq!(sandbox.faults().pending(), 0, "every fault was met");

    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)));
    println!(
        "cloudma load: {CALLS} calls ({} faults, {read_faults} on reads, {breaking} breaking connections) in {elapsed:?}; \
         {} requests received, {} connections (then {after} after 20 sequential reads), {} documents stored",
        CALLS / 10,
        journal.len(),
        connections,
        stored.len()
    );
    for ((kind, faulted, ended), n) in rows {
        println!("  {kind:?} faulted={faulted} {ended}: {n}");
    }
}
