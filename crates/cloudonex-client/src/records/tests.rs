use super::*;

fn page(json: &str) -> Page<Record> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn every_list_shape_decodes() {
    assert_eq!(page(r#"[{"id":1},{"id":"2"}]"#).items.len(), 2);
    let p =
        page(r#"{"data":[{"id":1}],"current_page":"1","last_page":"3","per_page":1,"total":3}"#);
    assert_eq!(p.items[0].id, "1");
    assert_eq!(p.next_page(), Some(2));
    let p = page(r#"{"customers":[{"id":1}],"meta":{"page":2,"pages":2}}"#);
    assert_eq!(p.items.len(), 1);
    assert_eq!(p.next_page(), None);
    let p = page(r#"{"data":{"data":[{"id":5}],"current_page":1,"total":40,"per_page":20}}"#);
    assert_eq!(p.items[0].id, "5");
    assert_eq!(p.next_page(), Some(2));
    let p = page(r#"{"5":{"id":5,"name":"a"},"9":{"id":9}}"#);
    assert_eq!(
        p.items.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(),
        ["5", "9"]
    );
    assert!(page("null").items.is_empty());
    assert!(page("{}").items.is_empty());
    assert!(page(r#""""#).items.is_empty());
    assert!(serde_json::from_str::<Page<Record>>(r#"{"status":"x"}"#).is_err());
}

#[test]
fn undocumented_fields_read_as_sent() {
    let r: Record = serde_json::from_str(
        r#"{"id":1,"price":125.50,"tax":"21,00","paid":true,"note":"a \"b\"","gone":null,
            "lines":[1],"at":"2024-05-01 09:30:00","id2":"x","price":99.90}"#,
    )
    .unwrap();
    assert_eq!(r.id, "1");
    // A number keeps its digits; a repeated key gives its last value.
    assert_eq!(
        r.decimal("price").map(|d| d.to_string()).as_deref(),
        Some("99.90")
    );
    assert_eq!(r.field("price").map(RawValue::get), Some("99.90"));
    assert_eq!(
        r.decimal("tax").map(|d| d.to_string()).as_deref(),
        Some("21.00")
    );
    assert_eq!(r.text("paid").as_deref(), Some("true"));
    assert_eq!(r.text("note").as_deref(), Some("a \"b\""));
    assert_eq!(r.text("gone"), None);
    assert_eq!(r.text("lines"), None);
    assert_eq!(r.decimal("note"), None);
    assert_eq!(r.text("missing"), None);
    assert_eq!(
        r.datetime("at").map(|t| t.to_string()).as_deref(),
        Some("2024-05-01 09:30:00")
    );
    assert_eq!(r.datetime("price"), None);
    assert_eq!(r.rest().len(), 8);
    assert_eq!(r.rest().to_map()["lines"], serde_json::json!([1]));
}

#[test]
fn one_record_or_a_list_of_one() {
    let One(r): One<Record> = serde_json::from_str(r#"{"id":3}"#).unwrap();
    assert_eq!(r.id, "3");
    let One(r): One<Record> = serde_json::from_str(r#"[{"id":4}]"#).unwrap();
    assert_eq!(r.id, "4");
    assert!(serde_json::from_str::<One<Record>>("[]").is_err());
    assert!(serde_json::from_str::<One<Record>>(r#"[{"id":1},{"id":2}]"#).is_err());
}
