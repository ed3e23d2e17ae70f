//! NOOM errors: the messages of `status: 0` answers as typed variants, on top of the core error.
//!
//! NOOM answers every call with HTTP 200 and an envelope `{status, msg, time, data}`; a failure is
//! `status: 0` with a human-readable `msg` and no code. The client recognises the messages the
//! vendor documents (matched case-insensitively, anywhere in `msg`) and keeps the full message in
//! every variant:
//!
//! | `msg` contains                              | [`NoomError`] variant                   |
//! |---------------------------------------------|-----------------------------------------|
//! | `Invalid user or password`                  | [`NoomError::InvalidCredentials`]       |
//! | `You do not have privileges`                | [`NoomError::NoPrivileges`]             |
//! | `Invalid UID`                               | [`NoomError::InvalidUid`]               |
//! | `Document does not exist`                   | [`NoomError::DocumentDoesNotExist`]     |
//! | `Cannot save document`                      | [`NoomError::CannotSaveDocument`]       |
//! | `Invalid document state ID value`           | [`NoomError::InvalidDocumentState`]     |
//! | `accesstoken`, `access token`, `invalid token`, `token expired`, `session expired`, `not logged in` | [`NoomError::InvalidAccessToken`] |
//! | anything else                               | [`NoomError::Unknown`]                  |
//!
//! **Assumption (not in the vendor doc).** The doc shows no message for a rejected or expired
//! access token. The client takes a `status: 0` whose message mentions the access token (the
//! patterns above) to mean that the server refused the token and did not run the act. What the
//! client then does — log in again and send the call once more, writes included — is stated in
//! one place, [`Error::is_token_refused`]. "Invalid user or password!" is never retried.
//! The crate's sandbox answers an unknown token with `"Invalid or expired accesstoken!"`.
//!
//! Transport failures, HTTP error statuses, undecodable bodies and "outcome unknown" keep the
//! [`pos_client_core::Error`] they came from ([`Error::Core`]). No variant ever holds the
//! password or the access token: the core redacts both from messages and body snippets.

use pos_client_core::http::StatusCode;

/// The core error type, re-exported under a name that does not clash with [`Error`].
pub use pos_client_core::Error as CoreError;

/// A NOOM `status: 0` answer, classified by its message. Every variant keeps the full `msg`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoomError {
    /// `Invalid UID: 000344332`: the docuid is not an open document of this session.
    InvalidUid(String),
    /// `Document does not exist 0003443324x` (ODOC_MODIFY, DOCCHANGESTATE).
    DocumentDoesNotExist(String),
    /// `NEW LS.2T You do not have privileges to do this operation!`.
    NoPrivileges(String),
    /// `Invalid user or password!` (USERACCESS). Never retried.
    InvalidCredentials(String),
    /// `Cannot save document! Document row 1: BACH_ID on NULL!` (ODOC_COMPLETE).
    CannotSaveDocument(String),
    /// `Invalid document state ID value: '2'` (DOCCHANGESTATE).
    InvalidDocumentState(String),
    /// The access token was refused or has expired (see the module docs for the assumption).
    /// The client has already logged in again and repeated the call once
    /// ([`Error::is_token_refused`]).
    InvalidAccessToken(String),
    /// Any other message, e.g. `Request sent and answer received.` (the vendor's documented
    /// failure of ODOC_ITEMSETQTY and ODOC_ROWDEL).
    Unknown(String),
}

/// Message fragments (lower case) that mean the access token was refused.
pub const TOKEN_REJECTED_PATTERNS: [&str; 6] = [
    "accesstoken",
    "access token",
    "invalid token",
    "token expired",
    "session expired",
    "not logged in",
];

impl NoomError {
    /// Classifies a `status: 0` message.
    pub fn from_message(msg: &str) -> Self {
        let lower = msg.to_lowercase();
        let msg = msg.to_owned();
        if lower.contains("invalid user or password") {
            NoomError::InvalidCredentials(msg)
        } else if lower.contains("you do not have privileges") {
            NoomError::NoPrivileges(msg)
        } else if lower.contains("invalid uid") {
            NoomError::InvalidUid(msg)
        } else if lower.contains("document does not exist") {
            NoomError::DocumentDoesNotExist(msg)
        } else if lower.contains("cannot save document") {
            NoomError::CannotSaveDocument(msg)
        } else if lower.contains("invalid document state id value") {
            NoomError::InvalidDocumentState(msg)
        } else if TOKEN_REJECTED_PATTERNS.iter().any(|p| lower.contains(p)) {
            NoomError::InvalidAccessToken(msg)
        } else {
            NoomError::Unknown(msg)
        }
    }

    /// The server's full message.
    pub fn message(&self) -> &str {
        match self {
            NoomError::InvalidUid(m)
            | NoomError::DocumentDoesNotExist(m)
            | NoomError::NoPrivileges(m)
            | NoomError::InvalidCredentials(m)
            | NoomError::CannotSaveDocument(m)
            | NoomError::InvalidDocumentState(m)
            | NoomError::InvalidAccessToken(m)
            | NoomError::Unknown(m) => m,
        }
    }

    /// A short name of the kind, used as the vendor code of the core error.
    pub fn kind(&self) -> &'static str {
        match self {
            NoomError::InvalidUid(_) => "InvalidUid",
            NoomError::DocumentDoesNotExist(_) => "DocumentDoesNotExist",
            NoomError::NoPrivileges(_) => "NoPrivileges",
            NoomError::InvalidCredentials(_) => "InvalidCredentials",
            NoomError::CannotSaveDocument(_) => "CannotSaveDocument",
            NoomError::InvalidDocumentState(_) => "InvalidDocumentState",
            NoomError::InvalidAccessToken(_) => "InvalidAccessToken",
            NoomError::Unknown(_) => "Unknown",
        }
    }
}

impl std::fmt::Display for NoomError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// Everything a NOOM call can fail with.
///
/// Display is one line: the act, then what happened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered `status: 0`.
    #[error("noom {act}: {error}")]
    Api {
        /// The act that failed (`ODOC_COMPLETE`).
        act: &'static str,
        /// The classified message.
        error: NoomError,
        /// The answer as a core error (HTTP status, redacted body snippet); boxed to keep
        /// `Error` small.
        core: Box<CoreError>,
    },
    /// Everything else, unchanged: transport failures, HTTP error statuses, outcome unknown,
    /// validation (nothing was sent), decoding and configuration errors.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Error {
    /// The NOOM error, when the server answered `status: 0`.
    pub fn noom(&self) -> Option<&NoomError> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::Core(_) => None,
        }
    }

    /// The core error this one wraps.
    pub fn core(&self) -> &CoreError {
        match self {
            Error::Api { core, .. } => core,
            Error::Core(core) => core,
        }
    }

    /// The server's message (`msg` of a `status: 0` answer, or an HTTP error's message).
    pub fn message(&self) -> Option<&str> {
        match self {
            Error::Api { error, .. } => Some(error.message()),
            Error::Core(CoreError::Http { message, .. }) => message.as_deref(),
            Error::Core(_) => None,
        }
    }

    /// The HTTP status of the answer, when there was one (200 for a `status: 0` answer).
    pub fn status(&self) -> Option<StatusCode> {
        self.core().status()
    }

    /// Whether trying the same call later may succeed (advice: the client already retried what
    /// was safe). `status: 0` answers and outcome-unknown writes are not retryable.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { .. } => false,
            Error::Core(core) => core.is_retryable(),
        }
    }

    /// Whether a write may have taken effect although no answer came back. Check the document
    /// named by [`reference`](Self::reference) (with `ODOC_GETDOC` or `ODOC_LIST`) before
    /// sending it again.
    pub fn is_outcome_unknown(&self) -> bool {
        self.core().is_outcome_unknown()
    }

    /// The docuid of the write whose outcome is unknown.
    pub fn reference(&self) -> Option<&str> {
        self.core().reference()
    }

    /// Whether the request broke a documented rule and was not sent.
    pub fn is_validation(&self) -> bool {
        self.core().is_validation()
    }

    /// Whether the server's answer says it refused the access token: a `status: 0` envelope
    /// classified [`NoomError::InvalidAccessToken`].
    ///
    /// **The re-login rule** (the only place the client applies it): when a call fails this way,
    /// the client drops the token, logs in again (`USERACCESS`) and sends the same call once
    /// more with the fresh token — a write too, because an answer refusing the token proves
    /// the server did not run the act. Nothing else triggers a re-login or a re-send of a
    /// write: not a timeout, a lost or reset connection, an HTTP error status (401 and 403
    /// included, which prove nothing about the envelope's act), an undecodable body, nor any
    /// other `status: 0` message. Those leave a write [outcome-unknown](Self::is_outcome_unknown)
    /// or failed, as the core's retry rules say. A second refusal after the fresh login is
    /// returned as this error; the client never loops.
    pub fn is_token_refused(&self) -> bool {
        matches!(self.noom(), Some(NoomError::InvalidAccessToken(_)))
    }

    /// Whether the server refused the user name or password.
    pub fn is_invalid_credentials(&self) -> bool {
        matches!(self.noom(), Some(NoomError::InvalidCredentials(_)))
    }

    pub(crate) fn validation(message: impl Into<String>) -> Self {
        Error::Core(CoreError::validation(message))
    }

    pub(crate) fn config(message: impl Into<String>) -> Self {
        Error::Core(CoreError::config(message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_messages_are_classified_and_kept_whole() {
        type Check = fn(&NoomError) -> bool;
        let cases: [(&str, Check); 9] = [
            ("Invalid user or password!", |e| {
                matches!(e, NoomError::InvalidCredentials(_))
            }),
            (
                "NEW LS.2T You do not have privileges to do this operation!",
                |e| matches!(e, NoomError::NoPrivileges(_)),
            ),
            ("Invalid UID: 000344332", |e| {
                matches!(e, NoomError::InvalidUid(_))
            }),
            ("Document does not exist 0003443324x", |e| {
                matches!(e, NoomError::DocumentDoesNotExist(_))
            }),
            (
                "Cannot save document! Document row 1: BACH_ID on NULL!",
                |e| matches!(e, NoomError::CannotSaveDocument(_)),
            ),
            ("Invalid document state ID value: '2'", |e| {
                matches!(e, NoomError::InvalidDocumentState(_))
            }),
            ("Invalid or expired accesstoken!", |e| {
                matches!(e, NoomError::InvalidAccessToken(_))
            }),
            ("Session expired", |e| {
                matches!(e, NoomError::InvalidAccessToken(_))
            }),
            ("Request sent and answer received.", |e| {
                matches!(e, NoomError::Unknown(_))
            }),
        ];
        for (msg, check) in cases {
            let e = NoomError::from_message(msg);
            assert!(check(&e), "{msg}: {e:?}");
            assert_eq!(e.message(), msg);
            assert_eq!(e.to_string(), msg);
        }
    }
}
