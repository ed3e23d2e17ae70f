//! The password and the access token never appear in any error (Display or Debug), any Debug
//! output, any span or any log line, in every parameter placement, on every error path —
//! including the default placement, where the token travels in the URL's query string, and
//! reqwest's own connect and timeout errors (which name the URL unless told not to).
//!
//! In its own test binary: tracing caches per-callsite interest process-wide, so a thread-local
//! subscriber is only reliable when no other test runs in parallel.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use noom_client::requests::ItemSale;
use noom_client::sandbox::{Fault, LogCapture, Sandbox};
use noom_client::{Client, DocState, DocType, ParamPlacement, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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

    let mut shown = Vec::new();
    let mut tokens = Vec::new();
    for placement in [
        ParamPlacement::QueryAndBody,
        ParamPlacement::TokenInQuery,
        ParamPlacement::Body,
        ParamPlacement::Query,
    ] {
        // The sandbox reads the token from the query only, as documented, unless told otherwise.
        let sandbox = Sandbox::builder()
            .user("SECUSER", PASSWORD)
            .accept_token_in_body(placement == ParamPlacement::Body)
            .start()
            .await
            .unwrap();
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
        assert_eq!(e.code(), Some(&noom_client::NoomCode::InvalidCredentials));
        shown.push(format!("{e} {e:?}"));

        let ls = DocType::new("LS").unwrap();
        let doc = client
            .new_document(&ls, &DocState::new("2T").unwrap())
            .await
            .unwrap();
        shown.push(format!("{doc:?}"));
        let new = sandbox
            .journal()
            .matching(Sandbox::act("ODOC_NEW"))
            .pop()
            .unwrap();
        let token = new.param("accesstoken").unwrap();
        assert!(token.len() > 8);
        tokens.push(token.clone());
        // Where the token travelled: in the URL except with the body-only placement.
        let in_query = new.query_pairs().iter().any(|(k, _)| k == "accesstoken");
        assert_eq!(in_query, placement != ParamPlacement::Body, "{placement:?}");

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
            doc.item_sale(&ItemSale::new().batch_id(5797))
                .await
                .unwrap_err(),
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

        // reqwest timeout errors, with the token in the URL: a write (outcome unknown) and a
        // read (retried, then a timeout error).
        let slow = sandbox
            .client_builder()
            .user("SECUSER")
            .password(PASSWORD)
            .param_placement(placement)
            .timeout(Duration::from_millis(100))
            .build()
            .unwrap();
        let doc = slow
            .new_document(&ls, &DocState::new("2T").unwrap())
            .await
            .unwrap();
        let slow_token = sandbox
            .journal()
            .matching(Sandbox::act("ODOC_NEW"))
            .pop()
            .unwrap()
            .param("accesstoken")
            .unwrap();
        tokens.push(slow_token);
        let delay = Fault::Delay(Duration::from_millis(300));
        sandbox
            .faults()
            .inject(Sandbox::act("ODOC_ITEMSALE"), delay.clone());
        let e = doc
            .item_sale(&ItemSale::new().batch_id(5797))
            .await
            .unwrap_err();
        assert!(e.is_outcome_unknown(), "{e:?}");
        assert!(e.to_string().contains("timed out"), "{e}");
        shown.push(format!("{e} {e:?}"));
        sandbox
            .faults()
            .inject_times(Sandbox::act("ODOC_CHECK"), delay, 3);
        let e = doc.check().await.unwrap_err();
        assert!(!e.is_outcome_unknown(), "{e:?}");
        assert!(e.to_string().contains("timed out"), "{e}");
        shown.push(format!("{e} {e:?}"));
    }

    // A reqwest connect error (a closed port) on a request whose URL carries the token.
    const CLOSED_TOKEN: &str = "TokEn-In-UrL-5c1d9e";
    let base = login_once_then_close(CLOSED_TOKEN).await;
    let client = Client::builder()
        .base_url(base)
        .user("SECUSER")
        .password(PASSWORD)
        .retry_policy(RetryPolicy::without_delays())
        .build()
        .unwrap();
    client.login().await.unwrap();
    let e = client.list_open_documents().await.unwrap_err();
    assert!(matches!(e, noom_client::Error::Transport { .. }), "{e:?}");
    assert!(e.to_string().contains("connect"), "{e}");
    shown.push(format!("{e} {e:?}"));
    tokens.push(CLOSED_TOKEN.to_owned());

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
    // The redacted URL is still shown in the spans, with the token's key.
    assert!(
        logs.contains("accesstoken=***"),
        "no redacted URL in the logs"
    );
    // The redacted echo is still recognisable.
    assert!(
        shown.iter().any(|s| s.contains("bad request *** for ***")),
        "{shown:#?}"
    );
}

/// A server on 127.0.0.1 that answers one `USERACCESS` with `token` and closes its listener
/// before answering, so every later request fails to connect. Returns its base URL.
async fn login_once_then_close(token: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/api/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        drop(listener);
        // Read the whole request (headers, then `content-length` bytes of body): closing with
        // unread bytes would reset the connection before the answer is read.
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        loop {
            let text = String::from_utf8_lossy(&request).into_owned();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                if request.len() >= end + 4 + length {
                    break;
                }
            }
            let n = stream.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buf[..n]);
        }
        let body =
            format!(r#"{{"status":1,"msg":"","time":0.1,"data":{{"accesstoken":"{token}"}}}}"#);
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).await.unwrap();
        stream.shutdown().await.unwrap();
    });
    base
}
