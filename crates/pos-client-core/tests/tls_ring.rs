//! TLS with the `ring` crypto provider and without aws-lc-rs: run with
//! `cargo test -p pos-client-core --no-default-features --features ring`.
//!
//! One test function, because the rustls process-default provider is global state: nothing may
//! install one before the checks that none is installed, and the last step installs one.
#![cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pos_client_core::http::Method;
use pos_client_core::{Error, Operation, RetryPolicy, Transport, TransportKind};
use rustls::AlertDescription;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

#[derive(Default)]
struct Counts {
    accepted: AtomicUsize,
    handshakes: AtomicUsize,
    requests: AtomicUsize,
    /// TLS alerts the clients sent during failed handshakes.
    alerts: Mutex<Vec<AlertDescription>>,
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
                    Ok(0) => break false,
                    Err(e) => {
                        if let Some(rustls::Error::AlertReceived(alert)) =
                            e.get_ref().and_then(|e| e.downcast_ref::<rustls::Error>())
                        {
                            c.alerts.lock().unwrap().push(*alert);
                        }
                        break false;
                    }
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

/// A ring client configuration that trusts only `cert`, as an application builds it for its
/// own `reqwest::Client` under `rustls-no-provider` without installing a process default.
fn trusting_config(cert: &CertificateDer<'static>) -> rustls::ClientConfig {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert.clone()).expect("root certificate");
    let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("protocol versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    config
}

#[tokio::test]
async fn ring_provider_completes_a_tls_handshake_without_a_process_default() {
    assert!(
        CryptoProvider::get_default().is_none(),
        "no provider may be installed before the first transport is built"
    );
    let (port, cert, counts) = start_tls_server();
    let base = format!("https://127.0.0.1:{port}/");

    // 1. The transport's own client carries ring in its own TLS configuration: building it
    //    installs no process default (with rustls-no-provider, reqwest would otherwise panic).
    let own = Transport::builder("pos-client-core-test/0")
        .base_url(&base)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("transport with its own client");
    assert!(
        CryptoProvider::get_default().is_none(),
        "build() must not install a process default provider"
    );
    Transport::builder("pos-client-core-test/0")
        .base_url(&base)
        .build()
        .expect("a second transport");
    assert!(CryptoProvider::get_default().is_none());

    // It performs a real handshake and verifies certificates: the self-signed one is rejected
    // with a TLS alert to the server, and the call is a connect error.
    assert_connect_error(own.execute(&ping()).await);
    assert_eq!(counts.accepted.load(Ordering::SeqCst), 1);
    assert_eq!(counts.handshakes.load(Ordering::SeqCst), 0);
    assert_eq!(counts.requests.load(Ordering::SeqCst), 0);
    // The server thread reads the alert after the client has already returned: wait for it.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while counts.alerts.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    let alerts = counts.alerts.lock().unwrap().clone();
    assert!(
        matches!(
            alerts.as_slice(),
            [AlertDescription::UnknownCA | AlertDescription::BadCertificate]
        ),
        "the client rejects the certificate during the handshake, got alerts {alerts:?}"
    );
    assert!(CryptoProvider::get_default().is_none());

    // 2. A caller-built client that trusts the certificate, with its own explicit ring
    //    configuration: a full handshake and a 200 through Transport::execute.
    let http = reqwest::Client::builder()
        .tls_backend_preconfigured(trusting_config(&cert))
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
    assert!(CryptoProvider::get_default().is_none());

    // 4. The application is still free to install its own process default afterwards (this
    //    `unwrap` panicked while `build` installed ring), and transports keep working.
    rustls::crypto::ring::default_provider()
        .install_default()
        .expect("the application installs its own default provider");
    let after = Transport::builder("pos-client-core-test/0")
        .base_url(&base)
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("transport after the application's install_default");
    assert_connect_error(after.execute(&ping()).await);
    assert_eq!(counts.accepted.load(Ordering::SeqCst), 3);
    assert_eq!(counts.handshakes.load(Ordering::SeqCst), 1);
}
