//! [`OpenDocument`]: a handle on one document in edit mode, with the acts that need it; and the
//! client's acts that open one (`ODOC_NEW`, `ODOC_MODIFY`).
//!
//! This module calls the client (`Client::act`, `Client::send`); the client never calls into
//! it.

use std::fmt;

use pos_client_core::Response;
use pos_client_core::encoding::ObjectOrEmpty;
use pos_client_core::rust_decimal::Decimal;
use pos_client_core::serde_with::de::DeserializeAsWrap;

use crate::client::Client;
use crate::error::Error;
use crate::ids::{Dhid, DocState, DocType, DocUid, GetDocWhat};
use crate::models::{CompleteData, DocUidData, DocumentData, GetDocData, PaymentModes};
use crate::protocol::{Params, data, plain, required_data};
use crate::requests::{
    ActParams, BarcodeSale, Event, ItemSale, Payment, QuantityChange, Related, RowRef, SetData,
};

impl Client {
    /// `ODOC_NEW`: creates an open document of `doctype` in type status `state` and returns a
    /// handle on it.
    ///
    /// A write: if the answer is lost the error is outcome-unknown, with the reference
    /// `new <doctype>.<state>` (there is no docuid yet); check `ODOC_LIST` before trying again.
    pub async fn new_document(
        &self,
        doctype: &DocType,
        state: &DocState,
    ) -> Result<OpenDocument, Error> {
        self.new_document_related(doctype, state, None).await
    }

    /// `ODOC_NEW` with a relation to another document: `related.dhid`, or the docuid under
    /// `realated.docuid` and `related.docuid`.
    ///
    /// The vendor's table of `ODOC_NEW` spells the second parameter `realated.docuid` (sic),
    /// next to `related.dhid`, and gives no example: the docuid is sent under the table's name
    /// and again as `related.docuid`, so a server reading either finds it. A `related.dhid`
    /// must fit NUMERIC(10) (at most 10 digits); otherwise nothing is sent.
    pub async fn new_document_related(
        &self,
        doctype: &DocType,
        state: &DocState,
        related: Option<&Related>,
    ) -> Result<OpenDocument, Error> {
        if let Some(related) = related {
            related.validate()?;
        }
        let mut params = vec![
            ("doctype", plain(doctype.as_str())),
            ("docst", plain(state.as_str())),
        ];
        match related {
            Some(Related::Dhid(d)) => params.push(("related.dhid", plain(d.to_string()))),
            Some(Related::DocUid(u)) => {
                params.push(("realated.docuid", plain(u.as_str())));
                params.push(("related.docuid", plain(u.as_str())));
            }
            None => {}
        }
        let op = self
            .act("ODOC_NEW", false, params)
            .reference(format!("new {doctype}.{state}"));
        let response = self.send(op).await?;
        Ok(OpenDocument::new(self.clone(), new_uid(&response)?))
    }

    /// `ODOC_MODIFY`: opens an existing (saved) document for editing and returns a handle.
    /// `local` sends `local=1` (use the local base) instead of `local=0`. The docuid is sent as
    /// `docuid` (the table's name) and as `DOCUID` (its example's), so a server reading either
    /// finds it.
    pub async fn modify_document(
        &self,
        docuid: &DocUid,
        local: bool,
    ) -> Result<OpenDocument, Error> {
        let params = vec![
            ("docuid", plain(docuid.as_str())),
            ("DOCUID", plain(docuid.as_str())),
            ("local", plain(if local { "1" } else { "0" })),
        ];
        let op = self
            .act("ODOC_MODIFY", false, params)
            .reference(docuid.as_str());
        let response = self.send(op).await?;
        Ok(OpenDocument::new(
            self.clone(),
            modified_uid(&response, docuid)?,
        ))
    }

    /// A handle on a document that is already open in this session (from
    /// [`list_open_documents`](Self::list_open_documents), or after a failed
    /// [`OpenDocument::complete`]). Sends nothing.
    pub fn document(&self, docuid: DocUid) -> OpenDocument {
        OpenDocument::new(self.clone(), docuid)
    }
}

/// A document opened for editing with [`Client::new_document`] or [`Client::modify_document`]
/// (or re-attached with [`Client::document`]).
///
/// Rows, payments, events and data are added through its methods; [`complete`](Self::complete)
/// saves it and [`cancel`](Self::cancel) drops the changes, both consuming the handle. Dropping
/// the handle sends nothing: the document stays open on the server (see `ODOC_LIST`).
///
/// Every method that changes the document is a write: never re-sent once it may have reached the
/// server, and an outcome-unknown error names the docuid. Methods ending in `_getdoc` send
/// `getdoc=1` and return the saved document (`data/getdocdata`).
#[derive(Clone)]
#[must_use = "an open document stays open on the server until completed or cancelled"]
pub struct OpenDocument {
    client: Client,
    uid: DocUid,
}

impl fmt::Debug for OpenDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenDocument")
            .field("docuid", &self.uid)
            .finish_non_exhaustive()
    }
}

/// The docuid of an `ODOC_NEW` answer.
pub(crate) fn new_uid(response: &Response) -> Result<DocUid, Error> {
    let data: DocUidData = required_data(response)?;
    DocUid::new(data.doc_uid.trim())
        .map_err(|e| response.not_understood(format!("the docuid in `data`: {e}")))
}

/// The docuid of an `ODOC_MODIFY` answer: the server may answer the docuid, or nothing (`data`
/// absent, `null`, `""`, `[]` or `{}`), when the handle keeps the caller's `docuid`. Any other `data` is not understood (outcome-unknown: the document may be open for
/// editing).
pub(crate) fn modified_uid(response: &Response, docuid: &DocUid) -> Result<DocUid, Error> {
    let data = data::<DeserializeAsWrap<Option<DocUidData>, ObjectOrEmpty>>(response)?;
    match data.and_then(DeserializeAsWrap::into_inner) {
        Some(data) => DocUid::new(data.doc_uid.trim())
            .map_err(|e| response.not_understood(format!("the docuid in `data`: {e}"))),
        None => Ok(docuid.clone()),
    }
}

/// `getdoc=1`, appended to an act's parameters.
fn with_getdoc(mut params: Params) -> Params {
    params.push(("getdoc", plain("1")));
    params
}

/// The `getdocdata` a `getdoc=1` answer must carry.
pub(crate) fn saved_document(
    doc: Option<DocumentData>,
    response: &Response,
) -> Result<DocumentData, Error> {
    doc.ok_or_else(|| response.not_understood("getdoc=1 was sent but `data.getdocdata` is missing"))
}

impl OpenDocument {
    fn new(client: Client, uid: DocUid) -> Self {
        OpenDocument { client, uid }
    }

    /// The document's unique id (`docuid`).
    pub fn uid(&self) -> &DocUid {
        &self.uid
    }

    /// The client this handle uses.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Sends `act` on this document, `docuid` first. A write's outcome-unknown error names the
    /// docuid.
    async fn send(&self, act: &'static str, read: bool, params: Params) -> Result<Response, Error> {
        let mut all = vec![("docuid", plain(self.uid.as_str()))];
        all.extend(params);
        let mut op = self.client.act(act, read, all);
        if !read {
            op = op.reference(self.uid.as_str());
        }
        self.client.send(op).await
    }

    /// Sends a write of `params`, checked first.
    async fn write(&self, act: &'static str, params: &impl ActParams) -> Result<(), Error> {
        let params = params.checked(&self.client.param_style())?;
        self.send(act, false, params).await.map(drop)
    }

    /// Sends a write of `params`, checked first, with `getdoc=1`, and returns the saved document.
    async fn write_getdoc(
        &self,
        act: &'static str,
        params: &impl ActParams,
    ) -> Result<DocumentData, Error> {
        let params = params.checked(&self.client.param_style())?;
        let response = self.send(act, false, with_getdoc(params)).await?;
        let data: GetDocData = required_data(&response)?;
        saved_document(data.getdoc_data, &response)
    }

    /// `ODOC_SETDATA`: sets header, rows, one row or the whole document from JSON. The
    /// attribute tables' limits are checked first ([`SetData::validate`]).
    pub async fn set_data(&self, data: &SetData) -> Result<(), Error> {
        self.write("ODOC_SETDATA", data).await
    }

    /// `ODOC_SETDATA` with `getdoc=1`: returns the saved document.
    pub async fn set_data_getdoc(&self, data: &SetData) -> Result<DocumentData, Error> {
        self.write_getdoc("ODOC_SETDATA", data).await
    }

    /// `ODOC_CHECK`: succeeds when the document is open (a read).
    pub async fn check(&self) -> Result<(), Error> {
        self.send("ODOC_CHECK", true, Vec::new()).await.map(drop)
    }

    /// `ODOC_CHECK` with `checklevel=1`: runs the server's check scripts (a read).
    pub async fn check_scripts(&self) -> Result<(), Error> {
        let params = vec![("checklevel", plain("1"))];
        self.send("ODOC_CHECK", true, params).await.map(drop)
    }

    /// `ODOC_GETDOC`: the document's data (`what` = rows, minimal rows or the full document).
    /// A read.
    pub async fn get(&self, what: GetDocWhat) -> Result<DocumentData, Error> {
        let params = vec![("what", plain(what.as_wire()))];
        required_data(&self.send("ODOC_GETDOC", true, params).await?)
    }

    /// `ODOC_GETDOC` with `what=3`: the full document. A read.
    pub async fn get_full(&self) -> Result<DocumentData, Error> {
        self.get(GetDocWhat::Full).await
    }

    /// `ODOC_ITEMSALE`: adds an item sale row (by batch id or search code).
    pub async fn item_sale(&self, sale: &ItemSale) -> Result<(), Error> {
        self.write("ODOC_ITEMSALE", sale).await
    }

    /// `ODOC_ITEMSALE` with `getdoc=1`: returns the saved document.
    pub async fn item_sale_getdoc(&self, sale: &ItemSale) -> Result<DocumentData, Error> {
        self.write_getdoc("ODOC_ITEMSALE", sale).await
    }

    /// `ODOC_BARCODESALE`: adds (or replaces) a row by barcode.
    pub async fn barcode_sale(&self, sale: &BarcodeSale) -> Result<(), Error> {
        self.write("ODOC_BARCODESALE", sale).await
    }

    /// `ODOC_BARCODESALE` with `getdoc=1`: returns the saved document.
    pub async fn barcode_sale_getdoc(&self, sale: &BarcodeSale) -> Result<DocumentData, Error> {
        self.write_getdoc("ODOC_BARCODESALE", sale).await
    }

    /// `ODOC_ITEMSETQTY`: sets the quantity of row `rowno`.
    pub async fn set_quantity(&self, rowno: u32, quantity: Decimal) -> Result<(), Error> {
        self.write("ODOC_ITEMSETQTY", &QuantityChange::new(rowno, quantity))
            .await
    }

    /// `ODOC_ITEMSETQTY` with `getdoc=1`: returns the saved document.
    pub async fn set_quantity_getdoc(
        &self,
        rowno: u32,
        quantity: Decimal,
    ) -> Result<DocumentData, Error> {
        self.write_getdoc("ODOC_ITEMSETQTY", &QuantityChange::new(rowno, quantity))
            .await
    }

    /// `ODOC_ROWDEL`: deletes row `rowno`.
    pub async fn delete_row(&self, rowno: u32) -> Result<(), Error> {
        self.write("ODOC_ROWDEL", &RowRef::new(rowno)).await
    }

    /// `ODOC_ROWDEL` with `getdoc=1`: returns the saved document.
    pub async fn delete_row_getdoc(&self, rowno: u32) -> Result<DocumentData, Error> {
        self.write_getdoc("ODOC_ROWDEL", &RowRef::new(rowno)).await
    }

    /// `ODOC_GETPAYMODES`: the payment modes allowed for this document. A read.
    pub async fn payment_modes(&self) -> Result<PaymentModes, Error> {
        required_data(&self.send("ODOC_GETPAYMODES", true, Vec::new()).await?)
    }

    /// `ODOC_GETPAYMODES` with `getdoc=1` (an optional parameter of the act's table): the
    /// payment modes and the document (`data/getdocdata`). A read.
    pub async fn payment_modes_getdoc(&self) -> Result<(PaymentModes, DocumentData), Error> {
        let response = self
            .send("ODOC_GETPAYMODES", true, with_getdoc(Vec::new()))
            .await?;
        let modes: PaymentModes = required_data(&response)?;
        let data: GetDocData = required_data(&response)?;
        Ok((modes, saved_document(data.getdoc_data, &response)?))
    }

    /// `ODOC_SETPAYMENT`: adds a payment.
    ///
    /// Checked before anything is sent: the table's lengths (`paymentmode` and `paymenttype`
    /// one character, …), no control characters, `amount` Numeric(11,2), and `paymentdatetime`
    /// as `dd.mm.yyyy` or `dd.mm.yyyy HH:MM:SS` with a year from 1 to 9999.
    pub async fn set_payment(&self, payment: &Payment) -> Result<(), Error> {
        self.write("ODOC_SETPAYMENT", payment).await
    }

    /// `ODOC_SETPAYMENT` with `getdoc=1`: returns the saved document.
    pub async fn set_payment_getdoc(&self, payment: &Payment) -> Result<DocumentData, Error> {
        self.write_getdoc("ODOC_SETPAYMENT", payment).await
    }

    /// `ODOC_ADDEVENT`: adds a document event.
    ///
    /// The vendor's table names the source type `de_sourcetype_id`, its example URL
    /// `de_sourcetype`: a source type is sent under both names, so a server reading either
    /// finds it.
    /// Checked before anything is sent: the table's lengths, one line of text in the codes, and
    /// no control characters other than line breaks and tabs in `de_comment` and `de_data`.
    pub async fn add_event(&self, event: &Event) -> Result<(), Error> {
        self.write("ODOC_ADDEVENT", event).await
    }

    /// `ODOC_CANCEL`: closes the document without saving the changes.
    pub async fn cancel(self) -> Result<(), Error> {
        self.send("ODOC_CANCEL", false, Vec::new()).await.map(drop)
    }

    /// `ODOC_COMPLETE`: saves (publishes) the document and returns its id.
    ///
    /// On a `status: 0` answer ("Cannot save document! …") the document stays open: re-attach
    /// with [`Client::document`] and the [`uid`](Self::uid) you kept.
    pub async fn complete(self) -> Result<Dhid, Error> {
        let response = self.send("ODOC_COMPLETE", false, Vec::new()).await?;
        let data: CompleteData = required_data(&response)?;
        Ok(Dhid(data.dhid))
    }

    /// `ODOC_COMPLETE` with `getdoc=1`: the document id and the saved document.
    pub async fn complete_getdoc(self) -> Result<(Dhid, DocumentData), Error> {
        let response = self
            .send("ODOC_COMPLETE", false, with_getdoc(Vec::new()))
            .await?;
        let data: CompleteData = required_data(&response)?;
        Ok((
            Dhid(data.dhid),
            saved_document(data.getdoc_data, &response)?,
        ))
    }
}
