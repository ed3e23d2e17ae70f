//! Runs every measurement at a tiny size and checks the numbers are sane. No timing assertions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pos_bench::{Config, report, run_all};

#[test]
fn every_measurement_runs_and_gives_sane_numbers() {
    let config = Config::smoke();
    let r = run_all(&config).unwrap();

    assert_eq!(r.overhead.len(), 2);
    for o in &r.overhead {
        assert_eq!(o.rows.len(), 3);
        for row in &o.rows {
            assert!(
                row.throughput.is_finite() && row.throughput > 0.0,
                "{row:?}"
            );
            assert!(row.p50_us > 0.0 && row.p99_us >= row.p50_us, "{row:?}");
        }
    }

    // CloudMA sync-stock, NOOM ODOC_GETDOC, CloudOnex customers, CloudPOS get-products,
    // Suppliers list.
    assert_eq!(r.decode.len(), 5);
    for d in &r.decode {
        assert!(d.body_bytes > 0);
        assert!(d.rows.len() >= 2, "{d:?}");
        for row in &d.rows {
            assert_eq!(row.items, d.items, "{} decoded every item", row.variant);
            assert!(row.median_ms > 0.0, "{row:?}");
            assert!(row.peak_bytes > 0, "{row:?}");
        }
    }

    // Usually one pooled connection; hyper-util's pool may open a spare one when a call starts
    // before the previous connection is back in the pool (see docs/benchmarks.md), so only
    // bounds are asserted here.
    for u in &r.reuse {
        assert_eq!(u.calls, config.reuse_calls);
        assert!(u.connections >= 1 && u.connections < u.calls, "{u:?}");
        assert_eq!(u.opened_at.first(), Some(&0), "{u:?}");
        assert_eq!(u.opened_at.len(), u.connections, "{u:?}");
    }

    let t = &r.retry;
    assert_eq!(t.server_hits, 1 + 5 * config.retry_samples);
    assert!(t.plain_median_ms > 0.0);
    assert!(t.backoff_extra_max_ms.is_finite());

    let (goals, md) = report::markdown(&r);
    assert!(goals.len() >= 8, "{goals:?}");
    for heading in [
        "## 1. Request overhead",
        "## 2. Decode",
        "## 3. Connection reuse",
        "## 4. Retry cost",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
}
