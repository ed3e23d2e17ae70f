//! The JSON the sandbox answers with: `ODOC_GETDOC`'s document in the shape of the vendor's
//! example (one object for one row or payment, an array for several; decimal-comma amounts).

use pos_client_core::encoding::DOTTED_DATE_TIME;
use pos_client_core::rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::state::{Body, Pay, Row};
use super::tables::mode_name;

pub(super) fn round2(d: Decimal) -> Decimal {
    d.round_dp(2)
}

/// A JSON number with the decimal's text (exact for the sandbox's magnitudes).
pub(super) fn num(d: Decimal) -> Value {
    serde_json::from_str(&d.normalize().to_string()).unwrap_or(Value::Null)
}

/// `15,00`: the decimal-comma text NOOM uses for payment amounts.
pub(super) fn comma2(d: Decimal) -> String {
    format!("{:.2}", round2(d)).replace('.', ",")
}

pub(super) fn one_or_many(mut items: Vec<Value>) -> Option<Value> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(Value::Array(items)),
    }
}

impl Row {
    pub(super) fn to_json(&self, rowno: usize, minimal: bool) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), json!(self.id.to_string()));
        m.insert("rowno".into(), json!(rowno));
        if let Some(b) = self.batch_id {
            m.insert("batch_id".into(), json!(b));
        }
        if let Some(p) = self.product_id {
            m.insert("product_id".into(), json!(p));
        }
        m.insert("quantity".into(), num(self.quantity));
        m.insert("price".into(), num(self.price));
        m.insert("amount".into(), num(self.amount()));
        if minimal {
            return Value::Object(m);
        }
        let divisor = Decimal::ONE + self.vat_rate / Decimal::from(100);
        let netprice = (self.price / divisor).round_dp(4);
        let netamount = round2(self.amount() / divisor);
        m.insert("price1".into(), num(self.price));
        m.insert("priceclassprice".into(), num(self.price));
        m.insert("measurunit_id".into(), json!("TK"));
        if let Some(s) = &self.searchcode {
            m.insert("searchcode".into(), json!(s));
        }
        if let Some(t) = &self.text {
            m.insert("batchname".into(), json!(t));
            m.insert("text".into(), json!(t));
        }
        m.insert("group_id".into(), json!("SANDBOX"));
        m.insert(
            "vat_id".into(),
            json!(self.vat_rate.normalize().to_string()),
        );
        m.insert("netprice".into(), num(netprice));
        m.insert(
            "pricefixed".into(),
            json!(if self.price_fixed { "+" } else { "-" }),
        );
        m.insert("unique_id".into(), json!(format!("{:010}", self.id)));
        m.insert("service".into(), json!("-"));
        if let Some(b) = &self.barcode {
            m.insert("barcode".into(), json!(b));
        }
        m.insert("netamount".into(), num(netamount));
        m.insert("vatrate".into(), num(self.vat_rate));
        m.insert("vatamount".into(), num(self.amount() - netamount));
        // The example's other row fields, which the sandbox has no data for.
        m.insert("producerprodcode".into(), json!(""));
        m.insert("supplier_id".into(), json!(""));
        m.insert("recipe_id".into(), json!("0"));
        if let Some(o) = &self.object_id {
            m.insert("object_id".into(), json!(o));
        }
        m.insert(
            "transactiontime".into(),
            json!(self.time.format(DOTTED_DATE_TIME).to_string()),
        );
        Value::Object(m)
    }
}

impl Pay {
    pub(super) fn to_json(&self, user: &str) -> Value {
        json!({
            "paymentdatetime": self.datetime,
            "paymenttype": self.kind,
            "paymenttypename": if self.kind == "P" { "Payment" } else { "" },
            "paymentmode": self.mode,
            "paymentmodename": mode_name(&self.mode),
            "paymentmodeex": self.modeex,
            "amount": comma2(self.amount),
            "amountincurrency": comma2(self.amount),
            "currency_id": self.currency,
            "text": self.additional_id,
            "creationdatetime": self.created.format(DOTTED_DATE_TIME).to_string(),
            "unique_id": format!("{:010}", self.id),
            "location_id": "TST",
            "workplace_id": "API",
            "user_id": user,
        })
    }
}

impl Body {
    /// The `data` of `ODOC_GETDOC` in the shape of the vendor's example.
    pub(super) fn to_json(&self, uid: &str, dhid: Option<u64>, user: &str, what: &str) -> Value {
        let minimal = what == "2";
        let rows = one_or_many(
            self.rows
                .iter()
                .enumerate()
                .map(|(i, r)| r.to_json(i + 1, minimal))
                .collect(),
        );
        let mut document = Map::new();
        if what == "1" || what == "2" {
            if let Some(rows) = rows {
                document.insert("rows".into(), json!({ "row": rows }));
            }
        } else {
            document.insert("documentname".into(), json!("Sandbox document"));
            document.insert(
                "company".into(),
                json!({
                    "searchcode": "27864", "regno": "10000000", "name": "NOOM SANDBOX",
                    "address": "TEST 7", "vatregno": "EE1000000", "wwwaddr": "www.test.ee",
                    "address1": "Test 7", "address2": "", "city": "Tallinn", "zip": "60000",
                    "county": "Harjumaa", "country_id": "EST"
                }),
            );
            let datetime = self
                .header
                .get("datetime")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .unwrap_or_else(|| self.created.format(DOTTED_DATE_TIME).to_string());
            let mut header = json!({
                "id": dhid.map(|d| d.to_string()).unwrap_or_default(),
                "doctype_id": self.doctype,
                "status_id": self.docst,
                "location_id": "TST",
                "datetime": datetime,
                "documentno": self.documentno.clone().unwrap_or_default(),
                "location": {
                    "searchcode": "TST", "name": "Test äri", "address": "TEST", "address1": "Test",
                    "city": "Tallinn", "zip": "60000", "county": "Harjumaa", "country_id": "EST"
                },
                "locationcontact": {
                    "name": "Astro Test 2", "phone": "55667788", "email": "test@noom.ee",
                    "searchcode": "34694"
                },
                "object_id": "TESH",
                "currency_id": "EUR",
                "language_id": "ET",
                "docstate_id": self.docstate,
                "unique_id": uid,
                "stockdirection": "O",
                "stockentrytype": "O",
                "creationdatetime": self.created.format(DOTTED_DATE_TIME).to_string(),
                "cardprocesstype": "0",
                "ledgeroperation": "",
                "sent": "",
                "workplace_id": "API",
                "user_id": user,
                "pos_id": "",
                "table_id": "",
                "disableledgerop": "",
                "remotedocheader_id": "",
                "opentable": "",
                "shift_id": "",
                "disablestockop": "",
                "disableledgerop2": "",
                "person_id": "",
            });
            if let Value::Object(h) = &mut header {
                for (k, v) in &self.header {
                    h.insert(k.clone(), v.clone());
                }
                if h.contains_key("customer_id") {
                    h.insert(
                        "customer".into(),
                        json!({
                            "searchcode": "ASTRO", "regno": "10386779", "name": "Astro Baltics OÜ",
                            "address": "Raatuse tn 20, Tartu linn Tartu linn 51009 EST",
                            "vatregno": "EE100042395", "wwwaddr": "www.noom.ee",
                            "address1": "Raatuse tn 20, Tartu linn", "city": "Tartu linn",
                            "zip": "51009", "county": "Tartu maakond", "country_id": "EST"
                        }),
                    );
                }
            }
            document.insert("header".into(), header);
            if let Some(rows) = rows {
                document.insert("rows".into(), json!({ "row": rows }));
            }
            let payments = one_or_many(self.payments.iter().map(|p| p.to_json(user)).collect());
            if let Some(payments) = payments {
                document.insert("payments".into(), json!({ "payment": payments }));
            }
        }
        json!({
            "amount": num(round2(self.amount())),
            "amounttopay": num(round2(self.amount() - self.paid())),
            "document": document,
        })
    }
}
