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
//! The framework's own refusals get typed codes too: 401 ([`ResultCode::Unauthorized`]), 406
//! ([`ResultCode::NotAcceptable`], whose message names the `Accept` sent), 415
//! ([`ResultCode::UnsupportedMediaType`], naming the `Content-Type` sent) and 422 without a
//! result code ([`ResultCode::FailedValidation`], with the `validation_messages` as
//! [`Error::fields`](pos_client_core::Error::fields)). Any other error status without a code is an
//! [`pos_client_core::Error::Http`] that keeps the status.

use std::fmt;

use pos_client_core::{CodeClass, VendorCode};

/// Every error of this crate: the one error type of all vendor crates, with the Suppliers codes.
///
/// Accessors: [`code`](pos_client_core::Error::code), [`status`](pos_client_core::Error::status),
/// [`message`](pos_client_core::Error::message), [`is_outcome_unknown`](pos_client_core::Error::is_outcome_unknown)
/// and [`reference`](pos_client_core::Error::reference) (the trans id or supplier of a lost write),
/// [`is_credentials`](pos_client_core::Error::is_credentials), [`fields`](pos_client_core::Error::fields).
pub type Error = pos_client_core::Error<ResultCode>;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal),* $(,)?) => {
        /// A Suppliers result code (or a framework refusal), with an `Unknown` arm for codes this
        /// crate does not know.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ResultCode {
            $($(#[$doc])* $variant,)*
            /// A code this crate does not know; the wire text is kept.
            Unknown(String),
        }

        impl ResultCode {
            /// Every known code, in the document's order (framework codes last).
            pub const ALL: &'static [ResultCode] = &[$(ResultCode::$variant,)*];

            /// The code as the document spells it.
            pub fn as_wire(&self) -> &str {
                match self {
                    $(ResultCode::$variant => $wire,)*
                    ResultCode::Unknown(text) => text,
                }
            }

            /// The code for a wire text. `NOT_FOUND_SUPPLER` (the document's spelling for
            /// `DELETE /suppliers/{id}`) is [`ResultCode::NotFoundSupplier`].
            pub fn from_wire(text: &str) -> ResultCode {
                match text.trim() {
                    $($wire => ResultCode::$variant,)*
                    "NOT_FOUND_SUPPLER" => ResultCode::NotFoundSupplier,
                    other => ResultCode::Unknown(other.to_owned()),
                }
            }
        }
    };
}

codes! {
    /// `TRANS_NOT_CURRENT`: the trans_id is not the current temp purchase (every action but
    /// activeTrans; DELETE).
    TransNotCurrent = "TRANS_NOT_CURRENT",
    /// `NOT_CURRENT_ACCESS_TOKEN`: this access token has not been given the temp purchase; call
    /// `current` with `set_current_access_token=Y` first.
    NotCurrentAccessToken = "NOT_CURRENT_ACCESS_TOKEN",
    /// `PRODUCT_NOT_FOUND` (addLine).
    ProductNotFound = "PRODUCT_NOT_FOUND",
    /// `NOT_PERMISSION_SELECT_THIS_LOCATION` (editTrans, purchase).
    NotPermissionSelectThisLocation = "NOT_PERMISSION_SELECT_THIS_LOCATION",
    /// `NOT_PERMISSION_SELECT_THIS_REASON` (editTrans).
    NotPermissionSelectThisReason = "NOT_PERMISSION_SELECT_THIS_REASON",
    /// `NOT_FOUND_SUPPLIER` (editTrans, purchase, suppliers); also read from the document's
    /// `NOT_FOUND_SUPPLER`.
    NotFoundSupplier = "NOT_FOUND_SUPPLIER",
    /// `NOT_FOUND_BUSINESS` (editTrans, purchase).
    NotFoundBusiness = "NOT_FOUND_BUSINESS",
    /// `LINE_NOT_FOUND` (editUnits, editPricebuy, editUpdateProduct, deleteLine).
    LineNotFound = "LINE_NOT_FOUND",
    /// `TRANS_NOT_FOUND` (activeTrans).
    TransNotFound = "TRANS_NOT_FOUND",
    /// `PERSON_NOT_FOUND` (forwardTrans).
    PersonNotFound = "PERSON_NOT_FOUND",
    /// `NOT_FORWARD_YOURSELF` (forwardTrans).
    NotForwardYourself = "NOT_FORWARD_YOURSELF",
    /// `TRANS_NOT_ITEM`: the temp purchase has no line (forwardTrans).
    TransNotItem = "TRANS_NOT_ITEM",
    /// `DUPLICATE_REFERENCE` in the import data (importProduct).
    DuplicateReference = "DUPLICATE_REFERENCE",
    /// `INCORRECT_UNITS` (importProduct).
    IncorrectUnits = "INCORRECT_UNITS",
    /// `INCORRECT_PRICEBUY` (importProduct).
    IncorrectPricebuy = "INCORRECT_PRICEBUY",
    /// `NOT_FOUND_PRODUCT`: no product with that code (importProduct).
    NotFoundProduct = "NOT_FOUND_PRODUCT",
    /// `PURCHASE_TEMP_INVALID`: the purchase_temp_id is not valid (purchase).
    PurchaseTempInvalid = "PURCHASE_TEMP_INVALID",
    /// `REQUIRED_LOCATION_ID`: no location chosen (purchase).
    RequiredLocationId = "REQUIRED_LOCATION_ID",
    /// `REQUIRED_SUPPLIER_ID`: no supplier chosen (purchase).
    RequiredSupplierId = "REQUIRED_SUPPLIER_ID",
    /// `PURCHASE_TEMP_NOT_ITEM`: the temp purchase has no product (purchase).
    PurchaseTempNotItem = "PURCHASE_TEMP_NOT_ITEM",
    /// `REQUEST_UNITS_GREATER_0`: units must be greater than 0 (purchase).
    RequestUnitsGreater0 = "REQUEST_UNITS_GREATER_0",
    /// `DEBT_NOT_GREATER_MAXDEBT`: the debt would exceed the supplier's max debt (purchase,
    /// updateCurdebt).
    DebtNotGreaterMaxdebt = "DEBT_NOT_GREATER_MAXDEBT",
    /// `DEBT_NOT_GREATER_CURDEBT`: a payment larger than the current debt (updateCurdebt).
    DebtNotGreaterCurdebt = "DEBT_NOT_GREATER_CURDEBT",
    /// `ERROR`: any other failure ("Lỗi khác"; for POST /suppliers "storage error").
    Error = "ERROR",
    /// Framework: 401 Unauthorized (a Digest challenge, a refused or expired Bearer token, wrong
    /// Basic credentials). The client answers a Digest challenge or renews an OAuth2 token once.
    Unauthorized = "UNAUTHORIZED",
    /// Framework: 406 Not Acceptable; the message names the `Accept` media type sent.
    NotAcceptable = "NOT_ACCEPTABLE",
    /// Framework: 415 Unsupported Media Type; the message names the `Content-Type` sent.
    UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE",
    /// Framework: 422 "Failed Validation" without a result code; see
    /// [`Error::fields`](pos_client_core::Error::fields) for the `validation_messages`.
    FailedValidation = "FAILED_VALIDATION",
}

impl fmt::Display for ResultCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_wire())
    }
}

impl VendorCode for ResultCode {
    fn class(&self) -> CodeClass {
        match self {
            // A 401 is answered once: a Digest challenge, a stale nonce, an expired OAuth2
            // token. The refusal proves the request was not carried out.
            ResultCode::Unauthorized => CodeClass::TokenRefused,
            _ => CodeClass::Permanent,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
