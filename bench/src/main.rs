//! `pos-bench`: runs every measurement and prints goal lines and Markdown sections.
//!
//! Usage: `pos-bench [--smoke]`. Normally run through `cargo xtask bench`, which writes
//! `docs/benchmarks.md`.

use pos_bench::{Config, report, run_all};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match args.first().map(String::as_str) {
        None => Config::full(),
        Some("--smoke") => Config::smoke(),
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
