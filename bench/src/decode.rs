//! Decode: the clients' typed models vs plain serde structs with `f64` fields vs `serde_json::Value`.

use std::hint::black_box;
use std::time::Instant;

use serde::Deserialize;

use crate::stats::median;
use crate::{Config, fixtures, with_peak_heap};

/// One decoder's figures on one body.
#[derive(Debug, Clone)]
pub struct DecodeRow {
    /// What decodes (e.g. "cloudma-client `Vec<StockLevel>`").
    pub variant: String,
    /// Median wall time of one decode, in milliseconds.
    pub median_ms: f64,
    /// Peak heap growth during one decode, in bytes (median over the runs).
    pub peak_bytes: usize,
    /// Items decoded (products or rows), a sanity check.
    pub items: usize,
}

/// One body decoded by several decoders; `rows[0]` is the client as it decodes today, the row
/// whose label starts with "plain" the baseline.
#[derive(Debug, Clone)]
pub struct DecodeResult {
    /// What the body is.
    pub name: String,
    /// The body's size in bytes.
    pub body_bytes: usize,
    /// Items in the body.
    pub items: usize,
    /// The decoders' figures.
    pub rows: Vec<DecodeRow>,
}

type Decoder = Box<dyn Fn(&[u8]) -> Result<(f64, usize), String>>;

/// Wraps a decode function: times the decode only (not the drop of its result).
fn decoder<T: 'static>(
    decode: impl Fn(&[u8]) -> Result<T, serde_json::Error> + 'static,
    count: impl Fn(&T) -> usize + 'static,
) -> Decoder {
    Box::new(move |body| {
        let start = Instant::now();
        let value = decode(black_box(body)).map_err(|e| e.to_string())?;
        let ms = start.elapsed().as_secs_f64() * 1e3;
        let n = count(black_box(&value));
        drop(value);
        Ok((ms, n))
    })
}

/// Runs each decoder `runs` times, interleaved, and takes medians.
fn measure(
    name: &str,
    body: &[u8],
    items: usize,
    runs: usize,
    decoders: Vec<(String, Decoder)>,
) -> Result<DecodeResult, String> {
    let mut times = vec![Vec::new(); decoders.len()];
    let mut peaks = vec![Vec::new(); decoders.len()];
    let mut counts = vec![0; decoders.len()];
    // One unmeasured pass warms caches and the allocator.
    for (_, d) in &decoders {
        d(body)?;
    }
    for _ in 0..runs.max(1) {
        for (i, (_, d)) in decoders.iter().enumerate() {
            let (result, peak) = with_peak_heap(|| d(body));
            let (ms, n) = result?;
            times[i].push(ms);
            peaks[i].push(peak as f64);
            counts[i] = n;
        }
    }
    Ok(DecodeResult {
        name: name.to_owned(),
        body_bytes: body.len(),
        items,
        rows: decoders
            .into_iter()
            .enumerate()
            .map(|(i, (variant, _))| DecodeRow {
                variant,
                median_ms: median(&times[i]),
                peak_bytes: median(&peaks[i]) as usize,
                items: counts[i],
            })
            .collect(),
    })
}

/// What a user writes without the client: a plain struct, `f64` for numbers.
#[derive(Debug, Deserialize)]
pub struct PlainStock {
    /// Product code.
    pub code: String,
    /// Product name.
    pub name: Option<String>,
    /// Units on hand.
    pub qty: f64,
}

/// A careful hand-written struct: exact decimals through rust_decimal's own serde support.
#[derive(Debug, Deserialize)]
pub struct PlainStockDecimal {
    /// Product code.
    pub code: String,
    /// Product name.
    pub name: Option<String>,
    /// Units on hand.
    pub qty: pos_client_core::rust_decimal::Decimal,
}

/// The `sync-stock` decode comparison on a body of `products` products.
pub fn stock(products: usize, runs: usize) -> Result<DecodeResult, String> {
    use cloudma_client::models::StockLevel;
    let body = fixtures::stock_body(products);
    let decoders: Vec<(String, Decoder)> = vec![
        (
            "cloudma-client `Vec<models::StockLevel>` (Decimal qty, lenient)".to_owned(),
            decoder(
                |b| serde_json::from_slice::<Vec<StockLevel>>(b),
                |v: &Vec<StockLevel>| v.len(),
            ),
        ),
        (
            "plain `Vec<struct { String, Option<String>, f64 }>`".to_owned(),
            decoder(
                |b| serde_json::from_slice::<Vec<PlainStock>>(b),
                |v: &Vec<PlainStock>| v.iter().filter(|p| p.qty.is_finite()).count(),
            ),
        ),
        (
            "`serde_json::Value`".to_owned(),
            decoder(
                |b| serde_json::from_slice::<serde_json::Value>(b),
                |v: &serde_json::Value| v.as_array().map_or(0, Vec::len),
            ),
        ),
        (
            "plain struct with exact `rust_decimal::Decimal` qty (its own serde)".to_owned(),
            decoder(
                |b| serde_json::from_slice::<Vec<PlainStockDecimal>>(b),
                |v: &Vec<PlainStockDecimal>| v.len(),
            ),
        ),
    ];
    measure(
        &format!("CloudMA sync-stock, {products} products"),
        &body,
        products,
        runs,
        decoders,
    )
}

/// Decodes a `products`-product body `runs` times with the client's models only (for profiling).
pub fn profile_client_stock(products: usize, runs: usize) -> Result<usize, String> {
    let body = fixtures::stock_body(products);
    let mut items = 0;
    for _ in 0..runs {
        let v: Vec<cloudma_client::models::StockLevel> =
            serde_json::from_slice(black_box(&body)).map_err(|e| e.to_string())?;
        items = black_box(v).len();
    }
    Ok(items)
}

/// Every decode comparison of `config`.
pub fn run(config: &Config) -> Result<Vec<DecodeResult>, String> {
    Ok(vec![
        stock(config.products, config.decode_runs)?,
        crate::decode::noom(config.noom_rows, config.decode_runs)?,
        cloudonex(config.products.clamp(200, 10_000), config.decode_runs)?,
        cloudpos(config.products.clamp(200, 10_000), config.decode_runs)?,
    ])
}

/// The NOOM `ODOC_GETDOC` decode comparison on an envelope of `rows` rows.
pub fn noom(rows: usize, runs: usize) -> Result<DecodeResult, String> {
    let body = fixtures::noom_getdoc_body(rows);
    use noom_client::models::DocumentData;
    let rows_of = |d: &DocumentData| {
        d.document
            .as_ref()
            .and_then(|doc| doc.rows.as_ref())
            .map_or(0, |r| r.row.len())
    };
    let decoders: Vec<(String, Decoder)> = vec![
        (
            "noom-client `models::DocumentData`, as the client decodes it (envelope → `RawValue` → models)".to_owned(),
            decoder(
                |b| {
                    let envelope: RawEnvelope<'_> = serde_json::from_slice(b)?;
                    serde_json::from_str::<DocumentData>(envelope.data.get())
                },
                move |d: &DocumentData| rows_of(d),
            ),
        ),
        (
            "noom-client `models::DocumentData`, decoded straight from the body".to_owned(),
            decoder(
                |b| serde_json::from_slice::<TypedEnvelope>(b).map(|e| e.data),
                move |d: &DocumentData| rows_of(d),
            ),
        ),
        (
            "plain envelope, rows `Vec<struct>` (f64 numbers, comma decimals as String)".to_owned(),
            decoder(
                |b| serde_json::from_slice::<plain_noom::Envelope>(b),
                |v: &plain_noom::Envelope| v.data.document.rows.row.len(),
            ),
        ),
        (
            "`serde_json::Value`".to_owned(),
            decoder(
                |b| serde_json::from_slice::<serde_json::Value>(b),
                |v: &serde_json::Value| {
                    v["data"]["document"]["rows"]["row"]
                        .as_array()
                        .map_or(0, Vec::len)
                },
            ),
        ),
    ];
    measure(
        &format!("NOOM ODOC_GETDOC, {rows} rows"),
        &body,
        rows,
        runs,
        decoders,
    )
}

/// The envelope with `data` kept as raw JSON borrowed from the body, as noom-client reads it
/// first.
#[derive(Debug, Deserialize)]
struct RawEnvelope<'a> {
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
}

/// The envelope with `data` decoded straight into the client's model.
#[derive(Debug, Deserialize)]
struct TypedEnvelope {
    data: noom_client::models::DocumentData,
}

/// The plain structs a user writes for NOOM without the client: `f64` where the wire has JSON
/// numbers, `String` where it has decimal commas (serde alone cannot read `"15,00"` as a number),
/// and rows as an array (a one-row document, sent as one object, would fail to decode). Rows
/// declare every field the fixture sends, like the client's model does.
pub mod plain_noom {
    use serde::Deserialize;

    /// The envelope.
    #[derive(Debug, Deserialize)]
    pub struct Envelope {
        /// 1 on success.
        pub status: i64,
        /// Message.
        pub msg: String,
        /// The document.
        pub data: Data,
    }

    /// `data`.
    #[derive(Debug, Deserialize)]
    pub struct Data {
        /// Total, decimal comma.
        pub amount: String,
        /// The document.
        pub document: Document,
    }

    /// `data.document`.
    #[derive(Debug, Deserialize)]
    pub struct Document {
        /// Company fields, kept as a map.
        pub company: serde_json::Map<String, serde_json::Value>,
        /// Payments, kept as JSON (one object or an array).
        pub payments: serde_json::Value,
        /// Header fields, kept as a map.
        pub header: serde_json::Map<String, serde_json::Value>,
        /// Rows.
        pub rows: Rows,
    }

    /// `rows`.
    #[derive(Debug, Deserialize)]
    pub struct Rows {
        /// The rows (an array).
        pub row: Vec<Row>,
    }

    /// One row: every field of the fixture, numbers as `f64`, comma decimals as `String`.
    #[derive(Debug, Deserialize)]
    pub struct Row {
        /// Row id.
        pub id: String,
        /// Batch id.
        pub batch_id: f64,
        /// Product id.
        pub product_id: f64,
        /// Row number.
        pub rowno: f64,
        /// Quantity.
        pub quantity: f64,
        /// Price, decimal comma.
        pub price: String,
        /// Amount, decimal comma.
        pub amount: String,
        /// List price.
        pub price1: f64,
        /// Unit.
        pub measurunit_id: String,
        /// Search code.
        pub searchcode: String,
        /// Product text.
        pub text: String,
        /// VAT code.
        pub vat_id: String,
        /// Group.
        pub group_id: String,
        /// Net price, decimal comma.
        pub netprice: String,
        /// `+`/`-`.
        pub pricefixed: String,
        /// Unique id.
        pub unique_id: String,
        /// `+`/`-`.
        pub service: String,
        /// Barcode.
        pub barcode: String,
        /// Net amount, decimal comma.
        pub netamount: String,
        /// VAT rate.
        pub vatrate: f64,
        /// VAT amount, decimal comma.
        pub vatamount: String,
        /// Supplier.
        pub supplier_id: String,
        /// `dd.mm.yyyy HH:MM:SS`.
        pub transactiontime: String,
    }
}

/// A CloudOnex customers list as a PHP backend sends it: the envelope, ids and amounts as
/// strings, SQL dates, nulls, and fields the document does not name.
pub fn cloudonex_customers_body(customers: usize) -> Vec<u8> {
    let mut body = String::with_capacity(customers * 260 + 64);
    body.push_str(r#"{"success":true,"data":["#);
    for n in 1..=customers {
        if n > 1 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":"{n}","account":"Customer {n}","email":"customer{n}@example.com","phone":"{}","balance":"{}.{:02}","credit_limit":"1000.00","company":null,"status":"Active","created_at":"2024-05-01 09:{:02}:00"}}"#,
            1_200_000_000u64 + n as u64,
            n % 997,
            n % 100,
            n % 60
        ));
    }
    body.push_str(r#"],"message":null}"#);
    body.into_bytes()
}

/// The envelope as the CloudOnex client reads it first: `data` borrowed from the body.
#[derive(Debug, Deserialize)]
struct CloudOnexEnvelope<'a> {
    #[serde(borrow)]
    success: &'a serde_json::value::RawValue,
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
}

/// What a user writes without the client: every field the body has, numbers-as-strings as
/// `String` (serde alone cannot read `"125.50"` as a number).
#[derive(Debug, Deserialize)]
pub struct PlainCloudOnexCustomer {
    /// Id.
    pub id: String,
    /// Account.
    pub account: String,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Balance, a numeric string.
    pub balance: String,
    /// Credit limit, a numeric string.
    pub credit_limit: String,
    /// Company.
    pub company: Option<String>,
    /// Status.
    pub status: String,
    /// `YYYY-MM-DD HH:MM:SS`.
    pub created_at: String,
}

/// The plain envelope.
#[derive(Debug, Deserialize)]
pub struct PlainCloudOnexEnvelope {
    /// `true`.
    pub success: bool,
    /// The customers.
    pub data: Vec<PlainCloudOnexCustomer>,
    /// Message.
    pub message: Option<String>,
}

/// The CloudOnex customers-list decode comparison on `customers` records.
pub fn cloudonex(customers: usize, runs: usize) -> Result<DecodeResult, String> {
    use cloudonex_client::Page;
    use cloudonex_client::models::Customer;
    let body = cloudonex_customers_body(customers);
    let decoders: Vec<(String, Decoder)> = vec![
        (
            "cloudonex-client `Page<models::Customer>`, as the client decodes it (envelope → `RawValue` → models, undocumented fields kept in `rest`)".to_owned(),
            decoder(
                |b| {
                    let envelope: CloudOnexEnvelope<'_> = serde_json::from_slice(b)?;
                    let _ = envelope.success;
                    serde_json::from_str::<Page<Customer>>(envelope.data.get())
                },
                |p: &Page<Customer>| p.items.len(),
            ),
        ),
        (
            "plain envelope, `Vec<struct>` of every field (numeric strings as String)".to_owned(),
            decoder(
                |b| serde_json::from_slice::<PlainCloudOnexEnvelope>(b),
                |v: &PlainCloudOnexEnvelope| v.data.len(),
            ),
        ),
        (
            "`serde_json::Value`".to_owned(),
            decoder(
                |b| serde_json::from_slice::<serde_json::Value>(b),
                |v: &serde_json::Value| v["data"].as_array().map_or(0, Vec::len),
            ),
        ),
    ];
    measure(
        &format!("CloudOnex customers list, {customers} customers"),
        &body,
        customers,
        runs,
        decoders,
    )
}

#[cfg(test)]
mod cloudonex_tests {
    #[test]
    fn every_cloudonex_decoder_reads_every_customer() {
        let result = super::cloudonex(50, 1).unwrap();
        assert!(result.rows.iter().all(|r| r.items == 50), "{result:?}");
    }
}

/// A CloudPOS `get-products` answer as the PHP backend sends it: `success`, the records under
/// `data`, every value a string (ids, prices, stock, flags, unix times).
pub fn cloudpos_products_body(products: usize) -> Vec<u8> {
    let mut body = String::with_capacity(products * 170 + 32);
    body.push_str(r#"{"success":1,"data":["#);
    for n in 1..=products {
        if n > 1 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":"{n}","name":"Product {n}","categorylink":"{}","price":"{}.{:02}","quantity":"{}","popup":"{}","menupopup":"0","openprice":"0","modtime":"{}"}}"#,
            n % 40 + 1,
            n % 90 + 1,
            n % 100,
            n % 500,
            n % 2,
            1_764_000_000u64 + n as u64
        ));
    }
    body.push_str("]}");
    body.into_bytes()
}

/// What a user writes without the client: every field as the body has it (strings).
#[derive(Debug, Deserialize)]
pub struct PlainCloudPosProduct {
    /// Id.
    pub id: String,
    /// Name.
    pub name: Option<String>,
    /// Category id.
    pub categorylink: Option<String>,
    /// Price, a numeric string.
    pub price: Option<String>,
    /// Stock, a numeric string.
    pub quantity: Option<String>,
    /// `"1"`/`"0"`.
    pub popup: Option<String>,
    /// `"1"`/`"0"`.
    pub menupopup: Option<String>,
    /// `"1"`/`"0"`.
    pub openprice: Option<String>,
    /// Unix seconds as a string.
    pub modtime: Option<String>,
}

/// The plain envelope.
#[derive(Debug, Deserialize)]
pub struct PlainCloudPosEnvelope {
    /// `1`.
    pub success: u8,
    /// The products.
    pub data: Vec<PlainCloudPosProduct>,
}

/// The CloudPOS `get-products` decode comparison on `products` records.
pub fn cloudpos(products: usize, runs: usize) -> Result<DecodeResult, String> {
    use cloudpos_client::models::Product;
    let body = cloudpos_products_body(products);
    let decoders: Vec<(String, Decoder)> = vec![
        (
            "cloudpos-client `Vec<models::Product>`, as the client decodes it (envelope read as `RawValue`s → records from their bytes; Money, Decimal, flags, unix times)".to_owned(),
            decoder(
                |b| {
                    cloudpos_client::envelope::decode_list::<Product>("get-products", b)
                        .map_err(<serde_json::Error as serde::de::Error>::custom)
                },
                |v: &Vec<Product>| v.len(),
            ),
        ),
        (
            "plain envelope, `Vec<struct>` of every field (numeric strings as String)".to_owned(),
            decoder(
                |b| serde_json::from_slice::<PlainCloudPosEnvelope>(b),
                |v: &PlainCloudPosEnvelope| v.data.len(),
            ),
        ),
        (
            "`serde_json::Value`".to_owned(),
            decoder(
                |b| serde_json::from_slice::<serde_json::Value>(b),
                |v: &serde_json::Value| v["data"].as_array().map_or(0, Vec::len),
            ),
        ),
    ];
    measure(
        &format!("CloudPOS get-products, {products} products"),
        &body,
        products,
        runs,
        decoders,
    )
}

#[cfg(test)]
mod cloudpos_tests {
    #[test]
    fn every_cloudpos_decoder_reads_every_product() {
        let result = super::cloudpos(50, 1).unwrap();
        assert!(result.rows.iter().all(|r| r.items == 50), "{result:?}");
    }
}
