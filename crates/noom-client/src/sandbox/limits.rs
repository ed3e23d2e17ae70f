//! The documented types of each act's parameters (the "Type" and "Required" columns of its
//! table), checked before the act runs: a value its column cannot hold, or a missing required
//! parameter, is refused with `status` 0 and nothing happens.
//!
//! The document gives no message for these refusals; the sandbox's name the parameter and its
//! documented type and never echo the value (a value holding "token" would read as a token
//! refusal).

use std::fmt;

use pos_client_core::chrono::{NaiveDate, NaiveDateTime};
use pos_client_core::encoding::{DOTTED_DATE, DOTTED_DATE_TIME};
use serde_json::{Map, Value};

use super::wire::{Ctx, Failure, failure};

/// A column type of the document's tables.
#[derive(Clone, Copy)]
pub(super) enum Ty {
    /// `CHAR(n)`: at most `n` characters.
    Char(usize),
    /// `VARCHAR(n)` (`VAR(n)` in `ODOC_SETDATA`'s header table): at most `n` characters.
    Varchar(usize),
    /// `INTEGER`: a whole number, `-` allowed, within the 32 bits of an SQL INTEGER.
    Integer,
    /// A parameter whose description lists its values (`what`: "1 - … 2 - … 3 - …";
    /// `objname`: "document", "header", "rows", "row").
    OneOf(&'static [&'static str]),
    /// `NUMERIC(p,s)`: at most `p - s` integer digits and `s` decimals, a decimal comma or point;
    /// `NUMERIC(p)` is `Numeric(p, 0)`.
    Numeric(usize, usize),
    /// `TIMESTAMP`: `dd.mm.yyyy` (the `ODOC_SETPAYMENT` example's `01.01.2020`) or
    /// `dd.mm.yyyy HH:MM:SS` (the `ODOC_SETDATA` example's `25.06.2018 10:33:59`).
    Timestamp,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Char(n) => write!(f, "CHAR({n})"),
            Ty::Varchar(n) => write!(f, "VARCHAR({n})"),
            Ty::Integer => f.write_str("INTEGER"),
            Ty::OneOf(values) => write!(f, "one of {}", values.join(", ")),
            Ty::Numeric(p, 0) => write!(f, "NUMERIC({p})"),
            Ty::Numeric(p, s) => write!(f, "NUMERIC({p},{s})"),
            Ty::Timestamp => f.write_str("TIMESTAMP"),
        }
    }
}

impl Ty {
    /// Whether the column holds `value` (the raw parameter: spaces around it count).
    pub(super) fn holds(self, value: &str) -> bool {
        match self {
            Ty::Char(n) | Ty::Varchar(n) => value.chars().count() <= n,
            Ty::Integer => integer(value),
            Ty::OneOf(values) => values.contains(&value),
            Ty::Numeric(p, s) => numeric_fits(value, p, s),
            // Exactly the examples' widths: chrono alone also reads `1.1.2020` or a 5-digit year.
            Ty::Timestamp => match value.len() {
                19 => NaiveDateTime::parse_from_str(value, DOTTED_DATE_TIME).is_ok(),
                10 => NaiveDate::parse_from_str(value, DOTTED_DATE).is_ok(),
                _ => false,
            },
        }
    }
}

/// A parameter of an act's table: its name, type and whether it is required.
pub(super) struct Param {
    name: &'static str,
    ty: Ty,
    required: bool,
}

const fn req(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        required: true,
    }
}

const fn opt(name: &'static str, ty: Ty) -> Param {
    Param {
        name,
        ty,
        required: false,
    }
}

/// `docuid CHAR(20) Yes`. Not `required` here: a missing docuid names no document, which each
/// act answers as the document does for an unknown one (`Invalid UID: …`).
const DOCUID: Param = opt("docuid", Ty::Char(20));

/// `getdoc INTEGER No`: "if 1 saved document data is returned".
const GETDOC: Param = opt("getdoc", Ty::Integer);

/// `ODOC_NEW`'s table (line 120), `realated.docuid` as it spells it.
const NEW: &[Param] = &[
    req("doctype", Ty::Char(3)),
    req("docst", Ty::Char(3)),
    opt("related.dhid", Ty::Numeric(10, 0)),
    opt("realated.docuid", Ty::Varchar(20)),
];

/// `ODOC_MODIFY`'s table (line 151).
const MODIFY: &[Param] = &[opt("local", Ty::Integer), DOCUID];

/// `ODOC_SETDATA`'s table (line 186): `objname` is one of the four its description lists.
const SETDATA: &[Param] = &[
    DOCUID,
    req("objname", Ty::OneOf(&["document", "header", "rows", "row"])),
    GETDOC,
];

/// `ODOC_GETDOC`'s table (line 317).
const GETDOC_ACT: &[Param] = &[DOCUID, opt("what", Ty::OneOf(&["1", "2", "3"]))];

/// `ODOC_ITEMSALE`'s table (line 475); "One of the 2" is the act's.
const ITEMSALE: &[Param] = &[
    DOCUID,
    opt("rowno", Ty::Numeric(4, 0)),
    opt("batch_id", Ty::Numeric(10, 0)),
    opt("searchcode", Ty::Char(20)),
    opt("quantity", Ty::Numeric(15, 5)),
    opt("price", Ty::Numeric(15, 4)),
    GETDOC,
];

/// `ODOC_BARCODESALE`'s table (line 515).
const BARCODESALE: &[Param] = &[
    DOCUID,
    req("barcode", Ty::Char(16)),
    req("doinsert", Ty::Integer),
    req("rowno", Ty::Integer),
    opt("quantity", Ty::Integer),
    GETDOC,
];

/// `ODOC_ITEMSETQTY`'s table (line 553).
const ITEMSETQTY: &[Param] = &[
    DOCUID,
    req("rowno", Ty::Integer),
    req("quantity", Ty::Numeric(15, 5)),
    GETDOC,
];

/// `ODOC_ROWDEL`'s table (line 589).
const ROWDEL: &[Param] = &[DOCUID, req("rowno", Ty::Integer), GETDOC];

/// `ODOC_GETPAYMODES`' and `ODOC_COMPLETE`'s tables (lines 624, 812).
const DOCUID_GETDOC: &[Param] = &[DOCUID, GETDOC];

/// `ODOC_SETPAYMENT`'s table (line 694).
const SETPAYMENT: &[Param] = &[
    DOCUID,
    req("paymentmode", Ty::Char(1)),
    req("paymenttype", Ty::Char(1)),
    opt("paymentmodeex", Ty::Char(3)),
    opt("currency_id", Ty::Char(3)),
    opt("additional_id", Ty::Char(20)),
    req("amount", Ty::Numeric(11, 2)),
    opt("paymentdatetime", Ty::Timestamp),
    GETDOC,
];

/// `ODOC_ADDEVENT`'s table (line 741).
const ADDEVENT: &[Param] = &[
    DOCUID,
    req("de_act", Ty::Char(10)),
    opt("de_custevent", Ty::Char(10)),
    opt("de_comment", Ty::Varchar(100)),
    opt("de_data", Ty::Varchar(750)),
    opt("de_sourcetype_id", Ty::Char(3)),
    opt("de_source_id", Ty::Varchar(10)),
];

/// `ODOC_CHECK`'s and `ODOC_CANCEL`'s tables (lines 251, 780).
const DOCUID_ONLY: &[Param] = &[DOCUID];

/// `DOCCHANGESTATE`'s table (line 846); "One of the 3" is the act's.
const CHANGESTATE: &[Param] = &[
    DOCUID,
    opt("dhid", Ty::Numeric(10, 0)),
    opt("dochid", Ty::Numeric(10, 0)),
    req("newstate", Ty::Char(3)),
];

/// The table of an act (empty for an act without typed parameters).
fn table(act: &str) -> &'static [Param] {
    match act {
        "ODOC_NEW" => NEW,
        "ODOC_MODIFY" => MODIFY,
        "ODOC_SETDATA" => SETDATA,
        "ODOC_CHECK" | "ODOC_CANCEL" => DOCUID_ONLY,
        "ODOC_GETDOC" => GETDOC_ACT,
        "ODOC_ITEMSALE" => ITEMSALE,
        "ODOC_BARCODESALE" => BARCODESALE,
        "ODOC_ITEMSETQTY" => ITEMSETQTY,
        "ODOC_ROWDEL" => ROWDEL,
        "ODOC_GETPAYMODES" | "ODOC_COMPLETE" => DOCUID_GETDOC,
        "ODOC_SETPAYMENT" => SETPAYMENT,
        "ODOC_ADDEVENT" => ADDEVENT,
        "DOCCHANGESTATE" => CHANGESTATE,
        _ => &[],
    }
}

/// Checks the request's parameters against its act's table.
pub(super) fn check(act: &str, ctx: &Ctx<'_>) -> Result<(), Failure> {
    for param in table(act) {
        let (name, ty) = (param.name, param.ty);
        let value = ctx.p.get(name).filter(|v| !v.trim().is_empty());
        match value {
            None if param.required => return Err(failure(format!("{name} is required"))),
            Some(v) if !ty.holds(v) => {
                return Err(failure(format!("Invalid {name} value: not a {ty}")));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `ODOC_SETDATA`'s header attributes (line 201), "including, not limited to": the listed ones
/// are checked, others are kept as sent.
const HEADER: &[Param] = &[
    opt("datetime", Ty::Timestamp),
    opt("documentno", Ty::Char(20)),
    opt("location_id", Ty::Char(10)),
    opt("object_id", Ty::Char(6)),
    opt("customer_id", Ty::Numeric(10, 0)),
    opt("customerlocation_id", Ty::Numeric(10, 0)),
    opt("text", Ty::Varchar(250)),
    opt("text2", Ty::Varchar(250)),
];

/// `ODOC_SETDATA`'s row attributes (line 212), "including, not limited to".
const ROW: &[Param] = &[
    opt("rowno", Ty::Numeric(4, 0)),
    opt("bach_id", Ty::Numeric(10, 0)),
    opt("product_id", Ty::Numeric(10, 0)),
    opt("object_id", Ty::Char(6)),
    opt("quantity", Ty::Numeric(15, 5)),
    opt("price", Ty::Numeric(15, 4)),
];

/// Checks an `objdata` header against its attribute table.
pub(super) fn check_header(attrs: &Map<String, Value>) -> Result<(), Failure> {
    check_attrs("header", HEADER, attrs)
}

/// Checks an `objdata` row against its attribute table.
pub(super) fn check_row(attrs: &Map<String, Value>) -> Result<(), Failure> {
    check_attrs("row", ROW, attrs)
}

/// A JSON attribute is its column's text: a string as it is, a number as written; `null` is
/// absent, and `true`, an object or an array fits no column.
fn check_attrs(part: &str, table: &[Param], attrs: &Map<String, Value>) -> Result<(), Failure> {
    for Param { name, ty, .. } in table {
        let text = match attrs.get(*name) {
            None | Some(Value::Null) => continue,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => None,
        };
        if !text.is_some_and(|t| ty.holds(&t)) {
            return Err(failure(format!(
                "Invalid {part} attribute {name}: not a {ty}"
            )));
        }
    }
    Ok(())
}

/// Whether `value` is a plain decimal (`-`, digits, one `,` or `.` with digits after it) whose
/// value fits `NUMERIC(precision, scale)`: leading zeros and trailing decimal zeros count for
/// nothing, as in the column.
fn numeric_fits(value: &str, precision: usize, scale: usize) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (int, frac) = match digits.split_once([',', '.']) {
        Some((_, "")) => return false,
        Some(parts) => parts,
        None => (digits, ""),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !all_digits(int) || !all_digits(frac) {
        return false;
    }
    int.trim_start_matches('0').len() <= precision - scale
        && frac.trim_end_matches('0').len() <= scale
}

/// Whether `value` is an SQL INTEGER: `-` and digits, within 32 bits.
fn integer(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && value.parse::<i32>().is_ok()
}
