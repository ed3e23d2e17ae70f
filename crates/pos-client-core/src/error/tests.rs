//! Unit tests of [`super`].

use super::*;

#[derive(Debug, Clone, PartialEq)]
enum Code {
    Busy,
    BadKey,
    Expired,
    Invalid,
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl VendorCode for Code {
    fn class(&self) -> CodeClass {
        match self {
            Code::Busy => CodeClass::Retryable,
            Code::BadKey => CodeClass::Credentials,
            Code::Expired => CodeClass::TokenRefused,
            Code::Invalid => CodeClass::Permanent,
        }
    }
}

const OP: OperationId = OperationId {
    vendor: "v",
    name: "op",
};

fn api(status: u16, code: Code) -> Error<Code> {
    Error::Api {
        operation: OP,
        status: StatusCode::from_u16(status).unwrap(),
        code,
        message: Some("said so".into()),
        fields: vec![FieldError {
            field: "email".into(),
            message: "is invalid".into(),
        }],
        body: BodySnippet::default(),
    }
}

#[test]
fn accessors_follow_the_code_class_and_the_status() {
    let e = api(200, Code::Busy);
    assert!(e.is_retryable() && !e.is_credentials());
    assert_eq!(e.code(), Some(&Code::Busy));
    assert_eq!(e.vendor_code().as_deref(), Some("Busy"));
    assert_eq!(e.message(), Some("said so"));
    assert_eq!(e.fields()[0].field, "email");
    assert_eq!(e.to_string(), "v op: HTTP 200 OK [Busy]: said so");
    assert!(api(401, Code::BadKey).is_credentials());
    assert!(!api(401, Code::BadKey).is_retryable());
    assert!(api(200, Code::Expired).is_credentials());
    assert!(
        api(401, Code::Invalid).is_credentials(),
        "a 401 without a credentials code"
    );
    assert!(!api(400, Code::Invalid).is_retryable());
    assert!(
        api(503, Code::Invalid).is_retryable(),
        "the status still counts"
    );
    assert_eq!(
        api(400, Code::Invalid).status(),
        Some(StatusCode::BAD_REQUEST)
    );
}

#[test]
fn refusals_say_until_when() {
    let until = Utc::now() + chrono::Duration::minutes(30);
    let locked: Error<Code> = Error::Refused {
        operation: OP,
        reason: Refusal::LockedOut,
        until: Some(until),
        code: Some(Code::BadKey),
    };
    assert!(locked.is_credentials() && locked.is_retryable());
    let wait = locked.retry_after().unwrap();
    assert!(wait > Duration::from_secs(29 * 60) && wait <= Duration::from_secs(30 * 60));
    assert!(
        locked
            .to_string()
            .contains("not sent: the credentials are locked out until")
    );
    let quota: Error<Code> = Error::Refused {
        operation: OP,
        reason: Refusal::QuotaExhausted,
        until: None,
        code: None,
    };
    assert!(!quota.is_credentials() && !quota.is_retryable());
    assert_eq!(quota.retry_after(), None);
}

#[test]
fn transport_level_errors_keep_their_meaning_with_a_vendor_code() {
    let unknown: Error = Error::OutcomeUnknown {
        operation: OP,
        reference: Some("S-1".into()),
        status: Some(StatusCode::OK),
        cause: "connection reset".into(),
    };
    let unknown: Error<Code> = unknown.with_codes();
    assert_eq!(unknown.reference(), Some("S-1"));
    assert_eq!(unknown.status(), Some(StatusCode::OK));
    assert!(
        unknown
            .to_string()
            .contains("outcome unknown for reference S-1 (HTTP 200 answered): connection reset"),
        "{unknown}"
    );
    assert!(unknown.is_outcome_unknown() && !unknown.is_retryable());
    assert_eq!(unknown.operation(), Some(OP));
    let http: Error<Code> = Error::<NoCode>::Http {
        operation: OP,
        status: StatusCode::BAD_GATEWAY,
        code: Some("E9".into()),
        message: None,
        body: BodySnippet::new(b"<html>", &[]),
    }
    .with_codes();
    assert_eq!(http.vendor_code().as_deref(), Some("E9"));
    assert!(http.code().is_none() && http.is_retryable());
    let too_large: Error<Code> = Error::Transport {
        operation: OP,
        kind: TransportKind::TooLarge,
        message: "HTTP 200: over 10 bytes".into(),
    };
    assert!(!too_large.is_retryable());
    let invalid = Error::<Code>::validation("qty must be positive");
    assert!(invalid.is_validation() && invalid.operation().is_none());
    assert_eq!(invalid.to_string(), "invalid request: qty must be positive");
}

#[test]
fn snippets_are_bounded_and_redacted_even_for_huge_bodies() {
    let body = format!("token=SECRET-1 {}", "x".repeat(10_000_000));
    let snippet = BodySnippet::new(body.as_bytes(), &["SECRET-1"]);
    assert!(snippet.as_str().chars().count() <= BodySnippet::MAX_CHARS + 1);
    assert!(!snippet.as_str().contains("SECRET-1"));
    assert!(snippet.as_str().ends_with('…'));
}
