//! Error classification: the documented `status: 0` messages as a typed `NoomCode`
//! (`NoomCode::from_message`) and each code's class (`VendorCode::class`), which drives the
//! re-login rule and the retry decisions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use noom_client::{CodeClass, NoomCode, VendorCode};

#[test]
fn documented_messages_are_classified() {
    let cases = [
        ("Invalid user or password!", NoomCode::InvalidCredentials),
        (
            "NEW LS.2T You do not have privileges to do this operation!",
            NoomCode::NoPrivileges,
        ),
        ("Invalid UID: 000344332", NoomCode::InvalidUid),
        (
            "Document does not exist 0003443324x",
            NoomCode::DocumentDoesNotExist,
        ),
        (
            "Cannot save document! Document row 1: BACH_ID on NULL!",
            NoomCode::CannotSaveDocument,
        ),
        (
            "Invalid document state ID value: '2'",
            NoomCode::InvalidDocumentState,
        ),
        (
            "Invalid or expired accesstoken!",
            NoomCode::InvalidAccessToken,
        ),
        ("Session expired", NoomCode::InvalidAccessToken),
        ("Token not valid", NoomCode::InvalidAccessToken),
        ("Access token missing", NoomCode::InvalidAccessToken),
        ("ACCESSTOKEN IS REQUIRED", NoomCode::InvalidAccessToken),
        ("Login required", NoomCode::InvalidAccessToken),
        (
            "Request sent and answer received.",
            NoomCode::RequestNotCarriedOut,
        ),
        ("Something else went wrong", NoomCode::Unknown),
    ];
    for (msg, code) in cases {
        assert_eq!(NoomCode::from_message(msg), code, "{msg}");
    }
    assert_eq!(
        NoomCode::InvalidAccessToken.class(),
        CodeClass::TokenRefused
    );
    assert_eq!(NoomCode::InvalidCredentials.class(), CodeClass::Credentials);
    assert_eq!(NoomCode::Unknown.class(), CodeClass::Permanent);
    assert_eq!(NoomCode::RequestNotCarriedOut.class(), CodeClass::Permanent);
    assert_eq!(NoomCode::InvalidUid.to_string(), "InvalidUid");
}
