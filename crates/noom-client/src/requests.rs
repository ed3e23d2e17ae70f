//! Parameters of the acts on a document. The flat ones are generated from the spec notes
//! (`[[params]]` in `docs/specs/noom.toml`) with their documented limits, checked by
//! `validate()` before anything is sent; this module adds the shapes that are not a flat list of
//! parameters: the relation of a new document, a payment time, and `ODOC_SETDATA`'s JSON.

use pos_client_core::chrono::{Datelike, NaiveDate, NaiveDateTime};
use pos_client_core::encoding::{DOTTED_DATE, DOTTED_DATE_TIME};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::validate;

use crate::error::Error;
use crate::ids::{Dhid, DocUid, check_numeric10};
use crate::models::{DocumentPatch, HeaderData, RowData};

pub use crate::models::{BarcodeSale, Event, ItemSale, Payment, QuantityChange, RowRef};

/// The document a new document is related to (`ODOC_NEW`'s `related.dhid` / `realated.docuid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Related {
    /// By document id (`related.dhid`).
    Dhid(Dhid),
    /// By document unique id, sent as `realated.docuid` (sic: the spelling of `ODOC_NEW`'s table).
    DocUid(DocUid),
}

/// When a payment was made (`paymentdatetime`); NOOM uses the current time when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentTime {
    /// A date, sent as `dd.mm.yyyy` (as in the vendor's example `01.01.2020`).
    Date(NaiveDate),
    /// A date and time, sent as `dd.mm.yyyy HH:MM:SS`.
    DateTime(NaiveDateTime),
}

/// The years the documented `dd.mm.yyyy` form can carry: four digits, no sign.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

/// A date's year fits `dd.mm.yyyy` (years 1 to 9999); else a validation error naming `wire`.
pub(crate) fn check_year(wire: &str, date: NaiveDate) -> Result<(), Error> {
    if YEARS.contains(&date.year()) {
        Ok(())
    } else {
        Err(Error::validation(format!(
            "{wire}: the year must be between 1 and 9999 (got {})",
            date.year()
        )))
    }
}

/// Free text that may hold line breaks (comments, notes): no control character other than CR,
/// LF and tab (a NUL or an escape sequence would be stored as is).
pub(crate) fn check_multiline(wire: &str, value: &str) -> Result<(), Error> {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\r' | '\n' | '\t'))
    {
        return Err(Error::validation(format!(
            "{wire}: contains a control character other than a line break or tab"
        )));
    }
    Ok(())
}

/// One line of text of at most `max` characters (a CHAR/VARCHAR attribute of `objdata`).
fn check_line(wire: &str, value: &str, max: usize) -> Result<(), Error> {
    validate::max_chars(wire, value, max)?;
    validate::text(wire, value)
}

/// A `NUMERIC(p,s)` decimal of `objdata`: at most `scale` decimals and `p - s` integer digits.
fn check_numeric(wire: &str, value: Decimal, precision: u32, scale: u32) -> Result<(), Error> {
    validate::max_scale(wire, value, scale)?;
    let limit = Decimal::from_i128_with_scale(10i128.pow(precision) - 1, scale);
    validate::at_most(wire, &value.abs(), &limit)
}

impl PaymentTime {
    /// Checks that the year fits the documented `dd.mm.yyyy` form (1 to 9999).
    pub fn validate(self) -> Result<(), Error> {
        let date = match self {
            PaymentTime::Date(d) => d,
            PaymentTime::DateTime(t) => t.date(),
        };
        check_year("paymentdatetime", date)
    }

    /// The wire text.
    pub fn to_wire(self) -> String {
        match self {
            PaymentTime::Date(d) => d.format(DOTTED_DATE).to_string(),
            PaymentTime::DateTime(t) => t.format(DOTTED_DATE_TIME).to_string(),
        }
    }
}

impl Payment {
    /// Sets when the payment was made (`paymentdatetime`): a date or a date and time.
    pub fn at(self, time: PaymentTime) -> Self {
        self.payment_time(time.to_wire())
    }

    /// The generated rules ([`Payment::validate`]) and the form of `paymentdatetime`: a date
    /// `dd.mm.yyyy` or a date and time `dd.mm.yyyy HH:MM:SS` (the vendor's example sends
    /// `01.01.2020`), with a year from 1 to 9999.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.validate()?;
        if let Some(text) = &self.payment_time {
            let time = NaiveDateTime::parse_from_str(text, DOTTED_DATE_TIME)
                .map(PaymentTime::DateTime)
                .or_else(|_| NaiveDate::parse_from_str(text, DOTTED_DATE).map(PaymentTime::Date))
                .map_err(|_| {
                    Error::validation("paymentdatetime: must be dd.mm.yyyy or dd.mm.yyyy HH:MM:SS")
                })?;
            time.validate()?;
        }
        Ok(())
    }
}

impl Event {
    /// The generated rules ([`Event::validate`]), and no control characters other than line
    /// breaks and tabs in `de_comment` and `de_data` (which may hold line breaks).
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.validate()?;
        if let Some(comment) = &self.comment {
            check_multiline("de_comment", comment)?;
        }
        if let Some(data) = &self.data {
            check_multiline("de_data", data)?;
        }
        Ok(())
    }
}

impl Related {
    /// A dhid fits NUMERIC(10) (at most 10 digits).
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            Related::Dhid(d) => check_numeric10("related.dhid", d.get()),
            Related::DocUid(_) => Ok(()),
        }
    }
}

/// The documented limits of `ODOC_SETDATA`'s header attributes.
fn check_header(h: &HeaderData) -> Result<(), Error> {
    if let Some(t) = h.datetime {
        check_year("datetime", t.date())?;
    }
    if let Some(v) = &h.document_no {
        check_line("documentno", v, 20)?;
    }
    if let Some(v) = &h.location_id {
        check_line("location_id", v, 10)?;
    }
    if let Some(v) = &h.object_id {
        check_line("object_id", v, 6)?;
    }
    if let Some(v) = h.customer_id {
        check_numeric10("customer_id", v)?;
    }
    if let Some(v) = h.customer_location_id {
        check_numeric10("customerlocation_id", v)?;
    }
    for (wire, text) in [("text", &h.text), ("text2", &h.text2)] {
        if let Some(v) = text {
            validate::max_chars(wire, v, 250)?;
            check_multiline(wire, v)?;
        }
    }
    Ok(())
}

/// The documented limits of `ODOC_SETDATA`'s row attributes.
fn check_row(r: &RowData) -> Result<(), Error> {
    if let Some(n) = r.row_no {
        validate::at_least("rowno", &n, &1)?;
        validate::at_most("rowno", &n, &9999)?;
    }
    if let Some(v) = r.batch_id {
        check_numeric10("bach_id", v)?;
    }
    if let Some(v) = r.product_id {
        check_numeric10("product_id", v)?;
    }
    if let Some(v) = &r.object_id {
        check_line("object_id", v, 6)?;
    }
    if let Some(q) = r.quantity {
        check_numeric("quantity", q, 15, 5)?;
    }
    if let Some(p) = r.price {
        check_numeric("price", p.amount(), 15, 4)?;
    }
    Ok(())
}

/// What `ODOC_SETDATA` sets (`objname` and `objdata`).
#[derive(Debug, Clone, PartialEq)]
pub enum SetData {
    /// `objname=document`: header and rows in one JSON document.
    Document(DocumentPatch),
    /// `objname=header`: header attributes.
    Header(HeaderData),
    /// `objname=rows`: an array of rows.
    Rows(Vec<RowData>),
    /// `objname=row`: one row, identified by its `rowno`.
    Row(RowData),
    /// Any `objname` with raw JSON, for attributes the typed models do not list.
    Raw {
        /// `document`, `header`, `rows` or `row`.
        objname: String,
        /// The JSON sent as `objdata`.
        objdata: serde_json::Value,
    },
}

impl SetData {
    /// The `objname` parameter.
    pub fn objname(&self) -> &str {
        match self {
            SetData::Document(_) => "document",
            SetData::Header(_) => "header",
            SetData::Rows(_) => "rows",
            SetData::Row(_) => "row",
            SetData::Raw { objname, .. } => objname,
        }
    }

    /// The `objdata` parameter: compact JSON.
    pub fn objdata(&self) -> Result<String, Error> {
        let json = match self {
            SetData::Document(d) => serde_json::to_string(d),
            SetData::Header(h) => serde_json::to_string(h),
            SetData::Rows(r) => serde_json::to_string(r),
            SetData::Row(r) => serde_json::to_string(r),
            SetData::Raw { objdata, .. } => serde_json::to_string(objdata),
        };
        json.map_err(|e| Error::validation(format!("cannot encode objdata: {e}")))
    }

    /// Checks that the `objname` is a documented one, that a single row names its `rowno`, and
    /// the limits of the attribute tables: `datetime` with a year from 1 to 9999; `documentno`
    /// CHAR(20), `location_id` CHAR(10), `object_id` CHAR(6) as one line of text; `text` and
    /// `text2` up to 250 characters (line breaks allowed, no other control characters);
    /// `customer_id`, `customerlocation_id`, `bach_id`, `product_id` NUMERIC(10); `rowno` 1 to
    /// 9999; `quantity` NUMERIC(15,5) and `price` NUMERIC(15,4) (digits and decimals; the
    /// document gives no sign rule). Raw JSON is sent as given.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            SetData::Row(r) if r.row_no.is_none() => Err(Error::validation(
                "objname=row needs a rowno to identify the row",
            )),
            SetData::Row(r) => check_row(r),
            SetData::Rows(rows) => rows.iter().try_for_each(check_row),
            SetData::Header(h) => check_header(h),
            SetData::Document(d) => {
                if let Some(h) = &d.header {
                    check_header(h)?;
                }
                d.rows.iter().try_for_each(check_row)
            }
            SetData::Raw { objname, .. }
                if !matches!(objname.as_str(), "document" | "header" | "rows" | "row") =>
            {
                Err(Error::validation(format!(
                    "objname must be document, header, rows or row, got {objname:?}"
                )))
            }
            SetData::Raw { .. } => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NoomCode;
    use pos_client_core::Money;

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
        assert!(SetData::Row(RowData::default_row()).validate().is_err());
        let raw = SetData::Raw {
            objname: "footer".into(),
            objdata: serde_json::json!({}),
        };
        assert!(raw.validate().is_err());
    }

    impl RowData {
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
}
