//! TLS with the `ring` crypto provider and without aws-lc-rs: run with
//! `cargo test -p pos-client-core --no-default-features --features ring`.
//!
//! One test function, because the rustls process-default provider is global state: the steps
//! must run in this order (nothing installed, then installed by `TransportBuilder::build`).
#![cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pos_client_core::http::Method;
use pos_client_core::{Error, Operation, RetryPolicy, Transport, TransportKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

#[derive(Default)]
struct Counts {
    accepted: AtomicUsize,
    handshakes: AtomicUsize,
    requests: AtomicUsize,
}

/// A one-thread HTTPS server on 127.0.0.1 (rustls with ring, a self-signed certificate for
/// 127.0.0.1 and localhost) that answers every request `200 pong`. Returns its port, the
/// certificate and the counters. The thread is detached; it dies with the test process.
fn start_tls_server() -> (u16, CertificateDer<'static>, Arc<Counts>) {
    let key = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
        .expect("self-signed certificate");
    let cert = key.cert.der().clone();
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.signing_key.serialize_der()));
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert.clone()], private)
    .expect("server config");
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("local addr").port();
    let counts = Arc::new(Counts::default());
    let c = counts.clone();
    std::thread::spawn(move || {
        for tcp in listener.incoming() {
            let Ok(tcp) = tcp else { continue };
            c.accepted.fetch_add(1, Ordering::SeqCst);
            let Ok(conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            // The handshake runs inside the first read; a client that rejects the certificate
            // makes it fail here.
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            let complete = loop {
                match tls.read(&mut buf) {
                    Ok(0) | Err(_) => break false,
                    Ok(n) => {
                        request.extend_from_slice(&buf[..n]);
                        if request.windows(4).any(|w| w == b"\r\n\r\n") {
                            break true;
                        }
                    }
                }
            };
            if !tls.conn.is_handshaking() {
                c.handshakes.fetch_add(1, Ordering::SeqCst);
            }
            if !complete {
                continue;
            }
            c.requests.fetch_add(1, Ordering::SeqCst);
            let _ = tls.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\npong",
            );
            tls.conn.send_close_notify();
            let _ = tls.flush();
        }
    });
    (port, cert, counts)
}

fn ping() -> Operation {
    Operation::read("test", "ping", Method::GET, "ping")
}

fn assert_connect_error(result: Result<pos_client_core::Response, Error>) {
    match result {
        Err(Error::Transport {
            kind: TransportKind::Connect,
            ..
        }) => {}
        other => panic!("expected Error::Transport(Connect), got {other:?}"),
    }
}

#[tokio::test]
async fn ring_provider_completes_a_tls_handshake() {
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "no provider may be installed before the first transport is built"
    );
    let (port, cert, counts) = start_tls_server();
    let base = format!("https://127.0.0.1:{port}/");

    // 1. The transport's own client: building it installs ring as the process default (with
    //    rustls-no-provider, reqwest would panic here otherwise).
    let own = Transport::builder("pos-client-core-test/0")
        .base_url(&base)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("transport with its own client");
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_some(),
        "build() installs a process default provider"
    );
    // Building again is fine: the provider is already installed.
    Transport::builder("pos-client-core-test/0")
        .base_url(&base)
        .build()
        .expect("a second transport");

    // It does verify certificates: the self-signed one is rejected during the handshake.
    assert_connect_error(own.execute(&ping()).await);
    assert_eq!(counts.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(counts.handshakes.load(Ordering::SeqCst), 0);
    assert_eq!(counts.requests.load(Ordering::SeqCst), 0);

    // 2. A caller-built client that trusts the certificate (it uses the process default
    //    provider installed above): a full handshake and a 200 through Transport::execute.
    let http = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_der(cert.as_ref()).expect("certificate")])
        .build()
        .expect("reqwest client");
    let trusting = Transport::builder("pos-client-core-test/0")
        .base_url(&base)
        .retry_policy(RetryPolicy::never())
        .http_client(http)
        .build()
        .expect("transport with a caller-built client");
    let response = trusting.execute(&ping()).await.expect("200 over TLS");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body().as_ref(), b"pong");
    assert_eq!(counts.handshakes.load(Ordering::SeqCst), 1);
    assert_eq!(counts.requests.load(Ordering::SeqCst), 1);

    // 3. Nothing listening: a connect error, no panic.
    let closed = TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed_port = closed.local_addr().expect("local addr").port();
    drop(closed);
    let nowhere = Transport::builder("pos-client-core-test/0")
        .base_url(format!("https://127.0.0.1:{closed_port}/"))
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("transport");
    assert_connect_error(nowhere.execute(&ping()).await);
}
