//! The suppliers (`/suppliers`): list, create, read, delete and the `PUT` actions.

use pos_client_core::http::Method;
use pos_client_core::rust_decimal::Decimal;

use crate::error::Error;
use crate::models::{
    CreateSupplierAnswer, CreatedSupplier, DebtMethod, NewSupplier, SupplierAction, SupplierAnswer,
    SupplierDetail, SupplierPage,
};

use crate::purchase::EDIT_CONTACT_INFO_ACTION;

use super::{Client, ContactInfo, SupplierFilter, not_blank, segment};

impl Client {
    /// `GET /suppliers`: one page of suppliers, filtered. A read.
    pub async fn list_suppliers(&self, filter: &SupplierFilter) -> Result<SupplierPage, Error> {
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
    pub async fn create_supplier(&self, supplier: &NewSupplier) -> Result<CreatedSupplier, Error> {
        not_blank("the supplier name", &supplier.name)?;
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

    /// `editName`. A write.
    pub async fn edit_supplier_name(&self, id: &str, name: &str) -> Result<(), Error> {
        not_blank("name", name)?;
        let mut body = Self::action("editName");
        body.name = Some(name.to_owned());
        self.supplier_action(id, body).await
    }

    /// `editCode`: search key and tax id (both required). A write.
    pub async fn edit_supplier_code(
        &self,
        id: &str,
        searchkey: &str,
        taxid: &str,
    ) -> Result<(), Error> {
        not_blank("searchkey", searchkey)?;
        not_blank("taxid", taxid)?;
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
    /// (greater than 0). A write: a lost answer must be checked with
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
    /// set; at least one must be, else nothing is sent). A write.
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
        let mut body = Self::action(EDIT_CONTACT_INFO_ACTION);
        body.phone = contact.phone.clone();
        body.region = contact.region.clone();
        body.city = contact.city.clone();
        body.address = contact.address.clone();
        self.supplier_action(id, body).await
    }
}
