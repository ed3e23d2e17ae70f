//! [`TempPurchase`]: a handle on the current temporary purchase, whose methods are the
//! `PUT /supplier-purchase-temp/{trans_id}` actions and whose
//! [`place_order`](TempPurchase::place_order) consumes it.

use std::fmt;

use pos_client_core::http::Method;
use pos_client_core::rust_decimal::Decimal;

use crate::client::{Client, Payment, ProductRef, ident, note_text, segment};
use crate::error::Error;
use crate::models::{
    AddLineAnswer, CurrentTrans, EditTransAnswer, EditedTransInfo, PurchaseAnswer, Reason,
    TransAction, TransInfo, TransLine,
};

/// The action name sent for the units edit.
///
/// The document spells it `editUnit` twice (the action descriptions, the `line_id` comment) and
/// `editUnits` three times (the body's `"action"` line, the `units` comment, the error list).
/// The rule for every such contradiction: send the spelling of the body's `"action"` line, the
/// one place that lists the values the server matches on (here also the majority); the sandbox
/// accepts every spelling the document shows. See also [`EDIT_CONTACT_INFO_ACTION`].
pub const EDIT_UNITS_ACTION: &str = "editUnits";

/// The action name sent for the supplier's contact edit.
///
/// The document spells it `editContactInfo` once (the body's `"action"` line) and
/// `editContacinfo` four times (the `phone`, `region`, `city` and `address` comments: one comment
/// copied onto four lines, with a letter missing and a lowercase `i` unlike every other action).
/// By the rule of [`EDIT_UNITS_ACTION`] the `"action"` line's spelling is sent; the sandbox
/// accepts both spellings.
pub const EDIT_CONTACT_INFO_ACTION: &str = "editContactInfo";

/// The fields of `editTrans`; `None` fields are not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EditTrans {
    /// `reason`: purchase or return.
    pub reason: Option<Reason>,
    /// `location_id`.
    pub location_id: Option<String>,
    /// `supplier_id`.
    pub supplier_id: Option<String>,
    /// `business_id`.
    pub business_id: Option<String>,
    /// `note`.
    pub note: Option<String>,
}

/// One row of `importProduct`: a product code, units and an optional buy price.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportItem {
    /// The product code (`reference`).
    pub reference: String,
    /// Units (greater than 0).
    pub units: Decimal,
    /// Buy price (not negative), when given.
    pub pricebuy: Option<Decimal>,
}

fn empty_action(action: &str, trans_id: &str) -> TransAction {
    TransAction {
        action: action.to_owned(),
        trans_id: trans_id.to_owned(),
        product_id: None,
        product_code: None,
        line_id: None,
        units: None,
        pricebuy: None,
        update_supplier: None,
        update_pricebuy: None,
        person_id: None,
        reason: None,
        location_id: None,
        supplier_id: None,
        business_id: None,
        note: None,
        products: None,
    }
}

/// A `PUT /supplier-purchase-temp/{trans_id}` write with its body; the outcome-unknown
/// reference is the trans id.
pub(crate) fn action_op(
    client: &Client,
    action: &'static str,
    trans_id: &str,
    fill: impl FnOnce(&mut TransAction),
) -> Result<pos_client_core::Operation, Error> {
    let path = format!(
        "supplier-purchase-temp/{}",
        segment("the trans id", trans_id)?
    );
    let mut body = empty_action(action, trans_id);
    fill(&mut body);
    let op = client.write(action, Method::PUT, path, trans_id.to_owned());
    Client::with_json(op, &body)
}

fn positive(what: &str, v: Decimal) -> Result<(), Error> {
    if v <= Decimal::ZERO {
        return Err(Error::validation(format!("{what} must be greater than 0")));
    }
    Ok(())
}

fn not_negative(what: &str, v: Decimal) -> Result<(), Error> {
    if v.is_sign_negative() && !v.is_zero() {
        return Err(Error::validation(format!("{what} must not be negative")));
    }
    Ok(())
}

/// The current temporary purchase, from [`Client::current`], [`Client::claim_current`],
/// [`Client::create_new_trans`] or [`Client::activate_trans`].
///
/// It holds the snapshot the server last answered ([`info`](Self::info),
/// [`lines`](Self::lines); [`refresh`](Self::refresh) reads it again). Every action is a write:
/// never re-sent once it may have reached the server (a second `addLine` would add the units
/// twice); a lost answer is an outcome-unknown error whose
/// [`reference`](pos_client_core::Error::reference) is the trans id.
#[derive(Clone)]
#[must_use = "the temp purchase stays current on the server until ordered or deleted"]
pub struct TempPurchase {
    client: Client,
    trans: CurrentTrans,
}

impl fmt::Debug for TempPurchase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TempPurchase")
            .field("id", &self.trans.trans_info.id)
            .field("lines", &self.trans.trans_lines.len())
            .finish_non_exhaustive()
    }
}

impl TempPurchase {
    pub(crate) fn new(client: Client, trans: CurrentTrans) -> Self {
        TempPurchase { client, trans }
    }

    /// The trans id (the uuid every action names).
    pub fn id(&self) -> &str {
        &self.trans.trans_info.id
    }

    /// The header as last read.
    pub fn info(&self) -> &TransInfo {
        &self.trans.trans_info
    }

    /// The lines as last read.
    pub fn lines(&self) -> &[TransLine] {
        &self.trans.trans_lines
    }

    /// The whole snapshot.
    pub fn snapshot(&self) -> &CurrentTrans {
        &self.trans
    }

    /// Σ units × pricebuy over the lines as last read (lines without a price count 0).
    pub fn total(&self) -> Decimal {
        self.trans
            .trans_lines
            .iter()
            .map(|l| l.units * l.pricebuy.unwrap_or_default())
            .sum()
    }

    /// Reads the current temp purchase again (`GET /current`, a read). If another temp
    /// purchase has become current meanwhile, the snapshot (and [`id`](Self::id)) is then that
    /// one's.
    pub async fn refresh(&mut self) -> Result<(), Error> {
        let current = self.client.current().await?;
        self.trans = current.trans;
        Ok(())
    }

    /// `addLine`: adds `units` of a product (by id or code). When the product already has a
    /// line, the server adds the units to it (`is_update`). Units must be greater than 0.
    pub async fn add_line(
        &self,
        product: ProductRef,
        units: Decimal,
    ) -> Result<AddLineAnswer, Error> {
        positive("units", units)?;
        match &product {
            ProductRef::Id(id) => ident("product_id", id)?,
            ProductRef::Code(code) => ident("product_code", code)?,
        }
        let op = action_op(&self.client, "addLine", self.id(), |b| {
            match product {
                ProductRef::Id(id) => b.product_id = Some(id),
                ProductRef::Code(code) => b.product_code = Some(code),
            }
            b.units = Some(units);
        })?;
        let answer = self.client.write_call(op, "`line`", false).await?;
        answer.ok_or_else(crate::client::no_answer)
    }

    /// `editTrans`: reason, location, supplier, business, note (those set). The snapshot's
    /// header is updated from the answer. The reason must be `purchase` or `return` (the
    /// document's `purchase|return`); the ids given must not be blank nor contain a control
    /// character; the note may hold line breaks but no other control character.
    pub async fn edit_trans(&mut self, edit: &EditTrans) -> Result<EditedTransInfo, Error> {
        if let Some(Reason::Unknown(r)) = &edit.reason {
            return Err(Error::validation(format!(
                "reason must be purchase or return, not {r:?}"
            )));
        }
        for (wire, value) in [
            ("location_id", &edit.location_id),
            ("supplier_id", &edit.supplier_id),
            ("business_id", &edit.business_id),
        ] {
            if let Some(v) = value {
                ident(wire, v)?;
            }
        }
        if let Some(n) = &edit.note {
            note_text("note", n)?;
        }
        let op = action_op(&self.client, "editTrans", self.id(), |b| {
            b.reason = edit.reason.clone();
            b.location_id = edit.location_id.clone();
            b.supplier_id = edit.supplier_id.clone();
            b.business_id = edit.business_id.clone();
            b.note = edit.note.clone();
        })?;
        let answer: EditTransAnswer = self
            .client
            .write_call(op, "`trans_info`", false)
            .await?
            .ok_or_else(crate::client::no_answer)?;
        let info = &mut self.trans.trans_info;
        let edited = answer.trans_info.clone();
        if let Some(r) = &edit.reason {
            info.reason = Some(r.clone());
        }
        info.location_id = edited.location_id.or(info.location_id.take());
        info.location_name = edited.location_name.or(info.location_name.take());
        info.supplier_id = edited.supplier_id.or(info.supplier_id.take());
        info.supplier_name = edited.supplier_name.or(info.supplier_name.take());
        info.business_id = edited.business_id.or(info.business_id.take());
        info.business_name = edited.business_name.or(info.business_name.take());
        info.note = edited.note.or(info.note.take());
        Ok(answer.trans_info)
    }

    /// The units edit ([`EDIT_UNITS_ACTION`]): sets a line's units (greater than 0).
    pub async fn edit_units(&self, line_id: &str, units: Decimal) -> Result<(), Error> {
        positive("units", units)?;
        ident("line_id", line_id)?;
        let op = action_op(&self.client, "editUnits", self.id(), |b| {
            b.action = EDIT_UNITS_ACTION.to_owned();
            b.line_id = Some(line_id.to_owned());
            b.units = Some(units);
        })?;
        self.client.send_unit(op).await
    }

    /// `editPricebuy`: sets a line's buy price (not negative).
    pub async fn edit_pricebuy(&self, line_id: &str, pricebuy: Decimal) -> Result<(), Error> {
        not_negative("pricebuy", pricebuy)?;
        ident("line_id", line_id)?;
        let op = action_op(&self.client, "editPricebuy", self.id(), |b| {
            b.line_id = Some(line_id.to_owned());
            b.pricebuy = Some(pricebuy);
        })?;
        self.client.send_unit(op).await
    }

    /// `editUpdateProduct`: whether ordering writes the supplier and the buy price into the
    /// product.
    pub async fn edit_update_product(
        &self,
        line_id: &str,
        update_supplier: bool,
        update_pricebuy: bool,
    ) -> Result<(), Error> {
        ident("line_id", line_id)?;
        let op = action_op(&self.client, "editUpdateProduct", self.id(), |b| {
            b.line_id = Some(line_id.to_owned());
            b.update_supplier = Some(update_supplier);
            b.update_pricebuy = Some(update_pricebuy);
        })?;
        self.client.send_unit(op).await
    }

    /// `deleteLine`.
    pub async fn delete_line(&self, line_id: &str) -> Result<(), Error> {
        ident("line_id", line_id)?;
        let op = action_op(&self.client, "deleteLine", self.id(), |b| {
            b.line_id = Some(line_id.to_owned());
        })?;
        self.client.send_unit(op).await
    }

    /// `importProduct`: adds lines from codes. `products` is sent as the document says, one
    /// string holding the JSON array `[{"reference":"…","units":"…","pricebuy":"…"}]`.
    pub async fn import_products(&self, items: &[ImportItem]) -> Result<(), Error> {
        if items.is_empty() {
            return Err(Error::validation("importProduct needs at least one item"));
        }
        // Field order as the document shows it: reference, units, pricebuy.
        #[derive(serde::Serialize)]
        struct Row<'a> {
            reference: &'a str,
            units: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            pricebuy: Option<String>,
        }
        let mut rows = Vec::with_capacity(items.len());
        for item in items {
            ident("reference", &item.reference)?;
            positive("units", item.units)?;
            if let Some(p) = item.pricebuy {
                not_negative("pricebuy", p)?;
            }
            rows.push(Row {
                reference: &item.reference,
                units: item.units.normalize().to_string(),
                pricebuy: item.pricebuy.map(|p| p.normalize().to_string()),
            });
        }
        let products = serde_json::to_string(&rows)
            .map_err(|e| Error::validation(format!("cannot encode products: {e}")))?;
        let op = action_op(&self.client, "importProduct", self.id(), |b| {
            b.products = Some(products);
        })?;
        self.client.send_unit(op).await
    }

    /// `forwardTrans`: hands this temp purchase to a colleague; the server answers with the
    /// new current temp purchase of this user, returned.
    pub async fn forward(self, person_id: &str) -> Result<TempPurchase, Error> {
        ident("person_id", person_id)?;
        let op = action_op(&self.client, "forwardTrans", self.id(), |b| {
            b.person_id = Some(person_id.to_owned());
        })?;
        self.client
            .send_current(op, false)
            .await?
            .ok_or_else(crate::client::no_answer)
    }

    /// `createNewTrans`: parks this temp purchase as waiting and returns the new current one.
    pub async fn create_new(self) -> Result<TempPurchase, Error> {
        self.client.create_new_trans(self.id()).await
    }

    /// `DELETE /supplier-purchase-temp/{trans_id}`: deletes it; returns the new current one
    /// the server starts (or `None` on 204).
    pub async fn delete(self) -> Result<Option<TempPurchase>, Error> {
        self.client.delete_temp_purchase(self.id()).await
    }

    /// `POST /supplier-purchase`: orders this temp purchase and returns the server's answer
    /// ([`Client::place_order`]). Never sent twice; a lost answer is an outcome-unknown error
    /// naming the trans id.
    pub async fn place_order(self, payment: Payment) -> Result<PurchaseAnswer, Error> {
        self.client.place_order(self.id(), &payment).await
    }
}
