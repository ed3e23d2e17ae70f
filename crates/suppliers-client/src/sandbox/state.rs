//! The stored world: users and their tokens, locations and reasons, products, suppliers,
//! temporary purchases and orders, the seed data, and the paging of collections.

use std::collections::BTreeMap;

use pos_client_core::rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::http::{Reply, ok, problem};
use super::{
    OTHER_TOKEN, SECOND_TOKEN, SandboxOrder, SandboxSupplier, TEST_PASSWORD, TEST_TOKEN, TEST_USER,
};
use crate::digest::Algorithm;

#[derive(Debug, Clone)]
pub(super) struct Person {
    pub(super) name: String,
    pub(super) locations: BTreeMap<String, String>,
    pub(super) reasons: Vec<&'static str>,
    pub(super) current: Option<String>,
    pub(super) access: Option<String>,
}

#[derive(Debug, Clone)]
pub(super) struct Product {
    pub(super) id: String,
    pub(super) code: String,
    pub(super) name: String,
}

#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) id: String,
    pub(super) product: usize,
    pub(super) units: Decimal,
    pub(super) pricebuy: Option<Decimal>,
    pub(super) update_supplier: bool,
    pub(super) update_pricebuy: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Temp {
    pub(super) owner: String,
    pub(super) reason: &'static str,
    pub(super) location: Option<String>,
    pub(super) supplier: Option<u64>,
    pub(super) business: Option<String>,
    pub(super) note: String,
    pub(super) lines: Vec<Line>,
    pub(super) shared_by: Option<String>,
    pub(super) created: String,
}

pub(super) struct World {
    pub(super) persons: BTreeMap<String, Person>,
    pub(super) users: BTreeMap<String, (String, String)>,
    pub(super) tokens: BTreeMap<String, String>,
    pub(super) expired_tokens: Vec<String>,
    pub(super) businesses: BTreeMap<String, String>,
    pub(super) products: Vec<Product>,
    pub(super) suppliers: BTreeMap<u64, SandboxSupplier>,
    pub(super) temps: BTreeMap<String, Temp>,
    pub(super) orders: Vec<SandboxOrder>,
    pub(super) nonces: BTreeMap<String, (u32, bool)>,
    pub(super) algorithm: Algorithm,
    pub(super) page_size: usize,
    pub(super) counter: u64,
    /// Errors as the document's `{"result": CODE}` instead of problem+json.
    pub(super) result_bodies: bool,
    /// `expires_in` of the tokens `POST /oauth` issues.
    pub(super) oauth_lifetime: u64,
    /// HTTP Digest only: Basic refused, 401s challenge Digest alone.
    pub(super) digest_only: bool,
}

pub(super) fn lenient_str(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

pub(super) fn lenient_dec(v: Option<&Value>) -> Option<Result<Decimal, ()>> {
    lenient_str(v).map(|s| s.parse::<Decimal>().map_err(|_| ()))
}

pub(super) fn yn(b: bool) -> &'static str {
    if b { "Y" } else { "N" }
}

impl World {
    pub(super) fn seeded() -> World {
        let person = |name: &str, locs: &[(&str, &str)], reasons: Vec<&'static str>| Person {
            name: name.to_owned(),
            locations: locs
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
            reasons,
            current: None,
            access: None,
        };
        let mut persons = BTreeMap::new();
        persons.insert(
            "1".to_owned(),
            person(
                "Nguyễn Văn An",
                &[("1", "Kho Hà Nội"), ("2", "Kho Sài Gòn")],
                vec!["purchase", "return"],
            ),
        );
        persons.insert(
            "2".to_owned(),
            person("Trần Thị Bình", &[("2", "Kho Sài Gòn")], vec!["purchase"]),
        );
        persons.insert(
            "3".to_owned(),
            person("Lê Văn Cường", &[("3", "Kho Đà Nẵng")], vec!["purchase"]),
        );
        let mut users = BTreeMap::new();
        users.insert(
            TEST_USER.to_owned(),
            (TEST_PASSWORD.to_owned(), "1".to_owned()),
        );
        users.insert(
            "binh".to_owned(),
            ("mat-khau-binh".to_owned(), "2".to_owned()),
        );
        let mut tokens = BTreeMap::new();
        tokens.insert(TEST_TOKEN.to_owned(), "1".to_owned());
        tokens.insert(SECOND_TOKEN.to_owned(), "1".to_owned());
        tokens.insert(OTHER_TOKEN.to_owned(), "2".to_owned());
        let products = [
            ("101", "SP001", "Gạo ST25 túi 5kg"),
            ("102", "SP002", "Nước mắm Phú Quốc 500ml"),
            ("103", "SP003", "Cà phê G7 hộp 18 gói"),
            ("104", "SP004", "Mì Hảo Hảo thùng 30 gói"),
        ]
        .iter()
        .map(|(id, code, name)| Product {
            id: (*id).into(),
            code: (*code).into(),
            name: (*name).into(),
        })
        .collect();
        let supplier =
            |id: u64, name: &str, visible: bool, maxdebt: i64, curdebt: i64| SandboxSupplier {
                id,
                name: name.to_owned(),
                searchkey: format!("NCC{id:04}"),
                taxid: format!("010{id:07}"),
                phone: format!("09{id:08}"),
                region: "Hà Nội".into(),
                city: "Cầu Giấy".into(),
                address: format!("{id} Xuân Thủy"),
                visible,
                maxdebt: Decimal::from(maxdebt),
                curdebt: Decimal::from(curdebt),
            };
        let mut suppliers = BTreeMap::new();
        for s in [
            supplier(1, "Công ty Sữa Việt", true, 50_000_000, 12_500_000),
            supplier(2, "Đại lý Minh Long", false, 0, 0),
            supplier(3, "Nhà phân phối Sao Mai", true, 10_000_000, 0),
        ] {
            suppliers.insert(s.id, s);
        }
        let mut businesses = BTreeMap::new();
        businesses.insert("10".to_owned(), "Công ty TNHH An Phát".to_owned());
        World {
            persons,
            users,
            tokens,
            expired_tokens: Vec::new(),
            businesses,
            products,
            suppliers,
            temps: BTreeMap::new(),
            orders: Vec::new(),
            nonces: BTreeMap::new(),
            algorithm: Algorithm::Sha256,
            page_size: 25,
            counter: 0,
            result_bodies: false,
            oauth_lifetime: 3600,
            digest_only: false,
        }
    }

    pub(super) fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub(super) fn new_temp(&mut self, owner: &str) -> String {
        let n = self.next();
        let id = format!("{n:08x}-5a1e-4c0d-9e7f-{:012x}", n * 7919);
        self.temps.insert(
            id.clone(),
            Temp {
                owner: owner.to_owned(),
                reason: "purchase",
                location: None,
                supplier: None,
                business: None,
                note: String::new(),
                lines: Vec::new(),
                shared_by: None,
                created: format!("2024-05-01 08:{:02}:{:02}", (n / 60) % 60, n % 60),
            },
        );
        id
    }
}

impl World {
    pub(super) fn current_json(&self, id: &str) -> Value {
        let Some(t) = self.temps.get(id) else {
            return Value::Null;
        };
        let person = self.persons.get(&t.owner);
        let supplier = t.supplier.and_then(|s| self.suppliers.get(&s));
        let lines: Vec<Value> = t
            .lines
            .iter()
            .map(|l| {
                let p = &self.products[l.product];
                json!({
                    "line_id": l.id.parse::<u64>().map(Value::from).unwrap_or_else(|_| l.id.clone().into()),
                    "product_id": p.id,
                    "product_name": p.name,
                    "reference": p.code,
                    "units": l.units.normalize().to_string(),
                    "pricebuy": l.pricebuy.map(|p| Value::from(p.normalize().to_string())),
                    "update_supplier": yn(l.update_supplier),
                    "update_pricebuy": yn(l.update_pricebuy),
                })
            })
            .collect();
        json!({
            "result": "SUCCESS",
            "current_trans": {
                "trans_info": {
                    "id": id,
                    "reason": t.reason,
                    "person_name": person.map(|p| p.name.clone()),
                    "location_id": t.location.clone(),
                    "location_name": t.location.as_ref().and_then(|l| person.and_then(|p| p.locations.get(l).cloned())),
                    "supplier_id": t.supplier,
                    "supplier_name": supplier.map(|s| s.name.clone()),
                    "business_id": t.business.clone(),
                    "business_name": t.business.as_ref().and_then(|b| self.businesses.get(b).cloned()),
                    "note": t.note,
                },
                // PHP: an empty array.
                "trans_lines": lines,
            }
        })
    }

    pub(super) fn ensure_current(&mut self, person: &str) -> String {
        if let Some(id) = self.persons.get(person).and_then(|p| p.current.clone())
            && self.temps.contains_key(&id)
        {
            return id;
        }
        let id = self.new_temp(person);
        if let Some(p) = self.persons.get_mut(person) {
            p.current = Some(id.clone());
        }
        id
    }

    pub(super) fn has_access(&self, person: &str, key: &str) -> bool {
        self.persons
            .get(person)
            .is_some_and(|p| p.access.as_deref() == Some(key))
    }

    pub(super) fn page(
        &self,
        rel: &str,
        path: &str,
        items: Vec<Value>,
        query: &BTreeMap<String, String>,
    ) -> Reply {
        let size = query
            .get("page_size")
            .and_then(|s| s.parse::<usize>().ok())
            .filter(|s| *s > 0)
            .unwrap_or(self.page_size);
        let total = items.len();
        let count = total.div_ceil(size).max(1);
        // The framework casts `page` to an integer: text that is not one is page 0, refused.
        let page = query
            .get("page")
            .map_or(1, |s| s.parse::<usize>().unwrap_or(0));
        if page == 0 || page > count {
            return problem(409, None, &format!("Invalid page provided ({page})"));
        }
        let chunk: Vec<Value> = items
            .into_iter()
            .skip((page - 1) * size)
            .take(size)
            .collect();
        let href = |p: usize| json!({ "href": format!("/{path}?page={p}") });
        let mut links = Map::new();
        links.insert("self".into(), href(page));
        links.insert("first".into(), href(1));
        links.insert("last".into(), href(count));
        if page > 1 {
            links.insert("prev".into(), href(page - 1));
        }
        if page < count {
            links.insert("next".into(), href(page + 1));
        }
        ok(json!({
            "_links": links,
            "_embedded": { rel: chunk },
            "page_count": count,
            "page_size": size,
            "total_items": total,
            "page": page,
        }))
    }

    pub(super) fn supplier_json(s: &SandboxSupplier, full: bool) -> Value {
        let mut v = json!({
            "id": s.id,
            "searchkey": s.searchkey,
            "taxid": s.taxid,
            "name": s.name,
            "phone": s.phone,
            "address": s.address,
            "city": s.city,
            "region": s.region,
        });
        if full && let Value::Object(map) = &mut v {
            map.insert("maxdebt".into(), s.maxdebt.normalize().to_string().into());
            map.insert("curdebt".into(), s.curdebt.normalize().to_string().into());
            map.insert("curdate".into(), "2024-05-01".into());
            map.insert("visible".into(), yn(s.visible).into());
        }
        v
    }
}
