//! The sandbox's seeded data.

use std::collections::{BTreeMap, BTreeSet};

use pos_client_core::chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

/// The sandbox's data: the records of each list function, in wire shape (JSON objects), plus
/// the web orders, signed documents and reservation schedule.
#[derive(Debug, Clone)]
pub struct SandboxData {
    /// Records per list function (`"get-products"` → its records), as the server sends them.
    pub records: BTreeMap<String, Vec<Value>>,
    /// Web orders: id → confirmed time (`None`: not confirmed yet).
    pub weborders: BTreeMap<String, Option<String>>,
    /// Document numbers whose VAT ticket is already taken (answered with 2002). Signing a
    /// number adds it.
    pub documents_in_use: BTreeSet<String>,
    /// Reservation hours and the party size each can still take.
    pub reservation_hours: Vec<(String, u32)>,
    /// Dates without reservations (answered with 2000); Mondays are closed too.
    pub closed_dates: BTreeSet<NaiveDate>,
}

impl SandboxData {
    /// The seeded data, with orders dated `today`.
    pub fn seeded(today: NaiveDate) -> SandboxData {
        let day = |offset: i64| {
            (today + Duration::days(offset))
                .format("%Y-%m-%d")
                .to_string()
        };
        let at = |offset: i64, time: &str| format!("{} {time}", day(offset));
        let mut records = BTreeMap::new();
        let mut put = |f: &str, v: Value| {
            let Value::Array(items) = v else { return };
            records.insert(f.to_owned(), items);
        };
        put(
            "get-categories",
            json!([
                {"id": "1", "name": "Warme dranken"},
                {"id": "2", "name": "Frisdranken"},
                {"id": "3", "name": "Gebak"}
            ]),
        );
        put(
            "get-products",
            json!([
                {"id": "11", "name": "Koffie", "categorylink": "1", "price": "2.80", "quantity": "120", "popup": "1", "menupopup": "0", "openprice": "0", "modtime": "1764000000"},
                {"id": "12", "name": "Thee", "categorylink": "1", "price": "2.60", "quantity": "80", "popup": "0", "menupopup": "0", "openprice": "0", "modtime": 1764000100},
                {"id": 13, "name": "Cola", "categorylink": 2, "price": 3.2, "quantity": 48, "popup": 0, "menupopup": 0, "openprice": 0, "modtime": 1764000200},
                {"id": "14", "name": "Spa rood", "categorylink": "2", "price": "3.00", "quantity": "36.5", "popup": "0", "menupopup": "0", "openprice": "0", "modtime": "1764000300"},
                {"id": "15", "name": "Appeltaart", "categorylink": "3", "price": "4.50", "quantity": "12", "popup": "1", "menupopup": "1", "openprice": "0", "modtime": "1764000400"},
                {"id": "16", "name": "Dagtaart", "categorylink": "3", "price": "0.00", "quantity": "0", "popup": "0", "menupopup": "0", "openprice": "1", "modtime": "1764000500"}
            ]),
        );
        put(
            "get-subproducts",
            json!([
                {"id": "101", "name": "Extra melk", "price": "0.30", "quantity": "500", "productlink": ["11", "12"], "modtime": "1764000000"},
                {"id": "102", "name": "Slagroom", "price": "0.50", "quantity": "40", "productlink": ["11", "15"], "modtime": "1764000000"},
                {"id": "103", "name": "Ijsbolletje", "price": "1.00", "quantity": "25", "productlink": ["15"], "modtime": "1764000000"}
            ]),
        );
        put(
            "get-customers",
            json!([
                {"id": "1", "name": "Peeters", "fistname": "An", "companyname": "", "street_number": "Meir 1", "phone": "03 123 45 67", "zipcode": "2000", "town": "Antwerpen", "vatnumber": "", "email": "an.peeters@example.be", "tagid": "000123", "tagtype": "barcode", "tagfamid": "1", "modtime": "1764000000"},
                {"id": "2", "name": "Janssens", "fistname": "Luc", "companyname": "Janssens BV", "street_number": "Grote Markt 7", "phone": "09 765 43 21", "zipcode": "9000", "town": "Gent", "vatnumber": "BE0123456749", "email": "luc@janssens.example", "tagid": "A1B2C3", "tagtype": "RFID", "tagfamid": "2", "modtime": "1764000100"},
                {"id": "3", "name": "Maes", "fistname": "Els", "companyname": null, "street_number": null, "phone": null, "zipcode": "3000", "town": "Leuven", "vatnumber": null, "email": null, "tagid": null, "tagtype": "", "tagfamid": null, "modtime": "1764000200"}
            ]),
        );
        put(
            "get-users",
            json!([
                {"id": "1", "username": "beheerder", "admin": "1", "secnr": "85.07.30-033.28"},
                {"id": "2", "username": "kassa1", "admin": "0", "secnr": ""}
            ]),
        );
        put(
            "get-tables",
            json!([
                {"id": "1", "table": "1", "status": "0"},
                {"id": "2", "table": "2", "status": "1"},
                {"id": "3", "table": "3", "status": "2"},
                {"id": "4", "table": "Terras 1", "status": 0}
            ]),
        );
        put(
            "get-payment",
            json!([
                {"id": "1", "payment": "Cash"},
                {"id": "2", "payment": "Bancontact"},
                {"id": "3", "payment": "Visa"},
                {"id": "4", "payment": "Maaltijdcheque"},
                {"id": "5", "payment": "Kadobon"}
            ]),
        );
        put(
            "get-printers",
            json!([
                {"id": "1", "printername": "Bar"},
                {"id": "2", "printername": "Keuken"}
            ]),
        );
        put(
            "get-orders",
            json!([
                {"id": "1", "customerid": "0", "kassaid": "1", "totalprice": "5.40", "user": "2", "ordertime": at(-1, "17:45:00"), "clockin": "", "clockout": "",
                 "orderdetail": [
                    {"quantity": "1", "productid": "11", "productprice": "2.80", "producttax": "21"},
                    {"quantity": "1", "productid": "12", "productprice": "2.60", "producttax": "21"}
                 ],
                 "cashpayment": "5.40", "bancontactpayment": "0.00", "voucherpayment": "0.00", "transferpayment": "0.00", "visapayment": "0.00", "chargecardpayment": "0.00", "luncheoncardpayment": "0.00", "americanexpresspayment": "0.00", "mastercardpayment": "0.00"},
                {"id": "2", "customerid": "1", "kassaid": "1", "totalprice": "11.70", "user": "2", "ordertime": at(0, "09:15:00"), "clockin": "", "clockout": "",
                 "orderdetail": [
                    {"quantity": "2", "productid": "11", "productprice": "2.80", "producttax": "21",
                     "subproduct1id": "101", "subproduct1price": "0.30", "subproduct1tax": "21",
                     "subproduct2id": "102", "subproduct2price": "0.50", "subproduct2tax": "21",
                     "subproduct3id": "0", "subproduct3price": "0.00", "subproduct3tax": "0"},
                    {"quantity": "1", "productid": "15", "productprice": "4.50", "producttax": "6"}
                 ],
                 "cashpayment": "0.00", "bancontactpayment": "11.70", "voucherpayment": "0.00", "transferpayment": "0.00", "visapayment": "0.00", "chargecardpayment": "0.00", "luncheoncardpayment": "0.00", "americanexpresspayment": "0.00", "mastercardpayment": "0.00"},
                {"id": "3", "customerid": "2", "kassaid": "2", "totalprice": "16.40", "user": "1", "ordertime": at(0, "12:30:00"), "clockin": "", "clockout": "",
                 "orderdetail": [
                    {"quantity": 2, "productid": 13, "productprice": 3.2, "producttax": 21},
                    {"quantity": 2, "productid": 15, "productprice": 4.5, "producttax": 6,
                     "subproduct1id": 103, "subproduct1price": 1.0, "subproduct1tax": 6}
                 ],
                 "cashpayment": "5.00", "bancontactpayment": "0", "voucherpayment": "5.00", "transferpayment": "", "visapayment": "0", "chargecardpayment": "0", "luncheoncardpayment": "6.40", "americanexpresspayment": "0", "mastercardpayment": "0"},
                {"id": "4", "customerid": "0", "kassaid": "1", "totalprice": "0.00", "user": "2", "ordertime": at(0, "08:00:00"), "clockin": at(0, "08:00:00"), "clockout": "",
                 "orderdetail": [],
                 "cashpayment": "0.00", "bancontactpayment": "0.00", "voucherpayment": "0.00", "transferpayment": "0.00", "visapayment": "0.00", "chargecardpayment": "0.00", "luncheoncardpayment": "0.00", "americanexpresspayment": "0.00", "mastercardpayment": "0.00"},
                {"id": "5", "customerid": "3", "kassaid": "2", "totalprice": "9.00", "user": "1", "ordertime": at(0, "15:05:00"), "clockin": "", "clockout": "",
                 "orderdetail": [
                    {"quantity": "3", "productid": "14", "productprice": "3.00", "producttax": "21"}
                 ],
                 "cashpayment": "0.00", "bancontactpayment": "0.00", "voucherpayment": "0.00", "transferpayment": "0.00", "visapayment": "4.00", "chargecardpayment": "0.00", "luncheoncardpayment": "0.00", "americanexpresspayment": "0.00", "mastercardpayment": "5.00"}
            ]),
        );
        put(
            "get-invoices",
            json!([
                {"id": "1", "customerid": "2", "totalprice": "121.00", "date": day(-3), "expirationdate": day(27), "number": "F2026-001", "doctype": "1", "note": "Catering",
                 "invoicedetail": [{"quantity": "10", "productname": "Broodjes", "productprice": "12.10", "producttax": "21"}], "docfromvatticket": "0"},
                {"id": "2", "customerid": "2", "totalprice": "53.00", "date": day(-1), "expirationdate": day(29), "number": "O2026-001", "doctype": "2", "note": "",
                 "invoicedetail": [{"quantity": "10", "productname": "Appeltaart", "productprice": "5.30", "producttax": "6"}], "docfromvatticket": "0"},
                {"id": "3", "customerid": "1", "totalprice": "-5.40", "date": day(0), "expirationdate": "0000-00-00", "number": "C2026-001", "doctype": "3", "note": "Retour",
                 "invoicedetail": [{"quantity": "-1", "productname": "Koffie", "productprice": "2.80", "producttax": "21"}, {"quantity": "-1", "productname": "Thee", "productprice": "2.60", "producttax": "21"}], "docfromvatticket": "1"}
            ]),
        );
        put(
            "get-giftvoucher",
            json!([
                {"id": "1", "barcode": "2000000000015", "value": "25.00", "validfrom": day(-30), "validuntil": day(335), "modtime": "1764000000"},
                {"id": "2", "barcode": "2000000000022", "value": "50.00", "validfrom": day(-400), "validuntil": day(-35), "modtime": "1764000000"}
            ]),
        );
        put(
            "get-coupon",
            json!([
                {"id": "1", "barcode": "9900001", "value": "5.00", "valuetype": "1", "validfrom": day(-10), "validuntil": day(20), "used": "0"},
                {"id": "2", "barcode": "9900002", "value": "10", "valuetype": "2", "validfrom": day(-10), "validuntil": day(20), "used": "1"},
                {"id": "3", "barcode": "9900003", "value": "15", "valuetype": "2", "validfrom": day(0), "validuntil": day(7), "used": "0"}
            ]),
        );
        put(
            "get-customercredits",
            json!([
                {"id": "1", "customerid": "1", "value": "20.00", "tagid": "000123", "tagtype": "barcode", "productid": "11", "categoryid": "1"},
                {"id": "2", "customerid": "1", "value": "5.50", "tagid": "000123", "tagtype": "barcode", "productid": "15", "categoryid": "3"},
                {"id": "3", "customerid": "2", "value": "50.00", "tagid": "A1B2C3", "tagtype": "rfid", "productid": "0", "categoryid": "0"}
            ]),
        );
        SandboxData {
            records,
            weborders: BTreeMap::from([
                ("W1001".to_owned(), Some(at(0, "18:30:00"))),
                ("W1002".to_owned(), None),
            ]),
            documents_in_use: BTreeSet::from(["F2026-999".to_owned()]),
            reservation_hours: vec![
                ("12:00".to_owned(), 8),
                ("12:30".to_owned(), 4),
                ("13:00".to_owned(), 2),
                ("18:30".to_owned(), 6),
                ("19:00".to_owned(), 8),
                ("20:30".to_owned(), 2),
            ],
            closed_dates: BTreeSet::new(),
        }
    }
}
