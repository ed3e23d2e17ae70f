//! Shape adapters: one object or many, and an object that PHP sends as `""` or `[]` when empty.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeSeq, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

/// A field that holds one object or an array of them (NOOM's `rows.row`); absent, `null`, `""`
/// and `{}` decode as an empty list. An object whose keys are all indexes (`{"0":{…},"2":{…}}`)
/// is the array PHP writes after `unset` or `array_filter` left gaps: its values, in the order
/// sent. `S` adapts the elements (`serde_with::Same` for plain types).
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
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                collect_seq::<A, T, S>(seq)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let Some(first) = map.next_key::<String>()? else {
                    return Ok(Vec::new());
                };
                if !is_index(&first) {
                    let rest = Replay {
                        first: Some(first),
                        map,
                    };
                    let one = S::deserialize_as(de::value::MapAccessDeserializer::new(rest))?;
                    return Ok(vec![one]);
                }
                let mut out = Vec::new();
                let mut key = Some(first);
                while let Some(k) = key {
                    if !is_index(&k) {
                        return Err(de::Error::custom(format!(
                            "an object keyed by index has the key {k:?}"
                        )));
                    }
                    out.push(
                        map.next_value::<serde_with::de::DeserializeAsWrap<T, S>>()?
                            .into_inner(),
                    );
                    key = map.next_key::<String>()?;
                }
                Ok(out)
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

/// Whether an object key is an array index as PHP writes one (`"0"`, `"12"`).
fn is_index(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

/// A map whose first key was already read (to tell one object from an index-keyed array):
/// hands that key out again, then the rest.
struct Replay<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed
                .deserialize(de::IntoDeserializer::<A::Error>::into_deserializer(key))
                .map(Some),
            None => self.map.next_key_seed(seed),
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// Bytes of elements per chunk once a sequence outgrows its first vector.
const CHUNK_BYTES: usize = 64 * 1024;

/// Collects a sequence of unknown length (serde_json gives no size hint) with `S`.
///
/// A vector that doubles holds its old and its new block at once while it grows: about three
/// times the elements' size at the last growth of a long list (NOOM's 5,000 document rows).
/// Past [`CHUNK_BYTES`] the elements go into fixed-size chunks instead, moved once into a
/// vector of the exact length at the end: at most about twice the elements' size.
fn collect_seq<'de, A, T, S>(mut seq: A) -> Result<Vec<T>, A::Error>
where
    A: SeqAccess<'de>,
    S: DeserializeAs<'de, T>,
{
    let per_chunk = (CHUNK_BYTES / std::mem::size_of::<T>().max(1)).max(16);
    let hint = seq.size_hint();
    let mut next = || {
        seq.next_element::<serde_with::de::DeserializeAsWrap<T, S>>()
            .map(|item| item.map(serde_with::de::DeserializeAsWrap::into_inner))
    };
    if let Some(len) = hint {
        // A deserializer that knows the length (a `Value`): one vector of that size.
        let mut out = Vec::with_capacity(len.min(4096));
        while let Some(item) = next()? {
            out.push(item);
        }
        return Ok(out);
    }
    let mut first = Vec::new();
    while first.len() < per_chunk {
        match next()? {
            Some(item) => first.push(item),
            None => return Ok(first),
        }
    }
    let mut chunks = vec![first];
    let mut current = Vec::with_capacity(per_chunk);
    while let Some(item) = next()? {
        if current.len() == per_chunk {
            chunks.push(std::mem::replace(
                &mut current,
                Vec::with_capacity(per_chunk),
            ));
        }
        current.push(item);
    }
    chunks.push(current);
    let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
    for chunk in chunks {
        out.extend(chunk);
    }
    Ok(out)
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

/// An optional object that PHP servers send as `""`, `[]`, `{}` or `null` when it is empty (an
/// empty PHP array encodes as `[]`, an empty `stdClass` as `{}`): those decode as `None`, an
/// object with fields as `Some`. Anything else is an error. Sends `None` as `null`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ObjectOrEmpty<S = serde_with::Same>(PhantomData<S>);

impl<'de, T, S> DeserializeAs<'de, Option<T>> for ObjectOrEmpty<S>
where
    S: DeserializeAs<'de, T>,
{
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        struct ObjectVisitor<T, S>(PhantomData<(T, S)>);
        impl<'de, T, S: DeserializeAs<'de, T>> Visitor<'de> for ObjectVisitor<T, S> {
            type Value = Option<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object, or an empty string or array for none")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let Some(first) = map.next_key::<String>()? else {
                    return Ok(None);
                };
                let rest = Replay {
                    first: Some(first),
                    map,
                };
                S::deserialize_as(de::value::MapAccessDeserializer::new(rest)).map(Some)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                super::empty_array_is_none(seq, &self)
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
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v.trim().is_empty() {
                    Ok(None)
                } else {
                    Err(E::invalid_type(de::Unexpected::Str(v), &self))
                }
            }
        }
        deserializer.deserialize_any(ObjectVisitor::<T, S>(PhantomData))
    }
}

impl<T, S: SerializeAs<T>> SerializeAs<Option<T>> for ObjectOrEmpty<S> {
    fn serialize_as<Ser: Serializer>(
        value: &Option<T>,
        serializer: Ser,
    ) -> Result<Ser::Ok, Ser::Error> {
        match value {
            Some(v) => serde_with::ser::SerializeAsWrap::<T, S>::new(v).serialize(serializer),
            None => serializer.serialize_none(),
        }
    }
}

/// A list that may come as an array, one value, or one `,`/`;`-separated string (`"11,15"`);
/// `null` and `""` are empty. `S` adapts the elements (each part of a string is handed to `S`
/// as a string). Sends an array.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextList<S = serde_with::Same>(PhantomData<S>);

/// The trimmed, non-empty parts of a list sent as one string (`"11,15"`, `"12:00; 18:30"`).
pub fn split_list(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}

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
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) =
                    seq.next_element::<serde_with::de::DeserializeAsWrap<T, S>>()?
                {
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

impl<T, S: SerializeAs<T>> SerializeAs<Vec<T>> for TextList<S> {
    fn serialize_as<Ser: Serializer>(
        value: &Vec<T>,
        serializer: Ser,
    ) -> Result<Ser::Ok, Ser::Error> {
        OneOrMany::<S>::serialize_as(value, serializer)
    }
}
