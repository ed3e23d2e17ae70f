//! [`OpenDocument`]: a handle on one document in edit mode, with the acts that need it.

use std::fmt;

use pos_client_core::rust_decimal::Decimal;

use crate::client::{Call, Client};
use crate::error::Error;
use crate::ids::{Dhid, DocUid, GetDocWhat};
use crate::models::{CompleteData, DocumentData, GetDocData, PaymentModes};
use crate::requests::{BarcodeSale, Event, Item, ItemSale, Payment, SetData, check_rowno};

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

impl OpenDocument {
    pub(crate) fn new(client: Client, uid: DocUid) -> Self {
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

    fn read(&self, act: &'static str) -> Call {
        Call::read(act).param("docuid", self.uid.as_str())
    }

    fn write(&self, act: &'static str) -> Call {
        Call::write(act)
            .param("docuid", self.uid.as_str())
            .reference(self.uid.as_str())
    }

    async fn write_unit(&self, call: Call) -> Result<(), Error> {
        self.client.run(call).await.map(|_| ())
    }

    async fn write_getdoc(&self, call: Call) -> Result<DocumentData, Error> {
        let answer = self.client.run(call.param("getdoc", "1")).await?;
        let data: GetDocData = answer.decode_document()?;
        data.getdocdata.ok_or_else(|| {
            answer
                .response
                .decode_error("getdoc=1 was sent but `data.getdocdata` is missing")
                .into()
        })
    }

    fn set_data_call(&self, data: &SetData) -> Result<Call, Error> {
        data.validate()?;
        Ok(self
            .write("ODOC_SETDATA")
            .param("objname", data.objname())
            .param("objdata", data.objdata()?))
    }

    /// `ODOC_SETDATA`: sets header, rows, one row or the whole document from JSON.
    pub async fn set_data(&self, data: &SetData) -> Result<(), Error> {
        self.write_unit(self.set_data_call(data)?).await
    }

    /// `ODOC_SETDATA` with `getdoc=1`: returns the saved document.
    pub async fn set_data_getdoc(&self, data: &SetData) -> Result<DocumentData, Error> {
        self.write_getdoc(self.set_data_call(data)?).await
    }

    /// `ODOC_CHECK`: succeeds when the document is open (a read).
    pub async fn check(&self) -> Result<(), Error> {
        self.client.run(self.read("ODOC_CHECK")).await.map(|_| ())
    }

    /// `ODOC_CHECK` with `checklevel=1`: runs the server's check scripts (a read).
    pub async fn check_scripts(&self) -> Result<(), Error> {
        self.client
            .run(self.read("ODOC_CHECK").param("checklevel", "1"))
            .await
            .map(|_| ())
    }

    /// `ODOC_GETDOC`: the document's data (`what` = rows, minimal rows or the full document).
    /// A read.
    pub async fn get(&self, what: GetDocWhat) -> Result<DocumentData, Error> {
        let answer = self
            .client
            .run(self.read("ODOC_GETDOC").param("what", what.as_wire()))
            .await?;
        answer.decode_document()
    }

    /// `ODOC_GETDOC` with `what=3`: the full document. A read.
    pub async fn get_full(&self) -> Result<DocumentData, Error> {
        self.get(GetDocWhat::Full).await
    }

    fn item_sale_call(&self, sale: &ItemSale) -> Result<Call, Error> {
        sale.validate()?;
        let call = self.write("ODOC_ITEMSALE");
        let call = match &sale.item {
            Item::Batch(id) => call.param("batch_id", id.to_string()),
            Item::SearchCode(code) => call.param("searchcode", code.as_str()),
        };
        Ok(call
            .param_opt("quantity", sale.quantity.map(|q| self.client.decimal(q)))
            .param_opt("price", sale.price.map(|p| self.client.decimal(p.amount())))
            .param_opt("rowno", sale.rowno.map(|r| r.to_string())))
    }

    /// `ODOC_ITEMSALE`: adds an item sale row (by batch id or search code).
    pub async fn item_sale(&self, sale: &ItemSale) -> Result<(), Error> {
        self.write_unit(self.item_sale_call(sale)?).await
    }

    /// `ODOC_ITEMSALE` with `getdoc=1`: returns the saved document.
    pub async fn item_sale_getdoc(&self, sale: &ItemSale) -> Result<DocumentData, Error> {
        self.write_getdoc(self.item_sale_call(sale)?).await
    }

    fn barcode_sale_call(&self, sale: &BarcodeSale) -> Result<Call, Error> {
        sale.validate()?;
        Ok(self
            .write("ODOC_BARCODESALE")
            .param("barcode", sale.barcode.as_str())
            .param("doinsert", if sale.insert { "1" } else { "0" })
            .param("rowno", sale.rowno.to_string())
            .param_opt("quantity", sale.quantity.map(|q| q.to_string())))
    }

    /// `ODOC_BARCODESALE`: adds (or replaces) a row by barcode.
    pub async fn barcode_sale(&self, sale: &BarcodeSale) -> Result<(), Error> {
        self.write_unit(self.barcode_sale_call(sale)?).await
    }

    /// `ODOC_BARCODESALE` with `getdoc=1`: returns the saved document.
    pub async fn barcode_sale_getdoc(&self, sale: &BarcodeSale) -> Result<DocumentData, Error> {
        self.write_getdoc(self.barcode_sale_call(sale)?).await
    }

    fn set_quantity_call(&self, rowno: u32, quantity: Decimal) -> Result<Call, Error> {
        check_rowno(rowno)?;
        Ok(self
            .write("ODOC_ITEMSETQTY")
            .param("rowno", rowno.to_string())
            .param("quantity", self.client.decimal(quantity)))
    }

    /// `ODOC_ITEMSETQTY`: sets the quantity of row `rowno`.
    pub async fn set_quantity(&self, rowno: u32, quantity: Decimal) -> Result<(), Error> {
        self.write_unit(self.set_quantity_call(rowno, quantity)?)
            .await
    }

    /// `ODOC_ITEMSETQTY` with `getdoc=1`: returns the saved document.
    pub async fn set_quantity_getdoc(
        &self,
        rowno: u32,
        quantity: Decimal,
    ) -> Result<DocumentData, Error> {
        self.write_getdoc(self.set_quantity_call(rowno, quantity)?)
            .await
    }

    fn delete_row_call(&self, rowno: u32) -> Result<Call, Error> {
        check_rowno(rowno)?;
        Ok(self.write("ODOC_ROWDEL").param("rowno", rowno.to_string()))
    }

    /// `ODOC_ROWDEL`: deletes row `rowno`.
    pub async fn delete_row(&self, rowno: u32) -> Result<(), Error> {
        self.write_unit(self.delete_row_call(rowno)?).await
    }

    /// `ODOC_ROWDEL` with `getdoc=1`: returns the saved document.
    pub async fn delete_row_getdoc(&self, rowno: u32) -> Result<DocumentData, Error> {
        self.write_getdoc(self.delete_row_call(rowno)?).await
    }

    /// `ODOC_GETPAYMODES`: the payment modes allowed for this document. A read.
    pub async fn payment_modes(&self) -> Result<PaymentModes, Error> {
        let answer = self.client.run(self.read("ODOC_GETPAYMODES")).await?;
        answer.decode()
    }

    /// `ODOC_GETPAYMODES` with `getdoc=1` (an optional parameter of the act's table): the
    /// payment modes and the document (`data/getdocdata`). A read.
    pub async fn payment_modes_getdoc(&self) -> Result<(PaymentModes, DocumentData), Error> {
        let answer = self
            .client
            .run(self.read("ODOC_GETPAYMODES").param("getdoc", "1"))
            .await?;
        let modes: PaymentModes = answer.decode()?;
        let data: GetDocData = answer.decode_document()?;
        let doc = data.getdocdata.ok_or_else(|| {
            Error::from(
                answer
                    .response
                    .decode_error("getdoc=1 was sent but `data.getdocdata` is missing"),
            )
        })?;
        Ok((modes, doc))
    }

    fn set_payment_call(&self, payment: &Payment) -> Result<Call, Error> {
        payment.validate()?;
        Ok(self
            .write("ODOC_SETPAYMENT")
            .param("paymentmode", payment.paymentmode.as_str())
            .param("paymenttype", payment.paymenttype.as_str())
            .param_opt("paymentmodeex", payment.paymentmodeex.clone())
            .param_opt("currency_id", payment.currency_id.clone())
            .param_opt("additional_id", payment.additional_id.clone())
            .param("amount", self.client.decimal(payment.amount.amount()))
            .param_opt(
                "replaceamount",
                payment.replace_amount.map(|r| if r { "1" } else { "0" }),
            )
            .param_opt(
                "needsreversal",
                payment.needs_reversal.map(|r| if r { "+" } else { "-" }),
            )
            .param_opt(
                "paymentdatetime",
                payment.paymentdatetime.map(|t| t.to_wire()),
            ))
    }

    /// `ODOC_SETPAYMENT`: adds a payment.
    pub async fn set_payment(&self, payment: &Payment) -> Result<(), Error> {
        self.write_unit(self.set_payment_call(payment)?).await
    }

    /// `ODOC_SETPAYMENT` with `getdoc=1`: returns the saved document.
    pub async fn set_payment_getdoc(&self, payment: &Payment) -> Result<DocumentData, Error> {
        self.write_getdoc(self.set_payment_call(payment)?).await
    }

    /// `ODOC_ADDEVENT`: adds a document event.
    ///
    /// The vendor's table names the source type `de_sourcetype_id`, its example URL
    /// `de_sourcetype`; the table wins, so the client sends `de_sourcetype_id` only.
    pub async fn add_event(&self, event: &Event) -> Result<(), Error> {
        event.validate()?;
        let call = self
            .write("ODOC_ADDEVENT")
            .param("de_act", event.act.as_str())
            .param_opt("de_custevent", event.custom_event.clone())
            .param_opt("de_comment", event.comment.clone())
            .param_opt("de_data", event.data.clone())
            .param_opt("de_sourcetype_id", event.source_type.clone())
            .param_opt("de_source_id", event.source_id.clone());
        self.write_unit(call).await
    }

    /// `ODOC_CANCEL`: closes the document without saving the changes.
    pub async fn cancel(self) -> Result<(), Error> {
        self.write_unit(self.write("ODOC_CANCEL")).await
    }

    /// `ODOC_COMPLETE`: saves (publishes) the document and returns its id.
    ///
    /// On a `status: 0` answer ("Cannot save document! …") the document stays open: re-attach
    /// with [`Client::document`] and the [`uid`](Self::uid) you kept.
    pub async fn complete(self) -> Result<Dhid, Error> {
        let answer = self.client.run(self.write("ODOC_COMPLETE")).await?;
        let data: CompleteData = answer.decode_document()?;
        Ok(Dhid(data.dhid))
    }

    /// `ODOC_COMPLETE` with `getdoc=1`: the document id and the saved document.
    pub async fn complete_getdoc(self) -> Result<(Dhid, DocumentData), Error> {
        let answer = self
            .client
            .run(self.write("ODOC_COMPLETE").param("getdoc", "1"))
            .await?;
        let data: CompleteData = answer.decode_document()?;
        let doc = data.getdocdata.ok_or_else(|| {
            Error::from(
                answer
                    .response
                    .decode_error("getdoc=1 was sent but `data.getdocdata` is missing"),
            )
        })?;
        Ok((Dhid(data.dhid), doc))
    }
}
