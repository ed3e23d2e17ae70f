//! Request parameters: the documented limits checked by each request's `validate()` (nothing is
//! sent when one fails), `ODOC_SETDATA`'s `objname` and compact `objdata` JSON, and the wire
//! text of a payment time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use noom_client::models::RowData;
use noom_client::requests::{BarcodeSale, Event, ItemSale, Payment, PaymentTime, SetData};
use noom_client::{Money, NoomCode};
use pos_client_core::chrono::NaiveDate;

#[test]
fn limits_are_checked() {
    fn ok(r: Result<(), pos_client_core::Error<NoomCode>>) -> bool {
        r.is_ok()
    }
    let check = |s: &ItemSale| ok(s.validate());
    assert!(!check(&ItemSale::new().search_code("")));
    assert!(!check(&ItemSale::new()));
    assert!(!check(&ItemSale::new().batch_id(1).search_code("A")));
    assert!(!check(&ItemSale::new().batch_id(1).row_no(0)));
    assert!(!check(&ItemSale::new().batch_id(1).row_no(10_000)));
    assert!(check(&ItemSale::new().batch_id(1).row_no(9999)));
    let barcode = |s: BarcodeSale| ok(s.validate());
    assert!(!barcode(BarcodeSale::new("12345678901234567", 1)));
    assert!(!barcode(BarcodeSale::new("6010 0000", 1)));
    assert!(barcode(BarcodeSale::new("60100000", 2)));
    let payment = |p: Payment| ok(p.validate());
    let amount: Money = "10.005".parse().unwrap();
    assert!(!payment(Payment::new("B", amount)));
    let amount: Money = "10.50".parse().unwrap();
    assert!(payment(Payment::new("B", amount)));
    assert!(!payment(Payment::new("BB", amount)));
    assert!(!payment(Payment::new("B", amount).currency("EURO")));
    let event = |e: Event| ok(e.validate());
    assert!(!event(Event::new("")));
    assert!(!event(Event::new("TEST").comment("x".repeat(101))));
    assert!(event(Event::new("TEST").source_type("API").source_id("1")));
    assert!(SetData::Row(default_row()).validate().is_err());
    let raw = SetData::Raw {
        objname: "footer".into(),
        objdata: serde_json::json!({}),
    };
    assert!(raw.validate().is_err());
}

#[test]
fn a_barcode_sale_quantity_fits_an_sql_integer() {
    // ODOC_BARCODESALE's table: "quantity INTEGER No"; a u32 above i32::MAX overflows it.
    let sale = |q: u32| -> Result<(), pos_client_core::Error<NoomCode>> {
        BarcodeSale::new("60100000", 1).quantity(q).validate()
    };
    assert!(sale(2_147_483_647).is_ok());
    let err = sale(2_147_483_648).unwrap_err();
    assert!(err.to_string().contains("quantity"), "{err}");
    assert!(sale(u32::MAX).is_err());
}

/// A row with no attribute (no `rowno` either).
fn default_row() -> RowData {
    RowData {
        row_no: None,
        batch_id: None,
        product_id: None,
        object_id: None,
        quantity: None,
        price: None,
    }
}

#[test]
fn objdata_is_compact_json_with_exact_numbers() {
    let row = RowData {
        row_no: Some(2),
        batch_id: None,
        product_id: None,
        object_id: Some("PSTM".into()),
        quantity: Some("3.345".parse().unwrap()),
        price: Some("8.670".parse().unwrap()),
    };
    let s = SetData::Row(row);
    assert_eq!(s.objname(), "row");
    assert_eq!(
        s.objdata().unwrap(),
        r#"{"rowno":2,"object_id":"PSTM","quantity":3.345,"price":8.670}"#
    );
    let t = PaymentTime::DateTime(
        NaiveDate::from_ymd_opt(2018, 6, 25)
            .unwrap()
            .and_hms_opt(10, 33, 59)
            .unwrap(),
    );
    assert_eq!(t.to_wire(), "25.06.2018 10:33:59");
    assert_eq!(
        PaymentTime::Date(NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()).to_wire(),
        "01.01.2020"
    );
}
