//! Hand-written readers on the generated models, for values the codegen keeps as text: tag
//! types in any case and the web order's confirmed time.

use pos_client_core::chrono::NaiveDateTime;
use pos_client_core::encoding::parse_any_date_time;

use crate::models::{Customer, CustomerCredit, TagType, WeborderConfirmation};

/// A tag type in any case and padding (`"RFID"`, `" barcode "`); `""` is none.
fn tag_type(text: Option<&str>) -> Option<TagType> {
    let t = text?.trim();
    (!t.is_empty()).then(|| TagType::from_wire(&t.to_ascii_lowercase()))
}

impl WeborderConfirmation {
    /// The confirmed time parsed as a local date and time (`YYYY-MM-DD HH:MM[:SS]`,
    /// `DD-MM-YYYY HH:MM`, `DD/MM/YYYY HH:MM:SS` …, or a date alone at midnight). `None` when
    /// absent or in another format (a bare `18:30`, say): the text stays in
    /// [`weborder_time`](Self::weborder_time).
    pub fn time(&self) -> Option<NaiveDateTime> {
        parse_any_date_time(self.weborder_time.as_deref()?)
    }
}

impl Customer {
    /// The tag type, read in any case (`"RFID"` is [`TagType::Rfid`]); `None` when absent or
    /// empty.
    pub fn tag_type(&self) -> Option<TagType> {
        tag_type(self.tag_type_text.as_deref())
    }
}

impl CustomerCredit {
    /// The tag type, read in any case; `None` when absent or empty.
    pub fn tag_type(&self) -> Option<TagType> {
        tag_type(self.tag_type_text.as_deref())
    }
}
