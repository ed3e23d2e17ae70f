//! NOOM quickstart (work in progress).
fn main() {}
