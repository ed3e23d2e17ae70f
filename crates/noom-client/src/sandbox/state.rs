//! The stateful store: users and tokens, documents with their open and saved versions, and the
//! rules that build rows from the catalogue or from `objdata`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};

use pos_client_core::chrono::{Local, NaiveDateTime};
use pos_client_core::encoding::parse_decimal;
use pos_client_core::rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::render::round2;
use super::tables::SandboxItem;
use super::wire::{Failure, failure};

pub(super) struct Shared {
    /// Whether `accesstoken` is also read from the form body.
    pub(super) token_in_body: bool,
    pub(super) state: Mutex<Store>,
}

impl Shared {
    pub(super) fn lock(&self) -> MutexGuard<'_, Store> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub(super) struct Store {
    pub(super) users: HashMap<String, String>,
    /// token -> user
    pub(super) tokens: HashMap<String, String>,
    pub(super) catalogue: Vec<SandboxItem>,
    pub(super) privileges: Vec<(String, Vec<String>)>,
    pub(super) states: Vec<String>,
    pub(super) docs: BTreeMap<String, Doc>,
    pub(super) next_token: u64,
    pub(super) next_uid: u64,
    pub(super) next_dhid: u64,
    pub(super) next_id: u64,
}

#[derive(Debug, Clone)]
pub(super) struct Doc {
    pub(super) owner: String,
    pub(super) dhid: Option<u64>,
    pub(super) saved: Option<Body>,
    pub(super) open: Option<Body>,
}

#[derive(Debug, Clone)]
pub(super) struct Body {
    pub(super) doctype: String,
    pub(super) docst: String,
    pub(super) docstate: String,
    pub(super) header: Map<String, Value>,
    pub(super) rows: Vec<Row>,
    pub(super) payments: Vec<Pay>,
    pub(super) events: Vec<Map<String, Value>>,
    pub(super) created: NaiveDateTime,
    pub(super) documentno: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    pub(super) id: u64,
    pub(super) batch_id: Option<u64>,
    pub(super) product_id: Option<u64>,
    pub(super) searchcode: Option<String>,
    pub(super) barcode: Option<String>,
    pub(super) text: Option<String>,
    pub(super) quantity: Decimal,
    pub(super) price: Decimal,
    pub(super) price_fixed: bool,
    pub(super) vat_rate: Decimal,
    pub(super) object_id: Option<String>,
    pub(super) time: NaiveDateTime,
}

#[derive(Debug, Clone)]
pub(super) struct Pay {
    pub(super) mode: String,
    pub(super) kind: String,
    pub(super) amount: Decimal,
    pub(super) currency: String,
    pub(super) modeex: String,
    pub(super) additional_id: String,
    pub(super) datetime: String,
    pub(super) created: NaiveDateTime,
    pub(super) id: u64,
}

impl Row {
    pub(super) fn amount(&self) -> Decimal {
        round2(self.quantity * self.price)
    }
}

impl Body {
    pub(super) fn new(doctype: &str, docst: &str) -> Self {
        Body {
            doctype: doctype.to_owned(),
            docst: docst.to_owned(),
            docstate: "0".to_owned(),
            header: Map::new(),
            rows: Vec::new(),
            payments: Vec::new(),
            events: Vec::new(),
            created: Local::now().naive_local(),
            documentno: None,
        }
    }

    pub(super) fn amount(&self) -> Decimal {
        self.rows.iter().map(Row::amount).sum()
    }

    pub(super) fn paid(&self) -> Decimal {
        self.payments.iter().map(|p| p.amount).sum()
    }
}

pub(super) fn json_decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => parse_decimal(&n.to_string()).ok(),
        Value::String(s) => parse_decimal(s).ok(),
        _ => None,
    }
}

pub(super) fn json_u64(v: &Value) -> Option<u64> {
    match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Store {
    pub(super) fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub(super) fn item_by_batch(&self, batch: u64) -> Option<SandboxItem> {
        self.catalogue.iter().find(|i| i.batch_id == batch).cloned()
    }

    pub(super) fn row_from_item(
        &mut self,
        item: &SandboxItem,
        quantity: Decimal,
        price: Option<Decimal>,
    ) -> Row {
        Row {
            id: self.next_id(),
            batch_id: Some(item.batch_id),
            product_id: Some(item.product_id),
            searchcode: Some(item.searchcode.clone()),
            barcode: Some(item.barcode.clone()),
            text: Some(item.name.clone()),
            quantity,
            price: price.unwrap_or(item.price),
            price_fixed: price.is_some(),
            vat_rate: item.vat_rate,
            object_id: None,
            time: Local::now().naive_local(),
        }
    }

    /// A row from `objdata` JSON (`ODOC_SETDATA`), merged over `base` when given.
    pub(super) fn row_from_json(&mut self, v: &Map<String, Value>, base: Option<Row>) -> Row {
        let mut row = base.unwrap_or_else(|| Row {
            id: 0,
            batch_id: None,
            product_id: None,
            searchcode: None,
            barcode: None,
            text: None,
            quantity: Decimal::ONE,
            price: Decimal::ZERO,
            price_fixed: false,
            vat_rate: Decimal::from(20),
            object_id: None,
            time: Local::now().naive_local(),
        });
        if row.id == 0 {
            row.id = self.next_id();
        }
        // The attribute table's spelling: `batch_id` is not a row attribute of ODOC_SETDATA.
        let batch = v.get("bach_id").and_then(json_u64);
        if let Some(batch) = batch {
            row.batch_id = Some(batch);
            if let Some(item) = self.item_by_batch(batch) {
                row.product_id = Some(item.product_id);
                row.searchcode = Some(item.searchcode);
                row.barcode = Some(item.barcode);
                row.text = Some(item.name);
                row.price = item.price;
                row.vat_rate = item.vat_rate;
            }
        }
        if let Some(p) = v.get("product_id").and_then(json_u64) {
            row.product_id = Some(p);
        }
        if let Some(q) = v.get("quantity").and_then(json_decimal) {
            row.quantity = q;
        }
        if let Some(p) = v.get("price").and_then(json_decimal) {
            row.price = p;
            row.price_fixed = true;
        }
        if let Some(o) = v.get("object_id").and_then(Value::as_str) {
            row.object_id = Some(o.to_owned());
        }
        row
    }

    pub(super) fn render(&self, uid: &str, user: &str, what: &str) -> Value {
        match self.docs.get(uid) {
            Some(doc) => match doc.open.as_ref().or(doc.saved.as_ref()) {
                Some(body) => body.to_json(uid, doc.dhid, user, what),
                None => Value::Null,
            },
            None => Value::Null,
        }
    }

    pub(super) fn open_body(&mut self, uid: &str) -> Result<&mut Body, Failure> {
        self.docs
            .get_mut(uid)
            .and_then(|d| d.open.as_mut())
            .ok_or_else(|| failure(format!("Invalid UID: {uid}")))
    }
}
