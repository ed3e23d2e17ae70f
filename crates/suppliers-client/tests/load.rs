//! Load with faults (issue 13, item 3): 1,000 concurrent calls through one client against the
//! sandbox, a tenth of them meeting an injected fault, reads and writes mixed; then a short
//! sequential run of temp-purchase actions, each meeting a known fault.
//!
//! The temp purchase is one per user and one access token acts on it, so the concurrent part
//! reads it but writes only suppliers: creates with unique names, `editName` and
//! `updateCurdebt` each on its own seeded supplier (its own path). Call `i` is by `i % 5`: a
//! read (0 and 4, rotating over four read paths by `i % 4`), a create (1), an `editName` (2) or
//! an `updateCurdebt` (3). In each run of ten calls exactly one is faulted: call `i` with
//! `i % 10 == (i / 10) % 10`, meeting `FAULTS[(i / 10) % 8]` (5 kinds and 8 faults are coprime,
//! so every fault meets every kind). An edit's fault is bound to its supplier's path, so it hits
//! that write's first attempt; a create's fault is queued on `/suppliers` (no read uses that
//! path during the burst) and a read's on its path, met by whichever attempt comes first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use suppliers_client::models::{DebtMethod, NewSupplier};
use suppliers_client::sandbox::{Fault, PRODUCT_CODES, Sandbox, SandboxSupplier};
use suppliers_client::{Client, Decimal, Error, ProductRef};

const CALLS: usize = 1_000;
/// The first id of the seeded suppliers the edits act on (supplier `EDITED + i` for call `i`).
const EDITED: u64 = 10_000;
/// The per-attempt timeout of the burst, and a delay past it: generous for one attempt on
/// loopback, because 1,000 connections at once on a busy 2-core CI machine in a debug build take
/// a while.
const TIMEOUT: Duration = Duration::from_millis(3_000);
const DELAY: Duration = Duration::from_millis(3_300);
/// The same for the sequential part, where nothing else is in flight.
const SEQ_TIMEOUT: Duration = Duration::from_millis(300);
const SEQ_DELAY: Duration = Duration::from_millis(600);

fn is_429(fault: &Fault) -> bool {
    matches!(fault, Fault::Status { status: 429, .. })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Read,
    Create,
    EditName,
    UpdateDebt,
}

fn kind(i: usize) -> Kind {
    match i % 5 {
        1 => Kind::Create,
        2 => Kind::EditName,
        3 => Kind::UpdateDebt,
        _ => Kind::Read,
    }
}

fn fault_of(i: usize) -> Option<Fault> {
    let decade = i / 10;
    (i % 10 == decade % 10).then(|| Fault::load_mix(DELAY)[decade % 8].clone())
}

fn read_path(i: usize, trans: &str) -> String {
    match i % 4 {
        0 => "/suppliers/1".into(),
        1 => "/supplier-purchase-temp/location-person".into(),
        2 => "/supplier-purchase-temp/current".into(),
        _ => format!("/supplier-purchase-temp/{trans}"),
    }
}

async fn read(client: &Client, i: usize, trans: &str) -> Result<(), Error> {
    match i % 4 {
        0 => client.supplier("1").await.map(|s| assert_eq!(s.id, "1")),
        1 => client
            .location_person()
            .await
            .map(|l| assert_eq!(l.len(), 2)),
        2 => client.current().await.map(|t| assert_eq!(t.id(), trans)),
        _ => client
            .temp_purchase(trans)
            .await
            .map(|t| assert_eq!(t.trans_info.id, trans)),
    }
}

fn created_name(i: usize) -> String {
    format!("Tải NCC {i:04}")
}

fn original_name(i: usize) -> String {
    format!("Gốc {i:04}")
}

fn edited_name(i: usize) -> String {
    format!("Đổi tên {i:04}")
}

fn debt(i: usize) -> Decimal {
    Decimal::from(1_000 + i as u64)
}

fn seeded(i: usize) -> SandboxSupplier {
    let id = EDITED + i as u64;
    SandboxSupplier {
        id,
        name: original_name(i),
        searchkey: format!("NCC{id}"),
        taxid: String::new(),
        phone: String::new(),
        region: String::new(),
        city: String::new(),
        address: String::new(),
        visible: true,
        maxdebt: Decimal::from(1_000_000_000),
        curdebt: Decimal::ZERO,
    }
}

/// A short name of how a call ended, for the counts.
fn label(result: &Result<(), Error>) -> String {
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
    let sandbox = Sandbox::start().await.unwrap();
    for i in (0..CALLS).filter(|i| matches!(kind(*i), Kind::EditName | Kind::UpdateDebt)) {
        sandbox.insert_supplier(seeded(i));
    }
    let client = sandbox
        .client_builder()
        .timeout(TIMEOUT)
        .bearer_token(suppliers_client::sandbox::TEST_TOKEN);
    let client = client.build().unwrap();
    let trans = client.claim_current().await.unwrap().id().to_owned();
    sandbox.journal().clear();
    let before = sandbox.connections();

    // Faults first, all of them, so placement does not depend on scheduling.
    let mut read_faults = 0;
    let mut create_429 = 0;
    let mut breaking = 0;
    for i in 0..CALLS {
        let Some(fault) = fault_of(i) else { continue };
        breaking += usize::from(fault.breaks_connection());
        let route = match kind(i) {
            Kind::Read => {
                read_faults += 1;
                read_path(i, &trans)
            }
            Kind::Create => {
                create_429 += usize::from(is_429(&fault));
                "/suppliers".into()
            }
            Kind::EditName | Kind::UpdateDebt => format!("/suppliers/{}", EDITED + i as u64),
        };
        sandbox.faults().inject(route.as_str(), fault);
    }

    let started = Instant::now();
    let mut tasks = Vec::with_capacity(CALLS);
    for i in 0..CALLS {
        let client = client.clone();
        let trans = trans.clone();
        tasks.push(tokio::spawn(async move {
            let id = (EDITED + i as u64).to_string();
            match kind(i) {
                Kind::Read => read(&client, i, &trans).await,
                Kind::Create => {
                    let new = NewSupplier {
                        name: created_name(i),
                        phone: Some(format!("09{i:08}")),
                        region: None,
                        city: None,
                        address: None,
                    };
                    client
                        .create_supplier(&new)
                        .await
                        .map(|s| assert_eq!(s.name.as_deref(), Some(created_name(i).as_str())))
                }
                Kind::EditName => client.edit_supplier_name(&id, &edited_name(i)).await,
                Kind::UpdateDebt => {
                    client
                        .update_supplier_debt(&id, DebtMethod::Debt, debt(i), Some("tải"))
                        .await
                }
            }
        }));
    }
    let mut outcomes = Vec::with_capacity(CALLS);
    for task in tasks {
        // A panic inside a call (or a failed assertion on an answer) surfaces here.
        outcomes.push(task.await.expect("a call panicked"));
    }
    let elapsed = started.elapsed();
    let connections = sandbox.connections() - before;
    assert_eq!(sandbox.faults().pending(), 0, "every fault was met");

    // The state: suppliers by name, and the journal's write attempts by name or path.
    let suppliers: HashMap<u64, SandboxSupplier> =
        sandbox.suppliers().into_iter().map(|s| (s.id, s)).collect();
    let mut stored: HashMap<String, usize> = HashMap::new();
    for s in suppliers.values() {
        *stored.entry(s.name.clone()).or_default() += 1;
    }
    let journal = sandbox.journal().requests();
    let mut create_hits: HashMap<String, usize> = HashMap::new();
    let mut edit_hits: HashMap<String, usize> = HashMap::new();
    for r in &journal {
        if r.method == "POST" && r.path == "/suppliers" {
            let body: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            *create_hits
                .entry(body["name"].as_str().unwrap().to_owned())
                .or_default() += 1;
        } else if r.method == "PUT" {
            *edit_hits.entry(r.path.clone()).or_default() += 1;
        }
    }

    let mut counts: HashMap<(Kind, &str, String), usize> = HashMap::new();
    let mut failed_reads = 0;
    let mut creates_sent_twice = 0;
    for (i, result) in outcomes.iter().enumerate() {
        let fault = fault_of(i);
        let k = kind(i);
        let unknown = result.as_ref().is_err_and(Error::is_outcome_unknown);
        if let Err(e) = result {
            assert!(
                e.is_outcome_unknown() || e.status().is_some() || k == Kind::Read,
                "call {i} ({k:?}, {fault:?}): an untyped write failure: {e:?}"
            );
            assert!(!e.is_validation(), "call {i}: {e:?}");
        }
        match k {
            Kind::Read => failed_reads += usize::from(result.is_err()),
            Kind::Create => {
                let name = created_name(i);
                let in_state = stored.get(&name).copied().unwrap_or(0);
                let sent = create_hits.get(&name).copied().unwrap_or(0);
                creates_sent_twice += usize::from(sent == 2);
                // Zero only when the attempt timed out before the server read the request;
                // twice only after a 429 (checked in total below: its fault is not bound).
                assert!(
                    (usize::from(!unknown)..=2).contains(&sent),
                    "call {i} ({name}): sent {sent} times: {result:?}"
                );
                match result {
                    Ok(()) => assert_eq!(in_state, 1, "call {i}: Ok but stored {in_state} times"),
                    Err(e) if e.is_outcome_unknown() => {
                        assert!(in_state <= 1, "call {i}: stored {in_state} times");
                        assert_eq!(e.reference(), Some(format!("new supplier {name}").as_str()));
                    }
                    Err(e) => assert_eq!(in_state, 0, "call {i}: failed ({e}) but stored"),
                }
            }
            Kind::EditName | Kind::UpdateDebt => {
                let id = EDITED + i as u64;
                let s = &suppliers[&id];
                let sent = edit_hits
                    .get(&format!("/suppliers/{id}"))
                    .copied()
                    .unwrap_or(0);
                let limit = if fault.as_ref().is_some_and(is_429) {
                    2
                } else {
                    1
                };
                assert!(
                    (usize::from(!unknown)..=limit).contains(&sent),
                    "call {i} ({k:?}, {fault:?}): sent {sent} times: {result:?}"
                );
                // Applied: 0 or 1 times, read from the state (a debt added twice would show
                // twice the amount; a name not changed shows the original).
                let applied = if k == Kind::EditName {
                    assert!(
                        s.name == original_name(i) || s.name == edited_name(i),
                        "call {i}: name {:?}",
                        s.name
                    );
                    usize::from(s.name == edited_name(i))
                } else {
                    assert!(
                        s.curdebt.is_zero() || s.curdebt == debt(i),
                        "call {i}: curdebt {} for one debt of {}",
                        s.curdebt,
                        debt(i)
                    );
                    usize::from(s.curdebt == debt(i))
                };
                match result {
                    Ok(()) => assert_eq!(applied, 1, "call {i}: Ok but not applied"),
                    Err(e) if e.is_outcome_unknown() => {
                        assert_eq!(e.reference(), Some(format!("supplier {id}").as_str()));
                    }
                    Err(e) => assert_eq!(applied, 0, "call {i}: failed ({e}) but applied"),
                }
                if fault
                    .as_ref()
                    .is_some_and(|f| f.skips_handler() && !is_429(f))
                {
                    assert_eq!(applied, 0, "call {i}: {fault:?} skips the handler");
                }
            }
        }
        // A create's fault is met by whichever create comes first: count by outcome only.
        let faulted = match (k, fault.is_some()) {
            (Kind::Create, _) => "fault queued on the path",
            (_, true) => "faulted",
            (_, false) => "clean",
        };
        *counts.entry((k, faulted, label(result))).or_default() += 1;
    }
    // No supplier stored twice under one name, and no create stored that no call sent.
    assert!(stored.values().all(|n| *n == 1), "a duplicate write");
    let created = stored.keys().filter(|n| n.starts_with("Tải NCC")).count();
    assert!(
        stored
            .keys()
            .filter(|n| n.starts_with("Tải NCC"))
            .all(|n| create_hits.contains_key(n))
    );
    assert!(
        creates_sent_twice <= create_429,
        "{creates_sent_twice} creates sent twice with {create_429} 429 faults on creates"
    );
    // A read fails only when all three of its attempts met a fault.
    assert!(
        failed_reads * 3 <= read_faults,
        "{failed_reads} reads failed with {read_faults} read faults"
    );
    // Connections: each call in flight holds at most one connection (HTTP/1.1, all 1,000 start
    // at once), and needs another one only after a fault that broke its connection.
    assert!(
        connections <= CALLS + breaking,
        "{connections} connections for {CALLS} calls and {breaking} broken connections"
    );
    // After the burst the pool is reused: sequential calls open no new connection.
    for _ in 0..20 {
        client.location_person().await.unwrap();
    }
    let after = sandbox.connections() - before;
    assert!(
        after <= connections + 1,
        "{connections} → {after}: the pool is not reused"
    );

    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort();
    println!(
        "suppliers load: {CALLS} calls ({} faults, {read_faults} on reads, {breaking} breaking \
         connections) in {elapsed:?}; {} requests received, {connections} connections (then \
         {after} after 20 sequential reads), {created} suppliers created, {creates_sent_twice} \
         creates sent twice after a 429",
        CALLS / 10,
        journal.len(),
    );
    for ((kind, faulted, ended), n) in rows {
        println!("  {kind:?} ({faulted}) {ended}: {n}");
    }
}

/// The units of `code` in the temp purchase, read back through a client without faults.
async fn units_of(client: &Client, trans: &str, code: &str) -> Decimal {
    client
        .temp_purchase(trans)
        .await
        .unwrap()
        .trans_lines
        .iter()
        .filter(|l| l.reference.as_deref() == Some(code))
        .map(|l| l.units)
        .sum()
}

/// The temp-purchase actions one at a time (one current trans per access token): `addLine`,
/// which adds units on each call, meets every fault in turn; after each call the units read
/// back show whether the write was applied once or not at all.
#[tokio::test]
async fn sequential_temp_purchase_writes_under_every_fault() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .timeout(SEQ_TIMEOUT)
        .bearer_token(suppliers_client::sandbox::TEST_TOKEN);
    let client = client.build().unwrap();
    let trans = client.claim_current().await.unwrap();
    let path = format!("/supplier-purchase-temp/{}", trans.id());
    let mut counts: HashMap<String, usize> = HashMap::new();
    for (j, fault) in Fault::load_mix(SEQ_DELAY)
        .into_iter()
        .enumerate()
        .flat_map(|(j, f)| {
            // Each fault, then a call without one.
            [(2 * j, Some(f)), (2 * j + 1, None)]
        })
    {
        let code = PRODUCT_CODES[j % PRODUCT_CODES.len()];
        let units = Decimal::from(j as u64 + 1);
        let before = units_of(&client, trans.id(), code).await;
        sandbox.journal().clear();
        if let Some(f) = &fault {
            sandbox.faults().inject(path.as_str(), f.clone());
        }
        let result = trans
            .add_line(ProductRef::Code(code.into()), units)
            .await
            .map(|a| assert_eq!(a.line.units, Some(before + units)));
        assert_eq!(sandbox.faults().pending(), 0);
        let sent = sandbox.journal().hits(path.as_str());
        let after = units_of(&client, trans.id(), code).await;
        let applied = after - before;
        assert!(
            applied.is_zero() || applied == units,
            "call {j} ({fault:?}): {applied} units added for one addLine of {units}"
        );
        let limit = if fault.as_ref().is_some_and(is_429) {
            2
        } else {
            1
        };
        let unknown = result.as_ref().is_err_and(Error::is_outcome_unknown);
        assert!(
            (usize::from(!unknown)..=limit).contains(&sent),
            "call {j} ({fault:?}): sent {sent} times: {result:?}"
        );
        match &result {
            Ok(()) => assert_eq!(applied, units, "call {j}: Ok but not applied"),
            Err(e) if e.is_outcome_unknown() => {
                assert_eq!(e.reference(), Some(trans.id()));
            }
            Err(e) => {
                assert!(e.status().is_some(), "call {j}: untyped failure {e:?}");
                assert!(applied.is_zero(), "call {j}: failed ({e}) but applied");
            }
        }
        if fault
            .as_ref()
            .is_some_and(|f| f.skips_handler() && !is_429(f))
        {
            assert!(applied.is_zero(), "call {j}: {fault:?} skips the handler");
        }
        if fault.is_none() || fault.as_ref().is_some_and(is_429) {
            assert!(result.is_ok(), "call {j} ({fault:?}): {result:?}");
        }
        *counts
            .entry(format!(
                "{:?} → {}",
                fault.map(|f| format!("{f:?}").chars().take(40).collect::<String>()),
                label(&result)
            ))
            .or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort();
    println!("suppliers sequential addLine under faults:");
    for (row, n) in rows {
        println!("  {row}: {n}");
    }
}
