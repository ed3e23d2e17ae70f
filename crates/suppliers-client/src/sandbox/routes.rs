//! Routing a request to its resource, and the supplier actions (`PUT /suppliers/{id}`).

use std::collections::BTreeMap;

use pos_client_core::http::{HeaderMap, Method, StatusCode, Uri, header};
use pos_client_core::path::decode_segment;
use pos_client_core::rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::auth::oauth;
use super::http::{Reply, coded, invalid, ok, only_fields, only_query, problem};
use super::purchase::{purchase, temp_action};
use super::state::{World, lenient_dec, lenient_str, yn};
use super::{JSON, SandboxSupplier, VND};

pub(super) fn route(
    w: &mut World,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Reply {
    let path = uri.path().trim_matches('/').to_owned();
    let query: BTreeMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let segments: Vec<String> = path.split('/').map(decode_segment).collect();
    // The JSON body of a PUT/POST, after the media-type check.
    let needs_body = matches!(*method, Method::PUT | Method::POST);
    let mut data = Map::new();
    if needs_body {
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        let base = ct.split(';').next().unwrap_or("").trim().to_owned();
        let form = base == "application/x-www-form-urlencoded";
        if base != VND && base != JSON && !(form && path == "oauth") {
            return problem(415, None, "Invalid content-type specified");
        }
        if form {
            for (k, v) in url::form_urlencoded::parse(body) {
                data.insert(k.into_owned(), v.into_owned().into());
            }
        } else {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => data = map,
                _ => return problem(400, None, "JSON decoding error"),
            }
        }
    }
    if path == "oauth" && *method == Method::POST {
        return oauth(w, &data);
    }
    let (person, key) = match w.authenticate(method, uri, headers) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let seg: Vec<&str> = segments.iter().map(String::as_str).collect();
    if let Err(r) = only_query(&query, query_of(method, &seg)) {
        return r;
    }
    match (method.clone(), seg.as_slice()) {
        (Method::GET, ["supplier-purchase-temp"]) => {
            let items: Vec<Value> = w
                .temps
                .iter()
                .filter(|(_, t)| t.owner == person)
                .map(|(id, t)| {
                    json!({
                        "id": id,
                        "reason": t.reason,
                        "person_name": w.persons.get(&t.owner).map(|p| p.name.clone()),
                        "supplier_name": t.supplier.and_then(|s| w.suppliers.get(&s)).map(|s| s.name.clone()),
                        "person_share": t.shared_by,
                        "first_product_name": t.lines.first().map(|l| w.products[l.product].name.clone()),
                        "num_other_line": t.lines.len().saturating_sub(1),
                        "created_at": t.created,
                        "updated_at": t.created,
                    })
                })
                .collect();
            w.page(
                "supplier_purchase_temp",
                "supplier-purchase-temp",
                items,
                &query,
            )
        }
        (Method::GET, ["supplier-purchase-temp", "location-person"]) => {
            let locs = w
                .persons
                .get(&person)
                .map(|p| p.locations.clone())
                .unwrap_or_default();
            if locs.is_empty() {
                return ok(json!({ "location_person": [] }));
            }
            ok(json!({ "location_person": locs }))
        }
        (Method::GET, ["supplier-purchase-temp", "current"]) => {
            let claim = query.get("set_current_access_token").map(String::as_str);
            if claim.is_some_and(|v| v != "Y") {
                // The document: "set_current_access_token=Y"; another value is not read as no.
                return invalid("set_current_access_token", "set_current_access_token is Y");
            }
            if claim == Some("Y") {
                if let Some(p) = w.persons.get_mut(&person) {
                    p.access = Some(key);
                }
            } else if !w.has_access(&person, &key) {
                return coded("NOT_CURRENT_ACCESS_TOKEN");
            }
            let id = w.ensure_current(&person);
            ok(w.current_json(&id))
        }
        (Method::GET, ["supplier-purchase-temp", id]) => match w.temps.get(*id) {
            Some(t) if t.owner == person => ok(w.current_json(id)),
            // The document lists only "404: Not Found" for this route, no result code.
            _ => problem(404, None, "Entity not found"),
        },
        (Method::PUT, ["supplier-purchase-temp", id]) => temp_action(w, &person, &key, id, &data),
        (Method::DELETE, ["supplier-purchase-temp", id]) => {
            if !w.has_access(&person, &key) {
                return coded("NOT_CURRENT_ACCESS_TOKEN");
            }
            let current = w.persons.get(&person).and_then(|p| p.current.clone());
            if current.as_deref() != Some(*id) {
                return coded("TRANS_NOT_CURRENT");
            }
            w.temps.remove(*id);
            let fresh = w.new_temp(&person);
            if let Some(p) = w.persons.get_mut(&person) {
                p.current = Some(fresh.clone());
            }
            ok(w.current_json(&fresh))
        }
        (Method::POST, ["supplier-purchase"]) => purchase(w, &person, &key, &data),
        (Method::GET, ["suppliers"]) => {
            let visible = match query.get("visible").map(String::as_str) {
                None => None,
                Some("Y") => Some(true),
                Some("N") => Some(false),
                Some(_) => return invalid("visible", "visible is N or Y"),
            };
            let name = query.get("name").map(|n| n.to_lowercase());
            let items: Vec<Value> = w
                .suppliers
                .values()
                .filter(|s| visible.is_none_or(|v| s.visible == v))
                .filter(|s| {
                    name.as_ref()
                        .is_none_or(|n| s.name.to_lowercase().contains(n))
                })
                .map(|s| {
                    json!({
                        "id": s.id,
                        "taxid": s.taxid,
                        "name": s.name,
                        "curdebt": s.curdebt.normalize().to_string(),
                        "curdate": "2024-05-01",
                        "phone": s.phone,
                        "visible": yn(s.visible),
                    })
                })
                .collect();
            w.page("suppliers", "suppliers", items, &query)
        }
        (Method::POST, ["suppliers"]) => {
            // The body of "POST /suppliers" (name, phone, region, city, address).
            if let Err(r) = only_fields(
                &data,
                &["name", "phone", "region", "city", "address"],
                "POST /suppliers",
            ) {
                return r;
            }
            let Some(name) = lenient_str(data.get("name")) else {
                return invalid("name", "Value is required and can't be empty");
            };
            let id = w.suppliers.keys().max().copied().unwrap_or(0) + 1;
            let field = |k: &str| lenient_str(data.get(k)).unwrap_or_default();
            let s = SandboxSupplier {
                id,
                name,
                searchkey: format!("NCC{id:04}"),
                taxid: String::new(),
                phone: field("phone"),
                region: field("region"),
                city: field("city"),
                address: field("address"),
                visible: true,
                maxdebt: Decimal::ZERO,
                curdebt: Decimal::ZERO,
            };
            let body = json!({ "result": "SUCCESS", "supplier": World::supplier_json(&s, false) });
            w.suppliers.insert(id, s);
            Reply {
                status: StatusCode::CREATED,
                ..ok(body)
            }
        }
        (Method::GET, ["suppliers", id]) => {
            match id.parse::<u64>().ok().and_then(|i| w.suppliers.get(&i)) {
                Some(s) => {
                    ok(json!({ "result": "SUCCESS", "supplier": World::supplier_json(s, true) }))
                }
                None => problem(404, Some("NOT_FOUND_SUPPLIER"), "NOT_FOUND_SUPPLIER"),
            }
        }
        (Method::DELETE, ["suppliers", id]) => {
            match id.parse::<u64>().ok().and_then(|i| w.suppliers.remove(&i)) {
                Some(_) => Reply {
                    status: StatusCode::NO_CONTENT,
                    body: None,
                    problem: false,
                    headers: Vec::new(),
                },
                // The document's own spelling.
                None => coded("NOT_FOUND_SUPPLER"),
            }
        }
        (Method::PUT, ["suppliers", id]) => supplier_action(w, id, &data),
        // Another method on a known route: 405 with the methods this route really serves.
        (_, ["supplier-purchase-temp"]) => not_allowed("GET"),
        (_, ["supplier-purchase-temp", _]) => not_allowed("GET, PUT, DELETE"),
        (_, ["supplier-purchase"]) => not_allowed("POST"),
        (_, ["suppliers"]) => not_allowed("GET, POST"),
        (_, ["suppliers", _]) => not_allowed("GET, PUT, DELETE"),
        _ => problem(404, None, "Page not found."),
    }
}

/// The query parameters of each request: the document's filters (`visible`, `name`;
/// `set_current_access_token` of `/current`) and the framework's paging of the collections.
/// The others take none: their fields go in the body or the path.
fn query_of(method: &Method, seg: &[&str]) -> &'static [&'static str] {
    match (method.clone(), seg) {
        (Method::GET, ["supplier-purchase-temp"]) => &["page", "page_size"],
        (Method::GET, ["supplier-purchase-temp", "current"]) => &["set_current_access_token"],
        (Method::GET, ["suppliers"]) => &["visible", "name", "page", "page_size"],
        _ => &[],
    }
}

fn not_allowed(allow: &str) -> Reply {
    let mut r = problem(405, None, "Method Not Allowed");
    r.headers.push((header::ALLOW, allow.into()));
    r
}

pub(super) fn supplier_action(w: &mut World, id: &str, data: &Map<String, Value>) -> Reply {
    let Some(sid) = id
        .parse::<u64>()
        .ok()
        .filter(|i| w.suppliers.contains_key(i))
    else {
        return problem(404, Some("NOT_FOUND_SUPPLIER"), "NOT_FOUND_SUPPLIER");
    };
    let Some(action) = lenient_str(data.get("action")) else {
        return invalid("action", "Value is required and can't be empty");
    };
    // The fields whose comment names the action ("Với action ...").
    let fields: &[&str] = match action.as_str() {
        "editName" => &["action", "name"],
        "editCode" => &["action", "searchkey", "taxid"],
        "editVisible" => &["action", "visible"],
        "editMaxDebt" => &["action", "maxdebt"],
        "updateCurdebt" => &["action", "payment_method", "debt", "note"],
        "editContactInfo" | "editContacinfo" => &["action", "phone", "region", "city", "address"],
        _ => return invalid("action", "The action is not one of the documented actions"),
    };
    if let Err(r) = only_fields(data, fields, &action) {
        return r;
    }
    let required = |k: &str| {
        lenient_str(data.get(k)).ok_or_else(|| invalid(k, "Value is required and can't be empty"))
    };
    let Some(s) = w.suppliers.get_mut(&sid) else {
        return coded("NOT_FOUND_SUPPLIER");
    };
    match action.as_str() {
        "editName" => match required("name") {
            Ok(n) => s.name = n,
            Err(r) => return r,
        },
        "editCode" => match (required("searchkey"), required("taxid")) {
            (Ok(k), Ok(t)) => {
                s.searchkey = k;
                s.taxid = t;
            }
            (Err(r), _) | (_, Err(r)) => return r,
        },
        "editVisible" => match required("visible").as_deref() {
            Ok("Y") => s.visible = true,
            Ok("N") => s.visible = false,
            Ok(_) => return invalid("visible", "Y or N"),
            Err(_) => return invalid("visible", "Value is required and can't be empty"),
        },
        "editMaxDebt" => match lenient_dec(data.get("maxdebt")) {
            Some(Ok(m)) if !m.is_sign_negative() => s.maxdebt = m,
            Some(_) => return invalid("maxdebt", "The input is not a valid amount"),
            None => return invalid("maxdebt", "Value is required and can't be empty"),
        },
        "updateCurdebt" => {
            let method = match required("payment_method") {
                Ok(m) if m == "debt" || m == "debtpaid" => m,
                Ok(_) => return invalid("payment_method", "debt or debtpaid"),
                Err(r) => return r,
            };
            let debt = match lenient_dec(data.get("debt")) {
                Some(Ok(d)) if d > Decimal::ZERO => d,
                Some(_) => return invalid("debt", "The input is not greater than 0"),
                None => return invalid("debt", "Value is required and can't be empty"),
            };
            if method == "debt" {
                if s.curdebt + debt > s.maxdebt {
                    return coded("DEBT_NOT_GREATER_MAXDEBT");
                }
                s.curdebt += debt;
            } else {
                if debt > s.curdebt {
                    return coded("DEBT_NOT_GREATER_CURDEBT");
                }
                s.curdebt -= debt;
            }
        }
        // The document spells it both ways (as the units action, every shown spelling is
        // accepted); an edit without any field is refused.
        "editContactInfo" | "editContacinfo" => {
            const FIELDS: [&str; 4] = ["phone", "region", "city", "address"];
            if !FIELDS
                .iter()
                .any(|k| data.get(*k).is_some_and(|v| !v.is_null()))
            {
                return invalid("phone", "One of phone, region, city, address is required");
            }
            for (k, slot) in [
                ("phone", &mut s.phone),
                ("region", &mut s.region),
                ("city", &mut s.city),
                ("address", &mut s.address),
            ] {
                if let Some(v) = lenient_str(data.get(k)) {
                    *slot = v;
                }
            }
        }
        _ => return invalid("action", "The action is not one of the documented actions"),
    }
    ok(json!({ "result": "SUCCESS" }))
}
