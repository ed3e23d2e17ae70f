//! Project automation behind `cargo xtask` (see the binary for the command line):
//!
//! - [`codegen`]: spec notes (`docs/specs/<vendor>.toml`) to each vendor crate's `models.rs`;
//! - [`demo`]: runs every vendor's quickstart against its embedded sandbox;
//! - [`bench`](mod@bench): runs the benchmarks (`pos-bench`, clean builds) and writes `docs/benchmarks.md`;
//! - [`reliability`]: runs the fault matrix and the decoder mutation test of every vendor and
//!   writes `docs/reliability.md`.
//!
//! The library exists so the tests in `xtask/tests/` can drive the same code as the command.

pub mod bench;
pub mod codegen;
pub mod demo;
pub mod reliability;

use std::path::{Path, PathBuf};

/// The repository root (the parent of the `xtask` directory).
pub fn project_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .map_or_else(|| manifest.to_path_buf(), Path::to_path_buf)
}

/// The command-line usage text.
pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   generate crates/<vendor>-client/src/models.rs from docs/specs/<vendor>.toml
                      (--check: write nothing, list stale files, exit 1 if any)
  demo                run every vendor's examples/quickstart.rs against its sandbox
  bench [--no-build-cost] [--smoke] [--repeat N]
                      run the benchmarks side by side and rewrite docs/benchmarks.md
                      (--no-build-cost: skip the clean builds; --smoke: tiny sizes, print only)
  reliability         every operation of every vendor under every fault, every decoder under
                      seeded mutation; rewrite docs/reliability.md";

/// Runs a command line (without the program name) and returns the exit code.
pub fn run(args: &[String]) -> i32 {
    let root = project_root();
    match args.split_first() {
        Some((cmd, rest)) if cmd == "codegen" => codegen::main(&root, rest),
        Some((cmd, rest)) if cmd == "demo" => match rest.first() {
            None => demo::main(&root),
            Some(arg) => {
                eprintln!("cargo xtask demo: unknown argument `{arg}`\n\n{USAGE}");
                2
            }
        },
        Some((cmd, rest)) if cmd == "bench" => bench::main(&root, rest),
        Some((cmd, rest)) if cmd == "reliability" => reliability::main(&root, rest),
        Some((cmd, _)) => {
            eprintln!("cargo xtask: unknown command `{cmd}`\n\n{USAGE}");
            2
        }
        None => {
            eprintln!("{USAGE}");
            2
        }
    }
}
