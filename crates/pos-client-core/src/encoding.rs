//! Serde adapters for the odd encodings these vendors use, for `#[serde_as(as = "…")]`.
//!
//! Every adapter decodes leniently (a number or a numeric string, with a decimal point or a
//! decimal comma) and works on both `T` and `Option<T>`: for an `Option`, `null` and the empty
//! string decode as `None` (combine with `#[serde(default)]` for absent fields).
//!
//! | adapter            | Rust type                 | accepts                                  | sends            |
//! |--------------------|---------------------------|------------------------------------------|------------------|
//! | [`LenientDecimal`] | `Decimal`, [`Money`]      | `12.5`, `"12.5"`, `"12,5"`               | JSON number      |
//! | [`DecimalComma`]   | `Decimal`, [`Money`]      | as above                                 | `"12,5"`         |
//! | [`LenientInt`]     | `i64`, `u64`, `u32`, `i32`| `3`, `"3"`, `3.0`                        | JSON number      |
//! | [`LenientString`]  | `String`                  | `"A1"`, `17`, `17.5`, `true`             | JSON string      |
//! | [`YesNo`]          | `bool`                    | `"Y"`/`"N"` (any case)                   | `"Y"`/`"N"`      |
//! | [`OneZero`]        | `bool`                    | `1`/`0`, `"1"`/`"0"`, `true`/`false`     | `1`/`0`          |
//! | [`PlusMinus`]      | `bool`                    | `"+"`/`"-"`                              | `"+"`/`"-"`      |
//! | [`UnixSeconds`]    | `DateTime<Utc>`           | `1583245942`, `"1583245942"`             | JSON number      |
//! | [`DottedDate`]     | `NaiveDate`               | `"03.03.2020"`                           | `"03.03.2020"`   |
//! | [`DottedDateTime`] | `NaiveDateTime`           | `"03.03.2020 15:32:22"` (seconds optional)| with seconds    |
//! | [`OneOrMany`]      | `Vec<T>`                  | an array, one object, `null`, `""`       | an array         |
//!
//! JSON numbers reach the decimal adapters through serde_json's parser, which reads them as
//! `f64` without the `arbitrary_precision` feature; they are converted through their shortest
//! round-trip text, which is exact for up to 15 significant digits. Numeric strings are parsed
//! exactly.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Error as _, SerializeSeq, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

use crate::money::Money;

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
scalar_adapter_impl!(
    LenientDecimal,
    Money,
    |s| decimal_from(s).map(Money::new),
    |v: &Money, s| serialize_decimal_number(&v.amount(), s)
);

fn serialize_comma<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string().replace('.', ","))
}

adapter!(
    /// A decimal written with a decimal comma (`"8,67"`); decodes leniently, sends the comma form.
    DecimalComma
);
scalar_adapter_impl!(DecimalComma, Decimal, decimal_from, serialize_comma);
scalar_adapter_impl!(
    DecimalComma,
    Money,
    |s| decimal_from(s).map(Money::new),
    |v: &Money, s| serialize_comma(&v.amount(), s)
);

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

/// A field that holds one object or an array of them (NOOM's `rows.row`); absent, `null` and
/// `""` decode as an empty list. `S` adapts the elements (`serde_with::Same` for plain types).
#[derive(Debug, Clone, Copy, Default)]
pub struct OneOrMany<S = serde_with::Same>(PhantomData<S>);

impl<'de, T, S> DeserializeAs<'de, Vec<T>> for OneOrMany<S>
where
    S: DeserializeAs<'de, T>,
{
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        struct OneOrManyVisitor<T, S>(PhantomData<(T, S)>);
        impl<'de, T, S: DeserializeAs<'de, T>> Visitor<'de> for OneOrManyVisitor<T, S> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("one object or an array of them")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) =
                    seq.next_element::<serde_with::de::DeserializeAsWrap<T, S>>()?
                {
                    out.push(item.into_inner());
                }
                Ok(out)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let one = S::deserialize_as(de::value::MapAccessDeserializer::new(map))?;
                Ok(vec![one])
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.trim().is_empty() {
                    Ok(Vec::new())
                } else {
                    Err(E::invalid_type(de::Unexpected::Str(v), &self))
                }
            }
        }
        deserializer.deserialize_any(OneOrManyVisitor::<T, S>(PhantomData))
    }
}

impl<T, S: SerializeAs<T>> SerializeAs<Vec<T>> for OneOrMany<S> {
    fn serialize_as<Ser: Serializer>(
        value: &Vec<T>,
        serializer: Ser,
    ) -> Result<Ser::Ok, Ser::Error> {
        let mut seq = serializer.serialize_seq(Some(value.len()))?;
        for item in value {
            seq.serialize_element(&serde_with::ser::SerializeAsWrap::<T, S>::new(item))?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use serde::{Deserialize, Serialize};
    use serde_with::serde_as;

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        #[serde_as(as = "LenientDecimal")]
        dec: Decimal,
        #[serde_as(as = "LenientDecimal")]
        #[serde(default)]
        opt_dec: Option<Decimal>,
        #[serde_as(as = "DecimalComma")]
        #[serde(default)]
        comma: Option<Money>,
    }

    fn row(json: &str) -> Result<Row, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn lenient_decimal_accepts_numbers_strings_and_commas() {
        for (json, expect) in [
            (r#"{"dec": 8.67}"#, dec!(8.67)),
            (r#"{"dec": "8.67"}"#, dec!(8.67)),
            (r#"{"dec": "8,67"}"#, dec!(8.67)),
            (r#"{"dec": " 3,345 "}"#, dec!(3.345)),
            (r#"{"dec": 15}"#, dec!(15)),
            (r#"{"dec": -0.1}"#, dec!(-0.1)),
            (r#"{"dec": 1e3}"#, dec!(1000)),
            (r#"{"dec": "1.5e2"}"#, dec!(150)),
            (r#"{"dec": 0.30000000000000004}"#, dec!(0.30000000000000004)),
        ] {
            assert_eq!(row(json).unwrap().dec, expect, "{json}");
        }
        assert!(row(r#"{"dec": "1.234,56"}"#).is_err(), "ambiguous");
        assert!(row(r#"{"dec": "abc"}"#).is_err());
        assert!(row(r#"{"dec": ""}"#).is_err(), "required field");
        assert!(row(r#"{"dec": null}"#).is_err());
        assert!(row(r#"{"dec": true}"#).is_err());
    }

    #[test]
    fn optional_adapters_read_null_empty_and_absent_as_none() {
        for json in [
            r#"{"dec": 1}"#,
            r#"{"dec": 1, "opt_dec": null, "comma": null}"#,
            r#"{"dec": 1, "opt_dec": "", "comma": "  "}"#,
        ] {
            let r = row(json).unwrap();
            assert_eq!((r.opt_dec, r.comma), (None, None), "{json}");
        }
        let r = row(r#"{"dec": 1, "opt_dec": "2,5", "comma": 15}"#).unwrap();
        assert_eq!(r.opt_dec, Some(dec!(2.5)));
        assert_eq!(r.comma, Some(Money::new(dec!(15))));
    }

    #[test]
    fn decimals_serialize_as_exact_numbers_and_commas() {
        let r = Row {
            dec: dec!(12.50),
            opt_dec: None,
            comma: Some(Money::new(dec!(15.00))),
        };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"dec":12.50,"opt_dec":null,"comma":"15,00"}"#
        );
    }

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Flags {
        #[serde_as(as = "YesNo")]
        yn: bool,
        #[serde_as(as = "OneZero")]
        oz: bool,
        #[serde_as(as = "PlusMinus")]
        pm: bool,
        #[serde_as(as = "PlusMinus")]
        #[serde(default)]
        pm_opt: Option<bool>,
    }

    #[test]
    fn boolean_encodings() {
        let f: Flags = serde_json::from_str(r#"{"yn":"Y","oz":1,"pm":"+","pm_opt":""}"#).unwrap();
        assert_eq!(
            f,
            Flags {
                yn: true,
                oz: true,
                pm: true,
                pm_opt: None
            }
        );
        let f: Flags =
            serde_json::from_str(r#"{"yn":"n","oz":"0","pm":"-","pm_opt":"-"}"#).unwrap();
        assert_eq!(
            f,
            Flags {
                yn: false,
                oz: false,
                pm: false,
                pm_opt: Some(false)
            }
        );
        let f: Flags = serde_json::from_str(r#"{"yn":"N","oz":true,"pm":"-"}"#).unwrap();
        assert!(f.oz);
        assert_eq!(
            serde_json::to_string(&f).unwrap(),
            r#"{"yn":"N","oz":1,"pm":"-","pm_opt":null}"#
        );
        assert!(serde_json::from_str::<Flags>(r#"{"yn":"X","oz":1,"pm":"+"}"#).is_err());
        assert!(serde_json::from_str::<Flags>(r#"{"yn":"Y","oz":2,"pm":"+"}"#).is_err());
        assert!(serde_json::from_str::<Flags>(r#"{"yn":"Y","oz":1,"pm":"*"}"#).is_err());
    }

    #[serde_as]
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Times {
        #[serde_as(as = "UnixSeconds")]
        at: DateTime<Utc>,
        #[serde_as(as = "DottedDate")]
        day: NaiveDate,
        #[serde_as(as = "DottedDateTime")]
        moment: NaiveDateTime,
        #[serde_as(as = "DottedDateTime")]
        #[serde(default)]
        maybe: Option<NaiveDateTime>,
    }

    #[test]
    fn time_encodings() {
        let t: Times = serde_json::from_str(
            r#"{"at":"1583245942","day":"03.03.2020","moment":"03.03.2020 15:32:22","maybe":""}"#,
        )
        .unwrap();
        assert_eq!(
            t.at,
            DateTime::<Utc>::from_timestamp(1_583_245_942, 0).unwrap()
        );
        assert_eq!(t.day, NaiveDate::from_ymd_opt(2020, 3, 3).unwrap());
        assert_eq!(
            t.moment,
            NaiveDate::from_ymd_opt(2020, 3, 3)
                .unwrap()
                .and_hms_opt(15, 32, 22)
                .unwrap()
        );
        assert_eq!(t.maybe, None);
        let t2: Times = serde_json::from_str(
            r#"{"at":1583245942,"day":"03.03.2020","moment":"25.06.2018 10:33","maybe":"25.06.2018 10:33:59"}"#,
        )
        .unwrap();
        assert_eq!(t2.at, t.at);
        assert_eq!(
            t2.maybe.unwrap().format(DOTTED_DATE_TIME).to_string(),
            "25.06.2018 10:33:59"
        );
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#"{"at":1583245942,"day":"03.03.2020","moment":"03.03.2020 15:32:22","maybe":null}"#
        );
        assert!(
            serde_json::from_str::<Times>(
                r#"{"at":1,"day":"2020-03-03","moment":"03.03.2020 15:32:22"}"#
            )
            .is_err()
        );
        assert!(
            serde_json::from_str::<Times>(
                r#"{"at":1,"day":"31.02.2020","moment":"03.03.2020 15:32:22"}"#
            )
            .is_err()
        );
    }

    #[serde_as]
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Ids {
        #[serde_as(as = "LenientString")]
        id: String,
        #[serde_as(as = "LenientInt")]
        qty: i64,
        #[serde_as(as = "LenientString")]
        #[serde(default)]
        other: Option<String>,
    }

    #[test]
    fn ids_and_integers_as_numbers_or_strings() {
        let a: Ids = serde_json::from_str(r#"{"id":3443324,"qty":"5"}"#).unwrap();
        let b: Ids = serde_json::from_str(r#"{"id":"3443324","qty":5.0,"other":""}"#).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.id, "3443324");
        assert_eq!(a.qty, 5);
        assert!(serde_json::from_str::<Ids>(r#"{"id":"1","qty":5.5}"#).is_err());
        assert!(serde_json::from_str::<Ids>(r#"{"id":"1","qty":"x"}"#).is_err());
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"id":"3443324","qty":5,"other":null}"#
        );
    }

    #[serde_as]
    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Rows {
        #[serde_as(as = "OneOrMany")]
        #[serde(default)]
        row: Vec<Inner>,
        #[serde_as(as = "OneOrMany<LenientDecimal>")]
        #[serde(default)]
        amounts: Vec<Decimal>,
    }

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Inner {
        id: u32,
    }

    #[test]
    fn one_or_many_accepts_both_shapes_and_nothing() {
        let one: Rows = serde_json::from_str(r#"{"row":{"id":1}}"#).unwrap();
        assert_eq!(one.row, vec![Inner { id: 1 }]);
        let many: Rows =
            serde_json::from_str(r#"{"row":[{"id":1},{"id":2}],"amounts":["1,5",2]}"#).unwrap();
        assert_eq!(many.row, vec![Inner { id: 1 }, Inner { id: 2 }]);
        assert_eq!(many.amounts, vec![dec!(1.5), dec!(2)]);
        for json in [r#"{}"#, r#"{"row":null}"#, r#"{"row":""}"#, r#"{"row":[]}"#] {
            assert!(
                serde_json::from_str::<Rows>(json).unwrap().row.is_empty(),
                "{json}"
            );
        }
        assert!(serde_json::from_str::<Rows>(r#"{"row":"x"}"#).is_err());
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            r#"{"row":[{"id":1}],"amounts":[]}"#
        );
    }

    #[test]
    fn f64_fast_path_on_edge_cases() {
        for (v, text) in [
            (12.25, Some("12.25")),
            (12.5, Some("12.5")),
            (-3.0, Some("-3")),
            (0.1, Some("0.1")),
            (123456.789, Some("123456.789")),
            (999_999_999_999_999.0, Some("999999999999999")),
            (0.000001, Some("0.000001")),
            (0.0000001, None),
            (0.1 + 0.2, None),
            (1e15, None),
            (0.0, None),
            (-0.0, None),
        ] {
            assert_eq!(
                decimal_from_f64_fast(v).map(|d| d.to_string()).as_deref(),
                text,
                "{v}"
            );
        }
        assert!(is_blank("") && is_blank("  \t") && is_blank("\u{a0}"));
        assert!(!is_blank("a") && !is_blank(" a") && !is_blank("é"));
    }

    fn decimal_strategy() -> impl Strategy<Value = Decimal> {
        (any::<i64>(), 0u32..=8).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
    }

    proptest! {
        #[test]
        fn lenient_decimal_round_trips_exactly(d in decimal_strategy()) {
            let r = Row { dec: d, opt_dec: Some(d), comma: Some(Money::new(d)) };
            let json = serde_json::to_string(&r).unwrap();
            // Through a string, the decimal is exact at any precision.
            let back: Row = serde_json::from_str(&json.replace(&format!(":{d}"), &format!(":\"{d}\""))).unwrap();
            prop_assert_eq!(back.dec, d);
            prop_assert_eq!(back.opt_dec, Some(d));
            prop_assert_eq!(back.comma, Some(Money::new(d)));
        }

        #[test]
        fn json_numbers_round_trip_up_to_15_digits(m in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=6) {
            let d = Decimal::new(m, scale);
            let json = serde_json::to_string(&Row { dec: d, opt_dec: None, comma: None }).unwrap();
            let back: Row = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(back.dec, d);
        }

        #[test]
        fn f64_fast_path_matches_the_shortest_text(m in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=8, bits in any::<u64>()) {
            // Decimals that came through f64, and arbitrary doubles.
            let from_decimal = m as f64 / 10f64.powi(scale as i32);
            for v in [from_decimal, f64::from_bits(bits)] {
                if !v.is_finite() { continue; }
                let slow = parse_decimal(&v.to_string());
                if let Some(fast) = decimal_from_f64_fast(v) {
                    let slow = slow.unwrap();
                    prop_assert_eq!(fast, slow);
                    prop_assert_eq!(fast.to_string(), slow.to_string(), "same scale for {}", v);
                }
            }
        }

        #[test]
        fn decimal_comma_text_round_trips(d in decimal_strategy()) {
            let text = d.to_string().replace('.', ",");
            prop_assert_eq!(parse_decimal(&text).unwrap(), d);
        }

        #[test]
        fn dotted_dates_round_trip(days in 0i64..100_000, secs in 0u32..86_400) {
            let base = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
            let day = base + chrono::Duration::days(days);
            let moment = day.and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60).unwrap();
            let t = Times { at: DateTime::<Utc>::from_timestamp(days * 86_400, 0).unwrap(), day, moment, maybe: Some(moment) };
            let back: Times = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            prop_assert_eq!(back, t);
        }
    }
}
