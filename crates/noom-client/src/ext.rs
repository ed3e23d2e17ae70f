//! Conveniences on the generated models: flat access to a document's rows and payments.

use crate::models::{
    DocumentData, DocumentPayment, DocumentRow, Header, PaymentMode, PaymentModes,
};

impl DocumentData {
    /// The document's rows (`document.rows.row`), one or many, empty when absent.
    pub fn rows(&self) -> &[DocumentRow] {
        self.document
            .as_ref()
            .and_then(|d| d.rows.as_ref())
            .map_or(&[], |r| r.row.as_slice())
    }

    /// The document's payments (`document.payments.payment`), empty when absent.
    pub fn payments(&self) -> &[DocumentPayment] {
        self.document
            .as_ref()
            .and_then(|d| d.payments.as_ref())
            .map_or(&[], |p| p.payment.as_slice())
    }

    /// The document's header, when present.
    pub fn header(&self) -> Option<&Header> {
        self.document.as_ref().and_then(|d| d.header.as_ref())
    }
}

impl PaymentModes {
    /// The mode with id `id`, when offered.
    pub fn mode(&self, id: &str) -> Option<&PaymentMode> {
        self.payment_modes.iter().find(|m| m.id == id)
    }
}
