//! Lists, pages and the fields a record keeps in its `rest` map.
//!
//! A list answer is accepted in every shape a PHP backend sends:
//!
//! - a JSON array of records;
//! - an object wrapping the array under `data`, `items`, `records`, `results`, `list`, `rows`
//!   or the resource's own name (`customers`), with page information beside it
//!   (`current_page`/`page`, `last_page`/`total_pages`/`pages`, `per_page`/`limit`, `total`,
//!   as numbers or strings, also inside a `meta` or `pagination` object) — a Laravel paginator
//!   inside the envelope's `data` is such an object;
//! - PHP's associative array: an object whose values are all records (keyed by id);
//! - `null`, `{}` or `""`: an empty list.

use std::fmt;
use std::marker::PhantomData;

use pos_client_core::chrono::NaiveDateTime;
use pos_client_core::encoding::{parse_decimal, parse_sql_date_time};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::{Response, Rest};
use serde::de::{self, DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::client::Resource;
use crate::error::Error;
use crate::models::{Customer, Invoice, InvoiceItem, Record};

/// Page information of a list answer, when the server sent any.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// This page's number (1-based).
    pub current_page: Option<u64>,
    /// The last page's number.
    pub last_page: Option<u64>,
    /// Records per page.
    pub per_page: Option<u64>,
    /// Records in the whole list.
    pub total: Option<u64>,
}

impl PageInfo {
    fn is_empty(&self) -> bool {
        *self == PageInfo::default()
    }

    fn merge(&mut self, other: PageInfo) {
        self.current_page = self.current_page.or(other.current_page);
        self.last_page = self.last_page.or(other.last_page);
        self.per_page = self.per_page.or(other.per_page);
        self.total = self.total.or(other.total);
    }

    /// The last page: `last_page`, else computed from `total` and `per_page`.
    pub fn last(&self) -> Option<u64> {
        self.last_page
            .or_else(|| match (self.total, self.per_page) {
                (Some(total), Some(per)) if per > 0 => Some(total.div_ceil(per).max(1)),
                _ => None,
            })
    }

    /// The page after this one, when the information says there is one.
    pub fn next(&self) -> Option<u64> {
        let current = self.current_page?;
        (current < self.last()?).then_some(current + 1)
    }
}

/// One page of a list: its records and the page information the server sent, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The records of this page.
    pub items: Vec<T>,
    /// The page information; `None` when the server sent the list without any (the whole list).
    pub info: Option<PageInfo>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Page {
            items: Vec::new(),
            info: None,
        }
    }
}

impl<T> Page<T> {
    /// The page after this one, when the page information says there is one.
    pub fn next_page(&self) -> Option<u64> {
        self.info.as_ref().and_then(PageInfo::next)
    }
}

/// Keys a list array is wrapped under.
pub const LIST_KEYS: [&str; 7] = [
    "data", "items", "records", "results", "list", "rows", "result",
];

/// A lenient page number: a number, a numeric string, or null.
fn lenient_u64(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| *f >= 0.0 && f.fract() == 0.0)
                .map(|f| f as u64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn page_key(key: &str, value: &Value, info: &mut PageInfo) -> bool {
    let slot = match key {
        "current_page" | "page" | "currentPage" => &mut info.current_page,
        "last_page" | "total_pages" | "pages" | "lastPage" | "totalPages" | "page_count" => {
            &mut info.last_page
        }
        "per_page" | "limit" | "perPage" | "page_size" => &mut info.per_page,
        "total" | "count" | "total_count" | "totalCount" => &mut info.total,
        _ => return false,
    };
    if let Some(n) = lenient_u64(value) {
        *slot = Some(n);
    }
    true
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Page<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PageVisitor(PhantomData))
    }
}

struct PageVisitor<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Visitor<'de> for PageVisitor<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of records, or an object wrapping one")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Page<T>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Page { items, info: None })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let mut list: Option<Page<T>> = None;
        let mut info = PageInfo::default();
        // Values under other keys, kept only in case the object is a PHP associative array.
        let mut others: Vec<Value> = Vec::new();
        let mut all_objects = true;
        while let Some(key) = map.next_key::<String>()? {
            if list.is_none()
                && (LIST_KEYS.contains(&key.as_str())
                    || key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                        && key.ends_with('s')
                        && !matches!(
                            key.as_str(),
                            "pages" | "total_pages" | "links" | "errors" | "success"
                        ))
            {
                // The wrapped list (or a nested paginator).
                let value: Value = map.next_value()?;
                if matches!(value, Value::Array(_) | Value::Object(_))
                    && !matches!(&value, Value::Object(o) if o.values().all(|v| !v.is_array() && !v.is_object()) && !o.is_empty())
                {
                    let page: Page<T> = serde_json::from_value(value).map_err(de::Error::custom)?;
                    list = Some(page);
                    continue;
                }
                if !page_key(&key, &value, &mut info) {
                    all_objects &= value.is_object();
                    others.push(value);
                }
                continue;
            }
            let value: Value = map.next_value()?;
            if page_key(&key, &value, &mut info) {
                continue;
            }
            if matches!(key.as_str(), "meta" | "pagination" | "paging" | "page_info") {
                if let Value::Object(inner) = &value {
                    for (k, v) in inner {
                        page_key(k, v, &mut info);
                    }
                }
                continue;
            }
            all_objects &= value.is_object();
            others.push(value);
        }
        let mut page = match list {
            Some(page) => page,
            None if all_objects && !others.is_empty() && info.is_empty() => Page {
                items: others
                    .into_iter()
                    .map(serde_json::from_value)
                    .collect::<Result<_, _>>()
                    .map_err(de::Error::custom)?,
                info: None,
            },
            None if others.is_empty() => Page::default(),
            None => return Err(de::Error::custom("an object without a list of records")),
        };
        if !info.is_empty() {
            match &mut page.info {
                Some(inner) => inner.merge(info),
                None => page.info = Some(info),
            }
        }
        Ok(page)
    }

    fn visit_unit<E>(self) -> Result<Page<T>, E> {
        Ok(Page::default())
    }

    fn visit_none<E>(self) -> Result<Page<T>, E> {
        Ok(Page::default())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Page<T>, E> {
        if v.trim().is_empty() {
            Ok(Page::default())
        } else {
            Err(E::custom("a string where a list of records was expected"))
        }
    }
}

/// What a 2xx answer to a create or an update gave back: the server accepted the write.
///
/// The document's own success example carries `"data": {}`, and PHP backends also answer a
/// write with `"data": null`, `"data": []`, `"data": ""`, an empty body, or only the new id
/// (`"data": 123`), or with an object that is not the record as the crate types it (the request
/// echoed back without `id`, `{"customer_id": 5}`, a field of an odd shape). None of these is an
/// error: the write was carried out, so sending it again would create a second record. `record`
/// is `None` then; read the record back (by [`id`](Self::id) when the server sent one, else by
/// listing) instead of writing again.
///
/// ```
/// use cloudonex_client::Saved;
/// use cloudonex_client::models::Customer;
///
/// let saved: Saved<Customer> = Saved::accepted(Some("123".into()), None);
/// assert!(saved.record().is_none());
/// assert_eq!(saved.id(), Some("123"));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[must_use = "the record the server returned, or the sign that it returned none"]
pub struct Saved<T> {
    record: Option<T>,
    id: Option<String>,
    message: Option<String>,
}

impl<T> Saved<T> {
    /// A write answered with its record.
    pub fn with_record(record: T, message: Option<String>) -> Self {
        Saved {
            record: Some(record),
            id: None,
            message,
        }
    }

    /// A write accepted without a record (`id`: the id the server sent in its place).
    pub fn accepted(id: Option<String>, message: Option<String>) -> Self {
        Saved {
            record: None,
            id,
            message,
        }
    }

    /// The record as the server returned it; `None` when the answer carried none.
    pub fn record(&self) -> Option<&T> {
        self.record.as_ref()
    }

    /// The record, consuming the receipt; `None` when the answer carried none.
    pub fn into_record(self) -> Option<T> {
        self.record
    }

    /// The id the server sent in place of a record: a bare `"data": 123`, or the `id` (else
    /// `<resource>_id`, such as `customer_id` for a customer) of an answer that did not decode
    /// as the record. `None` when it sent the record (read the id from it) or no id.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The envelope's `message`, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }
}

/// Reads a write's 2xx answer (`response`, to `resource`) as [`Saved`]: the record when the
/// payload decodes as one, else a receipt. Never a decode error: the server accepted the write,
/// and an error would invite a second create.
///
/// - no payload (an empty body, `data` absent); inside the envelope `{}`, `[]`, null, `""`, a
///   boolean: accepted without a record;
/// - inside the envelope a number or string, without it a number or a string of digits:
///   accepted, kept as the new id;
/// - an object (or a list of one) that does not decode as the record (the request echoed back
///   without `id`, `{"customer_id": 5}`, a field of an odd shape): accepted, with the id read
///   from it when it has one (`id`, else `<resource>_id`: `customer_id` for a customer). Inside
///   the envelope (`success: true`) always; without the envelope only when it names an id, since
///   a bare `{"error": "…"}` with status 200 does not say the write was done;
/// - anything else (an HTML page with status 200, a bare object without an id, a bare `{}`,
///   `[]`, `false`, `null` or text without the envelope): the answer is not the vendor's,
///   [`Response::not_understood`]: outcome unknown, naming the reference.
pub(crate) fn read_written<T: DeserializeOwned>(
    response: &Response,
    resource: Resource,
) -> Result<Saved<T>, Error> {
    let head = EnvelopeHead::of(response.body());
    let message = head.message();
    let Some(bytes) = response.payload() else {
        return Ok(Saved::accepted(None, message));
    };
    let Ok(value) = serde_json::from_slice::<Value>(bytes) else {
        return Err(response.not_understood("the answer is not JSON"));
    };
    let enveloped = head.enveloped();
    let id = match &value {
        Value::Object(map) if map.is_empty() && enveloped => {
            return Ok(Saved::accepted(None, message));
        }
        Value::Array(items) if items.is_empty() && enveloped => {
            return Ok(Saved::accepted(None, message));
        }
        Value::Object(_) | Value::Array(_) => match serde_json::from_slice::<One<T>>(bytes) {
            Ok(One(record)) => return Ok(Saved::with_record(record, message)),
            Err(e) => match (id_in(&value, resource), enveloped) {
                (id @ Some(_), _) | (id, true) => id,
                (None, false) => {
                    return Err(response.not_understood(format!(
                        "JSON without the envelope that is not a record and names no id: {e}"
                    )));
                }
            },
        },
        // Without the envelope only an id says the write was done: a bare `false`, `null`,
        // `true` or text (PHP's `json_encode` of a failed result, an error message) does not.
        _ if !enveloped => match bare_id(&value) {
            Some(id) => Some(id),
            None => {
                return Err(response.not_understood(
                    "JSON without the envelope that is neither a record nor an id",
                ));
            }
        },
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Null | Value::Bool(_) => None,
    };
    Ok(Saved::accepted(id, message))
}

/// Reads a delete's 2xx answer: the envelope (its `success` was true to get here) or an empty
/// body (204) says the record was deleted. Anything else (an HTML page with status 200, JSON
/// without the envelope such as `{"error": "…"}`) is not the vendor's answer and does not say
/// so: [`Response::not_understood`], outcome unknown naming `"<resource> <id>"` (a decode
/// error with `retry_put_delete`).
pub(crate) fn read_deleted(response: &Response) -> Result<(), Error> {
    if response.body().trim_ascii().is_empty() || EnvelopeHead::of(response.body()).enveloped() {
        Ok(())
    } else {
        Err(response
            .not_understood("a delete answered without the envelope {\"success\": true, …}"))
    }
}

/// A bare number, or a string of digits (PHP sends numbers as strings), as an id.
fn bare_id(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_owned())
        }
        _ => None,
    }
}

/// The id named in a write's payload that is not the record: `id`, else `<resource>_id` (the
/// resource's singular: `customer_id`, `invoice_id`), as a number or a non-blank string, in
/// an object or a list of exactly one object.
fn id_in(value: &Value, resource: Resource) -> Option<String> {
    let map = match value {
        Value::Object(map) => map,
        Value::Array(items) if items.len() == 1 => items[0].as_object()?,
        _ => return None,
    };
    let path = resource.path();
    let own = format!("{}_id", path.strip_suffix('s').unwrap_or(path));
    [map.get("id"), map.get(own.as_str())]
        .into_iter()
        .flatten()
        .find_map(|v| match v {
            Value::Number(n) => Some(n.to_string()),
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        })
}

/// The envelope's `success` and `message`, when the body is an envelope.
#[derive(Deserialize, Default)]
struct EnvelopeHead {
    #[serde(default)]
    success: Option<IgnoredAny>,
    #[serde(default)]
    message: Option<Value>,
}

impl EnvelopeHead {
    fn of(body: &[u8]) -> EnvelopeHead {
        serde_json::from_slice(body).unwrap_or_default()
    }

    /// Whether the body is the envelope (the protocol read `success` as true to get here).
    fn enveloped(&self) -> bool {
        self.success.is_some()
    }

    /// The `message` as text.
    fn message(&self) -> Option<String> {
        match &self.message {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            _ => None,
        }
    }
}

/// One record: an object, or a list holding exactly one (some PHP backends wrap it).
pub(crate) struct One<T>(pub T);

impl<'de, T: DeserializeOwned> Deserialize<'de> for One<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = One<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a record")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<One<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(One)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<One<T>, A::Error> {
                let first: T = seq.next_element()?.ok_or_else(|| {
                    de::Error::custom("an empty list where a record was expected")
                })?;
                if seq.next_element::<IgnoredAny>()?.is_some() {
                    return Err(de::Error::custom("several records where one was expected"));
                }
                Ok(One(first))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Reading the fields a record keeps in its `rest` (everything the document does not name), with
/// the PHP leniency of the typed fields.
///
/// `rest` is a [`Rest`]: the fields' JSON text exactly as the server sent it (a number keeps its
/// digits: `125.50` stays `125.50`), parsed when a field is read. Read one field with
/// [`field`](Self::field) (its raw JSON) or `rest.get_as::<T>(key)`, all of them with
/// `rest.iter()` or `rest.to_map()`.
///
/// ```
/// use cloudonex_client::RecordExt;
/// use cloudonex_client::models::Record;
///
/// let product: Record = serde_json::from_str(
///     r#"{"id":"7","name":"Widget","price":"125.50","stock":3,"created_at":"2024-05-01 09:30:00"}"#,
/// )?;
/// assert_eq!(product.text("name").as_deref(), Some("Widget"));
/// assert_eq!(product.decimal("price").map(|d| d.to_string()).as_deref(), Some("125.50"));
/// assert_eq!(product.decimal("stock").map(|d| d.to_string()).as_deref(), Some("3"));
/// assert_eq!(product.datetime("created_at").map(|t| t.to_string()).as_deref(), Some("2024-05-01 09:30:00"));
/// assert_eq!(product.field("stock").map(|raw| raw.get()), Some("3"));
/// assert_eq!(product.rest().get_as::<u32>("stock").transpose()?, Some(3));
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait RecordExt {
    /// The undocumented fields.
    fn rest(&self) -> &Rest;

    /// The raw JSON of an undocumented field, as the server sent it.
    fn field(&self, key: &str) -> Option<&RawValue> {
        self.rest().get(key)
    }

    /// A field as text: a string, or a number or boolean as written; `None` for null, `""`,
    /// objects and lists.
    fn text(&self, key: &str) -> Option<String> {
        match scalar(self.field(key)?)? {
            Scalar::Text(s) => (!s.is_empty()).then_some(s),
            Scalar::Number(n) | Scalar::Bool(n) => Some(n.to_owned()),
        }
    }

    /// A field as an exact decimal: a number (its digits as sent) or a numeric string
    /// (`"125.50"`, `"125,50"`).
    fn decimal(&self, key: &str) -> Option<Decimal> {
        match scalar(self.field(key)?)? {
            Scalar::Text(s) if !s.trim().is_empty() => parse_decimal(&s).ok(),
            Scalar::Number(n) => parse_decimal(n).ok(),
            _ => None,
        }
    }

    /// A field as a local date and time: `YYYY-MM-DD HH:MM:SS` (also ISO `T`, without seconds,
    /// or a bare date as midnight). `None` for null, `""` and MySQL's `0000-00-00 00:00:00`.
    fn datetime(&self, key: &str) -> Option<NaiveDateTime> {
        match scalar(self.field(key)?)? {
            Scalar::Text(s) => parse_sql_date_time(&s).ok(),
            _ => None,
        }
    }
}

/// A scalar JSON value: a string (unescaped), or a number or boolean as written.
enum Scalar<'a> {
    Text(String),
    Number(&'a str),
    Bool(&'a str),
}

/// The scalar in `raw`; `None` for null, objects and lists.
fn scalar(raw: &RawValue) -> Option<Scalar<'_>> {
    let text = raw.get().trim();
    match text.as_bytes().first()? {
        b'"' => serde_json::from_str(text).ok().map(Scalar::Text),
        b'-' | b'0'..=b'9' => Some(Scalar::Number(text)),
        b't' | b'f' => Some(Scalar::Bool(text)),
        _ => None,
    }
}

macro_rules! record_ext {
    ($($model:ty),*) => {$(
        impl RecordExt for $model {
            fn rest(&self) -> &Rest {
                &self.rest
            }
        }
    )*};
}
record_ext!(Customer, Invoice, InvoiceItem, Record);

#[cfg(test)]
mod tests;
