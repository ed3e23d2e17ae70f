//! `cargo xtask`: project automation. Run `cargo xtask` for the list of commands.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(xtask::run(&args));
}
