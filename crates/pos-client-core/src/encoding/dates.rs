//! Date and time adapters: `dd.mm.yyyy[ HH:MM:SS]` and SQL `YYYY-MM-DD HH:MM:SS`.

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde_with::{DeserializeAs, SerializeAs};

use super::Scalar;

/// The `dd.mm.yyyy` format.
pub const DOTTED_DATE: &str = "%d.%m.%Y";
/// The `dd.mm.yyyy HH:MM:SS` format.
pub const DOTTED_DATE_TIME: &str = "%d.%m.%Y %H:%M:%S";

adapter!(
    /// A date as `dd.mm.yyyy`.
    DottedDate
);
scalar_adapter_impl!(
    DottedDate,
    NaiveDate,
    |s| match s {
        Scalar::Str(t) => NaiveDate::parse_from_str(t.trim(), DOTTED_DATE)
            .map_err(|e| format!("invalid dd.mm.yyyy date {t:?}: {e}")),
        other => Err(format!("expected a dd.mm.yyyy date, found {other:?}")),
    },
    |v: &NaiveDate, s: S| s.collect_str(&v.format(DOTTED_DATE))
);

/// Parses `dd.mm.yyyy HH:MM:SS`, or `dd.mm.yyyy HH:MM`.
pub fn parse_dotted_date_time(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, DOTTED_DATE_TIME)
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%d.%m.%Y %H:%M"))
        .map_err(|e| format!("invalid dd.mm.yyyy HH:MM:SS time {t:?}: {e}"))
}

adapter!(
    /// A local date and time as `dd.mm.yyyy HH:MM:SS`.
    DottedDateTime
);
scalar_adapter_impl!(
    DottedDateTime,
    NaiveDateTime,
    |s| match s {
        Scalar::Str(t) => parse_dotted_date_time(&t),
        other => Err(format!(
            "expected a dd.mm.yyyy HH:MM:SS time, found {other:?}"
        )),
    },
    |v: &NaiveDateTime, s: S| s.collect_str(&v.format(DOTTED_DATE_TIME))
);

/// The SQL `YYYY-MM-DD HH:MM:SS` format (what MySQL-backed PHP servers send).
pub const SQL_DATE_TIME: &str = "%Y-%m-%d %H:%M:%S";

/// Parses `YYYY-MM-DD HH:MM:SS` (also with a `T` separator, fractional seconds, without
/// seconds, or a bare `YYYY-MM-DD` as midnight).
pub fn parse_sql_date_time(text: &str) -> Result<NaiveDateTime, String> {
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f"))
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M"))
        .or_else(|_| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d").map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
        .map_err(|e| format!("invalid YYYY-MM-DD HH:MM:SS time {t:?}: {e}"))
}

adapter!(
    /// A local date and time as `YYYY-MM-DD HH:MM:SS` (lenient: see [`parse_sql_date_time`]).
    SqlDateTime
);
scalar_adapter_impl!(
    SqlDateTime,
    NaiveDateTime,
    |s| match s {
        Scalar::Str(t) => parse_sql_date_time(&t),
        other => Err(format!(
            "expected a YYYY-MM-DD HH:MM:SS time, found {other:?}"
        )),
    },
    |v: &NaiveDateTime, s: S| s.collect_str(&v.format(SQL_DATE_TIME))
);
