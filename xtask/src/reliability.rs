//! `cargo xtask reliability`: runs the reliability suite of every vendor (the fault matrix and
//! the decoder mutation test, `reliability/`) and rewrites `docs/reliability.md`.

use std::path::Path;
use std::process::{Command, Stdio};

/// The command entry.
pub fn main(root: &Path, args: &[String]) -> i32 {
    if let Some(arg) = args.first() {
        eprintln!(
            "cargo xtask reliability: unknown argument `{arg}`\n\n{}",
            crate::USAGE
        );
        return 2;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let out = Command::new(cargo)
        .current_dir(root)
        .args(["run", "--release", "-p", "pos-reliability"])
        .stderr(Stdio::inherit())
        .output();
    let out = match out {
        Ok(out) if out.status.success() => out,
        Ok(out) => {
            eprintln!(
                "cargo xtask reliability: pos-reliability failed ({})",
                out.status
            );
            return 1;
        }
        Err(e) => {
            eprintln!("cargo xtask reliability: cannot run cargo: {e}");
            return 1;
        }
    };
    let path = root.join("docs/reliability.md");
    if let Err(e) = std::fs::write(&path, &out.stdout) {
        eprintln!("cargo xtask reliability: {}: {e}", path.display());
        return 1;
    }
    println!("wrote {}", path.display());
    0
}
