//! Typed identifiers and short codes: the CHAR(n) limits of `DocType`, `DocState` and `DocUid`
//! (checked when made, a validation error), and the wire parameter of a `DocumentKey`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use noom_client::{Dhid, DocState, DocType, DocUid, DocumentKey};

#[test]
fn codes_are_validated() {
    assert!(DocType::new("LS").is_ok());
    assert!(DocType::new("L").is_ok());
    assert!(DocType::new("ABC").is_ok());
    assert!(DocType::new("ABCD").is_err());
    assert!(DocType::new("").is_err());
    assert!(DocType::new("L S").is_err());
    assert!(DocState::new("2\n").is_err());
    assert!(DocState::new("2T").is_ok());
    assert!(DocUid::new("0".repeat(20)).is_ok());
    assert!(DocUid::new("0".repeat(21)).is_err());
    let e = DocType::new("LONG").unwrap_err();
    assert!(e.is_validation(), "{e}");
    assert_eq!(
        DocumentKey::from(Dhid(3443386)).param(),
        ("dhid", "3443386".to_owned())
    );
    assert_eq!(DocumentKey::Dochid(7).param(), ("dochid", "7".to_owned()));
}
