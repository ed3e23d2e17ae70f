//! A stateful in-process fake of the CloudPOS API (feature `sandbox`), for your own tests.
//!
//! It serves `/api/` on `127.0.0.1` and behaves like the vendor describes:
//!
//! - the function is the bare query flag (`?licname=…&token=…&get-products`); URL filters are
//!   read from the query, post filters only from a form body (as PHP's `$_POST` would);
//! - seeded data for all 19 functions ([`Sandbox::start`]); orders are dated *today* (the
//!   Europe/Brussels day, by the sandbox clock: [`Sandbox::today`]) so a "today's orders" report
//!   has something to show;
//! - the documented filters: `start`/`end`/`date`/`clockinclockout` on `get-orders`,
//!   `start`/`end`/`date` on `get-invoices`, `start`/`end` on `get-coupon`, `customerid` on
//!   `get-customercredits`;
//! - answers `{"success":1,"data":[…]}` by default (choose another envelope with
//!   [`SandboxBuilder::envelope`]), and `{"errorcode":2000,"message":"No products found"}` when
//!   a list is empty;
//! - the real error codes: 1001 (empty licence name or token), 1002 (wrong), 1003 (daily limit,
//!   with the next possible request time), 1004 (after five bad logins the IP address — always
//!   127.0.0.1 here — is blocked for 30 minutes, with the time it ends), 1005 (a function
//!   switched off with [`SandboxBuilder::without_module`]), and per function only the codes the
//!   document lists for it ([`documented_codes`]): 2000 "No … found" for the lists,
//!   `get-invoicesigned` and siblings and `get-reservationpersons`; 2001–2003 for
//!   `get-confirmedweborder`; 2001/2002 for signing (2002 "Document nr already in use" when a
//!   number is signed a second time: signing is a write); 2001/2002 for
//!   `get-reservationhours`, which has no 2000 (no hours is an empty `hours` array);
//! - times as the Belgian server writes them: the daily limit of 500 requests counts per
//!   Europe/Brussels day (configurable: [`SandboxBuilder::daily_limit`]), and the datetimes of
//!   1003 and 1004 are Brussels wall-clock time;
//! - an injectable clock: [`Sandbox::advance_clock`] and [`Sandbox::set_clock`] move the
//!   sandbox's time, so tests of the 30-minute block or the day change never sleep. Clients
//!   from [`Sandbox::client`] and [`Sandbox::client_builder`] read the same clock.
//!
//! Every request is journaled and faults can be injected through the
//! [`pos_client_core::sandbox`] kit ([`Sandbox::journal`], [`Sandbox::faults`]); routes are the
//! path `/api/` plus the function flag: `Route::path("/api/").flag("get-orders")`, or
//! [`Sandbox::route`].
//!
//! The sandbox implements [`pos_client_core::sandbox::Exercise`] for the reliability suite:
//! every function of [`crate::models::OPERATIONS`] run once under a fault (a signing on a fresh
//! document number each time, reservations on a day the sandbox is open), the client's own
//! decoding of any answer offline, and sample answers (the sandbox's, the other list envelopes,
//! the document's error codes) to seed the mutation test.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use cloudpos_client::sandbox::{Fault, Sandbox};
//!
//! let sandbox = Sandbox::start().await?;
//! let client = sandbox.client()?;
//! let products = client.products().await?;
//! assert!(!products.is_empty());
//!
//! // A 503 on a read is retried; the second attempt succeeds. Both attempts count.
//! sandbox.faults().inject(Sandbox::route("get-categories"), Fault::status(503));
//! client.categories().await?;
//! assert_eq!(sandbox.journal().hits(Sandbox::route("get-categories")), 2);
//! assert_eq!(client.quota_used(), 3);
//! # Ok(())
//! # }
//! ```

mod exercise;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use pos_client_core::RetryPolicy;
use pos_client_core::chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use pos_client_core::http::{HeaderMap, StatusCode, Uri, header};
use pos_client_core::sandbox::SandboxServer;
use pos_client_core::sandbox::axum::{
    Json, Router,
    body::Bytes,
    extract::State,
    response::{IntoResponse, Response},
    routing::any,
};
use serde_json::{Map, Value, json};

pub use pos_client_core::sandbox::{Fault, Faults, Journal, LogCapture, RecordedRequest, Route};

use crate::client::{Client, ClientBuilder};
use crate::error::Error;
use crate::time::{format_server_time, next_server_midnight, server_date};
use pos_client_core::encoding::parse_any_date as parse_date;

/// The licence name the sandbox accepts by default.
pub const SANDBOX_LICNAME: &str = "demo-shop";
/// The token the sandbox accepts by default.
pub const SANDBOX_TOKEN: &str = "cp-sandbox-token-0001";
/// Bad logins after which the sandbox blocks the address, as the vendor documents.
pub const MAX_BAD_LOGINS: u32 = 5;
/// How long the address stays blocked after [`MAX_BAD_LOGINS`].
pub const BLOCK_MINUTES: i64 = 30;

/// Every function the sandbox serves, with the plural noun of its records.
pub const FUNCTIONS: [&str; 19] = [
    "get-categories",
    "get-products",
    "get-subproducts",
    "get-customers",
    "get-users",
    "get-tables",
    "get-payment",
    "get-printers",
    "get-orders",
    "get-invoices",
    "get-confirmedweborder",
    "get-invoicesigned",
    "get-offersigned",
    "get-creditnotesigned",
    "get-reservationpersons",
    "get-reservationhours",
    "get-giftvoucher",
    "get-coupon",
    "get-customercredits",
];

/// The error codes the vendor's document lists for `function`, besides 1001–1005 which any
/// function may answer. The sandbox answers no other code.
pub fn documented_codes(function: &str) -> &'static [i64] {
    match function {
        "get-confirmedweborder" => &[2001, 2002, 2003],
        "get-invoicesigned" | "get-offersigned" | "get-creditnotesigned" => &[2000, 2001, 2002],
        "get-reservationpersons" => &[2000, 2001],
        "get-reservationhours" => &[2001, 2002],
        _ => &[2000],
    }
}

/// How the sandbox wraps a list of records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Envelope {
    /// `{"success":1,"data":[…]}` (the default).
    #[default]
    Data,
    /// `{"success":1,"get-products":[…]}`: under the function name.
    FunctionName,
    /// `{"success":1,"products":[…]}`: under the plural noun.
    Noun,
    /// `[…]`: a bare array.
    BareArray,
    /// `{"success":1,"12":{…},"13":{…}}`: records keyed by id, as PHP's `json_encode` writes a
    /// non-sequential array.
    KeyedById,
}

/// The "No … found" word and the envelope noun of a list function.
fn noun(function: &str) -> &'static str {
    match function {
        "get-categories" => "categories",
        "get-products" => "products",
        "get-subproducts" => "subproducts",
        "get-customers" => "customers",
        "get-users" => "users",
        "get-tables" => "tables",
        "get-payment" => "payment",
        "get-printers" => "printers",
        "get-orders" => "orders",
        "get-invoices" => "invoices",
        "get-giftvoucher" => "vouchers",
        "get-coupon" => "coupons",
        "get-customercredits" => "customercredits",
        _ => "records",
    }
}

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
                {"id": "102", "name": "Slagroom", "price": "0.50", "quantity": "40", "productlink": "11,15", "modtime": "1764000000"},
                {"id": "103", "name": "Ijsbolletje", "price": "1.00", "quantity": "25", "productlink": 15, "modtime": "1764000000"}
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

/// Configures a [`Sandbox`] before it starts.
#[derive(Clone)]
#[must_use]
pub struct SandboxBuilder {
    licname: String,
    token: String,
    daily_limit: u32,
    envelope: Envelope,
    without: BTreeSet<String>,
    data: Option<SandboxData>,
}

impl fmt::Debug for SandboxBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxBuilder")
            .field("licname", &self.licname)
            .field("token", &"***")
            .field("daily_limit", &self.daily_limit)
            .field("envelope", &self.envelope)
            .field("without", &self.without)
            .finish_non_exhaustive()
    }
}

impl SandboxBuilder {
    /// The licence name and token the sandbox accepts (default [`SANDBOX_LICNAME`],
    /// [`SANDBOX_TOKEN`]).
    pub fn credentials(mut self, licname: impl Into<String>, token: impl Into<String>) -> Self {
        self.licname = licname.into();
        self.token = token.into();
        self
    }

    /// Requests accepted per Europe/Brussels day (default 500); the next one is answered 1003.
    pub fn daily_limit(mut self, limit: u32) -> Self {
        self.daily_limit = limit;
        self
    }

    /// How lists are wrapped (default [`Envelope::Data`]).
    pub fn envelope(mut self, envelope: Envelope) -> Self {
        self.envelope = envelope;
        self
    }

    /// Answers `function` with 1005 "No license for this module".
    pub fn without_module(mut self, function: &str) -> Self {
        self.without.insert(function.to_owned());
        self
    }

    /// Replaces the seeded data.
    pub fn data(mut self, data: SandboxData) -> Self {
        self.data = Some(data);
        self
    }

    /// Starts the server on `127.0.0.1:0` (on the current tokio runtime).
    pub async fn start(self) -> std::io::Result<Sandbox> {
        let today = server_date(Utc::now());
        let shared = Arc::new(Shared {
            licname: self.licname,
            token: self.token,
            daily_limit: self.daily_limit,
            envelope: self.envelope,
            without: self.without,
            state: Mutex::new(SandboxState {
                data: self.data.unwrap_or_else(|| SandboxData::seeded(today)),
                clock_offset: Duration::zero(),
                bad_logins: 0,
                blocked_until: None,
                day: today,
                requests_today: 0,
            }),
        });
        let router = Router::new()
            .route("/api/", any(handle))
            .route("/api", any(handle))
            .with_state(shared.clone());
        let server = SandboxServer::start(router).await?;
        Ok(Sandbox { server, shared })
    }
}

struct Shared {
    licname: String,
    token: String,
    daily_limit: u32,
    envelope: Envelope,
    without: BTreeSet<String>,
    state: Mutex<SandboxState>,
}

struct SandboxState {
    data: SandboxData,
    clock_offset: Duration,
    bad_logins: u32,
    blocked_until: Option<DateTime<Utc>>,
    day: NaiveDate,
    requests_today: u32,
}

impl SandboxState {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.clock_offset
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, SandboxState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The running sandbox. Stops when dropped.
pub struct Sandbox {
    server: SandboxServer,
    shared: Arc<Shared>,
}

// Debug, journal() (requests to `/api/`), faults(), connections(), server().
pos_client_core::sandbox_handle!(Sandbox);

impl Sandbox {
    /// Starts a sandbox with the seeded data that accepts [`SANDBOX_LICNAME`] and
    /// [`SANDBOX_TOKEN`].
    pub async fn start() -> std::io::Result<Sandbox> {
        Sandbox::builder().start().await
    }

    /// A builder: credentials, daily limit, envelope, modules, data.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            licname: SANDBOX_LICNAME.to_owned(),
            token: SANDBOX_TOKEN.to_owned(),
            daily_limit: crate::client::DEFAULT_DAILY_QUOTA,
            envelope: Envelope::default(),
            without: BTreeSet::new(),
            data: None,
        }
    }

    /// The route of one function, for faults and hit counts:
    /// `Route::path("/api/").flag(function)`.
    pub fn route(function: &str) -> Route {
        Route::path("/api/").flag(function)
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/api/`.
    pub fn base_url(&self) -> String {
        format!("{}api/", self.server.base_url())
    }

    /// A client builder pointed at the sandbox with its credentials,
    /// [`RetryPolicy::without_delays`] and the sandbox's clock (so [`Sandbox::advance_clock`]
    /// moves the client's quota day and the end of a 1004 block too), to adjust before
    /// building.
    pub fn client_builder(&self) -> ClientBuilder {
        let shared = self.shared.clone();
        Client::builder()
            .base_url(self.base_url())
            .credentials(self.shared.licname.clone(), self.shared.token.clone())
            .retry_policy(RetryPolicy::without_delays())
            .clock(move || shared.lock().now())
    }

    /// A client pointed at the sandbox (no retry delays).
    pub fn client(&self) -> Result<Client, Error> {
        self.client_builder().build()
    }

    /// Moves the sandbox's clock forward (the 30-minute block, the day of the daily limit).
    pub fn advance_clock(&self, by: std::time::Duration) {
        let by = Duration::from_std(by).unwrap_or_else(|_| Duration::days(365));
        self.shared.lock().clock_offset += by;
    }

    /// Sets the sandbox's clock to `t` (forward or back), e.g. just before a Brussels midnight
    /// or a daylight-saving change.
    pub fn set_clock(&self, t: DateTime<Utc>) {
        self.shared.lock().clock_offset = t - Utc::now();
    }

    /// The sandbox's current time.
    pub fn now(&self) -> DateTime<Utc> {
        self.shared.lock().now()
    }

    /// The sandbox's current day in Europe/Brussels: the day its daily limit counts and the
    /// date of the seeded "today's" orders.
    pub fn today(&self) -> NaiveDate {
        server_date(self.now())
    }

    /// Bad logins counted since the last good one (or the last block).
    pub fn bad_logins(&self) -> u32 {
        self.shared.lock().bad_logins
    }

    /// Until when 127.0.0.1 is blocked, if it is.
    pub fn blocked_until(&self) -> Option<DateTime<Utc>> {
        let state = self.shared.lock();
        state.blocked_until.filter(|t| *t > state.now())
    }

    /// Requests counted against the daily limit today (the sandbox's Europe/Brussels day).
    pub fn requests_today(&self) -> u32 {
        let mut state = self.shared.lock();
        roll_day(&mut state);
        state.requests_today
    }

    /// Confirms a web order (or adds it) with the pick-up/delivery time.
    pub fn confirm_weborder(&self, weborder_id: &str, time: &str) {
        self.shared
            .lock()
            .data
            .weborders
            .insert(weborder_id.to_owned(), Some(time.to_owned()));
    }

    /// The document numbers whose VAT ticket is taken: the seeded ones and every number signed
    /// since (a set: signing a number again is answered 2002 and changes nothing).
    pub fn documents_in_use(&self) -> BTreeSet<String> {
        self.shared.lock().data.documents_in_use.clone()
    }

    /// Replaces the records of a list function (wire shape).
    pub fn set_records(&self, function: &str, records: Vec<Value>) {
        self.shared
            .lock()
            .data
            .records
            .insert(function.to_owned(), records);
    }

    /// The records of a list function (wire shape).
    pub fn records(&self, function: &str) -> Vec<Value> {
        self.shared
            .lock()
            .data
            .records
            .get(function)
            .cloned()
            .unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------------
// Handler

fn roll_day(state: &mut SandboxState) {
    let today = server_date(state.now());
    if today != state.day {
        state.day = today;
        state.requests_today = 0;
    }
}

fn ok(body: Value) -> (StatusCode, Value) {
    (StatusCode::OK, body)
}

fn error(code: i64, message: &str) -> (StatusCode, Value) {
    ok(json!({ "errorcode": code, "message": message }))
}

fn pairs(bytes: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

async fn handle(
    State(shared): State<Arc<Shared>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = pairs(uri.query().unwrap_or("").as_bytes());
    // PHP's $_POST: only a form body fills it.
    let post = if is_form(&headers) {
        pairs(&body)
    } else {
        Vec::new()
    };
    let (status, body) = answer(&shared, &query, &post);
    (status, Json(body)).into_response()
}

/// The answer to one request, from its query and form pairs.
fn answer(
    shared: &Shared,
    query: &[(String, String)],
    post: &[(String, String)],
) -> (StatusCode, Value) {
    let mut state = shared.lock();
    let now = state.now();
    roll_day(&mut state);

    if let Some(until) = state.blocked_until {
        if until > now {
            return error(
                1004,
                &format!(
                    "5 bad logins reached, your ip adress is blocked till '{}'",
                    format_server_time(until)
                ),
            );
        }
        state.blocked_until = None;
    }
    let licname = get(query, "licname").unwrap_or("");
    let token = get(query, "token").unwrap_or("");
    let bad = if licname.is_empty() || token.is_empty() {
        Some((1001, "Token and name can not be empty"))
    } else if licname != shared.licname || token != shared.token {
        Some((1002, "Token or name not valid"))
    } else {
        None
    };
    if let Some((code, message)) = bad {
        state.bad_logins += 1;
        if state.bad_logins >= MAX_BAD_LOGINS {
            let until = now + Duration::minutes(BLOCK_MINUTES);
            state.blocked_until = Some(until);
            state.bad_logins = 0;
            return error(
                1004,
                &format!(
                    "5 bad logins reached, your ip adress is blocked till '{}'",
                    format_server_time(until)
                ),
            );
        }
        return error(code, message);
    }
    state.bad_logins = 0;
    if state.requests_today >= shared.daily_limit {
        let next = format_server_time(next_server_midnight(now));
        return error(
            1003,
            &format!(
                "Limit of '{}' requests per day reached, next request possible '{next}'",
                shared.daily_limit
            ),
        );
    }
    state.requests_today += 1;

    let Some(function) = FUNCTIONS
        .iter()
        .copied()
        .find(|f| query.iter().any(|(k, _)| k == f))
    else {
        return (
            StatusCode::BAD_REQUEST,
            json!({"success": 0, "message": "no function given"}),
        );
    };
    if shared.without.contains(function) {
        return error(1005, "No license for this module");
    }
    let data = &mut state.data;
    match function {
        "get-confirmedweborder" => {
            let id = get(post, "weborderid").unwrap_or("").trim();
            if id.is_empty() {
                return error(2002, "weborderid can not be empty");
            }
            match data.weborders.get(id) {
                None => error(2003, "weborderid does not exist"),
                Some(None) => error(2001, "weborder not confirmed"),
                Some(Some(time)) => ok(json!({"success": 1, "webordertime": time})),
            }
        }
        "get-invoicesigned" | "get-offersigned" | "get-creditnotesigned" => {
            let nr = get(post, "documentnr").unwrap_or("").trim();
            if nr.is_empty() {
                return error(2001, "Document nr can not be empty");
            }
            if data.documents_in_use.contains(nr) {
                return error(2002, "Document nr already in use");
            }
            let doctype = match function {
                "get-invoicesigned" => "1",
                "get-offersigned" => "2",
                _ => "3",
            };
            let found = data
                .records
                .get("get-invoices")
                .into_iter()
                .flatten()
                .find(|r| text(&r["number"]) == nr && text(&r["doctype"]) == doctype);
            match found.map(|r| number(&r["id"]).unwrap_or(0)) {
                Some(id) => {
                    // Signing creates the VAT ticket: the number is taken from now on.
                    data.documents_in_use.insert(nr.to_owned());
                    ok(json!({"success": 1, "vatticket": format!("VT{id:06}")}))
                }
                None => error(2000, "No document found"),
            }
        }
        "get-reservationpersons" | "get-reservationhours" => {
            let Some(date) = get(post, "date").and_then(parse_date) else {
                return error(2001, "Date can not be empty");
            };
            let closed = date.weekday() == Weekday::Mon || data.closed_dates.contains(&date);
            if function == "get-reservationpersons" {
                let max = data.reservation_hours.iter().map(|(_, p)| *p).max();
                match max.filter(|_| !closed) {
                    Some(max) => {
                        ok(json!({"success": 1, "persons": (1..=max).collect::<Vec<_>>()}))
                    }
                    None => error(2000, "No persons found"),
                }
            } else {
                let persons = get(post, "persons")
                    .and_then(|p| p.trim().parse::<u32>().ok())
                    .filter(|p| *p > 0);
                let Some(persons) = persons else {
                    return error(2002, "Persons can not be empty");
                };
                let hours: Vec<&str> = data
                    .reservation_hours
                    .iter()
                    .filter(|(_, cap)| !closed && *cap >= persons)
                    .map(|(h, _)| h.as_str())
                    .collect();
                // The document lists no 2000 here: no hours is an empty list.
                ok(json!({"success": 1, "hours": hours}))
            }
        }
        _ => {
            let records = filtered(data, function, query);
            if records.is_empty() {
                let word = match function {
                    "get-payment" => "payment",
                    "get-giftvoucher" => "vouchers",
                    other => noun(other),
                };
                return error(2000, &format!("No {word} found"));
            }
            ok(wrap(shared.envelope, function, records))
        }
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_owned(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn number(v: &Value) -> Option<u64> {
    text(v).parse().ok()
}

/// The records of a list function after its documented URL filters.
fn filtered(data: &SandboxData, function: &str, query: &[(String, String)]) -> Vec<Value> {
    let all = data.records.get(function).cloned().unwrap_or_default();
    let start = get(query, "start").and_then(|v| v.trim().parse::<u64>().ok());
    let end = get(query, "end").and_then(|v| v.trim().parse::<u64>().ok());
    let date = get(query, "date").and_then(parse_date);
    let in_range = |r: &Value| {
        let id = number(&r["id"]).unwrap_or(0);
        start.is_none_or(|s| id >= s) && end.is_none_or(|e| id <= e)
    };
    let on_date = |r: &Value, key: &str| {
        date.is_none_or(|d| text(&r[key]).get(..10).and_then(parse_date) == Some(d))
    };
    match function {
        "get-orders" => {
            let clock = query.iter().any(|(k, _)| k == "clockinclockout");
            all.into_iter()
                .filter(|r| in_range(r) && on_date(r, "ordertime"))
                .filter(|r| {
                    !clock || !text(&r["clockin"]).is_empty() || !text(&r["clockout"]).is_empty()
                })
                .collect()
        }
        "get-invoices" => all
            .into_iter()
            .filter(|r| in_range(r) && on_date(r, "date"))
            .collect(),
        "get-coupon" => all.into_iter().filter(in_range).collect(),
        "get-customercredits" => {
            match get(query, "customerid").and_then(|v| v.trim().parse::<u64>().ok()) {
                Some(customer) => all
                    .into_iter()
                    .filter(|r| number(&r["customerid"]) == Some(customer))
                    .collect(),
                // Without the filter: one balance per customer, without the top-up fields.
                None => {
                    let mut totals: BTreeMap<u64, (pos_client_core::Money, Value, Value)> =
                        BTreeMap::new();
                    for r in &all {
                        let Some(customer) = number(&r["customerid"]) else {
                            continue;
                        };
                        let value = text(&r["value"])
                            .parse::<pos_client_core::Money>()
                            .unwrap_or_default();
                        let entry = totals.entry(customer).or_insert_with(|| {
                            (
                                pos_client_core::Money::default(),
                                r["tagid"].clone(),
                                r["tagtype"].clone(),
                            )
                        });
                        entry.0 += value;
                    }
                    totals
                        .into_iter()
                        .map(|(customer, (value, tagid, tagtype))| {
                            json!({"customerid": customer.to_string(), "value": value.to_string(), "tagid": tagid, "tagtype": tagtype})
                        })
                        .collect()
                }
            }
        }
        _ => all,
    }
}

fn wrap(envelope: Envelope, function: &str, records: Vec<Value>) -> Value {
    match envelope {
        Envelope::Data => json!({"success": 1, "data": records}),
        Envelope::FunctionName => {
            let mut map = Map::new();
            map.insert("success".into(), json!(1));
            map.insert(function.into(), Value::Array(records));
            Value::Object(map)
        }
        Envelope::Noun => {
            let mut map = Map::new();
            map.insert("success".into(), json!(1));
            map.insert(noun(function).into(), Value::Array(records));
            Value::Object(map)
        }
        Envelope::BareArray => Value::Array(records),
        Envelope::KeyedById => {
            let mut map = Map::new();
            map.insert("success".into(), json!(1));
            for (i, r) in records.into_iter().enumerate() {
                let key = number(&r["id"]).map_or_else(|| i.to_string(), |id| id.to_string());
                map.insert(key, r);
            }
            Value::Object(map)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error codes per function as the vendor's document lists them (cloudpos-api.txt),
    /// transcribed here independently of [`documented_codes`].
    const DOCUMENT: [(&str, &[i64]); 19] = [
        ("get-categories", &[2000]),
        ("get-products", &[2000]),
        ("get-subproducts", &[2000]),
        ("get-customers", &[2000]),
        ("get-users", &[2000]),
        ("get-tables", &[2000]),
        ("get-payment", &[2000]),
        ("get-printers", &[2000]),
        ("get-orders", &[2000]),
        ("get-invoices", &[2000]),
        ("get-confirmedweborder", &[2001, 2002, 2003]),
        ("get-invoicesigned", &[2000, 2001, 2002]),
        ("get-offersigned", &[2000, 2001, 2002]),
        ("get-creditnotesigned", &[2000, 2001, 2002]),
        ("get-reservationpersons", &[2000, 2001]),
        ("get-reservationhours", &[2001, 2002]),
        ("get-giftvoucher", &[2000]),
        ("get-coupon", &[2000]),
        ("get-customercredits", &[2000]),
    ];

    fn shared(data: SandboxData) -> Shared {
        let today = server_date(Utc::now());
        Shared {
            licname: SANDBOX_LICNAME.into(),
            token: SANDBOX_TOKEN.into(),
            daily_limit: 10_000,
            envelope: Envelope::Data,
            without: BTreeSet::new(),
            state: Mutex::new(SandboxState {
                data,
                clock_offset: Duration::zero(),
                bad_logins: 0,
                blocked_until: None,
                day: today,
                requests_today: 0,
            }),
        }
    }

    type Pairs = Vec<(String, String)>;

    fn pairs_of(items: &[(&str, &str)]) -> Pairs {
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// Every request shape worth trying on `function`: no filters, empty, unknown and valid
    /// values, a closed day, an id range with nothing in it, and each seeded document twice.
    fn attempts(function: &str, open: &str, monday: &str) -> Vec<(Pairs, Pairs)> {
        let q = |extra: &[(&str, &str)]| {
            let mut v = pairs_of(&[
                ("licname", SANDBOX_LICNAME),
                ("token", SANDBOX_TOKEN),
                (function, ""),
            ]);
            v.extend(pairs_of(extra));
            v
        };
        let mut out = vec![
            (q(&[]), vec![]),
            (q(&[("start", "100"), ("end", "200")]), vec![]),
        ];
        out.push((q(&[("customerid", "99")]), vec![]));
        out.push((q(&[("date", "1999-01-01")]), vec![]));
        let posts: &[&[(&str, &str)]] = &[
            &[],
            &[("weborderid", "")],
            &[("weborderid", "W1001")],
            &[("weborderid", "W1002")],
            &[("weborderid", "W9")],
            &[("documentnr", "")],
            &[("documentnr", "nope")],
            &[("documentnr", "F2026-001")],
            &[("documentnr", "F2026-001")],
            &[("documentnr", "O2026-001")],
            &[("documentnr", "O2026-001")],
            &[("documentnr", "C2026-001")],
            &[("documentnr", "C2026-001")],
            &[("date", "")],
            &[("date", "not a date")],
            &[("date", open)],
            &[("date", monday)],
            &[("date", open), ("persons", "")],
            &[("date", open), ("persons", "0")],
            &[("date", open), ("persons", "2")],
            &[("date", open), ("persons", "99")],
            &[("date", monday), ("persons", "2")],
        ];
        out.extend(posts.iter().map(|p| (q(&[]), pairs_of(p))));
        out
    }

    #[test]
    fn each_function_answers_exactly_the_error_codes_the_document_lists() {
        let today = server_date(Utc::now());
        let mut open = today + Duration::days(1);
        while open.weekday() == Weekday::Mon {
            open += Duration::days(1);
        }
        let mut monday = today;
        while monday.weekday() != Weekday::Mon {
            monday += Duration::days(1);
        }
        let (open, monday) = (open.to_string(), monday.to_string());
        let empty = SandboxData {
            records: BTreeMap::new(),
            weborders: BTreeMap::new(),
            documents_in_use: BTreeSet::new(),
            reservation_hours: Vec::new(),
            closed_dates: BTreeSet::new(),
        };
        for (function, listed) in DOCUMENT {
            let mut seen = BTreeSet::new();
            for data in [SandboxData::seeded(today), empty.clone()] {
                let shared = shared(data);
                for (query, post) in attempts(function, &open, &monday) {
                    let (status, body) = answer(&shared, &query, &post);
                    assert_eq!(status, StatusCode::OK, "{function}: {body}");
                    if let Some(code) = body.get("errorcode").and_then(Value::as_i64) {
                        seen.insert(code);
                    } else {
                        assert_eq!(body["success"], json!(1), "{function}: {body}");
                    }
                }
            }
            assert_eq!(
                seen.into_iter().collect::<Vec<_>>(),
                listed,
                "{function}: the codes answered are the document's"
            );
            assert_eq!(documented_codes(function), listed, "{function}");
        }
    }

    #[test]
    fn signing_a_number_twice_answers_2002() {
        let shared = shared(SandboxData::seeded(server_date(Utc::now())));
        let query = pairs_of(&[
            ("licname", SANDBOX_LICNAME),
            ("token", SANDBOX_TOKEN),
            ("get-creditnotesigned", ""),
        ]);
        let post = pairs_of(&[("documentnr", "C2026-001")]);
        assert_eq!(
            answer(&shared, &query, &post).1,
            json!({"success": 1, "vatticket": "VT000003"})
        );
        assert_eq!(
            answer(&shared, &query, &post).1,
            json!({"errorcode": 2002, "message": "Document nr already in use"})
        );
    }
}
