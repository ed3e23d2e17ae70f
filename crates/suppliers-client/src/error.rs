//! The Suppliers result codes as a typed enum, and the crate's [`Error`].
//!
//! The document names one code per failure (`TRANS_NOT_CURRENT`, `NOT_FOUND_SUPPLIER`, …, and
//! `ERROR` for anything else). The client reads it wherever a real server puts it:
//!
//! - `{"result": "CODE"}` with any status, 2xx included (a 200 whose `result` is not `SUCCESS`
//!   is a failure);
//! - inside an `application/problem+json` body of the framework (Laminas API Tools), as a
//!   `result` member or as the whole `detail` (`new ApiProblem(400, 'TRANS_NOT_CURRENT')`).
//!
//! The framework's own refusals get typed codes too: 401 ([`ResultCode::Unauthorized`], renewed
//! once like a refused credential; but a 401 whose body names a specific code of the document,
//! such as `NOT_CURRENT_ACCESS_TOKEN`, gives that code and is not sent again; `ERROR` and unknown
//! texts stay `Unauthorized`), 406
//! ([`ResultCode::NotAcceptable`], whose message names the `Accept` sent), 415
//! ([`ResultCode::UnsupportedMediaType`], naming the `Content-Type` sent) and 422 without a
//! result code ([`ResultCode::FailedValidation`], with the `validation_messages` as
//! [`Error::fields`](pos_client_core::Error::fields)). Any other error status without a code is an
//! [`pos_client_core::Error::Http`] that keeps the status.

/// Every error of this crate: the one error type of all vendor crates, with the Suppliers codes.
///
/// Accessors: [`code`](pos_client_core::Error::code), [`status`](pos_client_core::Error::status),
/// [`message`](pos_client_core::Error::message), [`is_outcome_unknown`](pos_client_core::Error::is_outcome_unknown)
/// and [`reference`](pos_client_core::Error::reference) (the trans id or supplier of a lost write),
/// [`is_credentials`](pos_client_core::Error::is_credentials), [`fields`](pos_client_core::Error::fields).
pub type Error = pos_client_core::Error<ResultCode>;

pub use crate::models::ResultCode;

#[cfg(test)]
mod tests {
    use super::*;
    use pos_client_core::{CodeClass, VendorCode};

    #[test]
    fn every_code_round_trips_and_the_misspelling_maps_to_not_found_supplier() {
        for code in ResultCode::ALL {
            assert_eq!(&ResultCode::from_wire(code.as_wire()), code);
        }
        assert_eq!(
            ResultCode::from_wire("NOT_FOUND_SUPPLER"),
            ResultCode::NotFoundSupplier
        );
        assert_eq!(
            ResultCode::from_wire("SOMETHING_NEW"),
            ResultCode::Unknown("SOMETHING_NEW".into())
        );
        assert_eq!(ResultCode::ALL.len(), 28);
        // A 401 is answered once (a Digest challenge, a stale nonce, an expired OAuth2 token):
        // the refusal proves the request was not carried out.
        assert_eq!(ResultCode::Unauthorized.class(), CodeClass::TokenRefused);
        assert_eq!(ResultCode::TransNotCurrent.class(), CodeClass::Permanent);
        assert_eq!(ResultCode::Error.to_string(), "ERROR");
        assert_eq!(
            ResultCode::NotFoundSupplier.description(),
            "supplier not found"
        );
    }
}
