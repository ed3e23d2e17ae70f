//! The suppliers (`/suppliers`): list, create, read, delete and the `PUT` actions.

use pos_client_core::http::Method;
use pos_client_core::rust_decimal::Decimal;

use pos_client_core::validate;

use crate::error::{Error, ResultCode};
use crate::models::{
    CreateSupplierAnswer, CreatedSupplier, DebtMethod, NewSupplier, SupplierAction, SupplierAnswer,
    SupplierDetail, SupplierPage,
};

use crate::purchase::EDIT_CONTACT_INFO_ACTION;

use super::{
    Client, ContactInfo, MAX_URL_TEXT_CHARS, SupplierFilter, ident, not_blank, note_text, one_line,
    segment,
};

impl Client {
    /// `GET /suppliers`: one page of suppliers, filtered. A read. A space in `name` goes as `%20`,
    /// a space to every decoder (as in every query the client sends).
    ///
    /// Refused before sending (they would reach the URL): a `name` with a control character or
    /// longer than [`MAX_URL_TEXT_CHARS`]; `page` or `page_size` 0 (the framework counts from 1).
    pub async fn list_suppliers(&self, filter: &SupplierFilter) -> Result<SupplierPage, Error> {
        if let Some(name) = &filter.name {
            one_line("name", name)?;
            validate::max_chars::<ResultCode>("name", name, MAX_URL_TEXT_CHARS)?;
        }
        if let Some(page) = filter.page {
            validate::positive::<u32, ResultCode>("page", &page)?;
        }
        if let Some(size) = filter.page_size {
            validate::positive::<u32, ResultCode>("page_size", &size)?;
        }
        let op = self
            .read("suppliers list", "suppliers".into())
            .query_opt("visible", filter.visible.map(|v| if v { "Y" } else { "N" }))
            .query_opt("name", filter.name.clone())
            .query_opt("page", filter.page.map(|p| p.to_string()))
            .query_opt("page_size", filter.page_size.map(|p| p.to_string()));
        self.call(op).await
    }

    /// `POST /suppliers`: creates a supplier (`name` required). A write; a lost answer names the
    /// supplier's name.
    ///
    /// Refused before sending: a blank `name` (the document's "required"), and a control
    /// character (CR, LF, NUL …) in the name or a contact field, which are one-line texts the
    /// server stores.
    pub async fn create_supplier(&self, supplier: &NewSupplier) -> Result<CreatedSupplier, Error> {
        not_blank("name", &supplier.name)?;
        one_line("name", &supplier.name)?;
        for (wire, value) in [
            ("phone", &supplier.phone),
            ("region", &supplier.region),
            ("city", &supplier.city),
            ("address", &supplier.address),
        ] {
            if let Some(v) = value {
                one_line(wire, v)?;
            }
        }
        let op = self.write(
            "suppliers create",
            Method::POST,
            "suppliers".into(),
            format!("new supplier {}", supplier.name),
        );
        let answer: CreateSupplierAnswer = self
            .write_call(Self::with_json(op, supplier)?, "`supplier`", false)
            .await?
            .ok_or_else(super::no_answer)?;
        Ok(answer.supplier)
    }

    /// `GET /suppliers/{id}`: the supplier's details. A read.
    ///
    /// Every method taking a supplier id refuses (nothing is sent) an id that is blank, longer
    /// than [`MAX_ID_CHARS`](super::MAX_ID_CHARS), `.`, or contains `..`, `/`, `?`, `#`, `%` or a
    /// control character, because it would change the URL path; other characters are
    /// percent-encoded.
    pub async fn supplier(&self, id: &str) -> Result<SupplierDetail, Error> {
        let path = format!("suppliers/{}", segment("the supplier id", id)?);
        let answer: SupplierAnswer = self.call(self.read("suppliers get", path)).await?;
        Ok(answer.supplier)
    }

    /// `DELETE /suppliers/{id}`. A write.
    pub async fn delete_supplier(&self, id: &str) -> Result<(), Error> {
        let path = format!("suppliers/{}", segment("the supplier id", id)?);
        let op = self.write(
            "suppliers delete",
            Method::DELETE,
            path,
            format!("supplier {id}"),
        );
        self.send_unit(op).await
    }

    async fn supplier_action(&self, id: &str, body: SupplierAction) -> Result<(), Error> {
        let path = format!("suppliers/{}", segment("the supplier id", id)?);
        let name = match body.action.as_str() {
            "editName" => "editName",
            "editCode" => "editCode",
            "editVisible" => "editVisible",
            "editMaxDebt" => "editMaxDebt",
            "updateCurdebt" => "updateCurdebt",
            _ => EDIT_CONTACT_INFO_ACTION,
        };
        let op = self.write(name, Method::PUT, path, format!("supplier {id}"));
        self.send_unit(Self::with_json(op, &body)?).await
    }

    fn action(action: &str) -> SupplierAction {
        SupplierAction {
            action: action.to_owned(),
            name: None,
            searchkey: None,
            taxid: None,
            visible: None,
            maxdebt: None,
            payment_method: None,
            debt: None,
            note: None,
            phone: None,
            region: None,
            city: None,
            address: None,
        }
    }

    /// `editName`. A write. The name must not be blank (the document: required) nor contain a
    /// control character.
    pub async fn edit_supplier_name(&self, id: &str, name: &str) -> Result<(), Error> {
        not_blank("name", name)?;
        one_line("name", name)?;
        let mut body = Self::action("editName");
        body.name = Some(name.to_owned());
        self.supplier_action(id, body).await
    }

    /// `editCode`: search key and tax id (both required: not blank; no control characters).
    /// A write.
    pub async fn edit_supplier_code(
        &self,
        id: &str,
        searchkey: &str,
        taxid: &str,
    ) -> Result<(), Error> {
        ident("searchkey", searchkey)?;
        ident("taxid", taxid)?;
        let mut body = Self::action("editCode");
        body.searchkey = Some(searchkey.to_owned());
        body.taxid = Some(taxid.to_owned());
        self.supplier_action(id, body).await
    }

    /// `editVisible`. A write.
    pub async fn edit_supplier_visible(&self, id: &str, visible: bool) -> Result<(), Error> {
        let mut body = Self::action("editVisible");
        body.visible = Some(visible);
        self.supplier_action(id, body).await
    }

    /// `editMaxDebt` (not negative). A write.
    pub async fn edit_supplier_max_debt(&self, id: &str, maxdebt: Decimal) -> Result<(), Error> {
        if maxdebt.is_sign_negative() {
            return Err(Error::validation("maxdebt must not be negative"));
        }
        let mut body = Self::action("editMaxDebt");
        body.maxdebt = Some(maxdebt);
        self.supplier_action(id, body).await
    }

    /// `updateCurdebt`: adds debt (`debt`) or records a payment (`debtpaid`) of `amount`
    /// (greater than 0; a `note` may hold line breaks but no other control character). A
    /// write: a lost answer must be checked with
    /// [`supplier`](Self::supplier) before sending again, or the debt changes twice.
    pub async fn update_supplier_debt(
        &self,
        id: &str,
        method: DebtMethod,
        amount: Decimal,
        note: Option<&str>,
    ) -> Result<(), Error> {
        if amount <= Decimal::ZERO {
            return Err(Error::validation("debt must be greater than 0"));
        }
        if let Some(n) = note {
            note_text("note", n)?;
        }
        if let DebtMethod::Unknown(m) = &method {
            return Err(Error::validation(format!(
                "payment_method must be debt or debtpaid, not {m:?}"
            )));
        }
        let mut body = Self::action("updateCurdebt");
        body.payment_method = Some(method);
        body.debt = Some(amount);
        body.note = note.map(str::to_owned);
        self.supplier_action(id, body).await
    }

    /// `editContactInfo` ([`EDIT_CONTACT_INFO_ACTION`]): phone, region, city, address (those
    /// set; at least one must be, else nothing is sent; none may contain a control character).
    /// A write.
    pub async fn edit_supplier_contact(
        &self,
        id: &str,
        contact: &ContactInfo,
    ) -> Result<(), Error> {
        if contact.phone.is_none()
            && contact.region.is_none()
            && contact.city.is_none()
            && contact.address.is_none()
        {
            return Err(Error::validation(
                "editContactInfo needs at least one of phone, region, city, address",
            ));
        }
        for (wire, value) in [
            ("phone", &contact.phone),
            ("region", &contact.region),
            ("city", &contact.city),
            ("address", &contact.address),
        ] {
            if let Some(v) = value {
                one_line(wire, v)?;
            }
        }
        let mut body = Self::action(EDIT_CONTACT_INFO_ACTION);
        body.phone = contact.phone.clone();
        body.region = contact.region.clone();
        body.city = contact.city.clone();
        body.address = contact.address.clone();
        self.supplier_action(id, body).await
    }
}
