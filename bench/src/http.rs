//! Loopback measurements against the sandbox kit: request overhead, connection reuse, retry cost.
//!
//! The server runs on its own one-worker tokio runtime and the callers on another, so the two
//! sides each get one worker thread (the benchmark machine has two cores).

use std::sync::Arc;
use std::time::{Duration, Instant};

use pos_client_core::RetryPolicy;
use pos_client_core::sandbox::axum::body::Bytes;
use pos_client_core::sandbox::axum::http::header;
use pos_client_core::sandbox::axum::{Router, routing::post};
use pos_client_core::sandbox::{Fault, SandboxServer};
use tokio::runtime::Runtime;
use tokio::task::JoinSet;

use crate::stats::{max, mean, median, percentile};
use crate::{Config, fixtures};

/// The path of the benchmarked operation.
pub const SYNC_STOCK_PATH: &str = "/api/sync-stock";

/// A loopback server answering `POST /api/sync-stock` with a fixed body, and a caller runtime.
pub struct Env {
    // Fields drop in order: the server first, then the runtimes.
    server: SandboxServer,
    client_rt: Runtime,
    _server_rt: Runtime,
}

fn runtime(name: &str) -> Result<Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(name)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))
}

impl Env {
    /// Starts the server with the small fixed `sync-stock` answer.
    pub fn start() -> Result<Env, String> {
        Env::with_body(fixtures::small_stock_body())
    }

    /// Starts the server answering `body`.
    pub fn with_body(body: Vec<u8>) -> Result<Env, String> {
        let body = Bytes::from(body);
        let router = Router::new().route(
            SYNC_STOCK_PATH,
            post(move || {
                let body = body.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], body) }
            }),
        );
        let server_rt = runtime("bench-server")?;
        let client_rt = runtime("bench-client")?;
        let server = server_rt
            .block_on(SandboxServer::start(router))
            .map_err(|e| format!("cannot start the sandbox server: {e}"))?;
        Ok(Env {
            server,
            client_rt,
            _server_rt: server_rt,
        })
    }

    /// The server's base URL with the `api/` prefix the clients expect.
    pub fn api_url(&self) -> String {
        format!("{}api/", self.server.base_url())
    }

    /// TCP connections the server accepted so far.
    pub fn connections(&self) -> usize {
        self.server.connections()
    }

    /// Builds one caller of `variant` against this server.
    pub fn caller(&self, variant: Variant, policy: RetryPolicy) -> Result<Caller, String> {
        let _guard = self.client_rt.enter();
        match variant {
            Variant::Client => cloudma_client::Client::builder()
                .base_url(self.api_url())
                .token(fixtures::TOKEN)
                .retry_policy(policy)
                .build()
                .map(Caller::Client)
                .map_err(|e| e.to_string()),
            Variant::ReqwestTyped | Variant::ReqwestValue => {
                // What a careful user writes: a shared client with timeouts, a form body.
                let http = reqwest::Client::builder()
                    .user_agent("hand-written/0.1")
                    .connect_timeout(Duration::from_secs(5))
                    .timeout(Duration::from_secs(30))
                    .build()
                    .map_err(|e| e.to_string())?;
                Ok(Caller::Reqwest {
                    http,
                    url: format!("{}sync-stock", self.api_url()),
                    typed: variant == Variant::ReqwestTyped,
                })
            }
        }
    }
}

/// Who sends the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// `cloudma_client::Client::sync_stock`.
    Client,
    /// Hand-written reqwest, decoding into the client's own `Vec<StockLevel>`.
    ReqwestTyped,
    /// Hand-written reqwest, decoding into `serde_json::Value`.
    ReqwestValue,
}

impl Variant {
    /// Every variant, the client first.
    pub const ALL: [Variant; 3] = [
        Variant::Client,
        Variant::ReqwestTyped,
        Variant::ReqwestValue,
    ];

    /// A short label for tables.
    pub fn label(self) -> &'static str {
        match self {
            Variant::Client => "cloudma-client `sync_stock()`",
            Variant::ReqwestTyped => "hand-written reqwest → `Vec<StockLevel>`",
            Variant::ReqwestValue => "hand-written reqwest → `serde_json::Value`",
        }
    }
}

/// A configured caller.
pub enum Caller {
    /// The vendor client.
    Client(cloudma_client::Client),
    /// Hand-written reqwest.
    Reqwest {
        /// The shared reqwest client.
        http: reqwest::Client,
        /// The operation's full URL.
        url: String,
        /// Decode into the typed struct (else into `serde_json::Value`).
        typed: bool,
    },
}

impl Caller {
    /// One `sync-stock` call; returns the number of products decoded.
    pub async fn call(&self) -> Result<usize, String> {
        match self {
            Caller::Client(client) => client
                .sync_stock()
                .await
                .map(|v| v.len())
                .map_err(|e| e.to_string()),
            Caller::Reqwest { http, url, typed } => {
                let response = http
                    .post(url)
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .header(reqwest::header::ACCEPT, "application/json")
                    .body(format!("token={}", fixtures::TOKEN))
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                if !response.status().is_success() {
                    return Err(format!("HTTP {}", response.status()));
                }
                let body = response.bytes().await.map_err(|e| e.to_string())?;
                if *typed {
                    serde_json::from_slice::<Vec<cloudma_client::models::StockLevel>>(&body)
                        .map(|v| v.len())
                        .map_err(|e| e.to_string())
                } else {
                    serde_json::from_slice::<serde_json::Value>(&body)
                        .map(|v| v.as_array().map_or(0, Vec::len))
                        .map_err(|e| e.to_string())
                }
            }
        }
    }
}

/// `total` calls spread over `concurrency` tasks: per-call latencies (µs) and the elapsed time (s).
async fn batch(
    caller: Arc<Caller>,
    concurrency: usize,
    total: usize,
) -> Result<(Vec<f64>, f64), String> {
    let per_task = (total / concurrency).max(1);
    let mut tasks = JoinSet::new();
    let start = Instant::now();
    for _ in 0..concurrency {
        let caller = caller.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let t = Instant::now();
                let n = caller.call().await?;
                latencies.push(t.elapsed().as_secs_f64() * 1e6);
                if n == 0 {
                    return Err("decoded no products".to_owned());
                }
            }
            Ok::<_, String>(latencies)
        });
    }
    let mut all = Vec::with_capacity(per_task * concurrency);
    while let Some(joined) = tasks.join_next().await {
        all.extend(joined.map_err(|e| e.to_string())??);
    }
    Ok((all, start.elapsed().as_secs_f64()))
}

/// Sends `requests` calls from `variant` at `concurrency` and nothing else (for `perf record`).
pub fn profile_requests(
    variant: Variant,
    concurrency: usize,
    requests: usize,
) -> Result<usize, String> {
    let env = Env::start()?;
    let caller = Arc::new(env.caller(variant, RetryPolicy::default())?);
    let (latencies, _) = env
        .client_rt
        .block_on(batch(caller, concurrency, requests))?;
    Ok(latencies.len())
}

/// One variant's request-overhead figures (medians over the rounds).
#[derive(Debug, Clone)]
pub struct OverheadRow {
    /// Who sent the requests.
    pub variant: Variant,
    /// Requests per second.
    pub throughput: f64,
    /// Median latency, µs.
    pub p50_us: f64,
    /// 99th-percentile latency, µs.
    pub p99_us: f64,
}

/// The request-overhead comparison at one concurrency.
#[derive(Debug, Clone)]
pub struct OverheadResult {
    /// Concurrent tasks.
    pub concurrency: usize,
    /// Requests per variant per round.
    pub requests: usize,
    /// Rounds.
    pub rounds: usize,
    /// One row per [`Variant::ALL`], in that order.
    pub rows: Vec<OverheadRow>,
}

/// Runs the request-overhead comparison at `concurrency`, `requests` calls per variant per
/// round. At concurrency 1 the variants alternate call by call; above it, each variant runs its
/// batch in turn, each round starting with a different one.
pub fn overhead(
    env: &Env,
    config: &Config,
    concurrency: usize,
    requests: usize,
) -> Result<OverheadResult, String> {
    let callers = Variant::ALL
        .iter()
        .map(|v| env.caller(*v, RetryPolicy::default()).map(Arc::new))
        .collect::<Result<Vec<_>, _>>()?;
    let journal = env.server.journal();
    env.client_rt.block_on(async {
        for caller in &callers {
            batch(caller.clone(), concurrency, config.warmup.max(concurrency)).await?;
        }
        journal.clear();
        let n = Variant::ALL.len();
        let mut throughput = vec![Vec::new(); n];
        let mut p50 = vec![Vec::new(); n];
        let mut p99 = vec![Vec::new(); n];
        for round in 0..config.rounds.max(1) {
            if concurrency == 1 {
                // One caller at a time: alternate the variants call by call, so that every
                // variant sees the same machine state; throughput is 1 / mean latency.
                let mut latencies = vec![Vec::with_capacity(requests); n];
                for j in 0..requests {
                    for k in 0..n {
                        let i = (j + k) % n;
                        let t = Instant::now();
                        callers[i].call().await?;
                        latencies[i].push(t.elapsed().as_secs_f64() * 1e6);
                    }
                }
                for (i, l) in latencies.iter().enumerate() {
                    throughput[i].push(l.len() as f64 / (l.iter().sum::<f64>() / 1e6));
                    p50[i].push(percentile(l, 50.0));
                    p99[i].push(percentile(l, 99.0));
                }
                journal.clear();
                continue;
            }
            for k in 0..n {
                let i = (round + k) % n;
                let (latencies, secs) = batch(callers[i].clone(), concurrency, requests).await?;
                throughput[i].push(latencies.len() as f64 / secs);
                p50[i].push(percentile(&latencies, 50.0));
                p99[i].push(percentile(&latencies, 99.0));
                journal.clear();
            }
        }
        Ok(OverheadResult {
            concurrency,
            requests,
            rounds: config.rounds.max(1),
            rows: Variant::ALL
                .iter()
                .enumerate()
                .map(|(i, v)| OverheadRow {
                    variant: *v,
                    throughput: median(&throughput[i]),
                    p50_us: median(&p50[i]),
                    p99_us: median(&p99[i]),
                })
                .collect(),
        })
    })
}

/// Connections a server accepted for sequential calls from one caller.
#[derive(Debug, Clone)]
pub struct ReuseResult {
    /// Who called.
    pub variant: Variant,
    /// Sequential calls.
    pub calls: usize,
    /// TCP connections the server accepted.
    pub connections: usize,
    /// The calls (0-based) after which the server had accepted a new connection.
    pub opened_at: Vec<usize>,
}

/// `config.reuse_calls` sequential calls from one client (and from hand-written reqwest), each
/// against a fresh server; counts the connections each server accepted.
pub fn reuse(config: &Config) -> Result<Vec<ReuseResult>, String> {
    [Variant::Client, Variant::ReqwestTyped]
        .into_iter()
        .map(|variant| {
            let env = Env::start()?;
            let caller = env.caller(variant, RetryPolicy::default())?;
            let opened_at = env.client_rt.block_on(async {
                let mut opened_at = Vec::new();
                let mut seen = 0;
                for i in 0..config.reuse_calls {
                    caller.call().await?;
                    if env.connections() > seen {
                        seen = env.connections();
                        opened_at.push(i);
                    }
                }
                Ok::<_, String>(opened_at)
            })?;
            Ok(ReuseResult {
                variant,
                calls: config.reuse_calls,
                connections: env.connections(),
                opened_at,
            })
        })
        .collect()
}

/// The retry-cost figures (all times in milliseconds).
#[derive(Debug, Clone)]
pub struct RetryResult {
    /// Configured backoff base (= cap): the first retry waits uniformly in `[0, base)`.
    pub base_delay_ms: f64,
    /// Samples of each kind.
    pub samples: usize,
    /// Median latency of a plain call (200 at once).
    pub plain_median_ms: f64,
    /// Mean extra latency of a 503-then-200 call with the backoff, over the plain median.
    pub backoff_extra_mean_ms: f64,
    /// Median of the same.
    pub backoff_extra_median_ms: f64,
    /// Largest of the same.
    pub backoff_extra_max_ms: f64,
    /// Median extra latency of a 503 carrying `Retry-After: 0` then 200: the retry's own cost.
    pub retry_after_zero_extra_median_ms: f64,
    /// Requests the server received, a check that every faulted call was retried once.
    pub server_hits: usize,
}

/// Measures the extra latency of a `503` then `200` on `sync-stock` against the configured backoff.
pub fn retry(config: &Config) -> Result<RetryResult, String> {
    let env = Env::start()?;
    let base = config.retry_base_delay;
    let policy = RetryPolicy::default().with_backoff(base, base);
    let caller = env.caller(Variant::Client, policy)?;
    let faults = env.server.faults();
    let samples = config.retry_samples.max(1);
    let (plain, backoff, zero) = env.client_rt.block_on(async {
        caller.call().await?;
        let (mut plain, mut backoff, mut zero) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..samples {
            let t = Instant::now();
            caller.call().await?;
            plain.push(t.elapsed().as_secs_f64() * 1e3);

            faults.inject(SYNC_STOCK_PATH, Fault::status(503));
            let t = Instant::now();
            caller.call().await?;
            backoff.push(t.elapsed().as_secs_f64() * 1e3);

            faults.inject(SYNC_STOCK_PATH, Fault::status_with_retry_after(503, "0"));
            let t = Instant::now();
            caller.call().await?;
            zero.push(t.elapsed().as_secs_f64() * 1e3);
        }
        Ok::<_, String>((plain, backoff, zero))
    })?;
    let server_hits = env.server.journal().hits(SYNC_STOCK_PATH);
    let expected = 1 + samples * 5;
    if server_hits != expected {
        return Err(format!(
            "expected {expected} requests at the server (each faulted call retried once), got {server_hits}"
        ));
    }
    let plain_median = median(&plain);
    let extra: Vec<f64> = backoff.iter().map(|b| b - plain_median).collect();
    Ok(RetryResult {
        base_delay_ms: base.as_secs_f64() * 1e3,
        samples,
        plain_median_ms: plain_median,
        backoff_extra_mean_ms: mean(&extra),
        backoff_extra_median_ms: median(&extra),
        backoff_extra_max_ms: max(&extra),
        retry_after_zero_extra_median_ms: median(&zero) - plain_median,
        server_hits,
    })
}
