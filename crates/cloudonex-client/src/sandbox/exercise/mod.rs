//! [`Exercise`] for the CloudOnex sandbox: each of the 50 operations of `models::OPERATIONS`
//! (`"<list|get|create|update|delete> <resource>"`) run once through a Bearer client with valid
//! input, and the client's decoding of any answer, offline.
//!
//! Operations on one record (get, update, delete) work on record `1` of their resource, seeded in
//! every sandbox: the route of a fault must be known before the run. A run puts the seeded record
//! back first when an earlier run deleted it (straight into the sandbox's state, so the
//! operation's own request is the first one on its route).

mod corpus;
mod decode;
mod run;

use pos_client_core::OperationSpec;
use pos_client_core::http::Method;
use pos_client_core::sandbox::{Route, Run, Sample, Summary, VendorExercise, unsupported};

use self::corpus::{document_answers, sandbox_answers};
use super::Sandbox;
use crate::client::Resource;
use crate::models::OPERATIONS;
use crate::protocol::VENDOR;

/// The seeded record that get, update and delete work on.
const RECORD_ID: u64 = 1;

/// What an operation does (the first word of its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Act {
    List,
    Get,
    Create,
    Update,
    Delete,
}

impl Act {
    fn method(self) -> Method {
        match self {
            Act::List | Act::Get => Method::GET,
            Act::Create => Method::POST,
            Act::Update => Method::PUT,
            Act::Delete => Method::DELETE,
        }
    }

    /// The operation's name on `resource`.
    fn name(self, resource: Resource) -> String {
        let act = match self {
            Act::List => "list",
            Act::Get => "get",
            Act::Create => "create",
            Act::Update => "update",
            Act::Delete => "delete",
        };
        format!("{act} {}", resource.path())
    }

    fn has_id(self) -> bool {
        matches!(self, Act::Get | Act::Update | Act::Delete)
    }
}

/// The documented operation named `name`: its static spec, what it does and on which resource.
fn parse(name: &str) -> Option<(&'static OperationSpec, Act, Resource)> {
    let spec = OPERATIONS.iter().find(|op| op.name == name)?;
    let (act, resource) = name.split_once(' ')?;
    let act = match act {
        "list" => Act::List,
        "get" => Act::Get,
        "create" => Act::Create,
        "update" => Act::Update,
        "delete" => Act::Delete,
        _ => return None,
    };
    Some((spec, act, Resource::from_path(resource)?))
}

impl VendorExercise for Sandbox {
    fn route(&self, operation: &str) -> Route {
        // The method tells list from create and get/update/delete apart; each run sends one
        // request, so the path is enough.
        match parse(operation) {
            Some((_, act, resource)) if act.has_id() => {
                Route::path(&format!("/api/v2/{}/{RECORD_ID}", resource.path()))
            }
            Some((_, _, resource)) => Route::path(&format!("/api/v2/{}", resource.path())),
            None => Route::path("/api/v2/"),
        }
    }

    async fn run(&self, run: Run<'_>) -> Result<(), Summary> {
        self.run_operation(run.operation, run.settings, run.inject)
            .await
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        let Some((spec, act, resource)) = parse(operation) else {
            return Err(unsupported(VENDOR, operation));
        };
        self.decode_operation(spec, act, resource, status, body)
            .map_err(Summary::from)
    }

    fn corpus(&self) -> Vec<Sample> {
        let mut samples = document_answers();
        samples.extend(sandbox_answers());
        samples
    }

    fn secrets(&self) -> Vec<String> {
        vec![self.key.clone()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pos_client_core::sandbox::{Exercise, ExerciseSettings};

    #[tokio::test]
    async fn routes_and_repeated_runs() {
        let sandbox = Sandbox::start().await.unwrap();
        assert_eq!(
            Exercise::route(&sandbox, "delete invoices"),
            Route::path("/api/v2/invoices/1")
        );
        assert_eq!(
            Exercise::route(&sandbox, "create leads"),
            Route::path("/api/v2/leads")
        );
        let settings = ExerciseSettings {
            retry: pos_client_core::RetryPolicy::without_delays(),
            timeout: std::time::Duration::from_secs(5),
        };
        // The same sandbox runs every operation twice: deletes and creates do not collide.
        for _ in 0..2 {
            for op in OPERATIONS {
                let journal = sandbox.journal();
                let route = Exercise::route(&sandbox, op.name);
                let clear = || journal.clear();
                Exercise::run(&sandbox, op.name, &settings, &clear)
                    .await
                    .unwrap();
                assert_eq!(journal.hits(route), 1, "{}", op.name);
            }
        }
    }
}
