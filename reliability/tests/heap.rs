//! Heap after load (issue 13 item 3): a burst of 200 read calls with faults through each
//! vendor's client leaves the heap where it was (200: within CloudPOS's documented 500 requests
//! a day, which its sandbox enforces; the 1,000-call bursts are each crate's tests/load.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[global_allocator]
static ALLOC: peak_alloc::PeakAlloc = peak_alloc::PeakAlloc;

/// What may stay after the burst: allocator noise, the sandbox's own growth (its journal is
/// cleared), lazily grown tables of the runtime.
const TOLERANCE: i64 = 512 * 1024;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heap_goes_back_after_a_burst_with_faults() {
    for vendor in pos_reliability::VENDORS {
        let report = pos_reliability::heap::burst(
            vendor,
            200,
            &|| ALLOC.current_usage(),
            &|| ALLOC.reset_peak_usage(),
            &|| ALLOC.peak_usage(),
        )
        .await
        .unwrap();
        println!("{report:?}");
        assert!(
            report.errors < report.calls / 10,
            "reads recover: {report:?}"
        );
        assert!(report.peak > report.before, "{report:?}");
        assert!(
            report.growth() < TOLERANCE,
            "{vendor}: the heap grew: {report:?}"
        );
    }
}
