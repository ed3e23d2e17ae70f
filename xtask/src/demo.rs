//! `cargo xtask demo`: runs each vendor's `examples/quickstart.rs` against its embedded sandbox.

use std::path::Path;
use std::process::Command;

/// The vendor crates, in the order the demo runs them.
pub const VENDORS: [&str; 5] = ["cloudma", "cloudpos", "cloudonex", "noom", "suppliers"];

/// The outcome of one vendor's quickstart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The quickstart exited successfully.
    Passed,
    /// The quickstart failed (or could not be started), with a short reason.
    Failed(String),
    /// The crate has no `examples/quickstart.rs` yet.
    NoQuickstart,
}

/// The environment variable that points a vendor's quickstart at a real server.
pub fn base_url_var(vendor: &str) -> String {
    format!("{}_BASE_URL", vendor.to_ascii_uppercase())
}

/// Whether `crates/<vendor>-client/examples/quickstart.rs` exists.
pub fn has_quickstart(root: &Path, vendor: &str) -> bool {
    root.join("crates")
        .join(format!("{vendor}-client"))
        .join("examples/quickstart.rs")
        .is_file()
}

/// Runs one vendor's quickstart (example target `<vendor>_quickstart`) with its
/// `<VENDOR>_BASE_URL` removed, so it uses the sandbox.
/// Its output goes straight to this process's stdout and stderr.
pub fn run_vendor(root: &Path, vendor: &str) -> Outcome {
    let package = format!("{vendor}-client");
    if !has_quickstart(root, vendor) {
        return Outcome::NoQuickstart;
    }
    let example = format!("{vendor}_quickstart");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "-p",
            &package,
            "--example",
            &example,
            "--features",
            "sandbox",
        ])
        .env_remove(base_url_var(vendor))
        .status();
    match status {
        Ok(s) if s.success() => Outcome::Passed,
        Ok(s) => Outcome::Failed(format!("exited with {s}")),
        Err(e) => Outcome::Failed(format!("could not run cargo: {e}")),
    }
}

/// The command entry: runs every vendor and returns the exit code (1 if any quickstart failed).
pub fn main(root: &Path) -> i32 {
    let mut passed = Vec::new();
    let mut failed = Vec::new();
    let mut missing = Vec::new();
    for vendor in VENDORS {
        let package = format!("{vendor}-client");
        if has_quickstart(root, vendor) {
            println!("==> {package}: quickstart against the sandbox");
        }
        match run_vendor(root, vendor) {
            Outcome::Passed => {
                println!("<== {package}: ok\n");
                passed.push(package);
            }
            Outcome::Failed(why) => {
                println!("<== {package}: FAILED ({why})\n");
                failed.push(package);
            }
            Outcome::NoQuickstart => {
                println!("{package}: no quickstart yet");
                missing.push(package);
            }
        }
    }
    let mut summary = format!(
        "demo: {} passed, {} failed, {} without a quickstart",
        passed.len(),
        failed.len(),
        missing.len()
    );
    if !failed.is_empty() {
        summary.push_str(&format!(" (failed: {})", failed.join(", ")));
    }
    println!("{summary}");
    i32::from(!failed.is_empty())
}
