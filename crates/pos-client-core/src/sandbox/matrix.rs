//! The fault matrix: every operation of a vendor × every fault of the sandbox kit.
//!
//! Each cell starts a fresh sandbox, lets the vendor's [`Exercise::run`] set up what the
//! operation needs, injects one fault on the operation's route right before its request, and
//! judges what the client did:
//!
//! - a read retries the transient fault and succeeds (two requests on its route);
//! - a write is sent once (one request on its route) and ends in outcome-unknown or an error that
//!   keeps the status — except after a 429, which proves the server did nothing, so it is sent
//!   again and succeeds;
//! - every error keeps its HTTP status where an answer came;
//! - no credential appears in the error's Display or Debug;
//! - nothing panics (each cell runs in its own task).

use std::time::{Duration, Instant};

use std::future::Future;

use super::{Exercise, ExerciseSettings, Fault, Summary};
use crate::retry::RetryPolicy;

/// The environment variable that sets [`timeout`] in milliseconds, for slower machines.
pub const TIMEOUT_VAR: &str = "POS_MATRIX_TIMEOUT_MS";

/// The default of [`timeout`]: generous, so a loaded CI machine does not time out a cell that
/// has no delay fault.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1);

/// The per-attempt timeout of the matrix's clients ([`TIMEOUT_VAR`] in milliseconds, else
/// [`DEFAULT_TIMEOUT`]); the delay fault outlasts it.
pub fn timeout() -> Duration {
    std::env::var(TIMEOUT_VAR)
        .ok()
        .and_then(|ms| ms.trim().parse::<u64>().ok())
        .filter(|&ms| ms > 0)
        .map_or(DEFAULT_TIMEOUT, Duration::from_millis)
}

/// The faults of the kit the matrix runs, with their column names.
pub fn faults() -> Vec<(&'static str, Fault)> {
    vec![
        ("500", Fault::status(500)),
        ("502", Fault::status(502)),
        ("503", Fault::status(503)),
        ("504", Fault::status(504)),
        ("429", Fault::status_with_retry_after(429, "0")),
        ("delay", Fault::Delay(timeout() * 2)),
        ("reset", Fault::ResetBeforeResponse),
        ("reset-mid", Fault::ResetMidBody),
        ("truncated", Fault::TruncatedBody),
        ("html", Fault::html(502)),
    ]
}

/// What one cell saw.
#[derive(Debug, Clone)]
pub struct Cell {
    /// The vendor.
    pub vendor: &'static str,
    /// The operation.
    pub operation: &'static str,
    /// Whether it writes.
    pub write: bool,
    /// The fault's column name.
    pub fault: &'static str,
    /// Requests that reached the operation's route.
    pub hits: usize,
    /// `None` for success, else the error.
    pub error: Option<Summary>,
    /// What is wrong with the cell, empty when it is green.
    pub problems: Vec<String>,
    /// How long the cell took.
    pub elapsed: Duration,
}

impl Cell {
    /// Whether the cell met every expectation.
    pub fn green(&self) -> bool {
        self.problems.is_empty()
    }

    /// One line for a report of red cells: `operation × fault: outcome — problems`.
    pub fn describe(&self) -> String {
        format!(
            "{} × {}: {} — {}",
            self.operation,
            self.fault,
            self.outcome(),
            self.problems.join("; ")
        )
    }

    /// A short description for the report: `ok 2`, `unknown 1`, `503 1` …
    pub fn outcome(&self) -> String {
        match &self.error {
            None => format!("ok {}", self.hits),
            Some(e) if e.outcome_unknown => format!("unknown {}", self.hits),
            Some(e) => match e.status {
                Some(status) => format!("{status} {}", self.hits),
                None => format!("{} {}", e.kind.to_lowercase(), self.hits),
            },
        }
    }
}

/// The status a fault answers with, if it answers at all.
fn fault_status(fault: &Fault) -> Option<u16> {
    match fault {
        Fault::Status { status, .. } | Fault::NonJson { status } => Some(*status),
        _ => None,
    }
}

/// The cells that break a rule, one line each ([`Cell::describe`]); empty when all are green.
pub fn red(cells: &[Cell]) -> Vec<String> {
    cells
        .iter()
        .filter(|c| !c.green())
        .map(Cell::describe)
        .collect()
}

/// Whether the first attempt's request may have been carried out by the server.
fn may_have_run(fault: &Fault) -> bool {
    matches!(
        fault,
        Fault::ResetMidBody | Fault::TruncatedBody | Fault::Delay(_) | Fault::ResetBeforeResponse
    )
}

/// Judges a cell: the expectations of the module docs.
pub fn judge(
    write: bool,
    fault: &Fault,
    hits: usize,
    result: &Result<(), Summary>,
    secrets: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    let retried_429 = matches!(fault, Fault::Status { status: 429, .. });
    if !write || retried_429 {
        if let Err(e) = result {
            problems.push(format!("expected a retried success, got: {e}"));
        }
        if hits != 2 {
            problems.push(format!(
                "expected 2 requests (fault, then retry), saw {hits}"
            ));
        }
    } else {
        if hits != 1 {
            problems.push(format!("a write must be sent once, saw {hits} requests"));
        }
        match result {
            Ok(()) => problems.push("a write under a fault cannot have succeeded".to_owned()),
            Err(e) => {
                if let Some(status) = fault_status(fault) {
                    if e.status != Some(status) {
                        problems.push(format!(
                            "the status {status} was not kept: {:?} ({e})",
                            e.status
                        ));
                    }
                } else if may_have_run(fault) && !e.outcome_unknown {
                    problems.push(format!("expected outcome-unknown, got: {e}"));
                }
            }
        }
    }
    if let Err(e) = result {
        for secret in secrets.iter().filter(|s| !s.is_empty()) {
            if e.display.contains(secret.as_str()) || e.debug.contains(secret.as_str()) {
                problems.push("a credential appears in the error".to_owned());
            }
        }
    }
    problems
}

/// Starts a fresh sandbox of one vendor, as an [`Exercise`].
pub trait StartSandbox: Fn() -> Self::Fut + Clone + Send + Sync + 'static {
    /// The future that starts it.
    type Fut: Future<Output = std::io::Result<Box<dyn Exercise>>> + Send + 'static;
}

impl<F, Fut> StartSandbox for F
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = std::io::Result<Box<dyn Exercise>>> + Send + 'static,
{
    type Fut = Fut;
}

/// Runs one cell in its own task, on a fresh sandbox from `start`.
pub async fn run_cell<S: StartSandbox>(
    start: S,
    vendor: &'static str,
    operation: &'static str,
    write: bool,
    fault_name: &'static str,
    fault: Fault,
) -> Cell {
    let started = Instant::now();
    let task_fault = fault.clone();
    let task = tokio::spawn(async move {
        let sandbox = start().await.map_err(|e| e.to_string())?;
        let settings = ExerciseSettings {
            retry: RetryPolicy::without_delays(),
            timeout: timeout(),
        };
        let route = sandbox.route(operation);
        let faults = sandbox.server().faults();
        let journal = sandbox.server().journal();
        let inject = {
            let route = route.clone();
            let journal = journal.clone();
            move || {
                journal.clear();
                faults.inject(route.clone(), task_fault.clone());
            }
        };
        let result = sandbox.run(operation, &settings, &inject).await;
        let hits = journal.hits(route);
        Ok::<_, String>((hits, result, sandbox.secrets()))
    });
    let (hits, error, problems) = match task.await {
        Ok(Ok((hits, result, secrets))) => {
            let problems = match &result {
                Err(e) if e.kind == "Unsupported" => vec![e.display.clone()],
                _ => judge(write, &fault, hits, &result, &secrets),
            };
            (hits, result.err(), problems)
        }
        Ok(Err(e)) => (0, None, vec![format!("the sandbox did not start: {e}")]),
        Err(e) => (0, None, vec![format!("the cell panicked: {e}")]),
    };
    Cell {
        vendor,
        operation,
        write,
        fault: fault_name,
        hits,
        error,
        problems,
        elapsed: started.elapsed(),
    }
}

/// Runs the matrix of one vendor (every operation × every fault), a few cells at a time, each
/// on a fresh sandbox from `start`.
pub async fn run<S: StartSandbox>(start: S) -> std::io::Result<Vec<Cell>> {
    let probe = start().await?;
    let vendor = probe.vendor();
    let mut jobs = Vec::new();
    for op in probe.operations() {
        for (name, fault) in faults() {
            jobs.push((op.name, op.write, name, fault));
        }
    }
    drop(probe);
    let mut cells = Vec::with_capacity(jobs.len());
    let mut pending = tokio::task::JoinSet::new();
    let mut jobs = jobs.into_iter();
    loop {
        while pending.len() < 8 {
            let Some((operation, write, name, fault)) = jobs.next() else {
                break;
            };
            pending.spawn(run_cell(
                start.clone(),
                vendor,
                operation,
                write,
                name,
                fault,
            ));
        }
        match pending.join_next().await {
            Some(Ok(cell)) => cells.push(cell),
            Some(Err(e)) => return Err(std::io::Error::other(e.to_string())),
            None => break,
        }
    }
    let operations: Vec<&str> = cells.iter().map(|c| c.operation).collect();
    let position = |name: &str| operations.iter().position(|o| *o == name);
    let columns = faults();
    cells.sort_by_key(|c| {
        (
            position(c.operation),
            columns.iter().position(|(n, _)| *n == c.fault),
        )
    });
    Ok(cells)
}

/// The operations of its spec notes that a vendor's [`Exercise`] cannot run (should be none).
pub async fn unsupported(sandbox: &dyn Exercise) -> Vec<&'static str> {
    let settings = ExerciseSettings {
        retry: RetryPolicy::without_delays(),
        timeout: timeout(),
    };
    let mut missing = Vec::new();
    for op in sandbox.operations() {
        if let Err(e) = sandbox.run(op.name, &settings, &|| {}).await
            && e.kind == "Unsupported"
        {
            missing.push(op.name);
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn red_lists_only_the_cells_that_break_a_rule() {
        let cell = |fault: &'static str, problems: Vec<String>| Cell {
            vendor: "v",
            operation: "push",
            write: true,
            fault,
            hits: 2,
            error: None,
            problems,
            elapsed: Duration::ZERO,
        };
        let cells = [
            cell("503", Vec::new()),
            cell(
                "reset",
                vec!["a write must be sent once, saw 2 requests".into()],
            ),
        ];
        assert_eq!(
            red(&cells),
            ["push × reset: ok 2 — a write must be sent once, saw 2 requests"]
        );
    }

    fn err(status: Option<u16>, unknown: bool, text: &str) -> Result<(), Summary> {
        Err(Summary {
            kind: if unknown { "OutcomeUnknown" } else { "Http" },
            status,
            outcome_unknown: unknown,
            retryable: false,
            validation: false,
            display: text.to_owned(),
            debug: text.to_owned(),
        })
    }

    #[test]
    fn reads_must_retry_and_succeed() {
        let f = Fault::status(503);
        assert!(judge(false, &f, 2, &Ok(()), &[]).is_empty());
        assert!(!judge(false, &f, 1, &Ok(()), &[]).is_empty(), "no retry");
        assert!(!judge(false, &f, 2, &err(Some(503), false, "x"), &[]).is_empty());
    }

    #[test]
    fn writes_must_be_sent_once_and_keep_the_status_or_say_unknown() {
        let s = Fault::status(502);
        assert!(judge(true, &s, 1, &err(Some(502), false, "x"), &[]).is_empty());
        assert!(
            !judge(true, &s, 2, &err(Some(502), false, "x"), &[]).is_empty(),
            "sent twice"
        );
        assert!(
            !judge(true, &s, 1, &err(None, false, "x"), &[]).is_empty(),
            "status lost"
        );
        assert!(!judge(true, &s, 1, &Ok(()), &[]).is_empty());
        let mid = Fault::ResetMidBody;
        assert!(judge(true, &mid, 1, &err(None, true, "x"), &[]).is_empty());
        assert!(!judge(true, &mid, 1, &err(None, false, "x"), &[]).is_empty());
        // A 429 proves nothing was done: a write is sent again and succeeds.
        let limited = Fault::status_with_retry_after(429, "0");
        assert!(judge(true, &limited, 2, &Ok(()), &[]).is_empty());
    }

    #[test]
    fn a_credential_in_an_error_is_a_problem() {
        let f = Fault::status(500);
        let problems = judge(
            true,
            &f,
            1,
            &err(Some(500), false, "token=SECRET"),
            &["SECRET".to_owned()],
        );
        assert_eq!(problems, ["a credential appears in the error"]);
    }
}
