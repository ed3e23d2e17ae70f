//! The document's parameter types, checked before a push is read: what a strict server refuses
//! with 400 (line 94, "Error in request"), naming the parameter as the form does.

use serde_json::{Map, Value};

/// A type the document gives a parameter (lines 31–38, 48–50).
#[derive(Clone, Copy)]
pub(super) enum Kind {
    /// `(String)`: a JSON string; any form value is text.
    Text,
    /// `(Integer)`: a JSON integer; in a form, digits (a leading `-` aside).
    Integer,
    /// `(Double)`: a JSON number; in a form, a finite number written with digits, a decimal
    /// point and an exponent at most (a decimal comma is no `Double`, nor PHP `is_numeric`).
    Double,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Text => "a String",
            Kind::Integer => "an Integer",
            Kind::Double => "a Double",
        }
    }

    fn accepts(self, value: &Value, json: bool) -> bool {
        match (self, value) {
            (Kind::Text, Value::String(_)) => true,
            (Kind::Integer, Value::Number(n)) if json => n.is_i64() || n.is_u64(),
            (Kind::Double, Value::Number(_)) if json => true,
            (Kind::Integer, Value::String(s)) if !json => {
                let digits = s.strip_prefix('-').unwrap_or(s);
                !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
            }
            (Kind::Double, Value::String(s)) if !json => {
                s.bytes().any(|b| b.is_ascii_digit())
                    && s.bytes().all(|b| {
                        b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E')
                    })
                    && s.parse::<f64>().is_ok_and(f64::is_finite)
            }
            _ => false,
        }
    }
}

/// The parameters of one push: required top-level ones, top-level ones checked only when sent,
/// and those of each element of `items`.
pub(super) struct Push {
    pub(super) required: &'static [(&'static str, Kind)],
    pub(super) when_sent: &'static [(&'static str, Kind)],
    pub(super) item: &'static [(&'static str, Kind)],
}

/// `push-sale` (lines 31–38).
pub(super) const SALE: Push = Push {
    required: &[
        ("customer_name", Kind::Text),
        ("customer_email", Kind::Text),
        ("reference_no", Kind::Text),
        ("shipping_cost", Kind::Double),
        ("total_discount", Kind::Double),
        ("grand_total", Kind::Double),
    ],
    when_sent: &[],
    item: &[
        ("code", Kind::Text),
        ("qty", Kind::Integer),
        ("discount", Kind::Double),
        ("total", Kind::Double),
        ("unit_price", Kind::Double),
    ],
};

/// `push-purchase` (lines 48–50): its items have "code, qty, discount, total, and unit_cost
/// (Double)", typed as a sale's; `grand_total`, named only by the note (line 52), is checked
/// when sent.
pub(super) const PURCHASE: Push = Push {
    required: &[("reference_no", Kind::Text)],
    when_sent: &[("grand_total", Kind::Double)],
    item: &[
        ("code", Kind::Text),
        ("qty", Kind::Integer),
        ("discount", Kind::Double),
        ("total", Kind::Double),
        ("unit_cost", Kind::Double),
    ],
};

/// Checks `fields` against `push`; the error is the message of the 400 answer, starting with
/// the parameter's name (`items[0][qty] must be an Integer`).
pub(super) fn check(push: &Push, fields: &Map<String, Value>, json: bool) -> Result<(), String> {
    let one = |name: String, value: Option<&Value>, kind: Kind| match value {
        None => Err(format!("{name} is required")),
        Some(v) if kind.accepts(v, json) => Ok(()),
        Some(_) => Err(format!("{name} must be {}", kind.name())),
    };
    for (name, kind) in push.required {
        one((*name).to_owned(), fields.get(*name), *kind)?;
    }
    for (name, kind) in push.when_sent {
        if let Some(value) = fields.get(*name) {
            one((*name).to_owned(), Some(value), *kind)?;
        }
    }
    let items = match fields.get("items") {
        None => return Err("items is required".to_owned()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("items must be an Array".to_owned()),
    };
    for (i, item) in items.iter().enumerate() {
        let Value::Object(item) = item else {
            return Err(format!("items[{i}] must be an object"));
        };
        for (name, kind) in push.item {
            one(format!("items[{i}][{name}]"), item.get(*name), *kind)?;
        }
    }
    Ok(())
}
