//! Date and time adapters: `dd.mm.yyyy[ HH:MM:SS]`, SQL `YYYY-MM-DD HH:MM:SS`, and the lenient
//! any-of-the-usual-forms dates of a server that documents no format.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use serde_with::{DeserializeAs, SerializeAs};

use super::ReadScalar;

/// The `dd.mm.yyyy` format.
pub const DOTTED_DATE: &str = "%d.%m.%Y";
/// The `dd.mm.yyyy HH:MM:SS` format.
pub const DOTTED_DATE_TIME: &str = "%d.%m.%Y %H:%M:%S";

adapter!(
    /// A date as `dd.mm.yyyy`.
    DottedDate
);
impl ReadScalar<NaiveDate> for DottedDate {
    const EXPECTING: &'static str = "a dd.mm.yyyy date";
    fn read_str(text: &str) -> Result<NaiveDate, String> {
        if let Some(date) = fixed_date(text.as_bytes(), DMY_DOTS) {
            return Ok(date);
        }
        NaiveDate::parse_from_str(text.trim(), DOTTED_DATE)
            .map_err(|e| format!("invalid dd.mm.yyyy date {text:?}: {e}"))
    }
}
scalar_adapter_impl!(DottedDate, NaiveDate, |v: &NaiveDate, s: S| s
    .collect_str(&v.format(DOTTED_DATE)));

/// Parses `dd.mm.yyyy HH:MM:SS`, or `dd.mm.yyyy HH:MM`.
pub fn parse_dotted_date_time(text: &str) -> Result<NaiveDateTime, String> {
    if let Some(time) = fixed_date_time(text.as_bytes(), DMY_DOTS, b' ') {
        return Ok(time);
    }
    let t = text.trim();
    NaiveDateTime::parse_from_str(t, DOTTED_DATE_TIME)
        .or_else(|_| NaiveDateTime::parse_from_str(t, "%d.%m.%Y %H:%M"))
        .map_err(|e| format!("invalid dd.mm.yyyy HH:MM:SS time {t:?}: {e}"))
}

adapter!(
    /// A local date and time as `dd.mm.yyyy HH:MM:SS`.
    DottedDateTime
);
impl ReadScalar<NaiveDateTime> for DottedDateTime {
    const EXPECTING: &'static str = "a dd.mm.yyyy HH:MM:SS time";
    fn read_str(text: &str) -> Result<NaiveDateTime, String> {
        parse_dotted_date_time(text)
    }
}
scalar_adapter_impl!(DottedDateTime, NaiveDateTime, |v: &NaiveDateTime, s: S| s
    .collect_str(&v.format(DOTTED_DATE_TIME)));

/// Where the day, month and year digits sit in a fixed-width date, and its two separators.
#[derive(Clone, Copy)]
struct DateLayout {
    day: usize,
    month: usize,
    year: usize,
    separators: [(usize, u8); 2],
}

/// `dd.mm.yyyy`.
const DMY_DOTS: DateLayout = DateLayout {
    day: 0,
    month: 3,
    year: 6,
    separators: [(2, b'.'), (5, b'.')],
};

/// `yyyy-mm-dd`.
const YMD_DASHES: DateLayout = DateLayout {
    day: 8,
    month: 5,
    year: 0,
    separators: [(4, b'-'), (7, b'-')],
};

/// The number written by the ASCII digits `bytes[at..at + len]`.
fn digits(bytes: &[u8], at: usize, len: usize) -> Option<u32> {
    bytes.get(at..at + len)?.iter().try_fold(0u32, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

/// A date in exactly the 10 bytes of `layout` (two-digit day and month, four-digit year), read
/// without chrono's format machinery; `None` for any other text, which the format parser
/// then reads (or refuses) as before.
fn fixed_date(bytes: &[u8], layout: DateLayout) -> Option<NaiveDate> {
    if bytes.len() != 10 {
        return None;
    }
    fixed_date_prefix(bytes, layout)
}

fn fixed_date_prefix(bytes: &[u8], layout: DateLayout) -> Option<NaiveDate> {
    if layout
        .separators
        .iter()
        .any(|&(at, b)| bytes.get(at) != Some(&b))
    {
        return None;
    }
    let year = digits(bytes, layout.year, 4)?;
    NaiveDate::from_ymd_opt(
        year as i32,
        digits(bytes, layout.month, 2)?,
        digits(bytes, layout.day, 2)?,
    )
}

/// A date of `layout`, `separator`, then `HH:MM:SS`: exactly 19 bytes, as [`fixed_date`].
fn fixed_date_time(bytes: &[u8], layout: DateLayout, separator: u8) -> Option<NaiveDateTime> {
    if bytes.len() != 19 || bytes[10] != separator || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    fixed_date_prefix(bytes, layout)?.and_hms_opt(
        digits(bytes, 11, 2)?,
        digits(bytes, 14, 2)?,
        digits(bytes, 17, 2)?,
    )
}

/// The SQL `YYYY-MM-DD HH:MM:SS` format (what MySQL-backed PHP servers send).
pub const SQL_DATE_TIME: &str = "%Y-%m-%d %H:%M:%S";

/// Parses `YYYY-MM-DD HH:MM:SS` (also with a `T` separator, fractional seconds, without
/// seconds, or a bare `YYYY-MM-DD` as midnight).
pub fn parse_sql_date_time(text: &str) -> Result<NaiveDateTime, String> {
    let bytes = text.as_bytes();
    if let Some(time) = fixed_date_time(bytes, YMD_DASHES, b' ')
        .or_else(|| fixed_date_time(bytes, YMD_DASHES, b'T'))
    {
        return Ok(time);
    }
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
impl ReadScalar<NaiveDateTime> for SqlDateTime {
    const EXPECTING: &'static str = "a YYYY-MM-DD HH:MM:SS time";
    fn read_str(text: &str) -> Result<NaiveDateTime, String> {
        parse_sql_date_time(text)
    }
}
scalar_adapter_impl!(SqlDateTime, NaiveDateTime, |v: &NaiveDateTime, s: S| s
    .collect_str(&v.format(SQL_DATE_TIME)));

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
    if let Some(date) = fixed_date(text.as_bytes(), YMD_DASHES) {
        return Some(date);
    }
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

/// A date and time in one of [`ANY_DATE_TIME_FORMATS`] (fractional seconds allowed in the
/// `YYYY-MM-DD` forms, as PHP's `DateTime` writes them), or a date alone at midnight; `None` for
/// `""`, zero dates and unreadable text.
pub fn parse_any_date_time(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if let Some(time) = fixed_date_time(bytes, YMD_DASHES, b' ')
        .or_else(|| fixed_date_time(bytes, YMD_DASHES, b'T'))
    {
        return Some(time);
    }
    let t = text.trim();
    ANY_DATE_TIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok())
        .or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%d %H:%M:%S%.f").ok())
        .or_else(|| {
            ANY_DATE_FORMATS
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(t, f).ok())
                .map(|d| d.and_time(chrono::NaiveTime::MIN))
        })
}

/// Text (or `null`) read from a string or a number; PHP's `DateTime` object
/// (`{"date":"2026-11-25 10:00:00.000000","timezone_type":3,"timezone":"UTC"}`) gives its `date`.
/// Any other shape (`false`, `[]`, an object without a text `date`) is no text: one odd value
/// must not lose a whole list.
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
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
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
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut date = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == "date" {
                        date = map.next_value::<Text>()?.0;
                    } else {
                        map.next_value::<de::IgnoredAny>()?;
                    }
                }
                Ok(Text(date))
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
