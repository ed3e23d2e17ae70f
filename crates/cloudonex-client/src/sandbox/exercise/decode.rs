//! Decoding any answer offline as the client's endpoint methods do.

use std::marker::PhantomData;

use pos_client_core::Operation;
use pos_client_core::OperationSpec;
use pos_client_core::http::{HeaderMap, StatusCode};
use pos_client_core::sandbox::axum::body::Bytes;
use pos_client_core::secrecy::SecretString;
use serde::de::{self, DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use super::{Act, RECORD_ID};
use crate::client::Resource;
use crate::error::Error;
use crate::models::{Customer, Invoice, Record};
use crate::protocol::{AuthMode, CloudOnex};
use crate::records::{One, Page, WritePayload, envelope_message, write_payload};
use crate::sandbox::Sandbox;

/// A write's 2xx payload as [`Endpoint`](crate::Endpoint)'s `written` reads it: one of the
/// "no record" shapes, or a record decoded as `T`.
struct Written<T>(PhantomData<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Written<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Option::<Box<RawValue>>::deserialize(d)?;
        match write_payload(raw.as_deref().map(|r| r.get().as_bytes())) {
            WritePayload::NoRecord(_) => Ok(Written(PhantomData)),
            WritePayload::Record => {
                let text = raw.as_deref().map_or("null", RawValue::get);
                serde_json::from_str::<One<T>>(text)
                    .map(|_| Written(PhantomData))
                    .map_err(de::Error::custom)
            }
        }
    }
}

/// Decodes an answer to `act` as the endpoint's method does, with `T` its model.
fn decode_as<T: DeserializeOwned>(
    protocol: &CloudOnex,
    op: &Operation,
    act: Act,
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
            let message = envelope_message(&body);
            pos_client_core::decode_answer::<_, Written<T>>(protocol, op, status, headers, body)
                .map(|_| drop(message))
        }
        // `Endpoint::delete` takes any success without reading its payload; its errors map
        // exactly as here.
        Act::Delete => {
            match pos_client_core::decode_answer::<_, IgnoredAny>(
                protocol, op, status, headers, body,
            ) {
                Err(pos_client_core::Error::Decode { .. }) if status.is_success() => Ok(()),
                other => other.map(drop),
            }
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
            Resource::Customers => decode_as::<Customer>(&protocol, &op, act, status, body),
            Resource::Invoices => decode_as::<Invoice>(&protocol, &op, act, status, body),
            _ => decode_as::<Record>(&protocol, &op, act, status, body),
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
        // …but a record that does not decode is an error with the status.
        let err = sandbox
            .decode(
                "update customers",
                200,
                br#"{"success":true,"data":{"id":[]}}"#,
            )
            .unwrap_err();
        assert_eq!((err.kind, err.status), ("Decode", Some(200)));
        // A delete takes any success body; a get does not.
        sandbox.decode("delete tickets", 200, b"Deleted").unwrap();
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
