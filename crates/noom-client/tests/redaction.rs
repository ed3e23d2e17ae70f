//! The password and the access token never appear in any error (Display or Debug), any Debug
//! output, or any log line, in both parameter placements, on every error path.
//!
//! In its own test binary: tracing caches per-callsite interest process-wide, so a thread-local
//! subscriber is only reliable when no other test runs in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use noom_client::requests::ItemSale;
use noom_client::sandbox::{Fault, LogCapture, Sandbox};
use noom_client::{DocState, DocType, ParamPlacement};

fn status_200(body: String) -> Fault {
    Fault::Status {
        status: 200,
        retry_after: None,
        body,
    }
}

#[tokio::test]
async fn password_and_token_never_appear_in_errors_debug_or_logs() {
    const PASSWORD: &str = "PaSsWoRd-Noom-7f3a";
    let capture = LogCapture::start();

    let sandbox = Sandbox::builder()
        .user("SECUSER", PASSWORD)
        .start()
        .await
        .unwrap();
    let mut shown = Vec::new();
    let mut tokens = Vec::new();
    for placement in [ParamPlacement::Body, ParamPlacement::Query] {
        let builder = sandbox
            .client_builder()
            .user("SECUSER")
            .password(PASSWORD)
            .param_placement(placement);
        shown.push(format!("{builder:?}"));
        let client = builder.build().unwrap();
        shown.push(format!("{client:?}"));

        // Wrong password: the attempted password is not shown either.
        let wrong = sandbox
            .client_builder()
            .user("SECUSER")
            .password(format!("{PASSWORD}-wrong"))
            .param_placement(placement)
            .build()
            .unwrap();
        let e = wrong.login().await.unwrap_err();
        assert!(e.is_invalid_credentials());
        shown.push(format!("{e} {e:?}"));

        let ls = DocType::new("LS").unwrap();
        let doc = client
            .new_document(&ls, &DocState::new("2T").unwrap())
            .await
            .unwrap();
        shown.push(format!("{doc:?}"));
        let token = sandbox
            .journal()
            .matching(Sandbox::act("ODOC_NEW"))
            .pop()
            .unwrap()
            .param("accesstoken")
            .unwrap();
        assert!(token.len() > 8);
        tokens.push(token.clone());

        // The server echoes the token and the password in a status-0 message.
        sandbox.faults().inject(
            Sandbox::act("ODOC_GETDOC"),
            status_200(format!(
                r#"{{"status":0,"msg":"bad request {token} for {PASSWORD}","time":0.1,"data":null}}"#
            )),
        );
        // … and in a body that is not an envelope.
        sandbox.faults().inject(
            Sandbox::act("ODOC_GETDOC"),
            status_200(format!("<html>token={token} pass={PASSWORD}</html>")),
        );
        let faults = sandbox.faults();
        faults.inject(
            Sandbox::act("ODOC_ITEMSALE"),
            Fault::Status {
                status: 500,
                retry_after: None,
                body: format!(r#"{{"msg":"failed for {token}"}}"#),
            },
        );
        faults.inject(Sandbox::act("ODOC_SETPAYMENT"), Fault::ResetMidBody);
        faults.inject_times(Sandbox::act("ODOC_GETPAYMODES"), Fault::html(502), 3);
        faults.inject_times(Sandbox::act("ODOC_CHECK"), Fault::TruncatedBody, 3);

        for e in [
            // Echoed in a status-0 message, then in a body that is not an envelope.
            doc.get_full().await.unwrap_err(),
            doc.get_full().await.unwrap_err(),
            doc.item_sale(&ItemSale::batch(5797)).await.unwrap_err(),
            doc.set_payment(&noom_client::requests::Payment::new(
                "C",
                "1".parse().unwrap(),
            ))
            .await
            .unwrap_err(),
            doc.payment_modes().await.unwrap_err(),
            doc.check().await.unwrap_err(),
        ] {
            shown.push(format!("{e} {e:?}"));
        }
        assert_eq!(sandbox.faults().pending(), 0);
        // Expired token path.
        sandbox.expire_tokens();
        doc.check().await.unwrap();
    }
    let logs = capture.text();
    assert!(!logs.is_empty());
    let mut secrets: Vec<String> = tokens;
    secrets.push(PASSWORD.to_owned());
    for secret in &secrets {
        for text in &shown {
            assert!(!text.contains(secret.as_str()), "{secret} leaked in {text}");
        }
        assert!(
            !logs.contains(secret.as_str()),
            "{secret} leaked in the logs"
        );
    }
    // The redacted echo is still recognisable.
    assert!(
        shown.iter().any(|s| s.contains("bad request *** for ***")),
        "{shown:#?}"
    );
}
