//! Builders and validation for the request models.
//!
//! [`Sale::validate`] and [`Purchase::validate`] (run by the client before anything is sent)
//! check the field rules of the spec notes (the generated `check_fields`: see the
//! [models](crate::models) module docs — references and codes not blank, no control characters,
//! positive quantities, amounts within a `Double`'s 15 significant digits, at least one item),
//! then the vendor's cross-field rule: `grand_total` equals the exact decimal sum of the item
//! totals.
//!
//! The builders make the right thing the easy path: an item's `total` is
//! `qty × unit price − discount` unless given explicitly, and `grand_total` is the sum of the item
//! totals. All arithmetic is exact ([`Money`] is a decimal), so `0.10 + 0.20` is `0.30`; a
//! result beyond the range of a decimal saturates (never panics) and is then refused by the
//! digit rule.

use pos_client_core::Money;
use pos_client_core::rust_decimal::Decimal;

use crate::error::Error;
use crate::models::{Purchase, PurchaseItem, Sale, SaleItem};

/// `qty × unit − discount`, saturating instead of panicking on overflow (caller input).
fn line_total(qty: u32, unit: Money, discount: Money) -> Money {
    Money::new(
        unit.amount()
            .saturating_mul(Decimal::from(qty))
            .saturating_sub(discount.amount()),
    )
}

/// The sum of `totals`, saturating instead of panicking on overflow (caller input).
fn sum(totals: impl Iterator<Item = Money>) -> Money {
    Money::new(totals.fold(Decimal::ZERO, |acc, t| acc.saturating_add(t.amount())))
}

/// The vendor's rule: `grand_total` equals the exact sum of the item totals.
fn check_grand_total(
    kind: &str,
    reference_no: &str,
    grand_total: Money,
    item_totals: Money,
) -> Result<(), Error> {
    if grand_total != item_totals {
        return Err(Error::validation(format!(
            "{kind} {reference_no}: grand_total {grand_total} does not match the sum of the item totals {item_totals}"
        )));
    }
    Ok(())
}

impl SaleItem {
    /// A line of `qty` units of `code` at `unit_price`, no discount; `total` = `qty × unit_price`.
    ///
    /// ```
    /// use cloudma_client::{Money, models::SaleItem};
    /// let item = SaleItem::new("A-1", 3, "2.50".parse::<Money>()?).with_discount("0.50".parse()?);
    /// assert_eq!(item.total.to_string(), "7.00");
    /// # Ok::<(), String>(())
    /// ```
    pub fn new(code: impl Into<String>, qty: u32, unit_price: Money) -> Self {
        SaleItem {
            code: code.into(),
            qty,
            discount: Money::ZERO,
            total: line_total(qty, unit_price, Money::ZERO),
            unit_price,
        }
    }

    /// Sets the line discount and recomputes `total` = `qty × unit_price − discount`.
    pub fn with_discount(mut self, discount: Money) -> Self {
        self.discount = discount;
        self.total = line_total(self.qty, self.unit_price, discount);
        self
    }

    /// Sets `total` explicitly (for totals computed elsewhere, e.g. with tax). Call it last:
    /// [`with_discount`](Self::with_discount) recomputes the total.
    pub fn with_total(mut self, total: Money) -> Self {
        self.total = total;
        self
    }
}

impl PurchaseItem {
    /// A line of `qty` units of `code` at `unit_cost`, no discount; `total` = `qty × unit_cost`.
    pub fn new(code: impl Into<String>, qty: u32, unit_cost: Money) -> Self {
        PurchaseItem {
            code: code.into(),
            qty,
            discount: Money::ZERO,
            total: line_total(qty, unit_cost, Money::ZERO),
            unit_cost,
        }
    }

    /// Sets the line discount and recomputes `total` = `qty × unit_cost − discount`.
    pub fn with_discount(mut self, discount: Money) -> Self {
        self.discount = discount;
        self.total = line_total(self.qty, self.unit_cost, discount);
        self
    }

    /// Sets `total` explicitly. Call it last: [`with_discount`](Self::with_discount) recomputes
    /// the total.
    pub fn with_total(mut self, total: Money) -> Self {
        self.total = total;
        self
    }
}

impl Sale {
    /// A builder for a sale with this reference; it computes the grand total from the items.
    pub fn builder(reference_no: impl Into<String>) -> SaleBuilder {
        SaleBuilder {
            sale: Sale {
                customer_name: String::new(),
                customer_email: String::new(),
                reference_no: reference_no.into(),
                shipping_cost: Money::ZERO,
                total_discount: Money::ZERO,
                grand_total: Money::ZERO,
                items: Vec::new(),
            },
        }
    }

    /// The exact sum of the item totals (saturating at the range of a decimal).
    pub fn items_total(&self) -> Money {
        sum(self.items.iter().map(|i| i.total))
    }

    /// Checks the vendor's rules (see the [module docs](crate::builders)). The client calls this
    /// before sending; an error here means nothing was sent.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_fields()?;
        check_grand_total(
            "sale",
            &self.reference_no,
            self.grand_total,
            self.items_total(),
        )
    }
}

impl Purchase {
    /// A builder for a purchase (GRN) with this reference; it computes the grand total.
    pub fn builder(reference_no: impl Into<String>) -> PurchaseBuilder {
        PurchaseBuilder {
            purchase: Purchase {
                reference_no: reference_no.into(),
                grand_total: Money::ZERO,
                items: Vec::new(),
            },
        }
    }

    /// The exact sum of the item totals (saturating at the range of a decimal).
    pub fn items_total(&self) -> Money {
        sum(self.items.iter().map(|i| i.total))
    }

    /// Checks the vendor's rules (see the [module docs](crate::builders)). The client calls this
    /// before sending; an error here means nothing was sent.
    pub fn validate(&self) -> Result<(), Error> {
        self.check_fields()?;
        check_grand_total(
            "purchase",
            &self.reference_no,
            self.grand_total,
            self.items_total(),
        )
    }
}

/// Builds a [`Sale`]: item totals and the grand total are computed, then the rules are checked.
///
/// ```
/// use cloudma_client::{Money, models::{Sale, SaleItem}};
/// let price = |s: &str| s.parse::<Money>();
/// let sale = Sale::builder("S-1001")
///     .customer("Ada Lovelace", "ada@example.com")
///     .item(SaleItem::new("A-1", 2, price("12.50")?))
///     .item(SaleItem::new("B-2", 1, price("7.40")?).with_discount(price("0.40")?))
///     .build()
///     .map_err(|e| e.to_string())?;
/// assert_eq!(sale.grand_total.to_string(), "32.00");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SaleBuilder {
    sale: Sale,
}

impl SaleBuilder {
    /// Sets the customer's name and email.
    pub fn customer(mut self, name: impl Into<String>, email: impl Into<String>) -> Self {
        self.sale.customer_name = name.into();
        self.sale.customer_email = email.into();
        self
    }

    /// Sets the customer's name only.
    pub fn customer_name(mut self, name: impl Into<String>) -> Self {
        self.sale.customer_name = name.into();
        self
    }

    /// Sets the customer's email only.
    pub fn customer_email(mut self, email: impl Into<String>) -> Self {
        self.sale.customer_email = email.into();
        self
    }

    /// Sets the shipping cost (default 0). It is not part of `grand_total`, which is the sum of
    /// the item totals.
    pub fn shipping_cost(mut self, cost: Money) -> Self {
        self.sale.shipping_cost = cost;
        self
    }

    /// Sets the total discount reported for the sale (default 0). Discounts that change the
    /// amounts belong on the items ([`SaleItem::with_discount`]).
    pub fn total_discount(mut self, discount: Money) -> Self {
        self.sale.total_discount = discount;
        self
    }

    /// Adds a line.
    pub fn item(mut self, item: SaleItem) -> Self {
        self.sale.items.push(item);
        self
    }

    /// Adds `qty` units of `code` at `unit_price` (total computed).
    pub fn add(self, code: impl Into<String>, qty: u32, unit_price: Money) -> Self {
        self.item(SaleItem::new(code, qty, unit_price))
    }

    /// Computes `grand_total` and checks the rules.
    pub fn build(mut self) -> Result<Sale, Error> {
        self.sale.grand_total = self.sale.items_total();
        self.sale.validate()?;
        Ok(self.sale)
    }
}

/// Builds a [`Purchase`] (GRN): item totals and the grand total are computed, then the rules
/// are checked.
///
/// ```
/// use cloudma_client::{Money, models::{Purchase, PurchaseItem}};
/// let purchase = Purchase::builder("GRN-77")
///     .item(PurchaseItem::new("A-1", 10, "4.10".parse::<Money>()?))
///     .build()
///     .map_err(|e| e.to_string())?;
/// assert_eq!(purchase.grand_total.to_string(), "41.00");
/// # Ok::<(), String>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct PurchaseBuilder {
    purchase: Purchase,
}

impl PurchaseBuilder {
    /// Adds a line.
    pub fn item(mut self, item: PurchaseItem) -> Self {
        self.purchase.items.push(item);
        self
    }

    /// Adds `qty` units of `code` at `unit_cost` (total computed).
    pub fn add(self, code: impl Into<String>, qty: u32, unit_cost: Money) -> Self {
        self.item(PurchaseItem::new(code, qty, unit_cost))
    }

    /// Computes `grand_total` and checks the rules.
    pub fn build(mut self) -> Result<Purchase, Error> {
        self.purchase.grand_total = self.purchase.items_total();
        self.purchase.validate()?;
        Ok(self.purchase)
    }
}
