//! The temporary purchases (`/supplier-purchase-temp`) and the purchase order
//! (`POST /supplier-purchase`).

use pos_client_core::http::Method;

use crate::error::Error;
use crate::models::{
    CurrentAnswer, CurrentTrans, PaymentMethod, PurchaseAnswer, PurchaseOrder, TempPurchasePage,
};
use crate::purchase::TempPurchase;

use super::types::LocationPersonAnswer;
use super::{Client, Location, Payment, no_answer, segment};

impl Client {
    /// `GET /supplier-purchase-temp`: one page of the temp purchases (`page` from 1; `None`
    /// lets the server choose; 0 is refused before sending). A read.
    pub async fn list_temp_purchases(&self, page: Option<u32>) -> Result<TempPurchasePage, Error> {
        if let Some(page) = page {
            pos_client_core::validate::positive::<u32, crate::error::ResultCode>("page", &page)?;
        }
        let op = self
            .read(
                "supplier-purchase-temp list",
                "supplier-purchase-temp".into(),
            )
            .query_opt("page", page.map(|p| p.to_string()));
        self.call(op).await
    }

    /// `GET /supplier-purchase-temp/{id}`: one temp purchase with its lines. The document shows
    /// no body for it; it is read like `current` (`current_trans`, or `trans_info` and
    /// `trans_lines` at the top). A read.
    pub async fn temp_purchase(&self, id: &str) -> Result<CurrentTrans, Error> {
        let path = format!(
            "supplier-purchase-temp/{}",
            segment("the temp purchase id", id)?
        );
        let answer: TransAnswer = self
            .call(self.read("supplier-purchase-temp get", path))
            .await?;
        Ok(answer.into_trans())
    }

    /// `GET /supplier-purchase-temp/location-person`: the locations the user may choose. A read.
    /// `location_person` as `[]` or `null` is no location; an answer without `location_person`
    /// is not this answer and fails as [`Error::Decode`](pos_client_core::Error::Decode).
    pub async fn location_person(&self) -> Result<Vec<Location>, Error> {
        let op = self.read(
            "location-person",
            "supplier-purchase-temp/location-person".into(),
        );
        let answer: LocationPersonAnswer = self.call(op).await?;
        Ok(answer.location_person.0)
    }

    /// `GET /supplier-purchase-temp/current`: the current temp purchase, as a handle whose
    /// methods are the actions on it. Fails with `NOT_CURRENT_ACCESS_TOKEN` until this access
    /// token has claimed it with [`claim_current`](Self::claim_current). A read.
    pub async fn current(&self) -> Result<TempPurchase, Error> {
        self.current_op(false).await
    }

    /// `GET /supplier-purchase-temp/current?set_current_access_token=Y`: gives this access
    /// token the current temp purchase (another token of the same user loses it) and returns
    /// it. Retried like a read: claiming twice has the same effect as once.
    ///
    /// With OAuth2 the claim belongs to the token, and a renewed token has none: a later
    /// temp-purchase call refused with `NOT_CURRENT_ACCESS_TOKEN` after the client renewed its
    /// token claims again once and is sent once more (the refusal proves nothing was done).
    /// When the token has not changed, the refusal is returned: another token took it over.
    pub async fn claim_current(&self) -> Result<TempPurchase, Error> {
        self.current_op(true).await
    }

    async fn current_op(&self, set: bool) -> Result<TempPurchase, Error> {
        let answer: TransAnswer = if set {
            self.claim().await?
        } else {
            let op = self.read("current", "supplier-purchase-temp/current".into());
            self.call(op).await?
        };
        Ok(TempPurchase::new(self.clone(), answer.into_trans()))
    }

    /// `activeTrans`: makes the waiting temp purchase `trans_id` the current one and returns
    /// it. A write.
    pub async fn activate_trans(&self, trans_id: &str) -> Result<TempPurchase, Error> {
        let op = crate::purchase::action_op(self, "activeTrans", trans_id, |_| {})?;
        self.send_current(op, false).await?.ok_or_else(no_answer)
    }

    /// `createNewTrans`: parks the current temp purchase `current_trans_id` as waiting and
    /// starts a new one, returned. A write.
    pub async fn create_new_trans(&self, current_trans_id: &str) -> Result<TempPurchase, Error> {
        let op = crate::purchase::action_op(self, "createNewTrans", current_trans_id, |_| {})?;
        self.send_current(op, false).await?.ok_or_else(no_answer)
    }

    /// `DELETE /supplier-purchase-temp/{trans_id}`: deletes the current temp purchase; the
    /// server starts a new one and returns it (or answers 204: `None`). A write.
    pub async fn delete_temp_purchase(
        &self,
        trans_id: &str,
    ) -> Result<Option<TempPurchase>, Error> {
        let path = format!(
            "supplier-purchase-temp/{}",
            segment("the trans id", trans_id)?
        );
        let op = self.write(
            "supplier-purchase-temp delete",
            Method::DELETE,
            path,
            trans_id.to_owned(),
        );
        self.send_current(op, true).await
    }

    /// `POST /supplier-purchase`: orders from the temp purchase `trans_id` (sent as both
    /// `purchase_temp_id` and `trans_temp_id`, the document's two names for it) and returns what
    /// the server answered: the document's `{"result": "SUCCESS"}` (201), with every other field
    /// the server adds (a created purchase's id, HAL `_links`) kept in
    /// [`PurchaseAnswer::rest`]; a 204 gives an empty answer. A write: never sent twice; a lost
    /// answer, or a 2xx answer that is not the document's (unreadable, or an object without
    /// `"result": "SUCCESS"`), is an outcome-unknown error naming the trans id.
    pub async fn place_order(
        &self,
        trans_id: &str,
        payment: &Payment,
    ) -> Result<PurchaseAnswer, Error> {
        segment("the trans id", trans_id)?;
        if let PaymentMethod::Unknown(m) = &payment.method {
            return Err(Error::validation(format!(
                "payment_method must be cash or debt, not {m:?}"
            )));
        }
        if let Some(note) = &payment.note {
            super::note_text("payment_note", note)?;
        }
        let body = PurchaseOrder {
            // Both names of the document (body and fields table), one value: see the spec notes.
            purchase_temp_id: trans_id.to_owned(),
            trans_temp_id: trans_id.to_owned(),
            payment_method: payment.method.clone(),
            payment_note: payment.note.clone(),
        };
        let op = self.write(
            "supplier-purchase",
            Method::POST,
            "supplier-purchase".into(),
            trans_id.to_owned(),
        );
        // The document's answer is `{"result": "SUCCESS"}`; another 2xx object (`{}`) is not.
        let answer = self
            .write_call_if(
                Self::with_json(op, &body)?,
                "`\"result\": \"SUCCESS\"`",
                true,
                |a: &PurchaseAnswer| super::is_success(a.result.as_deref()),
            )
            .await?;
        Ok(answer.unwrap_or_else(|| PurchaseAnswer {
            result: None,
            rest: Default::default(),
        }))
    }
}

/// The current-trans structure, wrapped (`current_trans`) or bare.
#[derive(serde::Deserialize)]
#[serde(untagged)]
pub(crate) enum TransAnswer {
    Wrapped(CurrentAnswer),
    Bare(CurrentTrans),
}

impl TransAnswer {
    pub(crate) fn into_trans(self) -> CurrentTrans {
        match self {
            TransAnswer::Wrapped(a) => a.current_trans,
            TransAnswer::Bare(t) => t,
        }
    }
}
