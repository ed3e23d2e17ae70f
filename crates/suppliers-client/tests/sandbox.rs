//! Flows against the embedded sandbox: the access-token rule, every action, the purchase
//! checks, suppliers and debt, paging, Basic / Digest (stale nonce) / OAuth2, and faults.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use pos_client_core::http::StatusCode;
use suppliers_client::digest::Algorithm;
use suppliers_client::models::{DebtMethod, NewSupplier};
use suppliers_client::sandbox::{Fault, OTHER_TOKEN, Route, SECOND_TOKEN, Sandbox};
use suppliers_client::{
    Decimal, EditTrans, ImportItem, Payment, ProductRef, ResultCode, SupplierFilter,
};

fn code(e: &suppliers_client::Error) -> Option<ResultCode> {
    e.code().cloned()
}

#[tokio::test]
async fn current_needs_the_access_token_claim_and_a_second_token_takes_it_over() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let err = client.current().await.unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::NotCurrentAccessToken));
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    let trans = client.claim_current().await.unwrap();
    assert_eq!(client.current().await.unwrap().id(), trans.id());

    let second = sandbox
        .client_builder()
        .bearer_token(SECOND_TOKEN)
        .build()
        .unwrap();
    let same = second.claim_current().await.unwrap();
    assert_eq!(same.id(), trans.id(), "one current temp purchase per user");
    let err = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::NotCurrentAccessToken));
    same.add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap();
}

#[tokio::test]
async fn every_action_and_its_documented_errors() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let mut trans = client.claim_current().await.unwrap();
    let first = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
        .await
        .unwrap();
    assert_eq!(first.is_update, Some(false));
    let again = trans
        .add_line(ProductRef::Id("101".into()), Decimal::from(3))
        .await
        .unwrap();
    assert_eq!(
        (again.is_update, again.line.units),
        (Some(true), Some(Decimal::from(5)))
    );
    let err = trans
        .add_line(ProductRef::Code("NOPE".into()), Decimal::ONE)
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::ProductNotFound));

    for (edit, expected) in [
        (
            EditTrans {
                location_id: Some("3".into()),
                ..Default::default()
            },
            ResultCode::NotPermissionSelectThisLocation,
        ),
        (
            EditTrans {
                supplier_id: Some("999".into()),
                ..Default::default()
            },
            ResultCode::NotFoundSupplier,
        ),
        (
            EditTrans {
                business_id: Some("77".into()),
                ..Default::default()
            },
            ResultCode::NotFoundBusiness,
        ),
    ] {
        assert_eq!(
            code(&trans.edit_trans(&edit).await.unwrap_err()),
            Some(expected)
        );
    }
    let info = trans
        .edit_trans(&EditTrans {
            location_id: Some("2".into()),
            supplier_id: Some("3".into()),
            business_id: Some("10".into()),
            note: Some("n".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(info.location_name.as_deref(), Some("Kho Sài Gòn"));
    assert_eq!(info.business_name.as_deref(), Some("Công ty TNHH An Phát"));

    let line = first.line.line_id.clone();
    trans.edit_units(&line, Decimal::from(4)).await.unwrap();
    trans
        .edit_pricebuy(&line, Decimal::from(1000))
        .await
        .unwrap();
    trans.edit_update_product(&line, false, true).await.unwrap();
    for err in [
        trans.edit_units("999", Decimal::ONE).await.unwrap_err(),
        trans.edit_pricebuy("999", Decimal::ONE).await.unwrap_err(),
        trans
            .edit_update_product("999", true, true)
            .await
            .unwrap_err(),
        trans.delete_line("999").await.unwrap_err(),
    ] {
        assert_eq!(code(&err), Some(ResultCode::LineNotFound));
    }
    trans.refresh().await.unwrap();
    let l = &trans.lines()[0];
    assert_eq!(
        (l.units, l.pricebuy, l.update_supplier),
        (Decimal::from(4), Some(Decimal::from(1000)), Some(false))
    );

    let item = |r: &str, u: &str, p: Option<&str>| ImportItem {
        reference: r.into(),
        units: u.parse().unwrap(),
        pricebuy: p.map(|p| p.parse().unwrap()),
    };
    let err = trans
        .import_products(&[item("SP002", "1", None), item("SP002", "1", None)])
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::DuplicateReference));
    let err = trans
        .import_products(&[item("XX", "1", None)])
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::NotFoundProduct));
    trans
        .import_products(&[item("SP002", "2", Some("500")), item("SP003", "1.5", None)])
        .await
        .unwrap();
    trans.refresh().await.unwrap();
    assert_eq!(trans.lines().len(), 3);
    trans.delete_line(&line).await.unwrap();

    // forwardTrans errors, then a real forward.
    let t = client.current().await.unwrap();
    assert_eq!(
        code(&t.clone().forward("42").await.unwrap_err()),
        Some(ResultCode::PersonNotFound)
    );
    assert_eq!(
        code(&t.clone().forward("1").await.unwrap_err()),
        Some(ResultCode::NotForwardYourself)
    );
    let id = t.id().to_owned();
    let fresh = t.forward("2").await.unwrap();
    assert_ne!(fresh.id(), id);
    assert!(fresh.lines().is_empty());
    assert_eq!(
        code(&fresh.clone().forward("2").await.unwrap_err()),
        Some(ResultCode::TransNotItem)
    );
    // The colleague sees it in their list.
    let other = sandbox
        .client_builder()
        .bearer_token(OTHER_TOKEN)
        .build()
        .unwrap();
    let theirs = other
        .list_temp_purchases(None)
        .await
        .unwrap()
        .embedded
        .unwrap()
        .supplier_purchase_temp;
    assert!(
        theirs
            .iter()
            .any(|t| t.id == id && t.person_share.as_deref() == Some("Nguyễn Văn An"))
    );

    // createNewTrans parks the current one; activeTrans brings it back; stale ids fail.
    let parked = fresh.id().to_owned();
    let newer = fresh.create_new().await.unwrap();
    let err = client.temp_purchase("nope").await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    // The document lists only "404: Not Found" here (TRANS_NOT_FOUND is activeTrans's code).
    assert_eq!(code(&err), None, "{err}");
    assert_eq!(
        code(&client.activate_trans(newer.id()).await.unwrap_err()),
        Some(ResultCode::TransNotFound)
    );
    let back = client.activate_trans(&parked).await.unwrap();
    assert_eq!(back.id(), parked);
    let err = newer
        .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::TransNotCurrent));
    assert_eq!(
        code(&client.delete_temp_purchase(newer.id()).await.unwrap_err()),
        Some(ResultCode::TransNotCurrent)
    );
    let replaced = back.delete().await.unwrap().unwrap();
    assert_ne!(replaced.id(), parked);
    let ids: Vec<String> = client
        .list_temp_purchases(None)
        .await
        .unwrap()
        .embedded
        .unwrap()
        .supplier_purchase_temp
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert!(!ids.contains(&parked) && ids.contains(&replaced.id().to_owned()));
}

#[tokio::test]
async fn the_purchase_checks_run_in_the_documents_order() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let mut trans = client.claim_current().await.unwrap();
    let id = trans.id().to_owned();
    assert_eq!(
        code(
            &client
                .place_order("other", &Payment::cash())
                .await
                .unwrap_err()
        ),
        Some(ResultCode::PurchaseTempInvalid)
    );
    assert_eq!(
        code(&client.place_order(&id, &Payment::cash()).await.unwrap_err()),
        Some(ResultCode::RequiredLocationId)
    );
    trans
        .edit_trans(&EditTrans {
            location_id: Some("1".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        code(&client.place_order(&id, &Payment::cash()).await.unwrap_err()),
        Some(ResultCode::RequiredSupplierId)
    );
    trans
        .edit_trans(&EditTrans {
            supplier_id: Some("3".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        code(&client.place_order(&id, &Payment::cash()).await.unwrap_err()),
        Some(ResultCode::PurchaseTempNotItem)
    );
    let added = trans
        .add_line(ProductRef::Code("SP004".into()), Decimal::from(100))
        .await
        .unwrap();
    trans
        .edit_pricebuy(&added.line.line_id, Decimal::from(120_000))
        .await
        .unwrap();
    // 12,000,000 of debt over a max of 10,000,000.
    assert_eq!(
        code(&client.place_order(&id, &Payment::debt()).await.unwrap_err()),
        Some(ResultCode::DebtNotGreaterMaxdebt)
    );
    trans
        .edit_units(&added.line.line_id, Decimal::from(50))
        .await
        .unwrap();
    trans
        .place_order(Payment::debt().with_note("n"))
        .await
        .unwrap();
    assert_eq!(
        sandbox.supplier(3).unwrap().curdebt,
        Decimal::from(6_000_000)
    );
    let orders = sandbox.orders();
    assert_eq!(
        (orders.len(), orders[0].total, orders[0].trans_id.as_str()),
        (1, Decimal::from(6_000_000), id.as_str())
    );
    assert_ne!(
        client.current().await.unwrap().id(),
        id,
        "a new temp purchase follows the order"
    );
}

/// The supplier filters are percent-encoded byte for byte (`%20` for a space, which every
/// decoder reads as a space; a form's `+` would be a plus to a decoder following RFC 3986 only),
/// and the sandbox finds the supplier by the decoded name.
#[tokio::test]
async fn the_supplier_filters_go_percent_encoded() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let last_query = || {
        let requests = sandbox.journal().matching(Route::path("/suppliers"));
        requests.last().unwrap().query.clone().unwrap_or_default()
    };
    let named = client
        .list_suppliers(&SupplierFilter {
            visible: Some(false),
            name: Some("Minh Long".into()),
            page: Some(1),
            page_size: Some(5),
        })
        .await
        .unwrap();
    assert_eq!(
        last_query(),
        "visible=N&name=Minh%20Long&page=1&page_size=5"
    );
    assert_eq!(named.embedded.unwrap().suppliers[0].id, "2");
    let none = client
        .list_suppliers(&SupplierFilter {
            name: Some("Sữa+&=x".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(last_query(), "name=S%E1%BB%AFa%2B%26%3Dx");
    assert_eq!(none.total_items, Some(0));
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    assert_eq!(last_query(), "");
}

#[tokio::test]
async fn suppliers_debt_rules_paging_and_the_misspelt_not_found() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let visible = client
        .list_suppliers(&SupplierFilter {
            visible: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(visible.total_items, Some(2));
    let named = client
        .list_suppliers(&SupplierFilter {
            name: Some("minh".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(named.embedded.unwrap().suppliers[0].id, "2");
    sandbox.set_page_size(2);
    let p2 = client
        .list_suppliers(&SupplierFilter {
            page: Some(2),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        (p2.page, p2.page_count, p2.embedded.unwrap().suppliers.len()),
        (Some(2), Some(2), 1)
    );
    assert!(p2.links.unwrap().next.is_none());

    let created = client
        .create_supplier(&NewSupplier {
            name: "Mới".into(),
            phone: None,
            region: None,
            city: None,
            address: None,
        })
        .await
        .unwrap();
    client
        .edit_supplier_max_debt(&created.id, Decimal::from(1_000_000))
        .await
        .unwrap();
    let err = client
        .update_supplier_debt(
            &created.id,
            DebtMethod::Debt,
            Decimal::from(1_000_001),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::DebtNotGreaterMaxdebt));
    client
        .update_supplier_debt(
            &created.id,
            DebtMethod::Debt,
            Decimal::from(800_000),
            Some("nhập"),
        )
        .await
        .unwrap();
    let err = client
        .update_supplier_debt(
            &created.id,
            DebtMethod::DebtPaid,
            Decimal::from(800_001),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::DebtNotGreaterCurdebt));
    client
        .update_supplier_debt(
            &created.id,
            DebtMethod::DebtPaid,
            Decimal::from(300_000),
            None,
        )
        .await
        .unwrap();
    client
        .edit_supplier_name(&created.id, "Đổi tên")
        .await
        .unwrap();
    client
        .edit_supplier_code(&created.id, "K9", "0109")
        .await
        .unwrap();
    client
        .edit_supplier_visible(&created.id, false)
        .await
        .unwrap();
    client
        .edit_supplier_contact(
            &created.id,
            &suppliers_client::ContactInfo {
                phone: Some("0977".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let s = client.supplier(&created.id).await.unwrap();
    assert_eq!(
        (
            s.curdebt,
            s.name.as_deref(),
            s.searchkey.as_deref(),
            s.visible,
            s.phone.as_deref()
        ),
        (
            Some(Decimal::from(500_000)),
            Some("Đổi tên"),
            Some("K9"),
            Some(false),
            Some("0977")
        )
    );
    client.delete_supplier(&created.id).await.unwrap();
    let err = client.delete_supplier(&created.id).await.unwrap_err();
    assert_eq!(
        code(&err),
        Some(ResultCode::NotFoundSupplier),
        "NOT_FOUND_SUPPLER maps to it"
    );
    assert!(err.to_string().contains("NOT_FOUND_SUPPLIER"));
    assert_eq!(
        code(&client.supplier("999").await.unwrap_err()),
        Some(ResultCode::NotFoundSupplier)
    );
    assert_eq!(
        code(&client.edit_supplier_name("999", "x").await.unwrap_err()),
        Some(ResultCode::NotFoundSupplier)
    );
}

#[tokio::test]
async fn the_sandbox_refuses_wrong_media_types_and_credentials() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = pos_client_core::reqwest::Client::new();
    let url = format!("{}suppliers", sandbox.base_url());
    let r = http
        .get(&url)
        .header("accept", "text/html")
        .header("authorization", "Bearer sandbox-token-an")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 406);
    let r = http
        .post(&url)
        .header("accept", "application/json")
        .header("authorization", "Bearer sandbox-token-an")
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 415);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let r = http
        .get(&url)
        .header("accept", "application/hal+json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
    assert!(
        r.headers()
            .get_all("www-authenticate")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with("Digest"))
    );

    let bad = sandbox
        .client_builder()
        .basic_auth("an", "wrong")
        .build()
        .unwrap();
    let err = bad
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap_err();
    assert!(err.is_credentials() && code(&err) == Some(ResultCode::Unauthorized));
    assert_eq!(
        sandbox.journal().hits("/suppliers"),
        4,
        "Basic is not sent again"
    );
    sandbox
        .basic_client()
        .unwrap()
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
}

#[tokio::test]
async fn digest_answers_the_challenge_counts_nonces_and_renews_a_stale_nonce() {
    for algorithm in [Algorithm::Sha256, Algorithm::Md5] {
        let sandbox = Sandbox::start().await.unwrap();
        sandbox.set_digest_algorithm(algorithm);
        let client = sandbox.digest_client().unwrap();
        // A write as the first request: refused with the challenge, then sent once more.
        let trans = client.claim_current().await.unwrap();
        trans
            .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
            .await
            .unwrap();
        let requests = sandbox.journal().requests();
        assert_eq!(
            requests.len(),
            3,
            "challenge round trip once, then signed requests"
        );
        assert!(requests[0].headers.get("authorization").is_none());
        let auth = |i: usize| {
            requests[i].headers["authorization"]
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert!(
            auth(1).contains(&format!("algorithm={}", algorithm.as_str()))
                && auth(1).contains("nc=00000001")
        );
        assert!(auth(2).contains("nc=00000002"), "{}", auth(2));

        sandbox.expire_nonces();
        let line = trans
            .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
            .await
            .unwrap();
        assert_eq!(
            line.line.units,
            Some(Decimal::from(2)),
            "the stale write was refused, then applied once"
        );
        let requests = sandbox.journal().requests();
        assert_eq!(requests.len(), 5);
        let stale_nonce = |i: usize| {
            requests[i].headers["authorization"]
                .to_str()
                .unwrap()
                .split("nonce=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        };
        assert_ne!(stale_nonce(3), stale_nonce(4));

        let wrong = sandbox
            .client_builder()
            .digest_auth("an", "wrong")
            .build()
            .unwrap();
        let err = wrong
            .list_suppliers(&SupplierFilter::default())
            .await
            .unwrap_err();
        assert!(err.is_credentials());
        assert_eq!(
            sandbox.journal().requests().len(),
            7,
            "one challenge answer, no loop"
        );
    }
}

/// A server accepting HTTP Digest only answers Basic 401 with a Digest challenge alone. The
/// Basic client (the default of `SUPPLIERS_USER` + `SUPPLIERS_PASSWORD`) switches to Digest
/// with the same user and password: a write as its first request is sent twice (Basic refused,
/// then the challenge answered) and carried out once; its clones sign with Digest from then on.
/// A wrong password fails after that one answer.
#[tokio::test]
async fn a_basic_client_switches_to_digest_on_a_digest_only_server() {
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_digest_only(true);
    let before = sandbox.suppliers().len();
    let client = sandbox.basic_client().unwrap();
    let clone = client.clone();
    let created = client
        .create_supplier(&NewSupplier {
            name: "Digest".into(),
            phone: None,
            region: None,
            city: None,
            address: None,
        })
        .await
        .unwrap();
    assert_eq!(
        sandbox.suppliers().len(),
        before + 1,
        "the write was done once"
    );
    clone.supplier(&created.id).await.unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    let requests = sandbox.journal().requests();
    let auth = |i: usize| {
        requests[i].headers["authorization"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        requests.len(),
        4,
        "one challenge round trip, then signed calls"
    );
    assert!(auth(0).starts_with("Basic "), "{}", auth(0));
    for (i, nc) in [(1, "nc=00000001"), (2, "nc=00000002"), (3, "nc=00000003")] {
        assert!(
            auth(i).starts_with("Digest username=\"an\"") && auth(i).contains(nc),
            "{i}: {}",
            auth(i)
        );
    }

    let wrong = sandbox
        .client_builder()
        .basic_auth("an", "wrong")
        .build()
        .unwrap();
    let err = wrong
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap_err();
    assert!(err.is_credentials(), "{err}");
    let requests = sandbox.journal().requests();
    assert_eq!(requests.len(), 6, "Basic, then one Digest answer, no loop");
    assert!(
        requests[5].headers["authorization"]
            .to_str()
            .unwrap()
            .starts_with("Digest ")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_digest_calls_all_succeed_though_their_nonce_counts_arrive_out_of_order() {
    // The sandbox refuses a nonce count that is not above the last one it saw for the nonce
    // ("nonce count replayed", stale=false). Concurrent calls sharing a nonce may arrive in any
    // order; none may fail as if the password were wrong.
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.digest_client().unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    for round in 0..5 {
        let calls: Vec<_> = (0..20)
            .map(|_| {
                let c = client.clone();
                tokio::spawn(async move { c.list_suppliers(&SupplierFilter::default()).await })
            })
            .collect();
        for call in calls {
            if let Err(e) = call.await.unwrap() {
                panic!("round {round}: {e}");
            }
        }
    }
    // A wrong password still fails, after at most one more attempt per call.
    let wrong = sandbox
        .client_builder()
        .digest_auth("an", "wrong")
        .build()
        .unwrap();
    let before = sandbox.journal().requests().len();
    let calls: Vec<_> = (0..5)
        .map(|_| {
            let c = wrong.clone();
            tokio::spawn(async move { c.list_suppliers(&SupplierFilter::default()).await })
        })
        .collect();
    for call in calls {
        assert!(call.await.unwrap().unwrap_err().is_credentials());
    }
    let sent = sandbox.journal().requests().len() - before;
    assert!((5..=10).contains(&sent), "{sent} requests for 5 calls");
}

#[tokio::test]
async fn the_temp_purchase_claim_follows_a_renewed_oauth2_token() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.oauth_client().unwrap();
    let trans = client.claim_current().await.unwrap();
    let line = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap();
    // The server drops the token: the next call renews it, and the new token has not claimed
    // the temp purchase. The client claims again once and sends the action once more.
    sandbox.expire_oauth_tokens();
    let claims = || {
        sandbox
            .journal()
            .requests()
            .iter()
            .filter(|r| r.query.as_deref() == Some("set_current_access_token=Y"))
            .count()
    };
    assert_eq!(claims(), 1);
    let again = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap();
    assert_eq!(again.line.line_id, line.line.line_id);
    assert_eq!(again.line.units, Some(Decimal::from(2)), "added once");
    assert_eq!(claims(), 2);
    assert_eq!(sandbox.journal().hits("/oauth"), 2);
    // Later actions go straight through.
    trans
        .edit_units(&line.line.line_id, Decimal::from(3))
        .await
        .unwrap();
    assert_eq!(claims(), 2);

    // Without a renewed token the refusal stands: another token of the user took it over.
    let second = sandbox
        .client_builder()
        .bearer_token(SECOND_TOKEN)
        .build()
        .unwrap();
    let _ = second.claim_current().await.unwrap();
    let err = trans
        .edit_units(&line.line.line_id, Decimal::from(4))
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::NotCurrentAccessToken));
    assert_eq!(claims(), 3, "not claimed back");
}

#[tokio::test]
async fn oauth2_gets_a_token_and_renews_it_once_when_expired() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.oauth_client().unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    assert_eq!(sandbox.journal().hits("/oauth"), 1);
    sandbox.expire_oauth_tokens();
    let created = client
        .create_supplier(&NewSupplier {
            name: "OAuth".into(),
            phone: None,
            region: None,
            city: None,
            address: None,
        })
        .await
        .unwrap();
    assert_eq!(sandbox.journal().hits("/oauth"), 2);
    assert_eq!(
        sandbox.journal().hits("/suppliers"),
        4,
        "refused once, sent once more"
    );
    assert!(sandbox.supplier(created.id.parse().unwrap()).is_some());
    let cc = sandbox
        .client_builder()
        .oauth2_client_credentials(
            suppliers_client::sandbox::OAUTH_CLIENT_ID,
            Some(suppliers_client::sandbox::OAUTH_CLIENT_SECRET.into()),
        )
        .build()
        .unwrap();
    cc.list_suppliers(&SupplierFilter::default()).await.unwrap();
}

#[tokio::test]
async fn faults_reads_are_retried_writes_never() {
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let trans = client.claim_current().await.unwrap();
    let current = "/supplier-purchase-temp/current";
    sandbox.faults().inject(current, Fault::status(503));
    assert_eq!(client.current().await.unwrap().id(), trans.id());
    assert_eq!(
        sandbox.journal().hits(current),
        3,
        "claim, 503, retried 200"
    );

    let path = format!("/supplier-purchase-temp/{}", trans.id());
    sandbox
        .faults()
        .inject(Route::path(&path), Fault::status(503));
    let err = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(
        sandbox.journal().hits(Route::path(&path)),
        1,
        "a write is sent once"
    );

    let mut trans = client.current().await.unwrap();
    trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::ONE)
        .await
        .unwrap();
    trans
        .edit_trans(&EditTrans {
            location_id: Some("1".into()),
            supplier_id: Some("1".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let id = trans.id().to_owned();
    sandbox
        .faults()
        .inject("/supplier-purchase", Fault::ResetMidBody);
    let err = trans.place_order(Payment::cash()).await.unwrap_err();
    assert!(err.is_outcome_unknown(), "{err}");
    assert_eq!(err.reference(), Some(id.as_str()));
    assert_eq!(sandbox.journal().hits("/supplier-purchase"), 1);
    assert_eq!(
        sandbox.orders().len(),
        1,
        "the order was placed although the answer was lost"
    );
}

/// A claimed temp purchase with a location, supplier 3 and one priced line: ready to order.
async fn orderable(client: &suppliers_client::Client) -> String {
    let mut trans = client.claim_current().await.unwrap();
    let added = trans
        .add_line(ProductRef::Code("SP004".into()), Decimal::from(2))
        .await
        .unwrap();
    trans
        .edit_pricebuy(&added.line.line_id, Decimal::from(1_000))
        .await
        .unwrap();
    trans
        .edit_trans(&EditTrans {
            location_id: Some("1".into()),
            supplier_id: Some("3".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    trans.id().to_owned()
}

#[tokio::test]
async fn the_order_id_is_read_under_either_name_and_refused_when_they_differ() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let id = orderable(&client).await;
    let (status, _, _, body) = raw(
        &sandbox,
        Method::POST,
        "supplier-purchase",
        Some(serde_json::json!({
            "purchase_temp_id": id, "trans_temp_id": "another", "payment_method": "cash",
        })),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("trans_temp_id"), "{body}");
    assert!(sandbox.orders().is_empty(), "nothing ordered");
    // The fields table's name alone is enough.
    let (status, _, _, body) = raw(
        &sandbox,
        Method::POST,
        "supplier-purchase",
        Some(serde_json::json!({"trans_temp_id": id, "payment_method": "cash"})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(sandbox.orders()[0].trans_id, id);
    // The client sends both names, the same value.
    let id = orderable(&client).await;
    client.place_order(&id, &Payment::cash()).await.unwrap();
    assert_eq!(sandbox.orders().len(), 2);
    assert_eq!(sandbox.orders()[1].trans_id, id);
}

#[tokio::test]
async fn an_order_without_payment_method_is_paid_cash_and_a_bad_visible_filter_is_refused() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let id = orderable(&client).await;
    let debt = sandbox.supplier(3).unwrap().curdebt;
    // payment_method is optional in the fields table: absent means cash (no debt).
    let (status, _, _, body) = raw(
        &sandbox,
        Method::POST,
        "supplier-purchase",
        Some(serde_json::json!({"purchase_temp_id": id})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(sandbox.orders()[0].payment_method, "cash");
    assert_eq!(sandbox.supplier(3).unwrap().curdebt, debt);
    // A value outside cash|debt is still refused.
    let id = orderable(&client).await;
    let (status, _, _, body) = raw(
        &sandbox,
        Method::POST,
        "supplier-purchase",
        Some(serde_json::json!({"purchase_temp_id": id, "payment_method": "card"})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("payment_method"), "{body}");

    // visible=N|Y: anything else is a validation error, not read as N.
    for bad in ["y", "yes", "1", ""] {
        let (status, ct, _, body) = raw(
            &sandbox,
            Method::GET,
            &format!("suppliers?visible={bad}"),
            None,
        )
        .await;
        assert_eq!(
            (status, ct.as_str()),
            (422, "application/problem+json"),
            "{bad:?}: {body}"
        );
        assert!(body.contains("visible"), "{body}");
    }
    for good in ["Y", "N"] {
        let (status, _, _, body) = raw(
            &sandbox,
            Method::GET,
            &format!("suppliers?visible={good}"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{good}: {body}");
    }
}

/// A raw request with the vendor media type and the first user's token (another client of the
/// API, or a spelling this client never sends).
async fn raw(
    sandbox: &Sandbox,
    method: pos_client_core::http::Method,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, String, String, String) {
    let http = pos_client_core::reqwest::Client::new();
    let mut req = http
        .request(method, format!("{}{path}", sandbox.base_url()))
        .header("accept", "application/vnd.suppliers.v1+json")
        .header("authorization", "Bearer sandbox-token-an");
    if let Some(b) = body {
        req = req
            .header("content-type", "application/vnd.suppliers.v1+json")
            .body(b.to_string());
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let header = |n: &str| {
        r.headers()
            .get(n)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (ct, allow) = (header("content-type"), header("allow"));
    (status, ct, allow, r.text().await.unwrap())
}

#[tokio::test]
async fn the_contact_action_in_both_spellings_and_an_empty_edit_is_refused() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    // The spelling the client sends (the body's "action" line).
    client
        .edit_supplier_contact(
            "1",
            &suppliers_client::ContactInfo {
                phone: Some("0911".into()),
                address: Some("5 Láng Hạ".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let s = sandbox.supplier(1).unwrap();
    assert_eq!(
        (s.phone.as_str(), s.address.as_str()),
        ("0911", "5 Láng Hạ")
    );
    assert!(
        sandbox
            .journal()
            .requests()
            .iter()
            .any(|r| r.body_text().contains("\"editContactInfo\"")),
        "the client sends editContactInfo"
    );
    // The field comments' spelling, from another client.
    let (status, ..) = raw(
        &sandbox,
        Method::PUT,
        "suppliers/1",
        Some(serde_json::json!({"action": "editContacinfo", "city": "Hoàn Kiếm"})),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(sandbox.supplier(1).unwrap().city, "Hoàn Kiếm");
    // No field: the sandbox refuses both spellings...
    for action in ["editContactInfo", "editContacinfo"] {
        let (status, ct, _, body) = raw(
            &sandbox,
            Method::PUT,
            "suppliers/1",
            Some(serde_json::json!({ "action": action })),
        )
        .await;
        assert_eq!(status, 422, "{action}: {body}");
        assert_eq!(ct, "application/problem+json");
        assert!(body.contains("validation_messages"), "{body}");
    }
    // ...and the client sends nothing.
    let before = sandbox.journal().requests().len();
    let err = client
        .edit_supplier_contact("1", &suppliers_client::ContactInfo::default())
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert_eq!(sandbox.journal().requests().len(), before);
    assert_eq!(sandbox.supplier(1).unwrap().city, "Hoàn Kiếm");
}

#[tokio::test]
async fn every_purchase_check_is_reachable_in_the_documents_order() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let mut trans = client.claim_current().await.unwrap();
    let line = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
        .await
        .unwrap()
        .line
        .line_id;
    trans
        .edit_trans(&EditTrans {
            location_id: Some("1".into()),
            supplier_id: Some("1".into()),
            business_id: Some("10".into()),
            ..EditTrans::default()
        })
        .await
        .unwrap();
    // editUnits has no documented units rule: another client sets the line to 0 units.
    let (status, _, _, body) = raw(
        &sandbox,
        Method::PUT,
        &format!("supplier-purchase-temp/{}", trans.id()),
        Some(serde_json::json!({
            "action": "editUnits", "trans_id": trans.id(), "line_id": line, "units": 0
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let order = |c: &suppliers_client::Client, id: String| {
        let c = c.clone();
        async move { c.place_order(&id, &Payment::cash()).await.unwrap_err() }
    };
    let id = trans.id().to_owned();
    assert_eq!(
        code(&order(&client, id.clone()).await),
        Some(ResultCode::RequestUnitsGreater0)
    );
    // The business goes: NOT_FOUND_BUSINESS comes before the units check.
    sandbox.remove_business("10");
    assert_eq!(
        code(&order(&client, id.clone()).await),
        Some(ResultCode::NotFoundBusiness)
    );
    // The location is taken away: NOT_PERMISSION_SELECT_THIS_LOCATION comes before both.
    sandbox.revoke_location("1", "1");
    assert_eq!(
        code(&order(&client, id.clone()).await),
        Some(ResultCode::NotPermissionSelectThisLocation)
    );
    assert!(sandbox.orders().is_empty());
    trans.refresh().await.unwrap();
    assert_eq!(trans.id(), id, "nothing was ordered");
}

#[tokio::test]
async fn allow_lists_the_methods_each_route_serves() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    for (method, path, allow) in [
        (Method::GET, "supplier-purchase", "POST"),
        (Method::PUT, "supplier-purchase", "POST"),
        (Method::DELETE, "suppliers", "GET, POST"),
        (Method::POST, "suppliers/1", "GET, PUT, DELETE"),
        (Method::POST, "supplier-purchase-temp", "GET"),
        (
            Method::POST,
            "supplier-purchase-temp/current",
            "GET, PUT, DELETE",
        ),
    ] {
        let body = matches!(method, Method::PUT | Method::POST).then(|| serde_json::json!({}));
        let (status, _, got, _) = raw(&sandbox, method.clone(), path, body).await;
        assert_eq!((status, got.as_str()), (405, allow), "{method} {path}");
    }
    let (status, ..) = raw(&sandbox, Method::GET, "suppliers/1/x", None).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_documents_result_bodies_decode_end_to_end() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_result_bodies(true);
    let (status, ct, _, body) = raw(
        &sandbox,
        Method::GET,
        "supplier-purchase-temp/current",
        None,
    )
    .await;
    assert_eq!(
        (status, ct.as_str(), body.as_str()),
        (
            403,
            "application/vnd.suppliers.v1+json",
            r#"{"result":"NOT_CURRENT_ACCESS_TOKEN"}"#
        )
    );
    let client = sandbox.client().unwrap();
    let err = client.current().await.unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::NotCurrentAccessToken), "{err}");
    assert_eq!(err.status(), Some(StatusCode::FORBIDDEN));
    let trans = client.claim_current().await.unwrap();
    let err = trans
        .add_line(ProductRef::Code("NOPE".into()), Decimal::ONE)
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::ProductNotFound), "{err}");
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    let err = client.delete_supplier("999").await.unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::NotFoundSupplier), "{err}");
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    let trans = client.current().await.unwrap();
    trans
        .add_line(ProductRef::Code("SP002".into()), Decimal::ONE)
        .await
        .unwrap();
    let err = client
        .place_order(trans.id(), &Payment::cash())
        .await
        .unwrap_err();
    assert_eq!(code(&err), Some(ResultCode::RequiredLocationId), "{err}");
    // Validation without a code stays problem+json.
    let (status, ct, ..) = raw(
        &sandbox,
        Method::PUT,
        "suppliers/1",
        Some(serde_json::json!({"action": "editName"})),
    )
    .await;
    assert_eq!((status, ct.as_str()), (422, "application/problem+json"));
}

#[tokio::test]
async fn oauth2_renews_from_expires_in_before_the_server_refuses() {
    // expires_in 1 s is inside the client's 30 s margin: the token counts as expired at once,
    // so each call renews first. No sleeping: the server expires its tokens explicitly.
    let sandbox = Sandbox::start().await.unwrap();
    sandbox.set_oauth_lifetime(1);
    let client = sandbox.oauth_client().unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    let logins = sandbox.journal().hits("/oauth");
    assert!(logins >= 1);
    sandbox.expire_oauth_tokens();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    assert!(
        sandbox.journal().hits("/oauth") > logins,
        "renewed before the call"
    );
    assert_eq!(
        sandbox.journal().hits("/suppliers"),
        2,
        "never refused: no second attempt"
    );

    // With the default hour the same server-side expiry costs a refused attempt.
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.oauth_client().unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    sandbox.expire_oauth_tokens();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    assert_eq!(sandbox.journal().hits("/oauth"), 2);
    assert_eq!(sandbox.journal().hits("/suppliers"), 3);
}

/// Every body key the document does not give that request is refused (422 "Unrecognized
/// fields", the framework's refusal), and nothing changes: a wrong name or case, a field of
/// another action ("Áp dụng với action ..."), a field of another request. A lax sandbox would
/// drop the value silently and hide the client's mistake.
#[tokio::test]
async fn body_fields_the_document_does_not_give_the_request_are_refused() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let trans = client.claim_current().await.unwrap();
    let line = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
        .await
        .unwrap()
        .line
        .line_id;
    let id = trans.id().to_owned();
    let temp = format!("supplier-purchase-temp/{id}");
    let refused = [
        // A wrong case of an optional field: the note would be lost.
        (
            &temp,
            serde_json::json!({"action": "editTrans", "trans_id": id, "Note": "x"}),
            "Note",
        ),
        (
            &temp,
            serde_json::json!({"action": "editTrans", "trans_id": id, "notes": "x"}),
            "notes",
        ),
        // A field of another action: units go with addLine and editUnits only.
        (
            &temp,
            serde_json::json!({"action": "editPricebuy", "trans_id": id, "line_id": line,
                               "pricebuy": "5", "units": "9"}),
            "units",
        ),
        (
            &temp,
            serde_json::json!({"action": "addLine", "trans_id": id, "product_code": "SP002",
                               "units": "1", "pricebuy": "7"}),
            "pricebuy",
        ),
        (
            &temp,
            serde_json::json!({"action": "createNewTrans", "trans_id": id, "note": "x"}),
            "note",
        ),
    ];
    for (path, body, field) in refused {
        let (status, ct, _, text) = raw(&sandbox, Method::PUT, path, Some(body.clone())).await;
        assert_eq!(
            (status, ct.as_str()),
            (422, "application/problem+json"),
            "{body}: {text}"
        );
        assert!(
            text.contains("Unrecognized fields") && text.contains(field),
            "{text}"
        );
    }
    let now = client.current().await.unwrap();
    assert_eq!(now.id(), id, "createNewTrans was not carried out");
    let lines = now.lines();
    assert_eq!(lines.len(), 1, "no line added");
    assert_eq!(
        (lines[0].units, lines[0].pricebuy),
        (Decimal::from(2), None),
        "nothing changed"
    );
    assert_eq!(now.info().note.as_deref().unwrap_or(""), "");

    let supplier = [
        (
            "suppliers/1",
            Method::PUT,
            serde_json::json!({"action": "editName", "name": "X", "phone": "0911"}),
            "phone",
        ),
        (
            "suppliers/1",
            Method::PUT,
            serde_json::json!({"action": "updateCurdebt", "payment_method": "debt", "debt": "1",
                               "maxdebt": "100"}),
            "maxdebt",
        ),
        (
            "suppliers",
            Method::POST,
            serde_json::json!({"name": "NCC mới", "visible": "N"}),
            "visible",
        ),
        (
            "suppliers",
            Method::POST,
            serde_json::json!({"Name": "NCC mới"}),
            "Name",
        ),
        (
            "supplier-purchase",
            Method::POST,
            serde_json::json!({"purchase_temp_id": id, "payment_method": "cash",
                               "paymentNote": "x"}),
            "paymentNote",
        ),
    ];
    let before = sandbox.supplier(1).unwrap();
    for (path, method, body, field) in supplier {
        let (status, _, _, text) = raw(&sandbox, method, path, Some(body.clone())).await;
        assert_eq!(status, 422, "{body}: {text}");
        assert!(
            text.contains("Unrecognized fields") && text.contains(field),
            "{text}"
        );
    }
    let after = sandbox.supplier(1).unwrap();
    assert_eq!(
        (after.name, after.phone, after.curdebt),
        (before.name, before.phone, before.curdebt)
    );
    assert!(sandbox.supplier(4).is_none(), "no supplier created");
    assert!(sandbox.orders().is_empty(), "nothing ordered");
}

/// Query parameters: only the document's filters (`visible`, `name` of GET /suppliers;
/// `set_current_access_token=Y` of /current) and the framework's paging of the collections.
/// Another name (a wrong case, a field put in the query instead of the body or the path) is
/// refused 422; `set_current_access_token` other than `Y` is refused rather than read as no
/// claim; a `page` that is not a number is the framework's 409.
#[tokio::test]
async fn query_parameters_the_document_does_not_give_are_refused() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let id = client.claim_current().await.unwrap().id().to_owned();
    let refused = [
        (Method::GET, "suppliers?Visible=N".to_owned(), "Visible"),
        (Method::GET, "suppliers?search=Sao".to_owned(), "search"),
        (Method::GET, "suppliers/1?visible=Y".to_owned(), "visible"),
        (
            Method::GET,
            "supplier-purchase-temp?name=x".to_owned(),
            "name",
        ),
        (
            Method::GET,
            "supplier-purchase-temp/location-person?page=1".to_owned(),
            "page",
        ),
        (
            Method::GET,
            "supplier-purchase-temp/current?set_current_access_token=y".to_owned(),
            "set_current_access_token",
        ),
        (
            Method::GET,
            "supplier-purchase-temp/current?set_current_access_token=1".to_owned(),
            "set_current_access_token",
        ),
        (
            Method::DELETE,
            format!("supplier-purchase-temp/{id}?trans_id={id}"),
            "trans_id",
        ),
        (Method::DELETE, "suppliers/2?force=Y".to_owned(), "force"),
    ];
    for (method, path, name) in refused {
        let (status, ct, _, body) = raw(&sandbox, method.clone(), &path, None).await;
        assert_eq!(
            (status, ct.as_str()),
            (422, "application/problem+json"),
            "{method} {path}: {body}"
        );
        assert!(body.contains(name), "{body}");
    }
    // Fields in the query of a PUT/POST are out of place too.
    let (status, _, _, body) = raw(
        &sandbox,
        Method::PUT,
        &format!("supplier-purchase-temp/{id}?note=x"),
        Some(serde_json::json!({"action": "editTrans", "trans_id": id})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.contains("note"), "{body}");
    assert_eq!(client.current().await.unwrap().id(), id, "nothing deleted");
    assert!(sandbox.supplier(2).is_some(), "nothing deleted");

    let (status, _, _, body) = raw(&sandbox, Method::GET, "suppliers?page=abc", None).await;
    assert_eq!(status, 409, "{body}");
    for good in [
        "suppliers?visible=Y&name=Sao&page=1&page_size=2",
        "supplier-purchase-temp?page=1",
        "supplier-purchase-temp/current?set_current_access_token=Y",
        "supplier-purchase-temp/location-person",
    ] {
        let (status, _, _, body) = raw(&sandbox, Method::GET, good, None).await;
        assert_eq!(status, 200, "{good}: {body}");
    }
}

/// Values the document does not allow are refused (422), not read as absent: every value it
/// shows is a text (numbers accepted, as PHP reads them), so a boolean, list or object is
/// refused (`"update_supplier": true` for `"Y"` changed nothing and answered SUCCESS);
/// addLine takes `product_id|product_code`, one of the two; importProduct's rows are the
/// document's `{"reference", "units", "pricebuy"?}` objects (a `price` key was dropped).
#[tokio::test]
async fn value_shapes_the_document_does_not_allow_are_refused() {
    use pos_client_core::http::Method;
    let sandbox = Sandbox::start().await.unwrap();
    let client = sandbox.client().unwrap();
    let trans = client.claim_current().await.unwrap();
    let line = trans
        .add_line(ProductRef::Code("SP001".into()), Decimal::from(2))
        .await
        .unwrap()
        .line
        .line_id;
    let id = trans.id().to_owned();
    let temp = format!("supplier-purchase-temp/{id}");
    let products = |rows: serde_json::Value| rows.to_string();
    let refused = [
        (
            temp.as_str(),
            serde_json::json!({"action": "editUpdateProduct", "trans_id": id, "line_id": line,
                               "update_supplier": false}),
            "update_supplier",
        ),
        (
            temp.as_str(),
            serde_json::json!({"action": "editTrans", "trans_id": id, "note": ["x"]}),
            "note",
        ),
        (
            temp.as_str(),
            serde_json::json!({"action": "editTrans", "trans_id": id, "reason": {"v": "return"}}),
            "reason",
        ),
        (
            temp.as_str(),
            serde_json::json!({"action": "addLine", "trans_id": id, "product_id": "102",
                               "product_code": "SP001", "units": "1"}),
            "product_code",
        ),
        (
            temp.as_str(),
            serde_json::json!({"action": "importProduct", "trans_id": id,
                "products": products(serde_json::json!([{"reference": "SP002", "units": "1",
                                                        "price": "9000"}]))}),
            "price",
        ),
        (
            temp.as_str(),
            serde_json::json!({"action": "importProduct", "trans_id": id,
                "products": products(serde_json::json!(["SP002"]))}),
            "products",
        ),
        (
            "suppliers/1",
            serde_json::json!({"action": "editVisible", "visible": false}),
            "visible",
        ),
    ];
    for (path, body, field) in refused {
        let (status, ct, _, text) = raw(&sandbox, Method::PUT, path, Some(body.clone())).await;
        assert_eq!(
            (status, ct.as_str()),
            (422, "application/problem+json"),
            "{body}: {text}"
        );
        assert!(text.contains(field), "{text}");
    }
    let now = client.current().await.unwrap();
    let lines = now.lines();
    assert_eq!(lines.len(), 1, "nothing added or imported");
    assert_eq!(
        (lines[0].units, lines[0].update_supplier, lines[0].pricebuy),
        (Decimal::from(2), Some(true), None)
    );
    assert_eq!(now.info().note.as_deref().unwrap_or(""), "");
    assert!(sandbox.supplier(1).unwrap().visible);
    // The same requests in the document's shapes are carried out.
    let (status, _, _, text) = raw(
        &sandbox,
        Method::PUT,
        &temp,
        Some(
            serde_json::json!({"action": "importProduct", "trans_id": id,
            "products": products(serde_json::json!([{"reference": "SP002", "units": 1,
                                                    "pricebuy": "9000"}]))}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let (status, _, _, text) = raw(
        &sandbox,
        Method::PUT,
        &temp,
        Some(
            serde_json::json!({"action": "editUpdateProduct", "trans_id": id,
                                "line_id": line, "update_supplier": "N"}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let now = client.current().await.unwrap();
    assert_eq!(now.lines().len(), 2);
    assert_eq!(now.lines()[0].update_supplier, Some(false));
}
