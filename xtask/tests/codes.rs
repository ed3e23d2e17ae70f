//! `[codes]`: the generated vendor code enum, and the checks of the table.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[rustfmt::skip]
#[path = "fixtures/params_models.rs"]
#[allow(dead_code, missing_docs)]
mod params_models;

use params_models::FixtureCode;
use pos_client_core::{CodeClass, VendorCode};
use xtask::codegen::{self, CodegenError};

#[test]
fn a_function_scoped_code_wins_over_the_unscoped_one() {
    assert_eq!(FixtureCode::known("get-a", 2), Some(FixtureCode::Empty));
    assert_eq!(FixtureCode::known("get-b", 2), Some(FixtureCode::Empty));
    assert_eq!(FixtureCode::known("get-c", 2), Some(FixtureCode::Busy));
    assert_eq!(FixtureCode::known("get-c", 1), Some(FixtureCode::BadLogin));
    // A code with fields is the crate's to build; an undocumented one is unknown.
    assert_eq!(FixtureCode::known("get-a", 3), None);
    assert_eq!(FixtureCode::known("get-a", 9), None);
    assert_eq!(FixtureCode::Blocked { until: Some(5) }.code(), 3);
    assert_eq!(FixtureCode::Unknown(9, "x".into()).code(), 9);
    assert_eq!(FixtureCode::Empty.code(), 2);
}

#[test]
fn classes_and_descriptions_come_from_the_table() {
    assert_eq!(FixtureCode::BadLogin.class(), CodeClass::Credentials);
    assert_eq!(FixtureCode::Busy.class(), CodeClass::Retryable);
    assert_eq!(FixtureCode::Empty.class(), CodeClass::Permanent);
    assert_eq!(
        FixtureCode::Blocked { until: None }.class(),
        CodeClass::LimitReached
    );
    assert_eq!(
        FixtureCode::Unknown(9, String::new()).class(),
        CodeClass::Permanent
    );
    assert_eq!(
        FixtureCode::Blocked { until: None }.description(),
        "blocked"
    );
    assert_eq!(
        FixtureCode::Unknown(9, String::new()).description(),
        "unknown error code"
    );
}

fn errors(codes: &str) -> Vec<String> {
    let text = format!("vendor = \"bad\"\ndoc = \"Bad.\"\n\n{codes}");
    match codegen::generate_source("docs/specs/bad.toml", &text, Some("bad")) {
        Err(CodegenError::Spec(diags)) => diags.iter().map(ToString::to_string).collect(),
        other => panic!("expected spec errors, got {other:?}"),
    }
}

#[test]
fn tables_that_do_not_fit_their_key_are_spec_errors() {
    let text = r#"[codes]
name = "Code"
key = "text"
doc = "Codes."

[[codes.code]]
name = "A"
text = "A"
description = "a"
doc = "A."

[[codes.code]]
name = "B"
text = "B"
aliases = ["A"]
description = "b"
doc = "B."

[[codes.code]]
name = "A"
number = 3
description = "c"
doc = "C."
"#;
    assert_eq!(
        errors(text),
        [
            "docs/specs/bad.toml:17:8: code `B`: `A` is blank, padded or listed twice",
            "docs/specs/bad.toml:23:8: code `A`: listed twice",
            "docs/specs/bad.toml:23:8: code `A`: a field of key `Number` in a table of key `Text`",
            "docs/specs/bad.toml:23:8: code `A`: needs `text`",
        ]
    );
    let message = r#"[codes]
name = "Code"
key = "message"
doc = "Codes."

[[codes.code]]
name = "Unknown"
contains = ["Invalid UID"]
description = "a"
doc = ""
"#;
    assert_eq!(
        errors(message),
        [
            "docs/specs/bad.toml:10:8: code `Unknown`: not a variant name (`Unknown` is generated)",
            "docs/specs/bad.toml:10:8: code `Unknown`: needs a doc and a description",
            "docs/specs/bad.toml:10:8: code `Unknown`: fragment `Invalid UID` must be lower-case text",
        ]
    );
}
