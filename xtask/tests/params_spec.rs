//! Spec errors of request parameter models (`[[params]]`), each with file, line, column, model
//! and field; and the params fixture covers every rule and encoding.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;

use xtask::codegen::{self, CodegenError};

fn spec_errors(text: &str) -> Vec<String> {
    match codegen::generate_source("docs/specs/bad.toml", text, Some("bad")) {
        Err(CodegenError::Spec(diags)) => diags.iter().map(ToString::to_string).collect(),
        other => panic!("expected spec errors, got {other:?}"),
    }
}

/// A spec whose params model `Sale` has `code` on line 10 and then `fields` from line 11.
fn params_with(fields: &str) -> String {
    format!(
        r#"vendor = "bad"
doc = "Bad models."

[[enum]]
name = "Kind"
doc = "A kind."
variant = [ {{ name = "A", wire = "a", doc = "A." }} ]

[[params]]
name = "Sale"
doc = "A sale."
field = [
  {{ name = "code", type = "string", doc = "Code." }},
{fields}
]
"#
    )
}

/// Asserts one error, on `line`, mentioning every part of `parts`.
fn one_error(fields: &str, line: usize, parts: &[&str]) {
    let messages = spec_errors(&params_with(fields));
    assert_eq!(messages.len(), 1, "{messages:#?}");
    let m = &messages[0];
    assert!(
        m.starts_with(&format!("docs/specs/bad.toml:{line}:")),
        "{m}"
    );
    for part in parts {
        assert!(m.contains(part), "{m} lacks {part}");
    }
}

#[test]
fn a_valid_params_model_generates() {
    let text = params_with(
        r#"  { name = "qty", type = "decimal", positive = true, scale = 2, doc = "Qty." },"#,
    );
    let source = codegen::generate_source("docs/specs/bad.toml", &text, Some("bad")).unwrap();
    assert!(source.contains("pub struct Sale"), "{source}");
    assert!(source.contains("pub fn validate<C: ::pos_client_core::VendorCode>"));
    assert!(source.contains("::pos_client_core::validate::max_scale(\"qty\""));
}

#[test]
fn unknown_rule_names_file_line_model_and_field() {
    let messages = spec_errors(&params_with(
        r#"  { name = "qty", type = "string", max_length = 5, doc = "Qty." },"#,
    ));
    assert_eq!(messages.len(), 1, "{messages:?}");
    let m = &messages[0];
    assert!(m.starts_with("docs/specs/bad.toml:14:"), "{m}");
    assert!(m.contains("params `Sale`, entry `qty`"), "{m}");
    assert!(m.contains("max_length"), "{m}");
}

#[test]
fn unknown_encoding_and_charset_are_errors() {
    for bad in [
        r#"  { name = "qty", type = "decimal", encoding = "decimal_dot", doc = "Qty." },"#,
        r#"  { name = "qty", type = "string", charset = "ascii", doc = "Qty." },"#,
    ] {
        let messages = spec_errors(&params_with(bad));
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(
            messages[0].starts_with("docs/specs/bad.toml:14:"),
            "{}",
            messages[0]
        );
    }
}

#[test]
fn rules_must_fit_the_type() {
    let cases: [(&str, &[&str]); 8] = [
        (
            r#"  { name = "qty", type = "string", scale = 2, doc = "Qty." },"#,
            &[
                "field `qty`",
                "rule `scale` does not fit type `string`",
                "decimal, money",
            ],
        ),
        (
            r#"  { name = "qty", type = "u32", max_len = 4, doc = "Qty." },"#,
            &[
                "rule `max_len` does not fit type `u32`",
                "(it applies to string)",
            ],
        ),
        (
            r#"  { name = "day", type = "date", positive = true, doc = "Day." },"#,
            &["field `day`", "rule `positive` does not fit type `date`"],
        ),
        (
            r#"  { name = "qty", type = "string", min = 1, doc = "Qty." },"#,
            &["rule `min` does not fit type `string`"],
        ),
        (
            r#"  { name = "qty", type = "i32", not_blank = true, doc = "Qty." },"#,
            &["rule `not_blank` does not fit type `i32`"],
        ),
        (
            r#"  { name = "qty", type = "Kind", charset = "code", doc = "Qty." },"#,
            &["rule `charset` does not fit type `Kind`"],
        ),
        (
            r#"  { name = "pin", type = "u32", sensitive = true, doc = "Pin." },"#,
            &["`sensitive` applies to string parameters only"],
        ),
        (
            r#"  { name = "qty", type = "u32", encoding = "decimal_comma", doc = "Qty." },"#,
            &["encoding `decimal_comma` does not fit type `u32`"],
        ),
    ];
    for (field, parts) in cases {
        one_error(field, 14, parts);
    }
}

#[test]
fn booleans_and_timestamps_need_an_encoding() {
    one_error(
        r#"  { name = "paid", type = "bool", doc = "Paid." },"#,
        14,
        &["field `paid`", "a bool parameter needs an encoding"],
    );
    one_error(
        r#"  { name = "at", type = "timestamp", doc = "At." },"#,
        14,
        &["a timestamp parameter needs an encoding: unix_seconds"],
    );
    one_error(
        r#"  { name = "on", type = "bool", encoding = "flag", optional = true, doc = "On." },"#,
        14,
        &["a flag is already optional"],
    );
}

#[test]
fn types_that_are_not_text_are_refused() {
    one_error(
        r#"  { name = "extra", type = "json", doc = "Extra." },"#,
        14,
        &["type `json` cannot be a parameter"],
    );
    one_error(
        r#"  { name = "extra", type = "Nope", doc = "Extra." },"#,
        14,
        &["type `Nope` cannot be a parameter"],
    );
}

#[test]
fn literals_are_checked_against_the_type() {
    one_error(
        r#"  { name = "qty", type = "decimal", min = "1,5", doc = "Qty." },"#,
        14,
        &["`min`: `1,5` is not a decimal"],
    );
    one_error(
        r#"  { name = "qty", type = "u32", min = -1, doc = "Qty." },"#,
        14,
        &["`min`: -1 is out of range for u32"],
    );
    one_error(
        r#"  { name = "qty", type = "u32", min = 5, max = 4, doc = "Qty." },"#,
        14,
        &["`min` is larger than `max`"],
    );
    one_error(
        r#"  { name = "qty", type = "decimal", min = "0.5", max = "0.49", doc = "Qty." },"#,
        14,
        &["`min` is larger than `max`"],
    );
    one_error(
        r#"  { name = "name", type = "string", min_len = 5, max_len = 4, doc = "Name." },"#,
        14,
        &["`min_len` is larger than `max_len`"],
    );
    one_error(
        r#"  { name = "kind", type = "Kind", default = "B", doc = "Kind." },"#,
        14,
        &["`default`: `B` is not a variant of the enum"],
    );
    one_error(
        r#"  { name = "qty", type = "u32", optional = true, default = 1, doc = "Qty." },"#,
        14,
        &["`default` applies to required fields only"],
    );
    one_error(
        r#"  { name = "qty", type = "u32", default = "1", doc = "Qty." },"#,
        14,
        &["`default`: expected a u32 literal"],
    );
}

#[test]
fn field_relations_are_checked() {
    one_error(
        r#"  { name = "start", type = "u64", optional = true, not_after = "stop", doc = "S." },"#,
        14,
        &["`not_after`: no field `stop`"],
    );
    let messages = spec_errors(&params_with(
        r#"  { name = "start", type = "u64", not_after = "end", doc = "S." },
  { name = "end", type = "u32", doc = "E." },"#,
    ));
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("needs two fields of the same type"));

    let text = params_with(r#"  { name = "batch", type = "u64", optional = true, doc = "B." },"#)
        .replace(
            "doc = \"A sale.\"",
            "doc = \"A sale.\"\nexactly_one_of = [[\"code\", \"batch\"], [\"batch\"], [\"nope\", \"batch\"]]",
        );
    let messages = spec_errors(&text);
    let all = messages.join("\n");
    assert!(
        all.contains(":12:") && all.contains("field `code` must be optional"),
        "{all}"
    );
    assert!(all.contains("a group names at least two fields"), "{all}");
    assert!(all.contains("no field `nope` in this model"), "{all}");
}

#[test]
fn names_are_checked() {
    one_error(
        r#"  { name = "new", type = "string", doc = "New." },"#,
        14,
        &["the name of a generated method"],
    );
    one_error(
        r#"  { name = "other", wire = "code", type = "string", doc = "Other." },"#,
        14,
        &["duplicate wire name `code`"],
    );
    let text = params_with("").replace("name = \"Sale\"", "name = \"Kind\"");
    let messages = spec_errors(&text);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].starts_with("docs/specs/bad.toml:10:"));
    assert!(messages[0].contains("duplicate model/enum name `Kind`"));
}

#[test]
fn model_and_params_errors_are_reported_together_in_line_order() {
    let mut text = params_with(r#"  { name = "qty", type = "string", scale = 1, doc = "Q." },"#);
    text.push_str(
        r#"
[[model]]
name = "Line"
direction = "response"
doc = "A line."
field = [ { name = "qty", type = "decimall", doc = "Q." } ]
"#,
    );
    let messages = spec_errors(&text);
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains(":14:") && messages[0].contains("params `Sale`"));
    assert!(messages[1].contains("unknown type `decimall`"));
}

#[test]
fn the_params_fixture_uses_every_rule_and_encoding() {
    use codegen::params::ParamEncoding;
    let root = xtask::project_root();
    let text = fs::read_to_string(root.join(codegen::PARAMS_FIXTURE_SPEC)).unwrap();
    let spec = codegen::spec::parse(codegen::PARAMS_FIXTURE_SPEC, &text).unwrap();
    let fields: Vec<_> = spec.params.iter().flat_map(|p| &p.field).collect();
    let encodings: Vec<ParamEncoding> = fields.iter().filter_map(|f| f.encoding_kind()).collect();
    for e in [
        ParamEncoding::DecimalComma,
        ParamEncoding::DecimalStyle,
        ParamEncoding::YesNo,
        ParamEncoding::OneZero,
        ParamEncoding::PlusMinus,
        ParamEncoding::Flag,
        ParamEncoding::DottedDate,
        ParamEncoding::DottedDatetime,
        ParamEncoding::SqlDatetime,
        ParamEncoding::UnixSeconds,
    ] {
        assert!(encodings.contains(&e), "encoding {} unused", e.spec_name());
    }
    let any = |f: &dyn Fn(&codegen::params::ParamField) -> bool| fields.iter().any(|x| f(x));
    assert!(any(&|f| f.not_blank.is_some()));
    assert!(any(&|f| f.min_len.is_some()));
    assert!(any(&|f| f.max_len.is_some()));
    assert!(any(&|f| f.min.is_some()));
    assert!(any(&|f| f.max.is_some()));
    assert!(any(&|f| f.positive.is_some()));
    assert!(any(&|f| f.scale.is_some()));
    assert!(any(&|f| f.not_after.is_some()));
    assert!(any(&|f| f.default.is_some()));
    assert!(any(&|f| f.is_sensitive()));
    assert!(any(&|f| f.is_optional()));
    for charset in ["text", "code", "path_segment", "any"] {
        assert!(
            text.contains(&format!("charset = \"{charset}\"")),
            "charset {charset} unused"
        );
    }
    assert!(spec.params.iter().any(|p| !p.exactly_one_of.is_empty()));
    let report = codegen::run(&root, true);
    assert!(
        report
            .files
            .iter()
            .any(|(f, _)| f == codegen::PARAMS_FIXTURE_OUTPUT),
        "the params fixture is processed"
    );
}
