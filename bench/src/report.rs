//! Markdown for `docs/benchmarks.md`, and the goal lines the xtask gathers into its summary.

use std::fmt::Write as _;

use crate::Results;
use crate::http::Variant;

/// One goal of the issue and whether this run met it.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// What is measured.
    pub what: String,
    /// The goal.
    pub target: String,
    /// What this run measured.
    pub measured: String,
    /// Whether the goal is met.
    pub met: bool,
}

impl Goal {
    /// The line `pos-bench` prints for the xtask: `@@goal|what|target|measured|yes` (or `no`).
    pub fn line(&self) -> String {
        format!(
            "@@goal|{}|{}|{}|{}",
            self.what,
            self.target,
            self.measured,
            if self.met { "yes" } else { "no" }
        )
    }

    /// Parses a [`Goal::line`].
    pub fn parse(line: &str) -> Option<Goal> {
        let mut parts = line.strip_prefix("@@goal|")?.split('|');
        let (what, target, measured, met) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        Some(Goal {
            what: what.to_owned(),
            target: target.to_owned(),
            measured: measured.to_owned(),
            met: met == "yes",
        })
    }
}

/// `1234567` as `"1.23 MB"` (10^6 bytes).
pub fn mb(bytes: usize) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

/// The goals and the Markdown sections (request overhead, decode, reuse, retry) of a run.
pub fn markdown(r: &Results) -> (Vec<Goal>, String) {
    let mut goals = Vec::new();
    let mut md = String::new();

    // 1. Request overhead.
    let _ = writeln!(
        md,
        "## 1. Request overhead (loopback, CloudMA `sync-stock`)\n"
    );
    let _ = writeln!(
        md,
        "One sandbox-kit server on 127.0.0.1 answers `POST /api/sync-stock` with a fixed \
         {}-byte body (10 products). Each variant sends the same request (form body \
         `token=…`, `Accept: application/json`) through its own pooled client; the hand-written \
         calls read the body and `serde_json::from_slice` it. Server and callers each run on a \
         one-worker tokio runtime. At concurrency 1 the variants alternate call by call and \
         throughput is 1 / mean latency; at 32, each variant runs 32 tasks for its batch in turn, \
         each round starting with a different variant. Each figure is the median over {} rounds \
         (per round: {} requests per variant at concurrency 1, {} at 32, after a warm-up). \
         Ratio = throughput / hand-written typed throughput.\n",
        crate::fixtures::small_stock_body().len(),
        r.config.rounds,
        r.config.requests_c1,
        r.config.requests_c32,
    );
    for o in &r.overhead {
        let _ = writeln!(md, "Concurrency {}:\n", o.concurrency);
        let _ = writeln!(
            md,
            "| caller | throughput (req/s) | p50 (µs) | p99 (µs) | ratio to typed |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---:|");
        let base = o
            .rows
            .iter()
            .find(|row| row.variant == Variant::ReqwestTyped)
            .map_or(1.0, |row| row.throughput);
        for row in &o.rows {
            let _ = writeln!(
                md,
                "| {} | {:.0} | {:.0} | {:.0} | {:.3}× |",
                row.variant.label(),
                row.throughput,
                row.p50_us,
                row.p99_us,
                row.throughput / base
            );
        }
        md.push('\n');
        let get = |v: Variant| {
            o.rows
                .iter()
                .find(|row| row.variant == v)
                .map_or(0.0, |row| row.throughput)
        };
        let (client, typed, value) = (
            get(Variant::Client),
            get(Variant::ReqwestTyped),
            get(Variant::ReqwestValue),
        );
        goals.push(Goal {
            what: format!(
                "Request overhead, concurrency {}: client vs hand-written typed",
                o.concurrency
            ),
            target: "≥ 0.95× throughput".to_owned(),
            measured: format!("{:.3}×", client / typed),
            met: client / typed >= 0.95,
        });
        goals.push(Goal {
            what: format!(
                "Request overhead, concurrency {}: client vs hand-written `Value`",
                o.concurrency
            ),
            target: "faster (> 1.00×)".to_owned(),
            measured: format!("{:.3}×", client / value),
            met: client > value,
        });
    }

    // 2. Decode.
    let _ = writeln!(md, "## 2. Decode\n");
    let _ = writeln!(
        md,
        "`serde_json::from_slice` on a body already in memory; wall time of the decode alone \
         (the drop of the result is not timed) and the peak heap growth during it, counted by \
         the `peak_alloc` global allocator (requested bytes; a `realloc` counts old and new \
         block until the copy is done, a pessimistic reading). Medians over {} runs, variants \
         interleaved, after one unmeasured pass.\n",
        r.config.decode_runs
    );
    for d in &r.decode {
        let _ = writeln!(
            md,
            "{}: body {} ({} items).\n",
            d.name,
            mb(d.body_bytes),
            d.items
        );
        let _ = writeln!(
            md,
            "| decoder | time (ms) | ratio to plain | peak heap | peak / body |"
        );
        let _ = writeln!(md, "|---|---:|---:|---:|---:|");
        let plain = d
            .rows
            .iter()
            .find(|row| row.variant.starts_with("plain"))
            .map_or(1.0, |row| row.median_ms);
        for row in &d.rows {
            let _ = writeln!(
                md,
                "| {} | {:.2} | {:.2}× | {} | {:.2}× |",
                row.variant,
                row.median_ms,
                row.median_ms / plain,
                mb(row.peak_bytes),
                row.peak_bytes as f64 / d.body_bytes as f64
            );
        }
        md.push('\n');
        if let Some(client) = d.rows.iter().find(|row| {
            !row.variant.starts_with("plain") && !row.variant.starts_with("`serde_json")
        }) {
            let ratio = client.median_ms / plain;
            goals.push(Goal {
                what: format!("Decode time, {}: client vs plain struct", d.name),
                target: "≤ 1.3×".to_owned(),
                measured: format!("{ratio:.2}×"),
                met: ratio <= 1.3,
            });
            let mem = client.peak_bytes as f64 / d.body_bytes as f64;
            goals.push(Goal {
                what: format!("Decode peak heap, {}: client", d.name),
                target: "≤ 3× body".to_owned(),
                measured: format!("{mem:.2}× ({})", mb(client.peak_bytes)),
                met: mem <= 3.0,
            });
        }
    }

    // 3. Connection reuse.
    let _ = writeln!(md, "## 3. Connection reuse\n");
    let _ = writeln!(
        md,
        "Sequential `sync-stock` calls from one client against a fresh sandbox server; the kit \
         counts the TCP connections it accepted.\n"
    );
    let _ = writeln!(
        md,
        "| caller | calls | connections accepted | opened during call no. |"
    );
    let _ = writeln!(md, "|---|---:|---:|---|");
    for u in &r.reuse {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} |",
            u.variant.label(),
            u.calls,
            u.connections,
            u.opened_at
                .iter()
                .map(|i| (i + 1).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if u.variant == Variant::Client {
            goals.push(Goal {
                what: format!("Connection reuse: {} sequential calls", u.calls),
                target: "1 connection".to_owned(),
                measured: u.connections.to_string(),
                met: u.connections == 1,
            });
        }
    }
    md.push('\n');

    // 4. Retry cost.
    let t = &r.retry;
    let _ = writeln!(md, "## 4. Retry cost\n");
    let _ = writeln!(
        md,
        "The client with `RetryPolicy::default().with_backoff({b} ms, {b} ms)`: the first retry \
         waits a full-jitter delay, uniform in [0, {b} ms) — {h} ms on average. The kit answers \
         the first request of a call with 503 (then the handler answers 200); a second kind \
         of call gets 503 with `Retry-After: 0`, which the client honours instead of the \
         backoff, so its extra latency is the retry's own cost. Extra = call latency − median \
         plain call latency ({p:.2} ms); {s} samples of each kind, interleaved. The server saw \
         {hits} requests (every faulted call was retried exactly once).\n",
        b = t.base_delay_ms,
        h = t.base_delay_ms / 2.0,
        p = t.plain_median_ms,
        s = t.samples,
        hits = t.server_hits,
    );
    let _ = writeln!(md, "| 503 then 200 | configured | measured extra latency |");
    let _ = writeln!(md, "|---|---|---:|");
    let _ = writeln!(
        md,
        "| with backoff: mean | expected mean {:.1} ms | {:.2} ms |",
        t.base_delay_ms / 2.0,
        t.backoff_extra_mean_ms
    );
    let _ = writeln!(
        md,
        "| with backoff: median | expected median {:.1} ms | {:.2} ms |",
        t.base_delay_ms / 2.0,
        t.backoff_extra_median_ms
    );
    let _ = writeln!(
        md,
        "| with backoff: max | ceiling {:.1} ms | {:.2} ms |",
        t.base_delay_ms, t.backoff_extra_max_ms
    );
    let _ = writeln!(
        md,
        "| `Retry-After: 0`: median | 0 ms wait | {:.2} ms |",
        t.retry_after_zero_extra_median_ms
    );
    md.push('\n');
    goals.push(Goal {
        what: "Retry cost: 503 then 200, extra latency beyond the wait".to_owned(),
        target: "≤ 2 ms (one more round trip)".to_owned(),
        measured: format!("{:.2} ms", t.retry_after_zero_extra_median_ms),
        met: t.retry_after_zero_extra_median_ms <= 2.0,
    });
    // Full jitter: uniform in [0, base), so the mean of n samples has a standard error of
    // base / sqrt(12 n); tokio's timer adds up to 1 ms (it rounds sleeps up to its tick).
    let se = t.base_delay_ms / (12.0 * t.samples as f64).sqrt();
    let tolerance = 2.0 * se + 1.0;
    let expected = t.base_delay_ms / 2.0;
    goals.push(Goal {
        what: format!(
            "Retry cost: backoff {} ms (full jitter), mean extra latency",
            t.base_delay_ms
        ),
        target: format!("{expected:.1} ms ± {tolerance:.1} ms (2 std. errors + 1 ms timer tick)"),
        measured: format!("{:.2} ms", t.backoff_extra_mean_ms),
        met: (t.backoff_extra_mean_ms - expected).abs() <= tolerance,
    });

    (goals, md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn goal_lines_round_trip() {
        let g = Goal {
            what: "a".into(),
            target: "≤ 1.3×".into(),
            measured: "1.10×".into(),
            met: true,
        };
        assert_eq!(Goal::parse(&g.line()), Some(g));
        assert_eq!(Goal::parse("## heading"), None);
        assert_eq!(mb(5_432_100), "5.43 MB");
    }
}
