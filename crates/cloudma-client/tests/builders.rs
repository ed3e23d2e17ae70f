//! The request builders: exact item and grand totals, and the rules `validate()` checks before
//! anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudma_client::models::{Purchase, PurchaseItem, Sale, SaleItem};
use cloudma_client::{Decimal, Error, Money};
use rust_decimal_macros::dec;

fn m(d: Decimal) -> Money {
    Money::new(d)
}
#[test]
fn builders_compute_exact_totals() {
    let sale = Sale::builder("S-1")
        .add("A", 3, m(dec!(0.10)))
        .item(SaleItem::new("B", 2, m(dec!(12.50))).with_discount(m(dec!(1.25))))
        .item(SaleItem::new("C", 1, m(dec!(9.99))).with_total(m(dec!(10.49))))
        .shipping_cost(m(dec!(4.95)))
        .build()
        .unwrap();
    assert_eq!(sale.items[0].total, m(dec!(0.30)));
    assert_eq!(sale.items[1].total, m(dec!(23.75)));
    assert_eq!(sale.grand_total, m(dec!(34.54)));
    assert_eq!(sale.grand_total.to_string(), "34.54");

    let purchase = Purchase::builder("P-1")
        .add("A", 7, m(dec!(1.10)))
        .item(PurchaseItem::new("B", 1, m(dec!(2))).with_discount(m(dec!(0.5))))
        .build()
        .unwrap();
    assert_eq!(purchase.grand_total.to_string(), "9.20");
}

#[test]
fn rules_are_checked() {
    let msg = |e: Error| e.to_string();
    assert!(
        msg(Sale::builder("  ")
            .add("A", 1, Money::ZERO)
            .build()
            .unwrap_err())
        .contains("reference_no: must not be empty")
    );
    assert!(msg(Sale::builder("S").build().unwrap_err()).contains("at least one item"));
    assert!(
        msg(Sale::builder("S")
            .add("A", 0, Money::ZERO)
            .build()
            .unwrap_err())
        .contains("items[0][qty]: must be greater than 0")
    );
    assert!(
        msg(Sale::builder("S")
            .add("", 1, Money::ZERO)
            .build()
            .unwrap_err())
        .contains("items[0][code]: must not be empty")
    );
    assert!(
        msg(Purchase::builder("")
            .add("A", 1, Money::ZERO)
            .build()
            .unwrap_err())
        .contains("reference_no")
    );
    // Control characters (a CR/LF smuggled into a form value) are refused too.
    assert!(
        msg(Sale::builder("S-1\r\nX")
            .add("A", 1, Money::ZERO)
            .build()
            .unwrap_err())
        .contains("reference_no")
    );
    assert!(
        Sale::builder("S")
            .add("A\u{0}", 1, Money::ZERO)
            .build()
            .unwrap_err()
            .is_validation()
    );

    let mut sale = Sale::builder("S-2")
        .add("A", 2, m(dec!(1.05)))
        .build()
        .unwrap();
    sale.grand_total = m(dec!(2.1)); // same value, other scale: fine
    sale.validate().unwrap();
    sale.grand_total = m(dec!(2.11));
    let e = sale.validate().unwrap_err();
    assert!(e.is_validation());
    assert_eq!(
        e.to_string(),
        "invalid request: sale S-2: grand_total 2.11 does not match the sum of the item totals 2.10"
    );

    let mut purchase = Purchase::builder("P")
        .add("A", 1, m(dec!(3)))
        .build()
        .unwrap();
    purchase.grand_total = m(dec!(2.99));
    assert!(purchase.validate().unwrap_err().is_validation());
}
