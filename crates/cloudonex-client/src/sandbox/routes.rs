//! The five operations on a resource: list (with Laravel paging), get, create, update, delete.

use pos_client_core::http::{HeaderMap, Method, StatusCode, header};
use pos_client_core::path::decode_segment;
use pos_client_core::sandbox::axum::body::Bytes;
use serde_json::{Map, Value, json};

use super::DEFAULT_PER_PAGE;
use super::http::{Answer, fail, invalid, ok};
use super::state::{World, sql_now};
use crate::client::Resource;

impl World {
    pub(super) fn route(
        &mut self,
        method: &Method,
        route: &str,
        query: &[(String, String)],
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Answer {
        let mut parts = route.trim_end_matches('/').splitn(2, '/');
        let Some(resource) = parts.next().and_then(Resource::from_path) else {
            return fail(StatusCode::NOT_FOUND, json!([]), "Unknown endpoint");
        };
        let id = match parts.next() {
            None => None,
            Some(raw) => match decode_segment(raw).parse::<u64>() {
                Ok(id) => Some(id),
                Err(_) => return fail(StatusCode::NOT_FOUND, json!([]), "Record not found"),
            },
        };
        // The five documented routes; any other method or shape is 404 in the error envelope
        // (the document lists no 405), before the body is looked at.
        let known = matches!(
            (method, id),
            (&Method::GET, _) | (&Method::POST, None) | (&Method::PUT | &Method::DELETE, Some(_))
        );
        if !known {
            return fail(StatusCode::NOT_FOUND, json!([]), "Unknown endpoint");
        }
        let needs_body = matches!(*method, Method::POST | Method::PUT);
        let fields = if needs_body {
            // The media type itself (its case and parameters such as a charset aside), not
            // any type that starts with the same letters (`application/jsonp`).
            let json_type = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(';').next())
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
            if !json_type {
                return fail(
                    StatusCode::BAD_REQUEST,
                    json!([]),
                    "Content-Type must be application/json",
                );
            }
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) if !map.is_empty() => map,
                _ => {
                    return fail(
                        StatusCode::BAD_REQUEST,
                        json!([]),
                        "The body must be a non-empty JSON object",
                    );
                }
            }
        } else {
            Map::new()
        };
        match (method.clone(), id) {
            (Method::GET, None) => self.list(resource, query),
            (Method::GET, Some(id)) => {
                match self.tables.get(&resource).and_then(|t| t.rows.get(&id)) {
                    Some(record) => ok(StatusCode::OK, record.clone(), None),
                    None => fail(StatusCode::NOT_FOUND, json!([]), "Record not found"),
                }
            }
            (Method::POST, None) => self.create(resource, fields),
            (Method::PUT, Some(id)) => self.update(resource, id, fields),
            (Method::DELETE, Some(id)) => match self
                .tables
                .get_mut(&resource)
                .and_then(|t| t.rows.remove(&id))
            {
                // The "Response Format" (lines 33-39) prints `data` as `{}`: an object, not null.
                Some(_) => ok(StatusCode::OK, json!({}), Some("Record deleted")),
                None => fail(StatusCode::NOT_FOUND, json!([]), "Record not found"),
            },
            _ => fail(StatusCode::NOT_FOUND, json!([]), "Unknown endpoint"),
        }
    }

    pub(super) fn list(&self, resource: Resource, query: &[(String, String)]) -> Answer {
        let rows: Vec<Value> = self
            .tables
            .get(&resource)
            .map(|t| t.rows.values().cloned().collect())
            .unwrap_or_default();
        let param = |k: &str| query.iter().find(|(q, _)| q == k).map(|(_, v)| v.as_str());
        if param("page").is_none() && param("per_page").is_none() {
            return ok(StatusCode::OK, Value::Array(rows), None);
        }
        let page = param("page")
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p > 0);
        let per_page = param("per_page").map_or(Some(DEFAULT_PER_PAGE), |p| {
            p.parse::<usize>().ok().filter(|p| (1..=100).contains(p))
        });
        let (Some(page), Some(per_page)) = (page, per_page) else {
            return fail(
                StatusCode::BAD_REQUEST,
                json!({"page": "page must be a positive number; per_page 1 to 100"}),
                "Validation failed",
            );
        };
        let total = rows.len();
        let last = total.div_ceil(per_page).max(1);
        let data: Vec<Value> = rows
            .into_iter()
            .skip((page - 1) * per_page)
            .take(per_page)
            .collect();
        ok(
            StatusCode::OK,
            json!({"data": data, "current_page": page.to_string(), "last_page": last, "per_page": per_page, "total": total}),
            None,
        )
    }

    pub(super) fn create(&mut self, resource: Resource, fields: Map<String, Value>) -> Answer {
        let fields = match resource {
            Resource::Customers => {
                let errors = World::customer_errors(&fields, true);
                if !errors.is_empty() {
                    return invalid(errors);
                }
                fields
            }
            Resource::Invoices => match self.invoice_fields(fields) {
                Ok(f) => f,
                Err(errors) => {
                    return invalid(errors);
                }
            },
            _ => fields,
        };
        let mut fields = fields;
        fields.remove("id");
        let record = self.insert(resource, fields);
        ok(StatusCode::CREATED, record, Some("Created successfully"))
    }

    pub(super) fn update(
        &mut self,
        resource: Resource,
        id: u64,
        mut fields: Map<String, Value>,
    ) -> Answer {
        let Some(existing) = self
            .tables
            .get(&resource)
            .and_then(|t| t.rows.get(&id))
            .cloned()
        else {
            return fail(StatusCode::NOT_FOUND, json!([]), "Record not found");
        };
        fields.remove("id");
        let mut merged = match existing {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        match resource {
            Resource::Customers => {
                let errors = World::customer_errors(&fields, false);
                if !errors.is_empty() {
                    return invalid(errors);
                }
                merged.append(&mut fields);
            }
            Resource::Invoices => {
                merged.append(&mut fields);
                match self.invoice_fields(merged) {
                    Ok(f) => merged = f,
                    Err(errors) => {
                        return invalid(errors);
                    }
                }
            }
            _ => merged.append(&mut fields),
        }
        merged.insert("updated_at".into(), Value::String(sql_now()));
        let record = Value::Object(merged);
        if let Some(table) = self.tables.get_mut(&resource) {
            table.rows.insert(id, record.clone());
        }
        ok(StatusCode::OK, record, Some("Updated successfully"))
    }
}
