//! The entry points of the cargo-fuzz targets in `fuzz/` (and of the stable mutation test of
//! the core adapters): bytes in, a value or a typed error out, never a panic.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use pos_client_core::Money;
use pos_client_core::chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use pos_client_core::encoding::{
    DecimalComma, DottedDate, DottedDateTime, LenientDate, LenientDateTime, LenientDecimal,
    LenientInt, LenientString, ObjectOrEmpty, OneOrMany, OneZero, PlusMinus, SqlDateTime, TextList,
    UnixSeconds, YesNo,
};
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::sandbox::Exercise;
use pos_client_core::serde_with::serde_as;
use serde::Deserialize;

/// A started sandbox per vendor, kept for the whole fuzzing run (starting one per input would
/// dominate the run).
struct Started {
    _runtime: tokio::runtime::Runtime,
    sandbox: Box<dyn Exercise>,
}

fn started(vendor: &'static str) -> Option<&'static Started> {
    static ALL: OnceLock<Mutex<HashMap<&'static str, &'static Started>>> = OnceLock::new();
    let all = ALL.get_or_init(|| Mutex::new(HashMap::new()));
    let mut all = all.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = all.get(vendor) {
        return Some(*s);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .ok()?;
    let sandbox = runtime.block_on(crate::sandbox(vendor)).ok()?;
    let leaked: &'static Started = Box::leak(Box::new(Started {
        _runtime: runtime,
        sandbox,
    }));
    all.insert(vendor, leaked);
    Some(leaked)
}

/// Decodes `data` as an answer of `vendor`: the first byte picks one of its operations, the
/// second the status (from a list of the statuses servers send), the rest is the body.
pub fn decode(vendor: &'static str, data: &[u8]) {
    const STATUSES: [u16; 10] = [200, 201, 204, 400, 401, 403, 404, 422, 429, 500];
    let Some(started) = started(vendor) else {
        return;
    };
    let operations = started.sandbox.operations();
    let (Some(&pick), Some(&status)) = (data.first(), data.get(1)) else {
        return;
    };
    if operations.is_empty() {
        return;
    }
    let operation = operations[usize::from(pick) % operations.len()].name;
    let status = STATUSES[usize::from(status) % STATUSES.len()];
    let _ = started.sandbox.decode(operation, status, &data[2..]);
}

/// Every adapter of the core's `encoding` module, each on a field of its own.
#[serde_as(crate = "::pos_client_core::serde_with")]
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Adapters {
    #[serde_as(as = "Option<LenientDecimal>")]
    #[serde(default)]
    lenient_decimal: Option<Decimal>,
    #[serde_as(as = "Option<LenientDecimal>")]
    #[serde(default)]
    money: Option<Money>,
    #[serde_as(as = "Option<DecimalComma>")]
    #[serde(default)]
    decimal_comma: Option<Decimal>,
    #[serde_as(as = "Option<LenientInt>")]
    #[serde(default)]
    lenient_int: Option<i64>,
    #[serde_as(as = "Option<LenientInt>")]
    #[serde(default)]
    lenient_u32: Option<u32>,
    #[serde_as(as = "Option<LenientString>")]
    #[serde(default)]
    lenient_string: Option<String>,
    #[serde_as(as = "Option<YesNo>")]
    #[serde(default)]
    yes_no: Option<bool>,
    #[serde_as(as = "Option<OneZero>")]
    #[serde(default)]
    one_zero: Option<bool>,
    #[serde_as(as = "Option<PlusMinus>")]
    #[serde(default)]
    plus_minus: Option<bool>,
    #[serde_as(as = "Option<UnixSeconds>")]
    #[serde(default)]
    unix_seconds: Option<DateTime<Utc>>,
    #[serde_as(as = "Option<DottedDate>")]
    #[serde(default)]
    dotted_date: Option<NaiveDate>,
    #[serde_as(as = "Option<DottedDateTime>")]
    #[serde(default)]
    dotted_datetime: Option<NaiveDateTime>,
    #[serde_as(as = "Option<SqlDateTime>")]
    #[serde(default)]
    sql_datetime: Option<NaiveDateTime>,
    #[serde_as(as = "LenientDate")]
    #[serde(default)]
    lenient_date: Option<NaiveDate>,
    #[serde_as(as = "LenientDateTime")]
    #[serde(default)]
    lenient_datetime: Option<NaiveDateTime>,
    #[serde_as(as = "OneOrMany<LenientInt>")]
    #[serde(default)]
    one_or_many: Vec<u64>,
    #[serde_as(as = "TextList<LenientInt>")]
    #[serde(default)]
    text_list: Vec<u64>,
    #[serde_as(as = "ObjectOrEmpty")]
    #[serde(default)]
    object_or_empty: Option<Inner>,
    #[serde(default)]
    rest: Option<pos_client_core::Rest>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Inner {
    #[serde(default)]
    a: Option<u32>,
}

/// A document that sets every adapter's field, as a seed for [`adapters`].
pub const ADAPTER_SEED: &str = r#"{"lenient_decimal":"12,50","money":12.5,"decimal_comma":"8,67","lenient_int":"42","lenient_u32":7,"lenient_string":17,"yes_no":"Y","one_zero":"1","plus_minus":"+","unix_seconds":"1700000000","dotted_date":"05.03.2024","dotted_datetime":"05.03.2024 14:30:15","sql_datetime":"2024-03-05 14:30:15","lenient_date":"31/01/2016","lenient_datetime":"2016-01-31T10:11","one_or_many":[1,"2"],"text_list":"11,15","object_or_empty":{"a":1},"rest":{"x":[1,{"y":"z"}],"n":125.50}}"#;

/// Decodes `data` into every core adapter at once; the result is ignored, a panic is a finding.
/// Returns whether it decoded.
pub fn adapters(data: &[u8]) -> bool {
    serde_json::from_slice::<Adapters>(data).is_ok()
}
