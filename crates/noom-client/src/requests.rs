//! Parameters of the acts on a document. The flat ones are generated from the spec notes
//! (`[[params]]` in `docs/specs/noom.toml`) with their documented limits, checked by
//! `validate()` before anything is sent; this module adds the shapes that are not a flat list of
//! parameters: the relation of a new document, a payment time, and `ODOC_SETDATA`'s JSON.

use pos_client_core::chrono::{NaiveDate, NaiveDateTime};
use pos_client_core::encoding::{DOTTED_DATE, DOTTED_DATE_TIME};
use pos_client_core::validate::{self, ParamStyle};

use crate::error::Error;
use crate::ids::{Dhid, DocUid, check_numeric10};
use crate::models::{DocumentPatch, HeaderData, RowData};
use crate::protocol::{Params, plain};

pub use crate::models::{BarcodeSale, Event, ItemSale, Payment, QuantityChange, RowRef};

/// The parameters of an act on an open document: checked, then written in the client's style.
pub(crate) trait ActParams {
    /// Checks the documented rules (nothing is sent when they fail) and writes the parameters.
    fn checked(&self, style: &ParamStyle) -> Result<Params, Error>;
}

/// A generated model: its `validate()`, then its `params()`.
macro_rules! generated_act_params {
    ($($model:ty),+) => {$(
        impl ActParams for $model {
            fn checked(&self, style: &ParamStyle) -> Result<Params, Error> {
                self.validate()?;
                Ok(self.params(style))
            }
        }
    )+};
}

generated_act_params!(ItemSale, BarcodeSale, QuantityChange, RowRef);

/// The generated rules and, for a source type, its second name (`de_sourcetype`, last).
impl ActParams for Event {
    fn checked(&self, style: &ParamStyle) -> Result<Params, Error> {
        self.validate()?;
        let mut params = self.params(style);
        if let Some(source_type) = &self.source_type {
            params.push(("de_sourcetype", plain(source_type)));
        }
        Ok(params)
    }
}

/// The document a new document is related to (`ODOC_NEW`'s `related.dhid` / `realated.docuid`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Related {
    /// By document id (`related.dhid`).
    Dhid(Dhid),
    /// By document unique id, sent as `realated.docuid` (sic: the spelling of `ODOC_NEW`'s table)
    /// and again as `related.docuid`, the spelling of the `related.dhid` beside it.
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

impl PaymentTime {
    /// Checks that the year fits the documented `dd.mm.yyyy` form (1 to 9999).
    pub fn validate(self) -> Result<(), Error> {
        let date = match self {
            PaymentTime::Date(d) => d,
            PaymentTime::DateTime(t) => t.date(),
        };
        validate::four_digit_year("paymentdatetime", date)
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
}

/// The generated rules ([`Payment::validate`]) and the form of `paymentdatetime`: a date
/// `dd.mm.yyyy` or a date and time `dd.mm.yyyy HH:MM:SS` (the vendor's example sends
/// `01.01.2020`), with a year from 1 to 9999.
impl ActParams for Payment {
    fn checked(&self, style: &ParamStyle) -> Result<Params, Error> {
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
        Ok(self.params(style))
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
    /// the limits of the attribute tables (generated from the spec notes, `check_fields`):
    /// `datetime` with a year from 1 to 9999; `documentno`
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
            SetData::Row(r) => r.check_fields(),
            SetData::Rows(rows) => rows.iter().try_for_each(RowData::check_fields),
            SetData::Header(h) => h.check_fields(),
            SetData::Document(d) => {
                if let Some(h) = &d.header {
                    h.check_fields()?;
                }
                d.rows.iter().try_for_each(RowData::check_fields)
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

/// `objname` and `objdata`, after [`SetData::validate`]: JSON, so the style does not apply.
impl ActParams for SetData {
    fn checked(&self, _: &ParamStyle) -> Result<Params, Error> {
        self.validate()?;
        Ok(vec![
            ("objname", plain(self.objname())),
            ("objdata", plain(self.objdata()?)),
        ])
    }
}
