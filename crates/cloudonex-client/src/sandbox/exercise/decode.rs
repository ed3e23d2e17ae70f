//! Decoding any answer offline as the client's endpoint methods do.

use pos_client_core::Operation;
use pos_client_core::OperationSpec;
use pos_client_core::http::{HeaderMap, StatusCode};
use pos_client_core::sandbox::axum::body::Bytes;
use pos_client_core::secrecy::SecretString;
use serde::de::DeserializeOwned;

use super::{Act, RECORD_ID};
use crate::client::Resource;
use crate::error::Error;
use crate::models::{Customer, Invoice, Record};
use crate::protocol::{AuthMode, CloudOnex};
use crate::records::{One, Page, read_deleted, read_written};
use crate::sandbox::Sandbox;

/// Decodes an answer to `act` as the endpoint's method does, with `T` its model.
fn decode_as<T: DeserializeOwned>(
    protocol: &CloudOnex,
    op: &Operation,
    act: Act,
    resource: Resource,
    status: StatusCode,
    body: Bytes,
) -> Result<(), Error> {
    let headers = HeaderMap::new();
    match act {
        Act::List => {
            pos_client_core::decode_answer::<_, Page<T>>(protocol, op, status, headers, body)
                .map(drop)
        }
        Act::Get => {
            pos_client_core::decode_answer::<_, One<T>>(protocol, op, status, headers, body)
                .map(drop)
        }
        Act::Create | Act::Update => {
            let response = pos_client_core::read_answer(protocol, op, status, headers, body)?;
            read_written::<T>(&response, resource).map(drop)
        }
        Act::Delete => {
            let response = pos_client_core::read_answer(protocol, op, status, headers, body)?;
            read_deleted(&response)
        }
    }
}

impl Sandbox {
    /// Decodes an answer as the client does, through [`pos_client_core::decode_answer`].
    pub(super) fn decode_operation(
        &self,
        spec: &'static OperationSpec,
        act: Act,
        resource: Resource,
        status: u16,
        body: &[u8],
    ) -> Result<(), Error> {
        let protocol = CloudOnex::new(SecretString::from(self.key.clone()), AuthMode::Bearer);
        let status = StatusCode::from_u16(status).map_err(|e| Error::validation(e.to_string()))?;
        let id = RECORD_ID.to_string();
        // The operation as the endpoint builds it (a write unless `retry_put_delete`).
        let op = protocol.operation(
            spec.name,
            act.method(),
            resource.path(),
            act.has_id().then_some(id.as_str()),
            !spec.write,
        );
        let body = Bytes::copy_from_slice(body);
        match resource {
            Resource::Customers => {
                decode_as::<Customer>(&protocol, &op, act, resource, status, body)
            }
            Resource::Invoices => decode_as::<Invoice>(&protocol, &op, act, resource, status, body),
            _ => decode_as::<Record>(&protocol, &op, act, resource, status, body),
        }
    }
}

#[cfg(test)]
mod tests {
    use pos_client_core::sandbox::Exercise;

    use crate::sandbox::Sandbox;

    #[tokio::test]
    async fn decoding_follows_the_client() {
        let sandbox = Sandbox::start().await.unwrap();
        // A write answered without a record is a success (the client's Saved::accepted).
        for body in [
            "",
            "{\"success\":true,\"data\":{}}",
            "{\"success\":true,\"data\":7}",
        ] {
            sandbox
                .decode("create products", 201, body.as_bytes())
                .unwrap();
        }
        // So is a success envelope whose `data` does not decode as the record: the write was
        // done, and an error would invite a second one.
        for body in [
            r#"{"success":true,"data":{"id":[]}}"#,
            r#"{"success":true,"data":{"customer_id":5}}"#,
            r#"{"success":true,"data":{"account":"Jane","email":{"x":1}}}"#,
        ] {
            sandbox
                .decode("update customers", 200, body.as_bytes())
                .unwrap_or_else(|e| panic!("{body}: {e:?}"));
        }
        // A 2xx that is not the vendor's answer is outcome-unknown for a write…
        for body in [
            &b"<html>Welcome</html>"[..],
            br#"{"error":"Invalid email"}"#,
        ] {
            let err = sandbox.decode("create customers", 200, body).unwrap_err();
            assert_eq!((err.kind, err.status), ("OutcomeUnknown", Some(200)));
        }
        // …and a record that does not decode is still a decode error for a read.
        let err = sandbox
            .decode(
                "get customers",
                200,
                br#"{"success":true,"data":{"id":[]}}"#,
            )
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Decode", Some(200)));
        // A delete takes the envelope or an empty body; any other success is not the vendor's
        // (outcome unknown), as it is a decode error for a get.
        for body in [
            "",
            r#"{"success":true,"data":null}"#,
            r#"{"success":1,"data":{}}"#,
        ] {
            sandbox
                .decode("delete tickets", 200, body.as_bytes())
                .unwrap_or_else(|e| panic!("{body}: {e:?}"));
        }
        for body in [
            "Deleted",
            "<html>Login</html>",
            r#"{"error":"Not allowed"}"#,
            "true",
        ] {
            let err = sandbox
                .decode("delete tickets", 200, body.as_bytes())
                .unwrap_err();
            assert_eq!(
                (err.kind, err.status),
                ("OutcomeUnknown", Some(200)),
                "{body}"
            );
        }
        let err = sandbox.decode("get tickets", 200, b"Deleted").unwrap_err();
        assert_eq!((err.kind, err.status), ("Decode", Some(200)));
        let err = sandbox
            .decode(
                "delete tickets",
                404,
                br#"{"success":false,"errors":[],"message":"Record not found"}"#,
            )
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Api", Some(404)));
        assert_eq!(
            sandbox
                .decode("refund tickets", 200, b"{}")
                .unwrap_err()
                .kind,
            "Unsupported"
        );
    }
}
