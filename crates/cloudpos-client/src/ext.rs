//! Hand-written readers on the generated models, for values the document leaves open: dates in
//! several spellings, tag types in any case, id lists in one string. The models keep the text
//! as sent; these methods read it with the rules of [`crate::wire`].

use pos_client_core::chrono::{NaiveDate, NaiveDateTime};

use crate::models::{
    Coupon, Customer, CustomerCredit, GiftVoucher, Invoice, Subproduct, TagType,
    WeborderConfirmation,
};
use crate::wire::{lenient_date, lenient_datetime, split_list};

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
        lenient_datetime(self.weborder_time.as_deref()?)
    }
}

impl Subproduct {
    /// The ids of the products the subproduct is linked to, from an array, one id or a
    /// comma-separated string (`"11,15"`). Parts that are not numbers are skipped.
    pub fn product_ids(&self) -> Vec<u64> {
        fn ids(value: &serde_json::Value, out: &mut Vec<u64>) {
            match value {
                serde_json::Value::Array(items) => items.iter().for_each(|v| ids(v, out)),
                serde_json::Value::Number(n) => out.extend(n.as_u64()),
                serde_json::Value::String(s) => {
                    out.extend(split_list(s).filter_map(|id| id.parse::<u64>().ok()));
                }
                _ => {}
            }
        }
        let mut out = Vec::new();
        if let Some(links) = &self.product_links {
            ids(links, &mut out);
        }
        out
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

impl Invoice {
    /// The document date (`YYYY-MM-DD`, also `DD-MM-YYYY`, `DD/MM/YYYY` or with a time);
    /// `None` when absent, `""`, `0000-00-00` or unreadable.
    pub fn date(&self) -> Option<NaiveDate> {
        lenient_date(self.date_text.as_deref()?)
    }

    /// The due date, read like [`date`](Self::date).
    pub fn expiration_date(&self) -> Option<NaiveDate> {
        lenient_date(self.expiration_date_text.as_deref()?)
    }
}

impl GiftVoucher {
    /// Valid from, read like [`Invoice::date`].
    pub fn valid_from(&self) -> Option<NaiveDate> {
        lenient_date(self.valid_from_text.as_deref()?)
    }

    /// Valid until, read like [`Invoice::date`].
    pub fn valid_until(&self) -> Option<NaiveDate> {
        lenient_date(self.valid_until_text.as_deref()?)
    }
}

impl Coupon {
    /// Valid from, read like [`Invoice::date`].
    pub fn valid_from(&self) -> Option<NaiveDate> {
        lenient_date(self.valid_from_text.as_deref()?)
    }

    /// Valid until, read like [`Invoice::date`].
    pub fn valid_until(&self) -> Option<NaiveDate> {
        lenient_date(self.valid_until_text.as_deref()?)
    }
}
