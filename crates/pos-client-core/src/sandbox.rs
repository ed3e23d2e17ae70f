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

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, JoinSet};
use tower::ServiceExt;

pub use axum;

type Body = axum::body::Body;

/// Locks a mutex, ignoring poisoning: the kit's state stays usable after a panicking test thread.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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

fn status_code(code: u16) -> StatusCode {
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

/// What a fault or a hit count applies to: an exact path, and optionally parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    path: String,
    params: Vec<(String, String)>,
    flags: Vec<String>,
}

impl Route {
    /// Requests to exactly this path (`"/api/sync-stock"`; a missing leading `/` is added).
    pub fn path(path: &str) -> Route {
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        Route {
            path,
            params: Vec::new(),
            flags: Vec::new(),
        }
    }

    /// Also requires the query string or a form body (`application/x-www-form-urlencoded`) to
    /// carry `key=value` (NOOM's `act=ODOC_COMPLETE`).
    pub fn param(mut self, key: &str, value: &str) -> Route {
        self.params.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Also requires the query string to carry `key`, with or without a value (CloudPOS'
    /// `?…&get-orders`).
    pub fn flag(mut self, key: &str) -> Route {
        self.flags.push(key.to_owned());
        self
    }

    /// Whether `request` is one this route names.
    pub fn matches(&self, request: &RecordedRequest) -> bool {
        if request.path != self.path {
            return false;
        }
        let query = request.query_pairs();
        let form = if self.params.is_empty() {
            Vec::new()
        } else {
            request.form_pairs()
        };
        self.params.iter().all(|(k, v)| {
            query
                .iter()
                .chain(form.iter())
                .any(|(qk, qv)| qk == k && qv == v)
        }) && self.flags.iter().all(|f| query.iter().any(|(k, _)| k == f))
    }
}

impl From<&str> for Route {
    fn from(path: &str) -> Route {
        Route::path(path)
    }
}

impl From<String> for Route {
    fn from(path: String) -> Route {
        Route::path(&path)
    }
}

impl From<&Route> for Route {
    fn from(route: &Route) -> Route {
        route.clone()
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct RecordedRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path, without the query.
    pub path: String,
    /// The raw query string, without the `?`.
    pub query: Option<String>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The complete request body.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The query string's decoded pairs in order; a bare key has an empty value.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether the body is declared as `application/x-www-form-urlencoded`.
    pub fn is_form(&self) -> bool {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            })
    }

    /// The form body's decoded pairs in order (empty unless the body is a form).
    pub fn form_pairs(&self) -> Vec<(String, String)> {
        if !self.is_form() {
            return Vec::new();
        }
        url::form_urlencoded::parse(&self.body)
            .into_owned()
            .collect()
    }

    /// The first value of `key` in the query string, else in the form body.
    pub fn param(&self, key: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .chain(self.form_pairs())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The body as text (lossy UTF-8).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// The requests a [`SandboxServer`] received, in arrival order. Clones share the same journal.
#[derive(Clone, Default)]
pub struct Journal {
    requests: Arc<Mutex<Vec<RecordedRequest>>>,
}

impl fmt::Debug for Journal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Journal")
            .field("requests", &lock(&self.requests).len())
            .finish()
    }
}

impl Journal {
    fn record(&self, request: RecordedRequest) {
        lock(&self.requests).push(request);
    }

    /// Every request received so far (including those that hit a fault), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.requests).clone()
    }

    /// The requests that match `route`, oldest first.
    pub fn matching(&self, route: impl Into<Route>) -> Vec<RecordedRequest> {
        let route = route.into();
        lock(&self.requests)
            .iter()
            .filter(|r| route.matches(r))
            .cloned()
            .collect()
    }

    /// How many received requests match `route`.
    pub fn hits(&self, route: impl Into<Route>) -> usize {
        let route = route.into();
        lock(&self.requests)
            .iter()
            .filter(|r| route.matches(r))
            .count()
    }

    /// Forgets every recorded request.
    pub fn clear(&self) {
        lock(&self.requests).clear();
    }
}

/// The faults waiting to be applied, in injection order. Clones share the same queue.
///
/// A request takes the first queued fault whose route matches it; each fault applies once.
#[derive(Clone, Default)]
pub struct Faults {
    queue: Arc<Mutex<Vec<(Route, Fault)>>>,
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Faults")
            .field("queue", &*lock(&self.queue))
            .finish()
    }
}

impl Faults {
    /// Applies `fault` to the next request matching `route`.
    pub fn inject(&self, route: impl Into<Route>, fault: Fault) {
        self.inject_times(route, fault, 1);
    }

    /// Applies `fault` to each of the next `times` requests matching `route`.
    pub fn inject_times(&self, route: impl Into<Route>, fault: Fault, times: usize) {
        let route = route.into();
        let mut queue = lock(&self.queue);
        queue.extend(std::iter::repeat_n((route, fault), times));
    }

    /// Removes every pending fault.
    pub fn clear(&self) {
        lock(&self.queue).clear();
    }

    /// The number of faults not applied yet.
    pub fn pending(&self) -> usize {
        lock(&self.queue).len()
    }

    fn take_for(&self, request: &RecordedRequest) -> Option<Fault> {
        let mut queue = lock(&self.queue);
        let index = queue.iter().position(|(route, _)| route.matches(request))?;
        Some(queue.remove(index).1)
    }
}

/// A failure the server produces instead of (or on top of) the router's answer.
///
/// A request that hits a fault is still journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status, an optional `Retry-After` header and this body, instead of
    /// running the handler. A body starting with `{` or `[` is sent as JSON, others as text.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The `Retry-After` value: seconds (`"3"`) or an HTTP date.
        retry_after: Option<String>,
        /// The response body.
        body: String,
    },
    /// Wait this long, then let the handler answer (make it longer than the client's timeout).
    ///
    /// If the client closes the connection during the wait, the request is dropped and the
    /// handler does not run: a fake's state is unchanged.
    Delay(Duration),
    /// Read the request, then reset the TCP connection without an answer. The handler does not run.
    ResetBeforeResponse,
    /// Run the handler, send its status line, headers and half its body, then reset the TCP
    /// connection.
    ResetMidBody,
    /// Run the handler, send its status line and headers with a `Content-Length` larger than the
    /// part of the body that follows, then close the connection.
    TruncatedBody,
    /// Answer with an HTML error page (as a proxy in front of the vendor would) with this status,
    /// instead of running the handler.
    NonJson {
        /// The HTTP status code.
        status: u16,
    },
}

impl Fault {
    /// A status answer with a small JSON body and no `Retry-After`.
    pub fn status(code: u16) -> Fault {
        let reason = status_code(code).canonical_reason().unwrap_or("error");
        Fault::Status {
            status: code,
            retry_after: None,
            body: serde_json::json!({ "message": format!("injected fault: {code} {reason}") })
                .to_string(),
        }
    }

    /// A status answer with a `Retry-After` header (`"0"`, `"3600"` or an HTTP date).
    pub fn status_with_retry_after(code: u16, retry_after: &str) -> Fault {
        match Fault::status(code) {
            Fault::Status { status, body, .. } => Fault::Status {
                status,
                retry_after: Some(retry_after.to_owned()),
                body,
            },
            other => other,
        }
    }

    /// An HTML error page with this status ([`Fault::NonJson`]).
    pub fn html(code: u16) -> Fault {
        Fault::NonJson { status: code }
    }
}

/// Captures everything `tracing` records on the current thread, at TRACE level with span
/// events, for assertions such as "no secret is ever logged".
///
/// The capture lasts until the value is dropped. It installs a thread-local default subscriber:
/// run the code under test on a current-thread runtime (`#[tokio::test]`'s default), and keep
/// such tests in a test binary of their own, because `tracing` caches per-callsite interest
/// process-wide and a test running in parallel without a subscriber can turn callsites off.
///
/// ```
/// use pos_client_core::sandbox::LogCapture;
///
/// let logs = LogCapture::start();
/// tracing::info!(user = "alice", "logged in");
/// assert!(logs.text().contains("logged in"));
/// ```
pub struct LogCapture {
    buffer: LogBuffer,
    _guard: tracing::subscriber::DefaultGuard,
}

impl fmt::Debug for LogCapture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogCapture").finish_non_exhaustive()
    }
}

impl LogCapture {
    /// Starts capturing on the current thread.
    pub fn start() -> LogCapture {
        let buffer = LogBuffer::default();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(buffer.clone())
            .finish();
        LogCapture {
            buffer,
            _guard: tracing::subscriber::set_default(subscriber),
        }
    }

    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&lock(&self.buffer.0)).into_owned()
    }
}

/// The shared buffer the capture's subscriber writes into.
#[derive(Clone, Default)]
struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        lock(&self.0).extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;
    fn make_writer(&'a self) -> LogBuffer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(path: &str, query: Option<&str>, form: Option<&str>) -> RecordedRequest {
        let mut headers = HeaderMap::new();
        if form.is_some() {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
        RecordedRequest {
            method: Method::POST,
            path: path.to_owned(),
            query: query.map(str::to_owned),
            headers,
            body: Bytes::from(form.unwrap_or("").to_owned()),
        }
    }

    #[test]
    fn routes_match_path_params_and_flags() {
        let r = request("/api/", Some("licname=a&token=t&get-orders"), None);
        assert!(Route::path("/api/").matches(&r));
        assert!(Route::path("api/").matches(&r));
        assert!(!Route::path("/api").matches(&r));
        assert!(Route::path("/api/").flag("get-orders").matches(&r));
        assert!(!Route::path("/api/").flag("get-products").matches(&r));
        assert!(Route::path("/api/").param("licname", "a").matches(&r));
        assert!(!Route::path("/api/").param("licname", "b").matches(&r));

        let f = request("/noom", None, Some("act=ODOC_COMPLETE&uid=u+1"));
        assert!(
            Route::path("/noom")
                .param("act", "ODOC_COMPLETE")
                .matches(&f)
        );
        assert!(Route::path("/noom").param("uid", "u 1").matches(&f));
        assert!(!Route::path("/noom").param("act", "ODOC_OPEN").matches(&f));
        assert_eq!(f.param("act").as_deref(), Some("ODOC_COMPLETE"));

        // A form-looking body without the form content type is not a form.
        let mut j = f.clone();
        j.headers.clear();
        assert!(
            !Route::path("/noom")
                .param("act", "ODOC_COMPLETE")
                .matches(&j)
        );
    }

    #[test]
    fn faults_are_consumed_once_in_order_per_route() {
        let faults = Faults::default();
        faults.inject_times("/a", Fault::status(503), 2);
        faults.inject("/b", Fault::html(502));
        faults.inject("/a", Fault::ResetBeforeResponse);
        let a = request("/a", None, None);
        let b = request("/b", None, None);
        assert_eq!(faults.take_for(&b), Some(Fault::html(502)));
        assert_eq!(faults.take_for(&b), None);
        assert_eq!(faults.take_for(&a), Some(Fault::status(503)));
        assert_eq!(faults.take_for(&a), Some(Fault::status(503)));
        assert_eq!(faults.take_for(&a), Some(Fault::ResetBeforeResponse));
        assert_eq!(faults.take_for(&a), None);
        faults.inject("/a", Fault::TruncatedBody);
        faults.clear();
        assert_eq!(faults.pending(), 0);
    }

    #[test]
    fn status_faults_carry_retry_after() {
        assert_eq!(
            Fault::status_with_retry_after(429, "3600"),
            Fault::Status {
                status: 429,
                retry_after: Some("3600".into()),
                body: r#"{"message":"injected fault: 429 Too Many Requests"}"#.into(),
            }
        );
        assert!(html_page(502).contains("502 Bad Gateway"));
    }
}
