//! `pos-bench`: runs every measurement and prints goal lines and Markdown sections.
//!
//! Usage: `pos-bench [--smoke]`. Normally run through `cargo xtask bench`, which writes
//! `docs/benchmarks.md`. `pos-bench --profile-decode N` decodes the 100,000-product body with the
//! client's models N times and nothing else, for `perf record`; `--profile-client N [C]` and
//! `--profile-reqwest N [C]` send N requests at concurrency C (default 32) from the client or
//! from hand-written reqwest. `--profile-decode-cloudonex N` runs only the CloudOnex
//! customers-list comparison (10,000 customers, N interleaved runs) and prints its rows;
//! `--profile-decode-suppliers N` does the same for the Suppliers `GET suppliers` page (10,000
//! suppliers), `--profile-decode-noom N` for NOOM `ODOC_GETDOC` (5,000 rows),
//! `--profile-decode-cloudpos N` for CloudPOS `get-products` (10,000 products) and
//! `--profile-decode-cloudma N` for CloudMA `sync-stock` (100,000 products).
//! `--profile-client-noom N` and `--profile-client-cloudpos N` decode those bodies N times as
//! the client does and nothing else, like `--profile-decode` for CloudMA.

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
        Some("--profile-compare") => {
            let concurrency = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(32);
            let runs = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(5);
            if let Err(e) = compare(concurrency, runs) {
                eprintln!("pos-bench: {e}");
                std::process::exit(1);
            }
            return;
        }
        Some(
            flag @ ("--profile-decode" | "--profile-client-noom" | "--profile-client-cloudpos"),
        ) => {
            let runs = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(50);
            let result = match flag {
                "--profile-client-noom" => {
                    pos_bench::decode::profile_client_noom(Config::full().noom_rows, runs)
                }
                "--profile-client-cloudpos" => {
                    pos_bench::decode::profile_client_cloudpos(10_000, runs)
                }
                _ => pos_bench::decode::profile_client_stock(Config::full().products, runs),
            };
            match result {
                Ok(items) => println!("decoded {items} items {runs} times"),
                Err(e) => {
                    eprintln!("pos-bench: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        Some(
            flag @ ("--profile-decode-cloudonex"
            | "--profile-decode-suppliers"
            | "--profile-decode-noom"
            | "--profile-decode-cloudpos"
            | "--profile-decode-cloudma"),
        ) => {
            let runs = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(20);
            let full = Config::full();
            let result = match flag {
                "--profile-decode-cloudonex" => pos_bench::decode::cloudonex(10_000, runs),
                "--profile-decode-noom" => pos_bench::decode::noom(full.noom_rows, runs),
                "--profile-decode-cloudpos" => pos_bench::decode::cloudpos(10_000, runs),
                "--profile-decode-cloudma" => pos_bench::decode::stock(full.products, runs),
                _ => pos_bench::decode::suppliers(full.suppliers, runs),
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
/// first row whose label starts with "plain") and its peak heap as a multiple of the body.
fn print_decode(result: &pos_bench::decode::DecodeResult, runs: usize) {
    let body = result.body_bytes as f64;
    let base = result
        .rows
        .iter()
        .find(|r| r.variant.starts_with("plain"))
        .map_or(f64::NAN, |r| r.median_ms);
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

/// `runs` request-overhead comparisons at `concurrency` with the full configuration: one line
/// per run (throughputs and the client's ratios to both hand-written calls), then the medians.
fn compare(concurrency: usize, runs: usize) -> Result<(), String> {
    use pos_bench::http::{Env, overhead};
    let config = Config::full();
    let requests = if concurrency == 1 {
        config.requests_c1
    } else {
        config.requests_c32
    };
    let (mut typed, mut value) = (Vec::new(), Vec::new());
    for run in 1..=runs.max(1) {
        let env = Env::start()?;
        let result = overhead(&env, &config, concurrency, requests)?;
        let [client, t, v] = [0, 1, 2].map(|i| result.rows[i].throughput);
        typed.push(client / t);
        value.push(client / v);
        println!(
            "run {run}: client {client:.0} req/s, typed {t:.0}, Value {v:.0}; client/typed {:.3}x, client/Value {:.3}x",
            client / t,
            client / v
        );
    }
    println!(
        "median of {}: client/typed {:.3}x ({:.3}-{:.3}), client/Value {:.3}x ({:.3}-{:.3})",
        typed.len(),
        pos_bench::stats::median(&typed),
        typed.iter().copied().fold(f64::INFINITY, f64::min),
        pos_bench::stats::max(&typed),
        pos_bench::stats::median(&value),
        value.iter().copied().fold(f64::INFINITY, f64::min),
        pos_bench::stats::max(&value),
    );
    Ok(())
}
