//! End-to-end flows against the embedded sandbox: the documented workflow, the session
//! (single-flight login, token renewal, no retry on bad credentials, the re-login rule on both
//! sides), the documented error messages, getdoc variants, every parameter placement (the
//! sandbox reads the token from the query only, as documented), the tables' parameter names,
//! and faults from the kit.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use noom_client::models::RowData;
use noom_client::requests::{BarcodeSale, Event, ItemSale, Payment, SetData};
use noom_client::sandbox::{Fault, ROW_FAILURE_MSG, Sandbox, TOKEN_REJECTED_MSG};
use noom_client::{
    DecimalSeparator, Dhid, DocState, DocType, DocUid, Error, GetDocWhat, Money, NoomCode,
    ParamPlacement,
};
use rust_decimal_macros::dec;

fn ls() -> DocType {
    DocType::new("LS").unwrap()
}

fn st(s: &str) -> DocState {
    DocState::new(s).unwrap()
}

#[tokio::test]
async fn full_flow_new_sale_barcode_qty_delete_paymodes_payment_complete() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();

    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    assert_eq!(doc.uid().as_str(), "0001077484");
    doc.check().await.unwrap();

    // Row 1: 2 × GA0004 at the catalogue price 8.67.
    doc.item_sale(&ItemSale::new().search_code("GA0004").quantity(dec!(2)))
        .await
        .unwrap();
    // Row 2: barcode 60104410 (601264, price 3) inserted at row 2.
    doc.barcode_sale(&BarcodeSale::new("60104410", 2))
        .await
        .unwrap();
    // Row 3: batch 58 at a fixed price with a decimal comma on the wire.
    doc.item_sale(
        &ItemSale::new()
            .batch_id(58)
            .quantity(dec!(1.5))
            .price(Money::new(dec!(11.5))),
    )
    .await
    .unwrap();
    // Row 2 quantity 5 → 15.00.
    doc.set_quantity(2, dec!(5)).await.unwrap();
    // Drop row 3.
    doc.delete_row(3).await.unwrap();
    doc.add_event(
        &Event::new("TEST")
            .comment("quickstart")
            .source_type("API")
            .source_id("1"),
    )
    .await
    .unwrap();

    let before = doc.get_full().await.unwrap();
    let rows = before.rows();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].search_code.as_deref(), Some("GA0004"));
    assert_eq!(rows[0].quantity, Some(dec!(2)));
    assert_eq!(rows[1].batch_id.as_deref(), Some("34463"));
    assert_eq!(rows[1].quantity, Some(dec!(5)));
    assert_eq!(rows[1].amount, Some(Money::new(dec!(15))));
    let total = before.amount.unwrap();
    assert_eq!(total, Money::new(dec!(32.34)));
    assert_eq!(before.amount_to_pay, Some(total));

    let modes = doc.payment_modes().await.unwrap();
    let ids: Vec<&str> = modes.payment_modes.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["C", "B", "U", "G"]);
    assert_eq!(modes.partial_payment, Some(true));
    let mode = modes.mode("B").unwrap();
    doc.set_payment(&Payment::new(&mode.id, total).currency("EUR"))
        .await
        .unwrap();

    let uid = doc.uid().clone();
    let dhid = doc.complete().await.unwrap();
    assert_eq!(dhid, Dhid(noom_client::sandbox::FIRST_DHID));

    let saved = sandbox.document(uid.as_str()).unwrap();
    assert!(!saved.open);
    assert_eq!(saved.dhid, Some(dhid.get()));
    assert_eq!(saved.rows, 2);
    assert_eq!(saved.amount, dec!(32.34));
    assert_eq!(saved.paid, dec!(32.34));
    assert_eq!(saved.events, 1);
    assert!(client.list_open_documents().await.unwrap().is_empty());

    // The decimal comma was used on the wire (the default).
    let itemsale = sandbox
        .journal()
        .matching(Sandbox::act("ODOC_ITEMSALE").param("batch_id", "58"));
    assert_eq!(itemsale.len(), 1);
    assert_eq!(itemsale[0].param("quantity").as_deref(), Some("1,5"));
    assert_eq!(itemsale[0].param("price").as_deref(), Some("11,5"));
    // One login for the whole flow.
    assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 1);
}

#[tokio::test]
async fn cancel_drops_a_new_document_and_reverts_a_modified_one() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();

    let doc = client.new_document(&ls(), &st("0")).await.unwrap();
    let uid = doc.uid().clone();
    doc.item_sale(&ItemSale::new().batch_id(5797))
        .await
        .unwrap();
    assert_eq!(
        client.list_open_documents().await.unwrap(),
        vec![uid.clone()]
    );
    doc.cancel().await.unwrap();
    assert!(client.list_open_documents().await.unwrap().is_empty());
    assert!(sandbox.document(uid.as_str()).is_none());

    // Save one, reopen it, change it, cancel: the saved version is unchanged.
    let doc = client.new_document(&ls(), &st("0")).await.unwrap();
    let uid = doc.uid().clone();
    doc.item_sale(&ItemSale::new().batch_id(5797))
        .await
        .unwrap();
    doc.complete().await.unwrap();
    let doc = client.modify_document(&uid, false).await.unwrap();
    assert_eq!(doc.uid(), &uid);
    assert!(sandbox.document(uid.as_str()).unwrap().open);
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    assert_eq!(doc.get(GetDocWhat::Rows).await.unwrap().rows().len(), 2);
    doc.cancel().await.unwrap();
    let saved = sandbox.document(uid.as_str()).unwrap();
    assert!(!saved.open);
    assert_eq!(saved.rows, 1);
    // A cancelled document is no longer open.
    let err = client.document(uid).check().await.unwrap_err();
    assert!(err.code() == Some(&NoomCode::InvalidUid), "{err}");
}

#[tokio::test]
async fn fifty_concurrent_calls_on_a_fresh_client_log_in_once() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    assert!(!client.has_session().await);
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let client = client.clone();
        tasks.spawn(async move { client.list_open_documents().await });
    }
    while let Some(result) = tasks.join_next().await {
        assert!(result.unwrap().unwrap().is_empty());
    }
    assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 1);
    assert_eq!(sandbox.journal().hits(Sandbox::act("ODOC_LIST")), 50);
    assert_eq!(sandbox.active_tokens(), 1);
    assert!(client.has_session().await);
}

#[tokio::test]
async fn an_expired_token_is_renewed_once_and_the_call_repeated_once() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    sandbox.expire_tokens();

    // A write: refused (not run), log in again, repeated once; the row exists exactly once.
    doc.item_sale(&ItemSale::new().search_code("GA0004"))
        .await
        .unwrap();
    let journal = sandbox.journal();
    assert_eq!(journal.hits(Sandbox::act("USERACCESS")), 2);
    assert_eq!(journal.hits(Sandbox::act("ODOC_ITEMSALE")), 2);
    assert_eq!(sandbox.document(doc.uid().as_str()).unwrap().rows, 1);

    // The two attempts carried different tokens.
    let tokens: Vec<String> = journal
        .matching(Sandbox::act("ODOC_ITEMSALE"))
        .iter()
        .map(|r| r.param("accesstoken").unwrap())
        .collect();
    assert_ne!(tokens[0], tokens[1]);

    // Concurrent calls that all see the token refused share one re-login.
    sandbox.expire_tokens();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let doc = doc.clone();
        tasks.spawn(async move { doc.check().await });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
    assert_eq!(journal.hits(Sandbox::act("USERACCESS")), 3);
}

#[tokio::test]
async fn a_token_refused_twice_fails_after_one_renewal() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    client.login().await.unwrap();
    let refused = format!(r#"{{"status":0,"msg":"{TOKEN_REJECTED_MSG}","time":0.01,"data":null}}"#);
    sandbox.faults().inject_times(
        Sandbox::act("ODOC_LIST"),
        Fault::Status {
            status: 200,
            retry_after: None,
            body: refused,
        },
        5,
    );
    let err = client.list_open_documents().await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidAccessToken)
            && err.message() == Some(TOKEN_REJECTED_MSG),
        "{err:?}"
    );
    assert_eq!(sandbox.journal().hits(Sandbox::act("ODOC_LIST")), 2);
    assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 2);
}

#[tokio::test]
async fn invalid_credentials_are_never_retried() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client_builder().password("wrong").build().unwrap();
    let err = client.new_document(&ls(), &st("2T")).await.unwrap_err();
    assert_eq!(err.code(), Some(&NoomCode::InvalidCredentials), "{err:?}");
    assert_eq!(err.message(), Some("Invalid user or password!"));
    assert_eq!(
        err.to_string(),
        "noom USERACCESS: HTTP 200 OK [InvalidCredentials]: Invalid user or password!"
    );
    assert!(!err.is_retryable());
    assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 1);
    assert_eq!(sandbox.journal().hits(Sandbox::act("ODOC_NEW")), 0);
    // A second call tries again (once): the client keeps no bad session.
    assert_eq!(
        client.login().await.unwrap_err().code(),
        Some(&NoomCode::InvalidCredentials)
    );
    assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 2);
}

#[tokio::test]
async fn documented_error_messages_become_typed_errors() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();

    let err = client.new_document(&ls(), &st("9")).await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::NoPrivileges)
            && err.message() == Some("NEW LS.9 You do not have privileges to do this operation!"),
        "{err:?}"
    );

    let bogus = DocUid::new("000344332").unwrap();
    let err = client.document(bogus.clone()).get_full().await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidUid)
            && err.message() == Some("Invalid UID: 000344332"),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));

    let err = client.modify_document(&bogus, false).await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::DocumentDoesNotExist),
        "{err:?}"
    );

    // A row without a batch cannot be saved; the document stays open.
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    let uid = doc.uid().clone();
    let row = RowData {
        row_no: Some(1),
        batch_id: None,
        product_id: None,
        object_id: Some("PSTM".into()),
        quantity: Some(dec!(1)),
        price: Some(Money::new(dec!(2))),
    };
    doc.set_data(&SetData::Rows(vec![row])).await.unwrap();
    let err = doc.complete().await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::CannotSaveDocument)
            && err.message() == Some("Cannot save document! Document row 1: BACH_ID on NULL!"),
        "{err:?}"
    );
    let doc = client.document(uid.clone());
    doc.check().await.unwrap();

    // Unknown rows: the vendor's documented failure text.
    let err = doc.set_quantity(7, dec!(1)).await.unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::RequestNotCarriedOut)
            && err.message() == Some(ROW_FAILURE_MSG),
        "{err:?}"
    );
    let err = doc.delete_row(7).await.unwrap_err();
    assert!(err.code() == Some(&NoomCode::RequestNotCarriedOut));

    // Fix the row by SETDATA row, save, then change states.
    let fix = RowData {
        row_no: Some(1),
        batch_id: Some(5797),
        product_id: None,
        object_id: None,
        quantity: None,
        price: None,
    };
    doc.set_data(&SetData::Row(fix)).await.unwrap();
    let dhid = doc.complete().await.unwrap();
    let err = client
        .change_state(dhid, &st("2"), false)
        .await
        .unwrap_err();
    assert!(
        err.code() == Some(&NoomCode::InvalidDocumentState)
            && err.message() == Some("Invalid document state ID value: '2'"),
        "{err:?}"
    );
    client.change_state(dhid, &st("K"), true).await.unwrap();
    assert_eq!(sandbox.document(uid.as_str()).unwrap().state, "K");
    client.change_state(&uid, &st("1"), false).await.unwrap();
    assert_eq!(sandbox.document(uid.as_str()).unwrap().state, "1");
    client
        .change_state(
            noom_client::DocumentKey::Dochid(dhid.get()),
            &st("3"),
            false,
        )
        .await
        .unwrap();
    assert_eq!(sandbox.document(uid.as_str()).unwrap().state, "3");
    let err = client
        .change_state(Dhid(1), &st("1"), false)
        .await
        .unwrap_err();
    assert!(err.code() == Some(&NoomCode::DocumentDoesNotExist));

    // Validation: nothing is sent.
    let before = sandbox.journal().requests().len();
    let err = client
        .document(uid)
        .item_sale(&ItemSale::new().batch_id(1).row_no(0))
        .await
        .unwrap_err();
    assert!(err.is_validation());
    assert_eq!(sandbox.journal().requests().len(), before);
}

#[tokio::test]
async fn getdoc_variants_return_the_saved_document_in_one_or_many_shapes() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();

    // One row: `rows.row` is an object on the wire.
    let one = doc
        .item_sale_getdoc(&ItemSale::new().search_code("601264").quantity(dec!(5)))
        .await
        .unwrap();
    assert_eq!(one.rows().len(), 1);
    let last = sandbox.journal().requests().pop().unwrap();
    assert_eq!(last.param("getdoc").as_deref(), Some("1"));

    // Two rows: an array.
    let two = doc
        .barcode_sale_getdoc(&BarcodeSale::new("60100000", 1).quantity(2))
        .await
        .unwrap();
    assert_eq!(two.rows().len(), 2);
    assert_eq!(two.rows()[0].barcode.as_deref(), Some("60100000"));
    assert_eq!(two.rows()[0].quantity, Some(dec!(2)));

    let three = doc.set_quantity_getdoc(1, dec!(1)).await.unwrap();
    assert_eq!(three.rows()[0].quantity, Some(dec!(1)));
    let header = SetData::Header(noom_client::models::HeaderData {
        datetime: None,
        document_no: Some("EXT-1".into()),
        location_id: None,
        object_id: None,
        customer_id: Some(1),
        customer_location_id: None,
        text: Some("from the test".into()),
        text2: None,
    });
    let with_header = doc.set_data_getdoc(&header).await.unwrap();
    let h = with_header.header().unwrap();
    assert_eq!(h.document_no.as_deref(), Some("EXT-1"));
    assert_eq!(h.customer_id.as_deref(), Some("1"));
    assert_eq!(
        h.customer.as_ref().unwrap().name.as_deref(),
        Some("Astro Baltics OÜ")
    );

    let total = with_header.amount.unwrap();
    let paid = doc
        .set_payment_getdoc(&Payment::new("C", total))
        .await
        .unwrap();
    assert_eq!(paid.payments().len(), 1);
    assert_eq!(paid.payments()[0].amount, Some(total));
    assert_eq!(paid.amount_to_pay, Some(Money::ZERO));
    let fewer = doc.delete_row_getdoc(2).await.unwrap();
    assert_eq!(fewer.rows().len(), 1);

    let minimal = doc.get(GetDocWhat::MinimalRows).await.unwrap();
    assert_eq!(minimal.rows().len(), 1);
    assert!(minimal.rows()[0].text.is_none());
    assert!(minimal.header().is_none());

    let (dhid, saved) = doc.complete_getdoc().await.unwrap();
    assert_eq!(
        saved.header().unwrap().id.as_deref(),
        Some(dhid.to_string().as_str())
    );
    assert_eq!(saved.payments().len(), 1);
}

#[tokio::test]
async fn query_placement_and_decimal_point_work_end_to_end() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .param_placement(ParamPlacement::Query)
        .decimal_separator(DecimalSeparator::Point)
        .build()
        .unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(
        &ItemSale::new()
            .batch_id(5797)
            .quantity(dec!(3.345))
            .price(Money::new(dec!(8.67))),
    )
    .await
    .unwrap();
    let data = doc.get_full().await.unwrap();
    assert_eq!(data.rows()[0].quantity, Some(dec!(3.345)));
    assert_eq!(data.amount, Some(Money::new(dec!(29.00))));
    let sale = sandbox
        .journal()
        .matching(Sandbox::act("ODOC_ITEMSALE"))
        .pop()
        .unwrap();
    assert!(sale.body.is_empty());
    let pairs: Vec<String> = sale.query_pairs().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        pairs,
        [
            "act",
            "docuid",
            "batch_id",
            "quantity",
            "price",
            "accesstoken"
        ]
    );
    assert_eq!(sale.param("quantity").as_deref(), Some("3.345"));
    doc.complete().await.unwrap();
}

#[tokio::test]
async fn related_documents_and_events_reach_the_server() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let first = client.new_document(&ls(), &st("0")).await.unwrap();
    let related = noom_client::requests::Related::DocUid(first.uid().clone());
    let second = client
        .new_document_related(&DocType::new("LV").unwrap(), &st("12"), Some(&related))
        .await
        .unwrap();
    let new = sandbox
        .journal()
        .matching(Sandbox::act("ODOC_NEW"))
        .pop()
        .unwrap();
    // The table's name (sic), which the sandbox reads, and the spelling of `related.dhid`.
    assert_eq!(new.param("realated.docuid").as_deref(), Some("0001077484"));
    assert_eq!(new.param("related.docuid").as_deref(), Some("0001077484"));
    second
        .add_event(&Event::new("TEST").source_type("API").source_id("7"))
        .await
        .unwrap();
    let event = sandbox
        .journal()
        .matching(Sandbox::act("ODOC_ADDEVENT"))
        .pop()
        .unwrap();
    assert_eq!(event.param("de_sourcetype_id").as_deref(), Some("API"));
    assert_eq!(event.param("de_sourcetype").as_deref(), Some("API"));
    second.check_scripts().await.unwrap();
    let mut open = client.list_open_documents().await.unwrap();
    open.sort();
    assert_eq!(open, vec![first.uid().clone(), second.uid().clone()]);
}

#[tokio::test]
async fn faults_reads_are_retried_writes_are_not_and_outcome_unknown_names_the_docuid() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    let uid = doc.uid().as_str().to_owned();
    let faults = sandbox.faults();
    let journal = sandbox.journal();

    // A 503 on a read is retried.
    faults.inject(Sandbox::act("ODOC_GETDOC"), Fault::status(503));
    doc.get_full().await.unwrap();
    assert_eq!(journal.hits(Sandbox::act("ODOC_GETDOC")), 2);

    // An HTML 502 page on every attempt of a read: an HTTP error with its status.
    faults.inject_times(Sandbox::act("ODOC_GETPAYMODES"), Fault::html(502), 3);
    let err = doc.payment_modes().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(journal.hits(Sandbox::act("ODOC_GETPAYMODES")), 3);

    // A 503 on a write is not retried.
    faults.inject(Sandbox::act("ODOC_ITEMSALE"), Fault::status(503));
    let err = doc
        .item_sale(&ItemSale::new().batch_id(5797))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(journal.hits(Sandbox::act("ODOC_ITEMSALE")), 1);
    assert_eq!(sandbox.document(&uid).unwrap().rows, 0);

    // The server applies the write, then the answer is lost: outcome unknown, named by docuid,
    // and not re-sent.
    faults.inject(Sandbox::act("ODOC_ITEMSALE"), Fault::ResetMidBody);
    let err = doc
        .item_sale(&ItemSale::new().batch_id(5797))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.reference(), Some(uid.as_str()));
    assert_eq!(journal.hits(Sandbox::act("ODOC_ITEMSALE")), 2);
    assert_eq!(sandbox.document(&uid).unwrap().rows, 1);

    faults.inject(Sandbox::act("ODOC_COMPLETE"), Fault::TruncatedBody);
    let err = doc.clone().complete().await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.reference(), Some(uid.as_str()));
    assert_eq!(journal.hits(Sandbox::act("ODOC_COMPLETE")), 1);
    // The document was in fact saved: check before completing again.
    assert!(sandbox.document(&uid).unwrap().dhid.is_some());

    // A garbage 200 body: a decode error with the status, no panic.
    faults.inject(
        Sandbox::act("ODOC_LIST"),
        Fault::Status {
            status: 200,
            retry_after: None,
            body: "<html>maintenance</html>".into(),
        },
    );
    let err = client.list_open_documents().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status, .. } if status.as_u16() == 200),
        "{err:?}"
    );
    // A login that hits a reset before any answer is retried (USERACCESS is a read).
    let fresh = sandbox.client().unwrap();
    faults.inject(Sandbox::act("USERACCESS"), Fault::ResetBeforeResponse);
    fresh.login().await.unwrap();
}

#[tokio::test]
async fn open_documents_belong_to_the_user() {
    let sandbox = Sandbox::builder()
        .user("OTHER", "other-pass")
        .start()
        .await
        .unwrap();
    let a = sandbox.client().unwrap();
    let b = sandbox.client().unwrap();
    let other = sandbox
        .client_builder()
        .user("OTHER")
        .password("other-pass")
        .build()
        .unwrap();
    let doc = a.new_document(&ls(), &st("2T")).await.unwrap();
    // Same user, another session: the open document is listed.
    assert_eq!(
        b.list_open_documents().await.unwrap(),
        vec![doc.uid().clone()]
    );
    assert_eq!(sandbox.journal().hits(Sandbox::act("USERACCESS")), 2);
    assert_eq!(sandbox.active_tokens(), 2);
    // Another user neither sees nor edits it.
    assert!(other.list_open_documents().await.unwrap().is_empty());
    let err = other.document(doc.uid().clone()).check().await.unwrap_err();
    assert!(err.code() == Some(&NoomCode::InvalidUid), "{err}");
    let _: &Error = &err;
}

#[tokio::test]
async fn timeouts_retry_reads_and_leave_writes_outcome_unknown_and_429_is_retried() {
    use std::time::Duration;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    let uid = doc.uid().as_str().to_owned();
    let journal = sandbox.journal();
    let slow = Fault::Delay(Duration::from_millis(600));

    // A read that times out once is retried.
    sandbox
        .faults()
        .inject(Sandbox::act("ODOC_CHECK"), slow.clone());
    doc.check().await.unwrap();
    assert_eq!(journal.hits(Sandbox::act("ODOC_CHECK")), 2);

    // A write that times out is not re-sent. (The kit drops a delayed request whose client
    // left, so here the server never ran it: the client cannot tell, hence "outcome unknown".)
    sandbox.faults().inject(Sandbox::act("ODOC_ITEMSALE"), slow);
    let err = doc
        .item_sale(&ItemSale::new().batch_id(58))
        .await
        .unwrap_err();
    assert!(err.is_outcome_unknown(), "{err:?}");
    assert_eq!(err.reference(), Some(uid.as_str()));
    assert_eq!(journal.hits(Sandbox::act("ODOC_ITEMSALE")), 1);
    assert_eq!(sandbox.document(&uid).unwrap().rows, 0);

    // 429 means the server did not take the write: retried, applied once.
    sandbox.faults().inject(
        Sandbox::act("ODOC_ADDEVENT"),
        Fault::status_with_retry_after(429, "0"),
    );
    doc.add_event(&Event::new("RETRY")).await.unwrap();
    assert_eq!(journal.hits(Sandbox::act("ODOC_ADDEVENT")), 2);
    assert_eq!(sandbox.document(&uid).unwrap().events, 1);
}

#[tokio::test]
async fn the_sandbox_reads_the_token_from_the_query_only_unless_configured() {
    // The default client sends the example URL (the token in the query, as documented) and
    // `act` and the parameters again in the body: it works on the strict sandbox (every other test proves
    // it).
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    assert_eq!(client.param_placement(), ParamPlacement::QueryAndBody);
    let keys = |pairs: Vec<(String, String)>| -> Vec<String> {
        pairs.into_iter().map(|(k, _)| k).collect()
    };
    let last = |act: &str| sandbox.journal().matching(Sandbox::act(act)).pop().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    let sale = last("ODOC_ITEMSALE");
    assert_eq!(
        keys(sale.query_pairs()),
        ["act", "docuid", "batch_id", "accesstoken"]
    );
    assert_eq!(keys(sale.form_pairs()), ["act", "docuid", "batch_id"]);
    let login = last("USERACCESS");
    assert_eq!(keys(login.query_pairs()), ["act", "user", "pass"]);
    assert_eq!(keys(login.form_pairs()), ["act", "user", "pass"]);

    // The parameters in the body only, the token in the query: served too, and the password
    // stays out of the URL.
    let token_in_query = sandbox
        .client_builder()
        .param_placement(ParamPlacement::TokenInQuery)
        .build()
        .unwrap();
    let doc = token_in_query.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    let sale = last("ODOC_ITEMSALE");
    assert_eq!(keys(sale.query_pairs()), ["act", "accesstoken"]);
    assert_eq!(keys(sale.form_pairs()), ["docuid", "batch_id"]);
    let login = last("USERACCESS");
    assert_eq!(login.query.as_deref(), Some("act=USERACCESS"));
    assert_eq!(keys(login.form_pairs()), ["user", "pass"]);

    // A token in the body counts as missing: refused, one re-login, refused again.
    let body_only = sandbox
        .client_builder()
        .param_placement(ParamPlacement::Body)
        .build()
        .unwrap();
    let err = body_only.list_open_documents().await.unwrap_err();
    assert_eq!(err.code(), Some(&NoomCode::InvalidAccessToken), "{err:?}");
    assert_eq!(err.message(), Some(TOKEN_REJECTED_MSG));

    // A sandbox configured to read the body too serves the body-only placement.
    let lenient = Sandbox::builder()
        .accept_token_in_body(true)
        .start()
        .await
        .unwrap();
    let body_only = lenient
        .client_builder()
        .param_placement(ParamPlacement::Body)
        .build()
        .unwrap();
    let doc = body_only.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    doc.complete().await.unwrap();
}

#[tokio::test]
async fn setdata_rows_carry_bach_id_and_getdoc_rows_read_batch_id() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    let row = RowData {
        row_no: Some(1),
        batch_id: Some(34463),
        product_id: None,
        object_id: None,
        quantity: Some(dec!(2)),
        price: None,
    };
    doc.set_data(&SetData::Rows(vec![row])).await.unwrap();
    let setdata = sandbox
        .journal()
        .matching(Sandbox::act("ODOC_SETDATA"))
        .pop()
        .unwrap();
    assert_eq!(
        setdata.param("objdata").as_deref(),
        Some(r#"[{"rowno":1,"bach_id":34463,"quantity":2}]"#)
    );
    // ODOC_GETDOC answers `batch_id`, read into the same field.
    let rows = doc.get(GetDocWhat::Rows).await.unwrap();
    assert_eq!(rows.rows()[0].batch_id.as_deref(), Some("34463"));
    assert_eq!(rows.rows()[0].amount, Some(Money::new(dec!(6))));
    doc.clone().complete().await.unwrap();

    // The sandbox follows the table: a `batch_id` attribute in SETDATA rows is not the batch.
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    doc.set_data(&SetData::Raw {
        objname: "rows".into(),
        objdata: serde_json::json!([{ "batch_id": 58 }]),
    })
    .await
    .unwrap();
    let err = doc.clone().complete().await.unwrap_err();
    assert_eq!(
        err.message(),
        Some("Cannot save document! Document row 1: BACH_ID on NULL!")
    );
}

#[tokio::test]
async fn getpaymodes_with_getdoc_returns_the_modes_and_the_document() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(&ItemSale::new().batch_id(34463).quantity(dec!(5)))
        .await
        .unwrap();
    let (modes, data) = doc.payment_modes_getdoc().await.unwrap();
    assert_eq!(modes.payment_modes.len(), 4);
    assert_eq!(data.amount_to_pay, Some(Money::new(dec!(15))));
    assert_eq!(data.rows()[0].batch_id.as_deref(), Some("34463"));
    let sent = sandbox
        .journal()
        .matching(Sandbox::act("ODOC_GETPAYMODES"))
        .pop()
        .unwrap();
    assert_eq!(sent.param("getdoc").as_deref(), Some("1"));
}

fn token_refused() -> Fault {
    Fault::Status {
        status: 200,
        retry_after: None,
        body: format!(r#"{{"status":0,"msg":"{TOKEN_REJECTED_MSG}","time":0.01,"data":null}}"#),
    }
}

#[tokio::test]
async fn relogin_rule_a_write_refused_for_the_token_is_sent_again_once_after_a_fresh_login() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    let uid = doc.uid().as_str().to_owned();
    let journal = sandbox.journal();
    assert_eq!(journal.hits(Sandbox::act("USERACCESS")), 1);

    // The server's answer refuses the token (and so did not run the act): log in, send again.
    sandbox
        .faults()
        .inject(Sandbox::act("ODOC_COMPLETE"), token_refused());
    let dhid = doc.complete().await.unwrap();
    assert_eq!(journal.hits(Sandbox::act("USERACCESS")), 2);
    assert_eq!(journal.hits(Sandbox::act("ODOC_COMPLETE")), 2);
    assert_eq!(sandbox.document(&uid).unwrap().dhid, Some(dhid.get()));
}

#[tokio::test]
async fn relogin_rule_a_write_without_a_refusal_is_never_sent_again() {
    use std::time::Duration;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox
        .client_builder()
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    let uid = doc.uid().as_str().to_owned();
    let journal = sandbox.journal();
    let faults = sandbox.faults();
    let sales = || journal.hits(Sandbox::act("ODOC_ITEMSALE"));
    let logins = || journal.hits(Sandbox::act("USERACCESS"));
    assert_eq!(logins(), 1);

    // A timeout: outcome unknown, no re-login, sent once.
    faults.inject(
        Sandbox::act("ODOC_ITEMSALE"),
        Fault::Delay(Duration::from_millis(300)),
    );
    let err = doc
        .item_sale(&ItemSale::new().batch_id(58))
        .await
        .unwrap_err();
    assert!(
        err.is_outcome_unknown() && err.code() != Some(&NoomCode::InvalidAccessToken),
        "{err:?}"
    );
    assert_eq!((sales(), logins()), (1, 1));

    // A lost connection (after the server read the request): the same.
    faults.inject(Sandbox::act("ODOC_ITEMSALE"), Fault::ResetBeforeResponse);
    let err = doc
        .item_sale(&ItemSale::new().batch_id(58))
        .await
        .unwrap_err();
    assert!(
        err.is_outcome_unknown() && err.code() != Some(&NoomCode::InvalidAccessToken),
        "{err:?}"
    );
    assert_eq!((sales(), logins()), (2, 1));

    // An HTTP 401 whose body mentions the token is not an envelope refusing it: not re-sent.
    faults.inject(
        Sandbox::act("ODOC_ITEMSALE"),
        Fault::Status {
            status: 401,
            retry_after: None,
            body: format!(r#"{{"status":0,"msg":"{TOKEN_REJECTED_MSG}"}}"#),
        },
    );
    let err = doc
        .item_sale(&ItemSale::new().batch_id(58))
        .await
        .unwrap_err();
    assert_ne!(err.code(), Some(&NoomCode::InvalidAccessToken), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!((sales(), logins()), (3, 1));

    // Another `status: 0` message: not re-sent either.
    let err = doc.delete_row(9).await.unwrap_err();
    assert_ne!(err.code(), Some(&NoomCode::InvalidAccessToken), "{err:?}");
    assert_eq!(journal.hits(Sandbox::act("ODOC_ROWDEL")), 1);
    assert_eq!(logins(), 1);
    // None of the failed writes ran.
    assert_eq!(sandbox.document(&uid).unwrap().rows, 0);
}

/// Posts raw parameters to the sandbox (what the client never sends): `act` and `accesstoken`
/// in the query, the rest in the form body. Returns the answer's envelope.
async fn raw(sandbox: &Sandbox, act: &str, params: &[(&str, &str)]) -> serde_json::Value {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("act", act);
    let mut body = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if *k == "accesstoken" {
            query.append_pair(k, v);
        } else {
            body.append_pair(k, v);
        }
    }
    pos_client_core::reqwest::Client::new()
        .post(format!("{}?{}", sandbox.base_url(), query.finish()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body.finish())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .map(|body| serde_json::from_slice(&body).unwrap())
        .unwrap()
}

/// The envelope's `status` and `msg`.
fn verdict(answer: &serde_json::Value) -> (i64, &str) {
    (
        answer["status"].as_i64().unwrap(),
        answer["msg"].as_str().unwrap_or_default(),
    )
}

#[tokio::test]
async fn the_sandbox_refuses_what_the_document_does_not_allow() {
    use noom_client::sandbox::{SANDBOX_PASSWORD, SANDBOX_USER};
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    doc.item_sale(&ItemSale::new().batch_id(58)).await.unwrap();
    let uid = doc.uid().as_str();
    let login = raw(
        &sandbox,
        "USERACCESS",
        &[("user", SANDBOX_USER), ("pass", SANDBOX_PASSWORD)],
    )
    .await;
    let token = login["data"]["accesstoken"].as_str().unwrap().to_owned();
    let send = |act: &'static str, extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("accesstoken", token.as_str()), ("docuid", uid)];
        p.extend_from_slice(extra);
        let sandbox = &sandbox;
        async move { raw(sandbox, act, &p).await }
    };
    let rows = || sandbox.document(uid).unwrap().rows;
    assert_eq!(rows(), 1);

    // ODOC_BARCODESALE: `doinsert` and `rowno` are required ("Yes" in its table), `doinsert`
    // is 0 or 1, and a row past the next one is refused.
    let sale = |extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("barcode", "60100000")];
        p.extend_from_slice(extra);
        send("ODOC_BARCODESALE", &p.clone())
    };
    let answer = sale(&[("rowno", "1")]).await;
    assert_eq!(verdict(&answer), (0, "doinsert is required"));
    let answer = sale(&[("doinsert", "1")]).await;
    assert_eq!(verdict(&answer), (0, "rowno is required"));
    let answer = sale(&[("doinsert", "2"), ("rowno", "1")]).await;
    assert_eq!(verdict(&answer).0, 0, "doinsert is 0 or 1");
    let answer = sale(&[("doinsert", "1"), ("rowno", "x")]).await;
    assert_eq!(verdict(&answer).0, 0, "an unreadable rowno");
    let answer = sale(&[("doinsert", "1"), ("rowno", "5")]).await;
    assert_eq!(verdict(&answer), (0, ROW_FAILURE_MSG), "past the next row");
    assert_eq!(rows(), 1, "nothing was added");
    let answer = sale(&[("doinsert", "1"), ("rowno", "2")]).await;
    assert_eq!(verdict(&answer), (1, ""));
    assert_eq!(rows(), 2);

    // ODOC_ITEMSALE: an unreadable or out-of-range `rowno` is refused, not appended.
    for rowno in ["x", "0", "4", "-1"] {
        let answer = send("ODOC_ITEMSALE", &[("batch_id", "58"), ("rowno", rowno)]).await;
        assert_eq!(verdict(&answer).0, 0, "rowno {rowno}");
    }
    assert_eq!(rows(), 2, "nothing was added");
    let answer = send("ODOC_ITEMSALE", &[("batch_id", "58"), ("rowno", "3")]).await;
    assert_eq!(verdict(&answer), (1, ""), "the next row");
    let answer = send("ODOC_ITEMSALE", &[("batch_id", "58")]).await;
    assert_eq!(verdict(&answer), (1, ""), "no rowno: appended");
    assert_eq!(rows(), 4);

    // DOCCHANGESTATE: one of docuid, dhid and dochid ("One of the 3"), not several.
    let dhid = doc.clone().complete().await.unwrap().to_string();
    let several: [&[(&str, &str)]; 3] = [
        &[("docuid", uid), ("dhid", &dhid)],
        &[("dhid", &dhid), ("dochid", &dhid)],
        &[("docuid", uid), ("dhid", &dhid), ("dochid", &dhid)],
    ];
    let auth = [("accesstoken", token.as_str()), ("newstate", "1")];
    for keys in several {
        let answer = raw(&sandbox, "DOCCHANGESTATE", &[&auth[..], keys].concat()).await;
        assert_eq!(verdict(&answer).0, 0, "{keys:?}");
    }
    assert_ne!(sandbox.document(uid).unwrap().state, "1");
    let answer = raw(
        &sandbox,
        "DOCCHANGESTATE",
        &[&auth[..], &[("dhid", &dhid)]].concat(),
    )
    .await;
    assert_eq!(verdict(&answer), (1, ""));
    assert_eq!(sandbox.document(uid).unwrap().state, "1");
}

/// Logs in with raw parameters and opens a document with the client: the token and the docuid.
async fn raw_document(sandbox: &Sandbox) -> (String, String) {
    use noom_client::sandbox::{SANDBOX_PASSWORD, SANDBOX_USER};
    let client = sandbox.client().unwrap();
    let doc = client.new_document(&ls(), &st("2T")).await.unwrap();
    let login = raw(
        sandbox,
        "USERACCESS",
        &[("user", SANDBOX_USER), ("pass", SANDBOX_PASSWORD)],
    )
    .await;
    let token = login["data"]["accesstoken"].as_str().unwrap().to_owned();
    (token, doc.uid().as_str().to_owned())
}

#[tokio::test]
async fn the_sandbox_refuses_an_item_sale_naming_both_batch_id_and_searchcode() {
    // ODOC_ITEMSALE's table: batch_id or searchcode, "(One of the 2)".
    let sandbox = Sandbox::start().await.unwrap();
    let (token, uid) = raw_document(&sandbox).await;
    let base = [("accesstoken", token.as_str()), ("docuid", uid.as_str())];
    let both = [("batch_id", "58"), ("searchcode", "GA0004")];
    let answer = raw(&sandbox, "ODOC_ITEMSALE", &[&base[..], &both[..]].concat()).await;
    assert_eq!(verdict(&answer).0, 0, "{answer}");
    assert_eq!(sandbox.document(&uid).unwrap().rows, 0, "nothing was added");
    for one in [("batch_id", "58"), ("searchcode", "GA0004")] {
        let answer = raw(&sandbox, "ODOC_ITEMSALE", &[&base[..], &[one]].concat()).await;
        assert_eq!(verdict(&answer), (1, ""), "{one:?}");
    }
    assert_eq!(sandbox.document(&uid).unwrap().rows, 2);
}

#[tokio::test]
async fn the_sandbox_refuses_a_setdata_row_without_a_usable_rowno() {
    // ODOC_SETDATA: "row - singular row, determined by the "rowno" attribute".
    let sandbox = Sandbox::start().await.unwrap();
    let (token, uid) = raw_document(&sandbox).await;
    let set_row = |objdata: &'static str| {
        let params = [
            ("accesstoken", token.clone()),
            ("docuid", uid.clone()),
            ("objname", "row".to_owned()),
            ("objdata", objdata.to_owned()),
        ];
        let sandbox = &sandbox;
        async move {
            let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            raw(sandbox, "ODOC_SETDATA", &refs).await
        }
    };
    let rows = || sandbox.document(&uid).unwrap().rows;
    for objdata in [
        r#"{"object_id":"PSTM"}"#,
        r#"{"rowno":null,"object_id":"PSTM"}"#,
        r#"{"rowno":"x","object_id":"PSTM"}"#,
        r#"{"rowno":0,"object_id":"PSTM"}"#,
        r#"{"rowno":2,"object_id":"PSTM"}"#,
    ] {
        let answer = set_row(objdata).await;
        assert_eq!(verdict(&answer).0, 0, "{objdata}: {answer}");
    }
    assert_eq!(rows(), 0, "nothing was added");
    // The next free row is created, an existing one is changed.
    let answer = set_row(r#"{"rowno":1,"object_id":"PSTM","bach_id":58}"#).await;
    assert_eq!(verdict(&answer), (1, ""));
    let answer = set_row(r#"{"rowno":1,"object_id":"TRTH"}"#).await;
    assert_eq!(verdict(&answer), (1, ""));
    assert_eq!(rows(), 1);
}

#[tokio::test]
async fn the_sandbox_reads_a_barcode_sale_quantity_as_an_integer_only() {
    // ODOC_BARCODESALE's table: "quantity INTEGER No quantity, if not defined quantity 1 is used".
    let sandbox = Sandbox::start().await.unwrap();
    let (token, uid) = raw_document(&sandbox).await;
    let base = [
        ("accesstoken", token.as_str()),
        ("docuid", uid.as_str()),
        ("barcode", "60100000"),
        ("doinsert", "1"),
        ("rowno", "1"),
    ];
    for quantity in ["1,5", "2.5", "x"] {
        let params = [&base[..], &[("quantity", quantity)]].concat();
        let answer = raw(&sandbox, "ODOC_BARCODESALE", &params).await;
        assert_eq!(verdict(&answer).0, 0, "{quantity}: {answer}");
    }
    assert_eq!(sandbox.document(&uid).unwrap().rows, 0, "nothing was added");
    let params = [&base[..], &[("quantity", "3")]].concat();
    let answer = raw(&sandbox, "ODOC_BARCODESALE", &params).await;
    assert_eq!(verdict(&answer), (1, ""));
    assert_eq!(
        sandbox.document(&uid).unwrap().amount,
        "26.01".parse().unwrap(),
        "3 x 8.67"
    );
}

// ---------------------------------------------------------------- the document's example requests
//
// Each example request of the vendor document (line numbers of shared/seeds/noom-api.txt), sent
// to the sandbox as the document prints it: every parameter in the query string, the URL's
// placeholders replaced (`https://URL:PORT/api/`, `ACCESSTOKEN`, `USERNAME`, `PASSWORD`) and
// the example's docuids and dhids replaced by the sandbox's own. The answer must have the shape
// of the act's example answer: the same field names with the same JSON types.

/// Posts the document's example URL (after `subs`) as it is, with an empty body.
async fn example(sandbox: &Sandbox, url: &str, subs: &[(&str, &str)]) -> serde_json::Value {
    let mut url = url.replace("https://URL:PORT/api/", &sandbox.base_url());
    for (from, to) in subs {
        url = url.replace(from, to);
    }
    let body = pos_client_core::reqwest::Client::new()
        .post(url.as_str())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    serde_json::from_slice(&body).unwrap_or_else(|e| panic!("{url}: {e}"))
}

/// The JSON type of a value, as the shape compares it.
fn kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "bool",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Where `answer` differs from the shape of `example`: every field of the example present with
/// the same JSON type (arrays element by element against the example's first element). The
/// example's one-object `rows.row` and `payments.payment` may be an array of such objects
/// (several rows), as the spec notes read them.
fn shape_diff(example: &serde_json::Value, answer: &serde_json::Value, path: &str) -> Vec<String> {
    use serde_json::Value;
    match (example, answer) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .flat_map(|(k, ev)| match a.get(k) {
                None => vec![format!("{path}.{k}: missing")],
                Some(av) => shape_diff(ev, av, &format!("{path}.{k}")),
            })
            .collect(),
        (Value::Array(e), Value::Array(a)) => match e.first() {
            Some(first) => a
                .iter()
                .enumerate()
                .flat_map(|(i, av)| shape_diff(first, av, &format!("{path}[{i}]")))
                .collect(),
            None => vec![],
        },
        (Value::Object(_), Value::Array(a))
            if path.ends_with(".rows.row") || path.ends_with(".payments.payment") =>
        {
            a.iter()
                .enumerate()
                .flat_map(|(i, av)| shape_diff(example, av, &format!("{path}[{i}]")))
                .collect()
        }
        _ if kind(example) == kind(answer) => vec![],
        _ => vec![format!(
            "{path}: {} where the example has {}",
            kind(answer),
            kind(example)
        )],
    }
}

/// Asserts that `answer` has the shape of `example_answer` (the act's example, as JSON).
fn assert_shape(line: u32, answer: &serde_json::Value, example_answer: &str) {
    let example: serde_json::Value = serde_json::from_str(example_answer).unwrap();
    let diff = shape_diff(&example, answer, "");
    assert!(diff.is_empty(), "line {line}: {diff:?}\n{answer}");
}

const NULL_OK: &str = r#"{"status": 1, "msg": "", "time": 0.012, "data": null}"#;

/// Sends an example request (see [`example`]) and checks it is answered as the success example
/// `NULL_OK`: that shape, status 1 and an empty message.
async fn assert_null_ok(sandbox: &Sandbox, line: u32, url: &str, subs: &[(&str, &str)]) {
    let answer = example(sandbox, url, subs).await;
    assert_shape(line, &answer, NULL_OK);
    assert_eq!(verdict(&answer), (1, ""), "line {line}");
}
const NULL_FAIL: &str =
    r#"{"status": 0, "msg": "Invalid UID: 000344332", "time": 0.047, "data": null}"#;
const DOCUID_OK: &str =
    r#"{"status": 1, "msg": "", "time": 0.031, "data": {"docuid": "0001077484"}}"#;

#[tokio::test]
async fn the_sandbox_answers_every_example_request_in_the_examples_shape() {
    use noom_client::sandbox::{SANDBOX_PASSWORD, SANDBOX_USER};
    let sandbox = Sandbox::start().await.unwrap();
    let sb = &sandbox;
    let creds = [("USERNAME", SANDBOX_USER), ("PASSWORD", SANDBOX_PASSWORD)];

    // Line 48, answered as lines 64-71; a wrong password as lines 72-78.
    let login_url = "https://URL:PORT/api/?act=USERACCESS&user=USERNAME&pass=PASSWORD";
    let answer = example(sb, login_url, &creds).await;
    assert_shape(
        48,
        &answer,
        r#"{"status": 1, "msg": "", "time": 0.281, "data": {"accesstoken": "xxxxxxxxxxxxxxxx"}}"#,
    );
    let token = answer["data"]["accesstoken"].as_str().unwrap().to_owned();
    let answer = example(sb, login_url, &[creds[0], ("PASSWORD", "wrong")]).await;
    assert_shape(
        72,
        &answer,
        r#"{"status": 0, "msg": "Invalid user or password!", "time": 1.006, "data": null}"#,
    );
    assert_eq!(verdict(&answer), (0, "Invalid user or password!"));

    let t = ("ACCESSTOKEN", token.as_str());
    // Line 113, answered as lines 132-139; a type status without privileges as lines 99-105.
    let new = "https://URL:PORT/api/?act=ODOC_NEW&doctype=LS&docst=2T&accesstoken=ACCESSTOKEN";
    let answer = example(sb, new, &[t]).await;
    assert_shape(113, &answer, DOCUID_OK);
    let sale_doc = answer["data"]["docuid"].as_str().unwrap().to_owned();
    let answer = example(sb, new, &[t]).await;
    let data_doc = answer["data"]["docuid"].as_str().unwrap().to_owned();
    let answer = example(sb, new, &[t, ("docst=2T", "docst=9")]).await;
    assert_shape(
        99,
        &answer,
        r#"{"status": 0, "msg": "NEW LS.2T You do not have privileges to do this operation!", "time": 0.269, "data": null}"#,
    );
    let s = |uid: &'static str, doc: &str| (uid, doc.to_owned());

    // ODOC_SETDATA, lines 179 and 227, answered as lines 231-237.
    let d = data_doc.as_str();
    for (line, url, uid) in [
        (
            179,
            r#"https://URL:PORT/api/?act=ODOC_SETDATA&docuid=0001077484&objname=document&objdata={"header":{"customer_id":1,"datetime":"25.06.2018 10:33:59"}}&accesstoken=ACCESSTOKEN"#,
            "0001077484",
        ),
        (
            227,
            r#"https://URL:PORT/api/?act=ODOC_SETDATA&docuid=0003443386&objname=document&objdata={"rows":[{"object_id":"PSTM"},{"object_id":"TRTH"}]}&accesstoken=ACCESSTOKEN"#,
            "0003443386",
        ),
        (
            227,
            r#"https://URL:PORT/api/?act=ODOC_SETDATA&docuid=0003443386&objname=header&objdata={"customer_id":2}&accesstoken=ACCESSTOKEN"#,
            "0003443386",
        ),
        (
            227,
            r#"https://URL:PORT/api/?act=ODOC_SETDATA&docuid=0003443385&objname=rows&objdata=[{"object_id":"PSTM"},{"object_id":"TRTH"}]&accesstoken=ACCESSTOKEN"#,
            "0003443385",
        ),
        (
            227,
            r#"https://URL:PORT/api/?act=ODOC_SETDATA&docuid=0003443386&objname=row&objdata={"rowno":2,"object_id":"PSTM"}&accesstoken=ACCESSTOKEN"#,
            "0003443386",
        ),
    ] {
        assert_null_ok(sb, line, url, &[t, (uid, d)]).await;
    }
    assert_eq!(sb.document(d).unwrap().rows, 2);

    // Line 244, answered as lines 258-264 and, for another docuid, 265-271.
    let check = "https://URL:PORT/api/?act=ODOC_CHECK&docuid=0001234567&accesstoken=ACCESSTOKEN";
    let answer = example(sb, check, &[t, ("0001234567", &sale_doc)]).await;
    assert_shape(244, &answer, NULL_OK);
    let answer = example(sb, check, &[t, ("0001234567", "000344332")]).await;
    assert_shape(265, &answer, NULL_FAIL);

    // Line 278, answered as lines 290-299.
    let answer = example(
        sb,
        "https://URL:PORT/api/?act=ODOC_LIST&accesstoken=ACCESSTOKEN",
        &[t],
    )
    .await;
    assert_shape(
        278,
        &answer,
        r#"{"status": 1, "msg": "", "time": 0.257, "data": [ {"docuid": "0001077482" }, {"docuid": "0001077552" } ]}"#,
    );
    assert_eq!(answer["data"].as_array().unwrap().len(), 2);

    // ODOC_ITEMSALE, lines 468 and 489, answered as lines 493-499.
    let sd = sale_doc.as_str();
    for (line, url, uid) in [
        (
            468,
            "https://URL:PORT/api/?act=ODOC_ITEMSALE&docuid=0001077550&batch_id=5797&quantity=3,345&price=8,67&rowno=1&accesstoken=ACCESSTOKEN",
            "0001077550",
        ),
        (
            489,
            "https://URL:PORT/api/?act=ODOC_ITEMSALE&docuid=0001077484&searchcode=GA0004&accesstoken=ACCESSTOKEN",
            "0001077484",
        ),
        (
            489,
            "https://URL:PORT/api/?act=ODOC_ITEMSALE&docuid=0001077484&batch_id=58&accesstoken=ACCESSTOKEN",
            "0001077484",
        ),
        (
            489,
            "https://URL:PORT/api/?act=ODOC_ITEMSALE&docuid=0001077484&batch_id=58&quantity=2&accesstoken=ACCESSTOKEN",
            "0001077484",
        ),
        (
            489,
            "https://URL:PORT/api/?act=ODOC_ITEMSALE&docuid=0001077484&searchcode=GA0004&quantity=2&price=11.5&rowno=1&accesstoken=ACCESSTOKEN",
            "0001077484",
        ),
    ] {
        assert_null_ok(sb, line, url, &[t, (uid, sd)]).await;
    }
    assert_eq!(sb.document(sd).unwrap().rows, 5);

    // Lines 508, 546, 582 (answered as 524-530, 560-566, 595-601); their failures (531-537,
    // 567-573, 602-608) for another docuid or a row the document does not have.
    let barcode = "https://URL:PORT/api/?act=ODOC_BARCODESALE&docuid=0001234567&barcode=60100000&doinsert=1&rowno=2&accesstoken=ACCESSTOKEN";
    let setqty = "https://URL:PORT/api/?act=ODOC_ITEMSETQTY&docuid=0001234567&rowno=1&quantity=10&accesstoken=ACCESSTOKEN";
    let rowdel =
        "https://URL:PORT/api/?act=ODOC_ROWDEL&docuid=0001234567&rowno=1&accesstoken=ACCESSTOKEN";
    let row_failure =
        r#"{"status": 0, "msg": "Request sent and answer received.", "time": 0.031, "data": null}"#;
    let on_sale = s("0001234567", sd);
    let on_sale = (on_sale.0, on_sale.1.as_str());
    for (line, url) in [(508, barcode), (546, setqty), (582, rowdel)] {
        assert_null_ok(sb, line, url, &[t, on_sale]).await;
    }
    let answer = example(sb, barcode, &[t, ("0001234567", "000344332")]).await;
    assert_shape(531, &answer, NULL_FAIL);
    for (line, url) in [(567, setqty), (602, rowdel)] {
        let answer = example(sb, url, &[t, on_sale, ("rowno=1", "rowno=99")]).await;
        assert_shape(line, &answer, row_failure);
        assert_eq!(verdict(&answer), (0, ROW_FAILURE_MSG), "line {line}");
    }

    // Line 617, answered as lines 629-670 (and 671-677 for another docuid).
    let paymodes =
        "https://URL:PORT/api/?act=ODOC_GETPAYMODES&docuid=0001234567&accesstoken=ACCESSTOKEN";
    let answer = example(sb, paymodes, &[t, on_sale]).await;
    assert_shape(
        617,
        &answer,
        r#" {"status": 1, "msg": "", "time": 0.047, "data": {"paymodescondition": "C,B,G,U", "partialpayment": 1, "nopayment": 1, "paymentmodes": [ {"id": "C", "name": "Cash", "backcolor": "", "older": "", "allowoverpayment": "", "privilegeslevel": "", "syspaymentmode": "" } ] }}"#,
    );
    let answer = example(sb, paymodes, &[t, ("0001234567", "000344332")]).await;
    assert_shape(671, &answer, NULL_FAIL);

    // Lines 687 and 734 as printed (`paymentmodeex=""`, `de_sourcetype`, spaces), answered as
    // 712-718 and 751-757; their failures (719-725, 758-764) for another docuid.
    let payment = r#"https://URL:PORT/api/?act=ODOC_SETPAYMENT&docuid=0001234567&paymentmode=B&paymenttype=P&paymentmodeex=""&currency_id=EUR&additional_id=0&amount=10&replaceamount=0&needsreversal=-&paymentdatetime=01.01.2020&accesstoken=ACCESSTOKEN"#;
    let event = "https://URL:PORT/api/?act=ODOC_ADDEVENT&docuid=0001234567&de_act=TEST&de_custevent=MY EVENT&de_comment=this is an event&de_data=event data&de_sourcetype=API&de_source_id=1&accesstoken=ACCESSTOKEN";
    for (line, url) in [(687, payment), (734, event)] {
        assert_null_ok(sb, line, url, &[t, on_sale]).await;
        let answer = example(sb, url, &[t, ("0001234567", "000344332")]).await;
        assert_shape(line, &answer, NULL_FAIL);
    }

    // Line 310, answered as lines 326-452 (and 453-459 for another docuid). The document has a
    // customer (line 227's header example) as the example's has. Its header's `additional13`
    // and `ref_testref` are the vendor installation's own fields (spec notes): not expected.
    let header = r#"https://URL:PORT/api/?act=ODOC_SETDATA&docuid=0003443386&objname=header&objdata={"customer_id":2}&accesstoken=ACCESSTOKEN"#;
    let answer = example(sb, header, &[t, ("0003443386", sd)]).await;
    assert_eq!(verdict(&answer), (1, ""));
    let getdoc =
        "https://URL:PORT/api/?act=ODOC_GETDOC&docuid=0001234567&what=3&accesstoken=ACCESSTOKEN";
    let answer = example(sb, getdoc, &[t, on_sale]).await;
    let mut getdoc_example: serde_json::Value =
        serde_json::from_str(include_str!("getdoc_example.json")).unwrap();
    let own = getdoc_example["data"]["document"]["header"]
        .as_object_mut()
        .unwrap();
    assert!(own.remove("additional13").is_some() && own.remove("ref_testref").is_some());
    assert_shape(310, &answer, &getdoc_example.to_string());
    let payment = &answer["data"]["document"]["payments"]["payment"];
    assert_eq!(
        payment["paymentmodeex"], "",
        "paymentmodeex=\"\" is an empty value"
    );
    assert_eq!(payment["amount"], "10,00");
    let answer = example(sb, getdoc, &[t, ("0001234567", "000344332")]).await;
    assert_shape(453, &answer, NULL_FAIL);

    // Line 805, answered as lines 817-824; the SETDATA document's rows have no batch, as lines
    // 825-831.
    let complete =
        "https://URL:PORT/api/?act=ODOC_COMPLETE&docuid=0001077484&accesstoken=ACCESSTOKEN";
    let answer = example(sb, complete, &[t, ("0001077484", d)]).await;
    assert_shape(
        825,
        &answer,
        r#"{"status": 0, "msg": "Cannot save document! Document row 1: BACH_ID on NULL!", "time": 0.25, "data": null}"#,
    );
    let answer = example(sb, complete, &[t, ("0001077484", sd)]).await;
    assert_shape(
        805,
        &answer,
        r#"{ "status": 1, "msg": "", "time": 0.254, "data": { "dhid": 1077484 } }"#,
    );
    let dhid = answer["data"]["dhid"].to_string();

    // Line 773, answered as lines 784-790 (and 791-797 for a docuid no longer open).
    let cancel = "https://URL:PORT/api/?act=ODOC_CANCEL&docuid=0001077484&accesstoken=ACCESSTOKEN";
    assert_null_ok(sb, 773, cancel, &[t, ("0001077484", d)]).await;
    let answer = example(sb, cancel, &[t, ("0001077484", d)]).await;
    assert_shape(791, &answer, NULL_FAIL);

    // Line 146 as printed sends `DOCUID`, which the sandbox does not read (the table's
    // `docuid` wins, spec notes); with `docuid`, answered as lines 156-163; an unknown docuid
    // as lines 164-170.
    let modify =
        "https://URL:PORT/api/?act=ODOC_MODIFY&DOCUID=0001234567&local=0&accesstoken=ACCESSTOKEN";
    let answer = example(sb, modify, &[t, on_sale]).await;
    assert_eq!(verdict(&answer).0, 0, "DOCUID is not the table's name");
    let answer = example(sb, modify, &[t, on_sale, ("DOCUID", "docuid")]).await;
    assert_shape(146, &answer, DOCUID_OK);
    assert_eq!(answer["data"]["docuid"], sd);
    let answer = example(
        sb,
        modify,
        &[t, ("0001234567", "0003443324x"), ("DOCUID", "docuid")],
    )
    .await;
    assert_shape(
        164,
        &answer,
        r#"{"status": 0, "msg": "Document does not exist 0003443324x", "time": 0.062, "data": null}"#,
    );
    assert_eq!(verdict(&answer), (0, "Document does not exist 0003443324x"));
    let answer = example(sb, cancel, &[t, ("0001077484", sd)]).await;
    assert_eq!(verdict(&answer), (1, ""));

    // DOCCHANGESTATE, lines 839 and 858, answered as lines 862-868; state 2 as lines 869-875.
    let state_ok = r#"{ "status": 1, "msg": "", "time": 0.047, "data": null}"#;
    for (line, url) in [
        (
            839,
            "https://URL:PORT/api/?act=DOCCHANGESTATE&docuid=0001077484&newstate=1&accesstoken=ACCESSTOKEN",
        ),
        (
            858,
            "https://URL:PORT/api/?act=DOCCHANGESTATE&dochid=3443386&newstate=1&accesstoken=ACCESSTOKEN",
        ),
        (
            858,
            "https://URL:PORT/api/?act=DOCCHANGESTATE&dhid=3443386&newstate=1&accesstoken=ACCESSTOKEN",
        ),
        (
            858,
            "https://URL:PORT/api/?act=DOCCHANGESTATE&dhid=3443386&newstate=1&local=1&accesstoken=ACCESSTOKEN",
        ),
    ] {
        let answer = example(sb, url, &[t, ("0001077484", sd), ("3443386", &dhid)]).await;
        assert_shape(line, &answer, state_ok);
        assert_eq!(verdict(&answer), (1, ""), "line {line}");
    }
    let answer = example(
        sb,
        "https://URL:PORT/api/?act=DOCCHANGESTATE&dhid=3443386&newstate=1&accesstoken=ACCESSTOKEN",
        &[t, ("3443386", &dhid), ("newstate=1", "newstate=2")],
    )
    .await;
    assert_shape(
        869,
        &answer,
        r#"{ "status": 0, "msg": "Invalid document state ID value: '2'", "time": 0.032, "data": null}"#,
    );
    assert_eq!(
        verdict(&answer),
        (0, "Invalid document state ID value: '2'")
    );
}

/// Sends `act` with `base` and one parameter replaced or added per case and asserts each case
/// is refused (`status` 0) and changes no document.
async fn assert_refused(
    sandbox: &Sandbox,
    act: &str,
    base: &[(&str, &str)],
    cases: &[(&str, &str)],
) {
    let before = sandbox.documents();
    for (name, value) in cases {
        let answer = raw(sandbox, act, &with(base, name, value)).await;
        assert_eq!(verdict(&answer).0, 0, "{act} {name}={value:?}: {answer}");
        assert_eq!(
            sandbox.documents(),
            before,
            "{act} {name}={value:?} changed nothing"
        );
    }
}

/// `base` followed by `extra`.
fn joined<'a>(
    base: &[(&'a str, &'a str)],
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    [base, extra].concat()
}

/// `base` with `name` set to `value` (replaced or added).
fn with<'a>(base: &[(&'a str, &'a str)], name: &'a str, value: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut params: Vec<(&str, &str)> = base.iter().filter(|(k, _)| *k != name).copied().collect();
    params.push((name, value));
    params
}

/// Sends `act` with `base` less one parameter per case: each is refused as "… is required".
async fn assert_required(sandbox: &Sandbox, act: &str, base: &[(&str, &str)], names: &[&str]) {
    for name in names {
        let params: Vec<(&str, &str)> = base.iter().filter(|(k, _)| k != name).copied().collect();
        let answer = raw(sandbox, act, &params).await;
        assert_eq!(
            verdict(&answer),
            (0, format!("{name} is required").as_str()),
            "{act} without {name}"
        );
    }
}

#[tokio::test]
async fn the_sandbox_refuses_payment_parameters_outside_their_documented_types() {
    // ODOC_SETPAYMENT's table (lines 706-715): paymentmode CHAR(1) Yes, paymenttype CHAR(1) Yes,
    // paymentmodeex CHAR(3), currency_id CHAR(3), additional_id CHAR(20), amount Numeric(11,2)
    // Yes, paymentdatetime TIMESTAMP.
    let sandbox = Sandbox::start().await.unwrap();
    let (token, uid) = raw_document(&sandbox).await;
    let base = [
        ("accesstoken", token.as_str()),
        ("docuid", uid.as_str()),
        ("paymentmode", "B"),
        ("paymenttype", "P"),
        ("amount", "10"),
    ];
    let long_id = "1".repeat(21);
    assert_refused(
        &sandbox,
        "ODOC_SETPAYMENT",
        &base,
        &[
            ("paymenttype", "PP"),
            ("paymentmodeex", "ABCD"),
            ("currency_id", "EURO"),
            ("additional_id", &long_id),
            ("amount", "1234567890"),
            ("amount", "-1234567890,5"),
            ("amount", "10,005"),
            ("amount", "10.005"),
            ("amount", "1e3"),
            ("amount", "10,"),
            ("amount", ",5"),
            ("amount", "1.000,50"),
            ("amount", "ten"),
            ("paymentdatetime", "2020-01-01"),
            ("paymentdatetime", "32.01.2020"),
            ("paymentdatetime", "01.01.2020 25:00:00"),
            ("paymentdatetime", "1.1.2020"),
            ("paymentdatetime", "01.01.20201"),
            ("paymentdatetime", "01.01.2020 1:00:00"),
            ("getdoc", "yes"),
        ],
    )
    .await;
    assert_required(
        &sandbox,
        "ODOC_SETPAYMENT",
        &base,
        &["paymentmode", "paymenttype", "amount"],
    )
    .await;
    // The limits themselves are accepted: 9 integer digits and 2 decimals (trailing zeros count
    // for nothing), a comma or a point, a date or a date and time, CHAR(n) of n characters.
    let max_id = "1".repeat(20);
    for (name, value) in [
        ("amount", "999999999,99"),
        ("amount", "-999999999.99"),
        ("amount", "10,500"),
        ("paymentmodeex", "ABC"),
        ("currency_id", "EUR"),
        ("additional_id", max_id.as_str()),
        ("paymentdatetime", "01.01.2020"),
        ("paymentdatetime", "29.02.2020 23:59:59"),
    ] {
        let answer = raw(&sandbox, "ODOC_SETPAYMENT", &with(&base, name, value)).await;
        assert_eq!(verdict(&answer), (1, ""), "{name}={value}");
    }
    assert_eq!(
        sandbox.document(&uid).unwrap().paid,
        "60.5".parse().unwrap(),
        "every accepted payment counts: 999999999.99 - 999999999.99 + 10.5 + 5 x 10"
    );
}

#[tokio::test]
async fn the_sandbox_holds_every_act_to_its_tables_types() {
    // Each act's table (line numbers of shared/seeds/noom-api.txt): its "Type" column bounds
    // the values, its "Required" column the presence. A 4-character document type and state
    // are in the sandbox's tables, so only CHAR(3) refuses them.
    let mut privileges = noom_client::sandbox::default_privileges();
    privileges.push(("LONG".into(), vec!["2T".into(), "LONG".into()]));
    let mut states = noom_client::sandbox::default_states();
    states.push("LONG".into());
    let chars = |n: usize| "A".repeat(n);
    let (c4, c11, c17, c21) = (chars(4), chars(11), chars(17), chars(21));
    let (c101, c751) = (chars(101), chars(751));
    let (c10, c100, c750) = (chars(10), chars(100), chars(750));
    let sandbox = Sandbox::builder()
        .privileges(privileges)
        .states(states)
        .start()
        .await
        .unwrap();
    let client = sandbox.client().unwrap();
    let saved = client.new_document(&ls(), &st("2T")).await.unwrap();
    saved
        .item_sale(&ItemSale::new().batch_id(58))
        .await
        .unwrap();
    let dhid = saved.complete().await.unwrap().to_string();
    let (token, uid) = raw_document(&sandbox).await;
    let doc = [("accesstoken", token.as_str()), ("docuid", uid.as_str())];
    let answer = raw(&sandbox, "ODOC_ITEMSALE", &with(&doc, "batch_id", "58")).await;
    assert_eq!(verdict(&answer), (1, ""));

    // ODOC_NEW (line 120): doctype, docst CHAR(3) Yes; related.dhid NUMERIC(10);
    // realated.docuid VARCHAR(20).
    let new = [
        ("accesstoken", token.as_str()),
        ("doctype", "LS"),
        ("docst", "2T"),
    ];
    let cases = [
        ("doctype", "LONG"),
        ("docst", "LONG"),
        ("related.dhid", "12345678901"),
        ("related.dhid", "x"),
        ("realated.docuid", c21.as_str()),
    ];
    assert_refused(&sandbox, "ODOC_NEW", &new, &cases).await;
    assert_required(&sandbox, "ODOC_NEW", &new, &["doctype", "docst"]).await;
    // ODOC_MODIFY (line 151): local INTEGER.
    let modify = [("accesstoken", token.as_str()), ("docuid", uid.as_str())];
    let cases = [("local", "x"), ("local", "0,5"), ("docuid", c21.as_str())];
    assert_refused(&sandbox, "ODOC_MODIFY", &modify, &cases).await;
    // ODOC_SETDATA (line 186): objname one of its four, getdoc INTEGER.
    let setdata = joined(
        &doc,
        &[("objname", "header"), ("objdata", r#"{"text":"x"}"#)],
    );
    let cases = [("objname", "Header"), ("getdoc", "yes")];
    assert_refused(&sandbox, "ODOC_SETDATA", &setdata, &cases).await;
    assert_required(&sandbox, "ODOC_SETDATA", &setdata, &["objname"]).await;
    // ODOC_CHECK, ODOC_CANCEL (lines 251, 780): docuid CHAR(20).
    for act in ["ODOC_CHECK", "ODOC_CANCEL"] {
        assert_refused(&sandbox, act, &doc, &[("docuid", c21.as_str())]).await;
    }
    // ODOC_GETDOC (line 317): what "1 - …", "2 - …", "3 - …".
    let cases = [("what", "4"), ("what", "0"), ("what", "full")];
    assert_refused(&sandbox, "ODOC_GETDOC", &doc, &cases).await;
    // ODOC_ITEMSALE (line 475): rowno NUMERIC(4), batch_id NUMERIC(10), searchcode CHAR(20),
    // quantity NUMERIC(15,5), price NUMERIC(15,4), getdoc INTEGER.
    let sale = joined(&doc, &[("batch_id", "58")]);
    let cases = [
        ("rowno", "10000"),
        ("batch_id", "12345678901"),
        ("quantity", "1,123456"),
        ("quantity", "12345678901"),
        ("price", "8,12345"),
        ("price", "123456789012"),
        ("getdoc", "1.0"),
    ];
    assert_refused(&sandbox, "ODOC_ITEMSALE", &sale, &cases).await;
    let by_code = joined(&doc, &[("searchcode", c21.as_str())]);
    assert_refused(&sandbox, "ODOC_ITEMSALE", &by_code, &[("searchcode", &c21)]).await;
    // ODOC_BARCODESALE (line 515): barcode CHAR(16), doinsert, rowno, quantity INTEGER.
    let barcode = joined(
        &doc,
        &[("barcode", "60100000"), ("doinsert", "1"), ("rowno", "1")],
    );
    let cases = [
        ("barcode", c17.as_str()),
        ("doinsert", "1.0"),
        ("rowno", "1,0"),
        ("quantity", "3000000000"),
        ("getdoc", "x"),
    ];
    assert_refused(&sandbox, "ODOC_BARCODESALE", &barcode, &cases).await;
    let required = ["barcode", "doinsert", "rowno"];
    assert_required(&sandbox, "ODOC_BARCODESALE", &barcode, &required).await;
    // ODOC_ITEMSETQTY (line 553): rowno INTEGER Yes, quantity NUMERIC(15,5) Yes.
    let setqty = joined(&doc, &[("rowno", "1"), ("quantity", "2")]);
    let cases = [
        ("quantity", "1,123456"),
        ("quantity", "12345678901"),
        ("rowno", "1.0"),
        ("getdoc", "x"),
    ];
    assert_refused(&sandbox, "ODOC_ITEMSETQTY", &setqty, &cases).await;
    assert_required(&sandbox, "ODOC_ITEMSETQTY", &setqty, &["rowno", "quantity"]).await;
    // ODOC_ROWDEL (line 589): rowno INTEGER Yes.
    let rowdel = joined(&doc, &[("rowno", "1")]);
    assert_refused(&sandbox, "ODOC_ROWDEL", &rowdel, &[("getdoc", "x")]).await;
    assert_required(&sandbox, "ODOC_ROWDEL", &rowdel, &["rowno"]).await;
    // ODOC_GETPAYMODES, ODOC_COMPLETE (lines 624, 812): getdoc INTEGER.
    for act in ["ODOC_GETPAYMODES", "ODOC_COMPLETE"] {
        assert_refused(&sandbox, act, &doc, &[("getdoc", "x")]).await;
    }
    // ODOC_ADDEVENT (line 741): de_act, de_custevent CHAR(10), de_comment VARCHAR(100),
    // de_data VARCHAR(750), de_sourcetype_id CHAR(3), de_source_id VARCHAR(10).
    let event = joined(&doc, &[("de_act", "TEST")]);
    let cases = [
        ("de_act", c11.as_str()),
        ("de_custevent", c11.as_str()),
        ("de_comment", c101.as_str()),
        ("de_data", c751.as_str()),
        ("de_sourcetype_id", c4.as_str()),
        ("de_source_id", c11.as_str()),
    ];
    assert_refused(&sandbox, "ODOC_ADDEVENT", &event, &cases).await;
    assert_required(&sandbox, "ODOC_ADDEVENT", &event, &["de_act"]).await;
    // DOCCHANGESTATE (line 846): dhid, dochid NUMERIC(10), newstate CHAR(3) Yes.
    let change = [
        ("accesstoken", token.as_str()),
        ("dhid", dhid.as_str()),
        ("newstate", "1"),
    ];
    let cases = [
        ("newstate", "LONG"),
        ("dhid", "12345678901"),
        ("dhid", "1e3"),
    ];
    assert_refused(&sandbox, "DOCCHANGESTATE", &change, &cases).await;
    let by_dochid = [
        ("accesstoken", token.as_str()),
        ("dochid", "x"),
        ("newstate", "1"),
    ];
    assert_refused(&sandbox, "DOCCHANGESTATE", &by_dochid, &[("dochid", "-")]).await;
    assert_required(&sandbox, "DOCCHANGESTATE", &change, &["newstate"]).await;

    // The limits themselves are accepted.
    let event = joined(
        &doc,
        &[
            ("de_act", c10.as_str()),
            ("de_custevent", c10.as_str()),
            ("de_comment", c100.as_str()),
            ("de_data", c750.as_str()),
            ("de_sourcetype_id", "API"),
            ("de_source_id", c10.as_str()),
        ],
    );
    let answer = raw(&sandbox, "ODOC_ADDEVENT", &event).await;
    assert_eq!(verdict(&answer), (1, ""), "{answer}");
    let sale = joined(
        &doc,
        &[
            ("batch_id", "0000000058"),
            ("quantity", "9999999999,99999"),
            ("price", "-99999999999.9999"),
            ("rowno", "2"),
            ("getdoc", "0"),
        ],
    );
    let answer = raw(&sandbox, "ODOC_ITEMSALE", &sale).await;
    assert_eq!(verdict(&answer), (1, ""), "{answer}");
    let barcode = joined(
        &doc,
        &[
            ("barcode", "60100000"),
            ("doinsert", "1"),
            ("rowno", "3"),
            ("quantity", "2147483647"),
        ],
    );
    let answer = raw(&sandbox, "ODOC_BARCODESALE", &barcode).await;
    assert_eq!(verdict(&answer), (1, ""), "{answer}");
    let answer = raw(&sandbox, "DOCCHANGESTATE", &with(&change, "newstate", "K")).await;
    assert_eq!(verdict(&answer), (1, ""), "{answer}");
    assert_eq!(sandbox.document(&uid).unwrap().rows, 3);
    assert_eq!(sandbox.document(&uid).unwrap().events, 1);
}

#[tokio::test]
async fn the_sandbox_holds_setdata_attributes_to_their_tables() {
    // ODOC_SETDATA's header attributes (line 201): datetime TIMESTAMP, documentno CHAR(20),
    // location_id CHAR(10), object_id CHAR(6), customer_id and customerlocation_id
    // NUMERIC(10), text and text2 VAR(250); its row attributes (line 212): rowno NUMERIC(4),
    // bach_id and product_id NUMERIC(10), object_id CHAR(6), quantity NUMERIC(15,5), price
    // NUMERIC(15,4).
    let sandbox = Sandbox::start().await.unwrap();
    let (token, uid) = raw_document(&sandbox).await;
    let set = |objname: &'static str, objdata: String| {
        let params = [
            ("accesstoken", token.clone()),
            ("docuid", uid.clone()),
            ("objname", objname.to_owned()),
            ("objdata", objdata),
        ];
        let sandbox = &sandbox;
        async move {
            let refs: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
            raw(sandbox, "ODOC_SETDATA", &refs).await
        }
    };
    let long = |n: usize| "A".repeat(n);
    let headers = [
        serde_json::json!({ "datetime": "2018-06-25 10:33:59" }),
        serde_json::json!({ "datetime": "31.06.2018 10:33:59" }),
        serde_json::json!({ "documentno": long(21) }),
        serde_json::json!({ "location_id": long(11) }),
        serde_json::json!({ "object_id": long(7) }),
        serde_json::json!({ "customer_id": 12_345_678_901_u64 }),
        serde_json::json!({ "customer_id": "x" }),
        serde_json::json!({ "customer_id": true }),
        serde_json::json!({ "customerlocation_id": 1.5 }),
        serde_json::json!({ "text": long(251) }),
        serde_json::json!({ "text2": long(251) }),
    ];
    let rows = [
        serde_json::json!({ "rowno": 10_000, "bach_id": 58 }),
        serde_json::json!({ "bach_id": 12_345_678_901_u64 }),
        serde_json::json!({ "bach_id": 58, "product_id": "12345678901" }),
        serde_json::json!({ "bach_id": 58, "object_id": long(7) }),
        serde_json::json!({ "bach_id": 58, "quantity": 1.123_456 }),
        serde_json::json!({ "bach_id": 58, "quantity": "12345678901" }),
        serde_json::json!({ "bach_id": 58, "price": 8.123_45 }),
        serde_json::json!({ "bach_id": 58, "price": [1] }),
    ];
    let before = sandbox.documents();
    for header in &headers {
        let answer = set("header", header.to_string()).await;
        assert_eq!(verdict(&answer).0, 0, "{header}: {answer}");
        let doc = serde_json::json!({ "header": header, "rows": [{ "bach_id": 58 }] });
        let answer = set("document", doc.to_string()).await;
        assert_eq!(verdict(&answer).0, 0, "{doc}: {answer}");
    }
    for row in &rows {
        let answer = set(
            "rows",
            serde_json::json!([{ "bach_id": 58 }, row]).to_string(),
        )
        .await;
        assert_eq!(verdict(&answer).0, 0, "rows {row}: {answer}");
        let mut one = row.clone();
        one["rowno"] = one.get("rowno").cloned().unwrap_or(serde_json::json!(1));
        let answer = set("row", one.to_string()).await;
        assert_eq!(verdict(&answer).0, 0, "row {one}: {answer}");
    }
    assert_eq!(sandbox.documents(), before, "nothing changed");

    // The limits themselves, strings or numbers, and attributes outside the tables.
    let header = serde_json::json!({
        "datetime": "25.06.2018 10:33:59",
        "documentno": long(20),
        "location_id": long(10),
        "object_id": long(6),
        "customer_id": 9_999_999_999_u64,
        "customerlocation_id": "1",
        "text": long(250),
        "text2": "",
        "additional13": "123",
    });
    let answer = set("header", header.to_string()).await;
    assert_eq!(verdict(&answer), (1, ""), "{answer}");
    let row = serde_json::json!({
        "rowno": 1,
        "bach_id": "0000000058",
        "product_id": 9_999_999_999_u64,
        "object_id": "PSTM",
        "quantity": "9999999999,99999",
        "price": 8.1234,
    });
    let answer = set("row", row.to_string()).await;
    assert_eq!(verdict(&answer), (1, ""), "{answer}");
    assert_eq!(sandbox.document(&uid).unwrap().rows, 1);
}

#[tokio::test]
async fn the_sandbox_refuses_other_methods_and_other_spellings() {
    // "Every API call is a HTTP POST request"; names as the tables spell them.
    let sandbox = Sandbox::start().await.unwrap();
    let (token, uid) = raw_document(&sandbox).await;
    let url = format!(
        "{}?act=ODOC_CHECK&docuid={uid}&accesstoken={token}",
        sandbox.base_url()
    );
    let http = pos_client_core::reqwest::Client::new();
    for method in ["GET", "PUT", "DELETE"] {
        let method = pos_client_core::reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let answer = http.request(method.clone(), &url).send().await.unwrap();
        assert_eq!(answer.status().as_u16(), 405, "{method}");
    }
    let answer = http.post(&url).send().await.unwrap();
    assert_eq!(answer.status().as_u16(), 200);

    let auth = [("accesstoken", token.as_str())];
    let answer = raw(&sandbox, "odoc_list", &auth).await;
    assert_eq!(verdict(&answer), (0, "Unknown act: odoc_list"));
    let answer = raw(&sandbox, "", &auth).await;
    assert_eq!(verdict(&answer), (0, "Missing act"));
    let answer = raw(&sandbox, "ODOC_CHECK", &[auth[0], ("DOCUID", uid.as_str())]).await;
    assert_eq!(verdict(&answer), (0, "Invalid UID: "));
    let payment = [
        auth[0],
        ("docuid", uid.as_str()),
        ("paymentmode", "B"),
        ("paymenttype", "P"),
        ("Amount", "10"),
    ];
    let answer = raw(&sandbox, "ODOC_SETPAYMENT", &payment).await;
    assert_eq!(verdict(&answer), (0, "amount is required"));
    assert_eq!(sandbox.document(&uid).unwrap().paid, dec!(0));
}
