//! Unit tests of [`super`].

#![allow(clippy::unwrap_used)]

use super::*;

fn raw(text: &str) -> Box<RawValue> {
    RawValue::from_string(text.to_owned()).unwrap()
}

#[test]
fn every_value_type_is_kept_as_sent() {
    let text = r#"{"s":"125.50","n":125.50,"e":1.0e2,"i":-7,"big":123456789012345678901234567890,"t":true,"f":false,"z":null,"a":[1,"x",{"k":[]}],"o":{"p":{"q":null}},"empty":{}}"#;
    let rest: Rest = serde_json::from_str(text).unwrap();
    assert_eq!(rest.as_json(), text);
    assert_eq!(rest.len(), 11);
    assert_eq!(rest.get("n").unwrap().get(), "125.50");
    assert_eq!(rest.get("e").unwrap().get(), "1.0e2");
    assert_eq!(
        rest.get("big").unwrap().get(),
        "123456789012345678901234567890"
    );
    assert_eq!(rest.get("a").unwrap().get(), r#"[1,"x",{"k":[]}]"#);
    assert_eq!(rest.get_as::<String>("s").unwrap().unwrap(), "125.50");
    assert_eq!(rest.get_as::<i64>("i").unwrap().unwrap(), -7);
    assert_eq!(rest.get_as::<Option<u8>>("z").unwrap().unwrap(), None);
    assert!(rest.get_as::<u8>("s").unwrap().is_err());
    assert!(rest.get_as::<u8>("missing").is_none());
    assert_eq!(
        Value::Object(rest.to_map()),
        serde_json::from_str::<Value>(text).unwrap()
    );
    // Serializing writes the values back unchanged.
    assert_eq!(serde_json::to_string(&rest).unwrap(), text);
}

#[test]
fn escaped_keys_round_trip() {
    let text = r#"{"a\"b":1,"back\\slash":2,"line\nfeed":3,"tab\t":4,"ctl\u0001":5,"café ✓":6,"\u00e9":7}"#;
    let rest: Rest = serde_json::from_str(text).unwrap();
    let keys: Vec<String> = rest.keys().map(Cow::into_owned).collect();
    assert_eq!(
        keys,
        [
            "a\"b",
            "back\\slash",
            "line\nfeed",
            "tab\t",
            "ctl\u{1}",
            "café ✓",
            "é"
        ]
    );
    assert_eq!(rest.get("ctl\u{1}").unwrap().get(), "5");
    assert_eq!(rest.get("é").unwrap().get(), "7");
    // The buffer is valid JSON with the same meaning.
    assert_eq!(
        serde_json::from_str::<Value>(rest.as_json()).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
    let mut built = Rest::new();
    for (k, v) in rest.iter() {
        built.push_raw(&k, v);
    }
    assert_eq!(built, rest);
    assert_eq!(built.as_json(), rest.as_json());
}

#[test]
fn a_repeated_key_counts_once_with_its_last_value() {
    let rest: Rest = serde_json::from_str(r#"{"k":1,"x":0,"k":2}"#).unwrap();
    assert_eq!(rest.len(), 2);
    assert_eq!(rest.get("k").unwrap().get(), "2");
    assert_eq!(rest.keys().collect::<Vec<_>>(), ["x", "k"]);
    assert_eq!(rest.to_map()["k"], 2);
    assert_eq!(serde_json::to_string(&rest).unwrap(), r#"{"x":0,"k":2}"#);
}

#[test]
fn empty_shapes_and_building() {
    for text in ["{}", "[]", "null"] {
        let rest: Rest = serde_json::from_str(text).unwrap();
        assert!(rest.is_empty(), "{text}");
        assert_eq!(rest.len(), 0);
        assert_eq!(rest, Rest::default());
        assert_eq!(serde_json::to_string(&rest).unwrap(), "{}");
    }
    assert!(serde_json::from_str::<Rest>("[1]").is_err());
    assert!(serde_json::from_str::<Rest>("\"x\"").is_err());
    let mut rest = Rest::new();
    rest.push("name", "Widget").unwrap();
    rest.push_raw("price", &raw("12.50"));
    assert!(!rest.is_empty());
    assert!(rest.contains_key("price") && !rest.contains_key("Price"));
    assert_eq!(rest.as_json(), r#"{"name":"Widget","price":12.50}"#);
}

#[test]
fn debug_shows_keys_only_and_equality_ignores_order() {
    let rest: Rest = serde_json::from_str(r#"{"token":"s3cr3t","b":2}"#).unwrap();
    let debug = format!("{rest:?}");
    assert_eq!(debug, r#"Rest { keys: ["token", "b"] }"#);
    assert!(!debug.contains("s3cr3t"));
    let other: Rest = serde_json::from_str(r#"{ "b":2, "token":"s3cr3t" }"#).unwrap();
    assert_eq!(rest, other);
    let different: Rest = serde_json::from_str(r#"{"b":2.0,"token":"s3cr3t"}"#).unwrap();
    assert_ne!(rest, different);
    assert_eq!(rest.clone(), rest);
}

#[test]
fn every_serde_json_source_and_other_deserializers() {
    let text = r#"{"n":1.50,"s":"x\"y","a":[true,null]}"#;
    let from_str: Rest = serde_json::from_str(text).unwrap();
    let from_reader: Rest = serde_json::from_reader(text.as_bytes()).unwrap();
    assert_eq!(from_reader.as_json(), text);
    // A `Value` has already normalised its numbers; the rest keeps what it holds.
    let value: Value = serde_json::from_str(text).unwrap();
    let from_value: Rest = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(Value::Object(from_value.to_map()), value);
    // Through serde's own buffering (an untagged enum): transcoded, same meaning.
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Rest(Rest),
    }
    let Either::Rest(buffered) = serde_json::from_str::<Either>(text).unwrap();
    assert_eq!(Value::Object(buffered.to_map()), value);
    assert_eq!(from_str.len(), 3);
    // And into a `Value` through serialization.
    assert_eq!(serde_json::to_value(&from_str).unwrap(), value);
}

#[test]
fn flatten_serialization_writes_the_fields_beside_the_named_ones() {
    #[derive(Serialize)]
    struct Record {
        id: u32,
        #[serde(flatten)]
        rest: Rest,
    }
    let rest: Rest = serde_json::from_str(r#"{"price":"1.10","qty":2.50}"#).unwrap();
    let text = serde_json::to_string(&Record { id: 7, rest }).unwrap();
    assert_eq!(text, r#"{"id":7,"price":"1.10","qty":2.50}"#);
}
