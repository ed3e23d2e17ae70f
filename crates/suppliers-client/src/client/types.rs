//! The small types of the client's methods: products, locations, payments, filters, contact
//! fields.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::models::{LocationEntry, PaymentMethod};

/// A product for `addLine`: by id or by code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductRef {
    /// `product_id`.
    Id(String),
    /// `product_code`.
    Code(String),
}

/// A location (warehouse) the user may choose (`location-person`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The location id.
    pub id: String,
    /// Its name.
    pub name: String,
}

/// How an order is paid (`payment_method` and `payment_note` of `POST /supplier-purchase`).
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    /// `cash` or `debt`.
    pub method: PaymentMethod,
    /// A note, when given.
    pub note: Option<String>,
}

impl Payment {
    /// Paid in cash.
    pub fn cash() -> Self {
        Payment {
            method: PaymentMethod::Cash,
            note: None,
        }
    }

    /// Added to the supplier's debt.
    pub fn debt() -> Self {
        Payment {
            method: PaymentMethod::Debt,
            note: None,
        }
    }

    /// With a payment note.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }
}

/// Filters of `GET /suppliers`: the document's `visible` and `name`, and the framework's
/// paging.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupplierFilter {
    /// `visible=Y|N`.
    pub visible: Option<bool>,
    /// `name`.
    pub name: Option<String>,
    /// `page` (framework), from 1.
    pub page: Option<u32>,
    /// `page_size` (framework; honoured only when the service configures it).
    pub page_size: Option<u32>,
}

/// Contact fields of `editContactInfo`; `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactInfo {
    /// Phone.
    pub phone: Option<String>,
    /// Province / city (Tỉnh / TP).
    pub region: Option<String>,
    /// District (Quận / Huyện).
    pub city: Option<String>,
    /// Street address.
    pub address: Option<String>,
}

/// `location_person`, read straight from the body bytes (no `serde_json::Value`): the
/// document's object `{location_id: location_name}`, PHP's `[]` for none, a list of names (the
/// index is the id) or a list of [`LocationEntry`] objects. `null` or any other scalar reads as
/// no location; an absent field is an error ([`LocationPersonAnswer`]).
#[derive(Default)]
pub(super) struct Locations(pub(super) Vec<Location>);

impl<'de> Deserialize<'de> for Locations {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Locations;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object {location_id: name} or a list of locations")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Locations, A::Error> {
                let mut out = Vec::new();
                while let Some((id, name)) = map.next_entry::<String, Text>()? {
                    out.push(Location { id, name: name.0 });
                }
                Ok(Locations(out))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Locations, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Item>()? {
                    let index = out.len().to_string();
                    out.push(match item {
                        Item::Name(name) => Location { id: index, name },
                        Item::Entry(e) => Location {
                            id: e.location_id.or(e.id).unwrap_or(index),
                            name: e.location_name.or(e.name).unwrap_or_default(),
                        },
                    });
                }
                Ok(Locations(out))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Locations, E> {
                Ok(Locations::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Locations, E> {
                Ok(Locations::default())
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Locations, E> {
                Ok(Locations::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Locations, E> {
                Ok(Locations::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Locations, E> {
                Ok(Locations::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Locations, E> {
                Ok(Locations::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Locations, E> {
                Ok(Locations::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// One item of a `location_person` list: a name, or an object.
enum Item {
    Name(String),
    Entry(LocationEntry),
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Item;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a location name or object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item, A::Error> {
                LocationEntry::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Item::Entry)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Item, A::Error> {
                TextVisitor.visit_seq(seq).map(|t| Item::Name(t.0))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Item, E> {
                Ok(Item::Name(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Item, E> {
                Ok(Item::Name(String::new()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Item, E> {
                Ok(Item::Name(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Item, E> {
                Ok(Item::Name(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Item, E> {
                Ok(Item::Name(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Item, E> {
                Ok(Item::Name(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Item, E> {
                Ok(Item::Name(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A location name as PHP may send it: text, a number, a boolean, or `null` (empty); a nested
/// object or list is skipped (empty name).
struct Text(String);

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a location name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_owned()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(String::new()))
    }
    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(String::new()))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Text(String::new()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Text(String::new()))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// The answer of `location-person`. `location_person` is required: PHP writes the key even with
/// no location (`[]`, `null`), so an answer without it is not this answer (a decode error).
#[derive(serde::Deserialize)]
pub(crate) struct LocationPersonAnswer {
    pub(super) location_person: Locations,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Vec<Location> {
        serde_json::from_str::<LocationPersonAnswer>(body)
            .unwrap()
            .location_person
            .0
    }

    #[test]
    fn locations_read_every_shape() {
        let loc = |id: &str, name: &str| Location {
            id: id.into(),
            name: name.into(),
        };
        assert_eq!(
            read(r#"{"location_person": {"1": "Kho 1", "7": "Kho 7"}}"#),
            [loc("1", "Kho 1"), loc("7", "Kho 7")]
        );
        assert_eq!(
            read(r#"{"location_person": {"3": null, "4": 12}}"#),
            [loc("3", ""), loc("4", "12")]
        );
        assert!(read(r#"{"location_person": []}"#).is_empty());
        assert!(read(r#"{"location_person": null}"#).is_empty());
        assert!(serde_json::from_str::<LocationPersonAnswer>(r#"{"result": "SUCCESS"}"#).is_err());
        assert_eq!(
            read(r#"{"location_person": ["A", 5]}"#),
            [loc("0", "A"), loc("1", "5")]
        );
        assert_eq!(
            read(
                r#"{"location_person": [{"location_id": 9, "location_name": "Kho 9", "id": 1},
                    {"id": "2", "name": "Kho 2"}, {"name": "Kho ?"}]}"#
            ),
            [loc("9", "Kho 9"), loc("2", "Kho 2"), loc("2", "Kho ?")]
        );
    }
}
