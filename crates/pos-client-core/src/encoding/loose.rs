//! Reading envelope fields whose JSON type varies (`"status": 1`, `"1"`, `true`; an
//! `errorcode` as a number or as text), flags whose values a document does not give, and
//! answers written as JavaScript object literals.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, Visitor};
use serde::ser::Serializer;
use serde_json::value::RawValue;
use serde_with::{DeserializeAs, SerializeAs};

/// A scalar as trimmed text: a string's content, `""` for `null`, the JSON text of anything
/// else (`1002`, `true`, `1.5`).
pub fn scalar_text(raw: &RawValue) -> String {
    match raw.get().trim() {
        "null" => String::new(),
        text => serde_json::from_str::<String>(text)
            .map_or_else(|_| text.to_owned(), |s| s.trim().to_owned()),
    }
}

/// The integer written in `text` (whitespace allowed): `3`, `-3`, or a whole number with a
/// fraction or an exponent (`3.0`, `1e3`) as PHP may print one. `None` for anything else
/// (`1.5`, `ok`, and such a float beyond 9·10¹⁵, where it is no longer exact).
pub fn int_text(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        let f = text.parse::<f64>().ok()?;
        (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
    })
}

/// An optional yes/no flag whose values the vendor's document does not give, read in every
/// form a PHP server writes one: `true` for `1`, `true`, a count of at least 1 (`2`, `"3"`,
/// `1.0`) and the texts `true`, `yes`, `y`, `ja`, `j`; `false` for `0` (`0.0`), `false` and
/// `false`, `no`, `n`, `nee` (texts in any case and padding). Anything else (`null`, `""`, `[]`,
/// a date, `-1`, `0.5`, other text) is `None`: never a guess, and one odd value never fails the
/// record. Sends `1`/`0` (`None` as `null`).
#[derive(Debug, Clone, Copy, Default)]
pub struct LenientFlag;

/// A count: 0 is no, at least 1 is yes, a negative number nothing.
fn count_flag(n: i64) -> Option<bool> {
    (n >= 0).then_some(n > 0)
}

fn text_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "ja" | "j" => Some(true),
        "false" | "no" | "n" | "nee" => Some(false),
        other => int_text(other).and_then(count_flag),
    }
}

impl<'de> DeserializeAs<'de, Option<bool>> for LenientFlag {
    fn deserialize_as<D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct FlagVisitor;
        impl<'de> Visitor<'de> for FlagVisitor {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a flag")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(count_flag(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Some(v > 0))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(int_text(&v.to_string()).and_then(count_flag))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(text_flag(v))
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
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(None)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(None)
            }
        }
        d.deserialize_any(FlagVisitor)
    }
}

impl SerializeAs<Option<bool>> for LenientFlag {
    fn serialize_as<S: Serializer>(value: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.serialize_u8(u8::from(*v)),
            None => s.serialize_none(),
        }
    }
}

/// `body` as JSON: as it is when it is one JSON value, else with its bare keys quoted when that
/// makes it one (a JavaScript object literal, `{ status: 1, msg: "" }`), else as it is (the
/// caller's decoding reports it).
pub fn json_or_js_object(body: &[u8]) -> Cow<'_, [u8]> {
    let is_json = |b: &[u8]| serde_json::from_slice::<IgnoredAny>(b).is_ok();
    if is_json(body) {
        return Cow::Borrowed(body);
    }
    match quote_bare_keys(body) {
        Some(quoted) if is_json(&quoted) => Cow::Owned(quoted),
        _ => Cow::Borrowed(body),
    }
}

/// `text` with every bare identifier key quoted, or `None` when it has none: outside
/// double-quoted strings, an identifier (`[A-Za-z_$][A-Za-z0-9_$]*`) directly after `{` or `,`
/// (whitespace allowed) and followed by `:` (whitespace allowed) becomes `"identifier"`.
/// Values, quoted keys and strings are left as they are.
fn quote_bare_keys(text: &[u8]) -> Option<Vec<u8>> {
    let is_start = |b: u8| b.is_ascii_alphabetic() || b == b'_' || b == b'$';
    let is_part = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let skip_space = |mut j: usize| {
        while text.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        j
    };
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        out.push(b);
        i += 1;
        match b {
            b'"' => {
                // Copy the string through its closing quote, escapes included.
                while let Some(&c) = text.get(i) {
                    out.push(c);
                    i += 1;
                    if c == b'\\' {
                        if let Some(&next) = text.get(i) {
                            out.push(next);
                            i += 1;
                        }
                    } else if c == b'"' {
                        break;
                    }
                }
            }
            b'{' | b',' => {
                let start = skip_space(i);
                if !text.get(start).is_some_and(|&c| is_start(c)) {
                    continue;
                }
                let mut end = start;
                while text.get(end).is_some_and(|&c| is_part(c)) {
                    end += 1;
                }
                if text.get(skip_space(end)) != Some(&b':') {
                    continue;
                }
                out.extend_from_slice(&text[i..start]);
                out.push(b'"');
                out.extend_from_slice(&text[start..end]);
                out.push(b'"');
                i = end;
                changed = true;
            }
            _ => {}
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Box<RawValue> {
        RawValue::from_string(s.to_owned()).unwrap()
    }

    #[test]
    fn scalars_read_as_text_and_integers() {
        assert_eq!(scalar_text(&raw("null")), "");
        assert_eq!(scalar_text(&raw(r#"" a \"b\" ""#)), r#"a "b""#);
        assert_eq!(scalar_text(&raw("42")), "42");
        assert_eq!(scalar_text(&raw(" true ")), "true");
        assert_eq!(scalar_text(&raw(r#"{"a":1}"#)), r#"{"a":1}"#);
        for (text, int) in [
            ("1", Some(1)),
            (" -7 ", Some(-7)),
            ("1.0", Some(1)),
            ("0.0", Some(0)),
            ("1e3", Some(1000)),
            ("1.5", None),
            ("0.9", None),
            ("ok", None),
            ("", None),
            ("1e16", None),
        ] {
            assert_eq!(int_text(text), int, "{text:?}");
        }
    }

    #[test]
    fn lenient_flags_read_every_php_form_and_guess_nothing() {
        #[serde_with::serde_as]
        #[derive(serde::Deserialize, serde::Serialize)]
        struct Flag {
            #[serde_as(as = "LenientFlag")]
            #[serde(default)]
            used: Option<bool>,
        }
        let read = |json: &str| {
            serde_json::from_str::<Flag>(&format!(r#"{{"used":{json}}}"#))
                .unwrap()
                .used
        };
        for yes in [
            "1",
            r#"" 1 ""#,
            "true",
            r#""TRUE""#,
            r#""ja""#,
            r#""Yes""#,
            r#""J""#,
            "2",
            r#""3""#,
            "1.0",
        ] {
            assert_eq!(read(yes), Some(true), "{yes}");
        }
        for no in [
            "0",
            r#""0""#,
            "false",
            r#""false""#,
            r#""Nee""#,
            r#""no""#,
            r#""N""#,
            r#""0.0""#,
            "0.0",
        ] {
            assert_eq!(read(no), Some(false), "{no}");
        }
        for neither in [
            "null",
            r#""""#,
            "[]",
            "[1]",
            r#"{"a":1}"#,
            r#""2016-01-05""#,
            "-1",
            "0.5",
            r#""unknown""#,
        ] {
            assert_eq!(read(neither), None, "{neither}");
        }
        assert_eq!(serde_json::from_str::<Flag>("{}").unwrap().used, None);
        let sent = |used| serde_json::to_string(&Flag { used }).unwrap();
        assert_eq!(sent(Some(true)), r#"{"used":1}"#);
        assert_eq!(sent(Some(false)), r#"{"used":0}"#);
        assert_eq!(sent(None), r#"{"used":null}"#);
    }

    #[test]
    fn js_object_literals_get_their_bare_keys_quoted_and_nothing_else() {
        let read =
            |s: &str| String::from_utf8(json_or_js_object(s.as_bytes()).into_owned()).unwrap();
        assert_eq!(
            read("{ status: 1, msg: \"\", time: 0.281, data: {\n  accesstoken: \"x\" }\n}"),
            "{ \"status\": 1, \"msg\": \"\", \"time\": 0.281, \"data\": {\n  \"accesstoken\": \"x\" }\n}"
        );
        // Inside strings nothing changes, escaped quotes included; quoted keys stay as they are.
        assert_eq!(
            read(r#"{msg:"a, b: {c: d}, \"e, f: g","x":1,$y_2 :null}"#),
            r#"{"msg":"a, b: {c: d}, \"e, f: g","x":1,"$y_2" :null}"#
        );
        // JSON, and what quoting cannot make JSON, stay as they are.
        for text in [
            r#"{"a": true, "b": [null, 1]}"#,
            "<html>maintenance</html>",
            "{ 1a: 2 }",
            "{ status",
            "{ status: 1, msg: oops }",
        ] {
            assert!(
                matches!(json_or_js_object(text.as_bytes()), Cow::Borrowed(_)),
                "{text}"
            );
            assert_eq!(read(text), text);
        }
        assert_eq!(quote_bare_keys(br#"{"a": true, "b": [null, 1]}"#), None);
        assert_eq!(quote_bare_keys(b"{ 1a: 2 }"), None);
        assert_eq!(quote_bare_keys(b"{ status"), None);
    }
}
