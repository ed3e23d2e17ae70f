//! The small types of the client's methods: products, locations, payments, filters, contact
//! fields.

use serde_json::Value;

use crate::models::PaymentMethod;

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

/// Reads `location_person`: an object `{id: name}`, PHP's `[]` for none, or a list.
pub(super) fn locations(value: &Value) -> Vec<Location> {
    let name_of = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    match value {
        Value::Object(map) => map
            .iter()
            .map(|(id, name)| Location {
                id: id.clone(),
                name: name_of(name),
            })
            .collect(),
        // A PHP array with keys 0..n arrives as a JSON list: the index is the key.
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(o) => Location {
                    id: o
                        .get("location_id")
                        .or_else(|| o.get("id"))
                        .map(name_of)
                        .unwrap_or_else(|| i.to_string()),
                    name: o
                        .get("location_name")
                        .or_else(|| o.get("name"))
                        .map(name_of)
                        .unwrap_or_default(),
                },
                other => Location {
                    id: i.to_string(),
                    name: name_of(other),
                },
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_every_shape() {
        let obj = serde_json::json!({"1": "Kho 1", "7": "Kho 7"});
        assert_eq!(
            locations(&obj)[1],
            Location {
                id: "7".into(),
                name: "Kho 7".into()
            }
        );
        assert!(locations(&serde_json::json!([])).is_empty());
        assert_eq!(locations(&serde_json::json!(["A"]))[0].id, "0");
    }
}
