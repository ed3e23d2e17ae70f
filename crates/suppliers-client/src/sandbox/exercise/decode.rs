//! Decoding any answer offline as the client's method for its operation does.

use pos_client_core::http::header::AUTHORIZATION;
use pos_client_core::http::{HeaderMap, Method, StatusCode};
use pos_client_core::sandbox::Summary;
use pos_client_core::secrecy::SecretString;
use pos_client_core::{Operation, OperationId, decode_answer};
use serde::de::DeserializeOwned;

use super::{Outcome, op_name};
use crate::client::{LocationPersonAnswer, MediaType, TransAnswer, VENDOR, says_success};
use crate::error::Error;
use crate::models::{
    AddLineAnswer, CreateSupplierAnswer, EditTransAnswer, PurchaseAnswer, ResultAnswer,
    SupplierAnswer, SupplierPage, TempPurchasePage,
};
use crate::protocol::{Auth, SuppliersProtocol, Token};
use crate::sandbox::TEST_TOKEN;

/// Decodes an answer as the client's method for `op` does (same operation shape, protocol and
/// model); `None` for an unknown operation.
pub(super) fn decode_as(op: &str, status: u16, body: &[u8]) -> Option<Outcome> {
    let protocol = SuppliersProtocol {
        auth: Auth::Header(SecretString::from(format!("Bearer {TEST_TOKEN}"))),
        accept: MediaType::VendorV1,
        content_type: MediaType::VendorV1,
    };
    let status = match StatusCode::from_u16(status) {
        Ok(s) => s,
        Err(_) => return Some(Err(Summary::from(&Error::validation("not an HTTP status")))),
    };
    let bearer = SecretString::from(format!("Bearer {TEST_TOKEN}"));
    let accept = MediaType::VendorV1.as_str();
    let read = |name: &'static str, path: &str| {
        Operation::read(VENDOR, name, Method::GET, path.to_owned())
            .accept(accept)
            .header_secret(AUTHORIZATION, bearer.clone())
    };
    let write = |name: &'static str, method: Method, path: &str| {
        Operation::write(VENDOR, name, method, path.to_owned())
            .accept(accept)
            .content_type(accept)
            .reference("exercise")
            .header_secret(AUTHORIZATION, bearer.clone())
    };
    fn run<T: DeserializeOwned>(
        protocol: &SuppliersProtocol,
        op: Operation,
        status: StatusCode,
        body: &[u8],
    ) -> Result<T, Summary> {
        decode_answer::<SuppliersProtocol, T>(
            protocol,
            &op,
            status,
            HeaderMap::new(),
            bytes_of(body),
        )
        .map_err(|e| Summary::from(&e))
    }
    let p = &protocol;
    let temp = "supplier-purchase-temp/t-1";
    let outcome = match op {
        "oauth-token" => {
            // The token request's op; its answer is read as a whole, and a blank token refused.
            let op = Operation::read(VENDOR, "oauth-token", Method::POST, "oauth")
                .answer_carries_secret();
            run::<Token>(p, op, status, body).and_then(|t| {
                if t.access_token.trim().is_empty() {
                    Err(Summary::from(&Error::validation(
                        "the token endpoint answered an empty access_token",
                    )))
                } else {
                    Ok(())
                }
            })
        }
        "suppliers list" => {
            run::<SupplierPage>(p, read(op_name(op)?, "suppliers"), status, body).map(|_| ())
        }
        "suppliers create" => run::<CreateSupplierAnswer>(
            p,
            write("suppliers create", Method::POST, "suppliers"),
            status,
            body,
        )
        .map(|a| drop(a.supplier)),
        "suppliers get" => {
            run::<SupplierAnswer>(p, read("suppliers get", "suppliers/1"), status, body)
                .map(|a| drop(a.supplier))
        }
        "suppliers delete" => result_only(
            run(
                p,
                write("suppliers delete", Method::DELETE, "suppliers/1"),
                status,
                body,
            ),
            "suppliers delete",
            status,
        ),
        "editName" | "editCode" | "editVisible" | "editMaxDebt" | "updateCurdebt"
        | "editContactInfo" => {
            let name = op_name(op)?;
            let op = write(name, Method::PUT, "suppliers/1");
            result_only(run(p, op, status, body), name, status)
        }
        "editUnits" | "editPricebuy" | "editUpdateProduct" | "deleteLine" | "importProduct" => {
            let name = op_name(op)?;
            let op = write(name, Method::PUT, temp);
            result_only(run(p, op, status, body), name, status)
        }
        "supplier-purchase-temp list" => run::<TempPurchasePage>(
            p,
            read("supplier-purchase-temp list", "supplier-purchase-temp"),
            status,
            body,
        )
        .map(drop),
        "supplier-purchase-temp get" | "current" => {
            run::<TransAnswer>(p, read(op_name(op)?, temp), status, body)
                .map(|a| drop(a.into_trans()))
        }
        "location-person" => run::<LocationPersonAnswer>(
            p,
            read("location-person", "supplier-purchase-temp/location-person"),
            status,
            body,
        )
        .map(drop),
        "addLine" => {
            run::<AddLineAnswer>(p, write("addLine", Method::PUT, temp), status, body).map(drop)
        }
        "editTrans" => {
            run::<EditTransAnswer>(p, write("editTrans", Method::PUT, temp), status, body).map(drop)
        }
        "forwardTrans" | "createNewTrans" | "activeTrans" => {
            run::<TransAnswer>(p, write(op_name(op)?, Method::PUT, temp), status, body)
                .map(|a| drop(a.into_trans()))
        }
        "supplier-purchase-temp delete" => run::<Option<TransAnswer>>(
            p,
            write("supplier-purchase-temp delete", Method::DELETE, temp),
            status,
            body,
        )
        .map(|a| drop(a.map(TransAnswer::into_trans))),
        "supplier-purchase" => {
            let op = write("supplier-purchase", Method::POST, "supplier-purchase");
            let answer = run::<Option<PurchaseAnswer>>(p, op, status, body);
            // As place_order: a body must say SUCCESS (`rest` may hold more).
            let answer = answer.map(|a| a.map(|a| ResultAnswer { result: a.result }));
            result_only(answer, "supplier-purchase", status)
        }
        _ => return None,
    };
    Some(outcome)
}

/// A result-only write's answer as `Client::send_unit` (and `place_order`) judges it:
/// outcome-unknown unless it is none or `{"result": "SUCCESS"}`.
fn result_only(
    answer: Result<Option<ResultAnswer>, Summary>,
    name: &'static str,
    status: StatusCode,
) -> Outcome {
    if says_success(answer?.as_ref()) {
        return Ok(());
    }
    Err(Summary::from(&Error::OutcomeUnknown {
        operation: OperationId {
            vendor: VENDOR,
            name,
        },
        reference: Some("exercise".to_owned()),
        status: Some(status),
        cause: "the answer is not {\"result\": \"SUCCESS\"}".to_owned(),
    }))
}

fn bytes_of(body: &[u8]) -> pos_client_core::sandbox::axum::body::Bytes {
    pos_client_core::sandbox::axum::body::Bytes::copy_from_slice(body)
}
