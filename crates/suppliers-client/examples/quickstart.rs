//! Placeholder: the quickstart follows.
fn main() {}
