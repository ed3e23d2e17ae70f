//! Heap after load: a burst of calls with faults through one vendor's sandbox, and the heap
//! measured before and after (issue 13 item 3: the heap goes back to its level before).
//!
//! The burst uses the vendor's read operations only: every write stores a record in the
//! sandbox (in the same process), which is growth by design, not a leak of the client.

use std::time::Duration;

use pos_client_core::RetryPolicy;
use pos_client_core::sandbox::{ExerciseSettings, Fault};

/// What one vendor's burst did to the heap.
#[derive(Debug, Clone)]
pub struct HeapReport {
    /// The vendor.
    pub vendor: &'static str,
    /// Calls in the burst (10% of them with a fault).
    pub calls: usize,
    /// Calls that ended with an error.
    pub errors: usize,
    /// Heap in use before the burst, in bytes.
    pub before: usize,
    /// The highest heap in use during the burst.
    pub peak: usize,
    /// Heap in use after the burst, everything but the sandbox dropped.
    pub after: usize,
}

impl HeapReport {
    /// `after - before`, in bytes (negative when less is in use after).
    pub fn growth(&self) -> i64 {
        i64::try_from(self.after).unwrap_or(i64::MAX)
            - i64::try_from(self.before).unwrap_or(i64::MAX)
    }
}

/// Runs `calls` read calls (32 at a time, every 10th with a fault) against one sandbox of
/// `vendor`, each through a fresh client as [`pos_client_core::sandbox::Exercise::run`] builds
/// it, and reads the heap with `current` before and after, and `peak` for the peak.
pub async fn burst(
    vendor: &'static str,
    calls: usize,
    current: &(dyn Fn() -> usize + Sync),
    reset_peak: &(dyn Fn() + Sync),
    peak: &(dyn Fn() -> usize + Sync),
) -> std::io::Result<HeapReport> {
    let sandbox = crate::sandbox(vendor).await?;
    let reads: Vec<&'static str> = sandbox
        .operations()
        .iter()
        .filter(|op| !op.write)
        .map(|op| op.name)
        .collect();
    let settings = ExerciseSettings {
        retry: RetryPolicy::without_delays(),
        timeout: Duration::from_secs(2),
    };
    // Warm up: the first calls allocate what lives for the process (TLS roots, pools, statics).
    for op in &reads {
        let _ = sandbox.run(op, &settings, &|| {}).await;
    }
    settle().await;
    let before = current();
    reset_peak();
    let faults = [
        Fault::status(503),
        Fault::ResetMidBody,
        Fault::TruncatedBody,
        Fault::html(502),
        Fault::ResetBeforeResponse,
    ];
    let mut errors = 0;
    for (round, chunk) in (0..calls).collect::<Vec<_>>().chunks(32).enumerate() {
        let runs = chunk.iter().map(|&i| {
            let op = reads[i % reads.len()];
            let fault = (i % 10 == 5).then(|| faults[(i / 10 + round) % faults.len()].clone());
            let route = sandbox.route(op);
            let server = sandbox.server();
            let settings = &settings;
            let sandbox = &sandbox;
            async move {
                let inject = move || {
                    if let Some(f) = &fault {
                        server.faults().inject(route.clone(), f.clone());
                    }
                };
                sandbox.run(op, settings, &inject).await
            }
        });
        for result in futures_util::future::join_all(runs).await {
            errors += usize::from(result.is_err());
        }
    }
    let peak = peak();
    sandbox.server().faults().clear();
    sandbox.server().journal().clear();
    settle().await;
    Ok(HeapReport {
        vendor,
        calls,
        errors,
        before,
        peak,
        after: current(),
    })
}

/// Lets closed connections' tasks finish and drop their buffers.
async fn settle() {
    for _ in 0..20 {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
