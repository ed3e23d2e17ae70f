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
//! | [`Cents`]          | `Decimal`, [`crate::Money`] | as above                                 | `12.50`, `0.00`  |
//! | [`TrimmedDecimal`] | `Decimal`                 | as above                                 | `2.5`, `150000`  |
//! | [`PointDecimal`]   | `Decimal`                 | `12.5`, `"12.5"`; a comma is refused     | JSON number      |
//! | [`LenientInt`]     | `i64`, `u64`, `u32`, `i32`| `3`, `"3"`, `3.0`                        | JSON number      |
//! | [`LenientString`]  | `String`                  | `"A1"`, `17`, `17.5`, `true`             | JSON string      |
//! | [`YesNo`]          | `bool`                    | `"Y"`/`"N"` (any case)                   | `"Y"`/`"N"`      |
//! | [`OneZero`]        | `bool`                    | `1`/`0`, `"1"`/`"0"`, `true`/`false`     | `1`/`0`          |
//! | [`LenientFlag`]    | `Option<bool>`            | `1`/`0`, `true`/`false`, a count, `yes`/`no`, `ja`/`nee`, `y`/`n`; else `None` | `1`/`0` |
//! | [`PlusMinus`]      | `bool`                    | `"+"`/`"-"`                              | `"+"`/`"-"`      |
//! | [`UnixSeconds`]    | `DateTime<Utc>`           | `1583245942`, `"1583245942"`             | JSON number      |
//! | [`DottedDate`]     | `NaiveDate`               | `"03.03.2020"`                           | `"03.03.2020"`   |
//! | [`DottedDateTime`] | `NaiveDateTime`           | `"03.03.2020 15:32:22"` (seconds optional)| with seconds    |
//! | [`SqlDateTime`]    | `NaiveDateTime`           | `"2024-03-05 14:30:15"` (`T`, no seconds, date only) | with seconds |
//! | [`LenientDate`]    | `Option<NaiveDate>`       | `YYYY-MM-DD`, `DD-MM-YYYY`, `DD/MM/YYYY`, `YYYY/MM/DD`, `DD.MM.YYYY`, with a time; unreadable, `""`, `0000-00-00` as `None` | `YYYY-MM-DD` |
//! | [`LenientDateTime`]| `Option<NaiveDateTime>`   | the same with `HH:MM[:SS]` (space or `T`), a date alone at midnight | SQL form |
//! | [`OneOrMany`]      | `Vec<T>`                  | an array, one object, `null`, `""`       | an array         |
//! | [`TextList`]       | `Vec<T>`                  | an array, one value, `"11,15"` (`,`/`;`), `null`, `""` | an array |
//! | [`ObjectOrEmpty`]  | `Option<T>`               | an object; `""`, `[]`, `{}`, `null` as `None` | object or `null` |
//!
//! Envelope fields read as raw JSON, whose type varies from server to server, go through
//! [`scalar_text`] and [`int_text`]; an answer written as a JavaScript object literal (bare
//! keys) through [`json_or_js_object`].
//!
//! JSON numbers reach the decimal adapters through serde_json's parser, which reads them as
//! `f64` without the `arbitrary_precision` feature; they are converted through their shortest
//! round-trip text, which is exact for up to 15 significant digits. Numeric strings are parsed
//! exactly.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::ser::{Error as _, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

/// How an adapter reads each kind of JSON scalar into `T`, straight from what the deserializer
/// hands over (a borrowed `&str` where the input allows): no intermediate owned string or
/// enum. Null, blank strings and `[]` (PHP's empty array for a missing value) never reach these
/// methods: they are `None` for an `Option` and an error otherwise. A kind of scalar an adapter
/// does not implement is refused.
trait ReadScalar<T> {
    /// What the adapter reads, for error messages ("a decimal").
    const EXPECTING: &'static str;

    /// A non-blank string.
    fn read_str(text: &str) -> Result<T, String>;

    /// A non-blank owned string (from a deserializer that cannot lend one).
    fn read_string(text: String) -> Result<T, String> {
        Self::read_str(&text)
    }

    /// A negative JSON integer (serde_json gives non-negative ones as `u64`).
    fn read_i64(v: i64) -> Result<T, String> {
        Err(refused(Self::EXPECTING, v))
    }

    /// A non-negative JSON integer.
    fn read_u64(v: u64) -> Result<T, String> {
        Err(refused(Self::EXPECTING, v))
    }

    /// A JSON number with a fraction or an exponent.
    fn read_f64(v: f64) -> Result<T, String> {
        Err(refused(Self::EXPECTING, v))
    }

    /// `true` or `false`.
    fn read_bool(v: bool) -> Result<T, String> {
        Err(refused(Self::EXPECTING, v))
    }

    /// Whether a JSON `false` means "no value" (as PHP sends it where a text is missing)
    /// instead of reaching [`ReadScalar::read_bool`].
    const FALSE_IS_NONE: bool = false;
}

fn refused(expecting: &str, found: impl fmt::Display) -> String {
    format!("expected {expecting}, found {found}")
}

/// Reads one scalar with `A`: `None` for null and for a string that is empty after trimming.
struct ScalarVisitor<A, T>(PhantomData<(A, T)>);

impl<'de, A: ReadScalar<T>, T> Visitor<'de> for ScalarVisitor<A, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(A::EXPECTING)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if is_blank(v) {
            return Ok(None);
        }
        A::read_str(v).map(Some).map_err(E::custom)
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if is_blank(&v) {
            return Ok(None);
        }
        A::read_string(v).map(Some).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        A::read_i64(v).map(Some).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        A::read_u64(v).map(Some).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        A::read_f64(v).map(Some).map_err(E::custom)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        if !v && A::FALSE_IS_NONE {
            return Ok(None);
        }
        A::read_bool(v).map(Some).map_err(E::custom)
    }
    fn visit_seq<S: de::SeqAccess<'de>>(self, seq: S) -> Result<Self::Value, S::Error> {
        empty_array_is_none(seq, &self)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// `[]`, PHP's empty array where a value is missing, is none; any other array is refused as
/// not what `expected` reads. Out of line and cold: kept out of the scalar visitors' hot path
/// (inlined, it made `sync-stock` decoding 7% slower).
#[cold]
#[inline(never)]
fn empty_array_is_none<'de, S: de::SeqAccess<'de>, T>(
    mut seq: S,
    expected: &dyn de::Expected,
) -> Result<Option<T>, S::Error> {
    match seq.next_element::<de::IgnoredAny>()? {
        None => Ok(None),
        Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, expected)),
    }
}

/// One scalar read with `A`; `None` for null and blank strings.
fn read_scalar<'de, A: ReadScalar<T>, T, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    deserializer.deserialize_any(ScalarVisitor::<A, T>(PhantomData))
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

/// An integer written as text (whitespace allowed), for the adapters' slow path.
fn int_from_text(text: &str) -> Result<i128, String> {
    text.trim()
        .parse::<i128>()
        .map_err(|e| format!("invalid integer {text:?}: {e}"))
}

/// A JSON number with a fraction or an exponent that is a whole number.
fn int_from_f64(v: f64) -> Result<i128, String> {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        Ok(v as i128)
    } else {
        Err(refused("an integer", v))
    }
}

/// A flag written as one of `yes` or `no` (any case, surrounding whitespace allowed).
fn flag_from_text(text: &str, yes: &[&str], no: &[&str]) -> Result<bool, String> {
    let t = text.trim();
    if yes.iter().any(|y| t.eq_ignore_ascii_case(y)) {
        Ok(true)
    } else if no.iter().any(|n| t.eq_ignore_ascii_case(n)) {
        Ok(false)
    } else {
        Err(format!("expected one of {yes:?} or {no:?}, found {t:?}"))
    }
}

/// A flag written as the JSON number `1` or `0`, where `yes`/`no` allow it.
fn flag_from_number(v: i128, yes: &[&str], no: &[&str]) -> Result<bool, String> {
    match v {
        1 if yes.contains(&"1") => Ok(true),
        0 if no.contains(&"0") => Ok(false),
        _ => Err(format!("expected one of {yes:?} or {no:?}, found {v}")),
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

/// Implements `DeserializeAs` for `T` and `Option<T>` through the adapter's [`ReadScalar`]
/// impl for `T`, and `SerializeAs` for both from a write function.
macro_rules! scalar_adapter_impl {
    ($adapter:ident, $target:ty, $write:expr) => {
        impl<'de> DeserializeAs<'de, $target> for $adapter {
            fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<$target, D::Error> {
                match $crate::encoding::read_scalar::<$adapter, $target, D>(deserializer)? {
                    Some(value) => Ok(value),
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
                $crate::encoding::read_scalar::<$adapter, $target, D>(deserializer)
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

/// The decimal adapters: a number, or a numeric string read by the adapter's text parser.
macro_rules! read_decimal {
    ($($adapter:ident => $parse:path),*) => {$(
        impl ReadScalar<Decimal> for $adapter {
            const EXPECTING: &'static str = "a decimal";
            fn read_str(text: &str) -> Result<Decimal, String> {
                $parse(text)
            }
            fn read_i64(v: i64) -> Result<Decimal, String> {
                Ok(Decimal::from(v))
            }
            fn read_u64(v: u64) -> Result<Decimal, String> {
                Ok(Decimal::from(v))
            }
            fn read_f64(v: f64) -> Result<Decimal, String> {
                decimal_from_f64(v)
            }
        }
    )*};
}

adapter!(
    /// A decimal sent as a number or a numeric string (point or comma); sent back as a JSON number.
    LenientDecimal
);
read_decimal!(
    LenientDecimal => parse_decimal,
    DecimalComma => parse_decimal,
    Cents => parse_decimal,
    TrimmedDecimal => parse_decimal
);
scalar_adapter_impl!(LenientDecimal, Decimal, serialize_decimal_number);

adapter!(
    /// A money amount sent as a JSON number with at least two decimals (`0` as `0.00`, `12.5` as
    /// `12.50`, its other digits kept), for vendors that type amounts as a `Double` or print
    /// them with cents; decodes like [`LenientDecimal`].
    Cents
);

fn serialize_cents<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    let value = crate::Money::new(*value).with_min_decimals(2).amount();
    serialize_decimal_number(&value, serializer)
}

scalar_adapter_impl!(Cents, Decimal, serialize_cents);

adapter!(
    /// A decimal sent as a JSON number without trailing zeros (`150000.00` as `150000`, `2.50` as
    /// `2.5`: the same number, and an integer for a reader that wants one); decodes like
    /// [`LenientDecimal`].
    TrimmedDecimal
);

fn serialize_trimmed<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serialize_decimal_number(&value.normalize(), serializer)
}

scalar_adapter_impl!(TrimmedDecimal, Decimal, serialize_trimmed);

fn serialize_comma<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string().replace('.', ","))
}

adapter!(
    /// A decimal written with a decimal comma (`"8,67"`); decodes leniently, sends the comma form.
    DecimalComma
);
scalar_adapter_impl!(DecimalComma, Decimal, serialize_comma);

adapter!(
    /// A decimal sent as a number or a numeric string with a decimal point only; sent back as a
    /// JSON number. A comma is refused: where the document shows no decimal comma, `"1,234"` may
    /// as well be a thousands separator, and reading it either way risks a thousandfold error.
    PointDecimal
);

/// Decimal text with a point; a comma is refused ([`PointDecimal`]).
fn parse_point_decimal(text: &str) -> Result<Decimal, String> {
    if text.contains(',') {
        return Err(format!(
            "{text:?}: a comma is ambiguous here (decimal or thousands separator)"
        ));
    }
    parse_decimal(text)
}

read_decimal!(PointDecimal => parse_point_decimal);
scalar_adapter_impl!(PointDecimal, Decimal, serialize_decimal_number);

adapter!(
    /// An integer sent as a number or a numeric string.
    LenientInt
);
macro_rules! lenient_int {
    ($($t:ty),*) => {$(
        impl ReadScalar<$t> for LenientInt {
            const EXPECTING: &'static str = "an integer";
            fn read_str(text: &str) -> Result<$t, String> {
                // The usual plain digits directly; whitespace, signs of zero and the range
                // error through the wide integer.
                match text.parse::<$t>() {
                    Ok(v) => Ok(v),
                    Err(_) => int_from_text(text).and_then(in_range),
                }
            }
            fn read_i64(v: i64) -> Result<$t, String> {
                in_range(v.into())
            }
            fn read_u64(v: u64) -> Result<$t, String> {
                in_range(v.into())
            }
            fn read_f64(v: f64) -> Result<$t, String> {
                int_from_f64(v).and_then(in_range)
            }
        }
        scalar_adapter_impl!(LenientInt, $t, |v: &$t, s: S| s.serialize_i128(i128::from(*v)));
    )*};
}

/// `v` as the adapter's integer type, or an error naming it.
fn in_range<T: TryFrom<i128, Error = std::num::TryFromIntError>>(v: i128) -> Result<T, String> {
    T::try_from(v).map_err(|e| format!("integer {v} out of range: {e}"))
}

lenient_int!(i32, i64, u32, u64);

adapter!(
    /// A string or id that may arrive as a number (`17` or `"17"`); sent as a string. `false`
    /// and `[]` are no value (PHP's ways of saying none), `true` is the text `true`.
    LenientString
);
impl ReadScalar<String> for LenientString {
    const EXPECTING: &'static str = "a string";
    fn read_str(text: &str) -> Result<String, String> {
        Ok(text.to_owned())
    }
    fn read_string(text: String) -> Result<String, String> {
        Ok(text)
    }
    fn read_i64(v: i64) -> Result<String, String> {
        Ok(v.to_string())
    }
    fn read_u64(v: u64) -> Result<String, String> {
        Ok(v.to_string())
    }
    fn read_f64(v: f64) -> Result<String, String> {
        Ok(v.to_string())
    }
    fn read_bool(v: bool) -> Result<String, String> {
        Ok(v.to_string())
    }
    const FALSE_IS_NONE: bool = true;
}
scalar_adapter_impl!(LenientString, String, |v: &String, s: S| s.serialize_str(v));

/// The flag adapters: a string among `yes`/`no`, a JSON boolean, and `1`/`0` as numbers where
/// those are among the words.
macro_rules! read_flag {
    ($adapter:ident, $yes:expr, $no:expr) => {
        impl ReadScalar<bool> for $adapter {
            const EXPECTING: &'static str = "a flag";
            fn read_str(text: &str) -> Result<bool, String> {
                flag_from_text(text, $yes, $no)
            }
            fn read_i64(v: i64) -> Result<bool, String> {
                flag_from_number(v.into(), $yes, $no)
            }
            fn read_u64(v: u64) -> Result<bool, String> {
                flag_from_number(v.into(), $yes, $no)
            }
            fn read_f64(v: f64) -> Result<bool, String> {
                Err(format!(
                    "expected one of {:?} or {:?}, found {v}",
                    $yes, $no
                ))
            }
            fn read_bool(v: bool) -> Result<bool, String> {
                Ok(v)
            }
        }
    };
}

adapter!(
    /// A boolean written `Y` / `N`.
    YesNo
);
read_flag!(YesNo, &["Y", "yes"], &["N", "no"]);
scalar_adapter_impl!(YesNo, bool, |v: &bool, s: S| s.serialize_str(if *v {
    "Y"
} else {
    "N"
}));

adapter!(
    /// A boolean written `1` / `0`, as a number or a string.
    OneZero
);
read_flag!(OneZero, &["1"], &["0"]);
scalar_adapter_impl!(OneZero, bool, |v: &bool, s: S| s.serialize_u8(u8::from(*v)));

adapter!(
    /// A boolean written `+` / `-`.
    PlusMinus
);
read_flag!(PlusMinus, &["+"], &["-"]);
scalar_adapter_impl!(PlusMinus, bool, |v: &bool, s: S| s.serialize_str(if *v {
    "+"
} else {
    "-"
}));

adapter!(
    /// A moment as unix seconds, a number or a numeric string.
    UnixSeconds
);

fn from_unix(secs: i128) -> Result<DateTime<Utc>, String> {
    i64::try_from(secs)
        .ok()
        .and_then(|secs| DateTime::<Utc>::from_timestamp(secs, 0))
        .ok_or_else(|| format!("unix time {secs} out of range"))
}

impl ReadScalar<DateTime<Utc>> for UnixSeconds {
    const EXPECTING: &'static str = "unix seconds";
    fn read_str(text: &str) -> Result<DateTime<Utc>, String> {
        match text.parse::<i64>() {
            Ok(v) => from_unix(v.into()),
            Err(_) => int_from_text(text).and_then(from_unix),
        }
    }
    fn read_i64(v: i64) -> Result<DateTime<Utc>, String> {
        from_unix(v.into())
    }
    fn read_u64(v: u64) -> Result<DateTime<Utc>, String> {
        from_unix(v.into())
    }
    fn read_f64(v: f64) -> Result<DateTime<Utc>, String> {
        int_from_f64(v).and_then(from_unix)
    }
}
scalar_adapter_impl!(UnixSeconds, DateTime<Utc>, |v: &DateTime<Utc>, s: S| s
    .serialize_i64(v.timestamp()));

/// `bytes` without a leading UTF-8 byte-order mark, which a PHP file saved with one puts before
/// its output and JSON parsers refuse.
pub fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

mod dates;
mod decimal_text;
mod loose;
mod shapes;

pub use dates::{
    ANY_DATE_FORMATS, ANY_DATE_TIME_FORMATS, DOTTED_DATE, DOTTED_DATE_TIME, DottedDate,
    DottedDateTime, LenientDate, LenientDateTime, SQL_DATE_TIME, SqlDateTime, parse_any_date,
    parse_any_date_time, parse_dotted_date_time, parse_sql_date_time,
};
use decimal_text::decimal_from_f64;
pub use decimal_text::parse_decimal;
pub use loose::{LenientFlag, int_text, json_or_js_object, scalar_text};
pub use shapes::{ObjectOrEmpty, OneOrMany, TextList, split_list};

#[cfg(test)]
mod tests;
