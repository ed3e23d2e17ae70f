//! Hand-written helpers on the generated models.

use pos_client_core::chrono::NaiveDateTime;

use crate::error::{parse_date, parse_datetime_field};
use crate::models::WeborderConfirmation;

impl WeborderConfirmation {
    /// The confirmed time parsed as a local date and time (`YYYY-MM-DD HH:MM[:SS]`,
    /// `DD-MM-YYYY HH:MM`, `DD/MM/YYYY HH:MM:SS` …, or a date alone at midnight). `None` when
    /// absent or in another format (a bare `18:30`, say): the text stays in
    /// [`weborder_time`](Self::weborder_time).
    pub fn time(&self) -> Option<NaiveDateTime> {
        let text = self.weborder_time.as_deref()?;
        parse_datetime_field(text).or_else(|| parse_date(text).and_then(|d| d.and_hms_opt(0, 0, 0)))
    }
}
