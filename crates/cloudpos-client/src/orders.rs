//! Orders as the client returns them: subproducts as a list per line, payments as a typed
//! structure. Built from the wire shape [`WireOrder`] that `get-orders` sends.
//!
//! On the wire an order line has ten fixed subproduct slots (`subproduct1id`, `subproduct1price`,
//! `subproduct1tax` … `subproduct10tax`) and an order has nine payment columns (`cashpayment` …
//! `mastercardpayment`). [`Order::from`] turns the slots into [`OrderLine::subproducts`] (a slot
//! counts when its id or its price is non-zero; empty, `null` and `0` slots are dropped) and the
//! columns into [`Payments`] (an absent column is zero).
//!
//! ```
//! use cloudpos_client::models::WireOrder;
//! use cloudpos_client::orders::{Order, PaymentMethodKind};
//!
//! let wire: WireOrder = serde_json::from_value(serde_json::json!({
//!     "id": "7", "totalprice": "14.50", "cashpayment": "10", "bancontactpayment": 4.5,
//!     "orderdetail": [{"quantity": 1, "productid": 3, "productprice": "12.00", "producttax": 21,
//!                      "subproduct1id": 5, "subproduct1price": "2.50", "subproduct1tax": "21",
//!                      "subproduct2id": 0, "subproduct2price": ""}]
//! }))?;
//! let order = Order::from(wire);
//! assert_eq!(order.lines[0].subproducts.len(), 1);
//! assert_eq!(order.lines[0].total().to_string(), "14.50");
//! assert_eq!(order.payments.total().to_string(), "14.5");
//! assert_eq!(order.payments.get(PaymentMethodKind::Cash).to_string(), "10");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use pos_client_core::Money;
use pos_client_core::chrono::NaiveDateTime;
use pos_client_core::rust_decimal::Decimal;

use crate::models::{WireOrder, WireOrderLine};

/// An order from `get-orders`, with its lines and payments.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Order {
    /// Order id.
    pub id: u64,
    /// Customer id (`customerid`, "klant id"); `None` when absent or `0`.
    pub customer_id: Option<u64>,
    /// Cash register id (`kassaid`, "kassa id").
    pub register_id: Option<u64>,
    /// Total price, VAT included (`totalprice`, "totaal prijs incl btw"), as the server states it.
    pub total_price: Option<Money>,
    /// Id of the user who created the order (`user`).
    pub user_id: Option<u64>,
    /// Date and time of the order (`ordertime`), local time of the till; `None` when absent
    /// or unreadable (see [`pos_client_core::encoding::LenientDateTime`]).
    pub order_time: Option<NaiveDateTime>,
    /// Labour clock-in (`clockin`, "Arbeid in"), as the server writes it.
    pub clock_in: Option<String>,
    /// Labour clock-out (`clockout`, "Arbeid uit"), as the server writes it.
    pub clock_out: Option<String>,
    /// Detail lines (`orderdetail`).
    pub lines: Vec<OrderLine>,
    /// How the order was paid.
    pub payments: Payments,
}

/// One detail line of an [`Order`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct OrderLine {
    /// Quantity (`quantity`, "aantal").
    pub quantity: Option<Decimal>,
    /// Product id (`productid`).
    pub product_id: Option<u64>,
    /// Product price, VAT included (`productprice`, "prijs incl btw").
    pub product_price: Option<Money>,
    /// VAT rate in percent (`producttax`, "btw tarief").
    pub product_tax: Option<Decimal>,
    /// The subproducts on this line, in slot order (at most ten).
    pub subproducts: Vec<SubproductLine>,
}

/// One subproduct of an [`OrderLine`], from the flat slot `subproduct<N>id/price/tax`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct SubproductLine {
    /// The slot number on the wire, 1 to 10.
    pub slot: u8,
    /// Subproduct id (`subproduct<N>id`); `None` when only a price was sent.
    pub id: Option<u64>,
    /// Price, VAT included (`subproduct<N>price`).
    pub price: Option<Money>,
    /// VAT rate in percent (`subproduct<N>tax`).
    pub tax: Option<Decimal>,
}

/// The payment methods of an order's payment columns, in the vendor's column order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaymentMethodKind {
    /// Cash (`cashpayment`, "cash betaling").
    Cash,
    /// Bancontact debit card (`bancontactpayment`).
    Bancontact,
    /// Gift voucher (`voucherpayment`, "kadobon betaling").
    Voucher,
    /// Bank transfer, to be paid later (`transferpayment`, "over te schrijven betaling").
    Transfer,
    /// Visa (`visapayment`).
    Visa,
    /// Prepaid charge card (`chargecardpayment`, "oplaadkaart betaling").
    ChargeCard,
    /// Meal voucher (`luncheoncardpayment`, "maaltijdcheque betaling").
    LuncheonCard,
    /// American Express (`americanexpresspayment`).
    AmericanExpress,
    /// Mastercard (`mastercardpayment`).
    Mastercard,
}

impl PaymentMethodKind {
    /// Every payment method, in the vendor's column order.
    pub const ALL: [PaymentMethodKind; 9] = [
        PaymentMethodKind::Cash,
        PaymentMethodKind::Bancontact,
        PaymentMethodKind::Voucher,
        PaymentMethodKind::Transfer,
        PaymentMethodKind::Visa,
        PaymentMethodKind::ChargeCard,
        PaymentMethodKind::LuncheonCard,
        PaymentMethodKind::AmericanExpress,
        PaymentMethodKind::Mastercard,
    ];

    /// The wire column (`cashpayment` …).
    pub fn wire_name(self) -> &'static str {
        match self {
            PaymentMethodKind::Cash => "cashpayment",
            PaymentMethodKind::Bancontact => "bancontactpayment",
            PaymentMethodKind::Voucher => "voucherpayment",
            PaymentMethodKind::Transfer => "transferpayment",
            PaymentMethodKind::Visa => "visapayment",
            PaymentMethodKind::ChargeCard => "chargecardpayment",
            PaymentMethodKind::LuncheonCard => "luncheoncardpayment",
            PaymentMethodKind::AmericanExpress => "americanexpresspayment",
            PaymentMethodKind::Mastercard => "mastercardpayment",
        }
    }

    /// An English label for reports.
    pub fn label(self) -> &'static str {
        match self {
            PaymentMethodKind::Cash => "cash",
            PaymentMethodKind::Bancontact => "Bancontact",
            PaymentMethodKind::Voucher => "gift voucher",
            PaymentMethodKind::Transfer => "bank transfer",
            PaymentMethodKind::Visa => "Visa",
            PaymentMethodKind::ChargeCard => "charge card",
            PaymentMethodKind::LuncheonCard => "meal voucher",
            PaymentMethodKind::AmericanExpress => "American Express",
            PaymentMethodKind::Mastercard => "Mastercard",
        }
    }
}

impl fmt::Display for PaymentMethodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What an order was paid with: one exact amount per payment method (zero when absent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Payments([Money; PaymentMethodKind::ALL.len()]);

impl Payments {
    /// The amount paid with `kind`.
    pub fn get(&self, kind: PaymentMethodKind) -> Money {
        self.0[kind as usize]
    }

    /// Every method with its amount, in the vendor's column order.
    pub fn iter(&self) -> impl Iterator<Item = (PaymentMethodKind, Money)> + '_ {
        PaymentMethodKind::ALL.into_iter().zip(self.0)
    }

    /// The methods with a non-zero amount.
    pub fn non_zero(&self) -> impl Iterator<Item = (PaymentMethodKind, Money)> + '_ {
        self.iter().filter(|(_, m)| !m.amount().is_zero())
    }

    /// The sum of all payment columns, exact.
    pub fn total(&self) -> Money {
        self.0.iter().copied().sum()
    }
}

impl std::ops::AddAssign for Payments {
    fn add_assign(&mut self, other: Payments) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }
}

impl std::iter::Sum for Payments {
    fn sum<I: Iterator<Item = Payments>>(iter: I) -> Payments {
        iter.fold(Payments::default(), |mut acc, p| {
            acc += p;
            acc
        })
    }
}

impl<'a> std::iter::Sum<&'a Payments> for Payments {
    fn sum<I: Iterator<Item = &'a Payments>>(iter: I) -> Payments {
        iter.copied().sum()
    }
}

fn non_zero_id(id: Option<u64>) -> Option<u64> {
    id.filter(|&i| i != 0)
}

impl OrderLine {
    /// The line total: quantity (1 when absent) × (product price + subproduct prices).
    ///
    /// The vendor does not say whether `productprice` is per unit; this assumes it is.
    pub fn total(&self) -> Money {
        let unit: Money = self.product_price.unwrap_or_default()
            + self
                .subproducts
                .iter()
                .map(|s| s.price.unwrap_or_default())
                .sum::<Money>();
        unit * self.quantity.unwrap_or(Decimal::ONE)
    }
}

impl Order {
    /// Whether the order is a labour clock-in or clock-out record (non-empty `clockin` or
    /// `clockout` other than `0`), as selected by the `clockinclockout` filter.
    pub fn is_clock_record(&self) -> bool {
        let set = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .is_some_and(|t| !t.is_empty() && t != "0" && !t.starts_with("0000"))
        };
        set(&self.clock_in) || set(&self.clock_out)
    }

    /// The sum of the line totals ([`OrderLine::total`]).
    pub fn lines_total(&self) -> Money {
        self.lines.iter().map(OrderLine::total).sum()
    }
}

impl From<WireOrderLine> for OrderLine {
    fn from(line: WireOrderLine) -> Self {
        #[rustfmt::skip]
        let slots = [
            (1, line.subproduct1_id, line.subproduct1_price, line.subproduct1_tax),
            (2, line.subproduct2_id, line.subproduct2_price, line.subproduct2_tax),
            (3, line.subproduct3_id, line.subproduct3_price, line.subproduct3_tax),
            (4, line.subproduct4_id, line.subproduct4_price, line.subproduct4_tax),
            (5, line.subproduct5_id, line.subproduct5_price, line.subproduct5_tax),
            (6, line.subproduct6_id, line.subproduct6_price, line.subproduct6_tax),
            (7, line.subproduct7_id, line.subproduct7_price, line.subproduct7_tax),
            (8, line.subproduct8_id, line.subproduct8_price, line.subproduct8_tax),
            (9, line.subproduct9_id, line.subproduct9_price, line.subproduct9_tax),
            (10, line.subproduct10_id, line.subproduct10_price, line.subproduct10_tax),
        ];
        let subproducts = slots
            .into_iter()
            .filter_map(|(slot, id, price, tax)| {
                let id = non_zero_id(id);
                let priced = price.is_some_and(|p| !p.amount().is_zero());
                (id.is_some() || priced).then_some(SubproductLine {
                    slot,
                    id,
                    price,
                    tax,
                })
            })
            .collect();
        OrderLine {
            quantity: line.quantity,
            product_id: line.product_id,
            product_price: line.product_price,
            product_tax: line.product_tax,
            subproducts,
        }
    }
}

impl From<WireOrder> for Order {
    fn from(order: WireOrder) -> Self {
        Order {
            id: order.id,
            customer_id: non_zero_id(order.customer_id),
            register_id: order.register_id,
            total_price: order.total_price,
            user_id: order.user_id,
            order_time: order.order_time,
            clock_in: order.clock_in,
            clock_out: order.clock_out,
            // In the order of `PaymentMethodKind::ALL`.
            payments: Payments(
                [
                    order.cash_payment,
                    order.bancontact_payment,
                    order.voucher_payment,
                    order.transfer_payment,
                    order.visa_payment,
                    order.charge_card_payment,
                    order.luncheon_card_payment,
                    order.american_express_payment,
                    order.mastercard_payment,
                ]
                .map(Option::unwrap_or_default),
            ),
            lines: order.details.into_iter().map(OrderLine::from).collect(),
        }
    }
}
