//! Load with faults (issue 13, item 3): 1,000 concurrent calls through one client against the
//! sandbox, a tenth of them meeting an injected fault, reads and writes mixed.
//!
//! CloudPOS' only writes are the three signing functions (`get-invoicesigned`,
//! `get-offersigned`, `get-creditnotesigned`: a second signing of a number is answered 2002),
//! so call `i` is a read of categories (`i % 3 == 0`), a read of products (`== 1`) or the
//! signing of its own document number `LD-i` (`== 2`, the function by `(i / 3) % 3`). Every
//! call with `i % 10 == 5` meets the fault `FAULTS[(i / 10) % 8]` (3 and 8 are coprime, so
//! every fault meets every kind). A write's fault is bound to its own `documentnr`, so it hits
//! that write's first attempt; a read's fault is queued on its function and met by whichever
//! read attempt of that function comes first.
//!
//! The daily quota (500 on both sides by default) is raised to 100,000 in the client and the
//! sandbox so it does not interfere; what is asserted of it is what load can show: the client
//! counts at least every request the server counted (it never underestimates the server's
//! count), no reservation is left behind by 1,000 finished calls, and no bad login or lockout
//! came from the load.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use cloudpos_client::models::SignedDocument;
use cloudpos_client::sandbox::{Fault, Sandbox};
use cloudpos_client::{Error, ErrorCode};
use serde_json::json;

const CALLS: usize = 1_000;
const QUOTA: u32 = 100_000;
/// The per-attempt timeout, and a delay past it. Generous for one attempt on loopback, because
/// the burst of 1,000 connections on a busy 2-core CI machine in a debug build takes a while.
const TIMEOUT: Duration = Duration::from_millis(3_000);
const DELAY: Duration = Duration::from_millis(3_300);
const SIGNING: [&str; 3] = [
    "get-invoicesigned",
    "get-offersigned",
    "get-creditnotesigned",
];

/// Whether the handler never ran for a request that met the fault (so it changed nothing and
/// was not counted against the server's daily limit). A `Delay` counts: the client's timeout
/// (started before the request arrived) always ends before the delay, and a request whose
/// connection closes during the wait is dropped unanswered.
fn handler_skipped(fault: &Fault) -> bool {
    matches!(
        fault,
        Fault::Status { .. } | Fault::NonJson { .. } | Fault::ResetBeforeResponse | Fault::Delay(_)
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Categories,
    Products,
    Sign,
}

fn kind(i: usize) -> Kind {
    match i % 3 {
        0 => Kind::Categories,
        1 => Kind::Products,
        _ => Kind::Sign,
    }
}

fn function(i: usize) -> &'static str {
    match kind(i) {
        Kind::Categories => "get-categories",
        Kind::Products => "get-products",
        Kind::Sign => SIGNING[(i / 3) % 3],
    }
}

fn fault_of(i: usize) -> Option<Fault> {
    (i % 10 == 5).then(|| Fault::load_mix(DELAY)[(i / 10) % 8].clone())
}

fn document_nr(i: usize) -> String {
    format!("LD-{i:04}")
}

enum Outcome {
    Read(Result<usize, Error>),
    Write(Result<SignedDocument, Error>),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_with_a_tenth_faulted() {
    let sandbox = Sandbox::builder().daily_limit(QUOTA).start().await.unwrap();
    // One document to sign per write, of the type its function signs (1, 2, 3).
    let mut invoices = sandbox.records("get-invoices");
    for i in (0..CALLS).filter(|i| kind(*i) == Kind::Sign) {
        let doctype = SIGNING.iter().position(|f| *f == function(i)).unwrap() + 1;
        invoices.push(json!({
            "id": i.to_string(), "customerid": "1", "totalprice": "10.00",
            "number": document_nr(i), "doctype": doctype.to_string(),
        }));
    }
    sandbox.set_records("get-invoices", invoices);
    let categories = sandbox.records("get-categories").len();
    let products = sandbox.records("get-products").len();
    let in_use_before = sandbox.documents_in_use();
    let client = sandbox
        .client_builder()
        .daily_quota(QUOTA)
        .timeout(TIMEOUT)
        .build()
        .unwrap();

    // Faults first, all of them, so placement does not depend on scheduling.
    let mut read_faults = 0;
    let mut breaking = 0;
    let mut skipping = 0;
    for i in 0..CALLS {
        let Some(fault) = fault_of(i) else { continue };
        breaking += usize::from(fault.breaks_connection());
        skipping += usize::from(handler_skipped(&fault));
        let route = Sandbox::route(function(i));
        if kind(i) == Kind::Sign {
            sandbox
                .faults()
                .inject(route.param("documentnr", &document_nr(i)), fault);
        } else {
            read_faults += 1;
            sandbox.faults().inject(route, fault);
        }
    }

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            match kind(i) {
                Kind::Categories => Outcome::Read(client.categories().await.map(|c| c.len())),
                Kind::Products => Outcome::Read(client.products().await.map(|p| p.len())),
                Kind::Sign => {
                    let nr = document_nr(i);
                    Outcome::Write(match function(i) {
                        "get-invoicesigned" => client.invoice_signed(&nr).await,
                        "get-offersigned" => client.offer_signed(&nr).await,
                        _ => client.credit_note_signed(&nr).await,
                    })
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

    let signed = sandbox.documents_in_use();
    let journal = sandbox.journal().requests();
    // Attempts per document number, from the journal.
    let mut hits: HashMap<String, usize> = HashMap::new();
    for r in &journal {
        if let Some(nr) = r.param("documentnr") {
            *hits.entry(nr).or_default() += 1;
        }
    }

    let mut counts: HashMap<(Kind, bool, String), usize> = HashMap::new();
    let mut failed_reads = 0;
    for (i, outcome) in outcomes.iter().enumerate() {
        let fault = fault_of(i);
        let ended = match outcome {
            Outcome::Read(Ok(n)) => {
                let expected = match kind(i) {
                    Kind::Categories => categories,
                    _ => products,
                };
                assert_eq!(*n, expected, "call {i}: every record read");
                label(Ok(()))
            }
            Outcome::Read(Err(e)) => {
                failed_reads += 1;
                assert!(e.status().is_some() || e.is_retryable(), "call {i}: {e:?}");
                label(Err(e))
            }
            Outcome::Write(r) => {
                let nr = document_nr(i);
                let in_state = signed.contains(&nr);
                let sent = hits.get(&nr).copied().unwrap_or(0);
                // Sent once; twice only after a 429, whose first attempt never ran the handler.
                let limit = match &fault {
                    Some(Fault::Status { status: 429, .. }) => 2,
                    _ => 1,
                };
                // Zero only when the attempt timed out before the server read the request.
                let least = usize::from(!r.as_ref().is_err_and(Error::is_outcome_unknown));
                assert!(
                    (least..=limit).contains(&sent),
                    "call {i} ({nr}, {fault:?}): sent {sent} times: {r:?}"
                );
                match r {
                    Ok(doc) => {
                        assert_eq!(
                            doc.vat_ticket.as_deref(),
                            Some(format!("VT{i:06}").as_str())
                        );
                        assert!(in_state, "call {i}: Ok but not signed in the sandbox");
                    }
                    Err(e) if e.is_outcome_unknown() => {
                        assert_eq!(e.reference(), Some(nr.as_str()));
                    }
                    Err(e) => {
                        // A re-sent signing would end in 2002 "Document nr already in use".
                        assert_ne!(e.code(), Some(&ErrorCode::DocumentNrInUse), "call {i}");
                        assert!(e.status().is_some(), "call {i}: untyped failure {e:?}");
                        assert!(!in_state, "call {i}: failed ({e}) but signed");
                    }
                }
                if fault.as_ref().is_some_and(handler_skipped)
                    && !matches!(fault, Some(Fault::Status { status: 429, .. }))
                {
                    assert!(!in_state, "call {i}: {fault:?} skips the handler");
                }
                label(r.as_ref().map(|_| ()))
            }
        };
        *counts.entry((kind(i), fault.is_some(), ended)).or_default() += 1;
    }
    // Every number signed by the load was signed by a call of this run, once (a set holds each
    // number at most once; a second signing would have ended in 2002 above).
    let new: Vec<&String> = signed.difference(&in_use_before).collect();
    assert!(new.iter().all(|nr| hits.contains_key(*nr)));
    assert!(hits.values().all(|n| *n <= 2));
    // A read fails only when all three attempts met a fault.
    assert!(
        failed_reads * 3 <= read_faults,
        "{failed_reads} reads failed with {read_faults} read faults"
    );

    // Quota and lockout. The client counts every attempt it sends, so it never counts fewer
    // than the server; the server did not count the requests a fault answered instead of it.
    let used = client.quota_used();
    let counted = sandbox.requests_today();
    assert!(
        used as usize >= journal.len(),
        "client counted {used}, server received {}",
        journal.len()
    );
    assert!(counted as usize + skipping <= journal.len());
    assert!(used >= counted);
    // Every call has finished: no reservation is left behind.
    assert_eq!(client.quota_remaining(), QUOTA - used);
    assert!(client.lockout().is_none());
    assert_eq!(sandbox.bad_logins(), 0);

    // Connections: the pool opens one only for an attempt that finds no idle connection, so
    // never more than the attempts (`used`: the client counts every attempt). In the burst of
    // 1,000 calls almost none is idle, and a connect started for one attempt may end up serving
    // another, so the count lands between the calls and the attempts (cloudma's tighter
    // `calls + broken` does not hold here: retried reads race for the idle ones). What shows
    // the pool works is the next step: 20 sequential calls after the burst open no connection.
    let connections = sandbox.connections();
    assert!(
        connections <= used as usize,
        "{connections} connections for {used} attempts ({breaking} broken connections)"
    );
    for _ in 0..20 {
        client.categories().await.unwrap();
    }
    let after = sandbox.connections();
    assert!(
        after <= connections + 1,
        "{connections} → {after}: the pool is not reused"
    );
    assert_eq!(sandbox.faults().pending(), 0, "every fault was met");

    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort();
    println!(
        "cloudpos load: {CALLS} calls ({} faults, {read_faults} on reads, {breaking} breaking connections) in {elapsed:?}; \
         {} requests received, {counted} counted by the server, {used} by the client; {} connections \
         (then {after} after 20 sequential reads); {} documents signed",
        CALLS / 10,
        journal.len(),
        connections,
        new.len()
    );
    for ((kind, faulted, ended), n) in rows {
        println!("  {kind:?} faulted={faulted} {ended}: {n}");
    }
}
