//! The CloudPOS client: [`Client`], [`ClientBuilder`], and one async method per `get-*`
//! function.
//!
//! # Requests
//!
//! Every function is one request to the base URL with the licence name, the token and the
//! function as a bare flag in the query, as the vendor's example shows:
//! `https://cloudpos.be/api/?licname=…&token=…&get-products`. Functions with only "URL filters"
//! are `GET` requests with the filters in the query (`&start=1&end=5&date=2016-01-01`,
//! `&clockinclockout`, `&customerid=1`). Functions with "post filters" (`weborderid`,
//! `documentnr`, `date`, `persons`) are `POST` requests to the same URL with the filters in an
//! `application/x-www-form-urlencoded` body and again in the query after the function flag:
//! a server reading PHP's `$_POST` (as "Post filter" says), `$_GET` (where every other
//! parameter of the document sits) or `$_REQUEST` finds them. Dates are sent as `YYYY-MM-DD`.
//!
//! # Lockout and daily quota
//!
//! Every call passes the lockout and quota guards first (see [`crate::guard`]): after 1001,
//! 1002 or 1004 the client sends nothing (a 1004 lifts at its Brussels time, then one request
//! goes through); 500 requests per Europe/Brussels day are counted locally, every attempt
//! included, and a 1003 stops the client until the time it names. Both refusals are
//! `Error::Refused`, and nothing is sent. Requests sent by other programs or before a restart
//! are not counted; tell the client with [`Client::set_quota_used`].

mod builder;

use std::fmt;
use std::sync::Arc;

use pos_client_core::chrono::NaiveDate;
use pos_client_core::encoding::{LenientInt, LenientString, TextList};
use pos_client_core::http::Method;
use pos_client_core::secrecy::SecretString;
use pos_client_core::serde_with::DeserializeAs;
use pos_client_core::serde_with::de::DeserializeAsWrap;
use pos_client_core::validate::{self, ParamStyle, add_query};
use pos_client_core::{Operation, Pipeline, Response};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::envelope::{self, One, Records};
use crate::error::{Error, ErrorCode};
use crate::guard::Lockout;
use crate::models::{
    Category, Coupon, CouponFilter, Customer, CustomerCredit, GiftVoucher, Invoice, InvoiceFilter,
    OrderFilter, PaymentMethod, Printer, Product, ReservationHours, ReservationPersons,
    SignedDocument, Subproduct, Table, User, WeborderConfirmation, WireOrder,
};
use crate::orders::Order;
use crate::protocol::{CloudPos, Credentials};

pub use crate::protocol::{MAX_LICNAME_CHARS, MAX_TOKEN_CHARS, VENDOR};
pub use builder::{
    BASE_URL_VAR, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_DAILY_QUOTA, LICNAME_VAR, TOKEN_VAR,
    USER_AGENT,
};

/// The longest `weborderid` or `documentnr` accepted. The document gives no maximum; 255 is
/// far beyond any web order id or document number a till produces.
pub const MAX_ID_CHARS: usize = 255;

/// The post filters' date format (the URL filters' comes from the spec notes).
const DATE_FORMAT: &str = "%Y-%m-%d";

/// How the generated filters write their values (no decimals among them).
const STYLE: ParamStyle = ParamStyle::new();

/// A CloudPOS API client. Cheap to clone; clones share the connection pool, the credentials,
/// the lockout and the quota count.
///
/// Debug output never shows the token.
#[derive(Clone)]
pub struct Client {
    pipeline: Arc<Pipeline<CloudPos>>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("licname", &self.protocol().credentials().licname)
            .field("token", &"***")
            .field("locked", &self.lockout().is_some())
            .field("quota_remaining", &self.quota_remaining())
            .finish_non_exhaustive()
    }
}

impl Client {
    fn protocol(&self) -> &CloudPos {
        self.pipeline.protocol()
    }

    /// Tokens left in the retry budget.
    pub fn retry_budget_available(&self) -> u32 {
        self.pipeline.retry_budget_available()
    }

    /// Replaces the licence name and token (for every clone) and lifts a lockout.
    ///
    /// Empty values are refused (the server would answer 1001 and count a bad login), and so
    /// are control characters and over-long values (both travel in the URL), as in
    /// [`ClientBuilder::build`]. The quota count is kept.
    pub fn set_credentials(
        &self,
        licname: impl Into<String>,
        token: impl Into<String>,
    ) -> Result<(), Error> {
        let credentials = Credentials::new(&licname.into(), SecretString::from(token.into()))?;
        self.protocol().set_credentials(credentials);
        Ok(())
    }

    /// Lifts a lockout without changing the credentials. Only do this when you know the cause
    /// is fixed (the licence was re-activated): each further bad login brings the 30-minute IP
    /// block closer. A 1004 lockout lifts by itself at the time the server named.
    pub fn reset_lockout(&self) {
        self.protocol().lockout().reset();
    }

    /// The lockout in force, if any.
    pub fn lockout(&self) -> Option<Lockout> {
        self.protocol().lockout().current()
    }

    /// Requests counted today (the server's Europe/Brussels day), retries included.
    pub fn quota_used(&self) -> u32 {
        self.protocol().quota().used()
    }

    /// Requests left today (the server's Europe/Brussels day) before the quota: 0 while a 1003
    /// answer is in force.
    pub fn quota_remaining(&self) -> u32 {
        self.protocol().quota().remaining()
    }

    /// The daily quota the client counts against.
    pub fn daily_quota(&self) -> u32 {
        self.protocol().quota().limit()
    }

    /// Sets today's count (for requests made by another program, or before a restart).
    pub fn set_quota_used(&self, used: u32) {
        self.protocol().quota().set_used(used);
    }

    /// The server's (Europe/Brussels) calendar day by the client's clock: the day the quota
    /// counts, and the `date` to ask for "today's" orders.
    pub fn server_today(&self) -> NaiveDate {
        self.protocol().quota().today()
    }

    /// The read operation for `function`.
    fn operation(&self, function: &'static str, method: Method) -> Operation {
        self.protocol().operation(function, method, false)
    }

    /// Sends `op` and decodes the records of its answer.
    async fn list<T: DeserializeOwned>(&self, op: Operation) -> Result<Vec<T>, Error> {
        let response = self.pipeline.send(op).await?;
        let Records(records) = response.decode::<_, ErrorCode>()?;
        tracing::debug!(
            function = response.operation().name,
            records = records.len(),
            "cloudpos: ok"
        );
        Ok(records)
    }

    /// `function` (a `GET` without filters) and the records of its answer.
    async fn get_all<T: DeserializeOwned>(&self, function: &'static str) -> Result<Vec<T>, Error> {
        self.list(self.operation(function, Method::GET)).await
    }

    /// Sends `op` and decodes the one record of its answer.
    async fn one<T: DeserializeOwned>(&self, op: Operation) -> Result<T, Error> {
        let response = self.pipeline.send(op).await?;
        let One(record) = response.decode::<_, ErrorCode>()?;
        Ok(record)
    }

    /// `get-categories` ("Categorieën ophalen"): every category. 2000 is an empty list.
    pub async fn categories(&self) -> Result<Vec<Category>, Error> {
        self.get_all("get-categories").await
    }

    /// `get-products` ("Producten ophalen"): every product.
    pub async fn products(&self) -> Result<Vec<Product>, Error> {
        self.get_all("get-products").await
    }

    /// `get-subproducts` ("Subproducten ophalen"): every subproduct with the products it
    /// belongs to.
    pub async fn subproducts(&self) -> Result<Vec<Subproduct>, Error> {
        self.get_all("get-subproducts").await
    }

    /// `get-customers` ("Klanten ophalen"): every customer.
    pub async fn customers(&self) -> Result<Vec<Customer>, Error> {
        self.get_all("get-customers").await
    }

    /// `get-users` ("Gebruikers ophalen"): every till user. The national register number is
    /// hidden in Debug output.
    pub async fn users(&self) -> Result<Vec<User>, Error> {
        self.get_all("get-users").await
    }

    /// `get-tables` ("Tafels ophalen"): every table with its status.
    pub async fn tables(&self) -> Result<Vec<Table>, Error> {
        self.get_all("get-tables").await
    }

    /// `get-payment` ("Actieve betaalmiddelen ophalen"): the active payment methods.
    pub async fn payment_methods(&self) -> Result<Vec<PaymentMethod>, Error> {
        self.get_all("get-payment").await
    }

    /// `get-printers` ("Printers ophalen"): every printer.
    pub async fn printers(&self) -> Result<Vec<Printer>, Error> {
        self.get_all("get-printers").await
    }

    /// `get-orders` ("Orders ophalen"), filtered by id range, date and clock-in/out, as
    /// [`Order`]s (subproducts listed per line, payments typed). Refused before sending: `start`
    /// after `end`, a date outside the years 1 to 9999 (sent as `YYYY-MM-DD`).
    pub async fn orders(&self, filter: &OrderFilter) -> Result<Vec<Order>, Error> {
        let f = "get-orders";
        filter.validate()?;
        sendable_date(f, "date", filter.date)?;
        let op = add_query(self.operation(f, Method::GET), filter.params(&STYLE));
        let wire: Vec<WireOrder> = self.list(op).await?;
        Ok(wire.into_iter().map(Order::from).collect())
    }

    /// `get-invoices` ("Facturen ophalen"): invoices, quotes and credit notes, filtered by id
    /// range and date. Refused before sending: `start` after `end`, a date outside the years 1
    /// to 9999.
    pub async fn invoices(&self, filter: &InvoiceFilter) -> Result<Vec<Invoice>, Error> {
        let f = "get-invoices";
        filter.validate()?;
        sendable_date(f, "date", filter.date)?;
        let op = add_query(self.operation(f, Method::GET), filter.params(&STYLE));
        self.list(op).await
    }

    /// `get-confirmedweborder` ("Weborder bevestigd"): the confirmed pick-up or delivery time
    /// of a web order. Post filter `weborderid` (required).
    ///
    /// Errors: [`ErrorCode::WeborderNotConfirmed`] (2001, not yet),
    /// [`ErrorCode::WeborderIdUnknown`] (2003). Refused before sending (a validation error):
    /// an empty id (the server's 2002), control characters (CR, LF, NUL …), more than
    /// [`MAX_ID_CHARS`] characters.
    pub async fn confirmed_weborder(
        &self,
        weborder_id: &str,
    ) -> Result<WeborderConfirmation, Error> {
        let f = "get-confirmedweborder";
        let id = required_text(f, "weborderid", weborder_id)?;
        let op = post_filter(self.operation(f, Method::POST), "weborderid", id);
        self.one(op).await
    }

    async fn signed(
        &self,
        function: &'static str,
        document_nr: &str,
    ) -> Result<SignedDocument, Error> {
        let nr = required_text(function, "documentnr", document_nr)?;
        // Signing creates a VAT ticket and a second call answers 2002 "Document nr already in
        // use": a write, never re-sent once it may have reached the server.
        let op = self.protocol().operation(function, Method::POST, true);
        let op = post_filter(op, "documentnr", nr).reference(nr);
        signed_document(&self.pipeline.send(op).await?)
    }

    /// `get-invoicesigned`: the VAT ticket number of an invoice signed by the fiscal data
    /// module (FDM). Post filter `documentnr` (required).
    ///
    /// A write: the document's 2002 "Document nr already in use" is the answer to signing the
    /// same number a second time, so the call is never re-sent once it may have reached the
    /// server ([`Error::is_outcome_unknown`] then names the document number). A success
    /// answer without the documented `vatticket` (cut off, an HTML page, empty) is outcome
    /// unknown too: the ticket may have been created.
    ///
    /// Errors (the document lists 2000, 2001, 2002): [`ErrorCode::NotFound`] (2000),
    /// [`ErrorCode::DocumentNrInUse`] (2002, already signed). Refused before sending (a
    /// validation error): an empty number (the server's 2001), control characters (CR, LF,
    /// NUL …), more than [`MAX_ID_CHARS`] characters.
    pub async fn invoice_signed(&self, document_nr: &str) -> Result<SignedDocument, Error> {
        self.signed("get-invoicesigned", document_nr).await
    }

    /// `get-offersigned`: like [`invoice_signed`](Self::invoice_signed), for a quote.
    pub async fn offer_signed(&self, document_nr: &str) -> Result<SignedDocument, Error> {
        self.signed("get-offersigned", document_nr).await
    }

    /// `get-creditnotesigned`: like [`invoice_signed`](Self::invoice_signed), for a credit note.
    pub async fn credit_note_signed(&self, document_nr: &str) -> Result<SignedDocument, Error> {
        self.signed("get-creditnotesigned", document_nr).await
    }

    /// `get-reservationpersons` ("Reservatie beschikbare personen ophalen"): the party sizes
    /// still bookable on `date` (post filter `date`). 2000 is an empty list. A date outside the
    /// years 1 to 9999 (not writable as `YYYY-MM-DD`) is refused before sending.
    pub async fn reservation_persons(&self, date: NaiveDate) -> Result<Vec<u32>, Error> {
        let f = "get-reservationpersons";
        sendable_date(f, "date", Some(date))?;
        let op = post_filter(
            self.operation(f, Method::POST),
            "date",
            date.format(DATE_FORMAT).to_string(),
        );
        let Persons(persons) = self.pipeline.send(op).await?.decode::<_, ErrorCode>()?;
        Ok(persons)
    }

    /// `get-reservationhours` ("Reservatie beschikbare uren ophalen"): the hours available on
    /// `date` for `persons` people (post filters `date` and `persons`; `persons` must be at
    /// least 1; a date outside the years 1 to 9999 is refused). The document lists only 2001 and 2002 for this function (no 2000): no hours
    /// is an empty `hours` array; a 2000 would still be read as an empty list.
    pub async fn reservation_hours(
        &self,
        date: NaiveDate,
        persons: u32,
    ) -> Result<Vec<String>, Error> {
        let f = "get-reservationhours";
        validate::positive(&format!("{f}: persons"), &persons)?;
        sendable_date(f, "date", Some(date))?;
        let op = post_filter(
            self.operation(f, Method::POST),
            "date",
            date.format(DATE_FORMAT).to_string(),
        );
        let op = post_filter(op, "persons", persons.to_string());
        let Hours(hours) = self.pipeline.send(op).await?.decode::<_, ErrorCode>()?;
        Ok(hours)
    }

    /// `get-giftvoucher` ("Cadeaubonnen ophalen"): every gift voucher.
    pub async fn gift_vouchers(&self) -> Result<Vec<GiftVoucher>, Error> {
        self.get_all("get-giftvoucher").await
    }

    /// `get-coupon` ("Kortingsbonnen ophalen"): discount coupons, filtered by id range.
    pub async fn coupons(&self, filter: &CouponFilter) -> Result<Vec<Coupon>, Error> {
        let f = "get-coupon";
        filter.validate()?;
        let op = add_query(self.operation(f, Method::GET), filter.params(&STYLE));
        self.list(op).await
    }

    /// `get-customercredits` ("Klanten tegoed ophalen"): each customer's credit, or with
    /// `Some(customer_id)` (URL filter `customerid`) every credit top-up of that customer.
    pub async fn customer_credits(
        &self,
        customer_id: Option<u64>,
    ) -> Result<Vec<CustomerCredit>, Error> {
        let f = "get-customercredits";
        let op = self
            .operation(f, Method::GET)
            .query_opt("customerid", customer_id.map(|v| v.to_string()));
        self.list(op).await
    }
}

/// The signed document of a signing answer. The document answers the created ticket
/// (`vatticket`); a success answer without it (cut off, an HTML page, empty) may still follow a
/// signing, so it is [`Response::not_understood`]: outcome unknown, naming the document number.
pub(crate) fn signed_document(response: &Response) -> Result<SignedDocument, Error> {
    let One(signed) =
        serde_json::from_slice::<One<SignedDocument>>(response.payload().unwrap_or(b"null"))
            .map_err(|e| response.not_understood(format!("it does not decode: {e}")))?;
    if signed.vat_ticket.is_none() {
        return Err(response.not_understood("it has no `vatticket`"));
    }
    Ok(signed)
}

/// Adds a post filter to a `POST`: in the form body (PHP's `$_POST`, as the document's "Post
/// filter" says) and again in the query after the function flag, so that a server reading the
/// query (`$_GET`, where the document puts every other parameter) or `$_REQUEST` finds it too.
/// The same value in both places: no reading of the two can disagree.
fn post_filter(op: Operation, key: &str, value: impl Into<String>) -> Operation {
    let value = value.into();
    op.query(key, value.clone()).form(key, value)
}

/// A required identifier (`weborderid`, `documentnr`): not blank (the server's own "can not be
/// empty"), one line without control characters (CR, LF, NUL … would be stored with it), at
/// most [`MAX_ID_CHARS`] characters. Surrounding spaces are trimmed.
fn required_text<'a>(function: &str, field: &str, value: &'a str) -> Result<&'a str, Error> {
    let wire = format!("{function}: {field}");
    // Checked before trimming: a trailing CR/LF is a mistake to report, not to hide.
    validate::text(&wire, value)?;
    validate::not_blank(&wire, value)?;
    validate::max_chars(&wire, value.trim(), MAX_ID_CHARS)?;
    Ok(value.trim())
}

/// A date the server can read as `YYYY-MM-DD`: a four-digit year (1 to 9999). Other years
/// would be written with a sign or five digits.
fn sendable_date(function: &str, field: &str, date: Option<NaiveDate>) -> Result<(), Error> {
    date.map_or(Ok(()), |d| {
        validate::four_digit_year(&format!("{function}: {field}"), d)
    })
}

/// A reservation list: the record's list field (`R`, picked by `field`), or the bare list; the
/// list may be one `,`-separated string (see [`TextList`]).
fn reservation_list<T, S, R>(bytes: &[u8], field: fn(R) -> Vec<T>) -> serde_json::Result<Vec<T>>
where
    S: for<'a> DeserializeAs<'a, T>,
    R: DeserializeOwned,
{
    if bytes.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'[') {
        serde_json::from_slice::<DeserializeAsWrap<Vec<T>, TextList<S>>>(bytes)
            .map(DeserializeAsWrap::into_inner)
    } else {
        envelope::record::<R>(Some(bytes)).map(field)
    }
}

/// The answer of `get-reservationpersons` (see [`reservation_list`]), as one `Deserialize`
/// type: live calls and offline decoding run the same code.
pub(crate) struct Persons(pub(crate) Vec<u32>);

impl<'de> Deserialize<'de> for Persons {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        reservation_list::<u32, LenientInt, ReservationPersons>(raw.get().as_bytes(), |p| p.persons)
            .map(Persons)
            .map_err(serde::de::Error::custom)
    }
}

/// The answer of `get-reservationhours` (see [`reservation_list`]), like [`Persons`].
pub(crate) struct Hours(pub(crate) Vec<String>);

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        reservation_list::<String, LenientString, ReservationHours>(raw.get().as_bytes(), |h| {
            h.hours
        })
        .map(Hours)
        .map_err(serde::de::Error::custom)
    }
}
