//! CloudPOS' lenient value shapes that the core's adapters do not cover, as `serde_with`
//! adapters and the parsers behind them.
//!
//! The document gives one date format (the filter's `date=2016-01-01`) and no list format, so
//! the client accepts what a PHP backend plausibly sends:
//!
//! | adapter            | Rust type               | accepts                                                     |
//! |--------------------|-------------------------|-------------------------------------------------------------|
//! | [`LenientDate`]    | `Option<NaiveDate>`     | `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY`, `YYYY/MM/DD`, `DD.MM.YYYY`, a date with a time; `""`, `0000-00-00`, unreadable text and `null` as `None` |
//! | [`LenientDateTime`]| `Option<NaiveDateTime>` | the date forms above with `HH:MM[:SS]` (space or `T`), a date alone (midnight); the same as `None` |
//! | [`TextList`]       | `Vec<T>`                | an array, one value, a `,`/`;`-separated string; `null` and `""` as empty |
//!
//! Unreadable dates are absent rather than errors: one odd date must not lose a whole list.

use std::fmt;
use std::marker::PhantomData;

use pos_client_core::chrono::{NaiveDate, NaiveDateTime};
use pos_client_core::serde_with::{DeserializeAs, de::DeserializeAsWrap};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// Date-time formats accepted in fields and messages, longest first.
pub(crate) const DATETIME_FORMATS: [&str; 12] = [
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

/// Date formats accepted when a field or message holds a date without a time.
pub(crate) const DATE_FORMATS: [&str; 5] =
    ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"];

/// Parses a date in one of the accepted date formats (the whole text, trimmed).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    DATE_FORMATS
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text.trim(), f).ok())
}

/// Parses a date and time in one of the accepted formats (the whole text, trimmed).
pub(crate) fn parse_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    DATETIME_FORMATS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M:%S%.f").ok())
}

/// A field's date: a date, or the date of a date and time; `None` for `""`, `0000-00-00` and
/// unreadable text.
pub fn lenient_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let date = parse_date(t)
        .or_else(|| parse_datetime(t).map(|dt| dt.date()))
        .or_else(|| t.get(..10).and_then(parse_date));
    if date.is_none() && !t.is_empty() && !t.starts_with("0000") {
        tracing::debug!(value = t, "cloudpos: unreadable date read as absent");
    }
    date
}

/// A field's date and time: a date and time, or a date alone at midnight; `None` for `""`,
/// zero dates and unreadable text.
pub fn lenient_datetime(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim();
    let parsed = parse_datetime(t).or_else(|| parse_date(t).and_then(|d| d.and_hms_opt(0, 0, 0)));
    if parsed.is_none() && !t.is_empty() && !t.starts_with("0000") {
        tracing::debug!(value = t, "cloudpos: unreadable date-time read as absent");
    }
    parsed
}

/// Splits a list sent as one string (`"11,15"`, `"12:00; 18:30"`) into its trimmed,
/// non-empty parts.
pub fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
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

/// `Option<NaiveDate>` from the forms of [`lenient_date`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LenientDate;

impl<'de> DeserializeAs<'de, Option<NaiveDate>> for LenientDate {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Ok(Text::deserialize(d)?.0.as_deref().and_then(lenient_date))
    }
}

/// `Option<NaiveDateTime>` from the forms of [`lenient_datetime`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LenientDateTime;

impl<'de> DeserializeAs<'de, Option<NaiveDateTime>> for LenientDateTime {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
        Ok(Text::deserialize(d)?
            .0
            .as_deref()
            .and_then(lenient_datetime))
    }
}

/// A list that may come as an array, one value, or one `,`/`;`-separated string (`"11,15"`);
/// `null` and `""` are empty. `S` adapts the elements (each part of a string is handed to `S`
/// as a string).
#[derive(Debug, Clone, Copy, Default)]
pub struct TextList<S = pos_client_core::serde_with::Same>(PhantomData<S>);

impl<'de, T, S> DeserializeAs<'de, Vec<T>> for TextList<S>
where
    S: for<'a> DeserializeAs<'a, T>,
{
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        struct ListVisitor<T, S>(PhantomData<(T, S)>);
        impl<T, S: for<'a> DeserializeAs<'a, T>> ListVisitor<T, S> {
            fn one<E: de::Error>(text: &str) -> Result<T, E> {
                S::deserialize_as(de::value::StrDeserializer::<E>::new(text))
            }
        }
        impl<'de, T, S: for<'a> DeserializeAs<'a, T>> Visitor<'de> for ListVisitor<T, S> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array, one value, or a comma-separated string")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<DeserializeAsWrap<T, S>>()? {
                    out.push(item.into_inner());
                }
                Ok(out)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
                split_list(v).map(Self::one).collect()
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Vec<T>, E> {
                Ok(vec![Self::one(&v.to_string())?])
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Vec<T>, E> {
                Ok(vec![Self::one(&v.to_string())?])
            }
            fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(ListVisitor::<T, S>(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pos_client_core::encoding::{LenientInt, LenientString};
    use pos_client_core::serde_with::serde_as;

    #[serde_as(crate = "::pos_client_core::serde_with")]
    #[derive(Deserialize)]
    struct Shapes {
        #[serde_as(as = "LenientDate")]
        #[serde(default)]
        date: Option<NaiveDate>,
        #[serde_as(as = "LenientDateTime")]
        #[serde(default)]
        time: Option<NaiveDateTime>,
        #[serde_as(as = "TextList<LenientInt>")]
        #[serde(default)]
        ids: Vec<u64>,
        #[serde_as(as = "TextList<LenientString>")]
        #[serde(default)]
        hours: Vec<String>,
    }

    fn shapes(json: &str) -> Shapes {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn dates_in_every_plausible_form_and_absent_ones() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25);
        for text in [
            "2026-11-25",
            "25-11-2026",
            "25/11/2026",
            "2026/11/25",
            "25.11.2026",
            "2026-11-25 10:00:00",
            " 2026-11-25T10:00 ",
        ] {
            assert_eq!(
                shapes(&format!(r#"{{"date":"{text}"}}"#)).date,
                day,
                "{text}"
            );
        }
        for json in [
            r#"{"date":""}"#,
            r#"{"date":"0000-00-00"}"#,
            r#"{"date":"soon"}"#,
            r#"{"date":null}"#,
            r#"{}"#,
        ] {
            assert_eq!(shapes(json).date, None, "{json}");
        }
    }

    #[test]
    fn date_times_with_or_without_seconds_and_dates_alone() {
        for (text, expected) in [
            ("2026-11-25 10:11", Some("2026-11-25 10:11:00")),
            ("25-11-2026 10:11:12", Some("2026-11-25 10:11:12")),
            ("2026-11-25", Some("2026-11-25 00:00:00")),
            ("0000-00-00 00:00:00", None),
            ("", None),
        ] {
            let time = shapes(&format!(r#"{{"time":"{text}"}}"#)).time;
            assert_eq!(time.map(|t| t.to_string()).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn lists_as_arrays_single_values_or_separated_strings() {
        assert_eq!(shapes(r#"{"ids":["11",12]}"#).ids, [11, 12]);
        assert_eq!(shapes(r#"{"ids":"11,15"}"#).ids, [11, 15]);
        assert_eq!(shapes(r#"{"ids":"1, 2;3"}"#).ids, [1, 2, 3]);
        assert_eq!(shapes(r#"{"ids":15}"#).ids, [15]);
        assert!(shapes(r#"{"ids":""}"#).ids.is_empty());
        assert!(shapes(r#"{"ids":null}"#).ids.is_empty());
        assert!(serde_json::from_str::<Shapes>(r#"{"ids":"1,x"}"#).is_err());
        assert_eq!(
            shapes(r#"{"hours":"12:00, 18:30"}"#).hours,
            ["12:00", "18:30"]
        );
    }
}
