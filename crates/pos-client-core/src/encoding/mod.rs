//! Serde adapters for the odd encodings these vendors use, for `#[serde_as(as = "…")]`.
//!
//! Every adapter decodes leniently (a number or a numeric string, with a decimal point or a
//! decimal comma) and works on both `T` and `Option<T>`: for an `Option`, `null` and the empty
//! string decode as `None` (combine with `#[serde(default)]` for absent fields).
//!
//! | adapter            | Rust type                 | accepts                                  | sends            |
//! |--------------------|---------------------------|------------------------------------------|------------------|
//! | [`LenientDecimal`] | `Decimal`, [`crate::Money`] | `12.5`, `"12.5"`, `"12,5"`               | JSON number      |
//! | [`DecimalComma`]   | `Decimal`, [`crate::Money`] | as above                                 | `"12,5"`         |
//! | [`LenientInt`]     | `i64`, `u64`, `u32`, `i32`| `3`, `"3"`, `3.0`                        | JSON number      |
//! | [`LenientString`]  | `String`                  | `"A1"`, `17`, `17.5`, `true`             | JSON string      |
//! | [`YesNo`]          | `bool`                    | `"Y"`/`"N"` (any case)                   | `"Y"`/`"N"`      |
//! | [`OneZero`]        | `bool`                    | `1`/`0`, `"1"`/`"0"`, `true`/`false`     | `1`/`0`          |
//! | [`PlusMinus`]      | `bool`                    | `"+"`/`"-"`                              | `"+"`/`"-"`      |
//! | [`UnixSeconds`]    | `DateTime<Utc>`           | `1583245942`, `"1583245942"`             | JSON number      |
//! | [`DottedDate`]     | `NaiveDate`               | `"03.03.2020"`                           | `"03.03.2020"`   |
//! | [`DottedDateTime`] | `NaiveDateTime`           | `"03.03.2020 15:32:22"` (seconds optional)| with seconds    |
//! | [`SqlDateTime`]    | `NaiveDateTime`           | `"2024-03-05 14:30:15"` (`T`, no seconds, date only) | with seconds |
//! | [`LenientDate`]    | `Option<NaiveDate>`       | `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY`, `YYYY/MM/DD`, `DD.MM.YYYY`, with a time; unreadable, `""`, `0000-00-00` as `None` | `YYYY-MM-DD` |
//! | [`LenientDateTime`]| `Option<NaiveDateTime>`   | the same with `HH:MM[:SS]` (space or `T`), a date alone at midnight | SQL form |
//! | [`OneOrMany`]      | `Vec<T>`                  | an array, one object, `null`, `""`       | an array         |
//! | [`TextList`]       | `Vec<T>`                  | an array, one value, `"11,15"` (`,`/`;`), `null`, `""` | an array |
//! | [`ObjectOrEmpty`]  | `Option<T>`               | an object; `""`, `[]`, `null` as `None`  | object or `null` |
//!
//! JSON numbers reach the decimal adapters through serde_json's parser, which reads them as
//! `f64` without the `arbitrary_precision` feature; they are converted through their shortest
//! round-trip text, which is exact for up to 15 significant digits. Numeric strings are parsed
//! exactly.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{Error as _, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

/// One scalar as the wire had it.
#[derive(Debug)]
enum Scalar<'de> {
    Str(Cow<'de, str>),
    I64(i64),
    U64(u64),
    F64(f64),
    Bool(bool),
    Null,
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, a string or a boolean")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar::Str(Cow::Owned(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar::I64(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar::U64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar::F64(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Scalar::Bool(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Scalar::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Scalar::deserialize(d)
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

impl Scalar<'_> {
    /// `None` for null and for a string that is empty after trimming.
    fn non_empty(self) -> Option<Self> {
        match self {
            Scalar::Null => None,
            Scalar::Str(s) if is_blank(&s) => None,
            other => Some(other),
        }
    }
}

/// Whether `s` is empty or only whitespace. Most strings start with a visible ASCII character,
/// which settles it without `trim` decoding any UTF-8.
fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// Parses a decimal written with a point or a comma (`"8,67"`), with optional whitespace.
/// A string with both (`"1.234,56"`) is rejected rather than guessed at.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    // A decimal comma becomes a point in a stack buffer: no allocation for the usual short text.
    let mut buf = [0u8; 48];
    let normalized: Cow<'_, str> = match (t.contains(','), t.contains('.')) {
        (true, true) => return Err(format!("ambiguous decimal {t:?}: both ',' and '.'")),
        (true, false) if t.len() <= buf.len() && t.matches(',').count() == 1 => {
            let bytes = &mut buf[..t.len()];
            bytes.copy_from_slice(t.as_bytes());
            for b in bytes.iter_mut() {
                if *b == b',' {
                    *b = b'.';
                }
            }
            // Replacing one ASCII byte by another keeps the text valid UTF-8.
            Cow::Borrowed(std::str::from_utf8(bytes).map_err(|e| e.to_string())?)
        }
        (true, false) => Cow::Owned(t.replacen(',', ".", 1)),
        _ => Cow::Borrowed(t),
    };
    let parsed = if normalized.contains(['e', 'E']) {
        Decimal::from_scientific(&normalized)
    } else {
        Decimal::from_str(&normalized)
    };
    parsed.map_err(|e| format!("invalid decimal {t:?}: {e}"))
}

fn decimal_from(scalar: Scalar<'_>) -> Result<Decimal, String> {
    match scalar {
        Scalar::Str(s) => parse_decimal(&s),
        Scalar::I64(v) => Ok(Decimal::from(v)),
        Scalar::U64(v) => Ok(Decimal::from(v)),
        // The decimal the shortest round-trip text of the f64 denotes.
        Scalar::F64(v) if v.is_finite() => match decimal_from_f64_fast(v) {
            Some(d) => Ok(d),
            None => parse_decimal(&v.to_string()),
        },
        other => Err(format!("expected a decimal, found {other:?}")),
    }
}

/// The decimal of the shortest round-trip text of `v` when it has at most 6 fractional digits
/// and 15 significant digits (every amount and quantity in practice), without formatting `v`.
///
/// If `m / 10^k == v` for an integer `|m| < 10^15` (the division is correctly rounded, `m` and
/// `10^k` being exact in `f64`), then the decimal `m × 10^-k` parses back to `v`. Decimals of at
/// most 15 significant digits round-trip through `f64`, so no two of them map to the same `v`:
/// the shortest round-trip text of `v` (at most as many digits) denotes the same value. The
/// smallest such `k` gives the same scale as that text. `None` means: use the text.
fn decimal_from_f64_fast(v: f64) -> Option<Decimal> {
    const POW10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    if v == 0.0 {
        return None;
    }
    for (k, p) in POW10.iter().enumerate() {
        let m = (v * p).round();
        if m.abs() >= 1e15 {
            return None;
        }
        if m / p == v {
            return Some(Decimal::new(m as i64, k as u32));
        }
    }
    None
}

fn int_from(scalar: Scalar<'_>) -> Result<i128, String> {
    match scalar {
        Scalar::Str(s) => s
            .trim()
            .parse::<i128>()
            .map_err(|e| format!("invalid integer {s:?}: {e}")),
        Scalar::I64(v) => Ok(v.into()),
        Scalar::U64(v) => Ok(v.into()),
        Scalar::F64(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => Ok(v as i128),
        other => Err(format!("expected an integer, found {other:?}")),
    }
}

fn string_from(scalar: Scalar<'_>) -> Result<String, String> {
    match scalar {
        Scalar::Str(s) => Ok(s.into_owned()),
        Scalar::I64(v) => Ok(v.to_string()),
        Scalar::U64(v) => Ok(v.to_string()),
        Scalar::F64(v) => Ok(v.to_string()),
        Scalar::Bool(v) => Ok(v.to_string()),
        Scalar::Null => Err("expected a string, found null".into()),
    }
}

fn flag_from(scalar: Scalar<'_>, yes: &[&str], no: &[&str]) -> Result<bool, String> {
    match scalar {
        Scalar::Str(s) => {
            let t = s.trim();
            if yes.iter().any(|y| t.eq_ignore_ascii_case(y)) {
                Ok(true)
            } else if no.iter().any(|n| t.eq_ignore_ascii_case(n)) {
                Ok(false)
            } else {
                Err(format!("expected one of {yes:?} or {no:?}, found {t:?}"))
            }
        }
        Scalar::Bool(b) => Ok(b),
        Scalar::I64(1) | Scalar::U64(1) if yes.contains(&"1") => Ok(true),
        Scalar::I64(0) | Scalar::U64(0) if no.contains(&"0") => Ok(false),
        other => Err(format!(
            "expected one of {yes:?} or {no:?}, found {other:?}"
        )),
    }
}

/// Serializes a decimal as a JSON number with its exact text (`12.50`), through
/// [`serde_json::value::RawValue`]. Only serde_json's serializer writes it as a number.
pub fn serialize_decimal_number<S: Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let raw =
        serde_json::value::RawValue::from_string(value.to_string()).map_err(S::Error::custom)?;
    serde::Serialize::serialize(&raw, serializer)
}

macro_rules! adapter {
    ($(#[$doc:meta])* $adapter:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $adapter;
    };
}

/// Implements `DeserializeAs` for `T` and `Option<T>`, and `SerializeAs` for both, from a parse
/// function of a non-empty scalar and a write function.
macro_rules! scalar_adapter_impl {
    ($adapter:ident, $target:ty, $parse:expr, $write:expr) => {
        impl<'de> DeserializeAs<'de, $target> for $adapter {
            fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<$target, D::Error> {
                match Scalar::deserialize(deserializer)?.non_empty() {
                    Some(scalar) => ($parse)(scalar).map_err(de::Error::custom),
                    None => Err(de::Error::custom(
                        "expected a value, found null or an empty string",
                    )),
                }
            }
        }
        impl<'de> DeserializeAs<'de, Option<$target>> for $adapter {
            fn deserialize_as<D: Deserializer<'de>>(
                deserializer: D,
            ) -> Result<Option<$target>, D::Error> {
                match Scalar::deserialize(deserializer)?.non_empty() {
                    Some(scalar) => ($parse)(scalar).map(Some).map_err(de::Error::custom),
                    None => Ok(None),
                }
            }
        }
        impl SerializeAs<$target> for $adapter {
            fn serialize_as<S: Serializer>(
                value: &$target,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                ($write)(value, serializer)
            }
        }
        impl SerializeAs<Option<$target>> for $adapter {
            fn serialize_as<S: Serializer>(
                value: &Option<$target>,
                serializer: S,
            ) -> Result<S::Ok, S::Error> {
                match value {
                    Some(v) => ($write)(v, serializer),
                    None => serializer.serialize_none(),
                }
            }
        }
    };
}

adapter!(
    /// A decimal sent as a number or a numeric string (point or comma); sent back as a JSON number.
    LenientDecimal
);
scalar_adapter_impl!(
    LenientDecimal,
    Decimal,
    decimal_from,
    serialize_decimal_number
);

fn serialize_comma<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string().replace('.', ","))
}

adapter!(
    /// A decimal written with a decimal comma (`"8,67"`); decodes leniently, sends the comma form.
    DecimalComma
);
scalar_adapter_impl!(DecimalComma, Decimal, decimal_from, serialize_comma);

adapter!(
    /// An integer sent as a number or a numeric string.
    LenientInt
);
macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        scalar_adapter_impl!(
            LenientInt,
            $t,
            |s| int_from(s).and_then(|v| <$t>::try_from(v).map_err(|e| format!("integer {v} out of range: {e}"))),
            |v: &$t, s: S| s.serialize_i128(i128::from(*v))
        );
    )*};
}
lenient_int!(i32, i64, u32, u64);

adapter!(
    /// A string or id that may arrive as a number (`17` or `"17"`); sent as a string.
    LenientString
);
scalar_adapter_impl!(LenientString, String, string_from, |v: &String, s: S| s
    .serialize_str(v));

adapter!(
    /// A boolean written `Y` / `N`.
    YesNo
);
scalar_adapter_impl!(
    YesNo,
    bool,
    |s| flag_from(s, &["Y", "yes"], &["N", "no"]),
    |v: &bool, s: S| s.serialize_str(if *v { "Y" } else { "N" })
);

adapter!(
    /// A boolean written `1` / `0`, as a number or a string.
    OneZero
);
scalar_adapter_impl!(
    OneZero,
    bool,
    |s| flag_from(s, &["1"], &["0"]),
    |v: &bool, s: S| s.serialize_u8(u8::from(*v))
);

adapter!(
    /// A boolean written `+` / `-`.
    PlusMinus
);
scalar_adapter_impl!(
    PlusMinus,
    bool,
    |s| flag_from(s, &["+"], &["-"]),
    |v: &bool, s: S| s.serialize_str(if *v { "+" } else { "-" })
);

adapter!(
    /// A moment as unix seconds, a number or a numeric string.
    UnixSeconds
);
scalar_adapter_impl!(
    UnixSeconds,
    DateTime<Utc>,
    |s| int_from(s).and_then(|secs| {
        i64::try_from(secs)
            .ok()
            .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0))
            .ok_or_else(|| format!("unix time {secs} out of range"))
    }),
    |v: &DateTime<Utc>, s: S| s.serialize_i64(v.timestamp())
);

mod dates;
mod shapes;

pub use dates::{
    ANY_DATE_FORMATS, ANY_DATE_TIME_FORMATS, DOTTED_DATE, DOTTED_DATE_TIME, DottedDate,
    DottedDateTime, LenientDate, LenientDateTime, SQL_DATE_TIME, SqlDateTime, parse_any_date,
    parse_any_date_time, parse_dotted_date_time, parse_sql_date_time,
};
pub use shapes::{ObjectOrEmpty, OneOrMany, TextList, split_list};

#[cfg(test)]
mod tests;
