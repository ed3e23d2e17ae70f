//! The temporary purchase actions (`PUT /supplier-purchase-temp/{trans_id}`) and the purchase
//! order (`POST /supplier-purchase`), with their documented errors in the document's order.

use pos_client_core::http::StatusCode;
use pos_client_core::rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::SandboxOrder;
use super::http::{Reply, coded, invalid, invalid_as, ok, only_fields, problem};
use super::state::{Line, World, lenient_dec, lenient_str, yn};

pub(super) fn temp_action(
    w: &mut World,
    person: &str,
    key: &str,
    path_id: &str,
    data: &Map<String, Value>,
) -> Reply {
    let Some(action) = lenient_str(data.get("action")) else {
        return invalid("action", "Value is required and can't be empty");
    };
    // The fields whose comment names the action ("Áp dụng với action ..."); `action` and
    // `trans_id` always.
    let fields: &[&str] = match action.as_str() {
        "addLine" => &["action", "trans_id", "product_id", "product_code", "units"],
        "editTrans" => &[
            "action",
            "trans_id",
            "reason",
            "location_id",
            "supplier_id",
            "business_id",
            "note",
        ],
        "editUnits" | "editUnit" => &["action", "trans_id", "line_id", "units"],
        "editPricebuy" => &["action", "trans_id", "line_id", "pricebuy"],
        "editUpdateProduct" => &[
            "action",
            "trans_id",
            "line_id",
            "update_supplier",
            "update_pricebuy",
        ],
        "deleteLine" => &["action", "trans_id", "line_id"],
        "forwardTrans" => &["action", "trans_id", "person_id"],
        "activeTrans" | "createNewTrans" => &["action", "trans_id"],
        "importProduct" => &["action", "trans_id", "products"],
        _ => return invalid("action", "The action is not one of the documented actions"),
    };
    if let Err(r) = only_fields(data, fields, &action) {
        return r;
    }
    let Some(trans_id) = lenient_str(data.get("trans_id")) else {
        return invalid("trans_id", "Value is required and can't be empty");
    };
    if trans_id != path_id {
        return problem(
            400,
            Some("ERROR"),
            "trans_id differs from the id in the path",
        );
    }
    if !w.has_access(person, key) {
        return coded("NOT_CURRENT_ACCESS_TOKEN");
    }
    let current = w.persons.get(person).and_then(|p| p.current.clone());
    if action == "activeTrans" {
        let waiting = w
            .temps
            .get(&trans_id)
            .is_some_and(|t| t.owner == person && current.as_deref() != Some(&trans_id));
        if !waiting {
            return coded("TRANS_NOT_FOUND");
        }
        if let Some(p) = w.persons.get_mut(person) {
            p.current = Some(trans_id.clone());
        }
        return ok(w.current_json(&trans_id));
    }
    if current.as_deref() != Some(trans_id.as_str()) {
        return coded("TRANS_NOT_CURRENT");
    }
    let line_index = |w: &World| -> Result<usize, Reply> {
        let Some(line) = lenient_str(data.get("line_id")) else {
            return Err(invalid("line_id", "Value is required and can't be empty"));
        };
        w.temps
            .get(&trans_id)
            .and_then(|t| t.lines.iter().position(|l| l.id == line))
            .ok_or_else(|| coded("LINE_NOT_FOUND"))
    };
    let units = |field: &str| -> Result<Decimal, Reply> {
        match lenient_dec(data.get(field)) {
            Some(Ok(u)) if u > Decimal::ZERO => Ok(u),
            Some(_) => Err(invalid(field, "The input is not greater than 0")),
            None => Err(invalid(field, "Value is required and can't be empty")),
        }
    };
    match action.as_str() {
        "addLine" => {
            let by_id = lenient_str(data.get("product_id"));
            let by_code = lenient_str(data.get("product_code"));
            if by_id.is_none() && by_code.is_none() {
                return invalid("product_id", "product_id or product_code is required");
            }
            // "product_id|product_code": one of the two; both could name two products.
            if by_id.is_some() && by_code.is_some() {
                return invalid_as(
                    "product_code",
                    "notBoth",
                    "product_id or product_code, not both",
                );
            }
            let units = match units("units") {
                Ok(u) => u,
                Err(r) => return r,
            };
            let Some(product) = w.products.iter().position(|p| {
                by_id.as_deref() == Some(p.id.as_str())
                    || by_code.as_deref() == Some(p.code.as_str())
            }) else {
                return coded("PRODUCT_NOT_FOUND");
            };
            let n = w.next();
            let Some(t) = w.temps.get_mut(&trans_id) else {
                return coded("ERROR");
            };
            let (line, is_update) = match t.lines.iter_mut().find(|l| l.product == product) {
                Some(l) => {
                    l.units += units;
                    (l.clone(), true)
                }
                None => {
                    let l = Line {
                        id: n.to_string(),
                        product,
                        units,
                        pricebuy: None,
                        update_supplier: true,
                        update_pricebuy: true,
                    };
                    t.lines.push(l.clone());
                    (l, false)
                }
            };
            let p = &w.products[product];
            ok(json!({
                "result": "SUCCESS",
                "line": {
                    "line_id": line.id.parse::<u64>().unwrap_or_default(),
                    "product_id": p.id,
                    "product_name": p.name,
                    "units": line.units.normalize().to_string(),
                    "update_supplier": yn(line.update_supplier),
                    "update_pricebuy": yn(line.update_pricebuy),
                },
                "is_update": yn(is_update),
            }))
        }
        "editTrans" => {
            let reason = lenient_str(data.get("reason"));
            let location = lenient_str(data.get("location_id"));
            let supplier = lenient_str(data.get("supplier_id"));
            let business = lenient_str(data.get("business_id"));
            let p = w.persons.get(person).cloned();
            let reason = match reason.as_deref() {
                None => None,
                Some(r) => match p.as_ref().and_then(|p| p.reasons.iter().find(|x| **x == r)) {
                    Some(r) => Some(*r),
                    None => return coded("NOT_PERMISSION_SELECT_THIS_REASON"),
                },
            };
            if let Some(l) = &location
                && !p.as_ref().is_some_and(|p| p.locations.contains_key(l))
            {
                return coded("NOT_PERMISSION_SELECT_THIS_LOCATION");
            }
            let supplier = match supplier {
                None => None,
                Some(s) => match s
                    .parse::<u64>()
                    .ok()
                    .filter(|i| w.suppliers.contains_key(i))
                {
                    Some(i) => Some(i),
                    None => return coded("NOT_FOUND_SUPPLIER"),
                },
            };
            if let Some(b) = &business
                && !w.businesses.contains_key(b)
            {
                return coded("NOT_FOUND_BUSINESS");
            }
            let Some(t) = w.temps.get_mut(&trans_id) else {
                return coded("ERROR");
            };
            if let Some(r) = reason {
                t.reason = r;
            }
            if location.is_some() {
                t.location = location;
            }
            if supplier.is_some() {
                t.supplier = supplier;
            }
            if business.is_some() {
                t.business = business;
            }
            if let Some(n) = data.get("note").and_then(Value::as_str) {
                t.note = n.to_owned();
            }
            let info = w.current_json(&trans_id)["current_trans"]["trans_info"].clone();
            let mut info = info.as_object().cloned().unwrap_or_default();
            for k in ["id", "reason", "person_name"] {
                info.remove(k);
            }
            ok(json!({ "result": "SUCCESS", "trans_info": info }))
        }
        // The document spells it both ways.
        "editUnits" | "editUnit" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            // The document gives editUnits no units rule (only LINE_NOT_FOUND) and checks
            // units > 0 when ordering (REQUEST_UNITS_GREATER_0): a line may be set to 0 here.
            let units = match lenient_dec(data.get("units")) {
                Some(Ok(u)) if !u.is_sign_negative() => u,
                Some(_) => return invalid("units", "The input is not a valid number"),
                None => return invalid("units", "Value is required and can't be empty"),
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.lines[i].units = units;
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "editPricebuy" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            let price = match lenient_dec(data.get("pricebuy")) {
                Some(Ok(p)) if !p.is_sign_negative() => p,
                Some(_) => return invalid("pricebuy", "The input is not a valid price"),
                None => return invalid("pricebuy", "Value is required and can't be empty"),
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.lines[i].pricebuy = Some(price);
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "editUpdateProduct" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            let flag = |k: &str| match lenient_str(data.get(k)).as_deref() {
                Some("Y") => Ok(Some(true)),
                Some("N") => Ok(Some(false)),
                None => Ok(None),
                Some(_) => Err(invalid(k, "Y or N")),
            };
            let (us, up) = match (flag("update_supplier"), flag("update_pricebuy")) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(r), _) | (_, Err(r)) => return r,
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                if let Some(v) = us {
                    t.lines[i].update_supplier = v;
                }
                if let Some(v) = up {
                    t.lines[i].update_pricebuy = v;
                }
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "deleteLine" => {
            let i = match line_index(w) {
                Ok(i) => i,
                Err(r) => return r,
            };
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.lines.remove(i);
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        "forwardTrans" => {
            let Some(to) = lenient_str(data.get("person_id")) else {
                return invalid("person_id", "Value is required and can't be empty");
            };
            if !w.persons.contains_key(&to) {
                return coded("PERSON_NOT_FOUND");
            }
            if to == person {
                return coded("NOT_FORWARD_YOURSELF");
            }
            if w.temps.get(&trans_id).is_none_or(|t| t.lines.is_empty()) {
                return coded("TRANS_NOT_ITEM");
            }
            let from = w.persons.get(person).map(|p| p.name.clone());
            if let Some(t) = w.temps.get_mut(&trans_id) {
                t.owner = to;
                t.shared_by = from;
            }
            let fresh = w.new_temp(person);
            if let Some(p) = w.persons.get_mut(person) {
                p.current = Some(fresh.clone());
            }
            ok(w.current_json(&fresh))
        }
        "createNewTrans" => {
            let fresh = w.new_temp(person);
            if let Some(p) = w.persons.get_mut(person) {
                p.current = Some(fresh.clone());
            }
            ok(w.current_json(&fresh))
        }
        "importProduct" => {
            // The document: "a JSON string of [{reference, units, pricebuy?}]".
            let Some(Value::String(text)) = data.get("products") else {
                return invalid("products", "A JSON string is required");
            };
            let Ok(Value::Array(rows)) = serde_json::from_str::<Value>(text) else {
                return coded("ERROR");
            };
            let mut seen: Vec<String> = Vec::new();
            let mut parsed = Vec::new();
            for row in &rows {
                // The document's structure: {"reference", "units", "pricebuy"?} objects. Another
                // key (a `price` for `pricebuy`) would be dropped silently: refused.
                let Some(obj) = row.as_object() else {
                    return invalid_as("products", "invalidType", "Each product is an object");
                };
                if let Some(k) = obj
                    .keys()
                    .find(|k| !["reference", "units", "pricebuy"].contains(&k.as_str()))
                {
                    return invalid_as(
                        "products",
                        "unrecognized",
                        &format!("Unrecognized field {k} in products (reference, units, pricebuy)"),
                    );
                }
                let reference = lenient_str(row.get("reference")).unwrap_or_default();
                if seen.contains(&reference) {
                    return coded("DUPLICATE_REFERENCE");
                }
                seen.push(reference.clone());
                let units = match lenient_dec(row.get("units")) {
                    Some(Ok(u)) if u > Decimal::ZERO => u,
                    _ => return coded("INCORRECT_UNITS"),
                };
                let price = match lenient_dec(row.get("pricebuy")) {
                    None => None,
                    Some(Ok(p)) if !p.is_sign_negative() => Some(p),
                    Some(_) => return coded("INCORRECT_PRICEBUY"),
                };
                let Some(product) = w.products.iter().position(|p| p.code == reference) else {
                    return coded("NOT_FOUND_PRODUCT");
                };
                parsed.push((product, units, price));
            }
            for (product, units, price) in parsed {
                let n = w.next();
                let Some(t) = w.temps.get_mut(&trans_id) else {
                    return coded("ERROR");
                };
                match t.lines.iter_mut().find(|l| l.product == product) {
                    Some(l) => {
                        l.units += units;
                        if price.is_some() {
                            l.pricebuy = price;
                        }
                    }
                    None => t.lines.push(Line {
                        id: n.to_string(),
                        product,
                        units,
                        pricebuy: price,
                        update_supplier: true,
                        update_pricebuy: true,
                    }),
                }
            }
            ok(json!({ "result": "SUCCESS" }))
        }
        _ => invalid("action", "The action is not one of the documented actions"),
    }
}

pub(super) fn purchase(w: &mut World, person: &str, key: &str, data: &Map<String, Value>) -> Reply {
    // The fields table's names and the body's `purchase_temp_id`.
    if let Err(r) = only_fields(
        data,
        &[
            "purchase_temp_id",
            "trans_temp_id",
            "payment_method",
            "payment_note",
        ],
        "POST /supplier-purchase",
    ) {
        return r;
    }
    // The document names the id both ways; both may come, but not with two values.
    let by_body = lenient_str(data.get("purchase_temp_id"));
    let by_table = lenient_str(data.get("trans_temp_id"));
    if let (Some(a), Some(b)) = (&by_body, &by_table)
        && a != b
    {
        return invalid("trans_temp_id", "trans_temp_id and purchase_temp_id differ");
    }
    let id = by_body.or(by_table);
    let current = w.persons.get(person).and_then(|p| p.current.clone());
    let Some(id) = id.filter(|i| current.as_deref() == Some(i.as_str())) else {
        return coded("PURCHASE_TEMP_INVALID");
    };
    if !w.has_access(person, key) {
        return coded("NOT_CURRENT_ACCESS_TOKEN");
    }
    // Optional in the fields table: an order without it is paid cash (adds no debt).
    let method = lenient_str(data.get("payment_method")).unwrap_or_else(|| "cash".to_owned());
    if method != "cash" && method != "debt" {
        return invalid("payment_method", "cash or debt");
    }
    let Some(t) = w.temps.get(&id).cloned() else {
        return coded("PURCHASE_TEMP_INVALID");
    };
    let Some(location) = &t.location else {
        return coded("REQUIRED_LOCATION_ID");
    };
    if !w
        .persons
        .get(person)
        .is_some_and(|p| p.locations.contains_key(location))
    {
        return coded("NOT_PERMISSION_SELECT_THIS_LOCATION");
    }
    let Some(supplier_id) = t.supplier else {
        return coded("REQUIRED_SUPPLIER_ID");
    };
    let Some(supplier) = w.suppliers.get(&supplier_id).cloned() else {
        return coded("NOT_FOUND_SUPPLIER");
    };
    if let Some(b) = &t.business
        && !w.businesses.contains_key(b)
    {
        return coded("NOT_FOUND_BUSINESS");
    }
    if t.lines.is_empty() {
        return coded("PURCHASE_TEMP_NOT_ITEM");
    }
    if t.lines.iter().any(|l| l.units <= Decimal::ZERO) {
        return coded("REQUEST_UNITS_GREATER_0");
    }
    let total: Decimal = t
        .lines
        .iter()
        .map(|l| l.units * l.pricebuy.unwrap_or_default())
        .sum();
    if method == "debt" && supplier.curdebt + total > supplier.maxdebt {
        return coded("DEBT_NOT_GREATER_MAXDEBT");
    }
    if method == "debt"
        && let Some(s) = w.suppliers.get_mut(&supplier_id)
    {
        s.curdebt += total;
    }
    let lines = t
        .lines
        .iter()
        .map(|l| {
            (
                w.products[l.product].code.clone(),
                l.units,
                l.pricebuy.unwrap_or_default(),
            )
        })
        .collect();
    w.orders.push(SandboxOrder {
        trans_id: id.clone(),
        supplier_id,
        payment_method: method,
        total,
        lines,
    });
    w.temps.remove(&id);
    let fresh = w.new_temp(person);
    if let Some(p) = w.persons.get_mut(person) {
        p.current = Some(fresh);
    }
    Reply {
        status: StatusCode::CREATED,
        ..ok(json!({ "result": "SUCCESS" }))
    }
}
