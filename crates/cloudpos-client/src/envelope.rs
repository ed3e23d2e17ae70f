//! Where a CloudPOS answer keeps its records or its error, read straight from the body bytes.
//!
//! The vendor documents `"success" = 1` and `"errorcode" = …` but not where the records sit.
//! Accepted shapes, for a list function (`get-products` …):
//!
//! 1. a bare JSON array of records: `[{"id":1,…},…]`;
//! 2. an object with the records under `data`, `records`, `result`, `results`, `items`, the
//!    function name (`"get-products"`) or its noun (`"products"`, also for `get-coupon`'s
//!    `"coupons"`): `{"success":1,"products":[…]}`. Under the function name or noun only an
//!    array, an object or `null` is the records: a scalar there is a field of one record
//!    (`get-payment`'s `{"success":1,"id":1,"payment":"Cash"}`). An object with an `id` of
//!    its own is one record (5.), so none of its fields is ever taken as the list;
//! 3. an object whose only array-valued field holds the records: `{"success":1,"list":[…]}`;
//! 4. records keyed by id, as PHP's `json_encode` writes a non-sequential array, at the top or
//!    under one of the keys above: `{"success":1,"0":{…},"1":{…}}`, `{"data":{"12":{…}}}`;
//! 5. one record object where a list was expected (`{"success":1,"data":{"id":1,…}}` or
//!    `{"id":1,…}`): a list of one. The record keeps every field: `success` and `errorcode`,
//!    the only envelope fields the document names, are simply not fields of any model, so a
//!    table's own `status` (`{"id":4,"table":"4","status":2}`) is the record's;
//! 6. `{"success":1}` with nothing else, or `null`: an empty list. An empty body is neither
//!    answer the document gives (`"success" = 1` or an `errorcode`): a decode error, as for a
//!    body cut short.
//!    A JSON scalar where the records were expected (`"data": ""`) is none too; a body that is
//!    not JSON at all is a decode error, even when it starts like one (`nothing here`).
//!
//! For a function that returns one record (`get-confirmedweborder` …) the record's fields sit
//! at the top level next to `success`, or in an object under `data`.
//!
//! Any object with a non-zero `errorcode` (a number, a numeric string, or a string that starts
//! with the number and goes on with its meaning, as the document writes them:
//! `"1002 Token or name not valid"`) is an error, whatever else it holds; the message is read
//! from `message`, `error`, `msg` or `errormessage`, else the text after the code's number.
//! `errorcode` 2000 ("No … found") on a list function (and on the reservation lists) is an
//! empty list, whatever the HTTP status (a server may send it with 404). The document says
//! success is `"success" = 1`, so an object with `success` 0
//! (`0`, `"0"` or `false`) and no error code is an error, `ErrorCode::Unknown(0, message)`,
//! never an empty list: an empty list would hide a failure as "nothing found".
//!
//! Only the top level of the answer is looked at here (its values kept as raw JSON text); the
//! records are then decoded once, from their bytes, into the [models](crate::models).

use pos_client_core::Payload;
use pos_client_core::encoding::{int_text, scalar_text, without_bom};
use pos_client_core::serde_with::de::DeserializeAsWrap;
use pos_client_core::serde_with::ser::SerializeAsWrap;
use pos_client_core::serde_with::{Map, Same};
use serde::Deserialize;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeOwned, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Keys that may describe the envelope; ignored when looking for the records.
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

/// Keys that may hold the records, besides the function name and its noun.
const RECORD_KEYS: [&str; 5] = ["data", "records", "result", "results", "items"];

/// Keys that may hold the server's message, in order of preference.
const MESSAGE_KEYS: [&str; 4] = ["message", "error", "msg", "errormessage"];

/// What a function answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A list of records (2000 is an empty list).
    List,
    /// One record (2000 is an error).
    Record,
    /// One list field (`persons`, `hours`) of a record, or the bare list (2000 is empty).
    Field,
}

impl Shape {
    /// The shape of `function`'s answer.
    pub(crate) fn of(function: &str) -> Shape {
        match function {
            "get-confirmedweborder"
            | "get-invoicesigned"
            | "get-offersigned"
            | "get-creditnotesigned" => Shape::Record,
            "get-reservationpersons" | "get-reservationhours" => Shape::Field,
            _ => Shape::List,
        }
    }
}

/// What a complete JSON answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reading {
    /// A success; the records sit in this part of the body.
    Records(Payload),
    /// `errorcode` 2000 ("No … found") from a function that answers a list: an empty list,
    /// whatever the HTTP status (a server may send it with 404).
    NotFound,
    /// An error code (0 for `success` 0 without one) and the server's message.
    Code(i64, Option<String>),
    /// An `errorcode` that is not a number, as text, and the message.
    Uncoded(String, Option<String>),
}

/// The top-level fields of an object, in order, with their values as raw JSON.
struct Entries<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        DeserializeAsWrap::<_, Map<Same, Same>>::deserialize(d).map(|w| Entries(w.into_inner()))
    }
}

impl<'a> Entries<'a> {
    fn get(&self, key: &str) -> Option<&'a RawValue> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
    }

    /// The entries that are not envelope fields.
    fn content(&self) -> impl Iterator<Item = &(String, &'a RawValue)> {
        self.0
            .iter()
            .filter(|(k, _)| !META_KEYS.contains(&k.as_str()))
    }
}

/// The first byte of `bytes` that is not whitespace (after a UTF-8 byte-order mark).
fn first_byte(bytes: &[u8]) -> Option<u8> {
    without_bom(bytes)
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
}

/// The `errorcode` and the text written after its number, if any: `Ok((0, None))` when absent,
/// `null` or `""`; `Err(text)` when it does not start with a number. The document writes each
/// code with its meaning (`"errorcode" = 1002 Token or name not valid`), so
/// `"1002 Token or name not valid"` is code 1002 with that text.
fn error_code(raw: Option<&RawValue>) -> Result<(i64, Option<String>), String> {
    let text = raw.map(scalar_text).unwrap_or_default();
    if text.is_empty() {
        return Ok((0, None));
    }
    let (number, rest) = text.split_once(char::is_whitespace).unwrap_or((&text, ""));
    let rest = rest.trim();
    let rest = (!rest.is_empty()).then(|| rest.to_owned());
    int_text(number).map(|code| (code, rest)).ok_or(text)
}

/// Whether `success` says the call failed: `0`, `"0"` or `false` (absent is not a failure).
fn failed(raw: Option<&RawValue>) -> bool {
    let t = raw.map(scalar_text).unwrap_or_default();
    t == "false" || t.parse::<f64>().is_ok_and(|f| f == 0.0)
}

fn message(entries: &Entries<'_>) -> Option<String> {
    MESSAGE_KEYS.iter().find_map(|k| {
        let raw = entries.get(k)?;
        let s = scalar_text(raw);
        (raw.get().starts_with('"') && !s.is_empty()).then_some(s)
    })
}

/// Reads a successful (2xx) answer of `function`, per the rules in the module docs.
pub(crate) fn read(function: &str, body: &[u8]) -> Reading {
    let shape = Shape::of(function);
    match first_byte(body) {
        // Not an answer the document gives ("success" = 1, or an errorcode): decoding reports
        // it, never an empty list or an empty record (a body cut to nothing).
        None => return Reading::Records(Payload::Whole),
        Some(b'{') => {}
        // Arrays, `null`, and what is not JSON at all (decoding reports it).
        Some(_) => return Reading::Records(Payload::Whole),
    }
    let Ok(entries) = serde_json::from_slice::<Entries<'_>>(without_bom(body)) else {
        return Reading::Records(Payload::Whole); // decoding reports the malformed JSON
    };
    let message = || message(&entries);
    match error_code(entries.get("errorcode")) {
        Err(code) => return Reading::Uncoded(code, message()),
        Ok((2000, _)) if shape != Shape::Record => return Reading::NotFound,
        Ok((0, _)) if failed(entries.get("success")) => return Reading::Code(0, message()),
        Ok((0, _)) => {}
        Ok((code, text)) => return Reading::Code(code, message().or(text)),
    }
    if shape != Shape::List {
        return Reading::Records(match entries.get("data") {
            Some(data) if matches!(first_byte(data.get().as_bytes()), Some(b'{' | b'[')) => {
                Payload::within(body, Some(data))
            }
            _ => Payload::Whole,
        });
    }
    // An object with an `id` of its own is one record (documented records have an `id`):
    // none of its fields is the list, whatever its name (`{"id":1,"data":"x"}`).
    if entries.get("id").is_some() {
        return Reading::Records(Payload::Whole);
    }
    let is = |raw: &RawValue, b: u8| first_byte(raw.get().as_bytes()) == Some(b);
    for key in RECORD_KEYS {
        if let Some(records) = entries.get(key) {
            return Reading::Records(Payload::within(body, Some(records)));
        }
    }
    // The function name, its noun and plural hold the records only as an array, an object or
    // `null`: a scalar there is a field of one record (`get-payment`'s `"payment":"Cash"`).
    let noun = function.strip_prefix("get-").unwrap_or(function);
    let plural = format!("{noun}s");
    for key in [function, noun, &plural] {
        if let Some(records) = entries.get(key)
            && (is(records, b'[') || is(records, b'{') || records.get().trim() == "null")
        {
            return Reading::Records(Payload::within(body, Some(records)));
        }
    }
    let arrays: Vec<&RawValue> = entries
        .content()
        .filter(|(_, v)| is(v, b'['))
        .map(|(_, v)| *v)
        .collect();
    // An object with one array field is a wrapper, unless it is a record with an array field
    // (a subproduct's `productlink`: it has an `id`, seen above, or object-valued fields).
    if let [array] = arrays[..]
        && entries.content().all(|(_, v)| !is(v, b'{'))
    {
        return Reading::Records(Payload::within(body, Some(array)));
    }
    if entries.content().next().is_none() {
        return Reading::Records(Payload::Nothing);
    }
    Reading::Records(Payload::Whole)
}

/// An object in the place of a list: records keyed by id (every value an object, no `id` of
/// its own), sorted by key; otherwise the object is itself the one record. The rare path: the
/// object is rebuilt as JSON text from its entries to decode the record.
fn object_records<T: DeserializeOwned>(entries: &Entries<'_>) -> serde_json::Result<Vec<T>> {
    let mut keyed: Vec<&(String, &RawValue)> = entries.content().collect();
    let is_keyed = !keyed.is_empty()
        && entries.get("id").is_none()
        && keyed
            .iter()
            .all(|(_, v)| first_byte(v.get().as_bytes()) == Some(b'{'));
    if !is_keyed {
        let object =
            serde_json::to_string(&SerializeAsWrap::<_, Map<Same, Same>>::new(&entries.0))?;
        return Ok(vec![serde_json::from_str(&object)?]);
    }
    keyed.sort_by_key(|(k, _)| (k.trim().parse::<u64>().unwrap_or(u64::MAX), k.clone()));
    keyed
        .into_iter()
        .map(|(_, v)| serde_json::from_str(v.get()))
        .collect()
}

/// The record of a one-record payload: an object, the first of an array, or (for nothing,
/// `null` or `[]`) a record without fields.
pub(crate) fn record<T: DeserializeOwned>(payload: Option<&[u8]>) -> serde_json::Result<T> {
    let bytes = payload.unwrap_or(b"{}");
    match first_byte(bytes) {
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_slice(bytes)?;
            serde_json::from_str(items.first().map_or("{}", |v| v.get()))
        }
        Some(b'n') => serde_json::from_str("{}"),
        _ => serde_json::from_slice(bytes),
    }
}

/// Visitor methods for a scalar (or `null`) where the records were expected (`"data": ""`): no
/// records.
macro_rules! no_records {
    ($($visit:ident($($value:ty)?)),*) => {$(
        fn $visit<E: serde::de::Error>(self $(, _: $value)?) -> Result<Records<T>, E> {
            Ok(Records(Vec::new()))
        }
    )*};
}

/// The records of a list payload as one `Deserialize` type, so that a live call
/// (`Response::decode`) and offline decoding (`pos_client_core::decode_answer`) run the same
/// code: an array (decoded in one pass, element by element), records keyed by id, one record,
/// or nothing (`null`, or a scalar where the records were expected, `"data": ""`). A payload of
/// nothing arrives as `null`: no records.
pub(crate) struct Records<T>(pub(crate) Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Records<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct RecordsVisitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for RecordsVisitor<T> {
            type Value = Records<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list of records, records keyed by id, or one record")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Records<T>, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(Records)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Records<T>, A::Error> {
                let entries = Entries::deserialize(MapAccessDeserializer::new(map))?;
                object_records(&entries)
                    .map(Records)
                    .map_err(serde::de::Error::custom)
            }
            no_records!(
                visit_unit(),
                visit_none(),
                visit_str(&str),
                visit_bool(bool),
                visit_i64(i64),
                visit_u64(u64),
                visit_f64(f64)
            );
        }
        d.deserialize_any(RecordsVisitor(std::marker::PhantomData))
    }
}

/// The record of a one-record payload ([`record`]) as one `Deserialize` type, like [`Records`].
pub(crate) struct One<T>(pub(crate) T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for One<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        record(Some(raw.get().as_bytes()))
            .map(One)
            .map_err(serde::de::Error::custom)
    }
}

/// Decodes a whole 200 answer of the list function `function` as the client does: the
/// envelope is read, then the records are decoded from their bytes. For benchmarks and for
/// answers stored earlier; an error answer gives `Err` with its code and message.
pub fn decode_list<T: DeserializeOwned>(function: &str, body: &[u8]) -> Result<Vec<T>, String> {
    let bytes = match read(function, body) {
        Reading::Records(Payload::Whole) => without_bom(body),
        Reading::Records(Payload::Part(range)) => body.get(range).unwrap_or(b"null"),
        Reading::Records(Payload::Nothing) | Reading::NotFound => b"null",
        Reading::Code(code, message) => {
            return Err(format!("errorcode {code}: {}", message.unwrap_or_default()));
        }
        Reading::Uncoded(code, message) => {
            return Err(format!("errorcode {code}: {}", message.unwrap_or_default()));
        }
    };
    serde_json::from_slice::<Records<T>>(bytes)
        .map(|Records(records)| records)
        .map_err(|e| e.to_string())
}
