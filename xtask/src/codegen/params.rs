//! `[[params]]`: request parameter models (the parameters of one call, sent as query or form
//! fields), their rules and how each value is written. Checked here, rendered by
//! [`super::render_params`].
//!
//! ```toml
//! [[params]]
//! name = "ItemSale"                     # the struct
//! doc = "The parameters of `ODOC_ITEMSALE`."
//! exactly_one_of = [["batch_id", "search_code"]]   # optional fields; exactly one is given
//! field = [
//!   { name = "batch_id", type = "u64", optional = true, doc = "Batch id." },
//!   { name = "search_code", wire = "searchcode", type = "string", optional = true,
//!     not_blank = true, max_len = 20, charset = "code", doc = "Search code." },
//!   { name = "quantity", type = "decimal", optional = true, positive = true, scale = 5,
//!     encoding = "decimal_style", doc = "Quantity." },
//!   { name = "rowno", type = "u32", optional = true, min = 1, max = 9999, doc = "Row." },
//!   { name = "payment_type", wire = "paymenttype", type = "string", default = "P", doc = "…" },
//!   { name = "start", type = "u64", optional = true, not_after = "end", doc = "First id." },
//!   { name = "end", type = "u64", optional = true, doc = "Last id." },
//!   { name = "clock_in_out", wire = "clockinclockout", type = "bool", encoding = "flag", doc = "…" },
//! ]
//! ```
//!
//! A field is required unless `optional = true` (then `Option<T>`, left out when `None`), has a
//! `default` (a literal: string, integer, bool, decimal as a string, or an enum variant's Rust
//! name), or has `encoding = "flag"` (a `bool`, false by default). Required fields without a
//! default are the arguments of `new`, in spec order; every other field gets a chainable setter.
//!
//! Types: `string`, `bool`, `i32`, `i64`, `u32`, `u64`, `decimal`, `money`, `date`,
//! `datetime`, `timestamp`, or an enum of the same file (written as its wire code).
//!
//! Rules (each only where it fits the type; checked by the generated `validate()` through
//! `pos_client_core::validate`):
//! - strings: `not_blank`, `min_len` / `max_len` (characters), `charset` = `text` (the default:
//!   no control characters such as CR/LF), `code` (also no whitespace), `path_segment` (safe in
//!   a URL path: no `/ ? # %`, no `..`), `multiline` (free text: line breaks and tabs allowed)
//!   or `any` (no check);
//! - integers, `decimal`, `money`: `min` / `max` (inclusive; decimals as strings), `positive`;
//! - `decimal`, `money`: `scale` (most decimal places, trailing zeros ignored);
//! - `not_after = "<field>"`: when both are given, this one is not after that one (same type;
//!   numbers, dates, times).
//!
//! Encodings (how the value is written; without one: strings as they are, numbers and decimals
//! with their exact digits and a point, dates `YYYY-MM-DD`, datetimes `YYYY-MM-DDTHH:MM:SS`,
//! enums as their wire code): `decimal_comma`, `decimal_style` (the separator the caller picks
//! at runtime in `ParamStyle`), `yes_no`, `one_zero`, `plus_minus`, `flag` (a bare key when
//! true, left out when false), `dotted_date`, `dotted_datetime`, `sql_datetime`,
//! `unix_seconds`. A `bool` needs an encoding (the wire form of a boolean is never guessed), a
//! `timestamp` needs `unix_seconds`. `sensitive = true` (strings only) hides the value in Debug
//! and sends it as a `Param::Secret`.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

use super::spec::{Builtin, Diagnostic, NOT_RAW, Spec, is_snake, is_upper_camel};

/// A request parameter model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamsSpec {
    /// Rust struct name (UpperCamelCase).
    pub name: Spanned<String>,
    /// Rustdoc of the struct.
    pub doc: Spanned<String>,
    /// Groups of optional fields (Rust names) of which exactly one must be given.
    #[serde(default)]
    pub exactly_one_of: Vec<Spanned<Vec<Spanned<String>>>>,
    /// The parameters, in wire order.
    #[serde(default)]
    pub field: Vec<ParamField>,
}

/// How a parameter's value is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParamEncoding {
    /// `12,5`.
    DecimalComma,
    /// `12.5` or `12,5`, as `ParamStyle::decimal` says at runtime.
    DecimalStyle,
    /// `Y` / `N`.
    YesNo,
    /// `1` / `0`.
    OneZero,
    /// `+` / `-`.
    PlusMinus,
    /// A bare key when true, nothing when false.
    Flag,
    /// `dd.mm.yyyy`.
    DottedDate,
    /// `dd.mm.yyyy HH:MM:SS`.
    DottedDatetime,
    /// `YYYY-MM-DD HH:MM:SS`.
    SqlDatetime,
    /// Unix seconds.
    UnixSeconds,
}

impl ParamEncoding {
    /// The spec name.
    pub fn spec_name(self) -> &'static str {
        match self {
            ParamEncoding::DecimalComma => "decimal_comma",
            ParamEncoding::DecimalStyle => "decimal_style",
            ParamEncoding::YesNo => "yes_no",
            ParamEncoding::OneZero => "one_zero",
            ParamEncoding::PlusMinus => "plus_minus",
            ParamEncoding::Flag => "flag",
            ParamEncoding::DottedDate => "dotted_date",
            ParamEncoding::DottedDatetime => "dotted_datetime",
            ParamEncoding::SqlDatetime => "sql_datetime",
            ParamEncoding::UnixSeconds => "unix_seconds",
        }
    }

    /// The types the encoding applies to.
    pub fn fits(self) -> &'static [Builtin] {
        match self {
            ParamEncoding::DecimalComma | ParamEncoding::DecimalStyle => {
                &[Builtin::Decimal, Builtin::Money]
            }
            ParamEncoding::YesNo
            | ParamEncoding::OneZero
            | ParamEncoding::PlusMinus
            | ParamEncoding::Flag => &[Builtin::Bool],
            ParamEncoding::DottedDate => &[Builtin::Date],
            ParamEncoding::DottedDatetime | ParamEncoding::SqlDatetime => &[Builtin::Datetime],
            ParamEncoding::UnixSeconds => &[Builtin::Timestamp],
        }
    }
}

/// What a string parameter may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Charset {
    /// No control characters (the default).
    Text,
    /// No whitespace and no control characters.
    Code,
    /// Safe as one URL path segment.
    PathSegment,
    /// Free text: no control characters but line breaks and tabs.
    Multiline,
    /// Anything.
    Any,
}

impl Charset {
    /// The `pos_client_core::validate` function, if the charset checks anything.
    pub fn rule(self) -> Option<&'static str> {
        match self {
            Charset::Text => Some("text"),
            Charset::Code => Some("code"),
            Charset::PathSegment => Some("path_segment"),
            Charset::Multiline => Some("multiline"),
            Charset::Any => None,
        }
    }
}

/// One parameter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParamField {
    /// Rust field name (snake_case).
    pub name: Spanned<String>,
    /// The wire name when it differs from `name`.
    #[serde(default)]
    pub wire: Option<Spanned<String>>,
    /// A builtin type or an enum of the same file.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Rustdoc of the field.
    pub doc: Spanned<String>,
    /// `Option<T>`, left out when `None`.
    #[serde(default)]
    pub optional: Option<Spanned<bool>>,
    /// The value `new` gives a required field (then set with its setter).
    #[serde(default)]
    pub default: Option<Spanned<toml::Value>>,
    /// How the value is written.
    #[serde(default)]
    pub encoding: Option<Spanned<ParamEncoding>>,
    /// Hidden in Debug, sent as a secret (strings).
    #[serde(default)]
    pub sensitive: Option<Spanned<bool>>,
    /// Not empty or only whitespace (strings).
    #[serde(default)]
    pub not_blank: Option<Spanned<bool>>,
    /// Fewest characters (strings).
    #[serde(default)]
    pub min_len: Option<Spanned<u32>>,
    /// Most characters (strings).
    #[serde(default)]
    pub max_len: Option<Spanned<u32>>,
    /// What the text may contain (strings; default `text`).
    #[serde(default)]
    pub charset: Option<Spanned<Charset>>,
    /// Smallest value, inclusive (numbers).
    #[serde(default)]
    pub min: Option<Spanned<toml::Value>>,
    /// Largest value, inclusive (numbers).
    #[serde(default)]
    pub max: Option<Spanned<toml::Value>>,
    /// Greater than zero (numbers).
    #[serde(default)]
    pub positive: Option<Spanned<bool>>,
    /// Most decimal places (decimal, money).
    #[serde(default)]
    pub scale: Option<Spanned<u32>>,
    /// Another field this one must not be after, when both are given.
    #[serde(default)]
    pub not_after: Option<Spanned<String>>,
}

fn flag(value: &Option<Spanned<bool>>) -> bool {
    value.as_ref().is_some_and(|v| *v.get_ref())
}

impl ParamField {
    /// The wire name.
    pub fn wire_name(&self) -> &str {
        self.wire
            .as_ref()
            .map_or(self.name.get_ref(), |w| w.get_ref())
    }
    /// Whether the field is `Option<T>`.
    pub fn is_optional(&self) -> bool {
        flag(&self.optional)
    }
    /// Whether the field is hidden in Debug and sent as a secret.
    pub fn is_sensitive(&self) -> bool {
        flag(&self.sensitive)
    }
    /// Whether the field is a bare-key flag.
    pub fn is_flag(&self) -> bool {
        self.encoding_kind() == Some(ParamEncoding::Flag)
    }
    /// The encoding, if any.
    pub fn encoding_kind(&self) -> Option<ParamEncoding> {
        self.encoding.as_ref().map(|e| *e.get_ref())
    }
    /// Whether the field is an argument of `new`.
    pub fn in_new(&self) -> bool {
        !self.is_optional() && self.default.is_none() && !self.is_flag()
    }
}

/// A literal from the spec, checked against the field's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lit {
    /// An integer.
    Int(i128),
    /// A decimal as mantissa and scale (`12.50` is 1250, 2).
    Decimal(i128, u32),
    /// A boolean.
    Bool(bool),
    /// A string.
    Text(String),
    /// An enum variant (its Rust name).
    Variant(String),
}

/// A field's checked type and literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The builtin type, or `None` for an enum of the file.
    pub builtin: Option<Builtin>,
    /// The `default` literal.
    pub default: Option<Lit>,
    /// The `min` literal.
    pub min: Option<Lit>,
    /// The `max` literal.
    pub max: Option<Lit>,
}

const INTS: [Builtin; 4] = [Builtin::I32, Builtin::I64, Builtin::U32, Builtin::U64];
const NUMBERS: [Builtin; 6] = [
    Builtin::I32,
    Builtin::I64,
    Builtin::U32,
    Builtin::U64,
    Builtin::Decimal,
    Builtin::Money,
];
const DECIMALS: [Builtin; 2] = [Builtin::Decimal, Builtin::Money];
const ORDERED: [Builtin; 9] = [
    Builtin::I32,
    Builtin::I64,
    Builtin::U32,
    Builtin::U64,
    Builtin::Decimal,
    Builtin::Money,
    Builtin::Date,
    Builtin::Datetime,
    Builtin::Timestamp,
];

fn int_range(b: Builtin) -> (i128, i128) {
    match b {
        Builtin::I32 => (i32::MIN.into(), i32::MAX.into()),
        Builtin::I64 => (i64::MIN.into(), i64::MAX.into()),
        Builtin::U32 => (0, u32::MAX.into()),
        _ => (0, u64::MAX.into()),
    }
}

/// Parses `-12.50` into (-1250, 2).
fn parse_decimal(text: &str) -> Option<(i128, u32)> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 28 {
        return None;
    }
    if digits.contains('.') && fraction.is_empty() {
        return None;
    }
    let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    // rust_decimal holds 96 bits.
    if mantissa >= 1 << 96 {
        return None;
    }
    let scale = u32::try_from(fraction.len()).ok()?;
    Some((if negative { -mantissa } else { mantissa }, scale))
}

/// Compares two numeric literals (integers or decimals).
fn lit_value(lit: &Lit) -> Option<(i128, u32)> {
    match lit {
        Lit::Int(i) => Some((*i, 0)),
        Lit::Decimal(m, s) => Some((*m, *s)),
        _ => None,
    }
}

fn lit_le(a: &Lit, b: &Lit) -> bool {
    match (lit_value(a), lit_value(b)) {
        (Some((ma, sa)), Some((mb, sb))) => {
            let scale = sa.max(sb);
            let up = |m: i128, s: u32| m.checked_mul(10i128.checked_pow(scale - s)?);
            match (up(ma, sa), up(mb, sb)) {
                (Some(x), Some(y)) => x <= y,
                _ => true,
            }
        }
        _ => true,
    }
}

/// A literal of type `b` (or of the enum `en`) from a TOML value, or why not.
fn literal(
    value: &toml::Value,
    builtin: Option<Builtin>,
    variants: Option<&[String]>,
) -> Result<Lit, String> {
    match (builtin, value) {
        (Some(Builtin::String), toml::Value::String(s)) => Ok(Lit::Text(s.clone())),
        (Some(Builtin::Bool), toml::Value::Boolean(b)) => Ok(Lit::Bool(*b)),
        (Some(b), toml::Value::Integer(i)) if INTS.contains(&b) => {
            let (lo, hi) = int_range(b);
            let i = i128::from(*i);
            if i < lo || i > hi {
                Err(format!("{i} is out of range for {}", b.spec_name()))
            } else {
                Ok(Lit::Int(i))
            }
        }
        (Some(b), toml::Value::Integer(i)) if DECIMALS.contains(&b) => {
            Ok(Lit::Decimal(i128::from(*i), 0))
        }
        (Some(b), toml::Value::String(s)) if DECIMALS.contains(&b) => parse_decimal(s)
            .map(|(m, sc)| Lit::Decimal(m, sc))
            .ok_or_else(|| format!("`{s}` is not a decimal such as \"12.50\"")),
        (None, toml::Value::String(s)) => match variants {
            Some(v) if v.iter().any(|n| n == s) => Ok(Lit::Variant(s.clone())),
            _ => Err(format!("`{s}` is not a variant of the enum")),
        },
        (Some(b), _) if DECIMALS.contains(&b) => {
            Err("expected a decimal as a string (such as \"12.50\")".to_owned())
        }
        (Some(b), _) => Err(format!("expected a {} literal", b.spec_name())),
        (None, _) => Err("expected the Rust name of a variant, as a string".to_owned()),
    }
}

fn names(list: &[Builtin]) -> String {
    list.iter()
        .map(|b| b.spec_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks every `[[params]]` of a spec; returns each field's checked type and literals.
pub fn check(file: &str, text: &str, spec: &Spec) -> Result<Vec<Vec<Checked>>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut err = |span: Range<usize>, msg: String| {
        diags.push(Diagnostic::at(file, text, span.start, msg));
    };
    let enums: BTreeMap<&str, Vec<String>> = spec
        .enums
        .iter()
        .map(|e| {
            let variants = e.variant.iter().map(|v| v.name.get_ref().clone()).collect();
            (e.name.get_ref().as_str(), variants)
        })
        .collect();
    let mut taken: HashSet<&str> = spec
        .model
        .iter()
        .map(|m| m.name.get_ref().as_str())
        .chain(spec.enums.iter().map(|e| e.name.get_ref().as_str()))
        .collect();

    let mut all = Vec::with_capacity(spec.params.len());
    for params in &spec.params {
        let pname = params.name.get_ref().as_str();
        if !is_upper_camel(pname) || Builtin::from_name(pname).is_some() {
            err(
                params.name.span(),
                format!("params `{pname}`, field `name`: not an UpperCamelCase type name"),
            );
        }
        if !taken.insert(pname) {
            err(
                params.name.span(),
                format!("params `{pname}`, field `name`: duplicate model/enum name `{pname}`"),
            );
        }
        if params.doc.get_ref().trim().is_empty() {
            err(
                params.doc.span(),
                format!("params `{pname}`, field `doc`: empty doc"),
            );
        }
        let mut field_names = HashSet::new();
        let mut wire_names = HashSet::new();
        let mut checked = Vec::with_capacity(params.field.len());
        for field in &params.field {
            let fname = field.name.get_ref().as_str();
            let at = |what: &str| format!("params `{pname}`, field `{fname}`: {what}");
            if !is_snake(fname) || NOT_RAW.contains(&fname) {
                err(
                    field.name.span(),
                    at("the Rust name must be a snake_case identifier"),
                );
            }
            if matches!(fname, "new" | "validate" | "params") {
                err(
                    field.name.span(),
                    at("the name of a generated method (new, validate, params)"),
                );
            }
            let duplicate = !field_names.insert(fname);
            if duplicate {
                err(field.name.span(), at("duplicate field name"));
            }
            if let Some(w) = &field.wire
                && w.get_ref().is_empty()
            {
                err(w.span(), at("empty wire name"));
            }
            if !wire_names.insert(field.wire_name()) && !duplicate {
                let span = field.wire.as_ref().map_or(field.name.span(), |w| w.span());
                err(
                    span,
                    at(&format!("duplicate wire name `{}`", field.wire_name())),
                );
            }
            if field.doc.get_ref().trim().is_empty() {
                err(field.doc.span(), at("empty doc"));
            }

            // The type: a builtin that can be written as text, or an enum of the file.
            let ty = field.ty.get_ref().as_str();
            let builtin = Builtin::from_name(ty);
            let variants = enums.get(ty).map(Vec::as_slice);
            let type_ok = match builtin {
                Some(Builtin::Json | Builtin::JsonMap | Builtin::Rest) => false,
                Some(_) => true,
                None => variants.is_some(),
            };
            if !type_ok {
                err(
                    field.ty.span(),
                    at(&format!(
                        "type `{ty}` cannot be a parameter (use string, bool, i32, i64, u32, u64, decimal, money, date, datetime, timestamp or an enum of this file)"
                    )),
                );
            }
            let fits = |allowed: &[Builtin]| builtin.is_some_and(|b| allowed.contains(&b));
            // Each rule that is set must fit the type.
            let span_of = |s: &Option<Spanned<bool>>| s.as_ref().map_or(0..0, Spanned::span);
            let mut rules: Vec<(Range<usize>, &str, &[Builtin])> = Vec::new();
            if flag(&field.not_blank) {
                rules.push((span_of(&field.not_blank), "not_blank", &[Builtin::String]));
            }
            if let Some(v) = &field.min_len {
                rules.push((v.span(), "min_len", &[Builtin::String]));
            }
            if let Some(v) = &field.max_len {
                rules.push((v.span(), "max_len", &[Builtin::String]));
            }
            if let Some(v) = &field.charset {
                rules.push((v.span(), "charset", &[Builtin::String]));
            }
            if flag(&field.positive) {
                rules.push((span_of(&field.positive), "positive", &NUMBERS));
            }
            if let Some(v) = &field.scale {
                rules.push((v.span(), "scale", &DECIMALS));
            }
            if let Some(v) = &field.min {
                rules.push((v.span(), "min", &NUMBERS));
            }
            if let Some(v) = &field.max {
                rules.push((v.span(), "max", &NUMBERS));
            }
            for (span, name, allowed) in rules {
                if type_ok && !fits(allowed) {
                    err(
                        span,
                        at(&format!(
                            "rule `{name}` does not fit type `{ty}` (it applies to {})",
                            names(allowed)
                        )),
                    );
                }
            }
            if let (Some(lo), Some(hi)) = (&field.min_len, &field.max_len)
                && lo.get_ref() > hi.get_ref()
            {
                err(lo.span(), at("`min_len` is larger than `max_len`"));
            }
            if let Some(s) = &field.scale
                && *s.get_ref() > 28
            {
                err(s.span(), at("`scale` is at most 28"));
            }
            if flag(&field.sensitive) && type_ok && builtin != Some(Builtin::String) {
                err(
                    span_of(&field.sensitive),
                    at("`sensitive` applies to string parameters only"),
                );
            }
            let mut bound = |value: &Option<Spanned<toml::Value>>, name: &str| {
                let v = value.as_ref().filter(|_| type_ok && fits(&NUMBERS))?;
                match literal(v.get_ref(), builtin, None) {
                    Ok(lit) => Some(lit),
                    Err(e) => {
                        err(v.span(), at(&format!("`{name}`: {e}")));
                        None
                    }
                }
            };
            let min = bound(&field.min, "min");
            let max = bound(&field.max, "max");
            if let (Some(lo), Some(hi), Some(span)) = (&min, &max, field.min.as_ref())
                && !lit_le(lo, hi)
            {
                err(span.span(), at("`min` is larger than `max`"));
            }

            // Encoding.
            let encoding = field.encoding_kind();
            if let (Some(enc), true) = (&field.encoding, type_ok) {
                let e = *enc.get_ref();
                if !fits(e.fits()) {
                    err(
                        enc.span(),
                        at(&format!(
                            "encoding `{}` does not fit type `{ty}` (it applies to {})",
                            e.spec_name(),
                            names(e.fits())
                        )),
                    );
                }
            }
            if builtin == Some(Builtin::Bool) && encoding.is_none() {
                err(
                    field.ty.span(),
                    at("a bool parameter needs an encoding: yes_no, one_zero, plus_minus or flag"),
                );
            }
            if builtin == Some(Builtin::Timestamp) && encoding.is_none() {
                err(
                    field.ty.span(),
                    at("a timestamp parameter needs an encoding: unix_seconds"),
                );
            }
            if field.is_flag()
                && let Some(o) = field.optional.as_ref().filter(|o| *o.get_ref())
            {
                err(
                    o.span(),
                    at("a flag is already optional (false leaves it out): no `optional`"),
                );
            }

            // Default.
            let default = match &field.default {
                None => None,
                Some(d) => {
                    let mut lit = None;
                    if field.is_optional() || field.is_flag() {
                        err(
                            d.span(),
                            at(
                                "`default` applies to required fields only (not optional, not a flag)",
                            ),
                        );
                    } else if matches!(
                        builtin,
                        Some(Builtin::Date | Builtin::Datetime | Builtin::Timestamp)
                    ) {
                        err(
                            d.span(),
                            at(&format!("`default` is not supported for type `{ty}`")),
                        );
                    } else if type_ok {
                        match literal(d.get_ref(), builtin, variants) {
                            Ok(l) => lit = Some(l),
                            Err(e) => err(d.span(), at(&format!("`default`: {e}"))),
                        }
                    }
                    lit
                }
            };
            checked.push(Checked {
                builtin: if type_ok { builtin } else { None },
                default,
                min,
                max,
            });
        }

        // Rules between fields.
        for field in &params.field {
            let Some(other) = &field.not_after else {
                continue;
            };
            let fname = field.name.get_ref();
            let at = |what: &str| format!("params `{pname}`, field `{fname}`: {what}");
            match params
                .field
                .iter()
                .find(|f| f.name.get_ref() == other.get_ref())
            {
                None => err(
                    other.span(),
                    at(&format!(
                        "`not_after`: no field `{}` in this model",
                        other.get_ref()
                    )),
                ),
                Some(target) if target.name.get_ref() == fname => {
                    err(other.span(), at("`not_after` names the field itself"));
                }
                Some(target) => {
                    let same = target.ty.get_ref() == field.ty.get_ref();
                    let ordered = Builtin::from_name(field.ty.get_ref())
                        .is_some_and(|b| ORDERED.contains(&b));
                    if !same || !ordered {
                        err(
                            other.span(),
                            at(&format!(
                                "`not_after` needs two fields of the same type among {}",
                                names(&ORDERED)
                            )),
                        );
                    }
                }
            }
        }
        for group in &params.exactly_one_of {
            if group.get_ref().len() < 2 {
                err(
                    group.span(),
                    format!(
                        "params `{pname}`, `exactly_one_of`: a group names at least two fields"
                    ),
                );
            }
            let mut seen = HashSet::new();
            for member in group.get_ref() {
                let m = member.get_ref().as_str();
                let at = format!("params `{pname}`, `exactly_one_of`: ");
                match params.field.iter().find(|f| f.name.get_ref() == m) {
                    None => err(member.span(), format!("{at}no field `{m}` in this model")),
                    Some(f) if !f.is_optional() => {
                        err(member.span(), format!("{at}field `{m}` must be optional"))
                    }
                    Some(_) => {}
                }
                if !seen.insert(m) {
                    err(member.span(), format!("{at}field `{m}` is named twice"));
                }
            }
        }
        all.push(checked);
    }

    if diags.is_empty() {
        Ok(all)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(parse_decimal("12.50"), Some((1250, 2)));
        assert_eq!(parse_decimal("-0.5"), Some((-5, 1)));
        assert_eq!(parse_decimal("7"), Some((7, 0)));
        for bad in [
            "",
            "1.",
            ".5",
            "1,5",
            "1e3",
            "--1",
            "1.2.3",
            "99999999999999999999999999999",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn literals_compare_across_scales() {
        assert!(lit_le(&Lit::Decimal(5, 1), &Lit::Int(1)));
        assert!(lit_le(&Lit::Decimal(100, 2), &Lit::Int(1)));
        assert!(!lit_le(&Lit::Decimal(101, 2), &Lit::Int(1)));
        assert!(lit_le(&Lit::Int(-3), &Lit::Int(-3)));
    }
}
