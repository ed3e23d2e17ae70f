//! Parameters of the acts on an open document, as builders that check the documented limits
//! before anything is sent.

use pos_client_core::Money;
use pos_client_core::chrono::{NaiveDate, NaiveDateTime};
use pos_client_core::encoding::{DOTTED_DATE, DOTTED_DATE_TIME};
use pos_client_core::rust_decimal::Decimal;

use crate::error::Error;
use crate::ids::{Dhid, DocUid};
use crate::models::{DocumentPatch, HeaderData, RowData};

/// The largest row number (`rowno` is NUMERIC(4)).
pub const MAX_ROWNO: u32 = 9999;

pub(crate) fn check_rowno(rowno: u32) -> Result<(), Error> {
    if rowno == 0 || rowno > MAX_ROWNO {
        return Err(Error::validation(format!(
            "rowno must be between 1 and {MAX_ROWNO}, got {rowno}"
        )));
    }
    Ok(())
}

pub(crate) fn check_text(what: &str, text: &str, max: usize, required: bool) -> Result<(), Error> {
    if required && text.trim().is_empty() {
        return Err(Error::validation(format!("{what} is empty")));
    }
    if text.chars().count() > max {
        return Err(Error::validation(format!(
            "{what} is longer than {max} characters"
        )));
    }
    Ok(())
}
/// The document a new document is related to (`ODOC_NEW`'s `related.dhid` / `realated.docuid`).
/// The document a new document is related to (`ODOC_NEW`'s `related.dhid` / `related.docuid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Related {
    /// By document id (`related.dhid`).
    Dhid(Dhid),
    /// By document unique id, sent as `realated.docuid` (sic: the spelling of `ODOC_NEW`'s table).
    DocUid(DocUid),
}

/// Which product an `ODOC_ITEMSALE` sells: one of the two is required.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// By batch id (`batch_id`, NUMERIC(10)).
    Batch(u64),
    /// By product search code (`searchcode`, CHAR(20)).
    SearchCode(String),
}

/// The parameters of `ODOC_ITEMSALE`: add an item sale row.
///
/// ```
/// use noom_client::requests::ItemSale;
/// let sale = ItemSale::search_code("GA0004")
///     .quantity("2".parse().unwrap())
///     .price("11.5".parse().unwrap())
///     .rowno(1);
/// # let _ = sale;
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct ItemSale {
    /// The product.
    pub item: Item,
    /// Quantity (`quantity`, NUMERIC(15,5)); NOOM uses 1 when absent.
    pub quantity: Option<Decimal>,
    /// Unit price (`price`, NUMERIC(15,4)); NOOM uses the product's price when absent.
    pub price: Option<Money>,
    /// Row number (`rowno`); NOOM uses the next free row when absent.
    pub rowno: Option<u32>,
}

impl ItemSale {
    /// Sells the product batch `batch_id`.
    pub fn batch(batch_id: u64) -> Self {
        ItemSale {
            item: Item::Batch(batch_id),
            quantity: None,
            price: None,
            rowno: None,
        }
    }

    /// Sells the product with search code `code`.
    pub fn search_code(code: impl Into<String>) -> Self {
        ItemSale {
            item: Item::SearchCode(code.into()),
            quantity: None,
            price: None,
            rowno: None,
        }
    }

    /// Sets the quantity.
    pub fn quantity(mut self, quantity: Decimal) -> Self {
        self.quantity = Some(quantity);
        self
    }

    /// Sets the unit price.
    pub fn price(mut self, price: Money) -> Self {
        self.price = Some(price);
        self
    }

    /// Sets the row number.
    pub fn rowno(mut self, rowno: u32) -> Self {
        self.rowno = Some(rowno);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        if let Item::SearchCode(code) = &self.item {
            check_text("searchcode", code, 20, true)?;
        }
        if let Some(r) = self.rowno {
            check_rowno(r)?;
        }
        Ok(())
    }
}

/// The parameters of `ODOC_BARCODESALE`: add (or replace) a row by barcode.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct BarcodeSale {
    /// The item's barcode (`barcode`, CHAR(16)).
    pub barcode: String,
    /// `true` inserts a row (`doinsert=1`), `false` modifies the row at `rowno` (`doinsert=0`).
    pub insert: bool,
    /// The row where the item goes (`rowno`, required).
    pub rowno: u32,
    /// Quantity (`quantity`, INTEGER); NOOM uses 1 when absent.
    pub quantity: Option<u32>,
}

impl BarcodeSale {
    /// Inserts a row for `barcode` at `rowno` (`doinsert=1`).
    pub fn insert(barcode: impl Into<String>, rowno: u32) -> Self {
        BarcodeSale {
            barcode: barcode.into(),
            insert: true,
            rowno,
            quantity: None,
        }
    }

    /// Replaces the item of row `rowno` with `barcode` (`doinsert=0`).
    pub fn modify(barcode: impl Into<String>, rowno: u32) -> Self {
        BarcodeSale {
            insert: false,
            ..BarcodeSale::insert(barcode, rowno)
        }
    }

    /// Sets the quantity.
    pub fn quantity(mut self, quantity: u32) -> Self {
        self.quantity = Some(quantity);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("barcode", &self.barcode, 16, true)?;
        if self.barcode.chars().any(char::is_whitespace) {
            return Err(Error::validation("barcode contains whitespace"));
        }
        check_rowno(self.rowno)
    }
}

/// When a payment was made (`paymentdatetime`); NOOM uses the current time when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentTime {
    /// A date, sent as `dd.mm.yyyy` (as in the vendor's example `01.01.2020`).
    Date(NaiveDate),
    /// A date and time, sent as `dd.mm.yyyy HH:MM:SS`.
    DateTime(NaiveDateTime),
}

impl PaymentTime {
    /// The wire text.
    pub fn to_wire(self) -> String {
        match self {
            PaymentTime::Date(d) => d.format(DOTTED_DATE).to_string(),
            PaymentTime::DateTime(t) => t.format(DOTTED_DATE_TIME).to_string(),
        }
    }
}

/// The parameters of `ODOC_SETPAYMENT`: add a payment.
///
/// ```
/// use noom_client::requests::Payment;
/// let payment = Payment::new("B", "10".parse().unwrap()).currency("EUR");
/// assert_eq!(payment.paymenttype, "P");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Payment {
    /// Payment mode (`paymentmode`, CHAR(1)): an `id` offered by `ODOC_GETPAYMODES`.
    pub paymentmode: String,
    /// Payment type (`paymenttype`, CHAR(1)); [`Payment::new`] sets `P` ("Payment", as in the
    /// vendor's `ODOC_GETDOC` example).
    pub paymenttype: String,
    /// Payment mode extension (`paymentmodeex`, CHAR(3)).
    pub paymentmodeex: Option<String>,
    /// Currency (`currency_id`, CHAR(3)).
    pub currency_id: Option<String>,
    /// Extra information such as a receipt number (`additional_id`, CHAR(20)).
    pub additional_id: Option<String>,
    /// Amount (`amount`, Numeric(11,2)): at most two decimals.
    pub amount: Money,
    /// `replaceamount` (`1`/`0`), shown in the vendor's example request.
    pub replace_amount: Option<bool>,
    /// `needsreversal` (`+`/`-`), shown in the vendor's example request.
    pub needs_reversal: Option<bool>,
    /// When the payment was made (`paymentdatetime`).
    pub paymentdatetime: Option<PaymentTime>,
}

impl Payment {
    /// A payment of `amount` in `paymentmode`, payment type `P`.
    pub fn new(paymentmode: impl Into<String>, amount: Money) -> Self {
        Payment {
            paymentmode: paymentmode.into(),
            paymenttype: "P".to_owned(),
            paymentmodeex: None,
            currency_id: None,
            additional_id: None,
            amount,
            replace_amount: None,
            needs_reversal: None,
            paymentdatetime: None,
        }
    }

    /// Sets the payment type.
    pub fn payment_type(mut self, paymenttype: impl Into<String>) -> Self {
        self.paymenttype = paymenttype.into();
        self
    }

    /// Sets the payment mode extension.
    pub fn mode_ex(mut self, ex: impl Into<String>) -> Self {
        self.paymentmodeex = Some(ex.into());
        self
    }

    /// Sets the currency.
    pub fn currency(mut self, currency: impl Into<String>) -> Self {
        self.currency_id = Some(currency.into());
        self
    }

    /// Sets the additional id (receipt number).
    pub fn additional_id(mut self, id: impl Into<String>) -> Self {
        self.additional_id = Some(id.into());
        self
    }

    /// Sets `replaceamount`.
    pub fn replace_amount(mut self, replace: bool) -> Self {
        self.replace_amount = Some(replace);
        self
    }

    /// Sets `needsreversal`.
    pub fn needs_reversal(mut self, needs: bool) -> Self {
        self.needs_reversal = Some(needs);
        self
    }

    /// Sets the payment time.
    pub fn at(mut self, time: PaymentTime) -> Self {
        self.paymentdatetime = Some(time);
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("paymentmode", &self.paymentmode, 1, true)?;
        check_text("paymenttype", &self.paymenttype, 1, true)?;
        if let Some(ex) = &self.paymentmodeex {
            check_text("paymentmodeex", ex, 3, false)?;
        }
        if let Some(c) = &self.currency_id {
            check_text("currency_id", c, 3, false)?;
        }
        if let Some(a) = &self.additional_id {
            check_text("additional_id", a, 20, false)?;
        }
        if self.amount.amount().normalize().scale() > 2 {
            return Err(Error::validation(format!(
                "amount {} has more than two decimals (Numeric(11,2))",
                self.amount
            )));
        }
        Ok(())
    }
}

/// The parameters of `ODOC_ADDEVENT`: a document event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct Event {
    /// Event type (`de_act`, CHAR(10), required).
    pub act: String,
    /// Additional event type (`de_custevent`, CHAR(10)).
    pub custom_event: Option<String>,
    /// Comment (`de_comment`, up to 100 characters).
    pub comment: Option<String>,
    /// Event data (`de_data`, up to 750 characters).
    pub data: Option<String>,
    /// Source type (`de_sourcetype_id`, CHAR(3)), e.g. `API`.
    pub source_type: Option<String>,
    /// Source identifier (`de_source_id`, up to 10 characters), e.g. a source document id.
    pub source_id: Option<String>,
}

impl Event {
    /// An event of type `act`.
    pub fn new(act: impl Into<String>) -> Self {
        Event {
            act: act.into(),
            custom_event: None,
            comment: None,
            data: None,
            source_type: None,
            source_id: None,
        }
    }

    /// Sets the additional event type.
    pub fn custom_event(mut self, v: impl Into<String>) -> Self {
        self.custom_event = Some(v.into());
        self
    }

    /// Sets the comment.
    pub fn comment(mut self, v: impl Into<String>) -> Self {
        self.comment = Some(v.into());
        self
    }

    /// Sets the event data.
    pub fn data(mut self, v: impl Into<String>) -> Self {
        self.data = Some(v.into());
        self
    }

    /// Sets the source type and id.
    pub fn source(mut self, source_type: impl Into<String>, source_id: impl Into<String>) -> Self {
        self.source_type = Some(source_type.into());
        self.source_id = Some(source_id.into());
        self
    }

    pub(crate) fn validate(&self) -> Result<(), Error> {
        check_text("de_act", &self.act, 10, true)?;
        for (what, v, max) in [
            ("de_custevent", &self.custom_event, 10),
            ("de_comment", &self.comment, 100),
            ("de_data", &self.data, 750),
            ("de_sourcetype_id", &self.source_type, 3),
            ("de_source_id", &self.source_id, 10),
        ] {
            if let Some(v) = v {
                check_text(what, v, max, false)?;
            }
        }
        Ok(())
    }
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

    pub(crate) fn validate(&self) -> Result<(), Error> {
        match self {
            SetData::Row(r) if r.row_no.is_none() => Err(Error::validation(
                "objname=row needs a rowno to identify the row",
            )),
            SetData::Raw { objname, .. }
                if !matches!(objname.as_str(), "document" | "header" | "rows" | "row") =>
            {
                Err(Error::validation(format!(
                    "objname must be document, header, rows or row, got {objname:?}"
                )))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked() {
        assert!(ItemSale::search_code("").validate().is_err());
        assert!(ItemSale::batch(1).rowno(0).validate().is_err());
        assert!(ItemSale::batch(1).rowno(10_000).validate().is_err());
        assert!(ItemSale::batch(1).rowno(9999).validate().is_ok());
        assert!(
            BarcodeSale::insert("12345678901234567", 1)
                .validate()
                .is_err()
        );
        assert!(BarcodeSale::insert("6010 0000", 1).validate().is_err());
        assert!(BarcodeSale::insert("60100000", 2).validate().is_ok());
        let amount: Money = "10.005".parse().unwrap();
        assert!(Payment::new("B", amount).validate().is_err());
        let amount: Money = "10.50".parse().unwrap();
        assert!(Payment::new("B", amount).validate().is_ok());
        assert!(Payment::new("BB", amount).validate().is_err());
        assert!(
            Payment::new("B", amount)
                .currency("EURO")
                .validate()
                .is_err()
        );
        assert!(Event::new("").validate().is_err());
        assert!(
            Event::new("TEST")
                .comment("x".repeat(101))
                .validate()
                .is_err()
        );
        assert!(Event::new("TEST").source("API", "1").validate().is_ok());
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
