//! Benchmarks of the vendor clients against what a user would write by hand.
//!
//! `cargo xtask bench` runs the `pos-bench` binary in release mode, which runs every comparison
//! below side by side in one process and prints Markdown sections; the xtask adds the build-cost
//! section and the machine description and writes `docs/benchmarks.md`.
//!
//! - [`http::overhead`]: CloudMA `sync-stock` over loopback against the sandbox kit, the client vs
//!   hand-written reqwest decoding into the same struct vs into `serde_json::Value`;
//! - [`decode`]: a 100,000-product `sync-stock` body and a NOOM `ODOC_GETDOC` envelope, typed
//!   decode vs plain serde structs with `f64` fields vs `serde_json::Value` (time and peak heap),
//!   and the CloudOnex customers, CloudPOS `get-products` and Suppliers `GET suppliers` lists;
//! - [`http::reuse`]: TCP connections accepted for many sequential calls;
//! - [`http::retry`]: the extra latency of a 503-then-200 against the configured backoff.
//!
//! Peak heap is measured with the `peak_alloc` counting allocator, installed here as the global
//! allocator of every binary that links this crate (the `pos-bench` binary and its tests).

pub mod decode;
pub mod fixtures;
pub mod http;
pub mod report;
pub mod stats;

/// The counting allocator: every heap allocation of the process goes through it.
#[global_allocator]
static ALLOC: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// Bytes currently allocated on the heap.
pub fn heap_current() -> usize {
    ALLOC.current_usage()
}

/// Runs `f` and returns its result with the peak heap growth it caused, in bytes (the highest
/// allocated total during the call minus the total before it).
pub fn with_peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let out = f();
    let peak = ALLOC.peak_usage().saturating_sub(before);
    (out, peak)
}

/// How much work each measurement does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Interleaved rounds of the request-overhead comparison (medians are taken over them).
    pub rounds: usize,
    /// Requests per variant per round at concurrency 1.
    pub requests_c1: usize,
    /// Requests per variant per round at concurrency 32.
    pub requests_c32: usize,
    /// Warm-up requests per variant before measuring.
    pub warmup: usize,
    /// Products in the `sync-stock` decode body.
    pub products: usize,
    /// Rows in the NOOM `ODOC_GETDOC` decode body.
    pub noom_rows: usize,
    /// Suppliers in the Suppliers `GET suppliers` decode body.
    pub suppliers: usize,
    /// Repetitions of each decode (the median is reported).
    pub decode_runs: usize,
    /// Sequential calls in the connection-reuse measurement.
    pub reuse_calls: usize,
    /// Samples of each retry measurement.
    pub retry_samples: usize,
    /// Base (and cap) of the backoff configured for the retry measurement.
    pub retry_base_delay: std::time::Duration,
}

impl Config {
    /// The sizes the issue asks for; takes a minute or two.
    pub fn full() -> Self {
        Config {
            rounds: 21,
            requests_c1: 500,
            requests_c32: 3_200,
            warmup: 300,
            products: 100_000,
            noom_rows: 5_000,
            suppliers: 10_000,
            decode_runs: 11,
            reuse_calls: 1_000,
            retry_samples: 60,
            retry_base_delay: std::time::Duration::from_millis(50),
        }
    }

    /// Tiny sizes for the smoke test: every measurement runs, in well under a second.
    pub fn smoke() -> Self {
        Config {
            rounds: 2,
            requests_c1: 20,
            requests_c32: 64,
            warmup: 5,
            products: 200,
            noom_rows: 20,
            suppliers: 200,
            decode_runs: 2,
            reuse_calls: 20,
            retry_samples: 2,
            retry_base_delay: std::time::Duration::from_millis(2),
        }
    }
}

/// Everything one run measured.
#[derive(Debug, Clone)]
pub struct Results {
    /// The configuration used.
    pub config: Config,
    /// Request overhead at concurrency 1 and 32.
    pub overhead: Vec<http::OverheadResult>,
    /// Decode comparisons.
    pub decode: Vec<decode::DecodeResult>,
    /// Connection reuse.
    pub reuse: Vec<http::ReuseResult>,
    /// Retry cost.
    pub retry: http::RetryResult,
}

/// Runs every measurement with `config`.
pub fn run_all(config: &Config) -> Result<Results, String> {
    let decode = decode::run(config)?;
    let env = http::Env::start()?;
    let overhead = vec![
        http::overhead(&env, config, 1, config.requests_c1)?,
        http::overhead(&env, config, 32, config.requests_c32)?,
    ];
    let reuse = http::reuse(config)?;
    let retry = http::retry(config)?;
    Ok(Results {
        config: config.clone(),
        overhead,
        decode,
        reuse,
        retry,
    })
}
