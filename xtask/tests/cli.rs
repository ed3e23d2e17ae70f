//! The command line: usage, exit codes, and the demo's helpers.

use xtask::demo;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn no_or_unknown_command_is_a_usage_error() {
    assert_eq!(xtask::run(&[]), 2);
    assert_eq!(xtask::run(&args(&["frobnicate"])), 2);
    assert_eq!(xtask::run(&args(&["demo", "--fast"])), 2);
    assert_eq!(xtask::run(&args(&["codegen", "--chekc"])), 2);
    assert_eq!(xtask::run(&args(&["reliability", "--fast"])), 2);
    for command in ["codegen [--check]", "demo", "bench", "reliability"] {
        assert!(xtask::USAGE.contains(command));
    }
}

#[test]
fn bench_rejects_unknown_arguments() {
    // A real run takes minutes (release build, clean builds): only the usage error is tested here.
    assert_eq!(xtask::run(&args(&["bench", "--fast"])), 2);
}

#[test]
fn demo_knows_the_vendors_and_their_variables() {
    assert_eq!(
        demo::VENDORS,
        ["cloudma", "cloudpos", "cloudonex", "noom", "suppliers"]
    );
    assert_eq!(demo::base_url_var("cloudonex"), "CLOUDONEX_BASE_URL");
    let scratch = std::env::temp_dir().join(format!("xtask-demo-{}", std::process::id()));
    assert!(!demo::has_quickstart(&scratch, "cloudma"));
    assert_eq!(
        demo::run_vendor(&scratch, "cloudma"),
        demo::Outcome::NoQuickstart
    );
}
