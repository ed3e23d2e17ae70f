//! Invoices: [`NewInvoice`] built with [`InvoiceBuilder`] (`POST /invoices`, totals computed
//! exactly) and [`InvoiceUpdate`] (`PUT /invoices/{id}`).

use pos_client_core::rust_decimal::Decimal;
use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use super::{amount_number, check_extra, check_text, quantity_number, serialize_id};
use crate::error::Error;

/// One invoice line as sent: `description`, `amount` (the unit amount, with at least two
/// decimals: `100.00`) and `qty` (without trailing zeros: `1`), the document's forms.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewInvoiceItem {
    description: String,
    #[serde(serialize_with = "amount_number")]
    amount: Decimal,
    #[serde(serialize_with = "quantity_number")]
    qty: Decimal,
    #[serde(skip)]
    line_total: Decimal,
}

impl NewInvoiceItem {
    /// The line's description.
    pub fn description(&self) -> &str {
        &self.description
    }
    /// The unit amount.
    pub fn amount(&self) -> Decimal {
        self.amount
    }
    /// The quantity.
    pub fn qty(&self) -> Decimal {
        self.qty
    }
    /// `amount × qty`, exact.
    pub fn line_total(&self) -> Decimal {
        self.line_total
    }
}

/// A new invoice (`POST /invoices`): `customer_id` and `items`, as in the document's example.
/// Build it with [`NewInvoice::builder`], which computes every line total and the invoice total
/// exactly. The totals are not sent (the document names no total field; the server computes
/// its own): compare them with what the server answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewInvoice {
    #[serde(serialize_with = "serialize_id")]
    customer_id: String,
    items: Vec<NewInvoiceItem>,
    #[serde(flatten)]
    extra: Map<String, Value>,
    #[serde(skip)]
    total: Decimal,
    #[serde(skip)]
    reference: Option<String>,
}

impl NewInvoice {
    /// Starts an invoice for this customer id.
    pub fn builder(customer_id: impl Into<String>) -> InvoiceBuilder {
        InvoiceBuilder {
            customer_id: customer_id.into(),
            items: Vec::new(),
            extra: Map::new(),
            reference: None,
        }
    }
    /// The customer's id.
    pub fn customer_id(&self) -> &str {
        &self.customer_id
    }
    /// The lines.
    pub fn items(&self) -> &[NewInvoiceItem] {
        &self.items
    }
    /// The sum of the line totals, exact.
    pub fn total(&self) -> Decimal {
        self.total
    }
    /// What an outcome-unknown error names: your reference when you gave one, else the customer
    /// and the total (look among that customer's invoices before creating it again).
    pub fn reference(&self) -> String {
        match &self.reference {
            Some(r) => r.clone(),
            None => format!(
                "invoice for customer {} totalling {}",
                self.customer_id, self.total
            ),
        }
    }
}

/// Builds a [`NewInvoice`]; [`InvoiceBuilder::build`] checks it and computes the totals.
///
/// ```
/// use cloudonex_client::NewInvoice;
/// use rust_decimal_macros::dec;
/// let invoice = NewInvoice::builder("123")
///     .item("Product A", dec!(100.00), dec!(1))
///     .item("Product B", dec!(12.25), dec!(3))
///     .reference("INV-2024-0001")
///     .build()?;
/// assert_eq!(invoice.items()[1].line_total(), dec!(36.75));
/// assert_eq!(invoice.total(), dec!(136.75));
/// assert_eq!(
///     serde_json::to_string(&invoice).unwrap(),
///     r#"{"customer_id":123,"items":[{"description":"Product A","amount":100.00,"qty":1},{"description":"Product B","amount":12.25,"qty":3}]}"#
/// );
/// # Ok::<(), cloudonex_client::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct InvoiceBuilder {
    customer_id: String,
    items: Vec<(String, Decimal, Decimal)>,
    extra: Map<String, Value>,
    reference: Option<String>,
}

impl InvoiceBuilder {
    /// Adds a line: description, unit amount, quantity.
    pub fn item(mut self, description: impl Into<String>, amount: Decimal, qty: Decimal) -> Self {
        self.items.push((description.into(), amount, qty));
        self
    }

    /// Your own reference for this invoice, named by an outcome-unknown error. It is not sent
    /// (the document names no such field); send it too with [`field`](Self::field) if your
    /// server stores one.
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// An undocumented invoice field your server takes (`date`, `notes` …), sent as given.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// Checks the invoice (a customer id, at least one line, descriptions not blank, quantities
    /// above zero) and computes the totals exactly. A line's amount may be negative (a credit or
    /// discount line) or zero; the document shows only `'amount' => 100.00, 'qty' => 1`.
    pub fn build(self) -> Result<NewInvoice, Error> {
        crate::protocol::check_id(&self.customer_id)
            .map_err(|_| Error::validation("customer_id is missing or not a valid id"))?;
        if self.items.is_empty() {
            return Err(Error::validation("an invoice needs at least one item"));
        }
        check_extra(&self.extra, &["customer_id", "items"])?;
        let mut total = Decimal::ZERO;
        let mut items = Vec::with_capacity(self.items.len());
        for (n, (description, amount, qty)) in self.items.into_iter().enumerate() {
            if description.trim().is_empty() {
                return Err(Error::validation(format!(
                    "items[{n}].description is required"
                )));
            }
            check_text("description", &description)?;
            // A negative amount is a credit or discount line; a quantity of zero or below is
            // a mistake (a credit is a negative amount, never a negative quantity).
            if qty <= Decimal::ZERO {
                return Err(Error::validation(format!(
                    "items[{n}].qty must be above zero"
                )));
            }
            let line_total = amount
                .checked_mul(qty)
                .ok_or_else(|| Error::validation(format!("items[{n}]: amount × qty overflows")))?;
            total = total
                .checked_add(line_total)
                .ok_or_else(|| Error::validation("the invoice total overflows"))?;
            items.push(NewInvoiceItem {
                description,
                amount,
                qty,
                line_total,
            });
        }
        Ok(NewInvoice {
            customer_id: self.customer_id,
            items,
            extra: self.extra,
            total,
            reference: self.reference,
        })
    }
}

/// Changes to an invoice (`PUT /invoices/{id}`): only what you set is sent; `items` replaces
/// every line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InvoiceUpdate {
    customer_id: Option<String>,
    items: Option<Vec<NewInvoiceItem>>,
    extra: Map<String, Value>,
}

impl Serialize for InvoiceUpdate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Id<'a>(&'a str);
        impl Serialize for Id<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                serialize_id(self.0, s)
            }
        }
        let mut map = s.serialize_map(None)?;
        if let Some(id) = &self.customer_id {
            map.serialize_entry("customer_id", &Id(id))?;
        }
        if let Some(items) = &self.items {
            map.serialize_entry("items", items)?;
        }
        for (k, v) in &self.extra {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl InvoiceUpdate {
    /// An empty update.
    pub fn new() -> Self {
        InvoiceUpdate::default()
    }
    /// Moves the invoice to another customer.
    pub fn customer_id(mut self, id: impl Into<String>) -> Self {
        self.customer_id = Some(id.into());
        self
    }
    /// Replaces the lines with those of `invoice` (built and checked by [`InvoiceBuilder`]).
    pub fn items_of(mut self, invoice: &NewInvoice) -> Self {
        self.items = Some(invoice.items.clone());
        self
    }
    /// An undocumented field, sent as given.
    pub fn field(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }
    /// Checks there is something to change and the customer id is valid.
    pub fn validate(&self) -> Result<(), Error> {
        if self.customer_id.is_none() && self.items.is_none() && self.extra.is_empty() {
            return Err(Error::validation("the update changes nothing"));
        }
        if let Some(id) = &self.customer_id {
            crate::protocol::check_id(id)?;
        }
        check_extra(&self.extra, &["customer_id", "items"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn ids_are_numbers_when_numeric() {
        let body = |id: &str| {
            serde_json::to_string(
                &NewInvoice::builder(id)
                    .item("x", dec!(1), dec!(1))
                    .build()
                    .unwrap(),
            )
            .unwrap()
        };
        assert!(body("123").starts_with(r#"{"customer_id":123,"#));
        assert!(body("0123").starts_with(r#"{"customer_id":"0123","#));
        assert!(body("C-9").starts_with(r#"{"customer_id":"C-9","#));
    }

    #[test]
    fn invoice_rules() {
        assert!(NewInvoice::builder("1").build().is_err());
        assert!(
            NewInvoice::builder("")
                .item("x", dec!(1), dec!(1))
                .build()
                .is_err()
        );
        assert!(
            NewInvoice::builder("1")
                .item(" ", dec!(1), dec!(1))
                .build()
                .is_err()
        );
        for qty in [dec!(0), dec!(-1), dec!(-0.5)] {
            let err = NewInvoice::builder("1")
                .item("x", dec!(1), qty)
                .build()
                .unwrap_err();
            assert!(err.to_string().contains("items[0].qty"), "{qty}: {err}");
        }
        // A credit or discount line: a negative amount, with the total computed exactly.
        let credit = NewInvoice::builder("1")
            .item("Product A", dec!(100.00), dec!(1))
            .item("Discount", dec!(-15.50), dec!(1))
            .item("Free sample", dec!(0), dec!(2))
            .build()
            .unwrap();
        assert_eq!(credit.items()[1].line_total(), dec!(-15.50));
        assert_eq!(credit.total(), dec!(84.50));
        assert!(
            serde_json::to_string(&credit)
                .unwrap()
                .contains(r#"{"description":"Discount","amount":-15.50,"qty":1}"#)
        );
        assert!(
            NewInvoice::builder("1")
                .item("x", Decimal::MAX, dec!(2))
                .build()
                .is_err()
        );
        let inv = NewInvoice::builder("1")
            .item("a", dec!(0.10), dec!(3))
            .item("b", dec!(0.20), dec!(1))
            .build()
            .unwrap();
        assert_eq!(inv.total(), dec!(0.50));
        assert_eq!(inv.reference(), "invoice for customer 1 totalling 0.50");
    }
}
