//! PHP-style form encoding of nested data: `items[0][code]=A1&items[0][qty]=2`.
//!
//! The value is first serialized to JSON, then walked with [`serde_json::value::RawValue`] so
//! that numbers keep their exact text (a decimal `12.50` stays `12.50`; nothing passes through
//! `f64`).

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// Flattens a JSON document into form pairs in PHP bracket notation.
///
/// Objects and arrays nest as `key[sub]` and `key[0]`; `true`/`false` become `1`/`0` (as PHP's
/// `http_build_query` sends them); `null` fields are left out. The top level must be an object.
pub fn php_form_pairs(json: &[u8]) -> Result<Vec<(String, String)>, serde_json::Error> {
    let top: Fields<'_> = serde_json::from_slice(json)?;
    let mut out = Vec::new();
    for (key, value) in top.0 {
        flatten(&key, value, &mut out)?;
    }
    Ok(out)
}

fn flatten(
    prefix: &str,
    value: &RawValue,
    out: &mut Vec<(String, String)>,
) -> Result<(), serde_json::Error> {
    let text = value.get().trim();
    match text.as_bytes().first() {
        Some(b'{') => {
            let fields: Fields<'_> = serde_json::from_str(text)?;
            for (key, value) in fields.0 {
                flatten(&format!("{prefix}[{key}]"), value, out)?;
            }
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text)?;
            for (i, value) in items.into_iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), value, out)?;
            }
        }
        Some(b'"') => out.push((prefix.to_owned(), serde_json::from_str::<String>(text)?)),
        _ if text == "null" => {}
        _ if text == "true" => out.push((prefix.to_owned(), "1".to_owned())),
        _ if text == "false" => out.push((prefix.to_owned(), "0".to_owned())),
        _ => out.push((prefix.to_owned(), text.to_owned())),
    }
    Ok(())
}

/// An object's fields in document order, values kept as raw JSON.
struct Fields<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldsVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for FieldsVisitor<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'de RawValue>()? {
                    fields.push((k, v));
                }
                Ok(Fields(fields))
            }
        }
        deserializer.deserialize_map(FieldsVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_items_use_bracket_notation_and_keep_number_text() {
        let json = br#"{"token":"t","reference_no":"S-1","shipping_cost":0.10,
            "items":[{"code":"A 1","qty":2,"total":12.50},{"code":"B","qty":1,"total":1e2}],
            "flag":true,"off":false,"missing":null,"nested":{"x":{"y":"z"}}}"#;
        let pairs = php_form_pairs(json).unwrap();
        let expect = [
            ("token", "t"),
            ("reference_no", "S-1"),
            ("shipping_cost", "0.10"),
            ("items[0][code]", "A 1"),
            ("items[0][qty]", "2"),
            ("items[0][total]", "12.50"),
            ("items[1][code]", "B"),
            ("items[1][qty]", "1"),
            ("items[1][total]", "1e2"),
            ("flag", "1"),
            ("off", "0"),
            ("nested[x][y]", "z"),
        ];
        let got: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn top_level_must_be_an_object() {
        assert!(php_form_pairs(b"[1,2]").is_err());
        assert!(php_form_pairs(b"not json").is_err());
    }
}
