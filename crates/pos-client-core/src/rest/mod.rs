//! [`Rest`]: the fields a model does not name, kept as the server sent them.
//!
//! A generated model with a `rest` field (spec `type = "rest"`) collects every field it does
//! not name into one `Rest`: a single `String` holding a JSON object's text, each value copied
//! byte for byte from the answer (`"125.50"` stays `"125.50"`, `1.10` stays `1.10`). Decoding
//! costs one growing buffer per record instead of a map node and a `serde_json::Value` per
//! field; reading a field parses the text on demand.
//!
//! ```
//! use pos_client_core::Rest;
//!
//! let rest: Rest = serde_json::from_str(r#"{"name":"Widget","price":"125.50","stock":3}"#)?;
//! assert_eq!(rest.len(), 3);
//! assert_eq!(rest.get("price").map(|v| v.get()), Some(r#""125.50""#));
//! assert_eq!(rest.get_as::<u32>("stock").transpose()?, Some(3));
//! assert_eq!(rest.keys().collect::<Vec<_>>(), ["name", "price", "stock"]);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The name under which serde_json hands a raw value to a visitor (its `RawValue` protocol).
/// Asking for it lets a value be copied from the input without an intermediate allocation;
/// deserializers that do not know it are transcoded instead (see [`JsonText`]).
const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// The fields a model does not name, as the server sent them: the text of one JSON object.
///
/// Keys keep the server's order; a key sent twice counts once, with its last value (as a JSON
/// map would keep it). `Debug` shows the keys only: an undocumented field may hold anything.
/// Values serialize as [`RawValue`]s, so serializing through `serde_json` (also with
/// `#[serde(flatten)]`) writes them back unchanged.
#[derive(Clone, Default)]
pub struct Rest {
    /// `""` when empty, else `{"key":value,...}` (always a complete object).
    text: String,
}

impl Rest {
    /// An empty set of fields.
    pub const fn new() -> Rest {
        Rest {
            text: String::new(),
        }
    }

    /// Whether no field was kept.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// How many distinct keys were kept.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The fields as one JSON object's text (`{}` when empty).
    pub fn as_json(&self) -> &str {
        if self.text.is_empty() {
            "{}"
        } else {
            &self.text
        }
    }

    /// The raw JSON value of `key` (its last one, if the server sent it twice).
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.entries()
            .into_iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// Whether `key` was kept.
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The value of `key` decoded as `T`; `None` when the key is absent.
    pub fn get_as<'a, T: Deserialize<'a>>(
        &'a self,
        key: &str,
    ) -> Option<Result<T, serde_json::Error>> {
        self.get(key).map(|raw| serde_json::from_str(raw.get()))
    }

    /// The keys, in the order the server sent them (a repeated key once, where it came last).
    pub fn keys(&self) -> impl Iterator<Item = Cow<'_, str>> {
        self.iter().map(|(k, _)| k)
    }

    /// The fields, in the order the server sent them (a repeated key once, with its last value).
    pub fn iter(&self) -> impl Iterator<Item = (Cow<'_, str>, &RawValue)> {
        let mut entries = self.entries();
        if entries.len() > 1 {
            // Keep each key's last occurrence only.
            let mut seen = HashSet::with_capacity(entries.len());
            let mut keep: Vec<bool> = entries
                .iter()
                .rev()
                .map(|(k, _)| seen.insert(k.clone()))
                .collect();
            keep.reverse();
            let mut keep = keep.into_iter();
            entries.retain(|_| keep.next().unwrap_or(true));
        }
        entries.into_iter()
    }

    /// The fields as a `serde_json` map (numbers become `serde_json::Number`s).
    pub fn to_map(&self) -> Map<String, Value> {
        self.entries()
            .into_iter()
            .filter_map(|(k, v)| {
                serde_json::from_str::<Value>(v.get())
                    .ok()
                    .map(|v| (k.into_owned(), v))
            })
            .collect()
    }

    /// Appends one field: `key` (escaped here) and `value` as it is. A key already present is
    /// shadowed by this one.
    pub fn push_raw(&mut self, key: &str, value: &RawValue) {
        self.begin_entry(key);
        self.text.push_str(value.get());
        self.text.push('}');
    }

    /// Appends one field from any serializable value.
    ///
    /// # Errors
    ///
    /// When `value` cannot be written as JSON (a map with non-string keys, for instance).
    pub fn push<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        self.push_raw(key, &raw);
        Ok(())
    }

    /// For generated decoders: reads a map key; a key `named` recognises is returned, any
    /// other is written into this `Rest` (returning `None`), and its value must then be read
    /// with [`Rest::value_seed`].
    #[doc(hidden)]
    pub fn key_seed<K>(&mut self, named: fn(&str) -> Option<K>) -> RestKeySeed<'_, K> {
        RestKeySeed { rest: self, named }
    }

    /// For generated decoders: reads the value of the key [`Rest::key_seed`] just wrote.
    #[doc(hidden)]
    pub fn value_seed(&mut self) -> RestValueSeed<'_> {
        RestValueSeed { rest: self }
    }

    /// Opens an entry: `{` or `,`, the escaped key and `:`.
    fn begin_entry(&mut self, key: &str) {
        if self.text.is_empty() {
            self.text.reserve(64);
            self.text.push('{');
        } else {
            // Reopen the object: its last byte is the closing brace.
            self.text.pop();
            self.text.push(',');
        }
        push_json_str(&mut self.text, key);
        self.text.push(':');
    }

    /// Every entry, repeated keys included, borrowed from the text.
    fn entries(&self) -> Vec<(Cow<'_, str>, &RawValue)> {
        if self.text.is_empty() {
            return Vec::new();
        }
        // The text is built only by this type, always a complete object.
        serde_json::from_str::<Entries<'_>>(&self.text).map_or_else(|_| Vec::new(), |e| e.0)
    }
}

impl fmt::Debug for Rest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<Cow<'_, str>> = self.keys().collect();
        f.debug_struct("Rest").field("keys", &keys).finish()
    }
}

impl PartialEq for Rest {
    /// The same keys with byte-identical values, in any order.
    fn eq(&self, other: &Rest) -> bool {
        if self.text == other.text {
            return true;
        }
        let sorted = |rest: &'_ Rest| {
            let mut entries: Vec<(String, String)> = rest
                .iter()
                .map(|(k, v)| (k.into_owned(), v.get().to_owned()))
                .collect();
            entries.sort();
            entries
        };
        sorted(self) == sorted(other)
    }
}

impl Eq for Rest {}

impl Serialize for Rest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let entries: Vec<_> = self.iter().collect();
        let mut map = serializer.serialize_map(Some(entries.len()))?;
        for (k, v) in &entries {
            map.serialize_entry(k.as_ref(), v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Rest {
    /// Any map (also PHP's `[]` for an empty object, and null).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RestVisitor;
        impl<'de> Visitor<'de> for RestVisitor {
            type Value = Rest;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Rest, A::Error> {
                fn none(_: &str) -> Option<()> {
                    None
                }
                let mut rest = Rest::new();
                // `none` names no key: every key is written into `rest`, then its value.
                while map.next_key_seed(rest.key_seed(none))?.is_some() {
                    map.next_value_seed(rest.value_seed())?;
                }
                Ok(rest)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rest, A::Error> {
                match seq.next_element::<de::IgnoredAny>()? {
                    None => Ok(Rest::new()),
                    Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
                }
            }
            fn visit_unit<E>(self) -> Result<Rest, E> {
                Ok(Rest::new())
            }
            fn visit_none<E>(self) -> Result<Rest, E> {
                Ok(Rest::new())
            }
        }
        deserializer.deserialize_any(RestVisitor)
    }
}

/// Reads a map key for a generated decoder (see [`Rest::key_seed`]).
#[doc(hidden)]
pub struct RestKeySeed<'r, K> {
    rest: &'r mut Rest,
    named: fn(&str) -> Option<K>,
}

impl<'de, K> DeserializeSeed<'de> for RestKeySeed<'_, K> {
    type Value = Option<K>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<K>, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<K> Visitor<'_> for RestKeySeed<'_, K> {
    type Value = Option<K>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<K>, E> {
        match (self.named)(v) {
            Some(key) => Ok(Some(key)),
            None => {
                self.rest.begin_entry(v);
                Ok(None)
            }
        }
    }
    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<K>, E> {
        match std::str::from_utf8(v) {
            Ok(text) => self.visit_str(text),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<K>, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<K>, E> {
        self.visit_str(&v.to_string())
    }
}

/// Reads the value of the key just written (see [`Rest::value_seed`]) and closes the object.
#[doc(hidden)]
pub struct RestValueSeed<'r> {
    rest: &'r mut Rest,
}

impl<'de> DeserializeSeed<'de> for RestValueSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        JsonText(&mut self.rest.text).deserialize(deserializer)?;
        self.rest.text.push('}');
        Ok(())
    }
}

/// Writes one JSON value into the buffer: copied as it is from a serde_json deserializer
/// (through its raw-value protocol), transcoded from any other.
struct JsonText<'b>(&'b mut String);

impl<'de> DeserializeSeed<'de> for JsonText<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, self)
    }
}

/// Appends a string as it is (the raw JSON text serde_json hands over).
struct AppendText<'b>(&'b mut String);

impl<'de> DeserializeSeed<'de> for AppendText<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for AppendText<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
}

/// A map key in a transcoded map: the raw-value marker, or a key written into the buffer.
struct FirstKey<'b>(&'b mut String);

impl<'de> DeserializeSeed<'de> for FirstKey<'_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey<'_> {
    /// `true` for serde_json's raw-value marker (nothing written).
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        if v == RAW_TOKEN {
            return Ok(true);
        }
        push_json_str(self.0, v);
        Ok(false)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        self.visit_str(if v { "true" } else { "false" })
    }
}

impl<'de> Visitor<'de> for JsonText<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        let _ = write!(self.0, "{v}");
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        match serde_json::Number::from_f64(v) {
            Some(n) => {
                let _ = write!(self.0, "{n}");
            }
            None => self.0.push_str("null"),
        }
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        push_json_str(self.0, v);
        Ok(())
    }
    fn visit_bytes<E>(self, v: &[u8]) -> Result<(), E> {
        self.0.push('[');
        for (i, b) in v.iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            let _ = write!(self.0, "{b}");
        }
        self.0.push(']');
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        loop {
            let mark = self.0.len();
            if !first {
                self.0.push(',');
            }
            if seq.next_element_seed(JsonText(self.0))?.is_none() {
                self.0.truncate(mark);
                break;
            }
            first = false;
        }
        self.0.push(']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mark = self.0.len();
        self.0.push('{');
        match map.next_key_seed(FirstKey(self.0))? {
            // serde_json's raw value: the text as it is.
            Some(true) => {
                self.0.truncate(mark);
                map.next_value_seed(AppendText(self.0))?;
                return Ok(());
            }
            Some(false) => {
                self.0.push(':');
                map.next_value_seed(JsonText(self.0))?;
            }
            None => {
                self.0.push('}');
                return Ok(());
            }
        }
        loop {
            self.0.push(',');
            if map.next_key_seed(FirstKey(self.0))?.is_none() {
                self.0.pop();
                break;
            }
            self.0.push(':');
            map.next_value_seed(JsonText(self.0))?;
        }
        self.0.push('}');
        Ok(())
    }
}

/// The entries of the text, keys borrowed where they hold no escape.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntriesVisitor;
        impl<'de> Visitor<'de> for EntriesVisitor {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8));
                while let Some(key) = map.next_key_seed(CowKey)? {
                    entries.push((key, map.next_value::<&'de RawValue>()?));
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(EntriesVisitor)
    }
}

/// A key borrowed from the text, or unescaped into an owned string.
struct CowKey;

impl<'de> DeserializeSeed<'de> for CowKey {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for CowKey {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// Writes `text` as a JSON string literal.
fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (i, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // `byte` is ASCII, so `i` is a character boundary.
        out.push_str(&text[start..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{byte:04x}");
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests;
