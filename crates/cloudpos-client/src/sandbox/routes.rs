//! The request handler: login checks, the daily limit, the IP block and the answer of each
//! function.

use std::collections::BTreeMap;
use std::sync::Arc;

use pos_client_core::chrono::{Datelike, Duration, NaiveDate, Weekday};
use pos_client_core::encoding::parse_any_date as parse_date;
use pos_client_core::http::{Method, StatusCode};
use pos_client_core::sandbox::RecordedRequest;
use pos_client_core::sandbox::axum::{
    Json,
    extract::State,
    response::{IntoResponse, Response},
};
use serde_json::{Map, Value, json};

use super::data::SandboxData;
use super::functions::{FUNCTIONS, noun};
use super::{BLOCK_MINUTES, Envelope, MAX_BAD_LOGINS, SandboxState, Shared};
use crate::time::{format_server_time, next_server_midnight, server_date};

pub(super) fn roll_day(state: &mut SandboxState) {
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

/// The value of `key` as PHP's `$_GET`/`$_POST` hold it: the last one when the key repeats.
fn get<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rfind(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// An id or count written as the document's examples write them (`&start=1`, `&customerid=1`):
/// ASCII digits only, no sign, no padding.
fn digits(text: &str) -> Option<u64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// PHP's `$_POST` is the form body of a `POST` only: a JSON body, or a form body sent with
/// another method, fills nothing (the post filters are then absent).
pub(super) async fn handle(
    State(shared): State<Arc<Shared>>,
    request: RecordedRequest,
) -> Response {
    let post = if request.method == Method::POST {
        request.form_pairs()
    } else {
        Vec::new()
    };
    let (status, body) = answer(&shared, &request.query_pairs(), &post);
    (status, Json(body)).into_response()
}

/// The answer to one request, from its query and form pairs.
pub(super) fn answer(
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
            // Read as sent: a padded id is another id (it does not exist).
            let id = get(post, "weborderid").unwrap_or("");
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
            let nr = get(post, "documentnr").unwrap_or("");
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
            let date = match get(post, "date") {
                None | Some("") => return error(2001, "Date can not be empty"),
                // Only `YYYY-MM-DD`, the one date form the document shows: any other value is
                // a day with nothing available (2000 / no hours), never read leniently.
                Some(text) => iso_date(text),
            };
            let closed = date.is_none_or(|date| {
                date.weekday() == Weekday::Mon || data.closed_dates.contains(&date)
            });
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
                    .and_then(digits)
                    .and_then(|p| u32::try_from(p).ok())
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

/// A date written exactly `YYYY-MM-DD`, as the document's URL filter example.
fn iso_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let field = |r: std::ops::Range<usize>| text.get(r)?.parse::<u32>().ok();
    NaiveDate::from_ymd_opt(
        i32::try_from(field(0..4)?).ok()?,
        field(5..7)?,
        field(8..10)?,
    )
}

/// The records of a list function after its documented URL filters.
fn filtered(data: &SandboxData, function: &str, query: &[(String, String)]) -> Vec<Value> {
    let all = data.records.get(function).cloned().unwrap_or_default();
    // `start`/`end`/`customerid` as the document writes them (`&start=1`); any other value,
    // empty included, selects no record (2000), never every record.
    let start = get(query, "start").map(digits);
    let end = get(query, "end").map(digits);
    let unreadable = |bound: Option<Option<u64>>| matches!(bound, Some(None));
    if matches!(function, "get-orders" | "get-invoices" | "get-coupon")
        && (unreadable(start) || unreadable(end))
    {
        return Vec::new();
    }
    let (start, end) = (start.flatten(), end.flatten());
    // `date` as the document shows it (`&date=2016-01-01`); any other value, empty included,
    // selects no record (2000, the only code the document lists), never every record.
    let date = get(query, "date").map(iso_date);
    let in_range = |r: &Value| {
        let id = number(&r["id"]).unwrap_or(0);
        start.is_none_or(|s| id >= s) && end.is_none_or(|e| id <= e)
    };
    let on_date = |r: &Value, key: &str| match date {
        None => true,
        Some(None) => false,
        Some(Some(d)) => text(&r[key]).get(..10).and_then(parse_date) == Some(d),
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
            match get(query, "customerid").map(digits) {
                Some(None) => Vec::new(),
                Some(Some(customer)) => all
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

pub(super) fn wrap(envelope: Envelope, function: &str, records: Vec<Value>) -> Value {
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
    use std::collections::BTreeSet;
    use std::sync::Mutex;

    use pos_client_core::chrono::Utc;

    use super::*;
    use crate::sandbox::{SANDBOX_LICNAME, SANDBOX_TOKEN, documented_codes};

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
