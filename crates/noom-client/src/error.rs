//! NOOM errors: the messages of `status: 0` answers as a typed [`NoomCode`], on the shared core
//! error.
//!
//! NOOM answers every call with HTTP 200 and an envelope `{status, msg, time, data}`; a failure is
//! `status: 0` with a human-readable `msg` and no code. The client names the messages the vendor
//! documents, matched case-insensitively anywhere in `msg`: [`NoomCode`]'s docs list the
//! fragments with each code's class (generated from the `[codes]` table of
//! `docs/specs/noom.toml`). The full message is the error's
//! [`message`](pos_client_core::Error::message).
//!
//! # The re-login rule
//!
//! It is stated in one place: the core pipeline renews a credential once, and sends the call
//! once more, only after an answer whose code has the class [`CodeClass::TokenRefused`](pos_client_core::CodeClass::TokenRefused) — and
//! [`NoomCode::class`](pos_client_core::VendorCode::class) gives that class to [`NoomCode::InvalidAccessToken`]
//! alone. So the client logs in again (`USERACCESS`) and repeats a call — a write too, because
//! an answer refusing the token proves the server did not run the act — only when the server
//! answered `status: 0` with a message about the access token. Nothing else triggers a re-login
//! or a re-send of a write: not a timeout, a lost or reset connection, an HTTP error status (401
//! and 403 included, which prove nothing about the envelope's act), an undecodable body, nor any
//! other `status: 0` message. Those leave a write
//! [outcome-unknown](pos_client_core::Error::is_outcome_unknown) or failed, as the core's retry
//! rules say. A second refusal after the fresh login is returned as the error; the client never
//! loops. `"Invalid user or password!"` is never retried.
//!
//! **Assumption (not in the vendor doc).** The doc shows no message for a rejected or expired
//! access token. The client takes a `status: 0` whose message names a token (the API's only
//! token is the access token), an expired session or a missing login to mean that the server refused the token and did not run the act. The
//! crate's sandbox answers an unknown token with `"Invalid or expired accesstoken!"`.
//!
//! [`Error`] is the error type every vendor crate of this family shares:
//! [`status`](pos_client_core::Error::status) (200 for a `status: 0` answer),
//! [`code`](pos_client_core::Error::code), [`message`](pos_client_core::Error::message),
//! [`is_retryable`](pos_client_core::Error::is_retryable),
//! [`is_outcome_unknown`](pos_client_core::Error::is_outcome_unknown),
//! [`reference`](pos_client_core::Error::reference) (the docuid of a write whose outcome is
//! unknown) and [`is_credentials`](pos_client_core::Error::is_credentials) answer alike
//! everywhere. Transport failures, HTTP error statuses and undecodable bodies keep their own
//! variants. No error ever holds the password or the access token: the core redacts both from
//! messages and body snippets, and the code never holds server text.

/// Everything a NOOM call can fail with: the shared error with NOOM's [`NoomCode`].
pub type Error = pos_client_core::Error<NoomCode>;

pub use crate::models::NoomCode;
