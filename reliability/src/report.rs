//! `docs/reliability.md`: the matrix and the mutation figures as Markdown.

use std::fmt::Write as _;

use pos_client_core::sandbox::matrix::{self, Cell};
use pos_client_core::sandbox::mutation::{self, Report};

use crate::heap::HeapReport;

/// The whole document.
pub fn markdown(cells: &[Cell], mutations: &[Report], heaps: &[HeapReport], date: &str) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Reliability\n");
    let _ = writeln!(
        md,
        "<!-- Written by `cargo xtask reliability`; edit reliability/ instead. -->\n"
    );
    let _ = writeln!(
        md,
        "What the clients promise, checked for every operation of every vendor against its \
         embedded sandbox: no panic on anything a server sends, no write sent again once it may have run, the status \
         always kept, no credential in any output. Reproduce with `cargo xtask reliability`; \
         each vendor crate's `tests/reliability.rs` asserts its own cells (the README's test \
         command runs them).\n"
    );
    let _ = writeln!(md, "- Date: {date}");
    let green = cells.iter().filter(|c| c.green()).count();
    let _ = writeln!(
        md,
        "- Fault matrix: {} cells ({} operations × {} faults), {green} green.",
        cells.len(),
        cells.len() / matrix::faults().len().max(1),
        matrix::faults().len()
    );
    let cases: usize = mutations.iter().map(|r| r.cases).sum();
    let _ = writeln!(
        md,
        "- Decoders under mutation: {cases} cases over {} vendors, {} problems.\n",
        mutations.len(),
        mutations.iter().map(|r| r.problems.len()).sum::<usize>()
    );

    let _ = writeln!(md, "## 1. Fault matrix\n");
    let _ = writeln!(
        md,
        "Each cell: a fresh sandbox, the fault injected once on the operation's own request, a \
         client with `RetryPolicy::without_delays()` and a {} ms per-attempt timeout (set \
         `POS_MATRIX_TIMEOUT_MS` on a slower machine). The cell \
         shows the outcome and the requests on the operation's route: `ok 2` = succeeded after \
         one retry; `unknown 1` = sent once, outcome unknown (the reference is in the error); \
         `503 1` = sent once, the error keeps the status. A read must retry and succeed; a write \
         must be sent once (after a 429, which proves the server did nothing, twice). A cell \
         that breaks a rule is in **bold** and listed below the table.\n",
        matrix::timeout().as_millis()
    );
    let faults: Vec<&str> = matrix::faults().iter().map(|(n, _)| *n).collect();
    let _ = writeln!(md, "| vendor | operation | kind | {} |", faults.join(" | "));
    let _ = writeln!(md, "|---|---|---|{}", "---|".repeat(faults.len()));
    for row in cells.chunks(faults.len()) {
        let Some(first) = row.first() else { continue };
        let outcomes: Vec<String> = row
            .iter()
            .map(|c| {
                if c.green() {
                    c.outcome()
                } else {
                    format!("**{}**", c.outcome())
                }
            })
            .collect();
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {} |",
            first.vendor,
            first.operation,
            if first.write { "write" } else { "read" },
            outcomes.join(" | ")
        );
    }
    let red: Vec<&Cell> = cells.iter().filter(|c| !c.green()).collect();
    if red.is_empty() {
        let _ = writeln!(md, "\nEvery cell is green.\n");
    } else {
        let _ = writeln!(md, "\nCells that break a rule, and why:\n");
        for c in red {
            let why = explanation(c).unwrap_or("**not explained: a defect to fix**");
            let _ = writeln!(
                md,
                "- {} `{}` under {}: {} — {why}",
                c.vendor,
                c.operation,
                c.fault,
                c.problems.join("; ")
            );
        }
        md.push('\n');
    }

    let _ = writeln!(md, "## 2. Decoders under mutation\n");
    let _ = writeln!(
        md,
        "Seeds: each vendor's document examples and sandbox answers. Mutations: truncation at \
         every byte, every value swapped for each other JSON type, huge, negative and \
         exponential numbers, 10,000-deep nesting, invalid UTF-8, duplicate keys, a byte-order \
         mark, seeded random bytes; decoded through the client's own protocol and models. The \
         rule: a value or a typed error, never a panic, messages of at most {} bytes without a \
         credential. The same decoders are cargo-fuzz targets in `fuzz/` (nightly, scheduled).\n",
        mutation::MAX_MESSAGE
    );
    let _ = writeln!(
        md,
        "| vendor | seeds | cases | decoded | typed errors | longest message (bytes) | problems |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for r in mutations {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            r.vendor,
            r.seeds,
            r.cases,
            r.decoded,
            r.errors,
            r.longest_message,
            if r.problems.is_empty() {
                "none".to_owned()
            } else {
                r.problems.join("; ")
            }
        );
    }
    let _ = writeln!(md, "\n## 3. Heap after load\n");
    let _ = writeln!(
        md,
        "Per vendor, 200 read calls (within CloudPOS's documented 500 requests a day, which its sandbox \
         enforces; the 1,000-call bursts with faults are each crate's `tests/load.rs`) through the client, 32 at a time, every 10th with a fault \
         (503, reset mid-body, truncated body, HTML 502, reset before the answer), each call on a \
         fresh client as the exerciser builds it; the heap (the `peak_alloc` counting allocator) \
         read after a warm-up, at its peak, and after the burst once the clients are dropped. \
         Reads only: every write stores a record in the in-process sandbox, growth by design.\n"
    );
    let _ = writeln!(
        md,
        "| vendor | calls | errors | before | peak | after | after − before |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|");
    for h in heaps {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {:.2} MB | {:.2} MB | {:.2} MB | {:+.1} KB |",
            h.vendor,
            h.calls,
            h.errors,
            h.before as f64 / 1e6,
            h.peak as f64 / 1e6,
            h.after as f64 / 1e6,
            h.growth() as f64 / 1e3
        );
    }
    md
}

/// Why a cell that breaks a rule is nonetheless right, where it is.
pub fn explanation(cell: &Cell) -> Option<&'static str> {
    match (cell.vendor, cell.operation, cell.fault) {
        ("suppliers", "suppliers delete", "reset-mid" | "truncated") if cell.error.is_none() => {
            Some(
                "the sandbox answers a delete with 204 (no body, as Laminas API Tools does): there is \
             no body to cut, so the answer is complete and the client rightly reports the delete \
             as done (one request)",
            )
        }
        _ => None,
    }
}
