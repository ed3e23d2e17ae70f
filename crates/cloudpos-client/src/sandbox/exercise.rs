//! [`Exercise`] for the CloudPOS sandbox: every function of the spec notes
//! ([`crate::models::OPERATIONS`]) run once through a fresh client, and the client's decoding of
//! any answer, offline, for the reliability suite (fault matrix, seeded mutation).
//!
//! Every function is a request to `/api/` told apart by its bare query flag, so a function's
//! route is `Route::path("/api/").flag(function)` ([`Sandbox::route`]). Nothing needs a login:
//! the credentials travel in every request, so the operation's own request is the first and only
//! request on its route after `inject`.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use pos_client_core::chrono::{Datelike, Duration, Weekday};
use pos_client_core::http::{HeaderMap, Method, StatusCode};
use pos_client_core::sandbox::axum::body::Bytes;
use pos_client_core::sandbox::{Route, Run, Sample, Summary, VendorExercise, unsupported};
use pos_client_core::secrecy::SecretString;
use pos_client_core::{decode_answer, read_answer};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::functions::{FUNCTIONS, documented_codes, noun};
use super::routes::{answer, wrap};
use super::{Envelope, Sandbox, SandboxState, Shared};
use crate::client::{Hours, Persons, signed_document};
use crate::envelope::{One, Records};
use crate::error::Error;
use crate::models::{
    Category, Coupon, CouponFilter, Customer, CustomerCredit, GiftVoucher, Invoice, InvoiceFilter,
    OrderFilter, PaymentMethod, Printer, Product, Subproduct, Table, User, WeborderConfirmation,
    WireOrder,
};
use crate::orders::Order;
use crate::protocol::{CloudPos, Credentials, VENDOR};

/// Numbers of the documents signed by the exerciser: unique across runs and sandboxes.
static DOCUMENTS: AtomicU64 = AtomicU64::new(1);

/// The signing functions and the `doctype` of the document each signs.
fn doctype(function: &str) -> Option<&'static str> {
    match function {
        "get-invoicesigned" => Some("1"),
        "get-offersigned" => Some("2"),
        "get-creditnotesigned" => Some("3"),
        _ => None,
    }
}

/// Whether the client sends `function` as a POST with a form body (its "post filters").
fn is_post(function: &str) -> bool {
    matches!(
        function,
        "get-confirmedweborder"
            | "get-invoicesigned"
            | "get-offersigned"
            | "get-creditnotesigned"
            | "get-reservationpersons"
            | "get-reservationhours"
    )
}

impl Sandbox {
    /// A document of `doctype` with a number never used before, added to `get-invoices`, so
    /// signing it succeeds once.
    fn fresh_document(&self, doctype: &str) -> String {
        let n = DOCUMENTS.fetch_add(1, Ordering::Relaxed);
        let number = format!("EX-{doctype}-{n:06}");
        let mut invoices = self.records("get-invoices");
        invoices.push(json!({
            "id": (1000 + n).to_string(), "customerid": "1", "totalprice": "10.00",
            "date": self.today().format("%Y-%m-%d").to_string(), "number": number,
            "doctype": doctype, "note": "", "invoicedetail": [], "docfromvatticket": "0"
        }));
        self.set_records("get-invoices", invoices);
        number
    }

    /// A day the sandbox takes reservations on (it is closed on Mondays).
    fn open_day(&self) -> pos_client_core::chrono::NaiveDate {
        let today = self.today();
        if today.weekday() == Weekday::Mon {
            today + Duration::days(1)
        } else {
            today
        }
    }

    /// Runs `function` through `client` once, with input from the sandbox's data.
    async fn call(&self, client: &crate::Client, function: &str) -> Result<(), Error> {
        match function {
            "get-categories" => client.categories().await.map(drop),
            "get-products" => client.products().await.map(drop),
            "get-subproducts" => client.subproducts().await.map(drop),
            "get-customers" => client.customers().await.map(drop),
            "get-users" => client.users().await.map(drop),
            "get-tables" => client.tables().await.map(drop),
            "get-payment" => client.payment_methods().await.map(drop),
            "get-printers" => client.printers().await.map(drop),
            "get-orders" => client.orders(&OrderFilter::new()).await.map(drop),
            "get-invoices" => client.invoices(&InvoiceFilter::new()).await.map(drop),
            "get-confirmedweborder" => client.confirmed_weborder("W1001").await.map(drop),
            "get-giftvoucher" => client.gift_vouchers().await.map(drop),
            "get-coupon" => client.coupons(&CouponFilter::new()).await.map(drop),
            "get-customercredits" => client.customer_credits(Some(1)).await.map(drop),
            other => Err(Error::validation(format!(
                "{other}: not a CloudPOS function"
            ))),
        }
    }

    /// A copy of the sandbox's state and settings, for answers that change nothing here.
    fn scratch(&self) -> Shared {
        let state = self.shared.lock();
        Shared {
            licname: self.shared.licname.clone(),
            token: self.shared.token.clone(),
            daily_limit: u32::MAX,
            envelope: self.shared.envelope,
            without: BTreeSet::new(),
            state: Mutex::new(SandboxState {
                data: state.data.clone(),
                clock_offset: state.clock_offset,
                bad_logins: 0,
                blocked_until: None,
                day: state.day,
                requests_today: 0,
            }),
        }
    }
}

/// `T` decoded from an answer of `op` by the client's protocol, mapped as the suite wants it.
fn decoded<T: DeserializeOwned>(
    protocol: &CloudPos,
    op: &pos_client_core::Operation,
    status: StatusCode,
    body: &[u8],
) -> Result<T, Error> {
    decode_answer::<CloudPos, T>(
        protocol,
        op,
        status,
        HeaderMap::new(),
        Bytes::copy_from_slice(body),
    )
}

impl VendorExercise for Sandbox {
    fn route(&self, operation: &str) -> Route {
        Sandbox::route(operation)
    }

    async fn run(&self, run: Run<'_>) -> Result<(), Summary> {
        let (operation, settings, inject) = (run.operation, run.settings, run.inject);
        if !FUNCTIONS.contains(&operation) {
            return Err(unsupported(VENDOR, operation));
        }
        let client = settings
            .apply(self.client_builder())
            .build()
            .map_err(|e| Summary::from(&e))?;
        // A first request on another function's route opens the pooled connection, so the
        // operation's own attempt spends its short timeout on the request alone.
        let warm_up = if operation == "get-printers" {
            client.categories().await.map(drop)
        } else {
            client.printers().await.map(drop)
        };
        warm_up.map_err(|e| Summary::from(&e))?;
        // Set up first, without faults: a fresh document for a signing, an open day for a
        // reservation. The credentials travel in every request: no login in between.
        let result = if let Some(doctype) = doctype(operation) {
            let number = self.fresh_document(doctype);
            inject();
            match operation {
                "get-invoicesigned" => client.invoice_signed(&number).await,
                "get-offersigned" => client.offer_signed(&number).await,
                _ => client.credit_note_signed(&number).await,
            }
            .map(drop)
        } else if operation == "get-reservationpersons" {
            let day = self.open_day();
            inject();
            client.reservation_persons(day).await.map(drop)
        } else if operation == "get-reservationhours" {
            let day = self.open_day();
            inject();
            client.reservation_hours(day, 2).await.map(drop)
        } else {
            inject();
            self.call(&client, operation).await
        };
        result.map_err(|e| Summary::from(&e))
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        let Some(function) = FUNCTIONS.iter().copied().find(|f| *f == operation) else {
            return Err(unsupported(VENDOR, operation));
        };
        let credentials = Credentials::new(
            &self.shared.licname,
            SecretString::from(self.shared.token.clone()),
        )
        .map_err(|e| Summary::from(&e))?;
        let protocol = CloudPos::new(
            credentials,
            crate::guard::guards(
                crate::client::DEFAULT_DAILY_QUOTA,
                1,
                pos_client_core::guard::system_clock(),
            ),
        );
        // The operation as the client builds it (its name, method, kind and secrets).
        let method = if is_post(function) {
            Method::POST
        } else {
            Method::GET
        };
        let op = protocol.operation(function, method, doctype(function).is_some());
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let p = &protocol;
        let result = match function {
            "get-categories" => decoded::<Records<Category>>(p, &op, status, body).map(drop),
            "get-products" => decoded::<Records<Product>>(p, &op, status, body).map(drop),
            "get-subproducts" => decoded::<Records<Subproduct>>(p, &op, status, body).map(drop),
            "get-customers" => decoded::<Records<Customer>>(p, &op, status, body).map(drop),
            "get-users" => decoded::<Records<User>>(p, &op, status, body).map(drop),
            "get-tables" => decoded::<Records<Table>>(p, &op, status, body).map(drop),
            "get-payment" => decoded::<Records<PaymentMethod>>(p, &op, status, body).map(drop),
            "get-printers" => decoded::<Records<Printer>>(p, &op, status, body).map(drop),
            // The client turns each wire order into an `Order` (lines, typed payments).
            "get-orders" => {
                decoded::<Records<WireOrder>>(p, &op, status, body).map(|Records(orders)| {
                    let _: Vec<Order> = orders.into_iter().map(Order::from).collect();
                })
            }
            "get-invoices" => decoded::<Records<Invoice>>(p, &op, status, body).map(drop),
            "get-confirmedweborder" => {
                decoded::<One<WeborderConfirmation>>(p, &op, status, body).map(drop)
            }
            "get-invoicesigned" | "get-offersigned" | "get-creditnotesigned" => read_answer(
                p,
                &op,
                status,
                HeaderMap::new(),
                Bytes::copy_from_slice(body),
            )
            .and_then(|response| signed_document(&response))
            .map(drop),
            "get-reservationpersons" => decoded::<Persons>(p, &op, status, body).map(drop),
            "get-reservationhours" => decoded::<Hours>(p, &op, status, body).map(drop),
            "get-giftvoucher" => decoded::<Records<GiftVoucher>>(p, &op, status, body).map(drop),
            "get-coupon" => decoded::<Records<Coupon>>(p, &op, status, body).map(drop),
            "get-customercredits" => {
                decoded::<Records<CustomerCredit>>(p, &op, status, body).map(drop)
            }
            other => return Err(unsupported(VENDOR, other)),
        };
        result.map_err(|e| Summary::from(&e))
    }

    fn corpus(&self) -> Vec<Sample> {
        let scratch = self.scratch();
        let today = self.open_day().format("%Y-%m-%d").to_string();
        let signable = |doctype: &str| {
            let state = scratch.lock();
            state
                .data
                .records
                .get("get-invoices")
                .into_iter()
                .flatten()
                .find(|r| r["doctype"].as_str() == Some(doctype))
                .and_then(|r| r["number"].as_str().map(str::to_owned))
                .unwrap_or_default()
        };
        let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        let mut out: Vec<Sample> = Vec::new();
        let mut push = |function: &'static str, status: StatusCode, body: &Value| {
            out.push((
                function,
                status.as_u16(),
                serde_json::to_vec(body).unwrap_or_default(),
            ));
        };
        for function in FUNCTIONS {
            // The sandbox's own answer, with the credentials and the function in the query.
            let mut query = pairs(&[
                ("licname", scratch.licname.as_str()),
                ("token", scratch.token.as_str()),
                (function, ""),
            ]);
            if function == "get-customercredits" {
                query.extend(pairs(&[("customerid", "1")]));
            }
            let post = match function {
                "get-confirmedweborder" => pairs(&[("weborderid", "W1001")]),
                "get-reservationpersons" => pairs(&[("date", today.as_str())]),
                "get-reservationhours" => pairs(&[("date", today.as_str()), ("persons", "2")]),
                f => match doctype(f) {
                    Some(doctype) => pairs(&[("documentnr", signable(doctype).as_str())]),
                    None => Vec::new(),
                },
            };
            let (status, body) = answer(&scratch, &query, &post);
            push(function, status, &body);
            // The other envelopes the client accepts for a list (the envelope code is shared by
            // every list: two functions stand for the rest, to keep the mutation test fast).
            if matches!(function, "get-products" | "get-orders") {
                let records = scratch
                    .lock()
                    .data
                    .records
                    .get(function)
                    .cloned()
                    .unwrap_or_default();
                for envelope in [
                    Envelope::FunctionName,
                    Envelope::Noun,
                    Envelope::BareArray,
                    Envelope::KeyedById,
                ] {
                    push(
                        function,
                        StatusCode::OK,
                        &wrap(envelope, function, records.clone()),
                    );
                }
            }
            // The document's error answers: the codes it lists for this function.
            for code in documented_codes(function) {
                let message = match *code {
                    2000 => format!("No {} found", noun(function)),
                    _ => "can not be empty".to_owned(),
                };
                push(
                    function,
                    StatusCode::OK,
                    &json!({"errorcode": code, "message": message}),
                );
            }
        }
        // The document's general errors (1001-1005 are read alike for every function) and a
        // success without records.
        for body in [
            json!({"errorcode": 1002, "message": "Token or name not valid"}),
            json!({"errorcode": "1003", "message": "Limit of '500' requests per day reached, next request possible '2026-01-02 00:00:00'"}),
            json!({"errorcode": 1004, "message": "5 bad logins reached, your ip adress is blocked till '2026-01-01 12:30:00'"}),
            json!({"errorcode": 1005, "message": "No license for this module"}),
            json!({"success": 1}),
        ] {
            push("get-products", StatusCode::OK, &body);
        }
        push(
            "get-invoicesigned",
            StatusCode::OK,
            &json!({"errorcode": 1002, "message": "Token or name not valid"}),
        );
        out
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.shared.token.clone()]
    }
}
