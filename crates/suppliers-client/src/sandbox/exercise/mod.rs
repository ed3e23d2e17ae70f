//! [`Exercise`] for the Suppliers sandbox: every operation of the spec notes run once with the
//! sandbox's own data, the client's decoding of any answer offline, and a seed corpus.
//!
//! How the routes are chosen: the kit's [`Route`] matches a path and its query/form
//! parameters, not a JSON body, so the `PUT` actions sharing a path are told apart by running
//! nothing else on that path after `inject()`. The supplier operations work on a supplier the
//! exerciser inserts without a request ([`EXERCISE_SUPPLIER`]); the temp-purchase operations on
//! the current temp purchase of [`TEST_USER`](super::TEST_USER), made current (if need be)
//! before the route is named. The client authorizes with a Bearer token, so no Digest
//! challenge round trip lands on a route; `oauth-token` is run through an OAuth2 client, whose
//! first request is the token request.

mod corpus;
mod decode;
mod run;

use pos_client_core::sandbox::{Route, Run, Sample, Summary, VendorExercise, unsupported};

use self::corpus::{document_samples, sandbox_samples};
use self::decode::decode_as;
use super::{OAUTH_CLIENT_SECRET, Sandbox, TEST_PASSWORD, TEST_TOKEN, lock};
use crate::client::VENDOR;

/// The id of the supplier the exerciser inserts (and re-inserts) for the supplier operations.
pub const EXERCISE_SUPPLIER: u64 = 9001;

type Outcome = Result<(), Summary>;

/// The `&'static str` name of an operation of the spec notes.
fn op_name(op: &str) -> Option<&'static str> {
    crate::models::OPERATIONS
        .iter()
        .find(|o| o.name == op)
        .map(|o| o.name)
}

impl VendorExercise for Sandbox {
    fn route(&self, operation: &str) -> Route {
        match operation {
            "oauth-token" => Route::path("/oauth"),
            "suppliers list" | "suppliers create" => Route::path("/suppliers"),
            "suppliers get" | "suppliers delete" | "editName" | "editCode" | "editVisible"
            | "editMaxDebt" | "updateCurdebt" | "editContactInfo" => {
                Route::path(&format!("/suppliers/{EXERCISE_SUPPLIER}"))
            }
            "supplier-purchase-temp list" => Route::path("/supplier-purchase-temp"),
            "location-person" => Route::path("/supplier-purchase-temp/location-person"),
            "current" => Route::path("/supplier-purchase-temp/current"),
            "supplier-purchase" => Route::path("/supplier-purchase"),
            // The temp purchase's own path: the actions, its read and its delete.
            _ => Route::path(&format!(
                "/supplier-purchase-temp/{}",
                self.exercise_trans_id()
            )),
        }
    }

    async fn run(&self, run: Run<'_>) -> Result<(), Summary> {
        let (operation, settings, inject) = (run.operation, run.settings, run.inject);
        if op_name(operation).is_none() {
            return Err(unsupported(VENDOR, operation));
        }
        self.exercise(operation, settings, inject).await
    }

    fn decode(&self, operation: &str, status: u16, body: &[u8]) -> Result<(), Summary> {
        decode_as(operation, status, body).unwrap_or_else(|| Err(unsupported(VENDOR, operation)))
    }

    fn corpus(&self) -> Vec<Sample> {
        let mut samples = document_samples();
        samples.extend(sandbox_samples());
        samples
    }

    fn secrets(&self) -> Vec<String> {
        let mut secrets = vec![
            TEST_TOKEN.to_owned(),
            TEST_PASSWORD.to_owned(),
            OAUTH_CLIENT_SECRET.to_owned(),
        ];
        secrets.extend(
            lock(&self.shared.world)
                .tokens
                .keys()
                .filter(|t| t.starts_with("oauth-"))
                .cloned(),
        );
        secrets
    }
}
