//! `[[operation]]` entries: generated as `OPERATIONS`, and checked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[rustfmt::skip]
#[path = "fixtures/params_models.rs"]
#[allow(dead_code, missing_docs)]
mod params_models;

use xtask::codegen::{self, CodegenError};

#[test]
fn operations_are_generated_in_spec_order() {
    let names: Vec<(&str, bool)> = params_models::OPERATIONS
        .iter()
        .map(|op| (op.name, op.write))
        .collect();
    assert_eq!(names, [("ODOC_ITEMSALE", true), ("ODOC_GETDOC", false)]);
}

#[test]
fn duplicate_and_undocumented_operations_are_spec_errors() {
    let text = r#"vendor = "bad"
doc = "Bad."

[[operation]]
name = "get"
kind = "read"
doc = "Reads."

[[operation]]
name = "get"
kind = "write"
doc = ""
"#;
    let errors = match codegen::generate_source("docs/specs/bad.toml", text, Some("bad")) {
        Err(CodegenError::Spec(diags)) => diags.iter().map(ToString::to_string).collect::<Vec<_>>(),
        other => panic!("expected spec errors, got {other:?}"),
    };
    assert_eq!(
        errors,
        [
            "docs/specs/bad.toml:10:8: operation `get`: listed twice",
            "docs/specs/bad.toml:12:7: operation `get`, field `doc`: empty doc",
        ]
    );
    let unknown_kind = text.replace("kind = \"write\"", "kind = \"maybe\"");
    assert!(matches!(
        codegen::generate_source("docs/specs/bad.toml", &unknown_kind, Some("bad")),
        Err(CodegenError::Spec(_))
    ));
}
