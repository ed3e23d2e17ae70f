//! The bodies the benchmarks decode and serve, generated deterministically.

use std::fmt::Write as _;

/// The token the benchmarks' clients send (to a loopback server only).
pub const TOKEN: &str = "bench-token-0001";

/// A `sync-stock` answer with `products` products: a bare JSON array of
/// `{"code": "...", "name": "...", "qty": <number>}`, quantities integral or fractional.
///
/// Quantities are JSON numbers so that a plain struct with `f64` fields can decode the same body.
pub fn stock_body(products: usize) -> Vec<u8> {
    let mut s = String::with_capacity(products * 56 + 2);
    s.push('[');
    for i in 0..products {
        if i > 0 {
            s.push(',');
        }
        let qty = match i % 4 {
            0 => format!("{}", i % 250),
            1 => format!("{}.5", i % 97),
            2 => format!("{}.25", i % 31),
            _ => format!("-{}", i % 7),
        };
        let _ = write!(
            s,
            r#"{{"code":"SKU{i:07}","name":"Product {i} blue","qty":{qty}}}"#
        );
    }
    s.push(']');
    s.into_bytes()
}

/// The small fixed `sync-stock` answer of the request-overhead measurement (10 products).
pub fn small_stock_body() -> Vec<u8> {
    stock_body(10)
}

/// A NOOM `ODOC_GETDOC` success envelope (`what=3`, full document) in the seed's shape, with
/// `rows` rows under `rows.row` (an array, or one object when `rows` is 1) and one payment under
/// `payments.payment` (one object: the one-or-many case).
///
/// Numbers come both ways, as the seed shows: JSON numbers (`quantity`, `vatrate`, `batch_id`)
/// and strings with a decimal comma (`price`, `amount`, `netamount`, `vatamount`).
pub fn noom_getdoc_body(rows: usize) -> Vec<u8> {
    let mut s = String::with_capacity(rows * 620 + 2_000);
    let total_cents: u64 = (0..rows as u64).map(row_amount_cents).sum();
    let total = comma_decimal(total_cents);
    let _ = write!(
        s,
        r#"{{"status":1,"msg":"","time":0.844,"data":{{"amount":"{total}","amounttopay":"{total}","document":{{"documentname":"Test document","company":{{"searchcode":"27864","regno":"10000000","name":"TEST","address":"TEST 7","vatregno":"EE1000000","wwwaddr":"www.test.ee","address1":"Test 7","address2":"","city":"Tallinn","zip":"60000","county":"Harjumaa","country_id":"EST"}},"header":{{"id":"3443324","doctype_id":"LV","status_id":"12","location_id":"TST","datetime":"03.03.2020 15:32:22","documentno":"000002-0TST1","customer_id":1,"object_id":"TESH","currency_id":"EUR","language_id":"ET","docstate_id":"K","unique_id":"0003443324","stockdirection":"O","creationdatetime":"03.03.2020 15:32:22","workplace_id":"TEST","user_id":"APITEST"}},"rows":{{"row":"#
    );
    if rows != 1 {
        s.push('[');
    }
    for i in 0..rows {
        if i > 0 {
            s.push(',');
        }
        let qty = 1 + i % 9;
        let price_cents = 250 + (i as u64 % 400) * 5;
        let amount = comma_decimal(row_amount_cents(i as u64));
        let net = row_amount_cents(i as u64) * 100 / 120;
        let vat = row_amount_cents(i as u64) - net;
        let _ = write!(
            s,
            r#"{{"id":"{id}","batch_id":{batch},"product_id":{product},"rowno":{rowno},"quantity":{qty},"price":"{price}","amount":"{amount}","price1":6.5,"measurunit_id":"TK","searchcode":"60{i:05}","text":"Test product {i} (Tst)","vat_id":"20","group_id":"Test","netprice":"{netprice}","pricefixed":"+","unique_id":"{unique:010}","service":"-","barcode":"6010{i:06}","netamount":"{netamount}","vatrate":20,"vatamount":"{vatamount}","supplier_id":"40","transactiontime":"03.03.2020 16:31:57"}}"#,
            id = 22_359_320 + i,
            batch = 34_463 + i,
            product = 15_848 + i % 1_000,
            rowno = i + 1,
            price = comma_decimal(price_cents),
            netprice = comma_decimal(price_cents * 100 / 120),
            unique = 22_359_320 + i,
            netamount = comma_decimal(net),
            vatamount = comma_decimal(vat),
        );
    }
    if rows != 1 {
        s.push(']');
    }
    let _ = write!(
        s,
        r#"}},"payments":{{"payment":{{"paymentdatetime":"03.03.2020","paymenttype":"P","paymenttypename":"Payment","paymentmode":"B","paymentmodename":"Bank Card","paymentmodeex":"","amount":"{total}","amountincurrency":"{total}","currency_id":"EUR","text":"","creationdatetime":"03.03.2020 16:48:38","unique_id":"0002164897","location_id":"TST","workplace_id":"Test","user_id":"APITEST"}}}}}}}}}}"#
    );
    s.into_bytes()
}

fn row_amount_cents(i: u64) -> u64 {
    (1 + i % 9) * (250 + (i % 400) * 5)
}

/// `1234` cents as `"12,34"`.
fn comma_decimal(cents: u64) -> String {
    format!("{},{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_valid_json_of_the_right_size() {
        let stock: serde_json::Value = serde_json::from_slice(&stock_body(1_000)).unwrap();
        assert_eq!(stock.as_array().unwrap().len(), 1_000);
        assert_eq!(stock[1]["qty"], serde_json::json!(1.5));
        let per_product = stock_body(10_000).len() / 10_000;
        assert!((45..=60).contains(&per_product), "{per_product}");

        let doc: serde_json::Value = serde_json::from_slice(&noom_getdoc_body(3)).unwrap();
        let rows = &doc["data"]["document"]["rows"]["row"];
        assert_eq!(rows.as_array().unwrap().len(), 3);
        assert_eq!(rows[1]["price"], "2,55");
        assert_eq!(rows[1]["amount"], "5,10");
        assert!(doc["data"]["document"]["payments"]["payment"].is_object());
        let one: serde_json::Value = serde_json::from_slice(&noom_getdoc_body(1)).unwrap();
        assert!(one["data"]["document"]["rows"]["row"].is_object());
    }
}
