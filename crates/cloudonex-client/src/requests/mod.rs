//! What the client sends: typed create/update requests for customers and invoices, and a JSON
//! object for the other eight resources.
//!
//! Only the fields the document names are typed. Anything else your server takes goes in with
//! `field(name, value)`, sent as given; nothing undocumented is sent unless you add it.
//! Amounts and quantities are exact decimals, sent as JSON numbers, never through `f64`, in the
//! document's forms: an amount with at least two decimals (`100.00`), a quantity without
//! trailing zeros (`1`).
//!
//! Customers are in `customer`, invoices in `invoice`; [`RecordRequest`] serves the other eight
//! resources.

use pos_client_core::Money;
use pos_client_core::rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::error::Error;

mod customer;
mod invoice;

pub use customer::{CustomerUpdate, NewCustomer};
pub use invoice::{InvoiceBuilder, InvoiceUpdate, NewInvoice, NewInvoiceItem};

/// An id as the document sends it: a JSON number when it is all digits (`"customer_id": 123`),
/// else a string.
pub(crate) fn serialize_id<S: serde::Serializer>(id: &str, s: S) -> Result<S::Ok, S::Error> {
    if !id.is_empty()
        && id.len() <= 18
        && id.bytes().all(|b| b.is_ascii_digit())
        && !(id.len() > 1 && id.starts_with('0'))
    {
        match id.parse::<u64>() {
            Ok(n) => s.serialize_u64(n),
            Err(_) => s.serialize_str(id),
        }
    } else {
        s.serialize_str(id)
    }
}

/// An amount as a JSON number with at least two decimals, as the document writes it
/// (`'amount' => 100.00`): `100` is sent as `100.00`, `2.5` as `2.50`, `1.2340` as `1.234`. The
/// same value; a server that checks for a decimal (PHP's `json_decode` gives a float for
/// `100.00`, an int for `100`) accepts it, and so does one that takes any number.
pub(crate) fn amount_number<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    let d = Money::new(d.normalize()).with_min_decimals(2).amount();
    pos_client_core::encoding::serialize_decimal_number(&d, s)
}

/// A quantity as a JSON number without trailing zeros, as the document writes it
/// (`'qty' => 1`): `1.0` is sent as `1`, `2.50` as `2.5`. The same value; a server that reads
/// a whole quantity as an integer accepts it, and so does one that takes any number.
pub(crate) fn quantity_number<S: serde::Serializer>(d: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    pos_client_core::encoding::serialize_decimal_number(&d.normalize(), s)
}

/// A one-line value the server stores as an identifier or a name (`account`, `phone`): no
/// control character at all, line breaks included.
pub(crate) fn check_line(field: &str, value: &str) -> Result<(), Error> {
    if value.chars().any(char::is_control) {
        return Err(Error::validation(format!(
            "{field} contains a control character or a line break"
        )));
    }
    Ok(())
}

/// A free text (a line's description): line breaks and tabs allowed, other controls refused.
pub(crate) fn check_text(field: &str, value: &str) -> Result<(), Error> {
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Error::validation(format!(
            "{field} contains a control character"
        )));
    }
    Ok(())
}

/// The e-mail format the client and the sandbox accept (the document shows only the server's
/// "Invalid email format"; this is our decision, in `docs/specs/cloudonex.toml`): `""` (no
/// e-mail; on an update it clears it), or one `@` with text before it and a domain holding a
/// dot not at either end (an address without one cannot receive mail from the internet, and
/// PHP's `FILTER_VALIDATE_EMAIL` refuses it), without spaces or control characters.
pub(crate) fn email_accepted(email: &str) -> bool {
    email.is_empty() || plausible_email(email)
}

/// A non-empty address in the format of [`email_accepted`].
fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

pub(crate) fn check_extra(extra: &Map<String, Value>, documented: &[&str]) -> Result<(), Error> {
    match extra.keys().find(|k| {
        documented.contains(&k.as_str()) || k.trim().is_empty() || k.chars().any(char::is_control)
    }) {
        Some(k) => Err(Error::validation(format!(
            "extra field {k:?} is empty, has a control character or is a documented field: use its own setter"
        ))),
        None => Ok(()),
    }
}

/// A JSON object for the resources the document lists without fields (transactions, quotes,
/// products, orders, leads, suppliers, purchases, tickets): sent as given.
///
/// ```
/// use cloudonex_client::RecordRequest;
/// let product = RecordRequest::new().field("name", "Widget").field("price", "12.50").reference("SKU-1");
/// assert_eq!(serde_json::to_string(&product).unwrap(), r#"{"name":"Widget","price":"12.50"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordRequest {
    fields: Map<String, Value>,
    reference: Option<String>,
}

impl Serialize for RecordRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.fields.serialize(s)
    }
}

impl RecordRequest {
    /// An empty object.
    pub fn new() -> Self {
        RecordRequest::default()
    }
    /// From a JSON object you built.
    pub fn from_map(fields: Map<String, Value>) -> Self {
        RecordRequest {
            fields,
            reference: None,
        }
    }
    /// Sets a field. Exact amounts: pass the decimal's text (`"12.50"`) or a
    /// `serde_json::Number` built from it.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.insert(name.into(), value.into());
        self
    }
    /// Your reference for a create, named by an outcome-unknown error (not sent).
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }
    /// The fields.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }
    pub(crate) fn reference_text(&self) -> Option<&str> {
        self.reference.as_deref()
    }
    /// Checks the object is not empty and has no blank field name nor one with a control
    /// character (a column name the server would store).
    pub fn validate(&self) -> Result<(), Error> {
        if self.fields.is_empty() {
            return Err(Error::validation("the request has no fields"));
        }
        if self.fields.keys().any(|k| k.trim().is_empty()) {
            return Err(Error::validation("a field name is blank"));
        }
        if self.fields.keys().any(|k| k.chars().any(char::is_control)) {
            return Err(Error::validation(
                "a field name contains a control character",
            ));
        }
        Ok(())
    }
}
