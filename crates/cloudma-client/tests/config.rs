//! Client configuration: `ClientBuilder::from_lookup` (what `from_env` reads) and `build`'s
//! checks of the token and the base URL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use cloudma_client::{Client, ClientBuilder, DEFAULT_BASE_URL};

#[test]
fn from_lookup_needs_the_token_and_names_the_variable_only() {
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| (*v).to_owned())
        }
    };
    let err = ClientBuilder::from_lookup(env(&[])).unwrap_err();
    assert!(err.to_string().contains("CLOUDMA_TOKEN"), "{err}");
    let err = ClientBuilder::from_lookup(env(&[("CLOUDMA_TOKEN", "  ")])).unwrap_err();
    assert!(err.to_string().contains("CLOUDMA_TOKEN"), "{err}");

    let client = ClientBuilder::from_lookup(env(&[("CLOUDMA_TOKEN", "tok-SECRET-1")]))
        .unwrap()
        .build()
        .unwrap();
    assert_eq!(client.base_url(), DEFAULT_BASE_URL);
    let client = ClientBuilder::from_lookup(env(&[
        ("CLOUDMA_TOKEN", "tok-SECRET-1"),
        ("CLOUDMA_BASE_URL", "http://127.0.0.1:9/api"),
    ]))
    .unwrap();
    assert!(!format!("{client:?}").contains("tok-SECRET-1"));
    let client = client.build().unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:9/api/");
    assert!(!format!("{client:?}").contains("tok-SECRET-1"));

    // A remote plain-http URL is refused; the error does not carry the token.
    let err = ClientBuilder::from_lookup(env(&[
        ("CLOUDMA_TOKEN", "tok-SECRET-1"),
        ("CLOUDMA_BASE_URL", "http://cloudma.example/api/"),
    ]))
    .unwrap()
    .build()
    .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("tok-SECRET-1"));
    assert!(Client::builder().build().is_err());
    assert!(Client::builder().token("").build().is_err());
}
