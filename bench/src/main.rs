//! `pos-bench`: runs every measurement and prints goal lines and Markdown sections.
//!
//! Usage: `pos-bench [--smoke]`. Normally run through `cargo xtask bench`, which writes
//! `docs/benchmarks.md`. `pos-bench --profile-decode N` decodes the 100,000-product body with the
//! client's models N times and nothing else, for `perf record`; `--profile-client N [C]` and
//! `--profile-reqwest N [C]` send N requests at concurrency C (default 32) from the client or
//! from hand-written reqwest. `--profile-decode-cloudonex N` runs only the CloudOnex
//! customers-list comparison (10,000 customers, N interleaved runs) and prints its rows;
//! `--profile-decode-suppliers N` does the same for the Suppliers `GET suppliers` page (10,000
//! suppliers).

use pos_bench::{Config, report, run_all};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match args.first().map(String::as_str) {
        None => Config::full(),
        Some("--smoke") => Config::smoke(),
        Some(flag @ ("--profile-client" | "--profile-reqwest")) => {
            let variant = if flag == "--profile-client" {
                pos_bench::http::Variant::Client
            } else {
                pos_bench::http::Variant::ReqwestTyped
            };
            let runs = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
            let concurrency = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(32);
            match pos_bench::http::profile_requests(variant, concurrency, runs) {
                Ok(n) => println!("{n} requests"),
                Err(e) => {
                    eprintln!("pos-bench: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        Some("--profile-decode") => {
            let runs = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(50);
            match pos_bench::decode::profile_client_stock(Config::full().products, runs) {
                Ok(items) => println!("decoded {items} products {runs} times"),
                Err(e) => {
                    eprintln!("pos-bench: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        Some(flag @ ("--profile-decode-cloudonex" | "--profile-decode-suppliers")) => {
            let runs = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
            let result = if flag == "--profile-decode-cloudonex" {
                pos_bench::decode::cloudonex(10_000, runs)
            } else {
                pos_bench::decode::suppliers(Config::full().suppliers, runs)
            };
            match result {
                Ok(result) => print_decode(&result, runs),
                Err(e) => {
                    eprintln!("pos-bench: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        Some(other) => {
            eprintln!("pos-bench: unknown argument `{other}`\nusage: pos-bench [--smoke]");
            std::process::exit(2);
        }
    };
    match run_all(&config) {
        Ok(results) => {
            let (goals, md) = report::markdown(&results);
            for goal in &goals {
                println!("{}", goal.line());
            }
            println!("@@sections");
            print!("{md}");
        }
        Err(e) => {
            eprintln!("pos-bench: {e}");
            std::process::exit(1);
        }
    }
}

/// Prints one decode comparison: each row's median time, its ratio to the plain struct (the
/// second row) and its peak heap as a multiple of the body.
fn print_decode(result: &pos_bench::decode::DecodeResult, runs: usize) {
    let body = result.body_bytes as f64;
    let base = result.rows.get(1).map_or(f64::NAN, |r| r.median_ms);
    println!("{} ({} bytes, {runs} runs)", result.name, result.body_bytes);
    for row in &result.rows {
        println!(
            "{:>8.3} ms  {:>5.2}x plain  peak {:>5.2}x body  {}",
            row.median_ms,
            row.median_ms / base,
            row.peak_bytes as f64 / body,
            row.variant
        );
    }
}
