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

use super::wire::{Ctx, Failure, failure};

/// A column type of the document's tables.
#[derive(Clone, Copy)]
pub(super) enum Ty {
    /// `CHAR(n)`: at most `n` characters.
    Char(usize),
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
            Ty::Char(n) => value.chars().count() <= n,
            Ty::Numeric(p, s) => numeric_fits(value, p, s),
            Ty::Timestamp => {
                NaiveDateTime::parse_from_str(value, DOTTED_DATE_TIME).is_ok()
                    || NaiveDate::parse_from_str(value, DOTTED_DATE).is_ok()
            }
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

/// `ODOC_SETPAYMENT`'s table.
const SETPAYMENT: &[Param] = &[
    DOCUID,
    req("paymentmode", Ty::Char(1)),
    req("paymenttype", Ty::Char(1)),
    opt("paymentmodeex", Ty::Char(3)),
    opt("currency_id", Ty::Char(3)),
    opt("additional_id", Ty::Char(20)),
    req("amount", Ty::Numeric(11, 2)),
    opt("paymentdatetime", Ty::Timestamp),
];

/// The table of an act (empty for an act without typed parameters).
fn table(act: &str) -> &'static [Param] {
    match act {
        "ODOC_SETPAYMENT" => SETPAYMENT,
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
