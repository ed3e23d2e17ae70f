//! Request parameters: a JSON body, or a form body with PHP bracket notation
//! (`items[0][code]=…`), as one JSON object.

use std::collections::BTreeMap;

use pos_client_core::http::{HeaderMap, header};
use serde_json::{Map, Value};

/// A request's parameters, and how they came.
pub(super) struct Parameters {
    /// The parameters as one JSON object (a form's values are all strings).
    pub(super) fields: Map<String, Value>,
    /// Whether the body was JSON (typed values) rather than a form (text only).
    pub(super) json: bool,
}

/// The request's parameters as one JSON object, from a JSON body or a (bracket) form body.
///
/// The token is "a POST parameter" (line 15): PHP fills its POST parameters only from a body
/// declared `application/x-www-form-urlencoded`, and the client's JSON option is read when
/// declared `application/json`. Any other body, or an undeclared one, carries no parameter.
pub(super) fn parameters(headers: &HeaderMap, body: &[u8]) -> Result<Parameters, String> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/json" => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(fields)) => Ok(Parameters { fields, json: true }),
            Ok(_) => Err("the JSON body must be an object".to_owned()),
            Err(e) => Err(format!("invalid JSON body: {e}")),
        },
        "application/x-www-form-urlencoded" => {
            let mut root = Value::Object(Map::new());
            for (key, value) in url::form_urlencoded::parse(body) {
                let path = bracket_path(&key)?;
                insert(&mut root, &path, Value::String(value.into_owned()))?;
            }
            match arrays(root) {
                Value::Object(fields) => Ok(Parameters {
                    fields,
                    json: false,
                }),
                _ => Err("invalid form body".to_owned()),
            }
        }
        _ => Err(format!(
            "a body of type {content_type:?} carries no POST parameter"
        )),
    }
}

/// `items[0][code]` → `["items", "0", "code"]`.
fn bracket_path(key: &str) -> Result<Vec<String>, String> {
    let Some(open) = key.find('[') else {
        return Ok(vec![key.to_owned()]);
    };
    let mut path = vec![key[..open].to_owned()];
    let mut rest = &key[open..];
    while !rest.is_empty() {
        let close = rest
            .find(']')
            .filter(|_| rest.starts_with('['))
            .ok_or_else(|| format!("malformed form key {key:?}"))?;
        path.push(rest[1..close].to_owned());
        rest = &rest[close + 1..];
    }
    if path.iter().any(String::is_empty) {
        return Err(format!(
            "unsupported form key {key:?}: use explicit indexes"
        ));
    }
    Ok(path)
}

fn insert(node: &mut Value, path: &[String], value: Value) -> Result<(), String> {
    let Value::Object(map) = node else {
        return Err(format!(
            "form key {:?} used as a value and a group",
            path[0]
        ));
    };
    match path {
        [] => Ok(()),
        [last] => {
            map.insert(last.clone(), value);
            Ok(())
        }
        [first, rest @ ..] => {
            let child = map
                .entry(first.clone())
                .or_insert_with(|| Value::Object(Map::new()));
            insert(child, rest, value)
        }
    }
}

/// Turns objects whose keys are all indexes (`{"0":…,"1":…}`) into arrays, in index order.
fn arrays(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let indexed: Option<BTreeMap<usize, Value>> = if map.is_empty() {
                None
            } else {
                map.iter()
                    .map(|(k, v)| k.parse::<usize>().ok().map(|i| (i, v.clone())))
                    .collect()
            };
            match indexed {
                Some(items) => Value::Array(items.into_values().map(arrays).collect()),
                None => Value::Object(map.into_iter().map(|(k, v)| (k, arrays(v))).collect()),
            }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn bracket_forms_nest_into_objects_and_arrays() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            "application/x-www-form-urlencoded".parse().unwrap(),
        );
        let body = b"token=t&reference_no=S+1&items%5B1%5D%5Bcode%5D=B&items[0][code]=A&items[0][qty]=2&items[10][code]=K";
        let params = parameters(&headers, body).unwrap();
        assert!(!params.json);
        assert_eq!(
            Value::Object(params.fields),
            json!({
                "token": "t",
                "reference_no": "S 1",
                "items": [{"code": "A", "qty": "2"}, {"code": "B"}, {"code": "K"}],
            })
        );
        assert!(bracket_path("items[][code]").is_err());
        assert!(bracket_path("items[0").is_err());
        assert!(parameters(&headers, b"a=1&a[0]=2").is_err());
    }
}
