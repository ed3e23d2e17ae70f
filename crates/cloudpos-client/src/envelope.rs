//! Decoding CloudPOS answers: the envelope, error codes, and lenient normalization of fields.
//!
//! The vendor documents `"success" = 1` and `"errorcode" = …` but not where the records sit.
//! Accepted shapes, for a list function (`get-products` …):
//!
//! 1. a bare JSON array of records: `[{"id":1,…},…]`;
//! 2. an object with the records under `data`, under the function name (`"get-products"`), under
//!    the plural noun (`"products"`), or under `records`/`result`/`results`/`items`:
//!    `{"success":1,"products":[…]}`;
//! 3. an object whose only array-valued field holds the records: `{"success":1,"list":[…]}`;
//! 4. records keyed by id, as PHP's `json_encode` writes a non-sequential array, at the top or
//!    under one of the keys above: `{"success":1,"0":{…},"1":{…}}`, `{"data":{"12":{…}}}`;
//! 5. one record object where a list was expected (`{"success":1,"data":{"id":1,…}}` or
//!    `{"id":1,…}`): a list of one. Such a record keeps every field but `success` and
//!    `errorcode`, the only envelope fields the document names: a table's own `status`
//!    (`{"id":4,"table":"4","status":2}`) is the record's, not the envelope's;
//! 6. `{"success":1}` with nothing else, `null` or an empty body: an empty list.
//!
//! For a function that returns one record (`get-confirmedweborder` …) the record's fields sit
//! at the top level next to `success`, or in an object under `data`.
//!
//! Any object with a non-zero `errorcode` (a number or a numeric string) is an error, whatever
//! else it holds; the message is read from `message`, `error`, `msg` or `errormessage`. `errorcode`
//! 2000 ("No … found") on a list function is an empty list.
//!
//! The document says success is `"success" = 1`. An object with `success` 0 (`0`, `"0"` or
//! `false`) and no error code is therefore an error, `ErrorCode::Unknown(0, message)`, never
//! an empty list: an empty list would hide a failure as "nothing found".
//!
//! Before records are decoded into the [models](crate::models), known date fields are
//! normalized: `date`, `expirationdate`, `validfrom` and `validuntil` to `YYYY-MM-DD` (from
//! `DD-MM-YYYY`, `DD/MM/YYYY` or a date with a time; `""`, `0000-00-00` and unreadable text become
//! absent), `ordertime` to an ISO date-time, an empty `tagtype`/`status`/`doctype`/`valuetype` to absent,
//! `tagtype` to lower case, and `productlink`,
//! `persons` and `hours` given as one value or a comma-separated string to an array.

use pos_client_core::Response;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, parse_date, parse_datetime_field};

/// The envelope fields the document names.
const ENVELOPE_KEYS: [&str; 2] = ["success", "errorcode"];

/// Keys that may describe the envelope; ignored when looking for the records, but kept in a
/// record that sits at the top level.
const META_KEYS: [&str; 10] = [
    "success",
    "errorcode",
    "message",
    "error",
    "msg",
    "errormessage",
    "status",
    "count",
    "total",
    "time",
];

/// Keys that may hold the records, besides the function name and the noun.
const RECORD_KEYS: [&str; 5] = ["data", "records", "result", "results", "items"];

/// Reads the `errorcode` and message from an answer, if it carries a non-zero code.
///
/// Returns `Err` with a description when `errorcode` is present but not a number.
pub(crate) fn error_code(value: &Value) -> Result<Option<(i64, Option<String>)>, String> {
    let Value::Object(map) = value else {
        return Ok(None);
    };
    let code = match map.get("errorcode") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .ok_or_else(|| format!("errorcode {n} is not an integer"))?,
        Some(Value::String(s)) if s.trim().is_empty() => 0,
        Some(Value::String(s)) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| format!("errorcode {s:?} is not a number"))?,
        Some(other) => return Err(format!("errorcode {other} is not a number")),
    };
    if code == 0 {
        return Ok(failed(map).then(|| (0, message(map))));
    }
    Ok(Some((code, message(map))))
}

/// Whether `success` says the call failed: `0`, `"0"` or `false` (absent is not a failure).
fn failed(map: &Map<String, Value>) -> bool {
    match map.get("success") {
        Some(Value::Number(n)) => n.as_f64() == Some(0.0),
        Some(Value::String(s)) => matches!(s.trim(), "0" | "false"),
        Some(Value::Bool(b)) => !b,
        _ => false,
    }
}

/// The server's message, from `message`, `error`, `msg` or `errormessage`.
fn message(map: &Map<String, Value>) -> Option<String> {
    ["message", "error", "msg", "errormessage"]
        .iter()
        .find_map(|k| match map.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        })
}

/// Parses the body as JSON (an empty body is `null`).
fn parse_body(response: &Response) -> Result<Value, Error> {
    let body = response.body();
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(body)
        .map_err(|e| Error::from(response.decode_error(format!("the answer is not JSON: {e}"))))
}

/// Turns an `errorcode` answer into [`Error::Api`], redacting the token from the message.
fn api_error(
    response: &Response,
    function: &'static str,
    code: i64,
    message: Option<String>,
    secrets: &[&str],
) -> Error {
    let message = message.map(|m| pos_client_core::redact::redact_secrets(&m, secrets));
    Error::Api {
        function,
        code: ErrorCode::from_wire(function, code, message.as_deref()),
        message,
        status: response.status(),
    }
}

/// Whether every value of `map` is an object (and there is at least one).
fn all_objects(map: &Map<String, Value>) -> bool {
    !map.is_empty() && map.values().all(Value::is_object)
}

/// The values of records keyed by id, in numeric key order where the keys are numbers.
fn keyed_values(map: Map<String, Value>) -> Vec<Value> {
    let mut entries: Vec<(String, Value)> = map.into_iter().collect();
    entries.sort_by_key(|(k, _)| (k.trim().parse::<u64>().unwrap_or(u64::MAX), k.clone()));
    entries.into_iter().map(|(_, v)| v).collect()
}

/// The records of a list answer, per the rules in the module docs.
pub(crate) fn extract_records(value: Value, function: &str, noun: &str) -> Vec<Value> {
    match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            let keys = RECORD_KEYS.iter().copied().chain([function, noun]);
            for key in keys {
                if let Some(inner) = map.remove(key) {
                    return match inner {
                        Value::Array(items) => items,
                        Value::Object(m) if all_objects(&m) && !m.contains_key("id") => {
                            keyed_values(m)
                        }
                        record @ Value::Object(_) => vec![record],
                        _ => Vec::new(),
                    };
                }
            }
            let meta = |k: &String| META_KEYS.contains(&k.as_str());
            let rest = || map.iter().filter(|(k, _)| !meta(k));
            let arrays: Vec<String> = rest()
                .filter(|(_, v)| v.is_array())
                .map(|(k, _)| k.clone())
                .collect();
            // A record with one array field (a subproduct's `productlink`) is a record.
            if arrays.len() == 1
                && rest().all(|(_, v)| v.is_array() || !v.is_object())
                && !map.contains_key("id")
            {
                return match map.remove(&arrays[0]) {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
            }
            if rest().next().is_none() {
                return Vec::new();
            }
            if rest().all(|(_, v)| v.is_object()) {
                map.retain(|k, _| !meta(k));
                return keyed_values(map);
            }
            // One record: all its fields, including any that look like envelope fields.
            map.retain(|k, _| !ENVELOPE_KEYS.contains(&k.as_str()));
            vec![Value::Object(map)]
        }
        _ => Vec::new(),
    }
}

/// Decodes a list function's answer. `noun` is the plural in the function name (`products`).
pub(crate) fn decode_list<T: DeserializeOwned>(
    response: &Response,
    function: &'static str,
    noun: &str,
    secrets: &[&str],
) -> Result<Vec<T>, Error> {
    let value = parse_body(response)?;
    match error_code(&value) {
        Ok(Some((2000, _))) => return Ok(Vec::new()),
        Ok(Some((code, message))) => {
            return Err(api_error(response, function, code, message, secrets));
        }
        Ok(None) => {}
        Err(e) => return Err(Error::from(response.decode_error(e))),
    }
    extract_records(value, function, noun)
        .into_iter()
        .enumerate()
        .map(|(i, mut record)| {
            normalize(&mut record);
            serde_json::from_value(record).map_err(|e| {
                Error::from(response.decode_error(format!("{function}: record {i}: {e}")))
            })
        })
        .collect()
}

/// Decodes the answer of a function that returns one record (its fields at the top level, or
/// under `data`). `list_key` names a field that may come as a bare array instead
/// (`persons` of `get-reservationpersons`).
pub(crate) fn decode_one<T: DeserializeOwned>(
    response: &Response,
    function: &'static str,
    list_key: Option<&str>,
    secrets: &[&str],
) -> Result<T, Error> {
    let value = parse_body(response)?;
    match error_code(&value) {
        Ok(Some((2000, _))) if list_key.is_some() => {
            let mut empty = Map::new();
            if let Some(key) = list_key {
                empty.insert(key.to_owned(), Value::Array(Vec::new()));
            }
            return serde_json::from_value(Value::Object(empty))
                .map_err(|e| Error::from(response.decode_error(format!("{function}: {e}"))));
        }
        Ok(Some((code, message))) => {
            return Err(api_error(response, function, code, message, secrets));
        }
        Ok(None) => {}
        Err(e) => return Err(Error::from(response.decode_error(e))),
    }
    let mut record = match value {
        Value::Object(mut map) => match map.remove("data") {
            Some(inner @ Value::Object(_)) => inner,
            Some(Value::Array(items)) => match list_key {
                Some(key) if items.iter().all(|v| !v.is_object()) => {
                    Value::Object(Map::from_iter([(key.to_owned(), Value::Array(items))]))
                }
                _ => items.into_iter().next().unwrap_or(Value::Null),
            },
            Some(other) => {
                map.insert("data".to_owned(), other);
                Value::Object(map)
            }
            None => Value::Object(map),
        },
        Value::Array(items) => match list_key {
            Some(key) if items.iter().all(|v| !v.is_object()) => {
                Value::Object(Map::from_iter([(key.to_owned(), Value::Array(items))]))
            }
            _ => items.into_iter().next().unwrap_or(Value::Null),
        },
        other => other,
    };
    if record.is_null() {
        record = Value::Object(Map::new());
    }
    normalize(&mut record);
    serde_json::from_value(record)
        .map_err(|e| Error::from(response.decode_error(format!("{function}: {e}"))))
}

/// Date fields normalized to `YYYY-MM-DD`.
const DATE_FIELDS: [&str; 4] = ["date", "expirationdate", "validfrom", "validuntil"];
/// Date-time fields normalized to ISO 8601 (`YYYY-MM-DDTHH:MM:SS`).
const DATETIME_FIELDS: [&str; 1] = ["ordertime"];

/// Normalizes the fields listed in the module docs, recursively (order and invoice lines too).
pub(crate) fn normalize(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                let key = key.as_str();
                if DATE_FIELDS.contains(&key) {
                    *v = normalize_date(v);
                } else if DATETIME_FIELDS.contains(&key) {
                    *v = normalize_datetime(v);
                } else if ENUM_FIELDS.contains(&key) {
                    if let Value::String(s) = v {
                        let t = s.trim();
                        *v = if t.is_empty() {
                            Value::Null
                        } else if key == "tagtype" {
                            Value::String(t.to_ascii_lowercase())
                        } else {
                            Value::String(t.to_owned())
                        };
                    }
                } else if LIST_FIELDS.contains(&key) {
                    *v = normalize_list(key, v.take());
                } else {
                    normalize(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize),
        _ => {}
    }
}

/// Fields decoded into enums: `""` is absent, text is trimmed, `tagtype` is lower-cased.
const ENUM_FIELDS: [&str; 4] = ["tagtype", "status", "doctype", "valuetype"];

/// Fields that hold a list of scalars (ids, party sizes, hours) and may arrive as one scalar or
/// a comma-separated string.
const LIST_FIELDS: [&str; 3] = ["productlink", "persons", "hours"];

fn normalize_list(key: &str, v: Value) -> Value {
    match v {
        Value::String(s) => {
            let separators: &[char] = if key == "hours" {
                &[',', ';']
            } else {
                &[',', ';', ' ']
            };
            Value::Array(
                s.split(separators)
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| Value::String(p.to_owned()))
                    .collect(),
            )
        }
        n @ Value::Number(_) => Value::Array(vec![n]),
        other => other,
    }
}

fn normalize_date(v: &Value) -> Value {
    let Value::String(s) = v else {
        return Value::Null;
    };
    let t = s.trim();
    let date = parse_date(t)
        .or_else(|| parse_datetime_field(t).map(|dt| dt.date()))
        .or_else(|| t.get(..10).and_then(parse_date));
    match date {
        Some(d) => Value::String(d.format("%Y-%m-%d").to_string()),
        None => {
            if !t.is_empty() && !t.starts_with("0000") {
                tracing::debug!(value = t, "cloudpos: unreadable date read as absent");
            }
            Value::Null
        }
    }
}

fn normalize_datetime(v: &Value) -> Value {
    let Value::String(s) = v else {
        return Value::Null;
    };
    let t = s.trim();
    let parsed =
        parse_datetime_field(t).or_else(|| parse_date(t).and_then(|d| d.and_hms_opt(0, 0, 0)));
    match parsed {
        Some(dt) => Value::String(dt.format("%Y-%m-%dT%H:%M:%S").to_string()),
        None => {
            if !t.is_empty() && !t.starts_with("0000") {
                tracing::debug!(value = t, "cloudpos: unreadable date-time read as absent");
            }
            Value::Null
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ids(records: Vec<Value>) -> Vec<i64> {
        records
            .iter()
            .map(|r| r["id"].as_i64().unwrap_or(-1))
            .collect()
    }

    #[test]
    fn every_documented_envelope_shape_yields_the_records() {
        let f = |v: Value| ids(extract_records(v, "get-products", "products"));
        assert_eq!(f(json!([{"id":1},{"id":2}])), [1, 2]);
        assert_eq!(f(json!({"success":1,"data":[{"id":1},{"id":2}]})), [1, 2]);
        assert_eq!(f(json!({"success":1,"products":[{"id":3}]})), [3]);
        assert_eq!(f(json!({"success":"1","get-products":[{"id":4}]})), [4]);
        assert_eq!(f(json!({"success":1,"whatever":[{"id":5}]})), [5]);
        assert_eq!(f(json!({"success":1,"0":{"id":6},"1":{"id":7}})), [6, 7]);
        assert_eq!(f(json!({"success":1,"10":{"id":10},"2":{"id":2}})), [2, 10]);
        assert_eq!(
            f(json!({"success":1,"data":{"6":{"id":6},"7":{"id":7}}})),
            [6, 7]
        );
        assert_eq!(f(json!({"success":1,"data":{"id":8,"name":"x"}})), [8]);
        assert_eq!(f(json!({"id":9,"productlink":[1,2]})), [9]);
        // A top-level record keeps its own `status` (and other envelope-looking fields).
        let table = extract_records(
            json!({"success":1,"id":4,"table":"4","status":"2"}),
            "get-tables",
            "tables",
        );
        assert_eq!(table, [json!({"id":4,"table":"4","status":"2"})]);
        assert_eq!(f(json!({"success":1})), Vec::<i64>::new());
        assert_eq!(f(json!({"success":1,"data":[]})), Vec::<i64>::new());
        assert_eq!(f(json!({"success":1,"data":null})), Vec::<i64>::new());
        assert_eq!(f(Value::Null), Vec::<i64>::new());
    }

    #[test]
    fn errorcodes_are_numbers_or_strings() {
        assert_eq!(
            error_code(&json!({"errorcode":1002,"message":"Token or name not valid"})),
            Ok(Some((1002, Some("Token or name not valid".into()))))
        );
        assert_eq!(
            error_code(&json!({"errorcode":"1003","error":"Limit"})),
            Ok(Some((1003, Some("Limit".into()))))
        );
        assert_eq!(
            error_code(&json!({"errorcode":2000})),
            Ok(Some((2000, None)))
        );
        assert_eq!(
            error_code(&json!({"errorcode":"2001","msg":" x "})),
            Ok(Some((2001, Some("x".into()))))
        );
        assert_eq!(error_code(&json!({"success":1,"errorcode":0})), Ok(None));
        assert_eq!(error_code(&json!({"success":1})), Ok(None));
        assert_eq!(error_code(&json!([1])), Ok(None));
        assert!(error_code(&json!({"errorcode":"abc"})).is_err());
        // success 0 without a code is a failure (code 0), never "nothing found".
        assert_eq!(error_code(&json!({"success":0})), Ok(Some((0, None))));
        assert_eq!(
            error_code(&json!({"success":"0","message":"x"})),
            Ok(Some((0, Some("x".into()))))
        );
        assert_eq!(
            error_code(&json!({"success":false,"errorcode":""})),
            Ok(Some((0, None)))
        );
    }

    #[test]
    fn dates_times_tags_and_links_are_normalized() {
        let mut v = json!([{
            "date": "25/11/2026", "expirationdate": "0000-00-00", "validfrom": "2026-11-25 10:00:00",
            "validuntil": "", "ordertime": "2026-11-25 10:11", "tagtype": " RFID ", "doctype": "", "status": " 1",
            "productlink": "1, 2,3", "persons": 4, "hours": "12:00, 18:30",
            "invoicedetail": [{"date": "01-02-2026"}]
        }]);
        normalize(&mut v);
        assert_eq!(
            v,
            json!([{
                "date": "2026-11-25", "expirationdate": null, "validfrom": "2026-11-25",
                "validuntil": null, "ordertime": "2026-11-25T10:11:00", "tagtype": "rfid", "doctype": null, "status": "1",
                "productlink": ["1", "2", "3"], "persons": [4], "hours": ["12:00", "18:30"],
                "invoicedetail": [{"date": "2026-02-01"}]
            }])
        );
    }
}
