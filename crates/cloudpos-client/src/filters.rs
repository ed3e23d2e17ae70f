//! The filters of `get-orders`, `get-invoices` and `get-coupon` ("Url filter" in the vendor's
//! document), checked before anything is sent.

use pos_client_core::chrono::NaiveDate;

use crate::error::Error;

/// Filters of `get-orders` (all optional; "Url filter" in the vendor's document).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct OrderFilter {
    /// `start`: begin at this order id ("begin bij order id").
    pub start: Option<u64>,
    /// `end`: stop at this order id ("stop bij order id").
    pub end: Option<u64>,
    /// `date`: only orders of this date ("selecteer bepaalde datum").
    pub date: Option<NaiveDate>,
    /// `clockinclockout`: only labour clock-in and clock-out records ("enkel arbeid in en uit").
    pub clock_in_out: bool,
}

impl OrderFilter {
    /// No filter: every order.
    pub fn new() -> Self {
        Self::default()
    }

    /// Orders with ids from `start` to `end` (inclusive, as the vendor describes it).
    pub fn ids(mut self, start: u64, end: u64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// Orders from id `start` on.
    pub fn start(mut self, start: u64) -> Self {
        self.start = Some(start);
        self
    }

    /// Orders up to id `end`.
    pub fn end(mut self, end: u64) -> Self {
        self.end = Some(end);
        self
    }

    /// Orders of one date.
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }

    /// Only labour clock-in/clock-out records.
    pub fn clock_in_out(mut self) -> Self {
        self.clock_in_out = true;
        self
    }
}

/// Filters of `get-invoices` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct InvoiceFilter {
    /// `start`: begin at this invoice id ("begin bij factuur id").
    pub start: Option<u64>,
    /// `end`: stop at this invoice id ("stop bij factuur id").
    pub end: Option<u64>,
    /// `date`: only documents of this date.
    pub date: Option<NaiveDate>,
}

impl InvoiceFilter {
    /// No filter: every document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Documents with ids from `start` to `end`.
    pub fn ids(mut self, start: u64, end: u64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }

    /// Documents of one date.
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }
}

/// Filters of `get-coupon` (all optional).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use]
pub struct CouponFilter {
    /// `start`: begin at this coupon id ("begin bij kortingsbon id").
    pub start: Option<u64>,
    /// `end`: stop at this coupon id ("stop bij kortingsbon id").
    pub end: Option<u64>,
}

impl CouponFilter {
    /// No filter: every coupon.
    pub fn new() -> Self {
        Self::default()
    }

    /// Coupons with ids from `start` to `end`.
    pub fn ids(mut self, start: u64, end: u64) -> Self {
        self.start = Some(start);
        self.end = Some(end);
        self
    }
}

pub(crate) fn check_range(
    function: &str,
    start: Option<u64>,
    end: Option<u64>,
) -> Result<(), Error> {
    match (start, end) {
        (Some(s), Some(e)) if s > e => Err(Error::validation(format!(
            "{function}: start ({s}) is after end ({e})"
        ))),
        _ => Ok(()),
    }
}
