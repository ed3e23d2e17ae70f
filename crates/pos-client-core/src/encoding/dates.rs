//! Date and time adapters: `dd.mm.yyyy[ HH:MM:SS]`, SQL `YYYY-MM-DD HH:MM:SS`, and the lenient
//! any-of-the-usual-forms dates of a server that documents no format.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
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

/// Date-time formats [`parse_any_date_time`] accepts, longest first.
pub const ANY_DATE_TIME_FORMATS: [&str; 12] = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M",
    "%d.%m.%Y %H:%M",
];

/// Date formats [`parse_any_date`] accepts (day first where the day is not last: the European
/// order of the vendors here).
pub const ANY_DATE_FORMATS: [&str; 5] =
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"];

/// A date in one of [`ANY_DATE_FORMATS`], or the date of a date and time; `None` for `""`,
/// `0000-00-00` and unreadable text.
pub fn parse_any_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let date = |t: &str| {
        ANY_DATE_FORMATS
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
    };
    date(t)
        .or_else(|| parse_any_date_time(t).map(|dt| dt.date()))
        .or_else(|| t.get(..10).and_then(date))
}

/// A date and time in one of [`ANY_DATE_TIME_FORMATS`] (fractional seconds allowed after a
/// `T`), or a date alone at midnight; `None` for `""`, zero dates and unreadable text.
pub fn parse_any_date_time(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    ANY_DATE_TIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok())
        .or_else(|| {
            ANY_DATE_FORMATS
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

/// Text (or `null`) read from a string, a number or a boolean.
struct Text(Option<String>);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or null")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(Some(v.to_owned())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Text, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(TextVisitor)
    }
}

/// An optional date in any of the usual forms ([`parse_any_date`]), for servers that document
/// no format. Unreadable text is `None` and logged at debug level rather than an error: one odd
/// date must not lose a whole list. Sends `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LenientDate;

impl<'de> DeserializeAs<'de, Option<NaiveDate>> for LenientDate {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        let text = Text::deserialize(d)?.0;
        let date = text.as_deref().and_then(parse_any_date);
        if let (None, Some(t)) = (date, text.as_deref()) {
            unreadable(t);
        }
        Ok(date)
    }
}

impl SerializeAs<Option<NaiveDate>> for LenientDate {
    fn serialize_as<S: Serializer>(value: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }
}

/// An optional date and time in any of the usual forms ([`parse_any_date_time`]); unreadable
/// text is `None`, as for [`LenientDate`]. Sends `YYYY-MM-DD HH:MM:SS`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LenientDateTime;

impl<'de> DeserializeAs<'de, Option<NaiveDateTime>> for LenientDateTime {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        let text = Text::deserialize(d)?.0;
        let time = text.as_deref().and_then(parse_any_date_time);
        if let (None, Some(t)) = (time, text.as_deref()) {
            unreadable(t);
        }
        Ok(time)
    }
}

impl SerializeAs<Option<NaiveDateTime>> for LenientDateTime {
    fn serialize_as<S: Serializer>(value: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(t) => s.collect_str(&t.format(SQL_DATE_TIME)),
            None => s.serialize_none(),
        }
    }
}

fn unreadable(text: &str) {
    let t = text.trim();
    if !t.is_empty() && !t.starts_with("0000") {
        tracing::debug!(chars = t.chars().count(), "unreadable date read as absent");
    }
}
