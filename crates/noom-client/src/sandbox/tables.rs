//! The sandbox's fixed tables: the catalogue, the privileges and states it starts with, and the
//! payment modes of the vendor's example.

use pos_client_core::rust_decimal::Decimal;
use serde_json::{Value, json};

/// One product batch of the sandbox's catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SandboxItem {
    /// Batch id (`batch_id`).
    pub batch_id: u64,
    /// Product id (`product_id`).
    pub product_id: u64,
    /// Search code (`searchcode`).
    pub searchcode: String,
    /// Barcode (`barcode`).
    pub barcode: String,
    /// Name (row `text`).
    pub name: String,
    /// Unit price with VAT.
    pub price: Decimal,
    /// VAT rate in percent.
    pub vat_rate: Decimal,
}

impl SandboxItem {
    /// A catalogue entry with 20 % VAT.
    pub fn new(
        batch_id: u64,
        searchcode: impl Into<String>,
        barcode: impl Into<String>,
        name: impl Into<String>,
        price: Decimal,
    ) -> Self {
        SandboxItem {
            batch_id,
            product_id: batch_id + 10_000,
            searchcode: searchcode.into(),
            barcode: barcode.into(),
            name: name.into(),
            price,
            vat_rate: Decimal::from(20),
        }
    }
}

/// The catalogue [`Sandbox::start`](super::Sandbox::start) seeds, with the codes of the vendor's
/// examples: batch 5797 (`GA0004`, barcode `60100000`), batch 34463 (`601264`, barcode
/// `60104410`), batch 58 (`GA0058`) and one more.
pub fn default_catalogue() -> Vec<SandboxItem> {
    vec![
        SandboxItem::new(
            5797,
            "GA0004",
            "60100000",
            "Coffee beans 1 kg",
            Decimal::new(867, 2),
        ),
        SandboxItem::new(34463, "601264", "60104410", "Test (Tst)", Decimal::from(3)),
        SandboxItem::new(
            58,
            "GA0058",
            "4740000000058",
            "Green tea 100 g",
            Decimal::new(115, 1),
        ),
        SandboxItem::new(
            59,
            "GA0059",
            "4740000000059",
            "Ceramic mug",
            Decimal::new(650, 2),
        ),
    ]
}

/// The document types and type statuses `ODOC_NEW` accepts by default: `LS` (sales) with `0`,
/// `1`, `2T`; `LV` with `0`, `12`; `LI` with `0`, `1`.
pub fn default_privileges() -> Vec<(String, Vec<String>)> {
    [
        ("LS", &["0", "1", "2T"][..]),
        ("LV", &["0", "12"][..]),
        ("LI", &["0", "1"][..]),
    ]
    .into_iter()
    .map(|(t, s)| (t.to_owned(), s.iter().map(|s| (*s).to_owned()).collect()))
    .collect()
}

/// The document state table `DOCCHANGESTATE` accepts by default: `0`, `1`, `3`, `K`.
/// (`2` is refused, as in the vendor's example.)
pub fn default_states() -> Vec<String> {
    ["0", "1", "3", "K"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

pub(super) fn mode_name(mode: &str) -> &'static str {
    match mode {
        "C" => "Cash",
        "B" => "Bank Card",
        "U" => "Customer Card",
        "G" => "Gift certificate",
        _ => "",
    }
}

/// The vendor's `ODOC_GETPAYMODES` example data.
pub(super) fn payment_modes() -> Value {
    let mode = |id: &str, name: &str| {
        json!({ "id": id, "name": name, "backcolor": "", "older": "", "allowoverpayment": "",
                "privilegeslevel": "", "syspaymentmode": "" })
    };
    json!({
        "paymodescondition": "C,B,G,U",
        "partialpayment": 1,
        "nopayment": 1,
        "paymentmodes": [mode("C", "Cash"), mode("B", "Bank Card"), mode("U", "Customer Card"),
                         mode("G", "Gift certificate")],
    })
}
