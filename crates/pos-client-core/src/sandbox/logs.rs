//! [`LogCapture`]: what `tracing` recorded, for "no secret is ever logged" assertions.

use std::fmt;
use std::sync::{Arc, Mutex};

use super::lock;

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
