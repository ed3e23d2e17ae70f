//! Typed identifiers and validated short codes.
//!
//! - [`DocUid`]: NOOM's internal document unique id (`docuid`, CHAR(20), e.g. `0001077484`),
//!   kept as text because its leading zeros matter.
//! - [`Dhid`]: NOOM's internal document id (`dhid`, NUMERIC(10)), assigned by `ODOC_COMPLETE`.
//! - [`DocType`] and [`DocState`]: the CHAR(3) codes of a document type (`LS`, `LV`, `LI` …) and
//!   of a document type status / state (`0`, `2T`, `12` …), checked before anything is sent.

use std::fmt;
use std::str::FromStr;

use pos_client_core::validate;

use crate::error::Error;

/// A code: not empty, at most `max` characters, no spaces or control characters.
fn check_code(what: &str, text: &str, max: usize) -> Result<(), Error> {
    validate::not_blank(what, text)?;
    validate::max_chars(what, text, max)?;
    validate::code(what, text)
}

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            #[doc = concat!("Checks and wraps a ", $what, ": 1 to ", stringify!($max), " characters, no spaces or control characters.")]
            pub fn new(text: impl Into<String>) -> Result<Self, Error> {
                let text = text.into();
                check_code($what, &text, $max)?;
                Ok($name(text))
            }

            /// The code as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl FromStr for $name {
            type Err = Error;
            fn from_str(s: &str) -> Result<Self, Error> {
                $name::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = Error;
            fn try_from(s: &str) -> Result<Self, Error> {
                $name::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = Error;
            fn try_from(s: String) -> Result<Self, Error> {
                $name::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_id!(
    /// NOOM's internal document unique id (`docuid`, CHAR(20)), e.g. `0001077484`.
    ///
    /// ```
    /// use noom_client::DocUid;
    /// let uid: DocUid = "0001077484".parse()?;
    /// assert_eq!(uid.as_str(), "0001077484");
    /// assert!(DocUid::new("").is_err());
    /// assert!(DocUid::new("0001 077").is_err());
    /// # Ok::<(), noom_client::Error>(())
    /// ```
    DocUid,
    "document uid",
    20
);

text_id!(
    /// A document type code (`doctype`, CHAR(3)), e.g. `LS`, `LV`, `LI`.
    ///
    /// ```
    /// use noom_client::DocType;
    /// assert_eq!(DocType::new("LS")?.as_str(), "LS");
    /// assert!(DocType::new("LONG").is_err());
    /// # Ok::<(), noom_client::Error>(())
    /// ```
    DocType,
    "document type",
    3
);

text_id!(
    /// A document type status or document state code (`docst`, `newstate`, CHAR(3)), e.g. `0`,
    /// `2T`, `12`.
    ///
    /// ```
    /// use noom_client::DocState;
    /// assert_eq!(DocState::new("2T")?.as_str(), "2T");
    /// assert!(DocState::new("").is_err());
    /// # Ok::<(), noom_client::Error>(())
    /// ```
    DocState,
    "document state",
    3
);

/// NOOM's internal document id (`dhid`, NUMERIC(10)), e.g. `1077484`; `ODOC_COMPLETE` returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Dhid(pub u64);

impl Dhid {
    /// The id as a number.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Dhid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<u64> for Dhid {
    fn from(v: u64) -> Self {
        Dhid(v)
    }
}

/// The largest NUMERIC(10) value.
const NUMERIC10_MAX: u64 = 9_999_999_999;

/// An id fits NUMERIC(10): at most 10 digits.
pub(crate) fn check_numeric10(wire: &str, value: u64) -> Result<(), Error> {
    validate::at_most(wire, &value, &NUMERIC10_MAX)
}

/// Which document `DOCCHANGESTATE` acts on: exactly one of the three documented keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentKey {
    /// By unique id (`docuid`).
    DocUid(DocUid),
    /// By document id (`dhid`).
    Dhid(Dhid),
    /// By document header id (`dochid`, NUMERIC(10)); the vendor documents it beside `dhid`.
    Dochid(u64),
}

impl DocumentKey {
    /// Checks that a `dhid` or `dochid` fits NUMERIC(10) (at most 10 digits); a docuid was
    /// checked when it was made.
    pub fn validate(&self) -> Result<(), Error> {
        match self {
            DocumentKey::DocUid(_) => Ok(()),
            DocumentKey::Dhid(d) => check_numeric10("dhid", d.get()),
            DocumentKey::Dochid(d) => check_numeric10("dochid", *d),
        }
    }

    /// The wire parameter name and value.
    pub fn param(&self) -> (&'static str, String) {
        match self {
            DocumentKey::DocUid(u) => ("docuid", u.to_string()),
            DocumentKey::Dhid(d) => ("dhid", d.to_string()),
            DocumentKey::Dochid(d) => ("dochid", d.to_string()),
        }
    }
}

impl From<DocUid> for DocumentKey {
    fn from(u: DocUid) -> Self {
        DocumentKey::DocUid(u)
    }
}

impl From<&DocUid> for DocumentKey {
    fn from(u: &DocUid) -> Self {
        DocumentKey::DocUid(u.clone())
    }
}

impl From<Dhid> for DocumentKey {
    fn from(d: Dhid) -> Self {
        DocumentKey::Dhid(d)
    }
}

/// How much of a document `ODOC_GETDOC` returns (`what`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GetDocWhat {
    /// `what=1`: row information only.
    Rows,
    /// `what=2`: minimal row information only.
    MinimalRows,
    /// `what=3`: the full document. The default.
    #[default]
    Full,
}

impl GetDocWhat {
    /// The wire value.
    pub fn as_wire(self) -> &'static str {
        match self {
            GetDocWhat::Rows => "1",
            GetDocWhat::MinimalRows => "2",
            GetDocWhat::Full => "3",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
