//! `[[newtype]]` entries: the generated checked texts (`fixtures/params_models.rs`), and the
//! spec errors.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[rustfmt::skip]
#[path = "fixtures/params_models.rs"]
#[allow(dead_code, missing_docs)]
mod params_models;

use params_models::{Note, ShortCode};
use xtask::codegen::{self, CodegenError};

/// The validation message of a refused text.
fn refused(
    result: Result<ShortCode, pos_client_core::Error<params_models::FixtureCode>>,
) -> String {
    let e = result.unwrap_err();
    assert!(e.is_validation(), "{e:?}");
    e.to_string()
}

#[test]
fn a_newtype_is_checked_when_made_and_reads_back_its_text() {
    let code = ShortCode::new("2T").unwrap();
    assert_eq!(code.as_str(), "2T");
    assert_eq!(code.to_string(), "2T");
    assert_eq!(AsRef::<str>::as_ref(&code), "2T");
    assert_eq!("2T".parse::<ShortCode>().unwrap(), code);
    assert_eq!(ShortCode::try_from("2T").unwrap(), code);
    assert_eq!(ShortCode::try_from(String::from("2T")).unwrap(), code);
    assert!(ShortCode::new("ABC").is_ok());

    for bad in ["", "  ", "ABCD", "2 T", "2\n", "\t"] {
        let message = refused(ShortCode::new(bad));
        assert!(message.contains("short code"), "{bad:?}: {message}");
    }
    assert!(refused("ABCD".parse()).contains("short code"));
    assert!(refused(ShortCode::try_from("")).contains("short code"));

    // The default charset (text) allows spaces, not control characters; max_len counts
    // characters, not bytes.
    assert_eq!(Note::new("a b").unwrap().as_str(), "a b");
    assert!(Note::new("ääääá").is_ok());
    assert!(Note::new("a\nb").is_err());
    assert!(Note::new("abcdef").is_err());
    assert!(Note::new(" ").is_err());
}

#[test]
fn newtype_spec_errors() {
    let text = r#"vendor = "bad"
doc = "Bad."

[[enum]]
name = "Kind"
doc = "A kind."
variant = [ { name = "A", wire = "a", doc = "A." } ]

[[newtype]]
name = "Kind"
label = "kind"
max_len = 0
doc = "Taken."

[[newtype]]
name = "lower"
label = ""
max_len = 2
doc = "Bad name, no label."
"#;
    let errors = match codegen::generate_source("docs/specs/bad.toml", text, Some("bad")) {
        Err(CodegenError::Spec(diags)) => diags.iter().map(ToString::to_string).collect::<Vec<_>>(),
        other => panic!("expected spec errors, got {other:?}"),
    };
    assert_eq!(
        errors,
        [
            "docs/specs/bad.toml:10:8: newtype `Kind`: the name is taken",
            "docs/specs/bad.toml:10:8: newtype `Kind`: needs the file's [codes] (its error type)",
            "docs/specs/bad.toml:12:11: newtype `Kind`: max_len must be at least 1",
            "docs/specs/bad.toml:16:8: newtype `lower`: not an UpperCamelCase name",
            "docs/specs/bad.toml:16:8: newtype `lower`: needs a label and a doc",
            "docs/specs/bad.toml:16:8: newtype `lower`: needs the file's [codes] (its error type)",
        ]
    );
}
