//! Load with faults (issue 13, item 3): 1,000 concurrent calls through one client against the
//! sandbox, a tenth of them meeting an injected fault, reads and writes mixed.
//!
//! Call `i` is by `i % 4`: a read (0: `GET /customers`, 2: `GET /customers/1`), a create
//! (1: `POST /products` with its own `sku`) or an update (3: `PUT /tickets/{id}` of its own
//! ticket, created before the burst, setting its own `ref`). In each run of ten calls exactly
//! one is faulted: call `i` with `i % 10 == (i / 80) % 4`, meeting `Fault::load_mix(DELAY)[(i / 10) % 8]`.
//! With run `a = 8q + f` the faulted call's kind is `(2f + q) % 4`, so over the 12½ rounds of
//! `q` every fault meets every kind.
//! A write's fault is bound to its own request (the create's `sku` in the JSON body, the
//! update's ticket path), so it hits that write's first attempt; a read's fault is queued on
//! its path and met by whichever read attempt comes first.
//!
//! Rate limit: the document allows 1,000 requests per hour per key, fewer than this test sends
//! (1,000 calls, their retries, 250 ticket creates). The sandbox's per-key limit is raised to
//! 100,000 ([`SandboxBuilder::rate_limit`]) so the limit neither paces nor refuses a call here;
//! against a real server the same load needs several keys (one client per key).
//!
//! [`SandboxBuilder::rate_limit`]: cloudonex_client::sandbox::SandboxBuilder::rate_limit
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cloudonex_client::sandbox::{Fault, Route, Sandbox};
use cloudonex_client::{Error, RecordRequest, Resource};
use pos_client_core::http::Method;
use serde_json::Value;

const CALLS: usize = 1_000;
const LIST: &str = "/api/v2/customers";
const GET: &str = "/api/v2/customers/1";
const PRODUCTS: &str = "/api/v2/products";
/// The per-attempt timeout, and a delay past it: generous for one attempt on loopback, because
/// 1,000 connections at once on a busy 2-core CI machine in a debug build take a while.
const TIMEOUT: Duration = Duration::from_millis(3_000);
const DELAY: Duration = Duration::from_millis(3_300);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    List,
    Get,
    Create,
    Update,
}

fn kind(i: usize) -> Kind {
    match i % 4 {
        0 => Kind::List,
        1 => Kind::Create,
        2 => Kind::Get,
        _ => Kind::Update,
    }
}

fn fault_of(i: usize) -> Option<Fault> {
    (i % 10 == (i / 80) % 4).then(|| Fault::load_mix(DELAY)[(i / 10) % 8].clone())
}

/// The write's unique reference: a product's `sku`, or the `ref` an update sets.
fn reference(i: usize) -> String {
    format!("L-{i:04}")
}

/// A short name of how a call ended, for the counts.
fn label(result: Result<(), &Error>) -> String {
    match result {
        Ok(()) => "ok".into(),
        Err(e) if e.is_outcome_unknown() => "outcome-unknown".into(),
        Err(e) => match e.status() {
            Some(s) => format!("status {}", s.as_u16()),
            None => format!("other: {e}"),
        },
    }
}

/// The write reference a recorded request carries (its JSON body's `sku` or `ref`).
fn body_reference(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    v.get("sku")
        .or_else(|| v.get("ref"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_with_a_tenth_faulted() {
    let sandbox = Sandbox::builder()
        .rate_limit(100_000)
        .empty()
        .start()
        .await
        .unwrap();
    let client = Arc::new(sandbox.client_builder().timeout(TIMEOUT).build().unwrap());

    // One customer to read, and one ticket per update call.
    let _ = client
        .records(Resource::Customers)
        .create(&RecordRequest::new().field("account", "Ada Lovelace"))
        .await
        .unwrap();
    let mut ticket_of: HashMap<usize, String> = HashMap::new();
    for i in (0..CALLS).filter(|i| kind(*i) == Kind::Update) {
        let saved = client
            .tickets()
            .create(&RecordRequest::new().field("subject", format!("ticket of call {i}")))
            .await
            .unwrap();
        ticket_of.insert(i, saved.record().unwrap().id.clone());
    }
    sandbox.journal().clear();
    let connections_before = sandbox.connections();

    // Faults first, all of them, so placement does not depend on scheduling.
    let mut read_faults = 0;
    let mut breaking = 0;
    for i in 0..CALLS {
        let Some(fault) = fault_of(i) else { continue };
        breaking += usize::from(fault.breaks_connection());
        match kind(i) {
            Kind::List => {
                read_faults += 1;
                sandbox.faults().inject(LIST, fault);
            }
            Kind::Get => {
                read_faults += 1;
                sandbox.faults().inject(GET, fault);
            }
            Kind::Create => sandbox.faults().inject(
                Route::path(PRODUCTS).json_field("sku", &reference(i)),
                fault,
            ),
            Kind::Update => sandbox.faults().inject(
                Route::path(&format!("/api/v2/tickets/{}", ticket_of[&i])).method(Method::PUT),
                fault,
            ),
        }
    }

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let client = client.clone();
        let ticket = ticket_of.get(&i).cloned();
        tasks.push(tokio::spawn(async move {
            match kind(i) {
                Kind::List => client.customers().list().await.map(|p| p.items.len()),
                Kind::Get => client.customers().get("1").await.map(|_| 1),
                Kind::Create => {
                    let product = RecordRequest::new()
                        .field("name", "Load test product")
                        .field("sku", reference(i))
                        .reference(reference(i));
                    client.products().create(&product).await.map(|_| 1)
                }
                Kind::Update => {
                    let ticket = ticket.expect("every update call has a ticket");
                    let change = RecordRequest::new().field("ref", reference(i));
                    client.tickets().update(&ticket, &change).await.map(|_| 1)
                }
            }
        }));
    }
    let mut outcomes = Vec::with_capacity(CALLS);
    for task in tasks {
        // A panic inside a call would surface here as a JoinError.
        outcomes.push(task.await.expect("a call panicked"));
    }
    let elapsed = started.elapsed();

    // What reached the handlers: created products by sku, updated tickets by ref.
    let mut stored: HashMap<String, usize> = HashMap::new();
    for p in sandbox.records(Resource::Products) {
        if let Some(sku) = p.get("sku").and_then(Value::as_str) {
            *stored.entry(sku.to_owned()).or_default() += 1;
        }
    }
    for t in sandbox.records(Resource::Tickets) {
        if let Some(r) = t.get("ref").and_then(Value::as_str) {
            *stored.entry(r.to_owned()).or_default() += 1;
        }
    }
    // Attempts per write reference, from the journal.
    let journal = sandbox.journal().requests();
    let mut hits: HashMap<String, usize> = HashMap::new();
    for r in journal.iter().filter(|r| r.method != Method::GET) {
        let reference = body_reference(&r.body_text()).expect("every write carries a reference");
        *hits.entry(reference).or_default() += 1;
    }

    let mut counts: HashMap<(Kind, bool, String), usize> = HashMap::new();
    let mut failed_reads = 0;
    for (i, outcome) in outcomes.iter().enumerate() {
        let fault = fault_of(i);
        let k = kind(i);
        let ended = match (k, outcome) {
            (Kind::List | Kind::Get, Ok(n)) => {
                assert_eq!(*n, 1, "call {i}: one customer");
                label(Ok(()))
            }
            (Kind::List | Kind::Get, Err(e)) => {
                failed_reads += 1;
                assert!(
                    e.status().is_some() || e.is_retryable(),
                    "call {i}: untyped read failure {e:?}"
                );
                label(Err(e))
            }
            (Kind::Create | Kind::Update, r) => {
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
                    Ok(_) => assert_eq!(in_state, 1, "call {i}: Ok but stored {in_state} times"),
                    Err(e) if e.is_outcome_unknown() => {
                        assert!(in_state <= 1, "call {i}: stored {in_state} times");
                        if k == Kind::Create {
                            assert_eq!(e.reference(), Some(reference.as_str()));
                        }
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
        *counts.entry((k, fault.is_some(), ended)).or_default() += 1;
    }
    // No reference stored twice, and nothing stored that no call sent.
    assert!(stored.values().all(|n| *n == 1), "a duplicate write");
    assert!(stored.keys().all(|r| hits.contains_key(r)));
    // A read fails only when all three attempts met a fault.
    assert!(
        failed_reads * 3 <= read_faults,
        "{failed_reads} reads failed with {read_faults} read faults"
    );

    // Connections: each call in flight holds at most one connection (HTTP/1.1, all 1,000
    // start at once), and a call needs another one only after a fault that broke its own.
    let connections = sandbox.connections() - connections_before;
    assert!(
        connections <= CALLS + breaking,
        "{connections} connections for {CALLS} calls and {breaking} broken connections"
    );
    // After the burst the pool is reused: sequential calls open no new connection.
    for _ in 0..20 {
        client.customers().get("1").await.unwrap();
    }
    let after = sandbox.connections() - connections_before;
    assert!(
        after <= connections + 1,
        "{connections} → {after}: the pool is not reused"
    );
    assert_eq!(sandbox.faults().pending(), 0, "every fault was met");

    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort();
    println!(
        "cloudonex load: {CALLS} calls ({} faults, {read_faults} on reads, {breaking} breaking connections) in {elapsed:?}; \
         {} requests received, {connections} connections (then {after} after 20 sequential reads), {} writes stored",
        (0..CALLS).filter(|i| fault_of(*i).is_some()).count(),
        journal.len(),
        stored.len()
    );
    for ((kind, faulted, ended), n) in rows {
        println!("  {kind:?} faulted={faulted} {ended}: {n}");
    }
}
