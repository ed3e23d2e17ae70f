//! Client configuration: `ClientBuilder::from_lookup` (what `from_env` reads) and `build`'s
//! checks of the user, the password and the base URL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use noom_client::{Client, ClientBuilder};

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| map.get(k).cloned()
}

#[test]
fn from_env_names_the_missing_variable() {
    let e = ClientBuilder::from_lookup(env(&[])).unwrap_err();
    assert!(e.to_string().contains("NOOM_BASE_URL"), "{e}");
    let e = ClientBuilder::from_lookup(env(&[("NOOM_BASE_URL", "https://h:1/api/")])).unwrap_err();
    assert!(e.to_string().contains("NOOM_USER"), "{e}");
    let e = ClientBuilder::from_lookup(env(&[
        ("NOOM_BASE_URL", "https://h:1/api/"),
        ("NOOM_USER", "u"),
        ("NOOM_PASSWORD", " "),
    ]))
    .unwrap_err();
    assert!(e.to_string().contains("NOOM_PASSWORD"), "{e}");
    let b = ClientBuilder::from_lookup(env(&[
        ("NOOM_BASE_URL", "https://h:1/api"),
        ("NOOM_USER", "u"),
        ("NOOM_PASSWORD", "pw-SECRET-9"),
    ]))
    .unwrap();
    assert!(!format!("{b:?}").contains("pw-SECRET-9"));
    let c = b.build().unwrap();
    assert_eq!(c.base_url(), "https://h:1/api/");
    assert!(!format!("{c:?}").contains("pw-SECRET-9"));
    assert!(Client::builder().user("u").password("p").build().is_err());
    // A password read from a file with its newline is refused, without showing it.
    let err = Client::builder()
        .base_url("https://h/api/")
        .user("u")
        .password("pw-SECRET-9\n")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("control character"), "{err}");
    assert!(!format!("{err} {err:?}").contains("pw-SECRET-9"));
    assert!(
        Client::builder()
            .base_url("https://h/api/")
            .user("u")
            .build()
            .is_err()
    );
    // Plain http to a remote host is refused; the error does not carry the password.
    let e = Client::builder()
        .base_url("http://noom.example.com:8080/api/")
        .user("u")
        .password("pw-SECRET-9")
        .build()
        .unwrap_err();
    assert!(!format!("{e} {e:?}").contains("pw-SECRET-9"));
}
