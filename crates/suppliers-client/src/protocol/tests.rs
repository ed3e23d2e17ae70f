use super::*;
use pos_client_core::OperationId;
use pos_client_core::http::{HeaderMap, HeaderValue, header::WWW_AUTHENTICATE};

fn digest_protocol() -> SuppliersProtocol {
    SuppliersProtocol {
        auth: Auth::Digest {
            user: "an".into(),
            password: SecretString::from("pw"),
            nonces: Default::default(),
        },
        accept: MediaType::VendorV1,
        content_type: MediaType::VendorV1,
    }
}

/// The protocol reads a 401 carrying a fresh Digest challenge.
fn refuse(p: &SuppliersProtocol, nonce: &str, stale: bool) {
    let mut headers = HeaderMap::new();
    let value = format!(
        "Digest realm=\"api\", qop=\"auth\", nonce=\"{nonce}\"{}",
        if stale { ", stale=true" } else { "" }
    );
    headers.insert(WWW_AUTHENTICATE, HeaderValue::from_str(&value).unwrap());
    let verdict = p.interpret(&Answer {
        operation: OperationId {
            vendor: "suppliers",
            name: "t",
        },
        status: StatusCode::UNAUTHORIZED,
        headers: &headers,
        body: b"",
    });
    assert!(matches!(verdict, Verdict::Failure(_)));
}

fn nonce_of(header: &SecretString) -> String {
    let v = header.expose_secret();
    v.split("nonce=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn an_overtaken_digest_call_renews_once_with_a_challenge_of_its_own() {
    let p = digest_protocol();
    let transport = Transport::builder("test")
        .base_url("http://127.0.0.1:9/")
        .build()
        .unwrap();
    let url = Url::parse("http://127.0.0.1:9/suppliers").unwrap();
    // The first call goes unsigned and answers the challenge.
    let first = p.credential(&transport).await.unwrap();
    assert!(p.sign(&Method::GET, &url, &first).is_none());
    refuse(&p, "n1", false);
    let renewed = p.renew(&transport, first).await.unwrap().unwrap();
    let (_, h) = p.sign(&Method::GET, &url, &renewed).unwrap();
    assert_eq!(nonce_of(&h), "n1");
    drop(renewed); // n1 becomes the shared challenge

    // A signs nc=2, B signs nc=3; B reaches the server first and A is refused.
    let a = p.credential(&transport).await.unwrap();
    let b = p.credential(&transport).await.unwrap();
    let (_, ha) = p.sign(&Method::GET, &url, &a).unwrap();
    let (_, hb) = p.sign(&Method::GET, &url, &b).unwrap();
    assert!(ha.expose_secret().contains("nc=00000002"));
    assert!(hb.expose_secret().contains("nc=00000003"));
    refuse(&p, "n2", false);
    let again = p.renew(&transport, a).await.unwrap().expect("renewed");
    // Its own nonce: the next call still signs with n1, at count 4.
    let c = p.credential(&transport).await.unwrap();
    let (_, hc) = p.sign(&Method::GET, &url, &c).unwrap();
    assert_eq!(nonce_of(&hc), "n1");
    assert!(hc.expose_secret().contains("nc=00000004"));
    let (_, h) = p.sign(&Method::GET, &url, &again).unwrap();
    assert_eq!(nonce_of(&h), "n2");
    assert!(h.expose_secret().contains("nc=00000001"));

    // C was signed last: refused with its own nonce challenged again, it is a wrong
    // password, not renewed; the next call signs with that newest challenge.
    refuse(&p, "n1", false);
    assert!(p.renew(&transport, c).await.unwrap().is_none());
    let c2 = p.credential(&transport).await.unwrap();
    let (_, hc2) = p.sign(&Method::GET, &url, &c2).unwrap();
    assert_eq!(nonce_of(&hc2), "n1");
    assert!(hc2.expose_secret().contains("nc=00000001"));

    // Refused with another nonce and no stale=true (a server that never says stale, whose
    // nonce expired): answered once with the new nonce, which later calls sign with.
    refuse(&p, "n3", false);
    let renewed = p
        .renew(&transport, c2)
        .await
        .unwrap()
        .expect("new nonce answered");
    let (_, h) = p.sign(&Method::GET, &url, &renewed).unwrap();
    assert_eq!(nonce_of(&h), "n3");
    drop(renewed);
    let d = p.credential(&transport).await.unwrap();
    let (_, hd) = p.sign(&Method::GET, &url, &d).unwrap();
    assert_eq!(nonce_of(&hd), "n3");

    // A stale nonce is answered once, with the new one.
    refuse(&p, "n4", true);
    let fresh = p
        .renew(&transport, d)
        .await
        .unwrap()
        .expect("stale renewed");
    let (_, h) = p.sign(&Method::GET, &url, &fresh).unwrap();
    assert_eq!(nonce_of(&h), "n4");
}

#[test]
fn validation_messages_flatten_per_field() {
    let v: Value = serde_json::json!({
        "name": {"isEmpty": "Value is required and can't be empty"},
        "phone": ["too long"],
    });
    let fields = fields_of(&v);
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[0].field, "name");
    assert_eq!(fields[0].message, "Value is required and can't be empty");
    assert_eq!(fields[1].field, "phone");
    assert!(is_code_like("TRANS_NOT_CURRENT") && !is_code_like("Failed Validation"));
}
