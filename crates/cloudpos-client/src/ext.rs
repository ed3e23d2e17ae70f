//! Hand-written readers on the generated models, for values the codegen keeps as sent: tag
//! types in any case, a coupon's `used` in any form and the web order's confirmed time.

use pos_client_core::chrono::NaiveDateTime;
use pos_client_core::encoding::{int_text, parse_any_date_time};

use crate::models::{Coupon, CouponUsed, Customer, CustomerCredit, TagType, WeborderConfirmation};

/// A tag type in any case and padding (`"RFID"`, `" barcode "`); `""` is none.
fn tag_type(text: Option<&str>) -> Option<TagType> {
    let t = text?.trim();
    (!t.is_empty()).then(|| TagType::from_wire(&t.to_ascii_lowercase()))
}

impl Coupon {
    /// Whether the coupon was used ("gebruikt"), from [`used_flag`](Self::used_flag) in any
    /// form a PHP server writes it (the document gives no values): `Some(false)` only for `0`,
    /// `false`, `"false"`, `"nee"`, `"no"`, `"n"` (any case); `Some(true)` for `1`, `true`, a
    /// use count of at least 1, `"true"`, `"ja"`, `"yes"`, `"j"`, `"y"`; `None` when absent,
    /// `null`, `""` or anything else (a date, a negative number, other text), never a guess.
    pub fn used(&self) -> Option<bool> {
        let text = match self.used_flag.as_ref()? {
            CouponUsed::No => return Some(false),
            CouponUsed::Yes => return Some(true),
            CouponUsed::Unknown(text) => text.trim().to_ascii_lowercase(),
        };
        match text.as_str() {
            "false" | "nee" | "no" | "n" => Some(false),
            "true" | "ja" | "yes" | "j" | "y" => Some(true),
            // A whole number (`2`, `"1.0"`): a use count, so 0 is unused and more is used.
            other => int_text(other).and_then(|n| (n >= 0).then_some(n > 0)),
        }
    }
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
