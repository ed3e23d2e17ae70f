//! Typed identifiers and validated short codes.
//!
//! - [`DocUid`]: NOOM's internal document unique id (`docuid`, CHAR(20), e.g. `0001077484`),
//!   kept as text because its leading zeros matter.
//! - [`Dhid`]: NOOM's internal document id (`dhid`, NUMERIC(10)), assigned by `ODOC_COMPLETE`.
//! - [`DocType`] and [`DocState`]: the CHAR(3) codes of a document type (`LS`, `LV`, `LI` …) and
//!   of a document type status / state (`0`, `2T`, `12` …), checked before anything is sent.
//!
//! The three texts are generated from the spec notes (`[[newtype]]` in `docs/specs/noom.toml`).

use std::fmt;

use pos_client_core::validate;

use crate::error::Error;

pub use crate::models::{DocState, DocType, DocUid};

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
