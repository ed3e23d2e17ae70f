//! The sandbox kit (feature `sandbox`): an in-process HTTP server for tests and vendor fakes.
//!
//! [`SandboxServer::start`] serves an [`axum::Router`] on `127.0.0.1:0` and stops when dropped.
//! It keeps a [`Journal`] of every request it received, counts accepted TCP connections, and
//! injects [`Fault`]s per [`Route`]: error statuses (with or without `Retry-After`), delays past
//! the client's timeout, TCP resets before or in the middle of the answer, truncated bodies and
//! HTML error pages. The vendor crates build their stateful sandboxes on top of it.
//!
//! ```
//! use pos_client_core::sandbox::axum::{Json, Router, routing::get};
//! use pos_client_core::sandbox::{Fault, SandboxServer};
//! use pos_client_core::{Operation, RetryPolicy, Transport, http::Method};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let router = Router::new().route(
//!     "/api/stock",
//!     get(|| async { Json(serde_json::json!({ "qty": 3 })) }),
//! );
//! let server = SandboxServer::start(router).await?;
//! let transport = Transport::builder("example/0.1")
//!     .base_url(format!("{}api/", server.base_url()))
//!     .retry_policy(RetryPolicy::without_delays())
//!     .build()?;
//!
//! // The first request gets a 503; the read is retried and the second one succeeds.
//! server.faults().inject("/api/stock", Fault::status(503));
//! let op = Operation::read("example", "stock", Method::GET, "stock");
//! let stock: serde_json::Value = transport.execute_json(&op).await?;
//! assert_eq!(stock["qty"], 3);
//! assert_eq!(server.journal().hits("/api/stock"), 2);
//! assert_eq!(server.connections(), 1, "the pooled connection is reused");
//! # Ok(())
//! # }
//! ```

use std::convert::Infallible;
use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

pub use axum;

mod exercise;
mod faults;
mod journal;
mod logs;
pub mod matrix;
pub mod mutation;

pub use exercise::{
    BoxFuture, Exercise, ExerciseSettings, Kit, Run, Sample, Summary, VendorExercise, unsupported,
};
pub use faults::{Fault, Faults};
pub use journal::{Journal, RecordedRequest, Route};
pub use logs::LogCapture;

type Body = axum::body::Body;

/// Locks a mutex, ignoring poisoning: the kit's state stays usable after a panicking test thread.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// An in-process HTTP/1.1 server on `127.0.0.1`, serving an axum router.
///
/// Dropping it stops the accept loop and aborts every open connection.
pub struct SandboxServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl fmt::Debug for SandboxServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxServer")
            .field("addr", &self.addr)
            .field("connections", &self.connections())
            .finish_non_exhaustive()
    }
}

/// State shared by the server handle, the accept loop and every connection.
struct Shared {
    router: axum::Router,
    journal: Journal,
    faults: Faults,
    connections: AtomicUsize,
}

impl SandboxServer {
    /// Binds `127.0.0.1:0` and starts serving `router` on the current tokio runtime.
    pub async fn start(router: axum::Router) -> std::io::Result<SandboxServer> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            router,
            journal: Journal::default(),
            faults: Faults::default(),
            connections: AtomicUsize::new(0),
        });
        let accept = tokio::spawn(accept_loop(listener, shared.clone()));
        Ok(SandboxServer {
            addr,
            shared,
            accept,
        })
    }

    /// The server's base URL, `http://127.0.0.1:PORT/` (with a trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The socket address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A handle on the journal of received requests.
    pub fn journal(&self) -> Journal {
        self.shared.journal.clone()
    }

    /// A handle on the fault queue.
    pub fn faults(&self) -> Faults {
        self.shared.faults.clone()
    }

    /// The number of TCP connections accepted so far.
    pub fn connections(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

/// Generates what every vendor's `Sandbox` handle shares, for a struct with a field
/// `server: SandboxServer` and a method `base_url(&self) -> String`: a Debug that shows the base
/// URL, `journal()`, `faults()`, `connections()` and `server()`, and the [`Kit`] the reliability
/// suite reads (the vendor's name and its generated `OPERATIONS`).
///
/// ```
/// use pos_client_core::OperationSpec;
/// use pos_client_core::sandbox::{Kit, SandboxServer};
///
/// /// The vendor's documented operations (normally generated from the spec notes).
/// pub const OPERATIONS: &[OperationSpec] = &[OperationSpec { name: "ping", write: false }];
///
/// /// A vendor's sandbox.
/// pub struct Sandbox {
///     server: SandboxServer,
/// }
///
/// impl Sandbox {
///     /// The base URL for the vendor's client.
///     pub fn base_url(&self) -> String {
///         format!("{}api/", self.server.base_url())
///     }
/// }
///
/// pos_client_core::sandbox_handle!(Sandbox, "acme", OPERATIONS);
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let router = pos_client_core::sandbox::axum::Router::new();
/// let sandbox = Sandbox { server: SandboxServer::start(router).await? };
/// assert_eq!(Kit::vendor(&sandbox), "acme");
/// assert_eq!(sandbox.operations().len(), 1);
/// # Ok(())
/// # }
/// ```
#[macro_export]
macro_rules! sandbox_handle {
    ($sandbox:ty, $vendor:expr, $operations:expr) => {
        impl ::std::fmt::Debug for $sandbox {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($sandbox))
                    .field("base_url", &self.base_url())
                    .finish_non_exhaustive()
            }
        }

        impl $sandbox {
            /// Every request the sandbox received, for assertions (hit counts, bodies).
            pub fn journal(&self) -> $crate::sandbox::Journal {
                self.server.journal()
            }

            /// The fault queue: inject 5xx, 429, delays, resets, truncated or HTML answers.
            pub fn faults(&self) -> $crate::sandbox::Faults {
                self.server.faults()
            }

            /// TCP connections accepted so far.
            pub fn connections(&self) -> usize {
                self.server.connections()
            }

            /// The underlying kit server.
            pub fn server(&self) -> &$crate::sandbox::SandboxServer {
                &self.server
            }
        }

        impl $crate::sandbox::Kit for $sandbox {
            fn vendor(&self) -> &'static str {
                $vendor
            }

            fn operations(&self) -> &'static [$crate::OperationSpec] {
                $operations
            }

            fn server(&self) -> &$crate::sandbox::SandboxServer {
                &self.server
            }
        }
    };
}

impl Drop for SandboxServer {
    fn drop(&mut self) {
        // The accept task owns the listener and the JoinSet of connection tasks: aborting it
        // closes the port and aborts every open connection.
        self.accept.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    shared.connections.fetch_add(1, Ordering::SeqCst);
                    connections.spawn(serve_connection(stream, shared.clone()));
                }
                Err(e) => {
                    tracing::debug!(error = %e, "sandbox: accept failed");
                    // Out of file descriptors and the like: do not spin.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// What a connection's request handlers can do to the connection itself.
struct ConnControl {
    /// A duplicate of the connection's socket, for writing raw bytes and setting `SO_LINGER`.
    /// Dropped when the connection ends, so that it never holds a closed connection open.
    socket: Mutex<Option<socket2::Socket>>,
    /// Ends the connection: the hyper connection (and its socket) is dropped.
    kill: Notify,
}

impl ConnControl {
    fn take_socket(&self) -> Option<socket2::Socket> {
        lock(&self.socket).take()
    }

    /// Closes the connection with a TCP reset: `SO_LINGER` 0, then the last descriptor closes.
    fn reset(&self) {
        if let Some(socket) = self.take_socket() {
            let _ = socket.set_linger(Some(Duration::ZERO));
        }
        self.kill.notify_one();
    }
}

async fn serve_connection(stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nodelay(true);
    let dup = socket2::SockRef::from(&stream).try_clone().ok();
    let control = Arc::new(ConnControl {
        socket: Mutex::new(dup),
        kill: Notify::new(),
    });
    let service = {
        let control = control.clone();
        hyper::service::service_fn(move |request: Request<Incoming>| {
            handle(shared.clone(), control.clone(), request)
        })
    };
    let connection =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        result = connection => {
            if let Err(e) = result {
                tracing::trace!(error = %e, "sandbox: connection ended with an error");
            }
        }
        () = control.kill.notified() => {}
    }
    control.take_socket();
}

async fn handle(
    shared: Arc<Shared>,
    control: Arc<ConnControl>,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let (parts, incoming) = request.into_parts();
    let body = match axum::body::to_bytes(Body::new(incoming), usize::MAX).await {
        Ok(body) => body,
        Err(_) => {
            // The client went away while sending: nothing to answer.
            control.kill.notify_one();
            return std::future::pending().await;
        }
    };
    let recorded = RecordedRequest {
        method: parts.method.clone(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.clone(),
    };
    let fault = shared.faults.take_for(&recorded);
    shared.journal.record(recorded);

    let request = Request::from_parts(parts, Body::from(body));
    let response = match fault {
        None => call_router(&shared.router, request).await,
        Some(Fault::Status {
            status,
            retry_after,
            body,
        }) => status_response(status, retry_after.as_deref(), body),
        Some(Fault::NonJson { status }) => html_response(status),
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            call_router(&shared.router, request).await
        }
        Some(Fault::ResetBeforeResponse) => {
            control.reset();
            return std::future::pending().await;
        }
        Some(fault @ (Fault::ResetMidBody | Fault::TruncatedBody)) => {
            let response = call_router(&shared.router, request).await;
            broken_answer(&control, response, matches!(fault, Fault::ResetMidBody)).await;
            return std::future::pending().await;
        }
    };
    Ok(response)
}

async fn call_router(router: &axum::Router, request: Request<Body>) -> Response<Body> {
    match router.clone().oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}

pub(crate) fn status_code(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

fn status_response(code: u16, retry_after: Option<&str>, body: String) -> Response<Body> {
    let content_type = match body.trim_start().as_bytes().first() {
        Some(b'{' | b'[') => "application/json",
        _ => "text/plain; charset=utf-8",
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status_code(code);
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The HTML page a proxy in front of a vendor answers with.
pub fn html_page(code: u16) -> String {
    let status = status_code(code);
    let title = format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n\
         <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
}

fn html_response(code: u16) -> Response<Body> {
    let mut response = Response::new(Body::from(html_page(code)));
    *response.status_mut() = status_code(code);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// Writes the handler's status line, headers and half its body straight onto the socket, with a
/// `Content-Length` of the whole body (at least 1), then resets or closes the connection.
async fn broken_answer(control: &ConnControl, response: Response<Body>, reset: bool) {
    let (parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        parts.status.as_u16(),
        parts.status.canonical_reason().unwrap_or("")
    )
    .into_bytes();
    for (name, value) in &parts.headers {
        if name == header::CONTENT_LENGTH
            || name == header::TRANSFER_ENCODING
            || name == header::CONNECTION
        {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    let declared = body.len().max(1);
    head.extend_from_slice(format!("content-length: {declared}\r\n\r\n").as_bytes());
    head.extend_from_slice(&body[..body.len() / 2]);

    let Some(socket) = control.take_socket() else {
        control.kill.notify_one();
        return;
    };
    if let Ok(mut stream) = TcpStream::from_std(std::net::TcpStream::from(socket)) {
        let _ = stream.write_all(&head).await;
        let _ = stream.flush().await;
        if reset {
            // Give the client a moment to read the head, so it fails in the middle of the body.
            tokio::time::sleep(Duration::from_millis(20)).await;
            let _ = socket2::SockRef::from(&stream).set_linger(Some(Duration::ZERO));
        } else {
            let _ = stream.shutdown().await;
        }
    }
    control.kill.notify_one();
}
