//! Decode: the clients' typed models vs plain serde structs with `f64` fields vs `serde_json::Value`.

use std::fmt::Write as _;
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

/// Decodes the NOOM `ODOC_GETDOC` body of `rows` rows `runs` times as the client does, and
/// nothing else (for profiling).
pub fn profile_client_noom(rows: usize, runs: usize) -> Result<usize, String> {
    let body = fixtures::noom_getdoc_body(rows);
    let mut items = 0;
    for _ in 0..runs {
        let envelope: RawEnvelope<'_> =
            serde_json::from_slice(black_box(&body)).map_err(|e| e.to_string())?;
        let data: noom_client::models::DocumentData =
            serde_json::from_str(envelope.data.get()).map_err(|e| e.to_string())?;
        items = black_box(data)
            .document
            .and_then(|d| d.rows)
            .map_or(0, |r| r.row.len());
    }
    Ok(items)
}

/// Decodes the CloudPOS `get-products` body of `products` records `runs` times as the client
/// does, and nothing else (for profiling).
pub fn profile_client_cloudpos(products: usize, runs: usize) -> Result<usize, String> {
    use cloudpos_client::models::Product;
    let body = cloudpos_products_body(products);
    let mut items = 0;
    for _ in 0..runs {
        let v: Vec<Product> =
            cloudpos_client::envelope::decode_list("get-products", black_box(&body))?;
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
        suppliers(config.suppliers, config.decode_runs)?,
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

/// A Suppliers `GET suppliers` page as a PHP/Laminas API Tools backend sends it: one HAL
/// collection page holding every supplier under `_embedded.suppliers`, each entity with its own
/// `_links.self` (the framework adds it), ids and tax ids as strings, `Y`/`N` flags, VND debts
/// mostly large JSON integers and every seventh a numeric string, some nulls, and the
/// framework's paging fields (`page_size` echoed from the query string, so a string).
pub fn suppliers_body(suppliers: usize) -> Vec<u8> {
    let mut body = String::with_capacity(suppliers * 290 + 256);
    let _ = write!(
        body,
        r#"{{"_links":{{"self":{{"href":"https://erp.example.vn/api/suppliers?page=1"}},"first":{{"href":"https://erp.example.vn/api/suppliers"}},"last":{{"href":"https://erp.example.vn/api/suppliers?page=1"}}}},"_embedded":{{"suppliers":["#
    );
    for n in 1..=suppliers {
        if n > 1 {
            body.push(',');
        }
        let debt = 1_000_000u64 * (n as u64 % 1_500) + 500 * (n as u64 % 7);
        let curdebt = if n % 7 == 0 {
            format!(r#""{debt}""#)
        } else {
            debt.to_string()
        };
        let taxid = if n % 11 == 0 {
            "null".to_owned()
        } else {
            format!(r#""03{:08}""#, n * 37 % 100_000_000)
        };
        let curdate = if n % 5 == 0 {
            "null".to_owned()
        } else {
            format!(r#""2024-{:02}-{:02} 08:30:00""#, n % 12 + 1, n % 28 + 1)
        };
        let _ = write!(
            body,
            r#"{{"id":"{n}","taxid":{taxid},"name":"Công ty TNHH Thương mại Nhà cung cấp {n}","curdebt":{curdebt},"curdate":{curdate},"phone":"09{:08}","visible":"{}","_links":{{"self":{{"href":"https://erp.example.vn/api/suppliers/{n}"}}}}}}"#,
            n * 7919 % 100_000_000,
            if n % 9 == 0 { 'N' } else { 'Y' },
        );
    }
    let _ = write!(
        body,
        r#"]}},"page_count":1,"page_size":"{suppliers}","total_items":{suppliers},"page":1}}"#
    );
    body.into_bytes()
}

/// The fields of a JSON answer suppliers-client's protocol reads from every answer before the
/// payload is decoded (`result` and the problem+json fields; its `Probe`, private to the crate),
/// so that the client row pays for the same whole-body pass the client makes.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct SuppliersProbe {
    result: Option<serde_json::Value>,
    title: Option<serde_json::Value>,
    detail: Option<serde_json::Value>,
    validation_messages: Option<serde_json::Value>,
}

/// What a user writes without the client: every documented field, strings as the body has them,
/// the debt as `Value` (it comes as a number or as a string), the flag as a `String`.
#[derive(Debug, Deserialize)]
pub struct PlainSupplier {
    /// Id.
    pub id: String,
    /// Tax id.
    pub taxid: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Current debt in dong: a JSON number or a numeric string.
    pub curdebt: serde_json::Value,
    /// Date of the current debt.
    pub curdate: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// `Y`/`N`.
    pub visible: String,
}

/// The plain `_embedded`.
#[derive(Debug, Deserialize)]
pub struct PlainSupplierEmbedded {
    /// The suppliers.
    pub suppliers: Vec<PlainSupplier>,
}

/// The plain page (the paging fields as the body has them; `_links` skipped).
#[derive(Debug, Deserialize)]
pub struct PlainSupplierPage {
    /// The items.
    #[serde(rename = "_embedded")]
    pub embedded: PlainSupplierEmbedded,
    /// Number of pages.
    pub page_count: u32,
    /// Items per page, a numeric string.
    pub page_size: String,
    /// Items in all pages.
    pub total_items: u64,
    /// This page.
    pub page: u32,
}

/// The Suppliers `GET suppliers` decode comparison on a page of `suppliers` records.
pub fn suppliers(suppliers: usize, runs: usize) -> Result<DecodeResult, String> {
    use suppliers_client::models::SupplierPage;
    let body = suppliers_body(suppliers);
    let decoders: Vec<(String, Decoder)> = vec![
        (
            "suppliers-client `models::SupplierPage`, as the client decodes it (the protocol's search for a `result` key, its probe of `result`/problem fields only when one may be there, then the generated models from the same bytes; Decimal debt, Y/N flag; not through `decode_answer`: the crate's protocol is private)".to_owned(),
            decoder(
                |b| {
                    if memchr::memmem::find(b, b"\"result\"").is_some() {
                        let probe: SuppliersProbe = serde_json::from_slice(b).unwrap_or_default();
                        black_box(&probe);
                    }
                    serde_json::from_slice::<SupplierPage>(b)
                },
                |p: &SupplierPage| p.embedded.as_ref().map_or(0, |e| e.suppliers.len()),
            ),
        ),
        (
            "plain page struct, `Vec<struct>` of every documented field (strings as String, debt as `Value`)".to_owned(),
            decoder(
                |b| serde_json::from_slice::<PlainSupplierPage>(b),
                |v: &PlainSupplierPage| v.embedded.suppliers.len(),
            ),
        ),
        (
            "`serde_json::Value`".to_owned(),
            decoder(
                |b| serde_json::from_slice::<serde_json::Value>(b),
                |v: &serde_json::Value| v["_embedded"]["suppliers"].as_array().map_or(0, Vec::len),
            ),
        ),
    ];
    measure(
        &format!("Suppliers list (`GET suppliers`), {suppliers} suppliers"),
        &body,
        suppliers,
        runs,
        decoders,
    )
}

#[cfg(test)]
mod suppliers_tests {
    #[test]
    fn every_suppliers_decoder_reads_every_supplier() {
        let result = super::suppliers(50, 1).unwrap();
        assert!(result.rows.iter().all(|r| r.items == 50), "{result:?}");
    }

    #[test]
    fn the_client_models_read_string_and_number_debts_and_flags() {
        use suppliers_client::models::SupplierPage;
        let page: SupplierPage = serde_json::from_slice(&super::suppliers_body(14)).unwrap();
        let items = page.embedded.unwrap().suppliers;
        // Supplier 7: debt sent as a string; 9: hidden; 11: no tax id; 14: debt as a string.
        let debt = |n: usize| items[n - 1].curdebt.unwrap().to_string();
        assert_eq!(debt(7), "7000000");
        assert_eq!(debt(8), "8000500");
        assert_eq!(items[8].visible, Some(false));
        assert_eq!(items[0].visible, Some(true));
        assert_eq!(items[10].taxid, None);
        assert_eq!(page.page_size, Some(14));
    }
}
