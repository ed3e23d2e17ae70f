//! CloudPOS errors: the vendor's error codes as [`ErrorCode`], and [`Error`], everything a call
//! can fail with.
//!
//! CloudPOS reports errors in the body as `{"errorcode": 1002, …}` (the code as a number or a
//! string; a message under `message`, `error` or `msg`, or none). The document scopes 2001–2003
//! per function; [`ErrorCode`]'s docs list every code with its functions and class (generated
//! from the `[codes]` table of `docs/specs/cloudpos.toml`). 1001, 1002 and 1004 lock the client,
//! 1003 stops it until the time it names, and 2000 on a list function is an empty list
//! (whatever the HTTP status: the document gives none).
//!
//! The document lists no 2000 for `get-confirmedweborder` and `get-reservationhours`; the
//! client still reads one as [`ErrorCode::NotFound`] (an empty list of hours), being lenient
//! on input, and the sandbox never sends it.
//!
//! An answer with `"success": 0` (or `"0"`, `false`) and no `errorcode` is a failure the
//! document does not describe: it is an [`Error::Api`] with `ErrorCode::Unknown(0, message)`,
//! never an empty list or a record of absent fields.
//!
//! The datetimes in the 1003 and 1004 messages are parsed by [`parse_vendor_datetime`]
//! (`YYYY-MM-DD HH:MM:SS`, `DD-MM-YYYY HH:MM`, `DD/MM/YYYY HH:MM:SS` and similar); when no
//! datetime can be read the field is `None` and the message is kept. They are the server's
//! Europe/Brussels wall-clock time; [`crate::time::server_local_to_utc`] turns them into
//! instants.
//!
//! No error ever holds the token: errors name the function, never the URL (which carries the
//! token), and server messages and body snippets have the token replaced by `***`.

use std::fmt;

use pos_client_core::chrono::NaiveDateTime;
use pos_client_core::encoding::{parse_any_date, parse_any_date_time};
use pos_client_core::{CodeClass, VendorCode};

/// Everything a CloudPOS call can fail with: the error type every vendor crate of this family
/// shares, with CloudPOS' [`ErrorCode`].
pub type Error = pos_client_core::Error<ErrorCode>;

/// Another name for [`Error`], for code that imports several vendor crates.
pub type CloudPosError = Error;

pub use crate::models::ErrorCode;

impl ErrorCode {
    /// Interprets `code` as answered by `function` (`"get-confirmedweborder"` …), with the
    /// server's `message` (used for the datetimes of 1003 and 1004, and kept by `Unknown`).
    pub fn from_wire(function: &str, code: i64, message: Option<&str>) -> ErrorCode {
        match code {
            1003 => ErrorCode::DailyLimitReached {
                next_request_at: message.and_then(parse_vendor_datetime),
            },
            1004 => ErrorCode::IpBlocked {
                until: message.and_then(parse_vendor_datetime),
            },
            _ => ErrorCode::known(function, code).unwrap_or_else(|| {
                ErrorCode::Unknown(code, message.unwrap_or_default().to_owned())
            }),
        }
    }

    /// Whether this code locks the client (1001, 1002, 1004): sending the same credentials
    /// again would count as another bad login, and five of them block the IP for 30 minutes.
    /// 1001 and 1002 lock until the credentials are replaced or the lockout is reset; 1004 until
    /// the time it names. They are the codes of class [`CodeClass::Credentials`] (the spec
    /// notes); every other code is permanent, and none is retried.
    pub fn locks_client(&self) -> bool {
        self.class() == CodeClass::Credentials
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.code(), self.description())?;
        match self {
            ErrorCode::DailyLimitReached {
                next_request_at: Some(t),
            } => write!(f, ", next request possible {t}"),
            ErrorCode::IpBlocked { until: Some(t) } => write!(f, ", blocked till {t}"),
            _ => Ok(()),
        }
    }
}

/// Finds the first date and time in a CloudPOS message and parses it.
///
/// The 1003 and 1004 messages end with a datetime, usually quoted (`… next request possible
/// '2024-03-01 00:00:00'`). Accepted: `YYYY-MM-DD HH:MM[:SS]` (also with `T` or `/`),
/// `DD-MM-YYYY HH:MM[:SS]`, `DD/MM/YYYY HH:MM[:SS]`, `DD.MM.YYYY HH:MM[:SS]`, and a date alone
/// (read as midnight). `None` when the message holds none of these.
///
/// ```
/// use cloudpos_client::error::parse_vendor_datetime;
/// let t = parse_vendor_datetime("blocked till '25/11/2026 14:05:00'").unwrap();
/// assert_eq!(t.to_string(), "2026-11-25 14:05:00");
/// assert!(parse_vendor_datetime("next request possible 'tomorrow'").is_none());
/// ```
pub fn parse_vendor_datetime(message: &str) -> Option<NaiveDateTime> {
    let starts = message
        .char_indices()
        .filter(|&(i, c)| {
            c.is_ascii_digit()
                && !message[..i]
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_ascii_digit())
        })
        .map(|(i, _)| i);
    for start in starts {
        let rest = &message[start..];
        for len in [19usize, 16] {
            if let Some(t) = rest.get(..len).and_then(parse_any_date_time) {
                return Some(t);
            }
        }
        if let Some(d) = rest.get(..10).and_then(parse_any_date) {
            return d.and_hms_opt(0, 0, 0);
        }
    }
    None
}
