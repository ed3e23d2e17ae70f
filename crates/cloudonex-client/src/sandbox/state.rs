//! The stored world: tables of records per resource, rate-limit windows per key, the seed
//! data and the rules a record must follow.

use std::collections::{BTreeMap, HashMap};
use std::time::{SystemTime, UNIX_EPOCH};

use pos_client_core::Money;
use pos_client_core::rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::client::Resource;
use crate::requests::email_accepted;

#[derive(Default)]
pub(super) struct Table {
    pub(super) rows: BTreeMap<u64, Value>,
    pub(super) next: u64,
}

pub(super) struct Window {
    pub(super) start: u64,
    pub(super) used: u32,
}

pub(super) struct World {
    pub(super) keys: Vec<String>,
    pub(super) limit: u32,
    pub(super) windows: HashMap<String, Window>,
    pub(super) tables: HashMap<Resource, Table>,
}

pub(super) const SEED_TIME: &str = "2024-05-01 09:30:00";

pub(super) fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub(super) fn sql_now() -> String {
    pos_client_core::chrono::Local::now()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// A decimal as a PHP backend prints money: at least two decimals, as a string.
pub(super) fn money_text(d: Decimal) -> String {
    Money::new(d.normalize()).with_min_decimals(2).to_string()
}

impl World {
    pub(super) fn new(keys: Vec<String>, limit: u32, seed: bool) -> World {
        let mut world = World {
            keys,
            limit,
            windows: HashMap::new(),
            tables: HashMap::new(),
        };
        for r in Resource::ALL {
            world.tables.insert(
                r,
                Table {
                    rows: BTreeMap::new(),
                    next: 1,
                },
            );
        }
        if seed {
            world.seed();
        }
        world
    }

    pub(super) fn insert(&mut self, resource: Resource, mut fields: Map<String, Value>) -> Value {
        let table = self.tables.entry(resource).or_default();
        let id = table.next;
        table.next += 1;
        let mut record = Map::new();
        record.insert("id".into(), Value::String(id.to_string()));
        record.append(&mut fields);
        record
            .entry("created_at")
            .or_insert_with(|| Value::String(sql_now()));
        record.insert("updated_at".into(), Value::Null);
        let record = Value::Object(record);
        table.rows.insert(id, record.clone());
        record
    }

    pub(super) fn seed(&mut self) {
        let obj = |v: Value| match v {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        for (account, email, phone) in [
            (
                "Ada Lovelace",
                json!("ada@example.com"),
                json!(442071234567u64),
            ),
            (
                "Grace Hopper",
                json!("grace@example.com"),
                json!("1234567890"),
            ),
            ("Walk-in customer", Value::Null, json!("")),
        ] {
            self.insert(Resource::Customers, obj(json!({"account": account, "email": email, "phone": phone, "created_at": SEED_TIME})));
        }
        for (name, price, sku) in [
            ("Espresso beans 1 kg", "18.90", "CX-1001"),
            ("Oat milk 1 L", "2.35", "CX-1002"),
            ("Ceramic mug", "7.50", "CX-1003"),
            ("Gift card", "25.00", "CX-1004"),
        ] {
            self.insert(Resource::Products, obj(json!({"name": name, "price": price, "sku": sku, "stock": "12", "created_at": SEED_TIME})));
        }
        let invoice = json!({"customer_id": "1", "items": [{"description": "Espresso beans 1 kg", "amount": "18.90", "qty": "2"}]});
        if let Ok(fields) = self.invoice_fields(obj(invoice)) {
            self.insert(Resource::Invoices, fields);
        }
        let samples: [(Resource, Value); 7] = [
            (
                Resource::Transactions,
                json!({"account": "Ada Lovelace", "amount": "37.80", "type": "Income", "date": "2024-05-01"}),
            ),
            (
                Resource::Quotes,
                json!({"customer_id": "2", "subject": "Office coffee", "total": "120.00", "status": "Draft"}),
            ),
            (
                Resource::Orders,
                json!({"customer_id": "1", "total": "18.90", "status": "Pending"}),
            ),
            (
                Resource::Leads,
                json!({"name": "Katherine Johnson", "email": "kj@example.com", "status": "New"}),
            ),
            (
                Resource::Suppliers,
                json!({"account": "Bean Traders Ltd", "email": "sales@beantraders.example", "phone": 3225551234u64}),
            ),
            (
                Resource::Purchases,
                json!({"supplier_id": "1", "total": "540.00", "status": "Received"}),
            ),
            (
                Resource::Tickets,
                json!({"subject": "Card reader offline", "status": "Open", "priority": "High"}),
            ),
        ];
        for (resource, fields) in samples {
            let mut fields = obj(fields);
            fields.insert("created_at".into(), json!(SEED_TIME));
            self.insert(resource, fields);
        }
    }

    /// Checks an invoice and computes its totals; field errors keyed as the request names them.
    pub(super) fn invoice_fields(
        &self,
        mut fields: Map<String, Value>,
    ) -> Result<Map<String, Value>, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let customer = fields.get("customer_id").and_then(scalar_text);
        match customer.as_deref().and_then(|c| c.parse::<u64>().ok()) {
            None => errors.push(("customer_id".into(), "Customer is required".into())),
            Some(id)
                if !self
                    .tables
                    .get(&Resource::Customers)
                    .is_some_and(|t| t.rows.contains_key(&id)) =>
            {
                errors.push(("customer_id".into(), "Customer not found".into()))
            }
            Some(_) => {}
        }
        let mut total = Decimal::ZERO;
        let mut items_out = Vec::new();
        match fields.get("items") {
            Some(Value::Array(items)) if !items.is_empty() => {
                for (n, item) in items.iter().enumerate() {
                    let get = |k: &str| item.get(k).and_then(scalar_text);
                    // A text (`'description' => 'Product A'`, line 162), not a number.
                    let description = item
                        .get("description")
                        .and_then(Value::as_str)
                        .map(str::trim)
                        .filter(|d| !d.is_empty());
                    // As the client: a negative amount is a credit or discount line; the
                    // quantity must be above zero.
                    let amount = get("amount").and_then(|a| a.parse::<Decimal>().ok());
                    let qty = get("qty")
                        .and_then(|q| q.parse::<Decimal>().ok())
                        .filter(|q| *q > Decimal::ZERO);
                    if description.is_none() {
                        errors.push((
                            format!("items.{n}.description"),
                            "Description is required".into(),
                        ));
                    }
                    if amount.is_none() {
                        errors.push((
                            format!("items.{n}.amount"),
                            "Amount must be a number".into(),
                        ));
                    }
                    if qty.is_none() {
                        errors.push((
                            format!("items.{n}.qty"),
                            "Quantity must be a number above 0".into(),
                        ));
                    }
                    if let (Some(d), Some(a), Some(q)) = (description, amount, qty) {
                        let line = a * q;
                        total += line;
                        items_out.push(json!({"description": d, "amount": money_text(a), "qty": q.normalize().to_string(), "total": money_text(line)}));
                    }
                }
            }
            _ => errors.push(("items".into(), "At least one item is required".into())),
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        fields.insert("customer_id".into(), json!(customer.unwrap_or_default()));
        fields.insert("items".into(), Value::Array(items_out));
        fields.insert("total".into(), json!(money_text(total)));
        fields.entry("status").or_insert(json!("Unpaid"));
        Ok(fields)
    }

    pub(super) fn customer_errors(
        fields: &Map<String, Value>,
        creating: bool,
    ) -> Vec<(String, String)> {
        let mut errors = Vec::new();
        let account = fields.get("account");
        let blank = account.is_none_or(|a| a.as_str().is_none_or(|s| s.trim().is_empty()));
        if (creating || account.is_some()) && blank {
            errors.push(("account".into(), "Account is required".into()));
        }
        match fields.get("email") {
            None | Some(Value::Null) => {}
            Some(Value::String(e)) if email_accepted(e) => {}
            Some(_) => errors.push(("email".into(), "Invalid email format".into())),
        }
        // The document sends the phone as a text (`"phone": "1234567890"`, lines 96, 150).
        match fields.get("phone") {
            None | Some(Value::Null | Value::String(_)) => {}
            Some(_) => errors.push(("phone".into(), "Phone must be a text".into())),
        }
        errors
    }
}

pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
