//! The spec-notes format (`docs/specs/<vendor>.toml`): parsing with positions, and validation.
//!
//! ```toml
//! vendor = "cloudma"            # crate dir is crates/<vendor>-client
//! doc = "Module doc for models.rs."
//!
//! [[model]]
//! name = "SaleItem"
//! direction = "request"         # request | response | both
//! doc = "One line of a sale."
//! field = [
//!   { name = "code", type = "string", doc = "Product code." },
//!   { name = "qty", type = "i64", encoding = "lenient_int", doc = "Units sold." },
//! ]
//!
//! [[enum]]
//! name = "DocType"
//! doc = "Document type."
//! variant = [ { name = "Invoice", wire = "1", doc = "Factuur." } ]
//!
//! [[params]]                    # request parameters sent as query or form fields
//! name = "ItemSale"
//! doc = "The parameters of `ODOC_ITEMSALE`."
//! field = [
//!   { name = "rowno", type = "u32", optional = true, min = 1, max = 9999, doc = "Row." },
//! ]
//! ```
//!
//! A field with `rest = true` collects every field its model does not name: type `rest`
//! (`pos_client_core::Rest`, the raw JSON text of those fields in one buffer; preferred) or
//! `json_map` (`serde_json::Map`). Type `rest` is allowed only on such a field.
//!
//! `[[params]]` models (rules, encodings, defaults) are checked in [`super::params`], which
//! documents their format.
//! `[[newtype]]` (checked text types) is in [`super::newtypes`].

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::ops::Range;

use serde::Deserialize;
use toml::Spanned;

/// One problem in a spec file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file as given (a path relative to the repository root).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

impl Diagnostic {
    /// A diagnostic at byte offset `offset` of `text`.
    pub fn at(file: &str, text: &str, offset: usize, message: impl Into<String>) -> Diagnostic {
        let (line, column) = line_column(text, offset);
        Diagnostic {
            file: file.to_owned(),
            line,
            column,
            message: message.into(),
        }
    }
}

/// Converts a byte offset into a 1-based line and column.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A whole spec file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The vendor; the crate directory is `crates/<vendor>-client`.
    pub vendor: Spanned<String>,
    /// Module documentation of the generated `models.rs`.
    pub doc: Spanned<String>,
    /// The structs.
    #[serde(default)]
    pub model: Vec<Model>,
    /// The code enums.
    #[serde(default, rename = "enum")]
    pub enums: Vec<EnumSpec>,
    /// The request parameter models (see [`super::params`]).
    #[serde(default)]
    pub params: Vec<super::params::ParamsSpec>,
    /// The checked text types (see [`super::newtypes`]).
    #[serde(default, rename = "newtype")]
    pub newtypes: Vec<super::newtypes::NewtypeSpec>,
    /// The documented operations (see [`super::operations`]).
    #[serde(default, rename = "operation")]
    pub operations: Vec<super::operations::OperationEntry>,
    /// The documented error codes (see [`super::codes`]).
    #[serde(default)]
    pub codes: Option<super::codes::CodesSpec>,
}

/// Which serde traits a model gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Sent to the vendor: `Serialize`.
    Request,
    /// Received from the vendor: `Deserialize`.
    Response,
    /// Both ways.
    Both,
}

impl Direction {
    /// Whether the model is serialized.
    pub fn serializes(self) -> bool {
        matches!(self, Direction::Request | Direction::Both)
    }
    /// Whether the model is deserialized.
    pub fn deserializes(self) -> bool {
        matches!(self, Direction::Response | Direction::Both)
    }
}

/// A struct.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Rust struct name (UpperCamelCase).
    pub name: Spanned<String>,
    /// Serde direction.
    pub direction: Spanned<Direction>,
    /// Rustdoc of the struct.
    pub doc: Spanned<String>,
    /// The fields, in order.
    #[serde(default)]
    pub field: Vec<Field>,
}

/// The shape of a list field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListShape {
    /// A JSON array.
    Array,
    /// One object or an array of them (also null and `""` as empty).
    OneOrMany,
    /// An array, one value, or one `,`/`;`-separated string (`"11,15"`); null and `""` empty.
    TextList,
}

/// A wire encoding, mapped 1:1 to a `pos_client_core::encoding` adapter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// `LenientDecimal`: decimal or money as a number or a numeric string.
    LenientDecimal,
    /// `DecimalComma`: decimal or money as `"12,5"`.
    DecimalComma,
    /// `Cents`: decimal or money read leniently, sent with at least two decimals (`12.50`).
    Cents,
    /// `TrimmedDecimal`: a decimal read leniently, sent without trailing zeros (`2.5`, `150000`).
    TrimmedDecimal,
    /// `PointDecimal`: a decimal as a number or a numeric string with a point; a comma refused.
    PointDecimal,
    /// `LenientInt`: an integer as a number or a numeric string.
    LenientInt,
    /// `LenientString`: a string that may arrive as a number.
    LenientString,
    /// `YesNo`: `Y`/`N`.
    YesNo,
    /// `OneZero`: `1`/`0`.
    OneZero,
    /// `LenientFlag`: an optional flag in any PHP form (`1`/`0`, `true`, `"yes"`, a count);
    /// anything else as none.
    LenientFlag,
    /// `PlusMinus`: `+`/`-`.
    PlusMinus,
    /// `UnixSeconds`: a timestamp as unix seconds.
    UnixSeconds,
    /// `DottedDate`: `dd.mm.yyyy`.
    DottedDate,
    /// `DottedDateTime`: `dd.mm.yyyy HH:MM:SS`.
    DottedDatetime,
    /// `SqlDateTime`: `YYYY-MM-DD HH:MM:SS`.
    SqlDatetime,
    /// `ObjectOrEmpty`: an optional model that PHP sends as `""` or `[]` when empty.
    ObjectOrEmpty,
    /// `LenientDate`: an optional date in any usual form; unreadable as none.
    LenientDate,
    /// `LenientDateTime`: an optional date and time in any usual form; unreadable as none.
    LenientDatetime,
}

impl Encoding {
    /// The adapter's type name in `pos_client_core::encoding`.
    pub fn adapter(self) -> &'static str {
        match self {
            Encoding::LenientDecimal => "LenientDecimal",
            Encoding::DecimalComma => "DecimalComma",
            Encoding::Cents => "Cents",
            Encoding::TrimmedDecimal => "TrimmedDecimal",
            Encoding::PointDecimal => "PointDecimal",
            Encoding::LenientInt => "LenientInt",
            Encoding::LenientString => "LenientString",
            Encoding::YesNo => "YesNo",
            Encoding::OneZero => "OneZero",
            Encoding::LenientFlag => "LenientFlag",
            Encoding::PlusMinus => "PlusMinus",
            Encoding::UnixSeconds => "UnixSeconds",
            Encoding::DottedDate => "DottedDate",
            Encoding::DottedDatetime => "DottedDateTime",
            Encoding::SqlDatetime => "SqlDateTime",
            Encoding::ObjectOrEmpty => "ObjectOrEmpty",
            Encoding::LenientDate => "LenientDate",
            Encoding::LenientDatetime => "LenientDateTime",
        }
    }

    /// The spec name.
    pub fn spec_name(self) -> &'static str {
        match self {
            Encoding::LenientDecimal => "lenient_decimal",
            Encoding::DecimalComma => "decimal_comma",
            Encoding::Cents => "cents",
            Encoding::TrimmedDecimal => "trimmed_decimal",
            Encoding::PointDecimal => "point_decimal",
            Encoding::LenientInt => "lenient_int",
            Encoding::LenientString => "lenient_string",
            Encoding::YesNo => "yes_no",
            Encoding::OneZero => "one_zero",
            Encoding::LenientFlag => "lenient_flag",
            Encoding::PlusMinus => "plus_minus",
            Encoding::UnixSeconds => "unix_seconds",
            Encoding::DottedDate => "dotted_date",
            Encoding::DottedDatetime => "dotted_datetime",
            Encoding::SqlDatetime => "sql_datetime",
            Encoding::ObjectOrEmpty => "object_or_empty",
            Encoding::LenientDate => "lenient_date",
            Encoding::LenientDatetime => "lenient_datetime",
        }
    }

    /// The builtin types this encoding applies to.
    pub fn fits(self) -> &'static [Builtin] {
        match self {
            Encoding::LenientDecimal | Encoding::DecimalComma | Encoding::Cents => {
                &[Builtin::Decimal, Builtin::Money]
            }
            Encoding::PointDecimal | Encoding::TrimmedDecimal => &[Builtin::Decimal],
            Encoding::LenientInt => &[Builtin::I32, Builtin::I64, Builtin::U32, Builtin::U64],
            Encoding::LenientString => &[Builtin::String],
            Encoding::YesNo | Encoding::OneZero | Encoding::PlusMinus | Encoding::LenientFlag => {
                &[Builtin::Bool]
            }
            Encoding::UnixSeconds => &[Builtin::Timestamp],
            Encoding::DottedDate => &[Builtin::Date],
            Encoding::DottedDatetime | Encoding::SqlDatetime => &[Builtin::Datetime],
            // Applies to models only (checked with the field's resolved type).
            Encoding::ObjectOrEmpty => &[],
            Encoding::LenientDate => &[Builtin::Date],
            Encoding::LenientDatetime => &[Builtin::Datetime],
        }
    }
}

/// A field of a model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Rust field name (snake_case).
    pub name: Spanned<String>,
    /// JSON name when it differs from `name`.
    #[serde(default)]
    pub wire: Option<Spanned<String>>,
    /// Other JSON names accepted when decoding (a vendor's second spelling).
    #[serde(default)]
    pub alias: Vec<Spanned<String>>,
    /// A builtin type or a model/enum of the same file.
    #[serde(rename = "type")]
    pub ty: Spanned<String>,
    /// Wire encoding adapter.
    #[serde(default)]
    pub encoding: Option<Spanned<Encoding>>,
    /// `Option<T>`.
    #[serde(default)]
    pub optional: Option<Spanned<bool>>,
    /// `Vec<T>` in this shape.
    #[serde(default)]
    pub list: Option<Spanned<ListShape>>,
    /// Shown as `***` in Debug.
    #[serde(default)]
    pub sensitive: Option<Spanned<bool>>,
    /// Collects every field the model does not name; type `rest` (`pos_client_core::Rest`: the
    /// fields' raw JSON text in one buffer) or `json_map` (a `serde_json::Map`, slower and
    /// heavier: a map node and a `Value` per field). Serialized with `#[serde(flatten)]`;
    /// decoded by the map visitor of [`super::render_rest`].
    #[serde(default)]
    pub rest: Option<Spanned<bool>>,
    /// Rules checked by the generated `check_fields()` of a request model (see
    /// [`super::model_rules`]): the text is not blank.
    #[serde(default)]
    pub not_blank: Option<Spanned<bool>>,
    /// Which characters a text may hold (no check unless given).
    #[serde(default)]
    pub charset: Option<Spanned<super::params::Charset>>,
    /// The text has at most this many characters.
    #[serde(default)]
    pub max_len: Option<Spanned<u32>>,
    /// The number is at least this (an integer, or a decimal as a string).
    #[serde(default)]
    pub min: Option<Spanned<toml::Value>>,
    /// The number is at most this (an integer, or a decimal as a string).
    #[serde(default)]
    pub max: Option<Spanned<toml::Value>>,
    /// The decimal has at most this many decimal places (trailing zeros ignored).
    #[serde(default)]
    pub scale: Option<Spanned<u32>>,
    /// The date's year is 1 to 9999 (four digits, as `dd.mm.yyyy` writes it).
    #[serde(default)]
    pub four_digit_year: Option<Spanned<bool>>,
    /// The number is greater than zero.
    #[serde(default)]
    pub positive: Option<Spanned<bool>>,
    /// The decimal has at most this many significant digits (a vendor's `Double`: 15).
    #[serde(default)]
    pub max_digits: Option<Spanned<u32>>,
    /// The list has at least this many elements.
    #[serde(default)]
    pub min_items: Option<Spanned<u32>>,
    /// Each element (a model of the same file) is checked by its own rules.
    #[serde(default)]
    pub check_items: Option<Spanned<bool>>,
    /// Rustdoc of the field.
    pub doc: Spanned<String>,
}

impl Field {
    /// The JSON name.
    pub fn wire_name(&self) -> &str {
        self.wire
            .as_ref()
            .map_or(self.name.get_ref(), |w| w.get_ref())
    }
    /// Whether the field is `Option<T>`.
    pub fn is_optional(&self) -> bool {
        self.optional.as_ref().is_some_and(|o| *o.get_ref())
    }
    /// Whether the field collects the fields the model does not name.
    pub fn is_rest(&self) -> bool {
        self.rest.as_ref().is_some_and(|o| *o.get_ref())
    }
    /// Whether the field is hidden in Debug.
    pub fn is_sensitive(&self) -> bool {
        self.sensitive.as_ref().is_some_and(|o| *o.get_ref())
    }
    /// The list shape, if any.
    pub fn list_shape(&self) -> Option<ListShape> {
        self.list.as_ref().map(|l| *l.get_ref())
    }
}

/// A closed set of codes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    /// Rust enum name.
    pub name: Spanned<String>,
    /// Rustdoc of the enum.
    pub doc: Spanned<String>,
    /// The known codes.
    #[serde(default)]
    pub variant: Vec<Variant>,
}

/// One code of an enum.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Rust variant name.
    pub name: Spanned<String>,
    /// The wire text.
    pub wire: Spanned<String>,
    /// Rustdoc of the variant.
    pub doc: Spanned<String>,
}

/// The builtin scalar types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `rust_decimal::Decimal`.
    Decimal,
    /// `pos_client_core::Money`.
    Money,
    /// `chrono::NaiveDate`.
    Date,
    /// `chrono::NaiveDateTime`.
    Datetime,
    /// `chrono::DateTime<Utc>`.
    Timestamp,
    /// `serde_json::Value`.
    Json,
    /// `serde_json::Map<String, serde_json::Value>`.
    JsonMap,
    /// `pos_client_core::Rest` (only for a `rest = true` field).
    Rest,
}

impl Builtin {
    /// Every builtin, with its spec name.
    pub const ALL: [(&'static str, Builtin); 14] = [
        ("string", Builtin::String),
        ("bool", Builtin::Bool),
        ("i32", Builtin::I32),
        ("i64", Builtin::I64),
        ("u32", Builtin::U32),
        ("u64", Builtin::U64),
        ("decimal", Builtin::Decimal),
        ("money", Builtin::Money),
        ("date", Builtin::Date),
        ("datetime", Builtin::Datetime),
        ("timestamp", Builtin::Timestamp),
        ("json", Builtin::Json),
        ("json_map", Builtin::JsonMap),
        ("rest", Builtin::Rest),
    ];

    /// Looks up a spec type name.
    pub fn from_name(name: &str) -> Option<Builtin> {
        Builtin::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, b)| *b)
    }

    /// The spec name.
    pub fn spec_name(self) -> &'static str {
        Builtin::ALL
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("?", |(n, _)| n)
    }
}

/// What a field's `type` resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeRef {
    /// A builtin scalar.
    Builtin(Builtin),
    /// A model of the same file.
    Model,
    /// An enum of the same file.
    Enum,
}

/// Parses a spec file; errors carry `file:line:col`.
pub fn parse(file: &str, text: &str) -> Result<Spec, Vec<Diagnostic>> {
    toml::from_str::<Spec>(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        let message = match context_at(text, offset) {
            Some(context) => format!("{context}: {}", e.message().trim()),
            None => e.message().trim().to_owned(),
        };
        vec![Diagnostic::at(file, text, offset, message)]
    })
}

/// The value of `name = "…"` in a line, if there is one.
fn name_in(line: &str) -> Option<&str> {
    let rest = &line[line.find("name")? + 4..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(&rest[..rest.find('"')?])
}

/// Best-effort context for a position the TOML parser reported: the enclosing `[[model]]`,
/// `[[enum]]` or `[[params]]` (by its `name`), and the field or variant when the position is in
/// an inline table line such as `{ name = "qty", … }`.
fn context_at(text: &str, offset: usize) -> Option<String> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];

    let before = &text[..line_start];
    let mut table = None;
    for (i, l) in before
        .lines()
        .enumerate()
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let t = l.trim();
        let kind = match t {
            "[[model]]" => Some("model"),
            "[[enum]]" => Some("enum"),
            "[[params]]" => Some("params"),
            _ => None,
        };
        if let Some(kind) = kind {
            let name = text[..line_start]
                .lines()
                .skip(i + 1)
                .chain(std::iter::once(line))
                .find(|l| l.trim_start().starts_with("name"))
                .and_then(name_in);
            table = Some(match name {
                Some(n) => format!("{kind} `{n}`"),
                None => kind.to_owned(),
            });
            break;
        }
    }
    let member = if line.trim_start().starts_with('{') {
        name_in(line).map(|n| format!("`{n}`"))
    } else {
        None
    };
    match (table, member) {
        (Some(t), Some(m)) => Some(format!("{t}, entry {m}")),
        (Some(t), None) => Some(t),
        (None, _) => None,
    }
}

pub(crate) fn is_upper_camel(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase()) && chars.all(|c| c.is_ascii_alphanumeric())
}

pub(crate) fn is_snake(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && name != "_"
}

/// Names that cannot be used even as raw identifiers.
pub(crate) const NOT_RAW: [&str; 5] = ["self", "Self", "super", "crate", "_"];

/// Checks a parsed spec; returns every problem found, or the resolved field types in spec order
/// (`types[model][field]`).
pub fn validate(
    file: &str,
    text: &str,
    spec: &Spec,
    expected_vendor: Option<&str>,
) -> Result<Vec<Vec<TypeRef>>, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut err = |span: Range<usize>, msg: String| {
        diags.push(Diagnostic::at(file, text, span.start, msg));
    };

    if let Some(expected) = expected_vendor
        && spec.vendor.get_ref() != expected
    {
        err(
            spec.vendor.span(),
            format!(
                "vendor `{}` does not match the file name (expected `{expected}`)",
                spec.vendor.get_ref()
            ),
        );
    }
    let vendor_ok = spec
        .vendor
        .get_ref()
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if spec.vendor.get_ref().is_empty() || !vendor_ok {
        err(
            spec.vendor.span(),
            format!("vendor `{}` is not a lowercase name", spec.vendor.get_ref()),
        );
    }
    if spec.doc.get_ref().trim().is_empty() {
        err(
            spec.doc.span(),
            "field `doc`: the module doc is empty".into(),
        );
    }

    // Type names of the file.
    let mut names: BTreeMap<&str, TypeRef> = BTreeMap::new();
    let mut seen_names: HashSet<&str> = HashSet::new();
    let items = spec
        .model
        .iter()
        .map(|m| (&m.name, TypeRef::Model, "model"))
        .chain(spec.enums.iter().map(|e| (&e.name, TypeRef::Enum, "enum")));
    for (name, kind, what) in items {
        let n = name.get_ref().as_str();
        if !is_upper_camel(n) {
            err(
                name.span(),
                format!("{what} `{n}`, field `name`: not an UpperCamelCase name"),
            );
        } else if Builtin::from_name(n).is_some() {
            err(
                name.span(),
                format!("{what} `{n}`, field `name`: a builtin type name"),
            );
        }
        if !seen_names.insert(n) {
            err(
                name.span(),
                format!("{what} `{n}`, field `name`: duplicate model/enum name `{n}`"),
            );
        } else {
            names.insert(n, kind);
        }
    }

    let mut types = Vec::with_capacity(spec.model.len());
    for model in &spec.model {
        let mname = model.name.get_ref();
        let dir = *model.direction.get_ref();
        if model.doc.get_ref().trim().is_empty() {
            err(
                model.doc.span(),
                format!("model `{mname}`, field `doc`: empty doc"),
            );
        }
        let mut field_names = HashSet::new();
        let mut wire_names = HashSet::new();
        let mut model_types = Vec::with_capacity(model.field.len());
        for field in &model.field {
            let fname = field.name.get_ref();
            let at = |what: &str| format!("model `{mname}`, field `{fname}`: {what}");
            if !is_snake(fname) || NOT_RAW.contains(&fname.as_str()) {
                err(
                    field.name.span(),
                    at("the Rust name must be a snake_case identifier"),
                );
            }
            let duplicate_name = !field_names.insert(fname.as_str());
            if duplicate_name {
                err(field.name.span(), at("duplicate field name"));
            }
            if let Some(wire) = &field.wire
                && wire.get_ref().is_empty()
            {
                err(wire.span(), at("empty wire name"));
            }
            if !wire_names.insert(field.wire_name()) && !duplicate_name {
                let span = field.wire.as_ref().map_or(field.name.span(), |w| w.span());
                err(
                    span,
                    at(&format!("duplicate wire name `{}`", field.wire_name())),
                );
            }
            for alias in &field.alias {
                if alias.get_ref().is_empty() || !wire_names.insert(alias.get_ref()) {
                    err(
                        alias.span(),
                        at(&format!("empty or duplicate alias `{}`", alias.get_ref())),
                    );
                }
            }
            if field.doc.get_ref().trim().is_empty() {
                err(field.doc.span(), at("empty doc"));
            }
            let ty_name = field.ty.get_ref().as_str();
            let resolved = match Builtin::from_name(ty_name) {
                Some(b) => Some(TypeRef::Builtin(b)),
                None => names.get(ty_name).copied(),
            };
            match resolved {
                None => {
                    let builtins: Vec<&str> = Builtin::ALL.iter().map(|(n, _)| *n).collect();
                    err(
                        field.ty.span(),
                        at(&format!(
                            "unknown type `{ty_name}` (not one of {} and not a model or enum of this file)",
                            builtins.join(", ")
                        )),
                    );
                }
                Some(TypeRef::Model) => {
                    if let Some(target) = spec.model.iter().find(|m| m.name.get_ref() == ty_name) {
                        let tdir = *target.direction.get_ref();
                        if (dir.serializes() && !tdir.serializes())
                            || (dir.deserializes() && !tdir.deserializes())
                        {
                            err(
                                field.ty.span(),
                                at(&format!(
                                    "model `{ty_name}` has direction {tdir:?}, which does not cover this model's direction {dir:?}"
                                )),
                            );
                        }
                    }
                }
                Some(_) => {}
            }
            if let (Some(enc), Some(resolved)) = (&field.encoding, resolved) {
                let e = *enc.get_ref();
                let fits = match resolved {
                    // The lenient dates and flags read an unreadable value as none: optional
                    // fields only.
                    TypeRef::Builtin(b) => {
                        e.fits().contains(&b)
                            && (field.is_optional()
                                || !matches!(
                                    e,
                                    Encoding::LenientDate
                                        | Encoding::LenientDatetime
                                        | Encoding::LenientFlag
                                ))
                    }
                    TypeRef::Model => e == Encoding::ObjectOrEmpty && field.is_optional(),
                    TypeRef::Enum => false,
                };
                if !fits {
                    let allowed: Vec<&str> = if e == Encoding::ObjectOrEmpty {
                        vec!["optional models"]
                    } else {
                        e.fits().iter().map(|b| b.spec_name()).collect()
                    };
                    err(
                        enc.span(),
                        at(&format!(
                            "encoding `{}` does not fit type `{ty_name}` (it applies to {})",
                            e.spec_name(),
                            allowed.join(", ")
                        )),
                    );
                }
            }
            if let (Some(opt), Some(_)) = (&field.optional, &field.list)
                && *opt.get_ref()
            {
                err(
                    opt.span(),
                    at(
                        "`optional` cannot be combined with `list` (an absent list is already empty)",
                    ),
                );
            }
            if let Some(rest) = &field.rest
                && *rest.get_ref()
                && (!matches!(
                    resolved,
                    Some(TypeRef::Builtin(Builtin::Rest | Builtin::JsonMap))
                ) || field.is_optional()
                    || field.list.is_some()
                    || field.encoding.is_some())
            {
                err(
                    rest.span(),
                    at(
                        "`rest` needs type `rest` (or `json_map`), without optional, list or encoding",
                    ),
                );
            }
            if resolved == Some(TypeRef::Builtin(Builtin::Rest)) && !field.is_rest() {
                err(
                    field.ty.span(),
                    at("type `rest` is only for the field marked `rest = true`"),
                );
            }
            model_types.push(resolved.unwrap_or(TypeRef::Builtin(Builtin::Json)));
        }
        if spec_rest_fields(model) > 1 {
            err(
                model.name.span(),
                format!("model `{mname}`: at most one `rest` field"),
            );
        }
        types.push(model_types);
    }

    for en in &spec.enums {
        let ename = en.name.get_ref();
        if en.doc.get_ref().trim().is_empty() {
            err(
                en.doc.span(),
                format!("enum `{ename}`, field `doc`: empty doc"),
            );
        }
        if en.variant.is_empty() {
            err(
                en.name.span(),
                format!("enum `{ename}`, field `variant`: no variants"),
            );
        }
        let mut vnames = HashSet::new();
        let mut wires = HashSet::new();
        for v in &en.variant {
            let vname = v.name.get_ref();
            let at = |what: &str| format!("enum `{ename}`, variant `{vname}`: {what}");
            if !is_upper_camel(vname) || vname == "Self" {
                err(v.name.span(), at("the variant name must be UpperCamelCase"));
            }
            if vname == "Unknown" {
                err(
                    v.name.span(),
                    at("`Unknown` is reserved for codes this crate does not know"),
                );
            }
            if !vnames.insert(vname.as_str()) {
                err(v.name.span(), at("duplicate variant name"));
            }
            if !wires.insert(v.wire.get_ref().as_str()) {
                err(
                    v.wire.span(),
                    at(&format!("duplicate wire value `{}`", v.wire.get_ref())),
                );
            }
            if v.doc.get_ref().trim().is_empty() {
                err(v.doc.span(), at("empty doc"));
            }
        }
    }

    if diags.is_empty() {
        Ok(types)
    } else {
        diags.sort_by_key(|d| (d.line, d.column));
        Err(diags)
    }
}

fn spec_rest_fields(model: &Model) -> usize {
    model.field.iter().filter(|f| f.is_rest()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one_in_characters() {
        let text = "a = 1\nb = \"é\"\nc";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 4), (1, 5));
        assert_eq!(line_column(text, 6), (2, 1));
        let c = text.find('c').unwrap();
        assert_eq!(line_column(text, c), (3, 1));
        // After a two-byte character the column counts characters, not bytes.
        let quote = text.rfind('"').unwrap();
        assert_eq!(line_column(text, quote), (2, 7));
        // Past the end and inside a character are clamped.
        assert_eq!(line_column(text, 1000), (3, 2));
        assert_eq!(line_column(text, quote - 1), (2, 6));
    }
}
