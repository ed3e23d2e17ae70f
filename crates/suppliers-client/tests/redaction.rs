//! No credential (Bearer token, Basic or Digest password, OAuth2 secret or token) appears in an
//! error, a Debug output or a log line. In its own test binary: LogCapture needs one.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use suppliers_client::sandbox::{
    LogCapture, OAUTH_CLIENT_ID, OAUTH_CLIENT_SECRET, Sandbox, TEST_PASSWORD, TEST_TOKEN, TEST_USER,
};
use suppliers_client::{Client, ClientBuilder, Decimal, ProductRef, SupplierFilter};

const BASIC: &str = "YW46bWF0LWtoYXUtYW4="; // base64("an:mat-khau-an")

fn assert_clean(text: &str, secrets: &[&str]) {
    for s in secrets {
        assert!(!text.contains(s), "{s:?} leaked in: {text}");
    }
}

#[tokio::test]
async fn no_credential_in_errors_debug_or_logs() {
    let logs = LogCapture::start();
    let sandbox = Sandbox::start().await.unwrap();
    let secrets = [
        TEST_TOKEN,
        TEST_PASSWORD,
        BASIC,
        OAUTH_CLIENT_SECRET,
        "oauth-0",
        "wrong-secret-pw",
    ];
    let mut seen = String::new();

    let builders: Vec<ClientBuilder> = vec![
        sandbox.client_builder().bearer_token(TEST_TOKEN),
        sandbox
            .client_builder()
            .basic_auth(TEST_USER, TEST_PASSWORD),
        sandbox
            .client_builder()
            .digest_auth(TEST_USER, TEST_PASSWORD),
        sandbox.client_builder().oauth2_password(
            OAUTH_CLIENT_ID,
            Some(OAUTH_CLIENT_SECRET.into()),
            TEST_USER,
            TEST_PASSWORD,
        ),
        sandbox
            .client_builder()
            .basic_auth(TEST_USER, "wrong-secret-pw"),
        sandbox
            .client_builder()
            .digest_auth(TEST_USER, "wrong-secret-pw"),
        sandbox.client_builder().oauth2_password(
            OAUTH_CLIENT_ID,
            Some(OAUTH_CLIENT_SECRET.into()),
            TEST_USER,
            "wrong-secret-pw",
        ),
    ];
    for builder in builders {
        seen.push_str(&format!("{builder:?}"));
        let client: Client = builder.build().unwrap();
        seen.push_str(&format!("{client:?}"));
        match client.claim_current().await {
            Ok(trans) => {
                seen.push_str(&format!("{trans:?}"));
                let err = trans
                    .add_line(ProductRef::Code("NOPE".into()), Decimal::ONE)
                    .await
                    .unwrap_err();
                seen.push_str(&format!("{err} {err:?}"));
            }
            Err(err) => {
                assert!(err.is_credentials(), "{err}");
                seen.push_str(&format!("{err} {err:?}"));
            }
        }
        let err = client.supplier("999").await.map(|_| ()).unwrap_err();
        seen.push_str(&format!("{err} {err:?}"));
        let _ = client.list_suppliers(&SupplierFilter::default()).await;
    }
    sandbox.expire_oauth_tokens();
    let client = sandbox.oauth_client().unwrap();
    client
        .list_suppliers(&SupplierFilter::default())
        .await
        .unwrap();
    let err = ClientBuilder::from_lookup(|n| {
        (n == "SUPPLIERS_BASE_URL").then(|| "https://x/".to_owned())
    })
    .unwrap_err();
    seen.push_str(&format!("{err} {err:?}"));

    // The Digest inputs are public (for tests of the computation): Debug hides the password.
    let params = suppliers_client::digest::Params {
        user: TEST_USER,
        realm: "suppliers-api",
        password: TEST_PASSWORD,
        method: "GET",
        uri: "/suppliers",
        nonce: "n",
        nc: "00000001",
        cnonce: "c",
        qop: Some("auth"),
    };
    let shown = format!("{params:?}");
    assert!(
        shown.contains("password: \"***\"") && shown.contains(TEST_USER),
        "{shown}"
    );
    seen.push_str(&shown);

    let log = logs.text();
    assert!(log.contains("suppliers"), "the capture works: {log}");
    assert_clean(&seen, &secrets);
    assert_clean(&log, &secrets);
}
